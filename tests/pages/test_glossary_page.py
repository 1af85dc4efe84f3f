"""The Glossary page is generated from the catalogue: every KPI, in both languages, with how it
is computed; searchable."""
from __future__ import annotations

from pathlib import Path

from lib.metrics.catalogue import load_catalogue
from tests.pages.support import open_page

CAT = load_catalogue()


def test_every_kpi_has_an_entry_with_both_labels_and_its_definition(workspaces: Path) -> None:
    at = open_page("app_pages/glossary.py")
    assert not at.exception
    labels = [e.label for e in at.expander if " · " in e.label]
    assert len(labels) == len(CAT.ids) == 51
    assert "Average order value · 客单价" in labels
    assert [s.value for s in at.subheader][:6] == [
        "Sales", "Customers", "Profit", "Traffic & marketing", "Fulfilment", "Inventory"]
    assert at.caption[0].value == "KPIs shown: 51"
    text = [m.value for m in at.markdown]
    assert "**Formula:** (gross sales − discounts) ÷ orders" in text
    assert ("**Computation:** Ratio: the numerator and the denominator are each summed over the "
            "period (or group) first, then divided — never an average of daily or per-order "
            "ratios.") in text
    assert "**Needs:** orders; order line items; product costs" in text  # cogs
    assert "ID: `repeat_customer_rate` · Guide chapter: Ch. 1 §4 · Key operations data" in [
        c.value for c in at.caption]


def test_search_narrows_the_list(workspaces: Path) -> None:
    at = open_page("app_pages/glossary.py")
    at.text_input(key="glossary_search").set_value("cohort").run()
    assert not at.exception
    assert [e.label for e in at.expander if " · " in e.label] == ["Historical lifetime value · 历史客户终身价值"]
    assert at.caption[0].value == "KPIs shown: 1"
    at.text_input(key="glossary_search").set_value("refund").run()
    labels = {e.label.split(" · ")[0] for e in at.expander if " · " in e.label}
    assert {"Refunds", "Refund rate", "Refund documents", "Net sales"} <= labels
    assert "Sessions" not in labels
    at.text_input(key="glossary_search").set_value("客单价").run()  # Chinese works too
    labels = [e.label for e in at.expander if " · " in e.label]
    assert "Average order value · 客单价" in labels and len(labels) == 2  # + sales after discounts


def test_in_chinese_the_chinese_label_comes_first(workspaces: Path) -> None:
    at = open_page("app_pages/glossary.py")
    at.selectbox(key="lang").set_value("zh").run()
    assert not at.exception
    assert at.title[0].value == "术语表"
    assert "复购率 · Repeat customer rate" in [e.label for e in at.expander]
    assert at.caption[0].value == "显示 51 个 KPI"
