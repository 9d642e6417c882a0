"""What every review document (:mod:`~lzcenter_desktop.services.documents_review`) shares: the kinds,
the result of a written document, the refusal for characters the fonts lack, and writing a file
completely then recording it in the audit trail."""

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

__all__ = [
    "KINDS",
    "PREVIEW_LABEL",
    "SUFFIXES",
    "GlyphProblem",
    "ReviewDocument",
    "file_name",
    "write_document",
]

#: kind → the Chinese name of the document.
KINDS: Final[dict[str, str]] = {
    "score_sheets": "专家评分表",
    "session_summary": "评审会汇总表",
    "ranking": "评审排名表",
    "formal_result": "形式审查结果",
    "return_notice": "退回补正通知",
    "public_notice": "拟认定名单公示",
    "recognition_notice": "认定通知",
}
SUFFIXES: Final[dict[str, str]] = {kind: ".xlsx" if kind == "ranking" else ".pdf" for kind in KINDS}
PREVIEW_LABEL: Final = "（预览）"

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ReviewDocument:
    """A document written: where, what, and what had to change on the way (xlsx: removed
    control characters)."""

    path: Path
    kind: str
    title: str
    count: int  # pages of score sheets, rows of a list, notices written…
    notes: tuple[str, ...] = ()

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]

    def text(self) -> str:
        return document_text(self.kind_label, self.title, self.path, self.notes)


def file_name(kind: str, label: str) -> str:
    """A file name to suggest for a document: ``<label>-<kind label>.pdf`` (``.xlsx`` for the ranking),
    with the characters Windows forbids replaced."""
    return f"{safe_label(label, '评审')}-{KINDS[kind]}{SUFFIXES[kind]}"


# --------------------------------------------------------------------------- writing and recording


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
    notes: tuple[str, ...] = (),
) -> ReviewDocument:
    """Render into a temporary file beside ``path``, put it in place, then record it (one audit
    entry; the file is removed again if that fails)."""
    written = write_and_record(
        ctx,
        f"documents.review_{kind}",
        kind,
        KINDS[kind],
        SUFFIXES[kind],
        path,
        render,
        title=title,
        entity=entity,
        details=details,
    )
    return ReviewDocument(written, kind, title, count, notes)
