"""Tab in an editable grid, as a clerk used to Excel and to forms expects it.

A ``QTableView`` moves from cell to cell on Tab and, after its last cell, starts again at its first:
the keyboard never leaves it, and whatever follows the grid (the answer buttons, the problem list,
a second table) cannot be reached with Tab. :func:`tab_leaves_at_edges` keeps Tab moving from cell
to cell and lets it leave the grid after the last cell (Shift+Tab before the first), as a form
does. A cell being edited keeps its own keys (its delegate decides what Tab does there).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

_NOT_TAB = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier


def _outer_sections(header: QHeaderView, count: int) -> tuple[int, int]:
    """The first and last sections shown, in the order they are shown (-1, -1 when none is)."""
    shown = [header.logicalIndex(v) for v in range(count)]
    shown = [s for s in shown if not header.isSectionHidden(s)]
    return (shown[0], shown[-1]) if shown else (-1, -1)


def at_edge(table: QTableView, forward: bool) -> bool:
    """Whether the current cell is the last one shown (``forward``) or the first one; an empty grid
    is at both edges."""
    model = table.model()
    if model is None:
        return True
    root = table.rootIndex()
    rows, columns = model.rowCount(root), model.columnCount(root)
    first_row, last_row = _outer_sections(table.verticalHeader(), rows)
    first_column, last_column = _outer_sections(table.horizontalHeader(), columns)
    if last_row < 0 or last_column < 0:
        return True
    current = table.currentIndex()
    if not current.isValid():
        return False  # Tab enters the grid on its first cell
    if forward:
        return (current.row(), current.column()) == (last_row, last_column)
    return (current.row(), current.column()) == (first_row, first_column)


class _LeaveAtEdges(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if not isinstance(watched, QTableView) or event.modifiers() & _NOT_TAB:
            return False
        key = event.key()
        if key not in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            return False
        if watched.state() == QAbstractItemView.State.EditingState:
            return False
        forward = key == Qt.Key.Key_Tab and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        if not at_edge(watched, forward):
            return False
        # QWidget's own focus step (the view's would move to the other end of the grid)
        QWidget.focusNextPrevChild(watched, forward)
        return True


def tab_leaves_at_edges(table: QTableView) -> None:
    """Tab after the last cell (Shift+Tab before the first) moves the keyboard out of ``table``."""
    table.installEventFilter(_LeaveAtEdges(table))
