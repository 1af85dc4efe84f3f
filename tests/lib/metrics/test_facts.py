"""The fact tables follow the data: rebuilt after a load, a re-load and an undo, and only then."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from lib.ingest.load import ingest_path
from lib.metrics.core import compute_core_kpis
from lib.metrics.facts import STAMP_KEY, data_stamp, ensure_facts
from lib.workspace import open_workspace
from tests.lib.ingest.fixtures import SHOPIFY_ROWS, shopify_file


def test_facts_are_rebuilt_when_an_import_lands_or_is_undone(tmp_path: Path) -> None:
    ws = open_workspace(tmp_path / "w.duckdb")
    try:
        [first] = ingest_path(ws, shopify_file(tmp_path, "a.csv", SHOPIFY_ROWS[:2]))
        assert compute_core_kpis(ws).gross_sales == Decimal("25.50")
        stamp = ws.meta(STAMP_KEY)
        ensure_facts(ws)
        assert ws.meta(STAMP_KEY) == stamp  # nothing changed: nothing rebuilt
        [second] = ingest_path(ws, shopify_file(tmp_path, "b.csv", SHOPIFY_ROWS))
        assert compute_core_kpis(ws).gross_sales == Decimal("46.50")
        assert ws.meta(STAMP_KEY) != stamp
        ws.undo_import(second.batch_id)
        assert compute_core_kpis(ws).gross_sales == Decimal("25.50")
        ws.undo_import(first.batch_id)
        assert compute_core_kpis(ws).orders == 0
    finally:
        ws.close()


def test_the_stamp_covers_each_table_the_facts_read(tmp_path: Path) -> None:
    ws = open_workspace(tmp_path / "w.duckdb")
    try:
        before = data_stamp(ws)
        with ws.transaction() as cur:
            cur.execute("INSERT INTO traffic (date, channel, sessions, batch_id) "
                        "VALUES (DATE '2024-03-01', 'web', 5, 1)")
        assert data_stamp(ws) != before
    finally:
        ws.close()


def test_facts_hold_no_customer_identifiers_only_numbers(tmp_path: Path) -> None:
    ws = open_workspace(tmp_path / "w.duckdb")
    try:
        ingest_path(ws, shopify_file(tmp_path))
        ensure_facts(ws)
        cols = ws.cursor().execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_name LIKE 'metrics_%' AND column_name IN ('cust', 'customer_id')").fetchall()
        assert cols and all(c == "cust" and t == "BIGINT" for _, c, t in cols)
    finally:
        ws.close()
