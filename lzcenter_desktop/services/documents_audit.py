"""Every document made from the database is a record: one audit entry per document (entity
:data:`AUDIT_ENTITY`, operation ``issue``) in one unit of work; a document whose entry cannot be
written is removed again.  Part of :mod:`lzcenter_desktop.services.documents`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final

from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.uow import record_event, unit_of_work

#: The audit trail's ``entity`` of a generated document (operation ``issue``).
AUDIT_ENTITY: Final = "document"
AUDIT_OPERATION: Final = "issue"


def record_documents(
    ctx: AppContext, action: str, entries: Sequence[tuple[str, Mapping[str, Any]]], written: Sequence[Path]
) -> None:
    """One audit entry per document (entity :data:`AUDIT_ENTITY`, operation ``issue``) in one unit
    of work.  A document without its record is not kept: if the entries cannot be written, the
    files just written are removed and the error is raised."""
    try:
        with unit_of_work(ctx, action) as session:
            for entity_id, details in entries:
                record_event(
                    session,
                    operation=AUDIT_OPERATION,
                    entity=AUDIT_ENTITY,
                    entity_id=entity_id,
                    details=details,
                )
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
