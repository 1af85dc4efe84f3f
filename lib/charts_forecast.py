"""Presentation of forecasts for the Forecast page: the Altair chart (history, forecast, band,
festival and promotion markers) and the backtest table, lift table, notes and sentences in
the user's language. Data in, chart or display frame out; inputs are never changed.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import altair as alt
import pandas as pd

from lib.charts import DAY, day_axis
from lib.forecast.festivals import display_name
from lib.forecast.lift import money, whole
from lib.forecast.notes import Note
from lib.i18n import STRINGS, join_names, t
from lib.table import CHANGE_POINTS, Fmt, Table, build_table

if TYPE_CHECKING:
    from lib.forecast.backtest import BacktestResult
    from lib.forecast.lift import LiftResult

ACTUAL_COLOUR, FORECAST_COLOUR, BASELINE_COLOUR = "#4a4a4a", "#1f77b4", "#9e9e9e"
MARKER_COLOURS = {"festival": "#f58518", "promotion": "#54a24b"}
NONE = "—"
# closed_weekdays notes name weekdays in English ("Mondays, Sundays"); index → translation key
_WEEKDAYS_EN = ("Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays")


# -- numbers ------------------------------------------------------------------------------------
def fmt_amount(value: float | None, metric: str, currency: str | None, lang: str = "en") -> str:
    """Net sales with the currency's code (CNY 1,234); '1,234 orders' / '1,234 units' otherwise."""
    if value is None or math.isnan(value):
        return NONE
    if metric == "net_sales":
        return money(value, currency)
    return t(f"forecast_page.unit.{metric}", lang, value=whole(value))


def fmt_ratio(value: float | None, digits: int = 3) -> str:
    return NONE if value is None else f"{value:.{digits}f}"


def fmt_pct(value: float | None, digits: int = 1) -> str:
    """A share (0.688 → '68.8%')."""
    return NONE if value is None else f"{value * 100:.{digits}f}%"


def change_delta(change_pct: float | None) -> str | None:
    """A what-if's change as a metric delta ('+13.9%'); None when it shows as no change at one
    decimal, so untouched levers draw no green arrow over '+0.0%' (nor a red one for '-0.0%')."""
    if change_pct is None or round(change_pct, 1) == 0:
        return None
    return f"{change_pct:+.1f}%"


# -- notes and sentences ------------------------------------------------------------------------
def note_text(note: Note, lang: str = "en") -> str:
    """A lib note in `lang` (its key's translation), or its English text if it has none."""
    if note.key not in STRINGS:
        return note.text
    params = dict(note.params)
    if params.get("holidays"):  # festivals by id: their names in `lang`
        params["names"] = join_names((display_name(h, lang) for h in str(params["holidays"]).split("|")), lang)
    if "method" in params:
        params["method_label"] = t(f"forecast_page.method_label.{params['method']}", lang)
    if note.key == "forecast.closed_weekdays" and isinstance(params.get("days"), str):
        params["days"] = join_names(
            (t(f"forecast_page.weekday.{_WEEKDAYS_EN.index(d)}", lang) if d in _WEEKDAYS_EN else d
             for d in str(params["days"]).split(", ")), lang)
    try:
        return t(note.key, lang, **params)
    except (KeyError, IndexError, ValueError):
        return note.text


def lift_sentence(lift: LiftResult, metric: str, lang: str = "en") -> str:
    """'双11 added CNY 94,780 (range CNY 78,352 to CNY 107,664) over what the baseline predicts.'"""
    if lift.method is None:
        return t("forecast_page.lift.no_history", lang, name=lift.name, start=lift.start.isoformat())
    low, high, size = (fmt_amount(v, metric, lift.currency, lang)
                       for v in (lift.lift_lower, lift.lift_upper, abs(lift.lift)))
    rng = t("forecast_page.lift.range", lang, low=low, high=high)
    key = "forecast_page.lift.added" if lift.lift >= 0 else "forecast_page.lift.below"
    text = t(key, lang, name=lift.name, lift=size, range=rng)
    if not lift.clear:
        text += t("forecast_page.lift.unclear", lang)
    if lift.unseen_festivals:
        names = join_names((display_name(h, lang) for h in lift.unseen_festival_ids), lang) or lift.unseen_festivals
        text += t("forecast_page.lift.festival", lang, names=names)
    return text


# -- tables ---------------------------------------------------------------------------------------
def backtest_table(bt: BacktestResult, metric: str, currency: str | None, lang: str = "en") -> pd.DataFrame:
    """The backtest figures beside the seasonal-naive baseline, formatted for display."""
    rows = [
        ("mae", fmt_amount(bt.mae, metric, currency, lang), fmt_amount(bt.baseline_mae, metric, currency, lang)),
        ("relative", fmt_ratio(bt.relative_mae, 2), fmt_ratio(1.0, 2) if bt.baseline_mae else NONE),
        ("mase", fmt_ratio(bt.mase), NONE),
        ("coverage", fmt_pct(bt.coverage), NONE),
        ("mape", fmt_pct(None if bt.mape is None else bt.mape / 100), NONE),
    ]
    band = round(bt.interval_width * 100)
    return pd.DataFrame(
        [(t(f"forecast_page.bt.{k}", lang, pct=band), model, base) for k, model, base in rows],
        columns=[t("forecast_page.bt.measure", lang), t("forecast_page.bt.model", lang),
                 t("forecast_page.bt.baseline", lang)])


def backtest_verdict(bt: BacktestResult, lang: str = "en") -> tuple[str, str]:
    """('better' | 'worse' | 'none', sentence): did the forecast beat the baseline?"""
    rel = bt.relative_mae
    if rel is None:
        return "none", t("forecast_page.bt.none", lang)
    if rel < 1.0:
        return "better", t("forecast_page.bt.better", lang, pct=f"{(1 - rel) * 100:.0f}")
    return "worse", t("forecast_page.bt.worse", lang, pct=f"{(rel - 1) * 100:.0f}")


LIFT_COLUMNS = ("name", "start", "end", "actual", "expected", "lift", "low", "high", "pct", "sentence")


def lift_unit(metric: str, currency: str | None, lang: str = "en") -> str:
    """What a lift is counted in: the currency for net sales, else orders / units (words)."""
    if metric == "net_sales":
        return currency or ""
    return t(f"forecast_page.unit.{metric}", lang, value="").strip()


def lift_table(lifts: Sequence[LiftResult], metric: str, lang: str = "en") -> Table:
    """One row per promotion: window, actual, baseline, lift with its range, and the sentence.
    Figures are numbers (a click on Lift ranks the promotions) in the unit their headers name;
    '—' where there was too little history to estimate."""
    currencies = {r.currency for r in lifts if r.method and r.currency}
    unit = lift_unit(metric, currencies.pop() if len(currencies) == 1 else None, lang)
    rows = [(r.name, r.start.isoformat(), r.end.isoformat(),
             *((r.actual, r.expected, r.lift, r.lift_lower, r.lift_upper, r.lift_pct) if r.method
               else (None,) * 6), lift_sentence(r, metric, lang)) for r in lifts]
    df = pd.DataFrame(rows, columns=list(LIFT_COLUMNS))
    amounts = ("actual", "expected", "lift", "low", "high")

    def header(c: str) -> str:
        label = t(f"forecast_page.lift.{c}", lang)
        return t("value.in_unit", lang, label=label, unit=unit) if unit and c in amounts else label
    return build_table(df, {**{c: Fmt(0) for c in amounts}, "pct": CHANGE_POINTS}, header)


# -- the chart ------------------------------------------------------------------------------------
def markers_frame(festivals: pd.DataFrame | None, calendar: pd.DataFrame | None,
                  start: pd.Timestamp, end: pd.Timestamp, lang: str = "en") -> pd.DataFrame:
    """[ds, name, kind, kind_label]: festival days and promotion starts within [start, end]
    (a promotion already running at `start` is marked at `start`)."""
    rows: list[tuple[pd.Timestamp, str, str]] = []
    if festivals is not None and len(festivals):
        f = festivals[(festivals["ds"] >= start) & (festivals["ds"] <= end)]
        rows += [(pd.Timestamp(d), display_name(str(h), lang), "festival") for h, d in zip(f["holiday"], f["ds"])]
    if calendar is not None and len(calendar):
        c = calendar[(pd.to_datetime(calendar["end"]) >= start) & (pd.to_datetime(calendar["start"]) <= end)]
        rows += [(max(pd.Timestamp(s), start), str(n), "promotion") for n, s in zip(c["name"], c["start"])]
    df = pd.DataFrame(rows, columns=["ds", "name", "kind"])
    df["ds"] = pd.to_datetime(df["ds"])
    df["kind_label"] = [t(f"forecast_page.chart.{k}", lang) for k in df["kind"]]
    return df.sort_values(["ds", "kind", "name"]).reset_index(drop=True)


def forecast_chart(history: pd.DataFrame, forecast: pd.DataFrame, markers: pd.DataFrame | None = None, *,
                   lang: str = "en", value_title: str = "", baseline: pd.DataFrame | None = None,
                   history_days: int | None = 120) -> alt.LayerChart:
    """History (actual) line, forecast line and its band, optional pre-what-if forecast (dashed)
    and rule markers. `history` [ds, actual]; `forecast` [ds, yhat, yhat_lower, yhat_upper];
    `baseline` [ds, yhat]; `markers` as from `markers_frame`; only the last `history_days` days
    of history are drawn."""
    hist = history[["ds", "actual"]].dropna()
    if history_days and len(hist):
        hist = hist[hist["ds"] > hist["ds"].max() - pd.Timedelta(days=history_days)]
    labels = {k: t(f"forecast_page.chart.{k}", lang) for k in ("actual", "forecast", "baseline", "date",
                                                              "lower", "upper", "event")}
    parts = [pd.DataFrame({"ds": hist["ds"], "value": hist["actual"], "series": labels["actual"]}),
             pd.DataFrame({"ds": forecast["ds"], "value": forecast["yhat"], "series": labels["forecast"]})]
    domain = [labels["actual"], labels["forecast"]]
    colours, dashes = [ACTUAL_COLOUR, FORECAST_COLOUR], [[1, 0], [1, 0]]
    if baseline is not None:
        parts.append(pd.DataFrame({"ds": baseline["ds"], "value": baseline["yhat"], "series": labels["baseline"]}))
        domain.append(labels["baseline"])
        colours.append(BASELINE_COLOUR)
        dashes.append([5, 4])
    lines_df = pd.concat(parts, ignore_index=True)
    x = alt.X("ds:T", title=labels["date"], axis=day_axis(lines_df["ds"]))
    band = alt.Chart(forecast[["ds", "yhat", "yhat_lower", "yhat_upper"]]).mark_area(
        opacity=0.2, color=FORECAST_COLOUR).encode(
        x=x, y=alt.Y("yhat_lower:Q", title=value_title), y2="yhat_upper:Q",
        tooltip=[alt.Tooltip("ds:T", title=labels["date"], format=DAY),
                 alt.Tooltip("yhat:Q", title=labels["forecast"], format=",.0f"),
                 alt.Tooltip("yhat_lower:Q", title=labels["lower"], format=",.0f"),
                 alt.Tooltip("yhat_upper:Q", title=labels["upper"], format=",.0f")])
    lines = alt.Chart(lines_df).mark_line().encode(
        x=x, y=alt.Y("value:Q", title=value_title),
        color=alt.Color("series:N", scale=alt.Scale(domain=domain, range=colours), legend=alt.Legend(title=None)),
        strokeDash=alt.StrokeDash("series:N", scale=alt.Scale(domain=domain, range=dashes), legend=None),
        tooltip=[alt.Tooltip("ds:T", title=labels["date"], format=DAY), alt.Tooltip("series:N", title=" "),
                 alt.Tooltip("value:Q", title=value_title or labels["forecast"], format=",.0f")])
    layers: list[alt.Chart] = [band, lines]
    if markers is not None and len(markers):
        kinds = [k for k in ("festival", "promotion") if k in set(markers["kind"])]
        rules = alt.Chart(markers[["ds", "name", "kind_label"]]).mark_rule(strokeDash=[2, 3], opacity=0.8).encode(
            x="ds:T",
            color=alt.Color("kind_label:N", legend=alt.Legend(title=None), scale=alt.Scale(
                domain=[t(f"forecast_page.chart.{k}", lang) for k in kinds],
                range=[MARKER_COLOURS[k] for k in kinds])),
            tooltip=[alt.Tooltip("name:N", title=labels["event"]), alt.Tooltip("kind_label:N", title=" "),
                     alt.Tooltip("ds:T", title=labels["date"], format=DAY)])
        layers.append(rules)
    return alt.layer(*layers).resolve_scale(color="independent", strokeDash="independent").properties(height=340)


def scenario_chart(paths: pd.DataFrame, value_title: str, lang: str = "en",
                   band: pd.DataFrame | None = None) -> alt.Chart | alt.LayerChart:
    """One line per scenario (and the baseline) over the forecast horizon: `lib.scenarios.paths`;
    with `band` (the forecast's ds, yhat_lower, yhat_upper) the baseline's uncertainty behind them."""
    x = alt.X("ds:T", title=t("forecast_page.export.date", lang), axis=day_axis(paths["ds"]))
    lines = alt.Chart(paths).mark_line().encode(
        x=x, y=alt.Y("value:Q", title=value_title),
        color=alt.Color("scenario:N", title=t("scenarios.col.scenario", lang),
                        legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("scenario:N", title=t("scenarios.col.scenario", lang)),
                 alt.Tooltip("ds:T", title=None, format=DAY), alt.Tooltip("value:Q", format=",.2f", title=value_title)],
    )
    chart: alt.Chart | alt.LayerChart = lines
    if band is not None:
        area = alt.Chart(band[["ds", "yhat_lower", "yhat_upper"]]).mark_area(
            opacity=0.15, color=FORECAST_COLOUR).encode(
            x=x, y=alt.Y("yhat_lower:Q", title=value_title), y2="yhat_upper:Q",
            tooltip=[alt.Tooltip("ds:T", title=None, format=DAY),
                     alt.Tooltip("yhat_lower:Q", title=t("forecast_page.chart.lower", lang), format=",.0f"),
                     alt.Tooltip("yhat_upper:Q", title=t("forecast_page.chart.upper", lang), format=",.0f")])
        chart = alt.layer(area, lines)
    return chart.properties(title=t("scenarios.chart_title", lang), height=320)
