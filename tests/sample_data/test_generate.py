"""Tests for the Lotus & Loom demo-store generator.

The files are re-read independently (csv module / pandas with dtype=str) so the tests check
what a user would upload, not the generator's internal arrays.
"""

from __future__ import annotations

import csv
import io
import json
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sample_data.generate import generate

HEADERS_JSON = Path(__file__).resolve().parents[3] / "shared" / "data" / "headers" / \
    "platform_headers.json"
ORDER_FILES = ["shopify_orders_export.csv", "shopify_products_export.csv", "taobao_orders.csv",
               "taobao_order_items.csv", "traffic.csv", "marketing.csv", "inventory.csv",
               "targets.csv", "risks.csv", "promotions.csv", "fx_rates.csv", "truth.json"]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("store7")
    t0 = time.perf_counter()
    truth = generate(out, seed=7)
    return {"dir": out, "truth": truth, "seconds": time.perf_counter() - t0}


@pytest.fixture(scope="module")
def shop(store: dict) -> pd.DataFrame:
    return pd.read_csv(store["dir"] / "shopify_orders_export.csv", dtype=str,
                       keep_default_na=False)


@pytest.fixture(scope="module")
def shop_orders(shop: pd.DataFrame) -> pd.DataFrame:
    return shop.drop_duplicates("Name", keep="first").set_index("Name")


@pytest.fixture(scope="module")
def tb_orders(store: dict) -> pd.DataFrame:
    return pd.read_csv(store["dir"] / "taobao_orders.csv", dtype=str, keep_default_na=False,
                       encoding="gbk")


@pytest.fixture(scope="module")
def tb_items(store: dict) -> pd.DataFrame:
    return pd.read_csv(store["dir"] / "taobao_order_items.csv", dtype=str, keep_default_na=False,
                       encoding="gbk")


@pytest.fixture(scope="module")
def platform_headers() -> dict:
    if not HEADERS_JSON.exists():
        pytest.skip(f"shared header reference not found at {HEADERS_JSON}")
    return json.loads(HEADERS_JSON.read_text(encoding="utf-8"))


def _cents(s: pd.Series) -> pd.Series:
    return (s.replace("", "0").astype(float) * 100).round().astype(np.int64)


def _header(path: Path, encoding: str = "utf-8") -> list[str]:
    with path.open(encoding=encoding, newline="") as f:
        return next(csv.reader(f))


def _shop_cancelled(shop: pd.DataFrame, shop_orders: pd.DataFrame) -> pd.Series:
    """Per line: does the line belong to a cancelled order (Cancelled at on the first row)."""
    return shop["Name"].map(shop_orders["Cancelled at"] != "")


def _tb_cancelled(tb_orders: pd.DataFrame) -> pd.Series:
    return (tb_orders["订单状态"] == "交易关闭") & (tb_orders["物流单号 "] == "")


# ---------------------------------------------------------------------------------- runtime

def test_generation_is_fast_and_writes_every_file(store: dict) -> None:
    assert store["seconds"] < 20, f"generation took {store['seconds']:.1f}s"
    for name in ORDER_FILES:
        assert (store["dir"] / name).stat().st_size > 0, name
    on_disk = json.loads((store["dir"] / "truth.json").read_text(encoding="utf-8"))
    assert on_disk == store["truth"]


# ---------------------------------------------------------------------------------- headers

def test_shopify_orders_header_is_v79(store: dict, platform_headers: dict) -> None:
    expected = platform_headers["shopify_orders_export"]["v79_2023..2026 (+Payment References)"]
    assert len(expected) == 79
    assert _header(store["dir"] / "shopify_orders_export.csv") == expected


def test_shopify_products_header_is_v53_plus_inventory_qty(store: dict,
                                                           platform_headers: dict) -> None:
    v53 = list(platform_headers["shopify_products_export"][
        "v53_2023 (Google Shopping + market price columns)"])
    at = v53.index("Variant Inventory Tracker") + 1
    expected = v53[:at] + ["Variant Inventory Qty"] + v53[at:]
    assert _header(store["dir"] / "shopify_products_export.csv") == expected


def test_taobao_headers_exact_with_trailing_spaces(store: dict, platform_headers: dict) -> None:
    tb = platform_headers["taobao_tmall"]
    order_h = next(v for k, v in tb.items() if k.startswith("ExportOrderList"))
    item_h = next(v for k, v in tb.items() if k.startswith("ExportOrderDetailList"))
    got = _header(store["dir"] / "taobao_orders.csv", "gbk")
    assert got == order_h and len(got) == 54
    assert "收货地址 " in got and "订单付款时间 " in got  # trailing spaces kept
    assert _header(store["dir"] / "taobao_order_items.csv", "gbk") == item_h


def test_side_table_headers(store: dict) -> None:
    expected = {
        "traffic.csv": "date,channel,sessions,visitors,add_to_cart,checkouts",
        "marketing.csv": "date,channel,campaign,spend,impressions,clicks,attributed_revenue",
        "inventory.csv": "sku,name,category,unit_cost,price,stock_on_hand,lead_time_days,"
                         "supplier,safety_stock",
        "targets.csv": "kpi_id,period_start,period_end,owner,team,target",
        "risks.csv": "risk_id,title,category,likelihood,impact,owner,response,mitigation,"
                     "status,review_on",
        "promotions.csv": "promo_id,name,start_date,end_date,discount_code,discount_pct,channel",
        "fx_rates.csv": "currency,rate_to_usd",
    }
    for name, header in expected.items():
        assert _header(store["dir"] / name) == header.split(","), name


# ---------------------------------------------------------------------------------- encodings

def test_taobao_files_are_gbk_crlf_not_utf8(store: dict) -> None:
    for name in ("taobao_orders.csv", "taobao_order_items.csv"):
        raw = (store["dir"] / name).read_bytes()
        raw.decode("gbk")
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")
        assert raw.count(b"\r\n") > 1000
        assert raw.count(b"\n") == raw.count(b"\r\n"), f"bare LF in {name}"


def test_utf8_files_use_lf(store: dict) -> None:
    raw = (store["dir"] / "shopify_orders_export.csv").read_bytes()
    raw.decode("utf-8")
    assert b"\r\n" not in raw
    assert raw.startswith(b"Name,Email,Financial Status")


# ---------------------------------------------------------------------------------- Shopify

def test_shopify_totals_match_truth(shop: pd.DataFrame, shop_orders: pd.DataFrame,
                                    store: dict) -> None:
    t = store["truth"]["channels"]["shopify"]
    assert len(shop_orders) == t["orders_all"]
    assert len(shop) == t["line_items_all"]
    cancelled = shop_orders["Cancelled at"] != ""
    assert int(cancelled.sum()) == t["orders_cancelled"]
    assert int((~cancelled).sum()) == t["orders_excl_cancelled"]
    line_cancel = _shop_cancelled(shop, shop_orders)
    gross = (_cents(shop["Lineitem price"]) * shop["Lineitem quantity"].astype(int))[~line_cancel]
    assert int(gross.sum()) == round(t["gross_sales"] * 100)
    assert int(_cents(shop_orders["Total"]).sum()) == round(t["order_totals_all"] * 100)
    assert int(_cents(shop_orders["Refunded Amount"])[~cancelled].sum()) == \
        round(t["refunds"] * 100)
    assert int(_cents(shop_orders["Discount Amount"])[~cancelled].sum()) == \
        round(t["discounts"] * 100)
    assert 0.008 <= cancelled.mean() <= 0.015


def test_shopify_order_arithmetic(shop: pd.DataFrame, shop_orders: pd.DataFrame) -> None:
    o = shop_orders
    total = _cents(o["Subtotal"]) + _cents(o["Shipping"]) + _cents(o["Taxes"])
    assert (total == _cents(o["Total"])).all()
    line_gross = (_cents(shop["Lineitem price"]) * shop["Lineitem quantity"].astype(int))
    by_order = line_gross.groupby(shop["Name"]).sum()
    disc_lines = _cents(shop["Lineitem discount"]).groupby(shop["Name"]).sum()
    disc = _cents(o["Discount Amount"])
    assert (by_order.loc[o.index] - disc == _cents(o["Subtotal"])).all()
    assert (disc_lines.loc[o.index] == disc).all()
    tax_lines = _cents(o["Tax 1 Value"]) + _cents(o["Tax 2 Value"])
    assert (tax_lines == _cents(o["Taxes"])).all()
    assert ((disc > 0) == (o["Discount Code"] != "")).all()
    assert o["Subtotal"].str.fullmatch(r"\d+\.\d\d").all()


def test_shopify_order_fields_only_on_first_row(shop: pd.DataFrame) -> None:
    later = shop[shop.duplicated("Name", keep="first")]
    assert len(later) > 1000
    for col in ("Financial Status", "Total", "Subtotal", "Currency", "Billing Name",
                "Shipping Country", "Id", "Payment Method", "Refunded Amount", "Discount Amount"):
        assert (later[col] == "").all(), col
    first = shop.drop_duplicates("Name")
    assert (first["Financial Status"] != "").all() and (first["Currency"] == "USD").all()
    for col in ("Lineitem quantity", "Lineitem name", "Lineitem price", "Lineitem sku",
                "Lineitem fulfillment status", "Vendor", "Lineitem discount", "Email",
                "Created at"):
        assert (shop[col] != "").all(), col


def test_shopify_statuses_and_tokens(shop_orders: pd.DataFrame) -> None:
    o = shop_orders
    fin = o["Financial Status"].value_counts(normalize=True)
    assert set(fin.index) <= {"paid", "refunded", "partially_refunded", "pending", "voided"}
    assert 0 < fin.get("pending", 0) < 0.01
    refunded = o["Financial Status"].isin(["refunded", "partially_refunded"])
    live = o["Cancelled at"] == ""
    assert 0.03 <= (refunded & live).sum() / live.sum() <= 0.05
    assert (o.loc[~live, "Financial Status"].isin(["refunded", "voided"])).all()
    assert (o.loc[~live, "Fulfilled at"] == "").all()
    assert o["Email"].str.fullmatch(r"user-[0-9a-f]{8}@example\.invalid").all()
    assert o["Billing Name"].str.fullmatch(r"X-[0-9a-f]{8}").all()
    us = o["Billing Country"] == "US"
    assert o.loc[us, "Billing Zip"].str.fullmatch(r"'\d{5}").all()
    phones = o["Billing Phone"][o["Billing Phone"] != ""]
    assert len(phones) > 0 and phones.str.startswith("'").all()
    nums = o.index.str.slice(3).astype(int)
    assert o.index.str.fullmatch(r"#LL\d+").all() and nums.min() == 1001
    assert (np.diff(nums.to_numpy()) == 1).all()


def _to_utc(stamps: pd.Series) -> pd.Series:
    wall = pd.to_datetime(stamps.str.slice(0, 19))
    off = stamps.str.slice(20)
    assert off.isin(["-0400", "-0500"]).all()
    return wall + pd.to_timedelta(off.str.slice(1, 3).astype(int), unit="h")


def test_shopify_names_follow_time_and_offsets_follow_new_york_dst(
        shop_orders: pd.DataFrame) -> None:
    utc = _to_utc(shop_orders["Created at"])
    assert utc.is_monotonic_increasing
    try:
        local = utc.dt.tz_localize("UTC").dt.tz_convert("America/New_York")
    except Exception as exc:  # pragma: no cover - depends on the tz database
        pytest.skip(f"no tz database: {exc}")
    expect = local.dt.strftime("%Y-%m-%d %H:%M:%S %z")
    assert (expect == shop_orders["Created at"]).all()
    fulfilled = shop_orders["Fulfilled at"][shop_orders["Fulfilled at"] != ""]
    f_local = _to_utc(fulfilled).dt.tz_localize("UTC").dt.tz_convert("America/New_York")
    assert (f_local.dt.strftime("%Y-%m-%d %H:%M:%S %z") == fulfilled).all()


def test_date_range(shop_orders: pd.DataFrame, tb_orders: pd.DataFrame, store: dict) -> None:
    dr = store["truth"]["date_range"]
    assert (dr["start"], dr["end"]) == ("2023-10-01", "2025-12-31")
    for dates in (shop_orders["Created at"].str.slice(0, 10), tb_orders["订单创建时间"].str.slice(0, 10)):
        assert dates.min() == dr["start"] and dates.max() == dr["end"]
        assert dates.nunique() == dr["days"] == 823
    traffic = pd.read_csv(store["dir"] / "traffic.csv", dtype=str)
    assert len(traffic) == 2 * 823 and traffic["date"].min() == dr["start"]


def test_hero_sku_share(shop: pd.DataFrame, shop_orders: pd.DataFrame, store: dict) -> None:
    hero = store["truth"]["concentrated_sku"]
    keep = ~_shop_cancelled(shop, shop_orders)
    gross = (_cents(shop["Lineitem price"]) * shop["Lineitem quantity"].astype(int))[keep]
    share = gross[shop["Lineitem sku"][keep] == hero["sku"]].sum() / gross.sum()
    assert 0.25 <= share <= 0.35
    assert share == pytest.approx(hero["revenue_share_by_channel"]["shopify"], abs=1e-4)
    assert 0.25 <= hero["revenue_share"] <= 0.35


def test_repeat_customer_share(shop_orders: pd.DataFrame, tb_orders: pd.DataFrame,
                               store: dict) -> None:
    ch = store["truth"]["channels"]
    for key, t in ((shop_orders["Email"], ch["shopify"]), (tb_orders["买家会员名"], ch["taobao"])):
        per = key.value_counts()
        share = (per > 1).mean()
        assert 0.25 <= share <= 0.35
        assert share == pytest.approx(t["repeat_customer_share"], abs=1e-4)
        assert len(per) == t["distinct_customers"]


def test_bottleneck_visible_in_shopify_timestamps(shop_orders: pd.DataFrame, store: dict) -> None:
    b = store["truth"]["bottleneck"]
    o = shop_orders[(shop_orders["Fulfilled at"] != "") & (shop_orders["Paid at"] != "")]
    paid, ful = _to_utc(o["Paid at"]), _to_utc(o["Fulfilled at"])
    created = _to_utc(o["Created at"])
    hours = (ful - paid).dt.total_seconds() / 3600
    assert hours.median() == pytest.approx(b["by_channel"]["shopify"]["paid_to_fulfilled"],
                                           abs=0.01)
    assert 24 <= b["median_hours"] <= 40
    assert hours.median() > 10 * ((paid - created).dt.total_seconds() / 3600).median()
    local_dow = pd.to_datetime(o["Paid at"].str.slice(0, 10)).dt.day_of_week
    wknd = local_dow >= 4
    assert hours[wknd].median() > 1.5 * hours[~wknd].median()
    assert b["median_hours"] > max(b["other_stage_median_hours"].values())


def test_the_weekend_shift_shortens_only_weekend_waits_from_its_start(
        shop_orders: pd.DataFrame, store: dict) -> None:
    """Orders paid Friday to Sunday wait far less for shipment from the shift's start (the
    weekend backlog shrinks to `factor` of itself); orders paid Monday to Thursday do not move."""
    w = store["truth"]["weekend_shift"]
    o = shop_orders[(shop_orders["Fulfilled at"] != "") & (shop_orders["Paid at"] != "")]
    hours = (_to_utc(o["Fulfilled at"]) - _to_utc(o["Paid at"])).dt.total_seconds() / 3600
    paid_day = pd.to_datetime(o["Paid at"].str.slice(0, 10))
    start = pd.Timestamp(w["start"])
    before = (paid_day >= start - pd.Timedelta(days=56)) & (paid_day < start)
    after = (paid_day >= start) & (paid_day < start + pd.Timedelta(days=56))
    wknd = paid_day.dt.day_of_week >= 4
    # weekend backlog: ~22 h median before, ~0.3 x 22 h after (weekday medians ~20 h)
    assert hours[before & wknd].median() - hours[after & wknd].median() > 10
    assert abs(hours[before & ~wknd].median() - hours[after & ~wknd].median()) < 2
    assert w["shopify_mean_hours_before"] - w["shopify_mean_hours_after"] > 5


def test_refund_spike_visible_in_shopify(shop: pd.DataFrame, shop_orders: pd.DataFrame,
                                         store: dict) -> None:
    spike = store["truth"]["refund_spike"]
    names = shop.loc[shop["Lineitem sku"] == spike["sku"], "Name"].unique()
    o = shop_orders.loc[names]
    o = o[(o["Cancelled at"] == "") & (o["Fulfilled at"] != "")]
    day = o["Created at"].str.slice(0, 10)
    inside = (day >= spike["window_start"]) & (day <= spike["window_end"])
    refunded = _cents(o["Refunded Amount"]) > 0
    r_in, r_out = refunded[inside].mean(), refunded[~inside].mean()
    assert inside.sum() > 50
    assert r_in > 4 * r_out
    assert spike["refund_rate_inside"] > 4 * spike["refund_rate_outside"]


# ---------------------------------------------------------------------------------- Taobao

def test_taobao_ids_and_formats(tb_orders: pd.DataFrame, tb_items: pd.DataFrame) -> None:
    ids = tb_orders["订单编号"]
    assert ids.str.fullmatch(r"[1-9]\d{18}").all() and ids.is_unique
    assert tb_items["订单编号"].str.fullmatch(r"\d{19}").all()
    assert set(tb_items["订单编号"]) == set(ids)
    assert tb_orders["联系手机"].str.fullmatch(r"'1\d\d\*{4}\d{4}").all()
    for col in ("买家留言", "订单备注", "发票抬头"):
        assert (tb_orders[col] == "NULL").mean() > 0.9, col
    assert (tb_items["备注"] == "NULL").all()
    ts = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d"
    assert tb_orders["订单创建时间"].str.fullmatch(ts).all()
    paid = tb_orders["订单付款时间 "]
    assert (paid.str.fullmatch(ts) | (paid == "")).all()
    unpaid = tb_orders["订单关闭原因"] == "买家未付款"
    assert (paid[unpaid] == "").all() and (tb_orders.loc[unpaid, "买家实际支付金额"] == "0.00").all()
    statuses = {"等待买家付款", "买家已付款，等待卖家发货", "卖家已发货，等待买家确认", "交易成功", "交易关闭"}
    assert set(tb_orders["订单状态"]) <= statuses
    done = tb_orders["订单状态"] == "交易成功"
    assert (tb_orders.loc[done, "确认收货时间"] != "").all()
    assert tb_items["商品属性"].str.contains("颜色分类：").any()


def test_taobao_totals_match_truth(tb_orders: pd.DataFrame, tb_items: pd.DataFrame,
                                  store: dict) -> None:
    t = store["truth"]["channels"]["taobao"]
    o = tb_orders
    cancelled = _tb_cancelled(o)
    assert len(o) == t["orders_all"] and int(cancelled.sum()) == t["orders_cancelled"]
    assert len(tb_items) == t["line_items_all"]
    total = _cents(o["总金额"])
    assert (total == _cents(o["买家应付货款"]) + _cents(o["买家应付邮费"])).all()
    assert int(total.sum()) == round(t["order_totals_all"] * 100)
    keep_ids = set(o.loc[~cancelled, "订单编号"])
    live = tb_items["订单编号"].isin(keep_ids)
    gross = (_cents(tb_items["价格"]) * tb_items["购买数量"].astype(int))[live]
    assert int(gross.sum()) == round(t["gross_sales"] * 100)
    per_order = (_cents(tb_items["价格"]) * tb_items["购买数量"].astype(int)).groupby(
        tb_items["订单编号"]).sum()
    discount = per_order.loc[o["订单编号"]].to_numpy() - _cents(o["买家应付货款"]).to_numpy()
    assert (discount >= 0).all()
    assert int(discount[~cancelled.to_numpy()].sum()) == round(t["discounts"] * 100)
    assert (o["宝贝总数量"].astype(int).to_numpy() ==
            tb_items["购买数量"].astype(int).groupby(tb_items["订单编号"]).sum()
            .loc[o["订单编号"]].to_numpy()).all()


def test_shared_catalogue_and_cny_prices(store: dict, tb_items: pd.DataFrame) -> None:
    prod = pd.read_csv(store["dir"] / "shopify_products_export.csv", dtype=str,
                       keep_default_na=False)
    skus = prod["Variant SKU"]
    assert skus.is_unique and 55 <= len(skus) <= 65
    assert skus.str.fullmatch(r"LL-[A-Z]{3}-\d{3}").all()
    assert prod.loc[prod["Title"] != "", "Type"].nunique() >= 6
    assert prod["Body (HTML)"].str.contains("\n").any()
    variant_rows = prod[prod["Title"] == ""]
    assert len(variant_rows) >= 8 and (variant_rows["Handle"] != "").all()
    assert prod["Variant Inventory Qty"].str.fullmatch(r"\d+").all()
    assert set(tb_items["商家编码"]) <= set(skus)
    usd = prod.set_index("Variant SKU")["Variant Price"].astype(float)
    cny = tb_items.groupby("商家编码")["价格"].first().astype(float)
    ratio = cny / usd.loc[cny.index]
    assert ratio.between(6.3, 7.2).all()
    inv = pd.read_csv(store["dir"] / "inventory.csv", dtype=str).set_index("sku")
    assert set(inv.index) == set(skus)
    assert (inv["stock_on_hand"] == prod.set_index("Variant SKU")["Variant Inventory Qty"]
            .loc[inv.index]).all()
    assert inv["supplier"].value_counts(normalize=True).iloc[0] >= 0.40


# ---------------------------------------------------------------------------------- side tables

def test_stockout_sku_is_the_only_one_short(store: dict, shop: pd.DataFrame,
                                            shop_orders: pd.DataFrame,
                                            tb_orders: pd.DataFrame,
                                            tb_items: pd.DataFrame) -> None:
    so = store["truth"]["stockout_sku"]
    inv = pd.read_csv(store["dir"] / "inventory.csv", dtype=str).set_index("sku")
    # recent daily units, recomputed from the exports: last 28 days, non-cancelled orders
    recent_day = shop["Created at"].str.slice(0, 10) >= "2025-12-04"
    s_keep = ~_shop_cancelled(shop, shop_orders) & recent_day
    units = shop.loc[s_keep].groupby("Lineitem sku")["Lineitem quantity"].apply(
        lambda q: q.astype(int).sum())
    recent_ids = set(tb_orders.loc[~_tb_cancelled(tb_orders)
                                   & (tb_orders["订单创建时间"] >= "2025-12-04"), "订单编号"])
    t_live = tb_items[tb_items["订单编号"].isin(recent_ids)]
    units = units.add(t_live.groupby("商家编码")["购买数量"].apply(lambda q: q.astype(int).sum()),
                      fill_value=0) / 28
    units = units.reindex(inv.index, fill_value=0)
    short = inv.index[inv["stock_on_hand"].astype(int) < inv["lead_time_days"].astype(int) * units]
    assert list(short) == [so["sku"]]
    assert units[so["sku"]] == pytest.approx(so["recent_daily_units"], abs=1e-3)


def test_traffic_conversion_and_marketing(store: dict, shop_orders: pd.DataFrame) -> None:
    tr = pd.read_csv(store["dir"] / "traffic.csv", dtype=str)
    assert set(tr["channel"]) == {"shopify", "taobao"}
    s = tr[tr["channel"] == "shopify"].set_index("date")
    orders = shop_orders["Created at"].str.slice(0, 10).value_counts()
    cr = orders.reindex(s.index).astype(float) / s["sessions"].astype(float)
    assert cr.between(0.015, 0.05).all() and 0.02 <= cr.median() <= 0.04
    assert (s["checkouts"].astype(int) >= orders.reindex(s.index)).all()
    mk = pd.read_csv(store["dir"] / "marketing.csv", dtype=str)
    assert {"google_search", "meta_prospecting", "taobao_ztc"} <= set(mk["campaign"])
    assert (mk["spend"].astype(float) > 0).all()


def test_targets_risks_promotions_fx(store: dict, shop_orders: pd.DataFrame) -> None:
    tg = pd.read_csv(store["dir"] / "targets.csv", dtype=str)
    assert set(tg["kpi_id"]) == {"net_sales", "orders", "avg_order_value",
                                 "repeat_customer_rate", "on_time_ship_rate"}
    assert len(tg) == 60 and tg["period_start"].str.startswith("2025-").all()
    rk = pd.read_csv(store["dir"] / "risks.csv", dtype=str)
    assert 6 <= len(rk) <= 8
    assert set(rk["category"]) <= {"market", "technology", "management", "legal_compliance",
                                   "supply_chain", "finance"}
    assert set(rk["response"]) <= {"avoid", "transfer", "mitigate", "accept"}
    assert rk["likelihood"].astype(int).between(1, 5).all()
    assert rk["impact"].astype(int).between(1, 5).all()
    fx = dict(csv.reader(io.StringIO((store["dir"] / "fx_rates.csv").read_text())))
    assert fx["CNY"] == "0.14" and fx["USD"] == "1.00"
    pr = pd.read_csv(store["dir"] / "promotions.csv", dtype=str)
    truth = {p["promo_id"]: p for p in store["truth"]["promotions"]}
    assert list(pr["promo_id"]) == list(truth)
    clean = [p for p in truth.values() if p["clean_window"] and p["channel"] == "shopify"]
    assert clean and all(p["true_incremental_revenue"] > 0 for p in clean)
    p = clean[0]
    day = shop_orders["Created at"].str.slice(0, 10)
    win = (day >= p["start_date"]) & (day <= p["end_date"])
    used = (shop_orders.loc[win, "Discount Code"] == p["discount_code"]).mean()
    assert used > 0.7
    code_days = day[shop_orders["Discount Code"] != ""]
    in_any = pd.Series(False, index=code_days.index)
    for _, row in pr[pr["channel"] == "shopify"].iterrows():
        in_any |= (code_days >= row["start_date"]) & (code_days <= row["end_date"])
    assert in_any.all(), "discount codes used outside promotion windows"


# ---------------------------------------------------------------------------------- determinism

def test_deterministic_for_seed_and_seed_sensitive(store: dict,
                                                   tmp_path: Path) -> None:
    again = tmp_path / "again"
    generate(again, seed=7)
    for name in ORDER_FILES:
        assert (store["dir"] / name).read_bytes() == (again / name).read_bytes(), name
    other = tmp_path / "other"
    generate(other, seed=8)
    for name in ("shopify_orders_export.csv", "taobao_orders.csv", "truth.json"):
        assert (store["dir"] / name).read_bytes() != (other / name).read_bytes(), name
    truth8 = json.loads((other / "truth.json").read_text(encoding="utf-8"))
    assert 0.25 <= truth8["concentrated_sku"]["revenue_share"] <= 0.35
    assert 0.25 <= truth8["channels"]["shopify"]["repeat_customer_share"] <= 0.35
