"""Refund and cancellation rates only where an export records refunds and cancellations.

CDNOW lists purchases only, Amazon's All Orders report has no refunds, Online Retail's
refunds are its `C…` invoices but nothing is ever a cancelled order: their formats write 0,
and a 0 % rate from them would read as a fact. Each import logs what its format records;
the rates are then blank with the reason, and computed again as soon as one export in the
workspace records them.
"""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from lib.ingest.load import IngestOptions, ingest_path
from lib.ingest.mapping import GenericMapping, suggest_mapping
from lib.metrics.core import compute_core_kpis
from lib.metrics.describe import describe_value
from lib.metrics.engine import Reason, compute
from lib.metrics.filters import Filters
from lib.pricing import discount_codes
from lib.workspace import Workspace, open_workspace
from tests.lib.ingest.fixtures import shopify_file, write

CDNOW = (b" customer_id  date  number_of_cds  dollar_value\r\n"
         b" 00001 19970101 1  11.77\r\n"
         b" 00002 19970102 2  20.00\r\n"
         b" 00003 19970105 1   5.00\r\n")
# Three invoices, one of them a refund document (C536379): 1 refunded ÷ 2 orders.
ONLINE_RETAIL = ("InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
                 "536365,85123A,WHITE HANGING HEART,6,12/1/2010 8:26,2.55,17850,United Kingdom\n"
                 "536366,22633,HAND WARMER,6,12/1/2010 8:28,1.85,17850,United Kingdom\n"
                 "C536379,85123A,WHITE HANGING HEART,-1,12/1/2010 9:41,2.55,17850,United Kingdom\n")


def rates(ws: Workspace) -> dict[str, object]:
    """Each rate's value, or the requirement its reason names when it is blank."""
    result = compute(ws, metrics=["refund_rate", "cancel_rate"])
    out: dict[str, object] = {}
    for m in ("refund_rate", "cancel_rate"):
        v = result.value(m)
        out[m] = v.value if v.value is not None else (v.reason or Reason("?")).param("what")
    return out


def load(ws: Workspace, path: Path, **opts: object) -> int:
    [res] = ingest_path(ws, path, options=IngestOptions(**opts))  # type: ignore[arg-type]
    assert res.status == "loaded", res.message
    return int(res.batch_id or 0)


def cdnow(tmp: Path) -> Path:
    return write(tmp / "CDNOW_master.txt", CDNOW)


def test_an_export_without_refunds_or_cancellations_leaves_both_rates_blank(
        ws: Workspace, tmp_path: Path) -> None:
    load(ws, cdnow(tmp_path))
    assert (ws.recorded("refunds"), ws.recorded("cancellations")) == (False, False)
    assert rates(ws) == {"refund_rate": "recorded.refunds", "cancel_rate": "recorded.cancellations"}
    # the refund amount too; net sales are then net of discounts only, and say so
    money = compute(ws, metrics=["refunds", "net_sales", "gross_sales"])
    assert money.value("refunds").reason == Reason("metrics.reason.needs", (("what", "recorded.refunds"),))
    assert money.value("net_sales").value == money.value("gross_sales").value == Decimal("36.77")
    assert describe_value(money.value("net_sales")) == "Refunds left out: no data."
    assert compute_core_kpis(ws).refunds == 0  # the CLI's foundation figure: Σ refunded amounts
    # the Pricing page's table by code (here the one row of orders without a code) too
    codes = discount_codes(ws).table
    assert codes["orders"].tolist() == [3] and codes["refund_rate"].isna().all()


def test_refund_documents_are_refunds_but_no_order_is_ever_cancelled(ws: Workspace, tmp_path: Path) -> None:
    load(ws, write(tmp_path / "online_retail.csv", ONLINE_RETAIL))
    assert rates(ws) == {"refund_rate": 0.5, "cancel_rate": "recorded.cancellations"}


def test_one_export_that_records_them_brings_the_rates_back_and_undo_takes_them_away(
        ws: Workspace, tmp_path: Path) -> None:
    load(ws, cdnow(tmp_path))
    shopify = load(ws, shopify_file(tmp_path))  # #1001 partly refunded, #1002 not; none cancelled
    # over Shopify's 2 orders only: 1 refunded, 0 cancelled (CDNOW's 3 could not say)
    assert rates(ws) == {"refund_rate": 0.5, "cancel_rate": 0.0}
    result = compute(ws, metrics=["refund_rate", "cancel_rate"])
    assert describe_value(result.value("refund_rate")) == (
        "Counted over the 40.0% of orders whose exports record refunds; the others are left out.")
    assert describe_value(result.value("cancel_rate"), "zh") == (
        "按导出数据记录了取消的订单计算（占下单数的 40.0%），其余订单不计入。")
    # the refunds themselves (and net sales, which subtract them) say whose are not known
    money = compute(ws, metrics=["refunds", "net_sales", "orders"])
    known = "Refunds are known for 40.0% of orders: the exports of the others do not record refunds."
    assert describe_value(money.value("refunds")) == known == describe_value(money.value("net_sales"))
    assert describe_value(money.value("orders")) == ""
    # CDNOW's channel alone: none of its orders could say, and the rates say that
    cdnow_only = compute(ws, Filters(channels=("cdnow",)), metrics=["refund_rate", "cancel_rate"])
    assert [describe_value(cdnow_only.value(m)) for m in ("refund_rate", "cancel_rate")] == [
        "Not available: none of these orders comes from an export that records refunds.",
        "Not available: none of these orders comes from an export that records cancellations."]
    codes = discount_codes(ws).table  # the no-code row: #1002 and CDNOW's 3, #1002 not refunded
    assert dict(zip(codes["code"].fillna("(none)"), codes["refund_rate"])) == {
        "(none)": 0.0, "SPRING": 1.0}
    assert codes["orders"].tolist() == [4, 1]  # #1001 used SPRING and was partly refunded
    ws.undo_import(shopify)
    assert rates(ws) == {"refund_rate": "recorded.refunds", "cancel_rate": "recorded.cancellations"}


def test_orders_written_without_an_import_count_as_recorded(ws: Workspace) -> None:
    """Nothing says they are not (hand-made fixtures, tools writing the tables directly)."""
    assert (ws.recorded("refunds"), ws.recorded("cancellations")) == (True, True)
    with pytest.raises(ValueError):
        ws.recorded("returns")  # type: ignore[arg-type]


def test_a_mapped_file_records_cancellations_only_through_a_status_column(
        ws: Workspace, tmp_path: Path) -> None:
    body = ("order_id,date,amount,state\n"
            "A1,2024-03-01,10.00,Completed\n"
            "A2,2024-03-02,20.00,Cancelled\n"  # any usual spelling is a cancellation
            "A3,2024-03-03,30.00,canceled\n"
            "A4,2024-03-04,40.00,completed\n")
    without = GenericMapping(columns={"order_id": "order_id", "order_date": "date",
                                      "line_total": "amount"}, currency="USD")
    load(ws, write(tmp_path / "plain.csv", body), mapping=without)
    assert rates(ws) == {"refund_rate": "recorded.refunds", "cancel_rate": "recorded.cancellations"}

    other = tmp_path / "o2"
    other.mkdir()
    ws2 = open_workspace(other / "w.duckdb")
    try:
        with_status = GenericMapping(columns={**without.columns, "status": "state"}, currency="USD")
        load(ws2, write(tmp_path / "status.csv", body), mapping=with_status)
        assert rates(ws2) == {"refund_rate": "recorded.refunds", "cancel_rate": 0.5}
    finally:
        ws2.close()


def test_imports_logged_before_the_flags_get_their_formats(tmp_path: Path) -> None:
    """A workspace whose import log predates the flags: filled in from each import's format
    on open (a mapped file's status column is not known any more: read as recorded)."""
    path = tmp_path / "old.duckdb"
    ws = open_workspace(path)
    load(ws, cdnow(tmp_path))
    ws.cursor().execute("UPDATE imports SET records_refunds = NULL, records_cancellations = NULL")
    assert rates(ws)["refund_rate"] == 0.0  # what an old workspace showed
    ws.close()
    ws = open_workspace(path)
    try:
        assert ws.cursor().execute(
            "SELECT format, records_refunds, records_cancellations FROM imports").fetchall() == [
            ("cdnow", False, False)]
        assert rates(ws) == {"refund_rate": "recorded.refunds", "cancel_rate": "recorded.cancellations"}
        ws.cursor().execute("UPDATE imports SET format = 'generic', records_refunds = NULL, "
                            "records_cancellations = NULL")
    finally:
        ws.close()
    ws = open_workspace(path)
    try:
        assert ws.cursor().execute("SELECT records_refunds, records_cancellations FROM imports"
                                   ).fetchall() == [(False, None)]
        assert (ws.recorded("refunds"), ws.recorded("cancellations")) == (False, True)
    finally:
        ws.close()


def test_a_mapped_refund_column_gives_refunds_and_the_refund_rate(ws: Workspace, tmp_path: Path) -> None:
    """Two lines of A1 (refund 5.00 on its first row only), A2 unrefunded, A3 refund cell empty."""
    body = ("order_id,date,sku,Refund Amount,amount\n"
            "A1,2024-03-01,X,5.00,10.00\n"
            "A1,2024-03-01,Y,,4.00\n"
            "A2,2024-03-02,X,0,20.00\n"
            "A3,2024-03-03,X,,30.00\n")
    path = write(tmp_path / "refunds.csv", body)
    guess = suggest_mapping(("order_id", "date", "sku", "Refund Amount", "amount"))
    assert (guess["refund"], guess["line_total"]) == ("Refund Amount", "amount")
    mapping = GenericMapping(columns={"order_id": "order_id", "order_date": "date", "sku": "sku",
                                      "line_total": "amount", "refund": "Refund Amount"},
                             currency="USD")
    load(ws, path, mapping=mapping)
    assert (ws.recorded("refunds"), ws.recorded("cancellations")) == (True, False)
    result = compute(ws, metrics=["refunds", "net_sales", "refund_rate"])
    assert result.value("refunds").value == 5  # counted once per order, not per line
    assert result.value("net_sales").value == 64 - 5
    assert result.value("refund_rate").value == pytest.approx(1 / 3)
