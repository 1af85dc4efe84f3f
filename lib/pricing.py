"""Pricing & promotions (guide ch. 5): what each discount code brought, and price what-ifs.

- Discount codes: counted orders in the period grouped by the code they were placed with
  (as exported; "no code" is a row of its own), read from the metrics fact table joined to
  the orders, in one currency by the filters' plan: orders, customers, the share of orders
  that were a customer's first, gross sales, discounts given (and their rate of gross), refunds,
  net sales, average order value ((gross − discounts) ÷ orders) and how it compares with
  orders without a code, and the share of orders later refunded.
- What-ifs use the demand model of the Scenarios page (`lib.scenario`): a price change of
  p % changes units by ε × p % (ε, the price elasticity, ≤ 0; −1.5: 10 % off sells 15 %
  more), never below zero. Revenue = price × units; margin = (price − unit cost) × units.
- Break-even volume of a discount d at margin rate m: the extra units needed to earn the same
  margin, d ÷ (m − d); none when the discount eats the whole margin (d ≥ m).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from lib.errors import ShoplensError
from lib.metrics.engine import refresh_facts
from lib.metrics.filters import Filters, currencies, resolve_plan
from lib.scenario import ELASTICITY_RANGE
from lib.sql import query_frame
from lib.workspace import Workspace

PRICE_CHANGE_RANGE = (-90.0, 100.0)  # percent


class PricingError(ShoplensError):
    """A what-if setting outside what it can mean."""


@dataclass(frozen=True)
class CodeReport:
    """Per discount code (None: orders without one): see the module doc for the columns."""

    table: pd.DataFrame
    currency: str | None
    excluded: tuple[str, ...]


def discount_codes(ws: Workspace, filters: Filters | None = None) -> CodeReport:
    filters = filters or Filters()
    plan = resolve_plan(ws, filters, currencies(ws, filters))
    refresh_facts(ws)
    fx = plan.order_factor_sql("m.currency")
    where, params = filters.facts_where("m")
    where += ["m.counted", f"{fx} IS NOT NULL"]
    t = query_frame(ws.cursor(), f"""
        SELECT nullif(trim(o.discount_code), '') AS code, count(*) AS orders,
               count(DISTINCT m.cust) AS customers,
               count(CASE WHEN m.first_order THEN 1 END) AS first_orders,
               sum(m.gross * {fx})::DOUBLE AS gross,
               sum(coalesce(m.discount, 0) * {fx})::DOUBLE AS discounts,
               sum(coalesce(m.refunded, 0) * {fx})::DOUBLE AS refunds,
               count(CASE WHEN m.refunded > 0 THEN 1 END) AS refunded_orders
        FROM metrics_orders m JOIN orders o ON o.source = m.source AND o.order_id = m.order_id
        WHERE {' AND '.join(where)}
        GROUP BY 1
        ORDER BY (code IS NOT NULL), orders DESC, code""", params)
    if t.empty:
        return CodeReport(t, plan.target, plan.excluded)
    t["order_share"] = t["orders"] / t["orders"].sum()
    t["first_order_share"] = t["first_orders"] / t["orders"]
    t["discount_rate"] = t["discounts"] / t["gross"].where(t["gross"] != 0)
    t["net"] = t["gross"] - t["discounts"] - t["refunds"]
    t["aov"] = (t["gross"] - t["discounts"]) / t["orders"]
    t["refund_rate"] = t["refunded_orders"] / t["orders"]
    plain = t.loc[t["code"].isna(), "aov"]
    t["aov_vs_no_code"] = t["aov"] / float(plain.iloc[0]) - 1 if len(plain) and plain.iloc[0] else float("nan")
    return CodeReport(t, plan.target, plan.excluded)


def _check(price_change_pct: float, elasticity: float) -> None:
    lo, hi = PRICE_CHANGE_RANGE
    if not (math.isfinite(price_change_pct) and lo <= price_change_pct <= hi):
        raise PricingError(f"The price change must be from {lo:g} % to {hi:g} % "
                           f"(got {price_change_pct:g}).", key="pricing.bad_change",
                           value=f"{price_change_pct:g}", lo=f"{lo:g}", hi=f"{hi:g}")
    lo, hi = ELASTICITY_RANGE
    if not (math.isfinite(elasticity) and lo <= elasticity <= hi):
        raise PricingError(f"The price elasticity must be from {lo:g} to {hi:g} (got "
                           f"{elasticity:g}).", key="pricing.bad_elasticity", value=f"{elasticity:g}",
                           lo=f"{lo:g}", hi=f"{hi:g}")


def volume_factor(price_change_pct: float, elasticity: float) -> float:
    """Units after a price change, as a multiple of units before (the Scenarios model)."""
    _check(price_change_pct, elasticity)
    return max(0.0, 1.0 + elasticity * price_change_pct / 100.0)


def price_what_if(sales: pd.DataFrame, price_change_pct: float, elasticity: float) -> pd.DataFrame:
    """Per product of `sales` (product, units, gross, cogs): average price and unit cost in the
    period, units, revenue and margin before and after changing the price by
    `price_change_pct` % with `elasticity` (margin NaN where the product has no cost)."""
    k = volume_factor(price_change_pct, elasticity)
    p = 1.0 + price_change_pct / 100.0
    out = sales[["product", "units", "gross", "cogs"]].copy()
    units = out["units"].where(out["units"] > 0)
    out["price"] = out["gross"] / units
    out["unit_cost"] = out["cogs"] / units
    out["units_after"] = out["units"] * k
    out["revenue"] = out["gross"]
    out["revenue_after"] = out["gross"] * p * k
    out["margin"] = out["gross"] - out["cogs"]
    out["margin_after"] = (out["price"] * p - out["unit_cost"]) * out["units_after"]
    out["margin_change"] = out["margin_after"] - out["margin"]
    return out.drop(columns=["gross", "cogs"])


def what_if_totals(result: pd.DataFrame) -> dict[str, float]:
    """Sums of `price_what_if` over its products. Margins add up only the products with a unit
    cost (NaN when none has one); `uncosted` counts the others."""
    costed = result["margin"].notna()
    out = {c: float(result[c].sum()) for c in ("units", "units_after", "revenue", "revenue_after")}
    for c in ("margin", "margin_after", "margin_change"):
        out[c] = float(result.loc[costed, c].sum()) if costed.any() else math.nan
    out["uncosted"] = float((~costed).sum())
    return out


def overall_margin_rate(sales: pd.DataFrame) -> float | None:
    """The shop's margin rate over the products of `sales` (lib.products) that have a unit
    cost (None: no such sales)."""
    costed = sales[sales["cogs"].notna()]
    gross = float(costed["gross"].sum())
    return float(costed["margin"].sum()) / gross if gross > 0 else None


def breakeven_volume(discount_pct: float, margin_rate: float) -> float | None:
    """Extra units (as a fraction: 0.5 = +50 %) a discount of `discount_pct` % needs to keep
    the margin at margin rate `margin_rate` (0.4 = 40 %); None when it never can."""
    d = discount_pct / 100.0
    if not (0 <= d < 1):
        raise PricingError(f"A discount must be from 0 % to below 100 % (got {discount_pct:g}).",
                           key="pricing.bad_discount", value=f"{discount_pct:g}")
    if not math.isfinite(margin_rate):
        raise PricingError(f"The margin rate must be a number (got {margin_rate}).",
                           key="pricing.bad_margin", value=str(margin_rate))
    if d >= margin_rate:
        return None
    return d / (margin_rate - d)
