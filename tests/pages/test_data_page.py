"""The Data page, driven through the app's router with AppTest (no browser)."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from lib.i18n import STRINGS, t
from lib.workspace import open_workspace
from tests.pages.support import (
    ROOT,
    SHOPIFY,
    SHOPIFY_HEADER,
    count_orders,
    metrics,
    open_page,
    rendered,
    upload,
    widget_key,
)

DATA = "app_pages/data.py"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
UNKNOWN = b"OrderNo,When,Item,Qty,Amount\nA1,2024-02-01,Mug,1,10.00\nA2,2024-02-02,Cup,2,5.50\n"


def test_no_legacy_pages_directory_next_to_the_entry_script() -> None:
    # A `pages/` folder beside app.py puts Streamlit in legacy multipage mode until the first
    # st.navigation call of the process: a first request for /data then skips the sidebar.
    assert not (ROOT / "pages").exists()


def test_a_valid_export_shows_its_rows_loaded_and_order_count(workspaces: Path) -> None:
    at = upload(open_page(DATA), ("orders.csv", SHOPIFY.encode()))
    assert [s.value for s in at.success] == [
        "orders.csv: 4 of 4 rows loaded as Shopify orders export; 3 orders, 4 order lines."]
    assert metrics(at) == {
        "Detected format": "Shopify orders export", "Encoding": "utf-8",
        "Date range": "2024-01-05 – 2024-01-07", "Currency": "USD",
        "Rows read": "4", "Rows loaded": "4", "Rows rejected": "0", "Orders": "3",
        "Order lines": "4",
    }
    preview = at.dataframe[0].value
    assert list(preview.columns) == SHOPIFY_HEADER.split(",")
    assert list(preview["Name"]) == ["#1001", "#1001", "#1002", "#1003"]
    assert at.selectbox(key="undo_pick").options == ["#1 orders.csv (4 rows loaded)"]
    assert at.button(key="undo").label == "Undo import #1 (orders.csv)"
    assert not at.error and not at.exception
    assert count_orders(workspaces) == 3


class _Bar:
    """Stands in for st.progress's element: records what the page sets it to."""

    def __init__(self, log: list[tuple[float, str]]) -> None:
        self.log = log

    def progress(self, value: float, text: str = "") -> None:
        self.log.append((value, text))

    def empty(self) -> None:
        self.log.append((1.0, "(cleared)"))


def test_a_load_says_what_it_is_loading_while_it_runs(workspaces: Path, monkeypatch) -> None:
    """RELIABILITY C14: a big export takes seconds; the page names the file and its size
    while it loads (a spinner), with a bar that moves at each step of the load and is gone
    when it ends; once per new file, not on every rerun."""
    shown: list[str] = []
    bar: list[tuple[float, str]] = []
    real = st.spinner

    def spinner(text: str = "", *args, **kwargs):  # type: ignore[no-untyped-def]
        shown.append(text)
        return real(text, *args, **kwargs)

    monkeypatch.setattr(st, "spinner", spinner)
    monkeypatch.setattr(st, "progress", lambda value, text=None: _Bar(bar))
    at = upload(open_page(DATA), ("my_orders.csv", SHOPIFY.encode()))
    size = f"{len(SHOPIFY.encode()) / 1e6:,.1f}"
    assert shown == [f"Loading my\\_orders.csv ({size} MB): 10 to 20 seconds per million rows. "
                     "Keep this page open."]
    assert bar == [(0.0, "Saving the upload of my\\_orders.csv"),
                   (0.2, "Reading my\\_orders.csv"), (0.4, "Checking every row of my\\_orders.csv"),
                   (0.6, "Writing my\\_orders.csv into the workspace"),
                   (0.8, "Updating the figures the other pages show"), (1.0, "(cleared)")]
    at.run()
    assert len(shown) == 1 and len(bar) == 6 and count_orders(workspaces) == 3


def test_the_quality_report_says_what_the_loaded_data_can_answer(workspaces: Path) -> None:
    """The miniature export: 3 orders of customers a and b, all paid, none with a shipment
    time; 4 product lines with SKUs but no products file (no costs, no stock); no traffic or
    ads; 2024-01-05 to 01-07 = 3 days."""
    at = open_page(DATA)
    assert "What your data can answer" not in [h.value for h in at.header]  # nothing loaded yet
    at = upload(at, ("orders.csv", SHOPIFY.encode()))
    assert "What your data can answer" in [h.value for h in at.header]
    table = next(d.value for d in at.dataframe if "Check" in d.value.columns).set_index("Check")
    shown = {k: tuple(table.loc[k, ["Coverage", "Status"]]) for k in (
        "Orders with a customer", "Orders with a payment time", "Orders with a shipment time",
        "Product lines with a SKU", "Sold lines whose product has a unit cost", "Ad spend",
        "Length of the order history")}
    assert shown == {
        "Orders with a customer": ("3 of 3 orders (100.0%)", "✓ complete"),
        "Orders with a payment time": ("3 of 3 orders (100.0%)", "✓ complete"),
        "Orders with a shipment time": ("0 of 3 orders (0.0%)", "✗ missing"),
        "Product lines with a SKU": ("4 of 4 product lines (100.0%)", "✓ complete"),
        "Sold lines whose product has a unit cost": ("0 of 4 product lines (0.0%)", "✗ missing"),
        "Ad spend": ("none loaded (marketing template)", "✗ missing"),
        "Length of the order history": ("3 days", "✗ missing")}


def test_the_sidebar_date_range_defaults_to_the_loaded_orders(workspaces: Path) -> None:
    at = upload(open_page(DATA), ("orders.csv", SHOPIFY.encode()))
    [dates] = at.date_input
    assert (dates.label, [d.isoformat() for d in dates.value]) == (
        "Order dates", ["2024-01-05", "2024-01-07"])


def test_reruns_do_not_ingest_the_same_upload_again(workspaces: Path) -> None:
    at = upload(open_page(DATA), ("orders.csv", SHOPIFY.encode()))
    at.run()
    at.selectbox(key="lang").set_value("zh").run()
    assert not at.exception
    assert at.selectbox(key="undo_pick").options == ["#1 orders.csv（载入 4 行）"]
    history = at.dataframe[-1].value
    assert len(history) == 1


def test_bad_files_are_refused_by_name_and_change_nothing(workspaces: Path) -> None:
    at = upload(open_page(DATA), ("orders.csv", SHOPIFY.encode()))
    assert count_orders(workspaces) == 3
    at = upload(at, ("orders.csv", SHOPIFY.encode()), ("photo.csv", PNG), ("empty.csv", b""))
    assert [e.value for e in at.error] == [
        "photo.csv was refused: this is a PNG image, not a CSV or XLSX export. Upload the "
        "CSV/XLSX file your platform exported. Nothing was changed.",
        "empty.csv was refused: the file is empty. Export the report again and re-upload it. "
        "Nothing was changed.",
    ]
    assert not at.exception
    assert count_orders(workspaces) == 3


def test_a_zipped_export_loads_each_file_inside(workspaces: Path) -> None:
    """A .zip from the platform (or the user): each file inside is its own load, named
    'archive › file'; a file that cannot load is refused by that name, the rest load."""
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("export/orders.csv", SHOPIFY)
        zf.writestr("export/readme.pdf", b"%PDF-1.4 not an export")
    at = upload(open_page(DATA), ("export.zip", buf.getvalue()))
    assert [s.value for s in at.success] == [
        "export.zip › orders.csv: 4 of 4 rows loaded as Shopify orders export; 3 orders, 4 order lines."]
    assert [e.value for e in at.error] == [
        "export.zip › readme.pdf was refused: this is a PDF document, not a CSV or XLSX export. "
        "Upload the CSV/XLSX file your platform exported. Nothing was changed."]
    assert at.button(key="undo").label == "Undo import #1 (export.zip › orders.csv)"
    assert count_orders(workspaces) == 3


def test_switching_to_chinese_translates_the_page_and_sidebar(workspaces: Path) -> None:
    at = open_page(DATA)
    at.selectbox(key="lang").set_value("zh").run()
    assert not at.exception
    assert at.title[0].value == "数据导入"
    assert at.file_uploader(key="uploader").label == "导出文件（CSV、TSV、TXT 或 XLSX；也可压缩为 ZIP、GZ）"
    assert at.file_uploader(key="uploader").help.startswith("每个文件最大 300 MB。更大的导出文件请先压缩为 zip 或 gz")
    assert at.selectbox(key="workspace").label == "工作区"
    at = upload(at, ("orders.csv", SHOPIFY.encode()))
    assert at.success[0].value == (
        "orders.csv：4 行中有 4 行按“Shopify 订单导出”载入；3 个订单，4 个订单行。")
    assert metrics(at)["载入行数"] == "4"
    assert metrics(at)["订单数"] == "3"
    # A refusal reads in Chinese too: the reason and what to do, not the reader's English.
    bad = SHOPIFY.replace("#1003,a@example.invalid,refunded,2024-01-07 12:00:00 +0000", "#1003,a@example.invalid")
    at = upload(at, ("photo.csv", PNG), ("short.csv", bad.encode()))
    assert [e.value for e in at.error] == [
        "photo.csv 被拒绝：这是一张 PNG 图片，不是 CSV 或 XLSX 导出文件。请上传平台导出的 CSV/XLSX 文件。 未做任何更改。"]
    problems = next(df.value for df in at.dataframe if "原因" in df.value.columns)
    assert list(problems["原因"]) == ["字段太少（应为 21 个）"]


def test_an_unknown_layout_is_mapped_in_a_form_then_loaded(workspaces: Path) -> None:
    at = upload(open_page(DATA), ("till.csv", UNKNOWN))
    assert at.warning[0].value.startswith("till.csv: this layout is not one we know")
    guessed = {s.label: s.value for s in at.selectbox if s.key and "_role_" in s.key}
    assert guessed["Order ID (required)"] == "OrderNo"
    assert guessed["Order date (required)"] == ""  # "When" is not a word we guess from
    assert guessed["Line total"] == "Amount"
    # Submitting without a date column names what is missing, and loads nothing.
    at.button(key=widget_key(at, "button", "_submit")).click().run()
    assert not at.exception
    assert [rendered(e.value) for e in at.error] == [t("mapping.missing", "en", roles="order_date")]
    at.selectbox(key=widget_key(at, "selectbox", "_role_order_date")).set_value("When")
    at.text_input(key=widget_key(at, "text_input", "_default_currency")).set_value("usd")
    at.text_input(key=widget_key(at, "text_input", "_name")).set_value("Till export")
    at.button(key=widget_key(at, "button", "_submit")).click().run()
    assert not at.exception and not at.error
    assert [s.value for s in at.success] == [
        "Mapping saved as “Till export”: files with this layout will load without asking.",
        "till.csv: 2 of 2 rows loaded as Till export; 2 orders, 2 order lines."]
    assert metrics(at)["Currency"] == "USD"
    # The saved template maps the next file of this layout without asking.
    more = b"OrderNo,When,Item,Qty,Amount\nA3,2024-02-03,Bowl,1,7.00\n"
    at = upload(at, ("till.csv", UNKNOWN), ("till-2.csv", more))
    assert not at.warning
    assert at.success[-1].value == "till-2.csv: 1 of 1 rows loaded as Till export; 1 orders, 1 order lines."
    assert count_orders(workspaces) == 3


def test_dates_that_read_both_ways_ask_for_the_date_order_in_the_form(workspaces: Path) -> None:
    """01/02 and 03/04 fit day first and month first: nothing is guessed; the form comes back
    with the reason, and the order chosen there decides (1 February, 3 April)."""
    eu = b"OrderNo,When,Item,Qty,Amount\nA1,01/02/2024,Mug,1,10.00\nA2,03/04/2024,Cup,2,5.50\n"
    at = upload(open_page(DATA), ("eu.csv", eu))
    order = at.selectbox(key=widget_key(at, "selectbox", "_day_first"))
    assert (order.label, order.value) == ("Dates like 01/02/2024 are", None)
    assert order.options == [
        "Decided by the file's dates (refused if they fit both ways)", "Day first: 31/12/2024",
        "Month first: 12/31/2024"]
    at.selectbox(key=widget_key(at, "selectbox", "_role_order_date")).set_value("When")
    at.text_input(key=widget_key(at, "text_input", "_default_currency")).set_value("EUR")
    at.button(key=widget_key(at, "button", "_submit")).click().run()
    assert not at.exception and not at.success
    assert [rendered(w.value) for w in at.warning] == [
        "eu.csv was refused: its dates (like 01/02/2024) read as day first or month first, and none of "
        "them tells which. Say how the dates are written in the mapping (Data page: the date order; "
        "a mapping file: \"day_first\": true or false). Nothing was changed."]
    assert count_orders(workspaces) == 0
    at.selectbox(key=widget_key(at, "selectbox", "_day_first")).set_value(True)
    at.button(key=widget_key(at, "button", "_submit")).click().run()
    assert not at.exception and not at.warning
    assert at.success[-1].value == "eu.csv: 2 of 2 rows loaded as Custom layout; 2 orders, 2 order lines."
    assert metrics(at)["Date range"] == "2024-02-01 – 2024-04-03"


def test_the_shop_time_zone_is_set_on_the_data_page_and_read_by_mapped_files(workspaces: Path) -> None:
    at = open_page(DATA)
    zone = at.selectbox(key="timezone_default.duckdb")
    assert (zone.label, zone.value, zone.options[0]) == ("Shop time zone", "UTC", "UTC")
    assert not [b for b in at.button if b.key == "timezone_save"]  # nothing to save yet
    zone.set_value("Asia/Shanghai").run()
    at.button(key="timezone_save").click().run()
    assert not at.exception
    assert at.success[0].value == "The workspace's time zone is now Asia/Shanghai."
    naive = b"OrderNo,When,Item,Qty,Amount\nA1,2024-03-10 01:59:00,Mug,1,10.00\n"
    at = upload(at, ("till.csv", naive))
    at.selectbox(key=widget_key(at, "selectbox", "_role_order_date")).set_value("When")
    at.text_input(key=widget_key(at, "text_input", "_default_currency")).set_value("CNY")
    at.button(key=widget_key(at, "button", "_submit")).click().run()
    assert not at.exception and at.success
    st.cache_resource.clear()
    ws = open_workspace(workspaces / "default.duckdb", create=False)
    try:  # 01:59 in Shanghai is 17:59 UTC the day before
        assert ws.timezone == "Asia/Shanghai"
        assert ws.cursor().execute("SELECT epoch(created_at) FROM orders").fetchone() == (1710007140.0,)
    finally:
        ws.close()


def test_title_lines_above_the_header_are_skipped_after_confirmation(workspaces: Path) -> None:
    titled = ("Store report\nExported 2024-02-01\n" + SHOPIFY).encode()
    at = upload(open_page(DATA), ("titled.csv", titled))
    assert at.error[0].value == (
        "titled.csv: the header is on line 3; the 2 line(s) above it look like a title. "
        "Skip them, or delete them and upload again. Nothing was changed.")
    assert count_orders(workspaces) == 0
    [skip] = [b for b in at.button if b.key and b.key.startswith("skip_")]
    assert skip.label == "Skip the first 2 line(s) and load"
    skip.click().run()
    assert not at.exception and not at.error
    assert at.success[0].value.startswith("titled.csv: 4 of 4 rows loaded")
    assert count_orders(workspaces) == 3


def test_rejected_rows_are_listed_and_offered_as_csv(workspaces: Path) -> None:
    bad = SHOPIFY.replace("#1002,b@example.invalid,paid,2024-01-06 09:00:00 +0000,fulfilled,,USD,"
                          "20.00,0.00,0.00,18.00,SAVE2,2.00,2024-01-06 09:00:00 +0000,1,",
                          "#1002,b@example.invalid,paid,2024-01-06 09:00:00 +0000,fulfilled,,USD,"
                          "20.00,0.00,0.00,18.00,SAVE2,2.00,2024-01-06 09:00:00 +0000,abc,")
    at = upload(open_page(DATA), ("orders.csv", bad.encode()))
    assert metrics(at)["Rows rejected"] == "1"
    assert metrics(at)["Orders"] == "2"
    problems = at.dataframe[1].value
    assert problems.to_dict("records") == [
        {"Line": 4, "Column": "Lineitem quantity", "Value": "abc", "Reason": "not a number"}]
    [download] = at.get("download_button")
    assert download.proto.label == "Download rejected rows (CSV)"


def test_undo_removes_the_import_and_says_so(workspaces: Path) -> None:
    at = upload(open_page(DATA), ("orders.csv", SHOPIFY.encode()))
    at.button(key="undo").click().run()
    assert not at.exception
    assert at.success[0].value == "Import #1 was undone."
    assert "Import #1 has since been undone." in [i.value for i in at.info]
    assert not [w for w in [*at.button, *at.selectbox] if w.key in ("undo", "undo_pick")]
    assert list(at.dataframe[-1].value["Status"]) == ["undone"]
    assert count_orders(workspaces) == 0


def test_one_picker_undoes_the_chosen_import_of_several(workspaces: Path) -> None:
    """A button per import grew a column of them (the demo has eleven): one picker, newest
    first, and one button that names what it undoes."""
    later = SHOPIFY.replace("#100", "#200")  # three other orders, another file
    at = upload(open_page(DATA), ("orders.csv", SHOPIFY.encode()), ("more.csv", later.encode()))
    assert count_orders(workspaces) == 6
    pick = at.selectbox(key="undo_pick")
    assert pick.options == ["#2 more.csv (4 rows loaded)", "#1 orders.csv (4 rows loaded)"]
    assert at.button(key="undo").label == "Undo import #2 (more.csv)"
    pick.set_value(1).run()
    assert at.button(key="undo").label == "Undo import #1 (orders.csv)"
    at.button(key="undo").click().run()
    assert not at.exception
    assert count_orders(workspaces) == 3  # more.csv's orders stay
    assert list(at.dataframe[-1].value["Status"]) == ["loaded", "undone"]
    assert at.selectbox(key="undo_pick").options == ["#2 more.csv (4 rows loaded)"]


def test_the_same_file_in_a_new_session_is_a_duplicate(workspaces: Path) -> None:
    upload(open_page(DATA), ("orders.csv", SHOPIFY.encode()))
    at = upload(open_page(DATA), ("copy.csv", SHOPIFY.encode()))
    assert [i.value for i in at.info] == [
        "copy.csv was already loaded as import #1; nothing changed. Undo that import first to "
        "load it again."]
    assert count_orders(workspaces) == 3


def test_a_new_workspace_is_created_by_name_never_by_path(workspaces: Path) -> None:
    at = open_page(DATA)
    at.text_input(key="new_workspace").set_value("../escape")
    at.button(key="create_workspace").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [t("sidebar.bad_name", "en", name="../escape")]
    assert not (workspaces.parent / "escape.duckdb").exists()
    at.text_input(key="new_workspace").set_value("client-b")
    at.button(key="create_workspace").click().run()
    assert not at.exception and not at.error
    assert at.selectbox(key="workspace").value == "client-b"
    assert at.selectbox(key="workspace").options == ["client-b", "default"]
    upload(at, ("orders.csv", SHOPIFY.encode()))
    assert count_orders(workspaces, "client-b") == 3
    assert count_orders(workspaces, "default") == 0


def test_every_page_of_the_router_renders_in_both_languages(workspaces: Path) -> None:
    pages = sorted(p.name for p in (ROOT / "app_pages").glob("*.py"))
    for lang in ("en", "zh"):
        for name in pages:
            at = open_page(f"app_pages/{name}")
            at.selectbox(key="lang").set_value(lang).run()
            assert not at.exception, name
            chapter = {"data.py": "data", "overview.py": "overview"}.get(name, name[:-3])
            assert at.title[0].value == STRINGS[f"nav.{chapter}"][lang == "zh"]
