"""A real browser switches the language with choices made, and keeps working: Streamlit's
browser side sends a selectbox's value back as its label, so after a switch the old label
matched no option (the sidebar's period came back as 'All data', the app stopped with
'This app has encountered an error'; other choices fell back to their defaults).
ui.state.relabel_choices re-sends the labels in the new language. The Overview also answers
at /overview (Streamlit serves a default page only at "/"; app.py's hidden alias sends the
browser there)."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.demo_store import demo_copy
from tests.e2e.test_browser_upload import Server, chromium_page, server  # noqa: F401

pytestmark = pytest.mark.e2e


def _pick(page, label: str, option: str) -> None:  # type: ignore[no-untyped-def]
    """Choose `option`; a rerun still drawing the page can close the list just opened, so the
    list is opened again (at most three times) once the app is idle."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for _ in range(3):
        page.locator('[data-testid="stStatusWidget"]').wait_for(state="detached", timeout=60_000)
        page.get_by_role("combobox", name=label).first.click()
        try:
            page.get_by_role("option", name=option, exact=True).click(timeout=5_000)
            return
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
    raise AssertionError(f"could not choose {option!r} in {label!r}")


def _shown(page, label: str) -> str:  # type: ignore[no-untyped-def]
    """The option a selectbox shows (its combobox input's value)."""
    return page.get_by_role("combobox", name=label).first.input_value()


def _no_error(page) -> None:  # type: ignore[no-untyped-def]
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.get_by_text("This app has encountered an error").count() == 0


@pytest.mark.timeout(180)
def test_choices_survive_a_language_switch_and_the_next_rerun(server: Server) -> None:  # noqa: F811
    base, folder, stop = server
    demo_copy(Path(folder))
    period = "2025-12-02 – 2025-12-31 (30 days)"
    try:
        with chromium_page() as page:
            page.goto(f"{base}/overview")  # its own address too, not only "/" (app.py's alias)
            page.get_by_role("heading", name="Overview").first.wait_for(timeout=60_000)
            assert page.get_by_text("Page not found").count() == 0
            # sent on to "/": one page, marked in the menu, not a second copy of it
            page.wait_for_url(f"{base}/", timeout=30_000)
            active = page.locator('[data-testid="stSidebarNav"] a[aria-current="page"]')
            assert [active.nth(i).inner_text() for i in range(active.count())] == ["Overview"]
            page.goto(f"{base}/")
            page.get_by_role("heading", name="Overview").first.wait_for(timeout=60_000)
            _pick(page, "Period", "Last 30 days")
            page.get_by_text(period, exact=False).first.wait_for(timeout=30_000)
            _pick(page, "Break down by", "Category")
            page.get_by_role("heading", name="Gross sales by category").wait_for(timeout=30_000)

            _pick(page, "Language / 语言", "简体中文")
            page.get_by_role("heading", name="总览").first.wait_for(timeout=30_000)
            for _ in range(2):  # the reruns after the switch send the browser's stored labels
                page.locator('[data-testid="stSidebarNav"] a').filter(has_text="总览").click()
                page.get_by_role("heading", name="总览").first.wait_for(timeout=30_000)
                page.get_by_text("2025-12-02 – 2025-12-31（30 天）", exact=False).first.wait_for(timeout=30_000)
                _no_error(page)
            assert (_shown(page, "时间范围"), _shown(page, "拆分维度")) == ("最近 30 天", "品类")

            _pick(page, "Language / 语言", "English")
            page.get_by_role("heading", name="Overview").first.wait_for(timeout=30_000)
            page.locator('[data-testid="stSidebarNav"] a').filter(has_text="Overview").click()
            page.get_by_text(period, exact=False).first.wait_for(timeout=30_000)
            _no_error(page)
            assert (_shown(page, "Period"), _shown(page, "Break down by")) == ("Last 30 days", "Category")
    finally:
        stop()


_UPLOADER_WORDS = """() => {
  const zone = document.querySelector('[data-testid="stFileUploaderDropzone"]');
  const button = zone.querySelector('[data-testid="stBaseButton-secondary"] [data-testid="stMarkdownContainer"] p');
  const limit = zone.querySelector('[data-testid="stFileUploaderDropzoneInstructions"] span');
  const shown = (el) => getComputedStyle(el).fontSize === '0px'
      ? JSON.parse(getComputedStyle(el, '::after').content) : el.textContent;
  return [shown(button), shown(limit)];
}"""


@pytest.mark.timeout(120)
def test_the_file_uploader_speaks_the_chosen_language(server: Server) -> None:  # noqa: F811
    """Streamlit writes 'Upload' and '300MB per file • …' in English and its API cannot
    change that: in Chinese the page's style rule shows the translation table's words (what
    a reader sees: the original at no size, the translation in its place)."""
    base, folder, stop = server
    demo_copy(Path(folder))
    try:
        with chromium_page() as page:
            page.goto(f"{base}/data")
            page.get_by_role("heading", name="Data").first.wait_for(timeout=60_000)
            page.locator('[data-testid="stFileUploaderDropzone"]').wait_for(timeout=30_000)
            assert page.evaluate(_UPLOADER_WORDS) == [
                "Upload", "300MB per file • CSV, TSV, TXT, XLSX, ZIP, GZ"]
            _pick(page, "Language / 语言", "简体中文")
            page.get_by_role("heading", name="数据导入").first.wait_for(timeout=30_000)
            page.wait_for_function(f"() => ({_UPLOADER_WORDS})()[0] !== 'Upload'", timeout=30_000)
            assert page.evaluate(_UPLOADER_WORDS) == [
                "上传", "每个文件不超过 300MB • CSV, TSV, TXT, XLSX, ZIP, GZ"]
            _no_error(page)
    finally:
        stop()
