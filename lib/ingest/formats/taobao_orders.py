"""Taobao/Tmall 千牛 › 订单报表 (ExportOrderList<yyyymmddHHMM>.csv): one row per order.

Quirks: usually GBK (the reader transcodes it), CRLF, trailing spaces in some header names
(`订单付款时间 `), `NULL` written literally, phone numbers prefixed with `'`, 19-digit 订单编号
(kept as text, never a number), 订单付款时间 blank or `0000-00-00 00:00:00` while unpaid, naive
times in Asia/Shanghai. Its lines come from the separate 宝贝报表 (`taobao_order_items`): both
files share 订单编号 and the source 'taobao', so either can be loaded first.

Amounts, as the platform defines them:
- subtotal = 买家应付货款 (goods the buyer owes, after the shop's discounts);
  shipping = 买家应付邮费; total = 总金额 = 买家应付货款 + 买家应付邮费 (shipping included).
- refunded = 退款金额 (refunds do not reduce 买家实际支付金额).
- discount = the shop's discounts + what was deducted at payment:
  (Σ 价格 × 购买数量 of the order's 宝贝报表 lines − 买家应付货款, when those lines are already
  in the workspace) + (总金额 − 买家实际支付金额, for paid orders). Whichever of the two files
  is loaded second completes the figure (see `taobao_order_items`).

Status: 交易关闭 with a tracking number (物流单号) is a shipped sale later refunded in full
('refunded', counted with its refund); 交易关闭 without one never shipped ('cancelled':
unpaid timeout or refunded before dispatch; cancelled_at is not exported and stays NULL).
Buyer name, phone and address are never stored: the customer key is a salted hash of
买家会员名, and region keeps only the province the address starts with.
"""
from lib.ingest.formats.base import ExportFormat, Field, cn_province

TS = ("%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M")

STATUS = """CASE
    WHEN status LIKE '%关闭%' AND tracking IS NOT NULL THEN 'refunded'
    WHEN status LIKE '%关闭%' THEN 'cancelled'
    WHEN status = '等待买家付款' THEN 'pending'
    WHEN status LIKE '买家已付款%' THEN 'paid'
    WHEN status LIKE '卖家%发货%' THEN 'shipped'
    WHEN status = '交易成功' THEN 'completed'
    ELSE status END"""

FORMAT = ExportFormat(
    id="taobao_orders",
    label="Taobao/Tmall 订单报表",
    source="taobao",
    signature=("订单编号", "买家会员名", "买家应付货款", "订单付款时间", "买家实际支付金额"),
    order_key="order_id",
    timezone="Asia/Shanghai",
    fields={
        "order_id": Field("订单编号", kind="id", required=True),
        "buyer": Field("买家会员名"),
        "subtotal": Field("买家应付货款", kind="money"),
        "shipping": Field("买家应付邮费", kind="money"),
        "total": Field("总金额", kind="money"),
        "paid_amount": Field("买家实际支付金额", kind="money"),
        "status": Field("订单状态"),
        "address": Field("收货地址"),  # read only to take the province; never output
        "created_at": Field("订单创建时间", kind="timestamp", required=True, formats=TS),
        "paid_at": Field("订单付款时间", kind="timestamp", formats=TS),
        "delivered_at": Field("确认收货时间", kind="timestamp", formats=TS),
        "refunded": Field("退款金额", kind="money"),
        "tracking": Field("物流单号"),
    },
    outputs={
        "orders": f"""
            WITH t AS (SELECT *, coalesce(total, subtotal + coalesce(shipping, 0)) AS order_total
                       FROM pv)
            SELECT order_id, 'taobao' AS source, 'taobao' AS channel, 'sale' AS kind,
                   sl_hash(buyer) AS customer_id,
                   created_at, CAST(created_at_local AS DATE) AS order_date,
                   paid_at, delivered_at, {STATUS} AS status, 'CNY' AS currency,
                   subtotal,
                   coalesce(greatest((SELECT sum(l.unit_price * l.quantity) FROM order_lines l
                                       WHERE l.source = 'taobao' AND l.order_id = t.order_id
                                         AND l.line_type = 'product') - subtotal, 0), 0)
                   + CASE WHEN paid_at IS NOT NULL
                          THEN greatest(order_total - coalesce(paid_amount, 0), 0)
                          ELSE 0 END AS discount,
                   coalesce(shipping, 0) AS shipping, 0 AS tax, order_total AS total,
                   coalesce(refunded, 0) AS refunded,
                   'CN' AS country, {cn_province('address')} AS region,
                   false AS is_test, _rec
            FROM t""",
    },
)
