"""The Operations page's charts, rendered as a report renders them (lib/report.chart_svg):
every stage keeps its label, and the month axis writes each month once."""
from __future__ import annotations

import re

import pandas as pd

from lib import charts_ops
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


def test_stress_cards_show_a_change_only_where_there_is_one() -> None:
    from types import SimpleNamespace as NS

    base = NS(revenue=14_300.2, margin=13_694.0, margin_rate=0.9576, stockouts=0)
    same = charts_ops.stress_cards(NS(baseline=base, scenario=base, currency="USD"))
    assert [c[1:] for c in same] == [("USD 14,300", None, False), ("USD 13,694", None, False),
                                     ("95.8%", None, False), ("0", None, True)]
    shocked = NS(revenue=10_010.0, margin=9_404.4, margin_rate=0.9395, stockouts=2)
    zh = charts_ops.stress_cards(NS(baseline=base, scenario=shocked, currency="USD"), "zh")
    assert [c[2] for c in zh] == ["-USD 4,290", "-USD 4,290", "-1.8 个百分点", "+2"]


def test_a_margin_without_cost_of_goods_says_so() -> None:
    from types import SimpleNamespace as NS

    def result(cogs: float) -> NS:
        f = NS(revenue=14_300.0, cost_of_goods=cogs, margin=0.0, margin_rate=0.0, stockouts=0)
        return NS(baseline=f, scenario=f, currency="USD")
    assert charts_ops.stress_cost_note(result(0.0)).startswith("No cost of goods in these figures")
    assert charts_ops.stress_cost_note(result(5_000.0)) is None
