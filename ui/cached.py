"""Page results kept across reruns (st.cache_data, shared by every session, as the workspace is).

Keyed by the workspace's path, its version (`Workspace.version`: changes with every import or
undo, saved exchange rate and time zone) and the filters, so a language switch, a widget
elsewhere on the page or a return visit costs a look-up instead of a recomputation (the
Customers page: ~1.5 s at a million order lines). The workspace itself is passed unhashed
(`_ws`); the key says which one.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

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

MAX_ENTRIES = 8  # per function: a few workspaces × filter sets


@dataclass(frozen=True)
class CustomerFigures:
    """What the Customers page draws outside its cohort fragment."""

    data: cu.CustomerOrders | None      # None: no orders in the workspace yet
    rfm: pd.DataFrame
    summary: pd.DataFrame
    churn: cu.ChurnReport | None        # None when there are no customers


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def _customer_figures(path: str, version: str, filters: Filters, _ws: Workspace) -> CustomerFigures:
    data = cu.customer_orders(_ws, filters)
    if data is None or data.empty:
        return CustomerFigures(data, pd.DataFrame(), pd.DataFrame(), None)
    rfm = cu.rfm_table(data)
    return CustomerFigures(data, rfm, cu.segment_summary(rfm) if not rfm.empty else pd.DataFrame(),
                           cu.churn_report(data))


def customer_figures(ws: Workspace, filters: Filters) -> CustomerFigures:
    return _customer_figures(str(ws.path), ws.version(), filters, ws)


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def _cohorts(path: str, version: str, filters: Filters, months: int, _ws: Workspace) -> pd.DataFrame:
    data = customer_figures(_ws, filters).data
    return cu.cohorts(data, months) if data is not None else pd.DataFrame()


def cohorts(ws: Workspace, filters: Filters, months: int) -> pd.DataFrame:
    """Cohorts of the customers' orders (customer_figures), followed `months` months."""
    return _cohorts(str(ws.path), ws.version(), filters, int(months), ws)


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def _proposals(path: str, version: str, filters: Filters, _ws: Workspace) -> list[risk.Proposal]:
    return risk.propose(_ws, filters, exclude_accepted=False)


def risk_proposals(ws: Workspace, filters: Filters) -> list[risk.Proposal]:
    """Every risk the data raises, accepted ones included (the page marks them)."""
    return _proposals(str(ws.path), ws.version(), filters, ws)


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def _risk_tables(path: str, version: str, filters: Filters, _ws: Workspace) -> tuple[pd.DataFrame, pd.DataFrame]:
    return (risk.concentration_table(risk.concentration(_ws, filters)),
            risk.stock_cover(_ws, filters).sort_values("days_of_cover"))


def risk_tables(ws: Workspace, filters: Filters) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The Risk page's concentration table and its SKUs by days of cover (~0.3 s of SQL on
    the demo, every rerun of the page before)."""
    return _risk_tables(str(ws.path), ws.version(), filters, ws)


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def _sidebar_choices(path: str, version: str, _ws: Workspace) -> tuple[Coverage, FilterOptions]:
    return data_coverage(_ws), filter_options(_ws)


def sidebar_choices(ws: Workspace) -> tuple[Coverage, FilterOptions]:
    """The dates, channels, platforms, currencies and rates the sidebar offers: six queries,
    a tenth of an Overview rerun, once per data version and set of exchange rates."""
    return _sidebar_choices(str(ws.path), ws.version(), ws)


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def _span_values(path: str, version: str, spans: tuple[tuple[date, date], ...],
                 channels: tuple[str, ...], _ws: Workspace) -> dict[tuple[date, date], dict[str, float | None]]:
    return team.values_by_span(_ws, list(spans), channels)


def span_values(ws: Workspace, spans: list[tuple[date, date]],
                channels: tuple[str, ...]) -> dict[tuple[date, date], dict[str, float | None]]:
    """lib.team.values_by_span once per workspace version (team.SpanValues): the Team page's
    targets and OKRs, two engine calls, three quarters of every rerun of that page."""
    return _span_values(str(ws.path), ws.version(), tuple(spans), tuple(channels), ws)


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def _stress(path: str, version: str, filters: Filters, shock: float, delay: int, cost: float,
            depth: float, _ws: Workspace) -> risk.StressResult:
    return risk.stress_test(_ws, filters, demand_shock=shock, supplier_delay_days=delay,
                            cost_increase=cost, discount_depth=depth)


def stress_test(ws: Workspace, filters: Filters, shock: float, delay: int, cost: float,
                depth: float) -> risk.StressResult:
    """The Risk page's stress test for these settings (five queries, half of every rerun of
    the page: its tabs all run)."""
    return _stress(str(ws.path), ws.version(), filters, float(shock), int(delay), float(cost),
                   float(depth), ws)


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def _quality(path: str, version: str, _ws: Workspace) -> QualityReport:
    return quality_report(_ws)


def data_quality(ws: Workspace) -> QualityReport:
    """The Data page's quality report (~0.6 s at 1M order lines), once per data version and
    set of exchange rates."""
    return _quality(str(ws.path), ws.version(), ws)


@dataclass(frozen=True)
class ProductFigures:
    """The Products page's ABC input: sales per product and each product's display name."""

    sales: pr.ProductSales
    names: dict[str, str]   # lib.analysis.product_names of every product in sales.table


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def _product_figures(path: str, version: str, filters: Filters, _ws: Workspace) -> ProductFigures:
    sales = pr.product_sales(_ws, filters)
    return ProductFigures(sales, an.product_names(_ws, [str(p) for p in sales.table["product"]])
                          if not sales.table.empty else {})


def product_figures(ws: Workspace, filters: Filters) -> ProductFigures:
    """Sales per product and their names (two queries, a fifth of the Products page's rerun)."""
    return _product_figures(str(ws.path), ws.version(), filters, ws)


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def _discount_codes(path: str, version: str, filters: Filters, _ws: Workspace) -> pricing.CodeReport:
    return pricing.discount_codes(_ws, filters)


def discount_codes(ws: Workspace, filters: Filters) -> pricing.CodeReport:
    """The Pricing page's table per discount code (its SQL, half of that page's rerun)."""
    return _discount_codes(str(ws.path), ws.version(), filters, ws)


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def _inventory_plan(path: str, version: str, filters: Filters, level: float, window: int, review: int,
                    ahead: bool, _outlook: pr.DemandOutlook | None, _ws: Workspace) -> pd.DataFrame:
    return pr.inventory_plan(_ws, filters, level, window, review, _outlook)


def inventory_plan(ws: Workspace, filters: Filters, level: float, window: int, review: int,
                   outlook: pr.DemandOutlook | None) -> pd.DataFrame:
    """The Products page's plan per stocked SKU (stock cover and its queries, a quarter of the
    page's rerun). `outlook` is `demand_outlook` of the same workspace, filters, window and
    review, or None: the key says which."""
    return _inventory_plan(str(ws.path), ws.version(), filters, float(level), int(window), int(review),
                           outlook is not None, outlook, ws)


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def _outlook(path: str, version: str, filters: Filters, window: int, review: int,
             _ws: Workspace) -> pr.DemandOutlook | None:
    return pr.demand_outlook(_ws, filters, window, review)


def demand_outlook(ws: Workspace, filters: Filters, window: int, review: int) -> pr.DemandOutlook | None:
    """The Products page's demand outlook (one units forecast, ~1 s on the demo store), once
    per data version, filters, window and review period."""
    return _outlook(str(ws.path), ws.version(), filters, int(window), int(review), ws)


@dataclass(frozen=True)
class OverviewFigures:
    """The Overview's result with its trend and breakdown tables already built (st.cache_data
    hands back a copy: a table computed later on that copy would be computed every rerun)."""

    overview: ov.Overview
    trend: pd.DataFrame      # Overview.trend()
    breakdown: pd.DataFrame  # Overview.breakdown()


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def _overview(path: str, version: str, filters: Filters, breakdown: str, _ws: Workspace) -> OverviewFigures:
    result = ov.compute_overview(_ws, filters, breakdown)
    if not result.has_orders:
        return OverviewFigures(result, pd.DataFrame(), pd.DataFrame())
    return OverviewFigures(result, result.trend(), result.breakdown())


def overview(ws: Workspace, filters: Filters, breakdown: str) -> OverviewFigures:
    """The Overview's cards, trend and breakdown (~0.2 s of SQL on the demo store, every
    rerun: the most visited page, and the one a team's sessions open together)."""
    return _overview(str(ws.path), ws.version(), filters, breakdown, ws)


# The Analysis page's three computations, each keyed by the one choice it depends on: a new
# grain recomputes the description only, a new comparison base the diagnosis only.
@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def _description(path: str, version: str, filters: Filters, grain: str, _ws: Workspace) -> an.Description:
    return an.describe(_ws, filters, grain)


def description(ws: Workspace, filters: Filters, grain: str) -> an.Description:
    return _description(str(ws.path), ws.version(), filters, grain, ws)


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def _diagnosis(path: str, version: str, filters: Filters, base: str, _ws: Workspace) -> an.Diagnosis:
    return an.diagnose(_ws, filters, base)  # type: ignore[arg-type]


def diagnosis(ws: Workspace, filters: Filters, base: str) -> an.Diagnosis:
    return _diagnosis(str(ws.path), ws.version(), filters, base, ws)


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def _reconciliation(path: str, version: str, filters: Filters, _ws: Workspace) -> an.Reconciliation:
    return an.reconcile(_ws, filters)


def reconciliation(ws: Workspace, filters: Filters) -> an.Reconciliation:
    return _reconciliation(str(ws.path), ws.version(), filters, ws)


@st.cache_data(show_spinner=False, max_entries=4 * MAX_ENTRIES)
def _improvement_effect(path: str, version: str, metric: str, started_on: date,
                        ended_on: date | None, channels: tuple[str, ...], _ws: Workspace) -> ops.Effect:
    return ops.improvement_effect(_ws, metric, started_on, ended_on, channels)


def improvement_effect(ws: Workspace, metric: str, started_on: date, ended_on: date | None,
                       channels: tuple[str, ...]) -> ops.Effect:
    """An improvement action's before/after evidence: three queries and 5,000 shuffles, about
    0.3 s an action, on every rerun of the Operations page otherwise (several per widget)."""
    return _improvement_effect(str(ws.path), ws.version(), metric, started_on, ended_on,
                               tuple(channels), ws)


@dataclass(frozen=True)
class StageFigures:
    """The Operations page's order lifecycle: stage times and the weekend split."""

    report: ops.StageReport
    weekday: tuple[float | None, float | None]  # (paid Fri–Sun, paid Mon–Thu) median hours


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def _stage_figures(path: str, version: str, filters: Filters, _ws: Workspace) -> StageFigures:
    report = ops.stage_report(_ws, filters)
    weekday = ops.weekday_split(_ws, filters) if report.stage("paid_to_fulfilled") else (None, None)
    return StageFigures(report, weekday)


def stage_figures(ws: Workspace, filters: Filters) -> StageFigures:
    """Three queries over every order (~0.2 s on the demo), on every rerun otherwise."""
    return _stage_figures(str(ws.path), ws.version(), filters, ws)


@dataclass(frozen=True)
class SlaFigures:
    """The SLA section for one limit: the share shipped late, by month, and the backlog map."""

    late: float | None
    trend: pd.DataFrame
    heatmap: pd.DataFrame


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def _sla_figures(path: str, version: str, filters: Filters, hours: float, _ws: Workspace) -> SlaFigures:
    trend = ops.sla_trend(_ws, filters, hours=hours)
    return SlaFigures(ops.breach_share(trend), trend,
                      ops.backlog_heatmap(_ws, filters, sla_hours=hours))


def sla_figures(ws: Workspace, filters: Filters, hours: float) -> SlaFigures:
    """Keyed by the limit too: the SLA is a setting, saved outside any import."""
    return _sla_figures(str(ws.path), ws.version(), filters, float(hours), ws)
