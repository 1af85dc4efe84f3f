"""The KPI catalogue (`catalogue.yaml`): loaded once, validated as a whole, read by everything.

Validation collects every problem before it raises (like metricflow's validators), so a bad
edit shows all its mistakes at once: ids, labels in both languages, measure references against
the tables the engine offers (`lib.metrics.families`), derived expressions (parsed with `ast`,
only metric names, parameters, numbers and + − × ÷), cycles, units, formats and requirements
against the canonical schema.
"""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Literal, get_args


from lib import yaml_text
from lib.errors import ShoplensError
from lib.metrics.families import AGGS, FAMILIES, TABLE_FAMILIES
from lib.workspace import RECORDS_ALL, TABLES

CATALOGUE_PATH = Path(__file__).with_name("catalogue.yaml")
# `requires: [recorded.refunds]`: some loaded orders export records refunds at all
# (`Workspace.recorded`); a requirement is otherwise a table or `table.column` with data.
RECORDED = "recorded"
SNAKE = re.compile(r"^[a-z][a-z0-9_]{0,62}$")

Kind = Literal["simple", "ratio", "derived"]
Unit = Literal["money", "count", "percent", "hours", "days", "multiple"]
Format = Literal["money", "integer", "number", "percent", "hours", "days", "multiple"]
KINDS: tuple[str, ...] = get_args(Kind)
UNITS: tuple[str, ...] = get_args(Unit)
FORMATS: tuple[str, ...] = get_args(Format)
LANGS = ("en", "zh")
BUILTINS = ("period_days",)  # values the engine supplies to derived expressions
_ALLOWED_NODES = (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Add, ast.Sub, ast.Mult, ast.Div,
                  ast.USub, ast.UAdd, ast.Name, ast.Load, ast.Constant)


class CatalogueError(ShoplensError):
    """The catalogue file is invalid: every problem found, one per line."""

    key = "metrics.catalogue_invalid"

    def __init__(self, problems: list[str]) -> None:
        super().__init__("The KPI catalogue is invalid:\n" + "\n".join(problems),
                         detail="; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Measure:
    """One aggregation over a table the engine offers: agg(column) where <condition>."""

    table: str
    agg: str
    column: str
    where: str = "all"

    @property
    def id(self) -> str:
        return f"{self.table}.{self.agg}.{self.column}.{self.where}"


Operand = str | Measure  # a metric id, or an inline measure


@dataclass(frozen=True)
class Metric:
    id: str
    group: str
    label: dict[str, str]
    description: dict[str, str]
    formula: dict[str, str]
    kind: Kind
    unit: Unit
    format: Format
    higher_is_better: bool | None
    chapter: str
    requires: tuple[str, ...]
    measure: Operand | None = None
    numerator: Operand | None = None
    denominator: Operand | None = None
    expr: str | None = None
    optional: tuple[str, ...] = ()
    # (covered, of): when covered < of, the value carries a note with the share covered
    coverage: tuple[Operand, Operand] | None = None
    coverage_note: str = "metrics.note.coverage"  # its i18n key (param `share`)
    # A snapshot (stock now) has the same value in every period: no change to show.
    snapshot: bool = False

    def text(self, what: Literal["label", "description", "formula"], lang: str) -> str:
        return getattr(self, what)[lang if lang in LANGS else "en"]

    @property
    def names(self) -> tuple[str, ...]:
        """The metric ids and parameters a derived expression uses."""
        if self.expr is None:
            return ()
        return tuple(sorted({n.id for n in ast.walk(ast.parse(self.expr, mode="eval"))
                             if isinstance(n, ast.Name)}))

    def operands(self) -> tuple[Operand, ...]:
        """What the value is computed from (coverage operands are not: they only add a note)."""
        if self.kind == "simple":
            return (self.measure,)  # type: ignore[return-value]
        if self.kind == "ratio":
            return (self.numerator, self.denominator)  # type: ignore[return-value]
        return self.names


@dataclass(frozen=True)
class Catalogue:
    metrics: dict[str, Metric]
    groups: tuple[str, ...]
    parameters: dict[str, Decimal] = field(default_factory=dict)

    def __getitem__(self, metric_id: str) -> Metric:
        return self.metrics[metric_id]

    def __contains__(self, metric_id: object) -> bool:
        return metric_id in self.metrics

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(self.metrics)

    def by_group(self) -> dict[str, list[Metric]]:
        return {g: [m for m in self.metrics.values() if m.group == g] for g in self.groups}

    def closure(self, ids: tuple[str, ...] | list[str]) -> list[str]:
        """`ids` and every metric they depend on, dependencies first."""
        out: list[str] = []

        def visit(mid: str) -> None:
            if mid in out:
                return
            for op in self.metrics[mid].operands():
                if isinstance(op, str) and op in self.metrics:
                    visit(op)
            out.append(mid)

        for mid in ids:
            visit(mid)
        return out


# -- loading and validation -----------------------------------------------------------------
def _texts(raw: dict, key: str, where: str, problems: list[str]) -> dict[str, str]:
    value = raw.get(key)
    if not isinstance(value, dict):
        problems.append(f"{where}: {key} must give en and zh")
        return {lang: "" for lang in LANGS}
    out = {}
    for lang in LANGS:
        text = value.get(lang)
        if not isinstance(text, str) or not text.strip():
            problems.append(f"{where}: {key} has no {lang} text")
            text = ""
        out[lang] = text
    return out


def _operand(raw: object, where: str, problems: list[str]) -> Operand | None:
    if isinstance(raw, str):
        return raw
    if not isinstance(raw, dict):
        problems.append(f"{where}: must be a metric id or a measure {{table, agg, column, where}}")
        return None
    unknown = set(raw) - {"table", "agg", "column", "where"}
    if unknown:
        problems.append(f"{where}: unknown measure keys {sorted(unknown)}")
    m = Measure(table=str(raw.get("table", "")), agg=str(raw.get("agg", "")),
                column=str(raw.get("column", "")), where=str(raw.get("where", "all")))
    for part in ("table", "agg", "column", "where"):
        if not SNAKE.match(getattr(m, part)):
            problems.append(f"{where}: {part} {getattr(m, part)!r} is not a snake_case name")
    if m.agg not in AGGS:
        problems.append(f"{where}: agg {m.agg!r} is not one of {', '.join(AGGS)}")
    families = TABLE_FAMILIES.get(m.table)
    if families is None:
        problems.append(f"{where}: table {m.table!r} is not one of {', '.join(TABLE_FAMILIES)}")
        return m
    if not any(m.column in FAMILIES[f].columns for f in families):
        problems.append(f"{where}: table {m.table!r} has no column {m.column!r}")
    elif not any(m.where in FAMILIES[f].conditions for f in families):
        problems.append(f"{where}: table {m.table!r} has no condition {m.where!r}")
    elif m.agg in AGGS and not any(FAMILIES[f].supports((), m.agg, m.column, m.where)
                                   for f in families):
        problems.append(f"{where}: table {m.table!r} cannot compute {m.agg}({m.column}) "
                        f"where {m.where}")
    return m


def check_expression(expr: str) -> list[str]:
    """Problems with a derived expression (empty if it is plain arithmetic over names)."""
    try:
        tree = ast.parse(expr, mode="eval")
    except SyntaxError as exc:
        return [f"cannot parse {expr!r}: {exc.msg}"]
    bad = sorted({type(n).__name__ for n in ast.walk(tree) if not isinstance(n, _ALLOWED_NODES)})
    consts = [n for n in ast.walk(tree) if isinstance(n, ast.Constant)
              and (isinstance(n.value, bool) or not isinstance(n.value, (int, float)))]
    out = [f"{expr!r} uses {', '.join(bad)} (only + − × ÷, numbers and names)"] if bad else []
    if consts:
        out.append(f"{expr!r} has a constant that is not a number")
    return out


def _requirement_problems(req: str) -> list[str]:
    table, _, column = req.partition(".")
    if table == RECORDED:
        return [] if column in RECORDS_ALL else [f"requires unknown record kind {req!r}"]
    spec = TABLES.get(table)
    if spec is None:
        return [f"requires unknown table {table!r}"]
    if column and column not in spec.column_names:
        return [f"requires unknown column {req!r}"]
    return []


def parse_catalogue(data: object) -> Catalogue:
    """Validate a parsed YAML document; raise CatalogueError listing every problem."""
    problems: list[str] = []
    if not isinstance(data, dict) or not isinstance(data.get("metrics"), list):
        raise CatalogueError(["the file must have a `metrics:` list"])
    groups = tuple(str(g) for g in data.get("groups") or ())
    params: dict[str, Decimal] = {}
    for name, value in (data.get("parameters") or {}).items():
        if not SNAKE.match(str(name)) or isinstance(value, bool) or not isinstance(value, (int, float)):
            problems.append(f"parameter {name!r} must be a snake_case name with a number")
        else:
            params[str(name)] = Decimal(str(value))
    metrics: dict[str, Metric] = {}
    for i, raw in enumerate(data["metrics"]):
        where = f"metric #{i + 1}"
        if not isinstance(raw, dict):
            problems.append(f"{where}: not a mapping")
            continue
        mid = str(raw.get("id", ""))
        if not SNAKE.match(mid):
            problems.append(f"{where}: id {mid!r} is not snake_case")
        where = f"metric {mid!r}"
        if mid in metrics:
            problems.append(f"{where}: defined twice")
        kind = raw.get("type")
        if kind not in KINDS:
            problems.append(f"{where}: type must be one of {', '.join(KINDS)}")
        unit, fmt = raw.get("unit"), raw.get("format")
        if unit not in UNITS:
            problems.append(f"{where}: unit {unit!r} is not one of {', '.join(UNITS)}")
        if fmt not in FORMATS:
            problems.append(f"{where}: format {fmt!r} is not one of {', '.join(FORMATS)}")
        if raw.get("group") not in groups:
            problems.append(f"{where}: group {raw.get('group')!r} is not listed under groups")
        if raw.get("snapshot", False) not in (True, False):
            problems.append(f"{where}: snapshot must be true or false")
        hib = raw.get("higher_is_better", "missing")
        if hib not in (True, False, None):
            problems.append(f"{where}: higher_is_better must be true, false or null")
        if not str(raw.get("chapter") or "").strip():
            problems.append(f"{where}: no chapter")
        requires = tuple(str(r) for r in raw.get("requires") or ())
        if not requires:
            problems.append(f"{where}: requires must name the tables it needs")
        for req in requires:
            problems += [f"{where}: {p}" for p in _requirement_problems(req)]
        measure = numerator = denominator = expr = None
        if kind == "simple":
            measure = _operand(raw.get("measure"), f"{where} measure", problems)
        elif kind == "ratio":
            numerator = _operand(raw.get("numerator"), f"{where} numerator", problems)
            denominator = _operand(raw.get("denominator"), f"{where} denominator", problems)
        elif kind == "derived":
            expr = raw.get("expr")
            if not isinstance(expr, str):
                problems.append(f"{where}: a derived metric needs expr")
                expr = "0"
            problems += [f"{where}: {p}" for p in check_expression(expr)]
        coverage, coverage_note = None, "metrics.note.coverage"
        if raw.get("coverage") is not None:
            cov = raw["coverage"]
            if not isinstance(cov, dict) or not {"covered", "of"} <= set(cov) <= {"covered", "of", "note"}:
                problems.append(f"{where}: coverage must give covered and of (and may give note)")
            else:
                a = _operand(cov["covered"], f"{where} coverage", problems)
                b = _operand(cov["of"], f"{where} coverage", problems)
                coverage = (a, b) if a is not None and b is not None else None
                coverage_note = f"metrics.note.{cov.get('note') or 'coverage'}"
        metrics[mid] = Metric(
            id=mid, group=str(raw.get("group")), kind=kind, unit=unit, format=fmt,  # type: ignore[arg-type]
            label=_texts(raw, "label", where, problems),
            description=_texts(raw, "description", where, problems),
            formula=_texts(raw, "formula", where, problems),
            higher_is_better=hib if hib in (True, False) else None,
            chapter=str(raw.get("chapter") or ""), requires=requires,
            measure=measure, numerator=numerator, denominator=denominator, expr=expr,
            optional=tuple(str(o) for o in raw.get("optional") or ()), coverage=coverage,
            coverage_note=coverage_note,
            snapshot=raw.get("snapshot") is True,
        )
    problems += _reference_problems(metrics, params)
    if problems:
        raise CatalogueError(problems)
    return Catalogue(metrics=metrics, groups=groups, parameters=params)


def _reference_problems(metrics: dict[str, Metric], params: dict[str, Decimal]) -> list[str]:
    problems = []
    for m in metrics.values():
        if m.kind == "derived" and m.expr is not None and not check_expression(m.expr):
            for name in m.names:
                if name not in metrics and name not in params and name not in BUILTINS:
                    problems.append(f"metric {m.id!r}: expr uses unknown name {name!r}")
        elif m.kind in ("simple", "ratio"):
            for op in m.operands():
                if isinstance(op, str) and op not in metrics:
                    problems.append(f"metric {m.id!r}: refers to unknown metric {op!r}")
        for op in m.coverage or ():
            if isinstance(op, str) and op not in metrics:
                problems.append(f"metric {m.id!r}: coverage refers to unknown metric {op!r}")
        for opt in m.optional:
            if opt not in m.names:
                problems.append(f"metric {m.id!r}: optional {opt!r} is not in its expr")
    # cycles
    state: dict[str, int] = {}

    def visit(mid: str, path: list[str]) -> None:
        if state.get(mid) == 2 or mid not in metrics:
            return
        if state.get(mid) == 1:
            problems.append(f"metrics refer to each other in a cycle: {' → '.join(path + [mid])}")
            return
        state[mid] = 1
        for op in metrics[mid].operands():
            if isinstance(op, str):
                visit(op, path + [mid])
        state[mid] = 2

    for mid in metrics:
        visit(mid, [])
    return problems


@lru_cache(maxsize=4)
def _load(path: str, mtime: float) -> Catalogue:
    with open(path, encoding="utf-8") as fh:
        return parse_catalogue(yaml_text.safe_load(fh))


def load_catalogue(path: Path = CATALOGUE_PATH) -> Catalogue:
    """The catalogue at `path`, validated (cached until the file changes)."""
    return _load(str(path), path.stat().st_mtime)
