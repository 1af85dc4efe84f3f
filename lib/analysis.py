"""Data analysis (guide ch. 4): what happened (descriptive) and what drove the change
(diagnostic), plus the reconciliation with platform dashboards.

The diagnostic works on sales after discounts, R = gross sales − discounts, because R is
exactly orders × average order value. Its change between two periods is split
- into orders and AOV symmetrically: orders effect = ΔN × (A₀ + A₁) / 2, AOV effect =
  ΔA × (N₀ + N₁) / 2, which add up to ΔR with no remainder (computed in exact fractions and
  rounded to cents so that the rounded parts still add up to the cent);
- into contributions per channel, platform, country and new vs returning customers
  (ΔR of each group); per category the product gross sales of each category, with the
  discounts (recorded per order, not per product) as their own step.
Every split adds up exactly to the total change; if per-group rounding to the cent (converted
currencies, fractional quantities) leaves a cent over, it is shown as its own rounding step.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Literal

import pandas as pd

from lib.metrics.engine import (
    Ask, MetricResult, Period, comparison_periods, compute, current_period, resolve_scope,
)
from lib.metrics.families import SqlParts, currency_sql, rates_ctes, scope_where, whole_bucket
from lib.metrics.filters import Filters
from lib.workspace import Workspace

CENT = Decimal("0.01")
Base = Literal["previous", "last_year"]
REVENUE = "sales_after_discounts"
CONTRIBUTION_DIMS: tuple[str, ...] = ("channel", "category", "customer_type", "platform", "country")
MOVER_DIMS: tuple[str, ...] = ("channel", "country", "category", "product")


# -- exact splitting ----------------------------------------------------------------------------
def apportion(parts: list[Fraction], total: Decimal) -> list[Decimal]:
    """Round each part to the cent so that the rounded parts add up to `total` exactly
    (largest remainders get the leftover cents). `total` must equal Σ parts to the cent."""
    cents = [p * 100 for p in parts]
    floors = [int(c.__floor__()) for c in cents]
    left = int((total * 100).to_integral_value()) - sum(floors)
    order = sorted(range(len(parts)), key=lambda i: cents[i] - floors[i], reverse=True)
    for i in order[:max(0, left)]:
        floors[i] += 1
    return [(Decimal(f) / 100).quantize(CENT) for f in floors]


@dataclass(frozen=True)
class Part:
    """One group's contribution: its value before and after, and the change."""

    dim: str
    key: object
    before: Decimal
    after: Decimal

    @property
    def change(self) -> Decimal:
        return self.after - self.before


@dataclass(frozen=True)
class Split:
    """The total change split into parts that add up to it exactly.

    `extra` holds steps that are not groups of `dim` (discounts by category, rounding):
    (i18n key, amount)."""

    dim: str
    parts: tuple[Part, ...]
    extra: tuple[tuple[str, Decimal], ...] = ()

    @property
    def total(self) -> Decimal:
        return sum((p.change for p in self.parts), Decimal("0.00")) + sum(
            (a for _, a in self.extra), Decimal("0.00"))


@dataclass(frozen=True)
class Diagnosis:
    current: Period
    base: Period
    currency: str | None
    before: Decimal        # R in the base period
    after: Decimal         # R now
    orders: tuple[int, int]
    orders_effect: Decimal
    aov_effect: Decimal
    splits: dict[str, Split] = field(default_factory=dict)
    movers: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def change(self) -> Decimal:
        return self.after - self.before

    @property
    def change_pct(self) -> float | None:
        return float(self.change / self.before) if self.before else None

    def aov_steps(self) -> list[tuple[str, Decimal, str]]:
        """Waterfall steps (label key, amount, kind) for before → orders → AOV → now."""
        return [("analysis.step.start", self.before, "total"),
                ("analysis.step.orders", self.orders_effect, "delta"),
                ("analysis.step.aov", self.aov_effect, "delta"),
                ("analysis.step.end", self.after, "total")]


def base_period(current: Period, base: Base) -> Period:
    prev, ly = comparison_periods(current, date.min)[1:3]
    return prev if base == "previous" else ly


def _orders_aov(r0: Decimal, r1: Decimal, n0: int, n1: int) -> tuple[Decimal, Decimal]:
    """(orders effect, AOV effect), symmetric, adding up exactly to r1 − r0."""
    if n0 == 0 and n1 == 0:
        return Decimal("0.00"), (r1 - r0).quantize(CENT)
    a0 = Fraction(r0) / n0 if n0 else Fraction(r1) / n1
    a1 = Fraction(r1) / n1 if n1 else a0
    orders = Fraction(n1 - n0) * (a0 + a1) / 2
    aov = (a1 - a0) * Fraction(n0 + n1) / 2
    assert orders + aov == Fraction(r1) - Fraction(r0)
    o, a = apportion([orders, aov], r1 - r0)
    return o, a


def _money(result: MetricResult, metric: str, period: str, grouping: tuple[str, ...] = (),
           key: tuple[object, ...] = ()) -> Decimal:
    v = result.value(metric, period, grouping, key).value
    return Decimal(str(v)).quantize(CENT) if v is not None else Decimal("0.00")


def _split(result: MetricResult, dim: str, metric: str, base: str) -> tuple[Part, ...]:
    keys = {r.key for r in result.rows.get((dim,), ())}
    parts = [Part(dim, k[0], _money(result, metric, base, (dim,), k),
                  _money(result, metric, "current", (dim,), k)) for k in keys]
    return tuple(sorted(parts, key=lambda p: (-abs(p.change), str(p.key))))


def diagnose(ws: Workspace, filters: Filters, base: Base = "previous") -> Diagnosis:
    """Why sales after discounts changed between `base` and the filters' period."""
    current = current_period(ws, filters)
    before = base_period(current, base)
    before = Period(base, before.start, before.end)
    metrics = (REVENUE, "orders", "gross_sales", "discounts")
    asks = [Ask((), metrics)]
    asks += [Ask((d,), ("gross_sales",) if d in ("category", "product") else (REVENUE,))
             for d in dict.fromkeys(CONTRIBUTION_DIMS + MOVER_DIMS)]
    result = compute(ws, filters, metrics, groupings=asks, periods=(current, before))
    r0, r1 = _money(result, REVENUE, base), _money(result, REVENUE, "current")
    n0 = int(result.value("orders", base).value or 0)
    n1 = int(result.value("orders", "current").value or 0)
    orders_effect, aov_effect = _orders_aov(r0, r1, n0, n1)
    total = r1 - r0
    splits: dict[str, Split] = {}
    for dim in CONTRIBUTION_DIMS:
        if dim == "category":
            parts = _split(result, dim, "gross_sales", base)
            extra = [("analysis.step.discounts",
                      -(_money(result, "discounts", "current") - _money(result, "discounts", base)))]
        else:
            parts, extra = _split(result, dim, REVENUE, base), []
        rest = total - sum((p.change for p in parts), Decimal("0.00")) - sum(
            (a for _, a in extra), Decimal("0.00"))
        if rest:
            extra.append(("analysis.step.rounding", rest))
        splits[dim] = Split(dim, parts, tuple(extra))
    return Diagnosis(current, before, result.currency, r0, r1, (n0, n1), orders_effect,
                     aov_effect, splits, _movers(result, base, total))


def _movers(result: MetricResult, base: str, total: Decimal, n: int = 12) -> pd.DataFrame:
    rows = []
    for dim in MOVER_DIMS:
        metric = "gross_sales" if dim in ("category", "product") else REVENUE
        for p in _split(result, dim, metric, base):
            rows.append({"dimension": dim, "key": p.key, "measure": metric,
                         "before": float(p.before), "after": float(p.after),
                         "change": float(p.change),
                         "share": float(p.change / total) if total else None})
    df = pd.DataFrame(rows, columns=["dimension", "key", "measure", "before", "after", "change",
                                     "share"])
    if df.empty:
        return df
    df = df[df["change"] != 0]
    order = df["change"].abs().sort_values(ascending=False, kind="stable").index
    return df.loc[order].head(n).reset_index(drop=True)


# -- descriptive ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Description:
    result: MetricResult
    grain: str
    product_names: dict[str, str]

    @property
    def currency(self) -> str | None:
        return self.result.currency

    def trend(self) -> pd.DataFrame:
        """Sales after discounts and orders per time bucket and channel."""
        return self.result.frame((self.grain, "channel"), "current",
                                 (REVENUE, "orders")).drop(columns="period")

    def heatmap(self) -> pd.DataFrame:
        """Orders per weekday (1 = Monday) and hour, in the workspace's time zone."""
        return self.result.frame(("weekday", "hour"), "current", ("orders",)).drop(columns="period")

    def products(self) -> pd.DataFrame:
        """Products by gross sales (largest first), with their names."""
        df = self.result.frame(("product",), "current", ("gross_sales", "units", "orders"))
        df = df.drop(columns="period").sort_values("gross_sales", ascending=False, kind="stable")
        df.insert(1, "name", [self.product_names.get(str(k), "") for k in df["product"]])
        return df.reset_index(drop=True)

    def top_products(self, n: int = 10) -> pd.DataFrame:
        return self.products().head(n)

    def bottom_products(self, n: int = 10) -> pd.DataFrame:
        df = self.products()
        df = df[df["gross_sales"] > 0]
        return df.tail(n).iloc[::-1].reset_index(drop=True)

    def categories(self) -> pd.DataFrame:
        df = self.result.frame(("category",), "current", ("gross_sales", "units", "cogs"))
        return df.drop(columns="period").sort_values("gross_sales", ascending=False,
                                                     kind="stable").reset_index(drop=True)

    def new_vs_returning(self) -> pd.DataFrame:
        """Orders, sales after discounts, AOV and customers per customer type."""
        return self.result.frame(("customer_type",), "current",
                                 ("orders", REVENUE, "avg_order_value", "customers")).drop(columns="period")

    @property
    def retention_grain(self) -> str:
        return retention_grain(self.grain)

    def retention(self) -> pd.DataFrame:
        """[<week|month>, retention_rate]: per whole bucket, the share of the customers of as many
        days just before it who ordered again within it. Left out: buckets with nobody before
        them, and those the date range cuts short (a 3-day week's retention is not a week's)."""
        g = self.retention_grain
        df = self.result.frame((g,), "current", ("retention_rate",)).drop(columns="period")
        period = self.result.period("current")
        whole = pd.Series([period is not None and whole_bucket(g, k, period) for k in df[g]],
                          index=df.index, dtype=bool)
        return df[whole].dropna(subset=["retention_rate"]).reset_index(drop=True)


def retention_grain(grain: str) -> str:
    """Retention per week or month: a day's customers ordering again the next day says little."""
    return "week" if grain == "day" else grain


def describe(ws: Workspace, filters: Filters, grain: str = "week") -> Description:
    """The descriptive views of the Analysis page, from one engine call."""
    if grain not in ("day", "week", "month"):
        grain = "week"
    current = current_period(ws, filters)
    asks = (Ask((grain, "channel"), (REVENUE, "orders")), Ask(("weekday", "hour"), ("orders",)),
            Ask(("product",), ("gross_sales", "units", "orders")),
            Ask(("category",), ("gross_sales", "units", "cogs")),
            Ask(("customer_type",), ("orders", REVENUE, "avg_order_value", "customers")),
            Ask((retention_grain(grain),), ("retention_rate",)))
    result = compute(ws, filters, (REVENUE,), groupings=asks, periods=(current,))
    keys = [str(r.key[0]) for r in result.rows.get(("product",), ()) if r.key[0] is not None]
    return Description(result, grain, product_names(ws, keys))


def product_names(ws: Workspace, keys: list[str]) -> dict[str, str]:
    """Display names for product keys (SKU, or the name when a line has no SKU): the products
    export's name, else the name the SKU sold under most often. Not the first in sort order:
    Online Retail's best seller 85123A also has a '?' line (a zero-price stock adjustment),
    and 23084 one named 'Amazon'."""
    if not keys:
        return {}
    rows = ws.cursor().execute(
        """SELECT l.k, coalesce(max(p.name), arg_max(l.product_name, (l.sold, l.n, l.product_name)))
           FROM (SELECT coalesce(sku, product_name) AS k, sku, product_name,
                        count(*) FILTER (WHERE unit_price > 0 AND quantity > 0) AS sold,
                        count(*) AS n
                 FROM order_lines
                 WHERE line_type = 'product' AND product_name IS NOT NULL
                   AND coalesce(sku, product_name) IN (SELECT unnest($keys::VARCHAR[]))
                 GROUP BY ALL) l
           LEFT JOIN products p ON p.sku = l.sku GROUP BY l.k""", {"keys": keys}).fetchall()
    return {str(k): str(n or "") for k, n in rows}


# -- reconciliation ----------------------------------------------------------------------------
BRIDGE: tuple[tuple[str, str], ...] = (
    ("recon.gross", "gross_sales"), ("recon.discounts", "discounts"),
    ("recon.refunds", "refunds"), ("recon.net", "net_sales"),
    ("recon.shipping", "shipping_charged"), ("recon.tax", "taxes"),
)
RECON_METRICS = ("gross_sales", "discounts", "refunds", "net_sales", "shipping_charged", "taxes",
                 "order_refunds", "refund_documents", "refund_document_value", "cancelled_orders",
                 "cancelled_value", "test_orders", "test_order_value")


@dataclass(frozen=True)
class Reconciliation:
    period: Period
    result: MetricResult
    timezone: str
    moved_out: tuple[int, Decimal]  # counted orders of the period whose UTC day is outside it
    moved_in: tuple[int, Decimal]   # ... and orders outside it whose UTC day is inside
    currencies: pd.DataFrame        # currency, orders, sales after discounts (own currency), status

    @property
    def currency(self) -> str | None:
        return self.result.currency

    def amount(self, metric: str) -> Decimal | None:
        v = self.result.value(metric).value
        return None if v is None else Decimal(str(v))

    def bridge(self) -> list[tuple[str, Decimal | None]]:
        """(label key, amount) from gross sales to net sales with shipping and tax."""
        rows = [(key, self.amount(m)) for key, m in BRIDGE]
        net, ship, tax = self.amount("net_sales"), self.amount("shipping_charged"), self.amount("taxes")
        total = None if net is None else net + (ship or 0) + (tax or 0)
        return rows + [("recon.with_shipping_tax", total)]


def reconcile(ws: Workspace, filters: Filters) -> Reconciliation:
    """The amounts behind the usual differences with a platform's own dashboard."""
    current = current_period(ws, filters)
    result = compute(ws, filters, RECON_METRICS, periods=(current,))
    plan, scope = resolve_scope(ws, filters, (current,))
    parts = SqlParts()
    rates_ctes(parts, scope, costs=False)
    fx, join, cond = currency_sql(scope, parts, "o")
    where = scope_where(scope, "o", parts) + cond
    parts.params.update(s=current.start, e=current.end)
    parts.add(f"""x AS (SELECT o.d, CAST(timezone('UTC', o.created_at) AS DATE) AS utc_d,
                 (o.gross - o.discount) * {fx} AS amount
          FROM metrics_orders o {join}
          WHERE o.counted AND o.d BETWEEN $s - 2 AND $e + 2 AND {where})""")
    sql = parts.sql() + """
    SELECT count(*) FILTER (WHERE d BETWEEN $s AND $e AND utc_d NOT BETWEEN $s AND $e),
           coalesce(sum(amount) FILTER (WHERE d BETWEEN $s AND $e AND utc_d NOT BETWEEN $s AND $e), 0),
           count(*) FILTER (WHERE d NOT BETWEEN $s AND $e AND utc_d BETWEEN $s AND $e),
           coalesce(sum(amount) FILTER (WHERE d NOT BETWEEN $s AND $e AND utc_d BETWEEN $s AND $e), 0)
    FROM x"""
    cur = ws.cursor()
    row = cur.execute(sql, parts.params).fetchone() or (0, 0, 0, 0)
    q = lambda x: Decimal(str(x)).quantize(CENT)  # noqa: E731
    by_cur = SqlParts()
    by_cur_where = scope_where(scope, "o", by_cur)
    by_cur.params.update(s=current.start, e=current.end)
    rows = cur.execute(
        f"""SELECT o.currency, count(*), sum(o.gross - o.discount) FROM metrics_orders o
            WHERE o.counted AND o.d BETWEEN $s AND $e AND {by_cur_where}
            GROUP BY 1 ORDER BY 1""", by_cur.params).fetchall()
    excluded = set(plan.excluded)
    status = ["excluded" if c in excluded else "target" if c == plan.target or plan.target is None
              else "converted" for c, _, _ in rows]
    frame = pd.DataFrame({"currency": [r[0] for r in rows], "orders": [int(r[1]) for r in rows],
                          "amount": [float(r[2] or 0) for r in rows], "status": status})
    return Reconciliation(current, result, ws.timezone, (int(row[0]), q(row[1])),
                          (int(row[2]), q(row[3])), frame)

