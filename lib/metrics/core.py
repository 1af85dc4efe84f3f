"""The foundation KPIs, with the platforms' own finance-report meanings — now computed by the
catalogue engine (`lib/metrics/catalogue.yaml` defines each one; this module keeps the API).

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
from decimal import Decimal

from lib.metrics.engine import compute
from lib.metrics.filters import COUNTED, Filters, currencies
from lib.workspace import Workspace

__all__ = ["COUNTED", "CoreKpis", "Filters", "FOUNDATION", "compute_core_kpis", "currencies"]

# The foundation KPIs, in the order the CLI has always printed them.
FOUNDATION = ("orders", "cancelled_orders", "units", "gross_sales", "discounts", "refunds",
              "net_sales", "order_total", "avg_order_value", "customers", "repeat_customer_rate")


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


def compute_core_kpis(ws: Workspace, filters: Filters | None = None) -> CoreKpis:
    """The foundation KPIs for `filters` (0 where the workspace has no orders yet)."""
    r = compute(ws, filters or Filters(), FOUNDATION)

    def get(metric: str, empty: object) -> object:
        v = r.value(metric).value
        return empty if v is None else v

    zero = Decimal("0.00")
    return CoreKpis(
        currency=r.currency,
        orders=int(get("orders", 0)),  # type: ignore[call-overload]
        cancelled_orders=int(get("cancelled_orders", 0)),  # type: ignore[call-overload]
        units=Decimal(str(get("units", 0))),
        gross_sales=get("gross_sales", zero),  # type: ignore[arg-type]
        discounts=get("discounts", zero),  # type: ignore[arg-type]
        refunds=get("refunds", zero),  # type: ignore[arg-type]
        net_sales=get("net_sales", zero),  # type: ignore[arg-type]
        order_total=get("order_total", zero),  # type: ignore[arg-type]
        avg_order_value=r.value("avg_order_value").value,  # type: ignore[arg-type]
        customers=int(get("customers", 0)),  # type: ignore[call-overload]
        repeat_customer_rate=r.value("repeat_customer_rate").value,  # type: ignore[arg-type]
    )
