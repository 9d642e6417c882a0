"""评估结果 (第二十三条、第二十四条): the 第九条 conditions re-checked, the grade, the proposed
outcome, the published list and the end of a round.

* :func:`recheck` — E23a on the centre's current data (see :mod:`.conditions`: the recognition
  declaration with its received 工作年报 laid over it) at the day given; the violations and whether
  the conditions are met are stored on the evaluation and shown beside the score.
* :func:`grade_round` — for every participating centre: the experts' score
  (``services.evaluation.scoring.expert_score``; a centre without one refuses the whole round,
  naming it: no score, no grade), E23a re-run on the grading day, **total = the experts' score**
  (the sheet's maxima are the group weights, so the experts' total is already weighted; the
  self-evaluation is shown beside it and does not count), the grade from the bands the round
  snapshotted, decided on the exact total (``Decimal``): a total at a band's bound gets that band
  (90.00 is 优秀, 89.99 合格; 60 is 整改, 59.99 不合格). When E23a finds a 第九条 failure (an
  error) the grade is capped at the sheet's ``[grades] conditions_failed_cap`` (整改 by default:
  a centre that no longer meets the basic conditions is at best 整改, whatever its score); the
  cap is data, the bureau's to change. The proposed outcome is
  ``domain.evaluation.evaluation_outcome`` with the centre's previous grades — its graded
  evaluations in rounds of earlier years started on or after its latest recognition, oldest first
  (整改 after 整改 → revoke; 整改, 合格, 整改 → rectify). A centre that did not take part keeps
  ``forfeit``. Refused in a finished round and once any outcome of the round has been applied.
* :func:`result_list` — the publishable list: every centre by grade (优秀 first, 不合格 last, then
  those that did not take part) and total (highest first); refused while a participant has no grade.
* :func:`finish_round` — the round ends on the day given (its result notice): every evaluation's
  ``notice_date`` is that day (the date the next evaluation is counted from, E22); refused while a
  participant has no grade or before the round started.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from sqlmodel import Session, col, select

from lzcenter_desktop.domain import text
from lzcenter_desktop.domain.evaluation import Grade, as_grade, evaluation_outcome
from lzcenter_desktop.domain.evaluation_sheet import GRADE_ORDER, GradeBands, bands_from_settings
from lzcenter_desktop.domain.scoresheet import decimal_text
from lzcenter_desktop.domain.violations import Violation
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.evaluation.conditions import (
    current_conditions,
    settings_in,
    violations_to_json,
)
from lzcenter_desktop.services.evaluation.rounds import (
    FINISHED,
    EvaluationView,
    evaluation_view,
    get_evaluation_row,
    get_round_row,
    names,
    recognised_on,
    require_open,
    round_sheet,
)
from lzcenter_desktop.services.uow import reading, unit_of_work
from lzcenter_desktop.storage.models import Center, Evaluation, EvaluationRound


def round_bands(row: EvaluationRound) -> GradeBands:
    """The bands the round snapshotted when it started (else those of its sheet)."""
    try:
        bands = bands_from_settings(row.settings_json)
    except ValueError as exc:
        raise ServiceError(f"绩效评估“{row.title}”：{exc}", field="等级分数线") from exc
    return bands if bands is not None else round_sheet(row).bands


def _center(session: Session, e: Evaluation) -> Center:
    center = session.get(Center, e.center_id)
    if center is None:
        raise ServiceError(f"找不到编号为 {e.center_id} 的中心", field="评估记录")
    return center


def _recheck_in(session: Session, e: Evaluation, row: EvaluationRound, as_of: dt.date) -> list[Violation]:
    found, ok = current_conditions(
        session, _center(session, e), as_of=as_of, settings=settings_in(session, row.year)
    )
    e.violations_json = violations_to_json(found)
    e.conditions_ok = ok
    session.add(e)
    return found


def recheck(ctx: AppContext, *, evaluation_id: int, as_of: dt.date) -> list[Violation]:
    """E23a: the 第九条 conditions on the centre's current data at ``as_of``, stored on the
    evaluation (violations and whether they are met); returns the violations."""
    with unit_of_work(ctx, "evaluation.recheck") as session:
        e = get_evaluation_row(session, evaluation_id)
        row = get_round_row(session, e.round_id)
        require_open(row, "复核第九条条件")
        if not e.participated:
            name = names(session, e.center_id)[0]
            raise ServiceError(f"“{name}”未参加（或已退出）本次绩效评估，无需复核", field="评估记录")
        return _recheck_in(session, e, row, as_of)


def previous_grades(session: Session, e: Evaluation, row: EvaluationRound) -> list[str]:
    """The centre's grades in rounds of earlier years started on or after its latest recognition,
    oldest first (evaluations without a grade left out)."""
    center = _center(session, e)
    since = recognised_on(session, center)
    query = (
        select(col(Evaluation.grade))
        .join(EvaluationRound, col(EvaluationRound.id) == col(Evaluation.round_id))
        .where(
            col(Evaluation.center_id) == e.center_id,
            col(EvaluationRound.year) < row.year,
            col(Evaluation.grade).is_not(None),
        )
        .order_by(col(EvaluationRound.year), col(EvaluationRound.id))
    )
    if since is not None:
        query = query.where(col(EvaluationRound.started_on) >= since)
    return [str(g) for g in session.execute(query).scalars() if g]


def _evaluations(session: Session, round_id: int) -> list[Evaluation]:
    return list(
        session.execute(
            select(Evaluation).where(col(Evaluation.round_id) == round_id).order_by(col(Evaluation.id))
        ).scalars()
    )


def _expert_score(session: Session, evaluation_id: int) -> Decimal | None:
    from lzcenter_desktop.services.evaluation.scoring import expert_score  # the experts' module

    return expert_score(session, evaluation_id)


def _missing_names(session: Session, evaluations: Sequence[Evaluation]) -> str:
    return "、".join(f"“{names(session, e.center_id)[0]}”" for e in evaluations)


def grade_round(ctx: AppContext, *, round_id: int, on: dt.date) -> None:
    """Grade every participating centre of the round on ``on`` (see the module docstring)."""
    with unit_of_work(ctx, "evaluation.grade_round") as session:
        row = get_round_row(session, round_id)
        require_open(row, "评定等级")
        if on < row.started_on:
            raise ServiceError(
                f"评定日期 {text.day(on)} 早于评估开始日期 {text.day(row.started_on)}，请检查",
                field="评定日期",
            )
        evaluations = _evaluations(session, round_id)
        applied = [e for e in evaluations if e.outcome_applied_on is not None]
        if applied:
            raise ServiceError(
                f"{_missing_names(session, applied)}的评估结果已执行，不能重新评定本次绩效评估的等级",
                field="绩效评估",
            )
        bands = round_bands(row)
        settings = settings_in(session, row.year)
        taking_part = [e for e in evaluations if e.participated]
        scores: dict[int, Decimal | None] = {}
        for e in taking_part:
            assert e.id is not None
            scores[e.id] = _expert_score(session, e.id)
        unscored = [e for e in taking_part if e.id is None or scores.get(e.id) is None]
        if unscored:
            raise ServiceError(
                f"{_missing_names(session, unscored)}还没有专家评分（每个中心至少3位专家全部评完），"
                "不能评定等级；请先完成专家评分或登记其未参加评估",
                field="专家评分",
            )
        for e in taking_part:
            assert e.id is not None
            total = scores[e.id]
            assert total is not None
            _recheck_in(session, e, row, on)
            grade = bands.capped(bands.grade(total), conditions_ok=e.conditions_ok)
            e.expert_score_text = decimal_text(total)
            e.total_text = decimal_text(total)
            e.total_score = float(total)
            e.grade = grade.value
            e.outcome = evaluation_outcome(grade, previous_grades(session, e, row), settings).value
            session.add(e)
        session.flush()


def _grade_rank(view: EvaluationView) -> int:
    if not view.participated or view.grade is None:
        return len(GRADE_ORDER)
    return GRADE_ORDER.index(as_grade(view.grade))


def _total(view: EvaluationView) -> Decimal:
    return Decimal(view.total_text) if view.total_text else Decimal(-1)


def result_list(ctx: AppContext, *, round_id: int) -> list[EvaluationView]:
    """The publishable result list: by grade (优秀 … 不合格, then those that did not take part),
    then total (highest first), then centre name. Refused while a participant has no grade."""
    with reading(ctx) as session:
        get_round_row(session, round_id)
        evaluations = _evaluations(session, round_id)
        ungraded = [e for e in evaluations if e.participated and not e.grade]
        if ungraded:
            raise ServiceError(
                f"{_missing_names(session, ungraded)}尚未评定等级，评估结果名单还不能发布", field="评估结果"
            )
        views = [evaluation_view(session, e) for e in evaluations]
    return sorted(views, key=lambda v: (_grade_rank(v), -_total(v), v.center_name, v.evaluation_id))


def finish_round(ctx: AppContext, *, round_id: int, on: dt.date) -> None:
    """End the round on ``on`` (the result notice): status 已结束, ``finished_on`` and every
    evaluation's ``notice_date`` set to ``on``. Refused twice, while a participant has no grade or
    before the round started."""
    with unit_of_work(ctx, "evaluation.finish_round") as session:
        row = get_round_row(session, round_id)
        require_open(row, "结束")
        if on < row.started_on:
            raise ServiceError(
                f"结束日期 {text.day(on)} 早于评估开始日期 {text.day(row.started_on)}，请检查",
                field="结束日期",
            )
        evaluations = _evaluations(session, round_id)
        ungraded = [e for e in evaluations if e.participated and not e.grade]
        if ungraded:
            raise ServiceError(
                f"{_missing_names(session, ungraded)}尚未评定等级，不能结束本次绩效评估", field="绩效评估"
            )
        for e in evaluations:
            if e.notice_date is None:
                e.notice_date = on
                session.add(e)
        row.status = FINISHED
        row.finished_on = on
        session.add(row)
        session.flush()


__all__ = [
    "Grade",
    "finish_round",
    "grade_round",
    "previous_grades",
    "recheck",
    "result_list",
    "round_bands",
]
