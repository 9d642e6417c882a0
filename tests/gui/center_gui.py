"""Helpers for the 中心 page tests of centre records (issue 13 item 9): the page shown at 1366×768
on the three centres of ``small_ctx``, a centre opened in the detail pane, every read and write
answered."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from lzcenter_desktop.ui import ops
from lzcenter_desktop.ui.pages.centers import CentersPage
from lzcenter_desktop.ui.tasks import running_tasks

RECOGNISED = "柳州汽车轻量化工程技术研究中心"  # 已认定 on 2023-08-01
DRAFT = "柳州智能装备工程技术研究中心"  # 草稿
REVOKED = "柳州特色食品工程技术研究中心"  # 已撤销 on 2025-04-01


def settle(qtbot: Any) -> None:
    """Every write has run and every read (and the reads they caused) has answered."""
    for _ in range(3):
        assert ops.wait_for_writes()
        qtbot.waitUntil(lambda: running_tasks() == 0, timeout=30000)
        QCoreApplication.processEvents()


def shown_page(qtbot: Any, ctx: Any, *, today: dt.date | None = None) -> CentersPage:
    page = CentersPage(ctx, today=today)
    qtbot.addWidget(page)
    page.resize(1366 - 130, 768 - 60)
    page.show()
    page.on_shown(True)
    qtbot.waitUntil(lambda: not page.loading and page.model.rowCount() > 0, timeout=30000)
    return page


def centre_id(page: CentersPage, name: str) -> int:
    return next(r.id for r in page.model.rows if r.name == name)


def open_centre(qtbot: Any, page: CentersPage, name: str) -> int:
    cid = centre_id(page, name)
    assert page.select_center(cid)
    qtbot.waitUntil(lambda: page.detail.detail is not None and page.detail.detail.row.id == cid)
    return cid


def wait_status(qtbot: Any, page: CentersPage, status: str) -> None:
    qtbot.waitUntil(lambda: page.detail.detail is not None and page.detail.detail.row.status == status)


def question(widget: QWidget) -> QMessageBox | None:
    """The question box ``ui.review.common.ask`` / ``inform`` left open on ``widget``, if any."""
    box = getattr(widget, "question", None)
    if isinstance(box, QMessageBox):
        import shiboken6

        if shiboken6.isValid(box) and box.isVisible():
            return box
    return None


def activate(qtbot: Any, widget: QWidget) -> None:
    widget.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget)


def closed(dialog: QWidget) -> bool:
    """The dialog was closed (it deletes itself when closed)."""
    import shiboken6

    return not shiboken6.isValid(dialog) or not dialog.isVisible()
