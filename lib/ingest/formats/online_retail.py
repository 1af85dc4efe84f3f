"""The classic transactions layout: UCI Online Retail (I and II), one row per invoice line.

Invoices starting with `C` are cancellations: they become refund documents, not orders.
Non-product stock codes (postage, discounts, fees, manual adjustments) are kept as lines of
their own type so they never count as products or as gross sales. The layout has one time per
invoice: no payment time is made up from it (a copy read as 'paid at once': the Operations
page's only stage, 0.0 h, and a payment-time check reading 100 % complete).
"""
from lib.ingest.formats.base import ExportFormat, Field, first_value

SHIPPING_CODES = ("POST", "DOT", "C2")
DISCOUNT_CODES = ("D",)
FEE_CODES = ("BANK CHARGES", "AMAZONFEE", "CRUK")
ADJUSTMENT_CODES = ("M", "S", "B", "ADJUST", "ADJUST2", "TEST001", "TEST002", "PADS")


def _in(codes: tuple[str, ...]) -> str:
    return "(" + ", ".join("'" + c + "'" for c in codes) + ")"


LINE_TYPE = f"""CASE WHEN upper(stock_code) IN {_in(SHIPPING_CODES)} THEN 'shipping'
     WHEN upper(stock_code) IN {_in(DISCOUNT_CODES)} THEN 'discount'
     WHEN upper(stock_code) IN {_in(FEE_CODES)} THEN 'fee'
     WHEN upper(stock_code) IN {_in(ADJUSTMENT_CODES)} THEN 'adjustment'
     ELSE 'product' END"""

FORMAT = ExportFormat(
    id="online_retail",
    records=frozenset({"refunds"}),  # the C… invoices are refunds; no order is cancelled
    label="Transactions (Online Retail layout)",
    source="online_retail",
    signature=("StockCode", "Description", "Quantity", "InvoiceDate", "Country"),
    order_key="invoice",
    timezone="Europe/London",
    fields={
        "invoice": Field("InvoiceNo", "Invoice", kind="id", required=True),
        "stock_code": Field("StockCode", kind="id"),
        "description": Field("Description"),
        "quantity": Field("Quantity", kind="number", required=True),
        "invoice_date": Field("InvoiceDate", kind="timestamp", required=True, formats=(
            "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%m/%d/%Y %H:%M", "%m/%d/%Y %H:%M:%S")),
        "price": Field("UnitPrice", "Price", kind="money", required=True),
        "customer": Field("CustomerID", "Customer ID", kind="id"),
        "country": Field("Country"),
    },
    outputs={
        "orders": f"""
            WITH l AS (SELECT *, {LINE_TYPE} AS line_type, quantity * price AS amount FROM pv)
            SELECT invoice AS order_id, 'online_retail' AS source, 'online_retail' AS channel,
                   CASE WHEN upper(invoice) LIKE 'C%' THEN 'refund' ELSE 'sale' END AS kind,
                   {first_value('sl_hash(customer)')} AS customer_id,
                   min(invoice_date) AS created_at,
                   CAST(min(invoice_date_local) AS DATE) AS order_date,
                   CASE WHEN upper(invoice) LIKE 'C%' THEN 'refund' ELSE 'paid' END AS status,
                   'GBP' AS currency,
                   coalesce(sum(amount) FILTER (WHERE line_type = 'product'), 0) AS subtotal,
                   -coalesce(sum(amount) FILTER (WHERE line_type = 'discount'), 0) AS discount,
                   coalesce(sum(amount) FILTER (WHERE line_type = 'shipping'), 0) AS shipping,
                   coalesce(sum(amount) FILTER (WHERE line_type = 'fee'), 0) AS fees,
                   0 AS tax,
                   sum(amount) AS total,
                   CASE WHEN upper(invoice) LIKE 'C%'
                        THEN -coalesce(sum(amount) FILTER (WHERE line_type = 'product'), 0)
                        ELSE 0 END AS refunded,
                   {first_value('country')} AS country,
                   false AS is_test
            FROM l GROUP BY invoice""",
        "order_lines": f"""
            SELECT invoice AS order_id, 'online_retail' AS source,
                   row_number() OVER (PARTITION BY invoice ORDER BY _rec) AS line_no,
                   {LINE_TYPE} AS line_type, stock_code AS sku, description AS product_name,
                   quantity, price AS unit_price, 0 AS discount, quantity * price AS line_total,
                   'GBP' AS currency
            FROM pv""",
    },
)
