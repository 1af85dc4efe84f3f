"""Pricing & promotions page (app_pages/pricing.py, lib/pricing.py, lib/charts_pricing.py)."""
from __future__ import annotations

STRINGS: dict[str, tuple[str, str]] = {
    # -- frame ----------------------------------------------------------------------------------
    "pricing.intro": (
        "What each discount code brought, what a price change would do, and how much more a "
        "discount has to sell to pay for itself. Gross sales = unit price × quantity before "
        "discounts; discounts = what codes and promotions took off; average order value (AOV) = "
        "(gross sales − discounts) ÷ orders. Cancelled and test orders are left out.",
        "各优惠码带来了什么、调价会产生什么影响，以及折扣需要多卖多少才能保本。总销售额 = 单价 × 数量"
        "（折扣前）；折扣 = 优惠码和促销活动减免的金额；客单价 = （总销售额 − 折扣）÷ 订单数。"
        "不含已取消和测试订单。"),
    "pricing.scope": ("Orders from {period}; money in {currency}.",
                      "订单日期 {period}；金额币种 {currency}。"),
    "pricing.excluded": (
        "Orders in {currencies} are left out: they cannot be shown in {currency}. Enter exchange "
        "rates in the sidebar to include them.",
        "以 {currencies} 计价的订单未计入：无法换算为 {currency}。请在侧边栏填写汇率以纳入这些订单。"),
    # -- discount codes -------------------------------------------------------------------------
    "pricing.codes.title": ("Discount codes", "优惠码"),
    "pricing.codes.chart_top": ("The chart shows the {shown} codes used most; the table lists all {total}.",
                                "图中显示使用最多的 {shown} 个优惠码；表格列出全部 {total} 个。"),
    "pricing.codes.caption": (
        "Orders grouped by the discount code they were placed with, as the platform exported it. "
        "Discount rate = discounts ÷ gross sales; AOV vs. no code compares each code's AOV with "
        "orders placed without a code; refund rate = share of orders later refunded (in part or "
        "in full); first-order share = share of orders that were the customer's first.",
        "按下单时使用的优惠码（以平台导出为准）对订单分组。折扣率 = 折扣 ÷ 总销售额；"
        "客单价对比无码 = 该优惠码订单的客单价相对未使用优惠码订单的差异；退款率 = 之后发生退款"
        "（部分或全部）的订单占比；首单占比 = 属于客户首次下单的订单占比。"),
    "pricing.codes.no_code": ("(no code)", "（未使用优惠码）"),
    "pricing.codes.none": (
        "No discount codes were used in this period: every order was placed without one.",
        "此期间没有使用任何优惠码：所有订单均未使用优惠码。"),
    "pricing.codes.download": ("Download the discount-code table (CSV)", "下载优惠码表（CSV）"),
    "pricing.codes.lift": (
        "Whether a promotion lifted sales above what was expected is measured on the Forecast "
        "page (promotion lift).",
        "促销是否让销售额高于预期，请在“预测”页面查看（促销提升）。"),
    "pricing.col.code": ("Discount code", "优惠码"),
    "pricing.col.orders": ("Orders", "订单数"),
    "pricing.col.order_share": ("Share of orders", "订单占比"),
    "pricing.col.customers": ("Customers", "客户数"),
    "pricing.col.first_order_share": ("First-order share", "首单占比"),
    "pricing.col.gross": ("Gross sales", "总销售额"),
    "pricing.col.discounts": ("Discounts", "折扣金额"),
    "pricing.col.discount_rate": ("Discount rate", "折扣率"),
    "pricing.col.net": ("Net sales", "净销售额"),
    "pricing.col.aov": ("AOV", "客单价"),
    "pricing.col.aov_vs_no_code": ("AOV vs. no code", "客单价对比无码"),
    "pricing.col.refund_rate": ("Refund rate", "退款率"),
    "pricing.col.currency": ("Currency", "币种"),
    "pricing.chart.aov": ("Average order value ({currency})", "客单价（{currency}）"),
    "pricing.chart.no_code_aov": ("AOV without a code", "未使用优惠码的客单价"),
    "pricing.chart.kind": ("Orders", "订单"),
    "pricing.chart.with_code": ("with a code", "使用优惠码"),
    "pricing.chart.without_code": ("without a code", "未使用优惠码"),
    # -- price what-if --------------------------------------------------------------------------
    "pricing.whatif.title": ("Price what-if", "调价模拟"),
    "pricing.whatif.caption": (
        "Change the price of one product, or of all of them, and see units, revenue and margin "
        "for the same period had the price been different. Revenue = price × units; margin = "
        "(price − unit cost) × units.",
        "调整单个商品或全部商品的价格，查看在同一期间内若价格不同，销量、销售额和毛利会如何变化。"
        "销售额 = 价格 × 销量；毛利 = （价格 − 单位成本）× 销量。"),
    "pricing.whatif.product": ("Product", "商品"),
    "pricing.whatif.all": ("All products", "全部商品"),
    "pricing.whatif.change": ("Price change (%)", "价格变动（%）"),
    "pricing.whatif.elasticity": ("Price elasticity", "价格弹性"),
    "pricing.whatif.elasticity_help": (
        "The % change in units for a 1 % change in price (0 or below).",
        "价格每变动 1% 时销量变动的百分比（0 或负数）。"),
    "pricing.whatif.elasticity_caption": (
        "Price elasticity: −1.5 (the default) means 10 % off sells 15 % more units and 10 % more "
        "sells 15 % fewer; 0 means units do not respond to price. Units never fall below zero.",
        "价格弹性：−1.5（默认值）表示降价 10% 多卖 15%，涨价 10% 少卖 15%；0 表示销量不随价格变化。"
        "销量最低为零。"),
    "pricing.whatif.units": ("Units after", "调价后销量"),
    "pricing.whatif.revenue": ("Revenue after", "调价后销售额"),
    "pricing.whatif.margin": ("Margin after", "调价后毛利"),
    "pricing.whatif.before": (
        "Before the change: {units} units, revenue {revenue}, margin {margin}.",
        "调价前：销量 {units}，销售额 {revenue}，毛利 {margin}。"),
    "pricing.whatif.no_cost": (
        "{product} has no unit cost, so its margin cannot be computed. Add unit costs to the "
        "product catalogue to see it.",
        "{product} 没有单位成本，无法计算毛利。请在商品资料中补充单位成本。"),
    "pricing.whatif.some_uncosted": (
        "{n} product(s) have no unit cost: their margin is left out of the margin totals.",
        "有 {n} 个商品没有单位成本：毛利合计中不包含这些商品。"),
    "pricing.whatif.no_products": (
        "No product lines for these filters: there is nothing to reprice.",
        "当前筛选条件下没有商品明细：无可调价的商品。"),
    "pricing.whatif.total": ("Total", "合计"),
    "pricing.wcol.product": ("Product", "商品"),
    "pricing.wcol.price": ("Average price", "平均价格"),
    "pricing.wcol.unit_cost": ("Unit cost", "单位成本"),
    "pricing.wcol.units": ("Units", "销量"),
    "pricing.wcol.units_after": ("Units after", "调价后销量"),
    "pricing.wcol.revenue": ("Revenue", "销售额"),
    "pricing.wcol.revenue_after": ("Revenue after", "调价后销售额"),
    "pricing.wcol.margin": ("Margin", "毛利"),
    "pricing.wcol.margin_after": ("Margin after", "调价后毛利"),
    "pricing.wcol.margin_change": ("Margin change", "毛利变化"),
    # -- break-even -----------------------------------------------------------------------------
    "pricing.be.title": ("Break-even volume of a discount", "折扣的盈亏平衡销量"),
    "pricing.be.caption": (
        "How many more units a discount must sell to earn the same margin as before: extra "
        "volume = discount ÷ (margin rate − discount). A discount as large as the margin rate "
        "can never pay for itself.",
        "折扣需要多卖多少件才能赚到与之前相同的毛利：所需增量 = 折扣率 ÷（毛利率 − 折扣率）。"
        "折扣率不低于毛利率时，再多的销量也无法弥补。"),
    "pricing.be.discount": ("Discount (%)", "折扣率（%）"),
    "pricing.be.margin": ("Margin rate (%)", "毛利率（%）"),
    "pricing.be.margin_help": ("Margin ÷ revenue before the discount; edit it to try another.",
                               "折扣前的毛利 ÷ 销售额；可修改以尝试其他数值。"),
    "pricing.be.from_product": ("Margin rate of {product} in this period: {rate}.",
                                "{product} 在此期间的毛利率：{rate}。"),
    "pricing.be.from_shop": ("The shop's margin rate in this period (products with a unit cost): "
                             "{rate}.",
                             "本店在此期间的毛利率（有单位成本的商品）：{rate}。"),
    "pricing.be.no_cost": (
        "No unit costs are loaded, so the margin rate is a guess ({rate}): enter yours.",
        "尚未载入单位成本，毛利率为估计值（{rate}）：请填写实际毛利率。"),
    "pricing.be.extra": ("Extra volume needed", "所需销量增幅"),
    "pricing.be.result": (
        "With a {discount} discount at a {margin} margin rate, you need {extra} more units to "
        "earn the same margin.",
        "毛利率为 {margin} 时优惠 {discount}，需要多卖 {extra} 的销量才能保持毛利不变。"),
    "pricing.be.never": (
        "A {discount} discount takes the whole margin ({margin}): no extra volume can make up "
        "for it.",
        "优惠 {discount} 已吃掉全部毛利（{margin}）：再多的销量也无法弥补。"),
    "pricing.be.scenarios": (
        "The Scenarios page applies the same demand model (price elasticity) to the sales "
        "forecast.",
        "“情景模拟”页面会将同样的需求模型（价格弹性）应用于销售预测。"),
    "pricing.chart.discount": ("Discount (%)", "折扣率（%）"),
    "pricing.chart.extra": ("Extra volume needed", "所需销量增幅"),
    "pricing.chart.selected": ("Your choice", "当前选择"),
    # -- errors (lib.pricing.PricingError keys; `value` is the rejected input) ------------------
    "pricing.bad_change": (
        "The price change must be from {lo} % to +{hi} % (got {value} %).",
        "价格变动必须在 {lo}% 到 +{hi}% 之间（当前为 {value}%）。"),
    "pricing.bad_elasticity": (
        "The price elasticity must be from {lo} to {hi} (got {value}).",
        "价格弹性必须在 {lo} 到 {hi} 之间（当前为 {value}）。"),
    "pricing.bad_discount": (
        "A discount must be from 0 % to below 100 % (got {value} %).",
        "折扣率必须在 0% 到 100%（不含）之间（当前为 {value}%）。"),
    "pricing.bad_margin": (
        "The margin rate must be a number (got {value}).",
        "毛利率须为有效数字（当前为 {value}）。"),
    # -- price response seen in past promotions --------------------------------------------------
    "pricing.resp.title": ("Estimate the elasticity from past promotions", "根据以往促销估算价格弹性"),
    "pricing.resp.intro": (
        "{n} past promotions in the promotion calendar. For each, a forecast of units without it "
        "(fitted on the days before it) is set against what sold; the extra units divided by its "
        "discount give the elasticity it implies. Pooled over the promotions, larger ones weigh "
        "more. Takes a few seconds.",
        "促销日历中有 {n} 场已结束的促销。对每一场，用促销开始前的数据预测“没有这场促销”时的销量，"
        "再与实际销量对比；多卖出的件数除以折扣幅度，即为这场促销所反映的价格弹性。最后按促销规模加权汇总。"
        "需要几秒钟。"),
    "pricing.resp.none": (
        "No past promotions in the promotion calendar: load one on the Data page to estimate from them.",
        "促销日历中没有已结束的促销：请先在“数据”页载入促销日历。"),
    "pricing.resp.run": ("Estimate", "开始估算"),
    "pricing.resp.result": (
        "Past promotions imply a price elasticity of **{e}** (80% range {low} to {high}), from {n} "
        "promotions: 10% off sold about {pct} more units.",
        "以往促销反映的价格弹性约为 **{e}**（80% 区间 {low} 至 {high}），基于 {n} 场促销：优惠 10% 约多卖 {pct} 的件数。"),
    "pricing.resp.caveat": (
        "Promotions also bring advertising, attention and urgency, so a lasting price change usually "
        "moves units less.",
        "促销同时带来广告、关注度和紧迫感，因此长期调价对销量的影响通常更小。"),
    "pricing.resp.confounded": (
        "Left out: {names} — a festival the history had not seen yet fell in them, so their extra "
        "units are partly the festival's.",
        "未计入：{names}——窗口内有此前历史从未出现过的节日，其多卖的件数部分来自节日本身。"),
    "pricing.resp.no_rise": (
        "Units did not rise during past promotions (elasticity {e}): the data show no price response to use.",
        "以往促销期间销量并未上升（弹性 {e}）：数据中看不到可用的价格反应。"),
    "pricing.resp.nothing": (
        "None of the past promotions had both a discount depth in the calendar and enough history before it.",
        "没有一场以往促销同时具备日历中的折扣幅度和足够的前期历史数据。"),
    "pricing.resp.skipped": (
        "{n} left out: no discount depth in the calendar, or too little history before them.",
        "{n} 场未计入：日历中没有折扣幅度，或此前的历史数据不足。"),
    "pricing.resp.use": ("Use {e} in the what-if", "在模拟中使用 {e}"),
    "pricing.rcol.name": ("Promotion", "促销"),
    "pricing.rcol.start": ("From", "开始"),
    "pricing.rcol.discount": ("Discount", "折扣幅度"),
    "pricing.rcol.expected": ("Units without it", "无促销时的预计件数"),
    "pricing.rcol.lift": ("Extra units", "多卖件数"),
    "pricing.rcol.elasticity": ("Implied elasticity", "反映的弹性"),
    "pricing.rcol.low": ("Range from", "区间下限"),
    "pricing.rcol.high": ("Range to", "区间上限"),
}
