"""Risk (guide ch. 5): the register, the 5×5 matrix, risks the data raises, and a stress test.

Risks the data raises are proposals with evidence and a suggested score; only the user puts
them into the register (`accept_proposal`). Rules and thresholds:

- stock-out: stock on hand below lead-time demand, demand = the SKU's average daily units over
  the last `RECENT_DAYS` days of data. Where lib.forecast is installed, the probability of
  running out within the lead time comes from the forecast's sample paths of daily units;
  otherwise it is not given and the evidence says the estimate is from recent average demand.
- concentration: revenue share (gross sales of counted orders) of the top 1 / top 5 SKUs,
  customers and channels, the Herfindahl index over SKUs, and the top supplier's share.
- refund and cancellation spikes: weekly rates against the same SKU's (or the shop's) own
  history; a week is unusual at z ≥ 4 with at least 20 orders, 5 events and twice the usual
  rate; consecutive unusual weeks form one window.
- demand anomalies: days outside the forecast's 95 % interval (lib.forecast.anomalies), last
  28 days. SLA breaches: the last 4 weeks' breach rate against the 12 weeks before.
- data: rows rejected or files refused in the latest imports.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Literal, get_args

import numpy as np
import pandas as pd

from lib.errors import ShoplensError
from lib.ingest.formats.shoplens_risks import CATEGORIES, RESPONSES
from lib.metrics.core import COUNTED, Filters
from lib.metrics.filters import gross_rows
from lib.team import frame, money_sql
from lib.workspace import Workspace, known_sql, recorded_sql

RiskStatus = Literal["open", "monitoring", "closed"]
STATUSES: tuple[str, ...] = get_args(RiskStatus)
RISK_COLUMNS = ("risk_id", "title", "category", "likelihood", "impact", "score", "owner",
                "response", "mitigation", "status", "review_on")
RECENT_DAYS = 28


class RiskError(ShoplensError):
    """A risk that cannot be saved as entered."""


# -- the register -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Risk:
    title: str
    category: str
    likelihood: int
    impact: int
    owner: str = ""
    response: str = "mitigate"
    mitigation: str = ""
    status: str = "open"
    review_on: date | None = None
    risk_id: str | None = None

    @property
    def score(self) -> int:
        return self.likelihood * self.impact


def _scale(value: object, what: str) -> int:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        number = float("nan")
    if not (number == number and number.is_integer() and 1 <= number <= 5):
        key = "risk.bad_likelihood" if what == "likelihood" else "risk.bad_impact"
        raise RiskError(f"{what.capitalize()} must be a whole number from 1 to 5 (got {value}).",
                        key=key, value=str(value))
    return int(number)


def validate(risk: Risk) -> Risk:
    """The risk with its fields checked and normalised, or a RiskError saying what is wrong."""
    title = (risk.title or "").strip()
    if not title:
        raise RiskError("Give the risk a title.", key="risk.title_required")
    category = (risk.category or "").strip().lower().replace(" ", "_").replace("&", "")
    category = category.replace("__", "_")
    if category not in CATEGORIES:
        raise RiskError(f"“{risk.category}” is not a risk category: use one of "
                        f"{', '.join(CATEGORIES)}.", key="risk.bad_category", category=risk.category)
    response = (risk.response or "").strip().lower()
    if response not in RESPONSES:
        raise RiskError(f"“{risk.response}” is not a response: use one of {', '.join(RESPONSES)}.",
                        key="risk.bad_response", response=risk.response)
    if risk.status not in STATUSES:
        raise RiskError(f"“{risk.status}” is not a status.", key="risk.bad_status", status=risk.status)
    return Risk(title, category, _scale(risk.likelihood, "likelihood"), _scale(risk.impact, "impact"),
                (risk.owner or "").strip(), response, (risk.mitigation or "").strip(), risk.status,
                risk.review_on, risk.risk_id)


def _next_id(ws: Workspace) -> str:
    rows = ws.cursor().execute("SELECT risk_id FROM risks").fetchall()
    numbers = [int(r[0][1:]) for r in rows if r[0] and r[0][:1] == "R" and r[0][1:].isdigit()]
    return f"R{max(numbers, default=0) + 1:02d}"


def save_risk(ws: Workspace, risk: Risk) -> str:
    """Add a risk (no id) or replace the one with its id; returns the id. A risk edited here
    belongs to the user (batch_id NULL): undoing the import it came from leaves it alone."""
    r = validate(risk)
    risk_id = r.risk_id or _next_id(ws)
    with ws.transaction() as cur:
        cur.execute("DELETE FROM risks WHERE risk_id = ?", [risk_id])
        cur.execute("INSERT INTO risks VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)",
                    [risk_id, r.title, r.category, r.likelihood, r.impact, r.owner or None,
                     r.response, r.mitigation or None, r.status, r.review_on])
    return risk_id


def close_risk(ws: Workspace, risk_id: str) -> None:
    n = ws.cursor().execute("UPDATE risks SET status = 'closed', batch_id = NULL WHERE risk_id = ? "
                            "RETURNING risk_id", [risk_id]).fetchall()
    if not n:
        raise RiskError(f"There is no risk {risk_id}.", key="risk.not_found", risk_id=risk_id)


def get_risk(ws: Workspace, risk_id: str) -> Risk:
    row = ws.cursor().execute("SELECT title, category, likelihood, impact, owner, response, "
                              "mitigation, status, review_on, risk_id FROM risks WHERE risk_id = ?",
                              [risk_id]).fetchone()
    if row is None:
        raise RiskError(f"There is no risk {risk_id}.", key="risk.not_found", risk_id=risk_id)
    t, c, li, im, o, resp, m, s, rv, rid = row
    return Risk(t, c, li, im, o or "", resp or "mitigate", m or "", s or "open", rv, rid)


def list_risks(ws: Workspace, include_closed: bool = True) -> pd.DataFrame:
    """The register, highest score first, with the columns in RISK_COLUMNS."""
    where = "" if include_closed else "WHERE coalesce(status, 'open') <> 'closed'"
    return frame(ws, f"""SELECT risk_id, title, category, likelihood, impact,
        likelihood * impact AS score, owner, response, mitigation, coalesce(status, 'open') AS status,
        review_on FROM risks {where} ORDER BY score DESC, risk_id""")


def register_frame(risks: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The register as shown: category, response and status in the user's language."""
    from lib.i18n import t

    return risks.assign(category=[t(f"category.{c}", lang) for c in risks["category"]],
                        response=[t(f"response.{r}", lang) if r else "" for r in risks["response"]],
                        status=[t(f"riskstatus.{s}", lang) for s in risks["status"]])


def risk_matrix(risks: pd.DataFrame) -> pd.DataFrame:
    """All 25 cells [likelihood, impact, score, count, risk_ids] of the 5×5 matrix."""
    cells = []
    for li in range(1, 6):
        for im in range(1, 6):
            here = risks[(risks["likelihood"] == li) & (risks["impact"] == im)] if len(risks) else risks
            cells.append({"likelihood": li, "impact": im, "score": li * im, "count": len(here),
                          "risk_ids": ", ".join(here["risk_id"]) if len(here) else ""})
    return pd.DataFrame(cells)


def level(score: int) -> str:
    """low (1–4), medium (5–9), high (10–16), critical (20–25)."""
    return "critical" if score >= 20 else "high" if score >= 10 else "medium" if score >= 5 else "low"


# -- risks the data raises ----------------------------------------------------------------------
@dataclass(frozen=True)
class Proposal:
    """A risk the data suggests: rule and subject identify it; `title_key`/`evidence_key` with
    `params` are translated by the UI (lib.strings.risk)."""

    rule: str
    subject: str
    category: str
    likelihood: int
    impact: int
    title_key: str
    evidence_key: str
    params: dict[str, object] = field(default_factory=dict)

    @property
    def score(self) -> int:
        return self.likelihood * self.impact


@dataclass(frozen=True)
class StockRow:
    sku: str
    name: str
    stock: float
    lead_time_days: int
    daily_units: float
    days_of_cover: float | None
    lead_time_demand: float
    probability: float | None  # of running out within the lead time (forecast), else None


def _last_day(ws: Workspace, filters: Filters) -> date | None:
    where, params = filters.where()
    row = ws.cursor().execute(f"SELECT max(o.order_date) FROM orders o WHERE {where}", params).fetchone()
    return row[0] if row else None


def stock_cover(ws: Workspace, filters: Filters | None = None, window: int = RECENT_DAYS,
                extra_demand: float = 0.0, extra_lead_days: int = 0) -> pd.DataFrame:
    """Every SKU with stock and lead time: [sku, name, category, supplier, unit_cost,
    cost_currency, stock, lead_time_days, safety_stock (as the file gives it), daily_units,
    sd_daily_units, days_of_cover, lead_time_demand, at_risk]. Demand: average daily units over
    the last `window` days of data (× (1 + extra_demand)), its standard deviation counting days
    without a sale as 0; lead time + extra_lead_days."""
    filters = filters or Filters()
    last = _last_day(ws, filters)
    where, params = filters.where()
    df = frame(ws, f"""
        WITH per_day AS (
            SELECT l.sku, o.order_date, sum(l.quantity)::DOUBLE AS units
            FROM orders o JOIN order_lines l ON l.source = o.source AND l.order_id = o.order_id
            WHERE {where} AND {COUNTED} AND l.line_type = 'product'
              AND o.order_date > CAST(? AS DATE) - CAST(? AS INTEGER)
            GROUP BY 1, 2),
        recent AS (SELECT sku, sum(units) AS units, sum(units * units) AS squares
                   FROM per_day GROUP BY 1)
        SELECT p.sku, coalesce(p.name, p.sku) AS name, p.category, p.supplier,
               p.unit_cost::DOUBLE AS unit_cost, p.currency AS cost_currency,
               p.stock_on_hand::DOUBLE AS stock, p.lead_time_days,
               p.safety_stock::DOUBLE AS safety_stock,
               coalesce(r.units, 0) / ? AS daily_units,
               coalesce(r.squares, 0) AS _squares
        FROM products p LEFT JOIN recent r USING (sku)
        WHERE p.stock_on_hand IS NOT NULL AND p.lead_time_days IS NOT NULL
        ORDER BY p.sku""", [*params, last or date.today(), window, float(window)])
    mean = df["daily_units"]
    variance = (df.pop("_squares") - window * mean * mean) / max(1, window - 1)
    scale = 1 + extra_demand
    daily = mean * scale
    lead = df["lead_time_days"] + extra_lead_days
    df["daily_units"] = daily
    df["sd_daily_units"] = np.sqrt(variance.clip(lower=0)) * scale
    df["lead_time_days"] = lead
    df["days_of_cover"] = (df["stock"] / daily.where(daily > 0)).astype("float64")
    df["lead_time_demand"] = daily * lead
    df["at_risk"] = df["stock"] < df["lead_time_demand"]
    return df


def _daily_units(ws: Workspace, sku: str) -> pd.DataFrame:
    df = frame(ws, f"""
        SELECT o.order_date AS ds, sum(l.quantity)::DOUBLE AS y
        FROM orders o JOIN order_lines l ON l.source = o.source AND l.order_id = o.order_id
        WHERE {COUNTED} AND l.line_type = 'product' AND l.sku = ? GROUP BY 1 ORDER BY 1""", [sku])
    if df.empty:
        return df
    df["ds"] = pd.to_datetime(df["ds"])
    last = ws.cursor().execute("SELECT max(order_date) FROM orders").fetchone()
    days = pd.date_range(df["ds"].min(), pd.Timestamp(last[0]) if last else df["ds"].max(), freq="D")
    return df.set_index("ds").reindex(days, fill_value=0.0).rename_axis("ds").reset_index()


def stockout_probability(ws: Workspace, sku: str, stock: float, lead_time_days: int) -> float | None:
    """P(demand over the lead time > stock) from the forecast's sample paths; None when
    lib.forecast is not available or gives no samples."""
    try:
        from lib.forecast.model import ForecastOptions, fit_forecast
    except ImportError:
        return None
    series = _daily_units(ws, sku)
    if series.empty or lead_time_days < 1:
        return None
    res = fit_forecast(series, int(min(lead_time_days, 366)),
                       options=ForecastOptions(uncertainty_samples=500))
    if res.samples is None or not np.size(res.samples):
        return None
    totals = np.asarray(res.samples, dtype="float64").sum(axis=0)
    return float((totals > stock).mean())


def stockout_rows(ws: Workspace, filters: Filters | None = None, use_forecast: bool = True,
                  limit: int = 10) -> list[StockRow]:
    cover = stock_cover(ws, filters)
    rows = []
    for r in cover[cover["at_risk"]].sort_values("days_of_cover").head(limit).itertuples(index=False):
        prob = stockout_probability(ws, r.sku, r.stock, int(r.lead_time_days)) if use_forecast else None
        cover_days = None if pd.isna(r.days_of_cover) else float(r.days_of_cover)
        rows.append(StockRow(r.sku, r.name, float(r.stock), int(r.lead_time_days), float(r.daily_units),
                             cover_days, float(r.lead_time_demand), prob))
    return rows


@dataclass(frozen=True)
class Concentration:
    """Revenue shares (0–1). sku/customer/channel: [key, revenue, share] largest first;
    supplier: [supplier, skus, revenue, share]."""

    sku: pd.DataFrame
    customer: pd.DataFrame
    channel: pd.DataFrame
    supplier: pd.DataFrame
    hhi_sku: float

    def top(self, what: str, n: int = 1) -> float:
        df = getattr(self, what)
        return float(df["share"].head(n).sum()) if len(df) else 0.0


def concentration(ws: Workspace, filters: Filters | None = None) -> Concentration:
    filters = filters or Filters()
    where, params = filters.where()
    fx, _, fx_params, _ = money_sql(ws, filters)
    base = f"""WITH c AS (SELECT * FROM (SELECT o.*, {fx} AS fx FROM orders o WHERE {where}) o
                          WHERE fx IS NOT NULL AND {COUNTED}),
        lines AS (SELECT c.customer_id, c.channel, l.sku, l.unit_price * l.quantity * c.fx AS rev
                  FROM c JOIN order_lines l ON l.source = c.source AND l.order_id = c.order_id
                  WHERE l.line_type = 'product'),
        sales AS (SELECT customer_id, channel, gross * fx AS rev FROM {gross_rows("c")} g)"""
    bound = fx_params + params

    def shares(key: str) -> pd.DataFrame:
        # SKUs share the product lines; customers and channels whole orders (an order exported
        # without lines counts its item total, as the KPIs do)
        source = "lines" if key == "sku" else "sales"
        df = frame(ws, f"{base} SELECT {key} AS key, sum(rev)::DOUBLE AS revenue FROM {source} "
                       f"WHERE {key} IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1", bound)
        total = df["revenue"].sum()
        return df.assign(share=df["revenue"] / total if total else 0.0)

    sku = shares("sku")
    supplier = frame(ws, f"""{base} SELECT p.supplier AS key, count(DISTINCT p.sku) AS skus,
        coalesce(sum(rev), 0)::DOUBLE AS revenue
        FROM products p LEFT JOIN lines ON lines.sku = p.sku WHERE p.supplier IS NOT NULL
        GROUP BY 1 ORDER BY 3 DESC, 1""", bound)
    total = supplier["revenue"].sum()
    supplier = supplier.assign(share=supplier["revenue"] / total if total else 0.0,
                               sku_share=supplier["skus"] / supplier["skus"].sum()
                               if len(supplier) else 0.0)
    hhi = float((sku["share"] ** 2).sum()) if len(sku) else 0.0
    return Concentration(sku, shares("customer_id"), shares("channel"), supplier, hhi)


def concentration_table(conc: Concentration) -> pd.DataFrame:
    """[dimension, top1, top5, hhi] for SKUs, customers, channels and suppliers (shares 0–1)."""
    rows = []
    for dim in ("sku", "customer", "channel", "supplier"):
        df = getattr(conc, dim)
        hhi = float((df["share"] ** 2).sum()) if len(df) else None
        rows.append({"dimension": dim, "top1": conc.top(dim) if len(df) else None,
                     "top5": conc.top(dim, 5) if len(df) else None, "hhi": hhi})
    return pd.DataFrame(rows, columns=["dimension", "top1", "top5", "hhi"])


def rate_spikes(weekly: pd.DataFrame, z_min: float = 4.0, n_min: int = 20, events_min: int = 5) -> pd.DataFrame:
    """Windows of unusual weeks. `weekly`: [key, week, n, events]. Returns [key, start, end,
    n, events, rate, base_rate, z] per window of consecutive unusual weeks, largest z first."""
    cols = ["key", "start", "end", "n", "events", "rate", "base_rate", "z"]
    if weekly.empty:
        return pd.DataFrame(columns=cols)
    tot = weekly.groupby("key")[["n", "events"]].sum()
    w = weekly.merge(tot, left_on="key", right_index=True, suffixes=("", "_all"))
    base = (w["events_all"] - w["events"]) / (w["n_all"] - w["n"]).where(lambda s: s > 0)
    rate = w["events"] / w["n"]
    z = (rate - base) / np.sqrt((base * (1 - base)).clip(lower=1e-6) / w["n"])
    flagged = w[(z >= z_min) & (w["n"] >= n_min) & (w["events"] >= events_min) & (rate >= 2 * base)]
    out = []
    for key, g in flagged.sort_values("week").groupby("key"):
        weeks = list(g["week"])
        groups: list[list[date]] = [[weeks[0]]]
        for wk in weeks[1:]:
            if (wk - groups[-1][-1]).days == 7:
                groups[-1].append(wk)
            else:
                groups.append([wk])
        allk = weekly[weekly["key"] == key]
        for grp in groups:
            inside = allk["week"].isin(grp)
            n_in, e_in = int(allk.loc[inside, "n"].sum()), int(allk.loc[inside, "events"].sum())
            n_out, e_out = int(allk.loc[~inside, "n"].sum()), int(allk.loc[~inside, "events"].sum())
            b = e_out / n_out if n_out else 0.0
            r = e_in / n_in
            zz = (r - b) / math.sqrt(max(b * (1 - b), 1e-6) / n_in)
            out.append({"key": key, "start": grp[0], "end": grp[-1] + timedelta(days=6), "n": n_in,
                        "events": e_in, "rate": r, "base_rate": b, "z": zz})
    return pd.DataFrame(out, columns=cols).sort_values("z", ascending=False).reset_index(drop=True)


def refund_spikes(ws: Workspace, filters: Filters | None = None) -> pd.DataFrame:
    """Refund-rate windows per SKU (key = SKU) and for the whole shop (key = '*'): the share of
    counted orders (holding the SKU) that received any refund, by week of order date; orders
    from an export that records no refunds (Amazon's) are not in the count."""
    filters = filters or Filters()
    where, params = filters.where()
    weekly = frame(ws, f"""
        WITH c AS (SELECT * FROM orders o WHERE {where} AND {COUNTED}
                   AND {known_sql('o', 'refunds')}),
        so AS (SELECT DISTINCT l.sku, c.source, c.order_id,
                      date_trunc('week', c.order_date)::DATE AS week, c.refunded > 0 AS ref
               FROM c JOIN order_lines l ON l.source = c.source AND l.order_id = c.order_id
               WHERE l.line_type = 'product' AND l.sku IS NOT NULL)
        SELECT sku AS key, week, count(*) AS n, count(*) FILTER (WHERE ref) AS events
        FROM so GROUP BY ALL
        UNION ALL
        SELECT '*', date_trunc('week', order_date)::DATE, count(*),
               count(*) FILTER (WHERE refunded > 0) FROM c GROUP BY ALL""", params)
    weekly["week"] = pd.to_datetime(weekly["week"]).dt.date
    return rate_spikes(weekly)


def cancel_spikes(ws: Workspace, filters: Filters | None = None) -> pd.DataFrame:
    """Cancellation-rate windows for the shop (key = '*') by week of order date (orders from an
    export that records no cancellations left out)."""
    filters = filters or Filters()
    where, params = filters.where()
    weekly = frame(ws, f"""
        SELECT '*' AS key, date_trunc('week', o.order_date)::DATE AS week, count(*) AS n,
               count(*) FILTER (WHERE o.cancelled_at IS NOT NULL OR o.status = 'cancelled') AS events
        FROM orders o WHERE {where} AND o.kind = 'sale' AND NOT coalesce(o.is_test, false)
          AND {known_sql('o', 'cancellations')}
        GROUP BY ALL""", params)
    weekly["week"] = pd.to_datetime(weekly["week"]).dt.date
    return rate_spikes(weekly)


def _score_share(share: float) -> int:
    return 4 if share >= 0.5 else 3 if share >= 0.25 else 2


def accepted(ws: Workspace) -> set[tuple[str, str]]:
    """(rule, subject) of proposals already put into the register."""
    return {(str(r), str(s)) for r, s in
            ws.cursor().execute("SELECT rule, subject FROM risk_sources").fetchall()}


def propose(ws: Workspace, filters: Filters | None = None, *, use_forecast: bool = True,
            anomalies: bool = True, exclude_accepted: bool = True) -> list[Proposal]:
    """Risks the data raises, highest score first (minus those already accepted)."""
    from lib.operations import sla_trend  # operations imports team, not risk: no cycle

    filters = filters or Filters()
    out: list[Proposal] = []
    for r in stockout_rows(ws, filters, use_forecast):
        likelihood = 5 if (r.probability or 0) >= 0.9 or (r.days_of_cover or 0) < r.lead_time_days / 2 else 4
        out.append(Proposal(
            "stockout", r.sku, "supply_chain", likelihood, 4, "proposal.stockout.title",
            "proposal.stockout.evidence" if r.probability is not None else "proposal.stockout.evidence_avg",
            {"sku": r.sku, "name": r.name, "stock": f"{r.stock:,.0f}", "daily": f"{r.daily_units:.1f}",
             "days": RECENT_DAYS, "cover": "—" if r.days_of_cover is None else f"{r.days_of_cover:.1f}",
             "lead": r.lead_time_days, "demand": f"{r.lead_time_demand:,.0f}",
             "probability": "" if r.probability is None else f"{r.probability:.0%}"}))
    conc = concentration(ws, filters)
    if len(conc.sku) and conc.top("sku") >= 0.2:
        top = conc.sku.iloc[0]
        out.append(Proposal("concentration_sku", str(top["key"]), "market", _score_share(conc.top("sku")), 4,
                            "proposal.sku.title", "proposal.sku.evidence",
                            {"sku": top["key"], "share": f"{top['share']:.1%}",
                             "top5": f"{conc.top('sku', 5):.1%}", "hhi": f"{conc.hhi_sku:.3f}"}))
    if len(conc.supplier) and float(conc.supplier["sku_share"].iloc[0]) >= 0.4 or (
            len(conc.supplier) and conc.top("supplier") >= 0.5):
        s = conc.supplier.iloc[0]
        out.append(Proposal("concentration_supplier", str(s["key"]), "supply_chain", 3, 4,
                            "proposal.supplier.title", "proposal.supplier.evidence",
                            {"supplier": s["key"], "skus": int(s["skus"]),
                             "sku_share": f"{s['sku_share']:.0%}", "share": f"{s['share']:.1%}"}))
    if len(conc.channel) > 0 and conc.top("channel") >= 0.8:
        c = conc.channel.iloc[0]
        out.append(Proposal("concentration_channel", str(c["key"]), "market", _score_share(c["share"]), 4,
                            "proposal.channel.title", "proposal.channel.evidence",
                            {"channel": c["key"], "share": f"{c['share']:.1%}"}))
    if len(conc.customer) and conc.top("customer") >= 0.1:
        out.append(Proposal("concentration_customer", "top", "finance", 3, 3, "proposal.customer.title",
                            "proposal.customer.evidence",
                            {"share": f"{conc.top('customer'):.1%}", "top5": f"{conc.top('customer', 5):.1%}"}))
    for spikes, kind in ((refund_spikes(ws, filters), "refund"), (cancel_spikes(ws, filters), "cancel")):
        for s in spikes.head(3).itertuples(index=False):
            subject = f"{s.key}|{s.start}"
            out.append(Proposal(f"{kind}_spike", subject, "supply_chain" if kind == "refund" else "management",
                                4 if s.z >= 8 else 3, 3, f"proposal.{kind}.title", f"proposal.{kind}.evidence",
                                {"item": s.key if s.key != "*" else "—", "start": s.start.isoformat(),
                                 "end": s.end.isoformat(), "rate": f"{s.rate:.1%}",
                                 "base": f"{s.base_rate:.1%}", "orders": int(s.n), "z": f"{s.z:.1f}"}))
    trend = sla_trend(ws, filters, "paid_to_fulfilled", grain="week")
    if len(trend) >= 16:
        last4, prev = trend.tail(4), trend.iloc[-16:-4]
        r1 = last4["breaches"].sum() / last4["orders"].sum()
        r0 = prev["breaches"].sum() / prev["orders"].sum()
        se = math.sqrt(max(r0 * (1 - r0), 1e-6) / last4["orders"].sum())
        if r1 > r0 and (r1 - r0) / se >= 3:
            out.append(Proposal("sla_trend", str(last4["period"].iloc[-1]), "management", 4, 3,
                                "proposal.sla.title", "proposal.sla.evidence",
                                {"recent": f"{r1:.1%}", "before": f"{r0:.1%}"}))
    if anomalies:
        out += _anomaly_proposals(ws, filters)
    out += _data_proposals(ws)
    if exclude_accepted:
        taken = accepted(ws)
        out = [p for p in out if (p.rule, p.subject) not in taken]
    return sorted(out, key=lambda p: -p.score)


def _anomaly_proposals(ws: Workspace, filters: Filters) -> list[Proposal]:
    try:
        from lib.forecast.anomalies import find_anomalies
    except ImportError:
        return []
    where, params = filters.where()
    series = frame(ws, f"SELECT o.order_date AS ds, count(*)::DOUBLE AS y FROM orders o "
                       f"WHERE {where} AND {COUNTED} GROUP BY 1 ORDER BY 1", params)
    if len(series) < 60:
        return []
    series["ds"] = pd.to_datetime(series["ds"])
    since = series["ds"].max() - pd.Timedelta(days=RECENT_DAYS - 1)
    report = find_anomalies(series, since=since.date())
    below = [a for a in report.anomalies if a.direction == "below"]
    if not below:
        return []
    worst = below[0]
    return [Proposal("demand_anomaly", worst.ds.isoformat(), "market", 3, 3, "proposal.anomaly.title",
                     "proposal.anomaly.evidence",
                     {"count": len(below), "day": worst.ds.isoformat(), "actual": f"{worst.actual:,.0f}",
                      "expected": f"{worst.expected:,.0f}"})]


# The data checks of `propose` and what each needs: without it a check finds nothing, and
# "the data raises no new risks" must not speak for it (CDNOW: purchases only).
_CHECK_NEEDS: tuple[tuple[str, str], ...] = (
    ("stockout", "EXISTS (SELECT 1 FROM products WHERE stock_on_hand IS NOT NULL "
                 "AND lead_time_days IS NOT NULL)"),
    ("concentration_sku", "EXISTS (SELECT 1 FROM order_lines WHERE sku IS NOT NULL "
                          "AND line_type = 'product')"),
    ("concentration_supplier", "EXISTS (SELECT 1 FROM products WHERE supplier IS NOT NULL)"),
    ("refund_spike", recorded_sql("refunds")),
    ("cancel_spike", recorded_sql("cancellations")),
    ("sla_trend", "EXISTS (SELECT 1 FROM orders WHERE paid_at IS NOT NULL "
                  "AND fulfilled_at IS NOT NULL)"),
)


def unchecked(ws: Workspace) -> list[str]:
    """The data checks `propose` cannot run on this workspace, for want of their data (the
    Risk page names them with `risk.unchecked.<check>`)."""
    row = ws.cursor().execute("SELECT " + ", ".join(sql for _, sql in _CHECK_NEEDS)).fetchone()
    return [check for (check, _), ok in zip(_CHECK_NEEDS, row or ()) if not ok]


def _data_proposals(ws: Workspace) -> list[Proposal]:
    rows = ws.cursor().execute("""
        SELECT batch_id, file_name, status, coalesce(rows_read, 0), coalesce(rows_rejected, 0)
        FROM imports WHERE status IN ('loaded', 'refused') ORDER BY batch_id DESC LIMIT 10""").fetchall()
    out = []
    for batch_id, name, status, read, rejected in rows:
        if status == "refused" or rejected:
            out.append(Proposal("data", str(batch_id), "technology", 3 if rejected or status == "refused" else 2,
                                2, "proposal.data.title", "proposal.data.evidence",
                                {"file": name, "batch": batch_id, "rejected": f"{rejected:,}",
                                 "read": f"{read:,}", "status": status}))
    return out


def accept_proposal(ws: Workspace, proposal: Proposal, title: str, evidence: str, owner: str = "",
                    review_on: date | None = None) -> str:
    """Put a proposal into the register (title and evidence as shown to the user)."""
    risk_id = save_risk(ws, Risk(title=title, category=proposal.category, likelihood=proposal.likelihood,
                                 impact=proposal.impact, owner=owner, response="mitigate",
                                 mitigation=evidence, review_on=review_on or date.today() + timedelta(days=30)))
    ws.cursor().execute("INSERT OR REPLACE INTO risk_sources VALUES (?, ?, ?, ?, ?)",
                        [risk_id, proposal.rule, proposal.subject, evidence, datetime.now(timezone.utc)])
    return risk_id


# -- stress test ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Figures:
    revenue: float
    cost_of_goods: float
    fees_and_ads: float
    margin: float
    margin_rate: float | None
    stockouts: int


@dataclass(frozen=True)
class StressResult:
    """Over the last `days` days of data (one currency, see lib.team): baseline and scenario.
    Revenue = gross sales − discounts; margin = revenue − cost of goods − platform fees − ad
    spend. No price elasticity: a deeper discount lowers revenue per unit, not volume."""

    days: int
    currency: str | None
    baseline: Figures
    scenario: Figures
    stockout_skus: tuple[str, ...]


def stress_test(ws: Workspace, filters: Filters | None = None, *, demand_shock: float = 0.0,
                supplier_delay_days: int = 0, cost_increase: float = 0.0, discount_depth: float = 0.0,
                days: int = RECENT_DAYS) -> StressResult:
    """demand_shock, cost_increase (fees and ads) and discount_depth are fractions (0.2 = 20 %)."""
    if not -1.0 <= demand_shock <= 5.0 or not 0 <= discount_depth < 1 or cost_increase < -1 \
            or not 0 <= supplier_delay_days <= 365:
        raise RiskError("The stress test settings are out of range.", key="risk.bad_stress")
    filters = filters or Filters()
    last = _last_day(ws, filters) or date.today()
    window = Filters(start=last - timedelta(days=days - 1), end=last, channels=filters.channels,
                     currency=filters.currency)
    where, params = window.where()
    fx, cost_fx, fx_params, currency = money_sql(ws, window)
    row = ws.cursor().execute(f"""
        WITH c AS (SELECT * FROM (SELECT o.*, {fx} AS fx FROM orders o WHERE {where}) o
                   WHERE fx IS NOT NULL AND {COUNTED}),
        l AS (SELECT sum(l.quantity * p.unit_cost * {cost_fx}) AS cogs
              FROM c JOIN order_lines l ON l.source = c.source AND l.order_id = c.order_id
              LEFT JOIN products p ON p.sku = l.sku WHERE l.line_type = 'product')
        SELECT (SELECT sum(g.gross * g.fx) FROM {gross_rows("c")} g), (SELECT cogs FROM l),
               (SELECT sum(discount * fx) FROM c),
               (SELECT sum(coalesce(fees, 0) * fx) FROM c)""", fx_params + params).fetchone()
    gross, cogs, disc, fees = (float(x or 0) for x in (row or (0, 0, 0, 0)))
    ads = _ad_spend(ws, window)
    revenue = gross - disc
    cover = stock_cover(ws, filters)
    base = Figures(revenue, cogs, fees + ads, revenue - cogs - fees - ads,
                   (revenue - cogs - fees - ads) / revenue if revenue else None, int(cover["at_risk"].sum()))
    d = 1 + demand_shock
    rev2 = (gross * (1 - discount_depth) - disc) * d
    cogs2 = cogs * d
    costs2 = (fees * d + ads) * (1 + cost_increase)
    shocked = stock_cover(ws, filters, extra_demand=demand_shock, extra_lead_days=supplier_delay_days)
    scen = Figures(rev2, cogs2, costs2, rev2 - cogs2 - costs2,
                   (rev2 - cogs2 - costs2) / rev2 if rev2 else None, int(shocked["at_risk"].sum()))
    return StressResult(days, currency, base, scen, tuple(shocked.loc[shocked["at_risk"], "sku"]))


def _ad_spend(ws: Workspace, window: Filters) -> float:
    """Marketing spend in the window, in the money unit of lib.team (spend is in the currency of
    the channel's orders)."""
    fx, _, fx_params, _ = money_sql(ws, window)
    where, params = window.where()
    m_where = where.replace("o.order_date", "m.date").replace("o.channel", "m.channel")
    row = ws.cursor().execute(f"""
        WITH ch AS (SELECT o.channel, any_value(o.currency) AS currency FROM orders o GROUP BY 1)
        SELECT sum(m.spend * (SELECT {fx} FROM (SELECT ch.currency) o))
        FROM marketing m LEFT JOIN ch ON ch.channel = m.channel WHERE {m_where}""",
        fx_params + params).fetchone()
    return float(row[0] or 0) if row else 0.0
