"""A workspace is one DuckDB file: canonical tables, the import log and rejected rows.

Why one file each: a consultant keeps one per client, and nothing can leak between files.
Every load goes through `load_batch`, one transaction that either lands whole or not at all,
and keeps what it replaced so an import can be undone.
"""
from __future__ import annotations

import os
import secrets
import shutil
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Literal
from zoneinfo import available_timezones

import duckdb

from lib.errors import WalDamagedError, WorkspaceError
from lib.sql import internal_name

if TYPE_CHECKING:  # pyarrow is loaded by whoever builds a table; the CLI starts faster without
    import pyarrow as pa

SCHEMA_VERSION = 1

# (table, key columns, merge) — merge: a new row only overwrites the columns it actually has.
_MONEY = "DECIMAL(18,2)"


@dataclass(frozen=True)
class TableSpec:
    """A canonical table: its columns (name, SQL type) and the key a re-import replaces by."""

    name: str
    columns: tuple[tuple[str, str], ...]
    key: tuple[str, ...]
    merge: bool = False
    # A column a re-import leaves empty on every one of its rows keeps the stored values of
    # the rows it replaces: a later export without that column (another header variant, a
    # column removed in the platform's settings) must not blank what an earlier one held.
    keep_unsupplied: bool = False

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c for c, _ in self.columns)


TABLES: dict[str, TableSpec] = {
    t.name: t
    for t in (
        TableSpec(
            "orders",
            (
                ("source", "VARCHAR"), ("order_id", "VARCHAR"), ("kind", "VARCHAR"),
                ("channel", "VARCHAR"), ("customer_id", "VARCHAR"),
                ("created_at", "TIMESTAMPTZ"), ("order_date", "DATE"),
                ("paid_at", "TIMESTAMPTZ"), ("fulfilled_at", "TIMESTAMPTZ"),
                ("delivered_at", "TIMESTAMPTZ"), ("cancelled_at", "TIMESTAMPTZ"),
                ("status", "VARCHAR"), ("financial_status", "VARCHAR"),
                ("fulfillment_status", "VARCHAR"), ("currency", "VARCHAR"),
                ("subtotal", _MONEY), ("discount", _MONEY), ("shipping", _MONEY),
                ("tax", _MONEY), ("total", _MONEY), ("refunded", _MONEY), ("fees", _MONEY),
                # Σ item price × quantity before discounts, for exports without line items
                # (Etsy Sold Orders); KPIs use it only for orders that have no lines.
                ("items_gross", _MONEY),
                ("discount_code", "VARCHAR"), ("country", "VARCHAR"), ("region", "VARCHAR"),
                ("city", "VARCHAR"), ("is_test", "BOOLEAN"),
            ),
            ("source", "order_id"),
            keep_unsupplied=True,
        ),
        TableSpec(
            "order_lines",
            (
                ("source", "VARCHAR"), ("order_id", "VARCHAR"), ("line_no", "INTEGER"),
                ("line_type", "VARCHAR"), ("sku", "VARCHAR"), ("product_name", "VARCHAR"),
                ("variant", "VARCHAR"), ("category", "VARCHAR"), ("vendor", "VARCHAR"),
                ("quantity", "DECIMAL(18,3)"), ("unit_price", _MONEY), ("discount", _MONEY),
                ("line_total", _MONEY), ("currency", "VARCHAR"),
            ),
            # Re-importing an order replaces all of its lines, not line by line.
            ("source", "order_id"),
        ),
        TableSpec(
            "products",
            (
                ("sku", "VARCHAR"), ("name", "VARCHAR"), ("category", "VARCHAR"),
                ("vendor", "VARCHAR"), ("unit_cost", _MONEY), ("price", _MONEY),
                ("currency", "VARCHAR"), ("stock_on_hand", "DECIMAL(18,3)"),
                ("lead_time_days", "INTEGER"), ("supplier", "VARCHAR"),
                ("safety_stock", "DECIMAL(18,3)"), ("status", "VARCHAR"),
            ),
            ("sku",),
            merge=True,
        ),
        TableSpec(
            "customers",
            (
                ("source", "VARCHAR"), ("customer_id", "VARCHAR"), ("country", "VARCHAR"),
                ("region", "VARCHAR"), ("accepts_marketing", "BOOLEAN"),
                ("total_spent", _MONEY), ("total_orders", "INTEGER"), ("currency", "VARCHAR"),
                ("tags", "VARCHAR"),
            ),
            ("source", "customer_id"),
            merge=True,
        ),
        TableSpec(
            "traffic",
            (
                ("date", "DATE"), ("channel", "VARCHAR"), ("sessions", "BIGINT"),
                ("visitors", "BIGINT"), ("add_to_cart", "BIGINT"), ("checkouts", "BIGINT"),
            ),
            ("date", "channel"),
        ),
        TableSpec(
            "marketing",
            (
                ("date", "DATE"), ("channel", "VARCHAR"), ("campaign", "VARCHAR"),
                ("spend", _MONEY), ("impressions", "BIGINT"), ("clicks", "BIGINT"),
                ("attributed_revenue", _MONEY),
            ),
            ("date", "channel", "campaign"),
        ),
        TableSpec(
            "targets",
            (
                ("kpi_id", "VARCHAR"), ("period_start", "DATE"), ("period_end", "DATE"),
                ("owner", "VARCHAR"), ("team", "VARCHAR"), ("target", "DECIMAL(18,4)"),
            ),
            ("kpi_id", "period_start", "period_end", "owner"),
        ),
        TableSpec(
            "risks",
            (
                ("risk_id", "VARCHAR"), ("title", "VARCHAR"), ("category", "VARCHAR"),
                ("likelihood", "INTEGER"), ("impact", "INTEGER"), ("owner", "VARCHAR"),
                ("response", "VARCHAR"), ("mitigation", "VARCHAR"), ("status", "VARCHAR"),
                ("review_on", "DATE"),
            ),
            ("risk_id",),
        ),
        TableSpec(
            "promotions",
            (
                ("promo_id", "VARCHAR"), ("name", "VARCHAR"), ("start_date", "DATE"),
                ("end_date", "DATE"), ("discount_code", "VARCHAR"),
                ("discount_pct", "DECIMAL(9,4)"), ("channel", "VARCHAR"),
            ),
            ("promo_id",),
        ),
        TableSpec(
            "fx_rates",
            (("currency", "VARCHAR"), ("rate_to_usd", "DECIMAL(18,8)")),
            ("currency",),
        ),
    )
}

# What an orders export can leave out entirely: Amazon's All Orders report has no refunds,
# CDNOW neither refunds nor cancellations. Such a format writes 0 for them, and a 0 % rate
# from it would say nothing: each import logs what its format records
# (`ExportFormat.records`), and the metrics that need one ask `Workspace.recorded` first.
Recorded = Literal["refunds", "cancellations"]
RECORDS_ALL: frozenset[Recorded] = frozenset({"refunds", "cancellations"})

_OWN_TABLES = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS imports (
    batch_id INTEGER PRIMARY KEY, file_name VARCHAR, sha256 VARCHAR, format VARCHAR,
    encoding VARCHAR, rows_read BIGINT, rows_loaded BIGINT, rows_rejected BIGINT,
    orders BIGINT, order_lines BIGINT, date_min DATE, date_max DATE, currency VARCHAR,
    started_at TIMESTAMPTZ, finished_at TIMESTAMPTZ, status VARCHAR, message VARCHAR,
    file_bytes BIGINT, records_refunds BOOLEAN, records_cancellations BOOLEAN);
CREATE TABLE IF NOT EXISTS rejected_rows (
    batch_id INTEGER, row_number BIGINT, "column" VARCHAR, value VARCHAR, reason VARCHAR);
CREATE TABLE IF NOT EXISTS mapping_templates (
    fingerprint VARCHAR PRIMARY KEY, name VARCHAR, mapping_json VARCHAR,
    created_at TIMESTAMPTZ);
CREATE TABLE IF NOT EXISTS improvements (
    id VARCHAR PRIMARY KEY, title VARCHAR, metric VARCHAR, started_on DATE, owner VARCHAR,
    hypothesis VARCHAR, status VARCHAR);
CREATE TABLE IF NOT EXISTS scenarios (
    name VARCHAR PRIMARY KEY, params VARCHAR, created_at TIMESTAMPTZ);
"""


def _create_sql(spec: TableSpec) -> str:
    cols = ", ".join(f"{internal_name(c)} {t}" for c, t in spec.columns)
    name = internal_name(spec.name)
    replaced = internal_name(spec.name + "_replaced")
    return (
        f"CREATE TABLE IF NOT EXISTS {name} ({cols}, batch_id INTEGER);\n"
        f"CREATE TABLE IF NOT EXISTS {replaced} ({cols}, batch_id INTEGER, replaced_by INTEGER);"
    )


@dataclass(frozen=True)
class BatchCounts:
    """Rows written per table by one load."""

    rows: dict[str, int]


_writer_locks: dict[str, threading.RLock] = {}
_writer_locks_guard = threading.Lock()


def writer_lock(path: Path) -> threading.RLock:
    """The process-wide lock that serialises writes to the workspace file at `path`."""
    key = str(Path(path).resolve())
    with _writer_locks_guard:
        return _writer_locks.setdefault(key, threading.RLock())


# A page's query that runs longer than this stops with duckdb.InterruptException, which the
# app shows as a message, and the connection goes on (RELIABILITY E7/P14). Page queries on a
# million order lines take a few seconds; loads and other writes have no limit (their cursor
# comes from `transaction()`).
QUERY_TIME_LIMIT_MS = 60_000


class Workspace:
    """An open workspace: one DuckDB connection with external access limited to its staging dir.

    Queries use `cursor()` (time-limited); loads use `transaction()`. File reads are only
    possible from the private staging directory, and Python replacement scans are off, so no
    SQL can reach a file or a Python variable it was not meant to.
    """

    query_time_limit_ms = QUERY_TIME_LIMIT_MS

    def __init__(self, path: Path, con: duckdb.DuckDBPyConnection, staging: Path,
                 wal_set_aside: Path | None = None) -> None:
        self.path = path
        self.con = con
        self.staging = staging
        # Where a damaged write-ahead log was moved when this open recovered from it (E3).
        self.wal_set_aside = wal_set_aside
        # The shop's time zone, read once: every cursor sets it, and a page opens dozens of
        # cursors a run. Only set_timezone changes it (no other process can write the file
        # while this one has it open).
        self._timezone: str | None = None
        # Transactions committed (`transaction`, which every write to the import log and the
        # exchange rates goes through; one process holds the file, and DuckDB opens it once
        # per process): `version` is remembered between them.
        self._commits = 0
        self._version: tuple[int, str] | None = None  # (commits when read, version)

    def version(self) -> str:
        """What results cached across reruns depend on besides their inputs: changes with every
        import or undo, every exchange rate saved (the sidebar saves those outside any import)
        and the time zone. The app asks for it once per cached figure on every rerun: the
        tables are read again only after a transaction has committed."""
        commits = self._commits  # taken before reading: a commit after that reads again
        if self._version is None or self._version[0] != commits:
            row = self.cursor().execute(
                "SELECT (SELECT count(*) || ':' || coalesce(max(batch_id), 0) || ':' "
                "        || count(*) FILTER (WHERE status = 'loaded') FROM imports), "
                "(SELECT count(*) || ':' || coalesce(string_agg(currency || '=' "
                "        || CAST(rate_to_usd AS VARCHAR), ',' ORDER BY currency), '') FROM fx_rates)"
            ).fetchone()
            self._version = (commits, f"{row[0]}|{row[1]}" if row else "")
        return f"{self._version[1]}|{self.timezone}"

    # -- settings -----------------------------------------------------------------------
    def meta(self, key: str, default: str | None = None) -> str | None:
        row = self.con.cursor().execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        self.con.cursor().execute(
            "INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, value]
        )

    @property
    def salt(self) -> str:
        value = self.meta("salt")
        assert value is not None, "workspace has no salt"
        return value

    @property
    def timezone(self) -> str:
        if self._timezone is None:
            self._timezone = self.meta("timezone", "UTC") or "UTC"
        return self._timezone

    @staticmethod
    def time_zones() -> list[str]:
        """The zones `set_timezone` accepts, UTC first."""
        return ["UTC", *sorted(z for z in available_timezones() if z != "UTC")]

    def set_timezone(self, tz: str) -> None:
        if tz not in available_timezones():
            raise WorkspaceError(f"Unknown time zone {tz!r}: use a name like 'Asia/Shanghai'.")
        self.set_meta("timezone", tz)
        self._timezone = tz

    def cursor(self) -> duckdb.DuckDBPyConnection:
        cur = self.con.cursor()
        # Validated against the IANA list above, so it is an allow-listed literal.
        cur.execute(f"SET TimeZone = '{self.timezone}'")
        cur.execute(f"SET max_execution_time = {int(self.query_time_limit_ms)}")  # this cursor only
        return cur

    # -- loading --------------------------------------------------------------------------
    @contextmanager
    def transaction(self, cur: duckdb.DuckDBPyConnection | None = None
                    ) -> Iterator[duckdb.DuckDBPyConnection]:
        """One transaction on a new cursor, or on `cur` (whose temp tables it then sees).

        Writers of one workspace take turns (RELIABILITY E11/L7): DuckDB's optimistic
        concurrency would fail one of two overlapping writes with a conflict, or let both
        see the tables as they were before either and both insert the same orders. Readers
        never wait: each query reads the last committed version.
        """
        with writer_lock(self.path):
            cur = cur or self.con.cursor()
            cur.execute("BEGIN TRANSACTION")
            try:
                yield cur
            except BaseException:
                cur.execute("ROLLBACK")
                raise
            else:
                cur.execute("COMMIT")
                self._commits += 1

    def checkpoint(self) -> None:
        """Fold the write-ahead log into the file after a large load (best effort: with
        another connection's transaction open DuckDB refuses, and its automatic checkpoint
        does it later)."""
        with writer_lock(self.path):
            try:
                self.con.cursor().execute("CHECKPOINT")
            except duckdb.TransactionException:
                pass

    def next_batch_id(self, cur: duckdb.DuckDBPyConnection) -> int:
        row = cur.execute("SELECT coalesce(max(batch_id), 0) + 1 FROM imports").fetchone()
        return int(row[0]) if row else 1

    def is_empty(self, cur: duckdb.DuckDBPyConnection, table: str) -> bool:
        row = cur.execute(f"SELECT NOT EXISTS (SELECT 1 FROM {internal_name(table)})").fetchone()
        return bool(row and row[0])

    def append(self, cur: duckdb.DuckDBPyConnection, table: str, select: str, batch_id: int) -> int:
        """Insert the rows of `select` (exactly the table's columns) into `table`, which the
        caller has found empty inside this transaction: nothing to replace, so no staging
        copy (a temp table and a second copy cost 0.5 s more at 1M lines). Merge tables
        always go through `upsert`."""
        if TABLES[table].merge:
            raise ValueError(f"{table} merges rows: use upsert")
        row = cur.execute(f"INSERT INTO {internal_name(table)} SELECT *, ? FROM ({select}) AS n",
                          [batch_id]).fetchone()
        return int(row[0]) if row else 0

    def upsert(self, cur: duckdb.DuckDBPyConnection, table: str, staged: str,
               batch_id: int) -> tuple[int, tuple[str, ...]]:
        """Write the rows of temp table `staged` into `table`, replacing rows with the same key;
        returns the rows written and the columns whose stored values were kept because the
        staged rows have none (TableSpec.keep_unsupplied).

        Replaced rows go to `<table>_replaced` with the batch that replaced them, so
        `undo_import` can put them back. Must run inside `transaction()`.
        """
        spec = TABLES[table]
        t, r, s = internal_name(table), internal_name(table + "_replaced"), internal_name(staged)
        cols = [internal_name(c) for c in spec.column_names]
        on = " AND ".join(f"o.{internal_name(k)} = n.{internal_name(k)}" for k in spec.key)
        # A first import into an empty table replaces nothing: skip the key look-ups (a hash
        # join over every staged row, twice).
        empty = self.is_empty(cur, table)
        kept: tuple[str, ...] = ()
        if not empty:
            cur.execute(
                f"INSERT INTO {r} SELECT o.*, ? FROM {t} o WHERE EXISTS "
                f"(SELECT 1 FROM {s} n WHERE {on})",
                [batch_id],
            )
            if spec.keep_unsupplied:
                kept = self._unsupplied(cur, spec, s, r, batch_id)
        delete = f"DELETE FROM {t} o WHERE EXISTS (SELECT 1 FROM {s} n WHERE {on})"
        if not spec.merge and not kept:  # the staged rows go in as they are: no intermediate copy
            if not empty:
                cur.execute(delete)
            cur.execute(f"INSERT INTO {t} SELECT {', '.join('n.' + c for c in cols)}, ? FROM {s} n",
                        [batch_id])
            n = cur.execute(f"SELECT count(*) FROM {s}").fetchone()
            return (int(n[0]) if n else 0), kept
        merged = set(spec.column_names) - set(spec.key) if spec.merge else set(kept)
        picked = ", ".join(
            f"coalesce(n.{c}, o.{c})" if c_name in merged else f"n.{c}"
            for c, c_name in zip(cols, spec.column_names)
        )
        # Merge needs the old values, so build the new rows before deleting the old ones.
        cur.execute(f"CREATE OR REPLACE TEMP TABLE _merged AS SELECT {picked}, ? FROM {s} n "
                    f"LEFT JOIN {t} o ON {on}", [batch_id])
        cur.execute(delete)
        cur.execute(f"INSERT INTO {t} SELECT * FROM _merged")
        n = cur.execute("SELECT count(*) FROM _merged").fetchone()
        cur.execute("DROP TABLE _merged")
        return (int(n[0]) if n else 0), kept

    @staticmethod
    def _unsupplied(cur: duckdb.DuckDBPyConnection, spec: TableSpec, staged: str, replaced: str,
                    batch_id: int) -> tuple[str, ...]:
        """Non-key columns empty on every staged row while a row they replace (just copied
        to `replaced` for this batch) has a value."""
        names = [c for c in spec.column_names if c not in spec.key]
        counts = cur.execute("SELECT " + ", ".join(f"count({internal_name(c)})" for c in names)
                             + f" FROM {staged}").fetchone() or ()
        empty = [c for c, n in zip(names, counts) if n == 0]
        if not empty:
            return ()
        held = cur.execute("SELECT " + ", ".join(f"count({internal_name(c)})" for c in empty)
                           + f" FROM {replaced} WHERE replaced_by = ?", [batch_id]).fetchone() or ()
        return tuple(c for c, n in zip(empty, held) if n)

    def undo_import(self, batch_id: int) -> None:
        """Remove what batch `batch_id` wrote and restore what it replaced, in one transaction."""
        with self.transaction() as cur:
            row = cur.execute(
                "SELECT status FROM imports WHERE batch_id = ?", [batch_id]
            ).fetchone()
            if row is None or row[0] != "loaded":
                raise WorkspaceError(f"Import #{batch_id} is not a loaded import; nothing undone.")
            for spec in TABLES.values():
                t = internal_name(spec.name)
                r = internal_name(spec.name + "_replaced")
                cols = ", ".join(internal_name(c) for c in spec.column_names)
                on = " AND ".join(f"o.{internal_name(k)} = h.{internal_name(k)}" for k in spec.key)
                cur.execute(f"DELETE FROM {t} WHERE batch_id = ?", [batch_id])
                cur.execute(
                    f"INSERT INTO {t} SELECT {cols}, batch_id FROM {r} h WHERE replaced_by = ? "
                    f"AND NOT EXISTS (SELECT 1 FROM {t} o WHERE {on})",
                    [batch_id],
                )
                cur.execute(
                    f"DELETE FROM {r} WHERE replaced_by = ? OR batch_id = ?", [batch_id, batch_id]
                )
            cur.execute(
                "UPDATE imports SET status = 'undone', finished_at = ? WHERE batch_id = ?",
                [datetime.now(timezone.utc), batch_id],
            )

    def register_arrow(self, cur: duckdb.DuckDBPyConnection, name: str, table: pa.Table) -> None:
        """Expose an Arrow table under an explicit name (replacement scans are off)."""
        cur.register(name, table)

    def recorded(self, what: Recorded) -> bool:
        """Whether the loaded orders exports record `what` at all. An export that does not
        (Amazon's All Orders report has no refunds) writes 0, so a 0 % refund rate from it
        alone would say nothing: the metrics needing it show why they are blank instead."""
        row = self.cursor().execute(f"SELECT {recorded_sql(what)}").fetchone()
        return bool(row and row[0])

    def imports(self) -> list[dict[str, object]]:
        cur = self.cursor()
        res = cur.execute("SELECT * FROM imports ORDER BY batch_id DESC")
        names = [d[0] for d in res.description]
        return [dict(zip(names, row)) for row in res.fetchall()]

    def close(self) -> None:
        self.con.close()


def _staging_dir(path: Path) -> Path:
    staging = path.with_name(path.name + ".staging")
    staging.mkdir(mode=0o700, exist_ok=True)
    return staging


# Staged files (private_tempfile) that a load in this process is still using.
_staged_in_use: set[str] = set()
_staged_guard = threading.Lock()


def remove_stale_staged(staging: Path) -> list[Path]:
    """Remove staged copies that no load is using any more (RELIABILITY E1); returns them.

    A load killed mid-way (kill -9, power cut) never reaches private_tempfile's clean-up and
    leaves a full copy of its upload behind, one per killed load. Which files are still in
    use is known exactly, without guessing from their age (a slow upload can be old and still
    running): `open_workspace` calls this only once DuckDB has the workspace open read-write,
    and DuckDB lets one process at a time do that (its file lock), so no load in another
    process can be using the staging dir; loads in this process register their files in
    `_staged_in_use`, checked under the same guard that registers them. The process-wide
    `writer_lock` would not do: a load holds it only for its final transaction, not while
    it stages and reads the copy. Only plain files directly in the dir are ours (DuckDB's own
    spill directory `tmp/` is left to DuckDB).
    """
    removed = []
    with _staged_guard:
        for entry in staging.iterdir():
            if entry.is_symlink() or not entry.is_file() or str(entry) in _staged_in_use:
                continue
            try:
                entry.unlink()
            except FileNotFoundError:
                continue
            removed.append(entry)
    return removed


def _wal(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def set_aside_wal(path: Path) -> Path:
    """Rename the workspace's write-ahead log to `<file>.wal.damaged-<UTC time>` (never
    deleted, never overwriting an earlier one) and return the new name. Only for a log DuckDB
    refused to replay (see open_workspace)."""
    wal = _wal(path)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    target = wal.with_name(f"{wal.name}.damaged-{stamp}")
    n = 1
    while target.exists():
        target = wal.with_name(f"{wal.name}.damaged-{stamp}-{n}")
        n += 1
    wal.rename(target)
    return target


def memory_limit_mb() -> int | None:
    """Each workspace's DuckDB memory limit: a quarter of the machine's memory, at least 1 GiB
    (None where the OS does not say: DuckDB's default then). Every open workspace is its own
    DuckDB instance, and DuckDB's default is 80 % of memory for each: a consultant's server
    with several client workspaces open could let them together claim more than the machine
    has (RELIABILITY section 3). A 1M-line load peaks near 1 GB; beyond the limit DuckDB
    spills to the workspace's staging folder. Set at connect, so it holds for log replay."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):
        return None
    return max(1024, total // 4 // 2**20) if total > 0 else None


def _connect(path: Path) -> duckdb.DuckDBPyConnection:
    config: dict[str, str | bool | int] = {
        "python_enable_replacements": False,
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": False,
        "allow_community_extensions": False,
        "threads": min(2, os.cpu_count() or 1),
    }
    limit = memory_limit_mb()
    if limit is not None:
        config["memory_limit"] = f"{limit}MiB"
    try:
        return duckdb.connect(str(path), config=config)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise WorkspaceError(
                f"Workspace {path.name} is open in another program (for example a running "
                "app or CLI). Close it and try again.",
                key="error.workspace_busy",
            ) from exc
        raise WorkspaceError(f"Workspace {path.name} cannot be opened: it may be damaged.") from exc
    except duckdb.ConnectionException as exc:  # already open in this process, differently
        raise WorkspaceError(
            f"Workspace {path.name} is already open in this program; use that connection.",
            key="error.workspace_busy") from exc
    except duckdb.Error as exc:
        # DuckDB 2.0 raises its base Error for a log it cannot replay ("Failure while
        # replaying WAL file ...: Corrupt WAL file: ... checksum ..."). A log cut short is
        # not this: DuckDB replays its complete entries and opens.
        if "WAL" in str(exc) and _wal(path).exists():
            raise WalDamagedError(path) from exc
        raise


def open_workspace(path: str | os.PathLike[str], *, create: bool = True,
                   recover_wal: bool = False) -> Workspace:
    """Open (or create) the workspace at `path`, migrating its schema if needed.

    A damaged write-ahead log (RELIABILITY E3) raises WalDamagedError, a message naming the
    workspace and the recovery, unless `recover_wal`: then the log is moved aside
    (`set_aside_wal`, kept, never deleted), the workspace opens as of its last checkpoint
    and `Workspace.wal_set_aside` names the moved log. Recovery is an explicit choice, not
    automatic: every import ends with a CHECKPOINT, so the imports are in the file, but
    entries made since (targets, risks, settings) live only in the log and are lost to the
    workspace once it is written again; an admin may want a copy of the files first. It is
    safe when it runs: DuckDB reports the damage only after taking the file's lock, so no
    other program has the workspace open.

    Staged upload copies that a killed load left behind are removed (remove_stale_staged).
    """
    path = Path(path).resolve()
    if path.suffix != ".duckdb":
        path = path.with_suffix(".duckdb")
    if not path.exists() and not create:
        raise WorkspaceError(f"No workspace at {path.name}.")
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = _staging_dir(path)
    moved: Path | None = None
    try:
        con = _connect(path)
    except WalDamagedError:
        if not recover_wal:
            raise
        moved = set_aside_wal(path)
        con = _connect(path)
    con.execute("SET temp_directory = ?", [str(staging / "tmp")])
    con.execute("SET allowed_directories = [?]", [str(staging) + os.sep])
    con.execute("SET enable_external_access = false")
    _migrate(con)
    remove_stale_staged(staging)
    return Workspace(path, con, staging, wal_set_aside=moved)


# Operations, risk and team chapters (lib/operations.py, lib/risk.py, lib/team.py): what users
# enter on those pages. Additive only: older workspace files gain these on open.
_MANAGEMENT_TABLES = """
ALTER TABLE improvements ADD COLUMN IF NOT EXISTS ended_on DATE;
ALTER TABLE improvements ADD COLUMN IF NOT EXISTS created_at TIMESTAMPTZ;
CREATE TABLE IF NOT EXISTS improvement_status_log (
    id VARCHAR, status VARCHAR, changed_at TIMESTAMPTZ);
CREATE TABLE IF NOT EXISTS sla_targets (stage VARCHAR PRIMARY KEY, hours DOUBLE);
CREATE TABLE IF NOT EXISTS risk_sources (
    risk_id VARCHAR PRIMARY KEY, rule VARCHAR, subject VARCHAR, evidence VARCHAR,
    accepted_at TIMESTAMPTZ);
CREATE TABLE IF NOT EXISTS objectives (
    objective_id VARCHAR PRIMARY KEY, title VARCHAR, owner VARCHAR, team VARCHAR,
    period_start DATE, period_end DATE, created_at TIMESTAMPTZ);
CREATE TABLE IF NOT EXISTS key_results (
    kr_id VARCHAR PRIMARY KEY, objective_id VARCHAR, title VARCHAR, kpi_id VARCHAR,
    target DOUBLE, owner VARCHAR, created_at TIMESTAMPTZ);
"""


def _migrate(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(_OWN_TABLES)
    # Added after the first release: the file's size, so a new file of a size never loaded
    # before skips the duplicate check (and its hash can run beside the load).
    con.execute("ALTER TABLE imports ADD COLUMN IF NOT EXISTS file_bytes BIGINT")
    # And whether the export records refunds and cancellations at all (Workspace.recorded).
    for flag in ("records_refunds", "records_cancellations"):
        con.execute(f"ALTER TABLE imports ADD COLUMN IF NOT EXISTS {flag} BOOLEAN")
    _backfill_records(con)
    con.execute(_MANAGEMENT_TABLES)
    for spec in TABLES.values():
        con.execute(_create_sql(spec))
    if con.execute("SELECT 1 FROM meta WHERE key = 'salt'").fetchone() is None:
        con.execute("INSERT INTO meta VALUES ('salt', ?)", [secrets.token_hex(16)])
        con.execute("INSERT INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
        con.execute("INSERT INTO meta VALUES ('timezone', 'UTC')")


def recorded_sql(what: Recorded) -> str:
    """SQL for `Workspace.recorded(what)`: false only when orders were loaded and none of
    their imports records `what`. What cannot tell counts as recorded: an import logged
    before the flags whose format is not known (NULL), orders written without an import."""
    return (f"coalesce((SELECT bool_or(coalesce({_records_column(what)}, true)) "
            f"FROM imports WHERE status = 'loaded' AND orders > 0), true)")


def known_sql(alias: str, what: Recorded) -> str:
    """SQL: whether the import that wrote order `alias` records `what` (true when nothing
    says otherwise: no import, or one logged before the flags from an unknown format). The
    rates count only such orders: an Amazon order beside Shopify's is not an unrefunded one."""
    return (f"coalesce((SELECT i.{_records_column(what)} FROM imports i "
            f"WHERE i.batch_id = {alias}.batch_id), true)")


def _records_column(what: Recorded) -> str:
    """The import log's flag for `what` (quoted), or ValueError for an unknown kind."""
    if what not in RECORDS_ALL:
        raise ValueError(f"unknown record kind {what!r}")
    return internal_name("records_" + what)


def _backfill_records(con: duckdb.DuckDBPyConnection) -> None:
    """Imports logged before the `records_*` flags get their format's (a mapped file's status
    column is no longer known: left NULL, which `recorded` reads as recorded)."""
    row = con.execute("SELECT count(*) FROM imports WHERE records_refunds IS NULL").fetchone()
    if not row or not row[0]:
        return
    from lib.ingest.formats import FORMATS  # the formats are plain data; only needed here

    known = [(f.id, "refunds" in f.records, "cancellations" in f.records) for f in FORMATS]
    known.append(("generic", False, None))
    # One statement: a format no longer known stays NULL, and this runs again at each open.
    con.execute(
        "UPDATE imports SET records_refunds = v.r, records_cancellations = v.c FROM (VALUES "
        + ", ".join(["(?, ?::BOOLEAN, ?::BOOLEAN)"] * len(known)) + ") AS v(f, r, c) "
        "WHERE imports.format = v.f AND imports.records_refunds IS NULL",
        [x for row in known for x in row])


def list_workspaces(folder: str | os.PathLike[str]) -> list[Path]:
    """Workspace files in `folder`, by name."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.duckdb") if p.is_file())


@contextmanager
def private_tempfile(ws: Workspace, suffix: str) -> Iterator[Path]:
    """A file inside the workspace's staging dir (the only place DuckDB may read), removed after."""
    with _staged_guard:  # registered before remove_stale_staged can see it
        fd, name = tempfile.mkstemp(suffix=suffix, dir=ws.staging)
        _staged_in_use.add(name)
    os.close(fd)
    try:
        yield Path(name)
    finally:
        try:
            os.unlink(name)
        except FileNotFoundError:
            pass
        with _staged_guard:
            _staged_in_use.discard(name)


def delete_workspace(path: Path) -> None:
    """Remove a workspace file, its WAL and its staging directory."""
    for p in (path, path.with_name(path.name + ".wal")):
        if p.exists():
            p.unlink()
    shutil.rmtree(path.with_name(path.name + ".staging"), ignore_errors=True)
