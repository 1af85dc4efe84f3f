"""One pool of fit processes for the whole server, and a cap on fits running at once.

Sessions forecasting at the same time must not each start their own processes (RELIABILITY
F17, L6; the machine has 2 cores): lift and many-series jobs go to one shared pool of
`WORKERS` spawned processes, made on first use and kept (a worker imports Prophet once, not
once per call), and fits in the app's own threads wait for one of `WORKERS` slots. Results
do not depend on where or beside what a fit runs: every fit has a fixed seed and its own temp
files, and the draws from numpy's global random state take turns (`seeded_global_rng`).
"""
from __future__ import annotations

import multiprocessing
import threading
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


def _shared_pool() -> ProcessPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            ctx = multiprocessing.get_context("spawn")  # no fork of a process holding DuckDB threads
            _pool = ProcessPoolExecutor(max_workers=WORKERS, mp_context=ctx)
        return _pool


def map_in_pool(func: Callable[[_J], _R], jobs: Iterable[_J], chunksize: int = 1) -> list[_R] | None:
    """`func` over `jobs` in the shared pool, in order; None when the pool broke (a worker was
    killed or ran out of memory): the caller then computes them itself, and the next call
    starts a new pool."""
    global _pool
    pool = _shared_pool()
    try:
        return list(pool.map(func, jobs, chunksize=chunksize))
    except BrokenProcessPool:
        with _lock:
            if _pool is pool:
                _pool = None
        pool.shutdown(wait=False, cancel_futures=True)
        return None


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
