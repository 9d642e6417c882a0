"""认定 (第十条（四）（五）): 发文认定 of the whole batch of a notice — only after the notice has
ended with every accepted objection handled (what stands in the way is shown for the date typed),
with the 文号 and date; certificate and plaque numbers are assigned in sequence and shown."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QVBoxLayout

from lzcenter_desktop.services import centers
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.dto import CenterDetail
from lzcenter_desktop.services.review import notice, recognition
from lzcenter_desktop.services.review.notice import NoticeItemView, NoticeView
from lzcenter_desktop.services.review.recognition import RecognitionBatch
from lzcenter_desktop.ui import style
from lzcenter_desktop.ui.models.base import Column, RowTableModel
from lzcenter_desktop.ui.review import document_actions
from lzcenter_desktop.ui.review.common import (
    STATE_KINDS,
    FormDialog,
    ReviewTab,
    button,
    button_row,
    cn_date,
    date_field,
    note_label,
    set_widths,
    table_view,
    typed_date,
)


@dataclass(frozen=True, slots=True)
class RecognitionRow:
    item: NoticeItemView
    detail: CenterDetail | None  # for a recognised centre: its numbers


def _colour(r: RecognitionRow) -> QColor | None:
    if r.item.state == "recognised":
        return QColor(style.OK_COLOR)
    return QColor(style.NOTE_COLOR) if r.item.state == "withdrawn" else None


ROW_COLUMNS: tuple[Column[RecognitionRow], ...] = (
    Column("中心名称", lambda r: r.item.center_name, _colour),
    Column("总分", lambda r: r.item.total_shown, _colour),
    Column("状态", lambda r: r.item.state_label, _colour),
    Column("认定文号", lambda r: (r.detail.recognition_document_no or "") if r.detail else "", _colour),
    Column("证书编号", lambda r: (r.detail.certificate_no or "") if r.detail else "", _colour),
    Column("牌匾编号", lambda r: (r.detail.plaque_no or "") if r.detail else "", _colour),
)


@dataclass(frozen=True, slots=True)
class RecognitionData:
    notices: list[NoticeView]
    details: dict[int, CenterDetail]


def read_recognition(ctx: AppContext, call_id: int) -> RecognitionData:
    notices = notice.list_notices(ctx, call_id=call_id)
    ids = {i.center_id for n in notices for i in n.items if i.state == "recognised"}
    return RecognitionData(notices, {cid: centers.get_center(ctx, cid) for cid in sorted(ids)})


class RecognitionTab(ReviewTab):
    title = "认定"

    def __init__(self, page: Any) -> None:
        super().__init__(page)
        self.data: RecognitionData | None = None
        self.problems: list[str] = []
        self.notice_box = QComboBox(self)
        self.notice_box.setObjectName("recognitionNotice")
        self.notice_box.setMinimumContentsLength(20)
        self.notice_box.currentIndexChanged.connect(lambda _i: self._notice_chosen())
        notice_label = QLabel("公示(&G)", self)
        notice_label.setBuddy(self.notice_box)
        self.on = date_field(page.today, "认定日期")
        self.on.date_committed.connect(lambda _d: self._check())
        on_label = QLabel("认定日期(&D)", self)
        on_label.setBuddy(self.on)
        self.document_no = QLineEdit(self)
        self.document_no.setObjectName("documentNo")
        self.document_no.setPlaceholderText("如 柳科发〔2026〕12号")
        self.document_no.setMinimumWidth(self.fontMetrics().horizontalAdvance("中") * 12)
        doc_label = QLabel("认定文号(&N)", self)
        doc_label.setBuddy(self.document_no)
        self.recognise_button = button(
            "发文认定(&R)…", self, tip="公示期满、异议处理完毕后，对公示名单中的中心发文认定"
        )
        self.recognise_button.clicked.connect(self.recognise)
        self.state = QLabel(self)
        self.state.setObjectName("recognitionState")
        self.state.setWordWrap(True)
        self.model: RowTableModel[RecognitionRow] = RowTableModel(ROW_COLUMNS, parent=self)
        self.table = table_view(self.model, self, name="recognitionRows", stretch=0)
        set_widths(self.table, (0, 4, 5, 11, 12, 9))
        layout = QVBoxLayout(self)
        top = button_row(notice_label, self.notice_box, stretch=False)
        top.setStretch(1, 1)
        layout.addLayout(top)
        self.recognition_pdf_button = document_actions.recognition_button(self)
        layout.addLayout(
            button_row(
                on_label,
                self.on,
                doc_label,
                self.document_no,
                self.recognise_button,
                self.recognition_pdf_button,
            )
        )
        layout.addWidget(self.state)
        layout.addWidget(self.table, 1)
        layout.addWidget(
            note_label(
                "认定后中心为“已认定”，证书和牌匾编号按年度顺序编排；证书、牌匾请到“文档”页按认定文号批量制作。",
                self,
            )
        )
        layout.addWidget(self.message)
        self._update_buttons()

    def reader(self) -> Callable[[], RecognitionData] | None:
        call_id = self.page.call_id
        if call_id is None:
            return None
        ctx = self.ctx
        return lambda: read_recognition(ctx, call_id)

    def clear(self) -> None:
        self.data = None
        self.notice_box.clear()
        self._notice_chosen()

    def show_data(self, data: RecognitionData) -> None:
        self.data = data
        current = self.notice_box.currentData()
        self.notice_box.blockSignals(True)
        self.notice_box.clear()
        for n in data.notices:
            self.notice_box.addItem(f"{n.title}（公示期至 {cn_date(n.ends_on)}，{n.status_label}）", n.id)
        index = self.notice_box.findData(current) if current is not None else -1
        if index < 0 and data.notices:
            open_ones = [i for i, n in enumerate(data.notices) if n.status == "open"]
            index = open_ones[0] if open_ones else 0
        self.notice_box.setCurrentIndex(index)
        self.notice_box.blockSignals(False)
        self._notice_chosen()

    def current_notice(self) -> NoticeView | None:
        nid = self.notice_box.currentData()
        return next((n for n in (self.data.notices if self.data else []) if n.id == nid), None)

    def _notice_chosen(self) -> None:
        shown = self.current_notice()
        details = self.data.details if self.data is not None else {}
        self.model.set_rows(
            [RecognitionRow(i, details.get(i.center_id)) for i in shown.items] if shown else []
        )
        self._check()

    def _check(self) -> None:
        shown, on = self.current_notice(), self.on.date()
        if shown is None:
            self.problems = []
            self.state.setText("本年度还没有发布公示。" if self.data is not None else "")
            self.state.setStyleSheet(style.NOTE_STYLE)
            self._update_buttons()
            return
        if shown.status != "open":
            self.problems = []
            self.state.setText(f"公示“{shown.title}”{shown.status_label}。")
            self.state.setStyleSheet(style.NOTE_STYLE)
            self._update_buttons()
            return
        if on is None:
            return
        ctx, nid = self.ctx, shown.id
        self.read(
            lambda: recognition.recognition_problems(ctx, notice_id=nid, on=on), self._checked, key="problems"
        )

    def _checked(self, problems: list[str]) -> None:
        self.problems = problems
        if problems:
            self.state.setText("尚不能发文认定：" + "；".join(problems))
            self.state.setStyleSheet(style.WARNING_STYLE)
        else:
            shown = self.current_notice()
            count = sum(1 for i in shown.items if i.state == "public_notice") if shown is not None else 0
            self.state.setText(f"可以发文认定：公示期已满，异议均已处理；将认定 {count} 个中心。")
            self.state.setStyleSheet(style.OK_STYLE)
        self._update_buttons()

    def _update_buttons(self) -> None:
        shown = self.current_notice()
        self.recognise_button.setEnabled(shown is not None and shown.status == "open")
        self.recognition_pdf_button.setEnabled(shown is not None and shown.status == "closed")

    def recognise(self) -> None:
        shown = self.current_notice()
        if shown is None or shown.status != "open":
            return
        dialog = RecogniseDialog(
            self, self.ctx, shown, document_no=self.document_no.text(), on=self.on.date()
        )
        self.open_dialog(dialog)

    def show_batch(self, batch: RecognitionBatch) -> None:
        when = cn_date(batch.recognized_on)
        lines = [f"已发文认定 {len(batch.recognised)} 个中心（{batch.document_no}，{when}）："]
        lines += [f"{r.center_name}：证书 {r.certificate_no}，牌匾 {r.plaque_no}" for r in batch.recognised]
        lines += [f"未认定：{s.center_name}（{s.reason}）" for s in batch.skipped]
        self.show_message("\n".join(lines))


class RecogniseDialog(FormDialog):
    """发文认定 of the notice's batch: the 文号 and the date (asked before it is done)."""

    def __init__(
        self,
        parent: RecognitionTab,
        ctx: AppContext,
        shown: NoticeView,
        *,
        document_no: str,
        on: dt.date | None,
    ) -> None:
        super().__init__(parent, "发文认定", "发文认定(&O)", kinds=STATE_KINDS, on_done=parent.show_batch)
        self.ctx = ctx
        self.shown = shown
        listed = [i.center_name for i in shown.items if i.state == "public_notice"]
        head = QLabel(
            f"公示：{shown.title}（{shown.period_text}）\n公示中的中心：" + ("、".join(listed) or "无"), self
        )
        head.setWordWrap(True)
        self.form.addRow(head)
        self.document_no = QLineEdit(document_no, self)
        self.document_no.setObjectName("documentNo")
        self.document_no.setPlaceholderText("如 柳科发〔2026〕12号")
        self.on = date_field(on, "认定日期")
        for text, widget in (("认定文号(&N)：", self.document_no), ("认定日期(&D)：", self.on)):
            label = QLabel(text, self)
            label.setBuddy(widget)
            self.form.addRow(label, widget)
        self.resize(560, self.sizeHint().height())

    def action(self) -> Callable[[], Any]:
        on = typed_date(self.on, "认定日期")
        assert on is not None
        ctx, nid, doc = self.ctx, self.shown.id, self.document_no.text()
        return lambda: recognition.recognise_notice(ctx, notice_id=nid, document_no=doc, recognized_on=on)

    def confirmation(self) -> tuple[str, str, str] | None:
        return (
            "确认发文认定",
            f"以“{self.document_no.text().strip()}”发文认定公示“{self.shown.title}”中的中心？\n"
            "将依次编排证书和牌匾编号，中心进入“已认定”，不能撤销。",
            "发文认定(&Y)",
        )
