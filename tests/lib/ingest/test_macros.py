"""The value-cleaning macros: fast paths and slow paths must give the same answers."""
from __future__ import annotations

from decimal import Decimal

import duckdb
import pytest

from lib.ingest import engine


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    c = duckdb.connect()
    engine.install_macros(c, "0123456789abcdef")
    return c


def one(con: duckdb.DuckDBPyConnection, expr: str, value: str | None) -> object:
    row = con.execute(f"SELECT {expr}(?::VARCHAR)", [value]).fetchone()
    assert row is not None
    return row[0]


NZ_CASES = [
    (None, None), ("", None), ("paid", "paid"), ("USD", "USD"),
    ("NULL", None), ("null", None), ("N/A", None), ("#VALUE!", None), ("-", None), ("无", None),
    ("nan", None), ("NaT", None),
    # padded tokens and padded values take the slow path: trimmed, then checked
    ("  null  ", None), ("\tN/A\u3000", None), ("   NULL      ", None),
    (" paid ", "paid"), ("paid\u00a0", "paid"), ("\u3000付款", "付款"), ("a\x00b", "ab"),
    ("   ", None), ("\x00", None),
    # long values never match a token; a token inside text is text
    ("not null at all", "not null at all"), ("NULLS", "NULLS"), ("-5", "-5"),
    # the last-byte test: ASCII text ending in whitespace or a control character, and
    # non-ASCII text (its last character is asked of the regular expression)
    ("paid\t", "paid"), ("paid\r\n", "paid"), ("x\x1f", "x\x1f"), ("付款 ", "付款"),
    ("付款\u3000", "付款"), ("café\u00a0", "café"), ("é", "é"), ("付款", "付款"),
    ("a 付", "a 付"), ("付 a", "付 a"), ("无 ", None),
]


@pytest.mark.parametrize("raw, expected", NZ_CASES)
def test_sl_nz(con: duckdb.DuckDBPyConnection, raw: str | None, expected: str | None) -> None:
    assert one(con, "sl_nz", raw) == expected


@pytest.mark.parametrize("raw", ["NULL", "null", "nULL", "Null", "N/A", "n/a", "#N/A", "#n/a",
                                 "NONE", "None", "none", "-", "--", "—", "#VALUE!", "#value!",
                                 "无", "NAN", "NaN", "nan", "NAT", "nat", " none", "NONE\u3000"])
def test_every_spelling_of_a_placeholder_is_empty(con: duckdb.DuckDBPyConnection, raw: str) -> None:
    """The fast path asks upper() only of short cells starting like a token (N n - — # 无)."""
    assert one(con, "sl_nz", raw) is None


def test_a_file_without_nul_bytes_cleans_the_same_without_that_test() -> None:
    """`nul_free` drops the NUL test from the fast path only: every cell without a NUL (the
    cases above and the placeholders) comes out the same."""
    with_test, without = duckdb.connect(), duckdb.connect()
    engine.install_macros(with_test, "0123456789abcdef")
    engine.install_macros(without, "0123456789abcdef", nul_free=True)
    cases = [raw for raw, _ in NZ_CASES if raw is None or "\x00" not in raw] + [
        "nULL", "#n/a", "None", "—", "--", "x" * 9, "Nope", "#1001", "-5.00", "无货"]
    assert [one(without, "sl_nz", r) for r in cases] == [one(with_test, "sl_nz", r) for r in cases]


@pytest.mark.parametrize("raw, expected", [
    ("12.50", Decimal("12.5")), ("-3", Decimal("-3")), ("0", Decimal("0")),
    ("+5", Decimal("5")), (".5", Decimal("0.5")), ("1e3", Decimal("1000")),
    ("1.2345678", Decimal("1.234568")),  # six decimals kept, rounded
    # decorated amounts: the slow path
    ("1,234.50", Decimal("1234.5")), ("$1,234", Decimal("1234")), ("¥88.00", Decimal("88")),
    ("(7.25)", Decimal("-7.25")), ("１２３．４", Decimal("123.4")), ("12 USD", Decimal("12")),
    (" 9 ", Decimal("9")), ("€ 3,000,000", Decimal("3000000")),
    # not amounts
    ("abc", None), ("1.2.3", None), ("NULL", None), ("", None), (None, None), ("1,5", None),
])
def test_sl_num(con: duckdb.DuckDBPyConnection, raw: str | None, expected: Decimal | None) -> None:
    got = one(con, "sl_num", raw)
    assert got == expected


@pytest.mark.parametrize("raw, expected", [
    ("1.234,50", Decimal("1234.5")), ("1,5", Decimal("1.5")), ("1234,5", Decimal("1234.5")),
    ("(86,00)", Decimal("-86")), ("-4,5", Decimal("-4.5")), ("1 234,50", Decimal("1234.5")),
    ("€ 1.234,50", Decimal("1234.5")), ("12.345.678,9", Decimal("12345678.9")),
    ("１．２３４，５", Decimal("1234.5")), ("1’234,5", Decimal("1234.5")), ("100", Decimal("100")),
    # the other locale's amounts and impossible groupings: rejected, never misread
    ("1,234.50", None), ("1.5", None), ("1.2345,6", None), ("1,2,3", None), ("abc", None),
    ("NULL", None), (None, None),
])
def test_sl_num_eu_reads_only_the_decimal_comma_grammar(con: duckdb.DuckDBPyConnection, raw: str | None,
                                                        expected: Decimal | None) -> None:
    """RELIABILITY A13: with the decimal comma chosen, '1,234.50' read as 1.23 and '1.5' as 15."""
    assert one(con, "sl_num_eu", raw) == expected


def test_parsed_rows_flag_the_first_bad_field(con: duckdb.DuckDBPyConnection) -> None:
    """`_bad` is computed from the parsed columns: a value that fails names its field, an empty
    optional value does not, and a zero date means 'no date'."""
    from lib.ingest.formats.shopify_orders import FORMAT

    header = ("Name", "Financial Status", "Lineitem quantity", "Lineitem price", "Created at",
              "Paid at", "Total")
    rows = [
        ("#1", "paid", "2", "10.00", "2024-03-01 10:00:00 -0700", "", "20.00"),
        ("#2", "paid", "two", "10.00", "2024-03-01 10:00:00 -0700", "", "20.00"),
        ("#3", "paid", "1", "10.00", "2024-03-01 10:00:00 -0700", "yesterday", "x"),
        ("#4", "paid", "1", "10.00", "2024-03-01 10:00:00 -0700", "0000-00-00 00:00:00", ""),
        ("", "paid", "1", "10.00", "2024-03-01 10:00:00 -0700", "", "5"),
    ]
    con.execute("CREATE OR REPLACE TEMP TABLE stg AS SELECT * FROM (VALUES "
                + ", ".join("(" + ", ".join("?" for _ in header) + ")" for _ in rows)
                + ") AS t(" + ", ".join(f"c{i:03d}" for i in range(len(header))) + ")",
                [v for r in rows for v in r])
    plan = engine.plan_columns(FORMAT, header)
    engine.build_parsed(con, FORMAT, plan)
    got = con.execute("SELECT order_id, _bad, qty, paid_at FROM p ORDER BY _rec").fetchall()
    assert [(g[0], g[1]) for g in got] == [
        ("#1", None), ("#2", "qty"), ("#3", "paid_at"), ("#4", None), (None, "order_id")]
    assert got[0][2] == Decimal("2") and got[3][3] is None
    cols = [r[0] for r in con.execute("DESCRIBE p").fetchall()]
    assert not [c for c in cols if c.startswith("_raw_")]


def test_fast_decimal_cast_equals_the_direct_cast(con: duckdb.DuckDBPyConnection) -> None:
    """engine.cast_sql narrows wide decimals before rounding: same values as CAST, including
    halves, negatives, NULL and values too large for the fast path."""
    values = ["0", "1.005", "-1.005", "2.675", "-0.004999", "0.005", "123456.785",
              "99999999999.994999", "-99999999999.995", "12345678901234.565", "-5e13", None]
    for source, scale in (("DECIMAL(38,6)", 6), ("DECIMAL(38,12)", 12), ("DECIMAL(38,3)", 3)):
        for target in ("DECIMAL(18,2)", "DECIMAL(18,3)", "DECIMAL(18,4)"):
            expr = engine.cast_sql("x", source, target)
            assert expr.startswith("CASE") == (scale <= 16)
            rows = con.execute(
                f"SELECT x, {expr} AS fast, CAST(x AS {target}) AS direct FROM "
                f"(SELECT TRY_CAST(v AS {source}) AS x FROM unnest(?::VARCHAR[]) t(v))",
                [values]).fetchall()
            assert [r[1] for r in rows] == [r[2] for r in rows], (source, target)
    assert engine.cast_sql("x", "VARCHAR", "VARCHAR") == "CAST(x AS VARCHAR)"
    assert engine.cast_sql("x", "DECIMAL(18,6)", "DECIMAL(18,2)") == "CAST(x AS DECIMAL(18,2))"


def test_timestamps_with_and_without_offset(con: duckdb.DuckDBPyConnection) -> None:
    """Instant and wall clock of a field that accepts both: an offset is honoured, a naive
    value is read in the format's time zone, garbage gives neither."""
    from lib.ingest.formats.base import Field

    fld = Field("Created at", kind="timestamp",
                formats=("%Y-%m-%d %H:%M:%S %z", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y %H:%M"))
    instant, local = engine._ts_exprs("v", fld, "Asia/Shanghai")
    rows = con.execute(
        f"SELECT v, CAST(timezone('UTC', {instant}) AS VARCHAR), CAST({local} AS VARCHAR) "
        f"FROM unnest(?::VARCHAR[]) t(v)",
        [["2024-03-01 10:00:00 -0700", "2024-03-01 10:00:00", "15/01/2024 08:30",
          "2024-03-01 10:00:00 +08:00", "junk", None]]).fetchall()
    assert rows == [
        ("2024-03-01 10:00:00 -0700", "2024-03-01 17:00:00", "2024-03-01 10:00:00"),
        ("2024-03-01 10:00:00", "2024-03-01 02:00:00", "2024-03-01 10:00:00"),
        ("15/01/2024 08:30", "2024-01-15 00:30:00", "2024-01-15 08:30:00"),
        ("2024-03-01 10:00:00 +08:00", "2024-03-01 02:00:00", "2024-03-01 10:00:00"),
        ("junk", None, None), (None, None, None)]


def _instants(con: duckdb.DuckDBPyConnection, formats: tuple[str, ...], tz: str,
              values: list[str]) -> list[tuple[str | None, str | None]]:
    """(instant in UTC, wall clock) as text for each value of a timestamp field."""
    from lib.ingest.formats.base import Field

    instant, local = engine._ts_exprs("v", Field("d", kind="timestamp", formats=formats), tz)
    return [tuple(r) for r in con.execute(
        f"SELECT CAST(timezone('UTC', {instant}) AS VARCHAR), CAST({local} AS VARCHAR) "
        f"FROM unnest(?::VARCHAR[]) WITH ORDINALITY t(v, i) ORDER BY i", [values]).fetchall()]


def test_b16_zone_abbreviations_are_read_as_the_offset_they_name(con: duckdb.DuckDBPyConnection) -> None:
    """Amazon's `… AM PST` / `… PM PDT`: eight and seven hours behind UTC, whatever the
    workspace's zone; BST is British summer time (DuckDB alone reads Bangladesh), GMT+hh:mm
    its offset; CST (US Central or China?) is not guessed."""
    got = _instants(con, ("%b %d, %Y %I:%M:%S %p %Z", "%d %b %Y %H:%M:%S %Z"), "Asia/Shanghai", [
        "Mar 10, 2024 1:59:00 AM PST", "Jul 10, 2024 1:59:00 PM PDT", "1 Jul 2020 00:08:04 BST",
        "1 Jan 2020 00:08:04 GMT+00:00", "1 Jan 2020 00:08:04 GMT-05:00",
        "Jul 10, 2024 1:59:00 AM CST", "Jul 10, 2024 1:59:00 AM"])
    assert got[:5] == [("2024-03-10 09:59:00", "2024-03-10 01:59:00"),
                   ("2024-07-10 20:59:00", "2024-07-10 13:59:00"),
                   ("2020-06-30 23:08:04", "2020-07-01 00:08:04"),
                   ("2020-01-01 00:08:04", "2020-01-01 00:08:04"),
                   ("2020-01-01 05:08:04", "2020-01-01 00:08:04")]
    assert got[5][0] is None and got[6][0] is None  # no instant: the row is rejected


def test_b18_clock_changes_shift_skipped_times_forward_and_take_the_first_of_a_repeat(
        con: duckdb.DuckDBPyConnection) -> None:
    """New York: 2024-03-10 02:30 never happened (clocks jump 02:00 → 03:00 EDT) and is read
    as 03:30 EDT; 2024-11-03 01:30 happened twice, first in EDT (05:30 UTC), then in EST."""
    got = _instants(con, ("%Y-%m-%d %H:%M:%S %z", "%Y-%m-%d %H:%M"), "America/New_York", [
        "2024-03-10 01:59", "2024-03-10 02:30", "2024-03-10 03:30",
        "2024-11-03 00:30", "2024-11-03 01:30", "2024-11-03 02:30",
        "2024-11-03 01:30:00 -0500"])
    assert [g[0] for g in got] == [
        "2024-03-10 06:59:00", "2024-03-10 07:30:00", "2024-03-10 07:30:00",
        "2024-11-03 04:30:00", "2024-11-03 05:30:00", "2024-11-03 07:30:00",
        "2024-11-03 06:30:00"]  # an explicit offset picks the second 01:30 itself
    assert [g[1] for g in got][:2] == ["2024-03-10 01:59:00", "2024-03-10 02:30:00"]


@pytest.mark.parametrize("raw, expected", [
    ("yes", True), ("Y", True), ("是", True), ("TRUE", True), ("1", True), ("t", True),
    ("no", False), ("N", False), ("否", False), ("FaLsE", False), ("0", False),
    ("maybe", None), ("2", None), ("", None), ("N/A", None), (None, None),
])
def test_b11_booleans_in_every_spelling(con: duckdb.DuckDBPyConnection, raw: str | None,
                                        expected: bool | None) -> None:
    """RELIABILITY B11; a value that is no yes/no stays NULL (the field's bad-row test then
    rejects it), never a guess."""
    assert one(con, "sl_bool", raw) is expected


def test_zone_abbreviation_parsing_plans_quickly(con: duckdb.DuckDBPyConnection) -> None:
    """Macros are inlined: a `sl_tzabbr` naming its argument once per abbreviation made each
    mapped or Amazon load spend 2 s planning one field (4–9 s per small file). Now ~0.1 s."""
    import time

    from lib.ingest.formats.base import Field

    instant, local = engine._ts_exprs(
        "sl_nz(v)", Field("d", kind="timestamp", formats=("%b %d, %Y %I:%M:%S %p %Z", "%Y-%m-%d")),
        "America/New_York")
    started = time.perf_counter()
    con.execute(f"SELECT {instant}, {local} FROM (SELECT 'Mar 10, 2024 1:59:00 AM PST' AS v)").fetchall()
    assert time.perf_counter() - started < 0.5


def test_parsers_give_the_same_answers_from_many_threads_at_once(tmp_path) -> None:
    """RELIABILITY L11 (Metabase once shared one NumberFormat between threads and corrupted
    values): sessions loading at once each parse on their own cursor of one workspace, US
    and decimal-comma numbers and zone-abbreviated times side by side; 16 threads × 10 rounds
    of 1,000 values, every answer as parsed alone."""
    import threading
    from datetime import datetime, timezone

    from lib.workspace import open_workspace

    ROUNDS = 10  # noqa: N806
    ws = open_workspace(tmp_path / "w.duckdb")
    values = ["241", "1,234.50", "(12.00)", "1.234,50", "Mar 10, 2024 1:59:00 AM PST"] * 200
    sql = ("SELECT list(sl_num(v) ORDER BY i), list(sl_num_eu(v) ORDER BY i), "
           "list(try_strptime(sl_tzabbr(v), '%b %d, %Y %I:%M:%S %p %z') ORDER BY i), "
           "list(sl_hash(v) ORDER BY i) "
           "FROM (SELECT unnest(?::VARCHAR[]) AS v, generate_subscripts(?::VARCHAR[], 1) AS i)")

    def session_cursor() -> duckdb.DuckDBPyConnection:
        cur = ws.con.cursor()
        engine.install_macros(cur, ws.salt)
        return cur

    def parse(cur: duckdb.DuckDBPyConnection) -> tuple:
        return tuple(cur.execute(sql, [values, values]).fetchone())

    with session_cursor() as cur:
        alone = parse(cur)
    assert alone[0][:5] == [Decimal("241"), Decimal("1234.5"), Decimal("-12"), None, None]
    assert alone[1][:5] == [Decimal("241"), None, None, Decimal("1234.5"), None]
    assert alone[2][:5] == [None] * 4 + [datetime(2024, 3, 10, 9, 59, tzinfo=timezone.utc)]
    assert len(set(alone[3][:5])) == 5  # five values, five salted hashes
    mismatches: list[int] = []

    def session(n: int) -> None:
        with session_cursor() as cur:
            for _ in range(ROUNDS):
                if parse(cur) != alone:
                    mismatches.append(n)

    threads = [threading.Thread(target=session, args=(n,)) for n in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    ws.close()
    assert mismatches == []
