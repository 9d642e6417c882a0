"""Date cells of editable grids (the wizard's and the committees'): what happens when the keyboard
or the mouse leaves an open date cell. A ``QStyledItemDelegate`` commits an editor only on Enter or
Tab; a clerk who clicks elsewhere expects the typed date kept, as in Excel. The delegate lists its
open :class:`DateEdit` editors with their cells; :func:`watch_date_cell` (called from its
``eventFilter``) notices the cell's line losing the focus and, once the focus has settled, commits
and closes the editor unless the view already did, the focus stayed inside it, or its calendar is
open."""

from __future__ import annotations

from collections.abc import Mapping

import shiboken6
from PySide6.QtCore import QEvent, QObject, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit, QStyledItemDelegate

from lzcenter_desktop.ui.widgets.date_edit import DateEdit

# focus lost to the calendar popup or to another window: the cell stays open
_STAYS = (Qt.FocusReason.PopupFocusReason, Qt.FocusReason.ActiveWindowFocusReason)


def watch_date_cell(
    delegate: QStyledItemDelegate,
    open_cells: Mapping[DateEdit, QPersistentModelIndex],
    watched: QObject,
    event: QEvent,
) -> bool:
    """For ``delegate.eventFilter``: True when ``watched`` is the line of one of the delegate's open
    date cells (the event is then left to the line; a focus-out schedules the commit)."""
    edit = watched.parent() if isinstance(watched, QLineEdit) else None
    if not isinstance(edit, DateEdit) or edit not in open_cells:
        return False
    left = event.type() == QEvent.Type.FocusOut and isinstance(event, QFocusEvent)
    if left and event.reason() not in _STAYS:  # type: ignore[attr-defined]
        # after the focus has settled: the view may be closing the editor itself (Tab, a click on
        # another cell); otherwise commit and close it here
        QTimer.singleShot(0, edit, lambda: _left(delegate, open_cells, edit))
    return True


def _left(
    delegate: QStyledItemDelegate, open_cells: Mapping[DateEdit, QPersistentModelIndex], edit: DateEdit
) -> None:
    cell = open_cells.get(edit)
    if cell is None or not shiboken6.isValid(delegate) or not shiboken6.isValid(edit):
        return  # gone with the table
    viewport = edit.parentWidget()
    view = viewport.parentWidget() if viewport is not None else None
    if not isinstance(view, QAbstractItemView) or not cell.isValid():
        return
    if view.indexWidget(view.model().index(cell.row(), cell.column())) is not edit:
        return  # already closed by the view (Tab, Esc, another cell)
    focus = QApplication.focusWidget()
    if focus is not None and (focus is edit or edit.isAncestorOf(focus)):
        return
    calendar = edit.calendar
    if calendar is not None and shiboken6.isValid(calendar) and calendar.isVisible():
        return  # the calendar popup is open
    delegate.commitData.emit(edit)
    delegate.closeEditor.emit(edit, QStyledItemDelegate.EndEditHint.NoHint)
