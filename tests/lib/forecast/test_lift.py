"""Promotion lift against a counterfactual forecast."""
from __future__ import annotations

import re

import pandas as pd
import pytest

from lib.forecast.lift import money, promotion_lift, promotion_lifts
from tests.lib.forecast.shop import weekly_series


def planted(seed: int, lift: float = 0.4) -> tuple[pd.DataFrame, float]:
    s = weekly_series(300, seed=seed)
    win = (s["ds"] >= "2023-09-01") & (s["ds"] <= "2023-09-10")
    truth = float(s.loc[win, "y"].sum()) * lift
    s.loc[win, "y"] *= 1 + lift
    return s, truth


def test_a_planted_40_percent_window_is_recovered() -> None:
    """Eight seeds: every estimate within ±25 % of the truth, and the truth inside the 80 %
    range about as often as an 80 % range promises (here 7 of 8; ≥ 6 required)."""
    inside = 0
    for seed in range(8):
        s, truth = planted(seed)
        r = promotion_lift(s, "2023-09-01", "2023-09-10", name="the September sale", currency="CNY")
        assert r.method == "prophet" and r.days == 10
        assert r.lift == pytest.approx(truth, rel=0.25)
        assert r.clear and r.lift_pct is not None and 30 < r.lift_pct < 50
        inside += r.lift_lower <= truth <= r.lift_upper
        print(f"seed {seed}: truth {truth:,.0f}, lift {r.lift:,.0f} ({r.lift_lower:,.0f}–{r.lift_upper:,.0f})")
    assert inside >= 6
    assert re.match(r"The September sale added CNY [\d,]+ \(range CNY [\d,]+ to CNY [\d,]+\) ", r.sentence())
    assert "over what the baseline predicts." in r.sentence()


def test_no_effect_gives_an_unclear_range() -> None:
    s, _ = planted(4, lift=0.0)
    r = promotion_lift(s, "2023-09-01", "2023-09-10", name="A quiet week", currency="USD")
    assert r.lift_lower < 0 < r.lift_upper and not r.clear
    assert "lift.unclear" in r.note_keys and "not clear" in r.sentence()


def test_too_little_history_before_the_window() -> None:
    s = weekly_series(60)
    r = promotion_lift(s, "2023-01-05", "2023-01-10", name="launch week")
    assert r.method is None and r.note_keys == ("lift.no_history",)
    assert "not enough history" in r.sentence()


def test_missing_days_in_the_window_are_counted_and_said() -> None:
    s, _ = planted(1)
    s = s[s["ds"] != "2023-09-05"]
    r = promotion_lift(s, "2023-09-01", "2023-09-10")
    assert r.days == 9 and "lift.missing_days" in r.note_keys


def test_lifts_of_a_calendar_skip_future_windows() -> None:
    s, _ = planted(2)
    cal = pd.DataFrame({"name": ["September sale", "Next year"], "start": ["2023-09-01", "2024-09-01"],
                        "end": ["2023-09-10", "2024-09-10"], "discount_pct": [20, 20]})
    out = promotion_lifts(s, cal, currency="GBP")
    assert [r.name for r in out] == ["September sale"]
    assert out[0].to_json()["sentence"].startswith("September sale added GBP ")


def test_money_formats() -> None:
    # the code, as on the other pages: a ¥ would not tell CNY from JPY
    assert money(12345.6, "CNY") == "CNY 12,346" and money(12345.6, "JPY") == "JPY 12,346"
    assert money(-5, "USD") == "USD −5" and money(-0.4, "USD") == "USD 0"
    assert money(10, "CHF") == "CHF 10" and money(10, None) == "10" and money(float("nan"), "USD") == "—"


def test_lifts_in_two_processes_equal_the_serial_ones() -> None:
    s, _ = planted(3)
    cal = pd.DataFrame({"name": ["Spring", "Summer", "September sale"],
                        "start": ["2023-04-03", "2023-06-05", "2023-09-01"],
                        "end": ["2023-04-09", "2023-06-11", "2023-09-10"], "discount_pct": [10, 10, 20]})
    serial = promotion_lifts(s, cal, currency="GBP", workers=1)
    pooled = promotion_lifts(s, cal, currency="GBP", workers=2)
    assert [r.name for r in pooled] == ["Spring", "Summer", "September sale"]
    assert [(r.lift, r.lift_lower, r.lift_upper) for r in pooled] == \
        [(r.lift, r.lift_lower, r.lift_upper) for r in serial]


def test_a_festival_the_history_never_saw_is_named_in_the_lift() -> None:
    """300 days from 2023-01-02 end before the 2023 Black Friday window: a sale on those days
    cannot be told apart from the festival, so the lift says so; a September sale has no
    festival in it and says nothing."""
    from lib.forecast.festivals import default_festivals

    s = weekly_series(340, seed=2)  # to 2023-12-07
    fest = default_festivals(["US"])
    bf = promotion_lift(s, "2023-11-24", "2023-11-27", name="BFCM", festivals=fest)
    assert bf.unseen_festivals is not None and "Black Friday" in bf.unseen_festivals
    assert "lift.festival_unseen" in bf.note_keys
    assert bf.sentence().endswith("fell in it for the first time, so this includes the festival's own effect.")
    quiet = promotion_lift(s, "2023-09-05", "2023-09-10", name="September", festivals=fest)
    assert quiet.unseen_festivals is None
