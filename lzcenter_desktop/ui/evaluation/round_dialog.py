"""新建评估: a year's evaluation round — its year, title, 文号, typed dates, and the centres due for
evaluation that year (E22: three years after recognition or the last evaluation), each ticked; the
clerk may untick one (it stays due for a later round)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QListWidget, QListWidgetItem, QSpinBox, QWidget

from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.evaluation import rounds
from lzcenter_desktop.ui import ops
from lzcenter_desktop.ui.evaluation.common import EVALUATION_KINDS, day_text
from lzcenter_desktop.ui.review.common import FormDialog, date_field, error_text, note_label, typed_date


def default_title(year: int) -> str:
    return f"{year}年度柳州市工程技术研究中心绩效评估"


def due_text(c: Any) -> str:
    """``柳州…中心（依托单位）　认定 2023-05-01，应评估 2026-05-01`` for a due centre."""
    since = (
        f"上次评估 {day_text(c.last_evaluated_on)}"
        if c.last_evaluated_on
        else f"认定 {day_text(c.recognised_on)}"
    )
    name = c.center_name if c.host_name in c.center_name else f"{c.center_name}（{c.host_name}）"
    return f"{name}　{since}，应于 {day_text(c.due_on)} 前评估"


class RoundDialog(FormDialog):
    """The new round; the due centres are read (off the UI thread) for the year shown."""

    def __init__(
        self,
        parent: QWidget,
        ctx: AppContext,
        *,
        year: int,
        today: dt.date,
        on_done: Callable[[Any], None] | None = None,
    ) -> None:
        super().__init__(parent, "新建绩效评估", "新建评估(&O)", kinds=EVALUATION_KINDS, on_done=on_done)
        self.ctx = ctx
        self.today = today
        self.loading = False
        self.due: list[Any] = []
        self.year = QSpinBox(self)
        self.year.setObjectName("year")
        self.year.setRange(2000, 2100)
        self.year.setValue(year)
        self.year.setSuffix(" 年")
        self.title_edit = QLineEdit(default_title(year), self)
        self.title_edit.setObjectName("title")
        self.title_edit.setMinimumWidth(self.fontMetrics().horizontalAdvance("中") * 26)
        self.document_no = QLineEdit(self)
        self.document_no.setObjectName("documentNo")
        self.document_no.setPlaceholderText("如 柳科字〔2026〕12号（可以以后再填）")
        self.started_on = date_field(today, "启动日期")
        self.held_on = date_field(None, "评审会日期", optional=True)
        self.score_deadline = date_field(None, "评分截止日期", optional=True)
        self.centres = QListWidget(self)
        self.centres.setObjectName("dueCentres")
        self.centres.setMinimumSize(self.fontMetrics().horizontalAdvance("中") * 46, 180)
        self.centres_note = note_label("正在读取应参评的中心…", self)
        self.centres_note.setObjectName("dueNote")
        for text, widget in (
            ("评估年度(&Y)：", self.year),
            ("名称(&T)：", self.title_edit),
            ("文号(&W)：", self.document_no),
            ("启动日期(&D)：", self.started_on),
            ("评审会日期(&H)：", self.held_on),
            ("评分截止(&L)：", self.score_deadline),
        ):
            label = QLabel(text, self)
            label.setBuddy(widget)
            self.form.addRow(label, widget)
        centres_label = QLabel("参评中心(&C)（空格键勾选）：", self)
        centres_label.setBuddy(self.centres)
        self.form.addRow(centres_label)
        self.form.addRow(self.centres)
        self.form.addRow(self.centres_note)
        self.year.valueChanged.connect(self._year_changed)
        chain = [
            self.year,
            self.title_edit,
            self.document_no,
            self.started_on.line,
            self.held_on.line,
            self.score_deadline.line,
            self.centres,
            self.ok_button,
            self.cancel_button,
        ]
        for first, second in itertools.pairwise(chain):  # the dates are made parentless
            self.setTabOrder(first, second)
        self.resize(max(self.width(), 640), self.sizeHint().height())
        self.load_due()

    def _year_changed(self, year: int) -> None:
        if self.title_edit.text().strip() in ("", default_title(year - 1), default_title(year + 1)):
            self.title_edit.setText(default_title(year))
        self.load_due()

    def load_due(self) -> None:
        """Read the centres due in the year shown, as of the start date typed (or today)."""
        self.loading = True
        self.ok_button.setEnabled(False)
        ctx, year = self.ctx, self.year.value()
        as_of = self.started_on.date() or self.today
        ops.query_op(
            lambda: rounds.due_centres(ctx, year=year, as_of=as_of),
            parent=self,
            key=f"due-centres:{id(self)}",
            on_success=self._due_loaded,
            on_failure=self._due_failed,
        )

    def _due_failed(self, exc: BaseException) -> None:
        self.loading = False
        self.ok_button.setEnabled(True)
        self.show_error(error_text(exc) or str(exc))

    def _due_loaded(self, found: list[Any]) -> None:
        self.loading = False
        self.ok_button.setEnabled(True)
        self.due = list(found)
        self.centres.clear()
        for c in self.due:
            item = QListWidgetItem(due_text(c), self.centres)
            item.setData(Qt.ItemDataRole.UserRole, c.center_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
        if self.due:
            self.centres_note.setText(
                f"{self.year.value()}年应参评 {len(self.due)} 个中心（认定或上次评估满三年，第二十二条），"
                "已全部勾选；"
                "取消勾选的中心仍为应评估，可列入以后的批次。"
            )
        else:
            self.centres_note.setText(f"{self.year.value()}年没有应参评而尚未列入评估批次的中心。")

    def checked(self) -> list[int]:
        out: list[int] = []
        for i in range(self.centres.count()):
            item = self.centres.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(int(item.data(Qt.ItemDataRole.UserRole)))
        return out

    def action(self) -> Callable[[], Any]:
        title = self.title_edit.text().strip()
        if not title:
            raise ServiceError("请填写评估批次的名称", field="名称")
        started = typed_date(self.started_on, "启动日期")
        assert started is not None
        held = typed_date(self.held_on, "评审会日期", required=False)
        deadline = typed_date(self.score_deadline, "评分截止日期", required=False)
        ids = self.checked()
        if not ids:
            raise ServiceError("请勾选参评的中心（至少一个）", field="参评中心")
        ctx, year, document_no = self.ctx, self.year.value(), self.document_no.text().strip() or None
        return lambda: rounds.create_round(
            ctx,
            year=year,
            title=title,
            started_on=started,
            document_no=document_no,
            held_on=held,
            score_deadline=deadline,
            center_ids=ids,
        )
