"""Every Altair chart of the app, in one visual language.

- A channel always has the same colour, on every page: known platforms get their brand-like
  colour, any other channel a colour picked from its name (stable across runs and pages).
- One neutral colour for single series; green for increases, red for decreases, slate for
  totals (waterfalls); one font, light grid, no chart border.
- Builders take plain DataFrames and already-translated titles, and return a chart; pages only
  draw it (`ui.views.chart`, which skips Altair's schema check: lib/chart_validation.py).
  Tests read `chart.to_dict()`.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from decimal import Decimal

import altair as alt
import pandas as pd

from lib.i18n import fmt_card_money

PRIMARY = "#3B6EA8"
UP, DOWN, TOTAL = "#2E8B57", "#C0392B", "#5B6770"
GRID = "#E6E8EB"
TEXT = "#31333F"  # Streamlit's body text
FONT = "Inter, 'Noto Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif"
CHANNEL_COLORS: dict[str, str] = {
    "shopify": "#5E8E3E", "taobao": "#FF5000", "tmall": "#D9001B", "amazon": "#FF9900",
    "etsy": "#F1641E", "woocommerce": "#7F54B3", "jd": "#E1251B", "pinduoduo": "#A8071A",
    "douyin": "#161823", "temu": "#FB7701", "online_retail": "#1F77B4", "cdnow": "#17BECF",
    "pos": "#8C564B", "web": "#3B6EA8", "wholesale": "#6B4C9A",
}
FALLBACK = ("#4C78A8", "#F58518", "#54A24B", "#B279A2", "#9D755D", "#72B7B2", "#E45756",
            "#EECA3B", "#FF9DA6", "#BAB0AC")
MONEY = ",.2f"
# Dates as numbers in every language: Vega's own axis and tooltip formats name months in
# English ("October", "Oct 01, 2023"), which a Chinese page then showed.
DAY, MONTH = "%Y-%m-%d", "%Y-%m"


def channel_color(channel: str | None) -> str:
    """The colour of `channel` everywhere in the app."""
    name = (channel or "").strip().lower()
    if name in CHANNEL_COLORS:
        return CHANNEL_COLORS[name]
    digest = hashlib.sha1(name.encode("utf-8")).digest()
    return FALLBACK[digest[0] % len(FALLBACK)]


def channel_scale(channels: Sequence[str]) -> alt.Scale:
    domain = sorted({str(c) for c in channels})
    return alt.Scale(domain=domain, range=[channel_color(c) for c in domain])


def _finish(chart: alt.Chart | alt.LayerChart, height: int) -> alt.Chart | alt.LayerChart:
    return (chart.properties(height=height, width="container")
            .configure(font=FONT)
            .configure_view(strokeWidth=0)
            .configure_axis(gridColor=GRID, domainColor=GRID, labelFontSize=11, titleFontSize=12)
            .configure_legend(labelFontSize=11, titleFontSize=12, orient="bottom"))


DAY_TICKS_WITHIN = 60  # days: a shorter axis ticks whole days, about twelve of them


def day_axis(dates: Iterable[object]) -> alt.Axis:
    """A time axis written as days. Over a few days or weeks Vega ticks every few hours and
    writes each day several times ('2024-01-05, 2024-01-05, …'): within DAY_TICKS_WITHIN days
    it ticks every k-th day instead (k = span / 12, rounded up); longer spans keep Vega's
    weeks and months."""
    # a Series as it is: copying its values to a list first cost 4 ms a chart at 1,600 days
    d = pd.to_datetime(dates if isinstance(dates, pd.Series) else pd.Series(list(dates)),
                       errors="coerce").dropna()
    span = int((d.max() - d.min()).days) + 1 if len(d) else 0
    if not span or span > DAY_TICKS_WITHIN:
        return alt.Axis(format=DAY, labelAngle=0)
    return alt.Axis(format=DAY, labelAngle=0, tickCount={"interval": "day", "step": -(-span // 12)})


def _temporal(x: str, title: str, dates: Iterable[object] = ()) -> alt.X:
    return alt.X(f"{x}:T", title=title, axis=day_axis(dates))


def sparkline(df: pd.DataFrame, x: str, y: str, height: int = 48) -> alt.Chart:
    """A small line over time with no axes, for a KPI card. Only its two columns go into the
    chart: the Overview hands every card the whole trend frame, and each chart ships its data
    to the browser (18 copies of every metric's column)."""
    base = alt.Chart(df[[x, y]]).encode(
        x=alt.X(f"{x}:T", axis=None),
        y=alt.Y(f"{y}:Q", axis=None, scale=alt.Scale(zero=False)),
        tooltip=[alt.Tooltip(f"{x}:T", format=DAY), alt.Tooltip(f"{y}:Q", format=",.2f")])
    line = base.mark_line(color=PRIMARY, strokeWidth=1.5)
    return _finish(line, height)


def trend(df: pd.DataFrame, x: str, y: str, *, x_title: str, y_title: str,
          color: str | None = None, color_title: str = "", height: int = 280,
          y_format: str = MONEY) -> alt.Chart:
    """A line over time; one line per channel (in channel colours) when `color` is 'channel'.
    `y_format` is a d3 format for the axis and tooltip (a share: '.1%')."""
    enc: dict[str, object] = {
        "x": _temporal(x, x_title, df[x]),
        "y": alt.Y(f"{y}:Q", title=y_title,
                   axis=alt.Axis(format=y_format) if y_format != MONEY else alt.Undefined),
        "tooltip": [alt.Tooltip(f"{x}:T", title=x_title, format=DAY),
                    alt.Tooltip(f"{y}:Q", title=y_title, format=y_format)],
    }
    if color:
        scale = channel_scale(df[color].dropna().astype(str)) if color == "channel" else alt.Undefined
        enc["color"] = alt.Color(f"{color}:N", title=color_title, scale=scale)
        enc["tooltip"] = [alt.Tooltip(f"{color}:N", title=color_title), *enc["tooltip"]]  # type: ignore[misc]
        mark = alt.Chart(df).mark_line(point=False, strokeWidth=2)
    else:
        mark = alt.Chart(df).mark_line(color=PRIMARY, strokeWidth=2)
    return _finish(mark.encode(**enc), height)


# A horizontal axis of amounts: a few round ticks. Vega's default (one per ~40 px) wrote
# '1,000,0001,200,000…' into each other in the reports, whose SVG is laid out with the
# renderer's font metrics and drawn in the reader's wider font.
AMOUNT_AXIS = alt.Axis(tickCount=6)


# How long a time bucket lasts, by grain.
BUCKETS = {"day": pd.DateOffset(days=1), "week": pd.DateOffset(days=7), "month": pd.DateOffset(months=1)}


def stacked_bars(df: pd.DataFrame, x: str, y: str, stack: str, *, x_title: str, y_title: str,
                 stack_title: str, height: int = 300, bucket: str | None = None) -> alt.Chart:
    """Bars over time stacked by channel (channel colours). `bucket` (a BUCKETS grain): each
    bar spans its day, week or month (less a gap); left to Vega a bar on a time axis is a few
    pixels wide, so five weeks of a real export drew five spikes across an empty chart."""
    encoding: dict[str, object] = {}
    if bucket is not None and len(df):
        start = pd.to_datetime(df[x])
        df = df.assign(_bar_end=start + (start + BUCKETS[bucket] - start) * 0.85)
        encoding["x2"] = alt.X2("_bar_end:T")
    chart = alt.Chart(df).mark_bar().encode(
        x=_temporal(x, x_title, df[x]), **encoding,
        y=alt.Y(f"sum({y}):Q", title=y_title, stack="zero"),
        color=alt.Color(f"{stack}:N", title=stack_title,
                        scale=channel_scale(df[stack].dropna().astype(str))),
        tooltip=[alt.Tooltip(f"{x}:T", title=x_title, format=DAY),
                 alt.Tooltip(f"{stack}:N", title=stack_title),
                 alt.Tooltip(f"sum({y}):Q", title=y_title, format=MONEY)])
    return _finish(chart, height)


def breakdown_bars(df: pd.DataFrame, key: str, value: str, *, key_title: str, value_title: str,
                   by_channel: bool = False, height: int | None = None) -> alt.Chart:
    """Horizontal bars, largest first; coloured by channel when the key is a channel."""
    color: object = alt.value(PRIMARY)
    if by_channel:
        color = alt.Color(f"{key}:N", scale=channel_scale(df[key].dropna().astype(str)), legend=None)
    chart = alt.Chart(df).mark_bar().encode(
        y=alt.Y(f"{key}:N", title=key_title, sort="-x"),
        x=alt.X(f"{value}:Q", title=value_title, axis=AMOUNT_AXIS),
        color=color,
        tooltip=[alt.Tooltip(f"{key}:N", title=key_title),
                 alt.Tooltip(f"{value}:Q", title=value_title, format=MONEY)])
    return _finish(chart, height or max(120, 26 * len(df)))


def waterfall_frame(steps: Sequence[tuple[str, float, str]], lang: str = "en") -> pd.DataFrame:
    """(label, amount, kind) with kind 'total' (a level) or 'delta' (a change) → bar extents,
    and the amount as the bar's label says it (short, as on a KPI card; a change signed, and
    none that rounds to nothing: a shop without discounts read '-0.00')."""
    rows, level = [], 0.0
    for i, (label, amount, kind) in enumerate(steps):
        cents = Decimal(str(amount)).quantize(Decimal("0.01"))
        text = fmt_card_money(cents if cents != 0 else Decimal("0.00"), lang)
        if kind == "total":
            start, end, level = 0.0, float(amount), float(amount)
            tone = "total"
        else:
            start, end = level, level + float(amount)
            level = end
            tone = "up" if amount >= 0 else "down"
            text = text if text.startswith("-") or cents == 0 else "+" + text
        rows.append({"order": i, "label": label, "amount": float(amount), "start": start,
                     "end": end, "top": max(start, end), "tone": tone, "text": text})
    return pd.DataFrame(rows, columns=["order", "label", "amount", "start", "end", "top", "tone",
                                       "text"])


def waterfall(steps: Sequence[tuple[str, float, str]], *, value_title: str,
              height: int = 300, lang: str = "en") -> alt.LayerChart:
    """Totals in slate, increases in green, decreases in red, in the order given; each bar
    says its amount above it (a discount of 2 % of sales is a hairline on the sales scale)."""
    df = waterfall_frame(steps, lang)
    order = list(df["label"])
    x = alt.X("label:N", sort=order, title=None, axis=alt.Axis(labelAngle=0, labelLimit=160))
    tooltip = [alt.Tooltip("label:N", title=" "), alt.Tooltip("amount:Q", title=value_title, format=MONEY)]
    bars = alt.Chart(df).mark_bar().encode(
        x=x, y=alt.Y("start:Q", title=value_title), y2="end:Q",
        color=alt.Color("tone:N", legend=None,
                        scale=alt.Scale(domain=["total", "up", "down"], range=[TOTAL, UP, DOWN])),
        tooltip=tooltip)
    labels = alt.Chart(df).mark_text(baseline="bottom", dy=-4, fontSize=12, color=TEXT).encode(
        x=x, y="top:Q", text="text:N", tooltip=tooltip)
    return _finish(alt.layer(bars, labels), height)


def has_hours(df: pd.DataFrame, column: str = "hour") -> bool:
    """Whether orders fall in more than one hour of the day: exports with dates only (Etsy's
    Sold Orders, CDNOW) put every order at the same hour, and a weekday × hour map of them
    is one column of colour, not a finding (so is one order's single cell)."""
    return bool(df[column].nunique() > 1) if column in df else False


def heatmap(df: pd.DataFrame, x: str, y: str, value: str, *, x_title: str, y_title: str,
            value_title: str, y_order: Sequence[str] | None = None, height: int = 260) -> alt.Chart:
    """A grid of rectangles (weekday × hour), darker for more."""
    chart = alt.Chart(df).mark_rect().encode(
        x=alt.X(f"{x}:O", title=x_title),
        y=alt.Y(f"{y}:O", title=y_title, sort=list(y_order) if y_order else alt.Undefined),
        color=alt.Color(f"{value}:Q", title=value_title, scale=alt.Scale(scheme="blues")),
        tooltip=[alt.Tooltip(f"{y}:O", title=y_title), alt.Tooltip(f"{x}:O", title=x_title),
                 alt.Tooltip(f"{value}:Q", title=value_title, format=",")])
    return _finish(chart, height)


def paired_bars(df: pd.DataFrame, key: str, value: str, period: str, *, key_title: str,
                value_title: str, period_title: str, height: int = 220) -> alt.Chart:
    """Two bars per key (this period and the comparison), for a before/after split."""
    chart = alt.Chart(df).mark_bar().encode(
        y=alt.Y(f"{key}:N", title=key_title),
        yOffset=alt.YOffset(f"{period}:N"),
        x=alt.X(f"{value}:Q", title=value_title, axis=AMOUNT_AXIS),
        color=alt.Color(f"{period}:N", title=period_title,
                        scale=alt.Scale(range=[PRIMARY, "#A9C1DE"])),
        tooltip=[alt.Tooltip(f"{key}:N", title=key_title), alt.Tooltip(f"{period}:N", title=period_title),
                 alt.Tooltip(f"{value}:Q", title=value_title, format=MONEY)])
    return _finish(chart, height)
