"""The shared-server gate in app.py (ui/profile.py): started with SHOPLENS_PROFILE=shared but
the local settings, the app serves no page and tells the operator which settings and why;
with the profile's settings it serves the app as usual; a misspelt profile serves nothing."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

from lib import server_profile
from tests.pages.support import APP, rendered


@pytest.fixture
def shared_settings() -> Iterator[None]:
    """Streamlit's options as `make serve HOST=shop.example.com` sets them, restored after."""
    values = server_profile.shared_settings("shop.example.com")
    saved = {k: config.get_option(k) for k in values}
    for k, v in values.items():
        config.set_option(k, v)
    yield
    for k, v in saved.items():
        config.set_option(k, v)


def _run() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.run()
    assert not at.exception
    return at


def test_the_shared_profile_with_local_settings_serves_no_page(
        workspaces: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHOPLENS_PROFILE", "shared")
    at = _run()
    (error,) = at.error
    text = rendered(error.value)
    assert "4 of its settings differ" in text and "make serve HOST=" in text
    for line in ("`server.maxUploadSize` is 300; it must be at most 50",
                 "`server.disconnectedSessionTTL` is 120; it must be at most 30",
                 "`server.maxMessageSize` is 200; it must be at most 50",
                 '`server.allowedHosts` is ["localhost", "127.0.0.1", "::1"]; it must list'):
        assert line in text, line
    assert len(at.sidebar) == 0 and not at.metric  # no workspace opened, no figure drawn
    assert not workspaces.exists()


def test_the_shared_profile_with_its_settings_serves_the_app(
        workspaces: Path, monkeypatch: pytest.MonkeyPatch, shared_settings: None) -> None:
    monkeypatch.setenv("SHOPLENS_PROFILE", "shared")
    at = _run()
    assert not at.error
    assert at.sidebar.selectbox(key="workspace").value == "default"


def test_without_the_profile_the_local_settings_serve_the_app(
        workspaces: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SHOPLENS_PROFILE", raising=False)
    at = _run()
    assert not at.error
    assert at.sidebar.selectbox(key="workspace").value == "default"


def test_a_misspelt_profile_serves_no_page(workspaces: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHOPLENS_PROFILE", "shard")
    at = _run()
    (error,) = at.error
    assert "SHOPLENS_PROFILE is “shard”, which is not a profile" in rendered(error.value)
    assert len(at.sidebar) == 0
