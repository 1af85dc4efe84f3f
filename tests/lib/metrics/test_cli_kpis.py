"""`python -m lib.cli kpis`: every catalogue KPI, unavailable ones null with a reason; the
foundation keys stay at the top level of the plain call."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from lib.cli import main
from lib.metrics.catalogue import load_catalogue
from tests.conftest import ROOT
from tests.lib.metrics.shop import open_shop

FOUNDATION = ("orders", "units", "gross_sales", "discounts", "refunds", "net_sales", "order_total",
              "avg_order_value", "customers", "repeat_customer_rate")


@pytest.fixture
def shop_path(tmp_path: Path) -> Path:
    open_shop(tmp_path / "shop.duckdb", traffic=False).close()
    return tmp_path / "shop.duckdb"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:
    assert main(["kpis", *argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_plain_call_has_every_kpi_and_the_foundation_keys_at_top_level(
        shop_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = run(capsys, "--workspace", str(shop_path), "--start", "2024-03-01", "--end",
              "2024-03-31", "--currency", "USD")
    assert set(load_catalogue().ids) <= set(out)
    assert {k: out[k] for k in FOUNDATION} == {
        "orders": 6, "units": 8, "gross_sales": 305, "discounts": 18, "refunds": 35,
        "net_sales": 252, "order_total": 332.85, "avg_order_value": 47.83, "customers": 3,
        "repeat_customer_rate": pytest.approx(2 / 3)}
    assert out["currency"] == "USD" and out["period"] == {"start": "2024-03-01", "end": "2024-03-31"}
    # no traffic loaded: null with a reason, never 0
    assert out["sessions"] is None and out["conversion_rate"] is None
    assert out["unavailable"]["sessions"] == (
        "Not available: no traffic data are loaded (traffic template).")
    assert out["notes"]["cogs"] == [
        "Unit cost known for 68.9% of gross sales; lines without a cost are left out."]


def test_by_channel_gives_one_entry_per_channel(shop_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = run(capsys, "--workspace", str(shop_path), "--start", "2024-03-01", "--end", "2024-03-31",
              "--currency", "USD", "--by", "channel")
    groups = {g["channel"]: g for g in out["groups"]}
    assert set(groups) == {"market", "web"}
    assert (groups["market"]["gross_sales"], groups["web"]["gross_sales"]) == (165, 140)
    assert groups["web"]["ad_spend"] == 20 and groups["market"]["orders"] == 2
    assert "inventory_value" in out["unavailable"]  # stock is not per channel


def test_by_category_and_by_month(shop_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cats = run(capsys, "--workspace", str(shop_path), "--currency", "USD", "--by", "category",
               "--start", "2024-03-01", "--end", "2024-03-31")
    by = {g["category"]: g for g in cats["groups"]}
    assert by["Beds"]["gross_sales"] == 170 and by["Beds"]["inventory_value"] == 165
    assert cats["unavailable"]["discounts"].startswith("Not available by category")
    months = run(capsys, "--workspace", str(shop_path), "--currency", "USD", "--by", "month")
    assert [(g["month"], g["orders"]) for g in months["groups"]] == [("2024-02-01", 1), ("2024-03-01", 6)]


def test_mixed_currencies_without_a_choice_are_a_message_not_a_traceback(tmp_path: Path) -> None:
    open_shop(tmp_path / "norates.duckdb", rates=False).close()
    out = subprocess.run([sys.executable, "-m", "lib.cli", "kpis", "--workspace",
                          str(tmp_path / "norates.duckdb"), "--json"],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "several currencies (EUR, USD)" in out.stderr


def test_text_output_lists_every_kpi(shop_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kpis", "--workspace", str(shop_path), "--currency", "USD"]) == 0
    text = capsys.readouterr().out
    assert all(f"{m:>24}:" in text for m in load_catalogue().ids)


def test_ingest_and_kpis_never_import_pandas(shop_path: Path, tmp_path: Path) -> None:
    """Both commands start a process each time (automation, the benchmark's d step): pandas
    alone costs ~0.35 s to import, more than the KPI query itself once the facts exist."""
    csv = tmp_path / "o.csv"
    csv.write_text("order_id,date,amount\nA1,2024-03-01,10.00\n", encoding="utf-8")
    probe = (
        "import sys; from lib.cli import main; "
        f"main(['kpis', '--workspace', {str(shop_path)!r}, '--json']); "
        f"main(['ingest', {str(csv)!r}, '--workspace', {str(tmp_path / 'w.duckdb')!r}, '--json']); "
        "print('LOADED', sorted(m for m in ('pandas', 'pyarrow', 'altair', 'streamlit') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.stdout.strip().splitlines()[-1] == "LOADED []", out.stderr[-2000:]


def test_kpis_does_not_load_the_readers_and_reads_yaml_with_libyaml(shop_path: Path) -> None:
    """`kpis` pays no start-up for what only `ingest` needs (the file readers: ~40 ms), and the
    catalogue is parsed by libyaml (5 ms against 48 ms in pure Python)."""
    probe = (
        "import sys; from lib.cli import main; "
        f"main(['kpis', '--workspace', {str(shop_path)!r}, '--json']); "
        "print('LOADED', sorted(m for m in sys.modules if m.startswith('lib.ingest')))")
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.stdout.strip().splitlines()[-1] == "LOADED []", out.stderr[-2000:]
    from lib import yaml_text

    assert yaml_text._LOADER.__name__ == "CSafeLoader"  # PyYAML's wheel ships libyaml


def test_a_query_over_the_time_limit_is_an_error_line_not_a_traceback(
        shop_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """RELIABILITY E7 on the command line: exit 2 with what to do."""
    import duckdb

    import lib.cli

    def interrupted(*args: object, **kwargs: object) -> None:
        raise duckdb.InterruptException("INTERRUPT Error: Query exceeded maximum execution time")

    monkeypatch.setattr(lib.cli, "_cmd_kpis", interrupted)
    assert main(["kpis", "--workspace", str(shop_path), "--json"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: a query took longer than 60 seconds and was stopped;")
    assert "Traceback" not in err and "INTERRUPT" not in err
