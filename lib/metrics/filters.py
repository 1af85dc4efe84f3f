"""The global filters (date range, channels, platforms, currency, exchange rates) and the
currency plan they resolve to.

Money never adds different currencies. With one currency in scope nothing is converted. With
several, a chosen currency is shown either alone or, when `convert` is on and every currency
has a rate, with the others converted into it (rates: the workspace's `fx_rates`, US dollars
per unit, overridden by rates the user typed in this session; USD is 1 when not listed).
Without a chosen currency, several currencies convert to USD when rates exist; otherwise the
request is refused with a message saying what to do.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from lib.errors import ShoplensError
from lib.workspace import Workspace

# The groupings `lib.cli kpis --by` offers (here, not in export.py, so the CLI can build its
# argument parser without importing pandas: `ingest` never needs it).
BY_CHOICES = ("channel", "category", "month", "platform", "country", "week", "day", "product")

COUNTED = ("o.kind = 'sale' AND o.cancelled_at IS NULL AND coalesce(o.status, '') <> 'cancelled' "
           "AND NOT coalesce(o.is_test, false)")


def gross_rows(orders: str) -> str:
    """SQL relation whose `gross` adds up to each order's gross sales as the fact tables count
    them, for the orders of relation `orders` (a CTE or table name): a row per product line
    (unit price × quantity, `units` its quantity), plus a row per order exported without lines
    that has an item total (`items_gross`, Etsy's Sold Orders; `units` NULL). Every row carries
    its order's columns. Line gross alone made such a shop's net sales its discounts with a
    minus sign. (Rows, not an order-level join: 0.03 s more than lines alone at 1M lines, a
    join to per-order sums 0.27 s.)"""
    return f"""(SELECT o.*, l.unit_price * l.quantity AS gross, l.quantity AS units
        FROM order_lines l JOIN {orders} o ON l.source = o.source AND l.order_id = o.order_id
        WHERE l.line_type = 'product'
        UNION ALL
        SELECT o.*, o.items_gross, NULL FROM {orders} o
        WHERE o.items_gross IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM order_lines l WHERE l.source = o.source AND l.order_id = o.order_id
              AND l.line_type = 'product'))"""


@dataclass(frozen=True)
class Filters:
    """The global filters every page and the CLI apply."""

    start: date | None = None
    end: date | None = None
    channels: tuple[str, ...] = ()
    currency: str | None = None
    platforms: tuple[str, ...] = ()
    convert: bool = True
    # (currency, US dollars per unit) typed by the user; they win over the workspace's fx_rates
    rates: tuple[tuple[str, float], ...] = ()

    def where(self, alias: str = "o") -> tuple[str, list[object]]:
        """SQL condition over an orders alias, with its bound parameters."""
        parts, params = self._conditions(alias, "order_date", self.start)
        return " AND ".join(["true", *parts]), params

    def facts_where(self, alias: str = "m", *, history: bool = False) -> tuple[list[str], list[object]]:
        """SQL conditions over a metrics fact table (day column `d`), with their bound
        parameters; `history`: every day up to `end`, ignoring `start`."""
        return self._conditions(alias, "d", None if history else self.start)

    def _conditions(self, alias: str, day: str, start: date | None) -> tuple[list[str], list[object]]:
        parts, params = [], []  # type: list[str], list[object]
        if start:
            parts.append(f"{alias}.{day} >= ?")
            params.append(start)
        if self.end:
            parts.append(f"{alias}.{day} <= ?")
            params.append(self.end)
        if self.channels:
            parts.append(f"{alias}.channel IN (SELECT unnest(?::VARCHAR[]))")
            params.append(list(self.channels))
        if self.platforms:
            parts.append(f"{alias}.source IN (SELECT unnest(?::VARCHAR[]))")
            params.append(list(self.platforms))
        return parts, params


def currencies(ws: Workspace, filters: Filters | None = None) -> list[str]:
    """The currencies of the orders the filters select (currency itself not applied)."""
    filters = filters or Filters()
    where, params = filters.where()
    rows = ws.cursor().execute(
        f"SELECT DISTINCT currency FROM orders o WHERE {where} AND currency IS NOT NULL ORDER BY 1",
        params,
    ).fetchall()
    return [r[0] for r in rows]


def workspace_rates(ws: Workspace, filters: Filters | None = None) -> dict[str, Decimal]:
    """US dollars per unit of each currency: the workspace's table, then the user's overrides."""
    rates = {str(c).upper(): Decimal(str(r)) for c, r in
             ws.cursor().execute("SELECT currency, rate_to_usd FROM fx_rates").fetchall()
             if r is not None and r > 0}
    for cur, rate in (filters.rates if filters else ()):
        if rate and float(rate) > 0:
            rates[str(cur).upper()] = Decimal(str(rate))
    rates.setdefault("USD", Decimal(1))
    return rates


def save_workspace_rates(ws: Workspace, rates: tuple[tuple[str, float], ...]) -> int:
    """Keep typed rates (US dollars per unit) in the workspace's fx_rates, replacing those
    currencies' rows, so they outlive the session; returns how many were saved. A rate
    entered by hand belongs to no import (batch_id NULL): undoing an import keeps it."""
    clean: list[tuple[str, Decimal]] = []
    for cur, rate in rates:
        code = str(cur).strip().upper()
        value = Decimal(str(rate)) if rate is not None else Decimal(0)
        if not is_currency_code(code) or not value.is_finite() or value <= 0:
            raise ShoplensError(f"“{cur}” at {rate} is not a rate that can be kept: a three-letter "
                                "currency code and a rate above zero are needed.",
                                key="sidebar.bad_rate", currency=str(cur), rate=str(rate))
        clean.append((code, value))
    with ws.transaction() as cur:
        for code, value in clean:
            cur.execute("DELETE FROM fx_rates WHERE currency = ?", [code])
            cur.execute("INSERT INTO fx_rates (currency, rate_to_usd, batch_id) VALUES (?, ?, NULL)",
                        [code, value])
    return len(clean)


def home_currency(ws: Workspace) -> str | None:
    """The workspace's main currency: the one most orders are in."""
    row = ws.cursor().execute(
        "SELECT currency FROM orders WHERE currency IS NOT NULL GROUP BY 1 "
        "ORDER BY count(*) DESC, currency LIMIT 1").fetchone()
    return row[0] if row else None


@dataclass(frozen=True)
class CurrencyPlan:
    """How money in scope becomes one currency.

    `order_rates` None: no conversion (`only` restricts orders to one currency, or there is a
    single currency and nothing is restricted). Otherwise: factor per currency into `target`;
    orders in a currency without a rate are left out (`excluded`).
    """

    target: str | None
    only: str | None
    order_rates: tuple[tuple[str, float], ...] | None
    rates: tuple[tuple[str, Decimal], ...]
    found: tuple[str, ...]

    @property
    def excluded(self) -> tuple[str, ...]:
        """Currencies in scope whose orders are not counted (no rate, or not the one shown)."""
        if self.order_rates is not None:
            have = {c for c, _ in self.order_rates}
            return tuple(c for c in self.found if c not in have)
        if self.only is not None:
            return tuple(c for c in self.found if c != self.only)
        return ()

    def order_factor_sql(self, column: str) -> str:
        """SQL multiplying an amount in the currency held by `column` into `target`: "1"
        when nothing is converted or restricted, else a CASE that is NULL for the currencies
        left out (leave NULL amounts out of sums)."""
        if self.order_rates is not None:
            return factor_case(column, dict(self.order_rates))
        if self.only is not None:
            return factor_case(column, {self.only: 1.0})
        return "1"

    def factor(self, currency: str) -> Decimal | float | None:
        """Multiply an amount in `currency` by this to get `target` (None: no rate)."""
        if self.target is None or currency == self.target:
            return Decimal(1)
        rates = dict(self.rates)
        if currency in rates and self.target in rates:
            return float(rates[currency]) / float(rates[self.target])
        return None


_CODE = re.compile(r"^[A-Z]{3}$")


def factor_case(column: str, factors: dict[str, float]) -> str:
    """CASE <column> WHEN 'USD' THEN 1.0 ... END over validated 3-letter codes and floats we
    computed (no user text reaches SQL; a currency outside the list converts to NULL)."""
    arms = " ".join(f"WHEN '{c}' THEN {float(f)!r}::DOUBLE" for c, f in sorted(factors.items())
                    if _CODE.match(c) and f is not None)
    return f"CASE {column} {arms} END" if arms else "NULL"


def is_currency_code(code: str) -> bool:
    return bool(_CODE.match(code))


def mixed_currency_error(found: list[str]) -> ShoplensError:
    return ShoplensError(
        f"This workspace has several currencies ({', '.join(found)}). Choose one, or "
        "enter exchange rates so they can be converted.",
        key="kpi.mixed_currency", currencies=", ".join(found))


def resolve_plan(ws: Workspace, filters: Filters, found: list[str]) -> CurrencyPlan:
    """The plan for `filters` given the currencies `found` in scope (see the module doc)."""
    rates = workspace_rates(ws, filters)
    target = filters.currency
    if target and target not in found and not (filters.convert and set(found) | {target} <= set(rates)):
        found = [target]  # nothing in scope can be shown in that currency
    rate_items = tuple(sorted(rates.items()))
    if target is None:
        if len(found) <= 1:
            return CurrencyPlan(found[0] if found else None, None, None, rate_items, tuple(found))
        if not filters.convert or not set(found) <= set(rates):
            raise mixed_currency_error(found)
        target = "USD"
    convertible = set(found) | {target} <= set(rates)
    if filters.convert and convertible and set(found) - {target}:
        factors = tuple((c, float(r) / float(rates[target])) for c, r in rate_items)
        return CurrencyPlan(target, None, factors, rate_items, tuple(found))
    return CurrencyPlan(target, target, None, rate_items, tuple(found))


@dataclass(frozen=True)
class FilterOptions:
    """What the sidebar offers beyond dates and channels: platforms, currencies and rates."""

    platforms: tuple[str, ...]
    currencies: tuple[str, ...]
    home: str | None
    rates: dict[str, Decimal]  # the workspace's fx_rates (US dollars per unit)


def filter_options(ws: Workspace) -> FilterOptions:
    cur = ws.cursor()
    platforms = tuple(r[0] for r in cur.execute(
        "SELECT DISTINCT source FROM orders WHERE source IS NOT NULL ORDER BY 1").fetchall())
    found = tuple(currencies(ws))
    rates = {str(c).upper(): Decimal(str(r)) for c, r in
             cur.execute("SELECT currency, rate_to_usd FROM fx_rates").fetchall() if r}
    return FilterOptions(platforms, found, home_currency(ws), rates)
