"""The fact tables on a tiny workspace with every awkward case, checked by hand: order
numbers, customer numbers, first orders (ties, missing times, orders that do not count), line
totals, traffic matching and the rollups' NULL-versus-0 conventions.

Orders (all USD, source "s" unless noted; day = order_date):
  day 1: C1 cancelled (cx), C2 test (cx), C3 refund (cx), N1 no created_at (cw), and an order
         without an order_id (cu)
  day 2: B1 and B2 (cz, same created_at), G1 (no customer, no channel, item total 40),
         K2 (cu), M2 (cv, no created_at)
  day 3: M1 (cv, no created_at), A1 (source "u", cy)
  day 4: A9 (source "t", cy, same created_at as A1: bought before midnight, dated the next day)
  day 5: C4 (cx)      day 6: N2 (cw)
Lines: B1 2×10.00 + 1×5.50; B2 a shipping line only; K2 1×4.00; A9 1×7.00; C4 1×3.00.
Traffic: day 2 on "web" and on no channel.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from lib.metrics.facts import ensure_facts
from lib.workspace import Workspace, open_workspace

D = Decimal
DAY = {n: f"2024-01-0{n}" for n in range(1, 7)}

# (source, order_id, kind, channel, customer_id, created_at, order_date, status, is_test,
#  items_gross)
ORDERS = [
    ("s", "C1", "sale", "web", "cx", "2024-01-01 08:00", DAY[1], "cancelled", False, None),
    ("s", "C2", "sale", "web", "cx", "2024-01-01 09:00", DAY[1], "paid", True, None),
    ("s", "C3", "refund", "web", "cx", "2024-01-01 10:00", DAY[1], "refunded", False, None),
    ("s", "N1", "sale", "web", "cw", None, DAY[1], "paid", False, None),
    ("s", None, "sale", "web", "cu", "2024-01-01 07:00", DAY[1], "paid", False, None),
    ("s", "B2", "sale", "web", "cz", "2024-01-02 09:00", DAY[2], "paid", False, None),
    ("s", "B1", "sale", "web", "cz", "2024-01-02 09:00", DAY[2], "paid", False, None),
    ("s", "G1", "sale", None, None, "2024-01-02 12:00", DAY[2], "paid", False, 40),
    ("s", "K2", "sale", "web", "cu", "2024-01-02 07:00", DAY[2], "paid", False, None),
    ("s", "M2", "sale", "web", "cv", None, DAY[2], "paid", False, None),
    ("s", "M1", "sale", "web", "cv", None, DAY[3], "paid", False, None),
    ("u", "A1", "sale", "web", "cy", "2024-01-03 23:30", DAY[3], "paid", False, None),
    ("t", "A9", "sale", "web", "cy", "2024-01-03 23:30", DAY[4], "paid", False, None),
    ("s", "C4", "sale", "web", "cx", "2024-01-05 10:00", DAY[5], "paid", False, None),
    ("s", "N2", "sale", "web", "cw", "2024-01-06 10:00", DAY[6], "paid", False, None),
]
# (source, order_id, line_type, sku, quantity, unit_price)
LINES = [
    ("s", "B1", "product", "P1", 2, D("10.00")), ("s", "B1", "product", "P2", 1, D("5.50")),
    ("s", "B2", "shipping", None, 1, D("6.00")), ("s", "K2", "product", "P1", 1, D("4.00")),
    ("t", "A9", "product", "P1", 1, D("7.00")), ("s", "C4", "product", "P2", 1, D("3.00")),
]


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    ws = open_workspace(tmp_path / "facts.duckdb")
    with ws.transaction() as cur:
        cur.executemany(
            "INSERT INTO orders (source, order_id, kind, channel, customer_id, created_at, "
            "order_date, status, is_test, items_gross, currency, total, batch_id) "
            "VALUES (?, ?, ?, ?, ?, CAST(? || '+00' AS TIMESTAMPTZ), ?, ?, ?, ?, 'USD', 10, 1)",
            ORDERS)
        cur.executemany(
            "INSERT INTO order_lines (source, order_id, line_no, line_type, sku, quantity, "
            "unit_price, batch_id) VALUES (?, ?, 1, ?, ?, ?, ?, 1)", LINES)
        cur.executemany("INSERT INTO traffic (date, channel, sessions, batch_id) "
                        "VALUES (?, ?, 5, 1)", [(DAY[2], "web"), (DAY[2], None)])
    ensure_facts(ws)
    yield ws
    ws.close()


def _orders(ws: Workspace) -> dict[str | None, tuple]:
    rows = ws.cursor().execute(
        "SELECT order_id, ok, cust, counted, first_order, gross, units, has_lines, with_traffic "
        "FROM metrics_orders").fetchall()
    return {r[0]: r[1:] for r in rows}


def test_orders_are_numbered_by_day_source_and_id_and_stored_in_that_order(ws: Workspace) -> None:
    stored = [r[0] for r in ws.cursor().execute("SELECT order_id FROM metrics_orders").fetchall()]
    assert stored == ["C1", "C2", "C3", "N1", None,  # day 1, the missing order_id last
                      "B1", "B2", "G1", "K2", "M2",  # day 2
                      "M1", "A1",                    # day 3: source "s" before "u"
                      "A9", "C4", "N2"]
    oks = [r[0] for r in ws.cursor().execute("SELECT ok FROM metrics_orders").fetchall()]
    assert oks == list(range(1, 16))


def test_customers_are_numbered_by_id_and_orders_without_one_have_none(ws: Workspace) -> None:
    got = {oid: row[1] for oid, row in _orders(ws).items()}
    assert got == {"K2": 1, None: 1, "M1": 2, "M2": 2, "N1": 3, "N2": 3,  # cu, cv, cw
                   "C1": 4, "C2": 4, "C3": 4, "C4": 4, "A1": 5, "A9": 5,  # cx, cy
                   "B1": 6, "B2": 6, "G1": None}                          # cz, no customer


def test_first_order_is_the_earliest_counted_one_ties_broken_by_source_and_id(
        ws: Workspace) -> None:
    firsts = {oid for oid, row in _orders(ws).items() if row[3]}
    # B1 < B2 at the same instant; t/A9 < u/A1 at the same instant although A1 is dated (and
    # numbered) earlier; C1-C3 do not count (cancelled, test, refund); N1 and M1/M2 have no
    # created_at, which sorts last; the order without an order_id is never a first order.
    assert firsts == {"B1", "A9", "C4", "N2", "M1", "K2"}
    never = ws.cursor().execute(
        "SELECT first_order FROM metrics_orders WHERE order_id IN ('C1', 'G1')").fetchall()
    assert never == [(False,), (False,)]


def test_line_totals_and_orders_without_product_lines(ws: Workspace) -> None:
    o = _orders(ws)
    assert o["B1"][4:7] == (D("25.50000"), D("3.000"), True)
    assert o["B2"][4:7] == (D("0"), None, False)   # a shipping line is not a product line
    assert o["G1"][4:7] == (D("40"), None, False)  # the export's item total
    pseudo = ws.cursor().execute(
        "SELECT o.order_id, l.gross, l.product, l.cost_cur, l.costed FROM metrics_lines l "
        "JOIN metrics_orders o USING (ok) WHERE NOT o.has_lines ORDER BY 1").fetchall()
    # one pseudo-line per counted order without product lines, worth its gross
    assert pseudo == [("A1", D("0"), None, "USD", False), ("B2", D("0"), None, "USD", False),
                      ("G1", D("40"), None, "USD", False), ("M1", D("0"), None, "USD", False),
                      ("M2", D("0"), None, "USD", False), ("N1", D("0"), None, "USD", False),
                      ("N2", D("0"), None, "USD", False), (None, D("0"), None, "USD", False)]


def test_traffic_matches_day_and_channel_including_a_missing_channel(ws: Workspace) -> None:
    with_traffic = {oid for oid, row in _orders(ws).items() if row[7]}
    assert with_traffic == {"B1", "B2", "G1", "K2", "M2"}


def test_daily_rollups_count_zero_and_sum_null_when_nothing_matches(ws: Workspace) -> None:
    cur = ws.cursor()
    rows = cur.execute(
        "SELECT customer_type, n__counted, n__first_order, gross__counted, n__cancelled, "
        "total__cancelled, n__with_traffic FROM metrics_orders_daily "
        "WHERE d = ? AND channel = 'web' ORDER BY 1", [date(2024, 1, 2)]).fetchall()
    assert rows == [("new", 2, 2, D("29.50000"), 0, None, 2),
                    ("returning", 2, 0, D("0"), 0, None, 2)]
    day1 = cur.execute("SELECT sum(n__all), sum(n__counted), sum(n__cancelled), sum(n__test), "
                       "sum(n__refund_doc) FROM metrics_orders_daily WHERE d = ?",
                       [date(2024, 1, 1)]).fetchone()
    assert day1 == (5, 2, 1, 1, 1)
    lines = cur.execute("SELECT customer_type, n__counted, gross__counted, units__counted "
                        "FROM metrics_lines_daily WHERE d = ? AND category IS NULL "
                        "AND channel = 'web' ORDER BY 1", [date(2024, 1, 2)]).fetchall()
    assert lines == [("new", 3, D("29.50000"), D("4.000")), ("returning", 2, D("0"), None)]
    types = cur.execute(
        "SELECT DISTINCT data_type FROM information_schema.columns "
        "WHERE table_name IN ('metrics_orders_daily', 'metrics_lines_daily') "
        "AND starts_with(column_name, 'n__')").fetchall()
    assert types == [("BIGINT",)]
