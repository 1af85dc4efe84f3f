"""RELIABILITY E8 and section 3: a workspace connection cannot reach files, other databases or
Python variables, and cannot be talked out of it. SQL in lib/ only ever sees internal names
and bound values; this is the second wall, for the day one of those fails."""
from __future__ import annotations

import os
import re
from pathlib import Path

import duckdb
import pytest

from lib.workspace import Workspace, memory_limit_mb, open_workspace

SECRET = "a file outside the workspace\n"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    path = tmp_path / "outside" / "secret.csv"
    path.parent.mkdir()
    path.write_text(SECRET)
    return path


@pytest.mark.parametrize("sql", [
    "SELECT * FROM read_csv('{file}')",
    "SELECT * FROM read_text('{file}')",
    "COPY (SELECT 1) TO '{dir}/out.csv'",
    "ATTACH '{dir}/other.duckdb' AS other",
    "INSTALL httpfs",
])
def test_files_and_other_databases_are_out_of_reach(ws: Workspace, outside: Path, sql: str) -> None:
    with pytest.raises(duckdb.Error):
        ws.cursor().execute(sql.format(file=outside, dir=outside.parent))
    assert not (outside.parent / "out.csv").exists() and not (outside.parent / "other.duckdb").exists()


@pytest.mark.parametrize("setting", ["enable_external_access = true",
                                     "python_enable_replacements = true",
                                     "allowed_directories = ['/']"])
def test_the_lockdown_cannot_be_switched_off(ws: Workspace, outside: Path, setting: str) -> None:
    cur = ws.cursor()
    try:
        cur.execute(f"SET {setting}")
    except duckdb.Error:
        pass  # refused outright: the best answer
    with pytest.raises(duckdb.Error):
        cur.execute("SELECT * FROM read_csv(?)", [str(outside)])


def test_python_variables_are_not_tables(ws: Workspace) -> None:
    secret_frame = {"password": ["hunter2"]}  # noqa: F841 - what a replacement scan would find
    with pytest.raises(duckdb.CatalogException):
        ws.cursor().execute("SELECT * FROM secret_frame")


def test_the_connection_reports_its_lockdown(ws: Workspace) -> None:
    settings = dict(ws.cursor().execute(
        "SELECT name, value FROM duckdb_settings() WHERE name IN ('enable_external_access', "
        "'python_enable_replacements', 'autoinstall_known_extensions', 'autoload_known_extensions')"
    ).fetchall())
    assert settings == {"enable_external_access": "false", "python_enable_replacements": "false",
                        "autoinstall_known_extensions": "false", "autoload_known_extensions": "false"}


def test_e7_queries_are_time_limited_writes_are_not_and_the_connection_goes_on(tmp_path: Path) -> None:
    """A query cursor stops a pathological query at its limit (InterruptException, within
    about the limit); the same connection answers the next query; a transaction's cursor,
    which loads use, has no limit."""
    import time

    ws = open_workspace(tmp_path / "t.duckdb")
    try:
        ws.query_time_limit_ms = 200
        cur = ws.cursor()
        started = time.monotonic()
        with pytest.raises(duckdb.InterruptException):
            cur.execute("SELECT count(*) FROM range(100000000) a, range(1000) b "
                        "WHERE (a.range * b.range) % 7 = 3").fetchall()
        assert time.monotonic() - started < 3
        assert cur.execute("SELECT 42").fetchone() == (42,)
        assert ws.cursor().execute("SELECT current_setting('max_execution_time')").fetchone() == (200,)
        with ws.transaction() as tx:
            assert tx.execute("SELECT current_setting('max_execution_time')").fetchone() == (0,)
    finally:
        ws.close()


def test_each_workspace_may_use_a_quarter_of_the_machines_memory(ws: Workspace) -> None:
    """Every open workspace is its own DuckDB instance; at DuckDB's default (80 % each) a few
    open at once could claim more memory than the machine has."""
    total_mib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**20
    limit = memory_limit_mb()
    assert limit is not None and (limit == 1024 or 0.24 < limit / total_mib <= 0.25)
    shown = ws.cursor().execute("SELECT current_setting('memory_limit')").fetchone()[0]
    number, unit = re.fullmatch(r"([\d.]+) (MiB|GiB)", shown).groups()  # e.g. '5.8 GiB'
    assert float(number) * (1024 if unit == "GiB" else 1) == pytest.approx(limit, rel=0.02)
