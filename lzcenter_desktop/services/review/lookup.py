"""Look-ups shared by the scoring, results, 公示 and 认定 services (inside a session, no writes)."""

from __future__ import annotations

import json
from collections.abc import Iterable

from sqlmodel import Session, col, select

from lzcenter_desktop.domain.settings import DEFAULT_SETTINGS, RuleSettings
from lzcenter_desktop.services.errors import NotFound, ServiceError
from lzcenter_desktop.storage.models import (
    AnnualCall,
    Center,
    Declaration,
    Organization,
    ReviewAssignment,
    ReviewPanel,
    ReviewPanelDeclaration,
    ReviewSession,
    RuleSetVersion,
)

# Assignment statuses of an expert who scores (a recused one, or one taken off, does not).
ACTIVE_ASSIGNMENT_STATUSES = frozenset({"assigned", "scored"})
CLOSED_SESSION_STATUSES = frozenset({"closed", "finished"})
SESSION_STATUS_LABELS = {"planned": "筹备中", "open": "评审中", "closed": "已结束", "finished": "已结束"}


def is_active(assignment: ReviewAssignment) -> bool:
    """Whether the assignment's expert scores the declaration (not 回避, not taken off)."""
    return not assignment.recused and assignment.status in ACTIVE_ASSIGNMENT_STATUSES


def get_review_session(session: Session, session_id: int) -> ReviewSession:
    found = session.get(ReviewSession, session_id)
    if found is None:
        raise NotFound(f"找不到编号为 {session_id} 的评审会，请刷新后再试", field="评审会")
    return found


def get_call(session: Session, call_id: int) -> AnnualCall:
    call = session.get(AnnualCall, call_id)
    if call is None:
        raise NotFound(f"找不到编号为 {call_id} 的年度申报通知，请刷新后再试", field="申报通知")
    return call


def get_declaration(session: Session, declaration_id: int) -> Declaration:
    decl = session.get(Declaration, declaration_id)
    if decl is None:
        raise NotFound(f"找不到编号为 {declaration_id} 的申报书，请刷新后再试", field="申报书")
    return decl


def get_center(session: Session, center_id: int) -> Center:
    center = session.get(Center, center_id)
    if center is None:
        raise NotFound(f"找不到编号为 {center_id} 的中心，请刷新后再试", field="中心")
    return center


def require_open(review_session: ReviewSession, what: str) -> None:
    """Refuse ``what`` (e.g. 录入评分) in a session that has been closed."""
    if review_session.status in CLOSED_SESSION_STATUSES:
        raise ServiceError(
            f"评审会“{review_session.title}”已结束（已关闭并计算结果），不能再{what}",
            field="评审会",
        )


def call_settings(session: Session, call: AnnualCall) -> RuleSettings:
    """The rule settings of the call: the version it was published with, else the latest version
    of its year or the nearest earlier year, else the Measures' defaults."""
    stmt = select(RuleSetVersion)
    if call.ruleset_version_no is not None:
        stmt = stmt.where(
            col(RuleSetVersion.year) == call.year, col(RuleSetVersion.version_no) == call.ruleset_version_no
        )
    else:
        stmt = stmt.where(col(RuleSetVersion.year) <= call.year).order_by(
            col(RuleSetVersion.year).desc(), col(RuleSetVersion.version_no).desc()
        )
    row = session.execute(stmt.limit(1)).scalar_one_or_none()
    if row is None:
        return DEFAULT_SETTINGS
    return RuleSettings.from_json_dict(json.loads(row.settings_json))


def declaration_names(session: Session, ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """Declaration id → (centre name, host name) as the declaration gives them."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = session.execute(
        select(col(Declaration.id), col(Declaration.name_zh), col(Organization.name))
        .join(Organization, col(Organization.id) == col(Declaration.host_id), isouter=True)
        .where(col(Declaration.id).in_(wanted))
    ).all()
    return {int(i): (str(name), str(host or "")) for i, name, host in rows}


def session_declaration_ids(session: Session, session_id: int) -> list[int]:
    """The declarations a session reviews: those with an assignment in it (recused or not) and those
    put on one of its panels."""
    ids = set(
        session.execute(
            select(col(ReviewAssignment.declaration_id)).where(col(ReviewAssignment.session_id) == session_id)
        ).scalars()
    )
    ids |= set(
        session.execute(
            select(col(ReviewPanelDeclaration.declaration_id))
            .join(ReviewPanel, col(ReviewPanel.id) == col(ReviewPanelDeclaration.panel_id))
            .where(col(ReviewPanel.session_id) == session_id, col(ReviewPanelDeclaration.active).is_(True))
        ).scalars()
    )
    return sorted(ids)
