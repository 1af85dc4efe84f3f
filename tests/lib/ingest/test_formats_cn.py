"""Chinese platform exports: Taobao/Tmall, JD, Pinduoduo, Douyin.

Fixtures are built from the exact header lists (see ../shared/data/headers) with each
platform's quirks; expected KPIs are computed by hand in the comments next to the rows.
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from lib.ingest.load import IngestResult, ingest_path
from lib.metrics.core import Filters, compute_core_kpis
from lib.workspace import Workspace

# --- exact header lists (trailing spaces included where the platform writes them) ----------
TAOBAO_ORDERS = [
    "订单编号", "买家会员名", "买家支付宝账号", "买家应付货款", "买家应付邮费", "买家支付积分", "总金额",
    "返点积分", "买家实际支付金额", "买家实际支付积分", "订单状态", "买家留言", "收货人姓名", "收货地址 ",
    "运送方式", "联系电话 ", "联系手机", "订单创建时间", "订单付款时间 ", "宝贝标题 ", "宝贝种类 ",
    "物流单号 ", "物流公司", "订单备注", "宝贝总数量", "店铺Id", "店铺名称", "订单关闭原因", "卖家服务费",
    "买家服务费", "发票抬头", "是否手机订单", "分阶段订单信息", "特权订金订单id", "是否上传合同照片",
    "是否上传小票", "是否代付", "定金排名", "修改后的sku", "修改后的收货地址", "异常信息", "天猫卡券抵扣",
    "集分宝抵扣", "是否是O2O交易", "新零售交易类型", "新零售导购门店名称", "新零售导购门店id",
    "新零售发货门店名称", "新零售发货门店id", "退款金额", "预约门店", "确认收货时间", "打款商家金额",
    "含应开票给个人的个人红包",
]
TAOBAO_ITEMS = ["订单编号", "标题", "价格", "购买数量", "外部系统编号", "商品属性", "套餐信息", "备注",
                "订单状态", "商家编码"]
JD = [
    "订单号", "商品ID", "商品名称", "订购数量", "支付方式", "下单时间", "京东价", "订单金额", "结算金额",
    "余额支付", "应付金额", "订单状态", "订单类型", "下单帐号", "客户姓名", "客户地址", "联系电话", "订单备注",
    "发票类型", "发票抬头", "发票内容", "商家备注", "商家备注等级（等级1-5为由高到低）", "运费金额",
    "付款确认时间", "增值税发票", "货号", "订单完成时间", "订单来源", "订单渠道",
]
PDD = [
    "订单成交时间", "商品", "订单号", "订单状态", "商品总价(元)", "邮费(元)", "店铺优惠折扣(元)",
    "平台优惠折扣(元)", "多多支付立减金额(元)", "用户实付金额(元)", "商家实收金额(元)", "商品数量(件)",
    "发货时间", "确认收货时间", "商品id", "商品规格", "样式ID", "商家编码-规格维度", "商家编码-商品维度",
    "商家备注", "售后状态", "快递单号", "快递公司",
]
DOUYIN = [
    "主订单编号", "子订单编号", "选购商品", "商品规格", "商品数量", "商家编码", "订单应付金额", "运费", "收件人",
    "收件人手机号", "详细地址", "订单提交时间", "商家备注", "订单完成时间", "订单状态", "售后状态", "取消原因",
    "发货时间", "平台实际承担优惠金额", "商家实际承担优惠金额", "达人实际承担优惠金额",
]

# Personal data written into the fixtures; none of it may reach a canonical table.
PII = ("张三", "李四", "王五", "13812345678", "13900001111", "文三路", "青山湖区某路", "tb_buyer_一号",
       "jd_user_01", "##", "$$", "1******6198")

CNY = Filters(currency="CNY")


def _cell(value: str) -> str:
    """A CSV cell as these platforms write it: `="…"` and plain values unquoted."""
    if value.startswith('="') or not any(ch in value for ch in ',"\n\r\t'):
        return value
    return '"' + value.replace('"', '""') + '"'


def _write(path: Path, header: list[str], rows: list[dict[str, str]], *, encoding: str,
           newline: str = "\n", default: str = "") -> Path:
    for row in rows:
        unknown = set(row) - set(header)
        assert not unknown, f"fixture uses columns not in the header: {unknown}"
    lines = [",".join(_cell(h) for h in header)]
    lines += [",".join(_cell(row.get(h, default)) for h in header) for row in rows]
    path.write_bytes((newline.join(lines) + newline).encode(encoding))
    return path


def _load(ws: Workspace, path: Path) -> IngestResult:
    results = ingest_path(ws, path)
    assert len(results) == 1
    result = results[0]
    assert result.status == "loaded", result.message
    assert result.rows_read == result.rows_loaded + result.rows_rejected
    return result


def _text_of(ws: Workspace, table: str) -> str:
    rows = ws.cursor().execute(f"SELECT * FROM {table}").fetchall()  # table: a fixed literal
    return "\n".join(" | ".join(str(v) for v in r) for r in rows)


def _rejected(ws: Workspace, batch_id: int | None) -> list[tuple[int, str, str, str]]:
    return ws.cursor().execute(
        'SELECT row_number, "column", value, reason FROM rejected_rows WHERE batch_id = ? '
        "ORDER BY row_number", [batch_id]).fetchall()


# --- Taobao/Tmall ----------------------------------------------------------------------------
def _taobao_order(order_id: str, buyer: str, goods: str, post: str, total: str, paid: str,
                  status: str, created: str, paid_at: str, refund: str = "0.00",
                  received: str = "NULL", tracking: str = "NULL") -> dict[str, str]:
    return {
        "订单编号": order_id, "买家会员名": buyer, "买家支付宝账号": "NULL", "买家应付货款": goods,
        "买家应付邮费": post, "总金额": total, "买家实际支付金额": paid, "订单状态": status,
        "收货人姓名": "张三", "收货地址 ": "浙江省 杭州市 西湖区 文三路100号(310000)",
        "联系电话 ": "NULL", "联系手机": "'13812345678", "订单创建时间": created,
        "订单付款时间 ": paid_at, "宝贝标题 ": "复古连衣裙 夏季新款", "订单关闭原因": "NULL",
        "退款金额": refund, "确认收货时间": received, "宝贝总数量": "1", "物流单号 ": tracking,
    }


@pytest.fixture
def taobao_files(tmp_path: Path) -> tuple[Path, Path]:
    orders = [
        # A: paid, 5.00 deducted at payment: discount = 110 − 105 − 0 = 5.
        _taobao_order("1234567890123456789", "tb_buyer_一号", "100.00", "10.00", "110.00", "105.00",
                      "交易成功", "2024-11-11 00:05:00", "2024-11-11 00:06:00",
                      received="2024-11-15 10:00:00"),
        # B: same buyer, paid in full then partly refunded (refunds do not reduce 实际支付):
        # discount 0, refund 20.
        _taobao_order("1234567890123456790", "tb_buyer_一号", "50.00", "0.00", "50.00", "50.00",
                      "交易成功", "2024-11-12 09:00:00", "2024-11-12 09:01:00", refund="20.00"),
        # C: never paid, closed: cancelled (0000-00-00 payment time).
        _taobao_order("1234567890123456791", "buyer_c", "80.00", "0.00", "80.00", "0.00", "交易关闭",
                      "2024-11-12 10:00:00", "0000-00-00 00:00:00"),
        # D: shipped (tracking number), then refunded in full and closed: a sale with a 66.00
        # refund, not a cancellation.
        _taobao_order("1234567890123456792", "buyer_d", "60.00", "6.00", "66.00", "66.00", "交易关闭",
                      "2024-11-13 10:00:00", "2024-11-13 10:02:00", refund="66.00",
                      tracking="No:SF1234567890"),
        # E: waiting for payment (blank payment time): counted, nothing paid yet.
        _taobao_order("1234567890123456793", "buyer_e", "20.00", "0.00", "20.00", "0.00",
                      "等待买家付款", "2024-11-14 10:00:00", ""),
        # F: creation time is not a date -> rejected.
        _taobao_order("1234567890123456794", "buyer_f", "20.00", "0.00", "20.00", "20.00",
                      "交易成功", "yesterday", "2024-11-14 10:00:00"),
    ]
    items = [
        {"订单编号": "1234567890123456789", "标题": "复古连衣裙 夏季新款", "价格": "60.00", "购买数量": "1",
         "商品属性": "颜色分类：红色;尺码：M", "商家编码": '="000123"', "外部系统编号": "NULL"},
        # A's list prices add up to 110 against 100 owed: a 10.00 shop discount.
        {"订单编号": "1234567890123456789", "标题": "纯棉T恤", "价格": "25.00", "购买数量": "2",
         "商品属性": "颜色分类：白色", "商家编码": "NULL", "外部系统编号": "EXT-9"},
        {"订单编号": '="1234567890123456790"', "标题": "帆布包", "价格": "50.00", "购买数量": "1"},
        {"订单编号": "1234567890123456791", "标题": "围巾", "价格": "80.00", "购买数量": "1"},
        {"订单编号": "1234567890123456792", "标题": "帽子", "价格": "30.00", "购买数量": "2"},
        {"订单编号": "1234567890123456793", "标题": "袜子", "价格": "10.00", "购买数量": "2"},
    ]
    for it in items:
        it.setdefault("订单状态", "交易成功")
    return (
        _write(tmp_path / "ExportOrderList202411150930.csv", TAOBAO_ORDERS, orders,
               encoding="gbk", newline="\r\n", default="NULL"),
        _write(tmp_path / "ExportOrderDetailList202411150930.csv", TAOBAO_ITEMS, items,
               encoding="gbk", newline="\r\n", default="NULL"),
    )


def test_taobao_gbk_files_are_detected_and_not_readable_as_utf8(ws, taobao_files):
    orders_path, items_path = taobao_files
    with pytest.raises(UnicodeDecodeError):
        orders_path.read_bytes().decode("utf-8")
    items = _load(ws, items_path)
    orders = _load(ws, orders_path)
    assert (items.format, items.encoding) == ("taobao_order_items", "gb18030")
    assert (orders.format, orders.encoding) == ("taobao_orders", "gb18030")
    assert (items.rows_read, items.rows_loaded, items.rows_rejected) == (6, 6, 0)
    assert (orders.rows_read, orders.rows_loaded, orders.rows_rejected) == (6, 5, 1)
    # Loaded before the 订单报表, the item report has no orders to complete.
    assert items.table_rows.get("orders", 0) == 0


def test_taobao_keeps_19_digit_ids_codes_and_chinese_text_exactly(ws, taobao_files):
    orders_path, items_path = taobao_files
    _load(ws, orders_path)
    _load(ws, items_path)
    cur = ws.cursor()
    ids = [r[0] for r in cur.execute(
        "SELECT order_id FROM orders WHERE source = 'taobao' ORDER BY order_id").fetchall()]
    assert ids == ["1234567890123456789", "1234567890123456790", "1234567890123456791",
                   "1234567890123456792", "1234567890123456793"]
    lines = cur.execute(
        "SELECT order_id, line_no, sku, product_name, variant, quantity, unit_price, line_total, "
        "currency FROM order_lines WHERE order_id = '1234567890123456789' ORDER BY line_no"
    ).fetchall()
    assert lines == [
        ("1234567890123456789", 1, "000123", "复古连衣裙 夏季新款", "颜色分类：红色;尺码：M",
         Decimal("1.000"), Decimal("60.00"), Decimal("60.00"), "CNY"),
        ("1234567890123456789", 2, "EXT-9", "纯棉T恤", "颜色分类：白色",
         Decimal("2.000"), Decimal("25.00"), Decimal("50.00"), "CNY"),
    ]
    # `="…"` around an order number still joins its lines to the order.
    assert cur.execute("SELECT product_name FROM order_lines WHERE order_id = "
                       "'1234567890123456790'").fetchall() == [("帆布包",)]


def test_taobao_orders_map_amounts_status_and_times(ws, taobao_files):
    orders_path, _ = taobao_files
    _load(ws, orders_path)
    ws.set_timezone("Asia/Shanghai")
    rows = ws.cursor().execute(
        "SELECT order_id, status, subtotal, shipping, total, discount, refunded, region, country, "
        "strftime(created_at, '%Y-%m-%d %H:%M'), order_date, paid_at IS NULL, "
        "strftime(delivered_at, '%Y-%m-%d %H:%M') FROM orders ORDER BY order_id").fetchall()
    assert rows == [
        ("1234567890123456789", "completed", Decimal("100.00"), Decimal("10.00"), Decimal("110.00"),
         Decimal("5.00"), Decimal("0.00"), "浙江", "CN", "2024-11-11 00:05",
         date(2024, 11, 11), False, "2024-11-15 10:00"),
        ("1234567890123456790", "completed", Decimal("50.00"), Decimal("0.00"), Decimal("50.00"),
         Decimal("0.00"), Decimal("20.00"), "浙江", "CN", "2024-11-12 09:00",
         date(2024, 11, 12), False, None),
        ("1234567890123456791", "cancelled", Decimal("80.00"), Decimal("0.00"), Decimal("80.00"),
         Decimal("0.00"), Decimal("0.00"), "浙江", "CN", "2024-11-12 10:00",
         date(2024, 11, 12), True, None),
        ("1234567890123456792", "refunded", Decimal("60.00"), Decimal("6.00"), Decimal("66.00"),
         Decimal("0.00"), Decimal("66.00"), "浙江", "CN", "2024-11-13 10:00",
         date(2024, 11, 13), False, None),
        ("1234567890123456793", "pending", Decimal("20.00"), Decimal("0.00"), Decimal("20.00"),
         Decimal("0.00"), Decimal("0.00"), "浙江", "CN", "2024-11-14 10:00",
         date(2024, 11, 14), True, None),
    ]
    # Naive times are Shanghai wall clock: 00:05 in Shanghai is 16:05 UTC the day before.
    created = ws.cursor().execute(
        "SELECT created_at FROM orders WHERE order_id = '1234567890123456789'").fetchone()
    assert created == (datetime(2024, 11, 10, 16, 5, tzinfo=timezone.utc),)


@pytest.mark.parametrize("items_first", [True, False])
def test_taobao_kpis_by_hand(ws, taobao_files, items_first):
    orders_path, items_path = taobao_files
    for path in ([items_path, orders_path] if items_first else [orders_path, items_path]):
        _load(ws, path)
    k = compute_core_kpis(ws, CNY)
    assert (k.orders, k.cancelled_orders) == (4, 1)  # A, B, D, E counted; C cancelled
    assert k.units == Decimal("8")  # 1 + 2 + 1 + 2 + 2
    assert k.gross_sales == Decimal("240.00")  # 60 + 50 + 50 + 60 + 20
    # A: 10.00 shop discount (110 listed − 100 owed) + 5.00 taken at payment (110 − 105),
    # whichever file came first.
    assert k.discounts == Decimal("15.00")
    assert k.refunds == Decimal("86.00")  # 20 + 66
    assert k.net_sales == Decimal("139.00")
    assert k.order_total == Decimal("246.00")  # 110 + 50 + 66 + 20
    assert k.customers == 3  # tb_buyer_一号 (A and B), buyer_d, buyer_e
    assert k.repeat_customer_rate == pytest.approx(1 / 3)


def test_taobao_rejects_the_bad_row_with_its_column(ws, taobao_files):
    orders_path, _ = taobao_files
    result = _load(ws, orders_path)
    assert _rejected(ws, result.batch_id) == [
        (7, "订单创建时间", "yesterday", "not a valid date/time in the expected format")]


def test_taobao_personal_data_is_not_stored(ws, taobao_files):
    orders_path, items_path = taobao_files
    _load(ws, orders_path)
    _load(ws, items_path)
    text = _text_of(ws, "orders") + _text_of(ws, "order_lines")
    assert "复古连衣裙" in text  # the dump does contain the product text
    for pii in PII:
        assert pii not in text, pii


# --- JD --------------------------------------------------------------------------------------
def _jd_row(order: str, product_id: str, name: str, qty: str, price: str, amount: str,
            settled: str, status: str, freight: str, item_no: str = "") -> dict[str, str]:
    return {
        "订单号": order, "商品ID": product_id, "商品名称": name, "订购数量": qty, "支付方式": "在线支付",
        "下单时间": "2024-06-18 00:05:00", "京东价": price, "订单金额": amount, "结算金额": settled,
        "余额支付": "0.00", "应付金额": settled, "订单状态": status, "订单类型": "销售订单",
        "下单帐号": "jd_user_01", "客户姓名": "李四", "客户地址": "江西南昌市青山湖区某路1号",
        "联系电话": "1******6198", "运费金额": freight, "付款确认时间": "2024-06-18 00:10:00",
        "货号": item_no, "订单完成时间": "2024-06-20 10:00:00" if status == "完成" else "",
        "订单来源": "移动端订单", "订单渠道": "暂无来源",
    }


@pytest.fixture
def jd_file(tmp_path: Path) -> Path:
    rows = [
        # J1: two SKUs; 订单金额 330 (= 200 + 2×60 + 10 freight), 结算金额 300 and 运费 10 on both.
        _jd_row("300000000001", "100001", "蓝牙耳机", "1", "200.00", "330.00", "300.00", "完成",
                "10.00", item_no="EJ-01"),
        _jd_row("300000000001", "100002", "充电线", "2", "60.00", "330.00", "300.00", "完成", "10.00"),
        # J2: a parent order JD split and deleted: cancelled, never counted.
        _jd_row("300000000002", "100001", "蓝牙耳机", "1", "200.00", "200.00", "200.00",
                "(删除)等待出库", "0.00"),
        # J3: paid, waiting to ship.
        _jd_row("300000000003", "100003", "手机壳", "1", "30.00", "30.00", "30.00", "等待出库", "0.00"),
        # J4: one bad quantity rejects both rows of the order.
        _jd_row("300000000004", "100003", "手机壳", "abc", "30.00", "60.00", "60.00", "等待出库", "0.00"),
        _jd_row("300000000004", "100004", "贴膜", "1", "30.00", "60.00", "60.00", "等待出库", "0.00"),
    ]
    return _write(tmp_path / "jd_orders.csv", JD, rows, encoding="gbk")


def test_jd_counts_repeated_order_amounts_once(ws, jd_file):
    result = _load(ws, jd_file)
    assert (result.format, result.encoding) == ("jd_orders", "gb18030")
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (6, 4, 2)
    row = ws.cursor().execute(
        "SELECT subtotal, shipping, discount, total, status, region, customer_id IS NOT NULL "
        "FROM orders WHERE order_id = '300000000001'").fetchone()
    assert row == (Decimal("320.00"), Decimal("10.00"), Decimal("30.00"), Decimal("300.00"),
                   "completed", "江西", True)
    skus = ws.cursor().execute("SELECT sku, quantity FROM order_lines WHERE order_id = "
                               "'300000000001' ORDER BY line_no").fetchall()
    assert skus == [("EJ-01", Decimal("1.000")), ("100002", Decimal("2.000"))]
    k = compute_core_kpis(ws, CNY)
    assert (k.orders, k.cancelled_orders) == (2, 1)
    assert k.units == Decimal("4")
    assert k.gross_sales == Decimal("350.00")  # 200 + 120 + 30
    assert k.discounts == Decimal("30.00")  # 330 − 300, once
    assert k.refunds == Decimal("0.00")
    assert k.order_total == Decimal("330.00")  # 300 + 30, not 600 + 30
    assert k.net_sales == Decimal("320.00")


def test_jd_rejects_a_whole_order_when_one_row_is_bad(ws, jd_file):
    result = _load(ws, jd_file)
    rej = _rejected(ws, result.batch_id)
    assert rej[0] == (6, "订购数量", "abc", "not a number")
    assert rej[1][:3] == (7, "订单号", "300000000004")
    assert "line 6" in rej[1][3]
    assert ws.cursor().execute(
        "SELECT count(*) FROM orders WHERE order_id = '300000000004'").fetchone() == (0,)
    text = _text_of(ws, "orders") + _text_of(ws, "order_lines")
    for pii in PII:
        assert pii not in text, pii


# --- Pinduoduo -------------------------------------------------------------------------------
def _pdd_rows() -> list[dict[str, str]]:
    base = {"发货时间": "2025-01-02 09:00:00", "确认收货时间": "2025-01-05 12:00:00",
            "样式ID": "998877", "快递单号": "YT1234567890", "快递公司": "圆通快递"}
    return [
        # P1: 99 − (10 shop + 5 platform + 2 多多支付) = 82 paid.
        {**base, "订单成交时间": "2025-01-01 10:00:00", "商品": "保温杯 316不锈钢",
         "订单号": "250101-123456789012345",
         "订单状态": "已签收", "商品总价(元)": "99.00", "邮费(元)": "0.00", "店铺优惠折扣(元)": "10.00",
         "平台优惠折扣(元)": "5.00", "多多支付立减金额(元)": "2.00", "用户实付金额(元)": "82.00",
         "商家实收金额(元)": "94.00", "商品数量(件)": "1", "商品id": "123456", "商品规格": "500ml 白色",
         "商家编码-规格维度": "BWB-500-W", "商家编码-商品维度": "BWB", "售后状态": "无售后或售后取消"},
        # P2: 2 × 30 + 5 postage = 65 paid, refunded in full.
        {**base, "订单成交时间": "2025-01-03 11:00:00", "商品": "马克杯", "订单号": "250103-223456789012345",
         "订单状态": "已签收", "商品总价(元)": "60.00", "邮费(元)": "5.00", "店铺优惠折扣(元)": "0.00",
         "平台优惠折扣(元)": "0.00", "多多支付立减金额(元)": "0.00", "用户实付金额(元)": "65.00",
         "商家实收金额(元)": "65.00", "商品数量(件)": "2", "商品id": "223344", "商品规格": "红色",
         "商家编码-规格维度": "", "商家编码-商品维度": "MUG", "售后状态": "退款成功"},
        # P3: cancelled before shipping, no refund.
        {**base, "订单成交时间": "2025-01-04 08:00:00", "商品": "马克杯", "订单号": "250104-323456789012345",
         "订单状态": "已取消", "商品总价(元)": "30.00", "邮费(元)": "0.00", "店铺优惠折扣(元)": "0.00",
         "平台优惠折扣(元)": "0.00", "多多支付立减金额(元)": "0.00", "用户实付金额(元)": "30.00",
         "商家实收金额(元)": "30.00", "商品数量(件)": "1", "商品id": "223344", "商品规格": "蓝色",
         "商家编码-规格维度": "MUG-B", "商家编码-商品维度": "MUG", "售后状态": "无售后或售后取消",
         "发货时间": "", "确认收货时间": ""},
    ]


def test_pinduoduo_unit_suffixed_headers_discounts_and_refunds(ws, tmp_path):
    path = _write(tmp_path / "pdd_orders.csv", PDD, _pdd_rows(), encoding="utf-8-sig")
    result = _load(ws, path)
    assert result.format == "pinduoduo_orders"
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (3, 3, 0)
    rows = ws.cursor().execute(
        "SELECT order_id, status, subtotal, discount, shipping, total, refunded, "
        "fulfilled_at IS NOT NULL, paid_at IS NOT NULL FROM orders ORDER BY order_id").fetchall()
    assert rows == [
        ("250101-123456789012345", "completed", Decimal("99.00"), Decimal("17.00"), Decimal("0.00"),
         Decimal("82.00"), Decimal("0.00"), True, True),
        ("250103-223456789012345", "refunded", Decimal("60.00"), Decimal("0.00"), Decimal("5.00"),
         Decimal("65.00"), Decimal("65.00"), True, True),
        ("250104-323456789012345", "cancelled", Decimal("30.00"), Decimal("0.00"), Decimal("0.00"),
         Decimal("30.00"), Decimal("0.00"), False, False),
    ]
    lines = ws.cursor().execute(
        "SELECT sku, product_name, variant, quantity, unit_price FROM order_lines "
        "ORDER BY order_id").fetchall()
    assert lines == [
        ("BWB-500-W", "保温杯 316不锈钢", "500ml 白色", Decimal("1.000"), Decimal("99.00")),
        ("MUG", "马克杯", "红色", Decimal("2.000"), Decimal("30.00")),
        ("MUG-B", "马克杯", "蓝色", Decimal("1.000"), Decimal("30.00")),
    ]
    k = compute_core_kpis(ws, CNY)
    assert (k.orders, k.cancelled_orders, k.units) == (2, 1, Decimal("3"))
    assert (k.gross_sales, k.discounts, k.refunds) == (Decimal("159.00"), Decimal("17.00"),
                                                       Decimal("65.00"))
    assert (k.net_sales, k.order_total) == (Decimal("77.00"), Decimal("147.00"))


def test_pinduoduo_full_width_unit_brackets_are_the_same_layout(ws, tmp_path):
    header = [h.replace("(", "（").replace(")", "）") for h in PDD]
    rows = [{k.replace("(", "（").replace(")", "）"): v for k, v in r.items()} for r in _pdd_rows()]
    result = _load(ws, _write(tmp_path / "pdd_fw.csv", header, rows, encoding="utf-8"))
    assert (result.format, result.rows_loaded) == ("pinduoduo_orders", 3)


# --- Douyin ----------------------------------------------------------------------------------
def _dy(main: str, sub: str, product: str, qty: str, payable: str, freight: str, status: str,
        after_sale: str = "-", cancel: str = "-", plat: str = "0.00", shop: str = "0.00",
        talent: str = "0.00", sku: str = "-") -> dict[str, str]:
    return {
        "主订单编号": "\t" + main, "子订单编号": "\t" + sub, "选购商品": product, "商品规格": "默认",
        "商品数量": qty, "商家编码": sku, "订单应付金额": payable, "运费": freight,
        "收件人": "##Zm9vYmFy", "收件人手机号": "$$MTM4MDAwMDAwMDA=", "详细地址": "##YWRkcmVzcw==",
        "订单提交时间": "2024/06/18 20:00:00", "商家备注": "-",
        "订单完成时间": "2024/06/25 10:00:00" if status == "已完成" else "-", "订单状态": status,
        "售后状态": after_sale, "取消原因": cancel,
        "发货时间": "2024/06/19 10:00:00" if status == "已完成" else "-",
        "平台实际承担优惠金额": plat, "商家实际承担优惠金额": shop, "达人实际承担优惠金额": talent,
    }


@pytest.fixture
def douyin_file(tmp_path: Path) -> Path:
    rows = [
        # M1, two sub-orders: S1 pays 90 after 5 + 10 + 5 discounts (goods 110, 2 × 55);
        # S2 pays 46 = 40 goods + 6 freight.
        _dy("6917926768823643751", "6917926768823643752", "防晒霜 SPF50", "2", "90.00", "0.00",
            "已完成", plat="5.00", shop="10.00", talent="5.00", sku="FS-50"),
        _dy("6917926768823643751", "6917926768823643753", "洗面奶", "1", "46.00", "6.00", "已完成"),
        # M2: paid 120, refunded in full, closed.
        _dy("6917926768823643760", "6917926768823643761", "口红", "1", "120.00", "0.00", "已关闭",
            after_sale="退款成功"),
        # M3: never paid, closed with a cancel reason.
        _dy("6917926768823643770", "6917926768823643771", "面膜", "3", "60.00", "0.00", "已关闭",
            cancel="超时未支付"),
    ]
    return _write(tmp_path / "1718700000_orders.csv", DOUYIN, rows, encoding="utf-8-sig")


def test_douyin_bom_tab_ids_and_dash_empties(ws, douyin_file):
    raw = douyin_file.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b'"\t6917926768823643751"' in raw
    result = _load(ws, douyin_file)
    assert (result.format, result.encoding) == ("douyin_orders", "utf-8-sig")
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (4, 4, 0)
    orders = ws.cursor().execute(
        "SELECT order_id, status, subtotal, discount, shipping, total, refunded, customer_id "
        "FROM orders ORDER BY order_id").fetchall()
    assert orders == [
        ("6917926768823643751", "completed", Decimal("150.00"), Decimal("20.00"), Decimal("6.00"),
         Decimal("136.00"), Decimal("0.00"), None),
        ("6917926768823643760", "refunded", Decimal("120.00"), Decimal("0.00"), Decimal("0.00"),
         Decimal("120.00"), Decimal("120.00"), None),
        ("6917926768823643770", "cancelled", Decimal("60.00"), Decimal("0.00"), Decimal("0.00"),
         Decimal("60.00"), Decimal("0.00"), None),
    ]
    lines = ws.cursor().execute(
        "SELECT line_no, sku, product_name, quantity, unit_price, discount FROM order_lines "
        "WHERE order_id = '6917926768823643751' ORDER BY line_no").fetchall()
    assert lines == [(1, "FS-50", "防晒霜 SPF50", Decimal("2.000"), Decimal("55.00"),
                      Decimal("20.00")),
                     (2, None, "洗面奶", Decimal("1.000"), Decimal("40.00"), Decimal("0.00"))]


def test_douyin_kpis_and_no_ciphertext_stored(ws, douyin_file):
    _load(ws, douyin_file)
    k = compute_core_kpis(ws, CNY)
    assert (k.orders, k.cancelled_orders, k.units) == (2, 1, Decimal("4"))
    assert k.gross_sales == Decimal("270.00")  # 110 + 40 + 120
    assert (k.discounts, k.refunds) == (Decimal("20.00"), Decimal("120.00"))
    assert (k.net_sales, k.order_total) == (Decimal("130.00"), Decimal("256.00"))
    text = _text_of(ws, "orders") + _text_of(ws, "order_lines")
    assert "\t" not in text
    for pii in PII:
        assert pii not in text, pii


def test_reloading_an_overlapping_export_updates_orders_not_adds(ws, douyin_file, tmp_path):
    _load(ws, douyin_file)
    later = [_dy("6917926768823643751", "6917926768823643752", "防晒霜 SPF50", "2", "90.00", "0.00",
                 "已完成", after_sale="退款成功", plat="5.00", shop="10.00", talent="5.00")]
    _load(ws, _write(tmp_path / "1718800000_orders.csv", DOUYIN, later, encoding="utf-8-sig"))
    cur = ws.cursor()
    assert cur.execute("SELECT count(*) FROM orders").fetchone() == (3,)
    assert cur.execute("SELECT refunded, total FROM orders WHERE order_id = "
                       "'6917926768823643751'").fetchone() == (Decimal("90.00"), Decimal("90.00"))
    assert cur.execute("SELECT count(*) FROM order_lines WHERE order_id = "
                       "'6917926768823643751'").fetchone() == (1,)


def test_pinduoduo_xlsx_with_numeric_and_date_cells(ws, tmp_path):
    import xlsxwriter

    path = tmp_path / "pdd_orders.xlsx"
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_numbers": False})
    sheet, when = wb.add_worksheet("订单"), wb.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    sheet.write_row(0, 0, PDD)
    for r, row in enumerate(_pdd_rows(), start=1):
        for c, h in enumerate(PDD):
            value = row.get(h, "")
            if h.endswith("(元)") or h.endswith("(件)"):
                sheet.write_number(r, c, float(value))
            elif h.endswith("时间") and value:
                sheet.write_datetime(r, c, datetime.strptime(value, "%Y-%m-%d %H:%M:%S"), when)
            elif value:
                sheet.write_string(r, c, value)
    wb.close()
    result = _load(ws, path)
    assert (result.format, result.rows_loaded, result.rows_rejected) == ("pinduoduo_orders", 3, 0)
    k = compute_core_kpis(ws, CNY)
    assert (k.orders, k.gross_sales, k.discounts, k.refunds) == (
        2, Decimal("159.00"), Decimal("17.00"), Decimal("65.00"))
    first_day = ws.cursor().execute("SELECT min(order_date) FROM orders").fetchone()
    assert first_day == (date(2025, 1, 1),)
