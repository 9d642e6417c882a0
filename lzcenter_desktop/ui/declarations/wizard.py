"""The declaration wizard, generated from the form definition of the call year.

One page per section of ``forms/declaration-<year>.toml`` (a section with neither fields nor tables is
the 检查与提交 page); one editor per field by its type; one grid per table. As the clerk types, the
rule engine runs on the draft and each violation appears beside its field or on its cell, with the
article and the numbers; each page lists its own, the last page lists all.

No database call is made on the UI thread (issue 11 item 1): what the wizard shows is read on a
worker (:func:`load_wizard_data`, the 申报 page opens the wizard once it has arrived), and every
write goes through :func:`~lzcenter_desktop.ui.ops.write_op`, in order, on the one write thread.
Autosave: each change is handed to the write thread at once (:data:`SAVE_DELAY_MS`); while a save
is still running (the database busy, another program holding its lock) typing goes on and only the
latest document is remembered, saved as soon as the running save ends — so a change is stored
within milliseconds when the database is free, and nothing waits for it when it is not. The status
says 正在保存… / 已自动保存 / why it could not be saved (a busy database is tried again by itself).
Leaving a field or a page, the window losing focus and the application going to the background
hand a pending change over at once; closing the wizard and quitting the application also wait for
it to be written (:meth:`DeclarationWizard.commit_pending`). The reason typed for a warning is
stored as soon as the cell is committed, and shown again when the draft is resumed. When a rule
set is saved (``data_changed`` with ``rulesets``) the wizard checks again with the new parameters.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QCloseEvent, QDesktopServices, QGuiApplication, QImage, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from lzcenter_desktop.domain.formdef import FormDef, SectionDef, get_path
from lzcenter_desktop.domain.settings import RuleSettings
from lzcenter_desktop.domain.violations import Severity, Violation
from lzcenter_desktop.services import attachments as att
from lzcenter_desktop.services import declarations as decl
from lzcenter_desktop.services import rulesets
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import DatabaseLocked, EnvironmentProblem, ServiceError
from lzcenter_desktop.ui import ops
from lzcenter_desktop.ui.declarations.editors import ERROR_STYLE, WARNING_STYLE, FieldEditor, violation_text
from lzcenter_desktop.ui.declarations.flags import Placement, path_label, place
from lzcenter_desktop.ui.declarations.table import TableEditor
from lzcenter_desktop.ui.tasks import Task

# A save costs about 2 ms (one UPDATE and one compact audit entry, see benchmarks/README.md), so
# every change is handed to the write thread on the next turn of the event loop; tests may pass a
# delay to batch. A save refused because another program holds the database is tried again after
# RETRY_DELAY_MS (and at the next change).
SAVE_DELAY_MS = 0
RETRY_DELAY_MS = 1000
SAVING = "正在保存…"
SAVED = "已自动保存"
FileChooser = Callable[[str, str], str]  # (title, filter) → path or ""
# Fields that a save copies to a linked centre in 草稿 and a draft-owned host (services/declarations.py)
_LINKED_PATHS = ("center.name_zh", "center.name_en", "center.research_direction", "host.name", "host.kind")


@dataclass(frozen=True)
class WizardData:
    """Everything the wizard shows of a declaration, read in one go on a worker thread."""

    view: decl.DeclarationView
    form: FormDef
    settings: RuleSettings
    acks: dict[str, str]
    attachments: list[att.AttachmentView]
    duplicates: list[Violation]
    revocation: decl.RecordedRevocation | None


def _records_check(
    ctx: AppContext, declaration_id: int, document: dict[str, Any]
) -> tuple[list[Violation], decl.RecordedRevocation | None] | None:
    """What the records say about this host: the same host twice in a call, a revoked centre
    (None when they could not be read: the wizard keeps what it knew)."""
    try:
        return (
            decl.duplicate_violations(ctx, declaration_id=declaration_id, document=document),
            decl.recorded_revocation(ctx, document=document),
        )
    except (ServiceError, EnvironmentProblem):
        return None


def load_wizard_data(ctx: AppContext, declaration_id: int) -> WizardData:
    """Read what :class:`DeclarationWizard` needs (call it on a worker thread)."""
    view = decl.get_declaration(ctx, declaration_id)
    records = _records_check(ctx, declaration_id, view.data)
    duplicates, revocation = records if records is not None else ([], None)
    return WizardData(
        view=view,
        form=decl.load_declaration_form(view.call_year),
        settings=rulesets.settings_for_year(ctx, view.call_year),
        acks=decl.list_acknowledgements(ctx, declaration_id=declaration_id),
        attachments=att.list_attachments(ctx, declaration_id=declaration_id),
        duplicates=duplicates,
        revocation=revocation,
    )


class _Stored:
    """What the write thread has stored, readable on the GUI thread before its result is delivered
    (so that :meth:`DeclarationWizard.commit_pending` knows the outcome right after waiting)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._generation = 0  # the newest edit generation written to the database
        self._acks = 0  # acknowledgements handed to the write thread and not yet written
        self._error = ""  # why the latest save failed (Chinese), "" after a successful one

    @property
    def generation(self) -> int:
        with self._lock:
            return self._generation

    def saved(self, generation: int) -> None:
        with self._lock:
            self._generation = max(self._generation, generation)
            self._error = ""

    def failed(self, exc: BaseException) -> None:
        with self._lock:
            self._error = str(exc) if isinstance(exc, ServiceError | EnvironmentProblem) else "程序出错"

    @property
    def error(self) -> str:
        with self._lock:
            return self._error

    @property
    def acks_pending(self) -> int:
        with self._lock:
            return self._acks

    def ack_started(self) -> None:
        with self._lock:
            self._acks += 1

    def ack_ended(self) -> None:
        with self._lock:
            self._acks -= 1


def _section_totals(section: SectionDef, document: dict[str, Any], wizard: DeclarationWizard) -> str:
    """Running totals where the Measures count things: staff shares, three years of investment."""
    keys = {t.key for t in section.tables}
    parts: list[str] = []
    if "staff" in keys:
        parts.append(decl.staff_totals(document, wizard.settings).text())
    if "investments" in keys:
        rows = [r for r in (get_path(document, "investments") or []) if isinstance(r, dict)]
        total = sum(r["amount_yuan"] for r in rows if isinstance(r.get("amount_yuan"), int))
        need = wizard.settings.min_investment_yuan
        parts.append(
            f"建设运行经费投入合计 {total / 10000:,.2f} 万元（要求申报前三年累计 ≥ {need / 10000:,.0f} 万元）"
        )
    return "；".join(parts)


class SectionPage(QWizardPage):
    """A page of fields and tables of one section, with the page's check results below."""

    def __init__(self, wizard: DeclarationWizard, section: SectionDef) -> None:
        super().__init__()
        self.section = section
        self.form = wizard.form
        self.setTitle(section.title)
        self.setSubTitle(section.help)
        self.editors: dict[str, FieldEditor] = {}
        self.tables: dict[str, TableEditor] = {}
        body = QWidget()
        layout = QVBoxLayout(body)
        if section.fields:
            form = QFormLayout()
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            for fd in section.fields:
                choices = fd.choices
                if fd.type == "multi_enum":
                    choices = tuple((k, k) for k in wizard.settings.key_industries)
                editor = FieldEditor(fd, choices=choices, parent=body)
                editor.changed.connect(wizard.field_changed)
                editor.committed.connect(wizard.save_now)  # leaving the field: save at once
                self.editors[fd.key] = editor
                required = fd.required or bool(fd.required_if)
                form.addRow(QLabel(fd.label + ("*" if required else "")), editor)
            layout.addLayout(form)
        for table in section.tables:
            te = TableEditor(table, body)
            te.changed.connect(wizard.field_changed)
            self.tables[table.key] = te
            layout.addWidget(te)
        self.totals = QLabel(body)
        self.totals.setObjectName(f"totals:{section.id}")
        self.totals.setWordWrap(True)
        self.totals.setStyleSheet("font-weight: bold;")
        layout.addWidget(self.totals)
        self.attachments: AttachmentsPanel | None = None
        if wizard.attachments_section == section.id:
            self.attachments = AttachmentsPanel(wizard, body)
            layout.addWidget(self.attachments)
        layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        self.summary = QListWidget(self)
        self.summary.setObjectName(f"summary:{section.id}")
        self.summary.setMaximumHeight(110)
        self.summary.setWordWrap(True)
        self.summary.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.status = QLabel(self)
        self.status.setObjectName(f"status:{section.id}")
        outer = QVBoxLayout(self)
        outer.addWidget(scroll, 1)
        head = QHBoxLayout()
        head.addWidget(QLabel("本页检查结果："))
        head.addStretch(1)
        head.addWidget(self.status)
        outer.addLayout(head)
        outer.addWidget(self.summary)

    def load(self, document: dict[str, Any]) -> None:
        for key, editor in self.editors.items():
            editor.set_value(get_path(document, key))
        for key, te in self.tables.items():
            rows = get_path(document, key)
            te.set_rows(rows if isinstance(rows, list) else [])

    def show_flags(self, placement: Placement, totals: str) -> None:
        for key, editor in self.editors.items():
            editor.show_violations(placement.fields.get(key, []))
        for key, te in self.tables.items():
            te.show_violations(placement.tables.get(key, []), placement.cells.get(key, {}))
        self.totals.setText(totals)
        self.totals.setVisible(bool(totals))
        self.summary.clear()
        mine = placement.sections.get(self.section.id, [])
        for v in mine:
            item = QListWidgetItem(f"{path_label(self.form, v.path)}：{violation_text(v)}")
            item.setForeground(Qt.GlobalColor.darkRed if v.is_error else Qt.GlobalColor.darkYellow)
            self.summary.addItem(item)
        if not mine:
            self.summary.addItem("本页未发现问题。")


class AttachmentsPanel(QWidget):
    """The attachments of the declaration: add (copied, SHA-256), preview, remove; missing or changed
    files are flagged."""

    def __init__(self, wizard: DeclarationWizard, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.owner = wizard
        self.list = QListWidget(self)
        self.list.setObjectName("attachments")
        self.list.setMaximumHeight(120)
        self.title_edit = QLineEdit(self)
        self.title_edit.setPlaceholderText("附件名称，如 营业执照、专利证书、合同")
        self.add_button = QPushButton("添加附件…", self)
        self.remove_button = QPushButton("移除所选", self)
        self.open_button = QPushButton("打开", self)
        self.preview = QLabel(self)
        self.preview.setFixedHeight(120)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        row = QHBoxLayout()
        row.addWidget(self.title_edit, 1)
        for b in (self.add_button, self.remove_button, self.open_button):
            row.addWidget(b)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("<b>附件</b>（扫描的 PDF 或图片，每个不超过 20 MB）"))
        layout.addLayout(row)
        layout.addWidget(self.list)
        layout.addWidget(self.preview)
        layout.addWidget(self.message)
        self.add_button.clicked.connect(self._choose)
        self.remove_button.clicked.connect(self._remove)
        self.open_button.clicked.connect(self._open)
        self.list.currentRowChanged.connect(self._show_preview)
        self.views: list[att.AttachmentView] = []

    def refresh(self) -> Task[list[att.AttachmentView]]:
        """Read the attachments again (on a worker: each stored file's SHA-256 is checked)."""
        ctx, declaration_id = self.owner.ctx, self.owner.declaration_id
        return ops.query_op(
            lambda: att.list_attachments(ctx, declaration_id=declaration_id),
            parent=self,
            key=f"attachments:{id(self)}",
            on_success=self.show_views,
            on_failure=self._failed,
        )

    def show_views(self, views: list[att.AttachmentView]) -> None:
        self.views = views
        self.list.clear()
        problems = []
        for v in self.views:
            size = f"{v.size_bytes / 1024:,.0f} KB"
            text = f"{v.title} — {v.file_name}（{size}，SHA-256 {v.sha256[:12]}…）"
            if v.state != "ok":
                text += f"  ⚠ {att.STATE_LABELS[v.state]}"
                problems.append(v.message)
            self.list.addItem(text)
        self.message.setText("\n".join(problems))

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, ServiceError | EnvironmentProblem):
            self.message.setText(str(exc))
        else:
            from lzcenter_desktop.ui.dialogs.errors import report_exception

            report_exception(exc, self)

    def add_file(self, path: Path, title: str) -> Task[int]:
        """Copy ``path`` in as an attachment (on the write thread); then the list is read again."""
        ctx, declaration_id = self.owner.ctx, self.owner.declaration_id
        self.message.setText(f"正在添加“{path.name}”…")

        def added(_id: int) -> None:
            self.message.setText("")
            self.title_edit.clear()
            self.refresh()

        return ops.write_op(
            lambda: att.add_attachment(ctx, declaration_id=declaration_id, source=path, title=title),
            parent=self,
            kinds={"declarations"},
            on_success=added,
            on_failure=self._failed,
        )

    def _after_change(self) -> None:
        self.refresh()

    def _choose(self) -> None:
        path = self.owner.choose_open_file("添加附件", "扫描件 (*.pdf *.jpg *.jpeg *.png *.tif *.tiff *.bmp)")
        if path:
            self.add_file(Path(path), self.title_edit.text() or Path(path).stem)

    def _remove(self) -> Task[None] | None:
        row = self.list.currentRow()
        if not 0 <= row < len(self.views):
            return None
        ctx, attachment_id = self.owner.ctx, self.views[row].id

        def failed(exc: BaseException) -> None:
            self._failed(exc)
            self.refresh()

        return ops.write_op(
            lambda: att.retire_attachment(ctx, attachment_id=attachment_id),
            parent=self,
            kinds={"declarations"},
            on_success=lambda _r: self._after_change(),
            on_failure=failed,
        )

    def _open(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.views) and self.views[row].state != "missing":
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.views[row].path)))

    def _show_preview(self, row: int) -> None:
        self.preview.clear()
        if 0 <= row < len(self.views):
            v = self.views[row]
            if v.is_image and v.state != "missing":
                pix = QPixmap(str(v.path))
                if not pix.isNull():
                    self.preview.setPixmap(
                        pix.scaledToHeight(116, Qt.TransformationMode.SmoothTransformation)
                    )
                    return
            if v.state != "missing" and v.file_name.lower().endswith(".pdf"):
                image = pdf_first_page(v.path, 116)
                if image is not None:
                    self.preview.setPixmap(QPixmap.fromImage(image))
                    return
            self.preview.setText(f"{v.file_name}（无法预览，请点“打开”用系统程序查看）")


class ReviewPage(QWizardPage):
    """检查与提交: every violation; a reason for each warning; 提交 only when nothing blocks it."""

    def __init__(self, wizard: DeclarationWizard, section: SectionDef) -> None:
        super().__init__()
        self.owner = wizard
        self.section = section
        self.setTitle(section.title)
        self.setSubTitle(section.help)
        self.table = QTableWidget(0, 6, self)
        self.table.setObjectName("review")
        self.table.setHorizontalHeaderLabels(
            ["级别", "规则", "条款", "位置", "说明（实际 / 要求）", "确认理由"]
        )
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(5, 200)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemChanged.connect(self._reason_changed)
        self.counts = QLabel(self)
        self.counts.setObjectName("review:counts")
        self.submit_button = QPushButton("提交申报书", self)
        self.submit_button.setObjectName("review:submit")
        self.submit_button.clicked.connect(wizard.submit)
        self.status = QLabel(self)
        self.status.setObjectName("review:status")
        self.status.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.counts, 1)
        row.addWidget(self.submit_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(self.status)
        self._filling = False
        self._rows: list[Violation] = []

    def show_all(self, violations: list[Violation], acks: dict[str, str], submitted: bool) -> None:
        self._filling = True
        try:
            self._rows = list(violations)
            self.table.setRowCount(len(violations))
            for i, v in enumerate(violations):
                cells = [
                    v.severity.label,
                    v.rule,
                    v.article,
                    path_label(self.owner.form, v.path),
                    f"{v.message}（实际：{v.actual}；要求：{v.required}）",
                ]
                for c, text in enumerate(cells):
                    item = QTableWidgetItem(text)
                    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                    if c == 0:
                        item.setForeground(
                            Qt.GlobalColor.darkRed if v.is_error else Qt.GlobalColor.darkYellow
                        )
                    self.table.setItem(i, c, item)
                reason = QTableWidgetItem(acks.get(decl.violation_key(v), "") if not v.is_error else "")
                if v.is_error or submitted:
                    reason.setFlags(Qt.ItemFlag.ItemIsEnabled)
                    if v.is_error:
                        reason.setText("须改正")
                else:
                    reason.setFlags(
                        Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemIsSelectable
                    )
                    reason.setToolTip("请填写确认该提醒的理由")
                self.table.setItem(i, 5, reason)
        finally:
            self._filling = False
        self.update_state()

    def _reason_changed(self, item: QTableWidgetItem) -> None:
        if self._filling or item.column() != 5 or not 0 <= item.row() < len(self._rows):
            return
        v = self._rows[item.row()]
        if not v.is_error:
            self.owner.acknowledge(v, item.text())
            self.update_state()

    def commit_open_editor(self) -> None:
        """Hand the text of a 确认理由 cell still being edited to the table (which stores it)."""
        if self.table.state() == QAbstractItemView.State.EditingState:
            for editor in self.table.viewport().findChildren(QLineEdit):
                self.table.commitData(editor)

    def set_reason(self, v: Violation, reason: str) -> None:
        """What typing the reason into the row of ``v`` does (used by the row's cell and by tests)."""
        for i, row in enumerate(self._rows):
            if row == v:
                item = self.table.item(i, 5)
                if item is not None:
                    item.setText(reason)

    def update_state(self) -> None:
        errors = [v for v in self._rows if v.is_error]
        warnings = [v for v in self._rows if v.severity is Severity.WARNING]
        missing = [v for v in warnings if not self.owner.acks.get(decl.violation_key(v), "").strip()]
        text = f"错误 {len(errors)} 项，提醒 {len(warnings)} 项（未确认 {len(missing)} 项）"
        if self.owner.submitted:
            text = "已提交。" + text
        self.counts.setText(text)
        self.submit_button.setEnabled(
            not errors and not missing and not self.owner.submitted and not self.owner.submitting
        )
        if errors:
            self.submit_button.setToolTip("还有错误，改正后才能提交")
        elif missing:
            self.submit_button.setToolTip("每条提醒都须填写确认理由")
        else:
            self.submit_button.setToolTip("")


class DeclarationWizard(QWizard):
    """The wizard over one declaration (draft). ``saved`` is emitted after each save, ``submitted_ok``
    after a successful submission.

    ``data`` is what :func:`load_wizard_data` read on a worker thread (the 申报 page passes it);
    without it the constructor reads it itself, on the calling thread — for scripts and tests."""

    saved = Signal()
    submitted_ok = Signal(int)
    # the Excel import under way: the reading task, its busy dialog, then the preview (see import_excel)
    import_task: Task[Any] | None = None
    import_progress: QWidget | None = None
    import_dialog: QWidget | None = None

    def __init__(
        self,
        ctx: AppContext,
        declaration_id: int,
        parent: QWidget | None = None,
        *,
        save_delay_ms: int = SAVE_DELAY_MS,
        data: WizardData | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.declaration_id = declaration_id
        if data is None:
            data = load_wizard_data(ctx, declaration_id)
        view = data.view
        self.call_year = view.call_year
        self.document: dict[str, Any] = copy.deepcopy(view.data)
        self.submitted = view.status != "draft"
        self.submitting = False  # a submission is on its way to the write thread
        self.form: FormDef = data.form
        self.settings = data.settings
        self.acks: dict[str, str] = dict(data.acks)
        self.violations: list[Violation] = []
        self._duplicates: list[Violation] = list(data.duplicates)
        self._revocation: decl.RecordedRevocation | None = data.revocation  # D25 from the bureau's records
        self.choose_open_file: FileChooser = self._open_dialog
        self.choose_save_file: FileChooser = self._save_dialog
        # asked when the wizard closes with a change that could not be saved: close anyway?
        self.confirm_discard: Callable[[str], bool] = self._ask_discard
        self._discard_agreed = False
        self.setWindowTitle(f"{self.form.title}（{view.call_year} 年度，第 {declaration_id} 号）")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.HaveCustomButton1, True)
        self.setOption(QWizard.WizardOption.HaveCustomButton2, True)
        self.setOption(QWizard.WizardOption.HaveCustomButton3, True)
        self.setButtonText(QWizard.WizardButton.CustomButton1, "从 Excel 导入…")
        self.setButtonText(QWizard.WizardButton.CustomButton2, "导出 Excel…")
        self.setButtonText(QWizard.WizardButton.CustomButton3, "打印申请书 PDF…")
        self.setButtonText(QWizard.WizardButton.NextButton, "下一步")
        self.setButtonText(QWizard.WizardButton.BackButton, "上一步")
        self.setButtonText(QWizard.WizardButton.FinishButton, "关闭")
        self.setOption(QWizard.WizardOption.NoCancelButton, True)
        self.setOption(QWizard.WizardOption.HaveFinishButtonOnEarlyPages, True)
        self.customButtonClicked.connect(self._custom_button)
        self.resize(1000, 720)

        data_sections = [s for s in self.form.sections if s.fields or s.tables]
        self.attachments_section = data_sections[-1].id if data_sections else ""
        self.section_pages: list[SectionPage] = []
        self.review_page: ReviewPage | None = None
        for section in self.form.sections:
            if section.fields or section.tables:
                page = SectionPage(self, section)
                page.setFinalPage(True)  # 关闭 works on every page: everything is already saved
                self.section_pages.append(page)
                self.addPage(page)
            else:
                self.review_page = ReviewPage(self, section)
                self.addPage(self.review_page)
        self.save_status = ""
        # Autosave bookkeeping: every edit makes a new generation of the document; a save carries
        # the generation it wrote (see _Stored). Unsaved: an edit newer than what is stored.
        self._edits = 0  # generation of the document on screen
        self._sent = 0  # newest generation handed to the write thread (and not failed)
        self._stored = _Stored()
        self._saving: Task[Any] | None = None  # the newest save on its way
        self._last_linked = self._linked_values()
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(save_delay_ms)
        self._save_timer.timeout.connect(self._autosave)
        self._retry_timer = QTimer(self)
        self._retry_timer.setSingleShot(True)
        self._retry_timer.setInterval(RETRY_DELAY_MS)
        self._retry_timer.timeout.connect(self._autosave)
        self.currentIdChanged.connect(lambda _id: self.save_now())
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.commit_pending)
        if isinstance(app, QGuiApplication):
            app.applicationStateChanged.connect(self._application_state_changed)
        ops.hub().data_changed.connect(self._data_changed)
        self._loading = True
        for page in self.section_pages:
            page.load(self.document)
            if page.attachments is not None:
                page.attachments.show_views(data.attachments)
        self._loading = False
        self.recheck()
        if self.submitted:
            self._lock()

    def _lock(self) -> None:
        """A submitted declaration is read-only (the services refuse changes too)."""
        for page in self.section_pages:
            page.setEnabled(False)
        self.button(QWizard.WizardButton.CustomButton1).setEnabled(False)

    # -- pages and widgets (also what the tests reach for) ----------------------------------------

    def page_for(self, section_id: str) -> SectionPage:
        for page in self.section_pages:
            if page.section.id == section_id:
                return page
        raise KeyError(section_id)

    def editor(self, key: str) -> FieldEditor:
        for page in self.section_pages:
            if key in page.editors:
                return page.editors[key]
        raise KeyError(key)

    def table_editor(self, key: str) -> TableEditor:
        for page in self.section_pages:
            if key in page.tables:
                return page.tables[key]
        raise KeyError(key)

    # -- edits ------------------------------------------------------------------------------------

    def field_changed(self, key: str, value: Any) -> None:
        if self._loading or self.submitted:
            return
        decl.set_path(self.document, key, value)
        self._normalise_cto()
        self._edits += 1
        self.recheck()
        if self.save_status != SAVING:
            self._show_status(SAVING)
        self._save_timer.start()

    def _normalise_cto(self) -> None:
        host = self.document.get("host")
        if isinstance(host, dict) and isinstance(host.get("cto"), dict):
            cto = host["cto"]
            if all(v in (None, "") for v in cto.values()):
                host["cto"] = None

    def recheck(self) -> None:
        """Check the document on screen (the rule engine alone: no database, about 1 ms)."""
        self.violations = decl.check_document(
            self.document, form=self.form, settings=self.settings, revocation=self._revocation
        )
        self.violations += self._duplicates
        placement = place(self.form, self.violations)
        for page in self.section_pages:
            page.show_flags(placement, _section_totals(page.section, self.document, self))
        if self.review_page is not None:
            self.review_page.show_all(self.violations, self.acks, self.submitted)

    # -- autosave ---------------------------------------------------------------------------------

    def _linked_values(self) -> tuple[Any, ...]:
        return tuple(get_path(self.document, p) for p in _LINKED_PATHS)

    def _autosave(self) -> None:
        """The timer after an edit: save, unless a save is still running — the latest document is
        then saved as soon as it ends (typing never waits for the database)."""
        if self._saving is None:
            self._send()

    def save_now(self) -> Task[Any] | None:
        """Hand the pending change to the write thread at once (leaving a field or a page); the
        task that saves it, or None when nothing is pending. Never waits for the database."""
        self._save_timer.stop()
        return self._send()

    def _send(self) -> Task[Any] | None:
        self._save_timer.stop()
        self._retry_timer.stop()
        if self.submitted or self.submitting or self._edits <= self._sent:
            return None
        generation = self._edits
        snapshot = copy.deepcopy(self.document)
        linked = self._linked_values()
        kinds = {"declarations"} | ({"centers", "organizations"} if linked != self._last_linked else set())
        self._last_linked = linked
        self._sent = generation
        ctx, declaration_id, stored = self.ctx, self.declaration_id, self._stored

        def work() -> tuple[int, tuple[list[Violation], decl.RecordedRevocation | None] | None]:
            try:
                decl.save_draft(ctx, declaration_id=declaration_id, data=snapshot)
            except BaseException as exc:
                stored.failed(exc)
                raise
            stored.saved(generation)
            return generation, _records_check(ctx, declaration_id, snapshot)

        task: Task[Any] = ops.write_op(
            work,
            parent=self,
            kinds=kinds,
            on_success=self._save_done,
            on_failure=lambda exc: self._save_failed(generation, exc),
        )
        self._saving = task
        if self.save_status != SAVING:
            self._show_status(SAVING)
        return task

    def _save_done(
        self, result: tuple[int, tuple[list[Violation], decl.RecordedRevocation | None] | None]
    ) -> None:
        generation, records = result
        if generation == self._sent:
            self._saving = None
        if (
            records is not None
            and generation == self._edits
            and records != (self._duplicates, self._revocation)
        ):
            self._duplicates, self._revocation = records
            self.recheck()
        self.saved.emit()
        if self._edits > self._sent:  # typed on while it was saved: the latest document next
            self._send()
        elif not self.has_unsaved_changes():
            self._show_status(SAVED)

    def _save_failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._sent:
            self._saving = None
            self._sent = self._stored.generation  # not stored: send it again
        if not isinstance(exc, ServiceError | EnvironmentProblem):
            from lzcenter_desktop.ui.dialogs.errors import report_exception

            self._show_status("未能保存：程序出错，修改仍在窗口中", error=True)
            report_exception(exc, self)
            return
        if isinstance(exc, DatabaseLocked):
            self._show_status(f"未能保存：{exc}。稍后自动重试，修改仍在窗口中", error=True)
            self._retry_timer.start()
        else:
            self._show_status(f"未能保存：{exc}", error=True)

    def has_unsaved_changes(self) -> bool:
        """A change on screen that is not yet in the database (waiting, being saved, or refused),
        or a warning reason on its way."""
        return self._edits > self._stored.generation or self._stored.acks_pending > 0

    def unsaved_reason(self) -> str:
        """Why the change on screen is not in the database (Chinese), as the write thread last said."""
        error = self._stored.error
        return f"未能保存：{error}" if error else "尚未保存完"

    def commit_pending(self) -> bool:
        """Store everything now and wait until it is written (closing the wizard, quitting): a
        warning reason still being typed in its cell, then the pending change. True when nothing
        is left unsaved."""
        if self.review_page is not None:
            self.review_page.commit_open_editor()
        self._send()
        ops.wait_for_writes()
        return not self.has_unsaved_changes()

    def _flush(self) -> None:
        """Hand over what is pending without waiting (the window or the application lost focus)."""
        if self.review_page is not None:
            self.review_page.commit_open_editor()
        self._send()

    def _application_state_changed(self, state: Qt.ApplicationState) -> None:
        if state != Qt.ApplicationState.ApplicationActive:
            self._flush()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.ActivationChange and not self.isActiveWindow():
            self._flush()  # the window lost focus: the clerk may not come back to it

    def _data_changed(self, kinds: frozenset[str]) -> None:
        """A rule set was saved (on the 设置 page): check again with the parameters now in force."""
        if "rulesets" not in kinds:
            return
        ctx, year = self.ctx, self.call_year
        ops.query_op(
            lambda: rulesets.settings_for_year(ctx, year),
            parent=self,
            key=f"wizard-settings:{id(self)}",
            on_success=self._settings_arrived,
        )

    def _settings_arrived(self, settings: RuleSettings) -> None:
        if settings == self.settings:
            return
        self.settings = settings
        industries = tuple((k, k) for k in settings.key_industries)
        for page in self.section_pages:
            for editor in page.editors.values():
                if editor.fd.type == "multi_enum":
                    editor.set_choices(industries, get_path(self.document, editor.fd.key))
        self.recheck()
        self._show_status(f"{self.call_year} 年度规则参数已更新，已按新参数重新检查")

    # -- warning reasons --------------------------------------------------------------------------

    def acknowledge(self, violation: Violation, reason: str) -> Task[str] | None:
        """Store the reason typed for warning ``violation`` (on the write thread); a message says
        whether it was stored. None when it is the reason already stored."""
        key = decl.violation_key(violation)
        text = reason.strip()
        if self.acks.get(key, "") == text:
            return None
        ctx, declaration_id, stored = self.ctx, self.declaration_id, self._stored
        stored.ack_started()

        def work() -> str:
            try:
                decl.set_acknowledgement(
                    ctx, declaration_id=declaration_id, rule=violation.rule, path=violation.path, reason=text
                )
            finally:
                stored.ack_ended()
            return text

        def done(_text: str) -> None:
            if text:
                self.acks[key] = text
            else:
                self.acks.pop(key, None)
            self._show_status("确认理由已保存")
            if self.review_page is not None:
                self.review_page.update_state()

        def failed(exc: BaseException) -> None:
            if not isinstance(exc, ServiceError | EnvironmentProblem):
                from lzcenter_desktop.ui.dialogs.errors import report_exception

                report_exception(exc, self)
            self._show_status(f"未能保存确认理由：{exc}", error=True)
            if self.review_page is not None:
                self.review_page.update_state()

        return ops.write_op(work, parent=self, kinds={"declarations"}, on_success=done, on_failure=failed)

    def _show_status(self, text: str, *, error: bool = False) -> None:
        self.save_status = text
        # red for a problem; grey while a save is on its way (not yet stored); green once it is
        style = ERROR_STYLE if error else ("color: #5f6368;" if text == SAVING else "color: #2e7d32;")
        for page in self.section_pages:
            page.status.setText(text)
            page.status.setStyleSheet(style)
        if self.review_page is not None and error:
            self.review_page.status.setText(text)
            self.review_page.status.setStyleSheet(ERROR_STYLE)

    # -- submission ------------------------------------------------------------------------------

    def submit(self) -> Task[dict[str, Any]] | None:
        """Save the document on screen and submit it (one task on the write thread); the pages are
        locked once it is stored. None when there is nothing to submit."""
        if self.submitted or self.submitting:
            return None
        self._save_timer.stop()
        self._retry_timer.stop()
        generation = self._edits
        snapshot = copy.deepcopy(self.document)
        acks = dict(self.acks)
        ctx, declaration_id, stored = self.ctx, self.declaration_id, self._stored
        self._sent = max(self._sent, generation)

        def work() -> dict[str, Any]:
            decl.save_draft(ctx, declaration_id=declaration_id, data=snapshot)
            stored.saved(generation)
            decl.submit_declaration(ctx, declaration_id=declaration_id, acknowledgements=acks)
            return decl.get_declaration(ctx, declaration_id).data

        self.submitting = True
        if self.review_page is not None:
            self.review_page.update_state()
            self.review_page.status.setText("正在提交…")
            self.review_page.status.setStyleSheet("")
        return ops.write_op(
            work,
            parent=self,
            kinds={"declarations", "centers", "organizations"},
            on_success=self._submit_done,
            on_failure=self._submit_failed,
        )

    def _submit_done(self, data: dict[str, Any]) -> None:
        self.submitting = False
        self.submitted = True
        self._saving = None
        self.document = copy.deepcopy(data)
        self._lock()
        self.recheck()
        if self.review_page is not None:
            self.review_page.status.setText("申报书已提交；提醒的确认理由已记入中心的状态记录。")
            self.review_page.status.setStyleSheet(WARNING_STYLE if self._warnings() else "color: #2e7d32;")
        self.submitted_ok.emit(self.declaration_id)

    def _submit_failed(self, exc: BaseException) -> None:
        self.submitting = False
        self._sent = self._stored.generation
        if not isinstance(exc, ServiceError | EnvironmentProblem):
            from lzcenter_desktop.ui.dialogs.errors import report_exception

            report_exception(exc, self)
        if self.review_page is not None:
            self.review_page.update_state()
            self.review_page.status.setText(str(exc))
            self.review_page.status.setStyleSheet(ERROR_STYLE)

    def _warnings(self) -> list[Violation]:
        return [v for v in self.violations if v.severity is Severity.WARNING]

    # -- Excel, PDF ------------------------------------------------------------------------------

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

    def _after_pending_save(self, refusal: str) -> Callable[[], None]:
        """Hand a pending change to the write thread; the returned check, run on the write thread
        after it, raises ``refusal`` if that change could not be stored."""
        self.save_now()
        generation, stored, submitted = self._edits, self._stored, self.submitted

        def check() -> None:
            if not submitted and stored.generation < generation:
                raise ServiceError(refusal)

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
        ctx, declaration_id = self.ctx, self.declaration_id

        def work(progress: Progress) -> files.WorkbookImportPreview:
            check()
            try:
                return files.preview_workbook_import(
                    ctx, declaration_id=declaration_id, path=path, stop=lambda: progress.cancelled
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

        ctx, declaration_id = self.ctx, self.declaration_id

        def work() -> tuple[bool, dict[str, Any], Any]:
            changed = files.apply_workbook_import(ctx, preview)
            document = decl.get_declaration(ctx, declaration_id).data
            return changed, document, _records_check(ctx, declaration_id, document)

        def done(result: tuple[bool, dict[str, Any], Any]) -> None:
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
        ctx, declaration_id = self.ctx, self.declaration_id

        def work() -> Path:
            check()
            return declaration_files.write_declaration_workbook(ctx, declaration_id=declaration_id, path=path)

        self._show_status(f"正在导出到 {path}…")
        return ops.write_op(
            work,
            parent=self,
            kinds=(),
            on_success=lambda written: self._show_status(f"已导出到 {written}"),
            on_failure=self._file_failed(""),
        )

    def print_pdf(self, path: Path) -> Task[Any]:
        """Print what is stored, after the pending change; if that change cannot be stored, nothing
        is printed."""
        from lzcenter_desktop.services import declaration_files

        check = self._after_pending_save("当前修改未能保存，未打印；请先解决保存问题")
        ctx, declaration_id = self.ctx, self.declaration_id

        def work() -> Any:
            check()
            return declaration_files.write_application_form(ctx, declaration_id=declaration_id, path=path)

        self._show_status("正在生成申请书 PDF…")
        return ops.write_op(
            work,
            parent=self,
            kinds=(),
            on_success=lambda _r: self._show_status(f"已生成申请书 PDF：{path}"),
            on_failure=self._file_failed("未能生成 PDF："),
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

    # -- closing ---------------------------------------------------------------------------------

    def _may_close(self) -> bool:
        """Store what is pending and wait for it; if it could not be stored, ask before closing."""
        if self._discard_agreed or self.commit_pending():
            return True
        self._discard_agreed = self.confirm_discard(self.unsaved_reason())
        return self._discard_agreed

    def discard_pending(self) -> None:
        """The clerk agreed to lose the change that could not be saved (closing the main window)."""
        self._discard_agreed = True

    def _ask_discard(self, why: str) -> bool:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("修改未能保存")
        box.setText(f"第 {self.declaration_id} 号申报书的最近修改未能保存：\n{why}")
        box.setInformativeText("仍要关闭吗？关闭后这些修改将丢失；选“返回”可稍后再试。")
        close = box.addButton("关闭并放弃修改", QMessageBox.ButtonRole.DestructiveRole)
        back = box.addButton("返回", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(back)
        box.exec()
        return box.clickedButton() is close

    def done(self, result: int) -> None:
        if not self._may_close():
            return
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._may_close():
            event.ignore()
            return
        super().closeEvent(event)


def pdf_first_page(path: Path, height: int) -> QImage | None:
    """The first page of a PDF attachment as an image ``height`` pixels high (None if unreadable)."""
    from PySide6.QtCore import QSize
    from PySide6.QtPdf import QPdfDocument

    document = QPdfDocument()
    if document.load(str(path)) != QPdfDocument.Error.None_ or document.pageCount() < 1:
        return None
    page = document.pagePointSize(0)
    if page.height() <= 0:
        return None
    width = max(1, round(page.width() * height / page.height()))
    image = document.render(0, QSize(width, height))
    document.close()
    return None if image.isNull() else image


def ask_call_year(parent: QWidget, default: int, title: str = "新建申报书") -> int | None:
    year, ok = QInputDialog.getInt(parent, title, "申报年度：", default, 2000, 2100)
    return year if ok else None
