"""Forecast benchmark: one 2-year daily series, and 200 SKU series on two processes.

`python -m bench.forecast [--series 200] [--workers 2] [--repeat 5]`

1. fit + predict of a 2-year daily series (730 days, weekly pattern, trend, noise, country
   holidays and the festival calendar), horizon 90, the default options (300 uncertainty
   samples): the first fit in the process (cold: cmdstan's model loads) and the median of
   `--repeat` warm fits. Target ≤ 1 s.
2. `fit_many` over `--series` synthetic SKU series (1–2 years, levels from 2 to 2,000 a day,
   a fifth scaled down twentyfold, so the smallest are sparse and fall back), horizon 28,
   in `--workers` processes, wall time including the pool's start-up. Target ≤ 60 s.
A benchmark, not a test: it prints what it measures and exits non-zero only if a step fails.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections import Counter

TARGET_SINGLE_S = 1.0
TARGET_MANY_S = 60.0


def two_year_series(seed: int = 1):  # type: ignore[no-untyped-def]
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    ds = pd.date_range("2023-01-02", periods=730, freq="D")
    week = np.array([0.8, 0.85, 0.9, 0.95, 1.1, 1.3, 1.1])[ds.day_of_week]
    y = (1000 + 0.5 * np.arange(730)) * week * (1 + rng.normal(0, 0.06, 730))
    return pd.DataFrame({"ds": ds, "y": y})


def sku_series(n: int, seed: int = 7):  # type: ignore[no-untyped-def]
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    out = {}
    for i in range(n):
        days = int(rng.integers(365, 731))
        ds = pd.date_range(end="2025-12-31", periods=days, freq="D")
        level = float(np.exp(rng.uniform(np.log(2), np.log(2000))))
        week = 1 + 0.2 * np.sin(2 * np.pi * (ds.day_of_week.to_numpy() + rng.uniform(0, 7)) / 7)
        lam = level * week * (1 + rng.uniform(-0.3, 0.6) * np.arange(days) / days)
        if i % 5 == 0:
            lam = lam * 0.05          # sparse: mostly zero days
        out[f"SKU-{i:03d}"] = pd.DataFrame({"ds": ds, "y": rng.poisson(lam).astype("float64")})
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.forecast", description=__doc__.split("\n")[0])
    ap.add_argument("--series", type=int, default=200)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    from lib.forecast.festivals import default_festivals
    from lib.forecast.many import fit_many
    from lib.forecast.model import fit_forecast
    import_s = time.perf_counter() - t0
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; "
          f"importing lib.forecast (Prophet, cmdstanpy): {import_s:.2f} s")

    series = two_year_series()
    fest = default_festivals(["US"])
    times = []
    for k in range(args.repeat + 1):
        t = time.perf_counter()
        res = fit_forecast(series, 90, country="US", festivals=fest)
        times.append(time.perf_counter() - t)
        if res.method != "prophet":
            print(f"unexpected method {res.method}: {[n.text for n in res.notes]}")
            return 1
    cold, warm = times[0], statistics.median(times[1:])
    print(f"1. fit + predict, 730 days, horizon 90, US holidays + festivals ({res.info['holidays']} "
          f"effects), 300 samples: cold {cold:.2f} s, warm median {warm:.2f} s over {args.repeat} "
          f"(min {min(times[1:]):.2f}, max {max(times[1:]):.2f}); target ≤ {TARGET_SINGLE_S:.0f} s: "
          f"{'met' if warm <= TARGET_SINGLE_S else 'MISSED'}")

    skus = sku_series(args.series)
    t = time.perf_counter()
    results = fit_many(skus, 28, workers=args.workers)
    many_s = time.perf_counter() - t
    methods = Counter(r.method for r in results.values())
    per = many_s / max(1, len(skus))
    print(f"2. {len(skus)} SKU series (365-730 days), horizon 28, {args.workers} worker processes: "
          f"{many_s:.1f} s wall incl. pool start-up ({per:.2f} s per series); methods "
          f"{dict(methods)}; target ≤ {TARGET_MANY_S:.0f} s: {'met' if many_s <= TARGET_MANY_S else 'MISSED'}")
    if len(results) != len(skus) or any(len(r.forecast) != 28 for r in results.values()):
        print("a series came back without a 28-day forecast")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
