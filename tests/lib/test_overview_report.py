"""The shop report (lib/overview_report.py) on the hand-computed shop of tests/lib/metrics/shop.py:
March 2024 in USD (EUR at 1.10), the numbers of test_metrics.EXPECTED."""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from lib.metrics.overview import compute_overview
from lib.overview_report import comparison_frame, comparison_title, overview_report
from tests.lib.metrics.shop import MARCH, open_shop
from tests.lib.test_scenario_report import parsed, text_of


@pytest.fixture
def shop(tmp_path: Path):
    ws = open_shop(tmp_path / "shop.duckdb")
    yield ws
    ws.close()


def rows(doc: str) -> dict[str, list[str]]:
    """First cell → the other cells, for every table row of the document."""
    out = {}
    for tr in re.findall(r"<tr>(.*?)</tr>", doc):
        cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", tr)
        out[cells[0]] = cells[1:]
    return out


def test_the_shop_report_has_the_overview_numbers(shop) -> None:
    doc = overview_report(compute_overview(shop, MARCH, "channel"), date(2026, 11, 26), "en")
    table = rows(doc)
    # current period column: gross 305, discounts 18, refunds 35, net 252, orders 6, AOV 287 / 6
    assert [table[k][0] for k in ("Gross sales", "Discounts", "Refunds", "Net sales", "Orders",
                                  "Average order value")] == [
        "USD 305.00", "USD 18.00", "USD 35.00", "USD 252.00", "6", "USD 47.83"]
    # by channel: web 140 − 7 − 35 = 98, market (100 + 50) × 1.1 − 11 = 154 (largest first)
    # February has orders, March 2023 none: no last-year columns of blanks
    assert table["KPI"] == ["This period", "Previous period", "Change", "Note"]
    by_channel = [k for k in table if k in ("web", "market")]
    assert by_channel == ["market", "web"]
    assert table["market"][1] == "USD 154.00" and table["web"][1] == "USD 98.00"
    text = text_of(doc)
    assert "2024-03-01 – 2024-03-31 (31 days), compared with 2024-01-30 – 2024-02-29" in text
    assert "amounts in USD" in text
    assert "Other currencies are converted to USD at the exchange rates entered in Shoplens." in text
    assert "Made with Shoplens on 2026-11-26" in text
    heads = re.findall(r"<h2>(.*?)</h2>", doc)
    assert heads == ["Key figures", "Net sales by day", "From gross to net sales", "Net sales by channel"]
    assert parsed(doc).tags.count("svg") == 3  # trend, bridge, breakdown


def test_the_all_kpis_title_names_only_the_comparisons_shown(shop) -> None:
    """March 2024 has a previous period with orders and no March 2023: the table's title says
    'this period and previous period', as its columns do."""
    ov = compute_overview(shop, MARCH, "channel")
    assert list(comparison_frame(ov))[:4] == ["KPI", "This period", "Previous period", "Change"]
    assert "Last year" not in comparison_frame(ov)
    assert comparison_title(ov) == "All KPIs: this period and previous period"
    assert comparison_title(ov, "zh") == "全部 KPI：本期和上期"


def test_the_shop_report_in_chinese(shop) -> None:
    doc = overview_report(compute_overview(shop, MARCH, "category"), date(2026, 11, 26), "zh")
    assert "<title>店铺经营报告</title>" in doc and "关键指标" in doc
    heads = re.findall(r"<h2>(.*?)</h2>", doc)
    # by category only gross sales can be split (discounts and refunds are per order)
    assert heads[-1] == "按品类拆分的总销售额"
    assert "其他币种已按 Shoplens 中录入的汇率换算为 USD。" in text_of(doc)


def test_currencies_left_out_are_named_for_the_reader(tmp_path: Path) -> None:
    """Without the EUR rate the market channel's orders cannot be in a USD report: it says so
    and its figures are the web channel's alone (gross 50 + 30 + 20 + 40 = 140)."""
    ws = open_shop(tmp_path / "norates.duckdb", rates=False)
    try:
        doc = overview_report(compute_overview(ws, MARCH, "channel"), date(2026, 11, 26), "en")
    finally:
        ws.close()
    assert ("Orders in EUR are left out of these figures: they are not in USD and no exchange "
            "rate was given for them.") in text_of(doc)
    assert rows(doc)["Gross sales"][0] == "USD 140.00" and "market" not in rows(doc)


def test_the_breakdown_names_lines_without_a_category_and_titles_its_axis(shop) -> None:
    """Lines whose product has no category were drawn and listed as 'nan'; the axis and the
    column said 'category' (the word a sentence takes)."""
    doc = overview_report(compute_overview(shop, MARCH, "category"), date(2026, 11, 26), "en")
    assert "nan" not in text_of(doc) and "nan" not in doc.replace("nanosecond", "")
    assert "Y-axis titled 'Category' for a discrete scale with 3 values: Beds, Toys, (not set)" in doc
    table = rows(doc)
    assert table["Category"][:1] == ["Gross sales"] and "(not set)" in table  # header, then the row


def test_a_category_that_reads_like_code_is_drawn_escaped(shop) -> None:
    """RELIABILITY D5: a harmless name with 'JavaScript:' in it is a chart label, not refused."""
    with shop.transaction() as cur:
        cur.execute("UPDATE products SET category = 'Learn JavaScript: Basics <b>' WHERE sku = 'SKU-D'")
    doc = overview_report(compute_overview(shop, MARCH, "category"), date(2026, 11, 26), "en")
    svgs = re.findall(r"<svg.*?</svg>", doc, re.S)
    assert len(svgs) == 3 and "Learn JavaScript: Basics &lt;b&gt;" in svgs[-1]  # the breakdown's axis
    assert "b" not in parsed(doc).tags


    """March in USD: customers A (45 + 18) and B (30 − 30 − 5) hibernate, E ((90 + 50) × 1.1 = 154)
    is a potential loyalist; products SKU-D 110, SKU-B 60, SKU-E 55 make 225 of 265 (84.9 %,
    class A). SKU-B has no stock and, given a lead time, is to reorder; open risks by score."""
    from lib import risk
    from lib.overview_report import chapter_sections

    with shop.transaction() as cur:
        cur.execute("UPDATE products SET lead_time_days = 10 WHERE sku IN ('SKU-A', 'SKU-B', 'SKU-C')")
    risk.save_risk(shop, risk.Risk("Supplier <late>", "supply_chain", 2, 3, "Ann", mitigation="Second source"))
    risk.save_risk(shop, risk.Risk("Outage", "technology", 4, 4, "Bo"))
    sections = chapter_sections(shop, MARCH, "en")
    assert [s.heading for s in sections] == ["RFM segments", "ABC classes", "Reorder now", "Register",
                                             "What your data can answer"]
    segments = sections[0].table.text_frame().set_index("Segment")
    assert segments.loc["Potential loyalists", ["Customers", "Net sales"]].tolist() == ["1", "USD 154.00"]
    assert segments.loc["Hibernating", ["Customers", "Net sales"]].tolist() == ["2", "USD 58.00"]
    classes = sections[1].table.text_frame().set_index("Class")
    assert classes.loc["A", ["Products", "Gross sales", "Share of sales"]].tolist() == ["3", "USD 225.00", "84.9%"]
    assert sections[1].table.frame.set_index("Class").loc["A", "Gross sales"] == 225.0  # a number
    assert sections[2].table.frame.iloc[:, 0].tolist() == ["SKU-B"]
    # Planned as the Products page does by default: with the units forecast, said first.
    from lib import charts_products as cp
    from lib.products import demand_outlook
    outlook = demand_outlook(shop, MARCH)
    assert outlook is not None and sections[2].paragraphs[0] == cp.outlook_caption(outlook, "en")
    assert sections[2].paragraphs[0].startswith("Demand ahead follows the shop's units forecast after 2024-03-")
    assert sections[3].table[["Title", "Score"]].values.tolist() == [["Outage", 16], ["Supplier <late>", 6]]
    doc = overview_report(compute_overview(shop, MARCH, "channel"), date(2026, 11, 26), "en", sections)
    heads = re.findall(r"<h2>(.*?)</h2>", doc)
    assert heads[-5:] == ["RFM segments", "ABC classes", "Reorder now", "Register", "What your data can answer"]
    assert "6 of 7 orders (85.7%)" in doc  # orders with a customer: all but O6
    assert "Supplier &lt;late&gt;" in doc


def test_a_chapter_without_data_is_left_out(tmp_path: Path) -> None:
    from lib.overview_report import chapter_sections

    ws = open_shop(tmp_path / "bare.duckdb", products=False)
    try:
        assert [s.heading for s in chapter_sections(ws, MARCH, "en")] == [
            "RFM segments", "ABC classes", "What your data can answer"]
    finally:
        ws.close()


def test_cards_whose_data_are_not_loaded_are_listed_not_drawn(shop, tmp_path: Path) -> None:
    """The fixture shop has costs, stock, traffic and ads, fulfilment and delivery times: every
    card is drawn. Without its products, traffic and marketing rows, the cards that need them
    are grouped by what is missing, in card order; the others stay, a dash included."""
    full = compute_overview(shop, MARCH, "channel")
    assert full.missing_data() == {} and full.shown_cards() == full.cards
    with shop.transaction() as cur:
        for table in ("products", "traffic", "marketing"):
            cur.execute(f"DELETE FROM {table}")
    lean = compute_overview(shop, MARCH, "channel")
    missing = {what: [m.id for m in ms] for what, ms in lean.missing_data().items()}
    assert missing == {
        "products.unit_cost": ["gross_margin", "gross_margin_rate", "contribution_margin"],
        "traffic": ["conversion_rate"],
        "marketing": ["ctr", "ad_spend", "roas", "roi", "cac"],
        "products.stock_on_hand": ["inventory_value", "inventory_turnover", "days_of_cover"]}
    shown = [c.metric.id for c in lean.shown_cards()]
    assert len(shown) == len(lean.cards) - 12 and "net_sales" in shown and "roas" not in shown
