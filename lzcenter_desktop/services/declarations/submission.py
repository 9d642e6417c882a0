"""Submitting a draft.

Submission needs a complete document without error-level violations and an acknowledgement with a
reason for each warning (警告); it then writes the child tables (staff, projects, …), links the real
organizations — the registered one with the host's credit code, else a new one — and a centre (a new
one in 草稿 when needed), and moves the centre to 已提交, all in one transaction. A refusal names the
field by the form's label (``中心名称（中文）``, ``研发人员 第 3 行 学历``) and a warning's rule with
its article, never an internal path or code.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from lzcenter_desktop.domain import credit_code as cc
from lzcenter_desktop.domain.draft_checks import path_label, rule_reference
from lzcenter_desktop.domain.formdef import FormDef, get_path
from lzcenter_desktop.domain.interchange import declaration_to_json, parse_declaration
from lzcenter_desktop.domain.violations import Severity, Violation
from lzcenter_desktop.services import rulesets
from lzcenter_desktop.services.centers import apply_state_change
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.declarations.acknowledgements import _ACK_REASON_MAX, _active_acks, _store_ack
from lzcenter_desktop.services.declarations.base import _text, host_code, load_declaration_form, violation_key
from lzcenter_desktop.services.declarations.checking import (
    _duplicates,
    check_document,
    find_recorded_revocation,
)
from lzcenter_desktop.services.declarations.drafts import (
    _dumps,
    _editable,
    _new_center,
    _new_org,
    _org_by_code,
    _resolve_org,
)
from lzcenter_desktop.services.declarations.stored import _call_year, stored_document
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.uow import unit_of_work
from lzcenter_desktop.storage.models import (
    Center,
    CenterIndustry,
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

_STATE_REASON_MAX = 1000


def _ack_text(form: FormDef, violations: Sequence[Violation], acknowledgements: Mapping[str, str]) -> str:
    """``D9.5b（第九条（五）） 主要科研仪器设备（…）确认理由：…``, one per warning, for the timeline."""
    parts = [
        f"{rule_reference(v.rule)} {path_label(form, v.path)}（{v.message}）"
        f"确认理由：{acknowledgements[violation_key(v)].strip()}"
        for v in violations
    ]
    return "；".join(parts)


def submit_declaration(
    ctx: AppContext,
    *,
    declaration_id: int,
    acknowledgements: Mapping[str, str] | None = None,
    on: date | None = None,
) -> None:
    """Submit a draft. Refused (Chinese message) while an error-level violation remains or a warning
    has no acknowledgement reason: the stored ones (:func:`set_acknowledgement`), overridden by a
    non-blank reason in ``acknowledgements`` (:func:`violation_key` → reason), which is stored too.
    The host organization and the centre are linked (created when needed) here; the reasons go into
    the centre's timeline entry of the submission."""
    day = on or date.today()
    with unit_of_work(ctx, "declarations.submit_declaration") as session:
        decl = _editable(session, declaration_id)
        document = stored_document(session, decl)
        year = _call_year(session, decl)
        form = load_declaration_form(year)
        settings = rulesets.settings_for_year(ctx, year)
        revocation = find_recorded_revocation(session, document)
        violations = check_document(
            document, form=form, settings=settings, revocation=revocation
        ) + _duplicates(session, decl, document)
        errors = [v for v in violations if v.severity is Severity.ERROR]
        if errors:
            first = errors[0]
            raise ServiceError(
                f"还有 {len(errors)} 项错误，改正后才能提交。"
                f"第一项：{path_label(form, first.path)}：{first.message}",
                field=first.path,
            )
        reasons = {key: row.reason for key, row in _active_acks(session, declaration_id).items()}
        given = {
            k: r.strip() for k, r in (acknowledgements or {}).items() if isinstance(r, str) and r.strip()
        }
        reasons.update(given)
        unacknowledged = [
            v for v in violations if v.severity is Severity.WARNING and not reasons.get(violation_key(v))
        ]
        if unacknowledged:
            first = unacknowledged[0]
            raise ServiceError(
                f"还有 {len(unacknowledged)} 项警告未填写确认理由。"
                f"第一项：{rule_reference(first.rule)} {path_label(form, first.path)}：{first.message}",
                field=first.path,
            )
        for v in violations:
            if len(reasons[violation_key(v)]) > _ACK_REASON_MAX:
                raise ServiceError(
                    f"“{rule_reference(v.rule)}”（{path_label(form, v.path)}）的确认理由过长"
                    f"（{len(reasons[violation_key(v)])} 字，最多 {_ACK_REASON_MAX} 字），请缩短",
                    field=v.path,
                )
        warnings = [v for v in violations if v.severity is Severity.WARNING]
        for v in warnings:
            if violation_key(v) in given:
                _store_ack(session, declaration_id, v.rule, v.path, given[violation_key(v)])
        canonical = declaration_to_json(parse_declaration(document))
        decl.source_json = _dumps(canonical)
        decl.status = "submitted"
        decl.submitted_on = day
        _materialise(session, decl, canonical, day)
        center = session.get(Center, decl.center_id)
        assert center is not None
        reason = "提交申报书"
        if warnings:
            reason += "；警告已确认：" + _ack_text(form, warnings, reasons)
        if len(reason) > _STATE_REASON_MAX:
            reason = reason[: _STATE_REASON_MAX - 1] + "…"
        if center.state == "draft":
            apply_state_change(
                session, center, to_state="submitted", on=max(day, center.state_since), reason=reason
            )
        session.add(decl)


def _materialise(session: Session, decl: Declaration, doc: Mapping[str, Any], day: date) -> None:
    """Write the child tables of a submitted declaration; link (or create) its host organization,
    its centre and the other organizations."""
    did = decl.id
    assert did is not None
    code = host_code(doc)
    host = session.get(Organization, decl.host_id) if decl.host_id is not None else None
    if host is None:
        host = _resolve_org(session, name=_text(doc, "host.name"), kind=get_path(doc, "host.kind"), code=code)
    elif host.credit_code != code:
        existing = _org_by_code(session, code) if code else None
        if existing is not None:
            host = existing
        elif host.credit_code is None and cc.validate(code).valid:
            host.credit_code = code
            host.district_code = cc.validate(code).division_code
        else:
            host = _new_org(session, name=_text(doc, "host.name"), kind=get_path(doc, "host.kind"), code=code)
    host.first_level_legal_person = bool(get_path(doc, "host.first_level_legal_person"))
    host.competent_department = _text(doc, "host.competent_department") or host.competent_department
    session.add(host)
    session.flush()
    assert host.id is not None
    decl.host_id = host.id
    center = session.get(Center, decl.center_id) if decl.center_id is not None else None
    if center is None:
        center = _new_center(session, doc, host, on=day, reason="提交申报书时建立中心记录")
        session.flush()
        decl.center_id = center.id
    if center.state == "draft":
        center.host_id = host.id
        session.add(center)
    has_industries = session.execute(
        select(CenterIndustry).where(col(CenterIndustry.center_id) == center.id)
    ).first()
    c = doc["center"]
    for pos, industry in enumerate(c["industry_fields"]):
        session.add(
            DeclarationIndustry.model_validate({"declaration_id": did, "position": pos, "industry": industry})
        )
        if has_industries is None:
            session.add(
                CenterIndustry.model_validate({"center_id": center.id, "position": pos, "industry": industry})
            )
    position = 0
    for role, key in (("co_builder", "co_builders"), ("joint_applicant", "joint_applicants")):
        for o in doc[key]:
            org = _resolve_org(session, name=o["name"], kind=o["kind"], code=o["credit_code"].strip().upper())
            session.add(
                DeclarationParty.model_validate(
                    {"declaration_id": did, "organization_id": org.id, "role": role, "position": position}
                )
            )
            position += 1
    for pos, s in enumerate(doc["staff"]):
        session.add(
            DeclarationStaff.model_validate(
                {
                    "declaration_id": did,
                    "position": pos,
                    "name": s["name"][:50],
                    "birth_date": date.fromisoformat(s["birth_date"]),
                    "degree": s["degree"],
                    "title": s["title"],
                    "tech_leader": s["tech_leader"],
                }
            )
        )
    for pos, p in enumerate(doc["projects"]):
        session.add(
            DeclarationProject.model_validate(
                {
                    "declaration_id": did,
                    "position": pos,
                    "name": p["name"][:300],
                    "level": p["level"],
                    "role": p["role"],
                    "approved_date": date.fromisoformat(p["approved_date"]),
                }
            )
        )
    for pos, a in enumerate(doc["achievements"]):
        session.add(
            DeclarationAchievement.model_validate(
                {
                    "declaration_id": did,
                    "position": pos,
                    "kind": a["kind"],
                    "title": a["title"][:300],
                    "achieved_on": date.fromisoformat(a["date"]),
                    "number": a.get("number"),
                    "transferred": bool(a.get("transferred")),
                }
            )
        )
    for pos, e in enumerate(c["equipment"]):
        session.add(
            DeclarationEquipment.model_validate(
                {
                    "declaration_id": did,
                    "position": pos,
                    "name": e["name"][:200],
                    "value_yuan": e["value_yuan"],
                }
            )
        )
    for i in doc["investments"]:
        session.add(
            DeclarationInvestment.model_validate(
                {"declaration_id": did, "year": i["year"], "amount_yuan": i["amount_yuan"]}
            )
        )
    for f in doc["finances"]:
        session.add(
            DeclarationFinance.model_validate(
                {
                    "declaration_id": did,
                    "year": f["year"],
                    "rd_expense_yuan": f["rd_expense_yuan"],
                    "sales_revenue_yuan": f["sales_revenue_yuan"],
                }
            )
        )
    for pos, k in enumerate(doc["cooperation"]):
        session.add(
            DeclarationCooperation.model_validate(
                {
                    "declaration_id": did,
                    "position": pos,
                    "partner": k["partner"][:200],
                    "kind": k["kind"],
                    "cooperated_on": date.fromisoformat(k["date"]),
                    "title": k["title"][:300],
                }
            )
        )
    session.flush()
