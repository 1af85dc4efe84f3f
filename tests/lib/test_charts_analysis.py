"""The Analysis page's tables as shown (lib/charts_analysis.py): translated headers in both
languages, money with its currency, counts with separators (numbers kept as numbers under
their formats); the figures themselves untouched."""
from __future__ import annotations

import pandas as pd
import pytest

from lib import charts_analysis as ca

PRODUCTS = pd.DataFrame({"product": ["SKU-1", "SKU-2"], "name": ["Tea", "Cup"],
                         "gross_sales": [12345.5, 10.0], "units": [1200.0, 1.0], "orders": [1001, 1]})
MOVERS = pd.DataFrame({"dimension": ["channel", "customer_type"], "key": ["web", "new"],
                       "measure": ["sales_after_discounts", "sales_after_discounts"],
                       "before": [100.0, 50.0], "after": [150.0, 40.0], "change": [50.0, -10.0],
                       "share": [1.25, -0.25]})
CURRENCIES = pd.DataFrame({"currency": ["CNY", "USD"], "orders": [2034, 2619],
                           "amount": [780816.8, 179101.5], "status": ["converted", "target"]})
NEW_RETURNING = pd.DataFrame({"customer_type": ["new", "returning"], "orders": [3, 1],
                              "sales_after_discounts": [300.0, 80.0], "avg_order_value": [100.0, 80.0],
                              "customers": [3, 1]})


def test_tables_in_english() -> None:
    products = ca.product_table(PRODUCTS, "USD")
    assert products.text_frame().values.tolist() == [
        ["SKU-1", "Tea", "USD 12,345.50", "1,200", "1,001"], ["SKU-2", "Cup", "USD 10.00", "1", "1"]]
    assert products.column("Gross sales") == [12345.5, 10.0]  # numbers, so they sort as numbers
    movers = ca.movers_table(MOVERS, "USD")
    assert list(movers.columns) == ["Breakdown", "Group", "Measure", "Before", "After", "Change",
                                    "Share of change"]
    assert movers.text_frame().iloc[1].tolist() == ["New vs returning", "New customers' first orders",
                                                    "Sales after discounts", "USD 50.00", "USD 40.00",
                                                    "USD -10.00", "-25.0%"]
    assert movers.column("Share of change") == [125.0, -25.0]
    assert ca.currency_table(CURRENCIES, "USD").values.tolist() == [
        ["CNY", "2,034", "CNY 780,816.80", "converted to USD"], ["USD", "2,619", "USD 179,101.50", "counted"]]
    nr = ca.new_returning_table(NEW_RETURNING, "USD")
    assert list(nr.columns) == ["New vs returning", "Orders", "Sales after discounts", "Average order value",
                                "Customers"]


@pytest.mark.parametrize("table", [
    lambda: ca.product_table(PRODUCTS, "USD", "zh"), lambda: ca.movers_table(MOVERS, "USD", "zh"),
    lambda: ca.currency_table(CURRENCIES, "USD", "zh"), lambda: ca.new_returning_table(NEW_RETURNING, "USD", "zh")])
def test_no_header_is_a_column_name_of_the_code_in_chinese(table) -> None:
    headers = list(table().columns)
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in h) for h in headers), headers
