"""A one-line label that shortens its text with “…” when it has less room than the text needs.

The main window's status text (``中心：共 40 个中心，显示 40 个``, a 绩效评估 round's counts…) shares
the status bar with the saved-file notice (:mod:`lzcenter_desktop.ui.saved_notice`); a plain
``QLabel`` was cut off mid-character there, under the notice. This label keeps the whole text
(``text()``, the tooltip and the accessible name have it all) and only paints it shortened.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QWidget


class ElidedLabel(QLabel):
    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self._sync_tip()

    def setText(self, text: str) -> None:
        super().setText(text)
        self._sync_tip()

    def _sync_tip(self) -> None:
        self.setToolTip(self.text())
        self.setAccessibleName(self.text())

    def minimumSizeHint(self) -> QSize:
        """Any width down to a few characters: the status bar gives the rest to its neighbours."""
        hint = super().minimumSizeHint()
        return QSize(self.fontMetrics().horizontalAdvance("中…") * 3, hint.height())

    def shown_text(self) -> str:
        """What is painted: the text, shortened at the end with “…” to the label's width."""
        width = self.contentsRect().width()
        return self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, width)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        self.style().drawItemText(
            painter,
            self.contentsRect(),
            int(self.alignment()),
            self.palette(),
            self.isEnabled(),
            self.shown_text(),
            self.foregroundRole(),
        )
