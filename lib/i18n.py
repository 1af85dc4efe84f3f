"""Every user-visible string, in English and Simplified Chinese, and the messages built from them.

`STRINGS` maps a key to (English, Chinese); `t(key, lang, **params)` formats one. An unknown key
raises KeyError: a missing translation is a bug to catch in tests, not a string to guess.
Lib errors and ingest results carry a `key` and `params`; `describe_error`, `describe_problem`
and `describe_result` turn them into a sentence in the user's language. File-specific details
(file name, line, column, value, the lib's English reason and hint) are shown as data.
"""
from __future__ import annotations

import math
import re
import string
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from typing import Literal

from lib.errors import FileRefused, Problem, ShoplensError
from lib.strings.ingest_reasons import PARTS, REASONS

Lang = Literal["en", "zh"]
LANGS: tuple[Lang, ...] = ("en", "zh")

STRINGS: dict[str, tuple[str, str]] = {
    # -- frame and navigation ---------------------------------------------------------------
    "app.title": ("Shoplens", "Shoplens"),
    "nav.section.data": ("Data", "数据"),
    "nav.section.monitor": ("Monitor", "监控"),
    "nav.section.analyse": ("Analyse", "分析"),
    "nav.section.manage": ("Plan & manage", "计划与管理"),
    "nav.section.reference": ("Reference", "参考"),
    "nav.data": ("Data", "数据导入"),
    "nav.overview": ("Overview", "总览"),
    "nav.operations": ("Operations flow", "运营流程"),
    "nav.analysis": ("Analysis", "分析"),
    "nav.forecast": ("Forecast", "预测"),
    "nav.customers": ("Customers", "客户"),
    "nav.products": ("Products & inventory", "商品与库存"),
    "nav.pricing": ("Pricing & promotions", "定价与促销"),
    "nav.risk": ("Risk", "风险"),
    "nav.team": ("Team KPIs", "团队 KPI"),
    "nav.scenarios": ("Scenarios", "情景模拟"),
    "nav.glossary": ("Glossary", "术语表"),
    # -- sidebar --------------------------------------------------------------------------
    # The language label is the same in both languages so anyone can find the switch.
    "sidebar.language": ("Language / 语言", "Language / 语言"),
    "lang.en": ("English", "English"),
    "lang.zh": ("简体中文", "简体中文"),
    "sidebar.workspace": ("Workspace", "工作区"),
    "sidebar.new_workspace": ("New workspace", "新建工作区"),
    "sidebar.new_workspace_name": ("Name (letters, digits, - and _)", "名称（字母、数字、- 和 _）"),
    "sidebar.create": ("Create", "创建"),
    "sidebar.bad_name": (
        "“{name}” is not a valid workspace name: use 1–40 letters, digits, - or _.",
        "“{name}” 不是有效的工作区名称：请使用 1–40 个字母、数字、- 或 _。"),
    "sidebar.filters": ("Filters", "筛选"),
    "sidebar.dates": ("Order dates", "订单日期"),
    "sidebar.period": ("Period", "时间范围"),
    "sidebar.period_help": (
        "Counted back from the latest day with data ({last}), not from today. Every page "
        "compares the period with the one just before it, and with a year earlier when the "
        "data reach back that far. Pick dates below for any other range.",
        "从数据中最晚的一天（{last}）往前算，而不是从今天算。各页面会把所选时间与紧邻的前一段同样长的时间比较，"
        "数据足够早时也与去年同期比较。需要其他范围时，请在下方选择日期。"),
    "period.all": ("All data", "全部数据"),
    "period.last_7": ("Last 7 days", "最近 7 天"),
    "period.last_30": ("Last 30 days", "最近 30 天"),
    "period.last_90": ("Last 90 days", "最近 90 天"),
    "period.last_365": ("Last 365 days", "最近 365 天"),
    "period.month_to_date": ("Month to date", "本月至今"),
    "period.whole_month": ("Latest whole month", "最近一个完整月"),
    "period.whole_quarter": ("Latest whole quarter", "最近一个完整季度"),
    "period.year_to_date": ("Year to date", "本年至今"),
    "period.whole_year": ("Latest whole year", "最近一个完整年度"),
    "period.custom": ("Custom dates", "自定义日期"),
    "sidebar.channels": ("Channels", "渠道"),
    "sidebar.channels_all": ("All channels", "全部渠道"),
    "sidebar.no_data": ("No orders loaded yet: start on the Data page.",
                        "尚未载入订单：请先到“数据导入”页面上传。"),
    # -- Data page ------------------------------------------------------------------------
    "data.title": ("Data", "数据导入"),
    "data.intro": (
        "Upload the files your shop platform exported. Each file is checked and loaded whole "
        "or not at all; re-uploading the same file changes nothing.",
        "上传店铺平台导出的文件。每个文件都会先检查，要么完整载入，要么完全不载入；重复上传同一文件不会改变任何数据。"),
    "data.upload": ("Export files (CSV, TSV, TXT or XLSX; or zipped: ZIP, GZ)",
                    "导出文件（CSV、TSV、TXT 或 XLSX；也可压缩为 ZIP、GZ）"),
    # Streamlit's own words on the uploader, which its API does not translate (ui.views)
    "data.uploader_button": ("Upload", "上传"),
    "data.uploader_limit": ("{mb}MB per file • {types}", "每个文件不超过 {mb}MB • {types}"),
    "data.upload_help": (
        "Up to {mb} MB per file. A larger export: zip or gzip it first (a CSV shrinks 5–10×), or "
        "load it with the command line (python -m lib.cli ingest).",
        "每个文件最大 {mb} MB。更大的导出文件请先压缩为 zip 或 gz（CSV 通常缩小 5–10 倍），"
        "或用命令行载入（python -m lib.cli ingest）。"),
    "data.loading": (
        "Loading {file} ({mb} MB): 10 to 20 seconds per million rows. Keep this page open.",
        "正在载入 {file}（{mb} MB）：每一百万行约需 10 到 20 秒。请不要关闭此页面。"),
    # Steps of a load (lib/ingest/progress.STEPS), under the progress bar while it runs
    "ingest.step.save": ("Saving the upload of {file}", "正在保存上传的文件 {file}"),
    "ingest.step.read": ("Reading {file}", "正在读取 {file}"),
    "ingest.step.check": ("Checking every row of {file}", "正在逐行检查 {file}"),
    "ingest.step.write": ("Writing {file} into the workspace", "正在将 {file} 写入工作区"),
    "ingest.step.facts": ("Updating the figures the other pages show",
                          "正在更新其他页面显示的数据"),
    "data.format": ("Detected format", "识别的格式"),
    "data.encoding": ("Encoding", "编码"),
    "data.rows_read": ("Rows read", "读取行数"),
    "data.rows_loaded": ("Rows loaded", "载入行数"),
    "data.rows_rejected": ("Rows rejected", "拒绝行数"),
    "data.orders": ("Orders", "订单数"),
    "data.lines": ("Order lines", "订单行数"),
    "data.date_range": ("Date range", "日期范围"),
    "data.currency": ("Currency", "币种"),
    "data.preview": ("Preview: the first rows as read", "预览：读取到的前几行"),
    "data.problems": ("Problems (first {n} shown)", "问题（显示前 {n} 条）"),
    "data.download_rejected": ("Download rejected rows (CSV)", "下载被拒绝的行（CSV）"),
    "data.skip_lines": ("Skip the first {n} line(s) and load", "跳过前 {n} 行并载入"),
    "data.undone_since": ("Import #{batch_id} has since been undone.", "导入 #{batch_id} 已被撤销。"),
    "data.history": ("Import history", "导入记录"),
    "data.settings": ("Workspace settings", "工作区设置"),
    "data.timezone": ("Shop time zone", "店铺时区"),
    "data.timezone_help": (
        "The zone of times a file writes without an offset (mapped files; known exports carry "
        "their own) and of hour-of-day views. Files already loaded keep the times they were "
        "read with.",
        "文件中不带时差的时间（自定义映射的文件；已知平台的导出文件自带时区）所属的时区，也用于按小时的分析。"
        "已载入的文件保留载入时读取的时间。"),
    "data.timezone_save": ("Use this time zone", "使用此时区"),
    "cli.mapping_unreadable": ("Cannot read the mapping file {file}.", "无法读取映射文件 {file}。"),
    "data.timezone_saved": ("The workspace's time zone is now {zone}.", "工作区时区已设为 {zone}。"),
    "mapping.bad_json": (
        "The mapping is not valid: it must be a JSON object whose \"columns\" pairs each role "
        "with a column of the file, such as \"order_id\": \"OrderNo\" (see the README).",
        "映射无效：必须是一个 JSON 对象，其中 \"columns\" 把每个角色对应到文件中的一列，例如 "
        "\"order_id\": \"OrderNo\"（见 README）。"),
    "data.no_history": ("No imports yet.", "还没有导入记录。"),
    "data.undo": ("Undo import #{batch_id} ({file})", "撤销导入 #{batch_id}（{file}）"),
    "data.undo_pick": ("Import to undo", "要撤销的导入"),
    "data.undo_option": ("#{batch_id} {file} ({rows} rows loaded)", "#{batch_id} {file}（载入 {rows} 行）"),
    "data.undone": ("Import #{batch_id} was undone.", "已撤销导入 #{batch_id}。"),
    "data.template_saved": (
        "Mapping saved as “{name}”: files with this layout will load without asking.",
        "映射已保存为“{name}”：同样布局的文件今后会自动载入。"),
    "col.row_number": ("Line", "行号"),
    "col.column": ("Column", "列"),
    "col.value": ("Value", "值"),
    "col.reason": ("Reason", "原因"),
    "col.batch_id": ("Import", "导入编号"),
    "col.file_name": ("File", "文件"),
    "col.format": ("Format", "格式"),
    "col.rows_read": ("Rows read", "读取行数"),
    "col.rows_loaded": ("Rows loaded", "载入行数"),
    "col.rows_rejected": ("Rows rejected", "拒绝行数"),
    "col.orders": ("Orders", "订单数"),
    "col.date_min": ("From", "起始日期"),
    "col.date_max": ("To", "结束日期"),
    "col.currency": ("Currency", "币种"),
    "col.finished_at": ("Finished", "完成时间"),
    "col.status": ("Status", "状态"),
    "status.loaded": ("loaded", "已载入"),
    "status.undone": ("undone", "已撤销"),
    "status.duplicate": ("duplicate", "重复"),
    "status.refused": ("refused", "已拒绝"),
    "status.needs_mapping": ("needs mapping", "需要映射"),
    # -- ingest results (keys carried by lib.ingest.load.IngestResult.key) -------------------
    "ingest.loaded": (
        "{file}: {loaded:,} of {read:,} rows loaded as {format}; {orders:,} orders, "
        "{lines:,} order lines.",
        "{file}：{read:,} 行中有 {loaded:,} 行按“{format}”载入；{orders:,} 个订单，{lines:,} 个订单行。"),
    "ingest.rejected": (
        "{rejected:,} rows rejected: download them to see why.",
        "{rejected:,} 行被拒绝：可下载查看原因。"),
    "ingest.note": ("Note: {note}.", "注意：{note}。"),
    "ingest.kept.orders": (  # one per TableSpec with keep_unsupplied
        "This file has no values for {columns}: the orders it updates keep the values already "
        "stored.",
        "此文件中 {columns} 没有值：被更新的订单保留已存储的值。"),
    "ingest.duplicate": (
        "{file} was already loaded as import #{batch_id}; nothing changed. Undo that import "
        "first to load it again.",
        "{file} 已作为导入 #{batch_id} 载入过，未做任何更改。如需重新载入，请先撤销该导入。"),
    "ingest.needs_mapping": (
        "{file}: this layout is not one we know (columns: {columns}). Map its columns below; "
        "the mapping can be saved for the next file of this layout.",
        "{file}：无法识别此文件布局（列：{columns}）。请在下方指定各列含义；映射可保存，供同样布局的文件使用。"),
    # -- errors (keys carried by lib.errors.ShoplensError.key) -------------------------------
    "ingest.title_lines": (
        "{file}: the header is on line {line}; the {n} line(s) above it look like a title. "
        "Skip them, or delete them and upload again. Nothing was changed.",
        "{file}：表头在第 {line} 行，其上方的 {n} 行看起来是标题。请跳过这些行，或删除后重新上传。未做任何更改。"),
    "ingest.no_space": (
        "{file} was not loaded: the disk that holds the workspace is full. Free some space, or "
        "keep the workspaces on a larger disk, and load it again. Nothing was changed.",
        "{file} 未载入：工作区所在磁盘已满。请释放空间，或将工作区放在更大的磁盘上，然后重新载入。未做任何更改。"),
    "ingest.no_memory": (
        "{file} was not loaded: the machine ran out of memory. Close other programs, or export "
        "a shorter period, and load it again. Nothing was changed.",
        "{file} 未载入：本机内存不足。请关闭其他程序，或导出更短的时间段，然后重新载入。未做任何更改。"),
    "error.generic": ("Something went wrong: {detail}", "出现问题：{detail}"),
    "error.file_refused": (
        "{file} was refused{where}: {reason}. {hint} Nothing was changed.",
        "{file} 被拒绝{where}：{reason}。{hint} 未做任何更改。"),
    "error.where_line": (", line {line}", "，第 {line} 行"),
    "error.where_column": (", column “{column}”", "，列“{column}”"),
    "error.where_value": (" (value: {value})", "（值：{value}）"),
    "error.query_time_limit": (
        "This view took longer than {seconds} seconds to compute and was stopped. Narrow the date "
        "range or the channel filter and try again; nothing was changed. (Reference {ref})",
        "此视图计算超过 {seconds} 秒，已停止。请缩小日期范围或渠道筛选后重试；未做任何更改。（参考号 {ref}）"),
    "error.out_of_memory": (
        "This view needs more memory than the machine can give it. Narrow the date range or "
        "the channel filter and try again; nothing was changed. (Reference {ref})",
        "此视图所需内存超出本机可用内存。请缩小日期范围或渠道筛选后重试；未做任何更改。（参考号 {ref}）"),
    "error.unexpected": (
        "This page hit an error it did not expect; nothing was changed. The server log has the "
        "details under reference {ref}: quote it when you report the problem.",
        "此页面遇到意外错误；未做任何更改。服务器日志以参考号 {ref} 记录了详情，报告问题时请注明。"),
    "error.workspace_busy": (
        "This workspace is open in another program (for example a running app or the command "
        "line). Close it and try again.",
        "此工作区正被其他程序使用（例如另一个正在运行的应用或命令行）。请关闭后重试。"),
    "error.wal_damaged": (
        "Workspace {workspace} cannot be opened: its recovery log ({workspace}.wal), which holds "
        "the changes made since it was last saved, is damaged. The data as last saved are intact "
        "(every import saves when it finishes). To open the workspace as last saved, run: "
        "python -m lib.cli recover-wal --workspace <path to {workspace}>. The damaged log is "
        "kept beside the workspace, not deleted.",
        "无法打开工作区 {workspace}：其恢复日志（{workspace}.wal）已损坏，该日志记录了上次保存之后的更改。"
        "上次保存时的数据完好无损（每次导入完成时都会保存）。如需按上次保存的状态打开工作区，请运行："
        "python -m lib.cli recover-wal --workspace <{workspace} 的路径>。损坏的日志会保留在工作区旁边，不会被删除。"),
    "workspace.wal_set_aside": (
        "Workspace {workspace} was opened as last saved; changes made after that could not be "
        "read. The damaged recovery log was kept as {file}.",
        "工作区 {workspace} 已按上次保存的状态打开；此后的更改无法读取。损坏的恢复日志已保留为 {file}。"),
    "workspace.wal_intact": (
        "Workspace {workspace} opened normally: its recovery log is not damaged, nothing was moved.",
        "工作区 {workspace} 已正常打开：其恢复日志未损坏，未移动任何文件。"),
    "mapping.missing": ("Map a column to: {roles}.", "请为以下项目选择列：{roles}。"),
    "mapping.unknown_columns": (
        "These columns are not in the file: {columns}.", "文件中没有这些列：{columns}。"),
    "mapping.no_amount": (
        "Map at least one amount: line total, unit price or order total.",
        "请至少选择一个金额列：行金额、单价或订单总额。"),
    "mapping.bad_timezone": (
        "Unknown time zone “{timezone}”: use a name like 'Asia/Shanghai' or 'Europe/London', "
        "or leave it out to use the workspace's.",
        "未知时区“{timezone}”：请使用类似 'Asia/Shanghai' 或 'Europe/London' 的名称，或不填以使用工作区的时区。"),
    "mapping.bad_currency": (
        "Currency must be a 3-letter code such as USD or CNY.",
        "币种必须是 3 个字母的代码，例如 USD 或 CNY。"),
    "kpi.mixed_currency": (
        "This workspace has several currencies ({currencies}). Choose one to see its figures.",
        "此工作区包含多种币种（{currencies}）。请选择一种查看对应数据。"),
    # Forecast requests (lib.forecast raises these; the Forecast page is still a placeholder).
    "error.forecast": ("The forecast cannot be made as asked: {detail}", "无法按要求进行预测：{detail}"),
    "error.festival_table": ("The festival calendar cannot be used: {detail}",
                             "节日日历无法使用：{detail}"),
    "forecast.bad_metric": ("“{metric}” is not a metric that can be forecast.",
                            "“{metric}” 不是可预测的指标。"),
    "forecast.bad_level": ("“{level}” is not a level that can be forecast.",
                           "“{level}” 不是可预测的层级。"),
    "forecast.bad_horizon": ("A horizon of {horizon} days is not allowed: {detail}",
                             "不接受 {horizon} 天的预测范围：{detail}"),
    "forecast.bad_interval": ("The interval width must be between 0 and 1, for example 0.8 "
                              "(got {width}).", "区间宽度必须在 0 和 1 之间，例如 0.8（当前为 {width}）。"),
    "forecast.key_required": ("Choose which {level} to forecast.", "请选择要预测的{level}。"),
    "forecast.currency_absent": ("There are no orders in {currency} for these filters.",
                                 "当前筛选条件下没有以 {currency} 计价的订单。"),
    "forecast.all_currencies_money": (
        "All currencies can be counted (orders, units), not added up: net sales need one currency.",
        "全部币种只能用于计数（订单数、销量），不能汇总金额：净销售额需要选择一种币种。"),
    "forecast.mixed_currency": (
        "This workspace has orders in several currencies ({currencies}); a forecast adds money "
        "up, so choose one currency.",
        "此工作区的订单包含多种币种（{currencies}）；预测需要汇总金额，请选择一种币种。"),
    # -- mapping form ---------------------------------------------------------------------
    "mapping.title": ("Map the columns of {file}", "为 {file} 指定列"),
    "mapping.none": ("— not in this file —", "— 文件中没有 —"),
    "mapping.required": ("{role} (required)", "{role}（必填）"),
    "mapping.date_order": ("Dates like 01/02/2024 are", "类似 01/02/2024 的日期"),
    "mapping.date_order.auto": ("Decided by the file's dates (refused if they fit both ways)",
                                "由文件中的日期判断（两种读法都成立时拒绝载入）"),
    "mapping.date_order.day": ("Day first: 31/12/2024", "日在前：31/12/2024"),
    "mapping.date_order.month": ("Month first: 12/31/2024", "月在前：12/31/2024"),
    "mapping.currency": ("Currency, if the file has no currency column (3 letters)",
                         "币种（文件没有币种列时填写，3 个字母）"),
    "mapping.template_name": ("Save this mapping as (optional name)", "将此映射保存为（可选名称）"),
    "mapping.submit": ("Load with this mapping", "按此映射载入"),
    "role.order_id": ("Order ID", "订单号"),
    "role.order_date": ("Order date", "下单日期"),
    "role.sku": ("SKU", "SKU / 商家编码"),
    "role.product_name": ("Product name", "商品名称"),
    "role.quantity": ("Quantity", "数量"),
    "role.unit_price": ("Unit price", "单价"),
    "role.line_total": ("Line total", "行金额"),
    "role.order_total": ("Order total", "订单总额"),
    "role.customer": ("Customer", "客户"),
    "role.status": ("Status", "状态"),
    "role.currency": ("Currency", "币种"),
    "role.country": ("Country", "国家"),
    "role.discount": ("Discount", "折扣"),
    "role.shipping": ("Shipping", "运费"),
    "role.refund": ("Refunded amount", "退款金额"),
    # -- Overview -------------------------------------------------------------------------
    "overview.currency": ("Currency", "币种"),
    "overview.no_data": (
        "No orders for these filters yet. Load an export on the Data page.",
        "当前筛选条件下没有订单。请先在“数据导入”页面载入导出文件。"),
    "overview.definitions": (
        "Orders exclude cancelled and test orders. Net sales = gross sales − discounts − "
        "refunds. Average order value = (gross sales − discounts) ÷ orders.",
        "订单数不含已取消和测试订单。净销售额 = 总销售额 − 折扣 − 退款。客单价 = （总销售额 − 折扣）÷ 订单数。"),
    "kpi.orders": ("Orders", "订单数"),
    "kpi.gross_sales": ("Gross sales", "总销售额"),
    "kpi.discounts": ("Discounts", "折扣"),
    "kpi.refunds": ("Refunds", "退款"),
    "kpi.net_sales": ("Net sales", "净销售额"),
    "kpi.order_total": ("Order total", "订单总额"),
    "kpi.avg_order_value": ("Average order value", "客单价"),
    "kpi.customers": ("Customers", "客户数"),
    "kpi.repeat_customer_rate": ("Repeat customer rate", "复购率"),
    "value.none": ("—", "—"),
    "value.in_unit": ("{label} ({unit})", "{label}（{unit}）"),  # a table header naming its unit
    # Large numbers on cards, in each language's units (_COMPACT_UNITS): M/B, 万/亿; K only
    # for money on a card (fmt_card_money), which Chinese writes in 万 from 10,000.
    "value.compact.small": ("{n}M", "{n}万"),
    "value.compact.big": ("{n}B", "{n}亿"),
    "value.compact.thousand": ("{n}K", "{n}千"),
}

def _merge_area_tables() -> None:
    from lib.strings import collect

    extra = collect()
    clash = STRINGS.keys() & extra.keys()
    if clash:
        raise ValueError(f"translation keys defined twice: {sorted(clash)}")
    STRINGS.update(extra)


_merge_area_tables()


def t(key: str, lang: str = "en", **params: object) -> str:
    """The string `key` in `lang`, formatted with `params`. Unknown key or language: KeyError."""
    en, zh = STRINGS[key]
    if lang == "en":
        text = en
    elif lang == "zh":
        text = zh
    else:
        raise KeyError(f"unknown language {lang!r}")
    return text.format(**params) if params else text


_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]<>$:~|&])")
_MARKDOWN_BLOCK_START = re.compile(r"^(\s*)(#+(?=\s|$)|[+\-](?=\s|$)|\d{1,9}(?=[.)](?:\s|$)))")


def markdown_literal(text: str) -> str:
    """`text` as Streamlit's markdown shows it literally (RELIABILITY D7): the characters that
    start links, emphasis, code, HTML, `$` maths, `:emoji:` and `:red[…]` colours are escaped
    with a backslash, and so is a heading or list marker at the start; line breaks become
    spaces. Nothing else changes, so numbers and dates read as they are. For names from files
    or typed by users; not for tables, charts or files, which show text as it is."""
    flat = _MARKDOWN_INLINE.sub(r"\\\1", " ".join(str(text).splitlines()))
    m = _MARKDOWN_BLOCK_START.match(flat)
    if not m:
        return flat
    if m.group(2)[0].isdigit():  # "1. " and "1) " start a list: escape what follows the digits
        at = m.end(2)
        return flat[:at] + "\\" + flat[at:]
    return flat[:m.start(2)] + "\\" + flat[m.start(2):]


def placeholders(text: str) -> set[str]:
    """The `{name}` fields of a template (used by tests: en and zh must take the same params)."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


# -- messages built from lib results --------------------------------------------------------
def _same(text: str) -> str:
    return text


def _reason_pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"\{(\w+)\}", template)  # literal, name, literal, name, ..., literal
    return re.compile("".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts)))


_REASONS_EXACT = {en: zh for en, zh in REASONS.items() if "{" not in en}
_REASONS_PATTERNS = [(_reason_pattern(en), zh) for en, zh in REASONS.items() if "{" in en]


def reason_text(text: str, lang: str = "en") -> str:
    """Why a file or row was refused (the ingest code's English sentence, as printed by the
    command line and stored in `rejected_rows`), in `lang`; unknown sentences as they are."""
    if lang == "en" or not text:
        return text
    if text in _REASONS_EXACT:
        return _REASONS_EXACT[text]
    for pattern, translated in _REASONS_PATTERNS:
        if (m := pattern.fullmatch(text)) is not None:
            return translated.format(**{k: PARTS.get(v, v) for k, v in m.groupdict().items()})
    return text


def describe_problem(problem: Problem, lang: str = "en", quote: Callable[[str], str] = _same) -> str:
    """A refused file: which file, where, why, and what to do (reason and hint are data).
    `quote` wraps what came from the file (its name, column, value): `markdown_literal` for
    Streamlit's markdown elements."""
    where = ""
    if problem.line is not None:
        where += t("error.where_line", lang, line=f"{problem.line:,}")
    if problem.column:
        where += t("error.where_column", lang, column=quote(problem.column))
    if problem.raw_value is not None:
        where += t("error.where_value", lang, value=quote(repr(problem.raw_value[:80])))
    return t("error.file_refused", lang, file=quote(problem.file), where=where,
             reason=quote(reason_text(problem.reason.rstrip("."), lang)),
             hint=reason_text(problem.hint, lang)).replace("  ", " ").strip()


def describe_error(exc: ShoplensError, lang: str = "en", quote: Callable[[str], str] = _same) -> str:
    """The translated sentence for a lib error; an untranslated key falls back visibly.
    `quote` wraps the error's own sentence and text parameters (as in describe_problem)."""
    if isinstance(exc, FileRefused):
        return describe_problem(exc.problem, lang, quote)
    if exc.key in STRINGS and exc.key != "error.generic":
        params = {k: quote(v) if isinstance(v, str) else v for k, v in exc.params.items()}
        try:  # `detail` (the lib's own sentence) is there for templates that quote it
            return t(exc.key, lang, **{"detail": quote(str(exc)), **params})
        except (KeyError, IndexError, ValueError):
            pass  # the lib passed other params than the template expects: show its own text
    return t("error.generic", lang, detail=quote(str(exc)))


def format_name(format_id: str | None, lang: str = "en", name: str | None = None) -> str:
    """An export format as the reader knows it; a column mapping by its template's `name`."""
    if format_id == "generic":
        return name or t("format.generic_any", lang)
    key = f"format.{format_id}"
    return t(key, lang) if key in STRINGS else (name or format_id or t("value.none", lang))


def describe_result(result: object, lang: str = "en", quote: Callable[[str], str] = _same) -> str:
    """The status sentence of one `lib.ingest.load.IngestResult` (`quote`: as in
    describe_problem, for the file's name and what came from the file)."""
    r = result  # typed loosely so this module does not import the ingest engine
    file = quote(r.file)
    status = getattr(r, "status")
    if status == "loaded":
        text = t("ingest.loaded", lang, file=file, loaded=r.rows_loaded, read=r.rows_read,
                 format=quote(format_name(r.format, lang, r.format_label)), orders=r.orders,
                 lines=r.order_lines)
        if r.rows_rejected:
            text += " " + t("ingest.rejected", lang, rejected=r.rows_rejected)
        for table, columns in getattr(r, "kept", {}).items():
            text += " " + t(f"ingest.kept.{table}", lang, columns=", ".join(columns))
        for note in getattr(r, "notes", ()):  # a paragraph each: a load can have several
            text += "\n\n" + t("ingest.note", lang, note=quote(reason_text(note, lang)))
        return text
    if status == "duplicate":
        return t("ingest.duplicate", lang, file=file, batch_id=r.batch_id)
    if status == "needs_mapping":
        if r.problems:  # a mapping that must say more (the date order), with its reason
            return describe_problem(r.problems[0], lang, quote)
        header = list(r.header)
        columns = quote(", ".join(header[:8]) + ("…" if len(header) > 8 else ""))
        return t("ingest.needs_mapping", lang, file=file, columns=columns)
    if r.key == "ingest.title_lines":
        return t(r.key, lang, file=file, **r.params)
    if r.key in ("ingest.no_space", "ingest.no_memory"):
        return t(r.key, lang, file=file)
    if r.problems:
        return describe_problem(r.problems[0], lang, quote)
    return t("error.generic", lang, detail=quote(r.message))


# -- numbers shown on cards -----------------------------------------------------------------
def join_names(names: Iterable[str], lang: str = "en") -> str:
    """A list of names in running text: 'A, B' in English, 'A、B' (the enumeration comma) in
    Chinese."""
    return ("、" if lang == "zh" else ", ").join(names)


def country_name(code: str | None, lang: str = "en") -> str:
    """'United Kingdom (GB)' / '英国（GB）' for a country code the tables name (a region code
    like GB-SCT by its country), the code itself otherwise; 'none' for None."""
    if not code:
        return t("value.none", lang)
    key = f"country.{code.upper().partition('-')[0]}"
    return t("country.named", lang, name=t(key, lang), code=code) if key in STRINGS else code


def fmt_int(value: int | None, lang: str = "en") -> str:
    return t("value.none", lang) if value is None else f"{value:,}"


def _missing(value: object) -> bool:
    """None, or a float NaN (what pandas gives for 'no value')."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def fmt_money(value: Decimal | float | None, currency: str | None, lang: str = "en") -> str:
    """'USD 1,234.50'; a float is rounded to cents first; '—' for None or NaN."""
    if _missing(value):
        return t("value.none", lang)
    if not isinstance(value, Decimal):
        value = Decimal(f"{float(value):.2f}")  # type: ignore[arg-type]
    return f"{currency} {value:,.2f}" if currency else f"{value:,.2f}"


# The powers of ten each language counts large numbers in: English millions and billions,
# Chinese 万 (10^4) and 亿 (10^8); largest first, with their `value.compact.*` key.
_COMPACT_UNITS: dict[str, tuple[tuple[int, str], ...]] = {
    "en": ((9, "big"), (6, "small")), "zh": ((8, "big"), (4, "small"))}
COMPACT_FROM = Decimal(1_000_000)  # a count below this fits a card whole (money: fmt_card_money)


def fmt_compact(value: Decimal | float | int, lang: str = "en", from_: Decimal = COMPACT_FROM) -> str:
    """A number of a million (`from_`) or more in the reader's units with 2 decimals ('5.77M',
    '577.19万'); smaller ones as they are (to cents when not whole). For cards too narrow for
    every digit: show the exact value beside it (a tooltip)."""
    x = Decimal(str(value))
    if abs(x) >= from_:
        for power, unit in _COMPACT_UNITS.get(lang, _COMPACT_UNITS["en"]):
            if abs(x) >= Decimal(10) ** power:
                scaled = (x / Decimal(10) ** power).quantize(Decimal("0.01"))
                return t(f"value.compact.{unit}", lang, n=f"{scaled:,}")
    return f"{x:,.0f}" if x == x.to_integral_value() else f"{x:,.2f}"


def fmt_card_money(value: Decimal, lang: str = "en") -> str:
    """An amount for a KPI card, without its currency: short enough that 'USD ' and it fit a
    quarter of the page (about 11 characters; 'USD 133,825.68' was cut to 'USD 133,825…' at
    1,400 px). Cents below 1,000; whole units up to the language's first unit; then that
    unit: English 133.8K from 100,000 and 5.77M from a million, Chinese 13.38万 from 10,000.
    The card's tooltip gives the exact amount."""
    x = abs(value)
    if x < 1000:
        return f"{value:,.2f}"
    units_from = Decimal(10_000) if lang == "zh" else COMPACT_FROM
    if x >= units_from:
        return fmt_compact(value, lang, from_=units_from)
    if lang != "zh" and x >= 100_000:
        thousands = (value / 1000).quantize(Decimal("0.1"))
        if abs(thousands) >= 1000:  # 999,999.99 is 1.00M, not 1,000.0K
            return t("value.compact.small", lang, n=f"{(value / 10 ** 6).quantize(Decimal('0.01')):,}")
        return t("value.compact.thousand", lang, n=f"{thousands:,}")
    return f"{value:,.0f}"


def fmt_number(value: float | int | None, places: int = 0, lang: str = "en") -> str:
    """'1,234.5' with `places` decimals and separators; '—' for None or NaN."""
    return t("value.none", lang) if _missing(value) else f"{float(value):,.{places}f}"  # type: ignore[arg-type]


def fmt_pct(value: float | None, lang: str = "en") -> str:
    """A 0–1 share as '12.3%'; '—' for None or NaN."""
    return t("value.none", lang) if _missing(value) else f"{float(value):.1%}"  # type: ignore[arg-type]


def fmt_date_range(start: date | None, end: date | None, lang: str = "en") -> str:
    if start is None:
        return t("value.none", lang)
    return f"{start.isoformat()} – {end.isoformat() if end else ''}".strip(" –")
