"""验证证书: type (or scan into the field) a certificate's code and see whether it is genuine.

The answer is one of: 真实 (green); 已失效 — a genuine certificate of a centre that has since been
revoked, has forfeited its title or was withdrawn, with the date and 文号 (orange-red); 未登记 or
无法核验 (amber); 不真实 (red).

The check reads the register, so it runs on a worker thread (:func:`ui.ops.query_op`); while it
runs the dialog says 正在核验… and the 核验 button waits.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lzcenter_desktop.services import documents
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.documents import VerifyResult
from lzcenter_desktop.ui import ops
from lzcenter_desktop.ui.dialogs.errors import report_exception
from lzcenter_desktop.ui.tasks import Task

GENUINE_STYLE = "color: #1b5e20; background: #e8f5e9; border: 1px solid #a5d6a7; padding: 8px;"
FORGED_STYLE = "color: #b71c1c; background: #ffebee; border: 1px solid #ef9a9a; padding: 8px;"
NEUTRAL_STYLE = "color: #5d4037; background: #fff8e1; border: 1px solid #ffe082; padding: 8px;"
REVOKED_STYLE = "color: #bf360c; background: #fbe9e7; border: 1px solid #ffab91; padding: 8px;"


class VerifyDialog(QDialog):
    """Checks a code with the bureau's key against the register (or a name typed from the certificate)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, code: str = "") -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.last_result: VerifyResult | None = None
        self.checking = False  # a check has not answered yet
        self.setWindowTitle("验证证书")
        self.setMinimumWidth(560)

        intro = QLabel(
            "输入或扫描认定证书二维码下方的验证码，系统用市科技局的密钥核对证书编号、中心名称和认定日期。"
        )
        intro.setWordWrap(True)
        self.code_edit = QLineEdit(code)
        self.code_edit.setPlaceholderText("LZ2-日期-序号-校验码，如 LZ2-20191130-2019001-XXXX-XXXX-XXXX-XXXX")
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("可不填：不填时按证书编号取本系统登记的中心名称")
        form = QFormLayout()
        form.addRow("验证码：", self.code_edit)
        form.addRow("证书上的中心名称：", self.name_edit)

        self.verify_button = QPushButton("核验")
        self.verify_button.setDefault(True)
        self.verify_button.clicked.connect(self.verify)
        self.result_label = QLabel("")
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result_label.setMinimumHeight(64)
        self.result_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.verify_button, 0, Qt.AlignmentFlag.AlignRight)
        layout.addWidget(self.result_label)
        layout.addWidget(buttons)

    @Slot()
    def verify(self) -> Task[VerifyResult]:
        """Check the code on a worker thread; the answer is shown (and kept in ``last_result``) when
        it arrives. The task is returned for tests."""
        ctx, code = self.ctx, self.code_edit.text()
        name = self.name_edit.text().strip() or None
        self.checking = True
        self.verify_button.setEnabled(False)
        self.result_label.setText("正在核验…")
        self.result_label.setStyleSheet(NEUTRAL_STYLE)
        return ops.query_op(
            lambda: documents.verify_certificate(ctx, code, name=name),
            parent=self,
            key=f"verify-certificate:{id(self)}",
            on_success=self._show,
            on_failure=self._failed,
        )

    def _failed(self, exc: BaseException) -> None:
        self.checking = False
        self.verify_button.setEnabled(True)
        self.result_label.setText("未能核验：读取数据库时出错，见提示。")
        self.result_label.setStyleSheet(NEUTRAL_STYLE)
        report_exception(exc, self)

    def _show(self, result: VerifyResult) -> None:
        self.checking = False
        self.verify_button.setEnabled(True)
        self.last_result = result
        if result.genuine:
            self.result_label.setText(f"真实：{result.message}")
            self.result_label.setStyleSheet(GENUINE_STYLE)
        elif result.status == "revoked":  # genuine paper, but the centre no longer holds the title
            self.result_label.setText(f"已失效：{result.message}")
            self.result_label.setStyleSheet(REVOKED_STYLE)
        elif result.status in ("malformed", "unverifiable", "unregistered") or result.message.startswith(
            "无法核验"
        ):  # not a code, not enough to check, or made free-form (not from a recognition record)
            self.result_label.setText(result.message)
            self.result_label.setStyleSheet(NEUTRAL_STYLE)
        else:
            self.result_label.setText(f"不真实：{result.message}")
            self.result_label.setStyleSheet(FORGED_STYLE)
