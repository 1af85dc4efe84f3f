"""Compressed exports: a .zip of CSV/XLSX files or a .gz of one file loads like its contents, one
result per file inside; what cannot be unpacked safely is refused with the reason, and nothing
already loaded changes (RELIABILITY P1, C-section)."""
from __future__ import annotations

import gzip
import zipfile
from pathlib import Path

import pytest

from lib.ingest import archive
from lib.ingest.load import ingest_path
from lib.metrics.core import compute_core_kpis
from lib.workspace import Workspace
from tests.lib.ingest.fixtures import SHOPIFY_HEADER, SHOPIFY_ROWS, shopify_file, to_csv
from tests.lib.ingest.test_load import _snapshot

# A third order on its own (a second export of the same shop): 1 × 12.00.
MORE_ROWS = [["#1003", "c@example.invalid", "paid", "2024-03-05 10:00:00 -0500", "unfulfilled", "", "USD",
              "12.00", "0.00", "0.00", "12.00", "", "0.00", "2024-03-05 10:00:00 -0500", "1", "Tea tin",
              "12.00", "TIN-1", "", "0.00", "0.00", "US"]]


def _zip(path: Path, members: dict[str, bytes], encrypted: frozenset[str] = frozenset()) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    if encrypted:  # set the "encrypted" flag bit (the stdlib cannot write real encryption)
        raw = bytearray(path.read_bytes())
        for name in encrypted:
            for sig, flag_at, name_at in ((b"PK\x03\x04", 6, 30), (b"PK\x01\x02", 8, 46)):
                at = raw.find(sig)
                while raw[at + name_at:at + name_at + len(name)] != name.encode():
                    at = raw.find(sig, at + 1)
                raw[at + flag_at] |= 0x1
        path.write_bytes(bytes(raw))
    return path


def _orders_csv(rows: list[list[str]]) -> bytes:
    return to_csv(SHOPIFY_HEADER, rows).encode()


def test_a_zip_of_two_exports_loads_each_under_its_own_name(ws: Workspace, tmp_path: Path) -> None:
    z = _zip(tmp_path / "exports.zip", {"march/orders_1.csv": _orders_csv(SHOPIFY_ROWS),
                                        "march/orders_2.csv": _orders_csv(MORE_ROWS),
                                        "__MACOSX/march/._orders_1.csv": b"\x00\x05\x16\x07junk",
                                        ".DS_Store": b"\x00\x00\x00\x01Bud1"})
    results = ingest_path(ws, z)
    assert [(r.file, r.status, r.format, r.rows_loaded) for r in results] == [
        ("exports.zip › orders_1.csv", "loaded", "shopify_orders", 3),
        ("exports.zip › orders_2.csv", "loaded", "shopify_orders", 1)]
    k = compute_core_kpis(ws)
    assert k.orders == 3 and str(k.gross_sales) == "58.50"  # 46.50 + 12.00
    names = [r[0] for r in ws.cursor().execute("SELECT file_name FROM imports ORDER BY batch_id").fetchall()]
    assert names == ["exports.zip › orders_1.csv", "exports.zip › orders_2.csv"]


def test_the_same_file_zipped_or_not_is_one_load(ws: Workspace, tmp_path: Path) -> None:
    plain = shopify_file(tmp_path)
    [first] = ingest_path(ws, plain)
    before = _snapshot(ws)
    [zipped] = ingest_path(ws, _zip(tmp_path / "again.zip", {"orders.csv": plain.read_bytes()}))
    [gz] = ingest_path(ws, _gz(tmp_path / "orders.csv.gz", plain.read_bytes()))
    assert (first.status, zipped.status, gz.status) == ("loaded", "duplicate", "duplicate")
    assert _snapshot(ws) == before


def _gz(path: Path, data: bytes) -> Path:
    path.write_bytes(gzip.compress(data))
    return path


def test_a_gzip_export_loads_like_the_file_inside(ws: Workspace, tmp_path: Path) -> None:
    [res] = ingest_path(ws, _gz(tmp_path / "orders_export.csv.gz", _orders_csv(SHOPIFY_ROWS)))
    assert (res.file, res.status, res.rows_read, res.rows_loaded, res.orders) == (
        "orders_export.csv.gz › orders_export.csv", "loaded", 3, 3, 2)
    assert compute_core_kpis(ws).net_sales == pytest.approx(39)


def test_a_bad_member_is_refused_and_the_others_load(ws: Workspace, tmp_path: Path) -> None:
    inner = _zip(tmp_path / "inner.zip", {"x.csv": _orders_csv(MORE_ROWS)}).read_bytes()
    z = _zip(tmp_path / "mixed.zip", {"orders.csv": _orders_csv(SHOPIFY_ROWS), "logo.png": b"\x89PNG\r\n\x1a\n" + b"0" * 64,
                                      "nested.zip": inner, "secret.csv": _orders_csv(MORE_ROWS)},
             encrypted=frozenset({"secret.csv"}))
    by_name = {r.file: r for r in ingest_path(ws, z)}
    assert by_name["mixed.zip › orders.csv"].status == "loaded"
    assert "PNG image" in by_name["mixed.zip › logo.png"].message
    assert "archive inside an archive" in by_name["mixed.zip › nested.zip"].message
    assert "password" in by_name["mixed.zip › secret.csv"].message
    assert all(r.status == "refused" for name, r in by_name.items() if name != "mixed.zip › orders.csv")
    assert compute_core_kpis(ws).orders == 2


@pytest.mark.parametrize("members, says", [
    ({}, "holds no files"),
    ({"a/": b"", "__MACOSX/x": b"1"}, "holds no files"),
])
def test_an_empty_archive_is_refused(ws: Workspace, tmp_path: Path, members: dict[str, bytes], says: str) -> None:
    [res] = ingest_path(ws, _zip(tmp_path / "empty.zip", members))
    assert res.status == "refused" and says in res.message and res.file == "empty.zip"


def test_an_archive_that_unpacks_too_large_is_refused_whole(ws: Workspace, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """A zip bomb: 5 MB of one byte packs into ~5 KB. With the limit at 1 MB nothing of it is
    loaded, not even the small export beside it, and the unpacked bytes are gone."""
    ingest_path(ws, shopify_file(tmp_path))
    before = _snapshot(ws)
    monkeypatch.setattr(archive, "MAX_UNPACKED_BYTES", 1_000_000)
    z = _zip(tmp_path / "bomb.zip", {"a.csv": _orders_csv(MORE_ROWS), "b.csv": b"1" * 5_000_000})
    [res] = ingest_path(ws, z)
    assert res.status == "refused" and res.file == "bomb.zip"
    assert "more than 1 MB" in res.message and "Unzip it" in res.message
    assert _snapshot(ws) == before
    assert not [p for p in ws.staging.iterdir() if p.is_file()]  # nothing left in the staging dir


def test_a_lying_zip_header_cannot_get_past_the_limit(ws: Workspace, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The limit counts the bytes actually unpacked, not the sizes the archive declares."""
    monkeypatch.setattr(archive, "MAX_UNPACKED_BYTES", 1_000_000)
    z = _zip(tmp_path / "liar.zip", {"b.csv": b"1" * 3_000_000})
    raw = bytearray(z.read_bytes())
    for sig, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):  # uncompressed size fields
        at = raw.find(sig)
        raw[at + offset:at + offset + 4] = (100).to_bytes(4, "little")
    z.write_bytes(bytes(raw))
    [res] = ingest_path(ws, z)
    assert res.status == "refused" and ("more than 1 MB" in res.message or "damaged" in res.message)


def test_a_damaged_gzip_is_refused(ws: Workspace, tmp_path: Path) -> None:
    data = gzip.compress(_orders_csv(SHOPIFY_ROWS))
    (tmp_path / "cut.csv.gz").write_bytes(data[: len(data) // 2])
    [res] = ingest_path(ws, tmp_path / "cut.csv.gz")
    assert res.status == "refused" and "damaged" in res.message
    assert compute_core_kpis(ws).orders == 0


def test_a_workbook_inside_a_zip_loads_sheet_by_sheet(ws: Workspace, tmp_path: Path) -> None:
    from tests.lib.ingest.test_bad_inputs import RETAIL_HEAD, _xlsx

    book = _xlsx(tmp_path / "retail.xlsx", {
        "2010": [RETAIL_HEAD, ["536365", "85123A", "HEART", 6, "2010-12-01 08:26:00", 2.55, 17850, "United Kingdom"]],
        "2011": [RETAIL_HEAD, ["581587", "22613", "PACK", 12, "2011-12-09 12:50:00", 0.85, 12680, "France"]]})
    results = ingest_path(ws, _zip(tmp_path / "retail.zip", {"retail.xlsx": book.read_bytes()}))
    assert [(r.file, r.status, r.orders) for r in results] == [
        ("retail.zip › retail.xlsx [2010]", "loaded", 1), ("retail.zip › retail.xlsx [2011]", "loaded", 1)]


def test_an_archive_of_too_many_files_is_refused_whole(ws: Workspace, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(archive, "MAX_MEMBERS", 3)
    z = _zip(tmp_path / "many.zip", {f"o{i}.csv": _orders_csv(MORE_ROWS) for i in range(4)})
    [res] = ingest_path(ws, z)
    assert res.status == "refused" and "it holds 4 files (at most 3)" in res.message
    assert compute_core_kpis(ws).orders == 0
