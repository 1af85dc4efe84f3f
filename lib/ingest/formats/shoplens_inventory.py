"""Shoplens inventory template: one row per SKU, merged into products.

Headers: sku,name,category,unit_cost,price,stock_on_hand,lead_time_days,supplier,
safety_stock. Merge: a blank cell keeps what the workspace already knows about that SKU (for
example a name from a platform export); a later row for the same SKU wins. Costs, prices,
lead times and safety stock cannot be negative; stock_on_hand can (oversold).
"""
from lib.ingest.formats.base import ExportFormat, Field

NON_NEGATIVE = ("unit_cost", "price", "lead_time_days", "safety_stock")

FORMAT = ExportFormat(
    id="shoplens_inventory",
    label="Shoplens inventory template",
    source="shoplens",
    signature=("sku", "name", "stock_on_hand"),
    fields={
        "sku": Field("sku", kind="id", required=True),
        "name": Field("name"),
        "category": Field("category"),
        "unit_cost": Field("unit_cost", kind="money"),
        "price": Field("price", kind="money"),
        "stock_on_hand": Field("stock_on_hand", kind="number"),
        "lead_time_days": Field("lead_time_days", kind="int"),
        "supplier": Field("supplier"),
        "safety_stock": Field("safety_stock", kind="number"),
    },
    checks=tuple((c, f"{c} < 0", f"{c} cannot be negative") for c in NON_NEGATIVE),
    outputs={
        "products": """
            SELECT sku, name, category, unit_cost, price, stock_on_hand, lead_time_days,
                   supplier, safety_stock, _rec
            FROM pv""",
    },
)
