"""`forecast_cli` (wired by the lead as `python -m lib.cli forecast`): the JSON contract and
exit code 2 with a message, never a traceback, for invalid input."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from lib.forecast.cli import forecast_cli
from lib.workspace import open_workspace
from tests.conftest import ROOT
from tests.lib.forecast.shop import build_sku_shop, build_tiny_shop, insert


@pytest.fixture
def shop_path(tmp_path: Path) -> Path:
    path = tmp_path / "shop.duckdb"
    ws = open_workspace(path)
    build_sku_shop(ws)
    ws.close()
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = forecast_cli(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_json_with_backtest(shop_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--workspace", str(shop_path), "--metric", "net_sales", "--horizon", "14",
                         "--backtest", "--folds", "2", "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["model"] == "prophet" and doc["horizon"] == 14 and doc["currency"] == "USD"
    assert len(doc["forecast"]) == 14 and all(r["yhat"] >= 0 for r in doc["forecast"])
    assert doc["forecast"][0]["ds"] == "2024-04-30"
    bt = doc["backtest"]
    assert {"mae", "mase", "baseline_mae", "coverage"} <= set(bt) and bt["folds"] == 2
    assert all(isinstance(bt[k], float) for k in ("mae", "mase", "baseline_mae", "coverage"))
    assert isinstance(doc["notes"], list)


def test_levels_and_text_output(shop_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--workspace", str(shop_path), "--level", "category", "--key", "Tea",
                       "--metric", "units", "--horizon", "7", "--json")
    assert code == 0 and json.loads(out)["key"] == "Tea"
    code, out, _ = run(capsys, "--workspace", str(shop_path), "--level", "sku", "--key", "S1", "--horizon", "7")
    assert code == 0 and "forecast" in out and out.count("2024-05-0") == 6


@pytest.mark.parametrize("argv, message", [
    (["--horizon", "0"], "horizon must be from 1 to 366"),
    (["--horizon", "abc"], "not a whole number"),
    (["--metric", "revenue"], "invalid choice"),
    (["--level", "sku"], "--key is needed"),
    (["--level", "sku", "--key", "NOPE"], "no orders to forecast"),
    (["--currency", "EUR"], "No orders in EUR"),
    (["--country", "Atlantis"], "No public-holiday calendar"),
    (["--start", "yesterday"], "not a date"),
])
def test_invalid_input_exits_2_with_a_message(shop_path: Path, capsys: pytest.CaptureFixture[str],
                                              argv: list[str], message: str) -> None:
    code, out, err = run(capsys, "--workspace", str(shop_path), *argv)
    assert code == 2 and message in err and "Traceback" not in err and out == ""


def test_missing_or_damaged_workspace_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--workspace", str(tmp_path / "nope.duckdb"))
    assert code == 2 and "No workspace" in err
    bad = tmp_path / "bad.duckdb"
    bad.write_bytes(b"not a database" * 100)
    code, _, err = run(capsys, "--workspace", str(bad))
    assert code == 2 and "error:" in err and "Traceback" not in err


def test_mixed_currencies_need_a_choice(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "mixed.duckdb"
    ws = open_workspace(path)
    build_tiny_shop(ws, with_eur=True)
    insert(ws, "promotions", [{"promo_id": "P", "name": "x", "start_date": None}])
    ws.close()
    code, _, err = run(capsys, "--workspace", str(path))
    assert code == 2 and "several currencies" in err
    code, out, err = run(capsys, "--workspace", str(path), "--currency", "USD", "--json")
    assert code == 0, err
    assert json.loads(out)["model"] == "moving_average"   # six days: a fallback, not a crash
    # Units count every currency by default (or with --currency all); money cannot.
    from lib.forecast.series import ALL_CURRENCIES, daily_series

    ws = open_workspace(path, create=False)
    try:
        units = daily_series(ws, "units", currency=ALL_CURRENCIES)
    finally:
        ws.close()
    for extra in ((), ("--currency", "all")):
        code, out, err = run(capsys, "--workspace", str(path), "--metric", "units", *extra, "--json")
        assert code == 0, err
        doc = json.loads(out)
        assert doc["currency"] is None and doc["history"]["days"] == len(units)
    code, _, err = run(capsys, "--workspace", str(path), "--currency", "all")
    assert code == 2 and "net sales need one currency" in err


def test_runs_as_a_module(shop_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "lib.forecast.cli", "--workspace", str(shop_path),
                           "--horizon", "3", "--json"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["horizon"] == 3
    assert proc.stderr == ""      # Prophet and cmdstan are silent
