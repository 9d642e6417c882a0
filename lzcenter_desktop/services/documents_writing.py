"""What the review's documents (:mod:`~lzcenter_desktop.services.documents_review_base`) and those of
第五章 (:mod:`~lzcenter_desktop.services.documents_evaluation_base`) share: the refusal for
characters the fonts lack, the text of a written document, a file name to suggest, and writing a
file completely then recording it in the audit trail."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

from lzcenter_desktop.documents.fonts import MissingGlyph, MissingGlyphError
from lzcenter_desktop.services import output
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.documents_audit import record_documents
from lzcenter_desktop.services.errors import ServiceError

__all__ = ["GlyphProblem", "document_text", "safe_label", "write_and_record"]

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


def document_text(kind_label: str, title: str, path: Path, notes: tuple[str, ...]) -> str:
    """``已生成<kind>“<title>”：<path>`` and, when anything had to change, the notes in brackets."""
    extra = "；".join(notes)
    return f"已生成{kind_label}“{title}”：{path}" + (f"（{extra}）" if extra else "")


def safe_label(label: str, fallback: str) -> str:
    """``label`` for a file name: the characters Windows forbids replaced, at most 80 characters,
    ``fallback`` when nothing is left."""
    cleaned = "".join("_" if c in '<>:"/\\|?*' or ord(c) < 32 else c for c in label).strip().strip(".")
    return cleaned[:80] or fallback


@contextlib.contextmanager
def _rendering() -> Iterator[None]:
    """The documents layer's refusals as ServiceError (characters the fonts lack: GlyphProblem)."""
    try:
        yield
    except MissingGlyphError as exc:
        raise GlyphProblem(exc) from exc
    except ValueError as exc:
        raise ServiceError(str(exc), field="文档内容") from exc


def write_and_record(
    ctx: AppContext,
    action: str,
    kind: str,
    kind_label: str,
    suffix: str,
    path: Path,
    render: Callable[[Path], T],
    *,
    title: str,
    entity: str,
    details: Mapping[str, Any],
) -> Path:
    """Refuse a file name not ending in ``suffix``; render into a temporary file beside ``path``,
    put it in place, then record it (one audit entry ``action``; the file is removed again if that
    fails). The path written."""
    if Path(path).suffix.lower() != suffix:
        raise ServiceError(
            f"{kind_label}应保存为 {suffix} 文件，收到“{Path(path).name}”。请改用 {suffix} 结尾的文件名。",
            field="文件",
        )
    with _rendering(), output.writing(path) as tmp:
        render(tmp)
    written = Path(path)
    record_documents(
        ctx,
        action,
        [
            (
                f"{kind}-{entity}",
                {
                    "document": kind_label,
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
    return written
