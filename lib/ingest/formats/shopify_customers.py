"""Shopify Admin › Customers › Export, old (2022: First Name first, Province/Country) and new
(2024+: `Customer ID` first, `Default Address *` columns) headers.

The customer key is `sl_hash(Email)`, the same salted hash the Shopify orders format uses, so
customers join their orders; a customer without an e-mail is keyed by
`sl_hash('shopify-customer:' || Customer ID)` (new header only; old-header rows without an
e-mail are skipped). Quirks: `Customer ID` and phones carry a leading `'` (Excel guard);
Total Spent is in the shop currency, which the export does not name (`currency` NULL).
Names, e-mails, phones, companies and addresses are never read into the workspace.
"""
from lib.ingest.formats.base import ExportFormat, Field

FORMAT = ExportFormat(
    id="shopify_customers",
    label="Shopify customers export",
    source="shopify",
    signature=("Email", "Accepts Email Marketing", "Total Spent", "Total Orders"),
    fields={
        "shopify_customer_id": Field("Customer ID", kind="id"),
        "email": Field("Email"),
        "accepts_marketing": Field("Accepts Email Marketing", kind="bool"),
        "country": Field("Default Address Country Code", "Country Code", "Country"),
        "region": Field("Default Address Province Code", "Province Code", "Province"),
        "total_spent": Field("Total Spent", kind="money"),
        "total_orders": Field("Total Orders", kind="int"),
        "tags": Field("Tags"),
    },
    outputs={
        "customers": """
            SELECT _rec, 'shopify' AS source,
                   coalesce(sl_hash(email),
                            sl_hash('shopify-customer:' || shopify_customer_id)) AS customer_id,
                   country, region, accepts_marketing, total_spent, total_orders,
                   NULL AS currency, tags
            FROM pv WHERE coalesce(email, shopify_customer_id) IS NOT NULL""",
    },
)
