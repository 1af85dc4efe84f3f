"""Named date ranges (lib/periods.py), each checked against dates worked out by hand."""
from datetime import date

import pytest

from lib.periods import CUSTOM, PRESETS, available_presets, matching_preset, preset_range

FIRST, LAST = date(2023, 10, 1), date(2025, 12, 31)  # the demo store's span
MID = date(2025, 11, 14)  # data ending mid-month, mid-quarter


@pytest.mark.parametrize(("preset", "last", "expected"), [
    ("all", LAST, (FIRST, LAST)),
    ("last_7", LAST, (date(2025, 12, 25), LAST)),
    ("last_30", LAST, (date(2025, 12, 2), LAST)),
    ("last_90", LAST, (date(2025, 10, 3), LAST)),
    ("last_365", LAST, (date(2025, 1, 1), LAST)),
    ("month_to_date", MID, (date(2025, 11, 1), MID)),
    ("year_to_date", MID, (date(2025, 1, 1), MID)),
    # the data end on the month's (quarter's, year's) last day: that block is whole
    ("whole_month", LAST, (date(2025, 12, 1), LAST)),
    ("whole_quarter", LAST, (date(2025, 10, 1), LAST)),
    ("whole_year", LAST, (date(2025, 1, 1), LAST)),
    # mid-month: the month before; mid-quarter: Q3; mid-year: the year before
    ("whole_month", MID, (date(2025, 10, 1), date(2025, 10, 31))),
    ("whole_quarter", MID, (date(2025, 7, 1), date(2025, 9, 30))),
    ("whole_year", MID, (date(2024, 1, 1), date(2024, 12, 31))),
    ("whole_month", date(2024, 3, 1), (date(2024, 2, 1), date(2024, 2, 29))),  # leap February
    ("whole_quarter", date(2024, 1, 15), (date(2023, 10, 1), date(2023, 12, 31))),  # across a year
])
def test_preset_ranges_by_hand(preset, last, expected):
    assert preset_range(preset, FIRST, last) == expected


def test_ranges_are_clipped_to_the_data():
    first = date(2025, 12, 10)
    assert preset_range("last_30", first, LAST) == (first, LAST)
    assert preset_range("year_to_date", first, LAST) == (first, LAST)
    assert preset_range("whole_quarter", first, LAST) == (first, LAST)  # part of Q4 is held
    # data from Nov 20 to Dec 15: the latest whole month (November) is held from the 20th
    assert preset_range("whole_month", date(2025, 11, 20), date(2025, 12, 15)) == (
        date(2025, 11, 20), date(2025, 11, 30))


def test_a_range_with_no_day_of_data_is_not_offered():
    first, last = date(2025, 12, 5), date(2025, 12, 20)
    assert preset_range("whole_month", first, last) is None  # November: no data
    assert preset_range("whole_year", first, last) is None
    offered = available_presets(first, last)
    assert "whole_month" not in offered and "whole_year" not in offered
    assert offered[:2] == ("all", "last_7") and "month_to_date" in offered


def test_matching_preset_names_hand_picked_dates():
    assert matching_preset(FIRST, LAST, FIRST, LAST) == "all"
    assert matching_preset(date(2025, 12, 2), LAST, FIRST, LAST) == "last_30"
    assert matching_preset(date(2025, 10, 1), LAST, FIRST, LAST) == "whole_quarter"
    assert matching_preset(date(2025, 12, 3), LAST, FIRST, LAST) == CUSTOM


def test_every_preset_has_a_label_in_both_languages():
    from lib.i18n import t
    for preset in (*PRESETS, CUSTOM):
        en, zh = t(f"period.{preset}", "en"), t(f"period.{preset}", "zh")
        assert en != f"period.{preset}" and zh != en


def test_unknown_preset_is_refused():
    with pytest.raises(ValueError, match="unknown date preset"):
        preset_range("last_week", FIRST, LAST)  # type: ignore[arg-type]
