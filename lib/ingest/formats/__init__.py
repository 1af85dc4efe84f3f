"""The registry of known export formats, detected by header signature (never by file name).

Detection picks the format whose signature headers are all present and which matches the
most of its fields; signatures are chosen so that real exports never tie.
"""
from lib.ingest.formats import online_retail, shopify_orders
from lib.ingest.formats.base import ExportFormat

# --- western platforms (block A) ---
_BLOCK_A: tuple[ExportFormat, ...] = ()
# --- end block A ---

# --- Chinese platforms and Shoplens templates (block B) ---
_BLOCK_B: tuple[ExportFormat, ...] = ()
# --- end block B ---

FORMATS: tuple[ExportFormat, ...] = (
    shopify_orders.FORMAT,
    online_retail.FORMAT,
    *_BLOCK_A,
    *_BLOCK_B,
)
