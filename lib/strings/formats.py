"""Export format names as a reader sees them (data page, import history, load messages).
English is each format module's own `label` (a test keeps them equal); Chinese names the
platform as Chinese sellers know it."""
from __future__ import annotations

STRINGS: dict[str, tuple[str, str]] = {
    "format.amazon_orders": ("Amazon All Orders report", "Amazon 全部订单报告"),
    "format.cdnow": ("CDNOW purchases", "CDNOW 购买记录"),
    "format.douyin_orders": ("抖店 订单导出", "抖店 订单导出"),
    "format.etsy_order_items": ("Etsy sold order items", "Etsy 已售商品明细"),
    "format.etsy_orders": ("Etsy sold orders", "Etsy 已售订单"),
    "format.jd_orders": ("JD 商家后台 订单导出", "京东商家后台 订单导出"),
    "format.online_retail": ("Transactions (Online Retail layout)", "交易明细（Online Retail 格式）"),
    "format.pinduoduo_orders": ("Pinduoduo 订单导出", "拼多多 订单导出"),
    "format.shopify_customers": ("Shopify customers export", "Shopify 客户导出"),
    "format.shopify_orders": ("Shopify orders export", "Shopify 订单导出"),
    "format.shopify_products": ("Shopify products export", "Shopify 商品导出"),
    "format.shoplens_fx": ("Shoplens exchange rates template", "Shoplens 汇率模板"),
    "format.shoplens_inventory": ("Shoplens inventory template", "Shoplens 库存模板"),
    "format.shoplens_marketing": ("Shoplens marketing template", "Shoplens 营销模板"),
    "format.shoplens_promotions": ("Shoplens promotions template", "Shoplens 促销模板"),
    "format.shoplens_risks": ("Shoplens risk register template", "Shoplens 风险登记模板"),
    "format.shoplens_targets": ("Shoplens targets template", "Shoplens 目标模板"),
    "format.shoplens_traffic": ("Shoplens traffic template", "Shoplens 流量模板"),
    "format.taobao_order_items": ("Taobao/Tmall 宝贝报表", "淘宝/天猫 宝贝报表"),
    "format.taobao_orders": ("Taobao/Tmall 订单报表", "淘宝/天猫 订单报表"),
    "format.woocommerce_analytics": ("WooCommerce Analytics orders report", "WooCommerce Analytics 订单报告"),
    "format.woocommerce_orders": ("WooCommerce order export (WebToffee)", "WooCommerce 订单导出（WebToffee）"),
    "format.generic_any": ("a column mapping", "自定义列映射"),
}
