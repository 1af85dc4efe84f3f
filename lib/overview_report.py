"""The Overview's tables, and the shop report: the Overview page as a file a consultant can
send after a review — every KPI against the previous period and last year, the sales trend,
gross → net, and the breakdown, with the definitions — followed by the other chapters'
headline tables (RFM segments, ABC classes, SKUs to reorder, open risks) and the data-quality
report of everything loaded. Same numbers, tables and charts as the
page (one `Overview`), in the reader's language; `lib/report.py` writes the HTML.

(Not in lib/metrics/describe.py: that module is on `lib.cli kpis`'s path, which must not pay
for importing pandas.)
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pandas as pd

from lib import charts
from lib.i18n import join_names, t
from lib.metrics.describe import describe_value, dim_label, format_change, format_key, format_value
from lib.metrics.filters import Filters
from lib.metrics.overview import BREAKDOWN_METRICS, BREAKDOWN_ROWS, Overview
from lib.quality import quality_report, quality_table
from lib.report import Section, html_report
from lib.table import Table, build_table, unit_fmt
from lib.workspace import Workspace


def comparison_frame(ov: Overview, lang: str = "en") -> pd.DataFrame:
    """Every card beside its previous period and last year, with the changes and notes. A
    comparison with no orders is left out: beside the whole history, 'previous period
    USD 0.00' on every row read as a shop that sold nothing (the period line says why)."""
    col = lambda key: t(f"metrics.col.{key}", lang)  # noqa: E731
    currency = ov.currency
    rows = []
    for c in ov.cards:
        row = {col("metric"): c.metric.text("label", lang),
               col("current"): format_value(c.metric, c.current, currency, lang)}
        if ov.has_previous:
            row[col("previous")] = format_value(c.metric, c.previous, currency, lang) if c.previous else ""
            row[col("change")] = format_change(c.vs_previous, lang) or ""
        if ov.has_last_year_orders:
            row[col("last_year")] = format_value(c.metric, c.last_year, currency, lang) if c.last_year else ""
            row[col("change_ly")] = format_change(c.vs_last_year, lang) or ""
        rows.append({**row, col("note"): describe_value(c.current, lang)})
    return pd.DataFrame(rows)


def comparison_title(ov: Overview, lang: str = "en") -> str:
    """The all-KPIs table's title, naming only the comparisons `comparison_frame` shows."""
    key = {(True, True): "compare", (True, False): "compare_previous",
           (False, True): "compare_last_year", (False, False): "compare_none"}[
        (ov.has_previous, ov.has_last_year_orders)]
    return t(f"overview.{key}", lang)


def breakdown_view(ov: Overview, table: pd.DataFrame, lang: str = "en") -> Table:
    """The breakdown as shown: its keys in words, then each breakdown metric that has a value,
    under translated headers (numbers, so a click on a header ranks the keys by it)."""
    dim = ov.breakdown_dim
    frame = pd.DataFrame({dim: [format_key(dim, k, lang) for k in table[dim]]})
    formats, labels = {}, {dim: dim_label(dim, lang)}
    for metric_id in BREAKDOWN_METRICS:
        meta = next((c.metric for c in ov.cards if c.metric.id == metric_id), None)
        if meta is not None and table[metric_id].notna().any():
            frame[metric_id] = table[metric_id].tolist()
            formats[metric_id] = unit_fmt(meta.format, ov.currency, lang, frame[metric_id].tolist())
            labels[metric_id] = meta.text("label", lang)
    return build_table(frame, formats, labels.__getitem__)


REPORT_RISKS = 10  # open risks listed, highest score first


def chapter_sections(ws: Workspace, filters: Filters, lang: str = "en") -> list[Section]:
    """The other chapters' headline tables for the same filters: RFM segments, ABC classes,
    SKUs to reorder now and the open risks (a chapter without data is left out), then the
    data-quality report of the whole workspace."""
    from lib import charts_customers as cc
    from lib import charts_products as cp
    from lib import customers, products, risk

    out: list[Section] = []
    data = customers.customer_orders(ws, filters)
    if data is not None and not data.empty:
        rfm = customers.rfm_table(data)
        if not rfm.empty:
            out.append(Section(t("customers.rfm.title", lang), (t("customers.rfm.caption", lang),),
                               table=cc.segment_table(customers.segment_summary(rfm), data.currency, lang)))
    sales = products.product_sales(ws, filters)
    if not sales.table.empty:
        ranked = products.abc(sales.table)
        out.append(Section(t("products.abc_summary", lang), tuple(cp.class_notes(products.A_SHARE, products.B_SHARE, lang)),
                           table=cp.abc_table(products.abc_summary(ranked), sales.currency, lang)))
    outlook = products.demand_outlook(ws, filters)  # as the Products page plans by default
    plan = products.inventory_plan(ws, filters, outlook=outlook)
    if not plan.empty:
        rows = cp.status_rows(plan, "reorder")
        if not rows.empty:
            currency = plan["value_currency"].iloc[0]
            notes = ((cp.outlook_caption(outlook, lang),) if outlook else ()) + (t("products.reorder_caption", lang),)
            out.append(Section(t("products.reorder_list", lang), notes,
                               table=cp.plan_table(rows, cp.REORDER_COLUMNS, currency, lang)))
    risks = risk.list_risks(ws, include_closed=False)
    if not risks.empty:
        top = risk.register_frame(risks.sort_values(["score", "risk_id"], ascending=[False, True])
                                  .head(REPORT_RISKS), lang)
        top = top[["risk_id", "title", "category", "likelihood", "impact", "score", "owner", "mitigation"]]
        out.append(Section(t("risk.tab.register", lang), table=top.rename(
            columns={c: t(f"risk.col.{c}", lang) for c in top.columns}),
            prose=(t("risk.col.title", lang), t("risk.col.mitigation", lang))))
    # last, what the figures above stand on: a reader should see the gaps before trusting them
    out.append(Section(t("quality.title", lang), (t("quality.intro", lang),),
                       table=quality_table(quality_report(ws), lang),
                       prose=(t("quality.col.affects", lang),)))
    return out


def overview_report(ov: Overview, made_on: date, lang: str = "en",
                    chapters: Sequence[Section] = ()) -> str:
    """The report as one self-contained HTML document (call it only when `ov.has_orders`);
    `chapters` (from `chapter_sections`) follow the Overview's own sections."""
    currency = ov.currency or ""
    subtitle = ov.period_text(lang)
    if currency:
        subtitle += " · " + t("overview.report.currency", lang, currency=currency)
    notes = []
    if ov.result.plan.excluded:
        notes.append(t("overview.report.excluded", lang, currency=currency,
                       currencies=join_names(ov.result.plan.excluded, lang)))
    elif ov.result.plan.order_rates is not None:
        notes.append(t("overview.report.converted", lang, currency=currency))
    sections = [Section(t("overview.report.kpis", lang), (*notes, t("overview.definitions", lang)),
                        table=comparison_frame(ov, lang),
                        prose=(t("metrics.col.note", lang),))]

    measure = ov.sales_measure()
    label = ov.card_metric(measure).text("label", lang)
    trend = ov.trend()
    if trend[measure].notna().sum() > 1:
        grain = ov.trend_grain
        sections.append(Section(
            t("overview.report.trend", lang, metric=label, grain=t(f"metrics.dim.{grain}", lang)),
            chart=charts.trend(trend, grain, measure, x_title=dim_label(grain, lang),
                               y_title=f"{label} ({currency})" if currency else label)))
    steps = [(m.text("label", lang), amount, kind) for m, amount, kind in ov.bridge()]
    sections.append(Section(t("overview.bridge", lang),
                            chart=charts.waterfall(steps, value_title=currency, lang=lang)))

    dim = ov.breakdown_dim
    table = ov.breakdown().head(BREAKDOWN_ROWS)
    if not table.empty:
        keys = [format_key(dim, k, lang) for k in table[dim]]
        bars = charts.breakdown_bars(table.assign(**{dim: keys}), dim, measure,
                                     key_title=dim_label(dim, lang), value_title=label,
                                     by_channel=dim == "channel")
        note = (t("overview.breakdown_note", lang, dim=t(f"metrics.dim.{dim}", lang)),) if measure != "net_sales" else ()
        sections.append(Section(
            t("overview.breakdown_title", lang, metric=label, dim=t(f"metrics.dim.{dim}", lang)),
            note, chart=bars, table=breakdown_view(ov, table, lang)))
    return html_report(t("overview.report.title", lang), subtitle, [*sections, *chapters],
                       t("overview.report.footer", lang, date=made_on.isoformat()), lang)
