"""Shopify Admin › Orders › Export: one row per line item, order fields on the first row only.

All four header variants (73–79 columns, 2019–2026) share the columns used here.
"""
from lib.ingest.formats.base import ExportFormat, Field

TS = ("%Y-%m-%d %H:%M:%S %z", "%Y-%m-%d %H:%M:%S")

FORMAT = ExportFormat(
    id="shopify_orders",
    label="Shopify orders export",
    source="shopify",
    signature=("Name", "Financial Status", "Lineitem quantity", "Lineitem price", "Created at"),
    order_key="order_id",
    order_required=("created_at",),
    fields={
        "order_id": Field("Name", kind="id", required=True),
        "email": Field("Email"),
        "financial_status": Field("Financial Status"),
        "paid_at": Field("Paid at", kind="timestamp", formats=TS),
        "fulfillment_status": Field("Fulfillment Status"),
        "fulfilled_at": Field("Fulfilled at", kind="timestamp", formats=TS),
        "currency": Field("Currency"),
        "subtotal": Field("Subtotal", kind="money"),
        "shipping": Field("Shipping", kind="money"),
        "taxes": Field("Taxes", kind="money"),
        "total": Field("Total", kind="money"),
        "discount_code": Field("Discount Code"),
        "discount_amount": Field("Discount Amount", kind="money"),
        "created_at": Field("Created at", kind="timestamp", formats=TS),
        "qty": Field("Lineitem quantity", kind="number", required=True),
        "li_name": Field("Lineitem name"),
        "li_price": Field("Lineitem price", kind="money", required=True),
        "li_sku": Field("Lineitem sku", kind="id"),
        "li_discount": Field("Lineitem discount", kind="money"),
        "vendor": Field("Vendor"),
        "cancelled_at": Field("Cancelled at", kind="timestamp", formats=TS),
        "refunded": Field("Refunded Amount", kind="money"),
        "ship_country": Field("Shipping Country"),
        "bill_country": Field("Billing Country"),
        "ship_region": Field("Shipping Province"),
        "ship_city": Field("Shipping City"),
        "tags": Field("Tags"),
    },
    outputs={
        # One row per order from `pv_head` (each order's first non-null values; see
        # engine.build_heads): Shopify puts the order's fields on its first row.
        "orders": """
            SELECT order_id, 'shopify' AS source, 'shopify' AS channel, 'sale' AS kind,
                   sl_hash(email) AS customer_id, created_at,
                   CAST(created_at_local AS DATE) AS order_date,
                   paid_at, fulfilled_at, cancelled_at,
                   CASE WHEN cancelled_at IS NOT NULL THEN 'cancelled'
                        ELSE financial_status END AS status,
                   financial_status, fulfillment_status, currency, subtotal,
                   coalesce(discount_amount, 0) AS discount, coalesce(shipping, 0) AS shipping,
                   coalesce(taxes, 0) AS tax, total, coalesce(refunded, 0) AS refunded,
                   discount_code, coalesce(ship_country, bill_country) AS country,
                   ship_region AS region, ship_city AS city,
                   coalesce(lower(tags) LIKE '%test%', false) AS is_test
            FROM pv_head""",
        "order_lines": """
            SELECT order_id, 'shopify' AS source,
                   row_number() OVER (PARTITION BY order_id ORDER BY _rec) AS line_no,
                   'product' AS line_type, li_sku AS sku, li_name AS product_name,
                   CASE WHEN position(' - ' IN li_name) > 0
                        THEN split_part(li_name, ' - ', -1) END AS variant,
                   vendor, qty AS quantity, li_price AS unit_price,
                   coalesce(li_discount, 0) AS discount,
                   li_price * qty - coalesce(li_discount, 0) AS line_total,
                   max(currency) OVER (PARTITION BY order_id) AS currency
            FROM pv""",
    },
)
