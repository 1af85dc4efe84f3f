"""Operations flow: stage times, bottleneck, SLA, funnel and PDCA, against the demo's ground
truth (sample_data/generate.py plants the bottleneck) and the real Shopify exports.

The demo store comes from tests/demo_store.py (built once per test process; each test works
on its own copy of the file).
"""
from __future__ import annotations

import csv
import statistics
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pytest

from lib import operations as ops
from lib.errors import ShoplensError
from lib.export_cli import export_cli
from lib.i18n import describe_error
from lib.ingest.load import ingest_path
from lib.metrics.core import Filters
from lib.team import metric_value
from lib.workspace import Workspace, open_workspace
from sample_data.build_demo import DEMO_ACTIONS
from tests.conftest import shared_file
from tests.demo_store import demo, demo_copy


SHOPIFY_2025 = Filters(start=date(2025, 1, 1), end=date(2025, 12, 31), channels=("shopify",))


# -- the planted bottleneck -------------------------------------------------------------------
def test_the_bottleneck_is_payment_to_shipment_with_the_planted_median(demo_ws: Workspace, truth: dict) -> None:
    b = truth["bottleneck"]
    rep = ops.stage_report(demo_ws)
    assert rep.bottleneck == b["stage"] == "paid_to_fulfilled"
    # Only Shopify records a shipment time, so the observable median is Shopify's.
    assert rep.stage("paid_to_fulfilled")["median_h"] == pytest.approx(
        b["by_channel"]["shopify"]["paid_to_fulfilled"], abs=0.01)
    assert rep.stage("created_to_paid")["median_h"] == pytest.approx(
        b["other_stage_median_hours"]["created_to_paid"], abs=0.01)
    # Taobao's receipt time contains the dispatch wait: measured as payment → delivery (the
    # export writes whole minutes, the truth uses exact times: 1.1 min apart).
    assert rep.stage("paid_to_delivered")["median_h"] == pytest.approx(
        b["by_channel"]["taobao"]["paid_to_delivered_observable"], abs=0.05)
    assert rep.stage("paid_to_fulfilled")["p90_h"] > rep.stage("paid_to_fulfilled")["median_h"]


def test_stages_no_order_can_show_are_named_per_channel(demo_ws: Workspace) -> None:
    rep = ops.stage_report(demo_ws)
    assert rep.missing == ()  # across the shop every timestamp occurs somewhere
    assert rep.unmeasured == ("fulfilled_to_delivered",)
    assert rep.missing_by_channel == {"shopify": ("delivered_at",),
                                      "taobao": ("fulfilled_at", "cancelled_at")}


def test_orders_paid_friday_to_sunday_wait_longer(demo_ws: Workspace, truth: dict) -> None:
    fri_sun, mon_thu = ops.weekday_split(demo_ws, Filters(channels=("shopify",)))
    shop = truth["bottleneck"]["by_channel"]["shopify"]
    assert fri_sun == pytest.approx(shop["paid_to_fulfilled_paid_fri_sun"], abs=0.01)
    assert mon_thu == pytest.approx(shop["paid_to_fulfilled_paid_mon_thu"], abs=0.01)
    heat = ops.backlog_heatmap(demo_ws)
    by_day = heat.groupby("weekday")["orders"].sum()
    assert set(heat["weekday"]) == set(range(1, 8)) and set(heat["hour"]) <= set(range(24))
    assert int(by_day.sum()) == ops.stage_report(demo_ws).stage("paid_to_fulfilled")["orders"]


def test_the_2025_shopify_on_time_ship_rate_matches_the_truth(demo_ws: Workspace, truth: dict) -> None:
    expected = truth["bottleneck"]["shopify_on_time_ship_rate_2025_within_48h"]
    on_time = metric_value(demo_ws, "on_time_ship_rate", SHOPIFY_2025)
    assert on_time == pytest.approx(expected, abs=0.001)
    # The Operations page's breach rate counts every sale order (cancelled ones that shipped
    # too); the KPI counts counted orders only: the two agree to a hundredth of a point.
    assert ops.breach_rate(demo_ws, SHOPIFY_2025, hours=48) == pytest.approx(1 - on_time, abs=0.0005)


def test_sla_trend_adds_up_and_the_sla_survives_a_restart(tmp_path: Path) -> None:
    path = demo_copy(tmp_path)
    ws = open_workspace(path)
    assert ops.get_sla(ws) == {"paid_to_fulfilled": 48.0}
    ops.set_sla(ws, "paid_to_fulfilled", 72)
    trend = ops.sla_trend(ws, SHOPIFY_2025, grain="month")
    assert len(trend) == 12
    assert trend["breaches"].sum() / trend["orders"].sum() == pytest.approx(ops.breach_rate(ws, SHOPIFY_2025))
    weekly = ops.sla_trend(ws, SHOPIFY_2025, grain="week")
    assert weekly["orders"].sum() == trend["orders"].sum()
    ws.close()
    ws = open_workspace(path)
    assert ops.get_sla(ws)["paid_to_fulfilled"] == 72.0
    with pytest.raises(ShoplensError) as bad:
        ops.set_sla(ws, "paid_to_fulfilled", 0)
    assert bad.value.key == "ops.bad_sla"
    assert describe_error(bad.value, "zh") == "SLA 不能为 0 小时：请填写大于 0 的小时数。"
    ws.close()


def test_the_funnel_counts_sessions_from_the_traffic_export(demo_ws: Workspace) -> None:
    src, _ = demo()
    with open(src.parent / "exports" / "traffic.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    fun = ops.funnel(demo_ws)
    assert fun is not None
    assert list(fun["step"]) == ["sessions", "add_to_cart", "checkouts", "orders"]
    assert fun["value"].iloc[0] == sum(int(r["sessions"]) for r in rows)
    assert fun["value"].iloc[1] == sum(int(r["add_to_cart"]) for r in rows)
    assert fun["of_sessions"].iloc[-1] == pytest.approx(metric_value(demo_ws, "conversion_rate", Filters()))


def test_no_traffic_means_no_funnel(ws: Workspace) -> None:
    assert ops.funnel(ws) is None
    assert ops.stage_report(ws).orders == 0


# -- the real Shopify exports -----------------------------------------------------------------
def _stamp(text: str) -> datetime | None:
    return datetime.strptime(text, "%Y-%m-%d %H:%M:%S %z") if text else None


@pytest.mark.parametrize("folder", ["shopify-orders-us-petstore", "shopify-orders-seezona"])
def test_real_shopify_exports_show_stage_times_and_lack_delivery(ws: Workspace, folder: str) -> None:
    path = shared_file(f"{folder}/orders_export_1.csv")
    assert all(r.status == "loaded" for r in ingest_path(ws, path, path.name))
    # Independent: the first row of each order (Name) holds Created at / Paid at / Fulfilled at.
    firsts: dict[str, dict[str, str]] = {}
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            firsts.setdefault(row["Name"], row)
    paid_to_ship = [(_stamp(r["Fulfilled at"]) - _stamp(r["Paid at"])).total_seconds() / 3600
                    for r in firsts.values() if r["Paid at"] and r["Fulfilled at"]
                    and _stamp(r["Fulfilled at"]) >= _stamp(r["Paid at"])]
    to_pay = [(_stamp(r["Paid at"]) - _stamp(r["Created at"])).total_seconds() / 3600
              for r in firsts.values() if r["Paid at"] and r["Created at"]
              and _stamp(r["Paid at"]) >= _stamp(r["Created at"])]
    rep = ops.stage_report(ws)
    assert rep.orders == len(firsts)
    assert rep.missing == ("delivered_at",)
    assert "fulfilled_to_delivered" in rep.unmeasured
    assert rep.bottleneck == "paid_to_fulfilled"
    assert rep.stage("paid_to_fulfilled")["orders"] == len(paid_to_ship)
    assert rep.stage("paid_to_fulfilled")["median_h"] == pytest.approx(statistics.median(paid_to_ship), abs=1e-6)
    assert rep.stage("created_to_paid")["median_h"] == pytest.approx(statistics.median(to_pay), abs=1e-6)
    assert rep.stage("paid_to_fulfilled")["p90_h"] == pytest.approx(
        float(np.quantile(paid_to_ship, 0.9)), abs=1e-6)


def test_the_real_etsy_export_s_bottleneck_is_shipping_not_a_tie_at_zero(ws: Workspace) -> None:
    """Etsy's Sold Orders carry dates only: payment is the sale date (0 h for every order) and
    most orders ship the day of the sale, so both medians are 0 h. The first in the list,
    'Order → payment 0.0 h', was named the bottleneck; the tie now goes to the longer tail.
    Hand count from the file: Date Shipped − Sale Date in days, × 24."""
    path = shared_file("etsy-orders-us-shop/EtsySoldOrders2021.csv")
    assert all(r.status == "loaded" for r in ingest_path(ws, path, path.name))
    with open(path, encoding="utf-8", newline="") as f:
        days = [(datetime.strptime(r["Date Shipped"], "%m/%d/%y") - datetime.strptime(r["Sale Date"], "%m/%d/%y")).days
                for r in csv.DictReader(f) if r["Date Shipped"]]
    hours = [24.0 * d for d in days if d >= 0]
    rep = ops.stage_report(ws)
    assert rep.stage("created_to_paid")["median_h"] == rep.stage("created_to_paid")["p90_h"] == 0.0
    assert rep.stage("paid_to_fulfilled")["median_h"] == statistics.median(hours) == 0.0
    assert rep.stage("paid_to_fulfilled")["p90_h"] == pytest.approx(float(np.quantile(hours, 0.9))) == 24.0
    assert rep.bottleneck == "paid_to_fulfilled"


def test_no_bottleneck_when_no_stage_takes_any_time(ws: Workspace, tmp_path: Path) -> None:
    """Paid and fulfilled the moment they were ordered: 0 h everywhere, nothing to name."""
    path = tmp_path / "instant.csv"
    t = "2024-03-01 10:00:00 +0000"
    path.write_text("Name,Financial Status,Lineitem quantity,Lineitem price,Created at,Paid at,Fulfilled at\n"
                    f"#1,paid,1,10.00,{t},{t},{t}\n#2,paid,2,5.00,{t},{t},{t}\n", encoding="utf-8")
    assert [r.status for r in ingest_path(ws, path, path.name)] == ["loaded"]
    rep = ops.stage_report(ws)
    assert rep.stage("created_to_paid")["median_h"] == rep.stage("paid_to_fulfilled")["p90_h"] == 0.0
    assert rep.bottleneck is None


def test_petstore_figures(ws: Workspace) -> None:
    path = shared_file("shopify-orders-us-petstore/orders_export_1.csv")
    ingest_path(ws, path, path.name)
    rep = ops.stage_report(ws)
    assert (rep.orders, round(rep.stage("paid_to_fulfilled")["median_h"], 2),
            round(rep.stage("paid_to_fulfilled")["p90_h"], 2)) == (3885, 32.68, 81.9)


# -- PDCA ---------------------------------------------------------------------------------------
def test_an_action_on_refund_rate_after_the_spike_is_more_than_noise(demo_ws: Workspace, truth: dict) -> None:
    # The refund spike ends on 2025-08-31: an action from 2025-09-01 sees the rate fall.
    assert truth["refund_spike"]["window_end"] == "2025-08-31"
    eff = ops.improvement_effect(demo_ws, "refund_rate", date(2025, 9, 1))
    assert eff.before_window == (date(2025, 8, 4), date(2025, 8, 31))
    assert eff.after_window == (date(2025, 9, 1), date(2025, 9, 28))
    assert eff.before == pytest.approx(metric_value(demo_ws, "refund_rate", Filters(
        start=date(2025, 8, 4), end=date(2025, 8, 31))))
    assert eff.before > eff.after
    assert eff.p_value is not None and eff.p_value < 0.01
    assert eff.significant and eff.improved
    assert (eff.daily["phase"] == "before").sum() == 28 and (eff.daily["phase"] == "after").sum() == 28


def test_an_action_in_a_quiet_month_is_within_noise(demo_ws: Workspace) -> None:
    eff = ops.improvement_effect(demo_ws, "refund_rate", date(2025, 3, 1))
    assert eff.p_value is not None and eff.p_value > 0.2
    assert eff.significant is False and eff.improved is None


def test_too_few_days_after_the_start_are_not_tested(demo_ws: Workspace) -> None:
    eff = ops.improvement_effect(demo_ws, "orders", date(2025, 12, 29))
    assert eff.after_window == (date(2025, 12, 29), date(2025, 12, 31))
    assert eff.p_value is None and eff.significant is None


def test_the_demos_saturday_shift_is_measured_as_planted(demo_ws: Workspace, truth: dict) -> None:
    """The generator cuts the weekend backlog from WEEKEND_SHIFT_START; the demo logs that action.
    Its before/after are the generator's own means, and the change is more than noise."""
    planted = truth["weekend_shift"]
    log = ops.list_improvements(demo_ws).set_index("title")
    shift = log.loc["Saturday packing shift"]
    assert (shift.metric, shift.started_on.isoformat(), shift.status) == (
        planted["metric"], planted["start"], "act")
    eff = ops.improvement_effect(demo_ws, shift.metric, shift.started_on, channels=("shopify",))
    assert eff.before == pytest.approx(planted["shopify_mean_hours_before"], abs=1e-4)
    assert eff.after == pytest.approx(planted["shopify_mean_hours_after"], abs=1e-4)
    # Only Shopify exports a shipment time: all channels give the same figures.
    assert ops.improvement_effect(demo_ws, shift.metric, shift.started_on).after == eff.after
    assert eff.p_value is not None and eff.p_value < 0.01 and eff.improved


def test_the_demos_banner_action_is_honestly_within_noise(demo_ws: Workspace) -> None:
    """Nothing in the generator moves conversion at the banner's start: the log must say so."""
    banner = ops.list_improvements(demo_ws).set_index("title").loc[
        "Free-shipping banner on product pages"]
    eff = ops.improvement_effect(demo_ws, banner.metric, banner.started_on)
    assert eff.p_value is not None and eff.p_value > 0.5
    assert eff.significant is False and eff.improved is None
    assert abs(eff.relative) < 0.01


def test_permutation_test_separates_a_shift_from_noise() -> None:
    rng = np.random.default_rng(1)
    a, b = rng.normal(10, 1, 28), rng.normal(10, 1, 28)
    assert ops.permutation_p_value(a, b) > 0.05
    assert ops.permutation_p_value(a, b + 2) < 0.001


def test_actions_survive_a_restart_move_through_pdca_and_export(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = demo_copy(tmp_path)
    ws = open_workspace(path)
    action = ops.add_improvement(ws, "Weekend picking shift", "on_time_ship_rate", date(2025, 6, 2),
                                 "Tom Okafor", "A Saturday shift ships Friday's orders sooner")
    ops.set_improvement_status(ws, action, ops.next_status("plan"))
    ws.close()
    ws = open_workspace(path)
    log = ops.list_improvements(ws)
    assert log.to_dict("records")[0] == {
        "id": action, "title": "Weekend picking shift", "metric": "on_time_ship_rate",
        "started_on": date(2025, 6, 2), "ended_on": None, "owner": "Tom Okafor",
        "hypothesis": "A Saturday shift ships Friday's orders sooner", "status": "do"}
    # the demo's own, older (newest start first)
    assert log["title"].tolist()[1:] == [a[0] for a in sorted(DEMO_ACTIONS, key=lambda a: a[2],
                                                               reverse=True)]
    history = ws.cursor().execute("SELECT status FROM improvement_status_log WHERE id = ? "
                                  "ORDER BY changed_at", [action]).fetchall()
    assert history == [("plan",), ("do",)]
    assert [ops.next_status(s) for s in ops.PDCA] == ["do", "check", "act", "plan"]
    ws.close()
    assert export_cli(["--workspace", str(path), "--what", "actions", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[:2] == ["id,title,metric,started_on,ended_on,owner,hypothesis,status",
                         f"{action},Weekend picking shift,on_time_ship_rate,2025-06-02,,Tom Okafor,"
                         "A Saturday shift ships Friday's orders sooner,do"]
    assert len(lines) == 2 + len(DEMO_ACTIONS)


@pytest.mark.parametrize(("kwargs", "key", "english"), [
    ({"metric": "revenue_per_visit"}, "team.unknown_metric", "“revenue_per_visit” is not a KPI"),
    ({"ended_on": date(2025, 5, 31)}, "team.bad_period",
     "The end date 2025-05-31 is before the start date 2025-06-02."),
    ({"title": "  "}, "ops.title_required", "Give the action a title."),
])
def test_invalid_actions_get_a_translated_message(ws: Workspace, kwargs: dict, key: str, english: str) -> None:
    args = {"title": "Faster packing", "metric": "time_to_ship", "started_on": date(2025, 6, 2), **kwargs}
    with pytest.raises(ShoplensError) as err:
        ops.add_improvement(ws, **args)
    assert err.value.key == key
    assert describe_error(err.value, "en").startswith(english)
    assert not describe_error(err.value, "zh").startswith("出现问题")  # translated, not the fallback
    assert ops.list_improvements(ws).empty
