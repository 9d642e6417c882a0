"""Lists and notices, and the line breaking (行首禁则) they rely on."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from reportlab.lib.styles import ParagraphStyle

from lzcenter_desktop.documents.fonts import MissingGlyphError, register_reportlab_fonts
from lzcenter_desktop.documents.layout import (
    CANNOT_END,
    CANNOT_START,
    break_lines,
    cjk_paragraph,
    paragraph_lines,
    string_width,
)
from lzcenter_desktop.documents.lists import KINDS, ColumnSpec, balanced_title, render_list

PUNCTUATED = (
    "依托单位应在收到通知后三十日内完成整改，并将整改报告（含佐证材料）报送市科技局。"
    "逾期未整改的，按《柳州市工程技术研究中心管理办法》第二十四条处理！是否同意？"
    "“研发投入”、“人员”；比例：3.5%……详见附件——完。"
)
COLUMNS = [ColumnSpec("序号", 0.7, "center"), ColumnSpec("中心名称", 3), ColumnSpec("依托单位", 2),
           ColumnSpec("评审得分", 1.1, "right")]


@pytest.fixture(scope="module")
def serif() -> str:
    return register_reportlab_fonts()["serif"]


# --------------------------------------------------------------------------- line breaking


@pytest.mark.parametrize("chars", range(2, 16))
def test_no_line_starts_with_closing_punctuation_nor_ends_with_opening(serif: str, chars: int) -> None:
    width = 10 * chars + 0.5  # room for `chars` full-width characters at 10 pt
    lines = break_lines(PUNCTUATED, serif, 10, width)
    assert "".join(lines) == PUNCTUATED
    for line in lines:
        assert line and line[0] not in CANNOT_START, lines
        assert line[-1] not in CANNOT_END, lines
        # Below five characters "3.5%……" (4.4 characters wide, unbreakable) cannot fit: then, and
        # only then, a line may overflow rather than break a rule.
        if chars >= 5:
            assert string_width(line, serif, 10) <= width + 1e-6, lines


def test_width_boundary_one_character_more_or_less(serif: str) -> None:
    text = "甲乙丙丁戊己庚辛"
    assert break_lines(text, serif, 10, 80) == [text]  # exactly eight characters wide
    assert break_lines(text, serif, 10, 79.9) == ["甲乙丙丁戊己庚", "辛"]
    assert break_lines(text + "。", serif, 10, 80) == ["甲乙丙丁戊己庚", "辛。"]  # 。 takes 辛 down with it
    assert break_lines(text + "”。", serif, 10, 80) == ["甲乙丙丁戊己庚", "辛”。"]


def test_latin_words_and_numbers_are_not_split(serif: str) -> None:
    text = "Liuzhou Moumou Automobile Co., Ltd. 2026-11-26 共 12345678 元"
    for width in range(60, 200, 7):
        for line in break_lines(text, serif, 10, width):
            assert not line.startswith((",", ".", "-")), line
        joined = " ".join(break_lines(text, serif, 10, width))
        for word in ("Liuzhou", "Automobile", "Co.,", "2026-11-26", "12345678"):
            assert word in joined


def test_explicit_newlines_and_indent(serif: str) -> None:
    lines = break_lines("甲乙丙丁\n戊己", serif, 10, 40, first_indent=20)
    assert lines == ["甲乙", "丙丁", "戊己"]


def test_a_character_wider_than_the_column_still_makes_progress(serif: str) -> None:
    assert break_lines("甲，乙", serif, 10, 5) == ["甲，", "乙"]


@pytest.mark.parametrize("width", [61, 83, 131, 200])
def test_reportlab_draws_exactly_our_lines(serif: str, width: float) -> None:
    """What reportlab lays out (blPara.lines) is what break_lines decided: no re-wrapping."""
    style = ParagraphStyle("t", fontName=serif, fontSize=10, leading=14, wordWrap="CJK")
    paragraph = cjk_paragraph(PUNCTUATED, style, width)
    paragraph.wrap(width, 10_000)
    drawn = paragraph_lines(paragraph)
    assert drawn == break_lines(PUNCTUATED, serif, 10, width - 0.01)
    assert all(line[0] not in CANNOT_START for line in drawn)


def test_titles_break_into_balanced_lines() -> None:
    fonts = register_reportlab_fonts()
    title = "2026年度柳州市工程技术研究中心运行绩效评估结果及整改要求通知"
    lines = balanced_title(title, fonts["sans-bold"], 22, 430).split("\n")
    assert len(lines) == 2
    assert "".join(lines) == title
    assert abs(len(lines[0]) - len(lines[1])) <= 4
    assert balanced_title("认定名单", fonts["sans-bold"], 22, 430) == "认定名单"


# --------------------------------------------------------------------------- render_list


def rows(n: int) -> list[list[str]]:
    return [[str(i), f"柳州第{i}号工程技术研究中心（某公司）", "柳州某某有限公司", f"{90 - i / 10:.1f}"]
            for i in range(1, n + 1)]


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_kind_renders(tmp_path: Path, kind: str) -> None:
    out = render_list(kind, f"测试{KINDS[kind]}", COLUMNS, rows(3), tmp_path / f"{kind}.pdf",
                      document_no="柳科规〔2026〕12号", date=date(2026, 11, 26))
    assert out.read_bytes().startswith(b"%PDF-")


def test_same_input_same_bytes(tmp_path: Path) -> None:
    a = render_list("recognised", "认定名单", COLUMNS, rows(30), tmp_path / "a.pdf")
    b = render_list("recognised", "认定名单", COLUMNS, rows(30), tmp_path / "b.pdf")
    assert a.read_bytes() == b.read_bytes()


def test_empty_list_renders_a_none_row(tmp_path: Path) -> None:
    assert render_list("proposed", "拟认定名单", COLUMNS, [], tmp_path / "e.pdf").exists()


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"kind": "notice"}, "不认识的名单类型"),
        ({"title": "  "}, "标题"),
        ({"columns": []}, "至少要有一列"),
        ({"columns": [ColumnSpec(" ")]}, "列名"),
        ({"columns": [ColumnSpec("甲", 0)]}, "列宽"),
        ({"rows": [["1", "2", "3"]]}, "第 1 行有 3 个单元格"),
        ({"rows": [["1", "2", "3", "4", "5"]]}, "第 1 行有 5 个单元格"),
        ({"issuer": "柳州市科学技术局"}, "落款日期"),
    ],
)
def test_bad_input_is_refused_in_chinese(tmp_path: Path, kwargs: dict[str, object], words: str) -> None:
    args: dict[str, object] = {"kind": "proposed", "title": "名单", "columns": COLUMNS, "rows": rows(1)}
    extra = {k: v for k, v in kwargs.items() if k not in args}
    args.update({k: v for k, v in kwargs.items() if k in args})
    with pytest.raises(ValueError, match=words):
        render_list(args.pop("kind"), args.pop("title"), args.pop("columns"), args.pop("rows"),  # type: ignore[arg-type]
                    tmp_path / "x.pdf", **extra)  # type: ignore[arg-type]
    assert not (tmp_path / "x.pdf").exists()


def test_uncovered_character_in_a_cell_names_row_and_column(tmp_path: Path) -> None:
    data = rows(3)
    data[1][2] = "柳州\U0002a6a5有限公司"
    with pytest.raises(MissingGlyphError) as info:
        render_list("evaluation", "评估结果", COLUMNS, data, tmp_path / "x.pdf")
    [problem] = info.value.missing
    assert problem.field == "第 2 行“依托单位”"
    assert not (tmp_path / "x.pdf").exists()
