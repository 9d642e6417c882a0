"""What the review documents (评审, issue 13 item 10) share: the bureau's A4 style, tables that split
across pages with their header repeated, the page footer, the signature lines, and the check of every
text before anything is drawn.

The style is the one of :mod:`~lzcenter_desktop.documents.lists` (after GB/T 9704 adapted to
tables): the title in the bold sans face at 二号 (22 pt), body text in the serif face at 三号 (16 pt)
— 四号 (14 pt) in the denser forms — tables at 小四 (12 pt) or 五号 (10.5 pt) with the header row in
bold sans on a light grey ground, ``第 N 页 共 M 页`` at the foot.  Lines are broken by
:func:`~lzcenter_desktop.documents.layout.break_lines` (行首禁则), never by reportlab.

Before drawing, :class:`TextCheck` refuses a control or invisible character
(:func:`~lzcenter_desktop.documents.textcheck.unprintable`, a :class:`ValueError` naming the field)
and reports every character a font lacks
(:class:`~lzcenter_desktop.documents.fonts.MissingGlyphError`, by field and code point).  The
output is byte-for-byte repeatable.  No database here: the services hand in plain values.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Literal

from lzcenter_desktop.documents.fonts import register_reportlab_fonts, require_glyphs_multi
from lzcenter_desktop.documents.layout import CREATOR, ISSUER, cjk_paragraph, mm, write_atomically
from lzcenter_desktop.documents.textcheck import unprintable

__all__ = [
    "Col",
    "Styles",
    "TextCheck",
    "blanks_line",
    "body_paragraphs",
    "build_pdf",
    "data_table",
    "frame_width",
    "page_footer",
    "signature_block",
    "styles",
]

Align = Literal["left", "center", "right"]

TITLE_SIZE: Final = 22.0  # 二号
SUBTITLE_SIZE: Final = 16.0  # 三号
BODY_SIZE: Final = 16.0  # 三号
FORM_SIZE: Final = 14.0  # 四号: the forms' own lines (score sheet, summary heading)
CELL_SIZE: Final = 12.0  # 小四
SMALL_SIZE: Final = 10.5  # 五号
FOOTER_SIZE: Final = 10.5
CELL_PAD: Final = 4.0
EMPTY_TABLE_TEXT: Final = "（无）"
GREY: Final = (0.9, 0.9, 0.9)


@dataclass(frozen=True)
class Col:
    """One column of a table: its header, its share of the width (relative), its alignment."""

    title: str
    width: float = 1.0
    align: Align = "left"


def page_footer(page: int, total: int) -> str:
    return f"第 {page} 页 共 {total} 页"


# --------------------------------------------------------------------------- the text check


def _describe(char: str) -> str:
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f"（{name}）" if name else "")


@dataclass
class TextCheck:
    """Every text of a document by face (``sans-bold`` for titles and table headers, ``serif`` for
    the rest), keyed by a Chinese field name; :meth:`check` before drawing."""

    sans: dict[str, str] = field(default_factory=dict)
    serif: dict[str, str] = field(default_factory=dict)

    def title(self, name: str, text: str) -> None:
        self._add(self.sans, name, text)

    def text(self, name: str, text: str) -> None:
        self._add(self.serif, name, text)

    def table(self, what: str, columns: Sequence[Col], rows: Sequence[Sequence[str]]) -> None:
        for i, column in enumerate(columns, start=1):
            self.title(f"{what}表头第 {i} 列", column.title)
        for r, row in enumerate(rows, start=1):
            for column, value in zip(columns, row, strict=True):
                self.text(f"{what}第 {r} 行“{column.title}”", value)

    @staticmethod
    def _add(target: dict[str, str], name: str, text: str) -> None:
        target[name] = target[name] + text if name in target else text

    def check(self) -> None:
        """Raise :class:`ValueError` for the first field with a control or invisible character,
        then :class:`~lzcenter_desktop.documents.fonts.MissingGlyphError` for every character a
        font lacks — before anything is drawn."""
        self.text("页码", page_footer(1, 1) + EMPTY_TABLE_TEXT)
        for fields in (self.sans, self.serif):
            for name, value in fields.items():
                bad = unprintable(value)
                if bad:
                    chars = "、".join(_describe(c) for c in bad)
                    raise ValueError(
                        f"“{name}”含有不可见的控制字符 {chars}，无法打印。"
                        "请删除该字符后重新生成（如内容取自数据库，请先修改对应的记录）。"
                    )
        require_glyphs_multi([(self.sans, "sans-bold"), (self.serif, "serif")])


# --------------------------------------------------------------------------- styles


@dataclass(frozen=True)
class Styles:
    """The paragraph styles of a review document (reportlab ``ParagraphStyle`` objects)."""

    fonts: dict[str, str]
    title: Any
    subtitle: Any
    body: Any
    form: Any
    form_right: Any
    sign: Any
    header: Any
    cells: dict[str, Any]
    small: dict[str, Any]
    small_header: Any


def styles() -> Styles:
    from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    fonts = register_reportlab_fonts()
    serif, sans = fonts["serif"], fonts["sans-bold"]
    align = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}

    def cell(name: str, font: str, size: float, leading: float, how: str) -> Any:
        return ParagraphStyle(
            name, fontName=font, fontSize=size, leading=leading, alignment=align[how], wordWrap="CJK"
        )

    body = ParagraphStyle("body", fontName=serif, fontSize=BODY_SIZE, leading=28, wordWrap="CJK")
    form = ParagraphStyle("form", fontName=serif, fontSize=FORM_SIZE, leading=24, wordWrap="CJK")
    return Styles(
        fonts=fonts,
        title=ParagraphStyle(
            "title",
            fontName=sans,
            fontSize=TITLE_SIZE,
            leading=32,
            alignment=TA_CENTER,
            wordWrap="CJK",
            spaceAfter=4,
        ),
        subtitle=ParagraphStyle(
            "subtitle",
            fontName=serif,
            fontSize=SUBTITLE_SIZE,
            leading=26,
            alignment=TA_CENTER,
            wordWrap="CJK",
        ),
        body=body,
        form=form,
        form_right=ParagraphStyle("form-right", parent=form, alignment=TA_RIGHT),
        sign=ParagraphStyle("sign", parent=body, alignment=TA_RIGHT),
        header=cell("header", sans, CELL_SIZE, 18, "center"),
        cells={how: cell(f"cell-{how}", serif, CELL_SIZE, 18, how) for how in align},
        small={how: cell(f"small-{how}", serif, SMALL_SIZE, 15, how) for how in align},
        small_header=cell("small-header", sans, SMALL_SIZE, 15, "center"),
    )


# --------------------------------------------------------------------------- building blocks


def body_paragraphs(text: str, style: Any, width: float, *, indent: bool = True) -> list[Any]:
    """Paragraphs of ``text`` (split on ``\\n``), each with a two-character first-line indent."""
    from reportlab.lib.styles import ParagraphStyle

    out: list[Any] = []
    first = 2 * style.fontSize if indent else 0.0
    indented = ParagraphStyle(f"{style.name}-indent", parent=style, firstLineIndent=first)
    for part in text.split("\n"):
        if part.strip():
            out.append(cjk_paragraph(part.strip(), indented, width, first_indent=first))
    return out


def data_table(
    columns: Sequence[Col],
    rows: Sequence[Sequence[Any]],
    width: float,
    st: Styles,
    *,
    small: bool = False,
    extra: Sequence[tuple[Any, ...]] = (),
    row_heights: Sequence[float | None] | None = None,
) -> Any:
    """A ``LongTable`` of text cells (a cell that is not text is a flowable set as it is), its header
    row repeated on every page; ``（无）`` when empty."""
    from reportlab.lib import colors
    from reportlab.platypus import LongTable, TableStyle

    share = sum(c.width for c in columns)
    widths = [width * c.width / share for c in columns]
    header = st.small_header if small else st.header
    cells = st.small if small else st.cells
    data: list[list[Any]] = [
        [cjk_paragraph(c.title, header, widths[i] - 2 * CELL_PAD) for i, c in enumerate(columns)]
    ]
    for row in rows:
        data.append(
            [
                cjk_paragraph(text, cells[columns[i].align], widths[i] - 2 * CELL_PAD)
                if isinstance(text, str)
                else text
                for i, text in enumerate(row)
            ]
        )
    commands: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("FONT", (0, 0), (-1, -1), st.fonts["serif"]),  # else an empty cell selects Helvetica
        ("BACKGROUND", (0, 0), (-1, 0), colors.Color(*GREY)),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
    ]
    if not rows:
        data.append(
            [cjk_paragraph(EMPTY_TABLE_TEXT, cells["center"], width - 2 * CELL_PAD)]
            + [""] * (len(columns) - 1)
        )
        commands.append(("SPAN", (0, 1), (-1, 1)))
    commands.extend(extra)
    table = LongTable(
        data,
        colWidths=widths,
        repeatRows=1,
        rowHeights=list(row_heights) if row_heights is not None else None,
    )
    table.setStyle(TableStyle(commands))
    return table


def blanks_line(
    items: Sequence[tuple[str, float]], width: float, st: Styles, *, style: Any = None, indent: float = 0.0
) -> Any:
    """One line of labels each followed by a blank to write on by hand: ``(label, blank)`` with the
    blank's length in characters (``-1``: what is left of ``width``; ``0``: no blank); set in
    ``style`` (default: the forms' 四号), after ``indent`` characters."""
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    style = style or st.form
    em = style.fontSize
    texts: list[str] = [""] if indent else []
    widths: list[float] = [indent * em] if indent else []
    lines: list[int] = []
    for label, blank in items:
        texts.append(label)
        widths.append(em * (len(label) + 0.2))
        if blank:
            lines.append(len(texts))
            texts.append("")
            widths.append(em * blank if blank > 0 else -1.0)
            if blank < 0:  # a little room after a long blank
                texts.append("")
                widths.append(em)
    rest = [i for i, w in enumerate(widths) if w < 0]
    for i in rest:
        widths[i] = max((width - sum(w for w in widths if w > 0)) / len(rest), 3 * em)
    data = [[cjk_paragraph(t, style, w + 1) if t else "" for t, w in zip(texts, widths, strict=True)]]
    table = Table(data, colWidths=widths, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                *[("LINEBELOW", (i, 0), (i, 0), 0.6, colors.black) for i in lines],
                ("FONT", (0, 0), (-1, -1), style.fontName),  # else an empty blank selects Helvetica
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ]
        )
    )
    return table


def signature_block(label: str, width: float, st: Styles) -> Any:
    """``评审专家（签字）：______  日期：____年__月__日`` (``label`` first) — lines to write on by hand."""
    return blanks_line([(label, -1), ("日期：", 3.4), ("年", 2.0), ("月", 2.0), ("日", 0)], width, st)


# --------------------------------------------------------------------------- pages


def _margins(landscape: bool) -> tuple[float, float, float, float]:
    """left, right, top, bottom."""
    return (mm(20), mm(20), mm(20), mm(22)) if landscape else (mm(24), mm(22), mm(22), mm(20))


def frame_width(landscape: bool = False) -> float:
    """The width between the margins, in points."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.pagesizes import landscape as to_landscape

    size = to_landscape(A4) if landscape else A4
    left, right, _, _ = _margins(landscape)
    return float(size[0] - left - right)


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
                self.setFont(font, FOOTER_SIZE)
                self.setFillColorRGB(0, 0, 0)
                self.drawCentredString(self._pagesize[0] / 2, mm(11), page_footer(number, total))
                Canvas.showPage(self)
            Canvas.save(self)

    return NumberedCanvas


def build_pdf(story: list[Any], path: Path, *, title: str, subject: str, landscape: bool = False) -> Path:
    """Lay ``story`` out on A4 (portrait or landscape) with the page footer and write it to
    ``path`` atomically; return ``path``."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.pagesizes import landscape as to_landscape
    from reportlab.platypus.doctemplate import BaseDocTemplate, PageTemplate
    from reportlab.platypus.frames import Frame

    fonts = register_reportlab_fonts()
    pagesize = to_landscape(A4) if landscape else A4
    left, right, top, bottom = _margins(landscape)
    width = pagesize[0] - left - right
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=left,
        rightMargin=right,
        topMargin=top,
        bottomMargin=bottom,
        title=title,
        author=ISSUER,
        subject=subject,
        creator=CREATOR,
        producer="ReportLab",
        invariant=1,
        pageCompression=1,
        initialFontName=fonts["serif"],
        initialFontSize=12,
    )
    # no frame padding: the texts were broken for exactly the width between the margins
    frame = Frame(
        left,
        bottom,
        width,
        pagesize[1] - top - bottom,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    doc.build(story, canvasmaker=_canvas_class(fonts["serif"]))
    return write_atomically(path, buffer.getvalue())
