"""ui/app.py: start-up, environment problems at start, the self-test window."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from lzcenter_desktop.services.schema_upgrade import database_name
from lzcenter_desktop.storage.errors import READ_ONLY_MESSAGE, DatabaseReadOnly
from lzcenter_desktop.ui import app as app_module
from lzcenter_desktop.ui.main_window import MainWindow
from tests import db_backend


def test_create_application_sets_names_and_chinese_font(qapp) -> None:
    from lzcenter_desktop.documents.fonts import SANS_FAMILY

    app = app_module.create_application()
    assert app is QApplication.instance()
    assert app.organizationName() == "柳州市科学技术局"
    assert app.font().family() == SANS_FAMILY


def test_environment_problem_at_start_is_a_plain_message_and_its_exit_code(qapp, monkeypatch) -> None:
    shown = []

    def refuse(target: str | None) -> None:
        raise DatabaseReadOnly(READ_ONLY_MESSAGE)

    monkeypatch.setattr("lzcenter_desktop.services.context.open_app", refuse)
    monkeypatch.setattr(
        app_module, "show_environment_problem", lambda p, parent, block: shown.append((p, block))
    )
    code = app_module.run_gui("/nowhere/x.sqlite")
    assert code == DatabaseReadOnly.exit_code == 5
    [(problem, block)] = shown
    assert problem.title == "数据库只读"
    assert block is True


@pytest.mark.sqlite_only  # stamps the file's alembic_version with raw sqlite3
def test_newer_database_at_start(qapp, monkeypatch, tmp_path: Path) -> None:
    """A database stamped with an unknown (newer) revision is refused with the 版本较新 message."""
    import sqlite3

    from lzcenter_desktop.services.context import open_app

    db = tmp_path / "newer.sqlite"
    open_app(str(db)).db.dispose()
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'ffffffffffff'")
    shown = []
    monkeypatch.setattr(app_module, "show_environment_problem", lambda p, parent, block: shown.append(p))
    code = app_module.run_gui(str(db))
    assert [p.title for p in shown] == ["数据库版本较新"]
    assert code == shown[0].exit_code


def test_run_gui_opens_the_window_and_returns_when_it_closes(qapp, tmp_path: Path) -> None:
    seen: list[str] = []

    def close_main_window() -> None:
        for w in QApplication.topLevelWidgets():
            if isinstance(w, MainWindow) and w.isVisible():
                seen.append(w.windowTitle())
                w.close()

    QTimer.singleShot(300, close_main_window)
    code = app_module.run_gui(str(tmp_path / "gui.sqlite"))
    assert code == 0
    # the title names the file — or, in the PostgreSQL run, the server database it stands for
    on_server = db_backend.is_server_database(tmp_path / "gui.sqlite")
    shown = "postgresql+psycopg://" if on_server else "gui.sqlite"
    assert len(seen) == 1 and shown in seen[0]


def test_selftest_window(qtbot, small_ctx) -> None:
    window = app_module.make_main_window_for_selftest(small_ctx)
    qtbot.addWidget(window)
    assert database_name(small_ctx.db) in window.windowTitle()  # the file, or the server database
    assert window.current_section() == "概览" and not window.page("概览").loading  # idle: all loaded
    window.show_section("中心")
    assert window.wait_until_idle()
    assert window.centers_page.proxy.rowCount() == 3
    assert window.count_label.text() == "共 3 个中心，显示 3 个"


def test_qt_texts_are_chinese(qapp) -> None:
    from PySide6.QtWidgets import QLineEdit

    app_module.create_application()
    edit = QLineEdit()
    menu = edit.createStandardContextMenu()
    texts = [a.text() for a in menu.actions() if a.text()]
    assert texts[0].startswith("撤消")
