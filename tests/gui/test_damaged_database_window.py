"""A damaged database in the GUI: read-only window, the explanation, restoring a backup."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QMessageBox, QPushButton, QToolBar

from lzcenter_desktop.services import backup, organizations
from lzcenter_desktop.services.context import open_app
from lzcenter_desktop.storage.errors import DatabaseCorrupt
from lzcenter_desktop.ui import app as app_module
from lzcenter_desktop.ui.dialogs import errors
from lzcenter_desktop.ui.dialogs.damaged import DamagedDatabaseDialog
from lzcenter_desktop.ui.main_window import MainWindow
from tests.damage import damage_audit_entry

# Every test here damages the SQLite file's bytes and restores file backups of it.
pytestmark = pytest.mark.sqlite_only


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _make(path: Path, *, with_backup: bool = True) -> Path:
    ctx = open_app(str(path))
    try:
        for i in range(60):
            organizations.create_organization(ctx, name=f"柳州第{i}号测试机械有限公司", kind="enterprise")
        if with_backup:
            backup.backup_now(ctx)
    finally:
        ctx.db.dispose()
    return path


@pytest.fixture
def damaged(tmp_path: Path) -> Path:
    path = _make(tmp_path / "lzcenter.sqlite")
    damage_audit_entry(path)
    return path


@pytest.fixture(autouse=True)
def _close_everything(qtbot):
    yield
    for box in errors.open_message_boxes():
        box.done(0)
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, DamagedDatabaseDialog | QMessageBox):
            widget.done(0)
        elif isinstance(widget, MainWindow):
            widget.hide()
            widget.ctx.db.dispose()
            widget.deleteLater()
    QApplication.processEvents()


def _process_until(condition, timeout_s: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    import time

    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        QApplication.processEvents()
        time.sleep(0.01)


def _visible(kind: type) -> list:  # type: ignore[type-arg]
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]


def test_run_gui_opens_a_damaged_database_read_only_with_the_explanation(qapp, damaged: Path) -> None:
    before = _digest(damaged)
    seen: dict[str, object] = {}

    def inspect() -> None:
        [window] = _visible(MainWindow)
        [dialog] = _visible(DamagedDatabaseDialog)
        if not dialog.is_loaded:  # the backups are listed and checked on a worker thread
            QTimer.singleShot(50, inspect)
            return
        seen["title"] = window.windowTitle()
        bar = window.findChild(QToolBar, "readOnlyBar")
        seen["bar"] = bar is not None and bar.findChild(QLabel, "readOnlyNotice").text()
        seen["dialog_title"] = dialog.windowTitle()
        seen["happened"] = dialog.happened_label.text()
        seen["todo"] = dialog.todo_label.text()
        seen["rows"] = dialog.model.rowCount()
        seen["selected"] = dialog.selected_backup()
        seen["restore_enabled"] = dialog.restore_button.isEnabled()
        try:
            organizations.create_organization(window.ctx, name="柳州恒锐液压科技有限公司", kind="enterprise")
        except DatabaseCorrupt as exc:
            seen["write"] = exc.message
        dialog.close_button.click()
        window.close()

    QTimer.singleShot(200, inspect)
    assert app_module.run_gui(str(damaged)) == 0
    assert "只读" in str(seen["title"]) and "损坏" in str(seen["title"])
    assert "只读" in str(seen["bar"]) and "不能导入" in str(seen["bar"])
    assert seen["dialog_title"] == "数据库文件已损坏"
    assert "lzcenter.sqlite" in str(seen["happened"]) and "只读" in str(seen["happened"])
    assert "恢复所选备份" in str(seen["todo"]) and "damaged" in str(seen["todo"])
    assert seen["rows"] == 1 and seen["restore_enabled"] is True
    assert seen["selected"] is not None
    assert "未保存" in str(seen["write"])
    assert _digest(damaged) == before


def test_restoring_asks_first_then_keeps_the_damaged_file_and_reopens(qtbot, damaged: Path) -> None:
    before = _digest(damaged)
    running = app_module._Running(str(damaged))
    running.show_window(open_app(str(damaged), damaged_read_only=True))
    old_window = running.window
    dialog = running.dialog
    assert isinstance(dialog, DamagedDatabaseDialog) and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.is_loaded)

    dialog.restore_button.click()  # the confirmation step…
    box = dialog.confirmation
    assert box is not None and box.isVisible()
    assert "damaged" in box.informativeText() and "不会删除" in box.informativeText()
    [cancel] = [b for b in box.buttons() if b.text() == "取消"]
    cancel.click()  # …cancelled: nothing changed
    qtbot.waitUntil(lambda: dialog.confirmation is None)
    assert _digest(damaged) == before and dialog.isVisible()
    assert sorted(p.name for p in damaged.parent.iterdir()) == ["backups", "lzcenter.sqlite"]

    dialog.restore_button.click()
    box = dialog.confirmation
    assert box is not None
    box.findChild(QPushButton, "confirmRestore").click()
    qtbot.waitUntil(lambda: running.window is not old_window)
    assert dialog.report is not None
    aside = dialog.report.damaged_kept_as
    assert aside is not None and ".damaged-" in aside.name and _digest(aside) == before
    new_window = running.window
    assert new_window is not None and new_window.isVisible()
    assert not shiboken6.isValid(old_window) or not old_window.isVisible()
    assert "只读" not in new_window.windowTitle()
    assert new_window.findChild(QToolBar, "readOnlyBar") is None
    organizations.create_organization(new_window.ctx, name="柳州恒锐液压科技有限公司", kind="enterprise")
    infos = [w for w in _visible(QMessageBox) if w.windowTitle() == "已恢复备份"]
    assert infos and aside.name in infos[0].text()
    running.dispose()


def test_the_restore_button_of_the_window_shows_the_dialog_again(qtbot, damaged: Path) -> None:
    running = app_module._Running(str(damaged))
    window = running.show_window(open_app(str(damaged), damaged_read_only=True))
    first = running.dialog
    assert first is not None
    first.close_button.click()
    qtbot.waitUntil(lambda: not first.isVisible())
    window.findChild(QPushButton, "restoreBackupButton").click()
    assert running.dialog is not first and running.dialog is not None and running.dialog.isVisible()
    running.dispose()


def test_without_backups_restoring_is_not_offered(qtbot, tmp_path: Path) -> None:
    path = _make(tmp_path / "lzcenter.sqlite", with_backup=False)
    damage_audit_entry(path)
    dialog = DamagedDatabaseDialog(path, DatabaseCorrupt("损坏"), read_only=True)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.is_loaded)
    assert dialog.model.rowCount() == 0
    assert not dialog.restore_button.isEnabled()
    assert "没有找到备份" in dialog.status_label.text() and "联系系统维护人员" in dialog.status_label.text()


def test_a_damaged_backup_is_listed_but_cannot_be_chosen(qtbot, damaged: Path) -> None:
    folder = damaged.parent / "backups"
    (folder / "lzcenter-backup-29991231-235959.sqlite").write_bytes(damaged.read_bytes())
    dialog = DamagedDatabaseDialog(damaged, DatabaseCorrupt("损坏"), read_only=True)
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 0  # listed on a worker thread…
    qtbot.waitUntil(lambda: dialog.is_loaded)  # …then shown
    assert dialog.model.rowCount() == 2
    assert dialog.model.texts()[0][4].startswith("不能使用")
    assert dialog.model.texts()[1][4].startswith("完好")
    assert dialog.selected_backup() is not None and dialog.selected_backup().sound  # the newest sound one
    dialog.table.selectRow(0)  # the damaged one cannot be selected
    assert 0 not in {index.row() for index in dialog.table.selectionModel().selectedRows()}
    dialog.table.clearSelection()
    assert dialog.selected_backup() is None and not dialog.restore_button.isEnabled()


def test_a_file_too_damaged_to_read_offers_the_backups_without_a_window(
    qapp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _make(tmp_path / "lzcenter.sqlite")
    with open(path, "r+b") as handle:  # garbage over the schema page: nothing can be read
        handle.seek(100)
        handle.write(b"\xff" * 400)
    shown: list[DamagedDatabaseDialog] = []

    def restore_at_once(self: DamagedDatabaseDialog) -> int:
        shown.append(self)
        assert not self.read_only and self.close_button.text() == "退出(&X)"
        _process_until(lambda: self.is_loaded)
        backup_file = self.selected_backup()
        assert backup_file is not None
        self.restore(backup_file)  # on a worker thread
        _process_until(lambda: self.report is not None)
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(DamagedDatabaseDialog, "exec", restore_at_once)
    monkeypatch.setattr(QMessageBox, "exec", lambda self: 0)
    ctx = app_module._open_damaged(str(path), DatabaseCorrupt("损坏"))
    assert ctx is not None and not ctx.read_only and len(shown) == 1
    ctx.db.dispose()
    assert any(".damaged-" in p.name for p in tmp_path.iterdir())


def test_giving_up_on_a_file_too_damaged_to_read_exits(
    qapp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _make(tmp_path / "lzcenter.sqlite")
    with open(path, "r+b") as handle:
        handle.seek(100)
        handle.write(b"\xff" * 400)
    before = _digest(path)
    monkeypatch.setattr(DamagedDatabaseDialog, "exec", lambda self: int(QDialog.DialogCode.Rejected))
    assert app_module.run_gui(str(path)) == DatabaseCorrupt.exit_code
    assert _digest(path) == before
