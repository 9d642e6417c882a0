"""形式审查 on the 评审 page: the queue with the rule engine's findings, 通过 / 退回补正 / 不予受理
with reasons (asked before the irreversible ones), re-submission, the 推荐单位 and the result list —
each checked in the database."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from lzcenter_desktop.services.review import calls, formal
from lzcenter_desktop.ui.models.base import RowTableModel
from lzcenter_desktop.ui.review.formal_tab import (
    FINDING_COLUMNS,
    QUEUE_COLUMNS,
    RESULT_COLUMNS,
    DecisionDialog,
    RecommendationDialog,
    ResubmitDialog,
)
from tests.gui.review_gui import closed, dialog_error, fill, settle, shown_page, submit, type_date
from tests.gui.ui_thread_db import ui_thread_statements
from tests.review_fixtures import FORMAL_ON, SUBMITTED_ON, make_call, submitted_declarations

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture
def three(ctx: Any) -> list[int]:
    make_call(ctx)
    return submitted_declarations(ctx, 3)


@pytest.fixture
def ui_sql(ctx: Any) -> Iterator[list[str]]:
    with ui_thread_statements(ctx.db.engine) as seen:
        yield seen


def select(page: Any, declaration_id: int) -> None:
    from tests.gui.review_gui import select_row

    select_row(page.formal.table, lambda r: r.declaration_id == declaration_id)


def center_state(ctx: Any, declaration_id: int) -> str:
    from lzcenter_desktop.services.uow import reading
    from lzcenter_desktop.storage.models import Center, Declaration

    with reading(ctx) as session:
        decl = session.get(Declaration, declaration_id)
        assert decl is not None and decl.center_id is not None
        center = session.get(Center, decl.center_id)
        assert center is not None
        return str(center.state)


def test_the_queue_lists_the_submitted_declarations_with_their_findings(
    qtbot: Any, ctx: Any, three: list[int], qtmodeltester: Any, ui_sql: list[str]
) -> None:
    page = shown_page(qtbot, ctx, today=FORMAL_ON)
    tab = page.formal
    assert sorted(r.declaration_id for r in tab.model.rows) == sorted(three)
    assert all(r.pending for r in tab.model.rows)
    assert {t[-1] for t in tab.model.texts()} == {"待审查"}
    qtmodeltester.check(tab.model)
    qtmodeltester.check(tab.findings_model)
    qtmodeltester.check(tab.results_model)
    assert tab.pass_button.isEnabled() and not tab.resubmit_button.isEnabled()
    assert "尚未审查" in tab.history.text()
    assert ui_sql == []


def test_return_then_resubmit_then_pass(qtbot: Any, ctx: Any, three: list[int], ui_sql: list[str]) -> None:
    first = three[0]
    page = shown_page(qtbot, ctx, today=FORMAL_ON)
    tab = page.formal
    select(page, first)
    tab.return_button.click()
    dialog = tab.dialog
    assert isinstance(dialog, DecisionDialog)
    submit(qtbot, page, dialog)  # no reason: the reasons go to the applicant, they are required
    assert "原因" in dialog_error(dialog)
    assert formal.formal_history(ctx, declaration_id=first) == []
    fill(dialog.reasons, "缺少依托单位营业执照复印件\n研发场所证明不清晰")
    submit(qtbot, page, dialog)
    assert closed(dialog)
    [check] = formal.formal_history(ctx, declaration_id=first)
    assert (check.decision, check.round, check.decided_on) == ("returned", 1, FORMAL_ON)
    assert check.reasons == ("缺少依托单位营业执照复印件", "研发场所证明不清晰")
    row = next(r for r in tab.model.rows if r.declaration_id == first)
    assert row.status_label == "退回补正（待重新提交）"
    select(page, first)
    assert not tab.pass_button.isEnabled() and tab.resubmit_button.isEnabled()
    assert "缺少依托单位营业执照复印件" in tab.history.text()
    assert [r.conclusion for r in tab.results_model.rows] == ["退回补正"]

    tab.resubmit_button.click()
    again = tab.dialog
    assert isinstance(again, ResubmitDialog)
    type_date(again.on, FORMAL_ON)
    submit(qtbot, page, again)  # the stored document (only paper material was missing)
    row = next(r for r in tab.model.rows if r.declaration_id == first)
    assert row.pending and row.round == 2
    assert row.status_label == "已重新提交，待第 2 轮审查"

    select(page, first)
    tab.pass_button.click()
    passing = tab.dialog
    assert isinstance(passing, DecisionDialog)
    passing.ok_button.click()
    question = passing.question
    assert "不能撤销" in question.text()
    question.no.click()  # 取消: nothing written
    settle(qtbot, page)
    assert len(formal.formal_history(ctx, declaration_id=first)) == 1
    submit(qtbot, page, passing)
    history = formal.formal_history(ctx, declaration_id=first)
    assert [(c.round, c.decision) for c in history] == [(1, "returned"), (2, "passed")]
    assert center_state(ctx, first) == "under_review"
    assert [r.conclusion for r in tab.results_model.rows] == ["通过"]
    assert ui_sql == []


def test_rejection_asks_first_and_is_recorded(qtbot: Any, ctx: Any, three: list[int]) -> None:
    last = three[-1]
    page = shown_page(qtbot, ctx, today=FORMAL_ON)
    tab = page.formal
    select(page, last)
    tab.reject_button.click()
    dialog = tab.dialog
    assert isinstance(dialog, DecisionDialog)
    dialog.fill_button.click()  # the findings as reasons (or nothing when there are none)
    fill(dialog.reasons, "依托单位不在本市行政区域内")
    dialog.ok_button.click()
    assert "不予受理" in dialog.question.text()
    dialog.question.yes.click()
    settle(qtbot, page)
    [check] = formal.formal_history(ctx, declaration_id=last)
    assert check.decision == "rejected"
    assert center_state(ctx, last) == "not_recognised"
    row = next(r for r in tab.model.rows if r.declaration_id == last)
    assert not row.pending and row.status_label == "不予受理"


def test_a_decision_dated_before_the_submission_shows_the_services_reason(
    qtbot: Any, ctx: Any, three: list[int]
) -> None:
    import datetime as dt

    page = shown_page(qtbot, ctx, today=FORMAL_ON)
    tab = page.formal
    select(page, three[1])
    tab.pass_button.click()
    dialog = tab.dialog
    type_date(dialog.on, SUBMITTED_ON - dt.timedelta(days=1))
    submit(qtbot, page, dialog)
    assert "早于申报书提交日期" in dialog_error(dialog)
    assert formal.formal_history(ctx, declaration_id=three[1]) == []


def test_the_recommendation_is_recorded(qtbot: Any, ctx: Any, three: list[int]) -> None:
    page = shown_page(qtbot, ctx, today=FORMAL_ON)
    tab = page.formal
    select(page, three[0])
    tab.recommend_button.click()
    dialog = tab.dialog
    assert isinstance(dialog, RecommendationDialog)
    fill(dialog.by, "柳州市柳南区科学技术局")
    fill(dialog.note, "同意推荐")
    type_date(dialog.on, SUBMITTED_ON)
    submit(qtbot, page, dialog)
    stored = calls.get_recommendation(ctx, three[0])
    assert (stored.recommended_by, stored.recommended_on, stored.note) == (
        "柳州市柳南区科学技术局",
        SUBMITTED_ON,
        "同意推荐",
    )
    row = next(r for r in tab.model.rows if r.declaration_id == three[0])
    assert row.recommended_by == "柳州市柳南区科学技术局"


def test_the_pending_filter(qtbot: Any, ctx: Any, three: list[int]) -> None:
    formal.decide_formal(ctx, declaration_id=three[0], decision="passed", on=FORMAL_ON)
    page = shown_page(qtbot, ctx, today=FORMAL_ON)
    tab = page.formal
    assert tab.model.rowCount() == 3
    tab.pending_only.setChecked(True)
    assert sorted(r.declaration_id for r in tab.model.rows) == sorted(three[1:])


def test_the_column_sets_pass_the_model_tester(qtmodeltester: Any) -> None:
    for columns in (QUEUE_COLUMNS, FINDING_COLUMNS, RESULT_COLUMNS):
        qtmodeltester.check(RowTableModel(columns, []))
