"""The customers, products and pricing chapters on a real export (UCI Online Retail, read
from ../shared/data by path; skipped with the reason when it is absent)."""
from __future__ import annotations

import pytest

from lib import customers as cu
from lib import pricing as pc
from lib import products as pr
from lib.metrics.engine import compute
from lib.metrics.filters import Filters
from lib.workspace import Workspace

pytestmark = pytest.mark.slow


def test_uci_customers(uci: Workspace) -> None:
    """4,372 customer ids in the file; 33 of them only ever cancelled (refund documents, not
    orders), so 4,339 customers bought: the RFM table, the catalogue and the churn statuses
    all count those."""
    ids = uci.cursor().execute("SELECT count(DISTINCT customer_id) FROM orders").fetchone()
    assert ids == (4372,)
    data = cu.customer_orders(uci, Filters())
    rfm = cu.rfm_table(data)
    assert data.currency == "GBP" and len(rfm) == 4339
    r = compute(uci, Filters(), ["customers", "repeat_customer_rate"])
    assert r.value("customers").value == 4339
    assert (rfm["frequency"] >= 2).mean() == pytest.approx(float(r.value("repeat_customer_rate").value))
    assert cu.segment_summary(rfm)["customers"].sum() == 4339
    churn = cu.churn_report(data)
    assert churn.statuses["customers"].sum() == 4339 and churn.expected_gap_days is not None
    assert churn.expected_gap_days < churn.lapse_after_days


def test_uci_products_and_codes(uci: Workspace) -> None:
    sales = pr.product_sales(uci, Filters())
    gross = compute(uci, Filters(), ["gross_sales"]).value("gross_sales").value
    assert sales.table["gross"].sum() == pytest.approx(float(gross), abs=0.01)
    # non-product codes (POST, DOT, M, BANK CHARGES…) are lines of other types: not products
    assert not {"POST", "DOT", "M", "BANK CHARGES"} & set(sales.table["product"])
    summary = pr.abc_summary(pr.abc(sales.table)).set_index("abc")
    assert summary["products"].sum() == len(sales.table)
    assert summary.loc["A", "gross_share"] == pytest.approx(0.8, abs=0.01)
    assert summary.loc["A", "products_share"] < 0.25  # a fifth of the products make 80 % of sales
    codes = pc.discount_codes(uci, Filters()).table
    assert codes["code"].isna().all()  # the transactions layout has no discount codes
    assert int(codes["orders"].sum()) == compute(uci, Filters(), ["orders"]).value("orders").value
    # the C… invoices' refunds sit in the no-code row: the table's refund rate is the Overview's
    r = compute(uci, Filters(), ["refunds", "refund_rate"])
    assert codes["refunds"].sum() == pytest.approx(float(r.value("refunds").value), abs=0.01)
    assert float(codes["refund_rate"].iloc[0]) == pytest.approx(3836 / 22064)


def test_uci_refund_rate_counts_refund_documents(uci: Workspace) -> None:
    """Online Retail records each refund as its own invoice (InvoiceNo C…), never on the order
    it refunds: the refund rate counts those 3,836 documents, not 0 % beside GBP 478.7K of
    refunds. Hand count from the file: 3,836 C invoices and 22,064 orders."""
    r = compute(uci, Filters(), ["refund_rate", "refund_documents", "order_refunds", "orders"])
    assert r.value("refund_documents").value == 3836 and r.value("orders").value == 22064
    assert r.value("order_refunds").value == 0  # no order carries a refunded amount
    assert float(r.value("refund_rate").value) == pytest.approx(3836 / 22064)


def test_uci_products_are_named_as_they_sold(uci: Workspace) -> None:
    """The name a SKU sold under most often, not the first in sort order: 85123A has 2,298
    paid lines as WHITE HANGING HEART T-LIGHT HOLDER and one zero-price '?' line."""
    from lib.analysis import product_names

    assert product_names(uci, ["85123A", "23084", "22423"]) == {
        "85123A": "WHITE HANGING HEART T-LIGHT HOLDER", "23084": "RABBIT NIGHT LIGHT",
        "22423": "REGENCY CAKESTAND 3 TIER"}


def test_uci_has_no_payment_time_made_up(uci: Workspace) -> None:
    """One time per invoice: the orders keep it as created_at only. A copy as paid_at made the
    Operations page's bottleneck 'Order → payment, 0.0 h' and the quality report call payment
    times 100 % complete."""
    from lib import operations as ops

    assert uci.cursor().execute("SELECT count(paid_at), count(created_at) FROM orders").fetchone() == (0, 25900)
    rep = ops.stage_report(uci)
    assert rep.stages.empty and rep.bottleneck is None and "paid_at" in rep.missing
