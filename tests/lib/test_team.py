"""Team KPIs: metric values, targets with attainment and pacing, OKRs, the team view, export."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from lib import team
from lib.errors import ShoplensError
from lib.export_cli import export_cli
from lib.i18n import describe_error
from lib.ingest.load import ingest_path
from lib.metrics.core import Filters, compute_core_kpis
from lib.workspace import Workspace, open_workspace
from tests.demo_store import demo, demo_copy
from tests.lib.team_oracle import oracle_daily, oracle_values
from tests.pages.support import SHOPIFY

JAN = Filters(start=date(2025, 1, 1), end=date(2025, 1, 31))


@pytest.fixture
def mini(ws: Workspace, tmp_path: Path) -> Workspace:
    """The hand-computed Shopify miniature of tests/pages/support.py."""
    f = tmp_path / "orders.csv"
    f.write_text(SHOPIFY, encoding="utf-8")
    ingest_path(ws, f, "orders.csv")
    return ws


# -- metric values ------------------------------------------------------------------------------
def test_hand_computed_values_of_the_miniature(mini: Workspace) -> None:
    v = team.metric_values(mini, Filters())
    # 3 orders, gross 70, discounts 2, refunds 10 (order #1003), customers a and b.
    assert {k: v[k] for k in ("orders", "gross_sales", "net_sales", "units", "customers")} == {
        "orders": 3.0, "gross_sales": 70.0, "net_sales": 58.0, "units": 5.0, "customers": 2.0}
    assert v["avg_order_value"] == pytest.approx(68 / 3, abs=0.005)  # money: to the cent
    assert v["refund_rate"] == pytest.approx(1 / 3)
    assert v["repeat_customer_rate"] == 0.5 and v["cancel_rate"] == 0.0
    # No Fulfilled at, no traffic, no unit costs: those metrics have no value, never 0.
    assert (v["on_time_ship_rate"], v["time_to_ship"], v["conversion_rate"]) == (None, None, None)


def test_values_agree_with_the_foundation_kpis(demo_ws: Workspace) -> None:
    k = compute_core_kpis(demo_ws, JAN)
    v = team.metric_values(demo_ws, JAN)
    assert v["orders"] == k.orders and v["customers"] == k.customers
    assert v["net_sales"] == pytest.approx(float(k.net_sales), abs=0.01)
    assert v["gross_sales"] == pytest.approx(float(k.gross_sales), abs=0.01)
    assert v["avg_order_value"] == pytest.approx(float(k.avg_order_value), abs=0.005)
    assert v["repeat_customer_rate"] == pytest.approx(k.repeat_customer_rate)


def test_many_spans_in_one_engine_call_give_each_span_s_own_values(
        demo_ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """values_by_span (attainment, OKRs): one compute for every span, each span's values those
    of the independent SQL for that span alone; a repeated span is computed once."""
    spans = [(date(2025, 1, 1), date(2025, 1, 31)), (date(2024, 11, 11), date(2024, 11, 11)),
             (date(2025, 1, 1), date(2025, 1, 31)), (date(2024, 6, 1), date(2024, 8, 31))]
    calls: list[int] = []
    real = team.compute

    def counted(*args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        calls.append(len(kwargs["periods"]))  # type: ignore[arg-type]
        return real(*args, **kwargs)

    monkeypatch.setattr(team, "compute", counted)
    got = team.values_by_span(demo_ws, spans)
    assert calls == [3] and set(got) == set(spans)
    for lo, hi in set(spans):
        local = oracle_values(demo_ws, Filters(start=lo, end=hi), team.METRIC_IDS)
        for metric in team.METRIC_IDS:
            assert got[(lo, hi)][metric] == pytest.approx(local[metric], abs=0.005), (lo, metric)
    assert team.values_by_span(demo_ws, []) == {}


def test_daily_values_add_up_to_the_period(demo_ws: Workspace) -> None:
    daily = team.metric_daily(demo_ws, "net_sales", JAN)
    assert len(daily) == 31
    assert daily["value"].sum() == pytest.approx(team.metric_value(demo_ws, "net_sales", JAN))


def test_the_catalogue_engine_agrees_with_independent_sql(demo_ws: Workspace) -> None:
    """Every team metric from the engine equals the same meaning written as separate SQL."""
    engine = team.metric_values(demo_ws, JAN)
    local = oracle_values(demo_ws, JAN, team.METRIC_IDS)
    assert engine.keys() == local.keys() == set(team.METRIC_IDS)
    for metric in team.METRIC_IDS:
        assert engine[metric] == pytest.approx(local[metric], abs=0.005), metric
    daily_e = team.metric_daily(demo_ws, "refund_rate", JAN)
    daily_l = oracle_daily(demo_ws, "refund_rate", JAN)
    assert daily_e["day"].tolist() == daily_l["day"].tolist()
    assert daily_e["value"].tolist() == pytest.approx(daily_l["value"].tolist())


def test_metric_ids_units_and_directions_come_from_the_catalogue() -> None:
    catalogue = pytest.importorskip("lib.metrics.catalogue").load_catalogue()
    assert tuple(team.METRICS) == team.METRIC_IDS
    for metric in team.METRICS.values():
        assert catalogue[metric.id].higher_is_better == metric.higher_is_better, metric.id
    assert {m.id: m.unit for m in team.METRICS.values() if m.unit != "count"} == {
        "net_sales": "money", "gross_sales": "money", "avg_order_value": "money",
        "repeat_customer_rate": "rate", "refund_rate": "rate", "cancel_rate": "rate",
        "on_time_ship_rate": "rate", "time_to_ship": "hours", "conversion_rate": "rate",
        "gross_margin_rate": "rate"}
    assert [m.id for m in team.METRICS.values() if m.additive] == ["net_sales", "gross_sales", "orders", "units"]
    assert not team.METRICS["refund_rate"].higher_is_better and team.METRICS["orders"].higher_is_better


def test_a_catalogue_metric_without_a_direction_cannot_be_a_target() -> None:
    from dataclasses import replace as dc_replace

    from lib.metrics.catalogue import load_catalogue

    cat = load_catalogue()
    broken = {mid: cat[mid] for mid in team.METRIC_IDS}
    broken["orders"] = dc_replace(broken["orders"], higher_is_better=None)
    with pytest.raises(ValueError, match="orders"):
        team._metric_info(broken)  # type: ignore[arg-type]


# -- targets --------------------------------------------------------------------------------------
def test_attainment_is_computed_from_the_data(demo_ws: Workspace) -> None:
    att = team.attainment(demo_ws, as_of=date(2025, 12, 15)).set_index(["kpi_id", "period_start"])
    jan = att.loc[("orders", date(2025, 1, 1))]
    assert (jan["target"], jan["actual"], jan["status"]) == (3400, 3197, "missed")
    assert jan["attainment"] == pytest.approx(3197 / 3400)
    dec = att.loc[("net_sales", date(2025, 12, 1))]
    so_far = team.metric_value(demo_ws, "net_sales", Filters(start=date(2025, 12, 1), end=date(2025, 12, 15)))
    assert dec["actual"] == pytest.approx(so_far)
    assert dec["projected"] == pytest.approx(so_far * 31 / 15)  # at this pace, to month end
    assert dec["pacing"] == pytest.approx(so_far * 31 / 15 / 289000)
    assert dec["elapsed_share"] == pytest.approx(15 / 31)
    assert dec["status"] == ("on_track" if dec["pacing"] >= 0.95 else "at_risk")
    rate = att.loc[("on_time_ship_rate", date(2025, 12, 1))]
    assert rate["projected"] == rate["actual"]  # rates are not extrapolated
    assert set(att["status"]) <= {"met", "missed", "on_track", "at_risk"}


def test_lower_is_better_attainment_inverts(ws: Workspace, mini: Workspace) -> None:
    team.save_target(mini, "refund_rate", date(2024, 1, 1), date(2024, 1, 31), "Ana", "CX", "0.25")
    row = team.attainment(mini, as_of=date(2024, 1, 31)).iloc[0]
    assert row["actual"] == pytest.approx(1 / 3)
    assert row["attainment"] == pytest.approx(0.25 / (1 / 3))
    assert row["status"] == "missed"


def test_attainment_and_okrs_take_their_values_from_the_function_given(mini: Workspace) -> None:
    """The app hands a cached values_by_span (ui/cached.span_values): whatever it returns is
    what attainment and OKR progress are computed from, asked once each with the spans due."""
    team.save_target(mini, "orders", date(2024, 1, 1), date(2024, 1, 31), "Ana", "", "4")
    asked: list[tuple[list[tuple[date, date]], tuple[str, ...]]] = []

    def values_of(ws, spans, channels):  # type: ignore[no-untyped-def]
        asked.append((spans, channels))
        return {s: {m: 1.0 for m in team.METRIC_IDS} for s in spans}

    row = team.attainment(mini, as_of=date(2024, 1, 31), values_of=values_of).iloc[0]
    assert (row["actual"], row["attainment"]) == (1.0, 0.25)
    assert asked == [([(date(2024, 1, 1), date(2024, 1, 31))], ())]
    row = team.attainment(mini, as_of=date(2024, 1, 31)).iloc[0]  # the default: the data's 3
    assert (row["actual"], row["attainment"]) == (3.0, 0.75)
    oid = team.save_objective(mini, "Grow", "Ana", "", date(2024, 1, 1), date(2024, 1, 31))
    team.save_key_result(mini, oid, "Orders", "orders", "2")
    asked.clear()
    _, krs = team.okr_progress(mini, as_of=date(2024, 1, 31), values_of=values_of)
    assert (krs.iloc[0]["actual"], krs.iloc[0]["progress"]) == (1.0, 0.5)
    assert asked == [([(date(2024, 1, 1), date(2024, 1, 31))], ())]


@pytest.mark.parametrize(("args", "key", "english"), [
    (("revenue_per_visit", date(2025, 1, 1), date(2025, 1, 31), "Ana", "", "10"), "team.unknown_metric",
     "“revenue_per_visit” is not a KPI of the catalogue. Use one of: net_sales, gross_sales, orders"),
    (("orders", date(2025, 1, 31), date(2025, 1, 1), "Ana", "", "10"), "team.bad_period",
     "The end date 2025-01-01 is before the start date 2025-01-31."),
    (("orders", date(2025, 1, 1), date(2025, 1, 31), "Ana", "", "lots"), "team.bad_number",
     "“lots” is not a number."),
    (("orders", date(2025, 1, 1), date(2025, 1, 31), " ", "", "10"), "team.owner_required",
     "Say who owns this target."),
])
def test_invalid_targets_get_a_clear_translated_message(ws: Workspace, args: tuple, key: str,
                                                        english: str) -> None:
    with pytest.raises(ShoplensError) as err:
        team.save_target(ws, *args)
    assert err.value.key == key
    assert describe_error(err.value, "en").startswith(english)
    assert not describe_error(err.value, "zh").startswith("出现问题")
    assert team.list_targets(ws).empty


def test_a_target_survives_a_restart_and_is_exported_with_attainment(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "mini.duckdb"
    ws = open_workspace(path)
    f = tmp_path / "orders.csv"
    f.write_text(SHOPIFY, encoding="utf-8")
    ingest_path(ws, f, "orders.csv")
    team.save_target(ws, "net_sales", date(2024, 1, 1), date(2024, 1, 31), "Mara", "Growth", "50")
    team.save_target(ws, "net_sales", date(2024, 1, 1), date(2024, 1, 31), "Mara", "Growth", "100")  # replaces
    ws.close()
    assert export_cli(["--workspace", str(path), "--what", "targets", "--as-of", "2024-01-31"]) == 0
    rows = json.loads(capsys.readouterr().out)["targets"]
    assert [(r["kpi_id"], r["owner"], r["team"], r["target"], r["actual"], r["attainment"], r["status"])
            for r in rows] == [("net_sales", "Mara", "Growth", 100.0, 58.0, 0.58, "missed")]
    assert export_cli(["--workspace", str(path), "--what", "all", "--format", "csv"]) == 2


def test_an_uploaded_target_with_an_unknown_kpi_is_flagged(ws: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "targets.csv"
    f.write_text("kpi_id,period_start,period_end,owner,team,target\n"
                 "happiness,2025-01-01,2025-01-31,Ana,CX,9\n", encoding="utf-8")
    assert [r.status for r in ingest_path(ws, f, "targets.csv")] == ["loaded"]
    assert team.attainment(ws, as_of=date(2025, 2, 1))["status"].tolist() == ["unknown_metric"]


def test_team_view_counts_what_each_owner_holds(demo_ws: Workspace) -> None:
    att = team.attainment(demo_ws, as_of=date(2025, 12, 15))
    view = team.team_view(att).set_index("owner")
    assert view["targets"].sum() == len(att) == 60
    assert view.loc["Mara Lin", "team"] == "Growth" and view.loc["Mara Lin", "targets"] == 12
    for owner, row in view.iterrows():
        mine = att[att["owner"] == owner]
        assert row["met"] == (mine["status"] == "met").sum()
        assert row["mean_attainment"] == pytest.approx(mine["attainment"].mean())


# -- OKRs -----------------------------------------------------------------------------------------
def test_key_results_roll_up_to_their_objective(tmp_path: Path) -> None:
    path = demo_copy(tmp_path)
    ws = open_workspace(path)
    oid = team.save_objective(ws, "Grow January", "Mara Lin", "Growth", date(2025, 1, 1), date(2025, 1, 31))
    team.save_key_result(ws, oid, "3,000 orders", "orders", 3000)
    team.save_key_result(ws, oid, "Refunds under 2%", "refund_rate", "0.02")
    ws.close()
    ws = open_workspace(path)
    objectives, krs = team.okr_progress(ws)
    objectives, krs = objectives.set_index("objective_id"), krs[krs["objective_id"] == oid]
    jan = team.metric_values(ws, JAN)
    assert krs["progress"].tolist() == [1.0, pytest.approx(0.02 / jan["refund_rate"])]  # orders capped at 100 %
    assert objectives.loc[oid, "progress"] == pytest.approx((1.0 + 0.02 / jan["refund_rate"]) / 2)
    assert objectives.loc[oid, "key_results"] == 2
    demo_objectives = len(objectives) - 1  # the demo's own (sample_data/build_demo.DEMO_OBJECTIVES)
    with pytest.raises(ShoplensError) as err:
        team.save_key_result(ws, oid, "x", "vibes", 1)
    assert err.value.key == "team.unknown_metric"
    with pytest.raises(ShoplensError) as err:
        team.save_objective(ws, "Backwards", "", "", date(2025, 2, 1), date(2025, 1, 1))
    assert err.value.key == "team.bad_period"
    team.delete_objective(ws, oid)
    objectives, krs = team.okr_progress(ws)
    assert oid not in objectives["objective_id"].tolist() and oid not in krs["objective_id"].tolist()
    assert len(objectives) == demo_objectives == 3
    ws.close()


def test_format_metric_by_unit() -> None:
    assert team.format_metric("net_sales", 1234.5, "USD") == "USD 1,234.50"
    assert team.format_metric("orders", 3197.0) == "3,197"
    assert team.format_metric("refund_rate", 0.0419) == "4.2%"
    assert team.format_metric("refund_rate", -0.028, signed=True) == "-2.8 pp"
    assert team.format_metric("time_to_ship", 30.49) == "30.5 h"
    assert team.format_metric("time_to_ship", 30.49, lang="zh") == "30.5 小时"  # as the cards write it
    assert team.format_metric("time_to_ship", 8, signed=True, lang="zh") == "+8.0 小时"
    assert team.format_metric("orders", None) == "—"


@pytest.mark.parametrize(("metric", "difference", "shown"), [
    ("conversion_rate", 0.0024, "+0.2 pp"), ("conversion_rate", -0.00002, None),  # not '-0.0 pp'
    ("conversion_rate", 0.0, None), ("time_to_ship", -7.97, "-8.0 h"), ("time_to_ship", 0.04, None), ("conversion_rate", 0.00002, None),
    ("net_sales", -12.5, "USD -12.50"), ("net_sales", -0.004, None), ("orders", 3.0, "+3"),
    ("orders", 0.0, None), ("orders", None, None)])
def test_a_cards_delta_is_none_when_it_shows_no_change(metric: str, difference: float | None,
                                                      shown: str | None) -> None:
    assert team.metric_delta(metric, difference, "USD") == shown


def test_demo_period_helper() -> None:
    assert team.period_of_month(date(2025, 2, 14)) == (date(2025, 2, 1), date(2025, 2, 28))
    assert demo()[0].is_file()


def test_money_follows_the_sidebars_currency_plan(demo_ws: Workspace) -> None:
    from dataclasses import replace

    usd = oracle_values(demo_ws, JAN, ("net_sales",))["net_sales"]
    in_cny = replace(JAN, currency="CNY", convert=True)
    only_usd = replace(JAN, currency="USD", convert=False)
    shopify = replace(JAN, channels=("shopify",))
    assert usd is not None
    shopify_usd = oracle_values(demo_ws, shopify, ("net_sales",))["net_sales"]
    for value in (lambda f: team.metric_value(demo_ws, "net_sales", f),
                  lambda f: oracle_values(demo_ws, f, ("net_sales",))["net_sales"]):
        assert value(in_cny) == pytest.approx(usd / 0.14, abs=0.05)
        assert value(only_usd) == pytest.approx(shopify_usd, abs=0.01)
    assert team.money_currency(demo_ws, in_cny) == "CNY"
