"""The offline evaluation packages on the 专家与评分 tab: export (one ``.lzreview`` per expert into
a folder), and the import of an expert's return file — checked first (nothing written) and shown
with the service's report; a file saved after the scoring deadline needs a reason."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QFileDialog, QWidget

from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.evaluation import package, package_import
from lzcenter_desktop.services.evaluation.package_import import ImportReport
from lzcenter_desktop.ui.common_return_import import (
    ReturnImportDialogBase,
    check_return_file,
    import_return_file,
)
from lzcenter_desktop.ui.evaluation.common import EVALUATION_KINDS
from lzcenter_desktop.ui.models.base import Column

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
        import_return_file(self.tab.round_id, self.choose_file, self.check)

    def check(self, path: Path, round_id: int) -> None:
        """Check the return file first (nothing written) and show what the import would do."""
        ctx = self.ctx
        check_return_file(
            self.tab,
            path,
            lambda: package_import.check_return(ctx, path=path, round_id=round_id),
            lambda report, late: ReturnImportDialog(self.tab, ctx, path, round_id, report, late=late),
        )


class ReturnImportDialog(ReturnImportDialogBase):
    """What a return file holds and what importing it does; a late file needs the override reason."""

    report_type = ImportReport

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
        super().__init__(
            parent,
            ctx,
            path,
            report,
            place=f"评估：{report.round_title}" if report is not None else "",
            columns=SET_COLUMNS,
            stretch=0,
            widths=(0, 5, 8),
            note="同一份回执重复导入不会改变任何评分。",
            late=late,
            kinds=EVALUATION_KINDS,
        )
        self.round_id = round_id

    def action(self) -> Callable[[], Any]:
        reason: str | None = None
        if self.late:
            reason = self.reason.toPlainText().strip()
            if not reason:
                raise ServiceError("请填写逾期导入的理由", field="逾期理由")
        ctx, path, rid = self.ctx, self.path, self.round_id
        return lambda: package_import.import_return(ctx, path=path, override_late_reason=reason, round_id=rid)
