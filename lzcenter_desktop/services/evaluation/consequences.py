"""The consequences of an evaluation (第二十四条, 第二十五条): proposed by the rules
(:func:`domain.evaluation.evaluation_outcome` with the centre's earlier grades), applied by the
clerk, each recorded in the centre's history with its article.

* 优秀 → the title is kept and the centre listed for priority (第二十四条（一）); 合格 → kept
  (第二十四条（二））; neither changes the centre's state;
* 整改 → 整改中 and a :class:`Rectification` noticed on the day applied, due one year later
  (第二十四条（三）; the acceptance is in :mod:`.rectification`);
* 不合格, or 整改 when the previous evaluation of the centre was 整改 too → 已撤销 (第二十四条（四））.
  “Consecutive” reads the evaluation grades only: the previous graded evaluation of the centre
  (since its latest recognition) was 整改, whatever its acceptance check gave; 整改, 合格, 整改 is
  not consecutive;
* not taking part or withdrawing → 自动放弃 (第二十四条（五））;
* revoked → may apply again from :func:`domain.evaluation.reapply_allowed_from` of the revocation
  day (第二十五条; enforced at declaration submission from the recorded revocation, D25).

A consequence is applied once; an evaluation without a grade (that took part) has none yet.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from sqlmodel import Session, col, select

from lzcenter_desktop.domain import text
from lzcenter_desktop.domain.evaluation import (
    Grade,
    Outcome,
    as_grade,
    evaluation_outcome,
    reapply_allowed_from,
    rectification_deadline,
)
from lzcenter_desktop.domain.lifecycle import CenterState
from lzcenter_desktop.domain.settings import DEFAULT_SETTINGS, RuleSettings
from lzcenter_desktop.services.approvals import four_eyes
from lzcenter_desktop.services.centers import apply_state_change
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import NotFound, ServiceError
from lzcenter_desktop.services.evaluation.rectification import (
    RectificationView,
    end_recognition,
    rectification_view,
)
from lzcenter_desktop.services.uow import audit_context, reading, unit_of_work
from lzcenter_desktop.storage.models import (
    Center,
    CenterStateChange,
    Evaluation,
    EvaluationRound,
    Rectification,
    RuleSetVersion,
)

ARTICLES = {
    Grade.EXCELLENT: "第二十四条（一）",
    Grade.QUALIFIED: "第二十四条（二）",
    Grade.RECTIFY: "第二十四条（三）",
    Grade.FAILED: "第二十四条（四）",
}
FORFEIT_ARTICLE = "第二十四条（五）"
CONSECUTIVE_ARTICLE = "第二十四条（四）"


@dataclass(frozen=True, slots=True)
class ConsequenceView:
    """What one evaluation leads to, proposed or applied."""

    evaluation_id: int
    center_id: int
    center_name: str
    grade: str | None  # 优秀 / 合格 / 整改 / 不合格, None when not graded (or did not take part)
    previous_grades: tuple[str, ...]  # the centre's earlier grades since its recognition, oldest first
    outcome: str | None  # keep / rectify / revoke / forfeit; None while a participant has no grade
    outcome_label: str  # 保留称号 … or 尚未评定等级
    article: str | None  # 第二十四条（三）…
    applied_on: dt.date | None
    rectification: RectificationView | None
    total_text: str | None = None


# --- reading --------------------------------------------------------------------------------------


def settings_in(session: Session, year: int) -> RuleSettings:
    """The rule settings of ``year`` (latest version of the nearest year ≤ it, else the defaults)."""
    row = session.execute(
        select(RuleSetVersion)
        .where(col(RuleSetVersion.year) <= year)
        .order_by(col(RuleSetVersion.year).desc(), col(RuleSetVersion.version_no).desc())
        .limit(1)
    ).scalar_one_or_none()
    return RuleSettings.from_json_dict(json.loads(row.settings_json)) if row is not None else DEFAULT_SETTINGS


def _round_of(session: Session, evaluation: Evaluation) -> EvaluationRound:
    rnd = session.get(EvaluationRound, evaluation.round_id)
    assert rnd is not None
    return rnd


def previous_grades(session: Session, evaluation: Evaluation) -> tuple[str, ...]:
    """The grades of the centre's earlier evaluations (rounds of earlier years, started on or after
    its latest recognition), oldest first; evaluations without a grade are left out."""
    rnd = _round_of(session, evaluation)
    center = session.get(Center, evaluation.center_id)
    query = (
        select(col(Evaluation.grade))
        .join(EvaluationRound, col(EvaluationRound.id) == col(Evaluation.round_id))
        .where(
            col(Evaluation.center_id) == evaluation.center_id,
            col(EvaluationRound.year) < rnd.year,
            col(Evaluation.grade).is_not(None),
        )
        .order_by(col(EvaluationRound.year), col(EvaluationRound.id))
    )
    if center is not None and center.recognized_on is not None:
        query = query.where(col(EvaluationRound.started_on) >= center.recognized_on)
    return tuple(str(g) for g in session.execute(query).scalars() if g is not None and str(g).strip())


def _grade(evaluation: Evaluation) -> Grade | None:
    if evaluation.grade is None or not evaluation.grade.strip():
        return None
    return as_grade(evaluation.grade)


def proposed_outcome(session: Session, evaluation: Evaluation) -> Outcome | None:
    """What the rules propose for ``evaluation`` now (None: a participant without a grade)."""
    grade = _grade(evaluation)
    if evaluation.participated and grade is None:
        return None
    settings = settings_in(session, _round_of(session, evaluation).year)
    return evaluation_outcome(
        grade, previous_grades(session, evaluation), settings, took_part=evaluation.participated
    )


def article_for(grade: Grade | None, outcome: Outcome, previous: tuple[str, ...] = ()) -> str:
    if outcome is Outcome.FORFEIT:
        return FORFEIT_ARTICLE
    if outcome is Outcome.REVOKE:
        return CONSECUTIVE_ARTICLE
    assert grade is not None
    return ARTICLES[grade]


def _view(session: Session, evaluation: Evaluation) -> ConsequenceView:
    assert evaluation.id is not None
    center = session.get(Center, evaluation.center_id)
    previous = previous_grades(session, evaluation)
    grade = _grade(evaluation)
    if evaluation.outcome_applied_on is not None and evaluation.outcome:
        outcome: Outcome | None = Outcome(evaluation.outcome)
    else:
        outcome = proposed_outcome(session, evaluation)
    rect = session.execute(
        select(Rectification).where(col(Rectification.evaluation_id) == evaluation.id)
    ).scalar_one_or_none()
    return ConsequenceView(
        evaluation_id=evaluation.id,
        center_id=evaluation.center_id,
        center_name=center.name_zh if center is not None else "",
        grade=grade.value if grade is not None else None,
        previous_grades=previous,
        outcome=outcome.value if outcome is not None else None,
        outcome_label=outcome.label if outcome is not None else "尚未评定等级",
        article=article_for(grade, outcome, previous) if outcome is not None else None,
        applied_on=evaluation.outcome_applied_on,
        rectification=rectification_view(session, rect) if rect is not None else None,
        total_text=evaluation.total_text,
    )


def _round_evaluations(session: Session, round_id: int) -> list[Evaluation]:
    if session.get(EvaluationRound, round_id) is None:
        raise NotFound(f"找不到编号为 {round_id} 的评估批次，它可能已被其他用户更改，请刷新列表。")
    return list(
        session.execute(
            select(Evaluation).where(col(Evaluation.round_id) == round_id).order_by(col(Evaluation.id))
        ).scalars()
    )


def proposed_consequences(ctx: AppContext, *, round_id: int) -> list[ConsequenceView]:
    """Every evaluation of the round with the consequence the rules propose (or the one applied)."""
    with reading(ctx) as session:
        return [_view(session, e) for e in _round_evaluations(session, round_id)]


def get_consequence(ctx: AppContext, *, evaluation_id: int) -> ConsequenceView:
    with reading(ctx) as session:
        return _view(session, _get(session, evaluation_id))


def _score(view: ConsequenceView) -> Decimal:
    try:
        return Decimal(view.total_text or "0")
    except InvalidOperation:
        return Decimal(0)


def priority_list(ctx: AppContext, *, round_id: int) -> list[ConsequenceView]:
    """The round's 优秀 centres, listed for priority (第二十四条（一）), best total first."""
    with reading(ctx) as session:
        views = [
            _view(session, e)
            for e in _round_evaluations(session, round_id)
            if e.participated and _grade(e) is Grade.EXCELLENT
        ]
    return sorted(views, key=lambda v: (-_score(v), v.center_name))


def reapply_from(ctx: AppContext, *, center_id: int) -> dt.date | None:
    """第二十五条: the first day the host of a revoked centre may apply again (from the latest
    recorded revocation of the centre), None when it was never revoked."""
    with reading(ctx) as session:
        if session.get(Center, center_id) is None:
            raise NotFound(f"找不到编号为 {center_id} 的中心，它可能已被其他用户更改，请刷新列表。")
        revoked = session.execute(
            select(col(CenterStateChange.changed_on))
            .where(
                col(CenterStateChange.center_id) == center_id,
                col(CenterStateChange.to_state) == CenterState.REVOKED.value,
            )
            .order_by(col(CenterStateChange.changed_on).desc(), col(CenterStateChange.id).desc())
            .limit(1)
        ).scalar_one_or_none()
        if revoked is None:
            return None
        return reapply_allowed_from(revoked, settings_in(session, revoked.year))


# --- applying ---------------------------------------------------------------------------------------


def _get(session: Session, evaluation_id: int) -> Evaluation:
    evaluation = session.get(Evaluation, evaluation_id)
    if evaluation is None:
        raise NotFound(f"找不到编号为 {evaluation_id} 的评估记录，它可能已被其他用户更改，请刷新列表。")
    return evaluation


def apply_consequence_in(
    session: Session, evaluation: Evaluation, *, on: dt.date, document_no: str | None = None
) -> Outcome:
    """Apply the consequence of ``evaluation`` inside a unit of work (see :func:`apply_consequence`)."""
    assert evaluation.id is not None
    center = session.get(Center, evaluation.center_id)
    assert center is not None
    name = center.name_zh
    rnd = _round_of(session, evaluation)
    if evaluation.outcome_applied_on is not None:
        raise ServiceError(
            f"“{name}”的{rnd.year}年度绩效评估结论已于 {text.day(evaluation.outcome_applied_on)} 执行，"
            "不能重复执行",
            field="评估结论",
        )
    if on < rnd.started_on:
        raise ServiceError(
            f"执行日期 {text.day(on)} 早于评估开始日期 {text.day(rnd.started_on)}", field="执行日期"
        )
    outcome = proposed_outcome(session, evaluation)
    if outcome is None:
        raise ServiceError(
            f"“{name}”的{rnd.year}年度绩效评估尚未评定等级：请先在“绩效评估”页完成评分和评定，再执行评估结论",
            field="评估结论",
        )
    if outcome is Outcome.REVOKE:  # four eyes when sign-in is on (services/approvals.py)
        params = {"evaluation_id": evaluation.id, "on": on, "document_no": document_no}
        summary = f"依{rnd.year}年度绩效评估取消“{name}”的称号（{text.day(on)}）"
        four_eyes(
            session, kind="revocation", subject=f"evaluation:{evaluation.id}", summary=summary, params=params
        )
    grade = _grade(evaluation)
    previous = previous_grades(session, evaluation)
    article = article_for(grade, outcome, previous)
    evaluation.outcome = outcome.value
    if evaluation.notice_date is None:
        evaluation.notice_date = on
    # Marked applied before the step: the guard of apply_state_change opens a 第五章 step only for
    # an outcome being applied that day by this service (a hand change finds none).
    evaluation.outcome_applied_on = on
    session.add(evaluation)
    session.flush()
    settings = settings_in(session, rnd.year)
    year = f"{rnd.year}年度绩效评估"
    if outcome is Outcome.RECTIFY:
        deadline = rectification_deadline(on, settings)
        apply_state_change(
            session,
            center,
            to_state=CenterState.RECTIFYING.value,
            on=on,
            reason=f"{year}结果为整改，予以通报并给予一年整改期限（至 {text.day(deadline)}）（{article}）",
            document_no=document_no,
        )
        session.add(
            Rectification.model_validate(
                {
                    "evaluation_id": evaluation.id,
                    "center_id": center.id,
                    "notice_date": on,
                    "deadline": deadline,
                    "outcome": "pending",
                }
            )
        )
    elif outcome is Outcome.REVOKE:
        why = "结果为不合格" if grade is Grade.FAILED else f"连续二次结果为整改（上次：{previous[-1]}）"
        apply_state_change(
            session,
            center,
            to_state=CenterState.REVOKED.value,
            on=on,
            reason=f"{year}{why}，取消工程技术中心称号（{article}）",
            document_no=document_no,
        )
        end_recognition(session, evaluation.center_id, "revoked")
    elif outcome is Outcome.FORFEIT:
        apply_state_change(
            session,
            center,
            to_state=CenterState.FORFEITED.value,
            on=on,
            reason=f"不参加或中途退出{year}，视为自动放弃工程技术中心资格（{article}）",
            document_no=document_no,
        )
        end_recognition(session, evaluation.center_id, "forfeited")
    else:
        # 保留称号 changes no state, but it is a consequence of the evaluation like the others: the
        # centre's history records it with its article (a line 已认定 → 已认定).
        why = (
            "结果为优秀，继续保留称号，列入优先支持名单"
            if grade is Grade.EXCELLENT
            else f"结果为{grade.value if grade else '合格'}，继续保留工程技术中心称号"
        )
        session.add(
            CenterStateChange.model_validate(
                {
                    "center_id": center.id,
                    "changed_on": on,
                    "from_state": center.state,
                    "to_state": center.state,
                    "document_no": document_no.strip() if document_no and document_no.strip() else None,
                    "operator": audit_context(session).operator,
                    "reason": f"{year}{why}（{article}）",
                }
            )
        )
        session.flush()
    return outcome


def apply_consequence(
    ctx: AppContext, *, evaluation_id: int, on: dt.date, document_no: str | None = None
) -> None:
    """Apply what the rules propose for the evaluation, on ``on`` (the notice day): 保留 changes no
    state (优秀 is listed for priority); 整改 → 整改中 with a rectification due one year later;
    取消称号 → 已撤销; 视为自动放弃 → 自动放弃 — each through ``apply_state_change`` with the
    article in the reason.  Refused when already applied or when a participant has no grade yet."""
    with unit_of_work(ctx, "evaluation.apply_consequence") as session:
        apply_consequence_in(session, _get(session, evaluation_id), on=on, document_no=document_no)
