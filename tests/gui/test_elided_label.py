"""The status text beside the saved-file notice (ui/elided_label.py): shortened with “…” when it
has no room, never painted under the notice; the whole text stays in text(), tooltip and
accessible name."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QFontMetricsF

from lzcenter_desktop.ui.elided_label import ElidedLabel
from lzcenter_desktop.ui.main_window import MainWindow
from lzcenter_desktop.ui.saved_notice import announce_saved


@pytest.fixture(autouse=True)
def fonts(qapp: Any) -> None:
    """The bundled Chinese fonts, as the application has them (widths are measured with them)."""
    from lzcenter_desktop.ui.fonts import register_application_fonts

    register_application_fonts(qapp)


LONG = (
    "2025年度柳州市工程技术研究中心绩效评估（已结束）："
    "共 17 个中心，参加 16 个，未参加或退出 1 个，已评定 16 个"
)


@pytest.mark.parametrize(("spare", "elided"), [(-1, True), (0, False), (1, False)])
def test_shortened_only_below_the_width_of_the_text(qtbot: Any, spare: int, elided: bool) -> None:
    label = ElidedLabel("共 40 个中心，显示 40 个")
    qtbot.addWidget(label)
    need = math.ceil(QFontMetricsF(label.font()).horizontalAdvance(label.text()))
    margins = label.contentsMargins()
    label.resize(need + spare + margins.left() + margins.right(), 20)
    assert label.contentsRect().width() == need + spare
    assert label.shown_text().endswith("…") is elided
    assert (label.shown_text() == label.text()) is not elided


def test_the_whole_text_stays_readable(qtbot: Any) -> None:
    label = ElidedLabel()
    qtbot.addWidget(label)
    label.setText(LONG)
    label.resize(120, 20)
    assert label.text() == LONG and label.toolTip() == LONG and label.accessibleName() == LONG
    assert label.shown_text().endswith("…") and len(label.shown_text()) < len(LONG)


def test_the_status_text_makes_room_for_the_saved_notice(
    qtbot: Any, ctx: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.show_section("中心")
    page = window.centers_page
    qtbot.waitUntil(lambda: not page.loading and window.count_label.text() == "共 0 个中心，显示 0 个")
    monkeypatch.setattr(page, "status_text", lambda: LONG * 2)  # a page's text too long for the room
    page.status_changed.emit()
    assert window.count_label.text() == LONG * 2
    notice = announce_saved(window, tmp_path / "2025年度柳州市工程技术研究中心绩效评估结果名单.pdf")
    qtbot.waitUntil(lambda: notice.isVisible() and notice.width() > 0)
    label = window.count_label
    qtbot.waitUntil(lambda: label.shown_text().endswith("…"))
    assert label.geometry().right() < notice.geometry().left(), (window.width(), label.geometry())
    squeezed = len(label.shown_text())
    notice.close_button.click()  # × gives the room back
    qtbot.waitUntil(lambda: len(label.shown_text()) > squeezed)
