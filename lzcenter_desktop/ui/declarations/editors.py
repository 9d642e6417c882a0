"""One input widget per field type of the form definition, each with the flag label shown beneath it.

Every editor can be empty (``None``): a blank date, number or choice is "not filled in yet", which
the required-field check reports, rather than a made-up default. Dates are typed like Excel with the
one date editor of the application (:class:`~lzcenter_desktop.ui.widgets.date_edit.DateEdit`).

What a clerk reads never carries an internal code: a required field left blank is "必填", a shape
problem "格式", the same host twice "重复申报" (:func:`rule_label`); the catalog's rule IDs (D9.3a …)
stay, with their article, as the Measures' own references. A violation is written, and coloured, as
on every other page (:mod:`lzcenter_desktop.ui.style`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from PySide6.QtCore import QEvent, QObject, QRegularExpression, Qt, Signal
from PySide6.QtGui import QFocusEvent, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from lzcenter_desktop.domain import draft_checks
from lzcenter_desktop.domain.draft_checks import FORM_RULE, FORMAT_RULE
from lzcenter_desktop.domain.formdef import FieldDef
from lzcenter_desktop.domain.violations import Violation
from lzcenter_desktop.ui import style
from lzcenter_desktop.ui.declarations.values import BadValue, parse_text
from lzcenter_desktop.ui.style import ERROR_STYLE as ERROR_STYLE
from lzcenter_desktop.ui.style import WARNING_STYLE as WARNING_STYLE
from lzcenter_desktop.ui.widgets.date_edit import DateEdit

NOT_CHOSEN = "（请选择）"
# Leaving a field for a popup (a drop-down, the calendar) or another window is not leaving it.
_STAYS = (Qt.FocusReason.PopupFocusReason, Qt.FocusReason.ActiveWindowFocusReason)


def rule_label(v: Violation) -> str:
    """The rule as a clerk reads it: the catalog ID (``D9.3a``), or 必填 / 格式 / 重复申报."""
    return draft_checks.rule_label(v.rule)


def violation_text(v: Violation) -> str:
    """:func:`lzcenter_desktop.ui.style.violation_text` with the program's own rules named as a clerk
    reads them: ``错误 D9.3a 第九条（三）：固定研究开发人员 7 人…（实际：7人；要求：≥ 8人）``,
    ``警告 重复申报 第十条（一）：…``, ``错误 格式：…``; a required field left blank reads
    ``必填：请填写“申报日期”（中心基本信息）`` (the message says what is missing)."""
    if v.rule == FORM_RULE:
        return f"必填：{v.message}"
    if v.rule == FORMAT_RULE:  # its "article" is the interchange format, not the Measures
        return f"{style.level_label(v.severity)} {rule_label(v)}：{v.message}{style.violation_numbers(v)}"
    return style.violation_text(dataclasses.replace(v, rule=rule_label(v)))


class FieldEditor(QWidget):
    """Label-less editor of one field; ``changed`` carries the field key and the new value."""

    changed = Signal(str, object)
    committed = Signal()  # the clerk left the field (or pressed Enter): save at once
    visited = Signal(str)  # the clerk left the field (its required-field flag may show from now on)

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
        self.focus_widget().installEventFilter(self)

    def focus_widget(self) -> QWidget:
        """The widget that takes the keyboard (a date's line, else the input itself)."""
        return self.input.line if isinstance(self.input, DateEdit) else self.input

    # -- construction ----------------------------------------------------------------------------

    def _make_input(self, fd: FieldDef, choices: tuple[tuple[str, str], ...]) -> QWidget:
        kind = fd.type
        if kind == "multiline":
            edit = QPlainTextEdit(self)
            edit.setTabChangesFocus(True)
            edit.setFixedHeight(64)
            edit.textChanged.connect(self._emit)
            return edit
        if kind == "date":  # typed like Excel; Delete empties an optional one; never a made-up date
            de = DateEdit(None, optional=not fd.required, parent=self)
            de.line.setAccessibleName(fd.label)
            de.setMinimumWidth(de.fontMetrics().horizontalAdvance("2026-05-20") + 60)
            de.date_committed.connect(self._date_committed)
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
        if isinstance(w, DateEdit):
            day = w.date()
            return None if day is None else day.isoformat()
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
            elif isinstance(w, DateEdit):
                try:
                    w.setDate(dt.date.fromisoformat(value) if isinstance(value, str) and value else None)
                except ValueError:  # not a date (an imported draft): shown as typed, to be corrected
                    w.setDate(None)
                    w.line.setText(str(value))
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
        if (
            watched is self.focus_widget()
            and event.type() == QEvent.Type.FocusOut
            and isinstance(event, QFocusEvent)
            and event.reason() not in _STAYS
        ):
            self.visited.emit(self.fd.key)
            if not isinstance(self.input, QLineEdit | DateEdit):  # those say so themselves
                self.committed.emit()
        return super().eventFilter(watched, event)

    def commit_typed(self) -> None:
        """A date still being typed is taken now (the wizard closes or saves with Ctrl+S)."""
        w = self.input
        if isinstance(w, DateEdit):
            day = w.date()
            if w.line.text().strip() != (day.isoformat() if day is not None else ""):
                w.commit()

    def _date_committed(self, _value: object) -> None:
        self._emit()
        if not self._loading:
            self.committed.emit()  # a date is one finished edit: save at once

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
        level = style.violations_level(violations)
        self.flag.setText("\n".join(violation_text(v) for v in violations))
        self.flag.setStyleSheet(style.text_style(level))
        self.flag.show()
        name = "QLineEdit" if isinstance(self.input, DateEdit) else type(self.input).__name__
        self.input.setStyleSheet(style.border_style(name, level))

    def flag_text(self) -> str:
        return self.flag.text() if self.flag.isVisibleTo(self) else ""
