"""The review records a lifecycle step of 第十条 needs (services/review/guards.py), for tests that walk
a centre through its steps: a 拟认定 review result before → 拟认定, a published 公示 containing the
day before → 公示中 (recognition then needs a date after the notice ended).

The rows are written in a unit of work through the storage models, as the 评审 section would
record them; :func:`take_step` records what the step needs and then takes it through the services.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from sqlmodel import Session, col, select

from lzcenter_desktop.services import centers
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.uow import unit_of_work
from lzcenter_desktop.storage.models import (
    AnnualCall,
    Center,
    Declaration,
    PublicNotice,
    PublicNoticeItem,
    ReviewResult,
    ReviewSession,
)
from tests.consequence_records import GRADE_FOR, step_by_evaluation

#: a notice's length in calendar days (at least 7 working days whatever the holidays)
NOTICE_DAYS = 20


def call_of_year(session: Session, year: int) -> int:
    """The id of the year's call (made if there is none)."""
    found = session.execute(select(col(AnnualCall.id)).where(col(AnnualCall.year) == year)).scalar()
    if found is not None:
        return int(found)
    call = AnnualCall.model_validate({"year": year, "title": f"{year}年度柳州市工程技术研究中心建设申报通知"})
    session.add(call)
    session.flush()
    assert call.id is not None
    return call.id


def add_review_result(
    session: Session,
    center_id: int,
    *,
    call_year: int,
    decided_on: date,
    outcome: str = "proposed",
    declaration_id: int | None = None,
) -> int:
    """A declaration of the centre in the ``call_year`` call (or the existing ``declaration_id``),
    reviewed with ``outcome``; its id."""
    center = session.get(Center, center_id)
    assert center is not None
    call_id = call_of_year(session, call_year)
    existing = session.get(Declaration, declaration_id) if declaration_id is not None else None
    declaration = existing or Declaration.model_validate(
        {
            "call_id": call_id,
            "center_id": center_id,
            "host_id": center.host_id,
            "application_date": date(call_year, 3, 1),
            "name_zh": center.name_zh,
            "status": "decided",
        }
    )
    review = ReviewSession.model_validate(
        {
            "call_id": call_id,
            "title": f"{call_year}年度认定评审会",
            "held_on": decided_on,
            "status": "finished",
        }
    )
    session.add_all([declaration, review])
    session.flush()
    session.add(
        ReviewResult.model_validate(
            {
                "declaration_id": declaration.id,
                "session_id": review.id,
                "expert_score": 80.0,
                "site_score": 80.0,
                "total_score": 80.0,
                "aggregation": "mean",
                "outcome": outcome,
                "decided_on": decided_on,
            }
        )
    )
    assert declaration.id is not None
    return declaration.id


def add_notice(
    session: Session,
    center_ids: Sequence[int],
    *,
    call_year: int,
    start: date,
    days: int = NOTICE_DAYS,
    document_no: str | None = None,
) -> int:
    """A 拟认定名单公示 of the ``call_year`` call from ``start`` for ``days`` days listing the centres."""
    notice = PublicNotice.model_validate(
        {
            "call_id": call_of_year(session, call_year),
            "title": f"{call_year}年度柳州市工程技术研究中心拟认定名单公示",
            "document_no": document_no,
            "published_on": start,
            "ends_on": start + timedelta(days=days),
        }
    )
    session.add(notice)
    session.flush()
    for center_id in center_ids:
        session.add(PublicNoticeItem.model_validate({"notice_id": notice.id, "center_id": center_id}))
    assert notice.id is not None
    return notice.id


def take_step(ctx: AppContext, center_id: int, state: str, on: date, reason: str = "按程序推进") -> None:
    """``centers.change_state`` to ``state`` on ``on``, recording first the review result (→ 拟认定)
    or the 公示 from ``on`` (→ 公示中) of the call of ``on``'s year that the step needs; 整改中,
    已撤销 and 自动放弃 are reached through an evaluation of ``on``'s year and its consequence
    (tests/consequence_records.py)."""
    if state in GRADE_FOR:
        step_by_evaluation(ctx, center_id, state, on)
        return
    if state in ("proposed", "public_notice"):
        with unit_of_work(ctx, "test.review_records") as session:
            if state == "proposed":
                add_review_result(session, center_id, call_year=on.year, decided_on=on)
            else:
                add_notice(session, [center_id], call_year=on.year, start=on)
    centers.change_state(ctx, center_id=center_id, to_state=state, on=on, reason=reason)


def take_steps(ctx: AppContext, center_id: int, steps: Sequence[tuple[str, date]]) -> None:
    for state, on in steps:
        take_step(ctx, center_id, state, on)
