"""The answer to a refused save because someone else saved the record first (optimistic locking,
services/versioning.py): ``该记录已被他人修改…`` with three choices —

* **重新载入** — drop my edit (after a confirmation) and load what is stored now;
* **比较** (the default button) — a field-by-field table, 我的修改 beside 数据库中的当前值, the rows
  that differ marked; the current values are read off the UI thread (:func:`ui.ops.query_op`);
* **取消** (Esc) — close the box and keep editing; nothing was saved.

An editor calls :func:`offer_reload` from the ``on_failure`` of its ``write_op``: it returns False
for any other failure, which the editor then reports as before.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from lzcenter_desktop.services.versioning import StaleRecord
from lzcenter_desktop.ui import ops, style

RELOAD_TEXT = "重新载入(&R)"
COMPARE_TEXT = "比较(&C)"
CANCEL_TEXT = "取消"
DIFFERENT_MARK = "≠ 不同"
HEADERS = ("字段", "我的修改", "数据库中的当前值", "")

Fields = Mapping[str, str]


class StaleDialog(QDialog):
    """The box of a stale save. ``mine`` are the editor's values (field label → text as shown);
    ``fetch_theirs`` reads the stored values (same labels) and runs on a worker thread;
    ``on_reload`` runs once the clerk confirmed that her edit is dropped."""

    def __init__(
        self,
        parent: QWidget | None,
        message: str,
        *,
        mine: Fields,
        fetch_theirs: Callable[[], Fields],
        on_reload: Callable[[], None],
    ) -> None:
        super().__init__(parent)
        self.setObjectName("staleDialog")
        self.setWindowTitle("该记录已被他人修改")
        self.mine = dict(mine)
        self.fetch_theirs = fetch_theirs
        self.on_reload = on_reload
        self.theirs: dict[str, str] | None = None
        self.question: QMessageBox | None = None

        self.message = QLabel(message, self)
        self.message.setObjectName("staleMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status = QLabel(self)
        self.status.setObjectName("staleStatus")
        self.status.setWordWrap(True)
        self.status.setStyleSheet(style.NOTE_STYLE)
        self.status.hide()
        self.table = QTableWidget(0, len(HEADERS), self)
        self.table.setObjectName("staleCompare")
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.table.hide()

        self.buttons = QDialogButtonBox(self)
        self.reload_button = QPushButton(RELOAD_TEXT, self)
        self.reload_button.setObjectName("staleReload")
        self.compare_button = QPushButton(COMPARE_TEXT, self)
        self.compare_button.setObjectName("staleCompareButton")
        self.cancel_button = QPushButton(CANCEL_TEXT, self)
        self.cancel_button.setObjectName("staleCancel")
        self.buttons.addButton(self.reload_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        self.buttons.addButton(self.compare_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        for b in (self.reload_button, self.cancel_button):
            b.setAutoDefault(False)
        self.compare_button.setDefault(True)
        self.reload_button.clicked.connect(self.ask_reload)
        self.compare_button.clicked.connect(self.compare)
        self.cancel_button.clicked.connect(self.reject)  # Esc is reject() too

        box = QVBoxLayout(self)
        box.addWidget(self.message)
        box.addWidget(self.status)
        box.addWidget(self.table, 1)
        box.addWidget(self.buttons)
        self.resize(720, self.sizeHint().height())

    # -- 比较 -----------------------------------------------------------------------------------
    def compare(self) -> None:
        """Read the stored values and show the table (again: read afresh each time)."""
        self.compare_button.setEnabled(False)
        self.status.setText("正在读取数据库中的当前内容…")
        self.status.show()
        ops.query_op(
            self.fetch_theirs,
            parent=self,
            key=f"stale-compare:{id(self)}",
            on_success=self.show_comparison,
            on_failure=self._compare_failed,
        )

    def show_comparison(self, theirs: Fields) -> None:
        self.theirs = dict(theirs)
        self.compare_button.setEnabled(True)
        labels = list(self.mine) + [k for k in theirs if k not in self.mine]
        self.table.setRowCount(len(labels))
        bold = QFont(self.font())
        bold.setBold(True)
        marked = QBrush(QColor("#fff1c2"))
        differing = 0
        for row, label in enumerate(labels):
            mine, current = self.mine.get(label, ""), self.theirs.get(label, "")
            differs = mine != current
            differing += differs
            cells = (label, mine, current, DIFFERENT_MARK if differs else "")
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if differs:
                    item.setBackground(marked)
                    item.setFont(bold)
                self.table.setItem(row, column, item)
        self.status.setText(
            f"共 {len(labels)} 项，其中 {differing} 项不同（标“{DIFFERENT_MARK}”的行）。"
            "保留数据库中的内容请点“重新载入”；要继续编辑并稍后再保存请点“取消”。"
            if differing
            else "您的修改与数据库中的当前内容相同。点“重新载入”即可继续。"
        )
        self.table.show()
        self.resize(max(self.width(), 900), max(self.height(), 460))
        layout = self.layout()
        if layout is not None:
            layout.activate()
        self.table.resizeRowsToContents()  # now that the columns have their widths

    def differing_rows(self) -> list[str]:
        """The labels of the rows marked as different (tests, screen readers)."""
        out: list[str] = []
        for r in range(self.table.rowCount()):
            label, mark = self.table.item(r, 0), self.table.item(r, 3)
            if label is not None and mark is not None and mark.text() == DIFFERENT_MARK:
                out.append(label.text())
        return out

    def _compare_failed(self, exc: BaseException) -> None:
        self.compare_button.setEnabled(True)
        self.status.setText(f"无法读取数据库中的当前内容：{exc}。请稍后再点“比较”。")

    # -- 重新载入 --------------------------------------------------------------------------------
    def ask_reload(self) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "放弃我的修改",
            "重新载入会放弃您尚未保存的修改，改为显示数据库中的当前内容。要重新载入吗？",
            parent=self,
        )
        yes = box.addButton("放弃修改并重新载入(&Y)", QMessageBox.ButtonRole.AcceptRole)
        no = box.addButton("返回", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(no)
        box.setEscapeButton(no)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.yes = yes  # type: ignore[attr-defined]
        box.no = no  # type: ignore[attr-defined]

        def answered(clicked: object) -> None:
            self.question = None
            if clicked is yes:
                self.reload_now()

        box.buttonClicked.connect(answered)
        self.question = box
        box.open()

    def reload_now(self) -> None:
        """Drop the edit: close the box and let the editor load the stored record."""
        self.accept()
        self.on_reload()


def offer_reload(
    parent: QWidget,
    exc: BaseException,
    *,
    mine: Fields,
    fetch_theirs: Callable[[], Fields],
    on_reload: Callable[[], None],
) -> StaleDialog | None:
    """Open the :class:`StaleDialog` (not blocking) when ``exc`` is a stale save; ``None`` otherwise."""
    if not isinstance(exc, StaleRecord):
        return None
    dialog = StaleDialog(parent, exc.message, mine=mine, fetch_theirs=fetch_theirs, on_reload=on_reload)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    parent.stale_dialog = dialog  # type: ignore[attr-defined]
    dialog.open()
    return dialog
