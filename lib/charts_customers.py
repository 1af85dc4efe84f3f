"""Altair charts and display tables of the Customers page (presentation only: lib.customers
frames in, chart or display frame out; inputs are never changed).

Every label comes from lib.i18n in the page's language. Tables are lib.table Tables (numbers
that sort as numbers, each column with its format), except the cohort table, whose cells mark
an unfinished month with '*'.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

import altair as alt
import numpy as np
import pandas as pd

from lib.customers import SEGMENT_IDS, SEGMENTS
from lib.i18n import t
from lib.table import INT, PCT, Fmt, Table, build_table, money

BAR_COLOUR, SHARE_COLOUR, MEAN_COLOUR = "#4c78a8", "#f58518", "#222222"
PARTIAL_OPACITY = 0.4  # a month not over yet: its figures will still grow


# -- numbers ------------------------------------------------------------------------------------
def fmt_days(value: float | None, lang: str = "en") -> str:
    """'44 days' (a median can be a half day: '44.5 days'); '—' when there is none."""
    if value is None or pd.isna(value):
        return t("value.none", lang)
    n = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    return t("customers.days", lang, n=n)


def segment_name(segment: str, lang: str = "en") -> str:
    return t(f"customers.segment.{segment}", lang)


def _header(lang: str) -> Callable[[str], str]:
    return lambda c: t(f"customers.col.{c}", lang)


# -- RFM ----------------------------------------------------------------------------------------
def segment_table(summary: pd.DataFrame, currency: str | None, lang: str = "en") -> Table:
    """lib.customers.segment_summary with translated names."""
    columns = ["segment", "customers", "customer_share", "monetary", "monetary_share",
               "median_recency_days", "mean_orders", "monetary_per_customer"]
    df = summary[columns].assign(segment=[segment_name(x, lang) for x in summary["segment"]])
    formats = {"customers": INT, "customer_share": PCT, "monetary": money(currency),
               "monetary_share": PCT, "median_recency_days": INT, "mean_orders": Fmt(2),
               "monetary_per_customer": money(currency)}
    return build_table(df, formats, _header(lang))


def grid_table(lang: str = "en") -> pd.DataFrame:
    """The R × F map as a grid: rows R 5 (most recent) to R 1, columns F 1 to F 5."""
    of = {(r, f): s for s, rs, fs in SEGMENTS for r in rs for f in fs}
    rows = {f"R{r}": [segment_name(of[(r, f)], lang) for f in range(1, 6)] for r in range(5, 0, -1)}
    return pd.DataFrame.from_dict(rows, orient="index", columns=[f"F{f}" for f in range(1, 6)])


def action_table(lang: str = "en") -> pd.DataFrame:
    """Segment → who they are → what to do, in SEGMENT_IDS order."""
    return pd.DataFrame({
        "segment": [segment_name(s, lang) for s in SEGMENT_IDS],
        "meaning": [t(f"customers.meaning.{s}", lang) for s in SEGMENT_IDS],
        "action": [t(f"customers.action.{s}", lang) for s in SEGMENT_IDS],
    }).rename(columns=_header(lang))


def segment_chart(summary: pd.DataFrame, currency: str | None, lang: str = "en") -> alt.HConcatChart:
    """Customers per segment beside each segment's share of net sales: where the value sits
    against where the head count sits (segments in the R × F map's order, most valuable first)."""
    df = summary.assign(label=[segment_name(s, lang) for s in summary["segment"]])
    order = [segment_name(s, lang) for s in SEGMENT_IDS if s in set(summary["segment"])]
    money_title = f"{t('customers.chart.net', lang)} ({currency})" if currency else t("customers.chart.net", lang)
    tooltip = [alt.Tooltip("label:N", title=t("customers.chart.segment", lang)),
               alt.Tooltip("customers:Q", title=t("customers.chart.customers", lang), format=","),
               alt.Tooltip("customer_share:Q", title=t("customers.chart.customer_share", lang), format=".1%"),
               alt.Tooltip("monetary:Q", title=money_title, format=",.2f"),
               alt.Tooltip("monetary_share:Q", title=t("customers.chart.net_share", lang), format=".1%"),
               alt.Tooltip("monetary_per_customer:Q", title=t("customers.chart.per_customer", lang),
                           format=",.2f")]
    base = alt.Chart(df).encode(
        y=alt.Y("label:N", title=None, sort=order, axis=alt.Axis(labelLimit=220)), tooltip=tooltip)
    count = base.mark_bar(color=BAR_COLOUR).encode(
        x=alt.X("customers:Q", title=t("customers.chart.customers", lang)))
    value = base.mark_bar(color=SHARE_COLOUR).encode(
        x=alt.X("monetary_share:Q", title=t("customers.chart.net_share", lang), axis=alt.Axis(format="%")))
    height = 26 * max(1, len(df))
    return alt.hconcat(count.properties(height=height, width=320),
                       value.properties(height=height, width=220).encode(y=alt.Y("label:N", sort=order, axis=None)))


# -- cohorts ------------------------------------------------------------------------------------
def _cohort_frame(coh: pd.DataFrame, lang: str) -> pd.DataFrame:
    stamps = pd.to_datetime(coh["cohort"])
    return coh.assign(cohort=stamps, cohort_ms=stamps.astype("datetime64[ms]").astype("int64"),
                      cohort_label=[pd.Timestamp(c).strftime("%Y-%m") for c in coh["cohort"]],
                      note=[t("customers.chart.partial", lang) if p else "" for p in coh["partial"]])


def retention_heatmap(coh: pd.DataFrame, lang: str = "en") -> alt.LayerChart:
    """Cohort (rows, oldest first) × months since first order (columns), coloured by retention.

    Month 0 is left out: it is 100% by definition and would squeeze the colour scale that
    tells months 1, 2, … apart. Months not over yet are faded (their retention still grows)."""
    df = _cohort_frame(coh[coh["k"] >= 1], lang)
    top = float(df["retention"].max()) if len(df) else 0.0
    df = df.assign(dark=df["retention"] > 0.6 * top)
    retention = t("customers.chart.retention", lang)
    base = alt.Chart(df).encode(
        x=alt.X("k:O", title=t("customers.chart.k", lang), axis=alt.Axis(labelAngle=0)),
        y=alt.Y("cohort_label:O", title=t("customers.chart.cohort", lang), sort="ascending",
                axis=alt.Axis(labelOverlap=False)))
    cells = base.mark_rect(stroke="white", strokeWidth=1).encode(
        color=alt.Color("retention:Q", title=retention, scale=alt.Scale(scheme="blues", domainMin=0),
                        legend=alt.Legend(format="%")),
        opacity=alt.condition("datum.partial", alt.value(PARTIAL_OPACITY), alt.value(1.0)),
        tooltip=[alt.Tooltip("cohort_label:O", title=t("customers.chart.cohort", lang)),
                 alt.Tooltip("k:O", title=t("customers.chart.k", lang)),
                 alt.Tooltip("retention:Q", title=retention, format=".1%"),
                 alt.Tooltip("active:Q", title=t("customers.chart.active", lang), format=","),
                 alt.Tooltip("size:Q", title=t("customers.chart.size", lang), format=","),
                 alt.Tooltip("ltv:Q", title=t("customers.chart.ltv", lang), format=",.2f"),
                 alt.Tooltip("note:N", title=t("customers.chart.note", lang))])
    text = base.mark_text(fontSize=10).encode(
        text=alt.Text("retention:Q", format=".1%"),
        color=alt.condition("datum.dark", alt.value("white"), alt.value("black")))
    return (cells + text).properties(height=alt.Step(24))  # one 24-px row per cohort


def mean_ltv(coh: pd.DataFrame) -> pd.DataFrame:
    """Per k, the LTV of the cohorts whose month k is over, weighted by cohort size (a big
    cohort counts for its customers, a tiny one does not swing the curve)."""
    done = coh[~coh["partial"].astype(bool)]
    if done.empty:
        return pd.DataFrame(columns=["k", "ltv", "size"])
    w = done.assign(weighted=done["ltv"] * done["size"])
    g = w.groupby("k").agg(weighted=("weighted", "sum"), size=("size", "sum")).reset_index()
    return g.assign(ltv=g["weighted"] / g["size"])[["k", "ltv", "size"]]


def ltv_chart(coh: pd.DataFrame, currency: str | None, lang: str = "en") -> alt.LayerChart:
    """Cumulative net per customer by k: thin lines per cohort (colour by cohort month, so
    many cohorts stay readable as a gradient) and a thick line for the size-weighted mean."""
    df = _cohort_frame(coh, lang)
    title = t("customers.chart.ltv", lang) + (f" ({currency})" if currency else "")
    # Ticks and legend entries at the data's own months: left to Vega, a month or two of
    # data gave the axis '0, 1, 1' (0.5 written as a whole number) and the legend five
    # entries all reading '2023-04' (ticks inside one month, written as months).
    ks = sorted(int(k) for k in df["k"].unique())
    months = sorted(int(m) for m in df["cohort_ms"].unique())
    shown = [months[i] for i in sorted({round(j) for j in np.linspace(0, len(months) - 1, 5)})] \
        if len(months) > 5 else months
    x = alt.X("k:Q", title=t("customers.chart.k", lang), axis=alt.Axis(values=ks, format="d"))
    lines = alt.Chart(df).mark_line(strokeWidth=1.2, opacity=0.7, point=alt.OverlayMarkDef(size=10)).encode(
        x=x, y=alt.Y("ltv:Q", title=title),
        # a number (ms since 1970) shown as a date: Vega-Lite gives time scales a symbol
        # legend, one entry per cohort; a gradient legend stays short with many cohorts
        color=alt.Color("cohort_ms:Q", title=t("customers.chart.cohort", lang),
                        scale=alt.Scale(scheme="viridis"),
                        legend=alt.Legend(format="%Y-%m", formatType="time", values=shown)),
        detail="cohort_label:N",
        tooltip=[alt.Tooltip("cohort_label:N", title=t("customers.chart.cohort", lang)),
                 alt.Tooltip("k:Q", title=t("customers.chart.k", lang)),
                 alt.Tooltip("ltv:Q", title=title, format=",.2f"),
                 alt.Tooltip("size:Q", title=t("customers.chart.size", lang), format=","),
                 alt.Tooltip("note:N", title=t("customers.chart.note", lang))])
    mean = mean_ltv(coh).assign(label=t("customers.chart.mean", lang))
    avg = alt.Chart(mean).mark_line(color=MEAN_COLOUR, strokeWidth=3, point=alt.OverlayMarkDef(color=MEAN_COLOUR)).encode(
        x=x, y="ltv:Q",
        tooltip=[alt.Tooltip("label:N", title=t("customers.chart.cohort", lang)),
                 alt.Tooltip("k:Q", title=t("customers.chart.k", lang)),
                 alt.Tooltip("ltv:Q", title=title, format=",.2f"),
                 alt.Tooltip("size:Q", title=t("customers.chart.size", lang), format=",")])
    return (lines + avg).properties(height=320)


def cohort_table(coh: pd.DataFrame, ks: Sequence[int], currency: str | None,
                 lang: str = "en") -> Table:
    """One row per cohort: size, retention at months `ks` (missing where the cohort has not
    got that far), months followed and LTV at the last one. Numbers stay numbers so the
    columns sort; a month not over is named in the caption (`partial_caption`)."""
    rows = []
    for cohort, g in coh.groupby("cohort", sort=True):
        by_k = g.set_index("k")
        row: dict[str, object] = {"cohort": pd.Timestamp(cohort).strftime("%Y-%m"),
                                  "size": int(g["size"].iloc[0])}
        for k in ks:
            row[f"k{k}"] = float(by_k.at[k, "retention"]) if k in by_k.index else None
        last = by_k.index.max()
        row["months"] = int(last)
        row["ltv"] = float(by_k.at[last, "ltv"])
        rows.append(row)
    table = pd.DataFrame(rows, columns=["cohort", "size", *[f"k{k}" for k in ks], "months", "ltv"])
    names = {c: t(f"customers.col.{c}", lang) for c in ("cohort", "size", "months", "ltv")}
    names |= {f"k{k}": t("customers.col.retention_k", lang, k=k) for k in ks}
    formats = {"size": INT, "months": INT, "ltv": money(currency)} | {f"k{k}": PCT for k in ks}
    return build_table(table, formats, names.__getitem__)


def partial_caption(coh: pd.DataFrame, end: object, lang: str = "en") -> str | None:
    """The month that is not over at the period's end, said once (it is the same calendar
    month in every cohort: each one's last), or None when every month shown is complete."""
    partial = coh[coh["partial"].astype(bool)]
    if partial.empty:
        return None
    first = pd.Timestamp(partial["cohort"].iloc[0]).to_period("M") + int(partial["k"].iloc[0])
    return t("customers.cohorts.partial", lang, end=end, month=first.strftime("%Y-%m"))


# -- churn --------------------------------------------------------------------------------------
def status_table(statuses: pd.DataFrame, currency: str | None, lang: str = "en") -> Table:
    """Active / cooling / lapsed: customers, share and net sales to date."""
    df = pd.DataFrame({"status": [t(f"customers.status.{s}", lang) for s in statuses["status"]],
                       "customers": statuses["customers"], "share": statuses["share"],
                       "net_to_date": statuses["monetary"]})
    return build_table(df, {"customers": INT, "share": PCT, "net_to_date": money(currency)}, _header(lang))


def at_risk_table(risk: pd.DataFrame, currency: str | None, lang: str = "en") -> Table:
    """lib.customers.at_risk with plain dates."""
    df = pd.DataFrame({
        "customer": risk["customer"], "orders": risk["orders"], "net_to_date": risk["monetary"],
        "last_order": [pd.Timestamp(d).date() for d in risk["last_order"]],
        "days_since": risk["days_since"], "source": risk["source"], "order_id": risk["order_id"]})
    return build_table(df, {"orders": INT, "net_to_date": money(currency), "days_since": INT},
                       _header(lang))


# -- downloads ----------------------------------------------------------------------------------
def rfm_export(rfm: pd.DataFrame, currency: str | None, lang: str = "en") -> pd.DataFrame:
    """The per-customer RFM table for a CSV: lib's columns (cust is the workspace's customer
    number; add `customer`, the key prefix, with lib.customers.customer_keys), the last order
    as a plain date, the segment's name and the money's currency."""
    return rfm.assign(last_order=[pd.Timestamp(d).date() for d in rfm["last_order"]],
                      monetary=rfm["monetary"].astype(float).round(2),
                      segment_name=[segment_name(s, lang) for s in rfm["segment"]],
                      currency=currency or "")


def at_risk_export(risk: pd.DataFrame, currency: str | None) -> pd.DataFrame:
    """lib.customers.at_risk for a CSV: plain dates, money rounded to cents, its currency."""
    return risk.assign(last_order=[pd.Timestamp(d).date() for d in risk["last_order"]],
                       monetary=risk["monetary"].astype(float).round(2), currency=currency or "")
