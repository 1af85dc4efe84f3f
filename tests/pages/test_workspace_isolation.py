"""Two sessions, two workspaces, one server process (RELIABILITY L1, G2; issue: nothing from one
workspace is ever visible in another). Streamlit's caches are process-wide, and every cached
page result here is keyed by the workspace's path: interleaved reruns of sessions A and B on
the same pages must each show only their own shop."""
from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from lib.ingest.load import ingest_path
from lib.workspace import open_workspace
from tests.pages.support import SHOPIFY, metrics, open_page

# Shop A: the hand-computed sample. Shop B: the same orders, dates, currency and row counts
# (so the same filters, and the same data version), but 2 Widgets at 25.00 instead of 15.00:
# gross 70 → 90, net 58 → 78. Only the workspace's path tells their cached results apart.
SHOP_B = SHOPIFY.replace("#100", "#700").replace(",2,Widget,15.00,", ",2,Widget,25.00,")


def fingerprint(at: AppTest, page: str) -> object:
    """What tells shop A from shop B on each page."""
    if page == "overview":
        return metrics(at)["Gross sales"]
    if page == "customers":  # the segment table's net sales
        return float(at.dataframe[0].value["Net sales"].sum())
    if page == "products":   # the ABC table's gross sales
        return float(at.dataframe[0].value["Gross sales"].sum())
    (history,) = [d.value for d in at.dataframe if "File" in d.value.columns]  # Data: imports
    return history["File"].tolist()


EXPECTED = {
    "A": {"overview": "USD 70.00", "customers": 58.0, "products": 70.0, "data": ["a_orders.csv"]},
    "B": {"overview": "USD 90.00", "customers": 78.0, "products": 90.0, "data": ["b_orders.csv"]},
}
PAGES = ("overview", "customers", "products", "data")


def make_shop(folder: Path, name: str, file_name: str, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    source = folder.parent / file_name
    source.write_text(text, encoding="utf-8")
    ws = open_workspace(folder / f"{name}.duckdb")
    try:
        (result,) = ingest_path(ws, source)
        assert result.status == "loaded"
    finally:
        ws.close()


def session(name: str) -> AppTest:
    at = open_page("app_pages/overview.py")
    at.sidebar.selectbox(key="workspace").set_value(name).run()
    assert not at.exception
    return at


def test_interleaved_sessions_each_see_only_their_own_workspace(workspaces: Path) -> None:
    make_shop(workspaces, "shop-a", "a_orders.csv", SHOPIFY)
    make_shop(workspaces, "shop-b", "b_orders.csv", SHOP_B)
    a, b = session("shop-a"), session("shop-b")
    for _ in range(2):
        for page in PAGES:
            for at, shop in ((a, "A"), (b, "B")):
                at.switch_page(f"app_pages/{page}.py")
                at.run()
                assert not at.exception and not at.error, (page, shop)
                assert fingerprint(at, page) == EXPECTED[shop][page], (page, shop)
    # A switches to B's workspace and sees B's figures; B is untouched by it.
    a.sidebar.selectbox(key="workspace").set_value("shop-b").run()
    for at in (a, b):
        at.switch_page("app_pages/overview.py")
        at.run()
        assert fingerprint(at, "overview") == EXPECTED["B"]["overview"]
    assert b.sidebar.selectbox(key="workspace").value == "shop-b"
