"""Scenarios page (app_pages/scenarios.py, lib/scenarios.py)."""
from __future__ import annotations

STRINGS: dict[str, tuple[str, str]] = {
    "scenarios.intro": (
        "Name a set of levers, save it, and compare saved scenarios side by side on one forecast "
        "(total of the chosen metric over the horizon). The levers multiply the fitted forecast; "
        "nothing is refitted.",
        "为一组杠杆命名并保存，然后在同一预测上并排比较已保存的情景（所选指标在预测期内的合计）。"
        "杠杆按倍数作用于已拟合的预测，不会重新拟合。"),
    "scenarios.new": ("Save a scenario", "保存情景"),
    "scenarios.name": ("Name", "名称"),
    "scenarios.note": ("What it assumes (optional)", "假设说明（可选）"),
    "scenarios.save": ("Save scenario", "保存情景"),
    "scenarios.saved": ("Scenario saved: {name}.", "已保存情景：{name}。"),
    "scenarios.deleted": ("Scenario deleted: {name}.", "已删除情景：{name}。"),
    "scenarios.bad_name": ("A scenario needs a name of 1 to {max} printable characters.",
                           "情景名称须为 1 至 {max} 个可打印字符。"),
    "scenarios.none": ("No saved scenarios yet: save one above.", "还没有已保存的情景：请在上方保存。"),
    "scenarios.compare": ("Compare", "比较"),
    "scenarios.pick": ("Scenarios to compare", "要比较的情景"),
    "scenarios.delete": ("Delete a scenario", "删除情景"),
    "scenarios.delete_button": ("Delete", "删除"),
    "scenarios.baseline": ("Baseline forecast", "基准预测"),
    "scenarios.chart_title": ("Forecast per scenario", "各情景预测"),
    "scenarios.download_report": ("Download the report (HTML)", "下载报告（HTML）"),
    "scenarios.report_title": ("Scenario comparison", "情景比较"),
    "scenarios.report_subtitle": (
        "{metric}, next {n} days from {start}, currency {currency}; baseline total {baseline}.",
        "{metric}，自 {start} 起未来 {n} 天，币种 {currency}；基准合计 {baseline}。"),
    "scenarios.report_footer": ("Made with Shoplens on {date}.", "由 Shoplens 于 {date} 生成。"),
    "scenarios.report.band": (
        "Each line is a scenario's daily forecast; the shaded band is where the baseline forecast "
        "expects {pct}% of days to fall.",
        "每条线是一个情景的每日预测；阴影区间是基准预测认为 {pct}% 的日子会落入的范围。"),
    "scenarios.report.table": ("Scenarios side by side", "情景并排比较"),
    "scenarios.report.levers": (
        "Levers in %: traffic, conversion, average order value, extra discount; the elasticity is "
        "the % change in units per 1 % change in price. A factor of 1.10 means 10 % more than "
        "the baseline over the whole horizon.",
        "杠杆单位为 %：流量、转化率、客单价、额外折扣；弹性指价格每变动 1% 时销量变动的百分比。"
        "倍数 1.10 表示整个预测期比基准多 10%。"),
    "scenarios.report.note": ("{name}: {note}", "{name}：{note}"),
    "scenarios.report.outcome": ("What each scenario adds", "各情景带来的变化"),
    "scenarios.report.assumptions": ("What the forecast assumes", "预测的前提"),
    "scenarios.report.method": (
        "Method: {method}; history used: {days} days; public holidays of: {holidays}.",
        "预测方法：{method}；使用的历史：{days} 天；公共假日所属国家/地区：{holidays}。"),
    "scenarios.report.demand_model": (
        "The scenarios scale the fitted forecast; nothing is refitted. Sales = traffic × "
        "conversion × average order value; orders and units follow traffic and conversion; an "
        "extra discount lowers the price and raises demand by the elasticity.",
        "情景按倍数调整已拟合的预测，不会重新拟合。销售额 = 流量 × 转化率 × 客单价；订单数和销量随"
        "流量和转化率变化；额外折扣会降低价格，并按价格弹性提高需求。"),
    "scenarios.col.scenario": ("Scenario", "情景"),
    "scenarios.col.factor": ("Factor", "倍数"),
    "scenarios.col.baseline": ("Baseline total", "基准合计"),
    "scenarios.col.total": ("Scenario total", "情景合计"),
    "scenarios.col.change": ("Change", "变化"),
    "scenarios.col.change_pct": ("Change %", "变化 %"),
    "scenarios.col.note": ("Assumes", "假设"),
}
