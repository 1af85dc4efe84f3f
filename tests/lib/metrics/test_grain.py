"""Grains and availability: a ratio is sum over sum at the requested grain (never an average of
row ratios), groups add up to the whole, and a KPI without its data says why instead of 0."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from lib.metrics.engine import Ask, MetricsError, Period, comparison_periods, compute
from lib.metrics.filters import Filters
from lib.workspace import Workspace, open_workspace
from tests.lib.metrics.shop import MARCH, open_shop

D = Decimal


@pytest.fixture
def shop(tmp_path: Path) -> Workspace:
    ws = open_shop(tmp_path / "shop.duckdb")
    yield ws
    ws.close()


def test_conversion_rate_is_sum_over_sum_not_the_average_of_daily_rates(shop: Workspace) -> None:
    web = Filters(start=MARCH.start, end=MARCH.end, channels=("web",))
    r = compute(shop, web, ["conversion_rate", "orders", "sessions"], groupings=((), ("day",)))
    # web: O1 (Mar 1), O2 (Mar 2), O3 (Mar 15) on days with traffic; 100 + 100 + 100 + 50 sessions
    assert r.value("conversion_rate").value == pytest.approx(3 / 350)
    daily = r.frame(("day",), metrics=["conversion_rate"]).dropna()
    assert list(daily["conversion_rate"]) == pytest.approx([0.01, 0.01, 0.0, 0.02])
    average_of_ratios = daily["conversion_rate"].mean()  # 0.01 — what we must NOT report
    assert average_of_ratios == pytest.approx(0.01)
    assert r.value("conversion_rate").value != pytest.approx(average_of_ratios)


def test_aov_of_a_month_is_total_over_orders_not_the_mean_of_daily_aovs(shop: Workspace) -> None:
    r = compute(shop, MARCH, ["avg_order_value"], groupings=((), ("month",), ("day",)))
    assert r.value("avg_order_value", grouping=("month",), key=(date(2024, 3, 1),)).value == D("47.83")
    daily = r.frame(("day",), metrics=["avg_order_value"])["avg_order_value"]
    assert daily.mean() != pytest.approx(47.83)  # 6 days of one order each, 48.0 + …


def test_groups_add_up_to_the_whole(shop: Workspace) -> None:
    additive = ["gross_sales", "discounts", "refunds", "net_sales", "orders", "units", "order_total"]
    r = compute(shop, MARCH, additive, groupings=((), ("channel",), ("day",), ("country",),
                                                   ("customer_type",)))
    for g in (("channel",), ("day",), ("country",), ("customer_type",)):
        frame = r.frame(g)
        for m in additive:
            assert frame[m].sum() == pytest.approx(float(r.value(m).value)), (g, m)


def test_gross_sales_by_category_add_up_including_orders_without_lines(shop: Workspace) -> None:
    r = compute(shop, MARCH, ["gross_sales", "units", "cogs"], groupings=(("category",),))
    got = {row.key[0]: row.values["gross_sales"].value for row in r.rows[("category",)]}
    # Toys: O1 2×10, O3 20, E2 2×25×1.1; Beds: O1 30, O2 30, E1 110; O6 (no lines): no category
    assert got == {"Beds": D("170.00"), "Toys": D("95.00"), None: D("40.00")}
    assert sum(got.values()) == D("305.00")


def test_order_level_amounts_are_not_split_by_category(shop: Workspace) -> None:
    r = compute(shop, MARCH, ["discounts", "net_sales", "avg_order_value", "gross_sales"],
                groupings=(("category",), ("product",)))
    for g in (("category",), ("product",)):
        reasons = r.unavailable(g)
        assert set(reasons) == {"discounts", "net_sales", "avg_order_value"}
        assert reasons["discounts"].key == "metrics.reason.grain"
        assert reasons["discounts"].param("dim") == g[0]
        assert r.frame(g)["gross_sales"].notna().all()


def test_inventory_is_by_category_but_not_by_channel_or_month(shop: Workspace) -> None:
    r = compute(shop, MARCH, ["inventory_value", "stockout_rate"],
                groupings=((), ("category",), ("channel",), ("month",)))
    cats = r.frame(("category",)).set_index("category")
    assert cats.loc["Toys", "inventory_value"] == 80.0   # A 10×4 + C 5×8 (E has no stock figure)
    assert cats.loc["Beds", "stockout_rate"] == 0.5     # B out of stock, D not
    assert r.unavailable(("channel",))["inventory_value"].param("dim") == "channel"
    assert r.unavailable(("month",))["inventory_value"].param("dim") == "month"


def test_absent_data_is_null_with_a_reason_never_zero(tmp_path: Path) -> None:
    ws = open_shop(tmp_path / "bare.duckdb", traffic=False, marketing=False, products=False)
    try:
        r = compute(ws, MARCH)
        for metric, needs in (("sessions", "traffic"), ("conversion_rate", "traffic"),
                              ("ad_spend", "marketing"), ("roas", "marketing"),
                              ("cogs", "products.unit_cost"), ("gross_margin", "products.unit_cost"),
                              ("inventory_value", "products.stock_on_hand")):
            v = r.value(metric)
            assert v.value is None and v.reason is not None, metric
            assert (v.reason.key, v.reason.param("what")) == ("metrics.reason.needs", needs), metric
        # contribution margin needs costs; fees and ad spend are optional parts
        assert r.value("contribution_margin").value is None
        assert r.value("net_sales").value == D("252.00")
    finally:
        ws.close()


def test_an_empty_workspace_has_no_kpis_only_reasons(tmp_path: Path) -> None:
    ws = open_workspace(tmp_path / "empty.duckdb")
    try:
        r = compute(ws, Filters())
        assert r.value("orders").value is None
        assert r.value("orders").reason.param("what") == "orders"
    finally:
        ws.close()


def test_a_ratio_with_nothing_to_divide_by_is_null_with_a_reason(shop: Workspace) -> None:
    june = Filters(start=date(2024, 6, 1), end=date(2024, 6, 30), currency="USD")
    r = compute(shop, june, ["orders", "avg_order_value", "gross_sales"])
    assert r.value("orders").value == 0 and r.value("gross_sales").value == D("0.00")
    assert r.value("avg_order_value").value is None
    assert r.value("avg_order_value").reason.key == "metrics.reason.zero_base"


def test_periods_are_computed_together_and_the_previous_period_matches_its_own_query(shop: Workspace) -> None:
    current = Period("current", date(2024, 3, 1), date(2024, 3, 31))
    periods = comparison_periods(current, date(2023, 1, 1))
    assert [(p.name, p.start, p.end) for p in periods] == [
        ("current", date(2024, 3, 1), date(2024, 3, 31)),
        ("previous", date(2024, 1, 30), date(2024, 2, 29)),
        ("last_year", date(2023, 3, 1), date(2023, 3, 31))]
    together = compute(shop, MARCH, ["gross_sales", "orders", "customers", "repeat_customer_rate"],
                       periods=periods)
    alone = compute(shop, Filters(start=date(2024, 1, 30), end=date(2024, 2, 29), currency="USD"),
                    ["gross_sales", "orders", "customers"])
    for m in ("gross_sales", "orders", "customers"):
        assert together.value(m, "previous").value == alone.value(m).value
    assert together.value("gross_sales", "previous").value == D("10.00")  # O0
    assert together.value("orders", "current").value == 6


def test_last_year_is_only_compared_when_the_data_go_back_that_far() -> None:
    current = Period("current", date(2024, 3, 1), date(2024, 3, 31))
    assert [p.name for p in comparison_periods(current, date(2024, 2, 20))] == ["current", "previous"]


def test_an_ask_limits_a_grouping_to_some_metrics_and_periods(shop: Workspace) -> None:
    periods = comparison_periods(Period("current", date(2024, 3, 1), date(2024, 3, 31)), None)
    r = compute(shop, MARCH, ["orders"], periods=periods,
                groupings=(Ask(()), Ask(("channel",), ("gross_sales",), ("current",))))
    rows = r.rows[("channel",)]
    assert {row.period for row in rows} == {"current"}
    assert set(rows[0].values) == {"gross_sales"}
    assert r.value("gross_sales", grouping=("channel",), key=("market",)).value == D("165.00")


def test_hour_and_weekday_come_from_the_order_facts(shop: Workspace) -> None:
    r = compute(shop, MARCH, ["orders"], groupings=(("weekday", "hour"),))
    f = r.frame(("weekday", "hour"))
    assert f["orders"].sum() == 6
    # O1: Friday 1 March 2024 at 10:00 UTC (the workspace's time zone)
    assert r.value("orders", grouping=("weekday", "hour"), key=(5, 10)).value == 1


def test_unknown_metric_or_dimension_is_a_typed_error(shop: Workspace) -> None:
    with pytest.raises(MetricsError) as err:
        compute(shop, MARCH, ["profit_of_dreams"])
    assert err.value.key == "metrics.unknown"
    with pytest.raises(MetricsError) as err:
        compute(shop, MARCH, ["orders"], groupings=(("colour",),))
    assert err.value.key == "metrics.unknown_dim"


def test_new_and_returning_split_new_customers_first_orders(shop: Workspace) -> None:
    r = compute(shop, MARCH, ["orders", "sales_after_discounts"], groupings=(("customer_type",),))
    f = r.frame(("customer_type",)).set_index("customer_type")
    # new: O2 (B's first), E1 (E's first); returning: O1, O3 (A), E2 (E); unknown: O6
    assert f["orders"].to_dict() == {"new": 2.0, "returning": 3.0, "unknown": 1.0}
    assert f["sales_after_discounts"].to_dict() == {"new": 129.0, "returning": 118.0, "unknown": 40.0}


def test_historical_ltv_by_month_is_per_acquisition_cohort(shop: Workspace) -> None:
    feb_mar = Filters(start=date(2024, 2, 1), end=date(2024, 3, 31), currency="USD")
    r = compute(shop, feb_mar, ["historical_ltv", "new_customers"], groupings=(("month",),))
    ltv = {row.key[0]: row.values["historical_ltv"].value for row in r.rows[("month",)]}
    # February cohort: A (first order O0), all of A's orders to date: 10 + (50 − 5) + (20 − 2).
    # March cohort: B (30 − 30 − 5) and E ((100 − 10 + 50) × 1.1): 149 / 2.
    assert ltv == {date(2024, 2, 1): D("73.00"), date(2024, 3, 1): D("74.50")}


def test_reasons_read_well_in_both_languages(tmp_path: Path) -> None:
    from lib.metrics.describe import describe_reason, describe_value

    ws = open_shop(tmp_path / "bare.duckdb", traffic=False)
    try:
        r = compute(ws, MARCH, ["sessions", "cogs", "discounts"], groupings=((), ("category",)))
        assert describe_reason(r.value("sessions").reason, "zh") == "无法计算：尚未载入流量数据（流量模板）。"
        assert describe_reason(r.unavailable(("category",))["discounts"], "zh") == (
            "无法按品类拆分：该数据没有记录到这一层级。")
        assert describe_value(r.value("cogs"), "en") == (
            "Unit cost known for 68.9% of gross sales; lines without a cost are left out.")
    finally:
        ws.close()
