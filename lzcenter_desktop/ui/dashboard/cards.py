"""One figure of the 概览 page: a framed card with its title, 刷新 and 导出 Excel, and a body that
is either a message (正在读取… / empty / 读取失败) or the figure itself.

A card reads its figure with :func:`ui.ops.query_op` (the newest read of the card wins) and
never runs SQL on the UI thread; what it shows is the DTO it received, and 导出 Excel writes that
same DTO (on a worker too: writing a workbook takes a moment).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QPieSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from lzcenter_desktop.ui import ops

LOADING = "正在读取…"
MAX_BARS = 12  # more bars than this do not fit a card at 1366×768: the smallest become 其他
OTHERS = "其他"
# 12 distinguishable colours: every state of the lifecycle (11) gets its own slice colour
PALETTE = (
    "#2f6db3",
    "#e08a2e",
    "#3c9a5f",
    "#c94c4c",
    "#8a62b8",
    "#6b7d8f",
    "#d1a33a",
    "#3aa6b9",
    "#b5527f",
    "#7a9a2e",
    "#8c5a3c",
    "#1d3f73",
)


class FigureCard(QFrame):
    """Title, 刷新, 导出 Excel, and a body showing a message or the figure."""

    loaded = Signal()  # a figure arrived (and is shown)
    finished = Signal()  # a read ended (a figure arrived, or the read failed)
    export_requested = Signal()

    def __init__(
        self,
        key: str,
        title: str,
        read: Callable[[], Any],
        *,
        empty_text: Callable[[Any], str | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.key = key
        self.title = title
        self._read = read
        self._empty_text = empty_text
        self.figure: Any = None
        self.stale = True
        self.setObjectName(f"card_{key}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title_label = QLabel(title)
        font = self.title_label.font()
        font.setBold(True)
        self.title_label.setFont(font)
        self.refresh_button = QToolButton()
        self.refresh_button.setText("刷新")
        self.refresh_button.setObjectName(f"refresh_{key}")
        self.refresh_button.setToolTip(f"重新读取“{title}”")
        self.refresh_button.clicked.connect(self.reload)
        self.export_button = QToolButton()
        self.export_button.setText("导出 Excel")
        self.export_button.setObjectName(f"export_{key}")
        self.export_button.setToolTip(f"把“{title}”导出为 Excel 工作簿")
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self.export_requested.emit)
        head = QHBoxLayout()
        head.setContentsMargins(0, 0, 0, 0)
        head.addWidget(self.title_label, 1)
        head.addWidget(self.refresh_button)
        head.addWidget(self.export_button)
        self.message = QLabel(LOADING)
        self.message.setObjectName(f"message_{key}")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.note = QLabel()  # a line under the figure: where an export went, or why it failed
        self.note.setWordWrap(True)
        self.note.hide()
        self.body = QStackedWidget()
        self.body.addWidget(self.message)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(4)
        layout.addLayout(head)
        layout.addWidget(self.body, 1)
        layout.addWidget(self.note)

    # -- the content ---------------------------------------------------------------------------------
    def set_content(self, widget: QWidget) -> None:
        self.body.addWidget(widget)

    def show_figure(self, figure: Any) -> None:  # subclasses draw the figure
        raise NotImplementedError

    @property
    def state(self) -> str:
        """loading / empty / error / shown (for tests and the screenshot script)."""
        if self.body.currentIndex() == 1:
            return "shown"
        return self.message.property("state") or "loading"

    def _say(self, text: str, state: str) -> None:
        self.message.setText(text)
        self.message.setProperty("state", state)
        color = "#b3261e" if state == "error" else "#555555"
        self.message.setStyleSheet(f"color: {color};")
        self.body.setCurrentIndex(0)

    # -- loading -----------------------------------------------------------------------------------
    def reload(self) -> None:
        self.stale = False
        if self.figure is None:
            self._say(LOADING, "loading")
        self.refresh_button.setEnabled(False)
        ops.query_op(
            self._read,
            parent=self,
            on_success=self._arrived,
            on_failure=self._failed,
            key=f"dashboard:{self.key}:{id(self)}",
        )

    def _arrived(self, figure: Any) -> None:
        self.figure = figure
        self.refresh_button.setEnabled(True)
        self.export_button.setEnabled(True)
        empty = self._empty_text(figure)
        if empty is not None:
            self._say(empty, "empty")
        else:
            self.show_figure(figure)
            self.body.setCurrentIndex(1)
        self.loaded.emit()
        self.finished.emit()

    def _failed(self, exc: BaseException) -> None:
        from lzcenter_desktop.ui.review.common import error_text

        self.refresh_button.setEnabled(True)
        text = error_text(exc)
        self._say(f"读取失败：{text or '程序出错'}。请按“刷新”重试。", "error")
        if text is None:
            from lzcenter_desktop.ui.dialogs.errors import report_exception

            report_exception(exc, self)
        self.finished.emit()

    def show_note(self, text: str, *, error: bool = False) -> None:
        self.note.setText(text)
        self.note.setStyleSheet("color: #b3261e;" if error else "color: #1b5e20;")
        self.note.show()


# --- charts -------------------------------------------------------------------------------------------


def count_axis(top: int) -> tuple[int, int]:
    """Whole-number ticks for counts up to ``top``: (step of 1, 2, 5, 10, 20, 50 …; axis end) with
    at most 6 steps and room beside the longest bar for its count."""
    step = 1
    while (top + 1) / step > 6:
        step = step * 5 // 2 if str(step)[0] == "2" else step * 2
    end = ((top + step // 2) // step + 1) * step  # at least half a step beyond the longest bar
    return step, end


def _chart(font: QFont) -> QChart:
    chart = QChart()
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setBackgroundRoundness(0)
    chart.setMargins(QMargins(2, 2, 2, 2))
    chart.layout().setContentsMargins(0, 0, 0, 0)
    chart.setFont(font)
    chart.legend().setFont(font)
    return chart


class CountChartCard(FigureCard):
    """Centres counted by one property (``dashboard.CountFigure``) as horizontal bars, or as a pie
    (``pie=True``); a bar or slice clicked emits :attr:`bar_clicked` with the bar's label and
    the 中心 list filter value (None when the list cannot filter on it)."""

    bar_clicked = Signal(str, object)

    def __init__(self, key: str, title: str, read: Callable[[], Any], *, pie: bool = False) -> None:
        super().__init__(key, title, read, empty_text=lambda f: None if f.bars else "数据库中还没有中心。")
        self.pie = pie
        self.view = QChartView()
        self.view.setObjectName(f"chart_{key}")
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.view.setMinimumHeight(180)
        self.set_content(self.view)
        self.categories: list[str] = []  # top to bottom as drawn
        self.series: QHorizontalBarSeries | QPieSeries | None = None

    def show_figure(self, figure: Any) -> None:
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF() - 1, 8))
        chart = _chart(font)
        bars = list(figure.bars)
        if len(bars) > MAX_BARS:  # the rest as one bar (the export keeps them all)
            rest = bars[MAX_BARS - 1 :]
            bars = [*bars[: MAX_BARS - 1], type(rest[0])(OTHERS, sum(b.count for b in rest), None)]
        series: QHorizontalBarSeries | QPieSeries
        if self.pie:
            pie = QPieSeries()
            for i, bar in enumerate(bars):
                piece = pie.append(f"{bar.label} {bar.count}", bar.count)
                piece.setColor(QColor(PALETTE[i % len(PALETTE)]))
                piece.setBorderColor(QColor("white"))
                piece.clicked.connect(lambda b=bar: self.bar_clicked.emit(b.label, b.filter_value))
                piece.hovered.connect(lambda on, p=piece: p.setExploded(on))
            pie.setPieSize(0.85)
            chart.addSeries(pie)
            chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
            series = pie
            self.categories = [bar.label for bar in bars]
        else:
            ordered = list(reversed(bars))  # Qt draws the first category at the bottom
            bar_set = QBarSet("中心数")
            bar_set.setColor(QColor(PALETTE[0]))
            bar_set.setLabelColor(QColor("#222222"))
            bar_set.setLabelFont(font)
            for bar in ordered:
                bar_set.append(bar.count)
            horizontal = QHorizontalBarSeries()
            horizontal.append(bar_set)
            horizontal.setLabelsVisible(True)
            horizontal.setLabelsPosition(QBarSeries.LabelsPosition.LabelsOutsideEnd)
            horizontal.setBarWidth(0.7)
            chart.addSeries(horizontal)
            series = horizontal
            axis_y = QBarCategoryAxis()
            axis_y.append([bar.label for bar in ordered])
            axis_y.setLabelsFont(font)
            axis_x = QValueAxis()
            step, end = count_axis(max(bar.count for bar in bars))
            axis_x.setRange(0, end)
            axis_x.setTickType(QValueAxis.TickType.TicksDynamic)
            axis_x.setTickAnchor(0)
            axis_x.setTickInterval(step)
            axis_x.setLabelFormat("%d")
            axis_x.setLabelsFont(font)
            chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
            chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
            series.attachAxis(axis_y)
            series.attachAxis(axis_x)
            chart.legend().hide()
            bar_set.clicked.connect(lambda index: self._bar_clicked(ordered, index))
            self.categories = [bar.label for bar in bars]
        self.series = series
        old = self.view.chart()
        self.view.setChart(chart)
        if old is not None:
            old.deleteLater()

    def _bar_clicked(self, ordered: list[Any], index: int) -> None:
        if 0 <= index < len(ordered):
            self.bar_clicked.emit(ordered[index].label, ordered[index].filter_value)


# --- numbers ------------------------------------------------------------------------------------------


class NumberButton(QPushButton):
    """A count that opens the section it belongs to: "逾期未报 4"."""

    def __init__(self, caption: str, name: str, *, warn: bool = False) -> None:
        super().__init__()
        self.caption = caption
        self.warn = warn
        self.setObjectName(name)
        self.setFlat(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.set_count(0)

    def set_count(self, count: int) -> None:
        self.count = count
        self.setText(f"{self.caption} {count}")
        color = "#b3261e" if self.warn and count else "#1f4e8c"
        self.setStyleSheet(
            f"QPushButton {{ color: {color}; text-align: left; padding: 2px 4px; border: none; }}"
            "QPushButton:hover { text-decoration: underline; }"
        )


class NumbersCard(FigureCard):
    """Counts (each a :class:`NumberButton` that opens ``section``) and a few detail lines."""

    open_section = Signal(str)

    def __init__(
        self,
        key: str,
        title: str,
        read: Callable[[], Any],
        *,
        section: str,
        numbers: list[tuple[str, str, bool]],  # (caption, name, warn)
        counts: Callable[[Any], list[int]],
        details: Callable[[Any], list[str]],
        empty_text: Callable[[Any], str | None],
        heading: Callable[[Any], str] | None = None,
    ) -> None:
        super().__init__(key, title, read, empty_text=empty_text)
        self.section = section
        self._counts = counts
        self._details = details
        self._heading = heading
        box = QWidget()
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setVerticalSpacing(0)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        grid.addWidget(self.heading, 0, 0, 1, 2)
        self.buttons: dict[str, NumberButton] = {}
        for i, (caption, name, warn) in enumerate(numbers):
            b = NumberButton(caption, name, warn=warn)
            b.setToolTip(f"打开“{section}”")
            b.clicked.connect(lambda _checked=False: self.open_section.emit(self.section))
            big = b.font()
            big.setPointSizeF(big.pointSizeF() + 2)
            b.setFont(big)
            self.buttons[name] = b
            grid.addWidget(b, 1 + i // 2, i % 2)
        self.detail = QLabel()
        self.detail.setObjectName(f"detail_{key}")
        self.detail.setWordWrap(True)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        grid.addWidget(self.detail, 2 + (len(numbers) - 1) // 2, 0, 1, 2)
        grid.setRowStretch(3 + (len(numbers) - 1) // 2, 1)
        self.set_content(box)

    def show_figure(self, figure: Any) -> None:
        self.heading.setText(self._heading(figure) if self._heading is not None else "")
        self.heading.setVisible(bool(self.heading.text()))
        for button, count in zip(self.buttons.values(), self._counts(figure), strict=True):
            button.set_count(count)
        self.detail.setText("\n".join(self._details(figure)))


def suggested_name(title: str, day: str) -> str:
    return f"概览-{title}-{day}.xlsx"


def xlsx_path(chosen: str) -> Path:
    return Path(chosen) if chosen.lower().endswith(".xlsx") else Path(chosen + ".xlsx")
