"""专家与评分 and 参评中心 on the 绩效评估 page: a self-evaluation typed per indicator; an expert of
the centre's own host refused with the service's 回避 reason; a draw with a seed (recorded, shown);
an expert taken off with a reason (asked first); the offline packages exported to a folder, one
expert's return imported with the service's report and re-imported without change; a second
consecutive 整改 proposed as 取消称号 — each checked in the database, no SQL on the UI thread."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lzcenter_desktop.services.evaluation import experts as eval_experts
from lzcenter_desktop.services.evaluation import results, rounds, scoring
from lzcenter_desktop.services.review import experts as pool
from lzcenter_desktop.services.review import package_files
from lzcenter_desktop.ui.evaluation.expert_dialogs import AssignDialog, DrawDialog
from lzcenter_desktop.ui.evaluation.package_actions import ReturnImportDialog
from lzcenter_desktop.ui.evaluation.points_dialog import PointsDialog
from tests.evaluation_records import points_for
from tests.gui.evaluation_gui import TODAY, open_tab, round_with_centres, score_all, shown_page
from tests.gui.review_gui import dialog_error, fill, select_row, settle, submit
from tests.gui.ui_thread_db import ui_thread_statements

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

BEIJING = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
def ui_sql(ctx: Any) -> Iterator[list[str]]:
    with ui_thread_statements(ctx.db.engine) as seen:
        yield seen


def test_a_self_evaluation_is_typed_per_indicator(qtbot: Any, ctx: Any, ui_sql: list[str]) -> None:
    _rid, _ids, (evaluation,) = round_with_centres(ctx, 1)
    page = shown_page(qtbot, ctx)
    open_tab(qtbot, page, page.centres)
    tab = page.centres
    assert "2025年：已备案" in tab.basis.text()  # the three reports beside, for reference
    tab.self_button.click()
    dialog = tab.dialog
    assert isinstance(dialog, PointsDialog)
    points = points_for("81.5")
    first = next(iter(points))
    dialog.score_form.boxes[first].setText("99")  # above its maximum: refused before saving
    submit(qtbot, page, dialog)
    assert dialog_error(dialog) != "" and rounds.get_evaluation(ctx, evaluation).self_score_text is None
    for key, value in points.items():
        dialog.score_form.boxes[key].setText(value)
    submit(qtbot, page, dialog)
    assert rounds.get_evaluation(ctx, evaluation).self_score_text == "81.5"
    assert tab.model.texts()[0][3] == "81.5"
    assert ui_sql == []


def test_assign_refused_for_the_hosts_own_expert_then_draw_and_remove(
    qtbot: Any, ctx: Any, ui_sql: list[str]
) -> None:
    rid, _ids, (evaluation,) = round_with_centres(ctx, 1, experts=3)
    own = pool.create_expert(ctx, name="本单位专家", unit="柳州评估1号有限公司", specialty="机械")
    page = shown_page(qtbot, ctx)
    open_tab(qtbot, page, page.experts)
    tab = page.experts
    tab.assign_button.click()
    dialog = tab.dialog
    assert isinstance(dialog, AssignDialog)
    qtbot.waitUntil(lambda: not dialog.loading, timeout=10000)
    dialog.expert.setCurrentIndex(dialog.expert.findData(own))
    qtbot.waitUntil(lambda: not dialog.loading, timeout=10000)
    assert "回避情形" in dialog.conflicts.text()
    submit(qtbot, page, dialog)
    assert "须回避" in dialog_error(dialog) and "本单位专家" in dialog_error(dialog)
    assert own not in {a.expert_id for a in eval_experts.list_assignments(ctx, round_id=rid)}
    dialog.reject()

    pool.create_expert(ctx, name="新增专家", unit="广西新增研究院", specialty="机械")
    tab.draw_button.click()
    draw = tab.dialog
    assert isinstance(draw, DrawDialog)
    draw.per_centre.setValue(4)
    draw.seed.setText("2026")
    submit(qtbot, page, draw)
    assert "抽取种子 2026" in tab.message.text()
    active = eval_experts.list_assignments(ctx, round_id=rid, include_removed=False)
    assert len(active) == 4 and own not in {a.expert_id for a in active}

    select_row(tab.table, lambda a: a.how == "drawn")
    taken = tab.selected()
    tab.remove_button.click()
    remove = tab.dialog
    fill(remove.reason, "专家因病不能参加评审会")
    remove.ok_button.click()
    assert taken.expert_name in remove.question.text()
    submit(qtbot, page, remove)
    (gone,) = [a for a in eval_experts.list_assignments(ctx, round_id=rid) if a.status == "removed"]
    assert (gone.assignment_id, gone.removed_reason) == (taken.assignment_id, "专家因病不能参加评审会")
    assert tab.centre_model.texts()[0][1] == "0/3"
    assert evaluation in {a.evaluation_id for a in active}
    assert ui_sql == []


def test_packages_exported_and_a_return_imported(
    qtbot: Any, ctx: Any, tmp_path: Path, ui_sql: list[str]
) -> None:
    rid, _ids, (evaluation,) = round_with_centres(ctx, 1, experts=3)
    folder = tmp_path / "packages"
    folder.mkdir()
    page = shown_page(qtbot, ctx)
    open_tab(qtbot, page, page.experts)
    tab = page.experts
    tab.packages.choose_folder = lambda: str(folder)
    tab.export_button.click()
    settle(qtbot, page)
    files = sorted(folder.glob("*.lzreview"))
    assert len(files) == 3 and "已为 3 位专家各导出一个评估包" in tab.message.text()

    opened = package_files.read_package_file(files[0])
    expert_id = opened.package.experts[0].expert_id
    entries = {a.assignment_id: (points_for("77"), "") for a in opened.package.assignments_of(expert_id)}
    back = tmp_path / "return.lzreview"
    saved = dt.datetime(2026, 10, 20, 10, tzinfo=BEIJING)
    package_files.save_return_file(opened, expert_id, entries, back, now=saved)
    tab.packages.choose_file = lambda: str(back)
    tab.import_button.click()
    settle(qtbot, page)
    dialog = tab.dialog
    assert isinstance(dialog, ReturnImportDialog)
    submit(qtbot, page, dialog)
    assert "导入评分 1 份" in tab.message.text()
    (mine,) = [a for a in eval_experts.list_assignments(ctx, round_id=rid) if a.expert_id == expert_id]
    stored = scoring.get_expert_score(ctx, assignment_id=mine.assignment_id)
    assert stored is not None and stored.total_text == "77" and stored.source.startswith("package:")

    tab.import_button.click()  # the same file again: nothing changes, the service says so
    settle(qtbot, page)
    assert "已导入过" in tab.question.text()
    tab.question.close()

    bogus = tmp_path / "bogus.lzreview"
    bogus.write_bytes(b"not a zip")
    tab.packages.choose_file = lambda: str(bogus)
    tab.import_button.click()
    settle(qtbot, page)
    assert "bogus.lzreview" in tab.question.text()
    tab.question.close()
    assert evaluation == mine.evaluation_id
    assert ui_sql == []


def test_a_second_consecutive_rectify_is_proposed_as_revoked(qtbot: Any, ctx: Any, ui_sql: list[str]) -> None:
    rid, ids, (again, between) = round_with_centres(ctx, 2, past={0: "整改", 1: "合格"})
    score_all(ctx, rid, {again: "65", between: "65"})
    results.grade_round(ctx, round_id=rid, on=TODAY)
    page = shown_page(qtbot, ctx)
    open_tab(qtbot, page, page.consequences)
    tab = page.consequences
    shown = {c.evaluation_id: t for c, t in zip(tab.model.rows, tab.model.texts(), strict=True)}
    assert shown[again][1:3] == ["整改", "整改"] and shown[again][4:6] == ["取消称号", "第二十四条（四）"]
    assert shown[between][1:3] == ["整改", "合格"] and shown[between][4:6] == ["限期整改", "第二十四条（三）"]
    select_row(tab.table, lambda c: c.evaluation_id == again)
    tab.apply_button.click()
    dialog = tab.dialog
    dialog.ok_button.click()
    assert "连续二次评估结果为整改，将取消称号（第二十四条（四））" in dialog.question.text()
    dialog.question.no.click()
    dialog.reject()
    settle(qtbot, page)
    assert ids and ui_sql == []


def test_a_changed_sheet_turns_score_entry_off_with_the_reason(
    qtbot: Any, ctx: Any, ui_sql: list[str]
) -> None:
    from lzcenter_desktop.services.uow import unit_of_work
    from lzcenter_desktop.storage.models import EvaluationRound

    rid, _ids, _evaluations = round_with_centres(ctx, 1)
    with unit_of_work(ctx, "test.sheet_version") as session:
        row = session.get(EvaluationRound, rid)
        assert row is not None
        row.sheet_version = "2025.9"  # the round was started with another version of the sheet
        session.add(row)
    page = shown_page(qtbot, ctx)
    open_tab(qtbot, page, page.centres)
    assert "不能录入自评" in page.centres.message.text() and "2025.9" in page.centres.message.text()
    assert not page.centres.self_button.isEnabled() and page.centres.model.rowCount() == 1
    open_tab(qtbot, page, page.experts)
    assert "不能录入评分" in page.experts.message.text()
    select_row(page.experts.table, lambda a: True)
    assert not page.experts.score_button.isEnabled() and page.experts.remove_button.isEnabled()
    assert ui_sql == []


def test_a_late_return_needs_a_reason(qtbot: Any, ctx: Any, tmp_path: Path, ui_sql: list[str]) -> None:
    from lzcenter_desktop.services.uow import unit_of_work
    from lzcenter_desktop.storage.models import EvaluationRound

    rid, _ids, _evaluations = round_with_centres(ctx, 1, experts=3)
    with unit_of_work(ctx, "test.deadline") as session:
        row = session.get(EvaluationRound, rid)
        assert row is not None
        row.score_deadline = dt.date(2026, 10, 19)  # the return below is saved the day after
        session.add(row)
    folder = tmp_path / "packages"
    folder.mkdir()
    page = shown_page(qtbot, ctx)
    open_tab(qtbot, page, page.experts)
    tab = page.experts
    tab.packages.choose_folder = lambda: str(folder)
    tab.export_button.click()
    settle(qtbot, page)
    opened = package_files.read_package_file(sorted(folder.glob("*.lzreview"))[0])
    expert_id = opened.package.experts[0].expert_id
    entries = {a.assignment_id: (points_for("70"), "") for a in opened.package.assignments_of(expert_id)}
    back = tmp_path / "late.lzreview"
    package_files.save_return_file(
        opened, expert_id, entries, back, now=dt.datetime(2026, 10, 20, 9, tzinfo=BEIJING)
    )
    tab.packages.choose_file = lambda: str(back)
    tab.import_button.click()
    settle(qtbot, page)
    dialog = tab.dialog
    assert isinstance(dialog, ReturnImportDialog) and dialog.late
    assert dialog.ok_button.text() == "逾期导入(&O)"
    submit(qtbot, page, dialog)
    assert dialog_error(dialog) == "请填写逾期导入的理由"
    fill(dialog.reason, "专家出差，回执延迟一天送达")
    submit(qtbot, page, dialog)
    assert "逾期导入，理由：专家出差，回执延迟一天送达" in tab.message.text()
    (mine,) = [a for a in eval_experts.list_assignments(ctx, round_id=rid) if a.expert_id == expert_id]
    stored = scoring.get_expert_score(ctx, assignment_id=mine.assignment_id)
    assert stored is not None and stored.total_text == "70"
    assert ui_sql == []


def test_the_centres_tab_is_walked_with_tab_in_reading_order(qtbot: Any, ctx: Any) -> None:
    from PySide6.QtWidgets import QApplication

    from tests.gui.keyboard import first_visits, tab_walk

    round_with_centres(ctx, 1)
    page = shown_page(qtbot, ctx)
    open_tab(qtbot, page, page.centres)
    page.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page)
    tab = page.centres
    wanted = [tab.self_button, tab.recheck_on.line, tab.recheck_button, tab.withdraw_button, tab.table]
    seen = tab_walk(qtbot, tab.self_button, 8)
    assert first_visits(seen, wanted) == wanted
