"""JD 商家后台 › 订单导出: one row per SKU, order-level fields repeated on every row.

Quirks: often GBK; the order amounts (订单金额, 结算金额, 应付金额, 余额支付, 运费金额) are the
order's, repeated on each SKU row, so they are taken once per order (first row), never summed;
naive times in Asia/Shanghai; names, addresses and phones (masked or not) are never stored.

Amounts: subtotal = Σ 京东价 × 订购数量; shipping = 运费金额; 订单金额 is the order before
discounts (goods + freight) and 结算金额 what the buyer settles after discounts (应付金额 +
余额支付 when 结算金额 is missing), so total = 结算金额 and discount = 订单金额 − 结算金额
(never below 0). The export has no refund column: refunded is 0.

Status: 已取消/取消, 锁定 (held for a cancellation request) and `(删除)…` (a parent order JD
split into new orders, which the export also lists) are 'cancelled', so no order counts twice.
sku is 货号 (the shop's code), else the JD 商品ID; region is only the province the address
starts with; the customer key is a salted hash of 下单帐号.
"""
from lib.ingest.formats.base import ExportFormat, Field, cn_province, first_value

TS = ("%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M")

STATUS = """CASE
    WHEN st LIKE '%取消%' OR st LIKE '%锁定%' OR st LIKE '(删除)%' OR st LIKE '（删除）%'
        THEN 'cancelled'
    WHEN st LIKE '%完成%' THEN 'completed'
    WHEN st LIKE '%确认收货%' THEN 'shipped'
    WHEN st LIKE '%出库%' THEN 'paid'
    WHEN st LIKE '%付款%' THEN 'pending'
    ELSE st END"""

FORMAT = ExportFormat(
    id="jd_orders",
    label="JD 商家后台 订单导出",
    source="jd",
    signature=("订单号", "商品ID", "订购数量", "京东价", "下单时间", "订单金额"),
    order_key="order_id",
    timezone="Asia/Shanghai",
    fields={
        "order_id": Field("订单号", kind="id", required=True),
        "product_id": Field("商品ID", kind="id"),
        "item_no": Field("货号", kind="id"),
        "name": Field("商品名称"),
        "qty": Field("订购数量", kind="number", required=True),
        "price": Field("京东价", kind="money", required=True),
        "created_at": Field("下单时间", kind="timestamp", required=True, formats=TS),
        "order_amount": Field("订单金额", kind="money"),
        "settled": Field("结算金额", kind="money"),
        "balance_paid": Field("余额支付", kind="money"),
        "payable": Field("应付金额", kind="money"),
        "status": Field("订单状态"),
        "account": Field("下单帐号"),
        "address": Field("客户地址"),  # read only to take the province; never output
        "freight": Field("运费金额", kind="money"),
        "paid_at": Field("付款确认时间", kind="timestamp", formats=TS),
        "completed_at": Field("订单完成时间", kind="timestamp", formats=TS),
    },
    outputs={
        "orders": f"""
            WITH o AS (
                SELECT order_id,
                       {first_value('sl_hash(account)')} AS customer_id,
                       min(created_at) AS created_at, min(created_at_local) AS created_local,
                       {first_value('paid_at')} AS paid_at,
                       {first_value('completed_at')} AS delivered_at,
                       {first_value('status')} AS st,
                       sum(price * qty) AS subtotal,
                       {first_value('order_amount')} AS order_amount,
                       coalesce({first_value('settled')},
                                {first_value('payable')}
                                + coalesce({first_value('balance_paid')}, 0),
                                {first_value('order_amount')}) AS settled,
                       coalesce({first_value('freight')}, 0) AS shipping,
                       {first_value(cn_province('address'))} AS region
                FROM pv GROUP BY order_id)
            SELECT order_id, 'jd' AS source, 'jd' AS channel, 'sale' AS kind, customer_id,
                   created_at, CAST(created_local AS DATE) AS order_date, paid_at, delivered_at,
                   {STATUS} AS status, 'CNY' AS currency, subtotal,
                   greatest(coalesce(order_amount - settled, 0), 0) AS discount,
                   shipping, 0 AS tax, coalesce(settled, subtotal + shipping) AS total,
                   0 AS refunded, 'CN' AS country, region, false AS is_test
            FROM o""",
        "order_lines": """
            SELECT order_id, 'jd' AS source,
                   row_number() OVER (PARTITION BY order_id ORDER BY _rec) AS line_no,
                   'product' AS line_type, coalesce(item_no, product_id) AS sku,
                   name AS product_name, qty AS quantity, price AS unit_price, 0 AS discount,
                   price * qty AS line_total, 'CNY' AS currency
            FROM pv""",
    },
)
