"""Independent SQL for the team metrics: the test oracle the catalogue engine is checked against.

These queries used to be lib/team.py's fallback; the catalogue engine is now the one definition
of each KPI in lib/, and this second, differently written computation stays in the tests,
where agreeing with it proves something.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from lib.metrics.core import COUNTED, Filters
from lib.team import frame, money_sql
from lib.workspace import Workspace

SHIP_SLA_HOURS = 48.0  # the catalogue's on_time_hours parameter


def _components(ws: Workspace, filters: Filters, daily: bool, sla_hours: float = SHIP_SLA_HOURS) -> pd.DataFrame:
    """Additive parts of every metric, per day (`daily`) or for the whole filter range."""
    where, params = filters.where()
    fx, cost_fx, fx_params, _ = money_sql(ws, filters)
    bucket = "o.order_date" if daily else "DATE '1970-01-01'"
    base = f"""WITH o AS (SELECT * FROM (SELECT o.*, {fx} AS fx, {bucket} AS b FROM orders o
                                        WHERE {where}) o WHERE fx IS NOT NULL),
               counted AS (SELECT * FROM o WHERE {COUNTED})"""
    sql = f"""{base},
    per_order AS (
        SELECT c.b, c.source, c.order_id, c.fx, c.items_gross, c.discount, c.refunded,
               c.customer_id, c.paid_at, c.fulfilled_at,
               EXISTS (SELECT 1 FROM traffic t WHERE t.date = c.order_date
                       AND t.channel = c.channel) AS has_traffic,
               sum(l.quantity) AS units, sum(l.unit_price * l.quantity) AS lines_gross,
               sum(CASE WHEN p.unit_cost IS NOT NULL THEN l.unit_price * l.quantity END) AS costed,
               sum(l.quantity * p.unit_cost * {cost_fx}) AS cost
        FROM counted c
        LEFT JOIN order_lines l ON l.source = c.source AND l.order_id = c.order_id
             AND l.line_type = 'product'
        LEFT JOIN products p ON p.sku = l.sku
        GROUP BY ALL),
    cust AS (SELECT b, customer_id, count(*) AS n FROM per_order
             WHERE customer_id IS NOT NULL GROUP BY ALL)
    SELECT po.b AS day, count(*) AS orders,
        coalesce(sum(coalesce(lines_gross, items_gross, 0) * fx), 0)::DOUBLE AS gross,
        coalesce(sum(discount * fx), 0)::DOUBLE AS discounts,
        coalesce(sum(units), 0)::DOUBLE AS units,
        count(*) FILTER (WHERE refunded > 0) AS refunded_orders,
        count(*) FILTER (WHERE paid_at IS NOT NULL AND fulfilled_at IS NOT NULL) AS shipped,
        count(*) FILTER (WHERE epoch(fulfilled_at - paid_at) <= ? * 3600) AS on_time,
        sum(epoch(fulfilled_at - paid_at) / 3600.0) FILTER (WHERE fulfilled_at >= paid_at)
            AS ship_hours_sum,
        count(*) FILTER (WHERE fulfilled_at >= paid_at) AS ship_hours_n,
        count(*) FILTER (WHERE has_traffic) AS orders_with_traffic,
        coalesce(sum(costed * fx), 0)::DOUBLE AS costed_gross,
        coalesce(sum(cost), 0)::DOUBLE AS cost,
        (SELECT count(*) FROM cust WHERE cust.b = po.b) AS customers,
        (SELECT count(*) FROM cust WHERE cust.b = po.b AND n >= 2) AS repeaters
    FROM per_order po GROUP BY po.b"""
    main = frame(ws, sql, fx_params + params + [sla_hours])
    other = frame(ws, f"""{base}
        SELECT b AS day,
            coalesce(sum(refunded * fx) FILTER (WHERE o.kind = 'refund' OR ({COUNTED})), 0)::DOUBLE
                AS refunds,
            count(*) FILTER (WHERE o.kind = 'sale' AND NOT coalesce(o.is_test, false)) AS sale_orders,
            count(*) FILTER (WHERE o.kind = 'sale' AND NOT coalesce(o.is_test, false)
                             AND (o.cancelled_at IS NOT NULL OR o.status = 'cancelled')) AS cancelled
        FROM o GROUP BY b""", fx_params + params)
    t_where, t_params = ["true"], []  # type: list[str], list[object]
    if filters.start:
        t_where.append("t.date >= ?")
        t_params.append(filters.start)
    if filters.end:
        t_where.append("t.date <= ?")
        t_params.append(filters.end)
    if filters.channels:
        t_where.append("t.channel IN (SELECT unnest(?::VARCHAR[]))")
        t_params.append(list(filters.channels))
    t_bucket = "t.date" if daily else "DATE '1970-01-01'"
    traffic = frame(ws, f"SELECT {t_bucket} AS day, sum(t.sessions)::DOUBLE AS sessions "
                        f"FROM traffic t WHERE {' AND '.join(t_where)} GROUP BY 1", t_params)
    df = other.merge(main, on="day", how="outer").merge(traffic, on="day", how="left")
    for c in df.columns:
        if c not in ("day", "sessions"):
            df[c] = df[c].fillna(0).astype("float64")
    df["day"] = pd.to_datetime(df["day"]).dt.date
    return df.sort_values("day").reset_index(drop=True)


def _ratio(num: pd.Series, den: pd.Series) -> pd.Series:
    return (num / den.where(den > 0)).astype("float64")


def _derive(df: pd.DataFrame, metric: str) -> pd.Series:
    sessions = df["sessions"] if "sessions" in df else pd.Series(np.nan, index=df.index)
    net = df["gross"] - df["discounts"] - df["refunds"]
    return {
        "net_sales": lambda: df["gross"] - df["discounts"] - df["refunds"],
        "gross_sales": lambda: df["gross"],
        "orders": lambda: df["orders"],
        "units": lambda: df["units"],
        "avg_order_value": lambda: _ratio(df["gross"] - df["discounts"], df["orders"]),
        "customers": lambda: df["customers"],
        "repeat_customer_rate": lambda: _ratio(df["repeaters"], df["customers"]),
        "refund_rate": lambda: _ratio(df["refunded_orders"], df["orders"]),
        "cancel_rate": lambda: _ratio(df["cancelled"], df["sale_orders"]),
        "on_time_ship_rate": lambda: _ratio(df["on_time"], df["shipped"]),
        "time_to_ship": lambda: _ratio(df["ship_hours_sum"], df["ship_hours_n"]),
        "conversion_rate": lambda: _ratio(df["orders_with_traffic"], sessions.astype("float64")),
        "gross_margin_rate": lambda: _ratio(net - df["cost"], net),
    }[metric]().astype("float64")


def oracle_values(ws: Workspace, filters: Filters, metrics: tuple[str, ...]) -> dict[str, float | None]:
    """Every metric over the filters' whole range."""
    df = _components(ws, filters, daily=False)
    out: dict[str, float | None] = {}
    for metric in metrics:
        value = float(_derive(df, metric).iloc[0]) if len(df) else float("nan")
        out[metric] = None if np.isnan(value) else value
    return out


def oracle_daily(ws: Workspace, metric: str, filters: Filters) -> pd.DataFrame:
    """[day, value] per day with orders (ratios without a denominator dropped)."""
    df = _components(ws, filters, daily=True)
    return pd.DataFrame({"day": df["day"], "value": _derive(df, metric)}).dropna().reset_index(drop=True)
