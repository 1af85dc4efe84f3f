"""The import log as the Data page shows it: rejected rows, their safe CSV, history, uploads."""
from __future__ import annotations

import hashlib
import io
from datetime import date
from pathlib import Path

import pytest

from lib import imports
from lib.i18n import describe_result
from lib.ingest.load import IngestOptions, ingest_path
from lib.workspace import Workspace

HEADER = ("Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Currency,Subtotal,"
          "Shipping,Taxes,Total,Discount Code,Discount Amount,Created at,Lineitem quantity,"
          "Lineitem name,Lineitem price,Lineitem sku,Cancelled at,Refunded Amount,Vendor")


def shopify_csv(*rows: str) -> str:
    return HEADER + "\n" + "\n".join(rows) + "\n"


def order(name: str, day: str, qty: str, price: str, item: str = "Widget",
          email: str = "a@example.invalid") -> str:
    created = f"2024-01-{day} 10:00:00 +0000"
    return (f"{name},{email},paid,{created},fulfilled,,USD,{price},0.00,0.00,{price},,0.00,"
            f"{created},{qty},{item},{price},SKU-{name[1:]},,0.00,Acme")


# Line 1 is the header. Line 3 continues order #1001 (Shopify leaves order fields empty there);
# line 4 has the bad quantity.
ORDERS = shopify_csv(
    order("#1001", "05", "2", "15.00"),
    "#1001,,,,,,,,,,,,,,1,Gadget,10.00,SKU-G,,,Acme",
    order("#1002", "06", "abc", "20.00", email="b@example.invalid"),
    order("#1003", "07", "1", "10.00"),
)


def load(ws: Workspace, tmp_path: Path, text: str, name: str = "orders.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    [result] = ingest_path(ws, path, name)
    return result


def test_one_bad_row_is_rejected_with_its_file_line_column_value_and_reason(ws, tmp_path) -> None:
    r = load(ws, tmp_path, ORDERS)
    assert (r.status, r.rows_read, r.rows_loaded, r.rows_rejected, r.orders) == ("loaded", 4, 3, 1, 2)
    df = imports.rejected_rows(ws, r.batch_id)
    assert list(df.columns) == ["row_number", "column", "value", "reason"]
    assert df.to_dict("records") == [
        {"row_number": 4, "column": "Lineitem quantity", "value": "abc", "reason": "not a number"}]


def test_rejected_rows_of_another_import_are_not_mixed_in(ws, tmp_path) -> None:
    first = load(ws, tmp_path, ORDERS)
    second = load(ws, tmp_path, shopify_csv(order("#2001", "08", "1", "5.00")), "clean.csv")
    assert len(imports.rejected_rows(ws, first.batch_id)) == 1
    assert imports.rejected_rows(ws, second.batch_id).empty
    assert list(imports.rejected_rows(ws, second.batch_id).columns) == list(imports.REJECTED_COLUMNS)


def test_rejected_rows_csv_is_utf8_with_bom_and_disarms_formulas(ws, tmp_path) -> None:
    r = load(ws, tmp_path, shopify_csv(order("#1001", "05", "=1+1", "15.00"),
                                       order("#1002", "06", "1", "20.00")))
    assert r.rows_rejected == 1
    assert imports.rejected_rows_csv(ws, r.batch_id) == (
        b"\xef\xbb\xbfrow_number,column,value,reason\r\n"
        b"2,Lineitem quantity,'=1+1,not a number\r\n")


def test_rejected_rows_csv_keeps_non_ascii_text(ws, tmp_path) -> None:
    r = load(ws, tmp_path, shopify_csv(order("#1001", "05", "两个", "15.00")))
    data = imports.rejected_rows_csv(ws, r.batch_id)
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").splitlines()[1] == "2,Lineitem quantity,两个,not a number"


@pytest.mark.parametrize(("value", "shown"), [
    ("=1+1", "'=1+1"), ("+49 30 1234", "'+49 30 1234"), ("-2+3", "'-2+3"),
    ("@SUM(A1:A9)", "'@SUM(A1:A9)"), ("\tx", "'\tx"), ("\rx", "'\rx"), ("\0=1+1", "'\0=1+1"),
    ("a=b", "a=b"), ("", ""), (None, ""), (7, "7"), (-7, "-7"),
])
def test_guard_cell(value: object, shown: str) -> None:
    assert imports.guard_cell(value) == shown


def test_import_history_lists_each_import_newest_first_and_shows_undo(ws, tmp_path) -> None:
    first = load(ws, tmp_path, ORDERS)
    second = load(ws, tmp_path, shopify_csv(order("#2001", "08", "1", "5.00")), "clean.csv")
    ws.undo_import(first.batch_id)
    h = imports.import_history(ws)
    assert list(h.columns) == list(imports.HISTORY_COLUMNS)
    assert h[["batch_id", "file_name", "rows_read", "rows_loaded", "rows_rejected", "orders",
              "status"]].to_dict("records") == [
        {"batch_id": second.batch_id, "file_name": "clean.csv", "rows_read": 1, "rows_loaded": 1,
         "rows_rejected": 0, "orders": 1, "status": "loaded"},
        {"batch_id": first.batch_id, "file_name": "orders.csv", "rows_read": 4, "rows_loaded": 3,
         "rows_rejected": 1, "orders": 2, "status": "undone"},
    ]
    assert (h.loc[1, "date_min"], h.loc[1, "date_max"]) == (date(2024, 1, 5), date(2024, 1, 7))


def test_import_history_of_a_new_workspace_is_empty_with_its_columns(ws) -> None:
    h = imports.import_history(ws)
    assert h.empty and list(h.columns) == list(imports.HISTORY_COLUMNS)


def test_data_coverage_spans_the_loaded_orders(ws, tmp_path) -> None:
    assert imports.data_coverage(ws) == imports.Coverage(None, None, ())
    load(ws, tmp_path, ORDERS)
    assert imports.data_coverage(ws) == imports.Coverage(date(2024, 1, 5), date(2024, 1, 7),
                                                         ("shopify",))


def test_ingest_upload_loads_from_memory_and_leaves_no_temp_file(ws) -> None:
    data = ORDERS.encode()
    [r] = imports.ingest_upload(ws, "../../etc/orders.csv", io.BytesIO(data))
    assert (r.status, r.file, r.orders) == ("loaded", "orders.csv", 2)
    leftovers = [p.name for p in ws.staging.iterdir() if p.is_file()]
    assert leftovers == []
    assert imports.sha256_of(io.BytesIO(data)) == hashlib.sha256(data).hexdigest()


def test_title_lines_reads_the_count_from_the_refusal(ws, tmp_path) -> None:
    path = tmp_path / "titled.csv"
    path.write_text("My shop: orders\nExported 2024-02-01\n" + ORDERS, encoding="utf-8")
    [refused] = ingest_path(ws, path, "titled.csv")
    assert imports.title_lines(refused) == 2
    assert (refused.key, refused.params) == ("ingest.title_lines", {"n": 2, "line": 3})
    assert describe_result(refused, "zh") == (
        "titled.csv：表头在第 3 行，其上方的 2 行看起来是标题。请跳过这些行，或删除后重新上传。未做任何更改。")
    [loaded] = ingest_path(ws, path, "titled.csv", IngestOptions(skip_lines=2))
    assert (loaded.status, loaded.orders) == ("loaded", 2)
    assert imports.title_lines(loaded) is None
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert imports.title_lines(ingest_path(ws, empty, "empty.csv")[0]) is None


def test_build_mapping_drops_empty_choices_and_normalises_inputs() -> None:
    m = imports.build_mapping({"order_id": "No", "order_date": "When", "sku": "", "bogus": "X"},
                              name="  My layout ", day_first=True, currency=" usd ")
    assert (m.columns, m.name, m.day_first, m.currency) == (
        {"order_id": "No", "order_date": "When"}, "My layout", True, "USD")
    assert imports.build_mapping({}, currency="").currency is None
    assert imports.build_mapping({}).name == "Custom layout"


def test_an_upload_leaves_the_kpi_facts_up_to_date(ws) -> None:
    """The fact tables are rebuilt during the upload, not on the next Overview view."""
    from lib.metrics.facts import STAMP_KEY, data_stamp

    [r] = imports.ingest_upload(ws, "orders.csv", io.BytesIO(ORDERS.encode()))
    assert r.status == "loaded"
    stamp = ws.meta(STAMP_KEY)
    assert stamp is not None and stamp.startswith(data_stamp(ws) + "|")
    assert ws.cursor().execute("SELECT count(*) FROM metrics_orders").fetchone()[0] == r.orders


def test_the_workspace_version_changes_with_an_import_its_undo_and_the_time_zone(ws, tmp_path) -> None:
    """Every page's cached figures are keyed by it (ui/cached.py): each change must show."""
    seen = [ws.version()]
    f = tmp_path / "one.csv"
    f.write_text(shopify_csv(order("#1", "05", "1", "10.00")), encoding="utf-8")
    [loaded] = ingest_path(ws, f)
    seen.append(ws.version())
    ws.undo_import(loaded.batch_id)
    seen.append(ws.version())
    ws.set_timezone("Asia/Shanghai")
    seen.append(ws.version())
    assert len(set(seen)) == 4, seen
    assert ws.version() == seen[-1]  # asked again, nothing changed: the same key



def test_the_version_reads_the_tables_again_only_after_a_commit(ws, monkeypatch) -> None:
    """Asked once per cached figure on every rerun: between commits it is remembered."""
    from lib.metrics.filters import save_workspace_rates

    opened: list[int] = []
    real = type(ws).cursor
    monkeypatch.setattr(type(ws), "cursor", lambda self: opened.append(1) or real(self))
    first = ws.version()
    assert ws.version() == first and len(opened) == 1
    save_workspace_rates(ws, (("EUR", 1.10),))
    opened.clear()
    second = ws.version()
    assert second != first and len(opened) == 1
    assert ws.version() == second and len(opened) == 1
