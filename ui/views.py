"""Small widgets several pages share."""
from __future__ import annotations

import pickle
from collections.abc import Callable
from typing import Literal

import altair as alt
import pandas as pd
import streamlit as st
from streamlit.elements.lib.layout_utils import Width
from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec

from lib.chart_validation import unvalidated
from lib.i18n import join_names
from lib.imports import data_coverage
from lib.scenario import WhatIf
from lib.table import Table
from ui.state import current_lang, tr, tr_literal, translated_key


def currency_picker(ws, filters, key: str, metric: str = "net_sales") -> str | None:  # type: ignore[no-untyped-def]
    """With orders in several currencies, the one a forecast of `metric` adds up (never
    converted; default the sidebar's); None when there is only one. For a count (orders,
    units) every currency together is offered too, and is the default (ALL_CURRENCIES)."""
    from lib.forecast.series import ALL_CURRENCIES, COUNT_METRICS
    from lib.metrics.core import currencies

    counts = metric in COUNT_METRICS

    found = currencies(ws, filters)
    if len(found) <= 1:
        return None
    options = [ALL_CURRENCIES, *found] if counts else found
    if st.session_state.get(key) not in options:
        st.session_state[key] = (ALL_CURRENCIES if counts
                                 else filters.currency if filters.currency in found else found[0])
    labels = {ALL_CURRENCIES: tr("forecast_page.currency_all")}
    return st.selectbox(tr("forecast_page.currency"), options,
                        key=translated_key(key), format_func=lambda c: labels.get(c, c),
                        help=tr("forecast_page.currency_help_counts" if counts else "forecast_page.currency_help"))


def lever_sliders(prefix: str) -> WhatIf:
    """The five what-if levers (Forecast and Scenarios pages), keys `<prefix>_traffic` …"""
    s = st.columns(5)
    return WhatIf(
        traffic_pct=s[0].slider(tr("forecast_page.traffic"), -50, 100, 0, 5, key=f"{prefix}_traffic"),
        conversion_pct=s[1].slider(tr("forecast_page.conversion"), -50, 100, 0, 5, key=f"{prefix}_conversion"),
        aov_pct=s[2].slider(tr("forecast_page.aov"), -50, 100, 0, 5, key=f"{prefix}_aov"),
        discount_pct=s[3].slider(tr("forecast_page.discount"), 0, 50, 0, 5, key=f"{prefix}_discount"),
        elasticity=s[4].slider(tr("forecast_page.elasticity"), *LEVER_ELASTICITY, step=0.1,
                               key=elasticity_key(prefix), help=tr("forecast_page.elasticity_help")))


LEVER_ELASTICITY = (-4.0, 0.0)


def elasticity_key(prefix: str) -> str:
    """The lever's key, with its default set the way elasticity_estimate can change it (a
    slider given both a value and a Session State value warns)."""
    st.session_state.setdefault(f"{prefix}_elasticity", WhatIf().elasticity)
    return f"{prefix}_elasticity"


def elasticity_estimate(ws, filters, currency: str | None, target: str,  # type: ignore[no-untyped-def]
                        bounds: tuple[float, float]) -> None:
    """The price elasticity past promotions imply (lib.pricing.promotion_response), in an
    expander, computed when asked (a units forecast per promotion, cached with the Forecast
    page's lifts); 'Use' sets the slider `target` (within `bounds`)."""
    from lib import charts_pricing as cp
    from lib import pricing
    from ui import forecast_cache as fc

    asked = f"{target}_resp"
    with st.expander(tr("pricing.resp.title"), expanded=bool(st.session_state.get(asked))):
        inputs = fc.load_inputs(ws, "units", "total", None, filters, currency)
        past = inputs.past_promotions()
        if past.empty:
            st.caption(tr("pricing.resp.none"))
            return
        st.caption(tr("pricing.resp.intro", n=len(past)))
        if not (st.button(tr("pricing.resp.run"), key=f"{asked}_run") or st.session_state.get(asked)):
            return
        st.session_state[asked] = True  # asked once: keep showing it (cached) on reruns
        with st.spinner(tr("forecast_page.lifts_running", n=len(past))):
            est = pricing.promotion_response(fc.lifts(inputs), inputs.calendar)
        lang = current_lang()
        if est.elasticity is None:
            st.info(tr("pricing.resp.nothing"))
        elif est.usable is None:
            st.warning(tr("pricing.resp.no_rise", e=f"{est.elasticity:.1f}"))
        else:
            st.markdown(cp.response_sentence(est, lang))
            value = min(bounds[1], max(bounds[0], est.usable))
            st.button(tr("pricing.resp.use", e=f"{value:.1f}"), key=f"{asked}_use",
                      on_click=lambda: st.session_state.update({target: value}))
        if est.promotions:
            table(cp.response_table(est, lang))
        st.caption(tr("pricing.resp.caveat"))
        if est.confounded:
            st.caption(tr_literal("pricing.resp.confounded", names=join_names(est.confounded, lang)))
        if est.skipped:
            st.caption(tr("pricing.resp.skipped", n=est.skipped))


def history_note(ws, filters) -> None:  # type: ignore[no-untyped-def]
    """Forecasts learn from the sidebar's dates: say so when those leave older data out (a
    period like 'Last 30 days' picked for the Overview starves the model)."""
    first = data_coverage(ws).date_min
    if filters.start and first and filters.start > first:
        st.caption(tr("forecast_page.history_cut", start=filters.start.isoformat(),
                      first=first.isoformat()))


def css_string(text: str) -> str:
    """`text` as a quoted CSS string (for `content:`)."""
    return '"' + "".join(c if c.isalnum() or c in " •.,:;()-_+/%" or ord(c) > 127
                         else f"\\{ord(c):x} " for c in text) + '"'


def uploader_words(limit_mb: int, types: list[str]) -> None:
    """Streamlit writes 'Upload' and '300MB per file • CSV…' on its file uploader in English
    whatever the app's language, and its API cannot change them: outside English, a style
    rule shows the translation table's words in their place (the originals are set to no
    size, not removed, so the layout and the input stay Streamlit's own)."""
    if current_lang() == "en":
        return
    button = tr("data.uploader_button")
    limit = tr("data.uploader_limit", mb=limit_mb, types=", ".join(t.upper() for t in types))
    zone = '[data-testid="stFileUploaderDropzone"]'
    st.html(f"""<style>
{zone} [data-testid="stBaseButton-secondary"] [data-testid="stMarkdownContainer"] p {{ font-size: 0; }}
{zone} [data-testid="stBaseButton-secondary"] [data-testid="stMarkdownContainer"] p::after {{
  content: {css_string(button)}; font-size: 0.875rem; }}
{zone} [data-testid="stFileUploaderDropzoneInstructions"] span {{ font-size: 0; }}
{zone} [data-testid="stFileUploaderDropzoneInstructions"] span::after {{
  content: {css_string(limit)}; font-size: 0.875rem; }}
</style>""")


def no_orders_yet() -> None:
    """Nothing to forecast for these choices: say so and link to the Data page."""
    st.info(tr("forecast_page.no_data"))
    st.page_link("app_pages/data.py", label=tr("nav.data"))


def chart(build: Callable[..., alt.TopLevelMixin], *args: object, where: object = None,
          width: Width | None = None, theme: Literal["streamlit"] | None = "streamlit",
          **kwargs: object) -> None:
    """Draw the Altair chart `build(*args, **kwargs)` (in `where`, a column or container; else
    here). Building and converting a chart cost 3 ms (a sparkline) to 20 ms every rerun, under a
    lock Streamlit shares among sessions: the Vega-Lite spec is made once per distinct input
    (`_spec`) and drawn as it is. `build` is one of lib's chart functions, pure in its arguments."""
    spec = _spec(f"{build.__module__}.{build.__qualname__}", args, kwargs, build)
    (where or st).vega_lite_chart(spec=spec, width=width, theme=theme)  # type: ignore[attr-defined]


def _exact_bytes(frame: pd.DataFrame | pd.Series) -> bytes:
    """A frame's cache key: all of it (Streamlit's own hash samples 10,000 rows of a frame from
    50,000 on, and takes ~3 ms for a 27 × 19 one: a rerun of the Overview spent most of its
    time hashing its 18 sparklines' data)."""
    return pickle.dumps(frame, protocol=5)


@st.cache_data(show_spinner=False, max_entries=512,
               hash_funcs={pd.DataFrame: _exact_bytes, pd.Series: _exact_bytes})
def _spec(name: str, args: tuple[object, ...], kwargs: dict[str, object],
          _build: Callable[..., alt.TopLevelMixin]) -> dict[str, object]:
    """The spec Streamlit's own `altair_chart` sends (its data as Arrow bytes, which
    `vega_lite_chart` passes through), keyed by the builder's name and its arguments, without
    Altair's schema check: 12 ms a chart (lib/chart_validation.py; the tests validate every
    page's charts instead)."""
    with unvalidated():
        return _convert_altair_to_vega_lite_spec(_build(*args, **kwargs))


def table(view: Table | pd.DataFrame, **kwargs: object) -> None:
    """A lib table: its numbers stay numbers (a click on a header sorts them as numbers), each
    written with its column's format; a missing value reads as '—', not Streamlit's 'None'."""
    if isinstance(view, pd.DataFrame):
        st.dataframe(view, hide_index=True, placeholder=tr("value.none"), **kwargs)  # type: ignore[arg-type]
        return
    config = {h: st.column_config.NumberColumn(format=f.printf()) for h, f in view.formats.items()}
    st.dataframe(view.frame, hide_index=True, column_config=config,  # type: ignore[arg-type]
                 placeholder=tr("value.none"), **kwargs)
