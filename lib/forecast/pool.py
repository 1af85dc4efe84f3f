"""One pool of fit processes for the whole server, and a cap on fits running at once.

Sessions forecasting at the same time must not each start their own processes (RELIABILITY
F17, L6; the machine has 2 cores): lift and many-series jobs go to one shared pool of
`WORKERS` spawned processes, made on first use and kept (a worker imports Prophet once, not
once per call), and fits in the app's own threads wait for one of `WORKERS` slots. Results
do not depend on what else runs: every fit has a fixed seed and its own temp files, and the
draws from numpy's global random state take turns (`seeded_global_rng`). The inputs must be
the same to the last bit, too: Prophet can settle on another optimum for a difference in the
last bits of one day's value (lib/forecast/series.py rounds what DuckDB's threads summed in
varying order).
"""
from __future__ import annotations

import multiprocessing
import sys
import threading
import types
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import TypeVar

import numpy as np

WORKERS = 2
_J = TypeVar("_J")
_R = TypeVar("_R")
_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None
_fit_slots = threading.BoundedSemaphore(WORKERS)
_rng_lock = threading.Lock()
_main_lock = threading.Lock()


def _shared_pool() -> ProcessPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            ctx = multiprocessing.get_context("spawn")  # no fork of a process holding DuckDB threads
            _pool = ProcessPoolExecutor(max_workers=WORKERS, mp_context=ctx)
        return _pool


@contextmanager
def _no_main_script() -> Iterator[None]:
    """While held, workers start without the parent's main script.

    A spawned worker first imports the parent's `__main__` by its path. Under `streamlit
    run`, `__main__` is the app script the session is running, so every new worker ran the
    whole app, bare (its sidebar, its workspace) before its first fit. Workers start when a
    job is submitted (ProcessPoolExecutor spawns on demand), so the submitting code holds this:
    `__main__` is then an empty module, and the jobs' functions come from their own modules.
    """
    with _main_lock:
        main = sys.modules.get("__main__")
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            yield
        finally:
            if main is not None:
                sys.modules["__main__"] = main


def map_in_pool(func: Callable[[_J], _R], jobs: Iterable[_J], chunksize: int = 1) -> list[_R] | None:
    """`func` over `jobs` in the shared pool, in order; None when the pool broke (a worker was
    killed or ran out of memory): the caller then computes them itself, and the next call
    starts a new pool."""
    global _pool
    pool = _shared_pool()
    try:
        with _no_main_script():
            results = pool.map(func, jobs, chunksize=chunksize)  # submits every job (and starts workers)
        return list(results)
    except BrokenProcessPool:
        with _lock:
            if _pool is pool:
                _pool = None
        pool.shutdown(wait=False, cancel_futures=True)
        return None


def map_jobs(func: Callable[[_J], _R], jobs: list[_J], *, workers: int, min_jobs: int = 2,
             chunksize: int = 1) -> list[_R]:
    """`func` over `jobs`, in order: in the shared pool when `workers` > 1 and there are at
    least `min_jobs` (fewer: starting the workers costs more than they save), else here; here
    too when the pool broke (`map_in_pool` gave None)."""
    if workers > 1 and len(jobs) >= min_jobs:
        pooled = map_in_pool(func, jobs, chunksize=chunksize)
        if pooled is not None:
            return pooled
    return [func(job) for job in jobs]


@contextmanager
def fit_slot() -> Iterator[None]:
    """Held around one Prophet fit in this process: at most WORKERS at once."""
    with _fit_slots:
        yield


@contextmanager
def seeded_global_rng(seed: int) -> Iterator[None]:
    """numpy's global random state seeded with `seed` for this block, and this block alone.

    Prophet draws its uncertainty samples from the global state: two sessions predicting at
    once (Streamlit runs sessions as threads) drew from each other's stream, so the same
    forecast got another band than it gets alone. One block at a time; the state is restored.
    """
    with _rng_lock:
        state = np.random.get_state()
        np.random.seed(seed)
        try:
            yield
        finally:
            np.random.set_state(state)
