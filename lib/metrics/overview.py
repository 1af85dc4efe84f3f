"""What the Overview page shows, computed in one engine call (one query per table family).

Cards: the period's value of each card metric, the previous period of the same length and,
when the data reach back that far, the same days a year earlier. Trend: the card metrics per
day, week or month of the current period (sparklines). Breakdown: the breakdown metrics per
channel, platform, category, product or country, with the previous period for the change.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal, get_args

import pandas as pd

from lib.i18n import t
from lib.metrics.catalogue import Metric, load_catalogue
from lib.metrics.engine import (
    Ask, MetricResult, Value, comparison_periods, compute, current_period, data_range,
)
from lib.metrics.families import whole_bucket
from lib.metrics.filters import Filters
from lib.workspace import Workspace

Breakdown = Literal["channel", "platform", "category", "product", "country"]
BREAKDOWNS: tuple[str, ...] = get_args(Breakdown)

# Net vs gross side by side, then orders, customers (repurchase, retention and their value to
# date), profit, funnel and advertising, operations and stock: every KPI the guide names for
# the overview (orders per customer and the rest of the catalogue: CLI, glossary, analysis).
CARDS: tuple[str, ...] = (
    "gross_sales", "discounts", "refunds", "net_sales",
    "orders", "avg_order_value", "units", "order_total",
    "customers", "new_customers", "repeat_customer_rate", "retention_rate",
    "historical_ltv", "gross_margin", "gross_margin_rate", "contribution_margin",
    "conversion_rate", "ctr", "ad_spend", "roas",
    "roi", "cac", "on_time_ship_rate", "refund_rate",
    "cancel_rate", "inventory_value", "inventory_turnover", "days_of_cover",
)
# Sparkline metrics: the card metrics that are additive or cheap per bucket.
TREND: tuple[str, ...] = ("gross_sales", "discounts", "refunds", "net_sales", "orders",
                          "avg_order_value", "units", "order_total", "new_customers",
                          "gross_margin", "gross_margin_rate", "conversion_rate", "ad_spend",
                          "roas", "on_time_ship_rate", "refund_rate", "cancel_rate")
# Per week or month only: one day's customers ordering again the next day says little.
TREND_NOT_DAILY: tuple[str, ...] = ("retention_rate",)
BREAKDOWN_METRICS: tuple[str, ...] = ("gross_sales", "net_sales", "orders", "avg_order_value",
                                      "units", "gross_margin_rate")
BREAKDOWN_ROWS = 25  # keys shown (chart and table), largest first
# Gross → net: levels ("total") and what comes off them ("delta").
BRIDGE: tuple[tuple[str, str], ...] = (("gross_sales", "total"), ("discounts", "delta"),
                                       ("refunds", "delta"), ("net_sales", "total"))


@dataclass(frozen=True)
class Card:
    metric: Metric
    current: Value
    previous: Value | None
    last_year: Value | None

    @staticmethod
    def change(now: Value, then: Value | None) -> float | None:
        """Relative change (0.1 = +10 %); None when either side is missing or the base is 0."""
        if then is None or now.value is None or then.value is None or then.value == 0:
            return None
        return float(Decimal(str(now.value)) / Decimal(str(then.value)) - 1)

    @property
    def vs_previous(self) -> float | None:
        return None if self.metric.snapshot else self.change(self.current, self.previous)

    @property
    def vs_last_year(self) -> float | None:
        return None if self.metric.snapshot else self.change(self.current, self.last_year)


@dataclass(frozen=True)
class Overview:
    result: MetricResult
    cards: tuple[Card, ...]
    trend_grain: str
    breakdown_dim: str

    @property
    def currency(self) -> str | None:
        return self.result.currency

    @property
    def has_last_year(self) -> bool:
        return self.result.period("last_year") is not None

    @property
    def has_last_year_orders(self) -> bool:
        """Whether the same period a year before has orders to compare with."""
        return self.has_last_year and bool(self.result.value("orders", "last_year").value)

    @property
    def has_previous(self) -> bool:
        """Whether the as-long period before has orders to compare with (not so for the whole
        history)."""
        return bool(self.result.value("orders", "previous").value)

    def period_text(self, lang: str = "en") -> str:
        """The period and what it is compared with, for the page and the report; a comparison
        period before the first order is not named (it would say nothing)."""
        cur, prev = self.result.period("current"), self.result.period("previous")
        if prev is None or not self.has_previous:
            return t("overview.period_no_previous", lang, start=cur.start, end=cur.end, days=cur.days)
        return t("overview.period", lang, start=cur.start, end=cur.end, days=cur.days,
                 prev_start=prev.start, prev_end=prev.end)

    @property
    def has_orders(self) -> bool:
        v = self.result.value("orders").value
        return bool(v)

    def trend(self) -> pd.DataFrame:
        """Columns: the time bucket (named after the grain) and the trend metrics; retention
        only for the buckets the period does not cut short (a 3-day week's is not a week's)."""
        g = self.trend_grain
        df = self.result.frame((g,), "current", trend_metrics(g)).drop(columns="period")
        period = self.result.period("current")
        for m in TREND_NOT_DAILY:
            if m in df and period is not None:
                df.loc[[not whole_bucket(g, k, period) for k in df[g]], m] = float("nan")
        return df

    def breakdown(self) -> pd.DataFrame:
        """One row per key: the breakdown metrics now, and net (or gross) sales before."""
        g = (self.breakdown_dim,)
        now = self.result.frame(g, "current", BREAKDOWN_METRICS).drop(columns="period")
        before = self.result.frame(g, "previous", BREAKDOWN_METRICS).drop(columns="period")
        measure = self.sales_measure()
        prev = before[[self.breakdown_dim, measure]].rename(columns={measure: "previous"})
        out = now.merge(prev, on=self.breakdown_dim, how="left")
        return out.sort_values(measure, ascending=False, na_position="last").reset_index(drop=True)

    def bridge(self) -> list[tuple[Metric, float, str]]:
        """Gross → net as (metric, signed amount, kind): discounts and refunds as decreases; a
        decrease the exports do not record (refunds in CDNOW) is left out, not drawn as 0."""
        by_id = {c.metric.id: c for c in self.cards}
        steps = []
        for metric_id, kind in BRIDGE:
            value = by_id[metric_id].current.value
            if value is None and kind == "delta":
                continue
            amount = float(value or 0)
            steps.append((by_id[metric_id].metric, -amount if kind == "delta" else amount, kind))
        return steps

    def missing_data(self) -> dict[str, tuple[Metric, ...]]:
        """Card metrics whose data are not loaded at all, by what is missing (a `what` of
        lib/strings/metrics.py's `metrics.needs.*`), in card order: the page lists them once
        instead of a card with a dash each."""
        out: dict[str, list[Metric]] = {}
        for c in self.cards:
            r = c.current.reason
            if c.current.value is None and r is not None and r.key == "metrics.reason.needs":
                out.setdefault(r.param("what") or "", []).append(c.metric)
        return {what: tuple(ms) for what, ms in out.items()}

    def shown_cards(self) -> tuple[Card, ...]:
        """The cards to draw: all but those `missing_data` lists."""
        hidden = {m.id for ms in self.missing_data().values() for m in ms}
        return tuple(c for c in self.cards if c.metric.id not in hidden)

    def card_metric(self, metric_id: str) -> Metric:
        return next(c.metric for c in self.cards if c.metric.id == metric_id)

    def sales_measure(self) -> str:
        """Net sales where the breakdown can split it; gross sales by category or product."""
        unavailable = self.result.unavailable((self.breakdown_dim,))
        return "gross_sales" if "net_sales" in unavailable else "net_sales"


def trend_grain(days: int) -> str:
    return "day" if days <= 62 else "week" if days <= 370 else "month"


def trend_metrics(grain: str) -> tuple[str, ...]:
    """The card metrics with a sparkline at this grain."""
    return TREND if grain == "day" else TREND + TREND_NOT_DAILY


def compute_overview(ws: Workspace, filters: Filters, breakdown: str = "channel") -> Overview:
    """Cards, trend and breakdown for the sidebar's filters (see the module doc)."""
    if breakdown not in BREAKDOWNS:
        breakdown = "channel"
    current = current_period(ws, filters)
    span = data_range(ws, filters)
    periods = comparison_periods(current, span[0] if span else None)
    grain = trend_grain(current.days)
    result = compute(ws, filters, CARDS, periods=periods, groupings=(
        Ask(()), Ask((grain,), trend_metrics(grain), ("current",)),
        Ask((breakdown,), BREAKDOWN_METRICS, ("current", "previous"))))
    cat = load_catalogue()
    has_ly = result.period("last_year") is not None
    cards = tuple(Card(cat[m], result.value(m), result.value(m, "previous"),
                       result.value(m, "last_year") if has_ly else None) for m in CARDS)
    return Overview(result, cards, grain, breakdown)
