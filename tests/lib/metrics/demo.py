"""The demo workspace (sample_data/build_demo.py), built once per test process into a private
temporary folder, and copied for each test that may write to it (the fact tables are built in
the master copy first, so copies start warm)."""
from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

from lib.metrics.engine import compute
from lib.workspace import open_workspace
from sample_data.build_demo import build_demo

_master: Path | None = None


def demo_master() -> Path:
    """The path of the built demo workspace (do not write to it; use `demo_copy`)."""
    global _master
    if _master is None:
        folder = Path(tempfile.mkdtemp(prefix="shoplens-demo-"))
        atexit.register(shutil.rmtree, folder, True)
        path = folder / "demo.duckdb"
        build_demo(path, exports_dir=folder / "exports")
        ws = open_workspace(path)
        try:
            compute(ws, metrics=["orders"])  # builds the fact tables once
        finally:
            ws.close()
        _master = path
    return _master


def demo_copy(folder: Path, name: str = "demo") -> Path:
    """A private copy of the demo workspace as `folder/<name>.duckdb`."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{name}.duckdb"
    shutil.copyfile(demo_master(), target)
    return target
