"""A stale save in the 修改中心信息 dialog (optimistic locking, ui/dialogs/stale.py): another clerk
saved the centre after the dialog opened; saving then opens 该记录已被他人修改 with 重新载入 /
比较 / 取消 — Esc keeps editing with nothing saved, 比较 marks the differing fields, 重新载入
(after a confirmation) shows the stored values, and a save from there is accepted."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from lzcenter_desktop.services import centers
from lzcenter_desktop.services.versioning import STALE_PREFIX
from lzcenter_desktop.ui.dialogs.stale import StaleDialog
from lzcenter_desktop.ui.pages.center_dialogs import CenterEditDialog
from tests.gui.center_gui import RECOGNISED, activate, closed, open_centre, settle, shown_page
from tests.helpers import type_text

CTRL = Qt.KeyboardModifier.ControlModifier
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def _dialog_with_a_stale_save(qtbot: Any, ctx: Any) -> tuple[CenterEditDialog, StaleDialog, int]:
    page = shown_page(qtbot, ctx)
    cid = open_centre(qtbot, page, RECOGNISED)
    page.detail.edit_button.click()
    qtbot.waitUntil(lambda: isinstance(page.dialog, CenterEditDialog) and page.dialog.isVisible())
    dialog = page.dialog
    assert isinstance(dialog, CenterEditDialog)
    activate(qtbot, dialog)
    # the other clerk saves the same centre meanwhile
    other = replace(ctx, operator="乙科员")
    centers.update_center(other, center_id=cid, reason="乙的更正", research_direction="乙写的方向")
    dialog.research.clear()
    type_text(dialog.research, "甲写的方向")
    type_text(dialog.reason, "甲的更正")
    qtbot.keyClick(dialog.reason, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: isinstance(getattr(dialog, "stale_dialog", None), StaleDialog))
    stale = dialog.stale_dialog
    qtbot.waitUntil(stale.isVisible)
    return dialog, stale, cid


def test_the_box_names_who_saved_and_offers_three_choices(qtbot, small_ctx) -> None:
    dialog, stale, _cid = _dialog_with_a_stale_save(qtbot, small_ctx)
    text = stale.message.text()
    assert text.startswith(STALE_PREFIX) and "乙科员" in text and "中心信息" in text
    assert stale.compare_button.isDefault()  # Enter compares
    assert not stale.reload_button.isDefault() and not stale.cancel_button.isDefault()
    assert [b.text() for b in (stale.reload_button, stale.compare_button, stale.cancel_button)] == [
        "重新载入(&R)",
        "比较(&C)",
        "取消",
    ]
    assert dialog.error.isVisible() and dialog.error.text().startswith(STALE_PREFIX)
    stale.reject()
    settle(qtbot)
    dialog.reject()


def test_esc_keeps_editing_and_saves_nothing(qtbot, small_ctx) -> None:
    dialog, stale, cid = _dialog_with_a_stale_save(qtbot, small_ctx)
    qtbot.keyClick(stale, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: closed(stale))
    settle(qtbot)
    assert dialog.isVisible() and dialog.research.text() == "甲写的方向"  # still editing
    assert dialog.reason.text() == "甲的更正" and dialog.ok_button.isEnabled()
    assert centers.center_for_edit(small_ctx, cid).research_direction == "乙写的方向"
    dialog.research.clear()  # leave without the discard question
    dialog.reason.clear()
    dialog.research.setText(dialog.edit.research_direction)
    dialog.reject()
    settle(qtbot)


def test_compare_marks_the_fields_that_differ(qtbot, small_ctx) -> None:
    dialog, stale, _cid = _dialog_with_a_stale_save(qtbot, small_ctx)
    qtbot.keyClick(stale, Qt.Key.Key_Return)  # the default button: 比较
    qtbot.waitUntil(stale.table.isVisible)
    assert stale.differing_rows() == ["研发方向"]
    rows = {
        stale.table.item(r, 0).text(): (stale.table.item(r, 1).text(), stale.table.item(r, 2).text())
        for r in range(stale.table.rowCount())
    }
    assert rows["研发方向"] == ("甲写的方向", "乙写的方向")
    assert rows["中心名称"] == (RECOGNISED, RECOGNISED)
    assert [stale.table.horizontalHeaderItem(c).text() for c in range(3)] == [
        "字段",
        "我的修改",
        "数据库中的当前值",
    ]
    assert "1 项不同" in stale.status.text()
    assert stale.isVisible()  # comparing decides nothing
    stale.reject()
    settle(qtbot)
    dialog.research.setText(dialog.edit.research_direction)
    dialog.reason.clear()
    dialog.reject()


def test_reload_asks_first_then_shows_theirs_and_a_new_save_is_accepted(qtbot, small_ctx) -> None:
    dialog, stale, cid = _dialog_with_a_stale_save(qtbot, small_ctx)
    stale.reload_button.click()
    box = stale.question
    assert isinstance(box, QMessageBox) and "放弃" in box.text()
    box.no.click()  # 返回: nothing happens
    settle(qtbot)
    assert stale.isVisible() and dialog.research.text() == "甲写的方向"
    stale.reload_button.click()
    box = stale.question
    assert isinstance(box, QMessageBox)
    box.yes.click()
    qtbot.waitUntil(lambda: not shiboken6.isValid(stale) or not stale.isVisible())
    qtbot.waitUntil(lambda: dialog.research.text() == "乙写的方向")
    assert dialog.reason.text() == ""
    assert "已重新载入" in dialog.error.text()
    assert dialog.edit.version == centers.center_for_edit(small_ctx, cid).version
    # the clerk edits again from the stored values: saved
    activate(qtbot, dialog)
    dialog.research.clear()
    type_text(dialog.research, "甲重新写的方向")
    type_text(dialog.reason, "甲再次更正")
    qtbot.keyClick(dialog.reason, Qt.Key.Key_S, CTRL)
    settle(qtbot)
    qtbot.waitUntil(lambda: closed(dialog))
    assert centers.center_for_edit(small_ctx, cid).research_direction == "甲重新写的方向"
