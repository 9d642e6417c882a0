"""The printed application form (认定申请书) of one declaration, laid out from the form definition.

Every section of the form definition becomes a heading with its fields (a two-column table of label
and value) and its tables (one grid per table, with the column labels of the form); the last page
carries the signature and stamp boxes. Page numbers ``第 N 页 共 M 页`` run in the footer. The text
is checked against the bundled fonts first (a missing glyph is an error naming the field, never an
empty box); fonts are embedded; the output is byte-for-byte repeatable.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from lzcenter_desktop.documents.fonts import register_reportlab_fonts, require_glyphs
from lzcenter_desktop.domain.formdef import FieldDef, FormDef, get_path

ISSUER = "柳州市科学技术局"
# Relative column widths by field type: names and titles get the room, dates and choices less.
_WEIGHTS = {
    "text": 3.0,
    "multiline": 3.0,
    "date": 2.1,
    "enum": 1.7,
    "bool": 1.2,
    "int": 1.0,
    "money": 1.8,
    "area": 1.4,
}
EMPTY = "—"


def _show(fd: FieldDef, value: Any) -> str:
    if value is None or value == "" or value == []:
        return EMPTY
    if fd.type == "bool":
        return "是" if value else "否"
    if fd.type == "enum":
        return fd.label_for(str(value))
    if fd.type == "multi_enum" and isinstance(value, list):
        return "、".join(str(v) for v in value)
    if fd.type == "money" and isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    if fd.type == "date" and isinstance(value, str) and len(value) == 10:
        return f"{int(value[:4])}年{int(value[5:7])}月{int(value[8:10])}日"
    return str(value)


def form_texts(form: FormDef, document: Mapping[str, Any]) -> dict[str, str]:
    """Every text printed, by the field name a missing-glyph message names."""
    texts: dict[str, str] = {"标题": form.title}
    for section in form.sections:
        texts[section.title] = section.title
        for fd in section.fields:
            texts[fd.label] = _show(fd, get_path(document, fd.key))
        for table in section.tables:
            rows = get_path(document, table.key)
            for i, row in enumerate(rows if isinstance(rows, list) else []):
                for c in table.columns:
                    value = row.get(c.key) if isinstance(row, dict) else None
                    texts[f"{table.label}第{i + 1}行{c.label}"] = _show(c, value)
    return texts


def render_declaration_form(
    path: Path, form: FormDef, document: Mapping[str, Any], *, declaration_id: int | None = None
) -> Path:
    """Write the application form PDF of ``document`` to ``path``; returns ``path``.

    Raises :class:`~lzcenter_desktop.documents.fonts.MissingGlyphError` (a ``ValueError``) before
    writing anything when a text has a character the fonts cannot draw, and ``OSError`` when the
    file cannot be written.
    """
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        KeepTogether,
        PageBreak,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    fonts = register_reportlab_fonts()
    texts = form_texts(form, document)
    require_glyphs(texts, "serif")
    serif, bold = fonts["serif"], fonts["serif-bold"]
    title_style = ParagraphStyle(
        "t", fontName=bold, fontSize=22, leading=32, alignment=TA_CENTER, wordWrap="CJK"
    )
    sub_style = ParagraphStyle(
        "s", fontName=serif, fontSize=14, leading=22, alignment=TA_CENTER, wordWrap="CJK"
    )
    h_style = ParagraphStyle(
        "h", fontName=bold, fontSize=13, leading=20, spaceBefore=8, spaceAfter=4, wordWrap="CJK"
    )
    cell = ParagraphStyle("c", fontName=serif, fontSize=9.5, leading=13, wordWrap="CJK")
    head = ParagraphStyle("hd", fontName=bold, fontSize=9.5, leading=13, wordWrap="CJK")
    help_style = ParagraphStyle(
        "hp", fontName=serif, fontSize=8.5, leading=12, textColor=colors.grey, wordWrap="CJK"
    )

    def p(text: str, style: ParagraphStyle = cell) -> Paragraph:
        return Paragraph(escape(text).replace("\n", "<br/>"), style)

    width = A4[0] - 40 * mm
    grid = TableStyle(
        [
            ("FONT", (0, 0), (-1, -1), serif, 9.5),
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
    )
    name = str(get_path(document, "center.name_zh") or "")

    def make_story() -> list[Any]:
        story: list[Any] = []
        # cover
        host = str(get_path(document, "host.name") or "")
        story += [
            Spacer(1, 50 * mm),
            p(form.title, title_style),
            Spacer(1, 8 * mm),
            p(f"（{form.call_year} 年度）", sub_style),
            Spacer(1, 40 * mm),
        ]
        cover_rows = [
            [p("中心名称", head), p(name or EMPTY)],
            [p("依托单位（盖章）", head), p(host or EMPTY)],
            [
                p("申报日期", head),
                p(_show(FieldDef("d", "d", "date"), get_path(document, "application_date"))),
            ],
        ]
        if declaration_id is not None:
            cover_rows.append([p("申报书编号", head), p(f"第 {declaration_id} 号")])
        cover = Table(cover_rows, colWidths=[40 * mm, width - 40 * mm])
        cover.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), serif, 9.5),
                    ("LINEBELOW", (1, 0), (1, -1), 0.5, colors.black),
                    ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                    ("TOPPADDING", (0, 0), (-1, -1), 8),
                ]
            )
        )
        story += [cover, Spacer(1, 30 * mm), p(ISSUER + " 制", sub_style), PageBreak()]

        number = 0
        for section in form.sections:
            if not section.fields and not section.tables:
                continue
            number += 1
            block: list[Any] = [p(f"{_cn(number)}、{section.title}", h_style)]
            if section.help:
                block.append(p(section.help, help_style))
            story.append(KeepTogether(block))
            if section.fields:
                rows = [
                    [p(fd.label, head), p(_show(fd, get_path(document, fd.key)))] for fd in section.fields
                ]
                t = Table(rows, colWidths=[48 * mm, width - 48 * mm])
                t.setStyle(grid)
                story += [t, Spacer(1, 4 * mm)]
            for table in section.tables:
                rows_data = get_path(document, table.key)
                items = [r for r in rows_data if isinstance(r, dict)] if isinstance(rows_data, list) else []
                header = [p("序号", head)] + [p(c.label, head) for c in table.columns]
                body = [
                    [p(str(i + 1))] + [p(_show(c, r.get(c.key))) for c in table.columns]
                    for i, r in enumerate(items)
                ]
                if not body:
                    body = [[p(EMPTY)] + [p("") for _ in table.columns]]
                seq = 12 * mm
                weights = [_WEIGHTS.get(c.type, 2.0) for c in table.columns]
                widths = [(width - seq) * w / sum(weights) for w in weights]
                t = Table([header, *body], colWidths=[seq, *widths], repeatRows=1)
                t.setStyle(grid)
                t.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee"))]))
                story += [
                    p(f"{table.label}（共 {len(items)} 项）", head),
                    Spacer(1, 1.5 * mm),
                    t,
                    Spacer(1, 4 * mm),
                ]

        # signature and stamp boxes
        sig_name = str(get_path(document, "signature.name") or "")
        box_h = 45 * mm
        sign = Table(
            [
                [p("审核意见及签字", head), p("依托单位意见（盖章）", head)],
                [
                    p(
                        "本人已审核本申请书内容，所填内容真实、准确。\n\n\n"
                        f"签字：{sig_name or '________'}\n\n"
                        "日期：________年_____月_____日"
                    ),
                    p("\n\n\n（单位公章）\n\n日期：________年_____月_____日"),
                ],
                [p("业务主管部门意见（盖章）", head), p("市科技局受理意见", head)],
                [
                    p("\n\n\n（盖章）\n\n日期：________年_____月_____日"),
                    p("\n\n\n经办人：\n\n日期：________年_____月_____日"),
                ],
            ],
            colWidths=[width / 2, width / 2],
            rowHeights=[9 * mm, box_h, 9 * mm, box_h],
        )
        sign.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), serif, 9.5),
                    ("GRID", (0, 0), (-1, -1), 0.8, colors.black),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story += [KeepTogether([p(f"{_cn(number + 1)}、签字与盖章", h_style), sign])]
        return story

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    title = f"{form.title}（{form.call_year} 年度）{name}"

    def build(target: Any, total: int | None) -> int:
        pages = {"n": 0}

        def on_page(canvas: Any, doc: Any) -> None:
            pages["n"] = doc.page
            canvas.saveState()
            canvas.setFont(serif, 9)
            text = f"第 {doc.page} 页 共 {total if total else '?'} 页"
            canvas.drawCentredString(A4[0] / 2, 12 * mm, text)
            canvas.restoreState()

        doc = SimpleDocTemplate(
            target,
            pagesize=A4,
            leftMargin=20 * mm,
            rightMargin=20 * mm,
            topMargin=20 * mm,
            bottomMargin=22 * mm,
            title=title,
            author=ISSUER,
            creator="lzcenter-desktop",
            subject="工程技术研究中心认定申请书",
            invariant=1,
            initialFontName=serif,
        )
        doc.build(make_story(), onFirstPage=on_page, onLaterPages=on_page)
        return pages["n"]

    import io

    total = build(io.BytesIO(), None)
    tmp = path.with_name(path.name + ".part")
    build(str(tmp), total)
    tmp.replace(path)
    return path


def _cn(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")
