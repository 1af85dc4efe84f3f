"""lib/ is plain Python: no module under it may import Streamlit (directly or dynamically)."""
from __future__ import annotations

import ast
from pathlib import Path

LIB = Path(__file__).resolve().parents[1] / "lib"


def streamlit_imports(source: str) -> list[int]:
    """Line numbers of every import of streamlit (or a submodule) in `source`."""
    hits = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            if any(a.name == "streamlit" or a.name.startswith("streamlit.") for a in node.names):
                hits.append(node.lineno)
        elif isinstance(node, ast.ImportFrom):
            mod = node.module or ""
            if node.level == 0 and (mod == "streamlit" or mod.startswith("streamlit.")):
                hits.append(node.lineno)
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            first = node.args[0]
            if (name in ("import_module", "__import__") and isinstance(first, ast.Constant)
                    and isinstance(first.value, str) and first.value.split(".")[0] == "streamlit"):
                hits.append(node.lineno)
    return hits


def test_detector_finds_every_import_form() -> None:
    src = ("import streamlit as st\nfrom streamlit.testing.v1 import AppTest\n"
           "import importlib\nimportlib.import_module('streamlit')\nimport streamlitx\n"
           "from streamlit_extras import x\n")
    assert streamlit_imports(src) == [1, 2, 4]


def test_lib_never_imports_streamlit() -> None:
    files = sorted(LIB.rglob("*.py"))
    assert files, f"no Python files under {LIB}"
    offenders = {
        str(p.relative_to(LIB.parent)): lines
        for p in files
        if (lines := streamlit_imports(p.read_text(encoding="utf-8")))
    }
    assert offenders == {}, f"lib/ must not import streamlit (file: lines): {offenders}"
