"""lib.analysis: the decomposition of the change adds up exactly (hand fixture and demo), the
descriptive views, and the reconciliation amounts."""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from lib.analysis import apportion, describe, diagnose, reconcile
from lib.metrics.filters import Filters
from lib.workspace import Workspace, open_workspace
from tests.demo_store import demo_copy
from tests.lib.metrics.shop import MARCH, open_shop

D = Decimal


@pytest.fixture
def shop(tmp_path: Path) -> Workspace:
    ws = open_shop(tmp_path / "shop.duckdb")
    yield ws
    ws.close()


def test_apportion_rounds_parts_to_cents_that_add_up_to_the_total() -> None:
    thirds = [Fraction(1, 3)] * 3
    assert apportion(thirds, D("1.00")) == [D("0.34"), D("0.33"), D("0.33")]
    assert apportion([Fraction(43375, 300), Fraction(39725, 300)], D("277.00")) == [D("144.58"), D("132.42")]
    assert apportion([Fraction(-1, 3), Fraction(-2, 3)], D("-1.00")) == [D("-0.33"), D("-0.67")]


def test_orders_times_aov_on_the_hand_fixture(shop: Workspace) -> None:
    dg = diagnose(shop, MARCH, "previous")
    # before (30 Jan – 29 Feb): O0, 10.00, 1 order. Now: 287.00 in 6 orders.
    assert (dg.before, dg.after, dg.change, dg.orders) == (D("10.00"), D("287.00"), D("277.00"), (1, 6))
    # orders: 5 × (10 + 47.8333…) / 2 = 144.5833…; AOV: 37.8333… × 7 / 2 = 132.4166…
    assert (dg.orders_effect, dg.aov_effect) == (D("144.58"), D("132.42"))
    assert dg.orders_effect + dg.aov_effect == dg.change


@pytest.mark.parametrize("dim, parts, extra", [
    ("channel", {"web": D("123.00"), "market": D("154.00")}, ()),
    ("country", {"US": D("105.00"), "CA": D("18.00"), "DE": D("154.00")}, ()),
    ("customer_type", {"new": D("119.00"), "returning": D("118.00"), "unknown": D("40.00")}, ()),
    ("category", {"Toys": D("85.00"), "Beds": D("170.00"), None: D("40.00")},
     (("analysis.step.discounts", D("-18.00")),)),
])
def test_contributions_on_the_hand_fixture_add_up_exactly(shop: Workspace, dim: str, parts: dict,
                                                          extra: tuple) -> None:
    split = diagnose(shop, MARCH, "previous").splits[dim]
    assert {p.key: p.change for p in split.parts} == parts
    assert split.extra == extra
    assert split.total == D("277.00")


def test_movers_are_the_largest_changes_first(shop: Workspace) -> None:
    movers = diagnose(shop, MARCH, "previous").movers
    assert list(movers.iloc[0][["dimension", "key", "change"]]) == ["category", "Beds", 170.0]
    assert list(movers.iloc[1][["dimension", "key", "change"]]) == ["channel", "market", 154.0]
    assert movers["change"].abs().is_monotonic_decreasing


def test_no_orders_before_means_all_of_the_change_is_orders(shop: Workspace) -> None:
    dg = diagnose(shop, MARCH, "last_year")
    assert (dg.before, dg.orders_effect, dg.aov_effect) == (D("0.00"), D("287.00"), D("0.00"))


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    ws = open_workspace(demo_copy(tmp_path_factory.mktemp("demo")))
    yield ws
    ws.close()


@pytest.mark.parametrize("filters, base", [
    (Filters(start=date(2025, 11, 1), end=date(2025, 11, 30)), "previous"),
    (Filters(start=date(2025, 11, 1), end=date(2025, 11, 30)), "last_year"),
    (Filters(start=date(2025, 1, 1), end=date(2025, 6, 30), currency="CNY"), "last_year"),
    (Filters(start=date(2025, 10, 1), end=date(2025, 12, 31), currency="USD", convert=False), "previous"),
], ids=["nov-previous", "nov-last-year", "h1-cny-converted", "q4-usd-only"])
def test_the_demos_decomposition_adds_up_exactly(demo: Workspace, filters: Filters, base: str) -> None:
    dg = diagnose(demo, filters, base)
    assert dg.before > 0 and dg.after > 0
    assert dg.orders_effect + dg.aov_effect == dg.change
    for dim, split in dg.splits.items():
        assert split.total == dg.change, dim
        rounding = [a for k, a in split.extra if k == "analysis.step.rounding"]
        assert all(abs(a) <= D("0.01") * len(split.parts) for a in rounding), dim
    if not filters.convert:  # one currency, whole cents: nothing to round
        assert all(k != "analysis.step.rounding" for s in dg.splits.values() for k, _ in s.extra)


def test_the_demos_q4_usd_change_in_numbers(demo: Workspace) -> None:
    dg = diagnose(demo, Filters(start=date(2025, 10, 1), end=date(2025, 12, 31), currency="USD",
                                convert=False), "last_year")
    assert (dg.before, dg.after, dg.orders) == (D("455036.25"), D("507752.25"), (6487, 7182))
    assert dg.change == D("52716.00")
    assert {p.key: p.change for p in dg.splits["channel"].parts} == {"shopify": D("52716.00")}


def test_descriptive_views_on_the_hand_fixture(shop: Workspace) -> None:
    d = describe(shop, MARCH, "week")
    trend = d.trend()
    assert trend["sales_after_discounts"].sum() == pytest.approx(287.0)
    assert set(trend["channel"]) == {"web", "market"}
    assert d.heatmap()["orders"].sum() == 6
    top = d.top_products(2)
    assert list(top["product"]) == ["SKU-D", "SKU-B"] and list(top["gross_sales"]) == [110.0, 60.0]
    assert top["name"].iloc[0] == "Product SKU-D"
    assert list(d.bottom_products(1)["product"]) == ["SKU-C"]
    nr = d.new_vs_returning().set_index("customer_type")
    assert nr.loc["new", "orders"] == 2 and nr.loc["returning", "customers"] == 2
    # Retention per week of March: Mar 1–3 (clipped) has nobody in Feb 27–29 → left out;
    # Mar 4–10: A and B of Feb 26 – Mar 3 (O1, O2), neither back → 0; Mar 11–17: E of Mar 4–10
    # (E1), back only Mar 25 → 0; Mar 18–24: A of Mar 11–17 (O3), not back → 0; Mar 25–31:
    # nobody counted with a customer on Mar 18–24 → left out.
    ret = d.retention()
    assert d.retention_grain == "week" and list(ret.columns) == ["week", "retention_rate"]
    assert dict(zip(ret["week"], ret["retention_rate"])) == {
        date(2024, 3, 4): 0.0, date(2024, 3, 11): 0.0, date(2024, 3, 18): 0.0}
    # Per month from February: nobody in Jan 3–31 → February left out; March: A of Jan 30 –
    # Feb 29 (O0), back on Mar 1 → 1.
    monthly = describe(shop, replace(MARCH, start=date(2024, 2, 1)), "month").retention()
    assert dict(zip(monthly["month"], monthly["retention_rate"])) == {date(2024, 3, 1): 1.0}
    assert describe(shop, MARCH, "day").retention_grain == "week"  # a day is too short a window


def test_reconciliation_amounts_on_the_hand_fixture(shop: Workspace) -> None:
    # O7: a counted order on the shop's 31 March that is already 1 April in UTC
    with shop.transaction() as cur:
        cur.execute("""INSERT INTO orders (source, order_id, kind, channel, created_at, order_date,
                       status, currency, discount, total, refunded, items_gross, is_test, batch_id)
                       VALUES ('shopify', 'O7', 'sale', 'web', TIMESTAMPTZ '2024-04-01 02:00:00+00',
                       DATE '2024-03-31', 'paid', 'USD', 0, 12, 0, 12, false, 2)""")
    rc = reconcile(shop, MARCH)
    assert dict(rc.bridge()) == {
        "recon.gross": D("317.00"), "recon.discounts": D("18.00"), "recon.refunds": D("35.00"),
        "recon.net": D("264.00"), "recon.shipping": D("10.50"), "recon.tax": D("35.35"),
        "recon.with_shipping_tax": D("309.85")}
    assert [rc.amount(m) for m in ("cancelled_orders", "cancelled_value", "test_orders",
                                   "test_order_value", "refund_documents", "refund_document_value",
                                   "order_refunds")] == [1, D("10.00"), 1, D("10.00"), 1, D("5.00"), D("30.00")]
    assert rc.moved_out == (1, D("12.00")) and rc.moved_in == (0, D("0.00"))
    cur = rc.currencies.set_index("currency")
    assert cur.loc["EUR", "status"] == "converted" and cur.loc["USD", "status"] == "target"
    assert (cur.loc["EUR", "orders"], cur.loc["EUR", "amount"]) == (2, 140.0)


def test_reconciliation_names_a_currency_left_out(shop: Workspace) -> None:
    rc = reconcile(shop, replace(MARCH, convert=False))
    assert rc.currencies.set_index("currency").loc["EUR", "status"] == "excluded"
    assert rc.amount("gross_sales") == D("140.00")
