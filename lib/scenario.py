"""What-if post-processing of a forecast, and exports of it that are safe to open.

The levers follow revenue = traffic × conversion × average order value, so they multiply:

- traffic %, conversion %  → volume: orders, units and revenue
- average order value %     → price: revenue only
- an extra discount of d % off what customers pay now, with a price elasticity ε (the %
  change in units per 1 % change in price, ≤ 0): the price factor is (1 − d) and the demand
  it creates is the volume factor (1 − ε·d) — 10 % off with ε = −1.5 sells 15 % more

Orders and units respond to volume only (traffic, conversion and the discount's extra demand);
net sales to volume × price. The forecast's band is scaled with it. This is arithmetic on a
fitted forecast: it never refits, so a slider can apply it instantly.

Exports (RELIABILITY.md D1–D3, D11): CSV is UTF-8 with a BOM; a text cell that a spreadsheet
would run as a formula gets a leading apostrophe; numbers, including negative ones, stay
numbers. XLSX is written with XlsxWriter with formula and URL conversion off and every text
cell written as a string, so no cell holds a formula.
"""
from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
import pandas as pd
import xlsxwriter

from lib.errors import ShoplensError
from lib.forecast.series import METRICS, Metric
from lib.strings.forecast_page import STRINGS as FORECAST_PAGE_STRINGS

FORECAST_COLUMNS = ("yhat", "yhat_lower", "yhat_upper")
MAX_DISCOUNT_PCT = 90.0
ELASTICITY_RANGE = (-10.0, 0.0)
EXPORT_COLUMNS = ("date", "metric", "level", "key", "currency", "forecast", "lower", "upper", "baseline")
# Leading characters a spreadsheet treats as the start of a formula (CWE-1236, ASVS 1.2.10),
# plus NUL, which some readers drop so the next character leads.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\0")
XLSX_MAX_TEXT = 32767  # characters per cell: Excel's limit
XLSX_MAX_ROWS = 1_048_576
XLSX_CUT_MARK = FORECAST_PAGE_STRINGS["forecast_page.xlsx_cut"][0]  # English; the page passes its own
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


class ScenarioError(ShoplensError):
    """A what-if lever outside what it can mean (for example traffic below −100 %)."""

    key = "error.scenario"


@dataclass(frozen=True)
class WhatIf:
    """The levers, in percent (10 = +10 %); the elasticity is a plain number (−1.5)."""

    traffic_pct: float = 0.0
    conversion_pct: float = 0.0
    aov_pct: float = 0.0
    discount_pct: float = 0.0
    elasticity: float = -1.5

    def __post_init__(self) -> None:
        for name in ("traffic_pct", "conversion_pct", "aov_pct", "discount_pct", "elasticity"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise ScenarioError(f"The what-if value {name} must be a finite number (got {value!r}).",
                                    lever=name, value=str(value))
        for name in ("traffic_pct", "conversion_pct", "aov_pct"):
            if getattr(self, name) < -100.0:
                raise ScenarioError(f"A change of {getattr(self, name):g} % is below −100 %: "
                                    "nothing can fall by more than all of it.",
                                    lever=name, value=str(getattr(self, name)))
        if not 0.0 <= self.discount_pct <= MAX_DISCOUNT_PCT:
            raise ScenarioError(f"The extra discount must be from 0 to {MAX_DISCOUNT_PCT:g} % "
                                f"(got {self.discount_pct:g}).", lever="discount_pct",
                                value=str(self.discount_pct))
        lo, hi = ELASTICITY_RANGE
        if not lo <= self.elasticity <= hi:
            raise ScenarioError(f"The price elasticity must be from {lo:g} to {hi:g} "
                                f"(got {self.elasticity:g}); −1.5 means 10 % off sells 15 % more.",
                                lever="elasticity", value=str(self.elasticity))

    @property
    def volume_factor(self) -> float:
        """Orders and units: traffic × conversion × the discount's extra demand."""
        d = self.discount_pct / 100.0
        return (1 + self.traffic_pct / 100.0) * (1 + self.conversion_pct / 100.0) * (1 - self.elasticity * d)

    @property
    def price_factor(self) -> float:
        """Revenue per order: average order value × (1 − discount)."""
        return (1 + self.aov_pct / 100.0) * (1 - self.discount_pct / 100.0)

    def factor(self, metric: Metric) -> float:
        """How much `metric` is multiplied by."""
        if metric not in METRICS:
            raise ScenarioError(f"Unknown metric {metric!r}: choose one of {', '.join(METRICS)}.",
                                lever="metric", value=str(metric))
        return self.volume_factor * self.price_factor if metric == "net_sales" else self.volume_factor

    @property
    def neutral(self) -> bool:
        return self.volume_factor == 1.0 and self.price_factor == 1.0


@dataclass(frozen=True)
class WhatIfTotals:
    """Totals over the horizon before and after the what-if."""

    baseline: float
    scenario: float

    @property
    def change_pct(self) -> float | None:
        """Percent change; None when the baseline total is zero (no percentage of nothing)."""
        if self.baseline == 0 or not math.isfinite(self.baseline):
            return None
        return (self.scenario / self.baseline - 1.0) * 100.0


def apply_what_if(forecast: pd.DataFrame, metric: Metric, what_if: WhatIf) -> pd.DataFrame:
    """[ds, yhat, yhat_lower, yhat_upper, baseline]: the forecast scaled by the levers.

    `baseline` is the forecast before any what-if (kept when the frame already has one, so
    applying levers one after another composes to applying them together).
    """
    missing = [c for c in ("ds", *FORECAST_COLUMNS) if c not in forecast.columns]
    if missing:
        raise ScenarioError(f"The forecast has no column(s) {', '.join(missing)}.", lever="forecast",
                            value=", ".join(missing))
    k = what_if.factor(metric)
    out = forecast[["ds", *FORECAST_COLUMNS]].copy()
    out["baseline"] = (forecast["baseline"] if "baseline" in forecast.columns else forecast["yhat"]).astype("float64")
    for c in FORECAST_COLUMNS:
        out[c] = out[c].astype("float64") * k
    return out.reset_index(drop=True)


def totals(frame: pd.DataFrame) -> WhatIfTotals:
    """Sum of the baseline and of the what-if forecast (NaN days count as nothing)."""
    base = frame["baseline"] if "baseline" in frame.columns else frame["yhat"]
    return WhatIfTotals(float(np.nansum(base.to_numpy(dtype="float64"))),
                        float(np.nansum(frame["yhat"].to_numpy(dtype="float64"))))


# -- exports --------------------------------------------------------------------------------
def export_frame(forecast: pd.DataFrame, *, metric: str, level: str, key: str | None,
                 currency: str | None, headers: Mapping[str, str] | None = None) -> pd.DataFrame:
    """One row per forecast day: date, metric, level, key, currency, forecast, lower, upper,
    baseline (numbers rounded to cents); `headers` renames the columns (translated labels)."""
    base = forecast["baseline"] if "baseline" in forecast.columns else forecast["yhat"]
    df = pd.DataFrame({
        "date": [pd.Timestamp(d).date() for d in forecast["ds"]],
        "metric": metric, "level": level, "key": key or "", "currency": currency or "",
        "forecast": forecast["yhat"].astype("float64").round(2).to_numpy(),
        "lower": forecast["yhat_lower"].astype("float64").round(2).to_numpy(),
        "upper": forecast["yhat_upper"].astype("float64").round(2).to_numpy(),
        "baseline": base.astype("float64").round(2).to_numpy(),
    }, columns=list(EXPORT_COLUMNS))
    return df.rename(columns=dict(headers)) if headers else df


def guard_text(text: str) -> str:
    """A text cell a spreadsheet shows as text: formula-like text gets a leading apostrophe."""
    return "'" + text if text.startswith(FORMULA_START) else text


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_))


def _is_missing(value: object) -> bool:
    return value is None or value is pd.NaT or value is pd.NA or (_is_number(value) and not math.isfinite(float(value)))  # type: ignore[arg-type]


def _csv_cell(value: object) -> str:
    if _is_missing(value):
        return ""
    if _is_number(value):
        v = float(value)  # type: ignore[arg-type]
        return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)
    if isinstance(value, (pd.Timestamp, datetime)):
        return value.date().isoformat() if (value.hour, value.minute, value.second) == (0, 0, 0) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return guard_text(str(value))


def forecast_to_csv_bytes(df: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a BOM (Excel reads Chinese correctly), RFC 4180 quoting, CRLF lines;
    formula-like text disarmed, numbers written as numbers."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([guard_text(str(c)) for c in df.columns])
    for row in df.itertuples(index=False, name=None):
        writer.writerow([_csv_cell(v) for v in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _sheet_name(name: str) -> str:
    clean = _SHEET_FORBIDDEN.sub(" ", name).strip().strip("'")[:31]
    return clean or "Sheet1"


def _cell_text(text: str, cut_mark: str) -> str:
    if len(text) <= XLSX_MAX_TEXT:
        return text
    return text[: XLSX_MAX_TEXT - len(cut_mark)] + cut_mark


def forecast_to_xlsx_bytes(df: pd.DataFrame, sheet: str = "Forecast",
                           cut_mark: str = XLSX_CUT_MARK) -> bytes:
    """An .xlsx of `df`: text as strings (never formulas or links), numbers as numbers,
    dates as dates; missing values left blank. Text longer than a cell holds is cut and ends
    with `cut_mark` (the page passes it in the user's language), never silently (RELIABILITY
    D9); more rows than a sheet holds are refused (the CSV download has them all)."""
    if len(df) + 1 > XLSX_MAX_ROWS:
        raise ScenarioError(f"{len(df):,} rows do not fit in one Excel sheet: download the CSV.",
                            key="scenario.xlsx_too_many_rows", rows=f"{len(df):,}")
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False,
                                   "strings_to_urls": False, "strings_to_numbers": False})
    ws = wb.add_worksheet(_sheet_name(sheet))
    day = wb.add_format({"num_format": "yyyy-mm-dd"})
    bold = wb.add_format({"bold": True})
    for j, col in enumerate(df.columns):
        ws.write_string(0, j, _cell_text(str(col), cut_mark), bold)
    for i, row in enumerate(df.itertuples(index=False, name=None), start=1):
        for j, value in enumerate(row):
            if _is_missing(value):
                ws.write_blank(i, j, None)
            elif _is_number(value):
                ws.write_number(i, j, float(value))  # type: ignore[arg-type]
            elif isinstance(value, (pd.Timestamp, datetime)):
                ws.write_datetime(i, j, pd.Timestamp(value).to_pydatetime().replace(tzinfo=None), day)
            elif isinstance(value, date):
                ws.write_datetime(i, j, datetime(value.year, value.month, value.day), day)
            else:
                ws.write_string(i, j, _cell_text(str(value), cut_mark))
    ws.freeze_panes(1, 0)
    ws.set_column(0, max(0, len(df.columns) - 1), 14)
    wb.close()
    return buf.getvalue()
