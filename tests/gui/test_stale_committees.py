"""A stale save on the 委员会 page: another clerk saved the centre's roster after the page read it;
保存 then opens 该记录已被他人修改 (ui/dialogs/stale.py) — 取消 keeps the edits unsaved,
比较 marks the changed term, 重新载入 shows the stored roster and the next save is accepted."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox

from lzcenter_desktop.services import committees
from lzcenter_desktop.ui.committees.page import CommitteesPage
from lzcenter_desktop.ui.dialogs.stale import StaleDialog
from tests.gui.committee_centres import AS_OF, add_two_centres
from tests.helpers import type_text

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture
def two_centres(ctx: Any, examples_dir: Path) -> Any:
    return add_two_centres(ctx, examples_dir)


def _page(qtbot: Any, ctx: Any) -> CommitteesPage:
    page = CommitteesPage(ctx, as_of=AS_OF)
    page.confirm_errors = lambda errors: True
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    page.on_shown(True)
    qtbot.waitUntil(lambda: not page.busy, timeout=20000)
    return page


def _other_clerk_reorders(ctx: Any, center_id: int) -> None:
    other = replace(ctx, operator="乙科员")
    value = committees.load_committees(other, center_id=center_id)
    last = value.expert_committee_terms[-1]
    reordered = replace(last, members=tuple(reversed(last.members)))
    committees.save_committees(
        other,
        center_id=center_id,
        committees=replace(value, expert_committee_terms=(*value.expert_committee_terms[:-1], reordered)),
        reason="乙调整顺序",
    )


def _stale_after_save(qtbot: Any, ctx: Any) -> tuple[CommitteesPage, StaleDialog]:
    page = _page(qtbot, ctx)
    page.select_centre(ctx.first)
    qtbot.waitUntil(lambda: not page.busy and page.center_id == ctx.first, timeout=20000)
    assert page.experts is not None
    page.experts.renew_button.click()  # 甲's edit: a new term
    _other_clerk_reorders(ctx, ctx.first)
    type_text(page.reason, "甲换届")
    with qtbot.waitSignal(page.save_finished, timeout=20000) as finished:
        assert page.save()
    assert finished.args == [False]
    qtbot.waitUntil(lambda: isinstance(getattr(page, "stale_dialog", None), StaleDialog))
    return page, page.stale_dialog


def test_cancel_keeps_the_edits_compare_marks_the_term_reload_takes_theirs(qtbot, two_centres) -> None:
    ctx = two_centres
    page, stale = _stale_after_save(qtbot, ctx)
    assert stale.message.text().startswith("该记录已被他人修改") and "乙科员" in stale.message.text()
    assert page.message.text().startswith("未保存：该记录已被他人修改")
    terms_before = len(committees.load_committees(ctx, center_id=ctx.first).expert_committee_terms)

    # 比较: the reordered members of the last term and 甲's new term differ
    stale.compare_button.click()
    qtbot.waitUntil(stale.table.isVisible, timeout=20000)
    differing = stale.differing_rows()
    assert f"专家指导委员会第{terms_before}届委员" in differing
    assert f"专家指导委员会第{terms_before + 1}届" in differing

    # 取消: the box closes, the edits stay unsaved on the page
    stale.cancel_button.click()
    qtbot.waitUntil(lambda: not stale.isVisible())
    assert page.is_dirty() and page.reason.text() == "甲换届"
    assert len(committees.load_committees(ctx, center_id=ctx.first).expert_committee_terms) == terms_before

    # save again: refused again; 重新载入 after the confirmation shows the stored roster
    page.stale_dialog = None
    with qtbot.waitSignal(page.save_finished, timeout=20000):
        assert page.save()
    qtbot.waitUntil(lambda: isinstance(getattr(page, "stale_dialog", None), StaleDialog))
    again = page.stale_dialog
    again.reload_button.click()
    box = again.question
    assert isinstance(box, QMessageBox)
    box.yes.click()
    qtbot.waitUntil(lambda: not page.busy and not page.is_dirty(), timeout=20000)
    assert page.doc is not None
    assert page.doc.value == committees.load_committees(ctx, center_id=ctx.first)
    # from the stored roster the clerk's edit is accepted
    page.experts.renew_button.click()
    type_text(page.reason, "甲换届")
    with qtbot.waitSignal(page.save_finished, timeout=20000) as finished:
        assert page.save()
    assert finished.args == [True]
    stored = committees.load_committees(ctx, center_id=ctx.first)
    assert len(stored.expert_committee_terms) == terms_before + 1
