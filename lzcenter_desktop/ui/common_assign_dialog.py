"""What the dialogs assigning an expert by hand — to a declaration on the 评审 page's 分组与抽取 tab
(``ui/review/panel_dialogs.py``), to a participating centre on the 绩效评估 page's 专家与评分 tab
(``ui/evaluation/expert_dialogs.py``) — share: a labelled form row, the two combo boxes (what the
expert is assigned to, and the expert), the line naming the 回避 found, and the 强制分配理由 field,
hidden until the service refuses a conflict that may be overridden (computed from the registry, not
declared), whose reason is then recorded."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtWidgets import QComboBox, QLabel, QPlainTextEdit, QWidget

from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.ui import style
from lzcenter_desktop.ui.review.common import FormDialog

ASSIGN_TEXT = "分配(&O)"
OVERRIDE_TEXT = "强制分配(&O)"


def form_row(dialog: FormDialog, text: str, widget: QWidget) -> None:
    """A row of the dialog's form: ``widget`` with the label ``text`` (its mnemonic focuses it)."""
    label = QLabel(text, dialog)
    label.setBuddy(widget)
    dialog.form.addRow(label, widget)


def fill_combo(box: QComboBox, items: Iterable[tuple[str, Any]]) -> None:
    """Put (text, data) ``items`` into ``box``, keeping the chosen data when it is still there,
    without emitting its change signals."""
    current = box.currentData()
    box.blockSignals(True)
    box.clear()
    for text, data in items:
        box.addItem(text, data)
    if current is not None and box.findData(current) >= 0:
        box.setCurrentIndex(box.findData(current))
    box.blockSignals(False)


def show_conflicts(label: QLabel, found: list[Any], none_text: str) -> None:
    """The 回避 ``found`` (each with a ``reason``) in red, or ``none_text`` when there are none."""
    if not found:
        label.setText(none_text)
        label.setStyleSheet("")
    else:
        label.setText("回避情形：" + "；".join(v.reason for v in found))
        label.setStyleSheet(style.ERROR_STYLE)


class AssignForm:
    """The fields of an assignment dialog: ``target`` (what the expert is assigned to, labelled
    ``target_text``), :attr:`expert`, :attr:`conflicts` and the hidden 强制分配理由
    (:attr:`override`, :attr:`override_label`). ``fill`` runs when the target changes,
    ``expert_changed`` when the expert does."""

    def __init__(
        self,
        dialog: FormDialog,
        target_text: str,
        target: QComboBox,
        *,
        width: int,
        fill: Callable[[], None],
        expert_changed: Callable[[], None],
    ) -> None:
        self.dialog = dialog
        self.expert = QComboBox(dialog)
        self.expert.setObjectName("expert")
        self.expert.setMinimumContentsLength(width)
        self.conflicts = QLabel(dialog)
        self.conflicts.setObjectName("conflicts")
        self.conflicts.setWordWrap(True)
        self.override = QPlainTextEdit(dialog)
        self.override.setObjectName("overrideReason")
        self.override.setTabChangesFocus(True)
        self.override.setMaximumHeight(dialog.fontMetrics().height() * 4)
        self.override.setPlaceholderText("根据登记信息判断的回避情形，如确需分配，请写明理由（记入审计记录）")
        self.override_label = QLabel("强制分配理由(&R)：", dialog)
        self.override_label.setBuddy(self.override)
        form_row(dialog, target_text, target)
        form_row(dialog, "专家(&E)：", self.expert)
        dialog.form.addRow(self.conflicts)
        dialog.form.addRow(self.override_label, self.override)
        self.override.hide()
        self.override_label.hide()
        target.currentIndexChanged.connect(lambda _i: fill())
        self.expert.currentIndexChanged.connect(lambda _i: expert_changed())
        dialog.resize(max(dialog.width(), 620), dialog.sizeHint().height())

    def reset(self) -> None:
        """Another choice: the override hidden again, the plain 分配 button, no error."""
        self.override.hide()
        self.override_label.hide()
        self.dialog.ok_button.setText(ASSIGN_TEXT)
        self.dialog.error.hide()

    def reason(self) -> str | None:
        """The override reason when the field is shown (refused when blank), else None."""
        if not self.override.isVisible():
            return None
        reason = self.override.toPlainText().strip()
        if not reason:
            raise ServiceError("请填写强制分配理由", field="强制分配理由")
        return reason

    def offer_override(self, exc: BaseException, overridable: bool) -> None:
        """After a refusal: show the override field when every conflict may be overridden."""
        if isinstance(exc, ServiceError) and overridable and not self.override.isVisible():
            self.override.show()
            self.override_label.show()
            self.dialog.ok_button.setText(OVERRIDE_TEXT)
            self.override.setFocus()
            self.dialog.fit()
