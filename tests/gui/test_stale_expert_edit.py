"""A stale save of 修改专家 (评审 → 专家库; optimistic locking, ui/review/expert_edit.py): another
clerk saved the expert after the form opened; saving opens 该记录已被他人修改 — 比较 marks the
differing fields, 取消 keeps editing with nothing saved, 重新载入 (after the confirmation) shows
the stored expert and a save from there is accepted."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import pytest
import shiboken6
from PySide6.QtWidgets import QMessageBox

from lzcenter_desktop.services.review import experts
from lzcenter_desktop.services.versioning import STALE_PREFIX
from lzcenter_desktop.ui.dialogs.stale import StaleDialog
from lzcenter_desktop.ui.review.expert_edit import ExpertEditDialog
from tests.gui.review_gui import closed, fill, open_tab, select_row, settle, shown_page, submit
from tests.review_fixtures import add_experts, make_call

PHONE = "0772-3100001"  # the first expert of tests/review_fixtures.py
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def _stale(qtbot: Any, ctx: Any) -> tuple[Any, ExpertEditDialog, StaleDialog, int]:
    make_call(ctx)
    eid = add_experts(ctx, 2)[0]
    assert experts.get_expert(ctx, eid).phone == PHONE
    page = shown_page(qtbot, ctx, today=dt.date(2026, 8, 1))
    open_tab(qtbot, page, page.experts)
    tab = page.experts
    select_row(tab.table, lambda e: e.id == eid)
    tab.edit_button.click()
    dialog = tab.dialog
    assert isinstance(dialog, ExpertEditDialog)
    experts.update_expert(replace(ctx, operator="乙科员"), expert_id=eid, specialty="乙写的专业")
    fill(dialog.specialty, "甲写的专业")
    fill(dialog.phone, "13800000000")
    submit(qtbot, page, dialog)
    qtbot.waitUntil(lambda: isinstance(getattr(dialog, "stale_dialog", None), StaleDialog))
    stale = dialog.stale_dialog
    qtbot.waitUntil(stale.isVisible)
    return page, dialog, stale, eid


def test_a_stale_expert_save_offers_compare_cancel_and_reload(qtbot: Any, ctx: Any) -> None:
    page, dialog, stale, eid = _stale(qtbot, ctx)
    assert stale.message.text().startswith(STALE_PREFIX)
    assert "专家信息" in stale.message.text() and "乙科员" in stale.message.text()
    assert dialog.error.text().startswith(STALE_PREFIX) and dialog.ok_button.isEnabled()
    stored = experts.get_expert(ctx, eid)
    assert (stored.specialty, stored.phone) == ("乙写的专业", PHONE)  # nothing of 甲's written

    stale.compare_button.click()
    qtbot.waitUntil(stale.table.isVisible)
    assert stale.differing_rows() == ["专业领域", "电话"]

    stale.reject()  # 取消: keep editing
    settle(qtbot, page)
    assert dialog.isVisible() and dialog.specialty.text() == "甲写的专业"

    submit(qtbot, page, dialog)  # still stale: the box again
    qtbot.waitUntil(lambda: shiboken6.isValid(dialog.stale_dialog) and dialog.stale_dialog.isVisible())
    again = dialog.stale_dialog
    again.reload_button.click()
    box = again.question
    assert isinstance(box, QMessageBox)
    box.yes.click()
    qtbot.waitUntil(lambda: dialog.specialty.text() == "乙写的专业")
    assert dialog.phone.text() == PHONE and "已重新载入" in dialog.error.text()
    assert dialog.expert is not None and dialog.expert.version == experts.get_expert(ctx, eid).version

    fill(dialog.phone, "13800000000")
    submit(qtbot, page, dialog)
    assert closed(dialog)
    saved = experts.get_expert(ctx, eid)
    assert (saved.specialty, saved.phone) == ("乙写的专业", "13800000000")
