"""The people registry: one record per person across terms, roles and centres.

A person is matched by 身份证号 when one is known, otherwise by name + birth date — never by the
display name alone (rules.md, 第四章).  Duplicates are merged: every reference is moved to the
record that is kept, and the merged record is marked ``merged`` (nothing is deleted).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import NotFound, ServiceError
from lzcenter_desktop.services.uow import reading, unit_of_work
from lzcenter_desktop.services.versioning import bump, check_version
from lzcenter_desktop.storage.models import (
    CenterPerson,
    CtoFiling,
    DeclarationStaff,
    DirectorAppointment,
    Expert,
    ExpertCommitteeMember,
    ExpertCommitteeTerm,
    ManagementCommitteeMember,
    MeetingAttendance,
    Organization,
    Person,
)

MERGED = "merged"
ACTIVE = "active"
RETIRED = "retired"
NAME_MAX = 50
ORGANIZATION_MAX = 200
_ID_NUMBER_RE = re.compile(r"^\d{17}[\dX]$")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


@dataclass(frozen=True, slots=True)
class PersonView:
    """One person of the registry, as the UI shows it."""

    id: int
    name: str
    birth_date: date | None
    id_number: str | None
    organization: str  # the organization as written, or the registered organization's name
    organization_id: int | None
    organization_credit_code: str | None
    status: str  # active / merged
    version: int = 1  # the person's version when read: pass it back as ``keep_version`` / ``merge_version``


def check_id_number(value: str | None, birth_date: date | None = None) -> str | None:
    """The normalised 身份证号 (GB 11643, upper-case X), or ``None`` when blank; Chinese errors."""
    if value is None or not value.strip():
        return None
    text = value.strip().upper()
    if not _ID_NUMBER_RE.match(text):
        raise ServiceError(
            f"身份证号“{text}”格式不正确：应为18位，前17位为数字，末位为数字或X", field="身份证号"
        )
    expected = _ID_CHECK[sum(int(ch) * w for ch, w in zip(text[:17], _ID_WEIGHTS, strict=True)) % 11]
    if text[17] != expected:
        raise ServiceError(f"身份证号“{text}”校验位不正确，应为 {expected}", field="身份证号")
    try:
        born = date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        raise ServiceError(f"身份证号“{text}”中的出生日期 {text[6:14]} 不存在", field="身份证号") from None
    if birth_date is not None and born != birth_date:
        raise ServiceError(
            f"身份证号中的出生日期 {born.isoformat()} 与填写的出生日期 {birth_date.isoformat()} 不一致",
            field="出生日期",
        )
    return text


def check_name(name: str) -> str:
    text = (name or "").strip()
    if not text:
        raise ServiceError("请填写姓名", field="姓名")
    if len(text) > NAME_MAX:
        raise ServiceError(f"姓名过长（{len(text)}个字），最多{NAME_MAX}个字", field="姓名")
    return text


def _check_organization_name(name: str | None) -> str | None:
    if name is None or not name.strip():
        return None
    text = name.strip()
    if len(text) > ORGANIZATION_MAX:
        raise ServiceError(
            f"工作单位名称过长（{len(text)}个字），最多{ORGANIZATION_MAX}个字", field="工作单位"
        )
    return text


def find_person(
    session: Session, *, name: str, birth_date: date | None, id_number: str | None = None
) -> Person | None:
    """The active person with this 身份证号, or else with this name and birth date."""
    number = check_id_number(id_number)
    if number is not None:
        found: Person | None = session.execute(
            select(Person).where(col(Person.id_number) == number)
        ).scalar_one_or_none()
        if found is not None:
            if found.status == MERGED:
                raise ServiceError(f"身份证号 {number} 属于已合并的人员记录", field="身份证号")
            return found
    if birth_date is None:
        return None
    rows = session.execute(
        select(Person)
        .where(
            col(Person.name) == name.strip(),
            col(Person.birth_date) == birth_date,
            col(Person.status) != MERGED,
        )
        .order_by(col(Person.id))
    ).scalars()
    row: Person
    for row in rows:
        # Two people with the same name and birth date but different ID numbers are different people.
        if number is None or row.id_number is None:
            return row
    return None


def find_or_create_person(
    session: Session,
    *,
    name: str,
    birth_date: date | None,
    id_number: str | None = None,
    organization_id: int | None = None,
    organization_name: str | None = None,
) -> tuple[Person, bool]:
    """Inside a unit of work: the matching person (updated with anything new), or a new record.

    Returns the person and whether it was created.  The organization given replaces the one on
    record (people change employers; the audit trail keeps the old value).
    """
    clean_name = check_name(name)
    number = check_id_number(id_number, birth_date)
    org_name = _check_organization_name(organization_name)
    if organization_id is not None and session.get(Organization, organization_id) is None:
        raise ServiceError(f"工作单位（编号 {organization_id}）不存在", field="工作单位")
    person = find_person(session, name=clean_name, birth_date=birth_date, id_number=number)
    if person is None:
        person = Person.model_validate(
            {
                "name": clean_name,
                "birth_date": birth_date,
                "id_number": number,
                "organization_id": organization_id,
                "organization_name": org_name,
            }
        )
        session.add(person)
        session.flush()
        return person, True
    changed = False
    if number is not None and person.id_number is None:
        person.id_number, changed = number, True
    if birth_date is not None and person.birth_date is None:
        person.birth_date, changed = birth_date, True
    if (organization_id, org_name) != (person.organization_id, person.organization_name) and (
        organization_id is not None or org_name is not None
    ):
        person.organization_id, person.organization_name, changed = organization_id, org_name, True
    if changed:
        session.add(person)
        session.flush()
    return person, False


def register_person(
    ctx: AppContext,
    *,
    name: str,
    birth_date: date | None,
    id_number: str | None = None,
    organization_id: int | None = None,
    organization_name: str | None = None,
) -> int:
    """Find the person (身份证号, or name + birth date) or register a new one; returns the id."""
    with unit_of_work(ctx, "people.register_person") as session:
        person, _created = find_or_create_person(
            session,
            name=name,
            birth_date=birth_date,
            id_number=id_number,
            organization_id=organization_id,
            organization_name=organization_name,
        )
        assert person.id is not None
        return person.id


def _view(person: Person, org: Organization | None) -> PersonView:
    assert person.id is not None
    return PersonView(
        id=person.id,
        name=person.name,
        birth_date=person.birth_date,
        id_number=person.id_number,
        organization=person.organization_name or (org.name if org else ""),
        organization_id=person.organization_id,
        organization_credit_code=org.credit_code if org else None,
        status=person.status,
        version=person.version,
    )


def get_person(ctx: AppContext, person_id: int) -> PersonView:
    with reading(ctx) as session:
        person = session.get(Person, person_id)
        if person is None:
            raise NotFound(f"找不到编号为 {person_id} 的人员", field="人员")
        org = session.get(Organization, person.organization_id) if person.organization_id else None
        return _view(person, org)


def list_people(
    ctx: AppContext, *, name_contains: str = "", include_merged: bool = False
) -> list[PersonView]:
    """People of the registry (by name), for pickers."""
    with reading(ctx) as session:
        stmt = select(Person, Organization).join(
            Organization, col(Organization.id) == col(Person.organization_id), isouter=True
        )
        if name_contains.strip():
            stmt = stmt.where(col(Person.name).contains(name_contains.strip()))
        if not include_merged:
            stmt = stmt.where(col(Person.status) != MERGED)
        rows = session.execute(stmt.order_by(col(Person.name), col(Person.id))).all()
        return [_view(p, o) for p, o in rows]


def merge_people(
    ctx: AppContext,
    *,
    keep_id: int,
    merge_id: int,
    reason: str,
    keep_version: int | None = None,
    merge_version: int | None = None,
) -> None:
    """Merge the duplicate ``merge_id`` into ``keep_id``: every reference moves, the duplicate is
    marked ``merged`` (kept, never deleted); one transaction, audited. ``keep_version`` and
    ``merge_version`` are the versions the clerk saw (``None``: no check): a record saved by someone
    else since is refused with :class:`~lzcenter_desktop.services.versioning.StaleRecord` and
    nothing moves; the merge raises both records' versions by one."""
    if not reason or not reason.strip():
        raise ServiceError("请填写合并原因", field="合并原因")
    if keep_id == merge_id:
        raise ServiceError("不能将人员记录与其自身合并", field="合并对象")
    with unit_of_work(ctx, _action("people.merge_people", reason)) as session:
        keep = session.get(Person, keep_id)
        dup = session.get(Person, merge_id)
        for pid, row, what in ((keep_id, keep, "保留"), (merge_id, dup, "被合并")):
            if row is None:
                raise NotFound(f"找不到编号为 {pid} 的人员（{what}的记录）", field="人员")
            if row.status == MERGED:
                raise ServiceError(f"人员“{row.name}”（编号 {pid}）已被合并，不能再参与合并", field="人员")
        assert keep is not None and dup is not None
        check_version(session, keep, keep_version)
        check_version(session, dup, merge_version)
        if keep.birth_date and dup.birth_date and keep.birth_date != dup.birth_date:
            raise ServiceError(
                f"两条记录的出生日期不同（{keep.birth_date.isoformat()} 与 {dup.birth_date.isoformat()}），"
                "不是同一人，不能合并",
                field="出生日期",
            )
        if keep.id_number and dup.id_number and keep.id_number != dup.id_number:
            raise ServiceError("两条记录的身份证号不同，不是同一人，不能合并", field="身份证号")
        _refuse_conflicts(session, keep_id, merge_id)
        _move_references(session, keep_id, merge_id)
        number = dup.id_number
        dup.status = MERGED
        dup.retired_on = date.today()
        dup.id_number = None  # the number is unique; it moves to the record that is kept
        session.add(dup)
        session.flush()
        if keep.id_number is None and number is not None:
            keep.id_number = number
        for attr in ("birth_date", "organization_id", "organization_name", "gender", "degree", "title"):
            if getattr(keep, attr) is None and getattr(dup, attr) is not None:
                setattr(keep, attr, getattr(dup, attr))
        bump(keep)  # last: the mapper raises the version once per UPDATE of the row
        bump(dup)
        session.add(keep)


def _action(name: str, reason: str) -> str:
    """The audit action: the operation and the clerk's reason (the column holds 100 characters)."""
    return f"{name}：{reason.strip()}"[:100]


def _refuse_conflicts(session: Session, keep_id: int, merge_id: int) -> None:
    def terms(pid: int) -> set[int]:
        q = select(ExpertCommitteeMember.term_id).where(col(ExpertCommitteeMember.person_id) == pid)
        return set(session.execute(q).scalars())

    both = terms(keep_id) & terms(merge_id)
    if both:
        term = session.get(ExpertCommitteeTerm, min(both))
        no = term.term_no if term else "?"
        raise ServiceError(
            f"两条记录同在专家指导委员会第{no}届名单中，请先在名单中去掉其中一条再合并", field="合并对象"
        )

    def meetings(pid: int) -> set[int]:
        q = select(MeetingAttendance.meeting_id).where(col(MeetingAttendance.person_id) == pid)
        return set(session.execute(q).scalars())

    if meetings(keep_id) & meetings(merge_id):
        raise ServiceError(
            "两条记录同时出现在同一次会议的出席名单中，请先更正出席名单再合并", field="合并对象"
        )
    experts = (
        session.execute(select(Expert).where(col(Expert.person_id).in_((keep_id, merge_id)))).scalars().all()
    )
    if len(experts) > 1:
        raise ServiceError("两条记录都在专家库中，请先停用其中一条专家库记录再合并", field="合并对象")


def _move_references(session: Session, keep_id: int, merge_id: int) -> None:
    # a centre's people list: the duplicate's place moves to the kept person, unless the kept person
    # is already on that list — then the duplicate's entry is retired (it stays, pointing at the
    # merged record)
    kept_on = set(
        session.execute(
            select(CenterPerson.center_id).where(col(CenterPerson.person_id) == keep_id)
        ).scalars()
    )
    for entry in session.execute(
        select(CenterPerson).where(col(CenterPerson.person_id) == merge_id)
    ).scalars():
        if entry.center_id in kept_on:
            if entry.status != RETIRED:
                entry.status, entry.retired_on = RETIRED, date.today()
                session.add(entry)
            continue
        entry.person_id = keep_id
        session.add(entry)
    for model in (
        DirectorAppointment,
        ManagementCommitteeMember,
        ExpertCommitteeMember,
        MeetingAttendance,
        CtoFiling,
        DeclarationStaff,
        Expert,
    ):
        rows = session.execute(select(model).where(model.person_id == merge_id)).scalars().all()
        for row in rows:
            row.person_id = keep_id
            session.add(row)
    for term in session.execute(
        select(ExpertCommitteeTerm).where(col(ExpertCommitteeTerm.chair_person_id) == merge_id)
    ).scalars():
        term.chair_person_id = keep_id
        session.add(term)
    session.flush()
