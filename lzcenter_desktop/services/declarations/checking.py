"""Checks of a (possibly incomplete) declaration document, all as
:class:`~lzcenter_desktop.domain.violations.Violation`.

Three sources: required fields of the form definition (rule ``FORM``), shape problems (``FORMAT``)
and the rule engine (``check_declaration`` with the rule set of the call year), plus the same host
credit code declared twice in one call year (``DUP``). Also the running staff totals of the wizard and
what the bureau's own records know of a revoked centre of the host (D25).
"""

from __future__ import annotations

import copy
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from lzcenter_desktop.domain.eligibility import (
    BACHELOR_OR_HIGHER,
    INTERMEDIATE_OR_HIGHER,
    check_declaration,
    normalised,
)
from lzcenter_desktop.domain.formdef import FieldDef, FormDef, get_path
from lzcenter_desktop.domain.interchange import FormatError, parse_declaration
from lzcenter_desktop.domain.settings import RuleSettings
from lzcenter_desktop.domain.violations import Severity, Violation
from lzcenter_desktop.services import rulesets
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.declarations.base import (
    CLOSED_STATUSES,
    DUPLICATE_RULE,
    FORM_RULE,
    FORMAT_RULE,
    CheckResult,
    StaffTotals,
    _blank,
    _parse_iso,
    _table_rows,
    _v,
    empty_document,
    host_code,
    load_declaration_form,
    set_path,
)
from lzcenter_desktop.services.declarations.stored import _call_year, _get, stored_document
from lzcenter_desktop.services.uow import reading
from lzcenter_desktop.storage.models import Center, CenterStateChange, Declaration, Organization


def required_field_violations(form: FormDef, document: Mapping[str, Any]) -> list[Violation]:
    """A ``FORM`` error for every required field, row cell or minimum row count the draft misses."""
    out: list[Violation] = []
    for section in form.sections:
        for fd in section.fields:
            if fd.is_required(document) and _blank(get_path(document, fd.key)):
                out.append(
                    _v(
                        FORM_RULE,
                        "申报表",
                        Severity.ERROR,
                        fd.key,
                        f"请填写“{fd.label}”（{section.title}）",
                        "（空）",
                        "必填",
                    )
                )
        for table in section.tables:
            rows = _table_rows(document, table.key)
            if len(rows) < table.min_rows:
                out.append(
                    _v(
                        FORM_RULE,
                        "申报表",
                        Severity.ERROR,
                        table.key,
                        f"“{table.label}”至少应填写 {table.min_rows} 行，现有 {len(rows)} 行",
                        f"{len(rows)}行",
                        f"≥ {table.min_rows}行",
                    )
                )
            for i, row in enumerate(rows):
                for column in table.columns:
                    value = row.get(column.key) if isinstance(row, dict) else None
                    if column.required and _blank(value):
                        out.append(
                            _v(
                                FORM_RULE,
                                "申报表",
                                Severity.ERROR,
                                f"{table.key}[{i}].{column.key}",
                                f"“{table.label}”第 {i + 1} 行未填写“{column.label}”",
                                "（空）",
                                "必填",
                            )
                        )
    return out


def _row_complete(row: Any, columns: Sequence[FieldDef]) -> bool:
    return isinstance(row, dict) and all(not (c.required and _blank(row.get(c.key))) for c in columns)


def _completed(
    form: FormDef, document: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, dict[int, int]]]:
    """A copy of the draft the strict parser accepts: blanks filled with neutral values, incomplete
    table rows left out. Also returns, per table, the map from the row's index in the copy to its
    index in the draft (so a violation on ``staff[2]`` lands on the right row)."""
    doc = copy.deepcopy(dict(document))
    base = empty_document(int(doc.get("call_year") or 0))
    for key, value in base.items():
        if key not in doc or (doc[key] is None and isinstance(value, dict | list)):
            doc[key] = copy.deepcopy(value)
    for key in ("center", "host", "signature"):
        if not isinstance(doc.get(key), dict):
            doc[key] = copy.deepcopy(base[key])
        for sub, value in base[key].items():
            doc[key].setdefault(sub, copy.deepcopy(value))
    ref = _parse_iso(doc.get("application_date")) or date(max(int(doc.get("call_year") or 2000), 1900), 1, 1)
    if _parse_iso(doc.get("application_date")) is None:
        doc["application_date"] = ref.isoformat()
    for fd in form.all_fields():
        value = get_path(doc, fd.key)
        if fd.key.startswith("host.cto."):
            continue
        if not _blank(value):
            continue
        if fd.type == "date":
            filler: Any = ref.isoformat() if fd.required else None
        elif fd.type in ("int", "money", "area"):
            filler = 0
        elif fd.type == "bool":
            filler = True
        elif fd.type == "enum":
            filler = fd.choices[0][0] if fd.choices else ""
        elif fd.type == "multi_enum":
            filler = []
        else:
            filler = ""
        set_path(doc, fd.key, filler)
    cto = doc["host"].get("cto")
    if isinstance(cto, dict):
        if _blank(cto.get("name")) and _blank(cto.get("filing_no")) and _blank(cto.get("filing_date")):
            doc["host"]["cto"] = None
        else:
            cto.setdefault("name", "")
            cto["name"] = cto.get("name") or ""
            for sub in ("filing_no", "filing_date"):
                cto[sub] = cto.get(sub) or None
    index_maps: dict[str, dict[int, int]] = {}
    for table in form.all_tables():
        rows = _table_rows(doc, table.key)
        kept: list[Any] = []
        mapping: dict[int, int] = {}
        for i, row in enumerate(rows):
            if _row_complete(row, table.columns):
                clean = {k: v for k, v in row.items() if v is not None}
                mapping[len(kept)] = i
                kept.append(clean)
        set_path(doc, table.key, kept)
        index_maps[table.key] = mapping
    return doc, index_maps


def _remap_path(path: str, index_maps: Mapping[str, Mapping[int, int]]) -> str:
    for key, mapping in index_maps.items():
        prefix = key + "["
        if path.startswith(prefix):
            close = path.find("]", len(prefix))
            if close > 0 and path[len(prefix) : close].isdigit():
                i = int(path[len(prefix) : close])
                return f"{key}[{mapping.get(i, i)}]{path[close + 1 :]}"
    return path


# Rules whose outcome depends on a field other than the one they flag: while that field is blank
# they would judge a stand-in value, so they wait for it.
_DEPENDS_ON: Mapping[str, tuple[str, ...]] = {
    "application_date": ("D9.4", "D9.6b", "D9.6c", "D9.6d", "D9.7", "D25"),
    "host.kind": ("D9.7", "D9.8", "D10.2"),
    "signature.name": ("D10.2",),
    "signature.role": ("D10.2",),
}


def _covered(v: Violation, missing: Iterable[str]) -> bool:
    path = v.path
    for m in missing:
        if path == m or path.startswith(m + ".") or path.startswith(m + "["):
            return True
        if any(v.rule == r or v.rule.startswith(r) for r in _DEPENDS_ON.get(m, ())):
            return True
    return False


def check_document(
    document: Mapping[str, Any],
    *,
    form: FormDef,
    settings: RuleSettings,
    previous_revocation: date | None = None,
    revocation_document: str | None = None,
    revocation: RecordedRevocation | None = None,
) -> list[Violation]:
    """Every violation of a (possibly incomplete) draft: required fields, shape, then the rules.

    A rule violation about a field that is still blank is left out (the ``FORM`` error says it).
    ``revocation`` is what the bureau's records know of a revoked centre of the host
    (:func:`recorded_revocation`); it decides D25 even when the applicant left the field blank.
    """
    if revocation is not None:
        previous_revocation, revocation_document = revocation.revoked_on, revocation.document_no
    required = required_field_violations(form, document)
    missing = {v.path for v in required}
    out = list(required)
    doc, index_maps = _completed(form, document)
    try:
        decl = parse_declaration(doc)
    except FormatError as exc:
        path = _remap_path(exc.path, index_maps)
        out.append(
            _v(FORMAT_RULE, "交换格式", Severity.ERROR, path, f"格式不正确：{exc.detail}", "", "符合交换格式")
        )
        return out
    for v in check_declaration(
        decl, settings, previous_revocation=previous_revocation, revocation_document=revocation_document
    ):
        path = _remap_path(v.path, index_maps)
        moved = _v(v.rule, v.article, v.severity, path, v.message, v.actual, v.required)
        if not _covered(moved, missing):
            out.append(moved)
    return out


def _distinct_staff(document: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The staff rows with repeats left out (a person is one by name + birth date, as D9.3 counts)."""
    seen: set[tuple[str, Any]] = set()
    out: list[dict[str, Any]] = []
    for r in _table_rows(document, "staff"):
        if not isinstance(r, dict):
            continue
        name = normalised(r.get("name") if isinstance(r.get("name"), str) else "")
        key = (name, r.get("birth_date"))
        if name and key in seen:
            continue
        seen.add(key)
        out.append(r)
    return out


def staff_totals(document: Mapping[str, Any], settings: RuleSettings) -> StaffTotals:
    """The running totals the wizard shows under the staff grid, each person counted once."""
    rows = _distinct_staff(document)
    bachelor_values = {d.value for d in BACHELOR_OR_HIGHER}
    titled_values = {t.value for t in INTERMEDIATE_OR_HIGHER}
    return StaffTotals(
        count=len(rows),
        bachelor=sum(1 for r in rows if r.get("degree") in bachelor_values),
        titled=sum(1 for r in rows if r.get("title") in titled_values),
        leaders=sum(1 for r in rows if r.get("tech_leader") is True),
        min_staff=settings.min_staff,
        min_bachelor_share=settings.min_bachelor_share,
        min_titled_share=settings.min_intermediate_title_share,
    )


@dataclass(frozen=True, slots=True)
class RecordedRevocation:
    """A centre of the declaring host that the bureau revoked (第二十五条), from its own records."""

    revoked_on: date
    document_no: str | None
    center_name: str


def name_key(name: object) -> str:
    """An organization name for matching: NFKC-normalised, all white space removed (``""`` when
    ``name`` is not a string)."""
    return "".join(unicodedata.normalize("NFKC", name).split()) if isinstance(name, str) else ""


def find_recorded_revocation(session: Session, document: Mapping[str, Any]) -> RecordedRevocation | None:
    """The latest revocation of a centre hosted by the declaring organization: the organization with
    the host's credit code, and any registered under the same (normalised) name — the same unit
    registered twice, or by name only before its code was known."""
    code = host_code(document)
    key = name_key(get_path(document, "host.name"))
    if not code and not key:
        return None
    org_ids: set[int] = set()
    if code:
        org_ids.update(
            session.execute(
                select(col(Organization.id)).where(col(Organization.credit_code) == code)
            ).scalars()
        )
    if key:
        first = key[:1]
        candidates = session.execute(
            select(col(Organization.id), col(Organization.name)).where(col(Organization.name).contains(first))
        ).all()
        org_ids.update(oid for oid, oname in candidates if name_key(oname) == key)
    if not org_ids:
        return None
    rows = session.execute(
        select(col(CenterStateChange.changed_on), col(CenterStateChange.document_no), col(Center.name_zh))
        .join(Center, col(Center.id) == col(CenterStateChange.center_id))
        .where(
            col(Center.host_id).in_(org_ids),
            col(CenterStateChange.to_state) == "revoked",
        )
        .order_by(col(CenterStateChange.changed_on).desc(), col(CenterStateChange.id).desc())
        .limit(1)
    ).first()
    if rows is None:
        return None
    return RecordedRevocation(revoked_on=rows[0], document_no=rows[1], center_name=rows[2])


def recorded_revocation(ctx: AppContext, *, document: Mapping[str, Any]) -> RecordedRevocation | None:
    """What the bureau's records know of a revoked centre of this document's host (D25), or None."""
    with reading(ctx) as session:
        return find_recorded_revocation(session, document)


def _duplicates(session: Session, decl: Declaration, document: Mapping[str, Any]) -> list[Violation]:
    code = host_code(document)
    if not code:
        return []
    others = session.execute(
        select(Declaration).where(
            col(Declaration.call_id) == decl.call_id,
            col(Declaration.id) != decl.id,
            col(Declaration.status).not_in(CLOSED_STATUSES),
        )
    ).scalars()
    clash = [
        other.id
        for other in others
        if other.id is not None and host_code(stored_document(session, other)) == code
    ]
    return duplicate_host_violations(document, code, clash)


def duplicate_host_violations(
    document: Mapping[str, Any], code: str, clash: Sequence[int]
) -> list[Violation]:
    """The ``DUP`` warning of ``document`` when the other declarations ``clash`` of its call year (not
    withdrawn) name the same host credit ``code``; none when ``clash`` is empty."""
    if not clash:
        return []
    ids = "、".join(f"第 {i} 号" for i in sorted(clash))
    year = document.get("call_year")
    return [
        _v(
            DUPLICATE_RULE,
            "第十条（一）",
            Severity.WARNING,
            "host.credit_code",
            f"统一社会信用代码 {code} 在 {year} 年度已有申报书（{ids}），同一单位同一年度重复申报",
            f"{len(clash) + 1}份",
            "每年度1份",
        )
    ]


def check_declaration_draft(ctx: AppContext, *, declaration_id: int) -> CheckResult:
    """Every violation of the stored declaration, with the rule set of its call year."""
    with reading(ctx) as session:
        decl = _get(session, declaration_id)
        document = stored_document(session, decl)
        year = _call_year(session, decl)
        duplicates = _duplicates(session, decl, document)
        revocation = find_recorded_revocation(session, document)
    return CheckResult(check_data(ctx, document, call_year=year, revocation=revocation) + duplicates)


def check_data(
    ctx: AppContext,
    document: Mapping[str, Any],
    *,
    call_year: int,
    revocation: RecordedRevocation | None = None,
) -> list[Violation]:
    """Check an in-memory draft (the wizard, as the clerk types) against the rules of ``call_year``."""
    form = load_declaration_form(call_year)
    settings = rulesets.settings_for_year(ctx, call_year)
    return check_document(document, form=form, settings=settings, revocation=revocation)


def duplicate_violations(
    ctx: AppContext, *, declaration_id: int, document: Mapping[str, Any]
) -> list[Violation]:
    with reading(ctx) as session:
        return _duplicates(session, _get(session, declaration_id), document)
