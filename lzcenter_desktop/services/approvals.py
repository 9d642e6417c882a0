"""Four eyes (issue 15): a recognition or a revocation is proposed by one user and takes effect
only when a different user with the role 审核人 approves it — when sign-in is on. With sign-in off
(a single-user install) the services work as before.

The services call :func:`four_eyes` at the point of decision, inside their unit of work and after
their checks:

* by its proposer, it raises :class:`~lzcenter_desktop.services.permissions.ApprovalNeeded`: the
  unit of work is rolled back (nothing changes) and the proposal — the service call with its
  arguments — is recorded in ``approval_request`` (status ``pending``);
* :func:`approve` by a 审核人 who is not the proposer runs the same service call again; this time
  :func:`four_eyes` marks the request ``approved`` (by whom, when) in the same transaction as the
  recognition or revocation itself, so the two stand or fall together;
* :func:`return_request` (退回) closes a proposal without effect, with the 审核人's reason.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import importlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from lzcenter_desktop.domain.roles import Role, refusal
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import NotFound, ServiceError
from lzcenter_desktop.services.permissions import (
    ApprovalNeeded,
    PermissionRefused,
    current_role,
    sign_in_on,
)
from lzcenter_desktop.services.uow import audit_context, reading, unit_of_work
from lzcenter_desktop.storage.models import ApprovalRequest, utcnow

PENDING = "pending"
APPROVED = "approved"
RETURNED = "returned"
STATUS_LABELS = {PENDING: "待批准", APPROVED: "已批准", RETURNED: "已退回"}
NOTE_MAX = 500

#: kind → (label, module, service function) run again on approval with the recorded arguments.
KINDS: dict[str, tuple[str, str, str]] = {
    "recognition": ("发文认定", "lzcenter_desktop.services.review.recognition", "recognise_notice"),
    "centre_recognition": ("认定", "lzcenter_desktop.services.centers", "recognise"),
    "revocation": (
        "取消称号（评估结论）",
        "lzcenter_desktop.services.evaluation.consequences",
        "apply_consequence",
    ),
    "failed_acceptance": (
        "取消称号（整改验收未通过）",
        "lzcenter_desktop.services.evaluation.rectification",
        "record_acceptance",
    ),
}

_approving: contextvars.ContextVar[int | None] = contextvars.ContextVar("lz_approving", default=None)


def _encode(value: Any) -> Any:
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"$date"}:
        return dt.date.fromisoformat(value["$date"])
    return value


def four_eyes(session: Session, *, kind: str, subject: str, summary: str, params: dict[str, Any]) -> None:
    """At the point of decision of ``kind`` on ``subject`` (e.g. ``notice:3``): return to go on
    (sign-in off, or the approval of a pending proposal by another 审核人), else raise
    :class:`ApprovalNeeded` (the proposal, recorded by the unit of work)."""
    if kind not in KINDS:
        raise ValueError(f"unknown approval kind {kind!r}")
    if not sign_in_on(session):
        return
    operator = audit_context(session).operator
    pending = (
        session.execute(
            select(ApprovalRequest)
            .where(
                col(ApprovalRequest.kind) == kind,
                col(ApprovalRequest.subject) == subject,
                col(ApprovalRequest.status) == PENDING,
            )
            .order_by(col(ApprovalRequest.id))
        )
        .scalars()
        .first()
    )
    approving = _approving.get()
    if approving is not None:
        if pending is None or pending.id != approving:
            raise ServiceError("要批准的提议已不存在或已处理，请刷新待审批列表", field="审批")
        if pending.proposed_by == operator:
            raise PermissionRefused(
                "提议人不能批准自己的提议：须由另一位审核人批准（四眼原则）", field="审批"
            )
        pending.status = APPROVED
        pending.decided_by = operator
        pending.decided_at = utcnow()
        session.add(pending)
        session.flush()
        return
    if pending is not None:
        raise ServiceError(
            f"“{pending.summary}”已由 {pending.proposed_by} 提出，正等待审核人批准，不能重复提出",
            field="审批",
        )
    label = KINDS[kind][0]
    request = ApprovalRequest(
        kind=kind,
        subject=subject,
        summary=summary[:NOTE_MAX],
        params_json=json.dumps(
            {k: _encode(v) for k, v in params.items()}, ensure_ascii=False, sort_keys=True
        ),
        status=PENDING,
        proposed_by=operator,
    )
    raise ApprovalNeeded(
        f"已提交审批：{summary}。{label}须由另一位“审核人”批准后才生效，批准前不作任何更改。",
        request,
    )


@dataclass(frozen=True, slots=True)
class ApprovalView:
    request_id: int
    kind: str
    kind_label: str
    summary: str
    status: str
    status_label: str
    proposed_by: str
    proposed_at: dt.datetime
    decided_by: str | None
    decided_at: dt.datetime | None
    note: str | None


def _view(row: ApprovalRequest) -> ApprovalView:
    assert row.id is not None
    return ApprovalView(
        row.id,
        row.kind,
        KINDS[row.kind][0] if row.kind in KINDS else row.kind,
        row.summary,
        row.status,
        STATUS_LABELS.get(row.status, row.status),
        row.proposed_by,
        row.proposed_at,
        row.decided_by,
        row.decided_at,
        row.note,
    )


def list_requests(ctx: AppContext, *, pending_only: bool = True) -> list[ApprovalView]:
    with reading(ctx) as session:
        query = select(ApprovalRequest).order_by(col(ApprovalRequest.id))
        if pending_only:
            query = query.where(col(ApprovalRequest.status) == PENDING)
        return [_view(r) for r in session.execute(query).scalars()]


def _pending(session: Session, request_id: int) -> ApprovalRequest:
    row = session.get(ApprovalRequest, request_id)
    if row is None:
        raise NotFound(f"找不到编号为 {request_id} 的审批事项，请刷新待审批列表", field="审批")
    if row.status != PENDING:
        done = STATUS_LABELS.get(row.status, row.status)
        raise ServiceError(
            f"“{row.summary}”已由 {row.decided_by or '他人'} 处理（{done}），不能再次处理",
            field="审批",
        )
    return row


def _check_approver(session: Session, ctx: AppContext, row: ApprovalRequest, action: str) -> None:
    if not sign_in_on(session):
        raise ServiceError("未启用登录时不需要审批：认定和撤销由经办人直接办理", field="审批")
    message = refusal(current_role(session, ctx), action)
    if message is not None:
        raise PermissionRefused(message, field="权限")
    if row.proposed_by == ctx.operator and action == "approvals.approve":
        raise PermissionRefused(
            f"“{row.summary}”是您本人提出的，不能由您批准：须由另一位审核人批准（四眼原则）",
            field="审批",
        )


def approve(ctx: AppContext, request_id: int) -> object:
    """批准: run the proposed service call as the approving 审核人 (who must not be the proposer);
    it takes effect, and the request is marked approved, in one transaction. Returns what the
    service returns. When the service refuses now (things changed), the request stays pending."""
    with reading(ctx) as session:
        row = _pending(session, request_id)
        _check_approver(session, ctx, row, "approvals.approve")
        kind, params_json = row.kind, row.params_json
    if kind not in KINDS:
        raise ServiceError(f"无法识别的审批事项类型“{kind}”", field="审批")
    _label, module, name = KINDS[kind]
    service: Callable[..., object] = getattr(importlib.import_module(module), name)
    kwargs = {k: _decode(v) for k, v in json.loads(params_json).items()}
    token = _approving.set(request_id)
    try:
        return service(ctx, **kwargs)
    finally:
        _approving.reset(token)


def return_request(ctx: AppContext, request_id: int, *, note: str) -> None:
    """退回: the proposal is closed without effect, with the 审核人's reason."""
    cleaned = " ".join((note or "").split())
    if not cleaned:
        raise ServiceError("请填写退回理由", field="退回理由")
    if len(cleaned) > NOTE_MAX:
        raise ServiceError(f"退回理由过长（{len(cleaned)} 个字），最多 {NOTE_MAX} 个字", field="退回理由")
    with unit_of_work(ctx, "approvals.return") as session:
        row = _pending(session, request_id)
        _check_approver(session, ctx, row, "approvals.return")
        row.status = RETURNED
        row.decided_by = ctx.operator
        row.decided_at = utcnow()
        row.note = cleaned
        session.add(row)


def is_approver(ctx: AppContext) -> bool:
    return ctx.user is not None and ctx.user.role is Role.APPROVER
