"""Etsy Shop Manager › Download Data › "Order Items" (EtsySoldOrderItems*.csv): one row per item.

Lines: Quantity × Price (per unit) → order_lines; `Item Total` is the line before discounts.
Order-level money is repeated on every item row of an order: `Order Shipping`,
`Order Sales Tax` and (as we read Etsy) `Discount Amount`, so each is taken once per order
from its first non-empty row, never summed. `Sale Date` is `MM/DD/YY`, `Date Paid` and
`Date Shipped` are `MM/DD/YYYY` (both accepted everywhere).

Loading this file and the Sold Orders file (`etsy_orders`) for the same orders never double
counts: both use source `etsy` and Etsy's Order ID, so lines and orders share one key. This
file writes every order's lines (Sold Orders has none), but writes an order row only when no
Sold Orders import already wrote that order: Sold Orders is richer (card fees, refunds,
Etsy-collected tax), so it wins whichever file is loaded first. An order row built here has
no fees and no refunds: refunds and tax collected by Etsy are not in this export.
`VAT Paid by Buyer` is not used.
"""
from lib.ingest.formats.base import ExportFormat, Field, absent_from, distinct_codes, first_value

DATES = ("%m/%d/%y", "%m/%d/%Y")
LINE = "coalesce(item_total, price * quantity)"

FORMAT = ExportFormat(
    id="etsy_order_items",
    records=frozenset(),  # Sold Orders has the refunds and cancellations
    label="Etsy sold order items",
    source="etsy",
    signature=("Sale Date", "Order ID", "Transaction ID", "Item Total", "Order Shipping"),
    order_key="order_id",
    order_required=("sale_date",),
    fields={
        "sale_date": Field("Sale Date", kind="timestamp", formats=DATES),
        "order_id": Field("Order ID", kind="id", required=True),
        "item_name": Field("Item Name"),
        "buyer": Field("Buyer"),
        "quantity": Field("Quantity", kind="number", required=True),
        "price": Field("Price", kind="money", required=True),
        "coupon_code": Field("Coupon Code"),
        "discount": Field("Discount Amount", kind="money"),
        "order_shipping": Field("Order Shipping", kind="money"),
        "order_sales_tax": Field("Order Sales Tax", kind="money"),
        "item_total": Field("Item Total", kind="money"),
        "currency": Field("Currency"),
        "date_paid": Field("Date Paid", kind="timestamp", formats=DATES),
        "date_shipped": Field("Date Shipped", kind="timestamp", formats=DATES),
        "ship_city": Field("Ship City"),
        "ship_state": Field("Ship State"),
        "ship_country": Field("Ship Country"),
        "variations": Field("Variations"),
        "sku": Field("SKU", kind="id"),
    },
    outputs={
        "orders": f"""
            SELECT * FROM (
                SELECT order_id, 'etsy' AS source, 'etsy' AS channel, 'sale' AS kind,
                       {first_value("sl_hash('etsy:' || buyer)")} AS customer_id,
                       min(sale_date) AS created_at, CAST(min(sale_date_local) AS DATE) AS order_date,
                       min(date_paid) AS paid_at, max(date_shipped) AS fulfilled_at,
                       'paid' AS status, 'paid' AS financial_status,
                       CASE WHEN max(date_shipped) IS NOT NULL THEN 'fulfilled'
                            ELSE 'unfulfilled' END AS fulfillment_status,
                       {first_value('currency')} AS currency,
                       sum({LINE}) AS subtotal,
                       coalesce({first_value('discount')}, 0) AS discount,
                       coalesce({first_value('order_shipping')}, 0) AS shipping,
                       coalesce({first_value('order_sales_tax')}, 0) AS tax,
                       sum({LINE}) - coalesce({first_value('discount')}, 0)
                         + coalesce({first_value('order_shipping')}, 0)
                         + coalesce({first_value('order_sales_tax')}, 0) AS total,
                       0 AS refunded,
                       {distinct_codes(first_value('coupon_code'))} AS discount_code,
                       {first_value('ship_country')} AS country,
                       {first_value('ship_state')} AS region,
                       {first_value('ship_city')} AS city, false AS is_test
                FROM pv GROUP BY order_id) q
            WHERE {absent_from('etsy_orders', 'etsy', 'q.order_id')}""",
        "order_lines": f"""
            SELECT order_id, 'etsy' AS source,
                   row_number() OVER (PARTITION BY order_id ORDER BY _rec) AS line_no,
                   'product' AS line_type, sku, item_name AS product_name,
                   variations AS variant, quantity, price AS unit_price, 0 AS discount,
                   {LINE} AS line_total, currency
            FROM pv""",
    },
)
