"""Reading declarations for the screens and the CLI: one declaration, and the list with the error
and warning counts of each, when each was last changed, and why it was 作废 or 撤回.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from lzcenter_desktop.domain.formdef import FormDef, get_path
from lzcenter_desktop.domain.settings import RuleSettings
from lzcenter_desktop.domain.violations import Severity
from lzcenter_desktop.services import rulesets
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.declarations.base import (
    CLOSED_STATUSES,
    STATUS_LABELS,
    DeclarationRow,
    DeclarationView,
    _parse_iso,
    host_code,
    load_declaration_form,
)
from lzcenter_desktop.services.declarations.checking import check_document, duplicate_host_violations
from lzcenter_desktop.services.declarations.closing import reasons
from lzcenter_desktop.services.declarations.stored import _call_year, _get, stored_document
from lzcenter_desktop.services.uow import reading
from lzcenter_desktop.storage.models import AnnualCall, AuditEntry, Declaration


def get_declaration(ctx: AppContext, declaration_id: int) -> DeclarationView:
    with reading(ctx) as session:
        decl = _get(session, declaration_id)
        assert decl.id is not None
        return DeclarationView(
            id=decl.id,
            call_year=_call_year(session, decl),
            status=decl.status,
            data=stored_document(session, decl),
            submitted_on=decl.submitted_on,
            version=decl.version,
        )


def list_declarations(ctx: AppContext, *, call_year: int | None = None) -> list[DeclarationRow]:
    """All declarations (newest first; 已作废 ones too), with their error and warning counts, the
    time of their last change and the reason of a 作废 or 撤回."""
    with reading(ctx) as session:
        stmt = select(Declaration, AnnualCall).join(
            AnnualCall, col(AnnualCall.id) == col(Declaration.call_id)
        )
        if call_year is not None:
            stmt = stmt.where(col(AnnualCall.year) == call_year)
        stmt = stmt.order_by(col(Declaration.id).desc())
        found = [(d, c.year, stored_document(session, d)) for d, c in session.execute(stmt).all()]
        by_code: dict[tuple[int, str], list[int]] = {}
        for row, _, doc in found:
            if row.status not in CLOSED_STATUSES and host_code(doc) and row.id is not None:
                by_code.setdefault((row.call_id, host_code(doc)), []).append(row.id)
        dups = {
            row.id: duplicate_host_violations(
                doc,
                host_code(doc),
                [i for i in by_code.get((row.call_id, host_code(doc)), []) if i != row.id],
            )
            for row, _, doc in found
        }
        changed = _last_changes(session)
        why = reasons(session, [row.id for row, _, _ in found if row.status in CLOSED_STATUSES and row.id])
    out: list[DeclarationRow] = []
    cache: dict[int, tuple[FormDef, RuleSettings]] = {}
    for decl, year, doc in found:
        assert decl.id is not None
        if year not in cache:
            cache[year] = (load_declaration_form(year), rulesets.settings_for_year(ctx, year))
        form, settings = cache[year]
        violations = check_document(doc, form=form, settings=settings) + dups[decl.id]
        errors = sum(1 for v in violations if v.severity is Severity.ERROR)
        out.append(
            DeclarationRow(
                id=decl.id,
                call_year=year,
                center_name=str(get_path(doc, "center.name_zh") or ""),
                host_name=str(get_path(doc, "host.name") or ""),
                credit_code=host_code(doc),
                status=decl.status,
                status_label=STATUS_LABELS.get(decl.status, decl.status),
                application_date=_parse_iso(doc.get("application_date")),
                errors=errors,
                warnings=len(violations) - errors,
                updated_at=changed.get(decl.id, decl.created_at),
                status_reason=why.get(decl.id, ""),
            )
        )
    return out


def _last_changes(session: Session) -> dict[int, datetime]:
    """Declaration id → the time of its last audit entry. The trail is append-only, so the last
    entry is the one with the highest id: found in the ``(entity, entity_id)`` index alone (the row
    id is part of it), then only those entries are read."""
    latest = session.execute(
        select(AuditEntry.entity_id, func.max(AuditEntry.id))
        .where(col(AuditEntry.entity) == "declaration")
        .group_by(col(AuditEntry.entity_id))
    ).all()
    by_entry = {entry: entity_id for entity_id, entry in latest if entity_id.isdigit()}
    found: dict[int, datetime] = {}
    ids = list(by_entry)
    for start in range(0, len(ids), 500):  # SQLite's limit on bound parameters
        rows = session.execute(
            select(AuditEntry.id, AuditEntry.at).where(col(AuditEntry.id).in_(ids[start : start + 500]))
        ).all()
        for entry, at in rows:
            found[int(by_entry[entry])] = at
    return found
