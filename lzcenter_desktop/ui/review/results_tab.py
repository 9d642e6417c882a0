"""汇总排名: the totals of the session's declarations (expert score aggregated with the session's
method, × 50 % + site score × 50 %, exact, shown with two decimals cut — 59.995 is 59.99), the
ranking, and 结束评审: the results stored and each centre moved to 拟认定 / 未获认定. The clerk may
decide otherwise than the 60-point line for a declaration (原则上) only with a reason, recorded with
the result when the session is closed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.review import panels, results, scoring
from lzcenter_desktop.services.review.results import OUTCOME_LABELS, OutcomeException, ResultRow
from lzcenter_desktop.ui import style
from lzcenter_desktop.ui.models.base import Column, RowTableModel
from lzcenter_desktop.ui.review import document_actions
from lzcenter_desktop.ui.review.common import (
    STATE_KINDS,
    FormDialog,
    ReviewTab,
    button,
    button_row,
    date_field,
    note_label,
    select_where,
    selected_object,
    set_widths,
    table_view,
    typed_date,
)


@dataclass(frozen=True, slots=True)
class ShownResult:
    """A result row as the table shows it, with the exception the clerk recorded (not yet stored)."""

    row: ResultRow
    pending: OutcomeException | None

    @property
    def outcome(self) -> str:
        return self.pending.outcome if self.pending is not None else self.row.outcome

    @property
    def reason(self) -> str:
        if self.pending is not None:
            return self.pending.reason
        return self.row.exception_reason or ""


def _outcome_text(r: ShownResult) -> str:
    label = OUTCOME_LABELS.get(r.outcome, r.outcome)
    if r.pending is not None:
        return f"{label}（例外，结束评审时记录）"
    return f"{label}（例外）" if r.row.is_exception else label


def _outcome_colour(r: ShownResult) -> QColor:
    return QColor(style.OK_COLOR if r.outcome == "proposed" else style.ERROR_COLOR)


RESULT_COLUMNS: tuple[Column[ShownResult], ...] = (
    Column("名次", lambda r: str(r.row.rank) if r.row.rank else "—"),
    Column("中心名称", lambda r: r.row.center_name),
    Column("依托单位", lambda r: r.row.host_name),
    Column("专家人数", lambda r: str(r.row.expert_count) if r.row.expert_count else "—"),
    Column("专家评审", lambda r: r.row.shown_expert),
    Column("现场考察", lambda r: r.row.shown_site),
    Column("总分", lambda r: r.row.shown_total),
    Column("结论", _outcome_text, _outcome_colour),
    Column("例外理由", lambda r: r.reason),
)


@dataclass(frozen=True, slots=True)
class ResultsData:
    closed: bool
    rows: list[ResultRow]
    completeness: scoring.Completeness | None
    problem: str  # why no preview can be computed ("" when there is one)


def read_results(ctx: AppContext, session_id: int) -> ResultsData:
    session = panels.get_session(ctx, session_id)
    if session.status in panels.CLOSED_SESSION_STATUSES:
        return ResultsData(True, results.session_results(ctx, session_id=session_id), None, "")
    completeness = scoring.session_completeness(ctx, session_id=session_id)
    if not completeness.complete:
        return ResultsData(False, [], completeness, completeness.summary())
    try:
        rows = results.preview_results(ctx, session_id=session_id)
    except ServiceError as exc:
        return ResultsData(False, [], completeness, exc.message)
    return ResultsData(False, rows, completeness, "")


class ResultsTab(ReviewTab):
    title = "汇总排名"
    needs_session = True

    def __init__(self, page: Any) -> None:
        super().__init__(page)
        self.data: ResultsData | None = None
        self.exceptions: dict[int, OutcomeException] = {}
        self._exceptions_session: int | None = None
        self.state = QLabel(self)
        self.state.setObjectName("resultsState")
        self.state.setWordWrap(True)
        self.exception_button = button("记录例外(&X)…", self, tip="不按60分线作出结论（原则上），须写明理由")
        self.undo_exception_button = button("取消例外", self)
        self.close_button = button(
            "结束评审并确定结果(&C)…", self, tip="保存评审结果，中心进入“拟认定”或“未获认定”"
        )
        self.exception_button.clicked.connect(self.record_exception)
        self.undo_exception_button.clicked.connect(self.undo_exception)
        self.close_button.clicked.connect(self.close_session)
        self.model: RowTableModel[ShownResult] = RowTableModel(RESULT_COLUMNS, parent=self)
        self.table = table_view(self.model, self, name="results", stretch=1)
        set_widths(self.table, (3, 0, 12, 4, 5, 5, 5, 11, 10))
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        layout = QVBoxLayout(self)
        layout.addWidget(self.state)
        layout.addLayout(
            button_row(
                self.exception_button,
                self.undo_exception_button,
                self.close_button,
                *document_actions.results_buttons(self),
            )
        )
        layout.addWidget(self.table, 1)
        layout.addWidget(
            note_label(
                "总分 = 专家评审 × 50% + 现场考察 × 50%，按精确值计算和排名，显示两位小数"
                "（舍去，不进位：59.995 显示 59.99，未达到 60 分）。原则上 60 分及以上拟认定。",
                self,
            )
        )
        layout.addWidget(self.message)
        self._update_buttons()

    def reader(self) -> Callable[[], ResultsData] | None:
        session_id = self.page.session_id
        if session_id is None:
            return None
        ctx = self.ctx
        return lambda: read_results(ctx, session_id)

    def clear(self) -> None:
        self.data = None
        self.model.set_rows([])
        self.state.setText("请先选择或新建评审会。" if self.page.call_id else "")
        self._update_buttons()

    def show_data(self, data: ResultsData) -> None:
        if self._exceptions_session != self.page.session_id:
            self.exceptions = {}
            self._exceptions_session = self.page.session_id
        self.data = data
        self._fill()
        session = self.page.current_session()
        title = session.title if session is not None else ""
        if data.closed:
            passed = sum(1 for r in data.rows if r.outcome == "proposed")
            self.state.setText(
                f"评审会“{title}”已结束：{len(data.rows)} 份申报书，拟认定 {passed} 份，"
                f"不予认定 {len(data.rows) - passed} 份。"
            )
            self.state.setStyleSheet(style.OK_STYLE)
        elif data.problem:
            self.state.setText(f"尚不能汇总：{data.problem}")
            self.state.setStyleSheet(style.WARNING_STYLE)
        else:
            self.state.setText(
                "评分已齐全。以下为按当前评分计算的结果（尚未保存）；确认后“结束评审并确定结果”。"
            )
            self.state.setStyleSheet(style.NOTE_STYLE)
        self._update_buttons()

    def _fill(self) -> None:
        current = self.selected()
        rows = self.data.rows if self.data is not None else []
        self.model.set_rows(
            [
                ShownResult(
                    r, None if self.data and self.data.closed else self.exceptions.get(r.declaration_id)
                )
                for r in rows
            ]
        )
        if current is not None:
            select_where(self.table, lambda r: r.row.declaration_id == current.row.declaration_id)
        elif rows:
            self.table.selectRow(0)

    def selected(self) -> ShownResult | None:
        r = selected_object(self.table)
        return r if isinstance(r, ShownResult) else None

    def _update_buttons(self) -> None:
        preview = self.data is not None and not self.data.closed and bool(self.data.rows)
        chosen = self.selected()
        self.exception_button.setEnabled(preview and chosen is not None and chosen.pending is None)
        self.undo_exception_button.setEnabled(preview and chosen is not None and chosen.pending is not None)
        self.close_button.setEnabled(preview and not self.page.session_closed())

    # -- actions -------------------------------------------------------------------------------
    def record_exception(self) -> None:
        chosen = self.selected()
        if chosen is None or self.data is None or self.data.closed:
            return
        dialog = ExceptionDialog(self, chosen.row)
        dialog.accepted.connect(lambda: self._exception_recorded(chosen.row.declaration_id, dialog.exception))
        self.open_dialog(dialog)

    def _exception_recorded(self, declaration_id: int, exception: OutcomeException | None) -> None:
        if exception is not None:
            self.exceptions[declaration_id] = exception
            self._fill()
            self._update_buttons()

    def undo_exception(self) -> None:
        chosen = self.selected()
        if chosen is not None:
            self.exceptions.pop(chosen.row.declaration_id, None)
            self._fill()
            self._update_buttons()

    def close_session(self) -> None:
        session = self.page.current_session()
        if session is None or self.data is None or self.data.closed or not self.data.rows:
            return
        self.open_dialog(
            CloseSessionDialog(
                self,
                self.ctx,
                session_id=session.id,
                title=session.title,
                rows=[ShownResult(r, self.exceptions.get(r.declaration_id)) for r in self.data.rows],
                exceptions=dict(self.exceptions),
                today=self.page.today,
                on_done=self._closed,
            )
        )

    def _closed(self, rows: list[ResultRow]) -> None:
        self.exceptions = {}
        passed = sum(1 for r in rows if r.outcome == "proposed")
        self.show_message(f"评审会已结束：拟认定 {passed} 份，不予认定 {len(rows) - passed} 份。")


class ExceptionDialog(QDialog):
    """Decide otherwise than the pass line for one declaration: the other outcome, with the reason."""

    def __init__(self, parent: QWidget, row: ResultRow) -> None:
        super().__init__(parent)
        self.row = row
        self.exception: OutcomeException | None = None
        other = "not_recognised" if row.computed_outcome == "proposed" else "proposed"
        self.outcome = other
        self.setWindowTitle("记录例外")
        layout = QVBoxLayout(self)
        computed = OUTCOME_LABELS[row.computed_outcome]
        text = QLabel(
            f"“{row.center_name}”总分 {row.shown_total} 分，按{row.pass_score}分线为“{computed}”。\n"
            f"作为例外改为“{OUTCOME_LABELS[other]}”，须写明理由（记入评审结果和中心的历史记录）。",
            self,
        )
        text.setWordWrap(True)
        layout.addWidget(text)
        self.reason = QPlainTextEdit(self)
        self.reason.setObjectName("reason")
        self.reason.setTabChangesFocus(True)
        self.reason.setPlaceholderText("例外理由，如 经评审委员会研究……")
        label = QLabel("理由(&R)：", self)
        label.setBuddy(self.reason)
        layout.addWidget(label)
        layout.addWidget(self.reason)
        self.error = QLabel(self)
        self.error.setStyleSheet(style.ERROR_STYLE)
        self.error.hide()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(self)
        self.ok_button = buttons.addButton(
            f"改为“{OUTCOME_LABELS[other]}”(&O)", QDialogButtonBox.ButtonRole.AcceptRole
        )
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.take)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(480, self.sizeHint().height())

    def take(self) -> None:
        reason = self.reason.toPlainText().strip()
        if not reason:
            self.error.setText("请填写例外理由")
            self.error.show()
            return
        if len(reason) > results.REASON_MAX:
            self.error.setText(f"例外理由过长（{len(reason)} 个字），最多 {results.REASON_MAX} 个字")
            self.error.show()
            return
        self.exception = OutcomeException(self.outcome, reason)
        self.accept()


class CloseSessionDialog(FormDialog):
    """结束评审: the decision date; the results are stored and the centres move on (asked first)."""

    def __init__(
        self,
        parent: QWidget,
        ctx: AppContext,
        *,
        session_id: int,
        title: str,
        rows: list[ShownResult],
        exceptions: dict[int, OutcomeException],
        today: dt.date,
        on_done: Callable[[Any], None],
    ) -> None:
        super().__init__(parent, "结束评审并确定结果", "结束评审(&O)", kinds=STATE_KINDS, on_done=on_done)
        self.ctx = ctx
        self.session_id = session_id
        self.title = title
        self.exceptions = exceptions
        passed = sum(1 for r in rows if r.outcome == "proposed")
        lines = [
            f"评审会：{title}",
            f"申报书 {len(rows)} 份：拟认定 {passed} 份，不予认定 {len(rows) - passed} 份。",
        ]
        for r in rows:
            if r.pending is not None:
                lines.append(
                    f"例外：“{r.row.center_name}”改为“{OUTCOME_LABELS[r.outcome]}”，理由：{r.pending.reason}"
                )
        summary = QLabel("\n".join(lines), self)
        summary.setWordWrap(True)
        self.form.addRow(summary)
        self.on = date_field(today, "结果确定日期")
        label = QLabel("确定日期(&D)：", self)
        label.setBuddy(self.on)
        self.form.addRow(label, self.on)
        self.form.addRow(note_label("结束后评分不能再修改；各中心进入“拟认定”或“未获认定”。", self))
        self.resize(560, self.sizeHint().height())

    def action(self) -> Callable[[], Any]:
        on = typed_date(self.on, "确定日期")
        assert on is not None
        ctx, sid, exceptions = self.ctx, self.session_id, self.exceptions
        return lambda: results.close_session(ctx, session_id=sid, decided_on=on, exceptions=exceptions)

    def confirmation(self) -> tuple[str, str, str] | None:
        return (
            "确认结束评审",
            f"结束评审会“{self.title}”并保存评审结果？\n此后评分不能修改，各中心的状态随之改变，不能撤销。",
            "结束评审(&Y)",
        )
