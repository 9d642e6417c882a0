"""Score sets from return files that conflict: two different sets of the same expert for the same
declaration, both based on the same score version (e.g. saved on two laptops).

They are never merged: the first imported is applied, the other waits as ``conflict``;
:func:`list_conflicts` gives both side by side, :func:`choose_score_set` applies the chosen one
and marks the other ``superseded`` — in one audited unit of work.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, col, select

from lzcenter_desktop.domain.scoresheet import ScoreSheet, decimal_text, points_from_json
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import NotFound, ServiceError
from lzcenter_desktop.services.review.lookup import get_review_session, require_open
from lzcenter_desktop.services.review.package import expert_names
from lzcenter_desktop.services.review.scoring import EXPERT_KIND, record_expert_scores, sheet_of
from lzcenter_desktop.services.uow import reading, unit_of_work
from lzcenter_desktop.storage.models import (
    Declaration,
    ReviewAssignment,
    ReviewScore,
    ReviewScoreSubmission,
)

STATUS_LABELS = {
    "applied": "已采用",
    "conflict": "冲突待选择",
    "rejected": "未采用",
    "superseded": "已被替代",
}
REASON_MAX = 300


def package_source(file_sha256: str) -> str:
    """``review_score.source`` of a score from a return file."""
    return f"package:{file_sha256}"


@dataclass(frozen=True, slots=True)
class ScoreSetView:
    """One received score set, to be shown beside another."""

    submission_id: int
    file_sha256: str
    received_at: dt.datetime
    version: int
    total: str
    points: tuple[tuple[str, str, str], ...]  # (indicator key, indicator name, points text)
    comment: str
    status: str
    status_label: str
    note: str | None


@dataclass(frozen=True, slots=True)
class ScoreConflictView:
    """An expert's declaration with the applied set and the different set(s) waiting beside it."""

    session_id: int
    assignment_id: int
    declaration_id: int
    center_name: str
    expert_id: int
    expert_name: str
    version: int
    current: ScoreSetView
    others: tuple[ScoreSetView, ...]

    @property
    def differing(self) -> tuple[str, ...]:
        """The names of the indicators whose points differ between the sets."""
        names = []
        for key, name, text in self.current.points:
            if any(dict((k, t) for k, _, t in o.points).get(key) != text for o in self.others):
                names.append(name)
        return tuple(names)


def _set_view(sub: ReviewScoreSubmission, sheet: ScoreSheet) -> ScoreSetView:
    assert sub.id is not None
    try:
        values = {k: decimal_text(v) for k, v in points_from_json(sub.points_json).items()}
    except ValueError:
        values = {}
    return ScoreSetView(
        submission_id=sub.id,
        file_sha256=sub.file_sha256,
        received_at=sub.received_at,
        version=sub.version,
        total=sub.score_text,
        points=tuple((i.key, i.name, values.get(i.key, "")) for i in sheet.indicators),
        comment=sub.comment or "",
        status=sub.status,
        status_label=STATUS_LABELS.get(sub.status, sub.status),
        note=sub.note,
    )


def _submissions(
    session: Session, assignment_id: int, version: int, statuses: Sequence[str]
) -> list[ReviewScoreSubmission]:
    return list(
        session.execute(
            select(ReviewScoreSubmission)
            .where(
                col(ReviewScoreSubmission.assignment_id) == assignment_id,
                col(ReviewScoreSubmission.version) == version,
                col(ReviewScoreSubmission.status).in_(list(statuses)),
            )
            .order_by(col(ReviewScoreSubmission.id))
        ).scalars()
    )


def _live(session: Session, a: ReviewAssignment, version: int) -> ReviewScoreSubmission | None:
    """The applied set of ``version`` when it is still what is stored for ``a``, else None (the
    scores were changed since: the conflict is out of date)."""
    assert a.id is not None
    if a.score_version != version + 1:
        return None
    applied = _submissions(session, a.id, version, ["applied"])
    score = stored_score(session, a)
    for sub in applied:
        if score is not None and score.source == package_source(sub.file_sha256):
            return sub
    return None


def stored_score(session: Session, assignment: ReviewAssignment) -> ReviewScore | None:
    """The expert's stored score of ``assignment``, if any."""
    return session.execute(
        select(ReviewScore).where(
            col(ReviewScore.assignment_id) == assignment.id, col(ReviewScore.kind) == EXPERT_KIND
        )
    ).scalar_one_or_none()


def list_conflicts(ctx: AppContext, *, session_id: int) -> list[ScoreConflictView]:
    """Every expert/declaration of the session with a different set waiting beside the applied one."""
    with reading(ctx) as session:
        review = get_review_session(session, session_id)
        pending = session.execute(
            select(ReviewScoreSubmission)
            .where(
                col(ReviewScoreSubmission.session_id) == session_id,
                col(ReviewScoreSubmission.status) == "conflict",
            )
            .order_by(col(ReviewScoreSubmission.id))
        ).scalars()
        keys = sorted({(s.assignment_id, s.version) for s in pending})
        if not keys:
            return []
        sheet = sheet_of(session, review)
        out = []
        for assignment_id, version in keys:
            a = session.get(ReviewAssignment, assignment_id)
            assert a is not None
            current = _live(session, a, version)
            if current is None:
                continue
            decl = session.get(Declaration, a.declaration_id)
            waiting = _submissions(session, assignment_id, version, ["conflict"])
            out.append(
                ScoreConflictView(
                    session_id=session_id,
                    assignment_id=assignment_id,
                    declaration_id=a.declaration_id,
                    center_name=decl.name_zh if decl is not None else f"申报书 {a.declaration_id}",
                    expert_id=a.expert_id,
                    expert_name=expert_names(session, [a.expert_id])[a.expert_id][0],
                    version=version,
                    current=_set_view(current, sheet),
                    others=tuple(_set_view(s, sheet) for s in waiting),
                )
            )
        return out


def supersede_older_conflicts(session: Session, assignment_id: int, before_version: int) -> None:
    """Conflicts of ``assignment_id`` based on a version older than ``before_version`` are out of
    date once a newer set is applied."""
    rows = session.execute(
        select(ReviewScoreSubmission).where(
            col(ReviewScoreSubmission.assignment_id) == assignment_id,
            col(ReviewScoreSubmission.status) == "conflict",
            col(ReviewScoreSubmission.version) < before_version,
        )
    ).scalars()
    for sub in rows:
        sub.status = "superseded"
        sub.note = ((sub.note + "；") if sub.note else "") + "已有更新版本的评分"
        sub.note = sub.note[:500]
        session.add(sub)


def choose_score_set(ctx: AppContext, *, submission_id: int, reason: str | None = None) -> None:
    """The clerk's choice between conflicting sets: ``submission_id`` (the applied one or one in
    conflict) is applied, every other set of the same expert, declaration and version is marked
    superseded; choosing a set in conflict replaces the stored score (its version goes up by one).
    ``reason`` (optional) is recorded with the sets."""
    note_text = reason.strip() if isinstance(reason, str) else ""
    if len(note_text) > REASON_MAX:
        raise ServiceError(
            f"选择理由过长（{len(note_text)} 个字），最多 {REASON_MAX} 个字，请精简", field="理由"
        )
    with unit_of_work(ctx, "review.package_import.choose_score_set") as session:
        chosen = session.get(ReviewScoreSubmission, submission_id)
        if chosen is None:
            raise NotFound(f"找不到编号为 {submission_id} 的回执评分", field="评分")
        review = get_review_session(session, chosen.session_id)
        require_open(review, "选择采用哪一份评分")
        a = session.get(ReviewAssignment, chosen.assignment_id)
        assert a is not None and a.id is not None
        current = _live(session, a, chosen.version)
        waiting = _submissions(session, a.id, chosen.version, ["conflict"])
        if current is None or not waiting:
            raise ServiceError(
                "这组评分已没有待选择的冲突（可能已选择过，或之后评分又有更新），请刷新后再看", field="评分"
            )
        if chosen.status not in ("applied", "conflict"):
            label = STATUS_LABELS.get(chosen.status, chosen.status)
            raise ServiceError(f"这份评分的状态为“{label}”，不能采用", field="评分")
        suffix = f"；理由：{note_text}" if note_text else ""
        for sub in [current, *waiting]:
            if sub.id == chosen.id:
                continue
            sub.status = "superseded"
            sub.note = f"评分冲突时未被选用{suffix}"[:500]
            session.add(sub)
        if chosen.id != current.id:
            record_expert_scores(
                session,
                a,
                points_from_json(chosen.points_json),
                scored_on=chosen.received_at.astimezone().date(),
                comment=chosen.comment,
                source=package_source(chosen.file_sha256),
            )
        chosen.status = "applied"
        chosen.note = f"评分冲突时选用{suffix}"[:500]
        session.add(chosen)
