"""The demo workspace (sample_data/build_demo.py), built once per test process into a private
temporary folder; tests that may write get their own copy (`demo_copy`). One builder for the
whole suite: building it takes ~10 s, so every module sharing it keeps `make test` short."""
from __future__ import annotations

import atexit
import json
import shutil
import tempfile
from functools import cache
from pathlib import Path

from sample_data.build_demo import build_demo


@cache
def demo() -> tuple[Path, dict]:
    """(path of the built master workspace — never write to it, truth.json of its generator)."""
    root = Path(tempfile.mkdtemp(prefix="shoplens-demo-"))
    atexit.register(shutil.rmtree, root, True)
    path = root / "demo.duckdb"
    build_demo(path, exports_dir=root / "exports")  # also builds the KPI fact tables
    truth = json.loads((root / "exports" / "truth.json").read_text(encoding="utf-8"))
    return path, truth


def demo_master() -> Path:
    return demo()[0]


def demo_copy(folder: Path, name: str = "demo") -> Path:
    """A private copy of the demo workspace as `folder/<name>.duckdb`."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{name}.duckdb"
    shutil.copyfile(demo_master(), target)
    return target


def edited_demo_copy(folder: Path, *statements: tuple[str, list[object]], name: str = "demo") -> Path:
    """A private demo copy with `statements` ((SQL, bound values), …) applied in one transaction:
    a name from a file made hostile, a currency renamed, before a page opens it."""
    from lib.workspace import open_workspace

    path = demo_copy(folder, name)
    ws = open_workspace(path, create=False)
    try:
        with ws.transaction() as cur:
            for sql, params in statements:
                cur.execute(sql, params)
    finally:
        ws.close()
    return path
