"""The import log as a user sees it: history, rejected rows (and their safe CSV), uploads.

Everything here is plain Python over a `Workspace`, so the Data page and the tests share it.
"""
from __future__ import annotations

import csv
import hashlib
import io
import shutil
from dataclasses import dataclass
from datetime import date
from typing import BinaryIO

import pandas as pd

from lib.errors import Problem
from lib.i18n import format_name, reason_text, t
from lib.ingest.load import IngestOptions, IngestResult, ingest_path
from lib.ingest.mapping import ROLES, GenericMapping
from lib.ingest.progress import step
from lib.metrics.engine import refresh_facts
from lib.scenario import guard_text
from lib.sql import query_frame, quote_ident
from lib.table import INT, Table, build_table
from lib.workspace import Workspace, private_tempfile

REJECTED_COLUMNS = ("row_number", "column", "value", "reason")
HISTORY_COLUMNS = (
    "batch_id", "file_name", "format", "rows_read", "rows_loaded", "rows_rejected", "orders",
    "date_min", "date_max", "currency", "finished_at", "status",
)
UPLOAD_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".zip", ".gz")


def _frame(ws: Workspace, sql: str, params: list[object]) -> pd.DataFrame:
    return query_frame(ws.cursor(), sql, params)


def rejected_rows(ws: Workspace, batch_id: int) -> pd.DataFrame:
    """Rows import `batch_id` rejected: row_number (file line), column, value, reason."""
    return _frame(
        ws,
        'SELECT row_number, "column", value, reason FROM rejected_rows WHERE batch_id = ? '
        'ORDER BY row_number, "column"',
        [batch_id],
    )


def guard_cell(value: object) -> str:
    """A CSV cell a spreadsheet shows as text: formula-like text gets a leading apostrophe."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return guard_text(value) if isinstance(value, str) else str(value)


def rejected_rows_csv(ws: Workspace, batch_id: int, lang: str = "en") -> bytes:
    """The rejected rows as UTF-8 CSV with a BOM (so Excel reads it), formula cells disarmed;
    the reasons in `lang` (the columns keep their names: a file for tools as well as people)."""
    df = rejected_rows(ws, batch_id)
    df["reason"] = [reason_text(str(r), lang) if r is not None else r for r in df["reason"]]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(REJECTED_COLUMNS)
    for row in df.itertuples(index=False, name=None):
        writer.writerow([guard_cell(v) for v in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def import_history(ws: Workspace) -> pd.DataFrame:
    """Every import, newest first, with the columns in `HISTORY_COLUMNS`."""
    cols = ", ".join(quote_ident(c) for c in HISTORY_COLUMNS)  # constants, not user input
    return _frame(ws, f"SELECT {cols} FROM imports ORDER BY batch_id DESC", [])


@dataclass(frozen=True)
class Coverage:
    """What the loaded orders span: the default for the date filter, and the channel list."""

    date_min: date | None
    date_max: date | None
    channels: tuple[str, ...]


def data_coverage(ws: Workspace) -> Coverage:
    cur = ws.cursor()
    row = cur.execute("SELECT min(order_date), max(order_date) FROM orders").fetchone()
    channels = cur.execute(
        "SELECT DISTINCT channel FROM orders WHERE channel IS NOT NULL ORDER BY 1"
    ).fetchall()
    lo, hi = (row if row else (None, None))
    return Coverage(lo, hi, tuple(c[0] for c in channels))


def sha256_of(stream: BinaryIO) -> str:
    """Hash a file-like object from its start, in chunks (an upload can be 250 MB)."""
    stream.seek(0)
    h = hashlib.sha256()
    while chunk := stream.read(8 * 1024 * 1024):
        h.update(chunk)
    stream.seek(0)
    return h.hexdigest()


def ingest_upload(ws: Workspace, name: str, stream: BinaryIO,
                  options: IngestOptions | None = None) -> list[IngestResult]:
    """Write an upload to a private file in the workspace's staging dir, then ingest it.

    The temp file gets a known suffix only (never the user's name) and is removed afterwards.
    """
    lower = name.lower()
    suffix = next((s for s in UPLOAD_SUFFIXES if lower.endswith(s)), ".upload")
    with private_tempfile(ws, suffix) as tmp:
        step("save", name)
        stream.seek(0)
        with open(tmp, "wb") as out:
            shutil.copyfileobj(stream, out, 8 * 1024 * 1024)
        results = ingest_path(ws, tmp, name, options)
    if any(r.status == "loaded" for r in results):
        # The KPI fact tables, rebuilt now while the user waits for the upload anyway (at 1M
        # lines ~1.5 s), instead of on the first Overview view after it.
        step("facts", name)
        refresh_facts(ws)
    return results


def title_lines(result: IngestResult) -> int | None:
    """If a file was refused only for title lines above its header, how many to skip."""
    if result.status != "refused" or result.key != "ingest.title_lines":
        return None
    return int(result.params["n"])  # type: ignore[call-overload]


def build_mapping(selected: dict[str, str], *, name: str = "", day_first: bool | None = None,
                  currency: str = "") -> GenericMapping:
    """A GenericMapping from the mapping form: empty choices dropped, inputs trimmed."""
    columns = {role: col for role, col in selected.items() if role in ROLES and col}
    kwargs: dict[str, object] = {"columns": columns, "day_first": day_first,
                                 "currency": currency.strip().upper() or None}
    if name.strip():
        kwargs["name"] = name.strip()[:60]
    return GenericMapping(**kwargs)  # type: ignore[arg-type]


def history_view(history: pd.DataFrame, lang: str = "en") -> Table:
    """`import_history` as the Data page shows it: format names in the reader's language,
    counts as numbers (they sort as numbers) with separators, dates and the finishing minute (no
    microseconds), '—' for what an import has not got (a risk register has no dates or
    currency), headers translated."""
    none = t("value.none", lang)

    def day(v: object) -> str:
        return none if v is None or pd.isna(v) else pd.Timestamp(v).date().isoformat()  # type: ignore[arg-type]

    counts = ("rows_read", "rows_loaded", "rows_rejected", "orders")
    out = pd.DataFrame({
        "batch_id": history["batch_id"].astype("int64"),
        "file_name": history["file_name"],
        "format": [format_name(f, lang) for f in history["format"]],
        **{c: history[c].tolist() for c in counts},
        "date_min": [day(v) for v in history["date_min"]],
        "date_max": [day(v) for v in history["date_max"]],
        "currency": [none if v is None or pd.isna(v) else str(v) for v in history["currency"]],
        "finished_at": [none if v is None or pd.isna(v) else pd.Timestamp(v).strftime("%Y-%m-%d %H:%M")
                        for v in history["finished_at"]],
        "status": [t(f"status.{s}", lang) for s in history["status"]],
    })
    return build_table(out, {c: INT for c in counts}, lambda c: t(f"col.{c}", lang))


def problems_frame(problems: list[Problem], lang: str = "en") -> pd.DataFrame:
    """Problems of one file as a table with the same columns as `rejected_rows` (the reason
    in `lang`)."""
    return pd.DataFrame([(p.line, p.column, p.raw_value, reason_text(p.reason, lang)) for p in problems],
                        columns=list(REJECTED_COLUMNS))
