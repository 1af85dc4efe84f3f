"""Data: upload exports, see what each file became, map unknown layouts, undo imports."""
import pandas as pd
import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from lib import imports
from lib.i18n import describe_result, fmt_date_range, fmt_int, format_name, markdown_literal, t
from lib.ingest.load import MAX_PROBLEMS_SHOWN, IngestOptions, IngestResult
from lib.ingest.mapping import REQUIRED_ROLES, ROLES, save_template, suggest_mapping
from lib.quality import quality_table
from lib.workspace import Workspace
from ui import cached, state, views
from ui.state import tr, tr_literal

UPLOAD_TYPES = ["csv", "tsv", "txt", "xlsx", "zip", "gz"]  # a name hint only: content decides
DATE_ORDERS = (None, True, False)  # GenericMapping.day_first: decided by the file, day, month
DATE_ORDER_KEYS = {None: "mapping.date_order.auto", True: "mapping.date_order.day",
                   False: "mapping.date_order.month"}
COUNTS = (("data.rows_read", "rows_read"), ("data.rows_loaded", "rows_loaded"),
          ("data.rows_rejected", "rows_rejected"), ("data.orders", "orders"),
          ("data.lines", "order_lines"))


def translated(df: pd.DataFrame) -> pd.DataFrame:
    return df.rename(columns=lambda c: tr(f"col.{c}"))


def mapping_form(ws: Workspace, upload: UploadedFile, r: IngestResult, kid: str) -> None:
    """One selectbox per role, pre-filled with a guess; submitting re-ingests with the mapping."""
    header = tuple(r.header)
    guess = suggest_mapping(header)
    options = ["", *header]
    with st.form(f"map_{kid}"):
        st.subheader(tr_literal("mapping.title", file=r.file))
        chosen: dict[str, str] = {}
        for role in ROLES:
            label = tr(f"role.{role}")
            chosen[role] = st.selectbox(
                tr("mapping.required", role=label) if role in REQUIRED_ROLES else label,
                options, index=options.index(guess.get(role, "")),
                format_func=lambda h: h or tr("mapping.none"),
                key=state.translated_key(f"map_{kid}_role_{role}"))
        day_first = st.selectbox(tr("mapping.date_order"), DATE_ORDERS,
                                 key=state.translated_key(f"map_{kid}_day_first"),
                                 format_func=lambda o: tr(DATE_ORDER_KEYS[o]))
        currency = st.text_input(tr("mapping.currency"), max_chars=3, key=f"map_{kid}_default_currency")
        name = st.text_input(tr("mapping.template_name"), max_chars=60, key=f"map_{kid}_name")
        submitted = st.form_submit_button(tr("mapping.submit"), key=f"map_{kid}_submit")
    if not submitted:
        return
    mapping = imports.build_mapping(chosen, name=name, day_first=day_first, currency=currency)
    with state.error_boundary():
        mapping.to_format(header)  # raises if it does not fit: the form stays for a correction
        _, results, _ = state.ingest_once(ws, upload, IngestOptions(mapping=mapping), again=True)
        if name.strip() and any(x.status == "loaded" for x in results):
            save_template(ws, header, mapping)
            state.set_notice(tr_literal("data.template_saved", name=mapping.name))
        st.rerun()


def show_result(ws: Workspace, upload: UploadedFile, r: IngestResult, kid: str,
                statuses: dict[int, str]) -> None:
    """What one file (or sheet) became: status, counts, preview, problems, rejected rows."""
    lang = state.current_lang()
    st.subheader(markdown_literal(r.file))
    text = describe_result(r, lang, markdown_literal)
    if r.status == "refused":
        st.error(text)
        skip = imports.title_lines(r)
        if skip and st.button(tr("data.skip_lines", n=skip), key=f"skip_{kid}"):
            state.ingest_once(ws, upload, IngestOptions(skip_lines=skip), again=True)
            st.rerun()
        return
    if r.status == "needs_mapping":
        st.warning(text)
        mapping_form(ws, upload, r, kid)
        return
    if r.status == "duplicate":
        st.info(text)
        return
    st.success(text)
    if r.batch_id is not None and statuses.get(r.batch_id) == "undone":
        st.info(tr("data.undone_since", batch_id=r.batch_id))
    top = st.columns(4)
    top[0].metric(tr("data.format"), format_name(r.format, lang, r.format_label))
    top[1].metric(tr("data.encoding"), r.encoding or tr("value.none"))
    top[2].metric(tr("data.date_range"), fmt_date_range(r.date_min, r.date_max, lang))
    top[3].metric(tr("data.currency"), r.currency or tr("value.none"))
    for col, (label, attr) in zip(st.columns(len(COUNTS)), COUNTS):
        col.metric(tr(label), fmt_int(getattr(r, attr), lang))
    st.caption(tr("data.preview"))
    views.table(pd.DataFrame(r.preview))
    if r.problems:
        shown = r.problems[:MAX_PROBLEMS_SHOWN]
        st.caption(tr("data.problems", n=len(shown)))
        views.table(translated(imports.problems_frame(shown, lang)))
    if r.rows_rejected and r.batch_id is not None:
        batch = r.batch_id
        st.download_button(tr("data.download_rejected"),
                           data=lambda: imports.rejected_rows_csv(ws, batch, lang),
                           file_name=f"rejected_rows_import_{batch}.csv", mime="text/csv",
                           key=f"rejected_{kid}")


def show_quality(ws: Workspace, history: pd.DataFrame) -> None:
    """What everything loaded can answer (lib/quality.py); nothing before the first import."""
    if history.empty:
        return
    st.header(tr("quality.title"))
    st.caption(tr("quality.intro"))
    views.table(quality_table(cached.data_quality(ws), state.current_lang()))


def show_settings(ws: Workspace) -> None:
    with st.expander(tr("data.settings")):
        zones = ws.time_zones()
        zone = st.selectbox(tr("data.timezone"), zones, index=zones.index(ws.timezone),
                            key=f"timezone_{ws.path.name}", help=tr("data.timezone_help"))
        if zone != ws.timezone and st.button(tr("data.timezone_save"), key="timezone_save"):
            ws.set_timezone(zone)
            state.set_notice(tr("data.timezone_saved", zone=zone))
            st.rerun()


def show_history(ws: Workspace, history: pd.DataFrame) -> None:
    st.header(tr("data.history"))
    if history.empty:
        st.caption(tr("data.no_history"))
        return
    views.table(imports.history_view(history, state.current_lang()))
    # One picker and one button, however many imports (a button each grew a column of them);
    # the button names the import it undoes. Newest first, as the table.
    loaded = history[history["status"] == "loaded"]
    if loaded.empty:
        return
    files = {int(r.batch_id): (r.file_name, int(r.rows_loaded)) for r in loaded.itertuples()}
    lang = state.current_lang()  # bound now: the labels of the run that drew them
    batch = st.selectbox(tr("data.undo_pick"), list(files), key=state.translated_key("undo_pick"),
                         format_func=lambda b: t("data.undo_option", lang, batch_id=b,
                                                 file=files[b][0], rows=fmt_int(files[b][1])))
    if batch is not None and st.button(tr_literal("data.undo", batch_id=batch, file=files[batch][0]),
                                       key="undo"):
        ws.undo_import(batch)
        state.set_notice(tr("data.undone", batch_id=batch))
        st.rerun()


st.title(tr("data.title"))
st.caption(tr("data.intro"))
state.show_notice()
with state.error_boundary():
    workspace = state.current_workspace()
    limit_mb = st.get_option("server.maxUploadSize")
    views.uploader_words(limit_mb, UPLOAD_TYPES)
    uploads = st.file_uploader(tr("data.upload"), type=UPLOAD_TYPES, accept_multiple_files=True,
                               key="uploader", help=tr("data.upload_help", mb=limit_mb)) or []
    entries = [(up, *state.ingest_once(workspace, up)) for up in uploads]
    state.forget_uploads_except({key for _, key, _, _ in entries}, {up.file_id for up in uploads})
    if any(ran and any(r.status == "loaded" for r in res) for _, _, res, ran in entries):
        st.rerun()  # so the sidebar's date range and the history include the new data
    log = imports.import_history(workspace)
    batch_status = {int(b): str(s) for b, s in zip(log["batch_id"], log["status"])}
    for i, (up, key, results, _) in enumerate(entries):
        for j, result in enumerate(results):
            show_result(workspace, up, result, f"{i}_{key[-12:]}_{j}", batch_status)
    show_quality(workspace, log)
    show_history(workspace, log)
    show_settings(workspace)
