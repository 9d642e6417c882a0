"""概览 — the first section: what needs the clerk's attention today, on one screen (1366×768).

Top row, charts (QtCharts): centres by state (pie), by district and by first industry (bars); a
bar or slice opens the 中心 section filtered to it. Bottom row, counts: this report year's
工作年报 (应报送 / 已按期 / 逾期报送 / 未报送 / 逾期未报), evaluations due this year, rectification
deadlines in the next 90 days, declarations waiting for 形式审查; a count opens its section
(年报, 绩效评估, 评审). Every figure has 刷新 and 导出 Excel, and reads in a worker
(:mod:`.cards`); figures are read again when their kind of data changes (on the next visit if the
page is hidden).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFileDialog, QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.ui import ops
from lzcenter_desktop.ui.dashboard.cards import (
    CountChartCard,
    FigureCard,
    NumbersCard,
    suggested_name,
    xlsx_path,
)
from lzcenter_desktop.ui.pages.base import Page
from lzcenter_desktop.ui.saved_notice import announce_saved

#: which cards read again after which kind of change (ui.ops kinds)
WATCHED: dict[str, frozenset[str]] = {
    "state": frozenset({"centers"}),
    "district": frozenset({"centers", "organizations"}),
    "industry": frozenset({"centers"}),
    "reports": frozenset({"centers", "reports", "rulesets"}),
    "evaluations": frozenset({"centers", "evaluation", "rulesets"}),
    "rectifications": frozenset({"centers", "evaluation"}),
    "formal": frozenset({"declarations", "review"}),
}
#: the 中心 list filter a chart stands for
FILTER_OF = {"state": "status", "district": "district", "industry": "industry"}
DETAIL_LINES = 3
COUNTS_DELAY_MS = 300  # on the first load, the counts are read this long after the charts


def _dashboard() -> Any:
    from lzcenter_desktop.services import dashboard

    return dashboard


def _centres() -> Any:
    """The centre figures' module: no SQLAlchemy (start-up draws the charts before importing it)."""
    from lzcenter_desktop.services import dashboard_centres

    return dashboard_centres


def _more(total: int, shown: int) -> list[str]:
    return [f"……另有 {total - shown} 个"] if total > shown else []


class DashboardPage(Page):
    """The 概览 page; ``today`` is the day the figures are counted for (else the day they are read).

    On the first load the three charts are read first (no SQLAlchemy: the first screen stays
    light, see tests/gui/test_startup.py); :attr:`centres_loaded` then fires and the counts,
    which need the data layer, are read next."""

    centres_loaded = Signal()  # the three charts' first reads have ended

    def __init__(
        self, ctx: AppContext, parent: QWidget | None = None, *, today: dt.date | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._today = today
        self.last_export: Path | None = None
        self._counted_on: dt.date | None = None
        self._waiting_charts: set[str] | None = None  # charts of the first load not read yet
        self.choose_path: Callable[[str, str], Path | None] = self._ask_path

        self.day_label = QLabel()
        self.day_label.setObjectName("dashboardDay")
        self.refresh_all_button = QPushButton("全部刷新(&R)")
        self.refresh_all_button.setObjectName("refreshAll")
        self.refresh_all_button.clicked.connect(self.reload)
        top = QHBoxLayout()
        heading = QLabel("概览")
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        heading.setFont(font)
        top.addWidget(heading)
        top.addSpacing(12)
        top.addWidget(self.day_label, 1)
        top.addWidget(self.refresh_all_button)

        self.cards: dict[str, FigureCard] = {}
        charts = [
            ("state", "各状态中心数", lambda: _centres().centres_by_state(ctx), True),
            ("district", "各县区中心数", lambda: _centres().centres_by_district(ctx), False),
            (
                "industry",
                "各产业领域中心数（按首个领域）",
                lambda: _centres().centres_by_industry(ctx),
                False,
            ),
        ]
        grid = QGridLayout()
        grid.setSpacing(8)
        for column, (key, title, read, pie) in enumerate(charts):
            chart = CountChartCard(key, title, read, pie=pie)
            chart.finished.connect(lambda k=key: self._chart_read(k))
            chart.bar_clicked.connect(lambda label, value, k=key: self.open_centres(k, label, value))
            self.cards[key] = chart
            grid.addWidget(chart, 0, column * 4, 1, 4)
        for column, numbers in enumerate(self._number_cards()):
            numbers.open_section.connect(self.open_section)
            self.cards[numbers.key] = numbers
            grid.addWidget(numbers, 1, column * 3, 1, 3)
        grid.setRowStretch(0, 1)  # the charts take what the counts leave
        for card in self.cards.values():
            card.export_requested.connect(lambda c=card: self.export(c))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addLayout(top)
        layout.addLayout(grid, 1)
        ops.hub().data_changed.connect(self._data_changed)

    def _number_cards(self) -> list[NumbersCard]:
        ctx = self.ctx
        return [
            NumbersCard(
                "reports",
                "工作年报",
                lambda: _dashboard().report_figure(ctx, as_of=self.today()),
                section="年报",
                numbers=[
                    ("应报送", "reportsDue", False),
                    ("已按期报送", "reportsReceived", False),
                    ("逾期报送", "reportsLate", True),
                    ("未报送", "reportsMissing", False),
                    ("逾期未报", "reportsOverdue", True),
                ],
                counts=lambda f: [f.due, f.received, f.late, f.missing, f.overdue],
                heading=lambda f: f"{f.year}年度（截止 {f.deadline.isoformat()}）",
                details=lambda f: [],
                empty_text=lambda f: None if f.due else f"{f.year}年度没有需要报送工作年报的中心。",
            ),
            NumbersCard(
                "evaluations",
                "今年应绩效评估",
                lambda: _dashboard().evaluation_figure(ctx, as_of=self.today()),
                section="绩效评估",
                numbers=[("应评估", "evaluationsDue", False), ("已逾期", "evaluationsOverdue", True)],
                counts=lambda f: [len(f.rows), f.overdue],
                details=lambda f: (
                    [f"{r.center_name}：{r.due_on.isoformat()}前" for r in f.rows[:DETAIL_LINES]]
                    + _more(len(f.rows), DETAIL_LINES)
                ),
                empty_text=lambda f: None if f.rows else f"{f.year}年没有需要绩效评估的中心。",
            ),
            NumbersCard(
                "rectifications",
                "整改期限（90天内）",
                lambda: _dashboard().rectification_figure(ctx, as_of=self.today()),
                section="绩效评估",
                numbers=[("90天内到期", "rectificationsDue", True), ("已过期限", "rectificationsPast", True)],
                counts=lambda f: [len(f.rows), len(f.past_deadline)],
                details=lambda f: (
                    [
                        f"{r.center_name}：{r.deadline.isoformat()}（{'已过期' if r.days_left < 0 else '剩'}"
                        f"{abs(r.days_left)}天）"
                        for r in (*f.past_deadline, *f.rows)[:DETAIL_LINES]
                    ]
                    + _more(len(f.rows) + len(f.past_deadline), DETAIL_LINES)
                ),
                empty_text=lambda f: (
                    None if f.rows or f.past_deadline else f"未来{f.window_days}天内没有到期的整改。"
                ),
            ),
            NumbersCard(
                "formal",
                "待形式审查",
                lambda: _dashboard().formal_figure(ctx),
                section="评审",
                numbers=[
                    ("待审查", "formalWaiting", True),
                    ("补正后重交", "formalResubmitted", False),
                ],
                counts=lambda f: [len(f.rows), sum(1 for r in f.rows if r.resubmitted)],
                details=lambda f: [f"{year}年度申报：{n} 份" for year, n in f.by_year()],
                empty_text=lambda f: None if f.rows else "没有待形式审查的申报书。",
            ),
        ]

    # -- the day and loading -------------------------------------------------------------------------
    def today(self) -> dt.date:
        return self._today or dt.date.today()

    def reload(self) -> None:
        """Read every figure again (each in its own worker)."""
        self._counted_on = self.today()
        self.day_label.setText(f"统计日 {self._counted_on.isoformat()}")
        first = self._waiting_charts is None
        if first:
            self._waiting_charts = set(FILTER_OF)
        for key, card in self.cards.items():
            if key in FILTER_OF or not first:
                card.reload()

    @property
    def centres_ready(self) -> bool:
        """The three charts' first reads have ended (:attr:`centres_loaded` has fired)."""
        return self._waiting_charts is not None and not self._waiting_charts

    def _chart_read(self, key: str) -> None:
        waiting = self._waiting_charts
        if not waiting or key not in waiting:
            return
        waiting.discard(key)
        if not waiting:
            self.centres_loaded.emit()
            # Once the charts are on screen the counts import the data layer (as ui/app.py's
            # warm-up, after the same delay). The pause is a background task itself, so the page
            # is never idle in between (MainWindow.wait_until_idle, the start-up probe).
            ops.query_op(
                lambda: time.sleep(COUNTS_DELAY_MS / 1000),
                parent=self,
                on_success=lambda _none: self._read_counts(),
                on_failure=lambda _exc: self._read_counts(),
            )

    def _read_counts(self) -> None:
        for key, card in self.cards.items():
            if key not in FILTER_OF and card.figure is None and card.state == "loading":
                card.reload()

    def _data_changed(self, kinds: frozenset[str]) -> None:
        for key, watched in WATCHED.items():
            if kinds & watched:
                card = self.cards[key]
                card.stale = True
                if self.isVisible():
                    card.reload()

    @property
    def loading(self) -> bool:
        return any(card.state == "loading" for card in self.cards.values())

    # -- going on from a figure --------------------------------------------------------------------
    def _window(self) -> Any:
        window = self.window()
        return window if hasattr(window, "go_to_section") else None

    def open_centres(self, key: str, label: str, value: str | None) -> None:
        """A bar or slice: the 中心 section showing those centres (未登记 cannot be filtered: the
        whole list then, and the status bar says so)."""
        window = self._window()
        if window is None:
            return
        window.go_to_section("中心")
        if window.current_section() != "中心":
            return
        page = window.page("中心")
        if value is None:
            page.show_filtered()
            window.statusBar().showMessage(f"“{label}”的中心无法按此筛选，已显示全部中心。", 6000)
            return
        page.show_filtered(**{FILTER_OF[key]: value})

    def open_section(self, section: str) -> None:
        """A count: its section (年报 shows the year counted, where the page can be told)."""
        window = self._window()
        if window is None:
            return
        window.go_to_section(section)
        reports = self.cards["reports"].figure
        if section == "年报" and reports is not None and window.current_section() == section:
            choose_year = getattr(window.page(section), "choose_year", None)
            if choose_year is not None:
                choose_year(reports.year)

    # -- export ----------------------------------------------------------------------------------------
    def _ask_path(self, title: str, suggested: str) -> Path | None:
        chosen, _ = QFileDialog.getSaveFileName(self, f"导出“{title}”", suggested, "Excel 工作簿 (*.xlsx)")
        return xlsx_path(chosen) if chosen else None

    def export(self, card: FigureCard) -> None:
        """导出 Excel: the figure the card shows, to a file the clerk chooses (written in a worker)."""
        figure = card.figure
        if figure is None:
            return
        path = self.choose_path(card.title, suggested_name(card.title, self.today().isoformat()))
        if path is None:
            return

        def write() -> Any:
            from lzcenter_desktop.services.dashboard_export import write_figure_xlsx

            return write_figure_xlsx(figure, path)

        def done(made: Any) -> None:
            self.last_export = made.path
            extra = f"（{'；'.join(made.notes)}）" if made.notes else ""
            card.show_note(f"已导出到 {made.path}{extra}")
            announce_saved(self, Path(made.path))

        def failed(exc: BaseException) -> None:
            from lzcenter_desktop.ui.review.common import error_text

            text = error_text(exc)
            if text is None:
                from lzcenter_desktop.ui.dialogs.errors import report_exception

                report_exception(exc, self)
                return
            card.show_note(f"导出失败：{text}", error=True)

        ops.query_op(write, parent=card, on_success=done, on_failure=failed)

    # -- Page ----------------------------------------------------------------------------------------------
    def on_shown(self, first: bool) -> None:
        if first or self.today() != self._counted_on:  # a new day: every figure counts again
            self.reload()
            return
        for card in self.cards.values():
            if card.stale:
                card.reload()

    def status_text(self) -> str:
        return f"概览：统计日 {self.today().isoformat()}"
