"""Shoplens exchange-rate template: one currency per row.

Headers: currency,rate_to_usd. rate_to_usd is US dollars per one unit of the currency (CNY
≈ 0.14, USD = 1), > 0; currency is a 3-letter ISO code, stored upper-case. A later row for
the same currency wins.
"""
from lib.ingest.formats.base import ExportFormat, Field

FORMAT = ExportFormat(
    id="shoplens_fx",
    label="Shoplens exchange rates template",
    source="shoplens",
    signature=("currency", "rate_to_usd"),
    fields={
        "currency": Field("currency", required=True),
        "rate_to_usd": Field("rate_to_usd", kind="number", required=True),
    },
    checks=(
        ("currency", "NOT regexp_full_match(currency, '[A-Za-z]{3}')",
         "currency must be a 3-letter code such as CNY"),
        ("rate_to_usd", "rate_to_usd <= 0", "rate_to_usd must be greater than 0"),
    ),
    outputs={"fx_rates": "SELECT upper(currency) AS currency, rate_to_usd, _rec FROM pv"},
)
