"""ui.views.chart: a chart drawn from its cached spec is the chart Streamlit's own
`altair_chart` draws, and the cache never hands one frame's chart to another."""
from __future__ import annotations

import json

import pandas as pd
from streamlit.testing.v1 import AppTest


def _draw_both() -> None:
    """Runs as an app script (AppTest.from_function): the same sparkline both ways."""
    import pandas as pd
    import streamlit as st

    from lib import charts
    from lib.chart_validation import unvalidated
    from ui import views

    frame = pd.DataFrame({"day": pd.date_range("2024-01-01", periods=5), "sales": [1.0, 3, 2, 5, 4]})
    views.chart(charts.sparkline, frame, "day", "sales", width="stretch", theme=None)
    with unvalidated():
        st.altair_chart(charts.sparkline(frame, "day", "sales"), width="stretch", theme=None)


def _protos(at: AppTest) -> list:
    return [el.proto for el in at.get("vega_lite_chart")]


def test_a_cached_chart_is_the_chart_altair_chart_draws() -> None:
    at = AppTest.from_function(_draw_both, default_timeout=30)
    for _ in range(2):  # the second run draws from the cache
        at.run()
        assert not at.exception
        ours, theirs = _protos(at)
        assert json.loads(ours.spec) == json.loads(theirs.spec)
        assert [(d.name, d.data.data) for d in ours.datasets] == \
            [(d.name, d.data.data) for d in theirs.datasets]
        assert ours.datasets and ours.datasets[0].data.data  # the data went with it


def _draw_from_state() -> None:
    import streamlit as st

    from lib import charts
    from ui import views

    views.chart(charts.sparkline, st.session_state["frame"], "day", "sales")


def test_frames_that_differ_in_one_row_of_sixty_thousand_get_their_own_chart() -> None:
    """Streamlit's own hash of a frame that long samples 10,000 of its rows: a change
    elsewhere would have drawn the first frame's chart again."""
    frame = pd.DataFrame({"day": pd.date_range("2000-01-01", periods=60_000, freq="h"),
                          "sales": [1.0] * 60_000})
    changed = frame.copy()
    changed.loc[59_999, "sales"] = 2.0
    at = AppTest.from_function(_draw_from_state, default_timeout=60)
    sent = []
    for f in (frame, changed):
        at.session_state["frame"] = f
        at.run()
        assert not at.exception
        [proto] = _protos(at)
        sent.append(proto.datasets[0].data.data)
    assert sent[0] != sent[1]
