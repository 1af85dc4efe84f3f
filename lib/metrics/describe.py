"""Catalogue values as text, in the user's language: numbers by the metric's format, changes,
and the reasons and notes the engine attaches (`Reason` keys live in lib/strings/metrics.py)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from lib.i18n import fmt_card_money, fmt_compact, t
from lib.metrics.catalogue import Metric, load_catalogue
from lib.metrics.engine import Reason, Value


def format_number(metric: Metric, value: object, currency: str | None, lang: str = "en",
                  compact: bool = False) -> str:
    """`value` as the metric's format says (money with its currency; '—' when missing).
    `compact`: for a KPI card: money short enough to fit (lib.i18n.fmt_card_money), counts of
    a million or more in the language's units."""
    if value is None:
        return t("value.none", lang)
    fmt = metric.format
    if fmt == "money":
        amount = Decimal(str(value))
        text = fmt_card_money(amount, lang) if compact else f"{amount:,.2f}"
        return f"{currency} {text}" if currency else text
    if fmt == "integer":
        return fmt_compact(int(value), lang) if compact else f"{int(value):,}"  # type: ignore[call-overload]
    x = float(value)  # type: ignore[arg-type]
    if fmt == "percent":
        return f"{x:.1%}"
    if fmt == "hours":
        return t("metrics.fmt.hours", lang, n=f"{x:,.1f}")
    if fmt == "days":
        return t("metrics.fmt.days", lang, n=f"{x:,.1f}")
    if fmt == "multiple":
        return f"{x:,.2f}×"
    return f"{x:,.0f}" if x == int(x) else f"{x:,.2f}"


def format_value(metric: Metric, value: Value, currency: str | None, lang: str = "en",
                 compact: bool = False) -> str:
    return format_number(metric, value.value, currency, lang, compact)


def format_change(change: float | None, lang: str = "en") -> str | None:
    """+12.3% style; None when there is no change to show."""
    return None if change is None else f"{change:+.1%}"


def describe_reason(reason: Reason | None, lang: str = "en") -> str:
    """The reason or note as a sentence in `lang`."""
    if reason is None:
        return ""
    params: dict[str, str] = {}
    for name, value in reason.params:
        if name == "dim":
            params[name] = t(f"metrics.dim.{value}", lang) if value else ""
        elif name == "what":
            params[name] = t(f"metrics.needs.{value}", lang)
        elif name == "metric":
            cat = load_catalogue()
            params[name] = cat[value].text("label", lang) if value in cat else value
        elif name == "share":
            params[name] = f"{float(value):.1%}"
        else:
            params[name] = value
    return t(reason.key, lang, **params)


def describe_value(value: Value, lang: str = "en") -> str:
    """Why a value is missing and its notes, one sentence each ('' when there is nothing)."""
    parts = [describe_reason(value.reason, lang)] if value.value is None else []
    parts += [describe_reason(n, lang) for n in value.notes]
    return " ".join(p for p in parts if p)


def dim_label(dim: str, lang: str = "en") -> str:
    """A grouping's name as a title (axis, column header, picker): 'Category', not the
    'category' a sentence takes ('Net sales by category')."""
    text = t(f"metrics.dim.{dim}", lang)
    return text[:1].upper() + text[1:]


def format_key(dim: str, key: object, lang: str = "en") -> str:
    """A group's key as a label: weekdays and customer types translated, dates ISO; a missing
    key (None, or NaN from a frame: a line without a category) is 'not set', never 'nan'."""
    if key is None or (isinstance(key, float) and key != key):
        return t("metrics.none_key", lang)
    if dim == "weekday":
        return t(f"metrics.weekday.{int(key)}", lang)  # type: ignore[call-overload]
    if dim == "customer_type":
        return t(f"metrics.customer_type.{key}", lang)
    if dim == "month" and isinstance(key, date):
        return key.strftime("%Y-%m")
    if isinstance(key, date):
        return key.isoformat()
    return str(key)
