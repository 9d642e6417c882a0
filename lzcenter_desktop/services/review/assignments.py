"""Assigning experts to declarations in a review session, with 回避 enforced here.

* :func:`assign_expert` — by hand. An expert with a 回避 conflict (see
  :mod:`lzcenter_desktop.domain.recusal`) is **refused** with the reasons. An override is
  possible only when every conflict is *computed* from the registry, and only with a reason: the
  assignment then records the reason (``override_reason``) and the conflicts it overrode
  (``recusal_reason``), and the unit of work's audit action names the override. A *declared*
  conflict (by the expert, or the applicant's list) is never overridden.
* :func:`auto_assign` — balanced: each declaration of a panel gets ``per_declaration`` experts of
  the panel without a conflict, the least loaded first (load = the expert's active assignments in
  the session; ties by expert id), the declarations with the fewest spare candidates first — so
  loads differ by at most one when nothing is in the way, and conflicts are worked around.
* :func:`recuse_assignment` — an expert steps aside later (kept, status ``recused``).
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from lzcenter_desktop.domain.recusal import describe
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import NotFound, ServiceError
from lzcenter_desktop.services.review.conflicts import Facts
from lzcenter_desktop.services.review.dto import AssignmentView
from lzcenter_desktop.services.review.experts import clean_text, expert_view
from lzcenter_desktop.services.review.panels import (
    ACTIVE_ASSIGNMENT,
    add_member_checked,
    get_panel_row,
    get_session_row,
    panel_declaration_ids,
    panel_members,
    refuse_closed,
)
from lzcenter_desktop.services.uow import reading, unit_of_work
from lzcenter_desktop.storage.models import (
    Declaration,
    Expert,
    ReviewAssignment,
    ReviewPanel,
    ReviewPanelDeclaration,
    ReviewSession,
)

OVERRIDE_REASON_MAX = 500
RECUSAL_REASON_MAX = 300
REASON_MAX = 300


def _panel_of(session: Session, review: ReviewSession, declaration_id: int) -> ReviewPanel:
    found: ReviewPanel | None = session.execute(
        select(ReviewPanel)
        .join(ReviewPanelDeclaration, col(ReviewPanelDeclaration.panel_id) == col(ReviewPanel.id))
        .where(
            col(ReviewPanel.session_id) == review.id,
            col(ReviewPanelDeclaration.declaration_id) == declaration_id,
            col(ReviewPanelDeclaration.active).is_(True),
        )
    ).scalar_one_or_none()
    if found is None:
        raise ServiceError(f"第 {declaration_id} 号申报书不在本评审会的任何分组中，请先分组", field="申报书")
    return found


def _existing(
    session: Session, session_id: int, declaration_id: int, expert_id: int
) -> ReviewAssignment | None:
    return session.execute(
        select(ReviewAssignment).where(
            col(ReviewAssignment.session_id) == session_id,
            col(ReviewAssignment.declaration_id) == declaration_id,
            col(ReviewAssignment.expert_id) == expert_id,
        )
    ).scalar_one_or_none()


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _put(
    session: Session,
    review: ReviewSession,
    panel: ReviewPanel,
    declaration_id: int,
    expert_id: int,
    how: str,
    *,
    override_reason: str | None = None,
    overridden: str | None = None,
) -> ReviewAssignment:
    assert review.id is not None and panel.id is not None
    row = _existing(session, review.id, declaration_id, expert_id)
    values = {
        "panel_id": panel.id,
        "how": how,
        "status": "assigned",
        "recused": False,
        "recusal_reason": _clip(overridden, RECUSAL_REASON_MAX) if overridden else None,
        "override_reason": override_reason,
    }
    if row is None:
        row = ReviewAssignment.model_validate(
            {"session_id": review.id, "declaration_id": declaration_id, "expert_id": expert_id, **values}
        )
    else:
        for key, value in values.items():
            setattr(row, key, value)
    session.add(row)
    session.flush()
    return row


def _check_override(override_reason: str | None) -> str | None:
    return clean_text(override_reason, "强制分配理由", OVERRIDE_REASON_MAX)


def assign_expert(
    ctx: AppContext,
    *,
    session_id: int,
    declaration_id: int,
    expert_id: int,
    override_reason: str | None = None,
) -> int:
    """Assign an expert to a declaration of the session by hand (the expert joins the declaration's
    panel as 人工指定 when not on it). Refused with the reasons when the expert must step aside; with
    ``override_reason`` a *computed* conflict is overridden and recorded, a declared one never.
    Returns the assignment id."""
    reason = _check_override(override_reason)
    action = "review.assign_expert" if reason is None else f"review.assign_expert（强制分配：{reason}）"
    with unit_of_work(ctx, action[:100]) as session:
        review = get_session_row(session, session_id)
        refuse_closed(review)
        decl = session.get(Declaration, declaration_id)
        if decl is None:
            raise NotFound(f"找不到编号为 {declaration_id} 的申报书", field="申报书")
        panel = _panel_of(session, review, declaration_id)
        expert = session.get(Expert, expert_id)
        if expert is None:
            raise NotFound(f"找不到编号为 {expert_id} 的专家", field="专家")
        name = expert_view(session, expert).name
        if expert.status != "active":
            raise ServiceError(f"专家{name}已停用，不能分配评审", field="专家")
        existing = _existing(session, session_id, declaration_id, expert_id)
        if existing is not None and existing.status in ACTIVE_ASSIGNMENT and not existing.recused:
            raise ServiceError(
                f"专家{name}已分配评审第 {declaration_id} 号申报书“{decl.name_zh}”", field="专家"
            )
        conflicts = Facts(session).conflicts(expert_id, declaration_id, review.held_on)
        overridden: str | None = None
        if conflicts:
            text = describe(conflicts)
            head = f"专家{name}须回避第 {declaration_id} 号申报书“{decl.name_zh}”，不能分配：{text}"
            declared = [c for c in conflicts if c.declared]
            if declared:
                raise ServiceError(
                    head + "。其中本人或申报单位声明的回避不能强制分配" if reason else head, field="专家"
                )
            if reason is None:
                raise ServiceError(
                    head + "。如确需分配，可由管理员填写强制分配理由后分配（仅限根据登记信息判断的冲突）",
                    field="专家",
                )
            overridden = text
        add_member_checked(session, review, panel, expert_id, "manual")
        row = _put(
            session,
            review,
            panel,
            declaration_id,
            expert_id,
            "manual",
            override_reason=reason if overridden else None,
            overridden=overridden,
        )
        assert row.id is not None
        return row.id


def auto_assign(ctx: AppContext, *, panel_id: int, per_declaration: int | None = None) -> list[int]:
    """Balanced automatic assignment of the panel's experts to its declarations (see the module
    docstring): each declaration gets ``per_declaration`` experts (default: the panel's minimum,
    never fewer), counting those already assigned. All or nothing: refused, naming the declaration
    and the numbers, when one cannot get enough experts without a conflict. Returns the ids of the
    new assignments."""
    with unit_of_work(ctx, "review.auto_assign") as session:
        panel = get_panel_row(session, panel_id)
        review = get_session_row(session, panel.session_id)
        refuse_closed(review)
        assert review.id is not None
        per = panel.min_experts if per_declaration is None else per_declaration
        if isinstance(per, bool) or not isinstance(per, int) or per < panel.min_experts:
            raise ServiceError(
                f"每份申报书至少需要 {panel.min_experts} 名专家评审，填写的是 {per}", field="每份专家人数"
            )
        decl_ids = panel_declaration_ids(session, panel_id)
        if not decl_ids:
            raise ServiceError(f"“{panel.name}”组还没有申报书", field="申报书")
        members = sorted(
            m.expert_id
            for m in panel_members(session, panel_id)
            if (e := session.get(Expert, m.expert_id)) is not None and e.status == "active"
        )
        if len(members) < per:
            raise ServiceError(
                f"“{panel.name}”组只有 {len(members)} 名在库专家，少于每份申报书需要的 {per} 名；"
                "请先抽取或指定专家",
                field="每份专家人数",
            )
        active = list(
            session.execute(
                select(ReviewAssignment).where(
                    col(ReviewAssignment.session_id) == review.id,
                    col(ReviewAssignment.status).in_(ACTIVE_ASSIGNMENT),
                    col(ReviewAssignment.recused).is_(False),
                )
            ).scalars()
        )
        load = {e: 0 for e in members}
        assigned: dict[int, set[int]] = {did: set() for did in decl_ids}
        for a in active:
            if a.expert_id in load:
                load[a.expert_id] += 1
            if a.declaration_id in assigned:
                assigned[a.declaration_id].add(a.expert_id)
        facts = Facts(session)
        todo: list[tuple[int, int, list[int]]] = []  # (declaration, experts needed, candidates)
        for did in decl_ids:
            need = per - len(assigned[did])
            if need <= 0:
                continue
            free = [
                e for e in members if e not in assigned[did] and not facts.conflicts(e, did, review.held_on)
            ]
            if len(free) < need:
                decl = session.get(Declaration, did)
                title = decl.name_zh if decl is not None else ""
                raise ServiceError(
                    f"第 {did} 号申报书“{title}”还需要 {need} 名专家，但本组只有 {len(free)} 名专家无须回避；"
                    "请为本组补充专家后再分配",
                    field="每份专家人数",
                )
            todo.append((did, need, free))
        new: list[int] = []
        # the most constrained declarations first (fewest spare candidates), so that the others
        # can even out the load around them
        for did, need, free in sorted(todo, key=lambda t: (len(t[2]) - t[1], t[0])):
            for expert_id in sorted(free, key=lambda e: (load[e], e))[:need]:
                row = _put(session, review, panel, did, expert_id, "balanced")
                assert row.id is not None
                new.append(row.id)
                load[expert_id] += 1
                assigned[did].add(expert_id)
        return new


def recuse_assignment(ctx: AppContext, *, assignment_id: int, reason: str) -> None:
    """The expert steps aside from the declaration (回避, or taken off): the assignment is kept with
    status ``recused`` and the reason."""
    text = clean_text(reason, "回避原因", REASON_MAX, required=True)
    with unit_of_work(ctx, "review.recuse_assignment") as session:
        row = session.get(ReviewAssignment, assignment_id)
        if row is None:
            raise NotFound(f"找不到编号为 {assignment_id} 的评审分配", field="评审分配")
        refuse_closed(get_session_row(session, row.session_id))
        if row.recused or row.status == "recused":
            raise ServiceError("该专家已回避这份申报书", field="评审分配")
        row.recused = True
        row.status = "recused"
        row.recusal_reason = text
        session.add(row)


def _view(session: Session, row: ReviewAssignment) -> AssignmentView:
    assert row.id is not None
    decl = session.get(Declaration, row.declaration_id)
    expert = session.get(Expert, row.expert_id)
    assert expert is not None
    return AssignmentView(
        id=row.id,
        session_id=row.session_id,
        panel_id=row.panel_id,
        declaration_id=row.declaration_id,
        center_name=decl.name_zh if decl is not None else "",
        expert_id=row.expert_id,
        expert_name=expert_view(session, expert).name,
        how=row.how,
        status=row.status,
        recused=row.recused,
        recusal_reason=row.recusal_reason,
        override_reason=row.override_reason,
    )


def list_assignments(
    ctx: AppContext, *, session_id: int, panel_id: int | None = None, include_recused: bool = True
) -> list[AssignmentView]:
    """The assignments of a session (or one panel), by declaration then expert."""
    with reading(ctx) as session:
        get_session_row(session, session_id)
        stmt = select(ReviewAssignment).where(col(ReviewAssignment.session_id) == session_id)
        if panel_id is not None:
            stmt = stmt.where(col(ReviewAssignment.panel_id) == panel_id)
        if not include_recused:
            stmt = stmt.where(
                col(ReviewAssignment.recused).is_(False), col(ReviewAssignment.status) != "recused"
            )
        rows = session.execute(
            stmt.order_by(col(ReviewAssignment.declaration_id), col(ReviewAssignment.expert_id))
        ).scalars()
        return [_view(session, r) for r in rows]
