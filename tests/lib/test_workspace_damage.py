"""RELIABILITY E3 (a damaged write-ahead log) and E1 (staged copies a killed load leaves)."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from lib.cli import main as cli_main
from lib.errors import WalDamagedError, WorkspaceError
from lib.i18n import describe_error
from lib.ingest.load import ingest_path
from lib.workspace import open_workspace, private_tempfile, remove_stale_staged, set_aside_wal
from tests.conftest import ROOT
from tests.lib.ingest.fixtures import shopify_file

# The Shopify fixture: orders #1001 (28.84) and #1002 (21.00).
ORDERS, TOTAL = 2, "49.84"


def _run_child(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def _orders(ws_path: Path) -> tuple[int, str]:
    ws = open_workspace(ws_path, create=False)
    try:
        n, total = ws.cursor().execute("SELECT count(*), sum(total) FROM orders").fetchone()
        return int(n), str(total)
    finally:
        ws.close()


# -- E3 --------------------------------------------------------------------------------------
# After the import (which ends with a CHECKPOINT) the child deletes every order and writes
# ~100 kB of settings, then dies: all of that is only in the write-ahead log.
_UNSAVED_CHANGES = r'''
import os, signal, sys
from lib.workspace import open_workspace
ws = open_workspace(sys.argv[1])
cur = ws.cursor()
cur.execute("SET checkpoint_threshold = '1TB'")
cur.execute("DELETE FROM orders")
for i in range(200):
    cur.execute("INSERT INTO meta VALUES (?, ?)", [f"unsaved{i}", "x" * 500])
os.kill(os.getpid(), signal.SIGKILL)
'''


@pytest.fixture
def damaged_wal(tmp_path: Path) -> tuple[Path, bytes]:
    ws_path = tmp_path / "shop.duckdb"
    ws = open_workspace(ws_path)
    ingest_path(ws, shopify_file(tmp_path))
    ws.close()
    child = _run_child(_UNSAVED_CHANGES, str(ws_path))
    assert child.returncode == -signal.SIGKILL, child.stderr
    wal = tmp_path / "shop.duckdb.wal"
    data = bytearray(wal.read_bytes())
    assert len(data) > 100_000  # the unsaved changes are all in the log
    mid = len(data) // 2
    data[mid:mid + 64] = bytes(b ^ 0xFF for b in data[mid:mid + 64])
    wal.write_bytes(bytes(data))
    return ws_path, bytes(data)


def test_e3_a_damaged_wal_is_a_translated_error_and_the_log_is_left_alone(
        damaged_wal: tuple[Path, bytes]) -> None:
    ws_path, damaged = damaged_wal
    with pytest.raises(WalDamagedError) as err:
        open_workspace(ws_path)
    assert err.value.key == "error.wal_damaged" and err.value.params == {"workspace": "shop.duckdb"}
    assert isinstance(err.value, WorkspaceError)
    en, zh = describe_error(err.value, "en"), describe_error(err.value, "zh")
    for text in (en, zh):
        assert "shop.duckdb" in text and "python -m lib.cli recover-wal --workspace" in text
        assert str(ws_path.parent) not in text  # no server path on the page
    assert en.startswith("Workspace shop.duckdb cannot be opened: its recovery log")
    assert zh.startswith("无法打开工作区 shop.duckdb：其恢复日志")
    # Without the explicit recovery nothing is renamed, deleted or rewritten.
    assert sorted(p.name for p in ws_path.parent.iterdir() if p.name.startswith("shop")) == [
        "shop.duckdb", "shop.duckdb.staging", "shop.duckdb.wal"]
    assert (ws_path.parent / "shop.duckdb.wal").read_bytes() == damaged


def test_e3_the_cli_exits_2_with_the_message(damaged_wal: tuple[Path, bytes],
                                             capsys: pytest.CaptureFixture[str]) -> None:
    ws_path, _ = damaged_wal
    assert cli_main(["kpis", "--workspace", str(ws_path), "--json"]) == 2
    out = capsys.readouterr()
    assert out.out == ""
    assert out.err == f"error: {WalDamagedError(ws_path)}\n"


def test_e3_recovery_moves_the_log_aside_and_opens_as_last_saved(
        damaged_wal: tuple[Path, bytes], capsys: pytest.CaptureFixture[str]) -> None:
    ws_path, damaged = damaged_wal
    assert cli_main(["recover-wal", "--workspace", str(ws_path)]) == 0
    moved = [p for p in ws_path.parent.iterdir() if p.name.startswith("shop.duckdb.wal.damaged-")]
    assert len(moved) == 1
    assert re.fullmatch(r"shop\.duckdb\.wal\.damaged-\d{8}T\d{6}Z", moved[0].name)
    assert moved[0].read_bytes() == damaged  # kept whole, for whoever wants to look at it
    assert capsys.readouterr().out == (
        "Workspace shop.duckdb was opened as last saved; changes made after that could not be "
        f"read. The damaged recovery log was kept as {moved[0]}.\n")
    # As of the import's checkpoint: the orders the killed child deleted are there, its
    # settings are not.
    assert _orders(ws_path) == (ORDERS, TOTAL)
    ws = open_workspace(ws_path, create=False)
    try:
        assert ws.wal_set_aside is None  # an ordinary open now
        assert ws.meta("unsaved0") is None
    finally:
        ws.close()
    # Run again on a sound workspace: nothing moves.
    assert cli_main(["recover-wal", "--workspace", str(ws_path)]) == 0
    assert "nothing was moved" in capsys.readouterr().out
    assert [p for p in ws_path.parent.iterdir() if ".damaged-" in p.name] == moved


def test_e3_setting_a_log_aside_never_overwrites_an_earlier_one(tmp_path: Path) -> None:
    ws_path = tmp_path / "w.duckdb"
    wal = tmp_path / "w.duckdb.wal"
    wal.write_bytes(b"first")
    first = set_aside_wal(ws_path)
    wal.write_bytes(b"second")
    second = set_aside_wal(ws_path)  # within the same second, usually
    assert first != second and not wal.exists()
    assert (first.read_bytes(), second.read_bytes()) == (b"first", b"second")


# -- E1 --------------------------------------------------------------------------------------
# A real load, killed after it staged its copy of the upload (when it starts reading it).
_KILLED_LOAD = r'''
import os, signal, sys
import lib.ingest.load as load
from lib.workspace import open_workspace
load._read_csv = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)
load.ingest_path(open_workspace(sys.argv[1]), sys.argv[2])
'''


def _staged(ws_path: Path) -> list[Path]:
    return sorted(p for p in (ws_path.parent / (ws_path.name + ".staging")).iterdir() if p.is_file())


def test_e1_a_killed_loads_staged_copy_is_removed_on_the_next_open(tmp_path: Path) -> None:
    ws_path = tmp_path / "shop.duckdb"
    upload = shopify_file(tmp_path)
    left: list[Path] = []
    for _ in range(2):
        child = _run_child(_KILLED_LOAD, str(ws_path), str(upload))
        assert child.returncode == -signal.SIGKILL, child.stderr
        # One copy: the one this child staged; the previous child's went when it opened.
        [copy] = _staged(ws_path)
        assert re.fullmatch(r"tmp\w+\.csv", copy.name) and copy not in left
        assert copy.read_bytes() == upload.read_bytes()
        left.append(copy)
    ws = open_workspace(ws_path)
    try:
        assert _staged(ws_path) == []
        assert upload.read_bytes()  # the upload itself is untouched (the copy may be a link)
        [result] = ingest_path(ws, upload)
        assert result.status == "loaded"
    finally:
        ws.close()
    assert _orders(ws_path) == (ORDERS, TOTAL)
    assert _staged(ws_path) == []


_LOAD_IN_PROGRESS = r'''
import sys
from lib.workspace import open_workspace, private_tempfile
ws = open_workspace(sys.argv[1])
with private_tempfile(ws, ".csv") as staged:
    staged.write_text("still loading")
    print(staged, flush=True)
    sys.stdin.readline()
ws.close()
'''


def test_e1_a_file_another_program_is_loading_is_not_touched(tmp_path: Path) -> None:
    ws_path = tmp_path / "shop.duckdb"
    child = subprocess.Popen([sys.executable, "-c", _LOAD_IN_PROGRESS, str(ws_path)], cwd=ROOT,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None and child.stdin is not None
        staged = Path(child.stdout.readline().strip())
        with pytest.raises(WorkspaceError) as busy:
            open_workspace(ws_path)
        assert busy.value.key == "error.workspace_busy"
        assert staged.read_text() == "still loading"
        child.stdin.write("\n")
        child.stdin.flush()
        assert child.wait(timeout=60) == 0
    finally:
        if child.poll() is None:
            child.kill()
    assert not staged.exists()  # its own load removed it


def test_e1_a_file_a_load_in_this_process_is_using_is_not_touched(tmp_path: Path) -> None:
    ws = open_workspace(tmp_path / "shop.duckdb")
    try:
        stale = ws.staging / "tmpstale.csv"
        stale.write_text("left by a killed load")
        spill = ws.staging / "tmp" / "left_to_duckdb.tmp"  # DuckDB's own spill directory
        spill.parent.mkdir(exist_ok=True)
        spill.write_text("duckdb's")
        with private_tempfile(ws, ".csv") as live:
            live.write_text("still loading")
            assert remove_stale_staged(ws.staging) == [stale]
            assert live.read_text() == "still loading" and spill.exists() and not stale.exists()
        assert not live.exists()
    finally:
        ws.close()
