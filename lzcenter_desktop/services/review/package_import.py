"""Import of the experts' return files (评分回执, issue 13 item 6) into ``review_score``.

A return file is checked as a whole before anything is written, and refused with every reason
in Chinese (:class:`ReturnRefused`) when it is of another format or session, tampered with (SHA-256
or signature), names an unknown declaration or expert, an expert not assigned or recused, a score
version older than the stored one (the stored scores were changed after the package was made: an
edit conflict), a set with missing or invalid points, or was saved after the session's scoring
deadline — the last one only may be overridden with a reason, which is recorded.

Re-importing the same file (the same SHA-256) changes nothing and says so. Every set received is
kept in ``review_score_submission``. Versions: a package carries each assignment's
``score_version``; a set based on that version is applied and the version goes up by one. A second,
different set based on the *same* version (two laptops) is not merged: it is stored as
``conflict`` and :func:`list_conflicts` shows both side by side until the clerk chooses one
(:func:`choose_score_set`: the chosen one applied, the other superseded).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from sqlmodel import Session, col, select

from lzcenter_desktop.domain import review_package as fmt
from lzcenter_desktop.domain.scoresheet import ScoreSheet, decimal_text, points_to_json
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.package_import_common import (
    ReturnRefused,
    ReturnTarget,
    open_return_file,
    read_return_file,
    refuse_or_late,
    set_points,
)
from lzcenter_desktop.services.review.conflicts import Facts
from lzcenter_desktop.services.review.lookup import is_active, require_open
from lzcenter_desktop.services.review.package import expert_names
from lzcenter_desktop.services.review.package_conflicts import (
    STATUS_LABELS,
    ScoreConflictView,
    ScoreSetView,
    choose_score_set,
    list_conflicts,
    package_source,
    stored_score,
    supersede_older_conflicts,
)
from lzcenter_desktop.services.review.scoring import record_expert_scores, sheet_of
from lzcenter_desktop.services.uow import reading, unit_of_work
from lzcenter_desktop.storage.models import (
    Declaration,
    Expert,
    ReviewAssignment,
    ReviewScoreSubmission,
    ReviewSession,
)

__all__ = [
    "STATUS_LABELS",
    "ReturnImportView",
    "ReturnRefused",
    "ReturnSetView",
    "ScoreConflictView",
    "ScoreSetView",
    "check_return",
    "choose_score_set",
    "import_return",
    "list_conflicts",
]

APPLIED, CONFLICT, UNCHANGED = "applied", "conflict", "unchanged"
ACTION_LABELS = {
    APPLIED: "已导入",
    CONFLICT: "与已导入的另一份评分不同，待选择",
    UNCHANGED: "与已导入的评分相同，未作更改",
}
OVERRIDE_REASON_MAX = 300
_TARGET = ReturnTarget(
    model=ReviewSession,
    purpose=fmt.PURPOSE_REVIEW,
    noun="评审会",
    this="本评审会",
    never_exported="评审会“{title}”从未导出过评审包，这份回执不是由本系统导出的评审包生成的",
)


@dataclass(frozen=True, slots=True)
class ReturnSetView:
    """What an import does (or did) with one set of the file."""

    assignment_id: int
    declaration_id: int
    center_name: str
    base_version: int
    total: str
    action: str  # applied / conflict / unchanged
    action_label: str


@dataclass(frozen=True, slots=True)
class ReturnImportView:
    """The result of checking or importing one return file."""

    path: Path
    file_sha256: str
    session_id: int
    session_title: str
    expert_id: int
    expert_name: str
    saved_at: dt.datetime
    deadline: dt.date | None
    late: bool
    override_reason: str | None
    duplicate: bool  # the same file was imported before: nothing changed
    imported_before: dt.datetime | None
    sets: tuple[ReturnSetView, ...] = field(default=())

    @property
    def conflicts(self) -> int:
        return sum(1 for s in self.sets if s.action == CONFLICT)

    def text(self) -> str:
        if self.duplicate:
            when = (
                self.imported_before.astimezone().strftime("%Y-%m-%d %H:%M") if self.imported_before else ""
            )
            return f"回执“{self.path.name}”已于 {when} 导入过，本次未作任何更改。"
        counts = {a: sum(1 for s in self.sets if s.action == a) for a in ACTION_LABELS}
        parts = [f"专家{self.expert_name}的回执“{self.path.name}”：导入评分 {counts[APPLIED]} 份"]
        if counts[UNCHANGED]:
            parts.append(f"与已有评分相同 {counts[UNCHANGED]} 份")
        if counts[CONFLICT]:
            parts.append(f"与已导入的另一份评分不同 {counts[CONFLICT]} 份（请在“评分冲突”中选择采用哪一份）")
        if self.late:
            parts.append(f"逾期导入，理由：{self.override_reason}")
        return "，".join(parts) + "。"


@dataclass
class _Planned:
    assignment: ReviewAssignment
    item: fmt.ReturnSet
    points: dict[str, Decimal]
    total: Decimal
    center_name: str
    action: str
    applied: ReviewScoreSubmission | None = None


@dataclass
class _Plan:
    path: Path
    opened: fmt.OpenedReturn
    review: ReviewSession
    sheet: ScoreSheet
    expert_name: str
    late: bool
    duplicate_of: ReviewScoreSubmission | None
    sets: list[_Planned]
    facts: Facts


def _center_name(session: Session, declaration_id: int) -> str | None:
    decl = session.get(Declaration, declaration_id)
    return decl.name_zh if decl is not None else None


def _applied_submission(session: Session, assignment_id: int, version: int) -> ReviewScoreSubmission | None:
    return session.execute(
        select(ReviewScoreSubmission).where(
            col(ReviewScoreSubmission.assignment_id) == assignment_id,
            col(ReviewScoreSubmission.version) == version,
            col(ReviewScoreSubmission.status) == APPLIED,
        )
    ).scalar_one_or_none()


def _same_points(stored: str, points: dict[str, Decimal]) -> bool:
    from lzcenter_desktop.domain.scoresheet import points_from_json

    try:
        return points_from_json(stored) == points
    except ValueError:
        return False


def _evaluate(
    session: Session, path: Path, data: bytes, session_id: int | None, *, allow_late: bool = False
) -> _Plan:
    name = Path(path).name
    opened, review = open_return_file(session, name, data, session_id, _TARGET)
    ret = opened.ret
    duplicate = (
        session.execute(
            select(ReviewScoreSubmission)
            .where(
                col(ReviewScoreSubmission.session_id) == review.id,
                col(ReviewScoreSubmission.file_sha256) == opened.file_sha256,
            )
            .order_by(col(ReviewScoreSubmission.id))
        )
        .scalars()
        .first()
    )
    expert = session.get(Expert, ret.expert_id)
    expert_name = expert_names(session, [ret.expert_id])[ret.expert_id][0] if expert else ret.expert_name
    plan = _Plan(
        path, opened, review, sheet_of(session, review), expert_name, False, duplicate, [], Facts(session)
    )
    if duplicate is not None:
        return plan
    try:
        require_open(review, "导入评分回执")
    except ServiceError as exc:
        raise ReturnRefused(name, [exc.message]) from None
    if expert is None:
        raise ReturnRefused(name, [f"回执中的专家“{ret.expert_name}”（编号 {ret.expert_id}）不在专家库中"])
    reasons: list[str] = []
    if ret.sheet_version != plan.sheet.version:
        reasons.append(
            f"回执使用的评分表版本为 {ret.sheet_version}，与评审会的评分表版本 {plan.sheet.version} 不同，"
            "请重新导出评审包给专家"
        )
    if not ret.sets:
        reasons.append(f"回执中没有专家{expert_name}的任何评分")
    for item in ret.sets:
        reason = _plan_set(session, plan, item)
        if reason is not None:
            reasons.append(reason)
    plan.late = refuse_or_late(name, reasons, ret.saved_on, review.score_deadline, allow_late=allow_late)
    return plan


def _plan_set(session: Session, plan: _Plan, item: fmt.ReturnSet) -> str | None:
    """Add what to do with one set to ``plan``; the refusal reason, if any."""
    ret = plan.opened.ret
    who = f"专家{plan.expert_name}"
    center = _center_name(session, item.declaration_id)
    if center is None:
        return f"回执中的申报书（编号 {item.declaration_id}）在本系统中不存在"
    assignment = session.execute(
        select(ReviewAssignment).where(
            col(ReviewAssignment.session_id) == ret.session_id,
            col(ReviewAssignment.declaration_id) == item.declaration_id,
            col(ReviewAssignment.expert_id) == ret.expert_id,
        )
    ).scalar_one_or_none()
    if assignment is None or assignment.id != item.assignment_id:
        return f"{who}没有被分配评审“{center}”，其评分不能导入"
    if assignment.recused or assignment.status == "recused":
        why = f"（{assignment.recusal_reason}）" if assignment.recusal_reason else ""
        return f"{who}对“{center}”已回避{why}，其评分不能导入"
    if not is_active(assignment):
        return f"{who}已不在“{center}”的评审名单中，其评分不能导入"
    blocking = [
        c
        for c in plan.facts.conflicts(ret.expert_id, item.declaration_id, plan.review.held_on)
        if c.declared or not assignment.override_reason
    ]
    if blocking:
        why = "；".join(c.reason for c in blocking)
        return f"{who}与“{center}”存在应当回避的情形（{why}），其评分不能导入"
    points = set_points(who, center, plan.sheet, item)
    if isinstance(points, str):
        return points
    total = sum(points.values(), Decimal(0))
    stored = assignment.score_version
    planned = _Planned(assignment, item, points, total, center, APPLIED)
    if item.base_version > stored:
        return (
            f"回执中“{center}”的评分版本（{item.base_version}）比系统中的（{stored}）还新，"
            "可能数据库已从备份恢复。请重新导出评审包给专家"
        )
    if item.base_version < stored:
        assert assignment.id is not None
        applied = _applied_submission(session, assignment.id, item.base_version)
        if (
            applied is None
            or stored != item.base_version + 1
            or not _is_current(session, assignment, applied)
        ):
            return (
                f"系统中{who}对“{center}”的评分在导出评审包之后已被修改（版本 {stored}），"
                f"回执基于较早的版本 {item.base_version}，为免覆盖较新的评分不能导入。请重新导出评审包给专家"
            )
        planned.applied = applied
        planned.action = UNCHANGED if _same_points(applied.points_json, points) else CONFLICT
    plan.sets.append(planned)
    return None


def _is_current(session: Session, assignment: ReviewAssignment, applied: ReviewScoreSubmission) -> bool:
    score = stored_score(session, assignment)
    return score is not None and score.source == package_source(applied.file_sha256)


def _view(plan: _Plan, override_reason: str | None) -> ReturnImportView:
    ret = plan.opened.ret
    return ReturnImportView(
        path=Path(plan.path),
        file_sha256=plan.opened.file_sha256,
        session_id=ret.session_id,
        session_title=plan.review.title,
        expert_id=ret.expert_id,
        expert_name=plan.expert_name,
        saved_at=ret.saved_at,
        deadline=plan.review.score_deadline,
        late=plan.late,
        override_reason=override_reason if plan.late else None,
        duplicate=plan.duplicate_of is not None,
        imported_before=plan.duplicate_of.received_at if plan.duplicate_of is not None else None,
        sets=tuple(
            ReturnSetView(
                assignment_id=p.item.assignment_id,
                declaration_id=p.item.declaration_id,
                center_name=p.center_name,
                base_version=p.item.base_version,
                total=decimal_text(p.total),
                action=p.action,
                action_label=ACTION_LABELS[p.action],
            )
            for p in plan.sets
        ),
    )


def check_return(ctx: AppContext, *, path: Path, session_id: int | None = None) -> ReturnImportView:
    """What :func:`import_return` would do with the file, without writing anything.

    ``session_id``: the session the clerk is importing into (a file of another one is refused);
    ``None`` takes the session named in the file. Raises :class:`ReturnRefused` as the import would
    (without an override reason)."""
    data = read_return_file(path, unreadable_hint="。请确认文件未被其他程序占用")
    with reading(ctx) as session:
        return _view(_evaluate(session, path, data, session_id), None)


def _override(reason: str | None) -> str | None:
    text = reason.strip() if isinstance(reason, str) else ""
    if not text:
        return None
    if len(text) > OVERRIDE_REASON_MAX:
        raise ServiceError(
            f"逾期导入的理由过长（{len(text)} 个字），最多 {OVERRIDE_REASON_MAX} 个字，请精简",
            field="逾期理由",
        )
    return text


def import_return(
    ctx: AppContext,
    *,
    path: Path,
    session_id: int | None = None,
    override_reason: str | None = None,
) -> ReturnImportView:
    """Import one return file in one audited unit of work (all of it or nothing).

    ``override_reason``: an administrator's reason to import a file saved after the scoring
    deadline (recorded with each set); ignored for a file on time. Raises :class:`ReturnRefused`
    with every reason; a file imported before (same SHA-256) changes nothing
    (``ReturnImportView.duplicate``)."""
    data = read_return_file(path, unreadable_hint="。请确认文件未被其他程序占用")
    reason = _override(override_reason)
    with unit_of_work(ctx, "review.package_import.import_return") as session:
        plan = _evaluate(session, path, data, session_id, allow_late=reason is not None)
        if plan.duplicate_of is None:
            try:
                _apply(session, plan, reason)
            except ReturnRefused:
                raise
            except ServiceError as exc:
                raise ReturnRefused(Path(path).name, [exc.message]) from exc
        return _view(plan, reason)


def _apply(session: Session, plan: _Plan, override_reason: str | None) -> None:
    ret = plan.opened.ret
    sha = plan.opened.file_sha256
    note = None
    if plan.late:
        deadline = plan.review.score_deadline.isoformat() if plan.review.score_deadline else ""
        note = (
            f"逾期导入（评分截止 {deadline}，回执保存于 {ret.saved_on.isoformat()}），理由：{override_reason}"
        )
    for p in plan.sets:
        a = p.assignment
        assert a.id is not None
        status = {APPLIED: "applied", CONFLICT: "conflict", UNCHANGED: "superseded"}[p.action]
        remark = {
            APPLIED: note,
            CONFLICT: "与同一版本已导入的评分不同，待选择采用哪一份",
            UNCHANGED: "与已导入的评分相同，未作更改",
        }[p.action]
        if p.action != APPLIED and note:
            remark = f"{remark}；{note}"
        session.add(
            ReviewScoreSubmission(
                session_id=ret.session_id,
                assignment_id=a.id,
                file_sha256=sha,
                version=p.item.base_version,
                score_text=decimal_text(p.total),
                points_json=points_to_json(p.points),
                comment=p.item.comment[:1000] or None,
                status=status,
                note=remark[:500] if remark else None,
            )
        )
        if p.action == APPLIED:
            record_expert_scores(
                session,
                a,
                p.points,
                scored_on=ret.saved_on,
                comment=p.item.comment,
                source=package_source(sha),
            )
            supersede_older_conflicts(session, a.id, p.item.base_version)
