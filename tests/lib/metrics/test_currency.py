"""Money never adds currencies: it is shown per currency or converted with the rates (the
workspace's fx_rates, or the user's), costs and ad spend included."""
from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from lib.errors import ShoplensError
from lib.metrics.engine import compute
from lib.metrics.filters import filter_options
from lib.workspace import Workspace
from tests.lib.metrics.shop import MARCH, open_shop

D = Decimal
MONEY = ["gross_sales", "ad_spend", "cogs", "inventory_value", "orders"]


@pytest.fixture
def shop(tmp_path: Path) -> Workspace:
    ws = open_shop(tmp_path / "shop.duckdb")
    yield ws
    ws.close()


def test_several_currencies_without_a_choice_or_rates_are_refused(tmp_path: Path) -> None:
    ws = open_shop(tmp_path / "norates.duckdb", rates=False)
    try:
        with pytest.raises(ShoplensError) as err:
            compute(ws, replace(MARCH, currency=None), MONEY)
        assert err.value.key == "kpi.mixed_currency"
        assert err.value.params == {"currencies": "EUR, USD"}
    finally:
        ws.close()


def test_without_a_choice_but_with_rates_everything_converts_to_usd(shop: Workspace) -> None:
    r = compute(shop, replace(MARCH, currency=None), MONEY)
    assert (r.currency, r.value("gross_sales").value) == ("USD", D("305.00"))


def test_a_currency_without_a_rate_is_shown_alone_and_the_rest_named(tmp_path: Path) -> None:
    ws = open_shop(tmp_path / "norates.duckdb", rates=False)
    try:
        r = compute(ws, MARCH, MONEY)
        assert r.plan.excluded == ("EUR",)
        # USD orders only: O1 50 + O2 30 + O3 20 + O6 40; web's ad spend; USD costs only
        assert r.value("gross_sales").value == D("140.00")
        assert r.value("ad_spend").value == D("20.00")
        assert r.value("cogs").value == D("40.00")  # SKU-D costs EUR: no rate, left out
        assert r.value("orders").value == 4
    finally:
        ws.close()


def test_convert_off_shows_one_currency_exactly(shop: Workspace) -> None:
    eur = replace(MARCH, currency="EUR", convert=False)
    r = compute(shop, eur, MONEY)
    assert r.plan.excluded == ("USD",)
    assert (r.currency, r.value("gross_sales").value, r.value("orders").value) == ("EUR", D("150.00"), 2)
    assert r.value("ad_spend").value == D("10.00")  # market's spend is in EUR
    # costs still convert (a product's cost has its own currency): SKU-D 50 EUR; SKU-E no cost
    assert r.value("cogs").value == D("50.00")


def test_converting_into_eur_uses_the_inverse_rate_for_usd(shop: Workspace) -> None:
    r = compute(shop, replace(MARCH, currency="EUR"), MONEY)
    assert r.currency == "EUR"
    assert r.value("gross_sales").value == D("277.27")   # 150 + 140 / 1.1 = 277.2727…
    assert r.value("ad_spend").value == D("28.18")       # 10 + 20 / 1.1
    assert r.value("cogs").value == D("86.36")           # 50 + (8 + 12 + 12 + 8) / 1.1 USD costs
    assert r.value("inventory_value").value == D("222.73")  # 150 + (40 + 0 + 40) / 1.1


def test_rates_typed_by_the_user_win_over_the_workspaces(shop: Workspace) -> None:
    r = compute(shop, replace(MARCH, rates=(("EUR", 2.0),)), MONEY)
    assert r.value("gross_sales").value == D("440.00")  # 140 + 150 × 2
    assert r.value("ad_spend").value == D("40.00")      # 20 + 10 × 2


def test_filter_options_list_platforms_currencies_and_rates(shop: Workspace) -> None:
    opts = filter_options(shop)
    assert opts.platforms == ("amazon", "shopify")
    assert opts.currencies == ("EUR", "USD")
    assert opts.home == "USD"
    assert opts.rates == {"USD": D("1.00000000"), "EUR": D("1.10000000")}


def test_platform_filter_keeps_that_platforms_orders_traffic_and_spend(shop: Workspace) -> None:
    r = compute(shop, replace(MARCH, platforms=("amazon",)), ["gross_sales", "sessions", "ad_spend"])
    assert r.value("gross_sales").value == D("165.00")
    assert r.value("sessions").value == 300
    assert r.value("ad_spend").value == D("11.00")


def test_rates_typed_by_hand_are_kept_in_the_workspace(tmp_path: Path) -> None:
    """Saved rates replace those currencies' rows, belong to no import, and convert from then on;
    a bad code or a rate of zero is refused and nothing is written."""
    from lib.metrics.filters import save_workspace_rates, workspace_rates

    ws = open_shop(tmp_path / "saved.duckdb", rates=False)
    try:
        with pytest.raises(ShoplensError):
            compute(ws, replace(MARCH, currency=None), MONEY)
        for bad in ((("EUR", 0.0),), (("EURO", 1.1),), (("EUR", 1.1), ("usd ", -1.0))):
            with pytest.raises(ShoplensError) as err:
                save_workspace_rates(ws, bad)
            assert err.value.key == "sidebar.bad_rate"
        assert workspace_rates(ws) == {"USD": D(1)}  # nothing written by the refusals
        assert save_workspace_rates(ws, (("eur", 1.25),)) == 1
        assert save_workspace_rates(ws, (("EUR", 1.1),)) == 1  # replaces, never duplicates
        assert workspace_rates(ws)["EUR"] == D("1.1")
        rows = ws.cursor().execute("SELECT currency, batch_id FROM fx_rates").fetchall()
        assert rows == [("EUR", None)]
        converted = compute(ws, replace(MARCH, currency=None), MONEY)
        assert converted.currency == "USD"
    finally:
        ws.close()
