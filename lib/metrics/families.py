"""The tables the catalogue's measures aggregate over ("families"), and the SQL that builds them.

A family is one relation with a fixed grain, built for the filters, the periods asked for and
the currency plan, mostly from the fact tables of `lib.metrics.facts`:

- orders     one row per (period, order) in scope; money converted; line totals per order
- lines      one row per (period, product line) of a counted order, plus one pseudo-line for
             a counted order exported without lines (its item total), so Σ lines = Σ orders;
             the cost of goods lives here (it is per product)
- cohort     one row per (period, order) of the customers whose FIRST order is in the period;
             dimensions are those of the first order
- retention  one row per (period, customer) of the customers with a counted order in the
             period's previous window (the same number of days just before it), `retained`
             when they ordered again in the period; its dimensions are where they bought in
             that window (channel, platform, country), wherever they came back
- traffic    one row per (period, day, channel)
- marketing  one row per (period, day, channel, campaign); money in the channel's currency
- inventory  one row per (period, SKU): the stock snapshot, the same in every period

The catalogue's table `sales` is the orders family, or the lines family when the grouping asks
for a line attribute (category, product). A measure names a column and a condition ("where")
its family offers; everything here is a constant of this module, so no identifier reaching
SQL comes from anywhere but this file and the validated catalogue. Values are bound ($name).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Literal

from lib.metrics.facts import (
    LINE_COUNTS, LINE_SUMS, ORDER_COUNTS, ORDER_SUMS, rollup_column,
)
from lib.sql import internal_name

AGGS = ("sum", "count", "count_distinct", "count_repeat")
ColumnKind = Literal["money", "count", "number", "key"]
DimKind = Literal["text", "date", "int"]

@dataclass(frozen=True)
class Dim:
    kind: DimKind
    time: bool = False


DIMS: dict[str, Dim] = {
    "channel": Dim("text"), "platform": Dim("text"), "country": Dim("text"),
    "customer_type": Dim("text"), "category": Dim("text"), "product": Dim("text"),
    "campaign": Dim("text"),
    "day": Dim("date", True), "week": Dim("date", True), "month": Dim("date", True),
    "weekday": Dim("int"), "hour": Dim("int"),
}
LINE_DIMS = frozenset({"category", "product"})


@dataclass(frozen=True)
class Family:
    name: str
    columns: dict[str, ColumnKind]
    conditions: frozenset[str]
    dims: dict[str, str]            # dim -> SQL over the family's row source
    unique: frozenset[str] = frozenset()  # columns unique per row (count_distinct = count)
    # A rollup holds pre-aggregated (agg, column, condition) combinations only: sums and counts.
    rollup: frozenset[tuple[str, str, str]] | None = None
    # Windowed: a time grouping changes what a row is (each day, week or month is a window of
    # its own), so groupings with different time dimensions cannot share one base.
    windowed: bool = False

    def physical(self, agg: str, column: str, where: str) -> str | None:
        """For a rollup: the column holding agg(column) where <condition>, if it has it."""
        if self.rollup is None:
            return None
        if agg == "count_distinct" and column in self.unique:
            agg = "count"
        if agg == "count":
            return rollup_column("count", "", where) if ("count", "", where) in self.rollup else None
        return rollup_column(agg, column, where) if (agg, column, where) in self.rollup else None

    def supports(self, dims: tuple[str, ...], agg: str, column: str, where: str) -> bool:
        if any(d not in self.dims for d in dims):
            return False
        if self.rollup is not None:
            return self.physical(agg, column, where) is not None
        if column not in self.columns or where not in self.conditions:
            return False
        is_key = self.columns[column] == "key"  # keys are counted, amounts summed
        return agg == "count" or (agg == "sum") != is_key


def _date_dims(col: str) -> dict[str, str]:
    return {"day": col, "week": f"CAST(date_trunc('week', {col}) AS DATE)",
            "month": f"CAST(date_trunc('month', {col}) AS DATE)", "weekday": f"isodow({col})"}


_ORDER_DIMS = {"channel": "o.channel", "platform": "o.source", "country": "o.country",
               "customer_type": ("CASE WHEN o.cust IS NULL THEN 'unknown' "
                                 "WHEN o.first_order THEN 'new' ELSE 'returning' END"),
               "hour": "hour(o.created_at)", **_date_dims("o.d")}

def _rollup(sums: tuple[tuple[str, str], ...], counts: tuple[str, ...]) -> frozenset[tuple[str, str, str]]:
    return frozenset({("sum", c, w) for c, w in sums} | {("count", "", w) for w in counts})


_DAILY_DIMS = {d: e for d, e in _ORDER_DIMS.items() if d != "hour"}
_DAILY_DIMS["customer_type"] = "o.customer_type"

FAMILIES: dict[str, Family] = {f.name: f for f in (
    Family("orders_daily",
           columns={c: k for c, k in (("order_key", "key"), ("gross", "money"), ("units", "count"),
                                      ("discount", "money"), ("refunded", "money"),
                                      ("total", "money"), ("shipping", "money"), ("tax", "money"),
                                      ("fees", "money"), ("ship_hours", "number"),
                                      ("deliver_days", "number"))},
           conditions=frozenset(ORDER_COUNTS), dims=_DAILY_DIMS,
           unique=frozenset({"order_key"}), rollup=_rollup(ORDER_SUMS, ORDER_COUNTS)),
    Family("lines_daily",
           columns={"gross": "money", "units": "count", "cogs": "money", "costed_gross": "money"},
           conditions=frozenset(LINE_COUNTS), dims={**_DAILY_DIMS, "category": "o.category"},
           rollup=_rollup(LINE_SUMS + (("costed_gross", "counted"),), LINE_COUNTS)),
    Family("orders",
           columns={"order_key": "key", "customer_id": "key", "gross": "money", "units": "count",
                    "discount": "money", "refunded": "money", "total": "money",
                    "shipping": "money", "tax": "money", "fees": "money",
                    "ship_hours": "number", "deliver_days": "number"},
           conditions=frozenset({"all", "counted", "placed", "placed_cancelled", "cancelled",
                                 "refund_scope", "refunded_order", "shipped", "on_time",
                                 "delivered", "first_order", "with_traffic", "with_customer",
                                 "test", "refund_doc", "refund_base", "cancel_base"}),
           dims=_ORDER_DIMS, unique=frozenset({"order_key"})),
    Family("lines",
           columns={"order_key": "key", "customer_id": "key", "gross": "money", "units": "count",
                    "cogs": "money", "costed_gross": "money"},
           conditions=frozenset({"all", "counted", "with_customer"}),
           dims={**_ORDER_DIMS, "category": "o.category", "product": "o.product"}),
    Family("cohort",
           columns={"customer_id": "key", "net": "money"},
           conditions=frozenset({"all"}),
           dims={"channel": "f.channel", "platform": "f.source", "country": "f.country",
                 **_date_dims("f.d")}),
    Family("retention",
           columns={"customer_id": "key"},
           conditions=frozenset({"all", "retained"}),
           dims={"channel": "o.channel", "platform": "o.source", "country": "o.country",
                 **{d: e for d, e in _date_dims("p.bucket").items() if d != "weekday"}},
           windowed=True),
    Family("traffic",
           columns={"sessions": "count", "visitors": "count", "add_to_cart": "count",
                    "checkouts": "count"},
           conditions=frozenset({"all"}),
           dims={"channel": "t.channel", **_date_dims("t.date")}),
    Family("marketing",
           columns={"spend": "money", "impressions": "count", "clicks": "count",
                    "attributed_revenue": "money"},
           conditions=frozenset({"all"}),
           dims={"channel": "m.channel", "campaign": "m.campaign", **_date_dims("m.date")}),
    Family("inventory",
           columns={"sku": "key", "stock_value": "money", "stock_units": "count"},
           conditions=frozenset({"all", "active", "out_of_stock"}),
           dims={"category": "p.category", "product": "p.sku"}, unique=frozenset({"sku"})),
)}

# The catalogue's tables and the families that serve them, in order of preference.
TABLE_FAMILIES: dict[str, tuple[str, ...]] = {
    "sales": ("orders_daily", "orders", "lines_daily", "lines"),
    "orders": ("orders_daily", "orders"), "cohort": ("cohort",), "retention": ("retention",),
    "traffic": ("traffic",), "marketing": ("marketing",), "inventory": ("inventory",),
}


def family_for(table: str, dims: tuple[str, ...], agg: str, column: str, where: str) -> str:
    """The first family serving `table` that can compute agg(column) where <condition> at a
    grouping by `dims`: a daily rollup when it has the figure, else the order-level facts,
    else the line-level ones (category, product, cost). The last one when none can."""
    options = TABLE_FAMILIES[table]
    return next((f for f in options if FAMILIES[f].supports(dims, agg, column, where)), options[-1])


# -- the context every family is built in ---------------------------------------------------
@dataclass(frozen=True)
class Period:
    name: str
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class Scope:
    """What the engine resolved: periods, channel/platform filters, the currency plan."""

    periods: tuple[Period, ...]
    channels: tuple[str, ...]
    platforms: tuple[str, ...]
    only_currency: str | None                 # orders restricted to this currency, factor 1
    order_rates: tuple[tuple[str, float], ...] | None  # convert: currency -> factor (DOUBLE)
    cost_rates: tuple[tuple[str, Decimal | float], ...]  # cost currency -> factor
    home: str                                  # currency of a cost / channel that names none
    on_time_hours: Decimal


def _q(name: str) -> str:
    return internal_name(name)


class SqlParts:
    """CTEs and their bound parameters, collected in order."""

    def __init__(self) -> None:
        self.ctes: list[str] = []
        self.params: dict[str, object] = {}

    def add(self, cte: str, **params: object) -> None:
        self.ctes.append(cte)
        self.params.update(params)

    def sql(self) -> str:
        return "WITH " + ",\n".join(self.ctes)


def _periods(parts: SqlParts, scope: Scope) -> None:
    """`per(period, p_start, p_end)` for the small tables."""
    parts.add("per AS (SELECT unnest($p_name::VARCHAR[]) AS period, "
              "unnest($p_start::DATE[]) AS p_start, unnest($p_end::DATE[]) AS p_end)",
              p_name=[p.name for p in scope.periods], p_start=[p.start for p in scope.periods],
              p_end=[p.end for p in scope.periods])


def rates_ctes(parts: SqlParts, scope: Scope, *, orders: bool = True, costs: bool = True) -> None:
    """`cfx(currency, cfx)` for costs and, when converting, `fx(currency, fx)` for orders.

    Factors that are all exactly 1 stay INTEGER, so unconverted money sums stay exact DECIMAL.
    """
    if costs:
        exact = all(Decimal(str(r)) == 1 for _, r in scope.cost_rates)
        parts.add(f"cfx AS (SELECT unnest($cfx_cur::VARCHAR[]) AS currency, "
                  f"unnest($cfx_rate::{'INTEGER' if exact else 'DOUBLE'}[]) AS cfx)",
                  cfx_cur=[c for c, _ in scope.cost_rates],
                  cfx_rate=[int(r) if exact else float(r) for _, r in scope.cost_rates])
    if orders and scope.order_rates is not None:
        parts.add("fx AS (SELECT unnest($fx_cur::VARCHAR[]) AS currency, "
                  "unnest($fx_rate::DOUBLE[]) AS fx)",
                  fx_cur=[c for c, _ in scope.order_rates],
                  fx_rate=[float(r) for _, r in scope.order_rates])


def scope_where(scope: Scope, alias: str, parts: SqlParts, *, channel_col: str = "channel",
                 source_col: str | None = "source") -> str:
    conds = ["true"]
    if scope.channels:
        conds.append(f"{alias}.{channel_col} IN (SELECT unnest($channels::VARCHAR[]))")
        parts.params["channels"] = list(scope.channels)
    if scope.platforms:
        if source_col:
            conds.append(f"{alias}.{source_col} IN (SELECT unnest($platforms::VARCHAR[]))")
        else:  # tables without a platform: keep the channels the chosen platforms sell on
            conds.append(f"{alias}.{channel_col} IN (SELECT DISTINCT channel FROM orders "
                         "WHERE source IN (SELECT unnest($platforms::VARCHAR[])))")
        parts.params["platforms"] = list(scope.platforms)
    return " AND ".join(conds)


def currency_sql(scope: Scope, parts: SqlParts, alias: str, col: str = "currency") -> tuple[str, str, str]:
    """(fx expression, join, extra condition) for money in `alias.col`'s currency."""
    if scope.order_rates is not None:
        return "fx.fx", f"JOIN fx ON fx.currency = {alias}.{col}", ""
    if scope.only_currency is not None:
        parts.params["only_currency"] = scope.only_currency
        return "1", "", f" AND {alias}.{col} = $only_currency"
    return "1", "", ""


def _by_period(parts: SqlParts, scope: Scope, select: str, table: str, where: str,
               join: str = "") -> str:
    """UNION ALL of one scan per period (each reads only its days of the day-sorted facts)."""
    scans = []
    for i, p in enumerate(scope.periods):
        parts.params.update({f"p{i}_name": p.name, f"p{i}_start": p.start, f"p{i}_end": p.end})
        scans.append(f"SELECT $p{i}_name AS period, {select} FROM {table} {join} "
                     f"WHERE o.d BETWEEN $p{i}_start AND $p{i}_end AND {where}")
    return "\n        UNION ALL\n        ".join(scans)


def _dim_sql(family: str, dims: tuple[str, ...]) -> str:
    return "".join(f", {FAMILIES[family].dims[d]} AS {_q(d)}" for d in dims)


def _money_base(scope: Scope, costs: bool) -> tuple[SqlParts, str, str, str]:
    """What every money family starts with: the rate CTEs (with cost rates when `costs`), the
    order-currency factor and its join, and the scope's WHERE over alias `o`."""
    parts = SqlParts()
    rates_ctes(parts, scope, costs=costs)
    fx, join, cond = currency_sql(scope, parts, "o")
    return parts, fx, join, scope_where(scope, "o", parts) + cond


def build_orders(scope: Scope, dims: tuple[str, ...], measures: list) -> SqlParts:
    parts, fx, join, where = _money_base(scope, costs=False)
    select = f"""o.cust AS customer_id{_dim_sql('orders', dims)}, 1 AS order_key,
               o.gross * {fx} AS gross, o.units, o.discount * {fx} AS discount,
               o.refunded * {fx} AS refunded, o.total * {fx} AS total,
               o.shipping * {fx} AS shipping, o.tax * {fx} AS tax, o.fees * {fx} AS fees,
               o.ship_hours, o.deliver_days, true AS "all", o.counted, o.placed,
               o.placed_cancelled, o.cancelled, (o.refund_doc OR o.counted) AS refund_scope,
               ((o.counted AND o.refunded > 0) OR o.refund_doc) AS refunded_order,
               o.ship_hours IS NOT NULL AS shipped, o.ship_hours <= $on_time_hours AS on_time,
               o.deliver_days IS NOT NULL AS delivered, o.first_order, o.with_traffic,
               (o.counted AND o.cust IS NOT NULL) AS with_customer, o.refund_doc,
               (NOT o.refund_doc AND NOT o.placed) AS test, o.refund_base, o.cancel_base"""
    parts.params["on_time_hours"] = float(scope.on_time_hours)
    parts.add(f"base AS (\n        {_by_period(parts, scope, select, 'metrics_orders o', where, join)})")
    return parts


def build_lines(scope: Scope, dims: tuple[str, ...], measures: list) -> SqlParts:
    parts, fx, join, where = _money_base(scope, costs=True)
    select = f"""o.cust AS customer_id{_dim_sql('lines', dims)}, o.ok AS order_key,
               o.units, o.gross * {fx} AS gross, o.cogs * cfx.cfx AS cogs,
               CASE WHEN o.costed AND cfx.cfx IS NOT NULL THEN o.gross * {fx} END AS costed_gross,
               true AS "all", true AS counted, o.cust IS NOT NULL AS with_customer"""
    join += " LEFT JOIN cfx ON cfx.currency = o.cost_cur"
    parts.add(f"base AS (\n        {_by_period(parts, scope, select, 'metrics_lines o', where, join)})")
    return parts


def build_cohort(scope: Scope, dims: tuple[str, ...], measures: list) -> SqlParts:
    parts = SqlParts()
    rates_ctes(parts, scope, costs=False)
    where = scope_where(scope, "o", parts) + " AND o.first_order"
    select = "o.cust, o.channel, o.source, o.country, o.d"
    parts.add(f"c AS (\n        {_by_period(parts, scope, select, 'metrics_orders o', where)})")
    fx, join, cond = currency_sql(scope, parts, "o")
    parts.add(f"""base AS (
        SELECT f.period{_dim_sql('cohort', dims)}, f.cust AS customer_id,
               CASE WHEN o.counted THEN (o.gross - o.discount - o.refunded) * {fx}
                    ELSE -o.refunded * {fx} END AS net,
               true AS "all"
        FROM c f JOIN metrics_orders o ON o.cust = f.cust {join}
        WHERE (o.counted OR o.refund_doc){cond})""")
    return parts


TIME_UNITS = ("day", "week", "month")  # finest first


def bucket_key(unit: str, day: date) -> date:
    """The first day of the day, week (Monday) or month holding `day`: its key in a grouping."""
    if unit == "week":
        return day - timedelta(days=day.weekday())
    return day.replace(day=1) if unit == "month" else day


def bucket_end(unit: str, key: date) -> date:
    """The last day of the bucket starting on `key`."""
    if unit == "week":
        return key + timedelta(days=6)
    if unit == "month":
        return (key.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return key


def whole_bucket(unit: str, key: date, period: Period) -> bool:
    """Whether the bucket starting on `key` lies entirely within `period` (not cut short)."""
    return key >= period.start and bucket_end(unit, key) <= period.end


def retention_windows(periods: tuple[Period, ...], unit: str | None
                      ) -> list[tuple[str, date | None, date, date, date, date]]:
    """(period, bucket, start, end, before_start, before_end) per window: the whole period, or
    each day, week or month of it (the bucket's first day as its key, clipped to the period),
    with the window of as many days just before it."""
    out: list[tuple[str, date | None, date, date, date, date]] = []
    for p in periods:
        starts: list[tuple[date | None, date, date]] = []
        if unit is None:
            starts.append((None, p.start, p.end))
        else:
            key = bucket_key(unit, p.start)
            while key <= p.end:
                end = bucket_end(unit, key)
                starts.append((key, max(key, p.start), min(end, p.end)))
                key = end + timedelta(days=1)
        for key, lo, hi in starts:
            days = (hi - lo).days + 1
            out.append((p.name, key, lo, hi, lo - timedelta(days=days), lo - timedelta(days=1)))
    return out


def build_retention(scope: Scope, dims: tuple[str, ...], measures: list) -> SqlParts:
    """Per window (the period, or each day, week or month of it): the customers of the window
    of as many days just before it, `retained` when they ordered again within it."""
    parts = SqlParts()
    rates_ctes(parts, scope, costs=False)
    _, join, cond = currency_sql(scope, parts, "o")  # orders with no rate are out, as in sales
    where = scope_where(scope, "o", parts) + cond + " AND o.counted AND o.cust IS NOT NULL"
    unit = next((u for u in TIME_UNITS if u in dims), None)
    windows = retention_windows(scope.periods, unit)
    names = ("period", "bucket", "w_start", "w_end", "r_start", "r_end")
    types = ("VARCHAR", "DATE", "DATE", "DATE", "DATE", "DATE")
    parts.add("w AS (SELECT " + ", ".join(
        f"unnest($w_{n}::{t}[]) AS {n}" for n, t in zip(names, types)) + ")",
        **{f"w_{n}": [row[i] for row in windows] for i, n in enumerate(names)})
    places = tuple(d for d in dims if d not in TIME_UNITS)  # channel, platform, country
    parts.add(f"""prev AS (
        SELECT DISTINCT w.period, w.bucket, o.cust{_dim_sql('retention', places)}
        FROM w JOIN metrics_orders o ON o.d BETWEEN w.r_start AND w.r_end {join}
        WHERE {where})""")
    parts.add(f"""cur AS (
        SELECT DISTINCT w.period, w.bucket, o.cust
        FROM w JOIN metrics_orders o ON o.d BETWEEN w.w_start AND w.w_end {join}
        WHERE {where})""")
    # Back anywhere: a grouping asks where customers bought before, not where they came back
    # (the engine builds one base for every grouping of a query, so `retained` cannot differ).
    times = "".join(f", {FAMILIES['retention'].dims[d]} AS {_q(d)}" for d in dims if d in TIME_UNITS)
    parts.add(f"""base AS (
        SELECT p.period{times}{''.join(f', p.{_q(d)}' for d in places)}, p.cust AS customer_id,
               EXISTS (SELECT 1 FROM cur c WHERE c.period = p.period
                       AND c.bucket IS NOT DISTINCT FROM p.bucket AND c.cust = p.cust) AS retained,
               true AS "all"
        FROM prev p)""")
    return parts


def build_traffic(scope: Scope, dims: tuple[str, ...], measures: list) -> SqlParts:
    parts = SqlParts()
    _periods(parts, scope)
    where = scope_where(scope, "t", parts, source_col=None)
    parts.add(f"""base AS (
        SELECT per.period{_dim_sql('traffic', dims)}, t.sessions, t.visitors, t.add_to_cart,
               t.checkouts, true AS "all"
        FROM traffic t JOIN per ON t."date" BETWEEN per.p_start AND per.p_end WHERE {where})""")
    return parts


def channel_currency_sql() -> str:
    """Each channel's currency: the one most of its orders are in."""
    return ("SELECT channel, mode(currency) AS currency FROM orders "
            "WHERE currency IS NOT NULL GROUP BY channel")


def build_marketing(scope: Scope, dims: tuple[str, ...], measures: list) -> SqlParts:
    parts = SqlParts()
    _periods(parts, scope)
    rates_ctes(parts, scope, costs=False)
    where = scope_where(scope, "m", parts, source_col=None)
    parts.add(f"cc AS ({channel_currency_sql()})")
    parts.add("""mc AS (SELECT m.*, coalesce(cc.currency, $home) AS currency
                       FROM marketing m LEFT JOIN cc ON cc.channel = m.channel)""", home=scope.home)
    fx, join, cond = currency_sql(scope, parts, "m")
    parts.add(f"""base AS (
        SELECT per.period{_dim_sql('marketing', dims)}, m.spend * {fx} AS spend,
               m.impressions, m.clicks, m.attributed_revenue * {fx} AS attributed_revenue,
               true AS "all"
        FROM mc m JOIN per ON m."date" BETWEEN per.p_start AND per.p_end {join}
        WHERE {where}{cond})""")
    return parts


def build_inventory(scope: Scope, dims: tuple[str, ...], measures: list) -> SqlParts:
    parts = SqlParts()
    _periods(parts, scope)
    rates_ctes(parts, scope, orders=False)
    active = "p.stock_on_hand IS NOT NULL AND coalesce(lower(p.status), 'active') = 'active'"
    parts.add(f"""base AS (
        SELECT per.period{_dim_sql('inventory', dims)}, p.sku,
               greatest(p.stock_on_hand, 0) * p.unit_cost * cfx.cfx AS stock_value,
               greatest(p.stock_on_hand, 0) AS stock_units, true AS "all",
               ({active}) AS active, ({active} AND p.stock_on_hand <= 0) AS out_of_stock
        FROM products p CROSS JOIN per
        LEFT JOIN cfx ON cfx.currency = coalesce(p.currency, $home))""", home=scope.home)
    return parts


def _rollup_select(fam: Family, measures: list, money: dict[str, str]) -> str:
    cols = []
    for m in measures:
        col = fam.physical(m.agg, m.column, m.where)
        assert col is not None, m
        factor = money.get(m.column, "")
        cols.append(f"o.{_q(col)}{factor} AS {_q(col)}")
    return ", ".join(dict.fromkeys(cols)) or "1 AS one"


def build_orders_daily(scope: Scope, dims: tuple[str, ...], measures: list) -> SqlParts:
    parts, fx, join, where = _money_base(scope, costs=False)
    fam = FAMILIES["orders_daily"]
    money = {c: f" * {fx}" for c, k in fam.columns.items() if k == "money"}
    select = f"1 AS one{_dim_sql('orders_daily', dims)}, {_rollup_select(fam, measures, money)}"
    parts.add(f"base AS (\n        {_by_period(parts, scope, select, 'metrics_orders_daily o', where, join)})")
    return parts


def build_lines_daily(scope: Scope, dims: tuple[str, ...], measures: list) -> SqlParts:
    parts, fx, join, where = _money_base(scope, costs=True)
    fam = FAMILIES["lines_daily"]
    money = {"gross": f" * {fx}", "costed_gross": f" * {fx}", "cogs": " * cfx.cfx"}
    select = f"1 AS one{_dim_sql('lines_daily', dims)}, {_rollup_select(fam, measures, money)}"
    join += " LEFT JOIN cfx ON cfx.currency = o.cost_cur"
    parts.add(f"base AS (\n        {_by_period(parts, scope, select, 'metrics_lines_daily o', where, join)})")
    return parts


BUILDERS = {"orders_daily": build_orders_daily, "lines_daily": build_lines_daily,
            "orders": build_orders, "lines": build_lines, "cohort": build_cohort,
            "retention": build_retention,
            "traffic": build_traffic, "marketing": build_marketing, "inventory": build_inventory}
