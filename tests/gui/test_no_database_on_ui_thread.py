"""No database call is made on the UI thread while a clerk works in 申报, the wizard, 规则 and 设置
(issue 11 item 1).

Every statement SQLAlchemy sends to the test database passes a ``before_cursor_execute`` listener;
one sent on the main (UI) thread with a frame of ``lzcenter_desktop/ui/`` on its stack is recorded.
Setup in the test body calls the services directly (no ui frame on its stack) and is not recorded.
"""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QWizard
from sqlalchemy import event

from lzcenter_desktop.services import declarations as d
from lzcenter_desktop.ui import ops
from lzcenter_desktop.ui.declarations.page import DeclarationsPage
from lzcenter_desktop.ui.declarations.wizard import DeclarationWizard
from lzcenter_desktop.ui.pages.rules import RulesPage
from lzcenter_desktop.ui.pages.settings import SettingsPage
from lzcenter_desktop.ui.tasks import running_tasks
from tests import db_backend
from tests.helpers import type_text

UI_DIR = str(Path(__file__).resolve().parents[2] / "lzcenter_desktop" / "ui")


@pytest.fixture(autouse=True)
def ui_thread_statements(ctx: Any) -> Iterator[list[str]]:
    """Statements sent on the UI thread from code under ``lzcenter_desktop/ui/`` (with where from)."""
    recorded: list[str] = []
    main = threading.main_thread().ident

    def before(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        if threading.get_ident() != main:  # get_ident: current_thread() would pin a dummy Thread
            return
        frame = sys._getframe(1)
        while frame is not None:
            if frame.f_code.co_filename.startswith(UI_DIR):
                where = f"{Path(frame.f_code.co_filename).name}:{frame.f_lineno} {frame.f_code.co_name}"
                recorded.append(f"{' '.join(statement.split()[:3])} … from {where}")
                return
            frame = frame.f_back

    engine = ctx.db.engine
    event.listen(engine, "before_cursor_execute", before)
    yield recorded
    event.remove(engine, "before_cursor_execute", before)


def settle(qtbot: Any) -> None:
    """Every background read and write has ended and delivered its result."""
    assert ops.wait_for_writes()
    qtbot.waitUntil(lambda: running_tasks() == 0, timeout=20000)


def test_the_recorder_sees_a_call_made_on_the_ui_thread(
    qtbot: Any, ctx: Any, ui_thread_statements: list[str]
) -> None:
    """The check can fail: building the wizard without its data reads it on the calling thread."""
    did = d.create_draft(ctx, call_year=2026)
    assert ui_thread_statements == []  # the test body's own service call is not recorded
    wizard = DeclarationWizard(ctx, did)  # no data: it reads the draft itself, here on the UI thread
    qtbot.addWidget(wizard)
    assert ui_thread_statements and all("wizard.py" in s for s in ui_thread_statements)
    assert any(s.startswith("SELECT declaration") for s in ui_thread_statements)


def test_a_clerk_works_in_the_declaration_pages_without_a_query_on_the_ui_thread(
    qtbot: Any, ctx: Any, example: dict[str, Any], tmp_path: Path, ui_thread_statements: list[str]
) -> None:
    db_backend.attachments_ready(ctx, tmp_path / "附件")  # a server database's shared folder
    # -- 申报: the list, a new draft, typing, autosave ------------------------------------------
    page = DeclarationsPage(ctx)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: not page.loading, timeout=10000)
    page.ask_year = lambda: 2026
    with qtbot.waitSignal(page.wizard_opened, timeout=10000) as blocker:
        qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    wizard = blocker.args[0]
    qtbot.addWidget(wizard)
    wizard.show()
    for key, text in (
        ("center.name_zh", "柳州测试工程技术研究中心"),
        ("host.name", "柳州某某重工股份有限公司"),
        ("host.credit_code", example["host"]["credit_code"]),
    ):
        line = wizard.editor(key).input
        assert isinstance(line, QLineEdit)
        for ch in text:
            type_text(line, ch)
        line.editingFinished.emit()  # leaving the field
    wizard.button(QWizard.WizardButton.NextButton).click()  # next page: saves at once
    qtbot.waitUntil(lambda: wizard.save_status == "已自动保存", timeout=10000)
    assert d.get_declaration(ctx, wizard.declaration_id).data["host"]["name"] == "柳州某某重工股份有限公司"
    panel = wizard.page_for("signature").attachments
    assert panel is not None
    scan = tmp_path / "营业执照.png"
    from PySide6.QtGui import QImage

    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.white)
    assert image.save(str(scan))
    panel.add_file(scan, "营业执照")
    qtbot.waitUntil(lambda: panel.list.count() == 1, timeout=10000)
    xlsx = tmp_path / "草稿.xlsx"
    wizard.export_excel(xlsx)
    qtbot.waitUntil(lambda: "已导出" in wizard.save_status, timeout=20000)
    wizard.close()
    assert not wizard.isVisible()

    # -- 申报: import a declaration with a warning, acknowledge it, submit --------------------
    warned = json.loads(json.dumps(example))
    warned["center"]["equipment"] = []  # D9.5b is a warning
    other = dict(warned, host=dict(warned["host"], credit_code="91450205MA5N8R2T4M"))
    source = tmp_path / "申报书.json"
    source.write_text(json.dumps(other, ensure_ascii=False), encoding="utf-8")
    page.import_file(source)
    qtbot.waitUntil(lambda: "已导入为第" in page.message.text(), timeout=10000)
    qtbot.waitUntil(lambda: not page.loading and len(page.selected_ids()) == 1, timeout=10000)
    imported = page.selected_ids()[0]
    with qtbot.waitSignal(page.wizard_opened, timeout=10000) as blocker:
        qtbot.mouseClick(page.continue_button, Qt.MouseButton.LeftButton)
    second = blocker.args[0]
    qtbot.addWidget(second)
    second.show()
    while second.currentPage() is not second.review_page:
        second.button(QWizard.WizardButton.NextButton).click()
    review = second.review_page
    assert review is not None
    for v in second.violations:
        if not v.is_error:
            review.set_reason(v, "设备在租用的公共平台；同一单位另有草稿")
    qtbot.waitUntil(review.submit_button.isEnabled, timeout=10000)
    review.submit_button.click()
    qtbot.waitUntil(lambda: second.submitted, timeout=10000)
    assert d.get_declaration(ctx, imported).status == "submitted"

    # -- 申报: export, compare, the blank template, a folder -----------------------------------
    out = tmp_path / "导出.json"
    page.export_to(imported, out)
    qtbot.waitUntil(out.exists, timeout=10000)
    page.select_id(imported)
    page.select_id(wizard.declaration_id, add=True)
    page.compare_selected()
    qtbot.waitUntil(lambda: page.compare_dialog is not None, timeout=10000)
    page.write_blank_template(tmp_path / "模板.xlsx", 2026)
    qtbot.waitUntil(lambda: (tmp_path / "模板.xlsx").exists(), timeout=10000)
    folder = tmp_path / "文件夹"
    folder.mkdir()
    (folder / "a.json").write_text(json.dumps(example, ensure_ascii=False), encoding="utf-8")
    with qtbot.waitSignal(page.imported, timeout=20000):
        page.import_many([folder])
    assert page.report_box is not None
    page.report_box.close()

    # -- 规则 and 设置: load, switch year, save a rule set (the open wizard checks again) -----------
    with qtbot.waitSignal(page.wizard_opened, timeout=10000) as blocker:
        page.open_wizard(wizard.declaration_id)  # the first draft again, open while the rules change
    third = blocker.args[0]
    qtbot.addWidget(third)
    rules = RulesPage(ctx)
    qtbot.addWidget(rules)
    rules.on_shown(True)
    qtbot.waitUntil(lambda: rules.year_settings is not None, timeout=10000)
    rules.select_rule("D9.3a")
    settings = SettingsPage(ctx)
    qtbot.addWidget(settings)
    settings.resize(1200, 900)
    settings.show()
    with qtbot.waitSignal(settings.settings_loaded, timeout=10000):
        settings.on_shown(True)
    with qtbot.waitSignal(settings.settings_loaded, timeout=10000):
        settings.year_spin.setValue(2027)
    with qtbot.waitSignal(settings.settings_loaded, timeout=10000):
        settings.year_spin.setValue(2026)
    staff = settings.rows["min_staff"].editor
    assert isinstance(staff, QLineEdit)
    staff.selectAll()
    type_text(staff, "9")
    settings.rows["min_staff"].editor.textEdited.emit("9")
    assert settings.save_button.isEnabled()
    qtbot.mouseClick(settings.save_button, Qt.MouseButton.LeftButton)
    type_text(settings.save_dialog.note_edit, "依据申报通知")
    with qtbot.waitSignal(settings.version_saved, timeout=10000):
        qtbot.mouseClick(settings.save_dialog.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: rules.params_shown() == [("固定研究开发人员最少人数", "9", "人")], timeout=10000)
    qtbot.waitUntil(lambda: third.settings.min_staff == 9, timeout=10000)
    if ctx.db.path is not None:  # a server database is backed up by its administrator, not here
        with qtbot.waitSignal(settings.backup_done, timeout=20000):
            settings.backup()
    else:
        assert not settings.backup_button.isEnabled()
    settle(qtbot)
    QApplication.processEvents()
    assert ui_thread_statements == []
