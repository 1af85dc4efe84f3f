"""Many series: the pool gives what a single process gives, the cache is keyed by content,
and the long tail is allocated from its category by recent share."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lib.forecast.cache import ForecastCache, fit_key
from lib.forecast.many import fit_many, forecast_skus
from lib.forecast.model import ForecastOptions
from lib.workspace import Workspace
from tests.lib.forecast.shop import build_sku_shop, weekly_series


def test_the_pool_gives_the_same_results_as_one_process() -> None:
    series = {f"s{i}": weekly_series(150, seed=i, level=100 + 10 * i) for i in range(4)}
    pooled = fit_many(series, 14, workers=2)
    alone = fit_many(series, 14, workers=1)
    assert list(pooled) == list(series)
    for k in series:
        pd.testing.assert_frame_equal(pooled[k].forecast, alone[k].forecast)
        assert pooled[k].method == "prophet"


def test_the_cache_is_keyed_by_data_and_parameters() -> None:
    cache = ForecastCache(max_items=3)
    a, b = weekly_series(60, seed=1), weekly_series(60, seed=2)
    first = fit_many({"a": a}, 7, workers=1, cache=cache)
    again = fit_many({"renamed": a.copy()}, 7, workers=1, cache=cache)
    assert again["renamed"] is first["a"] and cache.hits == 1
    other = fit_many({"a": b}, 7, workers=1, cache=cache)
    assert other["a"] is not first["a"]
    longer = fit_many({"a": a}, 14, workers=1, cache=cache)
    assert len(longer["a"].forecast) == 14
    assert fit_key(a, horizon=7) != fit_key(a, horizon=7, options=ForecastOptions(interval_width=0.9))
    changed = a.copy()
    changed.loc[3, "y"] += 0.01
    assert fit_key(a, horizon=7) != fit_key(changed, horizon=7)
    fit_many({"x": weekly_series(60, seed=9)}, 7, workers=1, cache=cache)
    assert len(cache) == 3      # bounded


def test_top_skus_get_their_own_model_and_the_tail_a_category_share(ws: Workspace) -> None:
    build_sku_shop(ws)
    out = forecast_skus(ws, "net_sales", 14, top_n=3, workers=1)
    assert out.top == ("S1", "S2", "S3") and out.tail == ("S4", "S5", "S6")
    fc = out.forecasts
    assert set(fc.loc[fc["source"] == "own_model", "sku"]) == {"S1", "S2", "S3"}
    assert set(fc.loc[fc["source"] == "category_share", "sku"]) == {"S4", "S5", "S6"}
    assert (fc.groupby("sku").size() == 14).all()
    # S4 is Tea: its share of the Tea category's recent gross (prices 50, 30, 8 at equal units).
    assert out.shares["S4"] == pytest.approx(8 / 88, rel=0.05)
    assert out.shares["S6"] == 0.0 and "many.tail_inactive" in [n.key for n in out.notes]
    tea = out.results["category:Tea"].forecast["yhat"].to_numpy()
    s4 = fc[fc["sku"] == "S4"]["yhat"].to_numpy()
    np.testing.assert_allclose(s4, tea * out.shares["S4"])
    assert (fc[["yhat", "yhat_lower", "yhat_upper"]] >= 0).all().all()
