"""A floor under pytest-qt's "wait until this happens" timeouts.

`qtbot.waitSignal` / `waitUntil` (and their relatives) wait *until* something happens; their
timeout only decides when a test gives up on something that never comes. pytest-qt's default is
5 seconds, and the tests name 2–20 seconds here and there. That is no speed check (speed lives in
`benchmarks/`), yet on a loaded machine — `.ci/run` runs the SQLite and the PostgreSQL suites side
by side on two cores — a worker thread that builds 5,001 rows can miss 5 seconds, and the run
failed on exactly that. So every such wait gets at least WAIT_FLOOR_MS: a passing test returns as
soon as its condition holds, so this costs nothing; only a real failure waits the floor out.

`qtbot.wait(ms)` (a plain pause) is not touched, and no test relies on one of these waits timing
out (`tests/unit/test_qt_waits.py` checks that the floor is applied and that no test does).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

WAIT_FLOOR_MS = 60_000
PATCHED = ("waitSignal", "waitSignals", "waitUntil", "waitCallback", "waitExposed", "waitActive")


def floored(timeout: int | None) -> int:
    """The timeout a wait really gets: what the test asked for, but never under the floor."""
    if timeout is None:
        return WAIT_FLOOR_MS
    return max(int(timeout), WAIT_FLOOR_MS)


def _with_floor(method: Callable[..., Any]) -> Callable[..., Any]:
    if getattr(method, "_lz_wait_floor", False):
        return method
    signature = inspect.signature(method)

    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        bound = signature.bind(*args, **kwargs)
        kwargs = dict(kwargs)
        kwargs["timeout"] = floored(bound.arguments.get("timeout"))
        positional = list(args)
        names = list(signature.parameters)
        if "timeout" in names and names.index("timeout") < len(positional):
            positional[names.index("timeout")] = kwargs.pop("timeout")
        return method(*positional, **kwargs)

    wrapper._lz_wait_floor = True  # type: ignore[attr-defined]
    return wrapper


def install() -> None:
    from pytestqt.qtbot import QtBot

    for name in PATCHED:
        original = getattr(QtBot, name, None)
        if original is not None:
            setattr(QtBot, name, _with_floor(original))
