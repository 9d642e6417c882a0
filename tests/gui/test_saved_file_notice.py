"""After a document or an export is saved, the clerk is offered 打开文件 and 打开所在文件夹
(ui/saved_notice.py, issue 16 item 5): in the main window's status bar, or at the bottom of a window
without one (the 审计日志 dialog, a page shown on its own) — never a modal box. The opener is
replaced here, so the test sees the path it would open and no program starts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox, QPushButton, QVBoxLayout, QWidget

from lzcenter_desktop.services.evaluation import results
from lzcenter_desktop.ui import saved_notice
from lzcenter_desktop.ui.document_save import save_document_as
from lzcenter_desktop.ui.main_window import MainWindow
from lzcenter_desktop.ui.saved_notice import SavedFileNotice, announce_saved
from tests.evaluation_records import GRADED_ON
from tests.gui.evaluation_gui import open_tab, round_with_centres, score_all, shown_page
from tests.gui.review_gui import settle

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """What would have been opened with its default program (in order)."""
    seen: list[Path] = []

    def fake(path: Path) -> bool:
        seen.append(Path(path))
        return True

    monkeypatch.setattr(saved_notice, "opener", fake)
    return seen


def no_message_box() -> bool:
    from PySide6.QtWidgets import QApplication

    return not any(isinstance(w, QMessageBox) and w.isVisible() for w in QApplication.topLevelWidgets())


class FakeTab(QWidget):
    """What save_document_as needs of a tab: ``write`` (run here, at once) and ``show_message``."""

    def __init__(self) -> None:
        super().__init__()
        self.messages: list[str] = []
        QVBoxLayout(self)

    def write(self, fn: Any, *, done: Any, kinds: Any, busy: str) -> None:
        done(fn())

    def show_message(self, text: str) -> None:
        self.messages.append(text)


class Made:
    def __init__(self, path: Path) -> None:
        self.path = path

    def text(self) -> str:
        return f"已生成：{self.path}"


def main_window_with_tab(qtbot: Any) -> tuple[QMainWindow, FakeTab]:
    window = QMainWindow()
    qtbot.addWidget(window)
    tab = FakeTab()
    window.setCentralWidget(tab)
    window.statusBar()  # made before the window is shown, as the main window's is
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    return window, tab


def save_through_the_common_path(monkeypatch: pytest.MonkeyPatch, tab: Any, target: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(target.with_suffix("")), ""))

    def make(path: Path) -> Made:
        path.write_bytes(b"%PDF-1.7\n")
        return Made(path)

    save_document_as(tab, what="整改通知", suggested="整改通知.pdf", suffix=".pdf", make=make)


def test_a_document_saved_offers_to_open_it_in_the_status_bar(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, opened: list[Path]
) -> None:
    window, tab = main_window_with_tab(qtbot)
    target = tmp_path / "柳州 整改通知.pdf"  # a space and Chinese characters, kept intact
    save_through_the_common_path(monkeypatch, tab, target)
    assert tab.messages == [f"已生成：{target}"]
    notice = window.statusBar().findChild(SavedFileNotice)
    assert isinstance(notice, SavedFileNotice) and notice.isVisible()
    assert notice.label.text() == "已保存：柳州 整改通知.pdf" and no_message_box()
    assert opened == []  # nothing opens by itself
    notice.open_file_button.click()
    notice.open_folder_button.click()
    assert opened == [target, tmp_path]


def test_the_next_save_replaces_the_file_named_and_no_second_notice_appears(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, opened: list[Path]
) -> None:
    window, tab = main_window_with_tab(qtbot)
    first, second = tmp_path / "一.pdf", tmp_path / "二.pdf"
    save_through_the_common_path(monkeypatch, tab, first)
    save_through_the_common_path(monkeypatch, tab, second)
    notices = window.findChildren(SavedFileNotice)
    assert len(notices) == 1 and notices[0].path == second
    notices[0].open_file_button.click()
    assert opened == [second]


def test_the_notice_is_keyboard_reachable(qtbot: Any, tmp_path: Path, opened: list[Path]) -> None:
    window, tab = main_window_with_tab(qtbot)
    target = tmp_path / "名单.xlsx"
    target.write_bytes(b"x")
    notice = announce_saved(tab, target)
    for b in (notice.open_file_button, notice.open_folder_button, notice.close_button):
        assert b.focusPolicy() & Qt.FocusPolicy.TabFocus  # in the tab order
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    QTest.keyClick(window, Qt.Key.Key_O, CTRL_SHIFT)
    QTest.keyClick(window, Qt.Key.Key_E, CTRL_SHIFT)
    assert opened == [target, tmp_path]
    notice.close_button.click()  # closed: the keys do nothing any more
    QTest.keyClick(window, Qt.Key.Key_O, CTRL_SHIFT)
    assert opened == [target, tmp_path] and not notice.isVisible()


def test_a_file_that_cannot_be_opened_is_said_plainly(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _window, tab = main_window_with_tab(qtbot)
    gone = tmp_path / "已删除.pdf"  # never written: the real opener refuses a missing file
    notice = announce_saved(tab, gone)
    assert notice.open_file() is False
    assert notice.label.text() == f"无法打开文件“{gone}”：请确认它仍在原处，并且电脑上装有能打开它的程序。"
    assert no_message_box()


def test_the_evaluation_result_list_offers_the_file_it_wrote(
    qtbot: Any, ctx: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, opened: list[Path]
) -> None:
    rid, _ids, evs = round_with_centres(ctx, 1)
    score_all(ctx, rid, {evs[0]: "92"})
    results.grade_round(ctx, round_id=rid, on=GRADED_ON)
    page = shown_page(qtbot, ctx, today=GRADED_ON + dt.timedelta(days=1))
    open_tab(qtbot, page, page.results)
    target = tmp_path / "评估结果名单.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(target), ""))
    button = page.results.findChild(QPushButton, "resultListPdf")
    assert isinstance(button, QPushButton)
    button.click()
    settle(qtbot, page)  # type: ignore[arg-type]  # (its helper is typed for the 评审 page)
    assert target.read_bytes().startswith(b"%PDF")
    notice = page.findChild(SavedFileNotice)  # a page on its own: at the bottom of the page
    assert isinstance(notice, SavedFileNotice) and notice.isVisible()
    notice.open_file_button.click()
    assert opened == [target]


def test_the_dashboard_export_offers_the_workbook_in_the_main_windows_status_bar(
    qtbot: Any, small_ctx: Any, tmp_path: Path, opened: list[Path]
) -> None:
    window = MainWindow(small_ctx)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    page: Any = window.page("概览")
    target = tmp_path / "县区.xlsx"
    page.choose_path = lambda _title, _suggested: target
    card = page.cards["district"]
    qtbot.waitUntil(lambda: card.export_button.isEnabled(), timeout=20000)
    card.export_button.click()
    qtbot.waitUntil(lambda: page.last_export == target, timeout=20000)
    notice = window.statusBar().findChild(SavedFileNotice)
    assert isinstance(notice, SavedFileNotice) and notice.isVisible() and notice.path == target
    notice.open_folder_button.click()
    assert opened == [tmp_path]


def test_a_long_file_name_is_shortened_in_the_middle_and_the_tip_has_it_all(
    qtbot: Any, tmp_path: Path, opened: list[Path]
) -> None:
    _window, tab = main_window_with_tab(qtbot)
    long = tmp_path / ("柳州市汽车轻量化车身工程技术研究中心" * 3 + "-整改通知.pdf")
    notice = announce_saved(tab, long)
    shown = notice.label.text()
    assert shown.startswith("已保存：柳州") and "…" in shown and shown.endswith(".pdf")
    assert notice.label.toolTip() == str(long)
    notice.open_file_button.click()
    assert opened == [long]  # the whole path, not the shortened name
