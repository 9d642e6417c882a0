"""分组与抽取 on the 评审 page: a panel created, declarations put on it, a random draw with its seed
shown, a hand assignment of a conflicted expert refused with the service's reason (a computed
conflict overridden with a recorded reason, a declared one never), 自动分配 — each checked in the
database."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from lzcenter_desktop.services.review import assignments, experts, panels
from lzcenter_desktop.ui.models.base import RowTableModel
from lzcenter_desktop.ui.review.panel_dialogs import (
    CANDIDATE_COLUMNS,
    AddDeclarationsDialog,
    AssignDialog,
    DrawDialog,
    PanelDialog,
    PickExpertDialog,
)
from lzcenter_desktop.ui.review.panels_tab import (
    ASSIGNMENT_COLUMNS,
    DECLARATION_COLUMNS,
    MEMBER_COLUMNS,
    PANEL_COLUMNS,
)
from tests.gui.review_gui import closed, dialog_error, fill, open_tab, select_row, settle, shown_page, submit
from tests.gui.ui_thread_db import ui_thread_statements
from tests.review_fixtures import (
    REVIEW_ON,
    add_experts,
    credit_code,
    make_call,
    pass_formal,
    submitted_declarations,
)

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@dataclass(frozen=True)
class Setup:
    call_id: int
    declarations: list[int]
    experts: list[int]
    insider: int  # works for the first declaration's host: a computed conflict
    session_id: int


@pytest.fixture
def setup(ctx: Any) -> Setup:
    call_id = make_call(ctx)
    decls = submitted_declarations(ctx, 3)
    pass_formal(ctx, decls)
    pool = add_experts(ctx, 6)
    insider = experts.create_expert(
        ctx, name="覃内部", unit="柳州测试1号科技有限公司", credit_code=credit_code(1), specialty="智能制造"
    )
    session_id = panels.create_session(ctx, call_id=call_id, title="2026年度第一次评审会", held_on=REVIEW_ON)
    return Setup(call_id, decls, pool, insider, session_id)


@pytest.fixture
def ui_sql(ctx: Any) -> Iterator[list[str]]:
    with ui_thread_statements(ctx.db.engine) as seen:
        yield seen


def panels_tab(qtbot: Any, ctx: Any) -> Any:
    page = shown_page(qtbot, ctx, today=REVIEW_ON)
    open_tab(qtbot, page, page.panels)
    return page


def test_a_panel_is_made_filled_and_drawn(qtbot: Any, ctx: Any, setup: Setup, ui_sql: list[str]) -> None:
    page = panels_tab(qtbot, ctx)
    tab = page.panels
    assert page.session_id == setup.session_id
    tab.new_panel_button.click()
    dialog = tab.dialog
    assert isinstance(dialog, PanelDialog)
    fill(dialog.name, "第一组（先进制造）")
    fill(dialog.field, "智能制造")
    dialog.minimum.setValue(3)
    submit(qtbot, page, dialog)
    [panel] = panels.list_panels(ctx, session_id=setup.session_id)
    assert (panel.name, panel.field, panel.min_experts) == ("第一组（先进制造）", "智能制造", 3)
    assert tab.selected() is not None and tab.selected().id == panel.id

    tab.draw_button.click()
    early = tab.dialog
    assert isinstance(early, DrawDialog)
    submit(qtbot, page, early)  # no declarations yet: 回避 is judged on them
    assert "还没有申报书" in dialog_error(early)
    early.reject()

    tab.add_decl_button.click()
    adding = tab.dialog
    assert isinstance(adding, AddDeclarationsDialog)
    assert adding.items.count() == 3
    adding.check_all()
    submit(qtbot, page, adding)
    assert panels.get_panel(ctx, panel.id).declaration_ids == tuple(sorted(setup.declarations))
    assert tab.decl_model.rowCount() == 3

    tab.draw_button.click()
    draw = tab.dialog
    assert isinstance(draw, DrawDialog)
    draw.count.setValue(4)
    fill(draw.seed, "2026-第一组")
    submit(qtbot, page, draw)
    stored = panels.get_panel(ctx, panel.id)
    assert stored.draw_seed == "2026-第一组"
    assert len(stored.members) == 4
    assert setup.insider not in {m.expert_id for m in stored.members}  # 回避: never drawn
    assert "2026-第一组" in tab.seed_label.text()
    assert "抽取种子：2026-第一组" in tab.message.text()
    assert "（符合条件的专家 6 名）" in tab.message.text()
    assert tab.member_model.rowCount() == 4
    assert ui_sql == []


@pytest.fixture
def panel(ctx: Any, setup: Setup) -> int:
    pid = panels.create_panel(ctx, session_id=setup.session_id, name="第一组", min_experts=3)
    panels.add_panel_declarations(ctx, panel_id=pid, declaration_ids=setup.declarations)
    panels.draw_experts(ctx, panel_id=pid, count=4, seed="fixed")
    return pid


def test_a_conflicted_assignment_is_refused_then_overridden_with_a_reason(
    qtbot: Any, ctx: Any, setup: Setup, panel: int, ui_sql: list[str]
) -> None:
    first = setup.declarations[0]
    page = panels_tab(qtbot, ctx)
    tab = page.panels
    select_row(tab.decl_table, lambda d: d.declaration_id == first)
    tab.assign_button.click()
    dialog = tab.dialog
    assert isinstance(dialog, AssignDialog)
    settle(qtbot, page)
    qtbot.waitUntil(lambda: not dialog.loading)
    assert dialog.declaration.currentData() == first
    dialog.expert.setCurrentIndex(dialog.expert.findData(setup.insider))
    assert "柳州测试1号科技有限公司" in dialog.conflicts.text()
    assert not dialog.override.isVisible()
    submit(qtbot, page, dialog)
    refusal = dialog_error(dialog)
    assert "须回避" in refusal and "不能分配" in refusal
    assert assignments.list_assignments(ctx, session_id=setup.session_id) == []
    assert dialog.override.isVisible()  # computed from the registry: may be overridden
    submit(qtbot, page, dialog)  # still no reason
    assert "强制分配理由" in dialog_error(dialog)
    fill(dialog.override, "该专家已于评审前离职，经局领导同意")
    submit(qtbot, page, dialog)
    assert closed(dialog)
    [made] = assignments.list_assignments(ctx, session_id=setup.session_id)
    assert (made.declaration_id, made.expert_id) == (first, setup.insider)
    assert made.override_reason == "该专家已于评审前离职，经局领导同意"
    shown = [row for row in tab.assign_model.texts() if "覃内部" in row[1]]
    assert shown and "强制分配" in shown[0][4]
    assert ui_sql == []


def test_a_declared_conflict_cannot_be_overridden(qtbot: Any, ctx: Any, setup: Setup, panel: int) -> None:
    first = setup.declarations[0]
    member = panels.get_panel(ctx, panel).members[0].expert_id
    experts.add_avoid_expert(ctx, declaration_id=first, expert_id=member, reason="曾有合同纠纷")
    page = panels_tab(qtbot, ctx)
    tab = page.panels
    select_row(tab.decl_table, lambda d: d.declaration_id == first)
    tab.assign_button.click()
    dialog = tab.dialog
    qtbot.waitUntil(lambda: not dialog.loading)
    dialog.expert.setCurrentIndex(dialog.expert.findData(member))
    submit(qtbot, page, dialog)
    name = experts.get_expert(ctx, member).name
    assert f"不能分配：申报单位申请专家{name}回避：曾有合同纠纷" in dialog_error(dialog)
    assert not dialog.override.isVisible()
    assert assignments.list_assignments(ctx, session_id=setup.session_id) == []


def test_auto_assign_respects_the_number_per_declaration(
    qtbot: Any, ctx: Any, setup: Setup, panel: int
) -> None:
    page = panels_tab(qtbot, ctx)
    tab = page.panels
    assert tab.per_declaration.value() == 3
    tab.per_declaration.setValue(3)
    tab.auto_button.click()
    settle(qtbot, page)
    made = assignments.list_assignments(ctx, session_id=setup.session_id)
    per = {did: sum(1 for a in made if a.declaration_id == did) for did in setup.declarations}
    assert per == {did: 3 for did in setup.declarations}
    assert "已自动分配 9 项" in tab.message.text()
    assert tab.assign_model.rowCount() == 9


def test_auto_assign_with_too_few_experts_shows_the_reason(
    qtbot: Any, ctx: Any, setup: Setup, panel: int
) -> None:
    page = panels_tab(qtbot, ctx)
    tab = page.panels
    tab.per_declaration.setValue(5)  # the panel has 4 experts
    tab.auto_button.click()
    settle(qtbot, page)
    assert "只有 4 名在库专家" in tab.message.text()
    assert assignments.list_assignments(ctx, session_id=setup.session_id) == []


def test_an_expert_is_added_by_hand_and_recused(qtbot: Any, ctx: Any, setup: Setup, panel: int) -> None:
    from lzcenter_desktop.ui.review.common import ReasonDialog, selected_object

    page = panels_tab(qtbot, ctx)
    tab = page.panels
    tab.pick_button.click()
    dialog = tab.dialog
    assert isinstance(dialog, PickExpertDialog)
    qtbot.waitUntil(lambda: not dialog.loading)
    assert dialog.model.rowCount() == 3  # the pool (7) less the 4 drawn
    select_row(dialog.table, lambda c: c.expert_id == setup.insider)
    insider = next(t for t in dialog.model.texts() if t[0] == "覃内部")
    assert insider[3].startswith("须回避：第 ") and "同一单位" in insider[3]
    submit(qtbot, page, dialog)
    assert setup.insider in {m.expert_id for m in panels.get_panel(ctx, panel).members}

    assignments.auto_assign(ctx, panel_id=panel, per_declaration=3)
    page.reload()
    settle(qtbot, page)
    select_row(tab.assign_table, lambda a: True)
    chosen = selected_object(tab.assign_table)
    tab.recuse_button.click()
    recusal = tab.dialog
    assert isinstance(recusal, ReasonDialog)
    fill(recusal.reason, "本人声明与申报单位有合作关系")
    submit(qtbot, page, recusal)
    after = {a.id: a for a in assignments.list_assignments(ctx, session_id=setup.session_id)}
    assert after[chosen.id].recused and after[chosen.id].recusal_reason == "本人声明与申报单位有合作关系"


def test_a_closed_session_disables_the_panel_buttons(qtbot: Any, ctx: Any, setup: Setup) -> None:
    from lzcenter_desktop.services.uow import unit_of_work
    from lzcenter_desktop.storage.models import ReviewSession

    with unit_of_work(ctx, "test.close") as session:
        row = session.get(ReviewSession, setup.session_id)
        assert row is not None
        row.status = "closed"
        session.add(row)
    page = panels_tab(qtbot, ctx)
    assert not page.panels.new_panel_button.isEnabled()
    assert not page.edit_session_button.isEnabled()


def test_the_panel_tables_pass_the_model_tester(
    qtmodeltester: Any, ctx: Any, setup: Setup, panel: int
) -> None:
    qtmodeltester.check(RowTableModel(PANEL_COLUMNS, panels.list_panels(ctx, session_id=setup.session_id)))
    qtmodeltester.check(RowTableModel(MEMBER_COLUMNS, panels.get_panel(ctx, panel).members))
    qtmodeltester.check(RowTableModel(CANDIDATE_COLUMNS, panels.candidates(ctx, panel_id=panel)))
    assignments.auto_assign(ctx, panel_id=panel)
    qtmodeltester.check(
        RowTableModel(ASSIGNMENT_COLUMNS, assignments.list_assignments(ctx, session_id=setup.session_id))
    )
    qtmodeltester.check(RowTableModel(DECLARATION_COLUMNS, []))
