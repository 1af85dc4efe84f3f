"""E1/L8: a load killed with SIGKILL leaves the workspace as it was, and it reopens cleanly."""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lib.ingest.load import ingest_path
from lib.workspace import open_workspace
from tests.conftest import ROOT
from tests.lib.ingest.fixtures import shopify_file

HEAD = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"


def _big_retail_file(path: Path, lines: int) -> Path:
    with open(path, "w") as fh:
        fh.write(HEAD)
        for i in range(lines):
            fh.write(f"{500000 + i // 4},SKU{i % 97},ITEM {i % 97},{1 + i % 5},"
                     f"2011-{1 + i % 12:02d}-{1 + i % 28:02d} 10:00:00,{1 + i % 9}.50,{12000 + i % 800},UK\n")
    return path


# 400,000 lines, four per invoice, plus the two orders of the Shopify fixture.
FULL_ORDERS = 400_000 // 4 + 2


@pytest.mark.slow
def test_sigkill_during_ingest_leaves_previous_data_intact(tmp_path: Path) -> None:
    ws_path = tmp_path / "crash.duckdb"
    ws = open_workspace(ws_path)
    ingest_path(ws, shopify_file(tmp_path))
    ws.close()
    big = _big_retail_file(tmp_path / "big.csv", 400_000)
    rng = random.Random(7)
    for attempt in range(3):
        child = subprocess.Popen(
            [sys.executable, "-m", "lib.cli", "ingest", str(big), "--workspace", str(ws_path)],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(0.8 + rng.random() * 1.5)  # kill somewhere inside the load
        if child.poll() is None:
            os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=60)
        ws = open_workspace(ws_path)
        try:
            cur = ws.cursor()
            orders = cur.execute("SELECT count(*) FROM orders").fetchone()[0]
            imports = cur.execute("SELECT count(*) FROM imports").fetchone()[0]
            # All or nothing: killed after its commit (or not killed at all) the load is all
            # there; killed before, none of it is.
            whole = (FULL_ORDERS, 2)
            assert (orders, imports) in ((2, 1), whole), f"attempt {attempt}: partial load visible"
            if child.returncode == 0:
                assert (orders, imports) == whole
                return
        finally:
            ws.close()
