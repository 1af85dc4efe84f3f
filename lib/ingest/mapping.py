"""Generic files: the user says which column is what; the mapping is saved per header layout.

A mapping becomes an `ExportFormat` like any built-in one, so the same parser, validation and
rejection rules apply to a hand-mapped file.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Literal
from zoneinfo import available_timezones

from lib.errors import FileRefused, Problem, ShoplensError
from lib.ingest.formats.base import ExportFormat, Field, first_value
from lib.ingest.reader import normalize_header

if TYPE_CHECKING:
    from lib.workspace import Workspace

# Roles a user can map, in the order the mapping form shows them.
ROLES: tuple[str, ...] = (
    "order_id", "order_date", "sku", "product_name", "quantity", "unit_price", "line_total",
    "order_total", "customer", "status", "currency", "country", "discount", "shipping", "refund",
)
# A mapped status as written, except a cancellation in any usual spelling, which becomes the
# canonical 'cancelled' the metrics count (the file's 'Cancelled' or 'canceled' would not be).
_STATUS = (f"CASE WHEN lower(trim({first_value('status')})) IN ('cancelled', 'canceled', '已取消', "
           f"'取消') THEN 'cancelled' ELSE {first_value('status')} END")
REQUIRED_ROLES = ("order_id", "order_date")
DATE_FORMATS = (
    "%Y-%m-%d %H:%M:%S %z", "%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%d", "%Y/%m/%d", "%Y%m%d",
    # Amazon's report pages and other US tools: `Mar 10, 2024 1:59:00 AM PST` (B16)
    "%b %d, %Y %I:%M:%S %p %Z", "%b %d, %Y %I:%M:%S %p", "%b %d, %Y",
)
DAY_FIRST = ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y")
MONTH_FIRST = ("%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M", "%m/%d/%Y", "%m/%d/%y")
# A date whose first two numbers could each be the day or the month: 01/02/2024, 13.01.2024
_DAY_OR_MONTH = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-]\d{2,4}(?!\d)")
DATE_SAMPLE_ROWS = 100_000  # enough to meet a day after the 12th in any real export

DATE_ORDER_OPEN = "ingest.date_order"  # FileRefused key: the mapping must say the order
DateOrder = Literal["day_first", "month_first", "either", "both", "no_such_dates"]


def date_order(values: Iterable[str | None]) -> tuple[DateOrder, str | None, str | None]:
    """Which way a column writes dd/mm vs mm/dd dates, judged from the values themselves: a
    number over 12 can only be the day, so 13/01 is day first and 01/13 month first. Returns
    the order and an example of each way found (day first, month first)."""
    seen_any, day_ex, month_ex = False, None, None
    for value in values:
        m = _DAY_OR_MONTH.match(value or "")
        if not m:
            continue
        seen_any = True
        a, b = int(m[1]), int(m[2])
        if a > 12 and b <= 12 and day_ex is None:
            day_ex = m.string.strip()
        elif b > 12 and a <= 12 and month_ex is None:
            month_ex = m.string.strip()
        if day_ex and month_ex:
            return "both", day_ex, month_ex
    if day_ex:
        return "day_first", day_ex, None
    if month_ex:
        return "month_first", None, month_ex
    return ("either" if seen_any else "no_such_dates"), None, None


def header_fingerprint(header: tuple[str, ...] | list[str]) -> str:
    """Identifies a layout by its normalised header list (order matters: it is the layout)."""
    joined = "\x1f".join(normalize_header(h) for h in header)
    return hashlib.sha256(joined.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class GenericMapping:
    """role -> header name, plus the choices a header cannot tell us."""

    columns: dict[str, str]
    name: str = "Custom layout"
    # True: 31/12/2024; False: 12/31/2024; None: decided from the file's dates when it is
    # loaded (resolve_date_order), refused when they could be read either way
    day_first: bool | None = None
    currency: str | None = None
    # IANA name the file's times without an offset are in; None: the workspace's time zone
    # (set when the file is loaded, lib.ingest.load._resolve_format).
    timezone: str | None = None
    source: str = "custom"
    notes: tuple[str, ...] = field(default_factory=tuple)

    def validate(self, header: tuple[str, ...]) -> None:
        missing = [r for r in REQUIRED_ROLES if not self.columns.get(r)]
        if missing:
            raise ShoplensError(f"Map a column to: {', '.join(missing)}.", key="mapping.missing",
                                roles=", ".join(missing))
        present = {normalize_header(h) for h in header}
        unknown = [h for h in self.columns.values() if h and normalize_header(h) not in present]
        if unknown:
            raise ShoplensError(f"These columns are not in the file: {', '.join(unknown)}.",
                                key="mapping.unknown_columns", columns=", ".join(unknown))
        if not (self.columns.get("line_total") or self.columns.get("unit_price")
                or self.columns.get("order_total")):
            raise ShoplensError("Map at least one amount: line total, unit price or order total.",
                                key="mapping.no_amount")
        if self.timezone is not None and self.timezone != "UTC" and self.timezone not in available_timezones():
            raise ShoplensError(f"Unknown time zone “{self.timezone}”: use a name like "
                                "'Asia/Shanghai' or 'Europe/London', or leave it out to use the "
                                "workspace's.", key="mapping.bad_timezone", timezone=self.timezone)

    def resolve_date_order(self, header: tuple[str, ...], display: str,
                           column_values: Callable[[int], Iterable[str | None]]) -> GenericMapping:
        """This mapping with `day_first` decided from the order-date column's values (via
        `column_values(column index)`) when the user left it open (RELIABILITY B14): a date
        the file writes one way only decides; dates that fit both ways refuse the file,
        never a silent guess."""
        wanted = normalize_header(self.columns.get("order_date") or "")
        if self.day_first is not None or not wanted:
            return self
        index = next((i for i, h in enumerate(header) if normalize_header(h) == wanted), None)
        if index is None:
            return self  # validate() says which column is missing
        order, day_ex, month_ex = date_order(column_values(index))
        if order == "either":
            problem = Problem(file=display, reason="its dates (like 01/02/2024) read as day first "
                                                   "or month first, and none of them tells which",
                              hint="Say how the dates are written in the mapping (Data page: the "
                                   "date order; a mapping file: \"day_first\": true or false).")
        elif order == "both":
            problem = Problem(file=display, reason=f"its dates are written both day first "
                                                   f"({day_ex}) and month first ({month_ex})",
                              hint="Choose the order most rows use in the mapping: the other "
                                   "rows are then rejected with their line.")
        else:
            return replace(self, day_first=order == "day_first")
        raise FileRefused(problem, key=DATE_ORDER_OPEN)

    def to_format(self, header: tuple[str, ...]) -> ExportFormat:
        self.validate(header)
        c = self.columns
        dates = DATE_FORMATS + (DAY_FIRST if self.day_first else MONTH_FIRST)  # None: no d/m dates
        kinds = {"order_id": "id", "order_date": "timestamp", "sku": "id", "quantity": "number",
                 "unit_price": "money", "line_total": "money", "order_total": "money",
                 "discount": "money", "shipping": "money", "refund": "money"}
        fields = {
            role: Field(c[role], kind=kinds.get(role, "text"),  # type: ignore[arg-type]
                        required=role in REQUIRED_ROLES,
                        formats=dates if role == "order_date" else ())
            for role in ROLES if c.get(role)
        }
        has = set(fields)
        qty = "coalesce(quantity, 1)" if "quantity" in has else "1"
        price = ("unit_price" if "unit_price" in has else
                 f"line_total / nullif({qty}, 0)" if "line_total" in has else "NULL")
        line_total = "line_total" if "line_total" in has else (
            f"unit_price * {qty}" if "unit_price" in has else "NULL")
        cur = "currency" if "currency" in has else "NULL::VARCHAR"
        lines = f"""
            SELECT order_id, row_number() OVER (PARTITION BY order_id ORDER BY _rec) AS line_no,
                   'product' AS line_type, {'sku' if 'sku' in has else 'NULL'} AS sku,
                   {'product_name' if 'product_name' in has else 'NULL'} AS product_name,
                   {qty} AS quantity, {price} AS unit_price, {line_total} AS line_total,
                   {cur} AS currency
            FROM pv"""
        refunded = f"coalesce({first_value('refund')}, 0)" if "refund" in has else "0"
        order_total = (first_value("order_total") if "order_total" in has
                       else f"sum({line_total})")
        orders = f"""
            SELECT order_id, 'sale' AS kind, min(order_date) AS created_at,
                   CAST(min(order_date_local) AS DATE) AS order_date,
                   {first_value('sl_hash(customer)') if 'customer' in has else 'NULL'} AS customer_id,
                   {_STATUS if 'status' in has else 'NULL'} AS status,
                   {first_value('currency') if 'currency' in has else 'NULL'} AS currency,
                   {first_value('country') if 'country' in has else 'NULL'} AS country,
                   sum({line_total}) AS subtotal,
                   {first_value('discount') if 'discount' in has else '0'} AS discount,
                   {first_value('shipping') if 'shipping' in has else '0'} AS shipping,
                   {order_total} AS total,
                   {refunded} AS refunded
            FROM pv GROUP BY order_id"""
        sel_source = self.source
        return ExportFormat(
            id="generic", label=self.name, source=sel_source, signature=(),
            fields=fields, order_key="order_id", timezone=self.timezone or "UTC",
            # what the file can say: refunds in a refund column, cancellations in a status
            records=frozenset(k for k, role in (("refunds", "refund"), ("cancellations", "status"))
                              if role in has),
            outputs={"orders": _with_constants(orders, sel_source, self.currency),
                     "order_lines": _with_constants(lines, sel_source, self.currency)},
        )

    def to_json(self) -> str:
        return json.dumps({"columns": self.columns, "name": self.name, "day_first": self.day_first,
                           "currency": self.currency, "timezone": self.timezone})

    @classmethod
    def from_json(cls, text: str) -> "GenericMapping":
        """A mapping from its JSON (a saved template, or a mapping file for the CLI); a text
        that is not one raises ShoplensError saying what is wrong."""
        try:
            d = json.loads(text)
            columns = d["columns"]
            if not isinstance(columns, dict) or not all(isinstance(v, str) for v in columns.values()):
                raise TypeError("columns")
            return cls(columns=dict(columns), name=str(d.get("name") or "Custom layout"),
                       day_first=None if d.get("day_first") is None else bool(d["day_first"]),
                       currency=d.get("currency"), timezone=d.get("timezone"))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ShoplensError(
                "The mapping is not valid: it must be a JSON object whose \"columns\" pairs each "
                "role with a column of the file, such as \"order_id\": \"OrderNo\" (see the "
                f"README; {type(exc).__name__}).", key="mapping.bad_json") from None


def _with_constants(select: str, source: str, currency: str | None) -> str:
    """Wrap a SELECT to add source/channel and a default currency as validated literals."""
    if not source.isidentifier():
        raise ShoplensError("A layout's source name may only use letters, digits and _.")
    cur = "NULL"
    if currency:
        if not (len(currency) == 3 and currency.isalpha()):
            raise ShoplensError("Currency must be a 3-letter code such as USD or CNY.",
                                key="mapping.bad_currency")
        cur = f"'{currency.upper()}'"
    return (f"SELECT q.* EXCLUDE (currency), coalesce(q.currency, {cur}) AS currency, "
            f"'{source}' AS source, '{source}' AS channel FROM ({select}) q")


def save_template(ws: "Workspace", header: tuple[str, ...], mapping: GenericMapping) -> str:
    """Remember `mapping` for files with exactly this header layout."""
    mapping.validate(header)
    fp = header_fingerprint(header)
    ws.cursor().execute(
        "INSERT OR REPLACE INTO mapping_templates VALUES (?, ?, ?, ?)",
        [fp, mapping.name, mapping.to_json(), datetime.now(timezone.utc)],
    )
    return fp


def find_template(ws: "Workspace", fingerprint: str) -> GenericMapping | None:
    row = ws.cursor().execute(
        "SELECT mapping_json FROM mapping_templates WHERE fingerprint = ?", [fingerprint]
    ).fetchone()
    return GenericMapping.from_json(row[0]) if row else None


def suggest_mapping(header: tuple[str, ...]) -> dict[str, str]:
    """A first guess per role from common header words (English and Chinese)."""
    hints = {  # refund first: 'Refund amount' must not become the line total's 'amount'
        "refund": ("refund", "退款"),
        "order_id": ("order id", "order number", "order no", "order", "invoice", "订单号", "订单编号"),
        "order_date": ("order date", "date", "created", "time", "下单时间", "日期", "创建时间"),
        "sku": ("sku", "product code", "item code", "stockcode", "商家编码", "货号"),
        "product_name": ("product", "item", "title", "description", "商品", "标题"),
        "quantity": ("quantity", "qty", "units", "数量"),
        "unit_price": ("unit price", "price", "单价", "价格"),
        "line_total": ("line total", "amount", "subtotal", "金额"),
        "order_total": ("order total", "total", "总金额", "实付"),
        "customer": ("customer", "email", "buyer", "客户", "买家"),
        "status": ("status", "状态"),
        "currency": ("currency", "币种"),
        "country": ("country", "国家"),
    }
    out: dict[str, str] = {}
    used: set[str] = set()
    for role, words in hints.items():
        for w in words:
            hit = next((h for h in header if h not in used and w in normalize_header(h)), None)
            if hit:
                out[role] = hit
                used.add(hit)
                break
    return out
