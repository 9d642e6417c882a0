"""Checks of a (possibly incomplete) declaration draft, as pure functions over the working document.

The working document of a draft is the interchange dict (``lzcenter.declaration/1``) with blanks
allowed. Three sources of :class:`~lzcenter_desktop.domain.violations.Violation`:

* required fields, row cells and minimum row counts of the form definition (rule ``FORM``,
  :func:`required_field_violations`);
* the shape the strict parser refuses (``FORMAT``) and the rule engine (``check_declaration``), run on
  a completed copy of the draft (:func:`completed_copy`: blanks filled with neutral values, incomplete
  rows left out) whose findings are moved back onto the draft's own rows (:func:`remap_path`) and
  dropped while the field they judge is still blank (:func:`check_document`);
* the same host credit code declared twice in one call year (``DUP``,
  :func:`duplicate_host_violations`), once the service has found the other declarations.

Also the running staff totals of the wizard (:func:`staff_totals`), the blank working document
(:func:`empty_document`), path helpers, and the clerk's names of the program's own rules and of a
violation's place (:func:`rule_label`, :func:`rule_reference`, :func:`path_label`). Nothing here reads
the database: the services look up the call year's rule set, a revocation on record and the other
declarations, then call these.
"""

from __future__ import annotations

import copy
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Any, Final

from lzcenter_desktop.domain.catalog import RULES
from lzcenter_desktop.domain.eligibility import (
    BACHELOR_OR_HIGHER,
    INTERMEDIATE_OR_HIGHER,
    check_declaration,
    normalised,
)
from lzcenter_desktop.domain.formdef import FieldDef, FormDef, get_path, set_path
from lzcenter_desktop.domain.interchange import FormatError, parse_declaration
from lzcenter_desktop.domain.model import DECLARATION_FORMAT
from lzcenter_desktop.domain.settings import RuleSettings
from lzcenter_desktop.domain.violations import Severity, Violation

# The program's own checks, beside the catalog's rules (D9.3a …).
FORM_RULE: Final = "FORM"  # a required field, row cell or row count of the form left blank
FORMAT_RULE: Final = "FORMAT"  # a value of the wrong shape (the interchange format refuses it)
DUPLICATE_RULE: Final = "DUP"  # the same host declared twice in one call year
DUPLICATE_ARTICLE: Final = "第十条（一）"

# How a clerk reads them: never the internal code.
RULE_NAMES: Final[Mapping[str, str]] = {FORM_RULE: "必填", FORMAT_RULE: "格式", DUPLICATE_RULE: "重复申报"}
_OWN_ARTICLES: Final[Mapping[str, str]] = {DUPLICATE_RULE: DUPLICATE_ARTICLE}
_CATALOG_ARTICLES: Final[Mapping[str, str]] = {info.id: info.article for info in RULES}

_ROW = re.compile(r"^\[(\d+)\](?:\.(\w+))?")


# -- the names a clerk reads ---------------------------------------------------------------------


def rule_label(rule: str) -> str:
    """The rule as a clerk reads it: the catalog ID (``D9.3a``), or 必填 / 格式 / 重复申报."""
    return RULE_NAMES.get(rule, rule)


def rule_reference(rule: str) -> str:
    """The rule with its article: ``D9.5b（第九条（五））``, ``重复申报（第十条（一））``; a rule without
    an article (必填, 格式) is its name alone."""
    article = _OWN_ARTICLES.get(rule) or _CATALOG_ARTICLES.get(rule)
    label = rule_label(rule)
    return f"{label}（{article}）" if article else label


def path_label(form: FormDef, path: str) -> str:
    """A clerk's name for a violation's place: ``staff[2].degree`` → ``研发人员 第 3 行 学历``,
    ``center.name_zh`` → ``中心名称（中文）``; ``申报书`` for a place the form does not name (never the
    internal path)."""
    for table in form.all_tables():
        if path == table.key:
            return table.label
        if path.startswith(table.key + "["):
            m = _ROW.match(path[len(table.key) :])
            if m is not None:
                where = f"{table.label} 第 {int(m.group(1)) + 1} 行"
                col = m.group(2)
                for c in table.columns:
                    if c.key == col:
                        return f"{where} {c.label}"
                return where
    for fd in form.all_fields():
        if path == fd.key or path.startswith(fd.key + "[") or path.startswith(fd.key + "."):
            return fd.label
    for fd in form.all_fields():
        if fd.key.startswith(path + "."):
            return fd.label
    return "申报书"


# -- the working document ------------------------------------------------------------------------


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


def is_blank(value: Any) -> bool:
    """Not filled in: ``None``, a string of white space, an empty list."""
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def table_rows(document: Mapping[str, Any], key: str) -> list[Any]:
    """The rows of table ``key`` (``[]`` when it is missing or not a list)."""
    rows = get_path(document, key)
    return rows if isinstance(rows, list) else []


def parse_iso(value: Any) -> date | None:
    """An ISO date string as a date; ``None`` for anything else."""
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def host_code(document: Mapping[str, Any]) -> str:
    """The host's credit code as declared (trimmed, upper case), or ``""`` when there is none."""
    value = get_path(document, "host.credit_code")
    return value.strip().upper() if isinstance(value, str) else ""


def name_key(name: object) -> str:
    """An organization name for matching: NFKC-normalised, all white space removed (``""`` when
    ``name`` is not a string)."""
    return "".join(unicodedata.normalize("NFKC", name).split()) if isinstance(name, str) else ""


# -- required fields -----------------------------------------------------------------------------


def _form_error(path: str, message: str, actual: str, required: str) -> Violation:
    return Violation(FORM_RULE, "申报表", Severity.ERROR, path, message, actual, required)


def required_field_violations(form: FormDef, document: Mapping[str, Any]) -> list[Violation]:
    """A ``FORM`` error for every required field, row cell or minimum row count the draft misses."""
    out: list[Violation] = []
    for section in form.sections:
        for fd in section.fields:
            if fd.is_required(document) and is_blank(get_path(document, fd.key)):
                out.append(_form_error(fd.key, f"请填写“{fd.label}”（{section.title}）", "（空）", "必填"))
        for table in section.tables:
            rows = table_rows(document, table.key)
            if len(rows) < table.min_rows:
                out.append(
                    _form_error(
                        table.key,
                        f"“{table.label}”至少应填写 {table.min_rows} 行，现有 {len(rows)} 行",
                        f"{len(rows)}行",
                        f"≥ {table.min_rows}行",
                    )
                )
            for i, row in enumerate(rows):
                for column in table.columns:
                    value = row.get(column.key) if isinstance(row, dict) else None
                    if column.required and is_blank(value):
                        out.append(
                            _form_error(
                                f"{table.key}[{i}].{column.key}",
                                f"“{table.label}”第 {i + 1} 行未填写“{column.label}”",
                                "（空）",
                                "必填",
                            )
                        )
    return out


def row_complete(row: Any, columns: Sequence[FieldDef]) -> bool:
    """A table row (a dict) with every required column filled in."""
    return isinstance(row, dict) and all(not (c.required and is_blank(row.get(c.key))) for c in columns)


# -- the rules on a completed copy ---------------------------------------------------------------


def _filler(fd: FieldDef, reference: date) -> Any:
    """The neutral value a blank field of ``fd``'s type gets in the completed copy."""
    if fd.type == "date":
        return reference.isoformat() if fd.required else None
    if fd.type in ("int", "money", "area"):
        return 0
    if fd.type == "bool":
        return True
    if fd.type == "enum":
        return fd.choices[0][0] if fd.choices else ""
    if fd.type == "multi_enum":
        return []
    return ""


def completed_copy(
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
    applied = parse_iso(doc.get("application_date"))
    ref = applied or date(max(int(doc.get("call_year") or 2000), 1900), 1, 1)
    if applied is None:
        doc["application_date"] = ref.isoformat()
    for fd in form.all_fields():
        if fd.key.startswith("host.cto.") or not is_blank(get_path(doc, fd.key)):
            continue
        set_path(doc, fd.key, _filler(fd, ref))
    cto = doc["host"].get("cto")
    if isinstance(cto, dict):
        if is_blank(cto.get("name")) and is_blank(cto.get("filing_no")) and is_blank(cto.get("filing_date")):
            doc["host"]["cto"] = None
        else:
            cto["name"] = cto.get("name") or ""
            for sub in ("filing_no", "filing_date"):
                cto[sub] = cto.get(sub) or None
    index_maps: dict[str, dict[int, int]] = {}
    for table in form.all_tables():
        kept: list[Any] = []
        mapping: dict[int, int] = {}
        for i, row in enumerate(table_rows(doc, table.key)):
            if row_complete(row, table.columns):
                mapping[len(kept)] = i
                kept.append({k: v for k, v in row.items() if v is not None})
        set_path(doc, table.key, kept)
        index_maps[table.key] = mapping
    return doc, index_maps


def remap_path(path: str, index_maps: Mapping[str, Mapping[int, int]]) -> str:
    """``staff[1].degree`` of the completed copy → the same cell of the draft (``staff[2].degree`` when
    the draft's second row was left out as incomplete); other paths unchanged."""
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
DEPENDS_ON: Final[Mapping[str, tuple[str, ...]]] = {
    "application_date": ("D9.4", "D9.6b", "D9.6c", "D9.6d", "D9.7", "D25"),
    "host.kind": ("D9.7", "D9.8", "D10.2"),
    "signature.name": ("D10.2",),
    "signature.role": ("D10.2",),
}


def covered(v: Violation, missing: Iterable[str]) -> bool:
    """Whether rule violation ``v`` judges a field still blank (one of the paths ``missing``, or a
    field it depends on): the ``FORM`` error already says what to do."""
    path = v.path
    for m in missing:
        if path == m or path.startswith(m + ".") or path.startswith(m + "["):
            return True
        if any(v.rule == r or v.rule.startswith(r) for r in DEPENDS_ON.get(m, ())):
            return True
    return False


@dataclass(frozen=True, slots=True)
class RecordedRevocation:
    """A centre of the declaring host that the bureau revoked (第二十五条), from its own records."""

    revoked_on: date
    document_no: str | None
    center_name: str


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
    ``revocation`` is what the bureau's records know of a revoked centre of the host; it decides D25
    even when the applicant left the field blank.
    """
    if revocation is not None:
        previous_revocation, revocation_document = revocation.revoked_on, revocation.document_no
    required = required_field_violations(form, document)
    missing = {v.path for v in required}
    out = list(required)
    doc, index_maps = completed_copy(form, document)
    try:
        decl = parse_declaration(doc)
    except FormatError as exc:
        path = remap_path(exc.path, index_maps)
        out.append(
            Violation(
                FORMAT_RULE, "交换格式", Severity.ERROR, path, f"格式不正确：{exc.detail}", "", "符合交换格式"
            )
        )
        return out
    for v in check_declaration(
        decl, settings, previous_revocation=previous_revocation, revocation_document=revocation_document
    ):
        moved = Violation(
            v.rule, v.article, v.severity, remap_path(v.path, index_maps), v.message, v.actual, v.required
        )
        if not covered(moved, missing):
            out.append(moved)
    return out


# -- the same host twice -------------------------------------------------------------------------


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
        Violation(
            DUPLICATE_RULE,
            DUPLICATE_ARTICLE,
            Severity.WARNING,
            "host.credit_code",
            f"统一社会信用代码 {code} 在 {year} 年度已有申报书（{ids}），同一单位同一年度重复申报",
            f"{len(clash) + 1}份",
            "每年度1份",
        )
    ]


# -- the staff totals of the wizard --------------------------------------------------------------


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


def distinct_staff(document: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The staff rows with repeats left out (a person is one by name + birth date, as D9.3 counts)."""
    seen: set[tuple[str, Any]] = set()
    out: list[dict[str, Any]] = []
    for r in table_rows(document, "staff"):
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
    rows = distinct_staff(document)
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
