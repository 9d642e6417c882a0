"""The dialogs of the 分组与抽取 tab: a panel, declarations for a panel, the random draw, experts
picked by hand, and the assignment of an expert to a declaration (回避 refused with the service's
reason; a computed conflict may be overridden with a recorded reason)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QWidget,
)

from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.review import assignments, panels
from lzcenter_desktop.services.review.dto import CandidateView, PanelView
from lzcenter_desktop.ui import ops
from lzcenter_desktop.ui.common_assign_dialog import AssignForm, fill_combo, form_row, show_conflicts
from lzcenter_desktop.ui.models.base import Column, RowTableModel
from lzcenter_desktop.ui.review.common import (
    FormDialog,
    error_text,
    note_label,
    selected_object,
    set_widths,
    table_view,
)


class PanelDialog(FormDialog):
    """A 专业分组 of the session (new, or its name, field and minimum changed)."""

    def __init__(
        self, parent: QWidget, ctx: AppContext, *, session_id: int, panel: PanelView | None = None
    ) -> None:
        super().__init__(parent, "新建评审组" if panel is None else "修改评审组", "保存(&O)")
        self.ctx = ctx
        self.session_id = session_id
        self.panel = panel
        self.name = QLineEdit(panel.name if panel else "", self)
        self.name.setObjectName("name")
        self.name.setPlaceholderText("如 第一组（先进制造）")
        self.name.setMinimumWidth(self.fontMetrics().horizontalAdvance("中") * 20)
        self.field = QLineEdit(panel.field if panel else "", self)
        self.field.setObjectName("field")
        self.field.setPlaceholderText("如 汽车、机械、智能制造")
        self.minimum = QSpinBox(self)
        self.minimum.setObjectName("minExperts")
        self.minimum.setRange(panels.MIN_EXPERTS, panels.MAX_EXPERTS)
        self.minimum.setValue(panel.min_experts if panel else 5)
        self.minimum.setSuffix(" 人")
        form_row(self, "分组名称(&N)：", self.name)
        form_row(self, "专业领域(&F)：", self.field)
        form_row(self, "最少专家人数(&M)：", self.minimum)
        self.form.addRow(note_label("每组至少 3 名专家；去掉最高分和最低分后平均须至少 5 名专家评分。", self))

    def action(self) -> Callable[[], Any]:
        ctx, name, field, minimum = self.ctx, self.name.text(), self.field.text(), self.minimum.value()
        if self.panel is None:
            sid = self.session_id
            return lambda: panels.create_panel(
                ctx, session_id=sid, name=name, field=field, min_experts=minimum
            )
        pid = self.panel.id
        return lambda: panels.update_panel(ctx, panel_id=pid, name=name, field=field, min_experts=minimum)


class AddDeclarationsDialog(FormDialog):
    """Tick the declarations (passed by 形式审查, on no panel of the session) to put on the panel."""

    def __init__(
        self, parent: QWidget, ctx: AppContext, panel: PanelView, free: list[tuple[int, str]]
    ) -> None:
        super().__init__(parent, f"分到“{panel.name}”的申报书", "加入本组(&O)")
        self.ctx = ctx
        self.panel = panel
        self.items = QListWidget(self)
        self.items.setObjectName("declarations")
        for did, name in free:
            item = QListWidgetItem(f"{did}  {name}", self.items)
            item.setData(Qt.ItemDataRole.UserRole, did)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.items.setMinimumWidth(self.fontMetrics().horizontalAdvance("中") * 34)
        self.form.addRow(QLabel("通过形式审查、尚未分组的申报书（勾选后加入本组，空格键勾选）：", self))
        self.form.addRow(self.items)
        if not free:
            self.form.addRow(
                note_label("没有可分组的申报书：须先通过形式审查，且一份申报书只能在一个组。", self)
            )

    def checked(self) -> list[int]:
        out = []
        for i in range(self.items.count()):
            item = self.items.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(int(item.data(Qt.ItemDataRole.UserRole)))
        return out

    def check_all(self) -> None:
        for i in range(self.items.count()):
            self.items.item(i).setCheckState(Qt.CheckState.Checked)

    def action(self) -> Callable[[], Any]:
        ids = self.checked()
        if not ids:
            raise ServiceError("请勾选要分到本组的申报书", field="申报书")
        ctx, pid = self.ctx, self.panel.id
        return lambda: panels.add_panel_declarations(ctx, panel_id=pid, declaration_ids=ids)


class DrawDialog(FormDialog):
    """随机抽取: how many experts, and the seed (blank: a new random one, shown afterwards)."""

    def __init__(
        self, parent: QWidget, ctx: AppContext, panel: PanelView, on_done: Callable[[Any], None]
    ) -> None:
        super().__init__(parent, f"随机抽取专家：{panel.name}", "抽取(&O)", on_done=on_done)
        self.ctx = ctx
        self.panel = panel
        self.count = QSpinBox(self)
        self.count.setObjectName("count")
        self.count.setRange(panel.min_experts, panels.MAX_EXPERTS)
        self.count.setValue(panel.min_experts)
        self.count.setSuffix(" 人")
        self.seed = QLineEdit(self)
        self.seed.setObjectName("seed")
        self.seed.setPlaceholderText("留空则随机生成；填写上次的种子可复现同样的抽取")
        self.seed.setMinimumWidth(self.fontMetrics().horizontalAdvance("中") * 22)
        form_row(self, "抽取人数(&N)：", self.count)
        form_row(self, "抽取种子(&S)：", self.seed)
        self.form.addRow(
            note_label(
                "从专家库在库专家中抽取：不在本评审会其他组、与本组申报书均无回避情形。抽取种子记录在组上，"
                "同样的种子和专家库得到同样的结果。",
                self,
            )
        )

    def action(self) -> Callable[[], Any]:
        ctx, pid, count, seed = self.ctx, self.panel.id, self.count.value(), self.seed.text().strip() or None
        return lambda: panels.draw_experts(ctx, panel_id=pid, count=count, seed=seed)


def conflict_text(c: CandidateView, declaration_id: int | None = None) -> str:
    """``须回避：第 3 号 同一单位；…`` (for one declaration, or any of the panel's), or ``无``."""
    found = [(did, v) for did, v in c.conflicts if declaration_id is None or did == declaration_id]
    if not found:
        return "无"
    return "须回避：" + "；".join(f"第 {did} 号 {v.cause_label}" for did, v in found)


CANDIDATE_COLUMNS: tuple[Column[CandidateView], ...] = (
    Column("姓名", lambda c: c.name),
    Column("单位", lambda c: c.unit),
    Column("专业领域", lambda c: c.specialty),
    Column("回避情况（本组申报书）", conflict_text),
)


class _CandidateDialog(FormDialog):
    """A dialog that reads the panel's candidates (with their conflicts) when it opens."""

    def __init__(self, parent: QWidget, ctx: AppContext, panel: PanelView, title: str, ok: str) -> None:
        super().__init__(parent, title, ok)
        self.ctx = ctx
        self.panel = panel
        self.candidates: list[CandidateView] = []
        self.loading = True
        self.ok_button.setEnabled(False)
        pid = panel.id
        ops.query_op(
            lambda: panels.candidates(ctx, panel_id=pid),
            parent=self,
            key=f"candidates:{id(self)}",
            on_success=self._loaded,
            on_failure=self._load_failed,
        )

    def _load_failed(self, exc: BaseException) -> None:
        self.loading = False
        self.show_error(error_text(exc) or str(exc))

    def _loaded(self, found: list[CandidateView]) -> None:
        self.loading = False
        self.candidates = found
        self.ok_button.setEnabled(True)
        self.fill()

    def fill(self) -> None:
        raise NotImplementedError


class PickExpertDialog(_CandidateDialog):
    """人工指定: put an expert of the pool on the panel by hand."""

    def __init__(self, parent: QWidget, ctx: AppContext, panel: PanelView) -> None:
        super().__init__(parent, ctx, panel, f"指定专家：{panel.name}", "加入本组(&O)")
        self.model: RowTableModel[CandidateView] = RowTableModel(CANDIDATE_COLUMNS, parent=self)
        self.table = table_view(self.model, self, name="candidates", stretch=3)
        set_widths(self.table, (5, 12, 8))
        self.table.setMinimumSize(self.fontMetrics().horizontalAdvance("中") * 46, 260)
        self.table.doubleClicked.connect(lambda _i: self.submit())
        self.form.addRow(QLabel("专家库在库、未在本评审会其他组的专家：", self))
        self.form.addRow(self.table)
        self.form.addRow(note_label("有回避情形的专家仍可加入本组，但不会被分配评审其须回避的申报书。", self))

    def fill(self) -> None:
        self.model.set_rows([c for c in self.candidates if not c.on_panel])
        if self.model.rowCount():
            self.table.selectRow(0)

    def action(self) -> Callable[[], Any]:
        chosen = selected_object(self.table)
        if not isinstance(chosen, CandidateView):
            raise ServiceError("请选择专家", field="专家")
        ctx, pid, eid = self.ctx, self.panel.id, chosen.expert_id
        return lambda: panels.add_panel_member(ctx, panel_id=pid, expert_id=eid)


class AssignDialog(_CandidateDialog):
    """分配专家: an expert to a declaration of the panel. A conflicted assignment is refused by the
    service with its reason; when every conflict is computed from the registry (not declared) the
    clerk may override it with a reason, which is recorded."""

    def __init__(
        self,
        parent: QWidget,
        ctx: AppContext,
        panel: PanelView,
        *,
        session_id: int,
        names: dict[int, str],
        declaration_id: int | None = None,
    ) -> None:
        super().__init__(parent, ctx, panel, f"分配评审专家：{panel.name}", "分配(&O)")
        self.session_id = session_id
        self.declaration = QComboBox(self)
        self.declaration.setObjectName("declaration")
        for did in panel.declaration_ids:
            self.declaration.addItem(f"{did}  {names.get(did, '')}", did)
        if declaration_id is not None and self.declaration.findData(declaration_id) >= 0:
            self.declaration.setCurrentIndex(self.declaration.findData(declaration_id))
        self.declaration.setMinimumContentsLength(24)
        self.assign_form = AssignForm(
            self,
            "申报书(&B)：",
            self.declaration,
            width=24,
            fill=self.fill,
            expert_changed=self._expert_changed,
        )
        self.expert, self.conflicts = self.assign_form.expert, self.assign_form.conflicts
        self.override, self.override_label = self.assign_form.override, self.assign_form.override_label

    def fill(self) -> None:
        items = []
        for c in sorted(self.candidates, key=lambda c: (not c.on_panel, bool(self._conflicts(c)), c.name)):
            mark = "本组" if c.on_panel else "不在本组"
            conflict = "，须回避" if self._conflicts(c) else ""
            items.append((f"{c.name}（{c.unit or '单位未填'}；{mark}{conflict}）", c.expert_id))
        fill_combo(self.expert, items)
        self._expert_changed()

    def _conflicts(self, c: CandidateView) -> list[Any]:
        did = self.declaration.currentData()
        return [v for d, v in c.conflicts if d == did]

    def chosen(self) -> CandidateView | None:
        eid = self.expert.currentData()
        return next((c for c in self.candidates if c.expert_id == eid), None)

    def _expert_changed(self) -> None:
        c = self.chosen()
        found = self._conflicts(c) if c is not None else []
        show_conflicts(self.conflicts, found, "与所选申报书无回避情形。" if c is not None else "")
        self.assign_form.reset()

    def overridable(self) -> bool:
        c = self.chosen()
        found = self._conflicts(c) if c is not None else []
        return bool(found) and all(v.overridable for v in found)

    def action(self) -> Callable[[], Any]:
        c = self.chosen()
        did = self.declaration.currentData()
        if c is None or did is None:
            raise ServiceError("请选择申报书和专家", field="专家")
        reason = self.assign_form.reason()
        ctx, sid, eid = self.ctx, self.session_id, c.expert_id
        return lambda: assignments.assign_expert(
            ctx, session_id=sid, declaration_id=did, expert_id=eid, override_reason=reason
        )

    def _failed(self, exc: BaseException) -> None:
        super()._failed(exc)
        self.assign_form.offer_override(exc, self.overridable())
