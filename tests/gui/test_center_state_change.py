"""状态变更 from the 中心 page (issue 13 item 9): a step of 第五章 asks for 文号, date and reason, is
confirmed first, and goes through ``centers.change_state`` — whose refusal (a date before the centre
entered its state, a state changed meanwhile) is shown in the dialog as the service's words. No SQL
runs on the UI thread."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import col, func, select

from lzcenter_desktop.services import centers
from lzcenter_desktop.storage.models import CenterStateChange
from lzcenter_desktop.ui.pages.center_dialogs import StateChangeDialog
from tests.gui.center_gui import RECOGNISED, closed, open_centre, question, settle, shown_page, wait_status
from tests.gui.ui_thread_db import ui_thread_statements
from tests.helpers import type_text

TODAY = dt.date(2026, 4, 10)


def _dialog(qtbot: Any, page: Any, key: str) -> StateChangeDialog:
    page.detail.action_buttons[key].click()
    qtbot.waitUntil(lambda: isinstance(page.dialog, StateChangeDialog) and page.dialog.isVisible())
    dialog = page.dialog
    assert isinstance(dialog, StateChangeDialog)
    return dialog


def _type_date(dialog: StateChangeDialog, day: dt.date) -> None:
    dialog.on.line.selectAll()
    dialog.on.line.setText(day.isoformat())
    dialog.on.commit()


def _changes(ctx: Any) -> int:
    with ctx.db.session() as s:
        return int(s.execute(select(func.count()).select_from(CenterStateChange)).scalar_one())


def test_rectification_is_confirmed_then_recorded(qtbot, small_ctx) -> None:
    with ui_thread_statements(small_ctx.db.engine) as seen:
        page = shown_page(qtbot, small_ctx, today=TODAY)
        cid = open_centre(qtbot, page, RECOGNISED)
        dialog = _dialog(qtbot, page, "step:rectifying")
        assert dialog.windowTitle() == "状态变更：已认定 → 整改中"
        assert dialog.on.date() == TODAY
        before = _changes(small_ctx)

        # no reason: said in the dialog, nothing asked, nothing written
        dialog.ok_button.click()
        assert "请填写状态变更的原因" in dialog.error.text()
        assert question(dialog) is None

        type_text(dialog.document_no, "柳科发〔2026〕15号")
        type_text(dialog.reason, "2026年绩效评估结果为整改")
        dialog.ok_button.click()
        box = question(dialog)
        assert box is not None and f"确定将“{RECOGNISED}”由“已认定”改为“整改中”吗？" in box.text()
        assert box.escapeButton() is box.no and box.defaultButton() is box.no  # Enter does not confirm
        box.no.click()  # not confirmed: nothing written, the dialog stays
        settle(qtbot)
        assert _changes(small_ctx) == before and dialog.isVisible()

        dialog.ok_button.click()
        box = question(dialog)
        assert box is not None
        box.yes.click()
        settle(qtbot)
        assert closed(dialog)
        wait_status(qtbot, page, "整改中")
        assert page.detail.timeline_rows()[0][:3] == ["2026-04-10", "已认定 → 整改中", "柳科发〔2026〕15号"]
        assert page.detail.shown_actions() == ["生成证书/牌匾(&D)", "整改验收通过(&Y)…", "撤销资格(&X)…"]
        assert page.last_notice == f"“{RECOGNISED}”已改为“整改中”"
    assert seen == []
    assert _changes(small_ctx) == before + 1
    assert centers.get_center(small_ctx, cid).history[-1].reason == "2026年绩效评估结果为整改"


def test_a_refused_step_shows_the_services_message(qtbot, small_ctx) -> None:
    with ui_thread_statements(small_ctx.db.engine) as seen:
        page = shown_page(qtbot, small_ctx, today=TODAY)
        cid = open_centre(qtbot, page, RECOGNISED)
        dialog = _dialog(qtbot, page, "step:revoked")
        before = _changes(small_ctx)
        # dated before the centre was recognised (2023-08-01): the lifecycle's rule refuses
        _type_date(dialog, dt.date(2023, 7, 31))
        type_text(dialog.reason, "评估不合格")
        dialog.ok_button.click()
        question(dialog).yes.click()  # type: ignore[union-attr]
        settle(qtbot)
        assert dialog.isVisible()
        assert dialog.error.text() == "状态变更日期 2023-07-31 早于进入“已认定”状态的日期 2023-08-01"
        assert _changes(small_ctx) == before

        # meanwhile another clerk made the centre 自动放弃: the step is no longer allowed
        centers.change_state(small_ctx, center_id=cid, to_state="forfeited", on=TODAY, reason="未参加评估")
        _type_date(dialog, TODAY)
        dialog.ok_button.click()
        question(dialog).yes.click()  # type: ignore[union-attr]
        settle(qtbot)
        assert dialog.isVisible()
        assert dialog.error.text().startswith("不能将中心状态从“自动放弃”改为“已撤销”")
        dialog.reject()
        question(dialog).yes.click()  # type: ignore[union-attr]  # the typed reason is thrown away
        settle(qtbot)
        assert closed(dialog)
    assert seen == []
    with small_ctx.db.session() as s:
        last = (
            s.execute(
                select(CenterStateChange)
                .where(col(CenterStateChange.center_id) == cid)
                .order_by(col(CenterStateChange.id).desc())
            )
            .scalars()
            .first()
        )
    assert last is not None and last.to_state == "forfeited"


def test_a_wrong_date_is_pointed_out_before_anything_is_asked(qtbot, small_ctx) -> None:
    page = shown_page(qtbot, small_ctx, today=TODAY)
    open_centre(qtbot, page, RECOGNISED)
    dialog = _dialog(qtbot, page, "step:forfeited")
    dialog.on.line.setText("2026-02-30")
    type_text(dialog.reason, "未参加评估")
    dialog.ok_button.click()
    assert dialog.error.text().startswith("变更日期：")
    assert question(dialog) is None
    dialog.on.line.setText("")
    dialog.ok_button.click()
    assert dialog.error.text().startswith("变更日期：")
    dialog.reject()
    question(dialog).yes.click()  # type: ignore[union-attr]
    settle(qtbot)
