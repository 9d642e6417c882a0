"""The 评审 page: it is the 评审 section of the main window, fits the office screen, reads and writes
off the UI thread, and creates and edits the annual call and the review sessions through its
dialogs (the result checked in the database)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from lzcenter_desktop.services.review import calls, panels
from lzcenter_desktop.ui.main_window import MainWindow
from lzcenter_desktop.ui.review.call_dialogs import CallDialog, SessionDialog
from lzcenter_desktop.ui.review.page import ReviewPage
from tests.gui.review_gui import (
    closed,
    dialog_error,
    fill,
    press_escape,
    settle,
    shown_page,
    submit,
    type_date,
)
from tests.gui.ui_thread_db import ui_thread_statements
from tests.review_fixtures import make_call

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture
def ui_sql(ctx: Any) -> Iterator[list[str]]:
    with ui_thread_statements(ctx.db.engine) as seen:
        yield seen


def test_the_review_section_is_the_review_page(qtbot: Any, ctx: Any) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show_section("评审")
    page = window.stack.currentWidget()
    assert isinstance(page, ReviewPage)
    settle(qtbot, page)
    assert [page.tabs.tabText(i) for i in range(page.tabs.count())] == [
        "形式审查",
        "专家库",
        "分组与抽取",
        "专家评分",
        "现场考察",
        "汇总排名",
        "公示",
        "认定",
    ]
    window.close()


def test_the_page_fits_a_1366_by_768_screen(qtbot: Any, ctx: Any) -> None:
    make_call(ctx)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show_section("评审")
    page = window.stack.currentWidget()
    assert isinstance(page, ReviewPage)
    settle(qtbot, page)
    for tab in page.tab_list:
        page.show_tab(tab)
        settle(qtbot, page)
        assert page.minimumSizeHint().width() <= 1100, tab.title
        assert window.minimumSizeHint().width() <= 1280, tab.title
        assert window.minimumSizeHint().height() <= 720, tab.title
    window.resize(1366, 768)
    QApplication.processEvents()
    assert not page.session_bar.isVisible()  # the last tab (认定) needs no session: the bar hides
    window.close()


def test_a_new_call_is_created_through_its_dialog(qtbot: Any, ctx: Any, ui_sql: list[str]) -> None:
    page = shown_page(qtbot, ctx, today=dt.date(2026, 2, 1))
    assert "还没有年度申报通知" in page.call_info.text()
    assert not page.edit_call_button.isEnabled()
    page.new_call_button.click()
    dialog = page.dialog
    assert isinstance(dialog, CallDialog)
    settle(qtbot, page)
    assert dialog.year.value() == 2026
    assert dialog.title.text() == "2026年度柳州市工程技术研究中心建设申报通知"
    assert dialog.sheet.text() == "2026.1"  # the version of forms/review-2026.toml
    fill(dialog.document_no, "柳科发〔2026〕8号")
    type_date(dialog.published_on, dt.date(2026, 3, 1))
    type_date(dialog.deadline, dt.date(2026, 2, 27))  # before the publication: refused
    submit(qtbot, page, dialog)
    assert "早于发布日期" in dialog_error(dialog)
    assert calls.call_for_year(ctx, 2026) is None
    type_date(dialog.deadline, dt.date(2026, 6, 30))
    submit(qtbot, page, dialog)
    stored = calls.call_for_year(ctx, 2026)
    assert stored is not None
    assert (stored.document_no, stored.published_on, stored.deadline) == (
        "柳科发〔2026〕8号",
        dt.date(2026, 3, 1),
        dt.date(2026, 6, 30),
    )
    assert stored.score_sheet_version == "2026.1"
    assert page.call_id == stored.id
    assert page.call_box.currentText() == stored.title
    assert "柳科发〔2026〕8号" in page.call_info.text()
    assert ui_sql == []


def test_a_second_call_of_the_same_year_is_refused_in_chinese(qtbot: Any, ctx: Any) -> None:
    make_call(ctx)
    page = shown_page(qtbot, ctx, today=dt.date(2025, 12, 1))
    page.new_call_button.click()
    dialog = page.dialog
    assert isinstance(dialog, CallDialog)
    dialog.year.setValue(2026)
    submit(qtbot, page, dialog)
    assert "2026 年度已有申报通知" in dialog_error(dialog)
    assert len(calls.list_calls(ctx)) == 1


def test_editing_the_call_changes_only_what_was_typed(qtbot: Any, ctx: Any) -> None:
    call_id = make_call(ctx)
    page = shown_page(qtbot, ctx)
    page.edit_call_button.click()
    dialog = page.dialog
    assert isinstance(dialog, CallDialog)
    assert not dialog.year.isEnabled()  # the year of a call never changes
    fill(dialog.document_no, "柳科发〔2026〕9号")
    dialog.status.setCurrentIndex(dialog.status.findData("closed"))
    submit(qtbot, page, dialog)
    stored = calls.get_call(ctx, call_id)
    assert (stored.document_no, stored.status) == ("柳科发〔2026〕9号", "closed")
    assert stored.deadline == dt.date(2026, 6, 30)
    assert "已截止" in page.call_info.text()


def test_ctrl_s_in_a_dialog_saves(qtbot: Any, ctx: Any) -> None:
    from PySide6.QtCore import Qt

    page = shown_page(qtbot, ctx, today=dt.date(2026, 2, 1))
    page.new_call_button.click()
    dialog = page.dialog
    assert isinstance(dialog, CallDialog)
    settle(qtbot, page)
    dialog.document_no.setFocus()
    qtbot.keyClick(dialog.document_no, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, page)
    assert closed(dialog)
    assert calls.call_for_year(ctx, 2026) is not None


def test_escape_closes_a_dialog_without_writing(qtbot: Any, ctx: Any) -> None:
    page = shown_page(qtbot, ctx)
    page.new_call_button.click()
    dialog = page.dialog
    assert isinstance(dialog, CallDialog) and dialog.isVisible()
    press_escape(qtbot, dialog)
    assert closed(dialog)
    settle(qtbot, page)
    assert calls.list_calls(ctx) == []


def test_a_session_is_created_and_shown_on_the_session_tabs(qtbot: Any, ctx: Any, ui_sql: list[str]) -> None:
    call_id = make_call(ctx)
    page = shown_page(qtbot, ctx, today=dt.date(2026, 9, 1))
    assert not page.session_bar.isVisible()  # 形式审查 works on the call
    page.show_tab(page.panels)
    settle(qtbot, page)
    assert page.session_bar.isVisible()
    assert "还没有评审会" in page.session_info.text()
    page.new_session_button.click()
    dialog = page.dialog
    assert isinstance(dialog, SessionDialog)
    fill(dialog.title, "2026年度第一次评审会")
    type_date(dialog.held_on, dt.date(2026, 9, 15))
    dialog.aggregation.setCurrentIndex(dialog.aggregation.findData("trimmed_mean"))
    type_date(dialog.deadline, dt.date(2026, 9, 20))
    submit(qtbot, page, dialog)
    [session] = panels.list_sessions(ctx, call_id=call_id)
    assert (session.title, session.held_on, session.aggregation, session.score_deadline) == (
        "2026年度第一次评审会",
        dt.date(2026, 9, 15),
        "trimmed_mean",
        dt.date(2026, 9, 20),
    )
    assert page.session_id == session.id
    assert "去掉一个最高分和一个最低分后平均" in page.session_info.text()
    assert ui_sql == []


def test_the_page_follows_changes_made_elsewhere(qtbot: Any, ctx: Any) -> None:
    from lzcenter_desktop.ui import ops

    page = shown_page(qtbot, ctx)
    assert page.call_box.count() == 0
    make_call(ctx)  # another page (or the command line) wrote it
    ops.hub().notify({"review"})
    settle(qtbot, page)
    assert page.call_box.count() == 1
