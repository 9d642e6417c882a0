"""The about box shows the audit chain's anchor (the newest entry's hash), read off the UI thread."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from lzcenter_desktop.services import organizations
from lzcenter_desktop.services.audit_chain import latest_anchor
from lzcenter_desktop.ui.main_window import MainWindow
from tests.gui.ui_thread_db import ui_thread_statements


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_the_about_box_shows_the_newest_audit_hash(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    organizations.create_organization(ctx, name="柳州锚点测试有限公司", kind="enterprise")
    anchor = latest_anchor(ctx)
    assert anchor is not None
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    with ui_thread_statements(ctx.db.engine) as seen:
        window.show_about()
        box = window.about_box
        assert isinstance(box, QMessageBox)
        qtbot.waitUntil(lambda: anchor.entry_hash in box.informativeText(), timeout=10000)
    assert seen == []
    assert box.informativeText() == anchor.text()
    assert f"第 {anchor.entry_id} 条" in box.informativeText()
    box.close()


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_the_about_box_of_an_empty_trail_says_so(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    assert latest_anchor(ctx) is None
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show_about()
    box = window.about_box
    qtbot.waitUntil(lambda: "还没有记录" in box.informativeText(), timeout=10000)
    box.close()
