"""发文认定 (第十条（四）（五）) of the whole batch of a 拟认定名单公示.

Only after the notice has ended (the recognition date is after its last day) with every accepted
objection closed (R10.4), and only for the centres still 公示中 with a 拟认定 review result; a
centre withdrawn after an upheld objection is left out and named. Each centre gets the title
``柳州市××工程技术研究中心`` (第十条（五）; ×× from its name of 第二十六条), and certificate and
plaque numbers in sequence for the year of the recognition, continuing from the highest one issued:
``柳工程中心证〔2026〕001号`` and ``LZETRC-2026-001`` (the bureau's format, as in the demo data).
The centre's history records the step with its 文号 and operator.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from fractions import Fraction

from sqlmodel import Session, col, select

from lzcenter_desktop.domain import lifecycle
from lzcenter_desktop.domain.review import parse_exact
from lzcenter_desktop.services.approvals import four_eyes
from lzcenter_desktop.services.centers import add_recognition
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.declaration_status import change_declaration_status
from lzcenter_desktop.services.errors import NotFound, ServiceError
from lzcenter_desktop.services.review import guards
from lzcenter_desktop.services.uow import reading, unit_of_work
from lzcenter_desktop.storage.models import (
    Center,
    Declaration,
    Objection,
    PublicNotice,
    PublicNoticeItem,
    Recognition,
    ReviewResult,
)

DOCUMENT_NO_MAX = 100


def certificate_number(year: int, serial: int) -> str:
    return f"柳工程中心证〔{year}〕{serial:03d}号"


def plaque_number(year: int, serial: int) -> str:
    return f"LZETRC-{year}-{serial:03d}"


def _serial_patterns(year: int) -> tuple[re.Pattern[str], re.Pattern[str]]:
    return (
        re.compile(rf"^柳工程中心证〔{year}〕(\d+)号$"),
        re.compile(rf"^LZETRC-{year}-(\d+)$"),
    )


def highest_serial(session: Session, year: int) -> int:
    """The highest certificate or plaque serial of ``year`` issued so far (0 when none)."""
    cert, plaque = _serial_patterns(year)
    numbers: list[str] = []
    for column in (col(Recognition.certificate_no), col(Recognition.plaque_no)):
        numbers.extend(n for n in session.execute(select(column).where(column.is_not(None))).scalars() if n)
    for column in (col(Center.certificate_no), col(Center.plaque_no)):
        numbers.extend(n for n in session.execute(select(column).where(column.is_not(None))).scalars() if n)
    best = 0
    for number in numbers:
        match = cert.match(number) or plaque.match(number)
        if match:
            best = max(best, int(match.group(1)))
    return best


@dataclass(frozen=True, slots=True)
class RecognisedCentre:
    center_id: int
    recognition_id: int
    center_name: str
    title_awarded: str
    certificate_no: str
    plaque_no: str


@dataclass(frozen=True, slots=True)
class SkippedCentre:
    center_id: int
    center_name: str
    reason: str


@dataclass(frozen=True, slots=True)
class RecognitionBatch:
    notice_id: int
    document_no: str
    recognized_on: dt.date
    recognised: tuple[RecognisedCentre, ...]
    skipped: tuple[SkippedCentre, ...]


def _get_notice(session: Session, notice_id: int) -> PublicNotice:
    notice = session.get(PublicNotice, notice_id)
    if notice is None:
        raise NotFound(f"找不到编号为 {notice_id} 的公示，请刷新后再试", field="公示")
    return notice


def _batch(
    session: Session, notice: PublicNotice
) -> tuple[list[tuple[Center, ReviewResult]], list[SkippedCentre]]:
    """The centres of the notice to recognise (by total, highest first) and those left out."""
    take: list[tuple[Fraction, int, Center, ReviewResult]] = []
    skipped: list[SkippedCentre] = []
    items = session.execute(
        select(PublicNoticeItem)
        .where(col(PublicNoticeItem.notice_id) == notice.id)
        .order_by(col(PublicNoticeItem.id))
    ).scalars()
    for item in items:
        center = session.get(Center, item.center_id)
        assert center is not None and center.id is not None
        result = guards.latest_result(session, center.id)
        if center.state != lifecycle.CenterState.PUBLIC_NOTICE:
            why = (
                "公示期间异议经核查成立，已撤回认定"
                if center.state == lifecycle.CenterState.WITHDRAWN
                else f"当前状态为“{lifecycle.label(center.state)}”"
            )
            skipped.append(SkippedCentre(center.id, center.name_zh, why))
        elif result is None or result.outcome != guards.PROPOSED:
            skipped.append(SkippedCentre(center.id, center.name_zh, "没有“拟认定”的评审结果"))
        else:
            total = (
                parse_exact(result.total_text) if result.total_text else Fraction(repr(result.total_score))
            )
            take.append((total, center.id, center, result))
    take.sort(key=lambda t: (-t[0], t[1]))
    return [(c, r) for _, _, c, r in take], skipped


def recognition_problems(ctx: AppContext, *, notice_id: int, on: dt.date) -> list[str]:
    """What stands in the way of recognising the batch of a notice on ``on`` (empty: nothing)."""
    with reading(ctx) as session:
        return _problems(session, _get_notice(session, notice_id), on)


def _problems(session: Session, notice: PublicNotice, on: dt.date) -> list[str]:
    problems: list[str] = []
    if on <= notice.ends_on:
        problems.append(
            f"公示期至 {notice.ends_on.isoformat()} 结束，最早于 "
            f"{(notice.ends_on + dt.timedelta(days=1)).isoformat()} 才能发文认定（第十条（四））"
        )
    open_rows = session.execute(
        select(Objection, Center)
        .join(Center, col(Center.id) == col(Objection.center_id))
        .where(
            col(Objection.notice_id) == notice.id,
            col(Objection.accepted).is_(True),
            col(Objection.outcome) == "pending",
        )
    ).all()
    for _objection, center in open_rows:
        problems.append(f"关于“{center.name_zh}”的异议尚未处理完毕")
    take, _ = _batch(session, notice)
    if not take:
        problems.append(f"公示“{notice.title}”中没有可认定的中心（须为公示中且评审结果为拟认定）")
    return problems


def recognise_notice(
    ctx: AppContext, *, notice_id: int, document_no: str, recognized_on: dt.date
) -> RecognitionBatch:
    """发文认定 of every centre of a notice that may be recognised, with the recognition 文号 and
    date; certificate and plaque numbers follow the highest of the year. Refused as a whole before
    the notice ends or while an accepted objection is open. The notice is closed afterwards."""
    doc = document_no.strip() if document_no else ""
    if not doc:
        raise ServiceError("请填写认定文号，例如 柳科发〔2026〕12号", field="认定文号")
    if len(doc) > DOCUMENT_NO_MAX:
        raise ServiceError(f"认定文号过长，最多 {DOCUMENT_NO_MAX} 个字", field="认定文号")
    if not isinstance(recognized_on, dt.date):
        raise ServiceError("请填写认定日期", field="认定日期")
    with unit_of_work(ctx, "review.recognise_notice") as session:
        notice = _get_notice(session, notice_id)
        problems = _problems(session, notice, recognized_on)
        if problems:
            raise ServiceError("不能发文认定：" + "；".join(problems), field="认定日期")
        four_eyes(
            session,
            kind="recognition",
            subject=f"notice:{notice_id}",
            summary=f"对公示“{notice.title}”中的中心发文认定（{doc}，{recognized_on.isoformat()}）",
            params={"notice_id": notice_id, "document_no": doc, "recognized_on": recognized_on},
        )
        take, skipped = _batch(session, notice)
        serial = highest_serial(session, recognized_on.year)
        done: list[RecognisedCentre] = []
        for center, result in take:
            serial += 1
            cert = certificate_number(recognized_on.year, serial)
            plaque = plaque_number(recognized_on.year, serial)
            decl = session.get(Declaration, result.declaration_id)
            recognition = add_recognition(
                session,
                center,
                on=recognized_on,
                document_no=doc,
                plaque_no=plaque,
                certificate_no=cert,
                call_id=decl.call_id if decl is not None else notice.call_id,
                declaration_id=result.declaration_id,
                reason=f"公示期满（{notice.published_on.isoformat()} 至 {notice.ends_on.isoformat()}），"
                "异议均已处理，发文认定",
            )
            if decl is not None:
                change_declaration_status(session, decl, "decided")
            assert center.id is not None and recognition.id is not None
            done.append(
                RecognisedCentre(
                    center.id, recognition.id, center.name_zh, recognition.title_awarded, cert, plaque
                )
            )
        notice.status = "closed"
        session.add(notice)
        session.flush()
        assert notice.id is not None
        return RecognitionBatch(notice.id, doc, recognized_on, tuple(done), tuple(skipped))
