"""The sidebar every page shares: workspace, language, date range and channel filter."""
from __future__ import annotations

import hashlib
from datetime import date

import streamlit as st

from lib.errors import ShoplensError
from lib.i18n import LANGS, t
from lib.metrics.core import Filters
from lib.periods import CUSTOM, PRESETS, available_presets, matching_preset, preset_range
from ui import cached, state
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
    """Period and dates (default: the workspace's whole order history), channels, then
    platforms and currency (ui/filters.py)."""
    with state.error_boundary():
        ws = state.current_workspace()
        cov, options = cached.sidebar_choices(ws)
        if cov.date_min is None or cov.date_max is None:
            st.caption(tr("sidebar.no_data"))
            return Filters()
        # The keys carry the coverage, so new data resets the filters to its full range.
        tag = hashlib.sha256(f"{ws.path}|{cov}".encode()).hexdigest()[:10]
        start, end = _dates(cov.date_min, cov.date_max, tag)
        channels = st.multiselect(tr("sidebar.channels"), cov.channels,
                                  placeholder=tr("sidebar.channels_all"), key=f"channels_{tag}")
        return money_and_platforms(ws, tag, Filters(start=start, end=end, channels=tuple(channels)),
                                   options)
    return Filters()


def _dates(first: date, last: date, tag: str) -> tuple[date, date]:
    """A named period (lib/periods.py) and the dates it stands for: picking a period sets the
    dates, picking dates names the period they match ("Custom dates" when none does)."""
    dates_key, period_key = f"dates_{tag}", f"period_{tag}"
    st.session_state.setdefault(dates_key, (first, last))
    st.session_state.setdefault(period_key, "all")

    def period_picked() -> None:  # a callback: outside the page boundary, so never raise
        value = st.session_state.get(period_key)
        picked = preset_range(value, first, last) if value in PRESETS else None
        if picked:
            st.session_state[dates_key] = picked

    def dates_picked() -> None:
        values = st.session_state[dates_key]
        if isinstance(values, (tuple, list)) and len(values) == 2:
            st.session_state[period_key] = matching_preset(*values, first, last)

    lang = state.current_lang()  # bound now: the labels of the run that drew them
    st.selectbox(tr("sidebar.period"), (*available_presets(first, last), CUSTOM),
                 key=state.translated_key(period_key),
                 format_func=lambda p: t(f"period.{p}", lang), on_change=period_picked,
                 help=tr("sidebar.period_help", last=last.isoformat()))
    picked = st.date_input(tr("sidebar.dates"), min_value=first, max_value=last, key=dates_key,
                           on_change=dates_picked)
    return _range(picked, first, last)


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
                     format_func=lambda lang: tr(f"lang.{lang}"), on_change=state.relabel_choices)
        _workspace_picker()
        st.subheader(tr("sidebar.filters"))
        st.session_state[state.FILTERS] = _filters()
