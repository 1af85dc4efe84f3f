"""A real browser opens the Customers, Products and Pricing chapters on the demo store and
sees each one's own figures drawn (no error box, charts rendered). Table cells are drawn on a
canvas by the data grid; its accessible cells are in the page but hidden, so they are waited
for as attached.

Same server fixture as test_browser_upload.py (a private `streamlit run app.py`, Debian's
/usr/bin/chromium through Playwright); waits for real elements, never for a timer.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.demo_store import demo_copy
from tests.e2e.test_browser_upload import Server, chromium_page, server  # noqa: F401

pytestmark = pytest.mark.e2e


@pytest.mark.timeout(180)
def test_the_three_chapters_render_their_figures(server: Server) -> None:  # noqa: F811
    base, folder, stop = server
    demo_copy(Path(folder))
    try:
        with chromium_page() as page:
            page.goto(f"{base}/customers")
            page.get_by_role("heading", name="Customers").first.wait_for(timeout=30_000)
            cell = {"state": "attached", "timeout": 45_000}
            page.get_by_role("gridcell", name="Champions", exact=True, include_hidden=True).first.wait_for(**cell)
            page.get_by_role("gridcell", name="cooling", exact=True, include_hidden=True).first.wait_for(**cell)
            page.get_by_text("Lapsed after", exact=False).first.wait_for(timeout=30_000)
            assert page.locator('[data-testid="stVegaLiteChart"]').count() >= 3  # segments, heatmap, LTV

            page.goto(f"{base}/products")
            page.get_by_role("heading", name="Products & inventory").first.wait_for(timeout=30_000)
            page.get_by_role("tab", name="Inventory & reorder").click()
            page.get_by_role("gridcell", name="LL-LIN-004", exact=True, include_hidden=True).first.wait_for(**cell)  # to reorder

            page.goto(f"{base}/pricing")
            page.get_by_role("heading", name="Pricing & promotions").first.wait_for(timeout=30_000)
            page.get_by_role("gridcell", name="BFCM25", exact=True, include_hidden=True).first.wait_for(**cell)
            assert page.locator('[data-testid="stException"]').count() == 0
    finally:
        stop()
