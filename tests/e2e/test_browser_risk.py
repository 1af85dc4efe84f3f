"""A real browser adds a risk on the Risk page and finds it on the 5×5 matrix.

Same server fixture as test_browser_upload.py (a private `streamlit run app.py`, Debian's
/usr/bin/chromium through Playwright, never `playwright install`); waits for real elements,
never for a timer. The matrix is drawn as SVG, so its cell labels are text in the page.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from lib import risk
from lib.workspace import open_workspace
from tests.e2e.test_browser_upload import Server, chromium_page, server  # noqa: F401
from tests.demo_store import demo_copy

pytestmark = pytest.mark.e2e


@pytest.mark.timeout(120)
def test_adding_a_risk_puts_it_on_the_matrix(server: Server) -> None:  # noqa: F811
    base, folder, stop = server
    demo_copy(Path(folder))  # the app opens the demo workspace when it is there
    with chromium_page() as page:
        page.goto(f"{base}/risk")
        page.get_by_role("heading", name="Risk").first.wait_for(timeout=30_000)
        matrix = page.locator('[data-testid="stVegaLiteChart"]').first
        matrix.locator("svg text").filter(has_text="R01, R02").first.wait_for(timeout=30_000)
        assert matrix.locator("svg text").filter(has_text="R08").count() == 0

        page.get_by_label("Title", exact=True).fill("Courier strike before Singles' Day")
        page.get_by_label("Likelihood (1–5)").fill("7")
        page.get_by_label("Impact (1–5)").fill("5")
        page.get_by_label("Owner", exact=True).fill("Tom Okafor")
        page.get_by_role("button", name="Save risk").click()
        page.get_by_text("Likelihood must be a whole number from 1 to 5 (got 7).").wait_for(timeout=30_000)

        page.get_by_label("Likelihood (1–5)").fill("4")
        page.get_by_role("button", name="Save risk").click()
        page.get_by_text("Risk R08 saved.").wait_for(timeout=30_000)
        cell = matrix.locator("svg text").filter(has_text="R08").first
        cell.wait_for(timeout=30_000)
        assert cell.text_content() == "R08"  # alone in the likelihood 4 × impact 5 cell
        open_risks = page.locator('[data-testid="stMetric"]').filter(
            has=page.get_by_text("Open risks", exact=True))
        assert open_risks.locator('[data-testid="stMetricValue"]').inner_text() == "8"
    stop()  # the server holds the workspace file's lock
    ws = open_workspace(Path(folder) / "demo.duckdb", create=False)
    try:
        saved = risk.get_risk(ws, "R08")
        assert (saved.title, saved.likelihood, saved.impact, saved.owner) == (
            "Courier strike before Singles' Day", 4, 5, "Tom Okafor")
    finally:
        ws.close()
