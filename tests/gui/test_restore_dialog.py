"""文件 → 恢复备份: yesterday's backup brings yesterday's data back, audited; the automatic backups
of the application (the day's first start, closing after a change)."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from lzcenter_desktop.services import app_settings, audit, centers, organizations
from lzcenter_desktop.services.context import AppContext, open_app
from lzcenter_desktop.storage.backup import backup_sqlite, timestamped_backup_path
from lzcenter_desktop.ui import app as app_module
from lzcenter_desktop.ui.dialogs import errors
from lzcenter_desktop.ui.dialogs.restore import RestoreDialog
from lzcenter_desktop.ui.main_window import MainWindow
from tests.gui.center_gui import settle
from tests.gui.ui_thread_db import ui_thread_statements

YESTERDAY = datetime.now().replace(microsecond=0) - timedelta(days=1)
YESTERDAYS = "柳州昨日工程技术研究中心"
TODAYS = "柳州今日工程技术研究中心"
# file backups of the SQLite file and restoring the file from them: about the SQLite file itself
pytestmark = pytest.mark.sqlite_only


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _centre(ctx: AppContext, name: str, host: str) -> None:
    host_id = organizations.create_organization(ctx, name=host, kind="enterprise")
    centers.create_center(ctx, name_zh=name, host_id=host_id, on=date(2026, 3, 1), industries=["机械"])


@pytest.fixture
def db(tmp_path: Path) -> tuple[Path, Path]:
    """A database with yesterday's centre, yesterday's daily backup, then today's centre."""
    path = tmp_path / "lzcenter.sqlite"
    ctx = open_app(str(path))
    try:
        _centre(ctx, YESTERDAYS, "柳州昨日机械有限公司")
        yesterday = backup_sqlite(path, timestamped_backup_path(path, reason="daily", when=YESTERDAY))
        _centre(ctx, TODAYS, "柳州今日机械有限公司")
    finally:
        ctx.db.dispose()
    return path, yesterday


@pytest.fixture(autouse=True)
def _close_everything(qtbot):
    yield
    for box in errors.open_message_boxes():
        box.done(0)
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, RestoreDialog | QMessageBox):
            widget.done(0)
        elif isinstance(widget, MainWindow):
            widget.hide()
            widget.ctx.db.dispose()
            widget.deleteLater()
    QApplication.processEvents()


def _names_shown(qtbot, window: MainWindow) -> list[str]:  # type: ignore[no-untyped-def]
    window.show_section("中心")
    page = window.centers_page
    qtbot.waitUntil(lambda: not page.loading and page.model.rowCount() > 0, timeout=30000)
    return sorted(r.name for r in page.model.rows)


def _open_dialog(qtbot, window: MainWindow) -> RestoreDialog:  # type: ignore[no-untyped-def]
    window.restore_action.trigger()
    dialog = window.restore_dialog
    assert isinstance(dialog, RestoreDialog) and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.is_loaded, timeout=30000)
    return dialog


def test_restoring_yesterdays_backup_shows_yesterdays_data_and_is_audited(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    path, yesterday = db
    running = app_module._Running(str(path))
    window = running.show_window(open_app(str(path), operator="李管理"))
    assert _names_shown(qtbot, window) == sorted([YESTERDAYS, TODAYS])
    settle(qtbot)
    today_bytes = _digest(path)

    with ui_thread_statements(window.ctx.db.engine) as on_ui_thread:
        dialog = _open_dialog(qtbot, window)
        assert dialog.model.rowCount() == 1
        [row] = dialog.model.texts()
        assert row[0] == yesterday.name
        assert row[1] == YESTERDAY.strftime("%Y-%m-%d %H:%M:%S")
        assert row[2] == "每日自动备份" and row[4] == "完好，可用于恢复"
        assert dialog.selected_backup() is not None
        dialog.restore_button.click()
        box = dialog.confirmation
        assert box is not None and box.isVisible()
        text = box.informativeText()
        assert "before-restore" in text and "不会删除" in text and "审计日志" in text and "李管理" in text
        box.findChild(QPushButton, "confirmRestore").click()
        qtbot.waitUntil(lambda: running.window is not window, timeout=30000)
    assert on_ui_thread == []

    new_window = running.window
    assert new_window is not None and new_window.isVisible()
    assert _names_shown(qtbot, new_window) == [YESTERDAYS]
    [entry] = audit.list_audit(new_window.ctx, entity="database")
    assert entry.operator == "李管理" and entry.action == "backup.restore"
    assert yesterday.name in (entry.after or "")
    kept = [p for p in path.parent.iterdir() if ".before-restore-" in p.name and p.suffix == ".sqlite"]
    assert len(kept) == 1 and _digest(kept[0]) == today_bytes
    infos = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
    assert any("原数据库文件已改名保存为" in w.text() and kept[0].name in w.text() for w in infos)
    running.dispose()


def test_cancelling_the_confirmation_changes_nothing(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    path, _yesterday = db
    window = MainWindow(open_app(str(path)))
    qtbot.addWidget(window)
    before = _digest(path)
    dialog = _open_dialog(qtbot, window)
    dialog.restore_button.click()
    box = dialog.confirmation
    assert box is not None
    [cancel] = [b for b in box.buttons() if b.text() == "取消"]
    cancel.click()
    qtbot.waitUntil(lambda: dialog.confirmation is None)
    assert dialog.isVisible() and dialog.report is None
    assert _digest(path) == before
    assert not [p for p in path.parent.iterdir() if "before-restore" in p.name]
    dialog.close_button.click()


def test_the_dialog_saves_how_many_automatic_backups_to_keep(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    path, _yesterday = db
    window = MainWindow(open_app(str(path)))
    qtbot.addWidget(window)
    dialog = _open_dialog(qtbot, window)
    try:
        assert dialog.keep_spin.value() == 30
        dialog.keep_spin.setValue(0)  # below the bound: the box stays at 1
        assert dialog.keep_spin.value() == 1
        dialog.keep_spin.setValue(7)
        dialog.keep_button.click()
        assert app_settings.backup_keep() == 7
        assert "7 份" in dialog.keep_note.text()
    finally:
        app_settings.settings_file().unlink(missing_ok=True)
    dialog.close_button.click()


def test_a_backup_from_another_program_is_listed_but_cannot_be_chosen(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    path, _yesterday = db
    (path.parent / "backups" / "lzcenter-backup-29991231-235959.sqlite").write_text(
        "不是数据库", encoding="utf-8"
    )
    window = MainWindow(open_app(str(path)))
    qtbot.addWidget(window)
    dialog = _open_dialog(qtbot, window)
    texts = dialog.model.texts()
    assert len(texts) == 2 and texts[0][4] == "不能使用：不是数据库文件"
    assert dialog.selected_backup() is not None and dialog.selected_backup().path.name != texts[0][0]  # type: ignore[union-attr]
    dialog.close_button.click()


def test_the_days_first_start_backs_up_and_closing_after_a_change_backs_up(
    qapp, db, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    path, _yesterday = db
    monkeypatch.setattr(app_module, "DAILY_BACKUP_DELAY_MS", 0)
    seen: dict[str, str] = {}

    def act() -> None:
        [window] = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        message = window.statusBar().currentMessage()
        if "已自动备份" not in message:
            QTimer.singleShot(50, act)
            return
        seen["status"] = message
        organizations.create_organization(window.ctx, name="柳州关闭前机械有限公司", kind="enterprise")
        window.close()

    QTimer.singleShot(100, act)
    assert app_module.run_gui(str(path)) == 0
    assert "每日" in seen["status"]
    names = sorted(p.name for p in (path.parent / "backups").iterdir())
    today = datetime.now().strftime("%Y%m%d")
    assert [n for n in names if f"-daily-{today}" in n]
    assert [n for n in names if "-exit-" in n]


def test_closing_without_a_change_makes_no_backup(qapp, db, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    path, yesterday = db
    monkeypatch.setattr(app_module, "DAILY_BACKUP_DELAY_MS", 600_000)  # not in this test

    def close() -> None:
        [window] = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        window.close()

    QTimer.singleShot(100, close)
    assert app_module.run_gui(str(path)) == 0
    assert sorted(p.name for p in (path.parent / "backups").iterdir()) == [yesterday.name]


def test_the_dialog_cannot_be_closed_while_the_restore_runs(
    qtbot, db, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    import threading

    from lzcenter_desktop.services import restore as restore_module

    path, _yesterday = db
    real = restore_module.restore
    go_on = threading.Event()

    def slow_restore(*args, **kwargs):  # type: ignore[no-untyped-def]
        assert go_on.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(restore_module, "restore", slow_restore)
    running = app_module._Running(str(path))
    window = running.show_window(open_app(str(path)))
    dialog = _open_dialog(qtbot, window)
    dialog.restore_button.click()
    assert dialog.confirmation is not None
    dialog.confirmation.findChild(QPushButton, "confirmRestore").click()
    qtbot.waitUntil(lambda: dialog.restoring)
    assert not dialog.restore_button.isEnabled()
    dialog.reject()  # Esc / 关闭 while the file is being replaced: ignored
    dialog.close()
    assert dialog.isVisible()
    go_on.set()
    qtbot.waitUntil(lambda: running.window is not window, timeout=30000)
    assert running.window is not None
    assert _names_shown(qtbot, running.window) == [YESTERDAYS]
    running.dispose()
