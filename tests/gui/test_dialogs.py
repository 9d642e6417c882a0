"""Error and crash dialogs: what a clerk sees when something goes wrong."""

from __future__ import annotations

import sqlite3
import sys
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from lzcenter_desktop import paths
from lzcenter_desktop.storage.errors import DatabaseLocked, DiskFull, newer_database
from lzcenter_desktop.ui.dialogs import crash, errors
from lzcenter_desktop.ui.dialogs.crash import (
    CrashDialog,
    format_crash_report,
    handle_crash,
    write_crash_report,
)
from lzcenter_desktop.ui.dialogs.errors import install_excepthook, uninstall_excepthook


def _raise_and_catch() -> BaseException:
    try:
        {}["没有这个键"]
    except KeyError as exc:
        return exc
    raise AssertionError("unreachable")


@pytest.fixture(autouse=True)
def _close_dialogs(qtbot):
    yield
    dialog = crash.current_crash_dialog()
    if dialog is not None:
        dialog.reject()
    for box in errors.open_message_boxes():
        box.done(0)
    QApplication.processEvents()


def test_crash_report_has_time_versions_and_traceback() -> None:
    exc = _raise_and_catch()
    text = format_crash_report(type(exc), exc, exc.__traceback__, now=datetime(2026, 11, 26, 9, 30, 5))
    assert "时间：2026-11-26T09:30:05" in text
    assert "程序版本：0.1.0" in text
    assert f"Python：{sys.version.split()[0]}" in text
    assert "PySide6" in text
    assert "KeyError" in text
    assert "_raise_and_catch" in text  # the traceback names the function


def test_crash_report_is_written_under_user_data(tmp_path: Path) -> None:
    exc = _raise_and_catch()
    now = datetime(2026, 11, 26, 9, 30, 5)
    _, first = write_crash_report(type(exc), exc, exc.__traceback__, now=now)
    _, second = write_crash_report(type(exc), exc, exc.__traceback__, now=now)
    assert first.parent == paths.user_data_dir() / "crash-reports"
    assert first.name == "crash-20261126-093005.txt"
    assert second.name == "crash-20261126-093005-2.txt"  # the same second never overwrites
    assert "KeyError" in first.read_text(encoding="utf-8")


def test_crash_dialog_says_where_the_report_is(qtbot) -> None:
    exc = _raise_and_catch()
    dialog = handle_crash(type(exc), exc, exc.__traceback__)
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.windowTitle() == "程序出错"
    assert "错误报告已保存到" in dialog.paths_label.text()
    assert str(dialog.report_paths[0]) in dialog.paths_label.text()
    assert dialog.report_paths[0].is_file()
    assert not dialog.details.isVisible()  # no traceback in the clerk's face
    dialog.details_button.click()
    assert dialog.details.isVisible()
    assert "KeyError" in dialog.details.toPlainText()


def test_second_crash_goes_into_the_same_dialog(qtbot) -> None:
    exc = _raise_and_catch()
    first = handle_crash(type(exc), exc, exc.__traceback__)
    qtbot.waitUntil(first.isVisible)
    second = handle_crash(type(exc), exc, exc.__traceback__)
    assert second is first
    assert len(first.report_paths) == 2
    assert "又发生了 1 个错误" in first.paths_label.text()


def test_crash_dialog_when_report_cannot_be_written(qtbot, monkeypatch) -> None:
    def refuse(*_a: object, **_k: object) -> None:
        raise PermissionError(13, "权限不足")

    monkeypatch.setattr(crash, "write_crash_report", refuse)
    exc = _raise_and_catch()
    dialog = handle_crash(type(exc), exc, exc.__traceback__)
    assert dialog.report_paths == []
    assert "错误报告无法保存（权限不足）" in dialog.paths_label.text()
    assert not dialog.open_folder_button.isEnabled()
    dialog.copy_button.click()
    assert "KeyError" in QApplication.clipboard().text()


@pytest.mark.parametrize(
    ("exc", "title"),
    [
        (DatabaseLocked("数据库正被占用的说明"), "数据库正被占用"),
        (DiskFull("磁盘满的说明"), "磁盘空间不足"),
        (newer_database("abc123"), "数据库版本较新"),
    ],
)
def test_environment_problem_shows_plain_message_not_crash(qtbot, exc: Exception, title: str) -> None:
    errors.report_exception(exc, None)
    [box] = errors.open_message_boxes()
    assert box.windowTitle() == title
    assert box.informativeText() == exc.message  # type: ignore[attr-defined]
    assert box.button(QMessageBox.StandardButton.Ok).text() == "知道了"
    assert crash.current_crash_dialog() is None


def test_raw_sqlite_lock_error_is_classified(qtbot) -> None:
    errors.report_exception(sqlite3.OperationalError("database is locked"), None)
    [box] = errors.open_message_boxes()
    assert box.windowTitle() == "数据库正被占用"
    assert "请关闭其他正在使用该数据库的窗口" in box.informativeText()


def test_bug_goes_to_crash_dialog(qtbot) -> None:
    exc = _raise_and_catch()
    errors.report_exception(exc, None)
    assert errors.open_message_boxes() == []
    dialog = crash.current_crash_dialog()
    assert isinstance(dialog, CrashDialog)


def test_excepthook_routes_uncaught_exceptions(qtbot) -> None:
    saved = sys.excepthook
    install_excepthook()
    try:
        exc = _raise_and_catch()
        sys.excepthook(type(exc), exc, exc.__traceback__)
        assert crash.current_crash_dialog() is not None
    finally:
        uninstall_excepthook()
    assert sys.excepthook is saved
