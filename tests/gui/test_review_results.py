"""汇总排名, 公示 and 认定 on the 评审 page: the ranking with two decimals cut (59.995 shows 59.99 and
is not 拟认定; 60.00 is), an exception recorded with its reason, 结束评审; the notice published, an
anonymous objection not accepted and a signed one handled; recognition refused before the notice
ends and then done with numbers — each checked in the database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from lzcenter_desktop.services.review import assignments, notice, results, scoring
from lzcenter_desktop.ui.models.base import RowTableModel
from lzcenter_desktop.ui.review.notice_dialogs import ObjectionDialog, PublishDialog, ResolveDialog
from lzcenter_desktop.ui.review.notice_tab import ITEM_COLUMNS, OBJECTION_COLUMNS
from lzcenter_desktop.ui.review.recognition_tab import ROW_COLUMNS, RecogniseDialog
from lzcenter_desktop.ui.review.results_tab import RESULT_COLUMNS, CloseSessionDialog, ExceptionDialog
from tests.gui.review_gui import (
    dialog_error,
    fill,
    open_tab,
    select_row,
    settle,
    shown_page,
    submit,
    type_date,
)
from tests.gui.ui_thread_db import ui_thread_statements
from tests.review_fixtures import REVIEW_ON, ReviewSetup, review_setup

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

MAXIMA = {
    "rd_conditions": Decimal(20),
    "rd_team": Decimal(20),
    "rd_achievements": Decimal(20),
    "cooperation": Decimal(15),
    "management": Decimal(10),
    "development_plan": Decimal(15),
}
DECIDED_ON = REVIEW_ON + dt.timedelta(days=3)
NOTICE_ON = REVIEW_ON + dt.timedelta(days=7)


def points_for(total: str) -> dict[str, str]:
    left = Decimal(total)
    out: dict[str, str] = {}
    for key, top in MAXIMA.items():
        take = min(top, left)
        out[key] = str(take)
        left -= take
    assert left == 0
    return out


@dataclass(frozen=True)
class Scored:
    setup: ReviewSetup
    high: int  # 80 × 50 % + 90 × 50 % = 85
    edge: int  # 59.99 × 50 % + 60 × 50 % = 59.995: shown 59.99, not 拟认定
    line: int  # 70 × 50 % + 50 × 50 % = 60: 拟认定


@pytest.fixture
def scored(ctx: Any) -> Scored:
    setup = review_setup(ctx)
    high, edge, line = setup.declaration_ids
    plan = {high: ("80", "90"), edge: ("59.99", "60"), line: ("70", "50")}
    for a in assignments.list_assignments(ctx, session_id=setup.session_id, include_recused=False):
        expert, _site = plan[a.declaration_id]
        scoring.enter_expert_scores(ctx, assignment_id=a.id, points=points_for(expert), scored_on=REVIEW_ON)
    for did, (_expert, site) in plan.items():
        scoring.enter_site_score(
            ctx,
            session_id=setup.session_id,
            declaration_id=did,
            team="第一考察组",
            score=site,
            inspected_on=REVIEW_ON,
        )
    return Scored(setup, high, edge, line)


@pytest.fixture
def ui_sql(ctx: Any) -> Iterator[list[str]]:
    with ui_thread_statements(ctx.db.engine) as seen:
        yield seen


def test_an_incomplete_session_cannot_be_closed(qtbot: Any, ctx: Any) -> None:
    review_setup(ctx)
    page = shown_page(qtbot, ctx, today=DECIDED_ON)
    open_tab(qtbot, page, page.results)
    tab = page.results
    assert "尚不能汇总：评分尚未齐全" in tab.state.text()
    assert not tab.close_button.isEnabled()
    assert tab.model.rowCount() == 0


def test_the_ranking_shows_two_decimals_and_closes_with_an_exception(
    qtbot: Any, ctx: Any, scored: Scored, ui_sql: list[str]
) -> None:
    page = shown_page(qtbot, ctx, today=DECIDED_ON)
    open_tab(qtbot, page, page.results)
    tab = page.results
    shown = {r.row.declaration_id: texts for r, texts in zip(tab.model.rows, tab.model.texts(), strict=True)}
    assert [r.row.declaration_id for r in tab.model.rows] == [scored.high, scored.line, scored.edge]
    assert (
        shown[scored.high][0] == "1"
        and shown[scored.high][6] == "85.00"
        and shown[scored.high][7] == "拟认定"
    )
    assert shown[scored.line][6] == "60.00" and shown[scored.line][7] == "拟认定"  # exactly at the line
    assert shown[scored.edge][6] == "59.99" and shown[scored.edge][7] == "不予认定"  # 59.995 is not 60
    assert tab.close_button.isEnabled()

    select_row(tab.table, lambda r: r.row.declaration_id == scored.edge)
    tab.exception_button.click()
    dialog = tab.dialog
    assert isinstance(dialog, ExceptionDialog)
    dialog.ok_button.click()
    assert "请填写例外理由" in dialog.error.text()
    fill(dialog.reason, "经评审委员会研究，该中心在本领域具有特殊地位")
    dialog.ok_button.click()
    settle(qtbot, page)
    edge_row = next(
        t
        for r, t in zip(tab.model.rows, tab.model.texts(), strict=True)
        if r.row.declaration_id == scored.edge
    )
    assert edge_row[7] == "拟认定（例外，结束评审时记录）"

    tab.close_button.click()
    closing = tab.dialog
    assert isinstance(closing, CloseSessionDialog)
    type_date(closing.on, DECIDED_ON)
    closing.ok_button.click()
    assert "不能撤销" in closing.question.text()
    closing.question.yes.click()
    settle(qtbot, page)
    stored = {r.declaration_id: r for r in results.session_results(ctx, session_id=scored.setup.session_id)}
    assert stored[scored.edge].outcome == "proposed"
    assert stored[scored.edge].exception_reason == "经评审委员会研究，该中心在本领域具有特殊地位"
    assert stored[scored.edge].shown_total == "59.99" and stored[scored.edge].total_text == "59.995"
    assert stored[scored.line].outcome == "proposed" and stored[scored.line].exception_reason is None
    assert page.session_closed()
    assert "已结束" in tab.state.text()
    assert "拟认定 3 份" in tab.message.text()
    assert not tab.close_button.isEnabled()
    assert ui_sql == []


@pytest.fixture
def proposed(ctx: Any, scored: Scored) -> Scored:
    results.close_session(ctx, session_id=scored.setup.session_id, decided_on=DECIDED_ON)
    return scored


def test_notice_objections_and_recognition(qtbot: Any, ctx: Any, proposed: Scored, ui_sql: list[str]) -> None:
    page = shown_page(qtbot, ctx, today=NOTICE_ON)
    open_tab(qtbot, page, page.notice)
    tab = page.notice
    assert {i.declaration_id for i in tab.waiting_model.rows} == {proposed.high, proposed.line}
    tab.publish_button.click()
    dialog = tab.dialog
    assert isinstance(dialog, PublishDialog)
    settle(qtbot, page)
    qtbot.waitUntil(lambda: dialog.period is not None)
    assert dialog.period is not None and dialog.period.start == NOTICE_ON
    assert dialog.period_label.text() == dialog.period.text
    assert "拟认定以下2家单位" in dialog.body_edit.toPlainText()
    fill(dialog.document_no, "柳科公示〔2026〕1号")
    dialog.ok_button.click()
    assert "公示中" in dialog.question.text()
    dialog.question.yes.click()
    settle(qtbot, page)
    [published] = notice.list_notices(ctx, call_id=proposed.setup.call_id)
    assert (published.published_on, published.document_no, published.status) == (
        NOTICE_ON,
        "柳科公示〔2026〕1号",
        "open",
    )
    assert {i.state for i in published.items} == {"public_notice"}
    assert tab.waiting_model.rowCount() == 0 and tab.items_model.rowCount() == 2

    # an anonymous letter: recorded, not accepted
    tab.record_button.click()
    objection = tab.dialog
    assert isinstance(objection, ObjectionDialog)
    objection.kind.setCurrentIndex(objection.kind.findData("anonymous"))
    assert "将登记为不予受理：匿名提出的异议不予受理" in objection.acceptance.text()
    fill(objection.content, "该中心研发人员数量不实")
    submit(qtbot, page, objection)
    # a person's signed letter: accepted, then handled
    tab.record_button.click()
    signed = tab.dialog
    signed.center.setCurrentIndex(signed.center.findData(published.items[0].center_id))
    signed.kind.setCurrentIndex(signed.kind.findData("person"))
    assert signed.form_box.currentData() == "signed"
    assert "将予以受理" in signed.acceptance.text()
    fill(signed.submitter, "李某某")
    fill(signed.content, "该中心场地面积不足")
    type_date(signed.received, NOTICE_ON + dt.timedelta(days=1))
    submit(qtbot, page, signed)
    [current] = notice.list_notices(ctx, call_id=proposed.setup.call_id)
    by_kind = {o.submitter_kind: o for o in current.objections}
    assert not by_kind["anonymous"].accepted and by_kind["anonymous"].outcome == "not_accepted"
    assert by_kind["person"].accepted and by_kind["person"].outcome == "pending"
    assert "待处理 1 件" in tab.notice_info.text()

    # recognition is refused while the notice runs and while the objection is open
    open_tab(qtbot, page, page.recognition)
    recog = page.recognition
    assert "尚不能发文认定" in recog.state.text() and "异议尚未处理完毕" in recog.state.text()
    fill(recog.document_no, "柳科发〔2026〕30号")
    recog.recognise_button.click()
    attempt = recog.dialog
    assert isinstance(attempt, RecogniseDialog)
    submit(qtbot, page, attempt)
    assert "不能发文认定" in dialog_error(attempt) and "才能发文认定" in dialog_error(attempt)
    attempt.reject()

    open_tab(qtbot, page, page.notice)
    select_row(tab.objections_table, lambda o: o.id == by_kind["person"].id)
    tab.resolve_button.click()
    resolving = tab.dialog
    assert isinstance(resolving, ResolveDialog)
    fill(resolving.resolution, "经现场核查，场地面积符合要求")
    type_date(resolving.on, NOTICE_ON + dt.timedelta(days=3))
    submit(qtbot, page, resolving)
    [current] = notice.list_notices(ctx, call_id=proposed.setup.call_id)
    handled = next(o for o in current.objections if o.id == by_kind["person"].id)
    assert (handled.outcome, handled.resolved_on) == ("dismissed", NOTICE_ON + dt.timedelta(days=3))

    after = current.ends_on + dt.timedelta(days=1)
    open_tab(qtbot, page, page.recognition)
    type_date(recog.on, current.ends_on)  # the last day of the notice: still too early
    settle(qtbot, page)
    assert "尚不能发文认定" in recog.state.text()
    type_date(recog.on, after)
    settle(qtbot, page)
    assert "可以发文认定" in recog.state.text() and "将认定 2 个中心" in recog.state.text()
    recog.recognise_button.click()
    doing = recog.dialog
    assert doing.document_no.text() == "柳科发〔2026〕30号"
    submit(qtbot, page, doing)
    rows = {
        r.item.declaration_id: texts for r, texts in zip(recog.model.rows, recog.model.texts(), strict=True)
    }
    year = after.year
    assert rows[proposed.high][2] == "已认定"
    assert rows[proposed.high][3] == "柳科发〔2026〕30号"
    assert rows[proposed.high][4] == f"柳工程中心证〔{year}〕001号"  # the highest total first
    assert rows[proposed.high][5] == f"LZETRC-{year}-001"
    assert rows[proposed.line][4] == f"柳工程中心证〔{year}〕002号"
    assert "已发文认定 2 个中心" in recog.message.text()
    [closed_notice] = notice.list_notices(ctx, call_id=proposed.setup.call_id)
    assert closed_notice.status == "closed"
    assert ui_sql == []


def test_the_result_tables_pass_the_model_tester(qtmodeltester: Any) -> None:
    for columns in (RESULT_COLUMNS, ITEM_COLUMNS, OBJECTION_COLUMNS, ROW_COLUMNS):
        qtmodeltester.check(RowTableModel(columns, []))
