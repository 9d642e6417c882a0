"""The 中心 page shows the actions a centre's state allows (issue 13 item 9): every lifecycle transition
has its place (申报, 评审, or the 中心 page for 第五章), the buttons follow the selected centre's state,
and 在评审页办理 / 生成证书/牌匾 continue in the main window's section (文档 with the centre chosen)."""

from __future__ import annotations

import datetime as dt

import pytest

from lzcenter_desktop.domain.lifecycle import TITLED_STATES, TRANSITIONS, CenterState
from lzcenter_desktop.services import centers
from lzcenter_desktop.ui.main_window import SECTIONS, MainWindow
from lzcenter_desktop.ui.pages import center_actions as ca
from tests.gui.center_gui import DRAFT, RECOGNISED, REVOKED, centre_id, open_centre, settle, shown_page
from tests.gui.ui_thread_db import ui_thread_statements

S = CenterState

# -- the table of places ---------------------------------------------------------------------------


def test_every_transition_of_the_lifecycle_has_its_place() -> None:
    pairs = {(s, t) for s, targets in TRANSITIONS.items() for t in targets}
    assert set(ca.STEP_PLACES) == pairs  # a new transition fails here until it is given a place
    assert set(ca.STEP_PLACES.values()) <= {ca.DECLARATIONS, ca.REVIEW, ca.HERE}
    assert set(ca.STEP_PLACES.values()) <= set(SECTIONS)
    here = {pair for pair, place in ca.STEP_PLACES.items() if place == ca.HERE}
    assert here == set(ca.HERE_TIPS)  # each step done here explains itself
    assert {s for s, _t in here} == {S.RECOGNISED, S.RECTIFYING}  # only 第五章 is done on this page


@pytest.mark.parametrize(
    ("state", "texts"),
    [
        (S.DRAFT, ["在申报页办理(&B)"]),
        (S.SUBMITTED, ["在评审页办理(&P)", "在申报页办理(&B)"]),
        (S.UNDER_REVIEW, ["在评审页办理(&P)"]),
        (S.PROPOSED, ["在评审页办理(&P)"]),
        (S.PUBLIC_NOTICE, ["在评审页办理(&P)"]),
        (S.RECOGNISED, ["生成证书/牌匾(&D)", "整改(&Z)…", "撤销资格(&X)…", "自动放弃(&O)…"]),
        (S.RECTIFYING, ["生成证书/牌匾(&D)", "整改验收通过(&Y)…", "撤销资格(&X)…"]),
        (S.NOT_RECOGNISED, ["在申报页办理(&B)"]),
        (S.WITHDRAWN, ["在申报页办理(&B)"]),
        (S.FORFEITED, ["在申报页办理(&B)"]),
        (S.REVOKED, ["在申报页办理(&B)"]),
    ],
)
def test_the_actions_of_each_state(state: CenterState, texts: list[str]) -> None:
    actions = ca.actions_for(state)
    assert [a.text for a in actions] == texts
    steps = {a.target for a in actions if a.target is not None}
    assert steps == {t for t in TRANSITIONS[state] if ca.STEP_PLACES[(state, t)] == ca.HERE}
    assert any(a.section == ca.DOCUMENTS for a in actions) == (state in TITLED_STATES)
    # each button shown has its own Alt letter: not 修改中心信息's (M), the filters' (S, Q, C, T) nor
    # the menu bar's (F, E, V, H)
    letters = [a.text[a.text.index("&") + 1] for a in actions]
    assert len(set(letters)) == len(letters)
    assert not set(letters) & {"M", "S", "Q", "C", "T", "F", "E", "V", "H"}


def test_the_note_of_a_revoked_centre_names_the_first_day_it_may_apply_again() -> None:
    note = ca.state_note("revoked", dt.date(2025, 4, 1))
    assert "第二十五条" in note and "最早可于 2027-04-01 起重新申请" in note
    assert "最早" not in ca.state_note("recognised", dt.date(2025, 4, 1))


# -- the detail pane ------------------------------------------------------------------------------


def test_the_buttons_follow_the_selected_centres_state(qtbot, small_ctx) -> None:
    with ui_thread_statements(small_ctx.db.engine) as seen:
        page = shown_page(qtbot, small_ctx)
        detail = page.detail
        open_centre(qtbot, page, RECOGNISED)
        assert detail.shown_actions() == ["生成证书/牌匾(&D)", "整改(&Z)…", "撤销资格(&X)…", "自动放弃(&O)…"]
        assert detail.edit_button.isVisibleTo(page)
        assert detail.action_buttons["step:revoked"].toolTip().endswith("（第二十四条（四））")
        assert not detail.action_buttons["section:评审"].isVisibleTo(page)

        open_centre(qtbot, page, DRAFT)
        assert detail.shown_actions() == ["在申报页办理(&B)"]
        assert detail.action_buttons["section:申报"].isVisibleTo(page)
        assert not detail.action_buttons["step:revoked"].isVisibleTo(page)
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
        from lzcenter_desktop.ui import ops

        ops.hub().notify({"centers"})
        qtbot.waitUntil(lambda: detail.shown_actions() == ["在评审页办理(&P)", "在申报页办理(&B)"])
        settle(qtbot)
    assert seen == []


@pytest.fixture
def window(qtbot, small_ctx) -> MainWindow:
    w = MainWindow(small_ctx)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    qtbot.waitUntil(lambda: w.centers_page.model.rowCount() == 3, timeout=30000)
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
