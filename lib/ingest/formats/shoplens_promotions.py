"""Shoplens promotions template: one promotion per row.

Headers: promo_id,name,start_date,end_date,discount_code,discount_pct,channel. Dates are ISO
and end_date may not be before start_date. discount_pct is in percent points, 0–100: `15`
and `15%` both mean 15 % (an Excel percentage cell read from .xlsx arrives as 0.15 and would
mean 0.15 %: type the number). A later row with the same promo_id wins.
"""
from lib.ingest.formats.base import ExportFormat, Field

DATES = ("%Y-%m-%d", "%Y/%m/%d", "%Y-%m-%d %H:%M:%S")
PCT = "sl_num(replace(pct_text, '%', ''))"

FORMAT = ExportFormat(
    id="shoplens_promotions",
    label="Shoplens promotions template",
    source="shoplens",
    signature=("promo_id", "start_date", "end_date"),
    fields={
        "promo_id": Field("promo_id", kind="id", required=True),
        "name": Field("name"),
        "start_date": Field("start_date", kind="date", required=True, formats=DATES),
        "end_date": Field("end_date", kind="date", required=True, formats=DATES),
        "discount_code": Field("discount_code"),
        "pct_text": Field("discount_pct"),
        "channel": Field("channel"),
    },
    checks=(
        ("end_date", "end_date < start_date", "end_date is before start_date"),
        ("pct_text", f"pct_text IS NOT NULL AND coalesce({PCT} NOT BETWEEN 0 AND 100, true)",
         "discount_pct must be a percentage from 0 to 100"),
    ),
    outputs={
        "promotions": f"""
            SELECT promo_id, name, start_date, end_date, discount_code,
                   {PCT} AS discount_pct, channel, _rec
            FROM pv""",
    },
)
