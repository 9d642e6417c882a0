"""The offline review package (评审包) on the 专家评分 tab: export for the whole session or one file
per expert, import of an expert's return file (checked first and shown; a file saved after the
scoring deadline needs a reason), and the choice between two different score sets of the same
expert and declaration (shown side by side, never merged)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.review import package, package_import
from lzcenter_desktop.services.review.package_conflicts import ScoreConflictView
from lzcenter_desktop.services.review.package_import import ReturnImportView
from lzcenter_desktop.ui.common_return_import import (
    ReturnImportDialogBase,
    check_return_file,
    import_return_file,
)
from lzcenter_desktop.ui.models.base import Column
from lzcenter_desktop.ui.review.common import FormDialog

if TYPE_CHECKING:
    from lzcenter_desktop.ui.review.scoring_tab import ScoringTab

PACKAGE_FILTER = "评审包 (*.lzreview)"

SET_COLUMNS: tuple[Column[Any], ...] = (
    Column("申报书", lambda s: f"{s.declaration_id} {s.center_name}"),
    Column("合计", lambda s: s.total),
    Column("处理", lambda s: s.action_label),
)


class PackageActions:
    """What the 评审包 buttons of the scoring tab do."""

    def __init__(self, tab: ScoringTab) -> None:
        self.tab = tab

    @property
    def ctx(self) -> AppContext:
        return self.tab.ctx

    def export_session(self) -> None:
        session = self.tab.page.current_session()
        if session is None:
            return
        name = package.package_file_name(session.title)
        path, _ = QFileDialog.getSaveFileName(self.tab, "导出整场评审包", name, PACKAGE_FILTER)
        if not path:
            return
        target = Path(path) if path.lower().endswith(".lzreview") else Path(path + ".lzreview")
        ctx, sid = self.ctx, session.id
        self.tab.write(
            lambda: package.export_package(ctx, session_id=sid, path=target),
            done=lambda view: self.tab.show_message(view.text()),
            busy="正在导出评审包…",
        )

    def export_per_expert(self) -> None:
        session = self.tab.page.current_session()
        if session is None:
            return
        folder = QFileDialog.getExistingDirectory(self.tab, "选择保存各专家评审包的文件夹")
        if not folder:
            return
        ctx, sid = self.ctx, session.id

        def done(views: list[Any]) -> None:
            names = "、".join(n for v in views for n in v.expert_names)
            self.tab.show_message(f"已为 {len(views)} 位专家各导出一个评审包到“{folder}”：{names}")

        self.tab.write(
            lambda: package.export_expert_packages(ctx, session_id=sid, folder=Path(folder)),
            done=done,
            busy="正在导出评审包…",
        )

    def import_return(self) -> None:
        def choose() -> str:
            return QFileDialog.getOpenFileName(self.tab, "导入专家的评分回执", "", PACKAGE_FILTER)[0]

        import_return_file(self.tab.page.session_id, choose, self.check)

    def check(self, path: Path, session_id: int) -> None:
        """Check the return file first (nothing written) and show what the import would do."""
        ctx = self.ctx
        check_return_file(
            self.tab,
            path,
            lambda: package_import.check_return(ctx, path=path, session_id=session_id),
            lambda view, late: ReturnImportDialog(self.tab, ctx, path, session_id, view, late=late),
        )

    def conflicts(self) -> None:
        found = self.tab.data.conflicts if self.tab.data is not None else []
        if found:
            self.tab.open_dialog(ConflictDialog(self.tab, self.ctx, found))


class ReturnImportDialog(ReturnImportDialogBase):
    """What a return file holds and what importing it does; a late file needs the override reason."""

    report_type = ReturnImportView

    def __init__(
        self,
        parent: QWidget,
        ctx: AppContext,
        path: Path,
        session_id: int,
        view: ReturnImportView | None,
        *,
        late: str = "",
    ) -> None:
        super().__init__(
            parent,
            ctx,
            path,
            view,
            place=f"评审会：{view.session_title}" if view is not None else "",
            columns=SET_COLUMNS,
            stretch=2,
            widths=(20, 4),
            note="同一份回执重复导入不会改变任何评分；与已导入评分不同的会并列显示，由您选择。",
            late=late,
        )
        self.session_id = session_id
        self.view = view

    def action(self) -> Callable[[], Any]:
        reason: str | None = None
        if self.reason.isVisible() or self.reason.toPlainText().strip():
            reason = self.reason.toPlainText().strip()
            if not reason:
                raise ServiceError("请填写逾期导入的理由", field="逾期理由")
        ctx, path, sid = self.ctx, self.path, self.session_id
        return lambda: package_import.import_return(ctx, path=path, session_id=sid, override_reason=reason)


class ConflictDialog(FormDialog):
    """Two different score sets of one expert for one declaration, side by side: choose one."""

    def __init__(self, parent: QWidget, ctx: AppContext, conflicts: list[ScoreConflictView]) -> None:
        super().__init__(parent, "评分冲突：选择采用哪一份", "采用所选的一份(&O)")
        self.ctx = ctx
        self.conflicts = conflicts
        self.which = QComboBox(self)
        self.which.setObjectName("conflict")
        for c in conflicts:
            self.which.addItem(f"{c.expert_name} — {c.center_name}（第 {c.version} 版上的两份评分）")
        self.table = QTableWidget(self)
        self.table.setObjectName("sideBySide")
        self.table.setMinimumSize(self.fontMetrics().horizontalAdvance("中") * 40, 240)
        self.choice = QComboBox(self)
        self.choice.setObjectName("choice")
        self.reason = QLineEdit(self)
        self.reason.setObjectName("reason")
        self.reason.setPlaceholderText("选择理由（可不填）")
        self.form.addRow(QLabel("冲突(&C)：", self), self.which)
        self.form.addRow(self.table)
        self.form.addRow(QLabel("采用(&U)：", self), self.choice)
        self.form.addRow(QLabel("理由(&R)：", self), self.reason)
        self.which.currentIndexChanged.connect(lambda _i: self.fill())
        self.fill()

    def current(self) -> ScoreConflictView:
        return self.conflicts[max(self.which.currentIndex(), 0)]

    def fill(self) -> None:
        c = self.current()
        sets = [c.current, *c.others]
        rows = [name for _key, name, _text in c.current.points]
        self.table.clear()
        self.table.setColumnCount(len(sets))
        self.table.setRowCount(len(rows) + 2)
        self.table.setHorizontalHeaderLabels(
            [
                f"第 {i} 份（{s.status_label}，{s.received_at.astimezone():%m-%d %H:%M}）"
                for i, s in enumerate(sets, 1)
            ]
        )
        self.table.setVerticalHeaderLabels([*rows, "合计", "意见"])
        differing = set(c.differing)
        for column, s in enumerate(sets):
            for row, (_key, name, text) in enumerate(s.points):
                item = QTableWidgetItem(text)
                if name in differing:
                    item.setBackground(self.palette().highlight().color().lighter(170))
                self.table.setItem(row, column, item)
            self.table.setItem(len(rows), column, QTableWidgetItem(s.total))
            self.table.setItem(len(rows) + 1, column, QTableWidgetItem(s.comment))
        self.table.resizeColumnsToContents()
        self.choice.clear()
        for i, s in enumerate(sets, 1):
            self.choice.addItem(f"第 {i} 份（合计 {s.total}）", s.submission_id)

    def action(self) -> Callable[[], Any]:
        ctx, sid, reason = self.ctx, int(self.choice.currentData()), self.reason.text().strip() or None
        return lambda: package_import.choose_score_set(ctx, submission_id=sid, reason=reason)
