"""What every review document (:mod:`~lzcenter_desktop.services.documents_review`) shares: the kinds,
the result of a written document, the refusal for characters the fonts lack, and writing a file
completely then recording it in the audit trail."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, TypeVar

from lzcenter_desktop.documents.fonts import MissingGlyph, MissingGlyphError
from lzcenter_desktop.services import output
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.documents_audit import record_documents
from lzcenter_desktop.services.errors import ServiceError

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


class GlyphProblem(ServiceError):
    """Some text has characters the bundled fonts cannot draw; nothing was written. ``missing``
    lists each (field, character, code point, font)."""

    def __init__(self, exc: MissingGlyphError) -> None:
        self.missing: list[MissingGlyph] = list(exc.missing)
        lines = "\n".join(f"• {m.message}" for m in self.missing)
        super().__init__(
            f"有 {len(self.missing)} 个字无法打印（内置字体没有这些字的字形），已停止生成，未写出任何文件：\n"
            f"{lines}\n请改用常用写法（内容取自数据库的，请先修改对应的记录），或联系维护人员扩充字体。",
            field="文档内容",
        )


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
        extra = "；".join(self.notes)
        return f"已生成{self.kind_label}“{self.title}”：{self.path}" + (f"（{extra}）" if extra else "")


def file_name(kind: str, label: str) -> str:
    """A file name to suggest for a document: ``<label>-<kind label>.pdf`` (``.xlsx`` for the ranking),
    with the characters Windows forbids replaced."""
    cleaned = "".join("_" if c in '<>:"/\\|?*' or ord(c) < 32 else c for c in label).strip().strip(".")
    return f"{cleaned[:80] or '评审'}-{KINDS[kind]}{SUFFIXES[kind]}"


# --------------------------------------------------------------------------- writing and recording


@contextlib.contextmanager
def _rendering() -> Iterator[None]:
    """The documents layer's refusals as ServiceError (characters the fonts lack: GlyphProblem)."""
    try:
        yield
    except MissingGlyphError as exc:
        raise GlyphProblem(exc) from exc
    except ValueError as exc:
        raise ServiceError(str(exc), field="文档内容") from exc


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
    if Path(path).suffix.lower() != SUFFIXES[kind]:
        raise ServiceError(
            f"{KINDS[kind]}应保存为 {SUFFIXES[kind]} 文件，收到“{Path(path).name}”。"
            f"请改用 {SUFFIXES[kind]} 结尾的文件名。",
            field="文件",
        )
    with _rendering(), output.writing(path) as tmp:
        render(tmp)
    written = Path(path)
    record_documents(
        ctx,
        f"documents.review_{kind}",
        [
            (
                f"{kind}-{entity}",
                {
                    "document": KINDS[kind],
                    "registered": True,
                    "kind": kind,
                    "title": title,
                    **details,
                    "file": str(written),
                },
            )
        ],
        [written],
    )
    return ReviewDocument(written, kind, title, count, notes)
