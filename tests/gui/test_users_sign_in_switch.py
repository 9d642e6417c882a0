"""文件 → 用户 → 关闭登录 (issue 15): a 管理员 switches sign-in off after a confirmation (and back
on); a clerk's attempt is refused by the service with the role named in the dialog."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from lzcenter_desktop.services import users
from lzcenter_desktop.services.context import AppContext, open_app
from lzcenter_desktop.ui.dialogs.users import UsersDialog
from tests.gui.ui_thread_db import ui_thread_statements
from tests.signin_records import cheap_hashing, with_users

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture(autouse=True)
def _fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(users, "_hasher", cheap_hashing())


@pytest.fixture
def ctx(tmp_path: Path):  # type: ignore[no-untyped-def]
    context = open_app(str(tmp_path / "u.sqlite"), operator="覃科长")
    yield context
    context.db.dispose()


def _confirm(qtbot, dialog: UsersDialog, button_text: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: dialog.confirmation is not None, timeout=5000)
    box = dialog.confirmation
    assert box is not None and "任何能打开程序的人都能修改数据" in box.text()
    [button] = [b for b in box.findChildren(QPushButton) if b.text() == button_text]
    button.click()


def test_the_administrator_switches_sign_in_off_and_on(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    admin = with_users(ctx)["admin"]
    dialog = UsersDialog(admin)
    qtbot.addWidget(dialog)
    with ui_thread_statements(ctx.db.engine) as statements:
        qtbot.waitUntil(lambda: dialog.loaded, timeout=10000)
        assert dialog.sign_in_state.text() == "登录：已启用" and dialog.sign_in_button.text() == "关闭登录…"
        qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
        _confirm(qtbot, dialog, "取消")
        assert users.sign_in_required(ctx)  # cancelled: nothing changed
        qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
        _confirm(qtbot, dialog, "关闭登录")
        qtbot.waitUntil(lambda: "已关闭登录" in dialog.message.text(), timeout=10000)
        qtbot.waitUntil(
            lambda: dialog.loaded and dialog.sign_in_state.text() == "登录：未启用", timeout=10000
        )
        assert dialog.sign_in_button.text() == "启用登录"
        qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "已启用登录" in dialog.message.text(), timeout=10000)
        qtbot.waitUntil(
            lambda: dialog.loaded and dialog.sign_in_state.text() == "登录：已启用", timeout=10000
        )
    assert statements == []
    assert users.sign_in_required(ctx)


def test_a_clerk_is_refused_by_the_service(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    clerk = with_users(ctx)["clerk"]
    dialog = UsersDialog(clerk)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.loaded, timeout=10000)
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    _confirm(qtbot, dialog, "关闭登录")
    qtbot.waitUntil(lambda: "需要“管理员”角色" in dialog.message.text(), timeout=10000)
    assert "经办人" in dialog.message.text()
    assert users.sign_in_required(ctx)
