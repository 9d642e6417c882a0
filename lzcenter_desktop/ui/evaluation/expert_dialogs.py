"""The dialogs of the 专家与评分 tab: an expert of the pool assigned by hand to a centre (回避 shown
before and refused by the service with its reason; a computed conflict may be overridden with a
recorded reason), and the seeded random draw for every participating centre."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QRegularExpression
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QComboBox, QLineEdit, QSpinBox, QWidget

from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.evaluation import experts as eval_experts
from lzcenter_desktop.services.review import experts as pool
from lzcenter_desktop.ui import ops, style
from lzcenter_desktop.ui.common_assign_dialog import AssignForm, fill_combo, form_row, show_conflicts
from lzcenter_desktop.ui.evaluation.common import EVALUATION_KINDS
from lzcenter_desktop.ui.review.common import FormDialog, error_text, note_label


class AssignDialog(FormDialog):
    """分配专家: an expert of the pool (在库) to one participating centre of the round."""

    def __init__(
        self,
        parent: QWidget,
        ctx: AppContext,
        *,
        centres: list[tuple[int, str]],
        evaluation_id: int | None = None,
        assigned: dict[int, set[int]] | None = None,
        on_done: Callable[[Any], None] | None = None,
    ) -> None:
        super().__init__(parent, "分配评估专家", "分配(&O)", kinds=EVALUATION_KINDS, on_done=on_done)
        self.ctx = ctx
        self.assigned = assigned or {}
        self.experts: list[Any] = []
        self.conflicts_found: list[Any] = []
        self.loading = True
        self.centre = QComboBox(self)
        self.centre.setObjectName("centre")
        self.centre.setMinimumContentsLength(26)
        for eid, name in centres:
            self.centre.addItem(name, eid)
        if evaluation_id is not None and self.centre.findData(evaluation_id) >= 0:
            self.centre.setCurrentIndex(self.centre.findData(evaluation_id))
        self.assign_form = AssignForm(
            self, "参评中心(&C)：", self.centre, width=26, fill=self.fill, expert_changed=self._expert_changed
        )
        self.expert, self.conflicts = self.assign_form.expert, self.assign_form.conflicts
        self.override, self.override_label = self.assign_form.override, self.assign_form.override_label
        self.ok_button.setEnabled(False)
        ops.query_op(
            lambda: pool.list_experts(ctx),
            parent=self,
            key=f"eval-pool:{id(self)}",
            on_success=self._loaded,
            on_failure=self._load_failed,
        )

    def _load_failed(self, exc: BaseException) -> None:
        self.loading = False
        self.show_error(error_text(exc) or str(exc))

    def _loaded(self, found: list[Any]) -> None:
        self.loading = False
        self.experts = found
        self.ok_button.setEnabled(True)
        self.fill()

    def fill(self) -> None:
        """The pool's experts not yet asked to score the chosen centre."""
        taken = self.assigned.get(self.centre.currentData(), set())
        fill_combo(
            self.expert,
            (
                (f"{e.name}（{e.unit or '单位未填'}；{e.specialty or '专业未填'}）", e.id)
                for e in self.experts
                if e.id not in taken
            ),
        )
        if not self.experts:
            self.conflicts.setText("专家库没有在库专家：请先在“评审 → 专家库”中登记专家。")
        self._expert_changed()

    def _expert_changed(self) -> None:
        self.assign_form.reset()
        self.conflicts_found = []
        eid, expert_id = self.centre.currentData(), self.expert.currentData()
        if eid is None or expert_id is None:
            return
        self.conflicts.setText("正在检查回避情形…")
        self.conflicts.setStyleSheet(style.NOTE_STYLE)
        ctx = self.ctx
        self.loading = True
        ops.query_op(
            lambda: eval_experts.expert_conflicts(ctx, evaluation_id=eid, expert_id=expert_id),
            parent=self,
            key=f"eval-conflicts:{id(self)}",
            on_success=self._conflicts_loaded,
            on_failure=self._load_failed,
        )

    def _conflicts_loaded(self, found: list[Any]) -> None:
        self.loading = False
        self.conflicts_found = found
        show_conflicts(self.conflicts, found, "与所选中心无回避情形。")

    def overridable(self) -> bool:
        return bool(self.conflicts_found) and all(v.overridable for v in self.conflicts_found)

    def action(self) -> Callable[[], Any]:
        eid, expert_id = self.centre.currentData(), self.expert.currentData()
        if eid is None or expert_id is None:
            raise ServiceError("请选择参评中心和专家", field="专家")
        reason = self.assign_form.reason()
        ctx = self.ctx
        return lambda: eval_experts.assign_expert(
            ctx, evaluation_id=eid, expert_id=expert_id, override_reason=reason
        )

    def _failed(self, exc: BaseException) -> None:
        super()._failed(exc)
        self.assign_form.offer_override(exc, self.overridable())


class DrawDialog(FormDialog):
    """随机抽取: how many experts each participating centre should have, and the seed (blank: a
    new random one, shown afterwards and recorded)."""

    def __init__(
        self, parent: QWidget, ctx: AppContext, *, round_id: int, on_done: Callable[[Any], None]
    ) -> None:
        super().__init__(parent, "随机抽取评估专家", "抽取(&O)", kinds=EVALUATION_KINDS, on_done=on_done)
        self.ctx = ctx
        self.round_id = round_id
        self.per_centre = QSpinBox(self)
        self.per_centre.setObjectName("perCentre")
        self.per_centre.setRange(eval_experts.MIN_EXPERTS, eval_experts.MAX_PER_CENTRE)
        self.per_centre.setValue(5)
        self.per_centre.setSuffix(" 人")
        self.seed = QLineEdit(self)
        self.seed.setObjectName("seed")
        self.seed.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{0,18}"), self.seed))
        self.seed.setPlaceholderText("留空则随机生成；填写上次的种子可复现同样的抽取")
        self.seed.setMinimumWidth(self.fontMetrics().horizontalAdvance("中") * 22)
        form_row(self, "每个中心专家人数(&N)：", self.per_centre)
        form_row(self, "抽取种子(&S)：", self.seed)
        self.form.addRow(
            note_label(
                "为每个参评中心补足专家人数：从专家库在库专家中抽取，不含已分配该中心的专家和须回避的专家。"
                "抽取种子记入审计记录，同样的种子和专家库得到同样的结果。至少 3 名专家评分才能计算专家评分。",
                self,
            )
        )

    def action(self) -> Callable[[], Any]:
        text = self.seed.text().strip()
        seed = int(text) if text else None
        ctx, rid, per = self.ctx, self.round_id, self.per_centre.value()
        return lambda: eval_experts.draw_experts(ctx, round_id=rid, per_centre=per, seed=seed)
