"""The festival calendar shipped with the app, user tables, and public holidays."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import holidays
import pandas as pd
import pytest

from lib.forecast.festivals import (
    FIRST_YEAR,
    LAST_YEAR,
    FestivalError,
    default_festivals,
    display_name,
    holiday_windows,
    load_calendar,
    load_windows,
    parse_calendar,
    public_holidays,
    validate_windows,
    window_days,
)


def days_of(df: pd.DataFrame, holiday: str) -> dict[int, tuple[date, int, int]]:
    sel = df[df["holiday"] == holiday]
    return {r.ds.year: (r.ds.date(), r.lower_window, r.upper_window) for r in sel.itertuples()}


def test_shipped_calendar_has_the_festivals_the_issue_names() -> None:
    cal = load_calendar()
    ids = {f.id for f in cal.festivals}
    assert {"double_11", "double_11_presale", "mid_year_618", "double_12", "black_friday", "cyber_monday",
            "prime_day", "chinese_new_year", "womens_day_38", "double_9", "double_10"} <= ids
    w = cal.windows()
    assert w["ds"].dt.year.min() == FIRST_YEAR and w["ds"].dt.year.max() == LAST_YEAR
    assert list(w.columns) == ["holiday", "ds", "lower_window", "upper_window"]
    assert (w["lower_window"] <= 0).all() and (w["upper_window"] >= 0).all()


def test_rule_dates() -> None:
    w = load_calendar().windows()
    assert days_of(w, "double_11")[2025] == (date(2025, 11, 11), -3, 1)
    assert days_of(w, "black_friday")[2024][0] == date(2024, 11, 29)
    assert days_of(w, "black_friday")[2025][0] == date(2025, 11, 28)
    assert days_of(w, "cyber_monday")[2024][0] == date(2024, 12, 2)
    assert days_of(w, "mid_year_618")[2010][0] == date(2010, 6, 18)
    assert 2009 not in days_of(w, "mid_year_618")      # since 2010
    prime = days_of(w, "prime_day")
    assert prime[2020][0] == date(2020, 10, 13)        # the COVID year moved to October
    assert prime[2025] == (date(2025, 7, 8), 0, 3)     # a four-day event that year
    assert prime[2026][0] == date(2026, 7, 14)         # approximate: second Tuesday of July
    assert 2014 not in prime
    assert set(load_calendar().approximations()) == {"double_11_presale", "prime_day", "prime_big_deal_days"}


def test_chinese_new_year_table_matches_the_holidays_package() -> None:
    table = days_of(load_calendar().windows(), "chinese_new_year")
    cn = holidays.country_holidays("CN", years=range(FIRST_YEAR, LAST_YEAR + 1))
    first: dict[int, date] = {}
    for d, name in sorted(cn.items()):
        if name.startswith("Chinese New Year (Spring Festival)"):
            first.setdefault(d.year, d)
    assert {y: v[0] for y, v in table.items()} == first
    assert len(table) == LAST_YEAR - FIRST_YEAR + 1


def test_markets_choose_festivals() -> None:
    cn = set(default_festivals(["CN"])["holiday"])
    us = set(default_festivals(["US"])["holiday"])
    assert "double_11" in cn and "black_friday" not in cn
    assert "black_friday" in us and "prime_day" in us and "double_11" not in us
    assert {"double_11", "black_friday"} <= set(default_festivals(None)["holiday"])
    assert {"black_friday"} <= set(default_festivals(["NO"])["holiday"])  # Norway is not "false"


def test_user_csv_table(tmp_path: Path) -> None:
    p = tmp_path / "mine.csv"
    p.write_text("holiday,ds,lower_window,upper_window\nsummer_sale,2024-07-01,-1,6\nsummer_sale,2025-07-01,-1,6\n")
    df = load_windows(p)
    assert list(df["holiday"]) == ["summer_sale", "summer_sale"]
    assert df["ds"].dt.date.tolist() == [date(2024, 7, 1), date(2025, 7, 1)]
    assert (df["upper_window"] == 6).all()


def test_user_yaml_table_with_markets(tmp_path: Path) -> None:
    p = tmp_path / "mine.yaml"
    p.write_text("festivals:\n  - id: shop_birthday\n    name: Our birthday\n    markets: [GB]\n"
                 "    fixed: {month: 5, day: 4}\n    lower_window: 0\n    upper_window: 1\n")
    assert days_of(load_windows(p, ["GB"]), "shop_birthday")[2024] == (date(2024, 5, 4), 0, 1)
    assert load_windows(p, ["US"]).empty


def test_a_bad_table_lists_every_problem(tmp_path: Path) -> None:
    p = tmp_path / "bad.csv"
    p.write_text("holiday,ds,lower_window,upper_window\n,2024-07-01,0,0\nx,not a date,1,-2\n")
    with pytest.raises(FestivalError) as err:
        load_windows(p)
    text = str(err.value)
    assert "row 2: holiday is empty" in text
    assert "row 3: ds 'not a date' is not a date" in text and "lower_window" in text and "upper_window" in text
    with pytest.raises(FestivalError, match="missing column"):
        validate_windows(pd.DataFrame({"holiday": ["x"], "ds": ["2024-01-01"]}))
    with pytest.raises(FestivalError) as err2:
        parse_calendar({"festivals": [{"id": "Bad Id", "lower_window": 3},
                                      {"id": "ok", "fixed": {"month": 2, "day": 30}}]})
    assert "snake_case" in str(err2.value) and "lower_window" in str(err2.value)
    assert "fixed needs a valid month and day" in str(err2.value)


def test_public_holidays_offline_with_regions() -> None:
    gb = public_holidays("GB", [2011])
    assert "Easter Monday" in set(gb["holiday"])        # England's calendar by default
    sct = public_holidays("GB-SCT", [2011])
    assert "Easter Monday" not in set(sct["holiday"])
    cn = public_holidays("CN", [2024])
    assert not cn["holiday"].str.contains("observed|substituted from", regex=True).any()
    # Lunar holidays computed ahead are "(estimated)", their moved days "(observed, estimated)":
    # still the same holiday, one effect across years.
    sg = set(public_holidays("SG", range(2024, 2031))["holiday"])
    assert {"Eid al-Fitr", "Vesak Day", "Chinese New Year"} <= sg
    assert not any("estimated" in n or "observed" in n for n in sg)
    assert public_holidays("XX", [2024]).empty and public_holidays(None, [2024]).empty


def test_holiday_windows_are_limited_to_the_range_and_expand_to_days() -> None:
    w = holiday_windows("GB", default_festivals(["GB"]), pd.Timestamp("2011-11-01"), pd.Timestamp("2011-11-30"))
    assert set(w["holiday"]) == {"black_friday", "cyber_monday"}
    days = window_days(w)
    bf = sorted(d.date() for d in days[days["holiday"] == "black_friday"]["ds"])
    assert bf == [date(2011, 11, 25), date(2011, 11, 26), date(2011, 11, 27)]
    assert display_name("double_11").startswith("11.11") and display_name("Boxing Day") == "Boxing Day"


def test_every_shipped_festival_has_a_chinese_name() -> None:
    cal = load_calendar()
    en, zh = cal.names("en"), cal.names("zh")
    assert set(en) == set(zh) and len(zh) == 12
    assert all(zh[f] != en[f] for f in zh)  # written in Chinese, not the English name again
    assert display_name("black_friday", "zh") == "黑色星期五（黑五）"
    assert display_name("double_11", "zh") == "双11（光棍节）"
    assert display_name("Boxing Day", "en") == "Boxing Day"


# The markets lib/holiday_names_zh.yaml promises, and the places the package names in Chinese.
ZH_NAMED_MARKETS = "US GB CA AU NZ IE DE FR ES IT NL JP KR SG MY CL CN HK MO TW".split()


@pytest.mark.parametrize("country", ZH_NAMED_MARKETS)
def test_every_public_holiday_of_the_named_markets_has_a_chinese_name(country: str) -> None:
    names = public_holidays(country, range(2018, 2033))["holiday"].unique()
    assert len(names) >= 5
    untranslated = [n for n in names if not any("\u4e00" <= ch <= "\u9fff" for ch in display_name(n, "zh"))]
    assert untranslated == []
    assert all(display_name(n, "en") == n for n in names)


def test_public_holiday_chinese_names_prefer_mainland_china_and_else_the_shipped_table() -> None:
    assert display_name("Martin Luther King Jr. Day", "zh") == "马丁·路德·金纪念日"
    assert display_name("Boxing Day", "zh") == "节礼日"
    # From the package's own zh_CN calendar of China:
    assert display_name("Chinese New Year (Spring Festival)", "zh") == "春节"
    assert display_name("National Day", "zh") == "国庆节"       # not Hong Kong's 国庆日
    assert display_name("New Year's Day", "zh") == "元旦"        # not Hong Kong's 一月一日
    assert display_name("Day off (substituted)", "zh") == "调休休息日"
    # From Hong Kong's, where neither of the others names it:
    assert display_name("Double Ninth Festival", "zh") == "重阳节"
    # A user's own holiday stays as written.
    assert display_name("Our warehouse party", "zh") == "Our warehouse party"


def test_window_days_lists_every_day_by_offset_then_window_and_stops_at_max_window() -> None:
    from lib.forecast.festivals import MAX_WINDOW

    w = pd.DataFrame({"holiday": ["a", "b", "c", "d"],
                      "ds": pd.to_datetime(["2024-11-11", "2024-11-12", "2024-01-01", "2024-06-01"]),
                      "lower_window": [-1, 0, -MAX_WINDOW - 5, 0], "upper_window": [1, 0, -MAX_WINDOW, -1]})
    days = window_days(w)
    # offset −35..−31 of c: only −31 is within reach; d's window is empty (upper < lower)
    assert [(h, d.date().isoformat()) for h, d in zip(days["holiday"], days["ds"])] == [
        ("c", "2023-12-01"),                          # offset −31
        ("a", "2024-11-10"),                          # offset −1
        ("a", "2024-11-11"), ("b", "2024-11-12"),     # offset 0, windows in their order
        ("a", "2024-11-12")]                          # offset +1
    assert pd.api.types.is_datetime64_any_dtype(days["ds"])
    assert window_days(w.iloc[0:0]).empty
