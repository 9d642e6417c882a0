"""The wizard's autosave never blocks typing (issue 11 item 1): saves run on the write thread, one at
a time; while one is running only the latest document is remembered and saved next; the status says
正在保存… / 已自动保存 / why not; closing waits for what is pending and asks when it cannot be saved."""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QPlainTextEdit

from lzcenter_desktop.services import declarations as d
from lzcenter_desktop.services.context import open_app
from lzcenter_desktop.storage.errors import DatabaseReadOnly
from lzcenter_desktop.ui.declarations.page import DeclarationsPage
from lzcenter_desktop.ui.declarations.wizard import DeclarationWizard
from tests.helpers import type_text

SHOTS = Path(os.environ.get("LZCENTER_TEAM_SHOTS", "/tmp/team/shots"))


@pytest.fixture(autouse=True)
def fonts(qapp: QApplication) -> None:
    from lzcenter_desktop.ui.fonts import register_application_fonts

    register_application_fonts(qapp)


def open_from_page(qtbot: Any, ctx: Any, declaration_id: int) -> DeclarationWizard:
    page = DeclarationsPage(ctx)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.wizard_opened, timeout=10000) as blocker:
        page.open_wizard(declaration_id)
    wizard = blocker.args[0]
    qtbot.addWidget(wizard)
    return wizard


def field_at_end(wizard: DeclarationWizard) -> QPlainTextEdit:
    """The 研究方向 field, its cursor after the text (where the clerk goes on typing)."""
    field = wizard.editor("center.research_direction").input
    assert isinstance(field, QPlainTextEdit)
    field.moveCursor(field.textCursor().MoveOperation.End)
    return field


def direction(ctx: Any, did: int) -> str:
    return str(d.get_declaration(ctx, did).data["center"]["research_direction"])


class Saves:
    """Records the document of every save the write thread starts."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.directions: list[str] = []
        self.threads: set[int] = set()
        real = d.save_draft

        def recording(ctx: Any, *, declaration_id: int, data: Any, **kw: Any) -> None:
            self.threads.add(threading.get_ident())
            self.directions.append(data["center"]["research_direction"])
            real(ctx, declaration_id=declaration_id, data=data, **kw)

        monkeypatch.setattr(d, "save_draft", recording)


@pytest.mark.sqlite_only  # holds the SQLite file's write lock with raw sqlite3 (BEGIN IMMEDIATE)
def test_typing_goes_on_while_another_connection_holds_the_write_lock(
    qtbot: Any, ctx: Any, example: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    did = d.import_declaration_data(ctx, data=example).declaration_id
    wizard = open_from_page(qtbot, ctx, did)
    wizard.resize(1366, 768)
    wizard.show()
    saves = Saves(monkeypatch)
    field = field_at_end(wizard)
    before = direction(ctx, did)

    lock = sqlite3.connect(str(ctx.db.path), isolation_level=None, timeout=0)
    lock.execute("BEGIN IMMEDIATE")  # another program now holds the database's write lock
    try:
        ticks: list[int] = []
        ticker = QTimer()
        ticker.timeout.connect(lambda: ticks.append(1))
        ticker.start(5)
        for ch in "与液压系统":
            type_text(field, ch)  # returns: the keystroke did not wait for the database
        assert field.toPlainText() == before + "与液压系统"
        assert wizard.editor("center.research_direction").value() == before + "与液压系统"
        qtbot.waitUntil(lambda: len(saves.directions) == 1, timeout=5000)  # the first save is waiting
        assert wizard.save_status == "正在保存…" and wizard.has_unsaved_changes()
        seen = len(ticks)
        qtbot.waitUntil(lambda: len(ticks) >= seen + 5, timeout=5000)  # the event loop keeps running
        assert direction(ctx, did) == before  # nothing could be written yet
        SHOTS.mkdir(parents=True, exist_ok=True)
        QApplication.processEvents()
        assert wizard.grab().save(str(SHOTS / "wizard-locked.png"))
        ticker.stop()
    finally:
        lock.execute("ROLLBACK")
        lock.close()
    qtbot.waitUntil(lambda: direction(ctx, did) == field.toPlainText(), timeout=15000)
    qtbot.waitUntil(lambda: wizard.save_status == "已自动保存", timeout=5000)
    assert not wizard.has_unsaved_changes()
    # while the first save waited, only the latest document was remembered: nothing in between
    assert set(saves.directions) <= {before + "与", before + "与液压系统"}
    assert saves.directions[-1] == before + "与液压系统"
    assert threading.get_ident() not in saves.threads


@pytest.mark.sqlite_only  # the SQLite file's write lock (raw sqlite3) and its busy timeout
def test_a_save_refused_by_a_busy_database_says_so_in_chinese_and_is_tried_again(
    qtbot: Any, tmp_path: Path, example: dict[str, Any]
) -> None:
    ctx = open_app(str(tmp_path / "busy.sqlite"), busy_timeout_ms=50)
    try:
        did = d.import_declaration_data(ctx, data=example).declaration_id
        wizard = open_from_page(qtbot, ctx, did)
        field = wizard.editor("center.research_direction").input
        assert isinstance(field, QPlainTextEdit)
        lock = sqlite3.connect(str(ctx.db.path), isolation_level=None, timeout=0)
        lock.execute("BEGIN IMMEDIATE")
        try:
            type_text(field, "甲")
            qtbot.waitUntil(lambda: "未能保存" in wizard.save_status, timeout=10000)
            assert "数据库正被占用" in wizard.save_status and "自动重试" in wizard.save_status
            assert wizard.has_unsaved_changes()
        finally:
            lock.execute("ROLLBACK")
            lock.close()
        qtbot.waitUntil(lambda: wizard.save_status == "已自动保存", timeout=10000)  # tried again by itself
        assert direction(ctx, did) == field.toPlainText()
        wizard.close()
    finally:
        ctx.db.dispose()


def test_only_the_latest_document_waits_while_a_save_runs(
    qtbot: Any, ctx: Any, example: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    did = d.import_declaration_data(ctx, data=example).declaration_id
    wizard = DeclarationWizard(ctx, did)
    qtbot.addWidget(wizard)
    gate = threading.Event()
    started: list[str] = []
    real = d.save_draft

    def gated(ctx: Any, *, declaration_id: int, data: Any, **kw: Any) -> None:
        started.append(data["center"]["research_direction"])
        assert gate.wait(10)
        real(ctx, declaration_id=declaration_id, data=data, **kw)

    monkeypatch.setattr(d, "save_draft", gated)
    field = field_at_end(wizard)
    base = field.toPlainText()
    type_text(field, "一")
    qtbot.waitUntil(lambda: started == [base + "一"], timeout=5000)
    for ch in "二三四":
        type_text(field, ch)
    QApplication.processEvents()
    assert started == [base + "一"]  # no second save queued behind the running one
    gate.set()
    qtbot.waitUntil(lambda: wizard.save_status == "已自动保存", timeout=10000)
    assert started == [base + "一", base + "一二三四"]
    assert direction(ctx, did) == base + "一二三四"


def test_closing_waits_for_the_pending_change(qtbot: Any, ctx: Any, example: dict[str, Any]) -> None:
    did = d.import_declaration_data(ctx, data=example).declaration_id
    wizard = DeclarationWizard(ctx, did, save_delay_ms=600_000)  # the pause never ends in this test
    qtbot.addWidget(wizard)
    wizard.show()
    type_text(field_at_end(wizard), "乙")
    assert wizard.has_unsaved_changes()
    wizard.close()
    assert not wizard.isVisible()
    assert direction(ctx, did).endswith("乙")  # written before close() returned


def test_closing_with_a_change_that_cannot_be_saved_asks_first(
    qtbot: Any, ctx: Any, example: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    did = d.import_declaration_data(ctx, data=example).declaration_id
    wizard = DeclarationWizard(ctx, did)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.confirm_discard = lambda why: True  # never a real question box in a test

    def refuse(*_a: Any, **_k: Any) -> None:
        raise DatabaseReadOnly("数据库文件是只读的，修改未保存。请检查文件属性或换一个可写的位置。")

    monkeypatch.setattr(d, "save_draft", refuse)
    type_text(field_at_end(wizard), "丙")
    qtbot.waitUntil(lambda: "未能保存" in wizard.save_status, timeout=10000)
    assert "数据库只读" in wizard.save_status
    asked: list[str] = []
    wizard.confirm_discard = lambda why: asked.append(why) is None and False  # 返回
    wizard.close()
    assert wizard.isVisible() and wizard.has_unsaved_changes()
    assert asked and "数据库只读" in asked[0]
    wizard.confirm_discard = lambda why: True  # 关闭并放弃修改
    wizard.close()
    assert not wizard.isVisible()
    assert not direction(ctx, did).endswith("丙")


def test_has_unsaved_changes_is_honest_and_the_main_window_asks_only_about_what_failed(
    qtbot: Any, ctx: Any, example: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    did = d.import_declaration_data(ctx, data=example).declaration_id
    page = DeclarationsPage(ctx)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.wizard_opened, timeout=10000) as blocker:
        page.open_wizard(did)
    wizard = blocker.args[0]
    qtbot.addWidget(wizard)
    wizard.confirm_discard = lambda why: pytest.fail(f"asked again: {why}")
    assert not wizard.has_unsaved_changes() and page.unsaved_changes() is None
    type_text(field_at_end(wizard), "丁")
    assert wizard.has_unsaved_changes()  # typed, not yet written
    # closing the main window: a change on its way is written first, nothing to ask about
    assert page.unsaved_changes() is None
    assert not wizard.has_unsaved_changes() and direction(ctx, did).endswith("丁")

    def refuse(*_a: Any, **_k: Any) -> None:
        raise DatabaseReadOnly("数据库文件是只读的，修改未保存。")

    monkeypatch.setattr(d, "save_draft", refuse)
    type_text(field_at_end(wizard), "戊")
    what = page.unsaved_changes()  # this one cannot be written: named, with why
    assert what is not None and what.startswith(f"申报：第 {did} 号申报书的最近修改（未能保存：数据库只读")
    assert not page.save_changes() and wizard.has_unsaved_changes()
    page.discard_changes()  # 不保存
    wizard.close()  # closes without asking again
    assert not wizard.isVisible() and not direction(ctx, did).endswith("戊")
