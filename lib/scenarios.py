"""Saved what-if scenarios (guide: scenario planning): store them, compare them side by side on
one forecast (the client-ready report that shows them is `lib/scenario_report.py`).

A scenario is a named set of levers (`lib.scenario.WhatIf`) and a note; it is applied to
whatever forecast the user has chosen (metric, series, horizon), so one scenario can be
compared on net sales and on orders. The levers multiply the fitted forecast (never a refit):
comparing five scenarios costs one fit.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone

import pandas as pd

from lib.forecast.series import Metric
from lib.scenario import ScenarioError, WhatIf, apply_what_if, totals
from lib.table import CHANGE_POINTS, Fmt, Table, build_table, unit_fmt
from lib.workspace import Workspace

MAX_NAME = 60
MAX_NOTE = 500
LEVERS = ("traffic_pct", "conversion_pct", "aov_pct", "discount_pct", "elasticity")


@dataclass(frozen=True)
class Scenario:
    """A named set of levers, with a note saying what it assumes."""

    name: str
    what_if: WhatIf = field(default_factory=WhatIf)
    note: str = ""

    def __post_init__(self) -> None:
        name = (self.name or "").strip()
        if not name or len(name) > MAX_NAME or any(not ch.isprintable() for ch in name):
            raise ScenarioError(f"A scenario needs a name of 1 to {MAX_NAME} printable characters.",
                                key="scenarios.bad_name", max=MAX_NAME)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "note", (self.note or "").strip()[:MAX_NOTE])

    def params_json(self) -> str:
        return json.dumps({"what_if": asdict(self.what_if), "note": self.note}, sort_keys=True)

    @classmethod
    def from_row(cls, name: str, params: str) -> Scenario:
        data = json.loads(params)
        levers = {k: float(v) for k, v in data.get("what_if", {}).items() if k in LEVERS}
        return cls(name, WhatIf(**levers), str(data.get("note", "")))


def save_scenario(ws: Workspace, scenario: Scenario) -> None:
    """Add a scenario, or replace the one with the same name."""
    with ws.transaction() as cur:
        cur.execute("INSERT OR REPLACE INTO scenarios VALUES (?, ?, ?)",
                    [scenario.name, scenario.params_json(), datetime.now(timezone.utc)])


def delete_scenario(ws: Workspace, name: str) -> None:
    with ws.transaction() as cur:
        cur.execute("DELETE FROM scenarios WHERE name = ?", [name])


def list_scenarios(ws: Workspace) -> list[Scenario]:
    """Saved scenarios, oldest first (a row that no longer validates is skipped, not fatal)."""
    rows = ws.cursor().execute("SELECT name, params FROM scenarios ORDER BY created_at, name").fetchall()
    out = []
    for name, params in rows:
        try:
            out.append(Scenario.from_row(name, params))
        except (ScenarioError, ValueError, TypeError):
            continue
    return out


def compare(forecast: pd.DataFrame, metric: Metric, scenarios: Sequence[Scenario]) -> pd.DataFrame:
    """One row per scenario: its levers, the factor on `metric`, and the horizon's totals
    (baseline = the forecast without levers; change in % of it, None when it is zero)."""
    rows = []
    for sc in scenarios:
        t = totals(apply_what_if(forecast, metric, sc.what_if))
        rows.append({"scenario": sc.name, **asdict(sc.what_if), "factor": sc.what_if.factor(metric),
                     "baseline": t.baseline, "total": t.scenario, "change": t.scenario - t.baseline,
                     "change_pct": t.change_pct, "note": sc.note})
    columns = ["scenario", *LEVERS, "factor", "baseline", "total", "change", "change_pct", "note"]
    return pd.DataFrame(rows, columns=columns)


def paths(forecast: pd.DataFrame, metric: Metric, scenarios: Sequence[Scenario],
          baseline_label: str) -> pd.DataFrame:
    """[ds, scenario, value]: the baseline forecast and each scenario's, day by day (for a chart)."""
    parts = [pd.DataFrame({"ds": forecast["ds"], "scenario": baseline_label,
                           "value": forecast["yhat"].astype("float64")})]
    for sc in scenarios:
        out = apply_what_if(forecast, metric, sc.what_if)
        parts.append(pd.DataFrame({"ds": out["ds"], "scenario": sc.name, "value": out["yhat"]}))
    return pd.concat(parts, ignore_index=True)


AMOUNTS = ("baseline", "total", "change")
LEVER_COLUMNS = ("scenario", *LEVERS, "factor")      # what each scenario assumes
OUTCOME_COLUMNS = ("scenario", *AMOUNTS, "change_pct")  # what it adds


def display_table(comparison: pd.DataFrame, metric: Metric, currency: str | None,
                  lang: str = "en", columns: Sequence[str] | None = None) -> Table:
    """The comparison as the page and the report show it: translated headers, levers, the
    factor, totals in the unit the headers name (currency, orders or units) and the change in
    % with its sign; numbers stay numbers, so a click on Total ranks the scenarios. `columns`:
    a part of it (the report prints LEVER_COLUMNS and OUTCOME_COLUMNS as two tables)."""
    from lib.charts_forecast import lift_unit
    from lib.i18n import t

    unit = lift_unit(metric, currency, lang)
    columns = list(columns or [*LEVER_COLUMNS, *OUTCOME_COLUMNS[1:], "note"])
    frame = comparison[columns]
    formats = {**{lever: unit_fmt("number", None, lang, frame[lever].tolist())
                  for lever in LEVERS if lever in columns},
               "factor": Fmt(4, prefix="× "), **{c: Fmt(0) for c in AMOUNTS}, "change_pct": CHANGE_POINTS}
    formats = {c: f for c, f in formats.items() if c in columns}

    def header(c: str) -> str:
        if c in LEVERS:
            return t(_LEVER_KEYS[c], lang)
        label = t(f"scenarios.col.{c}", lang)
        return t("value.in_unit", lang, label=label, unit=unit) if unit and c in AMOUNTS else label
    return build_table(frame, formats, header)


_LEVER_KEYS = {"traffic_pct": "forecast_page.traffic", "conversion_pct": "forecast_page.conversion",
               "aov_pct": "forecast_page.aov", "discount_pct": "forecast_page.discount",
               "elasticity": "forecast_page.elasticity"}
