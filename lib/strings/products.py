"""Products & inventory page (app_pages/products.py, lib/products.py, lib/charts_products.py)."""
from __future__ import annotations

STRINGS: dict[str, tuple[str, str]] = {
    # -- frame ------------------------------------------------------------------------------
    "products.intro": (
        "Gross sales = unit price × quantity of the product lines of counted orders (not "
        "cancelled, not test), before order discounts. Margin = gross sales − cost of goods, shown "
        "only where every sale of the product has a unit cost. A product is its SKU, or its name "
        "where a line has no SKU.",
        "总销售额 = 已计入订单（不含取消和测试订单）中商品行的单价 × 数量，未扣除订单级折扣。"
        "毛利 = 总销售额 − 商品成本，仅在该商品每笔销售都有单位成本时显示。"
        "商品按 SKU 区分，没有 SKU 的行按商品名称区分。"),
    "products.currency": ("Amounts in {currency}.", "金额以 {currency} 计。"),
    "products.excluded": (
        "Orders in {currencies} are left out: they are not in {currency} and have no exchange "
        "rate (enter one in the sidebar) or conversion is off.",
        "以 {currencies} 计价的订单未计入：它们不是 {currency}，且没有汇率（可在侧边栏填写）或未开启换算。"),
    "products.tab.abc": ("ABC analysis", "ABC 分类"),
    "products.tab.inventory": ("Inventory & reorder", "库存与补货"),
    # -- ABC --------------------------------------------------------------------------------
    "products.a_share": ("A: share of sales (%)", "A 类：销售额占比（%）"),
    "products.a_share_help": (
        "Products are ranked by gross sales; A are those making up this first share of sales.",
        "商品按总销售额排序；排在前面、累计占销售额这一比例的商品为 A 类。"),
    "products.b_share": ("A + B: share of sales (%)", "A + B 类：销售额累计占比（%）"),
    "products.b_share_help": (
        "B are the products after A, up to this cumulative share; C are the rest.",
        "A 类之后、累计占比达到此比例为止的商品为 B 类；其余为 C 类。"),
    "products.abc_summary": ("ABC classes", "ABC 分类汇总"),
    "products.class.A": (
        "A: the few products that bring the first {a} of gross sales. Never let them run out; "
        "watch their price and margin.",
        "A 类：贡献前 {a} 销售额的少数商品。务必保证不断货，并重点关注其价格和毛利率。"),
    "products.class.B": (
        "B: the next products, up to {b} of sales. Review them regularly.",
        "B 类：其后的商品，累计达到 {b} 的销售额。需定期复盘。"),
    "products.class.C": (
        "C: the long tail, the last {c} of sales. Candidates to bundle, clear or drop.",
        "C 类：长尾商品，只占最后 {c} 的销售额。可考虑组合销售、清仓或下架。"),
    "products.boundary": (
        "The product that crosses a boundary belongs to the class it starts in.",
        "跨越分界线的商品归入它起始所在的类别。"),
    "products.pareto": ("Pareto chart: sales by product", "帕累托图：各商品销售额"),
    "products.pareto_top": (
        "The {n} best sellers of {total} products are drawn; the cumulative line counts all of them.",
        "图中仅显示 {total} 个商品中销售额最高的 {n} 个；累计占比曲线计入全部商品。"),
    "products.per_product": ("All products", "全部商品"),
    "products.download_abc": ("Download products with ABC classes (CSV)", "下载商品 ABC 分类（CSV）"),
    # -- inventory --------------------------------------------------------------------------
    "products.service_level": ("Service level", "服务水平"),
    "products.service_level_help": (
        "The chance of not running out while a new order is on its way; higher means more "
        "safety stock.",
        "在补货到达之前不断货的概率；越高，所需安全库存越多。"),
    "products.window": ("Demand window (days)", "需求统计窗口（天）"),
    "products.window_help": (
        "Daily demand and its spread are measured over the last this many days of data, up to "
        "the end of the sidebar's date range.",
        "日均需求及其波动按数据中最近这么多天计算，截至侧边栏日期范围的结束日。"),
    "products.review": ("Review period (days)", "补货检查周期（天）"),
    "products.review_help": (
        "How often you place orders: an order covers the reorder point plus this many days of demand.",
        "多久下一次采购单：建议补货量覆盖再订货点再加上这么多天的需求。"),
    "products.demand": ("Demand ahead", "未来需求"),
    "products.demand.forecast": ("Follows the forecast", "按预测"),
    "products.demand.average": ("Recent average", "近期平均"),
    "products.demand_help": (
        "Follows the forecast: each SKU's recent average is scaled day by day by the shop's "
        "units forecast (seasonality, holidays, shopping festivals, planned promotions), so stock "
        "is planned for the peak ahead. Recent average: the demand window's average holds.",
        "按预测：每个 SKU 的近期日均需求按全店销量预测（季节性、节假日、购物节、已计划的促销）逐日缩放，"
        "库存按即将到来的高峰规划。近期平均：沿用需求统计窗口内的日均值。"),
    "products.outlook": (
        "Demand ahead follows the shop's units forecast after {day}: the next {days} days at "
        "{share} of the last {window} days' average.",
        "未来需求按 {day} 之后的全店销量预测：未来 {days} 天约为最近 {window} 天日均值的 {share}。"),
    "products.outlook_festivals": ("Ahead: {names}.", "期间包括：{names}。"),
    "products.outlook_method": (
        "Too little history for the full model: the forecast uses {method}.",
        "历史数据不足以使用完整模型：预测采用{method}。"),
    "products.inventory_summary": ("Stock by status", "按状态汇总库存"),
    "products.status.reorder": ("Reorder now", "需补货"),
    "products.status.ok": ("OK", "正常"),
    "products.status.overstock": ("Overstock", "库存积压"),
    "products.status.dead": ("Dead stock", "呆滞库存"),
    "products.status_help.reorder": (
        "Reorder now: stock is at or below the reorder point.",
        "需补货：库存已低于或等于再订货点。"),
    "products.status_help.ok": (
        "OK: stock above the reorder point and at most {days} days of cover.",
        "正常：库存高于再订货点，且可售天数不超过 {days} 天。"),
    "products.status_help.overstock": (
        "Overstock: more than {days} days of cover at the current pace of sales.",
        "库存积压：按当前销售速度，可售天数超过 {days} 天。"),
    "products.status_help.dead": (
        "Dead stock: in stock, but not one sale in the demand window.",
        "呆滞库存：有库存，但在需求统计窗口内没有任何销售。"),
    "products.cover_chart": ("Days of cover, most urgent first", "可售天数（最紧急的在前）"),
    "products.cover_top": (
        "The {n} most urgent of {total} stocked SKUs with sales; the black tick is the lead time. "
        "Bars stop at {cap} days.",
        "显示 {total} 个有销量的在库 SKU 中最紧急的 {n} 个；黑色刻度为采购提前期。条形最长显示到 {cap} 天。"),
    "products.reorder_list": ("Reorder now", "需立即补货"),
    "products.reorder_none": ("Nothing needs reordering at this service level.",
                              "在此服务水平下，暂无需要补货的商品。"),
    "products.reorder_caption": (
        "Safety stock (calc.) is this page's z × σ × √lead time; safety stock (file) is what the "
        "products file says, for comparison.",
        "安全库存（计算）为本页按 z × σ × √提前期 计算的结果；安全库存（文件）为商品文件中的数值，供对比。"),
    "products.dead_list": ("Dead stock", "呆滞库存"),
    "products.dead_none": ("No dead stock: every stocked SKU sold in the demand window.",
                           "没有呆滞库存：每个在库 SKU 在需求统计窗口内都有销售。"),
    "products.overstock_list": ("Overstock", "库存积压"),
    "products.overstock_none": ("No SKU has more than {days} days of cover.",
                                "没有可售天数超过 {days} 天的 SKU。"),
    "products.download_plan": ("Download the full inventory plan (CSV)", "下载完整库存计划（CSV）"),
    "products.formulas": ("How these figures are computed", "计算方法"),
    "products.formulas_text": (
        "- **Daily demand** = average units sold a day over the demand window; **σ** = its "
        "day-to-day standard deviation (days without a sale count as 0).\n"
        "- **Safety stock** = z × σ × √lead time, where z comes from the service level "
        "(95 % → 1.64).\n"
        "- **Demand over lead time** = daily demand × lead time; following the forecast, × the "
        "forecast's mean factor over the lead time (the shop's forecast units per day ÷ its "
        "average over the demand window), which also scales σ and the review period's demand.\n"
        "- **Reorder point** = demand over lead time + safety stock. Order when stock ≤ "
        "reorder point.\n"
        "- **Order quantity** = reorder point + review days × daily demand − stock (rounded up).\n"
        "- **Days of cover** = stock ÷ daily demand; following the forecast, the days until the "
        "forecast's pace sells the stock.\n"
        "- **Turns a year** = 365 × daily demand ÷ stock.",
        "- **日均需求** = 需求统计窗口内平均每天的销量；**σ** = 其逐日标准差（无销售的日子按 0 计）。\n"
        "- **安全库存** = z × σ × √采购提前期，z 由服务水平决定（95% → 1.64）。\n"
        "- **采购周期内需求** = 日均需求 × 采购提前期；按预测时再乘以提前期内的平均预测系数"
        "（全店每日预测销量 ÷ 需求统计窗口内的日均销量），σ 和补货检查周期内的需求也按此缩放。\n"
        "- **再订货点** = 采购周期内需求 + 安全库存。库存 ≤ 再订货点时下单。\n"
        "- **建议补货量** = 再订货点 + 补货检查周期天数 × 日均需求 − 当前库存（向上取整）。\n"
        "- **可售天数** = 库存 ÷ 日均需求；按预测时为按预测节奏售完库存所需的天数。\n"
        "- **库存周转（次/年）** = 365 × 日均需求 ÷ 库存。"),
    "products.no_lines": (
        "These orders have no product lines (the export has one row per order, not one per "
        "item sold), so there are no products to rank. Load an export with a row per item on the "
        "Data page: Etsy's Sold Order Items, or a platform's orders export.",
        "这些订单没有商品明细（导出文件每行一个订单，而不是每件商品一行），因此无法对商品排名。请在"
        "“数据导入”页面载入每件商品一行的导出文件：Etsy 的 Sold Order Items，或平台的订单导出文件。"),
    "products.no_stock": (
        "No product has both stock on hand and a lead time, so there is no inventory plan yet.",
        "没有同时带有现有库存和采购提前期的商品，因此暂时无法生成库存计划。"),
    "products.no_stock_hint": (
        "Stock on hand comes from a products export (for example a Shopify products export with "
        "Variant Inventory Qty); lead times from an inventory CSV with the headers sku, name, "
        "stock_on_hand, lead_time_days (optional: category, unit_cost, price, supplier, "
        "safety_stock). Load them on the Data page.",
        "现有库存来自商品导出文件（例如含 Variant Inventory Qty 列的 Shopify 商品导出文件）；"
        "采购提前期来自库存 CSV，表头为 sku、name、stock_on_hand、lead_time_days（可选：category、"
        "unit_cost、price、supplier、safety_stock）。请在“数据导入”页面载入。"),
    # -- errors raised by lib/products.py ----------------------------------------------------
    "products.bad_abc": (
        "The A share ({a:.0%}) must be below the A + B share ({b:.0%}), both above 0 % and "
        "below 100 %.",
        "A 类占比（{a:.0%}）必须低于 A + B 类累计占比（{b:.0%}），且两者都须大于 0% 小于 100%。"),
    "products.bad_service_level": (
        "The service level must be at least 50 % and below 100 % (got {level:.1%}).",
        "服务水平必须不低于 50% 且低于 100%（当前为 {level:.1%}）。"),
    "products.bad_window": (
        "The demand window must be at least 7 days (got {window}) and the review period 0 days "
        "or more (got {review}).",
        "需求统计窗口至少为 7 天（当前为 {window}），补货检查周期须为 0 天或以上（当前为 {review}）。"),
    # -- table headers ----------------------------------------------------------------------
    "products.col.abc": ("Class", "分类"),
    "products.col.products": ("Products", "商品数"),
    "products.col.products_share": ("Share of products", "商品数占比"),
    "products.col.gross": ("Gross sales", "总销售额"),
    "products.col.gross_share": ("Share of sales", "销售额占比"),
    "products.col.units_share": ("Share of units", "销量占比"),
    "products.col.rank": ("Rank", "排名"),
    "products.col.product": ("Product", "商品"),
    "products.col.name": ("Name", "名称"),
    "products.col.category": ("Category", "品类"),
    "products.col.units": ("Units", "销量"),
    "products.col.orders": ("Orders", "订单数"),
    "products.col.share": ("Share of sales (%)", "销售额占比（%）"),
    "products.col.cum_share": ("Cumulative share (%)", "累计占比（%）"),
    "products.col.margin": ("Margin", "毛利"),
    "products.col.margin_rate": ("Margin rate (%)", "毛利率（%）"),
    "products.col.status": ("Status", "状态"),
    "products.col.skus": ("SKUs", "SKU 数"),
    "products.col.sku": ("SKU", "SKU"),
    "products.col.supplier": ("Supplier", "供应商"),
    "products.col.unit_cost": ("Unit cost", "单位成本"),
    "products.col.stock": ("Units on hand", "现有库存"),
    "products.col.stock_value": ("Stock value at cost", "库存成本金额"),
    "products.col.daily_units": ("Daily demand", "日均需求"),
    "products.col.sd_daily_units": ("σ daily demand", "日需求标准差 σ"),
    "products.col.lead_time_demand": ("Demand over lead time", "采购周期内需求"),
    "products.col.lead_time_days": ("Lead time (days)", "采购提前期（天）"),
    "products.col.safety_stock_calc": ("Safety stock (calc.)", "安全库存（计算）"),
    "products.col.safety_stock": ("Safety stock (file)", "安全库存（文件）"),
    "products.col.reorder_point": ("Reorder point", "再订货点"),
    "products.col.order_qty": ("Order quantity", "建议补货量"),
    "products.col.days_of_cover": ("Days of cover", "可售天数"),
    "products.col.turns": ("Turns a year", "年库存周转次数"),
    # -- chart labels -----------------------------------------------------------------------
    "products.chart.rank": ("Products ranked by gross sales", "按总销售额排序的商品"),
    "products.chart.gross": ("Gross sales ({currency})", "总销售额（{currency}）"),
    "products.chart.cum_share": ("Cumulative share of sales", "销售额累计占比"),
    "products.chart.class": ("ABC class", "ABC 分类"),
    "products.chart.days": ("Days of cover", "可售天数"),
    "products.chart.lead_time": ("Lead time (days)", "采购提前期（天）"),
    "products.chart.status": ("Status", "状态"),
}
