"""Every catalogue KPI as plain JSON-ready data, for the command line (`lib.cli kpis`).

A KPI that cannot be computed is `null`, and `unavailable` says why (English); notes (cost
coverage, components left out) are listed under `notes`. Money is a number in `currency`.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from lib.metrics.describe import describe_reason
from lib.metrics.engine import Value, compute, current_period
from lib.metrics.filters import BY_CHOICES, Filters
from lib.workspace import Workspace

__all__ = ["BY_CHOICES", "kpis_json"]


def _plain(v: object) -> object:
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() and v.as_tuple().exponent >= 0 else float(v)
    return v


def _key(v: object) -> object:
    return v.isoformat() if isinstance(v, date) else v


def _values(values: dict[str, Value]) -> tuple[dict[str, object], dict[str, str], dict[str, list[str]]]:
    out: dict[str, object] = {}
    why: dict[str, str] = {}
    notes: dict[str, list[str]] = {}
    for mid, v in values.items():
        out[mid] = _plain(v.value)
        if v.value is None:
            why[mid] = describe_reason(v.reason)
        if v.notes:
            notes[mid] = [describe_reason(n) for n in v.notes]
    return out, why, notes


def kpis_json(ws: Workspace, filters: Filters, by: str | None = None) -> dict[str, object]:
    """All catalogue KPIs for `filters`: flat for the whole period, or one entry per group.

    Grouped, `unavailable` at the top lists KPIs that cannot be split that way at all; each
    group's own `unavailable` lists only what is missing in that group (e.g. nothing to divide
    by)."""
    period = current_period(ws, filters)
    grouping = (by,) if by else ()
    result = compute(ws, filters, groupings=(grouping,), periods=(period,))
    head: dict[str, object] = {
        "currency": result.currency,
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat()},
        "excluded_currencies": list(result.plan.excluded),
    }
    if not by:
        values, why, notes = _values(result.rows[()][0].values)
        return {**head, **values, "unavailable": why, "notes": notes}
    overall = {m: describe_reason(r) for m, r in result.unavailable(grouping).items()}
    groups = []
    for row in result.rows[grouping]:
        values, why, notes = _values(row.values)
        why = {m: text for m, text in why.items() if m not in overall}  # group-specific only
        groups.append({by: _key(row.key[0]), **values, "unavailable": why, "notes": notes})
    return {**head, "by": by, "groups": groups, "unavailable": overall}
