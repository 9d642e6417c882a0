"""The 绩效评估 page as a clerk works it, on a database built through the services: a new round with
the due centres ticked (recognised 2023-12-31: due in 2026, ticked; 2024-01-01: due 2027, not
listed), an expert's points typed, the round graded, a 整改 applied and its acceptance (requested the
day before the deadline: refused; on the deadline day: taken; passed: 已认定 again), a revoke refused
until graded and then applied with its article — each checked in the database, with no SQL on the
UI thread."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from lzcenter_desktop.services import centers
from lzcenter_desktop.services.evaluation import consequences, rectification, rounds, scoring
from lzcenter_desktop.services.evaluation import experts as eval_experts
from lzcenter_desktop.ui.evaluation.consequence_dialogs import AcceptanceDialog, ApplyDialog
from lzcenter_desktop.ui.evaluation.dialogs import DateStepDialog
from lzcenter_desktop.ui.evaluation.points_dialog import PointsDialog
from lzcenter_desktop.ui.evaluation.round_dialog import RoundDialog
from tests.evaluation_records import points_for, recognised_centre
from tests.gui.evaluation_gui import TODAY, open_tab, round_with_centres, score_all, shown_page
from tests.gui.review_gui import dialog_error, fill, select_row, settle, submit, type_date
from tests.gui.ui_thread_db import ui_thread_statements

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture
def ui_sql(ctx: Any) -> Iterator[list[str]]:
    with ui_thread_statements(ctx.db.engine) as seen:
        yield seen


def state_of(ctx: Any, center_id: int) -> str:
    return centers.get_center(ctx, center_id).row.status_code


def test_a_new_round_ticks_the_centres_due_that_year(qtbot: Any, ctx: Any, ui_sql: list[str]) -> None:
    last_day = recognised_centre(ctx, "末日", dt.date(2023, 12, 31))  # due 2026-12-31: in the 2026 round
    recognised_centre(ctx, "次年", dt.date(2024, 1, 1))  # due 2027-01-01: not yet
    early = recognised_centre(ctx, "年初", dt.date(2023, 1, 1))
    page = shown_page(qtbot, ctx)
    assert "还没有绩效评估批次" in page.round_info.text()
    page.new_round_button.click()
    dialog = page.dialog
    assert isinstance(dialog, RoundDialog)
    qtbot.waitUntil(lambda: not dialog.loading, timeout=10000)
    assert dialog.year.value() == 2026
    listed = [dialog.centres.item(i) for i in range(dialog.centres.count())]
    assert [i.data(Qt.ItemDataRole.UserRole) for i in listed] == [early, last_day]  # earliest due first
    assert all(i.checkState() == Qt.CheckState.Checked for i in listed)

    for item in listed:  # nothing ticked: refused before anything is written
        item.setCheckState(Qt.CheckState.Unchecked)
    submit(qtbot, page, dialog)
    assert "请勾选参评的中心" in dialog_error(dialog)
    listed[1].setCheckState(Qt.CheckState.Checked)
    type_date(dialog.started_on, dt.date(2026, 4, 1))
    dialog.held_on.line.setText("2026-13-01")  # not a date: named
    submit(qtbot, page, dialog)
    assert dialog_error(dialog).startswith("评审会日期：")
    type_date(dialog.held_on, dt.date(2026, 3, 31))  # before the start: the service refuses
    submit(qtbot, page, dialog)
    assert "早于评估开始日期" in dialog_error(dialog)
    assert rounds.list_rounds(ctx) == []
    type_date(dialog.held_on, dt.date(2026, 5, 1))
    fill(dialog.document_no, "柳科字〔2026〕12号")
    submit(qtbot, page, dialog)

    (made,) = rounds.list_rounds(ctx)
    assert (made.year, made.document_no, made.started_on) == (2026, "柳科字〔2026〕12号", dt.date(2026, 4, 1))
    assert [e.center_id for e in rounds.list_evaluations(ctx, round_id=made.round_id)] == [last_day]
    assert page.round_id == made.round_id and "柳科字〔2026〕12号" in page.round_info.text()
    assert page.rounds_tab.model.rowCount() == 1
    assert ui_sql == []


def test_scores_grade_and_a_rectification_accepted(qtbot: Any, ctx: Any, ui_sql: list[str]) -> None:
    rid, ids, (best, middle, low) = round_with_centres(ctx, 3)
    first = next(a for a in eval_experts.list_assignments(ctx, round_id=rid) if a.evaluation_id == best)
    score_all(ctx, rid, {best: "92", middle: "65", low: "50"}, skip=frozenset({first.assignment_id}))
    page = shown_page(qtbot, ctx)

    # an expert's points typed on the 专家与评分 tab
    open_tab(qtbot, page, page.experts)
    tab = page.experts
    select_row(tab.centres, lambda r: r.evaluation.evaluation_id == best)
    assert tab.centre_model.texts()[0][1:3] == ["2/3", "待评分 1 人"]
    select_row(tab.table, lambda a: a.assignment_id == first.assignment_id)
    tab.score_button.click()
    settle(qtbot, page)
    dialog = tab.dialog
    assert isinstance(dialog, PointsDialog)
    for key, value in points_for("92").items():
        dialog.score_form.boxes[key].setText(value)
    submit(qtbot, page, dialog)
    stored = scoring.get_expert_score(ctx, assignment_id=first.assignment_id)
    assert stored is not None and stored.total_text == "92" and stored.scored_on == TODAY
    assert tab.centre_model.texts()[0][1:4] == ["3/3", "评分齐全", "92.00"]

    # graded on the 评估结果 tab, asked first
    open_tab(qtbot, page, page.results)
    page.results.grade_button.click()
    grade = page.results.dialog
    assert isinstance(grade, DateStepDialog)
    grade.ok_button.click()
    assert "评定" in grade.question.text()
    grade.question.no.click()  # 取消: nothing graded
    settle(qtbot, page)
    assert rounds.get_evaluation(ctx, best).grade is None
    submit(qtbot, page, grade)
    assert [rounds.get_evaluation(ctx, e).grade for e in (best, middle, low)] == ["优秀", "整改", "不合格"]
    shown = {
        r.evaluation.evaluation_id: t
        for r, t in zip(page.results.model.rows, page.results.model.texts(), strict=True)
    }
    assert shown[best][6:] == ["优秀", "保留称号（第二十四条（一））"]
    assert shown[middle][6:] == ["整改", "限期整改（第二十四条（三））"]
    assert shown[low][6:] == ["不合格", "取消称号（第二十四条（四））"]

    # 整改 applied on the 处理结果 tab: the confirmation names what happens and the article
    open_tab(qtbot, page, page.consequences)
    ctab = page.consequences
    assert "柳州评估1号工程技术研究中心" in ctab.priority.text()  # 优秀, listed for priority
    select_row(ctab.table, lambda c: c.evaluation_id == middle)
    ctab.apply_button.click()
    apply = ctab.dialog
    assert isinstance(apply, ApplyDialog)
    apply.ok_button.click()
    question = apply.question.text()
    assert "整改中" in question and "第二十四条（三）" in question
    submit(qtbot, page, apply)
    assert state_of(ctx, ids[1]) == "rectifying"
    rect = consequences.get_consequence(ctx, evaluation_id=middle).rectification
    assert rect is not None and rect.deadline == dt.date(2027, 11, 20)
    assert not ctab.apply_button.isEnabled() and ctab.request_button.isEnabled()

    # the acceptance request: the day before the deadline refused, on the deadline day taken
    ctab.request_button.click()
    request = ctab.dialog
    assert isinstance(request, DateStepDialog)
    type_date(request.on, dt.date(2027, 11, 19))
    submit(qtbot, page, request)
    assert "整改到期后方可提出验收申请" in dialog_error(request)
    type_date(request.on, dt.date(2027, 11, 20))
    submit(qtbot, page, request)
    assert rectification.get_rectification(ctx, rect.rectification_id).applied_on == dt.date(2027, 11, 20)

    # the acceptance result: passed → 已认定 again
    assert ctab.accept_button.isEnabled()
    ctab.accept_button.click()
    accept = ctab.dialog
    assert isinstance(accept, AcceptanceDialog)
    type_date(accept.on, dt.date(2027, 12, 1))
    submit(qtbot, page, accept)
    assert "请选择验收结果" in dialog_error(accept)
    accept.passed.setChecked(True)
    submit(qtbot, page, accept)
    assert "请填写验收意见" in dialog_error(accept)
    fill(accept.note, "整改措施落实到位，研发投入明显增加")
    accept.ok_button.click()
    assert "恢复为“已认定”" in accept.question.text()
    submit(qtbot, page, accept)
    done = rectification.get_rectification(ctx, rect.rectification_id)
    assert (done.outcome, done.checked_on) == ("accepted", dt.date(2027, 12, 1))
    assert state_of(ctx, ids[1]) == "recognised"
    assert ui_sql == []


def test_a_revoke_is_refused_until_graded(qtbot: Any, ctx: Any, ui_sql: list[str]) -> None:
    rid, ids, evaluations = round_with_centres(ctx, 3)
    low = evaluations[2]
    score_all(ctx, rid, dict.fromkeys(evaluations, "50"))
    page = shown_page(qtbot, ctx)
    open_tab(qtbot, page, page.consequences)
    tab = page.consequences
    select_row(tab.table, lambda c: c.evaluation_id == low)
    assert not tab.apply_button.isEnabled()  # nothing proposed yet
    view = next(c for c in tab.model.rows if c.evaluation_id == low)
    dialog = ApplyDialog(tab, ctx, view, today=TODAY)  # were it asked anyway, the service refuses
    tab.open_dialog(dialog)
    submit(qtbot, page, dialog)
    assert "尚未评定等级" in dialog_error(dialog)
    assert state_of(ctx, ids[2]) == "recognised"
    dialog.reject()

    open_tab(qtbot, page, page.results)
    page.results.grade_button.click()
    submit(qtbot, page, page.results.dialog)
    open_tab(qtbot, page, page.consequences)
    select_row(tab.table, lambda c: c.evaluation_id == low)
    assert tab.apply_button.isEnabled()
    tab.apply_button.click()
    apply = tab.dialog
    fill(apply.document_no, "柳科字〔2026〕30号")
    apply.ok_button.click()
    assert "将取消称号（第二十四条（四））" in apply.question.text()
    submit(qtbot, page, apply)
    assert state_of(ctx, ids[2]) == "revoked"
    history = centers.get_center(ctx, ids[2]).history[-1]
    assert "第二十四条（四）" in history.reason
    select_row(tab.table, lambda c: c.evaluation_id == low)
    assert not tab.apply_button.isEnabled()  # applied once

    open_tab(qtbot, page, page.results)  # 结束评估, asked first; then nothing can be graded again
    assert page.results.finish_button.isEnabled()
    page.results.finish_button.click()
    finish = page.results.dialog
    type_date(finish.on, dt.date(2026, 12, 1))
    submit(qtbot, page, finish)
    assert rounds.get_round(ctx, rid).finished_on == dt.date(2026, 12, 1)
    assert "已于 2026-12-01 结束" in page.results.state.text()
    assert not page.results.grade_button.isEnabled() and not page.results.finish_button.isEnabled()
    assert ui_sql == []


def test_withdrawing_asks_first_and_proposes_forfeit(qtbot: Any, ctx: Any, ui_sql: list[str]) -> None:
    _rid, _ids, evaluations = round_with_centres(ctx, 2)
    page = shown_page(qtbot, ctx)
    open_tab(qtbot, page, page.centres)
    tab = page.centres
    select_row(tab.table, lambda e: e.evaluation_id == evaluations[0])
    tab.withdraw_button.click()
    dialog = tab.dialog
    submit(qtbot, page, dialog)
    assert dialog_error(dialog) == "请填写原因"
    fill(dialog.reason, "依托单位来函申请退出本次评估")
    dialog.ok_button.click()
    assert "第二十四条（五）" in dialog.question.text()
    dialog.question.no.click()
    settle(qtbot, page)
    assert rounds.get_evaluation(ctx, evaluations[0]).participated  # 取消: nothing written
    submit(qtbot, page, dialog)
    withdrawn = rounds.get_evaluation(ctx, evaluations[0])
    assert not withdrawn.participated and withdrawn.outcome == "forfeit"
    assert tab.model.texts()[0][2] == "已退出" and not tab.withdraw_button.isEnabled()
    open_tab(qtbot, page, page.consequences)
    row = next(
        t
        for c, t in zip(page.consequences.model.rows, page.consequences.model.texts(), strict=True)
        if c.evaluation_id == evaluations[0]
    )
    assert row[4:6] == ["视为自动放弃资格", "第二十四条（五）"]
    assert ui_sql == []


def test_the_section_is_the_evaluation_page_and_alt_n_opens_a_new_round(
    qtbot: Any, ctx: Any, ui_sql: list[str]
) -> None:
    from lzcenter_desktop.ui.evaluation.page import EvaluationPage
    from lzcenter_desktop.ui.main_window import MainWindow

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    assert window.show_section("绩效评估")
    page = window.stack.currentWidget()
    assert isinstance(page, EvaluationPage)
    settle(qtbot, page)
    assert [page.tabs.tabText(i) for i in range(page.tabs.count())] == [
        "评估批次",
        "参评中心",
        "专家与评分",
        "评估结果",
        "处理结果",
    ]
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    page.round_box.setFocus()
    qtbot.keyClick(page.round_box, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: page.dialog is not None)  # a mnemonic clicks after its animation
    dialog = page.dialog
    assert isinstance(dialog, RoundDialog) and dialog.isVisible()
    qtbot.waitUntil(lambda: not dialog.loading, timeout=10000)
    assert "没有应参评" in dialog.centres_note.text()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and rounds.list_rounds(ctx) == []
    assert ui_sql == []


def test_the_new_round_dialog_is_walked_with_tab_in_reading_order(qtbot: Any, ctx: Any) -> None:
    from tests.gui.keyboard import first_visits, tab_walk

    recognised_centre(ctx, "顺序", dt.date(2023, 5, 1))
    page = shown_page(qtbot, ctx)
    page.new_round_button.click()
    dialog = page.dialog
    assert isinstance(dialog, RoundDialog)
    qtbot.waitUntil(lambda: not dialog.loading, timeout=10000)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    spin = dialog.year.findChild(QLineEdit) or dialog.year
    wanted = [
        spin,
        dialog.title_edit,
        dialog.document_no,
        dialog.started_on.line,
        dialog.held_on.line,
        dialog.score_deadline.line,
        dialog.centres,
        dialog.ok_button,
    ]
    seen = tab_walk(qtbot, spin, 16)
    assert first_visits(seen, wanted) == wanted
    dialog.reject()
