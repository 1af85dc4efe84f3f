"""Shoplens template layouts: detection, row checks with reasons, later rows and re-loads win."""
from __future__ import annotations

import csv
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from lib.ingest.load import IngestResult, detect_format, ingest_path
from lib.workspace import Workspace

HEADERS = {
    "shoplens_traffic": ["date", "channel", "sessions", "visitors", "add_to_cart", "checkouts"],
    "shoplens_marketing": ["date", "channel", "campaign", "spend", "impressions", "clicks",
                           "attributed_revenue"],
    "shoplens_inventory": ["sku", "name", "category", "unit_cost", "price", "stock_on_hand",
                           "lead_time_days", "supplier", "safety_stock"],
    "shoplens_targets": ["kpi_id", "period_start", "period_end", "owner", "team", "target"],
    "shoplens_risks": ["risk_id", "title", "category", "likelihood", "impact", "owner", "response",
                       "mitigation", "status", "review_on"],
    "shoplens_promotions": ["promo_id", "name", "start_date", "end_date", "discount_code",
                            "discount_pct", "channel"],
    "shoplens_fx": ["currency", "rate_to_usd"],
}


def _csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def _load(ws: Workspace, path: Path, fmt: str) -> IngestResult:
    (result,) = ingest_path(ws, path)
    assert result.status == "loaded", result.message
    assert result.format == fmt
    assert result.rows_read == result.rows_loaded + result.rows_rejected
    return result


def _rejected(ws: Workspace, result: IngestResult) -> list[tuple[int, str, str | None, str]]:
    return ws.cursor().execute(
        'SELECT row_number, "column", value, reason FROM rejected_rows WHERE batch_id = ? '
        "ORDER BY row_number", [result.batch_id]).fetchall()


@pytest.mark.parametrize("fmt", sorted(HEADERS))
def test_each_template_header_is_detected_as_its_own_format(ws, tmp_path, fmt):
    detected = detect_format(tuple(HEADERS[fmt]))
    assert detected is not None and detected.id == fmt
    # Column order and case do not matter; a missing signature column does.
    assert detect_format(tuple(h.upper() for h in reversed(HEADERS[fmt]))).id == fmt
    assert detect_format(tuple(HEADERS[fmt][1:])) is None


def test_traffic_loads_rejects_negative_counts_and_bad_dates(ws, tmp_path):
    path = _csv(tmp_path / "traffic.csv", HEADERS["shoplens_traffic"], [
        ["2025-03-01", "taobao", "1,200", "900", "120", "40"],
        ["2025-03-01", "douyin", "800", "700", "60", "20"],
        ["2025-03-02", "taobao", "-5", "900", "120", "40"],   # negative sessions
        ["2025-02-30", "taobao", "100", "90", "10", "4"],     # not a date
        ["2025-03-01", "taobao", "1300", "950", "130", "45"],  # later row for the same key wins
    ])
    result = _load(ws, path, "shoplens_traffic")
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (5, 3, 2)
    assert _rejected(ws, result) == [
        (4, "sessions", "-5", "sessions cannot be negative"),
        (5, "date", "2025-02-30", "not a valid date in the expected format"),
    ]
    rows = ws.cursor().execute(
        "SELECT date, channel, sessions, visitors, add_to_cart, checkouts FROM traffic "
        "ORDER BY channel").fetchall()
    assert rows == [(date(2025, 3, 1), "douyin", 800, 700, 60, 20),
                    (date(2025, 3, 1), "taobao", 1300, 950, 130, 45)]
    assert (result.date_min, result.date_max) == (date(2025, 3, 1), date(2025, 3, 1))


def test_marketing_loads_and_a_corrected_file_replaces_by_day_channel_campaign(ws, tmp_path):
    header = HEADERS["shoplens_marketing"]
    first = _load(ws, _csv(tmp_path / "m1.csv", header, [
        ["2025-03-01", "douyin", "spring", "¥1,000.50", "50000", "1200", "3000"],
        ["2025-03-01", "douyin", "", "10", "100", "5", "0"],          # campaign missing
        ["2025-03-02", "douyin", "spring", "900", "1.5", "1000", "2500"],  # half an impression
    ]), "shoplens_marketing")
    assert [(r[1], r[3]) for r in _rejected(ws, first)] == [
        ("campaign", "a value is required here"), ("impressions", "not a whole number")]
    assert ws.cursor().execute("SELECT spend, impressions FROM marketing").fetchall() == [
        (Decimal("1000.50"), 50000)]
    _load(ws, _csv(tmp_path / "m2.csv", header, [
        ["2025-03-01", "douyin", "spring", "1100", "52000", "1300", "3100"],
        ["2025-03-02", "douyin", "spring", "900", "40000", "1000", "2500"],
    ]), "shoplens_marketing")
    assert ws.cursor().execute(
        "SELECT date, spend, clicks FROM marketing ORDER BY date").fetchall() == [
        (date(2025, 3, 1), Decimal("1100.00"), 1300), (date(2025, 3, 2), Decimal("900.00"), 1000)]


def test_inventory_merges_into_products_and_blank_cells_keep_known_values(ws, tmp_path):
    header = HEADERS["shoplens_inventory"]
    first = _load(ws, _csv(tmp_path / "inv1.csv", header, [
        ["000123", "复古连衣裙", "apparel", "25.00", "60.00", "40", "14", "杭州服装厂", "10"],
        ["MUG", "马克杯", "home", "-3", "30", "5", "7", "", "2"],  # negative cost
    ]), "shoplens_inventory")
    assert _rejected(ws, first) == [(3, "unit_cost", "-3", "unit_cost cannot be negative")]
    _load(ws, _csv(tmp_path / "inv2.csv", header, [
        ["000123", "", "", "", "65.00", "-2", "", "", ""],  # oversold: negative stock is allowed
    ]), "shoplens_inventory")
    assert ws.cursor().execute(
        "SELECT sku, name, category, unit_cost, price, stock_on_hand, lead_time_days, supplier, "
        "safety_stock FROM products").fetchall() == [
        ("000123", "复古连衣裙", "apparel", Decimal("25.00"), Decimal("65.00"), Decimal("-2.000"), 14,
         "杭州服装厂", Decimal("10.000"))]


def test_targets_reject_end_before_start_and_unparseable_dates(ws, tmp_path):
    header = HEADERS["shoplens_targets"]
    result = _load(ws, _csv(tmp_path / "targets.csv", header, [
        ["net_sales", "2025-01-01", "2025-03-31", "ana", "growth", "150000"],
        ["orders", "2025-04-01", "2025-03-01", "ana", "growth", "900"],   # ends before it starts
        ["orders", "2025-13-01", "2025-12-31", "ana", "growth", "900"],   # month 13
        ["orders", "2025-04-01", "2025-06-30", "", "growth", "900"],      # owner is in the key
    ]), "shoplens_targets")
    assert _rejected(ws, result) == [
        (3, "period_end", "2025-03-01", "period_end is before period_start"),
        (4, "period_start", "2025-13-01", "not a valid date in the expected format"),
        (5, "owner", None, "a value is required here"),
    ]
    assert ws.cursor().execute("SELECT kpi_id, period_start, period_end, owner, team, target "
                               "FROM targets").fetchall() == [
        ("net_sales", date(2025, 1, 1), date(2025, 3, 31), "ana", "growth", Decimal("150000.0000"))]


RISKS_BAD = [
    ["R1", "Supplier delay before 11.11", "Supply chain", "4", "5", "li", "Mitigate",
     "second supplier", "open", "2025-10-01"],
    ["R2", "Platform fee increase", "finance", "7", "3", "li", "accept", "", "open", ""],
    ["R3", "Ad account banned", "marketing", "2", "4", "wang", "avoid", "", "open", ""],
    ["R4", "Key staff leaves", "management", "3", "3", "li", "ignore", "", "open", ""],
    ["R5", "Data leak", "technology", "2", "5", "zhao", "transfer", "insurance", "open",
     "next week"],
]


def test_risks_reject_out_of_range_scores_unknown_words_and_dates_with_reasons(ws, tmp_path):
    result = _load(ws, _csv(tmp_path / "risks.csv", HEADERS["shoplens_risks"], RISKS_BAD),
                   "shoplens_risks")
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (5, 1, 4)
    rej = _rejected(ws, result)
    assert [(r[0], r[1], r[2]) for r in rej] == [
        (3, "likelihood", "7"), (4, "category", "marketing"), (5, "response", "ignore"),
        (6, "review_on", "next week")]
    assert rej[0][3] == "likelihood must be from 1 to 5"
    assert rej[1][3].startswith("category must be one of: market, technology")
    assert "mitigate" in rej[2][3]
    assert ws.cursor().execute(
        "SELECT risk_id, category, likelihood, impact, response, review_on FROM risks").fetchall() \
        == [("R1", "supply_chain", 4, 5, "mitigate", date(2025, 10, 1))]


def test_a_corrected_risk_file_replaces_by_risk_id(ws, tmp_path):
    header = HEADERS["shoplens_risks"]
    _load(ws, _csv(tmp_path / "risks.csv", header, RISKS_BAD), "shoplens_risks")
    fixed = [list(r) for r in RISKS_BAD]
    fixed[0][3] = "2"                  # R1 re-assessed
    fixed[1][3] = "5"
    fixed[2][2] = "market"
    fixed[3][6] = "accept"
    fixed[4][9] = "2025-11-01"
    result = _load(ws, _csv(tmp_path / "risks_fixed.csv", header, fixed), "shoplens_risks")
    assert (result.rows_loaded, result.rows_rejected) == (5, 0)
    rows = ws.cursor().execute("SELECT risk_id, likelihood, category FROM risks ORDER BY risk_id"
                               ).fetchall()
    assert rows == [("R1", 2, "supply_chain"), ("R2", 5, "finance"), ("R3", 2, "market"),
                    ("R4", 3, "management"), ("R5", 2, "technology")]


def test_promotions_percentages_and_date_order(ws, tmp_path):
    result = _load(ws, _csv(tmp_path / "promos.csv", HEADERS["shoplens_promotions"], [
        ["P1", "双11 预售", "2025-10-20", "2025-11-11", "D11", "15%", "taobao"],
        ["P2", "618", "2025-06-01", "2025-06-18", "", "20", "jd"],
        ["P3", "backwards", "2025-06-18", "2025-06-01", "", "10", "jd"],
        ["P4", "too much", "2025-06-01", "2025-06-18", "", "150", "jd"],
        ["P5", "free shipping", "2025-07-01", "2025-07-02", "SHIP", "", "douyin"],
    ]), "shoplens_promotions")
    assert [(r[0], r[1], r[2], r[3]) for r in _rejected(ws, result)] == [
        (4, "end_date", "2025-06-01", "end_date is before start_date"),
        (5, "discount_pct", "150", "discount_pct must be a percentage from 0 to 100"),
    ]
    assert ws.cursor().execute(
        "SELECT promo_id, name, discount_pct, discount_code FROM promotions ORDER BY promo_id"
    ).fetchall() == [("P1", "双11 预售", Decimal("15.0000"), "D11"),
                     ("P2", "618", Decimal("20.0000"), None),
                     ("P5", "free shipping", None, "SHIP")]


def test_fx_rates_checks_and_later_row_wins(ws, tmp_path):
    result = _load(ws, _csv(tmp_path / "fx.csv", HEADERS["shoplens_fx"], [
        ["cny", "0.14"], ["EUR", "1.08"], ["RMB1", "0.14"], ["GBP", "0"], ["CNY", "0.138"],
    ]), "shoplens_fx")
    assert [(r[0], r[1], r[3]) for r in _rejected(ws, result)] == [
        (4, "currency", "currency must be a 3-letter code such as CNY"),
        (5, "rate_to_usd", "rate_to_usd must be greater than 0"),
    ]
    assert ws.cursor().execute("SELECT currency, rate_to_usd FROM fx_rates ORDER BY 1").fetchall() \
        == [("CNY", Decimal("0.13800000")), ("EUR", Decimal("1.08000000"))]


def test_traffic_template_from_xlsx_with_date_cells(ws, tmp_path):
    import xlsxwriter

    path = tmp_path / "traffic.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    sheet, day = wb.add_worksheet("traffic"), wb.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, HEADERS["shoplens_traffic"])
    sheet.write_datetime(1, 0, datetime(2025, 3, 1), day)
    sheet.write_row(1, 1, ["taobao", 1200, 900, 120, 40])
    wb.close()
    result = _load(ws, path, "shoplens_traffic")
    assert (result.rows_loaded, result.rows_rejected) == (1, 0)
    assert ws.cursor().execute("SELECT date, sessions FROM traffic").fetchall() == [
        (date(2025, 3, 1), 1200)]


def test_a_risk_register_exported_and_read_back_is_the_same(tmp_path: Path) -> None:
    """RELIABILITY D4: the CSV export guards formula-like text with an apostrophe ('=SUM…);
    reading that file back as the risks template gives the text as it was typed."""
    from lib import risk
    from lib.export_cli import export_tables, to_csv
    from lib.workspace import open_workspace

    first = open_workspace(tmp_path / "a.duckdb")
    second = open_workspace(tmp_path / "b.duckdb")
    try:
        risk.save_risk(first, risk.Risk("=SUM(1,2)", "supply_chain", 2, 3, "-Ann", mitigation="@once"))
        risk.save_risk(first, risk.Risk("Don't ship late", "management", 3, 4, "'Bo'"))
        text = to_csv(export_tables(first, "risks")["risks"])
        assert "'=SUM(1,2)" in text  # guarded in the file
        (result,) = ingest_path(second, _write(tmp_path / "risks.csv", text))
        assert result.status == "loaded", result.message
        read = "SELECT title, owner, mitigation FROM risks ORDER BY title"
        assert second.cursor().execute(read).fetchall() == first.cursor().execute(read).fetchall() == [
            ("=SUM(1,2)", "-Ann", "@once"), ("Don't ship late", "'Bo'", None)]
    finally:
        first.close()
        second.close()


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
