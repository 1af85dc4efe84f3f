"""Turn an uploaded file into rows of text we trust: container, encoding, dialect, header.

Why this is ours and not the sniffer's: DuckDB's CSV sniffer silently mis-reads ragged files
(one-column loads, skipped lines, `#` taken as a comment marker on Shopify's `#1001` order
names). We decide the encoding and dialect here, check them, and then hand DuckDB an explicit
dialect so every row is either loaded or reported.
"""
from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Literal

from lib.errors import FileRefused, Problem

MAX_COLUMNS = 500
MAX_HEADER_CHARS = 255
XLSX_MAX_ENTRY_BYTES = 1_000_000_000  # 1 GB of XML per sheet is far beyond a real export
XLSX_MAX_TOTAL_BYTES = 2_000_000_000
XLSX_BOMB_MIN_BYTES = 50_000_000  # below this a part is cheap to parse whatever its ratio
XLSX_MAX_RATIO = 100
SAMPLE_BYTES = 256 * 1024
_CHUNK = 16 * 1024 * 1024
DELIMITERS = (",", "\t", ";", "|")

Container = Literal["text", "xlsx", "zip", "gzip"]  # zip/gzip: lib.ingest.archive


@dataclass(frozen=True)
class Dialect:
    """How a text file is laid out, decided by us and passed to DuckDB explicitly."""

    delimiter: str  # one of DELIMITERS, or "whitespace" for fixed-width files like CDNOW
    header_line: int  # 0-based index of the header record among the file's lines
    header: tuple[str, ...]  # display names, cleaned of BOM and surrounding spaces
    crlf: bool


def refuse(file: str, reason: str, hint: str = "", **kw: object) -> FileRefused:
    """A whole file refused: why (`reason`, lower-case, no full stop) and what to do (`hint`);
    both in English here, in the user's language through lib/strings/ingest_reasons.py."""
    return FileRefused(Problem(file=file, reason=reason, hint=hint, **kw))  # type: ignore[arg-type]


# --- container ---------------------------------------------------------------------------
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"PAR1", "a Parquet file"),
    (b"SQLite format 3", "an SQLite database"),
    (b"MZ", "a Windows program"),
    (b"\x7fELF", "a program"),
)


def sniff_container(path: Path, display: str) -> Container:
    """Decide what the bytes are, ignoring the file name (extensions lie)."""
    with open(path, "rb") as fh:
        head = fh.read(4096)
    if not head.strip():
        raise refuse(display, "the file is empty", "Export the report again and re-upload it.")
    if head[8:12] == b"DUCK" or head.startswith(b"DUCK"):
        raise refuse(display, "this is a database file, not an export",
                      "Upload the CSV or XLSX export from your platform instead.")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise refuse(display, "this is a legacy .xls or a password-protected Excel file",
                      "Open it in Excel, remove any password and save as .xlsx or CSV UTF-8.")
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):  # a zip (the second: an empty one)
        try:
            with zipfile.ZipFile(path) as zf:
                names = set(zf.namelist())
        except zipfile.BadZipFile:
            raise refuse(display, "the file looks like a damaged zip/xlsx",
                          "Export it again.") from None
        return "xlsx" if "xl/workbook.xml" in names else "zip"
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise refuse(display, f"this is {what}, not a CSV or XLSX export",
                          "Upload the CSV/XLSX file your platform exported.")
    if (markup := _spreadsheet_markup(head)) is not None:
        raise refuse(display, f"this is {markup} saved with a spreadsheet's name, not a CSV or "
                              "XLSX export", "Open it in Excel and save it as .xlsx or 'CSV "
                              "UTF-8', then upload that.")
    if head.count(b"\x00") > len(head) // 50 and not (
        head.startswith(b"\xff\xfe") or head.startswith(b"\xfe\xff")
    ):
        # Many NULs: UTF-16 without a BOM, or binary junk. A stray NUL in a cell is stripped later.
        if not _looks_like_bomless_utf16(head):
            raise refuse(display, "the file contains binary data, not text",
                          "Upload the CSV/XLSX file your platform exported.")
    return "text"


def _spreadsheet_markup(head: bytes) -> str | None:
    """What an 'xls' that is really markup is (some platforms' and old reports' downloads are
    an HTML table or Excel 2003's XML named .xls; RELIABILITY C10), or None."""
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    if text.startswith((b"<!doctype html", b"<html", b"<table", b"<meta")):
        return "a web page (HTML)"
    if text.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in text:
        return "an Excel 2003 XML spreadsheet"
    return None


def _looks_like_bomless_utf16(head: bytes) -> bool:
    even_zero = head[1::2].count(0) / max(1, len(head[1::2]))
    return even_zero > 0.9


# --- encoding ----------------------------------------------------------------------------
def _decodes_strictly(path: Path, encoding: str, skip: int = 0) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    with open(path, "rb") as fh:
        fh.seek(skip)
        try:
            while chunk := fh.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def _first_bad_line(path: Path, encoding: str) -> int:
    with open(path, "rb") as fh:
        for n, raw in enumerate(fh, start=1):
            try:
                raw.decode(encoding)
            except UnicodeDecodeError:
                return n
    return 0


def _mixed_utf8_line(path: Path) -> int:
    """First non-UTF-8 line of a file whose other non-ASCII lines are valid UTF-8, else 0.

    GB18030 can decode almost any byte string, so a file mixing UTF-8 and GBK rows would
    otherwise "succeed" as GB18030 and store mojibake for the UTF-8 rows.
    """
    good = 0
    first_bad = 0
    with open(path, "rb") as fh:
        for n, raw in enumerate(fh, start=1):
            if raw.isascii():
                continue
            try:
                raw.decode("utf-8")
                good += 1
            except UnicodeDecodeError:
                first_bad = first_bad or n
            if good and first_bad:
                return first_bad
    return 0


def _cjk_share(text: str) -> float:
    non_ascii = [ch for ch in text if ord(ch) > 127]
    if not non_ascii:
        return 1.0
    cjk = sum(1 for ch in non_ascii if "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef")
    return cjk / len(non_ascii)


def head_utf8(path: Path) -> str | None:
    """'utf-8' or 'utf-8-sig' when the first SAMPLE_BYTES are UTF-8 text, else None.

    Only a guess about the rest: the load reads the whole file with DuckDB, which flags any
    line that is not valid UTF-8, and then the file goes through `detect_encoding` after all.
    This saves decoding every large UTF-8 export twice (0.3 s per 325 MB).
    """
    with open(path, "rb") as fh:
        head = fh.read(SAMPLE_BYTES)
    bom = head.startswith(codecs.BOM_UTF8)
    if b"\x00" in head:  # UTF-16 without a BOM decodes as UTF-8 full of NULs
        return None
    try:  # final=False: a character cut at the sample's end is not an error
        codecs.getincrementaldecoder("utf-8")("strict").decode(head[3:] if bom else head, final=False)
    except UnicodeDecodeError:
        return None
    return "utf-8-sig" if bom else "utf-8"


def detect_encoding(path: Path, display: str) -> str:
    """Name the encoding, or refuse: a wrong guess would store mojibake."""
    with open(path, "rb") as fh:
        head = fh.read(SAMPLE_BYTES)
    if head.startswith(codecs.BOM_UTF8):
        if _decodes_strictly(path, "utf-8", skip=3):
            return "utf-8-sig"
        raise refuse(display, "the file says UTF-8 but contains bytes that are not UTF-8",
                      "Save it again as 'CSV UTF-8' and re-upload.",
                      line=_first_bad_line(path, "utf-8-sig"))
    if head.startswith(codecs.BOM_UTF16_LE) or head.startswith(codecs.BOM_UTF16_BE):
        return "utf-16"
    if b"\x00" in head and _looks_like_bomless_utf16(head):
        return "utf-16-le"
    if _decodes_strictly(path, "utf-8"):
        return "utf-8"
    mixed_at = _mixed_utf8_line(path)
    if mixed_at:
        raise refuse(display, "the file mixes UTF-8 text with another encoding",
                      "Save the whole file once as 'CSV UTF-8' and upload it again.",
                      line=mixed_at)
    if _decodes_strictly(path, "gb18030"):
        with open(path, "rb") as fh:
            sample = fh.read(SAMPLE_BYTES).decode("gb18030", errors="ignore")
        if _cjk_share(sample) >= 0.6:
            return "gb18030"
    if _decodes_strictly(path, "cp1252"):
        with open(path, "rb") as fh:
            sample = fh.read(SAMPLE_BYTES).decode("cp1252", errors="ignore")
        letters = [ch for ch in sample if ord(ch) > 127]
        plausible = sum(1 for ch in letters if ch.isalpha() or ch in "€£¥°–—’‘“”…·©®")
        if not letters or plausible / len(letters) >= 0.8:
            return "cp1252"
    raise refuse(
        display,
        "the text encoding could not be recognised (it is not UTF-8, GBK/GB18030 or Windows-1252,"
        " or it mixes several)",
        "Open the file in Excel or WPS and save it as 'CSV UTF-8', then upload it again.",
        line=_first_bad_line(path, "utf-8") or None,
    )


def transcode_to_utf8(src: Path, encoding: str, dst: Path, *, all_newlines_lf: bool = False) -> None:
    """Write a UTF-8 copy of `src` so DuckDB reads it natively; old-Mac CR-only lines become
    LF, and so does every line ending when `all_newlines_lf` (a file mixing CRLF and LF)."""
    newline = None if all_newlines_lf or has_cr_only_newlines(src, encoding) else ""
    with open(src, "r", encoding=encoding, newline=newline) as fin, open(
        dst, "w", encoding="utf-8", newline=""
    ) as fout:
        while chunk := fin.read(_CHUNK):
            fout.write(chunk)


def has_cr_only_newlines(path: Path, encoding: str = "utf-8") -> bool:
    with open(path, "r", encoding=encoding, errors="replace", newline="") as fh:
        head = fh.read(SAMPLE_BYTES // 2)
    return "\r" in head and "\n" not in head


# --- dialect -----------------------------------------------------------------------------
def clean_header(name: str) -> str:
    """Display form of a header: no BOM, no NBSP, no surrounding whitespace, capped length."""
    name = name.replace("\ufeff", "").replace("\u00a0", " ").strip()
    return name[:MAX_HEADER_CHARS]


def normalize_header(name: str) -> str:
    """Matching form of a header: NFKC, case-folded, inner whitespace collapsed."""
    folded = unicodedata.normalize("NFKC", clean_header(name)).casefold()
    return re.sub(r"\s+", " ", folded)


def _records(sample: str, delimiter: str) -> list[list[str]]:
    # Drop the last line: the sample may have cut it in half.
    lines = sample.splitlines(keepends=True)
    if len(lines) > 1 and not sample.endswith(("\n", "\r")):
        lines = lines[:-1]
    reader = csv.reader(io.StringIO("".join(lines)), delimiter=delimiter, quotechar='"',
                        strict=False)
    out: list[list[str]] = []
    try:
        for rec in reader:
            out.append(rec)
            if len(out) >= 200:
                break
    except csv.Error:
        pass
    return out


def _score(records: list[list[str]]) -> tuple[int, int, int]:
    """(records with the modal width, modal width, header index) — higher is better.

    The header is the first record as wide as most records; title lines above it are
    narrower (usually one field), so they are never taken for the header.
    """
    non_empty = [(i, r) for i, r in enumerate(records) if any(c.strip() for c in r)]
    if not non_empty:
        return (0, 0, 0)
    widths: dict[int, int] = {}
    for _, r in non_empty:
        widths[len(r)] = widths.get(len(r), 0) + 1
    width = max(widths, key=lambda w: (widths[w], w))
    if width < 2:
        return (0, width, 0)
    header_i = next(i for i, r in non_empty if len(r) == width)
    return (widths[width], width, header_i)


def sniff_dialect(path: Path, encoding: str, display: str) -> Dialect:
    """Find delimiter and header line; refuse what we cannot read unambiguously."""
    with open(path, "r", encoding=encoding, newline="", errors="replace") as fh:
        sample = fh.read(SAMPLE_BYTES // 2)
    crlf = "\r\n" in sample
    if not sample.strip():
        raise refuse(display, "the file has no data rows", "Export the report again.")
    scored = {d: _score(_records(sample, d)) for d in DELIMITERS}
    delim, (agree, width, header_i) = max(scored.items(), key=lambda kv: (kv[1][0] > 0, kv[1][1] > 1, kv[1][0], kv[1][1]))
    if width < 2:
        ws_lines = [ln for ln in sample.splitlines() if ln.strip()][:50]
        widths = {len(ln.split()) for ln in ws_lines}
        if len(ws_lines) >= 2 and len(widths) == 1 and widths.pop() >= 2:
            header = tuple(clean_header(h) for h in ws_lines[0].split())
            return Dialect("whitespace", 0, header, crlf)
        raise refuse(
            display,
            "no column separator found: the file reads as a single column",
            "Check that it is a comma-, semicolon- or tab-separated export with a header row.",
        )
    records = _records(sample, delim)
    header = tuple(clean_header(h) for h in records[header_i])
    if len(header) > MAX_COLUMNS:
        raise refuse(display, f"the file has {len(header)} columns (limit {MAX_COLUMNS})",
                      "Export only the columns you need.")
    after = [r for r in records[header_i + 1:] if any(c.strip() for c in r)]
    if after and sum(1 for r in after if len(r) == width) < len(after) / 2:
        raise refuse(display, "the rows do not have the same number of columns as the header",
                      "Check the delimiter and that the file is a complete export.")
    # The physical line of the header: count newlines before it outside quotes is costly;
    # preamble lines are short titles, so count records (they never contain quoted newlines).
    return Dialect(delim, header_i, header, crlf)


# --- xlsx --------------------------------------------------------------------------------
_FORMULA_TAG = re.compile(rb"<(?:[A-Za-z]+:)?f[ >/]")  # a cell's <f> (formula) element
FORMULAS_NOTE = ("the workbook has formulas: the results saved with it were read, not "
                 "recalculated; a column that shows 0 or is empty where it should not needs the "
                 "file opened in Excel, saved and uploaded again")


def check_xlsx_safe(path: Path, display: str) -> bool:
    """Refuse zip bombs before any XML is parsed: declared sizes first, then every part read
    through once, counting the bytes it really unpacks to (headers can understate them).
    Returns whether a worksheet holds formulas (RELIABILITY C7: their saved results are what
    the reader sees; a file written by a program that never calculated them has 0 or nothing).

    A part over XLSX_BOMB_MIN_BYTES that unpacks to more than XLSX_MAX_RATIO times its packed
    size is refused too (RELIABILITY C1/C2): real sheets pack 5–20×; a 0.8 MB file whose
    sheet unpacks to 512 MB (650×) fits under the size caps yet needs ~3 GB to parse."""
    too_big = ("the workbook expands to an unreasonable size", "Export the data as CSV instead.")
    formulas = False
    try:
        with zipfile.ZipFile(path) as zf:
            total = 0
            for info in zf.infolist():
                total += info.file_size
                if info.file_size > XLSX_MAX_ENTRY_BYTES or total > XLSX_MAX_TOTAL_BYTES:
                    raise refuse(display, *too_big)
                read, tail = 0, b""
                sheet = info.filename.startswith("xl/worksheets/")
                with zf.open(info) as member:
                    while chunk := member.read(4 * 1024 * 1024):
                        read += len(chunk)
                        if read > XLSX_MAX_ENTRY_BYTES:
                            raise refuse(display, *too_big)
                        if sheet and not formulas:  # the tag may straddle two chunks
                            formulas = _FORMULA_TAG.search(tail + chunk) is not None
                            tail = chunk[-16:]
                if read > XLSX_BOMB_MIN_BYTES and read > XLSX_MAX_RATIO * max(info.compress_size, 1):
                    raise refuse(display, "the workbook is packed like a zip bomb (a part "
                                 f"unpacks to {read // max(info.compress_size, 1):,} times its size)",
                                 "Open it in Excel and save it again, or export the data as CSV.")
    except zipfile.BadZipFile:
        raise refuse(display, "the workbook is damaged", "Save it again in Excel.") from None
    return formulas


@dataclass(frozen=True)
class Sheet:
    """One worksheet as text rows; `first_row` is the spreadsheet row number of rows[0];
    `formulas`: the workbook has formulas (check_xlsx_safe)."""

    name: str
    header: tuple[str, ...]
    rows: list[list[str | None]]
    first_row: int
    formulas: bool = False


def _cell_text(value: object) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 2**53:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, time):
        return value.strftime("%H:%M:%S")
    return str(value)


def read_xlsx(path: Path, display: str) -> list[Sheet]:
    """Visible, non-empty sheets of a workbook as text (python-calamine: fast, no formulas run)."""
    from python_calamine import CalamineWorkbook, PasswordError

    formulas = check_xlsx_safe(path, display)
    try:
        wb = CalamineWorkbook.from_path(str(path))
    except PasswordError:
        raise refuse(display, "the workbook is password-protected",
                      "Remove the password in Excel and save again.") from None
    except Exception as exc:  # calamine raises several unrelated types for damaged files
        raise refuse(display, f"the workbook cannot be read ({type(exc).__name__})",
                      "Open it in Excel and save it again as .xlsx.") from None
    sheets: list[Sheet] = []
    visible = {
        m.name for m in wb.sheets_metadata if str(m.visible).lower().endswith("visible")
        and "hidden" not in str(m.visible).lower()
    }
    for name in wb.sheet_names:
        if visible and name not in visible:
            continue
        sheet = wb.get_sheet_by_name(name)
        data = sheet.to_python(skip_empty_area=True)
        rows = [r for r in data]
        start = 0
        while start < len(rows) and not any(v not in (None, "") for v in rows[start]):
            start += 1
        if start >= len(rows):
            continue
        header = tuple(clean_header(str(h)) if h not in (None, "") else "" for h in rows[start])
        while header and header[-1] == "":
            header = header[:-1]
        width = len(header)
        if width > MAX_COLUMNS:
            raise refuse(display, f"sheet {name!r} has {width} columns (limit {MAX_COLUMNS})")
        body = [[_cell_text(v) for v in r[:width]] + [None] * (width - len(r)) for r in rows[start + 1:]]
        while body and all(v is None for v in body[-1]):
            body.pop()
        sheet_start = getattr(sheet, "start", None)
        first_row_idx = (sheet_start[0] if sheet_start else 0) + start + 2
        sheets.append(Sheet(name, header, body, first_row_idx, formulas))
    if not sheets:
        raise refuse(display, "the workbook has no data", "Check that you exported the right sheet.")
    return sheets
