"""Taobao/Tmall 千牛 › 宝贝报表 (ExportOrderDetailList<yyyymmddHHMM>.csv): one row per item.

Same quirks as the 订单报表 (GBK, `NULL`, `="…"` codes, 19-digit 订单编号). It writes order
lines: the orders themselves (dates, status, amounts) come from the 订单报表, which shares
订单编号 and the source 'taobao'. Loading it again replaces the lines of its orders.

When the 订单报表 was loaded first, this file also rewrites those orders' discount: the shop
discount (Σ 价格 × 购买数量 − 买家应付货款) can only be known once both files are in. The
previous lines' share is taken out first, so re-loading the items never adds it twice.

价格 is the unit price at purchase, before shop-level coupons; line_total = 价格 × 购买数量.
sku is 商家编码 (the shop's own code), else 外部系统编号; variant is 商品属性 as exported
(e.g. `颜色分类：红色`).

It keeps the default `records` (refunds and cancellations): the orders it rewrites are the
订单报表's, which records both, and they carry this import's batch from then on.
"""
from lib.ingest.formats.base import ExportFormat, Field

FORMAT = ExportFormat(
    id="taobao_order_items",
    label="Taobao/Tmall 宝贝报表",
    source="taobao",
    signature=("订单编号", "标题", "价格", "购买数量", "商品属性"),
    order_key="order_id",
    timezone="Asia/Shanghai",
    fields={
        "order_id": Field("订单编号", kind="id", required=True),
        "title": Field("标题"),
        "price": Field("价格", kind="money", required=True),
        "qty": Field("购买数量", kind="number", required=True),
        "external_code": Field("外部系统编号", kind="id"),
        "attributes": Field("商品属性"),
        "merchant_code": Field("商家编码", kind="id"),
    },
    outputs={
        "order_lines": """
            SELECT order_id, 'taobao' AS source,
                   row_number() OVER (PARTITION BY order_id ORDER BY _rec) AS line_no,
                   'product' AS line_type, coalesce(merchant_code, external_code) AS sku,
                   title AS product_name, attributes AS variant,
                   qty AS quantity, price AS unit_price, 0 AS discount,
                   price * qty AS line_total, 'CNY' AS currency
            FROM pv""",
        "orders": """
            WITH new_gross AS (
                SELECT order_id, sum(price * qty) AS gross FROM pv GROUP BY order_id),
            old_gross AS (
                SELECT l.order_id, sum(l.unit_price * l.quantity) AS gross FROM order_lines l
                WHERE l.source = 'taobao' AND l.line_type = 'product'
                  AND l.order_id IN (SELECT order_id FROM new_gross) GROUP BY l.order_id)
            SELECT w.* EXCLUDE (discount, batch_id),
                   w.discount - coalesce(greatest(o.gross - w.subtotal, 0), 0)
                              + coalesce(greatest(n.gross - w.subtotal, 0), 0) AS discount
            FROM orders w JOIN new_gross n ON n.order_id = w.order_id
            LEFT JOIN old_gross o ON o.order_id = w.order_id
            WHERE w.source = 'taobao'""",
    },
)
