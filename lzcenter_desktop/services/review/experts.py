"""The expert pool (专家库): experts with their unit linked to the organization registry, field,
职称 and contact; the relations they declare (or the bureau records) for 回避; the applicant's list
of experts to avoid. Experts are retired (停用), never deleted; relations and list lines are
withdrawn (``active`` false), never deleted.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

from sqlmodel import Session, col, select

from lzcenter_desktop.domain import credit_code as cc
from lzcenter_desktop.domain.committees import unit_key
from lzcenter_desktop.domain.recusal import RelationKind, parse_relation_kind
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.declarations import CLOSED_STATUSES, STATUS_LABELS
from lzcenter_desktop.services.errors import NotFound, ServiceError
from lzcenter_desktop.services.organizations import add_organization
from lzcenter_desktop.services.people import check_name, find_or_create_person
from lzcenter_desktop.services.review.dto import AvoidView, ExpertView, RelationView
from lzcenter_desktop.services.uow import reading, unit_of_work
from lzcenter_desktop.services.versioning import bump, check_version
from lzcenter_desktop.storage.models import (
    Declaration,
    DeclarationAvoidExpert,
    Expert,
    ExpertRelation,
    Organization,
    Person,
)

ACTIVE = "active"
RETIRED = "retired"
EXPERT_STATUS_LABELS: Mapping[str, str] = {ACTIVE: "在库", RETIRED: "已停用"}
SOURCE_LABELS: Mapping[str, str] = {"expert": "专家本人申报", "registry": "登记信息"}
UNIT_MAX = 200
SPECIALTY_MAX = 200
INDUSTRIES_MAX = 300
TITLE_MAX = 50
PHONE_MAX = 30
EMAIL_MAX = 100
NOTE_MAX = 500
REASON_MAX = 500
_PHONE_RE = re.compile(r"^\+?[\d\-\s()（）]+$")
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


# --- checks shared with the Excel import ------------------------------------------------------------


def clean_text(value: object, field: str, limit: int, *, required: bool = False) -> str | None:
    """The stripped text, ``None`` when blank; Chinese errors naming ``field``."""
    text = str(value).strip() if value is not None else ""
    if not text:
        if required:
            raise ServiceError(f"请填写{field}", field=field)
        return None
    if len(text) > limit:
        raise ServiceError(f"{field}过长（{len(text)} 个字），最多 {limit} 个字", field=field)
    return text


def clean_phone(value: object) -> str | None:
    """A phone number: digits with ``+ - ( )`` and spaces, 7—15 digits."""
    text = clean_text(value, "电话", PHONE_MAX)
    if text is None:
        return None
    digits = sum(ch.isdigit() for ch in text)
    if not _PHONE_RE.match(text) or not 7 <= digits <= 15:
        raise ServiceError(f"电话“{text}”格式不正确：应为 7—15 位数字（可含 + - 括号和空格）", field="电话")
    return text


def clean_email(value: object) -> str | None:
    text = clean_text(value, "邮箱", EMAIL_MAX)
    if text is None:
        return None
    if not _EMAIL_RE.match(text):
        raise ServiceError(f"邮箱“{text}”格式不正确，应形如 name@example.com", field="邮箱")
    return text


def clean_credit_code(value: object) -> str | None:
    text = clean_text(value, "统一社会信用代码", 40)
    if text is None:
        return None
    code = text.upper()
    result = cc.validate(code)
    if not result.valid:
        raise ServiceError(result.error or f"统一社会信用代码“{code}”无效", field="统一社会信用代码")
    return code


def guess_kind(name: str) -> str:
    """The registry kind of a unit known only by name: 大学/学院 → university, 研究院/研究所 →
    institute, 公司/厂/集团 → enterprise, else other."""
    if any(w in name for w in ("大学", "学院", "学校")):
        return "university"
    if any(w in name for w in ("研究院", "研究所", "研究中心", "科学院")):
        return "institute"
    if any(w in name for w in ("公司", "集团", "厂")):
        return "enterprise"
    return "other"


def _org_by_code(session: Session, code: str) -> Organization | None:
    return session.execute(
        select(Organization).where(col(Organization.credit_code) == code)
    ).scalar_one_or_none()


def orgs_named(session: Session, name: str) -> list[Organization]:
    """Registered organizations whose normalised name is ``name``'s (``unit_key``), oldest first."""
    key = unit_key(name)
    if not key:
        return []
    first = name.strip()[:1]
    rows = session.execute(
        select(Organization).where(col(Organization.name).contains(first)).order_by(col(Organization.id))
    ).scalars()
    return [o for o in rows if unit_key(o.name) == key]


def resolve_unit(
    session: Session, *, name: str | None, credit_code: str | None, create: bool = True
) -> Organization | None:
    """Inside a unit of work: the registered organization of a unit — the one with the credit code,
    else the one with the same (normalised) name — or, with ``create``, one registered now. ``None``
    when neither a name nor a code is given (or nothing is found and ``create`` is false)."""
    code = clean_credit_code(credit_code)
    unit = clean_text(name, "单位", UNIT_MAX)
    if code is not None:
        found = _org_by_code(session, code)
        if found is not None:
            return found
    if unit is not None:
        for org in orgs_named(session, unit):
            if code is None or org.credit_code is None:
                if code is not None:  # the unit was known by name only: its code is now known
                    org.credit_code = code
                    org.district_code = cc.validate(code).division_code
                    session.add(org)
                    session.flush()
                return org
    if not create or (unit is None and code is None):
        return None
    if unit is None:
        raise ServiceError(f"统一社会信用代码 {code} 尚未登记，请同时填写单位名称", field="单位")
    return add_organization(session, name=unit, kind=guess_kind(unit), credit_code=code)


# --- experts ------------------------------------------------------------------------------------------


def _get_expert(session: Session, expert_id: int) -> Expert:
    expert = session.get(Expert, expert_id)
    if expert is None:
        raise NotFound(f"找不到编号为 {expert_id} 的专家，请刷新后再试", field="专家")
    return expert


def expert_view(session: Session, expert: Expert) -> ExpertView:
    person = session.get(Person, expert.person_id)
    assert person is not None and expert.id is not None
    org = session.get(Organization, expert.organization_id) if expert.organization_id else None
    return ExpertView(
        id=expert.id,
        person_id=expert.person_id,
        name=person.name,
        organization_id=expert.organization_id,
        unit=org.name if org is not None else (person.organization_name or ""),
        credit_code=org.credit_code if org is not None else None,
        specialty=expert.specialty,
        title=expert.title,
        phone=expert.phone,
        email=expert.email,
        industries=expert.industries,
        status=expert.status,
        status_label=EXPERT_STATUS_LABELS.get(expert.status, expert.status),
        joined_on=expert.joined_on,
        retired_on=expert.retired_on,
        version=expert.version,
    )


def find_expert(session: Session, *, name: str, organization_id: int | None) -> Expert | None:
    """The expert of the pool with this name and unit (retired ones included), if any."""
    rows = session.execute(
        select(Expert)
        .join(Person, col(Person.id) == col(Expert.person_id))
        .where(col(Person.name) == name.strip(), col(Expert.organization_id) == organization_id)
        .order_by(col(Expert.id))
    ).scalars()
    return next(iter(rows), None)


def add_expert(
    session: Session,
    *,
    name: str,
    unit: str | None = None,
    credit_code: str | None = None,
    specialty: str | None = None,
    title: str | None = None,
    phone: str | None = None,
    email: str | None = None,
    industries: str | None = None,
    joined_on: dt.date | None = None,
    birth_date: dt.date | None = None,
    id_number: str | None = None,
) -> Expert:
    """Inside a unit of work: a new expert (and their person record and unit when new). The same
    name at the same unit already in the pool is refused."""
    clean_name = check_name(name)
    org = resolve_unit(session, name=unit, credit_code=credit_code)
    org_id = org.id if org is not None else None
    existing = find_expert(session, name=clean_name, organization_id=org_id)
    if existing is not None:
        where = f"（{org.name}）" if org is not None else ""
        raise ServiceError(
            f"专家“{clean_name}”{where}已在专家库中（编号 {existing.id}），请修改已有的记录", field="姓名"
        )
    person, _ = find_or_create_person(
        session,
        name=clean_name,
        birth_date=birth_date,
        id_number=id_number,
        organization_id=org_id,
    )
    taken = session.execute(select(Expert).where(col(Expert.person_id) == person.id)).scalar_one_or_none()
    if taken is not None:
        raise ServiceError(f"“{clean_name}”已是专家库中的专家（编号 {taken.id}）", field="姓名")
    expert = Expert.model_validate(
        {
            "person_id": person.id,
            "organization_id": org_id,
            "specialty": clean_text(specialty, "专业领域", SPECIALTY_MAX) or "",
            "industries": clean_text(industries, "重点产业", INDUSTRIES_MAX) or "",
            "title": clean_text(title, "职称", TITLE_MAX),
            "phone": clean_phone(phone),
            "email": clean_email(email),
            "joined_on": joined_on,
            "status": ACTIVE,
        }
    )
    session.add(expert)
    session.flush()
    return expert


def create_expert(
    ctx: AppContext,
    *,
    name: str,
    unit: str | None = None,
    credit_code: str | None = None,
    specialty: str | None = None,
    title: str | None = None,
    phone: str | None = None,
    email: str | None = None,
    industries: str | None = None,
    joined_on: dt.date | None = None,
    birth_date: dt.date | None = None,
    id_number: str | None = None,
) -> int:
    """Add an expert to the pool; returns the expert id. The unit is linked to the organization
    registry by its credit code, else by its name (a unit not yet registered is registered)."""
    with unit_of_work(ctx, "review.create_expert") as session:
        expert = add_expert(
            session,
            name=name,
            unit=unit,
            credit_code=credit_code,
            specialty=specialty,
            title=title,
            phone=phone,
            email=email,
            industries=industries,
            joined_on=joined_on,
            birth_date=birth_date,
            id_number=id_number,
        )
        assert expert.id is not None
        return expert.id


def apply_expert_changes(
    session: Session,
    expert: Expert,
    *,
    name: str | None = None,
    unit: str | None = None,
    credit_code: str | None = None,
    specialty: str | None = None,
    title: str | None = None,
    phone: str | None = None,
    email: str | None = None,
    industries: str | None = None,
) -> None:
    """Inside a unit of work: change the fields given (``""`` clears an optional one)."""
    person = session.get(Person, expert.person_id)
    assert person is not None
    if name is not None:
        person.name = check_name(name)
        session.add(person)
    if unit is not None or credit_code is not None:
        org = resolve_unit(session, name=unit, credit_code=credit_code)
        expert.organization_id = org.id if org is not None else None
        person.organization_id = expert.organization_id
        session.add(person)
    if specialty is not None:
        expert.specialty = clean_text(specialty, "专业领域", SPECIALTY_MAX) or ""
    if industries is not None:
        expert.industries = clean_text(industries, "重点产业", INDUSTRIES_MAX) or ""
    if title is not None:
        expert.title = clean_text(title, "职称", TITLE_MAX)
    if phone is not None:
        expert.phone = clean_phone(phone)
    if email is not None:
        expert.email = clean_email(email)
    session.add(expert)
    session.flush()


def update_expert(
    ctx: AppContext,
    *,
    expert_id: int,
    name: str | None = None,
    unit: str | None = None,
    credit_code: str | None = None,
    specialty: str | None = None,
    title: str | None = None,
    phone: str | None = None,
    email: str | None = None,
    industries: str | None = None,
    expected_version: int | None = None,
) -> None:
    """Change an expert's details (only the arguments given; ``""`` clears an optional field).
    Refused with :class:`~lzcenter_desktop.services.versioning.StaleRecord` when the expert was
    saved by someone else since the form loaded ``expected_version`` (``None``: no check); the
    save raises the expert's version by one (also when only the name, a person field, changed)."""
    with unit_of_work(ctx, "review.update_expert") as session:
        expert = _get_expert(session, expert_id)
        check_version(session, expert, expected_version)
        apply_expert_changes(
            session,
            expert,
            name=name,
            unit=unit,
            credit_code=credit_code,
            specialty=specialty,
            title=title,
            phone=phone,
            email=email,
            industries=industries,
        )
        bump(expert)  # after the changes: the mapper raises it once per UPDATE


def retire_expert(ctx: AppContext, *, expert_id: int, on: dt.date, reason: str) -> None:
    """停用 an expert: kept (never deleted), no longer drawn or assigned. A reason is required; it
    is kept in the audit trail."""
    text = clean_text(reason, "停用原因", REASON_MAX, required=True)
    with unit_of_work(ctx, f"review.retire_expert：{text}"[:100]) as session:
        expert = _get_expert(session, expert_id)
        if expert.status == RETIRED:
            raise ServiceError(f"编号 {expert_id} 的专家已停用", field="专家")
        expert.status = RETIRED
        expert.retired_on = on
        session.add(expert)


def reactivate_expert(ctx: AppContext, *, expert_id: int) -> None:
    """Put a retired expert back in the pool."""
    with unit_of_work(ctx, "review.reactivate_expert") as session:
        expert = _get_expert(session, expert_id)
        if expert.status == ACTIVE:
            raise ServiceError(f"编号 {expert_id} 的专家在库中，无需恢复", field="专家")
        expert.status = ACTIVE
        expert.retired_on = None
        session.add(expert)


def get_expert(ctx: AppContext, expert_id: int) -> ExpertView:
    with reading(ctx) as session:
        return expert_view(session, _get_expert(session, expert_id))


def list_experts(
    ctx: AppContext, *, include_retired: bool = False, name_contains: str = ""
) -> list[ExpertView]:
    """The pool ordered by name (retired experts only with ``include_retired``)."""
    with reading(ctx) as session:
        stmt = select(Expert).join(Person, col(Person.id) == col(Expert.person_id))
        if not include_retired:
            stmt = stmt.where(col(Expert.status) == ACTIVE)
        if name_contains.strip():
            stmt = stmt.where(col(Person.name).contains(name_contains.strip()))
        rows = session.execute(stmt.order_by(col(Person.name), col(Expert.id))).scalars().all()
        return [expert_view(session, e) for e in rows]


# --- relations ----------------------------------------------------------------------------------------


def _relation_view(r: ExpertRelation) -> RelationView:
    assert r.id is not None
    try:
        kind_label = RelationKind(r.kind).label
    except ValueError:
        kind_label = r.kind
    return RelationView(
        id=r.id,
        expert_id=r.expert_id,
        kind=r.kind,
        kind_label=kind_label,
        organization_id=r.organization_id,
        organization_name=r.organization_name,
        relative=r.relative,
        from_on=r.from_on,
        to_on=r.to_on,
        note=r.note,
        source=r.source,
        source_label=SOURCE_LABELS.get(r.source, r.source),
        active=r.active,
    )


def add_relation(
    ctx: AppContext,
    *,
    expert_id: int,
    kind: str,
    organization_name: str | None = None,
    credit_code: str | None = None,
    organization_id: int | None = None,
    relative: bool = False,
    from_on: dt.date | None = None,
    to_on: dt.date | None = None,
    note: str | None = None,
    source: str = "expert",
) -> int:
    """Record a relation of the expert (or, with ``relative``, of a close relative) with an
    organization — ``kind`` one of :class:`~lzcenter_desktop.domain.recusal.RelationKind` — with its
    dates; ``source`` ``expert`` (the expert's own declaration: a conflict it causes can never be
    overridden) or ``registry`` (recorded by the bureau). The organization is the registered one
    (by id, credit code or name), or the name as written."""
    try:
        relation_kind = parse_relation_kind(kind)
    except ValueError as exc:
        raise ServiceError(str(exc), field="关系类型") from None
    if source not in SOURCE_LABELS:
        raise ServiceError("关系来源应为“专家本人申报”或“登记信息”", field="来源")
    if from_on is not None and to_on is not None and to_on < from_on:
        raise ServiceError(
            f"关系的结束日期 {to_on.isoformat()} 早于开始日期 {from_on.isoformat()}", field="结束日期"
        )
    text = clean_text(note, "说明", NOTE_MAX)
    with unit_of_work(ctx, "review.add_relation") as session:
        expert = _get_expert(session, expert_id)
        if organization_id is not None:
            org = session.get(Organization, organization_id)
            if org is None:
                raise NotFound(f"找不到编号为 {organization_id} 的单位", field="单位")
        else:
            if not (organization_name or "").strip() and not (credit_code or "").strip():
                raise ServiceError("请填写与专家有关系的单位名称", field="单位")
            org = resolve_unit(
                session,
                name=organization_name,
                credit_code=credit_code,
                create=bool((credit_code or "").strip()),
            )
        name = org.name if org is not None else clean_text(organization_name, "单位", UNIT_MAX)
        assert name is not None
        row = ExpertRelation.model_validate(
            {
                "expert_id": expert.id,
                "organization_id": org.id if org is not None else None,
                "organization_name": name,
                "kind": relation_kind.value,
                "relative": relative,
                "from_on": from_on,
                "to_on": to_on,
                "note": text,
                "source": source,
                "active": True,
            }
        )
        session.add(row)
        session.flush()
        assert row.id is not None
        return row.id


def withdraw_relation(ctx: AppContext, *, relation_id: int, reason: str) -> None:
    """Withdraw a recorded relation (kept, marked inactive); the reason goes into the audit trail."""
    text = clean_text(reason, "撤销原因", REASON_MAX, required=True)
    with unit_of_work(ctx, f"review.withdraw_relation：{text}"[:100]) as session:
        row = session.get(ExpertRelation, relation_id)
        if row is None:
            raise NotFound(f"找不到编号为 {relation_id} 的关系记录", field="关系")
        if not row.active:
            raise ServiceError("这条关系记录已撤销", field="关系")
        row.active = False
        session.add(row)


def list_relations(ctx: AppContext, *, expert_id: int, include_withdrawn: bool = False) -> list[RelationView]:
    with reading(ctx) as session:
        _get_expert(session, expert_id)
        stmt = select(ExpertRelation).where(col(ExpertRelation.expert_id) == expert_id)
        if not include_withdrawn:
            stmt = stmt.where(col(ExpertRelation.active).is_(True))
        return [_relation_view(r) for r in session.execute(stmt.order_by(col(ExpertRelation.id))).scalars()]


# --- the applicant's list of experts to avoid ---------------------------------------------------------


def _avoid_view(r: DeclarationAvoidExpert) -> AvoidView:
    assert r.id is not None
    return AvoidView(
        id=r.id,
        declaration_id=r.declaration_id,
        expert_id=r.expert_id,
        expert_name=r.expert_name,
        expert_unit=r.expert_unit,
        reason=r.reason,
        active=r.active,
    )


def add_avoid_expert(
    ctx: AppContext,
    *,
    declaration_id: int,
    expert_id: int | None = None,
    expert_name: str | None = None,
    expert_unit: str | None = None,
    reason: str = "",
) -> int:
    """Add an expert to the applicant's 回避 list of a declaration: an expert of the pool (by id), or
    a name (and unit) as the applicant wrote it. A listed expert is never assigned to it."""
    with unit_of_work(ctx, "review.add_avoid_expert") as session:
        decl = session.get(Declaration, declaration_id)
        if decl is None:
            raise NotFound(f"找不到编号为 {declaration_id} 的申报书", field="申报书")
        if decl.status in CLOSED_STATUSES:
            label = STATUS_LABELS.get(decl.status, decl.status)
            raise ServiceError(f"第 {declaration_id} 号申报书{label}，不能再修改回避名单", field="申报书")
        if expert_id is not None:
            view = expert_view(session, _get_expert(session, expert_id))
            name, unit = view.name, view.unit or None
        else:
            name = check_name(expert_name or "")
            unit = clean_text(expert_unit, "专家单位", UNIT_MAX)
        row = DeclarationAvoidExpert.model_validate(
            {
                "declaration_id": declaration_id,
                "expert_id": expert_id,
                "expert_name": name,
                "expert_unit": unit,
                "reason": clean_text(reason, "回避理由", REASON_MAX) or "",
                "active": True,
            }
        )
        session.add(row)
        session.flush()
        assert row.id is not None
        return row.id


def withdraw_avoid_expert(ctx: AppContext, *, avoid_id: int, reason: str) -> None:
    """Take a line off the applicant's 回避 list (kept, marked inactive), with a reason (audited)."""
    text = clean_text(reason, "撤销原因", REASON_MAX, required=True)
    with unit_of_work(ctx, f"review.withdraw_avoid_expert：{text}"[:100]) as session:
        row = session.get(DeclarationAvoidExpert, avoid_id)
        if row is None:
            raise NotFound(f"找不到编号为 {avoid_id} 的回避名单记录", field="回避名单")
        if not row.active:
            raise ServiceError("这条回避名单记录已撤销", field="回避名单")
        row.active = False
        session.add(row)


def list_avoid_experts(
    ctx: AppContext, *, declaration_id: int, include_withdrawn: bool = False
) -> list[AvoidView]:
    with reading(ctx) as session:
        stmt = select(DeclarationAvoidExpert).where(
            col(DeclarationAvoidExpert.declaration_id) == declaration_id
        )
        if not include_withdrawn:
            stmt = stmt.where(col(DeclarationAvoidExpert.active).is_(True))
        return [
            _avoid_view(r) for r in session.execute(stmt.order_by(col(DeclarationAvoidExpert.id))).scalars()
        ]
