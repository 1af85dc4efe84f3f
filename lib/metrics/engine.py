"""The query engine: catalogue metrics for filters, periods and groupings.

`compute(ws, filters, metrics, groupings, periods)` runs ONE query per family it needs (orders,
lines, cohort, traffic, marketing, inventory): every grouping and period of that family comes
from one scan of its base relation (UNION ALL over the groupings of a materialised CTE), and
every measure of every metric is a column of that query. Simple metrics are a measure; ratios
divide the numerator by the denominator summed at the grain (never an average of ratios);
derived metrics are evaluated in Decimal from the other metrics of the same row.

A metric whose data is absent is `Value(None, reason)`, never 0; so is one that cannot be split
the way it is grouped (an order-level discount by category), and a ratio with nothing to divide
by. Money is `Decimal` rounded to the cent (the same rounding as the foundation KPIs); shares,
hours, days and multiples are floats; counts are ints (units may be fractional: Decimal).
"""
from __future__ import annotations

import ast
import operator
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal, DivisionByZero, InvalidOperation
from typing import TYPE_CHECKING, Union

from lib.errors import ShoplensError
from lib.metrics.catalogue import RECORDED, Catalogue, Measure, Metric, load_catalogue
from lib.metrics.facts import ensure_facts
from lib.metrics.families import (
    BUILDERS, DIMS, FAMILIES, TIME_UNITS, Period, Scope, bucket_end, family_for,
)
from lib.metrics.filters import CurrencyPlan, Filters, currencies, home_currency, resolve_plan
from lib.sql import internal_name
from lib.workspace import Workspace, recorded_sql

if TYPE_CHECKING:  # pandas only for `frame()`: the CLI's `kpis` starts 0.25 s faster without it
    import pandas as pd

Number = Union[Decimal, float, int]
Grouping = tuple[str, ...]
CENT = Decimal("0.01")


class MetricsError(ShoplensError):
    """A request the engine cannot answer as asked (unknown metric or dimension)."""


@dataclass(frozen=True)
class Ask:
    """One grouping to compute, and (optionally) only some metrics and periods there."""

    grouping: Grouping = ()
    metrics: tuple[str, ...] | None = None
    periods: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Reason:
    """Why a value is missing, or a note on it: an i18n key (lib/strings/metrics.py) and params."""

    key: str
    params: tuple[tuple[str, str], ...] = ()

    def param(self, name: str) -> str | None:
        return dict(self.params).get(name)


@dataclass(frozen=True)
class Value:
    value: Number | None
    reason: Reason | None = None
    notes: tuple[Reason, ...] = ()

    @property
    def available(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class Row:
    period: str
    key: tuple[object, ...]
    values: dict[str, Value]


@dataclass(frozen=True)
class MetricResult:
    """Values per grouping, period and key. `rows[()]` holds one row per period."""

    metrics: tuple[str, ...]
    periods: tuple[Period, ...]
    plan: CurrencyPlan
    rows: dict[Grouping, tuple[Row, ...]]
    reasons: dict[Grouping, dict[str, Reason]] = field(default_factory=dict)

    @property
    def currency(self) -> str | None:
        return self.plan.target

    def period(self, name: str = "current") -> Period | None:
        return next((p for p in self.periods if p.name == name), None)

    def value(self, metric: str, period: str = "current", grouping: Grouping = (),
              key: tuple[object, ...] = ()) -> Value:
        for row in self.rows.get(grouping, ()):
            if row.period == period and row.key == key:
                return row.values.get(metric, Value(None, Reason("metrics.reason.not_asked")))
        reason = self.reasons.get(grouping, {}).get(metric)
        return Value(None, reason or Reason("metrics.reason.no_rows"))

    def unavailable(self, grouping: Grouping = ()) -> dict[str, Reason]:
        """Metrics with no value at this grouping at all, and why."""
        return dict(self.reasons.get(grouping, {}))

    def frame(self, grouping: Grouping = (), period: str | None = "current",
              metrics: Sequence[str] | None = None) -> pd.DataFrame:
        """One row per key (and period when `period` is None): dims, then metrics as floats."""
        import pandas as pd

        metrics = list(metrics or self.metrics)
        records = []
        for row in self.rows.get(grouping, ()):
            if period is not None and row.period != period:
                continue
            rec: dict[str, object] = {"period": row.period}
            rec.update(zip(grouping, row.key))
            for m in metrics:
                v = row.values.get(m)
                rec[m] = None if v is None or v.value is None else float(v.value)
            records.append(rec)
        cols = ["period", *grouping, *metrics]
        df = pd.DataFrame.from_records(records, columns=cols)
        for m in metrics:
            df[m] = pd.to_numeric(df[m], errors="coerce").astype("float64")
        if grouping:
            df = df.sort_values(["period", *grouping], kind="stable", na_position="last")
        return df.reset_index(drop=True)


# -- periods ----------------------------------------------------------------------------------
def data_range(ws: Workspace, filters: Filters) -> tuple[date, date] | None:
    """First and last day with orders, traffic or marketing (channel/platform filters applied)."""
    where, params = Filters(channels=filters.channels, platforms=filters.platforms).where()
    row = ws.cursor().execute(
        f"""SELECT min(d), max(d) FROM (
              SELECT order_date AS d FROM orders o WHERE {where}
              UNION ALL SELECT "date" FROM traffic UNION ALL SELECT "date" FROM marketing)""",
        params).fetchone()
    return (row[0], row[1]) if row and row[0] is not None else None


def current_period(ws: Workspace, filters: Filters) -> Period:
    """The filters' dates, their open ends filled from the data (today when there is none)."""
    if filters.start and filters.end:
        return Period("current", filters.start, filters.end)
    span = data_range(ws, filters)
    lo, hi = span if span else (date.today(), date.today())
    start, end = filters.start or lo, filters.end or hi
    return Period("current", min(start, end), max(start, end))


def shift_year(d: date, years: int = -1) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def comparison_periods(current: Period, first_day: date | None) -> tuple[Period, ...]:
    """The current period, the one just before it (same length) and, when the data go back
    that far, the same days a year earlier."""
    n = current.days
    prev = Period("previous", current.start - timedelta(days=n), current.start - timedelta(days=1))
    out = [current, prev]
    ly = Period("last_year", shift_year(current.start), shift_year(current.end))
    if first_day is not None and first_day <= ly.start:
        out.append(ly)
    return tuple(out)


# -- data present? ------------------------------------------------------------------------------
def data_present(ws: Workspace, requirements: Iterable[str]) -> dict[str, bool]:
    """For each `table` or `table.column` (validated against the schema by the catalogue):
    does the workspace hold any row / any non-empty value? For `recorded.<kind>`: does a
    loaded export record that kind at all (refunds, cancellations)?"""
    reqs = sorted(set(requirements))
    if not reqs:
        return {}
    exprs = []
    for req in reqs:
        table, _, column = req.partition(".")
        if table == RECORDED:
            exprs.append(recorded_sql(column))  # type: ignore[arg-type]
            continue
        cond = f" WHERE {internal_name(column)} IS NOT NULL" if column else ""
        exprs.append(f"EXISTS (SELECT 1 FROM {internal_name(table)}{cond})")
    row = ws.cursor().execute("SELECT " + ", ".join(exprs)).fetchone()
    return dict(zip(reqs, (bool(x) for x in row or ())))


# -- the query --------------------------------------------------------------------------------
def _measure_sql(m: Measure, family: str) -> str:
    fam = FAMILIES[family]
    if fam.rollup is not None:
        col = fam.physical(m.agg, m.column, m.where)
        assert col is not None, (family, m)
        return f"sum({internal_name(col)})"
    cond = "" if m.where == "all" else f" FILTER (WHERE {internal_name(m.where)})"
    if m.agg == "sum":
        return f"sum({internal_name(m.column)}){cond}"
    if m.agg == "count" or (m.agg == "count_distinct" and m.column in fam.unique):
        return f"count(*){cond}"
    if m.agg == "count_distinct":
        return f"count(DISTINCT {internal_name(m.column)}){cond}"
    raise AssertionError(m.agg)  # count_repeat has its own branch


def _family_sql(family: str, groupings: list[tuple[int, Grouping, tuple[str, ...] | None]],
                measures: list[Measure], scope: Scope) -> tuple[str, dict[str, object], list[Measure]]:
    """The family's one query, its parameters, and the measures in column order."""
    dims: list[str] = []
    for _, g, _ in groupings:
        dims += [d for d in g if d not in dims]
    parts = BUILDERS[family](scope, tuple(dims), measures)
    if len(groupings) > 1:  # several scans of one base: compute it once
        parts.ctes[-1] = parts.ctes[-1].replace("base AS (", "base AS MATERIALIZED (", 1)
    regular = [m for m in measures if m.agg != "count_repeat"]
    repeat = [m for m in measures if m.agg == "count_repeat"]
    width = max(1, max(len(g) for _, g, _ in groupings))
    branches = []
    for gi, g, pnames in groupings:
        keys = [f"CAST({internal_name(d)} AS VARCHAR)" for d in g]
        keys += ["CAST(NULL AS VARCHAR)"] * (width - len(g))
        by = ", ".join(["period", *(internal_name(d) for d in g)])
        head = f"SELECT {int(gi)} AS g, period, {', '.join(keys)}"
        src = "base"
        if pnames is not None:
            parts.params[f"g{int(gi)}_periods"] = list(pnames)
            src = f"(SELECT * FROM base WHERE period IN (SELECT unnest($g{int(gi)}_periods::VARCHAR[])))"
        cols = [_measure_sql(m, family) for m in regular] + ["CAST(NULL AS BIGINT)"] * len(repeat)
        branches.append(f"{head}, {', '.join(cols) or 'NULL'} FROM {src} GROUP BY {by}")
        for j, m in enumerate(repeat):
            col = internal_name(m.column)
            cond = "true" if m.where == "all" else internal_name(m.where)
            inner = (f"SELECT {by}, {col} FROM {src} WHERE {cond} AND {col} IS NOT NULL "
                     f"GROUP BY {by}, {col} HAVING count(*) >= 2")
            cols = ["NULL"] * len(regular) + [
                "count(*)" if k == j else "CAST(NULL AS BIGINT)" for k in range(len(repeat))]
            branches.append(f"{head}, {', '.join(cols)} FROM ({inner}) GROUP BY {by}")
    sql = parts.sql() + "\n" + "\nUNION ALL\n".join(branches)
    used = set(re.findall(r"\$([a-z0-9_]+)", sql))
    return sql, {k: v for k, v in parts.params.items() if k in used}, regular + repeat


def _parse_key(dims: Grouping, raw: Sequence[object]) -> tuple[object, ...]:
    out: list[object] = []
    for d, v in zip(dims, raw):
        if v is None:
            out.append(None)
        elif DIMS[d].kind == "date":
            out.append(date.fromisoformat(str(v)[:10]))
        elif DIMS[d].kind == "int":
            out.append(int(str(v)))
        else:
            out.append(str(v))
    return tuple(out)


# -- evaluation -------------------------------------------------------------------------------
_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
        ast.Div: operator.truediv}


def _dec(x: Number) -> Decimal:
    return x if isinstance(x, Decimal) else Decimal(str(x))


def _as_unit(metric: Metric, x: Decimal) -> Number:
    if metric.unit == "money":
        return x.quantize(CENT)
    if metric.unit == "count":
        return int(x) if x == x.to_integral_value() and metric.format == "integer" else x
    return float(x)


def _merge_notes(*values: Value) -> tuple[Reason, ...]:
    out: list[Reason] = []
    for v in values:
        out += [n for n in v.notes if n not in out]
    return tuple(out)


class _Evaluator:
    """Evaluates the metrics of one row from its measure values."""

    def __init__(self, cat: Catalogue, measures: dict[str, Number | None], kinds: dict[str, str],
                 blocked: dict[str, Reason], days: int) -> None:
        self.cat, self.measures, self.kinds, self.blocked, self.days = cat, measures, kinds, blocked, days
        self.memo: dict[str, Value] = {}

    def measure(self, m: Measure) -> Value:
        kind = self.kinds[m.id]
        raw = self.measures.get(m.id)
        if kind == "money":
            return Value(_dec(raw).quantize(CENT) if raw is not None else Decimal("0.00"))
        if kind == "number":
            return Value(float(raw) if raw is not None else 0.0)
        if raw is None:
            return Value(0)
        return Value(raw if isinstance(raw, (int, Decimal)) else _dec(raw))

    def operand(self, op: str | Measure) -> Value:
        return self.measure(op) if isinstance(op, Measure) else self.metric(op)

    def metric(self, mid: str) -> Value:
        if mid not in self.memo:
            self.memo[mid] = self._metric(self.cat[mid])
        return self.memo[mid]

    def _metric(self, m: Metric) -> Value:
        if m.id in self.blocked:
            return Value(None, self.blocked[m.id])
        if m.kind == "simple":
            v = self.operand(m.measure)  # type: ignore[arg-type]
            out = Value(None if v.value is None else _as_unit(m, _dec(v.value)), v.reason, v.notes)
        elif m.kind == "ratio":
            out = self._ratio(m)
        else:
            out = self._derived(m)
        return self._with_coverage(m, out)

    def _ratio(self, m: Metric) -> Value:
        num, den = self.operand(m.numerator), self.operand(m.denominator)  # type: ignore[arg-type]
        notes = _merge_notes(num, den)
        for v in (num, den):
            if v.value is None:
                return Value(None, v.reason, notes)
        if den.value == 0:
            return Value(None, Reason("metrics.reason.zero_base"), notes)
        if m.unit in ("money", "count"):
            return Value(_as_unit(m, _dec(num.value) / _dec(den.value)), None, notes)
        return Value(float(num.value) / float(den.value), None, notes)

    def _derived(self, m: Metric) -> Value:
        values: dict[str, Decimal] = {}
        notes: list[Reason] = []
        for name in m.names:
            if name == "period_days":
                values[name] = Decimal(self.days)
            elif name in self.cat.parameters:
                values[name] = self.cat.parameters[name]
            else:
                v = self.metric(name)
                notes += [n for n in v.notes if n not in notes]
                if v.value is None:
                    if name in m.optional:
                        notes.append(Reason("metrics.note.left_out", (("metric", name),)))
                        values[name] = Decimal(0)
                        continue
                    return Value(None, v.reason, tuple(notes))
                values[name] = _dec(v.value)
        try:
            x = _eval(ast.parse(m.expr or "0", mode="eval").body, values)
        except (ZeroDivisionError, DivisionByZero, InvalidOperation):
            return Value(None, Reason("metrics.reason.zero_base"), tuple(notes))
        return Value(_as_unit(m, x), None, tuple(notes))

    def _with_coverage(self, m: Metric, v: Value) -> Value:
        """The share covered as a note; a rate whose base is empty only because none of the
        orders is covered says so (`<note>_none`: a channel whose export records no refunds)
        instead of 'nothing to divide by'."""
        if m.coverage is None:
            return v
        if v.value is None and (m.kind != "ratio" or v.reason != Reason("metrics.reason.zero_base")):
            return v
        covered, of = (self.operand(op) for op in m.coverage)
        if covered.value is None or not of.value:
            return v
        if v.value is None:
            return replace(v, reason=Reason(f"{m.coverage_note}_none")) if covered.value == 0 else v
        share = float(covered.value) / float(of.value)
        if share >= 0.9995:
            return v
        note = Reason(m.coverage_note, (("share", f"{share:.6f}"),))
        return replace(v, notes=v.notes + (note,))


def _eval(node: ast.AST, values: dict[str, Decimal]) -> Decimal:
    if isinstance(node, ast.BinOp):
        left, right = _eval(node.left, values), _eval(node.right, values)
        if isinstance(node.op, ast.Div) and right == 0:
            raise ZeroDivisionError
        return _OPS[type(node.op)](left, right)
    if isinstance(node, ast.UnaryOp):
        x = _eval(node.operand, values)
        return -x if isinstance(node.op, ast.USub) else x
    if isinstance(node, ast.Name):
        return values[node.id]
    if isinstance(node, ast.Constant):
        return Decimal(str(node.value))
    raise AssertionError(type(node).__name__)  # the catalogue validated the expression


# -- planning ---------------------------------------------------------------------------------
class _Planner:
    """Which metrics can be computed at a grouping, and which measures that takes."""

    def __init__(self, cat: Catalogue, present: dict[str, bool]) -> None:
        self.cat, self.present = cat, present

    def needs(self, mid: str) -> set[str]:
        m = self.cat[mid]
        out = set(m.requires)
        for op in m.operands():
            if isinstance(op, str) and op in self.cat and op not in m.optional:
                out |= self.needs(op)
        return out

    def blocked(self, mid: str, dims: Grouping) -> Reason | None:
        """Why `mid` cannot be computed at `dims` (None: it can)."""
        m = self.cat[mid]
        for req in sorted(m.requires):
            if not self.present.get(req, False):
                return Reason("metrics.reason.needs", (("what", req),))
        for op in m.operands():
            if isinstance(op, Measure):
                reason = self.measure_blocked(op, dims)
            elif op in self.cat and op not in m.optional:
                reason = self.blocked(op, dims)
            else:
                reason = None
            if reason is not None:
                return reason
        return None

    @staticmethod
    def measure_blocked(m: Measure, dims: Grouping) -> Reason | None:
        fam = FAMILIES[family_for(m.table, dims, m.agg, m.column, m.where)]
        for d in dims:
            if d not in fam.dims:
                return Reason("metrics.reason.grain", (("dim", d),))
        if not fam.supports(dims, m.agg, m.column, m.where):
            line_dim = next((d for d in dims if d in ("category", "product")), dims[0] if dims else "")
            return Reason("metrics.reason.grain", (("dim", line_dim),))
        return None

    def measures(self, mid: str, dims: Grouping, seen: set[str] | None = None) -> list[Measure]:
        seen = seen if seen is not None else set()
        if mid in seen:
            return []
        seen.add(mid)
        m = self.cat[mid]
        ops = list(m.operands()) + list(m.coverage or ())
        out: list[Measure] = []
        for op in ops:
            if isinstance(op, Measure):
                if self.measure_blocked(op, dims) is None:
                    out.append(op)
            elif op in self.cat and self.blocked(op, dims) is None:
                out += self.measures(op, dims, seen)
        return out


def compute(ws: Workspace, filters: Filters | None = None, metrics: Sequence[str] | None = None,
            groupings: Sequence[Grouping | Ask] = ((),), periods: Sequence[Period] | None = None,
            catalogue: Catalogue | None = None) -> MetricResult:
    """Catalogue metrics for `filters` at each grouping and period (see the module doc).

    `groupings` are tuples of dimensions, or `Ask`s that limit a grouping to some metrics and
    periods (the Overview's sparklines need fewer metrics than its cards)."""
    cat = catalogue or load_catalogue()
    filters = filters or Filters()
    asked = tuple(metrics or cat.ids)
    asks = tuple(a if isinstance(a, Ask) else Ask(tuple(a)) for a in groupings)
    every = set(asked).union(*(a.metrics or () for a in asks))
    unknown = sorted(m for m in every if m not in cat)
    if unknown:
        raise MetricsError(f"Unknown metric(s): {', '.join(unknown)}.", key="metrics.unknown",
                           metrics=", ".join(unknown))
    bad = sorted({d for a in asks for d in a.grouping if d not in DIMS})
    if bad:
        raise MetricsError(f"Unknown dimension(s): {', '.join(bad)}.", key="metrics.unknown_dim",
                           dims=", ".join(bad))
    periods = tuple(periods or (current_period(ws, filters),))
    plan, scope = resolve_scope(ws, filters, periods, cat)
    planner = _Planner(cat, {})
    closure = cat.closure(sorted(every))
    planner.present = data_present(ws, set().union(*(planner.needs(m) for m in closure)))

    # what each family must compute, per grouping
    blocked: dict[int, dict[str, Reason]] = {}
    work: dict[str, dict[int, list[Measure]]] = {}
    kinds: dict[str, str] = {}
    for gi, a in enumerate(asks):
        order = cat.closure(a.metrics or asked)
        blocked[gi] = {m: r for m in order if (r := planner.blocked(m, a.grouping)) is not None}
        for mid in order:
            if mid in blocked[gi]:
                continue
            for meas in planner.measures(mid, a.grouping):
                fam = family_for(meas.table, a.grouping, meas.agg, meas.column, meas.where)
                lst = work.setdefault(fam, {}).setdefault(gi, [])
                if meas not in lst:
                    lst.append(meas)
                kinds[meas.id] = FAMILIES[fam].columns[meas.column] if meas.agg == "sum" else "count"

    data: dict[tuple[int, str, tuple[object, ...]], dict[str, Number | None]] = {}
    cur = ws.cursor()
    for fam, per_grouping in work.items():
        # One query per family; a windowed family's rows depend on the time grouping, so it
        # takes one query per set of time dimensions.
        batches: dict[tuple[str, ...], list[int]] = {}
        for gi in sorted(per_grouping):
            time_dims = tuple(d for d in asks[gi].grouping if DIMS[d].time)
            batches.setdefault(time_dims if FAMILIES[fam].windowed else (), []).append(gi)
        for gis in batches.values():
            measures: list[Measure] = []
            for gi in gis:
                measures += [m for m in per_grouping[gi] if m not in measures]
            gl = [(gi, asks[gi].grouping, asks[gi].periods) for gi in gis]
            sql, params, measures = _family_sql(fam, gl, measures, scope)
            width = max(1, max(len(g) for _, g, _ in gl))
            for rec in cur.execute(sql, params).fetchall():
                gi, period = int(rec[0]), str(rec[1])
                key = _parse_key(asks[gi].grouping, rec[2:2 + width])
                slot = data.setdefault((gi, period, key), {})
                for m, v in zip(measures, rec[2 + width:]):
                    if v is not None or m.id not in slot:
                        slot[m.id] = v

    rows: dict[Grouping, tuple[Row, ...]] = {}
    reasons: dict[Grouping, dict[str, Reason]] = {}
    for gi, a in enumerate(asks):
        names = a.periods or tuple(p.name for p in periods)
        keys = {(p, k) for (i, p, k) in data if i == gi and p in names}
        if not a.grouping:
            keys |= {(p, ()) for p in names}
        wanted = a.metrics or asked
        out = []
        for pname, key in sorted(keys, key=lambda x: (x[0], _sort_key(x[1]))):
            days = _row_days(a.grouping, key, next(p for p in periods if p.name == pname))
            ev = _Evaluator(cat, data.get((gi, pname, key), {}), kinds, blocked[gi], days)
            out.append(Row(pname, key, {m: ev.metric(m) for m in wanted}))
        rows[a.grouping] = tuple(out)
        reasons[a.grouping] = {m: r for m, r in blocked[gi].items() if m in wanted}
    return MetricResult(asked, periods, plan, rows, reasons)


def resolve_scope(ws: Workspace, filters: Filters, periods: Sequence[Period],
                  catalogue: Catalogue | None = None) -> tuple[CurrencyPlan, Scope]:
    """The currency plan and query scope for `filters` over `periods`; the fact tables are
    brought up to date. (Money in scope is whatever the periods' orders are in.)"""
    cat = catalogue or load_catalogue()
    periods = tuple(periods)
    lo, hi = min(p.start for p in periods), max(p.end for p in periods)
    found = currencies(ws, replace(filters, start=lo, end=hi))
    plan = resolve_plan(ws, filters, found)
    refresh_facts(ws, cat)
    return plan, _scope(ws, plan, filters, periods, cat)


def refresh_facts(ws: Workspace, catalogue: Catalogue | None = None) -> None:
    """Bring the fact tables up to date with the catalogue's parameters (a no-op when they
    are): after a load, so the next page view does not pay for it."""
    cat = catalogue or load_catalogue()
    ensure_facts(ws, float(cat.parameters.get("on_time_ship_hours", Decimal(48))))


def _sort_key(key: tuple[object, ...]) -> tuple[object, ...]:
    return tuple((v is None, str(v) if not isinstance(v, (int, date)) else v) for v in key)


def _row_days(g: Grouping, key: tuple[object, ...], period: Period) -> int:
    """Days a row covers: its time bucket within the period, else the whole period."""
    for d, v in zip(g, key):
        if isinstance(v, date) and d in TIME_UNITS:
            start, stop = max(v, period.start), min(bucket_end(d, v), period.end)
            return max(1, (stop - start).days + 1)
    return period.days


def _scope(ws: Workspace, plan: CurrencyPlan, filters: Filters, periods: tuple[Period, ...],
           cat: Catalogue) -> Scope:
    home = home_currency(ws) or plan.target or ""
    cost_currencies = {r[0] for r in ws.cursor().execute(
        "SELECT DISTINCT coalesce(currency, $home) FROM products", {"home": home}).fetchall()}
    cost_currencies.add(home)
    cost_rates: list[tuple[str, Decimal | float]] = []
    for c in sorted(c for c in cost_currencies if c is not None):
        f = Decimal(1) if c == "" else plan.factor(c)
        if f is not None:
            cost_rates.append((c, f))
    return Scope(periods=periods, channels=filters.channels, platforms=filters.platforms,
                 only_currency=plan.only, order_rates=plan.order_rates,
                 cost_rates=tuple(cost_rates), home=home,
                 on_time_hours=cat.parameters.get("on_time_ship_hours", Decimal(48)))
