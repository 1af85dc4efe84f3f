"""Every chart every page draws on the demo store is valid Vega-Lite.

The app draws charts without Altair's own schema check (lib/chart_validation.py: it cost most
of each chart's drawing time, on every rerun); this is where that check happens instead, on
the specs exactly as Streamlit sends them to the browser, against the schema Altair ships."""
from __future__ import annotations

import json
from pathlib import Path

import altair as alt
import jsonschema
from streamlit.testing.v1 import AppTest

from tests.demo_store import demo_copy
from tests.pages.support import APP

SCHEMA = json.loads((Path(alt.__file__).parent / "vegalite" / "v6" / "schema" / "vega-lite-schema.json")
                    .read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft7Validator(SCHEMA)
# Pages and the charts each draws on the demo when opened (its default choices).
PAGES = {"overview": 20, "operations": 6, "analysis": 6, "forecast": 1, "customers": 3,
         "products": 2, "pricing": 2, "risk": 2, "team": 1, "scenarios": 1}


def test_every_chart_of_every_page_is_valid_vega_lite(workspaces: Path) -> None:
    """Both languages in one test: the second reuses the first's cached figures and fits
    (caches are cleared between tests), which halves the test's Prophet work."""
    demo_copy(workspaces)
    for lang in ("en", "zh"):
        drawn: dict[str, int] = {}
        for page in PAGES:
            # A session per page, in its language from the first run: AppTest formats the last
            # page's choices outside the session (in English) when the next run collects them.
            at = AppTest.from_file(str(APP), default_timeout=60)
            at.session_state["lang"] = lang
            at.run()
            at.switch_page(f"app_pages/{page}.py")
            at.run()
            assert not at.exception, (lang, page)
            charts = at.get("vega_lite_chart")
            drawn[page] = len(charts)
            for i, el in enumerate(charts):
                spec = json.loads(el.proto.spec)
                errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}"
                          for e in VALIDATOR.iter_errors(spec)]
                assert errors == [], f"{lang} {page} chart {i}: {errors[:3]}"
        assert drawn == PAGES, lang
