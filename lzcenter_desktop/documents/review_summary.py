"""评审会汇总表 (PDF, A4 landscape) and the 排名表 workbook (xlsx) of a review session.

The summary: the call, the session, its date and place, how the experts' scores were aggregated
(with its label), the experts, and per declaration each expert's score, the expert score, the site
score, the total and the result — for a closed session as stored, for an open one marked as a
preview.  The ranking workbook: the ranking of a closed session with the totals shown with two
decimals and the exact value in a column of its own, the outcome and the reason of an exception.

Totals are texts the service formats with ``domain.review.shown_score`` (two decimals cut, never
rounded up: ``59.995`` → ``59.99``).  In the workbook the shown score is written as the number
with those two decimals (``59.99``, format ``0.00``) — never the exact value under a two-decimal
format, which Excel would show rounded (``60.00``) — and the exact value as text (``59.995``,
``182/3``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

from lzcenter_desktop.documents.layout import cjk_paragraph
from lzcenter_desktop.documents.review_common import (
    CELL_PAD,
    GREY,
    Col,
    TextCheck,
    blanks_line,
    body_paragraphs,
    build_pdf,
    data_table,
    frame_width,
    styles,
)

__all__ = ["RankingRow", "SessionSummarySpec", "render_session_summary", "write_ranking_workbook"]

SUMMARY_SUBJECT: Final = "评审会汇总表"
RANKING_SUBJECT: Final = "评审排名表"
LEADER_LINE: Final = "评审专家组组长（签字）："
RECORDER_LINE: Final = "记录人（签字）："
PREVIEW_NOTE: Final = "（评审会尚未结束，以下为按当前评分计算的预览，结果以结束评审后确定的为准）"
SUMMARY_COLUMNS: Final = (
    Col("排名", 0.55, "center"),
    Col("中心名称", 2.8, "left"),
    Col("依托单位", 1.9, "left"),
    Col("各专家评分", 2.2, "left"),
    Col("专家评审得分", 1.05, "center"),
    Col("现场考察得分", 1.05, "center"),
    Col("总分", 0.85, "center"),
    Col("评审结论", 2.5, "left"),
)
RANKING_HEADER: Final = (
    "排名",
    "申报书编号",
    "中心名称",
    "依托单位",
    "专家人数",
    "汇总方式",
    "专家评审得分",
    "现场考察得分",
    "总分",
    "总分（精确值）",
    "专家评审得分（精确值）",
    "现场考察得分（精确值）",
    "评审结论",
    "按分数线的结论",
    "例外理由",
)


@dataclass(frozen=True)
class RankingRow:
    """One declaration's result: shown scores (two decimals, cut), exact texts, the outcome."""

    rank: int
    declaration_id: int
    center_name: str
    host_name: str
    expert_count: int
    expert_scores: tuple[str, ...]  # each expert's total, shown, by expert
    expert_score: str
    site_score: str
    total: str
    expert_exact: str
    site_exact: str
    total_exact: str
    outcome: str  # 拟认定 / 不予认定
    computed_outcome: str  # by the pass score alone
    exception_reason: str | None


@dataclass(frozen=True)
class SessionSummarySpec:
    """Everything the session summary and the ranking workbook show."""

    call_title: str
    call_document_no: str
    session_title: str
    status_label: str  # 已结束 / 评审中 …
    held_on: date
    location: str
    aggregation_label: str
    formula: str  # 总分 = 专家评审得分 × 50% + 现场考察得分 × 50%；原则上60分及以上拟认定
    experts: tuple[str, ...]  # 姓名（单位）
    rows: tuple[RankingRow, ...]
    decided_on: date | None  # None: the session is still open (a preview)


def _day(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _conclusion(row: RankingRow) -> str:
    if row.exception_reason:
        return f"{row.outcome}（例外：{row.exception_reason}）"
    return row.outcome


def _summary_rows(spec: SessionSummarySpec) -> list[list[str]]:
    return [
        [
            str(r.rank),
            r.center_name,
            r.host_name,
            "、".join(r.expert_scores),
            r.expert_score,
            r.site_score,
            r.total,
            _conclusion(r),
        ]
        for r in spec.rows
    ]


def _info(spec: SessionSummarySpec) -> list[tuple[str, str]]:
    call = spec.call_title + (f"（{spec.call_document_no}）" if spec.call_document_no else "")
    decided = _day(spec.decided_on) if spec.decided_on is not None else "尚未结束（预览）"
    return [
        ("申报通知", call),
        ("评审会", f"{spec.session_title}（{spec.status_label}）"),
        ("评审日期", _day(spec.held_on) + (f"，{spec.location}" if spec.location else "")),
        ("专家评分汇总方式", spec.aggregation_label),
        ("总分计算", spec.formula),
        ("评审专家", "、".join(spec.experts) if spec.experts else "（无）"),
        ("结果确定日期", decided),
    ]


def render_session_summary(spec: SessionSummarySpec, path: Path) -> Path:
    """Write the summary of a session to ``path`` (A4 landscape).

    Raises :class:`ValueError` for a session without declarations or a control character, and
    :class:`~lzcenter_desktop.documents.fonts.MissingGlyphError` before anything is drawn."""
    from reportlab.lib import colors
    from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle

    if not spec.rows:
        raise ValueError(f"评审会“{spec.session_title}”没有任何申报书的评审结果，无法生成汇总表。")
    title = f"{spec.session_title}汇总表"
    rows = _summary_rows(spec)
    check = TextCheck()
    check.title("标题", title)
    for label, value in _info(spec):
        check.text(label, label + value)
    check.table("汇总表", SUMMARY_COLUMNS, rows)
    notes = _notes(spec)
    check.text("说明", notes + PREVIEW_NOTE + LEADER_LINE + RECORDER_LINE + "日期：年月日")
    check.check()

    st = styles()
    width = frame_width(landscape=True)
    story: list[Any] = [cjk_paragraph(title, st.title, width)]
    if spec.decided_on is None:
        story.append(cjk_paragraph(PREVIEW_NOTE, st.subtitle, width))
    story.append(Spacer(1, 8))
    label_w, value_w = width * 0.14, width * 0.86
    info = [
        [
            cjk_paragraph(label, st.small["center"], label_w - 2 * CELL_PAD),
            cjk_paragraph(value, st.small["left"], value_w - 2 * CELL_PAD),
        ]
        for label, value in _info(spec)
    ]
    table = Table(info, colWidths=[label_w, value_w])
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                ("FONT", (0, 0), (-1, -1), st.fonts["serif"]),
                ("BACKGROUND", (0, 0), (0, -1), colors.Color(*GREY)),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD),
                ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    story.extend([table, Spacer(1, 10), data_table(SUMMARY_COLUMNS, rows, width, st, small=True)])
    # the note and the signatures stay together: a signature is never alone on a page
    tail: list[Any] = [Spacer(1, 6), *body_paragraphs(notes, st.small["left"], width, indent=False)]
    signatures = [
        (LEADER_LINE, -1.0),
        (RECORDER_LINE, -1.0),
        ("日期：", 3.4),
        ("年", 2.0),
        ("月", 2.0),
        ("日", 0.0),
    ]
    tail += [Spacer(1, 14), blanks_line(signatures, width, st)]
    story.append(KeepTogether(tail))
    return build_pdf(story, path, title=title, subject=SUMMARY_SUBJECT, landscape=True)


def _notes(spec: SessionSummarySpec) -> str:
    return (
        "注：总分按精确值计算和排名，显示时保留两位小数（舍去，不进位：59.995显示为59.99，未达到60分）；"
        "总分相同的并列同一名次。“各专家评分”为每位专家的评分合计，按专家排列。"
    )


# --------------------------------------------------------------------------- the workbook


def _number(text: str) -> Decimal | str:
    """A shown score (``59.99``) as a number for Excel, or the text itself if it is not one."""
    try:
        return Decimal(text)
    except ArithmeticError:
        return text


def write_ranking_workbook(spec: SessionSummarySpec, path: Path) -> tuple[Path, list[str]]:
    """Write the ranking of a closed session to the workbook ``path``; return it and the notes on
    characters Excel cannot store (removed, each named by row and column).

    Every text is written as text (a name beginning with ``=`` is not a formula); the shown scores
    as numbers with two decimals, the exact values as text.  Raises :class:`ValueError` for an open
    session or a session without results."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from lzcenter_desktop.documents.xlsx import safe

    if spec.decided_on is None:
        raise ValueError(f"评审会“{spec.session_title}”尚未结束，排名表只能在结束评审、确定结果后生成。")
    if not spec.rows:
        raise ValueError(f"评审会“{spec.session_title}”没有任何申报书的评审结果，无法生成排名表。")
    wb = Workbook()
    ws = wb.active
    ws.title = "排名"
    notes: list[str] = []
    bold = Font(bold=True)
    ws.append([f"{spec.session_title}排名表"])
    ws["A1"].font = Font(bold=True, size=14)
    info = [
        f"申报通知：{spec.call_title}" + (f"（{spec.call_document_no}）" if spec.call_document_no else ""),
        f"评审日期：{_day(spec.held_on)}；结果确定日期：{_day(spec.decided_on)}",
        f"专家评分汇总方式：{spec.aggregation_label}；{spec.formula}",
        "“总分”等显示两位小数（舍去，不进位）；精确值见“（精确值）”列，排名按精确值。",
    ]
    for r, line in enumerate(info, start=2):
        notes += safe.put(ws.cell(row=r, column=1), line, where=f"第 {r} 行")
    header_row = len(info) + 3
    for c, title in enumerate(RANKING_HEADER, start=1):
        cell = ws.cell(row=header_row, column=c, value=title)
        cell.font = bold
        cell.fill = PatternFill("solid", fgColor="E6E6E6")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for i, row in enumerate(spec.rows, start=header_row + 1):
        values: list[Any] = [
            row.rank,
            row.declaration_id,
            row.center_name,
            row.host_name,
            row.expert_count,
            spec.aggregation_label,
            _number(row.expert_score),
            _number(row.site_score),
            _number(row.total),
            row.total_exact,
            row.expert_exact,
            row.site_exact,
            row.outcome,
            row.computed_outcome,
            row.exception_reason or "",
        ]
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=i, column=c)
            notes += safe.put(cell, value, where=f"第 {i} 行“{RANKING_HEADER[c - 1]}”")
            if isinstance(value, Decimal):
                cell.value = value
                cell.number_format = "0.00"
            elif c in (10, 11, 12):
                cell.number_format = "@"
    widths = (6, 10, 40, 28, 8, 14, 12, 12, 10, 14, 14, 14, 10, 14, 40)
    for c, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = w
    ws.freeze_panes = ws.cell(row=header_row + 1, column=4)
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    wb.properties.title = f"{spec.session_title}排名表"
    wb.properties.creator = "柳州市科学技术局"
    wb.save(path)
    return path, notes
