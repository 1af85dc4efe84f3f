"""A tiny hand-computable shop written straight into the canonical tables, and synthetic series."""
from __future__ import annotations

from datetime import date, datetime, timezone

import numpy as np
import pandas as pd

from lib.workspace import TABLES, Workspace

_ORDER_COLS = TABLES["orders"].column_names
_LINE_COLS = TABLES["order_lines"].column_names


def insert(ws: Workspace, table: str, rows: list[dict[str, object]]) -> None:
    cols = TABLES[table].column_names
    cur = ws.cursor()
    for r in rows:
        unknown = set(r) - set(cols)
        assert not unknown, unknown
        cur.execute(
            f"INSERT INTO {table} ({', '.join(cols)}, batch_id) VALUES ({', '.join('?' * len(cols))}, 1)",
            [r.get(c) for c in cols])


def order(order_id: str, day: str, *, kind: str = "sale", channel: str = "web", discount: float = 0,
          refunded: float = 0, currency: str = "USD", cancelled: bool = False, status: str = "paid",
          is_test: bool = False, country: str = "US") -> dict[str, object]:
    d = date.fromisoformat(day)
    return {"source": "s", "order_id": order_id, "kind": kind, "channel": channel,
            "created_at": datetime(d.year, d.month, d.day, 12, tzinfo=timezone.utc), "order_date": d,
            "cancelled_at": datetime(d.year, d.month, d.day, 13, tzinfo=timezone.utc) if cancelled else None,
            "status": status, "currency": currency, "discount": discount, "refunded": refunded,
            "is_test": is_test, "country": country}


def line(order_id: str, no: int, sku: str, qty: float, price: float, category: str | None = None,
         line_type: str = "product", currency: str = "USD") -> dict[str, object]:
    return {"source": "s", "order_id": order_id, "line_no": no, "line_type": line_type, "sku": sku,
            "category": category, "quantity": qty, "unit_price": price, "line_total": qty * price,
            "currency": currency}


def build_tiny_shop(ws: Workspace, *, with_eur: bool = False) -> None:
    """USD net sales per day: 03-01 28, 03-02..04 0, 03-05 −8 (refund document), 03-06 32."""
    insert(ws, "orders", [
        order("A1", "2024-03-01", discount=2, refunded=5),
        order("A2", "2024-03-01", channel="app"),
        order("A3", "2024-03-03", cancelled=True),
        order("A4", "2024-03-04", status="cancelled"),
        order("A5", "2024-03-04", channel="app", is_test=True),
        order("R1", "2024-03-05", kind="refund", refunded=8, status="refund"),
        order("A6", "2024-03-06", channel="app", discount=3),
    ] + ([order("B1", "2024-03-02", currency="EUR")] if with_eur else []))
    insert(ws, "order_lines", [
        line("A1", 1, "X", 2, 10, "Cups"), line("A1", 2, "Y", 1, 5, "Plates"),
        line("A1", 3, "POST", 1, 4, None, line_type="shipping"),
        line("A2", 1, "X", 1, 10, "Cups"),
        line("A3", 1, "X", 5, 10, "Cups"),
        line("A4", 1, "X", 5, 10, "Cups"),
        line("A5", 1, "X", 5, 10, "Cups"),
        line("R1", 1, "X", -1, 8, "Cups"),
        line("A6", 1, "Y", 3, 5, "Plates"), line("A6", 2, "Z", 1, 20, None),
    ] + ([line("B1", 1, "X", 1, 9, "Cups", currency="EUR")] if with_eur else []))
    insert(ws, "products", [{"sku": "Z", "name": "Mug", "category": "Cups"}])


STRONG_WEEK = (0.8, 0.85, 0.9, 0.95, 1.1, 1.3, 1.1)
MARKETPLACE_WEEK = (0.96, 0.95, 0.96, 0.97, 1.00, 1.10, 1.14)   # the demo store's Taobao week


def weekly_series(days: int = 400, *, start: str = "2023-01-02", level: float = 1000.0,
                  trend: float = 1.0, noise: float = 0.05, seed: int = 1,
                  week: tuple[float, ...] = STRONG_WEEK) -> pd.DataFrame:
    """Daily sales with a known weekly pattern (Mon..Sun factors), a linear trend and noise."""
    rng = np.random.default_rng(seed)
    ds = pd.date_range(start, periods=days, freq="D")
    pattern = np.array(week)[ds.day_of_week]
    base = (level + trend * np.arange(days)) * pattern
    y = base * (1 + rng.normal(0, noise, days))
    return pd.DataFrame({"ds": ds, "y": y})


def build_sku_shop(ws: Workspace, days: int = 120, seed: int = 3) -> dict[str, float]:
    """Six SKUs in two categories, one order per SKU per day with a weekly pattern and noise.

    Returns each SKU's mean daily gross. S6 stops selling 70 days before the end.
    """
    import pyarrow as pa

    rng = np.random.default_rng(seed)
    skus = {"S1": ("Tea", 50.0), "S2": ("Tea", 30.0), "S3": ("Teaware", 20.0),
            "S4": ("Tea", 8.0), "S5": ("Teaware", 5.0), "S6": ("Teaware", 4.0)}
    start = date(2024, 1, 1)
    orders, lines = [], []
    for d in range(days):
        day = start + pd.Timedelta(days=d).to_pytimedelta()
        week = (0.8, 0.9, 1.0, 1.0, 1.1, 1.3, 1.2)[day.weekday()]
        for sku, (cat, price) in skus.items():
            if sku == "S6" and d >= days - 70:
                continue
            oid = f"{sku}-{d}"
            qty = max(1, int(round(week * 3 * (1 + rng.normal(0, 0.1)))))
            orders.append(order(oid, day.isoformat(), channel="web"))
            lines.append(line(oid, 1, sku, qty, price, cat))
    for table, rows in (("orders", orders), ("order_lines", lines)):
        cols = TABLES[table].column_names
        arrow = pa.table({c: [r.get(c) for r in rows] for c in cols})
        cur = ws.cursor()
        ws.register_arrow(cur, "staged", arrow)
        cur.execute(f"INSERT INTO {table} SELECT {', '.join(cols)}, 1 FROM staged")
    return {s: p for s, (_, p) in skus.items()}
