"""KPIs as data: the catalogue and the queries that compute it (SQL in, plain values out).

- `catalogue.yaml`  the one place a KPI is defined (labels and descriptions in en and zh,
                    formula, computation, unit, format, direction, chapter, data needed)
- `catalogue.py`    loading and validation (every problem reported at once)
- `families.py`     the relations measures aggregate over, and their SQL
- `facts.py`        per-workspace fact tables and daily rollups, rebuilt when the data change
- `filters.py`      the global filters and the currency plan (never add currencies)
- `engine.py`       `compute()`: one query per family for all groupings and periods asked
- `overview.py`     what the Overview page shows; `export.py` the CLI's JSON
- `describe.py`     values, changes and reasons as text in the user's language
- `core.py`         the foundation KPIs' API (`compute_core_kpis`), now on the engine
"""
