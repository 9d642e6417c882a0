"""The 文档 page: pick a centre and a kind of document, generate it, preview it, save it, print it.

Left: the choices (document kind, centre with a search box, plaque size and bleed, recognition batch,
font; for a list its kind, a year that has data and a batch — :mod:`.list_options`).  Right: the
generated PDF in a ``QPdfView``.  Generating runs in the
background; a whole recognition batch of certificates runs behind a progress dialog with 取消
(cancelling writes nothing).  A character the chosen font lacks is reported by field and character,
with the bundled fallback font offered — never printed as a blank box.

No database call runs on the UI thread: the centre and batch lists are read with
:func:`ui.ops.query_op` (on the first visit, on every later visit, and whenever
``ops.hub().data_changed`` says centres or documents changed).  Generating a document writes its
audit entry, so it runs on the one write thread (:func:`ui.ops.write_op`, announcing ``documents``);
a batch runs there too, behind its progress dialog, and announces ``documents`` when it succeeded.

A centre that has been revoked, has forfeited its title or was withdrawn stays in the list, marked
with its state, and its details say why it gets no new plaque or certificate; generating one shows
the service's refusal (with the date and 文号).  A batch skips such centres and lists them.
"""

from __future__ import annotations

import html
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from lzcenter_desktop.services import documents
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.documents import (
    STANDARD_SIZES,
    BatchInfo,
    CertificateBatch,
    DocumentCenter,
    ListYear,
    Refusal,
)
from lzcenter_desktop.services.fonts import MissingGlyphError, fallback_for
from lzcenter_desktop.ui import ops
from lzcenter_desktop.ui.dialogs.errors import report_exception
from lzcenter_desktop.ui.documents.font_choice import FontChoice, font_combo
from lzcenter_desktop.ui.documents.list_options import ListOptions
from lzcenter_desktop.ui.documents.printing import print_pdf
from lzcenter_desktop.ui.documents.verify_dialog import VerifyDialog
from lzcenter_desktop.ui.pages.base import Page
from lzcenter_desktop.ui.saved_notice import announce_saved
from lzcenter_desktop.ui.tasks import Progress, Task, TaskCancelled, run_with_progress

KIND_CERTIFICATE = "certificate"
KIND_PLAQUE = "plaque"
KIND_LIST = "list"
KIND_LABELS = {KIND_CERTIFICATE: "认定证书", KIND_PLAQUE: "牌匾", KIND_LIST: "名单与通知"}
CUSTOM_SIZE = "自定义"
BLOCKED_STYLE = "color: #b71c1c; font-weight: bold;"


class DocumentsPage(Page):
    """文档: plaques, certificates and lists from the database, with preview, save, print and batch."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._tmp = tempfile.TemporaryDirectory(prefix="lzcenter-docs-")
        self._counter = 0
        self.current_pdf: Path | None = None
        self.centers: list[DocumentCenter] = []
        self.batches: list[BatchInfo] = []
        self.last_task: Task[Any] | None = None
        self.batch_dialog: QProgressDialog | None = None
        self.batch_result: list[Path] | None = None
        self.batch_skipped: tuple[Refusal, ...] = ()
        self.skipped_box: QMessageBox | None = None
        self.batch_cancelled = False
        #: called on the worker thread after each certificate of a batch (tests pause here)
        self.batch_step_hook: Callable[[int, int], None] | None = None
        self.last_error: str = ""
        self.verify_dialog: VerifyDialog | None = None
        self.loaded = False  # the centre and batch lists have been read once
        self.loading = False  # a read of the lists has not answered yet
        self._wanted_center: int | None = None  # show_center's centre, selected once the list is read
        self._generating = False

        # ---- choices
        self.kind_combo = QComboBox()
        for code, label in KIND_LABELS.items():
            self.kind_combo.addItem(label, code)
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("输入名称或依托单位筛选中心")
        self.search_edit.setClearButtonEnabled(True)
        self.center_combo = QComboBox()
        self.center_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.center_combo.setMinimumContentsLength(18)
        self.center_info = QLabel()
        self.center_info.setWordWrap(True)
        self.center_info.setTextFormat(Qt.TextFormat.RichText)
        self.center_info.setObjectName("centerInfo")

        self.font_combo = font_combo()

        common = QFormLayout()
        common.addRow("文档种类：", self.kind_combo)
        common.addRow("查找中心：", self.search_edit)
        common.addRow("中心：", self.center_combo)
        common.addRow("", self.center_info)
        common.addRow("字体：", self.font_combo)

        # certificate options
        self.seal_guide_check = QCheckBox("画出盖章位置（试印用）")
        self.batch_combo = QComboBox()
        self.batch_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.batch_combo.setMinimumContentsLength(18)
        self.merge_check = QCheckBox("整批合并为一个 PDF（便于一次打印）")
        self.batch_button = QPushButton("整批生成证书(&B)…")
        self.batch_button.setToolTip(
            "为所选认定批次（同一认定文号）的全部中心各生成一份证书，保存到一个文件夹"
        )
        cert_box = QWidget()
        cert_form = QFormLayout(cert_box)
        cert_form.setContentsMargins(0, 0, 0, 0)
        cert_form.addRow("", self.seal_guide_check)
        cert_form.addRow("认定批次：", self.batch_combo)
        cert_form.addRow("", self.merge_check)
        cert_form.addRow("", self.batch_button)

        # plaque options
        self.size_combo = QComboBox()
        for label in STANDARD_SIZES:
            self.size_combo.addItem(f"{label} mm", label)
        self.size_combo.addItem(CUSTOM_SIZE, CUSTOM_SIZE)
        self.width_spin = QDoubleSpinBox()
        self.height_spin = QDoubleSpinBox()
        for spin, value in ((self.width_spin, 600.0), (self.height_spin, 400.0)):
            spin.setRange(100.0, 3000.0)
            spin.setDecimals(0)
            spin.setSuffix(" mm")
            spin.setValue(value)
            spin.setEnabled(False)
        size_row = QHBoxLayout()
        size_row.addWidget(self.width_spin)
        size_row.addWidget(QLabel("×"))
        size_row.addWidget(self.height_spin)
        self.bleed_check = QCheckBox("每边 3 mm 出血和裁切标记（交印刷厂）")
        self.proof_check = QCheckBox("加一页校样")
        plaque_box = QWidget()
        plaque_form = QFormLayout(plaque_box)
        plaque_form.setContentsMargins(0, 0, 0, 0)
        plaque_form.addRow("尺寸：", self.size_combo)
        plaque_form.addRow("宽 × 高：", size_row)
        plaque_form.addRow("", self.bleed_check)
        plaque_form.addRow("", self.proof_check)

        # list options: the list, a year that has data, a batch, the 文号
        self.list_options = ListOptions()

        self.options = QStackedWidget()
        self.options.addWidget(cert_box)
        self.options.addWidget(plaque_box)
        self.options.addWidget(self.list_options)
        options_group = QGroupBox("选项")
        options_layout = QVBoxLayout(options_group)
        options_layout.addWidget(self.options)

        self.generate_button = QPushButton("生成并预览(&G)")
        self.generate_button.setDefault(True)
        self.save_button = QPushButton("另存为(&A)…")
        self.print_button = QPushButton("打印(&P)…")
        self.verify_button = QPushButton("验证证书(&Y)…")
        for button in (self.save_button, self.print_button):
            button.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.generate_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.print_button)
        self.status_label = QLabel("选择中心和文档种类，然后点“生成并预览”。")
        self.status_label.setWordWrap(True)
        self.status_label.setObjectName("documentStatus")

        left = QWidget()
        left_layout = QVBoxLayout(left)
        title = QLabel("文档")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)
        left_layout.addWidget(title)
        left_layout.addLayout(common)
        left_layout.addWidget(options_group)
        left_layout.addLayout(buttons)
        left_layout.addWidget(self.status_label)
        left_layout.addStretch(1)
        left_layout.addWidget(self.verify_button)
        left.setMinimumWidth(380)

        # ---- preview
        self.pdf = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setDocument(self.pdf)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitInView)
        self.preview_label = QLabel("预览")
        preview = QWidget()
        preview_layout = QVBoxLayout(preview)
        preview_layout.addWidget(self.preview_label)
        preview_layout.addWidget(self.view, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(preview)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([400, 800])
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        outer.addWidget(splitter)

        # ---- signals
        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        self.search_edit.textChanged.connect(self._fill_center_combo)
        self.center_combo.currentIndexChanged.connect(self._center_changed)
        self.size_combo.currentIndexChanged.connect(self._size_changed)
        self.generate_button.clicked.connect(self.generate)
        self.save_button.clicked.connect(self.save_as)
        self.print_button.clicked.connect(self.print_document)
        self.batch_button.clicked.connect(self.choose_batch_folder)
        self.verify_button.clicked.connect(self.open_verify_dialog)

        # Nothing is read here: the page is built on its first visit and reads in on_shown.
        self.generate_button.setEnabled(False)
        self.batch_button.setEnabled(False)
        ops.hub().data_changed.connect(self._data_changed)
        self._kind_changed()

    # ------------------------------------------------------------------ data

    def reload(self) -> None:
        """Read the centres and recognition batches again (on a worker thread; the newest read wins)."""
        ctx = self.ctx
        self.loading = True
        ops.query_op(
            lambda: (
                documents.document_centers(ctx),
                documents.recognition_batches(ctx),
                documents.list_choices(ctx),
            ),
            parent=self,
            key=f"documents-lists:{id(self)}",
            on_success=self._lists_loaded,
            on_failure=self._load_failed,
        )

    def _lists_loaded(
        self, result: tuple[list[DocumentCenter], list[BatchInfo], dict[str, list[ListYear]]]
    ) -> None:
        self.centers, self.batches, choices = result
        self.list_options.set_choices(choices)
        self.loading = False
        self.loaded = True
        previous = self.batch_combo.currentData()
        self.batch_combo.blockSignals(True)
        self.batch_combo.clear()
        for batch in self.batches:
            self.batch_combo.addItem(batch.label, batch.document_no)
        index = self.batch_combo.findData(previous)
        if index >= 0:
            self.batch_combo.setCurrentIndex(index)
        self.batch_combo.blockSignals(False)
        self.batch_button.setEnabled(bool(self.batches))
        self.generate_button.setEnabled(not self._generating)
        self._fill_center_combo()
        if self._wanted_center is not None:
            self.select_center(self._wanted_center)
            self._wanted_center = None

    def _load_failed(self, exc: BaseException) -> None:
        self.loading = False
        from lzcenter_desktop.services.errors import ServiceError

        text = exc.message if isinstance(exc, ServiceError) else None
        self.status_label.setText(f"未能读取中心列表：{text}" if text else "未能读取中心列表，见提示。")
        if text is None:
            report_exception(exc, self)

    def _data_changed(self, kinds: frozenset[str]) -> None:
        if self.loaded and kinds & {"centers", "documents"}:
            self.reload()

    @Slot()
    def _fill_center_combo(self) -> None:
        wanted = self.search_edit.text().strip()
        previous = self.center_combo.currentData()
        self.center_combo.blockSignals(True)
        self.center_combo.clear()
        recognised_only = self.kind() != KIND_LIST
        for item in self.centers:
            if recognised_only and not item.recognised:
                continue
            if wanted and wanted not in item.name_zh and wanted not in item.host:
                continue
            label = item.name_zh if item.ending is None else f"［{item.state_label}］{item.name_zh}"
            self.center_combo.addItem(label, item.id)
        index = self.center_combo.findData(previous)
        self.center_combo.setCurrentIndex(index if index >= 0 else (0 if self.center_combo.count() else -1))
        self.center_combo.blockSignals(False)
        self._center_changed()

    def kind(self) -> str:
        return str(self.kind_combo.currentData())

    def selected_center(self) -> DocumentCenter | None:
        cid = self.center_combo.currentData()
        return next((c for c in self.centers if c.id == cid), None)

    def select_center(self, center_id: int) -> bool:
        """Select a centre by id (True if it is in the list)."""
        index = self.center_combo.findData(center_id)
        if index >= 0:
            self.center_combo.setCurrentIndex(index)
        return index >= 0

    def show_center(self, center_id: int) -> None:
        """Preselect a centre for its certificate or plaque (the 中心 page's 生成证书/牌匾): now, and
        again when the lists being read arrive."""
        if self.kind() == KIND_LIST:
            self.set_kind(KIND_CERTIFICATE)
        self.search_edit.clear()
        self._wanted_center = center_id if self.loading or not self.loaded else None
        self.select_center(center_id)

    def set_kind(self, kind: str) -> None:
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(kind))

    @Slot()
    def _center_changed(self) -> None:
        item = self.selected_center()
        if item is None:
            if not self.loaded:
                self.center_info.setText("正在读取中心列表…")
            else:
                self.center_info.setText("没有符合条件的已认定中心。" if self.kind() != KIND_LIST else "")
            return
        parts = [f"依托单位：{item.host}"]
        if item.document_no:
            parts.append(f"认定文号：{item.document_no}")
        if item.recognized_on:
            parts.append(f"认定日期：{item.recognized_on.isoformat()}")
        parts.append(f"证书编号：{item.certificate_no or '（未填写）'}")
        parts.append(f"牌匾编号：{item.plaque_no or '（未填写）'}")
        lines = [html.escape(p) for p in parts]
        if item.ending is not None:  # first, in red: why no new plaque or certificate can be made
            warning = html.escape(f"该中心{item.ending.phrase()}，不能生成新的认定证书或牌匾。")
            lines.insert(0, f'<span style="{BLOCKED_STYLE}">{warning}</span>')
        self.center_info.setText("<br>".join(lines))
        if item.document_no:
            index = self.batch_combo.findData(item.document_no)
            if index >= 0:
                self.batch_combo.setCurrentIndex(index)

    @Slot()
    def _kind_changed(self) -> None:
        kind = self.kind()
        self.options.setCurrentIndex({KIND_CERTIFICATE: 0, KIND_PLAQUE: 1, KIND_LIST: 2}[kind])
        needs_center = kind != KIND_LIST
        for widget in (self.search_edit, self.center_combo, self.center_info):
            widget.setEnabled(needs_center)
        self._fill_center_combo()

    @Slot()
    def _size_changed(self) -> None:
        label = self.size_combo.currentData()
        custom = label == CUSTOM_SIZE
        self.width_spin.setEnabled(custom)
        self.height_spin.setEnabled(custom)
        if not custom:
            width, height = STANDARD_SIZES[str(label)]
            self.width_spin.setValue(width)
            self.height_spin.setValue(height)

    def font_choice(self) -> FontChoice:
        data = self.font_combo.currentData()
        return data if data is not None else (None, None)

    # ------------------------------------------------------------------ generating

    def _next_path(self, stem: str) -> Path:
        self._counter += 1
        return Path(self._tmp.name) / f"{stem}-{self._counter}.pdf"

    def _job(self) -> tuple[Callable[[], Path], str]:
        """What to generate now, and a short Chinese description; ServiceError for a bad choice."""
        from lzcenter_desktop.services.errors import ServiceError

        kind = self.kind()
        cert_faces, plaque_faces = self.font_choice()
        if kind == KIND_LIST:
            options = self.list_options
            list_kind, year, batch, doc_no = (
                options.kind(),
                options.year(),
                options.batch(),
                options.document_no(),
            )
            path = self._next_path(list_kind)
            return (
                lambda: documents.make_list(
                    self.ctx, list_kind, path, year=year, batch=batch, document_no=doc_no
                ),
                options.description(),
            )
        item = self.selected_center()
        if item is None:
            raise ServiceError("请先选择一个已认定的中心。", field="中心")
        if kind == KIND_CERTIFICATE:
            path = self._next_path("certificate")
            seal = self.seal_guide_check.isChecked()
            return (
                lambda: documents.make_certificate(
                    self.ctx, item.id, path, seal_guide=seal, faces=cert_faces
                ),
                f"“{item.name_zh}”的认定证书",
            )
        width, height = self.width_spin.value(), self.height_spin.value()
        bleed, proof = self.bleed_check.isChecked(), self.proof_check.isChecked()
        path = self._next_path("plaque")
        return (
            lambda: documents.make_plaque(
                self.ctx,
                item.id,
                path,
                width_mm=width,
                height_mm=height,
                bleed=bleed,
                proof=proof,
                faces=plaque_faces,
            ),
            f"“{item.name_zh}”的牌匾（{width:g}×{height:g} mm{'，含出血' if bleed else ''}）",
        )

    @Slot()
    def generate(self) -> Task[Path] | None:
        """Generate the chosen document on the write thread (it writes its audit entry) and show it;
        the task is returned for tests."""
        try:
            job, description = self._job()
        except Exception as exc:
            self._failed(exc)
            return None
        self.generate_button.setEnabled(False)
        self._generating = True
        self.status_label.setText(f"正在生成{description}…")
        self.last_error = ""
        task = ops.write_op(
            job,
            parent=self,
            kinds={"documents"},
            on_success=lambda path: self._show(path, description),
            on_failure=self._failed,
        )
        self.last_task = task
        return task

    def _show(self, path: Path, description: str) -> None:
        self._generating = False
        self.generate_button.setEnabled(True)
        self.pdf.close()
        error = self.pdf.load(str(path))
        if error != QPdfDocument.Error.None_:
            self.status_label.setText(f"已生成，但无法预览（{error.name}）：{path}")
            return
        self.current_pdf = path
        pages = self.pdf.pageCount()
        self.preview_label.setText(f"预览：{description}，共 {pages} 页")
        self.status_label.setText(f"已生成{description}。可“另存为…”保存或“打印…”。")
        for button in (self.save_button, self.print_button):
            button.setEnabled(True)

    def _failed(self, exc: BaseException) -> None:
        self._generating = False
        self.generate_button.setEnabled(self.loaded)
        if isinstance(exc, MissingGlyphError):
            self._offer_fallback(exc)
            return
        from lzcenter_desktop.services.errors import ServiceError

        self.last_error = exc.message if isinstance(exc, ServiceError) else f"{type(exc).__name__}: {exc}"
        self.status_label.setText(f"未生成：{self.last_error}")
        report_exception(exc, self)

    def _offer_fallback(self, exc: MissingGlyphError) -> None:
        text = documents.glyph_problem_text(exc)
        self.last_error = text
        self.status_label.setText("未生成：有字无法打印，见提示。")
        # The bundled face that has every missing character (serif first), unless it is the one in use.
        roles = {f.role if (f := fallback_for(m.char)) is not None else None for m in exc.missing}
        role = roles.pop() if len(roles) == 1 else None
        target = {"serif": 0, "sans": 1}.get(role or "", -1)
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("有字无法打印")
        box.setText("所选字体缺少下列字的字形，为避免打印出空白方框，已停止生成：")
        box.setInformativeText(text)
        use = None
        if target >= 0 and target != self.font_combo.currentIndex():
            label = "内置宋体" if role == "serif" else "内置黑体"
            use = box.addButton(f"改用{label}重新生成", QMessageBox.ButtonRole.AcceptRole)
        self.fallback_button = use
        box.addButton("关闭", QMessageBox.ButtonRole.RejectRole)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.glyph_box = box

        def done(_result: int) -> None:
            if use is not None and box.clickedButton() is use:
                self.font_combo.setCurrentIndex(target)
                self.generate()

        box.finished.connect(done)
        box.open()

    # ------------------------------------------------------------------ save and print

    @Slot()
    def save_as(self) -> None:
        if self.current_pdf is None:
            return
        target, _ = QFileDialog.getSaveFileName(self, "另存为", self._suggested_name(), "PDF 文件 (*.pdf)")
        if target:
            self.save_to(Path(target))

    def _suggested_name(self) -> str:
        item = self.selected_center()
        kind = self.kind()
        if kind == KIND_LIST:
            return self.list_options.suggested_name()
        base = item.name_zh if item is not None else "文档"
        return f"{base}-{KIND_LABELS[kind]}.pdf"

    def save_to(self, target: Path) -> Path:
        assert self.current_pdf is not None
        if target.suffix.lower() != ".pdf":
            target = target.with_suffix(".pdf")
        shutil.copyfile(self.current_pdf, target)
        self.status_label.setText(f"已保存：{target}")
        announce_saved(self, target)
        return target

    @Slot()
    def print_document(self) -> None:
        if self.current_pdf is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.preview_label.text().removeprefix("预览："))
        printer.setFromTo(1, self.pdf.pageCount())
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("打印")
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            pages = self.print_to(printer)
            self.status_label.setText(f"已送打印机：{pages} 页。")

    def print_to(self, printer: QPrinter) -> int:
        """Render the previewed PDF's pages into ``printer`` (see :func:`print_pdf`)."""
        return print_pdf(self.pdf, printer)

    # ------------------------------------------------------------------ batch

    @Slot()
    def choose_batch_folder(self) -> None:
        if self.batch_combo.currentData() is None:
            return
        if self.merge_check.isChecked():
            name = f"认定证书-{self.batch_combo.currentData()}.pdf".replace("/", "_")
            target, _ = QFileDialog.getSaveFileName(self, "保存整批证书", name, "PDF 文件 (*.pdf)")
            if target:
                path = Path(target)
                self.start_batch(path if path.suffix.lower() == ".pdf" else path.with_suffix(".pdf"))
            return
        folder = QFileDialog.getExistingDirectory(self, "选择保存证书的文件夹")
        if folder:
            self.start_batch(Path(folder))

    def start_batch(self, folder: Path) -> Task[CertificateBatch] | None:
        """Certificates of the selected recognition batch into ``folder``, one file each (or, if
        ``folder`` ends in ``.pdf``, into that one file, a page each), behind a progress dialog with
        取消; cancelling writes nothing."""
        document_no = self.batch_combo.currentData()
        if document_no is None:
            return None
        cert_faces, _ = self.font_choice()
        seal = self.seal_guide_check.isChecked()
        hook = self.batch_step_hook
        self.batch_result = None
        self.batch_skipped = ()
        self.batch_cancelled = False

        def work(progress: Progress) -> CertificateBatch:
            def step(done: int, total: int) -> bool:
                progress.report(done, total, f"正在生成第 {done}/{total} 份证书…")
                if hook is not None:
                    hook(done, total)
                return not progress.cancelled

            batch = documents.make_certificate_batch(
                self.ctx,
                folder,
                document_no=str(document_no),
                progress=step,
                seal_guide=seal,
                faces=cert_faces,
            )
            if progress.cancelled:
                raise TaskCancelled()
            return batch

        def finished(batch: CertificateBatch) -> None:
            ops.hub().notify({"documents"})  # the certificates' audit entries were written
            self.batch_result = batch.files
            self.batch_skipped = batch.skipped
            if folder.suffix.lower() == ".pdf":
                text = f"已把整批认定证书生成到一个文件：{folder}"
            else:
                text = f"已生成 {len(batch.files)} 份认定证书：{folder}"
            if batch.skipped:
                text += "\n" + batch.skipped_text()
                self._show_skipped(batch)
            self.status_label.setText(text)
            if folder.suffix.lower() == ".pdf":  # one file: offer to open it
                announce_saved(self, folder)

        def cancelled() -> None:
            self.batch_cancelled = True
            self.status_label.setText("已取消整批生成，没有写出任何文件。")

        def failed(exc: BaseException) -> None:
            if isinstance(exc, MissingGlyphError):
                self._offer_fallback(exc)
            else:
                report_exception(exc, self)

        task, dialog = run_with_progress(
            work,
            parent=self,
            title="整批生成认定证书",
            label=f"认定文号：{document_no}",
            on_success=finished,
            on_failure=failed,
            on_cancelled=cancelled,
            pool=ops.write_pool(),  # it writes the audit entries: in order with every other write
        )
        self.last_task = task
        self.batch_dialog = dialog
        return task

    def _show_skipped(self, batch: CertificateBatch) -> None:
        """Tell the clerk which centres of the batch got no certificate, and why (non-blocking)."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle("部分中心未生成证书")
        box.setText(f"已生成 {len(batch.files)} 个文件；以下中心不再持有称号，未生成新证书：")
        box.setInformativeText("\n".join(r.message for r in batch.skipped))
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        box.button(QMessageBox.StandardButton.Ok).setText("知道了")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.skipped_box = box
        box.open()

    # ------------------------------------------------------------------ verify

    @Slot()
    def open_verify_dialog(self) -> VerifyDialog:
        dialog = VerifyDialog(self.ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.verify_dialog = dialog
        dialog.open()
        return dialog

    # -- Page ------------------------------------------------------------------------------------
    def on_shown(self, first: bool) -> None:
        # the first visit reads the lists; a later one reads them again (a change made outside this
        # program — another clerk, the command line — is not announced by data_changed)
        if first or not self.loading:
            self.reload()


__all__ = ["DocumentsPage"]
