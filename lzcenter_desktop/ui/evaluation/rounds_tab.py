"""评估批次: every round of the three-yearly evaluation, newest first; choosing a row makes it the
page's round, 新建评估 opens the dialog with the centres due that year ticked."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QVBoxLayout

from lzcenter_desktop.services.evaluation import rounds
from lzcenter_desktop.ui.evaluation.common import EvaluationTab, day_text
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


def counts_text(counts: Any) -> str:
    """``参评 4/5，已评定 3`` — the round's counts in short (the whole sentence is the tooltip of
    the status bar)."""
    return f"参评 {counts.participating}/{counts.centres}，已评定 {counts.graded}"


ROUND_COLUMNS: tuple[Column[Any], ...] = (
    Column("年度", lambda r: str(r.year)),
    Column("名称", lambda r: r.title),
    Column("文号", lambda r: r.document_no or ""),
    Column("启动日期", lambda r: day_text(r.started_on)),
    Column("评审会", lambda r: day_text(r.held_on)),
    Column("评分截止", lambda r: day_text(r.score_deadline)),
    Column("指标表", lambda r: r.sheet_version or ""),
    Column("状态", lambda r: r.status_label),
    Column("参评情况", lambda r: counts_text(r.counts)),
)


class RoundsTab(EvaluationTab):
    title = "评估批次"
    needs_round = False

    def __init__(self, page: Any) -> None:
        super().__init__(page)
        self.model: RowTableModel[Any] = RowTableModel(ROUND_COLUMNS, parent=self)
        self.table = table_view(self.model, self, name="rounds", stretch=1)
        set_widths(self.table, (4, 0, 10, 6, 6, 6, 5, 5, 14))
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._chosen())
        self.table.doubleClicked.connect(lambda _i: self.owner.show_tab(self.owner.centres))
        self.new_button = button("新建评估…", self, tip="新建一个年度的绩效评估批次（Alt+N）")
        self.new_button.setObjectName("newRound")
        self.new_button.clicked.connect(self.owner.new_round)
        layout = QVBoxLayout(self)
        layout.addLayout(button_row(self.new_button))
        layout.addWidget(self.table, 1)
        layout.addWidget(
            note_label(
                "认定满三年或上次评估满三年的中心应参加绩效评估（第二十二条）。选中一行即在其他各页处理该批次；"
                "双击进入“参评中心”。",
                self,
            )
        )
        layout.addWidget(self.message)

    def reader(self) -> Callable[[], list[Any]]:
        ctx = self.ctx
        return lambda: rounds.list_rounds(ctx)

    def clear(self) -> None:
        self.model.set_rows([])

    def show_data(self, data: list[Any]) -> None:
        self.model.set_rows(sorted(data, key=lambda r: r.year, reverse=True))
        self.follow_round()

    def follow_round(self) -> None:
        """Select the page's round in the table (without choosing again)."""
        wanted = self.owner.round_id
        current = selected_object(self.table)
        if wanted is None or (current is not None and current.round_id == wanted):
            return
        self.table.blockSignals(True)
        self.table.selectionModel().blockSignals(True)
        select_where(self.table, lambda r: r.round_id == wanted)
        self.table.selectionModel().blockSignals(False)
        self.table.blockSignals(False)
        self.table.viewport().update()

    def _chosen(self) -> None:
        current = selected_object(self.table)
        if current is not None:
            self.owner.choose_round(current.round_id)
