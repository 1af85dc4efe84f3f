"""The shared-server gate (lib/server_profile.py): in the shared profile, no page is served
while a Streamlit setting differs from the profile; the operator who opens the app reads which
settings and why. Runs first in app.py, before the sidebar opens a workspace."""
from __future__ import annotations

import json
import logging
import os

import streamlit as st

from lib.i18n import markdown_literal
from lib.server_profile import PROFILE_ENV, SHARED, Mismatch, ProfileError, active_profile, problems
from ui.state import tr

_log = logging.getLogger("shoplens")


def _shown(value: object) -> str:
    return markdown_literal(json.dumps(value, ensure_ascii=False, default=str))


def _line(m: Mismatch) -> str:
    needed = m.needed if m.test == "at_most" else _shown(m.needed)
    return tr(f"profile.need.{m.test}", option=m.option, found=_shown(m.found), needed=needed,
              why=tr(f"profile.why.{m.option}"))


def require_profile() -> None:
    """Stop the script (nothing else drawn) unless the settings hold for the active profile."""
    try:
        profile = active_profile(dict(os.environ))
    except ProfileError as exc:
        _log.error("%s=%r names no profile; serving nothing", PROFILE_ENV, str(exc))
        st.error(tr("profile.unknown", env=PROFILE_ENV, value=markdown_literal(str(exc))))
        st.stop()
    if profile != SHARED:
        return
    found = problems(st.get_option)
    if not found:
        return
    _log.error("shared profile: %d settings differ, serving nothing: %s", len(found),
               ", ".join(f"{m.option}={m.found!r}" for m in found))
    st.error(tr("profile.refused", env=PROFILE_ENV, n=len(found)) + "\n\n"
             + "\n".join(f"- {_line(m)}" for m in found))
    st.stop()
