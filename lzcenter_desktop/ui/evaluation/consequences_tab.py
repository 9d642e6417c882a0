"""处理结果: what each evaluation of the round leads to (第二十四条), proposed by the rules and applied
by the clerk one centre at a time with a confirmation naming what will happen and the article; the
整改 that follow — notice day, deadline, the host's acceptance request (from the deadline day on),
the acceptance result — and the 优秀 centres listed for priority (第二十四条（一））.

The steps (执行处理结果, 整改验收申请, 整改验收结果) are the row above the table; the selected centre's
letters (整改通知, 验收结果通知, 撤销通知) are a row of their own under its details, so that neither row
is crowded at 1366 px wide (issue 16). Every button keeps its mnemonic and its place in the tab order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QSplitter, QVBoxLayout, QWidget

from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.evaluation import consequences, rectification
from lzcenter_desktop.ui import style
from lzcenter_desktop.ui.evaluation import document_actions
from lzcenter_desktop.ui.evaluation.common import (
    STATE_KINDS,
    EvaluationTab,
    day_text,
    grade_colour,
    outcome_colour,
)
from lzcenter_desktop.ui.evaluation.consequence_dialogs import AcceptanceDialog, ApplyDialog
from lzcenter_desktop.ui.evaluation.dialogs import DateStepDialog
from lzcenter_desktop.ui.models.base import Column, RowTableModel
from lzcenter_desktop.ui.review.common import (
    button,
    button_row,
    select_where,
    selected_object,
    set_widths,
    table_view,
)

PENDING = "pending"


def rectification_text(c: Any) -> str:
    r = c.rectification
    if r is None:
        return ""
    if r.outcome != PENDING:
        return f"{r.outcome_label}（{day_text(r.checked_on)}）"
    if r.applied_on is not None:
        return f"已申请验收（{day_text(r.applied_on)}）"
    return f"整改中，期限至 {day_text(r.deadline)}"


def applied_text(c: Any) -> str:
    if c.applied_on is not None:
        return f"已执行 {day_text(c.applied_on)}"
    return "待执行" if c.outcome is not None else "尚未评定"


def _applied_colour(c: Any) -> QColor | None:
    if c.applied_on is not None:
        return QColor(style.OK_COLOR)
    return QColor(style.WARNING_COLOR) if c.outcome is not None else QColor(style.NOTE_COLOR)


CONSEQUENCE_COLUMNS: tuple[Column[Any], ...] = (
    Column("中心名称", lambda c: c.center_name),
    Column("等次", lambda c: c.grade or "—", lambda c: grade_colour(c.grade)),
    Column("以往等次", lambda c: "、".join(c.previous_grades) or "—"),
    Column("总分", lambda c: c.total_text or "—"),
    Column("处理结果", lambda c: c.outcome_label, lambda c: outcome_colour(c.outcome)),
    Column("依据", lambda c: c.article or ""),
    Column("执行", applied_text, _applied_colour),
    Column("整改", rectification_text),
)


@dataclass(frozen=True, slots=True)
class ConsequencesData:
    rows: list[Any]
    priority: list[Any]


def read_consequences(ctx: AppContext, round_id: int) -> ConsequencesData:
    return ConsequencesData(
        consequences.proposed_consequences(ctx, round_id=round_id),
        consequences.priority_list(ctx, round_id=round_id),
    )


class ConsequencesTab(EvaluationTab):
    title = "处理结果"

    def __init__(self, page: Any) -> None:
        super().__init__(page)
        self.data: ConsequencesData | None = None
        self.apply_button = button(
            "执行处理结果(&A)…", self, tip="按规则提出的处理结果执行：记入中心的历史记录（含条款）"
        )
        self.request_button = button(
            "整改验收申请(&R)…", self, tip="整改到期后，登记依托单位提出的整改验收申请（第二十四条（三））"
        )
        self.accept_button = button("整改验收结果(&J)…", self, tip="登记整改验收的结果：通过或未通过")
        self.apply_button.clicked.connect(self.apply)
        self.request_button.clicked.connect(self.request_acceptance)
        self.accept_button.clicked.connect(self.record_acceptance)
        self.rectification_pdf_button, self.acceptance_pdf_button, self.revocation_pdf_button = (
            document_actions.letter_buttons(self)
        )
        self.model: RowTableModel[Any] = RowTableModel(CONSEQUENCE_COLUMNS, parent=self)
        self.table = table_view(self.model, self, name="consequences", stretch=0)
        set_widths(self.table, (0, 4, 6, 5, 8, 8, 8, 14))
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selected())
        self.detail = QLabel(self)
        self.detail.setObjectName("rectificationDetail")
        self.detail.setWordWrap(True)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.priority = QLabel(self)
        self.priority.setObjectName("priorityList")
        self.priority.setWordWrap(True)
        self.priority.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.priority.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        detail_box = QGroupBox("所选中心的处理和整改", self)
        detail_layout = QVBoxLayout(detail_box)
        detail_layout.addWidget(self.detail, 1)
        detail_layout.addLayout(self._letter_row(detail_box))
        priority_box = QGroupBox("评估优秀、优先支持的中心（第二十四条（一））", self)
        QVBoxLayout(priority_box).addWidget(self.priority)
        bottom = QSplitter(Qt.Orientation.Horizontal, self)
        bottom.addWidget(detail_box)
        bottom.addWidget(priority_box)
        bottom.setChildrenCollapsible(False)
        bottom.setSizes([1, 1])  # the details (with the letters) and the priority list, half each
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.table)
        split.addWidget(bottom)
        split.setChildrenCollapsible(False)
        split.setSizes([320, 160])
        layout = QVBoxLayout(self)
        layout.addLayout(button_row(self.apply_button, self.request_button, self.accept_button))
        layout.addWidget(split, 1)
        layout.addWidget(self.message)
        letters = (self.rectification_pdf_button, self.acceptance_pdf_button, self.revocation_pdf_button)
        for before, after in zip((self.table, *letters), letters, strict=False):
            QWidget.setTabOrder(before, after)  # Tab follows the eye: steps, table, letters
        self._update_buttons()

    def _letter_row(self, box: QGroupBox) -> QHBoxLayout:
        """生成文书: the selected centre's three letters, under its details."""
        caption = QLabel("生成文书：", box)
        caption.setBuddy(self.rectification_pdf_button)
        row = button_row(
            self.rectification_pdf_button, self.acceptance_pdf_button, self.revocation_pdf_button
        )
        row.insertWidget(0, caption)
        return row

    # -- reading -------------------------------------------------------------------------------
    def reader(self) -> Callable[[], ConsequencesData] | None:
        round_id = self.round_id
        if round_id is None:
            return None
        ctx = self.ctx
        return lambda: read_consequences(ctx, round_id)

    def clear(self) -> None:
        self.data = None
        self.model.set_rows([])
        self.detail.setText("请先在“评估批次”中新建或选择评估批次。")
        self.priority.setText("")
        self._update_buttons()

    def show_data(self, data: ConsequencesData) -> None:
        current = self.selected()
        self.data = data
        self.model.set_rows(data.rows)
        kept = current is not None and select_where(
            self.table, lambda c: c.evaluation_id == current.evaluation_id
        )
        if not kept and data.rows:
            self.table.selectRow(0)
        if data.priority:
            self.priority.setText(
                "\n".join(
                    f"{i}. {c.center_name}（{c.total_text or '—'} 分）"
                    for i, c in enumerate(data.priority, 1)
                )
                + "\n优先安排市科技计划项目，优先推荐申报自治区、国家工程技术研究中心和科技计划项目。"
            )
        else:
            self.priority.setText("本批次没有评估结果为优秀的中心。")
        self._selected()

    def selected(self) -> Any:
        return selected_object(self.table)

    def _selected(self) -> None:
        c = self.selected()
        self._update_buttons()
        if c is None:
            self.detail.setText("")
            return
        lines = [f"{c.center_name}：{c.outcome_label}" + (f"（{c.article}）" if c.article else "")]
        if c.applied_on is not None:
            lines.append(f"已于 {day_text(c.applied_on)} 执行，记入中心的历史记录。")
        elif c.outcome is None:
            lines.append("尚未评定等次：请先在“评估结果”中评定等次。")
        else:
            lines.append("尚未执行：点“执行处理结果”。")
        r = c.rectification
        if r is not None:
            lines.append(f"整改通报 {day_text(r.notice_date)}，整改期限至 {day_text(r.deadline)}。")
            if r.applied_on is not None:
                lines.append(f"依托单位于 {day_text(r.applied_on)} 提出整改验收申请。")
            elif r.outcome == PENDING:
                lines.append(f"整改到期（{day_text(r.deadline)} 起）后，由依托单位提出整改验收申请。")
            if r.outcome != PENDING:
                lines.append(f"验收（{day_text(r.checked_on)}）：{r.outcome_label}。{r.note or ''}")
        self.detail.setText("\n".join(lines))

    def _update_buttons(self) -> None:
        c = self.selected()
        r = c.rectification if c is not None else None
        self.apply_button.setEnabled(c is not None and c.outcome is not None and c.applied_on is None)
        pending = r is not None and r.outcome == PENDING
        self.request_button.setEnabled(pending and r is not None and r.applied_on is None)
        self.accept_button.setEnabled(pending and r is not None and r.applied_on is not None)
        document_actions.update_letter_buttons(self)

    # -- actions -------------------------------------------------------------------------------
    def apply(self) -> None:
        c = self.selected()
        if c is None or c.outcome is None or c.applied_on is not None:
            return
        self.open_dialog(
            ApplyDialog(
                self,
                self.ctx,
                c,
                today=self.owner.today,
                on_done=lambda _r: self.show_message(
                    f"已执行“{c.center_name}”的处理结果：{c.outcome_label}。"
                ),
            )
        )

    def request_acceptance(self) -> None:
        c = self.selected()
        r = c.rectification if c is not None else None
        if c is None or r is None or r.outcome != PENDING or r.applied_on is not None:
            return
        ctx, rid = self.ctx, r.rectification_id
        self.open_dialog(
            DateStepDialog(
                self,
                "整改验收申请",
                f"登记“{c.center_name}”的依托单位提出整改验收申请（整改期限至 {day_text(r.deadline)}，"
                "到期后方可申请，第二十四条（三））。",
                "申请日期",
                "登记申请(&O)",
                lambda on: rectification.request_acceptance(ctx, rectification_id=rid, applied_on=on),
                confirm=(
                    "确认登记验收申请",
                    f"登记“{c.center_name}”的整改验收申请？登记后组织验收并记录结果。",
                    "登记(&Y)",
                ),
                today=self.owner.today,
                kinds=STATE_KINDS,
                on_done=lambda _r: self.show_message(f"已登记“{c.center_name}”的整改验收申请。"),
            )
        )

    def record_acceptance(self) -> None:
        c = self.selected()
        r = c.rectification if c is not None else None
        if c is None or r is None or r.outcome != PENDING or r.applied_on is None:
            return
        self.open_dialog(
            AcceptanceDialog(
                self,
                self.ctx,
                r,
                today=self.owner.today,
                on_done=lambda _r: self.show_message(f"已记录“{c.center_name}”的整改验收结果。"),
            )
        )
