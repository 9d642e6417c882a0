"""The self-test's walk through the main window: every section of the navigation (``PAGES``) is
opened in turn, its loads are waited for, and an error any of them reports is caught and named
instead of opening the crash dialog (which nobody would close on the offscreen platform)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from lzcenter_desktop.ui import ops
from lzcenter_desktop.ui.main_window import SECTIONS, MainWindow

__all__ = ["SECTIONS", "open_section"]


@contextlib.contextmanager
def _errors_recorded() -> Iterator[list[BaseException]]:
    """Errors of background loads recorded in a list, not shown (restored afterwards)."""
    seen: list[BaseException] = []
    previous = ops._report

    def record(exc: BaseException, parent: Any) -> None:
        del parent  # nobody is shown anything
        seen.append(exc)

    ops._report = record
    try:
        yield seen
    finally:
        ops._report = previous


def open_section(window: MainWindow, section: str) -> str:
    """Show ``section`` of ``window`` and wait for its loads; its status line, or :class:`ValueError`
    (Chinese) when it did not open, did not finish loading or reported an error."""
    with _errors_recorded() as seen:
        if not window.show_section(section, ask=False):
            raise ValueError(f"未能打开“{section}”页")
        idle = window.wait_until_idle(30.0)
    if seen:
        raise ValueError(f"“{section}”页加载出错：{seen[0]}")
    if not idle:
        raise ValueError(f"“{section}”页 30 秒内未加载完")
    return window.page(section).status_text() or section
