"""Operations flow (guide ch. 3): order lifecycle stages, bottleneck, SLA, funnel and PDCA.

Stages are measured from the timestamps an export carries, over sale orders (not test):

    created_at ─► paid_at ─► fulfilled_at ─► delivered_at        (cancelled_at on the side)

`paid_to_delivered` is measured only for orders without a fulfilment time (Taobao has a
receipt time but no dispatch time): it contains the wait for dispatch. A stage whose
timestamps no order has is reported as missing, never as zero. Hours are wall-clock hours;
weekday and hour are read in the workspace's time zone.

PDCA: an improvement action names the catalogue metric it should move. Its effect is the
metric over the `window` days before the start date against the days from the start date
(to its end date or `window` days); whether the difference is more than noise is a two-sided
permutation test on the daily values (difference of means, 5,000 shuffles, fixed seed):
more than noise when p < 0.05.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Literal, get_args

import numpy as np
import pandas as pd

from lib.errors import ShoplensError
from lib.metrics.core import Filters
from lib.team import (
    check_metric,
    check_period,
    data_end,
    frame,
    metric_daily,
    metric_value,
)
from lib.workspace import Workspace

Stage = Literal["created_to_paid", "paid_to_fulfilled", "fulfilled_to_delivered",
                "paid_to_delivered", "created_to_cancelled"]
STAGES: dict[str, tuple[str, str]] = {
    "created_to_paid": ("created_at", "paid_at"),
    "paid_to_fulfilled": ("paid_at", "fulfilled_at"),
    "fulfilled_to_delivered": ("fulfilled_at", "delivered_at"),
    "paid_to_delivered": ("paid_at", "delivered_at"),
    "created_to_cancelled": ("created_at", "cancelled_at"),
}
FLOW_STAGES = ("created_to_paid", "paid_to_fulfilled", "fulfilled_to_delivered")
TIMESTAMPS = ("created_at", "paid_at", "fulfilled_at", "delivered_at", "cancelled_at")
DEFAULT_SLA_HOURS = {"paid_to_fulfilled": 48.0}
SALE = "o.kind = 'sale' AND NOT coalesce(o.is_test, false)"


class OperationsError(ShoplensError):
    """An SLA setting or improvement action that cannot be saved as entered."""


def _stage(stage: str) -> tuple[str, str]:
    if stage not in STAGES:
        raise OperationsError(f"Unknown stage {stage!r}.", key="ops.bad_stage", stage=stage)
    return STAGES[stage]


def _stage_where(stage: str) -> str:
    a, b = _stage(stage)
    extra = " AND o.fulfilled_at IS NULL" if stage == "paid_to_delivered" else ""
    return f"o.{a} IS NOT NULL AND o.{b} IS NOT NULL AND o.{b} >= o.{a}{extra}"


def _hours(stage: str) -> str:
    a, b = _stage(stage)
    return f"epoch(o.{b} - o.{a}) / 3600.0"


# -- stages ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class StageReport:
    """Stage times over the filtered sale orders.

    - timestamps: {column: orders that have it}; missing: columns no order has
    - stages: [stage, orders, median_h, p90_h, mean_h] for every stage that can be measured
    - unmeasured: stages whose timestamps are missing
    - bottleneck: the flow stage with the longest median, a tie going to the longer 90th
      percentile, then mean (exports with dates only, Etsy's, have many medians of 0 h);
      None when no stage can be measured or every stage takes no time at all
    - missing_by_channel: {channel: timestamp columns none of its orders has}
    """

    orders: int
    timestamps: dict[str, int]
    missing: tuple[str, ...]
    stages: pd.DataFrame
    unmeasured: tuple[str, ...]
    bottleneck: str | None
    missing_by_channel: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def stage(self, name: str) -> dict[str, float]:
        row = self.stages[self.stages["stage"] == name]
        return {} if row.empty else {k: float(v) for k, v in row.iloc[0].items() if k != "stage"}


def stage_report(ws: Workspace, filters: Filters | None = None) -> StageReport:
    filters = filters or Filters()
    where, params = filters.where()
    counts = ", ".join(f"count(o.{c})" for c in TIMESTAMPS)
    row = ws.cursor().execute(f"SELECT count(*), {counts} FROM orders o WHERE {where} AND {SALE}",
                              params).fetchone()
    assert row is not None
    present = dict(zip(TIMESTAMPS, (int(x) for x in row[1:])))
    missing = tuple(c for c in TIMESTAMPS if present[c] == 0)
    parts = []
    for stage in STAGES:
        h = _hours(stage)
        parts.append(f"""SELECT '{stage}' AS stage, count(*) AS orders, median({h}) AS median_h,
                quantile_cont({h}, 0.9) AS p90_h, avg({h}) AS mean_h
            FROM orders o WHERE {where} AND {SALE} AND {_stage_where(stage)}""")
    df = frame(ws, " UNION ALL ".join(parts), params * len(STAGES))
    df = df[df["orders"] > 0].reset_index(drop=True)
    df["orders"] = df["orders"].astype(int)
    unmeasured = tuple(s for s in STAGES if s not in set(df["stage"])
                       and not (s == "paid_to_delivered" and present["fulfilled_at"]))
    flow = df[df["stage"].isin(FLOW_STAGES)]
    ranked = flow.sort_values(["median_h", "p90_h", "mean_h"], ascending=False, kind="stable")
    slowest = ranked.iloc[0] if len(ranked) else None
    waits = slowest is not None and bool((slowest[["median_h", "p90_h", "mean_h"]] > 0).any())
    bottleneck = str(slowest["stage"]) if waits else None
    by_channel = ws.cursor().execute(
        f"SELECT coalesce(o.channel, '—'), {counts} FROM orders o WHERE {where} AND {SALE} "
        f"GROUP BY 1 ORDER BY 1", params).fetchall()
    missing_by_channel = {str(r[0]): tuple(c for c, n in zip(TIMESTAMPS, r[1:]) if n == 0)
                          for r in by_channel}
    return StageReport(int(row[0]), present, missing, df, unmeasured, bottleneck, missing_by_channel)


def weekday_split(ws: Workspace, filters: Filters | None = None, stage: str = "paid_to_fulfilled",
                  days: tuple[int, ...] = (5, 6, 7)) -> tuple[float | None, float | None]:
    """(median hours of orders whose stage started on `days` (ISO weekdays, default Fri–Sun),
    median of the others): where backlogs form."""
    filters = filters or Filters()
    where, params = filters.where()
    a, _ = _stage(stage)
    row = ws.cursor().execute(
        f"SELECT median({_hours(stage)}) FILTER (WHERE isodow(o.{a}) IN (SELECT unnest(?::INT[]))),"
        f" median({_hours(stage)}) FILTER (WHERE isodow(o.{a}) NOT IN (SELECT unnest(?::INT[])))"
        f" FROM orders o WHERE {where} AND {SALE} AND {_stage_where(stage)}",
        [list(days), list(days), *params]).fetchone()
    return (row[0], row[1]) if row else (None, None)


def backlog_heatmap(ws: Workspace, filters: Filters | None = None, stage: str = "paid_to_fulfilled",
                    sla_hours: float | None = None) -> pd.DataFrame:
    """[weekday (1 = Monday), hour, orders, median_h, breach_rate] by the weekday and hour the
    order was placed (created_at, workspace time zone)."""
    filters = filters or Filters()
    where, params = filters.where()
    sla = sla_hours if sla_hours is not None else get_sla(ws).get(stage, float("inf"))
    return frame(ws, f"""
        SELECT isodow(o.created_at) AS weekday, hour(o.created_at) AS hour, count(*) AS orders,
               median({_hours(stage)}) AS median_h,
               avg(CASE WHEN {_hours(stage)} > ? THEN 1.0 ELSE 0.0 END) AS breach_rate
        FROM orders o WHERE {where} AND {SALE} AND {_stage_where(stage)} AND o.created_at IS NOT NULL
        GROUP BY 1, 2 ORDER BY 1, 2""", [sla if np.isfinite(sla) else 1e12, *params])


Grain = Literal["week", "month"]


def sla_trend(ws: Workspace, filters: Filters | None = None, stage: str = "paid_to_fulfilled",
              hours: float | None = None, grain: Grain = "month") -> pd.DataFrame:
    """[period, orders, breaches, breach_rate, median_h] per week or month of order date."""
    if grain not in get_args(Grain):
        raise OperationsError(f"Unknown grain {grain!r}.", key="ops.bad_stage", stage=grain)
    filters = filters or Filters()
    where, params = filters.where()
    limit = hours if hours is not None else get_sla(ws).get(stage, DEFAULT_SLA_HOURS.get(stage, 48.0))
    h = _hours(stage)
    return frame(ws, f"""
        SELECT date_trunc('{grain}', o.order_date)::DATE AS period, count(*) AS orders,
               count(*) FILTER (WHERE {h} > ?) AS breaches,
               count(*) FILTER (WHERE {h} > ?) / count(*) AS breach_rate,
               median({h}) AS median_h
        FROM orders o WHERE {where} AND {SALE} AND {_stage_where(stage)}
        GROUP BY 1 ORDER BY 1""", [limit, limit, *params])


def breach_rate(ws: Workspace, filters: Filters | None = None, stage: str = "paid_to_fulfilled",
                hours: float | None = None) -> float | None:
    """Share of orders whose stage took longer than `hours` (default: the stage's SLA)."""
    return breach_share(sla_trend(ws, filters, stage, hours, "month"))


def breach_share(trend: pd.DataFrame) -> float | None:
    """Share of the orders of an `sla_trend` table that took longer than its limit."""
    n = int(trend["orders"].sum())
    return float(trend["breaches"].sum()) / n if n else None


# -- SLA settings -------------------------------------------------------------------------------
def get_sla(ws: Workspace) -> dict[str, float]:
    """SLA limits in hours per stage: the user's, else the default (ship within 48 h)."""
    rows = ws.cursor().execute("SELECT stage, hours FROM sla_targets").fetchall()
    return {**DEFAULT_SLA_HOURS, **{str(s): float(h) for s, h in rows if h is not None}}


def set_sla(ws: Workspace, stage: str, hours: float) -> None:
    _stage(stage)
    if not (isinstance(hours, (int, float)) and np.isfinite(hours) and 0 < hours <= 24 * 365):
        raise OperationsError(f"An SLA of {hours} hours is not possible: use more than 0.",
                              key="ops.bad_sla", hours=str(hours))
    ws.cursor().execute("INSERT OR REPLACE INTO sla_targets VALUES (?, ?)", [stage, float(hours)])


# -- funnel -----------------------------------------------------------------------------------
FUNNEL_STEPS = ("sessions", "add_to_cart", "checkouts", "orders")


def funnel(ws: Workspace, filters: Filters | None = None) -> pd.DataFrame | None:
    """[step, value, of_sessions, of_previous] from traffic to counted orders on the days and
    channels the traffic covers; None when there is no traffic data for the filters."""
    from lib.metrics.core import COUNTED

    filters = filters or Filters()
    where, params = filters.where()
    t_where = where.replace("o.order_date", "t.date").replace("o.channel", "t.channel")
    row = ws.cursor().execute(
        f"SELECT sum(sessions), sum(add_to_cart), sum(checkouts), "
        f"(SELECT count(*) FROM orders o WHERE {where} AND {COUNTED} AND EXISTS (SELECT 1 FROM "
        f" traffic t2 WHERE t2.date = o.order_date AND t2.channel = o.channel)) "
        f"FROM traffic t WHERE {t_where}", [*params, *params]).fetchone()
    if not row or not row[0]:
        return None
    values = [float(v or 0) for v in row]
    prev = [None, *values[:-1]]
    return pd.DataFrame({
        "step": FUNNEL_STEPS, "value": values,
        "of_sessions": [v / values[0] for v in values],
        "of_previous": [None if p is None else (v / p if p else None) for v, p in zip(values, prev)],
    })


# -- PDCA improvement log -------------------------------------------------------------------------
PdcaStatus = Literal["plan", "do", "check", "act"]
PDCA: tuple[str, ...] = get_args(PdcaStatus)
IMPROVEMENT_COLUMNS = ("id", "title", "metric", "started_on", "ended_on", "owner", "hypothesis",
                       "status")


def add_improvement(ws: Workspace, title: str, metric: str, started_on: date, owner: str = "",
                    hypothesis: str = "", ended_on: date | None = None,
                    status: str = "plan") -> str:
    """Log an action (status Plan unless given); returns its id."""
    title = (title or "").strip()
    if not title:
        raise OperationsError("Give the action a title.", key="ops.title_required")
    if not isinstance(started_on, date):
        raise OperationsError("Say when the action starts.", key="ops.start_required")
    check_metric(metric)
    check_period(started_on, ended_on)
    if status not in PDCA:
        raise OperationsError(f"Unknown status {status!r}.", key="ops.bad_status", status=status)
    action_id = "A-" + uuid.uuid4().hex[:8]
    now = datetime.now(timezone.utc)
    with ws.transaction() as cur:
        cur.execute("INSERT INTO improvements (id, title, metric, started_on, owner, hypothesis, "
                    "status, ended_on, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [action_id, title, metric, started_on, (owner or "").strip() or None,
                     (hypothesis or "").strip() or None, status, ended_on, now])
        cur.execute("INSERT INTO improvement_status_log VALUES (?, ?, ?)", [action_id, status, now])
    return action_id


def set_improvement_status(ws: Workspace, action_id: str, status: str) -> None:
    if status not in PDCA:
        raise OperationsError(f"Unknown status {status!r}.", key="ops.bad_status", status=status)
    with ws.transaction() as cur:
        cur.execute("UPDATE improvements SET status = ? WHERE id = ?", [status, action_id])
        cur.execute("INSERT INTO improvement_status_log VALUES (?, ?, ?)",
                    [action_id, status, datetime.now(timezone.utc)])


def next_status(status: str) -> str:
    """Plan → Do → Check → Act → Plan (the next cycle)."""
    return PDCA[(PDCA.index(status) + 1) % len(PDCA)] if status in PDCA else "plan"


def list_improvements(ws: Workspace) -> pd.DataFrame:
    cols = ", ".join(IMPROVEMENT_COLUMNS)
    return frame(ws, f"SELECT {cols} FROM improvements ORDER BY started_on DESC, title")


def delete_improvement(ws: Workspace, action_id: str) -> None:
    with ws.transaction() as cur:
        cur.execute("DELETE FROM improvements WHERE id = ?", [action_id])
        cur.execute("DELETE FROM improvement_status_log WHERE id = ?", [action_id])


EFFECT_WINDOW = 28  # days before / after an action's start
PERMUTATIONS = 5000
ALPHA = 0.05
MIN_DAYS = 7


def permutation_p_value(before: np.ndarray, after: np.ndarray, n: int = PERMUTATIONS,
                        seed: int = 0) -> float:
    """Two-sided permutation test of the difference of means (with the +1 correction)."""
    pooled = np.concatenate([before, after])
    observed = abs(after.mean() - before.mean())
    rng = np.random.default_rng(seed)
    k = len(after)
    hits = 0
    for _ in range(n):
        perm = rng.permutation(pooled)
        if abs(perm[:k].mean() - perm[k:].mean()) >= observed - 1e-12:
            hits += 1
    return (hits + 1) / (n + 1)


@dataclass(frozen=True)
class Effect:
    """An action's metric before vs after its start.

    before/after: the metric over each window (sums over sums, as the catalogue defines it);
    daily: [day, value, phase] with phase 'before' | 'after'; p_value: permutation test on the
    daily values (None when a window has fewer than MIN_DAYS days); significant: p < ALPHA.
    """

    metric: str
    before_window: tuple[date, date]
    after_window: tuple[date, date] | None
    before: float | None
    after: float | None
    difference: float | None
    relative: float | None
    p_value: float | None
    significant: bool | None
    higher_is_better: bool
    daily: pd.DataFrame = field(compare=False, repr=False)

    @property
    def improved(self) -> bool | None:
        if self.difference is None or not self.significant:
            return None
        return (self.difference > 0) == self.higher_is_better


def improvement_effect(ws: Workspace, metric: str, started_on: date, ended_on: date | None = None,
                       channels: tuple[str, ...] = (), window: int = EFFECT_WINDOW) -> Effect:
    info = check_metric(metric)
    last = data_end(ws) or started_on
    b0, b1 = started_on - timedelta(days=window), started_on - timedelta(days=1)
    a1 = min(ended_on or started_on + timedelta(days=window - 1), last)
    after_window = (started_on, a1) if a1 >= started_on else None
    span = Filters(start=b0, end=a1 if after_window else b1, channels=channels)
    daily = metric_daily(ws, metric, span)
    daily = daily.assign(phase=np.where(pd.Series(daily["day"]) >= started_on, "after", "before"))
    before = metric_value(ws, metric, Filters(start=b0, end=b1, channels=channels))
    after = (metric_value(ws, metric, Filters(start=started_on, end=a1, channels=channels))
             if after_window else None)
    diff = after - before if before is not None and after is not None else None
    rel = diff / abs(before) if diff is not None and before else None
    xb = daily.loc[daily["phase"] == "before", "value"].to_numpy(dtype="float64")
    xa = daily.loc[daily["phase"] == "after", "value"].to_numpy(dtype="float64")
    p = permutation_p_value(xb, xa) if len(xb) >= MIN_DAYS and len(xa) >= MIN_DAYS else None
    return Effect(metric, (b0, b1), after_window, before, after, diff, rel, p,
                  None if p is None else p < ALPHA, info.higher_is_better, daily)


__all__ = ["STAGES", "PDCA", "stage_report", "weekday_split", "backlog_heatmap",
           "sla_trend", "breach_rate", "breach_share", "get_sla", "set_sla", "funnel", "add_improvement",
           "set_improvement_status", "next_status", "list_improvements", "delete_improvement",
           "improvement_effect", "permutation_p_value", "Effect", "StageReport"]
