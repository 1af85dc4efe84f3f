"""The Operations flow page under AppTest: the demo's planted bottleneck, the SLA, the PDCA log,
and the real Shopify export's stage times with the missing delivery stage."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from lib import operations as ops
from lib.workspace import open_workspace
from tests.demo_store import demo_copy
from tests.pages.metrics_support import chart_specs, real_workspace
from tests.pages.support import metrics, open_page, shown

PAGE = "app_pages/operations.py"


def submit(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception
    return at


def test_the_demo_bottleneck_and_backlog_are_shown(workspaces: Path) -> None:
    demo_copy(workspaces)
    at = open_page(PAGE)
    assert {k: v for k, v in metrics(at).items() if k not in ("Before", "After")} == {
        "Bottleneck": "Payment → shipment", "Bottleneck median": "27.1 h",
        "Bottleneck 90th percentile": "57.1 h", "Shipped late": "16.8%", "Shipped on time": "83.2%",
        "Conversion rate (orders ÷ sessions)": "2.8%"}
    assert [w.value for w in at.warning] == ["No order has the timestamps for: Shipment → delivery."]
    assert [i.value for i in at.info] == [
        "Orders paid Friday to Sunday wait 39.8 h (median) to be fulfilled; orders paid Monday to "
        "Thursday wait 20.2 h.", "Within noise (p = 0.8846): no change shown yet."]  # + the banner
    captions = [c.value for c in at.caption]
    assert "shopify: no delivery time." in captions
    assert "taobao: no shipment time, cancellation time." in captions
    stages = shown(at.dataframe[0])
    assert at.dataframe[0].value.loc[1, "Orders"] == 50485  # a number: it sorts as one
    assert stages["Stage"].tolist() == ["Order → payment", "Payment → shipment",
                                        "Payment → delivery (no shipment time)", "Order → cancellation"]
    # median 27.11 h (lib), shown to one decimal; orders with a separator
    assert stages.loc[1, ["Orders", "Median (h)"]].tolist() == ["50,485", "27.1"]
    assert stages.loc[0, "Median (h)"] == "0.0"  # paid within seconds of the order


def test_the_demo_log_shows_the_shift_that_worked_and_the_banner_that_did_not(
        workspaces: Path, truth: dict) -> None:
    demo_copy(workspaces)
    at = open_page(PAGE)
    banner, shift = at.main.expander
    assert shift.label == "Saturday packing shift · Time to ship · Act"
    # the generator's own means over the 28 days either side of its start (truth.json)
    planted = truth["weekend_shift"]
    assert (planted["shopify_mean_hours_before"], planted["shopify_mean_hours_after"]) == (
        pytest.approx(35.84, abs=0.005), pytest.approx(27.87, abs=0.005))
    assert {m.label: (m.value, m.delta) for m in shift.metric} == {
        "Before": ("35.8 h", ""), "After": ("27.9 h", "-8.0 h")}
    assert [s.value for s in shift.success] == ["More than noise (p = 0.0024)."]
    assert banner.label == "Free-shipping banner on product pages · Conversion rate · Check"
    # -0.02 pp: shown as no change, with no red arrow over '-0.0 pp'
    assert {m.label: (m.value, m.delta) for m in banner.metric} == {
        "Before": ("2.8%", ""), "After": ("2.8%", "")}
    assert not banner.success and [i.value for i in banner.info] == [
        "Within noise (p = 0.8846): no change shown yet."]


def test_an_actions_evidence_is_computed_once_per_data_version(
        workspaces: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """ui.cached.improvement_effect: a rerun (any widget) reads the cache instead of running
    each action's queries and permutation test again."""
    demo_copy(workspaces)
    calls: list[tuple[object, ...]] = []
    real = ops.improvement_effect
    monkeypatch.setattr(ops, "improvement_effect", lambda *a, **k: calls.append(a[1:3]) or real(*a, **k))
    at = open_page(PAGE)
    assert calls == [("conversion_rate", date(2025, 4, 28)), ("time_to_ship", date(2025, 4, 7))]
    shown_before = [(m.label, m.value, m.delta) for m in at.main.metric]
    at.run()
    assert len(calls) == 2
    assert [(m.label, m.value, m.delta) for m in at.main.metric] == shown_before


def test_stage_and_sla_figures_are_computed_once_per_data_version_and_limit(
        workspaces: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """ui.cached.stage_figures and sla_figures: a rerun reads the cache; a new SLA limit
    recomputes the SLA figures only."""
    demo_copy(workspaces)
    calls: dict[str, int] = {"stage_report": 0, "sla_trend": 0}
    for name in calls:
        real = getattr(ops, name)
        monkeypatch.setattr(ops, name, lambda *a, _real=real, _name=name, **k: (
            calls.__setitem__(_name, calls[_name] + 1), _real(*a, **k))[1])
    at = open_page(PAGE)
    assert calls == {"stage_report": 1, "sla_trend": 1}
    shown_before = metrics(at)
    at.run()
    assert calls == {"stage_report": 1, "sla_trend": 1} and metrics(at) == shown_before
    at.number_input(key="ops_sla_hours").set_value(72.0).run()
    assert calls == {"stage_report": 1, "sla_trend": 2}
    assert metrics(at)["Shipped late"] == "5.2%"


def test_the_sla_changes_the_breach_rate_and_survives_a_restart(workspaces: Path) -> None:
    demo_copy(workspaces)
    at = open_page(PAGE)
    at.number_input(key="ops_sla_hours").set_value(72.0).run()
    assert not at.exception
    # (the second: the demo's own Saturday shift, logged in its improvement log)
    assert [s.value for s in at.success] == ["SLA saved: ship within 72 h.",
                                             "More than noise (p = 0.0024)."]
    assert (metrics(at)["Shipped late"], metrics(at)["Shipped on time"]) == ("5.2%", "94.8%")
    st.cache_resource.clear()  # closes the workspace: the app restarts on the same file
    again = open_page(PAGE)
    assert again.number_input(key="ops_sla_hours").value == 72.0
    assert metrics(again)["Shipped late"] == "5.2%"


def test_an_action_is_logged_tested_and_moved_through_pdca(workspaces: Path) -> None:
    demo_copy(workspaces)
    at = open_page(PAGE)
    at.text_input(key="ops_action_title").set_value("Replace the gaiwan batch")
    at.selectbox(key="ops_action_metric").set_value("refund_rate")
    at.date_input(key="ops_action_start").set_value(date(2025, 9, 1))
    at.date_input(key="ops_action_end").set_value(date(2025, 8, 1))
    submit(at, "Save action")
    assert [e.value for e in at.error] == ["The end date 2025-08-01 is before the start date 2025-09-01."]
    at.date_input(key="ops_action_end").set_value(None)
    submit(at, "Save action")
    # The newest start first: the new action, then the demo's two (the shift worked, the
    # banner did not: an info, not a success).
    assert [e.label for e in at.main.expander] == [
        "Replace the gaiwan batch · Refund rate · Plan",
        "Free-shipping banner on product pages · Conversion rate · Check",
        "Saturday packing shift · Time to ship · Act"]
    assert [s.value for s in at.success] == ["Action saved: Replace the gaiwan batch.",
                                             "More than noise (p = 0.0002).",
                                             "More than noise (p = 0.0024)."]
    new = at.main.expander[0]
    assert {m.label: m.value for m in new.metric} == {"Before": "7.1%", "After": "4.3%"}
    assert next(m for m in new.metric if m.label == "After").delta == "-2.8 pp"
    at.radio[0].set_value("check").run()
    assert at.expander[0].label == "Replace the gaiwan batch · Refund rate · Check"
    st.cache_resource.clear()
    ws = open_workspace(workspaces / "demo.duckdb", create=False)
    try:
        log = ops.list_improvements(ws)
        assert log[["title", "metric", "started_on", "status"]].values.tolist()[0] == [
            "Replace the gaiwan batch", "refund_rate", date(2025, 9, 1), "check"]
        assert len(log) == 3  # with the demo's two
    finally:
        ws.close()


def test_the_page_speaks_chinese(workspaces: Path) -> None:
    demo_copy(workspaces)
    at = open_page(PAGE)
    at.selectbox(key="lang").set_value("zh").run()
    assert not at.exception
    assert at.title[0].value == "运营流程"
    assert metrics(at)["瓶颈环节"] == "付款 → 发货"
    assert metrics(at)["瓶颈环节中位数"] == "27.1 小时"
    shift = at.main.expander[1]  # the demo's Saturday shift: hours as the cards above write them
    assert {m.label: (m.value, m.delta) for m in shift.metric} == {
        "之前": ("35.8 小时", ""), "之后": ("27.9 小时", "-8.0 小时")}


def test_the_real_shopify_export_lacks_the_delivery_stage(workspaces: Path, tmp_path: Path) -> None:
    real_workspace("petstore", tmp_path, workspaces)
    at = open_page(PAGE)
    assert {k: metrics(at)[k] for k in ("Bottleneck", "Bottleneck median", "Bottleneck 90th percentile")} == {
        "Bottleneck": "Payment → shipment", "Bottleneck median": "32.7 h",
        "Bottleneck 90th percentile": "81.9 h"}
    assert [w.value for w in at.warning] == [
        "Not in these exports: delivery time. Stages that cannot be measured: Shipment → delivery."]
    assert "No traffic data for these filters: load a traffic export to see the funnel." in [
        c.value for c in at.caption]


def test_an_export_with_one_time_per_order_shows_no_empty_stage_table(workspaces: Path, tmp_path: Path) -> None:
    """CDNOW (like Online Retail) has a purchase date and nothing else: no stage can be
    measured, so the page says so and draws no empty table nor a chart with one '0' tick. It
    showed 'Order → payment 0.0 h' as the bottleneck while the formats copied the order time
    into the payment time."""
    real_workspace("cdnow", tmp_path, workspaces)
    at = open_page(PAGE)
    assert [w.value for w in at.warning] == [
        "Not in these exports: payment time, shipment time, delivery time, cancellation time. "
        "Stages that cannot be measured: Order → payment, Payment → shipment, Shipment → "
        "delivery, Payment → delivery (no shipment time), Order → cancellation."]
    assert "Bottleneck" not in metrics(at)
    assert not [d for d in at.dataframe if "Stage" in d.value.columns]
    assert not at.get("vega_lite_chart")


def test_dates_only_give_the_shipping_bottleneck_and_no_one_column_backlog_map(
        workspaces: Path, tmp_path: Path) -> None:
    """Etsy's Sold Orders: sale and ship dates, no times. The bottleneck is shipping (its
    tail, not a tie at 0 h), and the weekday × hour backlog map, one column at hour 0 with a
    legend reading '0.000000', gives way to a sentence."""
    real_workspace("etsy", tmp_path, workspaces)
    at = open_page(PAGE)
    assert metrics(at)["Bottleneck"] == "Payment → shipment"
    assert any(c.value.startswith("Every order falls in the same hour") for c in at.caption)
    assert not [s for s in chart_specs(at) if "Hour of order" in json.dumps(s, default=str)]
    assert any("Month" in json.dumps(s, default=str) for s in chart_specs(at))  # the SLA trend still drawn


def test_an_empty_workspace_points_to_the_data_page(workspaces: Path) -> None:
    at = open_page(PAGE)
    assert [i.value for i in at.info] == ["No orders for these filters yet. Load an export on the Data page."]
    assert not at.metric
