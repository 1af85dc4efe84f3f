"""Risk (ch. 5): the register and its 5×5 matrix, risks the data raises, and a stress test."""
import pandas as pd
import streamlit as st

from lib import charts_ops, risk
from lib.i18n import join_names
from lib.ingest.formats.shoplens_risks import CATEGORIES, RESPONSES
from lib.metrics.core import Filters
from ui import cached, state, views
from ui.state import tr, tr_literal

st.title(tr("nav.risk"))
st.caption(tr("risk.intro"))
state.show_notice()
lang = state.current_lang()
FORM_FIELDS = ("title", "category", "likelihood", "impact", "owner", "response", "mitigation", "status", "review_on")


def table(df: pd.DataFrame) -> pd.DataFrame:
    return df.rename(columns={c: tr(f"risk.col.{c}") for c in df.columns})


def register_tab(ws) -> None:
    show_closed = st.toggle(tr("risk.show_closed"), key="risk_show_closed")
    risks = risk.list_risks(ws, include_closed=show_closed)
    live = risks[risks["status"] != "closed"]
    c1, c2 = st.columns(2)
    c1.metric(tr("risk.open_count"), len(live))
    c2.metric(tr("risk.high_count"), int((live["score"] >= 10).sum()))
    st.subheader(tr("risk.matrix"))
    views.chart(charts_ops.risk_matrix_chart, risk.risk_matrix(live), lang)
    if risks.empty:
        st.caption(tr("risk.empty"))
    else:
        views.table(table(risk.register_frame(risks, lang)))
    edit_form(ws, risks)


def edit_form(ws, risks: pd.DataFrame) -> None:
    st.subheader(tr("risk.edit"))
    titles = dict(zip(risks["risk_id"], risks["title"]))
    pick = st.selectbox(tr("risk.pick"), ["", *titles], key=state.translated_key("risk_pick"),
                        format_func=lambda r: f"{r} · {titles[r]}" if r else tr("risk.new"))
    cur = risk.get_risk(ws, pick) if pick else risk.Risk("", "market", 3, 3)
    tag = pick or "new"
    with st.form(f"risk_form_{tag}"):
        title = st.text_input(tr("risk.title"), value=cur.title, key=f"risk_title_{tag}")
        c1, c2 = st.columns(2)
        category = c1.selectbox(tr("risk.category"), CATEGORIES, index=CATEGORIES.index(cur.category),
                                format_func=lambda c: tr(f"category.{c}"),
                                key=state.translated_key(f"risk_category_{tag}"))
        response = c2.selectbox(tr("risk.response"), RESPONSES, index=RESPONSES.index(cur.response),
                                format_func=lambda r: tr(f"response.{r}"),
                                key=state.translated_key(f"risk_response_{tag}"))
        likelihood = c1.number_input(tr("risk.likelihood"), value=cur.likelihood, step=1,
                                     key=f"risk_likelihood_{tag}")
        impact = c2.number_input(tr("risk.impact"), value=cur.impact, step=1, key=f"risk_impact_{tag}")
        owner = c1.text_input(tr("risk.owner"), value=cur.owner, key=f"risk_owner_{tag}")
        review = c2.date_input(tr("risk.review_on"), value=cur.review_on, key=f"risk_review_on_{tag}")
        mitigation = st.text_area(tr("risk.mitigation"), value=cur.mitigation, key=f"risk_mitigation_{tag}")
        status = st.selectbox(tr("risk.status"), risk.STATUSES, index=risk.STATUSES.index(cur.status),
                              format_func=lambda s: tr(f"riskstatus.{s}"),
                              key=state.translated_key(f"risk_status_{tag}"))
        submitted = st.form_submit_button(tr("risk.save"), key=f"risk_save_{tag}")
    if submitted:
        with state.error_boundary():
            rid = risk.save_risk(ws, risk.Risk(title, category, likelihood, impact, owner, response,
                                               mitigation, status, review, pick or None))
            for name in FORM_FIELDS:
                st.session_state.pop(f"risk_{name}_{tag}", None)
            state.set_notice(tr_literal("risk.saved", risk_id=rid))
            st.rerun()
    if pick and cur.status != "closed" and st.button(tr_literal("risk.close", risk_id=pick), key="risk_close"):
        risk.close_risk(ws, pick)
        state.set_notice(tr_literal("risk.closed", risk_id=pick))
        st.rerun()


def proposals_tab(ws, filters: Filters) -> None:
    st.caption(tr("risk.proposed_intro"))
    taken = risk.accepted(ws)
    found = [p for p in cached.risk_proposals(ws, filters)
             if (p.rule, p.subject) not in taken]
    if not found:
        st.info(tr("risk.no_proposals"))
    missing = risk.unchecked(ws)
    if missing:
        st.caption("\n".join([tr("risk.unchecked"), *(f"- {tr('risk.unchecked.' + c)}" for c in missing)]))
    for p in found:
        title, evidence = tr(p.title_key, **p.params), tr(p.evidence_key, **p.params)  # stored as said
        with st.container(border=True):
            st.markdown("**" + tr_literal(p.title_key, **p.params) + "**")
            st.markdown(tr_literal(p.evidence_key, **p.params))
            st.caption(tr("risk.suggested", likelihood=p.likelihood, impact=p.impact, score=p.score,
                          level=tr(f"risklevel.{risk.level(p.score)}"), category=tr(f"category.{p.category}")))
            if st.button(tr("risk.accept"), key=f"risk_accept_{p.rule}_{p.subject}"):
                rid = risk.accept_proposal(ws, p, title, evidence)
                state.set_notice(tr_literal("risk.accepted", risk_id=rid))
                st.rerun()
    conc, cover = cached.risk_tables(ws, filters)
    st.subheader(tr("risk.concentration"))
    views.table(charts_ops.concentration_view(conc, lang))
    st.subheader(tr("risk.stock_table"))
    views.table(charts_ops.cover_view(cover.head(10), lang))


@st.fragment
def stress_tab(ws, filters: Filters) -> None:
    c1, c2 = st.columns(2)
    shock = c1.slider(tr("risk.demand_shock"), -50, 100, 0, 5, key="risk_demand_shock")
    delay = c2.slider(tr("risk.supplier_delay"), 0, 60, 0, 1, key="risk_supplier_delay")
    cost = c1.slider(tr("risk.cost_increase"), 0, 100, 0, 5, key="risk_cost_increase")
    depth = c2.slider(tr("risk.discount_depth"), 0, 50, 0, 5, key="risk_discount_depth")
    res = cached.stress_test(ws, filters, shock / 100, delay, cost / 100, depth / 100)
    st.caption(tr("risk.stress_intro", days=res.days))
    for col, (label, value, delta, inverse) in zip(st.columns(4), charts_ops.stress_cards(res, lang)):
        col.metric(label, value, delta=delta, delta_color="inverse" if inverse else "normal")
    if note := charts_ops.stress_cost_note(res, lang):
        st.caption(note)
    if res.stockout_skus:
        st.caption(tr_literal("risk.stockout_list", skus=join_names(res.stockout_skus, lang)))
    views.chart(charts_ops.stress_chart, res, lang)


with state.error_boundary():  # each tab has its own boundary: one failing leaves the others
    workspace, current = state.current_workspace(), state.current_filters()
    register, proposed, stress = st.tabs([tr("risk.tab.register"), tr("risk.tab.proposed"), tr("risk.tab.stress")])
    with register, state.error_boundary():
        register_tab(workspace)
    with proposed, state.error_boundary():
        proposals_tab(workspace, current)
    with stress, state.error_boundary():
        stress_tab(workspace, current)
