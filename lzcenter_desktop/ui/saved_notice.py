"""After a document or an export is saved: a small, non-modal notice offering 打开文件 and
打开所在文件夹 (issue 16, item 5) — never a message box the clerk has to dismiss every time.

:func:`announce_saved` puts the notice in the main window's status bar (one notice per window; the
next save replaces the file it names). In a window without a status bar (the 审计日志 dialog, a page
shown on its own) the notice is added at the bottom of that window's layout instead.

Keyboard: the two buttons are in the tab order; while the notice is shown, Ctrl+Shift+O opens the
file and Ctrl+Shift+E its folder (no Alt mnemonic — the pages use every letter already, and a second
Alt+O would make the page's own button ambiguous). Opening goes through
:func:`lzcenter_desktop.ui.open_file.open_with_default_program` (tests replace :data:`opener`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QToolButton,
    QWidget,
)

from lzcenter_desktop.ui.open_file import open_with_default_program

__all__ = ["OPEN_FILE_KEYS", "OPEN_FOLDER_KEYS", "SavedFileNotice", "announce_saved", "opener"]

#: what opens a file or folder (tests replace it to see the path without starting a program)
opener: Callable[[Path], bool] = open_with_default_program

OPEN_FILE_KEYS = "Ctrl+Shift+O"
OPEN_FOLDER_KEYS = "Ctrl+Shift+E"
NOTICE_NAME = "savedFileNotice"
#: the file name is shortened (…in the middle) beyond about this many characters; the tip has it all
NAME_CHARS = 20


class SavedFileNotice(QFrame):
    """已保存：<file name> [打开文件] [打开所在文件夹] [×] — for the last file saved."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName(NOTICE_NAME)
        self.path: Path | None = None
        row = QHBoxLayout(self)
        row.setContentsMargins(4, 0, 4, 0)
        row.setSpacing(4)
        self.label = QLabel(self)
        self.label.setObjectName("savedFileName")
        self.open_file_button = QPushButton("打开文件", self)
        self.open_file_button.setObjectName("openSavedFile")
        self.open_file_button.setToolTip(f"用电脑默认的程序打开刚保存的文件（{OPEN_FILE_KEYS}）")
        self.open_folder_button = QPushButton("打开所在文件夹", self)
        self.open_folder_button.setObjectName("openSavedFolder")
        self.open_folder_button.setToolTip(f"打开刚保存的文件所在的文件夹（{OPEN_FOLDER_KEYS}）")
        self.close_button = QToolButton(self)
        self.close_button.setObjectName("closeSavedNotice")
        self.close_button.setText("×")
        self.close_button.setToolTip("关闭这条提示")
        self.close_button.setAccessibleName("关闭保存提示")
        self.close_button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        for b in (self.open_file_button, self.open_folder_button):
            b.setAutoDefault(False)
            b.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.open_file_button.clicked.connect(self.open_file)
        self.open_folder_button.clicked.connect(self.open_folder)
        self.close_button.clicked.connect(self.hide)
        row.addWidget(self.label)
        row.addWidget(self.open_file_button)
        row.addWidget(self.open_folder_button)
        row.addWidget(self.close_button)
        for keys, action in ((OPEN_FILE_KEYS, self.open_file), (OPEN_FOLDER_KEYS, self.open_folder)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)  # only while the notice is visible
            shortcut.activated.connect(action)
        self.hide()

    def show_path(self, path: Path) -> None:
        """Name ``path`` (the file just saved) and show the notice."""
        self.path = path
        room = self.fontMetrics().horizontalAdvance("中") * NAME_CHARS  # the page's status keeps its room
        name = self.fontMetrics().elidedText(path.name, Qt.TextElideMode.ElideMiddle, room)
        self.label.setText(f"已保存：{name}")
        self.label.setToolTip(str(path))
        self.setAccessibleName(f"已保存 {path}")
        self.show()

    def open_file(self) -> bool:
        """打开文件: the saved file in its default program; says so when it is gone."""
        return self._open(self.path, "文件")

    def open_folder(self) -> bool:
        """打开所在文件夹: the folder holding the saved file."""
        return self._open(None if self.path is None else self.path.parent, "文件夹")

    def _open(self, target: Path | None, what: str) -> bool:
        if target is None:
            return False
        if opener(target):
            return True
        self.label.setText(f"无法打开{what}“{target}”：请确认它仍在原处，并且电脑上装有能打开它的程序。")
        return False


def announce_saved(anchor: QWidget, path: Path) -> SavedFileNotice:
    """Offer to open ``path`` (just saved from ``anchor``) in ``anchor``'s window."""
    window = anchor.window()
    holder: QWidget = window.statusBar() if isinstance(window, QMainWindow) else window
    direct = Qt.FindChildOption.FindDirectChildrenOnly  # not a notice of a dialog the window owns
    notice = holder.findChild(SavedFileNotice, NOTICE_NAME, direct)
    if notice is None:
        notice = SavedFileNotice(holder)
        if isinstance(window, QMainWindow):
            window.statusBar().addPermanentWidget(notice)
        else:
            layout = window.layout()
            if isinstance(layout, QBoxLayout):
                layout.addWidget(notice)
    notice.show_path(Path(path))
    return notice
