"""Typed errors whose message a shop owner can act on.

The UI and the CLI turn these into a message at one boundary each; nothing else catches them.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class ShoplensError(Exception):
    """Base class: `str(err)` is a complete, user-facing sentence (English).

    `key` and `params` let the UI render the same message in the user's language.
    """

    key: str = "error.generic"

    def __init__(self, message: str, *, key: str | None = None, **params: object) -> None:
        super().__init__(message)
        if key:
            self.key = key
        self.params = params


class WorkspaceError(ShoplensError):
    """The workspace file cannot be opened or is busy."""


class WalDamagedError(WorkspaceError):
    """The workspace's write-ahead log cannot be replayed (RELIABILITY E3): its bytes are
    damaged. The file itself holds everything up to its last checkpoint; the recovery is
    `open_workspace(path, recover_wal=True)` (CLI: `recover-wal`), which moves the log aside."""

    key = "error.wal_damaged"

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"Workspace {path.name} cannot be opened: its recovery log ({path.name}.wal), which "
            "holds the changes made since it was last saved, is damaged. The data as last "
            "saved are intact (every import saves when it finishes). To open the workspace as "
            "last saved, run: python -m lib.cli recover-wal --workspace <path to "
            f"{path.name}>. The damaged log is kept beside the workspace, not deleted.",
            key=self.key, workspace=path.name)
        self.path = path


@dataclass(frozen=True)
class Problem:
    """Where a file went wrong: enough to find the cell and fix it."""

    file: str
    reason: str
    hint: str = ""
    line: int | None = None
    column: str | None = None
    raw_value: str | None = None

    def describe(self) -> str:
        where = [self.file]
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column:
            where.append(f"column '{self.column}'")
        text = ", ".join(where) + f": {self.reason}"
        if self.raw_value is not None:
            text += f" (value: {self.raw_value[:80]!r})"
        if self.hint:
            text += f". {self.hint}"
        return text


class FileRefused(ShoplensError):
    """A whole file was refused before anything was written."""

    key = "error.file_refused"

    def __init__(self, problem: Problem, *, key: str | None = None, **params: object) -> None:
        super().__init__(problem.describe(), key=key, **params)
        self.problem = problem
