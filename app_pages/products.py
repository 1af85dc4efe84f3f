"""Products & inventory (ch. 5): ABC classes with margins, stock cover and what to reorder.

Thin on purpose: the figures come from lib/products.py, the charts and display tables from
lib/charts_products.py; this file only lays them out for the sidebar's filters."""
import streamlit as st

from lib import charts_products as cp
from lib import products as pr
from lib.export_cli import to_csv_bytes
from lib.i18n import fmt_pct, join_names
from ui import cached, state, views
from ui.state import tr, tr_literal

SERVICE_LEVELS = (0.9, 0.95, 0.975, 0.99)
st.title(tr("nav.products"))
st.caption(tr("products.intro"))
lang = state.current_lang()


def bullets(lines: list[str]) -> None:
    st.markdown("\n".join(f"- {line}" for line in lines))


def scope(sales: pr.ProductSales) -> None:
    """The currency of every amount below, and which currencies were left out."""
    if sales.currency:
        st.caption(tr_literal("products.currency", currency=sales.currency))
    if sales.excluded:
        st.warning(tr_literal("products.excluded", currency=sales.currency or tr("value.none"),
                              currencies=join_names(sales.excluded, lang)))


def abc_controls() -> tuple[float, float]:
    """Whole percents in the inputs; lib checks 0 < A < B < 1 and the boundary shows its error."""
    c1, c2 = st.columns(2)
    a = c1.number_input(tr("products.a_share"), min_value=1, max_value=99, value=80, step=1,
                        key="products_a_share", help=tr("products.a_share_help"))
    b = c2.number_input(tr("products.b_share"), min_value=1, max_value=99, value=95, step=1,
                        key="products_b_share", help=tr("products.b_share_help"))
    return a / 100, b / 100


def abc_tab(ws, filters) -> None:
    figures = cached.product_figures(ws, filters)
    sales = figures.sales
    scope(sales)
    if sales.table.empty:
        if pr.orders_without_lines(ws, filters):
            st.info(tr("products.no_lines"))
            st.page_link("app_pages/data.py", label=tr("nav.data"))
        else:
            views.no_orders_yet()
        return
    a_share, b_share = abc_controls()
    ranked = pr.abc(sales.table, a_share, b_share)
    names = figures.names
    st.subheader(tr("products.abc_summary"))
    views.table(cp.abc_table(pr.abc_summary(ranked), sales.currency, lang))
    bullets(cp.class_notes(a_share, b_share, lang))
    st.caption(tr("products.boundary"))
    st.subheader(tr("products.pareto"))
    views.chart(cp.pareto_chart, ranked, names, sales.currency, lang)
    if len(ranked) > cp.PARETO_TOP:
        st.caption(tr("products.pareto_top", n=cp.PARETO_TOP, total=f"{len(ranked):,}"))
    st.subheader(tr("products.per_product"))
    views.table(cp.product_table(ranked, names, sales.currency, lang))
    export = ranked.assign(name=[names.get(str(p), "") for p in ranked["product"]])
    st.download_button(tr("products.download_abc"), lambda: to_csv_bytes(export),
                       file_name="products_abc.csv", mime="text/csv", key="products_abc_download",
                       on_click="ignore")


def inventory_controls() -> tuple[float, int, int, bool]:
    """Service level, demand window, review period and whether demand follows the forecast."""
    labels = {v: tr(f"products.demand.{v}") for v in ("forecast", "average")}
    ahead = st.radio(tr("products.demand"), tuple(labels), horizontal=True, format_func=labels.get,
                     key=state.translated_key("products_demand"), help=tr("products.demand_help"))
    c1, c2, c3 = st.columns(3)
    level = c1.select_slider(tr("products.service_level"), SERVICE_LEVELS, value=0.95,
                             format_func=lambda v: fmt_pct(v, lang), key="products_service_level",
                             help=tr("products.service_level_help"))
    window = c2.number_input(tr("products.window"), min_value=7, max_value=730, value=90, step=1,
                             key="products_window", help=tr("products.window_help"))
    review = c3.number_input(tr("products.review"), min_value=0, max_value=365, value=14, step=1,
                             key="products_review", help=tr("products.review_help"))
    return float(level), int(window), int(review), ahead == "forecast"


def no_stock() -> None:
    """Stock and lead times come from a products file, not from orders: say which file."""
    st.info(tr("products.no_stock"))
    st.caption(tr("products.no_stock_hint"))
    st.page_link("app_pages/data.py", label=tr("nav.data"))


def status_list(plan, status: str, columns: tuple[str, ...], currency, note: str = "") -> None:
    """One status's SKUs (most pressing first) and a note on them, or a line saying there are none."""
    st.subheader(tr(f"products.{status}_list"))
    rows = cp.status_rows(plan, status)
    if rows.empty:
        st.caption(tr(f"products.{status}_none", days=pr.OVERSTOCK_DAYS))
        return
    views.table(cp.plan_table(rows, columns, currency, lang))
    if note:
        st.caption(note)


def inventory_tab(ws, filters) -> None:
    level, window, review, ahead = inventory_controls()
    outlook = cached.demand_outlook(ws, filters, window, review) if ahead else None
    plan = cached.inventory_plan(ws, filters, level, window, review, ahead)
    if plan.empty:
        no_stock()
        return
    if outlook is not None:
        st.caption(cp.outlook_caption(outlook, lang))
    currency = plan["value_currency"].iloc[0]
    st.subheader(tr("products.inventory_summary"))
    views.table(cp.inventory_table(pr.inventory_summary(plan), currency, lang))
    bullets([tr(f"products.status_help.{s}", days=pr.OVERSTOCK_DAYS) for s in pr.INVENTORY_STATUSES])
    sold = int(plan["days_of_cover"].notna().sum())
    if sold:
        st.subheader(tr("products.cover_chart"))
        views.chart(cp.cover_chart, plan, lang)
        st.caption(tr("products.cover_top", n=min(sold, cp.COVER_TOP), total=sold, cap=cp.COVER_CAP))
    status_list(plan, "reorder", cp.REORDER_COLUMNS, currency, tr("products.reorder_caption"))
    status_list(plan, "dead", cp.DEAD_COLUMNS, currency)
    status_list(plan, "overstock", cp.OVERSTOCK_COLUMNS, currency)
    st.download_button(tr("products.download_plan"), lambda: to_csv_bytes(plan),
                       file_name="inventory_plan.csv", mime="text/csv", key="products_plan_download",
                       on_click="ignore")
    with st.expander(tr("products.formulas")):
        st.markdown(tr("products.formulas_text"))


with state.error_boundary():  # each tab has its own boundary: a bad setting leaves the other
    workspace, current = state.current_workspace(), state.current_filters()
    abc_part, inventory_part = st.tabs([tr("products.tab.abc"), tr("products.tab.inventory")])
    with abc_part, state.error_boundary():
        abc_tab(workspace, current)
    with inventory_part, state.error_boundary():
        inventory_tab(workspace, current)
