"""Page results kept across reruns (st.cache_data, shared by every session, as the workspace is).

Keyed by the workspace's path, its version (`Workspace.version`: changes with every import or
undo, saved exchange rate and time zone) and the other arguments (filters, settings), so a
language switch, a widget elsewhere on the page or a return visit costs a look-up instead of a
recomputation (the Customers page: ~1.5 s at a million order lines). Each function here is
`per_version`: the workspace itself is handed over unhashed; the key says which one.
"""
from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, Concatenate, ParamSpec, TypeVar

import pandas as pd
import streamlit as st

from lib import analysis as an
from lib import customers as cu
from lib import operations as ops
from lib import products as pr
from lib import pricing
from lib import risk
from lib import team
from lib.metrics import overview as ov
from lib.imports import Coverage, data_coverage
from lib.metrics.filters import FilterOptions, Filters, filter_options
from lib.quality import QualityReport, quality_report
from lib.workspace import Workspace

# Entries per function: workspaces × filter sets × settings, which a planning session's
# people choose each their own. The results are small (≤ 0.1 MB at 1M order lines) but the
# customers' figures (~100 MB there: every order); the server's maxCacheDataSize bounds the sum.
MAX_ENTRIES = 64
MAX_LARGE_ENTRIES = 8

P = ParamSpec("P")
R = TypeVar("R")


def per_version(max_entries: int = MAX_ENTRIES) -> Callable[[Callable[Concatenate[Workspace, P], R]],
                                                             Callable[Concatenate[Workspace, P], R]]:
    """Cache `fn(ws, *args, **kwargs)` under (workspace path, `ws.version()`, args, kwargs).

    The workspace goes in unhashed (its path and version name it). Every decorated function
    has a cache of its own: st.cache_data tells functions apart by module and qualified name,
    which the inner function takes from `fn`. Call with the same argument types each time
    (1 and 1.0 are different keys: a second entry, never a wrong one).
    """
    def decorate(fn: Callable[Concatenate[Workspace, P], R]) -> Callable[Concatenate[Workspace, P], R]:
        def compute(path: str, version: str, *args: Any, _ws: Workspace, **kwargs: Any) -> R:
            return fn(_ws, *args, **kwargs)

        compute.__module__, compute.__qualname__ = fn.__module__, f"{fn.__qualname__}.<cached>"
        cached = st.cache_data(show_spinner=False, max_entries=max_entries)(compute)

        @functools.wraps(fn)
        def call(ws: Workspace, *args: P.args, **kwargs: P.kwargs) -> R:
            return cached(str(ws.path), ws.version(), *args, _ws=ws, **kwargs)
        return call
    return decorate


@dataclass(frozen=True)
class CustomerFigures:
    """What the Customers page draws outside its cohort fragment."""

    data: cu.CustomerOrders | None      # None: no orders in the workspace yet
    rfm: pd.DataFrame
    summary: pd.DataFrame
    churn: cu.ChurnReport | None        # None when there are no customers


@per_version(MAX_LARGE_ENTRIES)
def customer_figures(ws: Workspace, filters: Filters) -> CustomerFigures:
    data = cu.customer_orders(ws, filters)
    if data is None or data.empty:
        return CustomerFigures(data, pd.DataFrame(), pd.DataFrame(), None)
    rfm = cu.rfm_table(data)
    return CustomerFigures(data, rfm, cu.segment_summary(rfm) if not rfm.empty else pd.DataFrame(),
                           cu.churn_report(data))


@per_version()
def cohorts(ws: Workspace, filters: Filters, months: int) -> pd.DataFrame:
    """Cohorts of the customers' orders (customer_figures), followed `months` months."""
    data = customer_figures(ws, filters).data
    return cu.cohorts(data, months) if data is not None else pd.DataFrame()


@per_version()
def risk_proposals(ws: Workspace, filters: Filters) -> list[risk.Proposal]:
    """Every risk the data raises, accepted ones included (the page marks them)."""
    return risk.propose(ws, filters, exclude_accepted=False)


@per_version()
def risk_tables(ws: Workspace, filters: Filters) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The Risk page's concentration table and its SKUs by days of cover (~0.3 s of SQL on
    the demo, every rerun of the page before)."""
    return (risk.concentration_table(risk.concentration(ws, filters)),
            risk.stock_cover(ws, filters).sort_values("days_of_cover"))


@per_version()
def sidebar_choices(ws: Workspace) -> tuple[Coverage, FilterOptions]:
    """The dates, channels, platforms, currencies and rates the sidebar offers: six queries,
    a tenth of an Overview rerun, once per data version and set of exchange rates."""
    return data_coverage(ws), filter_options(ws)


@per_version()
def span_values(ws: Workspace, spans: list[tuple[date, date]],
                channels: tuple[str, ...]) -> dict[tuple[date, date], dict[str, float | None]]:
    """lib.team.values_by_span once per workspace version (team.SpanValues): the Team page's
    targets and OKRs, two engine calls, three quarters of every rerun of that page."""
    return team.values_by_span(ws, spans, channels)


@per_version()
def stress_test(ws: Workspace, filters: Filters, shock: float, delay: int, cost: float,
                depth: float) -> risk.StressResult:
    """The Risk page's stress test for these settings (five queries, half of every rerun of
    the page: its tabs all run)."""
    return risk.stress_test(ws, filters, demand_shock=shock, supplier_delay_days=delay,
                            cost_increase=cost, discount_depth=depth)


@per_version()
def data_quality(ws: Workspace) -> QualityReport:
    """The Data page's quality report (~0.6 s at 1M order lines), once per data version and
    set of exchange rates."""
    return quality_report(ws)


@dataclass(frozen=True)
class ProductFigures:
    """The Products page's ABC input: sales per product and each product's display name."""

    sales: pr.ProductSales
    names: dict[str, str]   # lib.analysis.product_names of every product in sales.table


@per_version()
def product_figures(ws: Workspace, filters: Filters) -> ProductFigures:
    """Sales per product and their names (two queries, a fifth of the Products page's rerun)."""
    sales = pr.product_sales(ws, filters)
    return ProductFigures(sales, an.product_names(ws, [str(p) for p in sales.table["product"]])
                          if not sales.table.empty else {})


@per_version()
def discount_codes(ws: Workspace, filters: Filters) -> pricing.CodeReport:
    """The Pricing page's table per discount code (its SQL, half of that page's rerun)."""
    return pricing.discount_codes(ws, filters)


@per_version()
def demand_outlook(ws: Workspace, filters: Filters, window: int, review: int) -> pr.DemandOutlook | None:
    """The Products page's demand outlook (one units forecast, ~1 s on the demo store), once
    per data version, filters, window and review period."""
    return pr.demand_outlook(ws, filters, window, review)


@per_version()
def inventory_plan(ws: Workspace, filters: Filters, level: float, window: int, review: int,
                   ahead: bool) -> pd.DataFrame:
    """The Products page's plan per stocked SKU (stock cover and its queries, a quarter of the
    page's rerun); `ahead`: with the demand outlook of the same filters, window and review."""
    outlook = demand_outlook(ws, filters, window, review) if ahead else None
    return pr.inventory_plan(ws, filters, level, window, review, outlook)


@dataclass(frozen=True)
class OverviewFigures:
    """The Overview's result with its trend and breakdown tables already built (st.cache_data
    hands back a copy: a table computed later on that copy would be computed every rerun)."""

    overview: ov.Overview
    trend: pd.DataFrame      # Overview.trend()
    breakdown: pd.DataFrame  # Overview.breakdown()


@per_version()
def overview(ws: Workspace, filters: Filters, breakdown: str) -> OverviewFigures:
    """The Overview's cards, trend and breakdown (~0.2 s of SQL on the demo store, every
    rerun: the most visited page, and the one a team's sessions open together)."""
    result = ov.compute_overview(ws, filters, breakdown)
    if not result.has_orders:
        return OverviewFigures(result, pd.DataFrame(), pd.DataFrame())
    return OverviewFigures(result, result.trend(), result.breakdown())


# The Analysis page's three computations, each keyed by the one choice it depends on: a new
# grain recomputes the description only, a new comparison base the diagnosis only.
@per_version()
def description(ws: Workspace, filters: Filters, grain: str) -> an.Description:
    return an.describe(ws, filters, grain)


@per_version()
def diagnosis(ws: Workspace, filters: Filters, base: str) -> an.Diagnosis:
    return an.diagnose(ws, filters, base)  # type: ignore[arg-type]


@per_version()
def reconciliation(ws: Workspace, filters: Filters) -> an.Reconciliation:
    return an.reconcile(ws, filters)


@per_version(4 * MAX_ENTRIES)  # several per page view: one per improvement action
def improvement_effect(ws: Workspace, metric: str, started_on: date, ended_on: date | None,
                       channels: tuple[str, ...]) -> ops.Effect:
    """An improvement action's before/after evidence: three queries and 5,000 shuffles, about
    0.3 s an action, on every rerun of the Operations page otherwise (several per widget)."""
    return ops.improvement_effect(ws, metric, started_on, ended_on, channels)


@dataclass(frozen=True)
class StageFigures:
    """The Operations page's order lifecycle: stage times and the weekend split."""

    report: ops.StageReport
    weekday: tuple[float | None, float | None]  # (paid Fri–Sun, paid Mon–Thu) median hours


@per_version()
def stage_figures(ws: Workspace, filters: Filters) -> StageFigures:
    """Three queries over every order (~0.2 s on the demo), on every rerun otherwise."""
    report = ops.stage_report(ws, filters)
    weekday = ops.weekday_split(ws, filters) if report.stage("paid_to_fulfilled") else (None, None)
    return StageFigures(report, weekday)


@dataclass(frozen=True)
class SlaFigures:
    """The SLA section for one limit: the share shipped late, by month, and the backlog map."""

    late: float | None
    trend: pd.DataFrame
    heatmap: pd.DataFrame


@per_version()
def sla_figures(ws: Workspace, filters: Filters, hours: float) -> SlaFigures:
    """Keyed by the limit too: the SLA is a setting, saved outside any import."""
    trend = ops.sla_trend(ws, filters, hours=hours)
    return SlaFigures(ops.breach_share(trend), trend, ops.backlog_heatmap(ws, filters, sla_hours=hours))
