"""参评中心: the evaluations of the round — each centre's self-evaluation (points per indicator of
the round's sheet, with its last three annual reports beside for reference), the 第九条 conditions
re-run on its current data (E23a, shown beside the scores), and 退出评估 (with a reason, asked
first: not taking part or withdrawing forfeits the title, 第二十四条（五）)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGroupBox, QLabel, QScrollArea, QSplitter, QVBoxLayout, QWidget

from lzcenter_desktop.domain.scoresheet import ScoreSheet
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.evaluation import results, rounds
from lzcenter_desktop.ui import style
from lzcenter_desktop.ui.evaluation.common import EVALUATION_KINDS, EvaluationTab, day_text, sheet_of
from lzcenter_desktop.ui.evaluation.points_dialog import PointsDialog
from lzcenter_desktop.ui.models.base import Column, RowTableModel
from lzcenter_desktop.ui.review.common import (
    ReasonDialog,
    button,
    button_row,
    date_field,
    select_where,
    selected_object,
    set_widths,
    table_view,
    typed_date,
)


def conditions_text(e: Any) -> str:
    if e.conditions_ok is None:
        return "无法复核" if e.violations else "尚未复核"
    if e.conditions_ok:
        return "符合"
    return f"不符合 {len(e.violations)} 项" if e.violations else "不符合"


def _conditions_colour(e: Any) -> QColor | None:
    if e.conditions_ok is False:
        return QColor(style.ERROR_COLOR)
    return QColor(style.OK_COLOR) if e.conditions_ok else None


def _taking_part(e: Any) -> QColor | None:
    return None if e.participated else QColor(style.NOTE_COLOR)


EVALUATION_COLUMNS: tuple[Column[Any], ...] = (
    Column("中心名称", lambda e: e.center_name, _taking_part),
    Column("依托单位", lambda e: e.host_name, _taking_part),
    Column("参评", lambda e: "参评" if e.participated else "已退出", _taking_part),
    Column("自评分", lambda e: e.self_score_text or "—"),
    Column("专家评分", lambda e: e.expert_score_text or "—"),
    Column("第九条条件复核", conditions_text, _conditions_colour),
    Column("备注", lambda e: e.note or ""),
)


def violations_text(e: Any) -> str:
    """The E23a findings of an evaluation, one a line."""
    if e.conditions_ok is None and e.violations:
        return "无法复核：\n" + "\n".join(f"· {message}" for _rule, message in e.violations)
    if e.conditions_ok is None:
        return "尚未复核第九条基本条件：点“复核第九条条件”，按中心当前的登记信息复核（第二十三条）。"
    if not e.violations:
        return "复核结果：仍满足第九条基本条件。"
    lines = [f"复核结果：不满足第九条基本条件 {len(e.violations)} 项（第二十三条）："]
    lines += [f"· {message}" for _rule, message in e.violations]
    return "\n".join(lines)


def scrolled(label: QLabel, parent: QWidget) -> QScrollArea:
    """``label`` in a frameless scroll area (a long list of findings scrolls, not the page)."""
    area = QScrollArea(parent)
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setWidget(label)
    return area


@dataclass(frozen=True, slots=True)
class CentresData:
    evaluations: list[Any]
    sheet: ScoreSheet | None
    sheet_problem: str = ""


def read_centres(ctx: AppContext, round_id: int) -> CentresData:
    found = rounds.list_evaluations(ctx, round_id=round_id)
    return CentresData(found, *sheet_of(ctx, round_id))


class CentresTab(EvaluationTab):
    title = "参评中心"

    def __init__(self, page: Any) -> None:
        super().__init__(page)
        self.data: CentresData | None = None
        self.model: RowTableModel[Any] = RowTableModel(EVALUATION_COLUMNS, parent=self)
        self.table = table_view(self.model, self, name="evaluations", stretch=0)
        set_widths(self.table, (0, 9, 3, 4, 4, 6, 6))
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selected())
        self.table.doubleClicked.connect(lambda _i: self.self_evaluate())

        self.findings = QLabel(self)
        self.findings.setObjectName("findings")
        self.findings.setWordWrap(True)
        self.findings.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.findings.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.basis = QLabel(self)
        self.basis.setObjectName("basis")
        self.basis.setWordWrap(True)
        self.basis.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.basis.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        side = QWidget(self)
        box = QVBoxLayout(side)
        box.setContentsMargins(0, 0, 0, 0)
        check = QGroupBox("第九条基本条件复核（第二十三条）", side)
        QVBoxLayout(check).addWidget(scrolled(self.findings, check))
        basis = QGroupBox("自评依据：近三年工作年报", side)
        QVBoxLayout(basis).addWidget(scrolled(self.basis, basis))
        box.addWidget(check, 1)
        box.addWidget(basis, 1)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.table)
        split.addWidget(side)
        split.setChildrenCollapsible(False)
        split.setSizes([780, 340])

        self.self_button = button("录入自评(&S)…", self, tip="按本批次评分表逐项录入中心的自评分")
        self.recheck_on = date_field(page.today, "复核日期")
        on_label = QLabel("复核日期(&D)", self)
        on_label.setBuddy(self.recheck_on)
        self.recheck_button = button(
            "复核第九条条件(&K)", self, tip="按中心当前的登记信息复核第九条基本条件（第二十三条）"
        )
        self.withdraw_button = button(
            "退出评估(&Q)…", self, tip="不参加评估或中途退出评估，视为自动放弃资格（第二十四条（五））"
        )
        self.self_button.clicked.connect(self.self_evaluate)
        self.recheck_button.clicked.connect(self.recheck)
        self.withdraw_button.clicked.connect(self.withdraw)
        layout = QVBoxLayout(self)
        layout.addLayout(
            button_row(self.self_button, on_label, self.recheck_on, self.recheck_button, self.withdraw_button)
        )
        layout.addWidget(split, 1)
        layout.addWidget(self.message)
        self.setTabOrder(self.self_button, self.recheck_on.line)
        self.setTabOrder(self.recheck_on.line, self.recheck_button)
        self.setTabOrder(self.recheck_button, self.withdraw_button)
        self.setTabOrder(self.withdraw_button, self.table)
        self._update_buttons()

    # -- reading -------------------------------------------------------------------------------
    def reader(self) -> Callable[[], CentresData] | None:
        round_id = self.round_id
        if round_id is None:
            return None
        ctx = self.ctx
        return lambda: read_centres(ctx, round_id)

    def clear(self) -> None:
        self.data = None
        self.model.set_rows([])
        self.findings.setText("请先在“评估批次”中新建或选择评估批次。")
        self.basis.setText("")
        self._update_buttons()

    def show_data(self, data: CentresData) -> None:
        current = self.selected()
        self.data = data
        self.model.set_rows(data.evaluations)
        if data.sheet_problem:
            self.show_message(f"不能录入自评：{data.sheet_problem}", level="error")
        kept = current is not None and select_where(
            self.table, lambda e: e.evaluation_id == current.evaluation_id
        )
        if not kept and data.evaluations:
            self.table.selectRow(0)
        self._selected()

    def selected(self) -> Any:
        return selected_object(self.table)

    def _selected(self) -> None:
        e = self.selected()
        self._update_buttons()
        if e is None:
            self.findings.setText("本批次没有参评中心。" if self.data is not None else "")
            self.basis.setText("")
            return
        self.findings.setText(violations_text(e))
        self.findings.setStyleSheet(style.ERROR_STYLE if e.conditions_ok is False else "")
        ctx, eid = self.ctx, e.evaluation_id
        self.read(
            lambda: rounds.self_evaluation_basis(ctx, evaluation_id=eid), self._basis_loaded, key="basis"
        )

    def _basis_loaded(self, rows: list[Any]) -> None:
        if not rows:
            self.basis.setText("该中心近三年没有工作年报。")
            return
        lines = []
        for r in rows:
            lines.append(basis_line(r))
        self.basis.setText("\n".join(lines))

    def _update_buttons(self) -> None:
        e = self.selected()
        can = e is not None and e.participated and self.data is not None
        self.self_button.setEnabled(can and self.data is not None and self.data.sheet is not None)
        self.recheck_button.setEnabled(can)
        self.withdraw_button.setEnabled(can)

    # -- actions -------------------------------------------------------------------------------
    def self_evaluate(self) -> None:
        e = self.selected()
        if e is None or self.data is None or self.data.sheet is None or not e.participated:
            return
        ctx, eid, name = self.ctx, e.evaluation_id, e.center_name

        def run(points: dict[str, str], _comment: str, _on: dt.date | None) -> Any:
            return rounds.record_self_evaluation(ctx, evaluation_id=eid, points=points)

        saved = (
            f"已保存的自评合计 {e.self_score_text} 分；保存将以本次录入的各项得分替换。"
            if e.self_score_text
            else "按评分表逐项自评。"
        )
        self.open_dialog(
            PointsDialog(
                self,
                "录入自评",
                f"{name}：{saved}（自评依据见“参评中心”右侧的近三年工作年报）",
                self.data.sheet,
                run,
                with_comment=False,
                on_done=lambda _r: self.show_message(f"已保存“{name}”的自评分。"),
            )
        )

    def recheck(self) -> None:
        e = self.selected()
        if e is None:
            return
        try:
            on = typed_date(self.recheck_on, "复核日期")
        except ServiceError as exc:
            self.show_message(exc.message, level="error")
            return
        assert on is not None
        ctx, eid, name = self.ctx, e.evaluation_id, e.center_name

        def done(found: list[Any]) -> None:
            if found:
                self.show_message(f"“{name}”复核：不满足第九条基本条件 {len(found)} 项。", level="error")
            else:
                self.show_message(f"“{name}”复核：仍满足第九条基本条件。")

        self.write(lambda: results.recheck(ctx, evaluation_id=eid, as_of=on), done=done, busy="正在复核…")

    def withdraw(self) -> None:
        e = self.selected()
        if e is None or not e.participated:
            return
        ctx, eid, name = self.ctx, e.evaluation_id, e.center_name
        self.open_dialog(
            ReasonDialog(
                self,
                f"退出评估：{name}",
                f"登记“{name}”不参加本次评估或中途退出评估。",
                "退出评估(&O)",
                lambda reason, on: rounds.withdraw(ctx, evaluation_id=eid, on=on, reason=reason),
                placeholder="如 依托单位来函申请退出本次评估",
                kinds=EVALUATION_KINDS,
                date_name="退出日期",
                today=self.owner.today,
                confirm=(
                    "确认退出评估",
                    f"“{name}”退出本次评估后，按第二十四条（五）视为自动放弃工程技术中心资格"
                    "（在“处理结果”中确认后生效）。确定退出？",
                    "确定退出(&Y)",
                ),
                on_done=lambda _r: self.show_message(f"已登记“{name}”退出评估。"),
            )
        )


#: the host's annual assessment as a report stores it (第二十一条) and as a clerk reads it
ASSESSMENTS = {"excellent": "优秀", "qualified": "合格", "basic": "基本合格", "fail": "不合格"}


def _figure(value: Any, unit: str) -> str:
    return "—" if value is None else f"{value}{unit}"


def basis_line(r: Any) -> str:
    """One year of the self-evaluation basis: the report's status and key figures."""
    head = f"{r.year}年：{r.status_label}"
    if r.submitted_on:
        head += f"（{day_text(r.submitted_on)} 报送）"
    if r.report_id is None or r.status_label in ("未报送", "草稿"):
        return head
    money = "—" if r.rd_spent_yuan is None else f"{r.rd_spent_yuan / 10000:g} 万元"
    figures = [
        f"研发人员 {_figure(r.rd_staff, ' 人')}",
        f"项目 {_figure(r.projects, ' 项')}",
        f"成果 {_figure(r.outputs, ' 项')}（发明专利 {_figure(r.invention_patents, ' 件')}）",
        f"研发支出 {money}",
        f"开放课题 {_figure(r.open_topics, ' 项')}",
        f"共享仪器 {_figure(r.shared_instruments, ' 台')}",
        f"依托单位考核 {ASSESSMENTS.get(r.host_assessment or '', r.host_assessment or '—')}",
    ]
    return head + "\n　" + "，".join(figures)
