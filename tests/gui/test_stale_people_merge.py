"""A stale merge in the 人员库 (optimistic locking): another clerk saved one of the two records
after the list was read; 合并 then opens 该记录已被他人修改 — nothing moves, 比较 shows the record as
listed beside the stored one, 重新载入 reads the list again and a merge from there is accepted."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest
import shiboken6
from PySide6.QtWidgets import QMessageBox

from lzcenter_desktop.services import people
from lzcenter_desktop.services.versioning import STALE_PREFIX
from lzcenter_desktop.ui.committees.people import PeopleRegistryDialog
from lzcenter_desktop.ui.dialogs.stale import StaleDialog

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def settled(qtbot: Any, dialog: PeopleRegistryDialog) -> None:
    qtbot.waitUntil(lambda: not dialog.loading and not dialog.merging, timeout=20000)


def test_a_stale_merge_is_refused_compared_and_done_after_reloading(qtbot: Any, ctx: Any) -> None:
    keep = people.register_person(ctx, name="王五", birth_date=None, organization_name="广西大学")
    dup = people.register_person(ctx, name="王五", birth_date=None, organization_name="广西大学机械学院")
    third = people.register_person(
        ctx, name="王五", birth_date=date(1968, 4, 2), organization_name="广西大学"
    )
    dialog = PeopleRegistryDialog(ctx)
    qtbot.addWidget(dialog)
    settled(qtbot, dialog)
    dialog.ask_merge = lambda _first, _second: (keep, dup, "同一人")
    # the other clerk merges the third record into the kept one meanwhile (its birth date moves over)
    people.merge_people(replace(ctx, operator="乙科员"), keep_id=keep, merge_id=third, reason="同一人")

    dialog.select_ids(keep, dup)
    assert dialog.merge_selected()
    qtbot.waitUntil(lambda: isinstance(getattr(dialog, "stale_dialog", None), StaleDialog), timeout=20000)
    stale = dialog.stale_dialog
    qtbot.waitUntil(stale.isVisible)
    assert stale.message.text().startswith(STALE_PREFIX) and "乙科员" in stale.message.text()
    assert dialog.message.text().startswith(STALE_PREFIX)
    assert people.get_person(ctx, dup).status == "active"  # nothing moved

    stale.compare_button.click()
    qtbot.waitUntil(stale.table.isVisible)
    assert stale.differing_rows() == [f"编号 {keep} 出生日期"]

    stale.reload_button.click()
    box = stale.question
    assert isinstance(box, QMessageBox)
    box.yes.click()
    qtbot.waitUntil(lambda: not shiboken6.isValid(stale) or not stale.isVisible())
    settled(qtbot, dialog)
    listed = {p.id: p for p in dialog.rows}
    assert listed[keep].version == people.get_person(ctx, keep).version == 2

    dialog.select_ids(keep, dup)
    assert dialog.merge_selected()
    settled(qtbot, dialog)
    assert people.get_person(ctx, dup).status == "merged"
    assert "已将编号" in dialog.message.text()
