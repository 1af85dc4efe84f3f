"""The Customers page under AppTest: RFM segments, cohorts and churn risk on the demo store,
checked against lib/customers.py computed on a private copy of the same workspace; the page
in Chinese; the small Shopify sample (too few repeat orders for churn thresholds); mixed
currencies; an empty workspace."""
from __future__ import annotations

import gc
import io
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from lib import charts_customers as cc
from lib import customers as cu
from lib.export_cli import to_csv
from lib.i18n import t
from lib.metrics.filters import Filters
from lib.workspace import open_workspace
from tests.demo_store import demo_copy
from tests.pages.metrics_support import chart_specs
from tests.pages.support import SHOPIFY, metrics, open_page, shown, upload

PAGE = "app_pages/customers.py"
# What the sidebar sends on the demo store: its whole history, money in its home currency
# (USD) with the Taobao shop's CNY converted at the workspace's rate.
DEMO_FILTERS = Filters(currency="USD")
EUR = SHOPIFY.replace(",USD,", ",EUR,").replace("#100", "#200").replace("2024-01-0", "2024-03-0")


@pytest.fixture
def demo_folder(workspaces: Path) -> Path:
    demo_copy(workspaces)
    return workspaces


@pytest.fixture(scope="module")
def lib_demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """The lib's answers on a private copy of the demo (never the app's file)."""
    ws = open_workspace(demo_copy(tmp_path_factory.mktemp("truth")))
    yield ws
    ws.close()


def demo_page(lang: str = "en") -> AppTest:
    at = open_page(PAGE)
    if lang != "en":
        at.selectbox(key="lang").set_value(lang).run()
        assert not at.exception, at.exception
    return at


def table_element(at: AppTest, *first_columns: str):  # type: ignore[no-untyped-def]
    """The one dataframe on the page whose columns start with `first_columns`."""
    n = len(first_columns)
    found = [d for d in at.dataframe if tuple(d.value.columns[:n]) == first_columns]
    assert len(found) == 1, [list(d.value.columns) for d in at.dataframe]
    return found[0]


def table(at: AppTest, *first_columns: str) -> pd.DataFrame:
    """That dataframe as the page writes it (numbers through their column formats)."""
    return shown(table_element(at, *first_columns))


def count(text: str) -> int:
    return int(text.replace(",", ""))


def test_segments_match_lib(demo_folder: Path, lib_demo) -> None:  # type: ignore[no-untyped-def]
    data = cu.customer_orders(lib_demo, DEMO_FILTERS)
    rfm = cu.rfm_table(data)
    summary = cu.segment_summary(rfm)
    at = demo_page()
    assert not at.exception
    assert at.title[0].value == "Customers"
    assert "Period: 2023-10-01 – 2025-12-31 (the sidebar's dates) · money in USD." in [c.value for c in at.caption]
    assert not at.warning  # CNY is converted, nothing left out
    seg = table(at, "Segment", "Customers")
    assert seg["Segment"].tolist() == [
        "Champions", "Loyal", "Potential loyalists", "New customers", "Promising", "Need attention",
        "About to sleep", "Can't lose them", "At risk", "Hibernating"]
    shown = [count(v) for v in seg["Customers"]]
    assert shown == summary["customers"].tolist()
    assert sum(shown) == len(rfm) > 50_000
    assert seg["Net sales"].tolist() == [f"USD {v:,.2f}" for v in summary["monetary"].round(2)]
    assert seg["Share of customers"].tolist() == [f"{v:.1%}" for v in summary["customer_share"]]
    # the chart draws the same ten segments (hconcat: customers, then share of net sales)
    spec = chart_specs(at)[0]
    rows = next(iter(spec["datasets"].values()))
    assert [r["customers"] for r in rows] == summary["customers"].tolist()
    assert spec["hconcat"][0]["encoding"]["y"]["sort"] == seg["Segment"].tolist()
    # the scoring explanation, the R × F grid and the actions
    assert any("4–5 → 4, 6 or more → 5" in m.value for m in at.markdown)
    grid = table(at, "F1")
    assert grid.loc["R5"].tolist() == ["New customers", "Potential loyalists", "Potential loyalists",
                                       "Champions", "Champions"]
    assert grid.loc["R1", "F5"] == "Can't lose them"
    actions = table(at, "Segment", "Who they are")
    assert actions.iloc[0].tolist() == ["Champions", "Bought very recently and order often.",
                                        "Reward them; ask for reviews and referrals."]
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Download the customers' RFM scores (CSV)", "Download the at-risk list (CSV)"]


def test_f_steps_in_the_explanation_are_lib_s() -> None:
    """The scoring text spells out F_BOUNDS; a change in lib must change the text too."""
    assert cu.F_BOUNDS == (1, 2, 3, 5)
    assert "1 order → 1, 2 → 2, 3 → 3, 4–5 → 4, 6 or more → 5" in t("customers.rfm.scoring_text", end="x")


def test_cohorts_match_lib_and_follow_the_slider(demo_folder: Path, lib_demo) -> None:  # type: ignore[no-untyped-def]
    data = cu.customer_orders(lib_demo, DEMO_FILTERS)
    coh = cu.cohorts(data, 12)
    at = demo_page()
    shown = table(at, "Cohort")
    firsts = coh[coh["k"] == 0]
    assert shown["Cohort"].tolist() == [d.strftime("%Y-%m") for d in pd.to_datetime(firsts["cohort"])]
    assert [count(v) for v in shown["New customers"]] == firsts["size"].tolist()
    m1 = coh[coh["k"] == 1].set_index("cohort")["retention"]
    assert shown["Month 1 retention"].iloc[0] == f"{m1.iloc[0]:.1%}"
    assert list(shown.columns) == ["Cohort", "New customers", "Month 1 retention", "Month 3 retention",
                                   "Month 6 retention", "Month 12 retention", "Months followed", "LTV to date"]
    months = table_element(at, "Cohort").value["Months followed"]
    assert months.max() == 12 and months.iloc[-1] == 0  # December: month 0
    assert shown["Month 12 retention"].iloc[-1] == "—"  # the last cohort has not got that far
    last12 = coh[(coh["k"] == 12)].iloc[0]
    assert shown["LTV to date"].iloc[0] == f"USD {last12['ltv']:,.2f}"
    heat = chart_specs(at)[1]
    rows = next(iter(heat["datasets"].values()))
    assert min(r["k"] for r in rows) == 1 and len(rows) == int((coh["k"] >= 1).sum())  # month 0 left out

    at.slider(key="cu_months").set_value(6).run()
    assert not at.exception
    shown = table(at, "Cohort")
    assert "Month 12 retention" not in shown.columns and shown["Months followed"].astype(int).max() == 6
    six = cu.cohorts(data, 6)
    last = six.groupby("cohort").tail(1)
    assert shown["LTV to date"].tolist() == [f"USD {v:,.2f}" for v in last["ltv"]]


def test_a_month_not_over_is_marked(demo_folder: Path, lib_demo) -> None:  # type: ignore[no-untyped-def]
    at = demo_page()
    at.date_input[0].set_value((date(2025, 6, 1), date(2025, 12, 15))).run()
    assert not at.exception
    coh = cu.cohorts(cu.customer_orders(lib_demo, replace(DEMO_FILTERS, start=date(2025, 6, 1),
                                                          end=date(2025, 12, 15))), 12)
    assert coh["partial"].any()
    shown = table(at, "Cohort")
    assert shown["Cohort"].tolist() == ["2025-06", "2025-07", "2025-08", "2025-09", "2025-10",
                                        "2025-11", "2025-12"]
    assert [c.value for c in at.caption if c.value.startswith("The period ends on")] == [
        "The period ends on 2025-12-15, before 2025-12 is over: the figures for 2025-12 (faded "
        "in the heatmap; in the table, each cohort's last month and its LTV to date) will still grow."]
    # The figures are numbers: the LTV column sorts by value, not as text.
    values = table_element(at, "Cohort").value
    assert values["LTV to date"].dtype.kind == "f" and values["Month 1 retention"].dtype.kind == "f"
    last = coh.groupby("cohort").tail(1)
    assert values["LTV to date"].tolist() == [round(v, 2) for v in last["ltv"]]


def test_a_complete_last_month_gets_no_caption(demo_folder: Path) -> None:
    at = demo_page()
    at.date_input[0].set_value((date(2025, 6, 1), date(2025, 11, 30))).run()
    assert not at.exception
    assert not [c.value for c in at.caption if c.value.startswith("The period ends on")]


def test_churn_thresholds_statuses_and_at_risk_list_match_lib(demo_folder: Path, lib_demo) -> None:  # type: ignore[no-untyped-def]
    data = cu.customer_orders(lib_demo, DEMO_FILTERS)
    report = cu.churn_report(data)
    risk = cu.at_risk(lib_demo, report, 50)
    at = demo_page()
    shown = metrics(at)
    assert shown == {"Usual gap between orders": cc.fmt_days(report.expected_gap_days),
                     "Lapsed after": cc.fmt_days(report.lapse_after_days),
                     "Repeat gaps measured": f"{report.gaps:,}"}
    assert shown["Usual gap between orders"] == f"{report.expected_gap_days:,.0f} days"  # whole days here
    statuses = table(at, "Status")
    assert statuses["Status"].tolist() == ["Active", "Cooling", "Lapsed"]
    assert [count(v) for v in statuses["Customers"]] == report.statuses["customers"].tolist()
    assert sum(count(v) for v in statuses["Customers"]) == len(report.customers)
    listed = table(at, "Customer key")
    assert len(listed) == 50 == len(risk)
    assert listed["Customer key"].tolist() == risk["customer"].tolist()
    assert listed["Last order ID"].tolist() == risk["order_id"].tolist()
    assert listed["Net sales to date"].iloc[0] == f"USD {risk['monetary'].iloc[0]:,.2f}"
    numbers = table_element(at, "Customer key").value  # what a click on a header sorts
    assert numbers["Net sales to date"].tolist() == risk["monetary"].astype(float).round(2).tolist()
    lapse = report.lapse_after_days
    assert all(report.expected_gap_days < d <= lapse for d in numbers["Days since"])  # cooling only


def test_the_page_in_chinese(demo_folder: Path, lib_demo) -> None:  # type: ignore[no-untyped-def]
    report = cu.churn_report(cu.customer_orders(lib_demo, DEMO_FILTERS))
    at = demo_page("zh")
    assert at.title[0].value == "客户"
    assert at.subheader[0].value == "RFM 客户分层"
    assert table(at, "客户分层", "客户数")["客户分层"].tolist() == [
        "冠军客户", "忠诚客户", "潜力忠诚客户", "新客户", "有潜力新客", "需要关注", "即将沉睡",
        "不能失去的客户", "流失风险客户", "沉睡客户"]
    assert metrics(at)["常规复购间隔"] == f"{report.expected_gap_days:,.0f} 天"
    assert table(at, "状态")["状态"].tolist() == ["活跃", "降温", "已流失"]
    assert "第 1 月留存率" in table(at, "同期群").columns


def test_an_empty_workspace_says_so_without_an_error(workspaces: Path) -> None:
    at = open_page(PAGE)
    assert not at.exception
    assert at.title[0].value == "Customers"
    assert [i.value for i in at.info] == ["No orders for these filters yet. Load an export on the Data page."]
    assert not at.dataframe and not at.error


def test_too_few_repeat_orders_for_churn_thresholds(workspaces: Path) -> None:
    at = upload(open_page("app_pages/data.py"), ("orders.csv", SHOPIFY.encode()))
    at.switch_page(PAGE).run()
    assert not at.exception
    # customers a (two orders, one gap) and b; all in the last month, so no month 1 yet
    assert sum(count(v) for v in table(at, "Segment", "Customers")["Customers"]) == 2
    assert table(at, "Cohort")["New customers"].tolist() == ["2"]
    assert [i.value for i in at.info] == [
        "Too few repeat orders to set churn thresholds: 1 gaps between orders of the same customer, "
        f"fewer than {cu.MIN_GAPS} needed."]
    assert not at.metric and not at.error


def test_currencies_left_out_are_named(workspaces: Path) -> None:
    at = upload(open_page("app_pages/data.py"), ("usd.csv", SHOPIFY.encode()), ("eur.csv", EUR.encode()))
    at.switch_page(PAGE).run()
    assert not at.exception
    assert [w.value for w in at.warning] == [t("customers.excluded", "en", currency="EUR", currencies="USD")]
    net = table(at, "Segment", "Customers")["Net sales"]
    assert net.str.startswith("EUR ").all()
    assert sum(float(v.removeprefix("EUR ").replace(",", "")) for v in net) == pytest.approx(58.0)


def test_mixed_currencies_without_a_choice_give_the_translated_error(
        workspaces: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No currency chosen (the sidebar's choice taken away) and no rates: lib refuses to add
    EUR and USD up, and the page shows its message instead of a traceback."""
    at = upload(open_page("app_pages/data.py"), ("usd.csv", SHOPIFY.encode()), ("eur.csv", EUR.encode()))
    monkeypatch.setattr("ui.sidebar.money_and_platforms", lambda ws, tag, base, opts: base)
    at.switch_page(PAGE).run()
    assert not at.exception
    assert [e.value for e in at.error] == [t("kpi.mixed_currency", "en", currencies="EUR, USD")]
    at.selectbox(key="lang").set_value("zh").run()
    assert [e.value for e in at.error] == [t("kpi.mixed_currency", "zh", currencies="EUR, USD")]


def test_the_downloads_are_lib_s_tables(lib_demo) -> None:  # type: ignore[no-untyped-def]
    data = cu.customer_orders(lib_demo, DEMO_FILTERS)
    rfm = cu.rfm_table(data)
    out = pd.read_csv(io.StringIO(to_csv(cc.rfm_export(rfm, data.currency))))
    assert list(out.columns) == [*rfm.columns, "segment_name", "currency"]
    assert len(out) == len(rfm) and out["segment"].tolist() == rfm["segment"].tolist()
    assert set(out["currency"]) == {"USD"} and out["last_order"].iloc[0] == str(rfm["last_order"].iloc[0].date())
    risk = cu.at_risk(lib_demo, cu.churn_report(data), 50)
    listed = pd.read_csv(io.StringIO(to_csv(cc.at_risk_export(risk, data.currency))), dtype=str)
    assert listed["order_id"].tolist() == risk["order_id"].tolist()
    assert listed["customer"].tolist() == risk["customer"].tolist()
    keyed = cu.customer_keys(lib_demo, rfm["cust"])  # what the page adds to the RFM download
    assert keyed.str.fullmatch(r"[0-9a-f]{12}").all() and keyed.nunique() == len(rfm)
    everyone = cu.customer_keys(lib_demo, cu.churn_report(data).customers["cust"])
    assert set(risk["customer"]) <= set(everyone)  # the same keys in both downloads


def test_figures_are_kept_across_reruns_and_follow_an_import(workspaces: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A language switch reruns the page without recomputing (ui/cached.py keys on the data
    version); a new import changes that version, so the page recomputes and shows it."""
    at = upload(open_page("app_pages/data.py"), ("orders.csv", SHOPIFY.encode()))
    calls: list[Filters] = []
    real = cu.customer_orders
    monkeypatch.setattr(cu, "customer_orders", lambda ws, f=None: calls.append(f) or real(ws, f))
    at.switch_page(PAGE).run()
    before = table(at, "Segment", "Customers")["Net sales"].tolist()
    at.selectbox(key="lang").set_value("zh").run()
    at.selectbox(key="lang").set_value("en").run()
    assert not at.exception and len(calls) == 1
    more = SHOPIFY.replace("#100", "#300")  # the same customers' orders again, new order names
    at.switch_page("app_pages/data.py").run()
    upload(at, ("more.csv", more.encode()))
    at.switch_page(PAGE).run()
    assert len(calls) == 2
    after = table(at, "Segment", "Customers")["Net sales"].tolist()
    total = lambda col: sum(float(v.removeprefix("USD ").replace(",", "")) for v in col)  # noqa: E731
    assert total(after) == pytest.approx(2 * total(before))


def test_a_rate_saved_for_the_workspace_refreshes_the_cached_figures(workspaces: Path) -> None:
    """The page shows EUR (the sidebar's default here) and leaves the USD orders out until EUR
    has a rate; saving one (as the sidebar does, outside any import) must reach the cached
    figures, not wait for the next import."""
    from lib.metrics.filters import save_workspace_rates
    from ui import state

    at = upload(open_page("app_pages/data.py"), ("usd.csv", SHOPIFY.encode()), ("eur.csv", EUR.encode()))
    at.switch_page(PAGE).run()
    assert [w.value for w in at.warning] == [t("customers.excluded", "en", currency="EUR", currencies="USD")]
    ws = state.get_workspace(str(state.workspace_path("default").resolve()))  # the app's own connection
    save_workspace_rates(ws, (("EUR", 1.10),))
    at.run()
    assert not at.warning and not at.exception
    net = table(at, "Segment", "Customers")["Net sales"]
    # 58.00 EUR + 58.00 USD ÷ 1.10 (USD per EUR) = 110.73 EUR, to a cent per segment
    assert sum(float(v.removeprefix("EUR ").replace(",", "")) for v in net) == pytest.approx(110.73, abs=0.02)


def test_a_session_keeps_no_copy_of_the_customers_orders_between_runs(demo_folder: Path) -> None:
    """The cache hands every call its own copy (~10 MB on the demo); the fragment and the
    download buttons a session keeps held one each, through the page script's globals:
    ~60 MB a session, 1 GB at ten (bench.sessions --page customers)."""
    def alive() -> int:
        gc.collect()
        return sum(isinstance(o, cu.CustomerOrders) for o in gc.get_objects())

    before = alive()
    at = open_page(PAGE)
    at.slider(key="cu_months").set_value(6).run()  # the fragment runs on its own too
    assert not at.exception and at.dataframe
    assert alive() == before
