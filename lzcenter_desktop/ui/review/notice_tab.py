"""公示 (第十条（四）): the 拟认定 centres of the call waiting for a notice, publishing the
拟认定名单公示 (period from the rule settings and the holiday table), and for a published notice its
list and the objections — recorded (anonymous, unsigned or late ones as not accepted) and handled."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QGroupBox, QHBoxLayout, QLabel, QSplitter, QVBoxLayout

from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.review import notice
from lzcenter_desktop.services.review.notice import NoticeItemView, NoticeView, ObjectionView
from lzcenter_desktop.ui import style
from lzcenter_desktop.ui.models.base import Column, RowTableModel
from lzcenter_desktop.ui.review import document_actions
from lzcenter_desktop.ui.review.common import (
    ReviewTab,
    button,
    button_row,
    cn_date,
    select_where,
    selected_object,
    set_widths,
    table_view,
)
from lzcenter_desktop.ui.review.holidays_dialog import HolidaysDialog
from lzcenter_desktop.ui.review.notice_dialogs import ObjectionDialog, PublishDialog, ResolveDialog

ITEM_COLUMNS: tuple[Column[NoticeItemView], ...] = (
    Column("名次", lambda i: str(i.rank) if i.rank else "—"),
    Column("中心名称", lambda i: i.center_name),
    Column("总分", lambda i: i.total_shown),
    Column("状态", lambda i: i.state_label),
)


def _objection_colour(o: ObjectionView) -> QColor | None:
    if not o.accepted:
        return QColor(style.NOTE_COLOR)
    if o.outcome == "pending":
        return QColor(style.WARNING_COLOR)
    return QColor(style.ERROR_COLOR) if o.outcome == "upheld" else QColor(style.OK_COLOR)


OBJECTION_COLUMNS: tuple[Column[ObjectionView], ...] = (
    Column("中心", lambda o: o.center_name, _objection_colour),
    Column("收到日期", lambda o: cn_date(o.received_on), _objection_colour),
    Column("异议人", lambda o: f"{o.submitter or '匿名'}（{o.submitter_kind_label}）", _objection_colour),
    Column("形式", lambda o: o.form_label, _objection_colour),
    Column("处理", lambda o: o.outcome_label, _objection_colour),
    Column(
        "说明",
        lambda o: o.not_accepted_reason or o.resolution or o.content,
        _objection_colour,
    ),
)


@dataclass(frozen=True, slots=True)
class NoticeData:
    waiting: list[NoticeItemView]
    notices: list[NoticeView]


def read_notices(ctx: AppContext, call_id: int) -> NoticeData:
    return NoticeData(
        notice.proposed_centres(ctx, call_id=call_id), notice.list_notices(ctx, call_id=call_id)
    )


class NoticeTab(ReviewTab):
    title = "公示"

    def __init__(self, page: Any) -> None:
        super().__init__(page)
        self.data: NoticeData | None = None
        self.waiting_model: RowTableModel[NoticeItemView] = RowTableModel(ITEM_COLUMNS, parent=self)
        self.waiting_table = table_view(self.waiting_model, self, name="waiting", stretch=1)
        set_widths(self.waiting_table, (3, 0, 4, 4))
        self.publish_button = button("发布公示(&P)…", self, tip="发布拟认定名单公示，各中心进入“公示中”")
        self.publish_button.clicked.connect(self.publish)
        self.holidays_button = button(
            "节假日表(&J)…", self, tip="公示期按工作日计算时使用的节假日和调休上班日"
        )
        self.holidays_button.clicked.connect(self.edit_holidays)
        waiting_box = QGroupBox("待公示的拟认定中心", self)
        box = QVBoxLayout(waiting_box)
        box.addWidget(self.waiting_table, 1)
        box.addLayout(button_row(self.publish_button, self.holidays_button))

        self.notice_box = QComboBox(self)
        self.notice_box.setObjectName("noticeBox")
        self.notice_box.setMinimumContentsLength(20)
        self.notice_box.currentIndexChanged.connect(lambda _i: self._notice_chosen())
        notice_label = QLabel("公示(&G)", self)
        notice_label.setBuddy(self.notice_box)
        self.notice_info = QLabel(self)
        self.notice_info.setObjectName("noticeInfo")
        self.notice_info.setWordWrap(True)
        self.items_model: RowTableModel[NoticeItemView] = RowTableModel(ITEM_COLUMNS, parent=self)
        self.items_table = table_view(self.items_model, self, name="noticeItems", stretch=1)
        set_widths(self.items_table, (3, 0, 4, 4))
        self.objections_model: RowTableModel[ObjectionView] = RowTableModel(OBJECTION_COLUMNS, parent=self)
        self.objections_table = table_view(self.objections_model, self, name="objections", stretch=5)
        set_widths(self.objections_table, (9, 6, 9, 6, 5))
        self.objections_table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.record_button = button("登记异议(&O)…", self)
        self.resolve_button = button("处理异议(&H)…", self)
        self.record_button.clicked.connect(self.record_objection)
        self.resolve_button.clicked.connect(self.resolve_objection)
        items_box = QGroupBox("所选公示的名单", self)
        box = QVBoxLayout(items_box)
        box.addWidget(self.items_table, 1)
        box.addLayout(button_row(document_actions.notice_button(self)))
        objections_box = QGroupBox("异议（书面提出；匿名、未署名盖章或逾期的不予受理）", self)
        box = QVBoxLayout(objections_box)
        box.addWidget(self.objections_table, 1)
        box.addLayout(button_row(self.record_button, self.resolve_button))
        upper = QSplitter(Qt.Orientation.Horizontal, self)
        upper.addWidget(waiting_box)
        upper.addWidget(items_box)
        upper.setChildrenCollapsible(False)
        upper.setSizes([500, 500])
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(upper)
        split.addWidget(objections_box)
        split.setChildrenCollapsible(False)
        split.setSizes([280, 260])
        choose = QHBoxLayout()
        choose.addWidget(notice_label)
        choose.addWidget(self.notice_box, 2)
        choose.addWidget(self.notice_info, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(choose)
        layout.addWidget(split, 1)
        layout.addWidget(self.message)
        self._update_buttons()

    def reader(self) -> Callable[[], NoticeData] | None:
        call_id = self.page.call_id
        if call_id is None:
            return None
        ctx = self.ctx
        return lambda: read_notices(ctx, call_id)

    def clear(self) -> None:
        self.data = None
        self.waiting_model.set_rows([])
        self.notice_box.clear()
        self._notice_chosen()

    def show_data(self, data: NoticeData) -> None:
        self.data = data
        self.waiting_model.set_rows(data.waiting)
        current = self.notice_box.currentData()
        self.notice_box.blockSignals(True)
        self.notice_box.clear()
        for n in data.notices:
            self.notice_box.addItem(f"{n.title}（{cn_date(n.published_on)}，{n.status_label}）", n.id)
        index = self.notice_box.findData(current) if current is not None else -1
        self.notice_box.setCurrentIndex(index if index >= 0 else (0 if data.notices else -1))
        self.notice_box.blockSignals(False)
        self._notice_chosen()

    def current_notice(self) -> NoticeView | None:
        nid = self.notice_box.currentData()
        notices = self.data.notices if self.data is not None else []
        return next((n for n in notices if n.id == nid), None)

    def _notice_chosen(self) -> None:
        shown = self.current_notice()
        if shown is None:
            self.notice_info.setText("本年度还没有发布公示。" if self.data is not None else "")
            self.items_model.set_rows([])
            self.objections_model.set_rows([])
            self._update_buttons()
            return
        open_ones = sum(1 for o in shown.objections if o.open)
        doc = f"，{shown.document_no}" if shown.document_no else ""
        state = (
            f"异议 {len(shown.objections)} 件，待处理 {open_ones} 件" if shown.objections else "尚未收到异议"
        )
        self.notice_info.setText(f"公示期：{shown.period_text}{doc}；{shown.status_label}；{state}")
        self.notice_info.setStyleSheet(style.WARNING_STYLE if open_ones else style.NOTE_STYLE)
        self.items_model.set_rows(list(shown.items))
        current = selected_object(self.objections_table)
        self.objections_model.set_rows(list(shown.objections))
        if isinstance(current, ObjectionView):
            select_where(self.objections_table, lambda o: o.id == current.id)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.publish_button.setEnabled(bool(self.data and self.data.waiting))
        shown = self.current_notice()
        self.record_button.setEnabled(shown is not None and shown.status == "open")
        chosen = selected_object(self.objections_table)
        self.resolve_button.setEnabled(isinstance(chosen, ObjectionView) and chosen.open)

    # -- actions -------------------------------------------------------------------------------
    def publish(self) -> None:
        call = self.page.current_call()
        if call is None or self.data is None or not self.data.waiting:
            return
        self.open_dialog(
            PublishDialog(
                self,
                self.ctx,
                call_id=call.id,
                year=call.year,
                centres=self.data.waiting,
                today=self.page.today,
            )
        )

    def edit_holidays(self) -> None:
        call = self.page.current_call()
        self.open_dialog(HolidaysDialog(self, self.ctx, year=call.year if call else self.page.today.year))

    def record_objection(self) -> None:
        shown = self.current_notice()
        if shown is not None:
            dialog = ObjectionDialog(self, self.ctx, shown, today=self.page.today)
            dialog.on_done = self._recorded
            self.open_dialog(dialog)

    def _recorded(self, view: ObjectionView) -> None:
        if view.accepted:
            self.show_message(f"已登记关于“{view.center_name}”的异议：已受理，请核查后“处理异议”。")
        else:
            self.show_message(
                f"已登记关于“{view.center_name}”的异议：不予受理（{view.not_accepted_reason}）。"
            )

    def resolve_objection(self) -> None:
        chosen = selected_object(self.objections_table)
        if isinstance(chosen, ObjectionView) and chosen.open:
            self.open_dialog(ResolveDialog(self, self.ctx, chosen, today=self.page.today))
