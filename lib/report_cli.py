"""`python -m lib.cli report`: the Customers, Products and Pricing analyses from a terminal,
and the shop report (the Overview page's HTML download) for automation.

    report CHAPTER --workspace PATH [--start DATE --end DATE] [--currency USD] [--channel C]...
           [--format json|csv] [--table NAME] [--out FILE]
    report shop --workspace PATH [--start DATE --end DATE] [--currency USD] [--channel C]...
           [--lang en|zh] [--breakdown channel|platform|category|product|country] [--out FILE]

Chapters and their tables (the same functions the pages call, so the numbers are the pages'):
- customers: segments, rfm (one row per customer), cohorts, churn (thresholds), churn_statuses,
  at_risk
- products: abc, abc_summary, inventory, inventory_summary
- pricing: discount_codes
JSON holds every table of the chapter; CSV one (`--table`); `shop` writes one self-contained
HTML file (lib/overview_report.py). Exit codes: 0 success; 2 invalid input, no orders for the
filters, or a workspace that cannot be used (a message on stderr, never a traceback).
"""
from __future__ import annotations

import argparse
import sys
from datetime import date

import pandas as pd

from lib.errors import ShoplensError
from lib.cli_args import iso_date
from lib.export_cli import emit, to_csv, to_json
from lib.metrics.filters import Filters
from lib.workspace import Workspace, open_workspace

TABLES = {
    "customers": ("segments", "rfm", "cohorts", "churn", "churn_statuses", "at_risk"),
    "products": ("abc", "abc_summary", "inventory", "inventory_summary"),
    "pricing": ("discount_codes",),
}


def chapter_tables(ws: Workspace, chapter: str, filters: Filters) -> dict[str, pd.DataFrame]:
    """Every table of `chapter` for `filters` (empty tables when there are no orders)."""
    if chapter == "customers":
        from lib import customers as cu

        data = cu.customer_orders(ws, filters)
        if data is None:
            return {name: pd.DataFrame() for name in TABLES[chapter]}
        rfm = cu.rfm_table(data)
        report = cu.churn_report(data)
        return {"segments": cu.segment_summary(rfm), "rfm": rfm, "cohorts": cu.cohorts(data),
                "churn": pd.DataFrame([{"gaps": report.gaps,
                                        "expected_gap_days": report.expected_gap_days,
                                        "lapse_after_days": report.lapse_after_days,
                                        "currency": data.currency}]),
                "churn_statuses": report.statuses, "at_risk": cu.at_risk(ws, report)}
    if chapter == "products":
        from lib import products as pr

        ranked = pr.abc(pr.product_sales(ws, filters).table)
        plan = pr.inventory_plan(ws, filters, outlook=pr.demand_outlook(ws, filters))  # the page's default
        return {"abc": ranked, "abc_summary": pr.abc_summary(ranked), "inventory": plan,
                "inventory_summary": pr.inventory_summary(plan)}
    from lib import pricing

    return {"discount_codes": pricing.discount_codes(ws, filters).table}


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m lib.cli report",
                                description="Customers, products or pricing analyses")
    p.add_argument("chapter", choices=(*TABLES, "shop"))
    p.add_argument("--workspace", required=True)
    p.add_argument("--start", type=iso_date)
    p.add_argument("--end", type=iso_date)
    p.add_argument("--currency")
    p.add_argument("--channel", action="append")
    p.add_argument("--format", choices=("csv", "json"), default="json")
    p.add_argument("--table", help="the table to write as CSV (see the chapter's list)")
    p.add_argument("--out", help="write to this file instead of standard output")
    p.add_argument("--lang", choices=("en", "zh"), default="en", help="shop: the report's language")
    p.add_argument("--breakdown", default="channel", help="shop: the breakdown's dimension")
    return p


def shop_report(ws: Workspace, filters: Filters, lang: str = "en", breakdown: str = "channel",
                made_on: date | None = None) -> str | None:
    """The Overview's shop report for `filters`; None when they hold no orders."""
    from lib.metrics.overview import BREAKDOWNS, compute_overview
    from lib.overview_report import chapter_sections, overview_report

    if breakdown not in BREAKDOWNS:
        raise ShoplensError(f"unknown breakdown {breakdown!r}: use one of {', '.join(BREAKDOWNS)}")
    ov = compute_overview(ws, filters, breakdown)
    if not ov.has_orders:
        return None
    return overview_report(ov, made_on or date.today(), lang, chapter_sections(ws, filters, lang))


def report_cli(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    filters = Filters(start=args.start, end=args.end, currency=args.currency,
                      channels=tuple(args.channel or ()))
    if args.chapter == "shop":
        return _shop_cli(args, filters)
    names = TABLES[args.chapter]
    if args.format == "csv" and args.table not in names:
        print(f"error: CSV holds one table: add --table with one of {', '.join(names)}",
              file=sys.stderr)
        return 2
    try:
        ws = open_workspace(args.workspace, create=False)
        try:
            tables = chapter_tables(ws, args.chapter, filters)
        finally:
            ws.close()
    except ShoplensError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    text = to_json(tables) if args.format == "json" else to_csv(tables[args.table])
    emit(text, args.out)
    return 0


def _shop_cli(args: argparse.Namespace, filters: Filters) -> int:
    try:
        ws = open_workspace(args.workspace, create=False)
        try:
            doc = shop_report(ws, filters, args.lang, args.breakdown)
        finally:
            ws.close()
    except ShoplensError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if doc is None:
        print("error: no orders for these filters: nothing to report", file=sys.stderr)
        return 2
    emit(doc, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(report_cli())
