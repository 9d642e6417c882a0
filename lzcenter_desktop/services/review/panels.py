"""Review sessions (评审会), their 专业分组 panels, the declarations on each panel and the panel's
experts: a reproducible random draw and hand-picked members.

* A session belongs to a call: title, date (the review date every 回避 window is counted from),
  how expert scores are aggregated (mean / trimmed mean), the scoring deadline of offline
  packages, and a random per-session key (``package_key``) for the offline package's HMAC.
* A declaration goes on one panel of a session, once 形式审查 has passed it.
* The draw takes ``count`` (at least the panel's ``min_experts``, which is at least 3) experts at
  random from the *eligible* ones: active experts of the pool, not yet on this panel nor on another
  panel of the session, without any 回避 conflict with a declaration of the panel. The candidates
  are ordered by expert id and drawn with ``random.Random(seed).sample``; the seed is recorded on
  the panel (and in the audit trail), so the same seed over the same pool draws the same experts.

Assigning experts to declarations is :mod:`lzcenter_desktop.services.review.assignments`.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections.abc import Sequence

from sqlmodel import Session, col, select

from lzcenter_desktop.domain.lifecycle import CenterState, label
from lzcenter_desktop.domain.review import Aggregation
from lzcenter_desktop.services import declarations as d
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import NotFound, ServiceError
from lzcenter_desktop.services.review.conflicts import Facts, conflict_view
from lzcenter_desktop.services.review.dto import (
    CandidateView,
    DrawResult,
    PanelMemberView,
    PanelView,
    SessionView,
)
from lzcenter_desktop.services.review.experts import clean_text, expert_view
from lzcenter_desktop.services.uow import reading, unit_of_work
from lzcenter_desktop.storage.models import (
    AnnualCall,
    Center,
    Declaration,
    Expert,
    FormalCheck,
    ReviewAssignment,
    ReviewPanel,
    ReviewPanelDeclaration,
    ReviewPanelMember,
    ReviewResult,
    ReviewSession,
)

MIN_EXPERTS = 3  # 每组至少 3 名专家
MAX_EXPERTS = 50
TITLE_MAX = 200
LOCATION_MAX = 200
PANEL_NAME_MAX = 100
FIELD_MAX = 200
REASON_MAX = 500
CLOSED_SESSION_STATUSES = frozenset({"closed", "finished"})
HOW_LABELS = {"drawn": "随机抽取", "manual": "人工指定", "balanced": "自动均衡分配"}
ACTIVE_ASSIGNMENT = ("assigned", "scored")


# --- sessions ---------------------------------------------------------------------------------------


def _aggregation(value: str) -> Aggregation:
    try:
        return Aggregation(value)
    except ValueError:
        allowed = "、".join(a.label for a in Aggregation)
        raise ServiceError(f"专家评分的汇总方式无效，应为：{allowed}", field="汇总方式") from None


def get_session_row(session: Session, session_id: int) -> ReviewSession:
    row = session.get(ReviewSession, session_id)
    if row is None:
        raise NotFound(f"找不到编号为 {session_id} 的评审会，请刷新后再试", field="评审会")
    return row


def refuse_closed(row: ReviewSession) -> None:
    if row.status in CLOSED_SESSION_STATUSES:
        raise ServiceError(f"评审会“{row.title}”已结束，不能再调整分组、专家或分配", field="评审会")


def session_view(row: ReviewSession) -> SessionView:
    assert row.id is not None
    try:
        label = Aggregation(row.aggregation).label
    except ValueError:
        label = row.aggregation
    return SessionView(
        id=row.id,
        call_id=row.call_id,
        title=row.title,
        held_on=row.held_on,
        location=row.location,
        aggregation=row.aggregation,
        aggregation_label=label,
        status=row.status,
        score_deadline=row.score_deadline,
        score_sheet_version=row.score_sheet_version,
    )


def create_session(
    ctx: AppContext,
    *,
    call_id: int,
    title: str,
    held_on: dt.date,
    aggregation: str = "mean",
    score_deadline: dt.date | None = None,
    location: str | None = None,
    score_sheet_version: str | None = None,
) -> int:
    """Create a review session of a call (status 筹备中) with a fresh random ``package_key``;
    returns its id. ``aggregation``: ``mean`` or ``trimmed_mean``."""
    text = clean_text(title, "评审会名称", TITLE_MAX, required=True)
    method = _aggregation(aggregation)
    if not isinstance(held_on, dt.date):
        raise ServiceError("请填写评审日期", field="评审日期")
    if score_deadline is not None and score_deadline < held_on:
        raise ServiceError(
            f"评分截止日期 {score_deadline.isoformat()} 早于评审日期 {held_on.isoformat()}",
            field="评分截止日期",
        )
    with unit_of_work(ctx, "review.create_session") as session:
        call = session.get(AnnualCall, call_id)
        if call is None:
            raise NotFound(f"找不到编号为 {call_id} 的年度申报通知", field="申报通知")
        row = ReviewSession.model_validate(
            {
                "call_id": call_id,
                "title": text,
                "held_on": held_on,
                "location": clean_text(location, "评审地点", LOCATION_MAX),
                "aggregation": method.value,
                "status": "planned",
                "score_deadline": score_deadline,
                "package_key": secrets.token_hex(32),
                "score_sheet_version": clean_text(score_sheet_version, "评分表版本", 50)
                or call.score_sheet_version,
            }
        )
        session.add(row)
        session.flush()
        assert row.id is not None
        return row.id


def update_session(
    ctx: AppContext,
    *,
    session_id: int,
    title: str | None = None,
    held_on: dt.date | None = None,
    aggregation: str | None = None,
    score_deadline: dt.date | None = None,
    location: str | None = None,
) -> None:
    """Change a session that has not ended (only the arguments given)."""
    with unit_of_work(ctx, "review.update_session") as session:
        row = get_session_row(session, session_id)
        refuse_closed(row)
        if title is not None:
            row.title = clean_text(title, "评审会名称", TITLE_MAX, required=True) or row.title
        if held_on is not None:
            row.held_on = held_on
        if aggregation is not None:
            row.aggregation = _aggregation(aggregation).value
        if score_deadline is not None:
            row.score_deadline = score_deadline
        if location is not None:
            row.location = clean_text(location, "评审地点", LOCATION_MAX)
        if row.score_deadline is not None and row.score_deadline < row.held_on:
            raise ServiceError(
                f"评分截止日期 {row.score_deadline.isoformat()} 早于评审日期 {row.held_on.isoformat()}",
                field="评分截止日期",
            )
        session.add(row)


def get_session(ctx: AppContext, session_id: int) -> SessionView:
    with reading(ctx) as session:
        return session_view(get_session_row(session, session_id))


def list_sessions(ctx: AppContext, *, call_id: int | None = None) -> list[SessionView]:
    """Sessions (of one call, or all), newest date first."""
    with reading(ctx) as session:
        stmt = select(ReviewSession)
        if call_id is not None:
            stmt = stmt.where(col(ReviewSession.call_id) == call_id)
        rows = session.execute(
            stmt.order_by(col(ReviewSession.held_on).desc(), col(ReviewSession.id))
        ).scalars()
        return [session_view(r) for r in rows]


# --- panels -----------------------------------------------------------------------------------------


def get_panel_row(session: Session, panel_id: int) -> ReviewPanel:
    row = session.get(ReviewPanel, panel_id)
    if row is None:
        raise NotFound(f"找不到编号为 {panel_id} 的评审组，请刷新后再试", field="评审组")
    return row


def _check_min(min_experts: int) -> int:
    if isinstance(min_experts, bool) or not isinstance(min_experts, int) or min_experts < MIN_EXPERTS:
        raise ServiceError(
            f"每组专家人数至少为 {MIN_EXPERTS} 人，填写的是 {min_experts}", field="最少专家人数"
        )
    if min_experts > MAX_EXPERTS:
        raise ServiceError(f"每组专家人数最多 {MAX_EXPERTS} 人，填写的是 {min_experts}", field="最少专家人数")
    return min_experts


def create_panel(
    ctx: AppContext, *, session_id: int, name: str, field: str = "", min_experts: int = MIN_EXPERTS
) -> int:
    """Create a 专业分组 of a session; ``min_experts`` at least 3. Returns the panel id."""
    text = clean_text(name, "分组名称", PANEL_NAME_MAX, required=True)
    minimum = _check_min(min_experts)
    with unit_of_work(ctx, "review.create_panel") as session:
        row = get_session_row(session, session_id)
        refuse_closed(row)
        taken = session.execute(
            select(ReviewPanel).where(
                col(ReviewPanel.session_id) == session_id, col(ReviewPanel.name) == text
            )
        ).first()
        if taken is not None:
            raise ServiceError(f"评审会“{row.title}”已有名为“{text}”的分组", field="分组名称")
        panel = ReviewPanel.model_validate(
            {
                "session_id": session_id,
                "name": text,
                "field": clean_text(field, "专业领域", FIELD_MAX) or "",
                "min_experts": minimum,
            }
        )
        session.add(panel)
        session.flush()
        assert panel.id is not None
        return panel.id


def update_panel(
    ctx: AppContext,
    *,
    panel_id: int,
    name: str | None = None,
    field: str | None = None,
    min_experts: int | None = None,
) -> None:
    with unit_of_work(ctx, "review.update_panel") as session:
        panel = get_panel_row(session, panel_id)
        refuse_closed(get_session_row(session, panel.session_id))
        if name is not None:
            panel.name = clean_text(name, "分组名称", PANEL_NAME_MAX, required=True) or panel.name
        if field is not None:
            panel.field = clean_text(field, "专业领域", FIELD_MAX) or ""
        if min_experts is not None:
            panel.min_experts = _check_min(min_experts)
        session.add(panel)


def panel_declaration_ids(session: Session, panel_id: int) -> list[int]:
    return list(
        session.execute(
            select(col(ReviewPanelDeclaration.declaration_id))
            .where(
                col(ReviewPanelDeclaration.panel_id) == panel_id,
                col(ReviewPanelDeclaration.active).is_(True),
            )
            .order_by(col(ReviewPanelDeclaration.declaration_id))
        ).scalars()
    )


def panel_members(session: Session, panel_id: int) -> list[ReviewPanelMember]:
    return list(
        session.execute(
            select(ReviewPanelMember)
            .where(col(ReviewPanelMember.panel_id) == panel_id, col(ReviewPanelMember.active).is_(True))
            .order_by(col(ReviewPanelMember.id))
        ).scalars()
    )


def _panel_view(session: Session, panel: ReviewPanel) -> PanelView:
    assert panel.id is not None
    members = []
    for m in panel_members(session, panel.id):
        expert = session.get(Expert, m.expert_id)
        assert expert is not None
        view = expert_view(session, expert)
        members.append(
            PanelMemberView(
                expert_id=m.expert_id,
                name=view.name,
                unit=view.unit,
                how=m.how,
                how_label=HOW_LABELS.get(m.how, m.how),
            )
        )
    return PanelView(
        id=panel.id,
        session_id=panel.session_id,
        name=panel.name,
        field=panel.field,
        min_experts=panel.min_experts,
        draw_seed=panel.draw_seed,
        members=tuple(members),
        declaration_ids=tuple(panel_declaration_ids(session, panel.id)),
    )


def get_panel(ctx: AppContext, panel_id: int) -> PanelView:
    with reading(ctx) as session:
        return _panel_view(session, get_panel_row(session, panel_id))


def list_panels(ctx: AppContext, *, session_id: int) -> list[PanelView]:
    with reading(ctx) as session:
        get_session_row(session, session_id)
        rows = session.execute(
            select(ReviewPanel).where(col(ReviewPanel.session_id) == session_id).order_by(col(ReviewPanel.id))
        ).scalars()
        return [_panel_view(session, p) for p in rows]


def passed_formal_check(session: Session, declaration_id: int) -> bool:
    last = session.execute(
        select(FormalCheck)
        .where(col(FormalCheck.declaration_id) == declaration_id)
        .order_by(col(FormalCheck.round).desc())
        .limit(1)
    ).scalar_one_or_none()
    return last is not None and last.decision == "passed"


def add_panel_declarations(ctx: AppContext, *, panel_id: int, declaration_ids: Sequence[int]) -> None:
    """Put declarations on a panel: each of the session's call, passed by 形式审查, and not on another
    panel of the session. All or nothing."""
    if not declaration_ids:
        raise ServiceError("请选择要分到本组的申报书", field="申报书")
    with unit_of_work(ctx, "review.add_panel_declarations") as session:
        panel = get_panel_row(session, panel_id)
        review = get_session_row(session, panel.session_id)
        refuse_closed(review)
        for did in dict.fromkeys(declaration_ids):
            decl = session.get(Declaration, did)
            if decl is None:
                raise NotFound(f"找不到编号为 {did} 的申报书", field="申报书")
            who = f"第 {did} 号申报书“{decl.name_zh}”"
            if decl.call_id != review.call_id:
                raise ServiceError(f"{who}不属于本评审会的年度申报通知", field="申报书")
            if decl.status != d.SUBMITTED or not passed_formal_check(session, did):
                raise ServiceError(f"{who}尚未通过形式审查，不能分组评审", field="申报书")
            refuse_decided(session, decl, who)
            rows = session.execute(
                select(ReviewPanelDeclaration, ReviewPanel)
                .join(ReviewPanel, col(ReviewPanel.id) == col(ReviewPanelDeclaration.panel_id))
                .where(
                    col(ReviewPanel.session_id) == review.id,
                    col(ReviewPanelDeclaration.declaration_id) == did,
                )
            ).all()
            own: ReviewPanelDeclaration | None = None
            for link, other in rows:
                if other.id == panel_id:
                    own = link
                elif link.active:
                    raise ServiceError(f"{who}已在“{other.name}”组，一份申报书只能在一个组", field="申报书")
            if own is None:
                session.add(
                    ReviewPanelDeclaration.model_validate({"panel_id": panel_id, "declaration_id": did})
                )
            elif not own.active:
                own.active = True
                session.add(own)
        session.flush()


def refuse_decided(session: Session, decl: Declaration, who: str) -> None:
    """A declaration goes on a panel only while its centre is 评审中 and it has no review result yet:
    one already decided (拟认定, 公示中 …) would make its session impossible to close."""
    center = session.get(Center, decl.center_id) if decl.center_id is not None else None
    if center is None or center.state != CenterState.UNDER_REVIEW.value:
        state = label(center.state) if center is not None else "无中心记录"
        raise ServiceError(f"{who}的中心处于“{state}”状态，只有“评审中”的申报书可以分组评审", field="申报书")
    decided = session.execute(
        select(ReviewResult.id).where(col(ReviewResult.declaration_id) == decl.id)
    ).first()
    if decided is not None:
        raise ServiceError(f"{who}已有评审结果，不能再分组评审", field="申报书")


def remove_panel_declaration(ctx: AppContext, *, panel_id: int, declaration_id: int, reason: str) -> None:
    """Take a declaration off a panel (kept, inactive) — refused while it has experts assigned."""
    text = clean_text(reason, "调整原因", REASON_MAX, required=True)
    with unit_of_work(ctx, f"review.remove_panel_declaration：{text}"[:100]) as session:
        panel = get_panel_row(session, panel_id)
        review = get_session_row(session, panel.session_id)
        refuse_closed(review)
        link = session.execute(
            select(ReviewPanelDeclaration).where(
                col(ReviewPanelDeclaration.panel_id) == panel_id,
                col(ReviewPanelDeclaration.declaration_id) == declaration_id,
                col(ReviewPanelDeclaration.active).is_(True),
            )
        ).scalar_one_or_none()
        if link is None:
            raise ServiceError(f"第 {declaration_id} 号申报书不在“{panel.name}”组", field="申报书")
        assigned = session.execute(
            select(ReviewAssignment).where(
                col(ReviewAssignment.session_id) == review.id,
                col(ReviewAssignment.declaration_id) == declaration_id,
                col(ReviewAssignment.status).in_(ACTIVE_ASSIGNMENT),
            )
        ).first()
        if assigned is not None:
            raise ServiceError(
                f"第 {declaration_id} 号申报书已分配了评审专家，请先取消分配再移出本组", field="申报书"
            )
        link.active = False
        session.add(link)


# --- experts of a panel -----------------------------------------------------------------------------


def _busy_elsewhere(session: Session, review: ReviewSession, panel_id: int) -> set[int]:
    """Experts on another panel of the session."""
    return set(
        session.execute(
            select(col(ReviewPanelMember.expert_id))
            .join(ReviewPanel, col(ReviewPanel.id) == col(ReviewPanelMember.panel_id))
            .where(
                col(ReviewPanel.session_id) == review.id,
                col(ReviewPanel.id) != panel_id,
                col(ReviewPanelMember.active).is_(True),
            )
        ).scalars()
    )


def _active_experts(session: Session) -> list[Expert]:
    return list(
        session.execute(
            select(Expert).where(col(Expert.status) == "active").order_by(col(Expert.id))
        ).scalars()
    )


def candidates(ctx: AppContext, *, panel_id: int) -> list[CandidateView]:
    """Every active expert as a candidate for the panel, with the 回避 conflicts against each of the
    panel's declarations (on the session's date); experts on another panel of the session are left
    out."""
    with reading(ctx) as session:
        panel = get_panel_row(session, panel_id)
        review = get_session_row(session, panel.session_id)
        decl_ids = panel_declaration_ids(session, panel_id)
        on_panel = {m.expert_id for m in panel_members(session, panel_id)}
        busy = _busy_elsewhere(session, review, panel_id)
        facts = Facts(session)
        out = []
        for expert in _active_experts(session):
            assert expert.id is not None
            if expert.id in busy:
                continue
            view = expert_view(session, expert)
            found = tuple(
                (did, conflict_view(c))
                for did in decl_ids
                for c in facts.conflicts(expert.id, did, review.held_on)
            )
            out.append(
                CandidateView(
                    expert_id=expert.id,
                    name=view.name,
                    unit=view.unit,
                    specialty=view.specialty,
                    on_panel=expert.id in on_panel,
                    conflicts=found,
                )
            )
        return out


def _add_member(session: Session, panel_id: int, expert_id: int, how: str) -> None:
    row = session.execute(
        select(ReviewPanelMember).where(
            col(ReviewPanelMember.panel_id) == panel_id, col(ReviewPanelMember.expert_id) == expert_id
        )
    ).scalar_one_or_none()
    if row is None:
        session.add(
            ReviewPanelMember.model_validate(
                {"panel_id": panel_id, "expert_id": expert_id, "how": how, "active": True}
            )
        )
    elif not row.active:
        row.active, row.how = True, how
        session.add(row)


def draw_experts(
    ctx: AppContext, *, panel_id: int, count: int | None = None, seed: str | None = None
) -> DrawResult:
    """Draw ``count`` experts (default: the panel's minimum; never fewer) at random from the eligible
    ones (see the module docstring) and put them on the panel as 随机抽取. ``seed``: the seed to
    draw with (default: a new random one); it is recorded on the panel. Refused with the numbers
    when fewer experts are eligible than needed."""
    with unit_of_work(ctx, "review.draw_experts") as session:
        panel = get_panel_row(session, panel_id)
        review = get_session_row(session, panel.session_id)
        refuse_closed(review)
        wanted = panel.min_experts if count is None else count
        if isinstance(wanted, bool) or not isinstance(wanted, int) or wanted < panel.min_experts:
            raise ServiceError(
                f"“{panel.name}”组至少需要 {panel.min_experts} 名专家，抽取人数不能少于 {panel.min_experts}",
                field="抽取人数",
            )
        decl_ids = panel_declaration_ids(session, panel_id)
        if not decl_ids:
            raise ServiceError(
                f"“{panel.name}”组还没有申报书：请先把申报书分到本组再抽取专家（回避按本组的申报书判断）",
                field="申报书",
            )
        on_panel = {m.expert_id for m in panel_members(session, panel_id)}
        busy = _busy_elsewhere(session, review, panel_id)
        facts = Facts(session)
        pool = [e.id for e in _active_experts(session) if e.id is not None and e.id not in on_panel]
        free = [e for e in pool if e not in busy]
        eligible = [e for e in free if not any(facts.conflicts(e, did, review.held_on) for did in decl_ids)]
        if len(eligible) < wanted:
            raise ServiceError(
                f"符合条件的专家只有 {len(eligible)} 名，少于“{panel.name}”组需要抽取的 {wanted} 名"
                f"（专家库在库且未在本组的 {len(pool)} 名中，{len(pool) - len(free)} 名已在本评审会其他组，"
                f"{len(free) - len(eligible)} 名须回避本组的申报书）；请补充专家库或调整分组后再抽取",
                field="抽取人数",
            )
        used = seed.strip() if isinstance(seed, str) and seed.strip() else secrets.token_hex(8)
        if len(used) > 64:
            raise ServiceError("抽取种子过长，最多 64 个字符", field="抽取种子")
        drawn = random.Random(used).sample(eligible, wanted)
        for expert_id in drawn:
            _add_member(session, panel_id, expert_id, "drawn")
        panel.draw_seed = used
        session.add(panel)
        session.flush()
        return DrawResult(panel_id=panel_id, seed=used, expert_ids=tuple(drawn), eligible=len(eligible))


def add_panel_member(ctx: AppContext, *, panel_id: int, expert_id: int) -> None:
    """Put an active expert on the panel by hand (人工指定); refused when on another panel of the
    session. Conflicts are checked per declaration when the expert is assigned."""
    with unit_of_work(ctx, "review.add_panel_member") as session:
        panel = get_panel_row(session, panel_id)
        review = get_session_row(session, panel.session_id)
        refuse_closed(review)
        add_member_checked(session, review, panel, expert_id, "manual")


def add_member_checked(
    session: Session, review: ReviewSession, panel: ReviewPanel, expert_id: int, how: str
) -> None:
    assert panel.id is not None
    expert = session.get(Expert, expert_id)
    if expert is None:
        raise NotFound(f"找不到编号为 {expert_id} 的专家", field="专家")
    name = expert_view(session, expert).name
    if expert.status != "active":
        raise ServiceError(f"专家{name}已停用，不能参加评审", field="专家")
    if expert_id in _busy_elsewhere(session, review, panel.id):
        raise ServiceError(f"专家{name}已在本评审会的其他组", field="专家")
    if expert_id in {m.expert_id for m in panel_members(session, panel.id)}:
        return
    _add_member(session, panel.id, expert_id, how)
    session.flush()


def remove_panel_member(ctx: AppContext, *, panel_id: int, expert_id: int, reason: str) -> None:
    """Take an expert off a panel (kept, inactive) — refused while the expert has assignments in
    the panel (recuse them first)."""
    text = clean_text(reason, "调整原因", REASON_MAX, required=True)
    with unit_of_work(ctx, f"review.remove_panel_member：{text}"[:100]) as session:
        panel = get_panel_row(session, panel_id)
        refuse_closed(get_session_row(session, panel.session_id))
        row = next((m for m in panel_members(session, panel_id) if m.expert_id == expert_id), None)
        if row is None:
            raise ServiceError(f"编号 {expert_id} 的专家不在“{panel.name}”组", field="专家")
        assigned = session.execute(
            select(ReviewAssignment).where(
                col(ReviewAssignment.panel_id) == panel_id,
                col(ReviewAssignment.expert_id) == expert_id,
                col(ReviewAssignment.status).in_(ACTIVE_ASSIGNMENT),
            )
        ).first()
        if assigned is not None:
            raise ServiceError("该专家在本组还有评审分配，请先取消分配再移出本组", field="专家")
        row.active = False
        session.add(row)
