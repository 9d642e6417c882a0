"""The 申报 page: declarations and drafts, with 新建, 继续填写, 导入 (one file, several, a folder),
导出, 比较, 作废, 撤回 and the blank Excel template.

The list is a sortable, filterable table (:mod:`lzcenter_desktop.ui.models.declarations`): filters
for 年度, 状态, 依托单位 (typed) and 仅有错误 above it, a click on a column title sorts; Enter opens
the current declaration, Esc clears the filters. 已作废 drafts are hidden unless 显示已作废 is ticked.
作废 (a draft) and 撤回 (a submitted declaration) ask for a confirmation with the required reason
(:mod:`lzcenter_desktop.ui.declarations.closing`) and are written by the services with that reason
in the audit trail; nothing is deleted.

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
from itertools import pairwise
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
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
from lzcenter_desktop.ui.declarations.closing import Closing, ask_reason, discard_text, withdraw_text
from lzcenter_desktop.ui.declarations.list_view import DeclarationTable, FilterBar, setup_table
from lzcenter_desktop.ui.declarations.wizard import (
    DeclarationWizard,
    WizardData,
    ask_call_year,
    load_new_wizard_data,
    load_wizard_data,
)
from lzcenter_desktop.ui.models.declarations import (
    DeclarationFilterProxy,
    DeclarationIdRole,
    DeclarationTableModel,
    collation_ranks,
)
from lzcenter_desktop.ui.pages.base import Page
from lzcenter_desktop.ui.style import ERROR_STYLE
from lzcenter_desktop.ui.tasks import Progress, Task, run_with_progress

Loaded = tuple[list[decl.DeclarationRow], dict[int, list[int]]]
REFRESH_DELAY_MS = 2000
LIST_KINDS = frozenset({"declarations", "rulesets"})  # what the list shows (counts depend on the rules)
IMPORT_KINDS = frozenset({"declarations", "centers", "organizations"})
CLOSING_KINDS = frozenset({"declarations", "centers"})  # 作废 / 撤回 may retire the centre too


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
        self.ask_closing_reason: Callable[[Closing], str | None] = lambda c: ask_reason(c, self)
        self.model = DeclarationTableModel(self)
        self.proxy = DeclarationFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = DeclarationTable(self)
        self.table.setObjectName("declarations")
        self.table.setModel(self.proxy)
        setup_table(self.table, self.model)
        self.table.open_requested.connect(self.continue_selected)
        self.table.doubleClicked.connect(lambda _i: self.continue_selected())
        self.filters = FilterBar(self.model, self.proxy, self)
        self.filters.changed.connect(self._filters_changed)
        self.new_button = QPushButton("新建(&N)", self)
        self.continue_button = QPushButton("继续填写(&O)", self)
        self.continue_button.setToolTip("打开选中的申报书（也可在列表中按 Enter 或双击）")
        self.import_button = QPushButton("导入(&I)…", self)
        self.import_button.setToolTip("导入一个或多个交换格式 .json 文件（可多选）")
        self.import_folder_button = QPushButton("导入文件夹(&L)…", self)
        self.import_folder_button.setToolTip("导入一个文件夹中的所有 .json 申报书")
        self.export_button = QPushButton("导出(&X)…", self)
        self.compare_button = QPushButton("比较(&C)", self)
        self.compare_button.setToolTip("选中两份申报书后比较")
        self.template_button = QPushButton("空白 Excel 模板(&M)…", self)
        self.template_button.setToolTip("生成给申报单位填写的 Excel 模板，填好后可“导入”")
        self.discard_button = QPushButton("作废(&D)…", self)
        self.discard_button.setToolTip("作废选中的草稿（须填写原因，不能恢复；草稿保留，默认不再显示）")
        self.withdraw_button = QPushButton("撤回(&W)…", self)
        self.withdraw_button.setToolTip("撤回选中的已提交申报书（须填写原因，不能恢复）")
        self.message = QLabel(self)
        self.message.setObjectName("declarations:message")
        self.message.setWordWrap(True)
        buttons = QHBoxLayout()
        self.buttons = [
            self.new_button,
            self.continue_button,
            self.import_button,
            self.import_folder_button,
            self.export_button,
            self.compare_button,
            self.template_button,
            self.discard_button,
            self.withdraw_button,
        ]
        for b in self.buttons:
            b.setAutoDefault(False)
            buttons.addWidget(b)
        buttons.addStretch(1)
        chain = [*self.buttons, *self.filters.inputs(), self.table]  # Tab in reading order
        for before, after in pairwise(chain):
            QWidget.setTabOrder(before, after)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        self.new_button.clicked.connect(self._new_clicked)
        self.continue_button.clicked.connect(self.continue_selected)
        self.import_button.clicked.connect(self._import_clicked)
        self.import_folder_button.clicked.connect(self._import_folder_clicked)
        self.export_button.clicked.connect(self._export_clicked)
        self.compare_button.clicked.connect(self.compare_selected)
        self.template_button.clicked.connect(self._template_clicked)
        self.discard_button.clicked.connect(self.discard_selected)
        self.withdraw_button.clicked.connect(self.withdraw_selected)
        esc = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        esc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        esc.activated.connect(self.clear_filters)
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

    def refresh(self, *, select: int | None = None) -> Task[Loaded]:
        """Read the list again in the background; then select ``select`` (or keep the selection)."""
        self._refresh_timer.stop()
        if select is not None:
            self._want_selected = select
        self.loading = True
        self.table.setToolTip("正在读取申报书列表…")
        ctx = self.ctx

        def arrived(loaded: Loaded) -> None:
            wanted, self._want_selected = self._want_selected, None
            keep = [wanted] if wanted is not None else self.selected_ids()
            rows, ranks = loaded
            self.model.set_rows(rows, ranks)
            self.filters.refill()
            for i, did in enumerate(keep):
                self.select_id(did, add=i > 0)
            self._finish_loading()

        def read() -> Loaded:
            rows = decl.list_declarations(ctx)
            return rows, collation_ranks(rows)  # the pinyin ranks, made here off the GUI thread

        def failed(exc: BaseException) -> None:
            self._finish_loading()
            if isinstance(exc, ServiceError | EnvironmentProblem):
                self._say(str(exc), error=True)
            else:
                from lzcenter_desktop.ui.dialogs.errors import report_exception

                report_exception(exc, self)

        return ops.query_op(
            read,
            parent=self,
            key=self._list_key,
            on_success=arrived,
            on_failure=failed,
        )

    def _finish_loading(self) -> None:
        self.loading = False
        self.table.setToolTip("")
        self.loaded.emit()
        self.status_changed.emit()

    def _filters_changed(self) -> None:
        self.status_changed.emit()

    def clear_filters(self) -> None:
        """Esc: 年度, 状态, 依托单位 and 仅有错误 off (显示已作废 stays as it is)."""
        self.filters.clear()

    def focus_filter(self) -> None:
        self.filters.host_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filters.host_edit.selectAll()

    def status_text(self) -> str:
        """The section's own counts for the status bar."""
        total = self.proxy.total_count()
        discarded = self.proxy.discarded_count()
        extra = f"（含已作废 {discarded} 份）" if discarded else ""
        return f"共 {total} 份申报书{extra}，显示 {self.proxy.rowCount()} 份"

    def selected_ids(self) -> list[int]:
        """The selected declarations, in the order shown."""
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        ids = [self.proxy.index(r, 0).data(DeclarationIdRole) for r in rows]
        return [int(i) for i in ids if i is not None]

    def select_id(self, declaration_id: int, *, add: bool = False) -> None:
        """Select the row of ``declaration_id`` (added to the selection with ``add``), if it is shown."""
        selection = self.table.selectionModel()
        if not add:
            selection.clearSelection()
        row = self.proxy.proxy_row_of(declaration_id)
        if row < 0:
            return
        index = self.proxy.index(row, 0)
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        selection.select(index, flags)
        selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.NoUpdate)
        self.table.scrollTo(index)

    def _selected_row(self) -> decl.DeclarationRow | None:
        ids = self.selected_ids()
        if len(ids) != 1:
            self._say("请先选中一份申报书", error=True)
            return None
        row = self.proxy.row_at(self.proxy.proxy_row_of(ids[0]))
        return row

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

    def new_declaration(self, call_year: int) -> Task[WizardData]:
        """Open the wizard of a new declaration of ``call_year``: nothing is stored until the clerk
        types its first real value (the wizard's ``created`` signal then selects the new row)."""
        ctx = self.ctx

        def arrived(data: WizardData) -> None:
            wizard = self._show_wizard(None, data)
            wizard.created.connect(lambda did: self.refresh(select=did))

        self._say(f"正在准备 {call_year} 年度新申报书…")
        return ops.query_op(
            lambda: load_new_wizard_data(ctx, call_year),
            parent=self,
            key=f"new-wizard:{id(self)}",
            on_success=arrived,
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

    def _show_wizard(self, declaration_id: int | None, data: WizardData) -> DeclarationWizard:
        wizard = DeclarationWizard(self.ctx, declaration_id, self, data=data)
        wizard.setWindowModality(Qt.WindowModality.NonModal)
        wizard.submitted_ok.connect(lambda _id: self.refresh())
        wizard.finished.connect(lambda _r: self.refresh())
        self.wizards = [w for w in self.wizards if w.isVisible()] + [wizard]
        self._say("")
        wizard.show()
        self.wizard_opened.emit(wizard)
        return wizard

    # -- 作废, 撤回 -------------------------------------------------------------------------------

    def discard_selected(self) -> Task[None] | None:
        """作废 the selected draft, after the confirmation with its reason."""
        row = self._selected_row()
        if row is None:
            return None
        if row.status != decl.DRAFT:
            hint = "；已提交的申报书请用“撤回”" if row.status == decl.SUBMITTED else ""
            self._say(f"第 {row.id} 号申报书{row.status_label}，只有草稿可以作废{hint}", error=True)
            return None
        return self._close(row, discard_text(row.id, row.center_name or "未填写名称"), decl.discard_draft)

    def withdraw_selected(self) -> Task[None] | None:
        """撤回 the selected submitted declaration, after the confirmation with its reason."""
        row = self._selected_row()
        if row is None:
            return None
        if row.status != decl.SUBMITTED:
            hint = "；草稿请用“作废”" if row.status == decl.DRAFT else ""
            self._say(f"第 {row.id} 号申报书{row.status_label}，只有已提交的申报书可以撤回{hint}", error=True)
            return None
        return self._close(
            row, withdraw_text(row.id, row.center_name or "未填写名称"), decl.withdraw_declaration
        )

    def _close(
        self, row: decl.DeclarationRow, closing: Closing, service: Callable[..., None]
    ) -> Task[None] | None:
        if any(w.declaration_id == row.id and w.isVisible() for w in self.wizards):
            self._say(f"第 {row.id} 号申报书的填写窗口还开着，请先关闭它再{closing.verb}", error=True)
            return None
        reason = self.ask_closing_reason(closing)
        if reason is None:
            self._say(f"未{closing.verb}第 {row.id} 号申报书")
            return None
        return self.close_declaration(row.id, closing.verb, reason, service)

    def close_declaration(
        self, declaration_id: int, verb: str, reason: str, service: Callable[..., None]
    ) -> Task[None]:
        """Run the 作废 / 撤回 ``service`` on the write thread; the list is read again at once."""
        ctx = self.ctx

        def done(_none: None) -> None:
            hidden = (
                "；勾选“显示已作废”可以看到它" if verb == "作废" and not self.proxy.show_discarded else ""
            )
            self._say(f"已{verb}第 {declaration_id} 号申报书（原因：{reason}）{hidden}")
            self.refresh(select=declaration_id)

        self._say(f"正在{verb}第 {declaration_id} 号申报书…")
        return ops.write_op(
            lambda: service(ctx, declaration_id=declaration_id, reason=reason),
            parent=self,
            kinds=CLOSING_KINDS,
            on_success=done,
            on_failure=self._failed(f"未能{verb}："),
        )

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
                    f"{len(outcome.violations) - errors} 项警告，请继续填写改正"
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
        return "申报：" + "；".join(f"{w.display_name()}的最近修改（{w.unsaved_reason()}）" for w in left)

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
