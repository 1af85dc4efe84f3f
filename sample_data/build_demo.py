"""Build the demo workspace from the generated demo store, through the normal ingest path.

`python -m sample_data.build_demo --workspace workspaces/demo.duckdb` generates the exports
(deterministic, seeded) into sample_data/demo/ and loads them exactly as a user's uploads
would be loaded, so the demo exercises the same code. It builds into a temporary file and
renames it at the end: an interrupted build never leaves a half-filled demo.
"""
from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from lib import operations, team
from lib.ingest.load import IngestResult, ingest_path
from lib.metrics.engine import refresh_facts
from lib.scenario import WhatIf
from lib.scenarios import Scenario, save_scenario
from lib.workspace import Workspace, delete_workspace, open_workspace
from sample_data.generate import WEEKEND_SHIFT_START, generate

HERE = Path(__file__).resolve().parent
# Load order: catalogue and rates first, then orders, then the side tables.
DEMO_FILES = (
    "fx_rates.csv", "shopify_products_export.csv", "inventory.csv",
    "shopify_orders_export.csv", "taobao_orders.csv", "taobao_order_items.csv",
    "traffic.csv", "marketing.csv", "promotions.csv", "targets.csv", "risks.csv",
)
# Saved what-ifs, so the Scenarios page opens on a comparison and its report, as a
# consultant's prepared demo would (a scenario is a workspace's own setting, not an export).
DEMO_SCENARIOS = (
    Scenario("Holiday ad push", WhatIf(traffic_pct=15),
             "Paid social budget +30 % in November and December: about 15 % more sessions."),
    Scenario("One-page checkout", WhatIf(conversion_pct=8),
             "The checkout test converted 8 % more sessions into orders."),
    Scenario("Site-wide 10 % off", WhatIf(discount_pct=10),
             "A ten-day sale at the usual price response (elasticity −1.5)."),
)

# The team's OKRs for the demo's last quarter, so the Team page opens on objectives with
# progress (fixed ids: tests and a consultant's notes can name them). Targets set a little
# above what the quarter reached, as stretch goals are: (id, title, owner, team,
# ((key result id, title, metric, target), ...)).
Q4_2025 = (date(2025, 10, 1), date(2025, 12, 31))
DEMO_OBJECTIVES = (
    ("O-demo-holiday", "Win the holiday quarter", "Mara Lin", "Growth", (
        ("KR-demo-net-sales", "Net sales of 800K", "net_sales", 800_000),
        ("KR-demo-orders", "12,500 orders", "orders", 12_500),
        ("KR-demo-conversion", "Convert 3 % of sessions", "conversion_rate", 0.03))),
    ("O-demo-shipping", "Ship the peak on time", "Tom Okafor", "Operations", (
        ("KR-demo-on-time", "95 % shipped within 48 h", "on_time_ship_rate", 0.95),
        ("KR-demo-ship-hours", "Ship in 24 h on average", "time_to_ship", 24))),
    ("O-demo-loyalty", "Bring holiday buyers back", "Wei Zhang", "CRM", (
        ("KR-demo-repeat", "20 % repeat customers", "repeat_customer_rate", 0.2),
        ("KR-demo-refunds", "Refunds under 3 %", "refund_rate", 0.03))),
)


# The Operations page's improvement log (PDCA): one action that worked (the Saturday shift the
# generator plants from WEEKEND_SHIFT_START) and one that did not, so both verdicts show.
# (title, metric, start, owner, hypothesis, status).
DEMO_ACTIONS = (
    ("Saturday packing shift", "time_to_ship", WEEKEND_SHIFT_START, "Tom Okafor",
     "Orders paid Friday to Sunday wait for Monday's pick; a Saturday shift should cut the "
     "average time to ship by several hours.", "act"),
    ("Free-shipping banner on product pages", "conversion_rate", date(2025, 4, 28), "Mara Lin",
     "Showing the free-shipping threshold up front should convert more sessions.", "check"),
)


def save_demo_actions(ws: Workspace) -> None:
    """The demo's improvement actions (DEMO_ACTIONS), as the Operations page's form saves them."""
    for title, metric, start, owner, hypothesis, status in DEMO_ACTIONS:
        operations.add_improvement(ws, title, metric, start, owner, hypothesis, status=status)


def save_demo_objectives(ws: Workspace) -> None:
    """The demo's OKRs (DEMO_OBJECTIVES), through the same calls as the Team page's forms."""
    for oid, title, owner, team_name, key_results in DEMO_OBJECTIVES:
        team.save_objective(ws, title, owner, team_name, *Q4_2025, objective_id=oid)
        for kid, kr_title, metric, target in key_results:
            team.save_key_result(ws, oid, kr_title, metric, target, kr_id=kid)


def build_demo(workspace: Path, seed: int = 7, exports_dir: Path | None = None) -> list[IngestResult]:
    """Generate the demo exports and load them into a new workspace at `workspace`."""
    exports_dir = exports_dir or HERE / "demo"
    exports_dir.mkdir(parents=True, exist_ok=True)
    generate(exports_dir, seed=seed)
    tmp = workspace.with_name(workspace.stem + ".building.duckdb")
    delete_workspace(tmp)
    ws = open_workspace(tmp)
    results: list[IngestResult] = []
    try:
        ws.set_timezone("America/New_York")
        ws.set_meta("display_name", "Lotus & Loom (demo)")
        for name in DEMO_FILES:
            results.extend(ingest_path(ws, exports_dir / name, name))
        for scenario in DEMO_SCENARIOS:
            save_scenario(ws, scenario)
        save_demo_objectives(ws)
        save_demo_actions(ws)
        refresh_facts(ws)  # the KPI cache, built now so the demo's first page view is instant
    finally:
        ws.close()
    failed = [r for r in results if r.status != "loaded"]
    if failed:
        delete_workspace(tmp)
        raise RuntimeError("demo build failed: " + "; ".join(r.message for r in failed))
    delete_workspace(workspace)
    tmp.rename(workspace)
    tmp_staging = tmp.with_name(tmp.name + ".staging")
    if tmp_staging.exists():
        tmp_staging.rename(workspace.with_name(workspace.name + ".staging"))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workspace", default="workspaces/demo.duckdb")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    path = Path(args.workspace).resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    for r in build_demo(path, args.seed):
        print(f"[{r.status}] {r.message}")
    print(f"demo workspace ready: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
