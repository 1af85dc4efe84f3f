"""A small shop written row by row into the canonical tables, so every KPI can be computed by
hand (the arithmetic is in test_metrics.py, next to each expected value).

March 2024 is "the period". Two channels in two currencies, converted at EUR = 1.10 USD:
- web (platform shopify, USD): O1 (customer A, 2×SKU-A @10 + SKU-B @30, discount 5, shipping
  5, tax 4, total 54, shipped after 24 h, delivered after 3 days), O2 (B, SKU-B @30, refunded
  30 in full, shipped after 72 h), O3 (A, SKU-C @20, discount 2, total 18, not shipped), O4 (C,
  cancelled, total 10), O5 (D, a test order, total 10), O6 (no customer, no line items: item
  total 40), R1 (a refund document of 5 for B); and in February O0 (A's first order, SKU-A @10).
- market (platform amazon, EUR): E1 (E, SKU-D @100, discount 10, tax 19, total 109, fee 8,
  shipped after 20 h, delivered after 3.5 days), E2 (E, 2×SKU-E @25, shipping 5, tax 9.5, total
  64.5, fee 4).
Products: SKU-A cost 4 stock 10 (Toys); SKU-B cost 12 stock 0 (Beds); SKU-C cost 8 stock 5
(Toys); SKU-D cost 50 EUR stock 3 (Beds); SKU-E no cost, no stock figure (Toys); SKU-F cost 2
stock 7 but archived (Food). Costs without a currency are in the workspace's main currency, USD
(8 of its 10 orders are in USD).
Traffic (sessions): web Mar 1, 2, 3: 100 each, Mar 15: 50 (none on Mar 18, O6's day);
market Mar 5: 200, Mar 25: 100. Marketing: web Mar 1 spend 20 USD, 1000 impressions, 50 clicks,
attributed 60; market Mar 5 spend 10 EUR, 500 impressions, 10 clicks, attributed 40 EUR.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from lib.metrics.filters import Filters
from lib.workspace import Workspace, open_workspace

MARCH = Filters(start=date(2024, 3, 1), end=date(2024, 3, 31), currency="USD")

ORDER_COLS = ("source", "order_id", "kind", "channel", "customer_id", "created_at", "order_date",
              "paid_at", "fulfilled_at", "delivered_at", "cancelled_at", "status", "currency",
              "discount", "shipping", "tax", "total", "refunded", "fees", "items_gross", "country",
              "is_test")


def _o(source, oid, channel, cust, created, paid=None, fulfilled=None, delivered=None,
       cancelled=None, currency="USD", discount=0, shipping=0, tax=0, total=0, refunded=0,
       fees=None, items_gross=None, country="US", is_test=False, kind="sale", status="paid"):
    status = "cancelled" if cancelled else status
    return (source, oid, kind, channel, cust, created + "+00", created[:10], paid and paid + "+00",
            fulfilled and fulfilled + "+00", delivered and delivered + "+00",
            cancelled and cancelled + "+00", status, currency, discount, shipping, tax, total,
            refunded, fees, items_gross, country, is_test)


ORDERS = [
    _o("shopify", "O0", "web", "A", "2024-02-20 10:00:00", total=15, shipping=5),
    _o("shopify", "O1", "web", "A", "2024-03-01 10:00:00", paid="2024-03-01 10:00:00",
       fulfilled="2024-03-02 10:00:00", delivered="2024-03-04 10:00:00", discount=5, shipping=5,
       tax=4, total=54),
    _o("shopify", "O2", "web", "B", "2024-03-02 12:00:00", paid="2024-03-02 12:00:00",
       fulfilled="2024-03-05 12:00:00", total=30, refunded=30, status="refunded"),
    _o("shopify", "O3", "web", "A", "2024-03-15 08:00:00", paid="2024-03-15 08:00:00",
       discount=2, total=18, country="CA"),
    _o("shopify", "O4", "web", "C", "2024-03-16 09:00:00", cancelled="2024-03-16 10:00:00",
       total=10),
    _o("shopify", "O5", "web", "D", "2024-03-17 09:00:00", total=10, is_test=True),
    _o("shopify", "O6", "web", None, "2024-03-18 09:00:00", total=40, items_gross=40),
    _o("shopify", "R1", "web", "B", "2024-03-20 09:00:00", total=None, refunded=5, kind="refund",
       status="refund"),
    _o("amazon", "E1", "market", "E", "2024-03-05 09:00:00", paid="2024-03-05 09:00:00",
       fulfilled="2024-03-06 05:00:00", delivered="2024-03-08 21:00:00", currency="EUR",
       discount=10, tax=19, total=109, fees=8, country="DE"),
    _o("amazon", "E2", "market", "E", "2024-03-25 09:00:00", currency="EUR", shipping=5,
       tax=Decimal("9.5"), total=Decimal("64.5"), fees=4, country="DE"),
]
# (source, order_id, line_no, sku, quantity, unit_price)
LINES = [
    ("shopify", "O0", 1, "SKU-A", 1, 10), ("shopify", "O1", 1, "SKU-A", 2, 10),
    ("shopify", "O1", 2, "SKU-B", 1, 30), ("shopify", "O2", 1, "SKU-B", 1, 30),
    ("shopify", "O3", 1, "SKU-C", 1, 20), ("shopify", "O4", 1, "SKU-A", 1, 10),
    ("shopify", "O5", 1, "SKU-A", 1, 10), ("amazon", "E1", 1, "SKU-D", 1, 100),
    ("amazon", "E2", 1, "SKU-E", 2, 25),
]
# (sku, category, unit_cost, currency, stock_on_hand, status)
PRODUCTS = [
    ("SKU-A", "Toys", 4, None, 10, "active"), ("SKU-B", "Beds", 12, None, 0, "active"),
    ("SKU-C", "Toys", 8, None, 5, "active"), ("SKU-D", "Beds", 50, "EUR", 3, "active"),
    ("SKU-E", "Toys", None, None, None, "active"), ("SKU-F", "Food", 2, None, 7, "archived"),
]
TRAFFIC = [("2024-03-01", "web", 100), ("2024-03-02", "web", 100), ("2024-03-03", "web", 100),
           ("2024-03-15", "web", 50), ("2024-03-05", "market", 200), ("2024-03-25", "market", 100)]
MARKETING = [("2024-03-01", "web", "search", 20, 1000, 50, 60),
             ("2024-03-05", "market", "sponsored", 10, 500, 10, 40)]
RATES = [("USD", 1), ("EUR", Decimal("1.10"))]


def write_shop(ws: Workspace, *, traffic: bool = True, marketing: bool = True,
               products: bool = True, rates: bool = True) -> Workspace:
    """Write the shop into `ws` (one transaction, batch 1)."""
    cols = ", ".join(ORDER_COLS)
    marks = ", ".join("?" for _ in ORDER_COLS)
    with ws.transaction() as cur:
        cur.executemany(f"INSERT INTO orders ({cols}, batch_id) VALUES ({marks}, 1)", ORDERS)
        cur.executemany(
            "INSERT INTO order_lines (source, order_id, line_no, line_type, sku, product_name, "
            "quantity, unit_price, discount, line_total, batch_id) "
            "VALUES (?, ?, ?, 'product', ?, ?, ?, ?, 0, ?, 1)",
            [(s, o, n, sku, f"Product {sku}", q, p, q * p) for s, o, n, sku, q, p in LINES])
        if products:
            cur.executemany(
                "INSERT INTO products (sku, name, category, unit_cost, currency, stock_on_hand, "
                "status, batch_id) VALUES (?, ?, ?, ?, ?, ?, ?, 1)",
                [(sku, f"Product {sku}", cat, cost, cur_, stock, st)
                 for sku, cat, cost, cur_, stock, st in PRODUCTS])
        if traffic:
            cur.executemany("INSERT INTO traffic (date, channel, sessions, batch_id) "
                            "VALUES (?, ?, ?, 1)", TRAFFIC)
        if marketing:
            cur.executemany("INSERT INTO marketing (date, channel, campaign, spend, impressions, "
                            "clicks, attributed_revenue, batch_id) VALUES (?, ?, ?, ?, ?, ?, ?, 1)",
                            MARKETING)
        if rates:
            cur.executemany("INSERT INTO fx_rates VALUES (?, ?, 1)", RATES)
    return ws


def open_shop(path: Path, **kwargs: bool) -> Workspace:
    return write_shop(open_workspace(path), **kwargs)
