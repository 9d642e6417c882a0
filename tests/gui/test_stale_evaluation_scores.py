"""A stale save of 录入专家评分 (绩效评估 → 专家与评分; optimistic locking): another clerk saved the
same expert's points of the same centre after the form opened; saving opens 该记录已被他人修改 —
nothing of the typed points is written, 比较 lists the indicators, 重新载入 shows the stored points
(and their new version) and a save from there is accepted. Another expert's points saved
meanwhile do not stand in the way."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
import shiboken6
from PySide6.QtWidgets import QMessageBox

from lzcenter_desktop.services.evaluation import experts as eval_experts
from lzcenter_desktop.services.evaluation import scoring
from lzcenter_desktop.services.versioning import STALE_PREFIX
from lzcenter_desktop.ui.dialogs.stale import StaleDialog
from lzcenter_desktop.ui.evaluation.points_dialog import PointsDialog
from tests.evaluation_records import points_for
from tests.gui.evaluation_gui import TODAY, open_tab, round_with_centres, shown_page
from tests.gui.review_gui import closed, select_row, settle, submit

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def _score_form_of_the_first_expert(qtbot: Any, ctx: Any) -> tuple[Any, Any, Any, PointsDialog, int]:
    """One centre in a round; 录入专家评分 opened for its first expert: (first, second, page, the
    dialog, the evaluation's id)."""
    rid, _ids, (evaluation,) = round_with_centres(ctx, 1)
    first, second, *_rest = eval_experts.list_assignments(ctx, round_id=rid, include_removed=False)
    page = shown_page(qtbot, ctx)
    open_tab(qtbot, page, page.experts)
    tab = page.experts
    select_row(tab.table, lambda a: a.assignment_id == first.assignment_id)
    tab.score_button.click()
    settle(qtbot, page)
    dialog = tab.dialog
    assert isinstance(dialog, PointsDialog)
    return first, second, page, dialog, evaluation


def test_a_stale_score_save_is_refused_and_saved_after_reloading(qtbot: Any, ctx: Any) -> None:
    first, _second, page, dialog, evaluation = _score_form_of_the_first_expert(qtbot, ctx)
    opened_at = dialog.version
    assert opened_at is not None
    # the other clerk saves the same expert's points of the same centre meanwhile
    scoring.enter_expert_scores(
        replace(ctx, operator="乙科员"),
        assignment_id=first.assignment_id,
        points=points_for("70"),
        scored_on=TODAY,
    )
    for key, value in points_for("92").items():
        dialog.score_form.boxes[key].setText(value)
    submit(qtbot, page, dialog)
    qtbot.waitUntil(lambda: isinstance(getattr(dialog, "stale_dialog", None), StaleDialog))
    stale = dialog.stale_dialog
    qtbot.waitUntil(stale.isVisible)
    assert stale.message.text().startswith(STALE_PREFIX) and "专家评分" in stale.message.text()
    stored = scoring.get_expert_score(ctx, assignment_id=first.assignment_id)
    assert stored is not None and stored.total_text == "70"  # the typed 92 not written

    stale.compare_button.click()
    qtbot.waitUntil(stale.table.isVisible)
    assert stale.differing_rows()  # the typed points beside the stored ones
    assert "评分日期" not in stale.differing_rows()

    stale.reload_button.click()
    box = stale.question
    assert isinstance(box, QMessageBox)
    box.yes.click()
    qtbot.waitUntil(lambda: not shiboken6.isValid(stale) or not stale.isVisible())
    qtbot.waitUntil(lambda: dialog.version == opened_at + 1)
    assert dialog.score_form.points() == dict(stored.points) and "已重新载入" in dialog.error.text()
    assert dialog.unsaved_changes() is None  # what is shown is what is stored

    for key, value in points_for("92").items():
        dialog.score_form.boxes[key].setText(value)
    submit(qtbot, page, dialog)
    assert closed(dialog)
    stored = scoring.get_expert_score(ctx, assignment_id=first.assignment_id)
    assert stored is not None and stored.total_text == "92"
    assert scoring.expert_score_form(ctx, assignment_id=first.assignment_id)[1] == opened_at + 2
    assert evaluation == first.evaluation_id


def test_another_experts_points_saved_meanwhile_do_not_stop_the_save(qtbot: Any, ctx: Any) -> None:
    first, second, page, dialog, _evaluation = _score_form_of_the_first_expert(qtbot, ctx)
    scoring.enter_expert_scores(  # the other clerk, at the same panel, enters the second sheet
        replace(ctx, operator="乙科员"),
        assignment_id=second.assignment_id,
        points=points_for("70"),
        scored_on=TODAY,
    )
    for key, value in points_for("92").items():
        dialog.score_form.boxes[key].setText(value)
    submit(qtbot, page, dialog)
    assert closed(dialog)
    assert getattr(dialog, "stale_dialog", None) is None
    totals = {
        a: scoring.get_expert_score(ctx, assignment_id=a) for a in (first.assignment_id, second.assignment_id)
    }
    assert {a: v.total_text if v else None for a, v in totals.items()} == {
        first.assignment_id: "92",
        second.assignment_id: "70",
    }
