"""专家评分表 to sign: for each expert of a review session, one A4 page per declaration assigned to
them — the indicators of the score sheet (``forms/review-<year>.toml``) with their maximum and
guidance, the points entered (blank boxes when none are), the total, the expert's opinion and the
lines for the signature and the date.

The service hands in plain values (:class:`ScoreSheetsSpec`); points are printed as recorded
(``17.5``), the total with two decimals cut, never rounded up (``59.995`` → ``59.99``) — the
service formats it with ``domain.review.shown_score``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Final

from lzcenter_desktop.documents.layout import cjk_paragraph
from lzcenter_desktop.documents.review_common import (
    CELL_PAD,
    GREY,
    Col,
    Styles,
    TextCheck,
    build_pdf,
    data_table,
    frame_width,
    signature_block,
    styles,
)

__all__ = ["ExpertSheets", "ScoreSheetsSpec", "SheetEntry", "SheetIndicator", "render_score_sheets"]

SUBJECT: Final = "专家评分表"
SIGN_LINE: Final = "评审专家（签字）："
NOTE: Final = "说明：每项得分为0至该项满分之间的数，最多保留两位小数；合计为各项得分之和。"
COMMENT_LABEL: Final = "评审意见："
COLUMNS: Final = (
    Col("序号", 0.65, "center"),
    Col("评价指标", 1.35, "center"),
    Col("评分要点", 4.75, "left"),
    Col("满分", 0.75, "center"),
    Col("得分", 0.95, "center"),
)


@dataclass(frozen=True)
class SheetIndicator:
    """One indicator of the sheet: its name, its maximum (text, ``20``) and its guidance."""

    name: str
    max_points: str
    guidance: str


@dataclass(frozen=True)
class SheetEntry:
    """One declaration an expert scores: the points per indicator in the sheet's order (``None``:
    not entered — a blank box), the total (``None``: blank), the opinion, and a note."""

    declaration_id: int
    center_name: str
    host_name: str
    points: tuple[str | None, ...]
    total: str | None
    comment: str | None = None
    note: str = ""


@dataclass(frozen=True)
class ExpertSheets:
    """The sheets of one expert, one per declaration."""

    expert_name: str
    expert_unit: str
    entries: tuple[SheetEntry, ...]


@dataclass(frozen=True)
class ScoreSheetsSpec:
    """Everything the score sheets of a session print."""

    title: str  # the sheet's title, 柳州市工程技术研究中心认定评审评分表
    sheet_version: str
    session_title: str
    held_on: date
    indicators: tuple[SheetIndicator, ...]
    experts: tuple[ExpertSheets, ...]


def _day(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _check(spec: ScoreSheetsSpec) -> None:
    if not spec.indicators:
        raise ValueError("评分表没有任何评价指标，无法生成专家评分表。")
    if not any(e.entries for e in spec.experts):
        raise ValueError("没有需要评分的申报书，无法生成专家评分表。")
    check = TextCheck()
    check.title("标题", spec.title + "合计")
    check.text("副标题", f"（专家评审用，评分表{spec.sheet_version}版）")
    check.text("评审会", spec.session_title + _day(spec.held_on))
    check.text(
        "固定文字",
        SIGN_LINE + "日期：年月日" + NOTE + COMMENT_LABEL + "评审会评审日期申报中心依托单位"
        "申报书编号评审专家工作单位",
    )
    for i, item in enumerate(spec.indicators, start=1):
        check.text(f"第 {i} 项指标", item.name + item.max_points + item.guidance)
    for column in COLUMNS:
        check.title("表头", column.title)
    for expert in spec.experts:
        check.text(f"专家“{expert.expert_name}”", expert.expert_name + expert.expert_unit)
        for entry in expert.entries:
            where = f"专家“{expert.expert_name}”对“{entry.center_name}”的评分表"
            if len(entry.points) != len(spec.indicators):
                raise ValueError(
                    f"{where}有 {len(entry.points)} 项得分，应与指标数 {len(spec.indicators)} 一致。"
                )
            check.text(f"{where}：中心名称", entry.center_name)
            check.text(f"{where}：依托单位", entry.host_name)
            check.text(f"{where}：得分", "".join(p or "" for p in entry.points) + (entry.total or ""))
            check.text(f"{where}：评审意见", (entry.comment or "") + entry.note)
    check.check()


def _info_table(
    spec: ScoreSheetsSpec, expert: ExpertSheets, entry: SheetEntry, width: float, st: Styles
) -> Any:
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    widths = [width * s for s in (0.13, 0.47, 0.14, 0.26)]
    label, value = st.small["center"], st.small["left"]

    def p(text: str, style: Any, col: int, span: int = 1) -> Any:
        return cjk_paragraph(text, style, sum(widths[col : col + span]) - 2 * CELL_PAD)

    data = [
        [
            p("评审会", label, 0),
            p(spec.session_title, value, 1),
            p("评审日期", label, 2),
            p(_day(spec.held_on), value, 3),
        ],
        [p("申报中心", label, 0), p(entry.center_name, value, 1, 3), "", ""],
        [
            p("依托单位", label, 0),
            p(entry.host_name, value, 1),
            p("申报书编号", label, 2),
            p(str(entry.declaration_id), value, 3),
        ],
        [
            p("评审专家", label, 0),
            p(expert.expert_name, value, 1),
            p("工作单位", label, 2),
            p(expert.expert_unit, value, 3),
        ],
    ]
    table = Table(data, colWidths=widths)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                ("FONT", (0, 0), (-1, -1), st.fonts["serif"]),
                ("SPAN", (1, 1), (3, 1)),
                ("BACKGROUND", (0, 0), (0, -1), colors.Color(*GREY)),
                ("BACKGROUND", (2, 0), (2, 0), colors.Color(*GREY)),
                ("BACKGROUND", (2, 2), (2, 3), colors.Color(*GREY)),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD),
                ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def _score_table(spec: ScoreSheetsSpec, entry: SheetEntry, width: float, st: Styles) -> Any:
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle

    guidance = ParagraphStyle("guidance", parent=st.small["left"], fontSize=9.0, leading=11.6)
    share = sum(c.width for c in COLUMNS)
    guide_width = width * COLUMNS[2].width / share - 2 * CELL_PAD
    rows: list[list[Any]] = []
    for i, (item, points) in enumerate(zip(spec.indicators, entry.points, strict=True), start=1):
        rows.append(
            [
                str(i),
                item.name,
                cjk_paragraph(item.guidance, guidance, guide_width),
                item.max_points,
                points or "",
            ]
        )
    last = len(rows) + 1
    total_width = width * sum(c.width for c in COLUMNS[:3]) / share - 2 * CELL_PAD
    rows.append([cjk_paragraph("合计", st.header, total_width), "", "", "100", entry.total or ""])
    return data_table(
        COLUMNS,
        rows,
        width,
        st,
        extra=[
            ("SPAN", (0, last), (2, last)),
            ("BACKGROUND", (0, last), (-1, last), colors.Color(*GREY)),
        ],
    )


def _comment_box(entry: SheetEntry, width: float, st: Styles) -> Any:
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    text = COMMENT_LABEL + (entry.comment or "")
    style = st.small["left"] if entry.comment else st.cells["left"]
    cell = [cjk_paragraph(text, style, width - 2 * CELL_PAD)]
    if entry.note:
        cell.append(cjk_paragraph(entry.note, st.small["left"], width - 2 * CELL_PAD))
    table = Table([[cell]], colWidths=[width], rowHeights=None)
    table.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.6, colors.black),
                ("FONT", (0, 0), (-1, -1), st.fonts["serif"]),  # else the cell selects Helvetica
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD),
                ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                # room to write in by hand when there is no opinion yet
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8 if entry.comment else 26),
            ]
        )
    )
    return table


def render_score_sheets(spec: ScoreSheetsSpec, path: Path) -> Path:
    """Write the score sheets of ``spec`` (one page per expert and declaration) to ``path``.

    Raises :class:`ValueError` (Chinese) for a sheet without indicators, no declaration to score,
    points that do not match the indicators or a control character, and
    :class:`~lzcenter_desktop.documents.fonts.MissingGlyphError` before anything is drawn."""
    from reportlab.platypus import KeepTogether, PageBreak, Spacer

    _check(spec)
    st = styles()
    width = frame_width()
    from reportlab.lib.styles import ParagraphStyle

    title_style = ParagraphStyle("sheet-title", parent=st.title, fontSize=16, leading=22)
    sub_style = ParagraphStyle("sheet-sub", parent=st.subtitle, fontSize=10.5, leading=15)
    story: list[Any] = []
    for expert in spec.experts:
        for entry in expert.entries:
            if story:
                story.append(PageBreak())
            story.append(cjk_paragraph(spec.title, title_style, width))
            story.append(cjk_paragraph(f"（专家评审用，评分表{spec.sheet_version}版）", sub_style, width))
            story.append(Spacer(1, 4))
            story.append(_info_table(spec, expert, entry, width, st))
            story.append(Spacer(1, 6))
            story.append(_score_table(spec, entry, width, st))
            story.append(Spacer(1, 6))
            # the opinion and the signature stay together: a signature is never alone on a page
            tail = [
                _comment_box(entry, width, st),
                cjk_paragraph(NOTE, st.small["left"], width),
                Spacer(1, 12),
                signature_block(SIGN_LINE, width, st),
            ]
            story.append(KeepTogether(tail))
    return build_pdf(story, path, title=f"{spec.session_title} {SUBJECT}", subject=SUBJECT)
