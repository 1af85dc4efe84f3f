"""Many series: the top SKUs by revenue get their own model; the long tail is allocated from
its category's forecast by recent share. Fits run in the server's shared pool of two
processes (both cores; lib.forecast.pool), and results are cached by (data hash, parameters).

Known simplification: the top SKUs' own models and the category forecasts are not
reconciled, so Σ SKU forecasts need not equal the category forecast exactly.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from lib.forecast.cache import ForecastCache, fit_key
from lib.forecast.model import ForecastOptions, ForecastResult, fit_forecast
from lib.forecast.notes import Note, note
from lib.forecast.pool import WORKERS, map_jobs
from lib.forecast.series import Metric, daily_series, list_keys, recent_by_sku, sku_categories
from lib.metrics.core import Filters
from lib.workspace import Workspace

DEFAULT_WORKERS = 2
PARALLEL_MIN_SERIES = 4   # below this, starting processes costs more than it saves
TOTAL_KEY = "__total__"


@dataclass(frozen=True)
class _Job:
    key: str
    series: pd.DataFrame
    horizon: int
    country: str | None
    festivals: pd.DataFrame | None
    options: ForecastOptions


def _run(job: _Job) -> tuple[str, ForecastResult]:
    return job.key, fit_forecast(job.series, job.horizon, country=job.country, festivals=job.festivals,
                                 options=job.options)


def fit_many(series_by_key: Mapping[str, pd.DataFrame], horizon: int = 28, *, workers: int = DEFAULT_WORKERS,
             cache: ForecastCache | None = None, country: str | None = None,
             festivals: pd.DataFrame | None = None,
             options: ForecastOptions | None = None) -> dict[str, ForecastResult]:
    """One `fit_forecast` per series, in the shared pool when `workers` > 1 (else here);
    cached results are reused.

    The same input gives the same result alone or in the pool (fixed seeds, no shared files).
    """
    opts = options or ForecastOptions()
    out: dict[str, ForecastResult] = {}
    todo: list[tuple[str, _Job]] = []
    for key, s in series_by_key.items():
        ck = fit_key(s, horizon=horizon, country=country, festivals=festivals, options=opts)
        hit = cache.get(ck) if cache is not None else None
        if isinstance(hit, ForecastResult):
            out[key] = hit
        else:
            todo.append((ck, _Job(key, s, horizon, country, festivals, opts)))
    done = map_jobs(_run, [j for _, j in todo], workers=workers, min_jobs=PARALLEL_MIN_SERIES,
                    chunksize=max(1, len(todo) // (WORKERS * 8)))
    for (ck, job), (_, res) in zip(todo, done):
        out[job.key] = res
        if cache is not None:
            cache.put(ck, res)
    return {k: out[k] for k in series_by_key}


@dataclass(frozen=True)
class SkuForecasts:
    """Per-SKU forecasts.

    forecasts: [sku, ds, yhat, yhat_lower, yhat_upper, source] with source 'own_model' for the
    top SKUs and 'category_share' for the tail (allocated from its category, or from the shop
    total for SKUs without a category); results: the fitted models by SKU or 'category:<name>'.
    """

    forecasts: pd.DataFrame
    top: tuple[str, ...]
    tail: tuple[str, ...]
    shares: dict[str, float]
    results: dict[str, ForecastResult] = field(compare=False, repr=False)
    notes: tuple[Note, ...] = ()


def forecast_skus(ws: Workspace, metric: Metric = "net_sales", horizon: int = 28, *, top_n: int = 20,
                  currency: str | None = None, filters: Filters | None = None, country: str | None = None,
                  festivals: pd.DataFrame | None = None, share_days: int = 56,
                  workers: int = DEFAULT_WORKERS, cache: ForecastCache | None = None,
                  options: ForecastOptions | None = None) -> SkuForecasts:
    """Top `top_n` SKUs by gross sales with their own models; the rest by category share."""
    filters = filters or Filters()
    ranked = [k for k, _ in list_keys(ws, "sku", filters, currency=currency)]
    top, tail = tuple(ranked[:top_n]), tuple(ranked[top_n:])
    cats = sku_categories(ws)
    recent = recent_by_sku(ws, metric, share_days, filters, currency=currency)
    groups: dict[str, list[str]] = {}
    for sku in tail:
        groups.setdefault(cats.get(sku, TOTAL_KEY), []).append(sku)
    series: dict[str, pd.DataFrame] = {sku: daily_series(ws, metric, "sku", sku, filters, currency=currency)
                                       for sku in top}
    for group in groups:
        key = TOTAL_KEY if group == TOTAL_KEY else f"category:{group}"
        series[key] = (daily_series(ws, metric, "total", None, filters, currency=currency) if group == TOTAL_KEY
                       else daily_series(ws, metric, "category", group, filters, currency=currency))
    results = fit_many(series, horizon, workers=workers, cache=cache, country=country,
                       festivals=festivals, options=options)
    frames = []
    for sku in top:
        frames.append(results[sku].forecast.assign(sku=sku, source="own_model"))
    shares: dict[str, float] = {}
    for group, skus in groups.items():
        key = TOTAL_KEY if group == TOTAL_KEY else f"category:{group}"
        members = [s for s, c in cats.items() if c == group] if group != TOTAL_KEY else list(recent)
        denom = sum(recent.get(s, 0.0) for s in members)
        fc = results[key].forecast
        for sku in skus:
            share = recent.get(sku, 0.0) / denom if denom > 0 else 0.0
            shares[sku] = share
            frames.append(fc.assign(yhat=fc["yhat"] * share, yhat_lower=fc["yhat_lower"] * share,
                                    yhat_upper=fc["yhat_upper"] * share, sku=sku, source="category_share"))
    cols = ["sku", "ds", "yhat", "yhat_lower", "yhat_upper", "source"]
    forecasts = (pd.concat(frames, ignore_index=True)[cols] if frames
                 else pd.DataFrame({c: pd.Series(dtype="float64") for c in cols}))
    notes: list[Note] = []
    if tail:
        notes.append(note("many.tail_allocated", count=len(tail), top=len(top), days=share_days))
    zero = [s for s in tail if shares.get(s, 0.0) == 0.0]
    if zero:
        notes.append(note("many.tail_inactive", count=len(zero), days=share_days))
    return SkuForecasts(forecasts, top, tail, shares, results, tuple(notes))

