"""The floor under pytest-qt's waits (tests/qt_waits.py) is applied, and no test needs a wait to time out."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests import qt_waits

TESTS = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("asked", "given"),
    [
        (None, qt_waits.WAIT_FLOOR_MS),
        (qt_waits.WAIT_FLOOR_MS - 1, qt_waits.WAIT_FLOOR_MS),
        (qt_waits.WAIT_FLOOR_MS, qt_waits.WAIT_FLOOR_MS),
        (qt_waits.WAIT_FLOOR_MS + 1, qt_waits.WAIT_FLOOR_MS + 1),
    ],
)
def test_a_wait_gets_at_least_the_floor(asked, given) -> None:
    assert qt_waits.floored(asked) == given


def test_the_waits_of_qtbot_are_floored() -> None:
    for name in ("waitSignal", "waitSignals", "waitUntil", "waitCallback"):
        assert getattr(getattr(QtBot, name), "_lz_wait_floor", False), name


def test_the_timeout_reaches_the_wait(monkeypatch, qtbot) -> None:
    seen: list[int] = []

    def fake(self, callback, *, timeout=5000):
        seen.append(timeout)

    monkeypatch.setattr(QtBot, "waitUntil", qt_waits._with_floor(fake))
    qtbot.waitUntil(lambda: True)
    qtbot.waitUntil(lambda: True, timeout=10)
    qtbot.waitUntil(lambda: True, timeout=qt_waits.WAIT_FLOOR_MS + 5)
    assert seen == [qt_waits.WAIT_FLOOR_MS, qt_waits.WAIT_FLOOR_MS, qt_waits.WAIT_FLOOR_MS + 5]


def test_a_met_condition_returns_at_once(qtbot) -> None:
    calls: list[int] = []
    qtbot.waitUntil(lambda: calls.append(1) is None)
    assert calls == [1]


def test_no_test_relies_on_a_wait_timing_out() -> None:
    """Such a test would take the whole floor; it should use qtbot.wait() and then assert instead."""
    pattern = re.compile(
        r"raises\(\s*(pytestqt\.exceptions\.)?(TimeoutError|Timeout)|wait\w*\([^)]*raising\s*=\s*False"
    )
    mine = {"test_qt_waits.py", "qt_waits.py"}
    offenders = [
        str(path.relative_to(TESTS))
        for path in TESTS.rglob("*.py")
        if path.name not in mine and pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
