"""Forecasting: daily series from the workspace, Prophet with festivals and promotions,
fallbacks for series it cannot handle, backtests against a seasonal-naive baseline,
promotion lift, anomalies and many-series fits.

Modules (import what you need; this package imports nothing heavy on its own; only
`model` and what uses it import Prophet):
- `notes`      plain-language notes with stable keys, and ForecastError
- `series`     daily [ds, y] series and promotion depth from the canonical tables (SQL)
- `festivals`  shopping-festival calendar + country public holidays as holiday windows
- `model`      `fit_forecast` → `ForecastResult` (never raises for a bad series)
- `backtest`   rolling-origin cross-validation → `BacktestResult`
- `lift`       promotion lift against a counterfactual forecast → `LiftResult`
- `anomalies`  history days outside the in-sample interval → `AnomalyReport`
- `many`       top SKUs with their own model, the long tail by category share, 2 processes
- `cache`      a small in-memory cache keyed by (data hash, parameters)
- `cli`        `forecast_cli(argv)` for `python -m lib.cli forecast`
"""
