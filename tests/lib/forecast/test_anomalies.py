"""Days of history outside the in-sample interval, for the risk page."""
from __future__ import annotations

from datetime import date

import pandas as pd

from lib.forecast.anomalies import find_anomalies
from tests.lib.forecast.shop import weekly_series


def test_planted_spike_and_drop_are_the_largest_anomalies() -> None:
    s = weekly_series(200, noise=0.03)
    s.loc[100, "y"] *= 3
    s.loc[150, "y"] = 0.0
    rep = find_anomalies(s)
    top = rep.anomalies[:2]
    assert {a.ds for a in top} == {s.loc[100, "ds"].date(), s.loc[150, "ds"].date()}
    spike = next(a for a in top if a.direction == "above")
    assert spike.size == spike.actual - spike.expected and spike.size > 0
    drop = next(a for a in top if a.direction == "below")
    assert drop.actual == 0.0 and drop.size < 0
    assert rep.days_checked == 200 and rep.interval_width == 0.95
    assert list(rep.frame().columns) == ["ds", "actual", "expected", "lower", "upper", "size", "direction"]
    assert len(rep.anomalies) < 0.1 * 200     # a clean series is mostly inside a 95 % band


def test_since_and_min_size_filter() -> None:
    s = weekly_series(200, noise=0.03)
    s.loc[20, "y"] *= 3
    s.loc[150, "y"] *= 3
    rep = find_anomalies(s, since=date(2023, 4, 1), min_size=500)
    assert [a.ds for a in rep.anomalies] == [s.loc[150, "ds"].date()]


def test_no_history_no_anomalies() -> None:
    rep = find_anomalies(pd.DataFrame({"ds": [], "y": []}))
    assert rep.anomalies == () and "anomalies.no_fit" in [n.key for n in rep.notes]
