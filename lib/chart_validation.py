"""Altair's JSON-schema validation of a finished chart, switched off where the app draws one.

`chart.to_dict()` checks the whole Vega-Lite spec against the schema with `jsonschema`, in
Python: about 12 ms a chart here, four fifths of what `st.altair_chart` costs, on every rerun
(the Overview draws 20 charts: 0.25 s of its rerun). Streamlit converts charts under one lock
shared by every session, so a team's sessions waited on each other's validation in turn.
Inside `unvalidated()` that check is skipped, in this thread only; everywhere else Altair
validates as before. The specs the pages draw are validated in the tests instead
(tests/pages/test_charts_valid.py checks every chart of every page against the schema).
An Altair maintainer does the same in production (vega/altair#3545)."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from altair.utils.schemapi import SchemaBase

_local = threading.local()
_validate = SchemaBase.validate.__func__  # type: ignore[attr-defined]  # the classmethod's function


def _validate_unless_drawing(cls: type[SchemaBase], instance: Any, schema: Any = None) -> None:
    if getattr(_local, "skip", False):
        return None
    return _validate(cls, instance, schema)


SchemaBase.validate = classmethod(_validate_unless_drawing)  # type: ignore[method-assign,assignment]


@contextmanager
def unvalidated() -> Iterator[None]:
    """Skip Altair's schema validation in this thread for the duration (nests)."""
    before = getattr(_local, "skip", False)
    _local.skip = True
    try:
        yield
    finally:
        _local.skip = before
