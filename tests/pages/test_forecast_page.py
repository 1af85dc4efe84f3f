"""The Forecast page on the demo store (built once per test session, ~13 s).

The tests pick the demo's CNY orders (the Taobao shop), with the page's defaults: net sales,
whole shop, 28 days. The page's figures are checked against lib/forecast run directly on the
same inputs (the same assembly as `python -m lib.cli forecast`). The tests share one set of
cached fits (Streamlit caches are cleared per module here, not per test), so only the first
page run pays for the fits (~20 s, of which ~15 s are the 11 promotion lifts).
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import lib.forecast.backtest
import lib.forecast.lift
import lib.forecast.pool
import ui.forecast_cache
from lib.forecast.backtest import BacktestResult, backtest
from lib.forecast.festivals import default_festivals, display_name
from lib.forecast.lift import money
from lib.forecast.model import ForecastResult, fit_forecast
from lib.forecast.series import ALL_CURRENCIES, daily_frame, planned_promotions, series_channels, shop_markets
from lib.workspace import open_workspace
from tests.demo_store import demo_copy
from tests.pages.support import APP, shown



@dataclass(frozen=True)
class Demo:
    folder: Path
    result: ForecastResult        # lib's forecast for the page's default selection
    bt: BacktestResult            # and its backtest
    promotions: list[str]         # the demo's past Taobao (CNY) promotions, in date order
    units: dict[str, float]       # units sold in the history: CNY orders, USD orders, all


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    root = tmp_path_factory.mktemp("forecast_page")
    folder = root / "workspaces"
    folder.mkdir()
    demo_copy(folder)  # the suite's shared demo build (tests/demo_store.py)
    ws = open_workspace(folder / "demo.duckdb", create=False)
    try:  # closed before the app opens the file
        frame = daily_frame(ws, currency="CNY")
        markets = shop_markets(ws, currency="CNY")
        calendar = planned_promotions(ws, series_channels(ws, currency="CNY"))
        units = {c: float(daily_frame(ws, currency=c)["units"].sum()) for c in ("CNY", "USD", ALL_CURRENCIES)}
    finally:
        ws.close()
    series = frame[["ds", "net_sales"]].rename(columns={"net_sales": "y"})
    args = dict(country=markets[0], festivals=default_festivals(markets), promotions=frame[["ds", "promo_depth"]],
                future_promotions=calendar)
    result = fit_forecast(series, 28, **args)
    bt = backtest(series, 28, folds=4, **args)
    past = calendar[calendar["end"] <= frame["ds"].max()].sort_values("start")
    return Demo(folder, result, bt, past["name"].tolist(), units)


@pytest.fixture(autouse=True)
def clean_streamlit_caches() -> Iterator[None]:
    """Overrides tests/pages/conftest.py's per-test clearing: these tests share the cached fits."""
    yield


@pytest.fixture(scope="module", autouse=True)
def module_caches() -> Iterator[None]:
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()  # also closes the demo workspace


@pytest.fixture(autouse=True)
def demo_workspaces(demo: Demo, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHOPLENS_WORKSPACES", str(demo.folder))


def open_forecast() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=180)
    at.session_state["fc_currency"] = "CNY"  # the Taobao shop (the sidebar's default may be USD)
    at.run()
    at.switch_page("app_pages/forecast.py")
    at.run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def amount(text: str) -> float:
    return float(re.sub(r"[^\d.]", "", text))


def test_the_page_shows_the_method_and_the_backtest_lib_computes(demo: Demo) -> None:
    at = open_forecast()
    assert at.title[0].value == "Forecast"
    assert at.selectbox(key="fc_currency").options == ["CNY", "USD"]
    m = metrics(at)
    assert demo.result.method == "prophet"
    assert m["Method"] == "Full model (Prophet)"
    assert m["Public holidays of"] == "Mainland China (CN)"
    assert m["Forecast total, next 28 days"] == money(float(demo.result.forecast["yhat"].sum()), "CNY")
    table = at.dataframe[0].value
    assert list(table.columns) == ["Measure", "This forecast", "Baseline (same weekday last week)"]
    bt = demo.bt
    print(f"\ndemo CNY net sales, 28 days, 4 folds: MAE {bt.mae:,.2f} vs baseline {bt.baseline_mae:,.2f}, "
          f"MASE {bt.mase:.3f}, coverage {bt.coverage:.3f}, MAPE {bt.mape}")
    assert table.values.tolist() == [
        ["MAE: average miss per day", money(bt.mae, "CNY"), money(bt.baseline_mae, "CNY")],
        ["MAE relative to the baseline", f"{bt.mae / bt.baseline_mae:.2f}", "1.00"],
        ["MASE: below 1 beats a naive weekly forecast", f"{bt.mase:.3f}", "—"],
        ["Days inside the 80% band", f"{bt.coverage * 100:.1f}%", "—"],
        ["MAPE: average % miss", f"{bt.mape:.1f}%", "—"],
    ]
    # The demo's Taobao shop beats the seasonal-naive baseline, and the page says so.
    assert bt.mase is not None and bt.mase < 1 and bt.mae < bt.baseline_mae
    assert len(bt.folds) == 4
    assert at.success[0].value.startswith("In the backtest this forecast missed by ")
    captions = [c.value for c in at.caption]
    assert any(c.startswith("The forecast was refitted on the history up to 4 earlier cut-offs") for c in captions)


@pytest.fixture
def fit_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts every fit_forecast call: the page's forecast, backtest folds and lifts, all in
    this process (the shared pool reads as broken, so they are fitted here)."""
    calls: list[int] = []
    monkeypatch.setattr(lib.forecast.pool, "map_in_pool", lambda func, jobs, chunksize=1: None)
    real = ui.forecast_cache.fit_forecast

    def spy(*args: object, **kwargs: object) -> ForecastResult:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    for module in (ui.forecast_cache, lib.forecast.backtest, lib.forecast.lift):
        monkeypatch.setattr(module, "fit_forecast", spy)
    return calls


def test_levers_rescale_the_cached_forecast_without_refitting(demo: Demo, fit_calls: list[int]) -> None:
    at = open_forecast()
    before = len(fit_calls)
    base = float(demo.result.forecast["yhat"].sum())
    what_if = lambda: next(m for m in at.metric if m.label == "With the what-if")  # noqa: E731
    assert what_if().delta == ""  # untouched levers: no arrow over '+0.0%'
    at.slider(key="fc_traffic").set_value(10).run()
    assert not at.exception
    assert what_if().delta == "+10.0%"
    m = metrics(at)
    assert m["Forecast total, next 28 days"] == money(base, "CNY")
    assert m["With the what-if"] == money(base * 1.10, "CNY")      # revenue × 1.10
    assert m["Change factor"] == "× 1.1000"
    at.slider(key="fc_discount").set_value(10).run()                  # elasticity −1.5 by default
    m = metrics(at)
    # 1.10 traffic × 0.90 price × (1 + 1.5 × 0.10) extra demand = 1.1385
    assert m["With the what-if"] == money(base * 1.1385, "CNY")
    assert m["Change factor"] == "× 1.1385"
    assert amount(m["With the what-if"]) / amount(m["Forecast total, next 28 days"]) == pytest.approx(1.1385, abs=1e-5)
    at.slider(key="fc_elasticity").set_value(0.0).run()               # no price response: × 1.10 × 0.90
    assert metrics(at)["Change factor"] == "× 0.9900"
    assert len(fit_calls) == before                                   # no lever refitted anything
    at.select_slider(key="fc_horizon").set_value(14).run()            # a new horizon does (the spy works):
    assert len(fit_calls) - before == 1 + 4                           # the forecast and four backtest folds
    assert "Forecast total, next 14 days" in metrics(at)
    assert not at.exception


def test_the_lift_table_lists_the_demo_promotions(demo: Demo) -> None:
    at = open_forecast()
    lifts = at.dataframe[1].value  # numbers: a click on Lift ranks the promotions
    assert lifts.columns[0] == "Promotion" and "Lift (CNY)" in lifts.columns
    assert lifts["Promotion"].tolist() == demo.promotions
    assert len(demo.promotions) == 11 and demo.promotions[0] == "双11 店铺满减 2023"
    for lift, sentence in zip(lifts["Lift (CNY)"], lifts["In words"]):
        # the sentence says the same amount, with its currency: 'added CNY 1,234 (range …'
        words = re.search(r"(added|came in) CNY ([\d,]+)", sentence)
        assert words and amount(words[2]) == abs(lift), (lift, sentence)
    first = lifts.iloc[0]
    assert first["Actual (CNY)"] - first["Baseline (CNY)"] == pytest.approx(first["Lift (CNY)"], abs=1.5)
    assert shown(at.dataframe[1])["Lift (CNY)"].iloc[0] == f"{first['Lift (CNY)']:,.0f}"


def test_units_can_count_every_currency(demo: Demo, monkeypatch: pytest.MonkeyPatch) -> None:
    """Units need no currency: 'All currencies' is offered (and is the default when nothing
    else was chosen); the forecast then reads the units of both shops, CNY and USD."""
    seen: list[tuple[str, str | None, float]] = []
    real = ui.forecast_cache.load_inputs

    def spy(ws, metric, level, key, filters, currency=None):  # type: ignore[no-untyped-def]
        inputs = real(ws, metric, level, key, filters, currency)
        seen.append((metric, currency, float(inputs.series["y"].sum())))
        return inputs

    monkeypatch.setattr(ui.forecast_cache, "load_inputs", spy)
    # Not what this test is about, and 11 promotions × 4 fits for each of its three series
    # (~50 s): the lift table has its own tests above.
    monkeypatch.setattr(ui.forecast_cache, "lifts", lambda inputs: [])
    at = AppTest.from_file(str(APP), default_timeout=180)
    at.session_state["fc_metric"] = "units"  # no currency chosen yet
    at.run()
    at.switch_page("app_pages/forecast.py")
    at.run()
    assert not at.exception and not at.error
    picker = at.selectbox(key="fc_currency")
    assert picker.options == ["All currencies", "CNY", "USD"] and picker.value == ALL_CURRENCIES
    assert seen[-1] == ("units", ALL_CURRENCIES, demo.units[ALL_CURRENCIES])
    assert demo.units[ALL_CURRENCIES] == demo.units["CNY"] + demo.units["USD"]
    assert "Forecast total, next 28 days" in metrics(at)
    picker.set_value("USD").run()
    assert seen[-1] == ("units", "USD", demo.units["USD"])  # one shop's orders only
    at.selectbox(key="fc_metric").set_value("net_sales").run()  # money: back to one currency
    assert at.selectbox(key="fc_currency").options == ["CNY", "USD"]
    assert seen[-1][:2] == ("net_sales", "USD")


def test_chinese_shows_chinese_labels(demo: Demo) -> None:
    at = open_forecast()
    at.selectbox(key="lang").set_value("zh").run()
    assert not at.exception
    assert at.title[0].value == "预测"
    assert at.selectbox(key="fc_metric").label == "预测指标"
    assert at.slider(key="fc_traffic").label == "流量变化（%）"
    m = metrics(at)
    assert m["预测方法"] == "完整模型（Prophet）"
    assert m["公共假日所属国家/地区"] == "中国大陆（CN）"
    assert "未来 28 天预测合计" in m
    assert list(at.dataframe[0].value.columns) == ["指标", "本预测", "基准（上周同一天）"]
    assert at.dataframe[1].value.columns[0] == "促销"
    assert at.dataframe[1].value["说明"].iloc[0].startswith("双11 店铺满减 2023 比基准预测多带来 CNY ")
    assert at.subheader[0].value == "假设情景"
    # Holidays the notes name (the Chinese shop's public holidays and festivals) in Chinese.
    named = [h for n in demo.result.notes for h in str(n.params.get("holidays", "")).split("|") if h]
    assert named, [n.key for n in demo.result.notes]
    notes = at.info[0].value
    assert all(display_name(h, "zh") in notes and display_name(h, "zh") != h for h in named), (named, notes)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_empty_workspace_points_to_the_data_page(workspaces: Path, lang: str) -> None:
    at = open_forecast()
    at.selectbox(key="lang").set_value(lang).run()
    assert not at.exception
    assert [i.value for i in at.info] == [
        {"en": "No orders for these filters yet. Load an export on the Data page.",
         "zh": "当前筛选条件下没有订单。请先在“数据导入”页面载入导出文件。"}[lang]]
    assert not at.dataframe and not at.metric


def test_a_short_sidebar_period_is_named_as_the_forecasts_history(demo: Demo) -> None:
    """The forecast learns from the sidebar's dates; a period that leaves older data out says
    so (a 'Last 30 days' chosen for the Overview starves the model)."""
    from datetime import date

    at = open_forecast()
    cut = [c.value for c in at.caption if "learns from the sidebar's dates" in c.value]
    assert cut == []  # all data: nothing left out
    at.date_input[0].set_value((date(2025, 11, 1), date(2025, 11, 30))).run()
    assert not at.exception
    cut = [c.value for c in at.caption if "learns from the sidebar's dates" in c.value]
    assert cut == ["The forecast learns from the sidebar's dates, from 2025-11-01; the data go back to "
                   "2023-10-01. For its fullest history (yearly seasons, last year's festivals), choose "
                   "“All data” as the period."]
    assert metrics(at)["History used"] == "30 days"


@pytest.mark.parametrize("lang, short, full", [
    ("en", "Recent average", "Recent average (moving average)"),
    ("zh", "近期平均值", "近期平均值（移动平均）"),
])
def test_a_sparse_real_shop_names_its_method_in_a_card_that_fits(
        workspaces: Path, tmp_path: Path, lang: str, short: str, full: str) -> None:
    """Seezona's export: 74 % of days without a sale, so the recent average. Its card read
    '近期平均值（移动平…' (cut at the column's width); the card names it short, the help in full."""
    from tests.pages.metrics_support import real_workspace

    real_workspace("seezona", tmp_path, workspaces)
    at = open_forecast()
    at.selectbox(key="lang").set_value(lang).run()
    assert not at.exception
    [method] = [m for m in at.metric if m.label in ("Method", "预测方法")]
    assert (method.value, method.proto.help) == (short, full)


def test_a_shop_without_a_country_says_why_no_holidays_are_modelled(workspaces: Path, tmp_path: Path) -> None:
    """CDNOW's purchases name no country: the card read '—' with '—' as its help."""
    from tests.pages.metrics_support import real_workspace

    real_workspace("cdnow", tmp_path, workspaces)
    at = open_forecast()
    assert not at.exception
    [card] = [m for m in at.metric if m.label == "Public holidays of"]
    assert card.value == "—"
    assert card.proto.help.startswith("None: the orders name no country whose public holidays we know")
