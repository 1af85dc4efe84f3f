"""Every string has both languages, and no user-visible literal bypasses the translation table."""
from __future__ import annotations

import ast
import re
import unicodedata
from dataclasses import fields
from pathlib import Path
from typing import get_args

import pytest

from lib.errors import FileRefused, Problem, ShoplensError, WorkspaceError
from lib.i18n import (
    LANGS,
    STRINGS,
    describe_error,
    describe_problem,
    describe_result,
    placeholders,
    t,
)
from lib.imports import HISTORY_COLUMNS, REJECTED_COLUMNS
from lib.ingest.load import IngestResult, Status
from lib.ingest.mapping import ROLES, GenericMapping
from lib.ingest.progress import STEPS, Step
from lib.metrics.core import CoreKpis

ROOT = Path(__file__).resolve().parents[2]
UI_FILES = sorted([ROOT / "app.py", *(ROOT / "app_pages").glob("*.py"), *(ROOT / "ui").glob("*.py")])

# st.* calls whose text reaches the user, and where the text goes.
LABEL_FIRST = {  # the first positional argument (or label=) is shown
    "title", "header", "subheader", "caption", "button", "error", "warning", "info", "success",
    "toast", "metric", "selectbox", "multiselect", "radio", "checkbox", "toggle", "text_input",
    "text_area", "number_input", "date_input", "file_uploader", "download_button",
    "form_submit_button", "expander", "slider",
}  # page_link: its first argument is a page path; its label= keyword is checked
ALL_POSITIONAL = {"write", "markdown"}  # every positional argument is shown
# Receivers whose .error()/.warning() write elsewhere: the server log, a terminal (ui/serve.py).
NOT_SCREEN = {"_log", "logger", "parser"}
KEYWORDS = {"label", "title", "page_title", "placeholder", "help"}


def _literal_text(node: ast.AST) -> str | None:
    """The literal text of a string or f-string node (format fields removed), else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values
                       if isinstance(v, ast.Constant) and isinstance(v.value, str))
    return None


def _has_words(text: str) -> bool:
    """True if the text has a letter (any script): pure punctuation/format strings are fine."""
    return any(unicodedata.category(ch).startswith("L") for ch in text)


def untranslated_literals(source: str) -> list[tuple[int, str]]:
    """(line, text) of literal user-visible strings passed to Streamlit display calls."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if getattr(node.func.value, "id", None) in NOT_SCREEN:
            continue
        name = node.func.attr
        shown: list[ast.AST] = []
        if name in ALL_POSITIONAL:
            shown += node.args
        elif name in LABEL_FIRST and node.args:
            shown.append(node.args[0])
        if name in LABEL_FIRST | ALL_POSITIONAL or name in ("Page", "set_page_config"):
            shown += [kw.value for kw in node.keywords if kw.arg in KEYWORDS]
        for arg in shown:
            text = _literal_text(arg)
            if text is not None and _has_words(text):
                found.append((node.lineno, text))
    return found


def _translation_keys_used(source: str) -> set[str]:
    """Literal keys passed to tr()/t(), plus key-like constants (tables of keys in app.py)."""
    keys = set()
    key_like = re.compile(r"^(app|nav|sidebar|lang|data|col|status|ingest|error|mapping|"
                          r"role|overview|kpi|value)\.[a-z_.]+$")
    for node in ast.walk(ast.parse(source)):
        if (isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", ""))
                in ("tr", "t") and node.args and isinstance(node.args[0], ast.Constant)):
            keys.add(node.args[0].value)
        elif (isinstance(node, ast.Constant) and isinstance(node.value, str)
              and key_like.match(node.value) and not node.value.endswith(".py")):  # not "app.py"
            keys.add(node.value)
    return keys


# -- the table itself ----------------------------------------------------------------------
def test_every_key_has_non_empty_english_and_chinese() -> None:
    bad = [k for k, v in STRINGS.items()
           if not (isinstance(v, tuple) and len(v) == 2 and all(isinstance(s, str) and s.strip() for s in v))]
    assert bad == []


def test_english_and_chinese_take_the_same_parameters() -> None:
    bad = {k: (placeholders(en), placeholders(zh)) for k, (en, zh) in STRINGS.items()
           if placeholders(en) != placeholders(zh)}
    assert bad == {}


def test_chinese_is_actually_chinese_where_it_differs_from_english() -> None:
    # Names (Shoplens, English, 简体中文, "Language / 语言") may be identical; sentences may not.
    same = [k for k, (en, zh) in STRINGS.items() if en == zh and len(en.split()) > 3]
    assert same == []


def test_t_formats_params_in_both_languages() -> None:
    assert t("data.undo", "en", batch_id=7, file="a.csv") == "Undo import #7 (a.csv)"
    assert t("data.undo", "zh", batch_id=7, file="a.csv") == "撤销导入 #7（a.csv）"
    assert t("ingest.rejected", "en", rejected=1234) == "1,234 rows rejected: download them to see why."
    assert t("nav.data") == "Data"  # English is the default


def test_unknown_key_or_language_raises() -> None:
    with pytest.raises(KeyError):
        t("no.such.key", "en")
    with pytest.raises(KeyError):
        t("nav.data", "fr")
    with pytest.raises(KeyError):  # a missing parameter is a bug too
        t("data.undo", "en", batch_id=1)
    assert LANGS == ("en", "zh")


# -- keys the rest of the code relies on ---------------------------------------------------
def _is_key(target: ast.AST) -> bool:
    return getattr(target, "id", getattr(target, "attr", None)) == "key"


def _lib_error_keys() -> set[str]:
    """Every `key="x.y"` / `key = "x.y"` literal in lib/ (error and result keys)."""
    keys = set()
    for path in (ROOT / "lib").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            values: list[ast.AST] = []
            if isinstance(node, ast.keyword) and node.arg == "key":
                values.append(node.value)
            elif isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
                for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                    if _is_key(target):  # key = "x.y" / self.key = "x.y"
                        values.append(node.value)
                    elif isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
                        values += [v for tg, v in zip(target.elts, node.value.elts) if _is_key(tg)]
            for value in values:
                if isinstance(value, ast.Constant) and isinstance(value.value, str) and "." in value.value:
                    keys.add(value.value)
    return keys


def test_every_key_lib_raises_or_returns_is_translated() -> None:
    keys = _lib_error_keys()
    for expected in ("error.file_refused", "error.workspace_busy", "ingest.loaded",
                     "ingest.duplicate", "ingest.needs_mapping", "mapping.missing",
                     "mapping.unknown_columns", "mapping.no_amount", "mapping.bad_currency",
                     "kpi.mixed_currency"):
        assert expected in keys, f"lib no longer uses {expected}; update this test"
    missing = sorted(keys - STRINGS.keys())
    assert missing == [], f"add (English, Chinese) for these lib keys to lib/i18n.STRINGS: {missing}"


def test_every_key_the_ui_uses_exists() -> None:
    used = set().union(*(_translation_keys_used(p.read_text(encoding="utf-8")) for p in UI_FILES))
    assert used, "found no translation keys: is the scan broken?"
    assert sorted(used - STRINGS.keys()) == []


def test_keys_built_from_data_exist() -> None:
    needed = {f"role.{r}" for r in ROLES}
    needed |= {f"status.{s}" for s in (*get_args(Status), "undone")}
    needed |= {f"col.{c}" for c in (*HISTORY_COLUMNS, *REJECTED_COLUMNS)}
    needed |= {f"lang.{lang}" for lang in LANGS}
    needed |= {Step(s, "f").text_key for s in STEPS}
    needed |= {f"kpi.{f.name}" for f in fields(CoreKpis)
               if f.name not in ("currency", "cancelled_orders", "units")}
    assert sorted(needed - STRINGS.keys()) == []


# -- messages from real lib errors ---------------------------------------------------------
HEADER = ("OrderNo", "When", "Amount")


@pytest.mark.parametrize("lang", LANGS)
def test_mapping_errors_from_lib_render_with_their_params(lang: str) -> None:
    with pytest.raises(ShoplensError) as missing:
        GenericMapping(columns={"order_id": "OrderNo"}).validate(HEADER)
    with pytest.raises(ShoplensError) as unknown:
        GenericMapping(columns={"order_id": "OrderNo", "order_date": "Nope"}).validate(HEADER)
    with pytest.raises(ShoplensError) as no_amount:
        GenericMapping(columns={"order_id": "OrderNo", "order_date": "When"}).validate(HEADER)
    with pytest.raises(ShoplensError) as currency:
        GenericMapping(columns={"order_id": "OrderNo", "order_date": "When", "line_total": "Amount"},
                       currency="DOLLARS").to_format(HEADER)
    texts = [describe_error(e.value, lang) for e in (missing, unknown, no_amount, currency)]
    assert [e.value.key for e in (missing, unknown, no_amount, currency)] == [
        "mapping.missing", "mapping.unknown_columns", "mapping.no_amount", "mapping.bad_currency"]
    assert texts == [t("mapping.missing", lang, roles="order_date"),
                     t("mapping.unknown_columns", lang, columns="Nope"),
                     t("mapping.no_amount", lang), t("mapping.bad_currency", lang)]


def test_error_without_a_translation_falls_back_visibly_to_its_english_text() -> None:
    err = WorkspaceError("Import #3 is not a loaded import; nothing undone.")
    assert describe_error(err, "zh") == "出现问题：Import #3 is not a loaded import; nothing undone."
    odd = ShoplensError("Something new.", key="lib.new_key_without_translation")
    assert describe_error(odd, "en") == "Something went wrong: Something new."


def test_refused_file_names_file_line_column_value_and_hint() -> None:
    p = Problem(file="orders.csv", reason="too many fields (expected 3)", line=12,
                column="Total", raw_value="1,2,3,4", hint="Fix the line and upload again.")
    assert describe_problem(p, "en") == (
        "orders.csv was refused, line 12, column “Total” (value: '1,2,3,4'): too many fields "
        "(expected 3). Fix the line and upload again. Nothing was changed.")
    assert describe_error(FileRefused(p), "zh") == (
        "orders.csv 被拒绝，第 12 行，列“Total”（值：'1,2,3,4'）：字段太多（应为 3 个）。"
        "Fix the line and upload again. 未做任何更改。")  # a hint the ingest code never writes: as it is
    bare = Problem(file="empty.csv", reason="the file is empty")
    assert describe_problem(bare, "en") == "empty.csv was refused: the file is empty. Nothing was changed."


def test_result_messages_per_status() -> None:
    loaded = IngestResult(file="a.csv", format="shopify_orders", format_label="Shopify orders export",
                          rows_read=5121, rows_loaded=5120, rows_rejected=1, orders=3885,
                          order_lines=5120, status="loaded")
    assert describe_result(loaded, "en") == (
        "a.csv: 5,120 of 5,121 rows loaded as Shopify orders export; 3,885 orders, 5,120 order "
        "lines. 1 rows rejected: download them to see why.")
    dup = IngestResult(file="a.csv", status="duplicate", batch_id=4, key="ingest.duplicate")
    assert describe_result(dup, "zh").startswith("a.csv 已作为导入 #4 载入过")
    unknown = IngestResult(file="u.csv", status="needs_mapping", header=[f"c{i}" for i in range(10)])
    assert "c0, c1, c2, c3, c4, c5, c6, c7…" in describe_result(unknown, "en")


# -- the scan for untranslated literals ----------------------------------------------------
def test_scanner_flags_literals_and_allows_translated_or_punctuation() -> None:
    src = '''
import streamlit as st
st.title("Orders")
st.title(tr("nav.data"))
col.metric("Net sales", value)
col.metric(tr("kpi.orders"), "1,234")
st.write("", "—", f"{n:,}")
st.markdown(f"Loaded {n} rows")
st.selectbox(label="Currency", options=x)
st.button(t("data.undo", lang), key="undo_1")
st.sidebar.checkbox("订单")
st.Page("app_pages/data.py", title="Data", url_path="data")
'''
    assert [line for line, _ in untranslated_literals(src)] == [3, 5, 8, 9, 11, 12]


@pytest.mark.parametrize("path", UI_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_untranslated_literal_reaches_the_screen(path: Path) -> None:
    assert untranslated_literals(path.read_text(encoding="utf-8")) == []


def test_the_scan_covers_the_app() -> None:
    names = {str(p.relative_to(ROOT)) for p in UI_FILES}
    assert {"app.py", "app_pages/data.py", "app_pages/overview.py", "ui/sidebar.py",
            "ui/state.py"} <= names


def test_compact_numbers_count_in_each_languages_units() -> None:
    from decimal import Decimal

    from lib.i18n import fmt_compact

    assert fmt_compact(Decimal("5771873.58"), "en") == "5.77M"
    assert fmt_compact(Decimal("5771873.58"), "zh") == "577.19万"
    assert fmt_compact(1_234_567_890, "en") == "1.23B"
    assert fmt_compact(1_234_567_890, "zh") == "12.35亿"
    assert fmt_compact(-2_500_000, "en") == "-2.50M"
    # below a million a card has room for every digit
    assert fmt_compact(Decimal("999999.50"), "zh") == "999,999.50"
    assert fmt_compact(85_294, "en") == "85,294"


@pytest.mark.parametrize(("amount", "en", "zh"), [
    ("66.10", "66.10", "66.10"), ("999.99", "999.99", "999.99"), ("-0.50", "-0.50", "-0.50"),
    ("1234.56", "1,235", "1,235"), ("54228.48", "54,228", "5.42万"),
    ("99999.50", "100,000", "10.00万"), ("133825.68", "133.8K", "13.38万"),
    ("-171104.30", "-171.1K", "-17.11万"), ("999999.99", "1.00M", "100.00万"),
    ("5771873.58", "5.77M", "577.19万"), ("1234567890", "1.23B", "12.35亿"),
])
def test_money_on_a_card_fits_a_quarter_of_the_page(amount: str, en: str, zh: str) -> None:
    """At most 8 characters without the currency ('USD 133,825.68' was cut to 'USD 133,825…'
    on a 1,400 px wide page): cents below 1,000, whole units, then K/M/B or 万/亿."""
    from decimal import Decimal

    from lib.i18n import fmt_card_money

    assert (fmt_card_money(Decimal(amount), "en"), fmt_card_money(Decimal(amount), "zh")) == (en, zh)
    assert max(len(en), len(zh)) <= 8


def test_catalogue_values_compact_only_when_asked() -> None:
    from decimal import Decimal

    from lib.metrics.catalogue import load_catalogue
    from lib.metrics.describe import format_number

    cat = load_catalogue()
    gross, orders, rate = cat["gross_sales"], cat["orders"], cat["repeat_customer_rate"]
    assert format_number(gross, Decimal("5771873.58"), "USD") == "USD 5,771,873.58"
    assert format_number(gross, Decimal("5771873.58"), "USD", "en", compact=True) == "USD 5.77M"
    assert format_number(gross, Decimal("133825.68"), "CNY", "zh", compact=True) == "CNY 13.38万"
    assert format_number(gross, Decimal("133825.68"), "USD", "en", compact=True) == "USD 133.8K"
    assert format_number(orders, 12_345_678, None, "zh", compact=True) == "1,234.57万"
    assert format_number(rate, 0.297, None, "en", compact=True) == "29.7%"


def test_every_export_format_has_a_name_in_both_languages() -> None:
    """English is the format module's own label (kept equal here); Chinese names it as a
    Chinese seller would; a column mapping is named by its template."""
    from lib.i18n import format_name
    from lib.ingest.formats import FORMATS

    assert {f.id: format_name(f.id, "en") for f in FORMATS} == {f.id: f.label for f in FORMATS}
    for f in FORMATS:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in format_name(f.id, "zh")), f.id
    assert format_name("taobao_orders", "zh") == "淘宝/天猫 订单报表"
    assert format_name("generic", "zh", "Till export") == "Till export"
    assert format_name("generic", "zh") == "自定义列映射"
    assert format_name(None, "en") == "—"


def test_the_import_history_as_shown() -> None:
    from datetime import date, datetime, timezone

    import pandas as pd

    from lib.imports import history_view

    history = pd.DataFrame({
        "batch_id": [2, 1], "file_name": ["risks.csv", "orders.csv"],
        "format": ["shoplens_risks", "shopify_orders"], "rows_read": [7, 12345],
        "rows_loaded": [7, 12340], "rows_rejected": [0, 5], "orders": [0, 9876],
        "date_min": [None, date(2024, 1, 5)], "date_max": [None, date(2024, 3, 1)],
        "currency": [None, "USD"],
        "finished_at": [datetime(2026, 11, 25, 23, 5, 2, 788092, tzinfo=timezone.utc)] * 2,
        "status": ["loaded", "undone"]})
    view = history_view(history, "en")
    shown = view.text_frame()
    assert list(shown.columns) == ["Import", "File", "Format", "Rows read", "Rows loaded", "Rows rejected",
                                   "Orders", "From", "To", "Currency", "Finished", "Status"]
    assert view.column("Rows rejected") == [0, 5]  # numbers: a click sorts by them
    assert shown.iloc[0].tolist() == ["2", "risks.csv", "Shoplens risk register template", "7", "7", "0", "0",
                                      "—", "—", "—", "2026-11-25 23:05", "loaded"]
    assert shown.iloc[1].tolist()[2:10] == ["Shopify orders export", "12,345", "12,340", "5", "9,876",
                                            "2024-01-05", "2024-03-01", "USD"]
    assert history_view(history, "zh").frame.iloc[1, 2] == "Shopify 订单导出"


def test_fmt_number_with_its_decimals_and_no_value() -> None:
    from lib.i18n import fmt_number

    assert fmt_number(1234.56, 1) == "1,234.6" and fmt_number(529.285714) == "529"
    assert fmt_number(0.116221, 3) == "0.116"
    assert fmt_number(float("nan"), 1, "zh") == fmt_number(None) == "—"


def test_markdown_literal_escapes_what_markdown_would_read_and_nothing_else() -> None:
    from lib.i18n import markdown_literal as lit

    assert lit("[click](javascript:alert(1)) **b** :red[x] $1$ <img src=x>") == (
        "\\[click\\](javascript\\:alert(1)) \\*\\*b\\*\\* \\:red\\[x\\] \\$1\\$ \\<img src=x\\>")
    assert [lit(x) for x in ("# h", "- a", "1. a", "12) a", "a\nb")] == [
        "\\# h", "\\- a", "1\\. a", "12\\) a", "a b"]
    # numbers, dates, money and ordinary names read as they are
    assert [lit(x) for x in ("17.6", "-5.0", "2025-08-04", "USD 1,234.00", "Linen Napkins (Set of 4)")] == [
        "17.6", "-5.0", "2025-08-04", "USD 1,234.00", "Linen Napkins (Set of 4)"]


def test_markdown_literal_round_trips_through_commonmark_unescaping() -> None:
    """Removing CommonMark's backslash escapes gives the text back (lines joined by spaces)."""
    import random

    from lib.i18n import markdown_literal
    from tests.pages.support import rendered

    rng = random.Random(7)
    alphabet = "ab1 .-_*[]()<>#:$&\\`~|!+=\n"
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 20)))
        assert rendered(markdown_literal(text)) == " ".join(text.splitlines()), text


def test_country_names_beside_their_code() -> None:
    from lib.i18n import country_name

    assert country_name("GB", "en") == "United Kingdom (GB)"
    assert country_name("GB-SCT", "zh") == "英国（GB-SCT）"
    assert country_name("CN", "zh") == "中国大陆（CN）"
    assert country_name("XK", "zh") == "XK" and country_name(None, "en") == "—"


def test_every_market_with_chinese_holiday_names_has_a_country_name() -> None:
    from tests.lib.forecast.test_festivals import ZH_NAMED_MARKETS

    assert [m for m in ZH_NAMED_MARKETS if f"country.{m}" not in STRINGS] == []
