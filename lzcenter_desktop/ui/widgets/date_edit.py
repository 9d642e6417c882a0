"""One date editor for the whole application, typed like Excel.

``QDateEdit`` cannot be empty, jumps to 2000-01-01 or 1900 on an arrow key and makes the clerk
type a date section by section. :class:`DateEdit` is a line edit that takes what clerks type
(``2026-05-20``, ``2026/5/20``, ``20260520``, ``2026年5月20日`` — see
:func:`domain.dates.parse_typed_date`), keeps the calendar popup (the button, or Alt+Down / F4), and
behaves like a text cell:

* Tab, Enter or leaving the field commits; what cannot be a date stays in the field, marked red
  with the Chinese reason as its tooltip, and the value does not change;
* ↑ / ↓ add or take a day, PgUp / PgDn a month, from the date shown (today when empty) — never
  from 1900;
* Delete or Backspace on a fully selected field empties an optional date; a required one keeps it.

``date_committed(object)`` carries the new ``date`` (or ``None``) each time the value changes.
"""

from __future__ import annotations

import datetime as dt
from datetime import timedelta

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QToolButton,
    QWidget,
    QWidgetAction,
)

from lzcenter_desktop.domain.dates import TYPED_DATE_HINT, months_after, parse_typed_date
from lzcenter_desktop.ui.style import ERROR_BORDER, ERROR_INPUT_BACKGROUND

BAD_STYLE = f"QLineEdit {{ border: 1px solid {ERROR_BORDER}; background: {ERROR_INPUT_BACKGROUND}; }}"


class _Line(QLineEdit):
    def __init__(self, owner: DateEdit) -> None:
        super().__init__(owner)
        self._owner = owner

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self._owner.handle_key(event):
            event.accept()
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self._owner.commit()


class DateEdit(QWidget):
    """A typed date with a calendar popup; ``optional`` dates may be empty."""

    date_committed = Signal(object)  # dt.date | None

    def __init__(
        self, value: dt.date | None = None, *, optional: bool = True, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.optional = optional
        self._value: dt.date | None = value
        self.line = _Line(self)
        self.line.setPlaceholderText("如 2026-05-20" if optional else "必填，如 2026-05-20")
        self.line.setToolTip(TYPED_DATE_HINT)
        self.button = QToolButton(self)
        self.button.setText("▾")
        self.button.setToolTip("选择日期（Alt+↓）")
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.button.clicked.connect(self.open_calendar)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.line, 1)
        layout.addWidget(self.button)
        self.setFocusProxy(self.line)
        self.calendar: QCalendarWidget | None = None
        self._error = ""
        self._show(value)
        self.line.returnPressed.connect(self.commit)

    # -- value ------------------------------------------------------------------------------------
    def date(self) -> dt.date | None:
        return self._value

    def setDate(self, value: dt.date | None) -> None:  # Qt naming, like QDateEdit
        """Set the value from the program (no ``date_committed``)."""
        self._value = value
        self._show(value)

    def error_text(self) -> str:
        """The Chinese reason the typed text is not a date, or "" when it is."""
        return self._error

    def _show(self, value: dt.date | None) -> None:
        self.line.setText(value.isoformat() if value is not None else "")
        self._set_error("")

    def _set_error(self, message: str) -> None:
        self._error = message
        self.line.setStyleSheet(BAD_STYLE if message else "")
        self.line.setToolTip(message or TYPED_DATE_HINT)

    def commit(self) -> bool:
        """Take the typed text; False (field marked, value unchanged) when it is not a date."""
        try:
            value = parse_typed_date(self.line.text())
        except ValueError as exc:
            self._set_error(str(exc))
            return False
        if value is None and not self.optional:
            self._set_error("此日期必填，" + TYPED_DATE_HINT)
            return False
        self._set_error("")
        self.line.setText(value.isoformat() if value is not None else "")
        if value != self._value:
            self._value = value
            self.date_committed.emit(value)
        return True

    def _step(self, value: dt.date) -> None:
        self.line.setText(value.isoformat())
        self.commit()
        self.line.selectAll()

    # -- keys --------------------------------------------------------------------------------------
    def handle_key(self, event: QKeyEvent) -> bool:
        key, mods = event.key(), event.modifiers()
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown):
            if mods & Qt.KeyboardModifier.AltModifier and key == Qt.Key.Key_Down:
                self.open_calendar()
                return True
            try:
                base = parse_typed_date(self.line.text()) or dt.date.today()
            except ValueError:
                base = self._value or dt.date.today()
            if key == Qt.Key.Key_Up:
                self._step(base + timedelta(days=1))
            elif key == Qt.Key.Key_Down:
                self._step(base - timedelta(days=1))
            elif key == Qt.Key.Key_PageUp:
                self._step(months_after(base, 1))
            else:
                self._step(months_after(base, -1))
            return True
        if key == Qt.Key.Key_F4:
            self.open_calendar()
            return True
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            whole = self.line.selectedText() == self.line.text() or not self.line.text()
            if whole and self.optional:
                self.line.clear()
                self.commit()
                return True
        return False

    # -- calendar ----------------------------------------------------------------------------------
    def open_calendar(self) -> None:
        menu = QMenu(self)
        calendar = QCalendarWidget(menu)
        calendar.setGridVisible(True)
        current = self._value or dt.date.today()
        calendar.setSelectedDate(QDate(current.year, current.month, current.day))
        action = QWidgetAction(menu)
        action.setDefaultWidget(calendar)
        menu.addAction(action)
        self.calendar = calendar

        def chosen(picked: QDate) -> None:
            self._step(dt.date(picked.year(), picked.month(), picked.day()))
            menu.close()

        calendar.activated.connect(chosen)
        calendar.clicked.connect(chosen)
        menu.popup(self.mapToGlobal(self.rect().bottomLeft()))
        calendar.setFocus()
