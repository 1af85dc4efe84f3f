"""Small widgets several pages share."""
from __future__ import annotations

import streamlit as st

from ui.state import tr


def placeholder(chapter: str) -> None:
    """A chapter that is not built yet: its title and what it will show."""
    st.title(tr(f"nav.{chapter}"))
    st.info(tr("coming.title"))
    st.write(tr(f"coming.{chapter}"))


def currency_picker(ws, filters, key: str) -> str | None:  # type: ignore[no-untyped-def]
    """With orders in several currencies, the one a forecast adds up (never converted; default
    the sidebar's); None when there is only one."""
    from lib.metrics.core import currencies

    found = currencies(ws, filters)
    if len(found) <= 1:
        return None
    if st.session_state.get(key) not in found:
        st.session_state[key] = filters.currency if filters.currency in found else found[0]
    return st.selectbox(tr("forecast_page.currency"), found, key=key,
                        help=tr("forecast_page.currency_help"))
