"""The Overview page: KPI cards for the sidebar filters with their change, net vs gross, a
breakdown; on the hand-computed sample (tests/pages/support.py), the demo workspace and the
real exports in ../shared/data."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import lib.metrics.overview

from tests.demo_store import demo_copy
from tests.pages.metrics_support import chart_specs, key_starting, metric_details, real_workspace
from tests.pages.support import SHOPIFY, metrics, open_page, shown, shown_table_with, upload

EUR = SHOPIFY.replace(",USD,", ",EUR,").replace("#100", "#200").replace("2024-01-0", "2024-03-0")
FOUNDATION = ("Orders", "Gross sales", "Discounts", "Refunds", "Net sales", "Order total",
              "Average order value", "Customers", "Repeat customer rate")


def load_then_overview(*files: tuple[str, bytes]):
    at = upload(open_page("app_pages/data.py"), *files)
    at.switch_page("app_pages/overview.py")
    at.run()
    assert not at.exception
    return at


def pick(at, labels=FOUNDATION) -> dict[str, str]:
    """The cards' exact values: a shortened card (a million or more) carries it in its tooltip."""
    exact = {label: help_text.rsplit("Exact: ", 1)[1].rstrip(".") if "Exact: " in help_text else value
             for label, (value, _, _, help_text) in metric_details(at).items()}
    return {k: exact[k] for k in labels}


def test_an_empty_workspace_points_to_the_data_page(workspaces: Path) -> None:
    at = open_page("app_pages/overview.py")
    assert [i.value for i in at.info] == [
        "No orders for these filters yet. Load an export on the Data page."]
    assert not at.metric


def test_core_kpis_of_the_loaded_orders(workspaces: Path) -> None:
    at = load_then_overview(("orders.csv", SHOPIFY.encode()))
    assert pick(at) == {
        "Orders": "3", "Gross sales": "USD 70.00", "Discounts": "USD 2.00",
        "Refunds": "USD 10.00", "Net sales": "USD 58.00", "Order total": "USD 73.00",
        "Average order value": "USD 22.67", "Customers": "2", "Repeat customer rate": "50.0%",
    }
    shown = metrics(at)
    # 2 + 1 + 1 + 1 units; #1003 refunded: 1 of 3 orders; nothing cancelled
    assert (shown["Units sold"], shown["Refund rate"], shown["Cancellation rate"]) == ("5", "33.3%", "0.0%")
    # No product costs, no traffic, no ads, no stock: no card with a dash each (never 0 either),
    # but one list of what each missing export would show.
    assert not {"Gross margin", "Conversion rate", "Ad spend", "Inventory value"} & set(shown)
    assert [i.value for i in at.info] == [
        "Not shown until their data are loaded (on the Data page: the platform's exports, or "
        "Shoplens's templates for products, traffic and ad spend):\n"
        "- No product costs are loaded (products export or inventory template) — Gross margin, "
        "Gross margin rate, Contribution margin\n"
        "- No traffic data are loaded (traffic template) — Conversion rate\n"
        "- No marketing data are loaded (marketing template) — Click-through rate, Ad spend, Return on "
        "ad spend, Marketing ROI, Customer acquisition cost\n"
        "- The exports have no fulfilment times — On-time shipping rate\n"
        "- No stock levels are loaded (inventory template) — Inventory value, Inventory turnover, "
        "Days of cover"]
    # A figure whose data exist but give nothing this time keeps its card, with the reason.
    assert metric_details(at)["Customer retention rate"][0] == "—"
    assert [c.value for c in at.caption if c.value.startswith("Orders exclude")]


def test_the_sidebar_date_range_filters_the_kpis(workspaces: Path) -> None:
    at = load_then_overview(("orders.csv", SHOPIFY.encode()))
    at.date_input[0].set_value((date(2024, 1, 6), date(2024, 1, 7))).run()
    assert not at.exception
    # #1002 and #1003 only: gross 20 + 10, discount 2, refund 10, AOV (30 − 2) / 2.
    assert pick(at) == {
        "Orders": "2", "Gross sales": "USD 30.00", "Discounts": "USD 2.00",
        "Refunds": "USD 10.00", "Net sales": "USD 18.00", "Order total": "USD 28.00",
        "Average order value": "USD 14.00", "Customers": "2", "Repeat customer rate": "0.0%",
    }
    # compared with the 2 days before (5 Jan: #1001, 1 order): orders +100 %
    assert metric_details(at)["Orders"][1] == "+100.0%"


def test_mixed_currencies_are_never_added_up_until_a_rate_is_given(workspaces: Path) -> None:
    at = load_then_overview(("usd.csv", SHOPIFY.encode()), ("eur.csv", EUR.encode()))
    currency = at.selectbox(key=key_starting(at, "selectbox", "currency_"))
    assert (currency.label, currency.options, currency.value) == ("Show money in", ["EUR", "USD"], "EUR")
    assert metrics(at)["Orders"] == "3" and metrics(at)["Gross sales"] == "EUR 70.00"
    assert [w.value for w in at.warning] == [
        "Orders in USD are left out: they are not in EUR and have no exchange rate (enter one in "
        "the sidebar) or conversion is off."]
    currency.set_value("USD").run()
    assert metrics(at)["Net sales"] == "USD 58.00"
    # one rate (1 EUR = 1.10 USD) and both currencies count, converted
    at.number_input(key=key_starting(at, "number_input", "rate_EUR_")).set_value(1.1).run()
    assert not at.exception and not at.warning
    assert metrics(at)["Orders"] == "6"
    assert metrics(at)["Gross sales"] == "USD 147.00"  # 70 + 70 × 1.1
    # kept in the workspace: a new session starts with the rate and the same figures
    at.button(key=key_starting(at, "button", "save_rates_")).click().run()
    assert "1 exchange rate(s) saved to the workspace." in [s.value for s in at.success]
    again = open_page("app_pages/overview.py")
    again.selectbox(key=key_starting(again, "selectbox", "currency_")).set_value("USD").run()
    assert again.number_input(key=key_starting(again, "number_input", "rate_EUR_")).value == 1.1
    assert metrics(again)["Gross sales"] == "USD 147.00" and not again.warning
    assert not [b for b in again.button if b.key and b.key.startswith("save_rates_")]  # nothing new


def test_figures_are_computed_once_per_data_version_and_filters(
        workspaces: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """ui.cached.overview: a rerun or a second session reads the cache; an import recomputes."""
    calls: list[str] = []
    real = lib.metrics.overview.compute_overview

    def counted(ws, filters, breakdown="channel"):
        calls.append(breakdown)
        return real(ws, filters, breakdown)

    monkeypatch.setattr(lib.metrics.overview, "compute_overview", counted)
    at = load_then_overview(("orders.csv", SHOPIFY.encode()))
    assert metrics(at)["Orders"] == "3"
    calls.clear()  # (the first run, on the empty workspace, computed its own)
    at.run()
    again = open_page("app_pages/overview.py")  # another session, same workspace and filters
    assert calls == [] and metrics(again)["Orders"] == "3"
    at.selectbox(key="overview_breakdown").set_value("country").run()
    assert calls == ["country"]
    fourth = SHOPIFY.splitlines()[0] + "\n" + SHOPIFY.splitlines()[-1].replace("#1003", "#1004")
    again.switch_page("app_pages/data.py")
    upload(again.run(), ("more.csv", fourth.encode()))
    again.switch_page("app_pages/overview.py")
    again.run()
    assert metrics(again)["Orders"] == "4" and calls == ["country", "channel"]


def test_kpi_labels_follow_the_language(workspaces: Path) -> None:
    at = load_then_overview(("orders.csv", SHOPIFY.encode()))
    at.selectbox(key="lang").set_value("zh").run()
    assert not at.exception
    assert at.title[0].value == "总览"
    assert metrics(at)["客单价"] == "USD 22.67"
    assert metrics(at)["复购率"] == "50.0%"
    assert "毛利" not in metrics(at)
    assert at.info[0].value.splitlines()[1] == "- 尚未载入商品成本（商品导出文件或库存模板）——毛利、毛利率、边际贡献"


# -- the demo workspace ------------------------------------------------------------------------
@pytest.fixture
def demo(workspaces: Path) -> Path:
    return demo_copy(workspaces)


def test_demo_whole_history_in_usd(demo: Path) -> None:
    at = open_page("app_pages/overview.py")
    shown = metrics(at)
    # truth.json: shopify 3,661,969 USD + taobao 15,070,747 CNY × 0.14; 50,676 + 34,618 orders
    assert {k: shown[k] for k in ("Gross sales", "Discounts", "Refunds", "Net sales", "Orders",
                                  "Average order value", "Units sold")} == {
        "Gross sales": "USD 5.77M", "Discounts": "USD 133.8K",
        "Refunds": "USD 171.3K", "Net sales": "USD 5.47M", "Orders": "85,294",
        "Average order value": "USD 66.10", "Units sold": "184,857"}
    # Money is shortened to fit its card (fmt_card_money); the tooltip keeps every cent.
    details = metric_details(at)
    assert details["Gross sales"][3].endswith("Exact: USD 5,771,873.58.")
    assert details["Net sales"][3].endswith("Exact: USD 5,466,773.88.")
    assert details["Discounts"][3].endswith("Exact: USD 133,825.68.")
    assert "Exact" not in details["Average order value"][3]
    # the same figures as a report file, built when the button is clicked
    assert [b.proto.label for b in at.get("download_button")] == ["Download the shop report (HTML)"]
    assert (shown["Gross margin rate"], shown["Return on ad spend"], shown["Inventory value"]) == (
        "63.6%", "3.40×", "USD 173.3K")
    assert metric_details(at)["Orders"][1] == ""  # nothing before the first day to compare with
    # ... so the all-KPIs table has no 'Previous period' column of zeros (nor last year's)
    kpis = shown_table_with(at, "KPI")
    assert list(kpis.columns) == ["KPI", "This period", "Note"]
    assert [e.label for e in at.main.expander] == ["All KPIs for this period"]  # and its title says so
    assert kpis.set_index("KPI").loc["Gross sales", "This period"] == "USD 5,771,873.58"
    assert at.caption[0].value == ("2023-10-01 – 2025-12-31 (823 days); no orders in the 823 "
                                   "days before it to compare with")
    assert "Amounts in USD; other currencies converted at the sidebar's rates." in [c.value for c in at.caption]


def test_every_kpi_the_guide_names_has_a_card_with_lib_s_value(demo: Path, tmp_path: Path) -> None:
    """Revenue, orders, AOV, conversion, repurchase rate, refund rate, LTV, inventory turnover,
    ROI/ROAS and CTR: each a card, its value lib's for the page's filters."""
    from lib.metrics.catalogue import load_catalogue
    from lib.metrics.describe import format_value
    from lib.metrics.engine import compute
    from lib.workspace import open_workspace

    at = open_page("app_pages/overview.py")
    named = ("net_sales", "orders", "avg_order_value", "conversion_rate", "repeat_customer_rate",
             "refund_rate", "historical_ltv", "retention_rate", "inventory_turnover", "roi", "roas",
             "ctr")
    at.date_input[0].set_value((date(2025, 11, 1), date(2025, 11, 30))).run()  # retention needs
    assert not at.exception                                                     # an October
    catalogue = load_catalogue()
    ws = open_workspace(demo_copy(tmp_path / "lib_side"), create=False)
    try:
        result = compute(ws, at.session_state["filters"], named)
        currency = result.plan.target
    finally:
        ws.close()
    shown = metrics(at)
    for metric_id in named:
        label = catalogue[metric_id].text("label", "en")
        assert label in shown, (metric_id, label)
        value = result.value(metric_id)
        assert value is not None, metric_id  # the demo has orders, traffic, ads and stock
        assert shown[label] == format_value(catalogue[metric_id], value, currency, "en", compact=True)


def test_demo_november_against_october_and_last_november(demo: Path) -> None:
    at = open_page("app_pages/overview.py")
    at.date_input[0].set_value((date(2025, 11, 1), date(2025, 11, 30))).run()
    assert not at.exception
    d = metric_details(at)
    assert d["Gross sales"][:3] == ("USD 313.0K", "+29.0%", "+12.5% vs last year")
    assert d["Orders"][:3] == ("4,653", "+32.4%", "+13.0% vs last year")
    assert d["Average order value"][:3] == ("USD 61.98", "-10.3%", "-1.8% vs last year")
    assert d["Inventory value"][1] == ""  # stock is a snapshot: no change to show
    kpis = shown_table_with(at, "KPI").set_index("KPI")
    assert list(kpis.columns) == ["This period", "Previous period", "Change", "Last year",
                                  "Change vs last year", "Note"]
    assert [e.label for e in at.main.expander] == ["All KPIs: this period, previous period and last year"]
    assert kpis.loc["Orders"].tolist()[:5] == ["4,653", "3,514", "+32.4%", "4,116", "+13.0%"]
    assert at.caption[0].value == ("2025-11-01 – 2025-11-30 (30 days), compared with "
                                   "2025-10-02 – 2025-10-31")


def test_a_named_period_sets_the_dates_and_hand_picked_dates_name_theirs(demo: Path) -> None:
    at = open_page("app_pages/overview.py")
    period = at.sidebar.selectbox(key=key_starting(at, "selectbox", "period_"))
    assert (period.value, period.help) == ("all", (
        "Counted back from the latest day with data (2025-12-31), not from today. Every page "
        "compares the period with the one just before it, and with a year earlier when the data "
        "reach back that far. Pick dates below for any other range."))
    period.set_value("whole_month").run()  # the demo ends on 31 December: December is whole
    assert not at.exception
    assert at.date_input[0].value == (date(2025, 12, 1), date(2025, 12, 31))
    assert at.caption[0].value == ("2025-12-01 – 2025-12-31 (31 days), compared with "
                                   "2025-10-31 – 2025-11-30")
    assert metric_details(at)["Orders"][1] != ""  # a previous period to compare with
    # dates picked by hand: the period says which preset they are, or that they are custom
    at.date_input[0].set_value((date(2025, 11, 1), date(2025, 11, 30))).run()
    assert period.key and at.selectbox(key=period.key).value == "custom"
    assert metric_details(at)["Orders"][:2] == ("4,653", "+32.4%")  # as the November test
    at.date_input[0].set_value((date(2025, 10, 3), date(2025, 12, 31))).run()
    assert at.selectbox(key=period.key).value == "last_90"
    at.selectbox(key=period.key).set_value("all").run()
    assert at.date_input[0].value == (date(2023, 10, 1), date(2025, 12, 31))
    assert metrics(at)["Orders"] == "85,294"


def test_demo_channels_keep_their_colours_and_categories_show_gross(demo: Path) -> None:
    at = open_page("app_pages/overview.py")
    bars = [s for s in chart_specs(at) if s.get("encoding", {}).get("y", {}).get("field") == "channel"]
    scale = bars[0]["encoding"]["color"]["scale"]
    assert dict(zip(scale["domain"], scale["range"])) == {"shopify": "#5E8E3E", "taobao": "#FF5000"}
    at.selectbox(key="overview_breakdown").set_value("category").run()
    assert not at.exception
    assert at.subheader[1].value == "Gross sales by category"
    assert ("Net sales cannot be split by category: discounts and refunds are recorded per order, "
            "so gross sales are shown.") in [c.value for c in at.caption]
    assert list(shown(at.dataframe[0]).iloc[0][:2]) == ["Tea", "USD 2,389,797.48"]  # Σ line gross, CNY × 0.14
    gross = at.dataframe[0].value["Gross sales"]
    assert gross.iloc[0] == 2389797.48 and gross.is_monotonic_decreasing  # numbers, largest first


# -- real exports ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def real_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("real")


def test_petstore_agrees_with_the_exports_own_columns(workspaces: Path, real_cache: Path) -> None:
    """3,885 orders in the file: 3,850 counted + 35 cancelled. Gross = Σ Lineitem price × quantity,
    discounts, refunds and totals = Σ of Discount Amount, Refunded Amount, Total over each
    counted order's first row (computed from the file in tests/lib/ingest/test_real_exports.py)."""
    real_workspace("petstore", real_cache, workspaces)
    at = open_page("app_pages/overview.py")
    assert pick(at, ("Orders", "Gross sales", "Discounts", "Refunds", "Order total", "Net sales")) == {
        "Orders": "3,850", "Gross sales": "USD 396,500.80", "Discounts": "USD 79,968.61",
        "Refunds": "USD 9,793.23", "Order total": "USD 343,305.38", "Net sales": "USD 306,738.96"}
    assert metrics(at)["Cancellation rate"] == "0.9%"  # 35 of 3,885


@pytest.mark.parametrize("name, expected", [
    ("seezona", {"Orders": "389", "Gross sales": "USD 82,101.00", "Net sales": "USD 61,185.14"}),
    ("etsy", {"Orders": "4,495", "Gross sales": "USD 158,189.27"}),
    ("woocommerce", {"Orders": "3", "Gross sales": "USD 75.99", "Refunds": "USD 46.00"}),
    ("cdnow", {"Orders": "69,659", "Gross sales": "USD 2,500,395.82", "Customers": "23,570"}),
    ("online_retail_xlsx", {"Orders": "12,630", "Gross sales": "GBP 707,272.22",
                            "Refunds": "GBP 17,608.34"}),
])
def test_each_real_export_renders_with_its_numbers(workspaces: Path, real_cache: Path, name: str,
                                                   expected: dict[str, str]) -> None:
    real_workspace(name, real_cache, workspaces)
    at = open_page("app_pages/overview.py")
    assert not at.exception and not at.error
    assert pick(at, tuple(expected)) == expected
    if name == "etsy":  # Sold Orders has no items: units are listed as missing, not a dash
        assert "Units sold" not in metrics(at)
        assert any(line.startswith("- The orders have no line items — Units sold")
                   for line in at.info[0].value.splitlines())
    if name == "cdnow":  # purchases only: no 0.0 % rates that the export cannot know
        shown = metrics(at)
        assert "Refund rate" not in shown and "Cancellation rate" not in shown
        lines = at.info[0].value.splitlines()
        assert "- The exports loaded do not record refunds — Refunds, Refund rate" in lines
        assert "Refunds" not in shown
        assert "- The exports loaded do not record cancellations — Cancellation rate" in lines
        bridge = next(rows for s in chart_specs(at) for rows in s["datasets"].values()
                      if rows and "tone" in rows[0])  # the waterfall: no step drawn for refunds
        assert [r["label"] for r in bridge] == ["Gross sales", "Discounts", "Net sales"]


@pytest.mark.parametrize("name", ["customers", "products"])
def test_exports_without_orders_point_to_the_data_page(workspaces: Path, real_cache: Path, name: str) -> None:
    real_workspace(name, real_cache, workspaces)
    at = open_page("app_pages/overview.py")
    assert not at.exception and not at.metric
    assert at.info[0].value == "No orders for these filters yet. Load an export on the Data page."


@pytest.mark.slow
def test_online_retail_full_file(workspaces: Path) -> None:
    """541,909 lines: 22,064 orders and 3,836 cancellation invoices (refund documents), as the
    data's README states."""
    from lib.ingest.load import ingest_path
    from lib.workspace import open_workspace
    from tests.conftest import shared_file

    ws = open_workspace(workspaces / "default.duckdb")
    try:
        ingest_path(ws, shared_file("online-retail-uci/online_retail.csv"))
    finally:
        ws.close()
    at = open_page("app_pages/overview.py")
    assert not at.exception
    assert pick(at, ("Orders", "Gross sales", "Refunds", "Net sales")) == {
        "Orders": "22,064", "Gross sales": "GBP 10,272,118.87", "Refunds": "GBP 478,724.18",
        "Net sales": "GBP 9,793,394.69"}
    at.switch_page("app_pages/analysis.py")
    at.run()
    left_out = [df.value for df in at.dataframe if "KPI" in df.value.columns][1]
    assert dict(left_out.values.tolist())["Refund documents (3,836) included in refunds"] == "GBP 478,724.18"


def test_retention_has_a_sparkline_per_month_but_not_per_day(demo: Path) -> None:
    """The whole history (Oct 2023 – Dec 2025) trends per month: retention's sparkline holds
    each month's own retention (November 2025: the 409 of 3,307 October customers who came back,
    as in tests/lib/metrics/test_retention.py). One month trends per day: no retention line."""
    def sparkline(at, metric_id: str) -> dict[str, float | None]:
        spec = next((s for s in chart_specs(at)
                     if s.get("encoding", {}).get("y", {}).get("field") == metric_id), None)
        if spec is None:
            return {}
        return {str(r["month"])[:10]: r[metric_id] for r in spec["datasets"][spec["data"]["name"]]}

    at = open_page("app_pages/overview.py")
    assert not at.exception
    line = sparkline(at, "retention_rate")
    assert len(line) == 27 and line["2023-10-01"] is None  # nothing before the first month
    assert line["2025-11-01"] == pytest.approx(409 / 3307)
    assert len(sparkline(at, "net_sales")) == 27
    at.date_input[0].set_value((date(2025, 11, 1), date(2025, 11, 30))).run()
    assert sparkline(at, "retention_rate") == {} and chart_specs(at)
