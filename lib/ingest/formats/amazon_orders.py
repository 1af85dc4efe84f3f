"""Amazon Seller Central "All Orders" report (GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL).

Tab-separated .txt, one row per order item, several rows per amazon-order-id. All three
header variants are read (old MWS with `url`, current, newer with `number-of-items` and
tax-collection columns). `purchase-date` is ISO-8601 with an offset
(`2025-09-20T09:15:00+00:00`); reports downloaded from Seller Central's pages write
`Mar 10, 2024 1:59:00 AM PST` (PDT in summer; `GMT+00:00`, BST, CET… in Europe), read with
the offset the abbreviation means (RELIABILITY B16).

Money, per row and in that row's `currency`: `item-price` is the LINE total (quantity ×
unit), empty for Pending orders (such a line loads with amount 0 and the order keeps status
`pending`); `item-promotion-discount` → line and order discount; shipping =
`shipping-price` − `ship-promotion-discount`; tax = item + shipping + gift-wrap tax; total =
items − discount + shipping + gift wrap + tax. Promotion discounts are read as magnitudes
(some reports sign them negative).

Decisions: channel and source are `amazon` for every marketplace; the marketplace
(`sales-channel`: Amazon.com, Amazon.de…) is not stored (no canonical column; `region` stays
the ship-to state so geography is not mixed with marketplaces, and the currency tells most
marketplaces apart). `Non-Amazon` rows are multi-channel fulfilment of orders sold
elsewhere (e.g. a Shopify order shipped by FBA): kind `fulfillment`, so they never count as
Amazon sales. `order-status` Cancelled → status `cancelled`, cancelled_at = last-updated-date
(the report has no cancellation time). The report has no buyer, payment or ship date:
customer_id, paid_at and fulfilled_at stay NULL; refunds are not in this report.
"""
from lib.ingest.formats.base import ExportFormat, Field, first_value

TS = ("%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S.%f%z", "%Y-%m-%d %H:%M:%S%z",
      "%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S.%fZ",
      "%b %d, %Y %I:%M:%S %p %Z", "%d %b %Y %H:%M:%S %Z", "%d.%m.%Y %H:%M:%S %Z")

LINES = """
    l AS (SELECT *, coalesce(item_price, 0) AS amount, abs(coalesce(item_promo, 0)) AS promo,
                 coalesce(shipping_price, 0) - abs(coalesce(ship_promo, 0)) AS ship,
                 coalesce(item_tax, 0) + coalesce(shipping_tax, 0)
                   + coalesce(gift_wrap_tax, 0) AS taxes
          FROM pv)"""

STATUS = f"""CASE WHEN lower({first_value('order_status')}) IN ('cancelled', 'canceled')
                  THEN 'cancelled' ELSE lower({first_value('order_status')}) END"""

FORMAT = ExportFormat(
    id="amazon_orders",
    records=frozenset({"cancellations"}),  # no refunds in this report
    label="Amazon All Orders report",
    source="amazon",
    signature=("amazon-order-id", "purchase-date", "order-status", "sales-channel", "item-price"),
    order_key="order_id",
    order_required=("purchase_date",),
    fields={
        "order_id": Field("amazon-order-id", kind="id", required=True),
        "purchase_date": Field("purchase-date", kind="timestamp", formats=TS),
        "last_updated": Field("last-updated-date", kind="timestamp", formats=TS),
        "order_status": Field("order-status"),
        "sales_channel": Field("sales-channel"),
        "product_name": Field("product-name"),
        "sku": Field("sku", kind="id"),
        "item_status": Field("item-status"),
        "quantity": Field("quantity", kind="number", required=True),
        "currency": Field("currency"),
        "item_price": Field("item-price", kind="money"),
        "item_tax": Field("item-tax", kind="money"),
        "shipping_price": Field("shipping-price", kind="money"),
        "shipping_tax": Field("shipping-tax", kind="money"),
        "gift_wrap_price": Field("gift-wrap-price", kind="money"),
        "gift_wrap_tax": Field("gift-wrap-tax", kind="money"),
        "item_promo": Field("item-promotion-discount", kind="money"),
        "ship_promo": Field("ship-promotion-discount", kind="money"),
        "promotion_ids": Field("promotion-ids"),
        "ship_city": Field("ship-city"),
        "ship_state": Field("ship-state"),
        "ship_country": Field("ship-country"),
    },
    outputs={
        "orders": f"""
            WITH {LINES}
            SELECT order_id, 'amazon' AS source, 'amazon' AS channel,
                   CASE WHEN lower({first_value('sales_channel')}) LIKE 'non-amazon%'
                        THEN 'fulfillment' ELSE 'sale' END AS kind,
                   min(purchase_date) AS created_at,
                   CAST(min(purchase_date_local) AS DATE) AS order_date,
                   CASE WHEN {STATUS} = 'cancelled' THEN max(last_updated) END AS cancelled_at,
                   {STATUS} AS status,
                   lower({first_value('item_status')}) AS fulfillment_status,
                   {first_value('currency')} AS currency,
                   sum(amount) AS subtotal, sum(promo) AS discount, sum(ship) AS shipping,
                   sum(taxes) AS tax,
                   sum(amount - promo + ship + coalesce(gift_wrap_price, 0) + taxes) AS total,
                   0 AS refunded,
                   nullif(split_part({first_value('promotion_ids')}, ',', 1), '') AS discount_code,
                   {first_value('ship_country')} AS country, {first_value('ship_state')} AS region,
                   {first_value('ship_city')} AS city, false AS is_test
            FROM l GROUP BY order_id""",
        "order_lines": f"""
            WITH {LINES}
            SELECT order_id, 'amazon' AS source,
                   row_number() OVER (PARTITION BY order_id ORDER BY _rec) AS line_no,
                   'product' AS line_type, sku, product_name, quantity,
                   coalesce(amount / nullif(quantity, 0), 0) AS unit_price, promo AS discount,
                   amount - promo AS line_total, currency
            FROM l""",
    },
)
