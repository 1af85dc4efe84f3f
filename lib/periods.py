"""Named date ranges for the sidebar ("last 30 days", "latest whole month", ...).

They count back from the latest day with data, not from today: a shop looking at last
year's export, or the demo store, still gets a full "last 30 days" with a previous period
to compare with. Every range is clipped to the days the workspace holds.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

Preset = Literal["all", "last_7", "last_30", "last_90", "last_365", "month_to_date",
                 "whole_month", "whole_quarter", "year_to_date", "whole_year"]
PRESETS: tuple[Preset, ...] = ("all", "last_7", "last_30", "last_90", "last_365",
                               "month_to_date", "whole_month", "whole_quarter", "year_to_date",
                               "whole_year")
CUSTOM = "custom"  # the user's own dates: no preset matches them
_TRAILING_DAYS = {"last_7": 7, "last_30": 30, "last_90": 90, "last_365": 365}


def _month_start(d: date, back: int = 0) -> date:
    """First day of the month `back` months before d's month."""
    months = d.year * 12 + d.month - 1 - back
    return date(months // 12, months % 12 + 1, 1)


def _whole(last: date, months: int) -> tuple[date, date]:
    """The latest calendar block of `months` months (1 month, 3 a quarter, 12 a year, aligned
    to January) that ends on or before `last`."""
    end_excl = _month_start(last + timedelta(days=1))  # first day after the latest whole month
    while (end_excl.month - 1) % months:
        end_excl = _month_start(end_excl, 1)
    return _month_start(end_excl, months), end_excl - timedelta(days=1)


def preset_range(preset: Preset, first: date, last: date) -> tuple[date, date] | None:
    """(start, end) of `preset` for data spanning first..last, clipped to that span (a whole
    month, quarter or year the data reach only part of is cut at `first`); None when the
    data hold no day of it."""
    if preset == "all":
        start, end = first, last
    elif preset in _TRAILING_DAYS:
        start, end = last - timedelta(days=_TRAILING_DAYS[preset] - 1), last
    elif preset == "month_to_date":
        start, end = _month_start(last), last
    elif preset == "year_to_date":
        start, end = date(last.year, 1, 1), last
    elif preset in ("whole_month", "whole_quarter", "whole_year"):
        start, end = _whole(last, {"whole_month": 1, "whole_quarter": 3, "whole_year": 12}[preset])
    else:
        raise ValueError(f"unknown date preset {preset!r}")
    if end < first:
        return None
    return max(start, first), end


def matching_preset(start: date, end: date, first: date, last: date) -> Preset | str:
    """The first preset whose range is exactly start..end, else CUSTOM (so picking dates by
    hand that happen to equal a preset shows that preset's name)."""
    return next((p for p in PRESETS if preset_range(p, first, last) == (start, end)), CUSTOM)


def available_presets(first: date, last: date) -> tuple[Preset, ...]:
    """The presets with at least one day of data."""
    return tuple(p for p in PRESETS if preset_range(p, first, last) is not None)
