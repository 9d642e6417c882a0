"""专家评分 and 现场考察 on the 评审 page: points per indicator with the live sum, saved (Ctrl+S through
the page) and refused when changed elsewhere; the site team's score; the offline 评审包 exported and
an expert's return file — made on a second "laptop" folder — imported (a foreign file refused) —
each checked in the database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from lzcenter_desktop.services.review import scoring
from lzcenter_desktop.ui.models.base import RowTableModel
from lzcenter_desktop.ui.review.package_actions import ReturnImportDialog
from lzcenter_desktop.ui.review.scoring_tab import TASK_COLUMNS
from lzcenter_desktop.ui.review.site_tab import SITE_COLUMNS, SiteScoreDialog
from tests.gui.review_gui import fill, open_tab, select_row, settle, shown_page, submit, type_date
from tests.gui.ui_thread_db import ui_thread_statements
from tests.review_fixtures import REVIEW_ON, ReviewSetup, review_setup
from tests.review_package_helpers import FULL, fill_return

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

POINTS = {
    "rd_conditions": "18",
    "rd_team": "17.5",
    "rd_achievements": "16",
    "cooperation": "12",
    "management": "8",
    "development_plan": "13.25",
}  # 84.75


@pytest.fixture
def setup(ctx: Any) -> ReviewSetup:
    return review_setup(ctx, score_deadline=REVIEW_ON + dt.timedelta(days=5))


@pytest.fixture
def ui_sql(ctx: Any) -> Iterator[list[str]]:
    with ui_thread_statements(ctx.db.engine) as seen:
        yield seen


def scoring_tab(qtbot: Any, ctx: Any) -> Any:
    page = shown_page(qtbot, ctx, today=REVIEW_ON)
    open_tab(qtbot, page, page.scoring)
    return page


def type_points(form: Any, points: dict[str, str]) -> None:
    for key, value in points.items():
        box = form.boxes[key]
        box.setFocus()
        box.selectAll()
        box.insert(value)  # as typed: textChanged → the live checks


def test_points_are_typed_with_a_live_sum_and_saved(
    qtbot: Any, ctx: Any, setup: ReviewSetup, ui_sql: list[str]
) -> None:
    page = scoring_tab(qtbot, ctx)
    tab = page.scoring
    expert_id = tab.expert_box.currentData()
    assert expert_id in setup.expert_ids
    task = tab.task
    assert task is not None and task.score is None
    assert tab.form is not None
    type_points(tab.form, dict(list(POINTS.items())[:2]))
    assert "已录入合计：35.5 分" in tab.form.total.text()
    assert page.unsaved_changes() is not None and task.center_name in page.unsaved_changes()
    type_points(tab.form, POINTS)
    assert "合计：84.75 分" in tab.form.total.text()
    assert page.save_changes()  # Ctrl+S (文件→保存) waits for the write
    settle(qtbot, page)
    assert page.unsaved_changes() is None
    sheet = scoring.expert_view(ctx, session_id=setup.session_id, expert_id=expert_id)
    stored = next(t for t in sheet.tasks if t.assignment_id == task.assignment_id).score
    assert stored is not None
    assert (stored.total_text, stored.scored_on, stored.source) == ("84.75", REVIEW_ON, "desktop")
    assert dict(stored.points) == POINTS
    assert "已保存" in tab.message.text() and "84.75" in tab.message.text()
    row = next(t for t in tab.model.texts() if t[0].startswith(f"{task.declaration_id} "))
    assert row[2] == "已评分 84.75 分"
    assert ui_sql == []


def test_a_value_above_the_maximum_is_refused_by_the_service(
    qtbot: Any, ctx: Any, setup: ReviewSetup
) -> None:
    page = scoring_tab(qtbot, ctx)
    tab = page.scoring
    task = tab.task
    type_points(tab.form, dict(POINTS, management="10.01"))
    assert "指标“运行管理”的得分 10.01 超过该项满分 10 分" in tab.form.problems.text()  # as typed
    assert tab.save()
    settle(qtbot, page)
    assert "指标“运行管理”的得分 10.01 超过该项满分 10 分" in tab.message.text()  # the service's refusal
    sheet = scoring.expert_view(ctx, session_id=setup.session_id, expert_id=tab.expert_box.currentData())
    assert next(t for t in sheet.tasks if t.assignment_id == task.assignment_id).score is None
    assert page.unsaved_changes() is not None  # what was typed is kept


def test_scores_changed_elsewhere_are_not_overwritten(qtbot: Any, ctx: Any, setup: ReviewSetup) -> None:
    page = scoring_tab(qtbot, ctx)
    tab = page.scoring
    task = tab.task
    scoring.enter_expert_scores(ctx, assignment_id=task.assignment_id, points=FULL, scored_on=REVIEW_ON)
    type_points(tab.form, dict(POINTS, rd_team="1"))
    assert tab.save()
    settle(qtbot, page)
    assert "已在别处被修改" in tab.message.text()


def test_switching_task_with_unsaved_points_asks(qtbot: Any, ctx: Any, setup: ReviewSetup) -> None:
    page = scoring_tab(qtbot, ctx)
    tab = page.scoring
    first = tab.task
    asked: list[str] = []
    tab.confirm_discard = lambda what: asked.append(what) or False
    type_points(tab.form, {"rd_team": "12"})
    other = next(t for t in tab.model.rows if t.assignment_id != first.assignment_id)
    select_row(tab.table, lambda t: t.assignment_id == other.assignment_id)
    assert asked and tab.task.assignment_id == first.assignment_id  # 继续录入: stays
    tab.confirm_discard = lambda what: True
    select_row(tab.table, lambda t: t.assignment_id == other.assignment_id)
    assert tab.task.assignment_id == other.assignment_id and page.unsaved_changes() is None


def test_a_site_score_is_entered(qtbot: Any, ctx: Any, setup: ReviewSetup, ui_sql: list[str]) -> None:
    page = shown_page(qtbot, ctx, today=REVIEW_ON)
    open_tab(qtbot, page, page.site)
    tab = page.site
    assert tab.model.rowCount() == 3 and "还有 3 份" in tab.summary.text()
    tab.enter_button.click()
    dialog = tab.dialog
    assert isinstance(dialog, SiteScoreDialog)
    dialog.declaration.setCurrentIndex(dialog.declaration.findData(setup.declaration_ids[1]))
    fill(dialog.members, "张三、李四、王五")
    type_date(dialog.on, REVIEW_ON + dt.timedelta(days=2))
    fill(dialog.score, "100.5")
    submit(qtbot, page, dialog)
    assert "不在 0—100 分之间" in dialog.error.text()
    fill(dialog.score, "88.5")
    submit(qtbot, page, dialog)
    [stored] = scoring.site_scores(ctx, session_id=setup.session_id)
    assert (stored.declaration_id, stored.team, stored.score_text, stored.inspected_on) == (
        setup.declaration_ids[1],
        "第一考察组",
        "88.5",
        REVIEW_ON + dt.timedelta(days=2),
    )
    assert "还有 2 份" in tab.summary.text()
    assert ui_sql == []


def test_a_package_is_exported_and_the_laptops_return_file_imported(
    qtbot: Any, ctx: Any, setup: ReviewSetup, tmp_path: Path, monkeypatch: Any
) -> None:
    office = tmp_path / "office"
    laptop = tmp_path / "laptop"
    office.mkdir()
    laptop.mkdir()
    page = scoring_tab(qtbot, ctx)
    tab = page.scoring
    expert_id = tab.expert_box.currentData()
    target = office / "第一次评审会.lzreview"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    tab.export_button.click()
    settle(qtbot, page)
    assert target.is_file()
    assert "已导出评审包" in tab.message.text()

    # the laptop: the package copied over, scored in 评审模式, the return file brought back
    copied = laptop / target.name
    copied.write_bytes(target.read_bytes())
    returned = fill_return(copied, expert_id, laptop / "回执.lzreview", saved_at=None)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(returned), ""))
    tab.import_button.click()
    settle(qtbot, page)
    dialog = tab.dialog
    assert isinstance(dialog, ReturnImportDialog)
    assert dialog.view is not None and len(dialog.view.sets) == len(
        [t for t in tab.model.rows if not t.recused]
    )
    submit(qtbot, page, dialog)
    sheet = scoring.expert_view(ctx, session_id=setup.session_id, expert_id=expert_id)
    assert all(t.score is not None and t.score.source.startswith("package:") for t in sheet.tasks)
    assert "导入评分" in tab.message.text()

    tab.import_button.click()  # the same file again: nothing changes
    settle(qtbot, page)
    box = tab.question
    assert isinstance(box, QMessageBox) and "本次未作任何更改" in box.text()
    box.close()


def test_a_foreign_file_is_refused_with_its_reasons(
    qtbot: Any, ctx: Any, setup: ReviewSetup, tmp_path: Path, monkeypatch: Any
) -> None:
    junk = tmp_path / "别的文件.lzreview"
    junk.write_bytes(b"PK\x03\x04 not a return file")
    page = scoring_tab(qtbot, ctx)
    tab = page.scoring
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(junk), ""))
    tab.import_button.click()
    settle(qtbot, page)
    box = tab.question
    assert isinstance(box, QMessageBox)
    assert "不能导入" in box.text()
    box.close()


def test_the_scoring_tables_pass_the_model_tester(qtmodeltester: Any, ctx: Any, setup: ReviewSetup) -> None:
    sheet = scoring.expert_view(ctx, session_id=setup.session_id, expert_id=setup.expert_ids[0])
    qtmodeltester.check(RowTableModel(TASK_COLUMNS, list(sheet.tasks)))
    qtmodeltester.check(RowTableModel(SITE_COLUMNS, []))
