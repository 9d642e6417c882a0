"""Autosave of the declaration wizard: every change stored at once on the one write thread, a new
declaration stored only once it holds a real value, and nothing lost on close.

Each change is handed to the write thread at once (:data:`SAVE_DELAY_MS`); while a save is still
running (the database busy, another program holding its lock) typing goes on and only the latest
document is remembered, saved as soon as the running save ends — so a change is stored within
milliseconds when the database is free, and nothing waits for it when it is not. The status says
正在保存… / 已自动保存 / why it could not be saved (a busy database is tried again by itself).
Leaving a field or a page, the window losing focus and the application going to the background hand
a pending change over at once; closing the wizard and quitting the application also wait for it to
be written (:meth:`AutosaveMixin.commit_pending`).

A new declaration has no database row yet (``declaration_id`` None): opening and closing it leaves
nothing behind. The first save of a document that holds a real value
(:func:`~lzcenter_desktop.services.declarations.drafts.is_blank_document`) creates the draft on the
write thread; every later write — saves, attachments, warning reasons, submission, files — finds
its id there (:meth:`AutosaveMixin.row_getter`), in order.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QMessageBox, QWizard

from lzcenter_desktop.domain.violations import Violation
from lzcenter_desktop.services import declarations as decl
from lzcenter_desktop.services.declarations.drafts import is_blank_document
from lzcenter_desktop.services.errors import DatabaseLocked, EnvironmentProblem, ServiceError
from lzcenter_desktop.ui import ops
from lzcenter_desktop.ui.declarations.editors import ERROR_STYLE
from lzcenter_desktop.ui.declarations.wizard_stale import document_fields
from lzcenter_desktop.ui.dialogs.stale import offer_reload
from lzcenter_desktop.ui.tasks import Task

if TYPE_CHECKING:
    from PySide6.QtCore import QTimer, SignalInstance
    from PySide6.QtGui import QCloseEvent

    from lzcenter_desktop.domain.formdef import FormDef
    from lzcenter_desktop.services.context import AppContext
    from lzcenter_desktop.ui.declarations.wizard_pages import SectionPage
    from lzcenter_desktop.ui.declarations.wizard_review import ReviewPage

    _Base = QWizard
else:
    _Base = object

# A save costs about 2 ms (one UPDATE and one compact audit entry, see benchmarks/README.md), so
# every change is handed to the write thread on the next turn of the event loop; tests may pass a
# delay to batch. A save refused because another program holds the database is tried again after
# RETRY_DELAY_MS (and at the next change).
SAVE_DELAY_MS = 0
RETRY_DELAY_MS = 1000
SAVING = "正在保存…"
SAVED = "已自动保存"
BLANK = "尚未填写内容（填写后自动保存）"
# Fields that a save copies to a linked centre in 草稿 and a draft-owned host (services/declarations.py)
LINKED_PATHS = ("center.name_zh", "center.name_en", "center.research_direction", "host.name", "host.kind")

Records = tuple[list[Violation], decl.RecordedRevocation | None]


class Stored:
    """What the write thread has stored, readable on the GUI thread before its result is delivered
    (so that :meth:`AutosaveMixin.commit_pending` knows the outcome right after waiting)."""

    def __init__(self, declaration_id: int | None, version: int | None = None) -> None:
        self._lock = threading.Lock()
        self._declaration_id = declaration_id  # None until a new declaration is first stored
        self._version = version  # the declaration's version as last read or saved (optimistic locking)
        self._epoch = 0
        self._generation = 0  # the newest edit generation written to the database
        self._acks = 0  # acknowledgements handed to the write thread and not yet written
        self._error = ""  # why the latest save failed (Chinese), "" after a successful one

    @property
    def declaration_id(self) -> int | None:
        with self._lock:
            return self._declaration_id

    def ensure_row(self, create: Callable[[], int]) -> tuple[int, bool]:
        """The declaration's id, made now by ``create()`` if it has none (on the write thread, where
        writes run one at a time); and whether it was made now."""
        with self._lock:
            known = self._declaration_id
        if known is not None:
            return known, False
        made = create()
        with self._lock:
            self._declaration_id = made
        return made, True

    @property
    def version(self) -> int | None:
        with self._lock:
            return self._version

    @property
    def epoch(self) -> int:
        """Raised when the edits on screen are given up (重新载入): a save sent before is dropped."""
        with self._lock:
            return self._epoch

    def give_up_pending(self, version: int) -> None:
        with self._lock:
            self._epoch += 1
            self._version = version

    def set_version(self, version: int) -> None:
        with self._lock:
            self._version = version

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


def _records_check(ctx: AppContext, declaration_id: int, document: dict[str, Any]) -> Records | None:
    from lzcenter_desktop.ui.declarations.wizard import records_check

    return records_check(ctx, declaration_id, document)


class AutosaveMixin(_Base):
    """The saving half of :class:`~lzcenter_desktop.ui.declarations.wizard.DeclarationWizard`."""

    if TYPE_CHECKING:
        ctx: AppContext
        call_year: int
        form: FormDef
        document: dict[str, Any]
        acks: dict[str, str]
        submitted: bool
        submitting: bool
        section_pages: list[SectionPage]
        review_page: ReviewPage | None
        save_status: str
        confirm_discard: Callable[[str], bool]
        saved: SignalInstance
        created: SignalInstance
        _stored: Stored
        _edits: int
        _sent: int
        _saving: Task[Any] | None
        _row_requested: bool
        _announced: bool
        _discard_agreed: bool
        _last_linked: tuple[Any, ...]
        _save_timer: QTimer
        _retry_timer: QTimer
        _duplicates: list[Violation]
        _revocation: decl.RecordedRevocation | None

        def recheck(self) -> None: ...

        def window_title(self) -> str: ...

    @property
    def declaration_id(self) -> int | None:
        """The draft's id; None while a new declaration is not stored yet."""
        return self._stored.declaration_id

    def display_name(self) -> str:
        """``第 12 号申报书`` or ``新申报书（尚未保存）`` — how messages name this declaration."""
        did = self.declaration_id
        return f"第 {did} 号申报书" if did is not None else f"{self.call_year} 年度新申报书（尚未保存）"

    # -- the row of a new declaration --------------------------------------------------------------

    def row_getter(self) -> Callable[[], int]:
        """For a write about to be handed to the write thread: a function that, there, returns the
        declaration's id — storing a new declaration first, with the document now on screen."""
        stored, ctx, year = self._stored, self.ctx, self.call_year
        snapshot = copy.deepcopy(self.document)
        generation = self._edits
        self._row_requested = True

        def row() -> int:
            did, made = stored.ensure_row(lambda: decl.create_draft(ctx, call_year=year, data=snapshot))
            if made:
                stored.set_version(1)
                stored.saved(generation)
            return did

        return row

    def row_known(self) -> None:
        """After a write: once a new declaration has its row, say so (title, ``created``)."""
        did = self._stored.declaration_id
        if did is not None and not self._announced:
            self._announced = True
            self.setWindowTitle(self.window_title())
            self.created.emit(did)

    # -- autosave ---------------------------------------------------------------------------------

    def _linked_values(self) -> tuple[Any, ...]:
        from lzcenter_desktop.domain.formdef import get_path

        return tuple(get_path(self.document, p) for p in LINKED_PATHS)

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
        stored = self._stored
        if not self._row_requested and stored.declaration_id is None and is_blank_document(snapshot):
            self._sent = generation  # a new declaration with nothing in it: nothing to store
            stored.saved(generation)
            self._show_status(BLANK)
            return None
        self._row_requested = True
        linked = self._linked_values()
        kinds = {"declarations"} | ({"centers", "organizations"} if linked != self._last_linked else set())
        self._last_linked = linked
        self._sent = generation
        ctx, year, epoch = self.ctx, self.call_year, stored.epoch

        def work() -> tuple[int, Records | None]:
            try:
                if stored.epoch != epoch:  # the clerk reloaded the stored draft since: not sent
                    return generation, None
                did, made = stored.ensure_row(lambda: decl.create_draft(ctx, call_year=year, data=snapshot))
                if made:
                    stored.set_version(1)
                else:
                    expected = stored.version
                    stored.set_version(
                        decl.save_draft(ctx, declaration_id=did, data=snapshot, expected_version=expected)
                    )
            except BaseException as exc:
                stored.failed(exc)
                raise
            stored.saved(generation)
            return generation, _records_check(ctx, did, snapshot)

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

    def _save_done(self, result: tuple[int, Records | None]) -> None:
        generation, records = result
        if generation == self._sent:
            self._saving = None
        self.row_known()
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
            self.offer_stale_reload(exc)

    def offer_stale_reload(self, exc: BaseException) -> None:
        """Saved by someone else meanwhile: 重新载入 / 比较 / 取消 (ui/dialogs/stale.py)."""
        did = self._stored.declaration_id
        if did is None or getattr(self, "stale_dialog", None) is not None:
            return  # one box at a time (autosave may refuse again meanwhile)
        ctx, form, mine = self.ctx, self.form, copy.deepcopy(self.document)

        def reload() -> None:
            ops.query_op(lambda: decl.get_declaration(ctx, did), parent=self, on_success=self.load_stored)

        dialog = offer_reload(
            self,
            exc,
            mine=document_fields(form, mine),
            fetch_theirs=lambda: document_fields(form, decl.get_declaration(ctx, did).data),
            on_reload=reload,
        )
        if dialog is not None:
            dialog.finished.connect(lambda _r: setattr(self, "stale_dialog", None))

    def load_stored(self, view: decl.DeclarationView) -> None:
        """Drop the edits on screen: show the declaration as stored now, at its version."""
        self._stored.give_up_pending(view.version)
        self._saving = None  # a save still queued is dropped (see _send)
        self.document = copy.deepcopy(view.data)
        self._loading = True
        for page in self.section_pages:
            page.load(self.document)
        self._loading = False
        self._edits += 1  # the document on screen is the stored one; what was typed is given up
        self._sent = self._edits
        self._stored.saved(self._edits)
        self._last_linked = self._linked_values()
        self.recheck()
        self._show_status("已重新载入数据库中的当前内容，您之前的修改已放弃。")

    def has_unsaved_changes(self) -> bool:
        """A change on screen that is not yet in the database (waiting, being saved, or refused),
        or a warning reason on its way."""
        return self._edits > self._stored.generation or self._stored.acks_pending > 0

    def unsaved_reason(self) -> str:
        """Why the change on screen is not in the database (Chinese), as the write thread last said."""
        error = self._stored.error
        return f"未能保存：{error}" if error else "尚未保存完"

    def _take_typing(self) -> None:
        """A warning reason still being typed in its cell, a date still being typed in its field."""
        if self.review_page is not None:
            self.review_page.commit_open_editor()
        for page in self.section_pages:
            page.commit_typed()

    def commit_pending(self) -> bool:
        """Store everything now and wait until it is written (closing the wizard, quitting): what is
        still being typed, then the pending change. True when nothing is left unsaved."""
        self._take_typing()
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

    # -- warning reasons --------------------------------------------------------------------------

    def acknowledge(self, violation: Violation, reason: str) -> Task[str] | None:
        """Store the reason typed for warning ``violation`` (on the write thread); a message says
        whether it was stored. None when it is the reason already stored."""
        key = decl.violation_key(violation)
        text = reason.strip()
        if self.acks.get(key, "") == text:
            return None
        ctx, stored, row = self.ctx, self._stored, self.row_getter()
        stored.ack_started()

        def work() -> str:
            try:
                decl.set_acknowledgement(
                    ctx, declaration_id=row(), rule=violation.rule, path=violation.path, reason=text
                )
            finally:
                stored.ack_ended()
            return text

        def done(_text: str) -> None:
            if text:
                self.acks[key] = text
            else:
                self.acks.pop(key, None)
            self.row_known()
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
        grey = text in (SAVING, BLANK)
        style = ERROR_STYLE if error else ("color: #5f6368;" if grey else "color: #2e7d32;")
        for page in self.section_pages:
            page.status.setText(text)
            page.status.setStyleSheet(style)
        if self.review_page is not None and error:
            self.review_page.status.setText(text)
            self.review_page.status.setStyleSheet(ERROR_STYLE)

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
        box.setText(f"{self.display_name()}的最近修改未能保存：\n{why}")
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
