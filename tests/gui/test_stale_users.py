"""A stale change in 文件 → 用户 (optimistic locking): the user was changed by someone else after the
list was read; 停用 then opens 该记录已被他人修改 — nothing is written, 比较 shows the user as
listed beside the stored one, 重新载入 reads the list again and 停用 from there is accepted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtWidgets import QMessageBox

from lzcenter_desktop.services import users
from lzcenter_desktop.services.context import AppContext, open_app
from lzcenter_desktop.services.versioning import STALE_PREFIX
from lzcenter_desktop.ui.dialogs.stale import StaleDialog
from lzcenter_desktop.ui.dialogs.users import UsersDialog
from tests.signin_records import cheap_hashing, with_users

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture(autouse=True)
def _fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(users, "_hasher", cheap_hashing())


@pytest.fixture
def ctx(tmp_path: Path) -> Any:
    context = open_app(str(tmp_path / "d.sqlite"), operator="覃科长")
    yield context
    context.db.dispose()


def _row(dialog: UsersDialog, login: str) -> users.UserView:
    return next(r for r in dialog.rows if r.login == login)


def test_a_stale_deactivation_is_refused_and_done_after_reloading(qtbot: Any, ctx: AppContext) -> None:
    signed = with_users(ctx)
    login = next(k for k in signed if k != "admin")
    dialog = UsersDialog(signed["admin"])
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.loaded, timeout=10000)
    listed = _row(dialog, login)
    users.set_role(signed["admin"], login=login, role="只读")  # another 管理员 meanwhile

    dialog.table.setCurrentCell(dialog.rows.index(listed), 0)
    dialog.deactivate_button.click()
    qtbot.waitUntil(lambda: isinstance(getattr(dialog, "stale_dialog", None), StaleDialog), timeout=10000)
    stale = dialog.stale_dialog
    qtbot.waitUntil(stale.isVisible)
    assert stale.message.text().startswith(STALE_PREFIX) and "用户信息" in stale.message.text()
    assert dialog.message.text().startswith(STALE_PREFIX)
    assert next(u for u in users.list_users(ctx) if u.login == login).active  # nothing written

    stale.compare_button.click()
    qtbot.waitUntil(stale.table.isVisible)
    assert stale.differing_rows() == ["角色"]

    stale.reload_button.click()
    box = stale.question
    assert isinstance(box, QMessageBox)
    box.yes.click()
    qtbot.waitUntil(lambda: not shiboken6.isValid(stale) or not stale.isVisible())
    qtbot.waitUntil(
        lambda: dialog.loaded and _row(dialog, login).version == listed.version + 1, timeout=10000
    )

    dialog.table.setCurrentCell(dialog.rows.index(_row(dialog, login)), 0)
    dialog.deactivate_button.click()
    qtbot.waitUntil(lambda: f"已停用用户“{login}”" in dialog.message.text(), timeout=10000)
    assert not next(u for u in users.list_users(ctx) if u.login == login).active
