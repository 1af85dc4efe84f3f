"""Shoplens risk register template: one risk per row.

Headers: risk_id,title,category,likelihood,impact,owner,response,mitigation,status,review_on.
likelihood and impact are whole numbers 1–5; category is one of CATEGORIES and response (if
given) one of RESPONSES, case-insensitive, spaces read as `_` ("Supply chain" →
supply_chain); review_on is an ISO date. A later row with the same risk_id wins.
"""
from lib.ingest.formats.base import ExportFormat, Field

DATES = ("%Y-%m-%d", "%Y/%m/%d", "%Y-%m-%d %H:%M:%S")
CATEGORIES = ("market", "technology", "management", "legal_compliance", "supply_chain", "finance")
RESPONSES = ("avoid", "transfer", "mitigate", "accept")


def _word(col: str) -> str:
    return f"replace(lower({col}), ' ', '_')"


def _one_of(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


FORMAT = ExportFormat(
    id="shoplens_risks",
    label="Shoplens risk register template",
    source="shoplens",
    signature=("risk_id", "likelihood", "impact"),
    fields={
        "risk_id": Field("risk_id", kind="id", required=True),
        "title": Field("title", required=True),
        "category": Field("category", required=True),
        "likelihood": Field("likelihood", kind="int", required=True),
        "impact": Field("impact", kind="int", required=True),
        "owner": Field("owner"),
        "response": Field("response"),
        "mitigation": Field("mitigation"),
        "status": Field("status"),
        "review_on": Field("review_on", kind="date", formats=DATES),
    },
    checks=(
        ("likelihood", "likelihood NOT BETWEEN 1 AND 5", "likelihood must be from 1 to 5"),
        ("impact", "impact NOT BETWEEN 1 AND 5", "impact must be from 1 to 5"),
        ("category", f"{_word('category')} NOT IN {_one_of(CATEGORIES)}",
         "category must be one of: " + ", ".join(CATEGORIES)),
        ("response", f"{_word('response')} NOT IN {_one_of(RESPONSES)}",
         "response must be one of: " + ", ".join(RESPONSES)),
    ),
    outputs={
        "risks": f"""
            SELECT risk_id, title, {_word('category')} AS category, likelihood, impact, owner,
                   {_word('response')} AS response, mitigation, lower(status) AS status,
                   review_on, _rec
            FROM pv""",
    },
)
