"""A real browser uploads a real Shopify export through the real <input type=file>.

Starts `streamlit run app.py` on a free loopback port with a private workspace folder, drives
Debian's /usr/bin/chromium with Playwright (never `playwright install`), and waits for real
elements, never for a timer.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from lib.workspace import open_workspace
from tests.conftest import ROOT, SHARED_DATA

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.e2e

CHROMIUM = Path("/usr/bin/chromium")
EXPORT = SHARED_DATA / "shopify-orders-us-petstore" / "orders_export_1.csv"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_healthy(base: str, proc: subprocess.Popen[bytes], log: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"streamlit exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)  # polling interval for the health endpoint, not a wait for the UI
    pytest.fail(f"streamlit did not become healthy in {timeout} s:\n{log.read_text()[-3000:]}")


@contextmanager
def chromium_page(*, args: Sequence[str] = (), **options: object) -> Iterator[Page]:
    """A page of Debian's headless Chromium through Playwright (never a downloaded browser),
    launched with `args` besides the usual ones; the test is skipped with the reason when the
    browser is not installed."""
    if not CHROMIUM.is_file():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                     args=[*CHROMIUM_ARGS, *args])
        try:
            yield browser.new_page(**options)
        finally:
            browser.close()


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    """Stop a server this test started in its own process group (by its id), if still running."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


Server = tuple[str, Path, Callable[[], None]]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    """(base URL, workspace folder, stop) of a private `streamlit run app.py`, always stopped."""
    port = _free_port()
    folder = tmp_path / "workspaces"
    log = tmp_path / "streamlit.log"
    env = {**os.environ, "SHOPLENS_WORKSPACES": str(folder)}
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
             "--server.port", str(port), "--server.address", "127.0.0.1",
             "--server.headless", "true"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"

    def stop() -> None:
        stop_server(proc)

    try:
        _wait_healthy(base, proc, log)
        yield base, folder, stop
    finally:
        stop()


def upload_on_data_page(page, base: str, path: Path) -> str:
    """Put `path` in the Data page's file input; the first success message, once shown."""
    page.goto(f"{base}/data")
    page.locator("input[type=file]").set_input_files(str(path))
    message = page.locator('[data-testid="stAlertContentSuccess"]').first
    message.wait_for(timeout=45_000)
    return message.inner_text()


@pytest.mark.timeout(90)
def test_uploading_the_real_shopify_export_shows_its_3885_orders(server: Server) -> None:
    if not EXPORT.is_file():
        pytest.skip(f"real export not available: {EXPORT} is missing")
    base, folder, stop = server
    with chromium_page() as page:
        page.goto(f"{base}/data")  # a first request straight to /data gets the full frame
        page.get_by_role("heading", name="Data").first.wait_for(timeout=30_000)
        page.locator('[data-testid="stSidebar"]').get_by_text("Workspace", exact=True).wait_for()
        page.locator("input[type=file]").set_input_files(str(EXPORT))
        page.get_by_text("3,885 orders").first.wait_for(timeout=45_000)
        message = page.locator('[data-testid="stAlertContentSuccess"]').first.inner_text()
        assert message == ("orders_export_1.csv: 5,121 of 5,121 rows loaded as Shopify "
                           "orders export; 3,885 orders, 5,121 order lines.")
        orders = page.locator('[data-testid="stMetric"]').filter(
            has=page.get_by_text("Orders", exact=True))
        assert orders.locator('[data-testid="stMetricValue"]').inner_text() == "3,885"
        # After the load the sidebar offers the export's own date range.
        page.locator('[data-testid="stSidebar"]').get_by_text("Order dates").wait_for()
    stop()  # the server holds the workspace file's lock
    ws = open_workspace(folder / "default.duckdb", create=False)
    try:
        assert ws.cursor().execute("SELECT count(*) FROM orders").fetchone() == (3885,)
    finally:
        ws.close()


@pytest.mark.timeout(90)
def test_rejected_rows_download_is_a_guarded_csv(server: Server, tmp_path: Path) -> None:
    from tests.pages.support import SHOPIFY

    bad = tmp_path / "bad.csv"
    bad.write_text(SHOPIFY.replace(",1,Widget,20.00,", ",=1+1,Widget,20.00,"), encoding="utf-8")
    base, _, _ = server
    with chromium_page(accept_downloads=True) as page:
        page.goto(f"{base}/data")
        page.locator("input[type=file]").set_input_files(str(bad))
        button = page.get_by_role("button", name="Download rejected rows (CSV)")
        button.wait_for(timeout=60_000)
        # the run that drew the button goes on (quality report, history): a click while it runs
        # can hit a button the next delta replaces (seen once on a cold CI machine)
        page.locator('[data-testid="stStatusWidget"]').wait_for(state="detached", timeout=60_000)
        with page.expect_download(timeout=30_000) as info:
            button.click(timeout=30_000)
        saved = tmp_path / "downloaded.csv"
        info.value.save_as(saved)
        name = info.value.suggested_filename
    assert name == "rejected_rows_import_1.csv"
    assert saved.read_bytes() == (b"\xef\xbb\xbfrow_number,column,value,reason\r\n"
                                  b"4,Lineitem quantity,'=1+1,not a number\r\n")


@pytest.mark.timeout(90)
def test_a_file_name_written_as_markdown_shows_as_typed(server: Server, tmp_path: Path) -> None:
    """RELIABILITY D7: names from files reach Streamlit's markdown elements (the result's
    heading and message, the undo button and picker) escaped: no link, no bold, no colour, no HTML."""
    from tests.pages.support import SHOPIFY

    name = "[click](javascript:alert(1)) **bold** :red[red] <img src=x onerror=alert(1)>.csv"
    upload = tmp_path / name
    upload.write_text(SHOPIFY, encoding="utf-8")
    base, _, _ = server
    with chromium_page() as page:
        assert upload_on_data_page(page, base, upload).startswith(
            f"{name}: 4 of 4 rows loaded as Shopify orders export")
        page.get_by_role("heading", name=name).wait_for(timeout=30_000)
        page.get_by_role("button", name=f"Undo import #1 ({name})").wait_for(timeout=30_000)
        main = page.locator('[data-testid="stMain"]')
        # the undo picker's option (plain text, not markdown) shows the name as typed too
        picker = main.get_by_role("combobox", name="Import to undo")
        assert picker.input_value() == f"#1 {name} (4 rows loaded)"
        assert main.locator("a", has_text="click").count() == 0
        assert main.locator("strong", has_text="bold").count() == 0
        assert main.locator('img[src="x"]').count() == 0


@pytest.mark.timeout(90)
def test_a_gzipped_real_export_uploads_through_the_browser(server: Server, tmp_path: Path) -> None:
    """The file input accepts .gz (and .zip); the export inside loads under 'archive › file'."""
    import gzip

    if not EXPORT.is_file():
        pytest.skip(f"real export not available: {EXPORT} is missing")
    packed = tmp_path / "orders_export_1.csv.gz"
    packed.write_bytes(gzip.compress(EXPORT.read_bytes()))
    base, _, _ = server
    with chromium_page() as page:
        assert upload_on_data_page(page, base, packed) == (
            "orders_export_1.csv.gz › orders_export_1.csv: 5,121 of 5,121 rows loaded as Shopify "
            "orders export; 3,885 orders, 5,121 order lines.")
