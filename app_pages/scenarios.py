"""Scenarios: save named what-ifs, compare them side by side on one forecast, export a
client-ready report. One fit (cached, ui/forecast_cache); the scenarios only scale it."""
from datetime import date

import streamlit as st

from lib import charts_forecast as cf
from lib import scenarios as sc
from lib.forecast.series import METRICS
from lib.scenario_report import ReportContext, scenario_report
from ui import forecast_cache as fc
from ui import state, views
from ui.state import tr, tr_literal

HORIZONS = (28, 56, 91, 182, 365)
st.title(tr("nav.scenarios"))
st.caption(tr("scenarios.intro"))
lang = state.current_lang()


def levers_form(ws) -> None:
    """Name, note and the five levers; saving replaces a scenario of the same name."""
    with st.form("sc_new", clear_on_submit=False):
        st.subheader(tr("scenarios.new"))
        c1, c2 = st.columns([1, 2])
        name = c1.text_input(tr("scenarios.name"), key="sc_name", max_chars=sc.MAX_NAME)
        note = c2.text_input(tr("scenarios.note"), key="sc_note", max_chars=sc.MAX_NOTE)
        levers = views.lever_sliders("sc")
        if st.form_submit_button(tr("scenarios.save")):
            with state.error_boundary():  # a bad name: the message here, the page goes on
                scenario = sc.Scenario(name, levers, note)
                sc.save_scenario(ws, scenario)
                picked = st.session_state.get("sc_pick")
                if picked is not None and scenario.name not in picked:  # compare it at once
                    st.session_state["sc_pick"] = [*picked, scenario.name]
                state.set_notice(tr_literal("scenarios.saved", name=scenario.name))
                st.rerun()


def comparison(inputs: fc.ForecastInputs, result, horizon: int, saved: list[sc.Scenario]) -> None:
    st.subheader(tr("scenarios.compare"))
    names = [s.name for s in saved]
    picked_names = st.multiselect(tr("scenarios.pick"), names, default=names[:6], key="sc_pick")
    picked = [s for s in saved if s.name in picked_names]
    if not picked:
        return
    table = sc.display_table(sc.compare(result.forecast, inputs.metric, picked), inputs.metric,
                             inputs.currency, lang)
    views.table(table)
    value_title = tr(f"forecast_page.metric.{inputs.metric}")
    views.chart(cf.scenario_chart,
                sc.paths(result.forecast, inputs.metric, picked, tr("scenarios.baseline")), value_title, lang,
                band=result.forecast)
    ctx = ReportContext(inputs.metric, inputs.currency, horizon, len(inputs.series), inputs.country)
    # Built on click only: the report adds the backtest (a few fits, cached with the Forecast page's)
    st.download_button(tr("scenarios.download_report"),
                       data=lambda: scenario_report(result, picked, ctx, fc.backtest(inputs, horizon),
                                                    date.today(), lang).encode("utf-8"),
                       file_name=f"scenarios_{inputs.metric}_{horizon}d.html", mime="text/html",
                       key="sc_report", on_click="ignore")


def delete_section(ws, saved: list[sc.Scenario]) -> None:
    with st.expander(tr("scenarios.delete")):
        name = st.selectbox(tr("scenarios.name"), [s.name for s in saved], key="sc_delete_pick")
        if st.button(tr("scenarios.delete_button"), key="sc_delete") and name:
            sc.delete_scenario(ws, name)
            state.set_notice(tr_literal("scenarios.deleted", name=name))
            st.rerun()


with state.error_boundary():
    ws = state.current_workspace()
    filters = state.current_filters()
    state.show_notice()
    c0, c1, c2 = st.columns([1, 1, 2])
    metric = c1.selectbox(tr("forecast_page.metric"), METRICS, key=state.translated_key("sc_metric"),
                          format_func=lambda m: tr(f"forecast_page.metric.{m}"))
    with c0:  # as on the Forecast page: orders and units may count every currency
        currency = views.currency_picker(ws, filters, "sc_currency", metric)
    horizon = c2.select_slider(tr("forecast_page.horizon"), HORIZONS, value=91,
                               key=state.translated_key("sc_horizon"),
                               format_func=lambda n: tr("forecast_page.days", n=n))
    levers_form(ws)
    views.elasticity_estimate(ws, filters, currency, "sc_elasticity", views.LEVER_ELASTICITY)
    saved = sc.list_scenarios(ws)
    inputs = fc.load_inputs(ws, metric, "total", None, filters, currency)
    if not saved:
        st.info(tr("scenarios.none"))
    elif inputs.empty:
        views.no_orders_yet()
    else:
        with st.spinner(tr("forecast_page.fitting")):
            result = fc.forecast(inputs, horizon)
        views.history_note(ws, filters)
        comparison(inputs, result, horizon, saved)
        delete_section(ws, saved)
