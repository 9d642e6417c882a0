"""The dialogs of the 处理结果 tab: applying an evaluation's consequence (the confirmation names what
will happen and the article), and the 整改 acceptance: the host's request after the deadline, and
the check's result (passed → 已认定; not passed → 取消称号), each asked first."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QWidget,
)

from lzcenter_desktop.domain.evaluation import Grade, Outcome
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.evaluation import consequences, rectification
from lzcenter_desktop.ui.evaluation.common import STATE_KINDS, day_text
from lzcenter_desktop.ui.review.common import FormDialog, date_field, note_label, typed_date

ACCEPTANCE_ARTICLE = "第二十四条（三）"


def consequence_sentence(c: Any) -> str:
    """What applying the consequence does, with its article: ``将取消称号（第二十四条（四））``."""
    article = f"（{c.article}）" if c.article else ""
    if c.outcome == Outcome.KEEP.value:
        if c.grade == Grade.EXCELLENT.value:
            return f"将保留称号，并列入优先支持名单{article}；中心状态不变"
        return f"将继续保留称号{article}；中心状态不变"
    if c.outcome == Outcome.RECTIFY.value:
        return f"将予以通报，中心进入“整改中”，给予一年整改期限（自执行日起）{article}"
    if c.outcome == Outcome.REVOKE.value:
        why = (
            "连续二次评估结果为整改，"
            if c.grade == Grade.RECTIFY.value
            else ("评估结果为不合格，" if c.grade == Grade.FAILED.value else "")
        )
        return f"{why}将取消称号{article}，中心进入“已撤销”"
    if c.outcome == Outcome.FORFEIT.value:
        return f"未参加或中途退出评估，将视为自动放弃工程技术中心资格{article}，中心进入“自动放弃”"
    return str(c.outcome_label)


class ApplyDialog(FormDialog):
    """执行处理结果: the day (the notice day: a rectification's year counts from it) and the 文号."""

    def __init__(
        self,
        parent: QWidget,
        ctx: AppContext,
        view: Any,
        *,
        today: dt.date,
        on_done: Callable[[Any], None] | None = None,
    ) -> None:
        super().__init__(
            parent, f"执行处理结果：{view.center_name}", "执行(&O)", kinds=STATE_KINDS, on_done=on_done
        )
        self.ctx = ctx
        self.view = view
        grade = view.grade or "未参评"
        previous = "、".join(view.previous_grades) if view.previous_grades else "无"
        summary = QLabel(
            f"中心：{view.center_name}\n本次等次：{grade}　以往等次（由远及近）：{previous}\n"
            f"处理结果：{consequence_sentence(view)}。",
            self,
        )
        summary.setObjectName("applySummary")
        summary.setWordWrap(True)
        self.form.addRow(summary)
        self.on = date_field(today, "执行日期")
        label = QLabel("执行日期(&D)：", self)
        label.setBuddy(self.on)
        self.form.addRow(label, self.on)
        self.document_no = QLineEdit(self)
        self.document_no.setObjectName("documentNo")
        self.document_no.setPlaceholderText("如 柳科字〔2026〕30号（可不填）")
        doc_label = QLabel("文号(&W)：", self)
        doc_label.setBuddy(self.document_no)
        self.form.addRow(doc_label, self.document_no)
        self.form.addRow(note_label("执行后记入中心的历史记录（含条款），不能重复执行，也不能撤销。", self))
        self.resize(560, self.sizeHint().height())

    def action(self) -> Callable[[], Any]:
        on = typed_date(self.on, "执行日期")
        assert on is not None
        ctx, eid, doc = self.ctx, self.view.evaluation_id, self.document_no.text().strip() or None
        return lambda: consequences.apply_consequence(ctx, evaluation_id=eid, on=on, document_no=doc)

    def confirmation(self) -> tuple[str, str, str] | None:
        return (
            "确认执行处理结果",
            f"“{self.view.center_name}”：{consequence_sentence(self.view)}。\n执行后不能撤销，确定执行？",
            "执行(&Y)",
        )


class AcceptanceDialog(FormDialog):
    """整改验收结果: the day of the check, passed or not (没有明显进步), the experts' conclusion."""

    def __init__(
        self,
        parent: QWidget,
        ctx: AppContext,
        rect: Any,
        *,
        today: dt.date,
        on_done: Callable[[Any], None] | None = None,
    ) -> None:
        super().__init__(
            parent, f"整改验收结果：{rect.center_name}", "记录结果(&O)", kinds=STATE_KINDS, on_done=on_done
        )
        self.ctx = ctx
        self.record = rect
        info = QLabel(
            f"整改通报 {day_text(rect.notice_date)}，整改期限至 {day_text(rect.deadline)}，"
            f"依托单位于 {day_text(rect.applied_on)} 提出验收申请。",
            self,
        )
        info.setWordWrap(True)
        self.form.addRow(info)
        self.on = date_field(today, "验收日期")
        on_label = QLabel("验收日期(&D)：", self)
        on_label.setBuddy(self.on)
        self.form.addRow(on_label, self.on)
        self.passed = QRadioButton("验收通过(&P)", self)
        self.passed.setObjectName("passed")
        self.failed = QRadioButton("未通过：整改期间没有明显进步(&F)", self)
        self.failed.setObjectName("notPassed")
        group = QButtonGroup(self)
        group.addButton(self.passed)
        group.addButton(self.failed)
        row = QHBoxLayout()
        row.addWidget(self.passed)
        row.addWidget(self.failed)
        row.addStretch(1)
        self.form.addRow(QLabel("验收结果：", self), row)
        self.note = QPlainTextEdit(self)
        self.note.setObjectName("note")
        self.note.setTabChangesFocus(True)
        self.note.setMaximumHeight(self.fontMetrics().height() * 5)
        self.note.setPlaceholderText("专家或第三方机构的验收结论")
        note_label_ = QLabel("验收意见(&N)：", self)
        note_label_.setBuddy(self.note)
        self.form.addRow(note_label_, self.note)
        self.document_no = QLineEdit(self)
        self.document_no.setObjectName("documentNo")
        self.document_no.setPlaceholderText("可不填")
        doc_label = QLabel("文号(&W)：", self)
        doc_label.setBuddy(self.document_no)
        self.form.addRow(doc_label, self.document_no)
        self.resize(580, self.sizeHint().height())

    def outcome_sentence(self) -> str:
        if self.passed.isChecked():
            return f"整改验收通过，中心恢复为“已认定”（合格），继续保留称号（{ACCEPTANCE_ARTICLE}）"
        return f"整改验收未通过，将取消称号（{ACCEPTANCE_ARTICLE}），中心进入“已撤销”"

    def action(self) -> Callable[[], Any]:
        on = typed_date(self.on, "验收日期")
        assert on is not None
        if not (self.passed.isChecked() or self.failed.isChecked()):
            raise ServiceError("请选择验收结果：通过或未通过", field="验收结果")
        note = self.note.toPlainText().strip()
        if not note:
            raise ServiceError("请填写验收意见（专家或第三方机构的结论）", field="验收意见")
        ctx, rid, passed = self.ctx, self.record.rectification_id, self.passed.isChecked()
        doc = self.document_no.text().strip() or None
        return lambda: rectification.record_acceptance(
            ctx, rectification_id=rid, checked_on=on, passed=passed, note=note, document_no=doc
        )

    def confirmation(self) -> tuple[str, str, str] | None:
        return (
            "确认验收结果",
            f"“{self.record.center_name}”：{self.outcome_sentence()}。\n记录后不能撤销，确定？",
            "确定(&Y)",
        )
