"""登录: asked at start when the database asks for sign-in (``ctx.sign_in_required``).

The password is checked by ``services.users.sign_in`` on the write thread (it records failed
attempts; five in a row lock the account for 15 minutes); a refusal is shown in the dialog in
Chinese and the clerk may try again. :attr:`SignInDialog.signed_in` holds the context of the
signed-in user once accepted. :func:`show_user` puts the user in the main window's status bar.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QVBoxLayout,
    QWidget,
)

from lzcenter_desktop.services import users
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.ui import ops

TITLE = "登录"


class SignInDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.signed_in: AppContext | None = None
        self.setWindowTitle(TITLE)
        self.setObjectName("signInDialog")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("本数据库已启用登录，请用本人的账号登录。"))
        form = QFormLayout()
        self.login = QLineEdit()
        self.login.setObjectName("signInLogin")
        self.password = QLineEdit()
        self.password.setObjectName("signInPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow("登录名", self.login)
        form.addRow("密码", self.password)
        layout.addLayout(form)
        self.message = QLabel("")
        self.message.setObjectName("signInMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #a40000;")
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox()
        self.ok = self.buttons.addButton("登录", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton("退出", QDialogButtonBox.ButtonRole.RejectRole)
        self.ok.setObjectName("signInButton")
        self.buttons.accepted.connect(self.try_sign_in)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def try_sign_in(self) -> None:
        login, password = self.login.text().strip(), self.password.text()
        if not login:
            self.message.setText("请填写登录名")
            return
        self.ok.setEnabled(False)
        self.message.setText("正在核对…")
        ops.write_op(
            lambda: users.sign_in(self.ctx, login, password),
            parent=self,
            kinds=(),
            on_success=self._done,
            on_failure=self._failed,
        )

    def _done(self, ctx: AppContext) -> None:
        self.signed_in = ctx
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.ok.setEnabled(True)
        self.password.clear()
        if isinstance(exc, ServiceError):
            self.message.setText(str(exc))
        else:
            self.message.setText(f"登录没有完成：{exc}")


def ask_sign_in(ctx: AppContext, parent: QWidget | None = None) -> AppContext | None:
    """The context of the user who signed in; ``None`` when the clerk chose 退出."""
    dialog = SignInDialog(ctx, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.signed_in


def user_text(ctx: AppContext) -> str:
    if ctx.user is None:
        return ""
    return f"用户：{ctx.user.display_name}（{ctx.user.role.label}）"


def show_user(window: QMainWindow, ctx: AppContext) -> None:
    """The signed-in user, permanently at the right of the status bar."""
    if ctx.user is None:
        return
    label = QLabel(user_text(ctx))
    label.setObjectName("signedInUser")
    window.statusBar().addPermanentWidget(label)
