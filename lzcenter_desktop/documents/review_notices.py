"""The review's published documents and letters: the 形式审查结果 list, the 退回补正通知 to an
applicant, the 拟认定名单公示 (text and list) and the 认定通知 of a batch (第十条（二）—（五）).

In the bureau's style (:mod:`~lzcenter_desktop.documents.lists`): A4 portrait, title in bold sans
at 二号, 文号 and body in the serif face at 三号, a table with its header repeated on every page,
the signature 柳州市科学技术局 with the date in Chinese numerals.  The services compose the texts
from the records (:class:`FormalResultSpec`, :class:`ReturnNotice`, :class:`PublicNoticeSpec`,
:class:`RecognitionNoticeSpec`); everything is checked before drawing.
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
    Styles,
    TextCheck,
    blanks_line,
    body_paragraphs,
    build_pdf,
    data_table,
    frame_width,
    styles,
)

__all__ = [
    "FormalResultSpec",
    "PublicNoticeSpec",
    "RecognitionNoticeSpec",
    "ReturnNotice",
    "render_formal_result",
    "render_public_notice",
    "render_recognition_notice",
    "render_return_notices",
]

FORMAL_COLUMNS: Final = (
    Col("序号", 0.65, "center"),
    Col("中心名称", 2.8, "left"),
    Col("依托单位", 1.75, "left"),
    Col("结论", 1.2, "center"),
    Col("原因", 2.6, "left"),
)
NOTICE_COLUMNS: Final = (
    Col("序号", 0.6, "center"),
    Col("中心名称", 3.2, "left"),
    Col("依托单位", 2.2, "left"),
)
RECOGNITION_COLUMNS: Final = (
    Col("序号", 0.65, "center"),
    Col("认定称号", 2.8, "left"),
    Col("依托单位", 2.3, "left"),
    Col("证书编号／牌匾编号", 3.25, "center"),
)
CONTACT_PERSON: Final = "联系人："
LIST_ROOM: Final = 120.0  # points: a list's title starts a new page with less room than this left
CONTACT_PHONE: Final = "联系电话："


@dataclass(frozen=True)
class FormalResultSpec:
    """The published 形式审查 result of a call: (中心名称, 依托单位, 结论, 原因) per declaration."""

    title: str
    intro: str
    closing: str
    rows: tuple[tuple[str, str, str, str], ...]
    document_no: str = ""
    signed_on: date | None = None


@dataclass(frozen=True)
class ReturnNotice:
    """One 退回补正通知: the applicant, the declaration, the reasons it gets, the decision's date."""

    host_name: str
    center_name: str
    intro: str
    reasons: tuple[str, ...]
    closing: str
    decided_on: date
    document_no: str = ""


@dataclass(frozen=True)
class PublicNoticeSpec:
    """A 拟认定名单公示: its title, 文号, text (with the period and how to object), the list of
    (中心名称, 依托单位), the contact (empty: lines to fill in by hand) and the date published."""

    title: str
    document_no: str
    body: str
    list_title: str
    rows: tuple[tuple[str, str], ...]
    contact: str
    published_on: date


@dataclass(frozen=True)
class RecognitionNoticeSpec:
    """The 认定通知 of a batch: 文号, date, the text, and per centre (认定称号, 依托单位, 证书编号,
    牌匾编号)."""

    title: str
    document_no: str
    addressee: str
    body: str
    list_title: str
    rows: tuple[tuple[str, str, str, str], ...]
    recognized_on: date


def _title(text: str, st: Styles, width: float) -> Any:
    """The title on one line, or two: after ``年度`` when that splits it into parts of similar
    length that fit (…关于认定2026年度 / 柳州市工程技术研究中心的通知), else balanced."""
    from lzcenter_desktop.documents.layout import string_width

    text = text.strip()
    font = st.fonts["sans-bold"]
    at = text.find("年度") + 2
    if string_width(text, font, TITLE_SIZE) > width and 2 < at < len(text):
        first, second = text[:at], text[at:]
        if min(len(first), len(second)) >= 0.35 * len(text) and all(
            string_width(part, font, TITLE_SIZE) <= width for part in (first, second)
        ):
            return cjk_paragraph(f"{first}\n{second}", st.title, width)
    return cjk_paragraph(balanced_title(text, font, TITLE_SIZE, width), st.title, width)


def _signature(signed_on: date | None, st: Styles, width: float) -> list[Any]:
    from reportlab.platypus import Spacer

    if signed_on is None:
        return []
    return [
        Spacer(1, 24),
        cjk_paragraph(ISSUER, st.sign, width),
        cjk_paragraph(chinese_date(signed_on), st.sign, width),
    ]


def _numbered(rows: Sequence[Sequence[str]]) -> list[list[str]]:
    return [[str(i), *row] for i, row in enumerate(rows, start=1)]


def render_formal_result(spec: FormalResultSpec, path: Path) -> Path:
    """Write the published 形式审查 result (中心名称, 依托单位, 结论, 原因) to ``path``."""
    from reportlab.platypus import Spacer

    rows = _numbered(spec.rows)
    check = TextCheck()
    check.title("标题", spec.title)
    check.text("文号", spec.document_no)
    check.text("正文", spec.intro + spec.closing + ISSUER)
    if spec.signed_on is not None:
        check.text("落款日期", chinese_date(spec.signed_on))
    check.table("结果表", FORMAL_COLUMNS, rows)
    check.check()
    st = styles()
    width = frame_width()
    story: list[Any] = [_title(spec.title, st, width)]
    if spec.document_no.strip():
        story.append(cjk_paragraph(spec.document_no.strip(), st.subtitle, width))
    story.append(Spacer(1, 10))
    story.extend(body_paragraphs(spec.intro, st.body, width))
    story.append(Spacer(1, 6))
    story.append(data_table(FORMAL_COLUMNS, rows, width, st))
    if spec.closing.strip():
        story.append(Spacer(1, 10))
        story.extend(body_paragraphs(spec.closing, st.body, width))
    story.extend(_signature(spec.signed_on, st, width))
    return build_pdf(story, path, title=spec.title, subject="形式审查结果")


RETURN_TITLE: Final = "形式审查退回补正通知"


def render_return_notices(notices: Sequence[ReturnNotice], path: Path) -> Path:
    """Write one 退回补正通知 per item of ``notices`` (each on its own page) to ``path``."""
    from reportlab.platypus import PageBreak, Spacer

    if not notices:
        raise ValueError("没有需要补正的申报书，无法生成退回补正通知。")
    check = TextCheck()
    check.title("标题", RETURN_TITLE)
    for notice in notices:
        if not notice.reasons:
            raise ValueError(f"“{notice.center_name}”的退回补正没有记录原因，无法生成通知。")
        where = f"“{notice.center_name}”的通知"
        check.text(f"{where}：依托单位", notice.host_name + "：")
        check.text(f"{where}：文号", notice.document_no)
        check.text(f"{where}：正文", notice.intro + notice.closing)
        for i, reason in enumerate(notice.reasons, start=1):
            check.text(f"{where}：第 {i} 条原因", f"{i}. {reason}")
        check.text(f"{where}：落款", ISSUER + chinese_date(notice.decided_on))
    check.check()
    st = styles()
    width = frame_width()
    story: list[Any] = []
    for notice in notices:
        if story:
            story.append(PageBreak())
        story.append(_title(RETURN_TITLE, st, width))
        if notice.document_no.strip():
            story.append(cjk_paragraph(notice.document_no.strip(), st.subtitle, width))
        story.append(Spacer(1, 12))
        story.append(cjk_paragraph(f"{notice.host_name}：", st.body, width))
        story.extend(body_paragraphs(notice.intro, st.body, width))
        for i, reason in enumerate(notice.reasons, start=1):
            story.extend(body_paragraphs(f"{i}. {reason}", st.body, width))
        story.extend(body_paragraphs(notice.closing, st.body, width))
        story.extend(_signature(notice.decided_on, st, width))
    title = RETURN_TITLE if len(notices) > 1 else f"{RETURN_TITLE}（{notices[0].center_name}）"
    return build_pdf(story, path, title=title, subject=RETURN_TITLE)


def render_public_notice(spec: PublicNoticeSpec, path: Path) -> Path:
    """Write the 拟认定名单公示 — its text, the list, the contact — to ``path``."""
    from reportlab.platypus import CondPageBreak, Spacer

    if not spec.rows:
        raise ValueError(f"公示“{spec.title}”没有列入任何中心，无法生成公示。")
    rows = _numbered(spec.rows)
    check = TextCheck()
    check.title("标题", spec.title + spec.list_title)
    check.text("文号", spec.document_no)
    check.text("公示内容", spec.body)
    check.text("联系方式", spec.contact + CONTACT_PERSON + CONTACT_PHONE)
    check.text("落款", ISSUER + chinese_date(spec.published_on))
    check.table("名单", NOTICE_COLUMNS, rows)
    check.check()
    st = styles()
    width = frame_width()
    story: list[Any] = [_title(spec.title, st, width)]
    if spec.document_no.strip():
        story.append(cjk_paragraph(spec.document_no.strip(), st.subtitle, width))
    story.append(Spacer(1, 10))
    story.extend(body_paragraphs(spec.body, st.body, width))
    if spec.contact.strip():
        story.extend(body_paragraphs(f"联系方式：{spec.contact.strip()}", st.body, width))
    else:
        items = [(CONTACT_PERSON, 6.0), ("　" + CONTACT_PHONE, 8.0)]
        story.append(blanks_line(items, width, st, style=st.body, indent=2))
    story.extend(_signature(spec.published_on, st, width))
    story.append(Spacer(1, 16))
    story.append(CondPageBreak(LIST_ROOM))
    story.append(cjk_paragraph(spec.list_title, st.subtitle, width))
    story.append(Spacer(1, 6))
    story.append(data_table(NOTICE_COLUMNS, rows, width, st))
    return build_pdf(story, path, title=spec.title, subject="拟认定名单公示")


def render_recognition_notice(spec: RecognitionNoticeSpec, path: Path) -> Path:
    """Write the 认定通知 of a batch (文号, date, the recognised centres with title, certificate and
    plaque numbers) to ``path``."""
    from reportlab.platypus import CondPageBreak, Spacer

    if not spec.rows:
        raise ValueError(f"认定文号“{spec.document_no}”下没有认定记录，无法生成认定通知。")
    rows = _numbered([(title, host, f"{cert}\n{plaque}".strip()) for title, host, cert, plaque in spec.rows])
    check = TextCheck()
    check.title("标题", spec.title + spec.list_title)
    check.text("文号", spec.document_no)
    check.text("主送", spec.addressee)
    check.text("正文", spec.body)
    check.text("落款", ISSUER + chinese_date(spec.recognized_on))
    check.table("名单", RECOGNITION_COLUMNS, rows)
    check.check()
    st = styles()
    width = frame_width()
    story: list[Any] = [_title(spec.title, st, width)]
    story.append(cjk_paragraph(spec.document_no.strip(), st.subtitle, width))
    story.append(Spacer(1, 12))
    story.append(cjk_paragraph(spec.addressee, st.body, width))
    story.extend(body_paragraphs(spec.body, st.body, width))
    story.extend(_signature(spec.recognized_on, st, width))
    story.append(Spacer(1, 16))
    story.append(CondPageBreak(LIST_ROOM))
    story.append(cjk_paragraph(spec.list_title, st.subtitle, width))
    story.append(Spacer(1, 6))
    story.append(data_table(RECOGNITION_COLUMNS, rows, width, st))
    return build_pdf(story, path, title=spec.title, subject="认定通知")
