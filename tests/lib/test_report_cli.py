"""`python -m lib.cli report`: the chapters' tables from a terminal, equal to the lib calls."""
from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from lib import customers as cu
from lib.cli import main
from lib.metrics.filters import Filters
from lib.workspace import open_workspace
from tests.demo_store import demo_copy

ARGS = ["--start", "2025-01-01", "--end", "2025-12-31", "--currency", "USD"]


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo_copy(tmp_path_factory.mktemp("report"))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_customers_json_matches_the_library(demo_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "report", "customers", "--workspace", str(demo_path), *ARGS)
    assert code == 0
    doc = json.loads(out)
    assert set(doc) == {"segments", "rfm", "cohorts", "churn", "churn_statuses", "at_risk"}
    ws = open_workspace(demo_path)
    try:
        data = cu.customer_orders(ws, Filters(start=date(2025, 1, 1), end=date(2025, 12, 31), currency="USD"))
        expected = cu.churn_report(data)
        rfm = cu.rfm_table(data)
    finally:
        ws.close()
    assert sum(s["customers"] for s in doc["segments"]) == len(rfm) == len(doc["rfm"])
    assert doc["churn"][0]["expected_gap_days"] == expected.expected_gap_days
    assert len(doc["at_risk"]) == 50


def test_products_csv_table(demo_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "report", "products", "--workspace", str(demo_path),
                       "--format", "csv", "--table", "inventory")
    assert code == 0
    header, *rows = out.strip().splitlines()
    assert header.startswith("sku,name,")
    assert any(r.startswith("LL-LIN-004,") and ",reorder" in r for r in rows)  # the planted stock-out


def test_pricing_codes(demo_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "report", "pricing", "--workspace", str(demo_path), *ARGS)
    assert code == 0
    codes = {r["code"]: r for r in json.loads(out)["discount_codes"]}
    assert None in codes and codes["BFCM25"]["discount_rate"] == pytest.approx(0.25)


def test_csv_needs_one_table_and_a_missing_workspace_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "report", "products", "--workspace", str(tmp_path / "x.duckdb"),
                       "--format", "csv")
    assert code == 2 and "--table" in err and "abc_summary" in err
    code, _, err = run(capsys, "report", "pricing", "--workspace", str(tmp_path / "none.duckdb"))
    assert code == 2 and "No workspace" in err and "Traceback" not in err


def test_the_shop_report_from_a_terminal(demo_path: Path, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    """The Overview's download for automation (a monthly report by cron): the same file the
    page builds, in the language asked; a period without orders or a bad breakdown is refused."""
    from lib.metrics.overview import compute_overview
    from lib.overview_report import chapter_sections, overview_report
    from lib.report_cli import shop_report

    out = tmp_path / "shop.html"
    code, _, err = run(capsys, "report", "shop", "--workspace", str(demo_path), *ARGS, "--lang", "zh",
                       "--breakdown", "category", "--out", str(out))
    assert code == 0 and not err
    doc = out.read_text(encoding="utf-8")
    assert "<title>店铺经营报告</title>" in doc and doc.count("<svg") == 3
    ws = open_workspace(demo_path, create=False)
    try:
        filters = Filters(start=date(2025, 1, 1), end=date(2025, 12, 31), currency="USD")
        made_on = date.fromisoformat(re.search(r"由 Shoplens 于 (\d{4}-\d{2}-\d{2}) ", doc).group(1))
        page = overview_report(compute_overview(ws, filters, "category"), made_on, "zh",
                               chapter_sections(ws, filters, "zh"))
        assert doc == page  # what the Overview page's button downloads
        assert shop_report(ws, Filters(start=date(2020, 1, 1), end=date(2020, 1, 31), currency="USD")) is None
    finally:
        ws.close()
    code, _, err = run(capsys, "report", "shop", "--workspace", str(demo_path), "--start", "2020-01-01",
                       "--end", "2020-01-31", "--currency", "USD")
    assert code == 2 and "no orders for these filters" in err
    code, _, err = run(capsys, "report", "shop", "--workspace", str(demo_path), "--breakdown", "colour")
    assert code == 2 and "unknown breakdown 'colour'" in err and "Traceback" not in err
