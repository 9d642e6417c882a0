"""撤销 / 重做 of the 委员会 page: the shortcuts on the page and the buttons naming the step."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QPushButton, QWidget

from lzcenter_desktop.ui.committees.document import CommitteeDocument


def undo_redo_actions(doc: CommitteeDocument, widget: QWidget) -> tuple[QAction, QAction]:
    """撤销 (Ctrl+Z) and 重做 (Ctrl+Y, Ctrl+Shift+Z) on ``widget`` and its children."""
    undo = doc.undo_stack.createUndoAction(widget, "撤销")
    undo.setShortcut(QKeySequence(QKeySequence.StandardKey.Undo))
    redo = doc.undo_stack.createRedoAction(widget, "重做")
    keys = [QKeySequence("Ctrl+Y")]
    keys += [k for k in QKeySequence.keyBindings(QKeySequence.StandardKey.Redo) if k not in keys]
    redo.setShortcuts(keys)
    for action in (undo, redo):
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        widget.addAction(action)
    return undo, redo


class StepButton(QPushButton):
    """撤销 / 重做 with the name of the step in its tooltip (the button keeps its width)."""

    def __init__(self, label: str, keys: str, parent: QWidget) -> None:
        super().__init__(label, parent)
        self._label, self._keys = label, keys
        self.setEnabled(False)

    @Slot(str)
    def show_step(self, text: str) -> None:
        self.setToolTip(f"{self._label}：{text}（{self._keys}）" if text else "")
