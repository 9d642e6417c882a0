"""分组与抽取: the panels (专业分组) of the chosen review session, the declarations on each, its
experts — drawn at random with the seed shown, or picked by hand — and the assignment of experts to
declarations: by hand (回避 refused with the service's reason, a computed conflict overridable with
a reason) or 自动分配 (balanced, respecting 回避 and load)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGroupBox, QLabel, QSpinBox, QSplitter, QVBoxLayout

from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.review import assignments, formal, panels
from lzcenter_desktop.services.review.dto import AssignmentView, DrawResult, PanelMemberView, PanelView
from lzcenter_desktop.ui import style
from lzcenter_desktop.ui.models.base import Column, RowTableModel
from lzcenter_desktop.ui.review.common import (
    ReasonDialog,
    ReviewTab,
    button,
    button_row,
    note_label,
    select_where,
    selected_object,
    set_widths,
    table_view,
)
from lzcenter_desktop.ui.review.panel_dialogs import (
    AddDeclarationsDialog,
    AssignDialog,
    DrawDialog,
    PanelDialog,
    PickExpertDialog,
)

STATUS_LABELS = {"assigned": "待评分", "scored": "已评分", "recused": "已回避"}

PANEL_COLUMNS: tuple[Column[PanelView], ...] = (
    Column("评审组", lambda p: p.name),
    Column("专业领域", lambda p: p.field),
    Column("至少", lambda p: f"{p.min_experts} 人"),
    Column("专家", lambda p: f"{len(p.members)} 人"),
    Column("申报书", lambda p: f"{len(p.declaration_ids)} 份"),
    Column("抽取种子", lambda p: p.draw_seed or "（未抽取）"),
)

MEMBER_COLUMNS: tuple[Column[PanelMemberView], ...] = (
    Column("姓名", lambda m: m.name),
    Column("单位", lambda m: m.unit),
    Column("方式", lambda m: m.how_label),
)


@dataclass(frozen=True, slots=True)
class PanelDeclaration:
    declaration_id: int
    center_name: str


DECLARATION_COLUMNS: tuple[Column[PanelDeclaration], ...] = (
    Column("编号", lambda d: str(d.declaration_id)),
    Column("中心名称", lambda d: d.center_name),
)


def _assignment_colour(a: AssignmentView) -> QColor | None:
    if a.recused:
        return QColor(style.NOTE_COLOR)
    if a.override_reason:
        return QColor(style.WARNING_COLOR)
    return QColor(style.OK_COLOR) if a.status == "scored" else None


def _assignment_note(a: AssignmentView) -> str:
    if a.recused:
        return f"回避：{a.recusal_reason or ''}"
    if a.override_reason:
        return f"强制分配：{a.override_reason}（{a.recusal_reason or ''}）"
    return ""


ASSIGNMENT_COLUMNS: tuple[Column[AssignmentView], ...] = (
    Column("申报书", lambda a: f"{a.declaration_id} {a.center_name}", _assignment_colour),
    Column("专家", lambda a: a.expert_name, _assignment_colour),
    Column("方式", lambda a: panels.HOW_LABELS.get(a.how, a.how), _assignment_colour),
    Column("状态", lambda a: STATUS_LABELS.get(a.status, a.status), _assignment_colour),
    Column("说明", _assignment_note, _assignment_colour),
)


@dataclass(frozen=True, slots=True)
class PanelsData:
    panels: list[PanelView]
    assignments: list[AssignmentView]
    names: dict[int, str]  # declaration id → centre name (those 形式审查 decided)
    passed: list[int]  # passed by 形式审查 (latest decision), in id order


def read_panels(ctx: AppContext, call_id: int, session_id: int) -> PanelsData:
    results = formal.formal_results(ctx, call_id=call_id)
    elsewhere = {  # on a panel of another session of the call: reviewed (or being reviewed) there
        did
        for s in panels.list_sessions(ctx, call_id=call_id)
        if s.id != session_id
        for p in panels.list_panels(ctx, session_id=s.id)
        for did in p.declaration_ids
    }
    return PanelsData(
        panels=panels.list_panels(ctx, session_id=session_id),
        assignments=assignments.list_assignments(ctx, session_id=session_id),
        names={r.declaration_id: r.center_name for r in results},
        passed=sorted(
            r.declaration_id
            for r in results
            if r.conclusion == formal.DECISION_LABELS["passed"] and r.declaration_id not in elsewhere
        ),
    )


class PanelsTab(ReviewTab):
    title = "分组与抽取"
    needs_session = True

    def __init__(self, page: Any) -> None:
        super().__init__(page)
        self.data: PanelsData | None = None
        self.last_draw: DrawResult | None = None
        self.new_panel_button = button("新建分组(&G)…", self)
        self.edit_panel_button = button("修改分组…", self)
        self.new_panel_button.clicked.connect(self.new_panel)
        self.edit_panel_button.clicked.connect(self.edit_panel)
        self.model: RowTableModel[PanelView] = RowTableModel(PANEL_COLUMNS, parent=self)
        self.table = table_view(self.model, self, name="panels", stretch=5)
        set_widths(self.table, (8, 5, 3, 3, 3))
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._panel_selected())
        panels_box = QGroupBox("评审组", self)
        box = QVBoxLayout(panels_box)
        box.addWidget(self.table, 1)
        box.addLayout(button_row(self.new_panel_button, self.edit_panel_button))

        self.decl_model: RowTableModel[PanelDeclaration] = RowTableModel(DECLARATION_COLUMNS, parent=self)
        self.decl_table = table_view(self.decl_model, self, name="panelDeclarations", stretch=1)
        set_widths(self.decl_table, (3,))
        self.add_decl_button = button("添加申报书(&B)…", self)
        self.remove_decl_button = button("移出…", self)
        self.add_decl_button.clicked.connect(self.add_declarations)
        self.remove_decl_button.clicked.connect(self.remove_declaration)
        self.decl_table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        decl_box = QGroupBox("本组申报书", self)
        box = QVBoxLayout(decl_box)
        box.addWidget(self.decl_table, 1)
        box.addLayout(button_row(self.add_decl_button, self.remove_decl_button))

        self.member_model: RowTableModel[PanelMemberView] = RowTableModel(MEMBER_COLUMNS, parent=self)
        self.member_table = table_view(self.member_model, self, name="panelMembers", stretch=1)
        set_widths(self.member_table, (4, 0, 5))
        self.draw_button = button("随机抽取(&D)…", self, tip="按回避规则从专家库随机抽取，记录抽取种子")
        self.pick_button = button("指定专家(&K)…", self)
        self.remove_member_button = button("移出…", self)
        self.draw_button.clicked.connect(self.draw)
        self.pick_button.clicked.connect(self.pick_expert)
        self.remove_member_button.clicked.connect(self.remove_member)
        self.member_table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.seed_label = note_label("", self)
        self.seed_label.setObjectName("seedLabel")
        self.seed_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        member_box = QGroupBox("本组专家", self)
        box = QVBoxLayout(member_box)
        box.addWidget(self.member_table, 1)
        box.addWidget(self.seed_label)
        box.addLayout(button_row(self.draw_button, self.pick_button, self.remove_member_button))

        self.assign_model: RowTableModel[AssignmentView] = RowTableModel(ASSIGNMENT_COLUMNS, parent=self)
        self.assign_table = table_view(self.assign_model, self, name="assignments", stretch=0)
        set_widths(self.assign_table, (0, 5, 6, 4, 24))
        self.assign_button = button(
            "分配专家(&M)…", self, tip="人工指定一名专家评审一份申报书（须回避的将被拒绝）"
        )
        self.per_declaration = QSpinBox(self)
        self.per_declaration.setObjectName("perDeclaration")
        self.per_declaration.setRange(panels.MIN_EXPERTS, panels.MAX_EXPERTS)
        self.per_declaration.setSuffix(" 人")
        per_label = QLabel("每份(&P)", self)
        per_label.setBuddy(self.per_declaration)
        self.auto_button = button("自动分配(&U)", self, tip="本组专家均衡分配到本组每份申报书，避开回避情形")
        self.recuse_button = button("回避…", self, tip="所选专家回避这份申报书（记录保留）")
        self.assign_button.clicked.connect(self.assign)
        self.auto_button.clicked.connect(self.auto_assign)
        self.recuse_button.clicked.connect(self.recuse)
        self.assign_table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        assign_box = QGroupBox("评审分配", self)
        self.assign_box = assign_box
        box = QVBoxLayout(assign_box)
        box.addWidget(self.assign_table, 1)
        box.addLayout(
            button_row(
                self.assign_button, per_label, self.per_declaration, self.auto_button, self.recuse_button
            )
        )

        top = QSplitter(Qt.Orientation.Horizontal, self)
        for w in (panels_box, decl_box, member_box):
            top.addWidget(w)
        top.setChildrenCollapsible(False)
        top.setSizes([460, 280, 360])
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(top)
        split.addWidget(assign_box)
        split.setChildrenCollapsible(False)
        split.setSizes([260, 260])
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addWidget(self.message)
        self._update_buttons()

    # -- reading -------------------------------------------------------------------------------
    def reader(self) -> Callable[[], PanelsData] | None:
        call_id, session_id = self.page.call_id, self.page.session_id
        if call_id is None or session_id is None:
            return None
        ctx = self.ctx
        return lambda: read_panels(ctx, call_id, session_id)

    def clear(self) -> None:
        self.data = None
        self.model.set_rows([])
        self._panel_selected()

    def show_data(self, data: PanelsData) -> None:
        current = self.selected()
        self.data = data
        self.model.set_rows(data.panels)
        found = current is not None and select_where(self.table, lambda p: p.id == current.id)
        if not found and data.panels:
            self.table.selectRow(0)
        self._panel_selected()

    def selected(self) -> PanelView | None:
        p = selected_object(self.table)
        return p if isinstance(p, PanelView) else None

    def _panel_selected(self) -> None:
        panel = self.selected()
        names = self.data.names if self.data is not None else {}
        if panel is None:
            self.decl_model.set_rows([])
            self.member_model.set_rows([])
            self.assign_model.set_rows([])
            self.seed_label.setText("")
            self._update_buttons()
            return
        self.decl_model.set_rows([PanelDeclaration(did, names.get(did, "")) for did in panel.declaration_ids])
        self.member_model.set_rows(list(panel.members))
        drawn = sum(1 for m in panel.members if m.how == "drawn")
        self.seed_label.setText(
            f"抽取种子：{panel.draw_seed}（随机抽取 {drawn} 人）" if panel.draw_seed else "尚未随机抽取。"
        )
        rows = [a for a in (self.data.assignments if self.data else []) if a.panel_id == panel.id]
        current = selected_object(self.assign_table)
        self.assign_model.set_rows(rows)
        if isinstance(current, AssignmentView):
            select_where(self.assign_table, lambda a: a.id == current.id)
        self.assign_box.setTitle(f"评审分配（{panel.name}：{len([a for a in rows if not a.recused])} 项）")
        self.per_declaration.setMinimum(panel.min_experts)
        if self.per_declaration.value() < panel.min_experts:
            self.per_declaration.setValue(panel.min_experts)
        self._update_buttons()

    def _update_buttons(self) -> None:
        has_session = self.page.session_id is not None
        open_session = has_session and not self.page.session_closed()
        panel = self.selected()
        self.new_panel_button.setEnabled(open_session)
        for b in (self.edit_panel_button, self.add_decl_button, self.draw_button, self.pick_button):
            b.setEnabled(open_session and panel is not None)
        self.remove_decl_button.setEnabled(open_session and selected_object(self.decl_table) is not None)
        self.remove_member_button.setEnabled(open_session and selected_object(self.member_table) is not None)
        has_decls = panel is not None and bool(panel.declaration_ids)
        self.assign_button.setEnabled(open_session and has_decls)
        self.auto_button.setEnabled(open_session and has_decls)
        chosen = selected_object(self.assign_table)
        self.recuse_button.setEnabled(
            open_session and isinstance(chosen, AssignmentView) and not chosen.recused
        )

    # -- actions -------------------------------------------------------------------------------
    def new_panel(self) -> None:
        if self.page.session_id is not None:
            self.open_dialog(PanelDialog(self, self.ctx, session_id=self.page.session_id))

    def edit_panel(self) -> None:
        panel = self.selected()
        if panel is not None:
            self.open_dialog(PanelDialog(self, self.ctx, session_id=panel.session_id, panel=panel))

    def free_declarations(self) -> list[tuple[int, str]]:
        if self.data is None:
            return []
        taken = {did for p in self.data.panels for did in p.declaration_ids}
        return [(did, self.data.names.get(did, "")) for did in self.data.passed if did not in taken]

    def add_declarations(self) -> None:
        panel = self.selected()
        if panel is not None:
            self.open_dialog(AddDeclarationsDialog(self, self.ctx, panel, self.free_declarations()))

    def remove_declaration(self) -> None:
        panel, row = self.selected(), selected_object(self.decl_table)
        if panel is None or not isinstance(row, PanelDeclaration):
            return
        ctx, pid, did = self.ctx, panel.id, row.declaration_id
        self.open_dialog(
            ReasonDialog(
                self,
                "移出本组",
                f"把“{row.center_name}”移出“{panel.name}”（已分配专家的须先回避）。",
                "移出(&O)",
                lambda reason: panels.remove_panel_declaration(
                    ctx, panel_id=pid, declaration_id=did, reason=reason
                ),
            )
        )

    def draw(self) -> None:
        panel = self.selected()
        if panel is not None:
            self.open_dialog(DrawDialog(self, self.ctx, panel, on_done=self._drawn))

    def _drawn(self, result: DrawResult) -> None:
        self.last_draw = result
        self.show_message(
            f"已随机抽取 {len(result.expert_ids)} 名专家（符合条件的专家 {result.eligible} 名），"
            f"抽取种子：{result.seed}"
        )

    def pick_expert(self) -> None:
        panel = self.selected()
        if panel is not None:
            self.open_dialog(PickExpertDialog(self, self.ctx, panel))

    def remove_member(self) -> None:
        panel, member = self.selected(), selected_object(self.member_table)
        if panel is None or not isinstance(member, PanelMemberView):
            return
        ctx, pid, eid = self.ctx, panel.id, member.expert_id
        self.open_dialog(
            ReasonDialog(
                self,
                "移出本组专家",
                f"把{member.name}移出“{panel.name}”（有评审分配的须先回避）。",
                "移出(&O)",
                lambda reason: panels.remove_panel_member(ctx, panel_id=pid, expert_id=eid, reason=reason),
            )
        )

    def assign(self) -> None:
        panel, session_id = self.selected(), self.page.session_id
        if panel is None or session_id is None:
            return
        row = selected_object(self.decl_table)
        did = row.declaration_id if isinstance(row, PanelDeclaration) else None
        names = self.data.names if self.data is not None else {}
        self.open_dialog(
            AssignDialog(self, self.ctx, panel, session_id=session_id, names=names, declaration_id=did)
        )

    def auto_assign(self) -> None:
        panel = self.selected()
        if panel is None:
            return
        ctx, pid, per = self.ctx, panel.id, self.per_declaration.value()
        self.write(
            lambda: assignments.auto_assign(ctx, panel_id=pid, per_declaration=per),
            done=lambda new: self.show_message(
                f"已自动分配 {len(new)} 项评审任务（每份申报书 {per} 名专家）。"
                if new
                else f"每份申报书已有 {per} 名专家，无需再分配。"
            ),
            busy="正在自动分配…",
        )

    def recuse(self) -> None:
        chosen = selected_object(self.assign_table)
        if not isinstance(chosen, AssignmentView) or chosen.recused:
            return
        ctx, aid = self.ctx, chosen.id
        self.open_dialog(
            ReasonDialog(
                self,
                "专家回避",
                f"{chosen.expert_name}回避“{chosen.center_name}”（分配记录保留，标为已回避）。",
                "回避(&O)",
                lambda reason: assignments.recuse_assignment(ctx, assignment_id=aid, reason=reason),
            )
        )
