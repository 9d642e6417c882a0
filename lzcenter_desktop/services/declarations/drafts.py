"""Drafts: creating one, saving it on every change, setting it aside.

A draft may be incomplete (missing keys, ``None`` cells); it is saved whole, in one audited
transaction, on every change, and the denormalised columns of the row and the centre's name follow
each save. A draft is not a centre yet: a new draft links no centre and no host organization. They
are linked when the draft is submitted, or at once when the document names a host with a valid
credit code (an import).

Draft saves come every few hundred milliseconds while a clerk types. The full document would be
written to the audit trail twice per save (the row before and after), so :func:`save_draft` writes
the ``declaration`` row with one UPDATE of the changed columns and records one compact audit entry
itself: the changed columns, and for ``source_json`` only the changed paths of the document
(``{"source_json": {"staff[3].degree": "硕士"}}`` before, the new values after). The centre and host
rows it touches are audited by the shared hook as usual. Nothing is deleted: a withdrawn draft
changes state.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, select

from lzcenter_desktop.domain import credit_code as cc
from lzcenter_desktop.domain.application_rules import fullwidth_brackets
from lzcenter_desktop.domain.formdef import get_path
from lzcenter_desktop.domain.interchange import MAX_CALL_YEAR, MIN_CALL_YEAR
from lzcenter_desktop.domain.model import DECLARATION_FORMAT
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.declarations.base import (
    PLACEHOLDER_HOST,
    STATUS_LABELS,
    _parse_iso,
    _text,
    diff_documents,
    empty_document,
    host_code,
)
from lzcenter_desktop.services.declarations.stored import _call_year, _get, stored_document
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.uow import audit_context, unit_of_work
from lzcenter_desktop.services.versioning import check_version, stale_record
from lzcenter_desktop.storage.models import (
    AnnualCall,
    AuditEntry,
    Center,
    CenterStateChange,
    Declaration,
    Organization,
    utcnow,
)


def check_call_year(year: object) -> int:
    """``year`` when it is a call year this program accepts, else a :class:`ServiceError` in Chinese."""
    if isinstance(year, bool) or not isinstance(year, int) or not MIN_CALL_YEAR <= year <= MAX_CALL_YEAR:
        raise ServiceError(
            f"申报年度“{year}”无效，应为 {MIN_CALL_YEAR}—{MAX_CALL_YEAR} 之间的整数", field="申报年度"
        )
    return year


def _ensure_call(session: Session, year: int) -> AnnualCall:
    call = session.execute(select(AnnualCall).where(col(AnnualCall.year) == year)).scalar_one_or_none()
    if call is None:
        call = AnnualCall.model_validate(
            {"year": year, "title": f"{year}年度柳州市工程技术研究中心建设申报", "status": "open"}
        )
        session.add(call)
        session.flush()
    return call


def _valid_kind(value: Any) -> str:
    return value if value in ("enterprise", "university", "institute", "other") else "enterprise"


def _org_by_code(session: Session, code: str) -> Organization | None:
    return session.execute(
        select(Organization).where(col(Organization.credit_code) == code)
    ).scalar_one_or_none()


def _new_org(session: Session, *, name: str, kind: Any, code: str | None) -> Organization:
    result = cc.validate(code) if code else None
    valid = result is not None and result.valid and _org_by_code(session, code or "") is None
    org = Organization.model_validate(
        {
            "name": name or PLACEHOLDER_HOST,
            "kind": _valid_kind(kind),
            "credit_code": code if valid else None,
            "district_code": result.division_code if valid and result is not None else None,
        }
    )
    session.add(org)
    session.flush()
    return org


def _resolve_org(session: Session, *, name: str, kind: Any, code: str) -> Organization:
    """The registered organization with this credit code, else one registered now."""
    if code:
        existing = _org_by_code(session, code)
        if existing is not None:
            return existing
    return _new_org(session, name=name, kind=kind, code=code)


def _column_values(document: Mapping[str, Any]) -> dict[str, Any]:
    """The denormalised columns of the ``declaration`` row, from the document (a date that does not
    parse leaves ``application_date`` as it was, the column being NOT NULL)."""
    values: dict[str, Any] = {}
    applied = _parse_iso(document.get("application_date"))
    if applied is not None:
        values["application_date"] = applied
    area = get_path(document, "center.floor_area_m2")
    flp = get_path(document, "host.first_level_legal_person")
    role = get_path(document, "signature.role")
    values.update(
        name_zh=_text(document, "center.name_zh")[:200],
        name_en=_text(document, "center.name_en")[:400],
        research_direction=_text(document, "center.research_direction")[:500],
        rd_org_established=_parse_iso(get_path(document, "center.rd_org_established")),
        floor_area_m2=float(area) if isinstance(area, int | float) and not isinstance(area, bool) else None,
        competent_department=_text(document, "host.competent_department")[:200] or None,
        first_level_legal_person=flp if isinstance(flp, bool) else True,
        cto_name=_text(document, "host.cto.name")[:50] or None,
        cto_filing_no=_text(document, "host.cto.filing_no")[:50] or None,
        cto_filing_date=_parse_iso(get_path(document, "host.cto.filing_date")),
        signature_name=_text(document, "signature.name")[:50] or None,
        signature_role=role if isinstance(role, str) and role else None,
        signature_date=_parse_iso(get_path(document, "signature.date")),
        previous_revocation_date=_parse_iso(document.get("previous_revocation_date")),
    )
    return values


def _apply_linked(session: Session, decl: Declaration, document: Mapping[str, Any]) -> None:
    """Keep a linked centre still in 草稿 and a draft-owned host (no credit code) in step with the
    document. A draft without a centre or host has nothing to follow."""
    center = session.get(Center, decl.center_id) if decl.center_id is not None else None
    name_zh = _text(document, "center.name_zh")
    if center is not None and name_zh and center.state == "draft":
        center.name_zh = name_zh[:200]
        center.name_en = _text(document, "center.name_en")[:400]
        center.research_direction = _text(document, "center.research_direction")[:500]
        session.add(center)
    host = session.get(Organization, decl.host_id) if decl.host_id is not None else None
    if host is not None and host.credit_code is None:  # created for this draft, not a registered one
        host_name = _text(document, "host.name")
        if host_name:
            host.name = host_name[:200]
        host.kind = _valid_kind(get_path(document, "host.kind"))
        session.add(host)


def _dumps(document: Mapping[str, Any]) -> str:
    try:
        return json.dumps(document, ensure_ascii=False, sort_keys=False, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise ServiceError(f"申报书内容含有不能保存的值：{exc}", field="申报书") from exc


def _normalised(document: Mapping[str, Any], call_year: int) -> dict[str, Any]:
    if not isinstance(document, Mapping):
        raise ServiceError("申报书内容应为 JSON 对象", field="申报书")
    data = copy.deepcopy(dict(document))
    data["format"] = DECLARATION_FORMAT
    data["call_year"] = call_year
    fullwidth_name(data)
    return data


def fullwidth_name(document: dict[str, Any]) -> None:
    """D26: a centre name typed with a pair of ASCII brackets is stored with full-width ones."""
    center = document.get("center")
    if isinstance(center, dict) and isinstance(center.get("name_zh"), str):
        center["name_zh"] = fullwidth_brackets(center["name_zh"])


def _valid_host(document: Mapping[str, Any]) -> bool:
    code = host_code(document)
    return bool(_text(document, "host.name")) and bool(code) and cc.validate(code).valid


def _new_center(
    session: Session, document: Mapping[str, Any], host: Organization, *, on: date, reason: str
) -> Center:
    """A centre in 草稿 for a declaration, with its first timeline entry."""
    center = Center.model_validate(
        {
            "name_zh": _text(document, "center.name_zh")[:200],
            "name_en": _text(document, "center.name_en")[:400],
            "research_direction": _text(document, "center.research_direction")[:500],
            "host_id": host.id,
            "state": "draft",
            "state_since": on,
        }
    )
    session.add(center)
    session.flush()
    session.add(
        CenterStateChange.model_validate(
            {
                "center_id": center.id,
                "changed_on": on,
                "from_state": None,
                "to_state": "draft",
                "operator": audit_context(session).operator,
                "reason": reason,
            }
        )
    )
    return center


def add_draft(session: Session, document: dict[str, Any], *, reason: str) -> Declaration:
    """A new draft row for ``document`` (stored as given), added and flushed in ``session``; the caller
    runs the unit of work and chooses the centre's timeline ``reason``. The host organization (and,
    when the centre is named, a centre in 草稿) is linked only when the document names a host with a
    valid credit code."""
    year = check_call_year(document.get("call_year"))
    call = _ensure_call(session, year)
    today = date.today()
    host: Organization | None = None
    center: Center | None = None
    if _valid_host(document):
        host = _resolve_org(
            session,
            name=_text(document, "host.name"),
            kind=get_path(document, "host.kind"),
            code=host_code(document),
        )
        if _text(document, "center.name_zh"):
            center = _new_center(session, document, host, on=today, reason=reason)
    decl = Declaration.model_validate(
        {
            "call_id": call.id,
            "center_id": center.id if center is not None else None,
            "host_id": host.id if host is not None else None,
            "application_date": today,
            "name_zh": "",
            "status": "draft",
            "source_json": _dumps(document),
        }
    )
    for key, value in _column_values(document).items():
        setattr(decl, key, value)
    session.add(decl)
    session.flush()
    _apply_linked(session, decl, document)
    session.flush()
    return decl


def create_draft(ctx: AppContext, *, call_year: int, data: Mapping[str, Any] | None = None) -> int:
    """Start a declaration (草稿) for ``call_year``; returns its id. ``data`` pre-fills it.

    No centre and no organization is made for a blank draft; only a ``data`` naming a host with a
    valid credit code links that host (and, if the centre is named, a centre in 草稿) at once."""
    year = check_call_year(call_year)
    document = _normalised(data if data is not None else empty_document(year), year)
    with unit_of_work(ctx, "declarations.create_draft") as session:
        decl = add_draft(session, document, reason="新建申报（填写申请书）")
        assert decl.id is not None
        return decl.id


_NOT_CONTENT = ("format", "call_year")


def _content(value: Any) -> Any:
    """``value`` without its blanks (None, "", empty lists and objects, recursively); None if nothing
    is left."""
    if isinstance(value, Mapping):
        kept = {k: c for k, v in value.items() if (c := _content(v)) is not None}
        return kept or None
    if isinstance(value, list):
        items = [c for v in value if (c := _content(v)) is not None]
        return items or None
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return value


def is_blank_document(document: Mapping[str, Any]) -> bool:
    """Whether a declaration document holds no real value yet: every field blank, every table empty
    (its format and call year aside). A new declaration is stored only once it is not blank."""
    return _content({k: v for k, v in document.items() if k not in _NOT_CONTENT}) is None


def _editable(session: Session, declaration_id: int) -> Declaration:
    decl = _get(session, declaration_id)
    if decl.status != "draft":
        label = STATUS_LABELS.get(decl.status, decl.status)
        raise ServiceError(f"第 {declaration_id} 号申报书{label}，不能再修改", field="申报书")
    return decl


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def save_draft(
    ctx: AppContext,
    *,
    declaration_id: int,
    data: Mapping[str, Any],
    action: str = "declarations.save_draft",
    reason: str = "",
    expected_version: int | None = None,
) -> int:
    """Save the whole working document of a draft (one audited transaction); returns the
    declaration's version after the save (pass it as ``expected_version`` to the next save).

    Saving the same document again writes nothing. With ``expected_version`` (the version the
    wizard loaded or got back from its last save) a draft saved by someone else in between is
    refused with :class:`~lzcenter_desktop.services.versioning.StaleRecord`; every save that writes
    raises the version by one. The audit entry of the ``declaration`` row is
    compact: the changed columns and the changed paths of the document (see the module docstring).
    ``action`` and ``reason`` say where the change came from (an Excel import: the action
    ``declarations.import_excel`` and the reason ``从 Excel 导入：申报书.xlsx`` in the entry)."""
    with unit_of_work(ctx, action) as session:
        decl = _editable(session, declaration_id)
        document = _normalised(data, _call_year(session, decl))
        text = _dumps(document)
        if text == decl.source_json:
            return decl.version
        check_version(session, decl, expected_version)
        loaded = decl.version
        previous = stored_document(session, decl)
        changed = {k: v for k, v in _column_values(document).items() if getattr(decl, k) != v}
        before = {k: _jsonable(getattr(decl, k)) for k in changed}
        after = {k: _jsonable(v) for k, v in changed.items()}
        differences = diff_documents(previous, document)
        before["source_json"] = {d.path: d.left for d in differences}
        after["source_json"] = {d.path: d.right for d in differences}
        if reason:
            after["reason"] = reason
        before["version"], after["version"] = loaded, loaded + 1
        done = session.execute(
            update(Declaration)
            .where(col(Declaration.id) == declaration_id, col(Declaration.version) == loaded)
            .values(source_json=text, version=loaded + 1, **changed),
            execution_options={"synchronize_session": False},
        )
        if getattr(done, "rowcount", 1) != 1:  # saved by another computer since it was read
            raise stale_record(
                session, entity="declaration", entity_id=str(declaration_id), expected=loaded, current=None
            )
        set_committed_value(decl, "version", loaded + 1)
        audit = audit_context(session)
        session.add(
            AuditEntry.model_validate(
                {
                    "operator": audit.operator,
                    "action": audit.action,
                    "operation": "update",
                    "entity": "declaration",
                    "entity_id": str(declaration_id),
                    "before": json.dumps(before, ensure_ascii=False, sort_keys=True, default=str),
                    "after": json.dumps(after, ensure_ascii=False, sort_keys=True, default=str),
                    "txn": audit.txn,
                    "at": utcnow(),
                }
            )
        )
        audit.entries += 1
        _apply_linked(session, decl, document)
        return loaded + 1


def withdraw_draft(ctx: AppContext, *, declaration_id: int, reason: str) -> None:
    """Set a draft aside (状态“已撤回”); it is kept, never deleted."""
    if not reason.strip():
        raise ServiceError("请填写撤回的原因", field="撤回原因")
    with unit_of_work(ctx, "declarations.withdraw_draft") as session:
        decl = _editable(session, declaration_id)
        decl.status = "withdrawn"
        session.add(decl)
