"""The Streamlit settings the app relies on for safety (RELIABILITY section 3), read from
.streamlit/config.toml: a change there must be deliberate."""
from __future__ import annotations

import tomllib
from pathlib import Path

from streamlit.byte_util import config_max_cache_data_size_to_bytes

CONFIG = Path(__file__).resolve().parents[1] / ".streamlit" / "config.toml"


def test_the_local_profile_keeps_its_safety_settings() -> None:
    cfg = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    server, client = cfg["server"], cfg["client"]
    assert server["address"] == "127.0.0.1"  # not reachable from the network by default
    assert server["headless"] is True
    assert server["enableXsrfProtection"] is True and server["enableCORS"] is True
    assert server["enableStaticServing"] is False
    # DNS rebinding: only loopback names reach the app's WebSocket (tests/e2e/test_server_hosts.py)
    assert sorted(server["allowedHosts"]) == ["127.0.0.1", "::1", "localhost"]
    # nothing more served than the app: no agent API, no user labels on the open metrics endpoint
    assert server["enableAgentApi"] is False and server["unsafeMetricsUserAttributes"] == []
    assert client["showErrorDetails"] == "none"  # no tracebacks, paths or SQL in the browser
    assert client["toolbarMode"] == "viewer"
    # speed with several sessions (bench/sessions.py): no module watching, no GC after every run
    assert server["fileWatcherType"] == "none" and cfg["runner"]["postScriptGC"] is False
    assert cfg["browser"]["gatherUsageStats"] is False
    assert 50 <= server["maxUploadSize"] <= 300  # MB: room for a real export, not unbounded
    # cached figures and fits of all sessions together, in a form Streamlit's start-up accepts
    assert config_max_cache_data_size_to_bytes(server["maxCacheDataSize"]) == 1024 ** 3
