"""专家库: the expert pool with a filter, add / edit, 停用 / 恢复, import from Excel; the selected
expert's relations with organizations (what 回避 is computed from); and, per declaration of the
call, the applicant's list of experts to avoid."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSplitter,
    QVBoxLayout,
)

from lzcenter_desktop.services import declarations as d
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.review import experts
from lzcenter_desktop.services.review.dto import AvoidView, ExpertView, RelationView
from lzcenter_desktop.services.review.expert_import import HEADERS, import_experts
from lzcenter_desktop.ui import style
from lzcenter_desktop.ui.models.base import Column, RowTableModel
from lzcenter_desktop.ui.review.common import (
    FilterProxy,
    ReasonDialog,
    ReviewTab,
    button,
    button_row,
    cn_date,
    inform,
    select_where,
    selected_object,
    set_widths,
    table_view,
)
from lzcenter_desktop.ui.review.expert_dialogs import AvoidDialog, ExpertDialog, RelationDialog, retire_run
from lzcenter_desktop.ui.review.expert_edit import ExpertEditDialog


def _retired(e: ExpertView) -> QColor | None:
    return QColor(style.NOTE_COLOR) if e.status != experts.ACTIVE else None


EXPERT_COLUMNS: tuple[Column[ExpertView], ...] = (
    Column("姓名", lambda e: e.name, _retired),
    Column("单位", lambda e: e.unit, _retired),
    Column("专业领域", lambda e: e.specialty, _retired),
    Column("职称", lambda e: e.title or "", _retired),
    Column("电话", lambda e: e.phone or "", _retired),
    Column("邮箱", lambda e: e.email or "", _retired),
    Column(
        "状态", lambda e: e.status_label + (f"（{cn_date(e.retired_on)}）" if e.retired_on else ""), _retired
    ),
)


def _inactive(r: RelationView) -> QColor | None:
    return QColor(style.NOTE_COLOR) if not r.active else None


def _period(r: RelationView) -> str:
    if r.from_on is None and r.to_on is None:
        return "（未填）"
    return f"{cn_date(r.from_on) or '…'} 至 {cn_date(r.to_on) or '今'}"


RELATION_COLUMNS: tuple[Column[RelationView], ...] = (
    Column("关系", lambda r: r.kind_label + ("（近亲属）" if r.relative else ""), _inactive),
    Column("单位", lambda r: r.organization_name, _inactive),
    Column("期间", _period, _inactive),
    Column("来源", lambda r: r.source_label + ("" if r.active else "（已撤销）"), _inactive),
    Column("说明", lambda r: r.note or "", _inactive),
)

AVOID_COLUMNS: tuple[Column[AvoidView], ...] = (
    Column("专家", lambda a: a.expert_name + ("" if a.expert_id else "（库外）")),
    Column("单位", lambda a: a.expert_unit or ""),
    Column("理由", lambda a: a.reason),
)


@dataclass(frozen=True, slots=True)
class ExpertsData:
    pool: list[ExpertView]
    declarations: list[tuple[int, str]]  # (id, centre name) of the call's declarations in review


def read_experts(ctx: AppContext, year: int | None) -> ExpertsData:
    decls: list[tuple[int, str]] = []
    if year is not None:
        decls = [
            (r.id, r.center_name)
            for r in d.list_declarations(ctx, call_year=year)
            if r.status not in ("draft", "discarded", "withdrawn")
        ]
        decls.sort()
    return ExpertsData(experts.list_experts(ctx, include_retired=True), decls)


class ExpertsTab(ReviewTab):
    title = "专家库"

    def __init__(self, page: Any) -> None:
        super().__init__(page)
        self.data: ExpertsData | None = None
        self.relations: list[RelationView] = []
        self.avoid: list[AvoidView] = []
        self.filter = QLineEdit(self)
        self.filter.setObjectName("expertFilter")
        self.filter.setPlaceholderText("姓名、单位、专业领域…")
        self.filter.setClearButtonEnabled(True)
        filter_label = QLabel("查找(&F)", self)
        filter_label.setBuddy(self.filter)
        self.show_retired = QCheckBox("含已停用(&H)", self)
        self.show_retired.toggled.connect(lambda _on: self._fill())
        self.add_button = button("新增专家(&A)…", self)
        self.edit_button = button("修改(&E)…", self)
        self.retire_button = button("停用(&D)…", self, tip="停用的专家不再被抽取或分配；记录保留")
        self.reactivate_button = button("恢复在库", self)
        self.import_button = button(
            "从Excel导入(&I)…", self, tip="第一行为表头：" + "、".join(HEADERS) + "（姓名、单位必填）"
        )
        self.add_button.clicked.connect(self.add_expert)
        self.edit_button.clicked.connect(self.edit_expert)
        self.retire_button.clicked.connect(self.retire_expert)
        self.reactivate_button.clicked.connect(self.reactivate_expert)
        self.import_button.clicked.connect(self.import_excel)

        self.model: RowTableModel[ExpertView] = RowTableModel(EXPERT_COLUMNS, parent=self)
        self.proxy = FilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.table = table_view(self.proxy, self, name="experts", stretch=1)
        set_widths(self.table, (5, 0, 10, 8, 8, 11, 6))
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._expert_selected())
        self.table.doubleClicked.connect(lambda _i: self.edit_expert())

        self.relations_model: RowTableModel[RelationView] = RowTableModel(RELATION_COLUMNS, parent=self)
        self.relations_table = table_view(self.relations_model, self, name="relations", stretch=1)
        set_widths(self.relations_table, (7, 0, 11, 6))
        self.add_relation_button = button("添加关系(&L)…", self)
        self.withdraw_relation_button = button("撤销关系…", self)
        self.add_relation_button.clicked.connect(self.add_relation)
        self.withdraw_relation_button.clicked.connect(self.withdraw_relation)
        self.relations_box = QGroupBox("所选专家与单位的关系（用于回避）", self)
        rel_layout = QVBoxLayout(self.relations_box)
        rel_layout.addWidget(self.relations_table, 1)
        rel_layout.addLayout(button_row(self.add_relation_button, self.withdraw_relation_button))

        self.declaration = QComboBox(self)
        self.declaration.setObjectName("avoidDeclaration")
        self.declaration.setMinimumContentsLength(16)
        self.declaration.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.declaration.currentIndexChanged.connect(lambda _i: self._declaration_chosen())
        decl_label = QLabel("申报书(&B)", self)
        decl_label.setBuddy(self.declaration)
        self.avoid_model: RowTableModel[AvoidView] = RowTableModel(AVOID_COLUMNS, parent=self)
        self.avoid_table = table_view(self.avoid_model, self, name="avoidList", stretch=2)
        set_widths(self.avoid_table, (5, 11))
        self.add_avoid_button = button("添加回避专家(&V)…", self)
        self.withdraw_avoid_button = button("撤销…", self)
        self.add_avoid_button.clicked.connect(self.add_avoid)
        self.withdraw_avoid_button.clicked.connect(self.withdraw_avoid)
        avoid_box = QGroupBox("申报单位申请回避的专家", self)
        avoid_layout = QVBoxLayout(avoid_box)
        choose = QHBoxLayout()
        choose.addWidget(decl_label)
        choose.addWidget(self.declaration, 1)
        avoid_layout.addLayout(choose)
        avoid_layout.addWidget(self.avoid_table, 1)
        avoid_layout.addLayout(button_row(self.add_avoid_button, self.withdraw_avoid_button))
        self.avoid_table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.relations_table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())

        bottom = QSplitter(Qt.Orientation.Horizontal, self)
        bottom.addWidget(self.relations_box)
        bottom.addWidget(avoid_box)
        bottom.setChildrenCollapsible(False)
        bottom.setSizes([560, 440])
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.table)
        split.addWidget(bottom)
        split.setChildrenCollapsible(False)
        split.setSizes([320, 220])

        layout = QVBoxLayout(self)
        top = button_row(
            filter_label,
            self.filter,
            self.show_retired,
            self.add_button,
            self.edit_button,
            self.retire_button,
            self.reactivate_button,
            self.import_button,
            stretch=False,
        )
        top.setStretch(1, 1)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addWidget(self.message)
        self._update_buttons()

    # -- reading -------------------------------------------------------------------------------
    def reader(self) -> Callable[[], ExpertsData]:
        call = self.page.current_call()
        year = call.year if call is not None else None
        ctx = self.ctx
        return lambda: read_experts(ctx, year)

    def show_data(self, data: ExpertsData) -> None:
        self.data = data
        self._fill()
        current = self.declaration.currentData()
        self.declaration.blockSignals(True)
        self.declaration.clear()
        for did, name in data.declarations:
            self.declaration.addItem(f"{did} {name}", did)
            self.declaration.setItemData(self.declaration.count() - 1, name, Qt.ItemDataRole.ToolTipRole)
        if current is not None and self.declaration.findData(current) >= 0:
            self.declaration.setCurrentIndex(self.declaration.findData(current))
        self.declaration.blockSignals(False)
        self._declaration_chosen()

    def _fill(self) -> None:
        current = self.selected()
        pool = self.data.pool if self.data is not None else []
        if not self.show_retired.isChecked():
            pool = [e for e in pool if e.status == experts.ACTIVE]
        self.model.set_rows(pool)
        found = current is not None and select_where(self.table, lambda e: e.id == current.id)
        if not found and self.proxy.rowCount():
            self.table.selectRow(0)
        self._expert_selected()

    def selected(self) -> ExpertView | None:
        e = selected_object(self.table)
        return e if isinstance(e, ExpertView) else None

    def _expert_selected(self) -> None:
        expert = self.selected()
        self._update_buttons()
        if expert is None:
            self.relations = []
            self.relations_model.set_rows([])
            self.relations_box.setTitle("所选专家与单位的关系（用于回避）")
            return
        self.relations_box.setTitle(f"{expert.name}与单位的关系（用于回避）")
        ctx, expert_id = self.ctx, expert.id
        self.read(
            lambda: experts.list_relations(ctx, expert_id=expert_id, include_withdrawn=True),
            self._relations_loaded,
            key="relations",
        )

    def _relations_loaded(self, rows: list[RelationView]) -> None:
        self.relations = rows
        self.relations_model.set_rows(sorted(rows, key=lambda r: (not r.active, r.id)))
        self._update_buttons()

    def _declaration_chosen(self) -> None:
        did = self.declaration.currentData()
        self._update_buttons()
        if did is None:
            self.avoid_model.set_rows([])
            return
        ctx = self.ctx
        self.read(
            lambda: experts.list_avoid_experts(ctx, declaration_id=did), self._avoid_loaded, key="avoid"
        )

    def _avoid_loaded(self, rows: list[AvoidView]) -> None:
        self.avoid = rows
        self.avoid_model.set_rows(rows)
        self._update_buttons()

    def _update_buttons(self) -> None:
        expert = self.selected()
        self.edit_button.setEnabled(expert is not None)
        self.retire_button.setEnabled(expert is not None and expert.status == experts.ACTIVE)
        self.reactivate_button.setEnabled(expert is not None and expert.status != experts.ACTIVE)
        self.add_relation_button.setEnabled(expert is not None)
        relation = selected_object(self.relations_table)
        self.withdraw_relation_button.setEnabled(isinstance(relation, RelationView) and relation.active)
        self.add_avoid_button.setEnabled(self.declaration.currentData() is not None)
        self.withdraw_avoid_button.setEnabled(isinstance(selected_object(self.avoid_table), AvoidView))

    # -- actions -------------------------------------------------------------------------------
    def add_expert(self) -> None:
        self.open_dialog(ExpertDialog(self, self.ctx))

    def edit_expert(self) -> None:
        expert = self.selected()
        if expert is not None:
            self.open_dialog(ExpertEditDialog(self, self.ctx, expert=expert))

    def retire_expert(self) -> None:
        expert = self.selected()
        if expert is None or expert.status != experts.ACTIVE:
            return
        self.open_dialog(
            ReasonDialog(
                self,
                f"停用专家：{expert.name}",
                f"停用后{expert.name}不再被抽取或分配评审，记录保留，可随时恢复。",
                "停用(&O)",
                retire_run(self.ctx, expert.id),
                date_name="停用日期",
                today=self.page.today,
                placeholder="如 本人申请退出专家库",
            )
        )

    def reactivate_expert(self) -> None:
        expert = self.selected()
        if expert is not None and expert.status != experts.ACTIVE:
            ctx, expert_id = self.ctx, expert.id
            self.write(lambda: experts.reactivate_expert(ctx, expert_id=expert_id))

    def import_excel(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "从Excel导入专家", "", "Excel 工作簿 (*.xlsx)")
        if not path:
            return
        ctx = self.ctx

        def done(result: Any) -> None:
            self.show_message(
                f"已从“{Path(path).name}”导入 {result.rows} 行：新增专家 {result.created} 名，"
                f"更新 {result.updated} 名。"
            )

        self.write(
            lambda: import_experts(ctx, path=Path(path)),
            done=done,
            kinds=frozenset({"review", "organizations", "people"}),
            busy=f"正在导入“{Path(path).name}”…",
            on_error=self.write_failed_long,
        )

    def write_failed_long(self, text: str) -> None:
        inform(self, "未能导入", text, error=True)

    def add_relation(self) -> None:
        expert = self.selected()
        if expert is not None:
            self.open_dialog(RelationDialog(self, self.ctx, expert))

    def withdraw_relation(self) -> None:
        relation = selected_object(self.relations_table)
        if not isinstance(relation, RelationView) or not relation.active:
            return
        ctx, rid = self.ctx, relation.id
        self.open_dialog(
            ReasonDialog(
                self,
                "撤销关系记录",
                f"撤销“{relation.kind_label}：{relation.organization_name}”（记录保留，标为已撤销）。",
                "撤销(&O)",
                lambda reason: experts.withdraw_relation(ctx, relation_id=rid, reason=reason),
            )
        )

    def add_avoid(self) -> None:
        did = self.declaration.currentData()
        if did is None:
            return
        pool = [e for e in (self.data.pool if self.data else []) if e.status == experts.ACTIVE]
        name = self.declaration.itemData(self.declaration.currentIndex(), Qt.ItemDataRole.ToolTipRole)
        self.open_dialog(
            AvoidDialog(
                self,
                self.ctx,
                declaration_id=did,
                declaration_name=str(name),
                pool=pool,
                chosen=self.selected(),
            )
        )

    def withdraw_avoid(self) -> None:
        line = selected_object(self.avoid_table)
        if not isinstance(line, AvoidView):
            return
        ctx, aid = self.ctx, line.id
        self.open_dialog(
            ReasonDialog(
                self,
                "撤销回避名单中的专家",
                f"将{line.expert_name}移出申报单位的回避名单（记录保留）。",
                "撤销(&O)",
                lambda reason: experts.withdraw_avoid_expert(ctx, avoid_id=aid, reason=reason),
            )
        )
