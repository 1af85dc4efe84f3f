"""Typed errors whose message a shop owner can act on.

The UI and the CLI turn these into a message at one boundary each; nothing else catches them.
"""
from __future__ import annotations

from dataclasses import dataclass


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
