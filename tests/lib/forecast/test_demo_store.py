"""The demo store (sample_data): the generator knows the truth, so test against it.

- 11.11 of 2025 on the Taobao channel (CNY) is forecast within its interval from the history
  up to 2025-10-31, with the festival calendar and the planned promotions.
- The lift of the generator's clean promotions (no festival or other promotion within two
  weeks) is recovered within its range (truth: `true_incremental_net_revenue`).
"""
from __future__ import annotations

from collections.abc import Iterator

import pytest

from lib.forecast.festivals import default_festivals
from lib.forecast.lift import promotion_lift
from lib.forecast.model import fit_forecast
from lib.forecast.series import daily_frame, planned_promotions, series_channels, shop_markets
from lib.workspace import Workspace, open_workspace


pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Workspace, dict]]:
    from tests.demo_store import demo as shared_demo, demo_copy

    ws = open_workspace(demo_copy(tmp_path_factory.mktemp("demo")), create=False)
    yield ws, shared_demo()[1]
    ws.close()


def test_the_2025_double_11_peak_is_inside_the_forecast_interval(demo: tuple[Workspace, dict]) -> None:
    ws, _ = demo
    frame = daily_frame(ws, currency="CNY")
    markets = shop_markets(ws, currency="CNY")
    assert markets == ("CN",)
    plan = planned_promotions(ws, series_channels(ws, currency="CNY"))
    hist = frame[frame["ds"] <= "2025-10-31"]
    res = fit_forecast(hist[["ds", "net_sales"]].rename(columns={"net_sales": "y"}), 28, country="CN",
                       festivals=default_festivals(markets), promotions=hist[["ds", "promo_depth"]],
                       future_promotions=plan)
    assert res.method == "prophet" and res.info["yearly_seasonality"] is True
    day = res.forecast.set_index("ds").loc["2025-11-11"]
    actual = float(frame.set_index("ds").loc["2025-11-11", "net_sales"])
    typical = float(hist["net_sales"].tail(28).median())
    print(f"\n11.11 2025 (CNY net sales): actual {actual:,.0f}; forecast {day.yhat:,.0f} "
          f"({day.yhat_lower:,.0f}–{day.yhat_upper:,.0f}); a typical October day {typical:,.0f}")
    assert day.yhat_lower <= actual <= day.yhat_upper
    assert day.yhat > 3 * typical                   # the peak is forecast, not just a wide band
    assert "forecast.promotions_used" in res.note_keys


def test_clean_promotions_lift_is_recovered_within_its_range(demo: tuple[Workspace, dict]) -> None:
    ws, truth = demo
    frames = {c: daily_frame(ws, currency=c) for c in ("USD", "CNY")}
    markets = {c: shop_markets(ws, currency=c) for c in frames}
    rows = []
    for p in truth["promotions"]:
        f = frames[p["currency"]]
        if not p["clean_window"] or (f["ds"] < p["start_date"]).sum() < 180:
            continue
        r = promotion_lift(f[["ds", "net_sales"]].rename(columns={"net_sales": "y"}), p["start_date"],
                           p["end_date"], name=p["name"], currency=p["currency"], country=markets[p["currency"]][0],
                           festivals=default_festivals(markets[p["currency"]]),
                           promotions=f[["ds", "promo_depth"]])
        t = p["true_incremental_net_revenue"]
        rows.append((p["promo_id"], t, r.lift, r.lift_lower, r.lift_upper, r.lift_lower <= t <= r.lift_upper))
        print(f"{p['promo_id']} {p['name']}: truth {t:,.0f}, lift {r.lift:,.0f} "
              f"({r.lift_lower:,.0f} to {r.lift_upper:,.0f}) {'inside' if rows[-1][-1] else 'OUTSIDE'}")
    assert len(rows) >= 5
    inside = sum(r[-1] for r in rows)
    assert inside >= len(rows) - 1            # an 80 % range may miss one in five
    summer = next(r for r in rows if r[0] == "P05")  # Iced Tea Summer 2024: mid-year, far from any festival
    assert summer[-1] and summer[2] == pytest.approx(summer[1], rel=0.25)
