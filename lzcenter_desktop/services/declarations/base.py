"""Constants, result types and pure document helpers shared by the declaration modules.

Nothing here touches the database: the status labels, the dataclasses the services return, the
declaration form of a call year (``forms/declaration-<year>.toml``) and the field-level difference of
two documents (used by :func:`~lzcenter_desktop.services.declarations.drafts.save_draft` for its
compact audit entry and by :func:`~lzcenter_desktop.services.declarations.exchange.compare_declarations`).
The rule codes, the blank working document, its path helpers and :class:`StaffTotals` are pure and
live with the draft checks in :mod:`lzcenter_desktop.domain.draft_checks`; they are re-exported here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from lzcenter_desktop import paths
from lzcenter_desktop.domain.draft_checks import DUPLICATE_RULE as DUPLICATE_RULE
from lzcenter_desktop.domain.draft_checks import FORM_RULE as FORM_RULE
from lzcenter_desktop.domain.draft_checks import FORMAT_RULE as FORMAT_RULE
from lzcenter_desktop.domain.draft_checks import StaffTotals as StaffTotals
from lzcenter_desktop.domain.draft_checks import empty_document as empty_document
from lzcenter_desktop.domain.draft_checks import host_code as host_code
from lzcenter_desktop.domain.draft_checks import parse_iso
from lzcenter_desktop.domain.formdef import FormDef, get_path, load_form_text, pick_year
from lzcenter_desktop.domain.formdef import set_path as set_path
from lzcenter_desktop.domain.violations import Severity, Violation
from lzcenter_desktop.services.errors import ServiceError

# Names of the placeholder records earlier versions made for every new draft (migration 0004 retires
# them). A draft no longer gets any; PLACEHOLDER_HOST only names an organization registered without a
# name, which submission (the host's name is required) never does.
PLACEHOLDER_HOST = "（未填写依托单位）"

PLACEHOLDER_CENTER = "（未命名的申报中心）"

DRAFT = "draft"
SUBMITTED = "submitted"
WITHDRAWN = "withdrawn"  # a submitted declaration the applicant took back (撤回), or an old set-aside draft
DISCARDED = "discarded"  # a draft that was set aside (作废)
DECIDED = "decided"

STATUS_LABELS: Mapping[str, str] = {
    DRAFT: "草稿",
    SUBMITTED: "已提交",
    WITHDRAWN: "已撤回",
    DISCARDED: "已作废",
    DECIDED: "已办结",
    "returned": "退回补正",  # 形式审查退回补正 (services/review/formal.py): corrected, then submitted again
}

# Declarations that no longer take part in a call: not counted as the same host declared twice.
CLOSED_STATUSES: frozenset[str] = frozenset({WITHDRAWN, DISCARDED})


@dataclass(frozen=True, slots=True)
class DeclarationRow:
    """One line of the declarations list."""

    id: int
    call_year: int
    center_name: str
    host_name: str
    credit_code: str
    status: str  # draft / submitted / withdrawn / discarded / decided
    status_label: str
    application_date: date | None
    errors: int
    warnings: int
    updated_at: datetime | None = None  # the last audited change of the row (UTC), else its creation
    status_reason: str = ""  # why it was 作废 or 撤回 (from the audit trail), else ""


@dataclass(frozen=True, slots=True)
class DeclarationView:
    id: int
    call_year: int
    status: str
    data: dict[str, Any]  # the interchange document (a draft may be incomplete)
    submitted_on: date | None
    version: int = 1  # when read: pass it back to save_draft(expected_version=)


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


_parse_iso = parse_iso  # the name the package's modules use


def _text(document: Mapping[str, Any], path: str) -> str:
    value = get_path(document, path)
    return value.strip() if isinstance(value, str) else ""


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
