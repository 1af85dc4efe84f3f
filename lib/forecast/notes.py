"""Plain-language notes attached to forecasts, backtests and lifts, each with a stable key.

The English text is rendered here from a template; the UI may render `key` + `params` in the
user's language instead. Keys are part of the contract (tests and translations use them).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from lib.errors import ShoplensError

Method = Literal["prophet", "seasonal_naive", "moving_average"]

METHOD_LABELS: dict[str, str] = {
    "prophet": "the full model (Prophet)",
    "seasonal_naive": "the same weekday of the last week (seasonal naive)",
    "moving_average": "the recent average (moving average)",
}

TEMPLATES: dict[str, str] = {
    # fit_forecast: what was done to the input
    "forecast.no_history": "There is no usable history to forecast from; the forecast is empty.",
    "forecast.short_history": (
        "Only {days} days of history ({nonzero} with sales); the full model needs at least "
        "{needed} days with sales over {span} days. Using {method_label} instead."),
    "forecast.constant": (
        "The history does not vary (every day is {value}), so the forecast repeats that value."),
    "forecast.all_zero": "Every day in the history is zero, so the forecast is zero.",
    "forecast.intermittent": (
        "{share}% of days have no sales, too sparse for a seasonal model; the forecast is the "
        "average of the last {window} days."),
    "forecast.not_daily": (
        "The history is not daily (about one value every {step} days); a daily model would "
        "invent a pattern, so the forecast is the recent average per day."),
    "forecast.outliers_removed": (
        "{count} unusual day(s) were left out of the fit: {days}."),
    "forecast.duplicates_aggregated": (
        "{count} date(s) appeared more than once; their values were added up."),
    "forecast.non_finite_dropped": (
        "{count} value(s) that were not numbers (empty, NaN or infinite) were ignored."),
    "forecast.bad_dates_dropped": "{count} row(s) without a valid date were ignored.",
    "forecast.timezone_removed": (
        "Dates carried a time zone; they were read as the local calendar day."),
    "forecast.gap": (
        "The history has {count} gap(s) without data, the longest {days} days ({start} to "
        "{end}); the model skips gaps rather than filling them in."),
    "forecast.closed_weekdays": (
        "There are (almost) never sales on {days}: the shop looks closed then, so those days "
        "are left out of the fit and forecast as zero."),
    "forecast.special_days_widened": (
        "The band is wider on {names}: their effect is learnt from few past occurrences, and "
        "the band allows for how much they varied."),
    "forecast.band_calibrated": (
        "The band is {factor}× Prophet's own: fitted without the last {days} days, the model's "
        "band held fewer of them than its width promises, so it was widened to match."),
    "forecast.floored_at_zero": (
        "Parts of the forecast fell below zero and were set to zero: sales cannot be negative."),
    "forecast.engine_failed": (
        "The forecasting engine could not fit this series ({reason}); using {method_label} "
        "instead."),
    "forecast.fit_timeout": (
        "The full model took longer than {seconds} seconds to fit and was stopped; using "
        "{method_label} instead."),
    "forecast.implausible": (
        "The full model gave implausible values (up to {value} against a history maximum of "
        "{history_max}); using {method_label} instead."),
    "forecast.yearly_off": (
        "Less than two years of history ({days} days): yearly seasonality is not modelled."),
    "forecast.trend_flat": (
        "Only {days} days of history: the trend is held flat, not extrapolated, until there are "
        "{needed} (a few weeks cannot tell a trend from noise); yearly seasonality is not "
        "modelled either."),
    "forecast.festival_unseen": (
        "The forecast period includes {names}, which the history does not cover; their effect "
        "is not in the forecast."),
    "forecast.promotions_used": (
        "Discount depth is used as a promotion signal; {count} planned promotion day(s) are in "
        "the forecast period."),
    "forecast.no_planned_promotions": (
        "No promotions are planned in the forecast period; the forecast assumes the usual "
        "discount level."),
    "forecast.horizon_capped": (
        "The horizon was shortened from {asked} to {horizon} days: a forecast cannot reach "
        "further than about the length of its history with {method_label}."),
    # backtest
    "backtest.too_short": (
        "Not enough history for a backtest over {horizon} days: it needs at least {needed} days."),
    "backtest.folds_reduced": (
        "Only {folds} backtest window(s) fit in the history (asked for {asked})."),
    "backtest.mape_partial": (
        "MAPE leaves out {count} of {total} days whose actual value was near zero."),
    "backtest.mape_omitted": (
        "MAPE is not shown: most actual values are near zero, where percentages mislead."),
    "backtest.mase_undefined": (
        "MASE is not shown: the training data does not vary from week to week."),
    "backtest.worse_than_baseline": (
        "In the backtest the forecast did worse than repeating the same weekday of the last "
        "week (MASE {mase}); treat it with caution."),
    "backtest.promotions_as_planned": (
        "The backtest gives the model the discount depth that actually happened in each test "
        "window, as if it had been planned."),
    # lift
    "lift.no_history": (
        "There is too little history before {start} to estimate what sales would have been."),
    "lift.missing_days": "{count} day(s) of the promotion window have no data and are not counted.",
    "lift.unclear": (
        "The range includes zero: the promotion's effect cannot be told apart from normal "
        "variation."),
    "lift.placebo": (
        "The range also allows for how far the baseline missed on {count} earlier window(s) of "
        "the same length without a promotion."),
    "lift.fallback": (
        "The baseline uses {method_label}, so the range is rough."),
    "lift.festival_unseen": (
        "{names} fell in this window and the history before it never saw it, so the lift "
        "includes the festival's own effect."),
    # many series
    "many.tail_allocated": (
        "The {top} largest SKUs have their own model; {count} smaller ones are forecast as their "
        "share of the last {days} days of their category's forecast."),
    "many.tail_inactive": (
        "{count} smaller SKU(s) sold nothing in the last {days} days and are forecast as zero."),
    # anomalies
    "anomalies.no_fit": "No in-sample fit is available, so no unusual days can be listed.",
}


@dataclass(frozen=True)
class Note:
    """A message for the user: `text` in English, `key` + `params` for translation."""

    key: str
    text: str
    params: dict[str, object] = field(default_factory=dict, compare=False)

    def to_json(self) -> dict[str, object]:
        return {"key": self.key, "text": self.text, "params": {k: _plain(v) for k, v in self.params.items()}}


def _plain(v: object) -> object:
    if isinstance(v, (str, int, float, bool)) or v is None:
        return v
    return str(v)


def note(key: str, **params: object) -> Note:
    """Render the note `key` from its template (unknown keys are a programming error)."""
    template = TEMPLATES[key]
    if "method" in params and "method_label" not in params:
        params["method_label"] = METHOD_LABELS.get(str(params["method"]), str(params["method"]))
    return Note(key=key, text=template.format(**params), params=params)


class ForecastError(ShoplensError):
    """A forecast request that cannot be answered as asked (bad horizon, level, key, currency)."""

    key = "error.forecast"
