"""ui/tasks.py: background work with callbacks on the GUI thread."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QObject, Qt, QThread
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

from lzcenter_desktop.ui.tasks import Progress, TaskCancelled, run_in_background, run_with_progress


def test_success_callback_runs_on_gui_thread_with_result(qtbot) -> None:
    owner = QObject()
    worker_thread: list[threading.Thread] = []
    got: list[tuple[int, bool]] = []

    def work() -> int:
        worker_thread.append(threading.current_thread())
        return 42

    def done(value: int) -> None:
        got.append((value, QThread.currentThread() is QApplication.instance().thread()))

    task = run_in_background(work, parent=owner, on_success=done, on_failure=pytest.fail)
    qtbot.waitUntil(lambda: bool(got))
    assert got == [(42, True)]
    assert worker_thread[0] is not threading.main_thread()
    assert task.is_finished


def test_failure_callback_gets_the_exception(qtbot) -> None:
    owner = QObject()
    errors: list[BaseException] = []

    def work() -> None:
        raise ValueError("坏数据")

    run_in_background(
        work, parent=owner, on_success=lambda _v: pytest.fail("no success"), on_failure=errors.append
    )
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], ValueError)
    assert str(errors[0]) == "坏数据"
    assert errors[0].__traceback__ is not None  # kept for the crash report


def test_failure_without_handler_goes_to_report_exception(qtbot, monkeypatch) -> None:
    seen: list[BaseException] = []
    monkeypatch.setattr(
        "lzcenter_desktop.ui.dialogs.errors.report_exception", lambda exc, parent: seen.append(exc)
    )
    owner = QObject()

    def work() -> None:
        raise RuntimeError("意外")

    run_in_background(work, parent=owner)
    qtbot.waitUntil(lambda: bool(seen))
    assert isinstance(seen[0], RuntimeError)


def test_no_callback_after_the_parent_is_gone(qtbot) -> None:
    owner = QObject()
    release = threading.Event()
    called: list[object] = []
    task = run_in_background(
        lambda: release.wait(5), parent=owner, on_success=called.append, on_failure=called.append
    )
    owner.deleteLater()
    qtbot.waitUntil(lambda: not _alive(owner))
    release.set()
    assert task.wait(5)
    qtbot.wait(50)
    assert called == []


def _alive(obj: QObject) -> bool:
    from shiboken6 import isValid

    return isValid(obj)


def test_progress_dialog_shows_progress_and_closes(qtbot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    step = threading.Event()
    results: list[str] = []

    def work(progress: Progress) -> str:
        progress.report(1, 4, "正在处理第1个")
        step.wait(5)
        return "完成"

    task, dialog = run_with_progress(
        work, parent=parent, title="导入", label="正在导入…", on_success=results.append, minimum_duration_ms=0
    )
    qtbot.waitUntil(lambda: dialog.maximum() == 4)
    assert dialog.value() == 1
    assert dialog.labelText() == "正在处理第1个"
    assert dialog.windowTitle() == "导入"
    step.set()
    qtbot.waitUntil(lambda: results == ["完成"])
    assert task.is_finished


def test_cancel_button_stops_the_task(qtbot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    started = threading.Event()
    cancelled: list[bool] = []
    successes: list[object] = []

    def work(progress: Progress) -> int:
        started.set()
        for _ in range(500):
            progress.raise_if_cancelled()
            threading.Event().wait(0.01)
        return 1

    task, dialog = run_with_progress(
        work,
        parent=parent,
        title="生成",
        label="正在生成…",
        on_success=successes.append,
        on_cancelled=lambda: cancelled.append(True),
        minimum_duration_ms=0,
    )
    assert started.wait(5)
    qtbot.waitUntil(dialog.isVisible)
    [button] = [b for b in dialog.findChildren(QPushButton) if b.text() == "取消"]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: cancelled == [True])
    assert successes == []
    assert task.progress.cancelled


def test_raise_if_cancelled() -> None:
    class Dummy:
        def _emit_progress(self, *a: object) -> None: ...

    progress = Progress(Dummy())  # type: ignore[arg-type]
    progress.raise_if_cancelled()  # not cancelled: nothing happens
    progress.cancel()
    with pytest.raises(TaskCancelled):
        progress.raise_if_cancelled()


def test_a_task_whose_parent_is_destroyed_before_delivery_is_not_counted_for_ever(qtbot) -> None:
    from lzcenter_desktop.ui.tasks import running_tasks

    before = running_tasks()
    release = threading.Event()
    owner = QObject()
    task = run_in_background(lambda: release.wait(5), parent=owner, on_success=lambda _v: None)
    assert running_tasks() == before + 1
    release.set()
    assert task.wait(5)
    import shiboken6

    shiboken6.delete(owner)  # destroyed after the work ended, before the result reached the GUI thread
    qtbot.waitUntil(lambda: running_tasks() == before, timeout=3000)
