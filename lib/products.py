"""Products & inventory (guide ch. 5): ABC classes, margins, stock cover, reorder points.

- Sales per product come from the metrics fact table `metrics_lines` (product lines of
  counted orders; a product is its SKU, else its name): units, gross sales (unit price ×
  quantity, before order discounts), cost of goods where the product has a unit cost, in one
  currency by the filters' currency plan (costs converted with the same rates).
- ABC: products ranked by gross sales; A = those making up the first `a_share` (80 %) of
  sales, B the next up to `b_share` (95 %), C the rest. The product that crosses a boundary
  belongs to the class it starts in.
- Inventory (SKUs with stock and lead time, `lib.risk.stock_cover`): demand is the average
  daily units over the last `window` days of data, σ its day-to-day spread (days without a
  sale count as 0). Safety stock = z(service level) × σ × √lead time; reorder point = daily
  demand × lead time + safety stock; order now when stock ≤ reorder point, enough to reach
  the reorder point plus `review_days` of demand. Turns a year at the current stock =
  365 × daily demand ÷ stock. Without a sale in the window a stocked SKU is dead stock.
  With a demand outlook (`demand_outlook`) the average is scaled day by day to what lies ahead:
  the shop's units forecast (seasonality, holidays, shopping festivals, planned promotions) ÷
  its own average over the same window is a factor per future day, and each SKU's lead-time
  demand, σ, review-period demand and days of cover follow those factors (top-down: the SKUs
  together follow the shop's forecast; a SKU's own seasonality is not modelled).
  Demand counts the units of every counted order whatever its currency (stock does not care);
  unit costs and stock values are shown in the filters' currency (a cost without a currency
  is in the workspace's main one; one without a rate has no value, NaN).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from statistics import NormalDist

import numpy as np
import pandas as pd

from lib.errors import ShoplensError
from lib.metrics.engine import refresh_facts
from lib.metrics.filters import Filters, currencies, factor_case, home_currency, resolve_plan
from lib.risk import stock_cover
from lib.sql import query_frame
from lib.workspace import Workspace

CLASSES = ("A", "B", "C")
INVENTORY_STATUSES = ("reorder", "ok", "overstock", "dead")
OVERSTOCK_DAYS = 180  # more days of cover than this: overstock
OUTLOOK_MIN_DAYS = 28  # the shortest demand outlook fitted


class ProductsError(ShoplensError):
    """Inventory settings outside their range."""


@dataclass(frozen=True)
class ProductSales:
    """Per product: product, category, units, gross, cogs (NaN where not costed), orders."""

    table: pd.DataFrame
    currency: str | None
    excluded: tuple[str, ...]


def orders_without_lines(ws: Workspace, filters: Filters | None = None) -> bool:
    """Whether the filters hold counted orders but none has a product line (an export with a
    row per order, Etsy's Sold Orders): then 'no products' is not 'no orders'."""
    refresh_facts(ws)
    where, params = (filters or Filters()).facts_where("m")
    row = ws.cursor().execute(
        "SELECT count(*) > 0 AND NOT bool_or(m.has_lines) FROM metrics_orders m "
        f"WHERE {' AND '.join(['m.counted', *where])}", params).fetchone()
    return bool(row and row[0])


def product_sales(ws: Workspace, filters: Filters | None = None) -> ProductSales:
    filters = filters or Filters()
    plan = resolve_plan(ws, filters, currencies(ws, filters))
    refresh_facts(ws)
    fx = plan.order_factor_sql("m.currency")
    cost_factors = {c: float(f) for c, _ in plan.rates if (f := plan.factor(c)) is not None}
    cost_fx = factor_case("m.cost_cur", cost_factors) if plan.target else "1"
    where, params = filters.facts_where("m")
    where += ["m.product IS NOT NULL", f"{fx} IS NOT NULL"]
    table = query_frame(ws.cursor(), f"""
        SELECT m.product, any_value(m.category) AS category, sum(m.units)::DOUBLE AS units,
               sum(m.gross * {fx})::DOUBLE AS gross,
               CASE WHEN bool_and(m.costed) THEN sum(m.cogs * {cost_fx})::DOUBLE END AS cogs,
               count(DISTINCT m.ok) AS orders
        FROM metrics_lines m
        WHERE {' AND '.join(where)}
        GROUP BY m.product
        ORDER BY gross DESC, m.product""", params)
    table["margin"] = table["gross"] - table["cogs"]
    table["margin_rate"] = table["margin"] / table["gross"].where(table["gross"] != 0)
    return ProductSales(table, plan.target, plan.excluded)


A_SHARE, B_SHARE = 0.8, 0.95  # the usual ABC boundaries: A to 80 % of sales, A + B to 95 %


def abc(sales: pd.DataFrame, a_share: float = A_SHARE, b_share: float = B_SHARE) -> pd.DataFrame:
    """`sales` ranked by gross with share, cumulative share and ABC class (see module doc)."""
    if not 0 < a_share < b_share < 1:
        raise ProductsError("ABC shares must satisfy 0 < A < B < 1.", key="products.bad_abc",
                            a=a_share, b=b_share)
    out = sales.sort_values(["gross", "product"], ascending=[False, True]).reset_index(drop=True)
    total = float(out["gross"].clip(lower=0).sum())
    share = out["gross"].clip(lower=0) / total if total > 0 else out["gross"] * 0.0
    before = share.cumsum() - share  # the share of sales ranked above this product
    out["share"] = share
    out["cum_share"] = share.cumsum()
    out["abc"] = np.where(before < a_share, "A", np.where(before < b_share, "B", "C"))
    return out


def abc_summary(ranked: pd.DataFrame) -> pd.DataFrame:
    """Per class: products, their share of products, of gross sales and of units."""
    g = ranked.groupby("abc")
    out = pd.DataFrame({"products": g.size(), "gross": g["gross"].sum(), "units": g["units"].sum()})
    out = out.reindex(list(CLASSES), fill_value=0)
    for col, total in (("products", out["products"].sum()), ("gross", out["gross"].sum()),
                       ("units", out["units"].sum())):
        out[f"{col}_share"] = out[col] / total if total else 0.0
    return out.reset_index(names="abc")


@dataclass(frozen=True)
class DemandOutlook:
    """The shop's forecast units per day ÷ its average daily units over the demand window.

    `factors[i]` is day i + 1 after `last_day`; beyond the forecast the mean factor holds.
    `festivals`: the ids of the shopping festivals ahead within the forecast, in date order
    (`lib.forecast.festivals.display_name` names them in a language); `method` is the
    forecast's (a fallback when the history is too short for the full model)."""

    last_day: date
    window: int
    average: float                 # the shop's average daily units over the window
    factors: tuple[float, ...]
    method: str
    festivals: tuple[str, ...] = ()

    def _tail(self) -> float:
        """The factor assumed beyond the forecast: its mean."""
        return float(np.mean(self.factors)) if self.factors else 1.0

    def mean_factor(self, start: int, days: int) -> float:
        """The mean factor over future days start + 1 … start + days (1.0 for no days)."""
        if days <= 0:
            return 1.0
        f = np.asarray(self.factors[start:start + days], dtype="float64")
        return float((f.sum() + (days - len(f)) * self._tail()) / days)

    def cover_days(self, average_days: np.ndarray) -> np.ndarray:
        """Days until stock worth `average_days` of average demand is sold at the forecast's
        pace (linear within a day, the mean factor beyond the forecast); NaN where it is never
        sold (NaN in, or a zero forecast)."""
        need = np.asarray(average_days, dtype="float64")
        cum = np.cumsum(np.asarray(self.factors, dtype="float64"))
        total = float(cum[-1]) if len(cum) else 0.0
        out = np.full(need.shape, np.nan)
        within = np.isfinite(need) & (need <= total) & (len(cum) > 0)
        idx = np.searchsorted(cum, need[within], side="left")
        before = np.where(idx > 0, cum[np.maximum(idx - 1, 0)], 0.0)
        step = cum[idx] - before
        out[within] = idx + np.where(step > 0, (need[within] - before) / np.where(step > 0, step, 1.0), 0.0)
        beyond = np.isfinite(need) & (need > total)
        if self._tail() > 0:
            out[beyond] = len(cum) + (need[beyond] - total) / self._tail()
        return out


def demand_outlook(ws: Workspace, filters: Filters | None = None, window: int = 90,
                   review_days: int = 14) -> DemandOutlook | None:
    """The day factors (see DemandOutlook) over the longest lead time plus the review period
    (28 days at least), from a forecast of the shop's daily units (every currency and channel
    in the filters, history up to the filters' end); None when no SKU has stock and a lead
    time, or nothing sold in the window."""
    from lib.forecast.festivals import default_festivals, supported_country, window_days
    from lib.forecast.model import MAX_HORIZON, fit_forecast
    from lib.forecast.series import (ALL_CURRENCIES, daily_series, planned_promotions, series_channels,
                                     shop_markets)

    row = ws.cursor().execute("SELECT max(lead_time_days) FROM products "
                              "WHERE stock_on_hand IS NOT NULL").fetchone()
    if not row or row[0] is None:
        return None  # no SKU to plan: no forecast to fit
    filters = replace(filters or Filters(), start=None)
    series = daily_series(ws, "units", "total", None, filters, currency=ALL_CURRENCIES)
    if series.empty:
        return None
    last = series["ds"].max()
    average = float(series.loc[series["ds"] > last - pd.Timedelta(days=window), "y"].sum()) / window
    if average <= 0:
        return None
    markets = shop_markets(ws, filters)
    country = markets[0] if markets and supported_country(markets[0]) else None
    festivals = default_festivals(markets)
    horizon = max(OUTLOOK_MIN_DAYS, min(int(row[0]) + max(0, int(review_days)), MAX_HORIZON))
    calendar = planned_promotions(ws, series_channels(ws, "total", None, filters, currency=ALL_CURRENCIES))
    result = fit_forecast(series, horizon, country=country, festivals=festivals,
                          future_promotions=calendar)
    factors = tuple(float(v) / average for v in result.forecast["yhat"].clip(lower=0.0))
    ahead = window_days(festivals) if festivals is not None and len(festivals) else pd.DataFrame()
    names: tuple[str, ...] = ()
    if len(ahead):
        future = ahead[(ahead["ds"] > last) & (ahead["ds"] <= last + pd.Timedelta(days=horizon))]
        names = tuple(dict.fromkeys(str(n) for n in future.sort_values("ds")["holiday"]))
    return DemandOutlook(last.date(), window, average, factors, str(result.method), names)


def inventory_plan(ws: Workspace, filters: Filters | None = None, service_level: float = 0.95,
                   window: int = 90, review_days: int = 14,
                   outlook: DemandOutlook | None = None) -> pd.DataFrame:
    """Per stocked SKU: stock_cover's columns (unit_cost converted, `value_currency` naming the
    currency), stock_value (at unit cost), turns, safety_stock_calc, reorder_point, order_qty and
    status (see the module doc); with an `outlook`, lead-time demand, σ, review demand and days
    of cover follow its factors, and `lead_factor` says by how much."""
    if not 0.5 <= service_level < 1:
        raise ProductsError("The service level must be at least 50 % and below 100 %.",
                            key="products.bad_service_level", level=service_level)
    if window < 7 or review_days < 0:
        raise ProductsError("The demand window must be at least 7 days and the review period "
                            "0 days or more.", key="products.bad_window", window=window,
                            review=review_days)
    filters = filters or Filters()
    cover = stock_cover(ws, replace(filters, start=None), window=window)
    cover["unit_cost"], cover["value_currency"] = _costs_in(ws, filters, cover)
    z = NormalDist().inv_cdf(service_level)
    daily, lead = cover["daily_units"], cover["lead_time_days"].astype(float)
    if outlook is None:
        lead_factor = review_factor = pd.Series(1.0, index=cover.index)
    else:
        lead_factor = lead.map(lambda d: outlook.mean_factor(0, int(d)))
        review_factor = lead.map(lambda d: outlook.mean_factor(int(d), review_days))
        cover["days_of_cover"] = outlook.cover_days(
            (cover["stock"] / daily.where(daily > 0)).to_numpy(dtype="float64"))
    cover["lead_factor"] = lead_factor
    cover["lead_time_demand"] = daily * lead * lead_factor
    safety = z * cover["sd_daily_units"] * lead_factor * np.sqrt(lead)
    rop = cover["lead_time_demand"] + safety
    cover["stock_value"] = cover["stock"] * cover["unit_cost"]
    cover["turns"] = 365 * daily / cover["stock"].where(cover["stock"] > 0)
    cover["safety_stock_calc"] = safety
    cover["reorder_point"] = rop
    reorder = (daily > 0) & (cover["stock"] <= rop)
    cover["order_qty"] = np.where(
        reorder, np.ceil((rop + daily * review_days * review_factor - cover["stock"]).clip(lower=0)), 0.0)
    cover["status"] = np.select(
        [(daily <= 0) & (cover["stock"] > 0), reorder, cover["days_of_cover"] > OVERSTOCK_DAYS],
        ["dead", "reorder", "overstock"], default="ok")
    return cover


def _costs_in(ws: Workspace, filters: Filters, cover: pd.DataFrame) -> tuple[pd.Series, str | None]:
    """Unit costs converted into the currency the filters show money in, and that currency."""
    plan = resolve_plan(ws, filters, currencies(ws, filters))
    home = home_currency(ws)
    cost_currency = cover["cost_currency"].fillna(home) if home else cover["cost_currency"]
    if plan.target is None:  # no orders to show money for: costs as they are, if in one currency
        found = cost_currency.dropna().unique()
        if len(found) > 1:
            return cover["unit_cost"] * np.nan, None
        return cover["unit_cost"], (str(found[0]) if len(found) else None)
    factors = {c: plan.factor(c) for c in cost_currency.dropna().unique()}
    factor = pd.Series([float(f) if (f := factors.get(c)) is not None else np.nan
                        for c in cost_currency], index=cover.index, dtype="float64")
    return cover["unit_cost"].astype("float64") * factor, plan.target


def inventory_summary(plan: pd.DataFrame) -> pd.DataFrame:
    """Per status: SKUs, units on hand, stock value at cost (NaN where a cost is missing)."""
    g = plan.groupby("status")
    out = pd.DataFrame({"skus": g.size(), "stock": g["stock"].sum(),
                        "stock_value": g["stock_value"].sum(min_count=1)})
    out = out.reindex(list(INVENTORY_STATUSES))
    out["skus"] = out["skus"].fillna(0).astype("int64")
    out["stock"] = out["stock"].fillna(0.0)
    return out.reset_index(names="status")
