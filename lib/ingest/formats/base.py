"""What a known export format is: its header signature, its fields, and how rows map to tables.

A format never sees raw header names in SQL. It declares `Field`s (which header, which kind of
value); the engine parses them into a temp table `p` with the format's own internal names and
rejects the rows that do not parse. The format then maps `p` to canonical tables with SQL that
only uses those internal names.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from lib.workspace import RECORDS_ALL, Recorded

Kind = Literal["text", "id", "money", "number", "int", "timestamp", "date", "bool"]


@dataclass(frozen=True)
class Field:
    """One input column: header alternatives (matched normalised), its kind, whether required.

    For timestamps, `formats` are strptime patterns tried in order; a pattern with `%z` keeps
    the export's offset, one without is read in the format's time zone.
    """

    headers: tuple[str, ...]
    kind: Kind = "text"
    required: bool = False
    formats: tuple[str, ...] = ()

    def __init__(self, *headers: str, kind: Kind = "text", required: bool = False,
                 formats: tuple[str, ...] = ()) -> None:
        object.__setattr__(self, "headers", headers)
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "required", required)
        object.__setattr__(self, "formats", formats)


@dataclass(frozen=True)
class ExportFormat:
    """A known layout. `signature` headers must all be present for detection."""

    id: str
    label: str  # product name of the export, shown to the user (not translated: a proper noun)
    source: str  # platform key stored in orders.source
    signature: tuple[str, ...]
    fields: dict[str, Field]
    # canonical table -> SELECT over `pv` (the valid parsed rows, internal names only) or, for
    # formats with an order key, `pv_head` (one row per order: its first non-null values)
    outputs: dict[str, str]
    order_key: str | None = None  # a field name; rows of one order are accepted or rejected together
    # Fields that only need a value on one row of each order (Shopify puts them on the first).
    order_required: tuple[str, ...] = ()
    timezone: str = "UTC"  # for timestamps without an offset
    decimal_comma: bool = False
    notes: tuple[str, ...] = field(default_factory=tuple)
    # Row checks beyond "does it parse": (field name, SQL condition over parsed fields in `p`
    # that marks a row bad, reason shown to the user). Checked in order, after parsing; the
    # rejection names the field's column and shows its raw value.
    checks: tuple[tuple[str, str, str], ...] = ()
    # Which of refunds and cancellations the export records at all (`lib.workspace.Recorded`).
    records: frozenset[Recorded] = RECORDS_ALL

    @property
    def kind(self) -> str:
        return "orders" if "orders" in self.outputs or "order_lines" in self.outputs else next(
            iter(self.outputs)
        )


# Shared SQL snippets used by many formats (internal names only).
def first_value(col: str) -> str:
    """The first non-null value of `col` in file order within the group (order-level fields)."""
    return f"arg_min({col}, _rec) FILTER (WHERE {col} IS NOT NULL)"


def distinct_codes(col: str) -> str:
    """`A;A;B` → `A;B` (order kept, parts trimmed): Etsy writes an order's coupon once per
    discount it gave ('AUGUST2021;AUGUST2021' with '% off;% off'), one code for the shop."""
    parts = f"list_transform(string_split({col}, ';'), lambda x: trim(x))"
    return (f"nullif(array_to_string(list_filter({parts}, "
            f"lambda x, i: x <> '' AND list_position({parts}, x) = i), ';'), '')")


LINE_TYPE_PRODUCT = "'product'"


CN_PROVINCES = (
    "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽",
    "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西",
    "甘肃", "青海", "台湾", "内蒙古", "广西", "西藏", "宁夏", "新疆", "香港", "澳门",
)


def cn_province(col: str) -> str:
    """The province-level division an address starts with, as its short name ('浙江'), or NULL.

    Only a name from the fixed list can come out, so no street, number or person ever does.
    """
    return f"nullif(regexp_extract({col}, '^\\s*({'|'.join(CN_PROVINCES)})', 1), '')"


def absent_from(fmt_id: str, source: str, order_id: str) -> str:
    """SQL condition: the workspace has no `source` order `order_id` written by format `fmt_id`.

    Lets a poorer export of the same orders (Etsy order items, WooCommerce Analytics) add the
    orders it is the only source of without replacing the richer rows another format loaded.
    `fmt_id` and `source` are format constants, never user input.
    """
    return (
        "NOT EXISTS (SELECT 1 FROM orders w JOIN imports i ON i.batch_id = w.batch_id "
        f"WHERE w.source = '{source}' AND w.order_id = {order_id} AND i.format = '{fmt_id}')"
    )
