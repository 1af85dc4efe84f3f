"""What the full model learns: weekly pattern and trend, festivals, promotions, closed days."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from lib.forecast.backtest import backtest
from lib.forecast.festivals import default_festivals
from lib.forecast.model import TREND_MIN_SPAN_DAYS, YEARLY_MIN_SPAN_DAYS, ForecastOptions, fit_forecast
from tests.lib.forecast.shop import MARKETPLACE_WEEK, weekly_series


def test_weekly_pattern_and_trend_beat_seasonal_naive_in_the_backtest() -> None:
    s = weekly_series(400, seed=3)
    bt = backtest(s, 28, folds=4)
    assert [f.method for f in bt.folds] == ["prophet"] * 4
    assert bt.mase is not None and bt.mase < 1.0
    assert bt.baseline_mae is not None and bt.mae is not None and bt.mae < bt.baseline_mae
    assert bt.coverage is not None and 0.5 <= bt.coverage <= 1.0
    assert bt.mape is not None and bt.mape < 10
    print(f"synthetic: MAE {bt.mae:.1f} MASE {bt.mase:.3f} baseline MAE {bt.baseline_mae:.1f} "
          f"coverage {bt.coverage:.2f}")


def test_the_forecast_keeps_the_weekly_shape() -> None:
    res = fit_forecast(weekly_series(400, noise=0.02), 14)
    fc = res.forecast.assign(wd=res.forecast["ds"].dt.day_of_week)
    by_wd = fc.groupby("wd")["yhat"].mean()
    assert by_wd.idxmax() == 5 and by_wd.idxmin() == 0        # Saturday high, Monday low
    assert by_wd[5] / by_wd[0] == pytest.approx(1.3 / 0.8, rel=0.08)


def test_same_input_same_output() -> None:
    s = weekly_series(200)
    a, b = fit_forecast(s, 28), fit_forecast(s, 28)
    pd.testing.assert_frame_equal(a.forecast, b.forecast)
    np.testing.assert_array_equal(a.samples, b.samples)


def test_yearly_seasonality_only_with_two_years_and_a_margin() -> None:
    exactly_two_years = fit_forecast(weekly_series(730), 7)
    assert exactly_two_years.info["yearly_seasonality"] is False
    assert "forecast.yearly_off" in exactly_two_years.note_keys
    longer = fit_forecast(weekly_series(YEARLY_MIN_SPAN_DAYS), 7)
    assert longer.info["yearly_seasonality"] is True
    assert "forecast.yearly_off" not in longer.note_keys


def test_a_few_weeks_hold_the_trend_flat_and_eight_weeks_follow_it() -> None:
    """34 days rising 2 % a day: extrapolated, the next four weeks would run far above the last
    week; held flat they stay below it. From 56 days (TREND_MIN_SPAN_DAYS) the trend is fitted."""
    short = weekly_series(34, trend=20.0, noise=0.02)
    res = fit_forecast(short, 28)
    assert res.method == "prophet" and "forecast.trend_flat" in res.note_keys
    assert "forecast.yearly_off" not in res.note_keys  # the flat-trend note says it too
    assert res.forecast["yhat"].mean() < short["y"].tail(7).mean()
    longer = weekly_series(TREND_MIN_SPAN_DAYS, trend=20.0, noise=0.02)
    res = fit_forecast(longer, 28)
    assert "forecast.trend_flat" not in res.note_keys and "forecast.yearly_off" in res.note_keys
    assert res.forecast["yhat"].mean() > longer["y"].tail(7).mean()


def test_closed_weekdays_are_forecast_as_zero() -> None:
    s = weekly_series(200)
    s.loc[s["ds"].dt.day_of_week == 5, "y"] = 0.0     # never open on Saturdays
    res = fit_forecast(s, 28)
    assert "forecast.closed_weekdays" in res.note_keys and "Saturdays" in res.notes[-1].text or any(
        "Saturdays" in n.text for n in res.notes)
    sat = res.forecast["ds"].dt.day_of_week == 5
    assert res.forecast.loc[sat, ["yhat", "yhat_lower", "yhat_upper"]].eq(0).all().all()
    assert (res.forecast.loc[~sat, "yhat"] > 500).all()


def _festival_series() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Three years with an 11.11 peak (×5) every year, cut before the third one.

    A marketplace-like week: Prophet adds a festival's effect to the weekday's inside its
    multiplier, so a peak learnt on strong weekdays is overestimated on a weak one when the
    weekday swing is large (a known limit, in the report).
    """
    s = weekly_series(3 * 365, start="2022-01-03", trend=0.2, noise=0.04, seed=11, week=MARKETPLACE_WEEK)
    peak = (s["ds"].dt.month == 11) & (s["ds"].dt.day == 11)
    s.loc[peak, "y"] *= 5
    return s, default_festivals(["CN"])


def test_a_festival_seen_in_history_is_forecast_within_its_interval() -> None:
    s, fest = _festival_series()
    hist = s[s["ds"] <= "2024-10-31"]
    res = fit_forecast(hist, 30, festivals=fest)
    day = res.forecast[res.forecast["ds"] == "2024-11-11"].iloc[0]
    actual = s.loc[s["ds"] == "2024-11-11", "y"].item()
    assert day.yhat_lower <= actual <= day.yhat_upper
    assert day.yhat > 3 * res.forecast["yhat"].median()
    assert "forecast.special_days_widened" in res.note_keys
    # Peaks are exempt from the outlier screen: they are what the model must learn.
    assert not res.outliers["ds"].dt.strftime("%m-%d").eq("11-11").any()


def test_a_festival_the_history_never_saw_is_named() -> None:
    s = weekly_series(120, start="2024-07-01")
    res = fit_forecast(s, 60, festivals=default_festivals(["CN"]))
    unseen = next(n for n in res.notes if n.key == "forecast.festival_unseen")
    assert "11.11" in unseen.text
    # The ids travel with the note, so a page names them in its language.
    from lib.charts_forecast import note_text

    assert "double_11" in unseen.params["holidays"].split("|")
    assert "双11（光棍节）" in note_text(unseen, "zh") and "11.11 Singles' Day" in note_text(unseen, "en")


def _promo_series() -> tuple[pd.DataFrame, pd.DataFrame]:
    """A 20 % discount week every two months lifts sales by half."""
    s = weekly_series(365, noise=0.03, seed=5)
    depth = pd.DataFrame({"ds": s["ds"], "promo_depth": 0.0})
    for start in pd.date_range("2023-01-16", "2023-12-31", freq="61D"):
        sel = (s["ds"] >= start) & (s["ds"] < start + pd.Timedelta(days=7))
        s.loc[sel, "y"] *= 1.5
        depth.loc[sel, "promo_depth"] = 0.2
    return s, depth


def test_planned_promotions_raise_the_forecast_on_their_days() -> None:
    s, depth = _promo_series()
    plan = pd.DataFrame({"name": ["Spring sale"], "start": ["2024-01-10"], "end": ["2024-01-16"],
                         "discount_pct": [20]})
    res = fit_forecast(s, 28, promotions=depth, future_promotions=plan)
    assert res.info["promo_regressor"] is True and "forecast.promotions_used" in res.note_keys
    fc = res.forecast.set_index("ds")["yhat"]
    in_promo = fc["2024-01-10":"2024-01-16"].mean()
    week_before = fc["2024-01-03":"2024-01-09"].mean()
    assert in_promo / week_before == pytest.approx(1.5, rel=0.15)
    plain = fit_forecast(s, 28, promotions=depth)
    assert "forecast.no_planned_promotions" in plain.note_keys
    assert plain.forecast.set_index("ds")["yhat"]["2024-01-10":"2024-01-16"].mean() < 1.1 * week_before


def test_result_serialises_to_json() -> None:
    res = fit_forecast(weekly_series(100), 7)
    doc = json.loads(json.dumps(res.to_json()))
    assert doc["method"] == "prophet" and len(doc["forecast"]) == 7
    assert set(doc["forecast"][0]) == {"ds", "yhat", "yhat_lower", "yhat_upper"}
    assert all({"key", "text", "params"} == set(n) for n in doc["notes"])


def test_options_can_force_a_method_for_comparisons() -> None:
    res = fit_forecast(weekly_series(100), 7, options=ForecastOptions(force_method="seasonal_naive"))
    assert res.method == "seasonal_naive"


def test_point_only_fits_give_the_same_forecast_without_band_or_paths() -> None:
    """uncertainty_samples=0 (the lift's placebo windows compare yhat only): the same yhat as
    the full fit, the band collapsed onto it, no sample paths."""
    from dataclasses import replace

    series = weekly_series(400, seed=5)
    full = fit_forecast(series, 14, options=replace(ForecastOptions(), calibrate=False))
    point = fit_forecast(series, 14, options=replace(ForecastOptions(), calibrate=False, uncertainty_samples=0))
    assert full.method == point.method == "prophet"
    assert point.forecast["yhat"].tolist() == pytest.approx(full.forecast["yhat"].tolist(), rel=1e-9)
    assert (point.forecast["yhat_lower"] == point.forecast["yhat"]).all()
    assert (point.forecast["yhat_upper"] == point.forecast["yhat"]).all()
    assert point.samples.shape == (14, 0) and full.samples.shape == (14, 300)


def test_prophet_comes_without_matplotlib_and_matplotlib_still_imports_after() -> None:
    """prophet.plot imports matplotlib (0.45 s) for plots we never draw: lib leaves it out of
    the import, and leaves it importable for anyone who wants it later."""
    import subprocess
    import sys
    from pathlib import Path

    code = ("import sys, lib.forecast.model as m, pandas as pd\n"
            "loaded = 'matplotlib' in sys.modules\n"
            "s = pd.DataFrame({'ds': pd.date_range('2024-01-01', periods=120), 'y': [float(i % 7) + 5 for i in range(120)]})\n"
            "r = m.fit_forecast(s, 7)\n"
            "import matplotlib.pyplot\n"
            "print(loaded, r.method, len(r.forecast))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         cwd=Path(__file__).resolve().parents[3])
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["False", "prophet", "7"]
