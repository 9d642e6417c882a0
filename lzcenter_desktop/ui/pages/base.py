"""What every section of the main window is: a :class:`Page`.

The main window is built from a list of :class:`PageSpec` (title, factory, shortcut): a page is
constructed on its first visit, not at start-up, and is told each time it is shown
(:meth:`Page.on_shown`). Before the window closes, every page that exists is asked for its unsaved
changes (:meth:`Page.unsaved_changes`), and the clerk chooses 保存 / 不保存 / 取消 for them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from lzcenter_desktop.services.context import AppContext


class Page(QWidget):
    """A section of the main window. Subclasses override what applies to them."""

    status_changed = Signal()  # its status_text() changed

    def on_shown(self, first: bool) -> None:
        """The page became the visible section; ``first`` on its first visit."""

    def unsaved_changes(self) -> str | None:
        """What would be lost if the window closed now (Chinese, e.g. "委员会：… 的专家指导委员会名单"),
        or None when everything is saved."""
        return None

    def save_changes(self) -> bool:
        """Save what :meth:`unsaved_changes` names; False (with the page showing why) if it could not."""
        return True

    def discard_changes(self) -> None:
        """Forget the unsaved changes (the clerk chose 不保存)."""

    def status_text(self) -> str:
        """The page's own line for the status bar (its counts), or "" for none."""
        return ""


@dataclass(frozen=True, slots=True)
class PageSpec:
    """One section: its title in the navigation, how to build it, and its Ctrl+N number."""

    title: str
    factory: Callable[[AppContext], Page]
    number: int
