"""The Scenarios page on the demo store: save scenarios, compare them on one forecast, delete.

The figures are checked against lib: the page's baseline total is the cached fit's, and each
scenario's total is that times its factor."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lib.forecast.series import ALL_CURRENCIES
from tests.demo_store import demo_copy, edited_demo_copy
from tests.pages.support import APP, shown


@pytest.fixture
def demo_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The demo without its saved scenarios: these tests start from an empty list."""
    folder = tmp_path / "workspaces"
    edited_demo_copy(folder, ("DELETE FROM scenarios", []))
    monkeypatch.setenv("SHOPLENS_WORKSPACES", str(folder))
    return folder


def test_the_demo_opens_on_its_three_scenarios_compared(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A consultant's demo: the Scenarios page shows the demo's saved what-ifs side by side
    at once (sample_data/build_demo.DEMO_SCENARIOS), each total the baseline times its factor:
    +15 % traffic, +8 % conversion, 10 % off at elasticity −1.5 = 0.9 × 1.15."""
    folder = tmp_path / "workspaces"
    demo_copy(folder)
    monkeypatch.setenv("SHOPLENS_WORKSPACES", str(folder))
    at = open_scenarios()
    assert not at.info or at.info[0].value != "No saved scenarios yet: save one above."
    table = shown(at.dataframe[0])
    assert table["Scenario"].tolist() == ["Holiday ad push", "One-page checkout", "Site-wide 10 % off"]
    assert table["Factor"].tolist() == ["× 1.1500", "× 1.0800", "× 1.0350"]
    numbers = at.dataframe[0].value
    base = numbers["Baseline total (CNY)"].iloc[0]
    assert numbers["Scenario total (CNY)"].tolist() == pytest.approx(
        [base * 1.15, base * 1.08, base * 1.035], rel=1e-3)


def open_scenarios() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=180)
    at.session_state["sc_currency"] = "CNY"  # the demo's Taobao shop
    at.run()
    at.switch_page("app_pages/scenarios.py")
    at.run()
    assert not at.exception, at.exception
    return at


def save(at: AppTest, name: str, **levers: float) -> AppTest:
    at.text_input(key="sc_name").set_value(name)
    for key, value in levers.items():
        at.slider(key=f"sc_{key}").set_value(value)
    at.button[0].click()  # the form's submit button comes first
    at.run()
    assert not at.exception, at.exception
    return at


def test_save_compare_and_delete(demo_folder: Path) -> None:
    at = open_scenarios()
    assert at.title[0].value == "Scenarios"
    assert at.info[0].value == "No saved scenarios yet: save one above."
    save(at, "Spring push", traffic=10)
    assert at.success[0].value == "Scenario saved: Spring push."
    save(at, "Deep discount", traffic=0, discount=20)  # the form keeps the last values
    table = shown(at.dataframe[0])
    assert table["Scenario"].tolist() == ["Spring push", "Deep discount"]
    assert table["Factor"].tolist() == ["× 1.1000", "× 1.0400"]  # 1.3 × 0.8 for 20 % off at ε −1.5
    assert table["Change %"].tolist() == ["+10.0%", "+4.0%"]
    numbers = at.dataframe[0].value  # what a click on a header sorts
    base = numbers["Baseline total (CNY)"].iloc[0]
    assert base > 0 and table["Baseline total (CNY)"].iloc[0] == f"{base:,.0f}"
    assert numbers["Scenario total (CNY)"].iloc[0] == pytest.approx(base * 1.1, rel=1e-3, abs=1)
    # A bad name is refused where it was typed; the saved ones stay.
    save(at, "   ")
    assert at.error[0].value == "A scenario needs a name of 1 to 60 printable characters."
    assert at.dataframe[0].value["Scenario"].tolist() == ["Spring push", "Deep discount"]
    # Delete one; a new session (a restart) sees what is left.
    at.selectbox(key="sc_delete_pick").set_value("Spring push")
    at.button(key="sc_delete").click()
    at.run()
    assert at.success[0].value == "Scenario deleted: Spring push."
    again = open_scenarios()
    assert again.dataframe[0].value["Scenario"].tolist() == ["Deep discount"]


def test_the_page_in_chinese(demo_folder: Path) -> None:
    at = open_scenarios()
    at.selectbox(key="lang").set_value("zh").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "情景模拟"
    assert at.info[0].value == "还没有已保存的情景：请在上方保存。"


def test_the_promotion_estimate_sets_the_elasticity_lever_a_scenario_saves(demo_folder: Path) -> None:
    """The Taobao shop's (CNY) past promotions imply an elasticity; 'Use' puts it into the
    lever (rounded to 0.1, within the lever's −4…0), and a scenario saved then carries it."""
    at = open_scenarios()
    assert at.slider(key="sc_elasticity").value == -1.5
    at.button(key="sc_elasticity_resp_run").click()
    at.run()
    assert not at.exception, at.exception
    table = next(d.value for d in at.dataframe if "Implied elasticity" in d.value.columns)
    pooled = -table["Extra units"].sum() / (table["Discount"] / 100 * table["Units without it"]).sum()
    at.button(key="sc_elasticity_resp_use").click()
    at.run()
    assert at.slider(key="sc_elasticity").value == pytest.approx(max(-4.0, round(pooled, 1)))
    save(at, "Promotion response")
    compared = next(d.value for d in at.dataframe if "Scenario" in d.value.columns)
    assert compared.loc[compared["Scenario"] == "Promotion response", "Price elasticity"].iloc[0] == \
        pytest.approx(max(-4.0, round(pooled, 1)))


def test_units_scenarios_count_every_currency_money_needs_one(demo_folder: Path) -> None:
    at = open_scenarios()  # net sales in CNY
    assert at.selectbox(key="sc_currency").options == ["CNY", "USD"]
    at.selectbox(key="sc_metric").set_value("units").run()
    assert not at.exception and not at.error
    picker = at.selectbox(key="sc_currency")
    assert picker.options == ["All currencies", "CNY", "USD"] and picker.value == "CNY"  # kept
    picker.set_value(ALL_CURRENCIES).run()
    assert not at.exception and not at.error
    assert at.selectbox(key="sc_currency").value == ALL_CURRENCIES
    at.selectbox(key="sc_metric").set_value("net_sales").run()  # money: one currency again
    assert not at.exception and at.selectbox(key="sc_currency").options == ["CNY", "USD"]
