"""Experts who score a centre's performance evaluation (绩效评估, 第二十三条; issue 14 item 4): the same
expert pool, 回避 rules and seeded draws as the 第十条 review.

* 回避 is decided by :func:`lzcenter_desktop.domain.recusal.find_conflicts` with the centre as the
  "declaration": its host (依托单位) and its co-builders (共建单位, ``center_party`` with role
  ``co_builder`` that took part on the review date or left it within the last 3 years — 近三年, as
  every 回避 window of the Measures), on the review date = the round's ``held_on`` (the expert
  meeting), else its ``started_on``.
* :func:`assign_expert` refuses an expert with a conflict, naming it; an administrator may override
  a *computed* conflict (from the registry) with a reason, which is recorded on the assignment and
  named in the audit action; a *declared* one (by the expert) never.
* :func:`draw_experts` draws, for every participating centre of the round, the experts it still
  needs at random among the eligible ones — active (retired experts are never drawn), not already
  asked to score that centre, without any conflict — with ``random.Random(seed)`` over the
  candidates ordered by expert id, centre after centre by evaluation id. The seed is returned and
  recorded in the audit trail (the action names it), so the same seed over the same pool draws the
  same experts. All or nothing.
* :func:`remove_assignment` takes an expert off (kept, status ``removed``, with the reason).
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, col, select

from lzcenter_desktop.domain.recusal import Conflict, DeclarationFacts, describe, find_conflicts, window_start
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import NotFound, ServiceError
from lzcenter_desktop.services.review.conflicts import Facts, conflict_view
from lzcenter_desktop.services.review.dto import ConflictView
from lzcenter_desktop.services.review.experts import clean_text, expert_view
from lzcenter_desktop.services.uow import reading, unit_of_work
from lzcenter_desktop.storage.models import (
    Center,
    CenterParty,
    Evaluation,
    EvaluationAssignment,
    EvaluationExpertScore,
    EvaluationRound,
    Expert,
)

MIN_EXPERTS = 3  # an expert score needs at least 3 experts' scores
MAX_PER_CENTRE = 50
OVERRIDE_REASON_MAX = 300
REASON_MAX = 300
ASSIGNED, SCORED, REMOVED = "assigned", "scored", "removed"
ACTIVE_STATUSES = (ASSIGNED, SCORED)
STATUS_LABELS = {ASSIGNED: "待评分", SCORED: "已评分", REMOVED: "已撤出"}
HOW_LABELS = {"manual": "人工指定", "drawn": "随机抽取"}
FINISHED = "finished"


@dataclass(frozen=True, slots=True)
class AssignmentView:
    """An expert asked to score one centre's evaluation."""

    assignment_id: int
    round_id: int
    evaluation_id: int
    center_name: str
    expert_id: int
    expert_name: str
    how: str
    how_label: str
    status: str  # assigned / scored / removed
    status_label: str
    score_text: str | None  # the expert's exact total, once scored
    score_version: int
    override_reason: str | None
    removed_reason: str | None


@dataclass(frozen=True, slots=True)
class DrawResult:
    """What a draw did: the seed (to draw the same again), and per evaluation the experts drawn."""

    round_id: int
    seed: int
    per_centre: int
    drawn: tuple[tuple[int, tuple[int, ...]], ...]  # (evaluation id, expert ids drawn for it)
    assignment_ids: tuple[int, ...]

    def text(self) -> str:
        count = sum(len(e) for _, e in self.drawn)
        return f"已随机抽取专家 {count} 人次（每家中心 {self.per_centre} 名，抽取种子 {self.seed}）"


# --- rows --------------------------------------------------------------------------------------------


def get_round_row(session: Session, round_id: int) -> EvaluationRound:
    row = session.get(EvaluationRound, round_id)
    if row is None:
        raise NotFound(f"找不到编号为 {round_id} 的绩效评估，请刷新后再试", field="绩效评估")
    return row


def require_round_open(row: EvaluationRound, doing: str) -> None:
    if row.status == FINISHED or row.finished_on is not None:
        raise ServiceError(f"绩效评估“{row.title}”已结束，不能再{doing}", field="绩效评估")


def get_evaluation_row(session: Session, evaluation_id: int) -> Evaluation:
    row = session.get(Evaluation, evaluation_id)
    if row is None:
        raise NotFound(f"找不到编号为 {evaluation_id} 的中心评估记录，请刷新后再试", field="评估记录")
    return row


def center_name(session: Session, evaluation: Evaluation) -> str:
    center = session.get(Center, evaluation.center_id)
    return center.name_zh if center is not None else f"中心 {evaluation.center_id}"


def review_date(row: EvaluationRound) -> dt.date:
    """The day 回避 is judged on: the expert meeting (``held_on``), else the round's start."""
    return row.held_on or row.started_on


def require_evaluation_open(session: Session, evaluation: Evaluation, doing: str) -> EvaluationRound:
    """The evaluation's round, refused when the round ended, the centre did not take part or the
    outcome of the evaluation has been applied."""
    row = get_round_row(session, evaluation.round_id)
    require_round_open(row, doing)
    name = center_name(session, evaluation)
    if not evaluation.participated:
        raise ServiceError(f"“{name}”未参加（或已退出）本次绩效评估，不能{doing}", field="评估记录")
    if evaluation.outcome_applied_on is not None:
        raise ServiceError(
            f"“{name}”的评估结果已于 {evaluation.outcome_applied_on.isoformat()} 执行，不能再{doing}",
            field="评估记录",
        )
    return row


def is_active(a: EvaluationAssignment) -> bool:
    return a.status in ACTIVE_STATUSES


# --- 回避 ---------------------------------------------------------------------------------------------


def centre_facts(facts: Facts, center: Center, on: dt.date) -> DeclarationFacts:
    """The centre as the "declaration" of :func:`find_conflicts`: host and co-builders (see the
    module docstring for which co-builders count on ``on``)."""
    since = window_start(on)
    parties = facts.session.execute(
        select(CenterParty)
        .where(col(CenterParty.center_id) == center.id, col(CenterParty.role) == "co_builder")
        .order_by(col(CenterParty.position), col(CenterParty.id))
    ).scalars()
    co_builders = tuple(
        facts.unit(p.organization_id)
        for p in parties
        if (p.joined_on is None or p.joined_on <= on) and (p.left_on is None or p.left_on >= since)
    )
    return DeclarationFacts(host=facts.unit(center.host_id), co_builders=co_builders)


def evaluation_conflicts(facts: Facts, evaluation: Evaluation, expert_id: int, on: dt.date) -> list[Conflict]:
    """Every reason the expert must step aside from scoring the evaluation's centre on ``on``."""
    center = facts.session.get(Center, evaluation.center_id)
    if center is None:
        raise NotFound(f"找不到编号为 {evaluation.center_id} 的中心", field="中心")
    return find_conflicts(facts.expert(expert_id), centre_facts(facts, center, on), on)


def blocking_conflicts(
    facts: Facts, evaluation: Evaluation, a: EvaluationAssignment, on: dt.date
) -> list[Conflict]:
    """The conflicts that forbid ``a``'s scores: declared ones always, computed ones unless an
    administrator overrode them with a reason."""
    found = evaluation_conflicts(facts, evaluation, a.expert_id, on)
    return [c for c in found if c.declared or not a.override_reason]


def expert_conflicts(ctx: AppContext, *, evaluation_id: int, expert_id: int) -> list[ConflictView]:
    """Why the expert must step aside from the evaluation (empty when nothing is in the way)."""
    with reading(ctx) as session:
        evaluation = get_evaluation_row(session, evaluation_id)
        row = get_round_row(session, evaluation.round_id)
        facts = Facts(session)
        return [
            conflict_view(c) for c in evaluation_conflicts(facts, evaluation, expert_id, review_date(row))
        ]


# --- assigning -----------------------------------------------------------------------------------


def _existing(session: Session, evaluation_id: int, expert_id: int) -> EvaluationAssignment | None:
    return session.execute(
        select(EvaluationAssignment).where(
            col(EvaluationAssignment.evaluation_id) == evaluation_id,
            col(EvaluationAssignment.expert_id) == expert_id,
        )
    ).scalar_one_or_none()


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def assign_expert(
    ctx: AppContext, *, evaluation_id: int, expert_id: int, override_reason: str | None = None
) -> int:
    """Ask an expert of the pool to score one centre's evaluation, by hand; returns the assignment id.

    Refused (Chinese, naming the expert, the centre and the reason) for a retired expert, one
    already asked, a round that ended, a centre not taking part, and an expert who must step aside
    (回避). ``override_reason``: an administrator's reason to assign despite *computed* conflicts
    (recorded on the assignment with the conflicts it overrides); a declared conflict is never
    overridden. An expert taken off earlier can be asked again (the assignment is reopened)."""
    reason = clean_text(override_reason, "强制分配理由", OVERRIDE_REASON_MAX)
    action = (
        "evaluation.assign_expert" if reason is None else f"evaluation.assign_expert（强制分配：{reason}）"
    )
    with unit_of_work(ctx, _clip(action, 100)) as session:
        evaluation = get_evaluation_row(session, evaluation_id)
        row = require_evaluation_open(session, evaluation, "分配评估专家")
        assert row.id is not None
        expert = session.get(Expert, expert_id)
        if expert is None:
            raise NotFound(f"找不到编号为 {expert_id} 的专家", field="专家")
        name = expert_view(session, expert).name
        centre = center_name(session, evaluation)
        if expert.status != "active":
            raise ServiceError(f"专家{name}已停用，不能参加绩效评估", field="专家")
        existing = _existing(session, evaluation_id, expert_id)
        if existing is not None and is_active(existing):
            raise ServiceError(f"专家{name}已分配评估“{centre}”", field="专家")
        conflicts = evaluation_conflicts(Facts(session), evaluation, expert_id, review_date(row))
        stored_reason: str | None = None
        if conflicts:
            text = describe(conflicts)
            head = f"专家{name}须回避“{centre}”的绩效评估，不能分配：{text}"
            if any(c.declared for c in conflicts):
                raise ServiceError(
                    head + ("。其中本人声明的回避不能强制分配" if reason else ""), field="专家"
                )
            if reason is None:
                raise ServiceError(
                    head + "。如确需分配，可由管理员填写强制分配理由后分配（仅限根据登记信息判断的回避情形）",
                    field="专家",
                )
            stored_reason = _clip(f"{reason}（强制分配，所涉回避情形：{text}）", 500)
        scored = existing is not None and (
            session.execute(
                select(EvaluationExpertScore.id).where(
                    col(EvaluationExpertScore.assignment_id) == existing.id
                )
            ).first()
            is not None
        )
        values = {
            "round_id": row.id,
            "how": "manual",
            "status": SCORED if scored else ASSIGNED,
            "override_reason": stored_reason,
            "removed_reason": None,
        }
        if existing is None:
            existing = EvaluationAssignment.model_validate(
                {"evaluation_id": evaluation_id, "expert_id": expert_id, **values}
            )
        else:
            for key, value in values.items():
                setattr(existing, key, value)
        session.add(existing)
        session.flush()
        assert existing.id is not None
        return existing.id


def _participating(session: Session, round_id: int) -> list[Evaluation]:
    return list(
        session.execute(
            select(Evaluation)
            .where(col(Evaluation.round_id) == round_id, col(Evaluation.participated).is_(True))
            .order_by(col(Evaluation.id))
        ).scalars()
    )


def _round_assignments(session: Session, round_id: int) -> list[EvaluationAssignment]:
    return list(
        session.execute(
            select(EvaluationAssignment)
            .where(col(EvaluationAssignment.round_id) == round_id)
            .order_by(col(EvaluationAssignment.evaluation_id), col(EvaluationAssignment.expert_id))
        ).scalars()
    )


def _check_seed(seed: int | None) -> int:
    if seed is None:
        return secrets.randbelow(10**9)
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 10**18:
        raise ServiceError(f"抽取种子应为 0 至 18 位的非负整数，填写的是“{seed}”", field="抽取种子")
    return seed


def draw_experts(ctx: AppContext, *, round_id: int, per_centre: int, seed: int | None = None) -> DrawResult:
    """Draw at random, for every participating centre of the round, the experts it still needs to
    have ``per_centre`` (at least 3) active ones (see the module docstring). ``seed``: the seed to
    draw with (default: a new random one), returned in the result and named in the audit action.
    Refused, naming the centre and the numbers, when one centre has too few eligible experts."""
    if isinstance(per_centre, bool) or not isinstance(per_centre, int) or per_centre < MIN_EXPERTS:
        raise ServiceError(
            f"每家中心至少需要 {MIN_EXPERTS} 名评估专家，填写的是 {per_centre}", field="每家中心专家人数"
        )
    if per_centre > MAX_PER_CENTRE:
        raise ServiceError(
            f"每家中心最多 {MAX_PER_CENTRE} 名评估专家，填写的是 {per_centre}", field="每家中心专家人数"
        )
    used = _check_seed(seed)
    with unit_of_work(ctx, f"evaluation.draw_experts（抽取种子 {used}，每家 {per_centre} 名）") as session:
        row = get_round_row(session, round_id)
        require_round_open(row, "抽取评估专家")
        on = review_date(row)
        evaluations = [e for e in _participating(session, round_id) if e.outcome_applied_on is None]
        if not evaluations:
            raise ServiceError(f"绩效评估“{row.title}”没有参加评估的中心，无需抽取专家", field="绩效评估")
        pool = list(
            session.execute(
                select(col(Expert.id)).where(col(Expert.status) == "active").order_by(col(Expert.id))
            ).scalars()
        )
        existing = _round_assignments(session, round_id)
        facts = Facts(session)
        rng = random.Random(used)
        drawn: list[tuple[int, tuple[int, ...]]] = []
        new_ids: list[int] = []
        for evaluation in evaluations:
            assert evaluation.id is not None
            mine = [a for a in existing if a.evaluation_id == evaluation.id]
            need = per_centre - sum(1 for a in mine if is_active(a))
            if need <= 0:
                continue
            asked = {a.expert_id for a in mine}
            candidates = [e for e in pool if e not in asked]
            eligible = [e for e in candidates if not evaluation_conflicts(facts, evaluation, e, on)]
            if len(eligible) < need:
                raise ServiceError(
                    f"“{center_name(session, evaluation)}”还需要 {need} 名评估专家，但符合条件的只有 "
                    f"{len(eligible)} 名（在库且未分配该中心的 {len(candidates)} 名中，"
                    f"{len(candidates) - len(eligible)} 名须回避）；请补充专家库后再抽取",
                    field="每家中心专家人数",
                )
            chosen = tuple(rng.sample(eligible, need))
            for expert_id in chosen:
                a = EvaluationAssignment.model_validate(
                    {
                        "round_id": round_id,
                        "evaluation_id": evaluation.id,
                        "expert_id": expert_id,
                        "how": "drawn",
                        "status": ASSIGNED,
                    }
                )
                session.add(a)
                session.flush()
                assert a.id is not None
                new_ids.append(a.id)
            drawn.append((evaluation.id, chosen))
        return DrawResult(
            round_id=round_id,
            seed=used,
            per_centre=per_centre,
            drawn=tuple(drawn),
            assignment_ids=tuple(new_ids),
        )


def remove_assignment(ctx: AppContext, *, assignment_id: int, reason: str) -> None:
    """Take an expert off a centre's evaluation (kept, status ``removed``, with the reason); their
    scores, if any, no longer count."""
    text = clean_text(reason, "撤出原因", REASON_MAX, required=True)
    with unit_of_work(ctx, _clip(f"evaluation.remove_assignment：{text}", 100)) as session:
        a = session.get(EvaluationAssignment, assignment_id)
        if a is None:
            raise NotFound(f"找不到编号为 {assignment_id} 的评估专家分配，请刷新后再试", field="评估专家")
        evaluation = get_evaluation_row(session, a.evaluation_id)
        row = get_round_row(session, a.round_id)
        require_round_open(row, "调整评估专家")
        if evaluation.outcome_applied_on is not None:
            raise ServiceError(
                f"“{center_name(session, evaluation)}”的评估结果已执行，不能再调整评估专家", field="评估专家"
            )
        if a.status == REMOVED:
            raise ServiceError("该专家已撤出这家中心的评估", field="评估专家")
        a.status = REMOVED
        a.removed_reason = text
        session.add(a)


def assignment_view(session: Session, a: EvaluationAssignment) -> AssignmentView:
    assert a.id is not None
    evaluation = get_evaluation_row(session, a.evaluation_id)
    expert = session.get(Expert, a.expert_id)
    score = session.execute(
        select(EvaluationExpertScore).where(col(EvaluationExpertScore.assignment_id) == a.id)
    ).scalar_one_or_none()
    return AssignmentView(
        assignment_id=a.id,
        round_id=a.round_id,
        evaluation_id=a.evaluation_id,
        center_name=center_name(session, evaluation),
        expert_id=a.expert_id,
        expert_name=expert_view(session, expert).name if expert is not None else f"专家 {a.expert_id}",
        how=a.how,
        how_label=HOW_LABELS.get(a.how, a.how),
        status=a.status,
        status_label=STATUS_LABELS.get(a.status, a.status),
        score_text=score.score_text if score is not None and a.status != REMOVED else None,
        score_version=a.score_version,
        override_reason=a.override_reason,
        removed_reason=a.removed_reason,
    )


def list_assignments(
    ctx: AppContext, *, round_id: int, evaluation_id: int | None = None, include_removed: bool = True
) -> list[AssignmentView]:
    """The experts of a round (or of one centre's evaluation), by evaluation then expert."""
    with reading(ctx) as session:
        get_round_row(session, round_id)
        rows: Sequence[EvaluationAssignment] = _round_assignments(session, round_id)
        return [
            assignment_view(session, a)
            for a in rows
            if (evaluation_id is None or a.evaluation_id == evaluation_id)
            and (include_removed or is_active(a))
        ]
