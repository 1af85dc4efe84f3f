"""`python -m lib.cli forecast`: a forecast (and its backtest) of a workspace series.

    forecast --workspace PATH [--metric net_sales|orders|units] [--level total|channel|category|sku]
             [--key K] [--horizon 28] [--currency C] [--start D] [--end D] [--channel C ...]
             [--country CC | --no-holidays] [--festivals FILE | --no-festivals]
             [--backtest [--folds 4]] [--json]

Exit codes: 0 success; 2 invalid input or a workspace that cannot be used (a message on
stderr, never a traceback). Also runnable as `python -m lib.forecast.cli`.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from lib.cli_args import iso_date
from lib.errors import ShoplensError
from lib.forecast.festivals import default_festivals, load_windows, supported_country
from lib.forecast.notes import ForecastError
from lib.forecast.series import ALL_CURRENCIES, COUNT_METRICS, LEVELS, METRICS, series_context
from lib.metrics.core import Filters
from lib.workspace import open_workspace



def _horizon(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of days") from None
    if not 1 <= value <= 366:
        raise argparse.ArgumentTypeError("the horizon must be from 1 to 366 days")
    return value


def _folds(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 1 <= value <= 10:
        raise argparse.ArgumentTypeError("folds must be from 1 to 10")
    return value


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m lib.cli forecast",
                                description="Forecast a daily series of a workspace, with a backtest.")
    p.add_argument("--workspace", required=True, help="the workspace file (.duckdb)")
    p.add_argument("--metric", choices=METRICS, default="net_sales")
    p.add_argument("--level", choices=LEVELS, default="total")
    p.add_argument("--key", help="the channel, category or SKU (needed unless --level total)")
    p.add_argument("--horizon", type=_horizon, default=28, help="days to forecast (1-366, default 28)")
    p.add_argument("--currency", help="the currency to forecast when the workspace has several; "
                                      "'all' (orders and units only, their default): every currency")
    p.add_argument("--start", type=iso_date, help="use history from this day")
    p.add_argument("--end", type=iso_date, help="use history up to this day")
    p.add_argument("--channel", action="append", help="only these channels (repeatable)")
    hol = p.add_mutually_exclusive_group()
    hol.add_argument("--country", help="public holidays of this country (ISO code, e.g. GB, US, CN, "
                                       "GB-SCT); default: the shop's main market")
    hol.add_argument("--no-holidays", action="store_true", help="no public holidays")
    fest = p.add_mutually_exclusive_group()
    fest.add_argument("--festivals", help="your own festival table (YAML like lib/festivals.yaml, or a "
                                          "CSV with holiday, ds, lower_window, upper_window)")
    fest.add_argument("--no-festivals", action="store_true", help="no shopping festivals")
    p.add_argument("--backtest", action="store_true", help="also run a rolling-origin backtest")
    p.add_argument("--folds", type=_folds, default=4, help="backtest windows (default 4)")
    p.add_argument("--json", action="store_true", help="print JSON")
    return p


def run(args: argparse.Namespace) -> dict[str, object]:
    """The forecast (and backtest) as the JSON document the CLI prints."""
    # Heavy imports only once the arguments are known to be valid.
    from lib.forecast.backtest import backtest
    from lib.forecast.model import fit_forecast

    if args.level != "total" and not args.key:
        raise ForecastError(f"--key is needed with --level {args.level} (which {args.level} to forecast).",
                            key="forecast.key_required", level=args.level)
    path = Path(args.workspace)
    if path.suffix != ".duckdb":
        path = path.with_suffix(".duckdb")
    if not path.is_file():
        raise ForecastError(f"No workspace at {args.workspace}.", key="error.no_workspace")
    every = (args.currency or ("all" if args.metric in COUNT_METRICS else "")).lower() == "all"
    if every and args.metric not in COUNT_METRICS:
        raise ForecastError("--currency all counts orders or units; net sales need one currency.",
                            key="forecast.all_currencies_money")
    filters = Filters(start=args.start, end=args.end, channels=tuple(args.channel or ()),
                      currency=None if every else args.currency)
    ws = open_workspace(path, create=False)
    try:
        context = series_context(ws, args.level, args.key, filters,
                                 ALL_CURRENCIES if every else args.currency)
    finally:
        ws.close()
    frame, currency, markets, calendar = (context.frame, context.currency, context.markets,
                                          context.calendar)
    if frame.empty:
        raise ForecastError("There are no orders to forecast for this choice (metric, level, key and "
                            "filters).", key="forecast.no_orders")
    country = None if args.no_holidays else (args.country or (markets[0] if markets else None))
    if country and not supported_country(country):
        raise ForecastError(f"No public-holiday calendar for {country!r}: use an ISO code like GB, US or CN, "
                            "or --no-holidays.", key="forecast.bad_country", country=country)
    if args.no_festivals:
        festivals = None
    elif args.festivals:
        festivals = load_windows(args.festivals, markets or None)
    else:
        festivals = default_festivals(markets)
    series, promotions = context.series(args.metric), context.promotions()
    result = fit_forecast(series, args.horizon, country=country, festivals=festivals,
                          promotions=promotions, future_promotions=calendar)
    out: dict[str, object] = {
        "metric": args.metric, "level": args.level, "key": args.key, "currency": currency,
        "country": country, "markets": list(markets),
        "history": {"start": series["ds"].min().date().isoformat(), "end": series["ds"].max().date().isoformat(),
                    "days": int(len(series))},
        "model": result.method,
        **result.to_json(),
    }
    if args.backtest:
        bt = backtest(series, args.horizon, folds=args.folds, country=country, festivals=festivals,
                      promotions=promotions, future_promotions=calendar)
        out["backtest"] = bt.to_json()
    return out


def _print_text(doc: dict[str, object]) -> None:
    print(f"{doc['metric']} ({doc['level']}{' ' + str(doc['key']) if doc['key'] else ''}, "
          f"{doc['currency'] or 'no currency'}): {doc['model']}, {doc['horizon']} days")
    for n in doc["notes"]:  # type: ignore[union-attr]
        print(f"  note: {n['text']}")  # type: ignore[index]
    print(f"{'day':>12} {'forecast':>14} {'low':>14} {'high':>14}")
    for r in doc["forecast"]:  # type: ignore[union-attr]
        print(f"{r['ds']:>12} {r['yhat']:>14,.2f} "  # type: ignore[index]
              f"{r['yhat_lower']:>14,.2f} {r['yhat_upper']:>14,.2f}")  # type: ignore[index]
    bt = doc.get("backtest")
    if isinstance(bt, dict):
        def f(v: object) -> str:
            return "—" if v is None else f"{v:,.3f}" if isinstance(v, float) else str(v)
        print(f"backtest ({bt['folds']} windows of {bt['horizon']} days): MAE {f(bt['mae'])}, "
              f"MASE {f(bt['mase'])}, baseline MAE {f(bt['baseline_mae'])}, coverage {f(bt['coverage'])}, "
              f"MAPE {f(bt['mape'])}")
        for n in bt["notes"]:
            print(f"  note: {n['text']}")


def forecast_cli(argv: list[str] | None = None) -> int:
    """Entry point for `python -m lib.cli forecast ...` (argv without the word 'forecast')."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:   # argparse printed the usage and the reason
        return int(exc.code) if isinstance(exc.code, int) else 2
    try:
        doc = run(args)
    except ShoplensError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(doc, ensure_ascii=False, indent=1, default=str))
    else:
        _print_text(doc)
    return 0


if __name__ == "__main__":
    sys.exit(forecast_cli(sys.argv[1:]))
