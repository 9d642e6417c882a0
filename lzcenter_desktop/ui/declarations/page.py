"""The 申报 page: declarations and drafts, with 新建, 继续填写, 导入 (one file, several, a folder),
导出, 比较 and the blank Excel template.

No database call is made on the UI thread (issue 11 item 1). The list re-checks every declaration
against the rules (about 3 ms each), so it is read with :func:`~lzcenter_desktop.ui.ops.query_op`
under one key: a later refresh wins over an earlier one still running; the selection is kept.
Imports and new drafts are written with :func:`~lzcenter_desktop.ui.ops.write_op`; exports run on
the same write thread, after any save still pending. When declarations or rule sets change anywhere
(``data_changed``), the list is read again once the changes pause (:data:`REFRESH_DELAY_MS`: a
wizard saves on every keystroke); after the page's own import the list is read at once.

Several files or a folder are imported in one pass (:mod:`lzcenter_desktop.services.bulk_import`)
behind a progress dialog with 取消; the summary says what was imported and what was refused, and why.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from lzcenter_desktop.domain.interchange import FormatError
from lzcenter_desktop.services import bulk_import
from lzcenter_desktop.services import declarations as decl
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import EnvironmentProblem, ServiceError
from lzcenter_desktop.ui import ops
from lzcenter_desktop.ui.declarations.editors import ERROR_STYLE
from lzcenter_desktop.ui.declarations.wizard import (
    DeclarationWizard,
    WizardData,
    ask_call_year,
    load_wizard_data,
)
from lzcenter_desktop.ui.pages.base import Page
from lzcenter_desktop.ui.tasks import Progress, Task, run_with_progress

COLUMNS = ("编号", "年度", "中心名称", "依托单位", "统一社会信用代码", "申报日期", "状态", "错误", "提醒")
IdRole = Qt.ItemDataRole.UserRole + 1
REFRESH_DELAY_MS = 2000
LIST_KINDS = frozenset({"declarations", "rulesets"})  # what the list shows (counts depend on the rules)
IMPORT_KINDS = frozenset({"declarations", "centers", "organizations"})


class CompareDialog(QDialog):
    """Field-by-field differences of two declarations."""

    def __init__(
        self, left: int, right: int, diffs: list[decl.FieldDifference], parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.setWindowTitle(f"比较第 {left} 号与第 {right} 号申报书")
        self.table = QTableWidget(len(diffs), 3, self)
        self.table.setHorizontalHeaderLabels(["位置", f"第 {left} 号", f"第 {right} 号"])
        for i, d in enumerate(diffs):
            for c, value in enumerate((d.path, d.left, d.right)):
                text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                self.table.setItem(i, c, QTableWidgetItem("（无）" if value is None else text))
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"共 {len(diffs)} 处不同" if diffs else "两份申报书内容相同"))
        layout.addWidget(self.table)
        self.resize(800, 500)


class DeclarationsPage(Page):
    """List of declarations (newest first); double-click or 继续填写 opens the wizard."""

    wizard_opened = Signal(object)
    loaded = Signal()  # the list has been (re)filled, or its loading failed
    imported = Signal(object)  # a bulk import ended: its BulkImportReport

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.choose_open_files: Callable[[str, str], list[str]] = self._open_files_dialog
        self.choose_folder: Callable[[str], str] = self._folder_dialog
        self.choose_save_file: Callable[[str, str], str] = self._save_dialog
        self.ask_year: Callable[[], int | None] = lambda: ask_call_year(self, date.today().year)
        self.ask_template_year: Callable[[], int | None] = lambda: ask_call_year(
            self, date.today().year, "生成 Excel 模板"
        )
        self.wizards: list[DeclarationWizard] = []
        self.compare_dialog: CompareDialog | None = None
        self.import_report: bulk_import.BulkImportReport | None = None
        self.report_box: QMessageBox | None = None
        self.import_progress: QWidget | None = None
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("declarations")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.doubleClicked.connect(lambda _i: self.continue_selected())
        self.new_button = QPushButton("新建", self)
        self.continue_button = QPushButton("继续填写", self)
        self.import_button = QPushButton("导入…", self)
        self.import_button.setToolTip("导入一个或多个交换格式 .json 文件（可多选）")
        self.import_folder_button = QPushButton("导入文件夹…", self)
        self.import_folder_button.setToolTip("导入一个文件夹中的所有 .json 申报书")
        self.export_button = QPushButton("导出…", self)
        self.compare_button = QPushButton("比较", self)
        self.compare_button.setToolTip("选中两份申报书后比较")
        self.template_button = QPushButton("空白 Excel 模板…", self)
        self.template_button.setToolTip("生成给申报单位填写的 Excel 模板，填好后可“导入”")
        self.message = QLabel(self)
        self.message.setObjectName("declarations:message")
        self.message.setWordWrap(True)
        buttons = QHBoxLayout()
        for b in (
            self.new_button,
            self.continue_button,
            self.import_button,
            self.import_folder_button,
            self.export_button,
            self.compare_button,
            self.template_button,
        ):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        self.new_button.clicked.connect(self._new_clicked)
        self.continue_button.clicked.connect(self.continue_selected)
        self.import_button.clicked.connect(self._import_clicked)
        self.import_folder_button.clicked.connect(self._import_folder_clicked)
        self.export_button.clicked.connect(self._export_clicked)
        self.compare_button.clicked.connect(self.compare_selected)
        self.template_button.clicked.connect(self._template_clicked)
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_DELAY_MS)
        self._refresh_timer.timeout.connect(self.refresh)
        self._list_key = f"declarations-list:{id(self)}"
        self._want_selected: int | None = None
        self.loading = False
        ops.hub().data_changed.connect(self._data_changed)
        self.refresh()

    def _data_changed(self, kinds: frozenset[str]) -> None:
        """Declarations or rule sets changed somewhere: read the list again once changes pause (a
        wizard saves on every keystroke, and the list re-checks every declaration)."""
        if kinds & LIST_KINDS:
            self._refresh_timer.start()

    # -- list ------------------------------------------------------------------------------------

    def refresh(self, *, select: int | None = None) -> Task[list[decl.DeclarationRow]]:
        """Read the list again in the background; then select ``select`` (or keep the selection)."""
        self._refresh_timer.stop()
        if select is not None:
            self._want_selected = select
        self.loading = True
        self.table.setToolTip("正在读取申报书列表…")
        ctx = self.ctx

        def arrived(rows: list[decl.DeclarationRow]) -> None:
            wanted, self._want_selected = self._want_selected, None
            keep = [wanted] if wanted is not None else self.selected_ids()
            self._fill(rows)
            for i, did in enumerate(keep):
                self.select_id(did, add=i > 0)
            self._finish_loading()

        def failed(exc: BaseException) -> None:
            self._finish_loading()
            if isinstance(exc, ServiceError | EnvironmentProblem):
                self._say(str(exc), error=True)
            else:
                from lzcenter_desktop.ui.dialogs.errors import report_exception

                report_exception(exc, self)

        return ops.query_op(
            lambda: decl.list_declarations(ctx),
            parent=self,
            key=self._list_key,
            on_success=arrived,
            on_failure=failed,
        )

    def _finish_loading(self) -> None:
        self.loading = False
        self.table.setToolTip("")
        self.loaded.emit()

    def _fill(self, rows: list[decl.DeclarationRow]) -> None:
        self.table.clearSelection()
        self.table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            values = (
                str(r.id),
                str(r.call_year),
                r.center_name or "（未填写）",
                r.host_name or "（未填写）",
                r.credit_code,
                r.application_date.isoformat() if r.application_date else "",
                r.status_label,
                str(r.errors),
                str(r.warnings),
            )
            for c, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setData(IdRole, r.id)
                if c == 7 and r.errors:
                    item.setForeground(Qt.GlobalColor.darkRed)
                self.table.setItem(i, c, item)

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        items = [self.table.item(r, 0) for r in rows]
        return [int(i.data(IdRole)) for i in items if i is not None]

    def select_id(self, declaration_id: int, *, add: bool = False) -> None:
        if not add:
            self.table.clearSelection()
        mode = self.table.selectionMode()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection)
        for r in range(self.table.rowCount()):
            item = self.table.item(r, 0)
            if item is not None and item.data(IdRole) == declaration_id:
                self.table.selectRow(r)
        self.table.setSelectionMode(mode)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(ERROR_STYLE if error else "")

    def _failed(self, prefix: str = "") -> Callable[[BaseException], None]:
        """A failure shown on the page (a Chinese message), or the crash dialog for a bug."""

        def failed(exc: BaseException) -> None:
            if isinstance(exc, ServiceError | EnvironmentProblem):
                self._say(f"{prefix}{exc}", error=True)
                return
            from lzcenter_desktop.ui.dialogs.errors import report_exception

            self._say(f"{prefix}程序出错", error=True)
            report_exception(exc, self)

        return failed

    # -- new, continue ---------------------------------------------------------------------------

    def _new_clicked(self) -> None:
        year = self.ask_year()
        if year is not None:
            self.new_declaration(year)

    def new_declaration(self, call_year: int) -> Task[int]:
        """Start a draft (on the write thread); the wizard opens on it once it is stored."""

        def made(did: int) -> None:
            self.refresh(select=did)
            self.open_wizard(did)

        ctx = self.ctx
        return ops.write_op(
            lambda: decl.create_draft(ctx, call_year=call_year),
            parent=self,
            kinds={"declarations"},
            on_success=made,
            on_failure=self._failed(),
        )

    def continue_selected(self) -> Task[WizardData] | None:
        ids = self.selected_ids()
        if len(ids) != 1:
            self._say("请先选中一份申报书", error=True)
            return None
        return self.open_wizard(ids[0])

    def open_wizard(self, declaration_id: int) -> Task[WizardData] | None:
        """Read the declaration in the background, then show its wizard (``wizard_opened``). A wizard
        already open on it is brought to the front instead (None is returned)."""
        for open_one in self.wizards:
            if open_one.declaration_id == declaration_id and open_one.isVisible():
                open_one.raise_()
                open_one.activateWindow()
                return None
        ctx = self.ctx

        def arrived(data: WizardData) -> None:
            self._show_wizard(declaration_id, data)

        self._say(f"正在打开第 {declaration_id} 号申报书…")
        return ops.query_op(
            lambda: load_wizard_data(ctx, declaration_id),
            parent=self,
            key=f"open-wizard:{id(self)}:{declaration_id}",
            on_success=arrived,
            on_failure=self._failed(),
        )

    def _show_wizard(self, declaration_id: int, data: WizardData) -> DeclarationWizard:
        wizard = DeclarationWizard(self.ctx, declaration_id, self, data=data)
        wizard.setWindowModality(Qt.WindowModality.NonModal)
        wizard.submitted_ok.connect(lambda _id: self.refresh())
        wizard.finished.connect(lambda _r: self.refresh())
        self.wizards = [w for w in self.wizards if w.isVisible()] + [wizard]
        self._say("")
        wizard.show()
        self.wizard_opened.emit(wizard)
        return wizard

    # -- import ----------------------------------------------------------------------------------

    def _import_clicked(self) -> None:
        paths = self.choose_open_files("导入申报书（可多选）", "申报书交换文件 (*.json)")
        if len(paths) == 1:
            self.import_file(Path(paths[0]))
        elif paths:
            self.import_many([Path(p) for p in paths])

    def _import_folder_clicked(self) -> None:
        folder = self.choose_folder("导入文件夹中的所有申报书")
        if folder:
            self.import_many([Path(folder)])

    def import_file(self, path: Path) -> Task[decl.ImportOutcome]:
        """Import one interchange file as a draft (on the write thread); the list shows it selected."""
        ctx = self.ctx

        def done(outcome: decl.ImportOutcome) -> None:
            self.refresh(select=outcome.declaration_id)
            errors = sum(1 for v in outcome.violations if v.is_error)
            if outcome.violations:
                self._say(
                    f"已导入为第 {outcome.declaration_id} 号草稿；发现 {errors} 项错误、"
                    f"{len(outcome.violations) - errors} 项提醒，请继续填写改正"
                )
            else:
                self._say(f"已导入为第 {outcome.declaration_id} 号草稿，未发现问题")

        def failed(exc: BaseException) -> None:
            if isinstance(exc, FormatError):
                self._say(f"“{path.name}”不是申报书交换格式：{exc}", error=True)
            else:
                self._failed()(exc)

        self._say(f"正在导入“{path.name}”…")
        return ops.write_op(
            lambda: decl.import_declaration_file(ctx, path=path),
            parent=self,
            kinds=IMPORT_KINDS,
            on_success=done,
            on_failure=failed,
        )

    def import_many(self, paths: Sequence[Path]) -> Task[bulk_import.BulkImportReport]:
        """Import several files and folders (every ``*.json`` in a folder) in one pass, each file in
        its own transaction, behind a progress dialog with 取消; then a summary (``imported``)."""
        ctx = self.ctx
        targets = list(paths)

        def work(progress: Progress) -> bulk_import.BulkImportReport:
            files, refusals = bulk_import.collect_files(targets)

            def step(done: int, total: int, outcome: bulk_import.FileOutcome) -> None:
                progress.report(done, total, f"已处理 {done}/{total} 个文件：{outcome.path.name}")

            progress.report(0, len(files), f"共 {len(files)} 个文件，正在导入…")
            report = bulk_import.import_files(ctx, files, progress=step, stop=lambda: progress.cancelled)
            report.outcomes[:0] = refusals
            report.total += len(refusals)
            return report

        def done(report: bulk_import.BulkImportReport) -> None:
            if report.imported:
                ops.hub().notify(IMPORT_KINDS)
            last = report.imported[-1].declaration_id if report.imported else None
            self.refresh(select=last)
            self.show_import_report(report)

        self._say("正在批量导入申报书…")
        task, self.import_progress = run_with_progress(
            work,
            parent=self,
            title="批量导入申报书",
            label="正在导入申报书…",
            on_success=done,
            on_failure=self._failed("批量导入中断："),
            pool=ops.write_pool(),  # the one write thread: in order with every other write
        )
        return task

    def show_import_report(self, report: bulk_import.BulkImportReport) -> QMessageBox:
        self.import_report = report
        problem = report.problem is not None or bool(report.refused)
        self._say(report.headline() + ("" if not problem else "详见导入结果。"), error=problem)
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning if problem else QMessageBox.Icon.Information)
        box.setWindowTitle("批量导入结果")
        box.setText(report.headline())
        lines = []
        if report.refused:
            lines.append("未导入的文件：")
            lines += [f"· {o.text()}" for o in report.refused[:10]]
            if len(report.refused) > 10:
                lines.append(f"……另有 {len(report.refused) - 10} 个，见“显示详细信息”。")
        if report.problem is not None:
            lines.append(f"导入中止：{report.problem}")
        box.setInformativeText("\n".join(lines))
        box.setDetailedText(report.summary())
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.report_box = box
        box.open()
        self.imported.emit(report)
        return box

    # -- export, template, compare ---------------------------------------------------------------

    def _export_clicked(self) -> None:
        ids = self.selected_ids()
        if len(ids) != 1:
            self._say("请先选中一份申报书", error=True)
            return
        path = self.choose_save_file("导出申报书", "申报书交换文件 (*.json)")
        if path:
            self.export_to(ids[0], Path(path))

    def export_to(self, declaration_id: int, path: Path) -> Task[Path]:
        """Write the declaration as interchange JSON; it runs on the write thread, after any save
        of an open wizard still pending, so the file has what is on screen."""
        ctx = self.ctx
        self._say(f"正在导出第 {declaration_id} 号申报书…")
        return ops.write_op(
            lambda: decl.write_export(ctx, declaration_id=declaration_id, path=path),
            parent=self,
            kinds=(),
            on_success=lambda written: self._say(f"已导出到 {written}"),
            on_failure=self._failed(),
        )

    def _template_clicked(self) -> None:
        year = self.ask_template_year()
        if year is None:
            return
        path = self.choose_save_file(f"保存 {year} 年度申报书 Excel 模板", "Excel 工作簿 (*.xlsx)")
        if path:
            self.write_blank_template(Path(path), year)

    def write_blank_template(self, path: Path, call_year: int) -> Task[Path]:
        """The applicants' workbook of ``call_year``'s form, with the year's key-industry list."""
        from lzcenter_desktop.services import declaration_files

        ctx = self.ctx

        def done(written: Path) -> None:
            self._say(
                f"已生成 {call_year} 年度申报书 Excel 模板：{written}（发给申报单位填写后，可用“导入”读回）"
            )

        self._say(f"正在生成 {call_year} 年度申报书 Excel 模板…")
        return ops.query_op(
            lambda: declaration_files.write_blank_template(ctx, call_year=call_year, path=path),
            parent=self,
            on_success=done,
            on_failure=self._failed(),
        )

    def compare_selected(self) -> Task[list[decl.FieldDifference]] | None:
        """Compare the two selected declarations (read in the background); ``compare_dialog``."""
        ids = self.selected_ids()
        if len(ids) != 2:
            self._say("请按住 Ctrl 选中两份申报书再比较", error=True)
            return None
        ctx, left, right = self.ctx, ids[0], ids[1]

        def arrived(diffs: list[decl.FieldDifference]) -> None:
            self._say("")
            dialog = CompareDialog(left, right, diffs, self)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.compare_dialog = dialog
            dialog.show()

        return ops.query_op(
            lambda: decl.compare_declarations(ctx, left_id=left, right_id=right),
            parent=self,
            key=f"compare:{id(self)}",
            on_success=arrived,
            on_failure=self._failed(),
        )

    # -- Page ------------------------------------------------------------------------------------

    def unsaved_changes(self) -> str | None:
        """A wizard's change still on its way is written first (the main window is closing): only
        what could not be written is named, with why."""
        pending = [w for w in self.wizards if w.has_unsaved_changes()]
        for wizard in pending:
            wizard.commit_pending()
        left = [w for w in pending if w.has_unsaved_changes()]
        if not left:
            return None
        return "申报：" + "；".join(
            f"第 {w.declaration_id} 号申报书的最近修改（{w.unsaved_reason()}）" for w in left
        )

    def save_changes(self) -> bool:
        """Try once more to store every open wizard's pending change, and wait for it."""
        return all([w.commit_pending() for w in self.wizards])

    def discard_changes(self) -> None:
        """The clerk chose 不保存: the wizards close without asking again."""
        for wizard in self.wizards:
            wizard.discard_pending()

    # -- file dialogs ----------------------------------------------------------------------------

    def _open_files_dialog(self, title: str, filt: str) -> list[str]:
        paths, _ = QFileDialog.getOpenFileNames(self, title, "", filt)
        return list(paths)

    def _folder_dialog(self, title: str) -> str:
        return QFileDialog.getExistingDirectory(self, title, "")

    def _save_dialog(self, title: str, filt: str) -> str:
        path, _ = QFileDialog.getSaveFileName(self, title, "", filt)
        return path
