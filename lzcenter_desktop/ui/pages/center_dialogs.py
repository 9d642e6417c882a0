"""The 中心 page's dialog 修改中心信息 (master data, with the reason kept in the audit).

It writes through :func:`lzcenter_desktop.ui.ops.write_op` (the dialogs of ``ui/review/common``):
the service decides — a refusal stays in the dialog as the service's Chinese message; Ctrl+S saves;
Esc (or 取消) with something typed asks before the edits are thrown away. The state changes of
第五章 (整改, 整改验收, 撤销, 自动放弃) are not made here: they follow from an evaluation's result
on the 绩效评估 page (第二十四条).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QGridLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from lzcenter_desktop.services import centers
from lzcenter_desktop.services.centers import UPDATE_REASON_MAX, CenterEdit
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.ui import ops, style
from lzcenter_desktop.ui.review.common import FormDialog, ask, note_label
from lzcenter_desktop.ui.review.stale_form import StaleAwareForm

#: what a write of these dialogs changes (the 评审 and 文档 pages watch centres too)
CENTER_KINDS = frozenset({"centers"})
NOT_IN_CATALOG = "（不在重点产业目录中）"
INDUSTRY_COLUMNS = 5


class _AsksBeforeDiscarding(FormDialog):
    """Esc, 取消 and closing ask first when something was typed (:meth:`dirty`)."""

    def dirty(self) -> bool:
        raise NotImplementedError

    def reject(self) -> None:
        if self.running or not self.dirty():
            super().reject()
            return
        ask(
            self,
            "放弃修改",
            "已填写的内容还没有保存，要放弃这些修改吗？",
            yes="放弃修改(&D)",
            no="继续编辑(&K)",
            on_yes=lambda: QDialog.reject(self),
        )


def _caption(text: str, buddy: QWidget, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setBuddy(buddy)
    return label


class CenterEditDialog(StaleAwareForm, _AsksBeforeDiscarding):
    """修改中心信息: 中心名称 (第二十六条, checked as it is typed), 英文名称, 研发方向, 重点产业领域 and
    the required 修改原因. Only what differs from the stored values is sent to
    :func:`services.centers.update_center`; ``on_done`` gets the names of the changed fields."""

    def __init__(
        self,
        parent: QWidget | None,
        ctx: AppContext,
        edit: CenterEdit,
        *,
        on_done: Callable[[Any], None] | None = None,
    ) -> None:
        super().__init__(parent, "修改中心信息", "保存(&S)", kinds=CENTER_KINDS, on_done=on_done)
        self.setObjectName("centerEditDialog")
        self.ctx = ctx
        self.edit = edit

        intro = note_label(
            f"当前状态：{edit.state}。修改记入审计日志，须填写修改原因；Ctrl+S 保存，Esc 取消。", self
        )
        self.form.addRow(intro)
        self.name_zh = QLineEdit(edit.name_zh, self)
        self.name_zh.setObjectName("nameZh")
        self.name_zh.setMaxLength(200)
        self.name_zh.setPlaceholderText("柳州××工程技术研究中心（依托单位名称）")
        self.form.addRow(_caption("中心名称(&N)：", self.name_zh, self), self.name_zh)
        self.name_problem = QLabel(self)
        self.name_problem.setObjectName("nameProblem")
        self.name_problem.setWordWrap(True)
        self.name_problem.setStyleSheet(style.ERROR_STYLE)
        self.name_problem.hide()
        self.form.addRow("", self.name_problem)
        self.name_en = QLineEdit(edit.name_en, self)
        self.name_en.setObjectName("nameEn")
        self.name_en.setMaxLength(400)
        self.name_en.setPlaceholderText("Liuzhou×× Research Center of Engineering Technology（…）")
        self.form.addRow(_caption("英文名称(&G)：", self.name_en, self), self.name_en)
        if edit.name_locked:
            for field in (self.name_zh, self.name_en):
                field.setReadOnly(True)
                field.setToolTip(edit.name_locked)
            locked = note_label(edit.name_locked, self)
            locked.setObjectName("nameLocked")
            self.form.addRow("", locked)

        self.research = QLineEdit(edit.research_direction, self)
        self.research.setObjectName("research")
        self.research.setMaxLength(500)
        self.form.addRow(_caption("研发方向(&R)：", self.research, self), self.research)

        # Every industry visible at once, INDUSTRY_COLUMNS to a line: a check box each (Space ticks).
        self.industries = QWidget(self)
        self.industries.setObjectName("industries")
        grid = QGridLayout(self.industries)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(14)
        choices = list(edit.industry_choices)
        extra = [i for i in edit.industries if i not in choices]
        self.industry_boxes: dict[str, QCheckBox] = {}
        lines = -(-len(choices) // INDUSTRY_COLUMNS)
        for n, name in enumerate([*choices, *extra]):
            box = QCheckBox(name + (NOT_IN_CATALOG if name in extra else ""), self.industries)
            box.setChecked(name in edit.industries)
            self.industry_boxes[name] = box
            if name in extra:  # below the list, a line each (the mark is long)
                grid.addWidget(box, lines + n - len(choices), 0, 1, INDUSTRY_COLUMNS)
            else:
                grid.addWidget(box, *divmod(n, INDUSTRY_COLUMNS))
        first = next(iter(self.industry_boxes.values()), self.industries)
        self.form.addRow(_caption("重点产业领域(&I)：", first, self), self.industries)
        self.form.addRow("", note_label("勾选（空格键）一个或多个；原有的第一项仍为主要领域。", self))

        self.reason = QLineEdit(self)
        self.reason.setObjectName("reason")
        self.reason.setMaxLength(UPDATE_REASON_MAX)
        self.reason.setPlaceholderText(f"必填，最多 {UPDATE_REASON_MAX} 个字，例如：依托单位更名，依据……")
        self.form.addRow(_caption("修改原因(&Y)：", self.reason, self), self.reason)

        for field in (self.name_zh, self.name_en, self.research):
            field.setCursorPosition(0)  # a long name shows its beginning
        self.name_zh.textChanged.connect(self._check_name)
        self.resize(760, self.sizeHint().height())

    # -- the values ----------------------------------------------------------------------------
    def checked_industries(self) -> list[str]:
        """The ticked industries: those kept in their stored order, then the new ones in list order."""
        ticked = [name for name, box in self.industry_boxes.items() if box.isChecked()]
        kept = [i for i in self.edit.industries if i in ticked]
        return kept + [i for i in ticked if i not in kept]

    def industry_texts(self) -> list[str]:
        """The check boxes' texts, in the order shown."""
        return [box.text() for box in self.industry_boxes.values()]

    def set_industries(self, names: list[str]) -> None:
        for name, box in self.industry_boxes.items():
            box.setChecked(name in names)

    def changes(self) -> dict[str, Any]:
        """The keyword arguments of :func:`update_center` for the fields that differ."""
        out: dict[str, Any] = {}
        e = self.edit
        if self.name_zh.text().strip() != e.name_zh:
            out["name_zh"] = self.name_zh.text()
        if self.name_en.text().strip() != e.name_en:
            out["name_en"] = self.name_en.text()
        if self.research.text().strip() != e.research_direction:
            out["research_direction"] = self.research.text()
        industries = self.checked_industries()
        if tuple(industries) != e.industries:
            out["industries"] = industries
        return out

    def dirty(self) -> bool:
        return bool(self.changes()) or bool(self.reason.text().strip())

    def _check_name(self, text: str) -> None:
        problem = ""
        if text.strip() != self.edit.name_zh:
            try:
                centers.check_center_name(text)
            except ServiceError as exc:
                problem = exc.message
        self.name_problem.setText(problem)
        self.name_problem.setVisible(bool(problem))

    # -- FormDialog ----------------------------------------------------------------------------
    def action(self) -> Callable[[], Any]:
        changes = self.changes()
        if not changes:
            raise ServiceError("没有修改任何内容，不需要保存；按 Esc 关闭", field="中心")
        reason = self.reason.text().strip()
        if not reason:
            self.reason.setFocus()
            raise ServiceError("请填写修改原因：它与本次修改一起记入审计日志", field="修改原因")
        ctx, center_id, version = self.ctx, self.edit.center_id, self.edit.version
        return lambda: centers.update_center(
            ctx, center_id=center_id, reason=reason, expected_version=version, **changes
        )

    # -- saved by someone else meanwhile (ui/dialogs/stale.py) ---------------------------------
    def shown_values(self) -> dict[str, str]:
        """The fields as typed, by their Chinese labels (the 比较 table's 我的修改)."""
        return {
            "中心名称": self.name_zh.text().strip(),
            "英文名称": self.name_en.text().strip(),
            "研发方向": self.research.text().strip(),
            "重点产业领域": "、".join(self.checked_industries()),
        }

    def stored_reader(self) -> Callable[[], Mapping[str, str]]:
        ctx, center_id = self.ctx, self.edit.center_id
        return lambda: stored_values(centers.center_for_edit(ctx, center_id))

    def reload(self) -> None:
        """Drop the edit: show the centre as stored now (its new version), the reason emptied."""
        ctx, center_id = self.ctx, self.edit.center_id
        ops.query_op(
            lambda: centers.center_for_edit(ctx, center_id),
            parent=self,
            key=f"center-edit-reload:{id(self)}",
            on_success=self.show_edit,
        )

    def show_edit(self, edit: CenterEdit) -> None:
        self.edit = edit
        self.name_zh.setText(edit.name_zh)
        self.name_en.setText(edit.name_en)
        self.research.setText(edit.research_direction)
        self.set_industries(list(edit.industries))
        self.reason.clear()
        self.show_reloaded()


def stored_values(edit: CenterEdit) -> dict[str, str]:
    """A centre's stored master data by the labels of :meth:`CenterEditDialog.shown_values`."""
    return {
        "中心名称": edit.name_zh,
        "英文名称": edit.name_en,
        "研发方向": edit.research_direction,
        "重点产业领域": "、".join(edit.industries),
    }
