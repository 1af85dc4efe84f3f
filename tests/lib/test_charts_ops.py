"""The Operations page's charts, rendered as a report renders them (lib/report.chart_svg):
every stage keeps its label, and the month axis writes each month once."""
from __future__ import annotations

import re

import pandas as pd

from lib.charts_ops import sla_trend_chart, stage_chart
from lib.report import chart_svg


def labels(chart) -> list[str]:  # type: ignore[no-untyped-def]
    return re.findall(r"<text[^>]*>([^<]*)</text>", chart_svg(chart))


def trend(months: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"period": pd.to_datetime(months).date, "orders": 100, "breaches": 20,
                         "breach_rate": 0.2, "median_h": 30.0})


def months_in(shown: list[str]) -> list[str]:
    return [x for x in shown if re.fullmatch(r"\d{4}-\d{2}", x)]


def test_two_months_are_two_ticks() -> None:
    # a real 34-day export: thirty ticks, every one written '2023-04'
    assert months_in(labels(sla_trend_chart(trend(["2023-04-01", "2023-05-01"])))) == ["2023-04", "2023-05"]


def test_many_months_are_at_most_twelve_ticks_each_once() -> None:
    months = [str(d.date()) for d in pd.date_range("2023-10-01", "2025-12-01", freq="MS")]
    shown = months_in(labels(sla_trend_chart(trend(months))))
    assert shown == [m[:7] for m in months[::3]] and len(shown) == 9  # every third of 27 months


def test_every_stage_keeps_its_label_and_a_row_of_its_own() -> None:
    stages = pd.DataFrame({"stage": ["created_to_paid", "paid_to_fulfilled", "created_to_cancelled"],
                           "orders": [3833, 3722, 35], "median_h": [0.0, 32.7, 12.5],
                           "p90_h": [0.0, 81.9, 33.8], "mean_h": [0.0, 54.8, 16.8]})
    chart = stage_chart(stages)
    assert chart.to_dict()["height"] == {"step": 34}  # a fixed total squeezed three stages into 60 px
    assert labels(chart)[-3:] == ["Order → payment", "Payment → shipment", "Order → cancellation"]
