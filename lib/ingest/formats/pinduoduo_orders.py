"""Pinduoduo 商家后台 › 订单查询 › 导出: one row per order (one product each).

Quirks: amount and count headers carry units (`商品总价(元)`, `商品数量(件)`; full-width
parentheses match too); xlsx or csv; addresses masked (`****`) and never stored; columns
beyond the core set (支付时间, 省, 商家编码-SKU维度…) may or may not be present.

Amounts (用户实付金额 = 商品总价 + 邮费 − 店铺优惠 − 平台优惠 − 多多支付立减):
subtotal = 商品总价(元); shipping = 邮费(元); discount = 店铺优惠折扣 + 平台优惠折扣 +
多多支付立减金额, i.e. everything the buyer did not pay, whoever funded it (platform
subsidies reach the shop, but the KPI's discounts are measured from the buyer's side, as for
the other platforms); total = 用户实付金额(元). 售后状态 退款成功 → refunded = 用户实付金额
(a full refund); 退款中 is not refunded yet.

Status: a cancelled/closed order (已取消, 交易关闭…) with a successful refund was paid, so it
stays a sale with its refund ('refunded'); otherwise it is 'cancelled'. sku is 商家编码 at SKU
level (规格维度/SKU维度), else at product level, else the platform 商品id. paid_at is 支付时间
when exported, else 订单成交时间 (PDD lists an order once it is paid), except when cancelled.
"""
from lib.ingest.formats.base import ExportFormat, Field, cn_province

TS = ("%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M")

REFUNDED = "coalesce(after_sale LIKE '%退款成功%', false)"
STATUS = f"""CASE
    WHEN (status LIKE '%取消%' OR status LIKE '%关闭%') AND {REFUNDED} THEN 'refunded'
    WHEN status LIKE '%取消%' OR status LIKE '%关闭%' THEN 'cancelled'
    WHEN {REFUNDED} THEN 'refunded'
    WHEN status LIKE '%待支付%' OR status LIKE '%待付款%' THEN 'pending'
    WHEN status LIKE '%待发货%' THEN 'paid'
    WHEN status LIKE '%已发货%' THEN 'shipped'
    WHEN status LIKE '%已签收%' OR status LIKE '%已收货%' THEN 'completed'
    ELSE status END"""

FORMAT = ExportFormat(
    id="pinduoduo_orders",
    label="Pinduoduo 订单导出",
    source="pinduoduo",
    signature=("订单号", "订单成交时间", "商品总价(元)", "用户实付金额(元)"),
    order_key="order_id",
    timezone="Asia/Shanghai",
    fields={
        "order_id": Field("订单号", kind="id", required=True),
        "created_at": Field("订单成交时间", kind="timestamp", required=True, formats=TS),
        "paid_at": Field("支付时间", kind="timestamp", formats=TS),
        "shipped_at": Field("发货时间", kind="timestamp", formats=TS),
        "delivered_at": Field("确认收货时间", kind="timestamp", formats=TS),
        "product": Field("商品"),
        "spec": Field("商品规格"),
        "status": Field("订单状态"),
        "after_sale": Field("售后状态"),
        "goods_total": Field("商品总价(元)", kind="money", required=True),
        "postage": Field("邮费(元)", kind="money"),
        "shop_discount": Field("店铺优惠折扣(元)", kind="money"),
        "platform_discount": Field("平台优惠折扣(元)", kind="money"),
        "pay_discount": Field("多多支付立减金额(元)", kind="money"),
        "paid_amount": Field("用户实付金额(元)", kind="money"),
        "qty": Field("商品数量(件)", kind="number", required=True),
        "product_id": Field("商品id", kind="id"),
        "sku_code": Field("商家编码-规格维度", "商家编码-SKU维度", kind="id"),
        "product_code": Field("商家编码-商品维度", kind="id"),
        "province": Field("省"),
    },
    outputs={
        "orders": f"""
            WITH t AS (
                SELECT *, coalesce(shop_discount, 0) + coalesce(platform_discount, 0)
                          + coalesce(pay_discount, 0) AS disc
                FROM pv)
            SELECT order_id, 'pinduoduo' AS source, 'pinduoduo' AS channel, 'sale' AS kind,
                   created_at, CAST(created_at_local AS DATE) AS order_date,
                   coalesce(paid_at, CASE WHEN {STATUS} <> 'cancelled' THEN created_at END)
                       AS paid_at, shipped_at AS fulfilled_at,
                   delivered_at, {STATUS} AS status, 'CNY' AS currency,
                   goods_total AS subtotal, disc AS discount,
                   coalesce(postage, 0) AS shipping, 0 AS tax,
                   coalesce(paid_amount, goods_total + coalesce(postage, 0) - disc) AS total,
                   CASE WHEN {REFUNDED} THEN coalesce(paid_amount, 0) ELSE 0 END AS refunded,
                   'CN' AS country, {cn_province('province')} AS region,
                   false AS is_test, _rec
            FROM t""",
        "order_lines": """
            SELECT order_id, 'pinduoduo' AS source, 1 AS line_no, 'product' AS line_type,
                   coalesce(sku_code, product_code, product_id) AS sku,
                   product AS product_name, spec AS variant, qty AS quantity,
                   goods_total / nullif(qty, 0) AS unit_price, 0 AS discount,
                   goods_total AS line_total, 'CNY' AS currency
            FROM pv
            QUALIFY row_number() OVER (PARTITION BY order_id ORDER BY _rec DESC) = 1""",
    },
)
