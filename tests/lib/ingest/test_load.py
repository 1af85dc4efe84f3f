"""Loading: counts reconcile, loads are atomic and idempotent, overlaps count once, undo restores."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from lib.ingest.load import ingest_path
from lib.metrics.core import compute_core_kpis
from lib.workspace import Workspace, open_workspace
from tests.lib.ingest.fixtures import SHOPIFY_HEADER, SHOPIFY_ROWS, shopify_file, to_csv, write


def _snapshot(ws: Workspace) -> dict[str, object]:
    cur = ws.cursor()
    return {t: cur.execute(f"SELECT count(*), hash(string_agg(CAST(x AS VARCHAR), '|' ORDER BY CAST(x AS VARCHAR))) FROM {t} x").fetchone()
            for t in ("orders", "order_lines", "imports", "rejected_rows")}


def test_shopify_fixture_kpis_match_hand_computation(ws: Workspace, tmp_path: Path) -> None:
    [res] = ingest_path(ws, shopify_file(tmp_path))
    assert (res.status, res.format, res.rows_read, res.rows_loaded, res.rows_rejected) == (
        "loaded", "shopify_orders", 3, 3, 0)
    assert (res.orders, res.order_lines, res.currency) == (2, 3, "USD")
    k = compute_core_kpis(ws)
    assert k.orders == 2
    assert k.units == Decimal(6)
    assert k.gross_sales == Decimal("46.50")  # 2×10 + 5.50 + 3×7
    assert k.discounts == Decimal("2.50")
    assert k.refunds == Decimal("5.00")
    assert k.net_sales == Decimal("39.00")
    assert k.order_total == Decimal("49.84")
    assert k.avg_order_value == Decimal("22.00")  # (46.50 − 2.50) / 2
    assert k.customers == 2 and k.repeat_customer_rate == 0


def test_order_date_is_the_exports_local_day_and_ids_keep_zeros(ws: Workspace, tmp_path: Path) -> None:
    ingest_path(ws, shopify_file(tmp_path))
    cur = ws.cursor()
    # 23:30 −0500 on 2 March is 3 March in UTC; the shop's day is still 2 March.
    assert cur.execute("SELECT order_date::VARCHAR FROM orders WHERE order_id = '#1002'").fetchone() == ("2024-03-02",)
    assert cur.execute("SELECT sku FROM order_lines WHERE order_id = '#1001' AND line_no = 1").fetchone() == ("0123",)


def test_no_raw_email_is_stored(ws: Workspace, tmp_path: Path) -> None:
    ingest_path(ws, shopify_file(tmp_path))
    cur = ws.cursor()
    for table in ("orders", "order_lines", "rejected_rows"):
        text = cur.execute(f"SELECT string_agg(CAST(t AS VARCHAR), ' ') FROM {table} t").fetchone()[0] or ""
        assert "@" not in text and "example.invalid" not in text


def test_same_file_twice_changes_nothing(ws: Workspace, tmp_path: Path) -> None:
    f = shopify_file(tmp_path)
    ingest_path(ws, f)
    before = _snapshot(ws)
    [again] = ingest_path(ws, f)
    assert again.status == "duplicate" and again.batch_id == 1
    assert _snapshot(ws) == before


def test_overlapping_exports_count_an_order_once_and_undo_restores(ws: Workspace, tmp_path: Path) -> None:
    ingest_path(ws, shopify_file(tmp_path, "march.csv"))
    # A later export repeats #1002 (now refunded) and adds #1003.
    later = [list(SHOPIFY_ROWS[2]), ["#1003", "c@example.invalid", "paid", "2024-03-05 08:00:00 -0500",
             "", "", "USD", "9.00", "0.00", "0.00", "9.00", "", "0.00", "2024-03-05 08:00:00 -0500",
             "1", "Tea", "9.00", "TEA-1", "", "0.00", "0.00", "US"]]
    later[0][2], later[0][19] = "refunded", "21.00"
    [r2] = ingest_path(ws, write(tmp_path / "later.csv", to_csv(SHOPIFY_HEADER, later)))
    k = compute_core_kpis(ws)
    assert k.orders == 3 and k.refunds == Decimal("26.00")
    ws.undo_import(r2.batch_id)
    k = compute_core_kpis(ws)
    assert k.orders == 2 and k.refunds == Decimal("5.00")
    assert ws.cursor().execute("SELECT count(*) FROM order_lines").fetchone() == (3,)


def test_a_re_export_without_a_column_keeps_the_stored_values(ws: Workspace, tmp_path: Path) -> None:
    """RELIABILITY E9: a later export of the same orders without `Total` (a header variant,
    a column switched off) must not blank the totals the first export stored; a column the
    file does have still updates them."""
    from lib.i18n import describe_result

    ingest_path(ws, shopify_file(tmp_path, "march.csv"))
    totals = "SELECT order_id, total, financial_status FROM orders ORDER BY 1"
    assert ws.cursor().execute(totals).fetchall() == [
        ("#1001", Decimal("28.84"), "partially_refunded"), ("#1002", Decimal("21.00"), "paid")]
    header = ["Order Total" if h == "Total" else h for h in SHOPIFY_HEADER]  # not a known column
    rows = [list(r) for r in SHOPIFY_ROWS]
    rows[2][2] = "refunded"  # #1002's only row: the status did change
    [r] = ingest_path(ws, write(tmp_path / "later.csv", to_csv(header, rows)))
    assert (r.status, r.kept) == ("loaded", {"orders": ["total"]})
    assert ws.cursor().execute(totals).fetchall() == [
        ("#1001", Decimal("28.84"), "partially_refunded"), ("#1002", Decimal("21.00"), "refunded")]
    assert compute_core_kpis(ws).order_total == Decimal("49.84")  # 28.84 + 21.00, as before
    assert r.message.endswith("This file has no values for total: the orders it updates keep "
                              "the values already stored.")
    assert describe_result(r, "zh").endswith("此文件中 total 没有值：被更新的订单保留已存储的值。")
    assert r.to_json()["kept"] == {"orders": ["total"]}
    ws.undo_import(r.batch_id)
    assert ws.cursor().execute(totals).fetchall() == [
        ("#1001", Decimal("28.84"), "partially_refunded"), ("#1002", Decimal("21.00"), "paid")]
    # the same layout again, with the column: nothing is kept, the new values win
    rows[2][SHOPIFY_HEADER.index("Total")] = "20.00"
    [again] = ingest_path(ws, write(tmp_path / "fixed.csv", to_csv(SHOPIFY_HEADER, rows)))
    assert again.kept == {}
    assert ws.cursor().execute(totals).fetchall()[1] == ("#1002", Decimal("20.00"), "refunded")


def test_a_failed_load_leaves_the_workspace_exactly_as_it_was(ws: Workspace, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    ingest_path(ws, shopify_file(tmp_path, "first.csv"))
    before = _snapshot(ws)
    real_upsert = Workspace.upsert
    calls = {"n": 0}

    def failing_upsert(self, cur, table, staged, batch_id):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 2:  # orders already written inside the transaction, then a crash
            raise RuntimeError("simulated crash mid-load")
        return real_upsert(self, cur, table, staged, batch_id)

    monkeypatch.setattr(Workspace, "upsert", failing_upsert)
    rows = [r[:] for r in SHOPIFY_ROWS]
    rows[0][0] = rows[1][0] = "#2001"
    with pytest.raises(RuntimeError):
        ingest_path(ws, write(tmp_path / "second.csv", to_csv(SHOPIFY_HEADER, rows)))
    assert _snapshot(ws) == before


def test_bad_row_rejects_its_whole_order_with_line_column_and_reason(ws: Workspace, tmp_path: Path) -> None:
    rows = [r[:] for r in SHOPIFY_ROWS]
    rows[1][14] = "two"  # #1001's second line: quantity is not a number
    [res] = ingest_path(ws, write(tmp_path / "bad.csv", to_csv(SHOPIFY_HEADER, rows)))
    assert (res.rows_read, res.rows_loaded, res.rows_rejected, res.orders) == (3, 1, 2, 1)
    bad = [p for p in res.problems if p.raw_value == "two"]
    assert bad and bad[0].line == 3 and bad[0].column == "Lineitem quantity"
    assert "not a number" in bad[0].reason
    rej = ws.cursor().execute("SELECT row_number, \"column\", value FROM rejected_rows ORDER BY 1").fetchall()
    assert rej == [(2, "Name", "#1001"), (3, "Lineitem quantity", "two")]


def test_order_without_created_at_is_rejected_not_loaded_half(ws: Workspace, tmp_path: Path) -> None:
    rows = [r[:] for r in SHOPIFY_ROWS]
    rows[2][13] = ""
    [res] = ingest_path(ws, write(tmp_path / "nodate.csv", to_csv(SHOPIFY_HEADER, rows)))
    assert res.orders == 1 and res.rows_rejected == 1
    assert res.problems[0].column == "Created at"


def test_workspaces_are_isolated(tmp_path: Path) -> None:
    a = open_workspace(tmp_path / "client_a.duckdb")
    b = open_workspace(tmp_path / "client_b.duckdb")
    try:
        ingest_path(a, shopify_file(tmp_path))
        assert compute_core_kpis(a).orders == 2
        assert compute_core_kpis(b).orders == 0
        assert a.salt != b.salt  # the same e-mail hashes differently per client
    finally:
        a.close()
        b.close()


def test_second_process_gets_a_friendly_busy_message(tmp_path: Path) -> None:
    import subprocess
    import sys

    w = open_workspace(tmp_path / "busy.duckdb")
    try:
        out = subprocess.run(
            [sys.executable, "-m", "lib.cli", "kpis", "--workspace", str(tmp_path / "busy.duckdb")],
            capture_output=True, text=True, cwd=Path(__file__).resolve().parents[3], timeout=60)
    finally:
        w.close()
    assert out.returncode == 2
    assert "open in another program" in out.stderr and "Traceback" not in out.stderr


def test_order_fields_found_when_the_first_row_lacks_them(ws: Workspace, tmp_path: Path) -> None:
    """A re-sorted export (the saucer line of #1001 now comes first) gives the same orders: the
    order's fields are taken from whichever of its rows carries them, not from its first row."""
    resorted = [SHOPIFY_ROWS[1], SHOPIFY_ROWS[2], SHOPIFY_ROWS[0]]
    ingest_path(ws, shopify_file(tmp_path, rows=resorted))
    rows = ws.cursor().execute(
        "SELECT order_id, total, discount, shipping, tax, refunded, currency, country, "
        "CAST(created_at AS VARCHAR), status FROM orders ORDER BY order_id").fetchall()
    assert rows == [
        ("#1001", Decimal("28.84"), Decimal("2.50"), Decimal("4.00"), Decimal("1.84"),
         Decimal("5.00"), "USD", "US", "2024-03-01 15:00:00+00", "partially_refunded"),
        ("#1002", Decimal("21.00"), Decimal("0.00"), Decimal("0.00"), Decimal("0.00"),
         Decimal("0.00"), "USD", "CA", "2024-03-03 04:30:00+00", "paid"),
    ]
    lines = ws.cursor().execute(
        "SELECT order_id, line_no, sku, currency FROM order_lines ORDER BY order_id, line_no").fetchall()
    assert lines == [("#1001", 1, "SAU-1", "USD"), ("#1001", 2, "0123", "USD"),
                     ("#1002", 1, "POT-1", "USD")]


def test_order_without_its_required_date_on_any_row_is_rejected_whole(ws: Workspace,
                                                                     tmp_path: Path) -> None:
    """`Created at` only needs to be on one row of an order; an order with it on none is
    rejected (its row, with the reason and the column), the other order loads."""
    created = SHOPIFY_HEADER.index("Created at")
    rows = [list(r) for r in SHOPIFY_ROWS]
    rows[2][created] = ""  # #1002's only row
    [res] = ingest_path(ws, shopify_file(tmp_path, rows=rows))
    assert (res.status, res.rows_read, res.rows_loaded, res.rows_rejected, res.orders) == (
        "loaded", 3, 2, 1, 1)
    rejected = ws.cursor().execute(
        'SELECT row_number, "column", reason FROM rejected_rows').fetchall()
    assert rejected == [(4, "Created at", "this order has no value in this column on any of its rows")]
    assert ws.cursor().execute("SELECT list(order_id) FROM orders").fetchone()[0] == ["#1001"]


def test_first_load_appends_and_a_later_one_replaces_with_the_same_summary(
        ws: Workspace, tmp_path: Path) -> None:
    """Into empty tables the rows are written straight from the outputs; into filled ones they
    are staged and upserted. The result says the same either way."""
    first = ingest_path(ws, shopify_file(tmp_path, "a.csv"))[0]
    rows = [r[:] for r in SHOPIFY_ROWS]
    rows[2][SHOPIFY_HEADER.index("Total")] = "22.00"  # #1002 again, corrected
    second = ingest_path(ws, shopify_file(tmp_path, "b.csv", rows=rows))[0]
    for res in (first, second):
        assert (res.orders, res.order_lines, res.currency) == (2, 3, "USD")
        assert (res.date_min, res.date_max) == (date(2024, 3, 1), date(2024, 3, 2))
        assert res.table_rows == {"orders": 2, "order_lines": 3}
    cur = ws.cursor()
    assert cur.execute("SELECT batch_id, count(*) FROM orders GROUP BY 1").fetchall() == [(2, 2)]
    assert cur.execute("SELECT total FROM orders WHERE order_id = '#1002'").fetchone() == (Decimal("22.00"),)
    assert cur.execute("SELECT count(*) FROM orders_replaced WHERE replaced_by = 2").fetchone() == (2,)


def test_formats_that_read_the_workspace_are_known() -> None:
    """Their outputs are all computed before any is written (none sees another's new rows)."""
    from lib.ingest import engine
    from lib.ingest.formats import FORMATS

    assert sorted(f.id for f in FORMATS if engine.reads_workspace(f)) == [
        "etsy_order_items", "taobao_order_items", "taobao_orders", "woocommerce_analytics"]


def _long_shopify(tail_name: str, n: int = 3000) -> str:
    """A Shopify export over 256 KB whose last order's line item is `tail_name`."""
    rows = []
    for i in range(n):
        row = list(SHOPIFY_ROWS[2])
        row[0] = f"#{5000 + i}"
        rows.append(row)
    last = list(SHOPIFY_ROWS[2])
    last[0], last[SHOPIFY_HEADER.index("Lineitem name")] = "#9999", tail_name
    rows.append(last)
    return to_csv(SHOPIFY_HEADER, rows)


def test_a_late_non_utf8_byte_is_found_after_the_utf8_guess(ws: Workspace, tmp_path: Path) -> None:
    """The head is ASCII, so the load starts as UTF-8; the Windows-1252 'é' near the end sends
    the file back through the encoding check, and it loads whole and right."""
    text = _long_shopify("Café crème")
    assert len(text.encode("cp1252")) > 300_000
    [res] = ingest_path(ws, write(tmp_path / "late.csv", text, encoding="cp1252"))
    assert (res.status, res.encoding, res.rows_rejected, res.orders) == ("loaded", "cp1252", 0, 3001)
    name = ws.cursor().execute("SELECT product_name FROM order_lines WHERE order_id = '#9999'").fetchone()
    assert name == ("Café crème",)


def test_a_late_byte_of_another_encoding_in_utf8_text_is_refused(ws: Workspace, tmp_path: Path) -> None:
    before = _snapshot(ws)
    text = _long_shopify("茶杯").replace("Tea pot", "茶壶")  # UTF-8 Chinese from the first rows
    data = text.encode("utf-8").replace("茶杯".encode("utf-8"), "茶杯".encode("gbk"))  # one GBK cell
    [res] = ingest_path(ws, write(tmp_path / "mixed.csv", data))
    assert res.status == "refused" and "mixes UTF-8 text with another encoding" in res.message
    assert _snapshot(ws) == before


def test_the_size_column_is_added_to_older_workspaces(tmp_path: Path) -> None:
    """A workspace made before `imports.file_bytes` gets it on open; its old imports (no size)
    still catch a duplicate."""
    path = tmp_path / "old.duckdb"
    ws = open_workspace(path)
    f = shopify_file(tmp_path)
    ingest_path(ws, f)
    ws.cursor().execute("ALTER TABLE imports DROP COLUMN file_bytes")
    ws.close()
    ws = open_workspace(path)
    try:
        [again] = ingest_path(ws, f)
        assert again.status == "duplicate"
        other = shopify_file(tmp_path, "other.csv", rows=[SHOPIFY_ROWS[2]])
        [res] = ingest_path(ws, other)
        assert res.status == "loaded"
        sizes = ws.cursor().execute("SELECT file_bytes FROM imports ORDER BY batch_id").fetchall()
        assert sizes == [(None,), (other.stat().st_size,)]
    finally:
        ws.close()


def test_head_utf8_guess(tmp_path: Path) -> None:
    from lib.ingest.reader import SAMPLE_BYTES, head_utf8

    cut = "a" * (SAMPLE_BYTES - 1) + "é"  # 'é' cut in half by the sample's end: still UTF-8
    cases = {"plain": ("Name,Total\n#1,2\n".encode(), "utf-8"),
             "bom": ("\ufeffName,Total\n".encode("utf-8"), "utf-8-sig"),
             "cut": (cut.encode("utf-8"), "utf-8"),
             "utf16": ("Name,Total\n".encode("utf-16-le"), None),
             "gbk": ("名称,金额\n".encode("gbk"), None)}
    for name, (data, expected) in cases.items():
        assert head_utf8(write(tmp_path / f"{name}.csv", data)) == expected, name


def test_a_whitespace_file_with_a_late_non_utf8_byte_loads_without_a_traceback(
        ws: Workspace, tmp_path: Path) -> None:
    """CDNOW-style columns: the UTF-8 guess is checked before the whitespace conversion; the
    Windows-1252 byte on the last line makes that line's amount unreadable, nothing worse."""
    lines = [b" customer_id  date  number_of_cds  dollar_value\r\n"]
    lines += [b" %05d 19970101 1  11.77\r\n" % (i % 900) for i in range(12000)]
    lines.append(" 00001 19970105 1   5.00\xa7\r\n".encode("cp1252"))
    path = write(tmp_path / "CDNOW_late.txt", b"".join(lines))
    assert path.stat().st_size > 300_000
    [res] = ingest_path(ws, path)
    assert (res.status, res.format, res.encoding) == ("loaded", "cdnow", "cp1252")
    assert (res.rows_read, res.rows_rejected) == (12001, 1)
