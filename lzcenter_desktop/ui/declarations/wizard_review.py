"""检查与提交, the last page of the declaration wizard: every violation of the draft, a reason for
each warning, and 提交 once nothing blocks it.

This page is the summary: it lists every problem, required fields left blank included (reaching it
also shows them on the other pages). Rules are named as a clerk reads them (必填 / 格式 / 重复申报,
or the catalog's rule ID with its article), places by the form's labels — never an internal code;
levels (错误 / 警告) in the words and colours of every page (:mod:`lzcenter_desktop.ui.style`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWizardPage,
)

from lzcenter_desktop.domain.formdef import SectionDef
from lzcenter_desktop.domain.violations import Severity, Violation
from lzcenter_desktop.services import declarations as decl
from lzcenter_desktop.ui import style
from lzcenter_desktop.ui.declarations.editors import rule_label
from lzcenter_desktop.ui.declarations.flags import path_label

if TYPE_CHECKING:
    from lzcenter_desktop.ui.declarations.wizard import DeclarationWizard


def explanation(v: Violation) -> str:
    """The 说明 column: the message, with the numbers where the rule gives them."""
    if v.rule == decl.FORM_RULE:
        return v.message  # 请填写“…” / 至少应填写 3 行，现有 1 行: nothing to add
    return v.message + style.violation_numbers(v)


class ReviewPage(QWizardPage):
    """检查与提交: every violation; a reason for each warning; 提交 only when nothing blocks it."""

    def __init__(self, wizard: DeclarationWizard, section: SectionDef) -> None:
        super().__init__()
        self.owner = wizard
        self.section = section
        self.setTitle(section.title)
        self.setSubTitle(section.help)
        self.table = QTableWidget(0, 6, self)
        self.table.setObjectName("review")
        self.table.setHorizontalHeaderLabels(
            ["级别", "规则", "条款", "位置", "说明（实际 / 要求）", "确认理由"]
        )
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(5, 200)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemChanged.connect(self._reason_changed)
        self.counts = QLabel(self)
        self.counts.setObjectName("review:counts")
        self.submit_button = QPushButton("提交申报书(&T)", self)
        self.submit_button.setObjectName("review:submit")
        self.submit_button.clicked.connect(wizard.submit)
        self.status = QLabel(self)
        self.status.setObjectName("review:status")
        self.status.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.counts, 1)
        row.addWidget(self.submit_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(self.status)
        self._filling = False
        self._rows: list[Violation] = []

    def show_all(self, violations: list[Violation], acks: dict[str, str], submitted: bool) -> None:
        self._filling = True
        try:
            self._rows = list(violations)
            self.table.setRowCount(len(violations))
            for i, v in enumerate(violations):
                cells = [
                    style.level_label(v.severity),
                    rule_label(v),
                    v.article,
                    path_label(self.owner.form, v.path),
                    explanation(v),
                ]
                for c, text in enumerate(cells):
                    item = QTableWidgetItem(text)
                    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                    if c == 0:
                        item.setForeground(style.level_color(v.severity))
                    self.table.setItem(i, c, item)
                reason = QTableWidgetItem(acks.get(decl.violation_key(v), "") if not v.is_error else "")
                if v.is_error or submitted:
                    reason.setFlags(Qt.ItemFlag.ItemIsEnabled)
                    if v.is_error:
                        reason.setText("须改正")
                else:
                    reason.setFlags(
                        Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemIsSelectable
                    )
                    reason.setToolTip("请填写确认该警告的理由")
                self.table.setItem(i, 5, reason)
        finally:
            self._filling = False
        self.update_state()

    def _reason_changed(self, item: QTableWidgetItem) -> None:
        if self._filling or item.column() != 5 or not 0 <= item.row() < len(self._rows):
            return
        v = self._rows[item.row()]
        if not v.is_error:
            self.owner.acknowledge(v, item.text())
            self.update_state()

    def commit_open_editor(self) -> None:
        """Hand the text of a 确认理由 cell still being edited to the table (which stores it)."""
        if self.table.state() == QAbstractItemView.State.EditingState:
            for editor in self.table.viewport().findChildren(QLineEdit):
                self.table.commitData(editor)

    def set_reason(self, v: Violation, reason: str) -> None:
        """What typing the reason into the row of ``v`` does (used by the row's cell and by tests)."""
        for i, row in enumerate(self._rows):
            if row == v:
                item = self.table.item(i, 5)
                if item is not None:
                    item.setText(reason)

    def rendered_texts(self) -> list[str]:
        """Every text of the table a clerk reads (for the check that no internal code shows)."""
        out = [self.counts.text(), self.status.text()]
        for r in range(self.table.rowCount()):
            for c in range(self.table.columnCount()):
                item = self.table.item(r, c)
                if item is not None:
                    out += [item.text(), item.toolTip()]
        return out

    def update_state(self) -> None:
        errors = [v for v in self._rows if v.is_error]
        warnings = [v for v in self._rows if v.severity is Severity.WARNING]
        missing = [v for v in warnings if not self.owner.acks.get(decl.violation_key(v), "").strip()]
        text = f"{style.counts_text(len(errors), len(warnings))}（未确认 {len(missing)} 项）"
        if self.owner.submitted:
            text = "已提交。" + text
        self.counts.setText(text)
        self.submit_button.setEnabled(
            not errors and not missing and not self.owner.submitted and not self.owner.submitting
        )
        if errors:
            self.submit_button.setToolTip("还有错误，改正后才能提交")
        elif missing:
            self.submit_button.setToolTip("每条警告都须填写确认理由")
        else:
            self.submit_button.setToolTip("")
