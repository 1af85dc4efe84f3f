"""Ingest benchmark: our import of a Shopify orders export vs DuckDB's floor and a pandas app.

`python -m bench.ingest [--rows 1000000] [--out bench/out] [--keep] [--repeat 1]`

1. Writes a seeded, deterministic Shopify "Orders › Export" CSV (the exact 79-column v79 header)
   with N line items, built column-wise with numpy/pyarrow (no Python loop per row) and written
   as Shopify writes it (LF, quotes only where needed).
2. Runs every step in a fresh Python subprocess and takes its wall time (interpreter start and
   imports included, as a user of the CLI sees it) and its own peak RSS (`os.wait4` rusage of
   that child alone):
     a  floor   DuckDB's auto-detecting `read_csv` into a table of a fresh database file
     b  pandas  read_csv + to_datetime + orders by Name + the overview KPIs (a typical app)
     c  ours    `python -m lib.cli ingest FILE --workspace FRESH --json`
     d  ours    ingest into another fresh workspace, then `python -m lib.cli kpis`; d = both
3. Checks that b and d agree on the KPIs (orders, gross and net sales must match to the cent),
   prints the figures, the ratios and the targets. A benchmark, not a test: it reports what it
   measures and exits non-zero only when a step fails or the two pipelines disagree.

Module-level imports are stdlib only, so no child pays for a library it does not use.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEADERS_JSON = ROOT.parent / "shared" / "data" / "headers" / "platform_headers.json"
SEED = 20230531

TARGET_INGEST_VS_FLOOR = 1.5  # c / a at most
TARGET_SPEEDUP_VS_PANDAS = 2.0  # b / d at least


# --- the synthetic export --------------------------------------------------------------------
def shopify_v79_header() -> list[str]:
    """The 79 column names of Shopify's current orders export, from the shared header file."""
    variants = json.loads(HEADERS_JSON.read_text(encoding="utf-8"))["shopify_orders_export"]
    (header,) = [v for k, v in variants.items() if k.startswith("v79")]
    if len(header) != 79:
        raise SystemExit(f"the v79 header in {HEADERS_JSON} has {len(header)} columns, not 79")
    return header


def generate_export(path: Path, rows: int, seed: int = SEED, *, sparse: bool = False) -> dict[str, int]:
    """Write `rows` line items as a Shopify orders export; return counts for the report.

    Layout as in the real exports in ../shared/data: Name, Email, Created at and the line-item
    columns on every row; the other order-level columns only on an order's first row. With
    `sparse`, Email and Created at are also left empty on the later rows of an order.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    rng = np.random.default_rng(seed)
    header = shopify_v79_header()

    # Orders and their line counts (1 + Poisson(0.4): ~1.4 line items per order).
    counts = 1 + rng.poisson(0.4, size=int(rows / 1.4 * 1.05) + 16)
    ends = np.cumsum(counts)
    n_orders = int(np.searchsorted(ends, rows) + 1)
    counts = counts[:n_orders].copy()
    counts[-1] -= int(ends[n_orders - 1] - rows)  # cut the last order to land on exactly `rows`
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    order_of_row = np.repeat(np.arange(n_orders), counts)
    is_first = np.zeros(rows, dtype=bool)
    is_first[starts] = True

    def s(values: object) -> pa.Array:
        return pc.cast(pa.array(values), pa.string())

    def join(*parts: object) -> pa.Array:
        return pc.binary_join_element_wise(*parts, "")

    def money(cents: np.ndarray) -> pa.Array:
        cents = np.asarray(cents, dtype=np.int64)
        return join(s(cents // 100), ".", pc.utf8_lpad(s(cents % 100), width=2, padding="0"))

    def pick(choices: list[str], p: list[float] | None, n: int) -> pa.Array:
        return pa.DictionaryArray.from_arrays(
            pa.array(rng.choice(len(choices), size=n, p=p).astype(np.int32)), pa.array(choices)
        ).cast(pa.string())

    def stamp(local_secs: np.ndarray) -> pa.Array:
        """Wall-clock seconds → '2023-05-31 23:06:04 -0700' (US Pacific, DST by month)."""
        ts = pa.array(local_secs.astype("datetime64[s]"))
        month = local_secs.astype("datetime64[s]").astype("datetime64[M]").astype(np.int64) % 12 + 1
        offset = np.where((month >= 3) & (month <= 10), " -0700", " -0800")
        return join(pc.strftime(ts, format="%Y-%m-%d %H:%M:%S"), pa.array(offset))

    def with_nulls(arr: pa.Array, keep: np.ndarray) -> pa.Array:
        return pc.if_else(pa.array(keep), arr, pa.scalar(None, pa.string()))

    # -- order level (one value per order) --
    o = n_orders
    n_customers = max(1, int(o * 0.6))
    customer = rng.integers(0, n_customers, size=o).astype(np.uint64)
    token = (customer * np.uint64(2654435761) + np.uint64(0x5BD1E995)) & np.uint64(0xFFFFFFFF)
    nibbles = ((token[:, None] >> np.arange(28, -1, -4, dtype=np.uint64)) & np.uint64(15)).astype(np.uint8)
    hexes = np.ascontiguousarray(np.frombuffer(b"0123456789abcdef", np.uint8)[nibbles]).view("S8").ravel()
    email = join("user-", pc.cast(pa.array(hexes, pa.binary(8)), pa.string()), "@example.invalid")

    t0 = np.datetime64("2023-01-01T00:00:00", "s").astype(np.int64)
    span = np.datetime64("2025-01-01T00:00:00", "s").astype(np.int64) - t0
    created = np.sort(t0 + rng.integers(0, span, size=o))

    fin = rng.choice(4, size=o, p=[0.93, 0.035, 0.02, 0.015])  # paid, partially_refunded, refunded, pending
    cancelled = rng.random(o) < 0.01
    fin_status = np.array(["paid", "partially_refunded", "refunded", "pending"], dtype=object)[fin]
    fin_status[cancelled] = "voided"
    fulfilled = (~cancelled) & (fin != 3) & (rng.random(o) < 0.96)

    # -- line level: a catalogue of 400 products --
    n_products = 400
    product = rng.zipf(1.3, size=rows) % n_products
    price_of = (rng.integers(5, 120, size=n_products) * 100 + rng.choice([0, 50, 95, 99], size=n_products))
    qty = 1 + rng.poisson(0.3, size=rows)
    line_cents = price_of[product] * qty
    items = np.bincount(order_of_row, weights=line_cents, minlength=o).astype(np.int64)

    has_code = rng.random(o) < 0.12
    code_pct = rng.choice([10, 15, 20], size=o)
    discount = np.where(has_code, items * code_pct // 100, 0)
    subtotal = items - discount
    shipping = np.where(subtotal >= 5000, 0, 599)
    taxes = (subtotal * rng.choice([0, 500, 725, 825, 950], size=o) + 5000) // 10000
    total = subtotal + shipping + taxes
    refunded = np.where(fin == 2, total, np.where(fin == 1, total * rng.integers(10, 60, size=o) // 100, 0))
    refunded[cancelled] = 0

    cities = [("Elm Grove", "WI", "53122"), ("Lawrenceville", "NJ", "08648"), ("Tahlequah", "OK", "74464"),
              ("Portland", "OR", "97205"), ("Austin", "TX", "78701"), ("Denver", "CO", "80202"),
              ("Brooklyn", "NY", "11201"), ("San Diego", "CA", "92101"), ("Boston", "MA", "02108"),
              ("Seattle", "WA", "98101"), ("Miami", "FL", "33101"), ("Columbus", "OH", "43004")]
    bill_city = rng.integers(0, len(cities), size=o)
    ship_city = np.where(rng.random(o) < 0.9, bill_city, rng.integers(0, len(cities), size=o))
    city_arr = pa.array([c for c, _, _ in cities])
    prov_arr = pa.array([p for _, p, _ in cities])
    zip_arr = pa.array(["'" + z if z.startswith("0") else z for _, _, z in cities])

    order_cols: dict[str, pa.Array] = {
        "Financial Status": pa.array(fin_status.astype(str)),
        "Paid at": with_nulls(stamp(created + rng.integers(0, 6, size=o)), (fin != 3) & ~cancelled),
        "Fulfillment Status": pa.array(np.where(fulfilled, "fulfilled", "unfulfilled")),
        "Fulfilled at": with_nulls(stamp(created + rng.integers(3600, 5 * 86400, size=o)), fulfilled),
        "Accepts Marketing": pick(["yes", "no"], [0.45, 0.55], o),
        "Currency": pa.array(np.full(o, "USD")),
        "Subtotal": money(subtotal),
        "Shipping": money(shipping),
        "Taxes": money(taxes),
        "Total": money(total),
        "Discount Code": with_nulls(pick(["SAVE10", "WELCOME15", "SPRING20"], None, o), has_code),
        "Discount Amount": money(discount),
        "Billing City": city_arr.take(pa.array(bill_city)),
        "Billing Zip": zip_arr.take(pa.array(bill_city)),
        "Billing Province": prov_arr.take(pa.array(bill_city)),
        "Billing Country": pa.array(np.full(o, "US")),
        "Shipping City": city_arr.take(pa.array(ship_city)),
        "Shipping Province": prov_arr.take(pa.array(ship_city)),
        "Shipping Country": pa.array(np.full(o, "US")),
        "Cancelled at": with_nulls(stamp(created + rng.integers(600, 86400, size=o)), cancelled),
        "Payment Method": pick(["Shopify Payments", "PayPal Express Checkout", "Stripe"], [0.7, 0.2, 0.1], o),
        "Refunded Amount": money(refunded),
        "Id": s(5097164000000 + np.arange(o, dtype=np.int64) * 37),
        "Tags": with_nulls(pick(["Subscription, Subscription Recurring Order", "vip", "wholesale, net30"],
                                [0.6, 0.3, 0.1], o), rng.random(o) < 0.3),
        "Source": pick(["web", "shopify_draft_order", "subscription_contract", "pos"], [0.7, 0.05, 0.2, 0.05], o),
    }
    every_row_order_cols = {
        "Name": join("#", s(1001 + np.arange(o, dtype=np.int64))),
        "Email": email,
        "Created at": stamp(created),
    }

    vendors = pa.array(["Alpha Paw", "Northwind", "Acme Pets", "Blue Kite", "Hearth & Co", "Zenith",
                        "Cedar Lane", "Pawsome"])
    variants = np.array(["", " - Small", " - Large", " - Blue"], dtype=object)
    product_name = pa.array([f"Product {k:03d}{variants[k % 4]}" for k in range(n_products)])
    product_sku = pa.array([f"SKU-{k:05d}" for k in range(n_products)])
    prod = pa.array(product)
    line_cols: dict[str, pa.Array] = {
        "Lineitem quantity": s(qty),
        "Lineitem name": product_name.take(prod),
        "Lineitem price": money(price_of[product]),
        "Lineitem compare at price": with_nulls(money(price_of[product] * 13 // 10), rng.random(rows) < 0.25),
        "Lineitem sku": product_sku.take(prod),
        "Lineitem requires shipping": pa.array(np.full(rows, "true")),
        "Lineitem taxable": pa.array(np.full(rows, "true")),
        "Lineitem fulfillment status": pa.array(np.where(fulfilled[order_of_row], "fulfilled", "pending")),
        "Vendor": vendors.take(pa.array(product % len(vendors))),
        "Lineitem discount": pa.array(np.full(rows, "0.00")),
    }

    first_only = pa.array(np.where(is_first, order_of_row, 0), mask=~is_first)
    every = pa.array(order_of_row)
    columns: list[pa.Array] = []
    for name in header:
        if name in line_cols:
            columns.append(line_cols[name])
        elif name in every_row_order_cols:
            columns.append(every_row_order_cols[name].take(first_only if sparse and name != "Name" else every))
        elif name in order_cols:
            columns.append(order_cols[name].take(first_only))
        else:
            columns.append(pa.nulls(rows, pa.string()))
    _write_csv(path, header, columns)
    non_empty = sum(1 for c in columns if c.null_count < len(c))
    return {"rows": rows, "orders": o, "columns": len(header), "non_empty_columns": non_empty,
            "bytes": path.stat().st_size}


def _write_csv(path: Path, header: list[str], columns: list[object], batch: int = 100_000) -> None:
    """Write CSV as Shopify does: LF, quotes only where a value needs them, empty for null.

    (DuckDB's COPY quotes values that start with `#`, such as every order name, and pyarrow's
    writer quotes every string: neither looks like a real export.)
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if any(set(h) & set(',"\r\n') for h in header):
        raise ValueError("a header name needs quoting")
    prepared: list[object] = []  # per column: "" when all empty, else text with quotes where needed
    for col in columns:
        if col.null_count == len(col):
            prepared.append("")
            continue
        needs = pc.match_substring_regex(col, '[",\r\n]')
        if pc.any(needs).as_py():
            quoted = pc.binary_join_element_wise('"', pc.replace_substring(col, '"', '""'), '"', "")
            col = pc.if_else(needs, quoted, col)
        prepared.append(pc.fill_null(col, ""))
    rows = len(columns[0])
    with open(path, "wb") as fh:
        fh.write((",".join(header) + "\n").encode("utf-8"))
        for start in range(0, rows, batch):
            cells = [c if isinstance(c, str) else c.slice(start, batch) for c in prepared]
            lines = pc.binary_join_element_wise(*cells, ",")
            lines = pc.binary_join_element_wise(lines, "\n", "").cast(pa.large_string())
            if isinstance(lines, pa.ChunkedArray):  # above ~1.5M rows some columns come chunked
                lines = lines.combine_chunks()
            off = np.frombuffer(lines.buffers()[1], dtype=np.int64)[lines.offset: lines.offset + len(lines) + 1]
            fh.write(memoryview(lines.buffers()[2])[off[0]: off[-1]])


# --- the steps, each run as a fresh interpreter ------------------------------------------------
# Every child prints one JSON line last: what it computed and its own in-process work time.
FLOOR_CODE = r"""
import json, sys, time
t0 = time.perf_counter()
import duckdb
con = duckdb.connect(sys.argv[2])
con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?)", [sys.argv[1]])
n = con.execute("SELECT count(*) FROM t").fetchone()[0]
ncols = len(con.execute("DESCRIBE t").fetchall())
con.close()
print(json.dumps({"rows": n, "columns": ncols, "work_s": time.perf_counter() - t0}))
"""

# What a typical Streamlit app does with the same export: read, parse dates, one row per order,
# the overview KPIs with the same meanings as lib/metrics/core.py.
PANDAS_CODE = r"""
import json, sys, time
t0 = time.perf_counter()
import pandas as pd
TS = "%Y-%m-%d %H:%M:%S %z"
df = pd.read_csv(sys.argv[1], low_memory=False)
df["Created at"] = pd.to_datetime(df["Created at"], format=TS, utc=True)
df["Paid at"] = pd.to_datetime(df["Paid at"], format=TS, utc=True)
order_cols = ["Email", "Created at", "Paid at", "Financial Status", "Currency", "Subtotal",
              "Discount Amount", "Shipping", "Taxes", "Total", "Refunded Amount", "Cancelled at",
              "Tags"]
by_order = df.groupby("Name", sort=False)
orders = by_order[order_cols].first()   # first non-empty value per order
test = orders["Tags"].fillna("").str.lower().str.contains("test")
counted = orders[orders["Cancelled at"].isna() & ~test]
# The lines of counted orders, only the columns needed: the cheapest idiom found (isin on
# counted.index takes 4.5 s at 1M rows, filtering all 79 columns 2 s; this takes 0.5 s).
line_test = by_order["Tags"].transform("first").fillna("").str.lower().str.contains("test")
line_counted = by_order["Cancelled at"].transform("first").isna() & ~line_test
lines = df.loc[line_counted, ["Lineitem price", "Lineitem quantity"]]
gross = float((lines["Lineitem price"] * lines["Lineitem quantity"]).sum())
disc = float(counted["Discount Amount"].fillna(0).sum())
refunds = float(counted["Refunded Amount"].fillna(0).sum())
n_orders = len(counted)
per_customer = counted.groupby(counted["Email"].str.lower()).size()
out = {
    "orders": n_orders,
    "cancelled_orders": int((orders["Cancelled at"].notna()).sum()),
    "units": float(lines["Lineitem quantity"].sum()),
    "gross_sales": round(gross, 2),
    "discounts": round(disc, 2),
    "refunds": round(refunds, 2),
    "net_sales": round(gross - disc - refunds, 2),
    "order_total": round(float(counted["Total"].sum()), 2),
    "avg_order_value": round((gross - disc) / n_orders, 2) if n_orders else None,
    "customers": int(len(per_customer)),
    "repeat_customer_rate": float((per_customer >= 2).mean()) if len(per_customer) else None,
}
print(json.dumps({"kpis": out, "work_s": time.perf_counter() - t0}))
"""


@dataclass
class Run:
    """One child process: wall time, its own peak RSS, exit code and what it printed."""

    wall_s: float
    rss_mb: float
    rc: int
    stdout: str
    stderr: str
    cpu_s: float = 0.0  # the child's own user + system CPU time
    others_cpu_s: float | None = None  # CPU time other processes used meanwhile (contention)

    def last_json(self) -> object:
        text = self.stdout.strip()
        try:
            return json.loads(text)  # the CLI prints one indented JSON document
        except json.JSONDecodeError:
            return json.loads(text.splitlines()[-1])


def _busy_cpu_s() -> float | None:
    """CPU seconds all processes have used since boot (Linux /proc/stat), or None."""
    try:
        with open("/proc/stat") as fh:
            fields = [int(x) for x in fh.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def run_child(argv: list[str], label: str) -> Run:
    """Run argv in a fresh process (cwd = project root); time it and read its own rusage.

    `os.wait4` gives the rusage of this child alone; its ru_maxrss is the child's peak RSS
    (Linux counts the parent's RSS at fork too, which is why the parent stays small).
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        busy0 = _busy_cpu_s()
        t0 = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=ROOT, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        busy1 = _busy_cpu_s()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        cpu = usage.ru_utime + usage.ru_stime
        run = Run(wall, usage.ru_maxrss / 1024, proc.returncode,
                  out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"),
                  cpu, None if busy0 is None or busy1 is None else max(0.0, busy1 - busy0 - cpu))
    if run.rc != 0:
        sys.stderr.write(run.stdout[-4000:] + run.stderr[-4000:])
        raise SystemExit(f"step {label} failed with exit code {run.rc}")
    return run


def fresh(out: Path, name: str) -> Path:
    """A path for a new database file; anything left there from an earlier run is removed."""
    p = out / name
    for q in (p, p.with_name(p.name + ".wal")):
        q.unlink(missing_ok=True)
    shutil.rmtree(p.with_name(p.name + ".staging"), ignore_errors=True)
    return p


@dataclass
class Step:
    label: str
    runs: list[Run] = field(default_factory=list)

    @property
    def wall_s(self) -> float:
        """Best of the runs: other load can only slow a run down, never speed it up."""
        return min(r.wall_s for r in self.runs)

    @property
    def best(self) -> Run:
        return min(self.runs, key=lambda r: r.wall_s)

    @property
    def rss_mb(self) -> float:
        return max(r.rss_mb for r in self.runs)


def code_fingerprint() -> str:
    """Short hash of lib/**/*.py and lib/**/*.yaml: which version of our code was measured."""
    import hashlib

    h = hashlib.sha256()
    for f in sorted((ROOT / "lib").rglob("*")):
        if f.suffix in (".py", ".yaml") and f.is_file():
            h.update(str(f.relative_to(ROOT)).encode() + b"\0" + f.read_bytes())
    return h.hexdigest()[:12]


def check_ingest(run: Run, rows: int, label: str) -> dict[str, object]:
    results = run.last_json()
    if not isinstance(results, list) or len(results) != 1:
        raise SystemExit(f"{label}: unexpected CLI output: {run.stdout[:500]}")
    r = results[0]
    if r.get("status") != "loaded" or r.get("rows_loaded") != rows:
        raise SystemExit(f"{label}: status={r.get('status')} rows_loaded={r.get('rows_loaded')} "
                         f"(expected loaded, {rows}); message: {r.get('message')}")
    return r


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.ingest", description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--out", default=str(ROOT / "bench" / "out"))
    ap.add_argument("--keep", action="store_true", help="keep the CSV and the database files")
    ap.add_argument("--repeat", type=int, default=1,
                    help="runs per step; the best time is used (all are listed)")
    ap.add_argument("--sparse", action="store_true",
                    help="leave Email and Created at empty on an order's later rows too")
    ap.add_argument("--generate-only", metavar="CSV", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.generate_only:  # the generator runs as a child so this process stays small
        info = generate_export(Path(args.generate_only), args.rows, sparse=args.sparse)
        print(json.dumps(info))
        return 0
    out = Path(args.out).resolve()
    created_out = not out.exists()
    out.mkdir(parents=True, exist_ok=True)
    py = sys.executable
    csv_path = out / f"shopify_orders_{args.rows}.csv"
    fingerprint = code_fingerprint()

    try:
        # Generated in a child: on Linux a child's ru_maxrss starts from its parent's RSS at
        # fork/exec, so this process must stay small for the children's figures to be theirs.
        gen = run_child([py, "-m", "bench.ingest", "--rows", str(args.rows), "--generate-only",
                         str(csv_path)] + (["--sparse"] if args.sparse else []), "generate")
        info, gen_s = gen.last_json(), gen.wall_s
        print(f"generated {csv_path.name}: {info['rows']:,} line items, {info['orders']:,} orders, "
              f"{info['columns']} columns ({info['non_empty_columns']} with values), "
              f"{info['bytes'] / 1e6:.0f} MB in {gen_s:.1f} s (seed {SEED})")
        with open(csv_path, "rb") as fh:  # same warm page cache for every step
            while fh.read(16 << 20):
                pass

        a, b, c, d_ing, d_kpi = (Step(x) for x in ("a", "b", "c", "d-ingest", "d-kpis"))
        floor_rows = pandas_kpis = ours_kpis = None
        for i in range(args.repeat):
            db = fresh(out, f"floor_{i}.duckdb")
            run = run_child([py, "-c", FLOOR_CODE, str(csv_path), str(db)], "a (floor)")
            a.runs.append(run)
            floor = run.last_json()
            floor_rows = floor["rows"]
            if floor_rows != args.rows:
                print(f"WARNING: the floor read {floor_rows:,} rows, not {args.rows:,}")

            run = run_child([py, "-c", PANDAS_CODE, str(csv_path)], "b (pandas)")
            b.runs.append(run)
            pandas_kpis = run.last_json()["kpis"]

            ws_c = fresh(out, f"ours_c_{i}.duckdb")
            run = run_child([py, "-m", "lib.cli", "ingest", str(csv_path), "--workspace", str(ws_c),
                             "--json"], "c (our ingest)")
            c.runs.append(run)
            ingest_c = check_ingest(run, args.rows, "c (our ingest)")

            ws_d = fresh(out, f"ours_d_{i}.duckdb")
            run = run_child([py, "-m", "lib.cli", "ingest", str(csv_path), "--workspace", str(ws_d),
                             "--json"], "d (our ingest)")
            d_ing.runs.append(run)
            check_ingest(run, args.rows, "d (our ingest)")
            run = run_child([py, "-m", "lib.cli", "kpis", "--workspace", str(ws_d), "--json"],
                            "d (our kpis)")
            d_kpi.runs.append(run)
            ours_kpis = run.last_json()

        # -- honesty check: the same work gives the same numbers --
        print("\nKPIs            pandas (b)          ours (d)")
        mismatch = []
        for key in ("orders", "cancelled_orders", "units", "gross_sales", "discounts", "refunds",
                    "net_sales", "order_total", "avg_order_value", "customers",
                    "repeat_customer_rate"):
            pv, ov = pandas_kpis.get(key), ours_kpis.get(key)
            tol = 1e-9 if key == "repeat_customer_rate" else 0.005
            same = pv is not None and ov is not None and abs(float(pv) - float(ov)) <= tol
            if not same and key in ("orders", "gross_sales", "net_sales"):
                mismatch.append(key)
            show = (lambda v: f"{v:.6f}" if isinstance(v, float) and key == "repeat_customer_rate"
                    else str(v))
            print(f"  {key:<22}{show(pv):>18}{show(ov):>18}{'' if same else '   <-- differs'}")
        print(f"  ours: {ingest_c['orders']:,} orders, {ingest_c['order_lines']:,} order lines, "
              f"{ingest_c['rows_rejected']} rows rejected; floor table: {floor_rows:,} rows, "
              f"{floor['columns']} columns")
        if mismatch:
            print(f"ERROR: pandas and ours disagree on {', '.join(mismatch)}: not the same work")
            return 1

        d_wall = d_ing.wall_s + d_kpi.wall_s
        d_rss = max(d_ing.rss_mb, d_kpi.rss_mb)
        peak = max(c.rss_mb, d_rss)
        rep = f" (best of {args.repeat})" if args.repeat > 1 else ""

        def cpu(step: Step) -> float:
            return step.best.cpu_s

        def work(step: Step) -> str:
            return f"{step.best.last_json()['work_s']:.2f} s"

        print(f"\nEach step in a fresh process{rep}: wall time (interpreter start and imports "
              "included), the process's CPU time, its peak RSS")
        print(f"  {'step':<52}{'wall':>8}{'cpu':>8}{'peak RSS':>10}")
        rows_out = [
            ("a  floor: DuckDB read_csv (auto-detect) -> table", a.wall_s, cpu(a), a.rss_mb,
             f"in-process {work(a)}"),
            ("b  pandas: read_csv, to_datetime, groupby, KPIs", b.wall_s, cpu(b), b.rss_mb,
             f"in-process {work(b)}"),
            ("c  ours: lib.cli ingest", c.wall_s, cpu(c), c.rss_mb, ""),
            ("d  ours: lib.cli ingest + lib.cli kpis", d_ing.wall_s + d_kpi.wall_s,
             cpu(d_ing) + cpu(d_kpi), d_rss,
             f"ingest {d_ing.wall_s:.2f} s into a second fresh workspace + kpis "
             f"{d_kpi.wall_s:.2f} s / {d_kpi.rss_mb:.0f} MB"),
        ]
        for label, wall, cpu_s, rss, note in rows_out:
            print(f"  {label:<52}{wall:7.2f}s{cpu_s:7.2f}s{rss:7.0f} MB   {note}".rstrip())
        if args.repeat > 1:
            print("  every run, wall s (CPU-s other processes used meanwhile): " + "; ".join(
                f"{st.label} " + " ".join(f"{r.wall_s:.2f}({r.others_cpu_s or 0:.1f})" for r in st.runs)
                for st in (a, b, c, d_ing, d_kpi)))
        ratio_c_a = c.wall_s / a.wall_s
        ratio_b_d = b.wall_s / d_wall
        ok = lambda good: "met" if good else "NOT met"  # noqa: E731
        print(f"\nc/a = {ratio_c_a:.2f}   target <= {TARGET_INGEST_VS_FLOOR}: "
              f"{ok(ratio_c_a <= TARGET_INGEST_VS_FLOOR)}")
        print(f"b/d = {ratio_b_d:.2f}   target >= {TARGET_SPEEDUP_VS_PANDAS}: "
              f"{ok(ratio_b_d >= TARGET_SPEEDUP_VS_PANDAS)}")
        # What b/d >= 2 asks of this machine: d <= b/2. Our ingest does more than the floor's
        # bare load (checks, typed parsing, two tables, one transaction), so where b/2 is below
        # a the target asks for more than DuckDB's own load of the file achieves.
        bound = b.wall_s / TARGET_SPEEDUP_VS_PANDAS
        print(f"      b/a = {b.wall_s / a.wall_s:.2f}: b/d >= {TARGET_SPEEDUP_VS_PANDAS} needs d <= {bound:.2f} s, "
              + ("below" if bound < a.wall_s else "above") + f" the floor's {a.wall_s:.2f} s")
        print(f"our peak RSS {peak:.0f} MB vs pandas {b.rss_mb:.0f} MB   target below pandas: "
              f"{ok(peak < b.rss_mb)}")
        timed = [r for st in (a, b, c, d_ing, d_kpi) for r in st.runs]
        others = [r.others_cpu_s for r in timed if r.others_cpu_s is not None]
        busy = (f"other processes used {sum(others):.1f} CPU-s during the {sum(r.wall_s for r in timed):.0f} s "
                "of timed steps" + (" -- the machine was shared, times are upper bounds"
                                    if sum(others) > 0.1 * sum(r.wall_s for r in timed) else "")
                if others else "contention unknown (no /proc/stat)")
        print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
              f"{datetime.now().astimezone().isoformat(timespec='seconds')}; lib/ fingerprint "
              f"{fingerprint}{'' if fingerprint == code_fingerprint() else ' (lib/ changed during the run)'}"
              f"; {busy}")
        print(f"pandas_peak_rss_mb={b.rss_mb:.0f}")
        print(f"ingest_vs_floor={ratio_c_a:.2f} pipeline_speedup_vs_pandas={ratio_b_d:.2f} "
              f"peak_rss_mb={peak:.0f}")
        return 0
    finally:
        if not args.keep:  # only what this run wrote
            csv_path.unlink(missing_ok=True)
            for i in range(args.repeat):
                for name in (f"floor_{i}.duckdb", f"ours_c_{i}.duckdb", f"ours_d_{i}.duckdb"):
                    fresh(out, name)
            if created_out and not any(out.iterdir()):
                out.rmdir()


if __name__ == "__main__":
    sys.exit(main())
