"""Experts' scores of a centre's performance evaluation (绩效评估, 第二十三条; issue 14 item 4).

* One expert's points per indicator of the round's sheet (``forms/evaluation-<year>.toml``, read as
  a :class:`~lzcenter_desktop.domain.scoresheet.ScoreSheet`): exact decimals, each between 0 and the
  indicator's maximum, at most two decimal places; the total is their exact sum. Each save bumps
  the assignment's ``score_version`` (an offline package made before is then stale).
* Refused: a removed assignment, one with a 回避 conflict not overridden, a round that ended, a
  centre that does not take part or whose outcome was applied.
* :func:`expert_score`: the evaluation's expert score — the mean of the experts' totals, once every
  active assignment is scored and at least 3 are (``None`` before: no score, no grade). The mean
  is exact whenever it terminates (two decimals divided by 4 or 5 experts …); a mean that does not
  (divided by 3 …) is given to 28 significant digits, which never moves it across a bound of at
  most two decimals; :func:`expert_score_exact` gives the exact fraction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Context, Decimal
from fractions import Fraction
from pathlib import Path

from sqlmodel import Session, col, select

from lzcenter_desktop.domain.review import exact_text
from lzcenter_desktop.domain.scoresheet import (
    PointsInput,
    ScoreSheet,
    check_points,
    decimal_text,
    points_from_json,
    points_to_json,
)
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import NotFound, ServiceError
from lzcenter_desktop.services.evaluation.experts import (
    MIN_EXPERTS,
    REMOVED,
    SCORED,
    blocking_conflicts,
    center_name,
    get_evaluation_row,
    get_round_row,
    is_active,
    require_evaluation_open,
    review_date,
)
from lzcenter_desktop.services.evaluation.sheet import load_evaluation_sheet
from lzcenter_desktop.services.review.conflicts import Facts
from lzcenter_desktop.services.review.experts import expert_view
from lzcenter_desktop.services.uow import reading, unit_of_work
from lzcenter_desktop.services.versioning import bump, stale_record
from lzcenter_desktop.storage.models import (
    Evaluation,
    EvaluationAssignment,
    EvaluationExpertScore,
    EvaluationRound,
    Expert,
)

DESKTOP_SOURCE = "desktop"
COMMENT_MAX = 1000
SIGNIFICANT_DIGITS = 28  # of a mean that does not terminate


def round_sheet(session: Session, row: EvaluationRound, forms_dir: Path | None = None) -> ScoreSheet:
    """The score sheet a round scores with: the evaluation sheet of its year, which must be the
    version the round recorded when it was created."""
    sheet = load_evaluation_sheet(row.year, forms_dir).score_sheet
    if row.sheet_version and row.sheet_version != sheet.version:
        raise ServiceError(
            f"绩效评估“{row.title}”使用的评估指标表为 {row.sheet_version} 版，但程序中的为 "
            f"{sheet.version} 版；请核对 forms/evaluation-{row.year}.toml",
            field="评估指标表",
        )
    return sheet


def round_score_sheet(ctx: AppContext, *, round_id: int) -> ScoreSheet:
    """The score sheet of a round (for the score entry screen)."""
    with reading(ctx) as session:
        return round_sheet(session, get_round_row(session, round_id))


@dataclass(frozen=True, slots=True)
class ExpertScoreView:
    """One expert's points for one centre's evaluation."""

    assignment_id: int
    evaluation_id: int
    expert_id: int
    points: tuple[tuple[str, str], ...]  # (indicator key, exact decimal text), the sheet's order
    total_text: str
    version: int  # the assignment's score_version after the save
    scored_on: dt.date
    source: str  # desktop / package:<sha256>
    sheet_version: str
    comment: str | None


def stored_score(session: Session, assignment_id: int) -> EvaluationExpertScore | None:
    return session.execute(
        select(EvaluationExpertScore).where(col(EvaluationExpertScore.assignment_id) == assignment_id)
    ).scalar_one_or_none()


def _comment(comment: str | None) -> str | None:
    text = comment.strip() if comment else ""
    if len(text) > COMMENT_MAX:
        raise ServiceError(f"评估意见过长（{len(text)} 个字），最多 {COMMENT_MAX} 个字", field="评估意见")
    return text or None


def _expert_name(session: Session, expert_id: int) -> str:
    expert = session.get(Expert, expert_id)
    if expert is None:
        raise NotFound(f"找不到编号为 {expert_id} 的专家", field="专家")
    return expert_view(session, expert).name


def record_scores(
    session: Session,
    a: EvaluationAssignment,
    points: PointsInput,
    *,
    scored_on: dt.date,
    comment: str | None = None,
    source: str = DESKTOP_SOURCE,
    forms_dir: Path | None = None,
) -> EvaluationExpertScore:
    """Store one expert's points for one assignment inside a unit of work (also used by the offline
    package import): every rule of this module is checked; ``score_version`` goes up by one, and
    so does the evaluation's ``version`` (the scores are its child rows: a clerk who opened the
    evaluation's scores before this save is then refused with ``StaleRecord``)."""
    evaluation = get_evaluation_row(session, a.evaluation_id)
    row = require_evaluation_open(session, evaluation, "录入或修改专家评分")
    name = _expert_name(session, a.expert_id)
    centre = center_name(session, evaluation)
    if a.status == REMOVED:
        why = f"（{a.removed_reason}）" if a.removed_reason else ""
        raise ServiceError(f"专家{name}已撤出“{centre}”的评估{why}，不能为其评分", field="专家")
    blocking = blocking_conflicts(Facts(session), evaluation, a, review_date(row))
    if blocking:
        reasons = "；".join(c.reason for c in blocking)
        raise ServiceError(f"专家{name}应当回避“{centre}”的评估，不能为其评分：{reasons}", field="专家")
    sheet = round_sheet(session, row, forms_dir)
    try:
        checked = check_points(sheet, points)
    except ValueError as exc:
        raise ServiceError(f"专家{name}对“{centre}”的评分：{exc}", field="评分") from exc
    note = _comment(comment)
    total = sum(checked.values(), Decimal(0))
    assert a.id is not None
    score = stored_score(session, a.id)
    values = {
        "score_text": decimal_text(total),
        "points_json": points_to_json(checked),
        "sheet_version": sheet.version,
        "scored_on": scored_on,
        "source": source[:100],
        "comment": note,
    }
    if score is None:
        score = EvaluationExpertScore.model_validate({"assignment_id": a.id, **values})
    else:
        for key, value in values.items():
            setattr(score, key, value)
    a.score_version += 1
    a.status = SCORED
    bump(evaluation)
    session.add(evaluation)
    session.add(score)
    session.add(a)
    session.flush()
    return score


def score_view(score: EvaluationExpertScore, a: EvaluationAssignment) -> ExpertScoreView:
    assert a.id is not None
    points = points_from_json(score.points_json) if score.points_json else {}
    return ExpertScoreView(
        assignment_id=a.id,
        evaluation_id=a.evaluation_id,
        expert_id=a.expert_id,
        points=tuple((k, decimal_text(v)) for k, v in points.items()),
        total_text=score.score_text,
        version=a.score_version,
        scored_on=score.scored_on,
        source=score.source,
        sheet_version=score.sheet_version or "",
        comment=score.comment,
    )


def enter_expert_scores(
    ctx: AppContext,
    *,
    assignment_id: int,
    points: Mapping[str, str | Decimal | int],
    scored_on: dt.date,
    comment: str | None = None,
    expected_version: int | None = None,
) -> None:
    """Enter (or correct) one expert's points per indicator for one centre's evaluation.
    ``expected_version`` is the version of *this expert's* points when the form was opened
    (:func:`expert_score_form`; ``None``: no check): when they were saved since, the save is
    refused with :class:`~lzcenter_desktop.services.versioning.StaleRecord`. Another expert's
    points of the same centre, saved meanwhile, do not refuse it — two clerks may enter a panel's
    sheets side by side; the evaluation's own version still rises with every save (its mean
    changed), and the mapper guards two saves of the same centre at the same instant."""
    with unit_of_work(ctx, "evaluation.enter_expert_scores") as session:
        a = session.get(EvaluationAssignment, assignment_id)
        if a is None:
            raise NotFound(f"找不到编号为 {assignment_id} 的评估专家分配，请刷新后再试", field="评估专家")
        if expected_version is not None and a.score_version != expected_version:
            assert a.id is not None
            raise stale_record(
                session,
                entity="evaluation_assignment",
                entity_id=str(a.id),
                expected=expected_version,
                current=a.score_version,
            )
        record_scores(session, a, points, scored_on=scored_on, comment=comment)


def expert_score_form(ctx: AppContext, *, assignment_id: int) -> tuple[ExpertScoreView | None, int]:
    """What the score form opens with: the expert's stored points (``None`` before they are
    entered) and their version (0 before), to pass back as ``expected_version``."""
    with reading(ctx) as session:
        a = session.get(EvaluationAssignment, assignment_id)
        if a is None:
            raise NotFound(f"找不到编号为 {assignment_id} 的评估专家分配，请刷新后再试", field="评估专家")
        assert a.id is not None
        score = stored_score(session, a.id)
        return (score_view(score, a) if score is not None else None), a.score_version


def get_expert_score(ctx: AppContext, *, assignment_id: int) -> ExpertScoreView | None:
    """One expert's stored points for one assignment (``None`` before they are entered)."""
    with reading(ctx) as session:
        a = session.get(EvaluationAssignment, assignment_id)
        if a is None:
            raise NotFound(f"找不到编号为 {assignment_id} 的评估专家分配，请刷新后再试", field="评估专家")
        assert a.id is not None
        score = stored_score(session, a.id)
        return score_view(score, a) if score is not None else None


# --- the evaluation's expert score ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ScoreState:
    """How far an evaluation's expert scores are: active assignments, of which scored, and the
    missing experts' names."""

    evaluation_id: int
    active: int
    scored: int
    missing: tuple[str, ...]
    mean: Fraction | None

    @property
    def message(self) -> str:
        if self.mean is not None:
            return f"专家评分已齐全（{self.scored} 名专家），平均分 {exact_text(self.mean)}"
        if self.missing:
            return f"尚有 {len(self.missing)} 名专家未评分：{'、'.join(self.missing)}"
        return f"已评分的专家只有 {self.scored} 名，至少需要 {MIN_EXPERTS} 名"


def score_state(session: Session, evaluation: Evaluation) -> ScoreState:
    assert evaluation.id is not None
    active = [
        a
        for a in session.execute(
            select(EvaluationAssignment)
            .where(col(EvaluationAssignment.evaluation_id) == evaluation.id)
            .order_by(col(EvaluationAssignment.id))
        ).scalars()
        if is_active(a)
    ]
    totals: list[Decimal] = []
    missing: list[str] = []
    for a in active:
        assert a.id is not None
        score = stored_score(session, a.id)
        if score is None:
            missing.append(_expert_name(session, a.expert_id))
        else:
            totals.append(Decimal(score.score_text))
    mean: Fraction | None = None
    if not missing and len(totals) >= MIN_EXPERTS:
        mean = sum((Fraction(t) for t in totals), Fraction(0)) / len(totals)
    return ScoreState(evaluation.id, len(active), len(totals), tuple(missing), mean)


def expert_score_exact(session: Session, evaluation_id: int) -> Fraction | None:
    """The exact mean of the experts' totals, or ``None`` (see the module docstring)."""
    return score_state(session, get_evaluation_row(session, evaluation_id)).mean


def as_decimal(value: Fraction) -> Decimal:
    """``value`` as a ``Decimal``: exact when its decimal expansion terminates, else to 28
    significant digits."""
    text = exact_text(value)
    if "/" not in text:
        return Decimal(text)
    return Context(prec=SIGNIFICANT_DIGITS).divide(Decimal(value.numerator), Decimal(value.denominator))


def expert_score(session: Session, evaluation_id: int) -> Decimal | None:
    """The evaluation's expert score: the mean of its experts' totals once every active assignment
    is scored and at least 3 are; ``None`` before."""
    mean = expert_score_exact(session, evaluation_id)
    return as_decimal(mean) if mean is not None else None


def expert_score_of(ctx: AppContext, *, evaluation_id: int) -> Decimal | None:
    """:func:`expert_score` in a reading session of its own."""
    with reading(ctx) as session:
        return expert_score(session, evaluation_id)


def expert_score_state(ctx: AppContext, *, evaluation_id: int) -> ScoreState:
    """Where an evaluation's expert scores are (for the screens: who has not scored yet)."""
    with reading(ctx) as session:
        return score_state(session, get_evaluation_row(session, evaluation_id))
