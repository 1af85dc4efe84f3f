"""Shopify Admin › Products › Export: one row per variant, plus rows that only carry an image.

Quirks: product-level columns (Title, Vendor, Type, Product Category, Status) are filled on
the first row of each Handle only, so they are carried to the Handle's variant rows from its
first non-empty value. Rows without a Variant SKU (image rows, SKU-less products) write
nothing. A SKU repeated on several rows keeps the last one in the file. Body (HTML) cells hold
newlines (mixed CRLF/LF) and are not read. Both header variants (v53 2023, v59 2025) share the
columns used here; `Variant Inventory Qty`, when the shop exports it, is the stock on hand.
The category is the Type, else the last level of the Shopify taxonomy path. Prices are in the
shop's currency, which the export does not name, so `currency` stays NULL.
"""
from lib.ingest.formats.base import ExportFormat, Field, first_value


def _carried(col: str) -> str:
    """The row's own value, else the Handle's first non-empty one (product-level columns)."""
    return f"coalesce({col}, {first_value(col)} OVER (PARTITION BY handle))"


FORMAT = ExportFormat(
    id="shopify_products",
    label="Shopify products export",
    source="shopify",
    signature=("Handle", "Variant SKU", "Variant Price"),
    fields={
        "handle": Field("Handle"),
        "title": Field("Title"),
        "vendor": Field("Vendor"),
        "product_category": Field("Product Category"),
        "product_type": Field("Type"),
        "status": Field("Status"),
        "sku": Field("Variant SKU", kind="id"),
        "price": Field("Variant Price", kind="money"),
        "cost": Field("Cost per item", kind="money"),
        "stock": Field("Variant Inventory Qty", kind="number"),
    },
    outputs={
        "products": f"""
            WITH h AS (
                SELECT _rec, sku, price, cost, stock,
                       {_carried('title')} AS name, {_carried('vendor')} AS vendor,
                       {_carried('product_type')} AS product_type,
                       {_carried('product_category')} AS product_category,
                       {_carried('status')} AS status
                FROM pv)
            SELECT _rec, sku, name,
                   coalesce(product_type, trim(split_part(product_category, '>', -1))) AS category,
                   vendor, cost AS unit_cost, price, NULL AS currency, stock AS stock_on_hand,
                   lower(status) AS status
            FROM h WHERE sku IS NOT NULL""",
    },
)
