"""Reading the audit trail in tests."""

from __future__ import annotations

from sqlmodel import col, select

from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.storage.models import AuditEntry


def newest_entry(ctx: AppContext, entity: str, entity_id: object) -> AuditEntry | None:
    """The newest audit entry of one record (``None`` when it has none)."""
    with ctx.db.session() as s:
        return (
            s.execute(
                select(AuditEntry)
                .where(col(AuditEntry.entity) == entity, col(AuditEntry.entity_id) == str(entity_id))
                .order_by(col(AuditEntry.id).desc())
            )
            .scalars()
            .first()
        )
