"""The preview of an Excel import: what the workbook would change and what is wrong in it.

Shown after the workbook was read in the background (see ``DeclarationWizard.import_excel``).
Nothing is written until the clerk presses 应用; 取消 (or Esc) leaves the draft as it is. The
changes are listed field by field, grouped by section, and row by row for the tables (old value →
new value); the problems are listed with their cell (``研发人员!C7``) and what the import does
about each (a cell with a problem keeps the stored value).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from lzcenter_desktop.services.declaration_files import WorkbookImportPreview

_PROBLEM_STYLE = "color: #b00020;"
_WIDTH, _HEIGHT = 1000, 660  # fits a 1366×768 screen with the task bar and the title bar


class ImportPreviewDialog(QDialog):
    """应用 accepts (the caller then saves the preview), 取消 or Esc rejects."""

    def __init__(self, preview: WorkbookImportPreview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preview = preview
        self.setWindowTitle(f"从 Excel 导入：{preview.file_name}")
        self.setModal(True)
        layout = QVBoxLayout(self)

        self.summary = QLabel(
            f"“{preview.file_name}”{preview.summary}\n"
            "请核对下列内容：点“应用”才写入申报书；点“取消”（或按 Esc）不做任何修改。"
        )
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.summary)
        if preview.notes:
            self.notes = QLabel("\n".join(f"· {note}" for note in preview.notes))
            self.notes.setWordWrap(True)
            layout.addWidget(self.notes)

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.setChildrenCollapsible(False)
        changes_box = QWidget(splitter)
        changes_layout = QVBoxLayout(changes_box)
        changes_layout.setContentsMargins(0, 0, 0, 0)
        count = len(preview.fields) + len(preview.rows)
        self.changes_title = QLabel(
            f"将要修改（{len(preview.fields)} 项内容，明细表 {len(preview.rows)} 行）"
            if count
            else "将要修改：没有需要修改的内容"
        )
        self.changes = QTreeWidget(changes_box)
        self.changes.setColumnCount(3)
        self.changes.setHeaderLabels(["项目", "原值", "新值"])
        self.changes.setAlternatingRowColors(True)
        self.changes.setUniformRowHeights(True)
        self.changes.setAccessibleName("将要修改的内容")
        self.changes_title.setBuddy(self.changes)
        self._fill_changes()
        changes_layout.addWidget(self.changes_title)
        changes_layout.addWidget(self.changes)

        problems_box = QWidget(splitter)
        problems_layout = QVBoxLayout(problems_box)
        problems_layout.setContentsMargins(0, 0, 0, 0)
        self.problems_title = QLabel(
            f"发现的问题（{len(preview.problems)} 处）：有问题的单元格不导入，保留申报书中的原值"
            if preview.problems
            else "发现的问题：无"
        )
        if preview.problems:
            self.problems_title.setStyleSheet(_PROBLEM_STYLE)
        self.problems = QTableWidget(len(preview.problems), 3, problems_box)
        self.problems.setHorizontalHeaderLabels(["位置", "问题", "处理"])
        self.problems.setAccessibleName("发现的问题")
        self.problems.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.problems.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.problems.setWordWrap(True)
        self.problems.setTabKeyNavigation(False)  # Tab moves on to the buttons, arrows move between cells
        self.problems.verticalHeader().setVisible(False)
        header = self.problems.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(2, 240)
        for row, problem in enumerate(preview.problems):
            for column, text in enumerate((problem.where or "整个文件", problem.message, problem.handling)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.problems.setItem(row, column, item)
        # row heights follow the wrapped messages once the columns have their widths
        header.sectionResized.connect(lambda *_: self.problems.resizeRowsToContents())
        problems_layout.addWidget(self.problems_title)
        problems_layout.addWidget(self.problems)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        problems_box.setVisible(bool(preview.problems))
        layout.addWidget(splitter, 1)

        self.buttons = QDialogButtonBox(self)
        self.apply_button = QPushButton("应用(&A)")
        self.apply_button.setToolTip("把上列修改写入申报书（可在审计日志中看到这次导入）")
        self.apply_button.setEnabled(preview.has_changes)
        self.cancel_button = QPushButton("取消")
        self.cancel_button.setToolTip("不做任何修改（Esc）")
        self.buttons.addButton(self.apply_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        for button in (self.apply_button, self.cancel_button):
            button.setAutoDefault(False)  # Enter in the lists must not apply by accident
        layout.addWidget(self.buttons)

        self._fit_screen()
        self.changes.setFocus()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.problems.resizeRowsToContents()

    def _fill_changes(self) -> None:
        groups: dict[str, QTreeWidgetItem] = {}
        for change in self.preview.fields:
            parent = groups.get(change.group)
            if parent is None:
                parent = QTreeWidgetItem(self.changes, [change.group or "基本信息", "", ""])
                groups[change.group] = parent
            QTreeWidgetItem(parent, [change.label, change.old_text, change.new_text])
        for row in self.preview.rows:
            node = QTreeWidgetItem(self.changes, [row.title, "", ""])
            for change in row.changes:
                QTreeWidgetItem(node, [change.label, change.old_text, change.new_text])
        self.changes.expandAll()
        header = self.changes.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, 300)
        header.resizeSection(1, 300)
        header.setStretchLastSection(True)
        first = self.changes.topLevelItem(0)
        if first is not None:
            self.changes.setCurrentItem(first)

    def _fit_screen(self) -> None:
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            self.resize(_WIDTH, _HEIGHT)
            return
        room = screen.availableGeometry()
        self.resize(min(_WIDTH, room.width() - 40), min(_HEIGHT, room.height() - 60))

    def row_texts(self) -> list[list[str]]:
        """Every line of the changes list as [项目, 原值, 新值] (for tests and screen readers)."""
        lines: list[list[str]] = []
        for i in range(self.changes.topLevelItemCount()):
            top = self.changes.topLevelItem(i)
            if top is None:
                continue
            lines.append([top.text(c) for c in range(3)])
            for j in range(top.childCount()):
                child = top.child(j)
                if child is not None:
                    lines.append([child.text(c) for c in range(3)])
        return lines
