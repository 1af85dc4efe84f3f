"""Overview benchmark: the Overview page's queries on a 1M-line workspace, cold and warm.

`python -m bench.overview [--rows 1000000] [--out bench/out] [--repeat 5] [--rebuild]`

1. Builds (once; reused while the file exists) a workspace of N Shopify line items with the
   generator of `bench.ingest` (seeded, ~714k orders over 2023–2024), loaded through the normal
   ingest path, plus the side tables the Overview reads: 400 products with cost and stock,
   daily traffic and marketing (Shoplens templates, also through ingest).
2. Cold: a fresh Python process opens the workspace and computes the Overview once for the
   whole range (everything the page shows: cards with previous period and last year,
   sparklines, a breakdown) — DuckDB's buffers are empty, the OS page cache is warm.
3. Warm: the same process computes it again `--repeat` times, for the whole range, for the
   last 90 days, and per breakdown (channel, category, product); the best and median times.
   Then, as after an import, the fact tables (lib/metrics/facts.py) are marked stale and the
   first call that rebuilds them is timed too (reported, not a target).
4. Prints the figures against the targets (≤ 0.5 s warm, ≤ 2 s cold). A benchmark, not a test:
   it exits non-zero only if a step fails.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_WARM_S = 0.5
TARGET_COLD_S = 2.0
CATEGORIES = ("Food", "Toys", "Beds", "Grooming", "Health", "Apparel", "Bowls", "Leashes")


def _side_tables(folder: Path, first: date, last: date) -> list[Path]:
    """Products (the generator's 400 SKUs), daily traffic and marketing as Shoplens templates."""
    import numpy as np

    rng = np.random.default_rng(7)
    inv = folder / "inventory.csv"
    with inv.open("w", encoding="utf-8") as fh:
        fh.write("sku,name,category,unit_cost,price,stock_on_hand,lead_time_days,supplier,safety_stock\n")
        for k in range(400):
            cost = int(rng.integers(200, 4000))
            fh.write(f"SKU-{k:05d},Product {k:03d},{CATEGORIES[k % len(CATEGORIES)]},"
                     f"{cost // 100}.{cost % 100:02d},,{int(rng.integers(0, 300))},"
                     f"{int(rng.integers(5, 40))},Supplier {k % 7},{int(rng.integers(5, 30))}\n")
    traffic, marketing = folder / "traffic.csv", folder / "marketing.csv"
    with traffic.open("w") as ft, marketing.open("w") as fm:
        ft.write("date,channel,sessions,visitors,add_to_cart,checkouts\n")
        fm.write("date,channel,campaign,spend,impressions,clicks,attributed_revenue\n")
        d = first
        while d <= last:
            s = int(rng.integers(20000, 40000))
            ft.write(f"{d},shopify,{s},{s * 8 // 10},{s // 10},{s // 20}\n")
            for camp in ("google_search", "meta_prospecting"):
                spend = int(rng.integers(50000, 200000))
                fm.write(f"{d},shopify,{camp},{spend // 100}.{spend % 100:02d},"
                         f"{int(rng.integers(20000, 90000))},{int(rng.integers(200, 900))},"
                         f"{spend * 3 // 100}.00\n")
            d += timedelta(days=1)
    return [inv, traffic, marketing]


def build(path: Path, rows: int) -> None:
    from bench.ingest import generate_export
    from lib.ingest.load import ingest_path
    from lib.workspace import delete_workspace, open_workspace

    folder = path.parent
    csv_path = folder / f"overview_orders_{rows}.csv"
    t0 = time.perf_counter()
    info = generate_export(csv_path, rows)
    delete_workspace(path)
    ws = open_workspace(path)
    try:
        ws.set_timezone("America/Los_Angeles")
        files = [csv_path, *_side_tables(folder, date(2023, 1, 1), date(2024, 12, 31))]
        for f in files:
            for r in ingest_path(ws, f):
                if r.status != "loaded":
                    raise SystemExit(f"building the workspace failed on {f.name}: {r.message}")
    finally:
        ws.close()
    for f in files:
        f.unlink()
    print(f"built {path.name}: {info['rows']:,} line items, {info['orders']:,} orders, "
          f"+ products, traffic, marketing in {time.perf_counter() - t0:.1f} s")


def _measure(path: Path, repeat: int) -> dict[str, object]:
    """Runs in a fresh process: the first call is cold, the rest warm."""
    from lib.metrics.facts import STAMP_KEY
    from lib.metrics.filters import Filters
    from lib.metrics.overview import compute_overview
    from lib.workspace import open_workspace

    ws = open_workspace(path, create=False)
    try:
        t = time.perf_counter()
        first = compute_overview(ws, Filters(), "channel")
        cold = time.perf_counter() - t
        end = first.result.periods[0].end
        cases = {
            "whole range, by channel": (Filters(), "channel"),
            "last 90 days, by channel": (Filters(start=end - timedelta(days=89), end=end), "channel"),
            "whole range, by category": (Filters(), "category"),
            "whole range, by product": (Filters(), "product"),
        }
        warm: dict[str, list[float]] = {}
        for label, (filters, by) in cases.items():
            warm[label] = []
            for _ in range(repeat):
                t = time.perf_counter()
                compute_overview(ws, filters, by)
                warm[label].append(time.perf_counter() - t)
        net = first.result.value("net_sales").value
        orders = first.result.value("orders").value
        # as after an import: the fact tables are stale and are rebuilt by the first call
        ws.set_meta(STAMP_KEY, "stale")
        t = time.perf_counter()
        compute_overview(ws, Filters(), "channel")
        rebuild = time.perf_counter() - t
    finally:
        ws.close()
    return {"cold": cold, "warm": warm, "rebuild": rebuild, "orders": orders, "net_sales": str(net)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.overview", description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--out", default=str(ROOT / "bench" / "out"))
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--rebuild", action="store_true", help="build the workspace again")
    ap.add_argument("--measure", metavar="WORKSPACE", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.measure:
        print(json.dumps(_measure(Path(args.measure), args.repeat)))
        return 0
    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"overview_{args.rows}.duckdb"
    if args.rebuild or not path.exists():
        build(path, args.rows)
    else:
        print(f"reusing {path} (--rebuild to build it again)")
    child = subprocess.run([sys.executable, "-m", "bench.overview", "--measure", str(path),
                            "--repeat", str(args.repeat)], capture_output=True, text=True, cwd=ROOT)
    if child.returncode != 0:
        print(child.stdout + child.stderr, file=sys.stderr)
        return 1
    res = json.loads(child.stdout.strip().splitlines()[-1])
    print(f"workspace: {res['orders']:,} counted orders, net sales {res['net_sales']}")
    ok_cold = res["cold"] <= TARGET_COLD_S
    print(f"cold  (fresh process, first call):   {res['cold']:.3f} s   target ≤ {TARGET_COLD_S} s "
          f"{'ok' if ok_cold else 'MISSED'}")
    for label, times in res["warm"].items():
        best, med = min(times), statistics.median(times)
        print(f"warm  {label:<28} best {best:.3f} s  median {med:.3f} s   target ≤ "
              f"{TARGET_WARM_S} s {'ok' if med <= TARGET_WARM_S else 'MISSED'}")
    print(f"first call after an import (fact tables rebuilt): {res['rebuild']:.3f} s "
          "(once per import; not part of the targets)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
