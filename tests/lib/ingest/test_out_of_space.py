"""A load that runs out of disk or memory (RELIABILITY E4, E6) is refused like a bad file: a
translated message that says what to do, exit 2 from the CLI, the workspace exactly as it was
and no staged copy left behind. One test fills a real (small tmpfs) disk when the machine lets
us mount one; the others inject the failure where each kind arises."""
from __future__ import annotations

import errno
import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

import lib.ingest.load as load
from lib.cli import main
from lib.i18n import describe_result
from lib.ingest.load import ingest_path
from lib.workspace import Workspace, open_workspace
from tests.conftest import shared_file
from tests.lib.ingest.fixtures import SHOPIFY_ROWS, shopify_file

NO_SPACE = ("orders.csv was not loaded: the disk that holds the workspace is full. Free some "
            "space, or keep the workspaces on a larger disk, and load it again. Nothing was changed.")


# The fixture's orders renumbered: a second export (not a duplicate of the first file).
LATER_ROWS = [[r[0].replace("#100", "#200"), *r[1:]] for r in SHOPIFY_ROWS]


def snapshot(ws: Workspace) -> list[tuple]:
    cur = ws.cursor()
    return [cur.execute(f"SELECT count(*), sum(hash(x)) FROM {t} x").fetchone()
            for t in ("orders", "order_lines", "imports", "rejected_rows")]


def staged_files(ws: Workspace) -> list[str]:
    staging = Path(str(ws.path) + ".staging")
    return sorted(p.name for p in staging.rglob("*") if p.is_file()) if staging.is_dir() else []


def test_no_space_for_the_staged_copy(ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ingest_path(ws, shopify_file(tmp_path, "first.csv"))
    before = snapshot(ws)

    def full(src: Path, dst: Path) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(dst))

    monkeypatch.setattr(load, "_stage_copy", full)
    (r,) = ingest_path(ws, shopify_file(tmp_path, "orders.csv", LATER_ROWS))
    assert (r.status, r.key, r.message) == ("refused", "ingest.no_space", NO_SPACE)
    assert describe_result(r, "zh") == (
        "orders.csv 未载入：工作区所在磁盘已满。请释放空间，或将工作区放在更大的磁盘上，然后重新载入。未做任何更改。")
    assert snapshot(ws) == before


def test_out_of_memory_while_writing_rolls_the_load_back(ws: Workspace, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The second file merges into the first's tables (upsert, inside the transaction): the
    failure comes after the import's first writes, and the rollback undoes them."""
    ingest_path(ws, shopify_file(tmp_path, "first.csv"))
    before = snapshot(ws)
    real_upsert = Workspace.upsert
    calls = []

    def upsert_then_fail(self: Workspace, cur, table, staged, batch_id):  # type: ignore[no-untyped-def]
        calls.append(table)
        if len(calls) == 2:  # the first table is written by then
            raise duckdb.OutOfMemoryException("Out of Memory Error: could not allocate block of size 256 KiB")
        return real_upsert(self, cur, table, staged, batch_id)

    monkeypatch.setattr(Workspace, "upsert", upsert_then_fail)
    (r,) = ingest_path(ws, shopify_file(tmp_path, "more.csv", LATER_ROWS))
    assert len(calls) == 2
    assert (r.status, r.key) == ("refused", "ingest.no_memory")
    assert r.message == ("more.csv was not loaded: the machine ran out of memory. Close other "
                         "programs, or export a shorter period, and load it again. Nothing was changed.")
    assert snapshot(ws) == before and staged_files(ws) == []


def test_python_running_out_of_memory_is_said_too(ws: Workspace, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    def no_memory(*args: object, **kwargs: object) -> None:
        raise MemoryError()

    monkeypatch.setattr(load, "_stage_copy", no_memory)
    (r,) = ingest_path(ws, shopify_file(tmp_path))
    assert (r.status, r.key) == ("refused", "ingest.no_memory")


def test_other_database_errors_are_not_disguised(ws: Workspace, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise duckdb.InternalException("INTERNAL Error: something else")

    monkeypatch.setattr(Workspace, "append", broken)
    with pytest.raises(duckdb.InternalException):
        ingest_path(ws, shopify_file(tmp_path))


def test_the_cli_says_it_and_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    def full(src: Path, dst: Path) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(dst))

    monkeypatch.setattr(load, "_stage_copy", full)
    code = main(["ingest", str(shopify_file(tmp_path)), "--workspace", str(tmp_path / "w.duckdb"), "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 2
    assert (out[0]["status"], out[0]["message"]) == ("refused", NO_SPACE)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 6 MB tmpfs (root and CAP_SYS_ADMIN needed; skipped otherwise)."""
    mount = tmp_path / "small"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", str(mount)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {done.stderr.strip() or done.returncode}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_disk_that_fills_during_the_load(small_disk: Path) -> None:
    """Found this way: the copy fits, the write-ahead log at commit does not ('Failed to commit:
    Could not write file …wal: No space left on device'); the workspace reopens unchanged."""
    first = shared_file("shopify-orders-seezona/orders_export_1.csv")
    second = shared_file("shopify-orders-us-petstore/orders_export_1.csv")
    path = small_disk / "shop.duckdb"
    ws = open_workspace(path)
    try:
        (a,) = ingest_path(ws, first)
        assert a.status == "loaded" and a.orders == 409
        before = snapshot(ws)
        (b,) = ingest_path(ws, second, "orders.csv")
        assert (b.status, b.key, b.message) == ("refused", "ingest.no_space", NO_SPACE)
        assert snapshot(ws) == before and staged_files(ws) == []
    finally:
        ws.close()
    ws = open_workspace(path, create=False)
    try:
        assert snapshot(ws) == before
    finally:
        ws.close()
