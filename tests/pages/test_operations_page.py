"""The Operations flow page under AppTest: the demo's planted bottleneck, the SLA, the PDCA log,
and the real Shopify export's stage times with the missing delivery stage."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

from lib import operations as ops
from lib.ingest.load import ingest_path
from lib.workspace import open_workspace
from tests.conftest import shared_file
from tests.demo_store import demo_copy
from tests.pages.support import metrics, open_page, shown

PAGE = "app_pages/operations.py"


def submit(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception
    return at


def test_the_demo_bottleneck_and_backlog_are_shown(workspaces: Path) -> None:
    demo_copy(workspaces)
    at = open_page(PAGE)
    assert metrics(at) == {
        "Bottleneck": "Payment → shipment", "Bottleneck median": "30.5 h",
        "Bottleneck 90th percentile": "61.1 h", "Shipped late": "21.3%", "Shipped on time": "78.7%",
        "Conversion rate (orders ÷ sessions)": "2.8%"}
    assert [w.value for w in at.warning] == ["No order has the timestamps for: Shipment → delivery."]
    assert [i.value for i in at.info] == [
        "Orders paid Friday to Sunday wait 45.1 h (median) to be fulfilled; orders paid Monday to "
        "Thursday wait 20.2 h."]
    captions = [c.value for c in at.caption]
    assert "shopify: no delivery time." in captions
    assert "taobao: no shipment time, cancellation time." in captions
    stages = shown(at.dataframe[0])
    assert at.dataframe[0].value.loc[1, "Orders"] == 50480  # a number: it sorts as one
    assert stages["Stage"].tolist() == ["Order → payment", "Payment → shipment",
                                        "Payment → delivery (no shipment time)", "Order → cancellation"]
    # median 30.49 h (lib), shown to one decimal; orders with a separator
    assert stages.loc[1, ["Orders", "Median (h)"]].tolist() == ["50,480", "30.5"]
    assert stages.loc[0, "Median (h)"] == "0.0"  # paid within seconds of the order


def test_the_sla_changes_the_breach_rate_and_survives_a_restart(workspaces: Path) -> None:
    demo_copy(workspaces)
    at = open_page(PAGE)
    at.number_input(key="ops_sla_hours").set_value(72.0).run()
    assert not at.exception
    assert [s.value for s in at.success] == ["SLA saved: ship within 72 h."]
    assert (metrics(at)["Shipped late"], metrics(at)["Shipped on time"]) == ("6.0%", "94.0%")
    st.cache_resource.clear()  # closes the workspace: the app restarts on the same file
    again = open_page(PAGE)
    assert again.number_input(key="ops_sla_hours").value == 72.0
    assert metrics(again)["Shipped late"] == "6.0%"


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
    assert [s.value for s in at.success] == ["Action saved: Replace the gaiwan batch.",
                                             "More than noise (p = 0.0002)."]
    assert {k: metrics(at)[k] for k in ("Before", "After")} == {"Before": "7.1%", "After": "4.3%"}
    assert next(m for m in at.metric if m.label == "After").delta == "-2.8 pp"
    assert at.expander[0].label == "Replace the gaiwan batch · Refund rate · Plan"
    at.radio[0].set_value("check").run()
    assert at.expander[0].label == "Replace the gaiwan batch · Refund rate · Check"
    st.cache_resource.clear()
    ws = open_workspace(workspaces / "demo.duckdb", create=False)
    try:
        log = ops.list_improvements(ws)
        assert log[["title", "metric", "started_on", "status"]].values.tolist() == [
            ["Replace the gaiwan batch", "refund_rate", date(2025, 9, 1), "check"]]
    finally:
        ws.close()


def test_the_page_speaks_chinese(workspaces: Path) -> None:
    demo_copy(workspaces)
    at = open_page(PAGE)
    at.selectbox(key="lang").set_value("zh").run()
    assert not at.exception
    assert at.title[0].value == "运营流程"
    assert metrics(at)["瓶颈环节"] == "付款 → 发货"
    assert metrics(at)["瓶颈环节中位数"] == "30.5 小时"


def test_the_real_shopify_export_lacks_the_delivery_stage(workspaces: Path) -> None:
    export = shared_file("shopify-orders-us-petstore/orders_export_1.csv")
    ws = open_workspace(workspaces / "default.duckdb")
    try:
        assert [r.status for r in ingest_path(ws, export, export.name)] == ["loaded"]
    finally:
        ws.close()
    at = open_page(PAGE)
    assert {k: metrics(at)[k] for k in ("Bottleneck", "Bottleneck median", "Bottleneck 90th percentile")} == {
        "Bottleneck": "Payment → shipment", "Bottleneck median": "32.7 h",
        "Bottleneck 90th percentile": "81.9 h"}
    assert [w.value for w in at.warning] == [
        "Not in these exports: delivery time. Stages that cannot be measured: Shipment → delivery."]
    assert "No traffic data for these filters: load a traffic export to see the funnel." in [
        c.value for c in at.caption]


def test_an_empty_workspace_points_to_the_data_page(workspaces: Path) -> None:
    at = open_page(PAGE)
    assert [i.value for i in at.info] == ["No orders for these filters yet. Load an export on the Data page."]
    assert not at.metric
