"""WooCommerce order export of the WebToffee "Order Export & Import" plugin: one row per order.

Quirks: `order_date` is day-first (`16-05-2018 07:32:06`) while `paid_date` and
`completed_date` are ISO; statuses may carry a `wc-` prefix. Line items are packed into
`line_item_1..N` columns as `name:…|product_id:…|sku:…|quantity:1|total:8.00|tax:1.44`
(N grows with the largest order; up to 30 are read) and unpacked here in SQL.

WooCommerce money: a line's `total` is after coupons (`sub_total`, written by newer plugin
versions, is before); order_total = Σ line totals + shipping_total + fee_total + tax_total,
with tax_total covering item, shipping and fee tax. So a line's pre-discount amount is its
`sub_total`, else its total plus its share of `discount_total` (pro rata to line totals:
exact per order, per line an estimate, cent rounding possible): unit_price is that amount
/ quantity, the line discount the difference, line_total the exported total. Coupon codes
come from `coupon_items` (`code:flat20|amount:10.00`), refunds from the `amount:` entries of
`refund_items` (a `refunded` order without them counts as fully refunded). `fee_total`
(customer-paid fees such as gift wrap) → fees. Status `cancelled`, `failed` and `trash` →
`cancelled` (the export has no cancellation time). The customer key is
`sl_hash(customer_email)`, else the billing e-mail: the same hash as Shopify's, so a shopper
of both stores is one customer.
"""
from lib.ingest.formats.base import ExportFormat, Field

MAX_ITEMS = 30
TS_DAY_FIRST = ("%d-%m-%Y %H:%M:%S", "%d-%m-%Y %H:%M", "%Y-%m-%d %H:%M:%S")
TS_ISO = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M")
ITEMS = "[" + ", ".join(f"line_item_{i}" for i in range(1, MAX_ITEMS + 1)) + "]"


def _kv(key: str) -> str:
    """The value of `key:` in a packed `k:v|k:v` item (NULL when absent or empty)."""
    return f"nullif(regexp_extract(item, '(?:^|\\|){key}:([^|]*)', 1), '')"


LINES = f"""
    items AS (
        SELECT wc_id, _rec, currency, coalesce(discount_total, 0) AS order_discount, idx,
               {ITEMS}[idx] AS item
        FROM pv, range(1, {MAX_ITEMS + 1}) r(idx)
        WHERE {ITEMS}[idx] IS NOT NULL),
    parsed AS (
        SELECT *, {_kv('name')} AS product_name, {_kv('sku')} AS sku,
               sl_num({_kv('quantity')}) AS quantity, sl_num({_kv('total')}) AS line_total,
               sl_num(coalesce({_kv('sub_total')}, {_kv('subtotal')})) AS sub_total
        FROM items),
    lines AS (
        SELECT *,
               CASE WHEN count(sub_total) OVER o > 0 THEN coalesce(sub_total, line_total)
                    ELSE line_total + order_discount * line_total
                         / nullif(sum(line_total) OVER o, 0)
               END AS line_gross
        FROM parsed WINDOW o AS (PARTITION BY wc_id))"""

STATUS = ("CASE WHEN replace(lower(status), 'wc-', '') IN ('cancelled', 'failed', 'trash') "
          "THEN 'cancelled' ELSE replace(lower(status), 'wc-', '') END")

FORMAT = ExportFormat(
    id="woocommerce_orders",
    label="WooCommerce order export (WebToffee)",
    source="woocommerce",
    signature=("order_id", "order_number", "order_date", "order_total", "order_currency"),
    order_key="wc_id",
    fields={
        "wc_id": Field("order_id", kind="id", required=True),
        "order_no": Field("order_number", kind="id"),
        "order_date": Field("order_date", kind="timestamp", required=True, formats=TS_DAY_FIRST),
        "status": Field("status"),
        "shipping_total": Field("shipping_total", kind="money"),
        "fee_total": Field("fee_total", kind="money"),
        "tax_total": Field("tax_total", kind="money"),
        "discount_total": Field("discount_total", kind="money"),
        "order_total": Field("order_total", kind="money", required=True),
        "currency": Field("order_currency"),
        "customer_email": Field("customer_email"),
        "billing_email": Field("billing_email"),
        "billing_country": Field("billing_country"),
        "shipping_country": Field("shipping_country"),
        "shipping_state": Field("shipping_state"),
        "shipping_city": Field("shipping_city"),
        "coupon_items": Field("coupon_items"),
        "refund_items": Field("refund_items"),
        "paid_date": Field("paid_date", kind="timestamp", formats=TS_ISO),
        "completed_date": Field("completed_date", kind="timestamp", formats=TS_ISO),
        **{f"line_item_{i}": Field(f"line_item_{i}") for i in range(1, MAX_ITEMS + 1)},
    },
    outputs={
        "orders": f"""
            WITH {LINES},
            agg AS (SELECT wc_id, sum(line_gross) AS gross FROM lines GROUP BY wc_id)
            SELECT _rec, coalesce(order_no, p.wc_id) AS order_id, 'woocommerce' AS source,
                   'woocommerce' AS channel, 'sale' AS kind,
                   coalesce(sl_hash(customer_email), sl_hash(billing_email)) AS customer_id,
                   order_date AS created_at, CAST(order_date_local AS DATE) AS order_date,
                   paid_date AS paid_at, completed_date AS fulfilled_at,
                   {STATUS} AS status,
                   CASE WHEN lower(status) LIKE '%refunded' THEN 'refunded'
                        WHEN paid_date IS NOT NULL THEN 'paid' END AS financial_status,
                   CASE WHEN completed_date IS NOT NULL OR lower(status) LIKE '%completed'
                        THEN 'fulfilled' ELSE 'unfulfilled' END AS fulfillment_status,
                   currency, agg.gross AS subtotal, coalesce(discount_total, 0) AS discount,
                   coalesce(shipping_total, 0) AS shipping, coalesce(tax_total, 0) AS tax,
                   order_total AS total, fee_total AS fees,
                   coalesce(
                       list_sum(list_transform(
                           regexp_extract_all(refund_items, 'amount:([-0-9.,]+)', 1),
                           lambda a: abs(sl_num(a)))),
                       CASE WHEN lower(status) LIKE '%refunded' THEN order_total END,
                       0) AS refunded,
                   nullif(regexp_extract(coupon_items, 'code:([^|;]*)', 1), '') AS discount_code,
                   coalesce(shipping_country, billing_country) AS country,
                   shipping_state AS region, shipping_city AS city, false AS is_test
            FROM pv p LEFT JOIN agg ON agg.wc_id = p.wc_id""",
        "order_lines": f"""
            WITH {LINES}
            SELECT coalesce(p.order_no, l.wc_id) AS order_id, 'woocommerce' AS source,
                   row_number() OVER (PARTITION BY l.wc_id ORDER BY l.idx) AS line_no,
                   'product' AS line_type, sku, product_name, quantity,
                   line_gross / nullif(quantity, 0) AS unit_price,
                   line_gross - line_total AS discount, line_total, l.currency
            FROM lines l JOIN pv p ON p.wc_id = l.wc_id""",
    },
)
