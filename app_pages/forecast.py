"""Forecast (ch. 4 §2): a daily forecast with its backtest beside a baseline, what-if levers,
downloads, and what past promotions added. Fits are cached in ui/forecast_cache; the levers
post-process the cached forecast inside a fragment (lib/scenario.py), never refitting."""
import pandas as pd
import streamlit as st

from lib import charts_forecast as cf
from lib import scenario
from lib.forecast.series import LEVELS, METRICS, list_keys
from lib.i18n import country_name
from ui import forecast_cache as fc
from ui import state, views
from ui.state import tr

HORIZONS = (7, 14, 28, 56, 91, 182, 365)
KEY_LIMIT = 200  # channels, categories or SKUs offered, largest first
st.title(tr("nav.forecast"))
st.caption(tr("forecast_page.intro"))
lang = state.current_lang()


def pickers(ws, filters) -> tuple[str, str, str | None, int, str | None]:
    c0, c1, c2, c3, c4 = st.columns([1, 1, 1, 1, 1.4])
    metric = c1.selectbox(tr("forecast_page.metric"), METRICS, key=state.translated_key("fc_metric"),
                          format_func=lambda m: tr(f"forecast_page.metric.{m}"))
    with c0:  # orders and units can take every currency at once; money cannot
        currency = views.currency_picker(ws, filters, "fc_currency", metric)
    level = c2.selectbox(tr("forecast_page.level"), LEVELS, key=state.translated_key("fc_level"),
                         format_func=lambda v: tr(f"forecast_page.level.{v}"))
    key = None
    if level != "total":
        keys = [k for k, _ in list_keys(ws, level, filters, currency=currency, limit=KEY_LIMIT)]
        key = c3.selectbox(tr("forecast_page.key"), keys, key=f"fc_key_{level}",
                           placeholder=tr("forecast_page.no_keys"))
    horizon = c4.select_slider(tr("forecast_page.horizon"), HORIZONS, value=28,
                               key=state.translated_key("fc_horizon"),
                               format_func=lambda n: tr("forecast_page.days", n=n))
    return metric, level, key, horizon, currency


def summary(inputs: fc.ForecastInputs, result) -> None:
    c1, c2, c3 = st.columns([1.7, 1, 1.7])  # room for 'Full model (Prophet)', 'United States (US)'
    c1.metric(tr("forecast_page.method"), tr(f"forecast_page.method_short.{result.method}"),
              help=tr(f"forecast_page.method.{result.method}"))  # 近期平均值（移动平… was cut
    c2.metric(tr("forecast_page.history"), tr("forecast_page.days", n=f"{len(inputs.series):,}"))
    country = country_name(inputs.country, lang)
    c3.metric(tr("forecast_page.holidays"), country,  # the whole name if cut, else why none
              help=country if inputs.country else tr("forecast_page.no_country"))
    if result.notes:
        st.caption(tr("forecast_page.notes"))
        st.info("\n\n".join(cf.note_text(n, lang) for n in result.notes))


@st.fragment
def what_if(inputs: fc.ForecastInputs, result, horizon: int) -> None:
    """The levers re-scale the cached forecast: only this fragment reruns, nothing is refitted."""
    st.subheader(tr("forecast_page.whatif"))
    st.caption(tr("forecast_page.whatif_intro"))
    lever = views.lever_sliders("fc")
    out = scenario.apply_what_if(result.forecast, inputs.metric, lever)
    tot = scenario.totals(out)
    amount = lambda v: cf.fmt_amount(v, inputs.metric, inputs.currency, lang)  # noqa: E731
    m1, m2, m3 = st.columns(3)
    m1.metric(tr("forecast_page.total_base", n=horizon), amount(tot.baseline))
    m2.metric(tr("forecast_page.total_whatif"), amount(tot.scenario),
              delta=cf.change_delta(tot.change_pct))
    m3.metric(tr("forecast_page.factor"), f"× {lever.factor(inputs.metric):.4f}")
    hist = result.history
    start = hist["ds"].max() - pd.Timedelta(days=max(90, 3 * horizon))
    markers = cf.markers_frame(inputs.festivals, inputs.calendar, start, out["ds"].max(), lang)
    views.chart(cf.forecast_chart, hist, out, markers, lang=lang,
                value_title=tr(f"forecast_page.metric.{inputs.metric}"),
                baseline=None if lever.neutral else result.forecast, history_days=max(90, 3 * horizon))
    st.caption(tr("forecast_page.band", pct=round(result.interval_width * 100)))
    table = scenario.export_frame(out, metric=inputs.metric, level=inputs.level, key=inputs.key,
                                  currency=inputs.currency,
                                  headers={c: tr(f"forecast_page.export.{c}") for c in scenario.EXPORT_COLUMNS})
    name = f"forecast_{inputs.metric}_{inputs.level}_{horizon}d"
    d1, d2 = st.columns(2)
    d1.download_button(tr("forecast_page.download_csv"), data=lambda: scenario.forecast_to_csv_bytes(table),
                       file_name=f"{name}.csv", mime="text/csv", key="fc_csv", on_click="ignore")
    d2.download_button(tr("forecast_page.download_xlsx"),
                       data=lambda: scenario.forecast_to_xlsx_bytes(
                           table, tr("forecast_page.sheet"), tr("forecast_page.xlsx_cut")),
                       file_name=f"{name}.xlsx", key="fc_xlsx", on_click="ignore",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def backtest_section(inputs: fc.ForecastInputs, bt, horizon: int) -> None:
    st.subheader(tr("forecast_page.backtest"))
    st.caption(tr("forecast_page.backtest_intro", folds=len(bt.folds) or fc.BACKTEST_FOLDS, horizon=horizon))
    if bt.folds:
        views.table(cf.backtest_table(bt, inputs.metric, inputs.currency, lang))
    verdict, text = cf.backtest_verdict(bt, lang)
    {"better": st.success, "worse": st.warning, "none": st.info}[verdict](text)
    for n in bt.notes:
        st.caption(cf.note_text(n, lang))


def lift_section(inputs: fc.ForecastInputs) -> None:
    st.subheader(tr("forecast_page.lifts"))
    past = inputs.past_promotions()
    if past.empty:
        st.caption(tr("forecast_page.no_promotions"))
        return
    st.caption(tr("forecast_page.lifts_intro"))
    with st.spinner(tr("forecast_page.lifts_running", n=len(past))):
        lifts = fc.lifts(inputs)
    views.table(cf.lift_table(lifts, inputs.metric, lang))


with state.error_boundary():
    ws = state.current_workspace()
    filters = state.current_filters()
    metric, level, key, horizon, currency = pickers(ws, filters)
    inputs = fc.load_inputs(ws, metric, level, key, filters, currency)
    if inputs.empty:
        views.no_orders_yet()
    else:
        with st.spinner(tr("forecast_page.fitting")):
            result = fc.forecast(inputs, horizon)
            bt = fc.backtest(inputs, horizon)
        summary(inputs, result)
        views.history_note(ws, filters)
        what_if(inputs, result, horizon)
        backtest_section(inputs, bt, horizon)
        lift_section(inputs)
