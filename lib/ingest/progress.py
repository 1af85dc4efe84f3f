"""Which step a load is in, for a page that shows it while the user waits (RELIABILITY C14).

A million rows take seconds and a big archive a minute; a spinner alone does not say whether
anything moves. The load reports each step to whoever listens in the current context (the
Data page's progress bar). A ContextVar keeps the ingest functions' signatures as they are,
and two sessions never see each other's steps: Streamlit runs each script in its own thread,
and every thread has its own context.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

# In the order a load goes through them: the upload saved to disk, the file read, every row
# checked, the rows written in one transaction, the KPI fact tables rebuilt.
STEPS = ("save", "read", "check", "write", "facts")


@dataclass(frozen=True)
class Step:
    key: str   # one of STEPS
    file: str  # the file as the user named it ('archive › member' inside an archive)

    @property
    def text_key(self) -> str:
        """The translation key of the step's sentence (lib/i18n.STRINGS)."""
        return f"ingest.step.{self.key}"

    @property
    def done(self) -> float:
        """Share of the steps finished when this one starts (for a progress bar)."""
        return STEPS.index(self.key) / len(STEPS)


Listener = Callable[[Step], None]
_listener: ContextVar[Listener | None] = ContextVar("shoplens_ingest_listener", default=None)


@contextmanager
def reporting(listener: Listener) -> Iterator[None]:
    """Send the steps of every load run inside this block to `listener`."""
    token = _listener.set(listener)
    try:
        yield
    finally:
        _listener.reset(token)


def step(key: str, file: str) -> None:
    """Say that the load of `file` starts step `key` (nothing happens when nobody listens)."""
    if key not in STEPS:
        raise ValueError(f"unknown ingest step {key!r}")
    listener = _listener.get()
    if listener is not None:
        listener(Step(key, file))
