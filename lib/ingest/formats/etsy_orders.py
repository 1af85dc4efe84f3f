"""Etsy Shop Manager › Settings › Options › Download Data › "Orders" (EtsySoldOrders*.csv).

One row per order (receipt); no line items (those are in EtsySoldOrderItems, see
`etsy_order_items`), so this format writes `orders` only. Every field is quoted; `Sale Date`
and `Date Shipped` are `MM/DD/YY` (date only, read as midnight UTC).

What Etsy's money columns mean, and where they go:
- Order Value: items before discounts → subtotal. Discount Amount: item discounts → discount.
- Shipping: what the buyer paid for shipping, already net of `Shipping Discount` (an
  informational column: Order Net = Order Value − Discount Amount + Shipping + Sales Tax −
  Card Processing Fees holds without it) → shipping.
- Sales Tax: only tax the seller collected. Order Total also includes the sales tax / VAT that
  Etsy collects and remits itself (marketplace facilitator), which has no column, so
  tax = Order Total − (Order Value − Discount Amount + Shipping), i.e. both kinds.
- Order Total → total (what the buyer paid). Card Processing Fees → fees (paid by the seller,
  not part of the total). Order Net (seller proceeds) is derivable and not stored.
- Adjusted Order Total / Adjusted Card Processing Fees / Adjusted Net Order Amount: the order
  *after a partial refund* (all 0.00 when nothing was refunded; in 2021 exports Adjusted
  Order Total stays 0.00 even after a refund). refunded = Order Total − Adjusted Order Total
  when the latter is set, else Order Total − (Adjusted Net + Adjusted Fees), which is the
  post-refund buyer total in the real exports (fees = 3 % of it + 0.25). A refund of the
  whole order leaves the adjusted columns at 0.00 and cannot be told apart: a known gap.
- Status (usually empty) → `cancelled` when Etsy says canceled; Coupon Code → discount_code.
The buyer key is `sl_hash('etsy:' || Buyer)`, shared with the order items format.
"""
from lib.ingest.formats.base import ExportFormat, Field, distinct_codes

DATES = ("%m/%d/%y", "%m/%d/%Y")

FORMAT = ExportFormat(
    id="etsy_orders",
    label="Etsy sold orders",
    source="etsy",
    signature=("Sale Date", "Order ID", "Order Value", "Order Total", "Card Processing Fees"),
    order_key="order_id",
    fields={
        "sale_date": Field("Sale Date", kind="timestamp", required=True, formats=DATES),
        "order_id": Field("Order ID", kind="id", required=True),
        "buyer": Field("Buyer"),
        "date_shipped": Field("Date Shipped", kind="timestamp", formats=DATES),
        "ship_city": Field("Ship City"),
        "ship_state": Field("Ship State"),
        "ship_country": Field("Ship Country"),
        "currency": Field("Currency"),
        "order_value": Field("Order Value", kind="money", required=True),
        "coupon_code": Field("Coupon Code"),
        "discount": Field("Discount Amount", kind="money"),
        "shipping": Field("Shipping", kind="money"),
        "order_total": Field("Order Total", kind="money", required=True),
        "status": Field("Status"),
        "card_fees": Field("Card Processing Fees", kind="money"),
        "adj_total": Field("Adjusted Order Total", kind="money"),
        "adj_fees": Field("Adjusted Card Processing Fees", kind="money"),
        "adj_net": Field("Adjusted Net Order Amount", kind="money"),
    },
    outputs={
        "orders": f"""
            WITH o AS (
                SELECT *,
                       CASE WHEN coalesce(adj_total, 0) <> 0
                                THEN greatest(order_total - adj_total, 0)
                            WHEN coalesce(adj_net, 0) <> 0 OR coalesce(adj_fees, 0) <> 0
                                THEN greatest(order_total - coalesce(adj_net, 0)
                                              - coalesce(adj_fees, 0), 0)
                            ELSE 0 END AS refund,
                       order_value - coalesce(discount, 0) + coalesce(shipping, 0) AS pre_tax
                FROM pv),
            f AS (
                SELECT *, CASE WHEN refund > 0 AND refund >= order_total THEN 'refunded'
                               WHEN refund > 0 THEN 'partially_refunded'
                               ELSE 'paid' END AS financial
                FROM o)
            SELECT _rec, order_id, 'etsy' AS source, 'etsy' AS channel, 'sale' AS kind,
                   sl_hash('etsy:' || buyer) AS customer_id,
                   sale_date AS created_at, CAST(sale_date_local AS DATE) AS order_date,
                   sale_date AS paid_at, date_shipped AS fulfilled_at,
                   CASE WHEN lower(status) LIKE 'cancel%' THEN 'cancelled'
                        ELSE coalesce(lower(status), financial) END AS status,
                   financial AS financial_status,
                   CASE WHEN date_shipped IS NOT NULL THEN 'fulfilled'
                        ELSE 'unfulfilled' END AS fulfillment_status,
                   currency, order_value AS subtotal, order_value AS items_gross, coalesce(discount, 0) AS discount,
                   coalesce(shipping, 0) AS shipping,
                   greatest(order_total - pre_tax, 0) AS tax, order_total AS total,
                   refund AS refunded, card_fees AS fees, {distinct_codes('coupon_code')} AS discount_code,
                   ship_country AS country, ship_state AS region, ship_city AS city,
                   false AS is_test
            FROM f""",
    },
)
