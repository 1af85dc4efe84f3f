"""Pricing: discount codes and price what-ifs, checked by hand on a small workspace, and
against the catalogue on the demo store.

Orders (USD, source "s", channel "web"; order totals as items gross, no lines):
  O1 SAVE10 a  gross 100, discount 10           (a's first order)
  O2 —      a  gross 50                          O3 SAVE10 b  gross 200, discount 20, refunded 200
  O4 —      c  gross 30  (c's first order)       O6 " " (blank: no code) c  gross 20
  O5 SAVE10 a  cancelled: not counted
"""
from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from lib import pricing as pc
from lib.metrics.engine import compute
from lib.metrics.filters import Filters
from lib.workspace import Workspace, open_workspace

ORDERS = [  # order_id, day, customer, code, gross, discount, refunded, status
    ("O1", "2024-01-01", "a", "SAVE10", 100, 10, 0, "paid"),
    ("O2", "2024-01-02", "a", None, 50, 0, 0, "paid"),
    ("O3", "2024-01-03", "b", "SAVE10", 200, 20, 200, "paid"),
    ("O4", "2024-01-04", "c", None, 30, 0, 0, "paid"),
    ("O5", "2024-01-05", "a", "SAVE10", 80, 8, 0, "cancelled"),
    ("O6", "2024-01-06", "c", " ", 20, 0, 0, "paid"),
]


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    ws = open_workspace(tmp_path / "pricing.duckdb")
    with ws.transaction() as cur:
        cur.executemany(
            "INSERT INTO orders (source, order_id, kind, channel, customer_id, created_at, "
            "order_date, status, discount_code, items_gross, discount, refunded, currency, batch_id) "
            "VALUES ('s', ?, 'sale', 'web', ?, CAST(? || ' 12:00+00' AS TIMESTAMPTZ), ?, ?, ?, ?, ?, ?, 'USD', 1)",
            [(o, c, d, d, st, code, g, disc, ref) for o, d, c, code, g, disc, ref, st in ORDERS])
    return ws


def test_discount_codes_by_hand(ws: Workspace) -> None:
    rep = pc.discount_codes(ws, Filters())
    assert rep.currency == "USD"
    t = rep.table
    assert [None if pd.isna(c) else c for c in t["code"]] == [None, "SAVE10"]  # no code first
    plain, save = t.iloc[0], t.iloc[1]
    assert (plain["orders"], plain["customers"], plain["first_orders"], plain["gross"],
            plain["discounts"]) == (3, 2, 1, 100.0, 0.0)
    assert (save["orders"], save["customers"], save["first_orders"], save["gross"], save["discounts"],
            save["refunds"], save["net"]) == (2, 2, 2, 300.0, 30.0, 200.0, 70.0)
    assert save["aov"] == 135.0 and plain["aov"] == pytest.approx(100 / 3)
    assert save["discount_rate"] == pytest.approx(0.1) and save["refund_rate"] == 0.5
    assert save["aov_vs_no_code"] == pytest.approx(135 / (100 / 3) - 1)
    assert t["order_share"].tolist() == [0.6, 0.4]


def test_discount_codes_follow_the_period(ws: Workspace) -> None:
    t = pc.discount_codes(ws, Filters(start=date(2024, 1, 3), end=date(2024, 1, 4))).table
    assert dict(zip(t["code"].fillna("-"), t["orders"])) == {"-": 1, "SAVE10": 1}


def test_price_what_if_by_hand() -> None:
    sales = pd.DataFrame({"product": ["X", "Y"], "units": [10.0, 4.0], "gross": [100.0, 40.0],
                          "cogs": [60.0, float("nan")]})
    out = pc.price_what_if(sales, -10, -2.0).set_index("product")
    x = out.loc["X"]
    # 10 % off at ε = −2: units × 1.2; price 10 → 9, cost 6
    assert (x["price"], x["unit_cost"], x["units_after"]) == (10.0, 6.0, 12.0)
    assert x["revenue_after"] == pytest.approx(108.0)
    assert (x["margin"], x["margin_after"]) == (40.0, pytest.approx(36.0))
    assert x["margin_change"] == pytest.approx(-4.0)
    assert math.isnan(out.loc["Y", "margin_after"])  # no cost, no margin
    assert pc.volume_factor(100, -2.0) == 0.0  # never below zero units


def test_breakeven_volume() -> None:
    assert pc.breakeven_volume(10, 0.4) == pytest.approx(1 / 3)  # 0.1 / (0.4 − 0.1)
    assert pc.breakeven_volume(0, 0.4) == 0.0
    assert pc.breakeven_volume(40, 0.4) is None  # the discount eats the whole margin


@pytest.mark.parametrize("call", [lambda: pc.volume_factor(150, -1), lambda: pc.volume_factor(-95, -1),
                                  lambda: pc.volume_factor(10, 0.5), lambda: pc.volume_factor(float("nan"), -1),
                                  lambda: pc.breakeven_volume(100, 0.5), lambda: pc.breakeven_volume(-5, 0.5)])
def test_settings_out_of_range_are_refused(call) -> None:
    with pytest.raises(pc.PricingError):
        call()


def test_the_what_if_uses_the_scenarios_demand_model() -> None:
    """10 % off with ε = −1.5 sells 15 % more here and on the Scenarios page."""
    from lib.scenario import WhatIf
    assert pc.volume_factor(-10, -1.5) == pytest.approx(WhatIf(discount_pct=10, elasticity=-1.5).volume_factor)


def test_demo_codes_add_up_to_the_catalogue(demo_ws: Workspace) -> None:
    f = Filters(start=date(2025, 1, 1), end=date(2025, 12, 31), currency="USD")
    t = pc.discount_codes(demo_ws, f).table
    r = compute(demo_ws, f, ["orders", "discounts", "gross_sales"])
    assert t["orders"].sum() == r.value("orders").value
    assert t["discounts"].sum() == pytest.approx(float(r.value("discounts").value), abs=0.01)
    assert t["gross"].sum() == pytest.approx(float(r.value("gross_sales").value), abs=0.01)
    assert "BFCM25" in set(t["code"]) and t.set_index("code").loc["BFCM25", "discount_rate"] == pytest.approx(0.25)


def test_channel_and_platform_filters_apply(ws: Workspace) -> None:
    """(Filters.facts_where, shared by the customers, products and pricing queries.)"""
    assert pc.discount_codes(ws, Filters(channels=("web",))).table["orders"].sum() == 5
    assert pc.discount_codes(ws, Filters(channels=("app",))).table.empty
    assert pc.discount_codes(ws, Filters(platforms=("s",))).table["orders"].sum() == 5
    assert pc.discount_codes(ws, Filters(platforms=("other",))).table.empty
    where, params = Filters(start=date(2024, 1, 2), end=date(2024, 1, 3)).facts_where("x", history=True)
    assert (where, params) == (["x.d <= ?"], [date(2024, 1, 3)])


# -- price response seen in past promotions ---------------------------------------------------
def _units_lift(name: str, start: str, expected: float, lift: float, lo: float, hi: float,
                method: str | None = "prophet", festival: str | None = None):  # type: ignore[no-untyped-def]
    from lib.forecast.lift import LiftResult
    from lib.forecast.notes import note

    d = date.fromisoformat(start)
    notes = (note("lift.festival_unseen", names=festival),) if festival else ()
    return LiftResult(name=name, start=d, end=d, method=method, actual=expected + lift,  # type: ignore[arg-type]
                      expected=expected, lift=lift, lift_lower=lo, lift_upper=hi, days=1,
                      interval_width=0.8, notes=notes)


RESPONSE_CALENDAR = pd.DataFrame({
    "name": ["A", "B", "C", "D", "E"],
    "start": pd.to_datetime(["2024-03-01", "2024-05-01", "2024-11-11", "2024-12-01", "2023-01-05"]),
    "end": pd.to_datetime(["2024-03-01", "2024-05-01", "2024-11-11", "2024-12-01", "2023-01-05"]),
    "discount_pct": [0.20, 0.10, 0.25, 0.0, 0.30]})


def test_promotions_imply_an_elasticity_pooled_by_size() -> None:
    """A: 20 % off, 1,000 units expected, +300 (100 to 500) → ε −1.5 (−2.5 to −0.5);
    B: 10 % off, +50 on 500 → −1.0; C: 25 % off, +1,000 on 2,000 → −2.0. Pooled:
    −(300 + 50 + 1,000) ÷ (0.2 × 1,000 + 0.1 × 500 + 0.25 × 2,000) = −1,350 ÷ 750 = −1.8.
    D had no discount, E too little history: both left out."""
    lifts = [_units_lift("A", "2024-03-01", 1000, 300, 100, 500), _units_lift("B", "2024-05-01", 500, 50, 10, 90),
             _units_lift("C", "2024-11-11", 2000, 1000, 600, 1400), _units_lift("D", "2024-12-01", 800, 40, 0, 80),
             _units_lift("E", "2023-01-05", 0, 0, 0, 0, method=None)]
    est = pc.promotion_response(lifts, RESPONSE_CALENDAR)
    assert [p.name for p in est.promotions] == ["A", "B", "C"] and est.skipped == 2
    a = est.promotions[0]
    assert (a.elasticity, a.low, a.high) == pytest.approx((-1.5, -2.5, -0.5))
    assert [p.elasticity for p in est.promotions] == pytest.approx([-1.5, -1.0, -2.0])
    assert est.elasticity == pytest.approx(-1.8)
    # every resampled ratio of sums lies between the promotions' own elasticities
    assert -2.0 <= est.low < est.elasticity < est.high <= -1.0
    assert est.usable == -1.8
    assert pc.promotion_response(lifts, RESPONSE_CALENDAR).low == est.low  # seeded


def test_one_promotion_quotes_its_own_range_and_no_rise_gives_nothing_to_use() -> None:
    one = pc.promotion_response([_units_lift("A", "2024-03-01", 1000, 300, 100, 500)], RESPONSE_CALENDAR)
    assert (one.elasticity, one.low, one.high) == pytest.approx((-1.5, -2.5, -0.5))
    fell = pc.promotion_response([_units_lift("A", "2024-03-01", 1000, -100, -300, 100)], RESPONSE_CALENDAR)
    assert fell.elasticity == pytest.approx(0.5) and fell.usable is None  # units fell: no sign to use
    steep = pc.promotion_response([_units_lift("A", "2024-03-01", 100, 500, 400, 600)], RESPONSE_CALENDAR)
    assert steep.elasticity == pytest.approx(-25.0) and steep.usable == -10.0  # the sliders' limit
    none = pc.promotion_response([], RESPONSE_CALENDAR)
    assert none.elasticity is None and none.usable is None and none.promotions == ()


def test_a_promotion_a_festival_fell_in_for_the_first_time_is_left_out_by_name() -> None:
    lifts = [_units_lift("A", "2024-03-01", 1000, 300, 100, 500),
             _units_lift("C", "2024-11-11", 2000, 3000, 2600, 3400, festival="11.11 Singles' Day (双11)")]
    est = pc.promotion_response(lifts, RESPONSE_CALENDAR)
    assert [p.name for p in est.promotions] == ["A"] and est.confounded == ("C",) and est.skipped == 0
    assert est.elasticity == pytest.approx(-1.5)  # C alone would imply −6.0


def test_refund_documents_count_under_no_code(ws: Workspace) -> None:
    """A refund exported as its own document (Online Retail's C… invoices) has no code: its
    refund and its count as a refunded order go to the no-code row, so the table's refunds add
    up to the Overview's and its refund rate is the catalogue's. R1: 15 refunded on Jan 3."""
    with ws.transaction() as cur:
        cur.execute("INSERT INTO orders (source, order_id, kind, channel, customer_id, created_at, order_date, "
                    "status, items_gross, discount, refunded, currency, batch_id) VALUES ('s', 'R1', 'refund', "
                    "'web', 'a', TIMESTAMPTZ '2024-01-03 13:00+00', DATE '2024-01-03', 'refund', 0, 0, 15, 'USD', 1)")
    t = pc.discount_codes(ws, Filters()).table
    plain = t[t["code"].isna()].iloc[0]
    assert (plain["orders"], plain["refunds"], plain["refunded_orders"], plain["net"]) == (3, 15.0, 1, 85.0)
    r = compute(ws, Filters(), ["refunds", "refund_rate", "net_sales"])
    assert t["refunds"].sum() == float(r.value("refunds").value) == 215.0
    assert t["net"].sum() == float(r.value("net_sales").value)
    assert t["refunded_orders"].sum() / t["orders"].sum() == pytest.approx(float(r.value("refund_rate").value))
    # Jan 3: the document beside a coded order only: the no-code row holds just the refund
    day = pc.discount_codes(ws, Filters(start=date(2024, 1, 3), end=date(2024, 1, 3))).table
    assert [None if pd.isna(c) else c for c in day["code"]] == [None, "SAVE10"]
    assert (day.iloc[0]["orders"], day.iloc[0]["refunds"], day.iloc[0]["net"]) == (0, 15.0, -15.0)
    assert math.isnan(day.iloc[0]["aov"]) and math.isnan(day.iloc[0]["refund_rate"])
