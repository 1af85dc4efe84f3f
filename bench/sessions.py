"""Sessions benchmark: many people on one app at once (RELIABILITY L2, a team in a planning
session), measured over the app's real WebSocket protocol.

`python -m bench.sessions [--sessions 1,5,10] [--reruns 3] [--page ""] [--root .]`

1. Builds the demo store (sample_data.build_demo, seeded) into a private workspaces folder,
   once per run, and starts `streamlit run app.py` of `--root` on a free loopback port (the
   project's config; `--root` can point at a checkout of another commit to compare).
2. For each N: N raw WebSocket clients (the `websockets` package Streamlit itself serves with)
   connect at once, each asks for the page (`--page`, "" is the Overview at /) and then reruns
   it `--reruns` times, as a widget change would; a run lasts until the server's
   `script_finished`. Each client is its own session, as N browsers are.
3. Prints, per N: first-run and rerun latency (p50 and p95 over all clients), runs per second,
   failed connections, error or exception elements received, and the server's RSS afterwards.
   The first N's sessions also warm the server's caches for the later ones, as a meeting's
   first visitor does. A benchmark, not a test: it exits non-zero only when a session fails.
"""
from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Client:
    """What one session saw: seconds per run (first, then reruns), errors, a failure."""

    runs: list[float] = field(default_factory=list)
    errors: int = 0
    failure: str | None = None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _rss_mb(pid: int) -> float:
    """Resident memory of the server process and its children (Prophet's workers), MB."""
    total = 0
    for p in [pid, *_children(pid)]:
        try:
            with open(f"/proc/{p}/status", encoding="ascii") as fh:
                total += next(int(line.split()[1]) for line in fh if line.startswith("VmRSS:"))
        except (OSError, StopIteration):
            continue
    return total / 1024


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as fh:
            kids = [int(x) for x in fh.read().split()]
    except OSError:
        return []
    return kids + [g for k in kids for g in _children(k)]


def _run_once(ws, page: str) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    msg = BackMsg()
    msg.rerun_script.query_string = ""
    msg.rerun_script.page_name = page
    started = time.perf_counter()
    ws.send(msg.SerializeToString())
    errors = 0
    while True:
        fm = ForwardMsg()
        fm.ParseFromString(ws.recv(timeout=300))
        kind = fm.WhichOneof("type")
        if kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
            element = fm.delta.new_element
            shown = element.WhichOneof("type")
            if shown == "exception" or (shown == "alert" and element.alert.format == 1):  # ERROR
                errors += 1
        elif kind == "script_finished":
            return time.perf_counter() - started, errors


def _client(port: int, page: str, reruns: int, out: Client, start: threading.Barrier) -> None:
    from websockets.sync.client import connect

    try:
        start.wait(60)
        with connect(f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"],
                     open_timeout=60, max_size=None) as ws:
            for _ in range(reruns + 1):
                seconds, errors = _run_once(ws, page)
                out.runs.append(seconds)
                out.errors += errors
    except Exception as exc:  # noqa: BLE001 - a benchmark reports every failure, whatever it is
        out.failure = f"{type(exc).__name__}: {exc}"


def _p(values: list[float], q: float) -> float:
    xs = sorted(values)
    return xs[round(q * (len(xs) - 1))] if xs else float("nan")


def _wait_healthy(port: int, proc: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"streamlit exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("streamlit did not start")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", default="1,5,10", help="numbers of sessions at once, in order")
    parser.add_argument("--reruns", type=int, default=3, help="reruns per session after its first run")
    parser.add_argument("--page", default="", help='url path of the page ("" = the Overview at /)')
    parser.add_argument("--root", type=Path, default=ROOT, help="checkout whose app.py to serve")
    args = parser.parse_args(argv)
    counts = [int(n) for n in args.sessions.split(",") if n.strip()]
    folder = Path(tempfile.mkdtemp(prefix="shoplens-sessions-"))
    port = _free_port()
    proc = None
    try:
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "sample_data.build_demo", "--workspace",
                        str(folder / "demo.duckdb")], cwd=ROOT, check=True, capture_output=True)
        print(f"demo store built in {time.perf_counter() - t:.1f} s; serving {args.root / 'app.py'}")
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(args.root / "app.py"),
             "--server.port", str(port), "--server.address", "127.0.0.1"],
            cwd=args.root, env={**os.environ, "SHOPLENS_WORKSPACES": str(folder)},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        _wait_healthy(port, proc)
        failed = False
        print(f"page {args.page or '/'}, {args.reruns} reruns per session, {os.cpu_count()} cores")
        print(f"{'sessions':>8} {'first p50':>9} {'first p95':>9} {'rerun p50':>9} {'rerun p95':>9}"
              f" {'runs/s':>7} {'failed':>6} {'errors':>6} {'server RSS':>10}")
        for n in counts:
            clients = [Client() for _ in range(n)]
            start = threading.Barrier(n)
            threads = [threading.Thread(target=_client, args=(port, args.page, args.reruns, c, start))
                       for c in clients]
            t = time.perf_counter()
            for th in threads:
                th.start()
            for th in threads:
                th.join()
            wall = time.perf_counter() - t
            first = [c.runs[0] for c in clients if c.runs]
            reruns = [r for c in clients for r in c.runs[1:]]
            runs = sum(len(c.runs) for c in clients)
            fails = [c.failure for c in clients if c.failure]
            failed |= bool(fails)
            print(f"{n:>8} {_p(first, .5):>8.2f}s {_p(first, .95):>8.2f}s {_p(reruns, .5):>8.2f}s "
                  f"{_p(reruns, .95):>8.2f}s {runs / wall:>7.2f} {len(fails):>6} "
                  f"{sum(c.errors for c in clients):>6} {_rss_mb(proc.pid):>7.0f} MB", flush=True)
            for f in fails[:3]:
                print(f"         failed: {f}")
        return 1 if failed else 0
    finally:
        if proc is not None and proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=20)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
