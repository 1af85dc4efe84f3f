"""lib.chart_validation: Altair's schema check is skipped inside `unvalidated()`, in that
thread only, and comes back afterwards (also after an error, and when nested)."""
from __future__ import annotations

import threading

import altair as alt
import pandas as pd
import pytest
from altair.utils.schemapi import SchemaValidationError

from lib.chart_validation import unvalidated


def invalid_chart() -> alt.Chart:
    chart = alt.Chart(pd.DataFrame({"a": [1]})).mark_bar().encode(x="a:Q")
    chart["mark"] = {"type": "no-such-mark"}  # item assignment is not validated; to_dict is
    return chart


def test_the_check_is_skipped_inside_and_only_inside() -> None:
    chart = invalid_chart()
    with pytest.raises(SchemaValidationError):
        chart.to_dict()
    with unvalidated():
        assert chart.to_dict()["mark"] == {"type": "no-such-mark"}
        with unvalidated():
            chart.to_dict()
        chart.to_dict()  # still skipped after the inner block ends
    with pytest.raises(SchemaValidationError):
        chart.to_dict()


def test_an_error_inside_does_not_leave_the_check_off() -> None:
    with pytest.raises(RuntimeError), unvalidated():
        raise RuntimeError("drawing failed")
    with pytest.raises(SchemaValidationError):
        invalid_chart().to_dict()


def test_other_threads_keep_validating_meanwhile() -> None:
    inside, done = threading.Event(), threading.Event()
    outcome: list[str] = []

    def drawing() -> None:
        with unvalidated():
            inside.set()
            done.wait(10)

    def other() -> None:
        inside.wait(10)
        try:
            invalid_chart().to_dict()
            outcome.append("not validated")
        except SchemaValidationError:
            outcome.append("validated")
        finally:
            done.set()

    threads = [threading.Thread(target=drawing), threading.Thread(target=other)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert outcome == ["validated"]
