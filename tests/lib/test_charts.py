"""lib.charts through `to_dict()`: one visual language, channel colours the same everywhere."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from lib import charts

DAYS = pd.to_datetime([date(2024, 3, 1), date(2024, 3, 2)])
BY_CHANNEL = pd.DataFrame({"day": list(DAYS) * 2, "channel": ["web", "web", "taobao", "taobao"],
                           "sales": [1.0, 2.0, 3.0, 4.0]})


def color_scale(spec: dict) -> dict[str, str]:
    scale = spec["encoding"]["color"]["scale"]
    return dict(zip(scale["domain"], scale["range"]))


def test_a_channel_has_one_colour_on_every_chart() -> None:
    trend = charts.trend(BY_CHANNEL, "day", "sales", x_title="Day", y_title="USD",
                         color="channel", color_title="Channel").to_dict()
    bars = charts.stacked_bars(BY_CHANNEL, "day", "sales", "channel", x_title="Day",
                               y_title="USD", stack_title="Channel").to_dict()
    totals = BY_CHANNEL.groupby("channel", as_index=False)["sales"].sum()
    breakdown = charts.breakdown_bars(totals, "channel", "sales", key_title="Channel",
                                      value_title="USD", by_channel=True).to_dict()
    expected = {"taobao": "#FF5000", "web": "#3B6EA8"}
    assert color_scale(trend) == color_scale(bars) == color_scale(breakdown) == expected


def test_unknown_channels_get_a_stable_colour_from_their_name() -> None:
    assert charts.channel_color("Wholesale") == charts.channel_color("wholesale") == "#6B4C9A"
    first = charts.channel_color("my-market-stall")
    assert first == charts.channel_color("my-market-stall") and first in charts.FALLBACK


def test_every_chart_shares_font_and_frame() -> None:
    specs = [
        charts.sparkline(BY_CHANNEL, "day", "sales"),
        charts.trend(BY_CHANNEL, "day", "sales", x_title="Day", y_title="USD"),
        charts.waterfall([("Before", 10, "total"), ("Orders", 5, "delta"), ("Now", 15, "total")],
                         value_title="USD"),
        charts.heatmap(pd.DataFrame({"hour": [0], "weekday": ["Mon"], "orders": [3]}), "hour",
                       "weekday", "orders", x_title="Hour", y_title="Weekday", value_title="Orders"),
        charts.paired_bars(pd.DataFrame({"k": ["a", "a"], "v": [1, 2], "p": ["now", "before"]}),
                           "k", "v", "p", key_title="K", value_title="V", period_title="P"),
    ]
    for spec in (c.to_dict() for c in specs):
        assert spec["config"]["font"] == charts.FONT
        assert spec["config"]["view"]["strokeWidth"] == 0
        assert spec["width"] == "container"


def test_sparkline_is_a_bare_line() -> None:
    spec = charts.sparkline(BY_CHANNEL, "day", "sales", height=40).to_dict()
    assert spec["mark"]["type"] == "line" and spec["height"] == 40
    assert spec["encoding"]["x"]["axis"] is None and spec["encoding"]["y"]["axis"] is None
    # only its own two columns travel with it (BY_CHANNEL also has `channel`)
    (rows,) = spec["datasets"].values()
    assert {k for row in rows for k in row} == {"day", "sales"}


def test_waterfall_bars_start_where_the_previous_ended() -> None:
    steps = [("Before", 100.0, "total"), ("Orders", 30.0, "delta"), ("AOV", -20.0, "delta"),
             ("Now", 110.0, "total")]
    frame = charts.waterfall_frame(steps)
    assert list(zip(frame["start"], frame["end"], frame["tone"])) == [
        (0.0, 100.0, "total"), (100.0, 130.0, "up"), (130.0, 110.0, "down"), (0.0, 110.0, "total")]
    spec = charts.waterfall(steps, value_title="USD").to_dict()
    bars, labels = spec["layer"]
    assert bars["encoding"]["x"]["sort"] == ["Before", "Orders", "AOV", "Now"]
    assert bars["encoding"]["y2"]["field"] == "end"
    # each bar says its amount just above its top, a change with its sign
    assert (labels["mark"]["type"], labels["encoding"]["y"]["field"]) == ("text", "top")
    assert list(zip(frame["top"], frame["text"])) == [
        (100.0, "100.00"), (130.0, "+30.00"), (130.0, "-20.00"), (110.0, "110.00")]
    tones = bars["encoding"]["color"]["scale"]
    assert dict(zip(tones["domain"], tones["range"])) == {"total": charts.TOTAL, "up": charts.UP,
                                                           "down": charts.DOWN}
    data = next(iter(spec["datasets"].values()))
    assert [d["amount"] for d in data] == [100.0, 30.0, -20.0, 110.0]


def test_breakdown_bars_sort_largest_first_in_one_colour_unless_channels() -> None:
    df = pd.DataFrame({"category": ["Toys", "Beds"], "sales": [5.0, 9.0]})
    spec = charts.breakdown_bars(df, "category", "sales", key_title="Category",
                                 value_title="USD").to_dict()
    assert spec["encoding"]["y"]["sort"] == "-x"
    assert spec["encoding"]["color"] == {"value": charts.PRIMARY}
    assert spec["height"] == 120


@pytest.mark.parametrize("order", [["Mon", "Tue"], None])
def test_heatmap_orders_weekdays_as_given(order: list[str] | None) -> None:
    df = pd.DataFrame({"hour": [1, 2], "weekday": ["Tue", "Mon"], "orders": [3, 4]})
    spec = charts.heatmap(df, "hour", "weekday", "orders", x_title="Hour", y_title="Day",
                          value_title="Orders", y_order=order).to_dict()
    assert spec["mark"]["type"] == "rect"
    assert spec["encoding"]["y"].get("sort") == order
    assert spec["encoding"]["color"]["scale"] == {"scheme": "blues"}


def test_the_code_chart_gives_each_code_a_row_of_its_own() -> None:
    """A fixed total height let the axes squeeze eight bars until every other code label was
    dropped as overlapping (seen on the demo store); the chart is sized per bar instead."""
    from lib.charts_pricing import code_chart

    table = pd.DataFrame({"code": [None, "BFCM25", "SPRING15"], "aov": [66.7, 53.5, 59.8],
                          "orders": [10, 3, 2], "aov_vs_no_code": [0.0, -0.2, -0.1],
                          "discount_rate": [0.01, 0.25, 0.15]})
    spec = code_chart(table, "USD").to_dict()
    assert spec["height"] == {"step": 28}
    bars = spec["layer"][0]
    assert bars["encoding"]["y"]["field"] == "label" and bars["encoding"]["y"]["sort"] is None


def test_waterfall_labels_are_short_like_the_cards_in_each_language() -> None:
    steps = [("Gross sales", 5_771_873.58, "total"), ("Discounts", -133_825.68, "delta"),
             ("Refunds", -171_104.88, "delta"), ("Net sales", 5_466_943.02, "total")]
    assert list(charts.waterfall_frame(steps)["text"]) == ["5.77M", "-133.8K", "-171.1K", "5.47M"]
    assert list(charts.waterfall_frame(steps, "zh")["text"]) == [
        "577.19万", "-13.38万", "-17.11万", "546.69万"]


def test_waterfall_writes_a_zero_change_without_a_sign() -> None:
    """Online Retail has no discounts: the step was labelled '-0.00' (the negated zero)."""
    steps = [("Gross sales", 100.0, "total"), ("Discounts", -0.0, "delta"),
             ("Refunds", -0.004, "delta"), ("Net sales", 100.0, "total")]
    assert list(charts.waterfall_frame(steps)["text"]) == ["100.00", "0.00", "0.00", "100.00"]


def test_amount_bars_keep_few_round_ticks_in_a_report() -> None:
    """The shop report's 'Net sales by channel' wrote eighteen labels 200,000 apart, run into
    each other in the reader's font; now a few round ones at the report's width."""
    import re

    from lib.report import chart_svg

    df = pd.DataFrame({"channel": ["shopify", "taobao"], "net": [3_476_236.70, 1_990_537.18]})
    svg = chart_svg(charts.breakdown_bars(df, "channel", "net", key_title="Channel",
                                          value_title="Net sales", by_channel=True))
    ticks = [t for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg) if re.fullmatch(r"[\d,]+", t)]
    assert ticks == ["0", "500,000", "1,000,000", "1,500,000", "2,000,000", "2,500,000",
                     "3,000,000", "3,500,000"]


def test_time_bars_span_their_bucket_less_a_gap() -> None:
    """Five weeks of a real export drew five spikes a few pixels wide: each bar now spans 85 %
    of its day, week or month (February's 29 days in 2024)."""
    df = pd.DataFrame({"bucket": pd.to_datetime(["2024-01-29", "2024-02-01"]),
                       "net": [10.0, 20.0], "channel": ["web", "web"]})
    spec = charts.stacked_bars(df, "bucket", "net", "channel", x_title="Week", y_title="USD",
                               stack_title="Channel", bucket="month").to_dict()
    assert spec["encoding"]["x2"]["field"] == "_bar_end"
    ends = [pd.Timestamp(r["_bar_end"]) for r in spec["datasets"][spec["data"]["name"]]]
    assert ends == [pd.Timestamp("2024-01-29") + pd.Timedelta(hours=632, minutes=24),  # 0.85 × 31 d
                    pd.Timestamp("2024-02-01") + pd.Timedelta(hours=591, minutes=36)]  # 0.85 × 29 d
    week = charts.stacked_bars(df, "bucket", "net", "channel", x_title="Week", y_title="USD",
                               stack_title="Channel", bucket="week").to_dict()
    assert pd.Timestamp(week["datasets"][week["data"]["name"]][0]["_bar_end"]) == (
        pd.Timestamp("2024-01-29") + pd.Timedelta(hours=142, minutes=48))  # 0.85 × 7 d
    plain = charts.stacked_bars(df, "bucket", "net", "channel", x_title="Week", y_title="USD",
                                stack_title="Channel").to_dict()
    assert "x2" not in plain["encoding"]


def test_a_short_day_axis_writes_each_day_once() -> None:
    """Over a few days Vega ticked every few hours: '2024-01-05' eight times. Within 60 days the
    axis ticks every k-th day (about twelve ticks); longer spans keep Vega's own ticks."""
    import re

    from lib.report import chart_svg

    def ticks(days: int) -> list[str]:
        df = pd.DataFrame({"day": pd.date_range("2024-01-05", periods=days), "v": range(days)})
        chart = charts.trend(df, "day", "v", x_title="Day", y_title="USD")
        return [x for x in re.findall(r"<text[^>]*>([^<]*)</text>", chart_svg(chart))
                if re.fullmatch(r"\d{4}-\d{2}-\d{2}", x)]

    assert ticks(3) == ["2024-01-05", "2024-01-06", "2024-01-07"]
    shown = ticks(34)  # a real export's month: every third day, each once
    days = pd.to_datetime(pd.Series(shown)).diff().dropna().dt.days
    # (Vega counts the steps from each month's first day: Jan 31 → Feb 1 is one)
    assert len(shown) == len(set(shown)) >= 10 and set(days) <= {1, 2, 3} and days.mode()[0] == 3
    assert charts.day_axis(pd.date_range("2023-10-01", "2025-12-31")).to_dict() == {
        "format": "%Y-%m-%d", "labelAngle": 0}
