"""The 委员会 page: pick a recognised centre, edit its director history, management committee,
expert guidance committee and meetings with live rule flags, undo/redo, save with a reason,
import / export the committees JSON, export the roster as Excel or PDF.

No database call runs on the UI thread: the centre list, a centre's record and the organization
choices are read with :func:`ui.ops.query_op` (the newest request wins), saving, importing and
confirming a member's unit are :func:`ui.ops.write_op` writes (in order, announced through
``ops.hub().data_changed``), and the exports write their files on a worker thread. While the record
is being read or written the editors are disabled and the page says what it is doing; the result
(or the Chinese error) arrives on the page. The page follows ``data_changed``: a newly recognised
centre appears in the list, and the open centre is read again when people or organizations changed
elsewhere and nothing is unsaved here.

For a clerk on a 1366×768 (or 1280×720) screen: every control fits (long names are cut in their
box and shown whole in its list and tooltip, the live figures wrap, a 9-member roster shows whole);
dates are typed (:class:`ui.widgets.date_edit.DateEdit`); a record that still has error-level rule
violations is saved only after 保存 / 取消 listing them; Ctrl+S (文件→保存) takes what is still
being typed — a date, an open cell — before it saves; Enter in 修改原因 saves; Esc closes the
page's dialogs and answers its questions with 取消.

Import and export live in :mod:`ui.committees.files`, 撤销 / 重做 in :mod:`ui.committees.undo`; what
the editors compute (edits, live figures) in :mod:`domain.committee_edits`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from lzcenter_desktop.domain import committee_edits
from lzcenter_desktop.domain.model import Committees, UnitConfirmation
from lzcenter_desktop.domain.settings import RuleSettings
from lzcenter_desktop.domain.violations import Severity, Violation
from lzcenter_desktop.services import committees
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.ui import ops
from lzcenter_desktop.ui.committees.common import (
    BAD_FG,
    BUSY_FG,
    OK_FG,
    compact_combo,
    confirm,
    error_text,
    errors_box,
    pending_text,
    widen_popup,
)
from lzcenter_desktop.ui.committees.directors import DirectorEditor
from lzcenter_desktop.ui.committees.document import CommitteeDocument
from lzcenter_desktop.ui.committees.files import CommitteeFiles
from lzcenter_desktop.ui.committees.management import ManagementEditor
from lzcenter_desktop.ui.committees.meetings import MeetingsEditor
from lzcenter_desktop.ui.committees.people import PeopleRegistryDialog
from lzcenter_desktop.ui.committees.roster import ExpertCommitteeEditor
from lzcenter_desktop.ui.committees.stale import roster_fields
from lzcenter_desktop.ui.committees.undo import StepButton, undo_redo_actions
from lzcenter_desktop.ui.dialogs.errors import report_exception
from lzcenter_desktop.ui.dialogs.stale import offer_reload
from lzcenter_desktop.ui.dialogs.unsaved import Answer, answer_of, unsaved_question
from lzcenter_desktop.ui.pages.base import Page
from lzcenter_desktop.ui.tasks import Task
from lzcenter_desktop.ui.widgets.date_edit import DateEdit

# What the page may be doing in the background (the keys of ``CommitteesPage._busy``). While the
# record is being read, saved or imported the editors are disabled: the result replaces the record.
_BLOCKING = frozenset({"load", "save", "import"})


class CommitteesPage(Page):
    """委员会 section of the main window."""

    #: a save ended: True when the record was written (the page shows the message either way)
    save_finished = Signal(bool)
    #: the page is idle again (every read and write it started has answered)
    idle = Signal()

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
        # The rule settings of the year: read with the centre list (never on the UI thread).
        self.settings: RuleSettings | None = settings
        self.center_id: int | None = None
        self.roster_version: int | None = None  # of the record shown (optimistic locking)
        # Asked before unsaved edits are dropped, and before a record with errors is saved (with
        # the errors); tests replace them.
        self.confirm_discard: Callable[[], bool] = self._ask_discard
        # 保存 / 不保存 / 取消 before another centre is opened over unsaved edits; tests replace it
        self.ask_leave_centre: Callable[[list[str], str], Answer] = self._ask_leave_centre
        self.confirm_errors: Callable[[list[Violation]], bool] = self._ask_save_with_errors
        self._switching = False
        self._wanted: int | None = None  # the centre asked for (its record may still be on its way)
        self._busy: dict[str, str] = {}  # what runs in the background → what the page says meanwhile
        self._loaded = False  # the centre list has been read once
        self._saved_value: Committees | None = None  # the stored record of the open centre
        self._save_task: Task[tuple[Committees, int]] | None = None
        self.last_save_ok: bool | None = None
        self.files = CommitteeFiles(self)  # import and export (ui/committees/files.py)

        self.centre_box = QComboBox(self)
        # long names (with their date) are cut in the box and shown whole in its list and tooltip:
        # the page must fit a 1280-pixel screen
        compact_combo(self.centre_box, 18)
        self.centre_box.currentIndexChanged.connect(self._centre_chosen)
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText("修改原因（保存时必填），例如：2026年换届")
        self.reason.setMinimumWidth(
            self.reason.fontMetrics().horizontalAdvance("修改原因（保存时必填）") + 24
        )
        self.reason.returnPressed.connect(self.save)  # Enter in the reason saves, as 保存 does
        self.save_button = QPushButton("保存", self)
        self.save_button.setToolTip("保存修改（Ctrl+S）")
        self.save_button.clicked.connect(self.save)
        self.undo_button = StepButton("撤销", "Ctrl+Z", self)
        self.redo_button = StepButton("重做", "Ctrl+Y", self)
        self.import_button = QPushButton("导入JSON(&I)…", self)
        self.import_button.clicked.connect(self.files.import_clicked)
        self.export_button = QPushButton("导出JSON(&X)…", self)
        self.export_button.clicked.connect(lambda: self.files.export_clicked("json"))
        self.excel_button = QPushButton("名单导出Excel(&L)…", self)
        self.excel_button.clicked.connect(lambda: self.files.export_clicked("xlsx"))
        self.pdf_button = QPushButton("名单导出PDF(&P)…", self)
        self.pdf_button.clicked.connect(lambda: self.files.export_clicked("pdf"))
        self.people_button = QPushButton("人员库(&K)…", self)
        self.people_button.setToolTip("查看所有中心的人员记录，合并重复录入的同一人")
        self.people_button.clicked.connect(self.open_people_registry)
        # Two rows above the tabs (a 9-member roster fits below them at 1366×768): the centre and
        # saving; the files and the live summary. Every control stays on screen at 1280×720.
        top = QHBoxLayout()
        top.addWidget(QLabel("中心", self))
        top.addWidget(self.centre_box, 3)
        top.addWidget(self.undo_button)
        top.addWidget(self.redo_button)
        top.addWidget(self.reason, 2)
        top.addWidget(self.save_button)
        files = QHBoxLayout()
        for b in (self.import_button, self.export_button, self.excel_button, self.pdf_button):
            files.addWidget(b)
        files.addSpacing(12)
        files.addWidget(self.people_button)
        files.addSpacing(12)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        files.addWidget(self.summary, 1)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()
        self.tabs = QTabWidget(self)
        # Tab as the two rows read (撤销 and 重做 sit between the centre and the reason)
        chain = (self.centre_box, self.undo_button, self.redo_button, self.reason, self.save_button)
        for first, second in pairwise((*chain, self.import_button)):
            QWidget.setTabOrder(first, second)
        layout = QVBoxLayout(self)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addLayout(files)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)

        self.doc: CommitteeDocument | None = None
        self.directors: DirectorEditor | None = None
        self.management: ManagementEditor | None = None
        self.experts: ExpertCommitteeEditor | None = None
        self.meetings: MeetingsEditor | None = None
        # Nothing is read here: the page is built on its first visit and reads in on_shown.
        ops.hub().data_changed.connect(self._data_changed)
        self._update_controls()

    # -------------------------------------------------------------- busy state

    @property
    def busy(self) -> bool:
        """Something the page started (a read, a save, an export…) has not answered yet."""
        return bool(self._busy)

    def _blocked(self) -> bool:
        return bool(_BLOCKING & self._busy.keys())

    def _begin(self, what: str, text: str) -> None:
        self._busy[what] = text
        self.show_message(text, busy=True)
        self._update_controls()
        self.status_changed.emit()

    def _end(self, what: str) -> None:
        if self._busy.pop(what, None) is None:
            return
        if self.message.property("busy"):  # the page's result, if any, was shown already
            rest = list(self._busy.values())
            self.show_message(rest[-1] if rest else "", busy=bool(rest))
        self._update_controls()
        self.status_changed.emit()
        if not self._busy:
            self.idle.emit()

    def _update_controls(self) -> None:
        blocked = self._blocked()
        has_centres = self.centre_box.count() > 0
        ready = has_centres and self.doc is not None and self.center_id is not None and not blocked
        saving = "save" in self._busy
        self.save_button.setText("正在保存…" if saving else "保存")
        self.save_button.setEnabled(ready)
        self.import_button.setEnabled(ready)
        exporting = "export" in self._busy
        for b in (self.export_button, self.excel_button, self.pdf_button):
            b.setEnabled(ready and not exporting)
        # the record being saved or imported is the open centre's: no switching meanwhile
        self.centre_box.setEnabled(not (saving or "import" in self._busy))
        self.reason.setEnabled(not (saving or "import" in self._busy))
        self.tabs.setEnabled(not blocked)
        if self.doc is not None:
            stack = self.doc.undo_stack
            self.undo_action.setEnabled(not blocked and stack.canUndo())
            self.redo_action.setEnabled(not blocked and stack.canRedo())

    def _failed(self, what: str, exc: BaseException, prefix: str = "") -> str:
        """End ``what``; show the Chinese error on the page (a bug goes to the crash dialog)."""
        text = error_text(exc)
        if text is None:
            report_exception(exc, self)
            text = "程序出错，详见错误报告窗口"
        self.show_message(prefix + text, ok=False)
        self._end(what)
        return text

    def _key(self, name: str) -> str:
        return f"committees-{name}:{id(self)}"

    # -------------------------------------------------------------- loading

    def reload_centres(self, *, quiet: bool = False) -> None:
        """Read the centre list (recognised centres only) and open the one shown (else the first);
        ``quiet`` (a change made elsewhere) reads without saying so on the page."""
        ctx, year, settings = self.ctx, self.as_of.year, self.settings

        def fetch() -> tuple[RuleSettings, list[committees.CommitteeCentre]]:
            if settings is None:
                from lzcenter_desktop.services.rulesets import settings_for_year

                return settings_for_year(ctx, year), committees.list_committee_centres(ctx)
            return settings, committees.list_committee_centres(ctx)

        if not quiet:
            self._begin("list", "正在读取已认定的中心…")
        ops.query_op(
            fetch,
            parent=self,
            key=self._key("centres"),
            on_success=self._centres_loaded,
            on_failure=self._list_failed,
        )

    def _list_failed(self, exc: BaseException) -> None:
        self._failed("list", exc, "未能读取中心列表：")

    def _centres_loaded(self, result: tuple[RuleSettings, list[committees.CommitteeCentre]]) -> None:
        settings, centres = result
        if self.settings is None:
            self.settings = settings
        self._loaded = True
        keep = self._wanted if self._wanted is not None else self.center_id
        self._switching = True
        self.centre_box.clear()
        for c in centres:
            self.centre_box.addItem(f"{c.name}（{c.recognized_on.isoformat()} 认定）", c.id)
        widen_popup(self.centre_box)
        pos = self.centre_box.findData(keep) if keep is not None else -1
        self.centre_box.setCurrentIndex(pos if pos >= 0 else (0 if centres else -1))
        self._switching = False
        if not centres:
            self.show_message(
                "还没有已认定的中心。中心认定后，可在此维护其中心主任、管理委员会和专家指导委员会。", ok=True
            )
        elif pos < 0 or self.center_id != keep:
            self.open_centre(int(self.centre_box.currentData()))
        self._end("list")

    def open_people_registry(self) -> PeopleRegistryDialog | None:
        """The 人员库; after it closes the open centre is read again (a merge may have changed it)."""
        if self.is_dirty() and not self.confirm_discard():
            return None
        dialog = PeopleRegistryDialog(self.ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(self._people_registry_closed)
        dialog.open()
        return dialog

    def _people_registry_closed(self, _result: int) -> None:
        if self.center_id is not None and not self._blocked():
            self.open_centre(self.center_id)

    def select_centre(self, center_id: int) -> None:
        pos = self.centre_box.findData(center_id)
        if pos >= 0:
            self.centre_box.setCurrentIndex(pos)

    def _centre_chosen(self, _pos: int) -> None:
        if self._switching or self.centre_box.currentData() is None:
            return
        cid = int(self.centre_box.currentData())
        if cid == (self._wanted if self._wanted is not None else self.center_id):
            return
        if not self.is_dirty():
            self.open_centre(cid)
            return
        target = self.centre_box.currentText()
        self._show_centre_in_box(self.center_id)  # stays on the open centre until it may leave
        what = self.unsaved_changes() or "委员会记录"
        answer = self.ask_leave_centre([what], f"切换到“{target}”前要保存这些修改吗？")
        if answer is Answer.DISCARD:
            self._show_centre_in_box(cid)
            self.open_centre(cid)
        elif answer is Answer.SAVE and self.save():
            # the save runs on the write thread: the other centre opens once it is stored
            def saved(ok: bool) -> None:
                self.save_finished.disconnect(saved)
                if ok and not self.is_dirty():
                    self._show_centre_in_box(cid)
                    self.open_centre(cid)

            self.save_finished.connect(saved)

    def _show_centre_in_box(self, center_id: int | None) -> None:
        self._switching = True
        self.centre_box.setCurrentIndex(self.centre_box.findData(center_id))
        self._switching = False

    def _ask_leave_centre(self, what: list[str], question: str) -> Answer:
        box = unsaved_question(self, what, question)
        self.question_box = box  # tests answer it with the keyboard
        box.exec()
        return answer_of(box)

    def open_centre(self, center_id: int) -> None:
        """Read the centre's record and the organization choices; the editors show it when it arrives."""
        ctx = self.ctx
        self._wanted = center_id

        def fetch() -> tuple[Committees, list[committees.OrganizationChoice], int]:
            version = committees.roster_version(ctx, center_id=center_id)  # read first: never newer
            value = committees.load_committees(ctx, center_id=center_id)
            return value, committees.organization_choices(ctx), version

        self._begin("load", "正在读取委员会记录…")
        ops.query_op(
            fetch,
            parent=self,
            key=self._key("centre"),
            on_success=lambda result: self._centre_loaded(center_id, *result),
            on_failure=self._load_failed,
        )

    def _centre_loaded(
        self, center_id: int, value: Committees, orgs: list[committees.OrganizationChoice], version: int
    ) -> None:
        self._wanted = None
        self.center_id = center_id
        self.roster_version = version
        self._saved_value = value
        if self.doc is None:
            from lzcenter_desktop.domain.settings import DEFAULT_SETTINGS

            self.doc = CommitteeDocument(
                value, settings=self.settings or DEFAULT_SETTINGS, as_of=self.as_of, parent=self
            )
            self._build_editors(orgs)
        else:
            self._set_organizations(orgs)
            self.doc.reset(value)
        self.show_message("")
        self._end("load")

    def _load_failed(self, exc: BaseException) -> None:
        self._wanted = None
        # the list goes back to the centre whose record is shown
        pos = self.centre_box.findData(self.center_id) if self.center_id is not None else -1
        if pos >= 0:
            self._switching = True
            self.centre_box.setCurrentIndex(pos)
            self._switching = False
        self._failed("load", exc, "未能读取委员会记录：")

    def _data_changed(self, kinds: frozenset[str]) -> None:
        """Records changed (here or on another page): follow them."""
        if not self._loaded:
            return  # not read yet: the first visit reads everything anyway
        if "centers" in kinds:
            self.reload_centres(quiet=True)  # a newly recognised centre appears; the open one stays
        if kinds & {"people", "organizations"}:
            self._refresh_open_centre()

    def _refresh_open_centre(self) -> None:
        """Read the open centre again, unless the clerk has unsaved edits or a read or write runs."""
        cid = self.center_id
        if cid is None or self.doc is None or self.is_dirty() or self._busy:
            return
        ctx = self.ctx

        def fetch() -> tuple[Committees, list[committees.OrganizationChoice], int]:
            version = committees.roster_version(ctx, center_id=cid)
            return (
                committees.load_committees(ctx, center_id=cid),
                committees.organization_choices(ctx),
                version,
            )

        def arrived(result: tuple[Committees, list[committees.OrganizationChoice], int]) -> None:
            value, orgs, version = result
            if cid != self.center_id or self.doc is None or self.is_dirty() or self._blocked():
                return  # the clerk began editing (or moved on) meanwhile: their work wins
            self.roster_version = version
            self._set_organizations(orgs)
            self._saved_value = value
            if value != self.doc.value:
                self.doc.reset(value)

        def failed(exc: BaseException) -> None:
            text = error_text(exc)
            if text is None:
                report_exception(exc, self)
            else:
                self.show_message(f"未能重新读取委员会记录：{text}", ok=False)

        ops.query_op(fetch, parent=self, key=self._key("centre"), on_success=arrived, on_failure=failed)

    def _set_organizations(self, orgs: list[committees.OrganizationChoice]) -> None:
        if self.experts is not None:
            self.experts.set_organizations(orgs)
        for editor in (self.directors, self.management):
            if editor is not None:
                editor.orgs = list(orgs)

    def _build_editors(self, orgs: list[committees.OrganizationChoice]) -> None:
        assert self.doc is not None
        doc = self.doc
        self.directors = DirectorEditor(doc, orgs, self)
        self.management = ManagementEditor(doc, orgs, self)
        self.experts = ExpertCommitteeEditor(doc, orgs, self)
        self.meetings = MeetingsEditor(doc, self)
        experts, management = self.experts, self.management
        experts.confirm_unit = lambda unit, of, yes: self.confirm_unit(unit, of, yes, asked_by=experts)
        management.confirm_unit = lambda unit, of, yes: self.confirm_unit(unit, of, yes, asked_by=management)
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
        box = confirm(
            self,
            "放弃修改",
            "当前中心有未保存的修改，继续后这些修改将丢失。",
            informative="是否放弃这些修改？（要保留，请按“取消”，填写修改原因后保存）",
            yes="放弃修改(&D)",
        )
        self.question_box = box  # tests answer it with the keyboard
        box.exec()
        return box.clickedButton() is box.yes  # type: ignore[attr-defined]

    def _ask_save_with_errors(self, errors: list[Violation]) -> bool:
        box = errors_box(self, errors)
        self.question_box = box
        box.exec()
        return box.clickedButton() is box.yes  # type: ignore[attr-defined]

    def show_message(self, text: str, *, ok: bool = True, busy: bool = False) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))
        self.message.setProperty("busy", busy)
        color = BUSY_FG if busy else (OK_FG if ok else BAD_FG)
        self.message.setStyleSheet(f"color: {color.name()};")

    # -------------------------------------------------------------- units likely part of the host

    def confirm_unit(
        self, unit: str, of: str, belongs: bool, *, asked_by: QWidget | None = None
    ) -> str | None:
        """The clerk's answer on a member's unit, saved in the organization registry (audited; not part
        of the unsaved edits, not undone); the rules then follow it. The write runs on the write thread:
        a refusal arrives later on the asking editor's question bar. Returns a Chinese error when the
        answer cannot even be sent, else None."""
        if self.doc is None or self.center_id is None:
            return "请先选择中心"
        if "confirm" in self._busy:
            return "正在记录上一个回答，请稍候再试"
        ctx, center_id = self.ctx, self.center_id
        bar = getattr(asked_by, "unit_bar", None)
        if bar is not None:
            bar.yes.setEnabled(False)
            bar.no.setEnabled(False)
        self._begin("confirm", f"正在把“{unit}”的归属记入单位库…")

        def done(answers: tuple[UnitConfirmation, ...]) -> None:
            if center_id == self.center_id and self.doc is not None:
                if self._saved_value is not None:
                    self._saved_value = replace(self._saved_value, unit_confirmations=answers)
                self.doc.set_unit_confirmations(answers)
            verdict = "属于" if belongs else "不属于"
            self.show_message(f"已记入单位库：“{unit}”{verdict}“{of}”（已记入审计日志）。")
            self._end("confirm")

        def failed(exc: BaseException) -> None:
            text = self._failed("confirm", exc, "未记录：")
            refresh = getattr(asked_by, "_show_unit_question", None)
            if refresh is not None:
                refresh()  # the buttons as they were
            if bar is not None:
                bar.show_error(f"未记录：{text}")

        ops.write_op(
            lambda: committees.confirm_member_unit(
                ctx, center_id=center_id, unit_name=unit, of=of, belongs=belongs
            ),
            parent=self,
            kinds={"committees", "organizations"},
            on_success=done,
            on_failure=failed,
        )
        return None

    # -------------------------------------------------------------- saving

    def commit_pending_edits(self) -> str | None:
        """Take what the clerk typed but has not confirmed yet — a cell editor still open, a date
        still being typed (Ctrl+S pressed inside it) — into the record. Returns the Chinese reason
        (naming the field) when a typed date cannot be read; the field keeps its red mark."""
        if self.doc is None or self._blocked():
            return None
        for view in self.findChildren(QAbstractItemView):
            if view.state() == QAbstractItemView.State.EditingState:
                editor = view.indexWidget(view.currentIndex())
                if editor is not None:
                    view.commitData(editor)
                    view.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
        for edit in self.findChildren(DateEdit):
            typed = edit.property("record_field") and edit.isEnabled() and pending_text(edit)
            if typed and not edit.commit():
                return f"{edit.accessibleName()}：{edit.error_text()}"
        return None

    def save(self) -> bool:
        """Start saving the edited record with the reason typed; False (with the reason shown) when it
        cannot start. A record that still has errors is saved only when the clerk says so (保存 /
        取消, the errors listed); warnings do not ask. The outcome arrives later: the message,
        ``save_finished`` and ``last_save_ok``."""
        if self.doc is None or self.center_id is None or self._blocked():
            return False
        pending = self.commit_pending_edits()
        if pending is not None:
            self.show_message(f"未保存：{pending}", ok=False)
            return False
        reason = self.reason.text().strip()
        if not reason:
            self.show_message("修改原因：请填写本次修改的原因后再保存", ok=False)
            self.reason.setFocus()
            return False
        errors = [v for v in self.doc.violations if v.severity is Severity.ERROR]
        if errors and not self.confirm_errors(errors):
            self.show_message(
                f"未保存：记录中仍有 {len(errors)} 项错误，已按“取消”；改正后再保存，或再次保存并选择“保存”",
                ok=False,
            )
            return False
        ctx, center_id, value, expected = self.ctx, self.center_id, self.doc.value, self.roster_version

        def work() -> tuple[Committees, int]:
            committees.save_committees(
                ctx, center_id=center_id, committees=value, reason=reason, expected_version=expected
            )
            version = committees.roster_version(ctx, center_id=center_id)
            return committees.load_committees(ctx, center_id=center_id), version

        def done(result: tuple[Committees, int]) -> None:
            stored, version = result
            self.last_save_ok = True
            if center_id == self.center_id and self.doc is not None:
                self._saved_value = stored
                self.roster_version = version
                self.doc.reset(stored)
            self.reason.clear()
            # a first day in office (届中增补) the database could not keep is named, not lost silently
            kept = committee_edits.join_dates(stored)
            lost = [d for d in committee_edits.join_dates(value) if d not in kept]
            note = (
                f"注意：届中增补委员的任职起始日期（{'；'.join(lost)}）未能存入数据库，重新读取后这些委员"
                "按届初计入会议出席，请另行记录。"
                if lost
                else ""
            )
            self.show_message(f"已保存（原因：{reason}），修改已记入审计日志。{note}", ok=not lost)
            self._end("save")
            self.save_finished.emit(True)

        def failed(exc: BaseException) -> None:
            self.last_save_ok = False
            self._failed("save", exc, "未保存：")
            offer_reload(  # saved by someone else meanwhile: 重新载入 / 比较 / 取消 (else nothing)
                self,
                exc,
                mine=roster_fields(value),
                fetch_theirs=lambda: roster_fields(committees.load_committees(ctx, center_id=center_id)),
                on_reload=lambda: self.open_centre(center_id),
            )
            self.save_finished.emit(False)

        self.last_save_ok = None
        self._begin("save", f"正在保存（原因：{reason}）…")
        self._save_task = ops.write_op(
            work, parent=self, kinds={"committees", "people"}, on_success=done, on_failure=failed
        )
        return True

    def _finish_now(self, task: Task[Any]) -> bool:
        """Block until ``task`` (a write) ran and its answer reached the page; for closing the window."""
        if not ops.wait_for_writes() or not task.wait(0):
            return False
        QCoreApplication.sendPostedEvents(task, 0)  # its queued answer, now
        return task.is_finished

    # -------------------------------------------------------------- files (ui/committees/files.py)

    def import_file(self, path: Path) -> bool:
        """Start importing a committees JSON file into the open centre; False when it cannot start."""
        return self.files.import_file(path)

    def export_json(self, path: Path) -> bool:
        """Start writing the saved record to ``path``; False when it cannot start (unsaved edits)."""
        return self.files.export_json(path)

    def export_roster(self, path: Path, kind: str) -> bool:
        """Start writing the roster shown (unsaved edits included) as Excel or PDF to ``path``."""
        return self.files.export_roster(path, kind)

    # -- Page ------------------------------------------------------------------------------------
    def on_shown(self, first: bool) -> None:
        if first or not self._loaded:
            self.reload_centres()

    def status_text(self) -> str:
        busy = list(self._busy.values())
        return f"委员会：{busy[-1]}" if busy else ""

    def unsaved_changes(self) -> str | None:
        # Ctrl+S (文件→保存) and closing the window ask here first: a date still being typed or a
        # cell still open counts — it is taken into the record now, or (not a date) named on save
        pending = self.commit_pending_edits()
        if not self.is_dirty() and pending is None:
            return None
        return f"委员会：{self.centre_box.currentText() or '当前中心'}的委员会记录"

    def save_changes(self) -> bool:
        """Save before the window closes: waits for the write (the window is closing) and tells
        truthfully whether the record was written."""
        running = self._save_task
        if running is not None and not running.is_finished:
            self._finish_now(running)  # the clerk pressed 保存 just before closing
            if not self.is_dirty():
                return bool(self.last_save_ok)
        pending = self.commit_pending_edits()  # what was typed last (Ctrl+S inside a date field)
        if pending is not None:
            self.show_message(f"未保存：{pending}", ok=False)
            return False
        if not self.is_dirty():
            return True
        if not self.save():
            return False
        assert self._save_task is not None
        if not self._finish_now(self._save_task):
            self.show_message("未保存：保存仍未完成，请稍候再关闭窗口", ok=False)
            return False
        return bool(self.last_save_ok) and not self.is_dirty()

    def discard_changes(self) -> None:
        if self.doc is not None and self._saved_value is not None:
            self.doc.reset(self._saved_value)  # the stored record again (no database call)
