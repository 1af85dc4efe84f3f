"""`python -m lib.cli export`: what users entered on the Operations, Risk and Team pages.

    export --workspace PATH [--what risks|targets|actions|okrs|sla|all] [--as-of DATE]
           [--format csv|json] [--out FILE]

- risks: the register (score = likelihood × impact)
- targets: every target with its attainment computed from the data (never typed in)
- actions: the PDCA improvement log
- okrs: objectives and key results with their progress
- sla: the SLA limits per stage
CSV writes one table (`--what all` needs JSON). Exit codes: 0 success; 2 invalid input or a
workspace that cannot be used (a message on stderr, never a traceback).
"""
from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

import pandas as pd

from lib.cli_args import iso_date
from lib.errors import ShoplensError
from lib.imports import guard_cell
from lib.workspace import Workspace, open_workspace

WHAT = ("risks", "targets", "actions", "okrs", "sla", "all")


def export_tables(ws: Workspace, what: str, as_of: date | None = None) -> dict[str, pd.DataFrame]:
    """The tables `what` names (all of them for 'all'), as DataFrames."""
    from lib import operations, risk, team

    out: dict[str, pd.DataFrame] = {}
    if what in ("risks", "all"):
        out["risks"] = risk.list_risks(ws)
    if what in ("targets", "all"):
        out["targets"] = team.attainment(ws, as_of)
    if what in ("actions", "all"):
        out["actions"] = operations.list_improvements(ws)
    if what in ("okrs", "all"):
        objectives, key_results = team.okr_progress(ws, as_of)
        out["objectives"], out["key_results"] = objectives, key_results
    if what in ("sla", "all"):
        out["sla"] = pd.DataFrame(sorted(operations.get_sla(ws).items()), columns=["stage", "hours"])
    return out


def _plain(value: object) -> object:
    if value is None or (not isinstance(value, (str, list, dict)) and pd.isna(value)):
        return None
    if isinstance(value, (date, pd.Timestamp)):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()  # type: ignore[union-attr]
    return value


def to_json(tables: dict[str, pd.DataFrame]) -> str:
    doc = {name: [{k: _plain(v) for k, v in row.items()} for row in df.to_dict("records")]
           for name, df in tables.items()}
    return json.dumps(doc, ensure_ascii=False, indent=1, default=str)


def to_csv(df: pd.DataFrame) -> str:
    """CSV a spreadsheet opens safely (formula-like text cells disarmed)."""
    safe = df.astype(object).map(lambda v: guard_cell(v) if isinstance(v, str) else _plain(v))
    return safe.to_csv(index=False, lineterminator="\n")


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """`to_csv` as a download: UTF-8 with a BOM, so Excel (Chinese locales included) reads the
    text correctly; formula-like text cells disarmed, numbers untouched."""
    return ("\ufeff" + to_csv(df)).encode("utf-8")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m lib.cli export",
                                description="Export risks, targets, actions, OKRs or SLA limits")
    p.add_argument("--workspace", required=True)
    p.add_argument("--what", choices=WHAT, default="all")
    p.add_argument("--as-of", type=iso_date, help="attainment as of this day (default: last data day)")
    p.add_argument("--format", choices=("csv", "json"), default="json")
    p.add_argument("--out", help="write to this file instead of standard output")
    return p


def export_cli(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.format == "csv" and args.what == "all":
        print("error: CSV holds one table: choose --what risks|targets|actions|okrs|sla, or use "
              "--format json", file=sys.stderr)
        return 2
    try:
        ws = open_workspace(args.workspace, create=False)
        try:
            tables = export_tables(ws, args.what, args.as_of)
        finally:
            ws.close()
    except ShoplensError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.format == "json":
        text = to_json(tables)
    else:
        name = "objectives" if args.what == "okrs" else args.what
        text = to_csv(tables[name]) if args.what != "okrs" else (
            to_csv(tables["objectives"]) + "\n" + to_csv(tables["key_results"]))
    emit(text, args.out)
    return 0


def emit(text: str, out: str | None) -> None:
    """Write `text` to the file `out`, or to standard output (ending in a newline)."""
    if out:
        Path(out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


if __name__ == "__main__":
    sys.exit(export_cli())
