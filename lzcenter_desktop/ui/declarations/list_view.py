"""The 申报 list's widgets: the table (Enter opens) and the filter bar above it.

The filter bar drives a :class:`~lzcenter_desktop.ui.models.declarations.DeclarationFilterProxy`:
年度 and 状态 are drop-downs of the values present (状态 with its count), 依托单位 filters as you
type, 仅有错误 and 显示已作废 are check boxes. :meth:`FilterBar.clear` (Esc on the page) turns the
filters off in one refilter; 显示已作废 is a view option and stays.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QWidget,
)

from lzcenter_desktop.ui.models.declarations import (
    COL_CENTER,
    COL_CODE,
    COL_DATE,
    COL_ERRORS,
    COL_HOST,
    COL_ID,
    COL_STATUS,
    COL_UPDATED,
    COL_WARNINGS,
    COL_YEAR,
    DeclarationFilterProxy,
    DeclarationTableModel,
)

ALL_LABEL = "全部"

# Column widths as the text they must show whole; the centre name takes what is left, a longer
# host name is elided in the middle (whole in its tooltip).
COLUMN_SAMPLES = {
    COL_ID: "9999",
    COL_YEAR: "2026",
    COL_HOST: "柳州某某机械股份有限公司",
    COL_CODE: "91450200MA5KXXXX0X",
    COL_DATE: "2026-05-20",
    COL_STATUS: "已提交",
    COL_ERRORS: "99",
    COL_WARNINGS: "99",
    COL_UPDATED: "2026-05-20 14:03",
}


class DeclarationTable(QTableView):
    """The list of declarations; Enter (or a double click) asks to open the current one."""

    open_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.open_requested.emit()
            event.accept()
            return
        super().keyPressEvent(event)

    # What the former QTableWidget offered, for the callers that read the list as shown.
    def rowCount(self) -> int:
        """The rows shown (after the filters)."""
        model = self.model()
        return 0 if model is None else model.rowCount()

    def item(self, row: int, column: int) -> ShownCell | None:
        """The text of a shown cell, or None outside the table."""
        model = self.model()
        index = model.index(row, column) if model is not None else QModelIndex()
        return ShownCell(str(index.data() or "")) if index.isValid() else None


class ShownCell:
    """A cell's text as shown (``item(row, column).text()``)."""

    __slots__ = ("_text",)

    def __init__(self, text: str) -> None:
        self._text = text

    def text(self) -> str:
        return self._text


def setup_table(table: DeclarationTable, model: DeclarationTableModel) -> None:
    """Rows selected whole, several with Ctrl (比较), sortable by a click on a header; the columns
    as wide as their samples."""
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
    header = table.horizontalHeader()
    header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # the service's order: newest first
    table.setSortingEnabled(True)
    header.setSortIndicatorShown(True)
    header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    header.setMinimumSectionSize(40)
    cell, head = table.fontMetrics(), header.fontMetrics()
    for column, sample in COLUMN_SAMPLES.items():
        title = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
        width = max(cell.horizontalAdvance(sample) + 16, head.horizontalAdvance(title) + 28)
        table.setColumnWidth(column, width)
    header.setSectionResizeMode(COL_CENTER, QHeaderView.ResizeMode.Stretch)
    header.setToolTip("点击列标题排序，再点一次倒序")


def _combo(name: str) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    combo.addItem(ALL_LABEL, None)
    return combo


def _refill(combo: QComboBox, entries: Sequence[tuple[str, object]]) -> bool:
    """Replace the entries after 全部, keeping the chosen value if it is still there; False if it
    disappeared (the combo is then on 全部)."""
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(ALL_LABEL, None)
    for text, value in entries:
        combo.addItem(text, value)
    index = combo.findData(current) if current is not None else 0
    combo.setCurrentIndex(max(index, 0))
    combo.blockSignals(False)
    return current is None or index >= 0


class FilterBar(QWidget):
    """年度 / 状态 / 依托单位 / 仅有错误 / 显示已作废 over ``proxy``; ``changed`` after each change."""

    changed = Signal()

    def __init__(
        self, model: DeclarationTableModel, proxy: DeclarationFilterProxy, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.model = model
        self.proxy = proxy
        self.year_combo = _combo("declarations:year")
        self.status_combo = _combo("declarations:status")
        self.host_edit = QLineEdit(self)
        self.host_edit.setObjectName("declarations:host")
        self.host_edit.setPlaceholderText("依托单位名称或信用代码，多个词用空格分开")
        self.host_edit.setClearButtonEnabled(True)
        self.host_edit.setMinimumWidth(160)
        self.errors_box = QCheckBox("仅有错误(&R)", self)
        self.errors_box.setToolTip("只显示还有错误、不能提交的申报书")
        self.discarded_box = QCheckBox("显示已作废(&G)", self)
        self.discarded_box.setToolTip("已作废的草稿默认不显示；勾选后以灰色斜体显示")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for caption, widget in (
            ("年度(&Y)：", self.year_combo),
            ("状态(&T)：", self.status_combo),
            ("依托单位(&U)：", self.host_edit),
        ):
            label = QLabel(caption, self)
            label.setBuddy(widget)
            layout.addWidget(label)
            layout.addWidget(widget, 1 if widget is self.host_edit else 0)
            layout.addSpacing(6)
        layout.addWidget(self.errors_box)
        layout.addWidget(self.discarded_box)
        self.year_combo.currentIndexChanged.connect(self._year_changed)
        self.status_combo.currentIndexChanged.connect(self._status_changed)
        self.host_edit.textChanged.connect(self._host_changed)
        self.errors_box.toggled.connect(self._errors_toggled)
        self.discarded_box.toggled.connect(self._discarded_toggled)

    def inputs(self) -> list[QWidget]:
        """The filter inputs in reading order (for the page's Tab order)."""
        return [self.year_combo, self.status_combo, self.host_edit, self.errors_box, self.discarded_box]

    def refill(self) -> None:
        """The drop-downs list what the rows have; a chosen value that disappeared falls back to 全部."""
        years = [(f"{y} 年度", y) for y in self.model.years()]
        if not _refill(self.year_combo, years):
            self.proxy.set_year(None)
        statuses = [
            (f"{label}（{count}）", code)
            for code, label, count in self.model.statuses(with_discarded=self.proxy.show_discarded)
        ]
        if not _refill(self.status_combo, statuses):
            self.proxy.set_status("")

    def clear(self) -> None:
        """Esc: 年度, 状态, 依托单位 and 仅有错误 off in one refilter."""
        widgets = (self.year_combo, self.status_combo, self.host_edit, self.errors_box)
        for widget in widgets:
            widget.blockSignals(True)
        self.year_combo.setCurrentIndex(0)
        self.status_combo.setCurrentIndex(0)
        self.host_edit.clear()
        self.errors_box.setChecked(False)
        for widget in widgets:
            widget.blockSignals(False)
        self.proxy.clear_filters()
        self.changed.emit()

    def _year_changed(self, _index: int) -> None:
        value = self.year_combo.currentData()
        self.proxy.set_year(int(value) if value is not None else None)
        self.changed.emit()

    def _status_changed(self, _index: int) -> None:
        self.proxy.set_status(str(self.status_combo.currentData() or ""))
        self.changed.emit()

    def _host_changed(self, text: str) -> None:
        self.proxy.set_host_text(text)
        self.changed.emit()

    def _errors_toggled(self, on: bool) -> None:
        self.proxy.set_only_errors(on)
        self.changed.emit()

    def _discarded_toggled(self, on: bool) -> None:
        self.proxy.set_show_discarded(on)
        self.refill()
        self.changed.emit()
