"""Every database call of the GUI, off the UI thread — after Anki's ``CollectionOp`` / ``QueryOp``.

* :func:`query_op` reads: it runs on a worker thread of the shared pool; with a ``key``, a newer
  query of the same key replaces an older one (the older one's result is dropped when it
  arrives), so a page that reloads on every keystroke or selection shows the latest answer only.
* :func:`write_op` writes: every write runs on **one** dedicated worker thread, so writes happen in
  the order the clerk made them (a save never overtakes the previous one). After a successful
  write, :data:`hub` emits ``data_changed(kinds)`` so that every page showing those kinds of record
  refreshes itself — pages subscribe instead of re-reading on every visit.

Both report a failure through the environment-problem dialogs of :mod:`ui.dialogs.errors` (a
locked, read-only, damaged or full database gets a plain Chinese message; a bug the crash dialog)
unless the caller handles it with ``on_failure``. A result that arrives after its parent widget
was destroyed is dropped.

Kinds of data (``data_changed``) are short names: ``centers``, ``declarations``, ``committees``,
``people``, ``documents``, ``rulesets``, ``organizations``, ``review``, ``reports``, ``evaluation``.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QThreadPool, Signal

from lzcenter_desktop.ui.tasks import FailureCallback, SuccessCallback, Task, run_in_background

T = TypeVar("T")

KINDS = frozenset(
    {
        "centers",
        "declarations",
        "committees",
        "people",
        "documents",
        "rulesets",
        "organizations",
        "review",
        "reports",
        "evaluation",
    }
)


class DataHub(QObject):
    """The application-wide notice that records changed: ``data_changed(frozenset_of_kinds)``."""

    data_changed = Signal(object)

    def notify(self, kinds: Iterable[str]) -> None:
        changed = frozenset(kinds)
        unknown = changed - KINDS
        if unknown:
            raise ValueError(f"unknown data kinds: {sorted(unknown)}")
        if changed:
            self.data_changed.emit(changed)


_hub: DataHub | None = None
_write_pool: QThreadPool | None = None
_lock = threading.Lock()
_latest: dict[str, int] = {}
_counter = itertools.count(1)


def hub() -> DataHub:
    """The one :class:`DataHub` of the application (made on first use, on the GUI thread)."""
    global _hub
    if _hub is None:
        _hub = DataHub()
    return _hub


def write_pool() -> QThreadPool:
    """The single worker thread every write runs on, in submission order."""
    global _write_pool
    if _write_pool is None:
        pool = QThreadPool()
        pool.setMaxThreadCount(1)
        pool.setExpiryTimeout(-1)  # keep the thread: saves come every few hundred milliseconds
        _write_pool = pool
    return _write_pool


def wait_for_writes(timeout_ms: int = 30_000) -> bool:
    """Block until every queued write has run (closing the window, tests); True if they all did."""
    return write_pool().waitForDone(timeout_ms) if _write_pool is not None else True


def query_op(
    fn: Callable[[], T],
    *,
    parent: QObject | None,
    on_success: SuccessCallback[T],
    on_failure: FailureCallback | None = None,
    key: str | None = None,
) -> Task[T]:
    """Read with ``fn()`` on a worker thread; ``on_success(result)`` on the GUI thread.

    With ``key`` (e.g. ``f"center-detail:{id(page)}"``) only the newest query of that key delivers
    its result; an older one still running is not waited for, its answer is dropped."""
    token = 0
    if key is not None:
        with _lock:
            token = next(_counter)
            _latest[key] = token

    def current() -> bool:
        if key is None:
            return True
        with _lock:
            return _latest.get(key) == token

    def success(result: T) -> None:
        if current():
            on_success(result)

    def failure(exc: BaseException) -> None:
        if not current():
            return
        if on_failure is not None:
            on_failure(exc)
        else:
            _report(exc, parent)

    return run_in_background(fn, parent=parent, on_success=success, on_failure=failure)


def write_op(
    fn: Callable[[], T],
    *,
    parent: QObject | None,
    kinds: Iterable[str],
    on_success: SuccessCallback[T] | None = None,
    on_failure: FailureCallback | None = None,
) -> Task[T]:
    """Write with ``fn()`` on the one write thread (in order); then announce ``kinds`` as changed.

    ``data_changed`` is emitted before ``on_success`` runs, on the GUI thread, and only when the
    write succeeded."""
    changed = frozenset(kinds)
    unknown = changed - KINDS
    if unknown:
        raise ValueError(f"unknown data kinds: {sorted(unknown)}")
    data_hub = hub()

    def alive() -> bool:
        return parent is None or shiboken6.isValid(parent)

    def success(result: T) -> None:
        data_hub.notify(changed)  # the record changed even if the page that asked is gone
        if on_success is not None and alive():
            on_success(result)

    def failure(exc: BaseException) -> None:
        if on_failure is not None and alive():
            on_failure(exc)
        else:
            _report(exc, parent if alive() else None)

    # The task belongs to the hub, not to the page: a write that was asked for is carried out and
    # announced even when the clerk closes the page first.
    return run_in_background(fn, parent=data_hub, on_success=success, on_failure=failure, pool=write_pool())


def _report(exc: BaseException, parent: Any) -> None:
    from PySide6.QtWidgets import QWidget

    from lzcenter_desktop.ui.dialogs.errors import report_exception

    report_exception(exc, parent if isinstance(parent, QWidget) else None)
