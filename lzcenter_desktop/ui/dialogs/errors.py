"""Errors a clerk can act on: a plain Chinese message box, never a traceback.

:func:`report_exception` is the single place an exception goes in the GUI: environment problems
(locked or read-only database, full disk, newer database…, see ``services.errors.classify``) become
a message box with the problem's Chinese title and message; anything else is a bug and goes to
the crash dialog. A four-eyes proposal (:class:`~lzcenter_desktop.services.permissions.ApprovalNeeded`)
is no error: it is shown as information — submitted, waiting for a 审核人, with the request number.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import TracebackType

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from lzcenter_desktop.services.errors import EnvironmentProblem, ProposalSubmitted, ServiceError, classify
from lzcenter_desktop.ui.dialogs.crash import handle_crash

_open_boxes: set[QMessageBox] = set()


def environment_problem_box(problem: EnvironmentProblem, parent: QWidget | None = None) -> QMessageBox:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(problem.title)
    box.setText(problem.title)
    box.setInformativeText(problem.message)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    ok = box.button(QMessageBox.StandardButton.Ok)
    ok.setText("知道了")
    return box


def show_environment_problem(
    problem: EnvironmentProblem, parent: QWidget | None = None, *, block: bool = False
) -> QMessageBox:
    """Show the problem; ``block=True`` waits for the clerk (used at start-up, before the event loop)."""
    box = environment_problem_box(problem, parent)
    if block:
        box.exec()
        return box
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    _open_boxes.add(box)
    box.finished.connect(lambda _result: _open_boxes.discard(box))
    box.open()
    return box


def approval_box(exc: ProposalSubmitted, parent: QWidget | None = None) -> QMessageBox:
    """The information that a four-eyes proposal was submitted (not an error: nothing failed)."""
    number = f"（审批申请第 {exc.request_id} 号）" if exc.request_id is not None else ""
    box = QMessageBox(parent)
    box.setObjectName("approvalSubmittedBox")
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle("已提交审批")
    box.setText(f"已提交，等待审核人批准{number}")
    box.setInformativeText(f"{exc.message}\n可在 文件 → 待审批 中查看；审核人批准后才生效。")
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.button(QMessageBox.StandardButton.Ok).setText("知道了")
    return box


def show_approval_submitted(exc: ProposalSubmitted, parent: QWidget | None = None) -> QMessageBox:
    box = approval_box(exc, parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    _open_boxes.add(box)
    box.finished.connect(lambda _result: _open_boxes.discard(box))
    box.open()
    return box


def report_exception(exc: BaseException, parent: QWidget | None = None) -> None:
    """Show ``exc`` to the clerk: a plain message if the environment or the input is at fault, else the
    crash dialog; a four-eyes proposal as information (:func:`show_approval_submitted`)."""
    if isinstance(exc, ProposalSubmitted):
        show_approval_submitted(exc, parent)
        return
    if isinstance(exc, ServiceError):
        # Bad input or a request the rules refuse: the service's message names the field.
        show_environment_problem(EnvironmentProblem(exc.message, title="无法完成操作"), parent)
        return
    problem = classify(exc) if isinstance(exc, Exception) else None
    if problem is not None:
        show_environment_problem(problem, parent)
        return
    handle_crash(type(exc), exc, exc.__traceback__, parent)


def open_message_boxes() -> list[QMessageBox]:
    """The non-blocking message boxes currently shown (for tests and for closing on exit); a box
    closed together with its parent window (deleted without ``finished``) is forgotten here."""
    _open_boxes.difference_update([box for box in _open_boxes if not shiboken6.isValid(box)])
    return list(_open_boxes)


_previous_hook: Callable[[type[BaseException], BaseException, TracebackType | None], object] | None = None


def install_excepthook(parent_getter: Callable[[], QWidget | None] = lambda: None) -> None:
    """Route every uncaught exception to :func:`report_exception`.

    (Here rather than in :mod:`~lzcenter_desktop.ui.dialogs.crash`: this module imports that one,
    never the other way round.)"""
    global _previous_hook
    if _previous_hook is None:
        _previous_hook = sys.excepthook

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        if exc.__traceback__ is None and tb is not None:
            exc = exc.with_traceback(tb)
        report_exception(exc, parent_getter())

    sys.excepthook = hook


def uninstall_excepthook() -> None:
    global _previous_hook
    if _previous_hook is not None:
        sys.excepthook = _previous_hook
        _previous_hook = None
