"""The confirmation of 作废 (a draft) and 撤回 (a submitted declaration): say what cannot be undone,
take the required reason, and only then act.

Nothing is pre-selected to act: Enter does not confirm (there is no default button); the clerk
presses 确认作废 / 确认撤回 (a click, Space on it, or Alt+D); Esc or 取消 leaves everything as it was. An
empty reason is refused in the dialog, in Chinese, naming the field. The services check the same
rules again (the state, the reason) — the dialog only spares the clerk a refused request.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lzcenter_desktop.services.declarations import REASON_MAX
from lzcenter_desktop.ui.style import ERROR_STYLE


@dataclass(frozen=True, slots=True)
class Closing:
    """What the dialog asks for: 作废 or 撤回."""

    verb: str  # 作废 / 撤回
    title: str
    explanation: str


def discard_text(declaration_id: int, name: str) -> Closing:
    return Closing(
        verb="作废",
        title=f"作废第 {declaration_id} 号申报书草稿",
        explanation=(
            f"作废草稿“{name}”：作废后不能再修改、提交，也不能恢复；草稿不会被删除，"
            "仍保存在数据库和审计日志中，勾选“显示已作废”可以看到它。"
        ),
    )


def withdraw_text(declaration_id: int, name: str) -> Closing:
    return Closing(
        verb="撤回",
        title=f"撤回第 {declaration_id} 号申报书",
        explanation=(
            f"撤回已提交的申报书“{name}”：撤回后不能恢复，不再参加本年度认定；尚未进入评审的中心"
            "一并改为“已撤回”，如需再次申报请新建申报书。申报书不会被删除，原因记入审计日志。"
        ),
    )


class ReasonDialog(QDialog):
    """Asks for the reason of an irreversible 作废 / 撤回; :meth:`reason` after ``Accepted``."""

    def __init__(self, closing: Closing, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.closing = closing
        self.setWindowTitle(closing.title)
        self.setModal(True)
        layout = QVBoxLayout(self)
        self.explanation = QLabel(closing.explanation, self)
        self.explanation.setWordWrap(True)
        layout.addWidget(self.explanation)
        caption = QLabel(f"{closing.verb}原因（必填）(&R)：", self)
        self.reason_edit = QLineEdit(self)
        self.reason_edit.setObjectName("closing:reason")
        self.reason_edit.setMaxLength(REASON_MAX)
        self.reason_edit.setPlaceholderText(f"例如：依托单位来函申请{closing.verb}")
        caption.setBuddy(self.reason_edit)
        layout.addWidget(caption)
        layout.addWidget(self.reason_edit)
        self.problem = QLabel(self)
        self.problem.setObjectName("closing:problem")
        self.problem.setStyleSheet(ERROR_STYLE)
        self.problem.setWordWrap(True)
        self.problem.hide()
        layout.addWidget(self.problem)
        self.confirm_button = QPushButton(f"确认{closing.verb}(&D)", self)
        self.cancel_button = QPushButton("取消", self)
        for button in (self.confirm_button, self.cancel_button):
            button.setAutoDefault(False)  # Enter in the reason field must not act by accident
            button.setDefault(False)
        # Plain buttons, not a QDialogButtonBox: that would make 确认 the default button when shown.
        self.confirm_button.clicked.connect(self.accept)
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.confirm_button)
        buttons.addWidget(self.cancel_button)
        layout.addLayout(buttons)
        self.reason_edit.textChanged.connect(lambda _t: self.problem.hide())
        self.resize(520, self.sizeHint().height())
        self.reason_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def reason(self) -> str:
        return self.reason_edit.text().strip()

    def accept(self) -> None:
        if not self.reason():
            self.problem.setText(f"请填写{self.closing.verb}原因：这一操作不能撤销，原因会记入审计日志。")
            self.problem.show()
            self.reason_edit.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        super().accept()


def ask_reason(closing: Closing, parent: QWidget | None) -> str | None:
    """Show the dialog; the reason when the clerk confirmed, else None."""
    dialog = ReasonDialog(closing, parent)
    try:
        return dialog.reason() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()
