"""节假日表: the days off and make-up working days the 公示 period counts working days with — the
State Council's arrangement built in, the bureau's corrections on top. Nothing is deleted: a day
taken out follows the ordinary week again."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.review import holidays
from lzcenter_desktop.services.review.holidays import HolidayDay
from lzcenter_desktop.ui import ops, style
from lzcenter_desktop.ui.models.base import Column, RowTableModel
from lzcenter_desktop.ui.review.common import (
    REVIEW_KINDS,
    button,
    date_field,
    error_text,
    message_label,
    note_label,
    selected_object,
    set_widths,
    show_in,
    table_view,
    typed_date,
)

WEEKDAYS = "一二三四五六日"


def _grey(h: HolidayDay) -> QColor | None:
    return QColor(style.NOTE_COLOR) if h.kind == "none" else None


DAY_COLUMNS: tuple[Column[HolidayDay], ...] = (
    Column("日期", lambda h: f"{h.day.isoformat()}（周{WEEKDAYS[h.day.weekday()]}）", _grey),
    Column("类型", lambda h: h.kind_label, _grey),
    Column("节日", lambda h: h.name, _grey),
    Column("来源", lambda h: h.source_label + ("（预计）" if h.estimated else ""), _grey),
)


class HolidaysDialog(QDialog):
    """The holiday table of one year, with 添加 / 修改 and 删除 (back to the ordinary week)."""

    def __init__(self, parent: QWidget, ctx: AppContext, *, year: int) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.loading = False
        self.setWindowTitle("节假日表（公示期按工作日计算时使用）")
        self.year = QSpinBox(self)
        self.year.setObjectName("year")
        self.year.setRange(2020, 2100)
        self.year.setValue(year)
        self.year.valueChanged.connect(lambda _y: self.reload())
        year_label = QLabel("年度(&Y)", self)
        year_label.setBuddy(self.year)
        self.model: RowTableModel[HolidayDay] = RowTableModel(DAY_COLUMNS, parent=self)
        self.table = table_view(self.model, self, name="holidays", stretch=2)
        set_widths(self.table, (10, 5, 0))
        self.table.setMinimumSize(self.fontMetrics().horizontalAdvance("中") * 42, 300)
        self.day = date_field(None, "日期", optional=True)
        self.kind = QComboBox(self)
        self.kind.setObjectName("kind")
        self.kind.addItem("放假", "holiday")
        self.kind.addItem("调休上班", "workday")
        self.name = QLineEdit(self)
        self.name.setObjectName("name")
        self.name.setPlaceholderText("节日，如 国庆节")
        self.set_button = button("添加或修改(&A)", self)
        self.remove_button = button("删除所选(&D)", self, tip="所选日期按正常周历计算（记录保留）")
        self.set_button.clicked.connect(self.set_day)
        self.remove_button.clicked.connect(self.remove_day)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selected())
        self.message = message_label(self)
        top = QHBoxLayout()
        top.addWidget(year_label)
        top.addWidget(self.year)
        top.addStretch(1)
        edit = QHBoxLayout()
        for w in (self.day, self.kind, self.name, self.set_button, self.remove_button):
            edit.addWidget(w)
        buttons = QDialogButtonBox(self)
        buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(edit)
        layout.addWidget(
            note_label("调休上班日须为周六或周日；删除后该日按正常周历（周一至周五上班）计算。", self)
        )
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.reload()

    def reload(self) -> None:
        ctx, year = self.ctx, self.year.value()
        self.loading = True
        ops.query_op(
            lambda: holidays.list_days(ctx, year=year),
            parent=self,
            key=f"holidays:{id(self)}",
            on_success=self._loaded,
            on_failure=self._failed,
        )

    def _loaded(self, days: list[HolidayDay]) -> None:
        self.loading = False
        self.model.set_rows(days)

    def _failed(self, exc: BaseException) -> None:
        self.loading = False
        show_in(self.message, error_text(exc) or str(exc), level="error")

    def _selected(self) -> None:
        h = selected_object(self.table)
        if isinstance(h, HolidayDay):
            self.day.setDate(h.day)
            if h.kind in ("holiday", "workday"):
                self.kind.setCurrentIndex(self.kind.findData(h.kind))
            self.name.setText(h.name)

    def _write(self, fn: Any, done: str) -> None:
        def ok(_result: Any) -> None:
            show_in(self.message, done)
            self.reload()

        def failed(exc: BaseException) -> None:
            show_in(self.message, error_text(exc) or str(exc), level="error")

        ops.write_op(fn, parent=self, kinds=REVIEW_KINDS, on_success=ok, on_failure=failed)

    def set_day(self) -> None:
        try:
            day = typed_date(self.day, "日期")
        except ServiceError as exc:
            show_in(self.message, exc.message, level="error")
            return
        assert day is not None
        ctx, kind, name = self.ctx, str(self.kind.currentData()), self.name.text()
        self._write(
            lambda: holidays.set_day(ctx, day=day, kind=kind, name=name), f"已保存 {day.isoformat()}。"
        )

    def remove_day(self) -> None:
        h = selected_object(self.table)
        if not isinstance(h, HolidayDay):
            show_in(self.message, "请先在表中选择要删除的日期", level="error")
            return
        ctx, day = self.ctx, h.day
        self._write(lambda: holidays.remove_day(ctx, day=day), f"{day.isoformat()} 已按正常周历计算。")
