"""Why a file or a row was refused, in Chinese.

The readers and the engine say why in English: those sentences are what the command line
prints and what `rejected_rows.reason` stores. They are translated where they are shown
(`lib.i18n.reason_text`): keys are the English sentences, where `{name}` stands for a part
that varies (a number, a column, a sheet) and is carried over as it is, or translated through
PARTS when it is one of its phrases. A test collects every reason and hint the ingest code
writes and checks each has an entry here.
"""
from __future__ import annotations

REASONS: dict[str, str] = {
    # -- the file as a whole (lib/ingest/reader.py, load.py, archive.py) -------------------
    "the file is empty": "文件是空的",
    "the workbook has formulas: the results saved with it were read, not recalculated; a column "
    "that shows 0 or is empty where it should not needs the file opened in Excel, saved and "
    "uploaded again":
        "工作簿含有公式：读取的是文件中保存的计算结果，不会重新计算；如果某列在不该为 0 或为空的地方显示 0 或为空，"
        "请用 Excel 打开该文件、保存后重新上传",
    "columns {columns} are all named “{name}”: column {first} was read":
        "第 {columns} 列都名为“{name}”：读取的是第 {first} 列",
    "cells holding only a placeholder (N/A, -, NULL…) or spaces were read as empty: {counts}":
        "只有占位符（N/A、-、NULL 等）或空格的单元格按空值读取：{counts}",
    "Excel's text markers (=\"…\", a leading ' or tab) were removed from IDs: {counts}":
        "已去除 ID 中 Excel 的文本标记（=\"…\"、开头的 ' 或制表符）：{counts}",
    "its dates (like 01/02/2024) read as day first or month first, and none of them tells which":
        "其日期（如 01/02/2024）既可按日在前也可按月在前理解，且没有任何日期能确定是哪一种",
    "Say how the dates are written in the mapping (Data page: the date order; a mapping file: "
    "\"day_first\": true or false).":
        "请在映射中说明日期的写法（数据导入页面：日期顺序；映射文件：\"day_first\": true 或 false）。",
    "its dates are written both day first ({day}) and month first ({month})":
        "其日期既有日在前（{day}）也有月在前（{month}）的写法",
    "Choose the order most rows use in the mapping: the other rows are then rejected with their line.":
        "请在映射中选择大多数行使用的顺序：其余行将被拒绝并注明行号。",
    "the workbook is packed like a zip bomb (a part unpacks to {ratio} times its size)":
        "工作簿的压缩方式像“压缩炸弹”（其中一部分解压后是原大小的 {ratio} 倍）",
    "Open it in Excel and save it again, or export the data as CSV.":
        "请用 Excel 打开后重新保存，或将数据导出为 CSV。",
    "a number, not a date (Excel shows dates as serial numbers like 45292 when the column is not "
    "formatted as dates; other systems count seconds since 1970): format the column as dates and "
    "export it again":
        "是数字而不是日期（当该列未设置为日期格式时，Excel 会把日期显示为 45292 这样的序列号；另一些系统则记录自 1970 年起的秒数）："
        "请把该列设置为日期格式后重新导出",
    "a date before 1980 or after 2099: a placeholder such as 1900-01-01 or 9999-12-31, not a real date":
        "早于 1980 年或晚于 2099 年的日期：是 1900-01-01、9999-12-31 之类的占位值，不是真实日期",
    "the CSV reader could not follow the file's structure": "CSV 读取器无法解析文件的结构",
    "Open it in a spreadsheet, save it again as 'CSV UTF-8' and upload it again.":
        "请用电子表格软件打开，另存为“CSV UTF-8”后重新上传。",
    "Export the report again and re-upload it.": "请重新导出报表后再上传。",
    "this is a database file, not an export": "这是数据库文件，不是导出文件",
    "Upload the CSV or XLSX export from your platform instead.": "请改为上传平台导出的 CSV 或 XLSX 文件。",
    "this is a legacy .xls or a password-protected Excel file": "这是旧版 .xls 文件或带密码的 Excel 文件",
    "Open it in Excel, remove any password and save as .xlsx or CSV UTF-8.":
        "请用 Excel 打开，去掉密码后另存为 .xlsx 或 CSV UTF-8。",
    "the file looks like a damaged zip/xlsx": "文件看起来是损坏的 zip/xlsx",
    "Export it again.": "请重新导出。",
    # before 'this is {what}, …', which would match these sentences too
    "this is {markup} saved with a spreadsheet's name, not a CSV or XLSX export":
        "这是以电子表格名称保存的{markup}，不是 CSV 或 XLSX 导出文件",
    "this is {what}, not a CSV or XLSX export": "这是{what}，不是 CSV 或 XLSX 导出文件",
    "Open it in Excel and save it as .xlsx or 'CSV UTF-8', then upload that.":
        "请用 Excel 打开，另存为 .xlsx 或“CSV UTF-8”后再上传。",
    "Upload the CSV/XLSX file your platform exported.": "请上传平台导出的 CSV/XLSX 文件。",
    "the file contains binary data, not text": "文件包含二进制数据，不是文本",
    "the file says UTF-8 but contains bytes that are not UTF-8":
        "文件标明为 UTF-8，但含有不是 UTF-8 的字节",
    "Save it again as 'CSV UTF-8' and re-upload.": "请另存为“CSV UTF-8”后重新上传。",
    "the file mixes UTF-8 text with another encoding": "文件混用了 UTF-8 和另一种编码",
    "Save the whole file once as 'CSV UTF-8' and upload it again.":
        "请将整个文件另存为“CSV UTF-8”后重新上传。",
    "the text encoding could not be recognised (it is not UTF-8, GBK/GB18030 or Windows-1252, "
    "or it mixes several)": "无法识别文本编码（不是 UTF-8、GBK/GB18030 或 Windows-1252，或混用了多种编码）",
    "Open the file in Excel or WPS and save it as 'CSV UTF-8', then upload it again.":
        "请用 Excel 或 WPS 打开文件，另存为“CSV UTF-8”后重新上传。",
    "the file has no data rows": "文件没有数据行",
    "Export the report again.": "请重新导出报表。",
    "no column separator found: the file reads as a single column": "找不到列分隔符：文件只能读成一列",
    "Check that it is a comma-, semicolon- or tab-separated export with a header row.":
        "请确认这是带表头行、以逗号、分号或制表符分隔的导出文件。",
    "the file has {n} columns (limit {max})": "文件有 {n} 列（上限 {max}）",
    "Export only the columns you need.": "请只导出需要的列。",
    "the rows do not have the same number of columns as the header": "数据行的列数与表头不一致",
    "Check the delimiter and that the file is a complete export.": "请检查分隔符，并确认文件是完整的导出。",
    "the workbook expands to an unreasonable size": "工作簿解压后大得不合常理",
    "Export the data as CSV instead.": "请改为导出 CSV。",
    "the workbook is damaged": "工作簿已损坏",
    "Save it again in Excel.": "请在 Excel 中重新保存。",
    "the workbook is password-protected": "工作簿有密码保护",
    "Remove the password in Excel and save again.": "请在 Excel 中去掉密码后重新保存。",
    "the workbook cannot be read ({error})": "无法读取工作簿（{error}）",
    "Open it in Excel and save it again as .xlsx.": "请用 Excel 打开并重新另存为 .xlsx。",
    "sheet {name} has {n} columns (limit {max})": "工作表 {name} 有 {n} 列（上限 {max}）",
    "the workbook has no data": "工作簿里没有数据",
    "Check that you exported the right sheet.": "请确认导出的是正确的工作表。",
    "the header is on line {line}; the {n} line(s) above it look like a title":
        "表头在第 {line} 行；它上面的 {n} 行看起来是标题",
    "Confirm by skipping {n} line(s) (CLI: --skip-lines {m}), or delete them and upload again.":
        "请确认跳过这 {n} 行（命令行：--skip-lines {m}），或删除它们后重新上传。",
    "the file has a header but no data rows": "文件只有表头，没有数据行",
    "Export a period that has orders.": "请导出有订单的时间段。",
    "this is an archive inside an archive": "这是压缩包里的压缩包",
    "Unzip it and upload the files inside.": "请解压后上传里面的文件。",
    "it unpacks to more than {mb} MB": "解压后超过 {mb} MB",
    "Unzip it and upload the files inside one by one, or load them from the command line.":
        "请解压后逐个上传里面的文件，或用命令行载入。",
    "it holds {n} files (at most {max})": "其中有 {n} 个文件（最多 {max} 个）",
    "Upload fewer files per archive.": "请在每个压缩包里放更少的文件。",
    "it is password-protected inside the archive": "它在压缩包内有密码保护",
    "Unzip it with its password and upload the file.": "请用密码解压后上传该文件。",
    "the archive is damaged or uses a method we cannot read": "压缩包已损坏，或使用了无法读取的压缩方式",
    "Export it again, or unzip it and upload the files inside.": "请重新导出，或解压后上传里面的文件。",
    "the archive holds no files": "压缩包里没有文件",
    "Upload the CSV or XLSX export itself.": "请直接上传 CSV 或 XLSX 导出文件。",
    # -- a line of the file (lib/ingest/load.py: DuckDB's reader) --------------------------
    "too few fields (expected {n})": "字段太少（应为 {n} 个）",
    "too many fields (expected {n})": "字段太多（应为 {n} 个）",
    "a quote is not closed or is misplaced": "引号未闭合或位置不对",
    "the line is too long (limit 4,000,000 characters)": "这一行太长（上限 4,000,000 个字符）",
    "the line contains bytes that are not valid text": "这一行含有不是有效文本的字节",
    "Fix or remove this line and upload again; the other rows were checked normally.":
        "请修正或删除这一行后重新上传；其他行已正常检查。",
    # -- a value (lib/ingest/engine.py) ----------------------------------------------------
    "a value is required here": "此处必须有值",
    "missing, or an ID already damaged by Excel's scientific notation (e.g. 1.23E+18)":
        "缺失，或编号已被 Excel 的科学计数法损坏（例如 1.23E+18）",
    "not an amount": "不是金额",
    "not a number": "不是数字",
    "not a whole number": "不是整数",
    "not a valid date/time in the expected format": "不是预期格式的有效日期时间",
    "not a valid date in the expected format": "不是预期格式的有效日期",
    "not yes/no": "不是“是/否”",
    "another row of this order (line {line}) was rejected": "此订单的另一行（第 {line} 行）被拒绝",
    "Correct the value in the export, or leave the row out.": "请在导出文件中更正该值，或删掉这一行。",
    # -- the Shoplens templates' checks (lib/ingest/formats/shoplens_*.py) -----------------
    "{column} cannot be negative": "{column} 不能为负数",
    "currency must be a 3-letter code such as CNY": "currency 必须是 3 个字母的代码，例如 CNY",
    "rate_to_usd must be greater than 0": "rate_to_usd 必须大于 0",
    "end_date is before start_date": "end_date 早于 start_date",
    "discount_pct must be a percentage from 0 to 100": "discount_pct 必须是 0 到 100 的百分比",
    "likelihood must be from 1 to 5": "likelihood 必须在 1 到 5 之间",
    "impact must be from 1 to 5": "impact 必须在 1 到 5 之间",
    "category must be one of: {values}": "category 必须是以下之一：{values}",
    "response must be one of: {values}": "response 必须是以下之一：{values}",
    "period_end is before period_start": "period_end 早于 period_start",
}

# Phrases that fill a {placeholder} above and read differently in Chinese.
PARTS: dict[str, str] = {
    "a PNG image": "一张 PNG 图片",
    "a web page (HTML)": "网页（HTML）",
    "an Excel 2003 XML spreadsheet": "Excel 2003 XML 电子表格",
    "a JPEG image": "一张 JPEG 图片",
    "a GIF image": "一张 GIF 图片",
    "a PDF document": "一份 PDF 文档",
    "a Parquet file": "一个 Parquet 文件",
    "an SQLite database": "一个 SQLite 数据库",
    "a Windows program": "一个 Windows 程序",
    "a program": "一个程序",
}
