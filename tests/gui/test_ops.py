"""ui/ops.py: queries where the newest of a key wins, writes in order on one thread, data_changed."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from lzcenter_desktop.ui import ops


def test_a_newer_query_of_the_same_key_replaces_an_older_one(qtbot: Any) -> None:
    owner = QObject()
    release = threading.Event()
    got: list[str] = []

    def slow() -> str:
        release.wait(5)
        return "旧"

    ops.query_op(slow, parent=owner, key="list", on_success=got.append)
    newer = ops.query_op(lambda: "新", parent=owner, key="list", on_success=got.append)
    qtbot.waitUntil(lambda: newer.is_finished)
    release.set()
    qtbot.wait(100)
    assert got == ["新"]


def test_queries_of_different_keys_both_deliver(qtbot: Any) -> None:
    owner = QObject()
    got: list[str] = []
    ops.query_op(lambda: "a", parent=owner, key="k1", on_success=got.append)
    ops.query_op(lambda: "b", parent=owner, key="k2", on_success=got.append)
    qtbot.waitUntil(lambda: len(got) == 2)
    assert sorted(got) == ["a", "b"]


def test_an_older_query_failure_is_not_reported_either(qtbot: Any) -> None:
    owner = QObject()
    release = threading.Event()
    failures: list[BaseException] = []

    def slow_fail() -> str:
        release.wait(5)
        raise RuntimeError("旧的失败")

    ops.query_op(slow_fail, parent=owner, key="x", on_success=lambda _v: None, on_failure=failures.append)
    newer = ops.query_op(lambda: 1, parent=owner, key="x", on_success=lambda _v: None)
    qtbot.waitUntil(lambda: newer.is_finished)
    release.set()
    qtbot.wait(100)
    assert failures == []


def test_writes_run_in_order_on_one_thread_and_announce_their_kinds(qtbot: Any) -> None:
    owner = QObject()
    order: list[int] = []
    threads: set[int] = set()
    announced: list[frozenset[str]] = []
    ops.hub().data_changed.connect(announced.append)

    def write(n: int) -> int:
        threads.add(threading.get_ident())
        time.sleep(0.01 * (5 - n))  # the first takes longest: a pool of several threads would reorder
        order.append(n)
        return n

    tasks = [ops.write_op(lambda n=n: write(n), parent=owner, kinds={"declarations"}) for n in range(5)]
    qtbot.waitUntil(lambda: all(t.is_finished for t in tasks), timeout=5000)
    assert order == [0, 1, 2, 3, 4]
    assert len(threads) == 1 and threading.get_ident() not in threads
    assert announced == [frozenset({"declarations"})] * 5
    ops.hub().data_changed.disconnect(announced.append)


def test_a_failed_write_announces_nothing_and_reports(qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    owner = QObject()
    seen: list[BaseException] = []
    announced: list[frozenset[str]] = []
    monkeypatch.setattr(
        "lzcenter_desktop.ui.dialogs.errors.report_exception", lambda exc, parent: seen.append(exc)
    )
    ops.hub().data_changed.connect(announced.append)

    def boom() -> None:
        raise RuntimeError("写入失败")

    task = ops.write_op(boom, parent=owner, kinds={"committees"})
    qtbot.waitUntil(lambda: task.is_finished)
    assert [str(e) for e in seen] == ["写入失败"] and announced == []
    ops.hub().data_changed.disconnect(announced.append)


def test_a_write_is_carried_out_and_announced_when_its_page_is_gone(qtbot: Any) -> None:
    page = QWidget()
    release = threading.Event()
    done: list[str] = []
    announced: list[frozenset[str]] = []
    ops.hub().data_changed.connect(announced.append)

    def write() -> str:
        release.wait(5)
        done.append("已写入")
        return "ok"

    task = ops.write_op(write, parent=page, kinds={"centers"}, on_success=lambda _v: pytest.fail("page gone"))
    page.deleteLater()
    qtbot.wait(50)
    release.set()
    qtbot.waitUntil(lambda: task.is_finished)
    assert done == ["已写入"] and announced == [frozenset({"centers"})]
    ops.hub().data_changed.disconnect(announced.append)


def test_unknown_kinds_are_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown data kinds"):
        ops.write_op(lambda: None, parent=None, kinds={"centres"})


def test_wait_for_writes_drains_the_queue(qtbot: Any) -> None:
    done: list[int] = []
    for n in range(3):
        ops.write_op(lambda n=n: (time.sleep(0.02), done.append(n)), parent=None, kinds=())
    assert ops.wait_for_writes(5000)
    assert done == [0, 1, 2]
