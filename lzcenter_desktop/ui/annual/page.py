"""The 年报 page (第二十一条): one report year, typed at the top, and two tabs —

* 报送情况: every centre that must report for the year with where its 工作年报 stands
  (已按期报送 / 逾期报送 / 未报送 / 逾期未报), the host's review and the filing; the reminder list
  from 1 December; import of a filled JSON or Excel report, the workbook template, 查看, 依托单位审核,
  报送 and 备案 of the selected centre's report;
* 现场核查: the seeded random draw of the year's received reports (E21c) and the site findings.

Below the tabs, the year's 年报汇总表 (PDF / Excel, as of the page's day: ``annual/document_actions.py``).

Every read runs on a worker thread (:func:`ui.ops.query_op`), every write on the write thread
(:func:`ui.ops.write_op`); after a write ``data_changed`` makes the visible tab read again (the
other one when it is next shown). A refusal is the service's Chinese message.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QHBoxLayout, QLabel, QSpinBox, QTabWidget, QVBoxLayout, QWidget

from lzcenter_desktop.domain.report_dues import DueStatus
from lzcenter_desktop.services.annual.dues import YearDues
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.ui import ops
from lzcenter_desktop.ui.annual.common import WATCHED_KINDS, AnnualTab, default_report_year
from lzcenter_desktop.ui.annual.document_actions import summary_buttons
from lzcenter_desktop.ui.pages.base import Page
from lzcenter_desktop.ui.review.common import button_row, cn_date, note_label


class AnnualPage(Page):
    """年报 section of the main window."""

    def __init__(
        self, ctx: AppContext, parent: QWidget | None = None, *, today: dt.date | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.today = today or dt.date.today()
        self.year = default_report_year(self.today)
        self.writes = 0  # writes started from a tab's buttons, not answered yet
        self.dues: YearDues | None = None  # the year's dues as last read by a tab
        self._shown = False

        self.year_box = QSpinBox(self)
        self.year_box.setObjectName("yearBox")
        self.year_box.setRange(2000, 2100)
        self.year_box.setValue(self.year)
        self.year_box.setSuffix(" 年度")
        self.year_box.setKeyboardTracking(False)  # typing 2025 reads once, not at 2, 20, 202
        self.year_box.setAccessibleName("年报年度")
        self.year_box.valueChanged.connect(self._year_typed)
        year_label = QLabel("年报年度(&Y)", self)
        year_label.setBuddy(self.year_box)
        self.year_info = note_label("", self)
        self.year_info.setObjectName("yearInfo")
        top = QHBoxLayout()
        top.addWidget(year_label)
        top.addWidget(self.year_box)
        top.addWidget(self.year_info, 1)

        from lzcenter_desktop.ui.annual.spot_tab import SpotCheckTab
        from lzcenter_desktop.ui.annual.status_tab import StatusTab

        self.status = StatusTab(self)
        self.spot = SpotCheckTab(self)
        self.tab_list: list[AnnualTab] = [self.status, self.spot]
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("annualTabs")
        self.tabs.setDocumentMode(True)
        for tab in self.tab_list:
            self.tabs.addTab(tab, tab.title)
        self.tabs.currentChanged.connect(self._tab_changed)

        layout = QVBoxLayout(self)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        # made after the tabs: Tab reaches them after the visible tab's inputs, as they are read
        self.summary_pdf_button, self.summary_xlsx_button = summary_buttons(self)
        layout.addLayout(button_row(self.summary_pdf_button, self.summary_xlsx_button))
        ops.hub().data_changed.connect(self._data_changed)
        self.setTabOrder(self.year_box, self.tabs)

    # -- state ---------------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        """A read or write the page started has not answered yet."""
        return self.writes > 0 or any(t.busy for t in self.tab_list)

    def tab_busy_changed(self) -> None:
        self.status_changed.emit()

    def current_tab(self) -> AnnualTab:
        tab = self.tabs.currentWidget()
        assert isinstance(tab, AnnualTab)
        return tab

    def show_tab(self, tab: AnnualTab) -> None:
        self.tabs.setCurrentWidget(tab)

    def show_dues(self, found: YearDues) -> None:
        """The year's deadline and reminder start above the tabs, its counts in the status bar."""
        self.dues = found
        self.year_info.setText(
            f"截止日期 {cn_date(found.deadline)}（第二十一条：每年12月底前填报），"
            f"提醒名单自 {cn_date(found.reminders_from)} 起；按 {cn_date(found.as_of)} 计。"
        )
        self.status_changed.emit()

    # -- Page ----------------------------------------------------------------------------------
    def on_shown(self, first: bool) -> None:
        self._shown = True
        if self.current_tab().stale:
            self.current_tab().refresh()

    def status_text(self) -> str:
        found = self.dues
        if found is None or found.year != self.year:
            return ""
        missing = len(found.with_status(DueStatus.OVERDUE)) + len(found.with_status(DueStatus.MISSING))
        return f"{found.year}年度工作年报：应报 {len(found.rows)} 家，未报送 {missing} 家"

    def unsaved_changes(self) -> str | None:
        return self.spot.unsaved_changes()

    def save_changes(self) -> bool:
        return self.spot.save_changes()

    def discard_changes(self) -> None:
        self.spot.discard_changes()

    # -- the year --------------------------------------------------------------------------------
    def choose_year(self, year: int) -> None:
        """Show ``year`` (as if typed in the year box)."""
        self.year_box.setValue(year)

    def _year_typed(self, year: int) -> None:
        if year == self.year:
            return
        if not self.spot.may_leave():
            self.year_box.blockSignals(True)
            self.year_box.setValue(self.year)
            self.year_box.blockSignals(False)
            return
        self.year = year
        self.year_info.setText("")
        self.status_changed.emit()
        self.reload()

    def reload(self) -> None:
        """Read the visible tab again now, the other one when it is next shown."""
        for tab in self.tab_list:
            tab.stale = True
        if self._shown:
            self.current_tab().refresh()

    def _tab_changed(self, _index: int) -> None:
        if self._shown and self.current_tab().stale:
            self.current_tab().refresh()

    def _data_changed(self, kinds: frozenset[str]) -> None:
        if not kinds & WATCHED_KINDS:
            return
        for tab in self.tab_list:
            tab.stale = True
        if self._shown and self.isVisible():
            self.current_tab().refresh()
