"""Customer retention rate (the catalogue's `retention_rate`, the Overview's card) by hand on
the fixture shop (tests/lib/metrics/shop.py) plus three February customers, and against an
independent query on the demo store.

March 2024 is the period; its previous window is the 31 days before it, Jan 30 – Feb 29.
February's customers: A (O0, web, back in March on web), F (web, Feb 10, never back), G (web,
Feb 25, back in March on the market channel, in EUR), H (web, Jan 10: before the window).
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from lib.metrics.engine import compute
from lib.workspace import Workspace
from tests.lib.metrics.shop import MARCH, ORDER_COLS, _o, open_shop


@pytest.fixture
def shop(tmp_path: Path) -> Workspace:
    ws = open_shop(tmp_path / "shop.duckdb")
    extra = [_o("shopify", "F1", "web", "F", "2024-02-10 10:00:00", total=10),
             _o("shopify", "G1", "web", "G", "2024-02-25 10:00:00", total=10),
             _o("amazon", "G2", "market", "G", "2024-03-12 10:00:00", currency="EUR", total=10),
             _o("shopify", "H1", "web", "H", "2024-01-10 10:00:00", total=10)]
    with ws.transaction() as cur:
        cur.executemany(f"INSERT INTO orders ({', '.join(ORDER_COLS)}, batch_id) "
                        f"VALUES ({', '.join('?' for _ in ORDER_COLS)}, 2)", extra)
    return ws


def test_retention_by_hand(shop: Workspace) -> None:
    r = compute(shop, MARCH, ["retention_rate"], groupings=((), ("channel",)))
    assert r.value("retention_rate").value == pytest.approx(2 / 3)  # A and G of A, F, G
    # By channel: where they bought before (web: A, F, G), wherever they came back (A on web,
    # G on market); nobody bought on market in February.
    assert r.value("retention_rate", grouping=("channel",), key=("web",)).value == pytest.approx(2 / 3)
    assert r.value("retention_rate", grouping=("channel",), key=("market",)).value is None
    alone = compute(shop, MARCH, ["retention_rate"])  # the same without the channel grouping
    assert alone.value("retention_rate").value == pytest.approx(2 / 3)


def test_the_first_period_of_a_shop_has_nothing_to_retain(shop: Workspace) -> None:
    january = replace(MARCH, start=date(2024, 1, 1), end=date(2024, 1, 31))
    assert compute(shop, january, ["retention_rate"]).value("retention_rate").value is None


def test_an_independent_query_on_the_demo_store(demo_ws: Workspace) -> None:
    """November 2025 on the demo: customers of Oct 2 – Oct 31 who ordered again in November."""
    nov = MARCH.__class__(start=date(2025, 11, 1), end=date(2025, 11, 30), currency="USD")
    got = compute(demo_ws, nov, ["retention_rate"]).value("retention_rate").value
    n, back = demo_ws.cursor().execute("""
        WITH o AS (SELECT customer_id, order_date FROM orders
                   WHERE kind = 'sale' AND cancelled_at IS NULL AND coalesce(status, '') <> 'cancelled'
                     AND NOT coalesce(is_test, false) AND customer_id IS NOT NULL),
        prev AS (SELECT DISTINCT customer_id FROM o WHERE order_date BETWEEN DATE '2025-10-02' AND DATE '2025-10-31'),
        cur AS (SELECT DISTINCT customer_id FROM o WHERE order_date BETWEEN DATE '2025-11-01' AND DATE '2025-11-30')
        SELECT count(*), count(*) FILTER (WHERE customer_id IN (SELECT customer_id FROM cur)) FROM prev""").fetchone()
    assert n > 1000 and got == pytest.approx(back / n)
