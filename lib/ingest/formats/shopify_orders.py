"""Shopify Admin › Orders › Export: one row per line item, order fields on the first row only.

All four header variants (73–79 columns, 2019–2026) share the columns used here.
"""
from lib.ingest.formats.base import ExportFormat, Field, first_value

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
        "orders": f"""
            SELECT order_id, 'shopify' AS source, 'shopify' AS channel, 'sale' AS kind,
                   {first_value('sl_hash(email)')} AS customer_id,
                   {first_value('created_at')} AS created_at,
                   CAST({first_value('created_at_local')} AS DATE) AS order_date,
                   {first_value('paid_at')} AS paid_at,
                   {first_value('fulfilled_at')} AS fulfilled_at,
                   {first_value('cancelled_at')} AS cancelled_at,
                   CASE WHEN {first_value('cancelled_at')} IS NOT NULL THEN 'cancelled'
                        ELSE {first_value('financial_status')} END AS status,
                   {first_value('financial_status')} AS financial_status,
                   {first_value('fulfillment_status')} AS fulfillment_status,
                   {first_value('currency')} AS currency,
                   {first_value('subtotal')} AS subtotal,
                   coalesce({first_value('discount_amount')}, 0) AS discount,
                   coalesce({first_value('shipping')}, 0) AS shipping,
                   coalesce({first_value('taxes')}, 0) AS tax,
                   {first_value('total')} AS total,
                   coalesce({first_value('refunded')}, 0) AS refunded,
                   {first_value('discount_code')} AS discount_code,
                   coalesce({first_value('ship_country')}, {first_value('bill_country')}) AS country,
                   {first_value('ship_region')} AS region,
                   {first_value('ship_city')} AS city,
                   coalesce(lower({first_value('tags')}) LIKE '%test%', false) AS is_test
            FROM pv GROUP BY order_id""",
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
