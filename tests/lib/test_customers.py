"""Customers: RFM scores and segments, cohorts (retention, LTV) and churn thresholds, checked
by hand on small workspaces, and against the catalogue on the demo store.

Main fixture (all USD, source "s", channel "web"; the period is 2024-01-01 … 2024-06-30):
  a: 01-10 100, 02-10 50, 06-20 30 with 5 discount      -> 3 orders, net 175, 10 days ago
  b: 03-01 200, 20 refunded                             -> 1 order,  net 180, 121 days ago
  c: every 15 days from 01-05 to 03-20, 40 each          -> 6 orders, net 240, 102 days ago
  d: 2023-12-20 60 (before the period), 05-01 60         -> 1 order in the period, net 60
  e: 06-29 10, and 06-30 10 cancelled                    -> 1 order, net 10, 1 day ago
  f: 01-15 90, and a refund document of 15 on 04-01       -> 1 order, net 75, 167 days ago
  an order without a customer (never in any of this)
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from lib import customers as cu
from lib.metrics.engine import compute
from lib.metrics.filters import Filters
from lib.workspace import Workspace, open_workspace

PERIOD = Filters(start=date(2024, 1, 1), end=date(2024, 6, 30))

# (customer, order_id, day, items gross, discount, refunded, kind, status, currency)
MAIN = [
    ("a", "A1", "2024-01-10", 100, 0, 0, "sale", "paid", "USD"),
    ("a", "A2", "2024-02-10", 50, 0, 0, "sale", "paid", "USD"),
    ("a", "A3", "2024-06-20", 30, 5, 0, "sale", "paid", "USD"),
    ("b", "B1", "2024-03-01", 200, 0, 20, "sale", "paid", "USD"),
    *[("c", f"C{i}", str(date.fromordinal(date(2024, 1, 5).toordinal() + 15 * i)), 40, 0, 0,
       "sale", "paid", "USD") for i in range(6)],
    ("d", "D1", "2023-12-20", 60, 0, 0, "sale", "paid", "USD"),
    ("d", "D2", "2024-05-01", 60, 0, 0, "sale", "paid", "USD"),
    ("e", "E1", "2024-06-29", 10, 0, 0, "sale", "paid", "USD"),
    ("e", "E2", "2024-06-30", 10, 0, 0, "sale", "cancelled", "USD"),
    ("f", "F1", "2024-01-15", 90, 0, 0, "sale", "paid", "USD"),
    ("f", "F9", "2024-04-01", None, 0, 15, "refund", "refunded", "USD"),
    (None, "G1", "2024-02-01", 500, 0, 0, "sale", "paid", "USD"),
]


def build(tmp_path: Path, rows: list[tuple], rates: dict[str, float] | None = None) -> Workspace:
    """A workspace holding `rows` as orders without lines (their items gross is the order's)."""
    ws = open_workspace(tmp_path / "customers.duckdb")
    with ws.transaction() as cur:
        cur.executemany(
            "INSERT INTO orders (source, order_id, kind, channel, customer_id, created_at, "
            "order_date, status, items_gross, discount, refunded, currency, batch_id) "
            "VALUES ('s', ?, ?, 'web', ?, CAST(? || ' 12:00+00' AS TIMESTAMPTZ), ?, ?, ?, ?, ?, ?, 1)",
            [(oid, kind, (f"cust_{c}_" + "0" * 12) if c else None, day, day, status, gross,
              disc, refund, ccy) for c, oid, day, gross, disc, refund, kind, status, ccy in rows])
        for ccy, rate in (rates or {}).items():
            cur.execute("INSERT INTO fx_rates (currency, rate_to_usd, batch_id) VALUES (?, ?, 1)",
                        [ccy, rate])
    return ws


@pytest.fixture
def main_ws(tmp_path: Path) -> Workspace:
    return build(tmp_path, MAIN)


def by_customer(table: pd.DataFrame) -> dict[str, dict]:
    """Rows keyed by the fixture's customer letter (cust numbers follow customer ids)."""
    letters = "abcdef"
    return {letters[int(r["cust"]) - 1]: r for r in table.to_dict("records")}


def test_the_segment_grid_covers_every_score_pair_once() -> None:
    for r in range(1, 6):
        for f in range(1, 6):
            hits = [s for s, rs, fs in cu.SEGMENTS if r in rs and f in fs]
            assert len(hits) == 1, (r, f, hits)


def test_rfm_scores_and_segments_by_hand(main_ws: Workspace) -> None:
    data = cu.customer_orders(main_ws, PERIOD)
    assert data is not None and data.currency == "USD" and data.excluded == ()
    rows = by_customer(cu.rfm_table(data))
    assert set(rows) == set("abcdef")
    got = {k: (v["recency_days"], v["frequency"], v["monetary"], v["r"], v["f"], v["m"], v["segment"])
           for k, v in rows.items()}
    # R: ranks of -recency f<b<c<d<a<e -> 1 + floor(5 (rank - 1) / 6) = 1, 1, 2, 3, 4, 5
    # F: 1, 2, 3, 4–5, 6+ orders -> 1..5;  M: ranks e<d<f<a<b<c -> 1, 1, 2, 3, 4, 5
    assert got == {
        "a": (10, 3, 175.0, 4, 3, 3, "potential_loyalists"),
        "b": (121, 1, 180.0, 1, 1, 4, "hibernating"),
        "c": (102, 6, 240.0, 2, 5, 5, "cant_lose"),
        "d": (60, 1, 60.0, 3, 1, 1, "about_to_sleep"),
        "e": (1, 1, 10.0, 5, 1, 1, "new"),
        "f": (167, 1, 75.0, 1, 1, 2, "hibernating"),
    }


def test_customer_keys_are_the_stored_key_prefixes(main_ws: Workspace) -> None:
    rfm = cu.rfm_table(cu.customer_orders(main_ws, PERIOD))
    keys = cu.customer_keys(main_ws, rfm["cust"])
    assert list(keys.index) == list(rfm.index)
    assert sorted(keys) == [f"cust_{c}_00000" for c in "abcdef"]  # 12 characters of the key


def test_segment_summary_adds_up(main_ws: Workspace) -> None:
    data = cu.customer_orders(main_ws, PERIOD)
    summary = cu.segment_summary(cu.rfm_table(data)).set_index("segment")
    assert list(summary.index) == ["potential_loyalists", "new", "about_to_sleep", "cant_lose",
                                   "hibernating"]  # SEGMENTS order, empty ones left out
    hib = summary.loc["hibernating"]
    assert (hib["customers"], hib["monetary"], hib["median_recency_days"], hib["mean_orders"]) == \
        (2, 255.0, 144.0, 1.0)
    assert hib["customer_share"] == pytest.approx(2 / 6)
    assert hib["monetary_share"] == pytest.approx(255 / 740)
    assert summary["customers"].sum() == 6 and summary["monetary"].sum() == pytest.approx(740)


def test_cohorts_retention_and_ltv_by_hand(main_ws: Workspace) -> None:
    table = cu.cohorts(cu.customer_orders(main_ws, PERIOD))
    cells = {(str(r.cohort), r.k): (r.size, r.active, round(r.ltv, 4), r.partial)
             for r in table.itertuples()}
    jan = [cells[("2024-01-01", k)] for k in range(6)]
    # a, c, f; net by month 270, 130, 80, -15 (f's refund), 0, 25 -> cumulative ÷ 3
    assert jan == [(3, 3, 90.0, False), (3, 2, 133.3333, False), (3, 1, 160.0, False),
                   (3, 0, 155.0, False), (3, 0, 155.0, False), (3, 1, 163.3333, False)]
    assert [cells[("2024-03-01", k)] for k in range(4)] == [(1, 1, 180.0, False)] + [(1, 0, 180.0, False)] * 3
    assert cells[("2024-06-01", 0)] == (1, 1, 10.0, False)  # e: the cancelled order is not counted
    assert not any(c.startswith("2023-12") for c, _ in cells)  # d was acquired before the period
    assert table.loc[table["k"] == 0, "retention"].eq(1.0).all()


def test_the_month_holding_the_last_day_is_marked_partial(main_ws: Workspace) -> None:
    table = cu.cohorts(cu.customer_orders(main_ws, Filters(start=date(2024, 1, 1), end=date(2024, 6, 20))))
    june = table[(table["cohort"] == date(2024, 1, 1)) & (table["k"] == 5)].iloc[0]
    assert bool(june["partial"]) and june["active"] == 1  # a's order of 06-20 is in
    month = [c.month + k for c, k in zip(table["cohort"], table["k"])]  # all in 2024
    assert list(table["partial"]) == [m == 6 for m in month]  # every cohort's June, only


def test_cohorts_stop_at_max_months(main_ws: Workspace) -> None:
    table = cu.cohorts(cu.customer_orders(main_ws, PERIOD), max_months=2)
    assert table["k"].max() == 2


def churn_rows() -> list[tuple]:
    """p: 22 orders, two on its first day, then gaps 5×10, 10×8, 40×2 (20 gaps), last on 06-27;
    q, r, s: one order each, 10, 13 and 30 days before 06-30, nets 50, 70, 90."""
    gaps = [5] * 10 + [10] * 8 + [40] * 2
    day = date(2024, 6, 27).toordinal() - sum(gaps)
    rows = [("p", "P0", str(date.fromordinal(day)), 20, 0, 0, "sale", "paid", "USD")]
    for i, g in enumerate([0, *gaps]):
        day += g
        rows.append(("p", f"P{i + 1}", str(date.fromordinal(day)), 20, 0, 0, "sale", "paid", "USD"))
    rows += [("q", "Q1", "2024-06-20", 50, 0, 0, "sale", "paid", "USD"),
             ("r", "R1", "2024-06-17", 70, 0, 0, "sale", "paid", "USD"),
             ("s", "S1", "2024-05-31", 90, 0, 0, "sale", "paid", "USD")]
    return rows


def test_churn_thresholds_statuses_and_the_at_risk_list(tmp_path: Path) -> None:
    ws = build(tmp_path, churn_rows())
    data = cu.customer_orders(ws, Filters(end=date(2024, 6, 30)))
    report = cu.churn_report(data)
    # sorted gaps: 5 (×10), 10 (×8), 40 (×2): median (5 + 10) / 2; 90th percentile at position
    # 0.9 × 19 = 17.1, between 10 and 40: 10 + 0.1 × 30
    assert report.gaps == 20  # the two orders of the first day are one visit
    assert report.expected_gap_days == 7.5
    assert report.lapse_after_days == pytest.approx(13.0)
    statuses = report.statuses.set_index("status")
    assert statuses["customers"].to_dict() == {"active": 1, "cooling": 2, "lapsed": 1}  # p | q, r | s
    assert statuses.loc["cooling", "monetary"] == 120.0
    assert statuses["share"].sum() == pytest.approx(1.0)
    risk = cu.at_risk(ws, report)
    assert list(risk["order_id"]) == ["R1", "Q1"]  # the cooling ones, most valuable first
    assert list(risk["customer"]) == ["cust_r_00000", "cust_q_00000"]  # key prefix, 12 characters
    assert list(risk["days_since"]) == [13, 10]


def test_too_few_repeat_orders_give_no_thresholds(main_ws: Workspace) -> None:
    report = cu.churn_report(cu.customer_orders(main_ws, PERIOD))
    assert report.gaps == 8  # a 2, c 5, d 1 (d's first order is before the period: history counts)
    assert report.expected_gap_days is None and report.statuses.empty
    assert cu.at_risk(main_ws, report).empty


def test_other_currencies_are_converted_or_left_out_and_named(tmp_path: Path) -> None:
    rows = [("a", "A1", "2024-01-10", 100, 0, 0, "sale", "paid", "USD"),
            ("b", "B1", "2024-01-11", 100, 0, 0, "sale", "paid", "EUR")]
    ws = build(tmp_path, rows, rates={"EUR": 1.1})
    converted = cu.rfm_table(cu.customer_orders(ws, Filters(currency="USD")))
    assert sorted(converted["monetary"].round(6)) == [100.0, 110.0]
    only = cu.customer_orders(ws, Filters(currency="USD", convert=False))
    assert only.excluded == ("EUR",) and list(cu.rfm_table(only)["monetary"]) == [100.0]


def test_an_empty_workspace_has_no_customer_data(tmp_path: Path) -> None:
    ws = open_workspace(tmp_path / "empty.duckdb")
    assert cu.customer_orders(ws) is None


def test_demo_store_agrees_with_the_catalogue(demo_ws: Workspace) -> None:
    """RFM customers are the catalogue's customers; repeaters its repeat rate; the churn
    statuses cover every customer with an order up to the period's end."""
    f = Filters(start=date(2025, 1, 1), end=date(2025, 12, 31), currency="USD")
    data = cu.customer_orders(demo_ws, f)
    rfm = cu.rfm_table(data)
    r = compute(demo_ws, f, ["customers", "repeat_customer_rate", "net_sales"])
    assert len(rfm) == r.value("customers").value
    assert (rfm["frequency"] >= 2).mean() == pytest.approx(float(r.value("repeat_customer_rate").value))
    report = cu.churn_report(data)
    assert report.statuses["customers"].sum() == data.orders.loc[data.orders["counted"], "cust"].nunique()
    assert report.expected_gap_days is not None and report.lapse_after_days >= report.expected_gap_days
