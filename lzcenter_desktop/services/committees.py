"""A centre's director history, management committee and expert guidance committee (第四章).

The editors work on the domain value :class:`~lzcenter_desktop.domain.model.Committees`:
:func:`load_committees` builds it from the database, the editors change it in memory (the rules
of M11–M16 are run on the unsaved value after every change), and :func:`save_committees` writes
the difference back in one transaction with its audit entries.  Nothing is deleted:

* a director entered by mistake is marked ``retired`` (``ended_on`` set);
* a management-committee member who leaves gets ``left_on``;
* an expert-committee member taken off a term keeps the row, ``status`` ``retired`` with
  ``retired_on``; the roster order is kept in ``position``;
* a meeting whose date or attendance changes is retired (``status``) and recorded again, so the
  old attendance stays in the record;
* the centre's people list (``center_person``: the ``people`` of the committees format, in order,
  with each person's category for this centre) keeps people who hold no role; a person taken off
  the list is retired there.

Person ids inside a loaded :class:`Committees` are ``#<person.id>``; a person the editor adds
gets any other id and is matched in (or added to) the people registry when saved.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from lzcenter_desktop.domain import interchange
from lzcenter_desktop.domain.committees import check_committees, unit_key
from lzcenter_desktop.domain.dates import term_last_day
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
    UnitConfirmation,
)
from lzcenter_desktop.domain.settings import RuleSettings
from lzcenter_desktop.domain.violations import Violation
from lzcenter_desktop.services import organizations
from lzcenter_desktop.services import people as people_service
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import NotFound, ServiceError
from lzcenter_desktop.services.organizations import add_organization
from lzcenter_desktop.services.uow import reading, unit_of_work
from lzcenter_desktop.storage.models import (
    Center,
    CenterParty,
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


# ------------------------------------------------------------------ reading


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


def unit_confirmations(ctx: AppContext, *, center_id: int) -> tuple[UnitConfirmation, ...]:
    """The clerk's answers on units that are (or are not) part of the centre's host or co-builders."""
    with reading(ctx) as session:
        return _confirmations(session, _centre(session, center_id))


def confirm_member_unit(
    ctx: AppContext, *, center_id: int, unit_name: str, of: str, belongs: bool
) -> tuple[UnitConfirmation, ...]:
    """Record once, in the organization registry, whether the unit ``unit_name`` (a member's 工作单位)
    is part of ``of`` — the centre's host or one of its co-building units, by name. Audited; every
    centre of that organization follows the answer. Returns the centre's answers now."""
    verdict = "属于" if belongs else "不属于"
    action = f"committees.confirm_member_unit：“{(unit_name or '').strip()}”{verdict}“{of}”"
    with unit_of_work(ctx, action[:100]) as session:
        center = _centre(session, center_id)
        host, co_builders = _unit_orgs(session, center)
        org = next((o for o in (host, *co_builders) if unit_key(o.name) == unit_key(of)), None)
        if org is None or org.id is None:
            raise ServiceError(
                f"“{of}”不是中心“{center.name_zh}”的依托单位或共建单位，无法确认", field="依托单位"
            )
        organizations.set_unit_affiliation(
            session, organization_id=org.id, unit_name=unit_name, belongs=belongs, on=date.today()
        )
        return _confirmations(session, center)


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
        for r in rows:
            ids.append(r.person_id)
            categories[r.person_id] = r.category
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


# ------------------------------------------------------------------ writing


def validate_committees(c: Committees) -> None:
    """The structural checks of the interchange format on an edited value (Chinese ServiceError).

    Every id must name a person, a chair must be a member of the term, no one twice on a list,
    terms in order, a term's end not before its start, months worked 0–12.
    """
    try:
        interchange.parse_committees(interchange.committees_to_json(c))
    except interchange.FormatError as exc:
        raise ServiceError(_format_message(exc, c), field=exc.path) from exc


_PATH_LABELS = (
    ("expert_committee_terms", "专家指导委员会"),
    ("management_committee", "管理委员会"),
    ("directors", "中心主任"),
    ("people", "人员"),
)


def _format_message(exc: interchange.FormatError, c: Committees) -> str:
    where = re.sub(
        r"^expert_committee_terms\[(\d+)\]", lambda m: f"专家指导委员会第{int(m[1]) + 1}届", exc.path
    )
    where = re.sub(r"^directors\[(\d+)\]", lambda m: f"第{int(m[1]) + 1}任中心主任", where)
    for key, label in _PATH_LABELS:
        if where.startswith(key):
            where = label + where[len(key) :]
            break
    detail = exc.detail
    for p in c.people:
        for quoted in (f"“{p.id}”", f'"{p.id}"', f"'{p.id}'"):
            detail = detail.replace(f" {quoted} ", f"“{p.name}”").replace(quoted, f"“{p.name}”")
    return f"{where}：{detail}"


def save_committees(ctx: AppContext, *, center_id: int, committees: Committees, reason: str) -> None:
    """Write the edited directors and committees of a centre back, in one audited transaction."""
    if not reason or not reason.strip():
        raise ServiceError("请填写本次修改的原因", field="修改原因")
    validate_committees(committees)
    with unit_of_work(ctx, f"committees.save_committees：{reason.strip()}"[:100]) as session:
        center = _centre(session, center_id)
        held = _referenced(committees)
        listed = {r.person_id for r in _listed(session, center_id)}
        # the centre's list keeps its people (with or without a role); a person added in the
        # editor and dropped again, who holds no role, is neither registered nor listed
        wanted = [p for p in committees.people if p.id in held or person_db_id(p.id) in listed]
        keys, _created, _matched = _resolve_people(session, wanted, trust_keys=True)
        _write(session, center, committees, wanted, keys, today=date.today(), joined_on=date.today())


def _resolve_people(
    session: Session, people: Sequence[Person], *, trust_keys: bool
) -> tuple[dict[str, int], int, int]:
    """Map each person of the value to a registry id (found, updated or created)."""
    keys: dict[str, int] = {}
    created = matched = 0
    for p in people:
        org_id, org_name = _organization_of(session, p)
        pid = person_db_id(p.id) if trust_keys else None
        if pid is not None:
            row = session.get(PersonRow, pid)
            if row is None or row.status == people_service.MERGED:
                raise ServiceError(f"人员“{p.name}”（编号 {pid}）不存在或已被合并，请重新选择", field="人员")
            row.name = people_service.check_name(p.name)
            if row.birth_date != p.birth_date:
                people_service.check_id_number(row.id_number, p.birth_date)
                row.birth_date = p.birth_date
            if (row.organization_id, row.organization_name) != (org_id, org_name):
                row.organization_id, row.organization_name = org_id, org_name
            if row.category is None:
                row.category = p.category.value
            session.add(row)
            keys[p.id] = pid
            matched += 1
            continue
        row, was_created = people_service.find_or_create_person(
            session, name=p.name, birth_date=p.birth_date, organization_id=org_id, organization_name=org_name
        )
        assert row.id is not None
        if row.category is None:  # the registry keeps the category first given
            row.category = p.category.value
            session.add(row)
        keys[p.id] = row.id
        created += was_created
        matched += not was_created
    session.flush()
    return keys, created, matched


def _organization_of(session: Session, p: Person) -> tuple[int | None, str | None]:
    """A credit code links the registered organization (registered now if unknown); a name alone
    is kept as written."""
    name = p.organization.strip() or None
    if not p.organization_credit_code:
        return None, name
    code = p.organization_credit_code.strip().upper()
    org = session.execute(
        select(Organization).where(col(Organization.credit_code) == code)
    ).scalar_one_or_none()
    if org is None:
        if name is None:
            raise ServiceError(f"人员“{p.name}”的工作单位缺少名称", field="工作单位")
        org = add_organization(session, name=name, kind="other", credit_code=code)
    assert org.id is not None
    return org.id, (None if name == org.name else name)


def _write(
    session: Session,
    center: Center,
    c: Committees,
    people: Sequence[Person],
    keys: Mapping[str, int],
    *,
    today: date,
    joined_on: date | None,
) -> None:
    assert center.id is not None
    _write_people_list(session, center.id, people, keys, today)
    _write_directors(session, center.id, c.directors, keys, today)
    _write_management(session, center.id, c.management_committee, keys, joined_on=joined_on, today=today)
    _write_terms(session, center.id, c, keys, today)
    session.flush()


def _needs_positions(current: Sequence[tuple[int, int, int]], wanted: Sequence[int]) -> bool:
    """Whether the rows (person id, position, row id) not retired, ordered by (position, row id),
    are in another order than ``wanted`` — only then are the positions written."""
    return [pid for pid, _pos, _id in sorted(current, key=lambda r: (r[1], r[2]))] != list(wanted)


def _write_people_list(
    session: Session, center_id: int, people: Sequence[Person], keys: Mapping[str, int], today: date
) -> None:
    """The centre's people list becomes ``people`` (in order, with their categories)."""
    rows = {
        r.person_id: r
        for r in session.execute(
            select(CenterPerson).where(col(CenterPerson.center_id) == center_id)
        ).scalars()
    }
    wanted: dict[int, str] = {}
    for p in people:  # two entries found to be one registered person: the first one counts
        wanted.setdefault(keys[p.id], p.category.value)
    current = [(pid, r.position, r.id or 0) for pid, r in rows.items() if r.status == ACTIVE]
    renumber = _needs_positions(current, list(wanted))
    for position, (pid, category) in enumerate(wanted.items()):
        row = rows.get(pid)
        if row is None:
            session.add(
                CenterPerson.model_validate(
                    {"center_id": center_id, "person_id": pid, "category": category, "position": position}
                )
            )
            continue
        changed = False
        if (row.status, row.retired_on) != (ACTIVE, None):
            row.status, row.retired_on, changed = ACTIVE, None, True
        if row.category != category:
            row.category, changed = category, True
        if renumber and row.position != position:
            row.position, changed = position, True
        if changed:
            session.add(row)
    for pid, row in rows.items():
        if pid not in wanted and row.status != RETIRED:
            row.status, row.retired_on = RETIRED, today
            session.add(row)


def _write_directors(
    session: Session, center_id: int, directors: Iterable[Director], keys: Mapping[str, int], today: date
) -> None:
    existing: dict[tuple[int, date], DirectorAppointment] = {}
    for row in session.execute(
        select(DirectorAppointment)
        .where(
            col(DirectorAppointment.center_id) == center_id,
            col(DirectorAppointment.status) != DIRECTOR_RETIRED,
        )
        .order_by(col(DirectorAppointment.id))
    ).scalars():
        existing.setdefault((row.person_id, row.appointed_on), row)
    ordered = sorted(directors, key=lambda d: d.appointed)
    for n, d in enumerate(ordered):
        successor = ordered[n + 1] if n + 1 < len(ordered) else None
        row = existing.pop((keys[d.person], d.appointed), None)
        if row is None:
            row = DirectorAppointment.model_validate(
                {"center_id": center_id, "person_id": keys[d.person], "appointed_on": d.appointed}
            )
        row.filed_on = d.filed
        row.term_ends_on = term_last_day(d.appointed, DIRECTOR_TERM_YEARS)
        if successor is not None:
            row.ended_on = successor.appointed - timedelta(days=1)  # the last day in office
            row.status = "ended"
        else:
            row.ended_on = None
            row.status = "active"
        session.add(row)
        session.flush()
        _write_months(session, row, d)
    for row in existing.values():
        row.status = DIRECTOR_RETIRED
        row.ended_on = row.ended_on or row.appointed_on
        session.add(row)


def _write_months(session: Session, appt: DirectorAppointment, d: Director) -> None:
    rows = {
        r.year: r
        for r in session.execute(
            select(DirectorWorkMonths).where(col(DirectorWorkMonths.appointment_id) == appt.id)
        ).scalars()
    }
    wanted = dict(d.months_worked)
    for year in sorted(set(rows) - set(wanted)):
        raise ServiceError(
            f"已填报的中心主任 {year} 年工作月数（{rows[year].months}个月）不能删除，只能更正",
            field="工作月数",
        )
    for year, months in d.months_worked:
        row = rows.get(year)
        if row is None:
            assert appt.id is not None
            session.add(
                DirectorWorkMonths.model_validate({"appointment_id": appt.id, "year": year, "months": months})
            )
        elif row.months != months:
            row.months = months
            session.add(row)


def _write_management(
    session: Session,
    center_id: int,
    mc: ManagementCommittee | None,
    keys: Mapping[str, int],
    *,
    joined_on: date | None,
    today: date,
) -> None:
    current = {
        r.person_id: r
        for r in session.execute(
            select(ManagementCommitteeMember).where(
                col(ManagementCommitteeMember.center_id) == center_id,
                col(ManagementCommitteeMember.left_on).is_(None),
            )
        ).scalars()
    }
    wanted = [keys[p] for p in mc.members] if mc else []
    for pid in wanted:
        if pid in current:
            current.pop(pid)
            continue
        person = session.get(PersonRow, pid)
        session.add(
            ManagementCommitteeMember.model_validate(
                {
                    "center_id": center_id,
                    "person_id": pid,
                    "organization_id": person.organization_id if person else None,
                    "joined_on": joined_on,
                }
            )
        )
    for row in current.values():
        row.left_on = today
        session.add(row)
    _write_meetings(session, center_id, MANAGEMENT, None, mc.meetings if mc else (), keys)


def _write_meetings(
    session: Session,
    center_id: int,
    committee: str,
    term_id: int | None,
    meetings: Iterable[Meeting],
    keys: Mapping[str, int],
) -> None:
    stmt = _meeting_query(center_id, committee, term_id)
    existing: list[tuple[tuple[date, tuple[int, ...]], CommitteeMeeting]] = []
    for row in session.execute(stmt.order_by(col(CommitteeMeeting.id))).scalars():
        attendees = tuple(
            session.execute(
                select(MeetingAttendance.person_id)
                .where(col(MeetingAttendance.meeting_id) == row.id)
                .order_by(col(MeetingAttendance.id))
            ).scalars()
        )
        existing.append(((row.held_on, attendees), row))
    for m in meetings:
        key = (m.date, tuple(keys[a] for a in m.attendees))
        hit = next((i for i, (k, _r) in enumerate(existing) if k == key), None)
        if hit is not None:
            existing.pop(hit)
            continue
        row = CommitteeMeeting.model_validate(
            {"center_id": center_id, "committee": committee, "term_id": term_id, "held_on": m.date}
        )
        session.add(row)
        session.flush()
        for pid in key[1]:
            session.add(MeetingAttendance.model_validate({"meeting_id": row.id, "person_id": pid}))
    for _k, row in existing:  # changed or removed: the old record is kept, marked retired
        row.status = RETIRED
        session.add(row)


def _write_terms(
    session: Session, center_id: int, c: Committees, keys: Mapping[str, int], today: date
) -> None:
    existing = {
        r.term_no: r
        for r in session.execute(
            select(ExpertCommitteeTerm).where(col(ExpertCommitteeTerm.center_id) == center_id)
        ).scalars()
    }
    extra = sorted(n for n in existing if n > len(c.expert_committee_terms))
    if extra:
        raise ServiceError(
            f"专家指导委员会第{extra[0]}届已保存，不能删除；如有错误请更正该届的日期和名单",
            field="专家指导委员会",
        )
    categories = {p.id: p.category.value for p in c.people}
    for n, term in enumerate(c.expert_committee_terms, start=1):
        row = existing.get(n)
        if row is None:
            row = ExpertCommitteeTerm.model_validate(
                {"center_id": center_id, "term_no": n, "starts_on": term.start, "ends_on": term.end}
            )
        row.starts_on, row.ends_on = term.start, term.end
        row.chair_person_id = keys[term.chair]
        row.filed_on = term.filed
        session.add(row)
        session.flush()
        assert row.id is not None
        _write_members(session, row.id, term, keys, categories, c, today)
        _write_meetings(session, center_id, EXPERT, row.id, term.meetings, keys)


def _write_members(
    session: Session,
    term_id: int,
    term: ExpertTerm,
    keys: Mapping[str, int],
    categories: Mapping[str, str],
    c: Committees,
    today: date,
) -> None:
    rows = {
        r.person_id: r
        for r in session.execute(
            select(ExpertCommitteeMember).where(col(ExpertCommitteeMember.term_id) == term_id)
        ).scalars()
    }
    wanted = {keys[m]: m for m in term.members}
    current = [(pid, r.position, r.id or 0) for pid, r in rows.items() if r.status == ACTIVE]
    renumber = _needs_positions(current, list(wanted))
    for position, (pid, member) in enumerate(wanted.items()):
        category = categories[member]
        org = c.person(member).organization or None
        row = rows.get(pid)
        if row is None:
            session.add(
                ExpertCommitteeMember.model_validate(
                    {
                        "term_id": term_id,
                        "person_id": pid,
                        "category": category,
                        "organization_name": org,
                        "position": position,
                    }
                )
            )
            continue
        changed = False
        if (row.status, row.retired_on) != (ACTIVE, None):  # back on the term
            row.status, row.retired_on, changed = ACTIVE, None, True
        if (row.category, row.organization_name) != (category, org):
            row.category, row.organization_name, changed = category, org, True
        if renumber and row.position != position:
            row.position, changed = position, True
        if changed:
            session.add(row)
    for pid, row in rows.items():
        if pid not in wanted and row.status != RETIRED:
            row.status, row.retired_on = RETIRED, today
            session.add(row)


# ------------------------------------------------------------------ interchange


def import_committees_json(ctx: AppContext, *, center_id: int, data: object) -> ImportSummary:
    """Import a ``lzcenter.committees/1`` document into the centre (it must be the same centre,
    host and co-building units); the centre's committee record becomes the file's, its people list
    included (people who hold no role too)."""
    try:
        c = interchange.parse_committees(data)
    except interchange.FormatError as exc:
        raise ServiceError(f"文件格式不正确：{exc.path}：{exc.detail}", field=exc.path) from exc
    with unit_of_work(ctx, "committees.import_committees_json") as session:
        center = _centre(session, center_id)
        _same_centre(session, center, c)
        keys, created, matched = _resolve_people(session, c.people, trust_keys=False)
        _write(session, center, c, c.people, keys, today=date.today(), joined_on=None)
        return ImportSummary(created, matched)


def _referenced(c: Committees) -> set[str]:
    ids = {d.person for d in c.directors}
    mc = c.management_committee
    if mc is not None:
        ids.update(mc.members)
        ids.update(a for m in mc.meetings for a in m.attendees)
    for t in c.expert_committee_terms:
        ids.add(t.chair)
        ids.update(t.members)
        ids.update(a for m in t.meetings for a in m.attendees)
    return ids


def _same_centre(session: Session, center: Center, c: Committees) -> None:
    if c.center.name_zh.strip() != center.name_zh:
        raise ServiceError(
            f"文件中的中心名称“{c.center.name_zh}”与所选中心“{center.name_zh}”不一致", field="center.name_zh"
        )
    if c.center.recognized != center.recognized_on:
        shown = center.recognized_on.isoformat() if center.recognized_on else "无"
        raise ServiceError(
            f"文件中的认定日期 {c.center.recognized.isoformat()} 与所选中心的认定日期 {shown} 不一致",
            field="center.recognized",
        )
    host, co_builders = _units(session, center)
    if not _same_unit(c.host.name, c.host.credit_code, host):
        raise ServiceError(
            f"文件中的依托单位“{c.host.name}”与所选中心的依托单位“{host.name}”不一致", field="host"
        )
    for i, unit in enumerate(c.co_builders):
        if not any(_same_unit(unit.name, unit.credit_code, u) for u in co_builders):
            raise ServiceError(
                f"文件中的共建单位“{unit.name}”不是所选中心的共建单位", field=f"co_builders[{i}]"
            )


def export_committees_json(ctx: AppContext, *, center_id: int) -> dict[str, object]:
    """The centre's record as a ``lzcenter.committees/1`` document (people numbered p1, p2, …)."""
    return interchange.committees_to_json(renumbered(load_committees(ctx, center_id=center_id)))


def renumbered(c: Committees) -> Committees:
    """``c`` with its people numbered ``p1``, ``p2``, … in order (for files)."""
    new = {p.id: f"p{n}" for n, p in enumerate(c.people, start=1)}

    def ids(values: Iterable[str]) -> tuple[str, ...]:
        return tuple(new[v] for v in values)

    def meetings(ms: Iterable[Meeting]) -> tuple[Meeting, ...]:
        return tuple(Meeting(m.date, ids(m.attendees)) for m in ms)

    mc = c.management_committee
    return replace(
        c,
        people=tuple(replace(p, id=new[p.id]) for p in c.people),
        directors=tuple(replace(d, person=new[d.person]) for d in c.directors),
        management_committee=None
        if mc is None
        else ManagementCommittee(ids(mc.members), meetings(mc.meetings)),
        expert_committee_terms=tuple(
            replace(t, chair=new[t.chair], members=ids(t.members), meetings=meetings(t.meetings))
            for t in c.expert_committee_terms
        ),
    )


def export_json_text(ctx: AppContext, *, center_id: int) -> str:
    import json

    return json.dumps(export_committees_json(ctx, center_id=center_id), ensure_ascii=False, indent=2) + "\n"


def parse_json_text(text: str) -> Any:
    """JSON text of a file to import; a Chinese error for text that is not JSON."""
    import json

    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ServiceError(
            f"文件不是有效的 JSON：第{exc.lineno}行第{exc.colno}列：{exc.msg}", field="文件"
        ) from exc
