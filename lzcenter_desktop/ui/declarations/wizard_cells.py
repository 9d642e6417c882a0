"""Date cells of the wizard's grids, typed like Excel with the one date editor of the application.

A date cell (出生日期, 立项日期, 结束日期 …) opens a
:class:`~lzcenter_desktop.ui.widgets.date_edit.DateEdit`: ``2026-05-20``, ``2026/5/20``,
``20260520`` or ``2026年5月20日`` are taken, the calendar stays on Alt+↓ / F4, Delete empties an
optional date, and nothing jumps to 1900 or 2000. Enter or Tab commits, Esc cancels, and leaving the
table commits too. The model gets the text and reads it with the same parser as a paste
(:func:`~lzcenter_desktop.ui.declarations.values.parse_text`); what is not a date, or a required
date emptied, leaves the cell as it was. Other columns edit as before
(:class:`~lzcenter_desktop.ui.declarations.table.CellDelegate`).
"""

from __future__ import annotations

import datetime as dt

import shiboken6
from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    Qt,
    QTimer,
)
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from lzcenter_desktop.domain.formdef import FieldDef
from lzcenter_desktop.ui.declarations.table import CellDelegate, TableEditor
from lzcenter_desktop.ui.widgets.date_edit import DateEdit

_Index = QModelIndex | QPersistentModelIndex
# Leaving a cell's line for the calendar popup or another window is not leaving the cell.
_STAYS = (Qt.FocusReason.PopupFocusReason, Qt.FocusReason.ActiveWindowFocusReason)


class DateCellDelegate(CellDelegate):
    """The grid's pickers, with a date cell edited by :class:`DateEdit`."""

    def __init__(self, columns: tuple[FieldDef, ...], parent: QWidget | None = None) -> None:
        super().__init__(columns, parent)
        self._open: dict[DateEdit, QPersistentModelIndex] = {}  # the date editors open, and their cells

    def _is_date(self, index: _Index) -> bool:
        return 0 <= index.column() < len(self.columns) and self.columns[index.column()].type == "date"

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: _Index) -> QWidget:
        if not self._is_date(index):
            return super().createEditor(parent, option, index)
        column = self.columns[index.column()]
        edit = DateEdit(None, optional=not column.required, parent=parent)
        edit.setAccessibleName(column.label)
        edit.line.setAccessibleName(column.label)
        edit.setAutoFillBackground(True)
        edit.line.installEventFilter(self)  # the line has the focus: its focus-out commits the cell
        self._open[edit] = QPersistentModelIndex(index)
        return edit

    def destroyEditor(self, editor: QWidget, index: _Index) -> None:
        if isinstance(editor, DateEdit):
            self._open.pop(editor, None)  # closed by the view: no longer ours to commit
        super().destroyEditor(editor, index)

    def setEditorData(self, editor: QWidget, index: _Index) -> None:
        if not isinstance(editor, DateEdit):
            super().setEditorData(editor, index)
            return
        value = index.data(Qt.ItemDataRole.EditRole)
        try:
            editor.setDate(dt.date.fromisoformat(value) if isinstance(value, str) and value else None)
        except ValueError:
            editor.setDate(None)
        editor.line.selectAll()

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: _Index) -> None:
        if not isinstance(editor, DateEdit):
            super().setModelData(editor, model, index)
            return
        day = editor.date()
        typed = editor.line.text().strip() != (day.isoformat() if day is not None else "")
        if typed and not editor.commit():
            return  # not a date, or a required date emptied: the cell keeps its value
        model.setData(index, editor.line.text().strip(), Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem, index: _Index) -> None:
        if not isinstance(editor, DateEdit):
            super().updateEditorGeometry(editor, option, index)
            return
        rect = QRect(option.rect)
        rect.setWidth(max(rect.width(), editor.minimumSizeHint().width()))
        editor.setGeometry(rect)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        edit = watched.parent() if isinstance(watched, QLineEdit) else None
        if isinstance(edit, DateEdit) and edit in self._open:
            left = event.type() == QEvent.Type.FocusOut and isinstance(event, QFocusEvent)
            if left and event.reason() not in _STAYS:  # type: ignore[attr-defined]
                # after the focus has settled: the view may be closing the editor itself (Tab, a
                # click on another cell); otherwise commit and close it here
                QTimer.singleShot(0, edit, lambda: self._left(edit))
            return False
        return super().eventFilter(watched, event)

    def _left(self, edit: DateEdit) -> None:
        cell = self._open.get(edit)
        if cell is None or not shiboken6.isValid(self) or not shiboken6.isValid(edit):
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
        self.commitData.emit(edit)
        self.closeEditor.emit(edit, QStyledItemDelegate.EndEditHint.NoHint)


def use_typed_dates(editor: TableEditor) -> DateCellDelegate:
    """Give the grid of ``editor`` its date cells typed like Excel (the wizard calls it for each grid)."""
    delegate = DateCellDelegate(editor.model.columns, editor.view)
    editor.view.setItemDelegate(delegate)
    return delegate
