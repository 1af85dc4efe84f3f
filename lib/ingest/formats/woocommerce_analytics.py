"""WooCommerce Analytics › Orders › Download: the core report, one row per order.

Columns (WooCommerce `Reports/Orders/Controller::get_export_columns`): Date, Order #,
N. Revenue (formatted), Status, Customer, Customer type, Product(s), Items sold, Coupon(s),
Net Sales, Attribution. `Net Sales` (after coupons, before shipping and tax) → subtotal;
rows with a negative Net Sales (refunds) of the same Order # → refunded.

Unknown from this report, left NULL or 0: the pre-coupon amount and coupon discount amounts
(discount 0: subtotal is already net of them), shipping, tax, the order total, line items
(`Product(s)` is text without prices, so no order_lines and no gross sales), payment and
fulfilment dates, geography, and the customer: `Customer` is a name, which is personal data
and not a reliable key, so it is not read (customer_id NULL). The currency is taken from the
formatted revenue only when it is unambiguous (an ISO code, €, £ or ₹). `Attribution` has no
canonical column yet. Orders already loaded from the WebToffee order export
(`woocommerce_orders`) are richer and are never replaced by this report.
"""
from lib.ingest.formats.base import ExportFormat, Field, absent_from, first_value

DATES = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d")
CURRENCY = """CASE WHEN regexp_matches(revenue, '\\b[A-Z]{3}\\b')
                   THEN regexp_extract(revenue, '\\b([A-Z]{3})\\b', 1)
                   WHEN revenue LIKE '%€%' THEN 'EUR' WHEN revenue LIKE '%£%' THEN 'GBP'
                   WHEN revenue LIKE '%₹%' THEN 'INR' END"""

FORMAT = ExportFormat(
    id="woocommerce_analytics",
    label="WooCommerce Analytics orders report",
    source="woocommerce",
    signature=("Order #", "N. Revenue (formatted)", "Net Sales", "Customer type"),
    order_key="order_id",
    fields={
        "created": Field("Date", kind="timestamp", required=True, formats=DATES),
        "order_id": Field("Order #", kind="id", required=True),
        "revenue": Field("N. Revenue (formatted)"),
        "status": Field("Status"),
        "coupons": Field("Coupon(s)"),
        "net_sales": Field("Net Sales", kind="money", required=True),
    },
    outputs={
        "orders": f"""
            SELECT * FROM (
                SELECT order_id, 'woocommerce' AS source, 'woocommerce' AS channel,
                       'sale' AS kind, min(created) AS created_at,
                       CAST(min(created_local) AS DATE) AS order_date,
                       CASE WHEN lower({first_value('status')}) IN ('cancelled', 'failed', 'trash')
                            THEN 'cancelled' ELSE lower({first_value('status')}) END AS status,
                       {first_value(CURRENCY)} AS currency,
                       coalesce(sum(net_sales) FILTER (WHERE net_sales >= 0), 0) AS subtotal,
                       0 AS discount,
                       -coalesce(sum(net_sales) FILTER (WHERE net_sales < 0), 0) AS refunded,
                       nullif(split_part({first_value('coupons')}, ',', 1), '') AS discount_code,
                       false AS is_test
                FROM pv GROUP BY order_id) q
            WHERE {absent_from('woocommerce_orders', 'woocommerce', 'q.order_id')}""",
    },
)
