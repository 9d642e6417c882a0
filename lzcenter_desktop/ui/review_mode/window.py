"""The restricted 评审模式 window: one expert, their assigned declarations, the score sheet.

No database, no menus, no other section of the application: the package file is the only input
and the return file (``<package>-<expert>-回执.lzreview``) the only output. Made to be used with the
keyboard on a laptop screen (1366×768):

* ↑/↓ in the list, or Ctrl+PgDown / Ctrl+PgUp anywhere: the next / previous declaration;
* Tab, Shift+Tab or Enter: from one indicator's box to the next; the running sum updates as typed;
* Ctrl+S: save the return file beside the package (or where it was last saved);
  Ctrl+Shift+S: save it somewhere else.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from lzcenter_desktop.domain.review_package import OpenedPackage, PackageAssignment
from lzcenter_desktop.domain.review_points import check_score_set
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.review.package_files import (
    SavedReturn,
    Work,
    default_return_path,
    save_return_file,
)
from lzcenter_desktop.ui import style
from lzcenter_desktop.ui.review_mode.score_form import ScoreForm

ASSIGNMENT_ROLE = Qt.ItemDataRole.UserRole


class ReviewModeWindow(QMainWindow):
    """Score entry for one expert from an opened package."""

    def __init__(
        self,
        opened: OpenedPackage,
        package_path: Path,
        expert_id: int,
        *,
        work: Work | None = None,
        note: str = "",
        today: dt.date | None = None,
    ) -> None:
        super().__init__()
        self.opened = opened
        self.package = opened.package
        self.package_path = Path(package_path)
        self.expert = self.package.expert(expert_id)
        self.assignments: tuple[PackageAssignment, ...] = self.package.assignments_of(expert_id)
        self.work: Work = {a.assignment_id: ({}, "") for a in self.assignments}
        self.work.update(work or {})
        self.return_path = default_return_path(self.package_path, self.expert.name)
        self.dirty = False
        self.last_saved: SavedReturn | None = None
        self._current: PackageAssignment | None = None
        self._today = today or dt.date.today()
        self.setWindowTitle(f"评审模式 — {self.package.session_title} — {self.expert.name}")
        self.setMinimumSize(1000, 620)
        self.resize(1300, 720)
        self._build(note)
        self._install_shortcuts()
        if self.assignments:
            self.list.setCurrentRow(0)
        self._refresh_list()

    # --- layout ------------------------------------------------------------------------------------
    def _build(self, note: str) -> None:
        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(8, 6, 8, 6)
        head = QLabel(
            f"<b>{self.package.session_title}</b>　　评审专家：<b>{self.expert.name}</b>"
            + (f"（{self.expert.unit}）" if self.expert.unit else "")
        )
        outer.addWidget(head)
        self.deadline_label = QLabel(self._deadline_text())
        self.deadline_label.setObjectName("deadline")
        self.deadline_label.setWordWrap(True)
        late = self.package.deadline is not None and self._today > self.package.deadline
        self.deadline_label.setStyleSheet(style.ERROR_STYLE if late else style.NOTE_STYLE)
        outer.addWidget(self.deadline_label)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.list = QListWidget()
        self.list.setObjectName("declarations")
        self.list.setMinimumWidth(220)
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.setSpacing(2)
        for a in self.assignments:
            item = QListWidgetItem()
            item.setData(ASSIGNMENT_ROLE, a.assignment_id)
            item.setToolTip(self.package.declaration(a.declaration_id).name)
            self.list.addItem(item)
        self.list.currentRowChanged.connect(self._show_row)
        splitter.addWidget(self.list)

        self.summary = QWidget()
        self.summary_layout = QFormLayout(self.summary)
        self.summary_layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.summary_title = QLabel()
        self.summary_title.setWordWrap(True)
        self.summary_title.setObjectName("declaration_title")
        summary_box = QWidget()
        summary_outer = QVBoxLayout(summary_box)
        summary_outer.setContentsMargins(0, 0, 0, 0)
        summary_outer.addWidget(self.summary_title)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.summary)
        summary_outer.addWidget(scroll)
        splitter.addWidget(summary_box)

        self.form = ScoreForm(self.package.sheet)
        self.form.changed.connect(self._on_changed)
        self.form_scroll = QScrollArea()
        self.form_scroll.setWidgetResizable(True)
        self.form_scroll.setWidget(self.form)
        splitter.addWidget(self.form_scroll)
        splitter.setSizes([250, 430, 600])
        splitter.setStretchFactor(1, 2)
        splitter.setStretchFactor(2, 3)
        outer.addWidget(splitter, 1)

        bar = QHBoxLayout()
        self.prev_button = QPushButton("上一份（Ctrl+PgUp）")
        self.next_button = QPushButton("下一份（Ctrl+PgDown）")
        self.save_button = QPushButton("保存回执（Ctrl+S）")
        self.save_button.setObjectName("save")
        self.save_as_button = QPushButton("另存为…（Ctrl+Shift+S）")
        self.prev_button.clicked.connect(lambda: self.step(-1))
        self.next_button.clicked.connect(lambda: self.step(1))
        self.save_button.clicked.connect(lambda: self.save())
        self.save_as_button.clicked.connect(self.save_as)
        for b in (self.prev_button, self.next_button):
            bar.addWidget(b)
        bar.addStretch(1)
        for b in (self.save_button, self.save_as_button):
            bar.addWidget(b)
        outer.addLayout(bar)
        self.status = QLabel(note or f"回执将保存为：{self.return_path}")
        self.status.setObjectName("status")
        self.status.setWordWrap(True)
        self.status.setStyleSheet(style.WARNING_STYLE if note.startswith("未能") else style.NOTE_STYLE)
        outer.addWidget(self.status)
        self.setCentralWidget(central)

    def _install_shortcuts(self) -> None:
        for keys, slot in (
            ("Ctrl+S", lambda: self.save()),
            ("Ctrl+Shift+S", self.save_as),
            ("Ctrl+PgDown", lambda: self.step(1)),
            ("Ctrl+PgUp", lambda: self.step(-1)),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(slot)

    def _deadline_text(self) -> str:
        deadline = self.package.deadline
        if deadline is None:
            return "本次评审未设评分截止日期。"
        if self._today > deadline:
            return (
                f"已过评分截止日期（{deadline.isoformat()}）：仍可保存回执，"
                "但市科技局导入时需管理员同意并登记理由。"
            )
        return f"评分截止日期：{deadline.isoformat()}（当天保存的回执有效）。"

    # --- navigation ---------------------------------------------------------------------------------
    def step(self, delta: int) -> None:
        row = self.list.currentRow() + delta
        if 0 <= row < self.list.count():
            self.list.setCurrentRow(row)
            self.form.focus_first()

    def _show_row(self, row: int) -> None:
        if not 0 <= row < len(self.assignments):
            return
        self._current = self.assignments[row]
        decl = self.package.declaration(self._current.declaration_id)
        self.summary_title.setText(f"<b>{decl.name}</b><br>依托单位：{decl.host}")
        while self.summary_layout.rowCount():
            self.summary_layout.removeRow(0)
        for label, text in decl.figures:
            value = QLabel(text)
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.summary_layout.addRow(f"{label}：", value)
        points, comment = self.work.get(self._current.assignment_id, ({}, ""))
        self.form.set_values(points, comment)
        self.prev_button.setEnabled(row > 0)
        self.next_button.setEnabled(row < len(self.assignments) - 1)

    # --- entries ------------------------------------------------------------------------------------
    def _on_changed(self) -> None:
        if self._current is None:
            return
        self.work[self._current.assignment_id] = (self.form.points(), self.form.comment_text())
        self.dirty = True
        self._refresh_list()

    def _refresh_list(self) -> None:
        for row, a in enumerate(self.assignments):
            points, _ = self.work.get(a.assignment_id, ({}, ""))
            check = check_score_set(self.package.sheet, points)
            if check.complete:
                mark = "✓ 已评完"
            elif check.problems:
                mark = "✗ 有误"
            elif points:
                mark = "… 未评完"
            else:
                mark = "○ 未评分"
            name = self.package.declaration(a.declaration_id).name
            item = self.list.item(row)
            item.setText(f"{row + 1}. {name}\n    {mark}")
        done = sum(1 for a in self.assignments if self._complete(a))
        progress = f"（已评完 {done}/{len(self.assignments)}）" + ("*" if self.dirty else "")
        self.setWindowTitle(f"评审模式 — {self.package.session_title} — {self.expert.name}{progress}")

    def _complete(self, a: PackageAssignment) -> bool:
        return check_score_set(self.package.sheet, self.work.get(a.assignment_id, ({}, ""))[0]).complete

    def unscored(self) -> list[str]:
        """The names of the declarations not (fully) scored yet."""
        return [
            self.package.declaration(a.declaration_id).name for a in self.assignments if not self._complete(a)
        ]

    # --- saving -------------------------------------------------------------------------------------
    def save(self, path: Path | None = None, *, confirm: bool = True) -> SavedReturn | None:
        """Save the return file (to ``path``, else where it goes by default); asks first when some
        declarations are not fully scored (unless ``confirm`` is off)."""
        target = Path(path) if path is not None else self.return_path
        missing = self.unscored()
        if missing and confirm:
            shown = "、".join(missing[:3]) + (f"等 {len(missing)} 份" if len(missing) > 3 else "")
            answer = QMessageBox.question(
                self,
                "尚未评完",
                f"{shown}尚未评完。\n\n可以先保存，稍后接着评；但未评完的回执市科技局无法导入。仍要保存吗？",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return None
        try:
            saved = save_return_file(self.opened, self.expert.expert_id, self.work, target)
        except ServiceError as exc:
            self.status.setText(f"未能保存：{exc}")
            self.status.setStyleSheet(style.ERROR_STYLE)
            return None
        self.return_path = saved.path
        self.last_saved = saved
        self.dirty = False
        self.status.setText(saved.text())
        self.status.setStyleSheet(
            style.OK_STYLE if saved.complete and not saved.late else style.WARNING_STYLE
        )
        self._refresh_list()
        return saved

    def save_as(self) -> SavedReturn | None:
        chosen, _ = QFileDialog.getSaveFileName(
            self, "保存评分回执", str(self.return_path), "评分回执 (*.lzreview)"
        )
        if not chosen:
            return None
        path = Path(chosen)
        if path.suffix.lower() != ".lzreview":
            path = path.with_name(path.name + ".lzreview")
        return self.save(path)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.dirty:
            answer = QMessageBox.question(
                self,
                "评分尚未保存",
                "录入的评分还没有保存为回执，关闭后将丢失。\n\n保存后再关闭吗？",
                QMessageBox.StandardButton.Save
                | QMessageBox.StandardButton.Discard
                | QMessageBox.StandardButton.Cancel,
            )
            if answer == QMessageBox.StandardButton.Cancel or (
                answer == QMessageBox.StandardButton.Save and self.save() is None
            ):
                event.ignore()
                return
        event.accept()
