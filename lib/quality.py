"""The workspace's data-quality report: what the loaded data can and cannot answer.

Each import already reports its own rows read, loaded and rejected. This looks at everything
loaded together and measures the fields the chapters depend on, so a shop owner sees why a
figure is missing or thin before wondering whether it is wrong:

- orders with a customer (RFM, cohorts, repeat rate), with payment, shipment and delivery times
  (Operations stages), with product lines (products, margins), lines with a SKU;
- sold lines whose product has a unit cost (margins), stocked products with a lead time
  (reorder points), order days with traffic for their channel (conversion), ad spend (ROAS);
- whether the exports record refunds and cancellations at all: a shop with none in thousands
  of orders most likely exported a report without them (CDNOW; Amazon's All Orders report has
  no refunds), and its 0 % refund or cancellation rate then says nothing;
- order currencies without an exchange rate, the length of the history (forecasts), and the
  rows imports rejected.

Orders counted are sale orders that are neither cancelled nor tests, as in every KPI. The
coverage is a count (k of n), never a guess; `status` is ok (≥ 95 %), partial or missing.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pandas as pd

from lib.metrics.facts import CANCELLED, COUNTED, PLACED
from lib.workspace import Workspace

Status = Literal["ok", "partial", "missing"]
OK_SHARE = 0.95            # at or above: the analyses it feeds are complete enough
FORECAST_MIN_DAYS = 56     # below: the forecast holds its trend flat and cannot be backtested
YEARLY_MIN_DAYS = 731      # from: the forecast can learn yearly seasonality

# (check id, SQL giving (covered, total) over the whole workspace). Constant SQL, no values.
_ORDERS = f"FROM orders o WHERE {COUNTED}"
_LINES = (f"FROM order_lines l JOIN orders o ON o.source = l.source AND o.order_id = l.order_id "
          f"WHERE {COUNTED} AND l.line_type = 'product'")
_CHECKS: tuple[tuple[str, str], ...] = (
    ("customer", f"SELECT count(o.customer_id), count(*) {_ORDERS}"),
    ("paid_at", f"SELECT count(o.paid_at), count(*) {_ORDERS}"),
    ("fulfilled_at", f"SELECT count(o.fulfilled_at), count(*) {_ORDERS}"),
    ("delivered_at", f"SELECT count(o.delivered_at), count(*) {_ORDERS}"),
    ("lines", f"""SELECT count(*) FILTER (WHERE EXISTS (
                      SELECT 1 FROM order_lines l WHERE l.source = o.source
                      AND l.order_id = o.order_id AND l.line_type = 'product')), count(*) {_ORDERS}"""),
    ("sku", f"SELECT count(l.sku), count(*) {_LINES}"),
    ("cost", f"""SELECT count(*) FILTER (WHERE p.unit_cost IS NOT NULL), count(*)
                 FROM order_lines l JOIN orders o ON o.source = l.source AND o.order_id = l.order_id
                 LEFT JOIN products p ON p.sku = l.sku
                 WHERE {COUNTED} AND l.line_type = 'product'"""),
    ("lead_time", """SELECT count(*) FILTER (WHERE stock_on_hand IS NOT NULL AND lead_time_days IS NOT NULL),
                            count(*)
                     FROM products WHERE coalesce(status, 'active') <> 'archived'"""),
    ("traffic", f"""SELECT count(*) FILTER (WHERE EXISTS (
                        SELECT 1 FROM traffic t WHERE t."date" = d.order_date AND t.channel = d.channel)),
                        count(*)
                    FROM (SELECT DISTINCT o.order_date, o.channel {_ORDERS}) d"""),
)


@dataclass(frozen=True)
class Check:
    """One measured field: `covered` of `total` (orders, lines, products or order days)."""

    id: str
    covered: int
    total: int
    status: Status

    @property
    def share(self) -> float | None:
        return self.covered / self.total if self.total else None


@dataclass(frozen=True)
class QualityReport:
    checks: tuple[Check, ...]
    ad_spend_rows: int
    missing_rates: tuple[str, ...]      # order currencies (USD aside) with no rate, if several
    history_days: int                   # first to last order day, inclusive (0: no orders)
    rejected_rows: int                  # kept with their reasons, in loaded imports
    refunds: int = 0                    # counted orders with a refund + refund documents
    cancellations: int = 0              # cancelled sale orders (test orders aside)
    # whether the exports record them at all (`Workspace.recorded`): when not, the rates are blank
    not_recorded: tuple[str, ...] = ()  # "refunds", "cancellations"

    @property
    def orders(self) -> int:
        return next(c.total for c in self.checks if c.id == "customer")

    def check(self, check_id: str) -> Check:
        return next(c for c in self.checks if c.id == check_id)


def _status(covered: int, total: int) -> Status:
    if total and covered / total >= OK_SHARE:
        return "ok"
    return "partial" if covered else "missing"


def quality_report(ws: Workspace) -> QualityReport:
    """Every check over everything loaded in the workspace (a few scans; ~0.6 s at 1M lines)."""
    cur = ws.cursor()
    checks = []
    for check_id, sql in _CHECKS:
        row = cur.execute(sql).fetchone()
        covered, total = (int(row[0]), int(row[1])) if row else (0, 0)
        checks.append(Check(check_id, covered, total, _status(covered, total)))
    ads = cur.execute("SELECT count(*) FROM marketing WHERE spend > 0").fetchone()
    currencies = [r[0] for r in cur.execute(
        f"SELECT DISTINCT o.currency {_ORDERS} AND o.currency IS NOT NULL ORDER BY 1").fetchall()]
    rated = {r[0] for r in cur.execute("SELECT DISTINCT currency FROM fx_rates").fetchall()}
    # rates are US dollars per unit, USD itself 1 (lib/metrics/filters.py): with several order
    # currencies, every other one needs its rate before they can be added up
    missing = tuple(c for c in currencies if c not in rated and c != "USD") if len(currencies) > 1 else ()
    span = cur.execute(f"SELECT min(o.order_date), max(o.order_date) {_ORDERS}").fetchone()
    days = (span[1] - span[0]).days + 1 if span and span[0] is not None else 0
    rejected = cur.execute(
        "SELECT coalesce(sum(rows_rejected), 0) FROM imports WHERE status = 'loaded'").fetchone()
    recorded = cur.execute(
        f"SELECT count(*) FILTER (WHERE ({COUNTED}) AND o.refunded > 0 OR o.kind = 'refund'), "
        f"count(*) FILTER (WHERE {PLACED} AND {CANCELLED}) FROM orders o").fetchone()
    refunds, cancellations = (int(recorded[0]), int(recorded[1])) if recorded else (0, 0)
    not_recorded = tuple(k for k in ("refunds", "cancellations") if not ws.recorded(k))
    return QualityReport(tuple(checks), int(ads[0]) if ads else 0, missing, days,
                         int(rejected[0]) if rejected else 0, refunds, cancellations, not_recorded)


_UNITS = {"customer": "orders", "paid_at": "orders", "fulfilled_at": "orders", "delivered_at": "orders",
          "lines": "orders", "sku": "lines", "cost": "lines", "lead_time": "products", "traffic": "days"}


def quality_table(report: QualityReport, lang: str = "en") -> pd.DataFrame:
    """The report as the Data page shows it: check, coverage, status and what it feeds."""
    from lib.i18n import fmt_pct, join_names, t

    rows: list[tuple[str, str, Status]] = []
    for c in report.checks:
        coverage = t("quality.coverage", lang, covered=f"{c.covered:,}", total=f"{c.total:,}",
                     unit=t(f"quality.unit.{_UNITS[c.id]}", lang), share=fmt_pct(c.share, lang))
        rows.append((c.id, coverage, c.status))
    rows.append(("ads", t("quality.ads.rows", lang, n=f"{report.ad_spend_rows:,}") if report.ad_spend_rows
                 else t("quality.ads.none", lang), "ok" if report.ad_spend_rows else "missing"))
    for kind, n in (("refunds", report.refunds), ("cancellations", report.cancellations)):
        text = (t(f"quality.{kind}.not_recorded", lang) if kind in report.not_recorded
                else t(f"quality.{kind}.n", lang, n=f"{n:,}") if n else t(f"quality.{kind}.none", lang))
        rows.append((kind, text, "ok" if n else "missing"))
    if report.missing_rates:
        rows.append(("rates", t("quality.rates.missing", lang, currencies=join_names(report.missing_rates, lang)),
                     "partial"))
    rows.append(("history", t("quality.history.days", lang, days=f"{report.history_days:,}"),
                 "ok" if report.history_days >= YEARLY_MIN_DAYS
                 else "partial" if report.history_days >= FORECAST_MIN_DAYS else "missing"))
    rows.append(("rejected", t("quality.rejected.n", lang, n=f"{report.rejected_rows:,}"),
                 "ok" if report.rejected_rows == 0 else "partial"))
    out = pd.DataFrame([{"check": t(f"quality.check.{i}", lang), "coverage": cov,
                         "status": t(f"quality.status.{st}", lang),
                         "affects": t(f"quality.affects.{i}", lang)} for i, cov, st in rows])
    return out.rename(columns={c: t(f"quality.col.{c}", lang) for c in out.columns})
