"""Deterministic demo-store generator for Shoplens: "Lotus & Loom" (tea, teaware, home goods).

Why this exists: the app needs a believable two-channel shop whose answers are known in
advance. The generator writes platform-shaped exports (a Shopify storefront in USD and a
Taobao store in CNY) plus the Shoplens template side tables, and a ``truth.json`` holding
the numbers the data was built to show (totals, promotion lift, planted problems).

Usage::

    python -m sample_data.generate --out DIR [--seed 7]

Everything is driven by ``numpy.random.default_rng(seed)`` (split into independent child
streams per component), and no wall-clock time is read, so a seed always gives the same
bytes.  Money is handled in integer cents/fen to keep every printed sum exact.
"""

from __future__ import annotations

import argparse
import calendar
import csv
import heapq
import json
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

# --------------------------------------------------------------------------------------
# Period, channels, formats
# --------------------------------------------------------------------------------------

START = date(2023, 10, 1)
END = date(2025, 12, 31)
N_DAYS = (END - START).days + 1
DAY = 86_400
HOUR = 3_600
START_EPOCH = calendar.timegm(START.timetuple())  # wall-clock midnight of day 0, as seconds

SHOP_NAME = "Lotus & Loom"
TAOBAO_SHOP_NAME = "Lotus & Loom 莲织茶舍"
TAOBAO_SHOP_ID = "108264519"
FX_TO_USD = {"CNY": 0.14, "USD": 1.0}
CHANNEL_CCY = {"shopify": "USD", "taobao": "CNY"}

SHOPIFY_ORDER_HEADER: list[str] = [
    "Name", "Email", "Financial Status", "Paid at", "Fulfillment Status", "Fulfilled at",
    "Accepts Marketing", "Currency", "Subtotal", "Shipping", "Taxes", "Total", "Discount Code",
    "Discount Amount", "Shipping Method", "Created at", "Lineitem quantity", "Lineitem name",
    "Lineitem price", "Lineitem compare at price", "Lineitem sku", "Lineitem requires shipping",
    "Lineitem taxable", "Lineitem fulfillment status", "Billing Name", "Billing Street",
    "Billing Address1", "Billing Address2", "Billing Company", "Billing City", "Billing Zip",
    "Billing Province", "Billing Country", "Billing Phone", "Shipping Name", "Shipping Street",
    "Shipping Address1", "Shipping Address2", "Shipping Company", "Shipping City",
    "Shipping Zip", "Shipping Province", "Shipping Country", "Shipping Phone", "Notes",
    "Note Attributes", "Cancelled at", "Payment Method", "Payment Reference", "Refunded Amount",
    "Vendor", "Outstanding Balance", "Employee", "Location", "Device ID", "Id", "Tags",
    "Risk Level", "Source", "Lineitem discount", "Tax 1 Name", "Tax 1 Value", "Tax 2 Name",
    "Tax 2 Value", "Tax 3 Name", "Tax 3 Value", "Tax 4 Name", "Tax 4 Value", "Tax 5 Name",
    "Tax 5 Value", "Phone", "Receipt Number", "Duties", "Billing Province Name",
    "Shipping Province Name", "Payment ID", "Payment Terms Name", "Next Payment Due At",
    "Payment References",
]
SHOPIFY_PRODUCTS_V53: list[str] = [
    "Handle", "Title", "Body (HTML)", "Vendor", "Product Category", "Type", "Tags", "Published",
    "Option1 Name", "Option1 Value", "Option2 Name", "Option2 Value", "Option3 Name",
    "Option3 Value", "Variant SKU", "Variant Grams", "Variant Inventory Tracker",
    "Variant Inventory Policy", "Variant Fulfillment Service", "Variant Price",
    "Variant Compare At Price", "Variant Requires Shipping", "Variant Taxable",
    "Variant Barcode", "Image Src", "Image Position", "Image Alt Text", "Gift Card",
    "SEO Title", "SEO Description", "Google Shopping / Google Product Category",
    "Google Shopping / Gender", "Google Shopping / Age Group", "Google Shopping / MPN",
    "Google Shopping / Condition", "Google Shopping / Custom Product",
    "Google Shopping / Custom Label 0", "Google Shopping / Custom Label 1",
    "Google Shopping / Custom Label 2", "Google Shopping / Custom Label 3",
    "Google Shopping / Custom Label 4", "Variant Image", "Variant Weight Unit",
    "Variant Tax Code", "Cost per item", "Included / United States", "Included / Canada",
    "Price / Canada", "Compare At Price / Canada", "Included / International",
    "Price / International", "Compare At Price / International", "Status",
]
# Older real exports carried the stock level right after the tracker column.
SHOPIFY_PRODUCTS_HEADER: list[str] = (
    SHOPIFY_PRODUCTS_V53[: SHOPIFY_PRODUCTS_V53.index("Variant Inventory Tracker") + 1]
    + ["Variant Inventory Qty"]
    + SHOPIFY_PRODUCTS_V53[SHOPIFY_PRODUCTS_V53.index("Variant Inventory Tracker") + 1:]
)
# Note the trailing spaces in several names: they are part of the real export.
TAOBAO_ORDER_HEADER: list[str] = [
    "订单编号", "买家会员名", "买家支付宝账号", "买家应付货款", "买家应付邮费", "买家支付积分", "总金额", "返点积分", "买家实际支付金额",
    "买家实际支付积分", "订单状态", "买家留言", "收货人姓名", "收货地址 ", "运送方式", "联系电话 ", "联系手机", "订单创建时间", "订单付款时间 ",
    "宝贝标题 ", "宝贝种类 ", "物流单号 ", "物流公司", "订单备注", "宝贝总数量", "店铺Id", "店铺名称", "订单关闭原因", "卖家服务费",
    "买家服务费", "发票抬头", "是否手机订单", "分阶段订单信息", "特权订金订单id", "是否上传合同照片", "是否上传小票", "是否代付", "定金排名",
    "修改后的sku", "修改后的收货地址", "异常信息", "天猫卡券抵扣", "集分宝抵扣", "是否是O2O交易", "新零售交易类型", "新零售导购门店名称",
    "新零售导购门店id", "新零售发货门店名称", "新零售发货门店id", "退款金额", "预约门店", "确认收货时间", "打款商家金额", "含应开票给个人的个人红包",
]
TAOBAO_ITEM_HEADER: list[str] = [
    "订单编号", "标题", "价格", "购买数量", "外部系统编号", "商品属性", "套餐信息", "备注", "订单状态", "商家编码",
]
TB_WAIT_PAY = "等待买家付款"
TB_WAIT_SHIP = "买家已付款，等待卖家发货"
TB_SHIPPED = "卖家已发货，等待买家确认"
TB_SUCCESS = "交易成功"
TB_CLOSED = "交易关闭"

TRAFFIC_HEADER = ["date", "channel", "sessions", "visitors", "add_to_cart", "checkouts"]
MARKETING_HEADER = ["date", "channel", "campaign", "spend", "impressions", "clicks",
                    "attributed_revenue"]
INVENTORY_HEADER = ["sku", "name", "category", "unit_cost", "price", "stock_on_hand",
                    "lead_time_days", "supplier", "safety_stock"]
TARGETS_HEADER = ["kpi_id", "period_start", "period_end", "owner", "team", "target"]
RISKS_HEADER = ["risk_id", "title", "category", "likelihood", "impact", "owner", "response",
                "mitigation", "status", "review_on"]
PROMOTIONS_HEADER = ["promo_id", "name", "start_date", "end_date", "discount_code",
                     "discount_pct", "channel"]
FX_HEADER = ["currency", "rate_to_usd"]

# --------------------------------------------------------------------------------------
# Catalogue: 60 SKUs in 6 categories, one shared SKU code space for both channels
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Product:
    """One listing; variants (if any) become separate SKUs."""

    cat: str
    title: str
    title_zh: str
    price: float
    cost: float
    grams: int
    supplier: str
    option: tuple[str, str] | None = None  # (English option name, Chinese attribute name)
    variants: tuple[tuple[str, str, float], ...] = ()  # (value, value_zh, price)
    compare_at: float | None = None


CATEGORIES: dict[str, tuple[str, str, str]] = {
    # code: (Type, Product Category path, Taobao keyword)
    "TEA": ("Tea", "Food, Beverages & Tobacco > Beverages > Tea & Infusions", "茶叶"),
    "TWR": ("Teaware", "Home & Garden > Kitchen & Dining > Tableware > Coffee Servers & Tea Pots",
            "茶具"),
    "ACC": ("Tea Accessories", "Home & Garden > Kitchen & Dining > Kitchen Tools & Utensils",
            "茶道配件"),
    "GFT": ("Gift Sets", "Food, Beverages & Tobacco > Food Items > Gift Baskets", "礼盒"),
    "HOM": ("Home Fragrance", "Home & Garden > Decor > Home Fragrances", "香薰"),
    "LIN": ("Table Linens", "Home & Garden > Linens & Bedding > Table Linens", "布艺"),
}
CAT_ORDER = ["TEA", "TWR", "ACC", "GFT", "HOM", "LIN"]

SUP_TEA = "Hangzhou Chayuan Trading Co."
SUP_PORCELAIN = "Jingdezhen Porcelain Works"
SUP_GLASS = "Ningbo Glass & Metalware Ltd."
SUP_LINEN = "Suzhou Linen Mill"
SUP_AROMA = "Xiamen Aroma Craft Co."
SUP_BAMBOO = "Anji Bamboo Crafts"
SUPPLIER_LEAD_DAYS = {SUP_TEA: 21, SUP_PORCELAIN: 42, SUP_GLASS: 30, SUP_LINEN: 28,
                      SUP_AROMA: 25, SUP_BAMBOO: 35}

PRODUCTS: list[Product] = [
    # Tea (15 SKUs); the first one is the hero.
    Product("TEA", "Jasmine Dragon Pearls", "茉莉龙珠", 28.0, 9.5, 110, SUP_TEA),
    Product("TEA", "West Lake Longjing", "西湖龙井", 26.0, 9.0, 60, SUP_TEA, ("Net Weight", "净含量"),
            (("50g", "50g", 26.0), ("100g", "100g", 48.0))),
    Product("TEA", "Anxi Tieguanyin Oolong", "安溪铁观音", 22.0, 7.0, 110, SUP_TEA),
    Product("TEA", "Wuyi Da Hong Pao", "武夷大红袍", 32.0, 11.0, 110, SUP_TEA),
    Product("TEA", "Aged Pu-erh Cake 357g", "云南普洱茶饼 357克", 45.0, 16.0, 380, SUP_TEA),
    Product("TEA", "Silver Needle White Tea", "白毫银针", 38.0, 14.0, 60, SUP_TEA),
    Product("TEA", "Keemun Black Tea", "祁门红茶", 19.0, 6.0, 110, SUP_TEA),
    Product("TEA", "Dian Hong Golden Buds", "滇红金芽", 24.0, 8.0, 110, SUP_TEA),
    Product("TEA", "Osmanthus Oolong", "桂花乌龙", 18.0, 5.5, 110, SUP_TEA),
    Product("TEA", "Hangzhou Chrysanthemum", "杭白菊", 12.0, 3.5, 60, SUP_TEA),
    Product("TEA", "Ceremonial Matcha 30g", "抹茶 30克", 29.0, 10.0, 40, SUP_TEA),
    Product("TEA", "Lapsang Souchong", "正山小种", 21.0, 7.0, 110, SUP_TEA),
    Product("TEA", "Ginger Lemongrass Herbal", "姜香草本茶", 14.0, 4.0, 90, SUP_TEA),
    Product("TEA", "Toasted Rice Genmaicha", "玄米茶", 13.0, 4.0, 110, SUP_TEA),
    # Teaware (16 SKUs)
    Product("TWR", "Celadon Gaiwan", "青瓷盖碗", 34.0, 11.0, 260, SUP_PORCELAIN, ("Color", "颜色分类"),
            (("Celadon", "青瓷", 34.0), ("White Porcelain", "白瓷", 34.0), ("Ru Kiln", "汝窑", 42.0))),
    Product("TWR", "Yixing Clay Teapot 200ml", "宜兴紫砂壶 200毫升", 88.0, 31.0, 320, SUP_PORCELAIN),
    Product("TWR", "Borosilicate Glass Teapot 600ml", "玻璃泡茶壶 600毫升", 32.0, 10.0, 480, SUP_GLASS),
    Product("TWR", "Blue & White Cups (Set of 4)", "景德镇青花杯 四只装", 36.0, 12.0, 300,
            SUP_PORCELAIN),
    Product("TWR", "Ru Kiln Tasting Cups (Set of 6)", "汝窑品茗杯 六只装", 42.0, 14.0, 360,
            SUP_PORCELAIN, compare_at=48.0),
    Product("TWR", "Travel Tea Set", "旅行茶具套装", 39.0, 13.0, 650, SUP_PORCELAIN),
    Product("TWR", "Cast Iron Tetsubin Kettle", "铸铁壶", 96.0, 38.0, 1400, SUP_GLASS),
    Product("TWR", "Glass Fair Cup", "玻璃公道杯", 16.0, 4.5, 220, SUP_GLASS),
    Product("TWR", "Double-wall Glass Tumbler", "双层玻璃杯", 24.0, 7.0, 300, SUP_GLASS,
            ("Color", "颜色分类"), (("Clear", "透明", 24.0), ("Smoke", "烟灰", 24.0))),
    Product("TWR", "Porcelain Infuser Mug", "陶瓷滤茶杯", 26.0, 8.0, 420, SUP_PORCELAIN,
            ("Color", "颜色分类"),
            (("White", "白色", 26.0), ("Celadon", "青瓷", 26.0), ("Indigo", "靛蓝", 28.0))),
    Product("TWR", "Hand-painted Teacup", "手绘茶杯", 18.0, 5.5, 120, SUP_PORCELAIN),
    # Tea accessories (9 SKUs)
    Product("ACC", "Bamboo Tea Tray", "竹制茶盘", 58.0, 21.0, 1800, SUP_BAMBOO),
    Product("ACC", "Stainless Tea Strainer", "不锈钢茶漏", 9.0, 2.0, 60, SUP_GLASS),
    Product("ACC", "Bamboo Matcha Whisk", "竹制抹茶刷", 14.0, 3.5, 40, SUP_TEA),
    Product("ACC", "Tea Ceremony Tool Set", "茶道六君子", 22.0, 6.0, 300, SUP_TEA),
    Product("ACC", "Tea Caddy Tin", "茶叶罐", 12.0, 3.0, 150, SUP_TEA, ("Size", "尺寸"),
            (("Small", "小号", 12.0), ("Large", "大号", 18.0))),
    Product("ACC", "Lotus Frog Tea Pet", "茶宠 莲蛙", 15.0, 4.0, 90, SUP_TEA),
    Product("ACC", "Linen Tea Towel", "棉麻茶巾", 8.0, 2.0, 50, SUP_LINEN),
    Product("ACC", "Electric Gooseneck Kettle", "电热细口壶", 65.0, 27.0, 1100, SUP_GLASS),
    # Gift sets (5 SKUs)
    Product("GFT", "Four Seasons Tea Sampler", "四季茶礼盒", 48.0, 17.0, 500, SUP_TEA),
    Product("GFT", "Lunar New Year Gift Box", "新春茶礼盒", 68.0, 24.0, 900, SUP_TEA),
    Product("GFT", "Gaiwan & Tea Gift Set", "盖碗茶礼套装", 79.0, 28.0, 1000, SUP_TEA),
    Product("GFT", "Oolong Discovery Box", "乌龙茶品鉴盒", 42.0, 15.0, 450, SUP_TEA),
    Product("GFT", "Tea Advent Calendar", "茶饮日历礼盒", 55.0, 19.0, 700, SUP_TEA),
    # Home fragrance (8 SKUs)
    Product("HOM", "Sandalwood Incense Sticks", "檀香线香", 14.0, 3.5, 80, SUP_AROMA),
    Product("HOM", "Agarwood Incense Coils", "沉香盘香", 24.0, 8.0, 90, SUP_AROMA),
    Product("HOM", "Ceramic Incense Holder", "陶瓷香插", 18.0, 5.0, 180, SUP_PORCELAIN,
            ("Color", "颜色分类"), (("Celadon", "青瓷", 18.0), ("Black", "黑色", 18.0))),
    Product("HOM", "Jasmine Tea Soy Candle", "茉莉茶香蜡烛", 28.0, 8.0, 350, SUP_AROMA),
    Product("HOM", "Hinoki & Oolong Candle", "桧木乌龙香薰蜡烛", 28.0, 8.0, 350, SUP_AROMA),
    Product("HOM", "White Tea Reed Diffuser", "白茶香薰", 32.0, 9.0, 400, SUP_AROMA),
    Product("HOM", "Bamboo Tea Light Holders", "竹制烛台", 16.0, 4.0, 200, SUP_BAMBOO),
    # Table linens (7 SKUs)
    Product("LIN", "Linen Table Runner", "亚麻桌旗", 36.0, 11.0, 300, SUP_LINEN, ("Color", "颜色分类"),
            (("Indigo", "靛蓝", 36.0), ("Natural", "本色", 36.0), ("Sage", "灰绿", 36.0))),
    Product("LIN", "Linen Napkins (Set of 4)", "亚麻餐巾 四条装", 28.0, 8.0, 200, SUP_LINEN),
    Product("LIN", "Cotton Tea Mat", "棉麻茶席", 22.0, 6.0, 150, SUP_LINEN),
    Product("LIN", "Embroidered Lotus Cushion Cover", "刺绣莲花抱枕套", 34.0, 10.0, 250, SUP_LINEN),
    Product("LIN", "Hand-loomed Throw Blanket", "手工织毯", 89.0, 33.0, 1200, SUP_LINEN,
            compare_at=109.0),
]


@dataclass
class Catalogue:
    """Flat SKU table (arrays indexed by SKU number) plus the listings they came from."""

    sku: list[str]
    product_idx: np.ndarray
    variant_en: list[str]
    variant_zh: list[str]
    name: list[str]          # Shopify line item name
    cat: list[str]
    price_usd_c: np.ndarray  # cents
    cost_usd_c: np.ndarray
    price_cny_f: np.ndarray  # fen
    compare_at_c: np.ndarray  # 0 when none
    grams: np.ndarray
    supplier: list[str]


def _build_catalogue(rng: np.random.Generator) -> Catalogue:
    """Expand listings into SKUs; CNY prices are 6.5-7x USD, rounded to whole yuan."""
    counters = {c: 0 for c in CAT_ORDER}
    sku, pidx, v_en, v_zh, name, cat, price, cost, cmp_at, grams, sup = ([] for _ in range(11))
    for i, p in enumerate(PRODUCTS):
        variants = p.variants or (("", "", p.price),)
        for val, val_zh, vprice in variants:
            counters[p.cat] += 1
            sku.append(f"LL-{p.cat}-{counters[p.cat]:03d}")
            pidx.append(i)
            v_en.append(val)
            v_zh.append(val_zh)
            name.append(f"{p.title} - {val}" if val else p.title)
            cat.append(p.cat)
            price.append(round(vprice * 100))
            cost.append(round(p.cost * vprice / p.price * 100))
            cmp_at.append(round((p.compare_at or 0) * 100))
            grams.append(p.grams if val != "100g" else 2 * p.grams - 10)
            sup.append(p.supplier)
    price_a = np.array(price, dtype=np.int64)
    k = rng.uniform(6.5, 7.0, size=len(sku))
    cny_yuan = np.rint(price_a / 100 * k).astype(np.int64)
    return Catalogue(sku, np.array(pidx), v_en, v_zh, name, cat, price_a,
                     np.array(cost, dtype=np.int64), cny_yuan * 100,
                     np.array(cmp_at, dtype=np.int64), np.array(grams), sup)


# --------------------------------------------------------------------------------------
# Calendar, festivals, promotions
# --------------------------------------------------------------------------------------


def _d(x: date) -> int:
    """Day index of a date within the period."""
    return (x - START).days


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """n-th given weekday (Mon=0) of a month."""
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _black_friday(year: int) -> date:
    return _nth_weekday(year, 11, 3, 4) + timedelta(days=1)


CNY_DATES = [date(2024, 2, 10), date(2025, 1, 29)]  # Chinese New Year's Day
MID_AUTUMN = [date(2024, 9, 17), date(2025, 10, 6)]


@dataclass(frozen=True)
class Promo:
    """A discount-code window; `mult` scales expected orders, `usage` = share using the code."""

    promo_id: str
    name: str
    channel: str
    start: date
    end: date
    code: str
    pct: int
    mult: float
    usage: float


PROMOS: list[Promo] = [
    Promo("P01", "Autumn Harvest Sale", "shopify", date(2023, 10, 9), date(2023, 10, 15),
          "HARVEST10", 10, 1.30, 0.85),
    Promo("P02", "Black Friday / Cyber Monday 2023", "shopify", date(2023, 11, 24),
          date(2023, 11, 27), "BFCM25", 25, 1.50, 0.85),
    Promo("P03", "New Year Reset", "shopify", date(2024, 1, 8), date(2024, 1, 14),
          "NEWYEAR15", 15, 1.35, 0.85),
    Promo("P04", "Spring Tea Sale", "shopify", date(2024, 4, 8), date(2024, 4, 14),
          "SPRING15", 15, 1.45, 0.85),
    Promo("P05", "Iced Tea Summer", "shopify", date(2024, 7, 15), date(2024, 7, 21),
          "SUMMER20", 20, 1.55, 0.85),
    Promo("P06", "Welcome Back Week", "shopify", date(2024, 9, 9), date(2024, 9, 15),
          "WELCOME10", 10, 1.25, 0.85),
    Promo("P07", "Black Friday / Cyber Monday 2024", "shopify", date(2024, 11, 29),
          date(2024, 12, 2), "BFCM25", 25, 1.50, 0.85),
    Promo("P08", "Spring Tea Sale", "shopify", date(2025, 3, 10), date(2025, 3, 16),
          "SPRING15", 15, 1.50, 0.85),
    Promo("P09", "Iced Tea Summer", "shopify", date(2025, 7, 14), date(2025, 7, 20),
          "SUMMER20", 20, 1.55, 0.85),
    Promo("P10", "Autumn Harvest Sale", "shopify", date(2025, 9, 15), date(2025, 9, 21),
          "AUTUMN15", 15, 1.40, 0.85),
    Promo("P11", "Black Friday / Cyber Monday 2025", "shopify", date(2025, 11, 28),
          date(2025, 12, 1), "BFCM25", 25, 1.50, 0.85),
    Promo("T01", "双11 店铺满减 2023", "taobao", date(2023, 11, 1), date(2023, 11, 11),
          "TB-DOUBLE11", 20, 1.15, 0.90),
    Promo("T02", "双12 2023", "taobao", date(2023, 12, 10), date(2023, 12, 12),
          "TB-DOUBLE12", 15, 1.15, 0.90),
    Promo("T03", "新茶节 2024", "taobao", date(2024, 4, 1), date(2024, 4, 7),
          "TB-NEWTEA10", 10, 1.35, 0.90),
    Promo("T04", "618 年中大促 2024", "taobao", date(2024, 6, 16), date(2024, 6, 18),
          "TB-618", 15, 1.20, 0.90),
    Promo("T05", "双11 店铺满减 2024", "taobao", date(2024, 11, 1), date(2024, 11, 11),
          "TB-DOUBLE11", 20, 1.15, 0.90),
    Promo("T06", "双12 2024", "taobao", date(2024, 12, 10), date(2024, 12, 12),
          "TB-DOUBLE12", 15, 1.15, 0.90),
    Promo("T07", "新茶节 2025", "taobao", date(2025, 3, 31), date(2025, 4, 6),
          "TB-NEWTEA10", 10, 1.35, 0.90),
    Promo("T08", "茶器周 Teaware Week", "taobao", date(2025, 5, 7), date(2025, 5, 13),
          "TB-TEAWARE15", 15, 1.45, 0.90),
    Promo("T09", "618 年中大促 2025", "taobao", date(2025, 6, 16), date(2025, 6, 18),
          "TB-618", 15, 1.20, 0.90),
    Promo("T10", "双11 店铺满减 2025", "taobao", date(2025, 11, 1), date(2025, 11, 11),
          "TB-DOUBLE11", 20, 1.15, 0.90),
    Promo("T11", "双12 2025", "taobao", date(2025, 12, 10), date(2025, 12, 12),
          "TB-DOUBLE12", 15, 1.15, 0.90),
]

BASE_ORDERS = {"shopify": 50.0, "taobao": 34.0}
WEEKLY = {  # Mon..Sun
    "shopify": np.array([1.06, 1.03, 1.02, 1.00, 0.93, 0.88, 1.02]),
    "taobao": np.array([0.96, 0.95, 0.96, 0.97, 1.00, 1.10, 1.14]),
}
HOUR_PROFILE = {
    "shopify": np.array([0.8, 0.5, 0.3, 0.2, 0.2, 0.3, 0.6, 1.2, 2.0, 2.8, 3.4, 3.8, 4.0, 3.9,
                         3.7, 3.6, 3.6, 3.8, 4.3, 4.9, 5.3, 4.9, 3.6, 2.0]),
    "taobao": np.array([2.0, 1.0, 0.5, 0.3, 0.2, 0.3, 0.6, 1.3, 2.4, 3.6, 4.3, 4.2, 3.6, 3.9,
                        4.3, 4.3, 4.0, 3.7, 3.9, 4.6, 5.4, 6.0, 5.6, 3.8]),
}
LINE_COUNT_P = {"shopify": [0.50, 0.30, 0.13, 0.07], "taobao": [0.62, 0.25, 0.09, 0.04]}
QTY_P = [0.76, 0.19, 0.05]  # quantity 1, 2, 3
HERO_SHARE = 0.30


@dataclass
class Calendar:
    """Per-day arrays shared by both channels."""

    dates: list[date]
    dow: np.ndarray
    doy: np.ndarray
    smooth: np.ndarray  # trend x yearly seasonality


def _calendar() -> Calendar:
    dates = [START + timedelta(days=i) for i in range(N_DAYS)]
    dow = np.array([x.weekday() for x in dates])
    doy = np.array([x.timetuple().tm_yday for x in dates], dtype=float)
    t_years = np.arange(N_DAYS) / 365.25
    trend = 1.0 + 0.13 * t_years
    yearly = (1.0 + 0.12 * np.cos(2 * np.pi * (doy - 355) / 365.25)
              - 0.05 * np.exp(-(((doy - 205) / 28.0) ** 2)))
    return Calendar(dates, dow, doy, trend * yearly)


def _set(f: np.ndarray, a: date, b: date, value: float | np.ndarray) -> None:
    """Multiply factor array on [a, b] (clipped to the period)."""
    i, j = max(_d(a), 0), min(_d(b), N_DAYS - 1)
    if i > j:
        return
    if isinstance(value, np.ndarray):
        value = value[(i - _d(a)):(i - _d(a)) + (j - i + 1)]
    f[i:j + 1] *= value


def _festivals(channel: str) -> np.ndarray:
    """Festival / holiday multipliers on expected orders (no promotions)."""
    f = np.ones(N_DAYS)
    for y in (2023, 2024, 2025):
        if channel == "shopify":
            bf = _black_friday(y)
            _set(f, bf - timedelta(days=7), bf - timedelta(days=1), 1.2)
            for k, m in enumerate([3.0, 2.0, 1.8, 2.6]):  # BF, Sat, Sun, Cyber Monday
                _set(f, bf + timedelta(days=k), bf + timedelta(days=k), m)
            _set(f, date(y, 11, 11), date(y, 11, 11), 1.5)
            _set(f, bf + timedelta(days=4), date(y, 12, 20), 1.22)
            _set(f, date(y, 12, 21), date(y, 12, 23), 1.08)
            _set(f, date(y, 12, 24), date(y, 12, 26), 0.6)
            _set(f, date(y, 12, 27), date(y, 12, 31), 0.85)
            _set(f, date(y, 2, 7), date(y, 2, 14), 1.15)  # Valentine's gifting
            md = _nth_weekday(y, 5, 6, 2)  # Mother's Day
            _set(f, md - timedelta(days=7), md - timedelta(days=1), 1.2)
        else:
            _set(f, date(y, 10, 20), date(y, 11, 10), np.linspace(1.1, 1.9, 22))  # pre-sale
            _set(f, date(y, 11, 11), date(y, 11, 11), 7.0)
            _set(f, date(y, 11, 12), date(y, 11, 12), 1.4)
            _set(f, date(y, 11, 13), date(y, 11, 20), 0.75)
            _set(f, date(y, 6, 1), date(y, 6, 17), np.linspace(1.05, 1.4, 17))
            _set(f, date(y, 6, 18), date(y, 6, 18), 3.2)
            _set(f, date(y, 6, 19), date(y, 6, 22), 0.85)
            _set(f, date(y, 12, 8), date(y, 12, 11), 1.15)
            _set(f, date(y, 12, 12), date(y, 12, 12), 2.4)
            _set(f, date(y, 3, 20), date(y, 4, 20), 1.2)  # new-harvest spring tea
    if channel == "taobao":
        for c in CNY_DATES:
            _set(f, c - timedelta(days=30), c - timedelta(days=11), 1.2)  # gift buying
            _set(f, c - timedelta(days=10), c - timedelta(days=4), 0.75)  # couriers wind down
            _set(f, c - timedelta(days=3), c + timedelta(days=7), 0.35)  # holiday shutdown
            _set(f, c + timedelta(days=8), c + timedelta(days=14), 0.7)
        for m in MID_AUTUMN:
            _set(f, m - timedelta(days=10), m - timedelta(days=1), 1.25)
    return f


def _promo_arrays(channel: str) -> tuple[np.ndarray, np.ndarray]:
    """Per-day promotion index (-1 = none) and demand multiplier for a channel."""
    idx = np.full(N_DAYS, -1)
    mult = np.ones(N_DAYS)
    for k, p in enumerate(PROMOS):
        if p.channel != channel:
            continue
        i, j = _d(p.start), _d(p.end)
        if (idx[i:j + 1] >= 0).any():
            raise ValueError(f"overlapping promotions on {channel}: {p.promo_id}")
        idx[i:j + 1] = k
        mult[i:j + 1] = p.mult
    return idx, mult


# --------------------------------------------------------------------------------------
# Time zones (no tz database needed: the US rule is fixed for the period)
# --------------------------------------------------------------------------------------

_YEARS = np.arange(2023, 2027)
_US_DST_START_WALL = np.array([calendar.timegm(_nth_weekday(int(y), 3, 6, 2).timetuple()) + 2 * HOUR
                               for y in _YEARS])
_US_DST_END_WALL = np.array([calendar.timegm(_nth_weekday(int(y), 11, 6, 1).timetuple()) + 2 * HOUR
                             for y in _YEARS])


def _year_of(sec: np.ndarray) -> np.ndarray:
    return sec.astype("datetime64[s]").astype("datetime64[Y]").astype(np.int64) + 1970


def _ny_wall_to_utc(wall: np.ndarray) -> np.ndarray:
    """New York wall clock -> UTC; skipped spring hour resolves to EST, repeated hour to EDT."""
    yi = _year_of(wall) - 2023
    s, e = _US_DST_START_WALL[yi], _US_DST_END_WALL[yi]
    edt = (wall >= s + HOUR) & (wall < e)
    return wall + np.where(edt, 4 * HOUR, 5 * HOUR)


def _ny_utc_to_wall(utc: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """UTC -> (New York wall clock, is-EDT flag)."""
    yi = _year_of(utc - 5 * HOUR) - 2023
    edt = (utc >= _US_DST_START_WALL[yi] + 5 * HOUR) & (utc < _US_DST_END_WALL[yi] + 4 * HOUR)
    return utc - np.where(edt, 4 * HOUR, 5 * HOUR), edt


def _fmt_wall(wall: np.ndarray) -> np.ndarray:
    """Wall-clock seconds -> 'YYYY-MM-DD HH:MM:SS' strings."""
    s = np.datetime_as_string(wall.astype("datetime64[s]"), unit="s").astype("<U19")
    v = s.view("<U1").reshape(-1, 19)
    v[:, 10] = " "
    return s


def _fmt_ny(utc: np.ndarray) -> np.ndarray:
    """Shopify timestamp with the correct New York offset for each instant."""
    wall, edt = _ny_utc_to_wall(utc)
    return np.char.add(_fmt_wall(wall), np.where(edt, " -0400", " -0500"))


def _fmt_sh(utc: np.ndarray) -> np.ndarray:
    """Taobao timestamp: Asia/Shanghai wall clock, no offset."""
    return _fmt_wall(utc + 8 * HOUR)


def _dow_of_wall(wall: np.ndarray) -> np.ndarray:
    return ((wall // DAY) + 3) % 7  # 1970-01-01 was a Thursday; Monday = 0


# --------------------------------------------------------------------------------------
# Small vectorised helpers
# --------------------------------------------------------------------------------------


def _money(cents: np.ndarray) -> list[str]:
    """Non-negative integer cents -> '12.34'."""
    return [f"{v // 100}.{v % 100:02d}" for v in np.asarray(cents, dtype=np.int64).tolist()]


def _unique_ints(rng: np.random.Generator, n: int, high: int) -> np.ndarray:
    """n distinct random integers in [0, high) (used for stable per-customer tokens)."""
    out = np.empty(0, dtype=np.int64)
    while len(out) < n:
        draw = rng.integers(0, high, size=int(n * 1.2) + 16)
        out = pd.unique(np.concatenate([out, draw]))
    return np.asarray(out[:n], dtype=np.int64)


def _hex_tokens(rng: np.random.Generator, n: int, prefix: str = "X-") -> np.ndarray:
    vals = _unique_ints(rng, n, 2 ** 32)
    return np.array([f"{prefix}{v:08x}" for v in vals.tolist()], dtype=object)


_ALNUM = np.array(list("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"))


def _alnum(rng: np.random.Generator, n: int, width: int) -> np.ndarray:
    idx = rng.integers(0, len(_ALNUM), size=(n, width))
    return _ALNUM[idx].view(f"<U{width}").ravel()


def _digits(rng: np.random.Generator, n: int, width: int) -> np.ndarray:
    idx = rng.integers(0, 10, size=(n, width))
    return np.array(list("0123456789"))[idx].view(f"<U{width}").ravel()


def _pick(rng: np.random.Generator, items: list[Any], weights: list[float], n: int) -> np.ndarray:
    p = np.asarray(weights, dtype=float)
    return rng.choice(len(items), size=n, p=p / p.sum())


def _lognormal_hours(rng: np.random.Generator, median: float, sigma: float, n: int) -> np.ndarray:
    return median * np.exp(sigma * rng.standard_normal(n))


# --------------------------------------------------------------------------------------
# Demand model
# --------------------------------------------------------------------------------------


@dataclass
class Demand:
    """Expected orders per day with and without promotions, plus basket economics."""

    lam_base: np.ndarray    # without promotions
    lam: np.ndarray         # with promotions (what is simulated)
    smooth: np.ndarray      # trend x season only (for peak-load effects)
    festival: np.ndarray
    promo_idx: np.ndarray
    sku_p: np.ndarray       # line-draw probabilities per SKU
    price: np.ndarray       # unit price in channel minor units
    gross_per_order: float  # expected gross merchandise per order (minor units)


def _sku_popularity(rng: np.random.Generator, cat: Catalogue) -> dict[str, np.ndarray]:
    """Zipf-like long tail over non-hero SKUs, then the hero sized to ~30% of revenue."""
    n = len(cat.sku)
    ranks = rng.permutation(n - 1) + 1
    base = np.concatenate([[0.0], 1.0 / (ranks + 2.0) ** 1.1])
    out: dict[str, np.ndarray] = {}
    for ch in ("shopify", "taobao"):
        w = base.copy()
        if ch == "taobao":
            w[1:] *= np.exp(0.35 * rng.standard_normal(n - 1))
            w *= np.where(np.array(cat.cat) == "TWR", 1.3, 1.0)
        price = cat.price_usd_c if ch == "shopify" else cat.price_cny_f
        rest = float((w[1:] * price[1:]).sum())
        w[0] = HERO_SHARE / (1 - HERO_SHARE) * rest / float(price[0])
        out[ch] = w / w.sum()
    return out


def _demand(channel: str, cal: Calendar, cat: Catalogue, sku_p: np.ndarray) -> Demand:
    fest = _festivals(channel)
    pidx, pmult = _promo_arrays(channel)
    lam_base = BASE_ORDERS[channel] * cal.smooth * WEEKLY[channel][cal.dow] * fest
    price = cat.price_usd_c if channel == "shopify" else cat.price_cny_f
    e_lines = float(np.dot(np.arange(1, 5), LINE_COUNT_P[channel]))
    e_qty = float(np.dot([1, 2, 3], QTY_P))
    gross = e_lines * e_qty * float(np.dot(sku_p, price))
    return Demand(lam_base, lam_base * pmult, BASE_ORDERS[channel] * cal.smooth, fest, pidx,
                  sku_p, price.astype(np.int64), gross)


# --------------------------------------------------------------------------------------
# Order simulation (shared by both channels)
# --------------------------------------------------------------------------------------

P_CANCEL = {"shopify": 0.011, "taobao": 0.010}   # cancelled after payment, before shipping
P_UNPAID = {"shopify": 0.0, "taobao": 0.040}     # Taobao orders never paid (closed)
P_VOID = 0.25                                    # Shopify cancellations that were never captured
P_PENDING = 0.003                                # Shopify manual-payment orders still pending
P_REFUND = {"shopify": 0.040, "taobao": 0.045}
P_REFUND_SPIKE = 0.35
REFUND_SPIKE_WINDOW = (date(2025, 8, 4), date(2025, 8, 31))
# The planted improvement: orders paid Friday to Sunday from this Monday on wait this share of
# the weekend backlog they waited before (away from festival peaks and the refund spike, so a
# before/after comparison sees the shift alone).
WEEKEND_SHIFT_START = date(2025, 4, 7)
WEEKEND_SHIFT_FACTOR = 0.3
REPEAT_P_FIRST = 0.33   # chance a first-time buyer comes back
REPEAT_P_LATER = 0.50   # chance a returning buyer comes back again
REPEAT_GAP_DAYS = 70.0  # mean geometric inter-purchase time
EXPORT_WALL = calendar.timegm(date(2026, 1, 1).timetuple()) + 9 * HOUR  # 09:00 next morning


def _assign_customers(day: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """New customers arrive; some return after geometric gaps (served by the next order)."""
    n = len(day)
    u = rng.random(n)
    gap = rng.geometric(1.0 / REPEAT_GAP_DAYS, size=n)
    cust = np.empty(n, dtype=np.int64)
    counts: list[int] = []
    due: list[tuple[int, int, int]] = []
    day_l, u_l, gap_l = day.tolist(), u.tolist(), gap.tolist()
    for i in range(n):
        d = day_l[i]
        if due and due[0][0] <= d:
            c = heapq.heappop(due)[2]
        else:
            c = len(counts)
            counts.append(0)
        cust[i] = c
        counts[c] += 1
        if u_l[i] < (REPEAT_P_FIRST if counts[c] == 1 else REPEAT_P_LATER):
            heapq.heappush(due, (d + gap_l[i], i, c))
    return cust


def _empty() -> np.ndarray:
    return np.empty(0, dtype=np.int64)


@dataclass
class Sim:
    """Simulated orders (sorted by creation) and their line items for one channel."""

    channel: str
    day: np.ndarray
    created: np.ndarray      # UTC seconds
    cust: np.ndarray
    promo: np.ndarray        # promotion index used (-1 = no code)
    gross: np.ndarray        # minor units
    disc: np.ndarray
    # lines
    l_order: np.ndarray
    l_sku: np.ndarray
    l_qty: np.ndarray
    l_price: np.ndarray
    l_disc: np.ndarray
    l_first: np.ndarray
    first_line: np.ndarray   # index of each order's first line
    n_lines: np.ndarray
    # process (filled by _process_times and _refunds)
    paid: np.ndarray = field(default_factory=_empty)
    fulfilled: np.ndarray = field(default_factory=_empty)
    delivered: np.ndarray = field(default_factory=_empty)
    cancelled: np.ndarray = field(default_factory=_empty)
    unpaid: np.ndarray = field(default_factory=_empty)
    refund_kind: np.ndarray = field(default_factory=_empty)  # 0 none, 1 line, 2 goodwill, 3 full
    refund_line: np.ndarray = field(default_factory=_empty)
    export_utc: int = 0      # the export moment: anything later has not happened yet


def _simulate(channel: str, dem: Demand, rng: np.random.Generator) -> Sim:
    """Poisson orders per day, timestamps, customers, baskets and promo discounts."""
    counts = rng.poisson(dem.lam)
    day = np.repeat(np.arange(N_DAYS), counts)
    n = len(day)
    prof = HOUR_PROFILE[channel] / HOUR_PROFILE[channel].sum()
    hour = rng.choice(24, size=n, p=prof)
    if channel == "taobao":  # midnight rush when the big sales open
        for (m, dd), share in (((11, 11), 0.30), ((6, 18), 0.12), ((12, 12), 0.12)):
            days = [_d(date(y, m, dd)) for y in (2023, 2024, 2025)]
            rush = np.isin(day, days) & (rng.random(n) < share)
            hour = np.where(rush, 0, hour)
    wall = START_EPOCH + day * DAY + hour * HOUR + rng.integers(0, HOUR, size=n)
    created = _ny_wall_to_utc(wall) if channel == "shopify" else wall - 8 * HOUR
    order = np.argsort(created, kind="stable")
    day, created = day[order], created[order]
    cust = _assign_customers(day, rng)

    # Baskets: 1-4 draws with replacement; a repeated SKU becomes one line with summed qty.
    n_draw = rng.choice(4, size=n, p=LINE_COUNT_P[channel]) + 1
    d_order = np.repeat(np.arange(n), n_draw)
    d_sku = rng.choice(len(dem.sku_p), size=len(d_order), p=dem.sku_p)
    d_qty = rng.choice(3, size=len(d_order), p=QTY_P) + 1
    lines = (pd.DataFrame({"o": d_order, "s": d_sku, "q": d_qty})
             .groupby(["o", "s"], sort=False)["q"].sum().reset_index())
    l_order = lines["o"].to_numpy(np.int64)
    l_sku = lines["s"].to_numpy(np.int64)
    l_qty = lines["q"].to_numpy(np.int64)
    l_price = dem.price[l_sku]
    l_gross = l_price * l_qty
    n_lines = np.bincount(l_order, minlength=n)
    first_line = np.concatenate([[0], np.cumsum(n_lines)[:-1]])
    l_first = np.zeros(len(l_order), dtype=bool)
    l_first[first_line] = True
    gross = np.bincount(l_order, weights=l_gross, minlength=n).round().astype(np.int64)

    # Promotion codes: most orders inside a window use the code.
    p_of_day = dem.promo_idx[day]
    usage = np.array([PROMOS[k].usage if k >= 0 else 0.0 for k in p_of_day.tolist()])
    promo = np.where(rng.random(n) < usage, p_of_day, -1)
    pct = np.array([PROMOS[k].pct if k >= 0 else 0 for k in promo.tolist()], dtype=np.int64)
    disc = (gross * pct + 50) // 100

    # Allocate the order discount to lines: proportional floor, remainder by largest fraction.
    raw = l_gross * disc[l_order]
    l_disc = raw // gross[l_order]
    frac = raw % gross[l_order]
    rem = disc - np.bincount(l_order, weights=l_disc, minlength=n).round().astype(np.int64)
    pos = np.arange(len(l_order))
    srt = np.lexsort((pos, -frac, l_order))
    rank = np.empty_like(pos)
    rank[srt] = pos - first_line[l_order[srt]]
    l_disc = l_disc + (rank < rem[l_order]).astype(np.int64)
    return Sim(channel, day, created, cust, promo, gross, disc, l_order, l_sku, l_qty, l_price,
               l_disc, l_first, first_line, n_lines)


def _process_times(sim: Sim, dem: Demand, rng: np.random.Generator) -> None:
    """created -> paid -> fulfilled (the planted bottleneck) -> delivered, plus cancellations."""
    n = len(sim.day)
    ch = sim.channel
    if ch == "shopify":
        pay_s = np.where(rng.random(n) < 0.75, rng.integers(1, 4, size=n),
                         rng.integers(20, 400, size=n))
        export_utc = int(_ny_wall_to_utc(np.array([EXPORT_WALL]))[0])
        to_wall = lambda u: _ny_utc_to_wall(u)[0]  # noqa: E731
    else:
        pay_s = np.where(rng.random(n) < 0.88, np.rint(75 * np.exp(rng.standard_normal(n))),
                         rng.integers(600, 18_000, size=n)).astype(np.int64)
        export_utc = EXPORT_WALL - 8 * HOUR
        to_wall = lambda u: u + 8 * HOUR  # noqa: E731
    paid = sim.created + pay_s

    # Warehouse: ~21 h normally; orders paid Fri-Sun wait for the weekend backlog; peaks slow it.
    # From WEEKEND_SHIFT_START a Saturday packing shift clears most of that backlog (the
    # improvement the demo's PDCA log records). Same draws either way: only the wait changes.
    paid_wall = to_wall(paid)
    paid_dow = _dow_of_wall(paid_wall)
    hours = _lognormal_hours(rng, 19.0, 0.45, n)
    shift = np.where(paid_wall >= START_EPOCH + _d(WEEKEND_SHIFT_START) * DAY,
                     WEEKEND_SHIFT_FACTOR, 1.0)
    hours += np.where(paid_dow >= 4, _lognormal_hours(rng, 22.0, 0.35, n) * shift, 0.0)
    hours *= np.where(rng.random(n) < 0.05, rng.uniform(2.5, 5.0, n), 1.0)
    load = dem.lam[sim.day] / dem.smooth[sim.day]
    hours *= 1.0 + 0.3 * np.maximum(0.0, np.log(load))
    fulfilled = paid + np.rint(hours * HOUR).astype(np.int64)

    u = rng.random(n)
    del_h = np.where(u < 0.70, _lognormal_hours(rng, 14.0, 0.5, n),
                     np.where(u < 0.88, rng.uniform(48, 144, n), 240.0))
    delivered = fulfilled + np.rint(del_h * HOUR).astype(np.int64)

    r = rng.random(n)
    unpaid = r < P_UNPAID[ch]
    cancelled = (r >= P_UNPAID[ch]) & (r < P_UNPAID[ch] + P_CANCEL[ch])
    sim.paid, sim.fulfilled, sim.delivered = paid, fulfilled, delivered
    sim.unpaid, sim.cancelled = unpaid, cancelled
    sim.export_utc = export_utc


def _refunds(sim: Sim, spike_sku: int, rng: np.random.Generator) -> None:
    """Base refunds (~4%) on shipped orders, plus the planted spike on one SKU in one window."""
    n = len(sim.day)
    eligible = (~sim.cancelled & ~sim.unpaid
                & (sim.fulfilled <= sim.export_utc - 10 * DAY))
    in_win = (sim.day >= _d(REFUND_SPIKE_WINDOW[0])) & (sim.day <= _d(REFUND_SPIKE_WINDOW[1]))
    spike_line = np.full(n, -1)
    is_spike_line = sim.l_sku == spike_sku
    spike_line[sim.l_order[is_spike_line]] = np.nonzero(is_spike_line)[0]
    has_spike = spike_line >= 0
    r = rng.random(n)
    spike_hit = eligible & in_win & has_spike & (r < P_REFUND_SPIKE)
    base_hit = eligible & ~spike_hit & (rng.random(n) < P_REFUND[sim.channel])
    kind = np.zeros(n, dtype=np.int64)
    full = rng.random(n) < 0.45
    multi = sim.n_lines > 1
    kind[base_hit & full] = 3
    kind[base_hit & ~full & multi] = 1
    kind[base_hit & ~full & ~multi] = 2
    kind[spike_hit & multi] = 1
    kind[spike_hit & ~multi] = 3
    pick = sim.first_line + np.floor(rng.random(n) * sim.n_lines).astype(np.int64)
    sim.refund_line = np.where(spike_hit, spike_line, pick)
    sim.refund_kind = kind


# --------------------------------------------------------------------------------------
# Shopify
# --------------------------------------------------------------------------------------

US_CITIES: list[tuple[str, str, str, str, list[tuple[str, int]], float]] = [
    # city, province code, province name, zip prefix, tax lines (name, rate in 1/1000 %), weight
    ("New York", "NY", "New York", "100", [("New York State Tax 4%", 4000),
                                           ("New York City Tax 4.5%", 4500)], 9),
    ("Brooklyn", "NY", "New York", "112", [("New York State Tax 4%", 4000),
                                           ("New York City Tax 4.5%", 4500)], 5),
    ("Los Angeles", "CA", "California", "900", [("California State Tax 7.25%", 7250),
                                                ("Los Angeles County Tax 2.25%", 2250)], 7),
    ("San Francisco", "CA", "California", "941", [("California State Tax 7.25%", 7250),
                                                  ("San Francisco County Tax 1.375%", 1375)], 6),
    ("Oakland", "CA", "California", "946", [("California State Tax 7.25%", 7250),
                                            ("Alameda County Tax 3%", 3000)], 3),
    ("San Diego", "CA", "California", "921", [("California State Tax 7.25%", 7250),
                                              ("San Diego County Tax 0.5%", 500)], 3),
    ("Seattle", "WA", "Washington", "981", [("Washington State Tax 6.5%", 6500),
                                            ("Seattle City Tax 3.85%", 3850)], 5),
    ("Portland", "OR", "Oregon", "972", [], 4),
    ("Austin", "TX", "Texas", "787", [("Texas State Tax 6.25%", 6250),
                                      ("Austin City Tax 1%", 1000)], 4),
    ("Houston", "TX", "Texas", "770", [("Texas State Tax 6.25%", 6250),
                                       ("Houston City Tax 1%", 1000)], 3),
    ("Chicago", "IL", "Illinois", "606", [("Illinois State Tax 6.25%", 6250),
                                          ("Cook County Tax 1.75%", 1750)], 5),
    ("Boston", "MA", "Massachusetts", "021", [("Massachusetts State Tax 6.25%", 6250)], 4),
    ("Philadelphia", "PA", "Pennsylvania", "191", [("Pennsylvania State Tax 6%", 6000),
                                                   ("Philadelphia County Tax 2%", 2000)], 3),
    ("Miami", "FL", "Florida", "331", [("Florida State Tax 6%", 6000),
                                       ("Miami-Dade County Tax 1%", 1000)], 3),
    ("Atlanta", "GA", "Georgia", "303", [("Georgia State Tax 4%", 4000),
                                         ("Fulton County Tax 3.75%", 3750)], 3),
    ("Denver", "CO", "Colorado", "802", [("Colorado State Tax 2.9%", 2900),
                                         ("Denver City Tax 4.81%", 4810)], 3),
    ("Minneapolis", "MN", "Minnesota", "554", [("Minnesota State Tax 6.875%", 6875)], 2),
    ("Phoenix", "AZ", "Arizona", "850", [("Arizona State Tax 5.6%", 5600),
                                         ("Phoenix City Tax 2.3%", 2300)], 2),
    ("Jersey City", "NJ", "New Jersey", "073", [("New Jersey State Tax 6.625%", 6625)], 2),
    ("Charlotte", "NC", "North Carolina", "282", [("North Carolina State Tax 4.75%", 4750),
                                                  ("Mecklenburg County Tax 2.5%", 2500)], 2),
    ("Arlington", "VA", "Virginia", "222", [("Virginia State Tax 5.3%", 5300)], 2),
    ("Ann Arbor", "MI", "Michigan", "481", [("Michigan State Tax 6%", 6000)], 1),
    ("Columbus", "OH", "Ohio", "432", [("Ohio State Tax 5.75%", 5750),
                                       ("Franklin County Tax 1.75%", 1750)], 2),
]
INTL_CITIES: list[tuple[str, str, str, str, str, float]] = [
    # country, city, province code, province name, zip pattern (D digit, L letter), weight
    ("CA", "Toronto", "ON", "Ontario", "M5V DLD", 3.5), ("CA", "Vancouver", "BC",
                                                          "British Columbia", "V6B DLD", 2.5),
    ("GB", "London", "", "", "EC1V DLL", 5.0), ("AU", "Sydney", "NSW", "New South Wales",
                                                 "20DD", 2.5),
    ("AU", "Melbourne", "VIC", "Victoria", "30DD", 1.5), ("DE", "Berlin", "", "", "10DDD", 2.0),
    ("SG", "Singapore", "", "", "0DDDDD", 1.0), ("NL", "Amsterdam", "", "", "10DD LL", 1.0),
    ("FR", "Paris", "", "", "750DD", 1.0),
]
SHOPIFY_NOTES = ["Gift wrap please, it's a birthday present.", "Please leave at the side door.",
                 "Gift for my mother!\nPlease don't include the receipt.",
                 "Could you add a sample of the jasmine tea?"]


def _zip_from_pattern(rng: np.random.Generator, pattern: str) -> str:
    letters = "ABCEGHJKLMNPRSTVWXYZ"
    return "".join(str(rng.integers(0, 10)) if ch == "D"
                   else letters[int(rng.integers(0, len(letters)))] if ch == "L" else ch
                   for ch in pattern)


def _text_zip(z: str) -> str:
    """Shopify prefixes all-digit postal codes with ' so spreadsheets keep leading zeros."""
    return "'" + z if z.isdigit() else z


def _shopify_customers(n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Stable per-customer identity: tokens instead of personal data, a real city for tax."""
    us_w = np.array([c[5] for c in US_CITIES], dtype=float)
    intl_w = np.array([c[5] for c in INTL_CITIES], dtype=float)
    is_us = rng.random(n) < 0.80
    us_city = rng.choice(len(US_CITIES), size=n, p=us_w / us_w.sum())
    intl_city = rng.choice(len(INTL_CITIES), size=n, p=intl_w / intl_w.sum())
    zips = []
    for i in range(n):  # n ~ 30k, cheap
        if is_us[i]:
            zips.append(US_CITIES[us_city[i]][3] + f"{int(rng.integers(0, 100)):02d}")
        else:
            zips.append(_zip_from_pattern(rng, INTL_CITIES[intl_city[i]][4]))
    phone = np.array([f"'+0000{v:08d}" for v in rng.integers(0, 10 ** 8, size=n).tolist()],
                     dtype=object)
    same_ship = rng.random(n) < 0.88
    bill_name, bill_street = _hex_tokens(rng, n), _hex_tokens(rng, n)
    ship_name = np.where(same_ship, bill_name, _hex_tokens(rng, n))
    ship_street = np.where(same_ship, bill_street, _hex_tokens(rng, n))
    addr2 = np.where(rng.random(n) < 0.2, _hex_tokens(rng, n), "")
    return {
        "email": np.array([f"user-{v:08x}@example.invalid"
                           for v in _unique_ints(rng, n, 2 ** 32).tolist()], dtype=object),
        "is_us": is_us, "us_city": us_city, "intl_city": intl_city,
        "zip": np.array(zips, dtype=object),
        "accepts": np.where(rng.random(n) < 0.62, "yes", "no"),
        "bill_name": bill_name, "bill_street": bill_street, "ship_name": ship_name,
        "ship_street": ship_street, "addr2": addr2,
        "bill_phone": np.where(rng.random(n) < 0.45, phone, ""),
        "ship_phone": np.where(rng.random(n) < 0.60, phone, ""),
        "phone": np.where(rng.random(n) < 0.10, phone, ""),
    }


def _shopify_money(sim: Sim, cust: dict[str, np.ndarray], rng: np.random.Generator
                   ) -> dict[str, Any]:
    """Shipping, sales tax and totals per order (cents)."""
    n = len(sim.day)
    c = sim.cust
    is_us = cust["is_us"][c]
    city = cust["us_city"][c]
    sub = sim.gross - sim.disc
    express = is_us & (rng.random(n) < 0.08)
    ship = np.where(is_us, np.where(sub >= 6000, 0, 695), np.where(sub >= 12000, 0, 1495))
    ship = np.where(express, 1495, ship)
    method = np.where(is_us, np.where(sub >= 6000, "Free Shipping", "Standard Shipping"),
                      np.where(sub >= 12000, "Free International Shipping",
                               "International Shipping"))
    method = np.where(express, "Express Shipping", method).astype(object)
    r1 = np.array([t[4][0][1] if len(t[4]) > 0 else 0 for t in US_CITIES])[city] * is_us
    r2 = np.array([t[4][1][1] if len(t[4]) > 1 else 0 for t in US_CITIES])[city] * is_us
    n1 = np.array([t[4][0][0] if len(t[4]) > 0 else "" for t in US_CITIES], dtype=object)[city]
    n2 = np.array([t[4][1][0] if len(t[4]) > 1 else "" for t in US_CITIES], dtype=object)[city]
    t1 = (sub * r1 + 50_000) // 100_000
    t2 = (sub * r2 + 50_000) // 100_000
    taxes = t1 + t2
    return {"sub": sub, "ship": ship.astype(np.int64), "method": method, "t1": t1, "t2": t2,
            "n1": np.where(r1 > 0, n1, ""), "n2": np.where(r2 > 0, n2, ""),
            "rate": r1 + r2, "taxes": taxes, "total": sub + ship + taxes}


def _shopify_frame(sim: Sim, cat: Catalogue, rng: np.random.Generator
                   ) -> tuple[list[list[str]], dict[str, Any]]:
    """Build the 79-column export (one row per line item) and the per-order facts."""
    n = len(sim.day)
    cust = _shopify_customers(int(sim.cust.max()) + 1, rng)
    m = _shopify_money(sim, cust, rng)
    export = sim.export_utc

    pending = ~sim.cancelled & (rng.random(n) < P_PENDING)
    void = sim.cancelled & (rng.random(n) < P_VOID)
    paid_ok = ~pending & ~void & (sim.paid <= export)
    cancel_at = sim.created + np.rint(rng.uniform(0.3, 30.0, n) * HOUR).astype(np.int64)
    is_fulfilled = paid_ok & ~sim.cancelled & (sim.fulfilled <= export)

    # Refund amounts: full = Total; a line = its net + its tax; goodwill = 20-50% of a line.
    rl = sim.refund_line
    line_net = sim.l_price[rl] * sim.l_qty[rl] - sim.l_disc[rl]
    goodwill = np.rint(line_net * rng.uniform(0.2, 0.5, n)).astype(np.int64)
    base_amt = np.where(sim.refund_kind == 1, line_net, goodwill)
    partial = base_amt + (base_amt * m["rate"] + 50_000) // 100_000
    kind = np.where(is_fulfilled, sim.refund_kind, 0)
    refunded = np.where(kind == 3, m["total"],
                        np.where(kind > 0, np.minimum(partial, m["total"]), 0))
    refunded = np.where(sim.cancelled & ~void, m["total"], refunded)
    fin = np.where(kind == 3, "refunded", np.where(kind > 0, "partially_refunded", "paid"))
    fin = np.where(pending, "pending", fin)
    fin = np.where(sim.cancelled, np.where(void, "voided", "refunded"), fin).astype(object)

    pay_method = np.array(["Shopify Payments", "PayPal Express Checkout", "Shop Pay Installments"],
                          dtype=object)[_pick(rng, [0, 1, 2], [0.66, 0.27, 0.07], n)]
    pay_method = np.where(pending, "Bank Deposit", pay_method)
    ref = _alnum(rng, n, 25).astype(object)
    ref = np.where(pending, "", ref)
    names = np.array([f"#LL{1001 + i}" for i in range(n)], dtype=object)
    ids = (5_612_000_000_000 + np.cumsum(rng.integers(20_000, 90_000, size=n))).astype(str)
    source = np.array(["web", "3890849", "shopify_draft_order"], dtype=object)[
        _pick(rng, [0, 1, 2], [0.90, 0.08, 0.02], n)]
    note_i = np.where(rng.random(n) < 0.02, rng.integers(0, len(SHOPIFY_NOTES), n), -1)
    notes = np.array([SHOPIFY_NOTES[k] if k >= 0 else "" for k in note_i.tolist()], dtype=object)
    tags = np.where(np.isin(note_i, [0, 2]), "gift",
                    np.where(source == "shopify_draft_order", "wholesale", "")).astype(object)
    risk = np.array(["Low", "Medium", "High"], dtype=object)[
        _pick(rng, [0, 1, 2], [0.985, 0.012, 0.003], n)]
    code = np.array([PROMOS[k].code if k >= 0 else "" for k in sim.promo.tolist()], dtype=object)

    c = sim.cust
    is_us = cust["is_us"][c]
    ui, ii = cust["us_city"][c], cust["intl_city"][c]
    city = np.where(is_us, np.array([t[0] for t in US_CITIES], dtype=object)[ui],
                    np.array([t[1] for t in INTL_CITIES], dtype=object)[ii])
    prov = np.where(is_us, np.array([t[1] for t in US_CITIES], dtype=object)[ui],
                    np.array([t[2] for t in INTL_CITIES], dtype=object)[ii])
    prov_name = np.where(is_us, np.array([t[2] for t in US_CITIES], dtype=object)[ui],
                         np.array([t[3] for t in INTL_CITIES], dtype=object)[ii])
    country = np.where(is_us, "US", np.array([t[0] for t in INTL_CITIES], dtype=object)[ii])
    zips = np.array([_text_zip(z) for z in cust["zip"][c].tolist()], dtype=object)

    created_s = _fmt_ny(sim.created).astype(object)
    paid_s = np.where(paid_ok, _fmt_ny(sim.paid), "").astype(object)
    ful_s = np.where(is_fulfilled, _fmt_ny(sim.fulfilled), "").astype(object)
    cancel_s = np.where(sim.cancelled, _fmt_ny(cancel_at), "").astype(object)
    money = {k: np.array(_money(m[k]), dtype=object) for k in ("sub", "ship", "taxes", "total")}
    disc_s = np.array(_money(sim.disc), dtype=object)
    refund_s = np.array(_money(refunded), dtype=object)
    outstanding = np.array(_money(np.where(pending, m["total"], 0)), dtype=object)
    t1_s = np.where(m["n1"] != "", np.array(_money(m["t1"]), dtype=object), "")
    t2_s = np.where(m["n2"] != "", np.array(_money(m["t2"]), dtype=object), "")

    lo, first = sim.l_order, sim.l_first
    nl = len(lo)
    blank = [""] * nl

    def first_only(values: np.ndarray | str) -> list[str]:
        arr = np.empty(nl, dtype=object)
        arr[:] = ""
        src = values if isinstance(values, np.ndarray) else np.full(n, values, dtype=object)
        arr[first] = src[lo[first]]
        return arr.tolist()

    def every(values: np.ndarray) -> list[str]:
        return np.asarray(values, dtype=object)[lo].tolist()

    # As in the real export: Name, Email and Created at repeat on every line item row; the
    # other order-level fields (status, money, addresses, payment, tags) only on the first.
    l_full = np.array(cat.name, dtype=object)[sim.l_sku]
    cmp_at = cat.compare_at_c[sim.l_sku]
    cols: dict[str, list[str]] = {
        "Name": every(names), "Email": every(cust["email"][c]),
        "Financial Status": first_only(fin), "Paid at": first_only(paid_s),
        "Fulfillment Status": first_only(np.where(is_fulfilled, "fulfilled", "unfulfilled")
                                         .astype(object)),
        "Fulfilled at": first_only(ful_s), "Accepts Marketing": first_only(cust["accepts"][c]
                                                                            .astype(object)),
        "Currency": first_only("USD"), "Subtotal": first_only(money["sub"]),
        "Shipping": first_only(money["ship"]), "Taxes": first_only(money["taxes"]),
        "Total": first_only(money["total"]), "Discount Code": first_only(code),
        "Discount Amount": first_only(disc_s), "Shipping Method": first_only(m["method"]),
        "Created at": every(created_s), "Lineitem quantity": sim.l_qty.astype(str).tolist(),
        "Lineitem name": l_full.tolist(), "Lineitem price": _money(sim.l_price),
        "Lineitem compare at price": [s if v > 0 else "" for v, s in
                                      zip(cmp_at.tolist(), _money(cmp_at))],
        "Lineitem sku": np.array(cat.sku, dtype=object)[sim.l_sku].tolist(),
        "Lineitem requires shipping": ["true"] * nl, "Lineitem taxable": ["true"] * nl,
        "Lineitem fulfillment status": np.where(is_fulfilled[lo], "fulfilled", "pending").tolist(),
        "Billing Name": first_only(cust["bill_name"][c]),
        "Billing Street": first_only(cust["bill_street"][c]),
        "Billing Address1": first_only(cust["bill_street"][c]),
        "Billing Address2": first_only(cust["addr2"][c]), "Billing Company": blank,
        "Billing City": first_only(city), "Billing Zip": first_only(zips),
        "Billing Province": first_only(prov), "Billing Country": first_only(country),
        "Billing Phone": first_only(cust["bill_phone"][c]),
        "Shipping Name": first_only(cust["ship_name"][c]),
        "Shipping Street": first_only(cust["ship_street"][c]),
        "Shipping Address1": first_only(cust["ship_street"][c]),
        "Shipping Address2": first_only(cust["addr2"][c]), "Shipping Company": blank,
        "Shipping City": first_only(city), "Shipping Zip": first_only(zips),
        "Shipping Province": first_only(prov), "Shipping Country": first_only(country),
        "Shipping Phone": first_only(cust["ship_phone"][c]), "Notes": first_only(notes),
        "Note Attributes": blank, "Cancelled at": first_only(cancel_s),
        "Payment Method": first_only(pay_method), "Payment Reference": first_only(ref),
        "Refunded Amount": first_only(refund_s), "Vendor": [SHOP_NAME] * nl,
        "Outstanding Balance": first_only(outstanding), "Employee": blank,
        "Location": first_only("Lotus & Loom - Portland Warehouse"), "Device ID": blank,
        "Id": first_only(ids.astype(object)), "Tags": first_only(tags),
        "Risk Level": first_only(risk), "Source": first_only(source),
        "Lineitem discount": _money(sim.l_disc),
        "Tax 1 Name": first_only(m["n1"].astype(object)), "Tax 1 Value": first_only(t1_s),
        "Tax 2 Name": first_only(m["n2"].astype(object)), "Tax 2 Value": first_only(t2_s),
        "Tax 3 Name": blank, "Tax 3 Value": blank, "Tax 4 Name": blank, "Tax 4 Value": blank,
        "Tax 5 Name": blank, "Tax 5 Value": blank, "Phone": first_only(cust["phone"][c]),
        "Receipt Number": blank, "Duties": blank,
        "Billing Province Name": first_only(prov_name),
        "Shipping Province Name": first_only(prov_name),
        "Payment ID": first_only(ref), "Payment Terms Name": blank, "Next Payment Due At": blank,
        "Payment References": first_only(ref),
    }
    facts = {"fin": fin, "refunded": refunded, "total": m["total"], "ship": m["ship"],
             "taxes": m["taxes"], "is_fulfilled": is_fulfilled, "paid_ok": paid_ok,
             "pending": pending, "email": cust["email"][c]}
    return [cols[h] for h in SHOPIFY_ORDER_HEADER], facts


# --------------------------------------------------------------------------------------
# Taobao
# --------------------------------------------------------------------------------------

CN_PLACES: list[tuple[str, str, str, str, float]] = [
    ("广东省", "深圳市", "南山区", "518000", 8), ("广东省", "广州市", "天河区", "510000", 7),
    ("浙江省", "杭州市", "西湖区", "310000", 9), ("浙江省", "宁波市", "鄞州区", "315000", 3),
    ("江苏省", "南京市", "鼓楼区", "210000", 5), ("江苏省", "苏州市", "姑苏区", "215000", 5),
    ("上海", "上海市", "浦东新区", "200120", 9), ("北京", "北京市", "朝阳区", "100020", 8),
    ("福建省", "厦门市", "思明区", "361000", 4), ("福建省", "福州市", "鼓楼区", "350000", 3),
    ("山东省", "青岛市", "市南区", "266000", 3), ("山东省", "济南市", "历下区", "250000", 2),
    ("四川省", "成都市", "武侯区", "610000", 5), ("湖北省", "武汉市", "洪山区", "430000", 4),
    ("河南省", "郑州市", "金水区", "450000", 3), ("湖南省", "长沙市", "岳麓区", "410000", 3),
    ("安徽省", "合肥市", "蜀山区", "230000", 2), ("天津", "天津市", "和平区", "300000", 2),
    ("陕西省", "西安市", "雁塔区", "710000", 3), ("重庆", "重庆市", "渝中区", "400010", 3),
    ("云南省", "昆明市", "五华区", "650000", 2),
    ("新疆维吾尔自治区", "乌鲁木齐市", "天山区", "830000", 1),
]
REMOTE_PROVINCES = {"新疆维吾尔自治区"}
COURIERS: list[tuple[str, str, int, float]] = [
    ("中通快递", "7", 14, 0.35), ("圆通速递", "YT", 13, 0.20), ("韵达快递", "4", 14, 0.15),
    ("申通快递", "77", 13, 0.10), ("顺丰速运", "SF", 13, 0.15), ("EMS", "1", 12, 0.05),
]
BUYER_MESSAGES = ["请尽快发货，谢谢", "送人的，麻烦包装好一点", "不要放发票", "茶具请多包几层泡沫", "请发顺丰"]
SELLER_NOTES = ["已备注礼盒包装", "客户要求顺丰，已补差价", "老客户，送茶样"]


def _taobao_frames(sim: Sim, cat: Catalogue, rng: np.random.Generator
                   ) -> tuple[list[list[str]], list[list[str]], dict[str, Any]]:
    """订单报表 (one row per order) and 宝贝报表 (one row per line), plus per-order facts."""
    n = len(sim.day)
    n_c = int(sim.cust.max()) + 1
    c = sim.cust
    export = sim.export_utc
    # customers
    nick = _hex_tokens(rng, n_c)
    alipay = _hex_tokens(rng, n_c)
    recv = _hex_tokens(rng, n_c)
    street = _hex_tokens(rng, n_c)
    place = _pick(rng, CN_PLACES, [p[4] for p in CN_PLACES], n_c)
    mob_pre = np.array(["138", "139", "137", "158", "159", "186", "188", "136", "135", "150"])
    mobile = np.char.add(np.char.add(np.char.add("'", mob_pre[rng.integers(0, 10, n_c)]), "****"),
                         _digits(rng, n_c, 4))
    tail = rng.integers(0, 10_000, size=n_c)
    addr = np.array([f"{CN_PLACES[k][0]} {CN_PLACES[k][1]} {CN_PLACES[k][2]} {s}({CN_PLACES[k][3]})"
                     for k, s in zip(place.tolist(), street.tolist())], dtype=object)
    remote = np.array([CN_PLACES[k][0] in REMOTE_PROVINCES for k in place.tolist()])

    # money (fen)
    goods = sim.gross - sim.disc
    post = np.where(remote[c], 1000, 0).astype(np.int64)
    total = goods + post
    unpaid_open = sim.unpaid & (sim.created > export - 24 * HOUR)
    paid_ok = ~sim.unpaid & (sim.paid <= export)
    shipped = paid_ok & ~sim.cancelled & (sim.fulfilled <= export)
    confirmed = shipped & (sim.delivered <= export)
    kind = np.where(confirmed, sim.refund_kind, 0)
    rl = sim.refund_line
    line_net = sim.l_price[rl] * sim.l_qty[rl] - sim.l_disc[rl]
    goodwill = np.rint(line_net * rng.uniform(0.2, 0.5, n) / 100).astype(np.int64) * 100
    actual = np.where(paid_ok, total, 0)
    refund = np.where(kind == 3, actual, np.where(kind == 1, line_net,
                                                  np.where(kind == 2, goodwill, 0)))
    refund = np.where(sim.cancelled & paid_ok, actual, refund)
    refund = np.minimum(refund, actual)

    status = np.full(n, TB_SUCCESS, dtype=object)
    status[paid_ok & ~shipped] = TB_WAIT_SHIP
    status[shipped & ~confirmed] = TB_SHIPPED
    status[kind == 3] = TB_CLOSED
    status[sim.cancelled & paid_ok] = TB_CLOSED
    status[sim.unpaid] = TB_CLOSED
    status[unpaid_open] = TB_WAIT_PAY
    close_reason = np.full(n, "订单未关闭", dtype=object)
    close_reason[(status == TB_CLOSED) & sim.unpaid] = "买家未付款"
    close_reason[(status == TB_CLOSED) & ~sim.unpaid] = "退款"
    merchant = np.where(status == TB_SUCCESS, actual - refund, 0)
    success_confirm = confirmed & (kind != 3)

    # ids: increasing 15-digit sequence + the buyer's 4-digit tail = 19 digits
    seq = 300_000_000_000_000 + np.cumsum(rng.integers(1_000_000, 50_000_000, size=n))
    oid = np.array([f"{s}{t:04d}" for s, t in zip(seq.tolist(), tail[c].tolist())], dtype=object)

    cour = _pick(rng, COURIERS, [k[3] for k in COURIERS], n)
    track = np.array([f"No:{COURIERS[k][1]}{d[:COURIERS[k][2]]}" for k, d in
                      zip(cour.tolist(), _digits(rng, n, 14).tolist())], dtype=object)
    track = np.where(shipped, track, "")
    cour_name = np.where(shipped, np.array([k[0] for k in COURIERS], dtype=object)[cour], "")

    msg_i = np.where(rng.random(n) < 0.06, rng.integers(0, len(BUYER_MESSAGES), n), -1)
    msg = np.array([BUYER_MESSAGES[k] if k >= 0 else "NULL" for k in msg_i.tolist()], dtype=object)
    note_i = np.where(rng.random(n) < 0.03, rng.integers(0, len(SELLER_NOTES), n), -1)
    note = np.array([SELLER_NOTES[k] if k >= 0 else "NULL" for k in note_i.tolist()], dtype=object)
    invoice = np.where(rng.random(n) < 0.05, "个人", "NULL").astype(object)
    mobile_order = np.where(rng.random(n) < 0.88, "手机订单", "").astype(object)
    daifu = np.where(rng.random(n) < 0.01, "是", "否").astype(object)

    listing_title = np.array([f"莲织 {PRODUCTS[p].title_zh} {CATEGORIES[PRODUCTS[p].cat][2]}"
                              for p in cat.product_idx.tolist()], dtype=object)
    l_title = listing_title[sim.l_sku]
    joined = pd.Series(l_title).groupby(sim.l_order, sort=False).agg("，".join).to_numpy()
    units = np.bincount(sim.l_order, weights=sim.l_qty, minlength=n).round().astype(np.int64)

    created_s = _fmt_sh(sim.created).astype(object)
    paid_s = np.where(paid_ok, _fmt_sh(sim.paid), "").astype(object)
    conf_s = np.where(success_confirm, _fmt_sh(sim.delivered), "").astype(object)
    zero = ["0"] * n
    z2 = ["0.00"] * n
    nul = ["NULL"] * n
    blank = [""] * n
    no = ["否"] * n
    order_cols: dict[str, list[str]] = {
        "订单编号": oid.tolist(), "买家会员名": nick[c].tolist(), "买家支付宝账号": alipay[c].tolist(),
        "买家应付货款": _money(goods), "买家应付邮费": _money(post), "买家支付积分": zero,
        "总金额": _money(total), "返点积分": zero, "买家实际支付金额": _money(actual),
        "买家实际支付积分": zero, "订单状态": status.tolist(), "买家留言": msg.tolist(),
        "收货人姓名": recv[c].tolist(), "收货地址 ": addr[c].tolist(), "运送方式": ["快递"] * n,
        "联系电话 ": nul, "联系手机": mobile[c].tolist(), "订单创建时间": created_s.tolist(),
        "订单付款时间 ": paid_s.tolist(), "宝贝标题 ": joined.tolist(),
        "宝贝种类 ": sim.n_lines.astype(str).tolist(), "物流单号 ": track.tolist(),
        "物流公司": cour_name.tolist(), "订单备注": note.tolist(),
        "宝贝总数量": units.astype(str).tolist(), "店铺Id": [TAOBAO_SHOP_ID] * n,
        "店铺名称": [TAOBAO_SHOP_NAME] * n, "订单关闭原因": close_reason.tolist(),
        "卖家服务费": z2, "买家服务费": z2, "发票抬头": invoice.tolist(),
        "是否手机订单": mobile_order.tolist(), "分阶段订单信息": nul, "特权订金订单id": nul,
        "是否上传合同照片": no, "是否上传小票": no, "是否代付": daifu.tolist(), "定金排名": blank,
        "修改后的sku": nul, "修改后的收货地址": nul, "异常信息": nul, "天猫卡券抵扣": z2,
        "集分宝抵扣": z2, "是否是O2O交易": no, "新零售交易类型": blank, "新零售导购门店名称": blank,
        "新零售导购门店id": blank, "新零售发货门店名称": blank, "新零售发货门店id": blank,
        "退款金额": _money(refund), "预约门店": blank, "确认收货时间": conf_s.tolist(),
        "打款商家金额": [s + "元" for s in _money(merchant)], "含应开票给个人的个人红包": z2,
    }
    # item report: a partially refunded line is closed on its own
    l_status = status[sim.l_order].copy()
    l_closed = np.zeros(len(sim.l_order), dtype=bool)
    l_closed[rl[kind == 1]] = True
    l_status[l_closed & (l_status == TB_SUCCESS)] = TB_CLOSED
    attr_name = np.array([PRODUCTS[p].option[1] if PRODUCTS[p].option else ""
                          for p in cat.product_idx.tolist()], dtype=object)
    attr = np.array([f"{a}：{v}" if v else "" for a, v in zip(attr_name.tolist(), cat.variant_zh)],
                    dtype=object)
    nl = len(sim.l_order)
    item_cols: dict[str, list[str]] = {
        "订单编号": oid[sim.l_order].tolist(), "标题": l_title.tolist(),
        "价格": _money(sim.l_price), "购买数量": sim.l_qty.astype(str).tolist(),
        "外部系统编号": [""] * nl, "商品属性": attr[sim.l_sku].tolist(), "套餐信息": [""] * nl,
        "备注": ["NULL"] * nl, "订单状态": l_status.tolist(),
        "商家编码": np.array(cat.sku, dtype=object)[sim.l_sku].tolist(),
    }
    facts = {"status": status, "refund": refund, "total": total, "actual": actual,
             "post": post, "paid_ok": paid_ok, "shipped": shipped, "confirmed": success_confirm,
             "nick": nick[c], "order_id": oid, "l_status": l_status}
    return ([order_cols[h] for h in TAOBAO_ORDER_HEADER],
            [item_cols[h] for h in TAOBAO_ITEM_HEADER], facts)


# --------------------------------------------------------------------------------------
# Products export
# --------------------------------------------------------------------------------------


def _handle(title: str) -> str:
    out = "".join(ch.lower() if ch.isalnum() else "-" for ch in title)
    while "--" in out:
        out = out.replace("--", "-")
    return out.strip("-")


def _ean13(rng: np.random.Generator) -> str:
    body = "6970" + "".join(str(int(x)) for x in rng.integers(0, 10, size=8))
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def _products_rows(cat: Catalogue, stock: np.ndarray, rng: np.random.Generator
                   ) -> list[list[str]]:
    """Shopify products export: first row per listing carries the product fields."""
    rows: list[list[str]] = []
    col = {h: i for i, h in enumerate(SHOPIFY_PRODUCTS_HEADER)}
    for pi, p in enumerate(PRODUCTS):
        skus = np.nonzero(cat.product_idx == pi)[0]
        handle = _handle(p.title)
        typ, path, _ = CATEGORIES[p.cat]
        html_title, html_shop = p.title.replace("&", "&amp;"), SHOP_NAME.replace("&", "&amp;")
        if pi % 3 == 0:
            body = (f"<p>{html_title} from {html_shop}.</p>\n<ul>\n<li>Sourced directly from "
                    f"our partner workshop</li>\n<li>Ships in recyclable packaging</li>\n</ul>")
        else:
            body = f"<p>{html_title}, selected by {html_shop} for everyday tea rituals.</p>"
        for k, s in enumerate(skus.tolist()):
            r = [""] * len(SHOPIFY_PRODUCTS_HEADER)
            r[col["Handle"]] = handle
            r[col["Option1 Value"]] = cat.variant_en[s] or "Default Title"
            r[col["Variant SKU"]] = cat.sku[s]
            r[col["Variant Grams"]] = f"{float(cat.grams[s]):.1f}"
            r[col["Variant Inventory Tracker"]] = "shopify"
            r[col["Variant Inventory Qty"]] = str(int(stock[s]))
            r[col["Variant Inventory Policy"]] = "deny"
            r[col["Variant Fulfillment Service"]] = "manual"
            r[col["Variant Price"]] = _money(cat.price_usd_c[s:s + 1])[0]
            if cat.compare_at_c[s] > 0:
                r[col["Variant Compare At Price"]] = _money(cat.compare_at_c[s:s + 1])[0]
            r[col["Variant Requires Shipping"]] = "true"
            r[col["Variant Taxable"]] = "true"
            r[col["Variant Barcode"]] = _ean13(rng)
            r[col["Variant Weight Unit"]] = "g"
            r[col["Cost per item"]] = _money(cat.cost_usd_c[s:s + 1])[0]
            if k == 0:
                r[col["Title"]] = p.title
                r[col["Body (HTML)"]] = body
                r[col["Vendor"]] = SHOP_NAME
                r[col["Product Category"]] = path
                r[col["Type"]] = typ
                r[col["Tags"]] = ", ".join(x for x in (typ, "bestseller" if s == 0 else "",
                                                       "gift" if p.cat == "GFT" else "") if x)
                r[col["Published"]] = "true"
                r[col["Option1 Name"]] = p.option[0] if p.option else "Title"
                r[col["Image Src"]] = f"https://lotus-loom.example/cdn/{handle}.jpg"
                r[col["Image Position"]] = "1"
                r[col["Image Alt Text"]] = p.title
                r[col["Gift Card"]] = "false"
                r[col["SEO Title"]] = f"{p.title} | {SHOP_NAME}"
                r[col["Included / United States"]] = "true"
                r[col["Included / Canada"]] = "true"
                r[col["Included / International"]] = "true"
                r[col["Status"]] = "active"
            rows.append(r)
    return rows


# --------------------------------------------------------------------------------------
# Side tables
# --------------------------------------------------------------------------------------

CAMPAIGNS: list[tuple[str, str, float, float, float, float]] = [
    # channel, campaign, base daily spend, cost per click, click-through rate, revenue share
    ("shopify", "google_search", 140.0, 1.15, 0.045, 0.16),
    ("shopify", "google_shopping", 90.0, 0.70, 0.012, 0.09),
    ("shopify", "meta_prospecting", 120.0, 0.85, 0.009, 0.08),
    ("shopify", "meta_retargeting", 45.0, 0.60, 0.015, 0.07),
    ("taobao", "taobao_ztc", 900.0, 1.60, 0.030, 0.20),
    ("taobao", "taobao_ylmf", 450.0, 0.90, 0.010, 0.08),
    ("taobao", "taobao_taoke", 300.0, 2.50, 0.020, 0.06),
]


def _daily_sum(day: np.ndarray, w: np.ndarray | None = None) -> np.ndarray:
    return np.bincount(day, weights=w, minlength=N_DAYS)


def _traffic_rows(sims: dict[str, Sim], dems: dict[str, Demand], cal: Calendar,
                  rng: np.random.Generator) -> list[list[str]]:
    """Sessions implied by orders through a 2-4% conversion rate that moves with promos."""
    per: dict[str, list[list[str]]] = {}
    for ch, base_cr in (("shopify", 0.026), ("taobao", 0.031)):
        orders = _daily_sum(sims[ch].day).astype(np.int64)
        boost = 1 + 0.25 * (dems[ch].promo_idx >= 0) + 0.12 * np.log(dems[ch].festival)
        cr = np.clip(base_cr * boost * np.exp(0.08 * rng.standard_normal(N_DAYS)), 0.02, 0.045)
        sessions = np.maximum(np.rint(orders / cr), orders * 20).astype(np.int64)
        visitors = np.rint(sessions * rng.uniform(0.72, 0.82, N_DAYS)).astype(np.int64)
        checkouts = np.maximum(np.rint(orders * rng.uniform(1.6, 2.0, N_DAYS)),
                               orders + 1).astype(np.int64)
        atc = np.maximum(np.rint(sessions * rng.uniform(0.07, 0.10, N_DAYS)),
                         checkouts + 1).astype(np.int64)
        per[ch] = [[cal.dates[d].isoformat(), ch, str(sessions[d]), str(visitors[d]), str(atc[d]),
                    str(checkouts[d])] for d in range(N_DAYS)]
    return [row for d in range(N_DAYS) for row in (per["shopify"][d], per["taobao"][d])]


def _net_by_day(sim: Sim, cancelled: np.ndarray) -> np.ndarray:
    return _daily_sum(sim.day, np.where(cancelled, 0, sim.gross - sim.disc))


def _marketing_rows(sims: dict[str, Sim], dems: dict[str, Demand], cal: Calendar,
                    cancelled: dict[str, np.ndarray], rng: np.random.Generator
                    ) -> list[list[str]]:
    """Daily spend per campaign; attributed revenue is a noisy share of real net sales."""
    net = {ch: _net_by_day(sims[ch], cancelled[ch]) for ch in sims}
    rows_by_day: list[list[list[str]]] = [[] for _ in range(N_DAYS)]
    for ch, name, base, cpc, ctr, share in CAMPAIGNS:
        dem = dems[ch]
        push = 1 + 0.5 * (dem.promo_idx >= 0) + 0.4 * np.log(dem.festival).clip(0)
        spend_c = np.rint(base * cal.smooth * push * np.exp(0.12 * rng.standard_normal(N_DAYS))
                          * 100).astype(np.int64)
        clicks = np.rint(spend_c / 100 / (cpc * np.exp(0.1 * rng.standard_normal(N_DAYS))))
        impressions = np.rint(clicks / (ctr * np.exp(0.1 * rng.standard_normal(N_DAYS))))
        attr = np.rint(net[ch] * share * np.exp(0.15 * rng.standard_normal(N_DAYS))
                       ).astype(np.int64)
        for d in range(N_DAYS):
            rows_by_day[d].append([cal.dates[d].isoformat(), ch, name,
                                   f"{spend_c[d] // 100}.{spend_c[d] % 100:02d}",
                                   str(int(impressions[d])), str(int(clicks[d])),
                                   f"{attr[d] // 100}.{attr[d] % 100:02d}"])
    return [r for day_rows in rows_by_day for r in day_rows]


KPI_OWNERS = {
    "net_sales": ("Mara Lin", "Growth"),
    "orders": ("Jon Park", "Growth"),
    "avg_order_value": ("Sofia Reyes", "Merchandising"),
    "repeat_customer_rate": ("Wei Zhang", "CRM"),
    "on_time_ship_rate": ("Tom Okafor", "Operations"),
}


def _targets_rows(dems: dict[str, Demand]) -> list[list[str]]:
    """2025 monthly targets: expected outcome plus a stretch, rounded like a planner would."""
    rows: list[list[str]] = []
    for month in range(1, 13):
        a = date(2025, month, 1)
        b = date(2025, month, calendar.monthrange(2025, month)[1])
        i, j = _d(a), _d(b) + 1
        orders = sum(float(dems[ch].lam[i:j].sum()) for ch in dems)
        net = 0.0
        for ch, dem in dems.items():
            usage = np.array([PROMOS[k].pct * PROMOS[k].usage / 100 if k >= 0 else 0.0
                              for k in dem.promo_idx[i:j].tolist()])
            net += float((dem.lam[i:j] * (1 - usage)).sum()) * dem.gross_per_order / 100 \
                * FX_TO_USD[CHANNEL_CCY[ch]] * 0.96
        t_net = round(net * 1.06, -3)
        t_orders = round(orders * 1.04, -1)
        values = {"net_sales": f"{t_net:.0f}", "orders": f"{t_orders:.0f}",
                  # a month's repeat rate (customers ordering twice within it) runs at 6-7 %
                  # here; 0.32 was the whole history's rate, a target no month could reach
                  "avg_order_value": f"{t_net / t_orders:.2f}", "repeat_customer_rate": "0.08",
                  "on_time_ship_rate": "0.95"}
        for kpi, (owner, team) in KPI_OWNERS.items():
            rows.append([kpi, a.isoformat(), b.isoformat(), owner, team, values[kpi]])
    return rows


RISKS: list[list[str]] = [
    ["R01", "Over 40% of SKUs come from one tea trading supplier", "supply_chain", "3", "4",
     "Tom Okafor", "mitigate", "Qualify a second tea source in Fujian; hold 4 weeks of safety "
     "stock on the top 10 teas", "open", "2026-01-15"],
    ["R02", "Revenue concentrated on Jasmine Dragon Pearls", "market", "3", "4", "Sofia Reyes",
     "mitigate", "Build two more hero products through bundles and gift sets", "open",
     "2026-02-01"],
    ["R03", "Fulfilment capacity at peaks (11.11, BFCM, weekends)", "management", "4", "3",
     "Tom Okafor", "mitigate", "Saturday packing shift since April 2025 (see the improvement "
     "log); pre-pack top SKUs before 11.11", "open", "2026-01-10"],
    ["R04", "CNY/USD exchange-rate swings squeeze Taobao margin", "finance", "3", "2",
     "Mara Lin", "accept", "Review CNY price list each quarter", "monitoring", "2026-03-31"],
    ["R05", "Payment or storefront outage during Black Friday", "technology", "2", "4",
     "Jon Park", "transfer", "Keep PayPal as a backup gateway; platform SLA covers downtime",
     "monitoring", "2026-10-01"],
    ["R06", "Food-contact and tea import rules (FDA, EU) for cross-border orders",
     "legal_compliance", "2", "4", "Mara Lin", "avoid", "Do not ship tea to markets without "
     "registered import paperwork", "open", "2026-02-15"],
    ["R07", "Glass and ceramic batches arriving with defects", "supply_chain", "3", "3",
     "Tom Okafor", "mitigate", "Inspect 5% of each inbound batch; claim defects within 14 days",
     "open", "2026-01-20"],
]


# --------------------------------------------------------------------------------------
# Truth
# --------------------------------------------------------------------------------------


def _median_h(x: np.ndarray) -> float:
    return round(float(np.median(x)) / HOUR, 2) if len(x) else float("nan")


def _money_f(minor: float | int) -> float:
    return round(float(minor) / 100, 2)


def _channel_truth(sim: Sim, cancelled: np.ndarray, refunded: np.ndarray, total: np.ndarray,
                   shipping: np.ndarray, taxes: np.ndarray, customer_key: np.ndarray
                   ) -> dict[str, Any]:
    """The headline numbers an analyst should recover from the channel's export."""
    keep = ~cancelled
    l_keep = keep[sim.l_order]
    l_gross = sim.l_price * sim.l_qty
    per_cust = pd.Series(customer_key).value_counts()
    return {
        "currency": CHANNEL_CCY[sim.channel],
        "orders_all": int(len(sim.day)),
        "orders_cancelled": int(cancelled.sum()),
        "orders_excl_cancelled": int(keep.sum()),
        "line_items_all": int(len(sim.l_order)),
        "line_items_excl_cancelled": int(l_keep.sum()),
        "units_excl_cancelled": int(sim.l_qty[l_keep].sum()),
        "gross_sales": _money_f(l_gross[l_keep].sum()),
        "discounts": _money_f(sim.disc[keep].sum()),
        "net_sales_before_refunds": _money_f((sim.gross - sim.disc)[keep].sum()),
        "refunds": _money_f(refunded[keep].sum()),
        "refunds_incl_cancelled": _money_f(refunded.sum()),
        "orders_with_refund_excl_cancelled": int(((refunded > 0) & keep).sum()),
        "shipping": _money_f(shipping[keep].sum()),
        "taxes": _money_f(taxes[keep].sum()),
        "order_totals_all": _money_f(total.sum()),
        "order_totals_excl_cancelled": _money_f(total[keep].sum()),
        "orders_with_discount_code": int((sim.promo >= 0).sum()),
        "distinct_customers": int(len(per_cust)),
        "repeat_customers": int((per_cust > 1).sum()),
        "repeat_customer_share": round(float((per_cust > 1).mean()), 4),
    }


def _promo_truth(dems: dict[str, Demand], sims: dict[str, Sim],
                 cancelled: dict[str, np.ndarray]) -> list[dict[str, Any]]:
    """True lift = sum over promo days of E[revenue | promo] - E[revenue | no promo]."""
    out = []
    for k, p in enumerate(PROMOS):
        dem, sim = dems[p.channel], sims[p.channel]
        i, j = _d(p.start), _d(p.end) + 1
        keep = 1 - P_CANCEL[p.channel] - P_UNPAID[p.channel]
        base = float(dem.lam_base[i:j].sum())
        withp = float(dem.lam[i:j].sum())
        g = dem.gross_per_order * keep
        rev0, rev1 = base * g, withp * g
        net1 = withp * g * (1 - p.pct / 100 * p.usage)
        lo, hi = max(0, i - 14), min(N_DAYS, j + 14)
        others = [q for q in PROMOS if q.channel == p.channel and q is not p
                  and _d(q.start) < hi and _d(q.end) >= lo]
        clean = bool(np.all(dem.festival[lo:hi] == 1.0)) and not others
        in_win = (sim.day >= i) & (sim.day < j) & ~cancelled[p.channel]
        out.append({
            "promo_id": p.promo_id, "name": p.name, "channel": p.channel,
            "currency": CHANNEL_CCY[p.channel], "discount_code": p.code, "discount_pct": p.pct,
            "start_date": p.start.isoformat(), "end_date": p.end.isoformat(), "days": j - i,
            "demand_multiplier": p.mult, "code_usage_rate": p.usage,
            "clean_window": clean,
            "expected_orders_without_promo": round(base, 2),
            "expected_orders_with_promo": round(withp, 2),
            "expected_revenue_without_promo": _money_f(rev0),
            "expected_revenue_with_promo": _money_f(rev1),
            "true_incremental_revenue": _money_f(rev1 - rev0),
            "true_incremental_net_revenue": _money_f(net1 - rev0),
            "observed_orders": int(in_win.sum()),
            "observed_orders_with_code": int((in_win & (sim.promo == k)).sum()),
            "observed_gross_sales": _money_f(sim.gross[in_win].sum()),
        })
    return out


# --------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------


def _write_csv(path: Path, header: list[str], rows: Any, encoding: str = "utf-8",
               newline: str = "\n") -> None:
    with path.open("w", encoding=encoding, newline="") as f:
        w = csv.writer(f, quoting=csv.QUOTE_MINIMAL, lineterminator=newline)
        w.writerow(header)
        w.writerows(rows)


def _write_columns(path: Path, header: list[str], cols: list[list[str]],
                   encoding: str = "utf-8", newline: str = "\n") -> None:
    _write_csv(path, header, zip(*cols), encoding, newline)


# --------------------------------------------------------------------------------------
# Main entry point
# --------------------------------------------------------------------------------------


def generate(out_dir: Path, seed: int = 7) -> dict:
    """Write the demo store into out_dir and return the truth dict (also saved as truth.json)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    root = np.random.default_rng(seed)
    (r_cat, r_pop, r_sim_s, r_sim_t, r_proc, r_ref, r_shop, r_tb, r_prod, r_side,
     r_inv) = root.spawn(11)

    cat = _build_catalogue(r_cat)
    cal = _calendar()
    pop = _sku_popularity(r_pop, cat)
    dems = {ch: _demand(ch, cal, cat, pop[ch]) for ch in ("shopify", "taobao")}
    sims = {"shopify": _simulate("shopify", dems["shopify"], r_sim_s),
            "taobao": _simulate("taobao", dems["taobao"], r_sim_t)}
    for ch in sims:
        _process_times(sims[ch], dems[ch], r_proc)

    # Planted SKUs: the refund spike on the best-selling non-hero teaware item; the stockout
    # on the best-selling remaining non-hero SKU.
    units_all = np.zeros(len(cat.sku))
    for ch, s in sims.items():
        units_all += np.bincount(s.l_sku, weights=s.l_qty, minlength=len(cat.sku))
    is_twr = np.array(cat.cat) == "TWR"
    order_by_units = np.argsort(-units_all, kind="stable")
    spike_sku = int(next(s for s in order_by_units if s != 0 and is_twr[s]))
    stockout_sku = int(next(s for s in order_by_units if s not in (0, spike_sku)))
    for ch in sims:
        _refunds(sims[ch], spike_sku, r_ref)

    shop_cols, shop = _shopify_frame(sims["shopify"], cat, r_shop)
    tb_order_cols, tb_item_cols, tb = _taobao_frames(sims["taobao"], cat, r_tb)

    cancelled = {
        "shopify": sims["shopify"].cancelled,
        "taobao": (tb["status"] == TB_CLOSED) & ~tb["shipped"],
    }

    # Inventory: stock covers well over the lead time except for the planted stockout SKU.
    ri = r_inv
    end_d = N_DAYS
    recent = np.zeros(len(cat.sku))
    last90 = np.zeros(len(cat.sku))
    for ch, s in sims.items():
        keep_l = ~cancelled[ch][s.l_order]
        d_l = s.day[s.l_order]
        recent += np.bincount(s.l_sku, weights=s.l_qty * (keep_l & (d_l >= end_d - 28)),
                              minlength=len(cat.sku))
        last90 += np.bincount(s.l_sku, weights=s.l_qty * (keep_l & (d_l >= end_d - 90)),
                              minlength=len(cat.sku))
    recent /= 28.0
    last90 /= 90.0
    lead = (np.array([SUPPLIER_LEAD_DAYS[x] for x in cat.supplier])
            + ri.integers(-3, 4, len(cat.sku)))
    stock = np.ceil(recent * lead * ri.uniform(1.4, 3.0, len(cat.sku))).astype(np.int64) + \
        ri.integers(3, 15, len(cat.sku))
    stock[stockout_sku] = int(np.floor(recent[stockout_sku] * lead[stockout_sku] * 0.2))
    safety = np.ceil(last90 * 7).astype(np.int64) + 2

    # ---- write files ----
    _write_columns(out_dir / "shopify_orders_export.csv", SHOPIFY_ORDER_HEADER, shop_cols)
    _write_csv(out_dir / "shopify_products_export.csv", SHOPIFY_PRODUCTS_HEADER,
               _products_rows(cat, stock, r_prod))
    _write_columns(out_dir / "taobao_orders.csv", TAOBAO_ORDER_HEADER, tb_order_cols,
                   encoding="gbk", newline="\r\n")
    _write_columns(out_dir / "taobao_order_items.csv", TAOBAO_ITEM_HEADER, tb_item_cols,
                   encoding="gbk", newline="\r\n")
    _write_csv(out_dir / "traffic.csv", TRAFFIC_HEADER, _traffic_rows(sims, dems, cal, r_side))
    _write_csv(out_dir / "marketing.csv", MARKETING_HEADER,
               _marketing_rows(sims, dems, cal, cancelled, r_side))
    inv_rows = [[cat.sku[s], cat.name[s], CATEGORIES[cat.cat[s]][0],
                 _money(cat.cost_usd_c[s:s + 1])[0], _money(cat.price_usd_c[s:s + 1])[0],
                 str(int(stock[s])), str(int(lead[s])), cat.supplier[s], str(int(safety[s]))]
                for s in range(len(cat.sku))]
    _write_csv(out_dir / "inventory.csv", INVENTORY_HEADER, inv_rows)
    _write_csv(out_dir / "targets.csv", TARGETS_HEADER, _targets_rows(dems))
    _write_csv(out_dir / "risks.csv", RISKS_HEADER, RISKS)
    _write_csv(out_dir / "promotions.csv", PROMOTIONS_HEADER,
               [[p.promo_id, p.name, p.start.isoformat(), p.end.isoformat(), p.code,
                 str(p.pct), p.channel] for p in PROMOS])
    _write_csv(out_dir / "fx_rates.csv", FX_HEADER,
               [["CNY", f"{FX_TO_USD['CNY']:.2f}"], ["USD", f"{FX_TO_USD['USD']:.2f}"]])

    truth = _truth(cat, dems, sims, shop, tb, cancelled, spike_sku, stockout_sku, stock,
                   lead, recent, seed)
    with (out_dir / "truth.json").open("w", encoding="utf-8", newline="\n") as f:
        json.dump(truth, f, ensure_ascii=False, indent=2)
        f.write("\n")
    return truth


def _truth(cat: Catalogue, dems: dict[str, Demand], sims: dict[str, Sim],
           shop: dict[str, Any], tb: dict[str, Any], cancelled: dict[str, np.ndarray],
           spike_sku: int, stockout_sku: int, stock: np.ndarray, lead: np.ndarray,
           recent: np.ndarray, seed: int) -> dict[str, Any]:
    s_sim, t_sim = sims["shopify"], sims["taobao"]
    channels = {
        "shopify": _channel_truth(s_sim, cancelled["shopify"], shop["refunded"], shop["total"],
                                  shop["ship"], shop["taxes"], shop["email"]),
        "taobao": _channel_truth(t_sim, cancelled["taobao"], tb["refund"], tb["total"],
                                 tb["post"], np.zeros(len(t_sim.day), dtype=np.int64),
                                 tb["nick"]),
    }
    channels["shopify"]["orders_by_financial_status"] = {
        k: int(v) for k, v in sorted(pd.Series(shop["fin"]).value_counts().items())}
    channels["taobao"]["orders_by_status"] = {
        k: int(v) for k, v in sorted(pd.Series(tb["status"]).value_counts().items())}
    channels["taobao"]["buyer_paid_total"] = _money_f(tb["actual"].sum())

    # Hero concentration on gross sales of non-cancelled orders.
    hero = {}
    usd_all, usd_hero = 0.0, 0.0
    for ch, s in sims.items():
        keep = ~cancelled[ch][s.l_order]
        g = s.l_price * s.l_qty * keep
        share = float(g[s.l_sku == 0].sum() / g.sum())
        hero[ch] = round(share, 4)
        fx = FX_TO_USD[CHANNEL_CCY[ch]]
        usd_all += float(g.sum()) * fx
        usd_hero += float(g[s.l_sku == 0].sum()) * fx

    # Process stages (true timestamps; Shopify shows Paid at -> Fulfilled at, Taobao has no
    # ship time column but 确认收货时间 includes the wait).
    stages: dict[str, dict[str, float]] = {}
    p2f_all, p2f_wknd, p2f_wkdy = [], [], []
    for ch, s in sims.items():
        if ch == "shopify":
            ok = shop["is_fulfilled"]
            paid_wall = _ny_utc_to_wall(s.paid)[0]
            c2p_ok = shop["paid_ok"]
        else:
            ok = tb["shipped"]
            paid_wall = s.paid + 8 * HOUR
            c2p_ok = tb["paid_ok"]
        p2f = (s.fulfilled - s.paid)[ok]
        wknd = _dow_of_wall(paid_wall)[ok] >= 4
        p2f_all.append(p2f)
        p2f_wknd.append(p2f[wknd])
        p2f_wkdy.append(p2f[~wknd])
        stages[ch] = {"created_to_paid": _median_h((s.paid - s.created)[c2p_ok]),
                      "paid_to_fulfilled": _median_h(p2f),
                      "paid_to_fulfilled_paid_fri_sun": _median_h(p2f[wknd]),
                      "paid_to_fulfilled_paid_mon_thu": _median_h(p2f[~wknd])}
    conf = tb["confirmed"]
    stages["taobao"]["fulfilled_to_delivered"] = _median_h(
        (t_sim.delivered - t_sim.fulfilled)[conf])
    stages["taobao"]["paid_to_delivered_observable"] = _median_h(
        (t_sim.delivered - t_sim.paid)[conf])
    s_ok = shop["is_fulfilled"]
    in_2025 = s_sim.day >= _d(date(2025, 1, 1))
    # The weekend shift, as the PDCA log compares it: Shopify's mean hours from payment to
    # shipment of the orders placed in the 28 days before its start and in the 28 from it.
    w0 = _d(WEEKEND_SHIFT_START)
    s_hours = (s_sim.fulfilled - s_sim.paid) / HOUR
    before_w = s_ok & (s_sim.day >= w0 - 28) & (s_sim.day < w0)
    after_w = s_ok & (s_sim.day >= w0) & (s_sim.day < w0 + 28)
    on_time = (s_sim.fulfilled - s_sim.paid <= 48 * HOUR)[s_ok & in_2025]
    all_c2p = np.concatenate([(s_sim.paid - s_sim.created)[shop["paid_ok"]],
                              (t_sim.paid - t_sim.created)[tb["paid_ok"]]])

    # Refund spike: share of non-cancelled, shipped orders holding the SKU that got a refund.
    spike = {"sku": cat.sku[spike_sku], "name": cat.name[spike_sku],
             "window_start": REFUND_SPIKE_WINDOW[0].isoformat(),
             "window_end": REFUND_SPIKE_WINDOW[1].isoformat(),
             "definition": "orders (not cancelled, shipped, created in the window / outside it) "
                           "containing the SKU that received any refund"}
    i, j = _d(REFUND_SPIKE_WINDOW[0]), _d(REFUND_SPIKE_WINDOW[1])
    tot_in = tot_out = ref_in = ref_out = 0
    for ch, s in sims.items():
        has = np.zeros(len(s.day), dtype=bool)
        has[s.l_order[s.l_sku == spike_sku]] = True
        shipped = shop["is_fulfilled"] if ch == "shopify" else tb["shipped"]
        refunded = shop["refunded"] if ch == "shopify" else tb["refund"]
        base = has & ~cancelled[ch] & shipped & (s.fulfilled <= s.export_utc - 10 * DAY)
        win = (s.day >= i) & (s.day <= j)
        a, b = base & win, base & ~win
        spike[ch] = {"refund_rate_inside": round(float((refunded[a] > 0).mean()), 4),
                     "refund_rate_outside": round(float((refunded[b] > 0).mean()), 4),
                     "orders_inside": int(a.sum()), "orders_outside": int(b.sum())}
        tot_in, tot_out = tot_in + int(a.sum()), tot_out + int(b.sum())
        ref_in += int((refunded[a] > 0).sum())
        ref_out += int((refunded[b] > 0).sum())
    spike["refund_rate_inside"] = round(ref_in / tot_in, 4)
    spike["refund_rate_outside"] = round(ref_out / tot_out, 4)

    below = [cat.sku[k] for k in range(len(cat.sku)) if stock[k] < lead[k] * recent[k]]
    return {
        "generator": {"store": SHOP_NAME, "seed": seed, "version": 1},
        "date_range": {"start": START.isoformat(), "end": END.isoformat(), "days": N_DAYS,
                       "timezones": {"shopify": "America/New_York", "taobao": "Asia/Shanghai"},
                       "exported_at_local": "2026-01-01 09:00:00"},
        "fx_rate_to_usd": FX_TO_USD,
        "definitions": {
            "cancelled": "Shopify: Cancelled at set. Taobao: 交易关闭 without a shipment "
                         "(unpaid timeout 买家未付款, or refunded before dispatch)",
            "gross_sales": "sum of unit price x quantity over line items of non-cancelled "
                           "orders, channel currency",
            "discounts": "sum of order discount amounts of non-cancelled orders",
            "refunds": "sum of refunded amounts of non-cancelled orders (Shopify includes tax)",
            "order_totals_all": "Shopify: sum of Total over every order's first row; Taobao: "
                                "sum of 总金额",
            "repeat_customer_share": "customers (Shopify Email / Taobao 买家会员名) with more "
                                     "than one order, over all orders, divided by customers",
            "true_incremental_revenue": "sum over promo days of expected gross sales of "
                                        "non-cancelled orders with the promotion minus without",
            "true_incremental_net_revenue": "same, after the promotion's own discounts",
            "side_table_currency": "marketing.csv spend and attributed_revenue are in the "
                                   "channel's currency; inventory.csv unit_cost and price in USD",
        },
        "channels": channels,
        "promotions": _promo_truth(dems, sims, cancelled),
        "bottleneck": {
            "stage": "paid_to_fulfilled",
            "median_hours": _median_h(np.concatenate(p2f_all)),
            "other_stage_median_hours": {
                "created_to_paid": _median_h(all_c2p),
                "fulfilled_to_delivered": stages["taobao"]["fulfilled_to_delivered"],
            },
            "median_hours_paid_fri_sun": _median_h(np.concatenate(p2f_wknd)),
            "median_hours_paid_mon_thu": _median_h(np.concatenate(p2f_wkdy)),
            "worse_when_paid": ["Friday", "Saturday", "Sunday"],
            "by_channel": stages,
            "shopify_on_time_ship_rate_2025_within_48h": round(float(on_time.mean()), 4),
            "observable_in": "shopify_orders_export.csv Paid at -> Fulfilled at; Taobao "
                             "订单付款时间 -> 确认收货时间 contains it",
        },
        "weekend_shift": {
            "start": WEEKEND_SHIFT_START.isoformat(), "factor": WEEKEND_SHIFT_FACTOR,
            "metric": "time_to_ship", "window_days": 28,
            "shopify_mean_hours_before": round(float(s_hours[before_w].mean()), 4),
            "shopify_mean_hours_after": round(float(s_hours[after_w].mean()), 4),
            "definition": "orders placed in the window (Shopify, shipped): mean hours from "
                          "Paid at to Fulfilled at; paid Friday to Sunday from the start on, "
                          "the weekend backlog wait is factor times what it was",
        },
        "concentrated_sku": {
            "sku": cat.sku[0], "name": cat.name[0],
            "revenue_share": round(usd_hero / usd_all, 4),
            "revenue_share_by_channel": hero,
            "basis": "gross sales of non-cancelled orders, Taobao converted at fx_rate_to_usd",
        },
        "refund_spike": spike,
        "stockout_sku": {
            "sku": cat.sku[stockout_sku], "name": cat.name[stockout_sku],
            "stock_on_hand": int(stock[stockout_sku]),
            "lead_time_days": int(lead[stockout_sku]),
            "recent_daily_units": round(float(recent[stockout_sku]), 3),
            "recent_window_days": 28,
            "days_of_cover": round(float(stock[stockout_sku] / recent[stockout_sku]), 1),
            "all_skus_below_lead_time_demand": below,
        },
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Generate the Lotus & Loom demo store.")
    ap.add_argument("--out", required=True, type=Path, help="output directory")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    truth = generate(args.out, args.seed)
    dt = time.perf_counter() - t0
    for ch, t in truth["channels"].items():
        print(f"{ch}: {t['orders_all']} orders, {t['line_items_all']} lines, "
              f"gross {t['gross_sales']:.2f} {t['currency']}")
    print(f"wrote {args.out} in {dt:.1f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
