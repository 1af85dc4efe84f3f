"""Display tables whose numbers stay numbers.

A table of formatted text sorts as text: a click on "Net sales" puts "USD 9,000.00" above
"USD 10,000.00". A `Table` keeps each figure a number, rounded to what is shown, and says how
each numeric column is written (`Fmt`: decimals, a prefix such as the currency, a suffix such
as %). The page hands those formats to Streamlit's column configuration (printf), the HTML
report writes the same text in Python (`Table.text_frame`), so screen and report agree.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

NONE = "—"  # what a missing value reads as, in both languages


@dataclass(frozen=True)
class Fmt:
    """How one numeric column is written: `prefix` + the value × `scale` with separators and
    `places` decimals + `suffix` ('USD 1,234.50', '12.3%', '17.6 h')."""

    places: int = 0
    prefix: str = ""
    suffix: str = ""
    scale: float = 1.0  # shares are 0–1 in lib and shown as points of a percent
    sign: bool = False  # '+12.3%': a change

    def printf(self) -> str:
        """The format for st.column_config.NumberColumn (printf with Streamlit's ',' flag)."""
        def literal(s: str) -> str:
            return s.replace("%", "%%")
        flags = "+," if self.sign else ","
        number = f"%{flags}d" if self.places == 0 else f"%{flags}.{self.places}f"
        return f"{literal(self.prefix)}{number}{literal(self.suffix)}"

    def text(self, shown: object, none: str = NONE) -> str:
        """A value of the table's frame (already scaled and rounded) as the page shows it."""
        if _missing(shown):
            return none
        flags = "+," if self.sign else ","
        return f"{self.prefix}{float(shown):{flags}.{self.places}f}{self.suffix}"  # type: ignore[arg-type]


def money(currency: str | None) -> Fmt:
    """Cents, after the currency code when there is one."""
    return Fmt(2, prefix=f"{currency} " if currency else "")


PCT = Fmt(1, suffix="%", scale=100.0)
CHANGE = Fmt(1, suffix="%", scale=100.0, sign=True)  # a relative change, 0.123 → '+12.3%'
CHANGE_POINTS = Fmt(1, suffix="%", sign=True)  # the same held in percent points, 12.3 → '+12.3%'
INT = Fmt(0)


def unit_fmt(kind: str, currency: str | None, lang: str = "en", values: Sequence[object] = ()) -> Fmt:
    """The Fmt of a catalogue metric's `format` (money, integer, percent, hours, days, multiple;
    any other number whole when all `values` are, else two decimals), as
    lib.metrics.describe.format_number writes single values."""
    from lib.i18n import t

    if kind == "money":
        return money(currency)
    if kind == "integer":
        return INT
    if kind == "percent":
        return PCT
    if kind in ("hours", "days"):  # the unit word around the number, in the reader's language
        prefix, suffix = t(f"metrics.fmt.{kind}", lang, n="\0").split("\0")
        return Fmt(1, prefix=prefix, suffix=suffix)
    if kind == "multiple":
        return Fmt(2, suffix="×")
    whole = all(_missing(v) or float(v) == int(float(v)) for v in values)  # type: ignore[arg-type]
    return Fmt(0 if whole else 2)


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _shown(values: pd.Series, fmt: Fmt) -> pd.Series:
    """Floats scaled and rounded as written (so a sort follows what the reader sees, and the
    browser's rounding never differs from Python's); missing values NaN."""
    def one(v: object) -> float:
        return math.nan if _missing(v) else float(v) * fmt.scale  # type: ignore[arg-type]
    rounded = pd.Series([one(v) for v in values], index=values.index, dtype="float64").round(fmt.places)
    return rounded + 0.0  # -0.0 (a small negative rounded away) reads as 0.0, as in the browser


@dataclass(frozen=True)
class Table:
    """`frame` has the headers a reader sees; `formats` names its numeric columns (by header)."""

    frame: pd.DataFrame
    formats: Mapping[str, Fmt] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return self.frame.empty

    @property
    def columns(self) -> list[str]:
        return [str(c) for c in self.frame.columns]

    def column(self, header: str) -> list[object]:
        return self.frame[header].tolist()

    def texts(self, header: str, none: str = NONE) -> list[str]:
        """One column as written on the page."""
        fmt = self.formats.get(header)
        if fmt is None:
            return [none if _missing(v) else str(v) for v in self.frame[header]]
        return [fmt.text(v, none) for v in self.frame[header]]

    def text_frame(self, none: str = NONE) -> pd.DataFrame:
        """Every cell as written (reports, and tests that read what a user reads)."""
        return pd.DataFrame({c: self.texts(c, none) for c in self.columns}, columns=self.columns)


def build_table(frame: pd.DataFrame, formats: Mapping[str, Fmt],
                header: Callable[[str], str]) -> Table:
    """A Table from lib's columns: `formats` by lib's column name (values as lib holds them:
    shares 0–1, money as Decimal or float), `header` turns a column name into its heading."""
    out = frame.copy()
    for c, fmt in formats.items():
        out[c] = _shown(out[c], fmt)
    names = {c: header(str(c)) for c in out.columns}
    return Table(out.rename(columns=names), {names[c]: f for c, f in formats.items()})
