"""The registry of known export formats, detected by header signature (never by file name).

Detection picks the format whose signature headers are all present and which matches the
most of its fields; signatures are chosen so that real exports never tie.
"""
from lib.ingest.formats import online_retail, shopify_orders
from lib.ingest.formats.base import ExportFormat

# --- western platforms (block A) ---
from lib.ingest.formats import (  # noqa: E402
    amazon_orders,
    cdnow,
    etsy_order_items,
    etsy_orders,
    shopify_customers,
    shopify_products,
    woocommerce_analytics,
    woocommerce_orders,
)

_BLOCK_A: tuple[ExportFormat, ...] = (
    shopify_products.FORMAT,
    shopify_customers.FORMAT,
    etsy_orders.FORMAT,
    etsy_order_items.FORMAT,
    woocommerce_orders.FORMAT,
    woocommerce_analytics.FORMAT,
    amazon_orders.FORMAT,
    cdnow.FORMAT,
)
# --- end block A ---

# --- Chinese platforms and Shoplens templates (block B) ---
from lib.ingest.formats import (  # noqa: E402
    douyin_orders,
    jd_orders,
    pinduoduo_orders,
    shoplens_fx,
    shoplens_inventory,
    shoplens_marketing,
    shoplens_promotions,
    shoplens_risks,
    shoplens_targets,
    shoplens_traffic,
    taobao_order_items,
    taobao_orders,
)

_BLOCK_B: tuple[ExportFormat, ...] = (
    taobao_orders.FORMAT,
    taobao_order_items.FORMAT,
    jd_orders.FORMAT,
    pinduoduo_orders.FORMAT,
    douyin_orders.FORMAT,
    shoplens_traffic.FORMAT,
    shoplens_marketing.FORMAT,
    shoplens_inventory.FORMAT,
    shoplens_targets.FORMAT,
    shoplens_risks.FORMAT,
    shoplens_promotions.FORMAT,
    shoplens_fx.FORMAT,
)
# --- end block B ---

FORMATS: tuple[ExportFormat, ...] = (
    shopify_orders.FORMAT,
    online_retail.FORMAT,
    *_BLOCK_A,
    *_BLOCK_B,
)
