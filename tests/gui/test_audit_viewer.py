"""帮助 → 审计日志 (issue 15 item 2): the viewer opens from the menu, filters by operator, record and
days, pages through more than 200 entries, exports to Excel, and 校验 says the chain is intact —
then, after an audit row is changed with the test's own SQL, names that entry. No SQL on the UI thread; a
评审专家 is refused by the service (the message shows in the dialog)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QFileDialog, QLabel

from lzcenter_desktop.services import users
from lzcenter_desktop.services.audit_query import query_audit
from lzcenter_desktop.services.context import AppContext, open_app
from lzcenter_desktop.services.organizations import add_organization, create_organization
from lzcenter_desktop.services.uow import unit_of_work
from lzcenter_desktop.ui.dialogs.audit_viewer import AuditViewerDialog
from lzcenter_desktop.ui.main_window import MainWindow
from tests import db_sql
from tests.gui.ui_thread_db import ui_thread_statements
from tests.signin_records import cheap_hashing, with_users

WAIT = 15000


@pytest.fixture
def trail(ctx: AppContext) -> AppContext:
    """210 entries by the fixture's operator in one transaction, then 2 by 李经办."""
    with unit_of_work(ctx, "test.bulk") as session:
        for k in range(210):
            add_organization(session, name=f"柳州审计查看单位{k:03d}", kind="other")
    other = open_app(str(ctx.db.path) if ctx.db.path is not None else ctx.db.url, operator="李经办")
    create_organization(other, name="柳州李经办单位", kind="enterprise")
    create_organization(other, name="柳州李经办二号单位", kind="enterprise")
    other.db.dispose()
    return ctx


def _open(qtbot, ctx: AppContext) -> AuditViewerDialog:  # type: ignore[no-untyped-def]
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.audit_action.trigger()
    dialog = window.audit_dialog  # type: ignore[attr-defined]
    assert isinstance(dialog, AuditViewerDialog)
    qtbot.waitUntil(lambda: dialog.loaded and dialog.operator.count() > 1, timeout=WAIT)
    return dialog


def _shown_operators(dialog: AuditViewerDialog) -> set[str]:
    return {row.operator for row in dialog.model.rows}


def _refilter(qtbot, dialog: AuditViewerDialog, action) -> None:  # type: ignore[no-untyped-def]
    action()
    qtbot.waitUntil(lambda: dialog.loaded, timeout=WAIT)


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_opens_from_the_menu_filters_and_pages(qtbot, trail: AppContext) -> None:  # type: ignore[no-untyped-def]
    with ui_thread_statements(trail.db.engine) as seen:
        dialog = _open(qtbot, trail)
        assert dialog.isVisible() and dialog.windowTitle() == "审计日志"
        assert dialog.count_label.text() == "共 212 条，第 1/2 页（第 1–200 条）"
        assert dialog.model.rowCount() == 200
        assert dialog.model.rows[0].operator == "李经办"
        assert dialog.prev_button.isEnabled() is False and dialog.next_button.isEnabled()

        _refilter(qtbot, dialog, lambda: qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton))
        assert dialog.count_label.text() == "共 212 条，第 2/2 页（第 201–212 条）"
        assert dialog.model.rowCount() == 12 and not dialog.next_button.isEnabled()

        _refilter(qtbot, dialog, lambda: dialog.operator.setCurrentIndex(dialog.operator.findText("李经办")))
        assert _shown_operators(dialog) == {"李经办"} and dialog.model.rowCount() == 2
        assert dialog.count_label.text() == "共 2 条，第 1/1 页（第 1–2 条）"

        newest = dialog.model.rows[0]
        dialog.entity_id.setFocus()
        qtbot.keyClicks(dialog.entity_id, newest.entity_id)
        _refilter(qtbot, dialog, lambda: qtbot.keyClick(dialog.entity_id, Qt.Key.Key_Return))
        assert [r.entry_id for r in dialog.model.rows] == [newest.entry_id]
        assert dialog.model.texts()[0][3] == "单位"

        day = newest.at.astimezone().date()
        dialog.date_from.line.setText(day.isoformat())
        _refilter(qtbot, dialog, lambda: qtbot.keyClick(dialog.date_from.line, Qt.Key.Key_Return))
        assert dialog.model.rowCount() == 1
        dialog.date_to.line.setText(day.replace(day=1).replace(year=day.year - 1).isoformat())
        _refilter(qtbot, dialog, lambda: qtbot.keyClick(dialog.date_to.line, Qt.Key.Key_Return))
        assert dialog.model.rowCount() == 0
        assert "结束日期" in dialog.message.text() and "早于开始日期" in dialog.message.text()

        _refilter(qtbot, dialog, dialog.clear_filter)
        assert dialog.count_label.text().startswith("共 212 条")
        dialog.table.selectRow(0)
        detail = dialog.detail.toPlainText()
        assert "修改后：" in detail and "柳州李经办二号单位" in detail
    assert seen == []
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_export_writes_the_filtered_entries(qtbot, trail: AppContext, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "审计导出.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    with ui_thread_statements(trail.db.engine) as seen:
        dialog = _open(qtbot, trail)
        _refilter(qtbot, dialog, lambda: dialog.operator.setCurrentIndex(dialog.operator.findText("李经办")))
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "已导出" in dialog.message.text(), timeout=WAIT)
    assert seen == []
    assert dialog.message.text() == f"已导出 2 条审计记录到 {target}"
    ws = load_workbook(target).active
    assert ws is not None and ws.max_row == 4
    assert [ws.cell(row=r, column=3).value for r in (3, 4)] == ["李经办", "李经办"]
    dialog.close()


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_verify_is_ok_then_names_the_changed_entry(qtbot, trail: AppContext) -> None:  # type: ignore[no-untyped-def]
    with ui_thread_statements(trail.db.engine) as seen:
        dialog = _open(qtbot, trail)
        qtbot.mouseClick(dialog.verify_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not dialog.verifying, timeout=WAIT)
        assert dialog.message.text().startswith("审计链完整：共 212 条记录")
        con = db_sql.connect(trail)
        try:
            con.execute("UPDATE audit_entry SET operator = '张局长（伪）' WHERE id = 7")
            con.commit()
        finally:
            con.close()
        qtbot.mouseClick(dialog.verify_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not dialog.verifying, timeout=WAIT)
    assert seen == []
    assert dialog.message.text().startswith("审计链校验未通过：第 7 条审计记录")
    assert "被修改过" in dialog.message.text()
    dialog.close()


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_the_expert_is_refused_by_the_service(qtbot, ctx: AppContext, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(users, "_hasher", cheap_hashing())
    signed = with_users(ctx)
    assert query_audit(signed["reader"]).total > 0
    dialog = AuditViewerDialog(signed["expert"])
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.loaded, timeout=WAIT)
    assert "评审专家" in dialog.message.text() and "不能查看审计日志" in dialog.message.text()
    assert dialog.model.rowCount() == 0 and dialog.count_label.text() == "无法读取审计日志"


def test_alt_letters_are_unique(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    dialog = AuditViewerDialog(ctx)
    qtbot.addWidget(dialog)
    texts = [w.text() for w in dialog.findChildren(QLabel) + dialog.findChildren(QAbstractButton)]
    letters = [m.group(1).upper() for t in texts if (m := re.search(r"&(\w)", t))]
    assert len(letters) >= 13
    assert len(letters) == len(set(letters)), letters
    qtbot.waitUntil(lambda: dialog.loaded, timeout=WAIT)
