"""Shoplens: the router and frame. Pages live in app_pages/, shared glue (state, sidebar) in ui/.

Not `pages/`: a directory of that name next to this file puts Streamlit in its legacy
multipage mode until the first st.navigation call of the process, and a first request for
/data would then run the page without this frame (no sidebar)."""
import streamlit as st

from ui import sidebar
from ui.state import page_boundary, tr

st.set_page_config(page_title=tr("app.title"), layout="wide")

# The guide's chapters in reading order: (section, ((page file, title key, url path), ...)).
CHAPTERS = (
    ("nav.section.data", (("app_pages/data.py", "nav.data", "data"),)),
    ("nav.section.monitor", (
        ("app_pages/overview.py", "nav.overview", "overview"),
        ("app_pages/operations.py", "nav.operations", "operations"),
    )),
    ("nav.section.analyse", (
        ("app_pages/analysis.py", "nav.analysis", "analysis"),
        ("app_pages/forecast.py", "nav.forecast", "forecast"),
        ("app_pages/customers.py", "nav.customers", "customers"),
        ("app_pages/products.py", "nav.products", "products"),
        ("app_pages/pricing.py", "nav.pricing", "pricing"),
    )),
    ("nav.section.manage", (
        ("app_pages/risk.py", "nav.risk", "risk"),
        ("app_pages/team.py", "nav.team", "team"),
        ("app_pages/scenarios.py", "nav.scenarios", "scenarios"),
    )),
    ("nav.section.reference", (("app_pages/glossary.py", "nav.glossary", "glossary"),)),
)
DEFAULT_PAGE = "overview"  # served at "/"

nav = st.navigation({
    tr(section): [st.Page(path, title=tr(title), url_path=url, default=url == DEFAULT_PAGE)
                  for path, title, url in pages]
    for section, pages in CHAPTERS
})
with page_boundary():
    sidebar.render()
    nav.run()
