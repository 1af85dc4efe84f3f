"""The sidebar every page shares: workspace, language, date range and channel filter."""
from __future__ import annotations

import hashlib
from datetime import date

import streamlit as st

from lib.errors import ShoplensError
from lib.i18n import LANGS
from lib.imports import data_coverage
from lib.metrics.core import Filters
from ui import state
from ui.filters import money_and_platforms
from ui.state import tr


def _create_workspace() -> None:
    """Form callback (runs before the script, so it may set the picker's value)."""
    name = (st.session_state.get(state.NEW_WORKSPACE) or "").strip()
    try:
        state.get_workspace(str(state.workspace_path(name).resolve()))
    except ShoplensError as exc:
        st.session_state[state.WORKSPACE_ERROR] = exc
        return
    st.session_state[state.WORKSPACE] = name
    st.session_state[state.NEW_WORKSPACE] = ""


def _workspace_picker() -> None:
    names = state.workspace_names()
    if st.session_state.get(state.WORKSPACE) not in names:
        st.session_state[state.WORKSPACE] = state.preferred_workspace(names)
    st.selectbox(tr("sidebar.workspace"), names, key=state.WORKSPACE)
    with st.expander(tr("sidebar.new_workspace")):
        with st.form("new_workspace_form", clear_on_submit=False, border=False):
            st.text_input(tr("sidebar.new_workspace_name"), max_chars=40, key=state.NEW_WORKSPACE)
            st.form_submit_button(tr("sidebar.create"), on_click=_create_workspace,
                                  key="create_workspace")
    error = st.session_state.pop(state.WORKSPACE_ERROR, None)
    if isinstance(error, ShoplensError):
        state.show_error(error)


def _filters() -> Filters:
    """Date range (default: the workspace's whole order history), channels, then platforms and
    currency (ui/filters.py)."""
    with state.error_boundary():
        ws = state.current_workspace()
        cov = data_coverage(ws)
        if cov.date_min is None or cov.date_max is None:
            st.caption(tr("sidebar.no_data"))
            return Filters()
        # The keys carry the coverage, so new data resets the filters to its full range.
        tag = hashlib.sha256(f"{ws.path}|{cov}".encode()).hexdigest()[:10]
        picked = st.date_input(tr("sidebar.dates"), value=(cov.date_min, cov.date_max),
                               min_value=cov.date_min, max_value=cov.date_max,
                               key=f"dates_{tag}")
        start, end = _range(picked, cov.date_min, cov.date_max)
        channels = st.multiselect(tr("sidebar.channels"), cov.channels,
                                  placeholder=tr("sidebar.channels_all"), key=f"channels_{tag}")
        return money_and_platforms(ws, tag, Filters(start=start, end=end, channels=tuple(channels)))
    return Filters()


def _range(picked: object, lo: date, hi: date) -> tuple[date, date]:
    """A date_input range mid-selection may hold one date (or none): fill in the other end."""
    values = list(picked) if isinstance(picked, (tuple, list)) else [picked]
    values = [v for v in values if isinstance(v, date)]
    start = values[0] if values else lo
    end = values[1] if len(values) > 1 else hi
    return start, end


def render() -> None:
    with st.sidebar:
        st.selectbox(tr("sidebar.language"), LANGS, key=state.LANG,
                     format_func=lambda lang: tr(f"lang.{lang}"))
        _workspace_picker()
        st.subheader(tr("sidebar.filters"))
        st.session_state[state.FILTERS] = _filters()
