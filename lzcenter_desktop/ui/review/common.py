"""Pieces every tab of the 评审 page shares: the tab base that reads off the UI thread, the form
dialog that writes through ``ui.ops`` and shows the service's Chinese refusal inside itself, the
non-blocking question box, the typed date field and the table view.

Nothing here runs SQL on the UI thread: a tab reads with :func:`ui.ops.query_op` (the newest
request of the tab wins), a dialog writes with :func:`ui.ops.write_op` (in order; ``data_changed``
then tells every tab to read again).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractItemModel, QSortFilterProxyModel, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from lzcenter_desktop.services.errors import ServiceError, classify
from lzcenter_desktop.services.permissions import ApprovalNeeded
from lzcenter_desktop.ui import ops, style
from lzcenter_desktop.ui.dialogs.errors import report_exception
from lzcenter_desktop.ui.models.base import RowObjectRole
from lzcenter_desktop.ui.tasks import Task
from lzcenter_desktop.ui.widgets.date_edit import DateEdit

if TYPE_CHECKING:
    from lzcenter_desktop.ui.review.page import ReviewPage

#: what a review write changes: the review records, and the centres / declarations whose state
#: a decision moves (形式审查, results, notice, recognition)
REVIEW_KINDS = frozenset({"review"})
STATE_KINDS = frozenset({"review", "centers", "declarations"})
#: the kinds of change the 评审 page reads again after
WATCHED_KINDS = frozenset({"review", "centers", "declarations", "organizations", "people", "rulesets"})


def error_text(exc: BaseException) -> str | None:
    """The Chinese message of a refused request (the service's own words) or of an environment
    problem (locked, read-only, full…); None for a bug (that goes to the crash dialog) and for a
    four-eyes proposal (shown as information by ``report_exception``)."""
    if isinstance(exc, ApprovalNeeded):
        return None
    if isinstance(exc, ServiceError):
        return exc.message
    problem = classify(exc) if isinstance(exc, Exception) else None
    return f"{problem.title}：{problem.message}" if problem is not None else None


def cn_date(day: dt.date | None) -> str:
    return day.isoformat() if day is not None else ""


def date_field(value: dt.date | None, name: str, *, optional: bool = False) -> DateEdit:
    """The typed date editor (Excel-like, calendar on Alt+↓), named for screen readers."""
    edit = DateEdit(value, optional=optional)
    edit.setAccessibleName(name)
    edit.line.setAccessibleName(name)
    edit.setMinimumWidth(edit.fontMetrics().horizontalAdvance("2026-05-20") + 48)
    return edit


def typed_date(edit: DateEdit, name: str, *, required: bool = True) -> dt.date | None:
    """The date of ``edit`` after taking what is still typed; ServiceError naming ``name`` when it is
    not a date, or is empty but ``required``."""
    if not edit.commit():
        raise ServiceError(f"{name}：{edit.error_text()}", field=name)
    value = edit.date()
    if value is None and required:
        raise ServiceError(f"请填写{name}", field=name)
    return value


def note_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setStyleSheet(style.NOTE_STYLE)
    return label


def message_label(parent: QWidget | None = None) -> QLabel:
    label = QLabel(parent)
    label.setObjectName("message")
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


def show_in(label: QLabel, text: str, *, level: str = "ok") -> None:
    """Show ``text`` in a message label: ``ok`` (green), ``error`` (red), ``busy`` / ``note`` (grey)."""
    colours = {"ok": style.OK_STYLE, "error": style.ERROR_STYLE, "busy": style.INFO_STYLE}
    label.setStyleSheet(colours.get(level, style.NOTE_STYLE))
    label.setText(text)
    label.setVisible(bool(text))


def button(text: str, parent: QWidget | None = None, *, tip: str = "", name: str = "") -> QPushButton:
    b = QPushButton(text, parent)
    if tip:
        b.setToolTip(tip)
    if name:
        b.setObjectName(name)
    return b


def table_view(
    model: QAbstractItemModel, parent: QWidget | None = None, *, name: str = "", stretch: int | None = None
) -> QTableView:
    """A read-only table of whole rows, one selected at a time; column ``stretch`` (default: the
    last) takes the width left over."""
    view = QTableView(parent)
    if name:
        view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    if stretch is None:
        header.setStretchLastSection(True)
    else:
        header.setStretchLastSection(False)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    header.setHighlightSections(False)
    view.setMinimumHeight(view.fontMetrics().height() * 5)
    return view


def set_widths(view: QTableView, chars: Sequence[int]) -> None:
    """Column widths in characters of the table's font (0: leave the column as it is — the
    stretched one)."""
    em = view.fontMetrics().horizontalAdvance("中")
    for column, n in enumerate(chars):
        if n:
            view.setColumnWidth(column, n * em + 12)


def selected_object(view: QTableView) -> Any:
    """The row object (:data:`RowObjectRole`) of the selected row, or None."""
    rows = view.selectionModel().selectedRows() if view.selectionModel() is not None else []
    if not rows:
        return None
    return rows[0].data(RowObjectRole)


def select_where(view: QTableView, predicate: Callable[[Any], bool]) -> bool:
    """Select the first row whose object satisfies ``predicate``; True if one did."""
    model = view.model()
    for row in range(model.rowCount()):
        index = model.index(row, 0)
        if predicate(index.data(RowObjectRole)):
            view.selectRow(row)
            view.scrollTo(index)
            return True
    return False


class FilterProxy(QSortFilterProxyModel):
    """Rows whose any cell contains the typed text (case-insensitive)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterKeyColumn(-1)


def ask(
    parent: QWidget,
    title: str,
    text: str,
    *,
    yes: str,
    on_yes: Callable[[], None],
    informative: str = "",
    no: str = "取消",
) -> QMessageBox:
    """A question with Chinese buttons (Esc and closing answer ``no``), shown without blocking;
    ``on_yes`` runs when the clerk answers ``yes``. The box is kept as ``parent.question``."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=parent)
    if informative:
        box.setInformativeText(informative)
    yes_button = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    no_button = box.addButton(no, QMessageBox.ButtonRole.RejectRole)
    box.setEscapeButton(no_button)
    box.setDefaultButton(no_button)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.yes = yes_button  # type: ignore[attr-defined]
    box.no = no_button  # type: ignore[attr-defined]

    def answered(clicked: Any) -> None:
        if clicked is yes_button:
            on_yes()

    box.buttonClicked.connect(answered)
    parent.question = box  # type: ignore[attr-defined]
    box.open()
    return box


def inform(parent: QWidget, title: str, text: str, *, error: bool = False) -> QMessageBox:
    """A message the clerk reads and closes (知道了 / Esc), shown without blocking; kept as
    ``parent.question``."""
    icon = QMessageBox.Icon.Warning if error else QMessageBox.Icon.Information
    box = QMessageBox(icon, title, text, parent=parent)
    ok = box.addButton("知道了", QMessageBox.ButtonRole.AcceptRole)
    box.setEscapeButton(ok)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    parent.question = box  # type: ignore[attr-defined]
    box.open()
    return box


# --- dialogs ------------------------------------------------------------------------------------------


class FormDialog(QDialog):
    """A form that writes through ``ops.write_op`` when its OK button is pressed.

    Subclasses fill :attr:`form` and implement :meth:`action` — the write to run, built from the
    fields (raise ServiceError for what the fields already show is wrong). A refusal keeps the
    dialog open with the service's Chinese message in red; success closes it and calls
    ``on_done(result)``. :meth:`confirmation` may return ``(title, text, yes)`` to ask first (an
    irreversible step). Enter (in a one-line field), Ctrl+S and the OK button submit; Esc and 取消
    close without writing."""

    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        ok_text: str,
        *,
        kinds: frozenset[str] = REVIEW_KINDS,
        on_done: Callable[[Any], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.kinds = kinds
        self.on_done = on_done
        self.result_value: Any = None
        self.running = False
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.error = QLabel(self)
        self.error.setObjectName("dialogError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(style.ERROR_STYLE)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.hide()
        self.buttons = QDialogButtonBox(self)
        self.ok_button = self.buttons.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.ok_button.setDefault(True)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        save = QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self)  # Ctrl+S, as on the pages
        save.activated.connect(self.submit)
        self.extra = QHBoxLayout()  # room for a subclass's buttons beside OK
        self.vbox = QVBoxLayout(self)
        self.vbox.addLayout(self.form)
        self.vbox.addWidget(self.error)
        bottom = QHBoxLayout()
        bottom.addLayout(self.extra)
        bottom.addStretch(1)
        bottom.addWidget(self.buttons)
        self.vbox.addLayout(bottom)

    # -- to override ---------------------------------------------------------------------------
    def action(self) -> Callable[[], Any]:
        raise NotImplementedError

    def confirmation(self) -> tuple[str, str, str] | None:
        return None

    # -- running -------------------------------------------------------------------------------
    def show_error(self, text: str) -> None:
        show_in(self.error, text, level="error")
        self.fit()

    def fit(self) -> None:
        """Grow to show what appeared (a refusal, a field) — never shrink what the clerk sized."""
        self.vbox.activate()
        layout = self.vbox
        need = layout.heightForWidth(self.width()) if layout.hasHeightForWidth() else -1
        need = max(need, layout.minimumSize().height(), self.sizeHint().height())
        if need > self.height():
            self.resize(self.width(), need)

    def submit(self) -> None:
        if self.running:
            return
        try:
            fn = self.action()
        except ServiceError as exc:
            self.show_error(exc.message)
            return
        asked = self.confirmation()
        if asked is None:
            self._run(fn)
            return
        title, text, yes = asked
        ask(self, title, text, yes=yes, on_yes=lambda: self._run(fn))

    def _run(self, fn: Callable[[], Any]) -> None:
        self.running = True
        self.ok_button.setEnabled(False)
        show_in(self.error, "正在保存…", level="busy")
        ops.write_op(fn, parent=self, kinds=self.kinds, on_success=self._done, on_failure=self._failed)

    def _done(self, result: Any) -> None:
        self.running = False
        self.result_value = result
        self.accept()
        if self.on_done is not None:
            self.on_done(result)

    def _failed(self, exc: BaseException) -> None:
        self.running = False
        self.ok_button.setEnabled(True)
        if isinstance(exc, ApprovalNeeded):  # submitted for approval: the form's work is done
            self.error.hide()
            self.reject()
            report_exception(exc, self.parentWidget())
            return
        text = error_text(exc)
        if text is None:
            self.error.hide()
            report_exception(exc, self)
            return
        self.show_error(text)


class ReasonDialog(FormDialog):
    """A reason for a step: 停用, 撤销, 移出, 回避…; ``run(reason)`` is the write — or, with
    ``date_name``, ``run(reason, date)`` with the date typed in the dialog (default ``today``)."""

    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        prompt: str,
        ok_text: str,
        run: Callable[..., Any],
        *,
        kinds: frozenset[str] = REVIEW_KINDS,
        on_done: Callable[[Any], None] | None = None,
        placeholder: str = "",
        confirm: tuple[str, str, str] | None = None,
        date_name: str | None = None,
        today: dt.date | None = None,
    ) -> None:
        super().__init__(parent, title, ok_text, kinds=kinds, on_done=on_done)
        self._run_with = run
        self._confirm = confirm
        self.date_name = date_name
        intro = QLabel(prompt, self)
        intro.setWordWrap(True)
        self.form.addRow(intro)
        self.on: DateEdit | None = None
        if date_name is not None:
            self.on = date_field(today, date_name)
            on_label = QLabel(f"{date_name}(&D)：", self)
            on_label.setBuddy(self.on)
            self.form.addRow(on_label, self.on)
        self.reason = QPlainTextEdit(self)
        self.reason.setObjectName("reason")
        self.reason.setTabChangesFocus(True)
        self.reason.setPlaceholderText(placeholder or "请填写原因")
        self.reason.setMaximumHeight(self.fontMetrics().height() * 6)
        label = QLabel("原因(&R)：", self)
        label.setBuddy(self.reason)
        self.form.addRow(label, self.reason)
        self.resize(480, self.sizeHint().height())

    def action(self) -> Callable[[], Any]:
        text = self.reason.toPlainText().strip()
        if not text:
            raise ServiceError("请填写原因", field="原因")
        if self.on is not None and self.date_name is not None:
            on = typed_date(self.on, self.date_name)
            return lambda: self._run_with(text, on)
        return lambda: self._run_with(text)

    def confirmation(self) -> tuple[str, str, str] | None:
        return self._confirm


# --- the tab base ------------------------------------------------------------------------------------


class ReviewTab(QWidget):
    """A tab of the 评审 page: reads what it shows with :meth:`reader` on a worker thread whenever
    it is shown and stale (after any ``data_changed`` the page watches), then :meth:`show_data`."""

    title = ""
    needs_session = False  # the tab shows one review session (the page's session bar is shown)

    def __init__(self, page: ReviewPage) -> None:
        super().__init__(page)
        self.page = page
        self.ctx = page.ctx
        self.stale = True
        self.loading = False
        self.loaded_once = False
        self.message = message_label(self)
        self.dialog: QDialog | None = None  # the dialog opened last (tests reach it here)
        self.reads = 0  # reads of a part of the tab (a selected row's details) not answered yet

    @property
    def busy(self) -> bool:
        return self.loading or self.reads > 0

    # -- reading -------------------------------------------------------------------------------
    def reader(self) -> Callable[[], Any] | None:
        """What to read for the page's current call (and session); None: nothing to show."""
        raise NotImplementedError

    def show_data(self, data: Any) -> None:
        raise NotImplementedError

    def clear(self) -> None:
        """Nothing to show (no call, or no session)."""

    def refresh(self) -> None:
        fn = self.reader()
        if fn is None:
            self.stale = False
            self.clear()
            return
        self.loading = True
        self.page.tab_busy_changed()
        ops.query_op(
            fn,
            parent=self,
            key=f"review-tab:{id(self)}",
            on_success=self._loaded,
            on_failure=self._load_failed,
        )

    def _loaded(self, data: Any) -> None:
        self.loading = False
        self.stale = False
        self.loaded_once = True
        self.show_data(data)
        self.page.tab_busy_changed()

    def _load_failed(self, exc: BaseException) -> None:
        self.loading = False
        self.stale = False
        self.page.tab_busy_changed()
        text = error_text(exc)
        if text is None:
            report_exception(exc, self)
            return
        self.clear()
        self.show_message(text, level="error")

    def read(self, fn: Callable[[], Any], on_success: Callable[[Any], None], *, key: str) -> None:
        """Read a part of the tab (the newest read of ``key`` wins); a refusal goes to the message line."""

        def failed(exc: BaseException) -> None:
            text = error_text(exc)
            if text is None:
                report_exception(exc, self)
            else:
                self.show_message(text, level="error")

        self.reads += 1
        self.page.tab_busy_changed()
        task = ops.query_op(
            fn, parent=self, key=f"{key}:{id(self)}", on_success=on_success, on_failure=failed
        )
        task.finished.connect(self._read_finished)

    def _read_finished(self) -> None:
        self.reads -= 1
        self.page.tab_busy_changed()

    # -- messages and writes -------------------------------------------------------------------
    def show_message(self, text: str, *, level: str = "ok") -> None:
        show_in(self.message, text, level=level)

    def write(
        self,
        fn: Callable[[], Any],
        *,
        done: Callable[[Any], None] | None = None,
        kinds: frozenset[str] = REVIEW_KINDS,
        busy: str = "正在保存…",
        on_error: Callable[[str], None] | None = None,
    ) -> Task[Any]:
        """Run a write from a button of the tab; its refusal is shown in the tab's message line
        (or handed to ``on_error``)."""
        self.show_message(busy, level="busy")
        self.page.writes += 1

        def ok(result: Any) -> None:
            self.page.writes -= 1
            self.show_message("")
            if done is not None:
                done(result)

        def failed(exc: BaseException) -> None:
            self.page.writes -= 1
            text = error_text(exc)
            if text is None:
                self.show_message("")
                report_exception(exc, self)
            elif on_error is not None:
                self.show_message("")
                on_error(text)
            else:
                self.show_message(text, level="error")

        return ops.write_op(fn, parent=self, kinds=kinds, on_success=ok, on_failure=failed)

    def open_dialog(self, dialog: QDialog) -> QDialog:
        """Show ``dialog`` window-modal without blocking (Esc closes it)."""
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    # -- unsaved edits (the score entry has some) ----------------------------------------------
    def unsaved_changes(self) -> str | None:
        return None

    def save_changes(self) -> bool:
        return True

    def discard_changes(self) -> None:
        pass


def button_row(*widgets: QWidget, stretch: bool = True) -> QHBoxLayout:
    row = QHBoxLayout()
    row.setSpacing(6)
    for w in widgets:
        row.addWidget(w)
    if stretch:
        row.addStretch(1)
    return row
