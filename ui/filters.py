"""Sidebar filters beyond dates and channels: platforms, the currency money is shown in, and
the exchange rates (a small editable table, one row per currency, pre-filled from the
workspace's fx_rates; edits apply to this session until saved to the workspace). Called by
ui/sidebar.py."""
from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import streamlit as st

from lib.metrics.filters import FilterOptions, Filters, save_workspace_rates
from lib.workspace import Workspace
from ui import state
from ui.state import tr


def _rates_table(ws: Workspace, currencies: tuple[str, ...], known: dict[str, Decimal],
                 tag: str) -> tuple[tuple[str, float], ...]:
    rates = []
    with st.expander(tr("sidebar.rates")):
        st.caption(tr("sidebar.rates_help"))
        shown = {c: known.get(c, Decimal(1) if c == "USD" else None) for c in currencies}
        for cur, value in shown.items():
            picked = st.number_input(cur, min_value=0.0, step=0.01, format="%.6f",
                                     value=float(value) if value is not None else None,
                                     key=f"rate_{cur}_{tag}")
            if picked:
                rates.append((cur, float(picked)))
        changed = tuple((c, r) for c, r in rates if shown[c] is None or float(shown[c]) != r)
        if changed and st.button(tr("sidebar.save_rates"), key=f"save_rates_{tag}"):
            with state.error_boundary():
                st.success(tr("sidebar.rates_saved", n=save_workspace_rates(ws, changed)))
    return tuple(rates)


def money_and_platforms(ws: Workspace, tag: str, base: Filters, opts: FilterOptions) -> Filters:
    """`base` with the platform, currency and rate choices of the sidebar (`opts`: what the
    workspace offers, lib.metrics.filters.filter_options)."""
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
    rates = _rates_table(ws, opts.currencies, opts.rates, tag) if convert else ()
    return replace(filters, currency=currency, convert=convert, rates=rates)
