"""The documents layer of 第五章 (documents/evaluation_notices.py, evaluation_lists.py): each PDF reopens
with the texts it was given (pdftotext), the workbooks reopen with the rows, and what cannot be printed
is refused before anything is written — a control character by field, a character the fonts lack with
its field and code point, an empty list."""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import load_workbook

from lzcenter_desktop.documents.evaluation_lists import (
    AnnualRow,
    AnnualSummarySpec,
    ResultListSpec,
    ResultRow,
    render_annual_summary,
    render_result_list,
    write_annual_workbook,
    write_result_workbook,
)
from lzcenter_desktop.documents.evaluation_notices import NoticeLetter, render_letter
from lzcenter_desktop.documents.fonts import MissingGlyphError

EXT_B = "\U00020000"  # 𠀀: no bundled font draws it

LETTER = NoticeLetter(
    title="关于柳州市智能装备工程技术研究中心（柳州甲有限公司）限期整改的通知",
    addressee="柳州甲有限公司",
    paragraphs=(
        "经评估，你单位依托建设的中心评估结果为“整改”。",
        "现给予一年的整改期限，自2025年12月15日起至2026年12月15日止。",
    ),
    facts=(
        ("中心名称", "柳州市智能装备工程技术研究中心（柳州甲有限公司）"),
        ("整改期限", "2025年12月15日至2026年12月15日"),
    ),
    signed_on=dt.date(2025, 12, 15),
    document_no="柳科发〔2025〕90号",
    points_intro="评估中发现的主要问题：",
    points=("固定研发人员不足10人",),
    closing=("特此通知。",),
    cc="柳州市工业和信息化局",
)


def text_of(pdf: Path) -> str:
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-raw", str(pdf), "-"], check=True, capture_output=True
    )
    return "".join(out.stdout.decode("utf-8").split())


def test_letter_carries_every_text(tmp_path: Path) -> None:
    path = render_letter(LETTER, tmp_path / "letter.pdf", subject="整改通知")
    text = text_of(path)
    for part in (
        "限期整改的通知",
        "柳科发〔2025〕90号",
        "柳州甲有限公司：",
        "自2025年12月15日起至2026年12月15日止",
        "中心名称",
        "1.固定研发人员不足10人",
        "特此通知。",
        "柳州市科学技术局",
        "二〇二五年十二月十五日",
        "抄送：柳州市工业和信息化局",
    ):
        assert part in text, part


def test_letter_is_repeatable(tmp_path: Path) -> None:
    first = render_letter(LETTER, tmp_path / "a.pdf", subject="整改通知").read_bytes()
    assert render_letter(LETTER, tmp_path / "b.pdf", subject="整改通知").read_bytes() == first


def test_letter_without_points_or_document_no(tmp_path: Path) -> None:
    bare = replace(LETTER, document_no="", points=(), points_intro="", cc="")
    text = text_of(render_letter(bare, tmp_path / "bare.pdf", subject="整改通知"))
    assert "主要问题" not in text and "抄送" not in text and "〔" not in text


def test_letter_refuses_a_control_character_by_field(tmp_path: Path) -> None:
    bad = replace(LETTER, facts=(("中心名称", "柳州\u0007中心"),))
    with pytest.raises(ValueError, match="“表格“中心名称”的内容”含有不可见的控制字符 U\\+0007"):
        render_letter(bad, tmp_path / "bad.pdf", subject="整改通知")
    assert not (tmp_path / "bad.pdf").exists()


def test_letter_refuses_a_missing_glyph_before_drawing(tmp_path: Path) -> None:
    bad = replace(LETTER, addressee=f"柳州{EXT_B}有限公司")
    with pytest.raises(MissingGlyphError) as caught:
        render_letter(bad, tmp_path / "bad.pdf", subject="整改通知")
    assert any(m.field == "主送" and m.char == EXT_B for m in caught.value.missing)
    assert not (tmp_path / "bad.pdf").exists()


def test_letter_without_text_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="没有正文"):
        render_letter(replace(LETTER, paragraphs=("  ",)), tmp_path / "x.pdf", subject="整改通知")


# --------------------------------------------------------------------------- lists


def _result_row(name: str, grade: str, total: str = "80") -> ResultRow:
    return ResultRow(
        center_name=f"柳州市{name}工程技术研究中心",
        host_name=f"柳州{name}有限公司",
        grade=grade,
        participated=grade != "视为自动放弃",
        total=total,
        self_score="—",
        expert_score=total,
        conditions="满足",
        outcome="保留称号（拟）",
        outcome_on="—",
    )


RESULTS = ResultListSpec(
    title="2025年度柳州市工程技术研究中心绩效评估结果名单",
    document_no="柳科发〔2026〕3号",
    intro="现将评估结果公布如下：",
    counts="其中：优秀 1 家，合格 1 家。",
    rows=(
        _result_row("智能装备", "优秀", "92.5"),
        _result_row("电子信息", "合格"),
        _result_row("生物", "视为自动放弃"),
    ),
    signed_on=None,
)


def test_result_list_keeps_the_order_given_and_no_signature_without_a_date(tmp_path: Path) -> None:
    text = text_of(render_result_list(RESULTS, tmp_path / "list.pdf"))
    assert "1柳州市智能装备工程技术研究中心柳州智能装备有限公司优秀" in text
    assert "3柳州市生物工程技术研究中心柳州生物有限公司视为自动放弃" in text
    assert text.index("智能装备") < text.index("电子信息") < text.index("生物")
    assert "柳州市科学技术局" not in text and "92.5" not in text
    signed = replace(RESULTS, signed_on=dt.date(2026, 1, 10))
    assert "二〇二六年一月十日" in text_of(render_result_list(signed, tmp_path / "signed.pdf"))


def test_result_workbook_writes_text_as_text(tmp_path: Path) -> None:
    spec = replace(RESULTS, rows=(replace(_result_row("甲", "合格"), host_name="=1+1"), *RESULTS.rows))
    path, notes = write_result_workbook(spec, tmp_path / "list.xlsx")
    assert notes == []
    rows = [r for r in load_workbook(path)["评估结果"].iter_rows(values_only=True) if r and r[0] == 1]
    assert rows[0][2] == "=1+1" and rows[0][5] == "80"


def test_empty_lists_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="没有任何中心的评估结果"):
        render_result_list(replace(RESULTS, rows=()), tmp_path / "x.pdf")
    with pytest.raises(ValueError, match="没有任何中心的评估结果"):
        write_result_workbook(replace(RESULTS, rows=()), tmp_path / "x.xlsx")
    empty = replace(ANNUAL, rows=())
    with pytest.raises(ValueError, match="没有应报送工作年报的中心"):
        render_annual_summary(empty, tmp_path / "y.pdf")
    with pytest.raises(ValueError, match="没有应报送工作年报的中心"):
        write_annual_workbook(empty, tmp_path / "y.xlsx")
    assert list(tmp_path.iterdir()) == []


ANNUAL = AnnualSummarySpec(
    year=2025,
    deadline=dt.date(2025, 12, 31),
    as_of=dt.date(2026, 1, 1),
    counts=(("应报送", 2), ("已按期报送", 1), ("逾期未报", 1)),
    draws=("2026年2月20日，随机抽取1家（随机种子 2025），抽取 1 家",),
    rows=(
        AnnualRow("柳州市甲中心", "柳州甲有限公司", "已按期报送（已备案）", "2025年12月31日", "优秀",
                  "31", "358", "4", "7", "1", "现场核查：年报数据属实"),
        AnnualRow("柳州市乙中心", "柳州乙有限公司", "逾期未报", "—", "—", "—", "—", "—", "—", "—", "未抽取"),
    ),
)  # fmt: skip


def test_annual_summary_pdf_and_workbook(tmp_path: Path) -> None:
    text = text_of(render_annual_summary(ANNUAL, tmp_path / "annual.pdf"))
    assert "2025年度柳州市工程技术研究中心工作年报汇总表" in text
    assert "应报送2家，已按期报送1家，逾期未报1家" in text
    assert (
        "1柳州市甲中心柳州甲有限公司已按期报送（已备案）2025年12月31日优秀31358471现场核查：年报数据属实"
        in text
    )
    path, notes = write_annual_workbook(
        replace(ANNUAL, draws=("含控制字符\u0001的说明",)), tmp_path / "a.xlsx"
    )
    assert len(notes) == 1 and "U+0001" in notes[0]
    sheet = load_workbook(path)["年报汇总"]
    values = [r for r in sheet.iter_rows(values_only=True) if r and r[0] in ("1", "2")]
    assert [r[1] for r in values] == ["柳州市甲中心", "柳州市乙中心"] and values[1][3] == "逾期未报"
