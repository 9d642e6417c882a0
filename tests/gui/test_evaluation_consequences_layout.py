"""处理结果 (ui/evaluation/consequences_tab.py) at 1366×768 in the main window: the steps are the row
above the table, the selected centre's letters a row under its details — every button shown at
its full width inside the window, none overlapping, each with its own mnemonic and in the tab
order (issue 16: the single row of six was full at 1366 px)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

from lzcenter_desktop.ui.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

NAMES = (
    "apply_button",
    "request_button",
    "accept_button",
    "rectification_pdf_button",
    "acceptance_pdf_button",
    "revocation_pdf_button",
)


@pytest.fixture
def tab(qtbot: Any, small_ctx: Any) -> Any:
    window = MainWindow(small_ctx)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.go_to_section("绩效评估")
    page: Any = window.page("绩效评估")
    page.show_tab(page.consequences)
    QApplication.processEvents()
    assert window.width() == 1366
    return page.consequences


def in_window(widget: QWidget) -> QRect:
    return QRect(widget.mapTo(widget.window(), QPoint(0, 0)), widget.size())


def test_every_button_fits_at_full_width_inside_the_window(tab: Any) -> None:
    buttons: list[QPushButton] = [getattr(tab, n) for n in NAMES]
    window = tab.window()
    rects = [in_window(b) for b in buttons]
    for b, r in zip(buttons, rects, strict=True):
        assert b.isVisible(), b.text()
        assert b.width() >= b.sizeHint().width(), b.text()  # not squeezed: the whole text shows
        assert r.left() >= 0 and r.right() < window.width(), b.text()
    for i, r in enumerate(rects):
        assert not any(r.intersects(o) for o in rects[i + 1 :]), buttons[i].text()
    steps, letters = rects[:3], rects[3:]
    assert len({r.top() for r in steps}) == 1 and len({r.top() for r in letters}) == 1
    assert letters[0].top() > tab.table.mapTo(window, QPoint(0, tab.table.height())).y()  # under the table
    room = tab.width()  # each row needs less than the tab has
    assert tab.layout().itemAt(0).layout().minimumSize().width() < room
    assert tab.rectification_pdf_button.parentWidget().minimumSizeHint().width() < room // 2 + 100


def test_each_button_keeps_its_own_mnemonic_and_its_place_in_the_tab_order(tab: Any) -> None:
    keys = [re.search(r"&(\w)", getattr(tab, n).text()) for n in NAMES]
    assert all(k is not None for k in keys)
    letters = [k.group(1) for k in keys if k is not None]
    assert len(set(letters)) == len(letters) == 6
    chain: list[QWidget] = []
    w = tab.apply_button.nextInFocusChain()
    while w is not tab.apply_button and len(chain) < 500:
        chain.append(w)
        w = w.nextInFocusChain()
    for n in NAMES[1:]:
        assert getattr(tab, n) in chain, n
    assert chain.index(tab.table) < chain.index(tab.rectification_pdf_button)  # steps, table, letters
