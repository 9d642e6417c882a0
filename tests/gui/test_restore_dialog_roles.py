"""文件 → 恢复备份 with sign-in on (issue 15): the dialog passes the signed-in user to the service —
a clerk is refused (the role named, the file untouched), the 管理员 restores and is the operator."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtWidgets import QApplication, QMessageBox

from lzcenter_desktop.services import organizations, users
from lzcenter_desktop.services.context import open_app
from lzcenter_desktop.storage.backup import backup_sqlite, timestamped_backup_path
from lzcenter_desktop.ui.dialogs import errors
from lzcenter_desktop.ui.dialogs.restore import RestoreDialog
from tests.signin_records import cheap_hashing, with_users

YESTERDAY = datetime.now().replace(microsecond=0) - timedelta(days=1)
# restoring file backups of the SQLite file (its bytes compared, raw sqlite3 reads): the file itself
pytestmark = [pytest.mark.qt_log_ignore("This plugin does not support"), pytest.mark.sqlite_only]


@pytest.fixture(autouse=True)
def _fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(users, "_hasher", cheap_hashing())


@pytest.fixture(autouse=True)
def _close_boxes(qtbot):  # type: ignore[no-untyped-def]
    yield
    for box in errors.open_message_boxes():
        if shiboken6.isValid(box):
            box.done(0)
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QMessageBox):
            widget.done(0)


@pytest.fixture
def signed(tmp_path: Path):  # type: ignore[no-untyped-def]
    path = tmp_path / "lzcenter.sqlite"
    ctx = open_app(str(path), operator="覃科长")
    contexts = with_users(ctx)
    organizations.create_organization(contexts["clerk"], name="柳州昨日机械有限公司", kind="enterprise")
    backup_sqlite(path, timestamped_backup_path(path, reason="daily", when=YESTERDAY))
    organizations.create_organization(contexts["clerk"], name="柳州今日机械有限公司", kind="enterprise")
    ctx.db.dispose()
    return path, contexts


def _restore_as(qtbot, path: Path, login: str, contexts) -> RestoreDialog:  # type: ignore[no-untyped-def]
    signed_in = contexts[login]
    dialog = RestoreDialog(path, operator=signed_in.operator, user=signed_in.user)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.is_loaded, timeout=30000)
    backup = dialog.selected_backup()
    assert backup is not None
    dialog.restore(backup)
    qtbot.waitUntil(lambda: not dialog.restoring, timeout=30000)
    return dialog


def test_a_clerk_is_refused_and_the_administrator_restores(qtbot, signed) -> None:  # type: ignore[no-untyped-def]
    path, contexts = signed
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    dialog = _restore_as(qtbot, path, "clerk", contexts)
    assert dialog.report is None
    assert dialog.status_label.text() == "恢复没有完成，数据库文件保持原样。"
    [box] = [b for b in errors.open_message_boxes() if shiboken6.isValid(b)]
    assert "“经办人”" in box.informativeText() and "需要“管理员”角色" in box.informativeText()
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before

    admin = _restore_as(qtbot, path, "admin", contexts)
    assert admin.report is not None and admin.report.kept_as is not None
    con = sqlite3.connect(path)
    try:
        names = [r[0] for r in con.execute("SELECT name FROM organization ORDER BY id")]
        [(operator,)] = con.execute(
            "SELECT operator FROM audit_entry WHERE action = 'backup.restore'"
        ).fetchall()
    finally:
        con.close()
    assert names == ["柳州昨日机械有限公司"] and operator == "admin"
