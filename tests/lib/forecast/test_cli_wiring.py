"""`python -m lib.cli forecast` reaches the forecast command (wired in lib/cli.py)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from lib.ingest.load import ingest_path
from lib.workspace import open_workspace
from tests.conftest import ROOT
from tests.lib.ingest.fixtures import shopify_file


def test_forecast_subcommand_runs_through_main_cli(tmp_path: Path) -> None:
    ws = open_workspace(tmp_path / "w.duckdb")
    ingest_path(ws, shopify_file(tmp_path))
    ws.close()
    out = subprocess.run([sys.executable, "-m", "lib.cli", "forecast", "--workspace",
                          str(tmp_path / "w.duckdb"), "--metric", "orders", "--horizon", "7", "--json"],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    # Two days of history is far too short for Prophet: a stated fallback, never negative.
    assert data["model"] != "prophet" and data["horizon"] == 7
    assert all(row["yhat"] >= 0 for row in data["forecast"])


def test_forecast_subcommand_bad_input_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    out = subprocess.run([sys.executable, "-m", "lib.cli", "forecast", "--workspace",
                          str(tmp_path / "none.duckdb"), "--metric", "bogus", "--json"],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 2 and "Traceback" not in out.stderr and out.stderr.strip()
