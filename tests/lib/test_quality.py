"""The data-quality report (lib/quality.py) on the hand-made shop of tests/lib/metrics/shop.py.

Counted orders (sale, not cancelled, not test): O0 O1 O2 O3 O6 E1 E2 = 7. O6 has no customer
and no lines; paid: O1 O2 O3 E1; shipped: O1 O2 E1; delivered: O1 E1. Their 7 product lines
all have a SKU, all but SKU-E (E2) a unit cost. Active products A–E (F is archived): none has a
lead time. Order days × channel: web 02-20, 03-01, 03-02, 03-15, 03-18 and market 03-05,
03-25; traffic covers web 03-01, 03-02, 03-15 and both market days. Two marketing rows with
spend; history 2024-02-20 to 2024-03-25 = 35 days. Refunds recorded: O2 (refunded 30) and the
refund document R1 = 2; cancellations: O4 = 1 (O5 is a test order)."""
from __future__ import annotations

from pathlib import Path

import pytest

from lib.quality import quality_report, quality_table
from lib.workspace import open_workspace
from tests.lib.metrics.shop import open_shop


@pytest.fixture
def shop(tmp_path: Path):
    ws = open_shop(tmp_path / "shop.duckdb")
    yield ws
    ws.close()


def test_every_check_counts_what_the_chapters_need(shop) -> None:
    r = quality_report(shop)
    got = {c.id: (c.covered, c.total, c.status) for c in r.checks}
    assert got == {
        "customer": (6, 7, "partial"), "paid_at": (4, 7, "partial"), "fulfilled_at": (3, 7, "partial"),
        "delivered_at": (2, 7, "partial"), "lines": (6, 7, "partial"), "sku": (7, 7, "ok"),
        "cost": (6, 7, "partial"), "lead_time": (0, 5, "missing"), "traffic": (5, 7, "partial")}
    assert (r.orders, r.ad_spend_rows, r.missing_rates, r.history_days, r.rejected_rows) == (7, 2, (), 35, 0)
    assert (r.refunds, r.cancellations) == (2, 1)


def test_a_currency_without_a_rate_is_named_but_usd_needs_none(tmp_path: Path) -> None:
    ws = open_shop(tmp_path / "norates.duckdb", rates=False)
    try:
        assert quality_report(ws).missing_rates == ("EUR",)  # rates are to USD: USD is 1
    finally:
        ws.close()


def test_the_table_in_both_languages(shop) -> None:
    en = quality_table(quality_report(shop), "en").set_index("Check")
    assert en.loc["Orders with a customer", ["Coverage", "Status"]].tolist() == [
        "6 of 7 orders (85.7%)", "⚠ partial"]
    assert en.loc["Products with stock and a lead time", "Status"] == "✗ missing"
    assert en.loc["Length of the order history", ["Coverage", "Status"]].tolist() == ["35 days", "✗ missing"]
    assert en.loc["Ad spend", "Coverage"] == "2 days × campaigns with spend"
    assert "Exchange rates for every order currency" not in en.index  # every currency has its rate
    assert en.loc["Refunds recorded", ["Coverage", "Status"]].tolist() == [
        "refunded orders or refund documents: 2", "✓ complete"]
    assert en.loc["Cancellations recorded", "Coverage"] == "cancelled orders: 1"
    zh = quality_table(quality_report(shop), "zh")
    assert list(zh.columns) == ["检查项", "覆盖情况", "状态", "影响的分析"]
    assert zh.iloc[0].tolist()[:3] == ["有客户信息的订单", "7 个订单中有 6 个（85.7%）", "⚠ 部分缺失"]


def test_an_empty_workspace_reports_nothing_loaded(tmp_path: Path) -> None:
    ws = open_workspace(tmp_path / "empty.duckdb")
    try:
        r = quality_report(ws)
        assert {c.status for c in r.checks} == {"missing"} and r.orders == 0 and r.history_days == 0
        table = quality_table(r, "en").set_index("Check")
        assert table.loc["Orders with a customer", "Coverage"] == "0 of 0 orders (—)"
    finally:
        ws.close()


def test_the_workspace_version_follows_a_saved_rate(tmp_path: Path) -> None:
    from lib.metrics.filters import save_workspace_rates

    ws = open_shop(tmp_path / "norates.duckdb", rates=False)
    try:
        before = ws.version()
        save_workspace_rates(ws, (("EUR", 1.10),))
        assert ws.version() != before and quality_report(ws).missing_rates == ()
    finally:
        ws.close()


def test_an_export_without_refunds_or_cancellations_is_named(tmp_path: Path) -> None:
    """CDNOW's 69,659 purchases carry neither: its format says so, the Overview leaves both
    rates blank, and the report says why."""
    from lib.ingest.load import ingest_path
    from tests.conftest import shared_file

    ws = open_workspace(tmp_path / "cdnow.duckdb")
    try:
        path = shared_file("cdnow/CDNOW_master.txt")
        assert [r.status for r in ingest_path(ws, path, path.name)] == ["loaded"]
        r = quality_report(ws)
        assert (r.orders, r.refunds, r.cancellations) == (69659, 0, 0)
        assert r.not_recorded == ("refunds", "cancellations")
        table = quality_table(r, "en").set_index("Check")
        assert table.loc["Refunds recorded", ["Coverage", "Status"]].tolist() == [
            "not in these exports (their format has no refunds): the refund rate is left blank",
            "✗ missing"]
        assert table.loc["Cancellations recorded", "Coverage"].startswith("not in these exports")
        zh = quality_table(r, "zh").set_index("检查项")
        assert zh.loc["已记录的退款", "覆盖情况"].startswith("这些导出文件不包含退款")
    finally:
        ws.close()


def test_an_export_that_records_refunds_but_had_none_says_it_may_not(tmp_path: Path) -> None:
    """A Shopify export has a refund column; one with no refund in it is 'none', with the doubt."""
    from lib.ingest.load import ingest_path
    from tests.lib.ingest.fixtures import SHOPIFY_ROWS, shopify_file

    ws = open_workspace(tmp_path / "shop.duckdb")
    try:
        [res] = ingest_path(ws, shopify_file(tmp_path, rows=[SHOPIFY_ROWS[2]]))  # #1002: no refund
        assert res.status == "loaded"
        r = quality_report(ws)
        assert (r.refunds, r.cancellations, r.not_recorded) == (0, 0, ())
        table = quality_table(r, "en").set_index("Check")
        assert table.loc["Refunds recorded", "Coverage"] == (
            "none: the exports may not record refunds, so a 0% refund rate would say nothing")
    finally:
        ws.close()
