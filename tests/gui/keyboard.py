"""Driving the GUI with the keyboard alone, as a clerk does: keys go to the widget that has the focus
(never to a widget picked by the test), the Tab order is walked, and a modal dialog (which runs its
own event loop) is answered with keys from a timer.

Chinese is typed into the focused widget through the input method
(:func:`tests.helpers.type_text`): ``keyClicks`` cannot type it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from tests.helpers import type_text

NO_MOD = Qt.KeyboardModifier.NoModifier
CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def focused() -> QWidget:
    """The widget with the keyboard focus (the test fails when there is none)."""
    widget = QApplication.focusWidget()
    assert widget is not None, "no widget has the keyboard focus"
    return widget


def describe(widget: QWidget | None) -> str:
    """A widget as a failure message names it: its class, its name or text, its accessible name."""
    if widget is None:
        return "（无）"
    text = widget.property("text")
    parts = [type(widget).__name__, widget.objectName(), text if isinstance(text, str) else ""]
    parts.append(widget.accessibleName())
    return ":".join(p for p in parts if p)


def press(qtbot: Any, key: Qt.Key, modifier: Qt.KeyboardModifier = NO_MOD) -> None:
    """One key on the focused widget (a popup menu, when one is open, has the keyboard)."""
    target = QApplication.activePopupWidget() or QApplication.focusWidget() or QApplication.activeWindow()
    assert target is not None, "no window to type into"
    qtbot.keyClick(target, key, modifier)


def type_keys(qtbot: Any, text: str) -> None:
    """ASCII typed key by key into the focused widget."""
    assert text.isascii(), "Chinese is typed with type_chinese"
    qtbot.keyClicks(focused(), text)


def type_chinese(text: str) -> None:
    """Text typed through the input method into the focused widget."""
    type_text(focused(), text)


def tab_to(qtbot: Any, target: QWidget, limit: int = 40, *, back: bool = False) -> int:
    """Press Tab (Shift+Tab with ``back``) until ``target`` has the focus; the number of presses.
    Fails naming the widgets passed when ``target`` is not reached within ``limit`` presses."""
    passed: list[str] = []
    for presses in range(limit + 1):
        if target.hasFocus():
            return presses
        passed.append(describe(QApplication.focusWidget()))
        press(qtbot, Qt.Key.Key_Backtab if back else Qt.Key.Key_Tab, SHIFT if back else NO_MOD)
    raise AssertionError(f"Tab never reached {describe(target)}; it went {' → '.join(passed)}")


def tab_walk(qtbot: Any, start: QWidget, presses: int, *, back: bool = False) -> list[QWidget]:
    """The widgets that have the focus as Tab (Shift+Tab) is pressed ``presses`` times from ``start``."""
    start.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(start.hasFocus)
    seen = [start]
    for _ in range(presses):
        press(qtbot, Qt.Key.Key_Backtab if back else Qt.Key.Key_Tab, SHIFT if back else NO_MOD)
        seen.append(focused())
    return seen


def first_visits(seen: list[QWidget], wanted: list[QWidget]) -> list[QWidget]:
    """``seen`` restricted to the ``wanted`` widgets, each at its first visit."""
    out: list[QWidget] = []
    for widget in seen:
        if widget in wanted and widget not in out:
            out.append(widget)
    return out


def names(widgets: list[QWidget]) -> list[str]:
    return [describe(w) for w in widgets]


def answer_modal(qtbot: Any, *keys: tuple[Qt.Key, Qt.KeyboardModifier] | str) -> list[str]:
    """Answer the next modal dialog with ``keys`` (a key with its modifier, or ASCII text typed),
    once the keyboard focus is inside it; the dialog's title is recorded in the returned list."""
    seen: list[str] = []

    def act() -> None:
        dialog = QApplication.activeModalWidget()
        focus = QApplication.focusWidget()
        if dialog is None or focus is None or not dialog.isAncestorOf(focus):
            QTimer.singleShot(10, act)
            return
        seen.append(dialog.windowTitle())
        for key in keys:
            if isinstance(key, str):
                type_keys(qtbot, key)
            else:
                press(qtbot, *key)

    QTimer.singleShot(0, act)
    return seen
