"""Ingest: from an export file to canonical tables. Entry point: `load.ingest_path`."""
