"""One input widget per field type of the form definition, each with the flag label shown beneath it.

Every editor can be empty (``None``): a blank date, number or choice is "not filled in yet", which
the required-field check reports, rather than a made-up default.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, QEvent, QObject, QRegularExpression, Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from lzcenter_desktop.domain.formdef import FieldDef
from lzcenter_desktop.domain.violations import Violation
from lzcenter_desktop.ui.declarations.values import BadValue, parse_text

EMPTY_DATE = QDate(1899, 12, 31)
ERROR_STYLE = "color: #b00020;"
WARNING_STYLE = "color: #8a5a00;"
NOT_CHOSEN = "（请选择）"


def violation_text(v: Violation) -> str:
    """``错误 D9.3a 第九条（三）：固定研究开发人员 7 人…（实际：7人；要求：≥ 8人）``."""
    numbers = f"（实际：{v.actual}；要求：{v.required}）" if v.actual or v.required else ""
    return f"{v.severity.label} {v.rule} {v.article}：{v.message}{numbers}"


class FieldEditor(QWidget):
    """Label-less editor of one field; ``changed`` carries the field key and the new value."""

    changed = Signal(str, object)
    committed = Signal()  # the clerk left the field (or pressed Enter): save at once

    def __init__(
        self, fd: FieldDef, *, choices: tuple[tuple[str, str], ...] = (), parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.fd = fd
        self._loading = False
        self.input = self._make_input(fd, choices)
        self.input.setObjectName(f"field:{fd.key}")
        self.input.setAccessibleName(fd.label)
        tip = fd.help or ""
        if fd.example:
            tip = (tip + "\n" if tip else "") + f"示例：{fd.example}"
        if tip:
            self.input.setToolTip(tip)
        self.flag = QLabel(self)
        self.flag.setObjectName(f"flag:{fd.key}")
        self.flag.setWordWrap(True)
        self.flag.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        row = QHBoxLayout()
        row.addWidget(self.input, 1)
        layout.addLayout(row)
        layout.addWidget(self.flag)

    # -- construction ----------------------------------------------------------------------------

    def _make_input(self, fd: FieldDef, choices: tuple[tuple[str, str], ...]) -> QWidget:
        kind = fd.type
        if kind == "multiline":
            edit = QPlainTextEdit(self)
            edit.setTabChangesFocus(True)
            edit.setFixedHeight(64)
            edit.textChanged.connect(self._emit)
            edit.installEventFilter(self)
            return edit
        if kind == "date":
            de = QDateEdit(self)
            de.setCalendarPopup(True)
            de.setDisplayFormat("yyyy-MM-dd")
            de.setMinimumDate(EMPTY_DATE)
            de.setMaximumDate(QDate(2100, 12, 31))
            de.setSpecialValueText("（未填写）")
            de.setDate(EMPTY_DATE)
            de.dateChanged.connect(self._emit)
            return de
        if kind in ("enum", "bool"):
            combo = QComboBox(self)
            combo.addItem(NOT_CHOSEN, None)
            pairs = fd.choices if kind == "enum" else (("true", "是"), ("false", "否"))
            for value, label in pairs:
                combo.addItem(label, value)
            combo.currentIndexChanged.connect(self._emit)
            return combo
        if kind == "multi_enum":
            lst = QListWidget(self)
            for value, label in choices:
                item = QListWidgetItem(label)
                item.setData(Qt.ItemDataRole.UserRole, value)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Unchecked)
                lst.addItem(item)
            lst.setFlow(QListWidget.Flow.LeftToRight)
            lst.setWrapping(True)
            lst.setFixedHeight(64)
            lst.itemChanged.connect(self._emit)
            return lst
        line = QLineEdit(self)
        if fd.max_length:
            line.setMaxLength(fd.max_length)
        if kind in ("int", "money"):
            line.setValidator(QRegularExpressionValidator(QRegularExpression(r"[0-9]{0,13}"), line))
            line.setPlaceholderText("元" if kind == "money" else "")
        elif kind == "area":
            line.setValidator(
                QRegularExpressionValidator(QRegularExpression(r"[0-9]{0,9}(\.[0-9]{0,2})?"), line)
            )
            line.setPlaceholderText("平方米")
        elif fd.example:
            line.setPlaceholderText(fd.example)
        line.textChanged.connect(self._emit)
        line.editingFinished.connect(self.committed)
        return line

    # -- value -----------------------------------------------------------------------------------

    def value(self) -> Any:
        w = self.input
        kind = self.fd.type
        if isinstance(w, QPlainTextEdit):
            return w.toPlainText().strip()
        if isinstance(w, QDateEdit):
            return None if w.date() == EMPTY_DATE else w.date().toString("yyyy-MM-dd")
        if isinstance(w, QComboBox):
            data = w.currentData()
            if kind == "bool":
                return None if data is None else data == "true"
            return data
        if isinstance(w, QListWidget):
            return [
                w.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(w.count())
                if w.item(i).checkState() == Qt.CheckState.Checked
            ]
        assert isinstance(w, QLineEdit)
        try:
            return parse_text(self.fd, w.text())
        except BadValue:
            return None

    def set_value(self, value: Any) -> None:
        self._loading = True
        try:
            w = self.input
            if isinstance(w, QPlainTextEdit):
                w.setPlainText("" if value is None else str(value))
            elif isinstance(w, QDateEdit):
                d = QDate.fromString(value, "yyyy-MM-dd") if isinstance(value, str) else QDate()
                w.setDate(d if d.isValid() else EMPTY_DATE)
            elif isinstance(w, QComboBox):
                wanted = (
                    None
                    if value is None
                    else ("true" if value else "false")
                    if self.fd.type == "bool"
                    else value
                )
                index = w.findData(wanted) if wanted is not None else 0
                w.setCurrentIndex(max(index, 0))
            elif isinstance(w, QListWidget):
                chosen = [str(v) for v in (value or [])]
                known = {w.item(i).data(Qt.ItemDataRole.UserRole) for i in range(w.count())}
                for extra in chosen:  # a value outside this year's list is kept (and flagged), never dropped
                    if extra not in known:
                        item = QListWidgetItem(f"{extra}（不在目录中）")
                        item.setData(Qt.ItemDataRole.UserRole, extra)
                        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
                        w.addItem(item)
                        known.add(extra)
                for i in range(w.count()):
                    item = w.item(i)
                    on = item.data(Qt.ItemDataRole.UserRole) in chosen
                    item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
            else:
                assert isinstance(w, QLineEdit)
                w.setText("" if value is None else str(value))
        finally:
            self._loading = False

    def set_choices(self, choices: tuple[tuple[str, str], ...], value: Any) -> None:
        """New choices for a list of check boxes (the key industries of a rule set saved while the
        wizard is open); ``value`` stays chosen, a value no longer in the list is kept and marked."""
        w = self.input
        if not isinstance(w, QListWidget):
            return
        self._loading = True
        try:
            w.clear()
            for key, label in choices:
                item = QListWidgetItem(label)
                item.setData(Qt.ItemDataRole.UserRole, key)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Unchecked)
                w.addItem(item)
        finally:
            self._loading = False
        self.set_value(value)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.input and event.type() == QEvent.Type.FocusOut:
            self.committed.emit()
        return super().eventFilter(watched, event)

    def _emit(self, *_: object) -> None:
        if not self._loading:
            self.changed.emit(self.fd.key, self.value())

    # -- flags -----------------------------------------------------------------------------------

    def show_violations(self, violations: list[Violation]) -> None:
        if not violations:
            self.flag.hide()
            self.flag.clear()
            self.input.setStyleSheet("")
            return
        error = any(v.is_error for v in violations)
        self.flag.setText("\n".join(violation_text(v) for v in violations))
        self.flag.setStyleSheet(ERROR_STYLE if error else WARNING_STYLE)
        self.flag.show()
        colour = "#b00020" if error else "#c08000"
        name = type(self.input).__name__
        self.input.setStyleSheet(f"{name} {{ border: 1px solid {colour}; }}")

    def flag_text(self) -> str:
        return self.flag.text() if self.flag.isVisibleTo(self) else ""
