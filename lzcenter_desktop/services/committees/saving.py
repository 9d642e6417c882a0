"""Saving an edited committee record: the difference is written back in one audited transaction.

Nothing is deleted:

* a director entered by mistake is marked ``retired`` (``ended_on`` set);
* a management-committee member who leaves gets ``left_on``;
* an expert-committee member taken off a term keeps the row, ``status`` ``retired`` with
  ``retired_on``; the roster order is kept in ``position``;
* a meeting whose date or attendance changes is retired (``status``) and recorded again, so the
  old attendance stays in the record;
* the centre's people list (``center_person``) keeps people who hold no role; a person taken off
  the list is retired there.

The first day in office of a member who joined a running term (``ExpertTerm.joined``) is checked
(:func:`validate_committees`) and written to ``expert_committee_member.joined_on``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta

from sqlmodel import Session, col, select

from lzcenter_desktop.domain import interchange
from lzcenter_desktop.domain.committees import join_date_problems
from lzcenter_desktop.domain.dates import term_last_day
from lzcenter_desktop.domain.model import (
    Committees,
    Director,
    ExpertTerm,
    ManagementCommittee,
    Meeting,
    Person,
)
from lzcenter_desktop.services.committees.base import (
    ACTIVE,
    DIRECTOR_RETIRED,
    DIRECTOR_TERM_YEARS,
    EXPERT,
    MANAGEMENT,
    RETIRED,
    _centre,
    _meeting_query,
    person_db_id,
)
from lzcenter_desktop.services.committees.reading import _listed
from lzcenter_desktop.services.committees.registry import _resolve_people
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.uow import audit_context, reading, unit_of_work
from lzcenter_desktop.services.versioning import bump, loaded_here, stale_record
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
)
from lzcenter_desktop.storage.models import Person as PersonRow


def validate_committees(c: Committees) -> None:
    """The structural checks of the interchange format on an edited value (Chinese ServiceError).

    Every id must name a person, a chair must be a member of the term, no one twice on a list,
    terms in order, a term's end not before its start, months worked 0–12; and a member's first day
    in office (届中增补) within the term.
    """
    try:
        interchange.parse_committees(interchange.committees_to_json(c))
    except interchange.FormatError as exc:
        raise ServiceError(_format_message(exc, c), field=exc.path) from exc
    problems = join_date_problems(c)
    if problems:
        path, message = problems[0]
        raise ServiceError(message, field=path)


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


def roster_version(ctx: AppContext, *, center_id: int) -> int:
    """The version of a centre's committee record as the editor loads it: the sum of the versions
    of its expert committee terms (0 without any). Every save raises it (each term by one, a new
    term starts at 1), so it is passed back to :func:`save_committees` as ``expected_version``."""
    with reading(ctx) as session:
        return sum(t.version for t in _terms(session, center_id))


def _terms(session: Session, center_id: int) -> list[ExpertCommitteeTerm]:
    return list(
        session.execute(
            select(ExpertCommitteeTerm)
            .where(col(ExpertCommitteeTerm.center_id) == center_id)
            .order_by(col(ExpertCommitteeTerm.term_no))
        ).scalars()
    )


def _check_roster(session: Session, center_id: int, expected_version: int | None) -> None:
    """Refuse a save made from an older roster (:class:`StaleRecord`) before anything is written."""
    terms = _terms(session, center_id)
    current = sum(t.version for t in terms)
    if expected_version is not None and current != expected_version:
        raise stale_record(
            session,
            entity="expert_committee_term",
            entity_id=[str(t.id) for t in terms],
            expected=expected_version,
            current=current,
        )


def _bump_roster(session: Session, center_id: int) -> None:
    """After a save that wrote something: raise every term's version by one (the mapper's
    ``WHERE version = …`` then also refuses a concurrent save of the same roster)."""
    for term in _terms(session, center_id):
        if loaded_here(term):  # a term added by this save starts at 1
            bump(term)
            session.add(term)
    session.flush()


def save_committees(
    ctx: AppContext,
    *,
    center_id: int,
    committees: Committees,
    reason: str,
    expected_version: int | None = None,
) -> None:
    """Write the edited directors and committees of a centre back, in one audited transaction.

    With ``expected_version`` (:func:`roster_version` when the editor loaded the centre) a roster
    saved by someone else in between is refused with
    :class:`~lzcenter_desktop.services.versioning.StaleRecord`; nothing is written then."""
    if not reason or not reason.strip():
        raise ServiceError("请填写本次修改的原因", field="修改原因")
    validate_committees(committees)
    with unit_of_work(ctx, f"committees.save_committees：{reason.strip()}"[:100]) as session:
        center = _centre(session, center_id)
        written = audit_context(session).entries
        held = _referenced(committees)
        listed = {r.person_id for r in _listed(session, center_id)}
        # the centre's list keeps its people (with or without a role); a person added in the
        # editor and dropped again, who holds no role, is neither registered nor listed
        wanted = [p for p in committees.people if p.id in held or person_db_id(p.id) in listed]
        keys, _created, _matched = _resolve_people(session, wanted, trust_keys=True)
        # after the people (a person merged away meanwhile is named first), before any write
        _check_roster(session, center_id, expected_version)
        _write(session, center, committees, wanted, keys, today=date.today(), joined_on=date.today())
        if audit_context(session).entries > written:  # something changed: the roster's version too
            _bump_roster(session, center_id)


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
    first_days = dict(term.joined)
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
                        "joined_on": first_days.get(member),
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
        if row.joined_on != first_days.get(member):
            row.joined_on, changed = first_days.get(member), True
        if changed:
            session.add(row)
    for pid, row in rows.items():
        if pid not in wanted and row.status != RETIRED:
            row.status, row.retired_on = RETIRED, today
            session.add(row)
