"""The lists of 第五章 (issue 14 item 7), as PDF and as xlsx:

* the 年报汇总表 of a year (第二十一条): every centre obliged to report, the report's status, its key
  figures and the 现场核查 result — A4 landscape, with the counts and the draws above the table;
* the 绩效评估结果名单 of a round (第二十二条: 评估结果向社会公布): centre, host, grade, ordered by
  grade — A4 portrait, publishable (no scores); the workbook adds the scores and the outcome for the
  bureau's own use.

The service hands in plain texts (:class:`AnnualSummarySpec`, :class:`ResultListSpec`); numbers are
printed as the record holds them.  Every text is checked before drawing; the workbooks write every
text as text (a name beginning with ``=`` is not a formula) and report the characters Excel cannot
store.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Final

from lzcenter_desktop.documents.layout import ISSUER, chinese_date, cjk_paragraph
from lzcenter_desktop.documents.lists import balanced_title
from lzcenter_desktop.documents.review_common import (
    TITLE_SIZE,
    Col,
    TextCheck,
    body_paragraphs,
    build_pdf,
    data_table,
    frame_width,
    styles,
)

__all__ = [
    "ANNUAL_COLUMNS",
    "RESULT_COLUMNS",
    "RESULT_WORKBOOK_HEADER",
    "AnnualRow",
    "AnnualSummarySpec",
    "ResultListSpec",
    "ResultRow",
    "render_annual_summary",
    "render_result_list",
    "write_annual_workbook",
    "write_result_workbook",
]

ANNUAL_SUBJECT: Final = "年报汇总表"
RESULT_SUBJECT: Final = "绩效评估结果名单"
LIST_ROOM: Final = 120.0  # points: the list starts a new page with less room than this left
ANNUAL_COLUMNS: Final = (
    Col("序号", 0.6, "center"),
    Col("中心名称", 2.4, "left"),
    Col("依托单位", 1.6, "left"),
    Col("报送情况", 1.25, "center"),
    Col("报送日期", 1.35, "center"),
    Col("依托单位考核结果", 0.95, "center"),
    Col("研发人员（人）", 0.8, "center"),
    Col("研发投入（万元）", 1.1, "center"),
    Col("项目（项）", 0.65, "center"),
    Col("授权专利（件）", 0.8, "center"),
    Col("标准（项）", 0.65, "center"),
    Col("现场核查", 1.6, "left"),
)
RESULT_COLUMNS: Final = (
    Col("序号", 0.6, "center"),
    Col("中心名称", 3.2, "left"),
    Col("依托单位", 2.1, "left"),
    Col("评估结果", 1.45, "center"),
)
RESULT_WORKBOOK_HEADER: Final = (
    "序号",
    "中心名称",
    "依托单位",
    "评估结果",
    "是否参加评估",
    "总分",
    "自评得分",
    "专家评审得分",
    "第九条基本条件",
    "处理意见",
    "处理日期",
)


@dataclass(frozen=True)
class AnnualRow:
    """One centre obliged to report: the figures as texts ("—" where the report has none)."""

    center_name: str
    host_name: str
    status: str  # 已按期报送（已备案）…
    submitted_on: str
    host_assessment: str
    rd_staff: str
    rd_investment_wan: str
    projects: str
    patents: str
    standards: str
    spot_check: str  # 未抽取 / 已抽取，待核查 / the findings


@dataclass(frozen=True)
class AnnualSummarySpec:
    year: int
    deadline: date
    as_of: date
    counts: tuple[tuple[str, int], ...]  # (label, number): 应报送, 已按期报送 …
    draws: tuple[str, ...]  # each draw of the year: date and method
    rows: tuple[AnnualRow, ...]

    @property
    def title(self) -> str:
        return f"{self.year}年度柳州市工程技术研究中心工作年报汇总表"


@dataclass(frozen=True)
class ResultRow:
    center_name: str
    host_name: str
    grade: str  # 优秀 / 合格 / 整改 / 不合格 / 未参加评估（视为自动放弃）
    participated: bool
    total: str
    self_score: str
    expert_score: str
    conditions: str  # 满足 / 不满足（…）/ 未复核
    outcome: str
    outcome_on: str


@dataclass(frozen=True)
class ResultListSpec:
    title: str
    document_no: str
    intro: str
    counts: str  # 优秀 3 家、合格 10 家 …
    rows: tuple[ResultRow, ...]
    signed_on: date | None


def _day(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _numbered(rows: Sequence[Sequence[str]]) -> list[list[str]]:
    return [[str(i), *row] for i, row in enumerate(rows, start=1)]


def _annual_rows(spec: AnnualSummarySpec) -> list[list[str]]:
    return _numbered(
        [
            (
                r.center_name,
                r.host_name,
                r.status,
                r.submitted_on,
                r.host_assessment,
                r.rd_staff,
                r.rd_investment_wan,
                r.projects,
                r.patents,
                r.standards,
                r.spot_check,
            )
            for r in spec.rows
        ]
    )


def _annual_info(spec: AnnualSummarySpec) -> list[str]:
    counts = "，".join(f"{label} {n} 家" for label, n in spec.counts)
    lines = [
        f"报送截止日期：{_day(spec.deadline)}（第二十一条）；统计日期：{_day(spec.as_of)}。",
        f"{counts}。",
    ]
    if spec.draws:
        lines += [f"现场核查：{draw}" for draw in spec.draws]
    else:
        lines.append("现场核查：本年度尚未抽取。")
    return lines


ANNUAL_NOTE: Final = (
    "注：报送情况按统计日期计；“逾期未报”为截止日期已过仍未报送，“未报送”为截止日期未到尚未报送；"
    "草稿未提交的不计为已报送。数据取自各中心报送的工作年报。"
)


def render_annual_summary(spec: AnnualSummarySpec, path: Path) -> Path:
    """Write the 年报汇总表 of a year to ``path`` (A4 landscape)."""
    from reportlab.platypus import Spacer

    if not spec.rows:
        raise ValueError(f"{spec.year}年度没有应报送工作年报的中心，无法生成年报汇总表。")
    rows = _annual_rows(spec)
    info = _annual_info(spec)
    check = TextCheck()
    check.title("标题", spec.title)
    check.text("说明", "".join(info) + ANNUAL_NOTE)
    check.table("汇总表", ANNUAL_COLUMNS, rows)
    check.check()
    for row in rows:  # 2025年 / 12月31日 on two even lines, never a lone 日
        row[4] = row[4].replace("年", "年\n", 1)
    st = styles()
    width = frame_width(landscape=True)
    story: list[Any] = [cjk_paragraph(spec.title, st.title, width), Spacer(1, 6)]
    for line in info:
        story.extend(body_paragraphs(line, st.small["left"], width, indent=False))
    story.extend([Spacer(1, 6), data_table(ANNUAL_COLUMNS, rows, width, st, small=True), Spacer(1, 6)])
    story.extend(body_paragraphs(ANNUAL_NOTE, st.small["left"], width, indent=False))
    return build_pdf(story, path, title=spec.title, subject=ANNUAL_SUBJECT, landscape=True)


def _result_rows(spec: ResultListSpec) -> list[list[str]]:
    return _numbered([(r.center_name, r.host_name, r.grade) for r in spec.rows])


def render_result_list(spec: ResultListSpec, path: Path) -> Path:
    """Write the publishable 绩效评估结果名单 (centre, host, grade; ordered by the service) to
    ``path`` (A4 portrait), signed by the bureau on ``signed_on`` (no signature without it)."""
    from reportlab.platypus import CondPageBreak, Spacer

    if not spec.rows:
        raise ValueError(f"“{spec.title}”没有任何中心的评估结果，无法生成结果名单。")
    rows = _result_rows(spec)
    check = TextCheck()
    check.title("标题", spec.title)
    check.text("文号", spec.document_no)
    check.text("正文", spec.intro + spec.counts)
    check.table("名单", RESULT_COLUMNS, rows)
    if spec.signed_on is not None:
        check.text("落款", ISSUER + chinese_date(spec.signed_on))
    check.check()
    st = styles()
    width = frame_width()
    title = balanced_title(spec.title.strip(), st.fonts["sans-bold"], TITLE_SIZE, width)
    story: list[Any] = [cjk_paragraph(title, st.title, width)]
    if spec.document_no.strip():
        story.append(cjk_paragraph(spec.document_no.strip(), st.subtitle, width))
    story.append(Spacer(1, 10))
    story.extend(body_paragraphs(spec.intro, st.body, width))
    if spec.counts:
        story.extend(body_paragraphs(spec.counts, st.body, width))
    # the text and the signature first, the list after them (as a 公示 is set): the signature is
    # never left alone on the page after a long list
    if spec.signed_on is not None:
        story += [
            Spacer(1, 24),
            cjk_paragraph(ISSUER, st.sign, width),
            cjk_paragraph(chinese_date(spec.signed_on), st.sign, width),
        ]
    story += [Spacer(1, 16), CondPageBreak(LIST_ROOM), cjk_paragraph(spec.title, st.subtitle, width)]
    story += [Spacer(1, 6), data_table(RESULT_COLUMNS, rows, width, st)]
    return build_pdf(story, path, title=spec.title, subject=RESULT_SUBJECT)


# --------------------------------------------------------------------------- workbooks


def _sheet(title: str, header: Sequence[str], lines: Sequence[str]) -> tuple[Any, Any, int, list[str]]:
    """A workbook with one sheet: the title, ``lines`` of information, the bold header row."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    from lzcenter_desktop.documents.xlsx import safe

    wb = Workbook()
    ws = wb.active
    notes: list[str] = []
    notes += safe.put(ws.cell(row=1, column=1), title, where="标题")
    ws["A1"].font = Font(bold=True, size=14)
    for r, line in enumerate(lines, start=2):
        notes += safe.put(ws.cell(row=r, column=1), line, where=f"第 {r} 行")
    header_row = len(lines) + 3
    for c, text in enumerate(header, start=1):
        cell = ws.cell(row=header_row, column=c, value=text)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E6E6E6")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    return wb, ws, header_row, notes


def _finish(wb: Any, ws: Any, header_row: int, widths: Sequence[int], title: str, path: Path) -> None:
    from openpyxl.utils import get_column_letter

    for c, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = w
    ws.freeze_panes = ws.cell(row=header_row + 1, column=3)
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    wb.properties.title = title
    wb.properties.creator = ISSUER
    wb.save(path)


def _rows_into(ws: Any, header: Sequence[str], first: int, rows: Sequence[Sequence[Any]]) -> list[str]:
    from lzcenter_desktop.documents.xlsx import safe

    notes: list[str] = []
    for i, row in enumerate(rows, start=first):
        for c, value in enumerate(row, start=1):
            notes += safe.put(ws.cell(row=i, column=c), value, where=f"第 {i} 行“{header[c - 1]}”")
    return notes


def write_annual_workbook(spec: AnnualSummarySpec, path: Path) -> tuple[Path, list[str]]:
    """Write the 年报汇总表 to the workbook ``path`` (sheet 年报汇总); return it and the notes on
    characters Excel cannot store."""
    if not spec.rows:
        raise ValueError(f"{spec.year}年度没有应报送工作年报的中心，无法生成年报汇总表。")
    header = [c.title for c in ANNUAL_COLUMNS]
    wb, ws, header_row, notes = _sheet(spec.title, header, _annual_info(spec))
    ws.title = "年报汇总"
    notes += _rows_into(ws, header, header_row + 1, _annual_rows(spec))
    _finish(wb, ws, header_row, (6, 40, 30, 16, 14, 12, 10, 12, 8, 10, 8, 36), spec.title, path)
    return path, notes


def write_result_workbook(spec: ResultListSpec, path: Path) -> tuple[Path, list[str]]:
    """Write the result list with the scores and the outcome to the workbook ``path`` (sheet
    评估结果); return it and the notes on characters Excel cannot store."""
    if not spec.rows:
        raise ValueError(f"“{spec.title}”没有任何中心的评估结果，无法生成结果名单。")
    lines = [spec.document_no, spec.counts, "总分等为记录中的精确值；处理意见为按第二十四条提出的处理。"]
    wb, ws, header_row, notes = _sheet(spec.title, RESULT_WORKBOOK_HEADER, [x for x in lines if x])
    ws.title = "评估结果"
    rows = [
        (
            i,
            r.center_name,
            r.host_name,
            r.grade,
            "是" if r.participated else "否",
            r.total,
            r.self_score,
            r.expert_score,
            r.conditions,
            r.outcome,
            r.outcome_on,
        )
        for i, r in enumerate(spec.rows, start=1)
    ]
    notes += _rows_into(ws, RESULT_WORKBOOK_HEADER, header_row + 1, rows)
    _finish(wb, ws, header_row, (6, 40, 30, 22, 10, 10, 10, 12, 30, 20, 14), spec.title, path)
    return path, notes
