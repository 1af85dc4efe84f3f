"""The Pricing & promotions page under AppTest on the demo store.

Every figure the page shows is checked against lib (computed on the same workspace with the
filters the page used): the discount-code table against `discount_codes`, the what-if metrics
against `price_what_if`, the break-even volume against `breakeven_volume`. Also: Chinese, a
one-currency view without codes, an empty workspace, translated lib errors and a safe CSV."""
from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from lib import charts_pricing as cp
from lib import pricing
from lib.analysis import product_names
from lib.errors import ShoplensError
from lib.export_cli import to_csv
from lib.i18n import describe_error
from lib.metrics.filters import Filters
from lib.products import product_sales
from lib.scenario import ELASTICITY_RANGE
from lib.workspace import Workspace, open_workspace
from tests.demo_store import demo_copy, edited_demo_copy
from tests.pages.metrics_support import chart_specs, real_workspace
from tests.pages.support import metrics, open_page, rendered, shown_table_with
from tests.pages.support import shown as written

PAGE = "app_pages/pricing.py"
T = TypeVar("T")


def demo_page(workspaces: Path) -> AppTest:
    demo_copy(workspaces)
    return open_page(PAGE)


def with_demo(workspaces: Path, compute: Callable[[Workspace], T]) -> T:
    """`compute` on the page's workspace file (the app's cached connection is closed first;
    the next run reopens it)."""
    st.cache_resource.clear()
    ws = open_workspace(workspaces / "demo.duckdb", create=False)
    try:
        return compute(ws)
    finally:
        ws.close()


def page_filters(at: AppTest) -> Filters:
    filters = at.session_state["filters"]
    assert isinstance(filters, Filters) and filters.start is not None
    return filters


def usd(value: float) -> str:
    return f"USD {value:,.2f}"


def run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    return at


def test_the_code_table_is_discount_codes_for_the_page_filters(workspaces: Path) -> None:
    at = demo_page(workspaces)
    assert at.title[0].value == "Pricing & promotions"
    report = with_demo(workspaces, lambda ws: pricing.discount_codes(ws, page_filters(at)))
    assert report.currency == "USD" and report.excluded == ()
    table = written(at.dataframe[0])
    assert table["Discount code"].iloc[0] == "(no code)"  # the no-code row comes first
    numbers = at.dataframe[0].value  # what a click on a header sorts
    assert numbers["Orders"].tolist() == report.table["orders"].astype(float).tolist()
    expected = {("(no code)" if pd.isna(c) else c): f"{n:,}" for c, n in zip(report.table["code"], report.table["orders"])}
    assert dict(zip(table["Discount code"], table["Orders"])) == expected
    assert {"BFCM25", "SPRING15", "WELCOME10"} <= set(table["Discount code"])
    bfcm = table.set_index("Discount code").loc["BFCM25"]
    raw = report.table.set_index("code").loc["BFCM25"]
    assert bfcm["Discount rate"] == f"{raw['discount_rate']:.1%}" == "25.0%"
    assert bfcm["AOV"] == usd(raw["aov"])
    assert bfcm["AOV vs. no code"] == f"{raw['aov_vs_no_code']:+.1%}" and raw["aov_vs_no_code"] < 0
    assert table.set_index("Discount code").loc["(no code)", "AOV vs. no code"] == "—"
    assert "Orders from 2023-10-01 – 2025-12-31; money in USD." in [c.value for c in at.caption]
    assert at.get("download_button")[0].proto.label == "Download the discount-code table (CSV)"
    assert not at.info  # the period has codes
    assert len(at.get("vega_lite_chart")) == 2  # AOV per code, the break-even curve


def test_moving_the_price_slider_shows_what_price_what_if_computes(workspaces: Path) -> None:
    at = demo_page(workspaces)
    sales = with_demo(workspaces, lambda ws: product_sales(ws, page_filters(at)).table)
    top = sales["product"].iloc[0]
    assert at.selectbox(key="pr_product").value == top  # the top seller by default
    # each SKU with its name: a bare code says nothing to whoever sets its price
    name = with_demo(workspaces, lambda ws: product_names(ws, [top]))[top]
    assert name and name != top
    assert at.selectbox(key="pr_product").options[:2] == ["All products", f"{top} · {name}"]

    def shown(change: float, elasticity: float, rows: pd.DataFrame = sales[sales["product"] == top]) -> None:
        r = pricing.price_what_if(rows, change, elasticity)
        m = metrics(at)
        assert m["Revenue after"] == usd(r["revenue_after"].sum())
        assert m["Units after"] == f"{r['units_after'].sum():,.0f}"
        assert m["Margin after"] == usd(r["margin_after"].sum())

    shown(-10.0, -1.5)  # the defaults
    before = metrics(at)["Revenue after"]
    at.slider(key="pr_change").set_value(-20.0)
    run(at)
    shown(-20.0, -1.5)
    assert metrics(at)["Revenue after"] != before
    at.slider(key="pr_change").set_value(15.0)
    at.slider(key="pr_elasticity").set_value(-3.0)
    run(at)
    shown(15.0, -3.0)
    # All products: the same totals on the cards and in the table's last row.
    at.selectbox(key="pr_product").set_value("__all__")
    run(at)
    shown(15.0, -3.0, sales)
    table = written(at.dataframe[-1])
    assert len(table) == len(sales) + 1
    total = table.iloc[-1]
    all_after = pricing.price_what_if(sales, 15.0, -3.0)
    assert total["Product"] == "Total"
    assert total["Revenue after"] == usd(all_after["revenue_after"].sum())


def test_the_break_even_volume_is_breakeven_volume_of_the_inputs(workspaces: Path) -> None:
    at = demo_page(workspaces)
    sales = with_demo(workspaces, lambda ws: product_sales(ws, page_filters(at)).table)
    margin = at.number_input(key="pr_margin").value
    assert margin == round(float(sales["margin_rate"].iloc[0]) * 100, 1)  # the top seller's
    assert metrics(at)["Extra volume needed"] == f"{pricing.breakeven_volume(10, margin / 100):+.1%}"
    at.slider(key="pr_discount").set_value(20)
    at.number_input(key="pr_margin").set_value(40.0)
    run(at)
    assert metrics(at)["Extra volume needed"] == "+100.0%" == f"{pricing.breakeven_volume(20, 0.4):+.1%}"
    at.number_input(key="pr_margin").set_value(15.0)  # the discount eats the whole margin
    run(at)
    assert "Extra volume needed" not in metrics(at)
    assert [w.value for w in at.warning] == [
        "A 20.0% discount takes the whole margin (15.0%): no extra volume can make up for it."]
    # All products: the default becomes the shop's margin rate over costed products.
    at.selectbox(key="pr_product").set_value("__all__")
    run(at)
    shop = pricing.overall_margin_rate(sales)
    assert shop is not None and at.number_input(key="pr_margin").value == round(shop * 100, 1)


def test_the_page_in_chinese(workspaces: Path) -> None:
    at = demo_page(workspaces)
    at.selectbox(key="lang").set_value("zh")
    run(at)
    assert at.title[0].value == "定价与促销"
    table = at.dataframe[0].value
    assert table.columns[0] == "优惠码" and table.iloc[0, 0] == "（未使用优惠码）"
    assert "BFCM25" in table["优惠码"].tolist()
    assert {"调价后销售额", "所需销量增幅"} <= set(metrics(at))


def test_one_currency_without_codes_and_the_left_out_currency(workspaces: Path) -> None:
    at = demo_page(workspaces)
    currency = next(s for s in at.selectbox if s.key and s.key.startswith("currency_"))
    convert = next(t for t in at.toggle if t.key and t.key.startswith("convert_"))
    currency.set_value("CNY")
    convert.set_value(False)
    run(at)
    assert [w.value for w in at.warning] == [
        "Orders in USD are left out: they cannot be shown in CNY. Enter exchange rates in the "
        "sidebar to include them."]
    assert [i.value for i in at.info] == [
        "No discount codes were used in this period: every order was placed without one."]
    report = with_demo(workspaces, lambda ws: pricing.discount_codes(ws, page_filters(at)))
    assert written(at.dataframe[0])["Orders"].tolist() == [f"{n:,}" for n in report.table["orders"]]
    assert report.currency == "CNY" and report.table["code"].isna().all()
    assert len(at.get("vega_lite_chart")) == 1  # no code chart, only the break-even curve


def test_an_empty_workspace_shows_the_no_orders_notice(workspaces: Path) -> None:
    at = open_page(PAGE)
    assert at.title[0].value == "Pricing & promotions"
    assert [i.value for i in at.info] == ["No orders for these filters yet. Load an export on the Data page."]
    assert not at.error and not at.dataframe and not at.metric


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_pricing_errors_are_translated_with_the_ranges_lib_uses(lang: str) -> None:
    calls = (lambda: pricing.volume_factor(150.0, -1.0), lambda: pricing.volume_factor(-10.0, 2.0),
             lambda: pricing.breakeven_volume(100.0, 0.5), lambda: pricing.breakeven_volume(10.0, float("nan")))
    texts = []
    for call in calls:
        with pytest.raises(ShoplensError) as err:
            call()
        texts.append(describe_error(err.value, lang))
    assert all(not x.startswith(("Something went wrong", "出现问题")) for x in texts), texts
    lo, hi = pricing.PRICE_CHANGE_RANGE
    assert f"{lo:g}" in texts[0] and f"{hi:g}" in texts[0] and "150" in texts[0]
    e_lo, e_hi = ELASTICITY_RANGE
    assert f"{e_lo:g}" in texts[1] and f"{e_hi:g}" in texts[1] and "2" in texts[1]
    assert "100" in texts[2]
    assert "nan" in texts[3] and texts[3] != texts[2]  # its own message, not the discount's


def test_the_csv_export_is_numbers_with_formula_cells_disarmed() -> None:
    table = pd.DataFrame({"code": [None, "=HYPERLINK(\"x\")"], "orders": [9, 1], "order_share": [0.9, 0.1],
                          "customers": [8, 1], "first_order_share": [0.5, 1.0], "gross": [90.0, 10.0],
                          "discounts": [0.0, 1.0], "discount_rate": [0.0, 0.1], "net": [90.0, 9.0],
                          "aov": [10.0, 9.0], "aov_vs_no_code": [0.0, -0.1], "refund_rate": [0.0, 0.0]})
    back = pd.read_csv(io.StringIO(to_csv(cp.code_export(table, "USD", "en"))))
    assert back["code"].tolist() == ["(no code)", "'=HYPERLINK(\"x\")"]
    assert back["currency"].tolist() == ["USD", "USD"] and back["orders"].tolist() == [9, 1]


def test_the_charts_mark_the_reference_and_the_choice() -> None:
    table = pd.DataFrame({"code": [None, "SAVE10"], "orders": [9, 1], "aov": [50.0, 45.0],
                          "aov_vs_no_code": [0.0, -0.1], "discount_rate": [0.0, 0.1]})
    bars, rule = cp.code_chart(table, "USD", "en").layer
    assert bars.data["label"].tolist() == ["(no code)", "SAVE10"]
    assert rule.data["aov"].tolist() == [50.0]  # the rule sits at the no-code AOV
    curve = cp.breakeven_curve(0.4)
    assert curve["discount"].iloc[[0, -1]].tolist() == [0.0, 50.0]
    assert curve.set_index("discount").loc[20.0, "extra"] == pytest.approx(1.0)
    assert curve.loc[curve["discount"] >= 40, "extra"].isna().all()  # never pays for itself
    line, mark_rule, point = cp.breakeven_chart(0.4, 20, "en").layer
    assert point.data["extra"].tolist() == [pytest.approx(1.0)] and mark_rule.data["discount"].tolist() == [20.0]
    assert len(cp.breakeven_chart(0.4, 45, "en").layer) == 2  # no point where none exists


def test_the_chart_draws_the_codes_most_used_and_says_the_table_has_all(workspaces: Path,
                                                                        tmp_path: Path) -> None:
    """The real pet-store export has 69 codes, half used once: a bar each made the chart
    2,000 px tall. It draws the no-code bar and the 15 codes most used."""
    real_workspace("petstore", tmp_path, workspaces)
    at = open_page(PAGE)
    assert not at.exception
    assert "The chart shows the 15 codes used most; the table lists all 69." in [c.value for c in at.caption]
    bars = next(s for s in chart_specs(at)
                if s.get("layer") and s["layer"][0]["encoding"]["y"].get("field") == "label")
    labels = [r["label"] for r in bars["datasets"][bars["layer"][0]["data"]["name"]]]
    assert len(labels) == 16 and labels[:3] == ["(no code)", "MOM20", "save15"]
    assert len(shown_table_with(at, "Discount code")) == 70  # the table: no code and all 69


def test_past_promotions_estimate_the_elasticity_and_set_the_slider(workspaces: Path) -> None:
    """On request, each past promotion's extra units (a units forecast without it) ÷ its
    discount gives the elasticity it implies; pooled, larger promotions weigh more; 'Use' puts
    the estimate into the what-if slider (checked against the table's own figures: the lifts
    themselves are lib.forecast.lift's, tested there)."""
    at = demo_page(workspaces)
    assert at.slider(key="pr_elasticity").value == -1.5
    assert not any("imply a price elasticity" in m.value for m in at.markdown)  # not before asked
    at.button(key="pr_elasticity_resp_run").click()
    run(at)
    table = next(d.value for d in at.dataframe if "Implied elasticity" in d.value.columns)
    # the USD shop's 11 past promotions: one without history before it, and BFCM 2023 and Iced
    # Tea Summer 2024, where Black Friday and Prime Day fell for the first time, are left out
    assert len(table) == 8 and "Black Friday / Cyber Monday 2023" not in table["Promotion"].tolist()
    assert any(c.value.startswith("Left out: Black Friday / Cyber Monday 2023, Iced Tea Summer —")
               for c in at.caption)
    implied = -table["Extra units"] / table["Units without it"] / (table["Discount"] / 100)
    assert implied.round(2).tolist() == pytest.approx(table["Implied elasticity"].tolist(), abs=0.011)
    pooled = -table["Extra units"].sum() / (table["Discount"] / 100 * table["Units without it"]).sum()
    sentence = next(m.value for m in at.markdown if "imply a price elasticity" in m.value)
    assert f"**{pooled:.1f}**" in sentence and "from 8 promotions" in sentence
    at.button(key="pr_elasticity_resp_use").click()
    run(at)
    assert at.slider(key="pr_elasticity").value == pytest.approx(round(pooled, 1))
    assert "Implied elasticity" in next(d.value for d in at.dataframe if "Implied elasticity" in d.value.columns)


def test_a_promotion_name_written_as_markdown_is_left_out_as_typed(workspaces: Path) -> None:
    """RELIABILITY D7: promotion names come from files; the 'left out' caption shows them
    literally (escaped for Streamlit's markdown)."""
    hostile = "**Iced** [x](javascript:alert(1))"
    edited_demo_copy(workspaces, ("UPDATE promotions SET name = ? WHERE promo_id = 'P05'", [hostile]))
    at = open_page(PAGE)
    at.button(key="pr_elasticity_resp_run").click()
    run(at)
    [left_out] = [c.value for c in at.caption if c.value.startswith("Left out: ")]
    assert left_out.startswith("Left out: Black Friday / Cyber Monday 2023, "
                               "\\*\\*Iced\\*\\* \\[x\\](javascript\\:alert(1)) — a festival")
    assert rendered(left_out).startswith(f"Left out: Black Friday / Cyber Monday 2023, {hostile} — ")
