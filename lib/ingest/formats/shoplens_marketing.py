"""Shoplens marketing template: one row per day, channel and campaign.

Headers: date,channel,campaign,spend,impressions,clicks,attributed_revenue. Dates are ISO;
spend and attributed_revenue are amounts in the store's currency; counts are whole numbers;
nothing may be negative. A later row for the same day, channel and campaign wins.
"""
from lib.ingest.formats.base import ExportFormat, Field

DATES = ("%Y-%m-%d", "%Y/%m/%d", "%Y-%m-%d %H:%M:%S")
NON_NEGATIVE = ("spend", "impressions", "clicks", "attributed_revenue")

FORMAT = ExportFormat(
    id="shoplens_marketing",
    label="Shoplens marketing template",
    source="shoplens",
    signature=("date", "channel", "campaign", "spend"),
    fields={
        "day": Field("date", kind="date", required=True, formats=DATES),
        "channel": Field("channel", required=True),
        "campaign": Field("campaign", required=True),
        "spend": Field("spend", kind="money"),
        "impressions": Field("impressions", kind="int"),
        "clicks": Field("clicks", kind="int"),
        "attributed_revenue": Field("attributed_revenue", kind="money"),
    },
    checks=tuple((c, f"{c} < 0", f"{c} cannot be negative") for c in NON_NEGATIVE),
    outputs={
        "marketing": """
            SELECT day AS "date", channel, campaign, spend, impressions, clicks,
                   attributed_revenue, _rec
            FROM pv""",
    },
)
