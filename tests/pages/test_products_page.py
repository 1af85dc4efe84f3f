"""The Products & inventory page under AppTest: ABC classes, the Pareto chart and the per-product
table as lib/products.py computes them for the page's own filters, the inventory plan with the
demo's planted stock-out (LL-LIN-004) and its reorder point per service level, translated errors
and labels, an empty workspace, mixed currencies, and a hand-computed inventory from uploads."""
from __future__ import annotations

import json
from datetime import date

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from lib import charts_products as cp
from lib import products as pr
from lib.i18n import fmt_pct
from lib.workspace import Workspace, open_workspace
from tests.demo_store import demo_copy
from tests.pages.metrics_support import chart_specs, real_workspace
from tests.pages.support import SHOPIFY, open_page, shown_table_with, upload

PAGE = "app_pages/products.py"
NO_ORDERS = "No orders for these filters yet. Load an export on the Data page."
NO_STOCK = "No product has both stock on hand and a lead time, so there is no inventory plan yet."


@contextmanager
def lib_workspace(folder: Path) -> Iterator[Workspace]:
    """A private copy of the demo for lib's side of a comparison (never the app's file)."""
    ws = open_workspace(demo_copy(folder, "lib_side"), create=False)
    try:
        yield ws
    finally:
        ws.close()


def table_with(at: AppTest, header: str) -> pd.DataFrame:
    """The first table on the page with a column `header`."""
    found = [d.value for d in at.dataframe if header in d.value.columns]
    assert found, (header, [list(d.value.columns) for d in at.dataframe])
    return found[0]


def has_table_with(at: AppTest, header: str) -> bool:
    return any(header in d.value.columns for d in at.dataframe)


@pytest.fixture
def demo_page(workspaces: Path) -> AppTest:
    demo_copy(workspaces)
    at = open_page(PAGE)
    assert not at.error
    return at


# -- ABC ----------------------------------------------------------------------------------------
def test_abc_classes_chart_and_table_are_lib_s_for_the_page_filters(demo_page: AppTest, tmp_path: Path) -> None:
    at = demo_page
    filters = at.session_state["filters"]
    with lib_workspace(tmp_path) as ws:
        sales = pr.product_sales(ws, filters)
    ranked = pr.abc(sales.table)
    summary = pr.abc_summary(ranked)
    classes = table_with(at, "Share of products")
    assert classes["Class"].tolist() == ["A", "B", "C"]
    assert classes["Products"].tolist() == summary["products"].tolist() == [18, 22, 20]
    # numbers (they sort as numbers), written as the reader expects
    assert classes["Share of sales"].tolist() == (100 * summary["gross_share"]).round(1).tolist()
    written = shown_table_with(at, "Share of products")
    assert written["Share of sales"].tolist() == [fmt_pct(v) for v in summary["gross_share"]]
    assert written["Gross sales"].iloc[0] == f"USD {summary['gross'].iloc[0]:,.2f}"
    assert "Amounts in USD." in [c.value for c in at.caption]
    products = table_with(at, "Rank")
    assert len(products) == len(ranked) == 60
    top = products.iloc[0]
    assert (top["Product"], top["Name"], top["Class"]) == ("LL-TEA-001", "Jasmine Dragon Pearls", "A")
    assert top["Gross sales (USD)"] == round(ranked["gross"].iloc[0], 2)
    assert top["Share of sales (%)"] == round(100 * ranked["share"].iloc[0], 2)
    assert products["Class"].tolist() == ranked["abc"].tolist()
    assert products["Margin rate (%)"].tolist() == (100 * ranked["margin_rate"]).round(1).tolist()
    # numbers stay numbers (a header click sorts them as numbers) and show with separators
    config = json.loads(next(d for d in at.dataframe if "Rank" in d.value.columns).proto.columns)
    assert config["Gross sales (USD)"]["type_config"] == {"type": "number", "format": "%,.2f"}
    assert config["Units"]["type_config"] == {"type": "number", "format": "%,d"}
    assert "Name" not in config and products["Units"].dtype.kind in "if"
    pareto = chart_specs(at)[0]
    rows = next(iter(pareto["datasets"].values()))
    assert [r["product"] for r in rows] == ranked["product"].head(cp.PARETO_TOP).tolist()
    assert [r["abc"] for r in rows] == ranked["abc"].head(cp.PARETO_TOP).tolist()
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Download products with ABC classes (CSV)", "Download the full inventory plan (CSV)"]


def test_the_a_share_moves_products_between_classes_and_a_bad_pair_is_refused(
        demo_page: AppTest, tmp_path: Path) -> None:
    at = demo_page
    at.number_input(key="products_a_share").set_value(50).run()
    assert not at.exception and not at.error
    with lib_workspace(tmp_path) as ws:
        sales = pr.product_sales(ws, at.session_state["filters"])
    expected = pr.abc_summary(pr.abc(sales.table, 0.5, 0.95))["products"].tolist()
    assert table_with(at, "Share of products")["Products"].tolist() == expected
    assert expected[0] < 18  # fewer products make the first half of sales
    assert "A: the few products that bring the first 50.0% of gross sales." in at.markdown[0].value
    at.number_input(key="products_a_share").set_value(96).run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "The A share (96%) must be below the A + B share (95%), both above 0 % and below 100 %."]
    assert not has_table_with(at, "Share of products")
    assert "LL-LIN-004" in table_with(at, "Reorder point")["SKU"].tolist()  # the other tab still works


# -- inventory ----------------------------------------------------------------------------------
def average_demand(at: AppTest) -> AppTest:
    """Demand ahead = the window's average (the hand-checked figures below are for it)."""
    assert at.radio(key="products_demand").value == "forecast"  # the default
    at.radio(key="products_demand").set_value("average").run()
    assert not at.exception and not at.error
    assert not [c for c in at.caption if c.value.startswith("Demand ahead follows")]
    return at


def test_the_planted_stock_out_heads_the_reorder_list(demo_page: AppTest, tmp_path: Path) -> None:
    at = average_demand(demo_page)
    with lib_workspace(tmp_path) as ws:
        plan = pr.inventory_plan(ws, at.session_state["filters"]).set_index("sku")
    reorder = table_with(at, "Reorder point")
    assert reorder["SKU"].tolist() == ["LL-LIN-004"] == plan.index[plan["status"] == "reorder"].tolist()
    row, lib_row = reorder.iloc[0], plan.loc["LL-LIN-004"]
    assert row["Units on hand"] == 105 and row["Lead time (days)"] == 30
    assert row["Reorder point"] == round(lib_row["reorder_point"], 1) == 655.0
    assert row["Safety stock (calc.)"] == round(lib_row["safety_stock_calc"], 1)
    assert row["Safety stock (file)"] == 133
    assert row["Order quantity"] == lib_row["order_qty"] == 812
    summary = table_with(at, "SKUs")
    assert dict(zip(summary["Status"], summary["SKUs"])) == {
        "Reorder now": 1, "OK": 59, "Overstock": 0, "Dead stock": 0}
    cover = next(iter(chart_specs(at)[1]["datasets"].values()))
    assert len(cover) == cp.COVER_TOP and cover[0]["sku"] == "LL-LIN-004"
    assert cover[0]["lead_time_days"] == 30 and cover[0]["status_name"] == "Reorder now"


def test_a_higher_service_level_raises_the_reorder_point(demo_page: AppTest, tmp_path: Path) -> None:
    at = average_demand(demo_page)
    before = table_with(at, "Reorder point").set_index("SKU").loc["LL-LIN-004", "Reorder point"]
    at.select_slider(key="products_service_level").set_value(0.99).run()
    assert not at.exception and not at.error
    with lib_workspace(tmp_path) as ws:
        plan = pr.inventory_plan(ws, at.session_state["filters"], service_level=0.99)
    shown = table_with(at, "Reorder point").set_index("SKU")
    expected = cp.status_rows(plan, "reorder")
    assert shown.index.tolist() == expected["sku"].tolist()
    assert len(shown) > 1  # at 99 % more SKUs fall to their (higher) reorder point
    after = shown.loc["LL-LIN-004", "Reorder point"]
    lib_after = plan.set_index("sku").loc["LL-LIN-004", "reorder_point"]
    assert after == round(lib_after, 1) == 694.0 and after > before


def test_demand_ahead_follows_the_forecast_by_default(demo_page: AppTest, tmp_path: Path) -> None:
    """As of 31 Oct 2025, 11.11 and Black Friday lie ahead: the forecast raises lead-time
    demand above the window's average and puts more SKUs on the reorder list; the plan is
    lib's with the same outlook."""
    at = demo_page
    at.date_input[0].set_value((date(2025, 8, 1), date(2025, 10, 31))).run()
    assert not at.exception and not at.error
    filters = at.session_state["filters"]
    with lib_workspace(tmp_path) as ws:
        outlook = pr.demand_outlook(ws, filters, 90, 14)
        plan = pr.inventory_plan(ws, filters, outlook=outlook)
        average = pr.inventory_plan(ws, filters)
    assert outlook is not None and outlook.last_day == date(2025, 10, 31)
    assert outlook.mean_factor(0, 30) > 1.2
    assert {"double_11", "black_friday"} <= set(outlook.festivals)
    assert outlook.festivals.index("double_11") < outlook.festivals.index("black_friday")  # by date
    (caption,) = [c.value for c in at.caption if c.value.startswith("Demand ahead follows")]
    assert caption == cp.outlook_caption(outlook, "en")
    assert caption.startswith("Demand ahead follows the shop's units forecast after 2025-10-31: the "
                              f"next 30 days at {outlook.mean_factor(0, 30):.1%} of the last 90 days' average.")
    reorder = table_with(at, "Reorder point")
    expected = cp.status_rows(plan, "reorder")
    assert reorder["SKU"].tolist() == expected["sku"].tolist()
    assert reorder["Demand over lead time"].tolist() == [round(v, 1) for v in expected["lead_time_demand"]]
    assert reorder["Order quantity"].tolist() == expected["order_qty"].tolist()
    assert len(reorder) > (average["status"] == "reorder").sum()


def test_chinese_labels_and_errors(demo_page: AppTest, tmp_path: Path) -> None:
    at = demo_page
    at.selectbox(key="lang").set_value("zh").run()
    assert not at.exception
    assert at.title[0].value == "商品与库存"
    assert [t.label for t in at.tabs] == ["ABC 分类", "库存与补货"]
    assert at.radio(key="products_demand").options == ["按预测", "近期平均"]
    summary = table_with(at, "SKU 数")
    assert summary["状态"].tolist() == ["需补货", "正常", "库存积压", "呆滞库存"]
    with lib_workspace(tmp_path) as ws:  # demand follows the forecast (the default)
        filters = at.session_state["filters"]
        plan = pr.inventory_plan(ws, filters, outlook=pr.demand_outlook(ws, filters))
    assert table_with(at, "再订货点")["建议补货量"].tolist() == cp.status_rows(plan, "reorder")["order_qty"].tolist()
    (zh,) = [c.value for c in at.caption if c.value.startswith("未来需求按 2025-12-31 之后的全店销量预测")]
    assert zh.endswith("期间包括：春节：物流放缓。")  # the festival's Chinese name
    at.number_input(key="products_b_share").set_value(70).run()
    assert [e.value for e in at.error] == [
        "A 类占比（80%）必须低于 A + B 类累计占比（70%），且两者都须大于 0% 小于 100%。"]


# -- other workspaces ---------------------------------------------------------------------------
def test_an_empty_workspace_says_what_is_missing(workspaces: Path) -> None:
    ws = open_workspace(workspaces / "default.duckdb")
    try:
        assert not pr.orders_without_lines(ws)  # no orders at all: not 'orders without lines'
    finally:
        ws.close()
    at = open_page(PAGE)
    assert not at.exception and not at.error
    assert [i.value for i in at.info] == [NO_ORDERS, NO_STOCK]
    assert not at.dataframe and not at.get("vega_lite_chart")


def test_a_products_export_without_orders_or_lead_times(workspaces: Path, tmp_path: Path) -> None:
    """The real Shopify products export (2,152 variants, no stock column, no lead times)."""
    real_workspace("products", tmp_path, workspaces)
    at = open_page(PAGE)
    assert not at.exception and not at.error
    assert [i.value for i in at.info] == [NO_ORDERS, NO_STOCK]
    assert any(c.value.startswith("Stock on hand comes from a products export") for c in at.caption)


def test_orders_without_product_lines_say_so_not_no_orders(workspaces: Path, tmp_path: Path) -> None:
    """Etsy's Sold Orders: 4,495 orders, one row each, no items. The page said 'No orders for
    these filters yet' beside an Overview of 4,495 orders; it now says what is missing."""
    real_workspace("etsy", tmp_path, workspaces)
    ws = open_workspace(workspaces / "default.duckdb")
    try:
        assert pr.orders_without_lines(ws) and pr.product_sales(ws).table.empty
    finally:
        ws.close()
    at = open_page(PAGE)
    assert not at.exception and not at.error
    assert at.info[0].value.startswith("These orders have no product lines")
    assert NO_ORDERS not in [i.value for i in at.info]


EUR = SHOPIFY.replace(",USD,", ",EUR,").replace("#100", "#200").replace("2024-01-0", "2024-03-0")
# Per currency file: W-1 sells 2 + 1 units (days 5 and 6), G-1 1 + 1 (days 5 and 7, the second
# refunded but still sold); the EUR file repeats them in March.
INVENTORY = """\
sku,name,category,unit_cost,price,stock_on_hand,lead_time_days,supplier,safety_stock
W-1,Widget,Widgets,6.00,15.00,1,10,Acme,2
G-1,Gadget,Gadgets,4.00,10.00,50,5,Acme,1
X-9,Spare part,Parts,3.00,9.00,10,7,Acme,
"""


def test_mixed_currencies_leave_one_out_and_an_inventory_upload_fills_the_plan(workspaces: Path) -> None:
    """Money in EUR (the sidebar's default here), USD left out with a warning. Inventory counts
    units in every currency over the 90 days to the last order (7 Mar 2024), so January and
    March both count. W-1: 2, 1, 2, 1 units on four days → daily 6/90, σ² = (10 − 90 × (6/90)²)
    / 89, σ = 0.3284; safety stock = 1.6449 × σ × √10 = 1.708; reorder point = 10 × 6/90 + 1.708
    = 2.375 ≥ stock 1 → reorder ⌈2.375 + 14 × 6/90 − 1⌉ = 3. G-1: 50 units at 4/90 a day =
    1,125 days of cover → overstock. X-9 never sold → dead stock, 10 × 3.00 at cost."""
    at = upload(open_page("app_pages/data.py"), ("usd.csv", SHOPIFY.encode()), ("eur.csv", EUR.encode()),
                ("inventory.csv", INVENTORY.encode()))
    at.switch_page(PAGE)
    at.run()
    assert not at.exception and not at.error
    at = average_demand(at)
    assert [w.value for w in at.warning] == [
        "Orders in USD are left out: they are not in EUR and have no exchange rate (enter one in "
        "the sidebar) or conversion is off."]
    abc_summary = table_with(at, "Share of products")
    assert abc_summary["Products"].tolist() == [2, 0, 0]
    assert shown_table_with(at, "Share of products")["Gross sales"].tolist() == ["EUR 70.00", "EUR 0.00", "EUR 0.00"]
    plan = table_with(at, "SKUs")
    assert dict(zip(plan["Status"], plan["SKUs"])) == {"Reorder now": 1, "OK": 0, "Overstock": 1, "Dead stock": 1}
    reorder = table_with(at, "Reorder point")
    assert reorder[["SKU", "Units on hand", "Reorder point", "Order quantity"]].values.tolist() == [
        ["W-1", 1, 2.4, 3]]
    assert reorder["Safety stock (calc.)"].iloc[0] == 1.7 and reorder["Safety stock (file)"].iloc[0] == 2
    dead = table_with(at, "Supplier")
    # costs without a currency are in the workspace's main one (EUR here), so the value is named
    assert dead[["SKU", "Units on hand", "Stock value at cost (EUR)"]].values.tolist() == [["X-9", 10, 30.0]]
    assert table_with(at, "Turns a year")["SKU"].tolist() == ["G-1"]


# -- the charts module on its own -----------------------------------------------------------------
def test_the_pareto_chart_draws_the_top_products_and_the_line_counts_all() -> None:
    n = 250
    sales = pd.DataFrame({"product": [f"P{i:03d}" for i in range(n)], "category": "x",
                          "units": 1.0, "gross": [float(n - i) for i in range(n)]})
    ranked = pr.abc(sales)
    spec = cp.pareto_chart(ranked, {}, "USD").to_dict()
    rows = next(iter(spec["datasets"].values()))
    assert len(rows) == cp.PARETO_TOP
    assert rows[-1]["cum_share"] == pytest.approx(ranked["cum_share"].iloc[cp.PARETO_TOP - 1])
    assert rows[-1]["cum_share"] < 0.5  # the long tail is not drawn but still counted
    assert spec["resolve"] == {"scale": {"y": "independent"}}
