"""Importing an applicant's workbook from the wizard (issue 10 items 1 and 2): the workbook is read
in the background behind a busy dialog with 取消 (the window never freezes), then a preview lists
what would change and every problem with its cell; the draft changes only on 应用, Esc cancels,
and the dialog is usable from the keyboard and fits a 1366×768 screen."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton, QWizard

from lzcenter_desktop.services import audit
from lzcenter_desktop.services import declaration_files as files
from lzcenter_desktop.services import declarations as d
from lzcenter_desktop.ui.declarations.import_preview import ImportPreviewDialog
from lzcenter_desktop.ui.declarations.wizard import DeclarationWizard

STAFF = "研发人员"


@pytest.fixture
def wizard(qtbot: Any, ctx: Any, example: dict[str, Any]) -> DeclarationWizard:
    did = d.create_draft(ctx, call_year=2026, data=example)
    wizard = DeclarationWizard(ctx, did)
    qtbot.addWidget(wizard)
    return wizard


def workbook(
    ctx: Any, wizard: DeclarationWizard, tmp_path: Path, changes: dict[tuple[str, str], Any]
) -> Path:
    path = files.write_declaration_workbook(
        ctx, declaration_id=wizard.declaration_id, path=tmp_path / "申报书.xlsx"
    )
    wb = openpyxl.load_workbook(path)
    for (sheet, cell), value in changes.items():
        wb[sheet][cell].value = value
    wb.save(path)
    return path


def open_preview(qtbot: Any, wizard: DeclarationWizard, path: Path) -> ImportPreviewDialog:
    wizard.choose_open_file = lambda title, filt: str(path)
    wizard.customButtonClicked.emit(QWizard.WizardButton.CustomButton1.value)
    qtbot.waitUntil(
        lambda: wizard.import_dialog is not None and wizard.import_dialog.isVisible(), timeout=20000
    )
    dialog = wizard.import_dialog
    assert isinstance(dialog, ImportPreviewDialog)
    return dialog


def audit_count(ctx: Any) -> int:
    return len(audit.list_audit(ctx, limit=100_000))


def test_the_preview_lists_changes_and_problems_and_nothing_changes_before_apply(
    qtbot: Any, ctx: Any, wizard: DeclarationWizard, example: dict[str, Any], tmp_path: Path
) -> None:
    path = workbook(ctx, wizard, tmp_path, {(STAFF, "A4"): "改了名字", (STAFF, "C3"): "大学"})
    before, entries = d.get_declaration(ctx, wizard.declaration_id).data, audit_count(ctx)
    dialog = open_preview(qtbot, wizard, path)
    assert dialog.windowTitle() == "从 Excel 导入：申报书.xlsx"
    assert ["研发人员 第 3 行（修改）", "", ""] in dialog.row_texts()
    assert ["姓名", example["staff"][2]["name"], "改了名字"] in dialog.row_texts()
    assert dialog.problems.rowCount() == 1
    assert [dialog.problems.item(0, c).text() for c in range(3)] == [
        "研发人员!C3",
        "学历“大学”不是可选值（博士/硕士/本科/大专/其他）",
        f"保留原值：{example['staff'][1]['degree']}",
    ]
    assert "有问题的单元格不导入" in dialog.summary.text()
    # nothing is written while the clerk reads the preview
    assert d.get_declaration(ctx, wizard.declaration_id).data == before
    assert audit_count(ctx) == entries
    assert wizard.table_editor("staff").model.rows()[2]["name"] == example["staff"][2]["name"]

    # 应用 from the keyboard: Tab reaches the button, Space presses it
    dialog.apply_button.setFocus()
    qtbot.keyClick(dialog.apply_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    qtbot.waitUntil(
        lambda: "已从 Excel 导入" in wizard.save_status, timeout=10000
    )  # written off the UI thread
    stored = d.get_declaration(ctx, wizard.declaration_id).data
    assert stored["staff"][2]["name"] == "改了名字"
    assert stored["staff"][1]["degree"] == example["staff"][1]["degree"]  # the bad cell kept the value
    assert wizard.table_editor("staff").model.rows()[2]["name"] == "改了名字"
    assert "已从 Excel 导入“申报书.xlsx”；1 处有问题的单元格未导入，保留原值" in wizard.save_status
    newest = audit.list_audit(ctx, limit=1)[0]
    assert newest.action == "declarations.import_excel"
    assert json.loads(newest.after or "{}")["reason"] == "从 Excel 导入：申报书.xlsx"


def test_escape_cancels_and_changes_nothing(
    qtbot: Any, ctx: Any, wizard: DeclarationWizard, example: dict[str, Any], tmp_path: Path
) -> None:
    path = workbook(ctx, wizard, tmp_path, {(STAFF, "A2"): "不会导入的名字"})
    before, entries = d.get_declaration(ctx, wizard.declaration_id).data, audit_count(ctx)
    dialog = open_preview(qtbot, wizard, path)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    assert d.get_declaration(ctx, wizard.declaration_id).data == before
    assert audit_count(ctx) == entries
    assert wizard.table_editor("staff").model.rows()[0]["name"] == example["staff"][0]["name"]
    assert wizard.save_status == "已取消从 Excel 导入，申报书未作任何修改"


def test_the_cancel_button_changes_nothing(
    qtbot: Any, ctx: Any, wizard: DeclarationWizard, tmp_path: Path
) -> None:
    path = workbook(ctx, wizard, tmp_path, {(STAFF, "A2"): "不会导入的名字"})
    before = d.get_declaration(ctx, wizard.declaration_id).data
    dialog = open_preview(qtbot, wizard, path)
    dialog.cancel_button.click()
    assert d.get_declaration(ctx, wizard.declaration_id).data == before


def test_an_unchanged_workbook_offers_nothing_to_apply(
    qtbot: Any, ctx: Any, wizard: DeclarationWizard, tmp_path: Path
) -> None:
    dialog = open_preview(qtbot, wizard, workbook(ctx, wizard, tmp_path, {}))
    assert not dialog.apply_button.isEnabled()
    assert "没有需要修改的地方" in dialog.summary.text()


def test_a_blank_template_is_refused_and_the_staff_stay(
    qtbot: Any, ctx: Any, wizard: DeclarationWizard, tmp_path: Path
) -> None:
    blank = files.write_blank_template(ctx, call_year=2026, path=tmp_path / "空白.xlsx")
    wizard.import_excel(blank)
    qtbot.waitUntil(lambda: "空白模板" in wizard.save_status, timeout=20000)
    assert wizard.import_dialog is None
    assert wizard.table_editor("staff").model.rowCount() == 10
    assert len(d.get_declaration(ctx, wizard.declaration_id).data["staff"]) == 10


def test_a_fifo_is_refused_and_the_window_does_not_hang(
    qtbot: Any, ctx: Any, wizard: DeclarationWizard, tmp_path: Path
) -> None:
    fifo = tmp_path / "管道.xlsx"
    os.mkfifo(fifo)
    wizard.import_excel(fifo)
    qtbot.waitUntil(lambda: "不是普通文件" in wizard.save_status, timeout=20000)
    assert "“管道.xlsx”不是普通文件（是命名管道（FIFO）），不能读取" in wizard.save_status


def test_the_workbook_is_read_in_the_background_behind_a_busy_dialog_with_cancel(
    qtbot: Any, ctx: Any, wizard: DeclarationWizard, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While the worker reads, the GUI thread keeps handling events; 取消 reaches the reader's
    ``stop`` and nothing changes."""
    path = workbook(ctx, wizard, tmp_path, {(STAFF, "A2"): "不会导入的名字"})
    before = d.get_declaration(ctx, wizard.declaration_id).data
    started, worker_threads = threading.Event(), []
    real = files.preview_workbook_import

    def slow_preview(ctx: Any, *, declaration_id: int, path: Path, stop: Any = None) -> Any:
        worker_threads.append(threading.current_thread())
        started.set()
        while not stop():  # a long read that looks at stop() as the real one does
            threading.Event().wait(0.01)
        return real(ctx, declaration_id=declaration_id, path=path, stop=stop)

    monkeypatch.setattr(files, "preview_workbook_import", slow_preview)
    task = wizard.import_excel(path)
    assert task is not None
    progress = wizard.import_progress
    assert isinstance(progress, QProgressDialog)
    assert progress.windowTitle() == "从 Excel 导入" and "申报书.xlsx" in progress.labelText()
    assert progress.windowModality() == Qt.WindowModality.WindowModal
    qtbot.waitUntil(started.is_set, timeout=5000)
    assert worker_threads[0] is not threading.main_thread()
    fired: list[bool] = []
    QTimer.singleShot(0, lambda: fired.append(True))  # the event loop runs while the worker reads
    qtbot.waitUntil(lambda: bool(fired), timeout=5000)
    assert not task.is_finished
    qtbot.waitUntil(progress.isVisible, timeout=5000)  # shown after a short delay, with 取消
    [button] = [b for b in progress.findChildren(QPushButton) if b.text() == "取消"]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: task.is_finished, timeout=20000)
    assert wizard.save_status == "已取消从 Excel 导入，申报书未作任何修改"
    assert wizard.import_dialog is None
    assert d.get_declaration(ctx, wizard.declaration_id).data == before


def test_the_dialog_fits_a_small_screen_and_is_keyboard_usable(
    qtbot: Any, ctx: Any, wizard: DeclarationWizard, tmp_path: Path
) -> None:
    path = workbook(ctx, wizard, tmp_path, {(STAFF, "A2"): "新名字", (STAFF, "C3"): "大学"})
    dialog = open_preview(qtbot, wizard, path)
    room = dialog.screen().availableGeometry()
    assert dialog.width() <= min(room.width(), 1366) and dialog.height() <= min(room.height(), 768)
    # every part is reached with Tab, starting in the list of changes
    assert dialog.focusWidget() is dialog.changes
    reached = set()
    for _ in range(8):
        qtbot.keyClick(QApplication.focusWidget() or dialog, Qt.Key.Key_Tab)
        reached.add(QApplication.focusWidget())
    assert {dialog.problems, dialog.apply_button, dialog.cancel_button} <= reached
    assert dialog.apply_button.text() == "应用(&A)" and dialog.cancel_button.text() == "取消"
    assert not dialog.apply_button.autoDefault()  # Enter in a list never applies by accident
    dialog.reject()
