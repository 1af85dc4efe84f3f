"""Helpers for the Overview, Analysis and Glossary page tests: workspaces prepared outside the
app (the demo, real exports), sidebar keys, and the charts a page drew."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyarrow as pa
from streamlit.testing.v1 import AppTest

from lib.ingest.load import ingest_path
from lib.metrics.engine import compute
from lib.workspace import open_workspace
from tests.conftest import shared_file

REAL_EXPORTS = {
    "petstore": "shopify-orders-us-petstore/orders_export_1.csv",
    "seezona": "shopify-orders-seezona/orders_export_1.csv",
    "etsy": "etsy-orders-us-shop/EtsySoldOrders2021.csv",
    "woocommerce": "woocommerce-orders-sample/Sample_Order.csv",
    "cdnow": "cdnow/CDNOW_master.txt",
    "online_retail_xlsx": "online-retail-uci/Online_Retail_sample40k.xlsx",
    "customers": "shopify-customers-cl-laslira/customers_export.csv",
    "products": "shopify-products-us-petstore/products_export_1.csv",
}
_built: dict[str, Path] = {}


def real_workspace(name: str, cache: Path, folder: Path) -> Path:
    """`folder/default.duckdb` holding one real export (built once per process, then copied)."""
    if name not in _built:
        path = cache / f"{name}.duckdb"
        ws = open_workspace(path)
        try:
            for r in ingest_path(ws, shared_file(REAL_EXPORTS[name])):
                assert r.status == "loaded", r.message
            compute(ws, metrics=["orders"])  # fact tables
        finally:
            ws.close()
        _built[name] = path
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "default.duckdb"
    shutil.copyfile(_built[name], target)
    return target


def key_starting(at: AppTest, kind: str, prefix: str) -> str:
    keys = [w.key for w in getattr(at, kind) if w.key and w.key.startswith(prefix)]
    assert len(keys) == 1, (prefix, keys)
    return keys[0]


def chart_specs(at: AppTest) -> list[dict]:
    """The Vega-Lite specs of every Altair chart on the page, each with its data rows put back
    under `datasets` (Streamlit ships them separately, as Arrow)."""
    specs = []
    for el in at.get("vega_lite_chart"):
        spec = json.loads(el.proto.spec)
        spec["datasets"] = {ds.name: pa.ipc.open_stream(ds.data.data).read_all().to_pylist()
                            for ds in el.proto.datasets}
        specs.append(spec)
    return specs


def metric_details(at: AppTest) -> dict[str, tuple[str, str, str, str]]:
    """label → (value, delta, delta description, help)."""
    return {m.label: (m.value, m.proto.delta, m.proto.delta_description, m.proto.help)
            for m in at.metric}
