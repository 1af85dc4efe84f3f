"""RELIABILITY D7 for currency codes: they come from files (Amazon, Etsy exports carry their
own), so every page's 'left out' warning names them literally (escaped for markdown)."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.demo_store import edited_demo_copy
from tests.pages.support import open_page, rendered

HOSTILE = "[x](javascript:alert(1))"
NOT_CONVERTIBLE = ("are left out: they are not in USD and have no exchange rate (enter one in the "
                   "sidebar) or conversion is off.")


@pytest.mark.parametrize(("page", "ending"), [
    ("app_pages/overview.py", NOT_CONVERTIBLE),
    ("app_pages/products.py", NOT_CONVERTIBLE),
    ("app_pages/customers.py", NOT_CONVERTIBLE),
    ("app_pages/pricing.py", "are left out: they cannot be shown in USD. Enter exchange rates in the "
                             "sidebar to include them."),
])
def test_a_currency_written_as_markdown_is_named_as_typed(workspaces: Path, page: str, ending: str) -> None:
    edited_demo_copy(workspaces,  # the demo's CNY orders, as a file could have named them
                     ("UPDATE orders SET currency = ? WHERE currency = 'CNY'", [HOSTILE]),
                     ("UPDATE order_lines SET currency = ? WHERE currency = 'CNY'", [HOSTILE]))
    at = open_page(page)
    assert [w.value for w in at.warning] == [f"Orders in \\[x\\](javascript\\:alert(1)) {ending}"]
    assert rendered(at.warning[0].value) == f"Orders in {HOSTILE} {ending}"
