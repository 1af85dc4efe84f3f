"""Unusual days in the history: outside the in-sample forecast interval, for the risk page.

The model is fitted on the whole history with a wide interval (95 % by default); a day whose
actual value falls outside its fitted interval is listed with its size (actual − expected)
and direction. Days the outlier screen left out of the fit are compared too: they are often
the most unusual days of all.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Literal

import pandas as pd

from lib.forecast.model import ForecastOptions, fit_forecast
from lib.forecast.notes import Method, Note, note

Direction = Literal["above", "below"]


@dataclass(frozen=True)
class Anomaly:
    ds: date
    actual: float
    expected: float
    lower: float
    upper: float
    size: float            # actual − expected
    direction: Direction

    def to_json(self) -> dict[str, object]:
        return {"ds": self.ds.isoformat(), "actual": round(self.actual, 2), "expected": round(self.expected, 2),
                "lower": round(self.lower, 2), "upper": round(self.upper, 2), "size": round(self.size, 2),
                "direction": self.direction}


@dataclass(frozen=True)
class AnomalyReport:
    """Anomalies largest first; `method` is the model the expectation came from."""

    anomalies: tuple[Anomaly, ...]
    method: Method
    interval_width: float
    days_checked: int
    notes: tuple[Note, ...] = ()
    fitted: pd.DataFrame = field(default_factory=pd.DataFrame, compare=False, repr=False)

    def frame(self) -> pd.DataFrame:
        """[ds, actual, expected, lower, upper, size, direction]."""
        cols = ["ds", "actual", "expected", "lower", "upper", "size", "direction"]
        return pd.DataFrame([a.__dict__ for a in self.anomalies], columns=cols)


def find_anomalies(series: pd.DataFrame, *, interval_width: float = 0.95, country: str | None = None,
                   festivals: pd.DataFrame | None = None, promotions: pd.DataFrame | None = None,
                   since: date | None = None, min_size: float = 0.0,
                   options: ForecastOptions | None = None) -> AnomalyReport:
    """Days of `series` outside the in-sample interval (optionally only from `since`, and only
    those at least `min_size` away from the expectation)."""
    # the in-sample band decides; calibrating the (one-day) future band would be a wasted fit
    opts = replace(options or ForecastOptions(), interval_width=interval_width, calibrate=False)
    res = fit_forecast(series, 1, country=country, festivals=festivals, promotions=promotions, options=opts)
    h = res.history
    notes = list(res.notes)
    if h.empty or "fitted" not in h or h["fitted"].isna().all():
        notes.append(note("anomalies.no_fit"))
        return AnomalyReport((), res.method, interval_width, 0, tuple(notes), h)
    h = h.dropna(subset=["actual", "fitted", "fitted_lower", "fitted_upper"])
    if since is not None:
        h = h[h["ds"] >= pd.Timestamp(since)]
    out = h[(h["actual"] > h["fitted_upper"]) | (h["actual"] < h["fitted_lower"])]
    out = out[(out["actual"] - out["fitted"]).abs() >= min_size]
    anomalies = [
        Anomaly(r.ds.date(), float(r.actual), float(r.fitted), float(r.fitted_lower), float(r.fitted_upper),
                float(r.actual - r.fitted), "above" if r.actual > r.fitted_upper else "below")
        for r in out.itertuples(index=False)]
    anomalies.sort(key=lambda a: -abs(a.size))
    return AnomalyReport(tuple(anomalies), res.method, interval_width, len(h), tuple(notes), res.history)
