"""评估结果: 评定等次 for the round (asked first: every participating centre needs its experts'
score — the service names any that has none), then the publishable result list — self and expert
scores, the total, the 第九条 re-check (E23a), the grade (优秀 / 合格 / 整改 / 不合格) and the outcome
the rules propose with its article; 结束评估 closes the round."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout

from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.evaluation import consequences, results, rounds
from lzcenter_desktop.ui import style
from lzcenter_desktop.ui.evaluation import document_actions
from lzcenter_desktop.ui.evaluation.centres_tab import conditions_text, violations_text
from lzcenter_desktop.ui.evaluation.common import (
    EvaluationTab,
    grade_colour,
    outcome_colour,
)
from lzcenter_desktop.ui.evaluation.dialogs import DateStepDialog
from lzcenter_desktop.ui.models.base import Column, RowTableModel
from lzcenter_desktop.ui.review.common import (
    button,
    button_row,
    note_label,
    select_where,
    selected_object,
    set_widths,
    table_view,
)


@dataclass(frozen=True, slots=True)
class ResultRow:
    """An evaluation of the result list with the consequence proposed for it."""

    evaluation: Any
    consequence: Any | None

    @property
    def outcome_text(self) -> str:
        c = self.consequence
        if c is None or c.outcome is None:
            return "" if self.evaluation.participated else "视为自动放弃资格"
        return f"{c.outcome_label}（{c.article}）" if c.article else c.outcome_label


RESULT_COLUMNS: tuple[Column[ResultRow], ...] = (
    Column("中心名称", lambda r: r.evaluation.center_name),
    Column("依托单位", lambda r: r.evaluation.host_name),
    Column("自评分", lambda r: r.evaluation.self_score_text or "—"),
    Column("专家评分", lambda r: r.evaluation.expert_score_text or "—"),
    Column("总分", lambda r: r.evaluation.total_text or "—"),
    Column("第九条复核", lambda r: conditions_text(r.evaluation)),
    Column(
        "等次",
        lambda r: r.evaluation.grade or ("未参评" if not r.evaluation.participated else "未评定"),
        lambda r: grade_colour(r.evaluation.grade),
    ),
    Column("拟处理结果（依据）", lambda r: r.outcome_text, lambda r: outcome_colour(r.evaluation.outcome)),
)


@dataclass(frozen=True, slots=True)
class ResultsData:
    round: Any
    rows: list[ResultRow]


def read_results(ctx: AppContext, round_id: int) -> ResultsData:
    current = rounds.get_round(ctx, round_id)
    listed = rounds.list_evaluations(ctx, round_id=round_id)
    if all(e.grade or not e.participated for e in listed):  # the publishable order once graded
        listed = results.result_list(ctx, round_id=round_id)
    proposed = {c.evaluation_id: c for c in consequences.proposed_consequences(ctx, round_id=round_id)}
    return ResultsData(current, [ResultRow(e, proposed.get(e.evaluation_id)) for e in listed])


class ResultsTab(EvaluationTab):
    title = "评估结果"

    def __init__(self, page: Any) -> None:
        super().__init__(page)
        self.data: ResultsData | None = None
        self.state = QLabel(self)
        self.state.setObjectName("resultsState")
        self.state.setWordWrap(True)
        self.grade_button = button(
            "评定等次(&G)…", self, tip="按专家评分和第九条复核结果评定各参评中心的等次（第二十四条）"
        )
        self.finish_button = button("结束评估(&U)…", self, tip="评估结果已公布，结束本批次评估")
        self.grade_button.clicked.connect(self.grade)
        self.finish_button.clicked.connect(self.finish)
        self.result_pdf_button, self.result_xlsx_button = document_actions.result_list_buttons(self)
        self.model: RowTableModel[ResultRow] = RowTableModel(RESULT_COLUMNS, parent=self)
        self.table = table_view(self.model, self, name="results", stretch=0)
        set_widths(self.table, (0, 11, 4, 5, 5, 6, 4, 16))
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selected())
        self.findings = QLabel(self)
        self.findings.setObjectName("resultFindings")
        self.findings.setWordWrap(True)
        self.findings.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(self.state)
        layout.addLayout(
            button_row(self.grade_button, self.finish_button, self.result_pdf_button, self.result_xlsx_button)
        )
        layout.addWidget(self.table, 1)
        layout.addWidget(self.findings)
        layout.addWidget(
            note_label(
                "名单按等次、总分排列，可向社会公布（第二十二条）。拟处理结果由规则提出，"
                "在“处理结果”中逐个确认执行。",
                self,
            )
        )
        layout.addWidget(self.message)
        self._update_buttons()

    def reader(self) -> Callable[[], ResultsData] | None:
        round_id = self.round_id
        if round_id is None:
            return None
        ctx = self.ctx
        return lambda: read_results(ctx, round_id)

    def clear(self) -> None:
        self.data = None
        self.model.set_rows([])
        self.state.setText("请先在“评估批次”中新建或选择评估批次。")
        self.findings.setText("")
        self._update_buttons()

    def show_data(self, data: ResultsData) -> None:
        current = self.selected()
        self.data = data
        self.model.set_rows(data.rows)
        kept = current is not None and select_where(
            self.table, lambda r: r.evaluation.evaluation_id == current.evaluation.evaluation_id
        )
        if not kept and data.rows:
            self.table.selectRow(0)
        graded = [r for r in data.rows if r.evaluation.grade]
        taking_part = [r for r in data.rows if r.evaluation.participated]
        if data.round.finished_on is not None:
            self.state.setText(f"本批次评估已于 {data.round.finished_on.isoformat()} 结束。")
            self.state.setStyleSheet(style.OK_STYLE)
        elif taking_part and len(graded) == len(taking_part):
            counts = "，".join(
                f"{g} {n} 个"
                for g in ("优秀", "合格", "整改", "不合格")
                if (n := sum(1 for r in graded if r.evaluation.grade == g))
            )
            self.state.setText(f"已评定等次：{counts}。")
            self.state.setStyleSheet(style.OK_STYLE)
        else:
            self.state.setText(
                f"参评中心 {len(taking_part)} 个，已评定 {len(graded)} 个。专家评分齐全后“评定等次”。"
            )
            self.state.setStyleSheet(style.NOTE_STYLE)
        self._selected()

    def selected(self) -> ResultRow | None:
        r = selected_object(self.table)
        return r if isinstance(r, ResultRow) else None

    def _selected(self) -> None:
        r = self.selected()
        if r is None:
            self.findings.setText("")
        elif not r.evaluation.participated:
            self.findings.setText(f"“{r.evaluation.center_name}”未参加或退出评估：{r.evaluation.note or ''}")
            self.findings.setStyleSheet(style.NOTE_STYLE)
        else:
            self.findings.setText(f"“{r.evaluation.center_name}”{violations_text(r.evaluation)}")
            self.findings.setStyleSheet(style.ERROR_STYLE if r.evaluation.conditions_ok is False else "")
        self._update_buttons()

    def _update_buttons(self) -> None:
        open_round = self.data is not None and self.data.round.finished_on is None
        has = self.data is not None and any(r.evaluation.participated for r in self.data.rows)
        self.grade_button.setEnabled(open_round and has)
        self.finish_button.setEnabled(open_round and bool(self.data and self.data.rows))
        document_actions.update_result_list_buttons(self)

    def grade(self) -> None:
        if self.data is None:
            return
        rnd = self.data.round
        count = sum(1 for r in self.data.rows if r.evaluation.participated)
        self.open_dialog(
            DateStepDialog(
                self,
                "评定等次",
                f"按专家评分评定“{rnd.title}”{count} 个参评中心的等次，并按第二十四条提出处理意见。\n"
                "评定时按各中心当前的登记信息复核第九条基本条件（第二十三条）。",
                "评定日期",
                "评定(&O)",
                lambda on: results.grade_round(self.ctx, round_id=rnd.round_id, on=on),
                confirm=(
                    "确认评定等次",
                    f"评定“{rnd.title}”{count} 个参评中心的等次？各中心的等次和拟处理结果将被保存。",
                    "评定(&Y)",
                ),
                today=self.owner.today,
                on_done=lambda _r: self.show_message("已评定等次。拟处理结果请在“处理结果”中逐个确认执行。"),
            )
        )

    def finish(self) -> None:
        if self.data is None:
            return
        rnd = self.data.round
        self.open_dialog(
            DateStepDialog(
                self,
                "结束评估",
                f"结束“{rnd.title}”：此后不能再调整专家、评分和等次。",
                "结束日期",
                "结束评估(&O)",
                lambda on: results.finish_round(self.ctx, round_id=rnd.round_id, on=on),
                confirm=(
                    "确认结束评估",
                    f"结束“{rnd.title}”？结束后专家、评分和等次都不能再修改，不能撤销。",
                    "结束评估(&Y)",
                ),
                today=self.owner.today,
                on_done=lambda _r: self.show_message(f"“{rnd.title}”已结束。"),
            )
        )
