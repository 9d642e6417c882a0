"""The main window on a SQLite file on a network share: the advice is a line in the status bar
(with the whole text as its tooltip), not a modal box; on a local file there is no such line."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from lzcenter_desktop.storage import engine
from lzcenter_desktop.ui.main_window import MainWindow
from lzcenter_desktop.ui.widgets.network_note import SHORT_TEXT

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def _window(qtbot, ctx) -> MainWindow:
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


@pytest.mark.sqlite_only  # about a SQLite file lying on a network share (a server database has none)
def test_a_share_gets_a_status_bar_line_and_no_modal(qtbot, ctx, monkeypatch) -> None:
    db_path = ctx.db.path
    assert db_path is not None
    monkeypatch.setattr(engine, "is_network_path", lambda path: Path(path) == Path(db_path))
    w = _window(qtbot, ctx)
    label = w.network_warning
    assert label is not None and label.isVisible()
    assert label.text() == SHORT_TEXT
    assert "PostgreSQL" in label.toolTip() and str(db_path) in label.toolTip()
    assert label.parent() is w.statusBar()
    modal = [
        x for x in QApplication.topLevelWidgets() if isinstance(x, QDialog | QMessageBox) and x.isVisible()
    ]
    assert modal == []


def test_a_local_file_has_no_such_line(qtbot, ctx, monkeypatch) -> None:
    monkeypatch.setattr(engine, "is_network_path", lambda path: False)
    w = _window(qtbot, ctx)
    assert w.network_warning is None
