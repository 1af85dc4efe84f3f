"""Team KPIs (guide ch. 7): metric values by period, targets with attainment and pacing, OKRs.

Metric ids are the catalogue's (`METRIC_IDS`, a local allow-list of the ones targets, OKRs
and PDCA can use). Values come from the catalogue's engine (`lib.metrics.engine.compute`), the
one definition of each KPI (tests compare it with independent SQL on the demo store):

- gross_sales Σ unit price × quantity of product lines of counted orders (sales, not
  cancelled, not test); net_sales = gross − discounts − refunds; orders, units as in core
- avg_order_value (gross − discounts) ÷ orders; customers: distinct known customers;
  repeat_customer_rate: share of them with ≥ 2 orders in the same period
- refund_rate: (counted orders with any refund + refund documents) ÷ counted orders, both
  over the orders whose export records refunds (lib/workspace.py `known_sql`)
- cancel_rate: cancelled sale orders ÷ all sale orders, likewise for cancellations
- on_time_ship_rate: orders paid and fulfilled within 48 h (the catalogue's parameter; the
  Operations page's SLA setting is its own) ÷ orders paid and fulfilled; time_to_ship: mean
  hours paid → fulfilled
- conversion_rate: counted orders on days and channels with traffic ÷ sessions
- gross_margin_rate: (net sales − cost of goods) ÷ net sales, cost = Σ quantity × unit cost
These follow the formulas of lib/metrics/catalogue.yaml (tests check the ids and directions).
Money is one currency: several currencies are converted to USD with `fx_rates`, else refused.
Attainment is always computed from the data, never typed in.
"""
from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from typing import Literal

import numpy as np
import pandas as pd

from lib import i18n
from lib.errors import ShoplensError
from lib.metrics.catalogue import Catalogue, load_catalogue
from lib.metrics.core import Filters, currencies
from lib.metrics.engine import Period, compute, current_period
from lib.metrics.filters import factor_case, home_currency, is_currency_code, resolve_plan
from lib.sql import query_frame
from lib.workspace import Workspace

Unit = Literal["money", "count", "rate", "hours"]


@dataclass(frozen=True)
class MetricInfo:
    """What a catalogue metric is, as far as targets and PDCA need: unit, direction, additivity."""

    id: str
    unit: Unit
    higher_is_better: bool
    additive: bool  # a period's value is the sum of its days (pacing extrapolates these)


# The catalogue metrics a target, an OKR or a PDCA action can follow (each needs a direction),
# and those whose period value is the sum of its days. Unit and direction come from the
# catalogue, the one place a KPI is defined.
METRIC_IDS: tuple[str, ...] = (
    "net_sales", "gross_sales", "orders", "units", "avg_order_value", "customers",
    "repeat_customer_rate", "refund_rate", "cancel_rate", "on_time_ship_rate", "time_to_ship",
    "conversion_rate", "gross_margin_rate")
_ADDITIVE = frozenset({"net_sales", "gross_sales", "orders", "units"})
_UNITS: dict[str, Unit] = {"money": "money", "count": "count", "percent": "rate", "hours": "hours"}


def _metric_info(catalogue: Catalogue) -> dict[str, MetricInfo]:
    out = {}
    for mid in METRIC_IDS:
        m = catalogue[mid]
        if m.higher_is_better is None or m.unit not in _UNITS:
            raise ValueError(f"catalogue metric {mid} cannot be a target (unit {m.unit}, "
                             f"direction {m.higher_is_better})")
        out[mid] = MetricInfo(mid, _UNITS[m.unit], m.higher_is_better, mid in _ADDITIVE)
    return out


METRICS: dict[str, MetricInfo] = _metric_info(load_catalogue())


class TeamError(ShoplensError):
    """A target, objective or key result that cannot be saved as entered."""


def check_metric(metric: str) -> MetricInfo:
    """The catalogue metric `metric`, or a TeamError naming the known ones."""
    info = METRICS.get((metric or "").strip())
    if info is None:
        raise TeamError(f"“{metric}” is not a metric of the catalogue. Use one of: "
                        f"{', '.join(METRIC_IDS)}.", key="team.unknown_metric",
                        metric=metric, known=", ".join(METRIC_IDS))
    return info


def check_period(start: date, end: date | None) -> None:
    if end is not None and end < start:
        raise TeamError(f"The end date {end} is before the start date {start}.",
                        key="team.bad_period", start=start.isoformat(), end=end.isoformat())


# -- metric values -----------------------------------------------------------------------------
def money_sql(ws: Workspace, filters: Filters) -> tuple[str, str, list[object], str | None]:
    """(order factor SQL, cost factor SQL, its params (none), currency shown), following the
    currency plan of lib.metrics.filters: one currency as is; several converted into the shown
    currency with the workspace's (or the sidebar's) rates; a currency without a rate is left
    out; refused when nothing says how to add them up. Product costs without a currency are
    taken to be in the workspace's main currency."""
    found = currencies(ws, Filters(start=filters.start, end=filters.end, channels=filters.channels,
                                   platforms=getattr(filters, "platforms", ())))
    plan = resolve_plan(ws, filters, found)
    home = home_currency(ws) or plan.target or ""
    cost_column = f"coalesce(p.currency, '{home}')" if is_currency_code(home) else "p.currency"
    cost_rates = {c: plan.factor(c) for c, _ in plan.rates} | {home: plan.factor(home)}
    cost_fx = factor_case(cost_column, {c: float(f) for c, f in cost_rates.items() if f is not None}) \
        if plan.target else "1"
    order_fx = plan.order_factor_sql("o.currency")
    if order_fx == "1":
        return "1", "1" if len(found) <= 1 else cost_fx, [], plan.target
    return order_fx, cost_fx, [], plan.target


def frame(ws: Workspace, sql: str, params: list[object] | None = None) -> pd.DataFrame:
    """A query as a DataFrame through Arrow (the fast path under pandas 3)."""
    return query_frame(ws.cursor(), sql, params)


def _engine_frame(ws: Workspace, filters: Filters, metrics: list[str], daily: bool) -> pd.DataFrame:
    """The catalogue engine's values ([day,] metrics as floats): one definition of each KPI."""
    grouping = ("day",) if daily else ()
    result = compute(ws, filters, metrics=metrics, groupings=(grouping,),
                     periods=(current_period(ws, filters),))
    return result.frame(grouping).drop(columns=["period"])


def metric_values(ws: Workspace, filters: Filters) -> dict[str, float | None]:
    """Every metric of METRIC_IDS over the filters' whole range (None: no data for it)."""
    frame_ = _engine_frame(ws, filters, list(METRIC_IDS), daily=False)
    row = frame_.iloc[0] if len(frame_) else pd.Series(dtype="float64")
    return {m: (None if pd.isna(row.get(m)) else float(row[m])) for m in METRIC_IDS}


def values_by_span(ws: Workspace, spans: list[tuple[date, date]],
                   channels: tuple[str, ...] = ()) -> dict[tuple[date, date], dict[str, float | None]]:
    """Every metric of METRIC_IDS over each (first day, last day) span, from one engine call:
    a page of targets over a dozen periods paid the engine's set-up (scope, currencies, facts
    check) once per period, ~50 ms each, on every rerun. Money is in the one currency the
    spans together resolve to."""
    unique = sorted(set(spans))
    if not unique:
        return {}
    periods = tuple(Period(f"p{i}", lo, hi) for i, (lo, hi) in enumerate(unique))
    filters = Filters(start=unique[0][0], end=max(hi for _, hi in unique), channels=channels)
    result = compute(ws, filters, metrics=list(METRIC_IDS), groupings=((),), periods=periods)
    out: dict[tuple[date, date], dict[str, float | None]] = {}
    for period, span in zip(periods, unique):
        values = {m: result.value(m, period.name).value for m in METRIC_IDS}
        out[span] = {m: None if v is None or pd.isna(v) else float(v) for m, v in values.items()}
    return out



# How attainment and OKR progress get their metrics (values_by_span's signature): the app
# passes a cached one (ui/cached.span_values), as every widget on the Team page reruns it.
SpanValues = Callable[[Workspace, list[tuple[date, date]], tuple[str, ...]],
                      dict[tuple[date, date], dict[str, float | None]]]


def metric_value(ws: Workspace, metric: str, filters: Filters) -> float | None:
    """The value of catalogue metric `metric` over the filters' whole range (None: no data)."""
    check_metric(metric)
    return metric_values(ws, filters)[metric]


def metric_daily(ws: Workspace, metric: str, filters: Filters) -> pd.DataFrame:
    """[day, value] of `metric` per shop day within the filters (days without orders: 0 for
    additive metrics, missing for ratios)."""
    info = check_metric(metric)
    frame_ = _engine_frame(ws, filters, [metric], daily=True)
    out = pd.DataFrame({"day": pd.to_datetime(frame_["day"]).dt.date, "value": frame_[metric]})
    if info.additive and len(out):
        days = pd.date_range(out["day"].min(), out["day"].max(), freq="D").date
        out = out.set_index("day").reindex(days).fillna(0.0).rename_axis("day").reset_index()
    return out.dropna().reset_index(drop=True)


def data_end(ws: Workspace) -> date | None:
    row = ws.cursor().execute("SELECT max(order_date) FROM orders").fetchone()
    return row[0] if row else None


# -- targets ------------------------------------------------------------------------------------
TARGET_COLUMNS = ("kpi_id", "period_start", "period_end", "owner", "team", "target")


def _number(value: object) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        number = Decimal("NaN")
    if not number.is_finite():
        raise TeamError(f"“{value}” is not a number.", key="team.bad_number", value=str(value))
    return number


def save_target(ws: Workspace, kpi_id: str, period_start: date, period_end: date, owner: str,
                team: str, target: object) -> None:
    """Add a target (or replace the one with the same KPI, period and owner)."""
    check_metric(kpi_id)
    check_period(period_start, period_end)
    owner = (owner or "").strip()
    if not owner:
        raise TeamError("Say who owns this target.", key="team.owner_required")
    value = _number(target)
    with ws.transaction() as cur:
        cur.execute("DELETE FROM targets WHERE kpi_id = ? AND period_start = ? AND period_end = ? "
                    "AND owner = ?", [kpi_id, period_start, period_end, owner])
        cur.execute("INSERT INTO targets VALUES (?, ?, ?, ?, ?, ?, NULL)",
                    [kpi_id, period_start, period_end, owner, (team or "").strip() or None, value])


def delete_target(ws: Workspace, kpi_id: str, period_start: date, period_end: date, owner: str) -> None:
    """Remove one target (a write: it takes its turn with the workspace's other writers)."""
    with ws.transaction() as cur:
        cur.execute("DELETE FROM targets WHERE kpi_id = ? AND period_start = ? AND period_end = ? "
                    "AND owner = ?", [kpi_id, period_start, period_end, owner])


def list_targets(ws: Workspace) -> pd.DataFrame:
    return frame(ws, "SELECT kpi_id, period_start, period_end, owner, team, target::DOUBLE AS target "
                     "FROM targets ORDER BY period_start, kpi_id, owner")


Status = Literal["met", "missed", "on_track", "at_risk", "upcoming", "no_data", "unknown_metric"]
AT_RISK_BELOW = 0.95  # pacing below 95 % of target: at risk


def _attain(info: MetricInfo, actual: float | None, target: float) -> float | None:
    if actual is None or np.isnan(actual):
        return None
    if info.higher_is_better:
        return actual / target if target else None
    return target / actual if actual else (1.0 if target >= 0 else None)


def attainment(ws: Workspace, as_of: date | None = None, channels: tuple[str, ...] = (),
               values_of: SpanValues = values_by_span) -> pd.DataFrame:
    """Every target with its actual value, attainment and pacing as of `as_of` (default: the
    last day with orders). Columns: kpi_id, period_start, period_end, owner, team, target,
    actual, attainment, projected, pacing, elapsed_share, status.

    - actual: the metric over the period up to `as_of`
    - attainment: actual ÷ target (target ÷ actual where lower is better)
    - projected: for a current period, additive metrics extrapolated to the period's end at
      the pace so far; rates and averages as they stand; pacing = projected attainment
    """
    as_of = as_of or data_end(ws) or date.today()
    rows = []
    targets = list_targets(ws)
    values = values_of(ws, [(t.period_start, min(t.period_end, as_of))
                            for t in targets.itertuples(index=False)
                            if t.kpi_id in METRICS and t.period_start <= as_of], channels)
    for t in targets.itertuples(index=False):
        info = METRICS.get(t.kpi_id)
        row = {c: getattr(t, c) for c in TARGET_COLUMNS}
        row.update(actual=None, attainment=None, projected=None, pacing=None, elapsed_share=None)
        if info is None:
            rows.append({**row, "status": "unknown_metric"})
            continue
        if t.period_start > as_of:
            rows.append({**row, "status": "upcoming"})
            continue
        upto = min(t.period_end, as_of)
        actual = values[(t.period_start, upto)][t.kpi_id]
        total_days = (t.period_end - t.period_start).days + 1
        elapsed = (upto - t.period_start).days + 1
        current = upto < t.period_end
        projected = actual
        if current and actual is not None and info.additive:
            projected = actual * total_days / elapsed
        att, pace = _attain(info, actual, t.target), _attain(info, projected, t.target)
        if actual is None:
            status: Status = "no_data"
        elif not current:
            status = "met" if att is not None and att >= 1 else "missed"
        else:
            status = "on_track" if pace is not None and pace >= AT_RISK_BELOW else "at_risk"
        rows.append({**row, "actual": actual, "attainment": att, "projected": projected,
                     "pacing": pace, "elapsed_share": elapsed / total_days, "status": status})
    cols = [*TARGET_COLUMNS, "actual", "attainment", "projected", "pacing", "elapsed_share", "status"]
    return pd.DataFrame(rows, columns=cols)


def team_view(att: pd.DataFrame) -> pd.DataFrame:
    """Per owner and team: targets owned, met, at risk or missed, and mean attainment."""
    cols = ["team", "owner", "targets", "met", "at_risk", "missed", "mean_attainment"]
    if att.empty:
        return pd.DataFrame(columns=cols)
    a = att.assign(team=att["team"].fillna("—"))
    out = a.groupby(["team", "owner"], dropna=False).agg(
        targets=("kpi_id", "size"),
        met=("status", lambda s: int((s == "met").sum())),
        at_risk=("status", lambda s: int((s == "at_risk").sum())),
        missed=("status", lambda s: int((s == "missed").sum())),
        mean_attainment=("attainment", lambda s: float(pd.to_numeric(s).mean()) if s.notna().any() else None),
    ).reset_index()
    return out[cols].sort_values(["team", "owner"]).reset_index(drop=True)


# -- OKRs -----------------------------------------------------------------------------------------
def _new_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def save_objective(ws: Workspace, title: str, owner: str, team: str, period_start: date,
                   period_end: date, objective_id: str | None = None) -> str:
    title = (title or "").strip()
    if not title:
        raise TeamError("Give the objective a title.", key="team.title_required")
    check_period(period_start, period_end)
    oid = objective_id or _new_id("O")
    with ws.transaction() as cur:
        cur.execute("DELETE FROM objectives WHERE objective_id = ?", [oid])
        cur.execute("INSERT INTO objectives VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [oid, title, (owner or "").strip() or None, (team or "").strip() or None,
                     period_start, period_end, datetime.now(timezone.utc)])
    return oid


def save_key_result(ws: Workspace, objective_id: str, title: str, kpi_id: str, target: object,
                    owner: str = "", kr_id: str | None = None) -> str:
    check_metric(kpi_id)
    value = _number(target)
    row = ws.cursor().execute("SELECT 1 FROM objectives WHERE objective_id = ?", [objective_id]).fetchone()
    if row is None:
        raise TeamError(f"There is no objective {objective_id}.", key="team.no_objective",
                        objective=objective_id)
    kid = kr_id or _new_id("KR")
    ws.cursor().execute("INSERT INTO key_results VALUES (?, ?, ?, ?, ?, ?, ?)",
                        [kid, objective_id, (title or "").strip() or kpi_id, kpi_id, float(value),
                         (owner or "").strip() or None, datetime.now(timezone.utc)])
    return kid


def delete_objective(ws: Workspace, objective_id: str) -> None:
    with ws.transaction() as cur:
        cur.execute("DELETE FROM key_results WHERE objective_id = ?", [objective_id])
        cur.execute("DELETE FROM objectives WHERE objective_id = ?", [objective_id])


def okr_progress(ws: Workspace, as_of: date | None = None,
                 values_of: SpanValues = values_by_span) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(objectives, key results). A key result's progress is its metric's attainment over the
    objective's period up to `as_of`, capped at 100 %; an objective's progress is the mean of
    its key results' progress."""
    as_of = as_of or data_end(ws) or date.today()
    objs = frame(ws, "SELECT objective_id, title, owner, team, period_start, period_end FROM "
                     "objectives ORDER BY period_start, title")
    krs = frame(ws, "SELECT k.kr_id, k.objective_id, k.title, k.kpi_id, k.target, "
                      "coalesce(k.owner, o.owner) AS owner, o.period_start, o.period_end "
                      "FROM key_results k JOIN objectives o USING (objective_id) "
                      "ORDER BY k.created_at")
    actual, progress = [], []
    values = values_of(ws, [(k.period_start, min(k.period_end, as_of))
                            for k in krs.itertuples(index=False)
                            if k.period_start <= as_of and k.kpi_id in METRICS], ())
    for k in krs.itertuples(index=False):
        upto = min(k.period_end, as_of)
        value = (values[(k.period_start, upto)][k.kpi_id]
                 if k.period_start <= as_of and k.kpi_id in METRICS else None)
        att = _attain(METRICS[k.kpi_id], value, k.target) if k.kpi_id in METRICS else None
        actual.append(value)
        progress.append(None if att is None else min(1.0, att))
    krs = krs.assign(actual=actual, progress=progress)
    roll = krs.groupby("objective_id")["progress"].mean() if len(krs) else pd.Series(dtype="float64")
    objs = objs.assign(key_results=objs["objective_id"].map(krs.groupby("objective_id").size()).fillna(0).astype(int),
                       progress=objs["objective_id"].map(roll))
    return objs, krs


def period_of_month(day: date) -> tuple[date, date]:
    start = day.replace(day=1)
    nxt = (start + timedelta(days=32)).replace(day=1)
    return start, nxt - timedelta(days=1)


# -- display --------------------------------------------------------------------------------------
def money_currency(ws: Workspace, filters: Filters | None = None) -> str | None:
    """The currency money metrics are shown in for these filters (USD when converted)."""
    return money_sql(ws, filters or Filters())[3]


def format_metric(metric: str, value: float | None, currency: str | None = None,
                  signed: bool = False, lang: str = "en") -> str:
    """A metric value as shown on cards and in tables (hours in the reader's language, as the
    Overview and Operations cards write them; the rest the same in both)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "—"
    unit = METRICS[metric].unit if metric in METRICS else "count"
    sign = "+" if signed and value > 0 else ""
    if unit == "money":
        return f"{sign}{currency} {value:,.2f}" if currency else f"{sign}{value:,.2f}"
    if unit == "rate":
        return f"{sign}{value * 100:.1f} pp" if signed else f"{value:.1%}"
    if unit == "hours":
        return i18n.t("metrics.fmt.hours", lang, n=f"{sign}{value:,.1f}")
    return f"{sign}{value:,.0f}" if float(value).is_integer() or abs(value) >= 100 else f"{sign}{value:,.2f}"


def metric_delta(metric: str, difference: float | None, currency: str | None = None,
                 lang: str = "en") -> str | None:
    """A change for a card's delta ('+2.4 pp', '-8.0 h'); None when it shows as zero ('-0.0 pp'
    would draw a red arrow for no visible change)."""
    text = format_metric(metric, difference, currency, signed=True, lang=lang)
    if difference is None or text == "—":
        return None
    unsigned = text.replace("+", "", 1).replace("-", "", 1)
    return None if unsigned == format_metric(metric, 0.0, currency, True, lang) else text
