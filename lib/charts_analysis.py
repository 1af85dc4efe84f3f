"""The Analysis page's tables as shown: translated headers (catalogue labels for KPI columns),
money with its currency, counts with separators, keys in words. The figures come from
lib/analysis.py untouched; these only dress them (a header like `gross_sales` must never reach
a reader, in either language)."""
from __future__ import annotations

import pandas as pd

from lib.analysis import REVENUE
from lib.i18n import fmt_money, fmt_pct, t
from lib.metrics.catalogue import load_catalogue
from lib.metrics.describe import format_key, format_number


def _metric_columns(df: pd.DataFrame, metrics: tuple[str, ...], currency: str | None,
                    lang: str) -> dict[str, list[str]]:
    """Each catalogue metric column formatted by its own format, under its label."""
    cat = load_catalogue()
    return {cat[m].text("label", lang): [format_number(cat[m], None if pd.isna(v) else v, currency, lang)
                                         for v in df[m]] for m in metrics}


def product_table(products: pd.DataFrame, currency: str | None, lang: str = "en") -> pd.DataFrame:
    """Description.top_products / bottom_products: SKU, name, gross sales, units, orders."""
    out = pd.DataFrame({t("metrics.col.product", lang): products["product"].astype(str),
                        t("metrics.col.name", lang): products["name"]})
    for label, values in _metric_columns(products, ("gross_sales", "units", "orders"), currency, lang).items():
        out[label] = values
    return out


def new_returning_table(table: pd.DataFrame, currency: str | None, lang: str = "en") -> pd.DataFrame:
    """Description.new_vs_returning: orders, sales after discounts, AOV, customers per type."""
    out = pd.DataFrame({t("metrics.dim.customer_type", lang).capitalize():
                        [format_key("customer_type", k, lang) for k in table["customer_type"]]})
    for label, values in _metric_columns(
            table, ("orders", REVENUE, "avg_order_value", "customers"), currency, lang).items():
        out[label] = values
    return out


def movers_table(movers: pd.DataFrame, currency: str | None, lang: str = "en") -> pd.DataFrame:
    """Diagnosis.movers: the keys whose sales moved most, before → now, and their share of the
    total change."""
    cat = load_catalogue()
    return pd.DataFrame({
        t("metrics.col.dimension", lang): [t(f"metrics.dim.{d}", lang) for d in movers["dimension"]],
        t("metrics.col.key", lang): [format_key(d, k, lang) for d, k in zip(movers["dimension"], movers["key"])],
        t("metrics.col.measure", lang): [cat[m].text("label", lang) for m in movers["measure"]],
        t("metrics.col.before", lang): [fmt_money(v, currency, lang) for v in movers["before"]],
        t("metrics.col.after", lang): [fmt_money(v, currency, lang) for v in movers["after"]],
        t("metrics.col.change", lang): [fmt_money(v, currency, lang) for v in movers["change"]],
        t("metrics.col.share", lang): [fmt_pct(v, lang) for v in movers["share"]],
    })


def currency_table(currencies: pd.DataFrame, target: str | None, lang: str = "en") -> pd.DataFrame:
    """Reconciliation.currencies: orders and sales after discounts in each order currency, and
    whether they are counted as they are, converted to `target`, or left out."""
    def status(s: str) -> str:
        if s == "converted":
            return t("recon.status.converted", lang, currency=target or "")
        return t("recon.status.excluded" if s == "excluded" else "recon.status.counted", lang)

    return pd.DataFrame({
        t("metrics.col.currency", lang): currencies["currency"],
        t("metrics.col.count", lang): [f"{int(n):,}" for n in currencies["orders"]],
        t("metrics.col.amount_own", lang): [fmt_money(v, c, lang)
                                             for v, c in zip(currencies["amount"], currencies["currency"])],
        t("metrics.col.status", lang): [status(s) for s in currencies["status"]],
    })
