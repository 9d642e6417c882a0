"""Helpers for GUI tests.

``qtbot.keyClicks`` aborts the process on any non-ASCII character, so Chinese is
typed the way an input method delivers it: a ``QInputMethodEvent`` carrying the
committed text (see ../shared/docs/field-notes.md).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QWidget


def type_text(widget: QWidget, text: str) -> None:
    """Type ``text`` (Chinese or not) into ``widget`` at its cursor, as an input method would."""
    widget.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QCoreApplication.sendEvent(widget, event)
    QCoreApplication.processEvents()
