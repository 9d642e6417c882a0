"""The 中心 page's detail pane: the selected centre's fields, the actions its state allows, and its
timeline of state changes.

The action bar shows 修改中心信息 and one button per place where the centre's next lifecycle steps
are done (:func:`lzcenter_desktop.ui.pages.center_actions.actions_for`); the page carries them
out. Double-clicking the fields or pressing Enter in the pane also asks to edit the centre.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from lzcenter_desktop.services.dto import CenterDetail
from lzcenter_desktop.ui import style
from lzcenter_desktop.ui.models.centers import TimelineModel, format_date
from lzcenter_desktop.ui.pages.center_actions import CenterAction, actions_for, all_actions, state_note

# The detail fields, two to a line; a one-field line spans the width.
DETAIL_LAYOUT: tuple[tuple[str, ...], ...] = (
    ("状态", "中心主任"),
    ("依托单位", "单位性质"),
    ("统一社会信用代码", "主管部门"),
    ("所在县区", "产业领域"),
    ("认定日期", "认定文号"),
    ("牌匾编号", "证书编号"),
    ("共建单位",),
    ("研究方向",),
)

EDIT_TEXT = "修改中心信息(&M)…"


class CenterDetailView(QWidget):
    """The selected centre: its fields, the buttons for what its state allows, its timeline."""

    EMPTY_TEXT = "在上方列表中选择一个中心，这里显示它的详细信息和状态变更记录。"

    edit_requested = Signal()
    action_triggered = Signal(object)  # CenterAction

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.detail: CenterDetail | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.stack = QStackedWidget()
        outer.addWidget(self.stack)

        self.message_label = QLabel(self.EMPTY_TEXT)
        self.message_label.setWordWrap(True)
        self.message_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message_label.setObjectName("detailMessage")
        self.stack.addWidget(self.message_label)

        content = QWidget()
        layout = QVBoxLayout(content)
        self.title_label = QLabel()
        self.title_label.setObjectName("detailTitle")
        self.title_label.setWordWrap(True)
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title_label.setFont(font)
        self.title_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.name_en_label = QLabel()
        self.name_en_label.setWordWrap(True)
        self.name_en_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.title_label)
        layout.addWidget(self.name_en_label)
        layout.addLayout(self._action_bar())

        # Fields on the left (two label/value pairs per line), the timeline on the right.
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(6)
        self.fields: dict[str, QLabel] = {}
        line = 0
        for pair in DETAIL_LAYOUT:
            for slot, key in enumerate(pair):
                value = QLabel()
                value.setWordWrap(True)
                value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                self.fields[key] = value
                caption = QLabel(f"{key}：")
                caption.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
                value.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
                grid.addWidget(caption, line, slot * 2)
                grid.addWidget(value, line, slot * 2 + 1, 1, 3 if len(pair) == 1 else 1)
            line += 1
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        grid.setRowStretch(line, 1)

        timeline_box = QVBoxLayout()
        timeline_box.addWidget(QLabel("状态变更记录（最新在上）"))
        self.timeline_model = TimelineModel(self)
        self.timeline = QTableView()
        self.timeline.setObjectName("centerTimeline")
        self.timeline.setTabKeyNavigation(False)  # Tab leaves the table (read-only)
        self.timeline.setModel(self.timeline_model)
        self.timeline.verticalHeader().hide()
        self.timeline.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.timeline.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.timeline.setWordWrap(True)
        header = self.timeline.horizontalHeader()
        for column in range(4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        timeline_box.addWidget(self.timeline, 1)

        body = QHBoxLayout()
        body.addLayout(grid, 4)
        body.addSpacing(12)
        body.addLayout(timeline_box, 5)
        layout.addLayout(body, 1)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        self.content = scroll
        self.stack.addWidget(scroll)

        # Double-clicking the fields (or the title, or a timeline row) edits the centre.
        for widget in (content, self.title_label, self.name_en_label, *self.fields.values()):
            widget.installEventFilter(self)
        for caption in content.findChildren(QLabel):
            caption.installEventFilter(self)
        self.timeline.viewport().installEventFilter(self)

    def _action_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        bar.setSpacing(6)
        self.edit_button = self._button(
            EDIT_TEXT, "修改中心名称、英文名称、研发方向和重点产业领域（须填写修改原因）", "editCenter"
        )
        self.edit_button.clicked.connect(self.edit_requested)
        bar.addWidget(self.edit_button)
        self.action_buttons: dict[str, QPushButton] = {}
        for action in all_actions():
            b = self._button(action.text, action.tip, action.key)
            b.hide()
            b.clicked.connect(lambda _checked=False, key=action.key: self._clicked(key))
            self.action_buttons[action.key] = b
            bar.addWidget(b)
        self.state_actions: tuple[CenterAction, ...] = ()
        self.note_label = QLabel()
        self.note_label.setObjectName("stateNote")
        self.note_label.setWordWrap(True)
        self.note_label.setStyleSheet(style.NOTE_STYLE)
        bar.addSpacing(6)
        bar.addWidget(self.note_label, 1)
        return bar

    def _button(self, text: str, tip: str, name: str) -> QPushButton:
        b = QPushButton(text)
        b.setObjectName(name)
        b.setToolTip(tip)
        b.setAutoDefault(True)  # Enter on the focused button presses it (not the pane's Enter)
        return b

    def _clicked(self, key: str) -> None:
        action = next((a for a in self.state_actions if a.key == key), None)
        if action is not None:
            self.action_triggered.emit(action)

    # -- edit requests -------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.MouseButtonDblClick and self.detail is not None:
            self.edit_requested.emit()
            return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter in the pane (the timeline, a selected field) edits the centre; a focused button
        # takes its own Enter first.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.detail is not None:
            event.accept()
            self.edit_requested.emit()
            return
        super().keyPressEvent(event)

    # -- showing -------------------------------------------------------------------------------
    def show_message(self, text: str) -> None:
        self.detail = None
        self.message_label.setText(text)
        self.stack.setCurrentWidget(self.message_label)

    def clear(self) -> None:
        self.show_message(self.EMPTY_TEXT)

    def show_detail(self, detail: CenterDetail) -> None:
        self.detail = detail
        row = detail.row
        self.title_label.setText(row.name)
        self.name_en_label.setText(detail.name_en)
        self.name_en_label.setVisible(bool(detail.name_en))
        values = {
            "状态": row.status,
            "依托单位": row.host,
            "统一社会信用代码": detail.host_credit_code,
            "单位性质": detail.host_kind,
            "主管部门": detail.competent_department,
            "共建单位": "、".join(detail.co_builders),
            "所在县区": row.district,
            "产业领域": "、".join(detail.industries) or row.industry,
            "研究方向": detail.research_direction,
            "中心主任": row.director or "",
            "认定日期": format_date(row.recognized_on),
            "认定文号": detail.recognition_document_no or "",
            "牌匾编号": detail.plaque_no or "",
            "证书编号": detail.certificate_no or "",
        }
        for key, label in self.fields.items():
            label.setText(values[key] or "—")
        self.timeline_model.set_history(detail.history)  # newest first
        self.timeline.resizeRowsToContents()
        self._show_actions(detail)
        self.stack.setCurrentWidget(self.content)

    def _show_actions(self, detail: CenterDetail) -> None:
        state = detail.row.status_code
        self.state_actions = actions_for(state)
        shown = {a.key for a in self.state_actions}
        for action in self.state_actions:  # the tip of this state's button
            self.action_buttons[action.key].setToolTip(action.tip)
        for key, b in self.action_buttons.items():
            b.setVisible(key in shown)
        since = detail.history[-1].on if detail.history else None
        self.note_label.setText(state_note(state, since))

    def shown_actions(self) -> list[str]:
        """The texts of the action buttons shown (without 修改中心信息), left to right."""
        return [a.text for a in self.state_actions if not self.action_buttons[a.key].isHidden()]

    def timeline_rows(self) -> list[list[str]]:
        """What the timeline shows, row by row (newest first)."""
        return self.timeline_model.texts()
