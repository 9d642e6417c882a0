"""A clerk's day with the keyboard alone, on the real main window at 1366×768 (issue 12, "done
when"): filter the 中心 list, a new declaration with typed dates, a committee change saved with
Ctrl+S, and closing the window with an unsaved edit asks 保存 / 不保存 / 取消.

Every user action is a key pressed on the widget that has the focus (:mod:`tests.gui.keyboard`):
the test never clicks and never calls the page for what the clerk does; it only checks where the
focus went and what the program shows and stores. The question on closing is answered through the
patched ``QMessageBox.exec`` (:mod:`tests.gui.message_answers`); the year asked by 新建 and the
menu are answered with keys. No SQL runs on the UI thread meanwhile."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QListWidget, QMenu, QPlainTextEdit

from lzcenter_desktop.services import committees
from lzcenter_desktop.services import declarations as decl
from lzcenter_desktop.ui import ops
from lzcenter_desktop.ui.committees.page import CommitteesPage
from lzcenter_desktop.ui.declarations.page import DeclarationsPage
from lzcenter_desktop.ui.declarations.wizard import DeclarationWizard
from lzcenter_desktop.ui.main_window import MainWindow
from lzcenter_desktop.ui.models.centers import COL_NAME
from lzcenter_desktop.ui.pages.centers import CentersPage
from tests.gui.committee_centres import AS_OF, NAME, OTHER, add_two_centres
from tests.gui.keyboard import (
    ALT,
    CTRL,
    answer_modal,
    focused,
    press,
    tab_to,
    type_chinese,
    type_keys,
)
from tests.gui.message_answers import MessageAnswers
from tests.gui.ui_thread_db import ui_thread_statements

SCREEN = (1366, 768)
DIRECTION = "螺蛳粉风味保持与工业化生产"
CENTRE = "柳州螺蛳粉风味工程技术研究中心（柳州嘉铖食品科技有限公司）"


@pytest.fixture
def centres(ctx: Any, examples_dir: Path) -> Any:
    """Two recognised centres, the first with the public example's committees."""
    return add_two_centres(ctx, examples_dir)


@pytest.fixture
def ui_sql(centres: Any) -> Iterator[list[str]]:
    with ui_thread_statements(centres.db.engine) as seen:
        yield seen


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> MessageAnswers:
    return MessageAnswers(monkeypatch)


@pytest.fixture
def window(qtbot: Any, centres: Any) -> Iterator[MainWindow]:
    """The main window at 1366×768, active. Closed here: every edit is discarded first, so closing
    asks nothing even when a test failed half-way."""
    w = MainWindow(centres)
    w.resize(*SCREEN)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
    yield w
    for page in w.pages.values():
        page.discard_changes()
    page = w.pages.get("申报")
    for wizard in page.wizards if isinstance(page, DeclarationsPage) else []:
        wizard.close()
    ops.wait_for_writes()
    w.close()
    w.deleteLater()


def fits_the_screen(window: MainWindow) -> None:
    """The window is still 1366×768: no page built so far asks for more."""
    hint = window.minimumSizeHint()
    assert hint.width() <= SCREEN[0] and hint.height() <= SCREEN[1], hint
    assert (window.width(), window.height()) == SCREEN


def visible_names(page: CentersPage) -> list[str]:
    return [page.proxy.index(r, COL_NAME).data() for r in range(page.proxy.rowCount())]


# -- 1. 中心: filter the list ----------------------------------------------------------------------


def filter_the_centres(qtbot: Any, window: MainWindow) -> None:
    press(qtbot, Qt.Key.Key_1, CTRL)
    page = window.centers_page
    assert window.current_section() == "中心"
    # the whole list, not only its first rows (on a server database those come first)
    qtbot.waitUntil(lambda: not page.loading and page.proxy.total_count() == 2, timeout=10000)
    press(qtbot, Qt.Key.Key_F, CTRL)  # 编辑 → 查找中心
    assert focused() is page.filter_edit
    type_chinese("螺蛳粉")
    qtbot.waitUntil(lambda: page.proxy.rowCount() == 1)
    assert visible_names(page) == [OTHER]
    assert window.count_label.text() == "共 2 个中心，显示 1 个"
    # Tab on past 县区, 产业, 状态 to the list; ↓ picks the one row, Enter opens it
    assert tab_to(qtbot, page.table) == 4
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.detail.detail is not None, timeout=10000)
    assert page.detail.title_label.text() == OTHER
    press(qtbot, Qt.Key.Key_Escape)  # every filter off
    qtbot.waitUntil(lambda: page.proxy.rowCount() == 2)
    assert page.filter_edit.text() == ""
    assert sorted(visible_names(page)) == sorted([NAME, OTHER])


def test_filtering_the_centre_list(qtbot: Any, window: MainWindow, ui_sql: list[str]) -> None:
    filter_the_centres(qtbot, window)
    fits_the_screen(window)
    assert ui_sql == []


# -- 2. 申报: a new declaration with typed dates ------------------------------------------------------


def new_declaration(qtbot: Any, window: MainWindow) -> DeclarationWizard:
    press(qtbot, Qt.Key.Key_2, CTRL)
    page = window.declarations_page
    assert isinstance(page, DeclarationsPage) and window.current_section() == "申报"
    qtbot.waitUntil(lambda: not page.loading, timeout=10000)
    # 新建(&N) (Alt+N from wherever the keyboard is in the window) asks the year (a modal spin
    # box): typed over, Enter
    asked = answer_modal(
        qtbot, (Qt.Key.Key_A, CTRL), "2026", (Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier)
    )
    with qtbot.waitSignal(page.wizard_opened, timeout=10000) as opened:
        press(qtbot, Qt.Key.Key_N, ALT)
    assert asked == ["新建申报书"]
    wizard = opened.args[0]
    assert isinstance(wizard, DeclarationWizard) and wizard.call_year == 2026
    qtbot.waitUntil(lambda: QApplication.activeWindow() is wizard)
    return wizard


def fill_the_first_page(qtbot: Any, wizard: DeclarationWizard) -> None:
    """申报日期 → 中心名称 → 英文名称 → 研发方向 → 重点产业领域 → 研发机构成立日期, with Tab only."""
    first = wizard.page_for("center")
    assert wizard.currentPage() is first
    # the keyboard starts in the page's first field: 申报日期, typed as clerks type a date
    assert focused() is wizard.editor("application_date").focus_widget()
    type_keys(qtbot, "2026/5/20")
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is wizard.editor("center.name_zh").focus_widget()
    assert wizard.editor("application_date").focus_widget().property("text") == "2026-05-20"
    type_chinese(CENTRE)
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is wizard.editor("center.name_en").focus_widget()
    type_keys(qtbot, "Liuzhou Luosifen Flavour Research Center of Engineering Technology")
    press(qtbot, Qt.Key.Key_Tab)
    assert isinstance(focused(), QPlainTextEdit)
    assert focused() is wizard.editor("center.research_direction").focus_widget()
    type_chinese(DIRECTION)
    press(qtbot, Qt.Key.Key_Tab)  # Tab leaves the multi-line field (it does not type a tab)
    industries = focused()
    assert isinstance(industries, QListWidget)
    assert industries is wizard.editor("center.industry_fields").focus_widget()
    press(qtbot, Qt.Key.Key_Space)  # the first industry ticked with the space bar
    first_industry = industries.item(0).data(Qt.ItemDataRole.UserRole)
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is wizard.editor("center.rd_org_established").focus_widget()
    type_keys(qtbot, "20150301")
    # Enter finishes the date; it does not turn the page
    press(qtbot, Qt.Key.Key_Return)
    assert wizard.currentPage() is first
    assert focused().property("text") == "2015-03-01"
    assert wizard.document["application_date"] == "2026-05-20"
    assert wizard.document["center"]["name_zh"] == CENTRE
    assert wizard.document["center"]["research_direction"] == DIRECTION
    assert wizard.document["center"]["industry_fields"] == [first_industry]
    assert wizard.document["center"]["rd_org_established"] == "2015-03-01"


def test_a_new_declaration_with_typed_dates(
    qtbot: Any, centres: Any, window: MainWindow, ui_sql: list[str]
) -> None:
    before = len(decl.list_declarations(centres))
    wizard = new_declaration(qtbot, window)
    fill_the_first_page(qtbot, wizard)
    # Ctrl+Enter turns the page; the keyboard goes on in its first field
    press(qtbot, Qt.Key.Key_Return, CTRL)
    assert wizard.currentPage() is wizard.page_for("host")
    assert focused() is wizard.editor("host.name").focus_widget()
    assert isinstance(focused(), QLineEdit)
    type_chinese("柳州嘉铖食品科技有限公司")
    # Esc closes the wizard; what was typed is stored (it saves by itself)
    press(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not wizard.isVisible(), timeout=10000)
    assert ops.wait_for_writes()
    qtbot.waitUntil(lambda: not wizard.has_unsaved_changes(), timeout=10000)
    did = wizard.declaration_id
    assert did is not None
    data = decl.get_declaration(centres, did).data
    assert data["application_date"] == "2026-05-20"
    assert data["center"]["rd_org_established"] == "2015-03-01"
    assert data["center"]["name_zh"] == CENTRE
    assert data["host"]["name"] == "柳州嘉铖食品科技有限公司"
    assert len(decl.list_declarations(centres)) == before + 1
    # back in the main window (the window manager activates the wizard's owner; the offscreen
    # platform has none), the keyboard works there: Ctrl+1 goes to 中心
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    press(qtbot, Qt.Key.Key_1, CTRL)
    assert window.current_section() == "中心"
    fits_the_screen(window)
    assert ui_sql == []


# -- 3. 委员会: a change saved with Ctrl+S ------------------------------------------------------------


def open_committees(qtbot: Any, window: MainWindow) -> CommitteesPage:
    press(qtbot, Qt.Key.Key_4, CTRL)
    page = window.committees_page
    assert isinstance(page, CommitteesPage) and window.current_section() == "委员会"
    page.as_of = AS_OF  # the figures of the example's day (set before the record arrives)
    qtbot.waitUntil(lambda: page.doc is not None and not page.busy, timeout=20000)
    assert page.doc is not None
    page.doc.as_of = AS_OF
    page.doc.reset(page.doc.value)
    return page


def retype_the_term_end(qtbot: Any, page: CommitteesPage, typed: str) -> None:
    """Tab from wherever the keyboard is to 任期结束日期 and type ``typed`` over it."""
    experts = page.experts
    assert experts is not None and page.tabs.currentWidget() is experts
    tab_to(qtbot, experts.end.line)
    press(qtbot, Qt.Key.Key_A, CTRL)
    type_keys(qtbot, typed)


def test_a_committee_change_saved_with_ctrl_s(
    qtbot: Any, centres: Any, window: MainWindow, ui_sql: list[str]
) -> None:
    page = open_committees(qtbot, window)
    assert page.center_id == centres.first
    retype_the_term_end(qtbot, page, "2028/12/30")
    # Ctrl+S inside the date takes it; the reason is required: the keyboard is put there
    press(qtbot, Qt.Key.Key_S, CTRL)
    assert page.doc is not None and page.doc.value.expert_committee_terms[1].end == date(2028, 12, 30)
    assert page.message.text() == "修改原因：请填写本次修改的原因后再保存"
    assert focused() is page.reason
    type_chinese("更正任期结束日期")
    press(qtbot, Qt.Key.Key_S, CTRL)  # 文件 → 保存: waits for the write
    assert page.last_save_ok and not page.is_dirty()
    assert page.message.text().startswith("已保存（原因：更正任期结束日期）")
    stored = committees.load_committees(centres, center_id=centres.first)
    assert stored.expert_committee_terms[1].end == date(2028, 12, 30)
    # Ctrl+S again: nothing to save, and the status bar says so
    press(qtbot, Qt.Key.Key_S, CTRL)
    assert window.statusBar().currentMessage() == "没有需要保存的修改。"
    fits_the_screen(window)
    assert ui_sql == []


# -- 4. closing with an unsaved edit asks -----------------------------------------------------------


def quit_from_the_menu(qtbot: Any, window: MainWindow) -> None:
    """Alt+F opens 文件, X is 退出 (Alt+F4 cannot be delivered to an offscreen window)."""
    press(qtbot, Qt.Key.Key_F, ALT)
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu))
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu) and menu.title() == "文件(&F)"
    press(qtbot, Qt.Key.Key_X)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is None)


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_closing_with_an_unsaved_committee_edit_asks(
    qtbot: Any, centres: Any, window: MainWindow, answers: MessageAnswers, ui_sql: list[str]
) -> None:
    filter_the_centres(qtbot, window)
    page = open_committees(qtbot, window)
    retype_the_term_end(qtbot, page, "2029/1/31")
    press(qtbot, Qt.Key.Key_Tab)  # Tab takes the date into the record: one unsaved edit
    assert page.is_dirty()
    # 取消: the window stays, on the page with the edit, the edit kept
    answers.queue("取消")
    quit_from_the_menu(qtbot, window)
    [asked] = answers.asked
    assert asked.title == "有未保存的修改"
    assert asked.text == f"以下内容有未保存的修改：\n\n· 委员会：{page.centre_box.currentText()}的委员会记录"
    assert asked.informative == "关闭前要保存这些修改吗？"
    assert sorted(asked.buttons) == sorted(["保存(&S)", "不保存(&N)", "取消"])
    assert asked.default == "保存(&S)" and asked.escape == "取消"
    assert window.isVisible() and window.current_section() == "委员会"
    assert page.is_dirty() and page.doc is not None
    assert page.doc.value.expert_committee_terms[1].end == date(2029, 1, 31)
    # 不保存: the window closes and the record is as it was stored
    answers.queue("不保存(&N)")
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    quit_from_the_menu(qtbot, window)
    assert len(answers.asked) == 2
    qtbot.waitUntil(lambda: not window.isVisible())
    stored = committees.load_committees(centres, center_id=centres.first)
    assert stored.expert_committee_terms[1].end == date(2028, 12, 31)
    assert ui_sql == []
