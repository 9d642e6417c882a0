"""报送情况: every centre that must file the year's 工作年报 (第二十一条, E21a), where its report stands
on the page's day, the reminder list from 1 December, and the steps on the selected centre's report —
导入年报 (JSON or Excel; cell-precise errors listed, nothing stored), 下载填报模板, 查看,
依托单位审核, 报送 and 备案. Enter on a row opens 查看."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor, QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QVBoxLayout,
    QWidget,
)

from lzcenter_desktop.domain.report_dues import DueStatus
from lzcenter_desktop.services.annual import dues as dues_service
from lzcenter_desktop.services.annual import reminder_export, report_files, reports
from lzcenter_desktop.services.annual.dues import ReportDue, YearDues
from lzcenter_desktop.services.annual.report_files import ReportImport
from lzcenter_desktop.services.annual.reports import ReportView
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.ui import style
from lzcenter_desktop.ui.annual.common import ANNUAL_KINDS, AnnualTab
from lzcenter_desktop.ui.models.base import Column, RowObjectRole, RowTableModel
from lzcenter_desktop.ui.review.common import (
    button,
    button_row,
    cn_date,
    note_label,
    select_where,
    selected_object,
    set_widths,
    table_view,
)
from lzcenter_desktop.ui.saved_notice import announce_saved


@dataclass(frozen=True, slots=True)
class StatusRow:
    """One obliged centre: its due status and, once imported, its report (a ``ReportView``)."""

    due: ReportDue
    report: ReportView | None

    @property
    def report_status(self) -> str | None:
        return self.report.status if self.report is not None else None


@dataclass(frozen=True, slots=True)
class StatusData:
    dues: YearDues
    rows: list[StatusRow]


def read_status(ctx: AppContext, year: int, as_of: Any) -> StatusData:
    """The year's dues and reports (on a worker thread)."""
    found = dues_service.year_dues(ctx, year=year, as_of=as_of)
    views = {int(v.center_id): v for v in reports.list_reports(ctx, year=year)}
    return StatusData(found, [StatusRow(due, views.get(due.center_id)) for due in found.rows])


def _status_colour(row: StatusRow) -> QColor | None:
    colours = {
        DueStatus.OVERDUE: style.ERROR_COLOR,
        DueStatus.LATE: style.WARNING_COLOR,
        DueStatus.RECEIVED: style.OK_COLOR,
    }
    colour = colours.get(row.due.status)
    return QColor(colour) if colour else None


def _review_text(row: StatusRow) -> str:
    report = row.report
    if report is None or not report.host_reviewer:
        return ""
    return f"{report.host_reviewer} {cn_date(report.host_reviewed_on)}".strip()


def _report_text(row: StatusRow) -> str:
    if row.report is None:
        return "未导入"
    return row.report.status_label


STATUS_COLUMNS: tuple[Column[StatusRow], ...] = (
    Column("中心名称", lambda r: r.due.center_name),
    Column("依托单位", lambda r: r.due.host_name),
    Column("报送情况", lambda r: r.due.status_label, _status_colour),
    Column("报送日期", lambda r: cn_date(r.due.submitted_on)),
    Column("年报", _report_text),
    Column("依托单位审核", _review_text),
    Column("备案日期", lambda r: cn_date(r.report.filed_on) if r.report is not None else ""),
)
STATUS_COLUMN = 2

#: the 报送情况 filter: (label, the status's value or None for all)
STATUS_FILTERS: tuple[tuple[str, str | None], ...] = (
    ("全部", None),
    *((status.label, status.value) for status in DueStatus),
)


class StatusFilter(QSortFilterProxyModel):
    """Rows of one 报送情况 (or all) whose any cell contains the typed text; sortable by any column."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.status: str | None = None  # a DueStatus value
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterKeyColumn(-1)
        self.setSortLocaleAware(True)

    def set_status(self, status: str | None) -> None:
        self.beginFilterChange()
        self.status = status
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        if self.status is not None:
            row = self.sourceModel().index(source_row, 0, source_parent).data(RowObjectRole)
            if not isinstance(row, StatusRow) or row.due.status.value != self.status:
                return False
        return super().filterAcceptsRow(source_row, source_parent)


class StatusTab(AnnualTab):
    title = "报送情况"

    def __init__(self, page: Any) -> None:
        super().__init__(page)
        self.data: StatusData | None = None

        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("statusFilterText")
        self.filter_edit.setPlaceholderText("中心或依托单位名称中的字")
        self.filter_edit.setClearButtonEnabled(True)
        filter_label = QLabel("筛选(&Q)", self)
        filter_label.setBuddy(self.filter_edit)
        self.status_box = QComboBox(self)
        self.status_box.setObjectName("statusFilter")
        for label, status in STATUS_FILTERS:
            self.status_box.addItem(label, status)
        status_label = QLabel("报送情况(&Z)", self)
        status_label.setBuddy(self.status_box)

        self.import_button = button("导入年报(&I)…", self, tip="导入所选中心填好的工作年报（JSON 或 Excel）")
        self.template_button = button("下载填报模板(&M)…", self, tip="所选中心本年度的 Excel 填报模板")
        self.view_button = button("查看(&O)", self, tip="查看所选中心的工作年报（Enter）")
        self.review_button = button("依托单位审核(&R)…", self, tip="记录依托单位对年报的审核（审核人和日期）")
        self.submit_button = button("报送(&B)…", self, tip="登记年报报送到市科技局的日期")
        self.file_button = button("备案(&G)…", self, tip="登记市科技局备案的日期")
        self.import_button.clicked.connect(self.import_report)
        self.template_button.clicked.connect(self.download_template)
        self.view_button.clicked.connect(self.view_report)
        self.review_button.clicked.connect(self.record_review)
        self.submit_button.clicked.connect(self.submit_report)
        self.file_button.clicked.connect(self.file_report)

        self.model: RowTableModel[StatusRow] = RowTableModel(STATUS_COLUMNS, parent=self)
        self.proxy = StatusFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = table_view(self.proxy, self, name="reportStatus", stretch=0)
        self.table.setTabKeyNavigation(False)  # rows are read, not edited: Tab goes on
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the services' order (by name)
        self.table.setAccessibleName("报送情况")
        set_widths(self.table, (0, 11, 5, 6, 4, 8, 6))
        self.table.doubleClicked.connect(lambda _i: self.view_report())
        self.table.installEventFilter(self)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.filter_edit.textChanged.connect(self._filter_changed)
        self.status_box.currentIndexChanged.connect(self._filter_changed)
        self.summary = note_label("", self)
        self.summary.setObjectName("statusSummary")

        self.reminder_box = QGroupBox("提醒名单", self)
        self.reminder_note = note_label("", self.reminder_box)
        self.reminder_note.setObjectName("reminderNote")
        self.reminder_list = QListWidget(self.reminder_box)
        self.reminder_list.setObjectName("reminderList")
        self.reminder_list.setAccessibleName("提醒名单")
        self.reminder_list.setWordWrap(True)  # long names wrap instead of scrolling sideways
        self.reminder_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.copy_button = button(
            "复制名单(&C)", self.reminder_box, tip="复制到剪贴板，可粘贴到 Excel 或通知"
        )
        self.export_button = button("导出Excel(&X)…", self.reminder_box, tip="把提醒名单保存为 Excel 文件")
        self.copy_button.clicked.connect(self.copy_reminders)
        self.export_button.clicked.connect(self.export_reminders)
        side = QVBoxLayout(self.reminder_box)
        side.addWidget(self.reminder_note)
        side.addWidget(self.reminder_list, 1)
        side.addLayout(button_row(self.copy_button, self.export_button))
        self.reminder_box.setMaximumWidth(self.fontMetrics().horizontalAdvance("中") * 22)

        filters = QHBoxLayout()
        filters.addWidget(filter_label)
        filters.addWidget(self.filter_edit, 1)
        filters.addWidget(status_label)
        filters.addWidget(self.status_box)
        left = QVBoxLayout()
        left.addLayout(filters)
        left.addLayout(
            button_row(
                self.import_button,
                self.template_button,
                self.view_button,
                self.review_button,
                self.submit_button,
                self.file_button,
            )
        )
        left.addWidget(self.table, 1)
        left.addWidget(self.summary)
        left.addWidget(self.message)
        body = QHBoxLayout(self)
        body.addLayout(left, 1)
        body.addWidget(self.reminder_box)
        order: list[QWidget] = [
            self.filter_edit,
            self.status_box,
            self.import_button,
            self.template_button,
            self.view_button,
            self.review_button,
            self.submit_button,
            self.file_button,
            self.table,
            self.reminder_list,
            self.copy_button,
            self.export_button,
        ]
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)
        self._update_buttons()

    # -- reading -------------------------------------------------------------------------------
    def reader(self) -> Callable[[], StatusData] | None:
        ctx, year, today = self.ctx, self.annual_page.year, self.annual_page.today
        return lambda: read_status(ctx, year, today)

    def clear(self) -> None:
        self.data = None
        self.model.set_rows([])
        self.summary.setText("")
        self.reminder_list.clear()
        self._update_buttons()

    def show_data(self, data: StatusData) -> None:
        current = self.selected()
        self.data = data
        self.model.set_rows(data.rows)
        if current is not None:
            select_where(self.table, lambda r: r.due.center_id == current.due.center_id)
        found = data.dues
        counts = {status: len(found.with_status(status)) for status in DueStatus}
        parts = [f"{status.label} {counts[status]}" for status in DueStatus]
        self.summary.setText(f"应报 {len(found.rows)} 家：" + "，".join(parts) + "。")
        self.annual_page.show_dues(found)
        self.reminder_list.clear()
        if found.as_of < found.reminders_from:
            self.reminder_note.setText(f"自 {cn_date(found.reminders_from)} 起列出尚未报送的中心。")
        elif not found.reminders:
            self.reminder_note.setText("所有中心的年报都已报送，无需提醒。")
        else:
            self.reminder_note.setText(f"尚未报送 {len(found.reminders)} 家：")
            for due in found.reminders:
                self.reminder_list.addItem(f"{due.center_name}（{due.status_label}）")
        self._update_buttons()

    # -- filters and selection -------------------------------------------------------------------
    def _filter_changed(self, *_: Any) -> None:
        self.proxy.set_status(self.status_box.currentData())
        self.proxy.setFilterFixedString(self.filter_edit.text().strip())
        self._update_buttons()

    def selected(self) -> StatusRow | None:
        row = selected_object(self.table)
        return row if isinstance(row, StatusRow) else None

    def select_centre(self, center_id: int) -> bool:
        return select_where(self.table, lambda r: r.due.center_id == center_id)

    def _update_buttons(self) -> None:
        row = self.selected()
        status = row.report_status if row is not None else None
        self.import_button.setEnabled(row is not None and status in (None, "draft"))
        self.template_button.setEnabled(row is not None)
        self.view_button.setEnabled(status is not None)
        self.review_button.setEnabled(status == "draft")
        self.submit_button.setEnabled(status == "draft")
        self.file_button.setEnabled(status == "submitted")
        has_reminders = self.data is not None and bool(self.data.dues.reminders)
        self.copy_button.setEnabled(has_reminders)
        self.export_button.setEnabled(has_reminders)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.table
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and self.selected() is not None
        ):
            self.view_report()
            return True
        return super().eventFilter(watched, event)

    # -- files (tests replace these two) -----------------------------------------------------------
    def choose_open_path(self) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(
            self, "导入工作年报", "", "工作年报 (*.json *.xlsx);;JSON 文件 (*.json);;Excel 工作簿 (*.xlsx)"
        )
        return Path(name) if name else None

    def choose_save_path(self, title: str, suggested: str, filter_text: str) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(self, title, suggested, filter_text)
        return Path(name) if name else None

    # -- actions -----------------------------------------------------------------------------------
    def import_report(self) -> None:
        row = self.selected()
        if row is None:
            return
        path = self.choose_open_path()
        if path is None:
            return
        ctx, center_id = self.ctx, row.due.center_id
        name = row.due.center_name
        self.write(
            lambda: report_files.import_report_file(ctx, path, center_id=center_id),
            done=lambda result: self._imported(result, path, name),
            kinds=ANNUAL_KINDS,
            busy=f"正在导入“{path.name}”…",
        )

    def _imported(self, result: ReportImport, path: Path, name: str) -> None:
        from lzcenter_desktop.ui.annual.report_dialogs import ImportErrorsDialog

        errors = list(result.errors)
        if errors or result.report_id is None:
            self.show_message(
                f"“{path.name}”有 {len(errors)} 处错误，未导入，也没有保存任何内容；请按列表改正后重新导入。",
                level="error",
            )
            self.open_dialog(ImportErrorsDialog(self, path, errors))
            return
        violations = result.violations
        found = f"，发现 {len(violations)} 个问题（见“查看”）" if violations else ""
        self.show_message(f"已导入“{name}”的{self.annual_page.year}年度工作年报（草稿）{found}。")

    def download_template(self) -> None:
        row = self.selected()
        if row is None:
            return
        year = self.annual_page.year
        path = self.choose_save_path(
            "保存工作年报填报模板", f"{row.due.center_name}-{year}年度工作年报.xlsx", "Excel 工作簿 (*.xlsx)"
        )
        if path is None:
            return
        ctx, center_id = self.ctx, row.due.center_id

        def done(written: Any) -> None:
            self.show_message(f"已保存填报模板：{written}")
            announce_saved(self, Path(written))

        self._run_file(
            lambda: report_files.write_report_workbook(ctx, center_id=center_id, year=year, path=path), done
        )

    def _run_file(self, fn: Callable[[], Any], done: Callable[[Any], None]) -> None:
        """Write a file (no database change) on a worker thread, as a read of the tab: a refusal
        (a folder that does not exist, a read-only file) goes to the message line."""
        self.show_message("正在保存…", level="busy")
        self.read(fn, done, key="annual-file")

    def view_report(self) -> None:
        row = self.selected()
        if row is None or row.report is None:
            return
        from lzcenter_desktop.ui.annual.report_view import (
            ReportDetails,
            ReportViewDialog,
            read_report_details,
        )

        ctx, report_id = self.ctx, row.report.report_id

        def show(details: ReportDetails) -> None:
            self.open_dialog(ReportViewDialog(self, details))

        self.read(lambda: read_report_details(ctx, report_id), show, key="annual-view")

    def record_review(self) -> None:
        row = self.selected()
        if row is None or row.report is None:
            return
        from lzcenter_desktop.ui.annual.report_dialogs import HostReviewDialog

        self.open_dialog(HostReviewDialog(self, self.ctx, row=row, today=self.annual_page.today))

    def submit_report(self) -> None:
        row = self.selected()
        if row is None or row.report is None:
            return
        from lzcenter_desktop.ui.annual.report_dialogs import submit_dialog

        self.open_dialog(submit_dialog(self, self.ctx, row=row, today=self.annual_page.today))

    def file_report(self) -> None:
        row = self.selected()
        if row is None or row.report is None:
            return
        from lzcenter_desktop.ui.annual.report_dialogs import file_dialog

        self.open_dialog(file_dialog(self, self.ctx, row=row, today=self.annual_page.today))

    # -- the reminder list -----------------------------------------------------------------------
    def copy_reminders(self) -> None:
        if self.data is None or not self.data.dues.reminders:
            return
        QGuiApplication.clipboard().setText(reminder_export.reminder_text(self.data.dues))
        self.show_message(f"已复制提醒名单（{len(self.data.dues.reminders)} 家），可粘贴到 Excel 或通知中。")

    def export_reminders(self) -> None:
        if self.data is None or not self.data.dues.reminders:
            return
        found = self.data.dues
        path = self.choose_save_path(
            "导出提醒名单", f"{found.year}年度工作年报提醒名单.xlsx", "Excel 工作簿 (*.xlsx)"
        )
        if path is None:
            return

        def done(written: Any) -> None:
            self.show_message(f"已导出提醒名单：{written}")
            announce_saved(self, Path(written))

        self._run_file(lambda: reminder_export.write_reminders_xlsx(found, path), done)
