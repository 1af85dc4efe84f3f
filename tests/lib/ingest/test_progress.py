"""The steps a load reports while it runs (lib/ingest/progress.py; the Data page's progress
bar, RELIABILITY C14): in order, per file, only to the listener of the current context."""
from __future__ import annotations

import io
import json
import threading
import zipfile
from pathlib import Path

import pytest

from lib import imports
from lib.ingest import progress
from lib.ingest.load import ingest_path
from lib.workspace import Workspace
from tests.pages.support import SHOPIFY

HEADER_ONLY = SHOPIFY.splitlines()[0] + "\n"


def _steps(run) -> list[tuple[str, str, float]]:
    seen: list[progress.Step] = []
    with progress.reporting(seen.append):
        run()
    return [(s.key, s.file, s.done) for s in seen]


def test_an_upload_goes_through_every_step_once_in_order(ws: Workspace) -> None:
    steps = _steps(lambda: imports.ingest_upload(ws, "orders.csv", io.BytesIO(SHOPIFY.encode())))
    assert steps == [("save", "orders.csv", 0.0), ("read", "orders.csv", 0.2),
                     ("check", "orders.csv", 0.4), ("write", "orders.csv", 0.6),
                     ("facts", "orders.csv", 0.8)]


def test_each_file_of_an_archive_reports_its_own_steps(ws: Workspace, tmp_path: Path) -> None:
    archive = tmp_path / "exports.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("jan.csv", SHOPIFY)
        z.writestr("feb.csv", SHOPIFY.replace("#100", "#200"))
    steps = _steps(lambda: ingest_path(ws, archive))
    assert [(k, f) for k, f, _ in steps] == [("read", "exports.zip")] + [  # unpacking it
        (k, f"exports.zip › {name}") for name in ("jan.csv", "feb.csv")
        for k in ("read", "check", "write")]


def test_a_refused_file_stops_before_it_writes(ws: Workspace) -> None:
    results: list = []
    steps = _steps(lambda: results.extend(
        imports.ingest_upload(ws, "empty.csv", io.BytesIO(HEADER_ONLY.encode()))))
    assert results[0].status == "refused"
    assert [k for k, _, _ in steps] == ["save", "read"]


def test_a_duplicate_upload_writes_nothing_and_says_so(ws: Workspace) -> None:
    imports.ingest_upload(ws, "orders.csv", io.BytesIO(SHOPIFY.encode()))
    steps = _steps(lambda: imports.ingest_upload(ws, "again.csv", io.BytesIO(SHOPIFY.encode())))
    assert [k for k, _, _ in steps] == ["save"]


def test_without_a_listener_a_step_is_nothing_and_an_unknown_step_is_a_bug() -> None:
    progress.step("read", "x.csv")  # nobody listens: no error, no effect
    with pytest.raises(ValueError, match="unknown ingest step"):
        progress.step("reading", "x.csv")


def test_two_sessions_hear_only_their_own_steps() -> None:
    """Streamlit runs each session's script in its own thread; a ContextVar is per thread."""
    heard: dict[str, list[str]] = {"a": [], "b": []}
    both_listening = threading.Barrier(2)

    def session(name: str) -> None:
        with progress.reporting(lambda s: heard[name].append(s.file)):
            both_listening.wait(10)
            for _ in range(50):
                progress.step("read", f"{name}.csv")

    threads = [threading.Thread(target=session, args=(n,)) for n in heard]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert heard == {"a": ["a.csv"] * 50, "b": ["b.csv"] * 50}


def test_the_cli_says_each_step_on_stderr_when_asked_and_keeps_stdout_clean(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from lib.cli import main

    data = tmp_path / "orders.csv"
    data.write_text(SHOPIFY, encoding="utf-8")
    args = ["ingest", str(data), "--workspace", str(tmp_path / "w.duckdb"), "--json"]
    assert main([*args, "--progress"]) == 0
    out, err = capsys.readouterr()
    assert [line.split(" s  ", 1)[1] for line in err.splitlines()] == [
        "Reading orders.csv", "Checking every row of orders.csv",
        "Writing orders.csv into the workspace"]
    assert all(float(line.split(" s  ")[0]) >= 0 for line in err.splitlines())
    assert json.loads(out)[0]["status"] == "loaded"
    # stderr is not a terminal here: by default nothing is said (scripts and CI logs stay quiet)
    assert main(args) == 0
    out, err = capsys.readouterr()
    assert err == "" and json.loads(out)[0]["status"] == "duplicate"
