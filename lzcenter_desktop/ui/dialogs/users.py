"""文件 → 用户: the users of the database (login, name, role, state), adding one, a new password
(which also lifts a lock-out) and 停用 (never deleted); switching sign-in off again (a 管理员, a
SQLite file only) or back on. Every call goes through ``ui.ops``; who may do it is checked by the
services (a 管理员 once sign-in is on) and a refusal is shown in Chinese in the dialog.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from lzcenter_desktop.domain.roles import ROLE_LABELS
from lzcenter_desktop.services import users
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.ui import ops
from lzcenter_desktop.ui.dialogs.stale import offer_reload

COLUMNS = ("登录名", "姓名", "角色", "状态")


def user_fields(view: users.UserView) -> dict[str, str]:
    """A user by the labels of the 比较 table of a stale change."""
    return {"登录名": view.login, "姓名": view.display_name, "角色": view.role, "状态": _state(view)}


def _state(view: users.UserView) -> str:
    if not view.active:
        return "已停用"
    if view.locked_until is not None:
        return "已锁定（至 " + view.locked_until.astimezone().strftime("%H:%M") + "）"
    return "正常"


class UsersDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[users.UserView] = []
        self.loaded = False
        self.sign_in_on = False
        self.confirmation: QMessageBox | None = None
        self.setWindowTitle("用户")
        self.setObjectName("usersDialog")
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        layout.addWidget(self.table)
        actions = QHBoxLayout()
        self.password_button = QPushButton("重设密码…")
        self.password_button.clicked.connect(self.reset_password)
        self.deactivate_button = QPushButton("停用")
        self.deactivate_button.clicked.connect(self.deactivate)
        actions.addWidget(self.password_button)
        actions.addWidget(self.deactivate_button)
        actions.addStretch(1)
        self.sign_in_state = QLabel("")
        self.sign_in_state.setObjectName("signInState")
        self.sign_in_button = QPushButton("关闭登录…")
        self.sign_in_button.setObjectName("signInButton")
        self.sign_in_button.setEnabled(False)
        self.sign_in_button.clicked.connect(self.toggle_sign_in)
        actions.addWidget(self.sign_in_state)
        actions.addWidget(self.sign_in_button)
        layout.addLayout(actions)
        form = QFormLayout()
        self.login = QLineEdit()
        self.name = QLineEdit()
        self.role = QComboBox()
        self.role.addItems(list(ROLE_LABELS.values()))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow("登录名", self.login)
        form.addRow("姓名", self.name)
        form.addRow("角色", self.role)
        form.addRow("初始密码", self.password)
        layout.addLayout(form)
        self.add_button = QPushButton("添加用户")
        self.add_button.clicked.connect(self.add_user)
        layout.addWidget(self.add_button)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setObjectName("usersMessage")
        layout.addWidget(self.message)
        self.reload()

    # -- reading ---------------------------------------------------------------------------------
    def reload(self) -> None:
        self.loaded = False
        ctx = self.ctx
        ops.query_op(
            lambda: (users.list_users(ctx), users.sign_in_required(ctx)),
            parent=self,
            on_success=self._show,
            key=f"users:{id(self)}",
        )

    def _show(self, result: tuple[list[users.UserView], bool]) -> None:
        rows, self.sign_in_on = result
        self.sign_in_state.setText("登录：已启用" if self.sign_in_on else "登录：未启用")
        self.sign_in_button.setText("关闭登录…" if self.sign_in_on else "启用登录")
        self.sign_in_button.setEnabled(True)
        self.rows = rows
        self.table.setRowCount(len(rows))
        for r, view in enumerate(rows):
            for c, value in enumerate((view.login, view.display_name, view.role, _state(view))):
                self.table.setItem(r, c, QTableWidgetItem(value))
        self.loaded = True

    def selected_login(self) -> str | None:
        view = self.selected_user()
        return view.login if view is not None else None

    def selected_user(self) -> users.UserView | None:
        """The selected user as listed (its version is what a change is saved from)."""
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    # -- writing ---------------------------------------------------------------------------------
    def _write(self, fn: Callable[[], object], done: str, *, shown: users.UserView | None = None) -> None:
        self.message.setText("正在保存…")

        def ok(_result: object) -> None:
            self.message.setText(done)
            self.reload()

        def failed(exc: BaseException) -> None:
            self.message.setText(str(exc) if isinstance(exc, ServiceError) else f"没有完成：{exc}")
            if shown is not None:  # changed by someone else since listed: 比较 / 重新载入 / 取消
                ctx, login = self.ctx, shown.login
                offer_reload(
                    self,
                    exc,
                    mine=user_fields(shown),
                    fetch_theirs=lambda: user_fields(
                        next(u for u in users.list_users(ctx) if u.login == login)
                    ),
                    on_reload=self.reload,
                )

        ops.write_op(fn, parent=self, kinds=(), on_success=ok, on_failure=failed)

    def add_user(self) -> None:
        login, name, role, password = (
            self.login.text(),
            self.name.text(),
            self.role.currentText(),
            self.password.text(),
        )
        self.password.clear()
        self._write(
            lambda: users.create_user(self.ctx, login=login, display_name=name, role=role, password=password),
            f"已添加用户“{login.strip()}”（{role}）"
            + (
                "。本数据库已启用登录：请关闭程序，重新打开后用账号登录"
                if self.ctx.user is None and role == "管理员"
                else ""
            ),
        )

    def reset_password(self) -> None:
        view = self.selected_user()
        if view is None:
            self.message.setText("请先在表中选择一位用户")
            return
        login, version = view.login, view.version
        password, ok = QInputDialog.getText(
            self, "重设密码", f"“{login}”的新密码", QLineEdit.EchoMode.Password
        )
        if ok:
            self._write(
                lambda: users.set_password(
                    self.ctx, login=login, password=password, expected_version=version
                ),
                f"已为“{login}”设置新密码",
                shown=view,
            )

    def deactivate(self) -> None:
        view = self.selected_user()
        if view is None:
            self.message.setText("请先在表中选择一位用户")
            return
        login, version = view.login, view.version
        self._write(
            lambda: users.deactivate(self.ctx, login=login, expected_version=version),
            f"已停用用户“{login}”",
            shown=view,
        )

    def toggle_sign_in(self) -> None:
        """关闭登录 (after a confirmation) / 启用登录; the service decides who may."""
        if not self.sign_in_on:
            self._write(
                lambda: users.set_sign_in(self.ctx, on=True),
                "已启用登录：下次打开程序时须用账号和密码登录",
            )
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "关闭登录",
            "关闭登录后，打开程序不再要求账号和密码，任何能打开程序的人都能修改数据，"
            "审计记录中的操作人为电脑的用户名。确定关闭登录吗？",
            parent=self,
        )
        box.setObjectName("confirmSignInOff")
        yes = box.addButton("关闭登录", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
        self.confirmation = box

        def answered(_result: int) -> None:
            self.confirmation = None
            if box.clickedButton() is yes:
                self._write(
                    lambda: users.set_sign_in(self.ctx, on=False),
                    "已关闭登录：下次打开程序时不再要求登录",
                )

        box.finished.connect(answered)
        box.open()
