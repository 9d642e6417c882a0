"""评审模式 on an expert's laptop: a session package opened without a database, the expert picks
themselves, types points with the keyboard (live sum and maximum checks), saves the return file
beside the package — which the bureau then imports."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from lzcenter_desktop.services.review import package, package_import
from lzcenter_desktop.ui.review_mode import ExpertPickDialog, ReviewModeWindow, open_review_window
from tests.helpers import type_text
from tests.review_fixtures import REVIEW_ON, review_setup
from tests.review_package_helpers import FULL, assignments_of, score_of

CTRL = Qt.KeyboardModifier.ControlModifier
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def laptop(ctx: Any, tmp_path: Path) -> tuple[Any, Any, Path]:
    """A session with assignments, its package copied to a second "laptop" folder."""
    setup = review_setup(ctx, score_deadline=REVIEW_ON + dt.timedelta(days=3))
    folder = tmp_path / "笔记本"
    folder.mkdir()
    view = package.export_package(ctx, session_id=setup.session_id, path=folder / "第一次评审会.lzreview")
    return ctx, setup, view.path


def shown(qtbot: Any, window: ReviewModeWindow) -> ReviewModeWindow:
    qtbot.addWidget(window)
    window.resize(1366, 740)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def type_points(qtbot: Any, window: ReviewModeWindow, points: dict[str, str]) -> None:
    """Type each indicator's points and press Enter to go to the next box, as an expert would."""
    window.form.focus_first()
    for key, box in window.form.boxes.items():
        assert box.hasFocus(), key
        qtbot.keyClicks(box, points[key])
        qtbot.keyClick(box, Qt.Key.Key_Return)


def test_pick_expert_with_the_keyboard(qtbot: Any, laptop: tuple[Any, Any, Path]) -> None:
    from lzcenter_desktop.services.review.package_files import read_package_file

    _, _, path = laptop
    opened = read_package_file(path)
    dialog = ExpertPickDialog(opened.package)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.list.count() == len(opened.package.experts) > 1
    assert "评审 " in dialog.list.item(0).text()
    qtbot.keyClick(dialog.list, Qt.Key.Key_Down)
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.list, Qt.Key.Key_Return)
    assert dialog.expert_id() == opened.package.experts[1].expert_id


def test_enter_scores_save_the_return_file_and_import_it(qtbot: Any, laptop: tuple[Any, Any, Path]) -> None:
    ctx, setup, path = laptop
    chosen: list[int] = []

    def pick(pkg: Any) -> int:
        chosen.append(pkg.experts[0].expert_id)
        return chosen[0]

    window = shown(qtbot, open_review_window(path, pick=pick))
    expert = chosen[0]
    mine = assignments_of(ctx, setup.session_id, expert)
    # only the expert's own declarations
    assert window.list.count() == len(mine)
    assert window.windowTitle().endswith(f"（已评完 0/{len(mine)}）")
    assert "○ 未评分" in window.list.item(0).text()
    first_box = window.form.boxes["rd_conditions"]

    # live sum and maximum check while typing
    window.form.focus_first()
    qtbot.keyClicks(first_box, "21")
    assert "超过该项满分 20 分" in window.form.problems.text()
    assert "✗ 有误" in window.list.item(0).text()
    qtbot.keyClick(first_box, Qt.Key.Key_Backspace)
    qtbot.keyClick(first_box, Qt.Key.Key_Backspace)
    assert window.form.total.text().startswith("已录入合计：0 分")

    for row in range(len(mine)):
        assert window.list.currentRow() == row
        type_points(qtbot, window, FULL)
        assert window.form.guidance.text().startswith("评分说明 — 发展规划")  # the last box typed in
        assert window.form.total.text() == "合计：84.75 分（满分 100 分）"
        assert window.form.comment.hasFocus()  # Enter on the last box goes to the comment
        if row == 0:
            type_text(window.form.comment, "研发投入强度较高")
        assert "✓ 已评完" in window.list.item(row).text()
        qtbot.keyClick(window.form.comment, Qt.Key.Key_PageDown, CTRL)
    assert window.windowTitle().endswith(f"（已评完 {len(mine)}/{len(mine)}）*")

    qtbot.keyClick(window.form.comment, Qt.Key.Key_S, CTRL)
    saved = window.last_saved
    assert saved is not None and saved.complete and not saved.late
    assert saved.path.parent == path.parent
    assert saved.path.name.startswith("第一次评审会-") and saved.path.name.endswith("-回执.lzreview")
    assert "均已评完" in window.status.text() and not window.dirty

    view = package_import.import_return(ctx, path=saved.path, session_id=setup.session_id)
    assert [s.action for s in view.sets] == ["applied"] * len(mine)
    for a in mine:
        assert a.id is not None
        score = score_of(ctx, a.id)
        assert score is not None and score.score_text == "84.75"
    first = score_of(ctx, mine[0].id or 0)
    assert first is not None and first.comment == "研发投入强度较高"


def test_reopening_goes_on_from_the_saved_return(qtbot: Any, laptop: tuple[Any, Any, Path]) -> None:
    _, _, path = laptop
    window = shown(qtbot, open_review_window(path, pick=lambda pkg: pkg.experts[0].expert_id))
    type_points(qtbot, window, dict(FULL, development_plan="1"))
    assert window.save(confirm=False) is not None  # the others are not scored yet: saved anyway
    assert window.last_saved is not None and not window.last_saved.complete
    window.close()

    again = shown(qtbot, open_review_window(path, pick=lambda pkg: pkg.experts[0].expert_id))
    assert "已载入上次保存的回执" in again.status.text()
    assert again.form.boxes["development_plan"].text() == "1"
    assert again.form.total.text() == "合计：72.5 分（满分 100 分）"
    assert not again.dirty


def test_fits_a_laptop_screen(qtbot: Any, laptop: tuple[Any, Any, Path]) -> None:
    _, _, path = laptop
    window = shown(qtbot, open_review_window(path, pick=lambda pkg: pkg.experts[0].expert_id))
    hint = window.minimumSizeHint()
    assert hint.width() <= 1366 and hint.height() <= 740
    # the whole score sheet, the guidance, the sum and the problems without scrolling
    assert window.form_scroll.verticalScrollBar().maximum() == 0
    assert window.form.total.isVisible() and window.form.guidance.text().startswith("评分说明 — 研发条件")
    for box in window.form.boxes.values():
        assert isinstance(box, QLineEdit) and box.isVisible()
        corner = box.mapTo(window, box.rect().bottomRight())
        assert 0 <= corner.x() <= window.width() and 0 <= corner.y() <= window.height()


def test_review_mode_needs_no_database(tmp_path: Path, laptop: tuple[Any, Any, Path]) -> None:
    """On a laptop without the application's database: open, score, save — in a fresh process that
    never loads the database layer and creates no database file."""
    _, _, path = laptop
    home = tmp_path / "空的用户目录"
    home.mkdir()
    script = f"""
import sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
app = QApplication([])
from lzcenter_desktop.ui.review_mode import open_review_window
window = open_review_window(Path({str(path)!r}), pick=lambda pkg: pkg.experts[-1].expert_id)
for row in range(window.list.count()):
    window.list.setCurrentRow(row)
    window.form.set_values({FULL!r}, "")
    window._on_changed()
saved = window.save(confirm=False)
assert saved is not None and saved.complete, saved
layer = any(m.split(".")[0] in ("sqlalchemy", "sqlmodel", "alembic") for m in sys.modules)
print("database layer loaded:", layer)
"""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_DATA_HOME=str(home), LOCALAPPDATA=str(home))
    env.pop("LZCENTER_DB", None)
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "database layer loaded: False" in result.stdout
    assert list(home.rglob("*.sqlite")) == []
    assert list(path.parent.glob("*-回执.lzreview"))
