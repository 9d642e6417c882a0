"""Import of the experts' return files (评分回执) of a performance evaluation into
``evaluation_expert_score`` (issue 14 item 4).

A return file is checked as a whole before anything is written, and refused with every reason in
Chinese (:class:`ReturnRefused`) when it is

* not a return file of this format, or a review's (``purpose`` other than ``evaluation``);
* foreign: of a round this database does not have, of another round than the one importing into,
  or of a round that never exported a package;
* tampered with (SHA-256 of an entry, or the signature with the expert's return key derived from
  the round's key);
* for a round that ended, an expert not in the pool, another sheet version;
* naming a centre not in the round, an expert not asked to score it (unassigned) or taken off it,
  an expert who must step aside (回避) and was not overridden, incomplete or invalid points;
* stale: based on a score version older than the stored one (the stored points were changed after
  the package was made) with other points — the same points change nothing;
* late: saved after the round's ``score_deadline`` (the deadline day itself is on time). Only this
  one may be overridden, by an administrator with a reason, named in the audit action.

Re-importing the same file changes nothing (its points are already stored: nothing is written and
:attr:`ImportReport.duplicate` says so).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from sqlmodel import Session, col, select

from lzcenter_desktop.domain import review_package as fmt
from lzcenter_desktop.domain.scoresheet import ScoreSheet, decimal_text, points_from_json
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.evaluation.experts import (
    REMOVED,
    blocking_conflicts,
    center_name,
    require_round_open,
    review_date,
)
from lzcenter_desktop.services.evaluation.scoring import record_scores, round_sheet, stored_score
from lzcenter_desktop.services.package_import_common import (
    ReturnRefused,
    ReturnTarget,
    open_return_file,
    read_return_file,
    refuse_or_late,
    set_points,
)
from lzcenter_desktop.services.review.conflicts import Facts
from lzcenter_desktop.services.review.experts import clean_text
from lzcenter_desktop.services.review.package import expert_names
from lzcenter_desktop.services.uow import reading, unit_of_work
from lzcenter_desktop.storage.models import (
    Evaluation,
    EvaluationAssignment,
    EvaluationExpertScore,
    EvaluationRound,
    Expert,
)

APPLIED, UNCHANGED = "applied", "unchanged"
ACTION_LABELS = {APPLIED: "已导入", UNCHANGED: "与已有评分相同，未作更改"}
OVERRIDE_REASON_MAX = 300
_TARGET = ReturnTarget(
    model=EvaluationRound,
    purpose=fmt.PURPOSE_EVALUATION,
    noun="绩效评估",
    this="本次绩效评估",
    never_exported="绩效评估“{title}”从未导出过评估包，这份回执不是由本系统的评估包生成的",
)


def package_source(file_sha256: str) -> str:
    """``evaluation_expert_score.source`` of points from a return file."""
    return f"package:{file_sha256}"


@dataclass(frozen=True, slots=True)
class ImportedSet:
    assignment_id: int
    evaluation_id: int
    center_name: str
    total: str
    action: str  # applied / unchanged
    action_label: str


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What checking or importing one return file does (or did)."""

    path: Path
    file_sha256: str
    round_id: int
    round_title: str
    expert_id: int
    expert_name: str
    saved_at: dt.datetime
    deadline: dt.date | None
    late: bool
    override_reason: str | None
    duplicate: bool  # imported before: nothing changed
    sets: tuple[ImportedSet, ...] = field(default=())

    @property
    def applied(self) -> int:
        return sum(1 for s in self.sets if s.action == APPLIED)

    def text(self) -> str:
        if self.duplicate:
            return f"回执“{self.path.name}”已导入过，本次未作任何更改。"
        parts = [f"专家{self.expert_name}的回执“{self.path.name}”：导入评分 {self.applied} 份"]
        same = len(self.sets) - self.applied
        if same:
            parts.append(f"与已有评分相同 {same} 份")
        if self.late:
            parts.append(f"逾期导入，理由：{self.override_reason}")
        return "，".join(parts) + "。"


@dataclass
class _Planned:
    assignment: EvaluationAssignment
    item: fmt.ReturnSet
    points: dict[str, Decimal]
    total: Decimal
    center: str
    action: str


@dataclass
class _Plan:
    path: Path
    opened: fmt.OpenedReturn
    row: EvaluationRound
    expert_name: str
    late: bool = False
    duplicate: bool = False
    sets: list[_Planned] = field(default_factory=list)


def _is_duplicate(session: Session, row: EvaluationRound, sha: str) -> bool:
    """Whether the file's points are stored already (it was imported, nothing changed since)."""
    found = session.execute(
        select(EvaluationExpertScore.id)
        .join(EvaluationAssignment, col(EvaluationAssignment.id) == col(EvaluationExpertScore.assignment_id))
        .where(
            col(EvaluationAssignment.round_id) == row.id,
            col(EvaluationExpertScore.source) == package_source(sha),
        )
    ).first()
    return found is not None


def _evaluate(session: Session, path: Path, data: bytes, round_id: int | None, *, allow_late: bool) -> _Plan:
    name = Path(path).name
    opened, row = open_return_file(session, name, data, round_id, _TARGET)
    ret = opened.ret
    expert = session.get(Expert, ret.expert_id)
    expert_name = expert_names(session, [ret.expert_id])[ret.expert_id][0] if expert else ret.expert_name
    plan = _Plan(Path(path), opened, row, expert_name)
    if _is_duplicate(session, row, opened.file_sha256):
        plan.duplicate = True
        return plan
    try:
        require_round_open(row, "导入评分回执")
    except ServiceError as exc:
        raise ReturnRefused(name, [exc.message]) from None
    if expert is None:
        raise ReturnRefused(name, [f"回执中的专家“{ret.expert_name}”（编号 {ret.expert_id}）不在专家库中"])
    try:
        sheet = round_sheet(session, row)
    except ServiceError as exc:
        raise ReturnRefused(name, [exc.message]) from None
    reasons: list[str] = []
    if ret.sheet_version != sheet.version:
        reasons.append(
            f"回执使用的评分表版本为 {ret.sheet_version}，与本次绩效评估的 {sheet.version} 版不同，"
            "请重新导出评估包给专家"
        )
    if not ret.sets:
        reasons.append(f"回执中没有专家{expert_name}的任何评分")
    facts = Facts(session)
    for item in ret.sets:
        reason = _plan_set(session, plan, sheet, facts, item)
        if reason is not None:
            reasons.append(reason)
    plan.late = refuse_or_late(name, reasons, ret.saved_on, row.score_deadline, allow_late=allow_late)
    return plan


def _plan_set(
    session: Session, plan: _Plan, sheet: ScoreSheet, facts: Facts, item: fmt.ReturnSet
) -> str | None:
    """Add what to do with one set to ``plan``; the refusal reason, if any."""
    ret = plan.opened.ret
    who = f"专家{plan.expert_name}"
    evaluation = session.get(Evaluation, item.declaration_id)
    if evaluation is None or evaluation.round_id != plan.row.id:
        return f"回执中的中心评估记录（编号 {item.declaration_id}）不在绩效评估“{plan.row.title}”中"
    centre = center_name(session, evaluation)
    a = session.execute(
        select(EvaluationAssignment).where(
            col(EvaluationAssignment.evaluation_id) == evaluation.id,
            col(EvaluationAssignment.expert_id) == ret.expert_id,
        )
    ).scalar_one_or_none()
    if a is None or a.id != item.assignment_id:
        return f"{who}没有被分配评估“{centre}”，其评分不能导入"
    if a.status == REMOVED:
        why = f"（{a.removed_reason}）" if a.removed_reason else ""
        return f"{who}已撤出“{centre}”的评估{why}，其评分不能导入"
    if not evaluation.participated:
        return f"“{centre}”未参加（或已退出）本次绩效评估，其评分不能导入"
    if evaluation.outcome_applied_on is not None:
        return f"“{centre}”的评估结果已执行，评分不能再导入"
    blocking = blocking_conflicts(facts, evaluation, a, review_date(plan.row))
    if blocking:
        return (
            f"{who}与“{centre}”存在应当回避的情形（{'；'.join(c.reason for c in blocking)}），其评分不能导入"
        )
    points = set_points(who, centre, sheet, item)
    if isinstance(points, str):
        return points
    total = sum(points.values(), Decimal(0))
    stored = a.score_version
    action = APPLIED
    if item.base_version > stored:
        return (
            f"回执中“{centre}”的评分版本（{item.base_version}）比系统中的（{stored}）还新，"
            "可能数据库已从备份恢复。请重新导出评估包给专家"
        )
    if item.base_version < stored:
        assert a.id is not None
        score = stored_score(session, a.id)
        if score is None or _points(score) != points:
            return (
                f"系统中{who}对“{centre}”的评分在导出评估包之后已被修改（版本 {stored}），"
                f"回执基于较早的版本 {item.base_version}，为免覆盖较新的评分不能导入。请重新导出评估包给专家"
            )
        action = UNCHANGED
    plan.sets.append(_Planned(a, item, points, total, centre, action))
    return None


def _points(score: EvaluationExpertScore) -> dict[str, Decimal] | None:
    try:
        return points_from_json(score.points_json)
    except ValueError:
        return None


def _report(plan: _Plan, override_reason: str | None) -> ImportReport:
    ret = plan.opened.ret
    assert plan.row.id is not None
    return ImportReport(
        path=plan.path,
        file_sha256=plan.opened.file_sha256,
        round_id=plan.row.id,
        round_title=plan.row.title,
        expert_id=ret.expert_id,
        expert_name=plan.expert_name,
        saved_at=ret.saved_at,
        deadline=plan.row.score_deadline,
        late=plan.late,
        override_reason=override_reason if plan.late else None,
        duplicate=plan.duplicate,
        sets=tuple(
            ImportedSet(
                assignment_id=p.item.assignment_id,
                evaluation_id=p.item.declaration_id,
                center_name=p.center,
                total=decimal_text(p.total),
                action=p.action,
                action_label=ACTION_LABELS[p.action],
            )
            for p in plan.sets
        ),
    )


def check_return(ctx: AppContext, *, path: Path, round_id: int | None = None) -> ImportReport:
    """What :func:`import_return` would do with the file, writing nothing; :class:`ReturnRefused`
    as the import without an override reason would raise."""
    data = read_return_file(path)
    with reading(ctx) as session:
        return _report(_evaluate(session, path, data, round_id, allow_late=False), None)


def import_return(
    ctx: AppContext, *, path: Path, override_late_reason: str | None = None, round_id: int | None = None
) -> ImportReport:
    """Import one return file in one audited unit of work, all of it or nothing.

    ``override_late_reason``: an administrator's reason to import a file saved after the deadline
    (named in the audit action); ignored for a file on time. ``round_id``: the round the clerk is
    importing into (a file of another one is refused); ``None`` takes the round named in the file."""
    data = read_return_file(path)
    reason = clean_text(override_late_reason, "逾期导入理由", OVERRIDE_REASON_MAX)
    action = (
        "evaluation.import_return" if reason is None else f"evaluation.import_return（逾期导入：{reason}）"
    )
    with unit_of_work(ctx, action if len(action) <= 100 else action[:99] + "…") as session:
        plan = _evaluate(session, path, data, round_id, allow_late=reason is not None)
        if not plan.duplicate:
            sha = plan.opened.file_sha256
            for p in plan.sets:
                if p.action != APPLIED:
                    continue
                try:
                    record_scores(
                        session,
                        p.assignment,
                        p.points,
                        scored_on=plan.opened.ret.saved_on,
                        comment=p.item.comment,
                        source=package_source(sha),
                    )
                except ServiceError as exc:
                    raise ReturnRefused(Path(path).name, [exc.message]) from exc
        return _report(plan, reason)
