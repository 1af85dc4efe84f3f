"""Overview: the core KPI cards for the sidebar's filters."""
from dataclasses import replace

import streamlit as st

from lib.i18n import fmt_int, fmt_money, fmt_pct
from lib.metrics.core import compute_core_kpis, currencies
from ui import state
from ui.state import tr

st.title(tr("nav.overview"))
lang = state.current_lang()

with state.error_boundary():
    ws = state.current_workspace()
    filters = state.current_filters()
    found = currencies(ws, filters)
    if len(found) > 1:  # money never adds different currencies: the user picks one
        filters = replace(filters, currency=st.selectbox(tr("overview.currency"), found,
                                                         key="overview_currency"))
    k = compute_core_kpis(ws, filters)
    if k.orders == 0:
        st.info(tr("overview.no_data"))
        st.page_link("app_pages/data.py", label=tr("nav.data"))
    else:
        cards = (
            ("kpi.orders", fmt_int(k.orders, lang)),
            ("kpi.gross_sales", fmt_money(k.gross_sales, k.currency, lang)),
            ("kpi.discounts", fmt_money(k.discounts, k.currency, lang)),
            ("kpi.refunds", fmt_money(k.refunds, k.currency, lang)),
            ("kpi.net_sales", fmt_money(k.net_sales, k.currency, lang)),
            ("kpi.order_total", fmt_money(k.order_total, k.currency, lang)),
            ("kpi.avg_order_value", fmt_money(k.avg_order_value, k.currency, lang)),
            ("kpi.customers", fmt_int(k.customers, lang)),
            ("kpi.repeat_customer_rate", fmt_pct(k.repeat_customer_rate, lang)),
        )
        for start in range(0, len(cards), 3):
            for col, (key, value) in zip(st.columns(3), cards[start:start + 3]):
                col.metric(tr(key), value)
        st.caption(tr("overview.definitions"))
