"""The review's published documents and letters from the records (part of
:mod:`~lzcenter_desktop.services.documents_review`):

* :func:`make_formal_result` — the 形式审查结果 of a call (中心名称, 依托单位, 结论, 原因), each
  declaration's latest decision;
* :func:`make_return_notices` — the 退回补正通知 of one declaration (its latest 退回补正) or of
  every declaration of a call now waiting for correction, with the reasons the applicant gets;
* :func:`make_public_notice` — the 拟认定名单公示: its title, 文号, text — always with the period and
  how to object (in writing, a unit's stamp or a real-name signature) — the list and the contact;
* :func:`make_recognition_notice` — the 认定通知 of a batch (one 认定文号): date, the recognised
  centres with the title of 第十条（五）, certificate and plaque numbers.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Final

from sqlmodel import col, select

from lzcenter_desktop.domain.workdays import count_days
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.documents_review_base import ReviewDocument, write_document
from lzcenter_desktop.services.errors import NotFound, ServiceError
from lzcenter_desktop.services.review import calls, formal, holidays, lookup, notice
from lzcenter_desktop.services.review.dto import FormalCheckView
from lzcenter_desktop.services.uow import reading
from lzcenter_desktop.storage.models import (
    AnnualCall,
    Center,
    Organization,
    PublicNotice,
    PublicNoticeItem,
    Recognition,
)

MEASURES: Final = "《柳州市工程技术研究中心管理办法》"
OBJECTION_TEXT: Final = (
    "公示期间，任何单位或个人对公示名单有异议的，请以书面形式向柳州市科学技术局提出。"
    "单位提出异议的，须加盖本单位公章；个人提出异议的，须签署真实姓名并注明联系方式。"
    "匿名异议和逾期提出的异议不予受理。"
)
CONTACT_MAX: Final = 200
DOCUMENT_NO_MAX: Final = 100
RETURNED_LABEL: Final = formal.DECISION_LABELS[formal.RETURNED]


def _quoted(title: str) -> str:
    title = title.strip()
    return title if title.startswith("《") else f"《{title}》"


def _cn(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _document_no(value: str | None) -> str:
    text = (value or "").strip()
    if len(text) > DOCUMENT_NO_MAX:
        raise ServiceError(f"文号过长（{len(text)} 个字），最多 {DOCUMENT_NO_MAX} 个字", field="文号")
    return text


# --------------------------------------------------------------------------- 形式审查结果


def make_formal_result(
    ctx: AppContext,
    *,
    call_id: int,
    path: Path,
    document_no: str = "",
    signed_on: dt.date | None = None,
) -> ReviewDocument:
    """The published 形式审查 result of a call: each decided declaration with its latest
    conclusion (通过 / 退回补正 / 不予受理) and the reasons; signed by the bureau on ``signed_on``
    (no signature without it). Refused for a call without any decision."""
    from lzcenter_desktop.documents.review_notices import FormalResultSpec, render_formal_result

    doc_no = _document_no(document_no)
    call = calls.get_call(ctx, call_id)
    rows = formal.formal_results(ctx, call_id=call_id)
    if not rows:
        raise ServiceError(
            f"{call.year}年度申报通知还没有任何形式审查结论，无法生成形式审查结果。", field="申报通知"
        )
    source = _quoted(call.title) + (f"（{call.document_no}）" if call.document_no else "")
    intro = (
        f"根据{MEASURES}第十条和{source}的要求，我局对{call.year}年度柳州市工程技术研究中心认定申报材料"
        "进行了形式审查，现将结果公布如下："
    )
    returned = any(r.conclusion == RETURNED_LABEL for r in rows)
    closing = "结论为“退回补正”的，请申报单位按所列原因补正申报材料后重新提交。" if returned else ""
    spec = FormalResultSpec(
        title=f"{call.year}年度柳州市工程技术研究中心认定申报形式审查结果",
        intro=intro,
        closing=closing,
        rows=tuple(
            (
                r.center_name,
                r.host_name,
                r.conclusion,
                "；".join(x for x in r.reasons.splitlines() if x.strip()),
            )
            for r in rows
        ),
        document_no=doc_no,
        signed_on=signed_on,
    )
    return write_document(
        ctx,
        "formal_result",
        path,
        lambda p: render_formal_result(spec, p),
        title=spec.title,
        entity=str(call_id),
        details={
            "call_id": call_id,
            "year": call.year,
            "document_no": doc_no,
            "signed_on": signed_on.isoformat() if signed_on else None,
            "declaration_ids": [r.declaration_id for r in rows],
            "conclusions": {str(r.declaration_id): r.conclusion for r in rows},
        },
        count=len(rows),
    )


# --------------------------------------------------------------------------- 退回补正通知


def _declaration_facts(ctx: AppContext, declaration_id: int) -> tuple[str, str, int | None]:
    """(centre name, host name, call year) of a declaration."""
    with reading(ctx) as session:
        decl = lookup.get_declaration(session, declaration_id)
        center, host = lookup.declaration_names(session, [declaration_id]).get(
            declaration_id, (decl.name_zh, "")
        )
        call = session.get(AnnualCall, decl.call_id) if decl.call_id is not None else None
        return center, host, call.year if call is not None else None


def _return_notice(
    ctx: AppContext, declaration_id: int, document_no: str, *, latest_only: bool
) -> tuple[Any, FormalCheckView]:
    from lzcenter_desktop.documents.review_notices import ReturnNotice

    center, host, year = _declaration_facts(ctx, declaration_id)
    history = formal.formal_history(ctx, declaration_id=declaration_id)
    if latest_only:
        history = history[-1:]
    returned = [h for h in history if h.decision == formal.RETURNED]
    if not returned:
        raise ServiceError(f"“{center}”没有被退回补正过，无法生成退回补正通知。", field="申报书")
    check = returned[-1]
    of_year = f"（{year}年度柳州市工程技术研究中心认定申请）" if year is not None else ""
    again = f"（第 {check.round} 次审查）" if check.round > 1 else ""
    return ReturnNotice(
        host_name=host or "申报单位",
        center_name=center,
        intro=f"你单位申报的“{center}”{of_year}，经形式审查{again}，需补正以下内容：",
        reasons=check.reasons,
        closing="请按上述意见补正申报材料后重新提交。",
        decided_on=check.decided_on,
        document_no=document_no,
    ), check


def make_return_notices(
    ctx: AppContext,
    *,
    path: Path,
    declaration_id: int | None = None,
    call_id: int | None = None,
    document_no: str = "",
) -> ReviewDocument:
    """退回补正通知 with the reasons the applicant gets, dated on the decision: of one declaration
    (its latest 退回补正, also after it was corrected) or of every declaration of a call whose latest
    decision is 退回补正 (one page each). Give exactly one of ``declaration_id`` and ``call_id``."""
    from lzcenter_desktop.documents.review_notices import render_return_notices

    if (declaration_id is None) == (call_id is None):
        raise ServiceError("请指定一份申报书，或一个年度申报通知（生成其全部退回补正通知）", field="申报书")
    doc_no = _document_no(document_no)
    made: list[tuple[Any, FormalCheckView, int]] = []
    if declaration_id is not None:
        notice_item, check = _return_notice(ctx, declaration_id, doc_no, latest_only=False)
        made.append((notice_item, check, declaration_id))
        label = notice_item.center_name
    else:
        assert call_id is not None
        call = calls.get_call(ctx, call_id)
        waiting = [r for r in formal.formal_results(ctx, call_id=call_id) if r.conclusion == RETURNED_LABEL]
        if not waiting:
            raise ServiceError(
                f"{call.year}年度申报通知中没有退回补正、等待补正的申报书，无法生成退回补正通知。",
                field="申报通知",
            )
        for row in waiting:
            notice_item, check = _return_notice(ctx, row.declaration_id, doc_no, latest_only=True)
            made.append((notice_item, check, row.declaration_id))
        label = f"{call.year}年度"
    notices = [n for n, _, _ in made]
    return write_document(
        ctx,
        "return_notice",
        path,
        lambda p: render_return_notices(notices, p),
        title=f"{label}退回补正通知",
        entity=f"d{declaration_id}" if declaration_id is not None else f"c{call_id}",
        details={
            "call_id": call_id,
            "document_no": doc_no,
            "checks": [
                {
                    "declaration_id": did,
                    "round": c.round,
                    "decided_on": c.decided_on.isoformat(),
                    "reasons": list(c.reasons),
                }
                for _, c, did in made
            ],
        },
        count=len(notices),
    )


# --------------------------------------------------------------------------- 拟认定名单公示


def notice_body(ctx: AppContext, view: notice.NoticeView) -> str:
    """The text of a notice as printed: the recorded text (or the usual one), with the period and
    how to object added where the recorded text does not say them."""
    days = count_days(view.published_on, view.ends_on, view.period_rule, holidays.holiday_calendar(ctx))
    period = notice.NoticePeriod(view.published_on, view.ends_on, days, view.period_rule)
    body = (view.body or "").strip() or notice.default_body(len(view.items), period)
    extra: list[str] = []
    if f"{_cn(view.published_on)}至{_cn(view.ends_on)}" not in body:
        extra.append(f"公示期：{period.text}。")
    if "书面" not in body:
        extra.append(OBJECTION_TEXT)
    return "\n".join([body, *extra])


def make_public_notice(ctx: AppContext, *, notice_id: int, path: Path, contact: str = "") -> ReviewDocument:
    """The 拟认定名单公示 as published: title, 文号, the text with the period and how to object, the
    list of the centres on it (中心名称, 依托单位), the contact (``contact``; without it, lines to
    fill in by hand) and the bureau's signature on the first day."""
    from lzcenter_desktop.documents.review_notices import PublicNoticeSpec, render_public_notice

    contact_text = " ".join(contact.split())
    if len(contact_text) > CONTACT_MAX:
        raise ServiceError(
            f"联系方式过长（{len(contact_text)} 个字），最多 {CONTACT_MAX} 个字", field="联系方式"
        )
    view = notice.get_notice(ctx, notice_id)
    call = calls.get_call(ctx, view.call_id)
    spec = PublicNoticeSpec(
        title=view.title,
        document_no=view.document_no or "",
        body=notice_body(ctx, view),
        list_title=f"{call.year}年度拟认定柳州市工程技术研究中心名单",
        rows=tuple((i.center_name, i.host_name) for i in view.items),
        contact=contact_text,
        published_on=view.published_on,
    )
    return write_document(
        ctx,
        "public_notice",
        path,
        lambda p: render_public_notice(spec, p),
        title=view.title,
        entity=str(notice_id),
        details={
            "notice_id": notice_id,
            "call_id": view.call_id,
            "document_no": view.document_no,
            "published_on": view.published_on.isoformat(),
            "ends_on": view.ends_on.isoformat(),
            "center_ids": [i.center_id for i in view.items],
            "contact": contact_text,
        },
        count=len(view.items),
    )


# --------------------------------------------------------------------------- 认定通知


def _batch_of_notice(ctx: AppContext, notice_id: int) -> str:
    """The 认定文号 of the recognitions of a notice's centres."""
    with reading(ctx) as session:
        row = session.get(PublicNotice, notice_id)
        if row is None:
            raise NotFound(f"找不到编号为 {notice_id} 的公示，请刷新后再试", field="公示")
        items = list(
            session.execute(
                select(PublicNoticeItem).where(col(PublicNoticeItem.notice_id) == notice_id)
            ).scalars()
        )
        numbers: set[str] = set()
        for item in items:
            found = session.execute(
                select(col(Recognition.document_no)).where(
                    col(Recognition.center_id) == item.center_id,
                    col(Recognition.call_id) == row.call_id,
                )
            ).scalars()
            numbers.update(found)
        if not numbers:
            raise ServiceError(f"公示“{row.title}”中的中心还没有发文认定，无法生成认定通知。", field="公示")
        if len(numbers) > 1:
            raise ServiceError(
                f"公示“{row.title}”中的中心分属多个认定文号（{'、'.join(sorted(numbers))}），请指定认定文号。",
                field="认定文号",
            )
        return numbers.pop()


def _period_of(ctx: AppContext, declaration_ids: list[int]) -> str:
    """``（公示期为2026年11月20日至2026年11月26日）`` of the notice the batch was on, or ""."""
    with reading(ctx) as session:
        notice_id = (
            session.execute(
                select(col(PublicNoticeItem.notice_id))
                .where(col(PublicNoticeItem.declaration_id).in_(declaration_ids))
                .order_by(col(PublicNoticeItem.notice_id).desc())
            )
            .scalars()
            .first()
        )
    if notice_id is None:
        return ""
    view = notice.get_notice(ctx, notice_id)
    return f"（公示期为{_cn(view.published_on)}至{_cn(view.ends_on)}）"


def make_recognition_notice(
    ctx: AppContext, *, path: Path, document_no: str | None = None, notice_id: int | None = None
) -> ReviewDocument:
    """认定通知 of a batch — the recognitions of one 认定文号 (``document_no``, or the 文号 the
    centres of the notice ``notice_id`` were recognised with): the date, and per centre the title
    of 第十条（五）, the host, certificate and plaque numbers."""
    from lzcenter_desktop.documents.review_notices import RecognitionNoticeSpec, render_recognition_notice

    doc = _batch_of_notice(ctx, notice_id) if notice_id is not None else _document_no(document_no)
    if not doc:
        raise ServiceError("请填写认定文号，例如 柳科发〔2026〕12号", field="认定文号")
    with reading(ctx) as session:
        rows = session.execute(
            select(Recognition, Center, Organization)
            .join(Center, col(Center.id) == col(Recognition.center_id))
            .join(Organization, col(Organization.id) == col(Center.host_id), isouter=True)
            .where(col(Recognition.document_no) == doc)
            .order_by(col(Recognition.certificate_no), col(Recognition.id))
        ).all()
        if not rows:
            raise ServiceError(f"没有认定文号为“{doc}”的认定记录，无法生成认定通知。", field="认定文号")
        call_ids = {r.call_id for r, _, _ in rows if r.call_id is not None}
        call = session.get(AnnualCall, min(call_ids)) if call_ids else None
        declaration_ids = [r.declaration_id for r, _, _ in rows if r.declaration_id is not None]
        entries = [
            (r.title_awarded, org.name if org is not None else "", r.certificate_no or "", r.plaque_no or "")
            for r, _center, org in rows
        ]
        recognized_on = min(r.recognized_on for r, _, _ in rows)
        center_ids = [r.center_id for r, _, _ in rows]
    year = call.year if call is not None else recognized_on.year
    period = _period_of(ctx, declaration_ids) if declaration_ids else ""
    body = (
        f"根据{MEASURES}第十条规定，经依托单位申报、形式审查、专家评审和现场考察，并在柳州市科学技术局网站"
        f"公示{period}，现认定以下{len(entries)}家单位的工程技术研究中心为柳州市工程技术研究中心（名单附后），"
        "授予“柳州市××工程技术研究中心”称号，颁发认定证书，制作统一牌匾。\n"
        f"请各依托单位按照{MEASURES}的规定，加强对工程技术研究中心的建设和运行管理，每年12月底前填报"
        "《柳州市工程技术研究中心工作年报》，经依托单位审核后随年度考核结果一并报市科技局备案。"
    )
    spec = RecognitionNoticeSpec(
        title=f"柳州市科学技术局关于认定{year}年度柳州市工程技术研究中心的通知",
        document_no=doc,
        addressee="各县（区）科技主管部门，各有关单位：",
        body=body,
        list_title=f"{year}年度柳州市工程技术研究中心认定名单",
        rows=tuple(entries),
        recognized_on=recognized_on,
    )
    return write_document(
        ctx,
        "recognition_notice",
        path,
        lambda p: render_recognition_notice(spec, p),
        title=spec.title,
        entity=doc,
        details={
            "document_no": doc,
            "recognized_on": recognized_on.isoformat(),
            "center_ids": center_ids,
            "certificate_nos": [e[2] for e in entries],
        },
        count=len(entries),
    )
