"""The app's last-resort boundary (ui.state.page_boundary, around every page in app.py): an
error no page expected is shown translated with a reference, never as a traceback, the full
trace goes to the server log under the same reference, and the next page still works
(RELIABILITY E6, G10)."""
from __future__ import annotations

import logging
import re
from pathlib import Path

import duckdb
import pytest

import lib.metrics.overview
from tests.pages.support import SHOPIFY, metrics, open_page, upload

REF = re.compile(r"\b([0-9a-f]{8})\b")
REAL_COMPUTE_OVERVIEW = lib.metrics.overview.compute_overview


def _overview_raising(monkeypatch: pytest.MonkeyPatch, exc: BaseException, lang: str = "en"):
    at = upload(open_page("app_pages/data.py"), ("orders.csv", SHOPIFY.encode()))
    if lang == "zh":
        at.sidebar.selectbox(key="lang").set_value("zh").run()

    def boom(*args: object, **kwargs: object) -> None:
        raise exc

    monkeypatch.setattr(lib.metrics.overview, "compute_overview", boom)
    at.switch_page("app_pages/overview.py")
    at.run()
    return at


def test_an_unexpected_error_is_a_message_with_a_reference_the_log_repeats(
        workspaces: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="shoplens"):
        at = _overview_raising(monkeypatch, ZeroDivisionError("secret internals /etc/x"))
    assert not at.exception  # no traceback element in the page
    (error,) = at.error
    assert error.value.startswith("This page hit an error it did not expect; nothing was changed.")
    assert "secret internals" not in error.value and "ZeroDivisionError" not in error.value
    ref = REF.search(error.value).group(1)
    (record,) = [r for r in caplog.records if r.name == "shoplens"]
    assert record.getMessage() == f"[{ref}] unexpected error"
    assert record.exc_info[0] is ZeroDivisionError  # the full trace is in the log
    # The session goes on: the sidebar was drawn, and another page still works.
    assert at.sidebar.selectbox(key="workspace").value == "default"
    # (only the patched function is restored: monkeypatch.undo() would also drop the test's
    # SHOPLENS_WORKSPACES and send the app to the project's own workspaces folder)
    monkeypatch.setattr(lib.metrics.overview, "compute_overview", REAL_COMPUTE_OVERVIEW)
    at.switch_page("app_pages/overview.py")
    at.run()
    assert not at.error and not at.exception
    assert metrics(at)["Orders"] == "3"  # the KPI cards are back, for this test's workspace


def test_out_of_memory_asks_for_a_narrower_view_in_the_users_language(
        workspaces: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _overview_raising(monkeypatch, duckdb.OutOfMemoryException("could not allocate 2 GiB"),
                           lang="zh")
    (error,) = at.error
    assert error.value.startswith("此视图所需内存超出本机可用内存。请缩小日期范围或渠道筛选后重试")
    assert REF.search(error.value) and "allocate" not in error.value


PATHOLOGICAL = ("SELECT count(*) FROM range(100000000) a, range(1000) b "
                "WHERE (a.range * b.range) % 7 = 3")


def test_a_query_over_the_time_limit_stops_with_a_message_and_the_app_goes_on(
        workspaces: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """RELIABILITY E7: a page query runs on a time-limited cursor; one that runs too long
    stops within about the limit, the page says what to do, and the next query works."""
    import time

    from lib.workspace import Workspace

    monkeypatch.setattr(Workspace, "query_time_limit_ms", 300)

    def slow(ws: Workspace, *args: object, **kwargs: object) -> None:
        ws.cursor().execute(PATHOLOGICAL).fetchall()  # a cross join of 10^11 rows

    at = upload(open_page("app_pages/data.py"), ("orders.csv", SHOPIFY.encode()))
    monkeypatch.setattr(lib.metrics.overview, "compute_overview", slow)
    at.switch_page("app_pages/overview.py")
    started = time.monotonic()
    at.run()
    assert time.monotonic() - started < 10
    (error,) = at.error
    assert error.value.startswith("This view took longer than 60 seconds to compute and was stopped.")
    assert REF.search(error.value) and not at.exception
    monkeypatch.setattr(lib.metrics.overview, "compute_overview", REAL_COMPUTE_OVERVIEW)
    at.run()
    assert not at.error and metrics(at)["Orders"] == "3"
