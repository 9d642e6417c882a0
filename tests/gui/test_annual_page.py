"""The 年报 page (第二十一条) as a clerk uses it: the report year due by default, the 报送情况 table on
1 January (one overdue, one late, one on time), its filters and the reminder list, import of a good
and of a bad file (JSON and Excel; errors listed place by place, nothing stored), 查看, and the host
review → 报送 → 备案 steps through their dialogs — every database call off the UI thread."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox

from lzcenter_desktop.domain.report_dues import DueStatus
from lzcenter_desktop.services.annual import dues, reports
from lzcenter_desktop.ui.annual.common import default_report_year
from lzcenter_desktop.ui.annual.page import AnnualPage
from lzcenter_desktop.ui.annual.report_dialogs import DateStepDialog, HostReviewDialog, ImportErrorsDialog
from lzcenter_desktop.ui.annual.report_view import ReportViewDialog
from lzcenter_desktop.ui.annual.status_tab import StatusRow
from lzcenter_desktop.ui.main_window import MainWindow
from tests.gui.annual_gui import NEW_YEAR, Y, document, settle, shown_page, three_centres, write_json
from tests.gui.review_gui import dialog_error, fill, type_date
from tests.gui.ui_thread_db import ui_thread_statements

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture
def ui_sql(ctx: Any) -> Iterator[list[str]]:
    with ui_thread_statements(ctx.db.engine) as seen:
        yield seen


@pytest.fixture
def ids(ctx: Any) -> dict[str, int]:
    return three_centres(ctx)


def table_rows(page: AnnualPage) -> dict[str, list[str]]:
    """What the 报送情况 table shows (after filters and sorting), by centre name."""
    proxy = page.status.proxy
    out: dict[str, list[str]] = {}
    for row in range(proxy.rowCount()):
        cells = [str(proxy.index(row, c).data()) for c in range(proxy.columnCount())]
        out[cells[0]] = cells
    return out


def name(core: str) -> str:
    return f"柳州{core}工程技术研究中心（柳州{core}有限公司）"


def select(page: AnnualPage, center_id: int) -> StatusRow:
    assert page.status.select_centre(center_id)
    row = page.status.selected()
    assert row is not None
    return row


@pytest.mark.parametrize(
    ("today", "year"),
    [
        (dt.date(2026, 11, 30), 2025),  # the day before 1 December: last year's reports
        (dt.date(2026, 12, 1), 2026),  # from 1 December: this year's
        (dt.date(2026, 12, 31), 2026),
        (dt.date(2027, 1, 1), 2026),  # the day after the deadline: still the year just ended
    ],
)
def test_the_year_shown_first_is_the_one_due(today: dt.date, year: int) -> None:
    assert default_report_year(today) == year


def test_the_annual_section_is_this_page(qtbot: Any, ctx: Any) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show_section("年报")
    page = window.stack.currentWidget()
    assert isinstance(page, AnnualPage)
    settle(qtbot, page)
    assert [page.tabs.tabText(i) for i in range(page.tabs.count())] == ["报送情况", "现场核查"]
    assert page.minimumSizeHint().width() <= 1100
    assert window.minimumSizeHint().width() <= 1280 and window.minimumSizeHint().height() <= 720
    window.close()


def test_on_1_january_one_report_is_overdue(
    qtbot: Any, ctx: Any, ids: dict[str, int], ui_sql: list[str]
) -> None:
    page = shown_page(qtbot, ctx, today=NEW_YEAR)
    assert page.year == Y and page.year_box.value() == Y
    shown = table_rows(page)
    assert {n: cells[2] for n, cells in shown.items()} == {
        name("轻量化"): "已按期报送",  # submitted 31 December
        name("智能装备"): "逾期报送",  # submitted 1 January
        name("电池"): "逾期未报",  # nothing by 31 December
    }
    assert shown[name("轻量化")][3] == "2025-12-31" and shown[name("智能装备")][3] == "2026-01-01"
    assert shown[name("轻量化")][4] == "已提交" and shown[name("电池")][4] == "未导入"
    assert shown[name("轻量化")][5] == "赵六 2025-12-15"
    assert "应报 3 家" in page.status.summary.text() and "逾期未报 1" in page.status.summary.text()
    assert "截止日期 2025-12-31" in page.year_info.text()
    # the reminder list holds the one not received
    assert [page.status.reminder_list.item(i).text() for i in range(page.status.reminder_list.count())] == [
        f"{name('电池')}（逾期未报）"
    ]
    assert ui_sql == []


def test_on_31_december_nothing_is_overdue_yet(qtbot: Any, ctx: Any, ids: dict[str, int]) -> None:
    page = shown_page(qtbot, ctx, today=dt.date(Y, 12, 31))
    assert page.year == Y
    assert {n: cells[2] for n, cells in table_rows(page).items()} == {
        name("轻量化"): "已按期报送",
        name("智能装备"): "未报送",  # submitted the next day: not yet received on 31 December
        name("电池"): "未报送",
    }
    assert page.status.reminder_list.count() == 2


def test_the_reminder_list_starts_on_1_december(qtbot: Any, ctx: Any, ids: dict[str, int]) -> None:
    page = shown_page(qtbot, ctx, today=dt.date(Y + 1, 11, 30))
    page.choose_year(Y + 1)
    settle(qtbot, page)
    assert page.status.reminder_list.count() == 0
    assert "自 2026-12-01 起" in page.status.reminder_note.text()
    assert not page.status.copy_button.isEnabled()
    page = shown_page(qtbot, ctx, today=dt.date(Y + 1, 12, 1))
    assert page.year == Y + 1
    assert page.status.reminder_list.count() == 3  # nobody has filed 2026 yet
    assert page.status.copy_button.isEnabled()


def test_reminders_are_copied_and_exported(
    qtbot: Any, ctx: Any, ids: dict[str, int], tmp_path: Path, ui_sql: list[str]
) -> None:
    page = shown_page(qtbot, ctx)
    page.status.copy_button.click()
    copied = QGuiApplication.clipboard().text()
    assert copied.splitlines()[1] == "序号\t中心名称\t依托单位\t报送情况\t截止日期"
    assert copied.splitlines()[2] == f"1\t{name('电池')}\t柳州电池有限公司\t逾期未报\t2025-12-31"
    target = tmp_path / "提醒名单"
    page.status.choose_save_path = lambda *_: target
    page.status.export_button.click()
    settle(qtbot, page)
    written = tmp_path / "提醒名单.xlsx"
    assert "已导出提醒名单" in page.status.message.text()
    sheet = load_workbook(written).active
    assert [c.value for c in sheet[3]] == ["1", name("电池"), "柳州电池有限公司", "逾期未报", "2025-12-31"]
    assert sheet.max_row == 3
    assert ui_sql == []


def test_filters_and_sorting(qtbot: Any, ctx: Any, ids: dict[str, int]) -> None:
    page = shown_page(qtbot, ctx)
    tab = page.status
    tab.status_box.setCurrentIndex(tab.status_box.findText("逾期未报"))
    assert list(table_rows(page)) == [name("电池")]
    tab.status_box.setCurrentIndex(tab.status_box.findText("全部"))
    fill(tab.filter_edit, "智能")
    assert list(table_rows(page)) == [name("智能装备")]
    tab.filter_edit.clear()
    tab.table.sortByColumn(3, Qt.SortOrder.DescendingOrder)  # 报送日期, latest first
    assert [r[3] for r in table_rows(page).values()][:2] == ["2026-01-01", "2025-12-31"]


def test_a_bad_file_is_refused_with_its_places_and_nothing_is_stored(
    qtbot: Any, ctx: Any, ids: dict[str, int], tmp_path: Path, ui_sql: list[str]
) -> None:
    page = shown_page(qtbot, ctx)
    bad = document(name=name("电池"))
    bad["staff"][1]["degree"] = "大学"
    path = write_json(tmp_path / "电池-2025.json", bad)
    select(page, ids["电池"])
    page.status.choose_open_path = lambda: path
    page.status.import_button.click()
    settle(qtbot, page)
    dialog = page.status.dialog
    assert isinstance(dialog, ImportErrorsDialog)
    errors = dialog.model.texts()
    assert len(errors) == 1 and "staff[1].degree" in errors[0][0] + errors[0][1] and "大学" in errors[0][1]
    assert "未导入" in page.status.message.text()
    assert reports.find_report(ctx, center_id=ids["电池"], year=Y) is None
    dialog.close()
    assert ui_sql == []


def test_a_bad_workbook_names_the_sheet_and_cell(
    qtbot: Any, ctx: Any, ids: dict[str, int], tmp_path: Path
) -> None:
    page = shown_page(qtbot, ctx)
    select(page, ids["轻量化"])
    page.status.choose_save_path = lambda *_: tmp_path / "模板.xlsx"
    page.status.template_button.click()  # pre-filled with the stored report
    settle(qtbot, page)
    assert "已保存填报模板" in page.status.message.text()
    book = load_workbook(tmp_path / "模板.xlsx")
    place = next(
        (ws.title, cell.coordinate)
        for ws in book.worksheets
        for row in ws.iter_rows()
        for cell in row
        if cell.value == "博士"
    )
    book[place[0]][place[1]].value = "大学"
    book.save(tmp_path / "电池.xlsx")
    select(page, ids["电池"])
    page.status.choose_open_path = lambda: tmp_path / "电池.xlsx"
    page.status.import_button.click()
    settle(qtbot, page)
    dialog = page.status.dialog
    assert isinstance(dialog, ImportErrorsDialog)
    assert any(f"{place[0]}!{place[1]}" in p for p, _m in dialog.model.texts())
    assert reports.find_report(ctx, center_id=ids["电池"], year=Y) is None
    dialog.close()


def test_a_good_file_is_imported_then_reviewed_submitted_and_filed(
    qtbot: Any, ctx: Any, ids: dict[str, int], tmp_path: Path, ui_sql: list[str]
) -> None:
    page = shown_page(qtbot, ctx)
    tab = page.status
    path = write_json(tmp_path / "电池-2025.json", document(name=name("电池")))
    select(page, ids["电池"])
    assert not tab.view_button.isEnabled() and not tab.submit_button.isEnabled()
    tab.choose_open_path = lambda: path
    tab.import_button.click()
    settle(qtbot, page)
    assert "已导入" in tab.message.text()
    stored = reports.find_report(ctx, center_id=ids["电池"], year=Y)
    assert stored is not None and stored.status == "draft" and stored.source == "json"
    assert table_rows(page)[name("电池")][4] == "草稿"
    select(page, ids["电池"])
    assert tab.view_button.isEnabled() and tab.review_button.isEnabled() and not tab.file_button.isEnabled()

    # 依托单位审核: reviewer and a typed day
    tab.review_button.click()
    dialog = tab.dialog
    assert isinstance(dialog, HostReviewDialog)
    fill(dialog.reviewer, "钱七")
    type_date(dialog.on, dt.date(Y, 12, 28))
    dialog.ok_button.click()
    settle(qtbot, page)
    after = reports.get_report(ctx, stored.report_id)
    assert (after.host_reviewer, after.host_reviewed_on) == ("钱七", dt.date(Y, 12, 28))

    # 报送 before the review day is refused in the dialog, in Chinese; then on 1 January (late)
    select(page, ids["电池"])
    tab.submit_button.click()
    dialog = tab.dialog
    assert isinstance(dialog, DateStepDialog)
    type_date(dialog.on, dt.date(Y, 12, 27))
    dialog.ok_button.click()
    question = dialog.question
    assert isinstance(question, QMessageBox) and "报送" in question.text()
    question.yes.click()
    settle(qtbot, page)
    assert "早于依托单位审核日期" in dialog_error(dialog)
    assert reports.get_report(ctx, stored.report_id).status == "draft"
    type_date(dialog.on, NEW_YEAR)
    dialog.ok_button.click()
    assert "逾期报送" in dialog.question.text()  # the question says it will count as late
    dialog.question.yes.click()
    settle(qtbot, page)
    assert reports.get_report(ctx, stored.report_id).submitted_on == NEW_YEAR
    assert table_rows(page)[name("电池")][2] == "逾期报送"

    # 备案, asked first; 取消 writes nothing
    select(page, ids["电池"])
    assert tab.file_button.isEnabled() and not tab.submit_button.isEnabled()
    tab.file_button.click()
    dialog = tab.dialog
    assert isinstance(dialog, DateStepDialog)
    type_date(dialog.on, dt.date(Y + 1, 1, 5))
    dialog.ok_button.click()
    dialog.question.no.click()
    settle(qtbot, page)
    assert reports.get_report(ctx, stored.report_id).status == "submitted"
    dialog.ok_button.click()
    dialog.question.yes.click()
    settle(qtbot, page)
    filed = reports.get_report(ctx, stored.report_id)
    assert (filed.status, filed.filed_on) == ("filed", dt.date(Y + 1, 1, 5))
    assert table_rows(page)[name("电池")][6] == "2026-01-05"
    status = {r.center_id: r.status for r in dues.year_dues(ctx, year=Y, as_of=NEW_YEAR).rows}
    assert status[ids["电池"]] is DueStatus.LATE
    assert ui_sql == []


def test_importing_over_a_submitted_report_is_refused_in_chinese(
    qtbot: Any, ctx: Any, ids: dict[str, int], tmp_path: Path
) -> None:
    page = shown_page(qtbot, ctx)
    path = write_json(tmp_path / "轻量化.json", document(name=name("轻量化")))
    select(page, ids["轻量化"])
    assert not page.status.import_button.isEnabled()  # a received report is not replaced
    page.status.choose_open_path = lambda: path
    page.status.import_report()  # even when asked directly, the service refuses
    settle(qtbot, page)
    assert "不能再保存或导入覆盖" in page.status.message.text()


def test_enter_opens_the_report_grouped_by_the_forms_sections(
    qtbot: Any, ctx: Any, ids: dict[str, int], ui_sql: list[str]
) -> None:
    last_year = reports.save_report(ctx, center_id=ids["轻量化"], year=Y - 1, data=document(Y - 1))
    assert last_year
    page = shown_page(qtbot, ctx)
    select(page, ids["轻量化"])
    page.status.table.setFocus()
    qtbot.keyClick(page.status.table, Qt.Key.Key_Return)
    settle(qtbot, page)
    dialog = page.status.dialog
    assert isinstance(dialog, ReportViewDialog)
    text = dialog.text()
    for heading in (
        "中心与依托单位",
        "研发人员",
        "经费",
        "依托单位考核与审核",
        "与上年对比",
        "检查发现的问题",
    ):
        assert heading in text
    assert "整车转鼓试验台" in text and "2,950,000 元" in text and "自治区级" in text
    assert "已提交" in text and "赵六 2025-12-15" in text
    dialog.close()
    assert ui_sql == []


def test_tab_order_and_alt_letters(qtbot: Any, ctx: Any, ids: dict[str, int], tmp_path: Path) -> None:
    from tests.gui.keyboard import tab_walk
    from tests.gui.test_tab_order_sections import assert_own_letters

    reports.save_report(ctx, center_id=ids["电池"], year=Y, data=document(name=name("电池")))
    page = shown_page(qtbot, ctx)
    page.activateWindow()
    qtbot.waitUntil(lambda: page.isActiveWindow())
    tab = page.status
    select(page, ids["电池"])  # a draft: every step on it is enabled but 备案
    chain = [
        page.year_box.findChild(type(tab.filter_edit)) or page.year_box,
        page.tabs.tabBar(),
        tab.filter_edit,
        tab.status_box,
        tab.import_button,
        tab.template_button,
        tab.view_button,
        tab.review_button,
        tab.submit_button,
        tab.table,
        tab.reminder_list,
        tab.copy_button,
        tab.export_button,
    ]
    page.year_box.setFocus(Qt.FocusReason.TabFocusReason)
    seen = tab_walk(qtbot, chain[0], len(chain) - 1)
    assert seen == chain
    assert_own_letters(page)
    page.show_tab(page.spot)
    settle(qtbot, page)
    assert_own_letters(page)


def test_a_typed_year_is_read_when_entered(
    qtbot: Any, ctx: Any, ids: dict[str, int], ui_sql: list[str]
) -> None:
    page = shown_page(qtbot, ctx)
    assert page.status_text() == "2025年度工作年报：应报 3 家，未报送 1 家"
    line = page.year_box.lineEdit()
    line.selectAll()
    qtbot.keyClicks(line, "2024")
    assert page.year == Y  # nothing is read at 2, 20, 202 …
    qtbot.keyClick(line, Qt.Key.Key_Return)
    settle(qtbot, page)
    assert page.year == Y - 1
    # recognised in June 2024, so due for 2024 too; nobody filed that year in this database
    assert {cells[2] for cells in table_rows(page).values()} == {"逾期未报"}
    assert "截止日期 2024-12-31" in page.year_info.text()
    assert page.status_text() == "2024年度工作年报：应报 3 家，未报送 3 家"
    assert ui_sql == []


def test_a_report_saved_elsewhere_shows_after_data_changed(qtbot: Any, ctx: Any, ids: dict[str, int]) -> None:
    from lzcenter_desktop.ui import ops

    page = shown_page(qtbot, ctx)
    assert table_rows(page)[name("电池")][4] == "未导入"
    reports.save_report(ctx, center_id=ids["电池"], year=Y, data=document(name=name("电池")))
    ops.hub().notify({"reports"})
    settle(qtbot, page)
    assert table_rows(page)[name("电池")][4] == "草稿"
    ops.hub().notify({"people"})  # a kind the page does not show: nothing is read
    assert not page.busy


def test_an_early_report_with_only_its_figures_says_so(qtbot: Any, ctx: Any, ids: dict[str, int]) -> None:
    from tests.integration.annual.annual_helpers import add_report

    add_report(ctx, ids["电池"], Y, dt.date(Y, 12, 30))  # summary columns only, as early records
    page = shown_page(qtbot, ctx)
    select(page, ids["电池"])
    page.status.view_report()
    settle(qtbot, page)
    dialog = page.status.dialog
    assert isinstance(dialog, ReportViewDialog)
    assert "只有摘要数据" in dialog.text() and "已备案" in dialog.text()
    assert "研发人员" not in dialog.text().split("检查发现的问题")[1]  # no empty form sections
    dialog.close()


def test_a_template_to_a_missing_folder_is_refused_in_chinese(
    qtbot: Any, ctx: Any, ids: dict[str, int], tmp_path: Path
) -> None:
    page = shown_page(qtbot, ctx)
    select(page, ids["电池"])
    page.status.choose_save_path = lambda *_: tmp_path / "没有这个文件夹" / "模板.xlsx"
    page.status.template_button.click()
    settle(qtbot, page)
    assert "不存在" in page.status.message.text()
    page.status.choose_save_path = lambda *_: tmp_path / "电池模板"
    page.status.template_button.click()
    settle(qtbot, page)
    assert (tmp_path / "电池模板.xlsx").is_file()  # .xlsx added; a centre without a report gets its names
