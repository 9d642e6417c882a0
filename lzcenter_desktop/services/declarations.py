"""Declarations (认定申请书): drafts saved on every change, live checks, submission, JSON import/export.

A declaration's working document is the interchange dict (``lzcenter.declaration/1``) kept in
``Declaration.source_json``: a draft may be incomplete (missing keys, ``None`` cells), and it is
saved whole, in one audited transaction, on every change. The denormalised columns of the row and
the centre's name follow each save. Submission needs a complete document without error-level
violations and an acknowledgement with a reason for each warning; it then writes the child tables
(staff, projects, …), links the real organizations and moves the centre to 已提交, all in one
transaction. Nothing is deleted: a withdrawn draft changes state.

Checks combine three sources, all as :class:`~lzcenter_desktop.domain.violations.Violation`:
required fields of the form definition (rule ``FORM``), shape problems (``FORMAT``) and the rule
engine (``check_declaration`` with the rule set of the call year), plus the same host credit code
declared twice in one call year (``DUP``).

A draft is not a centre yet: a new draft links no centre and no host organization (no placeholder
records in the centre list or the organization registry). They are linked when the draft is
submitted — the registered organization with the host's credit code, else a new one, and a new
centre in 草稿 moved at once to 已提交 — or when a document with a valid host is imported.

The reason given for each warning is stored as soon as it is typed (``declaration_acknowledgement``,
one audited row; a changed or cleared reason retires the old row), shown again when the draft is
resumed, and carried into the submission (the centre's timeline entry).

Draft saves come every few hundred milliseconds while a clerk types. The full document would be
written to the audit trail twice per save (the row before and after), so :func:`save_draft` writes
the ``declaration`` row with one UPDATE of the changed columns and records one compact audit entry
itself: the changed columns, and for ``source_json`` only the changed paths of the document
(``{"source_json": {"staff[3].degree": "硕士"}}`` before, the new values after). The centre and host
rows it touches are audited by the shared hook as usual.
"""

from __future__ import annotations

import copy
import json
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from fractions import Fraction
from pathlib import Path
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from lzcenter_desktop import paths
from lzcenter_desktop.domain import credit_code as cc
from lzcenter_desktop.domain.eligibility import (
    BACHELOR_OR_HIGHER,
    INTERMEDIATE_OR_HIGHER,
    check_declaration,
    fullwidth_brackets,
    normalised,
)
from lzcenter_desktop.domain.formdef import FieldDef, FormDef, get_path, load_form_text, pick_year
from lzcenter_desktop.domain.interchange import (
    MAX_CALL_YEAR,
    MIN_CALL_YEAR,
    FormatError,
    declaration_to_json,
    parse_declaration,
)
from lzcenter_desktop.domain.model import DECLARATION_FORMAT
from lzcenter_desktop.domain.settings import RuleSettings
from lzcenter_desktop.domain.violations import Severity, Violation
from lzcenter_desktop.services import output, rulesets
from lzcenter_desktop.services.centers import apply_state_change
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import NotFound, ServiceError
from lzcenter_desktop.services.uow import audit_context, reading, unit_of_work
from lzcenter_desktop.storage.models import (
    AnnualCall,
    AuditEntry,
    Center,
    CenterIndustry,
    CenterStateChange,
    Declaration,
    DeclarationAchievement,
    DeclarationAcknowledgement,
    DeclarationCooperation,
    DeclarationEquipment,
    DeclarationFinance,
    DeclarationIndustry,
    DeclarationInvestment,
    DeclarationParty,
    DeclarationProject,
    DeclarationStaff,
    Organization,
    utcnow,
)

MAX_IMPORT_BYTES = 5 * 1024 * 1024  # a declaration is about 10 KB; bounds the memory of parsing
# Names of the placeholder records earlier versions made for every new draft (migration 0004 retires
# them). A draft no longer gets any; PLACEHOLDER_HOST only names an organization registered without a
# name, which submission (the host's name is required) never does.
PLACEHOLDER_HOST = "（未填写依托单位）"
PLACEHOLDER_CENTER = "（未命名的申报中心）"
STATUS_LABELS: Mapping[str, str] = {
    "draft": "草稿",
    "submitted": "已提交",
    "withdrawn": "已撤回",
    "decided": "已办结",
}
FORM_RULE = "FORM"
FORMAT_RULE = "FORMAT"
DUPLICATE_RULE = "DUP"
_ACK_REASON_MAX = 200
_ACK_RULE_MAX = 30
_ACK_PATH_MAX = 200
_STATE_REASON_MAX = 1000


# ---------------------------------------------------------------- public types


@dataclass(frozen=True, slots=True)
class DeclarationRow:
    """One line of the declarations list."""

    id: int
    call_year: int
    center_name: str
    host_name: str
    credit_code: str
    status: str  # draft / submitted / withdrawn / decided
    status_label: str
    application_date: date | None
    errors: int
    warnings: int


@dataclass(frozen=True, slots=True)
class DeclarationView:
    id: int
    call_year: int
    status: str
    data: dict[str, Any]  # the interchange document (a draft may be incomplete)
    submitted_on: date | None


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    declaration_id: int
    violations: list[Violation]


@dataclass(frozen=True, slots=True)
class FieldDifference:
    path: str  # interchange path, e.g. ``staff[3].degree``
    left: Any
    right: Any


@dataclass(frozen=True, slots=True)
class StaffTotals:
    """Running totals of the 研发人员 page (第九条（三）)."""

    count: int
    bachelor: int
    titled: int
    leaders: int
    min_staff: int
    min_bachelor_share: Fraction
    min_titled_share: Fraction

    @property
    def bachelor_share(self) -> Fraction:
        return Fraction(self.bachelor, self.count) if self.count else Fraction(0)

    @property
    def titled_share(self) -> Fraction:
        return Fraction(self.titled, self.count) if self.count else Fraction(0)

    def text(self) -> str:
        def pct(f: Fraction) -> str:
            return f"{round(float(f) * 100)}%"

        return (
            f"研发人员 {self.count} 人（要求 ≥ {self.min_staff} 人），"
            f"本科及以上 {pct(self.bachelor_share)}（要求 ≥ {pct(self.min_bachelor_share)}），"
            f"中级职称以上 {pct(self.titled_share)}（要求 ≥ {pct(self.min_titled_share)}），"
            f"技术带头人 {self.leaders} 人"
        )


@dataclass(frozen=True, slots=True)
class CheckResult:
    violations: list[Violation] = field(default_factory=list)

    @property
    def errors(self) -> list[Violation]:
        return [v for v in self.violations if v.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Violation]:
        return [v for v in self.violations if v.severity is Severity.WARNING]


def violation_key(v: Violation) -> str:
    """The key an acknowledgement of warning ``v`` is stored under: ``rule|path``."""
    return f"{v.rule}|{v.path}"


# ---------------------------------------------------------------- form definitions


def load_declaration_form(call_year: int, forms_dir: Path | None = None) -> FormDef:
    """The declaration form of ``call_year``: the newest ``forms/declaration-<year>.toml`` not after it;
    for a year before the first form (declarations recorded from earlier calls), the first form."""
    folder = forms_dir or paths.forms_dir()
    available: dict[int, str] = {}
    for file in folder.glob("declaration-*.toml"):
        suffix = file.stem.rsplit("-", 1)[-1]
        if suffix.isdigit():
            available[int(suffix)] = str(file)
    if not available:
        raise ServiceError("找不到申报表定义文件 forms/declaration-<年度>.toml", field="申报表")
    year = pick_year(available, call_year) if call_year >= min(available) else min(available)
    chosen = available[year]
    try:
        return load_form_text(Path(chosen).read_text(encoding="utf-8"))
    except ValueError as exc:  # FormDefinitionError
        raise ServiceError(str(exc), field="申报表") from exc


# ---------------------------------------------------------------- documents


def empty_document(call_year: int) -> dict[str, Any]:
    """A blank draft: every key of the format present, values empty."""
    return {
        "format": DECLARATION_FORMAT,
        "call_year": call_year,
        "application_date": None,
        "center": {
            "name_zh": "",
            "name_en": "",
            "research_direction": "",
            "industry_fields": [],
            "rd_org_established": None,
            "floor_area_m2": None,
            "equipment": [],
        },
        "host": {
            "name": "",
            "credit_code": "",
            "kind": None,
            "first_level_legal_person": None,
            "competent_department": "",
            "cto": None,
        },
        "co_builders": [],
        "joint_applicants": [],
        "staff": [],
        "projects": [],
        "achievements": [],
        "investments": [],
        "finances": [],
        "cooperation": [],
        "signature": {"name": "", "role": None, "date": None},
        "previous_revocation_date": None,
    }


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def set_path(document: dict[str, Any], path: str, value: Any) -> None:
    """``set_path(doc, "host.cto.name", "张三")``, creating objects on the way (a ``None`` becomes ``{}``)."""
    parts = path.split(".")
    node = document
    for part in parts[:-1]:
        nxt = node.get(part)
        if not isinstance(nxt, dict):
            nxt = {}
            node[part] = nxt
        node = nxt
    node[parts[-1]] = value


def _table_rows(document: Mapping[str, Any], key: str) -> list[Any]:
    rows = get_path(document, key)
    return rows if isinstance(rows, list) else []


def _parse_iso(value: Any) -> date | None:
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


# ---------------------------------------------------------------- checking


def _v(
    rule: str, article: str, severity: Severity, path: str, message: str, actual: str, required: str
) -> Violation:
    return Violation(rule, article, severity, path, message, actual, required)


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


def _host_code(document: Mapping[str, Any]) -> str:
    value = get_path(document, "host.credit_code")
    return value.strip().upper() if isinstance(value, str) else ""


@dataclass(frozen=True, slots=True)
class RecordedRevocation:
    """A centre of the declaring host that the bureau revoked (第二十五条), from its own records."""

    revoked_on: date
    document_no: str | None
    center_name: str


def _name_key(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name).split())


def _recorded_revocation(session: Session, document: Mapping[str, Any]) -> RecordedRevocation | None:
    """The latest revocation of a centre hosted by the declaring organization: the organization with
    the host's credit code, and any registered under the same (normalised) name — the same unit
    registered twice, or by name only before its code was known."""
    code = _host_code(document)
    name = get_path(document, "host.name")
    key = _name_key(name) if isinstance(name, str) else ""
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
        org_ids.update(oid for oid, oname in candidates if _name_key(oname) == key)
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
        return _recorded_revocation(session, document)


def _duplicates(session: Session, decl: Declaration, document: Mapping[str, Any]) -> list[Violation]:
    code = _host_code(document)
    if not code:
        return []
    others = session.execute(
        select(Declaration).where(
            col(Declaration.call_id) == decl.call_id,
            col(Declaration.id) != decl.id,
            col(Declaration.status) != "withdrawn",
        )
    ).scalars()
    clash = [
        other.id for other in others if other.id is not None and _host_code(_document(session, other)) == code
    ]
    return _duplicate_violation(document, code, clash)


def _duplicate_violation(document: Mapping[str, Any], code: str, clash: Sequence[int]) -> list[Violation]:
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


# ---------------------------------------------------------------- reading


def _document(session: Session, decl: Declaration) -> dict[str, Any]:
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


def get_declaration(ctx: AppContext, declaration_id: int) -> DeclarationView:
    with reading(ctx) as session:
        decl = _get(session, declaration_id)
        assert decl.id is not None
        return DeclarationView(
            id=decl.id,
            call_year=_call_year(session, decl),
            status=decl.status,
            data=_document(session, decl),
            submitted_on=decl.submitted_on,
        )


def check_declaration_draft(ctx: AppContext, *, declaration_id: int) -> CheckResult:
    """Every violation of the stored declaration, with the rule set of its call year."""
    with reading(ctx) as session:
        decl = _get(session, declaration_id)
        document = _document(session, decl)
        year = _call_year(session, decl)
        duplicates = _duplicates(session, decl, document)
        revocation = _recorded_revocation(session, document)
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


def list_declarations(ctx: AppContext, *, call_year: int | None = None) -> list[DeclarationRow]:
    """All declarations (newest first), with their error and warning counts."""
    with reading(ctx) as session:
        stmt = select(Declaration, AnnualCall).join(
            AnnualCall, col(AnnualCall.id) == col(Declaration.call_id)
        )
        if call_year is not None:
            stmt = stmt.where(col(AnnualCall.year) == call_year)
        stmt = stmt.order_by(col(Declaration.id).desc())
        found = [(d, c.year, _document(session, d)) for d, c in session.execute(stmt).all()]
        by_code: dict[tuple[int, str], list[int]] = {}
        for row, _, doc in found:
            if row.status != "withdrawn" and _host_code(doc) and row.id is not None:
                by_code.setdefault((row.call_id, _host_code(doc)), []).append(row.id)
        dups = {
            row.id: _duplicate_violation(
                doc,
                _host_code(doc),
                [i for i in by_code.get((row.call_id, _host_code(doc)), []) if i != row.id],
            )
            for row, _, doc in found
        }
    out: list[DeclarationRow] = []
    cache: dict[int, tuple[FormDef, RuleSettings]] = {}
    for decl, year, doc in found:
        assert decl.id is not None
        if year not in cache:
            cache[year] = (load_declaration_form(year), rulesets.settings_for_year(ctx, year))
        form, settings = cache[year]
        violations = check_document(doc, form=form, settings=settings) + dups[decl.id]
        errors = sum(1 for v in violations if v.severity is Severity.ERROR)
        out.append(
            DeclarationRow(
                id=decl.id,
                call_year=year,
                center_name=str(get_path(doc, "center.name_zh") or ""),
                host_name=str(get_path(doc, "host.name") or ""),
                credit_code=_host_code(doc),
                status=decl.status,
                status_label=STATUS_LABELS.get(decl.status, decl.status),
                application_date=_parse_iso(doc.get("application_date")),
                errors=errors,
                warnings=len(violations) - errors,
            )
        )
    return out


# ---------------------------------------------------------------- writing


def _check_call_year(year: object) -> int:
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


def _text(document: Mapping[str, Any], path: str) -> str:
    value = get_path(document, path)
    return value.strip() if isinstance(value, str) else ""


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
    _fullwidth_name(data)
    return data


def _fullwidth_name(document: dict[str, Any]) -> None:
    """D26: a centre name typed with a pair of ASCII brackets is stored with full-width ones."""
    center = document.get("center")
    if isinstance(center, dict) and isinstance(center.get("name_zh"), str):
        center["name_zh"] = fullwidth_brackets(center["name_zh"])


def _valid_host(document: Mapping[str, Any]) -> bool:
    code = _host_code(document)
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


def _create(session: Session, document: dict[str, Any], *, reason: str) -> Declaration:
    """A new draft row. The host organization (and, when the centre is named, a centre in 草稿) is
    linked only when the document names a host with a valid credit code."""
    year = _check_call_year(document.get("call_year"))
    call = _ensure_call(session, year)
    today = date.today()
    host: Organization | None = None
    center: Center | None = None
    if _valid_host(document):
        host = _resolve_org(
            session,
            name=_text(document, "host.name"),
            kind=get_path(document, "host.kind"),
            code=_host_code(document),
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
    year = _check_call_year(call_year)
    document = _normalised(data if data is not None else empty_document(year), year)
    with unit_of_work(ctx, "declarations.create_draft") as session:
        decl = _create(session, document, reason="新建申报（填写申请书）")
        assert decl.id is not None
        return decl.id


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
) -> None:
    """Save the whole working document of a draft (one audited transaction).

    Saving the same document again writes nothing. The audit entry of the ``declaration`` row is
    compact: the changed columns and the changed paths of the document (see the module docstring).
    ``action`` and ``reason`` say where the change came from (an Excel import: the action
    ``declarations.import_excel`` and the reason ``从 Excel 导入：申报书.xlsx`` in the entry)."""
    with unit_of_work(ctx, action) as session:
        decl = _editable(session, declaration_id)
        document = _normalised(data, _call_year(session, decl))
        text = _dumps(document)
        if text == decl.source_json:
            return
        previous = _document(session, decl)
        changed = {k: v for k, v in _column_values(document).items() if getattr(decl, k) != v}
        before = {k: _jsonable(getattr(decl, k)) for k in changed}
        after = {k: _jsonable(v) for k, v in changed.items()}
        differences = diff_documents(previous, document)
        before["source_json"] = {d.path: d.left for d in differences}
        after["source_json"] = {d.path: d.right for d in differences}
        if reason:
            after["reason"] = reason
        session.execute(
            update(Declaration)
            .where(col(Declaration.id) == declaration_id)
            .values(source_json=text, **changed),
            execution_options={"synchronize_session": False},
        )
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


# ---------------------------------------------------------------- acknowledgements


@dataclass(frozen=True, slots=True)
class AcknowledgementView:
    rule: str
    path: str
    reason: str
    operator: str
    at: datetime
    status: str  # active / retired

    @property
    def key(self) -> str:
        return f"{self.rule}|{self.path}"


def _active_acks(session: Session, declaration_id: int) -> dict[str, DeclarationAcknowledgement]:
    rows = session.execute(
        select(DeclarationAcknowledgement)
        .where(
            col(DeclarationAcknowledgement.declaration_id) == declaration_id,
            col(DeclarationAcknowledgement.status) == "active",
        )
        .order_by(col(DeclarationAcknowledgement.id))
    ).scalars()
    return {f"{r.rule}|{r.path}": r for r in rows}


def _store_ack(session: Session, declaration_id: int, rule: str, path: str, reason: str) -> bool:
    """Record ``reason`` for warning ``rule`` at ``path``; True when something was written."""
    rule, path, text = rule.strip(), path.strip(), reason.strip()
    if not rule or len(rule) > _ACK_RULE_MAX:
        raise ServiceError(f"提醒的规则编号“{rule}”无效（1—{_ACK_RULE_MAX} 个字符）", field="规则")
    if len(path) > _ACK_PATH_MAX:
        raise ServiceError(f"提醒的位置过长（最多 {_ACK_PATH_MAX} 个字符）", field="位置")
    if len(text) > _ACK_REASON_MAX:
        raise ServiceError(
            f"{rule} 的确认理由过长（{len(text)} 字，最多 {_ACK_REASON_MAX} 字）", field="确认理由"
        )
    current = _active_acks(session, declaration_id).get(f"{rule}|{path}")
    if current is not None and current.reason == text:
        return False
    if current is None and not text:
        return False
    if current is not None:
        current.status = "retired"
        session.add(current)
    if text:
        session.add(
            DeclarationAcknowledgement.model_validate(
                {
                    "declaration_id": declaration_id,
                    "rule": rule,
                    "path": path,
                    "reason": text,
                    "operator": audit_context(session).operator,
                    "status": "active",
                }
            )
        )
    session.flush()
    return True


def set_acknowledgement(ctx: AppContext, *, declaration_id: int, rule: str, path: str, reason: str) -> None:
    """Store the reason for accepting warning ``rule`` at ``path`` of a draft (one audited transaction).

    A blank reason withdraws the acknowledgement; a changed one replaces it. The old row is retired,
    never overwritten or deleted. The same reason again writes nothing."""
    with unit_of_work(ctx, "declarations.set_acknowledgement") as session:
        _editable(session, declaration_id)
        _store_ack(session, declaration_id, rule, path, reason)


def list_acknowledgements(ctx: AppContext, *, declaration_id: int) -> dict[str, str]:
    """The active acknowledgements of a declaration: :func:`violation_key` → reason."""
    with reading(ctx) as session:
        _get(session, declaration_id)
        return {key: row.reason for key, row in _active_acks(session, declaration_id).items()}


def acknowledgement_history(ctx: AppContext, *, declaration_id: int) -> list[AcknowledgementView]:
    """Every acknowledgement of a declaration, retired ones included, oldest first."""
    with reading(ctx) as session:
        _get(session, declaration_id)
        rows = session.execute(
            select(DeclarationAcknowledgement)
            .where(col(DeclarationAcknowledgement.declaration_id) == declaration_id)
            .order_by(col(DeclarationAcknowledgement.id))
        ).scalars()
        return [AcknowledgementView(r.rule, r.path, r.reason, r.operator, r.at, r.status) for r in rows]


def withdraw_draft(ctx: AppContext, *, declaration_id: int, reason: str) -> None:
    """Set a draft aside (状态“已撤回”); it is kept, never deleted."""
    if not reason.strip():
        raise ServiceError("请填写撤回的原因", field="撤回原因")
    with unit_of_work(ctx, "declarations.withdraw_draft") as session:
        decl = _editable(session, declaration_id)
        decl.status = "withdrawn"
        session.add(decl)


def _ack_text(violations: Sequence[Violation], acknowledgements: Mapping[str, str]) -> str:
    parts = [
        f"{v.rule} {v.path}（{v.message}）确认理由：{acknowledgements[violation_key(v)].strip()}"
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
        document = _document(session, decl)
        year = _call_year(session, decl)
        form = load_declaration_form(year)
        settings = rulesets.settings_for_year(ctx, year)
        revocation = _recorded_revocation(session, document)
        violations = check_document(
            document, form=form, settings=settings, revocation=revocation
        ) + _duplicates(session, decl, document)
        errors = [v for v in violations if v.severity is Severity.ERROR]
        if errors:
            first = errors[0]
            raise ServiceError(
                f"还有 {len(errors)} 项错误，改正后才能提交。第一项：{first.path}：{first.message}",
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
                f"还有 {len(unacknowledged)} 项提醒未填写确认理由。"
                f"第一项：{first.rule} {first.path}：{first.message}",
                field=first.path,
            )
        for v in violations:
            if len(reasons[violation_key(v)]) > _ACK_REASON_MAX:
                raise ServiceError(f"{v.rule} 的确认理由过长（最多 {_ACK_REASON_MAX} 字）", field=v.path)
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
            reason += "；提醒已确认：" + _ack_text(warnings, reasons)
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
    code = _host_code(doc)
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


# ---------------------------------------------------------------- import / export


class ImportFileError(ServiceError):
    """The file could not be read at all (missing, a folder, no permission); exit 2 in the CLI."""


def read_interchange_file(path: Path) -> Any:
    """The JSON value of ``path``. Raises :class:`ImportFileError` (unreadable: missing, a folder, a
    pipe or a device — never read —, no permission) or :class:`FormatError` (too large, not UTF-8
    JSON, or JSON refused by :func:`documents.inbound.loads_json`: duplicate keys, too deep, an
    over-long string, a lone surrogate — with the JSON path), both with Chinese messages."""
    from lzcenter_desktop.documents import inbound

    p = Path(path)
    try:
        raw = inbound.read_regular(p, max_bytes=MAX_IMPORT_BYTES)
    except inbound.RefusedFile as exc:
        if exc.kind == "too_large":
            raise FormatError("", f"{exc}，不是交换格式文件") from None
        raise ImportFileError(f"{p}：{exc}", field="文件") from None
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FormatError("", f"文件不是 UTF-8 编码的文本（第 {exc.start + 1} 个字节有误）") from None
    try:
        return inbound.loads_json(content)
    except json.JSONDecodeError as exc:
        raise FormatError("", f"不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}）") from None
    except inbound.JsonRefused as exc:
        raise FormatError(exc.path, str(exc)) from None
    except (ValueError, RecursionError) as exc:
        raise FormatError("", f"不是有效的 JSON（{exc}）") from None


def import_declaration_data(ctx: AppContext, *, data: object) -> ImportOutcome:
    """Import one ``lzcenter.declaration/1`` document as a draft. Not the format → :class:`FormatError`;
    a document that breaks rules is imported all the same (a flagged draft) and its violations returned.
    A host with a valid credit code is linked at once (the registered organization, else a new one),
    with a centre in 草稿; otherwise both wait for the submission."""
    decl = parse_declaration(data)  # FormatError when not the format
    _check_call_year(decl.call_year)
    assert isinstance(data, dict)
    document = copy.deepcopy(data)
    _fullwidth_name(document)
    with unit_of_work(ctx, "declarations.import_declaration") as session:
        row = _create(session, document, reason="导入申报书（交换格式 JSON）")
        assert row.id is not None
        new_id = row.id
    return ImportOutcome(new_id, check_declaration_draft(ctx, declaration_id=new_id).violations)


def import_declaration_file(ctx: AppContext, *, path: Path) -> ImportOutcome:
    """Import a declaration file (CLI ``import FILE.json``). Raises :class:`FormatError` (exit 2) when
    the file is not the format, :class:`ImportFileError` when it cannot be read."""
    return import_declaration_data(ctx, data=read_interchange_file(Path(path)))


def export_declaration(ctx: AppContext, *, declaration_id: int) -> dict[str, Any]:
    """The declaration as a ``lzcenter.declaration/1`` dict (the same document that was imported).

    Raises :class:`ServiceError` naming the first incomplete field when a draft is not yet complete."""
    view = get_declaration(ctx, declaration_id)
    try:
        return declaration_to_json(parse_declaration(view.data))
    except FormatError as exc:
        raise ServiceError(
            f"第 {declaration_id} 号申报书尚未填写完整，不能导出为交换格式：{exc.path}：{exc.detail}",
            field=exc.path,
        ) from exc


def write_export(ctx: AppContext, *, declaration_id: int, path: Path) -> Path:
    """Write :func:`export_declaration` to ``path`` (UTF-8, indented like the examples, byte for byte)."""
    document = export_declaration(ctx, declaration_id=declaration_id)
    text = json.dumps(document, ensure_ascii=False, indent=2)
    return output.write_bytes(Path(path), text.encode("utf-8"))


# ---------------------------------------------------------------- comparing


def diff_documents(left: Any, right: Any, path: str = "") -> list[FieldDifference]:
    """Field-level differences between two documents (rows compared by position)."""
    if isinstance(left, dict) and isinstance(right, dict):
        out: list[FieldDifference] = []
        for key in list(left) + [k for k in right if k not in left]:
            sub = f"{path}.{key}" if path else str(key)
            if key not in left:
                out += diff_documents(None, right[key], sub)
            elif key not in right:
                out += diff_documents(left[key], None, sub)
            else:
                out += diff_documents(left[key], right[key], sub)
        return out
    if isinstance(left, list) and isinstance(right, list):
        out = []
        for i in range(max(len(left), len(right))):
            out += diff_documents(
                left[i] if i < len(left) else None, right[i] if i < len(right) else None, f"{path}[{i}]"
            )
        return out
    if left == right and type(left) is type(right):
        return []
    return [FieldDifference(path, left, right)]


def compare_declarations(ctx: AppContext, *, left_id: int, right_id: int) -> list[FieldDifference]:
    """What differs between two declarations or drafts, field by field."""
    return diff_documents(get_declaration(ctx, left_id).data, get_declaration(ctx, right_id).data)
