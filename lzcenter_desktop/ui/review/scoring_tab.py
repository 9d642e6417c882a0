"""专家评分: one expert at a time (blind — only that expert's own scores are shown), the declarations
they are assigned, and the points per indicator of the score sheet with the running sum as they
are typed; Ctrl+S (or 保存评分) stores them. The offline 评审包 — export, import of return files,
the choice between conflicting score sets — is on the same tab."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from lzcenter_desktop.domain.scoresheet import ScoreSheet
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.review import assignments, package_import, scoring
from lzcenter_desktop.services.review.dto import AssignmentView
from lzcenter_desktop.services.review.package_conflicts import ScoreConflictView
from lzcenter_desktop.services.review.scoring import Completeness, ExpertSheet, ExpertTask
from lzcenter_desktop.ui import ops, style
from lzcenter_desktop.ui.models.base import Column, RowTableModel
from lzcenter_desktop.ui.review import document_actions
from lzcenter_desktop.ui.review.common import (
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
from lzcenter_desktop.ui.review.package_actions import PackageActions
from lzcenter_desktop.ui.review_mode.score_form import ScoreForm
from lzcenter_desktop.ui.tasks import Task


def task_state(t: ExpertTask) -> str:
    if t.recused:
        return "已回避"
    if t.score is None:
        return "未评分"
    source = "（评审包）" if t.score.source.startswith("package:") else ""
    return f"已评分 {t.score.total_text} 分{source}"


def _task_colour(t: ExpertTask) -> QColor | None:
    if t.recused:
        return QColor(style.NOTE_COLOR)
    return QColor(style.OK_COLOR) if t.score is not None else None


TASK_COLUMNS: tuple[Column[ExpertTask], ...] = (
    Column("申报书", lambda t: f"{t.declaration_id} {t.center_name}", _task_colour),
    Column("依托单位", lambda t: t.host_name, _task_colour),
    Column("评分", task_state, _task_colour),
)


@dataclass(frozen=True, slots=True)
class ScoringData:
    experts: list[tuple[int, str, int, int]]  # (expert id, name, tasks, scored)
    completeness: Completeness
    conflicts: list[ScoreConflictView]


def read_scoring(ctx: AppContext, session_id: int) -> ScoringData:
    rows: list[AssignmentView] = assignments.list_assignments(
        ctx, session_id=session_id, include_recused=False
    )
    experts: dict[int, tuple[str, int, int]] = {}
    for a in rows:
        name, tasks, scored = experts.get(a.expert_id, (a.expert_name, 0, 0))
        experts[a.expert_id] = (name, tasks + 1, scored + (1 if a.status == "scored" else 0))
    listed = sorted(((eid, *v) for eid, v in experts.items()), key=lambda e: (e[1], e[0]))
    return ScoringData(
        experts=listed,
        completeness=scoring.session_completeness(ctx, session_id=session_id),
        conflicts=package_import.list_conflicts(ctx, session_id=session_id),
    )


class ScoringTab(ReviewTab):
    title = "专家评分"
    needs_session = True

    def __init__(self, page: Any) -> None:
        super().__init__(page)
        self.data: ScoringData | None = None
        self.sheet_data: ExpertSheet | None = None
        self.task: ExpertTask | None = None
        self.form: ScoreForm | None = None
        self.dirty = False
        self.saving = False
        self.confirm_discard: Callable[[str], bool] = self._ask_discard
        self.packages = PackageActions(self)

        self.expert_box = QComboBox(self)
        self.expert_box.setObjectName("expertBox")
        self.expert_box.setMinimumContentsLength(14)
        self.expert_box.currentIndexChanged.connect(lambda _i: self._expert_chosen())
        expert_label = QLabel("专家(&Z)", self)
        expert_label.setBuddy(self.expert_box)
        self.model: RowTableModel[ExpertTask] = RowTableModel(TASK_COLUMNS, parent=self)
        self.table = table_view(self.model, self, name="tasks", stretch=0)
        set_widths(self.table, (0, 9, 9))
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._task_selected())
        self.progress = note_label("", self)
        self.progress.setObjectName("completeness")
        left = QGroupBox("评审任务（只显示所选专家本人的评分）", self)
        box = QVBoxLayout(left)
        choose = QHBoxLayout()
        choose.addWidget(expert_label)
        choose.addWidget(self.expert_box, 1)
        box.addLayout(choose)
        box.addWidget(self.table, 1)
        box.addWidget(self.progress)
        box.addLayout(button_row(*document_actions.score_sheet_buttons(self)))

        self.form_area = QScrollArea(self)
        self.form_area.setWidgetResizable(True)
        self.form_area.setFrameShape(QScrollArea.Shape.NoFrame)
        self.placeholder = note_label("请在左侧选择专家和申报书。", self)
        self.form_area.setWidget(self.placeholder)
        self.scored_on = date_field(page.today, "评分日期")
        on_label = QLabel("评分日期(&D)", self)
        on_label.setBuddy(self.scored_on)
        self.save_button = button("保存评分(&S)", self, tip="保存本专家对这份申报书的评分（Ctrl+S）")
        self.save_button.clicked.connect(self.save)
        self.form_state = QLabel(self)
        self.form_state.setObjectName("formState")
        self.heading = QLabel(self)
        self.heading.setObjectName("taskHeading")
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("font-weight: bold;")
        right = QWidget(self)
        box = QVBoxLayout(right)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.heading)
        box.addWidget(self.form_area, 1)
        box.addLayout(button_row(on_label, self.scored_on, self.save_button, self.form_state))

        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(left)
        split.addWidget(right)
        split.setChildrenCollapsible(False)
        split.setSizes([470, 560])

        self.export_button = button(
            "导出整场评审包(&X)…", self, tip="一个文件，专家在笔记本上选择自己的姓名后评分"
        )
        self.export_each_button = button(
            "按专家导出(&Y)…", self, tip="每位专家一个文件，只含其本人的评审任务"
        )
        self.import_button = button("导入评分回执(&I)…", self)
        self.conflicts_button = button("评分冲突…", self)
        self.conflicts_button.setObjectName("conflictsButton")
        self.export_button.clicked.connect(self.packages.export_session)
        self.export_each_button.clicked.connect(self.packages.export_per_expert)
        self.import_button.clicked.connect(self.packages.import_return)
        self.conflicts_button.clicked.connect(self.packages.conflicts)
        packages = button_row(
            QLabel("离线评审包：", self),
            self.export_button,
            self.export_each_button,
            self.import_button,
            self.conflicts_button,
        )
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addLayout(packages)
        layout.addWidget(self.message)
        self._update_buttons()

    # -- reading -------------------------------------------------------------------------------
    def reader(self) -> Callable[[], ScoringData] | None:
        session_id = self.page.session_id
        if session_id is None:
            return None
        ctx = self.ctx
        return lambda: read_scoring(ctx, session_id)

    def clear(self) -> None:
        self.data = None
        self.expert_box.clear()
        self.model.set_rows([])
        self.progress.setText("")
        self._show_form(None)
        self._update_buttons()

    def show_data(self, data: ScoringData) -> None:
        self.data = data
        current = self.expert_box.currentData()
        self.expert_box.blockSignals(True)
        self.expert_box.clear()
        for eid, name, tasks, scored in data.experts:
            self.expert_box.addItem(f"{name}（已评 {scored}/{tasks}）", eid)
        if current is not None and self.expert_box.findData(current) >= 0:
            self.expert_box.setCurrentIndex(self.expert_box.findData(current))
        self.expert_box.blockSignals(False)
        self.progress.setText(data.completeness.summary(limit=2))
        self.progress.setStyleSheet(style.OK_STYLE if data.completeness.complete else style.NOTE_STYLE)
        self.conflicts_button.setText(f"评分冲突（{len(data.conflicts)}）…")
        if not data.experts:
            self.model.set_rows([])
            self._show_form(None)
            self.placeholder.setText("本评审会还没有分配评审专家：请在“分组与抽取”中分配。")
        if self.dirty:
            self._update_buttons()  # keep what is being typed; the list is read again after the save
            return
        self._expert_chosen()

    def _expert_chosen(self) -> None:
        eid, session_id = self.expert_box.currentData(), self.page.session_id
        if eid is None or session_id is None:
            self._update_buttons()
            return
        ctx = self.ctx
        self.read(
            lambda: scoring.expert_view(ctx, session_id=session_id, expert_id=eid),
            self._sheet_loaded,
            key="sheet",
        )

    def _sheet_loaded(self, sheet: ExpertSheet) -> None:
        current = self.task
        self.sheet_data = sheet
        self.model.set_rows(list(sheet.tasks))
        found = current is not None and select_where(
            self.table, lambda t: t.assignment_id == current.assignment_id
        )
        if not found:
            first = next((i for i, t in enumerate(sheet.tasks) if not t.recused and t.score is None), 0)
            if sheet.tasks:
                self.table.selectRow(first)
        self._task_selected(force=True)

    def selected(self) -> ExpertTask | None:
        t = selected_object(self.table)
        return t if isinstance(t, ExpertTask) else None

    def _task_selected(self, *, force: bool = False) -> None:
        task = self.selected()
        if (
            not force
            and task is not None
            and self.task is not None
            and task.assignment_id == self.task.assignment_id
        ):
            return
        if self.dirty and not force and not self.confirm_discard(self.unsaved_changes() or ""):
            if self.task is not None:
                self.table.blockSignals(True)
                select_where(self.table, lambda t: t.assignment_id == self.task.assignment_id)  # type: ignore[union-attr]
                self.table.blockSignals(False)
            return
        self.task = task
        self._show_form(task)

    def _show_form(self, task: ExpertTask | None) -> None:
        sheet: ScoreSheet | None = self.sheet_data.sheet if self.sheet_data is not None else None
        self.dirty = False
        if task is None or sheet is None:
            self.form = None
            self.heading.setText("")
            self.placeholder = note_label("请在左侧选择专家和申报书。", self)
            self.form_area.setWidget(self.placeholder)
            self._update_buttons()
            return
        form = ScoreForm(sheet, self)
        self.heading.setText(f"第 {task.declaration_id} 号：{task.center_name}")
        if task.score is not None:
            form.set_values(dict(task.score.points), task.score.comment or "")
            self.scored_on.setDate(task.score.scored_on)
        else:
            self.scored_on.setDate(self.page.today)
        form.changed.connect(self._edited)
        self.form = form
        self.form_area.setWidget(form)
        enabled = not task.recused and not self.page.session_closed()
        form.setEnabled(enabled)
        if task.recused:
            self.form_state.setText(f"已回避：{task.recusal_reason or ''}")
        elif self.page.session_closed():
            self.form_state.setText("评审会已结束，评分不能修改。")
        elif task.score is not None:
            self.form_state.setText(f"第 {task.version} 版，{task.score.scored_on.isoformat()} 录入")
        else:
            self.form_state.setText("尚未评分")
        self.form_state.setStyleSheet(style.NOTE_STYLE)
        self._update_buttons()

    def _edited(self) -> None:
        self.dirty = True
        self.form_state.setText("有未保存的修改")
        self.form_state.setStyleSheet(style.WARNING_STYLE)
        self._update_buttons()
        self.page.status_changed.emit()

    def _update_buttons(self) -> None:
        open_session = self.page.session_id is not None and not self.page.session_closed()
        task = self.task
        self.save_button.setEnabled(
            open_session
            and self.form is not None
            and task is not None
            and not task.recused
            and not self.saving
        )
        for b in (self.export_button, self.export_each_button, self.import_button):
            b.setEnabled(open_session)
        self.conflicts_button.setEnabled(bool(self.data and self.data.conflicts) and open_session)

    # -- saving ----------------------------------------------------------------------------------
    def unsaved_changes(self) -> str | None:
        if not self.dirty or self.task is None or self.sheet_data is None:
            return None
        return f"评审：专家{self.sheet_data.expert_name}对“{self.task.center_name}”的评分"

    def save_changes(self) -> bool:
        """Save before leaving the page or closing the window: waits for the write and tells
        truthfully whether the scores were stored."""
        if not self.dirty:
            return True
        task = self._start_save()
        if task is None or not ops.wait_for_writes() or not task.wait(0):
            return False
        QCoreApplication.sendPostedEvents(task, 0)  # its queued answer, now
        return not self.dirty

    def discard_changes(self) -> None:
        self.dirty = False
        self._show_form(self.task)

    def _ask_discard(self, what: str) -> bool:
        box = QMessageBox(
            QMessageBox.Icon.Warning, "评分尚未保存", f"{what}尚未保存，放弃这些修改？", parent=self
        )
        discard = box.addButton("放弃修改(&D)", QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton("继续录入", QMessageBox.ButtonRole.RejectRole)
        box.setEscapeButton(keep)
        box.setDefaultButton(keep)
        box.exec()
        return box.clickedButton() is discard

    def save(self) -> bool:
        """Store the points typed for the selected task; False (with the reason shown) when it cannot
        start. The result arrives later: the list is read again and the form shows the stored scores."""
        return self._start_save() is not None

    def _start_save(self) -> Task[Any] | None:
        task, form = self.task, self.form
        if task is None or form is None or self.saving:
            return None
        try:
            on = typed_date(self.scored_on, "评分日期")
        except ServiceError as exc:
            self.show_message(exc.message, level="error")
            return None
        assert on is not None
        points, comment = form.points(), form.comment_text()
        ctx, aid, version = self.ctx, task.assignment_id, task.version
        self.saving = True
        self._update_buttons()

        def done(view: Any) -> None:
            self.saving = False
            self.dirty = False
            self.show_message(
                f"已保存：“{task.center_name}”合计 {view.total_text} 分（第 {view.version} 版）。"
            )
            self._update_buttons()
            self.page.status_changed.emit()

        def failed(text: str) -> None:
            self.saving = False
            self.show_message(text, level="error")
            self._update_buttons()

        return self.write(
            lambda: scoring.enter_expert_scores(
                ctx, assignment_id=aid, points=points, scored_on=on, comment=comment, expected_version=version
            ),
            done=done,
            on_error=failed,
        )
