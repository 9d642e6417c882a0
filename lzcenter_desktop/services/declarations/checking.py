"""Checks of a stored or in-memory declaration that need the database, all as
:class:`~lzcenter_desktop.domain.violations.Violation`.

The checks themselves are pure and live in :mod:`lzcenter_desktop.domain.draft_checks` (required
fields ``FORM``, shape ``FORMAT``, the rule engine, the running staff totals, the ``DUP`` warning);
this module looks up what they need — the rule set of the call year, the other declarations of the
year naming the same host credit code (``DUP``), what the bureau's own records know of a revoked
centre of the host (D25) — and calls them. The pure functions are re-exported here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlmodel import Session, col, select

from lzcenter_desktop.domain.draft_checks import RecordedRevocation as RecordedRevocation
from lzcenter_desktop.domain.draft_checks import check_document as check_document
from lzcenter_desktop.domain.draft_checks import duplicate_host_violations as duplicate_host_violations
from lzcenter_desktop.domain.draft_checks import name_key as name_key
from lzcenter_desktop.domain.draft_checks import required_field_violations as required_field_violations
from lzcenter_desktop.domain.draft_checks import staff_totals as staff_totals
from lzcenter_desktop.domain.formdef import get_path
from lzcenter_desktop.domain.violations import Violation
from lzcenter_desktop.services import rulesets
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.declarations.base import (
    CLOSED_STATUSES,
    CheckResult,
    host_code,
    load_declaration_form,
)
from lzcenter_desktop.services.declarations.stored import _call_year, _get, stored_document
from lzcenter_desktop.services.uow import reading
from lzcenter_desktop.storage.models import Center, CenterStateChange, Declaration, Organization


def find_recorded_revocation(session: Session, document: Mapping[str, Any]) -> RecordedRevocation | None:
    """The latest revocation of a centre hosted by the declaring organization: the organization with
    the host's credit code, and any registered under the same (normalised) name — the same unit
    registered twice, or by name only before its code was known."""
    code = host_code(document)
    key = name_key(get_path(document, "host.name"))
    if not code and not key:
        return None
    org_ids: set[int] = set()
    if code:
        org_ids.update(
            session.execute(
                select(col(Organization.id)).where(col(Organization.credit_code) == code)
            ).scalars()
        )
    if key:
        first = key[:1]
        candidates = session.execute(
            select(col(Organization.id), col(Organization.name)).where(col(Organization.name).contains(first))
        ).all()
        org_ids.update(oid for oid, oname in candidates if name_key(oname) == key)
    if not org_ids:
        return None
    rows = session.execute(
        select(col(CenterStateChange.changed_on), col(CenterStateChange.document_no), col(Center.name_zh))
        .join(Center, col(Center.id) == col(CenterStateChange.center_id))
        .where(
            col(Center.host_id).in_(org_ids),
            col(CenterStateChange.to_state) == "revoked",
        )
        .order_by(col(CenterStateChange.changed_on).desc(), col(CenterStateChange.id).desc())
        .limit(1)
    ).first()
    if rows is None:
        return None
    return RecordedRevocation(revoked_on=rows[0], document_no=rows[1], center_name=rows[2])


def recorded_revocation(ctx: AppContext, *, document: Mapping[str, Any]) -> RecordedRevocation | None:
    """What the bureau's records know of a revoked centre of this document's host (D25), or None."""
    with reading(ctx) as session:
        return find_recorded_revocation(session, document)


def _duplicates(session: Session, decl: Declaration, document: Mapping[str, Any]) -> list[Violation]:
    code = host_code(document)
    if not code:
        return []
    others = session.execute(
        select(Declaration).where(
            col(Declaration.call_id) == decl.call_id,
            col(Declaration.id) != decl.id,
            col(Declaration.status).not_in(CLOSED_STATUSES),
        )
    ).scalars()
    clash = [
        other.id
        for other in others
        if other.id is not None and host_code(stored_document(session, other)) == code
    ]
    return duplicate_host_violations(document, code, clash)


def check_declaration_draft(ctx: AppContext, *, declaration_id: int) -> CheckResult:
    """Every violation of the stored declaration, with the rule set of its call year."""
    with reading(ctx) as session:
        decl = _get(session, declaration_id)
        document = stored_document(session, decl)
        year = _call_year(session, decl)
        duplicates = _duplicates(session, decl, document)
        revocation = find_recorded_revocation(session, document)
    return CheckResult(check_data(ctx, document, call_year=year, revocation=revocation) + duplicates)


def check_data(
    ctx: AppContext,
    document: Mapping[str, Any],
    *,
    call_year: int,
    revocation: RecordedRevocation | None = None,
) -> list[Violation]:
    """Check an in-memory draft (the wizard, as the clerk types) against the rules of ``call_year``."""
    form = load_declaration_form(call_year)
    settings = rulesets.settings_for_year(ctx, call_year)
    return check_document(document, form=form, settings=settings, revocation=revocation)


def duplicate_violations(
    ctx: AppContext, *, declaration_id: int, document: Mapping[str, Any]
) -> list[Violation]:
    with reading(ctx) as session:
        return _duplicates(session, _get(session, declaration_id), document)
