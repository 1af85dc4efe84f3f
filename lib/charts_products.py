"""Altair charts and display tables of the Products & inventory page (presentation only:
lib.products frames in, chart or display frame out; inputs are never changed).

Every label comes from lib.i18n in the page's language. Tables are lib.table Tables: numbers
that sort as numbers, written with their column's format.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import altair as alt
import pandas as pd

from lib.forecast.festivals import display_name
from lib.i18n import fmt_pct, join_names, t
from lib.products import CLASSES, INVENTORY_STATUSES, DemandOutlook
from lib.table import INT, PCT, Fmt, Table, build_table, money

CLASS_COLOURS = ("#2e7d32", "#f9a825", "#9e9e9e")  # A, B, C
STATUS_COLOURS = ("#c62828", "#81c784", "#fb8c00", "#757575")  # reorder, ok, overstock, dead
LINE_COLOUR, LEAD_COLOUR = "#222222", "#000000"
PARETO_TOP = 60  # bars drawn; beyond that a bar is a pixel and its tooltip unreachable
COVER_TOP = 30  # SKUs in the days-of-cover chart
COVER_CAP = 365  # days: longer bars are cut so the urgent ones stay readable

PRODUCT_COLUMNS = ("rank", "product", "name", "category", "units", "gross", "share", "cum_share",
                   "abc", "margin", "margin_rate")
REORDER_COLUMNS = ("sku", "name", "stock", "daily_units", "lead_time_days", "lead_time_demand",
                   "safety_stock_calc", "safety_stock", "reorder_point", "order_qty", "days_of_cover")
DEAD_COLUMNS = ("sku", "name", "category", "supplier", "stock", "unit_cost", "stock_value")
OVERSTOCK_COLUMNS = ("sku", "name", "stock", "daily_units", "days_of_cover", "turns", "stock_value")
DECIMALS = {"units": 0, "gross": 2, "margin": 2, "share": 2, "cum_share": 2, "margin_rate": 1,
            "stock": 0, "daily_units": 2, "lead_time_demand": 1, "safety_stock_calc": 1, "safety_stock": 0,
            "reorder_point": 1, "order_qty": 0, "days_of_cover": 1, "turns": 1, "unit_cost": 2,
            "stock_value": 2}
PERCENT = ("share", "cum_share", "margin_rate")  # 0–1 in lib, shown as % numbers
MONEY = ("gross", "margin", "stock_value", "unit_cost")  # their header names the currency


# -- numbers ------------------------------------------------------------------------------------


def _header(lang: str, currency: str | None = None) -> Callable[[str], str]:
    """Translated headers; money columns name their currency so a bare number is never ambiguous."""
    def header(c: str) -> str:
        label = t(f"products.col.{c}", lang)
        return t("value.in_unit", lang, label=label, unit=currency) if currency and c in MONEY else label
    return header


def _formats(columns: Sequence[str]) -> dict[str, Fmt]:
    """Each numeric column to its decimals; shares as % numbers."""
    return {c: (Fmt(DECIMALS[c], suffix="%", scale=100.0) if c in PERCENT else Fmt(DECIMALS[c]))
            for c in columns if c in DECIMALS}


# -- ABC ----------------------------------------------------------------------------------------
def abc_table(summary: pd.DataFrame, currency: str | None, lang: str = "en") -> Table:
    """lib.products.abc_summary: products, and shares of products, sales and units per class."""
    columns = ["abc", "products", "products_share", "gross", "gross_share", "units_share"]
    formats = {"products": INT, "products_share": PCT, "gross": money(currency),
               "gross_share": PCT, "units_share": PCT}
    return build_table(summary[columns], formats, _header(lang))


def class_notes(a_share: float, b_share: float, lang: str = "en") -> list[str]:
    """One sentence per class, with the boundaries the user chose."""
    spans = {"A": {"a": fmt_pct(a_share, lang)}, "B": {"b": fmt_pct(b_share, lang)},
             "C": {"c": fmt_pct(1 - b_share, lang)}}
    return [t(f"products.class.{c}", lang, **spans[c]) for c in CLASSES]


def product_table(ranked: pd.DataFrame, names: Mapping[str, str], currency: str | None,
                  lang: str = "en") -> Table:
    """lib.products.abc's ranking, one row per product with its name."""
    df = ranked.assign(rank=range(1, len(ranked) + 1),
                       name=[names.get(str(p), "") for p in ranked["product"]])
    return build_table(df[list(PRODUCT_COLUMNS)].reset_index(drop=True),
                       {"rank": INT, **_formats(PRODUCT_COLUMNS)}, _header(lang, currency))


def pareto_chart(ranked: pd.DataFrame, names: Mapping[str, str], currency: str | None,
                 lang: str = "en", top: int = PARETO_TOP) -> alt.LayerChart:
    """Bars of gross sales per product (rank order, coloured by class) under the cumulative
    share line on its own 0–100 % axis; the first `top` products only (the line counts all)."""
    df = ranked.head(top).assign(rank=lambda d: range(1, len(d) + 1),
                                 name=lambda d: [names.get(str(p), "") for p in d["product"]])
    df = df[["rank", "product", "name", "category", "gross", "share", "cum_share", "abc"]]
    tips = [alt.Tooltip("rank:O", title=t("products.col.rank", lang)),
            alt.Tooltip("product:N", title=t("products.col.product", lang)),
            alt.Tooltip("name:N", title=t("products.col.name", lang)),
            alt.Tooltip("category:N", title=t("products.col.category", lang)),
            alt.Tooltip("gross:Q", title=t("products.col.gross", lang), format=",.2f"),
            alt.Tooltip("share:Q", title=t("products.col.gross_share", lang), format=".1%"),
            alt.Tooltip("cum_share:Q", title=t("products.chart.cum_share", lang), format=".1%"),
            alt.Tooltip("abc:N", title=t("products.chart.class", lang))]
    x = alt.X("rank:O", title=t("products.chart.rank", lang),
              axis=alt.Axis(labels=len(df) <= 30, ticks=False, labelAngle=0))
    base = alt.Chart(df).encode(x=x, tooltip=tips)
    bars = base.mark_bar().encode(
        y=alt.Y("gross:Q", title=t("products.chart.gross", lang, currency=currency or "—")),
        color=alt.Color("abc:N", title=t("products.chart.class", lang),
                        scale=alt.Scale(domain=list(CLASSES), range=list(CLASS_COLOURS))))
    line = base.mark_line(color=LINE_COLOUR, point=alt.OverlayMarkDef(color=LINE_COLOUR, size=18)).encode(
        y=alt.Y("cum_share:Q", title=t("products.chart.cum_share", lang),
                scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%", orient="right")))
    return alt.layer(bars, line).resolve_scale(y="independent").properties(height=320)


# -- inventory ----------------------------------------------------------------------------------
def status_name(status: str, lang: str = "en") -> str:
    return t(f"products.status.{status}", lang)


def inventory_table(summary: pd.DataFrame, currency: str | None, lang: str = "en") -> Table:
    """lib.products.inventory_summary: SKUs, units and stock value per status."""
    df = summary[["status", "skus", "stock", "stock_value"]].assign(
        status=[status_name(x, lang) for x in summary["status"]])
    return build_table(df, {"skus": INT, "stock": INT, "stock_value": money(currency)}, _header(lang))


STATUS_ORDER = {"reorder": ("days_of_cover", True), "dead": ("stock_value", False),
                "overstock": ("days_of_cover", False), "ok": ("days_of_cover", True)}


OUTLOOK_DAYS = 30  # the caption's "next days"


def outlook_caption(outlook: DemandOutlook, lang: str = "en") -> str:
    """What the forecast expects ahead, next to the plan that follows it: the next month's pace
    against the demand window's average, the festivals ahead and a fallback method."""
    text = t("products.outlook", lang, day=outlook.last_day.isoformat(), days=OUTLOOK_DAYS,
             share=fmt_pct(outlook.mean_factor(0, OUTLOOK_DAYS), lang), window=outlook.window)
    if outlook.festivals:
        names = join_names((display_name(f, lang) for f in outlook.festivals), lang)
        text += " " + t("products.outlook_festivals", lang, names=names)
    if outlook.method != "prophet":
        text += " " + t("products.outlook_method", lang,
                        method=t(f"forecast_page.method_label.{outlook.method}", lang))
    return text


def status_rows(plan: pd.DataFrame, status: str) -> pd.DataFrame:
    """The SKUs of one status, most pressing first: least cover to reorder, most money tied up
    in dead stock, most cover in overstock."""
    column, ascending = STATUS_ORDER[status]
    rows = plan[plan["status"] == status]
    return rows.sort_values([column, "sku"], ascending=[ascending, True], na_position="last")


def plan_table(plan: pd.DataFrame, columns: Sequence[str], currency: str | None,
               lang: str = "en") -> Table:
    """Some of lib.products.inventory_plan's columns with translated headers."""
    return build_table(plan[list(columns)].reset_index(drop=True), _formats(columns),
                       _header(lang, currency))


def urgent_first(plan: pd.DataFrame) -> pd.DataFrame:
    """SKUs with sales, those to reorder first, then by days of cover (fewest first)."""
    sold = plan[plan["days_of_cover"].notna()]
    order = sold.assign(_first=sold["status"] != "reorder")
    return order.sort_values(["_first", "days_of_cover", "sku"]).drop(columns="_first")


def cover_chart(plan: pd.DataFrame, lang: str = "en", top: int = COVER_TOP,
                cap: int = COVER_CAP) -> alt.LayerChart:
    """Days of cover per SKU (bars by status, cut at `cap`) with its lead time as a tick: a bar
    that ends left of its tick runs out before a new order could arrive."""
    df = urgent_first(plan).head(top)
    df = df.assign(status_name=[status_name(s, lang) for s in df["status"]],
                   shown=df["days_of_cover"].clip(lower=0, upper=cap))
    df = df[["sku", "name", "status", "status_name", "stock", "daily_units", "days_of_cover",
             "shown", "lead_time_days", "reorder_point"]]
    days = t("products.chart.days", lang)
    base = alt.Chart(df).encode(
        y=alt.Y("sku:N", title=None, sort=list(df["sku"]), axis=alt.Axis(labelLimit=200)),
        tooltip=[alt.Tooltip("sku:N", title=t("products.col.sku", lang)),
                 alt.Tooltip("name:N", title=t("products.col.name", lang)),
                 alt.Tooltip("status_name:N", title=t("products.chart.status", lang)),
                 alt.Tooltip("stock:Q", title=t("products.col.stock", lang), format=",.0f"),
                 alt.Tooltip("daily_units:Q", title=t("products.col.daily_units", lang), format=",.2f"),
                 alt.Tooltip("days_of_cover:Q", title=days, format=",.1f"),
                 alt.Tooltip("lead_time_days:Q", title=t("products.chart.lead_time", lang)),
                 alt.Tooltip("reorder_point:Q", title=t("products.col.reorder_point", lang), format=",.1f")])
    names = [status_name(s, lang) for s in INVENTORY_STATUSES]
    bars = base.mark_bar().encode(
        x=alt.X("shown:Q", title=days, scale=alt.Scale(domainMin=0)),
        color=alt.Color("status_name:N", title=t("products.chart.status", lang),
                        scale=alt.Scale(domain=names, range=list(STATUS_COLOURS))))
    ticks = base.mark_tick(color=LEAD_COLOUR, thickness=2, size=16).encode(x="lead_time_days:Q")
    return alt.layer(bars, ticks).properties(height=max(120, 22 * len(df)))
