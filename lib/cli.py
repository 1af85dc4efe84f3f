"""`python -m lib.cli`: the same functions the pages call, for teams, automation and tests.

Exit codes: 0 success; 2 a file was refused or the request was invalid (message, never a
traceback).
"""
from __future__ import annotations

import argparse
import json
import sys
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

import duckdb

from lib.cli_args import iso_date
from lib.errors import ShoplensError
from lib.metrics.filters import BY_CHOICES, Filters
from lib.workspace import QUERY_TIME_LIMIT_MS, open_workspace


def _cmd_ingest(args: argparse.Namespace) -> int:
    # Imported here, not at the top: `kpis` and the other commands do not need the readers.
    from lib.ingest.load import IngestOptions, IngestResult, ingest_path
    from lib.ingest.mapping import GenericMapping

    mapping = None
    if args.mapping:
        try:
            text = Path(args.mapping).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ShoplensError(f"Cannot read the mapping file {Path(args.mapping).name}: "
                                f"{exc.strerror if isinstance(exc, OSError) else 'not UTF-8 text'}.",
                                key="cli.mapping_unreadable", file=Path(args.mapping).name) from None
        mapping = GenericMapping.from_json(text)
    options = IngestOptions(skip_lines=args.skip_lines, mapping=mapping,
                            decimal_comma=args.decimal_comma)
    ws = open_workspace(args.workspace)
    results = []
    show = sys.stderr.isatty() if args.progress is None else args.progress
    try:
        with _steps_to_stderr() if show else nullcontext():
            for f in args.files:
                p = Path(f)
                if not p.is_file():
                    results.append(IngestResult(file=p.name, status="refused",
                                                message=f"{p.name}: no such file"))
                    continue
                results.extend(ingest_path(ws, p, p.name, options))
    finally:
        ws.close()
    if args.json:
        print(json.dumps([r.to_json() for r in results], ensure_ascii=False, indent=1, default=str))
    else:
        for r in results:
            print(f"[{r.status}] {r.message}")
    return 0 if all(r.status in ("loaded", "duplicate") for r in results) else 2


def _steps_to_stderr() -> AbstractContextManager[None]:
    """Each step of each load on stderr, with the seconds since the command started: a big
    export takes a minute, and a terminal that prints nothing meanwhile looks stuck."""
    import time

    from lib.i18n import t
    from lib.ingest.progress import Step, reporting

    start = time.monotonic()

    def say(step: Step) -> None:
        print(f"{time.monotonic() - start:6.1f} s  {t(step.text_key, 'en', file=step.file)}",
              file=sys.stderr, flush=True)

    return reporting(say)


def _cmd_recover_wal(args: argparse.Namespace) -> int:
    """RELIABILITY E3: open a workspace whose write-ahead log is damaged as last saved, the
    log moved aside (kept); a workspace whose log is fine opens and is left as it is."""
    from lib.i18n import t

    ws = open_workspace(args.workspace, create=False, recover_wal=True)
    try:
        if ws.wal_set_aside is None:
            print(t("workspace.wal_intact", "en", workspace=ws.path.name))
        else:
            print(t("workspace.wal_set_aside", "en", workspace=ws.path.name,
                    file=str(ws.wal_set_aside)))
    finally:
        ws.close()
    return 0


def _cmd_timezone(args: argparse.Namespace) -> int:
    """Print the workspace's time zone, or set it (`--set`): the zone of the shop's times in
    files without an offset (mapped files) and of the hour-of-day views."""
    ws = open_workspace(args.workspace, create=False)
    try:
        if args.set:
            ws.set_timezone(args.set)
        print(ws.timezone)
    finally:
        ws.close()
    return 0


def _cmd_kpis(args: argparse.Namespace) -> int:
    """Every catalogue KPI (null with a reason when its data are absent), flat or per group."""
    from lib.metrics.catalogue import load_catalogue
    from lib.metrics.export import kpis_json

    ws = open_workspace(args.workspace, create=False)
    try:
        filters = Filters(start=args.start, end=args.end, currency=args.currency,
                          channels=tuple(args.channel or ()))
        out = kpis_json(ws, filters, args.by)
    finally:
        ws.close()
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=1, default=str))
        return 0
    cat = load_catalogue()
    rows = out.get("groups") or [out]
    for row in rows:  # type: ignore[union-attr]
        if args.by:
            print(f"\n[{args.by} = {row[args.by]}]")
        for mid in cat.ids:
            value = row.get(mid)
            text = value if value is not None else f"— ({row['unavailable'].get(mid, '')})"
            print(f"{mid:>24}: {text}")
    print(f"{'currency':>24}: {out['currency']}")
    return 0


# Subcommands with their own argument parsers: name -> (module, function(argv), help).
DELEGATED: dict[str, tuple[str, str, str]] = {
    "forecast": ("lib.forecast.cli", "forecast_cli",
                 "forecast a workspace series, with its backtest"),
    "export": ("lib.export_cli", "export_cli",
               "export risks, targets, actions, OKRs or SLA limits"),
    "report": ("lib.report_cli", "report_cli",
               "customers, products or pricing analyses (the pages' tables), or the shop report (HTML)"),
}


def main(argv: list[str] | None = None) -> int:
    try:
        return _main(argv)
    except duckdb.InterruptException:  # Workspace.cursor()'s time limit (RELIABILITY E7)
        print(f"error: a query took longer than {QUERY_TIME_LIMIT_MS // 1000} seconds and was "
              "stopped; narrow the dates (--start/--end) and try again.", file=sys.stderr)
        return 2


def _main(argv: list[str] | None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] and argv[0] in DELEGATED:
        import importlib

        module, func, _ = DELEGATED[argv[0]]
        return int(getattr(importlib.import_module(module), func)(argv[1:]))
    parser = argparse.ArgumentParser(prog="python -m lib.cli", description="Shoplens command line")
    sub = parser.add_subparsers(dest="cmd", required=True)
    ing = sub.add_parser("ingest", help="load export files into a workspace")
    ing.add_argument("files", nargs="+")
    ing.add_argument("--workspace", required=True)
    ing.add_argument("--json", action="store_true")
    ing.add_argument("--skip-lines", type=int, default=None,
                     help="confirm that this many title lines precede the header")
    ing.add_argument("--mapping", help="a JSON column mapping for a file of unknown layout")
    ing.add_argument("--decimal-comma", action="store_true", help="amounts are written 1.234,50")
    ing.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                     help="say each step of a load on stderr (default: when stderr is a terminal)")
    ing.set_defaults(func=_cmd_ingest)
    kp = sub.add_parser("kpis", help="print the KPIs of a workspace")
    kp.add_argument("--workspace", required=True)
    kp.add_argument("--start", type=iso_date)
    kp.add_argument("--end", type=iso_date)
    kp.add_argument("--currency")
    kp.add_argument("--channel", action="append")
    kp.add_argument("--by", choices=BY_CHOICES,
                    help="one entry per channel, category, month, ... instead of one total")
    kp.add_argument("--json", action="store_true")
    kp.set_defaults(func=_cmd_kpis)
    rw = sub.add_parser("recover-wal", help="open a workspace whose recovery log (.wal) is "
                        "damaged as last saved; the log is moved aside, not deleted")
    rw.add_argument("--workspace", required=True)
    rw.set_defaults(func=_cmd_recover_wal)
    tz = sub.add_parser("timezone", help="show or set (--set Asia/Shanghai) the shop's time zone")
    tz.add_argument("--workspace", required=True)
    tz.add_argument("--set", metavar="ZONE", help="an IANA time zone name")
    tz.set_defaults(func=_cmd_timezone)
    for name, (_, _, help_text) in DELEGATED.items():
        sub.add_parser(name, help=help_text, add_help=False)
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except ShoplensError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
