"""The Risk page under AppTest: the demo register and matrix, adding a risk (with a refused
likelihood 7), proposals from the planted conditions, accepting one, and the stress test."""
from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import lib.risk
from lib.export_cli import export_cli
from tests.demo_store import demo_copy, edited_demo_copy
from tests.pages.support import metrics, open_page, rendered
from tests.pages.support import shown as written

PAGE = "app_pages/risk.py"


def matrix_cell(at: AppTest, likelihood: int, impact: int) -> str:
    """The risk ids the matrix chart (the page's first chart) shows in one cell, read from the
    chart's own data (Arrow bytes in the element)."""
    chart = at.get("vega_lite_chart")[0].proto
    assert json.loads(chart.spec)["usermeta"] == {"embedOptions": {"renderer": "svg"}}
    cells = pa.ipc.open_stream(chart.datasets[0].data.data).read_all().to_pandas()
    hit = cells[(cells["likelihood"] == likelihood) & (cells["impact"] == impact)]
    return str(hit["label"].iloc[0])


def test_the_demo_register_and_its_matrix(workspaces: Path) -> None:
    demo_copy(workspaces)
    at = open_page(PAGE)
    assert {k: metrics(at)[k] for k in ("Open risks", "High or critical")} == {
        "Open risks": "7", "High or critical": "3"}
    register = at.dataframe[0].value
    assert register["ID"].tolist()[:3] == ["R01", "R02", "R03"]  # score 12, 12, 12 first
    assert register.loc[0, "Category"] == "Supply chain" and register.loc[0, "Score"] == 12
    assert (matrix_cell(at, 3, 4), matrix_cell(at, 4, 3), matrix_cell(at, 2, 4)) == ("R01, R02", "R03", "R05, R06")
    at.selectbox(key="lang").set_value("zh").run()
    assert not at.exception
    assert at.title[0].value == "风险"
    assert metrics(at)["未关闭风险"] == "7"
    assert at.dataframe[0].value.loc[0, "类别"] == "供应链"


def test_likelihood_7_is_refused_then_the_risk_is_added_and_survives_a_restart(
        workspaces: Path, capsys: pytest.CaptureFixture[str]) -> None:
    demo_copy(workspaces)
    at = open_page(PAGE)
    at.text_input(key="risk_title_new").set_value("Courier strike before Singles' Day")
    at.selectbox(key="risk_category_new").set_value("supply_chain")
    at.number_input(key="risk_likelihood_new").set_value(7)
    at.number_input(key="risk_impact_new").set_value(5)
    at.text_input(key="risk_owner_new").set_value("Tom Okafor")
    at.button(key="risk_save_new").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == ["Likelihood must be a whole number from 1 to 5 (got 7)."]
    assert metrics(at)["Open risks"] == "7"
    at.number_input(key="risk_likelihood_new").set_value(4)
    at.button(key="risk_save_new").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == ["Risk R08 saved."]
    assert metrics(at)["Open risks"] == "8" and metrics(at)["High or critical"] == "4"
    assert matrix_cell(at, 4, 5) == "R08"
    st.cache_resource.clear()  # restart: the app reopens the file
    again = open_page(PAGE)
    assert metrics(again)["Open risks"] == "8"
    assert matrix_cell(again, 4, 5) == "R08"
    st.cache_resource.clear()
    assert export_cli(["--workspace", str(workspaces / "demo.duckdb"), "--what", "risks"]) == 0
    exported = {r["risk_id"]: r for r in json.loads(capsys.readouterr().out)["risks"]}
    assert {k: exported["R08"][k] for k in ("title", "likelihood", "impact", "score", "owner")} == {
        "title": "Courier strike before Singles' Day", "likelihood": 4, "impact": 5, "score": 20,
        "owner": "Tom Okafor"}


def test_the_planted_conditions_are_proposed_with_evidence(workspaces: Path) -> None:
    demo_copy(workspaces)
    at = open_page(PAGE)
    shown = [m.value for m in at.markdown]
    assert shown[:2] == [
        "**Stock-out: Linen Napkins (Set of 4) (LL-LIN-004)**",
        "Stock 105 covers 6.0 days at 17.6 units a day (average of the last 28 days); the lead "
        "time is 30 days, in which about 529 units sell. Chance of running out before a new order "
        "arrives, from the forecast: 100%."]
    assert "**Revenue concentrated on LL-TEA-001**" in shown
    assert ("LL-TEA-001 brings 30.0% of revenue; the top 5 SKUs 55.7%. Herfindahl index over "
            "SKUs: 0.116.") in shown
    assert "**Refund spike: LL-TWR-002, 2025-08-04 to 2025-08-31**" in shown
    assert "40.3% of 206 orders were refunded in that window, against 4.3% usually (z = 25.5)." in shown
    assert "Suggested: likelihood 5 × impact 4 = 20 (critical) · Supply chain" in [c.value for c in at.caption]
    conc = written(at.dataframe[1]).set_index("By")
    assert conc.loc["SKUs", ["Top 1 share", "Top 5 share"]].tolist() == ["30.0%", "55.7%"]
    assert conc.loc["Channels", "Top 1 share"] == "63.4%"
    assert conc.loc["SKUs", "Herfindahl index"] == "0.116"  # as the proposal above says
    cover = written(at.dataframe[2])
    assert at.dataframe[2].value["Days of cover"].is_monotonic_increasing  # numbers, least cover first
    # the proposal's figures: stock 105, 17.6 units a day, 6.0 days, ~529 units over 30 days
    assert cover.iloc[0][["SKU", "Stock", "Lead time (days)", "Units per day", "Days of cover",
                          "Demand over lead time", "Below lead-time demand"]].tolist() == [
        "LL-LIN-004", "105", "30", "17.6", "6.0", "529", "⚠"]


def test_a_product_name_written_as_markdown_is_proposed_as_typed(workspaces: Path) -> None:
    """RELIABILITY D7: the name comes from the products file; the proposal shows it literally
    (escaped for Streamlit's markdown) and stores it in the register as it is."""
    from lib import risk
    from lib.workspace import open_workspace

    hostile = "**Napkins** [win](javascript:alert(1)) :red[sale]"
    edited_demo_copy(workspaces, ("UPDATE products SET name = ? WHERE sku = 'LL-LIN-004'", [hostile]))
    at = open_page(PAGE)
    title = at.markdown[0].value
    assert title == ("**Stock-out: \\*\\*Napkins\\*\\* \\[win\\](javascript\\:alert(1)) "
                     "\\:red\\[sale\\] (LL-LIN-004)**")
    at.button(key="risk_accept_stockout_LL-LIN-004").click().run()
    assert not at.exception
    st.cache_resource.clear()  # release the app's connection to read the file
    ws = open_workspace(workspaces / "demo.duckdb", create=False)
    try:
        stored = risk.list_risks(ws, include_closed=True)
    finally:
        ws.close()
    assert f"Stock-out: {hostile} (LL-LIN-004)" in stored["title"].tolist()


def test_the_concentration_is_computed_once_per_data_version(
        workspaces: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """ui.cached.risk_tables: a rerun reads the cache (the concentration's SQL is the page's
    costliest; stock cover is also read by the proposals and the stress test)."""
    demo_copy(workspaces)
    calls: list[object] = []
    real = lib.risk.concentration
    monkeypatch.setattr(lib.risk, "concentration", lambda *a, **k: calls.append(a) or real(*a, **k))
    at = open_page(PAGE)
    assert len(calls) == 2  # the proposals' concentration rule, and the page's table
    shown_before = [df.value.to_dict() for df in at.dataframe]
    at.run()
    assert len(calls) == 2
    assert [df.value.to_dict() for df in at.dataframe] == shown_before


def test_accepting_a_proposal_adds_it_to_the_register_once(workspaces: Path) -> None:
    demo_copy(workspaces)
    at = open_page(PAGE)
    at.button(key="risk_accept_stockout_LL-LIN-004").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == ["Added to the register as R08."]
    assert metrics(at)["Open risks"] == "8"
    assert matrix_cell(at, 5, 4) == "R08"
    assert "**Stock-out: Linen Napkins (Set of 4) (LL-LIN-004)**" not in [m.value for m in at.markdown]


def test_the_stress_test_against_the_baseline(workspaces: Path) -> None:
    demo_copy(workspaces)
    at = open_page(PAGE)
    assert {k: metrics(at)[k] for k in ("Revenue", "SKUs that would stock out")} == {
        "Revenue": "USD 237,388", "SKUs that would stock out": "1"}
    # untouched sliders: no change to show, so no green arrow over 'USD 0' or '+0.0 pp'
    assert [m.delta for m in at.metric if m.label in ("Revenue", "Margin", "Margin rate",
                                                         "SKUs that would stock out")] == [""] * 4
    assert not [c for c in at.caption if c.value.startswith("No cost of goods")]  # the demo has costs
    at.slider(key="risk_demand_shock").set_value(30).run()
    at.slider(key="risk_supplier_delay").set_value(20).run()
    assert not at.exception
    revenue = next(m for m in at.metric if m.label == "Revenue")
    assert (revenue.value, revenue.delta) == ("USD 308,604", "+USD 71,216")
    stockouts = next(m for m in at.metric if m.label == "SKUs that would stock out")
    assert int(stockouts.value) > 1 and stockouts.delta == f"+{int(stockouts.value) - 1}"
    assert any(c.value.startswith("Would stock out: ") and "LL-LIN-004" in c.value for c in at.caption)


def test_a_sku_written_as_markdown_is_listed_as_typed_in_the_stress_test(workspaces: Path) -> None:
    """RELIABILITY D7: SKUs come from files; the stock-out list shows them literally."""
    hostile = "[x](javascript:alert(1))"
    edited_demo_copy(workspaces, ("UPDATE products SET sku = ? WHERE sku = 'LL-LIN-004'", [hostile]),
                     ("UPDATE order_lines SET sku = ? WHERE sku = 'LL-LIN-004'", [hostile]))
    at = open_page(PAGE)
    [listed] = [c.value for c in at.caption if c.value.startswith("Would stock out: ")]
    assert listed == "Would stock out: \\[x\\](javascript\\:alert(1))"
    assert rendered(listed) == f"Would stock out: {hostile}"


def test_an_empty_workspace_has_an_empty_register(workspaces: Path) -> None:
    at = open_page(PAGE)
    assert metrics(at)["Open risks"] == "0"
    assert "No risks in the register yet." in [c.value for c in at.caption]
    assert "The data raises no new risks." in [i.value for i in at.info]


def test_checks_the_data_cannot_support_are_named(workspaces: Path, tmp_path: Path) -> None:
    """CDNOW: purchases only. What the data raises (one channel) is listed with the checks that
    could not run, so a short list does not read as a clean bill."""
    from tests.pages.metrics_support import real_workspace

    real_workspace("cdnow", tmp_path, workspaces)
    at = open_page(PAGE)
    assert not at.exception
    assert "**Revenue concentrated on one channel: cdnow**" in [m.value for m in at.markdown]
    assert ("Not checked, for want of data:\n"
            "- stock-outs: no stock levels with lead times are loaded\n"
            "- SKU concentration: the order lines name no SKU\n"
            "- supplier concentration: no product names its supplier\n"
            "- refund spikes: the exports loaded do not record refunds\n"
            "- cancellation spikes: the exports loaded do not record cancellations\n"
            "- shipping delays: the orders have no payment and shipment times") in [
        c.value for c in at.caption]
