"""评审模式 opens an evaluation package (``purpose = "evaluation"``) and scores it unchanged: the
expert types each indicator's points with the keyboard, saves the return file, and the bureau's
evaluation import takes it (issue 14 item 4)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from lzcenter_desktop.services.evaluation import experts as ev
from lzcenter_desktop.services.evaluation import package, package_import, scoring
from lzcenter_desktop.ui.review_mode import ReviewModeWindow, open_review_window
from tests.integration.evaluation.expert_helpers import eval_setup, points_for, scores

CTRL = Qt.KeyboardModifier.ControlModifier


def shown(qtbot: Any, window: ReviewModeWindow) -> ReviewModeWindow:
    qtbot.addWidget(window)
    window.resize(1366, 740)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def test_evaluation_package_scored_in_review_mode(qtbot: Any, tmp_path: Path) -> None:
    ctx, setup = eval_setup(tmp_path, centres=2, experts=3, score_deadline=None)
    try:
        ev.draw_experts(ctx, round_id=setup.round_id, per_centre=3, seed=1)
        folder = tmp_path / "笔记本"
        folder.mkdir()
        paths = package.export_packages(ctx, round_id=setup.round_id, folder=folder)
        path = sorted(paths)[0]
        window = shown(qtbot, open_review_window(path))
        assert "绩效评估" in window.windowTitle()
        assert window.list.count() == 2  # both centres: 3 experts each out of 3
        points = points_for("87.5")
        for row in range(2):
            assert window.list.currentRow() == row
            window.form.focus_first()
            for key, box in window.form.boxes.items():
                assert box.hasFocus(), key
                qtbot.keyClicks(box, points[key])
                qtbot.keyClick(box, Qt.Key.Key_Return)
            assert window.form.total.text() == "合计：87.5 分（满分 100 分）"
            qtbot.keyClick(window.form.comment, Qt.Key.Key_PageDown, CTRL)
        qtbot.keyClick(window.form.comment, Qt.Key.Key_S, CTRL)
        saved = window.last_saved
        assert saved is not None and saved.complete
        window.close()
        report = package_import.import_return(ctx, path=saved.path, round_id=setup.round_id)
        assert report.applied == 2 and {s.score_text for s in scores(ctx)} == {"87.5"}
        assert scoring.expert_score_of(ctx, evaluation_id=setup.evaluation_ids[0]) is None  # 1 of 3
    finally:
        ctx.db.dispose()
