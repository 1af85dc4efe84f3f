"""The foundation KPIs, with the platforms' own finance-report meanings.

- orders: distinct sale orders, cancellations and test orders excluded
- units: Σ quantity of product lines of those orders
- gross_sales: Σ unit price × quantity of product lines (before discounts; no shipping, no tax)
- discounts: Σ order discounts; refunds: Σ refunded amounts (incl. refund documents)
- net_sales = gross_sales − discounts − refunds
- order_total: Σ order totals as exported (shipping and tax included, before refunds)
- avg_order_value = (gross_sales − discounts) / orders  (Shopify's definition)
- customers: distinct known customers with an order; repeat_customer_rate: share of them with ≥2
Money never adds different currencies: pick one, or give rates in `fx_rates`.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal

from lib.errors import ShoplensError
from lib.workspace import Workspace

COUNTED = "o.kind = 'sale' AND o.cancelled_at IS NULL AND coalesce(o.status, '') <> 'cancelled' AND NOT coalesce(o.is_test, false)"


@dataclass(frozen=True)
class Filters:
    """The global filters every page and the CLI apply."""

    start: date | None = None
    end: date | None = None
    channels: tuple[str, ...] = ()
    currency: str | None = None

    def where(self, alias: str = "o") -> tuple[str, list[object]]:
        """SQL condition over an orders alias, with its bound parameters."""
        parts, params = ["true"], []  # type: list[str], list[object]
        if self.start:
            parts.append(f"{alias}.order_date >= ?")
            params.append(self.start)
        if self.end:
            parts.append(f"{alias}.order_date <= ?")
            params.append(self.end)
        if self.channels:
            parts.append(f"{alias}.channel IN (SELECT unnest(?::VARCHAR[]))")
            params.append(list(self.channels))
        return " AND ".join(parts), params


@dataclass(frozen=True)
class CoreKpis:
    currency: str | None
    orders: int
    cancelled_orders: int
    units: Decimal
    gross_sales: Decimal
    discounts: Decimal
    refunds: Decimal
    net_sales: Decimal
    order_total: Decimal
    avg_order_value: Decimal | None
    customers: int
    repeat_customer_rate: float | None

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {}
        for k, v in asdict(self).items():
            out[k] = float(v) if isinstance(v, Decimal) else v
        return out


def currencies(ws: Workspace, filters: Filters | None = None) -> list[str]:
    filters = filters or Filters()
    where, params = filters.where()
    rows = ws.cursor().execute(
        f"SELECT DISTINCT currency FROM orders o WHERE {where} AND currency IS NOT NULL ORDER BY 1",
        params,
    ).fetchall()
    return [r[0] for r in rows]


def _fx_expr(ws: Workspace, target: str | None, found: list[str]) -> tuple[str, list[object], str | None]:
    """SQL factor converting an order's currency to `target`; refuses to mix without rates."""
    if target is None:
        if len(found) <= 1:
            return "1", [], (found[0] if found else None)
        rates = {r[0] for r in ws.cursor().execute("SELECT currency FROM fx_rates").fetchall()}
        if not set(found) <= rates:
            raise ShoplensError(
                f"This workspace has several currencies ({', '.join(found)}). Choose one, or "
                "enter exchange rates so they can be converted.",
                key="kpi.mixed_currency", currencies=", ".join(found))
        target = "USD"
    rates = dict(ws.cursor().execute("SELECT currency, rate_to_usd FROM fx_rates").fetchall())
    if not (set(found) - {target}) or target not in rates and set(found) == {target}:
        return "1", [], target
    if not set(found) | {target} <= set(rates):
        return "CASE WHEN o.currency = ? THEN 1 END", [target], target
    return ("(SELECT r.rate_to_usd FROM fx_rates r WHERE r.currency = o.currency) / "
            "(SELECT r.rate_to_usd FROM fx_rates r WHERE r.currency = ?)"), [target], target


def compute_core_kpis(ws: Workspace, filters: Filters | None = None) -> CoreKpis:
    filters = filters or Filters()
    where, params = filters.where()
    found = currencies(ws, filters)
    if filters.currency and filters.currency not in found:
        found = [filters.currency]
    fx, fx_params, currency = _fx_expr(ws, filters.currency, found)
    cur_filter = "AND o.currency = ?" if filters.currency and fx == "1" else ""
    cur_params: list[object] = [filters.currency] if cur_filter else []
    sql = f"""
    WITH o AS (  -- an order whose money cannot be converted is not counted at all
        SELECT * FROM (SELECT o.*, {fx} AS fx FROM orders o WHERE {where} {cur_filter})
        WHERE fx IS NOT NULL
    ),
    counted AS (SELECT * FROM o WHERE {COUNTED}),
    per_order AS (
        SELECT c.source, c.order_id, c.fx, c.items_gross,
               sum(l.quantity) AS units, sum(l.unit_price * l.quantity) AS lines_gross
        FROM counted c LEFT JOIN order_lines l
          ON l.source = c.source AND l.order_id = c.order_id AND l.line_type = 'product'
        GROUP BY ALL
    ),
    lines AS (
        -- Orders without line items (order-level exports) fall back to their items_gross.
        SELECT sum(units) AS units, sum(coalesce(lines_gross, items_gross, 0) * fx) AS gross
        FROM per_order
    ),
    per_customer AS (
        SELECT customer_id, count(*) AS n FROM counted WHERE customer_id IS NOT NULL GROUP BY 1
    )
    SELECT
        (SELECT count(*) FROM counted),
        (SELECT count(*) FROM o WHERE o.kind = 'sale' AND (o.cancelled_at IS NOT NULL OR o.status = 'cancelled')),
        (SELECT coalesce(units, 0) FROM lines),
        (SELECT coalesce(gross, 0) FROM lines),
        (SELECT coalesce(sum(discount * fx), 0) FROM counted),
        (SELECT coalesce(sum(refunded * fx), 0) FROM o
           WHERE o.kind = 'refund' OR ({COUNTED.replace('o.', 'o.')})),
        (SELECT coalesce(sum(total * fx), 0) FROM counted),
        (SELECT count(*) FROM per_customer),
        (SELECT count(*) FROM per_customer WHERE n >= 2)
    """
    row = ws.cursor().execute(sql, fx_params + params + cur_params).fetchone()
    assert row is not None
    orders, cancelled, units, gross, disc, refunds, total, customers, repeaters = row
    q = Decimal("0.01")
    gross, disc, refunds, total = (Decimal(str(x)).quantize(q) for x in (gross, disc, refunds, total))
    return CoreKpis(
        currency=currency,
        orders=int(orders), cancelled_orders=int(cancelled), units=Decimal(str(units)),
        gross_sales=gross, discounts=disc, refunds=refunds,
        net_sales=gross - disc - refunds, order_total=total,
        avg_order_value=((gross - disc) / orders).quantize(q) if orders else None,
        customers=int(customers),
        repeat_customer_rate=(repeaters / customers) if customers else None,
    )
