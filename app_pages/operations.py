"""Operations flow (ch. 3): stage times and the bottleneck, SLA, funnel, and the PDCA log."""
import streamlit as st

from lib import charts, charts_ops
from lib import operations as ops
from lib.i18n import fmt_pct, join_names
from lib.team import METRIC_IDS, data_end, format_metric, metric_delta, money_currency
from ui import cached, state, views
from ui.state import tr, tr_literal

st.title(tr("nav.operations"))
st.caption(tr("ops.intro"))
lang = state.current_lang()


def hours(value: float | None) -> str:
    return tr("value.none") if value is None else tr("ops.hours", hours=f"{value:,.1f}")


def stages_section(ws, filters) -> bool:
    """Stage times, the bottleneck and what the exports lack; False when there are no orders."""
    figures = cached.stage_figures(ws, filters)
    rep = figures.report
    if rep.orders == 0:
        st.info(tr("ops.no_data"))
        return False
    st.subheader(tr("ops.stages"))
    if rep.bottleneck:
        b = rep.stage(rep.bottleneck)
        c1, c2, c3 = st.columns([2, 1, 1])  # a stage's name: 'Payment → shipment' was cut at 1/3
        c1.metric(tr("ops.bottleneck"), tr(f"stage.{rep.bottleneck}"))
        c2.metric(tr("ops.bottleneck_median"), hours(b["median_h"]))
        c3.metric(tr("ops.bottleneck_p90"), hours(b["p90_h"]))
    unmeasured = join_names((tr(f"stage.{s}") for s in rep.unmeasured), lang) or tr("value.none")
    if rep.missing:
        st.warning(tr("ops.missing", stamps=join_names((tr(f"stamp.{c}") for c in rep.missing), lang),
                      stages=unmeasured))
    elif rep.unmeasured:
        st.warning(tr("ops.unmeasured", stages=unmeasured))
    else:
        st.caption(tr("ops.missing_none"))
    if len(rep.missing_by_channel) > 1:
        for channel, absent in rep.missing_by_channel.items():
            if absent:
                st.caption(tr_literal("ops.missing_channel", channel=channel,
                                      stamps=join_names((tr(f"stamp.{c}") for c in absent), lang)))
    if not rep.stages.empty:  # an export with one time per order measures no stage at all
        views.table(charts_ops.stage_table(rep.stages, lang))
        views.chart(charts_ops.stage_chart, rep.stages, lang)
    fri_sun, mon_thu = figures.weekday
    if fri_sun is not None and mon_thu is not None:
        st.info(tr("ops.weekend", fri=f"{fri_sun:.1f}", other=f"{mon_thu:.1f}"))
    return bool(rep.stage("paid_to_fulfilled"))


def sla_section(ws, filters) -> None:
    st.subheader(tr("ops.sla"))
    saved = ops.get_sla(ws)["paid_to_fulfilled"]
    limit = st.number_input(tr("ops.sla_hours"), min_value=1.0, max_value=720.0, value=saved,
                            step=1.0, key="ops_sla_hours")
    if limit != saved:
        ops.set_sla(ws, "paid_to_fulfilled", limit)
        st.success(tr("ops.sla_saved", hours=f"{limit:g}"))
    sla = cached.sla_figures(ws, filters, limit)
    late = sla.late
    c1, c2 = st.columns(2)
    c1.metric(tr("ops.breach_rate"), fmt_pct(late, lang))
    c2.metric(tr("ops.on_time"), fmt_pct(None if late is None else 1 - late, lang))
    st.caption(tr("ops.sla_trend"))
    views.chart(charts_ops.sla_trend_chart, sla.trend, lang)
    st.caption(tr("ops.heatmap"))
    if charts.has_hours(sla.heatmap):
        views.chart(charts_ops.heatmap_chart, sla.heatmap, lang)
    else:
        st.caption(tr("analysis.no_hours"))


def funnel_section(ws, filters) -> None:
    st.subheader(tr("ops.funnel"))
    fun = ops.funnel(ws, filters)
    if fun is None:
        st.caption(tr("ops.no_traffic"))
        return
    st.metric(tr("ops.conversion"), fmt_pct(float(fun["of_sessions"].iloc[-1]), lang))
    views.chart(charts_ops.funnel_chart, fun, lang)


def pdca_section(ws, filters) -> None:
    st.subheader(tr("ops.pdca"))
    st.caption(tr("ops.pdca_intro", window=ops.EFFECT_WINDOW))
    with st.form("ops_action_form"):
        title = st.text_input(tr("ops.action_title"), key="ops_action_title")
        metric = st.selectbox(tr("ops.action_metric"), METRIC_IDS,
                              key=state.translated_key("ops_action_metric"),
                              format_func=lambda m: tr(f"team.metric.{m}"))
        c1, c2 = st.columns(2)
        start = c1.date_input(tr("ops.action_start"), value=data_end(ws), key="ops_action_start")
        end = c2.date_input(tr("ops.action_end"), value=None, key="ops_action_end")
        owner = st.text_input(tr("ops.action_owner"), key="ops_action_owner")
        hypothesis = st.text_area(tr("ops.action_hypothesis"), key="ops_action_hypothesis")
        submitted = st.form_submit_button(tr("ops.action_submit"))
    if submitted:
        with state.error_boundary():
            ops.add_improvement(ws, title, metric, start, owner, hypothesis, end)
            st.success(tr_literal("ops.action_added", title=title.strip()))
    actions = ops.list_improvements(ws)
    if actions.empty:
        st.caption(tr("ops.no_actions"))
    currency = money_currency(ws, filters)
    for a in actions.itertuples(index=False):
        label = tr_literal("ops.action_header", title=a.title, metric=tr(f"team.metric.{a.metric}"),
                           status=tr(f"pdca.{a.status}"))
        with st.expander(label, expanded=True):
            st.caption(tr_literal("ops.action_meta", owner=a.owner or tr("value.none"), start=a.started_on,
                                  hypothesis=a.hypothesis or tr("value.none")))
            status = st.radio(tr("ops.status"), ops.PDCA, index=ops.PDCA.index(a.status),
                              horizontal=True, key=state.translated_key(f"ops_status_{a.id}"),
                              format_func=lambda s: tr(f"pdca.{s}"))
            if status != a.status:
                ops.set_improvement_status(ws, a.id, status)
                st.rerun()
            eff = cached.improvement_effect(ws, a.metric, a.started_on, a.ended_on, filters.channels)
            c1, c2 = st.columns(2)
            c1.metric(tr("ops.before"), format_metric(a.metric, eff.before, currency, lang=lang))
            c2.metric(tr("ops.after"), format_metric(a.metric, eff.after, currency, lang=lang),
                      delta=metric_delta(a.metric, eff.difference, currency, lang),
                      delta_color="normal" if eff.higher_is_better else "inverse")
            if eff.p_value is None:
                st.caption(tr("ops.effect_short", days=ops.MIN_DAYS))
            elif eff.significant:
                st.success(tr("ops.effect_real", p=f"{eff.p_value:.4f}"))
            else:
                st.info(tr("ops.effect_noise", p=f"{eff.p_value:.4f}"))
            views.chart(charts_ops.effect_chart, eff.daily, a.started_on, lang)
            if st.button(tr("ops.delete_action"), key=f"ops_delete_{a.id}"):
                ops.delete_improvement(ws, a.id)
                st.rerun()


with state.error_boundary():
    workspace = state.current_workspace()
    current = state.current_filters()
    if stages_section(workspace, current):
        sla_section(workspace, current)
    funnel_section(workspace, current)
    pdca_section(workspace, current)
