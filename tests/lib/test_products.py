"""Products & inventory: sales per product, ABC classes, margins, reorder points, checked by
hand on a small workspace, and against the catalogue on the demo store.

Sales fixture (source "s", channel "web", USD unless noted), one order per line:
  P1 5 × 10.00 (unit cost 2.00), P2 3 × 10.00 (no cost), P3 1 × 15.00 (cost 5.00),
  P4 an order of 1 × 5.00 in EUR (rate 1.1 USD per EUR), and a cancelled order of P1.
Inventory fixture (the last day of data is 2024-03-10; window 7 days = 03-04 … 03-10):
  S1 3 units every day, stock 40, lead time 5     S2 7 units on two days, stock 10, lead 4
  S3 no sale, stock 50                            S4 3 units every day, stock 1000
"""
from __future__ import annotations

import math
from datetime import date, timedelta
from pathlib import Path

import pytest

from lib import products as pr
from lib.errors import ShoplensError
from lib.metrics.engine import compute
from lib.metrics.filters import Filters
from lib.workspace import Workspace, open_workspace


def build(tmp_path: Path, orders: list[tuple], lines: list[tuple], products: list[tuple],
          rates: dict[str, float] | None = None) -> Workspace:
    """orders (order_id, day, status, currency); lines (order_id, sku, quantity, unit price);
    products (sku, unit cost, stock, lead time)."""
    ws = open_workspace(tmp_path / "products.duckdb")
    with ws.transaction() as cur:
        cur.executemany(
            "INSERT INTO orders (source, order_id, kind, channel, customer_id, created_at, "
            "order_date, status, currency, batch_id) VALUES ('s', ?, 'sale', 'web', 'c', "
            "CAST(? || ' 12:00+00' AS TIMESTAMPTZ), ?, ?, ?, 1)",
            [(o, d, d, st, c) for o, d, st, c in orders])
        cur.executemany(
            "INSERT INTO order_lines (source, order_id, line_no, line_type, sku, quantity, "
            "unit_price, currency, batch_id) VALUES ('s', ?, 1, 'product', ?, ?, ?, 'USD', 1)", lines)
        cur.executemany(
            "INSERT INTO products (sku, name, unit_cost, currency, stock_on_hand, lead_time_days, "
            "batch_id) VALUES (?, ?, ?, 'USD', ?, ?, 1)", [(s, s, c, st, lt) for s, c, st, lt in products])
        for ccy, rate in (rates or {}).items():
            cur.execute("INSERT INTO fx_rates (currency, rate_to_usd, batch_id) VALUES (?, ?, 1)", [ccy, rate])
    return ws


@pytest.fixture
def sales_ws(tmp_path: Path) -> Workspace:
    orders = [("O1", "2024-01-02", "paid", "USD"), ("O2", "2024-01-03", "paid", "USD"),
              ("O3", "2024-01-04", "paid", "USD"), ("O4", "2024-01-05", "paid", "EUR"),
              ("O5", "2024-01-06", "cancelled", "USD")]
    lines = [("O1", "P1", 5, 10), ("O2", "P2", 3, 10), ("O3", "P3", 1, 15), ("O4", "P4", 1, 5),
             ("O5", "P1", 9, 10)]
    products = [("P1", 2.0, None, None), ("P2", None, None, None), ("P3", 5.0, None, None)]
    return build(tmp_path, orders, lines, products, rates={"EUR": 1.1})


def test_sales_per_product_convert_and_cost_by_hand(sales_ws: Workspace) -> None:
    sales = pr.product_sales(sales_ws, Filters(currency="USD"))
    assert sales.currency == "USD" and sales.excluded == ()
    rows = {r["product"]: r for r in sales.table.to_dict("records")}
    assert {k: (v["units"], round(v["gross"], 6), v["orders"]) for k, v in rows.items()} == {
        "P1": (5.0, 50.0, 1), "P2": (3.0, 30.0, 1), "P3": (1.0, 15.0, 1), "P4": (1.0, 5.5, 1)}
    assert rows["P1"]["cogs"] == 10.0 and rows["P1"]["margin_rate"] == pytest.approx(0.8)
    assert math.isnan(rows["P2"]["cogs"]) and math.isnan(rows["P2"]["margin"])  # no cost: no margin
    only = pr.product_sales(sales_ws, Filters(currency="USD", convert=False))
    assert only.excluded == ("EUR",) and "P4" not in set(only.table["product"])


def test_abc_classes_by_cumulative_share(sales_ws: Workspace) -> None:
    ranked = pr.abc(pr.product_sales(sales_ws, Filters(currency="USD", convert=False)).table)
    # 50, 30, 15 of 95: shares before each 0, 0.526, 0.842 -> A, A, B (0.842 >= 0.8)
    assert list(ranked["product"]) == ["P1", "P2", "P3"]
    assert list(ranked["abc"]) == ["A", "A", "B"]
    assert list(ranked["cum_share"].round(4)) == [round(50 / 95, 4), round(80 / 95, 4), 1.0]
    tight = pr.abc(ranked.drop(columns=["abc"]), a_share=0.5, b_share=0.9)
    assert list(tight["abc"]) == ["A", "B", "B"]  # P2 starts at 0.526 >= 0.5; P3 at 0.842 < 0.9
    tighter = pr.abc(ranked.drop(columns=["abc"]), a_share=0.5, b_share=0.8)
    assert list(tighter["abc"]) == ["A", "B", "C"]  # P3 starts at 0.842 >= 0.8
    summary = pr.abc_summary(ranked).set_index("abc")
    assert summary.loc["A", "products"] == 2 and summary.loc["A", "gross_share"] == pytest.approx(80 / 95)
    assert summary.loc["C", "products"] == 0
    with pytest.raises(ShoplensError):
        pr.abc(ranked, a_share=0.9, b_share=0.8)


@pytest.fixture
def stock_ws(tmp_path: Path) -> Workspace:
    last = date(2024, 3, 10)
    days = [last - timedelta(days=i) for i in range(7)]
    orders, lines = [], []
    for i, d in enumerate(days):
        for sku in ("S1", "S4"):
            orders.append((f"{sku}-{i}", str(d), "paid", "USD"))
            lines.append((f"{sku}-{i}", sku, 3, 1))
    for i in (1, 4):  # S2: 7 units on two of the seven days
        orders.append((f"S2-{i}", str(days[i]), "paid", "USD"))
        lines.append((f"S2-{i}", "S2", 7, 1))
    orders.append(("OLD", "2024-01-01", "paid", "USD"))  # outside the window
    lines.append(("OLD", "S3", 100, 1))
    products = [("S1", 1.0, 40, 5), ("S2", 2.0, 10, 4), ("S3", 3.0, 50, 10), ("S4", None, 1000, 5)]
    return build(tmp_path, orders, lines, products)


def test_reorder_points_safety_stock_and_statuses_by_hand(stock_ws: Workspace) -> None:
    plan = pr.inventory_plan(stock_ws, service_level=0.95, window=7, review_days=14).set_index("sku")
    z = 1.6448536269514722
    s1, s2 = plan.loc["S1"], plan.loc["S2"]
    # S1: 3 a day, no spread: reorder point 3 × 5 = 15 < stock 40
    assert (s1["daily_units"], s1["sd_daily_units"], s1["reorder_point"], s1["status"]) == (3.0, 0.0, 15.0, "ok")
    assert s1["turns"] == pytest.approx(365 * 3 / 40) and s1["stock_value"] == 40.0
    # S2: mean 14 / 7 = 2; variance (98 - 7 × 4) / 6; safety z σ √4; reorder point 2 × 4 + safety
    sd = math.sqrt(70 / 6)
    assert s2["sd_daily_units"] == pytest.approx(sd)
    assert s2["safety_stock_calc"] == pytest.approx(z * sd * 2)
    assert s2["reorder_point"] == pytest.approx(8 + z * sd * 2)
    assert s2["status"] == "reorder"
    assert s2["order_qty"] == math.ceil(8 + z * sd * 2 + 2 * 14 - 10)  # = 38
    assert plan.loc["S3", "status"] == "dead" and plan.loc["S3", "daily_units"] == 0
    assert plan.loc["S4", "status"] == "overstock"  # 1000 / 3 = 333 days of cover
    assert math.isnan(plan.loc["S4", "stock_value"])  # no unit cost
    summary = pr.inventory_summary(plan.reset_index()).set_index("status")
    assert summary["skus"].to_dict() == {"reorder": 1, "ok": 1, "overstock": 1, "dead": 1}
    assert summary.loc["dead", "stock_value"] == 150.0


def outlook(factors: list[float]) -> pr.DemandOutlook:
    return pr.DemandOutlook(date(2024, 3, 10), 7, 10.0, tuple(factors), "prophet")


def test_outlook_factors_average_and_hold_their_mean_beyond_the_forecast() -> None:
    o = outlook([2.0, 2.0, 1.0, 1.0])  # mean 1.5 beyond day 4
    assert o.mean_factor(0, 2) == 2.0
    assert o.mean_factor(1, 2) == 1.5
    assert o.mean_factor(2, 4) == (1 + 1 + 1.5 + 1.5) / 4
    assert o.mean_factor(3, 0) == 1.0  # no review period
    # Cumulative 2, 4, 5, 6: stock worth 0, 1, 4.5 and 6 + 3 average days is sold after 0,
    # 0.5, 2.5 (half of day 3) and 4 + 3 / 1.5 = 6 days.
    cover = o.cover_days([0.0, 1.0, 4.5, 9.0, float("nan")])
    assert cover[:4].tolist() == [0.0, 0.5, 2.5, 6.0] and math.isnan(cover[4])
    assert math.isnan(outlook([0.0, 0.0]).cover_days([1.0])[0])  # a zero forecast never sells it


def test_an_outlook_scales_lead_demand_sigma_review_and_cover_by_hand(stock_ws: Workspace) -> None:
    """Lead times: S1 5 days, S2 4. Factors 2 for days 1–4, 1 after (forecast of 25 days:
    mean factor beyond it (4 × 2 + 21) / 25 = 1.16)."""
    o = outlook([2.0] * 4 + [1.0] * 21)
    plan = pr.inventory_plan(stock_ws, service_level=0.95, window=7, review_days=14, outlook=o).set_index("sku")
    base = pr.inventory_plan(stock_ws, service_level=0.95, window=7, review_days=14).set_index("sku")
    z = 1.6448536269514722
    s1, s2 = plan.loc["S1"], plan.loc["S2"]
    # S1: lead factor (4 × 2 + 1) / 5 = 1.8: lead-time demand 3 × 5 × 1.8 = 27 < stock 40: ok.
    # Cover: 40 / 3 = 13.33 average days; days 1–4 sell 8 of them, then 1 a day: 4 + 5.33.
    assert s1["lead_factor"] == pytest.approx(1.8) and s1["lead_time_demand"] == pytest.approx(27.0)
    assert s1["reorder_point"] == pytest.approx(27.0) and s1["status"] == "ok"
    assert s1["days_of_cover"] == pytest.approx(4 + (40 / 3 - 8))
    # S2: lead factor 2 (days 1–4): lead demand 2 × 4 × 2 = 16, σ doubled; review days 5–18: 1.
    sd = math.sqrt(70 / 6)
    assert s2["lead_time_demand"] == pytest.approx(16.0)
    assert s2["safety_stock_calc"] == pytest.approx(z * sd * 2 * 2)
    assert s2["reorder_point"] == pytest.approx(16 + z * sd * 4)
    assert s2["order_qty"] == math.ceil(16 + z * sd * 4 + 2 * 14 * 1.0 - 10)
    # Without an outlook every factor is 1: the average plan, unchanged.
    assert (base["lead_factor"] == 1.0).all()
    assert base.loc["S2", "lead_time_demand"] == 8.0
    assert plan.loc["S3", "status"] == "dead" and math.isnan(plan.loc["S3", "days_of_cover"])


def test_a_higher_service_level_holds_more_safety_stock(stock_ws: Workspace) -> None:
    low = pr.inventory_plan(stock_ws, service_level=0.9, window=7).set_index("sku")
    high = pr.inventory_plan(stock_ws, service_level=0.99, window=7).set_index("sku")
    assert high.loc["S2", "safety_stock_calc"] > low.loc["S2", "safety_stock_calc"] > 0


@pytest.mark.parametrize("kwargs", [{"service_level": 1.0}, {"service_level": 0.3}, {"window": 3},
                                    {"review_days": -1}])
def test_settings_out_of_range_are_refused(stock_ws: Workspace, kwargs: dict) -> None:
    with pytest.raises(pr.ProductsError):
        pr.inventory_plan(stock_ws, **kwargs)


def test_demo_store_products_agree_with_the_catalogue(demo_ws: Workspace, truth: dict) -> None:
    f = Filters(start=date(2025, 1, 1), end=date(2025, 12, 31), currency="USD")
    sales = pr.product_sales(demo_ws, f)
    r = compute(demo_ws, f, ["gross_sales", "units"])
    assert sales.table["gross"].sum() == pytest.approx(float(r.value("gross_sales").value), abs=0.01)
    assert sales.table["units"].sum() == pytest.approx(float(r.value("units").value))
    plan = pr.inventory_plan(demo_ws, f).set_index("sku")
    assert plan.loc["LL-LIN-004", "status"] == "reorder"  # the planted stock-out


def test_stock_values_are_shown_in_the_filters_currency(tmp_path: Path) -> None:
    """Orders in USD and EUR, costs in EUR and in no currency (the main one, USD): shown in
    USD the EUR cost converts at 1.1; shown in EUR the USD cost converts at 1 / 1.1."""
    orders = [("U1", "2024-03-10", "paid", "USD"), ("U2", "2024-03-10", "paid", "USD"),
              ("E1", "2024-03-10", "paid", "EUR")]
    lines = [("U1", "K1", 1, 1), ("U2", "K2", 1, 1), ("E1", "K1", 1, 1)]
    ws = build(tmp_path, orders, lines, [("K1", 10.0, 5, 3), ("K2", 11.0, 2, 3)], rates={"EUR": 1.1})
    with ws.transaction() as cur:
        cur.execute("UPDATE products SET currency = 'EUR' WHERE sku = 'K1'")
        cur.execute("UPDATE products SET currency = NULL WHERE sku = 'K2'")
    usd = pr.inventory_plan(ws, Filters(currency="USD"), window=7).set_index("sku")
    assert set(usd["value_currency"]) == {"USD"}
    assert usd.loc["K1", "stock_value"] == pytest.approx(5 * 10 * 1.1)
    assert usd.loc["K2", "stock_value"] == pytest.approx(2 * 11.0)
    eur = pr.inventory_plan(ws, Filters(currency="EUR"), window=7).set_index("sku")
    assert eur.loc["K2", "unit_cost"] == pytest.approx(11 / 1.1) and eur.loc["K1", "unit_cost"] == 10.0
    assert eur.loc["K1", "daily_units"] == pytest.approx(2 / 7)  # demand: orders of every currency


def test_orders_without_a_products_file_give_an_empty_plan(sales_ws: Workspace) -> None:
    """Orders but no stocked SKU (a store that never loaded a products export): an empty plan
    with its columns, not an error (found on a 1M-line workspace)."""
    with sales_ws.transaction() as cur:
        cur.execute("DELETE FROM products")
    plan = pr.inventory_plan(sales_ws, Filters(currency="USD"))
    assert plan.empty and {"status", "stock_value", "value_currency", "reorder_point"} <= set(plan.columns)
    assert pr.inventory_summary(plan)["skus"].tolist() == [0, 0, 0, 0]
