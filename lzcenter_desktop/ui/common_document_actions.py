"""What the document buttons of the 评审 and 绩效评估 pages (``ui/review/document_actions.py``,
``ui/evaluation/document_actions.py``) do the same way: when pressed, take the record chosen on the
tab (a session, a call, a notice, a centre…); when there is one, suggest a file name from its label
and make the document from it (through the page's ``save`` function: the save dialog, the write
thread, the audit, the path or the refusal on the message line)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.ui.document_save import MadeDocument

T = TypeVar("T")

#: ``save(tab, kind, label, make)``: ask where to save the document ``kind``, then ``make(path)``
Save = Callable[[Any, str, str, Callable[[Path], MadeDocument]], None]


def on_chosen(
    tab: Any,
    chosen: Callable[[], T | None],
    save: Save,
    kind: str,
    label: Callable[[T], str],
    make: Callable[[AppContext, T, Path], MadeDocument],
) -> Callable[[], None]:
    """The button's action: ``save`` the document ``kind`` of what ``chosen()`` returns (nothing
    when it returns ``None``), named after ``label(it)`` and made by ``make(ctx, it, path)`` (the
    record is an immutable view, read again on the write thread)."""

    def run() -> None:
        item = chosen()
        if item is not None:
            ctx = tab.ctx
            save(tab, kind, label(item), lambda p: make(ctx, item, p))

    return run
