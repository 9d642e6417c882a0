"""Helpers for the 评审 page tests: the page shown at 1366×768, waiting until every read and write it
started has answered, and working its dialogs (typing Chinese through the input-method helper)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from lzcenter_desktop.ui import ops
from lzcenter_desktop.ui.review.common import ReviewTab
from lzcenter_desktop.ui.review.page import ReviewPage
from lzcenter_desktop.ui.tasks import running_tasks
from tests.helpers import type_text


def settle(qtbot: Any, page: ReviewPage) -> None:
    """Every read and write the page started has answered (and the reads they caused too)."""
    for _ in range(3):
        assert ops.wait_for_writes()
        qtbot.waitUntil(lambda: running_tasks() == 0 and not page.busy, timeout=30000)
        QCoreApplication.processEvents()


def shown_page(qtbot: Any, ctx: Any, *, today: dt.date | None = None) -> ReviewPage:
    page = ReviewPage(ctx, today=today)
    qtbot.addWidget(page)
    page.resize(1366 - 130, 700)
    page.show()
    page.on_shown(True)
    settle(qtbot, page)
    return page


def open_tab(qtbot: Any, page: ReviewPage, tab: ReviewTab) -> None:
    page.show_tab(tab)
    settle(qtbot, page)


def fill(widget: QWidget, text: str) -> None:
    """Replace the text of a line edit or plain text edit as the clerk types it."""
    clear = getattr(widget, "clear", None)
    if clear is not None:
        clear()
    type_text(widget, text)


def type_date(edit: Any, day: dt.date) -> None:
    """Type ``day`` into a DateEdit and leave the field (ASCII only: key clicks are safe)."""
    edit.line.selectAll()
    edit.line.setText(day.isoformat())
    edit.commit()


def submit(qtbot: Any, page: ReviewPage, dialog: Any, *, confirm: bool = True) -> None:
    """Press the dialog's OK button; answer its question with yes when it asks; wait for the write."""
    dialog.ok_button.click()
    question = getattr(dialog, "question", None)
    if confirm and isinstance(question, QMessageBox) and question.isVisible():
        question.yes.click()
    settle(qtbot, page)


def dialog_error(dialog: Any) -> str:
    return dialog.error.text() if dialog.error.isVisible() else ""


def press_escape(qtbot: Any, widget: QWidget) -> None:
    qtbot.keyClick(widget, Qt.Key.Key_Escape)
    QApplication.processEvents()


def closed(dialog: Any) -> bool:
    """The dialog was closed (a dialog deletes itself when closed)."""
    import shiboken6

    return not shiboken6.isValid(dialog) or not dialog.isVisible()


def select_row(view: Any, predicate: Any) -> None:
    """Select the row of ``view`` whose object satisfies ``predicate`` (it must be there)."""
    from lzcenter_desktop.ui.review.common import select_where

    assert select_where(view, predicate), "row not found"
    QCoreApplication.processEvents()
