"""Every table on every page, opened in Chinese on the demo store, has Chinese headers: a
DataFrame column name from the code (`gross_sales`, `name`) is text a reader sees, and the
literal scan of the pages cannot find it (it is data, not a string in the source). Found the
Analysis page's product, mover and currency tables headed with code names. Its charts too:
Vega formats a date axis or tooltip left to itself with English month names ('October',
'Oct 01, 2023'), which the Operations, Team, Forecast and Overview charts showed in Chinese."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.demo_store import demo_copy
from tests.pages.metrics_support import chart_specs
from tests.pages.support import APP

PAGES = ("overview", "operations", "analysis", "forecast", "customers", "products", "pricing",
         "risk", "team", "scenarios", "data", "glossary")
# Headers that are the same in Chinese: abbreviations a Chinese shop uses as they are, and the
# RFM grid's frequency scores.
SAME_IN_CHINESE = {"KPI", "SKU", "F1", "F2", "F3", "F4", "F5"}
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("page", PAGES)
def test_every_table_header_and_chart_reads_chinese_in_chinese(workspaces: Path, page: str) -> None:
    demo_copy(workspaces)
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.session_state["lang"] = "zh"
    at.switch_page(f"app_pages/{page}.py")
    at.run()
    assert not at.exception, at.exception
    untranslated = {str(c) for df in at.dataframe for c in df.value.columns
                    if not CJK.search(str(c))} - SAME_IN_CHINESE
    assert not untranslated, untranslated
    assert [problem for spec in chart_specs(at) for problem in _chart_problems(spec)] == []


def _chart_problems(spec: dict, inherited: dict | None = None) -> list[str]:
    """What a Chinese reader of this chart would see in English: a date axis or tooltip left
    to Vega's own format (English month names: 'October', 'Oct 01, 2023'), or a title that
    is not Chinese. A layer inherits the axes of the layers beside it (they share them)."""
    problems: list[str] = []
    encoding = spec.get("encoding", {})
    shared = dict(inherited or {})
    for layer in spec.get("layer", ()):
        for channel in ("x", "y"):
            enc = layer.get("encoding", {}).get(channel)
            if isinstance(enc, dict) and (enc.get("axis") or {}).get("format"):
                shared[channel] = enc
    for channel, enc in encoding.items():
        for item in enc if isinstance(enc, list) else [enc]:
            if not isinstance(item, dict):
                continue
            if item.get("type") == "temporal":
                if channel == "tooltip":
                    formatted = bool(item.get("format"))
                else:  # an axis: hidden (None), its own format, or a sibling layer's
                    axis = item.get("axis", {})
                    formatted = axis is None or bool((axis or {}).get("format")) or (
                        "axis" not in item and channel in shared)
                if not formatted:
                    problems.append(f"{channel} {item.get('field')}: no date format")
            title = item.get("title")
            if isinstance(title, str) and title.strip() and not CJK.search(title) \
                    and not re.fullmatch(r"[A-Z]{3}|[A-Z0-9 ]+", title.strip()):
                problems.append(f"{channel} title {title!r}")
    for layer in spec.get("layer", ()):
        problems += _chart_problems(layer, shared)
    return problems
