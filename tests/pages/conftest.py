"""AppTest fixtures: a private workspace folder and clean Streamlit caches around each test."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st


@pytest.fixture(autouse=True)
def clean_streamlit_caches() -> Iterator[None]:
    """Caches are process-global: clear them around each test (this also closes workspaces)."""
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def workspaces(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The app's workspace folder for this test (SHOPLENS_WORKSPACES)."""
    folder = tmp_path / "workspaces"
    monkeypatch.setenv("SHOPLENS_WORKSPACES", str(folder))
    return folder
