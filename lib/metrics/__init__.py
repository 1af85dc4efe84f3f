"""KPIs computed from the canonical tables (SQL in, plain values out)."""
