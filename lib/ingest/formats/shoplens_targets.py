"""Shoplens targets template: one KPI target per row, for a period and an owner.

Headers: kpi_id,period_start,period_end,owner,team,target. kpi_id is the metric id
(e.g. net_sales); dates are ISO; period_end may not be before period_start; owner is required
because it is part of the key (kpi_id, period_start, period_end, owner) a re-load replaces by.
"""
from lib.ingest.formats.base import ExportFormat, Field

DATES = ("%Y-%m-%d", "%Y/%m/%d", "%Y-%m-%d %H:%M:%S")

FORMAT = ExportFormat(
    id="shoplens_targets",
    label="Shoplens targets template",
    source="shoplens",
    signature=("kpi_id", "period_start", "period_end", "target"),
    fields={
        "kpi_id": Field("kpi_id", required=True),
        "period_start": Field("period_start", kind="date", required=True, formats=DATES),
        "period_end": Field("period_end", kind="date", required=True, formats=DATES),
        "owner": Field("owner", required=True),
        "team": Field("team"),
        "target": Field("target", kind="number", required=True),
    },
    checks=(("period_end", "period_end < period_start", "period_end is before period_start"),),
    outputs={
        "targets": """
            SELECT lower(kpi_id) AS kpi_id, period_start, period_end, owner, team, target, _rec
            FROM pv""",
    },
)
