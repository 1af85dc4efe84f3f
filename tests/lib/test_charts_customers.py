"""The Customers page's cohort charts, rendered as a report renders them (lib/report.chart_svg):
axis ticks and legend entries are the data's own months, each written once."""
from __future__ import annotations

import re

import pandas as pd

from lib.charts_customers import ltv_chart
from lib.report import chart_svg


def cohorts(months: list[str], ks: int) -> pd.DataFrame:
    """Cohorts starting in `months`, each followed for months 0..ks-1 (retention and LTV made up)."""
    rows = [{"cohort": pd.Timestamp(m), "size": 100, "k": k, "active": 100 // (k + 1),
             "retention": 1 / (k + 1), "ltv": 80.0 + 5 * k, "partial": False}
            for m in months for k in range(ks)]
    return pd.DataFrame(rows)


def labels(coh: pd.DataFrame) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", chart_svg(ltv_chart(coh, "USD")))


def test_two_cohorts_are_two_legend_entries_and_the_axis_counts_whole_months() -> None:
    # a real 34-day export: Vega wrote the legend as five entries all reading '2023-04', and
    # the months axis as '0, 1, 1'
    shown = labels(cohorts(["2023-04-01", "2023-05-01"], 2))
    assert [x for x in shown if re.fullmatch(r"\d{4}-\d{2}", x)] == ["2023-04", "2023-05"]
    assert shown[:shown.index("Months since first order")] == ["0", "1"]


def test_many_cohorts_show_five_of_their_months() -> None:
    months = [str(d.date()) for d in pd.date_range("2023-10-01", "2025-12-01", freq="MS")]
    shown = labels(cohorts(months, 13))
    assert [x for x in shown if re.fullmatch(r"\d{4}-\d{2}", x)] == [
        "2023-10", "2024-04", "2024-11", "2025-06", "2025-12"]
    assert shown[:shown.index("Months since first order")] == [str(k) for k in range(13)]
