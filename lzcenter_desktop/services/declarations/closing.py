"""Taking a declaration out of a call: 作废 a draft, 撤回 a submitted declaration.

Both need a reason, are irreversible, and delete nothing: the row keeps its document and changes
``status`` (``discarded`` / ``withdrawn``) in one unit of work. The ``declaration`` row is written
with one UPDATE of its status and one audit entry written here, as :func:`save_draft` does: before
``{"status": "draft"}``, after ``{"status": "discarded", "reason": "…"}`` — the reason lives in the
audit trail (no new column), and :func:`reasons` reads it back for the list.

The centre a declaration brought into being follows it. A submitted declaration moved its centre
from 草稿 to 已提交; a withdrawn application moves it on to 已撤回 (the lifecycle's own "may apply
again" state) through :func:`lzcenter_desktop.services.centers.apply_state_change`, with a timeline
entry naming the declaration and the reason — but only while it is in 草稿 or 已提交 and no other
open declaration uses it. Once review has begun (评审中 or later) a declaration
can no longer be withdrawn here: the centre's procedure is followed on the 中心 page instead.
A discarded draft's centre (a draft imported with a valid host gets one in 草稿) is retired the
same way.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date

from sqlmodel import Session, col, select

from lzcenter_desktop.domain import lifecycle
from lzcenter_desktop.services.centers import apply_state_change
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.declaration_status import change_declaration_status
from lzcenter_desktop.services.declarations.base import (
    CLOSED_STATUSES,
    DISCARDED,
    DRAFT,
    STATUS_LABELS,
    SUBMITTED,
    WITHDRAWN,
)
from lzcenter_desktop.services.declarations.stored import _get
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.uow import unit_of_work
from lzcenter_desktop.storage.models import AuditEntry, Center, Declaration

DISCARD_ACTION = "declarations.discard_draft"
WITHDRAW_ACTION = "declarations.withdraw_declaration"
REASON_MAX = 500

# Centre states a closing declaration may retire its centre from (see the module docstring).
_RETIRABLE = frozenset({lifecycle.CenterState.DRAFT.value, lifecycle.CenterState.SUBMITTED.value})


def _reason(reason: object, what: str) -> str:
    text = reason.strip() if isinstance(reason, str) else ""
    if not text:
        raise ServiceError(f"请填写{what}原因：这一操作不能撤销，原因会记入审计日志", field=f"{what}原因")
    if len(text) > REASON_MAX:
        raise ServiceError(
            f"{what}原因过长（{len(text)} 字），最多 {REASON_MAX} 字，请精简后再试", field=f"{what}原因"
        )
    return text


def _label(status: str) -> str:
    return STATUS_LABELS.get(status, status)


def discard_draft(ctx: AppContext, *, declaration_id: int, reason: str, on: date | None = None) -> None:
    """作废 a draft (状态“已作废”): kept, never deleted, hidden from the default list. Refused
    (Chinese message) without a reason or for a declaration that is not a draft."""
    text = _reason(reason, "作废")
    day = on or date.today()
    with unit_of_work(ctx, DISCARD_ACTION) as session:
        decl = _get(session, declaration_id)
        if decl.status != DRAFT:
            raise ServiceError(
                f"第 {declaration_id} 号申报书{_label(decl.status)}，只有草稿可以作废"
                + ("；已提交的申报书请用“撤回”" if decl.status == SUBMITTED else ""),
                field="申报书",
            )
        _retire_center(session, decl, day, f"第 {declaration_id} 号申报书草稿已作废：{text}", refuse=False)
        change_declaration_status(session, decl, DISCARDED, reason=text)


def withdraw_declaration(
    ctx: AppContext, *, declaration_id: int, reason: str, on: date | None = None
) -> None:
    """撤回 a submitted declaration (状态“已撤回”), with its centre (see the module docstring).
    Refused (Chinese message) without a reason, for a declaration that is not 已提交, or once its
    centre is in review."""
    text = _reason(reason, "撤回")
    day = on or date.today()
    with unit_of_work(ctx, WITHDRAW_ACTION) as session:
        decl = _get(session, declaration_id)
        if decl.status != SUBMITTED:
            raise ServiceError(
                f"第 {declaration_id} 号申报书{_label(decl.status)}，只有已提交的申报书可以撤回"
                + ("；草稿请用“作废”" if decl.status == DRAFT else ""),
                field="申报书",
            )
        _retire_center(session, decl, day, f"第 {declaration_id} 号申报书已撤回：{text}", refuse=True)
        change_declaration_status(session, decl, WITHDRAWN, reason=text)


def _retire_center(session: Session, decl: Declaration, day: date, reason: str, *, refuse: bool) -> None:
    """Move the declaration's centre to 已撤回 when it is this declaration's alone and still in
    草稿 or 已提交; with ``refuse``, a centre already in review refuses the whole operation."""
    if decl.center_id is None:
        return
    center = session.get(Center, decl.center_id)
    if center is None:
        return
    others = session.execute(
        select(Declaration.id).where(
            col(Declaration.center_id) == center.id,
            col(Declaration.id) != decl.id,
            col(Declaration.status).not_in(CLOSED_STATUSES),
        )
    ).first()
    if others is not None:
        return  # another declaration still carries the centre: it stays as it is
    if center.state not in _RETIRABLE:
        if refuse:
            raise ServiceError(
                f"第 {decl.id} 号申报书的中心“{center.name_zh}”已处于“{lifecycle.label(center.state)}”"
                "状态，评审已经开始，不能再撤回申报书；请在“中心”页按认定程序办理",
                field="申报书",
            )
        return
    apply_state_change(
        session,
        center,
        to_state=lifecycle.CenterState.WITHDRAWN.value,
        on=max(day, center.state_since),
        reason=reason,
    )


def reasons(session: Session, declaration_ids: Iterable[int]) -> dict[int, str]:
    """The reason each of ``declaration_ids`` was last 作废 or 撤回 (from its audit entry); ids
    without one are left out."""
    wanted = {str(i) for i in declaration_ids}
    if not wanted:
        return {}
    rows = session.execute(
        select(AuditEntry.entity_id, AuditEntry.after)
        .where(
            col(AuditEntry.entity) == "declaration",
            col(AuditEntry.action).in_((DISCARD_ACTION, WITHDRAW_ACTION)),
            col(AuditEntry.entity_id).in_(wanted),
        )
        .order_by(col(AuditEntry.id))
    ).all()
    found: dict[int, str] = {}
    for entity_id, after in rows:
        try:
            value = json.loads(after or "{}").get("reason")
        except (ValueError, AttributeError):
            continue
        if isinstance(value, str) and value:
            found[int(entity_id)] = value
    return found
