"""Promotion lift: what a past promotion added over what the baseline predicts.

Fit on the history before the promotion (the window and everything after it are left out),
forecast the window as the counterfactual "no promotion" days, and compare:
lift = Σ (actual − expected) over the window's days with data. The range comes from the
forecast's sample paths (the total of each path, so day-to-day errors are not simply added
up), widened by the baseline's misses on up to three earlier quiet windows of the same
length (in-time placebos). It is an interval for the baseline's uncertainty, not for other
causes that happened to coincide with the promotion (a festival on the same days, a
competitor's outage).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np
import pandas as pd

from lib.forecast.model import (
    MIN_NONZERO_DAYS,
    PROMO_LIFT_DEPTH,
    ForecastOptions,
    ForecastResult,
    clean_series,
    fit_forecast,
    z_score,
)
from lib.forecast.notes import Method, Note, note
from lib.forecast.pool import map_jobs

MIN_BASELINE_DAYS = 14
PLACEBO_WINDOWS = 3
PARALLEL_MIN_WINDOWS = 3  # fewer: starting two processes (~1.6 s) costs more than it saves
# The counterfactual uses Prophet's stiffer default trend: over a short window the baseline
# level matters most, and a flexible trend bends towards the last weeks' noise (measured: a
# 3-5 % bias on synthetic series with 0.5, under 2 % with 0.05). No band calibration: the
# placebo windows already widen the range by the baseline's own misses, and it would double
# the fits (one per promotion and per placebo).
LIFT_OPTIONS = ForecastOptions(changepoint_prior_scale=0.05, calibrate=False)


@dataclass(frozen=True)
class LiftResult:
    """The lift of one promotion window, with its range, and the daily comparison.

    daily: [ds, actual, expected, expected_lower, expected_upper]
    """

    name: str
    start: date
    end: date
    method: Method | None
    actual: float
    expected: float
    lift: float
    lift_lower: float
    lift_upper: float
    days: int
    interval_width: float
    currency: str | None = None
    notes: tuple[Note, ...] = ()
    daily: pd.DataFrame = field(default_factory=pd.DataFrame, compare=False, repr=False)

    @property
    def lift_pct(self) -> float | None:
        return self.lift / self.expected * 100 if self.expected > 0 else None

    @property
    def clear(self) -> bool:
        """The range excludes zero."""
        return self.lift_lower > 0 or self.lift_upper < 0

    @property
    def unseen_festivals(self) -> str | None:
        """Festivals in the window the history before it never saw (their effect is in the
        lift, not only the promotion's), as display names; None when there were none."""
        return next((str(n.params["names"]) for n in self.notes if n.key == "lift.festival_unseen"), None)

    @property
    def unseen_festival_ids(self) -> tuple[str, ...]:
        """The same festivals by id (lib.forecast.festivals.display_name names them)."""
        found = next((str(n.params.get("holidays", "")) for n in self.notes if n.key == "lift.festival_unseen"), "")
        return tuple(h for h in found.split("|") if h)

    @property
    def note_keys(self) -> tuple[str, ...]:
        return tuple(n.key for n in self.notes)

    def sentence(self) -> str:
        """'The 11.11 campaign added CNY X (range CNY A to CNY B) over what the baseline predicts.'"""
        if self.method is None:
            return f"{_title(self.name)}: not enough history before {self.start.isoformat()} to estimate its lift."
        lo, hi = money(self.lift_lower, self.currency), money(self.lift_upper, self.currency)
        rng = f"{lo} to {hi}"
        if self.lift >= 0:
            text = (f"{_title(self.name)} added {money(self.lift, self.currency)} (range {rng}) "
                    "over what the baseline predicts")
        else:
            text = (f"{_title(self.name)} came in {money(-self.lift, self.currency)} below what the "
                    f"baseline predicts (range of the difference {rng})")
        if not self.clear:
            text += "; the range includes zero, so the effect is not clear"
        text += "."
        if self.unseen_festivals:
            text += f" {self.unseen_festivals} fell in it for the first time, so this includes the festival's own effect."
        return text

    def to_json(self) -> dict[str, object]:
        return {"name": self.name, "start": self.start.isoformat(), "end": self.end.isoformat(),
                "method": self.method, "actual": round(self.actual, 2), "expected": round(self.expected, 2),
                "lift": round(self.lift, 2), "lift_lower": round(self.lift_lower, 2),
                "lift_upper": round(self.lift_upper, 2),
                "lift_pct": None if self.lift_pct is None else round(self.lift_pct, 1),
                "days": self.days, "currency": self.currency, "sentence": self.sentence(),
                "notes": [n.to_json() for n in self.notes]}


def _title(name: str) -> str:
    return name if name[:1].isupper() or not name[:1].isalpha() else name[0].upper() + name[1:]


def money(value: float, currency: str | None) -> str:
    """A forecast amount: 'USD 134,488', 'CNY −5'. The currency's code as on every other page
    (a symbol would not tell CNY from JPY, ¥ for both), whole units: a forecast's cents are
    not known."""
    if math.isnan(value):
        return "—"
    return f"{currency} {whole(value)}" if currency else whole(value)


def whole(value: float) -> str:
    """A forecast figure in whole units with a true minus: '1,235', '−5' (round() first: no
    '−0' for −0.4)."""
    return f"{round(value):,}".replace("-", "−")


def promotion_lift(series: pd.DataFrame, start: date | str, end: date | str, *, name: str = "the promotion",
                   currency: str | None = None, country: str | None = None,
                   festivals: pd.DataFrame | None = None, promotions: pd.DataFrame | None = None,
                   options: ForecastOptions | None = None) -> LiftResult:
    """Lift of the window [start, end] (inclusive) of `series` ([ds, y]) over a counterfactual.

    `promotions` ([ds, promo_depth]) lets earlier promotions explain their own days; the
    window's own depth is not used, so the counterfactual is "the usual discount level".
    """
    opts = options or LIFT_OPTIONS
    s, e = pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize()
    if e < s:
        s, e = e, s
    days = clean_series(series).days
    before = days[days["ds"] < s].rename(columns={"actual": "y"})
    window = days[(days["ds"] >= s) & (days["ds"] <= e)]
    horizon = int((e - s).days) + 1
    notes: list[Note] = []
    if before["y"].notna().sum() < MIN_BASELINE_DAYS or window.empty:
        notes.append(note("lift.no_history", start=s.date().isoformat()))
        return LiftResult(name, s.date(), e.date(), None, float(window["actual"].sum()), 0.0, 0.0, 0.0, 0.0,
                          0, opts.interval_width, currency, tuple(notes))
    gap = int((s - before["ds"].iloc[-1]).days) - 1   # days between the history and the window
    promo_hist = None
    if promotions is not None and {"ds", "promo_depth"} <= set(promotions.columns):
        promo_hist = promotions[pd.to_datetime(promotions["ds"]) < s]
    res = fit_forecast(before, gap + horizon, country=country, festivals=festivals,
                       promotions=promo_hist, options=opts)
    for n in res.notes:  # the baseline knows nothing of a festival it never saw: the lift has it
        if n.key == "forecast.festival_unseen":
            notes.append(note("lift.festival_unseen", names=n.params["names"],
                              holidays=n.params.get("holidays", "")))
    placebo = _placebo_errors(days, s, horizon, country, festivals, promo_hist, opts)
    if placebo:
        notes.append(note("lift.placebo", count=len(placebo)))
    return _compare(res, window, name, s, e, currency, notes, opts.interval_width, placebo)


def _placebo_errors(days: pd.DataFrame, s: pd.Timestamp, horizon: int, country: str | None,
                    festivals: pd.DataFrame | None, promotions: pd.DataFrame | None,
                    opts: ForecastOptions) -> list[float]:
    """Errors of the window total on up to PLACEBO_WINDOWS earlier windows of the same length
    (skipping windows with promotion days): how far the baseline misses when nothing happens."""
    promo_days: set[pd.Timestamp] = set()
    if promotions is not None and len(promotions):
        depth = pd.Series(pd.to_numeric(promotions["promo_depth"], errors="coerce").to_numpy(),
                          index=pd.to_datetime(promotions["ds"]))
        base = float(depth.tail(56).median()) if len(depth) else 0.0
        promo_days = set(depth.index[depth > base + PROMO_LIFT_DEPTH])
    errors: list[float] = []
    point = replace(opts, uncertainty_samples=0)  # only yhat is compared: no band, no paths
    start = s
    for _ in range(PLACEBO_WINDOWS * 3):
        if len(errors) >= PLACEBO_WINDOWS:
            break
        start = start - pd.Timedelta(days=horizon)
        end = start + pd.Timedelta(days=horizon - 1)
        train = days[days["ds"] < start].rename(columns={"actual": "y"})
        if train["y"].notna().sum() < MIN_NONZERO_DAYS + horizon:
            break
        window = days[(days["ds"] >= start) & (days["ds"] <= end)].dropna(subset=["actual"])
        if window.empty or any(d in promo_days for d in window["ds"]):
            continue
        res = fit_forecast(train, horizon, country=country, festivals=festivals,
                           promotions=promotions, options=point)
        fc = res.forecast.merge(window[["ds", "actual"]], on="ds")
        errors.append(float((fc["actual"] - fc["yhat"]).sum()))
    return errors


def _compare(res: ForecastResult, window: pd.DataFrame, name: str, s: pd.Timestamp, e: pd.Timestamp,
             currency: str | None, notes: list[Note], width: float, placebo: list[float]) -> LiftResult:
    fc = res.forecast.reset_index(drop=True)
    in_window = ((fc["ds"] >= s) & (fc["ds"] <= e)).to_numpy()
    fc_w = fc[in_window].reset_index(drop=True)
    samples = res.samples[in_window] if res.samples is not None else None
    merged = fc_w.merge(window[["ds", "actual"]], on="ds", how="left")
    have = merged["actual"].notna().to_numpy()
    missing = int((~have).sum())
    if missing:
        notes.append(note("lift.missing_days", count=missing))
    actual = float(merged.loc[have, "actual"].sum())
    expected = float(merged.loc[have, "yhat"].sum())
    lift = actual - expected
    if samples is not None and samples.size:
        totals = samples[have].sum(axis=0)
        lo_q, hi_q = np.quantile(totals, [0.5 - width / 2, 0.5 + width / 2])
        # Centre the sampled range on the point forecast (samples are noisier than yhat).
        centre = float(np.median(totals))
        lift_lower, lift_upper = actual - (expected + (hi_q - centre)), actual - (expected + (lo_q - centre))
    else:
        lift_lower = actual - float(merged.loc[have, "yhat_upper"].sum())
        lift_upper = actual - float(merged.loc[have, "yhat_lower"].sum())
    if placebo:
        # Widen by how far the baseline missed on quiet windows of the same length.
        extra = z_score(width) * float(np.sqrt(np.mean(np.square(placebo))))
        lift_lower = lift - float(np.hypot(lift - lift_lower, extra))
        lift_upper = lift + float(np.hypot(lift_upper - lift, extra))
    if res.method != "prophet":
        notes.append(note("lift.fallback", method=res.method))
    result = LiftResult(name, s.date(), e.date(), res.method, actual, expected, lift, float(lift_lower),
                        float(lift_upper), int(have.sum()), width, currency, tuple(notes),
                        merged.rename(columns={"yhat": "expected", "yhat_lower": "expected_lower",
                                               "yhat_upper": "expected_upper"})[
                            ["ds", "actual", "expected", "expected_lower", "expected_upper"]])
    if not result.clear:
        result = LiftResult(**{**result.__dict__, "notes": result.notes + (note("lift.unclear"),)})
    return result


def _lift_job(job: tuple[pd.DataFrame, dict[str, object]]) -> LiftResult:
    series, kwargs = job
    return promotion_lift(series, **kwargs)  # type: ignore[arg-type]


def promotion_lifts(series: pd.DataFrame, calendar: pd.DataFrame, *, currency: str | None = None,
                    country: str | None = None, festivals: pd.DataFrame | None = None,
                    promotions: pd.DataFrame | None = None, options: ForecastOptions | None = None,
                    today: date | None = None, workers: int = 2) -> list[LiftResult]:
    """Lifts of every past window in a promotion calendar ([name, start, end, ...]), in
    calendar order. Each lift is four fits (the window and three placebos), so with several
    windows they run in the server's shared pool of fit processes (lib.forecast.pool; the
    same results: fixed seeds; a broken pool finishes here). `workers=1`: all here."""
    if calendar is None or calendar.empty:
        return []
    last = pd.to_datetime(series["ds"]).max() if len(series) else None
    jobs = []
    for r in calendar.sort_values("start").itertuples(index=False):
        end = pd.Timestamp(r.end)
        if last is None or end > last or (today and end.date() >= today):
            continue
        jobs.append((series, dict(start=r.start, end=r.end, name=str(r.name), currency=currency,
                                  country=country, festivals=festivals, promotions=promotions,
                                  options=options)))
    return map_jobs(_lift_job, jobs, workers=workers, min_jobs=PARALLEL_MIN_WINDOWS)
