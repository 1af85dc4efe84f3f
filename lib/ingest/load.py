"""Load export files into a workspace: one file (or sheet) = one import = one transaction.

The steps: copy into the workspace's private staging dir → decide container, encoding and
dialect → detect the format by its header → read every row as text with an explicit dialect
(structural errors kept, not dropped) → parse and reject by row → upsert canonical tables and
write the import log, all in one transaction. A refused file writes nothing.
"""
from __future__ import annotations

import csv
import errno
import hashlib
import mmap
import os
import re
import shutil
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime, timezone
from itertools import islice
from pathlib import Path
from typing import Literal

import duckdb

from lib.errors import FileRefused, Problem, ShoplensError
from lib.ingest import engine
from lib.ingest.archive import unpacked
from lib.ingest.formats import FORMATS
from lib.ingest.formats.base import ExportFormat
from lib.ingest.mapping import (DATE_ORDER_OPEN, DATE_SAMPLE_ROWS, GenericMapping, find_template,
                                header_fingerprint)
from lib.ingest.progress import step
from lib.ingest.reader import (
    FORMULAS_NOTE,
    Dialect,
    Sheet,
    detect_encoding,
    head_utf8,
    has_cr_only_newlines,
    read_xlsx,
    refuse,
    sniff_container,
    sniff_dialect,
    transcode_to_utf8,
)
from lib.sql import internal_name, quote_ident
from lib.workspace import TABLES, Workspace, private_tempfile

Status = Literal["loaded", "duplicate", "refused", "needs_mapping"]
MAX_PROBLEMS_SHOWN = 20
PREVIEW_ROWS = 5


@dataclass
class Read:
    """What reading a file or sheet into `stg` gives: the file line of its first record, the
    records refused for their structure, and the first records whole, for the preview."""

    line_offset: int
    problems: list[Problem]
    preview: list[tuple[str | None, ...]]
    nul_free: bool = False  # no NUL byte anywhere in what was read (its cells skip that test)


@dataclass
class IngestOptions:
    """Choices a user confirms: title lines to skip, a column mapping, a decimal comma."""

    skip_lines: int | None = None
    mapping: GenericMapping | None = None
    decimal_comma: bool = False


@dataclass
class IngestResult:
    """What happened to one file (or one sheet of a workbook)."""

    file: str
    format: str | None = None
    format_label: str | None = None
    encoding: str | None = None
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    orders: int = 0
    order_lines: int = 0
    status: Status = "refused"
    message: str = ""
    batch_id: int | None = None
    sheet: str | None = None
    date_min: date | None = None
    date_max: date | None = None
    currency: str | None = None
    header: list[str] = field(default_factory=list)
    preview: list[dict[str, str | None]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    table_rows: dict[str, int] = field(default_factory=dict)
    # table -> columns this file has no values for, whose stored values were kept
    kept: dict[str, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # what the user should know (English)
    key: str = "ingest.loaded"
    params: dict[str, object] = field(default_factory=dict)  # of `key`'s message

    def to_json(self) -> dict[str, object]:
        """The CLI's contract: these keys first, always present."""
        out = {k: getattr(self, k) for k in (
            "file", "format", "encoding", "rows_read", "rows_loaded", "rows_rejected",
            "orders", "order_lines", "status", "message")}
        out.update(batch_id=self.batch_id, sheet=self.sheet, currency=self.currency,
                   date_min=self.date_min.isoformat() if self.date_min else None,
                   date_max=self.date_max.isoformat() if self.date_max else None,
                   tables=self.table_rows, kept=self.kept, notes=self.notes,
                   problems=[asdict(p) for p in self.problems[:MAX_PROBLEMS_SHOWN]])
        return out


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(8 * 1024 * 1024):
            h.update(chunk)
    return h.hexdigest()


def _load_key(sha: str, options: IngestOptions) -> str:
    """The file's hash, plus the choices it was read with: the same file read the same way is
    a duplicate; read with a corrected choice (decimal comma, mapping) it is a new load."""
    if options.mapping is None and not options.decimal_comma:
        return sha
    extra = f"{options.decimal_comma}|{options.mapping.to_json() if options.mapping else ''}"
    return hashlib.sha256((sha + "|" + extra).encode()).hexdigest()


def detect_format(header: tuple[str, ...]) -> ExportFormat | None:
    """The known format whose signature this header carries best, or None."""
    scored = [(engine.signature_score(f, header), f) for f in FORMATS]
    best = max(scored, key=lambda sf: sf[0], default=(0, None))
    return best[1] if best[0] > 0 else None


def _stage_copy(src: Path, dst: Path) -> None:
    dst.unlink(missing_ok=True)
    try:
        os.link(src, dst)  # same filesystem: free
    except OSError:
        shutil.copyfile(src, dst)


def ingest_path(ws: Workspace, path: str | os.PathLike[str], display_name: str | None = None,
                options: IngestOptions | None = None, *, _in_archive: bool = False) -> list[IngestResult]:
    """Load one file; a workbook gives one result per sheet, an archive (.zip, .gz) one per
    file inside (named 'archive › file'). Never raises for a bad file."""
    path = Path(path)
    display = display_name if _in_archive and display_name else _safe_display(display_name or path.name)
    options = options or IngestOptions()
    try:
        container = sniff_container(path, display)
        if container in ("zip", "gzip"):
            if _in_archive:
                raise refuse(display, "this is an archive inside an archive",
                             "Unzip it and upload the files inside.")
            return _ingest_archive(ws, path, display, container, options)
        if container == "xlsx":
            step("read", display)  # the workbook is read whole before its sheets load
            sha = _load_key(file_sha256(path), options)
            size = path.stat().st_size
            return [_ingest_sheet(ws, s, display, sha, size, options) for s in read_xlsx(path, display)]
        return [_ingest_text(ws, path, display, options)]
    except FileRefused as exc:
        return [IngestResult(file=display, status="refused", message=str(exc),
                             problems=[exc.problem], key=exc.key, params=exc.params)]
    except ShoplensError as exc:  # e.g. a mapping that does not fit this file
        return [IngestResult(file=display, status="refused", message=f"{display}: {exc}",
                             problems=[Problem(file=display, reason=str(exc))], key=exc.key)]
    except (OSError, MemoryError, duckdb.Error) as exc:
        # Refused like a bad file (RELIABILITY E4, E6): the transaction rolled back and the
        # staged copy is gone, so nothing was changed. The sentence is the translation table's.
        key = _resource_exhausted(exc)
        if key is None:
            raise
        from lib.i18n import t  # only on this rare path: the CLI's start-up stays lean

        message = t(key, "en", file=display)
        return [IngestResult(file=display, status="refused", message=message,
                             problems=[Problem(file=display, reason=message)], key=key)]


def _ingest_archive(ws: Workspace, path: Path, display: str, kind: str,
                    options: IngestOptions) -> list[IngestResult]:
    """Each file of the archive in turn, as its own load; all unpacked before the first."""
    results: list[IngestResult] = []
    step("read", display)  # unpacking: a big archive takes seconds before its first file loads
    with unpacked(ws, path, display, kind) as members:
        for m in members:
            name = f"{display} › {_safe_display(m.name)}"
            if m.path is not None:
                results.extend(ingest_path(ws, m.path, name, options, _in_archive=True))
            elif m.refused is not None:
                problem = replace(m.refused.problem, file=name)
                results.append(IngestResult(file=name, status="refused", message=problem.describe(),
                                            problems=[problem]))
    return results


def _resource_exhausted(exc: BaseException) -> str | None:
    """ingest.no_space / ingest.no_memory when `exc` says the disk or memory ran out."""
    if isinstance(exc, (duckdb.OutOfMemoryException, MemoryError)):
        return "ingest.no_memory"
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return "ingest.no_space"
    text = str(exc).lower()
    if "no space left on device" in text or "disk is full" in text:
        return "ingest.no_space"
    if "out of memory" in text:
        return "ingest.no_memory"
    return None


def _safe_display(name: str) -> str:
    """A file name for messages only: no path, no control characters, bounded."""
    base = re.split(r"[\\/]", name)[-1]
    base = "".join(ch for ch in base if ch.isprintable() and ch not in "\u202e\u202d")
    return (base[:120] + "…") if len(base) > 120 else (base or "upload")


def _resolve_format(ws: Workspace, header: tuple[str, ...], display: str, options: IngestOptions,
                    column_values: Callable[[int], Iterable[str | None]]) -> ExportFormat | None:
    """The file's format: a known export's, else the user's mapping or a saved template's,
    completed with what the workspace and the file's own values tell (time zone, whether
    dates are day first)."""
    mapping = options.mapping
    fmt = detect_format(header) if mapping is None else None
    if fmt is None:
        mapping = mapping or find_template(ws, header_fingerprint(header))
        if mapping is not None and mapping.timezone is None:  # the shop's own time zone
            mapping = replace(mapping, timezone=ws.timezone)
        if mapping is not None:
            mapping.validate(header)
            mapping = mapping.resolve_date_order(header, display, column_values)
        fmt = mapping.to_format(header) if mapping is not None else None
    if fmt is not None and options.decimal_comma:
        fmt = replace(fmt, decimal_comma=True)
    return fmt


def _format_for(ws: Workspace, header: tuple[str, ...], display: str, options: IngestOptions,
                column_values: Callable[[int], Iterable[str | None]], encoding: str,
                sheet: str | None = None) -> ExportFormat | IngestResult:
    """The format to load with, or the result asking for a mapping (an unknown layout, or a
    mapping that must still say its date order)."""
    try:
        fmt = _resolve_format(ws, header, display, options, column_values)
    except FileRefused as exc:
        if exc.key != DATE_ORDER_OPEN:
            raise
        return _needs_mapping(display, header, encoding, sheet, refused=exc)
    return fmt if fmt is not None else _needs_mapping(display, header, encoding, sheet)


def _needs_mapping(display: str, header: tuple[str, ...], encoding: str | None,
                   sheet: str | None = None, refused: FileRefused | None = None) -> IngestResult:
    """A file that needs (more of) a mapping: an unknown layout, or a mapping `refused` for
    what only the user can say (the date order): the form is shown again, with the reason."""
    if refused is not None:
        return IngestResult(file=display, encoding=encoding, sheet=sheet, status="needs_mapping",
                            header=list(header), key=refused.key or "", message=str(refused),
                            problems=[refused.problem])
    return IngestResult(
        file=display, encoding=encoding, sheet=sheet, status="needs_mapping",
        header=list(header), key="ingest.needs_mapping",
        message=(f"{display}: the layout is not one we know (columns: "
                 f"{', '.join(header[:8])}{'…' if len(header) > 8 else ''}). Map its columns "
                 "once on the Data page (or pass --mapping); the mapping is saved for the next "
                 "file of this layout."),
    )


_NOT_UTF8 = ("INVALID UNICODE", "INVALID ENCODING")  # DuckDB's reject types for such lines
# Why DuckDB's reader rejected a line, by its reject type ({n}: the header's number of fields).
LINE_REASONS = {
    "MISSING COLUMNS": "too few fields (expected {n})",
    "TOO MANY COLUMNS": "too many fields (expected {n})",
    "UNQUOTED VALUE": "a quote is not closed or is misplaced",
    "LINE SIZE OVER MAXIMUM": "the line is too long (limit 4,000,000 characters)",
    "INVALID UNICODE": "the line contains bytes that are not valid text",
    "INVALID ENCODING": "the line contains bytes that are not valid text",
}
LINE_HINT = "Fix or remove this line and upload again; the other rows were checked normally."


class _NotUtf8(Exception):
    """DuckDB found bytes that are not UTF-8 in a file whose head was: detect it properly."""


class _MixedNewlines(Exception):
    """DuckDB's reader stopped on a file mixing CRLF and LF line endings: read an LF copy."""


@dataclass
class FileKey:
    """The file's load key (sha256 + read options), possibly still being computed.

    A file can only be a duplicate of a loaded import of the same size. When there is none,
    the hash runs in a thread beside the load (hashlib releases the GIL) and is only awaited
    for the import record; otherwise it is computed before anything else.
    """

    job: Future[str]
    maybe_duplicate: bool
    size: int

    @classmethod
    def known(cls, key: str, size: int) -> FileKey:
        done: Future[str] = Future()
        done.set_result(key)
        return cls(done, True, size)

    def value(self) -> str:
        return self.job.result()


def _file_key(ws: Workspace, path: Path, options: IngestOptions, pool: ThreadPoolExecutor) -> FileKey:
    size = path.stat().st_size
    row = ws.cursor().execute(
        "SELECT count(*) FROM imports WHERE status = 'loaded' AND (file_bytes = ? OR file_bytes IS NULL)",
        [size]).fetchone()
    job = pool.submit(lambda: _load_key(file_sha256(path), options))
    return FileKey(job, bool(row and row[0]), size)


def _ingest_text(ws: Workspace, path: Path, display: str, options: IngestOptions) -> IngestResult:
    with ThreadPoolExecutor(max_workers=1) as pool:
        key = _file_key(ws, path, options, pool)
        guess = head_utf8(path)
        if guess is not None:
            try:
                return _ingest_decoded(ws, path, display, options, key, guess, guessed=True)
            except _NotUtf8:
                pass  # a later line is not UTF-8: nothing was written; decide properly below
        return _ingest_decoded(ws, path, display, options, key, detect_encoding(path, display))


def _ingest_decoded(ws: Workspace, path: Path, display: str, options: IngestOptions, key: FileKey,
                    encoding: str, guessed: bool = False) -> IngestResult:
    """The load of a text file in a known encoding; a `guessed` one (UTF-8 from the head only)
    raises _NotUtf8 when the read finds a line that is not. A file whose lines end partly in
    CRLF, partly in LF (an export edited by hand; RELIABILITY A14) stops DuckDB's reader,
    which keeps the first ending it sees: it is read again from a copy with LF throughout.
    Nothing has been written when the reader stops, and other files pay nothing for this."""
    try:
        return _ingest_staged(ws, path, display, options, key, encoding, guessed, lf=False)
    except _MixedNewlines:
        pass
    try:
        return _ingest_staged(ws, path, display, options, key, encoding, guessed, lf=True)
    except _MixedNewlines:
        raise refuse(display, "the CSV reader could not follow the file's structure",
                     "Open it in a spreadsheet, save it again as 'CSV UTF-8' and upload it "
                     "again.") from None


def _ingest_staged(ws: Workspace, path: Path, display: str, options: IngestOptions, key: FileKey,
                   encoding: str, guessed: bool, lf: bool) -> IngestResult:
    with private_tempfile(ws, ".csv") as staged:
        if encoding in ("utf-8", "utf-8-sig") and not lf and not has_cr_only_newlines(path):
            _stage_copy(path, staged)
        else:
            transcode_to_utf8(path, encoding, staged, all_newlines_lf=lf)
        dialect = sniff_dialect(staged, "utf-8", display)
        fmt = _format_for(ws, dialect.header, display, options,
                          lambda i: _column_sample(staged, dialect, i), encoding)
        if isinstance(fmt, IngestResult):
            return fmt
        if dialect.header_line > 0 and options.skip_lines != dialect.header_line:
            raise FileRefused(Problem(
                file=display, line=dialect.header_line + 1,
                reason=f"the header is on line {dialect.header_line + 1}; the "
                       f"{dialect.header_line} line(s) above it look like a title",
                hint=f"Confirm by skipping {dialect.header_line} line(s) (CLI: --skip-lines "
                     f"{dialect.header_line}), or delete them and upload again."),
                key="ingest.title_lines", n=dialect.header_line, line=dialect.header_line + 1)
        if dialect.delimiter == "whitespace":
            with private_tempfile(ws, ".tsv") as tsv:
                if guessed and detect_encoding(path, display) != encoding:
                    raise _NotUtf8()  # the conversion below reads the copy as UTF-8
                _whitespace_to_tsv(staged, tsv)
                tab = Dialect("\t", 0, dialect.header, False)
                return _load(ws, display, key, encoding, fmt, options,
                             lambda cur, keep: _read_csv(cur, tsv, tab, keep), dialect.header, None)
        return _load(ws, display, key, encoding, fmt, options,
                     lambda cur, keep: _read_csv(cur, staged, dialect, keep, utf8_guess=guessed),
                     dialect.header, None)


def _column_sample(path: Path, dialect: Dialect, index: int,
                   rows: int = DATE_SAMPLE_ROWS) -> Iterator[str | None]:
    """Column `index` of the file's first `rows` records (read only for a mapped file whose
    date order is still open)."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        lines = islice(fh, dialect.header_line + 1, None)
        records = (line.split() for line in lines) if dialect.delimiter == "whitespace" else \
            csv.reader(lines, delimiter=dialect.delimiter, quotechar='"', strict=False)
        for _ in range(rows):
            try:
                record = next(records)
            except StopIteration:
                return
            except csv.Error:  # a field over csv's size limit: DuckDB's read reports that line
                continue
            yield record[index] if index < len(record) else None


def _whitespace_to_tsv(src: Path, dst: Path) -> None:
    with open(src, encoding="utf-8") as fin, open(dst, "w", encoding="utf-8") as fout:
        for line in fin:
            if line.strip():
                fout.write("\t".join(line.split()) + "\n")


def _csv_options(dialect: Dialect) -> tuple[str, list[object]]:
    """The explicit dialect every read of the file uses (never DuckDB's own sniffing)."""
    ncols = len(dialect.header)
    columns = "{" + ", ".join(f"'c{i:03d}': 'VARCHAR'" for i in range(ncols)) + "}"
    return (f"delim = ?, quote = '\"', escape = '\"', header = false, skip = ?, "
            f"columns = {columns}, auto_detect = false, null_padding = false, "
            f"max_line_size = 4000000", [dialect.delimiter, dialect.header_line + 1])


def _read_csv(cur: duckdb.DuckDBPyConnection, path: Path, dialect: Dialect,
              keep: list[str], utf8_guess: bool = False) -> Read:
    """Read every record into temp table `stg`, as text, keeping only the columns in `keep`.

    The reader still checks every field of every record (structural problems are kept, not
    dropped); only the columns a format maps are stored: at 1M rows of a 79-column Shopify
    export that halves the read and its memory. The preview reads the first records whole.
    """
    ncols = len(dialect.header)
    options, params = _csv_options(dialect)
    cols = ", ".join(quote_ident(c) for c in keep) or "NULL AS c000"
    try:
        cur.execute(
            f"CREATE OR REPLACE TEMP TABLE stg AS SELECT {cols} FROM read_csv(?, {options}, "
            f"strict_mode = true, store_rejects = true, parallel = true)",
            [str(path), *params],
        )
    except duckdb.InvalidInputException as exc:
        if "state machine reached an invalid state" in str(exc):
            raise _MixedNewlines() from exc
        raise
    rows = cur.execute(
        "SELECT line, error_type, error_message, csv_line FROM reject_errors ORDER BY line"
    ).fetchall()
    if utf8_guess and any(str(r[1]) in _NOT_UTF8 for r in rows):
        raise _NotUtf8()
    preview = cur.execute(
        f"SELECT * FROM read_csv(?, {options}, strict_mode = true, ignore_errors = true, "
        f"parallel = false) LIMIT {PREVIEW_ROWS}", [str(path), *params]).fetchall()
    problems = []
    seen: set[int] = set()
    for line, etype, msg, csv_line in rows:
        if line in seen:
            continue
        seen.add(int(line))
        known = LINE_REASONS.get(str(etype))
        reason = known.format(n=ncols) if known else str(etype).lower()
        problems.append(Problem(file="", line=int(line) + 0, reason=reason,
                                raw_value=(csv_line or "")[:200], hint=LINE_HINT))
    return Read(dialect.header_line + 2, problems, preview, nul_free=not _has_nul(path))


def _has_nul(path: Path) -> bool:
    """Whether the file holds a NUL byte (one memchr over the mapped file: ~0.05 s at 325 MB)."""
    with open(path, "rb") as fh:
        if os.fstat(fh.fileno()).st_size == 0:
            return False
        with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
            return mm.find(b"\x00") != -1


def _ingest_sheet(ws: Workspace, sheet: Sheet, display: str, sha: str, size: int,
                  options: IngestOptions) -> IngestResult:
    name = f"{display} [{sheet.name}]"
    try:
        fmt = _format_for(ws, sheet.header, name, options,
                          lambda i: (r[i] if i < len(r) else None for r in sheet.rows), "xlsx",
                          sheet.name)
        if isinstance(fmt, IngestResult):
            return fmt

        def read(cur: duckdb.DuckDBPyConnection, keep: list[str]) -> Read:
            cols = list(zip(*sheet.rows)) if sheet.rows else [()] * len(sheet.header)
            import pyarrow as pa  # only workbooks need it; text loads start faster without

            table = pa.table({f"c{i:03d}": pa.array(list(c), pa.string()) for i, c in enumerate(cols)})
            cur.register("xl_rows", table)
            cur.execute("CREATE OR REPLACE TEMP TABLE stg AS SELECT * FROM xl_rows")
            cur.unregister("xl_rows")
            return Read(sheet.first_row, [], [tuple(r) for r in sheet.rows[:PREVIEW_ROWS]])

        sheet_sha = hashlib.sha256((sha + "\x00" + sheet.name).encode()).hexdigest()
        result = _load(ws, name, FileKey.known(sheet_sha, size), "xlsx", fmt, options, read,
                       sheet.header, sheet.name, notes=[FORMULAS_NOTE] if sheet.formulas else [])
        return result
    except FileRefused as exc:
        return IngestResult(file=name, sheet=sheet.name, status="refused", message=str(exc),
                            problems=[exc.problem], key=exc.key, params=exc.params)


def _load(ws: Workspace, display: str, key: FileKey, encoding: str, fmt: ExportFormat,
          options: IngestOptions, read, header: tuple[str, ...], sheet: str | None,
          notes: Sequence[str] = ()) -> IngestResult:
    result = IngestResult(file=display, format=fmt.id, format_label=fmt.label, encoding=encoding,
                          sheet=sheet, header=list(header))
    dup = ws.cursor().execute(
        "SELECT batch_id FROM imports WHERE sha256 = ? AND status = 'loaded'", [key.value()]
    ).fetchone() if key.maybe_duplicate else None
    if dup is not None:
        result.status, result.batch_id, result.key = "duplicate", int(dup[0]), "ingest.duplicate"
        result.message = (f"{display} was already loaded as import #{dup[0]}; nothing changed. "
                          "Undo that import first to load it again.")
        return result
    started = datetime.now(timezone.utc)
    plan = engine.plan_columns(fmt, header)
    result.notes = [*notes, *engine.same_name_notes(plan)]
    # The scratch work (read, parse, reject, outputs) runs in autocommit on a private cursor:
    # its temp tables are freed when dropped (inside a transaction DuckDB keeps dropped data
    # until the commit, so the load's peak memory was the sum of every intermediate). Only
    # the writes to the workspace form the one transaction; the cursor, and any temp table a
    # failure leaves, goes away with it.
    cur = ws.con.cursor()
    try:
        step("read", display)
        got = read(cur, sorted({c for c in plan.columns.values() if c is not None}))
        engine.install_macros(cur, ws.salt, nul_free=got.nul_free)
        line_offset, structural = got.line_offset, got.problems
        for p in structural:
            object.__setattr__(p, "file", display)
        n_stg = _count(cur, "stg")
        if n_stg == 0 and not structural:
            raise FileRefused(Problem(file=display, reason="the file has a header but no data rows",
                                      hint="Export a period that has orders."))
        step("check", display)
        engine.build_parsed(cur, fmt, plan)
        result.notes += engine.cleaning_notes(cur, fmt, plan)
        engine.reject_bad_rows(cur, fmt, plan, line_offset, [p.line for p in structural if p.line])
        cur.execute("DROP TABLE stg")  # everything after reads `pv` and `rej`: free the text
        n_valid = _count(cur, "pv")
        value_problems = cur.execute(
            "SELECT row_number, \"column\", value, reason FROM rej ORDER BY row_number LIMIT ?",
            [MAX_PROBLEMS_SHOWN],
        ).fetchall()
        step("write", display)
        selects = engine.output_selects(cur, fmt)
        # An output into an empty table is written straight from its SELECT inside the
        # transaction (a first import: nothing to replace). The others are staged as temp
        # tables first, all of them when an output reads the workspace's own tables.
        appendable = set() if engine.reads_workspace(fmt) else {
            t for t in selects if not TABLES[t].merge and ws.is_empty(cur, t)}
        staged = {t: _stage(cur, t, sql) for t, sql in selects.items() if t not in appendable}
        if not appendable:
            engine.drop_heads(cur)
            cur.execute("DROP TABLE pv")
        result.rows_read = n_stg + len(structural)
        result.rows_loaded = n_valid
        result.rows_rejected = len(structural) + (n_stg - n_valid)
        result.preview = _preview(got.preview, header)
        result.problems = structural[:MAX_PROBLEMS_SHOWN] + [
            Problem(file=display, line=int(r[0]), column=r[1], raw_value=r[2], reason=r[3],
                    hint="Correct the value in the export, or leave the row out.")
            for r in value_problems][: MAX_PROBLEMS_SHOWN]
        with ws.transaction(cur):
            batch_id = ws.next_batch_id(cur)
            written: dict[str, str] = {}
            for table, select in selects.items():
                if table in appendable and ws.is_empty(cur, table):  # still: checked again inside
                    result.table_rows[table] = ws.append(cur, table, select, batch_id)
                    written[table] = (f"(SELECT * FROM {internal_name(table)} "
                                      f"WHERE batch_id = {int(batch_id)})")
                    continue
                staged_name = staged.get(table) or _stage(cur, table, select)
                result.table_rows[table], kept = ws.upsert(cur, table, staged_name, batch_id)
                if kept:
                    result.kept[table] = list(kept)
                written[table] = internal_name(staged_name)
            _summarise(cur, result, written)
            result.message = (
                f"{display}: {result.rows_loaded:,} of {result.rows_read:,} rows loaded as "
                f"{fmt.label}" + (f"; {result.rows_rejected:,} rejected (download them to see why)"
                                  if result.rows_rejected else "") + "."
                + "".join(f" This file has no values for {', '.join(cols)}: the {table} it "
                          "updates keep the values already stored." for table, cols in result.kept.items())
                + "".join(f" Note: {n}." for n in result.notes))
            cur.execute(
                "INSERT INTO rejected_rows SELECT ?, row_number, \"column\", value, reason FROM rej",
                [batch_id],
            )
            for p in structural:
                cur.execute("INSERT INTO rejected_rows VALUES (?, ?, NULL, ?, ?)",
                            [batch_id, p.line, p.raw_value, p.reason])
            cur.execute(
                # Named: a column added by a migration sits wherever ALTER TABLE put it.
                "INSERT INTO imports (batch_id, file_name, sha256, format, encoding, rows_read, "
                "rows_loaded, rows_rejected, orders, order_lines, date_min, date_max, currency, "
                "started_at, finished_at, status, message, file_bytes, records_refunds, "
                "records_cancellations) VALUES "
                "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'loaded', ?, ?, ?, ?)",
                [batch_id, display, key.value(), fmt.id, encoding, result.rows_read,
                 result.rows_loaded, result.rows_rejected, result.orders, result.order_lines,
                 result.date_min, result.date_max, result.currency, started,
                 datetime.now(timezone.utc), result.message, key.size,
                 "refunds" in fmt.records, "cancellations" in fmt.records],
            )
        result.batch_id, result.status = batch_id, "loaded"
    finally:
        cur.close()
    ws.checkpoint()
    return result


def _count(cur: duckdb.DuckDBPyConnection, table: str) -> int:
    row = cur.execute(f"SELECT count(*) FROM {internal_name(table)}").fetchone()
    return int(row[0]) if row else 0


def _stage(cur: duckdb.DuckDBPyConnection, table: str, select: str) -> str:
    """Temp table `new_<table>` holding an output's rows; returns its name."""
    name = f"new_{table}"
    cur.execute(f"CREATE OR REPLACE TEMP TABLE {internal_name(name)} AS {select}")
    return name


def _summarise(cur: duckdb.DuckDBPyConnection, result: IngestResult, written: dict[str, str]) -> None:
    """Orders, lines, dates and currency of what this load wrote; `written` maps a table to
    the SQL relation holding this load's rows (a quoted temp table or a batch subquery)."""
    if "orders" in written:
        row = cur.execute(
            "SELECT count(*), min(order_date), max(order_date), string_agg(DISTINCT currency, ',') "
            f"FROM {written['orders']} AS n WHERE kind = 'sale'"
        ).fetchone()
        if row:
            result.orders, result.date_min, result.date_max, result.currency = (
                int(row[0]), row[1], row[2], row[3])
    if "order_lines" in written:
        row = cur.execute(f"SELECT count(*), string_agg(DISTINCT currency, ',') "
                          f"FROM {written['order_lines']} AS n").fetchone()
        result.order_lines = int(row[0]) if row else 0
        if result.currency is None and row:
            result.currency = row[1]
    for table in ("traffic", "marketing"):
        if table in written and result.date_min is None:
            row = cur.execute(f"SELECT min(date), max(date) FROM {written[table]} AS n").fetchone()
            if row:
                result.date_min, result.date_max = row[0], row[1]


def _preview(rows: list[tuple[str | None, ...]], header: tuple[str, ...]) -> list[dict[str, str | None]]:
    return [{header[i] or f"column {i + 1}": v for i, v in enumerate(r[: len(header)])} for r in rows]
