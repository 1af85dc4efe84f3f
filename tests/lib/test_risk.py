"""Risk: the register and its validation, the matrix, risks the data raises (checked against the
demo's planted stock-out, concentrated SKU and refund spike) and the stress test."""
from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest

from lib import risk
from lib.errors import ShoplensError
from lib.export_cli import export_cli
from lib.i18n import describe_error, t
from lib.ingest.load import ingest_path
from lib.workspace import Workspace, open_workspace
from tests.demo_store import demo, demo_copy
from tests.pages.support import SHOPIFY


LATE_TEA = risk.Risk("Tea harvest arrives late", "supply_chain", 3, 4, "Tom", "mitigate",
                     "Order 6 weeks earlier", "open", date(2026, 2, 1))


# -- the register -------------------------------------------------------------------------------
def test_a_risk_is_saved_scored_and_placed_on_the_matrix(ws: Workspace) -> None:
    rid = risk.save_risk(ws, LATE_TEA)
    assert rid == "R01"
    assert risk.save_risk(ws, risk.Risk("Card fees rise", "Finance", 2, 2, response="Accept")) == "R02"
    reg = risk.list_risks(ws)
    assert list(reg.columns) == list(risk.RISK_COLUMNS)
    assert reg[["risk_id", "category", "score", "response"]].values.tolist() == [
        ["R01", "supply_chain", 12, "mitigate"], ["R02", "finance", 4, "accept"]]
    cells = risk.risk_matrix(reg)
    assert len(cells) == 25 and cells["count"].sum() == 2
    assert cells.set_index(["likelihood", "impact"]).loc[(3, 4), "risk_ids"] == "R01"
    assert [risk.level(s) for s in (4, 5, 12, 20)] == ["low", "medium", "high", "critical"]


def test_editing_and_closing_a_risk(ws: Workspace) -> None:
    rid = risk.save_risk(ws, LATE_TEA)
    risk.save_risk(ws, risk.Risk(**{**LATE_TEA.__dict__, "likelihood": 5, "risk_id": rid}))
    assert risk.get_risk(ws, rid).score == 20
    risk.close_risk(ws, rid)
    assert risk.list_risks(ws, include_closed=False).empty
    assert risk.list_risks(ws)["status"].tolist() == ["closed"]
    with pytest.raises(ShoplensError) as err:
        risk.close_risk(ws, "R99")
    assert err.value.key == "risk.not_found"


@pytest.mark.parametrize(("change", "key", "english", "chinese"), [
    ({"likelihood": 7}, "risk.bad_likelihood", "Likelihood must be a whole number from 1 to 5 (got 7).",
     "可能性必须是 1 到 5 之间的整数（当前为 7）。"),
    ({"impact": 2.5}, "risk.bad_impact", "Impact must be a whole number from 1 to 5 (got 2.5).",
     "影响必须是 1 到 5 之间的整数（当前为 2.5）。"),
    ({"category": "weather"}, "risk.bad_category",
     "“weather” is not a risk category: use market, technology, management, legal & compliance, "
     "supply chain or finance.", "“weather” 不是风险类别：请使用市场、技术、管理、法律与合规、供应链或财务。"),
    ({"response": "ignore"}, "risk.bad_response",
     "“ignore” is not a response: use avoid, transfer, mitigate or accept.",
     "“ignore” 不是应对策略：请使用规避、转移、缓解或接受。"),
    ({"title": " "}, "risk.title_required", "Give the risk a title.", "请填写风险标题。"),
])
def test_invalid_risks_get_a_clear_translated_message(ws: Workspace, change: dict, key: str,
                                                      english: str, chinese: str) -> None:
    with pytest.raises(ShoplensError) as err:
        risk.save_risk(ws, risk.Risk(**{**LATE_TEA.__dict__, **change}))
    assert err.value.key == key
    assert (describe_error(err.value, "en"), describe_error(err.value, "zh")) == (english, chinese)
    assert risk.list_risks(ws).empty


def test_categories_accept_the_guides_spelling(ws: Workspace) -> None:
    rid = risk.save_risk(ws, risk.Risk("New privacy law", "Legal & compliance", 2, 5))
    assert risk.get_risk(ws, rid).category == "legal_compliance"


def test_a_risk_survives_a_restart_and_is_exported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "shop.duckdb"
    ws = open_workspace(path)
    rid = risk.save_risk(ws, LATE_TEA)
    ws.close()
    assert export_cli(["--workspace", str(path), "--what", "risks"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["risks"] == [{"risk_id": rid, "title": "Tea harvest arrives late", "category": "supply_chain",
                             "likelihood": 3, "impact": 4, "score": 12, "owner": "Tom",
                             "response": "mitigate", "mitigation": "Order 6 weeks earlier",
                             "status": "open", "review_on": "2026-02-01"}]
    assert export_cli(["--workspace", str(path), "--what", "risks", "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[1].startswith("R01,Tea harvest arrives late,supply_chain,3,4,12,")
    assert export_cli(["--workspace", str(tmp_path / "none.duckdb")]) == 2
    assert "No workspace" in capsys.readouterr().err


# -- the demo's planted conditions ------------------------------------------------------------
def test_the_demo_register_holds_the_imported_risks(demo_ws: Workspace) -> None:
    reg = risk.list_risks(demo_ws)
    assert sorted(reg["risk_id"]) == [f"R0{i}" for i in range(1, 8)]
    assert set(reg["category"]) == {"market", "technology", "management", "legal_compliance",
                                    "supply_chain", "finance"}


def test_the_planted_stockout_sku_is_the_only_one_below_lead_time_demand(demo_ws: Workspace, truth: dict) -> None:
    s = truth["stockout_sku"]
    cover = risk.stock_cover(demo_ws).set_index("sku")
    row = cover.loc[s["sku"]]
    assert (row["stock"], row["lead_time_days"]) == (s["stock_on_hand"], s["lead_time_days"])
    assert row["daily_units"] == pytest.approx(s["recent_daily_units"], abs=0.001)
    assert row["days_of_cover"] == pytest.approx(s["days_of_cover"], abs=0.05)
    assert sorted(cover.index[cover["at_risk"]]) == s["all_skus_below_lead_time_demand"]
    rows = risk.stockout_rows(demo_ws)
    assert [r.sku for r in rows] == [s["sku"]]
    assert rows[0].probability is not None and rows[0].probability >= 0.95  # from lib.forecast


def test_without_the_forecast_the_estimate_says_it_is_from_average_demand(demo_ws: Workspace) -> None:
    rows = risk.stockout_rows(demo_ws, use_forecast=False)
    assert rows[0].probability is None
    p = next(p for p in risk.propose(demo_ws, use_forecast=False, anomalies=False) if p.rule == "stockout")
    assert p.evidence_key == "proposal.stockout.evidence_avg"
    assert t(p.evidence_key, "en", **p.params) == (
        "Stock 105 covers 6.0 days at 17.6 units a day (average of the last 28 days); the lead "
        "time is 30 days, in which about 529 units sell. Estimate from recent average demand (no "
        "forecast available).")


def test_the_concentrated_sku_has_the_planted_revenue_share(demo_ws: Workspace, truth: dict) -> None:
    c = truth["concentrated_sku"]
    conc = risk.concentration(demo_ws)
    assert conc.sku["key"].iloc[0] == c["sku"]
    assert conc.top("sku") == pytest.approx(c["revenue_share"], abs=0.0005)
    assert conc.sku["share"].sum() == pytest.approx(1.0)
    assert conc.hhi_sku == pytest.approx(float((conc.sku["share"] ** 2).sum()))
    assert conc.top("sku", 5) > conc.top("sku")
    top_supplier = conc.supplier.iloc[0]
    assert (top_supplier["key"], int(top_supplier["skus"])) == ("Hangzhou Chayuan Trading Co.", 25)
    assert conc.channel["key"].tolist() == ["shopify", "taobao"]
    table = risk.concentration_table(conc).set_index("dimension")
    assert table.loc["sku", "top1"] == conc.top("sku") and table.loc["sku", "hhi"] == pytest.approx(conc.hhi_sku)
    assert table.loc["channel", "top5"] == pytest.approx(1.0)  # two channels: all of it


def test_the_refund_spike_is_found_with_its_window_and_rates(demo_ws: Workspace, truth: dict) -> None:
    r = truth["refund_spike"]
    spikes = risk.refund_spikes(demo_ws)
    top = spikes.iloc[0]
    assert (top["key"], top["start"].isoformat(), top["end"].isoformat()) == (
        r["sku"], r["window_start"], r["window_end"])
    assert top["n"] == r["shopify"]["orders_inside"] + r["taobao"]["orders_inside"]
    assert top["rate"] == pytest.approx(r["refund_rate_inside"], abs=0.005)
    assert top["base_rate"] == pytest.approx(r["refund_rate_outside"], abs=0.005)


def test_proposals_carry_the_planted_conditions_first(demo_ws: Workspace, truth: dict) -> None:
    found = risk.propose(demo_ws)
    subjects = {(p.rule, p.subject) for p in found}
    assert ("stockout", truth["stockout_sku"]["sku"]) in subjects
    assert ("concentration_sku", truth["concentrated_sku"]["sku"]) in subjects
    assert ("refund_spike", f"{truth['refund_spike']['sku']}|{truth['refund_spike']['window_start']}") in subjects
    assert found[0].rule == "stockout" and found[0].score == 20
    assert all(a.score >= b.score for a, b in zip(found, found[1:]))
    for p in found:  # every proposal renders in both languages
        for lang in ("en", "zh"):
            assert t(p.title_key, lang, **p.params) and t(p.evidence_key, lang, **p.params)


def test_an_accepted_proposal_enters_the_register_once(tmp_path: Path, truth: dict) -> None:
    path = demo_copy(tmp_path)
    ws = open_workspace(path)
    p = next(p for p in risk.propose(ws, anomalies=False) if p.rule == "concentration_sku")
    title, evidence = t(p.title_key, "en", **p.params), t(p.evidence_key, "en", **p.params)
    rid = risk.accept_proposal(ws, p, title, evidence, review_on=date(2026, 3, 1))
    assert rid == "R08"
    ws.close()
    ws = open_workspace(path)
    new = risk.get_risk(ws, rid)
    assert (new.title, new.category, new.likelihood, new.impact) == (
        f"Revenue concentrated on {truth['concentrated_sku']['sku']}", "market", 3, 4)
    assert all(q.rule != "concentration_sku" for q in risk.propose(ws, anomalies=False))
    ws.close()


def test_rejected_rows_of_the_latest_import_are_a_data_risk(ws: Workspace, tmp_path: Path) -> None:
    bad = tmp_path / "orders.csv"
    bad.write_text(SHOPIFY.replace(",1,Widget,20.00,", ",x,Widget,20.00,"), encoding="utf-8")
    ingest_path(ws, bad, "orders.csv")
    data = [p for p in risk.propose(ws, use_forecast=False, anomalies=False) if p.rule == "data"]
    assert len(data) == 1
    assert t(data[0].evidence_key, "en", **data[0].params).startswith("1 of 4 rows were rejected")


def test_rate_spikes_merge_consecutive_unusual_weeks() -> None:
    weeks = pd.date_range("2025-01-06", periods=20, freq="7D").date
    events = [2] * 20
    events[10] = events[11] = 20
    weekly = pd.DataFrame({"key": "X", "week": weeks, "n": 50, "events": events})
    spikes = risk.rate_spikes(weekly)
    assert len(spikes) == 1
    s = spikes.iloc[0]
    assert (s["start"], s["end"]) == (weeks[10], weeks[11] + timedelta(days=6))
    assert (s["n"], s["events"]) == (100, 40)
    assert (s["rate"], s["base_rate"]) == (0.4, 36 / 900)


# -- stress test ----------------------------------------------------------------------------------
def test_no_shock_leaves_the_baseline_unchanged(demo_ws: Workspace) -> None:
    res = risk.stress_test(demo_ws)
    assert res.scenario == res.baseline
    assert res.currency == "USD" and res.days == 28
    assert res.baseline.stockouts == 1 and res.stockout_skus == ("LL-LIN-004",)


def test_shocks_move_revenue_margin_and_stockouts(demo_ws: Workspace) -> None:
    base = risk.stress_test(demo_ws).baseline
    up = risk.stress_test(demo_ws, demand_shock=0.3).scenario
    assert up.revenue == pytest.approx(base.revenue * 1.3)
    assert up.cost_of_goods == pytest.approx(base.cost_of_goods * 1.3)
    dearer = risk.stress_test(demo_ws, cost_increase=0.5).scenario
    assert dearer.fees_and_ads == pytest.approx(base.fees_and_ads * 1.5)
    assert dearer.margin == pytest.approx(base.margin - 0.5 * base.fees_and_ads)
    late = risk.stress_test(demo_ws, supplier_delay_days=20, demand_shock=0.3)
    assert late.scenario.stockouts > base.stockouts and "LL-LIN-004" in late.stockout_skus
    with pytest.raises(ShoplensError) as err:
        risk.stress_test(demo_ws, discount_depth=1.5)
    assert err.value.key == "risk.bad_stress"


def test_fees_and_ads_are_the_marketing_spend_in_usd(demo_ws: Workspace) -> None:
    import csv

    src, truth = demo()
    rate = truth["fx_rate_to_usd"]
    currency = {"shopify": "USD", "taobao": "CNY"}
    with open(src.parent / "exports" / "marketing.csv", encoding="utf-8") as f:
        spend = sum(float(r["spend"]) * rate[currency[r["channel"]]] for r in csv.DictReader(f)
                    if "2025-12-04" <= r["date"] <= "2025-12-31")
    base = risk.stress_test(demo_ws).baseline
    assert base.fees_and_ads == pytest.approx(spend, abs=0.01)  # the demo exports no platform fees
    assert base.margin == pytest.approx(base.revenue - base.cost_of_goods - base.fees_and_ads)


def test_checks_without_their_data_are_named_not_passed(demo_ws: Workspace, tmp_path: Path) -> None:
    """The demo has stock, suppliers, refunds, cancellations and shipment times: every check
    runs. CDNOW (purchases only) has none of them: 'no new risks' would speak for six checks
    that could not look."""
    assert risk.unchecked(demo_ws) == []
    ws = open_workspace(tmp_path / "cdnow.duckdb")
    try:
        path = tmp_path / "CDNOW_master.txt"
        path.write_bytes(b" customer_id  date  number_of_cds  dollar_value\r\n"
                         b" 00001 19970101 1  11.77\r\n 00002 19970102 2  20.00\r\n")
        assert [r.status for r in ingest_path(ws, path)] == ["loaded"]
        missing = risk.unchecked(ws)
        assert missing == ["stockout", "concentration_sku", "concentration_supplier",
                           "refund_spike", "cancel_spike", "sla_trend"]
        assert all(t(f"risk.unchecked.{c}", lang) != f"risk.unchecked.{c}"
                   for c in missing for lang in ("en", "zh"))
    finally:
        ws.close()
