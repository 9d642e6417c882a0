"""整改 (第二十四条（三）): the host's acceptance request after the one-year period, the acceptance
check and its result, and the list of rectifications (with the deadlines of the coming days for
the dashboard).

Reading of “整改到期后，由依托单位提出整改验收申请”: the period ends on its deadline day
(:func:`domain.evaluation.rectification_deadline`, one year from the notice); the request is
accepted from that day on — on the deadline day itself, not the day before (the year of
rectification is complete on it).  The check follows the request (same day or later): passed → the
centre is 已认定 again (合格); not passed (没有明显进步) → 已撤销 (第二十四条（三）), both through
``services.centers.apply_state_change`` whose guard
(:func:`lzcenter_desktop.services.evaluation.guards.check_evaluation_step`) looks for that result.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session, col, select

from lzcenter_desktop.domain import text
from lzcenter_desktop.domain.lifecycle import CenterState
from lzcenter_desktop.services.approvals import four_eyes
from lzcenter_desktop.services.centers import apply_state_change
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import NotFound, ServiceError
from lzcenter_desktop.services.evaluation.guards import ACCEPTED, NOT_ACCEPTED, PENDING
from lzcenter_desktop.services.uow import reading, unit_of_work
from lzcenter_desktop.storage.models import Center, Evaluation, EvaluationRound, Recognition, Rectification

OUTCOME_LABELS = {PENDING: "整改中", ACCEPTED: "验收通过", NOT_ACCEPTED: "验收未通过"}
ARTICLE = "第二十四条（三）"
NOTE_MAX = 1000


@dataclass(frozen=True, slots=True)
class RectificationView:
    """One rectification: its notice and deadline, the host's request, the check and its result."""

    rectification_id: int
    evaluation_id: int
    center_id: int
    center_name: str
    round_year: int | None
    notice_date: dt.date
    deadline: dt.date
    applied_on: dt.date | None  # 整改验收申请
    checked_on: dt.date | None
    outcome: str  # pending / accepted / not_accepted
    outcome_label: str  # 整改中 / 验收通过 / 验收未通过
    note: str | None
    days_left: int | None  # deadline − as_of (negative: overdue); None without as_of


def rectification_view(
    session: Session, row: Rectification, *, as_of: dt.date | None = None
) -> RectificationView:
    assert row.id is not None
    center = session.get(Center, row.center_id)
    evaluation = session.get(Evaluation, row.evaluation_id)
    rnd = session.get(EvaluationRound, evaluation.round_id) if evaluation is not None else None
    return RectificationView(
        rectification_id=row.id,
        evaluation_id=row.evaluation_id,
        center_id=row.center_id,
        center_name=center.name_zh if center is not None else "",
        round_year=rnd.year if rnd is not None else None,
        notice_date=row.notice_date,
        deadline=row.deadline,
        applied_on=row.applied_on,
        checked_on=row.checked_on,
        outcome=row.outcome,
        outcome_label=OUTCOME_LABELS.get(row.outcome, row.outcome),
        note=row.note,
        days_left=(row.deadline - as_of).days if as_of is not None else None,
    )


def _day(d: dt.date | None) -> str:
    return text.day(d) if d is not None else "此前"


def end_recognition(session: Session, center_id: int, status: str) -> None:
    """Mark the centre's recognitions no longer valid (``revoked`` / ``forfeited``)."""
    for r in session.execute(select(Recognition).where(col(Recognition.center_id) == center_id)).scalars():
        if r.status != status:
            r.status = status
            session.add(r)


def _get(session: Session, rectification_id: int) -> tuple[Rectification, Center]:
    row = session.get(Rectification, rectification_id)
    center = session.get(Center, row.center_id) if row is not None else None
    if row is None or center is None:
        raise NotFound(f"找不到编号为 {rectification_id} 的整改记录，它可能已被其他用户更改，请刷新列表。")
    return row, center


def request_acceptance(ctx: AppContext, *, rectification_id: int, applied_on: dt.date) -> None:
    """依托单位提出整改验收申请: only on or after the deadline day (“整改到期后”), once, while the
    centre is 整改中."""
    with unit_of_work(ctx, "evaluation.request_acceptance") as session:
        row, center = _get(session, rectification_id)
        name = center.name_zh
        if row.outcome != PENDING:
            raise ServiceError(
                f"“{name}”的整改已于 {_day(row.checked_on)} 验收（{OUTCOME_LABELS[row.outcome]}），"
                "不能再提出验收申请",
                field="申请日期",
            )
        if row.applied_on is not None:
            raise ServiceError(
                f"“{name}”已于 {text.day(row.applied_on)} 提出整改验收申请，请记录验收结果", field="申请日期"
            )
        if center.state != CenterState.RECTIFYING:
            raise ServiceError(f"“{name}”不在整改中，不能提出整改验收申请", field="申请日期")
        if applied_on < row.deadline:
            raise ServiceError(
                f"“{name}”的整改期限至 {text.day(row.deadline)}，整改到期后方可提出验收申请（{ARTICLE}）；"
                f"{text.day(applied_on)} 尚未到期",
                field="申请日期",
            )
        row.applied_on = applied_on
        session.add(row)


def record_acceptance(
    ctx: AppContext,
    *,
    rectification_id: int,
    checked_on: dt.date,
    passed: bool,
    note: str,
    document_no: str | None = None,
) -> None:
    """整改验收结果: passed → 已认定 (合格, title kept); not passed (整改期间没有明显进步) → 已撤销
    (第二十四条（三）), each recorded in the centre's history with the article."""
    cleaned = " ".join((note or "").split())
    if not cleaned:
        raise ServiceError("请填写验收意见（专家或第三方机构的结论）", field="验收意见")
    if len(cleaned) > NOTE_MAX:
        raise ServiceError(f"验收意见过长（{len(cleaned)} 个字），最多 {NOTE_MAX} 个字", field="验收意见")
    with unit_of_work(ctx, "evaluation.record_acceptance") as session:
        row, center = _get(session, rectification_id)
        name = center.name_zh
        if row.outcome != PENDING:
            raise ServiceError(
                f"“{name}”的整改验收结果已于 {_day(row.checked_on)} 记录（{OUTCOME_LABELS[row.outcome]}），"
                "不能再次记录",
                field="验收结果",
            )
        if row.applied_on is None:
            raise ServiceError(
                f"“{name}”尚未提出整改验收申请：整改到期后由依托单位提出申请，再组织验收（{ARTICLE}）",
                field="验收日期",
            )
        if checked_on < row.applied_on:
            raise ServiceError(
                f"验收日期 {text.day(checked_on)} 早于整改验收申请日期 {text.day(row.applied_on)}",
                field="验收日期",
            )
        if not passed:  # a revocation: four eyes when sign-in is on (services/approvals.py)
            params = {"rectification_id": rectification_id, "checked_on": checked_on, "passed": False}
            four_eyes(
                session,
                kind="failed_acceptance",
                subject=f"rectification:{rectification_id}",
                summary=f"“{name}”整改验收未通过，取消称号（{text.day(checked_on)}）",
                params=params | {"note": cleaned, "document_no": document_no},
            )
        row.checked_on = checked_on
        row.outcome = ACCEPTED if passed else NOT_ACCEPTED
        row.note = cleaned
        session.add(row)
        session.flush()
        if passed:
            reason = f"整改验收通过，评定为合格，继续保留工程技术中心称号（{ARTICLE}）"
            target = CenterState.RECOGNISED
        else:
            reason = f"整改期间没有明显进步，整改验收未通过，取消工程技术中心称号（{ARTICLE}）"
            target = CenterState.REVOKED
        apply_state_change(
            session, center, to_state=target.value, on=checked_on, reason=reason, document_no=document_no
        )
        if not passed:
            assert center.id is not None
            end_recognition(session, center.id, "revoked")


def get_rectification(ctx: AppContext, rectification_id: int) -> RectificationView:
    with reading(ctx) as session:
        row, _center = _get(session, rectification_id)
        return rectification_view(session, row)


def list_rectifications(
    ctx: AppContext, *, due_within_days: int | None = None, as_of: dt.date | None = None
) -> list[RectificationView]:
    """Rectifications, by deadline.  With ``due_within_days``: only those still open (no acceptance
    result, centre 整改中) whose deadline falls on or before ``as_of`` + ``due_within_days`` — day 90
    of 90 is in, day 91 out; deadlines already passed stay in (overdue, ``days_left`` < 0) until the
    acceptance is recorded.  ``as_of`` defaults to today."""
    today = as_of or dt.date.today()
    if due_within_days is not None and due_within_days < 0:
        raise ServiceError("天数不能为负数", field="天数")
    with reading(ctx) as session:
        query = select(Rectification).order_by(col(Rectification.deadline), col(Rectification.id))
        if due_within_days is not None:
            query = query.join(Center, col(Center.id) == col(Rectification.center_id)).where(
                col(Rectification.outcome) == PENDING,
                col(Center.state) == CenterState.RECTIFYING.value,
                col(Rectification.deadline) <= today + dt.timedelta(days=due_within_days),
            )
        rows = list(session.execute(query).scalars())
        return [rectification_view(session, r, as_of=today) for r in rows]
