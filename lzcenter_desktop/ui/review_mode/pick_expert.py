"""评审模式, per-session package: the expert picks their own name before anything is shown."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from lzcenter_desktop.domain.review_package import ReviewPackage

EXPERT_ROLE = Qt.ItemDataRole.UserRole


class ExpertPickDialog(QDialog):
    """A list of the package's experts (name, unit, number of declarations); ↑/↓ and Enter."""

    def __init__(self, package: ReviewPackage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("评审模式 — 请选择您的姓名")
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"评审会：{package.session_title}\n"
            "请选择您本人的姓名。评审模式只显示分配给您的申报书和您本人的评分。"
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.list = QListWidget()
        self.list.setObjectName("experts")
        for expert in package.experts:
            count = len(package.assignments_of(expert.expert_id))
            unit = f"（{expert.unit}）" if expert.unit else ""
            item = QListWidgetItem(f"{expert.name}{unit} — 评审 {count} 份")
            item.setData(EXPERT_ROLE, expert.expert_id)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.list.itemActivated.connect(lambda _item: self.accept())
        layout.addWidget(self.list)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("确定（Enter）")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("退出")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.list.setFocus()

    def expert_id(self) -> int | None:
        item = self.list.currentItem()
        return int(item.data(EXPERT_ROLE)) if item is not None else None
