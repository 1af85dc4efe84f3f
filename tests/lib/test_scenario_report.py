"""The client-ready scenario report (lib/scenario_report.py on lib/report.py): a chart drawn as
inline SVG, the comparison, the backtest verdict and the assumptions, all escaped, nothing
that runs or loads from elsewhere."""
from __future__ import annotations

import html
import re
from datetime import date
from html.parser import HTMLParser

import altair as alt
import pandas as pd
import pytest

from lib import scenarios as sc
from lib.forecast.backtest import BacktestResult, Fold
from lib.forecast.model import ForecastResult
from lib.forecast.notes import Note
from lib.report import ReportError, Section, chart_svg, html_report
from lib.scenario import WhatIf
from lib.scenario_report import ReportContext, scenario_report

DAYS = pd.date_range("2026-01-01", periods=3)
FORECAST = pd.DataFrame({"ds": DAYS, "yhat": [100.0] * 3, "yhat_lower": [80.0] * 3, "yhat_upper": [120.0] * 3})
RESULT = ForecastResult(
    method="prophet", horizon=3, forecast=FORECAST,
    history=pd.DataFrame({"ds": DAYS - pd.Timedelta(days=3), "y": [90.0, 100.0, 110.0]}),
    outliers=pd.DataFrame(), interval_width=0.8,
    notes=(Note("forecast.no_future_promotions", "No promotions are planned in the forecast period."),))
FOLD = Fold(cutoff=date(2025, 12, 1), train_days=400, test_days=3, method="prophet", mae=8.0, mape=0.08,
            mase=0.5, baseline_mae=10.0, coverage=0.8, actual_total=300.0, forecast_total=290.0)
BACKTEST = BacktestResult(horizon=3, folds=(FOLD,), mae=8.0, mape=0.08, mase=0.5, baseline_mae=10.0,
                          coverage=0.8, interval_width=0.8)
CTX = ReportContext(metric="net_sales", currency="USD", horizon=3, history_days=823, country="US")
PUSH = sc.Scenario("Spring push", WhatIf(traffic_pct=10), "ads +10 % traffic")
EVIL = sc.Scenario("<script>alert(1)</script>", WhatIf(aov_pct=-10), note="a & b <img src=x>")


class Tags(HTMLParser):
    """Every start tag and attribute of a document (to prove nothing can run or load)."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += attrs


def parsed(doc: str) -> Tags:
    p = Tags()
    p.feed(doc)
    return p


def text_of(doc: str) -> str:
    """The document's visible text as a reader sees it: tags removed, entities decoded."""
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", doc)))


def test_the_report_holds_chart_table_trust_and_assumptions() -> None:
    doc = scenario_report(RESULT, [PUSH], CTX, BACKTEST, date(2026, 11, 26), "en")
    tags = parsed(doc)
    assert tags.tags.count("svg") == 1 and tags.tags.count("table") == 3  # levers, totals, backtest
    assert [h for h in re.findall(r"<h2>(.*?)</h2>", doc)] == [
        "Forecast per scenario", "Scenarios side by side", "What each scenario adds",
        "Would it have forecast the past? (backtest)", "What the forecast assumes"]
    text = text_of(doc)
    # subtitle: 3 days of 100 → baseline total USD 300; Spring push +10 % traffic → USD 330
    assert "Net sales, next 3 days from 2026-01-01, currency USD; baseline total USD 300." in text
    assert "Spring push: ads +10 % traffic" in text  # the assumption, as a sentence
    assert "Spring push 10 0 0 0 -1.50 × 1.1000" in text
    assert "Scenario Baseline total (USD) Scenario total (USD) Change (USD) Change %" in text
    assert "Spring push 300 330 30 +10.0%" in text
    # backtest: MAE 8 against the baseline's 10 → 20 % smaller
    assert "missed by 20% less than the baseline: it is worth using." in text
    assert "Method: Full model (Prophet); history used: 823 days; public holidays of: United States (US)." in text
    assert "No promotions are planned in the forecast period" in text
    assert "expects 80% of days to fall" in text
    assert "Made with Shoplens on 2026-11-26." in text
    # the chart draws both lines (baseline and scenario) and its band
    svg = doc[doc.index("<svg"):doc.index("</svg>")]
    assert "Baseline forecast" in svg and "Spring push" in svg


def test_every_table_of_the_report_fits_a_printed_page() -> None:
    """One table of all twelve columns ran off an A4 page and squeezed each note into a tall
    thin column: no table has more than seven columns, and no cell holds a sentence."""
    doc = scenario_report(RESULT, [PUSH, EVIL], CTX, BACKTEST, date(2026, 11, 26), "en")
    for table in re.findall(r"<table>.*?</table>", doc):
        header = re.search(r"<tr>(.*?)</tr>", table).group(1)
        assert header.count("<th") <= 7, text_of(header)
        assert "ads +10 % traffic" not in table


def test_the_report_is_self_contained_and_escapes_every_name() -> None:
    doc = scenario_report(RESULT, [PUSH, EVIL], CTX, BACKTEST, date(2026, 11, 26), "en")
    tags = parsed(doc)
    assert not {"script", "iframe", "img", "image", "link", "object", "embed", "foreignobject"} & set(tags.tags)
    assert not [a for a in tags.attrs if a[0].startswith("on") or a[0] in ("src", "href", "xlink:href")]
    assert "default-src 'none'" in doc  # the browser refuses anything the file did not carry
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in doc and "a &amp; b &lt;img src=x&gt;" in doc


def test_the_report_speaks_chinese_with_chinese_axes() -> None:
    doc = scenario_report(RESULT, [PUSH], CTX, BACKTEST, date(2026, 11, 26), "zh")
    assert '<html lang="zh-CN">' in doc
    assert "情景比较" in doc and "预测的前提" in doc and "由 Shoplens 于 2026-11-26 生成。" in doc
    svg = doc[doc.index("<svg"):doc.index("</svg>")]
    assert "日期" in svg  # the axis title, in the reader's language


def test_without_a_backtest_the_report_says_so() -> None:
    doc = scenario_report(RESULT, [PUSH], CTX, None, date(2026, 11, 26), "en")
    assert "No backtest could be run" in doc and parsed(doc).tags.count("table") == 2


def test_html_report_draws_sections_in_order_and_skips_empty_parts() -> None:
    chart = alt.Chart(pd.DataFrame({"x": [1, 2], "y": [3, 4]})).mark_line().encode(x="x:Q", y="y:Q")
    doc = html_report("T & co", "sub", [
        Section("One", ("first", ""), chart=chart),
        Section("Two", table=pd.DataFrame({"a": [1.5, float("nan")], "b": [None, "x<y"]})),
        Section("Three", table=pd.DataFrame()),
    ], "foot", "en")
    assert doc.index("<h2>One</h2>") < doc.index("<svg") < doc.index("<h2>Two</h2>") < doc.index("<h2>Three</h2>")
    assert "<title>T &amp; co</title>" in doc and doc.count("<p>") == 1  # the empty paragraph is left out
    # NaN and None empty; the first column is text, and so is a column of words
    assert ('<tr><td class="t">1.5</td><td class="t"></td></tr>'
            '<tr><td class="t"></td><td class="t">x&lt;y</td></tr>') in doc
    assert parsed(doc).tags.count("table") == 1  # an empty table is not drawn


def test_chart_svg_refuses_what_could_run(monkeypatch: pytest.MonkeyPatch) -> None:
    import vl_convert

    chart = alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x:Q")
    assert chart_svg(chart).lstrip().startswith("<svg")
    monkeypatch.setattr(vl_convert, "vegalite_to_svg", lambda *a, **k: '<svg><script>x()</script></svg>')
    with pytest.raises(ReportError):
        chart_svg(chart)


def test_a_scenario_named_like_a_link_is_drawn_with_its_name_escaped() -> None:
    """RELIABILITY D5: names are text in the chart (escaped by the renderer), never refused."""
    named = sc.Scenario("Plan B (see javascript: notes) <image> & href=\"http://x\"", WhatIf(traffic_pct=5))
    doc = scenario_report(RESULT, [PUSH, named], CTX, BACKTEST, date(2026, 11, 26), "en")
    svg = doc[doc.index("<svg"):doc.index("</svg>")]
    assert "Plan B (see javascript: notes) &lt;image&gt; &amp; href=&quot;http://x&quot;" in svg  # legend
    assert not {"image", "script"} & set(parsed(doc).tags)
    assert not [a for a in parsed(doc).attrs if a[0].startswith("on") or a[0] in ("src", "href", "xlink:href")]


@pytest.mark.parametrize("svg", [
    '<svg><script>x()</script></svg>',
    '<svg><SCRIPT>x()</SCRIPT></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"><g><script>x()</script></g></svg>',
    '<svg><foreignObject><div>x</div></foreignObject></svg>',
    '<svg><rect onerror="x()" width="1"/></svg>',
    '<svg><g ONLOAD="x()"/></svg>',
    '<svg xmlns:xlink="http://www.w3.org/1999/xlink"><image xlink:href="http://x.invalid/a.png"/></svg>',
    '<svg xmlns:xlink="http://www.w3.org/1999/xlink"><a xlink:href="javascript:x()"><text>t</text></a></svg>',
    '<svg><a href="https://x.invalid"><text>t</text></a></svg>',
    '<svg><use href="http://x.invalid/s.svg#a"/></svg>',
    '<svg><rect style="fill:url(http://x.invalid/p)"/></svg>',
    '<svg><rect fill="url( \'https://x.invalid/p\')"/></svg>',
    '<svg><set attributeName="href" to="javascript:x()"/></svg>',
    '<svg><style>@import "http://x.invalid/a.css";</style></svg>',
    '<svg><img src="x" /></svg>',
    '<svg><iframe/></svg>',
    '<?xml version="1.0"?><svg/>',
    '<html><svg/></html>',
    '<svg><g></svg>',
    '<svg></svg><script>x()</script>',
    '<svg><!DOCTYPE svg [<!ENTITY e "x">]><text>&e;</text></svg>',
])
def test_chart_svg_refuses_markup_that_could_run_or_load(monkeypatch: pytest.MonkeyPatch, svg: str) -> None:
    import vl_convert

    chart = alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x:Q")
    monkeypatch.setattr(vl_convert, "vegalite_to_svg", lambda *a, **k: svg)
    with pytest.raises(ReportError):
        chart_svg(chart)


def test_chart_svg_keeps_what_only_looks_like_code_in_text(monkeypatch: pytest.MonkeyPatch) -> None:
    """Text and aria-labels may say anything; references inside the image are fine."""
    import vl_convert

    svg = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
           '<defs><clipPath id="c1"><rect width="5" height="5"/></clipPath></defs>'
           '<g clip-path="url(#c1)" aria-label="Learn JavaScript: Basics; onload=x(); url(http://x)">'
           '<text>Learn JavaScript: Basics &lt;script&gt; href="http://x" &lt;image</text>'
           '<use xlink:href="#c1"/></g></svg>')
    chart = alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x:Q")
    monkeypatch.setattr(vl_convert, "vegalite_to_svg", lambda *a, **k: svg)
    assert chart_svg(chart) == svg


def test_table_numbers_read_like_numbers() -> None:
    import numpy as np
    from decimal import Decimal

    doc = html_report("T", "", [Section("N", table=pd.DataFrame({
        "what": ["a", "b", "c", "d", "e"],
        "n": [np.int64(12345), 655.0, 18.7, Decimal("1234.5"), 0.125]}))], "", "en")
    cells = re.findall(r"<td>(.*?)</td>", doc)
    assert cells == ["12,345", "655", "18.7", "1,234.5", "0.12"]  # to cents at most (half-even)


def test_columns_of_words_read_left_and_figures_right() -> None:
    table = pd.DataFrame({"Risk": ["R01", "R02"], "Owner": ["Tom Okafor", "Mara Lin"],
                          "Money": ["USD 1,234.50", "—"], "Change": ["−10.0%", "+5.0%"],
                          "Factor": ["× 1.1000", "× 0.9000"], "Days": ["17.6 h", "6 天"], "N": [3, 4]})
    doc = html_report("T", "", [Section("S", table=table)], "", "en")
    first_row = re.findall(r"<td( class=\"t\")?>", doc)[:7]
    assert [bool(m) for m in first_row] == [True, True, False, False, False, False, False]


def test_a_table_is_written_with_its_formats_and_its_numbers_read_right() -> None:
    from lib.table import PCT, Fmt, build_table, money

    # a numeric column whose written form the figure pattern would not know ('about 3 pcs')
    table = build_table(pd.DataFrame({"name": ["Tea", "Cup"], "sales": [12345.5, None], "share": [0.25, 0.75],
                                      "qty": [3, 40]}),
                        {"sales": money("USD"), "share": PCT, "qty": Fmt(0, prefix="about ", suffix=" pcs")},
                        str.capitalize)
    doc = html_report("T", "", [Section("S", table=table)], "", "en")
    cells = re.findall(r"<td( class=\"t\")?>(.*?)</td>", doc)
    assert [c for _, c in cells] == ["Tea", "USD 12,345.50", "25.0%", "about 3 pcs",
                                     "Cup", "—", "75.0%", "about 40 pcs"]
    assert [bool(t) for t, _ in cells[:4]] == [True, False, False, False]  # formatted: right-aligned
