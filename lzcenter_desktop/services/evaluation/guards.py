"""The rules of 第二十四条 a lifecycle step must meet, checked by ``services.centers.apply_state_change``
(the one place every state change goes through), next to the 第十条 guards of
:mod:`lzcenter_desktop.services.review.guards`:

* → 整改中 (rectifying): an evaluation of the centre whose outcome 整改 (第二十四条（三）) is not
  applied yet;
* → 已撤销 (revoked): an evaluation whose outcome 取消称号 (不合格 or a second consecutive 整改,
  第二十四条（四）) is not applied yet, or — for a centre 整改中 — a failed acceptance check of the
  current rectification (整改期间没有明显进步, 第二十四条（三）);
* → 自动放弃 (forfeited): an evaluation whose outcome 视为自动放弃 (not taking part or withdrawing,
  第二十四条（五）) is not applied yet;
* 整改中 → 已认定: a passed acceptance check of the current rectification.

The outcome is the one :mod:`lzcenter_desktop.services.evaluation.consequences` stores on the
evaluation and marks applied that day just before it takes the step, and the acceptance result the
one :mod:`~lzcenter_desktop.services.evaluation.rectification` records that day — so a clerk cannot
make these steps by hand (the 中心 page has no such step: its button leads to 绩效评估); the
refusals point to the 绩效评估 section.
"""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, col, select

from lzcenter_desktop.domain.evaluation import Outcome
from lzcenter_desktop.domain.lifecycle import CenterState
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.storage.models import Center, Evaluation, Rectification

FIELD = "目标状态"
ACCEPTED = "accepted"
NOT_ACCEPTED = "not_accepted"
PENDING = "pending"
WHERE = "请在“绩效评估”页评定等级后执行评估结论"


def pending_evaluation(session: Session, center_id: int, outcome: Outcome, on: dt.date) -> Evaluation | None:
    """The latest evaluation of the centre whose ``outcome`` the evaluation service is applying on
    ``on`` (marked applied that day; the step itself is the one the lifecycle allows from the
    centre's present state, so an outcome already carried out opens nothing)."""
    return session.execute(
        select(Evaluation)
        .where(
            col(Evaluation.center_id) == center_id,
            col(Evaluation.outcome) == outcome.value,
            col(Evaluation.outcome_applied_on) == on,
        )
        .order_by(col(Evaluation.id).desc())
        .limit(1)
    ).scalar_one_or_none()


def current_rectification(session: Session, center: Center) -> Rectification | None:
    """The rectification of the centre's present 整改中 period (noticed on or after it began)."""
    assert center.id is not None
    if center.state != CenterState.RECTIFYING:
        return None
    return session.execute(
        select(Rectification)
        .where(
            col(Rectification.center_id) == center.id, col(Rectification.notice_date) >= center.state_since
        )
        .order_by(col(Rectification.notice_date).desc(), col(Rectification.id).desc())
        .limit(1)
    ).scalar_one_or_none()


def _checked(session: Session, center: Center, outcome: str, on: dt.date) -> bool:
    found = current_rectification(session, center)
    return found is not None and found.outcome == outcome and found.checked_on == on


def check_evaluation_step(session: Session, center: Center, target: CenterState, on: dt.date) -> None:
    """Raise a Chinese :class:`ServiceError` when the step ``center.state → target`` on ``on`` is not
    decided by an evaluation outcome or an acceptance check (the lifecycle's own transition rules
    are checked before)."""
    assert center.id is not None
    name = center.name_zh
    if target is CenterState.RECTIFYING:
        if pending_evaluation(session, center.id, Outcome.RECTIFY, on) is None:
            raise ServiceError(
                f"“{name}”不能改为“整改中”：没有待执行的“整改”绩效评估结果（第二十四条（三））；{WHERE}",
                field=FIELD,
            )
    elif target is CenterState.REVOKED:
        if pending_evaluation(session, center.id, Outcome.REVOKE, on) is None and not _checked(
            session, center, NOT_ACCEPTED, on
        ):
            raise ServiceError(
                f"“{name}”不能改为“已撤销”：没有待执行的“取消称号”绩效评估结果（评估不合格或连续二次整改，"
                f"第二十四条（四）），也没有未通过的整改验收（第二十四条（三））；{WHERE}或记录整改验收结果",
                field=FIELD,
            )
    elif target is CenterState.FORFEITED:
        if pending_evaluation(session, center.id, Outcome.FORFEIT, on) is None:
            raise ServiceError(
                f"“{name}”不能改为“自动放弃”：没有待执行的“视为自动放弃”绩效评估结果（不参加或中途退出评估，"
                f"第二十四条（五））；请在“绩效评估”页记录其未参加或退出评估后执行评估结论",
                field=FIELD,
            )
    elif (
        target is CenterState.RECOGNISED
        and center.state == CenterState.RECTIFYING
        and not _checked(session, center, ACCEPTED, on)
    ):
        raise ServiceError(
            f"“{name}”不能由“整改中”改为“已认定”：整改尚未通过验收（第二十四条（三））；"
            "请在“绩效评估”页记录整改验收申请和验收结果",
            field=FIELD,
        )
