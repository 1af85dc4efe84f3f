"""The Team KPIs page under AppTest: attainment and pacing of the demo targets, adding a target
(with a refused end date before its start), OKRs, the team view and the CSV download."""
from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit.testing.v1 import AppTest

from lib import team
from lib.workspace import open_workspace
from tests.demo_store import demo_copy
from tests.pages.support import open_page, rendered, shown

PAGE = "app_pages/team.py"
MID_DECEMBER = date(2025, 12, 15)


def demo_page(workspaces: Path) -> AppTest:
    demo_copy(workspaces)
    at = open_page(PAGE)
    at.date_input(key="team_as_of").set_value(MID_DECEMBER).run()
    assert not at.exception
    return at


def test_pacing_of_the_current_month_and_attainment_history(workspaces: Path) -> None:
    at = demo_page(workspaces)
    assert [i.value for i in at.info] == [
        "Average order value (Sofia Reyes): at this pace, 101.5% of target by 2025-12-31.",
        "Net sales (Mara Lin): at this pace, 107.7% of target by 2025-12-31.",
        "Orders (Jon Park): at this pace, 109.6% of target by 2025-12-31."]
    assert [w.value for w in at.warning] == [
        "On-time shipping rate (Tom Okafor): at this pace, 94.2% of target by 2025-12-31.",
        "Repeat customer rate (Wei Zhang): at this pace, 47.4% of target by 2025-12-31."]
    raw, targets = at.dataframe[0].value, shown(at.dataframe[0])
    assert len(targets) == 60
    assert raw["Attainment"].dtype == "float64"  # sorts as numbers
    dec = targets[(raw["KPI"] == "Net sales") & (raw["From"] == date(2025, 12, 1))].iloc[0]
    assert dec[["Target", "Actual", "Attainment", "Pacing", "Status"]].tolist() == [
        "USD 289,000.00", "USD 150,637.30", "52.1%", "107.7%", "on track"]
    jan = targets[(raw["KPI"] == "Orders") & (raw["From"] == date(2025, 1, 1))].iloc[0]
    assert jan[["Target", "Actual", "Attainment", "Status"]].tolist() == ["3,400", "3,197", "94.0%", "missed"]


def test_the_team_view_and_its_download(workspaces: Path) -> None:
    at = demo_page(workspaces)
    view = at.dataframe[-1].value
    assert view.values.tolist() == [
        ["CRM", "Wei Zhang", 12, 1, 1, 10, 86.6],  # monthly target 8 %: met once
        ["Growth", "Jon Park", 12, 0, 0, 11, 90.5],
        ["Growth", "Mara Lin", 12, 0, 0, 11, 89.4],
        ["Merchandising", "Sofia Reyes", 12, 11, 0, 0, 101.9],
        ["Operations", "Tom Okafor", 12, 0, 1, 11, 93.4]]
    assert shown(at.dataframe[-1])["Mean attainment"].tolist()[0] == "86.6%"
    button = at.get("download_button")[0]
    assert button.proto.label == "Download targets with attainment (CSV)"


def test_a_target_end_before_start_is_refused_then_saved_and_kept(workspaces: Path) -> None:
    at = demo_page(workspaces)
    at.selectbox(key="team_kpi").set_value("refund_rate")
    at.date_input(key="team_period_start").set_value(date(2025, 12, 31))
    at.date_input(key="team_period_end").set_value(date(2025, 12, 1))
    at.text_input(key="team_owner").set_value("Ana Cruz")
    at.text_input(key="team_team").set_value("CX")
    at.text_input(key="team_target").set_value("0.04")
    at.button(key="team_save_target").click().run()
    assert [e.value for e in at.error] == ["The end date 2025-12-01 is before the start date 2025-12-31."]
    at.date_input(key="team_period_start").set_value(date(2025, 12, 1))
    at.date_input(key="team_period_end").set_value(date(2025, 12, 31))
    at.button(key="team_save_target").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == ["Target saved: Refund rate for Ana Cruz."]
    assert "Refund rate (Ana Cruz): at this pace, 93.3% of target by 2025-12-31." in [w.value for w in at.warning]
    st.cache_resource.clear()  # restart on the same file
    ws = open_workspace(workspaces / "demo.duckdb", create=False)
    try:
        row = team.attainment(ws, MID_DECEMBER).query("owner == 'Ana Cruz'").iloc[0]
        assert (row["kpi_id"], row["target"], row["status"]) == ("refund_rate", 0.04, "at_risk")
    finally:
        ws.close()
    again = open_page(PAGE)  # the same file, not a fresh copy
    again.date_input(key="team_as_of").set_value(MID_DECEMBER).run()
    assert "CX" in again.dataframe[-1].value["Team"].tolist()


def progress_texts(at: AppTest) -> list[str]:
    return [p.proto.text for p in at.get("progress")]


def test_the_demo_opens_on_its_okrs_with_progress_from_the_data(workspaces: Path) -> None:
    """The demo's three Q4 2025 objectives (sample_data/build_demo.DEMO_OBJECTIVES) as of the
    data's last day. Hand-computed from the quarter's KPIs (`lib.cli kpis --start 2025-10-01
    --end 2025-12-31` on the demo): net sales 789,326.90 of 800,000 = 98.666 %, orders 12,386
    of 12,500 = 99.088 %, conversion 2.8774 % of 3 % = 95.912 % → mean 97.9 %; on time
    90.662 % of 95 % = 95.434 %, time to ship 24 h ÷ 29.236 h = 82.091 % (lower is better) →
    88.8 %; repeat 16.847 % of 20 % = 84.237 %, refunds 3 % ÷ 3.6331 % = 82.573 % → 83.4 %."""
    demo_copy(workspaces)
    at = open_page(PAGE)  # as of the data's last day, 2025-12-31
    assert progress_texts(at) == [
        "Bring holiday buyers back (Wei Zhang, CRM): 83.4%",
        "Ship the peak on time (Tom Okafor, Operations): 88.8%",
        "Win the holiday quarter (Mara Lin, Growth): 97.9%"]
    captions = [c.value for c in at.caption]
    for line in ("Net sales of 800K: Net sales USD 789,326.90 of USD 800,000.00 → 98.7%",
                 "12,500 orders: Orders 12,386 of 12,500 → 99.1%",
                 "Convert 3 % of sessions: Conversion rate 2.9% of 3.0% → 95.9%",
                 "95 % shipped within 48 h: On-time shipping rate 90.7% of 95.0% → 95.4%",
                 "Ship in 24 h on average: Time to ship 29.2 h of 24.0 h → 82.1%",
                 "Refunds under 3 %: Refund rate 3.6% of 3.0% → 82.6%"):
        assert line in captions
    # the unit is named where a target is typed, and only there
    for key in ("team_kpi", "kr_kpi"):
        pick = at.selectbox(key=key)
        assert pick.format_func("time_to_ship") == "Time to ship (hours)"
        assert pick.format_func("orders") == "Orders"


def test_an_objective_rolls_up_its_key_result(workspaces: Path) -> None:
    at = demo_page(workspaces)
    demo_objectives = progress_texts(at)
    at.text_input(key="okr_title").set_value("Delight December buyers")
    at.text_input(key="okr_owner").set_value("Wei Zhang")
    at.text_input(key="okr_team").set_value("CRM")
    at.button(key="okr_save").click().run()
    assert [s.value for s in at.success] == ["Objective saved: Delight December buyers."]
    # the key-result form now points at the new objective, not the first listed
    assert at.selectbox(key="kr_objective").format_func(at.selectbox(key="kr_objective").value) \
        == "Delight December buyers"
    at.text_input(key="kr_title").set_value("4,000 orders")
    at.selectbox(key="kr_kpi").set_value("orders")
    at.text_input(key="kr_target").set_value("4000")
    at.button(key="kr_save").click().run()
    assert not at.exception
    assert progress_texts(at) == [*demo_objectives, "Delight December buyers (Wei Zhang, CRM): 58.9%"]
    assert "4,000 orders: Orders 2,355 of 4,000 → 58.9%" in [c.value for c in at.caption]


def test_an_empty_workspace_asks_for_targets(workspaces: Path) -> None:
    at = open_page(PAGE)
    assert [i.value for i in at.info] == ["No targets yet: add one below or upload a targets CSV."]


def test_the_download_is_the_attainment_table(workspaces: Path) -> None:
    from lib.export_cli import to_csv

    demo_copy(workspaces)
    ws = open_workspace(workspaces / "demo.duckdb", create=False)
    try:
        att = team.attainment(ws, MID_DECEMBER)
    finally:
        ws.close()
    table = pd.read_csv(io.StringIO(to_csv(att)))
    assert list(table.columns) == list(att.columns)
    assert len(table) == 60 and table["status"].tolist() == att["status"].tolist()


def test_targets_uploaded_as_csv_get_their_attainment(workspaces: Path) -> None:
    at = demo_page(workspaces)
    csv_bytes = (b"kpi_id,period_start,period_end,owner,team,target\n"
                 b"refund_rate,2025-11-01,2025-11-30,Ana Cruz,CX,0.05\n")
    at.file_uploader(key="team_upload").set_value(("cx_targets.csv", csv_bytes, "text/csv")).run()
    assert not at.exception
    assert rendered(at.success[0].value).startswith("cx_targets.csv: 1 of 1 rows loaded as Shoplens targets")
    row = at.dataframe[0].value.query("Owner == 'Ana Cruz'").iloc[0]
    assert row[["KPI", "Target", "Status"]].tolist() == ["Refund rate", "5.0%", "met"]


def test_a_target_and_an_objective_can_be_removed(workspaces: Path) -> None:
    at = demo_page(workspaces)
    ws_path = workspaces / "demo.duckdb"
    pick = at.selectbox(key="team_remove_pick")
    first = pick.options[0]
    before = len(at.dataframe[0].value)
    at.button(key="team_remove_target").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == [f"Target removed: {first}."]
    assert len(at.dataframe[0].value) == before - 1
    demo_objectives = progress_texts(at)
    at.text_input(key="okr_title").set_value("Short-lived")
    at.text_input(key="okr_owner").set_value("Wei Zhang")
    at.button(key="okr_save").click().run()
    assert [s.value for s in at.success] == ["Objective saved: Short-lived."]
    assert len(progress_texts(at)) == len(demo_objectives) + 1
    new_id = at.session_state["kr_objective"]  # the page points the key-result form at it
    at.selectbox(key="okr_remove_pick").set_value(new_id).run()
    assert at.selectbox(key="okr_remove_pick").format_func(new_id) == "Short-lived"
    at.button(key="okr_remove").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == ["Objective removed: Short-lived."]
    assert progress_texts(at) == demo_objectives
    st.cache_resource.clear()  # restart on the same file: the removals were written
    ws = open_workspace(ws_path, create=False)
    try:
        assert len(team.list_targets(ws)) == before - 1
        assert team.okr_progress(ws)[0]["title"].tolist() == [
            "Bring holiday buyers back", "Ship the peak on time", "Win the holiday quarter"]
    finally:
        ws.close()
