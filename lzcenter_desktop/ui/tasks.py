"""Background work for the GUI, after Anki's ``QueryOp``/``CollectionOp``.

A callable runs on a worker thread of a ``QThreadPool``; its result (or the exception it
raised) comes back to callbacks that run on the GUI thread, so the window never freezes and
widgets are only touched where Qt allows it.

* :func:`run_in_background` — short work (loading a list, reading a record).
* :func:`run_with_progress` — long work (imports, batch documents, backups) behind a
  ``QProgressDialog`` with a 取消 button.  The callable receives a :class:`Progress` handle to
  report how far it got and to notice a cancel request.

If the parent object is destroyed before the work ends (the clerk closed the window), the
result is dropped and no callback runs.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

T = TypeVar("T")

SuccessCallback = Callable[[T], None]
FailureCallback = Callable[[BaseException], None]

# Live tasks, so that a task without a parent is not garbage-collected while it runs.
_RUNNING: set[Task[Any]] = set()
_RUNNING_LOCK = threading.Lock()


class TaskCancelled(Exception):
    """Raised inside a task (by :meth:`Progress.raise_if_cancelled`) when the clerk pressed 取消."""


class Progress:
    """Handed to a long task: report progress, notice a cancel request. Safe to use from any thread."""

    def __init__(self, task: Task[Any]) -> None:
        self._task = task
        self._cancel = threading.Event()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()

    def raise_if_cancelled(self) -> None:
        if self._cancel.is_set():
            raise TaskCancelled()

    def report(self, done: int, total: int, text: str = "") -> None:
        """``done`` of ``total`` steps are finished; ``text`` (Chinese) says what is being done now."""
        self._task._emit_progress(done, total, text)


class _Courier(QObject):
    """What a worker emits on: a parentless object the worker holds until it returns, so that a
    task destroyed on the GUI thread meanwhile (its page closed) is never emitted on while it is
    being deleted — that race crashed the process (a segfault in ``signal.emit``). The courier's
    connections to the task are queued; Qt drops them when the task is gone."""

    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    progressed = Signal(int, int, str)


class Task(QObject, Generic[T]):
    """Handle on one piece of background work. Its signals are delivered on the GUI thread."""

    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    progressed = Signal(int, int, str)
    finished = Signal()

    def __init__(
        self,
        fn: Callable[[], T],
        *,
        parent: QObject | None,
        on_success: SuccessCallback[T] | None,
        on_failure: FailureCallback | None,
        on_cancelled: Callable[[], None] | None,
    ) -> None:
        super().__init__(parent)
        self._fn = fn
        self._on_success = on_success
        self._on_failure = on_failure
        self._on_cancelled = on_cancelled
        self.progress = Progress(self)
        self.is_finished = False
        self._done_event = threading.Event()
        # A parent destroyed before the result is delivered takes this task with it: the task is
        # then no longer waiting for anything (running_tasks must not count it for ever).
        self.destroyed.connect(lambda *_args, task=self: _forget(task))
        queued = Qt.ConnectionType.QueuedConnection
        self._courier = _Courier()
        # one queued hop to the task's slots (``_finish_now`` of a closing page delivers the answer
        # with one sendPostedEvents); the task's own signals are emitted on the GUI thread there
        self._courier.succeeded.connect(self._deliver_success, queued)
        self._courier.failed.connect(self._deliver_failure, queued)
        self._courier.cancelled.connect(self._deliver_cancelled, queued)
        self._courier.progressed.connect(self.progressed, queued)

    # -- worker side -----------------------------------------------------------------------
    def _run(self) -> None:
        courier = self._courier  # held here: the worker never touches the task's C++ object
        try:
            try:
                result = self._fn()
            except TaskCancelled:
                self._emit(courier.cancelled)
            except BaseException as exc:  # every failure goes back to the GUI thread
                self._emit(courier.failed, exc)
            else:
                self._emit(courier.succeeded, result)
        finally:
            self._done_event.set()

    def _emit(self, signal: Any, *args: object) -> None:
        try:
            signal.emit(*args)
        except RuntimeError:
            # The courier's connections are gone with the task: nobody is waiting any more.
            _forget(self)

    def _emit_progress(self, done: int, total: int, text: str) -> None:
        self._emit(self._courier.progressed, done, total, text)

    # -- GUI side --------------------------------------------------------------------------
    def cancel(self) -> None:
        """Ask the task to stop; it stops at its next :meth:`Progress.raise_if_cancelled`."""
        if not self.is_finished:
            self.progress.cancel()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the worker returned (for tests and shutdown); True if it did."""
        return self._done_event.wait(timeout)

    @Slot(object)
    def _deliver_success(self, result: object) -> None:
        self.succeeded.emit(result)
        self._finish()
        if self._on_success is not None:
            self._on_success(result)  # type: ignore[arg-type]

    @Slot(object)
    def _deliver_failure(self, exc: object) -> None:
        self.failed.emit(exc)
        self._finish()
        assert isinstance(exc, BaseException)
        if self._on_failure is not None:
            self._on_failure(exc)
        else:
            from lzcenter_desktop.ui.dialogs.errors import report_exception

            parent = self.parent()
            report_exception(exc, parent if isinstance(parent, QWidget) else None)

    @Slot()
    def _deliver_cancelled(self) -> None:
        self.cancelled.emit()
        self._finish()
        if self._on_cancelled is not None:
            self._on_cancelled()

    def _finish(self) -> None:
        self.is_finished = True
        self.finished.emit()
        _forget(self)


class _Runnable(QRunnable):
    def __init__(self, task: Task[Any]) -> None:
        super().__init__()
        self._task = task
        self.setAutoDelete(True)

    def run(self) -> None:
        self._task._run()


def _forget(task: Task[Any]) -> None:
    with _RUNNING_LOCK:
        _RUNNING.discard(task)


def running_tasks() -> int:
    """How many background tasks have not delivered their result yet."""
    with _RUNNING_LOCK:
        return len(_RUNNING)


def _start(task: Task[Any], pool: QThreadPool | None) -> None:
    with _RUNNING_LOCK:
        _RUNNING.add(task)
    (pool or QThreadPool.globalInstance()).start(_Runnable(task))


def run_in_background(
    fn: Callable[[], T],
    *,
    parent: QObject | None,
    on_success: SuccessCallback[T] | None = None,
    on_failure: FailureCallback | None = None,
    pool: QThreadPool | None = None,
) -> Task[T]:
    """Run ``fn()`` on a worker thread; call ``on_success(result)`` or ``on_failure(exc)`` on the GUI thread.

    Without ``on_failure`` the exception goes to :func:`ui.dialogs.errors.report_exception`
    (a plain Chinese message for environment problems, the crash dialog for bugs).
    """
    task: Task[T] = Task(fn, parent=parent, on_success=on_success, on_failure=on_failure, on_cancelled=None)
    _start(task, pool)
    return task


def run_with_progress(
    fn: Callable[[Progress], T],
    *,
    parent: QWidget,
    title: str,
    label: str,
    on_success: SuccessCallback[T] | None = None,
    on_failure: FailureCallback | None = None,
    on_cancelled: Callable[[], None] | None = None,
    minimum_duration_ms: int = 400,
    pool: QThreadPool | None = None,
) -> tuple[Task[T], QProgressDialog]:
    """Run ``fn(progress)`` on a worker thread behind a window-modal progress dialog with 取消.

    ``fn`` reports with ``progress.report(done, total, text)`` and stops when asked by calling
    ``progress.raise_if_cancelled()`` between steps; ``on_cancelled`` then runs instead of
    ``on_success``.
    """
    dialog = QProgressDialog(label, "取消", 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setValue(0)  # so that the show-after timer restarts with our minimum duration
    dialog.setMinimumDuration(minimum_duration_ms)

    holder: dict[str, Task[T]] = {}

    def work() -> T:
        return fn(holder["task"].progress)

    task: Task[T] = Task(
        work, parent=dialog, on_success=on_success, on_failure=on_failure, on_cancelled=on_cancelled
    )
    holder["task"] = task

    def show_progress(done: int, total: int, text: str) -> None:
        if task.is_finished:
            return
        dialog.setMaximum(max(total, 0))
        dialog.setValue(min(done, total) if total > 0 else 0)
        if text:
            dialog.setLabelText(text)

    def request_cancel() -> None:
        if task.is_finished:
            return
        task.cancel()
        dialog.setLabelText("正在取消，请稍候…")

    def close_dialog() -> None:
        # hide() rather than close(): closing a QProgressDialog emits canceled().
        dialog.hide()
        dialog.deleteLater()  # takes the task (its child) with it, after the callback has run

    task.progressed.connect(show_progress)
    dialog.canceled.connect(request_cancel)
    task.finished.connect(close_dialog)
    _start(task, pool)
    return task, dialog
