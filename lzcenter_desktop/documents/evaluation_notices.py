"""The letters of 第五章 (issue 14 item 7): the 整改通知 to one centre (第二十四条（三）), the
整改验收结果 (passed → 继续保留称号, not passed → 取消称号) and the 撤销 notice
(关于撤销……工程技术研究中心称号的通知, 第二十四条 and 第二十五条).

Each is one :class:`NoticeLetter` the service composes from the records: the title, the 文号, the
addressee, the text, a small table of the facts the letter rests on (centre, host, grade, dates),
optional numbered points, and the bureau's signature with the date in Chinese numerals.  The style
is the one of the review's letters (:mod:`~lzcenter_desktop.documents.review_notices`): A4
portrait, title in bold sans at 二号, text in the serif face at 三号.  Every text is checked before
anything is drawn (control characters, characters the fonts lack).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Final

from lzcenter_desktop.documents.layout import ISSUER, chinese_date, cjk_paragraph
from lzcenter_desktop.documents.lists import balanced_title
from lzcenter_desktop.documents.review_common import (
    CELL_PAD,
    GREY,
    TITLE_SIZE,
    Styles,
    TextCheck,
    body_paragraphs,
    build_pdf,
    frame_width,
    styles,
)

__all__ = ["NoticeLetter", "render_letter"]

FACT_LABEL_SHARE: Final = 0.27


@dataclass(frozen=True)
class NoticeLetter:
    """One letter: ``paragraphs`` before the ``points`` (numbered, optional, introduced by
    ``points_intro``), ``closing`` after them; ``facts`` as (label, value) rows of a table."""

    title: str
    addressee: str
    paragraphs: tuple[str, ...]
    facts: tuple[tuple[str, str], ...]
    signed_on: date
    document_no: str = ""
    points_intro: str = ""
    points: tuple[str, ...] = ()
    closing: tuple[str, ...] = ()
    cc: str = ""  # 抄送


def _title(text: str, st: Styles, width: float) -> Any:
    return cjk_paragraph(
        balanced_title(text.strip(), st.fonts["sans-bold"], TITLE_SIZE, width), st.title, width
    )


def _facts_table(facts: tuple[tuple[str, str], ...], st: Styles, width: float) -> Any:
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    label_w = width * FACT_LABEL_SHARE
    value_w = width - label_w
    data = [
        [
            cjk_paragraph(label, st.header, label_w - 2 * CELL_PAD),
            cjk_paragraph(value, st.cells["left"], value_w - 2 * CELL_PAD),
        ]
        for label, value in facts
    ]
    table = Table(data, colWidths=[label_w, value_w])
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                ("FONT", (0, 0), (-1, -1), st.fonts["serif"]),
                ("BACKGROUND", (0, 0), (0, -1), colors.Color(*GREY)),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD),
                ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    return table


def _check(letter: NoticeLetter) -> None:
    check = TextCheck()
    check.title("标题", letter.title)
    check.text("文号", letter.document_no)
    check.text("主送", letter.addressee + "：")
    for i, text in enumerate(letter.paragraphs, start=1):
        check.text(f"正文第 {i} 段", text)
    for label, value in letter.facts:
        check.title(f"表格“{label}”", label)
        check.text(f"表格“{label}”的内容", value)
    check.text("要点说明", letter.points_intro)
    for i, point in enumerate(letter.points, start=1):
        check.text(f"第 {i} 条", f"{i}. {point}")
    for i, text in enumerate(letter.closing, start=1):
        check.text(f"结尾第 {i} 段", text)
    check.text("抄送", f"抄送：{letter.cc}")
    check.text("落款", ISSUER + chinese_date(letter.signed_on))
    check.check()


def render_letter(letter: NoticeLetter, path: Path, *, subject: str) -> Path:
    """Write ``letter`` to ``path`` (A4 portrait); ``subject`` is the PDF's subject (整改通知 …).

    Raises :class:`ValueError` for a letter without text or with a control character and
    :class:`~lzcenter_desktop.documents.fonts.MissingGlyphError` before anything is drawn."""
    from reportlab.platypus import KeepTogether, Spacer

    if not any(p.strip() for p in letter.paragraphs):
        raise ValueError(f"“{letter.title}”没有正文，无法生成。")
    _check(letter)
    st = styles()
    width = frame_width()
    story: list[Any] = [_title(letter.title, st, width)]
    if letter.document_no.strip():
        story.append(cjk_paragraph(letter.document_no.strip(), st.subtitle, width))
    story.append(Spacer(1, 12))
    story.append(cjk_paragraph(f"{letter.addressee}：", st.body, width))
    for text in letter.paragraphs:
        story.extend(body_paragraphs(text, st.body, width))
    if letter.facts:
        story.extend([Spacer(1, 6), _facts_table(letter.facts, st, width), Spacer(1, 8)])
    if letter.points:
        if letter.points_intro.strip():
            story.extend(body_paragraphs(letter.points_intro, st.body, width))
        for i, point in enumerate(letter.points, start=1):
            story.extend(body_paragraphs(f"{i}. {point}", st.body, width))
    for text in letter.closing:
        story.extend(body_paragraphs(text, st.body, width))
    # the signature stays with the last lines: never alone on a page
    signature = [
        Spacer(1, 24),
        cjk_paragraph(ISSUER, st.sign, width),
        cjk_paragraph(chinese_date(letter.signed_on), st.sign, width),
    ]
    story.append(KeepTogether(signature))
    if letter.cc.strip():
        story.extend([Spacer(1, 18), cjk_paragraph(f"抄送：{letter.cc.strip()}", st.form, width)])
    return build_pdf(story, path, title=letter.title, subject=subject)
