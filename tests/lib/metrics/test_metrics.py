"""Every catalogue KPI, computed by hand on the fixture shop (tests/lib/metrics/shop.py) for
March 2024 in USD (EUR converted at 1.10), and checked against the engine.

Counted orders in March: O1, O2, O3, O6 (USD) and E1, E2 (EUR); O4 is cancelled, O5 a test,
R1 a refund document. A test fails when a catalogue KPI has no hand-computed value here.
"""
from __future__ import annotations

from decimal import Decimal

import pytest

from lib.metrics.catalogue import load_catalogue
from lib.metrics.engine import MetricResult, compute
from lib.workspace import Workspace
from tests.lib.metrics.shop import MARCH, open_shop

D = Decimal
GM_RATE = 157 / 252

EXPECTED: dict[str, object] = {
    # sales
    "orders": 6,                                  # O1 O2 O3 O6 E1 E2
    "units": D("8"),                              # 3 + 1 + 1 + (O6 has no lines) + 1 + 2
    "gross_sales": D("305.00"),                   # 50 + 30 + 20 + 40 (item total) + (100 + 50) × 1.1
    "discounts": D("18.00"),                      # 5 + 2 + 10 × 1.1
    "refunds": D("35.00"),                        # O2 30 + refund document R1 5
    "net_sales": D("252.00"),                     # 305 − 18 − 35
    "sales_after_discounts": D("287.00"),         # 305 − 18
    "order_total": D("332.85"),                   # 54 + 30 + 18 + 40 + (109 + 64.5) × 1.1
    "shipping_charged": D("10.50"),               # 5 + 5 × 1.1
    "taxes": D("35.35"),                          # 4 + (19 + 9.5) × 1.1
    "avg_order_value": D("47.83"),                # 287 / 6 = 47.833…
    "avg_units_per_order": 8 / 6,
    "avg_selling_price": D("38.12"),              # 305 / 8 = 38.125 → half-even 38.12
    "order_refunds": D("30.00"),                  # refunds recorded on counted orders: O2
    "refund_documents": 1,                        # R1
    "refund_document_value": D("5.00"),
    "cancelled_value": D("10.00"),                # O4
    "test_orders": 1,                             # O5
    "test_order_value": D("10.00"),
    # customers
    "customers": 3,                               # A, B, E (O6 has no customer)
    "new_customers": 2,                           # B and E; A's first order was O0 in February
    "returning_customers": 1,                     # A
    "repeat_customer_rate": 2 / 3,                # A (O1, O3) and E (E1, E2) ordered twice
    "orders_per_customer": 5 / 3,                 # O1 O2 O3 E1 E2 have a customer
    "historical_ltv": D("74.50"),                 # cohort B, E: B 30−30 (O2) − 5 (R1); E (90+50)×1.1 = 154; 149 / 2
    "retention_rate": 1.0,                        # Jan 30 – Feb 29 (31 days before March): A (O0), back in March
    # profit
    "cogs": D("95.00"),                           # O1 2×4 + 12, O2 12, O3 8, E1 50 EUR × 1.1; SKU-E has no cost
    "gross_margin": D("157.00"),                  # 252 − 95
    "gross_margin_rate": GM_RATE,
    "fees": D("13.20"),                           # (8 + 4) × 1.1
    "contribution_margin": D("112.80"),           # 157 − 13.20 − 31
    # traffic and marketing
    "sessions": 650,                              # web 100 + 100 + 100 + 50, market 200 + 100
    "conversion_rate": 5 / 650,                   # O6's day (web, Mar 18) has no traffic data
    "ad_spend": D("31.00"),                       # 20 + 10 × 1.1
    "attributed_revenue": D("104.00"),            # 60 + 40 × 1.1
    "roas": 104 / 31,
    "roi": (104 * GM_RATE - 31) / 31,
    "ctr": 60 / 1500,
    "cac": D("15.50"),                            # 31 / 2
    # fulfilment
    "time_to_ship": (24 + 72 + 20) / 3,           # hours paid → fulfilled: O1, O2, E1
    "time_to_deliver": (3 + 3.5) / 2,             # days created → delivered: O1, E1
    "on_time_ship_rate": 2 / 3,                   # O1 (24 h), E1 (20 h) within 48 h; O2 took 72 h
    "cancelled_orders": 1,                        # O4
    "cancel_rate": 1 / 7,                         # O4 of O1 O2 O3 O4 O6 E1 E2 (the test O5 is left out)
    "refund_rate": 2 / 6,                         # O2 + refund document R1
    # inventory (active products with a stock figure: A, B, C, D)
    "inventory_value": D("245.00"),               # 10×4 + 0×12 + 5×8 + 3×50 EUR × 1.1
    "stock_units": D("18"),
    "inventory_turnover": 95 / 245,
    "days_of_cover": 18 * 31 / 8,                 # 18 units at 8 units per 31 days
    "sell_through": 8 / (8 + 18),
    "stockout_rate": 1 / 4,                       # SKU-B
}


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    ws = open_shop(tmp_path_factory.mktemp("shop") / "shop.duckdb")
    yield ws
    ws.close()


@pytest.fixture(scope="module")
def march(shop: Workspace) -> MetricResult:
    return compute(shop, MARCH)


def test_every_catalogue_kpi_has_a_hand_computed_value_here() -> None:
    assert sorted(load_catalogue().ids) == sorted(EXPECTED)


@pytest.mark.parametrize("metric", sorted(EXPECTED))
def test_kpi_matches_hand_arithmetic(march: MetricResult, metric: str) -> None:
    got = march.value(metric)
    assert got.value is not None, got.reason
    want = EXPECTED[metric]
    if isinstance(want, float):
        assert float(got.value) == pytest.approx(want, rel=1e-12)
    else:
        assert got.value == want
        assert type(got.value) is type(want)


def test_money_is_in_the_chosen_currency(march: MetricResult) -> None:
    assert march.currency == "USD" and march.plan.excluded == ()


def test_cost_coverage_is_noted_on_cogs_and_what_depends_on_it(march: MetricResult) -> None:
    # costs known for O1 50 + O2 30 + O3 20 + E1 110 = 210 of 305 gross
    for metric in ("cogs", "gross_margin", "gross_margin_rate", "contribution_margin", "roi"):
        notes = march.value(metric).notes
        assert [n.key for n in notes] == ["metrics.note.coverage"], metric
        assert float(notes[0].param("share")) == pytest.approx(210 / 305, abs=1e-6)
    assert march.value("gross_sales").notes == ()


def test_independent_check_query_gross_and_refunds(shop: Workspace) -> None:
    """The same figures from the raw canonical tables, written without the engine."""
    cur = shop.cursor()
    gross = cur.execute("""
        SELECT sum(amount * CASE o.currency WHEN 'EUR' THEN 1.10 ELSE 1 END) FROM orders o JOIN (
            SELECT source, order_id, sum(quantity * unit_price) AS amount FROM order_lines
            GROUP BY ALL
            UNION ALL SELECT source, order_id, items_gross FROM orders
            WHERE items_gross IS NOT NULL) g USING (source, order_id)
        WHERE o.kind = 'sale' AND o.cancelled_at IS NULL AND NOT o.is_test
          AND o.order_date BETWEEN DATE '2024-03-01' AND DATE '2024-03-31'""").fetchone()[0]
    refunds = cur.execute("""
        SELECT sum(refunded) FROM orders WHERE order_date >= DATE '2024-03-01'
          AND (kind = 'refund' OR (cancelled_at IS NULL AND NOT is_test))""").fetchone()[0]
    assert (gross, refunds) == (D("305.00"), D("35.00"))
