"""Saved scenarios: storage and comparison numbers by hand (the report: test_scenario_report)."""
from __future__ import annotations

import pandas as pd
import pytest

from lib import scenarios as sc
from lib.errors import ShoplensError
from lib.i18n import describe_error
from lib.scenario import WhatIf
from lib.workspace import Workspace

# Three forecast days of 100 each (baseline total 300).
FORECAST = pd.DataFrame({"ds": pd.date_range("2026-01-01", periods=3), "yhat": [100.0] * 3,
                         "yhat_lower": [80.0] * 3, "yhat_upper": [120.0] * 3})
PUSH = sc.Scenario("Spring push", WhatIf(traffic_pct=10), "ads +10 % traffic")
DEAL = sc.Scenario("Deep discount", WhatIf(discount_pct=20, elasticity=-1.5))


def test_saved_scenarios_survive_and_a_name_replaces(ws: Workspace) -> None:
    sc.save_scenario(ws, PUSH)
    sc.save_scenario(ws, DEAL)
    sc.save_scenario(ws, sc.Scenario("Spring push", WhatIf(traffic_pct=20)))  # replaces
    got = {s.name: s for s in sc.list_scenarios(ws)}
    assert set(got) == {"Spring push", "Deep discount"}
    assert got["Spring push"].what_if == WhatIf(traffic_pct=20) and got["Spring push"].note == ""
    assert got["Deep discount"].what_if == DEAL.what_if
    sc.delete_scenario(ws, "Deep discount")
    assert [s.name for s in sc.list_scenarios(ws)] == ["Spring push"]


def test_a_row_that_no_longer_validates_is_skipped(ws: Workspace) -> None:
    sc.save_scenario(ws, PUSH)
    ws.cursor().execute("INSERT INTO scenarios VALUES ('broken', '{\"what_if\": {\"traffic_pct\": -500}}', now())")
    assert [s.name for s in sc.list_scenarios(ws)] == ["Spring push"]


@pytest.mark.parametrize("name", ["", "   ", "x" * 61, "tab\there"])
def test_names_must_be_short_printable_text(name: str) -> None:
    with pytest.raises(ShoplensError) as err:
        sc.Scenario(name)
    assert describe_error(err.value, "zh") == "情景名称须为 1 至 60 个可打印字符。"


def test_comparison_by_hand() -> None:
    net = sc.compare(FORECAST, "net_sales", [PUSH, DEAL])
    # traffic +10 %: × 1.1 → 330; 20 % off with ε −1.5: volume × 1.3, price × 0.8 → × 1.04 → 312
    assert net["total"].tolist() == pytest.approx([330.0, 312.0])
    assert net["baseline"].tolist() == [300.0, 300.0]
    assert net["change"].tolist() == pytest.approx([30.0, 12.0])
    assert net["change_pct"].tolist() == pytest.approx([10.0, 4.0])
    orders = sc.compare(FORECAST, "orders", [DEAL])  # orders follow volume only: × 1.3
    assert orders["total"].tolist() == pytest.approx([390.0])
    paths = sc.paths(FORECAST, "net_sales", [PUSH], "Baseline")
    assert paths.groupby("scenario")["value"].sum().to_dict() == pytest.approx({"Baseline": 300.0, "Spring push": 330.0})


def test_display_table() -> None:
    evil = sc.Scenario("<script>alert(1)</script>", WhatIf(aov_pct=-10), note="a & b")
    table = sc.display_table(sc.compare(FORECAST, "net_sales", [PUSH, evil]), "net_sales", "USD", "en")
    assert table.columns[0] == "Scenario" and table.columns[7:10] == [
        "Baseline total (USD)", "Scenario total (USD)", "Change (USD)"]
    written = table.text_frame()
    assert written.iloc[0].tolist() == ["Spring push", "10", "0", "0", "0", "-1.50", "× 1.1000", "300",
                                        "330", "30", "+10.0%", "ads +10 % traffic"]
    assert written.iloc[1]["Change %"] == "-10.0%"
    assert table.column("Change %") == [10.0, -10.0]  # numbers: the scenarios rank by a click
    # the report's two parts: each keeps its own formats, the levers' and the totals'
    levers = sc.display_table(sc.compare(FORECAST, "net_sales", [PUSH]), "net_sales", "USD", "en",
                              sc.LEVER_COLUMNS)
    assert levers.text_frame().iloc[0].tolist() == ["Spring push", "10", "0", "0", "0", "-1.50", "× 1.1000"]
    outcome = sc.display_table(sc.compare(FORECAST, "net_sales", [PUSH]), "net_sales", "USD", "en",
                               sc.OUTCOME_COLUMNS)
    assert outcome.columns == ["Scenario", "Baseline total (USD)", "Scenario total (USD)", "Change (USD)",
                               "Change %"]
    assert outcome.text_frame().iloc[0].tolist() == ["Spring push", "300", "330", "30", "+10.0%"]