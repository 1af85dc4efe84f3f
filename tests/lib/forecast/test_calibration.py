"""The band is checked against a held-out tail and widened when it held too few of its days
(split-conformal): never narrowed, capped, skipped on short histories, and measured honestly
by the backtest (which calibrates inside each fold)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lib.forecast.backtest import backtest
from lib.forecast.model import (CALIBRATION_DAYS, CALIBRATION_MAX_FACTOR, CALIBRATION_MIN_TRAIN,
                                ForecastOptions, fit_forecast)
from tests.lib.forecast.shop import weekly_series

RAW = ForecastOptions(calibrate=False)


def noisier_tail(days: int = 420, tail: int = 60, seed: int = 5) -> pd.DataFrame:
    """A weekly series whose last `tail` days are four times as noisy as the rest: the band
    the model learns from the whole history is too narrow for the recent days."""
    s = weekly_series(days, noise=0.03, seed=seed)
    rng = np.random.default_rng(seed + 1)
    base = s["y"].to_numpy().copy()
    base[-tail:] *= 1 + rng.normal(0, 0.12, tail)
    return s.assign(y=base)


def half_bands(res) -> tuple[np.ndarray, np.ndarray]:  # type: ignore[no-untyped-def]
    f = res.forecast
    return (f["yhat_upper"] - f["yhat"]).to_numpy(), (f["yhat"] - f["yhat_lower"]).to_numpy()


def test_a_band_too_narrow_for_the_recent_days_is_widened_by_its_factor() -> None:
    s = noisier_tail()
    raw, cal = fit_forecast(s, 28, options=RAW), fit_forecast(s, 28)
    factor = cal.info["band_factor"]
    assert 1.0 < factor <= CALIBRATION_MAX_FACTOR
    assert "forecast.band_calibrated" in cal.note_keys and "forecast.band_calibrated" not in raw.note_keys
    assert np.allclose(cal.forecast["yhat"], raw.forecast["yhat"])  # the centre does not move
    up_raw, down_raw = half_bands(raw)
    up_cal, down_cal = half_bands(cal)
    assert up_cal == pytest.approx(factor * up_raw, rel=1e-9)
    inner = raw.forecast["yhat_lower"].to_numpy() > 0  # not floored at zero
    assert down_cal[inner] == pytest.approx(factor * down_raw[inner], rel=1e-9)
    spread = lambda r: np.std(r.samples - r.forecast["yhat"].to_numpy()[:, None])  # noqa: E731
    assert spread(cal) == pytest.approx(factor * spread(raw), rel=1e-6)  # sample paths too


def test_the_band_is_never_narrowed() -> None:
    s = weekly_series(420, noise=0.05, seed=9)
    cal, raw = fit_forecast(s, 28), fit_forecast(s, 28, options=RAW)
    assert cal.info["band_factor"] >= 1.0
    assert np.all(half_bands(cal)[0] >= half_bands(raw)[0] - 1e-9)


def test_a_short_history_is_not_calibrated() -> None:
    s = weekly_series(CALIBRATION_MIN_TRAIN + CALIBRATION_DAYS - 7, noise=0.05)
    cal, raw = fit_forecast(s, 28), fit_forecast(s, 28, options=RAW)
    assert "band_factor" not in cal.info and "forecast.band_calibrated" not in cal.note_keys
    pd.testing.assert_frame_equal(cal.forecast, raw.forecast)


@pytest.mark.slow
def test_calibration_brings_backtest_coverage_to_the_nominal_width() -> None:
    """Measured on the noisier-tail series with 4 folds × 28 days: the raw band covers
    fewer days than it promises, the calibrated one (calibrated inside each fold, on that
    fold's own history) comes closer to 80 %."""
    s = noisier_tail(480, tail=140)
    raw = backtest(s, 28, folds=4, options=RAW)
    cal = backtest(s, 28, folds=4)
    print(f"\ncoverage raw {raw.coverage:.2f}, calibrated {cal.coverage:.2f}")
    assert raw.coverage is not None and cal.coverage is not None
    assert raw.coverage < 0.8 and cal.coverage > raw.coverage
    assert cal.mae == pytest.approx(raw.mae)  # the centre is the same forecast
