"""ui.cached.per_version: one cache per decorated function, keyed by the workspace's path,
its version and the arguments; the workspace itself is never hashed."""
from __future__ import annotations

from pathlib import Path

from lib.workspace import open_workspace
from ui.cached import per_version

calls: list[tuple[str, object]] = []


@per_version()
def first(ws, n: int) -> str:
    calls.append(("first", n))
    return f"first {n}"


@per_version()
def second(ws, n: int) -> str:
    calls.append(("second", n))
    return f"second {n}"


def test_two_functions_with_the_same_arguments_keep_their_own_results(tmp_path: Path) -> None:
    calls.clear()
    ws = open_workspace(tmp_path / "a.duckdb")
    try:
        assert first(ws, 1) == "first 1"
        assert second(ws, 1) == "second 1"   # not first's entry, though the key's values agree
        assert first(ws, 1) == "first 1" and second(ws, 1) == "second 1"
        assert calls == [("first", 1), ("second", 1)]
        assert first(ws, n=2) == "first 2" and calls[-1] == ("first", 2)
        assert first.__name__ == "first"
    finally:
        ws.close()


def test_the_key_holds_the_workspace_and_its_version(tmp_path: Path) -> None:
    calls.clear()
    a, b = open_workspace(tmp_path / "a.duckdb"), open_workspace(tmp_path / "b.duckdb")
    try:
        first(a, 3)
        first(b, 3)    # another workspace: computed for it
        first(a, 3)    # cached
        assert calls == [("first", 3), ("first", 3)]
        a.set_timezone("Asia/Shanghai")   # a new version of a
        first(a, 3)
        first(b, 3)
        assert calls == [("first", 3)] * 3
    finally:
        a.close()
        b.close()


def test_twenty_filter_sets_stay_cached(tmp_path: Path, monkeypatch) -> None:
    """Twenty people, twenty date ranges on the Overview: each one's rerun reads the cache
    (with eight entries a function, as before, the second round recomputed all twenty)."""
    from datetime import date, timedelta
    from types import SimpleNamespace

    from lib.metrics import overview as ov
    from lib.metrics.filters import Filters
    from ui import cached

    computed: list[Filters] = []
    monkeypatch.setattr(ov, "compute_overview",
                        lambda ws, filters, breakdown: computed.append(filters) or SimpleNamespace(has_orders=False))
    ws = open_workspace(tmp_path / "a.duckdb")
    try:
        sets = [Filters(start=date(2024, 1, 1) + timedelta(days=i)) for i in range(20)]
        for _ in range(2):
            for f in sets:
                assert not cached.overview(ws, f, "channel").overview.has_orders
        assert computed == sets
    finally:
        ws.close()
