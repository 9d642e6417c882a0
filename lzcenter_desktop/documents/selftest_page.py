"""The font self-test page: one A4 PDF that shows every bundled face with hard characters.

It proves on the user's machine that Chinese prints (fonts embedded, text extractable), and it is
the pattern the other documents follow: check every text against its face first, then draw.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from lzcenter_desktop.documents.fonts import (
    TONGGUI_COUNT,
    bundled_faces,
    coverage,
    register_reportlab_fonts,
    require_glyphs_multi,
    tonggui_chars,
)

TITLE = "柳州市工程技术研究中心管理系统 字体自检页"
ISSUER = "柳州市科学技术局"
BODY = (
    "本页由柳州市科学技术局工程技术研究中心管理系统生成，用于检查内置字体能否正确打印中文。"
    "难字示例：镕、䶮、堃、喆、犇、淼、昇、𬌗。"
    "数字与符号：0123456789，〇一二三四五六七八九十，①②③④⑤⑥⑦⑧⑨⑩，"
    "№ 2025-001，面积 1200 ㎡，比例 3×4，王·小明，温度 25 ℃，“引号”《书名号》【括号】。"
)
SAMPLE = "柳州市科学技术局 镕䶮 0123456789 ABCabc ①②③ №×·㎡"


def render_selftest_page(path: Path, *, extra_text: str = "") -> Path:
    """Write the self-test page to ``path`` and return it.

    ``extra_text`` is appended to the body paragraph (the check covers it too).  Raises
    :class:`~lzcenter_desktop.documents.fonts.MissingGlyphError` before writing anything if any
    text has a character one of the faces cannot draw.  The output is byte-for-byte repeatable.
    """
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Paragraph

    fonts = register_reportlab_fonts()
    faces = bundled_faces()
    body = BODY + extra_text
    tonggui = tonggui_chars()
    covered = {face.key: sum(1 for c in tonggui if ord(c) in coverage(face)) for face in faces}
    coverage_lines = {
        face.key: (f"{face.label}（{face.name}）：{SAMPLE}　"
                   f"通用规范汉字表覆盖 {covered[face.key]}/{TONGGUI_COUNT}")
        for face in faces
    }

    # Check everything before drawing anything: a missing glyph is an error, never a box.
    require_glyphs_multi([
        ({"标题": TITLE}, "sans-bold"),
        ({"发文单位": ISSUER, "正文": body}, "serif"),
        *(({f"{face.label}示例": coverage_lines[face.key]}, face) for face in faces),
    ])

    path.parent.mkdir(parents=True, exist_ok=True)
    width, height = A4
    canvas = Canvas(
        str(path), pagesize=A4, invariant=1, pageCompression=1,
        initialFontName=fonts["serif"], initialFontSize=12,
    )
    canvas.setTitle(TITLE)
    canvas.setAuthor(ISSUER)
    canvas.setSubject("字体自检")
    canvas.setCreator("lzcenter-desktop")

    margin = 25 * mm
    text_width = width - 2 * margin
    title_style = ParagraphStyle(
        "title", fontName=fonts["sans-bold"], fontSize=20, leading=28, alignment=TA_CENTER, wordWrap="CJK",
    )
    body_style = ParagraphStyle("body", fontName=fonts["serif"], fontSize=12, leading=21, wordWrap="CJK",
                                firstLineIndent=24)
    sample_style = ParagraphStyle("sample", fontName=fonts["serif"], fontSize=11, leading=18, wordWrap="CJK")

    y = height - margin
    y = _draw(canvas, Paragraph(escape(TITLE), title_style), margin, y, text_width) - 8 * mm
    canvas.setFont(fonts["sans"], 14)
    canvas.drawCentredString(width / 2, y, ISSUER)
    y -= 12 * mm
    y = _draw(canvas, Paragraph(escape(body), body_style), margin, y, text_width) - 8 * mm
    for face in faces:
        style = ParagraphStyle(f"sample-{face.key}", parent=sample_style, fontName=fonts[face.key])
        y = _draw(canvas, Paragraph(escape(coverage_lines[face.key]), style), margin, y, text_width) - 4 * mm
    canvas.showPage()
    canvas.save()
    return path


def _draw(canvas: Any, paragraph: Any, x: float, top: float, width: float) -> float:
    """Draw ``paragraph`` with its top at ``top``; return the y of its bottom."""
    _, h = paragraph.wrap(width, 10_000)
    paragraph.drawOn(canvas, x, top - h)
    return top - float(h)
