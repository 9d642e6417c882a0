"""The 绩效评估 page (第二十二条—第二十五条): a round of the three-yearly evaluation, tab by tab.

At the top the 评估批次 the clerk works on (chosen here or on the first tab, 新建评估). The tabs
follow the procedure:

评估批次 → 参评中心 (自评, 退出评估, 第九条条件复核) → 专家与评分 (分配 / 抽取 / 评分, 离线评审包)
→ 评估结果 (评定等次, 结果名单) → 处理结果 (保留 / 整改 / 撤销 / 自动放弃, 整改验收, 优秀名单).

Every read runs on a worker thread (:func:`ui.ops.query_op`), every write on the write thread
(:func:`ui.ops.write_op`); after a write ``data_changed`` makes the page read the rounds and the
visible tab again (the other tabs when they are next shown). A refusal is shown as the service's
Chinese message — in the dialog that asked, or on the tab's message line.

The 中心 page's 在绩效评估页办理 comes here with a centre (:meth:`EvaluationPage.show_center`): its
latest evaluation is chosen — the round in 评估批次, the row in 处理结果, where the steps of 第五章
(整改, 整改验收, 撤销, 自动放弃) are done.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QWidget

from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.evaluation import rounds
from lzcenter_desktop.ui.common_tabbed_page import TabbedPage, chooser_bar, record_box
from lzcenter_desktop.ui.dialogs.errors import report_exception
from lzcenter_desktop.ui.evaluation.common import WATCHED_KINDS, EvaluationTab, day_text
from lzcenter_desktop.ui.review.common import button, select_where

#: said on 处理结果 when the centre chosen on the 中心 page has never been evaluated
NOT_EVALUATED = (
    "该中心还没有绩效评估记录：请在“评估批次”中新建评估并勾选该中心（第二十二条），"
    "评定等次后在此执行处理结果（第二十四条）。"
)


def latest_evaluation(ctx: AppContext, center_id: int) -> tuple[int, int] | None:
    """(round id, evaluation id) of the centre's evaluation in the latest round it is in; None if
    it was never evaluated. Runs on the worker thread."""
    for r in rounds.list_rounds(ctx):  # the latest year first
        found = [e for e in rounds.list_evaluations(ctx, round_id=r.round_id) if e.center_id == center_id]
        if found:
            return r.round_id, max(e.evaluation_id for e in found)
    return None


class EvaluationPage(TabbedPage):
    """绩效评估 section of the main window."""

    watched_kinds = WATCHED_KINDS
    tab_type = EvaluationTab
    tab_list: list[EvaluationTab]

    def __init__(
        self, ctx: AppContext, parent: QWidget | None = None, *, today: dt.date | None = None
    ) -> None:
        super().__init__(ctx, parent, today=today)
        self.round_id: int | None = None
        self.rounds: list[Any] = []
        self._loading = False
        self._finding = False  # the latest evaluation of a centre is being read (show_center)
        self._wanted: int | None = None  # the evaluation to select in 处理结果 once it is shown

        self.round_box = record_box(self, "roundBox", 26, self._round_chosen)
        self.new_round_button = button(
            "新建评估(&N)…", self, tip="新建一个年度的绩效评估批次，勾选应参评的中心（第二十二条）"
        )
        self.new_round_button.clicked.connect(self.new_round)
        top = QHBoxLayout()
        self.round_info = chooser_bar(
            top, self, "评估批次(&Y)", self.round_box, [self.new_round_button], "roundInfo"
        )

        from lzcenter_desktop.ui.evaluation.centres_tab import CentresTab
        from lzcenter_desktop.ui.evaluation.consequences_tab import ConsequencesTab
        from lzcenter_desktop.ui.evaluation.experts_tab import ExpertsTab
        from lzcenter_desktop.ui.evaluation.results_tab import ResultsTab
        from lzcenter_desktop.ui.evaluation.rounds_tab import RoundsTab

        self.rounds_tab = RoundsTab(self)
        self.centres = CentresTab(self)
        self.experts = ExpertsTab(self)
        self.results = ResultsTab(self)
        self.consequences = ConsequencesTab(self)
        tab_list = [self.rounds_tab, self.centres, self.experts, self.results, self.consequences]
        self.make_tabs(tab_list, "evaluationTabs")

        self.lay_out(top)
        self.status_changed.connect(self._select_wanted)  # after the rounds or a tab were read

    # -- state ---------------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        """A read or write the page started has not answered yet."""
        return self._loading or self._finding or self.writes > 0 or any(t.busy for t in self.tab_list)

    @property
    def loading(self) -> bool:
        return self._loading

    def current_round(self) -> Any:
        return next((r for r in self.rounds if r.round_id == self.round_id), None)

    # -- Page ----------------------------------------------------------------------------------
    def status_text(self) -> str:
        current = self.current_round()
        if current is None:
            return ""
        return f"{current.title}（{current.status_label}）：{current.counts.text()}"

    def unsaved_changes(self) -> str | None:
        for tab in self.tab_list:
            text = tab.unsaved_changes()
            if text:
                return text
        return None

    def save_changes(self) -> bool:
        return all(tab.save_changes() for tab in self.tab_list)

    def discard_changes(self) -> None:
        for tab in self.tab_list:
            tab.discard_changes()

    # -- loading -------------------------------------------------------------------------------
    def read_records(self) -> None:
        """Read the rounds, then the visible tab."""
        self._loading = True
        ctx = self.ctx
        self.query(lambda: rounds.list_rounds(ctx), "evaluation-rounds", self._rounds_loaded)

    def loading_failed(self) -> None:
        self._loading = False

    def _rounds_loaded(self, found: list[Any]) -> None:
        self._loading = False
        self.rounds = sorted(found, key=lambda r: r.year, reverse=True)
        ids = [r.round_id for r in self.rounds]
        wanted = self.round_id if self.round_id in ids else (ids[0] if ids else None)
        self.fill_box(
            self.round_box,
            ((f"{r.title}（{r.status_label}）", r.round_id, r.title) for r in self.rounds),
            wanted,
        )
        self.round_id = wanted
        self._show_round_info()
        self._refresh_current()

    def _show_round_info(self) -> None:
        current = self.current_round()
        if current is None:
            self.round_info.setText("还没有绩效评估批次：请先“新建评估”。" if not self.rounds else "")
        else:
            parts = [current.status_label]
            if current.document_no:
                parts.append(current.document_no)
            parts.append(f"启动 {day_text(current.started_on)}")
            if current.held_on:
                parts.append(f"评审会 {day_text(current.held_on)}")
            if current.score_deadline:
                parts.append(f"评分截止 {day_text(current.score_deadline)}")
            if current.sheet_version:
                parts.append(f"指标表 {current.sheet_version} 版")
            self.round_info.setText("，".join(parts))
        self.status_changed.emit()

    # -- choosing --------------------------------------------------------------------------------
    def _round_chosen(self, index: int) -> None:
        if self._filling or index < 0:
            return
        self.round_id = self.round_box.itemData(index)
        for tab in self.tab_list:
            if tab.needs_round:
                tab.stale = True
        self._show_round_info()
        self._refresh_current()
        self.rounds_tab.follow_round()

    def choose_round(self, round_id: int) -> None:
        index = self.round_box.findData(round_id)
        if index >= 0 and index != self.round_box.currentIndex():
            self.round_box.setCurrentIndex(index)

    # -- a centre from the 中心 page --------------------------------------------------------------
    def show_center(self, center_id: int) -> None:
        """Choose the centre's latest evaluation: its round in 评估批次 and its row in 处理结果
        (the main window's ``continue_in``, after the page is shown)."""
        self.show_tab(self.consequences)
        self.consequences.show_message("")
        self._finding = True
        ctx = self.ctx
        self.query(
            lambda: latest_evaluation(ctx, center_id),
            "evaluation-of-centre",
            self._centre_found,
            self._centre_failed,
        )

    def _centre_failed(self, exc: BaseException) -> None:
        self._finding = False
        report_exception(exc, self)

    def _centre_found(self, found: tuple[int, int] | None) -> None:
        self._finding = False
        if found is None:
            self._wanted = None
            self.consequences.show_message(NOT_EVALUATED, level="error")
            self.status_changed.emit()
            return
        round_id, self._wanted = found  # selected once 处理结果 has read its round (_select_wanted)
        if self._loading or self.round_box.findData(round_id) < 0:
            self.round_id = round_id  # new to the page: chosen when the rounds read again arrive
            self.reload()
            self.consequences.refresh()
        elif round_id != self.round_id:
            self.choose_round(round_id)  # reads its 处理结果
        else:
            self.consequences.refresh()  # read again: as new as what was just found

    def _select_wanted(self) -> None:
        """Once 处理结果 has read the wanted evaluation's round, select its row (and focus the list):
        a read of the tab started after the round was chosen supersedes any older one (query_op)."""
        tab, wanted = self.consequences, self._wanted
        if wanted is None or self._loading or tab.loading or tab.stale or tab.data is None:
            return
        self._wanted = None
        if select_where(tab.table, lambda c: c.evaluation_id == wanted):
            tab.table.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- 新建评估 ----------------------------------------------------------------------------------
    def new_round(self) -> None:
        from lzcenter_desktop.ui.evaluation.round_dialog import RoundDialog

        years = [r.year for r in self.rounds]
        year = max(max(years) + 1, self.today.year) if years else self.today.year
        self._open(RoundDialog(self, self.ctx, year=year, today=self.today, on_done=self._round_created))

    def _round_created(self, round_id: int) -> None:
        self.round_id = round_id
