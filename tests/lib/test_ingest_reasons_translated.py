"""Every reason and hint the ingest code gives for refusing a file or a row has a Chinese
translation (lib/strings/ingest_reasons.py): collected from the code itself, so a new refusal
without one fails here. f-string parts are filled with a sample value."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from lib.i18n import describe_problem, reason_text
from lib.errors import Problem
from lib.ingest import engine, load, reader
from lib.ingest.formats import FORMATS

INGEST = Path(__file__).resolve().parents[2] / "lib" / "ingest"
CALLS = {"refuse": (1, 2)}  # lib.ingest.reader.refuse: positions of reason and hint


def _sample(node: ast.expr) -> str | None:
    """The text of a string literal; an f-string with its holes filled by '7'."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "7" for v in node.values)
    return None


def _from_code() -> list[tuple[str, str]]:
    found = []
    for path in sorted(INGEST.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            args: list[ast.expr] = []
            if name in CALLS:
                args = [node.args[i] for i in CALLS[name] if i < len(node.args)]
            elif name == "Problem":
                args = [k.value for k in node.keywords if k.arg in ("reason", "hint")]
            found += [(f"{path.name}:{node.lineno}", s) for a in args if (s := _sample(a))]
    return found


def _everything() -> list[tuple[str, str]]:
    texts = _from_code()
    texts += [("engine.REASONS", r) for r in engine.REASONS.values()]
    texts += [("engine.IMPLAUSIBLE_DATE", engine.IMPLAUSIBLE_DATE),
              ("engine.NUMBER_NOT_DATE", engine.NUMBER_NOT_DATE),
              ("reader.FORMULAS_NOTE", reader.FORMULAS_NOTE)]
    texts += [("engine.same_name_notes", n)
              for n in engine.same_name_notes(engine.ParsePlan({}, {}, {"SKU": [3, 4]}))]
    texts += [(f"engine.{name}", note.format(counts="“Paid at” (1,204), “SKU” (3)"))
              for name, note in (("PLACEHOLDER_NOTE", engine.PLACEHOLDER_NOTE),
                                 ("MARKER_NOTE", engine.MARKER_NOTE))]
    texts += [("load.LINE_REASONS", r.format(n=12)) for r in load.LINE_REASONS.values()]
    texts += [("load.LINE_HINT", load.LINE_HINT),
              ("engine (SQL)", "another row of this order (line 3) was rejected"),
              ("load (value problems)", "Correct the value in the export, or leave the row out.")]
    texts += [(f"{f.id} check", reason) for f in FORMATS for _, _, reason in f.checks]
    return texts


def test_the_collection_finds_the_refusals() -> None:
    found = dict((text, where) for where, text in _everything())
    assert len(found) >= 60
    assert "the file is empty" in found and "it unpacks to more than 7 MB" in found
    assert "Lineitem quantity cannot be negative" not in found  # not a check of any format
    assert any(text.endswith("cannot be negative") for text in found)


@pytest.mark.parametrize("where, text", _everything())
def test_each_reason_has_a_chinese_sentence(where: str, text: str) -> None:
    zh = reason_text(text, "zh")
    assert zh != text and any("\u4e00" <= ch <= "\u9fff" for ch in zh), where
    assert reason_text(text, "en") == text


def test_a_refusal_reads_in_chinese_with_its_parts() -> None:
    p = Problem(file="photo.csv", reason="this is a PNG image, not a CSV or XLSX export",
                hint="Upload the CSV/XLSX file your platform exported.")
    assert describe_problem(p, "zh") == ("photo.csv 被拒绝：这是一张 PNG 图片，不是 CSV 或 XLSX 导出文件。"
                                         "请上传平台导出的 CSV/XLSX 文件。 未做任何更改。")
    line = Problem(file="o.csv", line=5, reason="too few fields (expected 12)", hint=load.LINE_HINT)
    assert describe_problem(line, "zh").startswith("o.csv 被拒绝，第 5 行：字段太少（应为 12 个）。请修正或删除这一行")
    assert reason_text("sheet 'Orders' has 300 columns (limit 250)", "zh") == "工作表 'Orders' 有 300 列（上限 250）"
    assert reason_text("something new the code says", "zh") == "something new the code says"
    # a longer sentence is not swallowed by a shorter one with a hole ('this is {what}, …')
    assert reason_text("this is a web page (HTML) saved with a spreadsheet's name, not a CSV or "
                       "XLSX export", "zh") == "这是以电子表格名称保存的网页（HTML），不是 CSV 或 XLSX 导出文件"
