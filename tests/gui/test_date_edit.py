"""The one date editor: typed like Excel, arrows that never jump to 1900, Delete empties, popup stays."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from lzcenter_desktop.ui.widgets.date_edit import DateEdit
from tests.helpers import type_text

_KEEP: list[QWidget] = []


def make(
    qtbot: Any, value: date | None = None, *, optional: bool = True
) -> tuple[DateEdit, QLineEdit, list[Any]]:
    host = QWidget()
    layout = QVBoxLayout(host)
    edit = DateEdit(value, optional=optional)
    after = QLineEdit()
    layout.addWidget(edit)
    layout.addWidget(after)
    qtbot.addWidget(host)
    host.show()
    qtbot.waitExposed(host)
    _KEEP.append(host)  # the window must outlive this helper
    got: list[Any] = []
    edit.date_committed.connect(got.append)
    host.activateWindow()
    edit.line.setFocus()
    qtbot.waitUntil(edit.line.hasFocus)
    return edit, after, got


@pytest.mark.parametrize("typed", ["2026-05-20", "2026/5/20", "20260520", "2026.5.20"])
def test_an_empty_field_takes_a_typed_date_and_tab_leaves_it(qtbot: Any, typed: str) -> None:
    edit, after, got = make(qtbot)
    qtbot.keyClicks(edit.line, typed)
    qtbot.keyClick(edit.line, Qt.Key.Key_Tab)
    assert got == [date(2026, 5, 20)] and edit.date() == date(2026, 5, 20)
    assert edit.line.text() == "2026-05-20" and after.hasFocus()


def test_a_chinese_date_typed_through_the_input_method(qtbot: Any) -> None:
    edit, _after, got = make(qtbot)
    type_text(edit.line, "2026年5月20日")
    qtbot.keyClick(edit.line, Qt.Key.Key_Return)
    assert got == [date(2026, 5, 20)]


def test_what_is_not_a_date_is_marked_and_keeps_the_value(qtbot: Any) -> None:
    edit, _after, got = make(qtbot, date(2024, 1, 1))
    edit.line.selectAll()
    qtbot.keyClicks(edit.line, "2026-02-30")
    qtbot.keyClick(edit.line, Qt.Key.Key_Tab)
    assert got == [] and edit.date() == date(2024, 1, 1)
    assert "这一天不存在" in edit.error_text() and "这一天不存在" in edit.line.toolTip()


def test_arrows_step_from_the_date_or_today_never_1900(qtbot: Any) -> None:
    edit, _after, got = make(qtbot)
    qtbot.keyClick(edit.line, Qt.Key.Key_Up)
    assert edit.date() == date.today() + timedelta(days=1)
    qtbot.keyClick(edit.line, Qt.Key.Key_Down)
    qtbot.keyClick(edit.line, Qt.Key.Key_Down)
    assert edit.date() == date.today() - timedelta(days=1)
    edit.setDate(date(2024, 1, 31))
    qtbot.keyClick(edit.line, Qt.Key.Key_PageUp)
    assert edit.date() == date(2024, 2, 29)  # the last day of a shorter month
    assert all(d.year > 1900 for d in got)


def test_delete_empties_an_optional_date_but_not_a_required_one(qtbot: Any) -> None:
    edit, _after, got = make(qtbot, date(2026, 5, 20))
    edit.line.selectAll()
    qtbot.keyClick(edit.line, Qt.Key.Key_Delete)
    assert edit.date() is None and got == [None]
    required, _a, got2 = make(qtbot, date(2026, 5, 20), optional=False)
    required.line.selectAll()
    qtbot.keyClick(required.line, Qt.Key.Key_Delete)
    qtbot.keyClick(required.line, Qt.Key.Key_Tab)
    assert required.date() == date(2026, 5, 20) and got2 == [] and "必填" in required.error_text()


# The offscreen platform cannot raise a popup or grab the keyboard; it says so, harmlessly.
@pytest.mark.qt_log_ignore("This plugin does not support")
def test_the_calendar_popup_stays(qtbot: Any) -> None:
    edit, _after, got = make(qtbot, date(2026, 5, 20))
    qtbot.keyClick(edit.line, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert edit.calendar is not None
    assert edit.calendar.selectedDate().toString("yyyy-MM-dd") == "2026-05-20"
    from PySide6.QtCore import QDate

    edit.calendar.clicked.emit(QDate(2026, 6, 1))
    assert edit.date() == date(2026, 6, 1) and got == [date(2026, 6, 1)]
