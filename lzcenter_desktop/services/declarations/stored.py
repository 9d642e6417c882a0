"""Reading a declaration row and its working document inside an open session.

The working document is the interchange dict kept in ``Declaration.source_json``; rows made without
it (recorded by earlier versions) are turned back into a document from their child tables.
"""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session, select

from lzcenter_desktop.services.declarations.base import empty_document
from lzcenter_desktop.services.errors import NotFound
from lzcenter_desktop.storage.models import (
    AnnualCall,
    Declaration,
    DeclarationAchievement,
    DeclarationCooperation,
    DeclarationEquipment,
    DeclarationFinance,
    DeclarationIndustry,
    DeclarationInvestment,
    DeclarationParty,
    DeclarationProject,
    DeclarationStaff,
    Organization,
)


def stored_document(session: Session, decl: Declaration) -> dict[str, Any]:
    """The working document of ``decl``: its stored JSON, or (for rows made without it) the rows."""
    if decl.source_json:
        data = json.loads(decl.source_json)
        if isinstance(data, dict):
            return data
    return _document_from_rows(session, decl)


def _org_json(org: Organization | None) -> dict[str, Any]:
    if org is None:
        return {"name": "", "credit_code": "", "kind": None}
    return {"name": org.name, "credit_code": org.credit_code or "", "kind": org.kind}


def _document_from_rows(session: Session, decl: Declaration) -> dict[str, Any]:
    did = decl.id
    call = session.get(AnnualCall, decl.call_id)
    host = session.get(Organization, decl.host_id) if decl.host_id is not None else None
    doc = empty_document(call.year if call else decl.application_date.year)

    def rows(model: Any, order: Any) -> list[Any]:
        return list(
            session.execute(select(model).where(model.declaration_id == did).order_by(order)).scalars()
        )

    doc["application_date"] = decl.application_date.isoformat()
    doc["center"] = {
        "name_zh": decl.name_zh,
        "name_en": decl.name_en,
        "research_direction": decl.research_direction,
        "industry_fields": [r.industry for r in rows(DeclarationIndustry, DeclarationIndustry.position)],
        "rd_org_established": decl.rd_org_established.isoformat() if decl.rd_org_established else None,
        "floor_area_m2": decl.floor_area_m2,
        "equipment": [
            {"name": r.name, "value_yuan": r.value_yuan}
            for r in rows(DeclarationEquipment, DeclarationEquipment.position)
        ],
    }
    cto = None
    if decl.cto_name:
        cto = {
            "name": decl.cto_name,
            "filing_no": decl.cto_filing_no,
            "filing_date": decl.cto_filing_date.isoformat() if decl.cto_filing_date else None,
        }
    doc["host"] = {
        "name": host.name if host else "",
        "credit_code": (host.credit_code or "") if host else "",
        "kind": host.kind if host else None,
        "first_level_legal_person": decl.first_level_legal_person,
        "competent_department": decl.competent_department or "",
        "cto": cto,
    }
    for party in rows(DeclarationParty, DeclarationParty.position):
        key = "co_builders" if party.role == "co_builder" else "joint_applicants"
        doc[key].append(_org_json(session.get(Organization, party.organization_id)))
    doc["staff"] = [
        {
            "name": s.name,
            "birth_date": s.birth_date.isoformat() if s.birth_date else None,
            "degree": s.degree,
            "title": s.title,
            "tech_leader": s.tech_leader,
        }
        for s in rows(DeclarationStaff, DeclarationStaff.position)
    ]
    doc["projects"] = [
        {"name": p.name, "level": p.level, "role": p.role, "approved_date": p.approved_date.isoformat()}
        for p in rows(DeclarationProject, DeclarationProject.position)
    ]
    achievements = []
    for a in rows(DeclarationAchievement, DeclarationAchievement.position):
        item: dict[str, Any] = {"kind": a.kind, "title": a.title, "date": a.achieved_on.isoformat()}
        if a.number is not None:
            item["number"] = a.number
        if a.kind == "invention_patent" and a.transferred:
            item["transferred"] = True
        achievements.append(item)
    doc["achievements"] = achievements
    doc["investments"] = [
        {"year": i.year, "amount_yuan": i.amount_yuan}
        for i in rows(DeclarationInvestment, DeclarationInvestment.year)
    ]
    doc["finances"] = [
        {"year": f.year, "rd_expense_yuan": f.rd_expense_yuan, "sales_revenue_yuan": f.sales_revenue_yuan}
        for f in rows(DeclarationFinance, DeclarationFinance.year)
    ]
    doc["cooperation"] = [
        {"partner": k.partner, "kind": k.kind, "date": k.cooperated_on.isoformat(), "title": k.title}
        for k in rows(DeclarationCooperation, DeclarationCooperation.position)
    ]
    doc["signature"] = {
        "name": decl.signature_name or "",
        "role": decl.signature_role,
        "date": decl.signature_date.isoformat() if decl.signature_date else None,
    }
    doc["previous_revocation_date"] = (
        decl.previous_revocation_date.isoformat() if decl.previous_revocation_date else None
    )
    return doc


def _get(session: Session, declaration_id: int) -> Declaration:
    decl = session.get(Declaration, declaration_id)
    if decl is None:
        raise NotFound(f"找不到编号为 {declaration_id} 的申报书", field="申报书")
    return decl


def _call_year(session: Session, decl: Declaration) -> int:
    call = session.get(AnnualCall, decl.call_id)
    return call.year if call is not None else decl.application_date.year
