"""The attachments of a declaration in the wizard (营业执照, 专利证书, 合同 … as scanned PDFs and
images): add (copied in, SHA-256), preview, open, remove — and undo a removal.

Removing asks first, naming the attachment and its file; nothing is deleted (the service retires the
record and keeps the file), so 撤销移除 (or Ctrl+Z in the panel) brings it back. Every read and write
goes through :mod:`lzcenter_desktop.ui.ops`, on a worker and on the one write thread.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lzcenter_desktop.services import attachments as att
from lzcenter_desktop.services.errors import EnvironmentProblem, ServiceError
from lzcenter_desktop.ui import ops
from lzcenter_desktop.ui.declarations.editors import ERROR_STYLE
from lzcenter_desktop.ui.open_file import open_with_default_program
from lzcenter_desktop.ui.tasks import Task

if TYPE_CHECKING:
    from lzcenter_desktop.ui.declarations.wizard import DeclarationWizard


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


def attachment_name(view: att.AttachmentView) -> str:
    """``“营业执照”（营业执照.png）`` — how a message names an attachment."""
    return (
        f"“{view.title}”（{view.file_name}）"
        if view.title != Path(view.file_name).stem
        else f"“{view.file_name}”"
    )


def removal_question(view: att.AttachmentView) -> tuple[str, str]:
    """The question asked before ``view`` is removed, and what it adds (it names the file)."""
    return (
        f"移除附件{attachment_name(view)}吗？",
        "文件和记录都会保留；移除后可点“撤销移除”或按 Ctrl+Z 恢复。",
    )


class AttachmentsPanel(QWidget):
    """The attachments of the declaration: add (copied, SHA-256), preview, remove (asked, undoable);
    missing or changed files are flagged."""

    def __init__(self, wizard: DeclarationWizard, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.owner = wizard
        self.list = QListWidget(self)
        self.list.setObjectName("attachments")
        self.list.setMaximumHeight(120)
        self.list.setAccessibleName("附件")
        self.title_edit = QLineEdit(self)
        self.title_edit.setPlaceholderText("附件名称，如 营业执照、专利证书、合同")
        self.title_edit.setAccessibleName("附件名称")
        self.add_button = QPushButton("添加附件(&A)…", self)
        self.remove_button = QPushButton("移除所选(&R)", self)
        self.undo_button = QPushButton("撤销移除(&U)", self)
        self.undo_button.setEnabled(False)
        self.undo_button.setToolTip("恢复最近移除的附件（Ctrl+Z）")
        self.open_button = QPushButton("打开(&O)", self)
        self.preview = QLabel(self)
        self.preview.setFixedHeight(120)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        row = QHBoxLayout()
        row.addWidget(self.title_edit, 1)
        for b in (self.add_button, self.remove_button, self.undo_button, self.open_button):
            row.addWidget(b)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("<b>附件</b>（扫描的 PDF 或图片，每个不超过 20 MB）"))
        layout.addLayout(row)
        layout.addWidget(self.list)
        layout.addWidget(self.preview)
        layout.addWidget(self.message)
        self.add_button.clicked.connect(self._choose)
        self.remove_button.clicked.connect(self.remove_selected)
        self.undo_button.clicked.connect(self.undo_remove)
        self.open_button.clicked.connect(self._open)
        self.list.currentRowChanged.connect(self._show_preview)
        undo = QShortcut(QKeySequence(QKeySequence.StandardKey.Undo), self)
        undo.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)  # the title keeps its own Ctrl+Z
        undo.activated.connect(self.undo_remove)
        self.views: list[att.AttachmentView] = []
        self._notice = ""  # the last thing done, said below the list
        self.removed: list[att.AttachmentView] = []  # what 撤销移除 brings back, the latest last
        # asked before an attachment is removed (tests answer it themselves): remove it?
        self.confirm_remove: Callable[[att.AttachmentView], bool] = self._ask_remove

    def refresh(self) -> Task[list[att.AttachmentView]]:
        """Read the attachments again (on a worker: each stored file's SHA-256 is checked)."""
        ctx, declaration_id = self.owner.ctx, self.owner.declaration_id

        def read() -> list[att.AttachmentView]:
            return [] if declaration_id is None else att.list_attachments(ctx, declaration_id=declaration_id)

        return ops.query_op(
            read,
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
        if problems:
            self.message.setStyleSheet(ERROR_STYLE)
            self.message.setText("\n".join(problems))
        else:
            self._say(self._notice)  # what was last done (移除, 恢复) stays said

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, ServiceError | EnvironmentProblem):
            self.message.setStyleSheet(ERROR_STYLE)
            self.message.setText(str(exc))
        else:
            from lzcenter_desktop.ui.dialogs.errors import report_exception

            report_exception(exc, self)

    def _say(self, text: str) -> None:
        self._notice = text
        self.message.setStyleSheet("")
        self.message.setText(text)

    def add_file(self, path: Path, title: str) -> Task[int]:
        """Copy ``path`` in as an attachment (on the write thread); then the list is read again. A new
        declaration is stored first (its first real content)."""
        ctx, row = self.owner.ctx, self.owner.row_getter()
        self._say(f"正在添加“{path.name}”…")

        def added(_id: int) -> None:
            self._say("")
            self.title_edit.clear()
            self.owner.row_known()
            self.refresh()

        return ops.write_op(
            lambda: att.add_attachment(ctx, declaration_id=row(), source=path, title=title),
            parent=self,
            kinds={"declarations"},
            on_success=added,
            on_failure=self._failed,
        )

    def _choose(self) -> None:
        path = self.owner.choose_open_file("添加附件", "扫描件 (*.pdf *.jpg *.jpeg *.png *.tif *.tiff *.bmp)")
        if path:
            self.add_file(Path(path), self.title_edit.text() or Path(path).stem)

    def _ask_remove(self, view: att.AttachmentView) -> bool:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("移除附件")
        question, more = removal_question(view)
        box.setText(question)
        box.setInformativeText(more)
        remove = box.addButton("移除(&R)", QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        box.exec()
        return box.clickedButton() is remove

    def remove_selected(self) -> Task[None] | None:
        """Take the selected attachment off the declaration, after asking (the record and the file
        are kept: :meth:`undo_remove` brings it back). None when nothing is selected or the clerk
        said no."""
        row = self.list.currentRow()
        if not 0 <= row < len(self.views):
            self._say("请先在列表中选中要移除的附件")
            return None
        view = self.views[row]
        if not self.confirm_remove(view):
            return None
        ctx = self.owner.ctx

        def removed(_r: None) -> None:
            self.removed.append(view)
            self.undo_button.setEnabled(True)
            self._say(f"已移除附件{attachment_name(view)}；点“撤销移除”或按 Ctrl+Z 可恢复")
            self.refresh()

        def failed(exc: BaseException) -> None:
            self._failed(exc)
            self.refresh()

        return ops.write_op(
            lambda: att.retire_attachment(ctx, attachment_id=view.id),
            parent=self,
            kinds={"declarations"},
            on_success=removed,
            on_failure=failed,
        )

    def undo_remove(self) -> Task[None] | None:
        """Bring back the attachment removed last (None when there is none)."""
        if not self.removed:
            return None
        view = self.removed.pop()
        self.undo_button.setEnabled(bool(self.removed))
        ctx = self.owner.ctx

        def restored(_r: None) -> None:
            self._say(f"已恢复附件{attachment_name(view)}")
            self.refresh()

        def failed(exc: BaseException) -> None:
            self._failed(exc)
            self.refresh()

        return ops.write_op(
            lambda: att.restore_attachment(ctx, attachment_id=view.id),
            parent=self,
            kinds={"declarations"},
            on_success=restored,
            on_failure=failed,
        )

    def _open(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.views) and self.views[row].state != "missing":
            open_with_default_program(self.views[row].path)

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
