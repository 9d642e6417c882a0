"""The rules of 第十条 a lifecycle step must meet, checked by ``services.centers.apply_state_change``
(the one place every state change goes through):

* → 拟认定 (proposed): the centre has a review result with outcome 拟认定 — a total of at least the
  pass score, or a 原则上 exception recorded with its reason (R10.3b);
* → 公示中 (public notice): the centre is on a published 拟认定名单 whose period includes the day;
* 公示中 → 已认定 (recognised): the notice has ended before the recognition date, was as long as the
  rule settings of its call require (calendar or working days, with the holiday table), and every
  accepted objection about the centre is closed, none upheld (R10.4).
"""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, col, select

from lzcenter_desktop.domain.lifecycle import CenterState
from lzcenter_desktop.domain.review import Objection as DomainObjection
from lzcenter_desktop.domain.review import PublicNotice as DomainNotice
from lzcenter_desktop.domain.review import check_recognition
from lzcenter_desktop.domain.workdays import PeriodRule
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.review import holidays, lookup
from lzcenter_desktop.storage.models import (
    Center,
    Declaration,
    Objection,
    PublicNotice,
    PublicNoticeItem,
    ReviewResult,
)

PROPOSED = "proposed"
NOT_RECOGNISED = "not_recognised"
CANCELLED_NOTICE = "cancelled"
FIELD = "目标状态"


def latest_result(session: Session, center_id: int) -> ReviewResult | None:
    """The most recent review result of any declaration of the centre."""
    return session.execute(
        select(ReviewResult)
        .join(Declaration, col(Declaration.id) == col(ReviewResult.declaration_id))
        .where(col(Declaration.center_id) == center_id)
        .order_by(col(ReviewResult.decided_on).desc(), col(ReviewResult.id).desc())
        .limit(1)
    ).scalar_one_or_none()


def latest_notice(session: Session, center_id: int) -> tuple[PublicNotice, PublicNoticeItem] | None:
    """The most recent (not cancelled) 拟认定名单公示 that lists the centre, with its item."""
    row = session.execute(
        select(PublicNotice, PublicNoticeItem)
        .join(PublicNoticeItem, col(PublicNoticeItem.notice_id) == col(PublicNotice.id))
        .where(col(PublicNoticeItem.center_id) == center_id, col(PublicNotice.status) != CANCELLED_NOTICE)
        .order_by(col(PublicNotice.published_on).desc(), col(PublicNotice.id).desc())
        .limit(1)
    ).first()
    return (row[0], row[1]) if row is not None else None


def domain_notice(session: Session, notice: PublicNotice, center_id: int) -> DomainNotice:
    """The notice as :func:`domain.review.check_recognition` sees it: the accepted objections about
    the centre (objections recorded as not accepted do not count)."""
    rows = session.execute(
        select(Objection).where(
            col(Objection.notice_id) == notice.id,
            col(Objection.center_id) == center_id,
            col(Objection.accepted).is_(True),
        )
    ).scalars()
    objections = tuple(
        DomainObjection(
            received=o.received_on,
            resolved=o.outcome in ("dismissed", "upheld"),
            upheld=o.outcome == "upheld",
        )
        for o in rows
    )
    rule = PeriodRule(notice.period_rule) if notice.period_rule in PeriodRule._value2member_map_ else None
    return DomainNotice(notice.published_on, notice.ends_on, objections, rule)


def recognition_problems(session: Session, center: Center, on: dt.date) -> list[str]:
    """Why ``center`` cannot be recognised on ``on`` (R10.4 and a 拟认定 result); empty when it can."""
    assert center.id is not None
    problems: list[str] = []
    result = latest_result(session, center.id)
    if result is None or result.outcome != PROPOSED:
        problems.append("没有“拟认定”的评审结果")
    found = latest_notice(session, center.id)
    if found is None:
        violations = check_recognition(None, on)
    else:
        notice = found[0]
        call = lookup.get_call(session, notice.call_id)
        violations = check_recognition(
            domain_notice(session, notice, center.id),
            on,
            lookup.call_settings(session, call),
            holidays.calendar_of(session),
        )
    problems.extend(v.message for v in violations)
    return problems


def check_step(session: Session, center: Center, target: CenterState, on: dt.date) -> None:
    """Raise a Chinese :class:`ServiceError` when the step ``center.state → target`` on ``on``
    does not meet its rule of 第十条 (the lifecycle's own transition rules are checked before)."""
    assert center.id is not None
    name = center.name_zh
    if target is CenterState.PROPOSED:
        result = latest_result(session, center.id)
        if result is not None and result.decided_on < center.state_since:
            result = None  # a result of an earlier application, before this review began
        if result is None or result.outcome != PROPOSED:
            raise ServiceError(
                f"“{name}”没有“拟认定”的评审结果：须在评审会结束后，专家评审与现场考察总分达到"
                "拟认定分数线，或由经办人记录理由作为例外拟认定，才能改为“拟认定”",
                field=FIELD,
            )
        if on < result.decided_on:
            raise ServiceError(
                f"“{name}”的评审结果于 {result.decided_on.isoformat()} 确定，"
                f"拟认定日期 {on.isoformat()} 不能早于该日期",
                field=FIELD,
            )
    elif target is CenterState.PUBLIC_NOTICE:
        found = latest_notice(session, center.id)
        if found is not None and found[0].ends_on < center.state_since:
            found = None  # a notice of an earlier application
        if found is None or not found[0].published_on <= on <= found[0].ends_on:
            where = (
                f"公示“{found[0].title}”的公示期为 {found[0].published_on.isoformat()} 至 "
                f"{found[0].ends_on.isoformat()}，{on.isoformat()} 不在其中"
                if found is not None
                else "它不在任何已发布的拟认定名单公示中"
            )
            raise ServiceError(
                f"“{name}”不能改为“公示中”：{where}；请在“评审”页发布拟认定名单公示", field=FIELD
            )
    elif target is CenterState.RECOGNISED and center.state == CenterState.PUBLIC_NOTICE:
        problems = recognition_problems(session, center, on)
        if problems:
            raise ServiceError(f"“{name}”不能发文认定（第十条（四））：" + "；".join(problems), field=FIELD)
