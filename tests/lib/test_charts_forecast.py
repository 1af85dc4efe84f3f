"""lib/charts_forecast.py: the forecast chart (via to_dict), the display tables and the notes in
both languages."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from lib.charts_forecast import (
    backtest_table,
    backtest_verdict,
    change_delta,
    fmt_amount,
    forecast_chart,
    lift_sentence,
    lift_table,
    markers_frame,
    note_text,
)
from lib.forecast.backtest import BacktestResult
from lib.forecast.lift import LiftResult
from lib.forecast.notes import TEMPLATES, note
from lib.i18n import STRINGS, placeholders

HIST = pd.DataFrame({"ds": pd.date_range("2025-01-01", periods=200, freq="D"), "actual": 100.0})
FC = pd.DataFrame({"ds": pd.date_range("2025-07-20", periods=14, freq="D"), "yhat": 120.0,
                   "yhat_lower": 90.0, "yhat_upper": 150.0})
FESTIVALS = pd.DataFrame({"holiday": ["prime_day", "double_11"],
                          "ds": pd.to_datetime(["2025-07-22", "2025-11-11"]),
                          "lower_window": [0, -10], "upper_window": [1, 0]})
CALENDAR = pd.DataFrame({"name": ["Iced Tea Summer", "Spring Sale"],
                         "start": pd.to_datetime(["2025-07-14", "2025-03-10"]),
                         "end": pd.to_datetime(["2025-07-25", "2025-03-16"]), "discount_pct": [0.2, 0.15]})


def _layers(spec: dict) -> list[dict]:
    return spec["layer"]


def _rows(spec: dict, layer: dict) -> list[dict]:
    return spec["datasets"][layer["data"]["name"]]


# -- the chart ------------------------------------------------------------------------------------
def test_markers_are_festival_days_and_promotions_within_the_range() -> None:
    m = markers_frame(FESTIVALS, CALENDAR, pd.Timestamp("2025-07-18"), pd.Timestamp("2025-08-02"))
    assert m[["ds", "name", "kind", "kind_label"]].values.tolist() == [
        [pd.Timestamp("2025-07-18"), "Iced Tea Summer", "promotion", "Promotion"],  # running: at the start
        [pd.Timestamp("2025-07-22"), "Amazon Prime Day", "festival", "Shopping festival"],  # display name of its id
    ]
    assert markers_frame(None, None, pd.Timestamp("2025-01-01"), pd.Timestamp("2025-02-01")).empty
    assert markers_frame(FESTIVALS, CALENDAR, pd.Timestamp("2025-07-18"), pd.Timestamp("2025-08-02"),
                         "zh")["kind_label"].tolist() == ["促销", "购物节"]


def test_chart_has_band_lines_and_marker_rules() -> None:
    m = markers_frame(FESTIVALS, CALENDAR, pd.Timestamp("2025-05-01"), pd.Timestamp("2025-08-02"))
    spec = forecast_chart(HIST, FC, m, value_title="Net sales", history_days=60).to_dict()
    band, lines, rules = _layers(spec)
    assert band["mark"]["type"] == "area"
    assert (band["encoding"]["y"]["field"], band["encoding"]["y2"]["field"]) == ("yhat_lower", "yhat_upper")
    assert lines["mark"]["type"] == "line"
    assert lines["encoding"]["y"]["title"] == "Net sales"
    assert lines["encoding"]["color"]["scale"]["domain"] == ["Actual", "Forecast"]
    assert rules["mark"]["type"] == "rule"
    assert {r["name"] for r in _rows(spec, rules)} == {"Iced Tea Summer", "Amazon Prime Day"}
    line_rows = _rows(spec, lines)
    actual = [r for r in line_rows if r["series"] == "Actual"]
    assert len(actual) == 60                                  # only the last 60 days of history
    assert actual[-1]["ds"].startswith("2025-07-19")
    assert [r["value"] for r in line_rows if r["series"] == "Forecast"] == [120.0] * 14
    assert [r["yhat_upper"] for r in _rows(spec, band)] == [150.0] * 14


def test_chart_draws_the_pre_what_if_forecast_dashed_and_follows_the_language() -> None:
    scaled = FC.assign(yhat=FC["yhat"] * 1.1)
    spec = forecast_chart(HIST, scaled, None, lang="zh", baseline=FC).to_dict()
    assert len(_layers(spec)) == 2                            # no markers: no rule layer
    lines = _layers(spec)[1]
    assert lines["encoding"]["color"]["scale"]["domain"] == ["实际", "预测", "调整前的预测"]
    assert lines["encoding"]["strokeDash"]["scale"]["range"][2] == [5, 4]
    assert lines["encoding"]["x"]["title"] == "日期"
    rows = _rows(spec, lines)
    assert [r["value"] for r in rows if r["series"] == "调整前的预测"] == [120.0] * 14
    assert [round(r["value"], 6) for r in rows if r["series"] == "预测"] == [132.0] * 14


# -- backtest table and verdict ---------------------------------------------------------------------
BT = BacktestResult(horizon=28, folds=(), mae=4435.84, mape=21.3159, mase=0.84395, baseline_mae=7529.87,
                    coverage=0.6875, interval_width=0.8)


def test_backtest_table_sits_beside_the_baseline() -> None:
    df = backtest_table(BT, "net_sales", "CNY")
    assert list(df.columns) == ["Measure", "This forecast", "Baseline (same weekday last week)"]
    assert df.values.tolist() == [
        ["MAE: average miss per day", "CNY 4,436", "CNY 7,530"],
        ["MAE relative to the baseline", "0.59", "1.00"],
        ["MASE: below 1 beats a naive weekly forecast", "0.844", "—"],
        ["Days inside the 80% band", "68.8%", "—"],
        ["MAPE: average % miss", "21.3%", "—"],
    ]
    zh = backtest_table(BT, "orders", None, "zh")
    assert list(zh.columns) == ["指标", "本预测", "基准（上周同一天）"]
    assert zh.iloc[0].tolist() == ["MAE：每天平均误差", "4,436 单", "7,530 单"]


def test_missing_figures_show_a_dash_and_the_verdict_follows_relative_mae() -> None:
    empty = BacktestResult(28, (), None, None, None, None, None, 0.8)
    assert backtest_table(empty, "units", None)["This forecast"].tolist() == ["—"] * 5
    assert backtest_verdict(empty) == ("none", "No backtest could be run, so nothing shows yet whether "
                                               "this forecast beats the baseline.")
    assert backtest_verdict(BT)[0] == "better" and "41% less" in backtest_verdict(BT)[1]
    worse = BacktestResult(28, (), 120.0, None, 1.3, 100.0, 0.8, 0.8)
    assert backtest_verdict(worse, "zh") == ("worse", "回测中，本预测的误差比基准大 20%：建议参考基准，或谨慎使用。")


# -- lifts ---------------------------------------------------------------------------------------------
def _lift(lift: float, lo: float, hi: float, method: str | None = "prophet") -> LiftResult:
    return LiftResult(name="双11 2024", start=date(2024, 11, 1), end=date(2024, 11, 11), method=method,  # type: ignore[arg-type]
                      actual=1000.0 + lift, expected=1000.0, lift=lift, lift_lower=lo, lift_upper=hi, days=11,
                      interval_width=0.8, currency="CNY")


def test_lift_sentences_in_both_languages() -> None:
    assert lift_sentence(_lift(500, 200, 800), "net_sales") == (
        "双11 2024 added CNY 500 (range CNY 200 to CNY 800) over what the baseline predicts.")
    assert lift_sentence(_lift(500, 200, 800), "net_sales", "zh") == "双11 2024 比基准预测多带来 CNY 500（区间 CNY 200 至 CNY 800）。"
    assert lift_sentence(_lift(-50, -300, 100), "net_sales") == (
        "双11 2024 came in CNY 50 below what the baseline predicts (range of the difference CNY −300 to CNY 100). "
        "The range includes zero, so the effect is not clear.")
    assert lift_sentence(_lift(0, 0, 0, None), "net_sales", "zh") == "双11 2024：2024-11-01 之前的历史不足，无法估计其提升。"


def test_lift_table_one_row_per_promotion() -> None:
    table = lift_table([_lift(500, 200, 800), _lift(0, 0, 0, None)], "net_sales")
    assert table.columns == ["Promotion", "From", "To", "Actual (CNY)", "Baseline (CNY)", "Lift (CNY)",
                             "Range from (CNY)", "Range to (CNY)", "Lift %", "In words"]
    df = table.text_frame()
    assert df.iloc[0, :9].tolist() == ["双11 2024", "2024-11-01", "2024-11-11", "1,500", "1,000", "500",
                                       "200", "800", "+50.0%"]
    assert df.iloc[1, 3:9].tolist() == ["—"] * 6
    assert table.column("Lift (CNY)")[0] == 500.0  # a number: the promotions rank by it
    orders = lift_table([_lift(500, 200, 800)], "orders", "zh")
    assert orders.columns[3:6] == ["实际（单）", "基准预测（单）", "提升（单）"]


def test_amounts_by_metric() -> None:
    assert fmt_amount(1234.4, "net_sales", "USD") == "USD 1,234"
    assert fmt_amount(-1234.4, "net_sales", "XYZ") == "XYZ −1,234"
    assert fmt_amount(1234.4, "units", None, "zh") == "1,234 件"
    assert fmt_amount(-3, "orders", None) == "−3 orders"
    assert fmt_amount(None, "orders", None) == "—"


# -- notes ---------------------------------------------------------------------------------------------
def test_every_lib_note_key_is_translated_with_its_placeholders() -> None:
    missing = sorted(k for k in TEMPLATES if k not in STRINGS)
    assert missing == []
    for key, template in TEMPLATES.items():
        en, zh = STRINGS[key]
        assert placeholders(en) == placeholders(zh) <= placeholders(template) | {"method_label"}, key


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_notes_render_from_their_key_and_params(lang: str) -> None:
    n = note("forecast.short_history", days=10, nonzero=9, needed=28, span=14, method="seasonal_naive")
    text = note_text(n, lang)
    if lang == "en":
        assert text == n.text  # the English translation says what the lib says
    else:
        assert text == ("历史只有 10 天（其中 9 天有销售）；完整模型至少需要在 14 天内有 28 天有销售。"
                        "改用上周同一天的数值（季节性朴素法）。")


def test_closed_weekday_names_are_translated_and_unknown_keys_fall_back() -> None:
    n = note("forecast.closed_weekdays", days="Mondays, Sundays")
    assert note_text(n, "zh").startswith("周一、周日（几乎）从来没有销售")
    assert note_text(n, "en") == n.text
    odd = type(n)(key="forecast.something_new", text="Plain English.")
    assert note_text(odd, "zh") == "Plain English."


def test_a_first_festival_in_the_window_is_said_in_both_languages() -> None:
    from dataclasses import replace

    from lib.forecast.notes import note

    lift = replace(_lift(500, 200, 800), notes=(note("lift.festival_unseen", names="Black Friday"),))
    assert lift_sentence(lift, "net_sales").endswith(
        "over what the baseline predicts. Black Friday fell in it for the first time, so this includes "
        "the festival's own effect.")
    assert lift_sentence(lift, "net_sales", "zh").endswith("窗口内首次出现Black Friday，因此其中也包含该节日本身的效果。")
    assert lift_table([lift], "net_sales").texts("In words")[0] == lift_sentence(lift, "net_sales")
    # With the festival's id (as lib.forecast.lift writes it), Chinese names it in Chinese.
    by_id = replace(lift, notes=(note("lift.festival_unseen", names="Black Friday", holidays="black_friday"),))
    assert lift_sentence(by_id, "net_sales", "zh").endswith("窗口内首次出现黑色星期五（黑五），因此其中也包含该节日本身的效果。")
    assert lift_sentence(by_id, "net_sales") == lift_sentence(lift, "net_sales")


def test_public_holidays_in_a_note_are_named_in_chinese() -> None:
    from lib.forecast.model import _holiday_note

    n = _holiday_note("forecast.special_days_widened", ["Martin Luther King Jr. Day", "New Year's Day"])
    assert n.text.startswith("The band is wider on Martin Luther King Jr. Day, New Year's Day:")
    assert note_text(n, "zh").startswith("马丁·路德·金纪念日、元旦")
    assert note_text(n, "en") == n.text


@pytest.mark.parametrize(("pct", "shown"), [
    (None, None), (0.0, None), (0.04, None), (-0.04, None),  # no '+0.0%' or '-0.0%' arrow
    (0.05, "+0.1%"), (13.85, "+13.8%"), (-1.0, "-1.0%")])
def test_a_what_ifs_change_is_a_delta_only_when_it_shows(pct: float | None, shown: str | None) -> None:
    assert change_delta(pct) == shown
