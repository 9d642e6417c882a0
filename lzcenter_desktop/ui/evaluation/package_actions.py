"""The offline evaluation packages on the 专家与评分 tab: export (one ``.lzreview`` per expert into
a folder), and the import of an expert's return file — checked first (nothing written) and shown
with the service's report; a file saved after the scoring deadline needs a reason."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QFileDialog, QLabel, QPlainTextEdit, QWidget

from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.evaluation import package, package_import
from lzcenter_desktop.services.evaluation.package_import import ImportReport, ReturnRefused
from lzcenter_desktop.ui import ops
from lzcenter_desktop.ui.dialogs.errors import report_exception
from lzcenter_desktop.ui.evaluation.common import EVALUATION_KINDS
from lzcenter_desktop.ui.models.base import Column, RowTableModel
from lzcenter_desktop.ui.review.common import (
    FormDialog,
    error_text,
    inform,
    note_label,
    set_widths,
    table_view,
)

if TYPE_CHECKING:
    from lzcenter_desktop.ui.evaluation.experts_tab import ExpertsTab

PACKAGE_FILTER = "评估包回执 (*.lzreview)"

SET_COLUMNS: tuple[Column[Any], ...] = (
    Column("参评中心", lambda s: s.center_name),
    Column("合计", lambda s: s.total),
    Column("处理", lambda s: s.action_label),
)


class PackageActions:
    """What the 评估包 buttons of the 专家与评分 tab do."""

    def __init__(self, tab: ExpertsTab) -> None:
        self.tab = tab
        #: how a folder or a file is chosen (tests replace them)
        self.choose_folder: Callable[[], str] = lambda: QFileDialog.getExistingDirectory(
            self.tab, "选择保存各专家评估包的文件夹"
        )
        self.choose_file: Callable[[], str] = lambda: QFileDialog.getOpenFileName(
            self.tab, "导入专家的评分回执", "", PACKAGE_FILTER
        )[0]

    @property
    def ctx(self) -> AppContext:
        return self.tab.ctx

    def export(self) -> None:
        round_id = self.tab.round_id
        if round_id is None:
            return
        folder = self.choose_folder()
        if not folder:
            return
        ctx = self.ctx

        def done(paths: list[Path]) -> None:
            names = "、".join(p.name for p in paths)
            self.tab.show_message(f"已为 {len(paths)} 位专家各导出一个评估包到“{folder}”：{names}")

        self.tab.write(
            lambda: package.export_packages(ctx, round_id=round_id, folder=Path(folder)),
            done=done,
            busy="正在导出评估包…",
        )

    def import_return(self) -> None:
        round_id = self.tab.round_id
        if round_id is None:
            return
        path = self.choose_file()
        if path:
            self.check(Path(path), round_id)

    def check(self, path: Path, round_id: int) -> None:
        """Check the return file first (nothing written) and show what the import would do."""
        ctx = self.ctx
        self.tab.show_message(f"正在检查“{path.name}”…", level="busy")

        def failed(exc: BaseException) -> None:
            self.tab.show_message("")
            if isinstance(exc, ReturnRefused) and exc.late_only:
                self.tab.open_dialog(
                    ReturnImportDialog(self.tab, ctx, path, round_id, None, late=exc.message)
                )
                return
            text = error_text(exc)
            if text is None:
                report_exception(exc, self.tab)
                return
            inform(self.tab, "不能导入回执", text, error=True)

        def checked(report: ImportReport) -> None:
            self.tab.show_message("")
            if report.duplicate:
                inform(self.tab, "回执已导入过", report.text())
                return
            self.tab.open_dialog(ReturnImportDialog(self.tab, ctx, path, round_id, report))

        self.tab.reads += 1
        task = ops.query_op(
            lambda: package_import.check_return(ctx, path=path, round_id=round_id),
            parent=self.tab,
            on_success=checked,
            on_failure=failed,
        )
        task.finished.connect(self.tab._read_finished)


class ReturnImportDialog(FormDialog):
    """What a return file holds and what importing it does; a late file needs the override reason."""

    def __init__(
        self,
        parent: QWidget,
        ctx: AppContext,
        path: Path,
        round_id: int,
        report: ImportReport | None,
        *,
        late: str = "",
    ) -> None:
        super().__init__(parent, "导入评分回执", "导入(&O)", kinds=EVALUATION_KINDS)
        self.ctx = ctx
        self.path = path
        self.round_id = round_id
        if report is not None:
            saved = report.saved_at.astimezone().strftime("%Y-%m-%d %H:%M")
            self.form.addRow(
                QLabel(f"专家：{report.expert_name}　评估：{report.round_title}\n回执保存于 {saved}", self)
            )
            model: RowTableModel[Any] = RowTableModel(SET_COLUMNS, report.sets, parent=self)
            self.sets = table_view(model, self, name="returnSets", stretch=0)
            set_widths(self.sets, (0, 5, 8))
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
        self.form.addRow(note_label("同一份回执重复导入不会改变任何评分。", self))
        self.resize(max(560, self.sizeHint().width()), self.sizeHint().height())

    def action(self) -> Callable[[], Any]:
        reason: str | None = None
        if self.late:
            reason = self.reason.toPlainText().strip()
            if not reason:
                raise ServiceError("请填写逾期导入的理由", field="逾期理由")
        ctx, path, rid = self.ctx, self.path, self.round_id
        return lambda: package_import.import_return(ctx, path=path, override_late_reason=reason, round_id=rid)

    def _done(self, result: Any) -> None:
        super()._done(result)
        show = getattr(self.parent(), "show_message", None)
        if show is not None and isinstance(result, ImportReport):
            show(result.text())
