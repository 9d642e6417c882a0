"""The import of an expert's return file (评分回执, ``.lzreview``) as the 评审 page's 专家评分 tab and
the 绩效评估 page's 专家与评分 tab both do it: check the file first on the read thread (nothing
written) and show what importing it would do — or why it cannot be imported — then import from the
dialog; a file saved after the scoring deadline needs a reason."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtWidgets import QDialog, QLabel, QPlainTextEdit, QWidget

from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.package_import_common import ReturnRefused
from lzcenter_desktop.ui import ops
from lzcenter_desktop.ui.dialogs.errors import report_exception
from lzcenter_desktop.ui.models.base import Column, RowTableModel
from lzcenter_desktop.ui.review.common import (
    REVIEW_KINDS,
    FormDialog,
    error_text,
    inform,
    note_label,
    set_widths,
    table_view,
)

R = TypeVar("R")


def import_return_file(
    owner_id: int | None, choose: Callable[[], str], check: Callable[[Path, int], None]
) -> None:
    """导入回执: when there is a session or round (``owner_id``), ``choose`` the file and ``check`` it
    (nothing when no file is chosen)."""
    if owner_id is None:
        return
    path = choose()
    if path:
        check(Path(path), owner_id)


def check_return_file(
    tab: Any, path: Path, check: Callable[[], R], dialog: Callable[[R | None, str], QDialog]
) -> None:
    """Check the return file ``path`` with ``check`` on the read thread (nothing written), then open
    ``dialog(report, "")`` with what the import would do; ``dialog(None, reason)`` when the scoring
    deadline is the only reason it is refused; otherwise say why it cannot be imported."""
    tab.show_message(f"正在检查“{path.name}”…", level="busy")

    def failed(exc: BaseException) -> None:
        tab.show_message("")
        if isinstance(exc, ReturnRefused) and exc.late_only:
            tab.open_dialog(dialog(None, exc.message))
            return
        text = error_text(exc)
        if text is None:
            report_exception(exc, tab)
            return
        inform(tab, "不能导入回执", text, error=True)

    def checked(report: Any) -> None:
        tab.show_message("")
        if report.duplicate:
            inform(tab, "回执已导入过", report.text())
            return
        tab.open_dialog(dialog(report, ""))

    tab.reads += 1
    task = ops.query_op(check, parent=tab, on_success=checked, on_failure=failed)
    task.finished.connect(tab._read_finished)


class ReturnImportDialogBase(FormDialog):
    """What a return file holds (``report``: its expert, where it belongs — ``place`` —, when it was
    saved and its sets in ``columns``) and what importing it does; a ``late`` file (the refusal's
    text) needs the override reason. Subclasses implement :meth:`action`."""

    report_type: type[Any] = object

    def __init__(
        self,
        parent: QWidget,
        ctx: AppContext,
        path: Path,
        report: Any | None,
        *,
        place: str,
        columns: Sequence[Column[Any]],
        stretch: int,
        widths: tuple[int, ...],
        note: str,
        late: str = "",
        kinds: frozenset[str] = REVIEW_KINDS,
    ) -> None:
        super().__init__(parent, "导入评分回执", "导入(&O)", kinds=kinds)
        self.ctx = ctx
        self.path = path
        if report is not None:
            saved = report.saved_at.astimezone().strftime("%Y-%m-%d %H:%M")
            self.form.addRow(QLabel(f"专家：{report.expert_name}　{place}\n回执保存于 {saved}", self))
            model: RowTableModel[Any] = RowTableModel(tuple(columns), report.sets, parent=self)
            self.sets = table_view(model, self, name="returnSets", stretch=stretch)
            set_widths(self.sets, widths)
            self.sets.setMinimumWidth(self.fontMetrics().horizontalAdvance("中") * 40)
            self.form.addRow(self.sets)
        else:
            self.form.addRow(QLabel(f"回执文件：{path.name}", self))
        self.reason = QPlainTextEdit(self)
        self.reason.setObjectName("lateReason")
        self.reason.setTabChangesFocus(True)
        self.reason.setMaximumHeight(self.fontMetrics().height() * 4)
        self.late = bool(late)
        if late:
            warning = QLabel(late, self)
            warning.setWordWrap(True)
            warning.setStyleSheet("color: #8a5a00;")
            self.form.addRow(warning)
            label = QLabel("逾期导入理由(&R)：", self)
            label.setBuddy(self.reason)
            self.form.addRow(label, self.reason)
            self.ok_button.setText("逾期导入(&O)")
        else:
            self.reason.hide()
        self.form.addRow(note_label(note, self))
        self.resize(max(560, self.sizeHint().width()), self.sizeHint().height())

    def _done(self, result: Any) -> None:
        super()._done(result)
        show = getattr(self.parent(), "show_message", None)
        if show is not None and isinstance(result, self.report_type):
            show(result.text())
