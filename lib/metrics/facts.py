"""Per-workspace fact tables the metric queries read: a cache of what every query would
otherwise recompute (line totals per order, customer numbers, first orders, ship times).

- `metrics_orders`  one row per order: integer key `ok` (numbered by day, then source and
                    order id; rows are stored in that order, so a date range reads few
                    blocks), integer customer number `cust`, the order-level flags
                    (counted, placed, cancelled, first order of its customer...), money as
                    exported (original currency: conversion happens at query time, with the
                    rates of the moment), Σ line gross and units, hours to ship, days to deliver
- `metrics_lines`   one row per product line of a counted order (order attributes copied in),
                    plus one pseudo-line per counted order exported without lines (its item
                    total), with the product's category and cost (in the cost's currency)
- `metrics_orders_daily`, `metrics_lines_daily`  the additive measures (sums and counts under
                    each condition) per day × channel × platform × country × currency ×
                    new/returning (× category and cost currency for lines): the Overview's
                    sums read a few thousand rows instead of a million

They are derived data only, rebuilt in one transaction whenever the canonical tables they
read change (a stamp of row counts and batch ids, kept in `meta`), and never edited. Reading
them costs a scan; building them at 1M order lines takes about 1.5 s on two cores, once per
import; most of that is writing the tables (about 0.9 s even to copy finished ones).
"""
from __future__ import annotations

import threading

from lib.metrics.filters import home_currency
from lib.sql import internal_name
from lib.workspace import Workspace, known_sql

FACTS_VERSION = "6"
STAMP_KEY = "metrics_facts"
_SOURCES = ("orders", "order_lines", "products", "traffic")
_locks: dict[str, threading.Lock] = {}
_guard = threading.Lock()

COUNTED = ("o.kind = 'sale' AND o.cancelled_at IS NULL AND coalesce(o.status, '') <> 'cancelled' "
           "AND NOT coalesce(o.is_test, false)")
PLACED = "o.kind = 'sale' AND NOT coalesce(o.is_test, false)"
CANCELLED = "(o.cancelled_at IS NOT NULL OR o.status = 'cancelled')"

# Daily rollups: every additive (sum or count, column, condition) the order- and line-level
# measures use, per day and order attribute (not per hour or product: those read the facts).
ORDER_SUMS = (("gross", "counted"), ("units", "counted"), ("discount", "counted"),
              ("refunded", "refund_scope"), ("total", "counted"), ("shipping", "counted"),
              ("tax", "counted"), ("fees", "counted"), ("ship_hours", "shipped"),
              ("deliver_days", "delivered"), ("total", "cancelled"), ("total", "test"),
              ("refunded", "refund_doc"), ("refunded", "counted"))
ORDER_COUNTS = ("all", "counted", "placed", "placed_cancelled", "cancelled", "refund_scope",
                "refunded_order", "shipped", "on_time", "delivered", "first_order",
                "with_traffic", "with_customer", "test", "refund_doc", "refund_base",
                "cancel_base")
LINE_SUMS = (("gross", "counted"), ("units", "counted"), ("cogs", "counted"))
LINE_COUNTS = ("all", "counted", "with_customer")


def rollup_column(agg: str, column: str, where: str) -> str:
    """The rollup column holding agg(column) where <condition> (counts: `n__<condition>`)."""
    return f"n__{where}" if agg == "count" else f"{column}__{where}"


def _rollup_sql(sums: tuple[tuple[str, str], ...], counts: tuple[str, ...]) -> str:
    # sum(CASE WHEN w THEN x END) and count(CASE WHEN w THEN 1 END) give the same values and
    # types as sum(x) FILTER (WHERE w) and count(*) FILTER (WHERE w) (NULL sum, 0 count when
    # nothing matches), at about half the cost: DuckDB runs each FILTER as its own selection.
    q = internal_name
    cols = [f"sum(CASE WHEN o.{q(w)} THEN o.{q(c)} END) AS {q(rollup_column('sum', c, w))}"
            for c, w in sums]
    cols += [f"count(CASE WHEN o.{q(w)} THEN 1 END) AS {q(rollup_column('count', '', w))}"
             for w in counts]
    return ",\n           ".join(cols)


_ROLLUP_ORDERS = _rollup_sql(ORDER_SUMS, ORDER_COUNTS)
_ROLLUP_LINES = (_rollup_sql(LINE_SUMS, LINE_COUNTS) + ",\n           "
                 "sum(CASE WHEN o.costed THEN o.gross END) AS costed_gross__counted")

# metrics_orders is one statement, so the rowids that tie its parts together all come from one
# snapshot of `orders`. Where the time goes at 1M lines (714k orders): writing (compressing)
# metrics_orders and metrics_lines; then the sorts that number orders and customers and store
# metrics_orders in ok order, and the hash joins and aggregates on the order and customer keys.
_BUILD = f"""
CREATE OR REPLACE TABLE metrics_orders AS
    WITH k AS (
        -- ok numbers the orders by (order_date, source, order_id). The window sorts only
        -- (keys, rowid) and the rows get their number by a rowid join: a window over the
        -- full rows would sort every column it carries, several times slower.
        SELECT rowid AS r, row_number() OVER (ORDER BY order_date, source, order_id) AS ok
        FROM orders),
    cu AS (
        -- One pass per customer: its number (customers in id order) and the rowid of its
        -- first counted order (earliest created_at, then source, order_id). An order with no
        -- source or order_id is never a first order; arg_min skips their NULL rowid.
        SELECT o.customer_id, row_number() OVER (ORDER BY o.customer_id) AS cust,
               arg_min(CASE WHEN o.source IS NOT NULL AND o.order_id IS NOT NULL THEN o.rowid END,
                       (o.created_at, o.source, o.order_id)) FILTER (WHERE {COUNTED}) AS first_r
        FROM orders o WHERE o.customer_id IS NOT NULL GROUP BY o.customer_id),
    ls AS (
        SELECT source, order_id, sum(quantity) AS units, sum(unit_price * quantity) AS gross
        FROM order_lines WHERE line_type = 'product' GROUP BY 1, 2),
    o AS (
        SELECT o.*, k.ok, c.cust, ({COUNTED}) AS counted,
               coalesce(c.first_r = o.rowid, false) AS is_first,
               {known_sql('o', 'refunds')} AS refunds_known,
               {known_sql('o', 'cancellations')} AS cancels_known
        FROM orders o JOIN k ON k.r = o.rowid
        LEFT JOIN cu c ON c.customer_id = o.customer_id),
    tr AS (SELECT DISTINCT "date" AS d, channel FROM traffic)
    SELECT o.ok, o.source, o.order_id, o.channel, o.country, o.currency, o.order_date AS d,
           o.created_at, o.cust, o.counted, ({PLACED}) AS placed,
           (o.kind = 'sale' AND {CANCELLED}) AS cancelled,
           ({PLACED} AND {CANCELLED}) AS placed_cancelled, o.kind = 'refund' AS refund_doc,
           -- the rates' bases: orders whose export records refunds / cancellations at all
           (o.counted AND o.refunds_known) AS refund_base, ({PLACED} AND o.cancels_known) AS cancel_base,
           (o.counted AND o.cust IS NOT NULL AND o.is_first) AS first_order,
           coalesce(l.gross, o.items_gross, 0) AS gross, l.units, l.gross IS NOT NULL AS has_lines,
           o.discount, o.refunded, o.total, o.shipping, o.tax, o.fees,
           CASE WHEN o.counted AND o.fulfilled_at >= coalesce(o.paid_at, o.created_at)
                THEN (epoch(o.fulfilled_at) - epoch(coalesce(o.paid_at, o.created_at))) / 3600.0
           END AS ship_hours,
           CASE WHEN o.counted AND o.delivered_at >= o.created_at
                THEN (epoch(o.delivered_at) - epoch(o.created_at)) / 86400.0 END AS deliver_days,
           (o.counted AND (o.order_date, o.channel) IN (SELECT (d, channel) FROM tr)) AS with_traffic
    FROM o LEFT JOIN ls l ON l.source = o.source AND l.order_id = o.order_id
    -- stored in ok order, so each row group holds a short date range (zonemaps skip the rest)
    ORDER BY o.ok;
CREATE OR REPLACE TABLE metrics_lines AS
    SELECT o.ok, o.source, o.channel, o.country, o.currency, o.d, o.created_at, o.cust,
           o.first_order, coalesce(l.category, p.category) AS category,
           coalesce(l.sku, l.product_name) AS product, l.quantity AS units,
           l.unit_price * l.quantity AS gross, l.quantity * p.unit_cost AS cogs,
           coalesce(p.currency, $home) AS cost_cur, p.unit_cost IS NOT NULL AS costed
    FROM metrics_orders o
    JOIN order_lines l ON l.source = o.source AND l.order_id = o.order_id
         AND l.line_type = 'product'
    LEFT JOIN products p ON p.sku = l.sku
    WHERE o.counted
    UNION ALL
    SELECT o.ok, o.source, o.channel, o.country, o.currency, o.d, o.created_at, o.cust,
           o.first_order, NULL, NULL, NULL, o.gross, NULL, $home, false
    FROM metrics_orders o WHERE o.counted AND NOT o.has_lines;
CREATE OR REPLACE TABLE metrics_orders_daily AS
    SELECT o.d, o.channel, o.source, o.country, o.currency,
           CASE WHEN o.cust IS NULL THEN 'unknown' WHEN o.first_order THEN 'new'
                ELSE 'returning' END AS customer_type,
           {_ROLLUP_ORDERS}
    FROM (SELECT *, (refund_doc OR counted) AS refund_scope,
                 ((counted AND refunded > 0) OR refund_doc) AS refunded_order,
                 ship_hours IS NOT NULL AS shipped, ship_hours <= $on_time_hours AS on_time,
                 deliver_days IS NOT NULL AS delivered,
                 (counted AND cust IS NOT NULL) AS with_customer, true AS "all",
                 (NOT refund_doc AND NOT placed) AS test
          FROM metrics_orders) o
    GROUP BY ALL ORDER BY 1;
CREATE OR REPLACE TABLE metrics_lines_daily AS
    SELECT o.d, o.channel, o.source, o.country, o.currency, o.category, o.cost_cur,
           CASE WHEN o.cust IS NULL THEN 'unknown' WHEN o.first_order THEN 'new'
                ELSE 'returning' END AS customer_type,
           {_ROLLUP_LINES}
    FROM (SELECT *, true AS counted, cust IS NOT NULL AS with_customer, true AS "all"
          FROM metrics_lines) o
    GROUP BY ALL ORDER BY 1;
"""


def data_stamp(ws: Workspace) -> str:
    """Changes whenever a table the facts read changes (loads, re-loads, undos)."""
    parts = " UNION ALL ".join(
        f"SELECT ?, count(*), coalesce(sum(batch_id), 0), coalesce(max(batch_id), 0) "
        f"FROM {internal_name(t)}" for t in _SOURCES)
    rows = ws.cursor().execute(parts, list(_SOURCES)).fetchall()
    return FACTS_VERSION + "|" + ";".join(f"{t}:{n}:{s}:{m}" for t, n, s, m in rows)


def ensure_facts(ws: Workspace, on_time_hours: float = 48.0) -> None:
    """Build the fact tables if they are missing or older than the data."""
    stamp = f"{data_stamp(ws)}|{on_time_hours}"
    if ws.meta(STAMP_KEY) == stamp:
        return
    with _guard:
        lock = _locks.setdefault(str(ws.path), threading.Lock())
    with lock:
        if ws.meta(STAMP_KEY) == stamp:  # another thread built them meanwhile
            return
        home = home_currency(ws) or ""
        with ws.transaction() as cur:
            for statement in _BUILD.split(";\n"):
                if statement.strip():
                    params = {k: v for k, v in (("home", home), ("on_time_hours", on_time_hours))
                              if f"${k}" in statement}
                    cur.execute(statement, params or None)
            cur.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [STAMP_KEY, stamp])
