"""帮助 → 审计日志: the audit trail, filtered by kind of record, record number, operator, a range of
days and text, newest first, a page of 200 entries at a time (100,000 entries page as quickly as
10); 校验 walks the hash chain on a worker and says in Chinese whether the trail is intact or which
entry was changed; 导出 Excel writes the filtered entries (services/audit_export.py).

Every read runs through :func:`lzcenter_desktop.ui.ops.query_op`; who may read the trail (every
signed-in role but 评审专家) is checked by the service — a refusal is shown in the dialog.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from lzcenter_desktop.services.audit_export import AuditExport, write_audit_xlsx
from lzcenter_desktop.services.audit_query import (
    PAGE_SIZE,
    AuditFilter,
    AuditPage,
    AuditRow,
    FilterChoices,
    content_of,
    field_text,
    filter_choices,
    query_audit,
    shown_value,
    verification_text,
    verify,
)
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.ui import ops
from lzcenter_desktop.ui.models.base import Column, RowTableModel
from lzcenter_desktop.ui.saved_notice import announce_saved
from lzcenter_desktop.ui.widgets.date_edit import DateEdit

ALL = "（全部）"
BAD = QColor("#b3261e")
GOOD = QColor("#1b6e20")
HINT = QColor("#808080")  # a code the catalogue (domain/audit_labels.py) does not name

COLUMNS: tuple[Column[AuditRow], ...] = (
    Column("序号", lambda r: str(r.entry_id)),
    Column("时间", lambda r: r.local_time),
    Column("操作人", lambda r: r.operator),
    Column("记录类别", lambda r: r.entity_text),
    Column("记录编号", lambda r: r.entity_id),
    Column("操作", lambda r: r.operation_text),
    Column("事项", lambda r: r.action_text, lambda r: None if r.action_known else HINT),
    Column("内容", lambda r: r.details()),
)


def _content_lines(row: AuditRow, text: str | None) -> str:
    values = content_of(text)
    if values is None:
        return html.escape(text or "（无）")
    if not values:
        return "（无）"
    return "<br>".join(
        f"{html.escape(field_text(row.entity, key))}：{html.escape(shown_value(row.entity, key, value))}"
        for key, value in sorted(values.items())
    )


def entry_html(row: AuditRow) -> str:
    """The detail pane of an entry: what was done, to which record, every field before and after
    by its Chinese name; the codes the catalogue does not name in a grey hint at the end."""
    head = (
        f"第 {row.entry_id} 条　{row.local_time}　{row.operator}　{row.operation_text}"
        f"{row.entity_text}（编号 {row.entity_id}）　{row.action_text}"
    )
    parts = [
        f"<p><b>{html.escape(head)}</b></p>",
        f"<p>修改前：<br>{_content_lines(row, row.before)}</p>",
        f"<p>修改后：<br>{_content_lines(row, row.after)}</p>",
    ]
    unknown = row.unknown_codes()
    if unknown:
        codes = html.escape("、".join(unknown))
        parts.append(f'<p style="color:{HINT.name()}">（未收录中文名称的代码：{codes}）</p>')
    return "".join(parts)


def _failure_text(exc: BaseException) -> str:
    return str(exc) if isinstance(exc, ServiceError) else f"没有完成：{exc}"


class AuditViewerDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.page: AuditPage | None = None
        self.offset = 0
        self.loaded = False  # the current page is shown
        self.verifying = False
        self.exporting = False
        self.setWindowTitle("审计日志")
        self.setObjectName("auditViewerDialog")
        self.resize(1200, 680)
        layout = QVBoxLayout(self)
        layout.addLayout(self._filters())

        self.model: RowTableModel[AuditRow] = RowTableModel(COLUMNS, parent=self)
        self.table = QTableView()
        self.table.setObjectName("auditTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        for column, width in enumerate((64, 150, 130, 110, 70, 50, 220)):
            self.table.setColumnWidth(column, width)
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(self._show_entry)
        self.detail = QTextEdit()
        self.detail.setObjectName("auditDetail")
        self.detail.setReadOnly(True)
        self.detail.setPlaceholderText("在表中选择一条记录，这里显示它修改前后的完整内容。")
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        layout.addWidget(splitter, 1)

        pages = QHBoxLayout()
        self.count_label = QLabel("正在读取…")
        self.count_label.setObjectName("auditCount")
        self.prev_button = QPushButton("上一页(&P)")
        self.prev_button.clicked.connect(lambda: self.go(self.offset - PAGE_SIZE))
        self.next_button = QPushButton("下一页(&N)")
        self.next_button.clicked.connect(lambda: self.go(self.offset + PAGE_SIZE))
        self.verify_button = QPushButton("校验(&V)")
        self.verify_button.setToolTip("核对审计链：找出在程序之外被修改、插入或删除的记录")
        self.verify_button.clicked.connect(self.run_verify)
        self.export_button = QPushButton("导出 Excel(&E)…")
        self.export_button.setToolTip("把符合当前条件的全部记录导出为 Excel 文件")
        self.export_button.clicked.connect(self.ask_export)
        close = QPushButton("关闭(&C)")
        close.clicked.connect(self.reject)
        pages.addWidget(self.count_label, 1)
        for button in (self.prev_button, self.next_button, self.verify_button, self.export_button, close):
            pages.addWidget(button)
        layout.addLayout(pages)
        self.message = QLabel("")
        self.message.setObjectName("auditMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.message)
        refresh = QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self)  # F5
        refresh.activated.connect(self.apply_filter)
        self.load_choices()
        self.apply_filter()

    # -- filters ---------------------------------------------------------------------------------
    def _filters(self) -> QGridLayout:
        grid = QGridLayout()
        self.entity = QComboBox()
        self.entity.setObjectName("auditEntity")
        self.entity.addItem(ALL, None)
        self.entity_id = QLineEdit()
        self.entity_id.setPlaceholderText("如 12")
        self.entity_id.setMaximumWidth(90)
        self.operator = QComboBox()
        self.operator.setObjectName("auditOperator")
        self.operator.addItem(ALL, None)
        self.date_from = DateEdit()
        self.date_to = DateEdit()
        self.text = QLineEdit()
        self.text.setPlaceholderText("事项或记录内容中的文字")
        self.apply_button = QPushButton("查询(&Q)")
        self.apply_button.setDefault(False)
        self.apply_button.setAutoDefault(False)
        self.apply_button.clicked.connect(self.apply_filter)
        clear = QPushButton("清除条件(&R)")
        clear.setAutoDefault(False)
        clear.clicked.connect(self.clear_filter)
        fields: tuple[tuple[str, QWidget], ...] = (
            ("记录类别(&K)", self.entity),
            ("记录编号(&I)", self.entity_id),
            ("操作人(&U)", self.operator),
            ("起始日期(&S)", self.date_from),
            ("截止日期(&D)", self.date_to),
            ("包含文字(&W)", self.text),
        )
        for i, (title, widget) in enumerate(fields):
            label = QLabel(title)
            label.setBuddy(widget)
            grid.addWidget(label, i // 3, (i % 3) * 2)
            grid.addWidget(widget, i // 3, (i % 3) * 2 + 1)
        grid.addWidget(self.apply_button, 0, 6)
        grid.addWidget(clear, 1, 6)
        grid.setColumnStretch(5, 1)
        self.entity.currentIndexChanged.connect(self.apply_filter)
        self.operator.currentIndexChanged.connect(self.apply_filter)
        self.date_from.date_committed.connect(self.apply_filter)
        self.date_to.date_committed.connect(self.apply_filter)
        self.entity_id.returnPressed.connect(self.apply_filter)
        self.text.returnPressed.connect(self.apply_filter)
        return grid

    def current_filter(self) -> AuditFilter:
        return AuditFilter(
            entity=self.entity.currentData(),
            entity_id=self.entity_id.text().strip() or None,
            operator=self.operator.currentData(),
            date_from=self.date_from.date(),
            date_to=self.date_to.date(),
            text=self.text.text().strip() or None,
        )

    def clear_filter(self) -> None:
        for combo in (self.entity, self.operator):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.entity_id.clear()
        self.text.clear()
        self.date_from.setDate(None)
        self.date_to.setDate(None)
        self.apply_filter()

    def load_choices(self) -> None:
        ctx = self.ctx
        ops.query_op(
            lambda: filter_choices(ctx),
            parent=self,
            on_success=self._show_choices,
            on_failure=lambda exc: self.message.setText(_failure_text(exc)),
            key=f"audit-choices:{id(self)}",
        )

    def _show_choices(self, choices: FilterChoices) -> None:
        for combo, items in (
            (self.entity, choices.entities),
            (self.operator, tuple((o, o) for o in choices.operators)),
        ):
            chosen = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(ALL, None)
            for value, label in items:
                combo.addItem(label, value)
            found = combo.findData(chosen) if chosen is not None else 0
            combo.setCurrentIndex(max(found, 0))
            combo.blockSignals(False)

    # -- pages -----------------------------------------------------------------------------------
    def apply_filter(self) -> None:
        self.go(0)

    def go(self, offset: int) -> None:
        """Show the page starting at entry ``offset`` of the filtered trail."""
        for edit in (self.date_from, self.date_to):
            if edit.error_text():
                self.message.setText(f"日期“{edit.line.text()}”无法识别：{edit.error_text()}")
                return
        self.offset = max(0, offset)
        self.loaded = False
        ctx, flt, start = self.ctx, self.current_filter(), self.offset
        self.count_label.setText("正在读取…")
        ops.query_op(
            lambda: query_audit(ctx, flt, offset=start, limit=PAGE_SIZE),
            parent=self,
            on_success=self._show_page,
            on_failure=self._page_failed,
            key=f"audit-page:{id(self)}",
        )

    def _show_page(self, page: AuditPage) -> None:
        self.page = page
        self.model.set_rows(page.rows)
        self.detail.clear()
        if page.total == 0:
            self.count_label.setText("没有符合条件的审计记录")
        else:
            last = page.offset + len(page.rows)
            self.count_label.setText(
                f"共 {page.total} 条，第 {page.page_no}/{page.pages} 页（第 {page.offset + 1}–{last} 条）"
            )
        self.prev_button.setEnabled(page.offset > 0)
        self.next_button.setEnabled(page.offset + len(page.rows) < page.total)
        if self.message.text().startswith(("结束日期", "日期“")):
            self.message.setText("")
        self.loaded = True

    def _page_failed(self, exc: BaseException) -> None:
        self.model.set_rows([])
        self.count_label.setText("无法读取审计日志")
        self.message.setText(_failure_text(exc))
        self.prev_button.setEnabled(False)
        self.next_button.setEnabled(False)
        self.loaded = True

    def _show_entry(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            self.detail.clear()
            return
        row = self.model.row_at(current.row())
        self.detail.setHtml(entry_html(row))

    # -- verify and export -------------------------------------------------------------------------
    def run_verify(self) -> None:
        self.verifying = True
        self.verify_button.setEnabled(False)
        self._say("正在校验审计链…", None)
        ctx = self.ctx

        def done(result: tuple[bool, str]) -> None:
            ok, text = result
            self._say(text, GOOD if ok else BAD)
            self.verify_button.setEnabled(True)
            self.verifying = False

        def failed(exc: BaseException) -> None:
            self._say(_failure_text(exc), BAD)
            self.verify_button.setEnabled(True)
            self.verifying = False

        def check() -> tuple[bool, str]:
            result = verify(ctx)
            return result.ok, verification_text(result)

        ops.query_op(check, parent=self, on_success=done, on_failure=failed, key=f"audit-verify:{id(self)}")

    def ask_export(self) -> None:
        name, _selected = QFileDialog.getSaveFileName(
            self, "导出审计日志", "审计日志.xlsx", "Excel 文件 (*.xlsx)"
        )
        if name:
            self.export_to(Path(name if name.lower().endswith(".xlsx") else f"{name}.xlsx"))

    def export_to(self, path: Path) -> None:
        self.exporting = True
        self.export_button.setEnabled(False)
        self._say(f"正在导出到 {path} …", None)
        ctx, flt = self.ctx, self.current_filter()

        def done(exported: AuditExport) -> None:
            notes = "；".join(exported.notes)
            self._say(
                f"已导出 {exported.entries} 条审计记录到 {exported.path}" + (f"。{notes}" if notes else ""),
                GOOD,
            )
            self.export_button.setEnabled(True)
            self.exporting = False
            announce_saved(self, Path(exported.path))

        def failed(exc: BaseException) -> None:
            self._say(_failure_text(exc), BAD)
            self.export_button.setEnabled(True)
            self.exporting = False

        ops.query_op(
            lambda: write_audit_xlsx(ctx, flt, path), parent=self, on_success=done, on_failure=failed
        )

    def _say(self, text: str, colour: QColor | None) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(f"color: {colour.name()};" if colour is not None else "")


def open_audit_viewer(window: QWidget) -> AuditViewerDialog:
    """帮助 → 审计日志 of the main window (which has ``ctx``): a modeless dialog, Esc closes it."""
    ctx: AppContext = window.ctx  # type: ignore[attr-defined]
    dialog = AuditViewerDialog(ctx, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.audit_dialog = dialog  # type: ignore[attr-defined]
    dialog.show()
    return dialog
