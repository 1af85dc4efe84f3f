"""Rolling-origin backtest: metrics by hand on tiny cases, the notes, the fold layout."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lib.forecast.backtest import backtest, seasonal_naive_forecast, seasonal_naive_scale
from tests.lib.forecast.shop import weekly_series


def test_seasonal_naive_scale_by_hand() -> None:
    ds = pd.Series(pd.date_range("2024-01-01", periods=9))
    y = pd.Series([1, 2, 3, 4, 5, 6, 7, 4, 0], dtype="float64")
    # |4 − 1| and |0 − 2|: the only pairs one week apart.
    assert seasonal_naive_scale(y, ds) == pytest.approx(2.5)
    assert seasonal_naive_scale(pd.Series([3.0] * 9), ds) is None


def test_seasonal_naive_forecast_repeats_the_last_week() -> None:
    train = pd.DataFrame({"ds": pd.date_range("2024-01-01", periods=14),
                          "actual": np.arange(14, dtype="float64")})
    fut = pd.date_range("2024-01-15", periods=8)
    assert seasonal_naive_forecast(train, fut).tolist() == [7, 8, 9, 10, 11, 12, 13, 7]


def test_folds_are_spaced_by_the_horizon_and_end_at_the_last_day() -> None:
    s = weekly_series(200)
    bt = backtest(s, 14, folds=3)
    cutoffs = [f.cutoff for f in bt.folds]
    last = s["ds"].iloc[-1].date()
    assert cutoffs == [(s["ds"].iloc[-1] - pd.Timedelta(days=14 * k)).date() for k in (3, 2, 1)]
    assert all(f.test_days == 14 for f in bt.folds) and cutoffs[-1] < last
    rows = bt.rows()
    assert list(rows.columns[:4]) == ["cutoff", "train_days", "test_days", "method"]
    assert bt.mae == pytest.approx(rows["mae"].mean())
    assert bt.relative_mae == pytest.approx(bt.mae / bt.baseline_mae)
    doc = bt.to_json()
    assert {"mae", "mase", "baseline_mae", "coverage", "mape", "per_fold"} <= set(doc)


def test_too_short_for_a_backtest() -> None:
    bt = backtest(weekly_series(40), 28)
    assert bt.folds == () and bt.mae is None and bt.note_keys == ("backtest.too_short",)


def test_fewer_folds_when_the_history_is_short() -> None:
    bt = backtest(weekly_series(120), 28, folds=5)
    assert len(bt.folds) == 2 and "backtest.folds_reduced" in bt.note_keys


def test_mape_leaves_out_days_near_zero_and_says_so() -> None:
    s = weekly_series(200)
    s.loc[s["ds"].dt.day_of_week == 6, "y"] = 1.0     # Sundays almost nothing
    bt = backtest(s, 14, folds=2)
    assert "backtest.mape_partial" in bt.note_keys
    assert bt.mape is not None
    mostly_zero = weekly_series(200)
    mostly_zero.loc[mostly_zero["ds"].dt.day_of_week < 5, "y"] = 0.5
    bt2 = backtest(mostly_zero, 14, folds=2)
    assert bt2.mape is None and "backtest.mape_omitted" in bt2.note_keys


def test_a_flat_history_has_no_mase() -> None:
    s = pd.DataFrame({"ds": pd.date_range("2024-01-01", periods=120), "y": 10.0})
    bt = backtest(s, 14, folds=2)
    assert bt.mase is None and "backtest.mase_undefined" in bt.note_keys
    assert bt.mae == 0.0 and bt.coverage == 1.0


def test_folds_fitted_in_the_shared_pool_equal_the_serial_ones() -> None:
    """The app fits the folds in two processes (ui/forecast_cache.py): the same folds,
    figures and band, as every fit has its own fixed seed."""
    s = weekly_series(200, seed=4)
    serial = backtest(s, 14, folds=3, workers=1)
    pooled = backtest(s, 14, folds=3, workers=2)
    assert len(pooled.folds) == 3 and pooled.folds == serial.folds
    assert (pooled.mae, pooled.coverage, pooled.mase) == (serial.mae, serial.coverage, serial.mase)
    pd.testing.assert_frame_equal(pooled.points, serial.points)
