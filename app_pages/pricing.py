"""Pricing & promotions (ch. 5): what each discount code brought, price what-ifs and the
break-even volume of a discount.

Thin on purpose: the figures come from lib/pricing.py and lib/products.py, the charts and
formatted tables from lib/charts_pricing.py; this file only lays them out for the sidebar's
filters. Promotion lifts (slow: a forecast per promotion) are computed only when asked, for
the elasticity estimate (ui/views.elasticity_estimate)."""
import streamlit as st

from lib import charts_pricing as cp
from lib import pricing
from lib.export_cli import to_csv_bytes
from lib.i18n import fmt_date_range, fmt_money, fmt_pct, join_names
from lib.scenario import ELASTICITY_RANGE
from ui import cached, state, views
from ui.state import tr, tr_literal

ALL = "__all__"  # the product picker's "all products" option
FALLBACK_MARGIN_PCT = 40.0  # break-even margin rate offered when no product has a unit cost
st.title(tr("nav.pricing"))
st.caption(tr("pricing.intro"))
lang = state.current_lang()


def scope(report: pricing.CodeReport, filters) -> None:
    """Period and currency of every figure below, and which currencies were left out."""
    currency = report.currency or tr("value.none")
    st.caption(tr_literal("pricing.scope", period=fmt_date_range(filters.start, filters.end, lang),
                          currency=currency))
    if report.excluded:
        st.warning(tr_literal("pricing.excluded", currency=currency, currencies=join_names(report.excluded, lang)))


def codes_section(report: pricing.CodeReport) -> None:
    st.subheader(tr("pricing.codes.title"))
    st.caption(tr("pricing.codes.caption"))
    table, currency = report.table, report.currency
    has_codes = bool(table["code"].notna().any())
    if not has_codes:
        st.info(tr("pricing.codes.none"))
    views.table(cp.code_table(table, currency, lang))
    if has_codes:
        views.chart(cp.code_chart, table, currency, lang)
        codes = int(table["code"].notna().sum())
        if codes > cp.CHART_CODES:
            st.caption(tr("pricing.codes.chart_top", shown=cp.CHART_CODES, total=codes))
    st.download_button(tr("pricing.codes.download"),
                       data=lambda: to_csv_bytes(cp.code_export(table, currency, lang)),
                       file_name="discount_codes.csv", mime="text/csv", key="pr_codes_csv",
                       on_click="ignore")
    st.caption(tr("pricing.codes.lift"))
    st.page_link("app_pages/forecast.py", label=tr("nav.forecast"))


def product_picker(sales, names: dict[str, str]) -> str:
    """The product to reprice, or ALL; the top seller (first row, by gross) until one is chosen
    or the filters drop the chosen one. A SKU is shown with its name ('22423 · REGENCY
    CAKESTAND 3 TIER'): a bare code says nothing to whoever prices it."""
    options = [ALL, *sales["product"]]

    def label(p) -> str:
        if p == ALL:
            return tr("pricing.whatif.all")
        name = names.get(str(p), "")
        return f"{p} · {name}" if name and name != str(p) else str(p)

    if "pr_product" not in st.session_state or st.session_state["pr_product"] not in options:
        st.session_state["pr_product"] = options[1]
    return st.selectbox(tr("pricing.whatif.product"), options, key=state.translated_key("pr_product"),
                        format_func=label)


def what_if_section(sales, product: str, currency: str | None) -> None:
    """Units, revenue and margin after the price change (metrics), per product for ALL."""
    c1, c2 = st.columns(2)
    lo, hi = pricing.PRICE_CHANGE_RANGE
    change = c1.slider(tr("pricing.whatif.change"), min_value=lo, max_value=hi, value=-10.0,
                       step=1.0, key="pr_change")
    e_lo, e_hi = ELASTICITY_RANGE
    elasticity = c2.slider(tr("pricing.whatif.elasticity"), min_value=e_lo, max_value=e_hi,
                           step=0.1, key=views.elasticity_key("pr"), help=tr("pricing.whatif.elasticity_help"))
    st.caption(tr("pricing.whatif.elasticity_caption"))
    views.elasticity_estimate(ws, filters, currency, "pr_elasticity", ELASTICITY_RANGE)
    rows = sales if product == ALL else sales[sales["product"] == product]
    result = pricing.price_what_if(rows, change, elasticity)
    tot = pricing.what_if_totals(result)
    m1, m2, m3 = st.columns(3)
    m1.metric(tr("pricing.whatif.units"), cp.units(tot["units_after"], lang),
              delta=cp.delta(tot["units"], tot["units_after"], digits=0))
    m2.metric(tr("pricing.whatif.revenue"), fmt_money(tot["revenue_after"], currency, lang),
              delta=cp.delta(tot["revenue"], tot["revenue_after"]))
    m3.metric(tr("pricing.whatif.margin"), fmt_money(tot["margin_after"], currency, lang),
              delta=cp.delta(tot["margin"], tot["margin_after"]))
    st.caption(tr("pricing.whatif.before", units=cp.units(tot["units"], lang),
                  revenue=fmt_money(tot["revenue"], currency, lang),
                  margin=fmt_money(tot["margin"], currency, lang)))
    if tot["uncosted"] and product != ALL:
        st.caption(tr_literal("pricing.whatif.no_cost", product=product))
    elif tot["uncosted"]:
        st.caption(tr("pricing.whatif.some_uncosted", n=int(tot["uncosted"])))
    if product == ALL:
        views.table(cp.what_if_table(result, currency, lang))


def default_margin(sales, product: str) -> tuple[float, str]:
    """(margin rate in %, where it comes from): the product's when it has a unit cost, else the
    shop's over costed products, else a stated guess."""
    row = sales[sales["product"] == product]
    if product != ALL and len(row) and row["margin_rate"].notna().iloc[0]:
        rate = float(row["margin_rate"].iloc[0])
        return rate * 100, tr_literal("pricing.be.from_product", product=product, rate=fmt_pct(rate, lang))
    rate = pricing.overall_margin_rate(sales)
    if rate is not None:
        return rate * 100, tr("pricing.be.from_shop", rate=fmt_pct(rate, lang))
    return FALLBACK_MARGIN_PCT, tr("pricing.be.no_cost", rate=fmt_pct(FALLBACK_MARGIN_PCT / 100, lang))


def margin_input(col, default_pct: float, source: str) -> float:
    """Pre-filled with the current choice's margin rate; an edit stays until that changes."""
    default_pct = round(min(100.0, max(-100.0, default_pct)), 1)
    marker = f"{source}|{default_pct}"
    if "pr_margin" not in st.session_state or st.session_state.get("pr_margin_for") != marker:
        st.session_state["pr_margin"] = default_pct
        st.session_state["pr_margin_for"] = marker
    return col.number_input(tr("pricing.be.margin"), min_value=-100.0, max_value=100.0, step=0.5,
                            format="%.1f", key="pr_margin", help=tr("pricing.be.margin_help"))


def breakeven_section(sales, product: str) -> None:
    st.subheader(tr("pricing.be.title"))
    st.caption(tr("pricing.be.caption"))
    default_pct, source = default_margin(sales, product)
    c1, c2 = st.columns(2)
    discount = c1.slider(tr("pricing.be.discount"), 0, 50, 10, 1, key="pr_discount")
    margin_pct = margin_input(c2, default_pct, product)
    c2.caption(source)
    extra = pricing.breakeven_volume(discount, margin_pct / 100)
    d, m = fmt_pct(discount / 100, lang), fmt_pct(margin_pct / 100, lang)
    if extra is None:
        st.warning(tr("pricing.be.never", discount=d, margin=m))
    else:
        st.metric(tr("pricing.be.extra"), cp.change(extra, lang))
        st.caption(tr("pricing.be.result", discount=d, margin=m, extra=fmt_pct(extra, lang)))
    views.chart(cp.breakeven_chart, margin_pct / 100, discount, lang)
    st.caption(tr("pricing.be.scenarios"))
    st.page_link("app_pages/scenarios.py", label=tr("nav.scenarios"))


with state.error_boundary():
    ws = state.current_workspace()
    filters = state.current_filters()
    report = cached.discount_codes(ws, filters)
    if report.table.empty:
        views.no_orders_yet()
    else:
        scope(report, filters)
        codes_section(report)
        figures = cached.product_figures(ws, filters)
        sales = figures.sales.table
        st.subheader(tr("pricing.whatif.title"))
        st.caption(tr("pricing.whatif.caption"))
        chosen = ALL
        if sales.empty:
            st.info(tr("pricing.whatif.no_products"))
        else:
            chosen = product_picker(sales, figures.names)
            with state.error_boundary():
                what_if_section(sales, chosen, report.currency)
        with state.error_boundary():
            breakeven_section(sales, chosen)
