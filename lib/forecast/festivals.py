"""The shopping-festival calendar and country public holidays, as Prophet holiday windows.

A holiday window is a row (holiday, ds, lower_window, upper_window): the effect named
`holiday` on day `ds`, plus separate effects for the days `lower_window..upper_window` around
it. The calendar ships in lib/festivals.yaml (years 2009–2030, editable); a user may supply
their own in the same YAML layout or as a CSV/DataFrame of windows. Public holidays come from
the `holidays` package, which works offline.
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import holidays as holidays_pkg
import numpy as np
import pandas as pd
import yaml

from lib import yaml_text
from lib.errors import ShoplensError

CALENDAR_PATH = Path(__file__).resolve().parents[1] / "festivals.yaml"
FIRST_YEAR, LAST_YEAR = 2009, 2030
WINDOW_COLUMNS = ("holiday", "ds", "lower_window", "upper_window")
MAX_WINDOW = 31
_ID = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
# Where a country's calendar differs by region and one region dominates, the default region.
DEFAULT_SUBDIVISIONS = {"GB": "ENG"}


class FestivalError(ShoplensError):
    """A festival table that cannot be used; the message lists every problem found."""

    key = "error.festival_table"


@dataclass(frozen=True)
class Festival:
    """One festival of the calendar; `occurrences` turns its rule into dated windows."""

    id: str
    name: str
    markets: tuple[str, ...]
    lower_window: int
    upper_window: int
    since: int = FIRST_YEAR
    until: int = LAST_YEAR
    fixed: tuple[int, int] | None = None
    nth_weekday: tuple[int, int, int, int] | None = None  # month, weekday, n, offset
    dates: tuple[tuple[int, date, int | None], ...] = ()  # year, start, upper_window override
    approximate: str = ""
    name_zh: str = ""  # the name in the Chinese interface ("" → `name`)

    def applies_to(self, markets: Iterable[str] | None) -> bool:
        if markets is None or "*" in self.markets:
            return True
        return bool(set(m.upper() for m in markets) & set(self.markets))

    def occurrences(self, years: Iterable[int]) -> list[tuple[date, int, int]]:
        """(day, lower_window, upper_window) for each year it runs in `years`."""
        table = {y: (d, up) for y, d, up in self.dates}
        out = []
        for year in years:
            if not (max(self.since, FIRST_YEAR) <= year <= min(self.until, LAST_YEAR)):
                continue
            if year in table:
                day, up = table[year]
                out.append((day, self.lower_window, self.upper_window if up is None else up))
                continue
            day_or_none = self._rule_day(year)
            if day_or_none is not None:
                out.append((day_or_none, self.lower_window, self.upper_window))
        return out

    def _rule_day(self, year: int) -> date | None:
        if self.fixed:
            month, day = self.fixed
            return date(year, month, day)
        if self.nth_weekday:
            month, weekday, n, offset = self.nth_weekday
            first = date(year, month, 1)
            delta = (weekday - first.weekday()) % 7
            return first + timedelta(days=delta + 7 * (n - 1) + offset)
        return None


@dataclass(frozen=True)
class FestivalCalendar:
    festivals: tuple[Festival, ...]

    def windows(self, markets: Iterable[str] | None = None,
                years: Iterable[int] = range(FIRST_YEAR, LAST_YEAR + 1)) -> pd.DataFrame:
        """Holiday windows of the festivals that apply to `markets` (None: all)."""
        markets = list(markets) if markets is not None else None
        years = list(years)
        rows = [
            (f.id, pd.Timestamp(day), lo, up)
            for f in self.festivals if f.applies_to(markets)
            for day, lo, up in f.occurrences(years)
        ]
        return _frame(rows)

    def names(self, lang: str = "en") -> dict[str, str]:
        return {f.id: (f.name_zh or f.name) if lang == "zh" else f.name for f in self.festivals}

    def approximations(self) -> dict[str, str]:
        return {f.id: f.approximate for f in self.festivals if f.approximate}


def _frame(rows: Sequence[tuple[str, pd.Timestamp, int, int]]) -> pd.DataFrame:
    df = pd.DataFrame(list(rows), columns=list(WINDOW_COLUMNS))
    df["ds"] = pd.to_datetime(df["ds"]).astype("datetime64[ns]")
    df["lower_window"] = df["lower_window"].astype("int64")
    df["upper_window"] = df["upper_window"].astype("int64")
    return df.sort_values(["ds", "holiday"], kind="stable").reset_index(drop=True)


# -- loading --------------------------------------------------------------------------------
def load_calendar(path: str | Path | None = None) -> FestivalCalendar:
    """The shipped calendar, or a user's YAML in the same layout."""
    p = Path(path) if path else CALENDAR_PATH
    try:
        data = yaml_text.safe_load(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise FestivalError(f"The festival table {p.name} cannot be read: {exc}.") from exc
    except yaml.YAMLError as exc:
        raise FestivalError(f"The festival table {p.name} is not valid YAML: {exc}.") from exc
    return parse_calendar(data, p.name)


def parse_calendar(data: Any, source: str = "festival table") -> FestivalCalendar:
    """Validate a calendar document, collecting every problem before refusing it."""
    problems: list[str] = []
    items = data.get("festivals") if isinstance(data, Mapping) else None
    if not isinstance(items, list):
        raise FestivalError(f"{source}: expected a list under 'festivals'.")
    out: list[Festival] = []
    seen: set[str] = set()
    for i, item in enumerate(items, start=1):
        where = f"{source}, festival {i}"
        if not isinstance(item, Mapping):
            problems.append(f"{where}: expected a mapping")
            continue
        fid = str(item.get("id", ""))
        where = f"{source}, festival {i} ({fid or 'no id'})"
        if not _ID.match(fid):
            problems.append(f"{where}: id must be snake_case letters, digits and _")
        elif fid in seen:
            problems.append(f"{where}: id appears twice")
        seen.add(fid)
        lo, up = item.get("lower_window", 0), item.get("upper_window", 0)
        if not (isinstance(lo, int) and -MAX_WINDOW <= lo <= 0):
            problems.append(f"{where}: lower_window must be a whole number from -{MAX_WINDOW} to 0")
            lo = 0
        if not (isinstance(up, int) and 0 <= up <= MAX_WINDOW):
            problems.append(f"{where}: upper_window must be a whole number from 0 to {MAX_WINDOW}")
            up = 0
        markets = item.get("markets", ["*"])
        if isinstance(markets, str):
            markets = [markets]
        if not isinstance(markets, list) or not all(isinstance(m, str) for m in markets):
            problems.append(f"{where}: markets must be a list of country codes or '*'")
            markets = ["*"]
        fixed = nth = None
        if "fixed" in item:
            f = item["fixed"]
            try:
                date(2000, int(f["month"]), int(f["day"]))  # a leap year accepts 29 Feb
                fixed = (int(f["month"]), int(f["day"]))
            except (KeyError, TypeError, ValueError):
                problems.append(f"{where}: fixed needs a valid month and day")
        if "nth_weekday" in item:
            n = item["nth_weekday"]
            try:
                nth = (int(n["month"]), int(n["weekday"]), int(n["n"]), int(n.get("offset", 0)))
                if not (1 <= nth[0] <= 12 and 0 <= nth[1] <= 6 and 1 <= nth[2] <= 5):
                    raise ValueError
            except (KeyError, TypeError, ValueError):
                problems.append(f"{where}: nth_weekday needs month 1-12, weekday 0-6 (Monday = 0), n 1-5")
                nth = None
        dates: list[tuple[int, date, int | None]] = []
        for year, value in (item.get("dates") or {}).items():
            try:
                up_override = None
                if isinstance(value, Mapping):
                    up_override = value.get("upper_window")
                    value = value["date"]
                day = value if isinstance(value, date) else date.fromisoformat(str(value))
                if up_override is not None and not (isinstance(up_override, int) and 0 <= up_override <= MAX_WINDOW):
                    raise ValueError
                dates.append((int(year), day, up_override))
            except (KeyError, TypeError, ValueError):
                problems.append(f"{where}: date for {year} is not a date like 2024-07-16")
        if fixed is None and nth is None and not dates and not any(
                k in item for k in ("fixed", "nth_weekday")):
            problems.append(f"{where}: needs a date rule (fixed, nth_weekday or dates)")
        if sum(k in item for k in ("fixed", "nth_weekday")) > 1:
            problems.append(f"{where}: give only one of fixed and nth_weekday")
        try:
            since = int(item.get("since", FIRST_YEAR))
            until = int(item.get("until", LAST_YEAR))
        except (TypeError, ValueError):
            problems.append(f"{where}: since and until must be years")
            since, until = FIRST_YEAR, LAST_YEAR
        out.append(Festival(
            id=fid, name=str(item.get("name") or fid), markets=tuple(m.upper() for m in markets),
            lower_window=lo, upper_window=up, since=since, until=until, fixed=fixed,
            nth_weekday=nth, dates=tuple(sorted(dates)), approximate=str(item.get("approximate") or ""),
            name_zh=str(item.get("name_zh") or "")))
    if problems:
        raise FestivalError("The festival table has problems: " + "; ".join(problems) + ".",
                            problems="; ".join(problems))
    return FestivalCalendar(tuple(out))


def load_windows(path: str | Path, markets: Iterable[str] | None = None) -> pd.DataFrame:
    """A user's festival table: YAML in the calendar layout, or a CSV of windows."""
    p = Path(path)
    if p.suffix.lower() in (".yaml", ".yml"):
        return load_calendar(p).windows(markets)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise FestivalError(f"The festival table {p.name} cannot be read: {exc}.") from exc
    rows = list(csv.DictReader(io.StringIO(text)))
    return validate_windows(pd.DataFrame(rows, columns=list(WINDOW_COLUMNS)), p.name)


def validate_windows(df: pd.DataFrame, source: str = "festival table") -> pd.DataFrame:
    """Check a windows table (holiday, ds, lower_window, upper_window); list every problem."""
    missing = [c for c in WINDOW_COLUMNS if c not in df.columns]
    if missing:
        raise FestivalError(f"{source}: missing column(s) {', '.join(missing)}; expected "
                            f"{', '.join(WINDOW_COLUMNS)}.")
    problems: list[str] = []
    rows = []
    for i, r in enumerate(df[list(WINDOW_COLUMNS)].itertuples(index=False), start=2):
        name = str(r.holiday).strip() if r.holiday is not None else ""
        day = pd.to_datetime(r.ds, errors="coerce")
        lo = pd.to_numeric(pd.Series([r.lower_window]), errors="coerce").iloc[0]
        up = pd.to_numeric(pd.Series([r.upper_window]), errors="coerce").iloc[0]
        bad = []
        if not name or name == "nan":
            bad.append("holiday is empty")
        if pd.isna(day):
            bad.append(f"ds {r.ds!r} is not a date")
        if pd.isna(lo) or lo != int(lo) or not -MAX_WINDOW <= lo <= 0:
            bad.append(f"lower_window must be a whole number from -{MAX_WINDOW} to 0")
        if pd.isna(up) or up != int(up) or not 0 <= up <= MAX_WINDOW:
            bad.append(f"upper_window must be a whole number from 0 to {MAX_WINDOW}")
        if bad:
            problems.append(f"row {i}: " + ", ".join(bad))
        else:
            day = pd.Timestamp(day)
            rows.append((name, (day.tz_localize(None) if day.tzinfo else day).normalize(), int(lo), int(up)))
    if problems:
        raise FestivalError(f"{source} has problems: " + "; ".join(problems[:20])
                            + (f" (and {len(problems) - 20} more)" if len(problems) > 20 else "") + ".",
                            problems="; ".join(problems))
    return _frame(rows)


# -- public holidays ------------------------------------------------------------------------
# "(observed)", "(estimated)", "(observed, estimated)", "(substituted from …)": the same
# holiday on another or a computed day.
_OBSERVED = re.compile(r"\s*\((?:observed|estimated|substituted)[^)]*\)", re.IGNORECASE)
_DAY_OFF = re.compile(r"^Day off \(substituted from [^)]*\)$")
HOLIDAY_NAMES_ZH_PATH = Path(__file__).resolve().parents[1] / "holiday_names_zh.yaml"
# Places whose `holidays` calendar has Chinese names: mainland China's take precedence over the
# shipped table, the others only fill in (Hong Kong calls New Year's Day 一月一日).
_ZH_FIRST, _ZH_FILL_IN = "CN", ("HK", "MO", "TW")


def _holiday_name(name: str) -> str:
    """One effect per holiday across years: drop '(observed)', '(estimated)' and per-date
    suffixes."""
    if _DAY_OFF.match(name):
        return "Day off (substituted)"
    return _OBSERVED.sub("", name).strip() or name


def public_holidays(country: str | None, years: Iterable[int]) -> pd.DataFrame:
    """Public holidays of `country` ('GB', 'US', 'CN', or 'GB-SCT' for a region) as windows.

    Unknown countries give an empty table (the forecast then says nothing about holidays
    rather than failing). GB uses England's calendar unless a region is given.
    """
    if not country:
        return _frame([])
    code, _, subdiv = country.upper().partition("-")
    subdiv = subdiv or DEFAULT_SUBDIVISIONS.get(code, "")
    years = [y for y in years if 1950 <= y <= 2100]
    try:
        cal = holidays_pkg.country_holidays(code, subdiv=subdiv or None, years=years)
    except NotImplementedError:
        return _frame([])
    rows = []
    for day, names in sorted(cal.items()):
        for name in str(names).split("; "):
            rows.append((_holiday_name(name), pd.Timestamp(day), 0, 0))
    return _frame(rows).drop_duplicates(["holiday", "ds"]).reset_index(drop=True)


def supported_country(country: str | None) -> bool:
    if not country:
        return False
    return country.upper().partition("-")[0] in holidays_pkg.list_supported_countries()


@lru_cache(maxsize=2)
def _shipped_names(lang: str) -> dict[str, str]:
    return load_calendar().names(lang)


def _package_names_zh(country: str) -> dict[str, str]:
    """English → Chinese names from the `holidays` package's own zh_CN calendar of a country,
    paired by date (observed and substituted days left out: they map to the holiday itself)."""
    years = range(2018, 2033)
    english = holidays_pkg.country_holidays(country, years=years, language="en_US")
    chinese = holidays_pkg.country_holidays(country, years=years, language="zh_CN")
    pairs: dict[str, str] = {}
    for day, names in english.items():
        en, zh = str(names).split("; "), str(chinese.get(day, "")).split("; ")
        if len(en) == len(zh):
            pairs.update((e, z) for e, z in zip(en, zh) if _holiday_name(e) == e)
    return pairs


@lru_cache(maxsize=1)
def public_holiday_names_zh() -> dict[str, str]:
    """Public holidays' Chinese names by the name the forecast keeps (see
    lib/holiday_names_zh.yaml for the order of sources)."""
    table = yaml_text.safe_load(HOLIDAY_NAMES_ZH_PATH.read_text(encoding="utf-8"))["names"]
    names = _package_names_zh(_ZH_FIRST)
    for source in ({str(en): str(zh) for en, zh in table.items()},
                   *(_package_names_zh(c) for c in _ZH_FILL_IN)):
        for en, zh in source.items():
            names.setdefault(en, zh)
    return names


def display_name(holiday: str, lang: str = "en") -> str:
    """A festival's display name for its id, in `lang` where the table gives one; a public
    holiday's Chinese name in Chinese; anything else (a user's own table) as it is."""
    try:
        festival = _shipped_names(lang).get(holiday)
    except FestivalError:
        festival = None
    if festival is not None:
        return festival
    return public_holiday_names_zh().get(holiday, holiday) if lang == "zh" else holiday


def default_festivals(markets: Iterable[str] | None, calendar_: FestivalCalendar | None = None) -> pd.DataFrame:
    """The shipped calendar's festivals for these markets (None or empty: every festival)."""
    cal = calendar_ or load_calendar()
    markets = [m for m in (markets or []) if m]
    return cal.windows(markets or None)


def holiday_windows(country: str | None, festivals: pd.DataFrame | None,
                    start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """Public holidays + festivals whose windows touch [start, end]."""
    years = range(start.year - 1, end.year + 2)
    parts = [public_holidays(country, years)]
    if festivals is not None and len(festivals):
        parts.append(validate_windows(festivals) if not _is_clean(festivals) else festivals)
    df = pd.concat(parts, ignore_index=True) if parts else _frame([])
    if df.empty:
        return _frame([])
    first = df["ds"] + pd.to_timedelta(df["lower_window"], unit="D")
    last = df["ds"] + pd.to_timedelta(df["upper_window"], unit="D")
    df = df[(last >= start) & (first <= end)]
    return df.drop_duplicates(["holiday", "ds"]).sort_values(["ds", "holiday"]).reset_index(drop=True)


def _is_clean(df: pd.DataFrame) -> bool:
    return (list(df.columns[:4]) == list(WINDOW_COLUMNS)
            and pd.api.types.is_datetime64_any_dtype(df["ds"])
            and pd.api.types.is_integer_dtype(df["lower_window"])
            and pd.api.types.is_integer_dtype(df["upper_window"]))


def window_days(windows: pd.DataFrame) -> pd.DataFrame:
    """Every (holiday, day) covered by the windows: [holiday, ds], offsets beyond ±MAX_WINDOW
    left out; ordered by offset, then window (one row per window and day, built with numpy:
    a forecast asks this three times, a lift table ~130 times)."""
    if windows.empty:
        return pd.DataFrame({"holiday": pd.Series(dtype="object"), "ds": pd.Series(dtype="datetime64[ns]")})
    lo = np.maximum(windows["lower_window"].to_numpy(dtype="int64"), -MAX_WINDOW)
    hi = np.minimum(windows["upper_window"].to_numpy(dtype="int64"), MAX_WINDOW)
    span = np.maximum(hi - lo + 1, 0)
    row = np.repeat(np.arange(len(windows)), span)
    off = lo[row] + (np.arange(len(row)) - np.repeat(np.cumsum(span) - span, span))
    order = np.lexsort((row, off))  # by offset, then window: the order callers have always had
    row, off = row[order], off[order]
    ds = pd.Series(windows["ds"].to_numpy()[row]) + pd.to_timedelta(off, unit="D")
    out = pd.DataFrame({"holiday": windows["holiday"].to_numpy()[row], "ds": ds.to_numpy()})
    return out.drop_duplicates().reset_index(drop=True)