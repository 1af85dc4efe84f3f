"""Daily series from the canonical tables, with the KPI meanings of lib/metrics/core.py.

Per day (the shop's local `order_date`), over orders that count (`COUNTED`: sales, not
cancelled, not test):
- gross     Σ unit price × quantity of product lines (an order exported without lines: its
            item total, as the fact tables count it)
- discounts Σ order discounts
- refunds   Σ refunded amounts of counted orders, plus refund documents on their own day
- net_sales = gross − discounts − refunds; orders = distinct counted orders; units = Σ quantity

At category or SKU level, an order's discount and refund are shared out over its product
lines by their gross (a refund document without product lines cannot be placed and is left
out at that level). Days without orders inside the range are zero. Money is one currency:
a workspace with several needs `currency`; nothing is converted here.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal, get_args

import pandas as pd

from lib.forecast.notes import ForecastError
from lib.metrics.core import COUNTED, Filters, currencies
from lib.metrics.filters import gross_rows
from lib.workspace import Workspace

Metric = Literal["net_sales", "orders", "units"]
Level = Literal["total", "channel", "category", "sku"]
METRICS: tuple[str, ...] = get_args(Metric)
LEVELS: tuple[str, ...] = get_args(Level)

# Channels whose buyers shop China's festivals (for choosing the default festival markets).
_CN_CHANNELS = ("taobao", "tmall", "jd", "pinduoduo", "pdd", "douyin", "kuaishou", "weidian")

# Country names seen in exports → ISO codes (the `holidays` package and festivals use codes).
_COUNTRY_CODES = {
    "united kingdom": "GB", "uk": "GB", "great britain": "GB", "england": "GB",
    "united states": "US", "usa": "US", "united states of america": "US", "china": "CN",
    "中国": "CN", "people's republic of china": "CN", "germany": "DE", "france": "FR",
    "spain": "ES", "italy": "IT", "netherlands": "NL", "belgium": "BE", "ireland": "IE",
    "eire": "IE", "australia": "AU", "canada": "CA", "japan": "JP", "chile": "CL",
    "brazil": "BR", "mexico": "MX", "singapore": "SG", "malaysia": "MY", "hong kong": "HK",
    "taiwan": "TW", "south korea": "KR", "korea": "KR", "india": "IN", "switzerland": "CH",
    "austria": "AT", "sweden": "SE", "norway": "NO", "denmark": "DK", "finland": "FI",
    "portugal": "PT", "poland": "PL", "new zealand": "NZ", "thailand": "TH",
    "indonesia": "ID", "philippines": "PH", "vietnam": "VN",
}


@dataclass(frozen=True)
class SeriesRequest:
    """What to build: metric at a level (key = the channel, category or SKU)."""

    metric: Metric = "net_sales"
    level: Level = "total"
    key: str | None = None
    currency: str | None = None
    filters: Filters = Filters()


def country_code(value: str | None) -> str | None:
    """An ISO 3166 alpha-2 code for a country name or code as exports write them."""
    if not value:
        return None
    text = value.strip()
    if len(text) == 2 and text.isalpha():
        return text.upper()
    return _COUNTRY_CODES.get(text.lower())


def _validate(metric: str, level: str, key: str | None) -> None:
    if metric not in METRICS:
        raise ForecastError(f"Unknown metric {metric!r}: choose one of {', '.join(METRICS)}.",
                            key="forecast.bad_metric", metric=metric)
    if level not in LEVELS:
        raise ForecastError(f"Unknown level {level!r}: choose one of {', '.join(LEVELS)}.",
                            key="forecast.bad_level", level=level)
    if level != "total" and not key:
        raise ForecastError(f"Choose which {level} to forecast (a key is needed at {level} level).",
                            key="forecast.key_required", level=level)


ALL_CURRENCIES = "*"  # as `currency`: orders in every currency, for counts (orders, units)
COUNT_METRICS: tuple[Metric, ...] = ("orders", "units")


def resolve_currency(ws: Workspace, currency: str | None, filters: Filters) -> tuple[str | None, bool]:
    """(currency, filter_by_it): refuse to add up several currencies, unless asked for all of
    them (ALL_CURRENCIES: (None, False); only counts may then be read)."""
    if currency == ALL_CURRENCIES:
        return None, False
    found = currencies(ws, Filters(start=filters.start, end=filters.end, channels=filters.channels))
    currency = currency or filters.currency
    if currency:
        if currency not in found:
            raise ForecastError(
                f"No orders in {currency}" + (f" (this workspace has {', '.join(found)})." if found else "."),
                key="forecast.currency_absent", currency=currency)
        return currency, True
    if len(found) > 1:
        raise ForecastError(
            f"This workspace has orders in several currencies ({', '.join(found)}); a forecast "
            "adds money up, so choose one currency.",
            key="forecast.mixed_currency", currencies=", ".join(found))
    return (found[0] if found else None), False


# An order's discount or refund shared out to one line is a DOUBLE (a share of the order's
# gross). Summed as DOUBLEs, the day's total took DuckDB's threads' order and changed in its
# last bits from run to run, and that was enough for Prophet to settle on another optimum for
# some series (a demo SKU's 28-day forecast: 37,204 or 39,376). Each part is rounded to a
# millionth first, exactly and the same every time, then summed as a decimal.
_SHARE = "DECIMAL(38, 6)"


def _daily_sql(level: str, where: str, currency_filter: str) -> str:
    """Per-day gross, discounts, refunds, orders, units. Level filters take one bound key."""
    head = f"""
    WITH o AS (SELECT o.* FROM orders o WHERE {where} {currency_filter}{{channel}}),
    counted AS (SELECT * FROM o WHERE {COUNTED}),
    refunding AS (SELECT * FROM o WHERE o.kind = 'refund' OR ({COUNTED}))"""
    if level in ("total", "channel"):
        channel = " AND o.channel = ?" if level == "channel" else ""
        return head.format(channel=channel) + f""",
    gross AS (
        SELECT g.order_date AS d, sum(g.gross) AS gross, sum(g.units) AS units
        FROM {gross_rows("counted")} g GROUP BY 1),
    disc AS (SELECT order_date AS d, sum(discount) AS discounts, count(*) AS orders
             FROM counted GROUP BY 1),
    ref AS (SELECT order_date AS d, sum(refunded) AS refunds FROM refunding GROUP BY 1),
    days AS (SELECT d FROM gross UNION SELECT d FROM disc UNION SELECT d FROM ref)
    SELECT days.d, coalesce(gross, 0), coalesce(discounts, 0), coalesce(refunds, 0),
           coalesce(orders, 0), coalesce(units, 0)
    FROM days LEFT JOIN gross USING (d) LEFT JOIN disc USING (d) LEFT JOIN ref USING (d)
    WHERE days.d IS NOT NULL ORDER BY 1"""
    column = "sku" if level == "sku" else "category"
    return head.format(channel="") + f""",
    lines AS (
        SELECT l.source, l.order_id, l.quantity, l.unit_price * l.quantity AS amount,
               {"l.sku" if column == "sku" else "coalesce(l.category, p.category)"} AS k
        FROM order_lines l LEFT JOIN products p ON p.sku = l.sku
        WHERE l.line_type = 'product'),
    share AS (
        SELECT source, order_id,
               coalesce(sum(amount) FILTER (WHERE k = $key), 0) AS gross,
               coalesce(sum(quantity) FILTER (WHERE k = $key), 0) AS units,
               CASE WHEN sum(amount) <> 0
                    THEN coalesce(sum(amount) FILTER (WHERE k = $key), 0) / sum(amount)
                    ELSE coalesce(sum(quantity) FILTER (WHERE k = $key), 0)
                         / nullif(sum(quantity), 0) END AS s,
               count(*) FILTER (WHERE k = $key) > 0 AS has
        FROM lines GROUP BY 1, 2),
    g AS (
        SELECT c.order_date AS d, sum(s.gross) AS gross, sum(s.units) AS units,
               sum(CAST(c.discount * coalesce(s.s, 0) AS {_SHARE})) AS discounts, count(*) AS orders
        FROM counted c JOIN share s ON s.source = c.source AND s.order_id = c.order_id
        WHERE s.has GROUP BY 1),
    ref AS (
        SELECT r.order_date AS d, sum(CAST(r.refunded * s.s AS {_SHARE})) AS refunds
        FROM refunding r JOIN share s ON s.source = r.source AND s.order_id = r.order_id
        WHERE s.has GROUP BY 1),
    days AS (SELECT d FROM g UNION SELECT d FROM ref)
    SELECT days.d, coalesce(gross, 0), coalesce(discounts, 0), coalesce(refunds, 0),
           coalesce(orders, 0), coalesce(units, 0)
    FROM days LEFT JOIN g USING (d) LEFT JOIN ref USING (d)
    WHERE days.d IS NOT NULL ORDER BY 1"""


def daily_frame(ws: Workspace, level: Level = "total", key: str | None = None,
                filters: Filters | None = None, currency: str | None = None) -> pd.DataFrame:
    """Columns ds, gross, discounts, refunds, net_sales, orders, units, promo_depth; one row per
    day from the series' first day to the shop's last day (within the filters), zero-filled.
    With ALL_CURRENCIES the money columns add currencies up: read only the counts (promo_depth
    is then a ratio of mixed sums, weighted towards the larger currency unit)."""
    filters = filters or Filters()
    _validate("net_sales", level, key)
    currency, by_currency = resolve_currency(ws, currency, filters)
    where, params = filters.where()
    cur_filter = " AND o.currency = ?" if by_currency else ""
    cur_params: list[object] = [currency] if by_currency else []
    sql = _daily_sql(level, where, cur_filter)
    if level in ("total", "channel"):
        bound: list[object] | dict[str, object] = params + cur_params + ([key] if level == "channel" else [])
    else:
        # Named parameters for the key; the filter's positional ones are renamed to $p0...
        bound = {"key": key}
        for i, p in enumerate(params + cur_params):
            bound[f"p{i}"] = p
        sql = _positional_to_named(sql, len(params + cur_params))
    rows = ws.cursor().execute(sql, bound).fetchall()
    cols = ["ds", "gross", "discounts", "refunds", "orders", "units"]
    df = pd.DataFrame(rows, columns=cols)
    for c in cols[1:]:
        df[c] = df[c].astype("float64")
    df["ds"] = pd.to_datetime(df["ds"]).astype("datetime64[ns]")
    first, last = _shop_days(ws, where, params, cur_filter, cur_params)
    if df.empty or first is None or last is None:
        return _with_derived(df)
    # The shop's whole range for shop-wide series; a SKU or category starts with its first sale.
    start = pd.Timestamp(first) if level in ("total", "channel") else df["ds"].min()
    days = pd.date_range(min(start, df["ds"].min()), max(pd.Timestamp(last), df["ds"].max()), freq="D")
    df = df.set_index("ds").reindex(days, fill_value=0.0).rename_axis("ds").reset_index()
    return _with_derived(df)


def _positional_to_named(sql: str, n: int) -> str:
    out, i = [], 0
    for ch in sql:
        if ch == "?":
            out.append(f"$p{i}")
            i += 1
        else:
            out.append(ch)
    assert i == n, "parameter count mismatch"
    return "".join(out)


def _shop_days(ws: Workspace, where: str, params: list[object], cur_filter: str,
               cur_params: list[object]) -> tuple[date | None, date | None]:
    """The first and last day with any order (any kind or status) within the filters."""
    row = ws.cursor().execute(
        f"SELECT min(o.order_date), max(o.order_date) FROM orders o WHERE {where} {cur_filter}",
        params + cur_params).fetchone()
    return (row[0], row[1]) if row else (None, None)


def _with_derived(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    df["net_sales"] = df["gross"] - df["discounts"] - df["refunds"]
    g = df["gross"].where(df["gross"] > 0)
    df["promo_depth"] = (df["discounts"] / g).clip(lower=0.0, upper=0.95).fillna(0.0)
    return df[["ds", "gross", "discounts", "refunds", "net_sales", "orders", "units", "promo_depth"]]


def daily_series(ws: Workspace, metric: Metric = "net_sales", level: Level = "total",
                 key: str | None = None, filters: Filters | None = None, *,
                 currency: str | None = None) -> pd.DataFrame:
    """The daily series [ds, y] of `metric` (see the module docstring for the meanings);
    currency ALL_CURRENCIES (orders and units only): every order, whatever its currency."""
    _validate(metric, level, key)
    _check_counts(metric, currency)
    df = daily_frame(ws, level, key, filters, currency)
    return pd.DataFrame({"ds": df["ds"], "y": df[metric].astype("float64")})


def _check_counts(metric: str, currency: str | None) -> None:
    if currency == ALL_CURRENCIES and metric not in COUNT_METRICS:
        raise ValueError(f"{metric} adds money up: it needs one currency, not all of them")


def daily_promo_depth(ws: Workspace, level: Level = "total", key: str | None = None,
                      filters: Filters | None = None, *, currency: str | None = None) -> pd.DataFrame:
    """[ds, promo_depth]: the day's discounts / gross (0 on days without gross sales)."""
    df = daily_frame(ws, level, key, filters, currency)
    return df[["ds", "promo_depth"]].copy()


def list_keys(ws: Workspace, level: Level, filters: Filters | None = None, *,
              currency: str | None = None, limit: int | None = None) -> list[tuple[str, float]]:
    """Channels, categories or SKUs with their gross sales, largest first (units sold, with
    ALL_CURRENCIES: gross sales would add currencies up)."""
    if level not in ("channel", "category", "sku"):
        raise ForecastError(f"Level {level!r} has no keys.", key="forecast.bad_level", level=level)
    filters = filters or Filters()
    measure = "l.quantity" if currency == ALL_CURRENCIES else "l.unit_price * l.quantity"
    currency, by_currency = resolve_currency(ws, currency, filters)
    where, params = filters.where()
    cur_filter = " AND o.currency = ?" if by_currency else ""
    k = {"channel": "o.channel", "category": "coalesce(l.category, p.category)", "sku": "l.sku"}[level]
    sql = f"""
        WITH o AS (SELECT o.* FROM orders o WHERE {where} {cur_filter}),
        counted AS (SELECT * FROM o WHERE {COUNTED})
        SELECT {k.replace('o.', 'c.')} AS k, sum({measure})::DOUBLE AS gross
        FROM order_lines l JOIN counted c ON l.source = c.source AND l.order_id = c.order_id
        LEFT JOIN products p ON p.sku = l.sku
        WHERE l.line_type = 'product' AND k IS NOT NULL
        GROUP BY 1 ORDER BY 2 DESC, 1"""
    rows = ws.cursor().execute(sql, params + ([currency] if by_currency else [])).fetchall()
    out = [(str(r[0]), float(r[1] or 0.0)) for r in rows]
    return out[:limit] if limit else out


def sku_categories(ws: Workspace) -> dict[str, str]:
    """SKU → category (the line's own category, else the product catalogue's)."""
    rows = ws.cursor().execute("""
        SELECT l.sku, coalesce(max(l.category), max(p.category))
        FROM order_lines l LEFT JOIN products p ON p.sku = l.sku
        WHERE l.line_type = 'product' AND l.sku IS NOT NULL GROUP BY 1""").fetchall()
    return {str(s): str(c) for s, c in rows if c is not None}


def _orders_where(filters: Filters | None, currency: str | None) -> tuple[str, list[object]]:
    """The filters' condition on `orders o`, narrowed to one currency unless all are asked for."""
    where, params = (filters or Filters()).where()
    if currency and currency != ALL_CURRENCIES:
        return where + " AND o.currency = ?", [*params, currency]
    return where, list(params)


def shop_markets(ws: Workspace, filters: Filters | None = None, min_share: float = 0.05, *,
                 currency: str | None = None) -> tuple[str, ...]:
    """ISO codes of the markets with at least `min_share` of counted orders, largest first
    (only orders in `currency` when given).

    Chinese marketplace channels count as CN even when the country column is empty.
    """
    where, params = _orders_where(filters, currency)
    rows = ws.cursor().execute(
        f"SELECT o.country, lower(coalesce(o.channel, '')) AS ch, count(*) FROM orders o "
        f"WHERE {where} AND {COUNTED} GROUP BY 1, 2", params).fetchall()
    counts: dict[str, int] = {}
    total = 0
    for country, channel, n in rows:
        code = country_code(country)
        if code is None and any(c in channel for c in _CN_CHANNELS):
            code = "CN"
        total += n
        if code:
            counts[code] = counts.get(code, 0) + n
    if not total:
        return ()
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return tuple(c for c, n in ranked if n / total >= min_share)


def series_channels(ws: Workspace, level: Level = "total", key: str | None = None,
                    filters: Filters | None = None, *, currency: str | None = None) -> tuple[str, ...]:
    """The channels a series' orders come from (to pick the promotions that apply to it)."""
    if level == "channel" and key:
        return (key,)
    where, params = _orders_where(filters, currency)
    rows = ws.cursor().execute(
        f"SELECT DISTINCT o.channel FROM orders o WHERE {where} AND o.channel IS NOT NULL ORDER BY 1",
        params).fetchall()
    return tuple(str(r[0]) for r in rows)


def planned_promotions(ws: Workspace, channels: tuple[str, ...] | None = None) -> pd.DataFrame:
    """The workspace's promotion calendar: [name, start, end, discount_pct] (past and future),
    only promotions for `channels` (or for every channel) when given."""
    sql = ("SELECT coalesce(name, promo_id), start_date, coalesce(end_date, start_date), "
           "coalesce(discount_pct, 0)::DOUBLE FROM promotions WHERE start_date IS NOT NULL")
    params: list[object] = []
    if channels:
        sql += " AND (channel IS NULL OR channel IN (SELECT unnest(?::VARCHAR[])))"
        params.append(list(channels))
    rows = ws.cursor().execute(sql + " ORDER BY 2", params).fetchall()
    df = pd.DataFrame(rows, columns=["name", "start", "end", "discount_pct"])
    df["start"] = pd.to_datetime(df["start"])
    df["end"] = pd.to_datetime(df["end"])
    # Calendars write 20 for 20 %; depths are fractions.
    df["discount_pct"] = df["discount_pct"].where(df["discount_pct"] <= 1.0, df["discount_pct"] / 100.0)
    return df


def recent_by_sku(ws: Workspace, metric: Metric, days: int = 56, filters: Filters | None = None, *,
                  currency: str | None = None) -> dict[str, float]:
    """Each SKU's recent weight over the shop's last `days` days: gross sales for net_sales,
    quantity for units, orders containing it for orders (one query for every SKU)."""
    _validate(metric, "total", None)
    filters = filters or Filters()
    currency, by_currency = resolve_currency(ws, currency, filters)
    where, params = filters.where()
    cur_filter = " AND o.currency = ?" if by_currency else ""
    measure = {"net_sales": "sum(l.unit_price * l.quantity)", "units": "sum(l.quantity)",
               "orders": "count(DISTINCT (c.source, c.order_id))"}[metric]
    sql = f"""
        WITH o AS (SELECT o.* FROM orders o WHERE {where} {cur_filter}),
        counted AS (SELECT * FROM o WHERE {COUNTED}),
        last AS (SELECT max(order_date) AS d FROM o)
        SELECT l.sku, ({measure})::DOUBLE
        FROM order_lines l JOIN counted c ON l.source = c.source AND l.order_id = c.order_id
        WHERE l.line_type = 'product' AND l.sku IS NOT NULL
          AND c.order_date > (SELECT d FROM last) - CAST(? AS INTEGER)
        GROUP BY 1"""
    rows = ws.cursor().execute(sql, params + ([currency] if by_currency else []) + [days]).fetchall()
    return {str(s): max(0.0, float(v or 0.0)) for s, v in rows}


@dataclass(frozen=True, eq=False)
class SeriesContext:
    """What a forecast of one series reads from the workspace: the daily frame (every metric
    plus `promo_depth`), the currency it is in, the shop's markets (for holidays and
    festivals) and the promotion calendar of the series' channels."""

    frame: pd.DataFrame
    currency: str | None
    markets: tuple[str, ...]
    calendar: pd.DataFrame

    every_currency: bool = False  # built with ALL_CURRENCIES: counts only

    def series(self, metric: Metric) -> pd.DataFrame:
        """[ds, y] of one metric."""
        _check_counts(metric, ALL_CURRENCIES if self.every_currency else None)
        return pd.DataFrame({"ds": self.frame["ds"], "y": self.frame[metric]})

    def promotions(self) -> pd.DataFrame:
        """[ds, promo_depth]: the discount depth of each past day."""
        return self.frame[["ds", "promo_depth"]].copy()


def series_context(ws: Workspace, level: Level, key: str | None, filters: Filters,
                   currency: str | None = None) -> SeriesContext:
    """The inputs the CLI's `forecast` and the Forecast page both assemble (one definition)."""
    frame = daily_frame(ws, level, key, filters, currency)
    every = currency == ALL_CURRENCIES
    currency, _ = resolve_currency(ws, currency, filters)
    markets = shop_markets(ws, filters, currency=currency)
    calendar = planned_promotions(ws, series_channels(ws, level, key, filters, currency=currency))
    return SeriesContext(frame, currency, tuple(markets), calendar, every)
