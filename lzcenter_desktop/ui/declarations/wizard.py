"""The declaration wizard, generated from the form definition of the call year.

One page per section of ``forms/declaration-<year>.toml`` (a section with neither fields nor tables is
the 检查与提交 page); one editor per field by its type; one grid per table. As the clerk types, the
rule engine runs on the draft and each violation appears beside its field or on its cell, with the
article and the numbers; each page lists its own, the last page lists all.

A new declaration does not open as a wall of red: a required field left blank is flagged once the
clerk has visited it (left it, or typed in it), on the 检查与提交 page and on 提交 — the 检查与提交
page shows everything, and reaching it shows everything on the other pages too. No message carries an
internal code (:func:`~lzcenter_desktop.ui.declarations.editors.violation_text`).

No database call is made on the UI thread (issue 11 item 1): what the wizard shows is read on a
worker (:func:`load_wizard_data`, or :func:`load_new_wizard_data` for a new declaration, which makes
no database row: the first real value typed does, see :mod:`.wizard_autosave`), and every write goes
through :func:`~lzcenter_desktop.ui.ops.write_op`, in order, on the one write thread. When a rule set
is saved (``data_changed`` with ``rulesets``) the wizard checks again with the new parameters.

The wizard is split by responsibility: :mod:`.wizard_pages` (a section's page), :mod:`.wizard_review`
(检查与提交), :mod:`.wizard_attachments`, :mod:`.wizard_cells` (typed dates in the grids),
:mod:`.wizard_autosave` (saving, closing), :mod:`.wizard_files` (Excel, PDF) and :mod:`.wizard_keys`
(buttons and keys).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QInputDialog, QWidget, QWizard

from lzcenter_desktop.domain.formdef import FormDef, get_path
from lzcenter_desktop.domain.settings import RuleSettings
from lzcenter_desktop.domain.violations import Severity, Violation
from lzcenter_desktop.services import attachments as att
from lzcenter_desktop.services import declarations as decl
from lzcenter_desktop.services import rulesets
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.declarations.drafts import is_blank_document
from lzcenter_desktop.services.errors import EnvironmentProblem, ServiceError
from lzcenter_desktop.ui import ops, style
from lzcenter_desktop.ui.declarations.editors import FieldEditor
from lzcenter_desktop.ui.declarations.flags import path_label, place
from lzcenter_desktop.ui.declarations.table import TableEditor
from lzcenter_desktop.ui.declarations.wizard_attachments import AttachmentsPanel, pdf_first_page
from lzcenter_desktop.ui.declarations.wizard_autosave import (
    RETRY_DELAY_MS,
    SAVE_DELAY_MS,
    SAVED,
    SAVING,
    Records,
    Stored,
)
from lzcenter_desktop.ui.declarations.wizard_files import FileChooser
from lzcenter_desktop.ui.declarations.wizard_keys import NavigationMixin
from lzcenter_desktop.ui.declarations.wizard_pages import SectionPage, section_totals
from lzcenter_desktop.ui.declarations.wizard_review import ReviewPage
from lzcenter_desktop.ui.tasks import Task

__all__ = [
    "RETRY_DELAY_MS",
    "SAVED",
    "SAVE_DELAY_MS",
    "SAVING",
    "AttachmentsPanel",
    "DeclarationWizard",
    "FileChooser",
    "ReviewPage",
    "SectionPage",
    "WizardData",
    "ask_call_year",
    "load_new_wizard_data",
    "load_wizard_data",
    "pdf_first_page",
]


@dataclass(frozen=True)
class WizardData:
    """Everything the wizard shows of a declaration, read in one go on a worker thread. ``view`` is
    None for a new declaration, not stored yet."""

    view: decl.DeclarationView | None
    form: FormDef
    settings: RuleSettings
    acks: dict[str, str]
    attachments: list[att.AttachmentView]
    duplicates: list[Violation]
    revocation: decl.RecordedRevocation | None
    call_year: int = 0

    @property
    def year(self) -> int:
        return self.view.call_year if self.view is not None else self.call_year

    @property
    def document(self) -> dict[str, Any]:
        return self.view.data if self.view is not None else decl.empty_document(self.call_year)


def records_check(ctx: AppContext, declaration_id: int, document: dict[str, Any]) -> Records | None:
    """What the records say about this host: the same host twice in a call, a revoked centre
    (None when they could not be read: the wizard keeps what it knew)."""
    try:
        return (
            decl.duplicate_violations(ctx, declaration_id=declaration_id, document=document),
            decl.recorded_revocation(ctx, document=document),
        )
    except (ServiceError, EnvironmentProblem):
        return None


def load_wizard_data(ctx: AppContext, declaration_id: int) -> WizardData:
    """Read what :class:`DeclarationWizard` needs (call it on a worker thread)."""
    view = decl.get_declaration(ctx, declaration_id)
    records = records_check(ctx, declaration_id, view.data)
    duplicates, revocation = records if records is not None else ([], None)
    return WizardData(
        view=view,
        form=decl.load_declaration_form(view.call_year),
        settings=rulesets.settings_for_year(ctx, view.call_year),
        acks=decl.list_acknowledgements(ctx, declaration_id=declaration_id),
        attachments=att.list_attachments(ctx, declaration_id=declaration_id),
        duplicates=duplicates,
        revocation=revocation,
    )


def load_new_wizard_data(ctx: AppContext, call_year: int) -> WizardData:
    """Read what the wizard of a new declaration of ``call_year`` needs, writing nothing (call it on a
    worker thread): the draft is stored once the clerk types its first real value."""
    year = decl.check_call_year(call_year)
    return WizardData(
        view=None,
        form=decl.load_declaration_form(year),
        settings=rulesets.settings_for_year(ctx, year),
        acks={},
        attachments=[],
        duplicates=[],
        revocation=None,
        call_year=year,
    )


class DeclarationWizard(NavigationMixin, QWizard):
    """The wizard over one declaration (draft). ``saved`` is emitted after each save, ``created``
    once a new declaration is stored (its id), ``submitted_ok`` after a successful submission.

    ``declaration_id`` None with ``data`` from :func:`load_new_wizard_data` is a new declaration.
    ``data`` is what the 申报 page read on a worker thread; without it the constructor reads it
    itself, on the calling thread — for scripts and tests (``call_year`` for a new declaration)."""

    saved = Signal()
    created = Signal(int)
    submitted_ok = Signal(int)

    def __init__(
        self,
        ctx: AppContext,
        declaration_id: int | None,
        parent: QWidget | None = None,
        *,
        save_delay_ms: int = SAVE_DELAY_MS,
        data: WizardData | None = None,
        call_year: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        if data is None:
            if declaration_id is not None:
                data = load_wizard_data(ctx, declaration_id)
            else:
                data = load_new_wizard_data(ctx, call_year if call_year is not None else 0)
        self._stored = Stored(declaration_id, data.view.version if data.view is not None else None)
        self.call_year = data.year
        self.document: dict[str, Any] = copy.deepcopy(data.document)
        self.submitted = data.view is not None and data.view.status != "draft"
        self.submitting = False  # a submission is on its way to the write thread
        self.form: FormDef = data.form
        self.settings = data.settings
        self.acks: dict[str, str] = dict(data.acks)
        self.violations: list[Violation] = []
        self._duplicates: list[Violation] = list(data.duplicates)
        self._revocation: decl.RecordedRevocation | None = data.revocation  # D25 from the bureau's records
        self.choose_open_file: FileChooser = self._open_dialog
        self.choose_save_file: FileChooser = self._save_dialog
        # asked when the wizard closes with a change that could not be saved: close anyway?
        self.confirm_discard: Callable[[str], bool] = self._ask_discard
        self._discard_agreed = False
        self._announced = declaration_id is not None  # a new declaration says so once it is stored
        self._row_requested = declaration_id is not None
        # A new (blank) declaration shows a required-field error once its field was visited
        # (:meth:`mark_visited`), on 检查与提交 and on 提交 (:meth:`reveal_all`).
        self._quiet = not self.submitted and is_blank_document(self.document)
        self._visited: set[str] = set()
        self._table_keys = {t.key for t in self.form.all_tables()}
        self.setWindowTitle(self.window_title())
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.HaveCustomButton1, True)
        self.setOption(QWizard.WizardOption.HaveCustomButton2, True)
        self.setOption(QWizard.WizardOption.HaveCustomButton3, True)
        self.setOption(QWizard.WizardOption.NoCancelButton, True)
        self.setOption(QWizard.WizardOption.HaveFinishButtonOnEarlyPages, True)
        self.customButtonClicked.connect(self._custom_button)
        self.resize(1000, 720)

        data_sections = [s for s in self.form.sections if s.fields or s.tables]
        self.attachments_section = data_sections[-1].id if data_sections else ""
        self.section_pages: list[SectionPage] = []
        self.review_page: ReviewPage | None = None
        for section in self.form.sections:
            if section.fields or section.tables:
                page = SectionPage(self, section)
                page.setFinalPage(True)  # 关闭 works on every page: everything is already saved
                self.section_pages.append(page)
                self.addPage(page)
            else:
                self.review_page = ReviewPage(self, section)
                self.addPage(self.review_page)
        self.save_status = ""
        # Autosave bookkeeping: every edit makes a new generation of the document; a save carries
        # the generation it wrote (see Stored). Unsaved: an edit newer than what is stored.
        self._edits = 0  # generation of the document on screen
        self._sent = 0  # newest generation handed to the write thread (and not failed)
        self._saving: Task[Any] | None = None  # the newest save on its way
        self._last_linked = self._linked_values()
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(save_delay_ms)
        self._save_timer.timeout.connect(self._autosave)
        self._retry_timer = QTimer(self)
        self._retry_timer.setSingleShot(True)
        self._retry_timer.setInterval(RETRY_DELAY_MS)
        self._retry_timer.timeout.connect(self._autosave)
        self.setup_keys()
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.commit_pending)
        if isinstance(app, QGuiApplication):
            app.applicationStateChanged.connect(self._application_state_changed)
        ops.hub().data_changed.connect(self._data_changed)
        self._loading = True
        for page in self.section_pages:
            page.load(self.document)
            if page.attachments is not None:
                page.attachments.show_views(data.attachments)
        self._loading = False
        self.recheck()
        if self.submitted:
            self._lock()

    def window_title(self) -> str:
        did = self.declaration_id
        which = f"第 {did} 号" if did is not None else "新申报书，尚未保存"
        return f"{self.form.title}（{self.call_year} 年度，{which}）"

    def _lock(self) -> None:
        """A submitted declaration is read-only (the services refuse changes too)."""
        for page in self.section_pages:
            page.setEnabled(False)
        self.button(QWizard.WizardButton.CustomButton1).setEnabled(False)

    # -- pages and widgets (also what the tests reach for) ----------------------------------------

    def page_for(self, section_id: str) -> SectionPage:
        for page in self.section_pages:
            if page.section.id == section_id:
                return page
        raise KeyError(section_id)

    def editor(self, key: str) -> FieldEditor:
        for page in self.section_pages:
            if key in page.editors:
                return page.editors[key]
        raise KeyError(key)

    def table_editor(self, key: str) -> TableEditor:
        for page in self.section_pages:
            if key in page.tables:
                return page.tables[key]
        raise KeyError(key)

    # -- edits ------------------------------------------------------------------------------------

    def field_changed(self, key: str, value: Any) -> None:
        if self._loading or self.submitted:
            return
        self._visited.add(key)
        decl.set_path(self.document, key, value)
        self._normalise_cto()
        self._edits += 1
        self.recheck()
        if self.save_status != SAVING:
            self._show_status(SAVING)
        self._save_timer.start()

    def _normalise_cto(self) -> None:
        host = self.document.get("host")
        if isinstance(host, dict) and isinstance(host.get("cto"), dict):
            cto = host["cto"]
            if all(v in (None, "") for v in cto.values()):
                host["cto"] = None

    # -- what is shown ----------------------------------------------------------------------------

    def mark_visited(self, key: str) -> None:
        """The clerk left the field or grid ``key``: its required-field flags show from now on."""
        if key in self._visited:
            return
        self._visited.add(key)
        if self._quiet:
            self.recheck()

    def reveal_all(self) -> None:
        """Show every flag on every page (检查与提交 reached, or 提交 pressed)."""
        if self._quiet:
            self._quiet = False
            self.recheck()

    def _shown(self, key: str, v: Violation) -> bool:
        """Whether violation ``v`` of field or grid ``key`` is shown now (see :meth:`mark_visited`)."""
        if not self._quiet or key in self._visited:
            return True
        if v.rule == decl.FORM_RULE:
            return False
        # a complaint that a grid the clerk has not reached is still empty is "fill it in" too
        return not (v.path == key and key in self._table_keys and not get_path(self.document, key))

    def recheck(self) -> None:
        """Check the document on screen (the rule engine alone: no database, about 1 ms)."""
        self.violations = decl.check_document(
            self.document, form=self.form, settings=self.settings, revocation=self._revocation
        )
        self.violations += self._duplicates
        placement = place(self.form, self.violations, self._shown)
        for page in self.section_pages:
            page.show_flags(placement, section_totals(page.section, self.document, self))
        if self.review_page is not None:
            self.review_page.show_all(self.violations, self.acks, self.submitted)

    def _data_changed(self, kinds: frozenset[str]) -> None:
        """A rule set was saved (on the 设置 page): check again with the parameters now in force."""
        if "rulesets" not in kinds:
            return
        ctx, year = self.ctx, self.call_year
        ops.query_op(
            lambda: rulesets.settings_for_year(ctx, year),
            parent=self,
            key=f"wizard-settings:{id(self)}",
            on_success=self._settings_arrived,
        )

    def _settings_arrived(self, settings: RuleSettings) -> None:
        if settings == self.settings:
            return
        self.settings = settings
        industries = tuple((k, k) for k in settings.key_industries)
        for page in self.section_pages:
            for editor in page.editors.values():
                if editor.fd.type == "multi_enum":
                    editor.set_choices(industries, get_path(self.document, editor.fd.key))
        self.recheck()
        self._show_status(f"{self.call_year} 年度规则参数已更新，已按新参数重新检查")

    # -- submission ------------------------------------------------------------------------------

    def _blocking(self) -> str:
        """Why the declaration on screen cannot be submitted yet (Chinese), "" when it can."""
        errors = [v for v in self.violations if v.is_error]
        if errors:
            first = errors[0]
            return (
                f"还有 {len(errors)} 项错误，改正后才能提交（已在各页标出）。"
                f"第一项：{path_label(self.form, first.path)}：{first.message}"
            )
        open_ones = [
            v
            for v in self.violations
            if v.severity is Severity.WARNING and not self.acks.get(decl.violation_key(v), "").strip()
        ]
        if open_ones:
            first = open_ones[0]
            return (
                f"还有 {len(open_ones)} 条警告未填写确认理由。"
                f"第一条：{path_label(self.form, first.path)}：{first.message}"
            )
        return ""

    def submit(self) -> Task[dict[str, Any]] | None:
        """Save the document on screen and submit it (one task on the write thread); the pages are
        locked once it is stored. Every flag is shown first; None when there is nothing to submit
        or something blocks it (the review page says what)."""
        if self.submitted or self.submitting:
            return None
        self._take_typing()
        self.reveal_all()
        blocking = self._blocking()
        if blocking:
            if self.review_page is not None:
                self.review_page.status.setText(blocking)
                self.review_page.status.setStyleSheet(style.ERROR_STYLE)
            self._show_status(blocking, error=True)
            return None
        self._save_timer.stop()
        self._retry_timer.stop()
        generation = self._edits
        snapshot = copy.deepcopy(self.document)
        acks = dict(self.acks)
        ctx, stored, row = self.ctx, self._stored, self.row_getter()
        self._sent = max(self._sent, generation)

        def work() -> dict[str, Any]:
            did = row()
            expected = stored.version
            stored.set_version(
                decl.save_draft(ctx, declaration_id=did, data=snapshot, expected_version=expected)
            )
            stored.saved(generation)
            decl.submit_declaration(ctx, declaration_id=did, acknowledgements=acks)
            return decl.get_declaration(ctx, did).data

        self.submitting = True
        if self.review_page is not None:
            self.review_page.update_state()
            self.review_page.status.setText("正在提交…")
            self.review_page.status.setStyleSheet("")
        return ops.write_op(
            work,
            parent=self,
            kinds={"declarations", "centers", "organizations"},
            on_success=self._submit_done,
            on_failure=self._submit_failed,
        )

    def _submit_done(self, data: dict[str, Any]) -> None:
        self.submitting = False
        self.submitted = True
        self._saving = None
        self.row_known()
        self.document = copy.deepcopy(data)
        self._lock()
        self.recheck()
        if self.review_page is not None:
            self.review_page.status.setText("申报书已提交；警告的确认理由已记入中心的状态记录。")
            self.review_page.status.setStyleSheet(style.WARNING_STYLE if self._warnings() else style.OK_STYLE)
        did = self.declaration_id
        assert did is not None
        self.submitted_ok.emit(did)

    def _submit_failed(self, exc: BaseException) -> None:
        self.submitting = False
        self._sent = self._stored.generation
        if not isinstance(exc, ServiceError | EnvironmentProblem):
            from lzcenter_desktop.ui.dialogs.errors import report_exception

            report_exception(exc, self)
        if self.review_page is not None:
            self.review_page.update_state()
            self.review_page.status.setText(str(exc))
            self.review_page.status.setStyleSheet(style.ERROR_STYLE)
        self.offer_stale_reload(exc)

    def _warnings(self) -> list[Violation]:
        return [v for v in self.violations if v.severity is Severity.WARNING]


def ask_call_year(parent: QWidget, default: int, title: str = "新建申报书") -> int | None:
    year, ok = QInputDialog.getInt(parent, title, "申报年度：", default, 2000, 2100)
    return year if ok else None
