"""RELIABILITY.md sections A, B and C as they apply to ingest: each bad input, its expected handling.

Every case also checks the invariant rows read = rows loaded + rows rejected, and that nothing
already loaded changed when a file is refused.
"""
from __future__ import annotations

import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from lib.ingest.load import IngestOptions, IngestResult, ingest_path
from lib.ingest.mapping import GenericMapping
from lib.metrics.core import compute_core_kpis
from lib.workspace import Workspace
from tests.lib.ingest.fixtures import SHOPIFY_HEADER, SHOPIFY_ROWS, shopify_file, to_csv, write

SIMPLE = "order_id,date,sku,qty,amount\n"
SIMPLE_MAP = GenericMapping(columns={"order_id": "order_id", "order_date": "date", "sku": "sku",
                                     "quantity": "qty", "line_total": "amount"}, currency="USD")


def one(ws: Workspace, path: Path, **opts: object) -> IngestResult:
    [res] = ingest_path(ws, path, options=IngestOptions(**opts))  # type: ignore[arg-type]
    assert res.rows_read == res.rows_loaded + res.rows_rejected
    return res


def simple(ws: Workspace, tmp: Path, body: str, name: str = "f.csv", **opts: object) -> IngestResult:
    opts.setdefault("mapping", SIMPLE_MAP)
    return one(ws, write(tmp / name, SIMPLE + body), **opts)


def orders_count(ws: Workspace) -> int:
    return ws.cursor().execute("SELECT count(*) FROM orders").fetchone()[0]


@pytest.fixture
def loaded(ws: Workspace, tmp_path: Path) -> Workspace:
    """A workspace that already holds data, to prove refusals never touch it."""
    ingest_path(ws, shopify_file(tmp_path, "existing.csv"))
    assert orders_count(ws) == 2
    return ws


# --- A. encoding and structure -------------------------------------------------------------
def test_a1_a2_gbk_decodes_exactly_never_as_latin1(ws: Workspace, tmp_path: Path) -> None:
    f = write(tmp_path / "gbk.csv", "订单号,下单时间,金额\n1,2024-03-01 10:00:00,￥12.50\n", "gbk")
    mapping = GenericMapping(columns={"order_id": "订单号", "order_date": "下单时间",
                                      "order_total": "金额"}, currency="CNY")
    res = one(ws, f, mapping=mapping)
    assert (res.status, res.encoding) == ("loaded", "gb18030")
    assert res.header == ["订单号", "下单时间", "金额"]
    assert ws.cursor().execute("SELECT total FROM orders").fetchone() == (Decimal("12.50"),)


def test_a3_utf8_bom_header_matches_known_format(ws: Workspace, tmp_path: Path) -> None:
    f = write(tmp_path / "bom.csv", b"\xef\xbb\xbf" + to_csv(SHOPIFY_HEADER, SHOPIFY_ROWS).encode())
    res = one(ws, f)
    assert (res.format, res.encoding, res.header[0]) == ("shopify_orders", "utf-8-sig", "Name")


def test_a4_utf16_tab_separated_excel_unicode_text(ws: Workspace, tmp_path: Path) -> None:
    f = write(tmp_path / "u16.txt", to_csv(SHOPIFY_HEADER, SHOPIFY_ROWS, delimiter="\t"), "utf-16")
    res = one(ws, f)
    assert (res.status, res.format, res.orders) == ("loaded", "shopify_orders", 2)


@pytest.mark.parametrize("bad_line, reason", [("3,2024-01-02,B\n", "too few fields"),
                                              ("3,2024-01-02,B,1,2,EXTRA\n", "too many fields")])
def test_a5_a6_ragged_rows_are_rejected_with_their_line(ws: Workspace, tmp_path: Path,
                                                        bad_line: str, reason: str) -> None:
    res = simple(ws, tmp_path, "1,2024-01-01,A,1,9.50\n" + bad_line + "4,2024-01-03,C,2,4.00\n")
    assert (res.rows_read, res.rows_loaded, res.rows_rejected) == (3, 2, 1)
    assert res.problems[0].line == 3 and reason in res.problems[0].reason


def test_a7_two_ragged_lines_in_fifty_keep_five_columns(ws: Workspace, tmp_path: Path) -> None:
    rows = [f"{i},2024-01-01,S{i},1,1.00\n" for i in range(50)]
    rows[10] = "x,y\n"
    rows[30] = "1,2,3,4,5,6,7\n"
    res = simple(ws, tmp_path, "".join(rows))
    assert (res.rows_read, res.rows_loaded, res.rows_rejected) == (50, 48, 2)
    assert len(res.header) == 5


def test_a8_title_lines_need_confirmation_and_footer_total_is_rejected(loaded: Workspace, tmp_path: Path) -> None:
    body = "Orders report\nExported 2024-03-31\n" + SIMPLE + "1,2024-01-01,A,1,9.50\n合计,,,,9.50\n"
    f = write(tmp_path / "title.csv", body)
    refused = one(loaded, f, mapping=SIMPLE_MAP)
    assert refused.status == "refused" and refused.problems[0].line == 3
    assert "--skip-lines 2" in refused.message
    assert orders_count(loaded) == 2
    ok = one(loaded, f, mapping=SIMPLE_MAP, skip_lines=2)
    assert (ok.status, ok.rows_loaded, ok.rows_rejected) == ("loaded", 1, 1)
    assert ok.problems[0].raw_value is None or ok.problems[0].line == 5


def test_a9_unterminated_quote_is_reported_not_swallowed(ws: Workspace, tmp_path: Path) -> None:
    res = simple(ws, tmp_path, '1,2024-01-01,"oops,1,2.00\n2,2024-01-02,B,1,3.00\n')
    assert res.status in ("loaded", "refused")
    if res.status == "loaded":
        assert res.rows_rejected >= 1 and res.rows_loaded <= 1


def test_a10_quoted_newlines_stay_inside_the_cell(ws: Workspace, tmp_path: Path) -> None:
    rows = [r[:] for r in SHOPIFY_ROWS]
    rows[0][15] = "Tea cup\nwith a\r\nlong name"
    res = one(ws, write(tmp_path / "nl.csv", to_csv(SHOPIFY_HEADER, rows)))
    assert (res.rows_read, res.orders) == (3, 2)
    name = ws.cursor().execute("SELECT product_name FROM order_lines WHERE sku = '0123'").fetchone()[0]
    assert name == "Tea cup\nwith a\r\nlong name"


@pytest.mark.parametrize("content", [b"", SIMPLE.encode(), b"   \n\n  \n"])
def test_a11_empty_header_only_whitespace_refused_clearly(loaded: Workspace, tmp_path: Path, content: bytes) -> None:
    res = one(loaded, write(tmp_path / "empty.csv", content), mapping=SIMPLE_MAP)
    assert res.status == "refused" and ("empty" in res.message or "no data rows" in res.message)
    assert orders_count(loaded) == 2


def test_a12_one_data_row_loads(ws: Workspace, tmp_path: Path) -> None:
    assert simple(ws, tmp_path, "1,2024-01-01,A,1,9.50\n").orders == 1


def test_a13_decimal_comma_only_with_explicit_choice(ws: Workspace, tmp_path: Path) -> None:
    body = "order_id;date;sku;qty;amount\n1;2024-01-01;A;1;1.234,50\n"
    f = write(tmp_path / "eu.csv", body)
    strict = one(ws, f, mapping=SIMPLE_MAP)
    assert strict.rows_rejected == 1 and "not an amount" in strict.problems[0].reason
    ok = one(ws, write(tmp_path / "eu2.csv", body), mapping=SIMPLE_MAP, decimal_comma=True)
    assert ok.rows_loaded == 1
    assert ws.cursor().execute("SELECT total FROM orders").fetchone() == (Decimal("1234.50"),)


@pytest.mark.parametrize("newline", ["\r", "\r\n"])
def test_a14_cr_only_and_crlf_read_like_lf(ws: Workspace, tmp_path: Path, newline: str) -> None:
    res = one(ws, shopify_file(tmp_path, newline=newline))
    assert (res.rows_read, res.orders) == (3, 2)
    assert compute_core_kpis(ws).gross_sales == Decimal("46.50")


@pytest.mark.parametrize("first", ["\r\n", "\n"])
def test_a14_mixed_crlf_and_lf_read_like_lf(ws: Workspace, tmp_path: Path, first: str) -> None:
    """An export edited by hand: some lines end in CRLF, others in LF (DuckDB's reader keeps
    the first ending it sees and stopped with an internal error)."""
    text = to_csv(SHOPIFY_HEADER, SHOPIFY_ROWS)
    lines = text.split("\n")
    other = "\n" if first == "\r\n" else "\r\n"
    mixed = "".join(line + (first if i % 2 == 0 else other) for i, line in enumerate(lines[:-1]))
    assert "\r\n" in mixed and "\n" in mixed.replace("\r\n", "")  # both endings occur
    res = one(ws, write(tmp_path / "mixed.csv", mixed))
    assert (res.status, res.rows_read, res.rows_rejected, res.orders) == ("loaded", 3, 0, 2)
    assert compute_core_kpis(ws).gross_sales == Decimal("46.50")  # as the LF file


def test_lines_after_a_ragged_line_keep_their_own_numbers(ws: Workspace, tmp_path: Path) -> None:
    """Lines the reader refuses are not staged; the value rejections after them still name
    the file's line (3 and 6 are ragged; x, y and z are on lines 4, 5 and 7)."""
    res = simple(ws, tmp_path, "1,2024-01-01,A,1,1.00\n2,2024-01-02,B\n3,2024-01-03,C,1,x\n"
                               "4,2024-01-03,C,1,y\n5,2024-01-03,C\n6,2024-01-03,C,1,z\n")
    assert (res.rows_read, res.rows_loaded, res.rows_rejected) == (6, 1, 5)
    assert sorted((p.line, p.raw_value) for p in res.problems) == [
        (3, "2,2024-01-02,B"), (4, "x"), (5, "y"), (6, "5,2024-01-03,C"), (7, "z")]
    stored = ws.cursor().execute("SELECT row_number, value FROM rejected_rows ORDER BY 1").fetchall()
    assert stored == [(3, "2,2024-01-02,B"), (4, "x"), (5, "y"), (6, "5,2024-01-03,C"), (7, "z")]


def test_another_row_of_the_order_names_the_right_line_after_a_ragged_one(ws: Workspace,
                                                                          tmp_path: Path) -> None:
    # Line 2 is ragged; #1001's second row (line 4) has a bad price, so its first row (line 3)
    # goes too, pointing at line 4.
    rows = [list(r) for r in SHOPIFY_ROWS]
    price = SHOPIFY_HEADER.index("Lineitem price")
    rows[1][price] = "abc"
    text = to_csv(SHOPIFY_HEADER, rows)
    head, rest = text.split("\n", 1)
    res = one(ws, write(tmp_path / "o.csv", head + "\n#999,x\n" + rest))
    assert [(p.line, p.reason) for p in sorted(res.problems, key=lambda p: p.line or 0)][:3] == [
        (2, f"too few fields (expected {len(SHOPIFY_HEADER)})"),
        (3, "another row of this order (line 4) was rejected"),
        (4, "not an amount")]


def test_a15_hostile_headers_are_data_only(ws: Workspace, tmp_path: Path) -> None:
    evil = '"a""; DROP TABLE orders; --"'
    f = write(tmp_path / "evil.csv", f"{evil},date,amount\n1,2024-01-01,3.00\n")
    res = one(ws, f)
    assert res.status == "needs_mapping" and res.header[0] == 'a"; DROP TABLE orders; --'
    m = GenericMapping(columns={"order_id": res.header[0], "order_date": "date", "order_total": "amount"})
    assert one(ws, f, mapping=m).orders == 1
    assert ws.cursor().execute("SELECT count(*) FROM orders").fetchone() == (1,)


def test_a16_duplicate_and_blank_headers_do_not_crash(ws: Workspace, tmp_path: Path) -> None:
    res = one(ws, write(tmp_path / "dup.csv", "SKU,sku,SKU,,\n1,2,3,4,5\n"))
    assert res.status == "needs_mapping" and len(res.header) == 5


def test_a16_columns_sharing_a_name_are_named_and_the_first_is_read(ws: Workspace, tmp_path: Path) -> None:
    from lib.i18n import describe_result

    body = "order_id,date,SKU,sku,qty,amount\n1,2024-01-01,X,Y,1,1.00\n"
    res = one(ws, write(tmp_path / "dup.csv", body), mapping=SIMPLE_MAP)
    assert res.status == "loaded" and res.notes == ["columns 3, 4 are all named “SKU”: column 3 was read"]
    assert ws.cursor().execute("SELECT sku FROM order_lines").fetchall() == [("X",)]
    assert res.message.endswith("Note: columns 3, 4 are all named “SKU”: column 3 was read.")
    assert describe_result(res, "zh").endswith("\n\n注意：第 3, 4 列都名为“SKU”：读取的是第 3 列。")
    assert res.to_json()["notes"] == res.notes
    assert one(ws, write(tmp_path / "plain.csv", SIMPLE + "2,2024-01-01,X,1,1.00\n"), mapping=SIMPLE_MAP).notes == []


def test_a17_too_many_columns_refused(ws: Workspace, tmp_path: Path) -> None:
    header = ",".join(f"c{i}" for i in range(5000))
    res = one(ws, write(tmp_path / "wide.csv", header + "\n" + ",".join("1" * 5000) + "\n"))
    assert res.status == "refused" and "5000 columns" in res.message


def test_a18_overlong_line_is_rejected_with_a_reason(ws: Workspace, tmp_path: Path) -> None:
    res = simple(ws, tmp_path, "1,2024-01-01,A,1,1.00\n2,2024-01-01," + "x" * 5_000_000 + ",1,1.00\n")
    assert res.rows_loaded == 1 and res.rows_rejected == 1
    assert "too long" in res.problems[0].reason


def test_a20_nul_byte_in_a_cell_is_stripped(ws: Workspace, tmp_path: Path) -> None:
    res = one(ws, write(tmp_path / "nul.csv", (SIMPLE + "1,2024-01-01,A\x00B,1,1.00\n" * 1).encode()
                        + b"2,2024-01-02,C,1,2.00\n" * 200), mapping=SIMPLE_MAP)
    assert res.rows_loaded == 201
    assert ws.cursor().execute("SELECT sku FROM order_lines WHERE order_id = '1'").fetchone() == ("AB",)


def test_a21_mixed_utf8_and_gbk_is_refused_with_the_line(loaded: Workspace, tmp_path: Path) -> None:
    data = (SIMPLE + "1,2024-01-01,茶杯,1,1.00\n").encode() + "2,2024-01-02,茶壶,1,2.00\n".encode("gbk")
    res = one(loaded, write(tmp_path / "mixed.csv", data), mapping=SIMPLE_MAP)
    assert res.status == "refused" and res.problems[0].line == 3
    assert orders_count(loaded) == 2


@pytest.mark.parametrize("magic, what", [(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "PNG"),
                                         (b"PK\x03\x04" + b"\x00" * 100, "zip"),
                                         (b"MZ\x90\x00" + b"\x00" * 100, "program"),
                                         (b"SQLite format 3\x00" + b"\x00" * 100, "SQLite"),
                                         (b"PAR1" + b"\x00" * 100, "Parquet")])
def test_a22_c13_binary_named_csv_is_refused_before_parsing(loaded: Workspace, tmp_path: Path,
                                                            magic: bytes, what: str) -> None:
    res = one(loaded, write(tmp_path / "junk.csv", magic))
    assert res.status == "refused" and what.lower() in res.message.lower()
    assert orders_count(loaded) == 2


# --- B. values, types, dates ------------------------------------------------------------------
def test_b1_to_b6_ids_keep_zeros_length_and_lose_excel_markers(ws: Workspace, tmp_path: Path) -> None:
    body = ("00123,2024-01-01,02138,1,1.00\n"
            "1234567890123456789,2024-01-01,A,1,1.00\n"
            "12345678901234567890123,2024-01-01,A,1,1.00\n"
            '"=""000777""",2024-01-01,A,1,1.00\n'
            "'0999,2024-01-01,A,1,1.00\n"
            '"\t0888",2024-01-01,A,1,1.00\n'
            "1.23457E+18,2024-01-01,A,1,1.00\n"
            "9.87654e+21,2024-01-01,A,1,1.00\n")
    res = simple(ws, tmp_path, body)
    ids = {r[0] for r in ws.cursor().execute("SELECT order_id FROM orders").fetchall()}
    assert ids == {"00123", "1234567890123456789", "12345678901234567890123", "000777", "0999", "0888"}
    assert ws.cursor().execute("SELECT sku FROM order_lines WHERE order_id = '00123'").fetchone() == ("02138",)
    assert res.rows_rejected == 2
    assert all("scientific notation" in p.reason for p in res.problems)
    # B5/B6: what was stripped is said, per column, and kept in the import log
    note = "Excel's text markers (=\"…\", a leading ' or tab) were removed from IDs: “order_id” (3)"
    assert res.notes == [note]
    assert ws.imports()[0]["message"].endswith(f" Note: {note}.")


@pytest.mark.parametrize("raw, expected", [
    ("$2", "2"), ("£1,000.00", "1000.00"), ("(86)", "-86"), ("($86)", "-86"), ("￥1,234.50", "1234.50"),
    ("-4300.00€", "-4300.00"), ("１２３", "123"), ("1\u00a0000.00", "1000.00"), ("0", "0"),
    ("₹ -13", "-13"), ("₩12,000", "12000"), ("1,299.00 INR", "1299.00"), ("JPY 1,200", "1200"),
])
def test_b7_b9_amount_formats(ws: Workspace, tmp_path: Path, raw: str, expected: str) -> None:
    res = simple(ws, tmp_path, f'1,2024-01-01,A,1,"{raw}"\n')
    assert res.rows_loaded == 1, res.problems
    assert ws.cursor().execute("SELECT total FROM orders").fetchone()[0] == Decimal(expected)


@pytest.mark.parametrize("raw", ["9.986.000", "1,5", "abc", "12abc"])
def test_b8_b12_ambiguous_or_bad_amounts_are_rejected_not_guessed(ws: Workspace, tmp_path: Path, raw: str) -> None:
    res = simple(ws, tmp_path, "0,2024-01-01,A,1,1.00\n" * 3 + f'1,2024-01-01,A,1,"{raw}"\n')
    assert (res.rows_loaded, res.rows_rejected) == (3, 1)
    assert res.problems[0].line == 5 and res.problems[0].column == "amount"


def test_b10_null_tokens_become_null_but_zero_stays(ws: Workspace, tmp_path: Path) -> None:
    rows = [r[:] for r in SHOPIFY_ROWS]
    rows[0][11] = "NULL"  # discount code
    rows[2][12] = "0"
    rows[2][11] = "N/A"
    rows[1][17] = " - "  # the second line's SKU
    res = one(ws, write(tmp_path / "n.csv", to_csv(SHOPIFY_HEADER, rows)))
    got = ws.cursor().execute("SELECT discount_code, discount FROM orders ORDER BY order_id").fetchall()
    assert got == [(None, Decimal("2.50")), (None, Decimal("0.00"))]
    # counted per column, most first; the 0 is a value, not a placeholder
    assert res.notes == ["cells holding only a placeholder (N/A, -, NULL…) or spaces were read as "
                         "empty: “Discount Code” (2), “Lineitem sku” (1)"]


def test_b10_placeholders_in_rejected_rows_are_not_counted_as_read(ws: Workspace, tmp_path: Path) -> None:
    """A rejected row is reported as rejected; its placeholders are not part of what loaded.
    Blank cells the export leaves empty are no placeholders either."""
    res = simple(ws, tmp_path, "1,2024-01-01,N/A,1,1.00\n2,2024-01-02,,0,2.00\n"
                               "3,2024-01-03,  ,1,3.00\n4,someday,N/A,1,4.00\n5,2024-01-05,#N/A,,5.00\n")
    assert (res.rows_loaded, res.rows_rejected) == (4, 1)
    assert res.notes == ["cells holding only a placeholder (N/A, -, NULL…) or spaces were read as "
                         "empty: “sku” (3)"]


@pytest.mark.parametrize("raw", ["2024-02-30", "2023-02-29", "0001-13-01"])
def test_b13_b20_invalid_dates_rejected_not_rolled_over(ws: Workspace, tmp_path: Path, raw: str) -> None:
    res = simple(ws, tmp_path, f"1,{raw},A,1,1.00\n2,2024-02-29,A,1,1.00\n")
    assert (res.rows_loaded, res.rows_rejected) == (1, 1)
    assert res.problems[0].column == "date"


def test_b20_placeholder_years_are_rejected_with_their_reason(ws: Workspace, tmp_path: Path) -> None:
    """0001-01-01, 1900-01-01 and 9999-12-31 are 'no date' written as a date: loaded, one
    order would stretch every chart and the sidebar's range to year 9999."""
    res = simple(ws, tmp_path, "1,0001-01-01,A,1,1.00\n2,9999-12-31,A,1,1.00\n"
                               "3,1900-01-01 00:00:00,A,1,1.00\n4,1979-12-31,A,1,1.00\n"
                               "5,1980-01-01,A,1,1.00\n6,2099-12-31 23:59:59,A,1,1.00\n")
    assert (res.rows_loaded, res.rows_rejected) == (2, 4)
    assert [(p.line, p.column, p.raw_value) for p in res.problems] == [
        (2, "date", "0001-01-01"), (3, "date", "9999-12-31"), (4, "date", "1900-01-01 00:00:00"),
        (5, "date", "1979-12-31")]
    assert {p.reason for p in res.problems} == {
        "a date before 1980 or after 2099: a placeholder such as 1900-01-01 or 9999-12-31, "
        "not a real date"}
    assert (res.date_min, res.date_max) == (date(1980, 1, 1), date(2099, 12, 31))


def test_b14_day_first_is_a_stated_choice(ws: Workspace, tmp_path: Path) -> None:
    body = "1,01/02/2024,A,1,1.00\n"
    us = GenericMapping(columns=SIMPLE_MAP.columns, day_first=False, currency="USD")
    simple(ws, tmp_path, body, "us.csv", mapping=us)
    assert str(ws.cursor().execute("SELECT order_date FROM orders").fetchone()[0]) == "2024-01-02"
    ws.undo_import(1)
    dm = GenericMapping(columns=SIMPLE_MAP.columns, day_first=True, currency="EUR")
    simple(ws, tmp_path, body, "eu.csv", mapping=dm)
    assert str(ws.cursor().execute("SELECT order_date FROM orders").fetchone()[0]) == "2024-02-01"


def test_b14_an_open_date_order_is_decided_by_a_date_that_fits_one_way_only(ws: Workspace,
                                                                            tmp_path: Path) -> None:
    """Left open (the default), the file decides: 13/01 can only be day first, so 01/02 on
    the line before is 1 February; a US file's 01/13 makes 01/02 2 January."""
    res = simple(ws, tmp_path, "1,01/02/2024,A,1,1.00\n2,13/01/2024 10:00,A,1,1.00\n", "eu.csv")
    assert res.status == "loaded" and res.rows_rejected == 0
    day = "SELECT order_date::VARCHAR FROM orders WHERE order_id = ?"
    assert ws.cursor().execute(day, ["1"]).fetchone() == ("2024-02-01",)
    res = simple(ws, tmp_path, "3,01/02/2024,A,1,1.00\n4,01/13/2024,A,1,1.00\n", "us.csv")
    assert res.status == "loaded" and ws.cursor().execute(day, ["3"]).fetchone() == ("2024-01-02",)


def test_b14_dates_that_read_both_ways_are_refused_not_guessed(loaded: Workspace, tmp_path: Path) -> None:
    """Nothing loads; the mapping is asked for again (the Data page shows its form), with why."""
    res = simple(loaded, tmp_path, "1,01/02/2024,A,1,1.00\n2,03/04/2024,A,1,1.00\n")
    assert (res.status, res.key, res.header) == ("needs_mapping", "ingest.date_order",
                                                 ["order_id", "date", "sku", "qty", "amount"])
    assert res.problems[0].reason == (
        "its dates (like 01/02/2024) read as day first or month first, and none of them tells which")
    assert orders_count(loaded) == 2
    mixed = simple(loaded, tmp_path, "1,13/01/2024,A,1,1.00\n2,01/13/2024,A,1,1.00\n", "m.csv")
    assert mixed.status == "needs_mapping" and mixed.problems[0].reason == (
        "its dates are written both day first (13/01/2024) and month first (01/13/2024)")
    # ISO dates have no order to decide
    assert simple(loaded, tmp_path, "9,2024-01-02,A,1,1.00\n", "iso.csv").status == "loaded"


def test_b14_a_workbooks_dates_decide_too(ws: Workspace, tmp_path: Path) -> None:
    book = _xlsx(tmp_path / "eu.xlsx", {"Sheet1": [["order_id", "date", "sku", "qty", "amount"],
                                                    ["1", "02/03/2024", "A", 1, 1.0],
                                                    ["2", "25/03/2024", "A", 1, 1.0]]})
    [res] = ingest_path(ws, book, options=IngestOptions(mapping=SIMPLE_MAP))
    assert res.status == "loaded"
    assert ws.cursor().execute("SELECT min(order_date)::VARCHAR FROM orders").fetchone() == ("2024-03-02",)

def test_b17_offsets_give_correct_instants(ws: Workspace, tmp_path: Path) -> None:
    simple(ws, tmp_path, "1,2012-07-14T18:53:56-07:00,A,1,1.00\n")
    row = ws.cursor().execute("SELECT epoch(created_at), order_date::VARCHAR FROM orders").fetchone()
    assert row == (1342317236.0, "2012-07-14")


def test_b15_mapped_times_without_offset_are_the_shops_local_time(ws: Workspace, tmp_path: Path) -> None:
    """A mapped file's naive times are in the workspace's time zone unless the mapping names
    one: 01:59 in Shanghai is 17:59 UTC the day before (epoch 1710007140)."""
    ws.set_timezone("Asia/Shanghai")
    simple(ws, tmp_path, "1,2024/3/10 1:59:00,A,1,1.00\n")
    sql = "SELECT epoch(created_at), order_date::VARCHAR FROM orders WHERE order_id = ?"
    assert ws.cursor().execute(sql, ["1"]).fetchone() == (1710007140.0, "2024-03-10")
    london = GenericMapping(columns=SIMPLE_MAP.columns, currency="USD", timezone="Europe/London")
    simple(ws, tmp_path, "2,2024/3/10 1:59:00,A,1,1.00\n", name="g.csv", mapping=london)
    assert ws.cursor().execute(sql, ["2"]).fetchone() == (1710035940.0, "2024-03-10")  # GMT


def test_b16_b18_mapped_us_dates_and_clock_changes(ws: Workspace, tmp_path: Path) -> None:
    """A mapped file in Amazon's page style (`Mar 10, 2024 1:59:00 AM PST`) keeps the offset it
    names; in a New York shop a naive 01:30 on the fall-back night is the first one (EDT) and
    02:30 on the spring-forward night, which never happened, is read as 03:30 EDT."""
    ws.set_timezone("America/New_York")
    res = simple(ws, tmp_path, '1,"Mar 10, 2024 1:59:00 AM PST",A,1,1.00\n'
                               "2,2024-11-03 01:30:00,A,1,1.00\n"
                               "3,2024-03-10 02:30:00,A,1,1.00\n"
                               '4,"Nov 3, 2024",A,1,1.00\n')
    assert (res.status, res.rows_loaded, res.rows_rejected) == ("loaded", 4, 0)
    got = ws.cursor().execute("SELECT order_id, epoch(created_at), order_date::VARCHAR FROM orders "
                              "ORDER BY order_id").fetchall()
    assert got == [("1", 1710064740.0, "2024-03-10"), ("2", 1730611800.0, "2024-11-03"),
                   ("3", 1710055800.0, "2024-03-10"), ("4", 1730606400.0, "2024-11-03")]


def test_b19_excel_serial_dates_and_epoch_numbers_are_not_read_as_dates(ws: Workspace, tmp_path: Path) -> None:
    """45292 is 2024-01-01 to Excel and 1704067200000 that day in epoch milliseconds; read as a
    date only if the user converts them, never silently: the rows are rejected, naming it."""
    res = simple(ws, tmp_path, "1,45292,A,1,1.00\n2,1704067200000,A,1,1.00\n3,2024-01-01,A,1,1.00\n")
    assert (res.rows_loaded, res.rows_rejected) == (1, 2)
    assert [(p.line, p.column, p.raw_value) for p in res.problems] == [
        (2, "date", "45292"), (3, "date", "1704067200000")]
    assert all(p.reason.startswith("a number, not a date (Excel shows dates as serial numbers")
               for p in res.problems)
    assert simple(ws, tmp_path, "4,2024-13-45,A,1,1.00\n", name="g.csv").problems[0].reason == \
        "not a valid date/time in the expected format"  # not a number: the usual reason


def test_b11_a_zero_one_quantity_column_stays_numbers(ws: Workspace, tmp_path: Path) -> None:
    """A column of 1s and 0s mapped as quantity is numbers, not booleans."""
    simple(ws, tmp_path, "1,2024-01-01,A,1,1.00\n1,2024-01-01,B,0,0.00\n")
    got = ws.cursor().execute("SELECT sku, quantity FROM order_lines ORDER BY sku").fetchall()
    assert got == [("A", Decimal("1")), ("B", Decimal("0"))]


def test_a19_a_200_kb_cell_loads_whole(ws: Workspace, tmp_path: Path) -> None:
    """Over Python's csv field limit (131,072) and Excel's cell limit: kept as it is in the
    workspace (the XLSX export cuts it with a mark, D9)."""
    name = "Tea " + "x" * 200_000
    mapping = GenericMapping(columns={**SIMPLE_MAP.columns, "product_name": "name"}, currency="USD")
    res = one(ws, write(tmp_path / "long.csv", f"order_id,date,sku,qty,amount,name\n1,2024-01-01,A,1,1.00,{name}\n"),
              mapping=mapping)
    assert (res.status, res.rows_loaded) == ("loaded", 1)
    stored = ws.cursor().execute("SELECT product_name FROM order_lines").fetchone()[0]
    assert stored == name and len(stored) == 200_004


def test_an_unknown_time_zone_in_a_mapping_is_refused_not_a_crash(ws: Workspace, tmp_path: Path) -> None:
    mars = GenericMapping(columns=SIMPLE_MAP.columns, currency="USD", timezone="Mars/Olympus")
    res = simple(ws, tmp_path, "1,2024-01-01,A,1,1.00\n", mapping=mars)
    assert res.status == "refused" and "Unknown time zone “Mars/Olympus”" in res.message
    assert orders_count(ws) == 0


def test_b22_refund_documents_stay_negative_numbers(ws: Workspace, tmp_path: Path) -> None:
    body = ("InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
            "536365,85123A,HEART,6,2010-12-01 08:26:00,2.55,17850,United Kingdom\n"
            "536365,POST,POSTAGE,1,2010-12-01 08:26:00,18.00,17850,United Kingdom\n"
            "C536379,85123A,HEART,-2,2010-12-01 09:41:00,2.55,17850,United Kingdom\n")
    res = one(ws, write(tmp_path / "retail.csv", body))
    assert (res.format, res.orders) == ("online_retail", 1)
    k = compute_core_kpis(ws)
    assert (k.orders, k.gross_sales, k.refunds, k.order_total) == (1, Decimal("15.30"), Decimal("5.10"), Decimal("33.30"))
    assert ws.cursor().execute("SELECT quantity FROM order_lines WHERE order_id = 'C536379'").fetchone() == (Decimal("-2"),)


# --- C. workbooks -----------------------------------------------------------------------------
def _xlsx(path: Path, sheets: dict[str, list[list[object]]], hidden: tuple[str, ...] = ()) -> Path:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_numbers": False})
    for name, rows in sheets.items():
        sh = wb.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                sh.write(r, c, v)
        if name in hidden:
            sh.hide()
    wb.close()
    return path


RETAIL_HEAD = ["Invoice", "StockCode", "Description", "Quantity", "InvoiceDate", "Price", "Customer ID", "Country"]


def test_c6_two_sheets_load_as_two_imports_hidden_sheet_skipped(ws: Workspace, tmp_path: Path) -> None:
    f = _xlsx(tmp_path / "retail.xlsx", {
        "Year 2009-2010": [RETAIL_HEAD, ["489434", "85048", "LED", 12, "2009-12-01 07:45:00", 6.95, 13085, "United Kingdom"]],
        "Year 2010-2011": [RETAIL_HEAD, ["536365", "85123A", "HEART", 6, "2010-12-01 08:26:00", 2.55, 17850, "United Kingdom"]],
        "Secret": [RETAIL_HEAD, ["999999", "X", "HIDDEN", 1, "2010-12-01 08:26:00", 1.0, 1, "UK"]],
    }, hidden=("Secret",))
    results = ingest_path(ws, f)
    assert [(r.sheet, r.status, r.orders) for r in results] == [
        ("Year 2009-2010", "loaded", 1), ("Year 2010-2011", "loaded", 1)]
    assert compute_core_kpis(ws).gross_sales == Decimal("98.70")  # 12×6.95 + 6×2.55


def test_c1_zip_bomb_refused_before_parsing(loaded: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import lib.ingest.reader as reader

    monkeypatch.setattr(reader, "XLSX_MAX_ENTRY_BYTES", 5_000_000)
    f = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(f, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", "<a>" + "0" * 20_000_000 + "</a>")
    assert f.stat().st_size < 200_000
    res = one(loaded, f)
    assert res.status == "refused" and "unreasonable size" in res.message
    assert orders_count(loaded) == 2


@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"])
def test_c1_c2_a_bomb_under_the_size_caps_is_refused_by_its_ratio(loaded: Workspace, tmp_path: Path,
                                                                  part: str) -> None:
    """At the real caps (no monkeypatch): 60 MB of XML packed into ~60 KB (~1000×) is far
    below 1 GB, yet parsing a 512 MB one needed ~3 GB. Any part counts, not only sheets."""
    f = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(f, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr(part, "<a>" + " " * 60_000_000 + "</a>")
    assert f.stat().st_size < 200_000
    res = one(loaded, f)
    assert res.status == "refused" and res.problems[0].reason.startswith(
        "the workbook is packed like a zip bomb (a part unpacks to ")
    assert orders_count(loaded) == 2


def test_an_ordinary_workbook_passes_the_ratio_check(ws: Workspace, tmp_path: Path) -> None:
    import lib.ingest.reader as reader

    rows = [RETAIL_HEAD] + [[str(536365 + i // 3), f"SKU{i % 97}", "HEART", 1 + i % 5,
                             "2010-12-01 08:26:00", 2.55, 17850 + i % 40, "UK"] for i in range(3000)]
    book = _xlsx(tmp_path / "ok.xlsx", {"Sheet1": rows})
    with zipfile.ZipFile(book) as z:
        sheet = z.getinfo("xl/worksheets/sheet1.xml")
    assert sheet.file_size / sheet.compress_size < reader.XLSX_MAX_RATIO  # a real sheet packs ~10×
    [res] = ingest_path(ws, book)
    assert res.status == "loaded" and res.rows_loaded == 3000


def test_c7_a_workbook_with_formulas_says_their_saved_results_were_read(ws: Workspace, tmp_path: Path) -> None:
    """A formula's result is what the file saved (xlsxwriter saves 0: it never calculates);
    the load says so instead of passing 0 off as a price."""
    import xlsxwriter

    path = tmp_path / "formulas.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    sh = wb.add_worksheet("Sheet1")
    for c, v in enumerate(RETAIL_HEAD):
        sh.write(0, c, v)
    for c, v in enumerate(["1", "A", "X", 1, "2010-12-01 08:26:00"]):
        sh.write(1, c, v)
    sh.write_formula(1, 5, "=1.5*2")  # UnitPrice, saved without a calculated result
    sh.write(1, 6, 1)
    sh.write(1, 7, "UK")
    wb.close()
    [res] = ingest_path(ws, path)
    assert res.status == "loaded" and res.notes == [
        "the workbook has formulas: the results saved with it were read, not recalculated; a "
        "column that shows 0 or is empty where it should not needs the file opened in Excel, "
        "saved and uploaded again"]
    assert "Note: the workbook has formulas" in res.message
    plain = _xlsx(tmp_path / "plain.xlsx", {"Sheet1": [RETAIL_HEAD, ["2", "A", "X", 1, "2010-12-01 08:26:00", 1.5, 1, "UK"]]})
    [res] = ingest_path(ws, plain)
    assert res.status == "loaded" and res.notes == []


def test_c8_c9_encrypted_or_legacy_excel_refused_with_guidance(ws: Workspace, tmp_path: Path) -> None:
    res = one(ws, write(tmp_path / "old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600))
    assert res.status == "refused" and "save as .xlsx" in res.message.lower()


def test_c10_c11_content_wins_over_extension(ws: Workspace, tmp_path: Path) -> None:
    tsv = write(tmp_path / "report.xls", to_csv(SHOPIFY_HEADER, SHOPIFY_ROWS, delimiter="\t"))
    assert one(ws, tsv).format == "shopify_orders"
    book = _xlsx(tmp_path / "book.csv", {"Sheet1": [RETAIL_HEAD, ["1", "A", "X", 1, "2010-12-01 08:26:00", 1.5, 1, "UK"]]})
    [res] = ingest_path(ws, book)
    assert (res.status, res.format, res.encoding) == ("loaded", "online_retail", "xlsx")


@pytest.mark.parametrize(("body", "what"), [
    ("\ufeff  <html><head><meta charset='utf-8'></head><body><table><tr><td>订单编号</td></tr>"
     "</table></body></html>", "a web page (HTML)"),
    ("<table border=1><tr><th>Name</th><th>Total</th></tr></table>", "a web page (HTML)"),
    ('<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n<Workbook xmlns='
     '"urn:schemas-microsoft-com:office:spreadsheet"><Worksheet/></Workbook>',
     "an Excel 2003 XML spreadsheet"),
])
def test_c10_markup_named_xls_is_refused_with_what_to_do(ws: Workspace, tmp_path: Path, body: str,
                                                          what: str) -> None:
    res = one(ws, write(tmp_path / "orders.xls", body))
    assert res.status == "refused"
    assert res.problems[0].reason == (f"this is {what} saved with a spreadsheet's name, not a CSV "
                                      "or XLSX export")
    assert res.problems[0].hint == "Open it in Excel and save it as .xlsx or 'CSV UTF-8', then upload that."
    assert orders_count(ws) == 0


def test_c12_hostile_file_names_are_only_displayed(ws: Workspace, tmp_path: Path) -> None:
    f = shopify_file(tmp_path)
    [res] = ingest_path(ws, f, display_name="../../etc/passwd\u202e.csv")
    assert res.file == "passwd.csv" and res.status == "loaded"


@pytest.mark.parametrize(("text", "name"), [
    ('{"columns": ', "JSONDecodeError"), ('{"colums": {}}', "KeyError"),
    ('{"columns": ["order_id"]}', "TypeError"), ("[1, 2]", "TypeError"),
])
def test_a_broken_mapping_file_is_an_error_message_not_a_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                   text: str, name: str) -> None:
    from lib.cli import main

    mapping = write(tmp_path / "map.json", text)
    data = write(tmp_path / "f.csv", SIMPLE + "1,2024-01-01,A,1,1.00\n")
    assert main(["ingest", str(data), "--mapping", str(mapping), "--workspace", str(tmp_path / "w")]) == 2
    err = capsys.readouterr().err
    assert err.startswith('error: The mapping is not valid: it must be a JSON object whose "columns" '
                          "pairs each role") and f"({'see the README; ' + name})" in err
    assert main(["ingest", str(data), "--mapping", str(tmp_path / "nope.json"),
                 "--workspace", str(tmp_path / "w")]) == 2
    assert capsys.readouterr().err == "error: Cannot read the mapping file nope.json: No such file or directory.\n"


def test_the_workspace_time_zone_is_shown_and_set_from_the_cli(ws: Workspace, tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    from lib.cli import main

    path = str(ws.path)
    ws.close()
    assert main(["timezone", "--workspace", path]) == 0 and capsys.readouterr().out == "UTC\n"
    assert main(["timezone", "--workspace", path, "--set", "Asia/Shanghai"]) == 0
    assert main(["timezone", "--workspace", path, "--set", "Mars/Olympus"]) == 2
    assert capsys.readouterr().out == "Asia/Shanghai\n"
    assert main(["timezone", "--workspace", path]) == 0 and capsys.readouterr().out == "Asia/Shanghai\n"


def test_a_new_time_zone_holds_for_the_next_cursor_and_after_reopening(tmp_path: Path) -> None:
    """Workspace keeps its time zone in memory (every cursor sets it): a change must reach
    the next query at once, and the file."""
    from lib.workspace import open_workspace

    ws = open_workspace(tmp_path / "tz.duckdb")
    assert ws.cursor().execute("SELECT current_setting('TimeZone')").fetchone() == ("UTC",)
    ws.set_timezone("Asia/Shanghai")
    assert ws.cursor().execute("SELECT current_setting('TimeZone')").fetchone() == ("Asia/Shanghai",)
    ws.close()
    again = open_workspace(tmp_path / "tz.duckdb")
    try:
        assert again.timezone == "Asia/Shanghai"
        assert again.cursor().execute("SELECT current_setting('TimeZone')").fetchone() == ("Asia/Shanghai",)
    finally:
        again.close()
