"""修改专家 (专家库) with optimistic locking: the form saves with the version of the expert it showed;
when another clerk saved the expert meanwhile the 该记录已被他人修改 box opens (ui/dialogs/stale.py)
— 比较 shows the typed fields beside the stored ones, 重新载入 shows the stored expert (and its new
version), 取消 keeps editing. Nothing is saved in any case."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from lzcenter_desktop.services.review import experts
from lzcenter_desktop.services.review.dto import ExpertView
from lzcenter_desktop.ui import ops
from lzcenter_desktop.ui.review.expert_dialogs import ExpertDialog
from lzcenter_desktop.ui.review.stale_form import StaleAwareForm

FIELD_LABELS = ("姓名", "单位", "统一社会信用代码", "专业领域", "职称", "电话", "邮箱", "重点产业")


def stored_values(view: ExpertView) -> dict[str, str]:
    """An expert as stored, by the labels of :meth:`ExpertEditDialog.shown_values`."""
    values = (
        view.name,
        view.unit,
        view.credit_code or "",
        view.specialty,
        view.title or "",
        view.phone or "",
        view.email or "",
        view.industries,
    )
    return dict(zip(FIELD_LABELS, values, strict=True))


class ExpertEditDialog(ExpertDialog, StaleAwareForm):
    """Change one expert's details (the pool's 修改…); ``expert`` is the row as listed."""

    def field_widgets(self) -> tuple[Any, ...]:
        """The form's fields in the order of :data:`FIELD_LABELS`."""
        return (
            self.name,
            self.unit,
            self.code,
            self.specialty,
            self.title_edit,
            self.phone,
            self.email,
            self.industries,
        )

    def shown_values(self) -> dict[str, str]:
        widgets = self.field_widgets()
        return dict(zip(FIELD_LABELS, (w.text().strip() for w in widgets), strict=True))

    def stored_reader(self) -> Callable[[], Mapping[str, str]] | None:
        assert self.expert is not None
        ctx, expert_id = self.ctx, self.expert.id
        return lambda: stored_values(experts.get_expert(ctx, expert_id))

    def reload(self) -> None:
        assert self.expert is not None
        ctx, expert_id = self.ctx, self.expert.id
        ops.query_op(
            lambda: experts.get_expert(ctx, expert_id),
            parent=self,
            key=f"expert-edit-reload:{id(self)}",
            on_success=self.show_expert,
        )

    def show_expert(self, view: ExpertView) -> None:
        """Show the stored expert; the next save starts from its version."""
        self.expert = view
        self.setWindowTitle(f"修改专家：{view.name}")
        shown = stored_values(view)
        widgets = self.field_widgets()
        for label, widget in zip(FIELD_LABELS, widgets, strict=True):
            widget.setText(shown[label])
        self.show_reloaded()
