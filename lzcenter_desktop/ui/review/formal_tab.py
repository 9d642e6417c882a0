"""形式审查 (第十条（二）): the queue of the call's submitted declarations with the rule engine's
findings, the clerk's decision (通过 / 退回补正 / 不予受理 with reasons), the 县区/主管部门
recommendation, re-submission after 退回补正, and the result list as published.

通过 moves the centre to 评审中 and 不予受理 to 未获认定 — neither can be undone, so both ask
first; 退回补正 sends the reasons to the applicant and the declaration leaves the queue until it is
submitted again (重新提交, with the corrected JSON file or as stored).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.review import calls, formal
from lzcenter_desktop.services.review.dto import (
    Finding,
    FormalCheckView,
    FormalQueueRow,
    FormalResultRow,
    RecommendationView,
)
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
    select_where,
    selected_object,
    set_widths,
    table_view,
    typed_date,
)

DECISION_TEXT = {"passed": "通过", "returned": "退回补正", "rejected": "不予受理"}


def _status_colour(row: FormalQueueRow) -> QColor | None:
    if row.pending:
        return None
    if row.status == formal.RETURNED_STATUS:
        return QColor(style.WARNING_COLOR)
    if row.last is not None and row.last.decision == "rejected":
        return QColor(style.ERROR_COLOR)
    return QColor(style.OK_COLOR)


def _checks_text(row: FormalQueueRow) -> str:
    if not row.errors and not row.warnings:
        return "无问题"
    return style.counts_text(row.errors, row.warnings)


def _checks_colour(row: FormalQueueRow) -> QColor | None:
    if row.errors:
        return QColor(style.ERROR_COLOR)
    return QColor(style.WARNING_COLOR) if row.warnings else None


QUEUE_COLUMNS: tuple[Column[FormalQueueRow], ...] = (
    Column("编号", lambda r: str(r.declaration_id)),
    Column("中心名称", lambda r: r.center_name),
    Column("依托单位", lambda r: r.host_name),
    Column("提交日期", lambda r: cn_date(r.submitted_on)),
    Column("推荐单位", lambda r: r.recommended_by or "（未记录）"),
    Column("轮次", lambda r: f"第 {r.round} 轮"),
    Column("规则检查", _checks_text, _checks_colour),
    Column("状态", lambda r: r.status_label, _status_colour),
)

FINDING_COLUMNS: tuple[Column[Finding], ...] = (
    Column("级别", lambda f: style.level_label(f.severity), lambda f: style.level_color(f.severity)),
    Column("规则", lambda f: f.rule),
    Column("位置", lambda f: f.path),
    Column("说明", lambda f: f.message),
)

RESULT_COLUMNS: tuple[Column[FormalResultRow], ...] = (
    Column("中心名称", lambda r: r.center_name),
    Column("结论", lambda r: r.conclusion),
    Column("原因", lambda r: r.reasons.replace("\n", "；")),
    Column("轮次", lambda r: f"第 {r.round} 轮"),
    Column("日期", lambda r: cn_date(r.decided_on)),
)


@dataclass(frozen=True, slots=True)
class FormalData:
    queue: list[FormalQueueRow]
    results: list[FormalResultRow]
    history: dict[int, list[FormalCheckView]]
    recommendations: dict[int, RecommendationView]


def read_formal(ctx: AppContext, call_id: int) -> FormalData:
    queue = formal.formal_queue(ctx, call_id=call_id, include_decided=True)
    ids = [r.declaration_id for r in queue]
    return FormalData(
        queue=queue,
        results=formal.formal_results(ctx, call_id=call_id),
        history={i: formal.formal_history(ctx, declaration_id=i) for i in ids},
        recommendations={i: calls.get_recommendation(ctx, i) for i in ids},
    )


def history_text(checks: list[FormalCheckView]) -> str:
    lines = []
    for c in checks:
        why = "：" + "；".join(c.reasons) if c.reasons else ""
        lines.append(f"第 {c.round} 轮 {cn_date(c.decided_on)} {c.decision_label}（{c.operator}）{why}")
    return "\n".join(lines) or "尚未审查。"


class FormalTab(ReviewTab):
    title = "形式审查"

    def __init__(self, page: Any) -> None:
        super().__init__(page)
        self.data: FormalData | None = None
        self.pending_only = QCheckBox("只显示待审查的(&O)", self)
        self.pending_only.toggled.connect(lambda _on: self._fill())
        self.pass_button = button("通过(&P)…", self, tip="形式审查通过：中心进入“评审中”，可以分组评审")
        self.return_button = button("退回补正(&R)…", self, tip="退回申报单位补正，原因以书面通知告知")
        self.reject_button = button("不予受理(&J)…", self, tip="不予受理：中心为“未获认定”，不能撤销")
        self.resubmit_button = button(
            "重新提交(&U)…", self, tip="退回补正的申报书改正后重新提交，进入下一轮审查"
        )
        self.recommend_button = button("推荐单位(&T)…", self, tip="记录县区科技主管部门或主管部门的推荐")
        self.pass_button.clicked.connect(lambda: self.decide("passed"))
        self.return_button.clicked.connect(lambda: self.decide("returned"))
        self.reject_button.clicked.connect(lambda: self.decide("rejected"))
        self.resubmit_button.clicked.connect(self.resubmit)
        self.recommend_button.clicked.connect(self.recommend)

        self.model: RowTableModel[FormalQueueRow] = RowTableModel(QUEUE_COLUMNS, parent=self)
        self.table = table_view(self.model, self, name="formalQueue", stretch=1)
        set_widths(self.table, (3, 0, 13, 6, 10, 4, 9, 10))
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selected())

        self.history = QLabel(self)
        self.history.setObjectName("formalHistory")
        self.history.setWordWrap(True)
        self.history.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.findings_model: RowTableModel[Finding] = RowTableModel(FINDING_COLUMNS, parent=self)
        self.findings = table_view(self.findings_model, self, name="formalFindings")
        set_widths(self.findings, (3, 5, 10))
        left = QGroupBox("所选申报书：审查记录与规则检查", self)
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(self.history)
        left_layout.addWidget(self.findings, 1)

        self.results_model: RowTableModel[FormalResultRow] = RowTableModel(RESULT_COLUMNS, parent=self)
        self.results_table = table_view(self.results_model, self, name="formalResults", stretch=0)
        set_widths(self.results_table, (0, 4, 10, 3, 6))
        right = QGroupBox("形式审查结果（公布用）", self)
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.results_table, 1)
        self.results_summary = note_label("", right)
        right_layout.addWidget(self.results_summary)
        self.result_pdf_button, self.return_pdf_button = document_actions.formal_buttons(self)
        right_layout.addLayout(button_row(self.result_pdf_button, self.return_pdf_button))

        bottom = QSplitter(Qt.Orientation.Horizontal, self)
        bottom.addWidget(left)
        bottom.addWidget(right)
        bottom.setChildrenCollapsible(False)
        bottom.setSizes([500, 500])
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.table)
        split.addWidget(bottom)
        split.setChildrenCollapsible(False)
        split.setSizes([300, 240])

        layout = QVBoxLayout(self)
        layout.addLayout(
            button_row(
                self.pending_only,
                self.pass_button,
                self.return_button,
                self.reject_button,
                self.resubmit_button,
                self.recommend_button,
            )
        )
        layout.addWidget(split, 1)
        layout.addWidget(self.message)
        self._selected()

    # -- reading -------------------------------------------------------------------------------
    def reader(self) -> Callable[[], FormalData] | None:
        call_id = self.page.call_id
        if call_id is None:
            return None
        ctx = self.ctx
        return lambda: read_formal(ctx, call_id)

    def clear(self) -> None:
        self.data = None
        self.model.set_rows([])
        self.results_model.set_rows([])
        self.results_summary.setText("")
        self._selected()

    def show_data(self, data: FormalData) -> None:
        self.data = data
        self._fill()
        self.results_model.set_rows(data.results)
        counts = {k: sum(1 for r in data.results if r.conclusion == k) for k in DECISION_TEXT.values()}
        self.results_summary.setText(
            "，".join(f"{k} {n} 份" for k, n in counts.items()) if data.results else "还没有审查结论。"
        )

    def _fill(self) -> None:
        current = self.selected()
        rows = self.data.queue if self.data is not None else []
        if self.pending_only.isChecked():
            rows = [r for r in rows if r.pending]
        self.model.set_rows(rows)
        if current is not None:
            select_where(self.table, lambda r: r.declaration_id == current.declaration_id)
        elif rows:
            self.table.selectRow(0)
        self._selected()

    def selected(self) -> FormalQueueRow | None:
        row = selected_object(self.table)
        return row if isinstance(row, FormalQueueRow) else None

    def _selected(self) -> None:
        row = self.selected()
        pending = row is not None and row.pending
        for b in (self.pass_button, self.return_button, self.reject_button):
            b.setEnabled(pending)
        self.resubmit_button.setEnabled(row is not None and row.status == formal.RETURNED_STATUS)
        self.recommend_button.setEnabled(row is not None and row.status != formal.DECIDED_STATUS)
        self.return_pdf_button.setEnabled(
            row is not None and row.last is not None and row.last.decision == "returned"
        )
        if row is None:
            self.history.setText("请在上表中选择一份申报书。")
            self.findings_model.set_rows([])
            return
        checks = self.data.history.get(row.declaration_id, []) if self.data is not None else []
        recommended = (
            f"推荐：{row.recommended_by}（{cn_date(row.recommended_on)}）"
            if row.recommended_by
            else "尚未记录推荐"
        )
        self.history.setText(
            f"{row.center_name}（第 {row.declaration_id} 号，{row.status_label}；{recommended}）\n"
            + history_text(checks)
            + f"\n规则检查：{_checks_text(row)}"
        )
        self.findings_model.set_rows(row.findings)

    # -- actions -------------------------------------------------------------------------------
    def decide(self, decision: str) -> None:
        row = self.selected()
        if row is None or not row.pending:
            return
        self.open_dialog(DecisionDialog(self, self.ctx, row, decision, today=self.page.today))

    def resubmit(self) -> None:
        row = self.selected()
        if row is not None and row.status == formal.RETURNED_STATUS:
            self.open_dialog(ResubmitDialog(self, self.ctx, row, today=self.page.today))

    def recommend(self) -> None:
        row = self.selected()
        if row is None:
            return
        stored = self.data.recommendations.get(row.declaration_id) if self.data is not None else None
        self.open_dialog(RecommendationDialog(self, self.ctx, row, stored, today=self.page.today))


class DecisionDialog(FormDialog):
    """通过 / 退回补正 / 不予受理 of one declaration: the date and, for the last two, the reasons."""

    def __init__(
        self, parent: QWidget, ctx: AppContext, row: FormalQueueRow, decision: str, *, today: dt.date
    ) -> None:
        label = DECISION_TEXT[decision]
        super().__init__(parent, f"形式审查：{label}", f"{label}(&O)", kinds=STATE_KINDS)
        self.ctx = ctx
        self.row = row
        self.decision = decision
        self.setObjectName(f"decision_{decision}")
        head = QLabel(f"{row.center_name}\n依托单位：{row.host_name}　第 {row.round} 轮形式审查", self)
        head.setWordWrap(True)
        self.form.addRow(head)
        checks = QLabel(f"规则检查：{_checks_text(row)}", self)
        checks.setStyleSheet(style.ERROR_STYLE if row.errors else style.NOTE_STYLE)
        self.form.addRow(checks)
        self.on = date_field(today, "审查日期")
        on_label = QLabel("审查日期(&D)：", self)
        on_label.setBuddy(self.on)
        self.form.addRow(on_label, self.on)
        self.reasons = QPlainTextEdit(self)
        self.reasons.setObjectName("reasons")
        self.reasons.setTabChangesFocus(True)
        self.reasons.setMinimumWidth(self.fontMetrics().horizontalAdvance("中") * 34)
        self.fill_button = button("填入规则检查发现的问题(&F)", self)
        self.fill_button.clicked.connect(self.fill_from_findings)
        if decision == "passed":
            self.reasons.hide()
            self.fill_button.hide()
            self.form.addRow(note_label("通过后中心进入“评审中”，可分到评审组；此结论不能撤销。", self))
        else:
            self.reasons.setPlaceholderText("每行一条原因，将以书面通知告知申报单位")
            reasons_label = QLabel(f"{label}原因(&R)：", self)
            reasons_label.setBuddy(self.reasons)
            self.form.addRow(reasons_label, self.reasons)
            self.extra.addWidget(self.fill_button)
            if decision == "returned":
                self.form.addRow(note_label("申报单位改正后“重新提交”，进入下一轮形式审查。", self))
            else:
                self.form.addRow(note_label("不予受理后中心为“未获认定”，此结论不能撤销。", self))
        self.resize(560, self.sizeHint().height())

    def fill_from_findings(self) -> None:
        lines = [f"{f.message}（{f.rule}）" for f in self.row.findings if f.severity == "error"]
        lines = lines or [f"{f.message}（{f.rule}）" for f in self.row.findings]
        existing = self.reasons.toPlainText().strip()
        self.reasons.setPlainText("\n".join([existing, *lines]).strip())

    def action(self) -> Callable[[], Any]:
        on = typed_date(self.on, "审查日期")
        assert on is not None
        reasons = self.reasons.toPlainText() if self.decision != "passed" else ""
        if self.decision != "passed" and not reasons.strip():
            raise ServiceError(f"请填写{DECISION_TEXT[self.decision]}的原因（每行一条）", field="原因")
        ctx, did, decision = self.ctx, self.row.declaration_id, self.decision
        return lambda: formal.decide_formal(
            ctx, declaration_id=did, decision=decision, on=on, reasons=reasons
        )

    def confirmation(self) -> tuple[str, str, str] | None:
        name = self.row.center_name
        if self.decision == "passed":
            return (
                "确认通过",
                f"确认“{name}”通过形式审查？\n中心将进入“评审中”，此结论不能撤销。",
                "确认通过(&Y)",
            )
        if self.decision == "rejected":
            return (
                "确认不予受理",
                f"确认对“{name}”不予受理？\n中心将为“未获认定”，此结论不能撤销。",
                "确认不予受理(&Y)",
            )
        return None


class ResubmitDialog(FormDialog):
    """A returned declaration submitted again: the corrected JSON file (or the stored document when
    only paper material was missing) and the date."""

    def __init__(self, parent: QWidget, ctx: AppContext, row: FormalQueueRow, *, today: dt.date) -> None:
        super().__init__(parent, "重新提交退回补正的申报书", "重新提交(&O)", kinds=STATE_KINDS)
        self.ctx = ctx
        self.row = row
        self.form.addRow(QLabel(f"{row.center_name}（第 {row.declaration_id} 号）", self))
        self.path = QLineEdit(self)
        self.path.setObjectName("correctedFile")
        self.path.setPlaceholderText("不选：按已存的申报书重新提交（如只补交纸质材料）")
        self.browse = button("浏览(&B)…", self)
        self.browse.clicked.connect(self.choose_file)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path, 1)
        file_row.addWidget(self.browse)
        file_label = QLabel("改正后的申报书(&F)：", self)
        file_label.setBuddy(self.path)
        self.form.addRow(file_label, file_row)
        self.on = date_field(today, "重新提交日期")
        on_label = QLabel("提交日期(&D)：", self)
        on_label.setBuddy(self.on)
        self.form.addRow(on_label, self.on)
        self.form.addRow(note_label("重新提交时按提交的要求检查：错误须全部改正，提醒须有确认理由。", self))
        self.resize(620, self.sizeHint().height())

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择改正后的申报书", "", "申报书 JSON 文件 (*.json)")
        if path:
            self.path.setText(path)

    def action(self) -> Callable[[], Any]:
        on = typed_date(self.on, "提交日期")
        text = self.path.text().strip()
        ctx, did = self.ctx, self.row.declaration_id

        def run() -> None:
            data = read_corrected(Path(text)) if text else None
            formal.resubmit_returned(ctx, declaration_id=did, data=data, on=on)

        return run


def read_corrected(path: Path) -> dict[str, Any]:
    """The corrected declaration of a JSON file (on the worker thread)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ServiceError(f"无法读取“{path.name}”：{exc.strerror or exc}", field="改正后的申报书") from None
    except ValueError:
        raise ServiceError(f"“{path.name}”不是有效的申报书 JSON 文件", field="改正后的申报书") from None
    if not isinstance(data, dict):
        raise ServiceError(f"“{path.name}”不是有效的申报书 JSON 文件", field="改正后的申报书")
    return data


class RecommendationDialog(FormDialog):
    """The 县区科技主管部门 / 主管部门 recommendation of one declaration."""

    def __init__(
        self,
        parent: QWidget,
        ctx: AppContext,
        row: FormalQueueRow,
        stored: RecommendationView | None,
        *,
        today: dt.date,
    ) -> None:
        super().__init__(parent, "推荐单位", "保存(&O)", kinds=frozenset({"review", "declarations"}))
        self.ctx = ctx
        self.row = row
        self.form.addRow(QLabel(row.center_name, self))
        self.by = QLineEdit((stored.recommended_by or "") if stored else "", self)
        self.by.setObjectName("recommendedBy")
        self.by.setPlaceholderText("如 柳州市柳南区科学技术局")
        self.by.setMinimumWidth(self.fontMetrics().horizontalAdvance("中") * 24)
        self.on = date_field((stored.recommended_on if stored else None) or today, "推荐日期")
        self.note = QLineEdit((stored.note or "") if stored else "", self)
        self.note.setObjectName("recommendationNote")
        self.note.setPlaceholderText("推荐意见（可不填）")
        for text, widget in (
            ("推荐单位(&B)：", self.by),
            ("推荐日期(&D)：", self.on),
            ("推荐意见(&N)：", self.note),
        ):
            label = QLabel(text, self)
            label.setBuddy(widget)
            self.form.addRow(label, widget)

    def action(self) -> Callable[[], Any]:
        on = typed_date(self.on, "推荐日期")
        assert on is not None
        ctx, did, by, note = self.ctx, self.row.declaration_id, self.by.text(), self.note.text()
        return lambda: calls.record_recommendation(
            ctx, declaration_id=did, recommended_by=by, recommended_on=on, note=note or None
        )
