"""The dialogs of the 报送情况 tab: 依托单位审核 (reviewer and day), 报送 and 备案 (a typed day, asked
before the irreversible step), and the list of cell-precise errors of a refused import."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from lzcenter_desktop.services.annual import reports
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.ui.annual.common import ANNUAL_KINDS

if TYPE_CHECKING:
    from lzcenter_desktop.ui.annual.status_tab import StatusRow
from lzcenter_desktop.ui import ops
from lzcenter_desktop.ui.models.base import Column, RowTableModel
from lzcenter_desktop.ui.review.common import (
    FormDialog,
    date_field,
    set_widths,
    table_view,
    typed_date,
)
from lzcenter_desktop.ui.review.stale_form import StaleAwareForm


class HostReviewDialog(StaleAwareForm):
    """依托单位审核: who at the host reviewed the report, and on which day."""

    def __init__(self, parent: QWidget, ctx: AppContext, *, row: StatusRow, today: dt.date) -> None:
        super().__init__(parent, "记录依托单位审核", "保存(&O)", kinds=ANNUAL_KINDS)
        self.ctx = ctx
        report = row.report
        assert report is not None
        self.report_id = int(report.report_id)
        self.version = report.version
        intro = QLabel(
            f"“{row.due.center_name}”{row.due.year}年度工作年报：第二十一条要求年报经依托单位审核后报送备案。",
            self,
        )
        intro.setWordWrap(True)
        self.form.addRow(intro)
        self.reviewer = QLineEdit(report.host_reviewer or "", self)
        self.reviewer.setObjectName("reviewer")
        self.reviewer.setPlaceholderText("依托单位审核人姓名")
        self.on = date_field(report.host_reviewed_on or today, "审核日期")
        for text, widget in (("审核人(&P)：", self.reviewer), ("审核日期(&D)：", self.on)):
            label = QLabel(text, self)
            label.setBuddy(widget)
            self.form.addRow(label, widget)
        self.resize(520, self.sizeHint().height())
        self.reviewer.setFocus()

    def action(self) -> Callable[[], Any]:
        reviewer = self.reviewer.text().strip()
        if not reviewer:
            raise ServiceError("请填写依托单位审核人", field="审核人")
        on = typed_date(self.on, "审核日期")
        assert on is not None
        ctx, report_id, version = self.ctx, self.report_id, self.version
        return lambda: reports.record_host_review(
            ctx, report_id=report_id, reviewer=reviewer, reviewed_on=on, expected_version=version
        )

    # -- saved by someone else meanwhile (ui/dialogs/stale.py) ---------------------------------
    def shown_values(self) -> dict[str, str]:
        return {"依托单位审核人": self.reviewer.text().strip(), "审核日期": self.on.line.text().strip()}

    def stored_reader(self) -> Callable[[], Mapping[str, str]]:
        ctx, report_id = self.ctx, self.report_id
        return lambda: review_values(reports.get_report(ctx, report_id))

    def reload(self) -> None:
        ctx, report_id = self.ctx, self.report_id
        ops.query_op(
            lambda: reports.get_report(ctx, report_id),
            parent=self,
            key=f"host-review-reload:{id(self)}",
            on_success=self.show_report,
        )

    def show_report(self, report: reports.ReportView) -> None:
        self.version = report.version
        self.reviewer.setText(report.host_reviewer or "")
        if report.host_reviewed_on is not None:
            self.on.setDate(report.host_reviewed_on)
        self.show_reloaded()


def review_values(report: reports.ReportView) -> dict[str, str]:
    """The stored 依托单位审核 of a report, by the labels of :meth:`HostReviewDialog.shown_values`."""
    day = report.host_reviewed_on
    return {"依托单位审核人": report.host_reviewer or "", "审核日期": day.isoformat() if day else ""}


class DateStepDialog(FormDialog):
    """One dated step on a report (报送, 备案), confirmed before it is written."""

    def __init__(
        self,
        parent: QWidget,
        *,
        title: str,
        prompt: str,
        date_name: str,
        ok_text: str,
        today: dt.date,
        run: Callable[[dt.date], Any],
        confirm: Callable[[dt.date], tuple[str, str, str]],
    ) -> None:
        super().__init__(parent, title, ok_text, kinds=ANNUAL_KINDS)
        self._run_on = run
        self._confirm = confirm
        self.date_name = date_name
        intro = QLabel(prompt, self)
        intro.setWordWrap(True)
        self.form.addRow(intro)
        self.on = date_field(today, date_name)
        label = QLabel(f"{date_name}(&D)：", self)
        label.setBuddy(self.on)
        self.form.addRow(label, self.on)
        self.chosen: dt.date | None = None
        self.resize(500, self.sizeHint().height())
        self.on.line.setFocus()

    def action(self) -> Callable[[], Any]:
        on = typed_date(self.on, self.date_name)
        assert on is not None
        self.chosen = on
        run = self._run_on
        return lambda: run(on)

    def confirmation(self) -> tuple[str, str, str] | None:
        return self._confirm(self.chosen) if self.chosen is not None else None


def submit_dialog(parent: QWidget, ctx: AppContext, *, row: StatusRow, today: dt.date) -> DateStepDialog:
    assert row.report is not None
    report_id = row.report.report_id
    name, year = row.due.center_name, row.due.year
    deadline = row.due.deadline

    def confirm(on: dt.date) -> tuple[str, str, str]:
        late = "，晚于截止日期，将记为逾期报送" if on > deadline else ""
        return (
            "登记报送",
            f"登记“{name}”{year}年度工作年报于 {on.isoformat()} 报送{late}？\n"
            "报送后年报内容不能再修改或重新导入。",
            "登记报送(&Y)",
        )

    return DateStepDialog(
        parent,
        title="登记报送",
        prompt=f"“{name}”{year}年度工作年报报送市科技局的日期（截止日期 {deadline.isoformat()}）。",
        date_name="报送日期",
        ok_text="报送(&O)…",
        today=today,
        run=lambda on: reports.submit_report(ctx, report_id=report_id, submitted_on=on),
        confirm=confirm,
    )


def file_dialog(parent: QWidget, ctx: AppContext, *, row: StatusRow, today: dt.date) -> DateStepDialog:
    assert row.report is not None
    report_id = row.report.report_id
    name, year = row.due.center_name, row.due.year

    def confirm(on: dt.date) -> tuple[str, str, str]:
        return (
            "登记备案",
            f"登记“{name}”{year}年度工作年报于 {on.isoformat()} 备案？\n备案后不能撤回。",
            "登记备案(&Y)",
        )

    return DateStepDialog(
        parent,
        title="登记备案",
        prompt=f"市科技局对“{name}”{year}年度工作年报备案的日期。",
        date_name="备案日期",
        ok_text="备案(&O)…",
        today=today,
        run=lambda on: reports.file_report(ctx, report_id=report_id, filed_on=on),
        confirm=confirm,
    )


ERROR_COLUMNS: tuple[Column[tuple[str, str]], ...] = (
    Column("位置", lambda e: e[0]),
    Column("问题", lambda e: e[1]),
)


class ImportErrorsDialog(QDialog):
    """What is wrong in a refused file, place by place (``工作表!单元格`` or the JSON path)."""

    def __init__(self, parent: QWidget, path: Path, errors: Sequence[tuple[str, str]]) -> None:
        super().__init__(parent)
        self.setWindowTitle("工作年报未导入")
        intro = QLabel(
            f"“{path.name}”有 {len(errors)} 处错误，未导入，也没有保存任何内容。"
            "请在文件中逐项改正后重新导入：",
            self,
        )
        intro.setWordWrap(True)
        self.model: RowTableModel[tuple[str, str]] = RowTableModel(
            ERROR_COLUMNS, [(str(p), str(m)) for p, m in errors], parent=self
        )
        self.table = table_view(self.model, self, name="importErrors")
        set_widths(self.table, (15,))
        self.table.setAccessibleName("导入错误")
        buttons = QDialogButtonBox(self)
        close = buttons.addButton("知道了", QDialogButtonBox.ButtonRole.RejectRole)
        close.setDefault(True)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(900, 420)  # a message is long: its full text is also the cell's tooltip
        self.table.setFocus()
