"""Saving a document from a button of a tab — shared by the 评审, 年报 and 绩效评估 pages (their
``document_actions`` modules).

:func:`save_document_as` asks where to save (a suggested name; the suffix is added when the clerk
leaves it out), then writes through :func:`ui.ops.write_op` on the write thread via the tab's
``write`` (the document is recorded in the audit trail, so ``documents`` is announced as changed) and
says in the tab's message line where the file went, offering 打开文件 / 打开所在文件夹 in the
window's status bar (:mod:`lzcenter_desktop.ui.saved_notice`). A refusal — a record that does not support the
document, characters the fonts lack (the service's ``GlyphProblem`` lists them) — is shown there in
the service's own Chinese words, and no file is written.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtWidgets import QFileDialog, QPushButton, QWidget

from lzcenter_desktop.ui.saved_notice import announce_saved

if TYPE_CHECKING:
    from lzcenter_desktop.ui.review.common import ReviewTab

#: what writing a document changes (its audit record)
DOCUMENT_KINDS = frozenset({"documents"})
FILTERS = {".pdf": "PDF 文件 (*.pdf)", ".xlsx": "Excel 工作簿 (*.xlsx)"}


class MadeDocument(Protocol):
    """What a document service returns: it says where the file went."""

    def text(self) -> str: ...


def save_document_as(
    tab: ReviewTab,
    *,
    what: str,
    suggested: str,
    suffix: str,
    make: Callable[[Path], MadeDocument],
) -> None:
    """Ask where to save the document ``what`` (suggesting ``suggested``), then ``make(path)`` on
    the write thread; the result or the refusal goes to ``tab``'s message line."""
    chosen, _ = QFileDialog.getSaveFileName(tab, f"生成{what}", suggested, FILTERS[suffix])
    if not chosen:
        return
    target = Path(chosen) if chosen.lower().endswith(suffix) else Path(chosen + suffix)
    tab.write(
        lambda: make(target),
        done=lambda made: _saved(tab, made, target),
        kinds=DOCUMENT_KINDS,
        busy=f"正在生成{what}…",
    )


def _saved(tab: ReviewTab, made: MadeDocument, target: Path) -> None:
    """Say where the document went, and offer to open it (the status bar's notice)."""
    tab.show_message(made.text())
    announce_saved(tab, target)


def document_button(
    parent: QWidget, text: str, tip: str, name: str, action: Callable[[], None]
) -> QPushButton:
    """A push button named ``name`` (tests and screen readers find it) that runs ``action``."""
    b = QPushButton(text, parent)
    b.setToolTip(tip)
    b.setObjectName(name)
    b.clicked.connect(action)
    return b
