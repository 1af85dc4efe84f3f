"""DNS rebinding (RELIABILITY G9): a page served under a name that resolves to 127.0.0.1 is
same-origin with itself, so Streamlit's origin check lets its WebSocket in; the allow-list of
host names in .streamlit/config.toml (`server.allowedHosts`) is what refuses it.

Same server fixture as test_browser_upload.py (a private `streamlit run app.py` with the
project's config); the WebSocket handshake is sent by hand, as a rebinding page's browser
would send it: Host and Origin both carry the attacker's name.
"""
from __future__ import annotations

import base64
import http.client
import os
from urllib.parse import urlsplit

import pytest

from tests.e2e.test_browser_upload import Server, server  # noqa: F401

pytestmark = pytest.mark.e2e


def _handshake_status(base: str, host: str) -> int:
    """HTTP status of a WebSocket upgrade of the app's stream sent with `Host: host`."""
    url = urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    try:
        conn.putrequest("GET", "/_stcore/stream", skip_host=True)
        for name, value in (("Host", f"{host}:{url.port}"), ("Origin", f"http://{host}:{url.port}"),
                            ("Upgrade", "websocket"), ("Connection", "Upgrade"),
                            ("Sec-WebSocket-Version", "13"),
                            ("Sec-WebSocket-Key", base64.b64encode(os.urandom(16)).decode())):
            conn.putheader(name, value)
        conn.endheaders()
        return conn.getresponse().status
    finally:
        conn.close()


@pytest.mark.timeout(60)
def test_the_app_stream_opens_for_loopback_names_only(server: Server) -> None:  # noqa: F811
    base, _folder, _stop = server
    assert _handshake_status(base, "127.0.0.1") == 101
    assert _handshake_status(base, "localhost") == 101
    assert _handshake_status(base, "shop-rebound.example") == 403
