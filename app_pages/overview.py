"""Overview: KPI cards (change vs the previous period, and last year when the data reach back),
sparklines, gross → net made explicit, and a breakdown. Computed in lib.metrics.overview."""
from datetime import date

import streamlit as st

from lib import charts
from lib.i18n import join_names
from lib.metrics.describe import describe_value, dim_label, format_change, format_key, format_value
from lib.metrics.overview import BREAKDOWN_ROWS, BREAKDOWNS
from lib.overview_report import (breakdown_view, chapter_sections, comparison_frame, comparison_title,
                                 overview_report)
from ui import cached, state, views
from ui.state import tr, tr_literal

st.title(tr("nav.overview"))
lang = state.current_lang()
DELTA_COLOR = {True: "normal", False: "inverse", None: "off"}


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


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
    if m.id in trend.columns and trend[m.id].notna().sum() > 1:
        views.chart(charts.sparkline, trend, trend.columns[0], m.id, where=col, width="stretch", theme=None)


cards_area = st.container()
with state.error_boundary():
    ws = state.current_workspace()
    filters = state.current_filters()
    st.divider()
    dim = st.selectbox(tr("overview.breakdown"), BREAKDOWNS, key=state.translated_key("overview_breakdown"),
                       format_func=lambda d: dim_label(d, lang))
    figures = cached.overview(ws, filters, dim)
    ov = figures.overview
    if not ov.has_orders:
        cards_area.info(tr("overview.no_data"))
        cards_area.page_link("app_pages/data.py", label=tr("nav.data"))
    else:
        cur = ov.result.period("current")
        cards_area.caption(ov.period_text(lang))
        if ov.result.plan.excluded:
            cards_area.warning(tr_literal("overview.excluded", currency=ov.currency,
                                          currencies=join_names(ov.result.plan.excluded, lang)))
        elif ov.result.plan.order_rates is not None:
            cards_area.caption(tr_literal("overview.converted", currency=ov.currency))
        trend = figures.trend
        cards = ov.shown_cards()
        for start in range(0, len(cards), 4):
            for col, card in zip(cards_area.columns(4), cards[start:start + 4]):
                draw_card(col, card, ov.currency, trend)
        if missing := ov.missing_data():
            items = [tr("overview.not_shown_item", needs=upper_first(tr(f"metrics.needs.{what}")),
                        metrics=join_names((m.text("label", lang) for m in ms), lang))
                     for what, ms in missing.items()]
            cards_area.info("\n".join([tr("overview.not_shown"), *(f"- {i}" for i in items)]))
        cards_area.caption(tr("overview.definitions"))

        steps = [(m.text("label", lang), amount, kind) for m, amount, kind in ov.bridge()]
        st.subheader(tr("overview.bridge"))
        views.chart(charts.waterfall, steps, value_title=ov.currency or "", lang=lang,
                    width="stretch", theme=None)

        table = figures.breakdown
        measure = ov.sales_measure()
        label = ov.card_metric(measure).text("label", lang)
        st.subheader(tr("overview.breakdown_title", metric=label, dim=tr(f"metrics.dim.{dim}")))
        if measure != "net_sales":
            st.caption(tr("overview.breakdown_note", dim=tr(f"metrics.dim.{dim}")))
        if not table.empty:
            shown = table.head(BREAKDOWN_ROWS)
            keys = [format_key(dim, k, lang) for k in shown[dim]]
            views.chart(charts.breakdown_bars, shown.assign(**{dim: keys}), dim, measure,
                        key_title=dim_label(dim, lang), value_title=label,
                        by_channel=dim == "channel", width="stretch", theme=None)
            views.table(breakdown_view(ov, shown, lang))
        with st.expander(comparison_title(ov, lang)):
            views.table(comparison_frame(ov, lang))
        st.download_button(tr("overview.download_report"),
                           data=lambda: overview_report(ov, date.today(), lang,
                                                        chapter_sections(ws, filters, lang)).encode("utf-8"),
                           file_name=f"shop_report_{cur.start}_{cur.end}.html", mime="text/html",
                           key="overview_report", on_click="ignore")
