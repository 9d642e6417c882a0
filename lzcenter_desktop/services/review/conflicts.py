"""回避 from the registry: the facts :mod:`lzcenter_desktop.domain.recusal` decides on, read inside
a session, and :func:`conflicts_of` for the screens.

The *same unit* of an organization is itself, any organization registered under the same
normalised name (the same unit registered twice, or by name before its credit code was known), and
the units the clerk confirmed to be part of it — or it part of them — in the registry
(``unit_affiliation``, :func:`lzcenter_desktop.services.organizations.confirm_unit`).

The declaration's host is its linked organization; its co-builders and joint applicants are read
from its document (the declaration of record, also after a correction), each linked to the
registered organization with its credit code when there is one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import Session, col, select

from lzcenter_desktop.domain.committees import unit_key
from lzcenter_desktop.domain.recusal import (
    AvoidEntry,
    Conflict,
    DeclarationFacts,
    ExpertFacts,
    Relation,
    RelationKind,
    Unit,
    find_conflicts,
)
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.declarations import stored_document
from lzcenter_desktop.services.errors import NotFound
from lzcenter_desktop.services.review.dto import ConflictView
from lzcenter_desktop.services.review.experts import orgs_named
from lzcenter_desktop.services.uow import reading
from lzcenter_desktop.storage.models import (
    Declaration,
    DeclarationAvoidExpert,
    Expert,
    ExpertRelation,
    Organization,
    Person,
    UnitAffiliation,
)


class Facts:
    """Reads and caches the facts of experts and declarations inside one session."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._families: dict[int, frozenset[int]] = {}
        self._experts: dict[int, ExpertFacts] = {}
        self._declarations: dict[int, DeclarationFacts] = {}

    # --- units ----------------------------------------------------------------------------------
    def family(self, org: Organization) -> frozenset[int]:
        """The ids of the registered organizations that are the same unit as ``org``."""
        assert org.id is not None
        if org.id in self._families:
            return self._families[org.id]
        ids = {org.id}
        ids.update(o.id for o in orgs_named(self.session, org.name) if o.id is not None)
        key = unit_key(org.name)
        # org is a confirmed part of another organization
        ids.update(
            self.session.execute(
                select(col(UnitAffiliation.organization_id)).where(
                    col(UnitAffiliation.unit_key) == key, col(UnitAffiliation.belongs).is_(True)
                )
            ).scalars()
        )
        # other organizations are confirmed parts of org
        for part in self.session.execute(
            select(col(UnitAffiliation.unit_name)).where(
                col(UnitAffiliation.organization_id) == org.id, col(UnitAffiliation.belongs).is_(True)
            )
        ).scalars():
            ids.update(o.id for o in orgs_named(self.session, part) if o.id is not None)
        family = frozenset(ids)
        self._families[org.id] = family
        return family

    def unit(self, org_id: int | None, name: str = "") -> Unit:
        org = self.session.get(Organization, org_id) if org_id is not None else None
        if org is None:
            return Unit(name=name)
        return Unit(name=org.name, id=org.id, same_ids=self.family(org))

    def unit_by_code(self, name: str, code: str) -> Unit:
        org = None
        if code.strip():
            org = self.session.execute(
                select(Organization).where(col(Organization.credit_code) == code.strip().upper())
            ).scalar_one_or_none()
        if org is None:
            named = orgs_named(self.session, name)
            org = named[0] if named else None
        if org is None:
            return Unit(name=name)
        return Unit(name=org.name, id=org.id, same_ids=self.family(org))

    # --- experts and declarations ---------------------------------------------------------------
    def expert(self, expert_id: int) -> ExpertFacts:
        if expert_id in self._experts:
            return self._experts[expert_id]
        expert = self.session.get(Expert, expert_id)
        if expert is None:
            raise NotFound(f"找不到编号为 {expert_id} 的专家", field="专家")
        person = self.session.get(Person, expert.person_id)
        assert person is not None
        unit = (
            self.unit(expert.organization_id)
            if expert.organization_id is not None
            else (Unit(name=person.organization_name) if person.organization_name else None)
        )
        relations = tuple(
            Relation(
                kind=RelationKind(r.kind),
                unit=self.unit(r.organization_id, r.organization_name),
                relative=r.relative,
                from_on=r.from_on,
                to_on=r.to_on,
                declared=r.source == "expert",
            )
            for r in self.session.execute(
                select(ExpertRelation)
                .where(col(ExpertRelation.expert_id) == expert_id, col(ExpertRelation.active).is_(True))
                .order_by(col(ExpertRelation.id))
            ).scalars()
        )
        facts = ExpertFacts(expert_id=expert_id, name=person.name, unit=unit, relations=relations)
        self._experts[expert_id] = facts
        return facts

    def declaration(self, declaration_id: int) -> DeclarationFacts:
        if declaration_id in self._declarations:
            return self._declarations[declaration_id]
        decl = self.session.get(Declaration, declaration_id)
        if decl is None:
            raise NotFound(f"找不到编号为 {declaration_id} 的申报书", field="申报书")
        doc = stored_document(self.session, decl)
        found = doc.get("host")
        host_doc: dict[str, Any] = found if isinstance(found, dict) else {}
        host_name = str(host_doc.get("name") or "")
        host = (
            self.unit(decl.host_id, host_name)
            if decl.host_id is not None
            else self.unit_by_code(host_name, str(host_doc.get("credit_code") or ""))
        )
        avoid = tuple(
            AvoidEntry(name=a.expert_name, expert_id=a.expert_id, unit=a.expert_unit, reason=a.reason)
            for a in self.session.execute(
                select(DeclarationAvoidExpert)
                .where(
                    col(DeclarationAvoidExpert.declaration_id) == declaration_id,
                    col(DeclarationAvoidExpert.active).is_(True),
                )
                .order_by(col(DeclarationAvoidExpert.id))
            ).scalars()
        )
        facts = DeclarationFacts(
            host=host,
            co_builders=self._parties(doc, "co_builders"),
            joint_applicants=self._parties(doc, "joint_applicants"),
            avoid_list=avoid,
        )
        self._declarations[declaration_id] = facts
        return facts

    def _parties(self, doc: dict[str, Any], key: str) -> tuple[Unit, ...]:
        rows = doc.get(key)
        if not isinstance(rows, list):
            return ()
        out = []
        for row in rows:
            if isinstance(row, dict) and str(row.get("name") or "").strip():
                out.append(self.unit_by_code(str(row["name"]), str(row.get("credit_code") or "")))
        return tuple(out)

    def conflicts(self, expert_id: int, declaration_id: int, on: dt.date) -> list[Conflict]:
        return find_conflicts(self.expert(expert_id), self.declaration(declaration_id), on)


def conflict_view(c: Conflict) -> ConflictView:
    return ConflictView(cause=c.cause.value, cause_label=c.cause.label, reason=c.reason, declared=c.declared)


def conflicts_of(ctx: AppContext, *, expert_id: int, declaration_id: int, on: dt.date) -> list[ConflictView]:
    """Every reason the expert must step aside from the declaration at a review held ``on``
    (empty when none)."""
    with reading(ctx) as session:
        return [conflict_view(c) for c in Facts(session).conflicts(expert_id, declaration_id, on)]
