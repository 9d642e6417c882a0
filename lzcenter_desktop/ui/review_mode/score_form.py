"""The score entry of one declaration in 评审模式: one box per indicator of the score sheet, its
maximum and guidance beside it, the running sum and the problems as they are typed.

Keyboard: Tab / Shift+Tab or Enter move between the boxes (Enter on the last one goes to the
comment); every box accepts 0 to the indicator's maximum with at most two decimals, full-width
digits included.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from lzcenter_desktop.domain.review_points import PointsCheck, check_entry, check_score_set
from lzcenter_desktop.domain.scoresheet import ScoreSheet, decimal_text
from lzcenter_desktop.ui import style

COMMENT_MAX = 1000


class ScoreForm(QGroupBox):
    """Points per indicator for one declaration; emits :attr:`changed` on every keystroke."""

    changed = Signal()

    def __init__(self, sheet: ScoreSheet, parent: QWidget | None = None) -> None:
        super().__init__(f"评分（{sheet.title}，{sheet.version} 版）", parent)
        self.sheet = sheet
        self._loading = False
        self.boxes: dict[str, QLineEdit] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(4)
        for col, text in enumerate(("评分指标", "满分", "得分")):
            head = QLabel(f"<b>{text}</b>")
            grid.addWidget(head, 0, col)
        for row, indicator in enumerate(sheet.indicators, start=1):
            name = QLabel(f"{row}. {indicator.name}")
            name.setToolTip(indicator.guidance)
            grid.addWidget(name, row, 0)
            grid.addWidget(QLabel(decimal_text(indicator.max_points)), row, 1)
            box = QLineEdit()
            box.setObjectName(f"points_{indicator.key}")
            box.setMaximumWidth(90)
            box.setPlaceholderText(f"0—{decimal_text(indicator.max_points)}")
            box.setAccessibleName(f"{indicator.name}得分")
            box.installEventFilter(self)
            name.setBuddy(box)
            box.textChanged.connect(self._on_edited)
            box.returnPressed.connect(self._next_box)
            grid.addWidget(box, row, 2)
            self.boxes[indicator.key] = box
        grid.setColumnStretch(0, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        self.guidance = QLabel()
        self.guidance.setObjectName("guidance")
        self.guidance.setWordWrap(True)
        self.guidance.setStyleSheet(style.NOTE_STYLE)
        self.guidance.setMinimumHeight(self.fontMetrics().height() * 4)
        self.guidance.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.guidance)
        self.total = QLabel()
        self.total.setObjectName("total")
        self.total.setStyleSheet("font-size: 12pt; font-weight: bold;")
        self.problems = QLabel()
        self.problems.setObjectName("problems")
        self.problems.setWordWrap(True)
        layout.addWidget(self.total)
        layout.addWidget(self.problems)
        comment_label = QLabel("评审意见（可不填）：")
        self.comment = QPlainTextEdit()
        self.comment.setObjectName("comment")
        self.comment.setTabChangesFocus(True)
        self.comment.setMaximumHeight(70)
        self.comment.textChanged.connect(self._on_edited)
        comment_label.setBuddy(self.comment)
        layout.addWidget(comment_label)
        layout.addWidget(self.comment)
        self.show_guidance(sheet.indicators[0].key)
        self._refresh()

    # --- values -------------------------------------------------------------------------------
    def set_values(self, points: Mapping[str, str], comment: str) -> None:
        self._loading = True
        try:
            for key, box in self.boxes.items():
                box.setText(points.get(key, ""))
            self.comment.setPlainText(comment)
        finally:
            self._loading = False
        self._refresh()

    def points(self) -> dict[str, str]:
        return {key: box.text().strip() for key, box in self.boxes.items() if box.text().strip()}

    def comment_text(self) -> str:
        return self.comment.toPlainText().strip()[:COMMENT_MAX]

    def check(self) -> PointsCheck:
        return check_score_set(self.sheet, self.points())

    def focus_first(self) -> None:
        first = next(iter(self.boxes.values()))
        first.setFocus()
        first.selectAll()

    # --- live checks ---------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusIn:
            for indicator in self.sheet.indicators:
                if self.boxes[indicator.key] is watched:
                    self.show_guidance(indicator.key)
        return super().eventFilter(watched, event)

    def show_guidance(self, key: str) -> None:
        """The guidance of the indicator being scored, under the boxes."""
        indicator = self.sheet.indicator(key)
        self.guidance.setText(
            f"评分说明 — {indicator.name}（满分 {decimal_text(indicator.max_points)} 分）："
            f"\n{indicator.guidance}"
        )

    def _next_box(self) -> None:
        boxes = list(self.boxes.values())
        sender = self.sender()
        index = boxes.index(sender) if sender in boxes else -1
        if 0 <= index < len(boxes) - 1:
            boxes[index + 1].setFocus()
            boxes[index + 1].selectAll()
        else:
            self.comment.setFocus()

    def _on_edited(self) -> None:
        if self._loading:
            return
        self._refresh()
        self.changed.emit()

    def _refresh(self) -> None:
        for indicator in self.sheet.indicators:
            box = self.boxes[indicator.key]
            _, problem = check_entry(indicator, box.text())
            box.setStyleSheet(
                f"QLineEdit {{ background: {style.ERROR_INPUT_BACKGROUND}; }}" if problem else ""
            )
            box.setToolTip(problem or f"{indicator.name}：0 至 {decimal_text(indicator.max_points)} 分")
        check = self.check()
        full = sum((i.max_points for i in self.sheet.indicators), Decimal(0))
        if check.total is not None:
            self.total.setText(f"合计：{decimal_text(check.total)} 分（满分 {decimal_text(full)} 分）")
            self.total.setStyleSheet("font-size: 12pt; font-weight: bold; " + style.OK_STYLE)
        else:
            self.total.setText(
                f"已录入合计：{decimal_text(check.running_sum)} 分（满分 {decimal_text(full)} 分）"
            )
            self.total.setStyleSheet("font-size: 12pt; font-weight: bold;")
        lines = list(check.problems.values())
        if check.missing:
            names = "、".join(self.sheet.indicator(k).name for k in check.missing)
            lines.append(f"尚未评分：{names}")
        self.problems.setText("\n".join(lines) if lines else "各项均已评分。")
        self.problems.setStyleSheet(style.ERROR_STYLE if check.problems else style.NOTE_STYLE)
