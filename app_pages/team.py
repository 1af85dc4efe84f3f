"""Team KPIs (ch. 7): targets with attainment and pacing, OKRs, and who owns what."""
from datetime import date

import pandas as pd
import streamlit as st

from lib import charts_ops, team
from lib.export_cli import to_csv_bytes
from lib.i18n import describe_result, fmt_pct, markdown_literal
from lib.table import PCT, build_table
from ui import cached, state, views
from ui.state import tr, tr_literal

st.title(tr("nav.team"))
st.caption(tr("team.intro"))
state.show_notice()
lang = state.current_lang()


def metric_name(kpi: str) -> str:
    return tr(f"team.metric.{kpi}") if kpi in team.METRICS else kpi


def metric_input_name(kpi: str) -> str:
    """The name in a KPI picker: with the unit its target is typed in, where that is not
    obvious (time to ship: hours). Elsewhere the value carries its unit ('37.9 h')."""
    return tr(INPUT_NAMES[kpi]) if kpi in INPUT_NAMES else metric_name(kpi)


INPUT_NAMES = {"time_to_ship": "team.metric_input.time_to_ship"}


def targets_section(ws, as_of, currency) -> pd.DataFrame:
    st.subheader(tr("team.targets"))
    att = team.attainment(ws, as_of, values_of=cached.span_values)
    if att.empty:
        st.info(tr("team.no_targets"))
        return att
    for r in att[att["status"].isin(["on_track", "at_risk"])].itertuples(index=False):
        shown = st.warning if r.status == "at_risk" else st.info
        shown(tr("team.pacing", metric=metric_name(r.kpi_id), owner=r.owner,
                 pacing=fmt_pct(r.pacing, lang), end=r.period_end))
    shown_as = lambda values: [team.format_metric(k, v, currency, lang=lang)  # noqa: E731
                               for k, v in zip(att["kpi_id"], values)]
    table = att.assign(
        kpi_id=[metric_name(k) for k in att["kpi_id"]],
        target=shown_as(att["target"]), actual=shown_as(att["actual"]),
        status=[tr(f"team.status.{s}") for s in att["status"]],
    ).drop(columns=["projected", "elapsed_share"])
    views.table(build_table(table, {"attainment": PCT, "pacing": PCT}, lambda c: tr(f"team.col.{c}")))
    st.caption(tr("team.history"))
    views.chart(charts_ops.attainment_chart, att, lang)
    return att


def add_target_form(ws, as_of) -> None:
    with st.expander(tr("team.add_target")):
        with st.form("team_target_form"):
            kpi = st.selectbox(tr("team.metric"), team.METRIC_IDS, format_func=metric_input_name,
                               key=state.translated_key("team_kpi"))
            start, end = team.period_of_month(as_of)
            c1, c2 = st.columns(2)
            period_start = c1.date_input(tr("team.period_start"), value=start, key="team_period_start")
            period_end = c2.date_input(tr("team.period_end"), value=end, key="team_period_end")
            owner = c1.text_input(tr("team.owner"), key="team_owner")
            team_name = c2.text_input(tr("team.team"), key="team_team")
            target = st.text_input(tr("team.target"), key="team_target")
            submitted = st.form_submit_button(tr("team.save_target"), key="team_save_target")
        if submitted:
            with state.error_boundary():
                team.save_target(ws, kpi, period_start, period_end, owner, team_name, target)
                state.set_notice(tr_literal("team.target_saved", metric=metric_name(kpi), owner=owner.strip()))
                st.rerun()
        upload = st.file_uploader(tr("team.upload"), type=["csv"], key="team_upload")
        if upload is not None:
            with state.error_boundary():
                _, results, ran = state.ingest_once(ws, upload)
                if ran and any(r.status == "loaded" for r in results):  # redraw with the new targets
                    state.set_notice(" ".join(describe_result(r, lang, markdown_literal) for r in results))
                    st.rerun()
                for result in results:
                    (st.success if result.status in ("loaded", "duplicate") else st.error)(
                        describe_result(result, lang, markdown_literal))


def remove_target_form(ws) -> None:
    """Pick a saved target and remove it (to change one, save it again with the same metric,
    period and owner: it is replaced)."""
    targets = team.list_targets(ws)
    if targets.empty:
        return
    keys = list(targets[["kpi_id", "period_start", "period_end", "owner"]].itertuples(index=False, name=None))
    label = {k: f"{metric_name(k[0])} · {k[3]} · {k[1]} – {k[2]}" for k in keys}
    with st.expander(tr("team.remove_target")):
        st.caption(tr("team.edit_hint"))
        chosen = st.selectbox(tr("team.target_pick"), keys, format_func=label.get,
                              key=state.translated_key("team_remove_pick"))
        if st.button(tr("team.remove"), key="team_remove_target") and chosen is not None:
            with state.error_boundary():
                team.delete_target(ws, *chosen)
                state.set_notice(tr("team.target_removed", target=label[chosen]))
                st.rerun()


def okr_section(ws, as_of, currency) -> None:
    st.subheader(tr("team.okrs"))
    objectives, key_results = team.okr_progress(ws, as_of, values_of=cached.span_values)
    if objectives.empty:
        st.caption(tr("team.no_okrs"))
    for o in objectives.itertuples(index=False):
        progress = 0.0 if pd.isna(o.progress) else float(o.progress)
        st.progress(progress, text=tr_literal(
            "team.objective_progress", title=o.title, owner=o.owner or tr("value.none"),
            team=o.team or tr("value.none"), progress=fmt_pct(progress, lang)))
        for k in key_results[key_results["objective_id"] == o.objective_id].itertuples(index=False):
            st.caption(tr_literal("team.kr_line", title=k.title, metric=metric_name(k.kpi_id),
                                  actual=team.format_metric(k.kpi_id, k.actual, currency, lang=lang),
                                  target=team.format_metric(k.kpi_id, k.target, currency, lang=lang),
                                  progress=fmt_pct(None if pd.isna(k.progress) else k.progress, lang)))
    c1, c2 = st.columns(2)
    with c1.form("team_objective_form"):
        st.caption(tr("team.add_objective"))
        title = st.text_input(tr("team.objective_title"), key="okr_title")
        owner = st.text_input(tr("team.owner"), key="okr_owner")
        team_name = st.text_input(tr("team.team"), key="okr_team")
        start, end = team.period_of_month(as_of)
        o_start = st.date_input(tr("team.period_start"), value=start, key="okr_start")
        o_end = st.date_input(tr("team.period_end"), value=end, key="okr_end")
        if st.form_submit_button(tr("team.save_objective"), key="okr_save"):
            with state.error_boundary():
                saved = team.save_objective(ws, title, owner, team_name, o_start, o_end)
                st.session_state["kr_objective"] = saved  # its key results come next
                state.set_notice(tr_literal("team.objective_saved", title=title.strip()))
                st.rerun()
    if not objectives.empty:
        names = dict(zip(objectives["objective_id"], objectives["title"]))
        r1, r2 = st.columns([4, 1])
        gone = r1.selectbox(tr("team.remove_objective"), list(names), format_func=names.get, key="okr_remove_pick")
        if r2.button(tr("team.remove"), key="okr_remove") and gone is not None:
            with state.error_boundary():
                team.delete_objective(ws, gone)
                state.set_notice(tr_literal("team.objective_removed", title=names[gone]))
                st.rerun()
        with c2.form("team_kr_form"):
            st.caption(tr("team.add_kr"))
            oid = st.selectbox(tr("team.objective"), list(names), format_func=names.get, key="kr_objective")
            kr_title = st.text_input(tr("team.kr_title"), key="kr_title")
            kpi = st.selectbox(tr("team.metric"), team.METRIC_IDS, format_func=metric_input_name,
                               key=state.translated_key("kr_kpi"))
            target = st.text_input(tr("team.target"), key="kr_target")
            if st.form_submit_button(tr("team.save_kr"), key="kr_save"):
                with state.error_boundary():
                    team.save_key_result(ws, oid, kr_title, kpi, target)
                    state.set_notice(tr("team.kr_saved"))
                    st.rerun()


with state.error_boundary():
    workspace = state.current_workspace()
    end_of_data = team.data_end(workspace) or date.today()
    as_of_day = st.date_input(tr("team.as_of"), value=end_of_data, key="team_as_of") or end_of_data
    currency = team.money_currency(workspace)
    attained = targets_section(workspace, as_of_day, currency)
    add_target_form(workspace, as_of_day)
    remove_target_form(workspace)
    okr_section(workspace, as_of_day, currency)
    if not attained.empty:
        st.subheader(tr("team.view"))
        views.table(build_table(team.team_view(attained), {"mean_attainment": PCT},
                                lambda c: tr(f"team.col.{c}")))
        st.download_button(tr("team.download"), lambda: to_csv_bytes(attained),
                           file_name="targets_attainment.csv", mime="text/csv", key="team_download")
