"""Streamlit glue: cached workspace handles, session-state keys, the error boundary, the sidebar.

The only package besides `app_pages/` (and `app.py`) that imports Streamlit; `lib/` never does.
"""
