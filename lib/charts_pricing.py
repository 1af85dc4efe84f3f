"""Altair charts and display tables of the Pricing & promotions page (presentation only:
lib.pricing / lib.products frames in, chart or display frame out; inputs are never changed).

Every label comes from lib.i18n in the page's language. Tables are lib.table Tables: numbers
that sort as numbers, written with their column's format.
"""
from __future__ import annotations

import math

import altair as alt
import numpy as np
import pandas as pd

from lib.i18n import t
from lib.pricing import ResponseEstimate, breakeven_volume, what_if_totals
from lib.table import CHANGE, INT, PCT, Fmt, Table, build_table, money

CODE_COLOUR, PLAIN_COLOUR, RULE_COLOUR, MARK_COLOUR = "#4c78a8", "#9e9e9e", "#222222", "#e45756"
CURVE_CAP = 5.0  # the break-even curve is drawn up to +500 % (it grows without bound near m)
CODE_COLUMNS = ("code", "orders", "order_share", "customers", "first_order_share", "gross",
                "discounts", "discount_rate", "net", "aov", "aov_vs_no_code", "refund_rate")


# -- numbers ------------------------------------------------------------------------------------
def _missing(value: float | None) -> bool:
    return value is None or pd.isna(value)


def change(value: float | None, lang: str = "en") -> str:
    """A relative change as '+12.3%' / '-4.0%' ('—' when there is none)."""
    return t("value.none", lang) if _missing(value) else f"{float(value):+.1%}"  # type: ignore[arg-type]


def units(value: float | None, lang: str = "en") -> str:
    return t("value.none", lang) if _missing(value) else f"{float(value):,.0f}"  # type: ignore[arg-type]


def code_label(code: object, lang: str = "en") -> str:
    """The code as exported, or the translated 'no code' label for orders without one."""
    return t("pricing.codes.no_code", lang) if code is None or pd.isna(code) else str(code)


# -- discount codes -----------------------------------------------------------------------------
def code_table(table: pd.DataFrame, currency: str | None, lang: str = "en") -> Table:
    """lib.pricing.discount_codes' table with translated headers. The no-code row is the
    reference, so its 'AOV vs. no code' is '—' rather than +0.0 %."""
    plain = table["code"].isna()
    df = table.loc[:, list(CODE_COLUMNS)].assign(
        code=[code_label(c, lang) for c in table["code"]],
        aov_vs_no_code=[None if p else v for v, p in zip(table["aov_vs_no_code"], plain)])
    cash = money(currency)
    formats = {"orders": INT, "order_share": PCT, "customers": INT, "first_order_share": PCT,
               "gross": cash, "discounts": cash, "discount_rate": PCT, "net": cash, "aov": cash,
               "aov_vs_no_code": CHANGE, "refund_rate": PCT}
    return build_table(df, formats, lambda c: t(f"pricing.col.{c}", lang))


def code_export(table: pd.DataFrame, currency: str | None, lang: str = "en") -> pd.DataFrame:
    """The same table as plain numbers for a spreadsheet (pass it through to_csv), with the
    currency as a column so the file says what its money is in."""
    out = table.loc[:, list(CODE_COLUMNS)].copy()
    out["code"] = [code_label(c, lang) for c in table["code"]]
    out.insert(1, "currency", currency or "")
    return out


CHART_CODES = 15  # codes drawn: a real export had 69, half of them used once (the table lists all)


def charted_codes(table: pd.DataFrame, top: int = CHART_CODES) -> pd.DataFrame:
    """The rows the chart draws: orders without a code, then the `top` codes most used."""
    plain = table["code"].isna()
    return pd.concat([table[plain], table[~plain].sort_values("orders", ascending=False, kind="stable")
                      .head(top)])


def code_chart(table: pd.DataFrame, currency: str | None, lang: str = "en") -> alt.LayerChart:
    """AOV per code (bars; grey for orders without a code) with a rule at the no-code AOV;
    the CHART_CODES codes most used (a bar per code ran to a chart 2,000 px tall)."""
    table = charted_codes(table)
    plain = table["code"].isna()
    kinds = [t("pricing.chart.with_code", lang), t("pricing.chart.without_code", lang)]
    df = table.assign(label=[code_label(c, lang) for c in table["code"]],
                      kind=[kinds[1] if p else kinds[0] for p in plain])
    aov_title = t("pricing.chart.aov", lang, currency=currency or t("value.none", lang))
    bars = alt.Chart(df).mark_bar().encode(
        y=alt.Y("label:N", title=t("pricing.col.code", lang), sort=None, axis=alt.Axis(labelLimit=200)),
        x=alt.X("aov:Q", title=aov_title),
        color=alt.Color("kind:N", title=t("pricing.chart.kind", lang),
                        scale=alt.Scale(domain=kinds, range=[CODE_COLOUR, PLAIN_COLOUR])),
        tooltip=[alt.Tooltip("label:N", title=t("pricing.col.code", lang)),
                 alt.Tooltip("orders:Q", title=t("pricing.col.orders", lang), format=","),
                 alt.Tooltip("aov:Q", title=aov_title, format=",.2f"),
                 alt.Tooltip("aov_vs_no_code:Q", title=t("pricing.col.aov_vs_no_code", lang), format="+.1%"),
                 alt.Tooltip("discount_rate:Q", title=t("pricing.col.discount_rate", lang), format=".1%")])
    layers = [bars]
    if plain.any():
        ref = pd.DataFrame({"aov": [float(table.loc[plain, "aov"].iloc[0])],
                            "what": [t("pricing.chart.no_code_aov", lang)]})
        layers.append(alt.Chart(ref).mark_rule(strokeDash=[4, 4], color=RULE_COLOUR).encode(
            x="aov:Q", tooltip=[alt.Tooltip("what:N", title=" "), alt.Tooltip("aov:Q", format=",.2f")]))
    # a step per bar, not a total: with a fixed total the axes eat into the bars and
    # every other code label is dropped as overlapping
    return alt.layer(*layers).properties(height=alt.Step(28))


# -- price what-if ------------------------------------------------------------------------------
def what_if_table(result: pd.DataFrame, currency: str | None, lang: str = "en") -> Table:
    """Per product before and after, plus a totals row, with translated headers."""
    total = what_if_totals(result)
    rows = pd.concat([result, pd.DataFrame([{**total, "product": t("pricing.whatif.total", lang),
                                             "price": math.nan, "unit_cost": math.nan}])],
                     ignore_index=True)
    columns = ["product", "price", "unit_cost", "units", "units_after", "revenue", "revenue_after",
               "margin", "margin_after", "margin_change"]
    df = rows[columns].assign(product=rows["product"].astype(str))
    formats = {c: INT if c in ("units", "units_after") else money(currency) for c in columns[1:]}
    return build_table(df, formats, lambda c: t(f"pricing.wcol.{c}", lang))


def delta(before: float, after: float, *, digits: int = 2) -> str | None:
    """A metric's delta, '+1,234.50 (+12.3%)': the sign leads so Streamlit colours it."""
    if _missing(before) or _missing(after):
        return None
    diff = after - before
    rel = f" ({diff / before:+.1%})" if before else ""
    return f"{diff:+,.{digits}f}{rel}"


# -- break-even ---------------------------------------------------------------------------------
def breakeven_curve(margin_rate: float, max_pct: float = 50.0, step: float = 0.5) -> pd.DataFrame:
    """discount (%) → extra volume needed (fraction), NaN where no volume can pay for the
    discount or the need is off the chart (above CURVE_CAP)."""
    discounts = np.round(np.arange(0.0, max_pct + step / 2, step), 6)
    extra = [breakeven_volume(float(d), margin_rate) for d in discounts]
    return pd.DataFrame({"discount": discounts,
                         "extra": [math.nan if e is None or e > CURVE_CAP else e for e in extra]})


def breakeven_chart(margin_rate: float, discount_pct: float, lang: str = "en") -> alt.LayerChart:
    """The break-even curve for `margin_rate`, with the chosen discount marked (a rule, and a
    point on the curve when the discount can pay for itself)."""
    x_title, y_title = t("pricing.chart.discount", lang), t("pricing.chart.extra", lang)
    curve = breakeven_curve(margin_rate).dropna()
    line = alt.Chart(curve).mark_line(color=CODE_COLOUR).encode(
        x=alt.X("discount:Q", title=x_title, scale=alt.Scale(domain=[0, 50])),
        y=alt.Y("extra:Q", title=y_title, axis=alt.Axis(format="%")),
        tooltip=[alt.Tooltip("discount:Q", title=x_title, format=".1f"),
                 alt.Tooltip("extra:Q", title=y_title, format="+.1%")])
    chosen = breakeven_volume(discount_pct, margin_rate)
    mark = pd.DataFrame({"discount": [float(discount_pct)], "extra": [chosen],
                         "what": [t("pricing.chart.selected", lang)]})
    rule = alt.Chart(mark).mark_rule(strokeDash=[4, 4], color=MARK_COLOUR).encode(x="discount:Q")
    layers = [line, rule]
    if chosen is not None and chosen <= CURVE_CAP:
        layers.append(alt.Chart(mark).mark_point(filled=True, size=90, color=MARK_COLOUR).encode(
            x="discount:Q", y="extra:Q",
            tooltip=[alt.Tooltip("what:N", title=" "),
                     alt.Tooltip("discount:Q", title=x_title, format=".1f"),
                     alt.Tooltip("extra:Q", title=y_title, format="+.1%")]))
    return alt.layer(*layers).properties(height=260)


# -- price response seen in past promotions -------------------------------------------------------
def response_table(estimate: ResponseEstimate, lang: str = "en") -> Table:
    """One row per promotion that counted: its discount, units without it, extra units and the
    elasticity it implies with its range."""
    rows = [(p.name, p.start, p.discount, p.expected, p.lift, p.elasticity, p.low, p.high)
            for p in estimate.promotions]
    df = pd.DataFrame(rows, columns=["name", "start", "discount", "expected", "lift", "elasticity", "low", "high"])
    e = Fmt(2)
    return build_table(df, {"discount": Fmt(0, suffix="%", scale=100.0), "expected": INT, "lift": Fmt(0, sign=True),
                            "elasticity": e, "low": e, "high": e}, lambda c: t(f"pricing.rcol.{c}", lang))


def response_sentence(estimate: ResponseEstimate, lang: str = "en") -> str:
    """The pooled estimate in words (call with an estimate that has one)."""
    e = estimate.elasticity or 0.0
    return t("pricing.resp.result", lang, e=f"{e:.1f}", low=f"{estimate.low:.1f}", high=f"{estimate.high:.1f}",
             n=len(estimate.promotions), pct=f"{-e * 10:.0f}%")
