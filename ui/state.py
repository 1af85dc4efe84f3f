"""Session state, the cached workspace connection, translation and the one error boundary."""
from __future__ import annotations

import logging
import os
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from lib import imports
from lib.errors import ShoplensError, WorkspaceError
from lib.i18n import LANGS, describe_error, markdown_literal, t
from lib.ingest.load import IngestOptions, IngestResult
from lib.ingest.progress import Step, reporting
from lib.metrics.core import Filters
from lib.workspace import QUERY_TIME_LIMIT_MS, Workspace, list_workspaces, open_workspace

_log = logging.getLogger("shoplens")
PROJECT_ROOT = Path(__file__).resolve().parents[1]
WORKSPACE_NAME = re.compile(r"[A-Za-z0-9_-]{1,40}")
DEFAULT_WORKSPACE = "default"

# Session-state keys (widget keys where a widget owns the value).
LANG = "lang"                    # selectbox: "en" | "zh"
WORKSPACE = "workspace"          # selectbox: workspace name
NEW_WORKSPACE = "new_workspace"  # text input in the "new workspace" form
NOTICE = "notice"                # text shown once at the top of the next run
WORKSPACE_ERROR = "workspace_error"  # a ShoplensError from the "new workspace" callback
FILTERS = "filters"              # lib.metrics.core.Filters set by the sidebar
INGESTED = "ingested"            # {"<workspace path>|<sha256>": list[IngestResult]}
UPLOAD_SHA = "upload_sha"        # {uploaded file_id: sha256}, so a file is hashed once
TRANSLATED = "translated_widgets"  # keys of choice widgets whose option labels are translated


def current_lang() -> str:
    lang = st.session_state.get(LANG, "en")
    return lang if lang in LANGS else "en"


def tr(key: str, **params: object) -> str:
    return t(key, current_lang(), **params)


def translated_key(key: str) -> str:
    """`key`, registered as a choice widget (selectbox, radio) whose option labels follow the
    language; see relabel_choices. Use it for every keyed widget with a translated format_func."""
    st.session_state.setdefault(TRANSLATED, set()).add(key)
    return key


def relabel_choices() -> None:
    """The language picker's callback. Streamlit's browser side sends a choice widget's value
    back as its *label*; after a language switch the old label matches no option, and the
    widget's value became that label (the period picker got 'All data' instead of 'all' and
    the app stopped). Setting each registered widget's value again makes Streamlit send the
    label in the new language to the browser."""
    for key in st.session_state.get(TRANSLATED, ()):
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def tr_literal(key: str, **params: object) -> str:
    """tr for Streamlit's markdown elements (st.markdown, captions, alerts, labels) when text
    parameters carry names from files or users: those show as typed, never as links or
    formatting (RELIABILITY D7)."""
    return tr(key, **{k: markdown_literal(v) if isinstance(v, str) else v for k, v in params.items()})


# -- the error boundary ---------------------------------------------------------------------
def show_error(exc: ShoplensError) -> None:
    """The one place a lib error becomes a message: translated, no traceback, no internals."""
    st.error(describe_error(exc, current_lang(), markdown_literal))


@contextmanager
def error_boundary() -> Iterator[None]:
    try:
        yield
    except ShoplensError as exc:
        show_error(exc)


@contextmanager
def page_boundary() -> Iterator[None]:
    """Around every page (app.py): an error no page expected is logged in full with a short
    reference and shown translated with that reference, never as a traceback; the session
    and the workspace go on (RELIABILITY E6, G10)."""
    try:
        yield
    except ShoplensError as exc:
        show_error(exc)
    except duckdb.InterruptException:  # a query over Workspace.query_time_limit_ms
        _logged_error("query time limit", "error.query_time_limit",
                      seconds=QUERY_TIME_LIMIT_MS // 1000)
    except duckdb.OutOfMemoryException:
        _logged_error("out of memory", "error.out_of_memory")
    except Exception:  # the boundary of last resort: logged with its reference, shown below
        _logged_error("unexpected error", "error.unexpected")


def _logged_error(what: str, key: str, **params: object) -> None:
    """The exception being handled goes to the log in full under a short reference; the page
    shows the translated sentence `key` with that reference."""
    ref = secrets.token_hex(4)
    _log.exception("[%s] %s", ref, what)
    st.error(tr(key, ref=ref, **params))


def set_notice(text: str) -> None:
    """A confirmation to show after the next rerun (st.rerun discards this run's output)."""
    st.session_state[NOTICE] = text


def show_notice() -> None:
    text = st.session_state.pop(NOTICE, "")
    if text:
        st.success(text)


# -- workspaces -----------------------------------------------------------------------------
def workspace_folder() -> Path:
    return Path(os.environ.get("SHOPLENS_WORKSPACES") or PROJECT_ROOT / "workspaces").resolve()


def _release(ws: Workspace) -> None:
    ws.close()


@st.cache_resource(show_spinner=False, on_release=_release)
def get_workspace(path: str) -> Workspace:
    """One open workspace (one DuckDB connection) per file per process; queries use cursor()."""
    return open_workspace(path)


def workspace_path(name: str) -> Path:
    """The file of workspace `name`; a name is never a path."""
    if not WORKSPACE_NAME.fullmatch(name):
        raise WorkspaceError(t("sidebar.bad_name", "en", name=name[:60]),
                             key="sidebar.bad_name", name=name[:60])
    return workspace_folder() / f"{name}.duckdb"


def workspace_names() -> list[str]:
    names = [p.stem for p in list_workspaces(workspace_folder()) if WORKSPACE_NAME.fullmatch(p.stem)]
    return names or [DEFAULT_WORKSPACE]


DEMO_WORKSPACE = "demo"  # `make run` builds it; a new session opens on it when present


def preferred_workspace(names: list[str]) -> str:
    return DEMO_WORKSPACE if DEMO_WORKSPACE in names else names[0]


def current_workspace_name() -> str:
    names = workspace_names()
    chosen = st.session_state.get(WORKSPACE)
    return chosen if chosen in names else preferred_workspace(names)


def current_workspace() -> Workspace:
    """The session's workspace, opened (and created on first use) through the shared cache."""
    return get_workspace(str(workspace_path(current_workspace_name()).resolve()))


def current_filters() -> Filters:
    filters = st.session_state.get(FILTERS)
    return filters if isinstance(filters, Filters) else Filters()


# -- uploads: ingest each file once per session ---------------------------------------------
def _upload_key(ws: Workspace, upload: UploadedFile) -> str:
    hashes: dict[str, str] = st.session_state.setdefault(UPLOAD_SHA, {})
    if upload.file_id not in hashes:
        hashes[upload.file_id] = imports.sha256_of(upload)
    return f"{ws.path}|{hashes[upload.file_id]}"


def ingest_once(ws: Workspace, upload: UploadedFile, options: IngestOptions | None = None,
                *, again: bool = False) -> tuple[str, list[IngestResult], bool]:
    """(cache key, results, whether it ran now): reruns reuse the results of the same bytes."""
    key = _upload_key(ws, upload)
    cache: dict[str, list[IngestResult]] = st.session_state.setdefault(INGESTED, {})
    ran = again or key not in cache
    if ran:  # a big export takes a while: say so, with its name, size and step (RELIABILITY C14)
        with st.spinner(tr("data.loading", file=markdown_literal(upload.name),
                           mb=f"{upload.size / 1e6:,.1f}")):
            bar = st.progress(0.0)

            def show(step: Step) -> None:
                bar.progress(step.done, text=tr(step.text_key, file=markdown_literal(step.file)))

            with reporting(show):
                cache[key] = imports.ingest_upload(ws, upload.name, upload, options)
            bar.empty()
    return key, cache[key], ran


def forget_uploads_except(keys: set[str], file_ids: set[str]) -> None:
    """Drop results and hashes of files no longer in the uploader (re-adding one re-ingests)."""
    cache: dict[str, list[IngestResult]] = st.session_state.setdefault(INGESTED, {})
    for k in [k for k in cache if k not in keys]:
        del cache[k]
    hashes: dict[str, str] = st.session_state.setdefault(UPLOAD_SHA, {})
    for f in [f for f in hashes if f not in file_ids]:
        del hashes[f]
