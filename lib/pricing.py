"""Pricing & promotions (guide ch. 5): what each discount code brought, and price what-ifs.

- Discount codes: counted orders in the period grouped by the code they were placed with
  (as exported; "no code" is a row of its own), read from the metrics fact table joined to
  the orders, in one currency by the filters' plan: orders, customers, the share of orders
  that were a customer's first, gross sales, discounts given (and their rate of gross), refunds,
  net sales, average order value ((gross − discounts) ÷ orders) and how it compares with
  orders without a code, and the share of orders later refunded. Refund documents (a refund
  exported as its own document, Online Retail's `C…` invoices) carry no code: their refunds
  and their count as refunded orders go to the "no code" row, so the table's refunds and net
  sales add up to the Overview's and its refund rate is the catalogue's.
- What-ifs use the demand model of the Scenarios page (`lib.scenario`): a price change of
  p % changes units by ε × p % (ε, the price elasticity, ≤ 0; −1.5: 10 % off sells 15 %
  more), never below zero. Revenue = price × units; margin = (price − unit cost) × units.
- Break-even volume of a discount d at margin rate m: the extra units needed to earn the same
  margin, d ÷ (m − d); none when the discount eats the whole margin (d ≥ m).
- Price response seen in past promotions: each promotion's lift in units over the forecast
  of the days without it (lib.forecast.lift), divided by its discount, is the elasticity it
  implies; pooled over the promotions, with a range (those a festival fell in for the first
  time are left out). Promotions also bring attention and urgency, so this is usually a
  stronger response than a lasting price change would get.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from lib.errors import ShoplensError
from lib.metrics.engine import refresh_facts
from lib.metrics.filters import Filters, currencies, resolve_plan
from lib.scenario import ELASTICITY_RANGE
from lib.sql import query_frame
from lib.workspace import Workspace

if TYPE_CHECKING:  # importing it loads Prophet
    from lib.forecast.lift import LiftResult

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
    scope, params = filters.facts_where("m")
    where = [*scope, "m.counted", f"{fx} IS NOT NULL"]
    t = query_frame(ws.cursor(), f"""
        SELECT nullif(trim(o.discount_code), '') AS code, count(*) AS orders,
               count(DISTINCT m.cust) AS customers,
               count(CASE WHEN m.first_order THEN 1 END) AS first_orders,
               sum(m.gross * {fx})::DOUBLE AS gross,
               sum(coalesce(m.discount, 0) * {fx})::DOUBLE AS discounts,
               sum(coalesce(m.refunded, 0) * {fx})::DOUBLE AS refunds,
               count(CASE WHEN m.refunded > 0 THEN 1 END) AS refunded_orders,
               count(CASE WHEN m.refund_base THEN 1 END) AS refund_base
        FROM metrics_orders m JOIN orders o ON o.source = m.source AND o.order_id = m.order_id
        WHERE {' AND '.join(where)}
        GROUP BY 1
        ORDER BY (code IS NOT NULL), orders DESC, code""", params)
    if t.empty:
        return CodeReport(t, plan.target, plan.excluded)
    docs = ws.cursor().execute(f"""
        SELECT count(*), coalesce(sum(m.refunded * {fx}), 0)::DOUBLE FROM metrics_orders m
        WHERE {' AND '.join([*scope, 'm.refund_doc', f'{fx} IS NOT NULL'])}""", params).fetchone()
    if docs is not None and docs[0]:
        if not t["code"].isna().any():
            t = pd.concat([pd.DataFrame([{"code": None, "orders": 0, "customers": 0, "first_orders": 0,
                                          "gross": 0.0, "discounts": 0.0, "refunds": 0.0,
                                          "refunded_orders": 0, "refund_base": 0}]), t],
                          ignore_index=True)
        plain_row = t["code"].isna()
        t.loc[plain_row, "refunds"] += float(docs[1])
        t.loc[plain_row, "refunded_orders"] += int(docs[0])
    t["order_share"] = t["orders"] / t["orders"].sum()
    t["first_order_share"] = t["first_orders"] / t["orders"]
    t["discount_rate"] = t["discounts"] / t["gross"].where(t["gross"] != 0)
    t["net"] = t["gross"] - t["discounts"] - t["refunds"]
    t["aov"] = (t["gross"] - t["discounts"]) / t["orders"].where(t["orders"] > 0)
    # over the orders whose export records refunds, like the Overview's (Amazon's do not)
    t["refund_rate"] = t["refunded_orders"] / t["refund_base"].where(t["refund_base"] > 0)
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


# -- price response seen in past promotions ---------------------------------------------------
RESPONSE_INTERVAL = 0.8   # the range quoted, as the forecasts' bands
RESPONSE_RESAMPLES = 2000
MIN_RESAMPLED = 3         # fewer promotions: the range adds up each one's own range instead


@dataclass(frozen=True)
class PromotionResponse:
    """What one past promotion's discount did to units: `lift` units over the `expected`
    (the counterfactual without it, lib.forecast.lift), so lift ÷ expected ÷ (−discount) is the
    elasticity it implies; `low`/`high` from the lift's own range."""

    name: str
    start: date
    end: date
    discount: float        # 0.2 = 20 % off
    expected: float
    lift: float
    elasticity: float
    low: float
    high: float


@dataclass(frozen=True)
class ResponseEstimate:
    """The elasticity past promotions imply, pooled over them (Σ lift ÷ Σ (−discount × expected):
    larger promotions weigh more), with an 80 % range (a bootstrap over the promotions from 3 of
    them; with 1–2, their own ranges added up). `elasticity` None: no promotion had both a
    discount depth and an estimated lift (`skipped` counts the calendar's others). Promotions
    a festival fell in for the first time are left out by name (`confounded`): their lift is
    partly the festival's."""

    elasticity: float | None
    low: float | None
    high: float | None
    promotions: tuple[PromotionResponse, ...]
    skipped: int
    confounded: tuple[str, ...] = ()  # left out: a festival first seen in their window

    @property
    def usable(self) -> float | None:
        """The estimate as a what-if setting: inside the sliders' range; None when promotions
        did not raise units (no sign of a price response to use)."""
        if self.elasticity is None or self.elasticity >= 0:
            return None
        lo, hi = ELASTICITY_RANGE
        return round(min(hi, max(lo, self.elasticity)), 1)


def promotion_response(lifts: Sequence[LiftResult], calendar: pd.DataFrame, seed: int = 7) -> ResponseEstimate:
    """The price response implied by past promotions: `lifts` are lib.forecast.lift results on
    the units series, `calendar` the promotion calendar ([name, start, end, discount_pct],
    depths as fractions) they were computed for. A promotion counts when its discount is above
    zero and its lift could be estimated (enough history before it, expected units > 0)."""
    depth = {(str(r.name), pd.Timestamp(r.start).date()): float(r.discount_pct)
             for r in calendar.itertuples(index=False)} if len(calendar) else {}
    rows: list[PromotionResponse] = []
    confounded: list[str] = []
    for lift in lifts:
        d = depth.get((lift.name, lift.start), 0.0)
        expected = float(lift.expected)
        if d <= 0 or lift.method is None or expected <= 0:
            continue
        if lift.unseen_festivals:
            confounded.append(lift.name)
            continue
        per = lambda units: units / expected / -d  # noqa: E731  (extra units → elasticity)
        rows.append(PromotionResponse(lift.name, lift.start, lift.end, d, expected, float(lift.lift),
                                      per(lift.lift), per(lift.lift_upper), per(lift.lift_lower)))
    skipped = len(lifts) - len(rows) - len(confounded)
    if not rows:
        return ResponseEstimate(None, None, None, (), skipped, tuple(confounded))
    lift_ = np.array([r.lift for r in rows])
    base = np.array([r.discount * r.expected for r in rows])
    estimate = float(-lift_.sum() / base.sum())
    if len(rows) >= MIN_RESAMPLED:
        rng = np.random.default_rng(seed)
        pick = rng.integers(0, len(rows), size=(RESPONSE_RESAMPLES, len(rows)))
        ratios = -lift_[pick].sum(axis=1) / base[pick].sum(axis=1)
        tail = (1 - RESPONSE_INTERVAL) / 2
        low, high = (float(q) for q in np.quantile(ratios, [tail, 1 - tail]))
    else:  # too few to resample: their own ranges, pooled the same way
        low = float(sum(r.low * r.discount * r.expected for r in rows) / base.sum())
        high = float(sum(r.high * r.discount * r.expected for r in rows) / base.sum())
    return ResponseEstimate(estimate, low, high, tuple(rows), skipped, tuple(confounded))
