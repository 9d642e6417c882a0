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

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    Qt,
)
from PySide6.QtWidgets import (
    QStyleOptionViewItem,
    QWidget,
)

from lzcenter_desktop.domain.formdef import FieldDef
from lzcenter_desktop.ui.declarations.table import CellDelegate, TableEditor
from lzcenter_desktop.ui.widgets.date_cells import watch_date_cell
from lzcenter_desktop.ui.widgets.date_edit import DateEdit

_Index = QModelIndex | QPersistentModelIndex
# Leaving a cell's line for the calendar popup or another window is not leaving the cell.


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
        if watch_date_cell(self, self._open, watched, event):
            return False  # the line handles the event; leaving it commits the cell
        return super().eventFilter(watched, event)


def use_typed_dates(editor: TableEditor) -> DateCellDelegate:
    """Give the grid of ``editor`` its date cells typed like Excel (the wizard calls it for each grid)."""
    delegate = DateCellDelegate(editor.model.columns, editor.view)
    editor.view.setItemDelegate(delegate)
    return delegate
