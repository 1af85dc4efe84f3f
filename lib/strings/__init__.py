"""Translation tables by area (one module per page family), merged into `lib.i18n.STRINGS`.

Each module defines `STRINGS: dict[str, tuple[str, str]]` (key -> (English, 简体中文)).
Split by area so work on one chapter never edits another chapter's table; a key defined
twice is an error at import time. `ingest_reasons` is the one table of another shape: the
ingest code's English sentences, keyed by themselves (see `lib.i18n.reason_text`).
"""
from __future__ import annotations

import importlib
import pkgutil


def collect() -> dict[str, tuple[str, str]]:
    merged: dict[str, tuple[str, str]] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        table = getattr(importlib.import_module(f"{__name__}.{info.name}"), "STRINGS", {})
        clash = merged.keys() & table.keys()
        if clash:
            raise ValueError(f"translation keys defined twice: {sorted(clash)}")
        merged.update(table)
    return merged
