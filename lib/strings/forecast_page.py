"""Forecast page (app_pages/forecast.py, lib/charts_forecast.py, lib/scenario.py), and the
translations of the plain-language notes lib/forecast attaches to forecasts, backtests and
lifts (keys and placeholders as in lib/forecast/notes.TEMPLATES)."""
from __future__ import annotations

STRINGS: dict[str, tuple[str, str]] = {
    # -- lib/forecast note keys (lib/forecast/notes.py TEMPLATES) -------------------------------
    "forecast.no_history": ("There is no usable history to forecast from; the forecast is empty.",
                            "没有可用于预测的历史数据；预测为空。"),
    "forecast.short_history": (
        "Only {days} days of history ({nonzero} with sales); the full model needs at least "
        "{needed} days with sales over {span} days. Using {method_label} instead.",
        "历史只有 {days} 天（其中 {nonzero} 天有销售）；完整模型至少需要在 {span} 天内有 {needed} 天有销售。"
        "改用{method_label}。"),
    "forecast.constant": (
        "The history does not vary (every day is {value}), so the forecast repeats that value.",
        "历史数据没有变化（每天都是 {value}），因此预测重复该值。"),
    "forecast.all_zero": ("Every day in the history is zero, so the forecast is zero.",
                          "历史中每天都是零，因此预测为零。"),
    "forecast.intermittent": (
        "{share}% of days have no sales, too sparse for a seasonal model; the forecast is the "
        "average of the last {window} days.",
        "{share}% 的日子没有销售，过于稀疏，无法使用季节性模型；预测取最近 {window} 天的平均值。"),
    "forecast.not_daily": (
        "The history is not daily (about one value every {step} days); a daily model would "
        "invent a pattern, so the forecast is the recent average per day.",
        "历史数据不是按日记录（约每 {step} 天一个值）；按日建模会凭空制造规律，因此预测为近期的日均值。"),
    "forecast.outliers_removed": ("{count} unusual day(s) were left out of the fit: {days}.",
                                  "{count} 个异常日未参与拟合：{days}。"),
    "forecast.duplicates_aggregated": ("{count} date(s) appeared more than once; their values were added up.",
                                       "{count} 个日期出现了不止一次；其数值已相加。"),
    "forecast.non_finite_dropped": (
        "{count} value(s) that were not numbers (empty, NaN or infinite) were ignored.",
        "{count} 个非数字的值（空值、NaN 或无穷大）已被忽略。"),
    "forecast.bad_dates_dropped": ("{count} row(s) without a valid date were ignored.",
                                   "{count} 行没有有效日期，已被忽略。"),
    "forecast.timezone_removed": ("Dates carried a time zone; they were read as the local calendar day.",
                                  "日期带有时区；已按当地日历日读取。"),
    "forecast.gap": (
        "The history has {count} gap(s) without data, the longest {days} days ({start} to "
        "{end}); the model skips gaps rather than filling them in.",
        "历史中有 {count} 段没有数据的空缺，最长 {days} 天（{start} 至 {end}）；模型会跳过空缺，而不是填补。"),
    "forecast.closed_weekdays": (
        "There are (almost) never sales on {days}: the shop looks closed then, so those days "
        "are left out of the fit and forecast as zero.",
        "{days}（几乎）从来没有销售：店铺似乎在这些日子休息，因此这些日子不参与拟合，预测为零。"),
    "forecast.special_days_widened": (
        "The band is wider on {names}: their effect is learnt from few past occurrences, and "
        "the band allows for how much they varied.",
        "{names} 的区间更宽：这些日子的影响只能从少数几次历史中学到，区间考虑了它们以往的波动幅度。"),
    "forecast.band_calibrated": (
        "The band is {factor}× Prophet's own: fitted without the last {days} days, the model's "
        "band held fewer of them than its width promises, so it was widened to match.",
        "区间宽度为 Prophet 原始区间的 {factor} 倍：在不含最近 {days} 天的数据上拟合时，模型区间覆盖的天数少于其宽度所承诺的比例，因此相应放宽。"),
    "forecast.floored_at_zero": (
        "Parts of the forecast fell below zero and were set to zero: sales cannot be negative.",
        "部分预测低于零，已设为零：销售不可能为负。"),
    "forecast.engine_failed": (
        "The forecasting engine could not fit this series ({reason}); using {method_label} instead.",
        "预测引擎无法拟合此序列（{reason}）；改用{method_label}。"),
    "forecast.fit_timeout": (
        "The full model took longer than {seconds} seconds to fit and was stopped; using "
        "{method_label} instead.",
        "完整模型拟合超过 {seconds} 秒，已停止；改用{method_label}。"),
    "forecast.implausible": (
        "The full model gave implausible values (up to {value} against a history maximum of "
        "{history_max}); using {method_label} instead.",
        "完整模型给出了不合理的数值（最高 {value}，而历史最大值为 {history_max}）；改用{method_label}。"),
    "forecast.yearly_off": (
        "Less than two years of history ({days} days): yearly seasonality is not modelled.",
        "历史不足两年（{days} 天）：未对年度季节性建模。"),
    "forecast.trend_flat": (
        "Only {days} days of history: the trend is held flat, not extrapolated, until there are "
        "{needed} (a few weeks cannot tell a trend from noise); yearly seasonality is not "
        "modelled either.",
        "历史只有 {days} 天：在达到 {needed} 天之前，趋势保持水平、不做外推（几周的数据分不清趋势和波动）；"
        "也未对年度季节性建模。"),
    "forecast.festival_unseen": (
        "The forecast period includes {names}, which the history does not cover; their effect "
        "is not in the forecast.",
        "预测期包含 {names}，但历史数据未覆盖这些日子；其影响未计入预测。"),
    "forecast.promotions_used": (
        "Discount depth is used as a promotion signal; {count} planned promotion day(s) are in "
        "the forecast period.",
        "折扣深度被用作促销信号；预测期内有 {count} 个计划促销日。"),
    "forecast.no_planned_promotions": (
        "No promotions are planned in the forecast period; the forecast assumes the usual "
        "discount level.",
        "预测期内没有计划的促销；预测假设折扣保持通常水平。"),
    "forecast.horizon_capped": (
        "The horizon was shortened from {asked} to {horizon} days: a forecast cannot reach "
        "further than about the length of its history with {method_label}.",
        "预测天数从 {asked} 天缩短为 {horizon} 天：使用{method_label}时，预测的距离不能超过大约历史的长度。"),
    "backtest.too_short": (
        "Not enough history for a backtest over {horizon} days: it needs at least {needed} days.",
        "历史太短，无法对 {horizon} 天进行回测：至少需要 {needed} 天。"),
    "backtest.folds_reduced": ("Only {folds} backtest window(s) fit in the history (asked for {asked}).",
                               "历史中只容得下 {folds} 个回测窗口（要求 {asked} 个）。"),
    "backtest.mape_partial": ("MAPE leaves out {count} of {total} days whose actual value was near zero.",
                              "MAPE 未计入实际值接近零的 {count} 天（共 {total} 天）。"),
    "backtest.mape_omitted": (
        "MAPE is not shown: most actual values are near zero, where percentages mislead.",
        "不显示 MAPE：大多数实际值接近零，此时百分比会误导。"),
    "backtest.mase_undefined": ("MASE is not shown: the training data does not vary from week to week.",
                                "不显示 MASE：训练数据逐周没有变化。"),
    "backtest.worse_than_baseline": (
        "In the backtest the forecast did worse than repeating the same weekday of the last "
        "week (MASE {mase}); treat it with caution.",
        "回测中，该预测不如直接重复上周同一天的数值（MASE {mase}）；请谨慎使用。"),
    "backtest.promotions_as_planned": (
        "The backtest gives the model the discount depth that actually happened in each test "
        "window, as if it had been planned.",
        "回测把每个测试窗口中实际发生的折扣深度提供给模型，视同事先已计划。"),
    "lift.no_history": ("There is too little history before {start} to estimate what sales would have been.",
                        "{start} 之前的历史太少，无法估计原本的销售情况。"),
    "lift.missing_days": ("{count} day(s) of the promotion window have no data and are not counted.",
                          "促销窗口中有 {count} 天没有数据，未计入。"),
    "lift.unclear": (
        "The range includes zero: the promotion's effect cannot be told apart from normal variation.",
        "区间包含零：促销的效果无法与正常波动区分开。"),
    "lift.placebo": (
        "The range also allows for how far the baseline missed on {count} earlier window(s) of "
        "the same length without a promotion.",
        "区间还考虑了基准在之前 {count} 个相同长度、无促销的窗口上的偏差。"),
    "lift.fallback": ("The baseline uses {method_label}, so the range is rough.",
                      "基准使用{method_label}，因此区间较为粗略。"),
    "lift.festival_unseen": (
        "{names} fell in this window and the history before it never saw it, so the lift "
        "includes the festival's own effect.",
        "窗口内有{names}，而此前的历史从未出现过，因此提升中也包含该节日本身的效果。"),
    "many.tail_allocated": (
        "The {top} largest SKUs have their own model; {count} smaller ones are forecast as their "
        "share of the last {days} days of their category's forecast.",
        "销售额最高的 {top} 个 SKU 各有自己的模型；其余 {count} 个较小的 SKU 按其最近 {days} 天在所属类目中的占比，"
        "从类目预测中分配。"),
    "many.tail_inactive": (
        "{count} smaller SKU(s) sold nothing in the last {days} days and are forecast as zero.",
        "{count} 个较小的 SKU 最近 {days} 天没有销售，预测为零。"),
    "anomalies.no_fit": ("No in-sample fit is available, so no unusual days can be listed.",
                         "没有样本内拟合结果，因此无法列出异常日。"),
    # -- forecast errors the CLI raises (lib/forecast/cli.py) and the what-if error ------------
    "forecast.no_orders": (
        "There are no orders to forecast for this choice (metric, level, key and filters).",
        "当前选择（指标、层级、对象和筛选条件）下没有可预测的订单。"),
    "forecast.bad_country": (
        "There is no public-holiday calendar for “{country}”: use an ISO code like GB, US or CN.",
        "没有“{country}”的公共假日日历：请使用 GB、US 或 CN 这样的 ISO 代码。"),
    "error.no_workspace": ("There is no workspace at this location: check the name and the folder.",
                           "此位置没有工作区：请检查名称和文件夹。"),
    "error.scenario": ("The what-if cannot be applied: {detail}", "无法应用假设情景：{detail}"),
    "scenario.xlsx_too_many_rows": ("{rows} rows do not fit in one Excel sheet: download the CSV.",
                                    "{rows} 行超出一个 Excel 工作表的容量：请下载 CSV。"),
    # -- method names ------------------------------------------------------------------------
    "forecast_page.method.prophet": ("Full model (Prophet)", "完整模型（Prophet）"),
    "forecast_page.method.seasonal_naive": ("Same weekday last week (seasonal naive)", "上周同一天（季节性朴素法）"),
    "forecast_page.method.moving_average": ("Recent average (moving average)", "近期平均值（移动平均）"),
    # the page's card: short enough for its column (the full name is its help)
    "forecast_page.method_short.prophet": ("Full model (Prophet)", "完整模型（Prophet）"),
    "forecast_page.method_short.seasonal_naive": ("Last week's pattern", "上周同日"),
    "forecast_page.method_short.moving_average": ("Recent average", "近期平均值"),
    "forecast_page.method_label.prophet": ("the full model (Prophet)", "完整模型（Prophet）"),
    "forecast_page.method_label.seasonal_naive": (
        "the same weekday of the last week (seasonal naive)", "上周同一天的数值（季节性朴素法）"),
    "forecast_page.method_label.moving_average": ("the recent average (moving average)", "近期平均值（移动平均）"),
    "forecast_page.weekday.0": ("Mondays", "周一"),
    "forecast_page.weekday.1": ("Tuesdays", "周二"),
    "forecast_page.weekday.2": ("Wednesdays", "周三"),
    "forecast_page.weekday.3": ("Thursdays", "周四"),
    "forecast_page.weekday.4": ("Fridays", "周五"),
    "forecast_page.weekday.5": ("Saturdays", "周六"),
    "forecast_page.weekday.6": ("Sundays", "周日"),
    # -- pickers -----------------------------------------------------------------------------
    "forecast_page.intro": (
        "A daily forecast of the chosen figure, with public holidays, shopping festivals and your "
        "promotions. Check its backtest beside the simple baseline before you rely on it.",
        "所选指标的每日预测，考虑公共假日、购物节和您的促销活动。使用前请先对照简单基准查看回测结果。"),
    "forecast_page.no_data": ("No orders for these filters yet. Load an export on the Data page.",
                              "当前筛选条件下没有订单。请先在“数据导入”页面载入导出文件。"),
    "forecast_page.currency": ("Currency", "币种"),
    "forecast_page.currency_help": (
        "A forecast covers the orders in one currency; other currencies are not converted into it.",
        "预测只包含以一种币种计价的订单；其他币种不会换算后计入。"),
    "forecast_page.currency_all": ("All currencies", "全部币种"),
    "forecast_page.currency_help_counts": (
        "Orders and units can be counted across every currency (the default); choose one "
        "currency to forecast only its orders.",
        "订单数和销量可跨所有币种统计（默认）；选择一种币种则只预测以该币种计价的订单。"),
    "forecast_page.metric": ("Forecast", "预测指标"),
    "forecast_page.metric.net_sales": ("Net sales", "净销售额"),
    "forecast_page.metric.orders": ("Orders", "订单数"),
    "forecast_page.metric.units": ("Units sold", "销量（件）"),
    "forecast_page.level": ("Level", "层级"),
    "forecast_page.level.total": ("Whole shop", "全店"),
    "forecast_page.level.channel": ("Channel", "渠道"),
    "forecast_page.level.category": ("Category", "类目"),
    "forecast_page.level.sku": ("SKU", "单品（SKU）"),
    "forecast_page.key": ("Which one", "选择对象"),
    "forecast_page.no_keys": ("Nothing to choose at this level for these filters.",
                              "当前筛选条件下，此层级没有可选对象。"),
    "forecast_page.horizon": ("Days ahead", "预测天数"),
    "forecast_page.days": ("{n} days", "{n} 天"),
    "forecast_page.fitting": ("Fitting the forecast and its backtest…", "正在拟合预测并进行回测…"),
    # -- the forecast ------------------------------------------------------------------------
    "forecast_page.method": ("Method", "预测方法"),
    "forecast_page.history": ("History used", "使用的历史"),
    "forecast_page.history_cut": (
        "The forecast learns from the sidebar's dates, from {start}; the data go back to {first}. "
        "For its fullest history (yearly seasons, last year's festivals), choose “All data” as "
        "the period.",
        "预测只从侧栏所选日期（{start} 起）的数据中学习；数据最早可追溯到 {first}。如需最完整的历史（全年季节性、去年的购物节），"
        "请把时间范围选为“全部数据”。"),
    "forecast_page.holidays": ("Public holidays of", "公共假日所属国家/地区"),
    "forecast_page.no_country": (
        "None: the orders name no country whose public holidays we know (the exports have no "
        "shipping country, or it is not one in the holiday calendar), so no public holidays "
        "are modelled.",
        "无：订单中没有可识别公共假日的国家/地区（导出文件没有收货国家，或该国家不在假日日历中），因此未纳入公共假日。"),
    "forecast_page.notes": ("What the forecast did with your data", "预测如何处理您的数据"),
    "forecast_page.band": (
        "The shaded band is where the forecast expects {pct}% of days to fall; dotted lines mark "
        "shopping festivals and promotions.",
        "阴影区间是预测认为 {pct}% 的日子会落入的范围；点线标出购物节和促销活动。"),
    "forecast_page.chart.actual": ("Actual", "实际"),
    "forecast_page.chart.forecast": ("Forecast", "预测"),
    "forecast_page.chart.baseline": ("Forecast before the what-if", "调整前的预测"),
    "forecast_page.chart.date": ("Date", "日期"),
    "forecast_page.chart.lower": ("Low", "下限"),
    "forecast_page.chart.upper": ("High", "上限"),
    "forecast_page.chart.event": ("Event", "事件"),
    "forecast_page.chart.festival": ("Shopping festival", "购物节"),
    "forecast_page.chart.promotion": ("Promotion", "促销"),
    "forecast_page.unit.orders": ("{value} orders", "{value} 单"),
    "forecast_page.unit.units": ("{value} units", "{value} 件"),
    # -- what-if -----------------------------------------------------------------------------
    "forecast_page.whatif": ("What if…", "假设情景"),
    "forecast_page.whatif_intro": (
        "Move the levers to see the forecast change at once (the model is not refitted). Sales = "
        "traffic × conversion × average order value; orders and units follow traffic and "
        "conversion; an extra discount lowers the price and raises demand by the elasticity.",
        "拖动滑块即可立即看到预测的变化（不会重新拟合模型）。销售额 = 流量 × 转化率 × 客单价；"
        "订单数和销量随流量和转化率变化；额外折扣会降低价格，并按价格弹性提高需求。"),
    "forecast_page.traffic": ("Traffic change (%)", "流量变化（%）"),
    "forecast_page.conversion": ("Conversion rate change (%)", "转化率变化（%）"),
    "forecast_page.aov": ("Average order value change (%)", "客单价变化（%）"),
    "forecast_page.discount": ("Extra discount (% off)", "额外折扣（%）"),
    "forecast_page.elasticity": ("Price elasticity", "价格弹性"),
    "forecast_page.elasticity_help": (
        "How units respond to price: −1.5 means 10 % off sells 15 % more.",
        "销量对价格的反应：−1.5 表示降价 10% 会多卖 15%。"),
    "forecast_page.total_base": ("Forecast total, next {n} days", "未来 {n} 天预测合计"),
    "forecast_page.total_whatif": ("With the what-if", "假设情景下"),
    "forecast_page.factor": ("Change factor", "变化倍数"),
    "forecast_page.download_csv": ("Download the forecast (CSV)", "下载预测（CSV）"),
    "forecast_page.xlsx_cut": (" […cut at Excel's 32,767-character limit]", "［……超出 Excel 单元格 32,767 字符上限，已截断］"),
    "forecast_page.download_xlsx": ("Download the forecast (XLSX)", "下载预测（XLSX）"),
    "forecast_page.sheet": ("Forecast", "预测"),
    "forecast_page.export.date": ("Date", "日期"),
    "forecast_page.export.metric": ("Metric", "指标"),
    "forecast_page.export.level": ("Level", "层级"),
    "forecast_page.export.key": ("Channel, category or SKU", "渠道、类目或 SKU"),
    "forecast_page.export.currency": ("Currency", "币种"),
    "forecast_page.export.forecast": ("Forecast", "预测值"),
    "forecast_page.export.lower": ("Low", "下限"),
    "forecast_page.export.upper": ("High", "上限"),
    "forecast_page.export.baseline": ("Forecast before the what-if", "调整前预测值"),
    # -- backtest ----------------------------------------------------------------------------
    "forecast_page.backtest": ("Would it have forecast the past? (backtest)", "回测：它对过去的预测准不准？"),
    "forecast_page.backtest_intro": (
        "The forecast was refitted on the history up to {folds} earlier cut-offs and compared with "
        "what happened in the next {horizon} days, beside a simple baseline: the same weekday of "
        "the week before.",
        "在 {folds} 个较早的截止日，用截止日之前的历史重新拟合预测，并与随后 {horizon} 天的实际情况比较，"
        "同时与简单基准（上周同一天的数值）对比。"),
    "forecast_page.bt.measure": ("Measure", "指标"),
    "forecast_page.bt.model": ("This forecast", "本预测"),
    "forecast_page.bt.baseline": ("Baseline (same weekday last week)", "基准（上周同一天）"),
    "forecast_page.bt.mae": ("MAE: average miss per day", "MAE：每天平均误差"),
    "forecast_page.bt.relative": ("MAE relative to the baseline", "MAE 与基准之比"),
    "forecast_page.bt.mase": ("MASE: below 1 beats a naive weekly forecast", "MASE：低于 1 表示优于按周朴素预测"),
    "forecast_page.bt.coverage": ("Days inside the {pct}% band", "落在 {pct}% 区间内的天数比例"),
    "forecast_page.bt.mape": ("MAPE: average % miss", "MAPE：平均百分比误差"),
    "forecast_page.bt.better": (
        "In the backtest this forecast missed by {pct}% less than the baseline: it is worth using.",
        "回测中，本预测的误差比基准小 {pct}%：值得参考。"),
    "forecast_page.bt.worse": (
        "In the backtest this forecast missed by {pct}% more than the baseline: prefer the "
        "baseline, or use it with caution.",
        "回测中，本预测的误差比基准大 {pct}%：建议参考基准，或谨慎使用。"),
    "forecast_page.bt.none": (
        "No backtest could be run, so nothing shows yet whether this forecast beats the baseline.",
        "无法进行回测，因此尚不能判断本预测是否优于基准。"),
    # -- promotion lift ----------------------------------------------------------------------
    "forecast_page.lifts": ("What past promotions added (lift)", "以往促销带来的增量（提升）"),
    "forecast_page.lifts_intro": (
        "For each past promotion the model is fitted on the history before it and forecasts its "
        "days as if there had been no promotion; the lift is what happened minus that baseline. "
        "The range allows for the baseline's uncertainty, not for other things that happened at "
        "the same time.",
        "对每个以往的促销，用促销之前的历史拟合模型，并预测假如没有促销时这些天的情况；提升 = 实际 − 该基准。"
        "区间考虑了基准本身的不确定性，但不包括同期发生的其他因素。"),
    "forecast_page.lifts_running": ("Estimating the lift of {n} promotion(s) (a few seconds each, once)…",
                                    "正在估计 {n} 个促销的提升（每个需几秒钟，仅首次计算）…"),
    "forecast_page.no_promotions": (
        "No past promotions for this selection in the promotions calendar. Load one on the Data "
        "page to see what each promotion added.",
        "促销日历中没有与当前选择相关的以往促销。请在“数据导入”页面载入促销日历，以查看每次促销带来的增量。"),
    "forecast_page.lift.name": ("Promotion", "促销"),
    "forecast_page.lift.start": ("From", "开始"),
    "forecast_page.lift.end": ("To", "结束"),
    "forecast_page.lift.actual": ("Actual", "实际"),
    "forecast_page.lift.expected": ("Baseline", "基准预测"),
    "forecast_page.lift.lift": ("Lift", "提升"),
    "forecast_page.lift.low": ("Range from", "区间下限"),
    "forecast_page.lift.high": ("Range to", "区间上限"),
    "forecast_page.lift.pct": ("Lift %", "提升比例"),
    "forecast_page.lift.sentence": ("In words", "说明"),
    "forecast_page.lift.range": ("{low} to {high}", "{low} 至 {high}"),
    "forecast_page.lift.added": ("{name} added {lift} (range {range}) over what the baseline predicts.",
                                 "{name} 比基准预测多带来 {lift}（区间 {range}）。"),
    "forecast_page.lift.below": (
        "{name} came in {lift} below what the baseline predicts (range of the difference {range}).",
        "{name} 比基准预测少 {lift}（差额区间 {range}）。"),
    "forecast_page.lift.unclear": (" The range includes zero, so the effect is not clear.",
                                   "区间包含零，因此效果不明确。"),
    "forecast_page.lift.festival": (" {names} fell in it for the first time, so this includes the festival's own effect.",
                                    "窗口内首次出现{names}，因此其中也包含该节日本身的效果。"),
    "forecast_page.lift.no_history": ("{name}: not enough history before {start} to estimate its lift.",
                                      "{name}：{start} 之前的历史不足，无法估计其提升。"),
}
