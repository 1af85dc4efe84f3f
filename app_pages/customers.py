"""Customers (ch. 5): RFM segments, acquisition cohorts (retention, LTV) and churn risk.

Thin on purpose: the figures come from lib/customers.py, the charts and formatted tables from
lib/charts_customers.py; this file only lays them out for the sidebar's filters."""
import streamlit as st

from lib import charts_customers as cc
from lib import customers as cu
from lib.export_cli import to_csv_bytes
from lib.i18n import join_names
from ui import cached, state, views
from ui.state import tr, tr_literal

COHORT_KS = (1, 3, 6, 12)  # retention columns of the cohort table (those ≤ the months followed)
AT_RISK_LIMIT = 50
st.title(tr("nav.customers"))
st.caption(tr("customers.intro"))
lang = state.current_lang()


def scope(data: cu.CustomerOrders) -> None:
    """Period and currency of every figure below, and which currencies were left out."""
    currency = data.currency or tr("value.none")
    st.caption(tr_literal("customers.scope", start=data.start, end=data.as_of, currency=currency))
    if data.excluded:
        st.warning(tr_literal("customers.excluded", currency=currency, currencies=join_names(data.excluded, lang)))


def rfm_csv(ws, filters) -> bytes:  # type: ignore[no-untyped-def]
    """The RFM table as CSV, from the cached figures when clicked: a closure over the page's
    own copy would keep ~60 MB alive per session until its next run."""
    figures = cached.customer_figures(ws, filters)
    rfm = figures.rfm
    return to_csv_bytes(cc.rfm_export(rfm.assign(customer=cu.customer_keys(ws, rfm["cust"])),
                                      figures.data.currency if figures.data is not None else None, lang))


def rfm_section(ws, filters, figures: cached.CustomerFigures) -> None:
    st.subheader(tr("customers.rfm.title"))
    st.caption(tr("customers.rfm.caption"))
    data, rfm, summary = figures.data, figures.rfm, figures.summary
    if rfm.empty:
        st.info(tr("customers.rfm.none"))
        return
    views.table(cc.segment_table(summary, data.currency, lang))
    views.chart(cc.segment_chart, summary, data.currency, lang)
    with st.expander(tr("customers.rfm.scoring")):
        st.markdown(tr("customers.rfm.scoring_text", end=data.as_of))
        st.caption(tr("customers.rfm.grid"))
        st.dataframe(cc.grid_table(lang))
    with st.expander(tr("customers.rfm.actions")):
        views.table(cc.action_table(lang))
    # Built on click only: ~50,000 customers need not be turned into CSV on every rerun.
    st.download_button(tr("customers.rfm.download"), data=lambda: rfm_csv(ws, filters),
                       file_name=f"customers_rfm_{data.start}_{data.as_of}.csv", mime="text/csv",
                       key="cu_rfm_csv", on_click="ignore")


@st.fragment  # the months slider reruns this section only
def cohort_section(ws, filters, as_of, currency: str | None) -> None:  # type: ignore[no-untyped-def]
    """No frame among the arguments: a fragment keeps them for the session's life, and the
    customers' orders are ~10 MB a copy (the cache hands each call its own)."""
    st.subheader(tr("customers.cohorts.title"))
    st.caption(tr("customers.cohorts.caption", end=as_of))
    months = st.slider(tr("customers.cohorts.months"), 1, 36, 12, key="cu_months")
    coh = cached.cohorts(ws, filters, months)
    if coh.empty:
        st.info(tr("customers.cohorts.none"))
        return
    if (coh["k"] >= 1).any():  # month 0 alone (cohorts of the last month) has no retention yet
        views.chart(cc.retention_heatmap, coh, lang)
    st.markdown("**" + tr("customers.cohorts.ltv_title") + "**")
    views.chart(cc.ltv_chart, coh, currency, lang)
    st.caption(tr("customers.cohorts.ltv_caption"))
    ks = [k for k in COHORT_KS if k <= months]
    views.table(cc.cohort_table(coh, ks, currency, lang))
    partial = cc.partial_caption(coh, as_of, lang)
    if partial:
        st.caption(partial)


def churn_section(ws, data: cu.CustomerOrders, report: cu.ChurnReport) -> None:  # type: ignore[no-untyped-def]
    st.subheader(tr("customers.churn.title"))
    if report.expected_gap_days is None:
        st.info(tr("customers.churn.too_few", gaps=f"{report.gaps:,}", min=cu.MIN_GAPS))
        return
    st.caption(tr("customers.churn.caption", end=data.as_of))
    c1, c2, c3 = st.columns(3)
    c1.metric(tr("customers.churn.expected"), cc.fmt_days(report.expected_gap_days, lang),
              help=tr("customers.churn.expected_help"))
    c2.metric(tr("customers.churn.lapse"), cc.fmt_days(report.lapse_after_days, lang),
              help=tr("customers.churn.lapse_help"))
    c3.metric(tr("customers.churn.gaps"), f"{report.gaps:,}")
    st.markdown("**" + tr("customers.churn.statuses") + "**")
    views.table(cc.status_table(report.statuses, data.currency, lang))
    st.markdown("**" + tr("customers.churn.at_risk") + "**")
    risk = cu.at_risk(ws, report, AT_RISK_LIMIT)
    if risk.empty:
        st.caption(tr("customers.churn.no_cooling"))
        return
    st.caption(tr("customers.churn.at_risk_caption"))
    views.table(cc.at_risk_table(risk, data.currency, lang))
    currency = data.currency  # the closure keeps what it names until the next run
    st.download_button(tr("customers.churn.download"),
                       data=lambda: to_csv_bytes(cc.at_risk_export(risk, currency)),
                       file_name=f"customers_at_risk_{data.as_of}.csv", mime="text/csv",
                       key="cu_risk_csv", on_click="ignore")


def page() -> None:
    """The page, in a function: the figures are its locals, freed after the run. As globals
    of the page's script they stayed alive with every function it defines that the session
    keeps (the cohort fragment, the download buttons' callables): ~60 MB a session."""
    with state.error_boundary():
        workspace, filters = state.current_workspace(), state.current_filters()
        figures = cached.customer_figures(workspace, filters)  # kept across reruns (ui/cached.py)
        orders = figures.data
        if orders is None:
            views.no_orders_yet()
        elif orders.empty or figures.churn is None:
            scope(orders)
            st.info(tr("customers.no_customers"))
        else:
            scope(orders)
            rfm_section(workspace, filters, figures)
            st.divider()
            cohort_section(workspace, filters, orders.as_of, orders.currency)
            st.divider()
            churn_section(workspace, orders, figures.churn)


page()
