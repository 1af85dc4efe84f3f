"""Shoplens core: plain Python, no Streamlit. Pages and the CLI both call this package."""
