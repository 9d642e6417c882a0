"""Reasons given for accepting warnings (警告的确认理由).

The reason given for each warning is stored as soon as it is typed (``declaration_acknowledgement``,
one audited row; a changed or cleared reason retires the old row), shown again when the draft is
resumed, and carried into the submission (the centre's timeline entry).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from lzcenter_desktop.domain.draft_checks import rule_reference
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.declarations.drafts import _editable
from lzcenter_desktop.services.declarations.stored import _get
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.uow import audit_context, reading, unit_of_work
from lzcenter_desktop.storage.models import DeclarationAcknowledgement

_ACK_REASON_MAX = 200

_ACK_RULE_MAX = 30

_ACK_PATH_MAX = 200


@dataclass(frozen=True, slots=True)
class AcknowledgementView:
    rule: str
    path: str
    reason: str
    operator: str
    at: datetime
    status: str  # active / retired

    @property
    def key(self) -> str:
        return f"{self.rule}|{self.path}"


def _active_acks(session: Session, declaration_id: int) -> dict[str, DeclarationAcknowledgement]:
    rows = session.execute(
        select(DeclarationAcknowledgement)
        .where(
            col(DeclarationAcknowledgement.declaration_id) == declaration_id,
            col(DeclarationAcknowledgement.status) == "active",
        )
        .order_by(col(DeclarationAcknowledgement.id))
    ).scalars()
    return {f"{r.rule}|{r.path}": r for r in rows}


def _store_ack(session: Session, declaration_id: int, rule: str, path: str, reason: str) -> bool:
    """Record ``reason`` for warning ``rule`` at ``path``; True when something was written."""
    rule, path, text = rule.strip(), path.strip(), reason.strip()
    if not rule or len(rule) > _ACK_RULE_MAX:
        raise ServiceError(f"警告的规则编号“{rule}”无效（1—{_ACK_RULE_MAX} 个字符）", field="规则")
    if len(path) > _ACK_PATH_MAX:
        raise ServiceError(f"警告的位置过长（最多 {_ACK_PATH_MAX} 个字符）", field="位置")
    if len(text) > _ACK_REASON_MAX:
        raise ServiceError(
            f"“{rule_reference(rule)}”的确认理由过长（{len(text)} 字，最多 {_ACK_REASON_MAX} 字），请缩短",
            field="确认理由",
        )
    current = _active_acks(session, declaration_id).get(f"{rule}|{path}")
    if current is not None and current.reason == text:
        return False
    if current is None and not text:
        return False
    if current is not None:
        current.status = "retired"
        session.add(current)
    if text:
        session.add(
            DeclarationAcknowledgement.model_validate(
                {
                    "declaration_id": declaration_id,
                    "rule": rule,
                    "path": path,
                    "reason": text,
                    "operator": audit_context(session).operator,
                    "status": "active",
                }
            )
        )
    session.flush()
    return True


def set_acknowledgement(ctx: AppContext, *, declaration_id: int, rule: str, path: str, reason: str) -> None:
    """Store the reason for accepting warning ``rule`` at ``path`` of a draft (one audited transaction).

    A blank reason withdraws the acknowledgement; a changed one replaces it. The old row is retired,
    never overwritten or deleted. The same reason again writes nothing."""
    with unit_of_work(ctx, "declarations.set_acknowledgement") as session:
        _editable(session, declaration_id)
        _store_ack(session, declaration_id, rule, path, reason)


def list_acknowledgements(ctx: AppContext, *, declaration_id: int) -> dict[str, str]:
    """The active acknowledgements of a declaration: :func:`violation_key` → reason."""
    with reading(ctx) as session:
        _get(session, declaration_id)
        return {key: row.reason for key, row in _active_acks(session, declaration_id).items()}


def acknowledgement_history(ctx: AppContext, *, declaration_id: int) -> list[AcknowledgementView]:
    """Every acknowledgement of a declaration, retired ones included, oldest first."""
    with reading(ctx) as session:
        _get(session, declaration_id)
        rows = session.execute(
            select(DeclarationAcknowledgement)
            .where(col(DeclarationAcknowledgement.declaration_id) == declaration_id)
            .order_by(col(DeclarationAcknowledgement.id))
        ).scalars()
        return [AcknowledgementView(r.rule, r.path, r.reason, r.operator, r.at, r.status) for r in rows]
