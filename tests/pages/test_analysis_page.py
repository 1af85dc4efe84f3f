"""The Analysis page on the demo workspace and the real exports: what happened, what drove the
change (the bars add up exactly), and the reconciliation amounts."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

import lib.analysis
from lib.workspace import open_workspace
from tests.demo_store import demo_copy
from tests.pages.metrics_support import chart_specs, real_workspace
from tests.pages.support import open_page, shown

NOVEMBER = (date(2025, 11, 1), date(2025, 11, 30))


def waterfalls(at) -> list[list[tuple[str, float]]]:
    """(label, amount) of each waterfall chart, in order."""
    out = []
    for spec in chart_specs(at):
        if spec.get("layer") and spec["layer"][0]["encoding"].get("y2"):  # bars, then labels
            rows = spec["datasets"][spec["data"]["name"]]
            out.append([(r["label"], r["amount"]) for r in rows])
    return out


def adds_up(steps: list[tuple[str, float]]) -> bool:
    """Before + Σ changes = now, to the cent."""
    total = Decimal(str(steps[0][1])) + sum(Decimal(str(a)) for _, a in steps[1:-1])
    return total.quantize(Decimal("0.01")) == Decimal(str(steps[-1][1])).quantize(Decimal("0.01"))


def table_with(at, column: str):
    """The first table with `column`, as the page writes it."""
    return shown(next(df for df in at.dataframe if column in df.value.columns))


@pytest.fixture
def november(workspaces: Path):
    demo_copy(workspaces)
    at = open_page("app_pages/analysis.py")
    at.date_input[0].set_value(NOVEMBER).run()
    assert not at.exception
    return at


def test_demo_change_against_october_adds_up_exactly(november) -> None:
    at = november
    assert ("Sales after discounts went from USD 242,731.14 to USD 288,415.85: USD 45,684.71 "
            "(+18.8%).") in [m.value for m in at.markdown]
    aov, by_channel = waterfalls(at)
    assert aov == [("Before", 242731.14), ("Orders", 74638.88), ("Average order value", -28954.17),
                   ("Now", 288415.85)]
    assert by_channel == [("Before", 242731.14), ("shopify", 36435.5), ("taobao", 9249.21),
                          ("Now", 288415.85)]
    assert adds_up(aov) and adds_up(by_channel)
    movers = table_with(at, "Breakdown")
    assert list(movers.iloc[0][["Breakdown", "Group", "Measure", "Change"]]) == [
        "Channel", "shopify", "Sales after discounts", "USD 36,435.50"]
    numbers = next(df.value for df in at.dataframe if "Breakdown" in df.value.columns)
    assert numbers["Change"].iloc[0] == 36435.5  # a number: a click on the header sorts by it


@pytest.mark.parametrize("dim", ["category", "customer_type", "platform", "country"])
def test_demo_every_contribution_split_adds_up_against_last_year(november, dim: str) -> None:
    at = november
    at.radio(key="analysis_base").set_value("last_year").run()
    at.selectbox(key="analysis_dim").set_value(dim).run()
    assert not at.exception
    assert ("Sales after discounts went from USD 259,812.16 to USD 288,415.85: USD 28,603.69 "
            "(+11.0%).") in [m.value for m in at.markdown]
    steps = waterfalls(at)[1]
    assert steps[0] == ("Before", 259812.16) and steps[-1] == ("Now", 288415.85)
    assert adds_up(steps)
    if dim == "category":
        assert ("Discounts (not split by category)", -6262.97) in steps
        assert steps[1] == ("Tea", 13617.48)


def test_each_choice_recomputes_only_what_depends_on_it(
        november, monkeypatch: pytest.MonkeyPatch) -> None:
    """ui.cached: a rerun computes nothing again; a new grain only the description, a new
    comparison base only the diagnosis (the reconciliation depends on neither)."""
    calls: list[str] = []
    for name in ("describe", "diagnose", "reconcile"):
        real = getattr(lib.analysis, name)
        monkeypatch.setattr(lib.analysis, name,
                            lambda *a, _real=real, _name=name, **k: calls.append(_name) or _real(*a, **k))
    november.run()
    assert calls == []
    november.radio(key="analysis_grain").set_value("day").run()
    assert calls == ["describe"]
    november.radio(key="analysis_base").set_value("last_year").run()
    assert calls == ["describe", "diagnose"]
    assert not november.exception


def test_demo_reconciliation_amounts(november) -> None:
    at = november
    bridge = dict(table_with(at, "KPI").values.tolist())
    assert bridge["Gross sales (products, before discounts)"] == "USD 313,007.62"
    assert bridge["= Net sales (our headline)"] == "USD 281,002.03"
    assert bridge["+ Shipping charged (not in our sales)"] == "USD 16,720.70"
    assert bridge["= Net sales with shipping and tax (closer to platform “total sales”)"] == "USD 308,660.73"
    left_out = [table for table in (df.value for df in at.dataframe) if "KPI" in table.columns][1]
    assert dict(left_out.values.tolist())["Cancelled orders left out (154), their order total"] == "USD 8,248.03"
    assert ("Days are the shop's local days as exported (workspace time zone America/New_York). "
            "Counted in UTC instead, 64 orders (USD 3,498.01) would move out of the period and 24 "
            "orders (USD 1,822.34) would move in.") in [c.value for c in at.caption]
    currencies = table_with(at, "Counted as")
    assert currencies.to_dict("list") == {
        "Currency": ["CNY", "USD"], "Orders": ["2,034", "2,619"],
        "Sales after discounts (own currency)": ["CNY 780,816.80", "USD 179,101.50"],
        "Counted as": ["converted to USD", "counted"]}


def test_demo_descriptive_views(november, tmp_path: Path) -> None:
    at = november
    subheaders = [s.value for s in at.subheader]
    assert subheaders[:3] == ["Sales after discounts by channel",
                              "Orders by weekday and hour (workspace time zone America/New_York)",
                              "New vs returning customers"]
    top = table_with(at, "Name")
    assert list(top.iloc[0][["Product", "Name", "Gross sales", "Orders"]]) == [
        "LL-TEA-001", "Jasmine Dragon Pearls", "USD 92,401.96", "2,193"]  # counted orders with the SKU
    nr = table_with(at, "New vs returning").set_index("New vs returning")
    assert nr.loc["New customers' first orders", "Orders"] == "3,247"
    heat = next(s for s in chart_specs(at) if s["mark"]["type"] == "rect")
    assert sum(r["orders"] for r in heat["datasets"][heat["data"]["name"]]) == 4653
    # the weekly bars span their weeks (a bar on a time axis is a few pixels wide otherwise)
    bars = next(s for s in chart_specs(at) if s["mark"]["type"] == "bar" and "x2" in s["encoding"])
    assert (bars["encoding"]["x"]["field"], bars["encoding"]["x2"]["field"]) == ("week", "_bar_end")
    # Retention per week: the week of Nov 3–9 against an independent count on the workspace
    # (customers of Oct 27 – Nov 2 who ordered again Nov 3–9).
    assert subheaders[3] == "Customer retention by week"
    line = next(s for s in chart_specs(at) if s.get("encoding", {}).get("y", {}).get("field") == "retention_rate")
    assert line["encoding"]["x"]["title"] == "Week"  # a title, not the word in a sentence
    rows = {str(r["week"])[:10]: r["retention_rate"] for r in line["datasets"][line["data"]["name"]]}
    # Whole weeks only: Sat Nov 1 – Sun Nov 2 (the week of Oct 27, cut by the range) is left out.
    assert sorted(rows) == ["2025-11-03", "2025-11-10", "2025-11-17", "2025-11-24"]
    ws = open_workspace(demo_copy(tmp_path / "check"), create=False)  # the page holds its own
    try:
        before, back = ws.cursor().execute("""
            WITH o AS (SELECT customer_id, order_date FROM orders
                       WHERE kind = 'sale' AND cancelled_at IS NULL AND coalesce(status, '') <> 'cancelled'
                         AND NOT coalesce(is_test, false) AND customer_id IS NOT NULL)
            SELECT count(DISTINCT customer_id), count(DISTINCT customer_id) FILTER (WHERE customer_id IN (
                       SELECT customer_id FROM o WHERE order_date BETWEEN DATE '2025-11-03' AND DATE '2025-11-09'))
            FROM o WHERE order_date BETWEEN DATE '2025-10-27' AND DATE '2025-11-02'""").fetchone()
    finally:
        ws.close()
    assert before > 500 and rows["2025-11-03"] == pytest.approx(back / before)


def test_demo_whole_history_has_nothing_before_it(workspaces: Path) -> None:
    demo_copy(workspaces)
    at = open_page("app_pages/analysis.py")
    assert "No orders in the comparison period: nothing to decompose." in [i.value for i in at.info]
    aov = waterfalls(at)[0]
    assert aov[1][1] == aov[-1][1]  # all of the change is orders
    assert adds_up(aov)


def test_the_page_speaks_chinese(workspaces: Path) -> None:
    demo_copy(workspaces)
    at = open_page("app_pages/analysis.py")
    at.selectbox(key="lang").set_value("zh").run()
    assert not at.exception
    assert at.title[0].value == "分析"
    assert [t.label for t in at.tabs] == ["描述性分析", "诊断性分析", "为何与平台报表不一致"]


@pytest.fixture(scope="module")
def real_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("real")


def test_petstore_3885_orders_are_3850_counted_and_35_cancelled(workspaces: Path, real_cache: Path) -> None:
    real_workspace("petstore", real_cache, workspaces)
    at = open_page("app_pages/analysis.py")
    assert not at.exception
    bridge = dict(table_with(at, "KPI").values.tolist())
    assert bridge["Gross sales (products, before discounts)"] == "USD 396,500.80"
    assert bridge["− Discounts"] == "USD 79,968.61"
    assert bridge["− Refunds (incl. refund documents)"] == "USD 9,793.23"
    left_out = [df.value for df in at.dataframe if "KPI" in df.value.columns][1]
    assert "Cancelled orders left out (35), their order total" in dict(left_out.values.tolist())


@pytest.mark.parametrize("name, net", [
    ("seezona", "USD 61,185.14"), ("etsy", "USD 141,310.76"), ("woocommerce", "USD 19.99"),
    ("cdnow", "USD 2,500,395.82"), ("online_retail_xlsx", "GBP 689,663.88"),
])
def test_each_real_export_renders_with_its_net_sales(workspaces: Path, real_cache: Path, name: str,
                                                     net: str) -> None:
    real_workspace(name, real_cache, workspaces)
    at = open_page("app_pages/analysis.py")
    assert not at.exception and not at.error
    assert dict(table_with(at, "KPI").values.tolist())["= Net sales (our headline)"] == net
    # Retention per week: a chart, or (one order in the WooCommerce sample) the reason there is none.
    none = "No whole week in the date range has customers before it: widen the range, or load older orders."
    assert (none in [i.value for i in at.info]) == (name == "woocommerce")
    # Etsy and CDNOW give dates only (and the WooCommerce sample one counted order): every order
    # in one hour, so no weekday × hour map of a single column, a sentence instead
    one_hour = name in ("etsy", "cdnow", "woocommerce")
    assert any(c.value.startswith("Every order falls in the same hour") for c in at.caption) == one_hour
    assert ("Hour" in [s["encoding"]["x"].get("title") for s in chart_specs(at)
                       if "encoding" in s and "x" in s["encoding"]]) == (not one_hour)


def test_online_retail_refund_documents_are_shown(workspaces: Path, real_cache: Path) -> None:
    real_workspace("online_retail_xlsx", real_cache, workspaces)
    at = open_page("app_pages/analysis.py")
    left_out = [df.value for df in at.dataframe if "KPI" in df.value.columns][1]
    assert dict(left_out.values.tolist())["Refund documents (569) included in refunds"] == "GBP 17,608.34"


@pytest.mark.parametrize("name", ["customers", "products"])
def test_exports_without_orders_point_to_the_data_page(workspaces: Path, real_cache: Path, name: str) -> None:
    real_workspace(name, real_cache, workspaces)
    at = open_page("app_pages/analysis.py")
    assert not at.exception and not at.tabs
    assert at.info[0].value == "No orders for these filters yet. Load an export on the Data page."
