"""Rolling-origin backtest: refit at several cutoffs, forecast `horizon` days, compare.

For each fold (cutoff c): train on days ≤ c with the same pipeline as the real forecast
(`fit_forecast`: cleaning, outlier screen, fallbacks, floor), forecast c+1 … c+h, and score
against what happened:
- MAE; MAPE only over days whose actual is not near zero (|actual| ≥ 10 % of the training
  mean of |y|), with a note on what was left out
- MASE = MAE / the in-sample MAE of the seasonal-naive (same weekday last week) forecast on
  the training data (Hyndman's scaling); < 1 means better than that one-week-ahead baseline
- baseline MAE: the seasonal-naive forecast from the same cutoff over the same days
- coverage: share of actual days inside [yhat_lower, yhat_upper]
Cutoffs are spaced `horizon` days apart, the last one `horizon` days before the end.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from lib.forecast.model import ForecastOptions, ForecastResult, clean_series, fit_forecast
from lib.forecast.notes import Method, Note, note
from lib.forecast.pool import map_jobs

NEAR_ZERO_SHARE = 0.1
MIN_TRAIN_DAYS = 56


@dataclass(frozen=True)
class Fold:
    """One backtest window."""

    cutoff: date
    train_days: int
    test_days: int
    method: Method
    mae: float
    mape: float | None
    mase: float | None
    baseline_mae: float
    coverage: float
    actual_total: float
    forecast_total: float


@dataclass(frozen=True)
class BacktestResult:
    """Per-fold rows and the pooled figures (None where not meaningful, with a note)."""

    horizon: int
    folds: tuple[Fold, ...]
    mae: float | None
    mape: float | None
    mase: float | None
    baseline_mae: float | None
    coverage: float | None
    interval_width: float
    notes: tuple[Note, ...] = ()
    points: pd.DataFrame = field(default_factory=pd.DataFrame, compare=False, repr=False)

    @property
    def relative_mae(self) -> float | None:
        """MAE / baseline MAE: below 1 means the forecast beat the seasonal-naive baseline."""
        if self.mae is None or not self.baseline_mae:
            return None
        return self.mae / self.baseline_mae

    @property
    def note_keys(self) -> tuple[str, ...]:
        return tuple(n.key for n in self.notes)

    def rows(self) -> pd.DataFrame:
        return pd.DataFrame([f.__dict__ for f in self.folds])

    def to_json(self) -> dict[str, object]:
        def r(v: float | None) -> float | None:
            return None if v is None else round(float(v), 4)
        return {
            "horizon": self.horizon, "folds": len(self.folds), "mae": r(self.mae), "mape": r(self.mape),
            "mase": r(self.mase), "baseline_mae": r(self.baseline_mae), "coverage": r(self.coverage),
            "relative_mae": r(self.relative_mae), "interval_width": self.interval_width,
            "notes": [n.to_json() for n in self.notes],
            "per_fold": [{**f.__dict__, "cutoff": f.cutoff.isoformat(),
                          **{k: r(getattr(f, k)) for k in ("mae", "mape", "mase", "baseline_mae", "coverage",
                                                           "actual_total", "forecast_total")}}
                         for f in self.folds],
        }


def seasonal_naive_scale(y: pd.Series, ds: pd.Series) -> float | None:
    """Mean |y_t − y_{t−7}| over the training days where both are known."""
    s = pd.Series(y.to_numpy(), index=pd.DatetimeIndex(ds))
    prev = s.reindex(s.index - pd.Timedelta(days=7)).to_numpy()
    d = np.abs(s.to_numpy() - prev)
    d = d[np.isfinite(d)]
    if not len(d) or float(d.mean()) == 0.0:
        return None
    return float(d.mean())


def seasonal_naive_forecast(train: pd.DataFrame, future_ds: pd.DatetimeIndex) -> np.ndarray:
    """Each future day = the last known value on the same weekday (the baseline)."""
    obs = train.dropna(subset=["actual"])
    last = obs.groupby(obs["ds"].dt.day_of_week)["actual"].last()
    fill = float(obs["actual"].tail(7).mean()) if len(obs) else 0.0
    return np.array([float(last.get(d, fill)) for d in future_ds.day_of_week])


def _fold_fit(job: tuple[pd.DataFrame, int, dict[str, object]]) -> ForecastResult:
    """One fold's fit (a module-level function: the shared pool's workers run it)."""
    frame, horizon, kwargs = job
    return fit_forecast(frame, horizon, **kwargs)  # type: ignore[arg-type]


def backtest(series: pd.DataFrame, horizon: int = 28, *, folds: int = 4, country: str | None = None,
             festivals: pd.DataFrame | None = None, promotions: pd.DataFrame | None = None,
             future_promotions: pd.DataFrame | None = None,
             options: ForecastOptions | None = None, workers: int = 1) -> BacktestResult:
    """Rolling-origin cross-validation of `fit_forecast` against a seasonal-naive baseline.
    `workers` > 1: the folds' fits in the shared pool (the app's; a one-off process would
    spend what it saves on starting the pool)."""
    opts = options or ForecastOptions()
    days = clean_series(series).days
    notes: list[Note] = []
    needed = MIN_TRAIN_DAYS + horizon
    if len(days) < needed:
        notes.append(note("backtest.too_short", horizon=horizon, needed=needed))
        return BacktestResult(horizon, (), None, None, None, None, None, opts.interval_width, tuple(notes))
    end = days["ds"].iloc[-1]
    cutoffs = [end - pd.Timedelta(days=horizon * i) for i in range(folds, 0, -1)]
    cutoffs = [c for c in cutoffs if (c - days["ds"].iloc[0]).days + 1 >= MIN_TRAIN_DAYS]
    if len(cutoffs) < folds:
        notes.append(note("backtest.folds_reduced", folds=len(cutoffs), asked=folds))
    series_frame = days.rename(columns={"actual": "y"})
    out: list[Fold] = []
    points = []
    mape_left_out = mape_total = 0
    tests = {c: days[(days["ds"] > c) & (days["ds"] <= c + pd.Timedelta(days=horizon))]
             .dropna(subset=["actual"]) for c in cutoffs}
    cutoffs = [c for c in cutoffs if not tests[c].empty]
    fit_args: dict[str, object] = dict(country=country, festivals=festivals, promotions=promotions,
                                       future_promotions=future_promotions, options=opts)
    # Each fold is two Prophet fits; the Forecast page waited for four folds in turn (3-4 s on
    # the demo), 2 s in the shared pool once it runs, with the same results (fixed seeds).
    fits = map_jobs(_fold_fit, [(series_frame[series_frame["ds"] <= c], horizon, fit_args) for c in cutoffs],
                    workers=workers)
    for cutoff, res in zip(cutoffs, fits):
        train = days[days["ds"] <= cutoff]
        test = tests[cutoff]
        if res.forecast.empty:
            continue
        fc = test.merge(res.forecast, on="ds", how="inner")
        actual = fc["actual"].to_numpy()
        err = np.abs(actual - fc["yhat"].to_numpy())
        base = seasonal_naive_forecast(train, pd.DatetimeIndex(fc["ds"]))
        base_err = np.abs(actual - base)
        scale = seasonal_naive_scale(train["actual"], train["ds"])
        threshold = NEAR_ZERO_SHARE * float(train["actual"].abs().mean())
        ok = np.abs(actual) >= max(threshold, 1e-9)
        mape_total += len(actual)
        mape_left_out += int((~ok).sum())
        mape = float(np.mean(err[ok] / np.abs(actual[ok]))) * 100 if ok.sum() else None
        inside = (actual >= fc["yhat_lower"].to_numpy() - 1e-9) & (actual <= fc["yhat_upper"].to_numpy() + 1e-9)
        out.append(Fold(cutoff=cutoff.date(), train_days=int(train["actual"].notna().sum()),
                        test_days=len(actual), method=res.method, mae=float(err.mean()), mape=mape,
                        mase=float(err.mean()) / scale if scale else None,
                        baseline_mae=float(base_err.mean()), coverage=float(inside.mean()),
                        actual_total=float(actual.sum()), forecast_total=float(fc["yhat"].sum())))
        points.append(fc.assign(cutoff=cutoff, baseline=base))
    if not out:
        notes.append(note("backtest.too_short", horizon=horizon, needed=needed))
        return BacktestResult(horizon, (), None, None, None, None, None, opts.interval_width, tuple(notes))
    pts = pd.concat(points, ignore_index=True)
    weights = np.array([f.test_days for f in out], dtype="float64")
    mae = float(np.average([f.mae for f in out], weights=weights))
    base_mae = float(np.average([f.baseline_mae for f in out], weights=weights))
    coverage = float(np.average([f.coverage for f in out], weights=weights))
    mases = [f.mase for f in out if f.mase is not None]
    mase = float(np.mean(mases)) if mases else None
    if mase is None:
        notes.append(note("backtest.mase_undefined"))
    mapes = [(f.mape, f.test_days) for f in out if f.mape is not None]
    mape = None
    if mape_total and mape_left_out / mape_total > 0.5:
        notes.append(note("backtest.mape_omitted"))
    elif mapes:
        mape = float(np.average([m for m, _ in mapes], weights=[w for _, w in mapes]))
        if mape_left_out:
            notes.append(note("backtest.mape_partial", count=mape_left_out, total=mape_total))
    # MASE scales by the naive forecast's misses on the training data; the baseline column is
    # the same naive forecast on the test days. Only when both say so is the forecast worse:
    # on Etsy's export (MASE 1.002, 19 % fewer misses than the baseline) the page said 'worth
    # using' and 'worse than the baseline' one line apart.
    if mase is not None and mase >= 1.0 and mae >= base_mae:
        notes.append(note("backtest.worse_than_baseline", mase=round(mase, 2)))
    if promotions is not None and len(promotions) and bool((promotions["promo_depth"] > 0).any()):
        notes.append(note("backtest.promotions_as_planned"))  # not for a shop without discounts
    return BacktestResult(horizon, tuple(out), mae, mape, mase, base_mae, coverage, opts.interval_width,
                          tuple(notes), pts)
