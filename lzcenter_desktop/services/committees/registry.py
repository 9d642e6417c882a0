"""The people and units of a committee record against the registries: each person of an edited or
imported value matched to (or registered in) the people registry, their organization linked by its
credit code; and the clerk's answer whether a member's unit is part of the host or a co-builder."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlmodel import Session, col, select

from lzcenter_desktop.domain.committees import unit_key
from lzcenter_desktop.domain.model import Person, UnitConfirmation
from lzcenter_desktop.services import organizations
from lzcenter_desktop.services import people as people_service
from lzcenter_desktop.services.committees.base import _centre, _confirmations, _unit_orgs, person_db_id
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.organizations import add_organization
from lzcenter_desktop.services.uow import reading, unit_of_work
from lzcenter_desktop.storage.models import Organization
from lzcenter_desktop.storage.models import Person as PersonRow


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
