"""A small in-memory cache of fitted results, keyed by (hash of the data, parameters).

Keys are content hashes: two workspaces share an entry only when their series and parameters
are byte-for-byte identical, and then the result is identical too, so nothing can leak from
one client's data into another's view. The cache is an object the caller owns (the app keeps
one per process with its own bounds); this module holds no global state.
"""
from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import asdict, is_dataclass

import numpy as np
import pandas as pd


def _feed(h: "hashlib._Hash", value: object) -> None:
    if isinstance(value, pd.DataFrame):
        h.update(b"df")
        for c in value.columns:
            h.update(str(c).encode())
            col = value[c]
            if pd.api.types.is_datetime64_any_dtype(col):
                h.update(col.astype("datetime64[ns]").to_numpy().view("int64").tobytes())
            elif pd.api.types.is_numeric_dtype(col):
                h.update(np.ascontiguousarray(col.to_numpy(dtype="float64", na_value=np.nan)).tobytes())
            else:
                h.update("\x1f".join(map(str, col.tolist())).encode())
    elif is_dataclass(value) and not isinstance(value, type):
        _feed(h, asdict(value))
    elif isinstance(value, Mapping):
        for k in sorted(value, key=str):
            h.update(str(k).encode() + b"=")
            _feed(h, value[k])
    elif isinstance(value, (list, tuple)):
        h.update(b"[")
        for v in value:
            _feed(h, v)
        h.update(b"]")
    else:
        h.update(repr(value).encode())
    h.update(b";")


def fit_key(series: pd.DataFrame, **params: object) -> str:
    """sha256 over the series' bytes and every parameter (DataFrames by content)."""
    h = hashlib.sha256()
    _feed(h, series)
    _feed(h, params)
    return h.hexdigest()


class ForecastCache:
    """A bounded, thread-safe LRU mapping of fit_key → result."""

    def __init__(self, max_items: int = 512) -> None:
        self.max_items = max_items
        self._items: OrderedDict[str, object] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: str) -> object | None:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                self.hits += 1
                return self._items[key]
            self.misses += 1
            return None

    def put(self, key: str, value: object) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.max_items:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
