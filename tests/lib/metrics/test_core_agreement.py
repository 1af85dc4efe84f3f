"""`compute_core_kpis` (now computed by the catalogue engine) gives exactly what the foundation
implementation gave. The foundation's own SQL is kept here, unchanged, as the check query."""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from lib.ingest.load import ingest_path
from lib.metrics.core import CoreKpis, Filters, compute_core_kpis, currencies
from lib.workspace import Workspace, open_workspace
from tests.conftest import shared_file
from tests.demo_store import demo_copy
from tests.lib.metrics.shop import MARCH, open_shop

COUNTED = ("o.kind = 'sale' AND o.cancelled_at IS NULL AND coalesce(o.status, '') <> 'cancelled' "
           "AND NOT coalesce(o.is_test, false)")


def _fx_expr(ws: Workspace, target: str | None, found: list[str]) -> tuple[str, list[object], str | None]:
    if target is None:
        if len(found) <= 1:
            return "1", [], (found[0] if found else None)
        target = "USD"
    rates = dict(ws.cursor().execute("SELECT currency, rate_to_usd FROM fx_rates").fetchall())
    if not (set(found) - {target}) or target not in rates and set(found) == {target}:
        return "1", [], target
    if not set(found) | {target} <= set(rates):
        return "CASE WHEN o.currency = ? THEN 1 END", [target], target
    return ("(SELECT r.rate_to_usd FROM fx_rates r WHERE r.currency = o.currency) / "
            "(SELECT r.rate_to_usd FROM fx_rates r WHERE r.currency = ?)"), [target], target


def legacy_core(ws: Workspace, filters: Filters) -> CoreKpis:
    """The foundation's compute_core_kpis, verbatim in substance."""
    where, params = filters.where()
    found = currencies(ws, filters)
    if filters.currency and filters.currency not in found:
        found = [filters.currency]
    fx, fx_params, currency = _fx_expr(ws, filters.currency, found)
    cur_filter = "AND o.currency = ?" if filters.currency and fx == "1" else ""
    cur_params: list[object] = [filters.currency] if cur_filter else []
    sql = f"""
    WITH o AS (SELECT * FROM (SELECT o.*, {fx} AS fx FROM orders o WHERE {where} {cur_filter})
               WHERE fx IS NOT NULL),
    counted AS (SELECT * FROM o WHERE {COUNTED}),
    per_order AS (
        SELECT c.source, c.order_id, c.fx, c.items_gross,
               sum(l.quantity) AS units, sum(l.unit_price * l.quantity) AS lines_gross
        FROM counted c LEFT JOIN order_lines l
          ON l.source = c.source AND l.order_id = c.order_id AND l.line_type = 'product'
        GROUP BY ALL),
    lines AS (SELECT sum(units) AS units, sum(coalesce(lines_gross, items_gross, 0) * fx) AS gross
              FROM per_order),
    per_customer AS (SELECT customer_id, count(*) AS n FROM counted
                     WHERE customer_id IS NOT NULL GROUP BY 1)
    SELECT (SELECT count(*) FROM counted),
        (SELECT count(*) FROM o WHERE o.kind = 'sale' AND (o.cancelled_at IS NOT NULL OR o.status = 'cancelled')),
        (SELECT coalesce(units, 0) FROM lines), (SELECT coalesce(gross, 0) FROM lines),
        (SELECT coalesce(sum(discount * fx), 0) FROM counted),
        (SELECT coalesce(sum(refunded * fx), 0) FROM o WHERE o.kind = 'refund' OR ({COUNTED})),
        (SELECT coalesce(sum(total * fx), 0) FROM counted),
        (SELECT count(*) FROM per_customer), (SELECT count(*) FROM per_customer WHERE n >= 2)"""
    row = ws.cursor().execute(sql, fx_params + params + cur_params).fetchone()
    orders, cancelled, units, gross, disc, refunds, total, customers, repeaters = row
    q = Decimal("0.01")
    gross, disc, refunds, total = (Decimal(str(x)).quantize(q) for x in (gross, disc, refunds, total))
    return CoreKpis(currency, int(orders), int(cancelled), Decimal(str(units)), gross, disc, refunds,
                    gross - disc - refunds, total,
                    ((gross - disc) / orders).quantize(q) if orders else None, int(customers),
                    (repeaters / customers) if customers else None)


def assert_same(ws: Workspace, filters: Filters) -> CoreKpis:
    got, want = compute_core_kpis(ws, filters), legacy_core(ws, filters)
    assert got == want, filters
    return got


@pytest.mark.parametrize("filters", [
    MARCH, replace(MARCH, currency="EUR"), replace(MARCH, channels=("web",)),
    replace(MARCH, currency=None, start=None), Filters(currency="USD"),
], ids=["march-usd", "march-eur", "web", "all-usd", "all-time"])
def test_the_fixture_shop_agrees(tmp_path: Path, filters: Filters) -> None:
    ws = open_shop(tmp_path / "shop.duckdb")
    try:
        assert_same(ws, filters)
    finally:
        ws.close()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    ws = open_workspace(demo_copy(tmp_path_factory.mktemp("demo")))
    yield ws
    ws.close()


@pytest.mark.parametrize("filters", [
    Filters(), Filters(currency="CNY"), Filters(currency="USD"),
    Filters(start=date(2024, 3, 1), end=date(2024, 5, 31), channels=("taobao",)),
    Filters(currency="CNY", start=date(2025, 1, 1)),
    Filters(start=date(2025, 11, 1), end=date(2025, 11, 30)),
], ids=["all", "cny", "usd", "taobao-spring", "cny-2025", "nov-2025"])
def test_the_demo_agrees_including_converted_currencies(demo: Workspace, filters: Filters) -> None:
    assert_same(demo, filters)


def test_the_demo_matches_its_generators_truth(demo: Workspace) -> None:
    """sample_data/demo/truth.json, per channel (cancelled orders excluded)."""
    shop = assert_same(demo, Filters(channels=("shopify",)))
    assert (shop.orders, shop.gross_sales, shop.discounts, shop.refunds) == (
        50676, Decimal("3661969.00"), Decimal("79597.20"), Decimal("106135.10"))
    tb = assert_same(demo, Filters(channels=("taobao",)))
    assert (tb.orders, tb.gross_sales, tb.discounts, tb.refunds, tb.currency) == (
        34618, Decimal("15070747.00"), Decimal("387346.30"), Decimal("465278.00"), "CNY")


def test_the_petstore_export_agrees(tmp_path: Path) -> None:
    ws = open_workspace(tmp_path / "pet.duckdb")
    try:
        ingest_path(ws, shared_file("shopify-orders-us-petstore/orders_export_1.csv"))
        k = assert_same(ws, Filters())
        assert (k.orders, k.cancelled_orders) == (3850, 35)
    finally:
        ws.close()
