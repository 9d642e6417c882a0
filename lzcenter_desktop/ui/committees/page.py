"""The 委员会 page: pick a recognised centre, edit its director history, management committee,
expert guidance committee and meetings with live rule flags, undo/redo, save with a reason,
import / export the committees JSON, export the roster as Excel or PDF."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from lzcenter_desktop.domain.settings import RuleSettings
from lzcenter_desktop.domain.violations import Severity
from lzcenter_desktop.services import committee_export, committees
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.storage.errors import EnvironmentProblem
from lzcenter_desktop.ui.committees.common import BAD_FG, OK_FG
from lzcenter_desktop.ui.committees.directors import DirectorEditor
from lzcenter_desktop.ui.committees.document import CommitteeDocument
from lzcenter_desktop.ui.committees.management import ManagementEditor
from lzcenter_desktop.ui.committees.meetings import MeetingsEditor
from lzcenter_desktop.ui.committees.people import PeopleRegistryDialog
from lzcenter_desktop.ui.committees.roster import ExpertCommitteeEditor
from lzcenter_desktop.ui.pages.base import Page


def undo_redo_actions(doc: CommitteeDocument, widget: QWidget) -> tuple[QAction, QAction]:
    """撤销 (Ctrl+Z) and 重做 (Ctrl+Y, Ctrl+Shift+Z) on ``widget`` and its children."""
    undo = doc.undo_stack.createUndoAction(widget, "撤销")
    undo.setShortcut(QKeySequence(QKeySequence.StandardKey.Undo))
    redo = doc.undo_stack.createRedoAction(widget, "重做")
    keys = [QKeySequence("Ctrl+Y")]
    keys += [k for k in QKeySequence.keyBindings(QKeySequence.StandardKey.Redo) if k not in keys]
    redo.setShortcuts(keys)
    for action in (undo, redo):
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        widget.addAction(action)
    return undo, redo


class _StepButton(QPushButton):
    """撤销 / 重做 with the name of the step in its tooltip (the button keeps its width)."""

    def __init__(self, label: str, keys: str, parent: QWidget) -> None:
        super().__init__(label, parent)
        self._label, self._keys = label, keys
        self.setEnabled(False)

    @Slot(str)
    def show_step(self, text: str) -> None:
        self.setToolTip(f"{self._label}：{text}（{self._keys}）" if text else "")


class CommitteesPage(Page):
    """委员会 section of the main window."""

    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget | None = None,
        *,
        as_of: date | None = None,
        settings: RuleSettings | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.as_of = as_of or date.today()
        if settings is None:
            from lzcenter_desktop.services.rulesets import settings_for_year

            settings = settings_for_year(ctx, self.as_of.year)
        self.settings = settings
        self.center_id: int | None = None
        # Asked before unsaved edits are dropped; tests replace it.
        self.confirm_discard: Callable[[], bool] = self._ask_discard
        self._switching = False

        self.centre_box = QComboBox(self)
        self.centre_box.setMinimumWidth(420)
        self.centre_box.currentIndexChanged.connect(self._centre_chosen)
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText("修改原因（保存时必填），例如：2026年换届")
        self.save_button = QPushButton("保存", self)
        self.save_button.clicked.connect(self.save)
        self.undo_button = _StepButton("撤销", "Ctrl+Z", self)
        self.redo_button = _StepButton("重做", "Ctrl+Y", self)
        self.import_button = QPushButton("导入JSON…", self)
        self.import_button.clicked.connect(self._import_clicked)
        self.export_button = QPushButton("导出JSON…", self)
        self.export_button.clicked.connect(lambda: self._export_clicked("json"))
        self.excel_button = QPushButton("名单导出Excel…", self)
        self.excel_button.clicked.connect(lambda: self._export_clicked("xlsx"))
        self.pdf_button = QPushButton("名单导出PDF…", self)
        self.pdf_button.clicked.connect(lambda: self._export_clicked("pdf"))
        self.people_button = QPushButton("人员库…", self)
        self.people_button.setToolTip("查看所有中心的人员记录，合并重复录入的同一人")
        self.people_button.clicked.connect(self.open_people_registry)
        top = QHBoxLayout()
        top.addWidget(QLabel("中心", self))
        top.addWidget(self.centre_box, 1)
        top.addWidget(self.undo_button)
        top.addWidget(self.redo_button)
        top.addWidget(self.reason, 1)
        top.addWidget(self.save_button)
        files = QHBoxLayout()
        for b in (self.import_button, self.export_button, self.excel_button, self.pdf_button):
            files.addWidget(b)
        files.addSpacing(24)
        files.addWidget(self.people_button)
        files.addStretch(1)
        self.summary = QLabel(self)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.tabs = QTabWidget(self)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(files)
        layout.addWidget(self.summary)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)

        self.doc: CommitteeDocument | None = None
        self.directors: DirectorEditor | None = None
        self.management: ManagementEditor | None = None
        self.experts: ExpertCommitteeEditor | None = None
        self.meetings: MeetingsEditor | None = None
        self.reload_centres()

    # -------------------------------------------------------------- loading

    def reload_centres(self) -> None:
        """Fill the centre list (recognised centres only) and open the first one."""
        try:
            centres = committees.list_committee_centres(self.ctx)
        except ServiceError as exc:
            self.show_message(str(exc), ok=False)
            return
        self._switching = True
        self.centre_box.clear()
        for c in centres:
            self.centre_box.addItem(f"{c.name}（{c.recognized_on.isoformat()} 认定）", c.id)
        self._switching = False
        enabled = bool(centres)
        for w in (
            self.save_button,
            self.import_button,
            self.export_button,
            self.excel_button,
            self.pdf_button,
        ):
            w.setEnabled(enabled)
        if not centres:
            self.show_message(
                "还没有已认定的中心。中心认定后，可在此维护其中心主任、管理委员会和专家指导委员会。", ok=True
            )
            return
        self.centre_box.setCurrentIndex(0)
        self.open_centre(int(self.centre_box.currentData()))

    def open_people_registry(self) -> PeopleRegistryDialog | None:
        """The 人员库; after it closes the open centre is reloaded (a merge may have changed it)."""
        if self.is_dirty() and not self.confirm_discard():
            return None
        dialog = PeopleRegistryDialog(self.ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(self._people_registry_closed)
        dialog.open()
        return dialog

    def _people_registry_closed(self, _result: int) -> None:
        if self.center_id is not None:
            self.open_centre(self.center_id)

    def select_centre(self, center_id: int) -> None:
        pos = self.centre_box.findData(center_id)
        if pos >= 0:
            self.centre_box.setCurrentIndex(pos)

    def _centre_chosen(self, _pos: int) -> None:
        if self._switching or self.centre_box.currentData() is None:
            return
        cid = int(self.centre_box.currentData())
        if cid == self.center_id:
            return
        if self.is_dirty() and not self.confirm_discard():
            self._switching = True
            self.centre_box.setCurrentIndex(self.centre_box.findData(self.center_id))
            self._switching = False
            return
        self.open_centre(cid)

    def open_centre(self, center_id: int) -> None:
        try:
            value = committees.load_committees(self.ctx, center_id=center_id)
            orgs = committees.organization_choices(self.ctx)
        except ServiceError as exc:
            self.show_message(str(exc), ok=False)
            return
        self.center_id = center_id
        if self.doc is None:
            self.doc = CommitteeDocument(value, settings=self.settings, as_of=self.as_of, parent=self)
            self._build_editors(orgs)
        else:
            self.doc.reset(value)
        self.show_message("")

    def _build_editors(self, orgs: list[committees.OrganizationChoice]) -> None:
        assert self.doc is not None
        doc = self.doc
        self.directors = DirectorEditor(doc, orgs, self)
        self.management = ManagementEditor(doc, orgs, self)
        self.experts = ExpertCommitteeEditor(doc, orgs, self)
        self.meetings = MeetingsEditor(doc, self)
        self.experts.confirm_unit = self.confirm_unit
        self.management.confirm_unit = self.confirm_unit
        self.tabs.addTab(self.experts, "专家指导委员会")
        self.tabs.addTab(self.management, "管理委员会")
        self.tabs.addTab(self.directors, "中心主任")
        self.tabs.addTab(self.meetings, "会议与出席")
        self.undo_action, self.redo_action = undo_redo_actions(doc, self)
        stack = doc.undo_stack
        for button, label, action in (
            (self.undo_button, "撤销", self.undo_action),
            (self.redo_button, "重做", self.redo_action),
        ):
            button.setText(label)  # the step's name goes in the tooltip, the button keeps its width
            button.clicked.connect(action.trigger)
            button.setEnabled(action.isEnabled())
            action.enabledChanged.connect(button.setEnabled)
        stack.undoTextChanged.connect(self.undo_button.show_step)
        stack.redoTextChanged.connect(self.redo_button.show_step)
        doc.changed.connect(self._update_summary)
        doc.undo_stack.cleanChanged.connect(self._clean_changed)
        self._update_summary()

    @Slot(bool)
    def _clean_changed(self, _clean: bool) -> None:
        self._update_summary()

    @Slot()
    def _update_summary(self) -> None:
        if self.doc is None:
            return
        vs = self.doc.violations
        errors = sum(1 for v in vs if v.severity is Severity.ERROR)
        warnings = len(vs) - errors
        state = "（有未保存的修改）" if self.is_dirty() else ""
        as_of = self.as_of.isoformat()
        self.summary.setText(f"截至 {as_of} 实时检查：错误 {errors} 项，警告 {warnings} 项{state}")
        color = BAD_FG if errors else OK_FG
        self.summary.setStyleSheet(f"color: {color.name()}; font-weight: bold;")

    def is_dirty(self) -> bool:
        return self.doc is not None and not self.doc.undo_stack.isClean()

    def _ask_discard(self) -> bool:
        answer = QMessageBox.question(
            self, "放弃修改", "当前中心有未保存的修改，切换后这些修改将丢失。是否放弃修改？"
        )
        return answer == QMessageBox.StandardButton.Yes

    def show_message(self, text: str, *, ok: bool = True) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(f"color: {(OK_FG if ok else BAD_FG).name()};")

    # -------------------------------------------------------------- units likely part of the host

    def confirm_unit(self, unit: str, of: str, belongs: bool) -> str | None:
        """The clerk's answer on a member's unit, saved at once in the organization registry (audited;
        not part of the unsaved edits, not undone); the rules then follow it. A Chinese error, or None."""
        if self.doc is None or self.center_id is None:
            return "请先选择中心"
        try:
            answers = committees.confirm_member_unit(
                self.ctx, center_id=self.center_id, unit_name=unit, of=of, belongs=belongs
            )
        except ServiceError as exc:
            return f"未记录：{exc}"
        except EnvironmentProblem as exc:
            return f"未记录：{exc.title}：{exc.message}"
        self.doc.set_unit_confirmations(answers)
        verdict = "属于" if belongs else "不属于"
        self.show_message(f"已记入单位库：“{unit}”{verdict}“{of}”（已记入审计日志）。")
        return None

    # -------------------------------------------------------------- saving

    def save(self) -> bool:
        if self.doc is None or self.center_id is None:
            return False
        reason = self.reason.text().strip()
        if not reason:
            self.show_message("修改原因：请填写本次修改的原因后再保存", ok=False)
            self.reason.setFocus()
            return False
        try:
            committees.save_committees(
                self.ctx, center_id=self.center_id, committees=self.doc.value, reason=reason
            )
            value = committees.load_committees(self.ctx, center_id=self.center_id)
        except ServiceError as exc:
            self.show_message(f"未保存：{exc}", ok=False)
            return False
        self.doc.reset(value)
        self.reason.clear()
        self.show_message(f"已保存（原因：{reason}），修改已记入审计日志。")
        return True

    # -------------------------------------------------------------- files

    def import_file(self, path: Path) -> bool:
        if self.center_id is None:
            return False
        if self.is_dirty() and not self.confirm_discard():
            return False
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            self.show_message(f"文件：无法读取“{path.name}”（{exc}）", ok=False)
            return False
        try:
            summary = committees.import_committees_json(
                self.ctx, center_id=self.center_id, data=committees.parse_json_text(text)
            )
        except ServiceError as exc:
            self.show_message(f"未导入：{exc}", ok=False)
            return False
        self.open_centre(self.center_id)
        self.show_message(
            f"已导入“{path.name}”：新登记 {summary.people_created} 人，"
            f"匹配已有人员 {summary.people_matched} 人。"
        )
        return True

    def export_json(self, path: Path) -> None:
        if self.center_id is None:
            return
        if self.is_dirty():
            self.show_message("导出JSON：导出的是已保存的记录，请先保存修改", ok=False)
            return
        try:
            path.write_text(committees.export_json_text(self.ctx, center_id=self.center_id), encoding="utf-8")
        except OSError as exc:
            self.show_message(f"导出位置：无法写入“{path}”（{exc.strerror or exc}）", ok=False)
            return
        except ServiceError as exc:
            self.show_message(str(exc), ok=False)
            return
        self.show_message(f"已导出：{path}")

    def export_roster(self, path: Path, kind: str) -> None:
        if self.doc is None:
            return
        notes: tuple[str, ...] = ()
        try:
            if kind == "xlsx":
                notes = committee_export.write_roster_xlsx(
                    self.doc.value, path, as_of=self.as_of, settings=self.settings
                ).notes
            else:
                index = self.experts.term_index if self.experts is not None else None
                committee_export.write_roster_pdf(
                    self.doc.value, path, term_index=index if index is not None and index >= 0 else None
                )
        except ServiceError as exc:
            self.show_message(str(exc), ok=False)
            return
        if notes:
            self.show_message(f"已导出：{path}；" + "；".join(notes), ok=False)
        else:
            self.show_message(f"已导出：{path}")

    def _import_clicked(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "导入委员会记录", "", "委员会记录 (*.json)")
        if name:
            self.import_file(Path(name))

    def _export_clicked(self, kind: str) -> None:
        filters = {"json": "委员会记录 (*.json)", "xlsx": "Excel 工作簿 (*.xlsx)", "pdf": "PDF 文件 (*.pdf)"}
        name, _ = QFileDialog.getSaveFileName(self, "导出", f"委员会名单.{kind}", filters[kind])
        if not name:
            return
        if kind == "json":
            self.export_json(Path(name))
        else:
            self.export_roster(Path(name), kind)

    # -- Page ------------------------------------------------------------------------------------
    def unsaved_changes(self) -> str | None:
        if not self.is_dirty():
            return None
        return f"委员会：{self.centre_box.currentText() or '当前中心'}的委员会记录"

    def save_changes(self) -> bool:
        return self.save()

    def discard_changes(self) -> None:
        if self.center_id is not None:
            self.open_centre(self.center_id)  # the stored record again
