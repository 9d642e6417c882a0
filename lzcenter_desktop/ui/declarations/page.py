"""The 申报 page: declarations and drafts, with 新建, 继续填写, 导入, 导出 and 比较.

The list re-checks every declaration against the rules (about 3 ms each), so it is read on a worker
thread (:func:`~lzcenter_desktop.ui.tasks.run_in_background`): the page never freezes; a later
refresh wins over an earlier one still running; the selection is kept.
"""

from __future__ import annotations

import json
from collections.abc import Callable
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
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from lzcenter_desktop.domain.interchange import FormatError
from lzcenter_desktop.services import declarations as decl
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.storage.errors import EnvironmentProblem
from lzcenter_desktop.ui.declarations.editors import ERROR_STYLE
from lzcenter_desktop.ui.declarations.wizard import DeclarationWizard, ask_call_year
from lzcenter_desktop.ui.pages.base import Page
from lzcenter_desktop.ui.tasks import Task, run_in_background

COLUMNS = ("编号", "年度", "中心名称", "依托单位", "统一社会信用代码", "申报日期", "状态", "错误", "提醒")
IdRole = Qt.ItemDataRole.UserRole + 1
REFRESH_DELAY_MS = 2000


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

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.choose_open_file: Callable[[str, str], str] = self._open_dialog
        self.choose_save_file: Callable[[str, str], str] = self._save_dialog
        self.ask_year: Callable[[], int | None] = lambda: ask_call_year(self, date.today().year)
        self.ask_template_year: Callable[[], int | None] = lambda: ask_call_year(
            self, date.today().year, "生成 Excel 模板"
        )
        self.wizards: list[DeclarationWizard] = []
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
        self.export_button.clicked.connect(self._export_clicked)
        self.compare_button.clicked.connect(self.compare_selected)
        self.template_button.clicked.connect(self._template_clicked)
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_DELAY_MS)
        self._refresh_timer.timeout.connect(self.refresh)
        self.loading = False
        self._request = 0
        self.refresh()

    def _refresh_later(self) -> None:
        """Autosaves come every few hundred milliseconds while a clerk types: refresh the list (which
        re-checks every declaration) once typing has paused."""
        self._refresh_timer.start()

    # -- list ------------------------------------------------------------------------------------

    def refresh(self, *, select: int | None = None) -> Task[list[decl.DeclarationRow]]:
        """Read the list again in the background; then select ``select`` (or keep the selection)."""
        self._refresh_timer.stop()
        self._request += 1
        request = self._request
        self.loading = True
        self.table.setToolTip("正在读取申报书列表…")
        ctx = self.ctx

        def arrived(rows: list[decl.DeclarationRow]) -> None:
            if request != self._request:  # a later refresh wins
                return
            keep = [select] if select is not None else self.selected_ids()
            self._fill(rows)
            for i, did in enumerate(keep):
                self.select_id(did, add=i > 0)
            self._finish_loading()

        def failed(exc: BaseException) -> None:
            if request != self._request:
                return
            self._finish_loading()
            if isinstance(exc, ServiceError | EnvironmentProblem):
                self._say(str(exc), error=True)
            else:
                from lzcenter_desktop.ui.dialogs.errors import report_exception

                report_exception(exc, self)

        return run_in_background(
            lambda: decl.list_declarations(ctx), parent=self, on_success=arrived, on_failure=failed
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

    # -- actions ---------------------------------------------------------------------------------

    def _new_clicked(self) -> None:
        year = self.ask_year()
        if year is not None:
            self.new_declaration(year)

    def new_declaration(self, call_year: int) -> DeclarationWizard | None:
        try:
            did = decl.create_draft(self.ctx, call_year=call_year)
        except (ServiceError, EnvironmentProblem) as exc:
            self._say(str(exc), error=True)
            return None
        self.refresh(select=did)
        return self.open_wizard(did)

    def continue_selected(self) -> DeclarationWizard | None:
        ids = self.selected_ids()
        if len(ids) != 1:
            self._say("请先选中一份申报书", error=True)
            return None
        return self.open_wizard(ids[0])

    def open_wizard(self, declaration_id: int) -> DeclarationWizard | None:
        try:
            wizard = DeclarationWizard(self.ctx, declaration_id, self)
        except (ServiceError, EnvironmentProblem) as exc:
            self._say(str(exc), error=True)
            return None
        wizard.setWindowModality(Qt.WindowModality.NonModal)
        wizard.saved.connect(self._refresh_later)
        wizard.finished.connect(lambda _r: self.refresh())
        self.wizards.append(wizard)
        wizard.show()
        self.wizard_opened.emit(wizard)
        return wizard

    def _import_clicked(self) -> None:
        path = self.choose_open_file("导入申报书", "申报书交换文件 (*.json)")
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> int | None:
        try:
            outcome = decl.import_declaration_file(self.ctx, path=path)
        except FormatError as exc:
            self._say(f"“{path.name}”不是申报书交换格式：{exc}", error=True)
            return None
        except (ServiceError, EnvironmentProblem) as exc:
            self._say(str(exc), error=True)
            return None
        self.refresh(select=outcome.declaration_id)
        errors = sum(1 for v in outcome.violations if v.is_error)
        if outcome.violations:
            self._say(
                f"已导入为第 {outcome.declaration_id} 号草稿；发现 {errors} 项错误、"
                f"{len(outcome.violations) - errors} 项提醒，请继续填写改正"
            )
        else:
            self._say(f"已导入为第 {outcome.declaration_id} 号草稿，未发现问题")
        return outcome.declaration_id

    def _export_clicked(self) -> None:
        ids = self.selected_ids()
        if len(ids) != 1:
            self._say("请先选中一份申报书", error=True)
            return
        path = self.choose_save_file("导出申报书", "申报书交换文件 (*.json)")
        if path:
            self.export_to(ids[0], Path(path))

    def export_to(self, declaration_id: int, path: Path) -> bool:
        try:
            decl.write_export(self.ctx, declaration_id=declaration_id, path=path)
        except (ServiceError, EnvironmentProblem) as exc:
            self._say(str(exc), error=True)
            return False
        self._say(f"已导出到 {path}")
        return True

    def _template_clicked(self) -> None:
        year = self.ask_template_year()
        if year is None:
            return
        path = self.choose_save_file(f"保存 {year} 年度申报书 Excel 模板", "Excel 工作簿 (*.xlsx)")
        if path:
            self.write_blank_template(Path(path), year)

    def write_blank_template(self, path: Path, call_year: int) -> bool:
        """The applicants' workbook of ``call_year``'s form, with the year's key-industry list."""
        from lzcenter_desktop.services import declaration_files

        try:
            path = declaration_files.write_blank_template(self.ctx, call_year=call_year, path=path)
        except (ServiceError, EnvironmentProblem) as exc:
            self._say(str(exc), error=True)
            return False
        self._say(f"已生成 {call_year} 年度申报书 Excel 模板：{path}（发给申报单位填写后，可用“导入”读回）")
        return True

    def compare_selected(self) -> CompareDialog | None:
        ids = self.selected_ids()
        if len(ids) != 2:
            self._say("请按住 Ctrl 选中两份申报书再比较", error=True)
            return None
        try:
            diffs = decl.compare_declarations(self.ctx, left_id=ids[0], right_id=ids[1])
        except (ServiceError, EnvironmentProblem) as exc:
            self._say(str(exc), error=True)
            return None
        dialog = CompareDialog(ids[0], ids[1], diffs, self)
        dialog.show()
        return dialog

    def _open_dialog(self, title: str, filt: str) -> str:
        path, _ = QFileDialog.getOpenFileName(self, title, "", filt)
        return path

    def _save_dialog(self, title: str, filt: str) -> str:
        path, _ = QFileDialog.getSaveFileName(self, title, "", filt)
        return path
