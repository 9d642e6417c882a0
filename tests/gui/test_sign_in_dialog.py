"""登录 at start (issue 15): the dialog checks the password on the write thread (no SQL on the UI
thread), shows a refusal in Chinese and lets the clerk try again; the signed-in user is shown in
the main window's status bar; a database without sign-in opens as before (no dialog)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from lzcenter_desktop.services import users
from lzcenter_desktop.services.context import AppContext, open_app
from lzcenter_desktop.ui.dialogs.sign_in import SignInDialog, show_user
from lzcenter_desktop.ui.main_window import MainWindow
from tests.gui.ui_thread_db import ui_thread_statements
from tests.signin_records import PASSWORD, cheap_hashing, with_users


@pytest.fixture(autouse=True)
def _fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(users, "_hasher", cheap_hashing())


@pytest.fixture
def signed_db(tmp_path: Path):  # type: ignore[no-untyped-def]
    ctx = open_app(str(tmp_path / "s.sqlite"))
    with_users(ctx)
    ctx.db.dispose()
    reopened = open_app(str(tmp_path / "s.sqlite"))
    yield reopened
    reopened.db.dispose()


def test_sign_in_is_asked_only_when_the_database_asks_for_it(tmp_path: Path, signed_db: AppContext) -> None:
    assert signed_db.sign_in_required and signed_db.user is None
    plain = open_app(str(tmp_path / "plain.sqlite"))
    try:
        assert not plain.sign_in_required
    finally:
        plain.db.dispose()


def _sign_in(qtbot, dialog: SignInDialog, login: str, password: str) -> None:  # type: ignore[no-untyped-def]
    dialog.login.setText(login)
    dialog.password.setText(password)
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.ok.isEnabled() or dialog.signed_in is not None, timeout=10000)


def test_a_wrong_password_is_refused_in_the_dialog_then_the_right_one_signs_in(
    qtbot, signed_db: AppContext
) -> None:  # type: ignore[no-untyped-def]
    dialog = SignInDialog(signed_db)
    qtbot.addWidget(dialog)
    dialog.show()
    with ui_thread_statements(signed_db.db.engine) as statements:
        _sign_in(qtbot, dialog, "clerk", "wrong-password")
        assert dialog.signed_in is None
        assert "登录名或密码不正确" in dialog.message.text() and "再错 4 次" in dialog.message.text()
        assert dialog.password.text() == ""
        _sign_in(qtbot, dialog, "clerk", PASSWORD)
    assert statements == []
    assert dialog.signed_in is not None and dialog.signed_in.operator == "clerk"
    assert dialog.result() == dialog.DialogCode.Accepted


def test_an_empty_login_is_asked_for(qtbot, signed_db: AppContext) -> None:  # type: ignore[no-untyped-def]
    dialog = SignInDialog(signed_db)
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == "请填写登录名" and dialog.signed_in is None


def test_the_status_bar_shows_the_signed_in_user(qtbot, signed_db: AppContext) -> None:  # type: ignore[no-untyped-def]
    signed = users.sign_in(signed_db, "approver", PASSWORD)
    window = MainWindow(signed)
    qtbot.addWidget(window)
    show_user(window, signed)
    label = window.statusBar().findChild(QLabel, "signedInUser")
    assert label is not None and label.text() == "用户：用户approver（审核人）"
