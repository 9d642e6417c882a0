"""The one question before unsaved changes are left behind — closing the window, switching sections,
switching centres: 保存 / 不保存 / 取消, naming what is unsaved (Esc and 取消 are the same)."""

from __future__ import annotations

from enum import Enum

from PySide6.QtWidgets import QMessageBox, QWidget

SAVE_TEXT = "保存(&S)"
DISCARD_TEXT = "不保存(&N)"
CANCEL_TEXT = "取消"  # Esc, as in every box of the program


class Answer(Enum):
    """The clerk's answer to the unsaved-changes question."""

    SAVE = "save"
    DISCARD = "discard"
    CANCEL = "cancel"


def unsaved_question(parent: QWidget, what: list[str], question: str) -> QMessageBox:
    """The 保存 / 不保存 / 取消 box naming what is unsaved (not shown yet)."""
    box = QMessageBox(parent)
    box.setObjectName("unsavedQuestion")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("有未保存的修改")
    box.setText("以下内容有未保存的修改：\n\n" + "\n".join(f"· {w}" for w in what))
    box.setInformativeText(question)
    save = box.addButton(SAVE_TEXT, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(DISCARD_TEXT, QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(CANCEL_TEXT, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(save)
    box.setEscapeButton(cancel)
    return box


def answer_of(box: QMessageBox) -> Answer:
    """What the clerk clicked in a finished :func:`unsaved_question` box."""
    clicked = box.clickedButton()
    text = clicked.text() if clicked is not None else CANCEL_TEXT
    return {SAVE_TEXT: Answer.SAVE, DISCARD_TEXT: Answer.DISCARD}.get(text, Answer.CANCEL)
