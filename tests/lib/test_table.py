"""lib.table: numbers stay numbers, written the same way on the page (printf) and in reports."""
from __future__ import annotations

import math
from decimal import Decimal

import pandas as pd

from lib.table import CHANGE, INT, PCT, Fmt, Table, build_table, money


def test_printf_formats_streamlit_reads():
    assert money("USD").printf() == "USD %,.2f"
    assert money(None).printf() == "%,.2f"
    assert PCT.printf() == "%,.1f%%"  # a literal % is doubled
    assert INT.printf() == "%,d"
    assert Fmt(1, suffix=" h").printf() == "%,.1f h"
    assert Fmt(0, prefix="50% ").printf() == "50%% %,d"
    assert CHANGE.printf() == "%+,.1f%%"


def test_text_writes_what_the_page_shows():
    assert money("USD").text(1234567.5) == "USD 1,234,567.50"
    assert money("CNY").text(-12.25) == "CNY -12.25"
    assert PCT.text(12.3) == "12.3%"  # frame values are already scaled
    assert INT.text(1000.0) == "1,000"
    assert CHANGE.text(1234.5) == "+1,234.5%" and CHANGE.text(-4.0) == "-4.0%"
    assert INT.text(None) == "—" and INT.text(math.nan) == "—" and INT.text(pd.NA) == "—"


def test_build_table_scales_rounds_and_renames():
    frame = pd.DataFrame({"name": ["b", "a", None], "sales": [Decimal("10000.00"), Decimal("9000.50"), None],
                          "share": [0.52631, 0.47369, None], "orders": [12, 9, 1]})
    table = build_table(frame, {"sales": money("USD"), "share": PCT, "orders": INT},
                        {"name": "Name", "sales": "Sales", "share": "Share", "orders": "Orders"}.__getitem__)
    assert table.columns == ["Name", "Sales", "Share", "Orders"]
    # numbers, so a sort puts 9,000.50 below 10,000 (text would sort "USD 9" after "USD 1")
    assert table.frame["Sales"].dtype == "float64"
    assert table.frame.sort_values("Sales")["Name"].tolist()[:2] == ["a", "b"]
    assert table.column("Share")[:2] == [52.6, 47.4]  # scaled to points, rounded to 1 place
    assert math.isnan(table.column("Sales")[2])
    assert table.text_frame().values.tolist() == [
        ["b", "USD 10,000.00", "52.6%", "12"],
        ["a", "USD 9,000.50", "47.4%", "9"],
        ["—", "—", "—", "1"]]
    assert frame["share"].tolist()[0] == 0.52631  # the input is not changed


def test_rounding_is_the_same_on_page_and_in_report():
    # 1.25 is exact in binary: Python rounds it to even (1.2), a browser's toFixed to 1.3. The
    # frame holds the rounded value, so both write 1.2.
    table = build_table(pd.DataFrame({"h": [1.25, 2.675, -0.04]}), {"h": Fmt(1)}, str)
    assert table.column("h") == [1.2, 2.7, 0.0]
    assert table.texts("h") == ["1.2", "2.7", "0.0"]  # not '-0.0'
    changes = build_table(pd.DataFrame({"c": [-0.0004, 0.1234]}), {"c": CHANGE}, str)
    assert changes.texts("c") == ["+0.0%", "+12.3%"]


def test_empty_table():
    table = Table(pd.DataFrame({"a": []}))
    assert table.empty and table.text_frame().empty


def test_unit_fmt_writes_a_catalogue_format_as_describe_does():
    from lib.metrics.catalogue import load_catalogue
    from lib.metrics.describe import format_number
    from lib.table import unit_fmt

    cat = load_catalogue()
    cases = [("net_sales", 1234.5), ("orders", 1001), ("repeat_customer_rate", 0.1234),
             ("avg_order_value", 22.666)]
    for metric, value in cases:
        fmt = unit_fmt(cat[metric].format, "USD")
        shown = build_table(pd.DataFrame({"v": [value]}), {"v": fmt}, str).texts("v")[0]
        assert shown == format_number(cat[metric], value, "USD"), metric
    assert unit_fmt("hours", None, "en").text(17.6) == "17.6 h"
    assert unit_fmt("hours", None, "zh").text(17.6) == "17.6 小时"
    assert unit_fmt("days", None, "zh").text(3.0) == "3.0 天"
    assert unit_fmt("multiple", None).text(1.5) == "1.50×"
    assert unit_fmt("number", None, values=[1200.0, 1.0]).text(1200.0) == "1,200"
    assert unit_fmt("number", None, values=[1.5, None]).text(1200.0) == "1,200.00"
