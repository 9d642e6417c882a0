"""依托单位审核 on the 年报 page after another clerk saved the same report: refused with
该记录已被他人修改 (ui/dialogs/stale.py); 比较 shows both reviewers; 重新载入 shows the stored review
and a save from there is accepted."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox

from lzcenter_desktop.services.annual import reports
from lzcenter_desktop.ui.annual.report_dialogs import HostReviewDialog
from lzcenter_desktop.ui.dialogs.stale import StaleDialog
from tests.gui.annual_gui import Y, document, settle, shown_page, three_centres, write_json
from tests.gui.review_gui import fill, type_date

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def test_a_stale_host_review(qtbot: Any, ctx: Any, tmp_path: Path) -> None:
    ids = three_centres(ctx)
    page = shown_page(qtbot, ctx)
    tab = page.status
    path = write_json(tmp_path / "电池.json", document(name="柳州电池工程技术研究中心（柳州电池有限公司）"))
    assert tab.select_centre(ids["电池"])
    tab.choose_open_path = lambda: path
    tab.import_button.click()
    settle(qtbot, page)
    stored = reports.find_report(ctx, center_id=ids["电池"], year=Y)
    assert stored is not None
    assert tab.select_centre(ids["电池"])
    tab.review_button.click()
    dialog = tab.dialog
    assert isinstance(dialog, HostReviewDialog)
    # another clerk records a review meanwhile
    other = replace(ctx, operator="乙科员")
    reports.record_host_review(
        other, report_id=stored.report_id, reviewer="乙审的人", reviewed_on=dt.date(Y, 12, 20)
    )
    fill(dialog.reviewer, "钱七")
    type_date(dialog.on, dt.date(Y, 12, 28))
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: isinstance(getattr(dialog, "stale_dialog", None), StaleDialog), timeout=10000)
    stale = dialog.stale_dialog
    assert stale.message.text().startswith("该记录已被他人修改") and "年度报告" in stale.message.text()
    assert reports.get_report(ctx, stored.report_id).host_reviewer == "乙审的人"
    stale.compare_button.click()
    qtbot.waitUntil(stale.table.isVisible, timeout=10000)
    assert stale.differing_rows() == ["依托单位审核人", "审核日期"]
    stale.reload_button.click()
    box = stale.question
    assert isinstance(box, QMessageBox)
    box.yes.click()
    qtbot.waitUntil(lambda: dialog.reviewer.text() == "乙审的人", timeout=10000)
    assert dialog.on.date() == dt.date(Y, 12, 20)
    fill(dialog.reviewer, "钱七")
    dialog.ok_button.click()
    settle(qtbot, page)
    assert reports.get_report(ctx, stored.report_id).host_reviewer == "钱七"
