"""Altair charts of the Operations, Risk and Team pages (presentation only: data in, chart out).

Every label comes from lib.i18n in the page's language; data is copied, never changed.
"""
from __future__ import annotations

from datetime import date

import altair as alt
import pandas as pd

from lib.charts import DAY, MONTH, day_axis
from lib.i18n import fmt_pct, t
from lib.table import INT, PCT, Fmt, Table, build_table

RISK_COLOURS = ["#2e7d32", "#9ccc65", "#fdd835", "#fb8c00", "#c62828"]  # low → critical


def stage_table(stages: pd.DataFrame, lang: str = "en") -> Table:
    """operations.stage_report's stages: stage names in words, hours to one decimal (a median of
    0.0072 h is '0.0': instant, not a figure to read to 4 places)."""
    df = stages[["stage", "orders", "median_h", "p90_h", "mean_h"]].assign(
        stage=[t(f"stage.{s}", lang) for s in stages["stage"]])
    hours = Fmt(1)
    return build_table(df, {"orders": INT, "median_h": hours, "p90_h": hours, "mean_h": hours},
                       lambda c: t(f"ops.col.{c}", lang))


def stage_chart(stages: pd.DataFrame, lang: str = "en") -> alt.Chart:
    """Median (bar) and 90th percentile (tick) hours per stage."""
    df = stages.assign(label=[t(f"stage.{s}", lang) for s in stages["stage"]])
    hours = t("ops.chart.hours", lang)
    base = alt.Chart(df).encode(y=alt.Y("label:N", title=None, sort=None,
                                        axis=alt.Axis(labelLimit=260, labelOverlap=False)))
    bars = base.mark_bar(color="#4c78a8").encode(
        x=alt.X("median_h:Q", title=hours),
        tooltip=[alt.Tooltip("label:N", title=t("ops.col.stage", lang)),
                 alt.Tooltip("median_h:Q", title=t("ops.col.median_h", lang), format=".1f"),
                 alt.Tooltip("p90_h:Q", title=t("ops.col.p90_h", lang), format=".1f"),
                 alt.Tooltip("orders:Q", title=t("ops.col.orders", lang), format=",")])
    ticks = base.mark_tick(color="#e45756", thickness=3, size=18).encode(x="p90_h:Q")
    # a step per stage: a fixed total is the whole chart in the browser (axis included), which
    # left three stages 20 px each and dropped the middle one's label as overlapping
    return (bars + ticks).properties(height=alt.Step(34))


def sla_trend_chart(trend: pd.DataFrame, lang: str = "en") -> alt.Chart:
    """Share shipped late per month. Ticks at the data's months (at most twelve, spread): left
    to Vega, two months of data got thirty ticks, every one written '2023-04'."""
    months = [pd.Timestamp(p) for p in sorted(trend["period"].unique())]
    step = max(1, -(-len(months) // 12))
    ticks = [alt.DateTime(year=m.year, month=m.month, date=1) for m in months[::step]]
    return alt.Chart(trend).mark_line(point=True).encode(
        x=alt.X("period:T", title=t("ops.chart.month", lang),
                axis=alt.Axis(format=MONTH, labelAngle=0, values=ticks)),
        y=alt.Y("breach_rate:Q", title=t("ops.chart.late", lang), axis=alt.Axis(format="%")),
        tooltip=[alt.Tooltip("period:T", title=t("ops.chart.month", lang), format=MONTH),
                 alt.Tooltip("breach_rate:Q", title=t("ops.chart.late", lang), format=".1%"),
                 alt.Tooltip("orders:Q", title=t("ops.chart.orders", lang), format=",")],
    ).properties(height=220)


def heatmap_chart(heat: pd.DataFrame, lang: str = "en") -> alt.Chart:
    """Median hours to ship by weekday (rows, Monday first) and hour of order (columns)."""
    order = [t(f"weekday.{d}", lang) for d in range(1, 8)]
    df = heat.assign(day=[t(f"weekday.{int(d)}", lang) for d in heat["weekday"]])
    return alt.Chart(df).mark_rect().encode(
        x=alt.X("hour:O", title=t("ops.chart.hour", lang)),
        y=alt.Y("day:N", title=t("ops.chart.weekday", lang), sort=order),
        color=alt.Color("median_h:Q", title=t("ops.chart.hours", lang), scale=alt.Scale(scheme="orangered")),
        tooltip=[alt.Tooltip("day:N", title=t("ops.chart.weekday", lang)),
                 alt.Tooltip("hour:O", title=t("ops.chart.hour", lang)),
                 alt.Tooltip("median_h:Q", title=t("ops.col.median_h", lang), format=".1f"),
                 alt.Tooltip("breach_rate:Q", title=t("ops.chart.late", lang), format=".0%"),
                 alt.Tooltip("orders:Q", title=t("ops.chart.orders", lang), format=",")],
    ).properties(height=220)


def funnel_chart(fun: pd.DataFrame, lang: str = "en") -> alt.Chart:
    df = fun.assign(label=[t(f"funnel.{s}", lang) for s in fun["step"]])
    return alt.Chart(df).mark_bar(color="#72b7b2").encode(
        y=alt.Y("label:N", title=None, sort=None, axis=alt.Axis(labelLimit=200)),
        x=alt.X("value:Q", title=t("ops.col.value", lang)),
        tooltip=[alt.Tooltip("label:N", title=t("ops.col.step", lang)),
                 alt.Tooltip("value:Q", title=t("ops.col.value", lang), format=","),
                 alt.Tooltip("of_sessions:Q", title=t("ops.col.of_sessions", lang), format=".2%")],
    ).properties(height=180)


def effect_chart(daily: pd.DataFrame, started_on: date, lang: str = "en") -> alt.Chart:
    """Daily values before and after an action's start, with the start marked."""
    df = daily.assign(day=pd.to_datetime(daily["day"]),
                      phase=[t(f"ops.{p}", lang) for p in daily["phase"]])
    points = alt.Chart(df).mark_line(point=True).encode(
        x=alt.X("day:T", title=t("ops.chart.day", lang), axis=day_axis(df["day"])),
        y=alt.Y("value:Q", title=t("ops.chart.value", lang)),
        color=alt.Color("phase:N", title=t("ops.chart.phase", lang)))
    start = alt.Chart(pd.DataFrame({"day": [pd.Timestamp(started_on)]})).mark_rule(
        strokeDash=[4, 4], color="#555").encode(x="day:T")
    return (points + start).properties(height=200)


def concentration_view(conc: pd.DataFrame, lang: str = "en") -> Table:
    """risk.concentration_table: shares in %, the Herfindahl index to 3 places."""
    df = conc[["dimension", "top1", "top5", "hhi"]].assign(
        dimension=[t(f"risk.dim.{d}", lang) for d in conc["dimension"]])
    return build_table(df, {"top1": PCT, "top5": PCT, "hhi": Fmt(3)}, lambda c: t(f"risk.col.{c}", lang))


def cover_view(cover: pd.DataFrame, lang: str = "en") -> Table:
    """risk.stock_cover rows: whole units in stock and over the lead time, daily demand and days
    of cover to one decimal, ⚠ where stock is below lead-time demand."""
    places = {"stock": 0, "lead_time_days": 0, "daily_units": 1, "days_of_cover": 1, "lead_time_demand": 0}
    df = cover[["sku", "name", *places]].assign(
        at_risk=["⚠" if x else None for x in cover["at_risk"]])
    return build_table(df, {c: Fmt(d) for c, d in places.items()}, lambda c: t(f"risk.col.{c}", lang))


def risk_matrix_chart(matrix: pd.DataFrame, lang: str = "en") -> alt.Chart:
    """The 5×5 likelihood × impact grid coloured by score, each cell naming its risks."""
    df = matrix.assign(label=[r if r else "" for r in matrix["risk_ids"]])
    base = alt.Chart(df).encode(
        x=alt.X("impact:O", title=t("risk.chart.impact", lang), sort=[1, 2, 3, 4, 5],
                axis=alt.Axis(labelAngle=0)),
        y=alt.Y("likelihood:O", title=t("risk.chart.likelihood", lang), sort=[5, 4, 3, 2, 1]))
    cells = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.Color("score:Q", title=t("risk.chart.score", lang),
                        scale=alt.Scale(domain=[1, 5, 10, 16, 25], range=RISK_COLOURS)),
        tooltip=[alt.Tooltip("likelihood:O", title=t("risk.chart.likelihood", lang)),
                 alt.Tooltip("impact:O", title=t("risk.chart.impact", lang)),
                 alt.Tooltip("score:Q", title=t("risk.chart.score", lang)),
                 alt.Tooltip("count:Q", title=t("risk.chart.count", lang)),
                 alt.Tooltip("risk_ids:N", title=t("risk.chart.risks", lang))])
    text = base.mark_text(fontSize=12, fontWeight="bold", color="black").encode(text="label:N")
    # 25 cells: SVG keeps the risk ids as text a reader (and a browser test) can find.
    return (cells + text).properties(height=320, usermeta={"embedOptions": {"renderer": "svg"}})


def stress_cards(result: object, lang: str = "en") -> list[tuple[str, str, str | None, bool]]:
    """The stress test's four cards as (label, value, delta, inverse) of a lib.risk.StressResult.
    A change that shows as zero has no delta: untouched sliders drew green arrows over
    'USD 0' and '+0.0 pp'. Stock-outs are inverse (more is worse)."""
    b, s = result.baseline, result.scenario  # type: ignore[attr-defined]
    currency = result.currency or ""  # type: ignore[attr-defined]

    def money(v: float, signed: bool = False) -> str:  # '+USD 71,216', '-USD 4,290'
        sign = "-" if round(v) < 0 else "+" if signed and round(v) > 0 else ""
        return f"{sign}{currency} {abs(v):,.0f}".strip()

    revenue, margin = s.revenue - b.revenue, s.margin - b.margin
    points = ((s.margin_rate or 0) - (b.margin_rate or 0)) * 100
    stockouts = s.stockouts - b.stockouts
    return [
        (t("risk.revenue", lang), money(s.revenue), money(revenue, True) if round(revenue) else None, False),
        (t("risk.margin", lang), money(s.margin), money(margin, True) if round(margin) else None, False),
        (t("risk.margin_rate", lang), fmt_pct(s.margin_rate, lang),
         t("risk.points", lang, n=f"{points:+.1f}") if round(points, 1) else None, False),
        (t("risk.stockouts", lang), str(s.stockouts), f"{stockouts:+d}" if stockouts else None, True),
    ]


def stress_cost_note(result: object, lang: str = "en") -> str | None:
    """A sentence when the margin has no cost of goods in it (no unit costs loaded, or orders
    without product lines): a 95.8 % 'margin' is then sales less fees and ads only."""
    b = result.baseline  # type: ignore[attr-defined]
    return t("risk.no_costs", lang) if b.revenue > 0 and b.cost_of_goods == 0 else None


def stress_chart(result: object, lang: str = "en") -> alt.Chart:
    """Revenue and margin, baseline against scenario, of a lib.risk.StressResult."""
    rows = pd.DataFrame(
        [(t(f"risk.{f}", lang), t(f"risk.{case}", lang), getattr(getattr(result, case), f))
         for f in ("revenue", "margin") for case in ("baseline", "scenario")],
        columns=["figure", "case", "amount"])
    return alt.Chart(rows).mark_bar().encode(
        x=alt.X("case:N", title=None),
        y=alt.Y("amount:Q", title=t("risk.chart.amount", lang)),
        color=alt.Color("case:N", title=t("risk.chart.case", lang)),
        column=alt.Column("figure:N", title=None),
        tooltip=[alt.Tooltip("figure:N", title=t("risk.chart.figure", lang)),
                 alt.Tooltip("case:N", title=t("risk.chart.case", lang)),
                 alt.Tooltip("amount:Q", title=t("risk.chart.amount", lang), format=",.0f")],
    ).properties(width=140, height=200)


def attainment_chart(att: pd.DataFrame, lang: str = "en") -> alt.Chart:
    """Attainment per period and KPI, with the 100 % line."""
    df = att.dropna(subset=["attainment"]).assign(
        period=lambda d: pd.to_datetime(d["period_start"]),
        kpi=lambda d: [t(f"team.metric.{k}", lang) for k in d["kpi_id"]])
    lines = alt.Chart(df).mark_line(point=True).encode(
        x=alt.X("period:T", title=t("team.chart.period", lang), axis=day_axis(df["period"])),
        y=alt.Y("attainment:Q", title=t("team.chart.attainment", lang), axis=alt.Axis(format="%")),
        color=alt.Color("kpi:N", title=t("team.chart.kpi", lang)),
        tooltip=[alt.Tooltip("kpi:N", title=t("team.chart.kpi", lang)),
                 alt.Tooltip("period:T", title=t("team.chart.period", lang), format=DAY),
                 alt.Tooltip("owner:N", title=t("team.col.owner", lang)),
                 alt.Tooltip("attainment:Q", title=t("team.chart.attainment", lang), format=".0%")])
    goal = alt.Chart(pd.DataFrame({"y": [1.0]})).mark_rule(strokeDash=[4, 4], color="#555").encode(y="y:Q")
    return (lines + goal).properties(height=260)
