"""The 绩效评估 points dialog (ui/evaluation/points_dialog.py): Esc, 取消 or the window's close after
points were typed asks the program's unsaved-changes question (保存 / 不保存 / 取消,
ui/dialogs/unsaved.py); nothing typed — or typed back to what was there — closes without asking.
Each answer is checked in the database through the services."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from lzcenter_desktop.services.evaluation import rounds
from lzcenter_desktop.ui.dialogs.unsaved import CANCEL_TEXT, DISCARD_TEXT, SAVE_TEXT
from lzcenter_desktop.ui.evaluation.points_dialog import PointsDialog
from tests.evaluation_records import points_for
from tests.gui.evaluation_gui import open_tab, round_with_centres, shown_page
from tests.gui.review_gui import closed, settle

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def self_evaluation_dialog(qtbot: Any, ctx: Any) -> tuple[Any, PointsDialog, int]:
    _rid, _ids, (evaluation,) = round_with_centres(ctx, 1)
    page = shown_page(qtbot, ctx)
    open_tab(qtbot, page, page.centres)
    page.centres.self_button.click()
    dialog = page.centres.dialog
    assert isinstance(dialog, PointsDialog) and dialog.isVisible()
    return page, dialog, evaluation


def first_box(dialog: PointsDialog) -> Any:
    return next(iter(dialog.score_form.boxes.values()))


def the_question(dialog: PointsDialog) -> QMessageBox | None:
    QApplication.processEvents()
    box = dialog.unsaved_box
    return box if box is not None and box.isVisible() else None


def answer(box: QMessageBox, text: str) -> None:
    found = [b for b in box.findChildren(QPushButton) if b.text() == text]
    assert len(found) == 1, text
    found[0].click()
    QApplication.processEvents()


def press_escape(qtbot: Any, dialog: PointsDialog) -> None:
    qtbot.keyClick(first_box(dialog), Qt.Key.Key_Escape)
    QApplication.processEvents()


def test_nothing_typed_esc_closes_without_asking(qtbot: Any, ctx: Any) -> None:
    _page, dialog, evaluation = self_evaluation_dialog(qtbot, ctx)
    assert dialog.unsaved_changes() is None
    press_escape(qtbot, dialog)
    assert closed(dialog)
    assert rounds.get_evaluation(ctx, evaluation).self_score_text is None


def test_typed_back_to_what_was_there_closes_without_asking(qtbot: Any, ctx: Any) -> None:
    _page, dialog, _evaluation = self_evaluation_dialog(qtbot, ctx)
    box = first_box(dialog)
    box.setText("5")
    assert dialog.unsaved_changes() is not None  # one character typed: unsaved
    box.setText("")
    assert dialog.unsaved_changes() is None
    press_escape(qtbot, dialog)
    assert closed(dialog)


def test_esc_after_typing_asks_and_cancel_keeps_editing_then_discard_drops(qtbot: Any, ctx: Any) -> None:
    _page, dialog, evaluation = self_evaluation_dialog(qtbot, ctx)
    first_box(dialog).setText("5")
    press_escape(qtbot, dialog)
    question = the_question(dialog)
    assert question is not None
    assert question.windowTitle() == "有未保存的修改" and "录入自评：已填写的得分" in question.text()
    assert {b.text() for b in question.findChildren(QPushButton)} >= {SAVE_TEXT, DISCARD_TEXT, CANCEL_TEXT}
    answer(question, CANCEL_TEXT)  # 取消: still editing, what was typed kept
    assert dialog.isVisible() and first_box(dialog).text() == "5"
    assert the_question(dialog) is None

    press_escape(qtbot, dialog)
    question = the_question(dialog)
    assert question is not None
    answer(question, DISCARD_TEXT)  # 不保存: closed, nothing written
    assert closed(dialog)
    assert rounds.get_evaluation(ctx, evaluation).self_score_text is None


def test_the_windows_close_asks_too_and_save_stores_the_points(qtbot: Any, ctx: Any) -> None:
    page, dialog, evaluation = self_evaluation_dialog(qtbot, ctx)
    for key, value in points_for("81.5").items():
        dialog.score_form.boxes[key].setText(value)
    assert not dialog.close()  # the window's ×: refused while asking
    question = the_question(dialog)
    assert question is not None and dialog.isVisible()
    answer(question, SAVE_TEXT)  # 保存: written as the OK button does, then closed
    settle(qtbot, page)
    assert rounds.get_evaluation(ctx, evaluation).self_score_text == "81.5"
    assert closed(dialog)


def test_save_with_a_refused_point_keeps_the_dialog_open_with_the_reason(qtbot: Any, ctx: Any) -> None:
    page, dialog, evaluation = self_evaluation_dialog(qtbot, ctx)
    first_box(dialog).setText("99")  # above the indicator's maximum
    press_escape(qtbot, dialog)
    question = the_question(dialog)
    assert question is not None
    answer(question, SAVE_TEXT)
    settle(qtbot, page)
    assert dialog.isVisible() and dialog.error.isVisible() and dialog.error.text() != ""
    assert rounds.get_evaluation(ctx, evaluation).self_score_text is None
    dialog.score_form.boxes[next(iter(dialog.score_form.boxes))].setText("")
    press_escape(qtbot, dialog)  # typed back to empty: closes without asking
    assert closed(dialog)
