"""专家与评分: the experts of each participating centre — assigned by hand (回避 refused with the
service's reason), drawn at random with a recorded seed, taken off with a reason — and their points
per indicator of the round's sheet, typed here or brought back in an offline package (one
``.lzreview`` per expert, opened and scored in 评审模式)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGroupBox, QLabel, QSplitter, QVBoxLayout

from lzcenter_desktop.domain.scoresheet import ScoreSheet
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.evaluation import experts as eval_experts
from lzcenter_desktop.services.evaluation import rounds, scoring
from lzcenter_desktop.ui import style
from lzcenter_desktop.ui.evaluation import package_actions
from lzcenter_desktop.ui.evaluation.common import EVALUATION_KINDS, EvaluationTab, sheet_of
from lzcenter_desktop.ui.evaluation.expert_dialogs import AssignDialog, DrawDialog
from lzcenter_desktop.ui.evaluation.points_dialog import PointsDialog, StoredPoints
from lzcenter_desktop.ui.models.base import Column, RowTableModel
from lzcenter_desktop.ui.review.common import (
    ReasonDialog,
    button,
    button_row,
    note_label,
    select_where,
    selected_object,
    set_widths,
    table_view,
)


def cut(value: Decimal) -> str:
    """Two decimals, cut (not rounded: 89.995 shows 89.99, it is not 优秀)."""
    return str(value.quantize(Decimal("0.01"), rounding=ROUND_DOWN))


@dataclass(frozen=True, slots=True)
class CentreRow:
    """A participating centre with how far its experts' scores are."""

    evaluation: Any
    active: int
    scored: int
    score: str = ""  # the experts' mean once complete (shown with two decimals)

    @property
    def state(self) -> str:
        if self.active == 0:
            return "未分配专家"
        if self.scored == self.active and self.active >= eval_experts.MIN_EXPERTS:
            return "评分齐全"
        if self.active < eval_experts.MIN_EXPERTS:
            return f"专家不足 {eval_experts.MIN_EXPERTS} 人"
        return f"待评分 {self.active - self.scored} 人"


def _centre_colour(r: CentreRow) -> QColor | None:
    if r.state == "评分齐全":
        return QColor(style.OK_COLOR)
    return QColor(style.WARNING_COLOR) if r.active < eval_experts.MIN_EXPERTS else None


CENTRE_COLUMNS: tuple[Column[CentreRow], ...] = (
    Column("参评中心", lambda r: r.evaluation.center_name),
    Column("专家", lambda r: f"{r.scored}/{r.active}"),
    Column("评分情况", lambda r: r.state, _centre_colour),
    Column("专家评分", lambda r: r.score or "—"),
)


def _assignment_colour(a: Any) -> QColor | None:
    if a.status == eval_experts.REMOVED:
        return QColor(style.NOTE_COLOR)
    return QColor(style.OK_COLOR) if a.status == eval_experts.SCORED else None


def _assignment_note(a: Any) -> str:
    if a.status == eval_experts.REMOVED:
        return f"撤出原因：{a.removed_reason or ''}"
    return a.override_reason or ""


ASSIGNMENT_COLUMNS: tuple[Column[Any], ...] = (
    Column("专家", lambda a: a.expert_name, _assignment_colour),
    Column("方式", lambda a: a.how_label, _assignment_colour),
    Column("状态", lambda a: a.status_label, _assignment_colour),
    Column("合计", lambda a: a.score_text or "—", _assignment_colour),
    Column("说明", _assignment_note, _assignment_colour),
)


@dataclass(frozen=True, slots=True)
class ExpertsData:
    centres: list[CentreRow]
    assignments: list[Any]
    sheet: ScoreSheet | None
    finished: bool
    sheet_problem: str = ""


def read_experts(ctx: AppContext, round_id: int) -> ExpertsData:
    evaluations = [e for e in rounds.list_evaluations(ctx, round_id=round_id) if e.participated]
    assigned = eval_experts.list_assignments(ctx, round_id=round_id)
    rows = []
    for e in evaluations:
        mine = [
            a for a in assigned if a.evaluation_id == e.evaluation_id and a.status != eval_experts.REMOVED
        ]
        scored = sum(1 for a in mine if a.status == eval_experts.SCORED)
        mean = (
            scoring.expert_score_of(ctx, evaluation_id=e.evaluation_id)
            if mine and scored == len(mine)
            else None
        )
        rows.append(CentreRow(e, len(mine), scored, cut(mean) if mean is not None else ""))
    current = rounds.get_round(ctx, round_id)
    finished = current.finished_on is not None
    sheet, problem = (None, "") if finished else sheet_of(ctx, round_id)
    return ExpertsData(rows, assigned, sheet, finished, problem)


class ExpertsTab(EvaluationTab):
    title = "专家与评分"

    def __init__(self, page: Any) -> None:
        super().__init__(page)
        self.data: ExpertsData | None = None
        self.packages = package_actions.PackageActions(self)
        self.centre_model: RowTableModel[CentreRow] = RowTableModel(CENTRE_COLUMNS, parent=self)
        self.centres = table_view(self.centre_model, self, name="evaluationCentres", stretch=0)
        set_widths(self.centres, (0, 4, 7, 6))
        self.centres.selectionModel().selectionChanged.connect(lambda *_: self._centre_selected())
        self.model: RowTableModel[Any] = RowTableModel(ASSIGNMENT_COLUMNS, parent=self)
        self.table = table_view(self.model, self, name="assignments", stretch=4)
        set_widths(self.table, (6, 5, 4, 5, 0))
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.table.doubleClicked.connect(lambda _i: self.enter_scores())
        left = QGroupBox("参评中心（至少 3 名专家评分齐全才有专家评分）", self)
        QVBoxLayout(left).addWidget(self.centres)
        right = QGroupBox("所选中心的评估专家", self)
        QVBoxLayout(right).addWidget(self.table)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(left)
        split.addWidget(right)
        split.setChildrenCollapsible(False)
        split.setSizes([560, 560])

        self.assign_button = button("分配专家(&A)…", self, tip="从专家库指定一名专家评估所选中心")
        self.draw_button = button("随机抽取(&R)…", self, tip="为每个参评中心随机抽取专家补足人数（记录种子）")
        self.remove_button = button("撤出专家(&T)…", self, tip="将所选专家撤出该中心的评估（写明原因）")
        self.score_button = button("录入评分(&S)…", self, tip="逐项录入所选专家对该中心的评分")
        self.export_button = button("导出评估包(&X)…", self, tip="每位专家一个评估包，在评审模式中打开评分")
        self.import_button = button("导入评分回执(&I)…", self, tip="导入专家在评审模式中保存的评分回执")
        for b, slot in (
            (self.assign_button, self.assign),
            (self.draw_button, self.draw),
            (self.remove_button, self.remove),
            (self.score_button, self.enter_scores),
            (self.export_button, self.packages.export),
            (self.import_button, self.packages.import_return),
        ):
            b.clicked.connect(slot)
        self.summary = note_label("", self)
        self.summary.setObjectName("scoreSummary")
        layout = QVBoxLayout(self)
        layout.addLayout(
            button_row(self.assign_button, self.draw_button, self.remove_button, self.score_button)
        )
        layout.addWidget(split, 1)
        layout.addLayout(button_row(QLabel("离线评估包：", self), self.export_button, self.import_button))
        layout.addWidget(self.summary)
        layout.addWidget(self.message)
        self._update_buttons()

    # -- reading -------------------------------------------------------------------------------
    def reader(self) -> Callable[[], ExpertsData] | None:
        round_id = self.round_id
        if round_id is None:
            return None
        ctx = self.ctx
        return lambda: read_experts(ctx, round_id)

    def clear(self) -> None:
        self.data = None
        self.centre_model.set_rows([])
        self.model.set_rows([])
        self.summary.setText("请先在“评估批次”中新建或选择评估批次。")
        self._update_buttons()

    def show_data(self, data: ExpertsData) -> None:
        current = self.selected_centre()
        self.data = data
        self.centre_model.set_rows(data.centres)
        found = current is not None and select_where(
            self.centres, lambda r: r.evaluation.evaluation_id == current.evaluation.evaluation_id
        )
        if not found and data.centres:
            self.centres.selectRow(0)
        complete = sum(1 for r in data.centres if r.state == "评分齐全")
        if data.sheet_problem:
            self.show_message(f"不能录入评分：{data.sheet_problem}", level="error")
        self.summary.setText(
            f"参评中心 {len(data.centres)} 个，专家评分齐全 {complete} 个。"
            + ("本批次已结束，不能再调整专家或评分。" if data.finished else "")
        )
        self._centre_selected()

    def selected_centre(self) -> CentreRow | None:
        r = selected_object(self.centres)
        return r if isinstance(r, CentreRow) else None

    def selected(self) -> Any:
        return selected_object(self.table)

    def _centre_selected(self) -> None:
        centre = self.selected_centre()
        current = self.selected()
        rows = (
            [a for a in self.data.assignments if a.evaluation_id == centre.evaluation.evaluation_id]
            if self.data is not None and centre is not None
            else []
        )
        self.model.set_rows(rows)
        if current is not None:
            select_where(self.table, lambda a: a.assignment_id == current.assignment_id)
        self._update_buttons()

    def _update_buttons(self) -> None:
        open_round = self.data is not None and not self.data.finished
        has_centres = bool(self.data and self.data.centres)
        a = self.selected()
        active = a is not None and a.status != eval_experts.REMOVED
        self.assign_button.setEnabled(open_round and has_centres)
        self.draw_button.setEnabled(open_round and has_centres)
        self.remove_button.setEnabled(open_round and active)
        self.score_button.setEnabled(
            open_round and active and self.data is not None and self.data.sheet is not None
        )
        self.export_button.setEnabled(open_round and bool(self.data and self.data.assignments))
        self.import_button.setEnabled(open_round)

    # -- actions -------------------------------------------------------------------------------
    def assign(self) -> None:
        if self.data is None:
            return
        centres = [(r.evaluation.evaluation_id, r.evaluation.center_name) for r in self.data.centres]
        taken: dict[int, set[int]] = {}
        for a in self.data.assignments:
            if a.status != eval_experts.REMOVED:
                taken.setdefault(a.evaluation_id, set()).add(a.expert_id)
        centre = self.selected_centre()
        self.open_dialog(
            AssignDialog(
                self,
                self.ctx,
                centres=centres,
                evaluation_id=centre.evaluation.evaluation_id if centre is not None else None,
                assigned=taken,
                on_done=lambda _r: self.show_message("已分配评估专家。"),
            )
        )

    def draw(self) -> None:
        round_id = self.round_id
        if round_id is None:
            return

        def drawn(result: Any) -> None:
            count = len(result.assignment_ids)
            self.show_message(
                f"已随机抽取：新分配 {count} 人次（每个中心 {result.per_centre} 人），抽取种子 {result.seed}"
                "（已记录，填写同一种子可复现）。"
            )

        self.open_dialog(DrawDialog(self, self.ctx, round_id=round_id, on_done=drawn))

    def remove(self) -> None:
        a = self.selected()
        if a is None or a.status == eval_experts.REMOVED:
            return
        ctx, aid = self.ctx, a.assignment_id
        scored = "，其已录入的评分不再计入" if a.status == eval_experts.SCORED else ""
        self.open_dialog(
            ReasonDialog(
                self,
                "撤出评估专家",
                f"将专家{a.expert_name}撤出“{a.center_name}”的评估{scored}。",
                "撤出(&O)",
                lambda reason: eval_experts.remove_assignment(ctx, assignment_id=aid, reason=reason),
                kinds=EVALUATION_KINDS,
                placeholder="如 专家因病不能参加评审会",
                confirm=(
                    "确认撤出专家",
                    f"确定将专家{a.expert_name}撤出“{a.center_name}”的评估{scored}？",
                    "撤出(&Y)",
                ),
                on_done=lambda _r: self.show_message(f"已将专家{a.expert_name}撤出“{a.center_name}”的评估。"),
            )
        )

    def enter_scores(self) -> None:
        a = self.selected()
        if a is None or a.status == eval_experts.REMOVED or self.data is None or self.data.sheet is None:
            return
        ctx, aid = self.ctx, a.assignment_id
        sheet, today = self.data.sheet, self.owner.today

        def run(points: dict[str, str], comment: str, on: dt.date | None, version: int) -> Any:
            assert on is not None
            return scoring.enter_expert_scores(
                ctx,
                assignment_id=aid,
                points=points,
                scored_on=on,
                comment=comment or None,
                expected_version=version,
            )

        def reread() -> StoredPoints:  # a stale save: what is stored now (ui/evaluation/points_dialog.py)
            stored, version = scoring.expert_score_form(ctx, assignment_id=aid)
            if stored is None:
                return StoredPoints({}, "", today, version)
            return StoredPoints(dict(stored.points), stored.comment or "", stored.scored_on, version)

        def opened(form: Any) -> None:
            stored, version = form
            self.open_dialog(
                PointsDialog(
                    self,
                    "录入专家评分",
                    f"专家{a.expert_name}对“{a.center_name}”的评分",
                    sheet,
                    run,
                    points=dict(stored.points) if stored is not None else None,
                    comment=(stored.comment or "") if stored is not None else "",
                    date_name="评分日期",
                    day=stored.scored_on if stored is not None else self.owner.today,
                    on_done=lambda _r: self.show_message(
                        f"已保存专家{a.expert_name}对“{a.center_name}”的评分。"
                    ),
                    version=version,
                    reread=reread,
                )
            )

        self.read(lambda: scoring.expert_score_form(ctx, assignment_id=aid), opened, key="expert-score")
