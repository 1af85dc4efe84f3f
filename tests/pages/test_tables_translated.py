"""Every table on every page, opened in Chinese on the demo store, has Chinese headers: a
DataFrame column name from the code (`gross_sales`, `name`) is text a reader sees, and the
literal scan of the pages cannot find it (it is data, not a string in the source). Found the
Analysis page's product, mover and currency tables headed with code names."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.demo_store import demo_copy
from tests.pages.support import APP

PAGES = ("overview", "operations", "analysis", "forecast", "customers", "products", "pricing",
         "risk", "team", "scenarios", "data", "glossary")
# Headers that are the same in Chinese: abbreviations a Chinese shop uses as they are, and the
# RFM grid's frequency scores.
SAME_IN_CHINESE = {"KPI", "SKU", "F1", "F2", "F3", "F4", "F5"}
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("page", PAGES)
def test_every_table_header_is_chinese_in_chinese(workspaces: Path, page: str) -> None:
    demo_copy(workspaces)
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.session_state["lang"] = "zh"
    at.switch_page(f"app_pages/{page}.py")
    at.run()
    assert not at.exception, at.exception
    untranslated = {str(c) for df in at.dataframe for c in df.value.columns
                    if not CJK.search(str(c))} - SAME_IN_CHINESE
    assert not untranslated, untranslated
