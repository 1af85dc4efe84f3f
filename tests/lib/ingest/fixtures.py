"""Tiny export builders for ingest tests (hand-computable numbers, no real customer data)."""
from __future__ import annotations

import csv
import io
from pathlib import Path

SHOPIFY_HEADER = [
    "Name", "Email", "Financial Status", "Paid at", "Fulfillment Status", "Fulfilled at",
    "Currency", "Subtotal", "Shipping", "Taxes", "Total", "Discount Code", "Discount Amount",
    "Created at", "Lineitem quantity", "Lineitem name", "Lineitem price", "Lineitem sku",
    "Cancelled at", "Refunded Amount", "Lineitem discount", "Shipping Country",
]

# Two orders, three lines. #1001: 2×10.00 + 1×5.50 = 25.50 gross, 2.50 discount, 4.00 shipping,
# 1.84 tax, total 28.84, refunded 5.00. #1002: 3×7.00 = 21.00 gross, no discount, total 21.00.
SHOPIFY_ROWS = [
    ["#1001", "a@example.invalid", "partially_refunded", "2024-03-01 10:00:05 -0500", "fulfilled",
     "2024-03-02 09:00:00 -0500", "USD", "23.00", "4.00", "1.84", "28.84", "SPRING", "2.50",
     "2024-03-01 10:00:00 -0500", "2", "Tea cup", "10.00", "0123", "", "5.00", "2.00", "US"],
    ["#1001", "", "", "", "", "", "", "", "", "", "", "", "", "", "1", "Saucer", "5.50", "SAU-1",
     "", "", "0.50", ""],
    ["#1002", "b@example.invalid", "paid", "2024-03-02 23:30:00 -0500", "unfulfilled", "", "USD",
     "21.00", "0.00", "0.00", "21.00", "", "0.00", "2024-03-02 23:30:00 -0500", "3", "Tea pot",
     "7.00", "POT-1", "", "0.00", "0.00", "CA"],
]


def to_csv(header: list[str], rows: list[list[str]], delimiter: str = ",", newline: str = "\n") -> str:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator=newline)
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def write(path: Path, text: str | bytes, encoding: str = "utf-8") -> Path:
    path.write_bytes(text if isinstance(text, bytes) else text.encode(encoding))
    return path


def shopify_file(tmp: Path, name: str = "orders.csv", rows: list[list[str]] | None = None,
                 encoding: str = "utf-8", newline: str = "\n") -> Path:
    return write(tmp / name, to_csv(SHOPIFY_HEADER, rows or SHOPIFY_ROWS, newline=newline), encoding)
