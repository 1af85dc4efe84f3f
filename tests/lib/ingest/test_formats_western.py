"""Western export formats: detection, row accounting and hand-computed numbers per format.

Fixtures are built in tmp_path from the exact header lists in
../shared/data/headers/platform_headers.json (copied below so these tests run without it);
real-file tests skip cleanly when ../shared/data is absent.
"""
from __future__ import annotations

import csv
import hashlib
import json
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from lib.cli import main as cli_main
from lib.ingest.formats import FORMATS
from lib.ingest.load import IngestResult, detect_format, ingest_path
from lib.metrics.core import CoreKpis, compute_core_kpis
from lib.workspace import Workspace
from tests.conftest import shared_file

D = Decimal
WESTERN = {"shopify_products", "shopify_customers", "etsy_orders", "etsy_order_items",
           "woocommerce_orders", "woocommerce_analytics", "amazon_orders", "cdnow"}


def _h(text: str) -> tuple[str, ...]:
    return tuple(text.split("|"))


SHOPIFY_ORDERS_V79 = _h(
    'Name|Email|Financial Status|Paid at|Fulfillment Status|Fulfilled at|'
    'Accepts Marketing|Currency|Subtotal|Shipping|Taxes|Total|Discount Code|'
    'Discount Amount|Shipping Method|Created at|Lineitem quantity|Lineitem name|'
    'Lineitem price|Lineitem compare at price|Lineitem sku|Lineitem requires shipping|'
    'Lineitem taxable|Lineitem fulfillment status|Billing Name|Billing Street|'
    'Billing Address1|Billing Address2|Billing Company|Billing City|Billing Zip|'
    'Billing Province|Billing Country|Billing Phone|Shipping Name|Shipping Street|'
    'Shipping Address1|Shipping Address2|Shipping Company|Shipping City|Shipping Zip|'
    'Shipping Province|Shipping Country|Shipping Phone|Notes|Note Attributes|'
    'Cancelled at|Payment Method|Payment Reference|Refunded Amount|Vendor|'
    'Outstanding Balance|Employee|Location|Device ID|Id|Tags|Risk Level|Source|'
    'Lineitem discount|Tax 1 Name|Tax 1 Value|Tax 2 Name|Tax 2 Value|Tax 3 Name|'
    'Tax 3 Value|Tax 4 Name|Tax 4 Value|Tax 5 Name|Tax 5 Value|Phone|Receipt Number|'
    'Duties|Billing Province Name|Shipping Province Name|Payment ID|Payment Terms Name|'
    'Next Payment Due At|Payment References'
)
PRODUCTS_V53 = _h(
    'Handle|Title|Body (HTML)|Vendor|Product Category|Type|Tags|Published|Option1 Name|'
    'Option1 Value|Option2 Name|Option2 Value|Option3 Name|Option3 Value|Variant SKU|'
    'Variant Grams|Variant Inventory Tracker|Variant Inventory Policy|'
    'Variant Fulfillment Service|Variant Price|Variant Compare At Price|'
    'Variant Requires Shipping|Variant Taxable|Variant Barcode|Image Src|Image Position|'
    'Image Alt Text|Gift Card|SEO Title|SEO Description|'
    'Google Shopping / Google Product Category|Google Shopping / Gender|'
    'Google Shopping / Age Group|Google Shopping / MPN|Google Shopping / Condition|'
    'Google Shopping / Custom Product|Google Shopping / Custom Label 0|'
    'Google Shopping / Custom Label 1|Google Shopping / Custom Label 2|'
    'Google Shopping / Custom Label 3|Google Shopping / Custom Label 4|Variant Image|'
    'Variant Weight Unit|Variant Tax Code|Cost per item|Included / United States|'
    'Included / Canada|Price / Canada|Compare At Price / Canada|Included / International|'
    'Price / International|Compare At Price / International|Status'
)
PRODUCTS_V59 = _h(
    'Handle|Title|Body (HTML)|Vendor|Product Category|Type|Tags|Published|Option1 Name|'
    'Option1 Value|Option1 Linked To|Option2 Name|Option2 Value|Option2 Linked To|'
    'Option3 Name|Option3 Value|Option3 Linked To|Variant SKU|Variant Grams|'
    'Variant Inventory Tracker|Variant Inventory Policy|Variant Fulfillment Service|'
    'Variant Price|Variant Compare At Price|Variant Requires Shipping|Variant Taxable|'
    'Variant Barcode|Image Src|Image Position|Image Alt Text|Gift Card|SEO Title|'
    'SEO Description|Google Shopping / Google Product Category|Google Shopping / Gender|'
    'Google Shopping / Age Group|Google Shopping / MPN|Google Shopping / Condition|'
    'Google Shopping / Custom Product|Google Shopping / Custom Label 0|'
    'Google Shopping / Custom Label 1|Google Shopping / Custom Label 2|'
    'Google Shopping / Custom Label 3|Google Shopping / Custom Label 4|'
    'Google: Custom Product (product.metafields.mm-google-shopping.custom_product)|'
    'Color (product.metafields.shopify.color-pattern)|'
    'Material de decoración (product.metafields.shopify.decoration-material)|'
    'Formato de papel (product.metafields.shopify.paper-format)|'
    'Tamaño de papel (product.metafields.shopify.paper-size)|'
    'Características de la planta (product.metafields.shopify.plant-characteristics)|'
    'Forma (product.metafields.shopify.shape)|'
    'Espacio adecuado (product.metafields.shopify.suitable-space)|'
    'Luz solar (product.metafields.shopify.sunlight)|'
    'Forma de jarrón (product.metafields.shopify.vase-shape)|Variant Image|'
    'Variant Weight Unit|Variant Tax Code|Cost per item|Status'
)
CUSTOMERS_OLD = _h(
    'First Name|Last Name|Email|Accepts Email Marketing|Company|Address1|Address2|City|'
    'Province|Province Code|Country|Country Code|Zip|Phone|Accepts SMS Marketing|'
    'Total Spent|Total Orders|Tags|Note|Tax Exempt'
)
CUSTOMERS_NEW = _h(
    'Customer ID|First Name|Last Name|Email|Accepts Email Marketing|'
    'Default Address Company|Default Address Address1|Default Address Address2|'
    'Default Address City|Default Address Province Code|Default Address Country Code|'
    'Default Address Zip|Default Address Phone|Phone|Accepts SMS Marketing|Total Spent|'
    'Total Orders|Note|Tax Exempt|Tags'
)
ETSY_ORDERS = _h(
    'Sale Date|Order ID|Buyer User ID|Full Name|First Name|Last Name|Number of Items|'
    'Payment Method|Date Shipped|Street 1|Street 2|Ship City|Ship State|Ship Zipcode|'
    'Ship Country|Currency|Order Value|Coupon Code|Coupon Details|Discount Amount|'
    'Shipping Discount|Shipping|Sales Tax|Order Total|Status|Card Processing Fees|'
    'Order Net|Adjusted Order Total|Adjusted Card Processing Fees|'
    'Adjusted Net Order Amount|Buyer|Order Type|Payment Type|InPerson Discount|'
    'InPerson Location|SKU'
)
ETSY_ITEMS = _h(
    'Sale Date|Item Name|Buyer|Quantity|Price|Coupon Code|Coupon Details|Discount Amount|'
    'Shipping Discount|Order Shipping|Order Sales Tax|Item Total|Currency|Transaction ID|'
    'Listing ID|Date Paid|Date Shipped|Ship Name|Ship Address1|Ship Address2|Ship City|'
    'Ship State|Ship Zipcode|Ship Country|Order ID|Variations|Order Type|Listings Type|'
    'Payment Type|InPerson Discount|InPerson Location|VAT Paid by Buyer|SKU'
)
WOO_ANALYTICS = _h(
    'Date|Order #|N. Revenue (formatted)|Status|Customer|Customer type|Product(s)|'
    'Items sold|Coupon(s)|Net Sales|Attribution'
)
WOO_WEBTOFFEE = _h(
    'order_id|order_number|order_date|status|shipping_total|shipping_tax_total|fee_total|'
    'fee_tax_total|tax_total|cart_discount|order_discount|discount_total|order_total|'
    'order_currency|payment_method|shipping_method|customer_id|customer_user|'
    'customer_email|billing_first_name|billing_last_name|billing_company|billing_email|'
    'billing_phone|billing_address_1|billing_address_2|billing_postcode|billing_city|'
    'billing_state|billing_country|shipping_first_name|shipping_last_name|'
    'shipping_company|shipping_address_1|shipping_address_2|shipping_postcode|'
    'shipping_city|shipping_state|shipping_country|customer_note|shipping_items|'
    'fee_items|tax_items|coupon_items|refund_items|order_notes|download_permissions|'
    'customer_ip_address|paid_date|completed_date|line_item_1|line_item_2|line_item_3'
)
AMAZON_CURRENT = _h(
    'amazon-order-id|merchant-order-id|purchase-date|last-updated-date|order-status|'
    'fulfillment-channel|sales-channel|order-channel|ship-service-level|product-name|sku|'
    'asin|item-status|quantity|currency|item-price|item-tax|shipping-price|shipping-tax|'
    'gift-wrap-price|gift-wrap-tax|item-promotion-discount|ship-promotion-discount|'
    'ship-city|ship-state|ship-postal-code|ship-country|promotion-ids|cpf|'
    'is-business-order|purchase-order-number|price-designation'
)
AMAZON_NEWER = _h(
    'amazon-order-id|merchant-order-id|purchase-date|last-updated-date|order-status|'
    'fulfillment-channel|sales-channel|order-channel|ship-service-level|product-name|sku|'
    'asin|number-of-items|item-status|tax-collection-model|'
    'tax-collection-responsible-party|quantity|currency|item-price|item-tax|'
    'shipping-price|shipping-tax|gift-wrap-price|gift-wrap-tax|item-promotion-discount|'
    'ship-promotion-discount|address-type|ship-city|ship-state|ship-postal-code|'
    'ship-country|promotion-ids|is-business-order|purchase-order-number|'
    'price-designation'
)
AMAZON_OLD_URL = _h(
    'amazon-order-id|merchant-order-id|purchase-date|last-updated-date|order-status|'
    'fulfillment-channel|sales-channel|order-channel|url|ship-service-level|product-name|'
    'sku|asin|item-status|quantity|currency|item-price|item-tax|shipping-price|'
    'shipping-tax|gift-wrap-price|gift-wrap-tax|item-promotion-discount|'
    'ship-promotion-discount|ship-city|ship-state|ship-postal-code|ship-country|'
    'promotion-ids|is-business-order|purchase-order-number|price-designation'
)
CDNOW_HEADER = ("customer_id", "date", "number_of_cds", "dollar_value")


# --- helpers ----------------------------------------------------------------------------
def write_rows(path: Path, header: tuple[str, ...], rows: list[dict[str, str]],
               delimiter: str = ",", newline: str = "\r\n") -> Path:
    """A CSV/TSV export: the exact header, one line per row dict (missing cells empty)."""
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, delimiter=delimiter, lineterminator=newline)
        writer.writerow(header)
        for row in rows:
            unknown = set(row) - set(header)
            assert not unknown, f"fixture uses columns not in the header: {unknown}"
            writer.writerow([row.get(h, "") for h in header])
    return path


def load_one(ws: Workspace, path: Path, fmt: str) -> IngestResult:
    (res,) = ingest_path(ws, path)
    assert res.status == "loaded", res.message
    assert res.format == fmt
    assert res.rows_read == res.rows_loaded + res.rows_rejected
    return res


def one(ws: Workspace, sql: str, params: list[object] | None = None) -> object:
    row = ws.cursor().execute(sql, params or []).fetchone()
    assert row is not None
    return row[0]


def kpis(ws: Workspace) -> CoreKpis:
    return compute_core_kpis(ws)


def text_columns_containing(ws: Workspace, pattern: str) -> list[str]:
    """Every `table.column` of the workspace (VARCHAR) with a value LIKE `pattern`."""
    cur = ws.cursor()
    columns = cur.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE data_type = 'VARCHAR' AND table_schema = 'main'").fetchall()
    assert ("customers", "customer_id") in columns and ("orders", "customer_id") in columns
    hits = []
    for table, column in columns:  # names straight from the catalog, quoted
        sql = f'SELECT count(*) FROM "{table}" WHERE "{column}" LIKE ?'
        if cur.execute(sql, [pattern]).fetchone() != (0,):
            hits.append(f"{table}.{column}")
    return hits


def salted(ws: Workspace, value: str) -> str:
    """The customer key computed independently of the SQL macro."""
    return hashlib.sha256((ws.salt + value.lower()).encode()).hexdigest()[:24]


# --- detection --------------------------------------------------------------------------
@pytest.mark.parametrize(("header", "expected"), [
    (PRODUCTS_V53, "shopify_products"), (PRODUCTS_V59, "shopify_products"),
    (CUSTOMERS_OLD, "shopify_customers"), (CUSTOMERS_NEW, "shopify_customers"),
    (ETSY_ORDERS, "etsy_orders"), (ETSY_ITEMS, "etsy_order_items"),
    (WOO_WEBTOFFEE, "woocommerce_orders"), (WOO_ANALYTICS, "woocommerce_analytics"),
    (AMAZON_CURRENT, "amazon_orders"), (AMAZON_NEWER, "amazon_orders"),
    (AMAZON_OLD_URL, "amazon_orders"), (CDNOW_HEADER, "cdnow"),
    (SHOPIFY_ORDERS_V79, "shopify_orders"),
])
def test_header_detects_its_format(header: tuple[str, ...], expected: str) -> None:
    fmt = detect_format(header)
    assert fmt is not None and fmt.id == expected


def test_headers_match_case_and_space_insensitively() -> None:
    fmt = detect_format(tuple(f"  {h.upper()} " for h in ETSY_ITEMS))
    assert fmt is not None and fmt.id == "etsy_order_items"


def test_every_western_format_is_registered_once() -> None:
    ids = [f.id for f in FORMATS]
    assert WESTERN <= set(ids)
    assert len(ids) == len(set(ids))


def test_no_other_known_header_is_taken_for_a_western_format() -> None:
    """Every header list of the shared JSON (Shopify orders, Taobao, JD, Douyin, Temu...)."""
    path = shared_file("headers/platform_headers.json")
    mine = {
        "shopify_products_export": "shopify_products", "shopify_customers_export": "shopify_customers",
        "EtsySoldOrders (order level, 2021-2022)": "etsy_orders",
        "EtsySoldOrderItems (item level, 2020-2023)": "etsy_order_items",
    }
    checked = 0
    for platform, variants in json.loads(path.read_text(encoding="utf-8")).items():
        for name, header in variants.items():
            if not isinstance(header, list) or name.startswith(("other columns", "order status")):
                continue
            fmt = detect_format(tuple(header))
            expected = mine.get(name) or mine.get(platform)
            if name.startswith("WebToffee"):
                expected = "woocommerce_orders"
            elif name.startswith("core Analytics"):
                expected = "woocommerce_analytics"
            elif name.startswith(("All Orders", "older MWS")):
                expected = "amazon_orders"
            if expected:
                assert fmt is not None and fmt.id == expected, name
            else:
                assert fmt is None or fmt.id not in WESTERN, (name, fmt and fmt.id)
            checked += 1
    assert checked >= 20


# --- Shopify products -------------------------------------------------------------------
def _product_rows() -> list[dict[str, str]]:
    return [
        {"Handle": "mug", "Title": "Dog Mug", "Body (HTML)": "<p>line one\r\nline two\nthree</p>",
         "Vendor": "CustomCat", "Product Category": "Home & Garden > Drinkware > Mugs",
         "Type": "", "Variant SKU": "MUG-11", "Variant Price": "14.70", "Cost per item": "6.10",
         "Status": "active"},
        {"Handle": "mug", "Variant SKU": "'MUG-15", "Variant Price": "18.00", "Cost per item": ""},
        {"Handle": "mug", "Image Src": "https://cdn.example/mug2.png", "Image Position": "2"},
        {"Handle": "sweater", "Title": "Pet Sweater", "Vendor": "Knitwise", "Type": "Apparel",
         "Variant SKU": "SW-XS", "Variant Price": "128.00", "Cost per item": "70.00",
         "Status": "draft"},
    ]


def test_shopify_products_carry_product_fields_to_variants(ws: Workspace, tmp_path: Path) -> None:
    res = load_one(ws, write_rows(tmp_path / "products_export_1.csv", PRODUCTS_V53,
                                  _product_rows()), "shopify_products")
    assert (res.rows_read, res.rows_rejected) == (4, 0)
    rows = ws.cursor().execute(
        "SELECT sku, name, category, vendor, price, unit_cost, stock_on_hand, status, currency "
        "FROM products ORDER BY sku").fetchall()
    assert rows == [
        ("MUG-11", "Dog Mug", "Mugs", "CustomCat", D("14.70"), D("6.10"), None, "active", None),
        ("MUG-15", "Dog Mug", "Mugs", "CustomCat", D("18.00"), None, None, "active", None),
        ("SW-XS", "Pet Sweater", "Apparel", "Knitwise", D("128.00"), D("70.00"), None, "draft", None),
    ]


def test_shopify_products_v59_reads_inventory_qty(ws: Workspace, tmp_path: Path) -> None:
    header = PRODUCTS_V59 + ("Variant Inventory Qty",)
    rows = _product_rows()
    rows[0]["Variant Inventory Qty"] = "12"
    rows[1]["Variant Inventory Qty"] = "0"
    load_one(ws, write_rows(tmp_path / "p.csv", header, rows), "shopify_products")
    stock = dict(ws.cursor().execute("SELECT sku, stock_on_hand FROM products").fetchall())
    assert stock == {"MUG-11": D("12"), "MUG-15": D("0"), "SW-XS": None}


def test_real_shopify_products_load_without_rejections(ws: Workspace) -> None:
    res = load_one(ws, shared_file("shopify-products-us-petstore/products_export_1.csv"),
                   "shopify_products")
    assert (res.rows_read, res.rows_loaded, res.rows_rejected) == (3399, 3399, 0)
    assert one(ws, "SELECT count(*) FROM products") == 2152  # distinct non-empty SKUs
    # a variant row: blank Title in the file, carried from the Handle's first row
    row = ws.cursor().execute(
        "SELECT name, price, unit_cost, status, vendor FROM products WHERE sku = ?",
        ["kwp_6e122c52cc7b2ef7"]).fetchone()
    assert row == ("Custom Knitted Pet Face Sweater", D("128.00"), D("70.00"), "draft", "Knitwise")
    assert one(ws, "SELECT price FROM products WHERE sku = '1005-9786-102064101-47417'") == D("14.70")


# --- Shopify customers ------------------------------------------------------------------
def test_shopify_customers_hash_email_like_orders(ws: Workspace, tmp_path: Path) -> None:
    load_one(ws, write_rows(tmp_path / "orders_export_1.csv", SHOPIFY_ORDERS_V79, [
        {"Name": "#1001", "Email": "ana@example.com", "Financial Status": "paid",
         "Currency": "CLP", "Subtotal": "1000", "Total": "1000",
         "Created at": "2024-01-05 10:00:00 -0300", "Lineitem quantity": "1",
         "Lineitem name": "Vela", "Lineitem price": "1000"},
    ]), "shopify_orders")
    res = load_one(ws, write_rows(tmp_path / "customers_export.csv", CUSTOMERS_NEW, [
        {"Customer ID": "'5897398649016", "First Name": "Ana", "Last Name": "Pérez",
         "Email": "Ana@Example.com", "Accepts Email Marketing": "yes",
         "Default Address Address1": "Calle 1", "Default Address City": "Santiago",
         "Default Address Province Code": "RM", "Default Address Country Code": "CL",
         "Default Address Phone": "'+56911112222", "Accepts SMS Marketing": "no",
         "Total Spent": "265000.00", "Total Orders": "3", "Tags": "newsletter"},
        {"Customer ID": "'5905781948600", "Email": "", "Accepts Email Marketing": "no",
         "Total Spent": "0.00", "Total Orders": "0"},
    ]), "shopify_customers")
    assert (res.rows_read, res.rows_rejected) == (2, 0)
    rows = ws.cursor().execute(
        "SELECT customer_id, country, region, accepts_marketing, total_spent, total_orders, tags "
        "FROM customers ORDER BY total_orders DESC").fetchall()
    assert rows == [
        (salted(ws, "ana@example.com"), "CL", "RM", True, D("265000.00"), 3, "newsletter"),
        (salted(ws, "shopify-customer:5905781948600"), None, None, False, D("0.00"), 0, None),
    ]
    # the same key as the order's customer: customers join orders
    assert one(ws, "SELECT count(*) FROM orders o JOIN customers c USING (customer_id)") == 1


def test_shopify_customers_old_header_skips_rows_without_email(ws: Workspace, tmp_path: Path) -> None:
    res = load_one(ws, write_rows(tmp_path / "c.csv", CUSTOMERS_OLD, [
        {"First Name": "Bo", "Email": "bo@example.com", "Accepts Email Marketing": "no",
         "Province Code": "ON", "Country Code": "CA", "Total Spent": "12.50", "Total Orders": "1"},
        {"First Name": "No Mail", "Email": "", "Total Spent": "0.00", "Total Orders": "0"},
    ]), "shopify_customers")
    assert (res.rows_read, res.rows_loaded, res.rows_rejected) == (2, 2, 0)
    assert ws.cursor().execute("SELECT customer_id, country, region, total_spent FROM customers"
                               ).fetchall() == [(salted(ws, "bo@example.com"), "CA", "ON", D("12.50"))]


def test_real_shopify_customers_store_no_email(ws: Workspace) -> None:
    res = load_one(ws, shared_file("shopify-customers-cl-laslira/customers_export.csv"),
                   "shopify_customers")
    assert (res.rows_read, res.rows_loaded, res.rows_rejected) == (1427, 1427, 0)
    assert one(ws, "SELECT count(DISTINCT customer_id) FROM customers") == 1427
    assert one(ws, "SELECT count(*) FROM customers WHERE country = 'CL'") == 1337
    assert text_columns_containing(ws, "%@%") == []  # no raw e-mail in any table


# --- Etsy -------------------------------------------------------------------------------
def _etsy_orders_rows() -> list[dict[str, str]]:
    base = {"Currency": "USD", "Ship Country": "United States", "Shipping Discount": "0.00",
            "Sales Tax": "0", "Adjusted Order Total": "0.00",
            "Adjusted Card Processing Fees": "0.00", "Adjusted Net Order Amount": "0.00",
            "Order Type": "online", "Payment Type": "online_cc"}
    return [
        # 50 − 5 + 4 shipping = 49 for the seller; 3.60 tax collected by Etsy in Order Total
        {**base, "Sale Date": "12/30/21", "Order ID": "1001", "Buyer": "X-ana",
         "Number of Items": "3", "Date Shipped": "01/02/22", "Ship State": "CA",
         "Order Value": "50.00", "Coupon Code": "WIN10;WIN10", "Discount Amount": "5.00",
         "Shipping": "4.00", "Order Total": "52.60", "Card Processing Fees": "1.83",
         "Order Net": "47.17"},
        # partial refund: after it the buyer total is 9.45 + 0.55 = 10.00, so 10.00 refunded
        {**base, "Sale Date": "12/31/21", "Order ID": "1002", "Buyer": "X-bo",
         "Number of Items": "1", "Order Value": "20.00", "Discount Amount": "0.00",
         "Shipping": "0.00", "Order Total": "20.00", "Card Processing Fees": "0.85",
         "Order Net": "19.15", "Adjusted Card Processing Fees": "0.55",
         "Adjusted Net Order Amount": "9.45"},
        {**base, "Sale Date": "12/31/21", "Order ID": "1003", "Buyer": "X-cy",
         "Number of Items": "1", "Order Value": "30.00", "Discount Amount": "0.00",
         "Shipping": "0.00", "Order Total": "30.00", "Card Processing Fees": "1.15",
         "Order Net": "28.85", "Status": "Canceled"},
    ]


def _etsy_items_rows() -> list[dict[str, str]]:
    o1 = {"Sale Date": "12/30/21", "Buyer": "X-ana", "Order ID": "1001", "Currency": "USD",
          "Coupon Code": "WIN10; WIN10", "Discount Amount": "5.00", "Shipping Discount": "0.00",
          "Order Shipping": "4.00", "Order Sales Tax": "0.00", "Date Paid": "12/30/2021",
          "Date Shipped": "01/02/2022", "Ship Country": "United States"}
    return [
        {**o1, "Item Name": "Mug", "Quantity": "2", "Price": "10.00", "Item Total": "20.00",
         "Transaction ID": "t1", "Listing ID": "l1", "SKU": "MUG"},
        {**o1, "Item Name": "Print", "Quantity": "1", "Price": "30.00", "Item Total": "30.00",
         "Transaction ID": "t2", "Listing ID": "l2", "SKU": "PRINT", "Variations": "Size:A4"},
        {"Sale Date": "01/03/22", "Buyer": "X-dee", "Order ID": "1004", "Currency": "USD",
         "Item Name": "Card", "Quantity": "1", "Price": "15.00", "Item Total": "15.00",
         "Discount Amount": "0.00", "Order Shipping": "3.00", "Order Sales Tax": "1.20",
         "Transaction ID": "t3", "Listing ID": "l3", "Date Paid": "01/03/2022"},
    ]


def test_etsy_sold_orders_money(ws: Workspace, tmp_path: Path) -> None:
    res = load_one(ws, write_rows(tmp_path / "EtsySoldOrders2021.csv", ETSY_ORDERS,
                                  _etsy_orders_rows()), "etsy_orders")
    assert (res.rows_read, res.rows_rejected, res.order_lines) == (3, 0, 0)
    k = kpis(ws)
    assert (k.orders, k.cancelled_orders) == (2, 1)
    assert (k.discounts, k.refunds, k.order_total) == (D("5.00"), D("10.00"), D("72.60"))
    # No lines in this file: gross falls back to Order Value (items before discounts), 50 + 20.
    assert (k.gross_sales, k.net_sales) == (D("70.00"), D("55.00"))
    assert one(ws, "SELECT count(*) FROM order_lines") == 0
    row = ws.cursor().execute(
        "SELECT order_date, subtotal, discount, shipping, tax, total, fees, discount_code, "
        "fulfilled_at IS NOT NULL, customer_id FROM orders WHERE order_id = '1001'").fetchone()
    assert row[:9] == (date(2021, 12, 30), D("50.00"), D("5.00"),
                       D("4.00"), D("3.60"), D("52.60"), D("1.83"), "WIN10", True)
    assert row[9] == salted(ws, "etsy:x-ana")
    assert ws.cursor().execute("SELECT status, financial_status FROM orders ORDER BY order_id"
                               ).fetchall() == [("paid", "paid"),
                                                ("partially_refunded", "partially_refunded"),
                                                ("cancelled", "paid")]


def test_etsy_order_items_count_order_money_once(ws: Workspace, tmp_path: Path) -> None:
    res = load_one(ws, write_rows(tmp_path / "EtsySoldOrderItems2021.csv", ETSY_ITEMS,
                                  _etsy_items_rows()), "etsy_order_items")
    assert (res.rows_read, res.rows_rejected, res.orders, res.order_lines) == (3, 0, 2, 3)
    k = kpis(ws)
    assert (k.orders, k.units, k.gross_sales) == (2, D("4"), D("65.00"))
    assert (k.discounts, k.order_total) == (D("5.00"), D("68.20"))  # 49.00 + 19.20
    # Etsy writes a coupon once per discount it gave: one code for the shop
    assert one(ws, "SELECT discount_code FROM orders WHERE order_id = '1001'") == "WIN10"
    assert ws.cursor().execute(
        "SELECT order_id, shipping, tax, total, paid_at IS NOT NULL FROM orders ORDER BY 1"
    ).fetchall() == [("1001", D("4.00"), D("0.00"), D("49.00"), True),
                     ("1004", D("3.00"), D("1.20"), D("19.20"), True)]


@pytest.mark.parametrize("items_first", [False, True])
def test_etsy_both_files_do_not_double_count(ws: Workspace, tmp_path: Path,
                                             items_first: bool) -> None:
    orders = write_rows(tmp_path / "EtsySoldOrders.csv", ETSY_ORDERS, _etsy_orders_rows())
    items = write_rows(tmp_path / "EtsySoldOrderItems.csv", ETSY_ITEMS, _etsy_items_rows())
    for path in ([items, orders] if items_first else [orders, items]):
        (res,) = ingest_path(ws, path)
        assert res.status == "loaded"
    assert one(ws, "SELECT count(*) FROM orders") == 4  # 1001..1003 + 1004 from items only
    # 1001 keeps the richer Sold Orders row (Etsy-collected tax, card fees), and its lines
    assert ws.cursor().execute("SELECT total, fees FROM orders WHERE order_id = '1001'"
                               ).fetchone() == (D("52.60"), D("1.83"))
    assert one(ws, "SELECT count(*) FROM order_lines WHERE order_id = '1001'") == 2
    k = kpis(ws)
    # 1001 from its lines (2×10 + 30), 1002 has no lines: its Order Value 20, 1004 from items 15.
    assert (k.orders, k.gross_sales, k.discounts, k.refunds) == (3, D("85.00"), D("5.00"), D("10.00"))
    assert k.order_total == D("91.80")  # 52.60 + 20.00 + 19.20


def test_real_etsy_sold_orders(ws: Workspace) -> None:
    path = shared_file("etsy-orders-us-shop/EtsySoldOrders2021.csv")
    res = load_one(ws, path, "etsy_orders")
    assert (res.rows_read, res.rows_loaded, res.rows_rejected, res.orders) == (4495, 4495, 0, 4495)
    with open(path, newline="", encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    expected_total = sum(D(r["Order Total"]) for r in rows)
    refunded = sum(1 for r in rows if D(r["Adjusted Net Order Amount"]) or
                   D(r["Adjusted Card Processing Fees"]))
    k = kpis(ws)
    assert (k.orders, k.order_total) == (4495, expected_total)
    assert k.discounts == sum(D(r["Discount Amount"]) for r in rows)
    assert one(ws, "SELECT count(*) FROM orders WHERE refunded > 0") == refunded
    assert one(ws, "SELECT count(*) FROM orders WHERE tax < 0 OR refunded > total") == 0
    assert one(ws, "SELECT sum(subtotal - discount + shipping + tax - total) FROM orders") == 0
    # 'AUGUST2021;AUGUST2021' (a code per discount it gave: 39 orders, 7 more with it three
    # or four times) is the code AUGUST2021, as on its 308 single-code orders
    repeated = sum(1 for r in rows if r["Coupon Code"] != "AUGUST2021"
                   and set(r["Coupon Code"].split(";")) == {"AUGUST2021"})
    single = sum(1 for r in rows if r["Coupon Code"] == "AUGUST2021")
    assert (repeated, single) == (46, 308)
    assert one(ws, "SELECT count(*) FROM orders WHERE discount_code = 'AUGUST2021'") == repeated + single
    assert one(ws, "SELECT discount_code FROM orders WHERE order_id IN (SELECT order_id FROM orders "
                   "WHERE discount_code LIKE 'INS10;%' AND discount_code LIKE '%AUGUST2021%')") == "INS10;AUGUST2021"
    assert one(ws, "SELECT count(*) FROM orders WHERE discount_code LIKE '%;%'") == sum(
        1 for r in rows if len(set(c.strip() for c in r["Coupon Code"].split(";"))) > 1)


# --- WooCommerce ------------------------------------------------------------------------
def _woo_rows() -> list[dict[str, str]]:
    base = {"order_currency": "USD", "billing_country": "US", "shipping_country": "US",
            "payment_method": "cod", "billing_first_name": "Lilly", "billing_phone": "989898"}
    return [
        {**base, "order_id": "2001", "order_number": "2001", "order_date": "03-01-2024 10:00:00",
         "status": "wc-completed", "shipping_total": "5.00", "shipping_tax_total": "0.50",
         "tax_total": "4.00", "discount_total": "0", "order_total": "44.00",
         "customer_email": "lilly@example.com", "billing_email": "lilly@example.com",
         "paid_date": "2024-01-03 10:05:00", "completed_date": "2024-01-04 09:00:00",
         "line_item_1": "name:Mug|product_id:11|sku:M1|quantity:2|total:20.00|tax:2.00",
         "line_item_2": "name:Cap|product_id:12|sku:C1|quantity:1|total:15.00|tax:1.50"},
        {**base, "order_id": "2002", "order_number": "2002", "order_date": "04-01-2024 11:00:00",
         "status": "processing", "shipping_total": "0", "tax_total": "0",
         "discount_total": "2.00", "order_total": "8.00", "billing_email": "John@Example.com",
         "coupon_items": "code:SAVE2|amount:2.00",
         "line_item_1": "name:Mug|product_id:11|sku:M1|quantity:1|total:8.00|sub_total:10.00"},
        {**base, "order_id": "2003", "order_number": "2003", "order_date": "05-01-2024 12:00:00",
         "status": "cancelled", "shipping_total": "0", "tax_total": "0", "discount_total": "0",
         "order_total": "12.00", "line_item_1": "name:Cap|sku:C1|quantity:1|total:12.00"},
        {**base, "order_id": "2004", "order_number": "2004", "order_date": "06-01-2024 13:00:00",
         "status": "refunded", "shipping_total": "0", "tax_total": "0", "discount_total": "0",
         "order_total": "30.00", "paid_date": "2024-01-06 13:01:00",
         "refund_items": "amount:30.00|reason:broken|date:2024-01-08 10:00:00",
         "line_item_1": "name:Lamp|product_id:13|sku:L1|quantity:1|total:30.00|tax:0.00"},
    ]


def test_woocommerce_orders_unpack_packed_lines(ws: Workspace, tmp_path: Path) -> None:
    res = load_one(ws, write_rows(tmp_path / "orders.csv", WOO_WEBTOFFEE, _woo_rows()),
                   "woocommerce_orders")
    assert (res.rows_read, res.rows_rejected, res.orders, res.order_lines) == (4, 0, 4, 5)
    k = kpis(ws)
    assert (k.orders, k.cancelled_orders, k.units) == (3, 1, D("5"))
    assert (k.gross_sales, k.discounts, k.refunds) == (D("75.00"), D("2.00"), D("30.00"))
    assert (k.order_total, k.customers) == (D("82.00"), 2)
    assert ws.cursor().execute(
        "SELECT line_no, sku, product_name, quantity, unit_price, discount, line_total "
        "FROM order_lines WHERE order_id IN ('2001', '2002') ORDER BY order_id, line_no"
    ).fetchall() == [(1, "M1", "Mug", D("2"), D("10.00"), D("0.00"), D("20.00")),
                     (2, "C1", "Cap", D("1"), D("15.00"), D("0.00"), D("15.00")),
                     (1, "M1", "Mug", D("1"), D("10.00"), D("2.00"), D("8.00"))]
    assert ws.cursor().execute(
        "SELECT order_id, order_date, status, discount_code, customer_id FROM orders "
        "WHERE order_id IN ('2001', '2002') ORDER BY 1").fetchall() == [
        ("2001", date(2024, 1, 3), "completed", None,
         salted(ws, "lilly@example.com")),
        ("2002", date(2024, 1, 4), "processing", "SAVE2",
         salted(ws, "john@example.com"))]


def test_real_woocommerce_sample(ws: Workspace) -> None:
    res = load_one(ws, shared_file("woocommerce-orders-sample/Sample_Order.csv"),
                   "woocommerce_orders")
    assert (res.rows_read, res.rows_rejected, res.orders, res.order_lines) == (3, 0, 3, 5)
    assert ws.cursor().execute(
        "SELECT order_id, quantity, line_total, unit_price FROM order_lines WHERE sku = 'A12'"
    ).fetchall() == [("1001", D("1"), D("8.00"), D("8.00"))]
    # 1003: lines total 39.99 after the 10.00 coupon; before it, 49.99
    assert ws.cursor().execute(
        "SELECT sum(line_total), sum(unit_price * quantity), sum(discount) FROM order_lines "
        "WHERE order_id = '1003'").fetchone() == (D("39.99"), D("49.99"), D("10.00"))
    assert one(ws, "SELECT order_date FROM orders WHERE order_id = '1001'") == \
        date(2018, 5, 16)
    k = kpis(ws)
    assert (k.orders, k.order_total, k.refunds) == (3, D("114.44"), D("46.00"))


def _woo_analytics_rows() -> list[dict[str, str]]:
    return [
        {"Date": "2024-03-01 10:00:00", "Order #": "2001", "N. Revenue (formatted)": "€50.00",
         "Status": "completed", "Customer": "Jane Doe", "Customer type": "new",
         "Product(s)": "2× Mug", "Items sold": "2", "Coupon(s)": "", "Net Sales": "50.00",
         "Attribution": "Direct"},
        {"Date": "2024-03-02 11:00:00", "Order #": "3002", "N. Revenue (formatted)": "€18.00",
         "Status": "processing", "Customer": "Max Muster", "Customer type": "returning",
         "Product(s)": "1× Cap", "Items sold": "1", "Coupon(s)": "SAVE2, VIP",
         "Net Sales": "18.00", "Attribution": "Organic: Google"},
        {"Date": "2024-03-03 12:00:00", "Order #": "3003", "N. Revenue (formatted)": "€9.00",
         "Status": "cancelled", "Customer": "Jane Doe", "Customer type": "returning",
         "Product(s)": "1× Pin", "Items sold": "1", "Net Sales": "9.00", "Attribution": ""},
    ]


def test_woocommerce_analytics_orders(ws: Workspace, tmp_path: Path) -> None:
    res = load_one(ws, write_rows(tmp_path / "wc-orders-report.csv", WOO_ANALYTICS,
                                  _woo_analytics_rows()), "woocommerce_analytics")
    assert (res.rows_read, res.rows_rejected, res.orders, res.order_lines) == (3, 0, 3, 0)
    k = kpis(ws)
    assert (k.currency, k.orders, k.cancelled_orders, k.gross_sales) == ("EUR", 2, 1, D("0.00"))
    assert ws.cursor().execute(
        "SELECT order_id, subtotal, discount_code, customer_id, total FROM orders ORDER BY 1"
    ).fetchall() == [("2001", D("50.00"), None, None, None),
                     ("3002", D("18.00"), "SAVE2", None, None),
                     ("3003", D("9.00"), None, None, None)]
    assert text_columns_containing(ws, "%Jane%") == []  # customer names are never stored


def test_woocommerce_analytics_never_replaces_a_richer_order(ws: Workspace, tmp_path: Path) -> None:
    load_one(ws, write_rows(tmp_path / "orders.csv", WOO_WEBTOFFEE, _woo_rows()[:1]),
             "woocommerce_orders")
    res = load_one(ws, write_rows(tmp_path / "report.csv", WOO_ANALYTICS, _woo_analytics_rows()),
                   "woocommerce_analytics")
    assert res.orders == 2  # 3002 and 3003; 2001 is already there from the order export
    assert ws.cursor().execute("SELECT total, currency FROM orders WHERE order_id = '2001'"
                               ).fetchone() == (D("44.00"), "USD")
    assert one(ws, "SELECT count(*) FROM orders") == 3


# --- Amazon -----------------------------------------------------------------------------
def _amazon_rows() -> list[dict[str, str]]:
    a = {"amazon-order-id": "111-0000001-0000001", "merchant-order-id": "",
         "purchase-date": "2025-09-20T23:15:00-07:00",
         "last-updated-date": "2025-09-22T08:00:00+00:00", "order-status": "Shipped",
         "fulfillment-channel": "Amazon", "sales-channel": "Amazon.com",
         "ship-service-level": "Standard", "currency": "USD", "item-status": "Shipped",
         "ship-city": "SEATTLE", "ship-state": "WA", "ship-country": "US",
         "is-business-order": "false"}
    return [
        {**a, "product-name": "Dog Bowl", "sku": "BOWL", "asin": "B000000001", "quantity": "2",
         "item-price": "20.00", "item-tax": "1.60", "shipping-price": "4.00",
         "shipping-tax": "0.00", "item-promotion-discount": "-2.00",
         "ship-promotion-discount": "0.00", "promotion-ids": "PROMO-1"},
        {**a, "product-name": "Cat Toy", "sku": "TOY", "asin": "B000000002", "quantity": "1",
         "item-price": "15.00", "item-tax": "1.20", "shipping-price": "0.00",
         "shipping-tax": "0.00", "item-promotion-discount": "0.00"},
        {**a, "amazon-order-id": "111-0000002-0000002", "order-status": "Pending",
         "item-status": "Unshipped", "product-name": "Leash", "sku": "LEASH",
         "quantity": "1", "purchase-date": "2025-09-21T10:00:00+00:00"},
        {**a, "amazon-order-id": "111-0000003-0000003", "order-status": "Cancelled",
         "item-status": "Cancelled", "product-name": "Leash", "sku": "LEASH", "quantity": "0",
         "purchase-date": "2025-09-21T11:00:00+00:00"},
        {**a, "amazon-order-id": "S01-0000004-0000004", "sales-channel": "Non-Amazon",
         "product-name": "Dog Bowl", "sku": "BOWL", "quantity": "1", "item-price": "9.99",
         "purchase-date": "2025-09-21T12:00:00+00:00"},
    ]


@pytest.mark.parametrize("header", [AMAZON_CURRENT, AMAZON_NEWER, AMAZON_OLD_URL],
                         ids=["current", "newer", "old_url"])
def test_amazon_all_orders_report(ws: Workspace, tmp_path: Path, header: tuple[str, ...]) -> None:
    rows = _amazon_rows()
    if "url" in header:
        rows = [{**r, "url": ""} for r in rows]
    if "number-of-items" in header:
        rows = [{**r, "number-of-items": "1", "tax-collection-model": "MarketplaceFacilitator",
                 "tax-collection-responsible-party": "Amazon Services, Inc."} for r in rows]
    else:
        rows = [{k: v for k, v in r.items() if k in header} for r in rows]
    res = load_one(ws, write_rows(tmp_path / "all_orders.txt", header, rows, delimiter="\t",
                                  newline="\n"), "amazon_orders")
    assert (res.rows_read, res.rows_rejected, res.order_lines) == (5, 0, 5)
    assert res.orders == 3  # the Non-Amazon (multi-channel fulfilment) order is not a sale
    k = kpis(ws)
    assert (k.orders, k.cancelled_orders, k.units) == (2, 1, D("4"))
    assert (k.gross_sales, k.discounts, k.order_total) == (D("35.00"), D("2.00"), D("39.80"))
    multi = ws.cursor().execute(
        "SELECT subtotal, discount, shipping, tax, total, currency, order_date, created_at, "
        "status, discount_code, channel FROM orders WHERE order_id = '111-0000001-0000001'"
    ).fetchone()
    assert multi == (D("35.00"), D("2.00"), D("4.00"), D("2.80"), D("39.80"), "USD",
                     date(2025, 9, 20), datetime(2025, 9, 21, 6, 15, tzinfo=timezone.utc),
                     "shipped", "PROMO-1", "amazon")
    pending = ws.cursor().execute(
        "SELECT o.status, o.total, l.unit_price, l.line_total FROM orders o JOIN order_lines l "
        "USING (source, order_id) WHERE order_id = '111-0000002-0000002'").fetchone()
    assert pending == ("pending", D("0.00"), D("0.00"), D("0.00"))
    assert one(ws, "SELECT kind FROM orders WHERE order_id = 'S01-0000004-0000004'") == "fulfillment"
    # the report has cancellations but no refunds: no refund rate of 0 % from it
    assert (ws.recorded("refunds"), ws.recorded("cancellations")) == (False, True)


def test_amazon_dates_written_with_pst_and_pdt_keep_their_instant(ws: Workspace, tmp_path: Path) -> None:
    """RELIABILITY B16: a report from Seller Central's pages writes Pacific time with its
    abbreviation; the order's instant follows it (PST −8, PDT −7) and its day is the one
    written, whatever the workspace's own zone."""
    ws.set_timezone("Asia/Shanghai")
    a = _amazon_rows()[1]
    rows = [{**a, "amazon-order-id": "111-1", "purchase-date": "Mar 10, 2024 1:59:00 AM PST"},
            {**a, "amazon-order-id": "111-2", "purchase-date": "Jul 4, 2024 11:30:00 PM PDT"},
            {**a, "amazon-order-id": "111-3", "purchase-date": "Jul 4, 2024 11:30:00 PM CST"}]
    res = load_one(ws, write_rows(tmp_path / "orders.txt", AMAZON_CURRENT, rows, delimiter="\t",
                                  newline="\n"), "amazon_orders")
    assert (res.rows_loaded, res.rows_rejected) == (2, 1)  # CST: US Central or China? not guessed
    got = ws.cursor().execute(
        "SELECT order_id, created_at, order_date FROM orders ORDER BY order_id").fetchall()
    assert got == [("111-1", datetime(2024, 3, 10, 9, 59, tzinfo=timezone.utc), date(2024, 3, 10)),
                   ("111-2", datetime(2024, 7, 5, 6, 30, tzinfo=timezone.utc), date(2024, 7, 4))]


# --- CDNOW ------------------------------------------------------------------------------
def test_cdnow_purchases(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "CDNOW_sample.txt"
    path.write_bytes(b" customer_id  date  number_of_cds  dollar_value\r\n"
                     b" 00001 19970101 1  11.77\r\n"
                     b" 00001 19970101 2  20.00\r\n"
                     b"     1 19970102 3  10.00\r\n"
                     b" 00001 19970105 1   5.00\r\n")
    res = load_one(ws, path, "cdnow")
    assert (res.rows_read, res.rows_rejected, res.orders, res.order_lines) == (4, 0, 4, 4)
    assert ws.cursor().execute("SELECT order_id, customer_id FROM orders ORDER BY 1").fetchall() == [
        ("00001-19970101-1", salted(ws, "00001")), ("00001-19970101-2", salted(ws, "00001")),
        ("00001-19970105-1", salted(ws, "00001")), ("1-19970102-1", salted(ws, "1"))]
    k = kpis(ws)
    assert (k.currency, k.orders, k.units, k.customers) == ("USD", 4, D("7"), 2)
    assert (k.gross_sales, k.order_total) == (D("46.76"), D("46.77"))  # 10.00/3 → 3.33 × 3
    assert k.repeat_customer_rate == 0.5


def test_real_cdnow_every_row_is_an_order(ws: Workspace) -> None:
    res = load_one(ws, shared_file("cdnow/CDNOW_master.txt"), "cdnow")
    assert (res.rows_read, res.rows_loaded, res.rows_rejected) == (69659, 69659, 0)
    assert (res.orders, res.order_lines) == (69659, 69659)
    assert one(ws, "SELECT count(DISTINCT customer_id) FROM orders") == 23570
    assert one(ws, "SELECT count(*) FROM orders WHERE order_id LIKE '00001-%'") == 1


# --- the command line on every real file -----------------------------------------------
@pytest.mark.parametrize("relative", [
    "shopify-products-us-petstore/products_export_1.csv",
    "shopify-customers-cl-laslira/customers_export.csv",
    "etsy-orders-us-shop/EtsySoldOrders2021.csv",
    "woocommerce-orders-sample/Sample_Order.csv",
    "cdnow/CDNOW_master.txt",
])
def test_cli_ingests_real_file(tmp_path: Path, relative: str,
                               capsys: pytest.CaptureFixture[str]) -> None:
    path = shared_file(relative)
    code = cli_main(["ingest", str(path), "--workspace", str(tmp_path / "x.duckdb"), "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert out[0]["status"] == "loaded" and out[0]["rows_rejected"] == 0
