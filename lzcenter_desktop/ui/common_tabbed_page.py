"""The shell the 评审 page (``ui/review/page.py``) and the 绩效评估 page (``ui/evaluation/page.py``)
share: the record the clerk works on chosen in a combo box at the top, and tabs, one per step,
that read their data when they are shown.

A tab has ``title``, ``stale``, ``busy`` and ``refresh()``. :meth:`TabbedPage.reload` (the page's
own) reads the records and then the visible tab; a tab becomes stale when what it shows may have
changed and reads again when it is next shown. After a write, ``data_changed`` with one of the
page's :attr:`TabbedPage.watched_kinds` reloads the page when it is visible (marks it stale
otherwise).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QTabWidget, QVBoxLayout, QWidget

from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.ui import ops
from lzcenter_desktop.ui.dialogs.errors import report_exception
from lzcenter_desktop.ui.pages.base import Page
from lzcenter_desktop.ui.review.common import note_label


def record_box(parent: QWidget, name: str, length: int, chosen: Callable[[int], None]) -> QComboBox:
    """A combo box to choose the record the tabs work on (at least ``length`` characters wide)."""
    box = QComboBox(parent)
    box.setObjectName(name)
    box.setMinimumContentsLength(length)
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    box.currentIndexChanged.connect(chosen)
    return box


def chooser_bar(
    layout: QHBoxLayout,
    parent: QWidget,
    text: str,
    box: QComboBox,
    buttons: Sequence[QWidget],
    info_name: str,
) -> QLabel:
    """Lay out the labelled ``box`` (``text``, its mnemonic focuses the box), its ``buttons`` and a
    note on the chosen record (object name ``info_name``), which is returned."""
    label = QLabel(text, parent)
    label.setBuddy(box)
    info = note_label("", parent)
    info.setObjectName(info_name)
    layout.addWidget(label)
    layout.addWidget(box, 2)
    for b in buttons:
        layout.addWidget(b)
    layout.addWidget(info, 3)
    return info


class TabbedPage(Page):
    """A page of tabs; subclasses set :attr:`watched_kinds` and :attr:`tab_type`, call
    :meth:`make_tabs` in their constructor and implement :meth:`read_records` (through
    :meth:`query`), :attr:`loading` and :meth:`loading_failed`."""

    #: the kinds of ``data_changed`` that make the page read again
    watched_kinds: frozenset[str] = frozenset()
    #: the class of the page's tabs
    tab_type: type[QWidget] = QWidget

    tab_list: list[Any]
    tabs: QTabWidget
    dialog: QWidget | None

    def __init__(
        self, ctx: AppContext, parent: QWidget | None = None, *, today: dt.date | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.today = today or dt.date.today()
        self.writes = 0  # writes started from a tab's buttons, not answered yet
        self._filling = False
        self._shown = False
        self._stale = True
        self.dialog = None

    def make_tabs(self, tab_list: list[Any], name: str) -> QTabWidget:
        """The tab widget of ``tab_list`` (in this order)."""
        self.tab_list = tab_list
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName(name)
        self.tabs.setDocumentMode(True)
        for tab in tab_list:
            self.tabs.addTab(tab, tab.title)
        self.tabs.currentChanged.connect(self._tab_changed)
        return self.tabs

    def lay_out(self, top: QHBoxLayout, *bars: QWidget) -> None:
        """The page: ``top``, the ``bars``, then the tabs; and reading again after writes."""
        layout = QVBoxLayout(self)
        layout.setSpacing(4)
        layout.addLayout(top)
        for bar in bars:
            layout.addWidget(bar)
        layout.addWidget(self.tabs, 1)
        ops.hub().data_changed.connect(self._data_changed)

    # -- state ---------------------------------------------------------------------------------
    @property
    def loading(self) -> bool:
        """The page's own records are being read."""
        return False

    def current_tab(self) -> Any:
        tab = self.tabs.currentWidget()
        assert isinstance(tab, self.tab_type)
        return tab

    def show_tab(self, tab: QWidget) -> None:
        self.tabs.setCurrentWidget(tab)

    def tab_busy_changed(self) -> None:
        self.status_changed.emit()

    def mark_stale(self) -> None:
        """Every tab reads again when it is next shown."""
        for tab in self.tab_list:
            tab.stale = True

    # -- Page ----------------------------------------------------------------------------------
    def on_shown(self, first: bool) -> None:
        self._shown = True
        if first or self._stale:
            self.reload()
        elif self.current_tab().stale:
            self.current_tab().refresh()

    # -- loading -------------------------------------------------------------------------------
    def reload(self) -> None:
        """Every tab stale; read the page's records, then the visible tab."""
        self._stale = False
        self.mark_stale()
        self.read_records()

    def read_records(self) -> None:
        """Start reading the page's records (the visible tab reads once they have arrived)."""
        raise NotImplementedError

    def loading_failed(self) -> None:
        """A read of the page's records failed: they are no longer being read."""

    def query(
        self,
        read: Callable[[], Any],
        key: str,
        loaded: Callable[[Any], None],
        failed: Callable[[BaseException], None] | None = None,
    ) -> None:
        """``read()`` on the worker thread (a newer read with the same ``key`` supersedes it), then
        ``loaded(result)``; a failure is reported (:meth:`loading_failed` first) unless ``failed``."""
        ops.query_op(
            read,
            parent=self,
            key=f"{key}:{id(self)}",
            on_success=loaded,
            on_failure=failed or self._load_failed,
        )

    def _load_failed(self, exc: BaseException) -> None:
        self.loading_failed()
        report_exception(exc, self)

    def fill_box(self, box: QComboBox, items: Iterable[tuple[str, Any, str]], wanted: Any) -> None:
        """Put the records into ``box`` — (text, data, tooltip) each — and choose ``wanted`` (when
        not None), without reacting to the box's changes meanwhile."""
        self._filling = True
        box.clear()
        for text, data, tip in items:
            box.addItem(text, data)
            box.setItemData(box.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
        if wanted is not None:
            box.setCurrentIndex(box.findData(wanted))
        self._filling = False

    def _refresh_current(self) -> None:
        if not self._shown:
            return
        tab = self.current_tab()
        if tab.stale:
            tab.refresh()

    def _data_changed(self, kinds: frozenset[str]) -> None:
        if not kinds & self.watched_kinds:
            return
        if not self._shown or not self.isVisible():
            self._stale = True
            self.mark_stale()
            return
        self.reload()

    def _tab_changed(self, _index: int) -> None:
        if self._shown and not self.loading:
            self._refresh_current()

    # -- dialogs -------------------------------------------------------------------------------
    def _open(self, dialog: QWidget) -> None:
        """Open ``dialog`` (window-modal, deleted when closed) and keep it as :attr:`dialog`."""
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()  # type: ignore[attr-defined]
