"""Reading the audit trail (审计日志)."""

from __future__ import annotations

from sqlmodel import col, select

from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.dto import AuditEntryView
from lzcenter_desktop.services.uow import reading
from lzcenter_desktop.storage.models import AuditEntry


def list_audit(
    ctx: AppContext, *, entity: str | None = None, entity_id: str | None = None, limit: int = 200
) -> list[AuditEntryView]:
    """The newest audit entries first; optionally of one table (``entity``) and row (``entity_id``)."""
    stmt = select(AuditEntry).order_by(col(AuditEntry.id).desc())
    if entity is not None:
        stmt = stmt.where(col(AuditEntry.entity) == entity)
    if entity_id is not None:
        stmt = stmt.where(col(AuditEntry.entity_id) == str(entity_id))
    stmt = stmt.limit(max(0, int(limit)))
    with reading(ctx) as session:
        return [
            AuditEntryView(
                at=e.at,
                operator=e.operator,
                action=e.action,
                entity=e.entity,
                entity_id=e.entity_id,
                before=e.before,
                after=e.after,
            )
            for e in session.execute(stmt).scalars()
        ]


def count_audit(ctx: AppContext) -> int:
    from sqlalchemy import func

    with reading(ctx) as session:
        return int(session.execute(select(func.count()).select_from(AuditEntry)).scalar_one())
