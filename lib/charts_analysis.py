"""The Analysis page's tables as shown: translated headers (catalogue labels for KPI columns),
numbers kept as numbers with their formats (lib.table), keys in words; the currency table,
one row per currency with its own money, stays text. The figures come from
lib/analysis.py untouched; these only dress them (a header like `gross_sales` must never reach
a reader, in either language)."""
from __future__ import annotations

import pandas as pd

from lib.analysis import REVENUE
from lib.i18n import fmt_int, fmt_money, t
from lib.metrics.catalogue import load_catalogue
from lib.metrics.describe import dim_label, format_key
from lib.table import PCT, Table, build_table, money, unit_fmt


def _metric_table(df: pd.DataFrame, first: dict[str, list[object]], metrics: tuple[str, ...],
                  currency: str | None, lang: str) -> Table:
    """`first` columns (already under their headers), then each catalogue metric under its
    label, written by its own format."""
    cat = load_catalogue()
    frame = pd.DataFrame({**first, **{m: df[m].tolist() for m in metrics}})
    formats = {m: unit_fmt(cat[m].format, currency, lang, df[m].tolist()) for m in metrics}
    labels = {m: cat[m].text("label", lang) for m in metrics}
    return build_table(frame, formats, lambda c: labels.get(c, c))


def product_table(products: pd.DataFrame, currency: str | None, lang: str = "en") -> Table:
    """Description.top_products / bottom_products: SKU, name, gross sales, units, orders."""
    first = {t("metrics.col.product", lang): products["product"].astype(str).tolist(),
             t("metrics.col.name", lang): products["name"].tolist()}
    return _metric_table(products, first, ("gross_sales", "units", "orders"), currency, lang)


def new_returning_table(table: pd.DataFrame, currency: str | None, lang: str = "en") -> Table:
    """Description.new_vs_returning: orders, sales after discounts, AOV, customers per type."""
    first = {t("metrics.dim.customer_type", lang).capitalize():
             [format_key("customer_type", k, lang) for k in table["customer_type"]]}
    return _metric_table(table, first, ("orders", REVENUE, "avg_order_value", "customers"), currency, lang)


def movers_table(movers: pd.DataFrame, currency: str | None, lang: str = "en") -> Table:
    """Diagnosis.movers: the keys whose sales moved most, before → now, and their share of the
    total change."""
    cat = load_catalogue()
    df = pd.DataFrame({
        "dimension": [dim_label(d, lang) for d in movers["dimension"]],
        "key": [format_key(d, k, lang) for d, k in zip(movers["dimension"], movers["key"])],
        "measure": [cat[m].text("label", lang) for m in movers["measure"]],
        "before": movers["before"].tolist(), "after": movers["after"].tolist(),
        "change": movers["change"].tolist(), "share": movers["share"].tolist()})
    cash = money(currency)
    return build_table(df, {"before": cash, "after": cash, "change": cash, "share": PCT},
                       lambda c: t(f"metrics.col.{c}", lang))


def currency_table(currencies: pd.DataFrame, target: str | None, lang: str = "en") -> pd.DataFrame:
    """Reconciliation.currencies: orders and sales after discounts in each order currency, and
    whether they are counted as they are, converted to `target`, or left out."""
    def status(s: str) -> str:
        if s == "converted":
            return t("recon.status.converted", lang, currency=target or "")
        return t("recon.status.excluded" if s == "excluded" else "recon.status.counted", lang)

    return pd.DataFrame({
        t("metrics.col.currency", lang): currencies["currency"],
        t("metrics.col.count", lang): [fmt_int(int(n), lang) for n in currencies["orders"]],
        t("metrics.col.amount_own", lang): [fmt_money(v, c, lang)
                                             for v, c in zip(currencies["amount"], currencies["currency"])],
        t("metrics.col.status", lang): [status(s) for s in currencies["status"]],
    })
