"""Organizations (依托单位, 共建单位, 联合申报单位) and their CTO filings."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from lzcenter_desktop.domain import credit_code as cc
from lzcenter_desktop.domain.committees import unit_key
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import NotFound, ServiceError
from lzcenter_desktop.services.labels import ORG_KIND_LABELS
from lzcenter_desktop.services.uow import unit_of_work
from lzcenter_desktop.services.versioning import bump, check_version
from lzcenter_desktop.storage.models import CtoFiling, Organization, UnitAffiliation

UNIT_NAME_MAX = 200


def _check_kind(kind: str) -> str:
    if kind not in ORG_KIND_LABELS:
        allowed = "、".join(f"{k}（{v}）" for k, v in ORG_KIND_LABELS.items())
        raise ServiceError(f"单位类型“{kind}”无效，应为：{allowed}", field="单位类型")
    return kind


def _check_code(
    session: Session, code: str | None, *, own_id: int | None = None
) -> tuple[str | None, str | None]:
    """The normalised code and its division code; Chinese errors for a bad or duplicate code."""
    if code is None or not code.strip():
        return None, None
    text = code.strip()
    result = cc.validate(text)
    if not result.valid:
        raise ServiceError(result.error or "统一社会信用代码无效", field="统一社会信用代码")
    other = session.execute(
        select(Organization).where(col(Organization.credit_code) == text)
    ).scalar_one_or_none()
    if other is not None and other.id != own_id:
        raise ServiceError(
            f"统一社会信用代码 {text} 已登记为“{other.name}”，同一单位不能重复登记", field="统一社会信用代码"
        )
    return text, result.division_code


def add_organization(
    session: Session,
    *,
    name: str,
    kind: str,
    credit_code: str | None = None,
    first_level_legal_person: bool = True,
    competent_department: str | None = None,
    name_en: str | None = None,
    address: str | None = None,
) -> Organization:
    if not name.strip():
        raise ServiceError("请填写单位名称", field="单位名称")
    code, division = _check_code(session, credit_code)
    org = Organization.model_validate(
        {
            "name": name.strip(),
            "name_en": name_en,
            "credit_code": code,
            "kind": _check_kind(kind),
            "first_level_legal_person": first_level_legal_person,
            "competent_department": competent_department,
            "district_code": division,
            "address": address,
        }
    )
    session.add(org)
    session.flush()
    return org


def create_organization(
    ctx: AppContext,
    *,
    name: str,
    kind: str,
    credit_code: str | None = None,
    first_level_legal_person: bool = True,
    competent_department: str | None = None,
    name_en: str | None = None,
    address: str | None = None,
) -> int:
    """Register an organization; the credit code is checked (GB 32100) and must be unique."""
    with unit_of_work(ctx, "organizations.create_organization") as session:
        org = add_organization(
            session,
            name=name,
            kind=kind,
            credit_code=credit_code,
            first_level_legal_person=first_level_legal_person,
            competent_department=competent_department,
            name_en=name_en,
            address=address,
        )
        assert org.id is not None
        return org.id


def update_organization(
    ctx: AppContext,
    *,
    organization_id: int,
    name: str | None = None,
    credit_code: str | None = None,
    kind: str | None = None,
    first_level_legal_person: bool | None = None,
    competent_department: str | None = None,
    expected_version: int | None = None,
) -> None:
    """Change an organization's details (only the arguments given). Refused with
    :class:`~lzcenter_desktop.services.versioning.StaleRecord` when the organization was saved by
    someone else since ``expected_version`` was read (``None``: no check)."""
    with unit_of_work(ctx, "organizations.update_organization") as session:
        org = session.get(Organization, organization_id)
        if org is None:
            raise NotFound(f"找不到编号为 {organization_id} 的单位", field="单位")
        check_version(session, org, expected_version)
        if name is not None:
            if not name.strip():
                raise ServiceError("请填写单位名称", field="单位名称")
            org.name = name.strip()
        if credit_code is not None:
            org.credit_code, org.district_code = _check_code(session, credit_code, own_id=org.id)
        if kind is not None:
            org.kind = _check_kind(kind)
        if first_level_legal_person is not None:
            org.first_level_legal_person = first_level_legal_person
        if competent_department is not None:
            org.competent_department = competent_department.strip() or None
        bump(org)  # last: the mapper raises the version once per UPDATE of the row
        session.add(org)


def retire_organization(ctx: AppContext, *, organization_id: int, on: date) -> None:
    """Mark an organization as no longer in use (it is kept: centres and history refer to it)."""
    with unit_of_work(ctx, "organizations.retire_organization") as session:
        org = session.get(Organization, organization_id)
        if org is None:
            raise NotFound(f"找不到编号为 {organization_id} 的单位", field="单位")
        if org.status == "retired":
            raise ServiceError(f"单位“{org.name}”已停用", field="单位")
        org.status = "retired"
        org.retired_on = on
        session.add(org)


def add_cto_filing(
    session: Session,
    *,
    organization_id: int,
    name: str,
    filing_no: str,
    filing_date: date,
    person_id: int | None = None,
) -> CtoFiling:
    org = session.get(Organization, organization_id)
    if org is None:
        raise NotFound(f"找不到编号为 {organization_id} 的单位", field="单位")
    if org.kind != "enterprise":
        raise ServiceError("只有企业需要备案首席技术官（第九条（七））", field="单位类型")
    if not name.strip():
        raise ServiceError("请填写首席技术官姓名", field="首席技术官")
    if not filing_no.strip():
        raise ServiceError("请填写首席技术官备案编号", field="备案编号")
    for previous in session.execute(
        select(CtoFiling).where(
            col(CtoFiling.organization_id) == organization_id, col(CtoFiling.ended_on).is_(None)
        )
    ).scalars():
        previous.ended_on = filing_date
        session.add(previous)
    filing = CtoFiling.model_validate(
        {
            "organization_id": organization_id,
            "person_id": person_id,
            "name": name.strip(),
            "filing_no": filing_no.strip(),
            "filing_date": filing_date,
        }
    )
    session.add(filing)
    session.flush()
    return filing


def file_cto(ctx: AppContext, *, organization_id: int, name: str, filing_no: str, filing_date: date) -> int:
    """Record a CTO filing (备案); a previous filing of the same enterprise ends on that date."""
    with unit_of_work(ctx, "organizations.file_cto") as session:
        filing = add_cto_filing(
            session, organization_id=organization_id, name=name, filing_no=filing_no, filing_date=filing_date
        )
        assert filing.id is not None
        return filing.id


# ------------------------------------------------------------------ units that are part of an organization


def set_unit_affiliation(
    session: Session, *, organization_id: int, unit_name: str, belongs: bool, on: date
) -> UnitAffiliation:
    """Inside a unit of work: record that the unit ``unit_name`` (as written on people's records) is —
    or is not — part of the organization; a unit already answered gets the new answer."""
    org = session.get(Organization, organization_id)
    if org is None:
        raise NotFound(f"找不到编号为 {organization_id} 的单位", field="单位")
    name = (unit_name or "").strip()
    if not name:
        raise ServiceError("请填写要确认的工作单位名称", field="工作单位")
    if len(name) > UNIT_NAME_MAX:
        raise ServiceError(f"工作单位名称过长（{len(name)}个字），最多{UNIT_NAME_MAX}个字", field="工作单位")
    key = unit_key(name)
    if key == unit_key(org.name):
        raise ServiceError(f"工作单位“{name}”就是“{org.name}”本身，无需确认", field="工作单位")
    row: UnitAffiliation | None = session.execute(
        select(UnitAffiliation).where(
            col(UnitAffiliation.organization_id) == organization_id, col(UnitAffiliation.unit_key) == key
        )
    ).scalar_one_or_none()
    if row is None:
        row = UnitAffiliation.model_validate(
            {
                "organization_id": organization_id,
                "unit_name": name,
                "unit_key": key,
                "belongs": belongs,
                "decided_on": on,
            }
        )
    elif (row.belongs, row.unit_name) == (belongs, name):
        return row
    else:
        row.belongs, row.unit_name, row.decided_on = belongs, name, on
    session.add(row)
    session.flush()
    return row


def confirm_unit(
    ctx: AppContext, *, organization_id: int, unit_name: str, belongs: bool, on: date | None = None
) -> int:
    """The clerk's answer, kept in the registry: is the unit ``unit_name`` part of the organization
    (属于 / 不属于)? Asked once; every centre of that organization uses it. Audited."""
    verdict = "属于" if belongs else "不属于"
    action = (
        f"organizations.confirm_unit：“{(unit_name or '').strip()}”{verdict}编号 {organization_id} 的单位"
    )
    with unit_of_work(ctx, action[:100]) as session:
        row = set_unit_affiliation(
            session,
            organization_id=organization_id,
            unit_name=unit_name,
            belongs=belongs,
            on=on or date.today(),
        )
        assert row.id is not None
        return row.id


def unit_affiliations(
    session: Session, organization_ids: list[int]
) -> list[tuple[UnitAffiliation, Organization]]:
    """The answers recorded for these organizations (and the organization each is about), oldest first."""
    if not organization_ids:
        return []
    rows = session.execute(
        select(UnitAffiliation, Organization)
        .join(Organization, col(Organization.id) == col(UnitAffiliation.organization_id))
        .where(col(UnitAffiliation.organization_id).in_(organization_ids))
        .order_by(col(UnitAffiliation.id))
    ).all()
    return [(a, o) for a, o in rows]
