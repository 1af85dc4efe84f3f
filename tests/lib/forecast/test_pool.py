"""The server's shared fit pool (lib.forecast.pool): made once, reused by every call and
every session, replaced when a worker dies; fits in this process are capped at two."""
from __future__ import annotations

import os
import signal
import threading
import time

from lib.forecast import pool


def _pid_after(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


def _square(x: int) -> int:
    return x * x


def test_calls_share_one_pool_of_two_workers_and_keep_order() -> None:
    first = pool.map_in_pool(_pid_after, [0.3] * 4)
    second = pool.map_in_pool(_pid_after, [0.3] * 4)
    assert first is not None and second is not None
    assert len(set(first) | set(second)) == pool.WORKERS  # the same two processes, not new ones
    assert os.getpid() not in first
    assert pool.map_in_pool(_square, range(20), chunksize=3) == [x * x for x in range(20)]


def test_sessions_at_once_queue_on_the_same_workers() -> None:
    """Three sessions (threads) at once: still two processes, each gets its own answers."""
    results: dict[int, list[int] | None] = {}

    def session(n: int) -> None:
        results[n] = pool.map_in_pool(_square, range(n, n + 10))

    threads = [threading.Thread(target=session, args=(n,)) for n in (0, 100, 200)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == {n: [x * x for x in range(n, n + 10)] for n in (0, 100, 200)}
    pids = pool.map_in_pool(_pid_after, [0.2] * 4)
    assert pids is not None and len(set(pids)) == pool.WORKERS


def test_a_killed_worker_gives_none_and_the_next_call_a_new_pool() -> None:
    pids = pool.map_in_pool(_pid_after, [0.2] * 2)
    assert pids is not None
    victim = pids[0]

    def kill_soon() -> None:
        time.sleep(0.3)
        os.kill(victim, signal.SIGKILL)

    threading.Thread(target=kill_soon).start()
    assert pool.map_in_pool(_pid_after, [2.0] * 4) is None  # the caller computes them itself
    again = pool.map_in_pool(_pid_after, [0.2] * 4)
    assert again is not None and victim not in again


def test_at_most_two_fits_run_at_once_in_this_process() -> None:
    running, peak, lock = [0], [0], threading.Lock()

    def fit() -> None:
        with pool.fit_slot():
            with lock:
                running[0] += 1
                peak[0] = max(peak[0], running[0])
            time.sleep(0.2)
            with lock:
                running[0] -= 1

    threads = [threading.Thread(target=fit) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert peak[0] == pool.WORKERS


def test_three_sessions_forecasting_at_once_get_the_sequential_results() -> None:
    """RELIABILITY F17/L6: three sessions fit at once (two run, one waits for a slot); each
    gets exactly what it gets alone (fixed seeds, no shared temp files)."""
    import pandas as pd

    from lib.forecast.model import fit_forecast
    from tests.lib.forecast.shop import weekly_series

    series = [weekly_series(120, seed=s, level=100 + 50 * s) for s in range(3)]
    alone = [fit_forecast(s, 14).forecast for s in series]
    together: dict[int, pd.DataFrame] = {}

    def session(i: int) -> None:
        together[i] = fit_forecast(series[i], 14).forecast

    threads = [threading.Thread(target=session, args=(i,)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for i in range(3):
        pd.testing.assert_frame_equal(together[i], alone[i])


def test_a_fit_in_progress_leaves_the_process_wide_warning_filters_alone(monkeypatch) -> None:
    """warnings.catch_warnings() swaps one list for the whole process (Python < 3.14): a
    session fitting inside it changed what every other session's thread saw, and two
    interleaved fits left their ignores behind. Prophet's warnings are filtered once, at
    import, instead; a fit held open here must not change the list another thread sees."""
    import warnings

    from prophet import Prophet

    from lib.forecast import model
    from tests.lib.forecast.shop import weekly_series

    inside, release = threading.Event(), threading.Event()
    real_fit = Prophet.fit

    def held_fit(self, *args, **kwargs):
        inside.set()
        release.wait(30)
        return real_fit(self, *args, **kwargs)

    monkeypatch.setattr(Prophet, "fit", held_fit)
    before = list(warnings.filters)
    session = threading.Thread(target=model.fit_forecast, args=(weekly_series(120, seed=1), 14))
    session.start()
    try:
        assert inside.wait(60), "the fit did not start"
        during = list(warnings.filters)
    finally:
        release.set()
        session.join(120)
    assert during == before
    assert list(warnings.filters) == before


def test_new_workers_do_not_run_the_parent_s_main_script(tmp_path, monkeypatch) -> None:
    """Under `streamlit run`, `__main__` is the app script: a spawned worker imported it by
    path first, running the whole app bare in each new worker. Here `__main__` stands for such
    a script, which leaves a mark when run."""
    import sys
    import types

    mark = tmp_path / "ran"
    script = tmp_path / "app_script.py"
    script.write_text(f"open({str(mark)!r}, 'a').write('x')\n", encoding="utf-8")
    app = types.ModuleType("__main__")
    app.__file__ = str(script)
    monkeypatch.setitem(sys.modules, "__main__", app)
    monkeypatch.setattr(pool, "_pool", None)   # new workers, started under that __main__
    try:
        assert pool.map_in_pool(_square, range(8)) == [x * x for x in range(8)]
        assert sys.modules["__main__"] is app   # given back
    finally:
        if pool._pool is not None:
            pool._pool.shutdown(wait=True)
    assert not mark.exists()


def test_map_jobs_uses_the_pool_only_for_enough_jobs_and_finishes_here_when_it_broke(monkeypatch) -> None:
    asked: list[int] = []
    monkeypatch.setattr(pool, "map_in_pool", lambda func, jobs, chunksize=1: asked.append(len(jobs)) or None)
    assert pool.map_jobs(_square, [1, 2], workers=2, min_jobs=3) == [1, 4] and asked == []   # too few
    assert pool.map_jobs(_square, [1, 2, 3], workers=1, min_jobs=3) == [1, 4, 9] and asked == []  # asked not to
    assert pool.map_jobs(_square, [1, 2, 3], workers=2, min_jobs=3) == [1, 4, 9] and asked == [3]  # broke: here
    monkeypatch.setattr(pool, "map_in_pool", lambda func, jobs, chunksize=1: [-1] * len(jobs))
    assert pool.map_jobs(_square, [1, 2, 3], workers=2, min_jobs=3) == [-1, -1, -1]          # the pool's answer
