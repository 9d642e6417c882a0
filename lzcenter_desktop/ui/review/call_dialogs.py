"""The dialogs of the 评审 page's top bars: a 年度申报通知 (create / edit) and a 评审会 (create / edit).

The rule-set versions of the year and the score sheet's version are read on a worker thread when
the dialog opens (and again when the year changes); the write goes through ``ui.ops.write_op``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QSpinBox, QWidget

from lzcenter_desktop.domain.review import Aggregation
from lzcenter_desktop.services import rulesets
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.review import calls, panels
from lzcenter_desktop.services.review.calls import CALL_STATUS_LABELS
from lzcenter_desktop.services.review.dto import CallView, SessionView
from lzcenter_desktop.services.review.scoring import load_score_sheet
from lzcenter_desktop.ui import ops
from lzcenter_desktop.ui.review.common import FormDialog, date_field, note_label, typed_date

_UNSET_RULESET = "（不指定，使用该年度最新的规则参数）"


def default_call_title(year: int) -> str:
    return f"{year}年度柳州市工程技术研究中心建设申报通知"


def _versions_and_sheet(ctx: AppContext, year: int) -> tuple[list[tuple[int, str]], str]:
    """(version number, label) of the year's rule sets, and the version of the year's score sheet."""
    versions = [
        (v.version_no, f"第 {v.version_no} 版（{v.created_at:%Y-%m-%d}{'，' + v.note if v.note else ''}）")
        for v in rulesets.list_versions(ctx, year)
    ]
    try:
        sheet = load_score_sheet(year).version
    except ServiceError:
        sheet = ""
    return versions, sheet


class CallDialog(FormDialog):
    """Create a call (``call`` None) or edit one: year (only when new), title, 文号, dates, rule-set
    version, score sheet version, status."""

    def __init__(
        self,
        parent: QWidget | None,
        ctx: AppContext,
        *,
        call: CallView | None = None,
        year: int,
        on_done: Callable[[Any], None] | None = None,
    ) -> None:
        super().__init__(
            parent,
            "新建年度申报通知" if call is None else "修改年度申报通知",
            "创建(&O)" if call is None else "保存(&O)",
            on_done=on_done,
        )
        self.ctx = ctx
        self.call = call
        self.year = QSpinBox(self)
        self.year.setObjectName("year")
        self.year.setRange(2000, 2100)
        self.year.setValue(call.year if call is not None else year)
        self.year.setEnabled(call is None)
        self.year.setToolTip("每年只有一个申报通知；已有通知的年度不能改")
        self.title = QLineEdit(call.title if call is not None else default_call_title(year), self)
        self.title.setObjectName("title")
        self.title.setMinimumWidth(self.fontMetrics().horizontalAdvance("中") * 26)
        self._title_typed = call is not None
        self.title.textEdited.connect(lambda _t: setattr(self, "_title_typed", True))
        self.document_no = QLineEdit((call.document_no or "") if call is not None else "", self)
        self.document_no.setObjectName("documentNo")
        self.document_no.setPlaceholderText("如 柳科发〔2026〕8号")
        self.published_on = date_field(call.published_on if call else None, "发布日期", optional=True)
        self.deadline = date_field(call.deadline if call else None, "申报截止日期", optional=True)
        self.ruleset = QComboBox(self)
        self.ruleset.setObjectName("ruleset")
        self.ruleset.addItem(_UNSET_RULESET, None)
        self.sheet = QLineEdit((call.score_sheet_version or "") if call is not None else "", self)
        self.sheet.setObjectName("sheetVersion")
        self.sheet.setPlaceholderText("如 2026.1（forms/review-年度.toml 中的版本）")
        self.status = QComboBox(self)
        self.status.setObjectName("status")
        for code, label in CALL_STATUS_LABELS.items():
            self.status.addItem(label, code)
        self.status.setCurrentIndex(max(0, self.status.findData(call.status if call else "open")))
        rows: list[tuple[str, QWidget]] = [
            ("年度(&Y)：", self.year),
            ("通知标题(&T)：", self.title),
            ("通知文号(&D)：", self.document_no),
            ("发布日期(&P)：", self.published_on),
            ("申报截止日期(&L)：", self.deadline),
            ("规则参数版本(&V)：", self.ruleset),
            ("评分表版本(&B)：", self.sheet),
            ("状态(&Z)：", self.status),
        ]
        for text, widget in rows:
            caption = QLabel(text, self)
            caption.setBuddy(widget)
            self.form.addRow(caption, widget)
        self.form.addRow(note_label("日期可直接输入，如 2026-05-20、2026/5/20；Alt+↓ 打开日历。", self))
        self.year.valueChanged.connect(self._year_changed)
        self._load_choices(self.year.value())

    def _year_changed(self, year: int) -> None:
        if not self._title_typed:
            self.title.setText(default_call_title(year))
        self._load_choices(year)

    def _load_choices(self, year: int) -> None:
        ctx = self.ctx
        ops.query_op(
            lambda: _versions_and_sheet(ctx, year),
            parent=self,
            key=f"call-dialog:{id(self)}",
            on_success=self._choices_loaded,
        )

    def _choices_loaded(self, data: tuple[list[tuple[int, str]], str]) -> None:
        versions, sheet = data
        wanted = self.call.ruleset_version_no if self.call is not None else None
        self.ruleset.clear()
        self.ruleset.addItem(_UNSET_RULESET, None)
        for number, label in versions:
            self.ruleset.addItem(label, number)
        if wanted is not None and self.ruleset.findData(wanted) >= 0:
            self.ruleset.setCurrentIndex(self.ruleset.findData(wanted))
        elif self.call is None and versions:
            self.ruleset.setCurrentIndex(self.ruleset.count() - 1)
        if not self.sheet.text().strip() and sheet:
            self.sheet.setText(sheet)

    def action(self) -> Callable[[], Any]:
        ctx = self.ctx
        published = typed_date(self.published_on, "发布日期", required=False)
        deadline = typed_date(self.deadline, "申报截止日期", required=False)
        values: dict[str, Any] = {
            "title": self.title.text(),
            "document_no": self.document_no.text().strip() or None,
            "published_on": published,
            "deadline": deadline,
            "ruleset_version_no": self.ruleset.currentData(),
            "score_sheet_version": self.sheet.text().strip() or None,
            "status": self.status.currentData(),
        }
        if self.call is None:
            year = self.year.value()
            return lambda: calls.create_call(ctx, year=year, **values)
        call_id = self.call.id
        return lambda: calls.update_call(ctx, call_id=call_id, **values)


AGGREGATION_CHOICES = tuple((a.value, a.label) for a in Aggregation)


class SessionDialog(FormDialog):
    """Create a review session of the call (``session`` None) or edit one that has not ended."""

    def __init__(
        self,
        parent: QWidget | None,
        ctx: AppContext,
        *,
        call: CallView,
        session: SessionView | None = None,
        today: dt.date,
        on_done: Callable[[Any], None] | None = None,
    ) -> None:
        super().__init__(
            parent,
            "新建评审会" if session is None else "修改评审会",
            "创建(&O)" if session is None else "保存(&O)",
            on_done=on_done,
        )
        self.ctx = ctx
        self.call = call
        self.session = session
        title = session.title if session is not None else f"{call.year}年度工程技术研究中心认定评审"
        self.title = QLineEdit(title, self)
        self.title.setObjectName("title")
        self.title.setMinimumWidth(self.fontMetrics().horizontalAdvance("中") * 24)
        self.held_on = date_field(session.held_on if session else today, "评审日期")
        self.location = QLineEdit((session.location or "") if session else "柳州市科学技术局会议室", self)
        self.location.setObjectName("location")
        self.aggregation = QComboBox(self)
        self.aggregation.setObjectName("aggregation")
        for code, label in AGGREGATION_CHOICES:
            self.aggregation.addItem(label, code)
        self.aggregation.setCurrentIndex(
            max(0, self.aggregation.findData(session.aggregation if session else "mean"))
        )
        self.aggregation.setToolTip("去掉最高分和最低分后平均须至少有 5 位专家评分")
        self.deadline = date_field(session.score_deadline if session else None, "评分截止日期", optional=True)
        self.deadline.setToolTip("离线评审包的回执在此日期之后保存的，须由管理员填写理由才能导入")
        for text, widget in (
            ("评审会名称(&T)：", self.title),
            ("评审日期(&D)：", self.held_on),
            ("评审地点(&L)：", self.location),
            ("专家评分汇总方式(&A)：", self.aggregation),
            ("评分截止日期(&E)：", self.deadline),
        ):
            caption = QLabel(text, self)
            caption.setBuddy(widget)
            self.form.addRow(caption, widget)
        self.form.addRow(
            note_label("回避按评审日期判断（近三年的任职、顾问、纠纷关系以评审日期倒推三年）。", self)
        )

    def action(self) -> Callable[[], Any]:
        ctx = self.ctx
        held_on = typed_date(self.held_on, "评审日期")
        assert held_on is not None
        deadline = typed_date(self.deadline, "评分截止日期", required=False)
        title = self.title.text()
        location = self.location.text().strip() or None
        aggregation = str(self.aggregation.currentData())
        if self.session is None:
            call_id = self.call.id
            return lambda: panels.create_session(
                ctx,
                call_id=call_id,
                title=title,
                held_on=held_on,
                aggregation=aggregation,
                score_deadline=deadline,
                location=location,
            )
        session_id = self.session.id
        return lambda: panels.update_session(
            ctx,
            session_id=session_id,
            title=title,
            held_on=held_on,
            aggregation=aggregation,
            score_deadline=deadline,
            location=location or "",
        )
