"""Small widgets several pages share."""
from __future__ import annotations

import streamlit as st

from ui.state import tr


def placeholder(chapter: str) -> None:
    """A chapter that is not built yet: its title and what it will show."""
    st.title(tr(f"nav.{chapter}"))
    st.info(tr("coming.title"))
    st.write(tr(f"coming.{chapter}"))
