"""Editable grids for the form's tables: keyboard entry, pickers per column type, paste from Excel,
insert/delete rows with undo, and each violation shown on its cell (background and tooltip)."""

from __future__ import annotations

import copy
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QGuiApplication, QKeyEvent, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from lzcenter_desktop.domain.formdef import FieldDef, TableDef
from lzcenter_desktop.domain.violations import Violation
from lzcenter_desktop.ui.declarations.editors import ERROR_STYLE, WARNING_STYLE, violation_text
from lzcenter_desktop.ui.declarations.values import BadValue, parse_text, show_value
from lzcenter_desktop.ui.widgets.grid_keys import tab_leaves_at_edges

ERROR_BRUSH = QBrush(QColor("#f8d7da"))
WARNING_BRUSH = QBrush(QColor("#fff3cd"))
ViolationRole = Qt.ItemDataRole.UserRole + 1

_Index = QModelIndex | QPersistentModelIndex


def new_row(columns: tuple[FieldDef, ...]) -> dict[str, Any]:
    """A blank row: required bools start as 否, optional cells are absent until filled."""
    row: dict[str, Any] = {}
    for c in columns:
        if c.type == "bool":
            if c.required:
                row[c.key] = False
        elif c.required:
            row[c.key] = "" if c.type == "text" else None
    return row


class RowsModel(QAbstractTableModel):
    """The rows of one table (a list of interchange dicts), edited in place through an undo stack."""

    rows_changed = Signal()

    def __init__(self, table: TableDef, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = table
        self.columns = table.columns
        self._rows: list[dict[str, Any]] = []
        self._flags: dict[tuple[int, int], list[Violation]] = {}
        self.undo = QUndoStack(self)

    # -- Qt model --------------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            c = self.columns[section]
            return c.label + ("*" if c.required else "")
        return str(section + 1)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.columns[index.column()].type == "bool":
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base | Qt.ItemFlag.ItemIsEditable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        c = self.columns[index.column()]
        value = self._rows[index.row()].get(c.key)
        flags = self._flags.get((index.row(), index.column()), [])
        if role == Qt.ItemDataRole.DisplayRole:
            return "" if c.type == "bool" else show_value(c, value)
        if role == Qt.ItemDataRole.EditRole:
            return value
        if role == Qt.ItemDataRole.CheckStateRole and c.type == "bool":
            return Qt.CheckState.Checked if value else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.BackgroundRole and flags:
            return ERROR_BRUSH if any(v.is_error for v in flags) else WARNING_BRUSH
        if role == Qt.ItemDataRole.ToolTipRole:
            if flags:
                return "\n".join(violation_text(v) for v in flags)
            return c.help or None
        if role == ViolationRole:
            return flags
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid():
            return False
        c = self.columns[index.column()]
        if role == Qt.ItemDataRole.CheckStateRole and c.type == "bool":
            checked = Qt.CheckState(value) == Qt.CheckState.Checked if not isinstance(value, bool) else value
            new: Any = True if checked else (False if c.required else None)
        elif role == Qt.ItemDataRole.EditRole:
            if isinstance(value, str) and c.type != "enum":
                try:
                    new = parse_text(c, value)
                except BadValue:
                    return False
            else:
                new = value
        else:
            return False
        rows = copy.deepcopy(self._rows)
        row = rows[index.row()]
        if new in (None, "") and not c.required:
            row.pop(c.key, None)
        else:
            row[c.key] = new
        if rows == self._rows:
            return False
        self.apply(rows, f"修改“{c.label}”")
        return True

    # -- whole-table edits (undoable) -------------------------------------------------------------

    def rows(self) -> list[dict[str, Any]]:
        return copy.deepcopy(self._rows)

    def load(self, rows: list[Any]) -> None:
        """Show ``rows`` (not undoable: this is what was saved)."""
        self.beginResetModel()
        self._rows = [dict(r) if isinstance(r, dict) else {} for r in rows]
        self.endResetModel()
        self.undo.clear()

    def _set_rows(self, rows: list[dict[str, Any]]) -> None:
        if len(rows) == len(self._rows):  # a cell edit: keep the view's editor and selection
            self._rows = copy.deepcopy(rows)
            if rows:
                self.dataChanged.emit(self.index(0, 0), self.index(len(rows) - 1, len(self.columns) - 1))
        else:
            self.beginResetModel()
            self._rows = copy.deepcopy(rows)
            self.endResetModel()
        self.rows_changed.emit()

    def apply(self, rows: list[dict[str, Any]], text: str) -> None:
        self.undo.push(_Snapshot(self, self.rows(), rows, text))

    def insert_rows(self, at: int, count: int = 1) -> None:
        rows = self.rows()
        at = max(0, min(at, len(rows)))
        for _ in range(count):
            rows.insert(at, new_row(self.columns))
        self.apply(rows, "插入行")

    def remove_rows(self, indexes: list[int]) -> None:
        drop = set(indexes)
        if not drop:
            return
        self.apply([r for i, r in enumerate(self._rows) if i not in drop], "删除行")

    def clear_cells(self, cells: list[tuple[int, int]]) -> None:
        rows = self.rows()
        for r, c in cells:
            col = self.columns[c]
            if col.required:
                rows[r][col.key] = False if col.type == "bool" else ("" if col.type == "text" else None)
            else:
                rows[r].pop(col.key, None)
        if rows != self._rows:
            self.apply(rows, "清除单元格")

    def paste(self, text: str, top: int, left: int) -> list[str]:
        """Paste tab-separated text (as Excel puts it on the clipboard) from cell (top, left), adding rows
        as needed. Labels of choices become their values; cells that cannot be read are left as they were
        and reported (Chinese, with row and column)."""
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        rows = self.rows()
        problems: list[str] = []
        for i, line in enumerate(lines):
            r = top + i
            while r >= len(rows):
                rows.append(new_row(self.columns))
            for j, cell in enumerate(line.split("\t")):
                c = left + j
                if c >= len(self.columns):
                    if cell.strip():
                        problems.append(
                            f"第 {r + 1} 行第 {c + 1} 列：表格只有 {len(self.columns)} 列，多余的内容未粘贴"
                        )
                    continue
                col = self.columns[c]
                try:
                    value = parse_text(col, cell)
                except BadValue as exc:
                    problems.append(f"第 {r + 1} 行{exc}")
                    continue
                if value in (None, "") and not col.required:
                    rows[r].pop(col.key, None)
                else:
                    rows[r][col.key] = value
        if rows != self._rows:
            self.apply(rows, "粘贴")
        return problems

    # -- flags -----------------------------------------------------------------------------------

    def set_flags(self, flags: dict[tuple[int, int], list[Violation]]) -> None:
        if flags == self._flags:
            return
        self._flags = flags
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0),
                self.index(len(self._rows) - 1, len(self.columns) - 1),
                [Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ToolTipRole],
            )


class _Snapshot(QUndoCommand):
    def __init__(
        self, model: RowsModel, before: list[dict[str, Any]], after: list[dict[str, Any]], text: str
    ) -> None:
        super().__init__(text)
        self.model = model
        self.before = before
        self.after = after

    def redo(self) -> None:
        self.model._set_rows(self.after)

    def undo(self) -> None:
        self.model._set_rows(self.before)


class CellDelegate(QStyledItemDelegate):
    """Pickers: a drop-down for choices, a calendar for dates; plain text otherwise."""

    def __init__(self, columns: tuple[FieldDef, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.columns = columns

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: _Index) -> QWidget:
        c = self.columns[index.column()]
        if c.type == "enum":
            combo = QComboBox(parent)
            for value, label in c.choices:
                combo.addItem(label, value)
            return combo
        if c.type == "date":
            de = QDateEdit(parent)
            de.setCalendarPopup(True)
            de.setDisplayFormat("yyyy-MM-dd")
            de.setMinimumDate(QDate(1900, 1, 1))
            de.setMaximumDate(QDate(2100, 12, 31))
            return de
        editor = super().createEditor(parent, option, index)
        return editor

    def setEditorData(self, editor: QWidget, index: _Index) -> None:
        value = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(editor.findData(value), 0))
        elif isinstance(editor, QDateEdit):
            d = QDate.fromString(value, "yyyy-MM-dd") if isinstance(value, str) else QDate()
            editor.setDate(d if d.isValid() else QDate.currentDate())
        else:
            editor.setProperty("text", "" if value is None else str(value))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: _Index) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
        elif isinstance(editor, QDateEdit):
            model.setData(index, editor.date().toString("yyyy-MM-dd"), Qt.ItemDataRole.EditRole)
        else:
            model.setData(index, str(editor.property("text") or ""), Qt.ItemDataRole.EditRole)


class GridView(QTableView):
    """Keyboard: Ctrl+V pastes from Excel, Insert adds a row, Delete clears cells (or removes whole
    selected rows), Ctrl+Z / Ctrl+Y undo and redo."""

    pasted = Signal(list)

    def __init__(self, model: RowsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows_model = model
        self.setModel(model)
        self.setItemDelegate(CellDelegate(model.columns, self))
        tab_leaves_at_edges(self)  # Tab after the last cell goes on to the next field
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().setDefaultSectionSize(24)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        m = self.rows_model
        if event.matches(QKeySequence.StandardKey.Paste):
            self.paste_clipboard()
            return
        if event.matches(QKeySequence.StandardKey.Undo):
            m.undo.undo()
            return
        if event.matches(QKeySequence.StandardKey.Redo):
            m.undo.redo()
            return
        if event.key() == Qt.Key.Key_Insert:
            current = self.currentIndex()
            m.insert_rows(current.row() + 1 if current.isValid() else m.rowCount())
            return
        if event.key() == Qt.Key.Key_Delete and self.state() != QAbstractItemView.State.EditingState:
            selected = self.selectionModel().selectedRows()
            if selected:
                m.remove_rows([i.row() for i in selected])
            else:
                m.clear_cells([(i.row(), i.column()) for i in self.selectedIndexes()])
            return
        super().keyPressEvent(event)

    def paste_clipboard(self) -> list[str]:
        text = QGuiApplication.clipboard().text()
        current = self.currentIndex()
        top = current.row() if current.isValid() else self.rows_model.rowCount()
        left = current.column() if current.isValid() else 0
        problems = self.rows_model.paste(text, top, left)
        self.pasted.emit(problems)
        return problems


class TableEditor(QWidget):
    """A titled grid with its buttons, its table-level flag and the result of the last paste."""

    changed = Signal(str, object)

    def __init__(self, table: TableDef, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = table
        self.model = RowsModel(table, self)
        self.view = GridView(self.model, self)
        self.view.setObjectName(f"table:{table.key}")
        self.view.setMinimumHeight(220)
        self.title = QLabel(
            f"<b>{table.label}</b>" + (f"（至少 {table.min_rows} 行）" if table.min_rows else "")
        )
        self.flag = QLabel(self)
        self.flag.setObjectName(f"flag:{table.key}")
        self.flag.setWordWrap(True)
        self.flag.hide()
        self.paste_report = QLabel(self)
        self.paste_report.setWordWrap(True)
        self.paste_report.setStyleSheet(ERROR_STYLE)
        self.paste_report.hide()
        self.add_button = QPushButton("插入行", self)
        self.remove_button = QPushButton("删除所选行", self)
        self.undo_button = QPushButton("撤销", self)
        self.redo_button = QPushButton("重做", self)
        self.add_button.clicked.connect(self._add)
        self.remove_button.clicked.connect(self._remove)
        self.undo_button.clicked.connect(self.model.undo.undo)
        self.redo_button.clicked.connect(self.model.undo.redo)
        self.model.undo.canUndoChanged.connect(self.undo_button.setEnabled)
        self.model.undo.canRedoChanged.connect(self.redo_button.setEnabled)
        self.undo_button.setEnabled(False)
        self.redo_button.setEnabled(False)
        hint = QLabel("可从 Excel 复制后按 Ctrl+V 粘贴；Insert 插入行，Delete 清除，Ctrl+Z 撤销", self)
        hint.setStyleSheet("color: #666;")
        buttons = QHBoxLayout()
        buttons.addWidget(self.title)
        buttons.addStretch(1)
        for b in (self.add_button, self.remove_button, self.undo_button, self.redo_button):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.view)
        layout.addWidget(hint)
        layout.addWidget(self.flag)
        layout.addWidget(self.paste_report)
        self.model.rows_changed.connect(lambda: self.changed.emit(self.table.key, self.model.rows()))
        self.view.pasted.connect(self._show_paste)

    def _add(self) -> None:
        current = self.view.currentIndex()
        self.model.insert_rows(current.row() + 1 if current.isValid() else self.model.rowCount())

    def _remove(self) -> None:
        rows = sorted({i.row() for i in self.view.selectedIndexes()})
        self.model.remove_rows(rows)

    def _show_paste(self, problems: list[str]) -> None:
        if problems:
            self.paste_report.setText(
                f"粘贴时有 {len(problems)} 个单元格未能识别，已保留原值：\n" + "\n".join(problems)
            )
            self.paste_report.show()
        else:
            self.paste_report.hide()

    def set_rows(self, rows: list[Any]) -> None:
        self.model.load(rows)

    def show_violations(
        self, table_level: list[Violation], cells: dict[tuple[int, int], list[Violation]]
    ) -> None:
        self.model.set_flags(cells)
        if table_level:
            error = any(v.is_error for v in table_level)
            self.flag.setText("\n".join(violation_text(v) for v in table_level))
            self.flag.setStyleSheet(ERROR_STYLE if error else WARNING_STYLE)
            self.flag.show()
        else:
            self.flag.clear()
            self.flag.hide()

    def flag_text(self) -> str:
        return self.flag.text() if self.flag.isVisibleTo(self) else ""
