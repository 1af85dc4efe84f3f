"""The real exports in ../shared/data: every file loads with no manual mapping, and the known
truths hold. Independent checks re-read the files with the csv module, not with our code."""
from __future__ import annotations

import csv
import json
import subprocess
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from lib.ingest.load import ingest_path
from lib.metrics.core import compute_core_kpis
from lib.workspace import Workspace
from tests.conftest import ROOT, shared_file

REAL_FILES = [
    ("shopify-orders-us-petstore/orders_export_1.csv", "shopify_orders"),
    ("shopify-orders-seezona/orders_export_1.csv", "shopify_orders"),
    ("shopify-products-us-petstore/products_export_1.csv", "shopify_products"),
    ("shopify-customers-cl-laslira/customers_export.csv", "shopify_customers"),
    ("etsy-orders-us-shop/EtsySoldOrders2021.csv", "etsy_orders"),
    ("woocommerce-orders-sample/Sample_Order.csv", "woocommerce_orders"),
    ("cdnow/CDNOW_master.txt", "cdnow"),
    ("online-retail-uci/Online_Retail_sample40k.xlsx", "online_retail"),
]


@pytest.mark.parametrize("relative, fmt", REAL_FILES)
def test_every_real_export_loads_through_the_cli_without_mapping(tmp_path: Path, relative: str, fmt: str) -> None:
    path = shared_file(relative)
    out = subprocess.run(
        [sys.executable, "-m", "lib.cli", "ingest", str(path), "--workspace", str(tmp_path / "w.duckdb"), "--json"],
        capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    results = json.loads(out.stdout)
    for r in results:
        assert r["status"] == "loaded" and r["format"] == fmt
        assert r["rows_read"] == r["rows_loaded"] + r["rows_rejected"]
        assert r["rows_rejected"] == 0, r["problems"][:3]


def _petstore_truth(path: Path) -> dict[str, Decimal]:
    """Σ over the export's own columns; order-level fields only from each order's first row."""
    seen: set[str] = set()
    t: dict[str, Decimal] = defaultdict(Decimal)
    with open(path, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            t["gross"] += Decimal(row["Lineitem price"]) * Decimal(row["Lineitem quantity"])
            if row["Name"] not in seen:
                seen.add(row["Name"])
                t["discount"] += Decimal(row["Discount Amount"] or "0")
                t["refunded"] += Decimal(row["Refunded Amount"] or "0")
                t["total"] += Decimal(row["Total"] or "0")
                t["cancelled"] += 1 if row["Cancelled at"] else 0
    t["orders"] = Decimal(len(seen))
    return t


def test_petstore_orders_and_money_reconcile_with_the_exports_own_columns(ws: Workspace) -> None:
    path = shared_file("shopify-orders-us-petstore/orders_export_1.csv")
    [res] = ingest_path(ws, path)
    assert (res.orders, res.order_lines, res.rows_rejected) == (3885, 5121, 0)
    truth = _petstore_truth(path)
    cur = ws.cursor()
    got = cur.execute("SELECT count(*), sum(discount), sum(refunded), sum(total), "
                      "count(*) FILTER (WHERE cancelled_at IS NOT NULL) FROM orders").fetchone()
    assert got == (3885, truth["discount"], truth["refunded"], truth["total"], truth["cancelled"])
    gross_all = cur.execute("SELECT sum(unit_price * quantity) FROM order_lines").fetchone()[0]
    assert gross_all == truth["gross"]
    k = compute_core_kpis(ws)
    assert k.orders == 3885 - int(truth["cancelled"])  # KPI orders exclude cancellations
    assert k.net_sales == k.gross_sales - k.discounts - k.refunds


@pytest.mark.slow
def test_online_retail_invoices_orders_cancellations_customers(ws: Workspace) -> None:
    path = shared_file("online-retail-uci/online_retail.csv")
    [res] = ingest_path(ws, path)
    assert (res.rows_read, res.rows_loaded, res.orders) == (541909, 541909, 22064)
    cur = ws.cursor()
    by_kind = dict(cur.execute("SELECT kind, count(*) FROM orders GROUP BY 1").fetchall())
    assert by_kind == {"sale": 22064, "refund": 3836}
    assert cur.execute("SELECT count(DISTINCT customer_id) FROM orders").fetchone() == (4372,)
    k = compute_core_kpis(ws)
    assert k.orders == 22064
    # Postage and other non-product codes are not products.
    assert cur.execute("SELECT count(*) FROM order_lines WHERE sku IN ('POST', 'DOT', 'M', 'BANK CHARGES') "
                       "AND line_type = 'product'").fetchone() == (0,)
