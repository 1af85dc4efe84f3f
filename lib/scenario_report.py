"""The client-ready scenario report: saved scenarios on one forecast, what each adds, how far
the forecast can be trusted (its backtest against a simple baseline) and what it assumes.

A consultant hands this file to a client, so it carries its own evidence: the same chart and
table as the Scenarios page, the backtest verdict from the Forecast page, and the forecast's
notes (holidays, outliers, widened band...), in the reader's language (`lib/report.py` builds
the HTML).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from lib import charts_forecast as cf
from lib.forecast.backtest import BacktestResult
from lib.forecast.model import ForecastResult
from lib.forecast.series import Metric
from lib.i18n import country_name, t
from lib.report import Section, html_report
from lib.scenarios import LEVER_COLUMNS, OUTCOME_COLUMNS, Scenario, compare, display_table, paths


@dataclass(frozen=True)
class ReportContext:
    """What the forecast was fitted on, as the report states it."""

    metric: Metric
    currency: str | None
    horizon: int
    history_days: int
    country: str | None  # public holidays of (None: none used)


def scenario_report(result: ForecastResult, scenarios: Sequence[Scenario], ctx: ReportContext,
                    backtest: BacktestResult | None, made_on: date, lang: str = "en") -> str:
    """The report as one self-contained HTML document."""
    forecast = result.forecast
    value_title = t(f"forecast_page.metric.{ctx.metric}", lang)
    currency = ctx.currency or t("value.none", lang)
    base_total = float(forecast["yhat"].sum())
    subtitle = t("scenarios.report_subtitle", lang, metric=value_title, n=ctx.horizon,
                 start=forecast["ds"].min().date().isoformat(), currency=currency,
                 baseline=cf.fmt_amount(base_total, ctx.metric, ctx.currency, lang))
    comparison = compare(forecast, ctx.metric, scenarios)
    chart = cf.scenario_chart(paths(forecast, ctx.metric, scenarios, t("scenarios.baseline", lang)),
                              value_title, lang, band=forecast)
    sections = [
        Section(t("scenarios.chart_title", lang),
                (t("scenarios.report.band", lang, pct=round(result.interval_width * 100)),),
                chart=chart),
        # Two narrow tables and the assumptions as sentences: one table of all twelve
        # columns ran off a printed page and squeezed each note into a tall, thin column.
        Section(t("scenarios.report.table", lang),
                (t("scenarios.report.levers", lang),
                 *(t("scenarios.report.note", lang, name=s.name, note=s.note) for s in scenarios if s.note)),
                table=display_table(comparison, ctx.metric, ctx.currency, lang, LEVER_COLUMNS)),
        Section(t("scenarios.report.outcome", lang), (),
                table=display_table(comparison, ctx.metric, ctx.currency, lang, OUTCOME_COLUMNS)),
        _trust(backtest, ctx, lang),
        _assumptions(result, ctx, lang),
    ]
    return html_report(t("scenarios.report_title", lang), subtitle, sections,
                       t("scenarios.report_footer", lang, date=made_on.isoformat()), lang)


def _trust(bt: BacktestResult | None, ctx: ReportContext, lang: str) -> Section:
    """The backtest verdict and figures, or why there are none."""
    heading = t("forecast_page.backtest", lang)
    if bt is None:
        return Section(heading, (t("forecast_page.bt.none", lang),))
    paragraphs = [t("forecast_page.backtest_intro", lang, folds=len(bt.folds), horizon=ctx.horizon),
                  cf.backtest_verdict(bt, lang)[1]]
    paragraphs += [cf.note_text(n, lang) for n in bt.notes]
    table = cf.backtest_table(bt, ctx.metric, ctx.currency, lang) if bt.folds else None
    return Section(heading, tuple(paragraphs), table=table)


def _assumptions(result: ForecastResult, ctx: ReportContext, lang: str) -> Section:
    """Method, history, holidays, the demand model behind the levers, and the forecast's notes."""
    method = t("scenarios.report.method", lang,
               method=t(f"forecast_page.method.{result.method}", lang),
               days=f"{ctx.history_days:,}",
               holidays=country_name(ctx.country, lang))
    notes = tuple(cf.note_text(n, lang) for n in result.notes)
    return Section(t("scenarios.report.assumptions", lang),
                   (method, t("scenarios.report.demand_model", lang), *notes))
