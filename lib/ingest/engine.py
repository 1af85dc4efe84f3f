"""Parse staged text rows with a format's fields, reject what does not parse, map to tables.

Everything here runs on one DuckDB cursor inside the load transaction, on temp tables whose
columns are internal names (`c000`…); header text only ever appears as data.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from zoneinfo import available_timezones

import duckdb

from lib.ingest.formats.base import ExportFormat, Field
from lib.ingest.reader import normalize_header
from lib.sql import internal_name, quote_ident
from lib.workspace import TABLES

NULL_TOKENS = ("NULL", "N/A", "#N/A", "NONE", "-", "—", "--", "#VALUE!", "无", "NAN", "NAT")
# Zone abbreviations a timestamp may end with (`%Z` in a field's formats) and the offset each
# one means (RELIABILITY B16: Amazon writes `Mar 10, 2024 1:59:00 AM PST`, and PDT in summer).
# Read as written, not from a zone database: DuckDB's own `%Z` takes BST for Bangladesh, CST
# for US Central and refuses PDT. CST, IST and other names several zones share are left out:
# such a row is rejected rather than read in the wrong country's time.
ZONE_ABBREVIATIONS = {
    "UTC": "+00:00", "GMT": "+00:00", "Z": "+00:00",
    "PST": "-08:00", "PDT": "-07:00", "MST": "-07:00", "MDT": "-06:00", "EST": "-05:00",
    "EDT": "-04:00", "AKST": "-09:00", "AKDT": "-08:00", "HST": "-10:00",
    "BST": "+01:00", "CET": "+01:00", "CEST": "+02:00", "EET": "+02:00", "EEST": "+03:00",
    "JST": "+09:00", "KST": "+09:00", "HKT": "+08:00", "SGT": "+08:00",
    "AEST": "+10:00", "AEDT": "+11:00",
}
_WS = "' ' || chr(9) || chr(10) || chr(13) || chr(160) || chr(12288)"


def install_macros(cur: duckdb.DuckDBPyConnection, salt: str, nul_free: bool = False) -> None:
    """Value-cleaning macros shared by every format (temp: they live on this cursor only).
    `nul_free`: the file was seen to hold no NUL byte, so no cell needs the test for one."""
    if not re.fullmatch(r"[0-9a-f]{16,64}", salt):
        raise ValueError("workspace salt is not hex")
    tokens = ", ".join("'" + t.replace("'", "''") + "'" for t in NULL_TOKENS)
    no_nul = "" if nul_free else " AND NOT contains(x, chr(0))"
    token_starts = ", ".join(str(c) for c in sorted({ord(ch) for t in NULL_TOKENS
                                                     for ch in (t[0], t[0].lower())}))
    abbreviations = ", ".join(f"'{name}': '{offset}'" for name, offset in ZONE_ABBREVIATIONS.items())
    cur.execute(f"""
    -- Fast path (most cells): nothing to trim and no NUL, so the text is returned as it is
    -- after one look-up for the short ones (a null token is at most 8 bytes, and begins with
    -- one of N n - — # 无: the first character's code, already at hand, spares the upper()
    -- of every other short cell, 0.1–0.2 s at 1M lines of 29 columns). Whether the
    -- last character is whitespace is first asked of the last byte: `substr(x, strlen(x))`
    -- is that character when x is ASCII and '' (ascii 0) otherwise; only non-ASCII text
    -- pays for the regular expression (0.6 s of the parse at 1M lines of 27 columns).
    CREATE OR REPLACE TEMP MACRO sl_nz(x) AS
        CASE WHEN x IS NULL OR x = '' THEN NULL
             WHEN ascii(x) > 32 AND ascii(x) NOT IN (160, 12288){no_nul}
                  AND (ascii(substr(x, strlen(x))) > 32
                       OR NOT regexp_matches(x, '[\\s\\x{{00a0}}\\x{{3000}}]$'))
             THEN CASE WHEN strlen(x) <= 8 AND ascii(x) IN ({token_starts})
                            AND upper(x) IN ({tokens}) THEN NULL ELSE x END
             WHEN upper(trim(replace(x, chr(0), ''), {_WS})) IN ({tokens}) THEN NULL
             ELSE nullif(trim(replace(x, chr(0), ''), {_WS}), '') END;
    CREATE OR REPLACE TEMP MACRO sl_id_slow(v) AS
        nullif(regexp_replace(regexp_replace(v, '^="(.*)"$', '\\1'), '^[''\\t ]+', ''), '');
    -- Fast path: most IDs carry no Excel marker, so skip the regular expressions for them.
    CREATE OR REPLACE TEMP MACRO sl_id(x) AS
        CASE WHEN left(sl_nz(x), 1) IN ('=', '''', chr(9)) THEN sl_id_slow(sl_nz(x))
             ELSE sl_nz(x) END;
    CREATE OR REPLACE TEMP MACRO sl_numtext(x) AS
        regexp_replace(
          regexp_replace(
            translate(sl_nz(x), '０１２３４５６７８９．，－（）', '0123456789.,-()'),
            '[\\s\\x{{00a0}}\\x{{202f}}\\x{{2009}}’$¥￥€£元₹₩₽₺₫₱฿'']|USD|CNY|RMB|EUR|GBP|CLP|INR|JPY|KRW|'
            'HKD|TWD|SGD|MYR|THB|IDR|PHP|VND|AUD|NZD|CAD|CHF|SEK|NOK|DKK|PLN|BRL|MXN', '', 'g'),
          ',(\\d{{3}})', '\\1', 'g');
    CREATE OR REPLACE TEMP MACRO sl_signed(s) AS
        CASE WHEN s LIKE '(%)' THEN '-' || substr(s, 2, length(s) - 2) ELSE s END;
    -- A plain number casts directly; only what does not (thousands separators, currency
    -- signs, full-width digits, parentheses) pays for the regular expressions. Whatever the
    -- direct cast accepts, the cleaned text casts to the same value.
    CREATE OR REPLACE TEMP MACRO sl_num(x) AS
        CASE WHEN sl_nz(x) IS NULL THEN NULL
             ELSE coalesce(TRY_CAST(sl_nz(x) AS DECIMAL(38, 6)),
                           TRY_CAST(sl_signed(sl_numtext(x)) AS DECIMAL(38, 6))) END;
    -- Decimal comma (the user's choice): '1.234,50'. Only that grammar is read: a US '1,234.50'
    -- or a '1.5' (a dot that cannot be a thousands separator) is rejected, never misread.
    CREATE OR REPLACE TEMP MACRO sl_eutext(x) AS regexp_replace(
        translate(sl_nz(x), '０１２３４５６７８９．，－（）', '0123456789.,-()'),
        '[\\s\\x{{00a0}}\\x{{202f}}\\x{{2009}}’$¥￥€£元'']|EUR|USD|CNY|RMB|GBP', '', 'g');
    CREATE OR REPLACE TEMP MACRO sl_num_eu(x) AS
        CASE WHEN sl_nz(x) IS NULL THEN NULL
             WHEN regexp_full_match(sl_eutext(x), '\\(?[-+]?(\\d+|\\d{{1,3}}(\\.\\d{{3}})+)(,\\d+)?\\)?')
             THEN TRY_CAST(sl_signed(replace(replace(sl_eutext(x), '.', ''), ',', '.')) AS DECIMAL(38, 6))
        END;
    -- Our CSV exports put an apostrophe before text a spreadsheet would run as a formula
    -- ('=SUM(...)); a template read back drops it again (RELIABILITY D4).
    CREATE OR REPLACE TEMP MACRO sl_unguard(s) AS
        CASE WHEN left(s, 1) = '''' AND substr(s, 2, 1) IN ('=', '+', '-', '@', chr(9), chr(13))
             THEN substr(s, 2) ELSE s END;
    -- A trailing zone abbreviation (PST) or GMT+hh:mm becomes its offset, for `%z`; an
    -- unknown one becomes '?', which no format reads. `v` is named only four times: macros
    -- are inlined, and a CASE naming it once per abbreviation took DuckDB 2 s to plan.
    CREATE OR REPLACE TEMP MACRO sl_tzoffset(a) AS MAP {{{abbreviations}}}[a];
    CREATE OR REPLACE TEMP MACRO sl_tzabbr(v) AS
        CASE WHEN regexp_matches(v, '\\s[A-Z]{{1,5}}$')
             THEN regexp_replace(v, '[A-Z]{{1,5}}$', '')
                  || coalesce(sl_tzoffset(regexp_extract(v, '[A-Z]{{1,5}}$')), '?')
             ELSE regexp_replace(v, '\\s(GMT|UTC)([+-]\\d{{1,2}}(:?\\d{{2}})?)$', ' \\2') END;
    -- Wall-clock time `t` in zone `tz` as an instant. A time the clocks skip (02:30 on the
    -- spring-forward night) moves forward by the gap; a time that happens twice (01:30 on the
    -- fall-back night) is the first, in summer time (RELIABILITY B18). DuckDB alone takes the
    -- second: `t` an hour earlier is then the same wall clock.
    CREATE OR REPLACE TEMP MACRO sl_in_zone(t, tz) AS
        CASE WHEN timezone(tz, timezone(tz, t) - INTERVAL 1 HOUR) = t
             THEN timezone(tz, t) - INTERVAL 1 HOUR ELSE timezone(tz, t) END;
    CREATE OR REPLACE TEMP MACRO sl_int(n) AS CASE WHEN n = trunc(n) THEN TRY_CAST(n AS BIGINT) END;
    CREATE OR REPLACE TEMP MACRO sl_bool(x) AS
        CASE WHEN lower(sl_nz(x)) IN ('true', 'yes', 'y', '1', 't', '是') THEN true
             WHEN lower(sl_nz(x)) IN ('false', 'no', 'n', '0', 'f', '否') THEN false END;
    CREATE OR REPLACE TEMP MACRO sl_hash(x) AS
        CASE WHEN sl_nz(x) IS NULL THEN NULL
             ELSE left(sha256('{salt}' || lower(sl_nz(x))), 24) END;
    """)


@dataclass(frozen=True)
class ParsePlan:
    """Which staging column feeds each field (None: the export does not have it)."""

    columns: dict[str, str | None]  # field name -> internal column (c000…)
    display: dict[str, str]  # field name -> header as shown to the user
    # header read -> the 1-based positions of every column with that name (RELIABILITY A16:
    # 'SKU' and 'sku' are one name to us; the first is read, and the user is told)
    same_name: dict[str, list[int]] = field(default_factory=dict)


def plan_columns(fmt: ExportFormat, header: tuple[str, ...]) -> ParsePlan:
    positions: dict[str, list[int]] = {}
    for i, h in enumerate(header):
        positions.setdefault(normalize_header(h), []).append(i)
    cols: dict[str, str | None] = {}
    display: dict[str, str] = {}
    same_name: dict[str, list[int]] = {}
    for name, fld in fmt.fields.items():
        hits = next((positions[normalize_header(h)] for h in fld.headers
                     if normalize_header(h) in positions), None)
        hit = hits[0] if hits else None
        cols[name] = f"c{hit:03d}" if hit is not None else None
        display[name] = header[hit] if hit is not None else fld.headers[0]
        if hits and len(hits) > 1:
            same_name[header[hit]] = [i + 1 for i in hits]
    return ParsePlan(cols, display, same_name)


def same_name_notes(plan: ParsePlan) -> list[str]:
    """One sentence per name that several columns share (English; translated where shown)."""
    return [f"columns {', '.join(map(str, cols))} are all named “{name}”: column {cols[0]} was read"
            for name, cols in plan.same_name.items()]


def signature_score(fmt: ExportFormat, header: tuple[str, ...]) -> int:
    """0 when a signature header is missing; otherwise how many of its fields are present."""
    present = {normalize_header(h) for h in header}
    if not all(normalize_header(s) in present for s in fmt.signature):
        return 0
    return len(fmt.signature) * 100 + sum(
        1 for f in fmt.fields.values() if any(normalize_header(h) in present for h in f.headers)
    )


def _ts_exprs(v: str, fld: Field, tz: str) -> tuple[str, str]:
    """(instant TIMESTAMPTZ, wall-clock TIMESTAMP) SQL for the text `v` of a timestamp field.

    `%Z` in a format stands for a zone abbreviation (ZONE_ABBREVIATIONS), read as its offset."""
    if any("%Z" in f for f in fld.formats):
        v = f"sl_tzabbr({v})"
        fld = Field(*fld.headers, kind=fld.kind, required=fld.required,
                    formats=tuple(f.replace("%Z", "%z") for f in fld.formats))
    with_z = [f for f in fld.formats if "%z" in f or "%Z" in f]
    naive = [f for f in fld.formats if f not in with_z]
    lit = lambda fs: "[" + ", ".join("'" + f.replace("'", "''") + "'" for f in fs) + "]"  # noqa: E731
    strip = f"regexp_replace({v}, '\\s*([+-]\\d{{2}}:?\\d{{2}}|Z|UTC|GMT)$', '')"
    stripped = [re.sub(r"\s*%[zZ]$", "", f) for f in with_z]
    if not with_z:
        local = f"try_strptime({v}, {lit(naive)})"
        return f"sl_in_zone({local}, '{tz}')", local
    zoned = f"try_strptime({v}, {lit(with_z)})"
    local = f"try_strptime({strip}, {lit(stripped)})"
    if not naive:
        return zoned, local
    # The offset-free parse only runs where the zoned one failed. Written plainly in both
    # expressions, DuckDB's common-subexpression pass would hoist it and run it on every row
    # (a failing parse is slow: 0.8 instead of 0.3 CPU-s per million values).
    unzoned = f"CASE WHEN {zoned} IS NULL THEN try_strptime({v}, {lit(naive)}) END"
    instant = f"coalesce({zoned}, sl_in_zone({unzoned}, '{tz}'))"
    local = f"coalesce({local}, {unzoned})"
    return instant, local


@dataclass(frozen=True)
class FieldSql:
    """How one field is parsed: SELECT items (parsed columns, plus its cleaned text `_raw_<name>`
    when the bad-row test needs it) and that test, over those columns only.

    The test reads the columns instead of repeating the parse: inside a CASE DuckDB would
    evaluate a parser a second time on every row (a third of the parse's cost at 1M rows).
    """

    items: list[str]
    bad: str  # SQL over the item columns; "false" when the field can never be bad
    raw: bool = False  # whether items include `_raw_<name>` (dropped after the test)
    implausible: str = ""  # SQL over the parsed column: a date no shop's order can have


# Dates outside these years are placeholders (0001-01-01, 1900-01-01, 1970-01-01 as a zero
# date, 9999-12-31 for "never"), not orders: loaded, one would stretch every chart and date
# range to year 9999 (RELIABILITY B20). Compared as constants, not through year(): cheap.
PLAUSIBLE_FROM, PLAUSIBLE_UNTIL = "1980-01-01", "2100-01-01"


def _field_sql(name: str, fld: Field, col: str | None, fmt: ExportFormat,
               need_local: bool = True) -> FieldSql:
    n = internal_name(name)
    if col is None:
        typ = {"money": "DECIMAL(38,6)", "number": "DECIMAL(38,6)", "int": "BIGINT",
               "timestamp": "TIMESTAMPTZ", "date": "DATE", "bool": "BOOLEAN"}.get(fld.kind, "VARCHAR")
        items = [f"NULL::{typ} AS {n}"]
        if fld.kind == "timestamp":
            items.append(f"NULL::TIMESTAMP AS {internal_name(name + '_local')}")
        return FieldSql(items, "false")
    c = quote_ident(col)
    raw = f"sl_nz({c})"
    raw_col = internal_name(f"_raw_{name}")
    num = "sl_num_eu" if fmt.decimal_comma else "sl_num"
    required = f" OR {n} IS NULL" if fld.required else ""
    if fld.kind == "text":
        if fmt.id.startswith("shoplens_"):  # our own templates, maybe as we exported them
            raw = f"sl_unguard({raw})"
        return FieldSql([f"{raw} AS {n}"], f"{n} IS NULL" if fld.required else "false")
    if fld.kind == "id":
        # (two `contains` instead of one on `upper()`: no upper-cased copy of every ID)
        excel = (f"((contains({n}, 'E+') OR contains({n}, 'e+')) "
                 f"AND regexp_matches({n}, '^[0-9]\\.[0-9]+[eE]\\+[0-9]+$'))")
        return FieldSql([f"sl_id({c}) AS {n}"], excel + required)
    if fld.kind in ("money", "number"):
        parsed = f"{num}({c})"
    elif fld.kind == "int":
        parsed = f"sl_int({num}({c}))"
    elif fld.kind == "bool":
        parsed = f"sl_bool({c})"
    elif fld.kind == "date":
        formats = "[" + ", ".join("'" + f + "'" for f in fld.formats) + "]"
        parsed = f"CAST(try_strptime({raw}, {formats}) AS DATE)"
    elif fld.kind == "timestamp":
        # A zero date (`0000-00-00 …`) means "none". The wall-clock parse costs a second pass
        # over the text, so it is only computed when the format's SQL uses `<name>_local`.
        text = f"CASE WHEN {raw} LIKE '0000-00-00%' THEN NULL ELSE {raw} END"
        instant, local = _ts_exprs(text, fld, fmt.timezone)
        local_sql = local if need_local else "NULL::TIMESTAMP"
        return FieldSql(
            [f"{instant} AS {n}", f"{local_sql} AS {internal_name(name + '_local')}",
             f"{raw} AS {raw_col}"],
            f"({raw_col} IS NOT NULL AND {raw_col} NOT LIKE '0000-00-00%' AND {n} IS NULL)"
            + required, raw=True,
            implausible=f"NOT ({n} >= TIMESTAMPTZ '{PLAUSIBLE_FROM} 00:00:00+00' AND "
                        f"{n} < TIMESTAMPTZ '{PLAUSIBLE_UNTIL} 00:00:00+00')")
    else:  # pragma: no cover - Kind is a closed Literal
        raise ValueError(fld.kind)
    implausible = (f"NOT ({n} >= DATE '{PLAUSIBLE_FROM}' AND {n} < DATE '{PLAUSIBLE_UNTIL}')"
                   if fld.kind == "date" else "")
    return FieldSql([f"{parsed} AS {n}", f"{raw} AS {raw_col}"],
                    f"({raw_col} IS NOT NULL AND {n} IS NULL)" + required, raw=True,
                    implausible=implausible)


NUMBER_NOT_DATE = ("a number, not a date (Excel shows dates as serial numbers like 45292 when "
                   "the column is not formatted as dates; other systems count seconds since "
                   "1970): format the column as dates and export it again")
# what a serial date or an epoch in seconds or milliseconds looks like (RELIABILITY B19)
_NUMBER_AS_DATE = "[0-9]{5}([.][0-9]+)?|[0-9]{9,10}|[0-9]{12,13}"
IMPLAUSIBLE_DATE = ("a date before 1980 or after 2099: a placeholder such as 1900-01-01 or "
                    "9999-12-31, not a real date")
REASONS = {
    "text": "a value is required here",
    "id": "missing, or an ID already damaged by Excel's scientific notation (e.g. 1.23E+18)",
    "money": "not an amount",
    "number": "not a number",
    "int": "not a whole number",
    "timestamp": "not a valid date/time in the expected format",
    "date": "not a valid date in the expected format",
    "bool": "not yes/no",
}


def build_parsed(cur: duckdb.DuckDBPyConnection, fmt: ExportFormat, plan: ParsePlan) -> None:
    """Create temp table `p` (parsed fields, `_rec`, `_bad` = first failing field or NULL).

    Rows that parse are then run through the format's `checks`; the first that fails sets
    `_bad` to `check:<its index>`.
    """
    if fmt.timezone not in available_timezones() and fmt.timezone != "UTC":
        raise ValueError(f"format {fmt.id} has an unknown time zone")
    items: list[str] = ["rowid AS _rec"]
    bad_cases: list[str] = []
    raws: list[str] = []
    used = " ".join([*fmt.outputs.values(), *(c for _, c, _ in fmt.checks)])
    for name, fld in fmt.fields.items():
        sql = _field_sql(name, fld, plan.columns[name], fmt, need_local=f"{name}_local" in used)
        items.extend(sql.items)
        if sql.raw:
            raws.append(internal_name(f"_raw_{name}"))
        if sql.bad != "false":
            bad_cases.append(f"WHEN {sql.bad} THEN '{name}'")
        if sql.implausible:  # `<name>:year` cannot collide with a field name (an identifier)
            bad_cases.append(f"WHEN {sql.implausible} THEN '{name}:year'")
    bad_expr = f"CASE {' '.join(bad_cases)} END" if bad_cases else "NULL::VARCHAR"
    exclude = f" EXCLUDE ({', '.join(raws)})" if raws else ""
    cur.execute(f"CREATE OR REPLACE TEMP TABLE p AS SELECT *{exclude}, {bad_expr} AS _bad "
                f"FROM (SELECT {', '.join(items)} FROM stg) AS parsed")
    for i, (name, condition, _reason) in enumerate(fmt.checks):
        if name not in fmt.fields:
            raise ValueError(f"format {fmt.id}: check on unknown field {name!r}")
        # `check:<i>` cannot collide with a field name (those are identifiers).
        cur.execute(f"UPDATE p SET _bad = 'check:{i}' WHERE _bad IS NULL AND ({condition})")


PLACEHOLDER_NOTE = ("cells holding only a placeholder (N/A, -, NULL…) or spaces were read as "
                    "empty: {counts}")
MARKER_NOTE = "Excel's text markers (=\"…\", a leading ' or tab) were removed from IDs: {counts}"


def cleaning_notes(cur: duckdb.DuckDBPyConnection, fmt: ExportFormat, plan: ParsePlan) -> list[str]:
    """What cleaning changed, per column, for the load's notes and the import log
    (RELIABILITY B5/B6/B10): cells read as empty because they held only a placeholder (N/A,
    -, NULL, 0000-00-00…) or spaces, and IDs that lost an Excel text marker. Runs between
    `build_parsed` and `reject_bad_rows` (`stg` and `p` both present); rows rejected for a
    value are left out of the first count: they are reported as rejected.

    Counted from totals rather than cell by cell (a cell-by-cell test costs 0.6 s at 1M
    lines of 25 read columns; this ~0.2 s): a kept row's cell was emptied when the file had
    text there and the parsed value is NULL, and a parsed value is NULL for nothing else in a
    row that was not rejected."""
    read: dict[str, str] = {}  # column -> first field reading it
    for name, col in plan.columns.items():
        if col is not None and col not in read:
            read[col] = name
    if not read:
        return []
    cols = list(read)
    ids = [c for c in cols if fmt.fields[read[c]].kind == "id"]
    text = cur.execute("SELECT " + ", ".join(
        [f"count({quote_ident(c)})" for c in cols]
        + [f"count(*) FILTER (WHERE ascii({quote_ident(c)}) IN (39, 9) OR "
           f"(ascii({quote_ident(c)}) = 61 AND {quote_ident(c)} LIKE '=\"%\"'))" for c in ids])
        + " FROM stg").fetchone()
    any_bad = cur.execute("SELECT count(_bad) > 0 FROM p").fetchone()
    if any_bad is not None and any_bad[0]:
        kept = cur.execute("SELECT " + ", ".join(
            f"count({internal_name(read[c])}) FILTER (WHERE _bad IS NULL)" for c in cols) + " FROM p").fetchone()
        rejected = cur.execute(
            "SELECT " + ", ".join(f"count({quote_ident(c)})" for c in cols)
            + " FROM stg WHERE rowid IN (SELECT _rec FROM p WHERE _bad IS NOT NULL)").fetchone()
    else:  # the usual case: counting non-NULL values alone reads no data, only the masks
        kept = cur.execute("SELECT " + ", ".join(
            f"count({internal_name(read[c])})" for c in cols) + " FROM p").fetchone()
        rejected = (0,) * len(cols)
    assert text is not None and kept is not None and rejected is not None
    emptied = {plan.display[read[c]]: text[i] - rejected[i] - kept[i] for i, c in enumerate(cols)}
    marked = {plan.display[read[c]]: text[len(cols) + i] for i, c in enumerate(ids)}

    def counts(by_column: dict[str, int]) -> str:
        ranked = sorted(((n, c) for c, n in by_column.items() if n > 0), key=lambda x: -x[0])
        return ", ".join(f"“{c}” ({n:,})" for n, c in ranked)

    return [note.format(counts=counts(d)) for note, d in
            ((PLACEHOLDER_NOTE, emptied), (MARKER_NOTE, marked)) if counts(d)]


def _line_macro(cur: duckdb.DuckDBPyConnection, line_offset: int, skipped: Sequence[int]) -> None:
    """Temp macro `_line(rec)`: the file line of staged record `rec`.

    Lines the reader refused for their structure (`skipped`) are not staged, so each one at or
    before a record moves it one line down. With s_1 < s_2 < … sorted, record r sits on line
    t + #{i : s_i − i < t}, where t = r + line_offset is its line had nothing been skipped.
    """
    cur.execute("CREATE OR REPLACE TEMP TABLE _skipped AS SELECT unnest(?::BIGINT[]) AS a",
                [[s - i for i, s in enumerate(sorted(set(skipped)), 1)]])
    t = f"(rec + {int(line_offset)})"
    extra = f" + (SELECT count(*) FROM _skipped WHERE a < {t})" if skipped else ""
    cur.execute(f"CREATE OR REPLACE TEMP MACRO _line(rec) AS {t}{extra}")


def reject_bad_rows(cur: duckdb.DuckDBPyConnection, fmt: ExportFormat, plan: ParsePlan,
                    line_offset: int, skipped: Sequence[int] = ()) -> None:
    """Fill temp table `rej` (row_number, column, value, reason) and table `pv` (valid rows).
    `line_offset` is the file line of the first staged record; `skipped` the lines the
    reader refused for their structure (not staged, but still lines of the file).

    When a format has an order key, one bad row rejects its whole order: half an order would
    give wrong totals, which is worse than a visible rejection.
    """
    cur.execute(
        "CREATE OR REPLACE TEMP TABLE rej (_rec BIGINT, row_number BIGINT, \"column\" VARCHAR, "
        "value VARCHAR, reason VARCHAR)"
    )
    # Inside a transaction DuckDB 2.0 numbers uncommitted rows from a large base
    # (36028797018960000), not 0: make `_line(_rec)` a file line number again.
    base = cur.execute("SELECT coalesce(min(rowid), 0) FROM stg").fetchone()
    _line_macro(cur, line_offset - (int(base[0]) if base else 0), skipped)
    bad_fields = {r[0] for r in cur.execute("SELECT DISTINCT _bad FROM p WHERE _bad IS NOT NULL").fetchall()}
    for name, fld in fmt.fields.items():
        col = plan.columns[name]
        if name not in bad_fields or col is None:
            continue
        reason, params = "?", [REASONS[fld.kind]]
        if fld.kind in ("date", "timestamp"):  # a number where a date belongs: say which kind
            reason = (f"CASE WHEN regexp_full_match(sl_nz(s.{quote_ident(col)}), "
                      f"'{_NUMBER_AS_DATE}') THEN ? ELSE ? END")
            params = [NUMBER_NOT_DATE, REASONS[fld.kind]]
        cur.execute(
            f"INSERT INTO rej SELECT p._rec, _line(p._rec), ?, s.{quote_ident(col)}, {reason} "
            f"FROM p JOIN stg s ON s.rowid = p._rec WHERE p._bad = ?",
            [plan.display[name], *params, name],
        )
    for name in fmt.fields:
        if f"{name}:year" not in bad_fields:
            continue
        col = plan.columns[name]
        cur.execute(
            f"INSERT INTO rej SELECT p._rec, _line(p._rec), ?, s.{quote_ident(col)}, ? "
            f"FROM p JOIN stg s ON s.rowid = p._rec WHERE p._bad = ?",
            [plan.display[name], IMPLAUSIBLE_DATE, f"{name}:year"],
        )
    for i, (name, _condition, reason) in enumerate(fmt.checks):
        if f"check:{i}" not in bad_fields:
            continue
        col = plan.columns[name]
        value = f"s.{quote_ident(col)}" if col is not None else "NULL"
        cur.execute(
            f"INSERT INTO rej SELECT p._rec, _line(p._rec), ?, {value}, ? "
            f"FROM p JOIN stg s ON s.rowid = p._rec WHERE p._bad = ?",
            [plan.display[name], reason, f"check:{i}"],
        )
    missing = [n for n, f in fmt.fields.items() if f.required and plan.columns[n] is None]
    if missing:  # cannot happen for detected formats; generic mappings are checked earlier
        raise ValueError(f"required fields without a column: {missing}")
    key = fmt.order_key
    if key is None:
        _keep_valid(cur, "_bad IS NULL")
        return
    k = internal_name(key)
    cur.execute(
        f"CREATE OR REPLACE TEMP TABLE bad_orders AS SELECT {k} AS k, min(_rec) AS first_bad "
        f"FROM p WHERE _bad IS NOT NULL AND {k} IS NOT NULL GROUP BY {k}"
    )
    for name in fmt.order_required:
        # Orders not rejected yet (so every row of them parsed) without this value on any row.
        cur.execute(
            f"CREATE OR REPLACE TEMP TABLE _missing AS SELECT {k} AS k, min(_rec) AS first_bad "
            f"FROM p WHERE {k} IS NOT NULL AND {k} NOT IN (SELECT k FROM bad_orders) "
            f"GROUP BY {k} HAVING count({internal_name(name)}) = 0")
        cur.execute(
            "INSERT INTO rej SELECT first_bad, _line(first_bad), ?, NULL, 'this order has no value "
            "in this column on any of its rows' FROM _missing", [plan.display[name]])
        cur.execute("INSERT INTO bad_orders SELECT k, first_bad FROM _missing")
        cur.execute("DROP TABLE _missing")
    cur.execute(
        f"INSERT INTO rej SELECT p._rec, _line(p._rec), ?, p.{k}, "
        f"'another row of this order (line ' || _line(b.first_bad) || ') was rejected' "
        f"FROM p JOIN bad_orders b ON p.{k} = b.k WHERE p._bad IS NULL "
        f"AND p._rec NOT IN (SELECT _rec FROM rej)",
        [plan.display[key]],
    )
    _keep_valid(cur, f"_bad IS NULL AND NOT EXISTS (SELECT 1 FROM bad_orders b WHERE b.k = p.{k})")


def _keep_valid(cur: duckdb.DuckDBPyConnection, condition: str) -> None:
    """Table `pv` = the rows of `p` meeting `condition`; `p` is gone afterwards.

    Usually nothing is rejected: then `p` simply becomes `pv` (a copy of 1M parsed rows costs
    ~0.7 CPU-s and doubles the memory for nothing).
    """
    bad = cur.execute("SELECT count(*) FROM p WHERE NOT coalesce(" + condition + ", false)").fetchone()
    if bad is not None and bad[0] == 0:
        cur.execute("ALTER TABLE p RENAME TO pv")
        return
    cur.execute(f"CREATE OR REPLACE TEMP TABLE pv AS SELECT * FROM p WHERE {condition}")
    cur.execute("DROP TABLE p")


_DECIMAL = re.compile(r"DECIMAL\((\d+),\s*(\d+)\)")


def cast_sql(expr: str, source: str, target: str) -> str:
    """`CAST(expr AS target)`, done faster for wide decimals that fit in 18 digits.

    Parsed amounts are DECIMAL(38, s) (128-bit) and canonical money DECIMAL(18, 2): DuckDB's
    direct cast between them costs ~0.16 CPU-s per million values, a cast to DECIMAL(18, s)
    first (same scale: a copy) and then to the target ~0.01 s. The result is the same — one
    rounding either way; values too large for 18 digits take the direct cast.
    """
    src, dst = _DECIMAL.fullmatch(source), _DECIMAL.fullmatch(target)
    direct = f"CAST({expr} AS {target})"
    if not (src and dst) or int(src[1]) <= 18 or int(dst[1]) > 18 or int(src[2]) > 16:
        return direct
    scale = int(src[2])
    bound = 10 ** (17 - scale)  # |x| below it fits DECIMAL(18, scale)
    return (f"CASE WHEN {expr} > -{bound} AND {expr} < {bound} "
            f"THEN CAST(CAST({expr} AS DECIMAL(18, {scale})) AS {target}) ELSE {direct} END")


def build_heads(cur: duckdb.DuckDBPyConnection, fmt: ExportFormat) -> None:
    """`pv_head`: one row per order, each column holding the order's first non-null value in
    file order (what `first_value()` gives), `_rec` its first row.

    Exports put an order's fields on its first row, so that row is the answer for almost every
    order. One pass finds out: per row, a bit mask of the columns that have a value; per order,
    the first row's mask and the OR of all of them (equal: the first row holds everything).
    Then `pv_head` is a view joining each order's first row — the outputs read it in their own
    pass, nothing is copied. Orders whose first row lacks a value a later row has (a re-sorted
    file) get `arg_min` aggregates in a table instead, so the result is the same either way.
    (0.5 vs 2.4 CPU-s at 1M lines for the per-column aggregates.)
    """
    if fmt.order_key is None:
        raise ValueError(f"format {fmt.id}: pv_head needs an order key")
    key = internal_name(fmt.order_key)
    cols = [r[0] for r in cur.execute("DESCRIBE pv").fetchall() if r[0] != "_bad"]
    values = [c for c in cols if c not in ("_rec", fmt.order_key)]
    chunks = [values[i:i + 62] for i in range(0, len(values), 62)] or [[]]
    masks = ", ".join(
        "(" + (" + ".join(f"CASE WHEN {quote_ident(c)} IS NOT NULL THEN {1 << b} ELSE 0 END"
                          for b, c in enumerate(chunk)) or "0") + f")::BIGINT AS m{j}"
        for j, chunk in enumerate(chunks))
    aggs = "".join(f", bit_or(m{j}) AS all{j}, arg_min(m{j}, _rec) AS first{j}"
                   for j in range(len(chunks)))
    gap = " OR ".join(f"all{j} <> first{j}" for j in range(len(chunks)))
    cur.execute(f"CREATE OR REPLACE TEMP TABLE _heads AS SELECT {key} AS k, min(_rec) AS r0{aggs}, "
                f"({gap}) AS gap FROM (SELECT {key}, _rec, {masks} FROM pv) GROUP BY {key}")
    gaps = cur.execute("SELECT count(*) FROM _heads WHERE gap").fetchone()
    first_rows = "SELECT pv.* EXCLUDE (_bad) FROM pv JOIN _heads h ON pv._rec = h.r0"
    if gaps is None or gaps[0] == 0:
        cur.execute(f"CREATE OR REPLACE TEMP VIEW pv_head AS {first_rows}")
        return
    firsts = ", ".join(
        "min(pv._rec)" if c == "_rec" else f"pv.{key}" if c == fmt.order_key
        else f"arg_min(pv.{quote_ident(c)}, pv._rec) FILTER (WHERE pv.{quote_ident(c)} IS NOT NULL)"
        for c in cols)
    cur.execute(f"CREATE OR REPLACE TEMP TABLE pv_head AS {first_rows} WHERE NOT h.gap")
    cur.execute(
        f"INSERT INTO pv_head SELECT {firsts} FROM pv "
        f"JOIN (SELECT k FROM _heads WHERE gap) g ON pv.{key} IS NOT DISTINCT FROM g.k "
        f"GROUP BY pv.{key}")


def drop_heads(cur: duckdb.DuckDBPyConnection) -> None:
    """Remove `pv_head` (a view or a table) and what it reads besides `pv`."""
    row = cur.execute("SELECT table_type FROM information_schema.tables "
                      "WHERE table_name = 'pv_head' AND table_schema = 'main' "
                      "AND table_catalog = 'temp'").fetchone()
    if row is not None:
        cur.execute("DROP VIEW pv_head" if row[0] == "VIEW" else "DROP TABLE pv_head")
    cur.execute("DROP TABLE IF EXISTS _heads")


def output_selects(cur: duckdb.DuckDBPyConnection, fmt: ExportFormat) -> dict[str, str]:
    """The SELECT of each output table, giving exactly its canonical columns (row-level tables:
    a later row with the same key wins). Builds `pv_head` first when an output reads it."""
    if any("pv_head" in select for select in fmt.outputs.values()):
        build_heads(cur, fmt)
    selects: dict[str, str] = {}
    for table, select in fmt.outputs.items():
        spec = TABLES[table]
        got = dict(cur.execute(f"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM ({select}) q)").fetchall())
        cols = ", ".join(
            f"{cast_sql(f'q.{internal_name(c)}', got[c], t)} AS {internal_name(c)}" if c in got
            else f"NULL::{t} AS {internal_name(c)}"
            for c, t in spec.columns
        )
        dedupe = ""
        if "_rec" in got:
            keys = ", ".join(f"q.{internal_name(k)}" for k in spec.key)
            dedupe = f" QUALIFY row_number() OVER (PARTITION BY {keys} ORDER BY q._rec DESC) = 1"
        selects[table] = f"SELECT {cols} FROM ({select}) q{dedupe}"
    return selects


_WORKSPACE_TABLE = re.compile(
    r"\b(?:FROM|JOIN)\s+(?:" + "|".join([*TABLES, "imports"]) + r")\b", re.IGNORECASE)


def reads_workspace(fmt: ExportFormat) -> bool:
    """Whether an output reads the workspace's own tables (Taobao completing discounts, Etsy
    items adding only the orders no richer export wrote): then every output is computed
    before any is written, so none sees another's new rows."""
    return any(_WORKSPACE_TABLE.search(select) for select in fmt.outputs.values())
