"""Switching sections with unsaved changes asks 保存 / 不保存 / 取消, naming what is unsaved
(issue 12 item 4). The question box is answered through a patched ``QMessageBox.exec``: no modal
ever blocks a test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from lzcenter_desktop.ui.main_window import SECTIONS, MainWindow
from lzcenter_desktop.ui.pages.base import Page, PageSpec
from lzcenter_desktop.ui.pages.settings import SettingsPage
from tests.gui.message_answers import MessageAnswers


class EditingPage(Page):
    """A page with one unsaved change whose save succeeds or fails as the test says."""

    def __init__(self, *, save_ok: bool = True) -> None:
        super().__init__()
        self.dirty = True
        self.save_ok = save_ok
        self.saved = 0
        self.discarded = 0

    def unsaved_changes(self) -> str | None:
        return "规则：测试用的修改" if self.dirty else None

    def save_changes(self) -> bool:
        self.saved += 1
        if self.save_ok:
            self.dirty = False
        return self.save_ok

    def discard_changes(self) -> None:
        self.discarded += 1
        self.dirty = False


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> MessageAnswers:
    return MessageAnswers(monkeypatch)


@pytest.fixture
def window(qtbot, ctx) -> Iterator[MainWindow]:
    w = MainWindow(ctx)  # closed here, not by qtbot: first every edit is discarded, so that
    w.show()  # closing asks nothing even when a test failed half-way
    qtbot.waitExposed(w)
    yield w
    for page in w.pages.values():
        page.discard_changes()
    w.close()
    w.deleteLater()


def on_editing_page(window: MainWindow, page: EditingPage) -> EditingPage:
    """Put ``page`` in the place of 规则 and go there."""
    window._specs["规则"] = PageSpec("规则", lambda _ctx: page, 8)
    window.show_section("规则")
    assert window.stack.currentWidget() is page
    return page


def assert_stays(window: MainWindow, section: str, page: Page) -> None:
    assert window.current_section() == section
    assert window.nav.currentRow() == SECTIONS.index(section)  # the navigation went back too
    assert window.stack.currentWidget() is page


def dirty_settings(qtbot, window: MainWindow) -> SettingsPage:
    window.show_section("设置")
    page = window.settings_page
    qtbot.waitUntil(lambda: page.saved is not None)
    line = page.rows["min_staff"].editor
    line.setFocus()
    line.selectAll()
    qtbot.keyClicks(line, "9")
    assert page.is_dirty()
    return page


def test_nothing_unsaved_switches_without_asking(window: MainWindow, answers: MessageAnswers) -> None:
    window.show_section("设置")
    window.show_section("规则")
    window.show_section("中心")
    assert window.current_section() == "中心"
    assert answers.asked == []


def test_cancel_keeps_the_clerk_on_the_page_with_the_edits(
    qtbot, window: MainWindow, answers: MessageAnswers
) -> None:
    page = dirty_settings(qtbot, window)
    answers.queue("取消")
    assert window.show_section("中心") is False
    assert_stays(window, "设置", page)
    assert page.is_dirty() and page.rows["min_staff"].text() == "9"
    [asked] = answers.asked
    assert asked.title == "有未保存的修改"
    assert f"设置：{page.year()} 年度的规则参数" in asked.text  # names what is unsaved
    assert asked.informative == "切换到“中心”前要保存这些修改吗？"
    assert sorted(asked.buttons) == sorted(["保存(&S)", "不保存(&N)", "取消"])
    assert asked.default == "保存(&S)"
    assert asked.escape == "取消"  # Esc is 取消
    assert "中心" not in window.pages or window.stack.currentWidget() is not window.pages["中心"]
    page.discard_changes()


def test_cancel_after_a_keyboard_switch_puts_the_navigation_back(
    qtbot, window: MainWindow, answers: MessageAnswers
) -> None:
    page = dirty_settings(qtbot, window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    answers.queue("取消")
    qtbot.keyClick(window.nav, Qt.Key.Key_8, Qt.KeyboardModifier.ControlModifier)  # to 规则
    assert_stays(window, "设置", page)
    assert len(answers.asked) == 1
    page.discard_changes()


def test_discard_forgets_the_edits_then_switches(qtbot, window: MainWindow, answers: MessageAnswers) -> None:
    page = dirty_settings(qtbot, window)
    answers.queue("不保存(&N)")
    assert window.show_section("中心") is True
    assert window.current_section() == "中心"
    assert window.stack.currentWidget() is window.centers_page
    assert not page.is_dirty()
    assert page.rows["min_staff"].text() == "8"  # the saved value again
    assert len(answers.asked) == 1


def test_save_saves_then_switches(window: MainWindow, answers: MessageAnswers) -> None:
    page = on_editing_page(window, EditingPage())
    answers.queue("保存(&S)")
    assert window.show_section("设置") is True
    assert page.saved == 1 and page.discarded == 0
    assert window.current_section() == "设置"
    assert window.stack.currentWidget() is window.settings_page
    assert "规则：测试用的修改" in answers.asked[0].text


def test_a_save_that_fails_keeps_the_clerk_on_the_page(window: MainWindow, answers: MessageAnswers) -> None:
    page = on_editing_page(window, EditingPage(save_ok=False))
    answers.queue("保存(&S)")
    assert window.show_section("中心") is False
    assert page.saved == 1
    assert_stays(window, "规则", page)
    page.dirty = False


def test_saving_settings_opens_its_save_dialog_and_stays(
    qtbot, window: MainWindow, answers: MessageAnswers
) -> None:
    """A rule set needs a note: 保存 opens the dialog that asks for it; the clerk stays on 设置."""
    page = dirty_settings(qtbot, window)
    answers.queue("保存(&S)")
    window.show_section("中心")
    assert_stays(window, "设置", page)
    assert page.save_dialog is not None and page.save_dialog.isVisible()
    page.save_dialog.reject()
    page.discard_changes()


def test_each_answer_is_asked_again_on_the_next_switch(window: MainWindow, answers: MessageAnswers) -> None:
    page = on_editing_page(window, EditingPage())
    answers.queue("取消", "取消")
    window.show_section("中心")
    window.show_section("文档")
    assert len(answers.asked) == 2
    assert "切换到“文档”前" in answers.asked[1].informative
    answers.queue("不保存(&N)")
    window.show_section("中心")
    assert page.discarded == 1 and window.current_section() == "中心"
    window.show_section("规则")
    window.show_section("中心")  # clean now: no question
    assert len(answers.asked) == 3


def test_ctrl_f_from_a_page_that_stays_does_not_jump_to_the_filter(
    window: MainWindow, answers: MessageAnswers
) -> None:
    page = on_editing_page(window, EditingPage())
    answers.queue("取消")
    window.focus_center_filter()
    assert_stays(window, "规则", page)
    page.dirty = False
