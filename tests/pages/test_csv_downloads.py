"""Every CSV download of the pages opens in Excel with Chinese intact (RELIABILITY D11): UTF-8
with a BOM, through lib.export_cli.to_csv_bytes. The demo gets a Chinese product name and
target owner; the Chinese UI gives translated code and segment labels."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tests.demo_store import edited_demo_copy
from tests.pages.support import capture_downloads, open_page

BOM = b"\xef\xbb\xbf"


def rows(data: bytes) -> list[list[str]]:
    assert data.startswith(BOM)
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


@pytest.fixture
def downloads(workspaces: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    edited_demo_copy(workspaces, ("UPDATE products SET name = '茉莉龙珠' WHERE sku = 'LL-TEA-001'", []),
                     ("UPDATE targets SET owner = '张伟' WHERE owner = 'Wei Zhang'", []))
    return capture_downloads(monkeypatch)


def zh_page(page: str) -> None:
    at = open_page(page)
    at.selectbox(key="lang").set_value("zh").run()
    assert not at.exception


def test_the_products_downloads(downloads) -> None:  # type: ignore[no-untyped-def]
    zh_page("app_pages/products.py")
    abc = rows(downloads["products_abc.csv"]())
    assert abc[0][0] == "product" and abc[0][-1] == "name"
    assert [(r[0], r[-2], r[-1]) for r in abc if r[0] == "LL-TEA-001"] == [("LL-TEA-001", "A", "茉莉龙珠")]
    plan = rows(downloads["inventory_plan.csv"]())
    assert plan[0][:2] == ["sku", "name"]
    assert [r[1] for r in plan if r[0] == "LL-TEA-001"] == ["茉莉龙珠"]


def test_the_discount_code_download(downloads) -> None:  # type: ignore[no-untyped-def]
    zh_page("app_pages/pricing.py")
    codes = rows(downloads["discount_codes.csv"]())
    assert codes[0][:3] == ["code", "currency", "orders"]
    assert codes[1][:3] == ["（未使用优惠码）", "USD", "79407"]


def test_the_targets_download(downloads) -> None:  # type: ignore[no-untyped-def]
    zh_page("app_pages/team.py")
    targets = rows(downloads["targets_attainment.csv"]())
    owner = targets[0].index("owner")
    assert {r[owner] for r in targets[1:]} == {"张伟", "Jon Park", "Mara Lin", "Sofia Reyes", "Tom Okafor"}


def test_the_customer_downloads(downloads) -> None:  # type: ignore[no-untyped-def]
    zh_page("app_pages/customers.py")
    rfm = rows(downloads["customers_rfm_2023-10-01_2025-12-31.csv"]())  # built on click
    segment, name = rfm[0].index("segment"), rfm[0].index("segment_name")
    assert {(r[segment], r[name]) for r in rfm[1:] if r[segment] in ("new", "loyal", "at_risk")} == {
        ("new", "新客户"), ("loyal", "忠诚客户"), ("at_risk", "流失风险客户")}
    at_risk = rows(downloads["customers_at_risk_2025-12-31.csv"]())
    assert at_risk[0] == ["customer", "orders", "monetary", "last_order", "days_since", "source",
                          "order_id", "currency"]
    assert at_risk[1][-3:] == ["shopify", "#LL46274", "USD"]
