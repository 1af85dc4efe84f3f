"""抖店 (Douyin shop) › 订单管理 › 导出: one row per 子订单 (sub-order) of a 主订单 (order).

Quirks: UTF-8 with BOM; IDs written as "\\t6917926768823643751" (a TAB inside the quotes
keeps Excel from turning them into 6.9E+18: stripped, all digits kept); `-` for empty;
recipient name, phone and address are ciphertext (##…, $$…) and never read.

Amounts: 订单应付金额, 运费 and the three 实际承担优惠金额 are taken as the sub-order's own
(each row is one sub-order) and summed per 主订单. Identical values on several rows are not
taken for a repetition: two sub-orders at the same price (two colours of one shirt) are
common, and guessing would halve real revenue. So, per sub-order:
discount = 平台 + 商家 + 达人 实际承担优惠金额 (everything the buyer did not pay, as for the other
platforms); goods (line total before discounts) = 订单应付金额 − 运费 + discount; the order's
total = Σ 订单应付金额 (shipping included), shipping = Σ 运费.
refunded = 订单应付金额 of sub-orders whose 售后状态 says the refund succeeded (退款成功/已退款).

Status: an order whose sub-orders are all closed or cancelled (订单状态 关闭/取消, or a
取消原因) without any refund is 'cancelled'; refunded in full → 'refunded', in part →
'partially_refunded'; otherwise the first sub-order's status (待支付 → pending, 备货中/待发货 →
paid, 已发货 → shipped, 已完成 → completed). There is no buyer ID: customer_id stays NULL.
"""
from lib.ingest.formats.base import ExportFormat, Field, first_value

TS = ("%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M")

SUB_ORDERS = """
    WITH s AS (
        SELECT *, coalesce(platform_disc, 0) + coalesce(merchant_disc, 0)
                  + coalesce(talent_disc, 0) AS disc,
               CASE WHEN regexp_matches(coalesce(after_sale, ''), '退款成功|已退款')
                    THEN coalesce(payable, 0) ELSE 0 END AS refund,
               (cancel_reason IS NOT NULL OR coalesce(status LIKE '%取消%' OR status LIKE '%关闭%',
                                                      false)) AS closed
        FROM pv
        QUALIFY row_number() OVER (PARTITION BY order_id, sub_id ORDER BY _rec DESC) = 1)"""

STATUS = f"""CASE
    WHEN bool_and(closed) AND sum(refund) = 0 THEN 'cancelled'
    WHEN sum(refund) > 0 AND sum(refund) >= coalesce(sum(payable), 0) THEN 'refunded'
    WHEN sum(refund) > 0 THEN 'partially_refunded'
    WHEN {first_value('status')} LIKE '%待支付%' THEN 'pending'
    WHEN {first_value('status')} LIKE '%备货%' OR {first_value('status')} LIKE '%待发货%' THEN 'paid'
    WHEN {first_value('status')} LIKE '%已发货%' THEN 'shipped'
    WHEN {first_value('status')} LIKE '%已完成%' THEN 'completed'
    ELSE {first_value('status')} END"""

FORMAT = ExportFormat(
    id="douyin_orders",
    label="抖店 订单导出",
    source="douyin",
    signature=("主订单编号", "子订单编号", "订单提交时间", "订单应付金额"),
    order_key="order_id",
    timezone="Asia/Shanghai",
    fields={
        "order_id": Field("主订单编号", kind="id", required=True),
        "sub_id": Field("子订单编号", kind="id", required=True),
        "product": Field("选购商品"),
        "spec": Field("商品规格"),
        "qty": Field("商品数量", kind="number", required=True),
        "sku_code": Field("商家编码", kind="id"),
        "product_id": Field("商品ID", kind="id"),
        "payable": Field("订单应付金额", kind="money", required=True),
        "freight": Field("运费", kind="money"),
        "created_at": Field("订单提交时间", kind="timestamp", required=True, formats=TS),
        "completed_at": Field("订单完成时间", kind="timestamp", formats=TS),
        "shipped_at": Field("发货时间", kind="timestamp", formats=TS),
        "status": Field("订单状态"),
        "after_sale": Field("售后状态"),
        "cancel_reason": Field("取消原因"),
        "platform_disc": Field("平台实际承担优惠金额", kind="money"),
        "merchant_disc": Field("商家实际承担优惠金额", kind="money"),
        "talent_disc": Field("达人实际承担优惠金额", kind="money"),
    },
    outputs={
        "orders": f"""{SUB_ORDERS}
            SELECT order_id, 'douyin' AS source, 'douyin' AS channel, 'sale' AS kind,
                   min(created_at) AS created_at, CAST(min(created_at_local) AS DATE) AS order_date,
                   max(shipped_at) AS fulfilled_at, max(completed_at) AS delivered_at,
                   {STATUS} AS status, 'CNY' AS currency,
                   sum(payable - coalesce(freight, 0) + disc) AS subtotal,
                   sum(disc) AS discount, coalesce(sum(freight), 0) AS shipping, 0 AS tax,
                   sum(payable) AS total, sum(refund) AS refunded,
                   'CN' AS country, false AS is_test
            FROM s GROUP BY order_id""",
        "order_lines": f"""{SUB_ORDERS}
            SELECT order_id, 'douyin' AS source,
                   row_number() OVER (PARTITION BY order_id ORDER BY _rec) AS line_no,
                   'product' AS line_type, coalesce(sku_code, product_id) AS sku,
                   product AS product_name, spec AS variant, qty AS quantity,
                   (payable - coalesce(freight, 0) + disc) / nullif(qty, 0) AS unit_price,
                   disc AS discount, payable - coalesce(freight, 0) AS line_total,
                   'CNY' AS currency
            FROM s""",
    },
)
