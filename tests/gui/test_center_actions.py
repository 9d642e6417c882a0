"""The 中心 page shows the actions a centre's state allows (issue 13 item 9): every lifecycle transition
has its place (申报, 评审, or 绩效评估 for the steps of 第五章, decided there by the evaluation's result),
the buttons follow the selected centre's state, and 在评审页办理 / 在绩效评估页办理 / 生成证书/牌匾
continue in the main window's section — 绩效评估 with the centre's latest evaluation chosen, 文档 with
the centre chosen."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlmodel import col, select

from lzcenter_desktop.domain.evaluation import Grade
from lzcenter_desktop.domain.lifecycle import TITLED_STATES, TRANSITIONS, CenterState
from lzcenter_desktop.services import centers
from lzcenter_desktop.services.uow import unit_of_work
from lzcenter_desktop.storage.models import EvaluationRound
from lzcenter_desktop.ui import ops
from lzcenter_desktop.ui.evaluation.page import NOT_EVALUATED
from lzcenter_desktop.ui.main_window import SECTIONS, MainWindow
from lzcenter_desktop.ui.pages import center_actions as ca
from lzcenter_desktop.ui.review.common import selected_object
from tests.consequence_records import evaluate, round_of_year, step_by_evaluation
from tests.gui.center_gui import DRAFT, RECOGNISED, REVOKED, centre_id, open_centre, settle, shown_page
from tests.gui.ui_thread_db import ui_thread_statements

S = CenterState
EVALUATION_BUTTON = "在绩效评估页办理(&J)"

# -- the table of places ---------------------------------------------------------------------------


def test_every_transition_of_the_lifecycle_has_its_place() -> None:
    pairs = {(s, t) for s, targets in TRANSITIONS.items() for t in targets}
    assert set(ca.STEP_PLACES) == pairs  # a new transition fails here until it is given a place
    assert set(ca.STEP_PLACES.values()) == {ca.DECLARATIONS, ca.REVIEW, ca.EVALUATION}
    assert set(ca.STEP_PLACES.values()) <= set(SECTIONS)
    # the steps of 第五章 (第二十四条) are those the evaluation decides, and only those
    assert {pair for pair, place in ca.STEP_PLACES.items() if place == ca.EVALUATION} == {
        (S.RECOGNISED, S.RECTIFYING),
        (S.RECOGNISED, S.REVOKED),
        (S.RECOGNISED, S.FORFEITED),
        (S.RECTIFYING, S.RECOGNISED),
        (S.RECTIFYING, S.REVOKED),
    }
    tip = ca.section_action(ca.EVALUATION).tip
    assert "绩效评估" in tip and "第二十四条" in tip


@pytest.mark.parametrize(
    ("state", "texts"),
    [
        (S.DRAFT, ["在申报页办理(&B)"]),
        (S.SUBMITTED, ["在评审页办理(&P)", "在申报页办理(&B)"]),
        (S.UNDER_REVIEW, ["在评审页办理(&P)"]),
        (S.PROPOSED, ["在评审页办理(&P)"]),
        (S.PUBLIC_NOTICE, ["在评审页办理(&P)"]),
        (S.RECOGNISED, [EVALUATION_BUTTON, "生成证书/牌匾(&D)"]),
        (S.RECTIFYING, [EVALUATION_BUTTON, "生成证书/牌匾(&D)"]),
        (S.NOT_RECOGNISED, ["在申报页办理(&B)"]),
        (S.WITHDRAWN, ["在申报页办理(&B)"]),
        (S.FORFEITED, ["在申报页办理(&B)"]),
        (S.REVOKED, ["在申报页办理(&B)"]),
    ],
)
def test_the_actions_of_each_state(state: CenterState, texts: list[str]) -> None:
    actions = ca.actions_for(state)
    assert [a.text for a in actions] == texts
    assert {a.section for a in actions} - {ca.DOCUMENTS} == {
        ca.STEP_PLACES[(state, t)] for t in TRANSITIONS[state]
    }
    assert any(a.section == ca.DOCUMENTS for a in actions) == (state in TITLED_STATES)
    # each button shown has its own Alt letter: not 修改中心信息's (M), the filters' (S, Q, C, T) nor
    # the menu bar's (F, E, V, H)
    letters = [a.text[a.text.index("&") + 1] for a in actions]
    assert len(set(letters)) == len(letters)
    assert not set(letters) & {"M", "S", "Q", "C", "T", "F", "E", "V", "H"}


def test_the_bar_lays_the_buttons_out_in_the_order_of_each_state() -> None:
    laid_out = [a.key for a in ca.all_actions()]
    assert len(set(laid_out)) == len(laid_out)
    for state in CenterState:
        keys = [a.key for a in ca.actions_for(state)]
        assert [k for k in laid_out if k in keys] == keys, state


def test_the_notes_of_chapter_five_point_to_the_evaluation_page() -> None:
    for state in (S.RECOGNISED, S.RECTIFYING):
        note = ca.state_note(state)
        assert "“绩效评估”页" in note and "第二十四条" in note
    assert "整改验收" in ca.state_note(S.RECTIFYING)


def test_the_note_of_a_revoked_centre_names_the_first_day_it_may_apply_again() -> None:
    note = ca.state_note("revoked", dt.date(2025, 4, 1))
    assert "第二十五条" in note and "最早可于 2027-04-01 起重新申请" in note
    assert "最早" not in ca.state_note("recognised", dt.date(2025, 4, 1))


# -- the detail pane ------------------------------------------------------------------------------


def test_the_buttons_follow_the_selected_centres_state(qtbot, small_ctx) -> None:
    with ui_thread_statements(small_ctx.db.engine) as seen:
        page = shown_page(qtbot, small_ctx)
        detail = page.detail
        recognised = open_centre(qtbot, page, RECOGNISED)
        assert detail.shown_actions() == [EVALUATION_BUTTON, "生成证书/牌匾(&D)"]
        assert detail.edit_button.isVisibleTo(page)
        assert "第二十四条" in detail.action_buttons["section:绩效评估"].toolTip()
        assert "“绩效评估”页" in detail.note_label.text()
        assert not detail.action_buttons["section:评审"].isVisibleTo(page)

        open_centre(qtbot, page, DRAFT)
        assert detail.shown_actions() == ["在申报页办理(&B)"]
        assert detail.action_buttons["section:申报"].isVisibleTo(page)
        assert not detail.action_buttons["section:绩效评估"].isVisibleTo(page)
        assert "申报书草稿" in detail.note_label.text()

        open_centre(qtbot, page, REVOKED)
        assert detail.shown_actions() == ["在申报页办理(&B)"]
        assert "最早可于 2027-04-01 起重新申请" in detail.note_label.text()

        # a state changed elsewhere: the pane follows (data_changed re-reads the detail)
        draft = centre_id(page, DRAFT)
        open_centre(qtbot, page, DRAFT)
        centers.change_state(
            small_ctx, center_id=draft, to_state="submitted", on=dt.date(2024, 3, 1), reason="提交"
        )
        ops.hub().notify({"centers"})
        qtbot.waitUntil(lambda: detail.shown_actions() == ["在评审页办理(&P)", "在申报页办理(&B)"])

        # 整改中 (by an evaluation's 整改, applied on the 绩效评估 page): still done there
        open_centre(qtbot, page, RECOGNISED)
        step_by_evaluation(small_ctx, recognised, "rectifying", dt.date(2026, 4, 10))
        ops.hub().notify({"centers", "evaluation"})
        qtbot.waitUntil(lambda: detail.detail is not None and detail.detail.row.status == "整改中")
        assert detail.shown_actions() == [EVALUATION_BUTTON, "生成证书/牌匾(&D)"]
        assert "整改验收" in detail.note_label.text()
        settle(qtbot)
    assert seen == []


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


def test_generating_the_certificate_goes_to_documents_with_the_centre_chosen(
    qtbot, window, small_ctx
) -> None:
    page = window.centers_page
    with ui_thread_statements(small_ctx.db.engine) as seen:
        cid = open_centre(qtbot, page, RECOGNISED)
        page.detail.action_buttons["section:文档"].click()
        assert window.current_section() == "文档"
        documents = window.documents_page
        qtbot.waitUntil(lambda: documents.loaded and not documents.loading, timeout=30000)
        chosen = documents.selected_center()
        assert chosen is not None and chosen.id == cid
        settle(qtbot)
    assert seen == []


def _round_id(ctx: Any, year: int) -> int:
    with ctx.db.session() as s:
        return int(
            s.execute(select(col(EvaluationRound.id)).where(col(EvaluationRound.year) == year)).scalar_one()
        )


def _landed(qtbot: Any, window: MainWindow) -> Any:
    """The 绩效评估 page once every read it started has answered."""
    assert window.current_section() == "绩效评估"
    evaluation: Any = window.page("绩效评估")
    settle(qtbot)
    qtbot.waitUntil(lambda: not evaluation.busy, timeout=30000)
    assert evaluation.tabs.currentWidget() is evaluation.consequences  # 处理结果
    return evaluation


def test_the_evaluation_button_lands_on_the_centres_latest_evaluation(qtbot, window, small_ctx) -> None:
    page = window.centers_page
    with ui_thread_statements(small_ctx.db.engine) as seen:
        cid = open_centre(qtbot, page, RECOGNISED)

        # never evaluated: the 处理结果 tab says what to do first
        with qtbot.waitSignal(page.section_requested) as asked:
            page.detail.action_buttons["section:绩效评估"].click()
        assert asked.args == ["绩效评估", cid]
        evaluation = _landed(qtbot, window)
        assert evaluation.consequences.message.text() == NOT_EVALUATED
        assert evaluation.round_id == _round_id(small_ctx, 2025)  # the only round (the revoked centre's)

        # graded 整改 in 2025 after the revoked centre (so not the first row), and a 2026 round it is
        # not in (so not the newest round): the button finds the 2025 evaluation all the same
        mine = evaluate(small_ctx, cid, Grade.RECTIFY, dt.date(2025, 6, 1), apply=False)
        with unit_of_work(small_ctx, "test.newer_round") as session:
            round_of_year(session, 2026)
        ops.hub().notify({"evaluation"})
        window.show_section("中心")
        settle(qtbot)
        page.detail.action_buttons["section:绩效评估"].click()
        evaluation = _landed(qtbot, window)
        assert evaluation.round_id == _round_id(small_ctx, 2025)
        assert evaluation.round_box.currentData() == _round_id(small_ctx, 2025)
        assert evaluation.round_box.count() == 2
        tab = evaluation.consequences
        assert [c.center_id for c in tab.model.rows][1] == cid
        chosen = selected_object(tab.table)
        assert chosen is not None and chosen.evaluation_id == mine
        assert tab.apply_button.isEnabled()  # the 整改 is applied here (第二十四条（三））
        assert tab.message.text() == ""  # the earlier “not evaluated” is gone
        assert window.focusWidget() is tab.table

        # from the 绩效评估 page showing the 2026 round: the button chooses 2025 again
        evaluation.choose_round(_round_id(small_ctx, 2026))
        settle(qtbot)
        assert tab.model.rows == []
        window.show_section("中心")
        page.detail.action_buttons["section:绩效评估"].click()
        evaluation = _landed(qtbot, window)
        assert evaluation.round_box.currentData() == _round_id(small_ctx, 2025)
        chosen = selected_object(tab.table)
        assert chosen is not None and chosen.evaluation_id == mine
    assert seen == []


def test_a_centre_in_review_is_handled_on_the_review_page(qtbot, window, small_ctx) -> None:
    page = window.centers_page
    draft = centre_id(page, DRAFT)
    centers.change_state(
        small_ctx, center_id=draft, to_state="submitted", on=dt.date(2024, 3, 1), reason="提交"
    )
    page.reload()
    qtbot.waitUntil(lambda: not page.loading)
    open_centre(qtbot, page, DRAFT)
    assert page.detail.shown_actions()[0] == "在评审页办理(&P)"
    with qtbot.waitSignal(page.section_requested) as asked:
        page.detail.action_buttons["section:评审"].click()
    assert asked.args == ["评审", draft]
    assert window.current_section() == "评审"
    settle(qtbot)
    window.show_section("中心")
    page.detail.action_buttons["section:申报"].click()
    assert window.current_section() == "申报"
    settle(qtbot)
