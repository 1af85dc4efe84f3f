"""`make serve` for real (RELIABILITY section 3): `python -m ui.serve` starts Streamlit in the
shared-server profile, the app's start-up check passes with the flags it sets, a browser that
reaches it under the proxy's host name gets the app, and the app's stream refuses every other
name, this machine's own included (only the proxy on this machine may reach it, under its name).

The browser resolves the proxy's name to 127.0.0.1 (`--host-resolver-rules`), as a proxy that
keeps the Host header would deliver its requests.
"""
from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.e2e.test_browser_upload import _free_port, _wait_healthy, chromium_page, stop_server
from tests.e2e.test_server_hosts import _handshake_status

pytestmark = pytest.mark.e2e
HOST = "shop.example.test"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[int, Path]]:
    """(port, log) of `python -m ui.serve --host shop.example.test`, always stopped."""
    port = _free_port()
    log = tmp_path / "serve.log"
    env = {k: v for k, v in os.environ.items() if k != "SHOPLENS_PROFILE"}
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "ui.serve", "--host", HOST, "--port", str(port),
             "--workspaces", str(tmp_path / "client-a")],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait_healthy(f"http://127.0.0.1:{port}", proc, log)
        yield port, log
    finally:
        stop_server(proc)


@pytest.mark.timeout(90)
def test_make_serve_answers_under_the_proxy_name_only(served: tuple[int, Path]) -> None:
    port, log = served
    base = f"http://127.0.0.1:{port}"
    assert _handshake_status(base, HOST) == 101
    for other in ("127.0.0.1", "localhost", "shop-rebound.example"):
        assert _handshake_status(base, other) == 403, other
    with chromium_page(args=[f"--host-resolver-rules=MAP {HOST} 127.0.0.1"]) as page:
        page.goto(f"http://{HOST}:{port}/")
        page.locator('[data-testid="stSidebarNav"]').wait_for(timeout=30_000)
        page.get_by_text("Data", exact=True).first.wait_for(timeout=10_000)
        assert page.locator('[data-testid="stAlertContentError"]').count() == 0
    assert "shared profile" not in log.read_text(errors="replace")  # the check found nothing
