"""Customer retention rate (the catalogue's `retention_rate`, the Overview's card) by hand on
the fixture shop (tests/lib/metrics/shop.py) plus three February customers, and against an
independent query on the demo store.

March 2024 is the period; its previous window is the 31 days before it, Jan 30 – Feb 29.
February's customers: A (O0, web, back in March on web), F (web, Feb 10, never back), G (web,
Feb 25, back in March on the market channel, in EUR), H (web, Jan 10: before the window).
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
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


FEB_MAR = replace(MARCH, start=date(2024, 2, 1))


def test_by_month_each_month_is_its_own_window(shop: Workspace) -> None:
    """Feb 1 – Mar 31 by month. February (29 days): customers of Jan 3 – Jan 31 = H, not back
    in February → 0. March: Jan 30 – Feb 29 = A, F, G, back A and G → 2/3, the value of March
    as the period. The whole 60 days in the same call: Dec 3 – Jan 31 = H, not back → 0 (a
    base shared with the month grouping would count A, F, G, H, 2 back: 0.5)."""
    r = compute(shop, FEB_MAR, ["retention_rate"], groupings=((), ("month",), ("month", "channel")))
    assert r.value("retention_rate").value == 0
    assert r.value("retention_rate", grouping=("month",), key=(date(2024, 2, 1),)).value == 0
    assert r.value("retention_rate", grouping=("month",), key=(date(2024, 3, 1),)).value == pytest.approx(2 / 3)
    assert r.value("retention_rate", grouping=("month", "channel"),
                   key=(date(2024, 3, 1), "web")).value == pytest.approx(2 / 3)
    assert r.value("retention_rate", grouping=("month", "channel"), key=(date(2024, 3, 1), "market")).value is None


def test_by_week_windows_are_the_seven_days_before(shop: Workspace) -> None:
    r = compute(shop, FEB_MAR, ["retention_rate"], groupings=(("week",),))
    got = {row.key[0]: row.values["retention_rate"].value for row in r.rows[("week",)]}
    assert got[date(2024, 2, 26)] == pytest.approx(1 / 2)  # Feb 19–25: A (back Mar 1), G (not)
    assert got[date(2024, 3, 4)] == 0                      # Feb 26 – Mar 3: A, B; neither back
    assert got[date(2024, 3, 11)] == 0                     # Mar 4–10: E, back only Mar 25
    assert got[date(2024, 3, 18)] == 0                     # Mar 11–17: A, G
    assert got.get(date(2024, 3, 25)) is None              # Mar 18–24: no counted customer
    # The first week is clipped to the period (Thu Feb 1 – Sun Feb 4, 4 days): Jan 28–31, nobody.
    assert got.get(date(2024, 1, 29)) is None


def test_windows_clip_buckets_to_the_period() -> None:
    from lib.metrics.families import Period, retention_windows

    p = Period("current", date(2024, 2, 15), date(2024, 3, 10))
    assert retention_windows((p,), "month") == [
        ("current", date(2024, 2, 1), date(2024, 2, 15), date(2024, 2, 29), date(2024, 1, 31), date(2024, 2, 14)),
        ("current", date(2024, 3, 1), date(2024, 3, 1), date(2024, 3, 10), date(2024, 2, 20), date(2024, 2, 29)),
    ]
    assert retention_windows((p,), None) == [
        ("current", None, date(2024, 2, 15), date(2024, 3, 10), date(2024, 1, 21), date(2024, 2, 14))]


def test_a_full_month_by_month_equals_that_month_as_the_period(demo_ws: Workspace) -> None:
    year = MARCH.__class__(start=date(2025, 1, 1), end=date(2025, 11, 30), currency="USD")
    r = compute(demo_ws, year, ["retention_rate"], groupings=(("month",),))
    by_month = {row.key[0]: row.values["retention_rate"].value for row in r.rows[("month",)]}
    assert len(by_month) == 11
    for first in (date(2025, 2, 1), date(2025, 7, 1), date(2025, 11, 1)):
        last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        alone = compute(demo_ws, replace(year, start=first, end=last), ["retention_rate"])
        assert by_month[first] == pytest.approx(alone.value("retention_rate").value)


def test_overview_sparkline_leaves_out_weeks_the_range_cuts_short(demo_ws: Workspace) -> None:
    from lib.metrics.overview import compute_overview

    f = MARCH.__class__(start=date(2025, 1, 15), end=date(2025, 11, 26), currency="USD")
    ov = compute_overview(demo_ws, f)
    assert ov.trend_grain == "week"
    trend = ov.trend().set_index("week")["retention_rate"]
    assert trend.loc[date(2025, 1, 13)] != trend.loc[date(2025, 1, 13)]  # NaN: Wed 15 – Sun 19 only
    assert trend.loc[date(2025, 11, 24)] != trend.loc[date(2025, 11, 24)]  # NaN: Mon 24 – Wed 26 only
    assert 0 < trend.loc[date(2025, 1, 20)] < 1 and trend.notna().sum() == len(trend) - 2
    assert ov.trend().set_index("week")["net_sales"].notna().all()  # sums keep their partial weeks
