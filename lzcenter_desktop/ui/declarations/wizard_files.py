"""Files of the declaration wizard: 从 Excel 导入 (with its preview), 导出 Excel and 打印申请书 PDF.

Each runs on the one write thread after the pending change, compared with what is stored: if that
change could not be stored, nothing is read, exported or printed. A new declaration not stored yet is
stored first (with what is on screen), so that the file has a declaration to come from.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QWidget, QWizard

from lzcenter_desktop.services import declarations as decl
from lzcenter_desktop.services.errors import EnvironmentProblem, ServiceError
from lzcenter_desktop.ui import ops
from lzcenter_desktop.ui.declarations.wizard_autosave import AutosaveMixin
from lzcenter_desktop.ui.tasks import Task

if TYPE_CHECKING:
    from lzcenter_desktop.ui.declarations.wizard_autosave import Records

FileChooser = Callable[[str, str], str]  # (title, filter) → path or ""


class FilesMixin(AutosaveMixin):
    """The Excel and PDF half of :class:`~lzcenter_desktop.ui.declarations.wizard.DeclarationWizard`."""

    # the Excel import under way: the reading task, its busy dialog, then the preview (see import_excel)
    import_task: Task[Any] | None = None
    import_progress: QWidget | None = None
    import_dialog: QWidget | None = None
    if TYPE_CHECKING:
        choose_open_file: FileChooser
        choose_save_file: FileChooser
        _loading: bool

    def _open_dialog(self, title: str, filt: str) -> str:
        path, _ = QFileDialog.getOpenFileName(self, title, "", filt)
        return path

    def _save_dialog(self, title: str, filt: str) -> str:
        path, _ = QFileDialog.getSaveFileName(self, title, "", filt)
        return path

    def _custom_button(self, which: int) -> None:
        if which == QWizard.WizardButton.CustomButton1.value:
            path = self.choose_open_file("从 Excel 导入申报书", "Excel 工作簿 (*.xlsx)")
            if path:
                self.import_excel(Path(path))
        elif which == QWizard.WizardButton.CustomButton2.value:
            path = self.choose_save_file("导出 Excel", "Excel 工作簿 (*.xlsx)")
            if path:
                self.export_excel(Path(path))
        elif which == QWizard.WizardButton.CustomButton3.value:
            path = self.choose_save_file("打印申请书 PDF", "PDF 文件 (*.pdf)")
            if path:
                self.print_pdf(Path(path))

    def _after_pending_save(self, refusal: str) -> Callable[[], int]:
        """Hand a pending change to the write thread; the returned function, run on the write
        thread after it, raises ``refusal`` if that change could not be stored, else returns the
        declaration's id (a new declaration is stored first)."""
        self.save_now()
        generation, stored, submitted = self._edits, self._stored, self.submitted
        row = self.row_getter()

        def check() -> int:
            if not submitted and stored.generation < generation:
                raise ServiceError(refusal)
            return row()

        return check

    def import_excel(self, path: Path) -> Task[Any] | None:
        """Read an applicant workbook in the background (a busy dialog with 取消; the window never
        freezes), then show what it would change (:class:`ImportPreviewDialog`). The draft changes
        only when the clerk presses 应用 there; returns the reading task.

        It runs on the write thread, after the pending change is stored (compared with what is
        stored); if that change could not be stored, nothing is read. A submitted declaration is
        read-only: the service refuses and the screen keeps the record."""
        from lzcenter_desktop.services import declaration_files as files
        from lzcenter_desktop.ui.tasks import Progress, TaskCancelled, run_with_progress

        check = self._after_pending_save("当前修改未能保存，未导入；请先解决保存问题")
        ctx = self.ctx

        def work(progress: Progress) -> files.WorkbookImportPreview:
            did = check()
            try:
                return files.preview_workbook_import(
                    ctx, declaration_id=did, path=path, stop=lambda: progress.cancelled
                )
            except files.ImportCancelled:
                raise TaskCancelled() from None

        self._show_status(f"正在读取“{path.name}”…")
        task, self.import_progress = run_with_progress(
            work,
            parent=self,
            title="从 Excel 导入",
            label=f"正在读取并检查“{path.name}”…",
            on_success=self._show_import_preview,
            on_failure=self._import_failed,
            on_cancelled=lambda: self._show_status("已取消从 Excel 导入，申报书未作任何修改"),
            pool=ops.write_pool(),
        )
        self.import_task = task
        return task

    def _import_failed(self, exc: BaseException) -> None:
        if isinstance(exc, ServiceError | EnvironmentProblem):
            self._show_status(str(exc), error=True)
            return
        from lzcenter_desktop.ui.dialogs.errors import report_exception

        self._show_status("从 Excel 导入失败，申报书未作任何修改", error=True)
        report_exception(exc, self)

    def _show_import_preview(self, preview: Any) -> None:
        from lzcenter_desktop.ui.declarations.import_preview import ImportPreviewDialog

        self.row_known()
        dialog = ImportPreviewDialog(preview, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._apply_import(preview))
        dialog.rejected.connect(lambda: self._show_status("已取消从 Excel 导入，申报书未作任何修改"))
        self.import_dialog = dialog
        self._show_status(f"请在“从 Excel 导入”窗口中核对“{preview.file_name}”的修改内容")
        dialog.open()

    def _apply_import(self, preview: Any) -> Task[Any]:
        """Save the previewed import (one audited step, on the write thread) and show the stored
        draft; the pages take no typing until it is back."""
        from lzcenter_desktop.services import declaration_files as files
        from lzcenter_desktop.ui.declarations.wizard import records_check

        ctx, declaration_id, stored = self.ctx, preview.declaration_id, self._stored

        def work() -> tuple[bool, dict[str, Any], Records | None]:
            changed = files.apply_workbook_import(ctx, preview)
            view = decl.get_declaration(ctx, declaration_id)
            stored.set_version(view.version)  # the import raised it: the next autosave starts there
            document = view.data
            return changed, document, records_check(ctx, declaration_id, document)

        def done(result: tuple[bool, dict[str, Any], Records | None]) -> None:
            changed, document, records = result
            self._set_pages_enabled(True)
            self.document = copy.deepcopy(document)
            self._loading = True
            for page in self.section_pages:
                page.load(self.document)
            self._loading = False
            self._edits += 1  # the document on screen is the stored one
            self._sent = self._edits
            self._stored.saved(self._edits)
            self._last_linked = self._linked_values()
            if records is not None:
                self._duplicates, self._revocation = records
            self.recheck()
            problems = len(preview.problems)
            text = (
                f"已从 Excel 导入“{preview.file_name}”"
                if changed
                else f"“{preview.file_name}”与已保存的内容相同，未作修改"
            )
            if problems:
                text += f"；{problems} 处有问题的单元格未导入，保留原值"
            self._show_status(text, error=bool(problems))
            if changed:
                self.saved.emit()

        def failed(exc: BaseException) -> None:
            self._set_pages_enabled(True)
            self._import_failed(exc)

        self._set_pages_enabled(False)
        self._show_status(f"正在导入“{preview.file_name}”…")
        return ops.write_op(
            work,
            parent=self,
            kinds={"declarations", "centers", "organizations"},
            on_success=done,
            on_failure=failed,
        )

    def _set_pages_enabled(self, enabled: bool) -> None:
        for page in self.section_pages:
            page.setEnabled(enabled and not self.submitted)

    def export_excel(self, path: Path) -> Task[Path]:
        """Export what is stored, after the pending change (on the write thread, in order); if that
        change cannot be stored, nothing is written."""
        from lzcenter_desktop.services import declaration_files

        check = self._after_pending_save("当前修改未能保存，未导出；请先解决保存问题")
        ctx = self.ctx

        def work() -> Path:
            return declaration_files.write_declaration_workbook(ctx, declaration_id=check(), path=path)

        def done(written: Path) -> None:
            self.row_known()
            self._show_status(f"已导出到 {written}")

        self._show_status(f"正在导出到 {path}…")
        return ops.write_op(work, parent=self, kinds=(), on_success=done, on_failure=self._file_failed(""))

    def print_pdf(self, path: Path) -> Task[Any]:
        """Print what is stored, after the pending change; if that change cannot be stored, nothing
        is printed."""
        from lzcenter_desktop.services import declaration_files

        check = self._after_pending_save("当前修改未能保存，未打印；请先解决保存问题")
        ctx = self.ctx

        def work() -> Any:
            return declaration_files.write_application_form(ctx, declaration_id=check(), path=path)

        def done(_r: Any) -> None:
            self.row_known()
            self._show_status(f"已生成申请书 PDF：{path}")

        self._show_status("正在生成申请书 PDF…")
        return ops.write_op(
            work, parent=self, kinds=(), on_success=done, on_failure=self._file_failed("未能生成 PDF：")
        )

    def _file_failed(self, prefix: str) -> Callable[[BaseException], None]:
        def failed(exc: BaseException) -> None:
            if isinstance(exc, ServiceError | EnvironmentProblem):
                self._show_status(f"{prefix}{exc}", error=True)
                return
            from lzcenter_desktop.ui.dialogs.errors import report_exception

            self._show_status(f"{prefix}程序出错", error=True)
            report_exception(exc, self)

        return failed
