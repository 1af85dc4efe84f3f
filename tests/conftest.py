"""Shared fixtures: fresh workspaces, and the real exports in ../shared/data (skipped if absent)."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from lib.workspace import Workspace, open_workspace

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    w = open_workspace(tmp_path / "test.duckdb")
    yield w
    w.close()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real exports not available: {SHARED_DATA} is missing")
    return SHARED_DATA


def shared_file(relative: str) -> Path:
    """A file under ../shared/data, or skip the test with the reason."""
    path = SHARED_DATA / relative
    if not path.is_file():
        pytest.skip(f"real export not available: {path} is missing")
    return path


@pytest.fixture
def demo_ws(tmp_path: Path) -> Iterator[Workspace]:
    """A private, writable copy of the demo workspace (built once per run, tests/demo_store.py)."""
    from tests.demo_store import demo_copy

    w = open_workspace(demo_copy(tmp_path))
    yield w
    w.close()


@pytest.fixture(scope="session")
def truth() -> dict:
    """The demo generator's ground truth (truth.json)."""
    from tests.demo_store import demo

    return demo()[1]


@pytest.fixture(scope="session")
def uci(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    """UCI Online Retail (the CSV) loaded once per run into a read-mostly workspace."""
    from lib.ingest.load import ingest_path

    path = shared_file("online-retail-uci/online_retail.csv")
    w = open_workspace(tmp_path_factory.mktemp("uci") / "uci.duckdb")
    [res] = ingest_path(w, path)
    assert res.status == "loaded"
    yield w
    w.close()
