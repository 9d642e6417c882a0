"""The 申报 page as a clerk uses it (issue 12 items 7 and 8): a sortable, filterable list — 年度,
状态, 依托单位 typed, 仅有错误; Enter opens, Esc clears — and 作废 / 撤回 with a required reason,
confirmed first, nothing deleted; no database call on the UI thread."""

from __future__ import annotations

import json
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QComboBox, QLabel

from lzcenter_desktop.domain.credit_code import check_char
from lzcenter_desktop.services import declarations as d
from lzcenter_desktop.ui import ops
from lzcenter_desktop.ui.declarations.closing import Closing, ReasonDialog, discard_text, withdraw_text
from lzcenter_desktop.ui.declarations.page import DeclarationsPage
from lzcenter_desktop.ui.models.declarations import COL_CENTER, COL_ERRORS, COL_STATUS
from lzcenter_desktop.ui.tasks import running_tasks
from tests.gui.ui_thread_db import ui_thread_statements
from tests.helpers import type_text


def variant(example: dict[str, Any], n: int) -> dict[str, Any]:
    """The example for another host (its own valid credit code): no violation."""
    data: dict[str, Any] = json.loads(json.dumps(example))
    first17 = f"91450205MA5{n:06d}"
    data["host"]["credit_code"] = first17 + check_char(first17)
    data["host"]["name"] = f"柳州第{'一二三四五六七八九'[n]}机械有限公司"
    data["center"]["name_zh"] = f"柳州智能制造工程技术研究中心（{data['host']['name']}）"
    return data


@pytest.fixture
def three(ctx: Any, example: dict[str, Any]) -> dict[str, int]:
    """A complete draft of 2026 (第一), a blank draft of 2027 (errors), a submitted one (第二)."""
    first = d.create_draft(ctx, call_year=2026)
    d.save_draft(ctx, declaration_id=first, data=variant(example, 0))
    blank = d.create_draft(ctx, call_year=2027)
    sent = d.create_draft(ctx, call_year=2026)
    d.save_draft(ctx, declaration_id=sent, data=variant(example, 1))
    d.submit_declaration(ctx, declaration_id=sent)
    return {"first": first, "blank": blank, "sent": sent}


def page_for(qtbot: Any, ctx: Any) -> DeclarationsPage:
    page = DeclarationsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1200, 600)
    page.show()
    qtbot.waitUntil(lambda: not page.loading and running_tasks() == 0, timeout=10000)
    return page


def shown_ids(page: DeclarationsPage) -> list[int]:
    return [int(page.proxy.index(r, 0).data()) for r in range(page.proxy.rowCount())]


def pick(combo: QComboBox, value: object) -> None:
    index = combo.findData(value)
    assert index >= 0, value
    combo.setCurrentIndex(index)


def settle(qtbot: Any, page: DeclarationsPage) -> None:
    assert ops.wait_for_writes()
    qtbot.waitUntil(lambda: running_tasks() == 0 and not page.loading, timeout=20000)


def finished(qtbot: Any, task: Any) -> None:
    assert task is not None
    qtbot.waitUntil(lambda: task.is_finished, timeout=20000)


# ---------------------------------------------------------------- the list


def test_filters_by_year_status_host_and_errors(qtbot: Any, ctx: Any, three: dict[str, int]) -> None:
    page = page_for(qtbot, ctx)
    assert sorted(shown_ids(page)) == sorted(three.values())
    assert page.status_text() == "共 3 份申报书，显示 3 份"
    years = [page.filters.year_combo.itemText(i) for i in range(page.filters.year_combo.count())]
    assert years == ["全部", "2027 年度", "2026 年度"]
    pick(page.filters.year_combo, 2027)
    assert shown_ids(page) == [three["blank"]] and page.status_text() == "共 3 份申报书，显示 1 份"
    pick(page.filters.year_combo, None)
    pick(page.filters.status_combo, "submitted")
    assert shown_ids(page) == [three["sent"]]
    assert page.filters.status_combo.currentText() == "已提交（1）"
    pick(page.filters.status_combo, None)
    type_text(page.filters.host_edit, "第一")
    assert shown_ids(page) == [three["first"]]
    page.filters.host_edit.clear()
    page.filters.errors_box.setChecked(True)
    assert shown_ids(page) == [three["blank"]]  # the only one with errors


def test_esc_clears_every_filter(qtbot: Any, ctx: Any, three: dict[str, int]) -> None:
    page = page_for(qtbot, ctx)
    pick(page.filters.year_combo, 2026)
    page.filters.errors_box.setChecked(True)
    type_text(page.filters.host_edit, "没有这家")
    assert shown_ids(page) == []
    qtbot.keyClick(page.filters.host_edit, Qt.Key.Key_Escape)  # Esc in the typed filter
    assert len(shown_ids(page)) == 3
    assert page.filters.host_edit.text() == "" and not page.filters.errors_box.isChecked()
    assert page.filters.year_combo.currentData() is None
    pick(page.filters.status_combo, "draft")
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Escape)  # and in the list
    assert len(shown_ids(page)) == 3 and page.filters.status_combo.currentIndex() == 0


def test_clicking_a_header_sorts_and_enter_opens(qtbot: Any, ctx: Any, three: dict[str, int]) -> None:
    page = page_for(qtbot, ctx)
    header = page.table.horizontalHeader()
    x = header.sectionViewportPosition(COL_ERRORS) + 5
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    first = [int(page.proxy.index(r, COL_ERRORS).data()) for r in range(3)]
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    second = [int(page.proxy.index(r, COL_ERRORS).data()) for r in range(3)]
    assert first == sorted(first) and second == sorted(second, reverse=True) and first != second
    assert shown_ids(page)[0] == three["blank"]  # the most errors first
    page.refresh()  # a new read keeps the clerk's sort
    settle(qtbot, page)
    assert shown_ids(page)[0] == three["blank"]
    page.table.setFocus()
    page.select_id(three["first"])
    with qtbot.waitSignal(page.wizard_opened, timeout=10000) as opened:
        qtbot.keyClick(page.table, Qt.Key.Key_Return)
    wizard = opened.args[0]
    qtbot.addWidget(wizard)
    assert wizard.declaration_id == three["first"]
    wizard.close()


def test_the_page_fits_the_office_screen(qtbot: Any, ctx: Any) -> None:
    page = page_for(qtbot, ctx)
    assert page.minimumSizeHint().width() <= 1100


def test_tab_goes_buttons_filters_list_and_every_button_has_its_own_alt_letter(
    qtbot: Any, ctx: Any, three: dict[str, int]
) -> None:
    page = page_for(qtbot, ctx)
    page.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page)
    chain = [*page.buttons, *page.filters.inputs(), page.table]
    page.new_button.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(page.new_button.hasFocus)
    seen = [QApplication.focusWidget()]
    for _ in range(len(chain) - 1):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    assert seen == chain
    texts = [b.text() for b in page.findChildren(QAbstractButton) if b.text()]
    letters = [t[t.index("&") + 1].upper() for t in texts if "&" in t]
    assert len(letters) == len(texts) == len(page.buttons) + 2  # the buttons and the two check boxes
    captions = [w.text() for w in page.findChildren(QLabel) if w.buddy() is not None]
    letters += [t[t.index("&") + 1].upper() for t in captions]
    assert len(captions) == 3  # 年度, 状态, 依托单位
    assert len(set(letters)) == len(letters)
    assert not set(letters) & {"F", "E", "V", "H"}  # the menu bar's 文件, 编辑, 视图, 帮助


# ---------------------------------------------------------------- 作废


def test_discarding_a_draft_hides_it_and_the_toggle_shows_it_marked(
    qtbot: Any, ctx: Any, three: dict[str, int]
) -> None:
    page = page_for(qtbot, ctx)
    asked: list[Closing] = []

    def reason(closing: Closing) -> str:
        asked.append(closing)
        return "误建的空白草稿"

    page.ask_closing_reason = reason
    page.select_id(three["blank"])
    with ui_thread_statements(ctx.db.engine) as on_ui_thread:
        qtbot.mouseClick(page.discard_button, Qt.MouseButton.LeftButton)
        settle(qtbot, page)
        qtbot.waitUntil(lambda: three["blank"] not in shown_ids(page), timeout=10000)
        page.filters.discarded_box.setChecked(True)
    assert on_ui_thread == []
    assert [c.verb for c in asked] == ["作废"] and f"第 {three['blank']} 号" in asked[0].title
    assert d.get_declaration(ctx, three["blank"]).status == "discarded"
    assert "已作废第" in page.message.text() and "误建的空白草稿" in page.message.text()
    row = page.proxy.proxy_row_of(three["blank"])
    assert row >= 0
    status = page.proxy.index(row, COL_STATUS)
    assert status.data() == "已作废" and status.data(Qt.ItemDataRole.FontRole).italic()
    assert status.data(Qt.ItemDataRole.ToolTipRole) == "已作废，原因：误建的空白草稿"
    assert page.status_text() == "共 3 份申报书（含已作废 1 份），显示 3 份"
    page.filters.discarded_box.setChecked(False)
    assert three["blank"] not in shown_ids(page)


def test_cancelling_the_confirmation_changes_nothing(qtbot: Any, ctx: Any, three: dict[str, int]) -> None:
    page = page_for(qtbot, ctx)
    page.ask_closing_reason = lambda _closing: None
    page.select_id(three["first"])
    assert page.discard_selected() is None
    assert "未作废" in page.message.text()
    assert d.get_declaration(ctx, three["first"]).status == "draft"


def test_wrong_state_is_said_before_asking_and_refused_by_the_service(
    qtbot: Any, ctx: Any, three: dict[str, int]
) -> None:
    page = page_for(qtbot, ctx)
    asked: list[Closing] = []

    def reason(closing: Closing) -> str:
        asked.append(closing)
        return "原因"

    page.ask_closing_reason = reason
    page.select_id(three["sent"])
    assert page.discard_selected() is None
    assert "已提交，只有草稿可以作废" in page.message.text() and "撤回" in page.message.text()
    page.select_id(three["first"])
    assert page.withdraw_selected() is None
    assert "草稿，只有已提交的申报书可以撤回" in page.message.text()
    page.table.clearSelection()
    assert page.discard_selected() is None and "请先选中一份申报书" in page.message.text()
    assert asked == []
    # a list older than the database: the service refuses, in Chinese, and nothing changes
    finished(qtbot, page.close_declaration(three["sent"], "作废", "原因", d.discard_draft))
    assert "未能作废：" in page.message.text() and "只有草稿可以作废" in page.message.text()
    assert d.get_declaration(ctx, three["sent"]).status == "submitted"


def test_a_draft_open_in_its_wizard_is_not_discarded(qtbot: Any, ctx: Any, three: dict[str, int]) -> None:
    page = page_for(qtbot, ctx)
    page.ask_closing_reason = lambda _c: "误建"
    with qtbot.waitSignal(page.wizard_opened, timeout=10000) as opened:
        page.open_wizard(three["first"])
    wizard = opened.args[0]
    qtbot.addWidget(wizard)
    page.select_id(three["first"])
    assert page.discard_selected() is None
    assert "填写窗口还开着" in page.message.text()
    assert d.get_declaration(ctx, three["first"]).status == "draft"
    wizard.close()


# ---------------------------------------------------------------- 撤回


def test_withdrawing_a_submitted_declaration(qtbot: Any, ctx: Any, three: dict[str, int]) -> None:
    from lzcenter_desktop.services import center_list

    page = page_for(qtbot, ctx)
    page.ask_closing_reason = lambda c: "依托单位来函申请撤回" if c.verb == "撤回" else None
    page.select_id(three["sent"])
    with ui_thread_statements(ctx.db.engine) as on_ui_thread:
        finished(qtbot, page.withdraw_selected())
        settle(qtbot, page)
    assert on_ui_thread == []
    assert d.get_declaration(ctx, three["sent"]).status == "withdrawn"
    row = page.proxy.proxy_row_of(three["sent"])
    assert page.proxy.index(row, COL_STATUS).data() == "已撤回"  # still listed, not hidden
    assert page.selected_ids() == [three["sent"]]
    states = {r.name: r.status for r in center_list.list_centers(ctx)}
    assert states[page.proxy.index(row, COL_CENTER).data()] == "已撤回"  # the centre follows


# ---------------------------------------------------------------- the confirmation dialog


@pytest.mark.parametrize("make", [discard_text, withdraw_text])
def test_the_dialog_needs_a_reason_and_enter_does_not_confirm(qtbot: Any, make: Any) -> None:
    closing = make(7, "柳州测试工程技术研究中心")
    dialog = ReasonDialog(closing)
    qtbot.addWidget(dialog)
    dialog.open()
    assert "不能恢复" in dialog.explanation.text() and dialog.windowTitle() == closing.title
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.problem.isVisibleTo(dialog)
    assert dialog.problem.text().startswith(f"请填写{closing.verb}原因")
    type_text(dialog.reason_edit, "  重复录入  ")
    assert not dialog.problem.isVisibleTo(dialog)  # typing clears the complaint
    qtbot.keyClick(dialog.reason_edit, Qt.Key.Key_Return)
    assert dialog.isVisible()  # Enter does not act
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == ReasonDialog.DialogCode.Accepted and dialog.reason() == "重复录入"


def test_esc_cancels_the_dialog(qtbot: Any) -> None:
    dialog = ReasonDialog(discard_text(7, "中心"))
    qtbot.addWidget(dialog)
    dialog.open()
    type_text(dialog.reason_edit, "误建")
    qtbot.keyClick(dialog.reason_edit, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and dialog.result() == ReasonDialog.DialogCode.Rejected


def test_new_declaration_stores_nothing_until_its_first_value_then_lists_it(qtbot: Any, ctx: Any) -> None:
    """新建 opens the wizard without a database row; closing it untouched leaves the list as it was;
    the first real value stores the draft and the page selects its new row."""
    page = page_for(qtbot, ctx)
    with qtbot.waitSignal(page.wizard_opened, timeout=10000) as opened:
        page.new_declaration(2026)
    first = opened.args[0]
    qtbot.addWidget(first)
    assert first.declaration_id is None and d.list_declarations(ctx) == []
    first.close()
    settle(qtbot, page)
    assert d.list_declarations(ctx) == [] and shown_ids(page) == []

    with qtbot.waitSignal(page.wizard_opened, timeout=10000) as opened:
        page.new_declaration(2026)
    wizard = opened.args[0]
    qtbot.addWidget(wizard)
    type_text(wizard.editor("center.name_zh").input, "柳州测试工程技术研究中心")
    qtbot.waitUntil(lambda: wizard.declaration_id is not None, timeout=10000)
    did = wizard.declaration_id
    qtbot.waitUntil(lambda: shown_ids(page) == [did], timeout=10000)
    assert [r.id for r in d.list_declarations(ctx)] == [did]
    assert page.selected_ids() == [did]
