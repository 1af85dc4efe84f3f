"""Altair charts and display tables of the Products & inventory page (presentation only:
lib.products frames in, chart or display frame out; inputs are never changed).

Every label comes from lib.i18n in the page's language. Small summary tables hold formatted
text (money with its currency, shares as %); long lists keep rounded numbers so they still sort.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import altair as alt
import pandas as pd

from lib.i18n import fmt_money, fmt_pct, t
from lib.products import CLASSES, INVENTORY_STATUSES

CLASS_COLOURS = ("#2e7d32", "#f9a825", "#9e9e9e")  # A, B, C
STATUS_COLOURS = ("#c62828", "#81c784", "#fb8c00", "#757575")  # reorder, ok, overstock, dead
LINE_COLOUR, LEAD_COLOUR = "#222222", "#000000"
PARETO_TOP = 60  # bars drawn; beyond that a bar is a pixel and its tooltip unreachable
COVER_TOP = 30  # SKUs in the days-of-cover chart
COVER_CAP = 365  # days: longer bars are cut so the urgent ones stay readable

PRODUCT_COLUMNS = ("rank", "product", "name", "category", "units", "gross", "share", "cum_share",
                   "abc", "margin", "margin_rate")
REORDER_COLUMNS = ("sku", "name", "stock", "daily_units", "lead_time_days", "safety_stock_calc",
                   "safety_stock", "reorder_point", "order_qty", "days_of_cover")
DEAD_COLUMNS = ("sku", "name", "category", "supplier", "stock", "unit_cost", "stock_value")
OVERSTOCK_COLUMNS = ("sku", "name", "stock", "daily_units", "days_of_cover", "turns", "stock_value")
DECIMALS = {"units": 0, "gross": 2, "margin": 2, "share": 2, "cum_share": 2, "margin_rate": 1,
            "stock": 0, "daily_units": 2, "safety_stock_calc": 1, "safety_stock": 0,
            "reorder_point": 1, "order_qty": 0, "days_of_cover": 1, "turns": 1, "unit_cost": 2,
            "stock_value": 2}
PERCENT = ("share", "cum_share", "margin_rate")  # 0–1 in lib, shown as % numbers
MONEY = ("gross", "margin", "stock_value", "unit_cost")  # their header names the currency


# -- numbers ------------------------------------------------------------------------------------


def _headers(df: pd.DataFrame, lang: str, currency: str | None = None) -> pd.DataFrame:
    """Translated headers; money columns name their currency so a bare number is never ambiguous."""
    def header(c: str) -> str:
        label = t(f"products.col.{c}", lang)
        return f"{label} ({currency})" if currency and c in MONEY else label
    return df.rename(columns={c: header(c) for c in df.columns})


def _rounded(df: pd.DataFrame) -> pd.DataFrame:
    """Numbers a table can show and still sort: shares as %, each column to its decimals."""
    out = df.copy()
    for c in out.columns:
        if c in PERCENT:
            out[c] = out[c] * 100
        if c in DECIMALS:
            out[c] = pd.to_numeric(out[c], errors="coerce").round(DECIMALS[c])
            if DECIMALS[c] == 0:  # counts read as counts ("105", not "105.0"); missing stays empty
                out[c] = out[c].astype("Int64")
    return out


# -- ABC ----------------------------------------------------------------------------------------
def abc_table(summary: pd.DataFrame, currency: str | None, lang: str = "en") -> pd.DataFrame:
    """lib.products.abc_summary with formatted figures."""
    s = summary
    return _headers(pd.DataFrame({
        "abc": s["abc"],
        "products": s["products"].astype("int64"),
        "products_share": [fmt_pct(v, lang) for v in s["products_share"]],
        "gross": [fmt_money(v, currency, lang) for v in s["gross"]],
        "gross_share": [fmt_pct(v, lang) for v in s["gross_share"]],
        "units_share": [fmt_pct(v, lang) for v in s["units_share"]],
    }), lang)


def class_notes(a_share: float, b_share: float, lang: str = "en") -> list[str]:
    """One sentence per class, with the boundaries the user chose."""
    spans = {"A": {"a": fmt_pct(a_share, lang)}, "B": {"b": fmt_pct(b_share, lang)},
             "C": {"c": fmt_pct(1 - b_share, lang)}}
    return [t(f"products.class.{c}", lang, **spans[c]) for c in CLASSES]


def product_table(ranked: pd.DataFrame, names: Mapping[str, str], currency: str | None,
                  lang: str = "en") -> pd.DataFrame:
    """lib.products.abc's ranking, one row per product with its name, rounded for display."""
    df = ranked.assign(rank=range(1, len(ranked) + 1),
                       name=[names.get(str(p), "") for p in ranked["product"]])
    return _headers(_rounded(df[list(PRODUCT_COLUMNS)]), lang, currency)


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


def inventory_table(summary: pd.DataFrame, currency: str | None, lang: str = "en") -> pd.DataFrame:
    """lib.products.inventory_summary with status names and formatted figures."""
    s = summary
    return _headers(pd.DataFrame({
        "status": [status_name(x, lang) for x in s["status"]],
        "skus": s["skus"].astype("int64"),
        "stock": [f"{v:,.0f}" for v in s["stock"]],
        "stock_value": [fmt_money(v, currency, lang) for v in s["stock_value"]],
    }), lang)


STATUS_ORDER = {"reorder": ("days_of_cover", True), "dead": ("stock_value", False),
                "overstock": ("days_of_cover", False), "ok": ("days_of_cover", True)}


def status_rows(plan: pd.DataFrame, status: str) -> pd.DataFrame:
    """The SKUs of one status, most pressing first: least cover to reorder, most money tied up
    in dead stock, most cover in overstock."""
    column, ascending = STATUS_ORDER[status]
    rows = plan[plan["status"] == status]
    return rows.sort_values([column, "sku"], ascending=[ascending, True], na_position="last")


def plan_table(plan: pd.DataFrame, columns: Sequence[str], currency: str | None,
               lang: str = "en") -> pd.DataFrame:
    """Some of lib.products.inventory_plan's columns, rounded, with translated headers."""
    return _headers(_rounded(plan[list(columns)]), lang, currency).reset_index(drop=True)


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
