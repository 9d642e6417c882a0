"""A section not built yet: it says so plainly. No fake data, no buttons that do nothing."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from lzcenter_desktop.ui.pages.base import Page

NOT_YET = "本版本尚未提供此功能，将在后续版本中提供。"


class PlaceholderPage(Page):
    def __init__(self, title: str, purpose: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 32, 32, 32)
        heading = QLabel(title)
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        heading.setFont(font)
        self.purpose_label = QLabel(purpose)
        self.purpose_label.setWordWrap(True)
        self.notice_label = QLabel(NOT_YET)
        self.notice_label.setObjectName("notAvailable")
        self.notice_label.setWordWrap(True)
        layout.addWidget(heading)
        layout.addSpacing(12)
        layout.addWidget(self.purpose_label)
        layout.addSpacing(12)
        layout.addWidget(self.notice_label)
        layout.addStretch(1)
        for label in (heading, self.purpose_label, self.notice_label):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    def text(self) -> str:
        return f"{self.title}\n{self.purpose_label.text()}\n{self.notice_label.text()}"
