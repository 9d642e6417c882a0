"""The dialogs of the 公示 tab: publishing the 拟认定名单 (its period computed from the call's rule
settings and the holiday table as the date is typed), recording an objection (whether it will be
accepted is shown as it is filled in), and handling one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QWidget,
)

from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.review import notice
from lzcenter_desktop.services.review.notice import NoticeItemView, NoticePeriod, NoticeView, ObjectionView
from lzcenter_desktop.ui import ops, style
from lzcenter_desktop.ui.review.common import (
    REVIEW_KINDS,
    STATE_KINDS,
    FormDialog,
    date_field,
    error_text,
    note_label,
    typed_date,
)


def _row(dialog: FormDialog, text: str, widget: QWidget) -> None:
    label = QLabel(text, dialog)
    label.setBuddy(widget)
    dialog.form.addRow(label, widget)


def default_notice_title(year: int) -> str:
    return f"{year}年度柳州市工程技术研究中心拟认定名单公示"


class PublishDialog(FormDialog):
    """Publish the 拟认定名单公示 of the call: title, 文号, first day; the period and the text follow."""

    def __init__(
        self,
        parent: QWidget,
        ctx: AppContext,
        *,
        call_id: int,
        year: int,
        centres: list[NoticeItemView],
        today: dt.date,
    ) -> None:
        super().__init__(parent, "发布拟认定名单公示", "发布公示(&O)", kinds=STATE_KINDS)
        self.ctx = ctx
        self.call_id = call_id
        self.period: NoticePeriod | None = None
        self._body_typed = False
        self.title = QLineEdit(default_notice_title(year), self)
        self.title.setObjectName("title")
        self.title.setMinimumWidth(self.fontMetrics().horizontalAdvance("中") * 30)
        self.document_no = QLineEdit(self)
        self.document_no.setObjectName("documentNo")
        self.document_no.setPlaceholderText("可不填")
        self.on = date_field(today, "公示开始日期")
        self.on.date_committed.connect(lambda _d: self._load_period())
        self.period_label = QLabel(self)
        self.period_label.setObjectName("period")
        self.centres = QListWidget(self)
        self.centres.setObjectName("centres")
        for c in centres:
            item = QListWidgetItem(f"{c.center_name}（总分 {c.total_shown}）", self.centres)
            item.setData(Qt.ItemDataRole.UserRole, c.center_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
        self.centres.setMaximumHeight(self.fontMetrics().height() * 7)
        self.body_edit = QPlainTextEdit(self)
        self.body_edit.setObjectName("body")
        self.body_edit.setTabChangesFocus(True)
        self.body_edit.textChanged.connect(self._body_edited)
        _row(self, "公示标题(&T)：", self.title)
        _row(self, "文号(&N)：", self.document_no)
        _row(self, "公示开始日期(&D)：", self.on)
        self.form.addRow(QLabel("公示期：", self), self.period_label)
        _row(self, "公示名单(&L)：", self.centres)
        _row(self, "公示正文(&B)：", self.body_edit)
        self.form.addRow(
            note_label("公示期按规则参数（工作日或自然日）和节假日表计算；各中心进入“公示中”。", self)
        )
        self.resize(700, self.sizeHint().height())
        self._load_period()

    def _body_edited(self) -> None:
        if not getattr(self, "_filling_body", False):
            self._body_typed = True

    def checked(self) -> list[int]:
        out = []
        for i in range(self.centres.count()):
            item = self.centres.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(int(item.data(Qt.ItemDataRole.UserRole)))
        return out

    def _load_period(self) -> None:
        start = self.on.date()
        if start is None:
            return
        ctx, call_id = self.ctx, self.call_id
        self.period_label.setText("正在计算…")
        ops.query_op(
            lambda: notice.notice_period(ctx, call_id=call_id, start=start),
            parent=self,
            key=f"notice-period:{id(self)}",
            on_success=self._period_loaded,
            on_failure=lambda exc: self.period_label.setText(error_text(exc) or "无法计算公示期"),
        )

    def _period_loaded(self, period: NoticePeriod) -> None:
        self.period = period
        self.period_label.setText(period.text)
        if not self._body_typed:
            self._filling_body = True
            self.body_edit.setPlainText(notice.default_body(len(self.checked()) or 1, period))
            self._filling_body = False

    def action(self) -> Callable[[], Any]:
        on = typed_date(self.on, "公示开始日期")
        assert on is not None
        ids = self.checked()
        if not ids:
            raise ServiceError("请至少勾选一个列入公示名单的中心", field="公示名单")
        ctx, call_id = self.ctx, self.call_id
        title, doc_no = self.title.text(), self.document_no.text().strip() or None
        body = self.body_edit.toPlainText().strip() if self._body_typed else None
        return lambda: notice.publish_notice(
            ctx, call_id=call_id, title=title, published_on=on, document_no=doc_no, body=body, center_ids=ids
        )

    def confirmation(self) -> tuple[str, str, str] | None:
        period = f"，公示期{self.period.text}" if self.period is not None else ""
        return (
            "确认发布公示",
            f"发布公示“{self.title.text().strip()}”（{len(self.checked())} 个中心{period}）？\n"
            "所列中心将进入“公示中”，不能撤销。",
            "发布(&Y)",
        )


KIND_CHOICES = tuple(notice.SUBMITTER_KIND_LABELS.items())
FORM_CHOICES = tuple(notice.FORM_LABELS.items())


class ObjectionDialog(FormDialog):
    """Record an objection received about a centre of the notice."""

    def __init__(self, parent: QWidget, ctx: AppContext, shown: NoticeView, *, today: dt.date) -> None:
        super().__init__(parent, "登记异议", "登记(&O)", kinds=REVIEW_KINDS)
        self.ctx = ctx
        self.notice = shown
        self.center = QComboBox(self)
        self.center.setObjectName("center")
        for item in shown.items:
            self.center.addItem(item.center_name, item.center_id)
        self.received = date_field(today, "收到日期")
        self.kind = QComboBox(self)
        self.kind.setObjectName("submitterKind")
        for code, label in KIND_CHOICES:
            self.kind.addItem(label, code)
        self.form_box = QComboBox(self)
        self.form_box.setObjectName("form")
        for code, label in FORM_CHOICES:
            self.form_box.addItem(label, code)
        self.submitter = QLineEdit(self)
        self.submitter.setObjectName("submitter")
        self.submitter.setPlaceholderText("个人姓名或单位名称（匿名的可不填）")
        self.content = QPlainTextEdit(self)
        self.content.setObjectName("content")
        self.content.setTabChangesFocus(True)
        self.content.setMinimumWidth(self.fontMetrics().horizontalAdvance("中") * 30)
        self.content.setMaximumHeight(self.fontMetrics().height() * 6)
        self.acceptance = QLabel(self)
        self.acceptance.setObjectName("acceptance")
        self.acceptance.setWordWrap(True)
        _row(self, "异议涉及的中心(&C)：", self.center)
        _row(self, "收到日期(&D)：", self.received)
        _row(self, "异议人类型(&K)：", self.kind)
        _row(self, "异议形式(&F)：", self.form_box)
        _row(self, "异议人(&W)：", self.submitter)
        _row(self, "异议内容(&T)：", self.content)
        self.form.addRow(self.acceptance)
        self.form.addRow(
            note_label(
                f"公示期 {shown.period_text}。单位异议须加盖公章，个人异议须签署真实姓名；"
                "匿名或逾期的异议登记为不予受理。",
                self,
            )
        )
        self.kind.currentIndexChanged.connect(lambda _i: self._kind_changed())
        self.form_box.currentIndexChanged.connect(lambda _i: self._show_acceptance())
        self.received.date_committed.connect(lambda _d: self._show_acceptance())
        self._kind_changed()

    def _kind_changed(self) -> None:
        expected = {"person": "signed", "unit": "stamped", "anonymous": "unsigned"}[
            str(self.kind.currentData())
        ]
        self.form_box.setCurrentIndex(self.form_box.findData(expected))
        self.submitter.setEnabled(self.kind.currentData() != "anonymous")
        self._show_acceptance()

    def _show_acceptance(self) -> None:
        received = self.received.date()
        if received is None:
            self.acceptance.setText("")
            return
        why = notice.acceptance(
            str(self.kind.currentData()), str(self.form_box.currentData()), received, self.notice.ends_on
        )
        if why is None:
            self.acceptance.setText("将予以受理，登记后须核查处理。")
            self.acceptance.setStyleSheet(style.OK_STYLE)
        else:
            self.acceptance.setText(f"将登记为不予受理：{why}")
            self.acceptance.setStyleSheet(style.WARNING_STYLE)

    def action(self) -> Callable[[], Any]:
        received = typed_date(self.received, "收到日期")
        assert received is not None
        center_id = self.center.currentData()
        if center_id is None:
            raise ServiceError("请选择异议涉及的中心", field="中心")
        ctx, nid = self.ctx, self.notice.id
        kind, form = str(self.kind.currentData()), str(self.form_box.currentData())
        submitter, content = self.submitter.text(), self.content.toPlainText()
        return lambda: notice.record_objection(
            ctx,
            notice_id=nid,
            center_id=center_id,
            received_on=received,
            submitter=submitter,
            submitter_kind=kind,
            form=form,
            content=content,
        )


RESOLUTION_CHOICES = (("dismissed", "异议不成立"), ("upheld", "异议成立（撤回认定）"))


class ResolveDialog(FormDialog):
    """Close an accepted objection: 异议不成立, or 异议成立 (the centre is withdrawn — asked first)."""

    def __init__(self, parent: QWidget, ctx: AppContext, objection: ObjectionView, *, today: dt.date) -> None:
        super().__init__(parent, "处理异议", "保存处理结果(&O)", kinds=STATE_KINDS)
        self.ctx = ctx
        self.objection = objection
        who = objection.submitter_kind_label + (f"：{objection.submitter}" if objection.submitter else "")
        head = QLabel(
            f"关于“{objection.center_name}”的异议（{objection.received_on.isoformat()} 收到，{who}）：\n"
            f"{objection.content}",
            self,
        )
        head.setWordWrap(True)
        self.form.addRow(head)
        self.outcome = QComboBox(self)
        self.outcome.setObjectName("outcome")
        for code, label in RESOLUTION_CHOICES:
            self.outcome.addItem(label, code)
        self.resolution = QPlainTextEdit(self)
        self.resolution.setObjectName("resolution")
        self.resolution.setTabChangesFocus(True)
        self.resolution.setPlaceholderText("核查情况和处理意见")
        self.resolution.setMaximumHeight(self.fontMetrics().height() * 6)
        self.on = date_field(max(today, objection.received_on), "处理日期")
        _row(self, "处理结果(&R)：", self.outcome)
        _row(self, "核查情况和处理意见(&T)：", self.resolution)
        _row(self, "处理日期(&D)：", self.on)
        self.resize(560, self.sizeHint().height())

    def action(self) -> Callable[[], Any]:
        on = typed_date(self.on, "处理日期")
        assert on is not None
        ctx, oid = self.ctx, self.objection.id
        outcome, text = str(self.outcome.currentData()), self.resolution.toPlainText()
        return lambda: notice.resolve_objection(
            ctx, objection_id=oid, outcome=outcome, resolution=text, resolved_on=on
        )

    def confirmation(self) -> tuple[str, str, str] | None:
        if self.outcome.currentData() != "upheld":
            return None
        return (
            "确认异议成立",
            f"异议成立将撤回“{self.objection.center_name}”的认定（中心进入“已撤回”），不能撤销。确定吗？",
            "异议成立(&Y)",
        )
