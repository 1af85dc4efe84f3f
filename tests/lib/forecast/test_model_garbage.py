"""RELIABILITY.md F1–F10: garbage in → a ForecastResult with a fallback or a note, never an
exception, and never a negative sales forecast."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lib.forecast.model import ForecastResult, fit_forecast
from lib.forecast.notes import ForecastError
from tests.lib.forecast.shop import weekly_series


def check(res: ForecastResult, horizon: int = 28) -> None:
    """Invariants every result keeps."""
    fc = res.forecast
    assert list(fc.columns) == ["ds", "yhat", "yhat_lower", "yhat_upper"]
    if len(fc):
        assert len(fc) == horizon
        assert np.isfinite(fc[["yhat", "yhat_lower", "yhat_upper"]].to_numpy()).all()
        assert (fc["yhat"] >= 0).all() and (fc["yhat_lower"] >= 0).all()
        assert (fc["yhat_lower"] <= fc["yhat"] + 1e-9).all() and (fc["yhat"] <= fc["yhat_upper"] + 1e-9).all()
        assert fc["ds"].diff().dropna().dt.days.eq(1).all()
    for n in res.notes:
        assert n.text and n.key


def test_f1_no_rows_and_one_row() -> None:
    empty = fit_forecast(pd.DataFrame({"ds": [], "y": []}), 28)
    assert empty.note_keys == ("forecast.no_history",) and empty.forecast.empty
    check(empty)
    one = fit_forecast(pd.DataFrame({"ds": ["2024-01-01"], "y": [5.0]}), 28)
    assert one.method == "moving_average"
    check(one)
    assert one.forecast["yhat"].eq(5.0).all()


def test_f1_not_a_frame_at_all() -> None:
    res = fit_forecast("garbage", 7)  # type: ignore[arg-type]
    assert res.note_keys == ("forecast.no_history",)


def test_f2_two_rows_fall_back_with_a_note() -> None:
    res = fit_forecast(pd.DataFrame({"ds": ["2024-01-01", "2024-01-02"], "y": [5.0, 13.0]}), 28)
    assert res.method == "moving_average"
    assert "forecast.short_history" in res.note_keys
    assert "2 days of history" in res.notes[0].text
    assert res.forecast["yhat"].eq(9.0).all()   # the mean, not a line from 5 to 13
    check(res)


def test_f2_three_weeks_fall_back_to_seasonal_naive() -> None:
    s = weekly_series(21)
    res = fit_forecast(s, 14)
    assert res.method == "seasonal_naive" and "forecast.short_history" in res.note_keys
    # Same weekday of the last week.
    assert res.forecast["yhat"].iloc[0] == pytest.approx(s["y"].iloc[-7])
    check(res, 14)


def test_f3_constant_series() -> None:
    res = fit_forecast(pd.DataFrame({"ds": pd.date_range("2024-01-01", periods=90), "y": 5.0}), 28)
    assert res.method == "moving_average" and res.note_keys == ("forecast.constant",)
    assert "every day is 5" in res.notes[0].text
    assert res.forecast["yhat"].eq(5.0).all() and res.forecast["yhat_upper"].eq(5.0).all()
    check(res)


def test_f4_all_zeros() -> None:
    res = fit_forecast(pd.DataFrame({"ds": pd.date_range("2024-01-01", periods=90), "y": 0.0}), 28)
    assert res.method == "moving_average" and res.note_keys == ("forecast.all_zero",)
    assert res.forecast[["yhat", "yhat_lower", "yhat_upper"]].eq(0.0).all().all()
    check(res)


def test_f4_intermittent_series() -> None:
    s = weekly_series(120)
    s.loc[s.index % 3 != 0, "y"] = 0.0
    res = fit_forecast(s, 28)
    assert res.method == "moving_average" and "forecast.intermittent" in res.note_keys
    check(res)


def test_f5_falling_series_is_floored_at_zero_and_says_so() -> None:
    s = weekly_series(120, level=1000, trend=-8)      # reaches ~50 by the end and keeps falling
    res = fit_forecast(s, 60)
    assert res.method == "prophet"
    assert "forecast.floored_at_zero" in res.note_keys
    assert res.forecast["yhat"].min() == 0.0
    assert res.samples is not None and (res.samples >= 0).all()
    check(res, 60)


def test_f6_a_1e12_outlier_is_left_out_and_listed() -> None:
    s = weekly_series(120)
    s.loc[60, "y"] = 1e12
    res = fit_forecast(s, 28)
    assert res.method == "prophet" and "forecast.outliers_removed" in res.note_keys
    assert res.outliers["ds"].tolist() == [s.loc[60, "ds"]]
    assert res.outliers["actual"].tolist() == [1e12]
    assert res.history.loc[res.history["ds"] == s.loc[60, "ds"], "y"].isna().all()
    assert res.forecast["yhat_upper"].max() < 3 * s["y"].drop(60).max()
    check(res)


def test_f7_a_60_day_gap_is_allowed_and_not_filled() -> None:
    s = weekly_series(200).drop(index=range(80, 140))
    res = fit_forecast(s, 28)
    assert res.method == "prophet" and "forecast.gap" in res.note_keys
    gap = next(n for n in res.notes if n.key == "forecast.gap")
    assert gap.params["days"] == 60
    assert res.history["actual"].isna().sum() == 60   # still missing, not interpolated
    check(res)


def test_f7_a_long_run_of_zeros_inside_an_active_history_is_treated_as_missing() -> None:
    s = weekly_series(200)
    s.loc[80:139, "y"] = 0.0
    res = fit_forecast(s, 28)
    assert res.method == "prophet" and "forecast.gap" in res.note_keys
    check(res)


def test_f8_duplicate_dates_are_added_up() -> None:
    s = weekly_series(120)
    dup = pd.concat([s, s.iloc[50:60]], ignore_index=True)
    res = fit_forecast(dup, 28)
    assert "forecast.duplicates_aggregated" in res.note_keys
    assert res.notes[0].params["count"] == 10
    day = s.loc[55, "ds"]
    assert res.history.loc[res.history["ds"] == day, "actual"].item() == pytest.approx(2 * s.loc[55, "y"])
    assert res.history["ds"].is_unique
    check(res)


def test_f9_timezone_aware_dates_become_local_days() -> None:
    s = weekly_series(120)
    s["ds"] = (s["ds"] + pd.Timedelta(hours=23)).dt.tz_localize("Asia/Shanghai")
    res = fit_forecast(s, 28)
    assert "forecast.timezone_removed" in res.note_keys
    assert res.history["ds"].iloc[0] == pd.Timestamp("2023-01-02")   # the local day, not UTC's
    check(res)


def test_f10_nan_nat_inf_and_text_are_ignored_with_counts() -> None:
    s = weekly_series(120).astype({"y": "object"})
    s.loc[5, "y"] = np.nan
    s.loc[6, "y"] = np.inf
    s.loc[7, "y"] = "x"
    s.loc[8, "ds"] = None
    res = fit_forecast(s, 28)
    keys = res.note_keys
    assert "forecast.bad_dates_dropped" in keys and "forecast.non_finite_dropped" in keys
    assert next(n for n in res.notes if n.key == "forecast.non_finite_dropped").params["count"] == 3
    assert res.method == "prophet"
    check(res)


def test_monthly_data_is_not_forecast_as_daily() -> None:
    s = pd.DataFrame({"ds": pd.date_range("2022-01-01", periods=24, freq="MS"), "y": np.linspace(3000, 6000, 24)})
    res = fit_forecast(s, 28)
    assert res.method == "moving_average" and "forecast.not_daily" in res.note_keys
    assert res.forecast["yhat"].iloc[0] < 300    # per day, not per month
    check(res)


def test_engine_failure_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    import lib.forecast.model as model

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("Error during optimization!")

    monkeypatch.setattr(model, "_prophet", broken)
    res = fit_forecast(weekly_series(120), 28)
    assert res.method == "seasonal_naive" and "forecast.engine_failed" in res.note_keys
    check(res)


@pytest.mark.parametrize("binary", ["missing", "not_a_program"])
def test_f15_a_broken_stan_backend_falls_back(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                              binary: str) -> None:
    """F15, the real failure: cmdstan's model binary missing (Prophet then fails on its own
    `assert self.stan_backend` with AttributeError) or present but not runnable."""
    import cmdstanpy
    import prophet.models

    exe = tmp_path / "prophet_model.bin"
    if binary == "not_a_program":
        exe.write_bytes(b"\x7fELF not really")
        exe.chmod(0o644)
    monkeypatch.setattr(prophet.models.CmdStanPyBackend, "load_model",
                        lambda self: cmdstanpy.CmdStanModel(exe_file=str(exe)))
    series = weekly_series(120)
    res = fit_forecast(series, 28)
    assert res.method == "seasonal_naive" and "forecast.engine_failed" in res.note_keys
    if binary == "missing":
        failed = next(n for n in res.notes if n.key == "forecast.engine_failed")
        assert failed.params["reason"] == "EngineUnavailable"
    # Seasonal naive: each future day repeats the same weekday of the last observed week.
    last_week = series["y"].to_numpy()[-7:]
    assert np.allclose(res.forecast["yhat"].to_numpy(), np.tile(last_week, 4))
    check(res)


def test_f16_a_fit_past_its_time_limit_is_stopped_and_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    """F16, the real mechanism: cmdstan's optimiser is given FIT_TIMEOUT_S and ended when it
    runs over (here 0.01 s, which no fit meets); the forecast says so and falls back."""
    import time

    import lib.forecast.model as model

    monkeypatch.setattr(model, "FIT_TIMEOUT_S", 0.01)
    started = time.monotonic()
    res = fit_forecast(weekly_series(400), 28)
    assert time.monotonic() - started < 30
    assert res.method == "seasonal_naive" and "forecast.engine_failed" not in res.note_keys
    (stopped,) = [n for n in res.notes if n.key == "forecast.fit_timeout"]
    assert stopped.text == ("The full model took longer than 0.01 seconds to fit and was stopped; "
                            "using the same weekday of the last week (seasonal naive) instead.")
    check(res)


def test_an_implausible_fit_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    import lib.forecast.model as model
    real = model._prophet

    def wild(*args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        fit = real(*args, **kwargs)
        fit.forecast = fit.forecast.assign(yhat_upper=fit.forecast["yhat_upper"] * 1e6)
        return fit

    monkeypatch.setattr(model, "_prophet", wild)
    res = fit_forecast(weekly_series(120), 28)
    assert res.method == "seasonal_naive" and "forecast.implausible" in res.note_keys
    check(res)


@pytest.mark.parametrize("horizon", [0, -3, 367, 2.5, True])
def test_an_invalid_horizon_is_a_typed_error(horizon: object) -> None:
    with pytest.raises(ForecastError, match="horizon"):
        fit_forecast(weekly_series(60), horizon)  # type: ignore[arg-type]
