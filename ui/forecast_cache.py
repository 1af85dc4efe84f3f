"""The Forecast page's inputs and its cached fits (st.cache_data, shared by every session).

Entries are keyed by the workspace path + a content hash of everything a fit reads (series,
promotion depth, promotion calendar, festivals, country) + the parameters, so a rerun, a
slider move or another session with the same data reuses the fit, and new data or other
filters make a new one. Nothing here fits on its own: the page calls `forecast`, `backtest`
and `lifts`; the what-if levers post-process the cached forecast (lib/scenario.py).

`load_inputs` assembles its inputs (cached per workspace version, `Workspace.version`) with
`lib.forecast.series.series_context`, as `python -m lib.cli forecast` does: the daily frame
for the filters and currency, the shop's markets (first one's public holidays, their
shopping festivals) and the promotion calendar of the series' channels.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import streamlit as st

from lib.forecast import pool
from lib.forecast.backtest import BacktestResult, backtest as run_backtest
from lib.forecast.cache import fit_key
from lib.forecast.festivals import default_festivals, supported_country
from lib.forecast.lift import LiftResult, promotion_lifts
from lib.forecast.model import ForecastResult, fit_forecast
from lib.forecast.series import Level, Metric, series_context
from lib.metrics.core import Filters
from lib.workspace import Workspace
from ui.cached import per_version

BACKTEST_FOLDS = 4
MAX_ENTRIES = 64


@dataclass(frozen=True, eq=False)
class ForecastInputs:
    """Everything one forecast of one series reads; `data_hash` identifies it."""

    ws_path: str
    metric: Metric
    level: Level
    key: str | None
    currency: str | None
    country: str | None
    markets: tuple[str, ...]
    series: pd.DataFrame = field(repr=False)       # [ds, y]
    promotions: pd.DataFrame = field(repr=False)   # [ds, promo_depth]
    calendar: pd.DataFrame = field(repr=False)     # [name, start, end, discount_pct]
    festivals: pd.DataFrame = field(repr=False)    # holiday windows
    data_hash: str = ""

    @property
    def empty(self) -> bool:
        return self.series.empty

    def past_promotions(self) -> pd.DataFrame:
        """Calendar rows that ended within the history (those a lift can be estimated for)."""
        if self.series.empty or self.calendar.empty:
            return self.calendar.iloc[0:0]
        return self.calendar[self.calendar["end"] <= self.series["ds"].max()]


@per_version(MAX_ENTRIES)
def load_inputs(ws: Workspace, metric: Metric, level: Level, key: str | None, filters: Filters,
                currency: str | None = None) -> ForecastInputs:
    """The series and its context for these choices, once per workspace version (a few
    queries and the daily frame: two thirds of a Scenarios rerun, which asks twice)."""
    context = series_context(ws, level, key, filters, currency)
    currency, markets, calendar = context.currency, context.markets, context.calendar
    country = markets[0] if markets and supported_country(markets[0]) else None
    festivals = default_festivals(markets)
    series, promotions = context.series(metric), context.promotions()
    digest = fit_key(series, promotions=promotions, calendar=calendar, festivals=festivals,
                     country=country, currency=currency, metric=metric)
    return ForecastInputs(str(ws.path), metric, level, key, currency, country, tuple(markets), series,
                          promotions, calendar, festivals, digest)


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def _fit(ws_path: str, data_hash: str, horizon: int, _inputs: ForecastInputs) -> ForecastResult:
    i = _inputs
    return fit_forecast(i.series, horizon, country=i.country, festivals=i.festivals,
                        promotions=i.promotions, future_promotions=i.calendar)


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def _backtest(ws_path: str, data_hash: str, horizon: int, folds: int, _inputs: ForecastInputs) -> BacktestResult:
    i = _inputs
    return run_backtest(i.series, horizon, folds=folds, country=i.country, festivals=i.festivals,
                        promotions=i.promotions, future_promotions=i.calendar, workers=pool.WORKERS)


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def _lifts(ws_path: str, data_hash: str, _inputs: ForecastInputs) -> list[LiftResult]:
    i = _inputs
    return promotion_lifts(i.series, i.past_promotions(), currency=i.currency if i.metric == "net_sales" else None,
                           country=i.country, festivals=i.festivals, promotions=i.promotions)


def forecast(inputs: ForecastInputs, horizon: int) -> ForecastResult:
    """The fitted forecast (cached by workspace path, data hash and horizon)."""
    return _fit(inputs.ws_path, inputs.data_hash, int(horizon), inputs)


def backtest(inputs: ForecastInputs, horizon: int, folds: int = BACKTEST_FOLDS) -> BacktestResult:
    """The rolling-origin backtest of that forecast (cached likewise)."""
    return _backtest(inputs.ws_path, inputs.data_hash, int(horizon), int(folds), inputs)


def lifts(inputs: ForecastInputs) -> list[LiftResult]:
    """The lift of each past promotion of the calendar on this series (cached likewise)."""
    return _lifts(inputs.ws_path, inputs.data_hash, inputs)
