"""Shoplens: the router and frame. Pages live in app_pages/, shared glue (state, sidebar) in ui/.

Not `pages/`: a directory of that name next to this file puts Streamlit in its legacy
multipage mode until the first st.navigation call of the process, and a first request for
/data would then run the page without this frame (no sidebar)."""
import streamlit as st

from ui import sidebar
from ui.profile import require_profile
from ui.state import page_boundary, tr

st.set_page_config(page_title=tr("app.title"), layout="wide")
require_profile()  # shared-server profile: nothing is served while a setting differs

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
DEFAULT_PAGE = "overview"  # served at "/"; its own address through a hidden alias (below)


def _page(path: str, title: str, url: str) -> st.Page:
    if url != DEFAULT_PAGE:
        return st.Page(path, title=tr(title), url_path=url)
    # A page's identity is its url_path, so the default one takes another to leave
    # "overview" to the alias.
    return st.Page(path, title=tr(title), url_path=f"{url}-home", default=True)


def _to_default_page() -> None:
    """/overview, the default page's own address: Streamlit serves that page only at "/"
    (a bookmarked or typed /overview answered "page not found"), so this hidden page sends
    the browser there. Rendering the page itself here made a second page of it: the menu
    did not mark it, and its choices started again on the way back to "/"."""
    st.switch_page(next(p for _, pages in CHAPTERS for p in pages if p[2] == DEFAULT_PAGE)[0])


sections = {tr(section): [_page(*p) for p in pages] for section, pages in CHAPTERS}
sections[tr(CHAPTERS[-1][0])].append(
    st.Page(_to_default_page, title=tr("nav.overview"), url_path=DEFAULT_PAGE, visibility="hidden"))
nav = st.navigation(sections)
with page_boundary():
    sidebar.render()
    nav.run()
