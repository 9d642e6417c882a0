"""修改中心信息 from the 中心 page (issue 13 item 9): opened by its button, Enter or a double-click in the
detail; saved with Ctrl+S only with a reason (kept in the audit); the detail then shows the new
values; Esc asks before unsaved edits are thrown away; a draft or a revoked centre's name is refused
with the service's reason. No SQL runs on the UI thread."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QPoint, Qt
from sqlmodel import col, select

from lzcenter_desktop.storage.models import AuditEntry
from lzcenter_desktop.ui.pages.center_dialogs import NOT_IN_CATALOG, CenterEditDialog
from tests.gui.center_gui import (
    DRAFT,
    RECOGNISED,
    REVOKED,
    activate,
    closed,
    open_centre,
    question,
    settle,
    shown_page,
)
from tests.gui.ui_thread_db import ui_thread_statements
from tests.helpers import type_text

CTRL = Qt.KeyboardModifier.ControlModifier


def _edit_dialog(qtbot: Any, page: Any) -> CenterEditDialog:
    qtbot.waitUntil(lambda: isinstance(page.dialog, CenterEditDialog) and page.dialog.isVisible())
    dialog = page.dialog
    assert isinstance(dialog, CenterEditDialog)
    return dialog


def _replace(widget: Any, text: str) -> None:
    widget.clear()
    type_text(widget, text)


def _audit(ctx: Any) -> list[AuditEntry]:
    with ctx.db.session() as s:
        return list(s.execute(select(AuditEntry).order_by(col(AuditEntry.id))).scalars())


def test_an_edit_is_saved_with_its_reason_and_shown(qtbot, small_ctx) -> None:
    with ui_thread_statements(small_ctx.db.engine) as seen:
        page = shown_page(qtbot, small_ctx)
        cid = open_centre(qtbot, page, RECOGNISED)
        page.detail.edit_button.click()
        dialog = _edit_dialog(qtbot, page)
        assert dialog.name_zh.text() == RECOGNISED
        assert dialog.checked_industries() == ["汽车"]
        assert dialog.industry_texts()[:3] == [
            "汽车",
            "钢铁",
            "机械",
        ]  # the 重点产业 list, in order
        activate(qtbot, dialog)

        _replace(dialog.research, "车身轻量化材料、结构与连接工艺")
        dialog.set_industries(["汽车", "新材料"])
        # without a reason: refused in the dialog, nothing written
        written = len(_audit(small_ctx))
        qtbot.keyClick(dialog.research, Qt.Key.Key_S, CTRL)
        assert dialog.error.isVisible() and "请填写修改原因" in dialog.error.text()
        assert dialog.isVisible()
        settle(qtbot)
        assert len(_audit(small_ctx)) == written

        type_text(dialog.reason, "依据2026年核查结果更正")
        qtbot.keyClick(dialog.reason, Qt.Key.Key_S, CTRL)
        settle(qtbot)
        assert closed(dialog)
        qtbot.waitUntil(lambda: page.detail.fields["研究方向"].text() == "车身轻量化材料、结构与连接工艺")
        assert page.detail.fields["产业领域"].text() == "汽车、新材料"
        assert page.last_notice == f"已保存“{RECOGNISED}”的修改：研发方向、重点产业领域"
    assert seen == []
    mine = [e for e in _audit(small_ctx) if e.action.startswith("centers.update_center")]
    assert {e.action for e in mine} == {"centers.update_center：依据2026年核查结果更正"}
    assert {(e.entity, e.operation) for e in mine} == {("center", "update"), ("center_industry", "insert")}
    [row] = [e for e in mine if e.entity == "center"]
    assert row.entity_id == str(cid)
    old, new = json.loads(row.before or "{}"), json.loads(row.after or "{}")
    # the name was not written; the version (optimistic locking) is raised with every save
    assert {k for k in new if new[k] != old[k]} == {"research_direction", "version"}


def test_enter_and_a_double_click_in_the_detail_open_the_dialog(qtbot, small_ctx) -> None:
    page = shown_page(qtbot, small_ctx)
    open_centre(qtbot, page, RECOGNISED)
    page.detail.timeline.setFocus()
    qtbot.keyClick(page.detail.timeline, Qt.Key.Key_Return)
    dialog = _edit_dialog(qtbot, page)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # nothing typed: closes at once
    assert question(dialog) is None
    qtbot.waitUntil(lambda: closed(dialog))
    page.dialog = None

    label = page.detail.fields["依托单位"]
    qtbot.mouseDClick(label, Qt.MouseButton.LeftButton, pos=QPoint(4, 4))
    dialog = _edit_dialog(qtbot, page)
    dialog.reject()
    settle(qtbot)


def test_esc_with_unsaved_edits_asks_first(qtbot, small_ctx) -> None:
    page = shown_page(qtbot, small_ctx)
    open_centre(qtbot, page, RECOGNISED)
    page.detail.edit_button.click()
    dialog = _edit_dialog(qtbot, page)
    written = len(_audit(small_ctx))
    dialog.name_en.end(False)  # the field opens showing its beginning
    type_text(dialog.name_en, " (Liuzhou)")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    box = question(dialog)
    assert box is not None and "还没有保存" in box.text()
    assert box.escapeButton() is box.no  # Esc on the question keeps editing
    box.no.click()
    assert dialog.isVisible() and dialog.name_en.text().endswith("(Liuzhou)")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    box = question(dialog)
    assert box is not None
    box.yes.click()
    qtbot.waitUntil(lambda: closed(dialog))
    settle(qtbot)
    assert len(_audit(small_ctx)) == written


def test_a_name_outside_article_26_is_pointed_out_while_typing_and_refused(qtbot, small_ctx) -> None:
    page = shown_page(qtbot, small_ctx)
    open_centre(qtbot, page, RECOGNISED)
    page.detail.edit_button.click()
    dialog = _edit_dialog(qtbot, page)
    _replace(dialog.name_zh, "柳州汽车轻量化研究中心")
    assert dialog.name_problem.isVisible() and "第二十六条" in dialog.name_problem.text()
    type_text(dialog.reason, "更名")
    dialog.ok_button.click()
    settle(qtbot)
    assert dialog.isVisible()
    assert "第二十六条" in dialog.error.text()  # the service's refusal, shown in the dialog
    _replace(dialog.name_zh, "柳州汽车轻量化与新能源工程技术研究中心")
    assert not dialog.name_problem.isVisible()
    dialog.ok_button.click()
    settle(qtbot)
    assert closed(dialog)
    qtbot.waitUntil(lambda: page.detail.title_label.text() == "柳州汽车轻量化与新能源工程技术研究中心")
    assert any(r.name == "柳州汽车轻量化与新能源工程技术研究中心" for r in page.model.rows)  # the list too


def test_a_revoked_centres_name_cannot_be_edited(qtbot, small_ctx) -> None:
    page = shown_page(qtbot, small_ctx)
    open_centre(qtbot, page, REVOKED)
    page.detail.edit_button.click()
    dialog = _edit_dialog(qtbot, page)
    assert dialog.name_zh.isReadOnly() and dialog.name_en.isReadOnly()
    note = dialog.findChild(type(dialog.error), "nameLocked")
    assert note is not None and "状态为“已撤销”" in note.text() and "不能更改" in note.text()
    # the industries may still be corrected
    dialog.set_industries(["日用消费品", "现代农业"])
    type_text(dialog.reason, "补充产业领域")
    dialog.ok_button.click()
    settle(qtbot)
    assert closed(dialog)
    qtbot.waitUntil(lambda: page.detail.fields["产业领域"].text() == "日用消费品、现代农业")


def test_a_draft_is_not_edited_here_and_the_clerk_is_told_where(qtbot, small_ctx) -> None:
    page = shown_page(qtbot, small_ctx)
    open_centre(qtbot, page, DRAFT)
    page.detail.edit_button.click()
    qtbot.waitUntil(lambda: question(page) is not None)
    box = question(page)
    assert box is not None and "请在“申报”页修改申报书" in box.text()
    assert not isinstance(page.dialog, CenterEditDialog)
    box.escapeButton().click()
    settle(qtbot)


def test_an_industry_outside_the_list_is_kept_and_marked(qtbot, small_ctx) -> None:
    from lzcenter_desktop.services import centers

    page = shown_page(qtbot, small_ctx)
    cid = open_centre(qtbot, page, RECOGNISED)
    centers.update_center(small_ctx, center_id=cid, industries=["生物医药大健康", "汽车"], reason="旧目录")
    page.detail.edit_button.click()
    dialog = _edit_dialog(qtbot, page)
    assert dialog.industry_texts()[-1] == "生物医药大健康" + NOT_IN_CATALOG
    assert dialog.industry_boxes["生物医药大健康"].isChecked()
    assert dialog.checked_industries() == ["生物医药大健康", "汽车"]  # the stored order, main field first
    assert dialog.changes() == {}
    dialog.set_industries(["生物医药大健康", "汽车", "机械"])
    assert dialog.changes() == {"industries": ["生物医药大健康", "汽车", "机械"]}
    dialog.set_industries(["生物医药大健康", "汽车"])
    dialog.reject()  # nothing changed, nothing typed: no question
    assert question(dialog) is None
    settle(qtbot)


def test_alt_m_opens_the_dialog_from_the_page(qtbot, small_ctx) -> None:
    page = shown_page(qtbot, small_ctx)
    open_centre(qtbot, page, RECOGNISED)
    activate(qtbot, page)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)
    dialog = _edit_dialog(qtbot, page)
    assert dialog.windowTitle() == "修改中心信息"
    dialog.reject()
    settle(qtbot)
