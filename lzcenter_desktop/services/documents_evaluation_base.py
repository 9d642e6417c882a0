"""What every document of 第五章 (:mod:`~lzcenter_desktop.services.documents_evaluation`) shares: the
kinds, the result of a written document, the 文号 check, and writing a file completely then
recording it in the audit trail (the same way as the review's documents)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, TypeVar

from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.documents_writing import (
    GlyphProblem,
    document_text,
    safe_label,
    write_and_record,
)
from lzcenter_desktop.services.errors import ServiceError

__all__ = [
    "DOCUMENT_NO_MAX",
    "KINDS",
    "SUFFIXES",
    "EvaluationDocument",
    "GlyphProblem",
    "document_no_text",
    "file_name",
    "write_document",
]

#: kind → the Chinese name of the document.
KINDS: Final[dict[str, str]] = {
    "annual_summary": "年报汇总表",
    "annual_workbook": "年报汇总表（Excel）",
    "result_list": "绩效评估结果名单",
    "result_workbook": "绩效评估结果名单（Excel）",
    "rectification_notice": "整改通知",
    "acceptance_result": "整改验收结果通知",
    "revocation_notice": "撤销称号通知",
}
SUFFIXES: Final[dict[str, str]] = {kind: ".xlsx" if kind.endswith("_workbook") else ".pdf" for kind in KINDS}
DOCUMENT_NO_MAX: Final = 100

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class EvaluationDocument:
    """A document written: where, what, how many rows or letters, and what had to change on the
    way (xlsx: removed control characters)."""

    path: Path
    kind: str
    title: str
    count: int
    notes: tuple[str, ...] = ()

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]

    def text(self) -> str:
        return document_text(self.kind_label, self.title, self.path, self.notes)


def document_no_text(value: str | None) -> str:
    """A 文号 as typed, trimmed; refused when longer than :data:`DOCUMENT_NO_MAX`."""
    text = (value or "").strip()
    if len(text) > DOCUMENT_NO_MAX:
        raise ServiceError(f"文号过长（{len(text)} 个字），最多 {DOCUMENT_NO_MAX} 个字", field="文号")
    return text


def file_name(kind: str, label: str) -> str:
    """A file name to suggest: ``<label>-<kind label><suffix>``, Windows-forbidden characters replaced."""
    name = KINDS[kind].replace("（Excel）", "")
    return f"{safe_label(label, '绩效评估')}-{name}{SUFFIXES[kind]}"


def write_document(
    ctx: AppContext,
    kind: str,
    path: Path,
    render: Callable[[Path], T],
    *,
    title: str,
    entity: str,
    details: dict[str, Any],
    count: int,
) -> EvaluationDocument:
    """Render into a temporary file beside ``path``, put it in place, then record it (one audit
    entry; the file is removed again if that fails)."""
    written = write_and_record(
        ctx,
        f"documents.evaluation_{kind}",
        kind,
        KINDS[kind],
        SUFFIXES[kind],
        path,
        render,
        title=title,
        entity=entity,
        details=details,
    )
    return EvaluationDocument(written, kind, title, count)
