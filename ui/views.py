"""Small widgets several pages share."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from lib.scenario import WhatIf
from lib.table import Table
from ui.state import tr


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


def lever_sliders(prefix: str) -> WhatIf:
    """The five what-if levers (Forecast and Scenarios pages), keys `<prefix>_traffic` …"""
    s = st.columns(5)
    return WhatIf(
        traffic_pct=s[0].slider(tr("forecast_page.traffic"), -50, 100, 0, 5, key=f"{prefix}_traffic"),
        conversion_pct=s[1].slider(tr("forecast_page.conversion"), -50, 100, 0, 5, key=f"{prefix}_conversion"),
        aov_pct=s[2].slider(tr("forecast_page.aov"), -50, 100, 0, 5, key=f"{prefix}_aov"),
        discount_pct=s[3].slider(tr("forecast_page.discount"), 0, 50, 0, 5, key=f"{prefix}_discount"),
        elasticity=s[4].slider(tr("forecast_page.elasticity"), -4.0, 0.0, -1.5, 0.1, key=f"{prefix}_elasticity",
                               help=tr("forecast_page.elasticity_help")))


def no_orders_yet() -> None:
    """Nothing to forecast for these choices: say so and link to the Data page."""
    st.info(tr("forecast_page.no_data"))
    st.page_link("app_pages/data.py", label=tr("nav.data"))


def table(view: Table | pd.DataFrame, **kwargs: object) -> None:
    """A lib table: its numbers stay numbers (a click on a header sorts them as numbers), each
    written with its column's format; a missing value reads as '—', not Streamlit's 'None'."""
    if isinstance(view, pd.DataFrame):
        st.dataframe(view, hide_index=True, placeholder=tr("value.none"), **kwargs)  # type: ignore[arg-type]
        return
    config = {h: st.column_config.NumberColumn(format=f.printf()) for h, f in view.formats.items()}
    st.dataframe(view.frame, hide_index=True, column_config=config,  # type: ignore[arg-type]
                 placeholder=tr("value.none"), **kwargs)
