"""CDNOW customer purchases (1997-01 to 1998-06), the classic customer-lifetime-value data set.

The file is whitespace-separated fixed width with CRLF line ends; the reader turns it into a
tab layout with the header `customer_id date number_of_cds dollar_value`. Quirks: customer
ids are zero-padded (`00001`) and kept as text, zeros included, so `00001` and `1` stay two
customers; dates are `YYYYMMDD` (read as midnight UTC). One row is one purchase: it becomes
an order `<customer_id>-<YYYYMMDD>-<n>`, n counting that customer's purchases of the day in
file order (several the same day stay distinct), with one product line: quantity =
number_of_cds, line_total = dollar_value, unit_price = dollar_value / number_of_cds (rounded
to the cent, so gross sales may differ from the dollar total by cents). USD. A purchase date
only: no payment time is made up from it.
"""
from lib.ingest.formats.base import ExportFormat, Field

PURCHASES = """
    s AS (SELECT *, customer || '-' || strftime(day_local, '%Y%m%d') || '-'
                    || row_number() OVER (PARTITION BY customer, day_local ORDER BY _rec)
                    AS order_id
          FROM pv)"""

FORMAT = ExportFormat(
    id="cdnow",
    records=frozenset(),  # purchases only: no refunds, no cancellations
    label="CDNOW purchases",
    source="cdnow",
    signature=("customer_id", "date", "number_of_cds", "dollar_value"),
    fields={
        "customer": Field("customer_id", kind="id", required=True),
        "day": Field("date", kind="timestamp", required=True, formats=("%Y%m%d",)),
        "cds": Field("number_of_cds", kind="number", required=True),
        "dollars": Field("dollar_value", kind="money", required=True),
    },
    outputs={
        "orders": f"""
            WITH {PURCHASES}
            SELECT order_id, 'cdnow' AS source, 'cdnow' AS channel, 'sale' AS kind,
                   sl_hash(customer) AS customer_id, day AS created_at,
                   CAST(day_local AS DATE) AS order_date, 'paid' AS status,
                   'USD' AS currency, dollars AS subtotal, 0 AS discount, 0 AS shipping,
                   0 AS tax, dollars AS total, 0 AS refunded, false AS is_test
            FROM s""",
        "order_lines": f"""
            WITH {PURCHASES}
            SELECT order_id, 'cdnow' AS source, 1 AS line_no, 'product' AS line_type,
                   cds AS quantity, dollars / nullif(cds, 0) AS unit_price, 0 AS discount,
                   dollars AS line_total, 'USD' AS currency
            FROM s""",
    },
)
