"""The Overview page: core KPI cards for the sidebar filters (numbers hand-computed in support.py)."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from tests.pages.support import SHOPIFY, metrics, open_page, upload

EUR = SHOPIFY.replace(",USD,", ",EUR,").replace("#100", "#200").replace("2024-01-0", "2024-03-0")


def load_then_overview(*files: tuple[str, bytes]):
    at = upload(open_page("app_pages/data.py"), *files)
    at.switch_page("app_pages/overview.py")
    at.run()
    assert not at.exception
    return at


def test_an_empty_workspace_points_to_the_data_page(workspaces: Path) -> None:
    at = open_page("app_pages/overview.py")
    assert [i.value for i in at.info] == [
        "No orders for these filters yet. Load an export on the Data page."]
    assert not at.metric


def test_core_kpis_of_the_loaded_orders(workspaces: Path) -> None:
    at = load_then_overview(("orders.csv", SHOPIFY.encode()))
    assert metrics(at) == {
        "Orders": "3", "Gross sales": "USD 70.00", "Discounts": "USD 2.00",
        "Refunds": "USD 10.00", "Net sales": "USD 58.00", "Order total": "USD 73.00",
        "Average order value": "USD 22.67", "Customers": "2", "Repeat customer rate": "50.0%",
    }
    assert [c.value for c in at.caption][-1].startswith("Orders exclude cancelled and test orders.")


def test_the_sidebar_date_range_filters_the_kpis(workspaces: Path) -> None:
    at = load_then_overview(("orders.csv", SHOPIFY.encode()))
    at.date_input[0].set_value((date(2024, 1, 6), date(2024, 1, 7))).run()
    assert not at.exception
    # #1002 and #1003 only: gross 20 + 10, discount 2, refund 10, AOV (30 − 2) / 2.
    assert metrics(at) == {
        "Orders": "2", "Gross sales": "USD 30.00", "Discounts": "USD 2.00",
        "Refunds": "USD 10.00", "Net sales": "USD 18.00", "Order total": "USD 28.00",
        "Average order value": "USD 14.00", "Customers": "2", "Repeat customer rate": "0.0%",
    }


def test_mixed_currencies_are_never_added_up(workspaces: Path) -> None:
    at = load_then_overview(("usd.csv", SHOPIFY.encode()), ("eur.csv", EUR.encode()))
    currency = at.selectbox(key="overview_currency")
    assert (currency.label, currency.options, currency.value) == ("Currency", ["EUR", "USD"], "EUR")
    assert metrics(at)["Orders"] == "3"
    assert metrics(at)["Gross sales"] == "EUR 70.00"
    currency.set_value("USD").run()
    assert not at.exception
    assert metrics(at)["Net sales"] == "USD 58.00"


def test_kpi_labels_follow_the_language(workspaces: Path) -> None:
    at = load_then_overview(("orders.csv", SHOPIFY.encode()))
    at.selectbox(key="lang").set_value("zh").run()
    assert not at.exception
    assert at.title[0].value == "总览"
    assert metrics(at)["客单价"] == "USD 22.67"
    assert metrics(at)["复购率"] == "50.0%"
