"""Self-contained HTML reports a consultant can e-mail, open offline or print to PDF: headings,
paragraphs, tables and charts, in one file with no script and nothing loaded from elsewhere
(a Content-Security-Policy in the file says so; charts are inline SVG).

Charts are the app's own Altair charts rendered by vl-convert (Vega-Lite's renderer in an
embedded engine, offline), so the report shows exactly what the page shows. Every text that
reaches the HTML is escaped here; the SVG comes from the renderer, which escapes its text, and
is refused if it holds anything that could run.
"""
from __future__ import annotations

import html
import json
import numbers
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from xml.etree.ElementTree import ParseError

import altair as alt
import numpy as np
import pandas as pd
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from lib.table import Table

REPORT_WIDTH = 860  # px: a chart as wide as the report's text column (A4 portrait prints it whole)
_LOCALES = {"en": "en-US", "zh": "zh-CN"}  # number and date formats on chart axes
# A chart's SVG is judged on its markup, never on its text (RELIABILITY D5): names in titles,
# legends and aria-labels are text the renderer escapes, so 'Learn JavaScript: Basics' is fine.
# Only the shapes Vega draws are allowed (no script, foreignObject, image, style, animation, or
# HTML element the browser would read outside the SVG); no event-handler attribute; links and
# url() references only to a part of the image itself ('#clip1').
_SVG_ELEMENTS = frozenset({
    "svg", "g", "path", "rect", "line", "circle", "ellipse", "polygon", "polyline", "text", "tspan",
    "defs", "clippath", "lineargradient", "radialgradient", "stop", "pattern", "mask", "marker",
    "symbol", "use", "title", "desc", "a"})
_LINK_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "data"})
_URL_OUTSIDE = re.compile(r"url\(\s*['\"]?\s*(?!#)", re.IGNORECASE)


class ReportError(ValueError):
    """A chart the renderer could not draw safely (a bug, not a user mistake)."""


@dataclass(frozen=True)
class Section:
    """One part of a report, drawn in this order: heading, paragraphs, chart, table."""

    heading: str
    paragraphs: tuple[str, ...] = ()
    chart: alt.TopLevelMixin | None = None
    table: pd.DataFrame | Table | None = None
    prose: tuple[str, ...] = ()  # table columns of sentences: left-aligned and wrapped


def chart_svg(chart: alt.TopLevelMixin, lang: str = "en", width: int = REPORT_WIDTH) -> str:
    """The chart as an SVG element, axes in the language's number and date formats."""
    import vl_convert as vlc  # only a report needs the renderer (its first call takes ~0.5 s)

    # to_dict() keeps a chart's inline rows as they are; the renderer takes JSON, and the app's
    # frames hold dates (day buckets) and Decimals (money) that JSON has no type for
    spec = json.dumps(chart.properties(width=width).to_dict(), default=_json_value)
    version = "v" + ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    locale = _LOCALES.get(lang, "en-US")
    svg = vlc.vegalite_to_svg(spec, vl_version=version, allowed_base_urls=[],
                              format_locale=locale, time_format_locale=locale)
    if not _is_plain_svg(svg):
        raise ReportError("the chart renderer returned something other than a plain SVG image")
    return svg


def _local(name: str) -> str:
    """An element or attribute name without its namespace, lower-case (as HTML reads it)."""
    return name.rpartition("}")[2].lower()


def _is_plain_svg(svg: str) -> bool:
    """True for one <svg> element whose markup can neither run nor load anything."""
    if not svg.lstrip().lower().startswith("<svg"):
        return False
    try:
        root = fromstring(svg, forbid_dtd=True)
    except (ParseError, DefusedXmlException):
        return False
    if _local(root.tag) != "svg":
        return False
    for element in root.iter():
        if not isinstance(element.tag, str) or _local(element.tag) not in _SVG_ELEMENTS:
            return False
        for key, value in element.attrib.items():
            name = _local(key)
            if name.startswith("aria-"):  # text read out to the reader, never loaded or run
                continue
            if (name.startswith("on") or (name in _LINK_ATTRIBUTES and not value.strip().startswith("#"))
                    or _URL_OUTSIDE.search(value) or "javascript:" in value.lower()):
                return False
    return True


def _json_value(value: object) -> object:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"{type(value).__name__} cannot go into a chart")


def _cell_text(value: object) -> str:
    """Text as it is; numbers with separators and no more decimals than they have (to cents):
    lib's rounded tables hold 655.0 and 18.7, a reader wants 655 and 18.7."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Real, Decimal)):
        return str(value)
    x = float(value)
    places = next((d for d in (0, 1, 2) if round(x, d) == x), 2)
    return f"{x:,.{places}f}"


# A formatted figure: sign, currency code or symbol, digits, a unit ('USD 1,234.50', '−10.0%',
# '× 1.1000', '17.6 h', '6 天'); '—' (no value) is neither figure nor text.
_FIGURE = re.compile(r"^[−+-]?(?:× |[A-Z]{3} |[$€£¥])?[−+-]?[\d,]+(?:\.\d+)?\s?(?:%|×|[a-z]{1,4}|天|小时)?$")


def _is_text(column: pd.Series) -> bool:
    """A column of words (names, owners, categories), not of figures kept as formatted text."""
    if pd.api.types.is_numeric_dtype(column):
        return False
    values = [str(v) for v in column if v is not None and not (isinstance(v, float) and pd.isna(v))
              and str(v) not in ("", "—")]
    return sum(bool(_FIGURE.match(v)) for v in values) * 2 < len(values)


def _table_html(table: pd.DataFrame | Table, prose: tuple[str, ...] = ()) -> str:
    """Figures right-aligned on one line; columns of words (and `prose` columns of sentences)
    left-aligned and wrapped; the first column always as text. A Table's numeric columns are
    written with their formats, as the page shows them."""
    numeric = set(table.formats) if isinstance(table, Table) else set()
    if isinstance(table, Table):
        table = table.text_frame()
    text_cols = {0} | {i for i, c in enumerate(table.columns)
                       if c not in numeric and (c in prose or _is_text(table.iloc[:, i]))}

    def cell(tag: str, i: int, value: object) -> str:
        attr = ' class="t"' if i in text_cols else ""
        return f"<{tag}{attr}>{html.escape(_cell_text(value))}</{tag}>"

    head = "".join(cell("th", i, c) for i, c in enumerate(table.columns))
    body = "".join("<tr>" + "".join(cell("td", i, v) for i, v in enumerate(row)) + "</tr>"
                   for row in table.itertuples(index=False))
    # wide tables scroll inside their own box instead of pushing the page sideways
    return f'<div class="wide"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def _section_html(section: Section, lang: str) -> str:
    parts = [f"<h2>{html.escape(section.heading)}</h2>"]
    parts += [f"<p>{html.escape(p)}</p>" for p in section.paragraphs if p]
    if section.chart is not None:
        parts.append(f'<figure>{chart_svg(section.chart, lang)}</figure>')
    if section.table is not None and not section.table.empty:
        parts.append(_table_html(section.table, section.prose))
    return "<section>" + "".join(parts) + "</section>"


_STYLE = """body{font-family:system-ui,"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;
margin:2rem auto;max-width:60rem;padding:0 1rem;color:#222;line-height:1.45}
h1{margin-bottom:.2rem}h2{margin-top:2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}
p.sub{color:#555;margin-top:0}figure{margin:1rem 0}svg{max-width:100%;height:auto}
div.wide{overflow-x:auto}table{border-collapse:collapse;margin:.6rem 0;font-size:.85rem}
th,td{border:1px solid #ccc;padding:.3rem .6rem;text-align:right;vertical-align:top;white-space:nowrap}
th{background:#f3f3f3;white-space:normal;min-width:4rem}.t{text-align:left;white-space:normal}
footer{margin-top:2.5rem;color:#555;font-size:.88rem}
@media print{body{margin:0;max-width:none}section{break-inside:avoid}}"""


def html_report(title: str, subtitle: str, sections: Sequence[Section], footer: str,
                lang: str = "en") -> str:
    """The whole report as one HTML document (UTF-8)."""
    body = "".join(_section_html(s, lang) for s in sections)
    return f"""<!DOCTYPE html>
<html lang="{'zh-CN' if lang == 'zh' else 'en'}"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>{_STYLE}</style></head>
<body><h1>{html.escape(title)}</h1><p class="sub">{html.escape(subtitle)}</p>
{body}
<footer>{html.escape(footer)}</footer></body></html>
"""
