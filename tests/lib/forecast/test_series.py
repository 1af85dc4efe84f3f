"""Daily series from the canonical tables, checked against hand-computed values and against
lib/metrics/core.py over the same period (the daily series must add up to the KPI)."""
from __future__ import annotations

from datetime import date

import pytest

from lib.forecast.notes import ForecastError
from lib.forecast.series import (
    ALL_CURRENCIES,
    country_code,
    daily_frame,
    daily_promo_depth,
    daily_series,
    list_keys,
    planned_promotions,
    recent_by_sku,
    series_channels,
    series_context,
    shop_markets,
    sku_categories,
)
from lib.metrics.core import Filters, compute_core_kpis
from lib.workspace import Workspace
from tests.lib.forecast.shop import build_tiny_shop, insert


def values(df) -> dict[str, float]:  # type: ignore[no-untyped-def]
    return {d.date().isoformat(): round(float(v), 4) for d, v in zip(df["ds"], df["y"])}


def test_total_net_sales_per_day_by_hand(ws: Workspace) -> None:
    build_tiny_shop(ws)
    got = values(daily_series(ws, "net_sales"))
    # 03-01: gross 25 + 10, discount 2, refunded 5 → 28; cancelled, cancelled-status and test
    # orders never count; 03-05: a refund document on its own day; 03-02..04 zero-filled.
    assert got == {"2024-03-01": 28.0, "2024-03-02": 0.0, "2024-03-03": 0.0, "2024-03-04": 0.0,
                   "2024-03-05": -8.0, "2024-03-06": 32.0}


@pytest.mark.parametrize("metric, kpi", [("net_sales", "net_sales"), ("orders", "orders"), ("units", "units")])
def test_daily_series_adds_up_to_the_core_kpi(ws: Workspace, metric: str, kpi: str) -> None:
    build_tiny_shop(ws)
    for f in (Filters(), Filters(start=date(2024, 3, 2)), Filters(end=date(2024, 3, 5)),
              Filters(channels=("app",))):
        total = daily_series(ws, metric, filters=f)["y"].sum()  # type: ignore[arg-type]
        assert total == pytest.approx(float(getattr(compute_core_kpis(ws, f), kpi)), abs=0.005)


def test_orders_and_units_by_hand(ws: Workspace) -> None:
    build_tiny_shop(ws)
    assert values(daily_series(ws, "orders"))["2024-03-01"] == 2.0
    assert values(daily_series(ws, "units"))["2024-03-06"] == 4.0  # 3 Y + 1 Z; shipping is no unit


def test_channel_level(ws: Workspace) -> None:
    build_tiny_shop(ws)
    web = values(daily_series(ws, "net_sales", "channel", "web"))
    app = values(daily_series(ws, "net_sales", "channel", "app"))
    assert web["2024-03-01"] == 18.0 and web["2024-03-05"] == -8.0 and web["2024-03-06"] == 0.0
    assert app["2024-03-01"] == 10.0 and app["2024-03-06"] == 32.0
    assert sum(web.values()) + sum(app.values()) == pytest.approx(52.0)  # channels sum to the whole


def test_sku_and_category_share_out_discounts_and_refunds_by_line_gross(ws: Workspace) -> None:
    build_tiny_shop(ws)
    x = values(daily_series(ws, "net_sales", "sku", "X"))
    # A1: X is 20 of 25 gross → 20 − 0.8×2 − 0.8×5 = 14.4; A2: 10; the refund document R1 has
    # only X lines → −8. A SKU's series starts with its first sale.
    assert x == {"2024-03-01": 24.4, "2024-03-02": 0.0, "2024-03-03": 0.0, "2024-03-04": 0.0,
                 "2024-03-05": -8.0, "2024-03-06": 0.0}
    cups = values(daily_series(ws, "net_sales", "category", "Cups"))
    # Z has no category on its line: the catalogue says Cups. A6: 20 − 3 × 20/35.
    assert cups["2024-03-06"] == pytest.approx(20 - 3 * 20 / 35, abs=1e-4)
    skus = sum(sum(values(daily_series(ws, "net_sales", "sku", k)).values()) for k in ("X", "Y", "Z"))
    assert skus == pytest.approx(52.0)  # every refund here can be placed on a line


def test_shared_out_amounts_are_exact_millionths_the_same_on_every_run(ws: Workspace) -> None:
    """A SKU's share of an order's discount and refund is rounded to a millionth before the
    day's sum: the DOUBLE parts summed in DuckDB's thread order changed in their last bits
    from run to run, and Prophet then settled on another optimum for some series."""
    from tests.lib.forecast.shop import line, order

    insert(ws, "orders", [order("A", "2024-03-01", discount=10, refunded=1),
                          order("B", "2024-03-01", discount=1)])
    insert(ws, "order_lines", [line("A", 1, "X", 1, 10), line("A", 2, "Y", 1, 20),
                               line("B", 1, "X", 1, 10), line("B", 2, "Y", 2, 10)])
    day = daily_frame(ws, "sku", "X").iloc[0]
    # X is 10 of 30 gross in A and 10 of 30 in B: 10/3 + 1/3 of the discounts, 1/3 of A's refund
    assert day["discounts"] == 3.666666          # 3.333333 + 0.333333
    assert day["refunds"] == 0.333333
    assert day["gross"] == 20.0


def test_unknown_key_gives_an_empty_series(ws: Workspace) -> None:
    build_tiny_shop(ws)
    assert daily_series(ws, "net_sales", "sku", "NOPE").empty


def test_mixed_currencies_are_refused_with_a_clear_message(ws: Workspace) -> None:
    build_tiny_shop(ws, with_eur=True)
    with pytest.raises(ForecastError, match="several currencies.*USD") as err:
        daily_series(ws, "net_sales")
    assert err.value.key == "forecast.mixed_currency"
    # The range is the days with orders in that currency.
    assert values(daily_series(ws, "net_sales", currency="EUR")) == {"2024-03-02": 9.0}
    usd = daily_series(ws, "net_sales", filters=Filters(currency="USD"))
    assert usd["y"].sum() == pytest.approx(52.0)
    with pytest.raises(ForecastError, match="No orders in JPY"):
        daily_series(ws, "net_sales", currency="JPY")


def test_counts_can_take_every_currency_money_cannot(ws: Workspace) -> None:
    """Stock does not care about currency: units across USD and EUR add up, day by day."""
    build_tiny_shop(ws, with_eur=True)
    every = values(daily_series(ws, "units", currency=ALL_CURRENCIES))
    usd = values(daily_series(ws, "units", currency="USD"))
    eur = values(daily_series(ws, "units", currency="EUR"))
    assert every == {d: usd.get(d, 0.0) + eur.get(d, 0.0) for d in every}
    assert set(every) == set(usd) | set(eur) and eur["2024-03-02"] > 0
    with pytest.raises(ValueError, match="adds money up"):
        daily_series(ws, "net_sales", currency=ALL_CURRENCIES)
    context = series_context(ws, "total", None, Filters(), ALL_CURRENCIES)
    assert context.currency is None and context.every_currency
    assert values(context.series("orders")) == values(daily_series(ws, "orders", currency=ALL_CURRENCIES))
    with pytest.raises(ValueError, match="adds money up"):
        context.series("net_sales")
    # Markets and channels: every currency's, as with no currency at all.
    assert shop_markets(ws, currency=ALL_CURRENCIES) == shop_markets(ws)
    assert series_channels(ws, currency=ALL_CURRENCIES) == series_channels(ws) != ()
    # Keys rank by units sold across currencies (gross would add USD and EUR up).
    units = {k: v for k, v in list_keys(ws, "sku", currency=ALL_CURRENCIES)}
    assert units == {k: sum(values(daily_series(ws, "units", "sku", k, currency=ALL_CURRENCIES)).values())
                     for k in units}


def test_invalid_requests_are_refused(ws: Workspace) -> None:
    build_tiny_shop(ws)
    with pytest.raises(ForecastError, match="Unknown metric"):
        daily_series(ws, "revenue")  # type: ignore[arg-type]
    with pytest.raises(ForecastError, match="Unknown level"):
        daily_series(ws, "net_sales", "region")  # type: ignore[arg-type]
    with pytest.raises(ForecastError, match="key is needed"):
        daily_series(ws, "net_sales", "sku")


def test_sql_values_are_bound_not_formatted(ws: Workspace) -> None:
    build_tiny_shop(ws)
    evil = "X' OR '1'='1"
    assert daily_series(ws, "net_sales", "sku", evil).empty
    assert daily_series(ws, "net_sales", "channel", evil)["y"].sum() == 0.0


def test_empty_workspace_gives_empty_frames(ws: Workspace) -> None:
    assert daily_series(ws, "net_sales").empty
    assert list(daily_frame(ws).columns) == ["ds", "gross", "discounts", "refunds", "net_sales",
                                             "orders", "units", "promo_depth"]


def test_promo_depth_is_discounts_over_gross(ws: Workspace) -> None:
    build_tiny_shop(ws)
    d = {r.ds.date().isoformat(): round(r.promo_depth, 6) for r in daily_promo_depth(ws).itertuples()}
    assert d["2024-03-01"] == round(2 / 35, 6) and d["2024-03-06"] == round(3 / 35, 6)
    assert d["2024-03-05"] == 0.0   # no gross that day


def test_keys_markets_categories_and_recent_weights(ws: Workspace) -> None:
    build_tiny_shop(ws)
    assert list_keys(ws, "sku") == [("X", 30.0), ("Y", 20.0), ("Z", 20.0)]
    assert list_keys(ws, "category") == [("Cups", 50.0), ("Plates", 20.0)]
    assert list_keys(ws, "channel") == [("app", 45.0), ("web", 25.0)]
    assert sku_categories(ws) == {"X": "Cups", "Y": "Plates", "Z": "Cups"}
    assert shop_markets(ws) == ("US",)
    assert recent_by_sku(ws, "units", 56) == {"X": 3.0, "Y": 4.0, "Z": 1.0}
    assert recent_by_sku(ws, "net_sales", 1) == {"Y": 15.0, "Z": 20.0}  # the last day only
    assert recent_by_sku(ws, "orders", 56) == {"X": 2.0, "Y": 2.0, "Z": 1.0}
    assert series_channels(ws) == ("app", "web")


def test_country_codes_from_export_names() -> None:
    assert country_code("United Kingdom") == "GB"
    assert country_code("cn") == "CN"
    assert country_code("Atlantis") is None and country_code(None) is None


def test_promotion_calendar_reads_percent_or_fraction(ws: Workspace) -> None:
    insert(ws, "promotions", [
        {"promo_id": "P1", "name": "Spring", "start_date": date(2024, 4, 1), "end_date": date(2024, 4, 7),
         "discount_pct": 20, "channel": "web"},
        {"promo_id": "P2", "name": "App only", "start_date": date(2024, 5, 1), "end_date": date(2024, 5, 2),
         "discount_pct": 0.1, "channel": "app"},
    ])
    cal = planned_promotions(ws)
    assert list(cal["name"]) == ["Spring", "App only"]
    assert list(cal["discount_pct"]) == [0.2, 0.1]
    assert list(planned_promotions(ws, ("web",))["name"]) == ["Spring"]


def test_series_context_holds_what_a_forecast_reads(ws: Workspace) -> None:
    """One assembly for the CLI and the page: the app channel's series with its markets, its
    currency and only the promotions that apply to it."""
    build_tiny_shop(ws)
    insert(ws, "promotions", [
        {"promo_id": "P1", "name": "Web only", "start_date": date(2024, 4, 1), "discount_pct": 20,
         "channel": "web"},
        {"promo_id": "P2", "name": "Everywhere", "start_date": date(2024, 5, 1), "discount_pct": 10},
    ])
    ctx = series_context(ws, "channel", "app", Filters())
    assert values(ctx.series("net_sales")) == values(daily_series(ws, "net_sales", "channel", "app"))
    assert list(ctx.series("units").columns) == ["ds", "y"]
    assert list(ctx.promotions().columns) == ["ds", "promo_depth"]
    assert (ctx.currency, ctx.markets) == ("USD", ("US",))
    assert list(ctx.calendar["name"]) == ["Everywhere"]
