"""Sidebar filters beyond dates and channels: platforms, the currency money is shown in, and
the exchange rates (a small editable table, one row per currency, pre-filled from the
workspace's fx_rates; edits apply to this session). Called by ui/sidebar.py."""
from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import streamlit as st

from lib.metrics.filters import Filters, filter_options
from lib.workspace import Workspace
from ui.state import tr


def _rates_table(currencies: tuple[str, ...], known: dict[str, Decimal], tag: str) -> tuple[tuple[str, float], ...]:
    rates = []
    with st.expander(tr("sidebar.rates")):
        st.caption(tr("sidebar.rates_help"))
        for cur in currencies:
            value = known.get(cur, Decimal(1) if cur == "USD" else None)
            picked = st.number_input(cur, min_value=0.0, step=0.01, format="%.6f",
                                     value=float(value) if value is not None else None,
                                     key=f"rate_{cur}_{tag}")
            if picked:
                rates.append((cur, float(picked)))
    return tuple(rates)


def money_and_platforms(ws: Workspace, tag: str, base: Filters) -> Filters:
    """`base` with the platform, currency and rate choices of the sidebar."""
    opts = filter_options(ws)
    filters = base
    if len(opts.platforms) > 1:
        platforms = st.multiselect(tr("sidebar.platforms"), opts.platforms,
                                   placeholder=tr("sidebar.platforms_all"), key=f"platforms_{tag}")
        filters = replace(filters, platforms=tuple(platforms))
    if len(opts.currencies) <= 1:
        return filters
    default = opts.home if opts.home in opts.currencies else opts.currencies[0]
    currency = st.selectbox(tr("sidebar.currency"), opts.currencies,
                            index=opts.currencies.index(default), key=f"currency_{tag}")
    convert = st.toggle(tr("sidebar.convert"), value=True, key=f"convert_{tag}")
    rates = _rates_table(opts.currencies, opts.rates, tag) if convert else ()
    return replace(filters, currency=currency, convert=convert, rates=rates)
