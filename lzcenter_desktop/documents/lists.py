"""Official lists and notices as PDFs: 拟认定名单, 认定名单, 评估结果, 整改通知, 年度报告汇总.

The bureau's document style, after GB/T 9704 (党政机关公文格式) adapted to tables: A4, the title in
the bold sans face (黑体, standing in for 小标宋) at 二号 (22 pt), the document number and the body
in the serif face (宋体/仿宋) at 三号 (16 pt), tables at 小四 (12 pt) with the header row in bold
sans on a light grey ground, repeated at the top of every page, and ``第 N 页 共 M 页`` at the foot.

Table cells break with :func:`~lzcenter_desktop.documents.layout.break_lines` (行首禁则: no line
starts with ，。；：！？、）》” …) and are set as ``wordWrap='CJK'`` paragraphs; a platypus
``LongTable`` with ``repeatRows=1`` splits across pages.  Every text is checked against its font
before anything is drawn; the output is byte-for-byte repeatable.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Final, Literal

from lzcenter_desktop.documents.fonts import register_reportlab_fonts, require_glyphs_multi
from lzcenter_desktop.documents.layout import (
    CREATOR,
    ISSUER,
    balanced_two_lines,
    break_lines,
    chinese_date,
    cjk_paragraph,
    mm,
    string_width,
    write_atomically,
)

__all__ = ["KINDS", "ColumnSpec", "render_list"]

#: kind → the Chinese name of the document (also its PDF subject).
KINDS: Final[dict[str, str]] = {
    "proposed": "拟认定名单",
    "recognised": "认定名单",
    "evaluation": "评估结果",
    "rectification": "整改通知",
    "annual_summary": "年度报告汇总",
}

Align = Literal["left", "center", "right"]

TITLE_SIZE: Final = 22.0  # 二号
DOC_NO_SIZE: Final = 16.0  # 三号
BODY_SIZE: Final = 16.0  # 三号
BODY_LEADING: Final = 28.0
CELL_SIZE: Final = 12.0  # 小四
CELL_LEADING: Final = 18.0
CELL_PAD: Final = 4.0
FOOTER_SIZE: Final = 10.5  # 五号
EMPTY_TABLE_TEXT: Final = "（无）"
#: Titles of two lines break before one of these if that stays balanced, and never inside these.
TITLE_BREAKS: Final = ("工程技术研究中心", "拟认定", "认定", "限期整改", "评估结果", "年度报告")
TITLE_KEEP: Final = ("工程技术研究中心", "柳州市", "科学技术局")


@dataclass(frozen=True)
class ColumnSpec:
    """One column: its header, its share of the table width (relative), its alignment."""

    title: str
    width: float = 1.0
    align: Align = "left"


def _page_footer(page: int, total: int) -> str:
    return f"第 {page} 页 共 {total} 页"


def _canvas_class(font: str) -> type:
    """A ``Canvas`` that holds its pages until ``save`` so each can say ``第 N 页 共 M 页``."""
    from reportlab.pdfgen.canvas import Canvas

    class NumberedCanvas(Canvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._held_pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._held_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._held_pages)
            for number, state in enumerate(self._held_pages, start=1):
                self.__dict__.update(state)
                width = self._pagesize[0]
                self.setFont(font, FOOTER_SIZE)
                self.setFillColorRGB(0, 0, 0)
                self.drawCentredString(width / 2, mm(12), _page_footer(number, total))
                Canvas.showPage(self)
            Canvas.save(self)

    return NumberedCanvas


def _check_table(columns: Sequence[ColumnSpec], rows: Sequence[Sequence[str]]) -> None:
    if not columns:
        raise ValueError("名单至少要有一列。")
    for i, column in enumerate(columns, start=1):
        if not column.title.strip():
            raise ValueError(f"第 {i} 列的“列名”不能为空。")
        if not column.width > 0:
            raise ValueError(f"第 {i} 列“{column.title}”的“列宽”应大于 0，收到 {column.width:g}。")
        if column.align not in ("left", "center", "right"):
            raise ValueError(f"第 {i} 列“{column.title}”的“对齐方式”应为 left、center 或 right。")
    for r, row in enumerate(rows, start=1):
        if len(row) != len(columns):
            raise ValueError(f"第 {r} 行有 {len(row)} 个单元格，应与列数 {len(columns)} 一致。")


def render_list(
    kind: str,
    title: str,
    columns: Sequence[ColumnSpec],
    rows: Sequence[Sequence[str]],
    path: Path,
    *,
    subtitle: str = "",
    document_no: str = "",
    intro: str = "",
    closing: str = "",
    issuer: str = "",
    date: date | None = None,
    landscape: bool | None = None,
) -> Path:
    """Write a list or notice to ``path`` and return it.

    ``kind`` is one of :data:`KINDS`.  ``title`` is the document title; ``document_no`` (e.g.
    ``柳科规〔2026〕12号``) and ``subtitle`` are centred under it.  ``intro`` and ``closing`` are
    body paragraphs before and after the table (``\\n`` separates paragraphs; each is indented two
    characters) — the text of a notice.  ``issuer`` and ``date`` make the signature block at the
    end (``date`` alone signs with 柳州市科学技术局).  Each row has one text per column.
    ``landscape`` defaults to landscape for more than six columns or an annual summary.

    Raises :class:`ValueError` for an unknown kind, an empty title or a row of the wrong length,
    and :class:`~lzcenter_desktop.documents.fonts.MissingGlyphError` (naming row and column) before
    anything is drawn if some text has a character the fonts lack.
    """
    if kind not in KINDS:
        known = "、".join(f"{k}（{v}）" for k, v in KINDS.items())
        raise ValueError(f"不认识的名单类型“{kind}”，可用：{known}。")
    if not title.strip():
        raise ValueError("名单的“标题”不能为空。")
    _check_table(columns, rows)
    if issuer and date is None:
        raise ValueError("填写了“落款单位”时也要填写“落款日期”。")
    signer = (issuer or ISSUER) if date is not None else ""
    date_text = chinese_date(date) if date is not None else ""

    cells: dict[str, str] = {}
    for r, row in enumerate(rows, start=1):
        for column, text in zip(columns, row, strict=True):
            cells[f"第 {r} 行“{column.title}”"] = text
    require_glyphs_multi([
        ({"标题": title, **{f"表头第 {i} 列": c.title for i, c in enumerate(columns, 1)}}, "sans-bold"),
        ({"文号": document_no, "副标题": subtitle, "正文": intro, "结尾": closing, "落款单位": signer,
          "落款日期": date_text, "页码": _page_footer(1, 1) + EMPTY_TABLE_TEXT, **cells}, "serif"),
    ])

    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.pagesizes import landscape as to_landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import LongTable, Spacer, TableStyle
    from reportlab.platypus.doctemplate import BaseDocTemplate, PageTemplate
    from reportlab.platypus.frames import Frame

    fonts = register_reportlab_fonts()
    wide = landscape if landscape is not None else (len(columns) > 6 or kind == "annual_summary")
    pagesize = to_landscape(A4) if wide else A4
    if wide:
        left, right, top, bottom = mm(20), mm(20), mm(22), mm(24)
    else:
        left, right, top, bottom = mm(26), mm(24), mm(30), mm(26)
    frame_w = pagesize[0] - left - right

    align_of = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}
    title_style = ParagraphStyle("title", fontName=fonts["sans-bold"], fontSize=TITLE_SIZE, leading=32,
                                 alignment=TA_CENTER, wordWrap="CJK", spaceAfter=6)
    centred = ParagraphStyle("centred", fontName=fonts["serif"], fontSize=DOC_NO_SIZE, leading=26,
                             alignment=TA_CENTER, wordWrap="CJK")
    body = ParagraphStyle("body", fontName=fonts["serif"], fontSize=BODY_SIZE, leading=BODY_LEADING,
                          wordWrap="CJK", firstLineIndent=0)
    right_style = ParagraphStyle("sign", parent=body, alignment=TA_RIGHT)
    header_styles = [
        ParagraphStyle(f"h{i}", fontName=fonts["sans-bold"], fontSize=CELL_SIZE, leading=CELL_LEADING,
                       alignment=TA_CENTER, wordWrap="CJK")
        for i in range(len(columns))
    ]
    cell_styles = [
        ParagraphStyle(f"c{i}", fontName=fonts["serif"], fontSize=CELL_SIZE, leading=CELL_LEADING,
                       alignment=align_of[c.align], wordWrap="CJK")
        for i, c in enumerate(columns)
    ]
    share = sum(c.width for c in columns)
    widths = [frame_w * c.width / share for c in columns]

    story: list[Any] = [cjk_paragraph(balanced_title(title.strip(), fonts["sans-bold"], TITLE_SIZE, frame_w),
                                      title_style, frame_w)]
    for line in (document_no, subtitle):
        if line.strip():
            story.append(cjk_paragraph(line.strip(), centred, frame_w))
    story.append(Spacer(1, 10))
    story.extend(_body_paragraphs(intro, body, frame_w))
    if intro.strip():
        story.append(Spacer(1, 6))

    data: list[list[Any]] = [
        [cjk_paragraph(c.title, header_styles[i], widths[i] - 2 * CELL_PAD) for i, c in enumerate(columns)]
    ]
    for row in rows:
        data.append([cjk_paragraph(str(text), cell_styles[i], widths[i] - 2 * CELL_PAD)
                     for i, text in enumerate(row)])
    style_cmds: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("FONT", (0, 0), (-1, -1), fonts["serif"]),  # else empty cells select Helvetica
        ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.9, 0.9, 0.9)),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD), ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
    ]
    if not rows:
        data.append([cjk_paragraph(EMPTY_TABLE_TEXT, cell_styles[0], frame_w - 2 * CELL_PAD)]
                    + [""] * (len(columns) - 1))
        style_cmds.append(("SPAN", (0, 1), (-1, 1)))
    table = LongTable(data, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle(style_cmds))
    story.append(table)

    if closing.strip():
        story.append(Spacer(1, 10))
        story.extend(_body_paragraphs(closing, body, frame_w))
    if signer:
        story.append(Spacer(1, 24))
        story.extend(cjk_paragraph(line, right_style, frame_w) for line in (signer, date_text))

    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer, pagesize=pagesize, leftMargin=left, rightMargin=right, topMargin=top, bottomMargin=bottom,
        title=title.strip(), author=ISSUER, subject=KINDS[kind], creator=CREATOR, producer="ReportLab",
        invariant=1, pageCompression=1, initialFontName=fonts["serif"], initialFontSize=12,
    )
    # no frame padding: the texts were broken for exactly the width between the margins
    frame = Frame(left, bottom, frame_w, pagesize[1] - top - bottom, leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0, id="body")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    doc.build(story, canvasmaker=_canvas_class(fonts["serif"]))
    return write_atomically(path, buffer.getvalue())


def balanced_title(title: str, font: str, size: float, width: float) -> str:
    """``title`` with ``\n`` where it should break so its lines are about equally long (a title is
    not filled line by line: 二〇二六年度……名/单 would leave one character alone)."""
    import math

    total = string_width(title, font, size)
    if total <= width:
        return title
    lines = math.ceil(total / width)
    if lines == 2:
        first, second = balanced_two_lines(title, font, preferred_before=TITLE_BREAKS,
                                           keep_together=TITLE_KEEP)
        if max(string_width(first, font, size), string_width(second, font, size)) <= width:
            return f"{first}\n{second}"
    target = min(width, total / lines * 1.08)
    broken = break_lines(title, font, size, target)
    if len(broken) > lines:
        broken = break_lines(title, font, size, width)
    return "\n".join(broken)


def _body_paragraphs(text: str, style: Any, width: float) -> list[Any]:
    """Paragraphs of ``text`` (split on ``\\n``), each with a two-character first-line indent."""
    from reportlab.lib.styles import ParagraphStyle

    out: list[Any] = []
    indent = 2 * style.fontSize
    for part in text.split("\n"):
        if not part.strip():
            continue
        indented = ParagraphStyle(f"{style.name}-indent", parent=style, firstLineIndent=indent)
        out.append(cjk_paragraph(part.strip(), indented, width, first_indent=indent))
    return out
