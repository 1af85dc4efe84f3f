"""`fit_forecast`: Prophet with holidays, festivals and promotions, or a simpler method when the
series cannot carry it. It never raises for a bad series: it cleans what it can, says what it
did in plain-language notes, and falls back.

The pipeline: clean (dates to local days, non-numbers out, duplicate dates added up, long
runs of zeros inside the history treated as missing data) → choose a method (too little,
constant, all-zero, intermittent or non-daily history → a fallback) → screen outliers
(robust: a rolling median with a weekday profile; festival, holiday and promotion days only
for absurd values) → leave out weekdays the shop is always closed → fit → widen the band on
festival days → floor at zero → a plausibility check (an implausible fit falls back).
"""
from __future__ import annotations

import logging
import sys
import warnings
from dataclasses import dataclass, field
from statistics import NormalDist
from typing import TYPE_CHECKING, Literal

# Silence Prophet and cmdstanpy before importing them (STACK.md): "Importing plotly failed" is
# logged by prophet.plot at import, and cmdstanpy logs every optimisation.
logging.getLogger("prophet.plot").setLevel(logging.CRITICAL)
logging.getLogger("cmdstanpy").setLevel(logging.CRITICAL)

import cmdstanpy  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402


def _import_prophet() -> type[Prophet]:
    """Prophet, without the matplotlib its plot module imports for plots never drawn here
    (0.45 s of a 1.0 s import, paid by the server, each fit worker and each CLI run). A None
    in sys.modules makes that import fail; prophet.plot catches it and logs (silenced above).
    Only for the length of the import, and only if matplotlib was not loaded already."""
    blocked = "matplotlib" not in sys.modules
    if blocked:
        sys.modules["matplotlib"] = None  # type: ignore[assignment]
    try:
        from prophet import Prophet
    finally:
        if blocked and sys.modules.get("matplotlib", 0) is None:
            del sys.modules["matplotlib"]
    return Prophet


if TYPE_CHECKING:
    from prophet import Prophet
else:
    Prophet = _import_prophet()

from lib.forecast.festivals import display_name, holiday_windows, window_days  # noqa: E402
from lib.forecast.notes import ForecastError, Method, Note, note  # noqa: E402
from lib.forecast.pool import fit_slot, seeded_global_rng  # noqa: E402

cmdstanpy.disable_logging()
logging.getLogger("prophet").setLevel(logging.ERROR)
# Prophet 1.x calls pandas APIs that pandas 3 deprecates; those warnings tell a shop nothing.
# Filtered once, for Prophet's own modules: a warnings.catch_warnings() around each fit swaps
# the process-wide filter list, and two sessions fitting at once (Python < 3.14) interleave
# the swaps, showing the warnings or leaving the ignores behind for the whole server.
for _category in (FutureWarning, DeprecationWarning):
    warnings.filterwarnings("ignore", category=_category, module=r"prophet(\.|$)")
# pandas attributes its parsing warnings to the caller: the date parsing below (format mixed)
# says nothing a user can act on, and a per-call catch_warnings() would race as above.
warnings.filterwarnings("ignore", category=UserWarning, module=r"lib\.forecast\.model$")

MIN_NONZERO_DAYS = 28        # days with sales the full model needs
MIN_SPAN_DAYS = 14           # and at least two weeks between first and last day
MIN_SEASONAL_NAIVE_DAYS = 14
INTERMITTENT_SHARE = 0.6     # more zeros than this → moving average
YEARLY_MIN_SPAN_DAYS = 730 + 30   # two years and a margin (exactly 730 trips Prophet's warning)
# Below this many days the trend is held flat: a few weeks cannot tell a trend from noise (a
# 34-day real export extrapolated its last week into +39 % a month later), and no backtest can
# check it yet (backtest.MIN_TRAIN_DAYS; the Data page's quality report names the same 56).
TREND_MIN_SPAN_DAYS = 56
MISSING_ZERO_RUN_DAYS = 28   # a run of zeros this long inside the history is missing data
OUTLIER_Z = 6.0              # robust z beyond which a day is left out of the fit
OUTLIER_EXEMPT_FACTOR = 100.0  # festival/promotion days are only screened beyond 100× the level
IMPLAUSIBLE_FACTOR = 10.0    # a forecast above 10× the largest day falls back
MAX_HORIZON = 366
MOVING_AVERAGE_DAYS = 28
PROMO_LIFT_DEPTH = 0.02      # a day is a promotion day when its depth exceeds the usual by this
SPECIAL_DAY_DEFAULT_SPREAD = 0.25  # relative uncertainty of a holiday seen only once
CALIBRATION_DAYS = 28        # the held-out tail the band is checked against
CALIBRATION_MIN_TRAIN = 180  # days of history the held-out fit needs before that tail
CALIBRATION_MAX_FACTOR = 3.0
# A Prophet fit still running after this is stopped (cmdstan's process is ended) and the
# forecast falls back (RELIABILITY F16): 800 days fit in 1-2 s here, ten years in ~5 s.
FIT_TIMEOUT_S = 120.0

SeasonalityMode = Literal["additive", "multiplicative"]


@dataclass(frozen=True)
class ForecastOptions:
    """How to fit. The defaults are what the app and the CLI use."""

    interval_width: float = 0.8
    floor: float | None = 0.0            # None: no floor (for metrics that may go negative)
    # Chosen by backtests on the UCI Online Retail year, the demo store and synthetic series.
    # Multiplicative seasonality (weekday swings grow with the level) beat additive on all
    # three. Holidays follow it: on UCI the mode made no difference; on the demo store additive
    # came closer to the 2025 11.11 peak (116k vs 143k, actual 123k) but missed a synthetic
    # peak that fell on a weak weekday; both were inside the widened festival band. The
    # trend's flexibility depends on the history: without yearly seasonality (< 2 years) the
    # trend must follow seasonal swings (0.5; Prophet's 0.05 gave UCI MASE 1.09 instead of
    # 0.96); with it, a stiff trend (0.05) keeps a busy last month from bending the forecast
    # (demo store: 28-day MAE 5.1k instead of 7.6k).
    seasonality_mode: SeasonalityMode = "multiplicative"
    holidays_mode: SeasonalityMode | None = None           # None: as seasonality_mode
    changepoint_prior_scale: float | None = None           # None: 0.05 with yearly, else 0.5
    changepoint_range: float = 0.8
    holidays_prior_scale: float = 10.0
    uncertainty_samples: int = 300      # 0: the point forecast only (band = yhat, no paths)
    # Widen Prophet's band when it was too narrow on a held-out tail (see _calibrate): its
    # band leaves out the uncertainty of the seasonal shape, and backtests covered 72–74 % of
    # days with a nominal 80 %. Costs a second fit.
    calibrate: bool = True
    screen_outliers: bool = True
    outlier_z: float = OUTLIER_Z
    seed: int = 7
    force_method: Method | None = None   # for comparisons and tests


@dataclass(frozen=True)
class ForecastResult:
    """What a forecast produced and how.

    - method: the method actually used ('prophet' | 'seasonal_naive' | 'moving_average')
    - forecast: [ds, yhat, yhat_lower, yhat_upper], one row per future day
    - history: [ds, actual, y, fitted, fitted_lower, fitted_upper] over the history's days;
      `actual` as given (after cleaning), `y` as used in the fit (NaN: missing or left out)
    - outliers: [ds, actual, expected] days left out of the fit
    - notes: plain-language notes, each with a stable key
    - samples: future sample paths (horizon × n), floored like the forecast; for totals
    """

    method: Method
    horizon: int
    forecast: pd.DataFrame
    history: pd.DataFrame
    outliers: pd.DataFrame
    notes: tuple[Note, ...]
    interval_width: float
    info: dict[str, object] = field(default_factory=dict, compare=False)
    samples: np.ndarray | None = field(default=None, compare=False, repr=False)

    @property
    def note_keys(self) -> tuple[str, ...]:
        return tuple(n.key for n in self.notes)

    def to_json(self) -> dict[str, object]:
        return {
            "method": self.method,
            "horizon": self.horizon,
            "interval_width": self.interval_width,
            "notes": [n.to_json() for n in self.notes],
            "forecast": [
                {"ds": r.ds.date().isoformat(), "yhat": round(float(r.yhat), 4),
                 "yhat_lower": round(float(r.yhat_lower), 4), "yhat_upper": round(float(r.yhat_upper), 4)}
                for r in self.forecast.itertuples(index=False)],
            "outliers": [
                {"ds": r.ds.date().isoformat(), "actual": float(r.actual), "expected": float(r.expected)}
                for r in self.outliers.itertuples(index=False)],
            "info": {k: v for k, v in self.info.items() if isinstance(v, (str, int, float, bool, type(None)))},
        }


# -- cleaning -------------------------------------------------------------------------------
@dataclass
class _Clean:
    days: pd.DataFrame          # ds (every day first..last), actual (NaN = no data)
    notes: list[Note]
    not_daily_step: float | None = None


def _empty_frame(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="datetime64[ns]" if c == "ds" else "float64") for c in columns})


def clean_series(series: object) -> _Clean:
    """Daily [ds, actual] from whatever was given, with notes on what was changed."""
    notes: list[Note] = []
    if isinstance(series, pd.Series) and isinstance(series.index, pd.DatetimeIndex):
        series = pd.DataFrame({"ds": series.index, "y": series.to_numpy()})
    if not isinstance(series, pd.DataFrame) or not {"ds", "y"} <= set(series.columns):
        return _Clean(_empty_frame(["ds", "actual"]), [note("forecast.no_history")])
    raw_ds = series["ds"]
    ds, tz_note = _to_local_days(raw_ds)
    if tz_note:
        notes.append(note("forecast.timezone_removed"))
    y = pd.to_numeric(series["y"], errors="coerce").astype("float64").replace([np.inf, -np.inf], np.nan)
    df = pd.DataFrame({"ds": ds.to_numpy(), "y": y.to_numpy()})
    bad_dates = int(df["ds"].isna().sum())
    if bad_dates:
        notes.append(note("forecast.bad_dates_dropped", count=bad_dates))
    df = df.dropna(subset=["ds"])
    non_finite = int(df["y"].isna().sum())
    if non_finite:
        notes.append(note("forecast.non_finite_dropped", count=non_finite))
    df = df.dropna(subset=["y"])
    dups = int(df["ds"].duplicated().sum())
    if dups:
        repeated = int(df.loc[df["ds"].duplicated(keep=False), "ds"].nunique())
        notes.append(note("forecast.duplicates_aggregated", count=repeated))
        df = df.groupby("ds", as_index=False)["y"].sum()
    df = df.sort_values("ds").reset_index(drop=True)
    if df.empty:
        if not any(n.key == "forecast.no_history" for n in notes):
            notes.append(note("forecast.no_history"))
        return _Clean(_empty_frame(["ds", "actual"]), notes)
    step = None
    if len(df) >= 3:
        median_step = float(df["ds"].diff().dt.days.median())
        if median_step >= 5:
            step = median_step
    days = pd.DataFrame({"ds": pd.date_range(df["ds"].iloc[0], df["ds"].iloc[-1], freq="D")})
    days = days.merge(df.rename(columns={"y": "actual"}), on="ds", how="left")
    if step is None:
        days, gap_note = _mark_gaps(days)
        if gap_note:
            notes.append(gap_note)
    return _Clean(days, notes, step)


def _to_local_days(raw: pd.Series) -> tuple[pd.Series, bool]:
    """Calendar days, time zones dropped (the wall-clock day is the shop's local day)."""
    tz_seen = False
    if isinstance(raw.dtype, pd.DatetimeTZDtype):
        return raw.dt.tz_localize(None).dt.normalize().astype("datetime64[ns]"), True
    try:
        ds = pd.to_datetime(raw, errors="coerce", format="mixed")
    except (TypeError, ValueError):
        tz_seen = True
        ds = pd.to_datetime(raw, errors="coerce", utc=True, format="mixed")
    if isinstance(ds.dtype, pd.DatetimeTZDtype):
        tz_seen = True
        ds = ds.dt.tz_localize(None)
    return ds.dt.normalize().astype("datetime64[ns]"), tz_seen


def _mark_gaps(days: pd.DataFrame) -> tuple[pd.DataFrame, Note | None]:
    """Missing days stay missing; long runs of exact zeros inside an active history too."""
    actual = days["actual"]
    zero = actual.eq(0)
    run_id = (zero != zero.shift()).cumsum()
    runs = days.assign(zero=zero, run=run_id).groupby("run").agg(
        zero=("zero", "first"), start=("ds", "first"), end=("ds", "last"), n=("ds", "size"))
    inner = runs[(runs["zero"]) & (runs["n"] >= MISSING_ZERO_RUN_DAYS)
                 & (runs["start"] > days["ds"].iloc[0]) & (runs["end"] < days["ds"].iloc[-1])]
    outside_zero_share = float(zero.sum() - inner["n"].sum()) / max(1, int(actual.notna().sum() - inner["n"].sum()))
    if len(inner) and outside_zero_share < 0.3:
        for r in inner.itertuples():
            days.loc[(days["ds"] >= r.start) & (days["ds"] <= r.end), "actual"] = np.nan
    missing = days["actual"].isna()
    if not missing.any():
        return days, None
    run_id = (missing != missing.shift()).cumsum()
    gaps = days.assign(m=missing, run=run_id)[missing].groupby("run")["ds"].agg(["first", "last", "size"])
    longest = gaps.sort_values("size", ascending=False).iloc[0]
    if int(longest["size"]) < 7:
        return days, None
    return days, note("forecast.gap", count=int((gaps["size"] >= 7).sum()), days=int(longest["size"]),
                      start=longest["first"].date().isoformat(), end=longest["last"].date().isoformat())


# -- method choice --------------------------------------------------------------------------
def _choose(obs: pd.Series, span_days: int, clean: _Clean) -> tuple[Method, list[Note]]:
    n = int(obs.size)
    if clean.not_daily_step is not None:
        return "moving_average", [note("forecast.not_daily", step=round(clean.not_daily_step))]
    if float(obs.max() - obs.min()) <= 1e-9 * max(1.0, float(obs.abs().max())):
        if float(obs.abs().max()) == 0.0:
            return "moving_average", [note("forecast.all_zero")]
        return "moving_average", [note("forecast.constant", value=_fmt(float(obs.iloc[0])))]
    zero_share = float((obs == 0).mean())
    if zero_share > INTERMITTENT_SHARE:
        return "moving_average", [note("forecast.intermittent", share=round(100 * zero_share),
                                       window=min(MOVING_AVERAGE_DAYS, n))]
    nonzero = int((obs != 0).sum())
    if nonzero < MIN_NONZERO_DAYS or span_days < MIN_SPAN_DAYS:
        enough = n >= MIN_SEASONAL_NAIVE_DAYS and span_days >= MIN_SEASONAL_NAIVE_DAYS
        method: Method = "seasonal_naive" if enough else "moving_average"
        return method, [note("forecast.short_history", days=n, nonzero=nonzero, needed=MIN_NONZERO_DAYS,
                             span=MIN_SPAN_DAYS, method=method)]
    return "prophet", []


def _fmt(v: float) -> str:
    return f"{v:,.2f}".rstrip("0").rstrip(".") if abs(v) < 1e15 else f"{v:.3g}"


# -- outliers -------------------------------------------------------------------------------
def screen_outliers(days: pd.DataFrame, exempt: pd.Series, z_limit: float = OUTLIER_Z) -> pd.DataFrame:
    """[ds, actual, expected] of days far from what their neighbours predict.

    Expected = a centred 29-day rolling median × the weekday's median ratio to it (or plus
    the weekday's median difference when the series has negative days); a day is left out
    when its distance from that exceeds OUTLIER_Z robust standard deviations (a local MAD,
    floored at 2 % of the typical day). Festival, holiday and promotion days are exempt up to
    OUTLIER_EXEMPT_FACTOR × the level: their peaks are what the model must learn.
    """
    obs = days.dropna(subset=["actual"])
    if len(obs) < 7:
        return _empty_frame(["ds", "actual", "expected"])
    y = obs["actual"].astype("float64")
    level = y.rolling(29, center=True, min_periods=1).median()
    wd = obs["ds"].dt.day_of_week
    enough = wd.map(wd.value_counts()) >= 3
    if bool((y >= 0).all()):
        ratio = (y / level.where(level > 0)).groupby(wd).transform("median")
        expected = level * ratio.where(enough & ratio.notna(), 1.0)
    else:
        offset = (y - level).groupby(wd).transform("median")
        expected = level + offset.where(enough, 0.0)
    resid = y - expected
    nonzero = y[y != 0].abs()
    floor = max(0.02 * float(nonzero.median()) if len(nonzero) else 0.0, 1e-12)
    local = 1.4826 * resid.abs().rolling(57, center=True, min_periods=7).median()
    scale = local.fillna(1.4826 * float(resid.abs().median())).clip(lower=floor)
    z = resid.abs() / scale
    ex = exempt.reindex(obs.index, fill_value=False).to_numpy()
    big = resid.abs() > OUTLIER_EXEMPT_FACTOR * max(float(level.abs().median()), floor)
    flagged = ((z > z_limit) & ~ex) | (big & ex)
    return pd.DataFrame({"ds": obs["ds"][flagged].to_numpy(), "actual": y[flagged].to_numpy(),
                         "expected": expected[flagged].to_numpy()})


# -- promotions -----------------------------------------------------------------------------
@dataclass
class _Promo:
    history: pd.Series      # depth per history day (index aligned with days)
    future: pd.Series       # depth per future day
    baseline: float
    planned_days: int
    promo_days: pd.Series   # bool per history day (exempt from the outlier screen)


def _promotions(days: pd.DataFrame, future_ds: pd.DatetimeIndex, promotions: pd.DataFrame | None,
                planned: pd.DataFrame | None) -> _Promo | None:
    windows = _planned_windows(planned)
    hist_ds = days["ds"]
    in_window_hist = pd.Series(False, index=days.index)
    for w in windows.itertuples():
        in_window_hist |= (hist_ds >= w.start) & (hist_ds <= w.end)
    if promotions is None or not {"ds", "promo_depth"} <= set(promotions.columns):
        return _Promo(pd.Series(0.0, index=days.index), pd.Series(0.0, index=range(len(future_ds))),
                      0.0, 0, in_window_hist) if len(windows) else None
    p = promotions[["ds", "promo_depth"]].copy()
    p["ds"], _ = _to_local_days(p["ds"])
    p["promo_depth"] = pd.to_numeric(p["promo_depth"], errors="coerce").clip(0.0, 0.95)
    p = p.dropna().groupby("ds")["promo_depth"].mean()
    hist = hist_ds.map(p).fillna(0.0).astype("float64")
    recent = hist[days["actual"].notna()].tail(56)
    baseline = float(recent.median()) if len(recent) else 0.0
    promo_days = (hist > baseline + PROMO_LIFT_DEPTH) | in_window_hist
    coverage = 1.0
    ratios = []   # how much of a calendar discount showed up as depth on past windows
    for w in windows.itertuples():
        sel = (hist_ds >= w.start) & (hist_ds <= w.end)
        if w.discount_pct > 0 and sel.any():
            ratios.append((hist[sel].mean() - baseline) / w.discount_pct)
    ratios = [r for r in ratios if np.isfinite(r)]
    if ratios:
        coverage = float(np.clip(np.median(ratios), 0.05, 1.0))
    fut = pd.Series(baseline, index=range(len(future_ds)), dtype="float64")
    planned_days = 0
    for w in windows.itertuples():
        sel = (future_ds >= w.start) & (future_ds <= w.end)
        if sel.any():
            fut[sel] = baseline + w.discount_pct * coverage
            planned_days += int(sel.sum())
    given = pd.Series(future_ds).map(p)   # depths given for future days are used as planned
    if given.notna().any():
        fut = fut.where(given.isna().to_numpy(), given.to_numpy())
        planned_days += int((given.notna() & (given > baseline + PROMO_LIFT_DEPTH)).sum())
    promo_obs = int((hist[days["actual"].notna()] > baseline + PROMO_LIFT_DEPTH).sum())
    varies = promo_obs >= 3 and float(hist.std()) > 0.005
    if not varies:
        return _Promo(pd.Series(0.0, index=days.index), pd.Series(0.0, index=range(len(future_ds))),
                      0.0, 0, promo_days) if promo_days.any() else None
    return _Promo(hist, fut, baseline, planned_days, promo_days)


def _planned_windows(planned: pd.DataFrame | None) -> pd.DataFrame:
    cols = ["name", "start", "end", "discount_pct"]
    if planned is None or not len(planned) or not {"start", "end"} <= set(planned.columns):
        return pd.DataFrame({c: pd.Series(dtype="object") for c in cols})
    df = planned.copy()
    if "name" not in df:
        df["name"] = "promotion"
    if "discount_pct" not in df:
        df["discount_pct"] = 0.0
    df["start"], _ = _to_local_days(df["start"])
    df["end"], _ = _to_local_days(df["end"])
    pct = pd.to_numeric(df["discount_pct"], errors="coerce").fillna(0.0)
    df["discount_pct"] = pct.where(pct <= 1.0, pct / 100.0).clip(0.0, 0.95)
    return df.dropna(subset=["start", "end"])[cols]


# -- methods ----------------------------------------------------------------------------------
def z_score(width: float) -> float:
    """The two-sided normal quantile for an interval of this width (0.8 → 1.28)."""
    return NormalDist().inv_cdf(0.5 + width / 2)


@dataclass
class _Fit:
    fitted: pd.DataFrame          # ds, fitted, fitted_lower, fitted_upper (history days)
    forecast: pd.DataFrame        # ds, yhat, yhat_lower, yhat_upper
    samples: np.ndarray           # horizon × n
    info: dict[str, object] = field(default_factory=dict)


def _seasonal_naive(days: pd.DataFrame, y: pd.Series, future_ds: pd.DatetimeIndex, width: float,
                    n_samples: int, rng: np.random.Generator) -> _Fit:
    obs = pd.DataFrame({"ds": days["ds"], "y": y}).dropna()
    last_by_wd = obs.groupby(obs["ds"].dt.day_of_week)["y"].last()
    fill = float(obs["y"].tail(7).mean())
    yhat = np.array([float(last_by_wd.get(d, fill)) for d in future_ds.day_of_week])
    lagged = days["ds"] - pd.Timedelta(days=7)
    prev = lagged.map(pd.Series(y.to_numpy(), index=days["ds"]))
    resid = (y - prev.to_numpy()).dropna()
    z = z_score(width)
    if len(resid) >= 5:
        lo_q, hi_q = np.quantile(resid, [0.5 - width / 2, 0.5 + width / 2])
        sd = float(resid.std(ddof=1))
    else:
        sd = float(obs["y"].std(ddof=1)) if len(obs) > 1 else 0.0
        lo_q, hi_q = -z * sd, z * sd
    weeks = np.sqrt(np.ceil(np.arange(1, len(future_ds) + 1) / 7))
    fc = pd.DataFrame({"ds": future_ds, "yhat": yhat, "yhat_lower": yhat + lo_q * weeks,
                       "yhat_upper": yhat + hi_q * weeks})
    samples = yhat[:, None] + rng.normal(0.0, 1.0, (len(future_ds), n_samples)) * (sd * weeks)[:, None]
    fitted = pd.DataFrame({"ds": days["ds"], "fitted": prev.to_numpy(), "fitted_lower": prev.to_numpy() + lo_q,
                           "fitted_upper": prev.to_numpy() + hi_q})
    return _Fit(fitted, fc, samples)


def _moving_average(days: pd.DataFrame, y: pd.Series, future_ds: pd.DatetimeIndex, width: float,
                    n_samples: int, rng: np.random.Generator, per_day_step: float | None = None) -> _Fit:
    obs = y.dropna()
    window = obs.tail(MOVING_AVERAGE_DAYS)
    level = float(window.mean()) if len(window) else 0.0
    sd = float(window.std(ddof=1)) if len(window) > 1 else 0.0
    if per_day_step:   # not daily: values are per period, spread them per day
        level, sd = level / per_day_step, sd / per_day_step
    z = z_score(width)
    h = len(future_ds)
    fc = pd.DataFrame({"ds": future_ds, "yhat": np.full(h, level), "yhat_lower": np.full(h, level - z * sd),
                       "yhat_upper": np.full(h, level + z * sd)})
    samples = level + rng.normal(0.0, 1.0, (h, n_samples)) * sd
    trailing = y.rolling(MOVING_AVERAGE_DAYS, min_periods=1).mean().shift(1)
    tsd = y.rolling(MOVING_AVERAGE_DAYS, min_periods=2).std().shift(1).fillna(0.0)
    fitted = pd.DataFrame({"ds": days["ds"], "fitted": trailing.to_numpy(),
                           "fitted_lower": (trailing - z * tsd).to_numpy(),
                           "fitted_upper": (trailing + z * tsd).to_numpy()})
    return _Fit(fitted, fc, samples)


class EngineUnavailable(RuntimeError):
    """Prophet has no working Stan backend (cmdstan's model binary missing, unreadable or
    built for another platform): `fit_forecast` falls back, as for any failed fit (F15)."""


def _new_prophet(**params: object) -> Prophet:
    """A Prophet model with its backend loaded, or EngineUnavailable.

    Prophet swallows whatever its backend's loader raises (cmdstanpy: ValueError for a
    missing binary, OSError / RuntimeError for one that will not run) and then fails on
    `assert self.stan_backend` with AttributeError (or, under `python -O`, on the first use
    of the missing attribute); a backend whose Python package is missing gives ImportError.
    Those are caught only here, around the backend's loading, so the same exception types
    from a bug elsewhere in the fit still surface.
    """
    try:
        m = Prophet(**params)  # type: ignore[arg-type]
        m.stan_backend.set_options(newton_fallback=False)
    except (AttributeError, AssertionError, ImportError) as exc:
        raise EngineUnavailable(f"no working Stan backend: {exc}") from exc
    return m


def _prophet(days: pd.DataFrame, y: pd.Series, future_ds: pd.DatetimeIndex, hol: pd.DataFrame,
             promo: _Promo | None, opts: ForecastOptions, paths: bool = True) -> _Fit:
    """Fit and predict; `paths`: also draw the future sample paths (the calibration's
    held-out fit only needs the band)."""
    span = int((days["ds"].iloc[-1] - days["ds"].iloc[0]).days) + 1
    yearly: bool | int = 10 if span >= YEARLY_MIN_SPAN_DAYS else False
    m = _new_prophet(
        growth="linear" if span >= TREND_MIN_SPAN_DAYS else "flat",
        yearly_seasonality=yearly, weekly_seasonality=True,
        daily_seasonality=False, holidays=hol if len(hol) else None,
        seasonality_mode=opts.seasonality_mode, holidays_mode=opts.holidays_mode,
        changepoint_prior_scale=(opts.changepoint_prior_scale if opts.changepoint_prior_scale is not None
                                 else (0.05 if yearly else 0.5)),
        changepoint_range=opts.changepoint_range,
        holidays_prior_scale=opts.holidays_prior_scale,
        interval_width=opts.interval_width, uncertainty_samples=opts.uncertainty_samples)
    train = pd.DataFrame({"ds": days["ds"], "y": y})
    hist_frame = pd.DataFrame({"ds": days["ds"]})
    fut_frame = pd.DataFrame({"ds": future_ds})
    if promo is not None and float(promo.history.std()) > 0:
        m.add_regressor("promo_depth", mode=opts.seasonality_mode)
        train["promo_depth"] = promo.history.to_numpy()
        hist_frame["promo_depth"] = promo.history.to_numpy()
        fut_frame["promo_depth"] = promo.future.to_numpy()
    train = train.dropna(subset=["y"])
    with fit_slot():  # several sessions at once: at most two fits run (pool.WORKERS)
        m.fit(train, seed=opts.seed, timeout=FIT_TIMEOUT_S)
    with seeded_global_rng(opts.seed):  # Prophet samples from numpy's global state
        pred = m.predict(pd.concat([hist_frame, fut_frame], ignore_index=True))
        if not opts.uncertainty_samples:  # Prophet leaves the band out; yhat is the same
            pred = pred.assign(yhat_lower=pred["yhat"], yhat_upper=pred["yhat"])
        samples = (m.predictive_samples(fut_frame)["yhat"] if paths and opts.uncertainty_samples
                   else np.empty((len(fut_frame), 0)))
    n = len(hist_frame)
    fitted = pd.DataFrame({"ds": days["ds"].to_numpy(), "fitted": pred["yhat"].to_numpy()[:n],
                           "fitted_lower": pred["yhat_lower"].to_numpy()[:n],
                           "fitted_upper": pred["yhat_upper"].to_numpy()[:n]})
    fc = pd.DataFrame({"ds": future_ds, "yhat": pred["yhat"].to_numpy()[n:],
                       "yhat_lower": pred["yhat_lower"].to_numpy()[n:],
                       "yhat_upper": pred["yhat_upper"].to_numpy()[n:]})
    info = {"yearly_seasonality": bool(yearly), "holidays": int(hol["holiday"].nunique()) if len(hol) else 0,
            "promo_regressor": "promo_depth" in m.extra_regressors}
    return _Fit(fitted, fc, np.asarray(samples, dtype="float64"), info)


# -- the entry point ----------------------------------------------------------------------------
def fit_forecast(series: pd.DataFrame, horizon: int = 28, *, country: str | None = None,
                 festivals: pd.DataFrame | None = None, promotions: pd.DataFrame | None = None,
                 future_promotions: pd.DataFrame | None = None,
                 options: ForecastOptions | None = None) -> ForecastResult:
    """Forecast `horizon` days after the last day of `series` ([ds, y], daily).

    - country: ISO code for public holidays ('GB', 'US', 'CN', 'GB-SCT'); None: none
    - festivals: holiday windows [holiday, ds, lower_window, upper_window] (see festivals.py)
    - promotions: [ds, promo_depth] (discounts / gross per day) for the history; rows after the
      history are taken as the planned depth of those days
    - future_promotions: a promotion calendar [name, start, end, discount_pct] (20 or 0.2 for
      20 %); future windows set the planned depth, past ones mark promotion days
    Raises ForecastError only for an invalid horizon; a bad series gives a fallback with notes.
    """
    opts = options or ForecastOptions()
    if not isinstance(horizon, (int, np.integer)) or isinstance(horizon, bool) or not 1 <= int(horizon) <= MAX_HORIZON:
        raise ForecastError(f"The horizon must be a whole number of days from 1 to {MAX_HORIZON}.",
                            key="forecast.bad_horizon", horizon=str(horizon))
    if not 0.0 < opts.interval_width < 1.0:
        raise ForecastError("The interval width must be between 0 and 1 (for example 0.8).",
                            key="forecast.bad_interval", width=opts.interval_width)
    horizon = int(horizon)
    clean = clean_series(series)
    notes = list(clean.notes)
    days = clean.days
    if days.empty:
        return ForecastResult("moving_average", horizon, _empty_frame(["ds", "yhat", "yhat_lower", "yhat_upper"]),
                              _empty_frame(["ds", "actual", "y", "fitted", "fitted_lower", "fitted_upper"]),
                              _empty_frame(["ds", "actual", "expected"]), tuple(notes), opts.interval_width)
    future_ds = pd.date_range(days["ds"].iloc[-1] + pd.Timedelta(days=1), periods=horizon, freq="D")
    obs = days["actual"].dropna()
    span = int((days["ds"].iloc[-1] - days["ds"].iloc[0]).days) + 1
    method, choice_notes = _choose(obs, span, clean)
    if opts.force_method:
        method = opts.force_method
    notes += choice_notes
    hol = (holiday_windows(country, festivals, days["ds"].iloc[0], future_ds[-1])
           if method != "moving_average" else None)
    promo = _promotions(days, future_ds, promotions, future_promotions)
    y = days["actual"].copy()
    outliers = _empty_frame(["ds", "actual", "expected"])
    if opts.screen_outliers and method != "moving_average" and hol is not None:
        exempt = days["ds"].isin(set(window_days(hol)["ds"])) if len(hol) else pd.Series(False, index=days.index)
        if promo is not None:
            exempt |= promo.promo_days
        outliers = screen_outliers(days, exempt, opts.outlier_z)
        if len(outliers):
            y[days["ds"].isin(outliers["ds"])] = np.nan
            notes.append(note("forecast.outliers_removed", count=len(outliers),
                              days=_list_days(outliers)))
    closed = _closed_weekdays(days) if method == "prophet" else ()
    if closed:
        y[days["ds"].dt.day_of_week.isin(closed)] = np.nan
        notes.append(note("forecast.closed_weekdays", days=", ".join(_WEEKDAYS[d] for d in closed)))
    rng = np.random.default_rng(opts.seed)
    fit: _Fit | None = None
    if method == "prophet":
        hol_used, unseen = _split_seen(hol if hol is not None else pd.DataFrame(), days["ds"][y.notna()], future_ds)
        if unseen:
            notes.append(_holiday_note("forecast.festival_unseen", unseen))
        if span < TREND_MIN_SPAN_DAYS:
            notes.append(note("forecast.trend_flat", days=span, needed=TREND_MIN_SPAN_DAYS))
        elif span < YEARLY_MIN_SPAN_DAYS:
            notes.append(note("forecast.yearly_off", days=span))
        try:
            fit = _prophet(days, y, future_ds, hol_used, promo, opts)
        except (RuntimeError, ValueError, FloatingPointError, np.linalg.LinAlgError, OSError) as exc:
            method = "seasonal_naive" if int(obs.size) >= MIN_SEASONAL_NAIVE_DAYS else "moving_average"
            if isinstance(exc, TimeoutError):  # cmdstanpy's, after FIT_TIMEOUT_S
                notes.append(note("forecast.fit_timeout", seconds=f"{FIT_TIMEOUT_S:g}", method=method))
            else:
                notes.append(note("forecast.engine_failed", reason=type(exc).__name__, method=method))
            fit = None
        else:
            if not _plausible(fit, obs):
                method = "seasonal_naive" if int(obs.size) >= MIN_SEASONAL_NAIVE_DAYS else "moving_average"
                top = float(np.nanmax(np.abs(fit.forecast["yhat_upper"])))
                notes.append(note("forecast.implausible", value=_fmt(top),
                                  history_max=_fmt(float(obs.abs().max())), method=method))
                fit = None
            else:
                if promo is not None and fit.info.get("promo_regressor"):
                    notes.append(note("forecast.promotions_used", count=promo.planned_days) if promo.planned_days
                                 else note("forecast.no_planned_promotions"))
                widened = _widen_special_days(fit, days, y, hol_used, opts, rng)
                if widened:
                    notes.append(_holiday_note("forecast.special_days_widened", widened))
                if opts.calibrate:
                    factor = _calibrate(fit, days, y, hol_used, promo, opts)
                    if factor > 1.0:
                        notes.append(note("forecast.band_calibrated", factor=f"{factor:.2f}",
                                          days=CALIBRATION_DAYS))
    if fit is None:
        n_samples = max(1, opts.uncertainty_samples)
        if method == "seasonal_naive":
            fit = _seasonal_naive(days, y, future_ds, opts.interval_width, n_samples, rng)
        else:
            fit = _moving_average(days, y, future_ds, opts.interval_width, n_samples, rng,
                                  clean.not_daily_step)
    fc, samples, fitted = fit.forecast, fit.samples, fit.fitted
    if closed:
        shut = fc["ds"].dt.day_of_week.isin(closed).to_numpy()
        fc = fc.assign(**{c: np.where(shut, 0.0, fc[c]) for c in ("yhat", "yhat_lower", "yhat_upper")})
        samples = np.where(shut[:, None], 0.0, samples)
        shut_h = fitted["ds"].dt.day_of_week.isin(closed).to_numpy()
        fitted = fitted.assign(**{c: np.where(shut_h, 0.0, fitted[c])
                                  for c in ("fitted", "fitted_lower", "fitted_upper")})
    if opts.floor is not None:
        f = opts.floor
        below = bool((fc[["yhat", "yhat_lower"]] < f - 1e-9).to_numpy().any())
        fc = fc.assign(yhat=fc["yhat"].clip(lower=f), yhat_lower=fc["yhat_lower"].clip(lower=f),
                       yhat_upper=fc["yhat_upper"].clip(lower=f))
        fitted = fitted.assign(**{c: fitted[c].clip(lower=f) for c in ("fitted", "fitted_lower", "fitted_upper")})
        samples = np.clip(samples, f, None)
        if below:
            notes.append(note("forecast.floored_at_zero"))
    history = pd.DataFrame({"ds": days["ds"], "actual": days["actual"], "y": y}).merge(fitted, on="ds", how="left")
    info = dict(fit.info)
    info.update(observed_days=int(obs.size), span_days=span)
    return ForecastResult(method, horizon, fc.reset_index(drop=True), history, outliers, tuple(notes),
                          opts.interval_width, info, samples)


def _calibrate(fit: _Fit, days: pd.DataFrame, y: pd.Series, hol: pd.DataFrame,
               promo: _Promo | None, opts: ForecastOptions) -> float:
    """Widen the band by how much it was too narrow on the last CALIBRATION_DAYS days.

    The same model is fitted without those days and forecasts them; each day's miss is
    measured in units of its half-band (above: (actual − yhat) ÷ (upper − yhat), below the
    same on the lower side). The split-conformal quantile of those ratios at the interval
    width, ⌈(n + 1) × width⌉ / n, is the factor the half-bands must be multiplied by to have
    held that share of days; it only ever widens (at most CALIBRATION_MAX_FACTOR ×): a band
    narrowed on 28 days would claim more than they can show. The forecast's sample paths are
    scaled around yhat by the same factor. Returns the factor (1.0: unchanged, or too little
    history to hold days out).
    """
    n = CALIBRATION_DAYS
    observed = y.notna().to_numpy()
    if int(observed[:-n].sum()) < CALIBRATION_MIN_TRAIN or int(observed[-n:].sum()) < n // 2:
        return 1.0
    head = days.iloc[:-n]
    tail_ds = pd.DatetimeIndex(days["ds"].iloc[-n:])
    head_promo = None
    if promo is not None:
        head_promo = _Promo(history=promo.history.iloc[:-n].reset_index(drop=True),
                            future=promo.history.iloc[-n:].reset_index(drop=True),
                            baseline=promo.baseline, planned_days=0,
                            promo_days=promo.promo_days.iloc[:-n])
    try:
        held = _prophet(head.reset_index(drop=True), y.iloc[:-n].reset_index(drop=True), tail_ds,
                        hol, head_promo, opts, paths=False)
    except (RuntimeError, ValueError, FloatingPointError, np.linalg.LinAlgError, OSError):
        return 1.0
    actual = y.iloc[-n:].to_numpy(dtype="float64")
    f = held.forecast
    yhat, lo, hi = (f[c].to_numpy(dtype="float64") for c in ("yhat", "yhat_lower", "yhat_upper"))
    if opts.floor is not None:
        yhat, lo, hi = (np.maximum(a, opts.floor) for a in (yhat, lo, hi))
    above = actual >= yhat
    half = np.where(above, hi - yhat, yhat - lo)
    ok = ~np.isnan(actual) & (half > 1e-9)
    if int(ok.sum()) < n // 2:
        return 1.0
    ratios = np.sort(np.abs(actual - yhat)[ok] / half[ok])
    k = len(ratios)
    rank = min(k, int(np.ceil((k + 1) * opts.interval_width)))
    factor = float(min(max(ratios[rank - 1], 1.0), CALIBRATION_MAX_FACTOR))
    if factor > 1.0:
        fc = fit.forecast
        mid = fc["yhat"].to_numpy()
        fit.forecast = fc.assign(yhat_lower=mid - factor * (mid - fc["yhat_lower"].to_numpy()),
                                 yhat_upper=mid + factor * (fc["yhat_upper"].to_numpy() - mid))
        fit.samples = mid[:, None] + factor * (fit.samples - mid[:, None])
    fit.info["band_factor"] = round(factor, 4)
    return factor


def _widen_special_days(fit: _Fit, days: pd.DataFrame, y: pd.Series, hol: pd.DataFrame,
                        opts: ForecastOptions, rng: np.random.Generator) -> list[str]:
    """Widen the band on future holiday/festival days by how much the same event varied.

    Prophet's band covers day-to-day noise and trend changes, not the uncertainty of a
    holiday's effect, which is learnt from one or two occurrences (and fits those almost
    exactly, so in-sample misses understate it). Per holiday, a relative spread = the larger
    of the in-sample RMS miss on its past window days (corrected for the effects fitted to
    them) and SPECIAL_DAY_DEFAULT_SPREAD / √(occurrences − 1) (0.25 for one or two past
    occurrences, 0.125 for five); spread × z × yhat is added in quadrature to the band, and as
    extra noise to the sample paths. Returns the holidays widened (festival ids or public
    holiday names), in the order of their display names.
    """
    if hol.empty:
        return []
    covered = window_days(hol)
    future = fit.forecast
    ahead = covered[covered["ds"].isin(set(future["ds"]))]
    if ahead.empty:
        return []
    hist = pd.DataFrame({"ds": days["ds"], "y": y}).merge(fit.fitted[["ds", "fitted"]], on="ds")
    hist = hist.dropna()
    hist = hist[hist["fitted"].abs() > 1e-9]
    rel = pd.Series(((hist["y"] - hist["fitted"]) / hist["fitted"].abs()).to_numpy(), index=hist["ds"])
    z = z_score(opts.interval_width)
    spread_by_day: dict[pd.Timestamp, float] = {}
    names = []
    for name, rows in ahead.groupby("holiday"):
        past = covered[(covered["holiday"] == name) & covered["ds"].isin(rel.index)]["ds"]
        spec = hol[hol["holiday"] == name]
        k = int((spec["upper_window"] - spec["lower_window"]).max()) + 1
        n = len(past)
        seen = set(rel.index)
        occurrences = sum(
            any(r.ds + pd.Timedelta(days=off) in seen for off in range(r.lower_window, r.upper_window + 1))
            for r in spec.itertuples())
        spread = SPECIAL_DAY_DEFAULT_SPREAD / np.sqrt(max(1, occurrences - 1))
        if n > k:
            r = rel.reindex(past).to_numpy()
            spread = max(spread, float(np.sqrt(np.mean(np.square(r)) * n / (n - k))))
        spread = min(float(spread), 1.0)
        for d in rows["ds"]:
            spread_by_day[d] = max(spread_by_day.get(d, 0.0), spread)
        names.append(str(name))
    s = future["ds"].map(spread_by_day).fillna(0.0).to_numpy()
    yhat = future["yhat"].to_numpy()
    extra = z * s * np.abs(yhat)
    lo = yhat - future["yhat_lower"].to_numpy()
    hi = future["yhat_upper"].to_numpy() - yhat
    fit.forecast = future.assign(yhat_lower=yhat - np.hypot(lo, extra), yhat_upper=yhat + np.hypot(hi, extra))
    fit.samples = fit.samples + rng.normal(0.0, 1.0, fit.samples.shape) * (s * np.abs(yhat))[:, None]
    return sorted(set(names), key=display_name)


def _holiday_note(key: str, holidays: list[str]) -> Note:
    """A note naming holidays: `names` in English for the text, `holidays` (the ids, '|'
    joined) so a page can name them in its own language (lib.charts_forecast.note_text)."""
    return note(key, names=", ".join(display_name(h) for h in holidays), holidays="|".join(holidays))


_WEEKDAYS = ("Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays")


def _closed_weekdays(days: pd.DataFrame) -> tuple[int, ...]:
    """Weekdays with no sales in at least 90 % of (at least 4) weeks: the shop is shut then."""
    obs = days.dropna(subset=["actual"])
    wd = obs["ds"].dt.day_of_week
    stats = (obs["actual"] == 0).groupby(wd).agg(["mean", "size"])
    closed = tuple(int(d) for d, r in stats.iterrows() if r["size"] >= 4 and r["mean"] >= 0.9)
    return closed if len(closed) < 7 else ()


def _list_days(outliers: pd.DataFrame, limit: int = 8) -> str:
    items = [f"{r.ds.date().isoformat()} ({_fmt(float(r.actual))})" for r in outliers.head(limit).itertuples()]
    more = len(outliers) - limit
    return ", ".join(items) + (f" and {more} more" if more > 0 else "")


def _split_seen(hol: pd.DataFrame, observed_ds: pd.Series,
                future_ds: pd.DatetimeIndex) -> tuple[pd.DataFrame, list[str]]:
    """Holidays the history covers (kept) and festival names in the future it never saw."""
    if hol is None or hol.empty:
        return pd.DataFrame(columns=["holiday", "ds", "lower_window", "upper_window"]), []
    covered = window_days(hol)
    seen_names = set(covered.loc[covered["ds"].isin(set(observed_ds)), "holiday"])
    ahead = set(covered.loc[covered["ds"].isin(set(future_ds)), "holiday"])
    unseen = sorted(ahead - seen_names, key=display_name)
    return hol[hol["holiday"].isin(seen_names)].reset_index(drop=True), unseen


def _plausible(fit: _Fit, obs: pd.Series) -> bool:
    values = fit.forecast[["yhat", "yhat_lower", "yhat_upper"]].to_numpy()
    if not np.isfinite(values).all():
        return False
    top = float(obs.abs().max())
    return float(np.abs(values).max()) <= IMPLAUSIBLE_FACTOR * max(top, 1e-9)
