"""Compressed exports: a .zip of CSV/XLSX files, or a .gz of one file, unpacked into the
workspace's staging dir (the only place DuckDB may read) so each file inside loads like an
upload of its own.

Large exports are often sent compressed, and a compressed one fits under the upload limit (the
benchmark's 1M-line Shopify export: 325 MB, 42 MB gzipped). Unpacking is bounded (RELIABILITY
C1): the sizes an archive declares are checked first, then the bytes actually written are
counted (declared sizes can lie); an archive that would unpack to more than MAX_UNPACKED_BYTES
is refused whole, before anything is loaded. Folders, macOS resource forks (`__MACOSX/`, `._x`)
and hidden files are skipped; an archive inside an archive and a password-protected member are
refused with the reason.
"""
from __future__ import annotations

import gzip
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from lib.errors import FileRefused
from lib.ingest.reader import refuse
from lib.workspace import Workspace, private_tempfile

MAX_UNPACKED_BYTES = 4 * 1024 ** 3  # all files of one archive together
MAX_MEMBERS = 50
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Member:
    """One file of an archive: its unpacked copy (None when refused) and the reason if refused."""

    name: str                   # the file's own name inside the archive (no folders)
    path: Path | None
    refused: FileRefused | None = None


def _skipped(name: str) -> bool:
    parts = PurePosixPath(name.replace("\\", "/")).parts
    return (not parts or name.endswith("/") or parts[0] == "__MACOSX"
            or any(p.startswith(".") for p in parts))


def _too_large(display: str) -> FileRefused:
    return refuse(display, f"it unpacks to more than {MAX_UNPACKED_BYTES // 1_000_000:,} MB",
                  "Unzip it and upload the files inside one by one, or load them from the command line.")


def _copy(src: IO[bytes], dst: Path, allowed: int, display: str) -> int:
    """Bytes copied; refused as soon as they pass `allowed`."""
    written = 0
    with open(dst, "wb") as out:
        while chunk := src.read(_CHUNK):
            written += len(chunk)
            if written > allowed:
                raise _too_large(display)
            out.write(chunk)
    return written


@contextmanager
def unpacked(ws: Workspace, path: Path, display: str, kind: str) -> Iterator[list[Member]]:
    """The files of a 'zip' or 'gzip' archive, unpacked; removed again on exit."""
    left = MAX_UNPACKED_BYTES
    with ExitStack() as stack:
        members: list[Member] = []
        try:
            if kind == "gzip":
                name = display[:-3] if display.lower().endswith(".gz") else display
                dst = stack.enter_context(private_tempfile(ws, ".unpacked"))
                with gzip.open(path, "rb") as src:
                    _copy(src, dst, left, display)
                members.append(Member(name, dst))
            else:
                with zipfile.ZipFile(path) as zf:
                    infos = [i for i in zf.infolist() if not _skipped(i.filename)]
                    if sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:  # what it declares
                        raise _too_large(display)
                    if len(infos) > MAX_MEMBERS:
                        raise refuse(display, f"it holds {len(infos)} files (at most {MAX_MEMBERS})",
                                     "Upload fewer files per archive.")
                    for info in infos:
                        name = PurePosixPath(info.filename.replace("\\", "/")).name
                        if info.flag_bits & 0x1:
                            members.append(Member(name, None, refuse(
                                name, "it is password-protected inside the archive",
                                "Unzip it with its password and upload the file.")))
                            continue
                        dst = stack.enter_context(private_tempfile(ws, ".unpacked"))
                        with zf.open(info) as src:
                            left -= _copy(src, dst, left, display)
                        members.append(Member(name, dst))
        except (zipfile.BadZipFile, zlib.error, EOFError, gzip.BadGzipFile, NotImplementedError) as exc:
            raise refuse(display, "the archive is damaged or uses a method we cannot read",
                         "Export it again, or unzip it and upload the files inside.") from exc
        if not members:
            raise refuse(display, "the archive holds no files", "Upload the CSV or XLSX export itself.")
        yield members
