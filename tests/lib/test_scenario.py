"""lib/scenario.py: what-if levers on a forecast (hand-computed), and exports safe to open."""
from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date

import numpy as np
import pandas as pd
import pytest

from lib.scenario import (
    EXPORT_COLUMNS,
    ScenarioError,
    WhatIf,
    apply_what_if,
    export_frame,
    forecast_to_csv_bytes,
    forecast_to_xlsx_bytes,
    guard_text,
    totals,
)


def forecast(values: tuple[float, ...] = (100.0, 200.0)) -> pd.DataFrame:
    ds = pd.date_range("2025-01-01", periods=len(values), freq="D")
    y = np.array(values)
    return pd.DataFrame({"ds": ds, "yhat": y, "yhat_lower": y * 0.8, "yhat_upper": y * 1.25})


# -- the levers ---------------------------------------------------------------------------------
def test_all_levers_hand_computed() -> None:
    w = WhatIf(traffic_pct=10, conversion_pct=20, aov_pct=-5, discount_pct=10, elasticity=-2)
    # volume = 1.1 × 1.2 × (1 + 2 × 0.10) = 1.584; price = 0.95 × 0.90 = 0.855
    assert w.volume_factor == pytest.approx(1.584)
    assert w.price_factor == pytest.approx(0.855)
    assert w.factor("net_sales") == pytest.approx(1.35432)
    assert w.factor("orders") == pytest.approx(1.584)
    assert w.factor("units") == pytest.approx(1.584)
    out = apply_what_if(forecast(), "net_sales", w)
    assert out["yhat"].tolist() == pytest.approx([135.432, 270.864])
    assert out["yhat_lower"].tolist() == pytest.approx([108.3456, 216.6912])
    assert out["yhat_upper"].tolist() == pytest.approx([169.29, 338.58])
    assert out["baseline"].tolist() == [100.0, 200.0]
    orders = apply_what_if(forecast(), "orders", w)
    assert orders["yhat"].tolist() == pytest.approx([158.4, 316.8])


def test_orders_and_units_ignore_average_order_value() -> None:
    w = WhatIf(aov_pct=30)
    assert apply_what_if(forecast(), "orders", w)["yhat"].tolist() == [100.0, 200.0]
    assert apply_what_if(forecast(), "units", w)["yhat"].tolist() == [100.0, 200.0]
    assert apply_what_if(forecast(), "net_sales", w)["yhat"].tolist() == pytest.approx([130.0, 260.0])


def test_a_discount_trades_price_for_volume_by_the_elasticity() -> None:
    # 10 % off with elasticity −1.5: units × 1.15, revenue × 0.9 × 1.15 = 1.035
    w = WhatIf(discount_pct=10, elasticity=-1.5)
    assert w.factor("units") == pytest.approx(1.15)
    assert w.factor("net_sales") == pytest.approx(1.035)
    # With no price response, a discount only costs money.
    assert WhatIf(discount_pct=20, elasticity=0).factor("net_sales") == pytest.approx(0.8)
    assert WhatIf(discount_pct=20, elasticity=0).factor("orders") == 1.0


def test_levers_compose_one_after_another_as_together() -> None:
    step = apply_what_if(apply_what_if(forecast(), "net_sales", WhatIf(traffic_pct=10)),
                         "net_sales", WhatIf(conversion_pct=20, aov_pct=-5))
    together = apply_what_if(forecast(), "net_sales", WhatIf(traffic_pct=10, conversion_pct=20, aov_pct=-5))
    pd.testing.assert_frame_equal(step, together)
    assert step["baseline"].tolist() == [100.0, 200.0]  # the original forecast is kept


def test_neutral_levers_change_nothing_and_do_not_touch_the_input() -> None:
    f = forecast()
    out = apply_what_if(f, "net_sales", WhatIf())
    assert WhatIf().neutral and not WhatIf(traffic_pct=5).neutral
    assert out[["ds", "yhat", "yhat_lower", "yhat_upper"]].equals(f)
    assert "baseline" not in f.columns


def test_minus_100_percent_gives_zero_never_negative() -> None:
    out = apply_what_if(forecast(), "net_sales", WhatIf(traffic_pct=-100))
    assert out["yhat"].tolist() == [0.0, 0.0]
    assert (out[["yhat", "yhat_lower", "yhat_upper"]] >= 0).all().all()
    t = totals(out)
    assert (t.baseline, t.scenario, t.change_pct) == (300.0, 0.0, -100.0)


@pytest.mark.parametrize("kwargs", [
    {"traffic_pct": -100.5}, {"conversion_pct": -150}, {"aov_pct": -101}, {"discount_pct": -1},
    {"discount_pct": 95}, {"elasticity": 0.5}, {"elasticity": -11}, {"traffic_pct": float("nan")},
    {"aov_pct": float("inf")},
])
def test_impossible_levers_are_refused_with_a_typed_error(kwargs: dict[str, float]) -> None:
    with pytest.raises(ScenarioError) as err:
        WhatIf(**kwargs)
    assert err.value.key == "error.scenario"
    assert err.value.params["lever"] == next(iter(kwargs))


def test_zero_baseline_has_no_percentage_change() -> None:
    out = apply_what_if(forecast((0.0, 0.0)), "orders", WhatIf(traffic_pct=50))
    t = totals(out)
    assert (t.baseline, t.scenario, t.change_pct) == (0.0, 0.0, None)


def test_missing_days_stay_missing_and_count_as_nothing_in_totals() -> None:
    out = apply_what_if(forecast((100.0, float("nan"))), "orders", WhatIf(traffic_pct=10))
    assert np.isnan(out["yhat"].iloc[1])
    assert totals(out).scenario == pytest.approx(110.0)


def test_an_empty_forecast_stays_empty_and_a_bad_frame_is_refused() -> None:
    assert apply_what_if(forecast(()), "net_sales", WhatIf(traffic_pct=10)).empty
    with pytest.raises(ScenarioError):
        apply_what_if(pd.DataFrame({"ds": []}), "net_sales", WhatIf())
    with pytest.raises(ScenarioError):
        WhatIf().factor("revenue")  # type: ignore[arg-type]


# -- exports --------------------------------------------------------------------------------------
def _export(key: str = "=1+1") -> pd.DataFrame:
    f = forecast((1234.5, 10.0)).assign(yhat_lower=[-3.5, 0.0])  # a negative number must stay a number
    return export_frame(apply_what_if(f, "net_sales", WhatIf(traffic_pct=10)), metric="net_sales",
                        level="sku", key=key, currency="CNY")


def test_export_frame_columns_and_rounding() -> None:
    df = _export("TEA-1")
    assert tuple(df.columns) == EXPORT_COLUMNS
    assert df.iloc[0].tolist() == [date(2025, 1, 1), "net_sales", "sku", "TEA-1", "CNY", 1357.95, -3.85,
                                   1697.44, 1234.5]
    renamed = export_frame(forecast(), metric="orders", level="total", key=None, currency=None,
                           headers={"date": "日期", "forecast": "预测值"})
    assert list(renamed.columns[:2]) == ["日期", "metric"] and "预测值" in renamed.columns
    assert renamed["key"].tolist() == ["", ""]


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "\0=1"])
def test_guard_text_prefixes_formula_starts(text: str) -> None:
    assert guard_text(text) == "'" + text
    assert guard_text("TEA-1") == "TEA-1"


def test_csv_is_utf8_with_bom_text_guarded_numbers_not() -> None:
    df = _export('=HYPERLINK("http://x.invalid","click")')
    data = forecast_to_csv_bytes(df.assign(level="双11"))
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == list(EXPORT_COLUMNS)
    assert rows[1] == ["2025-01-01", "net_sales", "双11", '\'=HYPERLINK("http://x.invalid","click")', "CNY",
                       "1357.95", "-3.85", "1697.44", "1234.5"]
    assert rows[2][6] == "0"          # numbers stay numbers, negative ones included (D3)
    assert b"\r\n" in data


def test_csv_guards_the_product_name_and_headers() -> None:
    rows = list(csv.reader(io.StringIO(forecast_to_csv_bytes(_export("=1+1").rename(
        columns={"date": "=cmd"})).decode("utf-8-sig"))))
    assert rows[0][0] == "'=cmd"
    assert [r[3] for r in rows[1:]] == ["'=1+1", "'=1+1"]


def _sheet_xml(data: bytes) -> tuple[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return (z.read("xl/worksheets/sheet1.xml").decode("utf-8"),
                z.read("xl/sharedStrings.xml").decode("utf-8"))


def test_xlsx_writes_a_formula_like_name_as_a_string_never_a_formula() -> None:
    data = forecast_to_xlsx_bytes(_export("=1+1"), sheet="预测")
    sheet, strings = _sheet_xml(data)
    assert "<f>" not in sheet and "<f " not in sheet     # no formula anywhere (D1)
    assert "<t>=1+1</t>" in strings                    # kept as the text the user typed
    # D4 is column D: a shared string; F2 (forecast) and G2 (−3.85) are plain numbers (D3)
    assert re.search(r'<c r="D2"[^>]*t="s"', sheet)
    assert re.search(r'<c r="F2"[^>]*><v>1357\.95</v>', sheet)
    assert re.search(r'<c r="G2"[^>]*><v>-3\.85</v>', sheet)
    assert re.search(r'<c r="A2" s="\d+"><v>45658</v>', sheet)  # 2025-01-01 as a date serial


def test_xlsx_leaves_links_as_text_and_reads_back() -> None:
    pytest.importorskip("python_calamine")
    from python_calamine import CalamineWorkbook

    data = forecast_to_xlsx_bytes(_export("http://x.invalid"), sheet="a/b:c")
    sheet, _ = _sheet_xml(data)
    assert "hyperlink" not in sheet.lower()
    wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
    assert wb.sheet_names == ["a b c"]
    rows = wb.get_sheet_by_index(0).to_python()
    assert rows[0] == list(EXPORT_COLUMNS)
    assert rows[1][3] == "http://x.invalid" and rows[1][5] == 1357.95 and rows[1][6] == -3.85


def test_d9_xlsx_marks_text_cut_at_excels_cell_limit_and_refuses_too_many_rows() -> None:
    """Excel holds 32,767 characters per cell and 1,048,576 rows per sheet: a longer text is
    cut with a mark saying so (never silently, never a corrupt file); more rows are refused."""
    pytest.importorskip("python_calamine")
    from python_calamine import CalamineWorkbook

    from lib.scenario import XLSX_CUT_MARK, XLSX_MAX_TEXT, ScenarioError

    long_key, fits = "x" * 40_000, "y" * XLSX_MAX_TEXT
    df = pd.concat([_export(long_key), _export(fits)], ignore_index=True)
    rows = CalamineWorkbook.from_filelike(io.BytesIO(forecast_to_xlsx_bytes(df))) \
        .get_sheet_by_index(0).to_python()
    assert len(rows[1][3]) == XLSX_MAX_TEXT and rows[1][3].endswith(XLSX_CUT_MARK)
    assert rows[1][3].startswith("x" * 32_000)
    assert rows[3][3] == fits  # exactly the limit: kept whole (each _export is two rows)
    huge = pd.DataFrame({"date": range(1_048_576)})
    with pytest.raises(ScenarioError) as err:
        forecast_to_xlsx_bytes(huge)
    assert err.value.key == "scenario.xlsx_too_many_rows" and "download the CSV" in str(err.value)

