"""A declaration's status changed by a decision (形式审查, 拟认定, 认定, 公示中撤回, 作废, 撤回).

One UPDATE of the status alone — the declaration's whole document is not copied into the audit
trail — that also raises the declaration's ``version`` by one (optimistic locking,
:mod:`lzcenter_desktop.services.versioning`): a clerk who opened the declaration before the decision
and saves afterwards is told it changed instead of writing over it. One compact audit entry says
the status and version before and after (and the reason, when the decision has one).
"""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import Session, col

from lzcenter_desktop.services.uow import record_change
from lzcenter_desktop.storage.models import Declaration


def change_declaration_status(
    session: Session, decl: Declaration, status: str, *, reason: str | None = None
) -> None:
    """Set ``decl``'s status to ``status`` in this unit of work (nothing happens when it already
    has it): the status and the version in one UPDATE, and its audit entry."""
    before = decl.status
    if before == status:
        return
    version = int(decl.version)
    session.execute(
        update(Declaration)
        .where(col(Declaration.id) == decl.id)
        .values(status=status, version=col(Declaration.version) + 1),
        execution_options={"synchronize_session": False},
    )
    session.expire(decl, ["status", "version"])
    after: dict[str, object] = {"status": status, "version": version + 1}
    if reason is not None:
        after["reason"] = reason
    record_change(
        session,
        entity="declaration",
        entity_id=str(decl.id),
        before={"status": before, "version": version},
        after=after,
    )
