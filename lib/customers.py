"""Customers (guide ch. 5): RFM segments, acquisition cohorts (retention and LTV), churn risk.

A customer is the salted hash the ingest stores (`orders.customer_id`): no names, no e-mails.
Orders are the catalogue's counted orders (sales, not cancelled, not test) of known customers,
read from the metrics fact table (`metrics_orders`), so every figure here uses the Overview's
definitions:

- net of an order = Σ product lines (unit price × quantity) − order discount − refunds; a
  refund document (e.g. an Online Retail cancellation `C…`) subtracts its amount on its date
- money is one currency, by the filters' currency plan (converted with the workspace's rates,
  or restricted to one currency; orders in a currency without a rate are left out and named)

Periods: RFM looks at the filters' date range (recency counted to its last day); cohorts
start in that range and are followed up to its last day; churn thresholds come from every
gap between two consecutive orders of the same customer up to that day.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import numpy as np
import pandas as pd

from lib.metrics.engine import refresh_facts
from lib.metrics.filters import Filters, currencies, resolve_plan
from lib.sql import query_frame
from lib.workspace import Workspace

# The R × F grid of the common ten-segment RFM map, most valuable first: (segment, R scores,
# F scores). Every (R, F) pair of 1–5 falls in exactly one (tests check it).
SEGMENTS: tuple[tuple[str, tuple[int, ...], tuple[int, ...]], ...] = (
    ("champions", (5,), (4, 5)),
    ("loyal", (3, 4), (4, 5)),
    ("potential_loyalists", (4, 5), (2, 3)),
    ("new", (5,), (1,)),
    ("promising", (4,), (1,)),
    ("need_attention", (3,), (3,)),
    ("about_to_sleep", (3,), (1, 2)),
    ("cant_lose", (1, 2), (5,)),
    ("at_risk", (1, 2), (3, 4)),
    ("hibernating", (1, 2), (1, 2)),
)
SEGMENT_IDS: tuple[str, ...] = tuple(s for s, _, _ in SEGMENTS)
_SEGMENT_OF = {(r, f): s for s, rs, fs in SEGMENTS for r in rs for f in fs}
# F scores by number of orders in the period (fixed, not quintiles: most customers order once,
# and quintiles of tied counts would give customers with the same count different scores).
F_BOUNDS = (1, 2, 3, 5)  # 1 → 1, 2 → 2, 3 → 3, 4–5 → 4, 6+ → 5
MIN_GAPS = 20  # fewer gaps between repeat orders than this: no churn thresholds
STATUSES = ("active", "cooling", "lapsed")


@dataclass(frozen=True)
class CustomerOrders:
    """Counted orders and refund documents of known customers, up to `as_of`, in `currency`.

    `orders` columns: cust (int), d (date), counted (bool), net (float), source, order_id.
    """

    orders: pd.DataFrame
    start: date
    as_of: date
    currency: str | None
    excluded: tuple[str, ...]  # currencies left out for want of a rate

    @property
    def empty(self) -> bool:
        return not bool(self.orders["counted"].any()) if len(self.orders) else True


def customer_orders(ws: Workspace, filters: Filters | None = None) -> CustomerOrders | None:
    """The orders every analysis here reads, or None when the workspace has no orders."""
    filters = filters or Filters()
    bounds = ws.cursor().execute("SELECT min(order_date), max(order_date) FROM orders").fetchone()
    if bounds is None or bounds[0] is None:
        return None
    start = filters.start or bounds[0]
    as_of = filters.end or bounds[1]
    plan = resolve_plan(ws, filters, currencies(ws, replace(filters, start=None, end=as_of)))
    refresh_facts(ws)
    where, params = replace(filters, end=as_of).facts_where("m", history=True)
    fx = plan.order_factor_sql("m.currency")
    frame = query_frame(
        ws.cursor(),
        f"""SELECT m.cust, m.d, m.counted, m.source, m.order_id,
                   ((CASE WHEN m.counted THEN m.gross - coalesce(m.discount, 0) ELSE 0 END)
                    - coalesce(m.refunded, 0)) * {fx} AS net
            FROM metrics_orders m
            WHERE m.cust IS NOT NULL AND (m.counted OR m.refund_doc) AND {fx} IS NOT NULL
              AND {' AND '.join(where)}
            ORDER BY m.cust, m.d, m.ok""", params)
    frame["d"] = pd.to_datetime(frame["d"])
    frame["net"] = frame["net"].astype(float)
    return CustomerOrders(frame, start, as_of, plan.target, plan.excluded)


def _score_quintile(values: pd.Series, higher_is_better: bool = True) -> pd.Series:
    """1–5: which fifth of customers the value falls in; equal values share a score."""
    n = len(values)
    if n == 0:
        return pd.Series(dtype="int64")
    ranks = values.rank(method="min", ascending=higher_is_better)  # 1 = worst
    return (1 + np.floor(5 * (ranks - 1) / n)).astype("int64")


def rfm_table(data: CustomerOrders) -> pd.DataFrame:
    """One row per customer with a counted order in the period: last order, recency (days to
    the period's last day), frequency (counted orders in the period), monetary (net in the
    period), scores r, f, m (1–5) and the R × F segment."""
    o = data.orders
    in_period = o[o["d"] >= pd.Timestamp(data.start)]
    buyers = in_period.loc[in_period["counted"], "cust"].unique()
    if len(buyers) == 0:
        return pd.DataFrame(columns=["cust", "last_order", "recency_days", "frequency",
                                     "monetary", "r", "f", "m", "segment"])
    mine = in_period[in_period["cust"].isin(buyers)]
    counted = mine[mine["counted"]]
    table = pd.DataFrame({
        "last_order": counted.groupby("cust")["d"].max(),
        "frequency": counted.groupby("cust").size(),
        "monetary": mine.groupby("cust")["net"].sum(),
    })
    table["recency_days"] = (pd.Timestamp(data.as_of) - table["last_order"]).dt.days
    table["r"] = _score_quintile(-table["recency_days"])
    table["f"] = 1 + np.searchsorted(F_BOUNDS, table["frequency"].to_numpy(), side="left")
    table["m"] = _score_quintile(table["monetary"])
    table["segment"] = [_SEGMENT_OF[(r, f)] for r, f in zip(table["r"], table["f"])]
    table = table.reset_index()
    return table[["cust", "last_order", "recency_days", "frequency", "monetary", "r", "f", "m",
                  "segment"]]


def segment_summary(rfm: pd.DataFrame) -> pd.DataFrame:
    """Per segment (in SEGMENTS order, empty ones left out): customers and their share, net
    sales and its share, median recency, mean orders, net per customer."""
    if rfm.empty:
        return pd.DataFrame(columns=["segment", "customers", "customer_share", "monetary",
                                     "monetary_share", "median_recency_days", "mean_orders",
                                     "monetary_per_customer"])
    g = rfm.groupby("segment")
    out = pd.DataFrame({
        "customers": g.size(), "monetary": g["monetary"].sum(),
        "median_recency_days": g["recency_days"].median(), "mean_orders": g["frequency"].mean(),
    })
    out["customer_share"] = out["customers"] / out["customers"].sum()
    total = out["monetary"].sum()
    out["monetary_share"] = out["monetary"] / total if total else np.nan
    out["monetary_per_customer"] = out["monetary"] / out["customers"]
    out = out.reindex([s for s in SEGMENT_IDS if s in out.index]).reset_index(names="segment")
    return out[["segment", "customers", "customer_share", "monetary", "monetary_share",
                "median_recency_days", "mean_orders", "monetary_per_customer"]]


def cohorts(data: CustomerOrders, max_months: int = 12) -> pd.DataFrame:
    """Acquisition cohorts: customers by the month of their first counted order (within the
    filters' channels), for first orders in the period, followed month by month up to its
    last day.

    A cohort acquired in the period's last month has only its month 0 (always 100 %).
    Long format, one row per cohort and month index k (0 = the month of acquisition):
    cohort (first day of the month), size, k, active (customers of the cohort with a counted
    order in month k), retention (active ÷ size), ltv (cumulative net per customer up to the
    end of month k, refunds included), partial (month k is not over at the period's end).
    """
    o = data.orders
    counted = o[o["counted"]]
    if counted.empty:
        return pd.DataFrame(columns=["cohort", "size", "k", "active", "retention", "ltv", "partial"])
    first = counted.groupby("cust")["d"].min().dt.to_period("M")
    start_m = pd.Timestamp(data.start).to_period("M")
    end_m = pd.Timestamp(data.as_of).to_period("M")
    month_over = data.as_of == end_m.to_timestamp(how="end").date()
    first = first[first >= start_m]
    if first.empty:
        return pd.DataFrame(columns=["cohort", "size", "k", "active", "retention", "ltv", "partial"])
    mine = o[o["cust"].isin(first.index)].copy()
    mine["cohort"] = mine["cust"].map(first)
    month = mine["d"].dt.to_period("M")
    mine["k"] = (month.dt.year - mine["cohort"].dt.year) * 12 + (month.dt.month - mine["cohort"].dt.month)
    size = first.value_counts()
    active = mine[mine["counted"]].groupby(["cohort", "k"])["cust"].nunique()
    net = mine.groupby(["cohort", "k"])["net"].sum()
    rows = []
    for cohort, n in sorted(size.items()):
        last_k = min(max_months, (end_m.year - cohort.year) * 12 + end_m.month - cohort.month)
        cum = 0.0
        for k in range(last_k + 1):
            cum += float(net.get((cohort, k), 0.0))
            a = int(active.get((cohort, k), 0))
            rows.append((cohort.to_timestamp().date(), int(n), k, a, a / n, cum / n,
                         cohort + k == end_m and not month_over))
    return pd.DataFrame(rows, columns=["cohort", "size", "k", "active", "retention", "ltv", "partial"])


@dataclass(frozen=True)
class ChurnReport:
    """When customers count as lapsed, from their own buying rhythm.

    `expected_gap_days`: median days between two consecutive orders of a customer;
    `lapse_after_days`: the 90th percentile (nine repeat orders in ten came sooner). A
    customer is active while the days since their last order are within the median, cooling
    up to the 90th percentile, lapsed beyond it. None when fewer than MIN_GAPS gaps exist.
    """

    gaps: int
    expected_gap_days: float | None
    lapse_after_days: float | None
    statuses: pd.DataFrame  # status, customers, share, monetary (net to date)
    customers: pd.DataFrame  # cust, orders, monetary, last_order, days_since, status, source, order_id


def churn_report(data: CustomerOrders) -> ChurnReport:
    o = data.orders
    counted = o[o["counted"]]
    empty = pd.DataFrame(columns=["status", "customers", "share", "monetary"])
    if counted.empty:
        return ChurnReport(0, None, None, empty, pd.DataFrame())
    days = counted.drop_duplicates(["cust", "d"])  # two orders on one day are one visit
    gap = days["d"].diff().dt.days[days["cust"].eq(days["cust"].shift())]
    last = counted.groupby("cust").tail(1).set_index("cust")
    per = pd.DataFrame({
        "orders": counted.groupby("cust").size(),
        "monetary": o.groupby("cust")["net"].sum(),
        "last_order": last["d"], "source": last["source"], "order_id": last["order_id"],
    }).dropna(subset=["last_order"])
    per["days_since"] = (pd.Timestamp(data.as_of) - per["last_order"]).dt.days
    if len(gap) < MIN_GAPS:
        return ChurnReport(int(len(gap)), None, None, empty, per.reset_index())
    expected = float(np.median(gap))
    lapse = float(np.quantile(gap, 0.9))
    per["status"] = np.where(per["days_since"] <= expected, "active",
                             np.where(per["days_since"] <= lapse, "cooling", "lapsed"))
    g = per.groupby("status")
    statuses = pd.DataFrame({"customers": g.size(), "monetary": g["monetary"].sum()}).reindex(
        list(STATUSES), fill_value=0)
    statuses["share"] = statuses["customers"] / max(1, int(statuses["customers"].sum()))
    statuses = statuses.reset_index(names="status")[["status", "customers", "share", "monetary"]]
    return ChurnReport(int(len(gap)), expected, lapse, statuses, per.reset_index())


def customer_keys(ws: Workspace, custs: pd.Series) -> pd.Series:
    """The first 12 characters of each customer's stored key (the salted hash), aligned with
    `custs` (the fact table's customer numbers): what a user can match across exports and
    reports, never a name or an e-mail."""
    wanted = sorted({int(c) for c in custs})
    keys = dict(ws.cursor().execute(
        "SELECT DISTINCT m.cust, left(o.customer_id, 12) FROM metrics_orders m "
        "JOIN orders o ON o.source = m.source AND o.order_id = m.order_id "
        "WHERE m.cust IN (SELECT unnest(?::BIGINT[]))", [wanted]).fetchall())
    return pd.Series([keys.get(int(c), "") for c in custs], index=custs.index, dtype="object")


def at_risk(ws: Workspace, report: ChurnReport, limit: int = 50) -> pd.DataFrame:
    """The cooling customers worth the most (net to date), with their customer key and last
    order, to look up in the shop's admin and win back before they lapse."""
    if report.expected_gap_days is None or report.customers.empty:
        return pd.DataFrame(columns=["customer", "orders", "monetary", "last_order",
                                     "days_since", "source", "order_id"])
    top = report.customers[report.customers["status"] == "cooling"].sort_values(
        ["monetary", "cust"], ascending=[False, True]).head(limit)
    top = top.assign(customer=customer_keys(ws, top["cust"]))
    return top[["customer", "orders", "monetary", "last_order", "days_since", "source",
                "order_id"]].reset_index(drop=True)
