"""Analysis (guide ch. 4): what happened, what drove the change (adds up exactly), and why our
totals differ from a platform dashboard. Computed in lib.analysis."""
import pandas as pd
import streamlit as st

from lib import charts
from lib import charts_analysis as ca
from lib.analysis import CONTRIBUTION_DIMS, REVENUE
from lib.i18n import fmt_money
from lib.metrics.catalogue import load_catalogue
from lib.metrics.describe import dim_label, format_key
from lib.metrics.engine import data_present
from ui import cached, state, views
from ui.state import tr

st.title(tr("nav.analysis"))
lang = state.current_lang()
TOP = 8


def money(x, currency) -> str:
    return fmt_money(None if x is None or pd.isna(x) else float(x), currency, lang)


def dim_title(d: str) -> str:
    return dim_label(d, lang)


def contribution_steps(dg, dim: str) -> list[tuple[str, float, str]]:
    split = dg.splits[dim]
    parts = list(split.parts)
    steps = [(tr("analysis.step.start"), float(dg.before), "total")]
    steps += [(format_key(dim, p.key, lang), float(p.change), "delta") for p in parts[:TOP]]
    if len(parts) > TOP:  # the rest as one step, so the bars still add up exactly
        rest = sum((p.change for p in parts[TOP:]), start=parts[0].change * 0)
        steps.append((tr("analysis.step.other", n=len(parts) - TOP), float(rest), "delta"))
    steps += [(tr(key), float(amount), "delta") for key, amount in split.extra]
    return steps + [(tr("analysis.step.end"), float(dg.after), "total")]


with state.error_boundary():
    ws = state.current_workspace()
    filters = state.current_filters()
    if not data_present(ws, ["orders"])["orders"]:
        st.info(tr("overview.no_data"))
        st.page_link("app_pages/data.py", label=tr("nav.data"))
        st.stop()
    what, why, recon = st.tabs([tr("analysis.tab.descriptive"), tr("analysis.tab.diagnostic"),
                                tr("analysis.tab.reconciliation")])
    with what:
        grain = st.radio(tr("analysis.grain"), ("day", "week", "month"), index=1, horizontal=True,
                         format_func=dim_title, key=state.translated_key("analysis_grain"))
        d = cached.description(ws, filters, grain)
        cur = d.currency
        st.subheader(tr("analysis.trend"))
        views.chart(charts.stacked_bars, d.trend(), grain, REVENUE, "channel", x_title=dim_title(grain),
                    y_title=cur or "", stack_title=dim_title("channel"), bucket=grain,
                    width="stretch", theme=None)
        st.subheader(tr("analysis.heatmap", tz=ws.timezone))
        heat = d.heatmap().assign(weekday=lambda x: [format_key("weekday", k, lang) for k in x["weekday"]])
        if charts.has_hours(heat):
            views.chart(charts.heatmap, heat, "hour", "weekday", "orders", x_title=dim_title("hour"),
                        y_title=dim_title("weekday"), value_title=tr("data.orders"),
                        y_order=[format_key("weekday", i, lang) for i in range(1, 8)],
                        width="stretch", theme=None)
        else:
            st.caption(tr("analysis.no_hours"))
        st.subheader(tr("analysis.new_returning"))
        views.table(ca.new_returning_table(d.new_vs_returning(), cur, lang))
        rgrain = tr(f"metrics.dim.{d.retention_grain}")  # inside sentences
        st.subheader(tr("analysis.retention", grain=rgrain))
        st.caption(tr("analysis.retention_caption", grain=rgrain))
        retention = d.retention()
        if retention.empty:
            st.info(tr("analysis.retention_none", grain=rgrain))
        else:
            label = load_catalogue()["retention_rate"].text("label", lang)
            views.chart(charts.trend, retention, d.retention_grain, "retention_rate",
                        x_title=dim_label(d.retention_grain, lang), y_title=label, y_format=".1%",
                        width="stretch", theme=None)
        left, right = st.columns(2)
        with left:
            st.subheader(tr("analysis.top_products"))
            views.table(ca.product_table(d.top_products(), cur, lang))
        with right:
            st.subheader(tr("analysis.bottom_products"))
            views.table(ca.product_table(d.bottom_products(), cur, lang))
        st.subheader(tr("analysis.categories"))
        cats = d.categories().assign(category=lambda x: [format_key("category", k, lang) for k in x["category"]])
        views.chart(charts.breakdown_bars, cats, "category", "gross_sales", key_title=dim_title("category"),
                    value_title=cur or "", width="stretch", theme=None)
    with why:
        base = st.radio(tr("analysis.compare_with"), ("previous", "last_year"), horizontal=True,
                        format_func=lambda b: tr(f"analysis.base.{b}"),
                        key=state.translated_key("analysis_base"))
        dg = cached.diagnosis(ws, filters, base)
        if dg.orders[0] == 0:
            st.info(tr("analysis.no_base"))
        pct = f"{dg.change_pct:+.1%}" if dg.change_pct is not None else "—"
        st.write(tr("analysis.change_summary", before=money(dg.before, dg.currency),
                    after=money(dg.after, dg.currency), change=money(dg.change, dg.currency), pct=pct))
        st.subheader(tr("analysis.by_orders_aov"))
        views.chart(charts.waterfall, [(tr(k), float(a), kind) for k, a, kind in dg.aov_steps()],
                    value_title=dg.currency or "", lang=lang, width="stretch", theme=None)
        dim = st.selectbox(tr("analysis.contributions"), CONTRIBUTION_DIMS, format_func=dim_title,
                           key="analysis_dim")
        views.chart(charts.waterfall, contribution_steps(dg, dim), value_title=dg.currency or "", lang=lang,
                    width="stretch", theme=None)
        st.caption(tr("analysis.exact"))
        st.subheader(tr("analysis.movers"))
        views.table(ca.movers_table(dg.movers, dg.currency, lang))
    with recon:
        rc = cached.reconciliation(ws, filters)
        st.write(tr("recon.intro", start=rc.period.start, end=rc.period.end))
        bridge = pd.DataFrame([(tr(k), money(v, rc.currency)) for k, v in rc.bridge()],
                              columns=[tr("metrics.col.metric"), tr("metrics.col.amount")])
        views.table(bridge)
        st.subheader(tr("analysis.excluded_title"))
        amount = lambda m: money(rc.amount(m), rc.currency)  # noqa: E731
        count = lambda m: f"{int(rc.amount(m) or 0):,}"  # noqa: E731
        lines = [(tr("recon.cancelled", n=count("cancelled_orders")), amount("cancelled_value")),
                 (tr("recon.test", n=count("test_orders")), amount("test_order_value")),
                 (tr("recon.refund_docs", n=count("refund_documents")), amount("refund_document_value")),
                 (tr("recon.order_refunds"), amount("order_refunds"))]
        views.table(pd.DataFrame(lines, columns=[tr("metrics.col.metric"), tr("metrics.col.amount")]))
        st.caption(tr("recon.refund_timing"))
        st.caption(tr("recon.timezone", tz=rc.timezone, n_in=f"{rc.moved_out[0]:,}",
                      amount_in=money(rc.moved_out[1], rc.currency), n_out=f"{rc.moved_in[0]:,}",
                      amount_out=money(rc.moved_in[1], rc.currency)))
        st.subheader(tr("recon.currencies"))
        views.table(ca.currency_table(rc.currencies, rc.currency, lang))
