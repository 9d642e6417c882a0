"""Reading a centre's committee record (第四章) as the domain value the rules and editors work on.

Person ids inside a loaded :class:`~lzcenter_desktop.domain.model.Committees` are ``#<person.id>``
(:func:`.base.person_key`). Every member of an expert term is loaded as a member from the term's
start unless its row has ``joined_on`` — the first day in office of a member who joined a running
term (届中增补), loaded into ``ExpertTerm.joined``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from sqlmodel import Session, col, select

from lzcenter_desktop.domain.committees import check_committees
from lzcenter_desktop.domain.model import (
    CommitteeCenter,
    Committees,
    Director,
    ExpertTerm,
    ManagementCommittee,
    Meeting,
    Person,
    PersonCategory,
    Unit,
)
from lzcenter_desktop.domain.settings import RuleSettings
from lzcenter_desktop.domain.violations import Violation
from lzcenter_desktop.services.committees.base import (
    ACTIVE,
    DIRECTOR_RETIRED,
    EXPERT,
    MANAGEMENT,
    CommitteeCentre,
    OrganizationChoice,
    _centre,
    _confirmations,
    _derived_category,
    _meeting_query,
    _units,
    person_db_id,
    person_key,
)
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.uow import reading
from lzcenter_desktop.storage.models import (
    Center,
    CenterPerson,
    CommitteeMeeting,
    DirectorAppointment,
    DirectorWorkMonths,
    ExpertCommitteeMember,
    ExpertCommitteeTerm,
    ManagementCommitteeMember,
    MeetingAttendance,
    Organization,
)
from lzcenter_desktop.storage.models import Person as PersonRow


def list_committee_centres(ctx: AppContext) -> list[CommitteeCentre]:
    """Centres with a recognition date, by name (only they have committees to keep)."""
    with reading(ctx) as session:
        rows = session.execute(
            select(Center).where(col(Center.recognized_on).is_not(None)).order_by(col(Center.name_zh))
        ).scalars()
        out = []
        for c in rows:
            assert c.id is not None and c.recognized_on is not None
            out.append(CommitteeCentre(c.id, c.name_zh, c.recognized_on))
        return out


def organization_choices(ctx: AppContext) -> list[OrganizationChoice]:
    """Registered organizations (active), for the organization picker."""
    with reading(ctx) as session:
        rows = session.execute(
            select(Organization).where(col(Organization.status) == "active").order_by(col(Organization.name))
        ).scalars()
        out = []
        for o in rows:
            assert o.id is not None
            out.append(OrganizationChoice(o.id, o.name, o.credit_code))
        return out


def load_committees(ctx: AppContext, *, center_id: int) -> Committees:
    """The centre's directors and committees as the domain value the rules and editors work on."""
    with reading(ctx) as session:
        return _load(session, center_id)


def check_centre_committees(
    ctx: AppContext, *, center_id: int, as_of: date, settings: RuleSettings | None = None
) -> list[Violation]:
    """M11–M16 on the saved record (settings of the year of ``as_of`` unless given)."""
    from lzcenter_desktop.services.rulesets import settings_for_year

    rules = settings if settings is not None else settings_for_year(ctx, as_of.year)
    return check_committees(load_committees(ctx, center_id=center_id), rules, as_of=as_of)


def _meetings(session: Session, center_id: int, committee: str, term_id: int | None) -> tuple[Meeting, ...]:
    stmt = _meeting_query(center_id, committee, term_id)
    rows = session.execute(stmt.order_by(col(CommitteeMeeting.held_on), col(CommitteeMeeting.id))).scalars()
    out = []
    for m in rows:
        attendees = session.execute(
            select(MeetingAttendance.person_id)
            .where(col(MeetingAttendance.meeting_id) == m.id)
            .order_by(col(MeetingAttendance.id))
        ).scalars()
        out.append(Meeting(m.held_on, tuple(person_key(pid) for pid in attendees)))
    return tuple(out)


def _load(session: Session, center_id: int) -> Committees:
    center = _centre(session, center_id)
    assert center.recognized_on is not None
    host, co_builders = _units(session, center)
    referenced: list[int] = []
    categories: dict[int, str] = {}

    directors: list[Director] = []
    for appt in session.execute(
        select(DirectorAppointment)
        .where(
            col(DirectorAppointment.center_id) == center_id,
            col(DirectorAppointment.status) != DIRECTOR_RETIRED,
        )
        .order_by(col(DirectorAppointment.appointed_on), col(DirectorAppointment.id))
    ).scalars():
        months = session.execute(
            select(DirectorWorkMonths)
            .where(col(DirectorWorkMonths.appointment_id) == appt.id)
            .order_by(col(DirectorWorkMonths.id))
        ).scalars()
        referenced.append(appt.person_id)
        directors.append(
            Director(
                person_key(appt.person_id),
                appt.appointed_on,
                appt.filed_on,
                tuple((m.year, m.months) for m in months),
            )
        )

    members = list(
        session.execute(
            select(ManagementCommitteeMember.person_id)
            .where(
                col(ManagementCommitteeMember.center_id) == center_id,
                col(ManagementCommitteeMember.left_on).is_(None),
            )
            .order_by(col(ManagementCommitteeMember.id))
        ).scalars()
    )
    mc_meetings = _meetings(session, center_id, MANAGEMENT, None)
    referenced += members
    management = (
        ManagementCommittee(tuple(person_key(p) for p in members), mc_meetings)
        if members or mc_meetings
        else None
    )

    terms: list[ExpertTerm] = []
    for term in session.execute(
        select(ExpertCommitteeTerm)
        .where(col(ExpertCommitteeTerm.center_id) == center_id)
        .order_by(col(ExpertCommitteeTerm.term_no))
    ).scalars():
        rows = session.execute(
            select(ExpertCommitteeMember)
            .where(col(ExpertCommitteeMember.term_id) == term.id, col(ExpertCommitteeMember.status) == ACTIVE)
            .order_by(col(ExpertCommitteeMember.position), col(ExpertCommitteeMember.id))
        ).scalars()
        ids: list[int] = []
        joined: list[tuple[str, date]] = []
        for r in rows:
            ids.append(r.person_id)
            categories[r.person_id] = r.category
            if r.joined_on is not None:
                joined.append((person_key(r.person_id), r.joined_on))
        chair = term.chair_person_id if term.chair_person_id is not None else (ids[0] if ids else None)
        if chair is None:
            raise ServiceError(f"专家指导委员会第{term.term_no}届没有主任，也没有委员", field="主任")
        assert term.id is not None
        referenced += [*ids, chair]
        terms.append(
            ExpertTerm(
                term.starts_on,
                term.ends_on,
                person_key(chair),
                tuple(person_key(p) for p in ids),
                term.filed_on,
                _meetings(session, center_id, EXPERT, term.id),
                joined=tuple(joined),
            )
        )
    for m in mc_meetings:
        referenced += [person_db_id(a) or 0 for a in m.attendees]
    for t in terms:
        for m in t.meetings:
            referenced += [person_db_id(a) or 0 for a in m.attendees]

    people = _people(session, center_id, referenced, categories, host, co_builders)
    return Committees(
        CommitteeCenter(center.name_zh, center.recognized_on),
        host,
        co_builders,
        people,
        tuple(directors),
        management,
        tuple(terms),
        _confirmations(session, center),
    )


def _listed(session: Session, center_id: int) -> list[CenterPerson]:
    """The centre's people list (rows not retired), in order."""
    return list(
        session.execute(
            select(CenterPerson)
            .where(col(CenterPerson.center_id) == center_id, col(CenterPerson.status) == ACTIVE)
            .order_by(col(CenterPerson.position), col(CenterPerson.id))
        ).scalars()
    )


def _people(
    session: Session,
    center_id: int,
    referenced: Iterable[int],
    roster_categories: Mapping[int, str],
    host: Unit,
    co_builders: tuple[Unit, ...],
) -> tuple[Person, ...]:
    """The centre's people list in order, then anyone the record names who is not on it (a record
    written before the list existed), by registry id.

    A person's category: the list's, else (not listed) the expert roster's, else the registry's,
    else the one that follows from the organization.
    """
    listed = _listed(session, center_id)
    categories = {r.person_id: r.category for r in listed}
    ids = [r.person_id for r in listed]
    ids += sorted(set(referenced) - set(ids) - {0})
    out: list[Person] = []
    for pid in ids:
        row = session.get(PersonRow, pid)
        assert row is not None
        org = session.get(Organization, row.organization_id) if row.organization_id else None
        name = row.organization_name or (org.name if org else "")
        code = org.credit_code if org else None
        category = categories.get(pid) or roster_categories.get(pid) or row.category
        if not category:
            category = _derived_category(name, code, host, co_builders)
        out.append(
            Person(
                id=person_key(pid),
                name=row.name,
                birth_date=row.birth_date or date(1900, 1, 1),
                organization=name,
                category=PersonCategory(category),
                organization_credit_code=code,
            )
        )
    return tuple(out)
