"""Shared AppTest steps and fixtures' data for the page tests (fixtures live in conftest.py)."""
from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit.testing.v1 import AppTest

from lib.workspace import open_workspace

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"

# A Shopify orders export in miniature. Line 3 continues order #1001 (Shopify leaves the order
# fields empty there). Hand-computed: 3 orders, 4 lines; gross 2×15 + 10 + 20 + 10 = 70.00;
# discounts 2.00; refunds 10.00; net 58.00; order total 45 + 18 + 10 = 73.00;
# AOV (70 − 2) / 3 = 22.67; customers 2 (a, b), of whom a ordered twice: repeat rate 50 %.
SHOPIFY = """\
Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Currency,Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Cancelled at,Refunded Amount,Vendor
#1001,a@example.invalid,paid,2024-01-05 10:00:00 +0000,fulfilled,,USD,40.00,5.00,0.00,45.00,,0.00,2024-01-05 10:00:00 +0000,2,Widget,15.00,W-1,,0.00,Acme
#1001,,,,,,,,,,,,,,1,Gadget,10.00,G-1,,,Acme
#1002,b@example.invalid,paid,2024-01-06 09:00:00 +0000,fulfilled,,USD,20.00,0.00,0.00,18.00,SAVE2,2.00,2024-01-06 09:00:00 +0000,1,Widget,20.00,W-1,,0.00,Acme
#1003,a@example.invalid,refunded,2024-01-07 12:00:00 +0000,,,USD,10.00,0.00,0.00,10.00,,0.00,2024-01-07 12:00:00 +0000,1,Gadget,10.00,G-1,,10.00,Acme
"""
SHOPIFY_HEADER = SHOPIFY.splitlines()[0]


_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


def rendered(markdown: str) -> str:
    """A markdown element's text as the browser shows it: backslash escapes removed (names
    from files are escaped, lib.i18n.markdown_literal; test_browser_upload checks the browser)."""
    return _ESCAPED.sub(r"\1", markdown)


def open_page(page: str) -> AppTest:
    """Run the app once (the router registers its pages), then switch to `page`."""
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.run()
    assert not at.exception
    at.switch_page(page)
    at.run()
    assert not at.exception
    return at


def upload(at: AppTest, *files: tuple[str, bytes]) -> AppTest:
    """Put these files in the Data page's uploader and rerun."""
    at.file_uploader(key="uploader").set_value([(n, b, "text/csv") for n, b in files]).run()
    assert not at.exception
    return at


def count_orders(folder: Path, name: str = "default") -> int:
    """Orders in a workspace, read through lib (the app's cached connection is closed first)."""
    st.cache_resource.clear()
    ws = open_workspace(folder / f"{name}.duckdb", create=False)
    try:
        row = ws.cursor().execute("SELECT count(*) FROM orders").fetchone()
        return int(row[0]) if row else 0
    finally:
        ws.close()


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def widget_key(at: AppTest, kind: str, suffix: str) -> str:
    """The one key of a `kind` widget ending in `suffix` (page keys carry a file hash)."""
    keys = [w.key for w in getattr(at, kind) if w.key and w.key.endswith(suffix)]
    assert len(keys) == 1, (suffix, keys)
    return keys[0]


# -- tables as the browser writes them ------------------------------------------------------------
_PRINTF = re.compile(r"^(?P<pre>.*?)%(?P<flags>[+,]*)(?:\.(?P<places>\d+))?(?P<type>[df])(?P<post>.*)$")


def _printf(fmt: str, value: float) -> str:
    """The subset of printf our column formats use: literal text, '%,d' or '%,.Nf' (with '+'
    for a sign), '%%'."""
    m = _PRINTF.match(fmt.replace("%%", "\0"))
    assert m, f"unexpected column format {fmt!r}"
    places = 0 if m["type"] == "d" else int(m["places"] or 6)
    sign, sep = ("+" if "+" in m["flags"] else ""), ("," if "," in m["flags"] else "")
    number = f"{value:{sign}{sep}.{places}f}"
    return (m["pre"] + number + m["post"]).replace("\0", "%")


def shown(element) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    """An AppTest dataframe's cells as the page writes them: each number through its column's
    format (from the element's column configuration), a missing value as the placeholder."""
    config = json.loads(element.proto.columns or "{}")
    placeholder = element.proto.placeholder or "None"
    frame = element.value
    out = {}
    for c in frame.columns:
        fmt = config.get(str(c), {}).get("type_config", {}).get("format")
        out[c] = [placeholder if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA
                  else _printf(fmt, float(v)) if fmt else str(v) for v in frame[c]]
    return pd.DataFrame(out, columns=frame.columns, index=frame.index)


def shown_table_with(at: AppTest, header: str) -> pd.DataFrame:
    """The first table on the page with a column `header`, as the page writes it."""
    found = [d for d in at.dataframe if header in d.value.columns]
    assert found, (header, [list(d.value.columns) for d in at.dataframe])
    return shown(found[0])


def capture_downloads(monkeypatch) -> dict[str, Callable[[], bytes]]:  # type: ignore[no-untyped-def]
    """Every download button the app draws from now on, by file name: calling the entry gives
    the bytes the browser would receive (a deferred download's callable runs then, as on click)."""
    from streamlit.runtime.media_file_manager import MediaFileManager

    seen: dict[str, Callable[[], bytes]] = {}
    add, add_deferred = MediaFileManager.add, MediaFileManager.add_deferred

    def spy_add(self, data, mimetype, coordinates, file_name=None, is_for_static_download=False):  # type: ignore[no-untyped-def]
        seen[file_name] = lambda: data
        return add(self, data, mimetype, coordinates, file_name, is_for_static_download)

    def spy_deferred(self, data_callable, mimetype, coordinates, file_name=None, **kw):  # type: ignore[no-untyped-def]
        seen[file_name] = data_callable
        return add_deferred(self, data_callable, mimetype, coordinates, file_name, **kw)

    monkeypatch.setattr(MediaFileManager, "add", spy_add)
    monkeypatch.setattr(MediaFileManager, "add_deferred", spy_deferred)
    return seen
