"""The state changes of 第五章 reached from the 中心 page (issue 13 item 9): they are not made by hand
there (``services.centers`` refuses them; see the service tests) but decided by the evaluation's
result on the 绩效评估 page. A centre graded 整改 goes from the 中心 page to its evaluation, the
consequence is applied there with a confirmation, and the 中心 page shows 整改中 with the step in the
timeline; the next step (整改验收) is again one click away. No SQL runs on the UI thread."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from lzcenter_desktop.domain.evaluation import Grade
from lzcenter_desktop.services import centers
from lzcenter_desktop.services.evaluation import consequences
from lzcenter_desktop.ui.evaluation.consequence_dialogs import ApplyDialog
from lzcenter_desktop.ui.main_window import MainWindow
from lzcenter_desktop.ui.pages.center_actions import all_actions
from lzcenter_desktop.ui.review.common import selected_object
from tests.consequence_records import evaluate
from tests.gui.center_gui import RECOGNISED, closed, open_centre, question, settle, wait_status
from tests.gui.review_gui import type_date
from tests.gui.ui_thread_db import ui_thread_statements
from tests.helpers import type_text

DAY = dt.date(2026, 4, 10)


@pytest.fixture
def window(qtbot, small_ctx) -> MainWindow:
    w = MainWindow(small_ctx)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    w.show_section("中心")
    qtbot.waitUntil(
        lambda: not w.centers_page.loading and w.centers_page.model.rowCount() == 3,
        timeout=30000,
    )
    return w


def _to_evaluation(qtbot: Any, window: MainWindow) -> Any:
    """Press 在绩效评估页办理 for the centre shown; the 处理结果 tab once it has read everything."""
    window.centers_page.detail.action_buttons["section:绩效评估"].click()
    assert window.current_section() == "绩效评估"
    evaluation: Any = window.page("绩效评估")
    settle(qtbot)
    qtbot.waitUntil(lambda: not evaluation.busy, timeout=30000)
    return evaluation.consequences


def test_no_button_of_the_centre_page_changes_a_state_by_hand() -> None:
    assert {a.key for a in all_actions()} == {
        "section:评审",
        "section:申报",
        "section:绩效评估",
        "section:文档",
    }


def test_a_rectification_is_applied_on_the_evaluation_page_and_shown_on_the_centre_page(
    qtbot, window, small_ctx
) -> None:
    page = window.centers_page
    with ui_thread_statements(small_ctx.db.engine) as seen:
        cid = open_centre(qtbot, page, RECOGNISED)
        # the 2026 evaluation graded 整改, its consequence not applied yet
        eid = evaluate(small_ctx, cid, Grade.RECTIFY, DAY, apply=False)

        tab = _to_evaluation(qtbot, window)
        chosen = selected_object(tab.table)
        assert chosen is not None and chosen.evaluation_id == eid
        assert chosen.outcome_label == "限期整改" and chosen.article == "第二十四条（三）"
        assert tab.apply_button.isEnabled() and not tab.request_button.isEnabled()

        tab.apply_button.click()
        dialog = tab.dialog
        assert isinstance(dialog, ApplyDialog)
        assert dialog.windowTitle() == f"执行处理结果：{RECOGNISED}"
        type_date(dialog.on, DAY)
        type_text(dialog.document_no, "柳科发〔2026〕15号")
        dialog.ok_button.click()
        box = question(dialog)
        assert box is not None and "整改中" in box.text() and "第二十四条（三）" in box.text()
        box.no.click()  # not confirmed: nothing applied, the dialog stays
        settle(qtbot)
        assert consequences.get_consequence(small_ctx, evaluation_id=eid).applied_on is None
        assert dialog.isVisible()
        dialog.ok_button.click()
        question(dialog).yes.click()  # type: ignore[union-attr]
        settle(qtbot)
        assert closed(dialog)
        assert centers.get_center(small_ctx, cid).row.status_code == "rectifying"

        # the 中心 page follows: 整改中, the step in the timeline with its 文号, still 绩效评估 to go on
        window.show_section("中心")
        wait_status(qtbot, page, "整改中")
        assert page.detail.timeline_rows()[0][:3] == ["2026-04-10", "已认定 → 整改中", "柳科发〔2026〕15号"]
        assert page.detail.shown_actions() == ["在绩效评估页办理(&J)", "生成证书/牌匾(&D)"]

        # and back: the same evaluation, now waiting for the host's acceptance request
        tab = _to_evaluation(qtbot, window)
        chosen = selected_object(tab.table)
        assert chosen is not None and chosen.evaluation_id == eid and chosen.rectification is not None
        assert not tab.apply_button.isEnabled() and tab.request_button.isEnabled()
        assert "整改期限至 2027-04-10" in tab.detail.text()
    assert seen == []
