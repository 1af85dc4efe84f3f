"""Customers page (app_pages/customers.py, lib/customers.py, lib/charts_customers.py): RFM
segments, acquisition cohorts (retention, LTV) and churn risk."""
from __future__ import annotations

STRINGS: dict[str, tuple[str, str]] = {
    # -- frame ------------------------------------------------------------------------------
    "customers.intro": (
        "Who buys, who comes back and who is drifting away. A customer is the hashed customer "
        "key stored at import: no names, no e-mails. Net sales = product sales − discounts − "
        "refunds (a refund counts on its own date).",
        "谁在购买、谁会复购、谁正在流失。客户指导入时保存的客户标识哈希值，不含姓名或邮箱等个人信息。"
        "净销售额 = 商品销售额 − 折扣 − 退款（退款计入其发生日期）。"),
    "customers.scope": (
        "Period: {start} – {end} (the sidebar's dates) · money in {currency}.",
        "周期：{start} – {end}（侧边栏所选日期）· 金额单位：{currency}。"),
    "customers.excluded": (
        "Orders in {currencies} are left out: they are not in {currency} and have no exchange "
        "rate (enter one in the sidebar) or conversion is off.",
        "以 {currencies} 计价的订单未计入：它们不是 {currency}，且没有汇率（可在侧边栏填写）或未开启换算。"),
    "customers.no_customers": (
        "No orders of known customers for these filters. Customers come from a customer or "
        "e-mail column in the export; orders without one are left out here.",
        "当前筛选条件下没有可识别客户的订单。客户信息来自导出文件中的客户或邮箱列；没有此列的订单不计入本页。"),
    "customers.days": ("{n} days", "{n} 天"),
    # -- RFM --------------------------------------------------------------------------------
    "customers.rfm.title": ("RFM segments", "RFM 客户分层"),
    "customers.rfm.caption": (
        "Customers with an order in the period, scored on recency (R), frequency (F) and "
        "monetary value (M), and placed in one of ten segments by their R and F scores.",
        "周期内有订单的客户按最近一次购买（R）、购买频次（F）和消费金额（M）打分，并按 R 与 F 得分归入十个分层之一。"),
    "customers.rfm.none": ("No customer ordered in this period.", "该周期内没有客户下单。"),
    "customers.rfm.scoring": ("How the scores and segments work", "评分与分层规则"),
    "customers.rfm.scoring_text": (
        "- **R (recency)**: days from the customer's last order to {end}, scored 1–5 by "
        "quintile: the fifth who ordered most recently get 5.\n"
        "- **F (frequency)**: orders in the period, in fixed steps: 1 order → 1, 2 → 2, 3 → 3, "
        "4–5 → 4, 6 or more → 5 (most customers order once, so quintiles would split equal "
        "counts).\n"
        "- **M (monetary)**: net sales in the period, scored 1–5 by quintile. It is in the "
        "download; the segment depends on R and F only.\n\n"
        "The grid below gives the segment of every R × F pair.",
        "- **R（最近一次购买）**：客户最后一次下单距 {end} 的天数，按五分位打 1–5 分：最近下单的前 20% 客户得 5 分。\n"
        "- **F（购买频次）**：周期内的订单数，按固定档位打分：1 单 → 1，2 单 → 2，3 单 → 3，4–5 单 → 4，"
        "6 单及以上 → 5（大多数客户只买一次，用五分位会把相同单数的客户分到不同档）。\n"
        "- **M（消费金额）**：周期内的净销售额，按五分位打 1–5 分。M 分包含在下载文件中；分层只取决于 R 和 F。\n\n"
        "下表列出每个 R × F 组合对应的分层。"),
    "customers.rfm.grid": ("Segment of each R × F pair", "各 R × F 组合对应的分层"),
    "customers.rfm.actions": ("What each segment means and what to do", "各分层的含义与建议行动"),
    "customers.rfm.download": ("Download the customers' RFM scores (CSV)", "下载客户 RFM 得分（CSV）"),
    # segment names, meanings and suggested actions (one per lib.customers.SEGMENT_IDS)
    "customers.segment.champions": ("Champions", "冠军客户"),
    "customers.segment.loyal": ("Loyal", "忠诚客户"),
    "customers.segment.potential_loyalists": ("Potential loyalists", "潜力忠诚客户"),
    "customers.segment.new": ("New customers", "新客户"),
    "customers.segment.promising": ("Promising", "有潜力新客"),
    "customers.segment.need_attention": ("Need attention", "需要关注"),
    "customers.segment.about_to_sleep": ("About to sleep", "即将沉睡"),
    "customers.segment.cant_lose": ("Can't lose them", "不能失去的客户"),
    "customers.segment.at_risk": ("At risk", "流失风险客户"),
    "customers.segment.hibernating": ("Hibernating", "沉睡客户"),
    "customers.meaning.champions": ("Bought very recently and order often.",
                                    "最近刚购买，且购买频繁。"),
    "customers.meaning.loyal": ("Order often; their last order is fairly recent.",
                                "经常购买，最近一次购买也不算久远。"),
    "customers.meaning.potential_loyalists": ("Recent customers with two or three orders.",
                                              "近期购买过两三次的客户。"),
    "customers.meaning.new": ("Placed their first order very recently.", "最近刚完成首单。"),
    "customers.meaning.promising": ("One order, fairly recent.", "只买过一次，时间较近。"),
    "customers.meaning.need_attention": ("Three orders, the last one a while ago.",
                                         "买过三次，但上次购买已有一段时间。"),
    "customers.meaning.about_to_sleep": ("One or two orders, and not recently.",
                                         "买过一两次，且近期没有购买。"),
    "customers.meaning.cant_lose": ("Used to order the most, but not for a long time.",
                                    "曾经购买最频繁，但已很久没有下单。"),
    "customers.meaning.at_risk": ("Ordered several times, but long ago.", "曾多次购买，但已很久没来。"),
    "customers.meaning.hibernating": ("Few orders, long ago.", "购买次数少，且很久没有购买。"),
    "customers.action.champions": ("Reward them; ask for reviews and referrals.",
                                   "给予专属回馈；邀请他们写评价、推荐新客。"),
    "customers.action.loyal": ("Offer a loyalty tier or membership; upsell higher-value products.",
                               "邀请加入会员或升级会员等级；推荐更高价值的商品。"),
    "customers.action.potential_loyalists": (
        "Encourage the next order: bundles, member perks, personal recommendations.",
        "促成下一次复购：组合套装、会员权益、个性化推荐。"),
    "customers.action.new": (
        "Welcome them: onboarding messages, a smooth delivery, an incentive for the second order.",
        "做好新客承接：欢迎信息、顺畅的配送体验、二次购买优惠。"),
    "customers.action.promising": (
        "Show them more of the range; a time-limited offer for the second order.",
        "让他们了解更多商品；提供限时复购优惠。"),
    "customers.action.need_attention": (
        "Reach out with offers based on what they bought before.",
        "根据其购买记录推送个性化优惠，主动触达。"),
    "customers.action.about_to_sleep": (
        "Re-engage with best sellers and a time-limited discount.",
        "用热销商品和限时折扣重新激活。"),
    "customers.action.cant_lose": (
        "Win them back personally: ask why they stopped, make a strong offer.",
        "一对一挽回：了解停止购买的原因，给出有力的优惠。"),
    "customers.action.at_risk": (
        "Send win-back campaigns and reminders of what they liked.",
        "发起召回活动，提醒他们曾经喜欢的商品。"),
    "customers.action.hibernating": (
        "Low-cost reactivation only; do not overspend to bring them back.",
        "只做低成本的唤醒触达，不宜投入过多挽回成本。"),
    # -- cohorts ----------------------------------------------------------------------------
    "customers.cohorts.title": ("Cohorts: retention and lifetime value", "同期群：留存率与客户生命周期价值"),
    "customers.cohorts.caption": (
        "Customers grouped by the month of their first order in the period, followed month by "
        "month up to {end}. Retention in month k = share of the cohort ordering in that month; "
        "month 0 (the first order, always 100%) is left out of the heatmap.",
        "按客户在周期内首单所在月份分组（同期群），逐月跟踪至 {end}。第 k 月留存率 = 该同期群中在第 k 月下单的客户占比；"
        "第 0 月（首单月，留存率恒为 100%）未显示在热力图中。"),
    "customers.cohorts.months": ("Months to follow", "跟踪月数"),
    "customers.cohorts.none": ("No customer placed a first order in this period.",
                               "该周期内没有客户完成首单。"),
    "customers.cohorts.partial": (
        "The period ends on {end}, before {month} is over: the figures for {month} (faded in "
        "the heatmap; in the table, each cohort's last month and its LTV to date) will still grow.",
        "周期截至 {end}，{month} 尚未结束：{month} 的数值（热力图中颜色较浅的格子；表中每个同期群的最后一个月及其截至目前的 LTV）仍会增长。"),
    "customers.cohorts.ltv_title": ("Lifetime value by months since first order", "按首单后月数的客户生命周期价值（LTV）"),
    "customers.cohorts.ltv_caption": (
        "Cumulative net sales per customer of each cohort (thin lines, coloured by cohort month); "
        "the thick line is the average over cohorts, weighted by their size, of the months "
        "that are over.",
        "各同期群人均累计净销售额（细线，颜色代表同期群月份）；粗线为各同期群按人数加权的平均值，只计已结束的月份。"),
    # -- churn ------------------------------------------------------------------------------
    "customers.churn.title": ("Churn risk", "流失风险"),
    "customers.churn.caption": (
        "Thresholds from the customers' own rhythm: every gap between two consecutive orders "
        "(on different days) of the same customer up to {end}. Active: last order within the "
        "usual gap; cooling: within the lapse threshold (nine repeat orders in ten came "
        "sooner); lapsed: beyond it.",
        "阈值来自客户自身的购买节奏：截至 {end}，同一客户相邻两次（不同日期的）订单之间的每个间隔。"
        "活跃：距上次下单未超过常规间隔；降温：未超过流失阈值（十次复购中有九次在此之前发生）；已流失：超过流失阈值。"),
    "customers.churn.expected": ("Usual gap between orders", "常规复购间隔"),
    "customers.churn.expected_help": ("The median gap between two orders of a customer.",
                                      "同一客户两次订单间隔的中位数。"),
    "customers.churn.lapse": ("Lapsed after", "流失阈值"),
    "customers.churn.lapse_help": ("The 90th percentile of the gaps: nine repeat orders in ten came sooner.",
                                   "间隔的第 90 百分位：十次复购中有九次在此之前发生。"),
    "customers.churn.gaps": ("Repeat gaps measured", "统计的复购间隔数"),
    "customers.churn.too_few": (
        "Too few repeat orders to set churn thresholds: {gaps} gaps between orders of the same "
        "customer, fewer than {min} needed.",
        "复购订单太少，无法设定流失阈值：同一客户的订单间隔只有 {gaps} 个，少于所需的 {min} 个。"),
    "customers.churn.statuses": ("Customers by status", "各状态客户"),
    "customers.churn.at_risk": ("Cooling customers worth the most", "价值最高的降温客户"),
    "customers.churn.at_risk_caption": (
        "The cooling customers with the highest net sales to date: look up their last order in "
        "your shop's admin and reach out before they lapse.",
        "累计净销售额最高的降温客户：在店铺后台按最近一笔订单号查找，在他们流失之前主动联系。"),
    "customers.churn.no_cooling": ("No customer is cooling right now.", "目前没有处于降温状态的客户。"),
    "customers.churn.download": ("Download the at-risk list (CSV)", "下载流失风险名单（CSV）"),
    "customers.status.active": ("Active", "活跃"),
    "customers.status.cooling": ("Cooling", "降温"),
    "customers.status.lapsed": ("Lapsed", "已流失"),
    # -- column headers ---------------------------------------------------------------------
    "customers.col.segment": ("Segment", "客户分层"),
    "customers.col.meaning": ("Who they are", "客户特征"),
    "customers.col.action": ("Suggested action", "建议行动"),
    "customers.col.customers": ("Customers", "客户数"),
    "customers.col.customer_share": ("Share of customers", "客户占比"),
    "customers.col.monetary": ("Net sales", "净销售额"),
    "customers.col.monetary_share": ("Share of net sales", "净销售额占比"),
    "customers.col.median_recency_days": ("Median recency (days)", "距上次下单天数（中位数）"),
    "customers.col.mean_orders": ("Orders per customer", "人均订单数"),
    "customers.col.monetary_per_customer": ("Net sales per customer", "人均净销售额"),
    "customers.col.cohort": ("Cohort", "同期群"),
    "customers.col.size": ("New customers", "新客数"),
    "customers.col.retention_k": ("Month {k} retention", "第 {k} 月留存率"),
    "customers.col.months": ("Months followed", "跟踪月数"),
    "customers.col.ltv": ("LTV to date", "迄今 LTV"),
    "customers.col.status": ("Status", "状态"),
    "customers.col.share": ("Share", "占比"),
    "customers.col.net_to_date": ("Net sales to date", "累计净销售额"),
    "customers.col.customer": ("Customer key", "客户标识"),
    "customers.col.orders": ("Orders", "订单数"),
    "customers.col.last_order": ("Last order", "最近下单日期"),
    "customers.col.days_since": ("Days since", "距今天数"),
    "customers.col.source": ("Platform", "平台"),
    "customers.col.order_id": ("Last order ID", "最近订单号"),
    # -- charts -----------------------------------------------------------------------------
    "customers.chart.segment": ("Segment", "客户分层"),
    "customers.chart.customers": ("Customers", "客户数"),
    "customers.chart.customer_share": ("Share of customers", "客户占比"),
    "customers.chart.net": ("Net sales", "净销售额"),
    "customers.chart.net_share": ("Share of net sales", "净销售额占比"),
    "customers.chart.per_customer": ("Net sales per customer", "人均净销售额"),
    "customers.chart.cohort": ("Cohort (month of first order)", "同期群（首单月份）"),
    "customers.chart.k": ("Months since first order", "首单后月数"),
    "customers.chart.retention": ("Retention", "留存率"),
    "customers.chart.active": ("Customers ordering", "下单客户数"),
    "customers.chart.size": ("Cohort size", "同期群人数"),
    "customers.chart.ltv": ("Cumulative net sales per customer", "人均累计净销售额"),
    "customers.chart.mean": ("All cohorts (weighted mean)", "全部同期群（加权平均）"),
    "customers.chart.note": ("Note", "备注"),
    "customers.chart.partial": ("month not over yet", "该月尚未结束"),
}
