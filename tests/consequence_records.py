"""The evaluation records a lifecycle step of 第二十四条 needs (services/evaluation/guards.py), for
tests that take a centre to 整改中, 已撤销 or 自动放弃 (or back from 整改中 to 已认定): an
evaluation round of the year and the centre's graded evaluation (written in a unit of work as the
绩效评估 section records them), then the consequence applied through
``services.evaluation.consequences`` — the only way these states are reached.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from lzcenter_desktop.domain.evaluation import Grade, evaluation_outcome
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.evaluation import consequences, rectification
from lzcenter_desktop.services.uow import unit_of_work
from lzcenter_desktop.storage.models import Evaluation, EvaluationRound, Rectification

#: the grade whose consequence is the step to ``state`` (a first 整改, 不合格, not taking part)
GRADE_FOR = {"rectifying": Grade.RECTIFY, "revoked": Grade.FAILED, "forfeited": None}


def round_of_year(session: Session, year: int, *, started_on: date | None = None) -> int:
    """The id of the year's evaluation round (made if there is none, started 1 January)."""
    found = session.execute(select(col(EvaluationRound.id)).where(col(EvaluationRound.year) == year)).scalar()
    if found is not None:
        return int(found)
    rnd = EvaluationRound.model_validate(
        {
            "year": year,
            "title": f"{year}年度柳州市工程技术研究中心绩效评估",
            "started_on": started_on or date(year, 1, 1),
        }
    )
    session.add(rnd)
    session.flush()
    assert rnd.id is not None
    return rnd.id


def add_evaluation(
    session: Session,
    center_id: int,
    *,
    year: int,
    grade: Grade | None,
    participated: bool = True,
    total: str | None = None,
) -> int:
    """The centre's evaluation in the ``year`` round, graded ``grade`` (None with ``participated``
    False: did not take part), with the outcome the rules propose stored as grading stores it
    (not yet applied); its id."""
    ev = Evaluation.model_validate(
        {
            "round_id": round_of_year(session, year),
            "center_id": center_id,
            "participated": participated,
            "grade": grade.value if grade is not None else None,
            "total_text": total,
            "note": None if participated else "未参加评估",
            "outcome": evaluation_outcome(grade, took_part=participated).value
            if grade is not None or not participated
            else None,
        }
    )
    session.add(ev)
    session.flush()
    assert ev.id is not None
    return ev.id


def evaluate(
    ctx: AppContext,
    center_id: int,
    grade: Grade | None,
    on: date,
    *,
    year: int | None = None,
    participated: bool | None = None,
    document_no: str | None = None,
    apply: bool = True,
) -> int:
    """Record the centre's evaluation of ``year`` (default: ``on``'s year) graded ``grade`` (None:
    did not take part) and, with ``apply``, apply its consequence on ``on``; the evaluation's id."""
    took_part = grade is not None if participated is None else participated
    with unit_of_work(ctx, "test.consequence_records") as session:
        eid = add_evaluation(session, center_id, year=year or on.year, grade=grade, participated=took_part)
    if apply:
        consequences.apply_consequence(ctx, evaluation_id=eid, on=on, document_no=document_no)
    return eid


def rectification_of(ctx: AppContext, evaluation_id: int) -> int:
    with ctx.db.session() as session:
        rid = session.execute(
            select(col(Rectification.id)).where(col(Rectification.evaluation_id) == evaluation_id)
        ).scalar_one()
    return int(rid)


def accept(
    ctx: AppContext,
    rectification_id: int,
    on: date,
    *,
    passed: bool = True,
    document_no: str | None = None,
) -> None:
    """The host's acceptance request and the check, both on ``on`` (on or after the deadline)."""
    rectification.request_acceptance(ctx, rectification_id=rectification_id, applied_on=on)
    rectification.record_acceptance(
        ctx,
        rectification_id=rectification_id,
        checked_on=on,
        passed=passed,
        note="整改成效明显" if passed else "整改期间没有明显进步",
        document_no=document_no,
    )


def step_by_evaluation(
    ctx: AppContext, center_id: int, state: str, on: date, document_no: str | None = None
) -> None:
    """Take the centre to 整改中 / 已撤销 / 自动放弃 on ``on`` through an evaluation of ``on``'s year
    (整改 / 不合格 / not taking part) and its consequence."""
    evaluate(ctx, center_id, GRADE_FOR[state], on, document_no=document_no)
