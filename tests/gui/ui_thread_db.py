"""Catch database calls made on the UI thread by the GUI (issue 11 item 1).

:func:`ui_thread_statements` listens on the engine for every SQL statement; it records one that runs
on the main (UI) thread while a frame of a ``lzcenter_desktop/ui/`` file is on the Python stack — a
page, dialog or editor that called a service directly instead of through ``ui.ops``. A statement
that a test's own set-up sends through the services has no such frame and is not recorded; nor is
one on a worker thread (``ui/tasks.py`` runs there, and that is the point).
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

from sqlalchemy import event

import lzcenter_desktop.ui

UI_DIR = str(Path(lzcenter_desktop.ui.__file__).resolve().parent) + os.sep


def _ui_frame(frame: FrameType | None) -> str | None:
    """``file:line function`` of the innermost frame from ``lzcenter_desktop/ui/``, or None."""
    while frame is not None:
        filename = frame.f_code.co_filename
        if filename.startswith(UI_DIR):
            return f"{filename[len(UI_DIR) :]}:{frame.f_lineno} {frame.f_code.co_name}"
        frame = frame.f_back
    return None


@contextmanager
def ui_thread_statements(engine: Any) -> Iterator[list[str]]:
    """The list fills with ``"<ui frame>: <SQL>"`` for each statement the GUI ran on the UI thread."""
    seen: list[str] = []

    def before_cursor_execute(*args: Any) -> None:
        if threading.current_thread() is not threading.main_thread():
            return
        where = _ui_frame(sys._getframe(1))
        if where is not None:
            statement = str(args[2])
            seen.append(f"{where}: {' '.join(statement.split())[:120]}")

    event.listen(engine, "before_cursor_execute", before_cursor_execute)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", before_cursor_execute)
