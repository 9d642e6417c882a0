"""What the committee services share: the ids of registered people inside a loaded value, the
result types, and reading the centre with its host and co-building units (inside a session)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from lzcenter_desktop.domain.committees import unit_key
from lzcenter_desktop.domain.model import PersonCategory, Unit, UnitConfirmation
from lzcenter_desktop.services import organizations
from lzcenter_desktop.services.errors import NotFound, ServiceError
from lzcenter_desktop.storage.models import Center, CenterParty, CommitteeMeeting, Organization

ACTIVE = "active"
RETIRED = "retired"
MANAGEMENT = "management"
EXPERT = "expert"
DIRECTOR_RETIRED = "retired"
DIRECTOR_TERM_YEARS = 3
KEY_PREFIX = "#"


def person_key(person_id: int) -> str:
    """The id of a registered person inside a loaded :class:`Committees`."""
    return f"{KEY_PREFIX}{person_id}"


def person_db_id(key: str) -> int | None:
    """The registry id behind ``#<id>``; ``None`` for a person not saved yet."""
    if key.startswith(KEY_PREFIX) and key[1:].isdigit():
        return int(key[1:])
    return None


@dataclass(frozen=True, slots=True)
class CommitteeCentre:
    """A centre whose committees can be kept (it has a recognition date)."""

    id: int
    name: str
    recognized_on: date


@dataclass(frozen=True, slots=True)
class OrganizationChoice:
    id: int
    name: str
    credit_code: str | None


@dataclass(frozen=True, slots=True)
class ImportSummary:
    people_created: int
    people_matched: int


def _centre(session: Session, center_id: int) -> Center:
    center = session.get(Center, center_id)
    if center is None:
        raise NotFound(f"找不到编号为 {center_id} 的中心", field="中心")
    if center.recognized_on is None:
        raise ServiceError(f"中心“{center.name_zh}”尚未认定，没有可维护的委员会记录", field="中心")
    return center


def _unit_orgs(session: Session, center: Center) -> tuple[Organization, list[Organization]]:
    """The centre's host and its co-building units (in order)."""
    host = session.get(Organization, center.host_id)
    assert host is not None
    parties = session.execute(
        select(CenterParty, Organization)
        .join(Organization, col(Organization.id) == col(CenterParty.organization_id))
        .where(
            col(CenterParty.center_id) == center.id,
            col(CenterParty.role) == "co_builder",
            col(CenterParty.left_on).is_(None),
        )
        .order_by(col(CenterParty.position), col(CenterParty.id))
    ).all()
    return host, [o for _p, o in parties]


def _units(session: Session, center: Center) -> tuple[Unit, tuple[Unit, ...]]:
    host, co_builders = _unit_orgs(session, center)
    return Unit(host.name, host.credit_code), tuple(Unit(o.name, o.credit_code) for o in co_builders)


def _confirmations(session: Session, center: Center) -> tuple[UnitConfirmation, ...]:
    """The clerk's answers on units that are (or are not) part of the centre's host or co-builders."""
    host, co_builders = _unit_orgs(session, center)
    ids = [o.id for o in (host, *co_builders) if o.id is not None]
    return tuple(
        UnitConfirmation(a.unit_name, o.name, a.belongs)
        for a, o in organizations.unit_affiliations(session, ids)
    )


def _meeting_query(center_id: int, committee: str, term_id: int | None) -> SelectOfScalar[CommitteeMeeting]:
    """The centre's meetings of ``committee`` (of one expert term) that are not retired."""
    stmt = select(CommitteeMeeting).where(
        col(CommitteeMeeting.center_id) == center_id,
        col(CommitteeMeeting.committee) == committee,
        col(CommitteeMeeting.status) == ACTIVE,
    )
    if term_id is not None:
        stmt = stmt.where(col(CommitteeMeeting.term_id) == term_id)
    return stmt


def _same_unit(name: str, code: str | None, unit: Unit) -> bool:
    if code and unit.credit_code:
        return code.strip().upper() == unit.credit_code.strip().upper()
    return bool(unit_key(name)) and unit_key(name) == unit_key(unit.name)


def _derived_category(name: str, code: str | None, host: Unit, co_builders: tuple[Unit, ...]) -> str:
    if _same_unit(name, code, host):
        return PersonCategory.HOST.value
    if any(_same_unit(name, code, u) for u in co_builders):
        return PersonCategory.CO_BUILDER.value
    return PersonCategory.OTHER.value
