"""E11/E12/L7: two sessions of one server load into the same workspace at once while others
read. Writes take turns; readers only ever see committed states; nothing surfaces as an error."""
from __future__ import annotations

import threading
from pathlib import Path

from lib.ingest.load import ingest_path
from lib.workspace import Workspace
from tests.lib.ingest.fixtures import SHOPIFY_HEADER, to_csv, write


def _orders_file(path: Path, first: int, last: int) -> Path:
    rows = []
    for n in range(first, last + 1):
        rows.append([f"#{n}", f"c{n % 7}@example.invalid", "paid", "2024-03-01 10:00:05 -0500",
                     "fulfilled", "2024-03-02 09:00:00 -0500", "USD", "10.00", "0.00", "0.00",
                     "10.00", "", "0.00", "2024-03-01 10:00:00 -0500", "1", "Tea cup", "10.00",
                     f"SKU-{n % 5}", "", "0.00", "0.00", "US"])
    return write(path, to_csv(SHOPIFY_HEADER, rows))


def test_overlapping_loads_at_once_count_each_order_once(ws: Workspace, tmp_path: Path) -> None:
    for round_ in range(3):
        base = 1000 * (round_ + 1)
        files = [_orders_file(tmp_path / f"a{round_}.csv", base, base + 599),
                 _orders_file(tmp_path / f"b{round_}.csv", base + 300, base + 899)]
        errors: list[BaseException] = []
        seen: list[int] = []
        done = threading.Event()

        def load(path: Path) -> None:
            try:
                [res] = ingest_path(ws, path)
                assert res.status == "loaded", res.message
            except BaseException as exc:  # noqa: BLE001 - collected and asserted below
                errors.append(exc)

        def read() -> None:
            try:
                cur = ws.cursor()
                while not done.is_set():
                    seen.append(cur.execute("SELECT count(*) FROM orders").fetchone()[0])
            except BaseException as exc:  # noqa: BLE001
                errors.append(exc)

        before = ws.cursor().execute("SELECT count(*) FROM orders").fetchone()[0]
        writers = [threading.Thread(target=load, args=(f,)) for f in files]
        readers = [threading.Thread(target=read) for _ in range(3)]
        for t in readers + writers:
            t.start()
        for t in writers:
            t.join(timeout=120)
        done.set()
        for t in readers:
            t.join(timeout=30)
        assert errors == []
        after = ws.cursor().execute("SELECT count(*) FROM orders").fetchone()[0]
        assert after == before + 900  # the union: #base … #base+899, each once
        # Readers saw the state before, after one load, or after both: never half a load.
        assert set(seen) <= {before, before + 600, before + 900}
    assert ws.cursor().execute("SELECT count(*) FROM imports").fetchone()[0] == 6
