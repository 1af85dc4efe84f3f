"""Shoplens traffic template (CSV/XLSX a user fills in): one row per day and channel.

Headers: date,channel,sessions,visitors,add_to_cart,checkouts. Dates are ISO (2025-03-01,
or 2025/03/01); counts are whole numbers ≥ 0. A later row for the same day and channel wins,
and re-loading a corrected file replaces those days.
"""
from lib.ingest.formats.base import ExportFormat, Field

DATES = ("%Y-%m-%d", "%Y/%m/%d", "%Y-%m-%d %H:%M:%S")
COUNTS = ("sessions", "visitors", "add_to_cart", "checkouts")

FORMAT = ExportFormat(
    id="shoplens_traffic",
    label="Shoplens traffic template",
    source="shoplens",
    signature=("date", "channel", "sessions"),
    fields={
        "day": Field("date", kind="date", required=True, formats=DATES),
        "channel": Field("channel", required=True),
        **{c: Field(c, kind="int") for c in COUNTS},
    },
    checks=tuple((c, f"{c} < 0", f"{c} cannot be negative") for c in COUNTS),
    outputs={
        "traffic": """
            SELECT day AS "date", channel, sessions, visitors, add_to_cart, checkouts, _rec
            FROM pv""",
    },
)
