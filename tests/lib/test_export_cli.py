"""lib.export_cli.to_csv_bytes: the one CSV download format of the pages (D11)."""
from __future__ import annotations

import csv
import io

import pandas as pd

from lib.export_cli import to_csv_bytes


def test_csv_bytes_start_with_the_bom_and_keep_chinese() -> None:
    data = to_csv_bytes(pd.DataFrame({"name": ["双11 礼盒"], "units": [3]}))
    assert data == b"\xef\xbb\xbf" + "name,units\n双11 礼盒,3\n".encode("utf-8")


def test_csv_bytes_guard_formula_text_and_leave_numbers_alone() -> None:
    df = pd.DataFrame({"sku": ["=1+1", "\0=1+1", "-2+3", "@SUM(A1)", "TEA-1"],
                       "qty": [-5, 0, 2, 1, 7], "price": [-1.5, 0.0, 2.25, None, 3.0],
                       "note": ["+49 30", "a=b", None, "\tx", "绿茶"]})
    rows = list(csv.reader(io.StringIO(to_csv_bytes(df).decode("utf-8-sig"))))
    assert rows == [["sku", "qty", "price", "note"],
                    ["'=1+1", "-5", "-1.5", "'+49 30"],  # negative numbers are numbers, not formulas
                    ["'\0=1+1", "0", "0.0", "a=b"],
                    ["'-2+3", "2", "2.25", ""],
                    ["'@SUM(A1)", "1", "", "'\tx"],
                    ["TEA-1", "7", "3.0", "绿茶"]]
