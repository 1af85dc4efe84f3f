"""Overview: KPI cards (change vs the previous period, and last year when the data reach back),
sparklines, gross → net made explicit, and a breakdown. Computed in lib.metrics.overview."""
import pandas as pd
import streamlit as st

from lib import charts
from lib.metrics.describe import (
    describe_value, format_change, format_key, format_number, format_value,
)
from lib.metrics.overview import BREAKDOWN_METRICS, BREAKDOWNS, TREND, compute_overview
from ui import state
from ui.state import tr

st.title(tr("nav.overview"))
lang = state.current_lang()
DELTA_COLOR = {True: "normal", False: "inverse", None: "off"}


def draw_card(col, card, currency, trend) -> None:
    m = card.metric
    shown, exact = (format_value(m, card.current, currency, lang, compact=c) for c in (True, False))
    help_text = " ".join(x for x in (m.text("description", lang), describe_value(card.current, lang),
                                     tr("overview.exact", value=exact) if shown != exact else "") if x)
    ly = format_change(card.vs_last_year, lang)
    col.metric(m.text("label", lang), shown,
               delta=format_change(card.vs_previous, lang), help=help_text,
               delta_color=DELTA_COLOR[m.higher_is_better],
               delta_description=tr("overview.vs_last_year", change=ly) if ly else None)
    if m.id in TREND and trend[m.id].notna().sum() > 1:
        col.altair_chart(charts.sparkline(trend, trend.columns[0], m.id), width="stretch", theme=None)


def comparison_table(ov) -> pd.DataFrame:
    cur = ov.currency
    rows = [{tr("metrics.col.metric"): c.metric.text("label", lang),
             tr("metrics.col.current"): format_value(c.metric, c.current, cur, lang),
             tr("metrics.col.previous"): format_value(c.metric, c.previous, cur, lang),
             tr("metrics.col.change"): format_change(c.vs_previous, lang) or "",
             tr("metrics.col.last_year"): format_value(c.metric, c.last_year, cur, lang) if c.last_year else "",
             tr("metrics.col.change_ly"): format_change(c.vs_last_year, lang) or "",
             tr("metrics.col.note"): describe_value(c.current, lang)} for c in ov.cards]
    return pd.DataFrame(rows)


cards_area = st.container()
with state.error_boundary():
    ws = state.current_workspace()
    filters = state.current_filters()
    st.divider()
    dim = st.selectbox(tr("overview.breakdown"), BREAKDOWNS, key="overview_breakdown",
                       format_func=lambda d: tr(f"metrics.dim.{d}"))
    ov = compute_overview(ws, filters, dim)
    if not ov.has_orders:
        cards_area.info(tr("overview.no_data"))
        cards_area.page_link("app_pages/data.py", label=tr("nav.data"))
    else:
        cur, prev = ov.result.period("current"), ov.result.period("previous")
        cards_area.caption(tr("overview.period", start=cur.start, end=cur.end, days=cur.days,
                              prev_start=prev.start, prev_end=prev.end))
        if ov.result.plan.excluded:
            cards_area.warning(tr("overview.excluded", currency=ov.currency,
                                  currencies=", ".join(ov.result.plan.excluded)))
        elif ov.result.plan.order_rates is not None:
            cards_area.caption(tr("overview.converted", currency=ov.currency))
        trend = ov.trend()
        for start in range(0, len(ov.cards), 4):
            for col, card in zip(cards_area.columns(4), ov.cards[start:start + 4]):
                draw_card(col, card, ov.currency, trend)
        cards_area.caption(tr("overview.definitions"))

        by_id = {c.metric.id: c for c in ov.cards}
        steps = [(by_id[m].metric.text("label", lang), float(by_id[m].current.value or 0), kind)
                 for m, kind in (("gross_sales", "total"), ("discounts", "delta"),
                                 ("refunds", "delta"), ("net_sales", "total"))]
        steps = [(label, -v if kind == "delta" else v, kind) for label, v, kind in steps]
        st.subheader(tr("overview.bridge"))
        st.altair_chart(charts.waterfall(steps, value_title=ov.currency or ""), width="stretch",
                        theme=None)

        table = ov.breakdown()
        measure = ov.sales_measure()
        label = next(c.metric for c in ov.cards if c.metric.id == measure).text("label", lang)
        st.subheader(tr("overview.breakdown_title", metric=label, dim=tr(f"metrics.dim.{dim}")))
        if measure != "net_sales":
            st.caption(tr("overview.breakdown_note", dim=tr(f"metrics.dim.{dim}")))
        if not table.empty:
            shown = table.head(25).assign(**{dim: [format_key(dim, k, lang) for k in table.head(25)[dim]]})
            st.altair_chart(charts.breakdown_bars(shown, dim, measure, key_title=tr(f"metrics.dim.{dim}"),
                                                  value_title=label, by_channel=dim == "channel"),
                            width="stretch", theme=None)
            metrics = {m: next((c.metric for c in ov.cards if c.metric.id == m), None) for m in BREAKDOWN_METRICS}
            view = pd.DataFrame({tr(f"metrics.dim.{dim}"): shown[dim]})
            for m, meta in metrics.items():
                if meta is not None and shown[m].notna().any():
                    view[meta.text("label", lang)] = [format_number(meta, v if pd.notna(v) else None, ov.currency, lang)
                                                      for v in shown[m]]
            st.dataframe(view, hide_index=True)
        with st.expander(tr("overview.compare")):
            st.dataframe(comparison_table(ov), hide_index=True)
