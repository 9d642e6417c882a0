"""The 设置 page: the rule set of a call year (edit, save as a new version, history) and the database.

Thresholds are data: one row per parameter of ``domain.settings.PARAMETERS``.  Every edit is
checked as it is typed (the message names the parameter); 撤销修改 goes back to the saved values;
保存为新版本 asks for a note and a confirmation and adds a version — nothing is overwritten.

Every read goes through :func:`~lzcenter_desktop.ui.ops.query_op` (the newest request wins) and the
save through :func:`~lzcenter_desktop.ui.ops.write_op`, which announces ``rulesets`` as changed: the
规则 page, the 申报 list and every open declaration wizard check again with the new parameters.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from lzcenter_desktop.domain.settings import (
    DEFAULT_SETTINGS,
    PARAMETERS,
    ParamInfo,
    RuleSettings,
    SettingsError,
)
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.dto import RuleSetVersionView
from lzcenter_desktop.ui import ops
from lzcenter_desktop.ui.models.settings import VersionHistoryModel, changed_parameters
from lzcenter_desktop.ui.pages.base import Page
from lzcenter_desktop.ui.param_text import NO, YES, format_value, input_hint, parse_value
from lzcenter_desktop.ui.style import ERROR_STYLE, NOTE_COLOR
from lzcenter_desktop.ui.tasks import run_with_progress

LOWER_HEIGHT = 250  # history + database, when the page is first shown
MIN_YEAR = 2000
MAX_YEAR = 2100


def describe_changes(old: RuleSettings, new: RuleSettings) -> list[str]:
    return [
        f"{p.label}：{format_value(p, getattr(old, p.name))} → {format_value(p, getattr(new, p.name))}"
        for p in changed_parameters(old, new)
    ]


class SaveVersionDialog(QDialog):
    """Asks for the note (required) and shows what will change; 确认保存 is the confirmation."""

    def __init__(
        self, year: int, next_version: int, changes: list[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("保存为新版本")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"将把以下修改保存为 {year} 年度规则参数第 {next_version} 版。"
            "已保存的版本不会被覆盖；此后该年度的申报按新版本检查。"
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.changes_label = QLabel("\n".join(f"· {c}" for c in changes) or "（与上一版相同）")
        self.changes_label.setWordWrap(True)
        self.changes_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.changes_label)
        layout.addWidget(QLabel("修改说明（必填，如依据的文件、会议纪要）："))
        self.note_edit = QPlainTextEdit()
        self.note_edit.setObjectName("versionNote")
        self.note_edit.setFixedHeight(80)
        layout.addWidget(self.note_edit)
        self.error_label = QLabel()
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        layout.addWidget(self.error_label)
        buttons = QDialogButtonBox()
        self.confirm_button = buttons.addButton("确认保存(&O)", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.confirm_button.clicked.connect(self._confirm)
        self.cancel_button.clicked.connect(self.reject)
        layout.addWidget(buttons)

    def note(self) -> str:
        return self.note_edit.toPlainText().strip()

    def _confirm(self) -> None:
        if not self.note():
            self.error_label.setText("请填写“修改说明”：说明为什么修改这些参数。")
            self.note_edit.setFocus()
            return
        if len(self.note()) > 1000:
            self.error_label.setText(f"“修改说明”最多 1000 字，现有 {len(self.note())} 字。")
            return
        self.accept()


class ParamRow:
    """The editor of one parameter and its error label."""

    def __init__(self, info: ParamInfo) -> None:
        self.info = info
        self.editor: QLineEdit | QComboBox
        if info.kind == "bool":
            combo = QComboBox()
            combo.addItems([YES, NO])
            self.editor = combo
        else:
            line = QLineEdit()
            line.setToolTip(input_hint(info))
            line.setPlaceholderText(input_hint(info))
            self.editor = line
        if info.kind not in ("strings", "tiers"):
            self.editor.setMaximumWidth(260)  # a number does not need the whole row
        self.editor.setObjectName(f"param_{info.name}")
        self.error_label = QLabel()
        self.error_label.setObjectName(f"error_{info.name}")
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        self.error_label.hide()

    def text(self) -> str:
        if isinstance(self.editor, QComboBox):
            return self.editor.currentText()
        return self.editor.text()

    def set_value(self, value: object) -> None:
        text = format_value(self.info, value)
        if isinstance(self.editor, QComboBox):
            self.editor.setCurrentText(text)
        else:
            self.editor.setText(text)
            self.editor.setCursorPosition(0)

    def set_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))


class SettingsPage(Page):
    settings_loaded = Signal(int)  # year
    version_saved = Signal(int, int)  # year, version
    backup_done = Signal(str)  # path

    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget | None = None,
        *,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.saved: RuleSettings | None = None
        self.versions: list[RuleSetVersionView] = []
        self._today = today

        # -- year ------------------------------------------------------------------------------
        self.year_spin = QSpinBox()
        self.year_spin.setObjectName("settingsYear")
        self.year_spin.setRange(MIN_YEAR, MAX_YEAR)
        self.year_spin.setValue(today().year)
        self.year_spin.setSuffix(" 年度")
        self.year_hint = QLabel()
        self.source_label = QLabel()
        self.source_label.setWordWrap(True)
        year_row = QHBoxLayout()
        year_caption = QLabel("申报年度(&Y)：")
        year_caption.setBuddy(self.year_spin)
        year_row.addWidget(year_caption)
        year_row.addWidget(self.year_spin)
        year_row.addWidget(self.year_hint)
        year_row.addStretch(1)

        # -- editor grid ----------------------------------------------------------------------
        grid_host = QWidget()
        grid = QGridLayout(grid_host)
        grid.setHorizontalSpacing(12)
        for col, caption in enumerate(["参数", "值", "单位", "条款"]):
            head = QLabel(caption)
            f = head.font()
            f.setBold(True)
            head.setFont(f)
            grid.addWidget(head, 0, col)
        self.rows: dict[str, ParamRow] = {}
        line = 1
        for info in PARAMETERS:
            row = ParamRow(info)
            self.rows[info.name] = row
            label = QLabel(info.label)
            label.setWordWrap(True)
            if info.note:
                label.setToolTip(info.note)
                label.setText(f"{info.label}<br><span style='color:{NOTE_COLOR}'>{info.note}</span>")
            label.setBuddy(row.editor)
            grid.addWidget(label, line, 0)
            grid.addWidget(row.editor, line, 1)
            grid.addWidget(QLabel(info.unit), line, 2)
            grid.addWidget(QLabel(info.article), line, 3)
            grid.addWidget(row.error_label, line + 1, 0, 1, 4)
            line += 2
            if isinstance(row.editor, QComboBox):
                row.editor.currentTextChanged.connect(lambda _t, n=info.name: self._edited(n))
            else:
                row.editor.textEdited.connect(lambda _t, n=info.name: self._edited(n))
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(1, 3)
        grid.setRowStretch(line, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(grid_host)

        self.state_label = QLabel()
        self.state_label.setWordWrap(True)
        self.revert_button = QPushButton("撤销修改(&U)")
        self.revert_button.setObjectName("revertButton")
        self.revert_button.setToolTip("放弃尚未保存的修改，回到已保存的参数")
        self.defaults_button = QPushButton("填入办法默认值(&D)")
        self.defaults_button.setToolTip("把所有参数填为《管理办法》规定的默认值（需保存后才生效）")
        self.save_button = QPushButton("保存为新版本(&S)…")
        self.save_button.setObjectName("saveButton")
        buttons = QHBoxLayout()
        buttons.addWidget(self.state_label, 1)
        buttons.addWidget(self.defaults_button)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)

        editor_box = QGroupBox("规则参数")
        eb = QVBoxLayout(editor_box)
        eb.addLayout(year_row)
        eb.addWidget(self.source_label)
        eb.addWidget(scroll, 1)
        eb.addLayout(buttons)

        # -- history --------------------------------------------------------------------------
        history_box = QGroupBox("版本历史")
        hb = QVBoxLayout(history_box)
        self.history_model = VersionHistoryModel(self)
        self.history_table = QTableView()
        self.history_table.setObjectName("versionHistory")
        self.history_table.setTabKeyNavigation(False)  # Tab leaves the table (read-only)
        self.history_table.setModel(self.history_model)
        self.history_table.verticalHeader().hide()
        self.history_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.history_table.horizontalHeader()
        for c in (0, 1, 2):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.history_table.setMinimumHeight(90)
        self.history_empty = QLabel()
        hb.addWidget(self.history_empty)
        hb.addWidget(self.history_table)

        # -- database -------------------------------------------------------------------------
        db_box = QGroupBox("数据库")
        dbl = QGridLayout(db_box)
        self.db_path_label = QLabel(self._db_location())
        self.db_path_label.setObjectName("dbPath")
        self.db_path_label.setWordWrap(True)
        self.db_path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.backup_button = QPushButton("立即备份(&B)")
        self.backup_button.setObjectName("backupButton")
        self.backup_result = QLabel()
        self.backup_result.setObjectName("backupResult")
        self.backup_result.hide()
        self.backup_result.setWordWrap(True)
        self.backup_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        dbl.addWidget(QLabel("数据库位置："), 0, 0)
        dbl.addWidget(self.db_path_label, 0, 1)
        dbl.addWidget(self.backup_button, 0, 2)
        dbl.addWidget(self.backup_result, 1, 0, 1, 3)
        dbl.setColumnStretch(1, 1)
        if ctx.db.path is None:
            self.backup_button.setEnabled(False)
            self.backup_result.setText("服务器数据库由数据库管理员备份，本程序只备份本机的数据库文件。")
            self.backup_result.show()

        lower = QWidget()
        ll = QVBoxLayout(lower)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(history_box, 1)
        ll.addWidget(db_box)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(editor_box)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        self.splitter = splitter
        self._sized = False
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        # Tab: the year, every parameter top to bottom, the buttons, the history, the backup.
        chain: list[QWidget] = [
            self.year_spin,
            *(row.editor for row in self.rows.values()),
            self.defaults_button,
            self.revert_button,
            self.save_button,
            self.history_table,
            self.backup_button,
        ]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

        self.year_spin.valueChanged.connect(lambda _v: self.load())
        self.revert_button.clicked.connect(self.revert)
        self.defaults_button.clicked.connect(self.fill_defaults)
        self.save_button.clicked.connect(self.ask_save)
        self.backup_button.clicked.connect(self.backup)
        self._set_enabled_editing(False)
        self._update_state()
        ops.hub().data_changed.connect(self._data_changed)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._sized and self.height() > 2 * LOWER_HEIGHT:
            # Stretch factors only share out later growth; give the editor its room once.
            self._sized = True
            total = sum(self.splitter.sizes()) or self.height()
            self.splitter.setSizes([total - LOWER_HEIGHT, LOWER_HEIGHT])

    # -- helpers -------------------------------------------------------------------------------
    def _db_location(self) -> str:
        from lzcenter_desktop.services.schema_upgrade import database_location

        return database_location(self.ctx.db)

    def year(self) -> int:
        return self.year_spin.value()

    def _set_enabled_editing(self, enabled: bool) -> None:
        for row in self.rows.values():
            row.editor.setEnabled(enabled)
        self.defaults_button.setEnabled(enabled)

    # -- loading -------------------------------------------------------------------------------
    def refresh(self) -> None:
        """On first show: pick the latest call year (or this year) and load it."""
        from lzcenter_desktop.services import rulesets

        ctx = self.ctx

        def got_years(years: list[int]) -> None:
            if years and self.saved is None and not self.is_dirty():
                latest = max(years)
                if latest != self.year_spin.value():
                    self.year_spin.setValue(latest)  # triggers load()
                    return
            self.load()

        ops.query_op(
            lambda: rulesets.call_years(ctx),
            parent=self,
            key=f"settings-years:{id(self)}",
            on_success=got_years,
        )

    def _data_changed(self, kinds: frozenset[str]) -> None:
        """A rule set was saved (here or elsewhere): show it, unless the clerk is editing."""
        if "rulesets" in kinds and self.saved is not None and not self.is_dirty():
            self.load()

    def load(self) -> None:
        from lzcenter_desktop.services import rulesets

        ctx = self.ctx
        year = self.year()
        self._set_enabled_editing(False)
        self.state_label.setText("正在读取…")

        def work() -> tuple[RuleSettings, list[RuleSetVersionView]]:
            return rulesets.settings_for_year(ctx, year), rulesets.list_versions(ctx, year)

        def arrived(result: tuple[RuleSettings, list[RuleSetVersionView]]) -> None:
            settings, versions = result
            self.saved = settings
            self.versions = versions
            for name, row in self.rows.items():
                row.set_value(getattr(settings, name))
                row.set_error("")
            self._show_source()
            self._show_history()
            self._set_enabled_editing(True)
            self._update_state()
            self.settings_loaded.emit(year)

        ops.query_op(work, parent=self, key=f"settings-year:{id(self)}", on_success=arrived)

    def _show_source(self) -> None:
        year = self.year()
        if self.versions:
            self.source_label.setText(f"当前生效：{year} 年度第 {self.versions[-1].version_no} 版。")
        elif self.saved == DEFAULT_SETTINGS:
            self.source_label.setText(f"{year} 年度尚未保存过规则参数，当前使用《管理办法》规定的默认值。")
        else:
            self.source_label.setText(f"{year} 年度尚未保存过规则参数，当前沿用较早年度的参数。")

    def _show_history(self) -> None:
        versions = self.versions
        self.history_model.set_versions(versions)  # newest first
        self.history_empty.setText(
            f"{self.year()} 年度共保存了 {len(versions)} 个版本。"
            if versions
            else f"{self.year()} 年度还没有保存过版本。"
        )

    def history_rows(self) -> list[list[str]]:
        """What the history shows, newest version first."""
        return self.history_model.texts()

    # -- editing -------------------------------------------------------------------------------
    def _edited(self, _name: str) -> None:
        self.validate()
        self._update_state()

    def validate(self) -> RuleSettings | None:
        """Check every editor; show each problem under its parameter. The settings, if all are valid."""
        values: dict[str, Any] = {}
        ok = True
        for name, row in self.rows.items():
            try:
                values[name] = parse_value(row.info, row.text())
                row.set_error("")
            except SettingsError as exc:
                row.set_error(str(exc))
                ok = False
        if not ok:
            return None
        base = self.saved or DEFAULT_SETTINGS
        # Check each parameter on its own first, so that the message lands on the right row.
        for name, value in values.items():
            try:
                dataclasses.replace(base, **{name: value})
            except SettingsError as exc:
                if exc.name == name:
                    self.rows[name].set_error(str(exc))
                    ok = False
        if not ok:
            return None
        try:
            return dataclasses.replace(base, **values)
        except SettingsError as exc:
            named = self.rows.get(exc.name)
            if named is not None:
                named.set_error(str(exc))
            else:
                self.state_label.setText(str(exc))
            return None

    def current_settings(self) -> RuleSettings | None:
        return self.validate()

    def is_dirty(self) -> bool:
        if self.saved is None:
            return False
        for name, row in self.rows.items():
            if row.text() != format_value(row.info, getattr(self.saved, name)):
                return True
        return False

    def has_errors(self) -> bool:
        return any(row.error_label.text() for row in self.rows.values())

    def _update_state(self) -> None:
        dirty = self.is_dirty()
        errors = self.has_errors()
        self.revert_button.setEnabled(dirty)
        self.save_button.setEnabled(dirty and not errors and self.saved is not None)
        self.year_spin.setEnabled(not dirty)
        self.year_hint.setText("有未保存的修改：请先保存或撤销，再切换年度。" if dirty else "")
        if self.saved is None:
            return
        if errors:
            self.state_label.setText("有参数填写不正确，请按红字提示修改。")
        elif dirty:
            self.state_label.setText("有未保存的修改。")
        else:
            self.state_label.setText("参数与已保存的一致。")

    def revert(self) -> None:
        if self.saved is None:
            return
        for name, row in self.rows.items():
            row.set_value(getattr(self.saved, name))
            row.set_error("")
        self._update_state()

    def fill_defaults(self) -> None:
        for name, row in self.rows.items():
            row.set_value(getattr(DEFAULT_SETTINGS, name))
        self.validate()
        self._update_state()

    # -- saving --------------------------------------------------------------------------------
    def ask_save(self) -> SaveVersionDialog | None:
        settings = self.validate()
        self._update_state()
        if settings is None or self.saved is None:
            return None
        next_version = (self.versions[-1].version_no + 1) if self.versions else 1
        dialog = SaveVersionDialog(self.year(), next_version, describe_changes(self.saved, settings), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        year = self.year()
        dialog.accepted.connect(lambda: self._save(year, settings, dialog.note()))
        self.save_dialog = dialog
        dialog.open()
        return dialog

    def _save(self, year: int, settings: RuleSettings, note: str) -> None:
        from lzcenter_desktop.services import rulesets

        ctx = self.ctx
        self.save_button.setEnabled(False)
        self.state_label.setText("正在保存…")

        def saved(version: int) -> None:
            self.state_label.setText(f"已保存为 {year} 年度第 {version} 版。")
            self.version_saved.emit(year, version)
            self.load()  # data_changed asked for it too: the newest request wins

        def failed(exc: BaseException) -> None:
            from lzcenter_desktop.ui.dialogs.errors import report_exception

            self._update_state()
            self.state_label.setText("保存失败，参数未改动。")
            report_exception(exc, self)

        ops.write_op(
            lambda: rulesets.save_settings(ctx, year=year, settings=settings, note=note),
            parent=self,
            kinds={"rulesets"},
            on_success=saved,
            on_failure=failed,
        )

    # -- backup --------------------------------------------------------------------------------
    def backup(self) -> None:
        from lzcenter_desktop.services.backup import backup_now

        ctx = self.ctx
        self.backup_button.setEnabled(False)
        self.backup_result.setText("正在备份…")
        self.backup_result.show()

        def work(_progress: object) -> tuple[Path, str]:
            from lzcenter_desktop.services.audit_chain import anchor_line, anchor_of_file

            path = backup_now(ctx)
            return path, anchor_line(anchor_of_file(path))  # the newest audit hash in the copy

        def done(result: tuple[Path, str]) -> None:
            path, anchor = result
            self.backup_button.setEnabled(True)
            self.backup_result.setText(f"已备份到：{path}\n{anchor}")
            self.backup_done.emit(str(path))

        def failed(exc: BaseException) -> None:
            from lzcenter_desktop.ui.dialogs.errors import report_exception

            self.backup_button.setEnabled(True)
            self.backup_result.setText("备份失败，数据库未改动。")
            report_exception(exc, self)

        run_with_progress(
            work,
            parent=self,
            title="备份数据库",
            label="正在备份数据库…",
            on_success=done,
            on_failure=failed,
        )

    # -- Page ------------------------------------------------------------------------------------
    def on_shown(self, first: bool) -> None:
        if first:
            self.refresh()

    def unsaved_changes(self) -> str | None:
        return f"设置：{self.year()} 年度的规则参数" if self.is_dirty() else None

    def save_changes(self) -> bool:
        """Saving a rule set needs a note: the save dialog opens and the window stays open."""
        self.ask_save()
        return False

    def discard_changes(self) -> None:
        self.revert()
