"""The main window: navigation on the left, one page per section on the right, counts in the status bar.

Keyboard (clerks live in Excel): Ctrl+0…Ctrl+9 or Alt+0…Alt+9 switch sections (0 is 概览), Ctrl+F
jumps to the 中心 filter, Enter opens the selected centre, Esc clears the filter.

Nothing is lost by leaving: switching to another section while the current page reports unsaved
changes, or closing the window while any page does, asks 保存 / 不保存 / 取消 naming what is
unsaved (:meth:`MainWindow.ask_about_unsaved`). 取消 stays where the clerk was.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from lzcenter_desktop import APP_NAME
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.ui.dialogs.unsaved import (
    Answer,
    answer_of,
    unsaved_question,
)
from lzcenter_desktop.ui.elided_label import ElidedLabel
from lzcenter_desktop.ui.pages.base import Page, PageSpec
from lzcenter_desktop.ui.widgets.network_note import network_drive_note

# (section, what it will do) for the sections not built in this version.
PLANNED_SECTIONS: dict[str, str] = {
    "评审": (
        "组织专家评审和现场考察打分：按第十条（三）各占50%计算总分，处理专家回避，"
        "形成拟认定名单并登记公示结果。"
    ),
    "年报": "登记各中心每年报送的《柳州市工程技术研究中心工作年报》，按第二十一条检查报送期限。",
    "绩效评估": (
        "按第二十二条至第二十四条组织绩效评估：录入评估得分，确定优秀、合格、整改、不合格等次，跟踪整改。"
    ),
}


# Each factory imports its page only when the page is first shown: start-up loads what the first
# screen needs and nothing else (the wizard, documents, committees and their libraries come later).
def _dashboard(ctx: AppContext) -> Page:
    from lzcenter_desktop.ui.dashboard.page import DashboardPage

    return DashboardPage(ctx)


def _centers(ctx: AppContext) -> Page:
    from lzcenter_desktop.ui.pages.centers import CentersPage

    return CentersPage(ctx)


def _declarations(ctx: AppContext) -> Page:
    from lzcenter_desktop.ui.declarations.page import DeclarationsPage

    return DeclarationsPage(ctx)


def _review(ctx: AppContext) -> Page:
    from lzcenter_desktop.ui.review.page import ReviewPage

    return ReviewPage(ctx)


def _evaluation(ctx: AppContext) -> Page:
    from lzcenter_desktop.ui.evaluation.page import EvaluationPage

    return EvaluationPage(ctx)


def _annual(ctx: AppContext) -> Page:
    from lzcenter_desktop.ui.annual.page import AnnualPage

    return AnnualPage(ctx)


def _committees(ctx: AppContext) -> Page:
    from lzcenter_desktop.ui.committees.page import CommitteesPage

    return CommitteesPage(ctx)


def _documents(ctx: AppContext) -> Page:
    from lzcenter_desktop.ui.documents.page import DocumentsPage

    return DocumentsPage(ctx)


def _rules(ctx: AppContext) -> Page:
    from lzcenter_desktop.ui.pages.rules import RulesPage

    return RulesPage(ctx)


def _settings(ctx: AppContext) -> Page:
    from lzcenter_desktop.ui.pages.settings import SettingsPage

    return SettingsPage(ctx)


def _planned(section: str) -> Callable[[AppContext], Page]:
    def make(_ctx: AppContext) -> Page:
        from lzcenter_desktop.ui.pages.placeholder import PlaceholderPage

        return PlaceholderPage(section, PLANNED_SECTIONS[section])

    return make


# 概览 comes first and takes Ctrl+0 / Alt+0: the other sections keep the numbers clerks know.
PAGES: tuple[PageSpec, ...] = (
    PageSpec("概览", _dashboard, 0),
    PageSpec("中心", _centers, 1),
    PageSpec("申报", _declarations, 2),
    PageSpec("评审", _review, 3),
    PageSpec("委员会", _committees, 4),
    PageSpec("年报", _annual, 5),
    PageSpec("绩效评估", _evaluation, 6),
    PageSpec("文档", _documents, 7),
    PageSpec("规则", _rules, 8),
    PageSpec("设置", _settings, 9),
)
SECTIONS: tuple[str, ...] = tuple(spec.title for spec in PAGES)


def database_label(ctx: AppContext) -> str:
    """The database as shown in the title bar: the file name, or the URL without its password."""
    from lzcenter_desktop.services.schema_upgrade import database_name

    return database_name(ctx.db)


TITLE_BAR = 40  # px the window manager's title bar takes above the window's own area
DEFAULT_SIZE = (1280, 800)
MIN_HEIGHT = 480


def focus_first_field(page: QWidget) -> None:
    """Give the keyboard to the first widget of ``page`` that takes it by Tab (in Tab order)."""
    widget = page.nextInFocusChain()
    while widget is not None and widget is not page:
        policy = widget.focusPolicy()
        if (
            page.isAncestorOf(widget)
            and widget.isVisible()
            and widget.isEnabled()
            and policy & Qt.FocusPolicy.TabFocus == Qt.FocusPolicy.TabFocus
        ):
            widget.setFocus(Qt.FocusReason.ShortcutFocusReason)
            return
        widget = widget.nextInFocusChain()


def window_size(free_width: int, free_height: int) -> tuple[int, int]:
    """The main window's first size: 1280×800, or less where the screen's free area (without the
    taskbar) is smaller — on a 1366×768 office screen the status bar stays on the screen. The title
    bar is allowed for."""
    width, height = DEFAULT_SIZE
    return min(width, free_width), min(height, max(free_height - TITLE_BAR, MIN_HEIGHT))


class MainWindow(QMainWindow):
    def _fit_to_screen(self) -> None:
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            self.resize(*DEFAULT_SIZE)
            return
        free = screen.availableGeometry()
        self.resize(*window_size(free.width(), free.height()))

    restored = Signal(object)  # a RestoreReport: the application reopens the database

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.restore_dialog: QWidget | None = None
        self.setWindowTitle(f"{APP_NAME} — {database_label(ctx)}")
        self._fit_to_screen()

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setIconSize(QSize(0, 0))
        self.nav.setMinimumWidth(110)
        self.nav.setMaximumWidth(180)
        self.stack = QStackedWidget()
        self.pages: dict[str, Page] = {}  # the pages built so far (each on its first visit)
        self._asking = True  # whether leaving a page with unsaved changes asks first
        self._specs = {spec.title: spec for spec in PAGES}
        for spec in PAGES:
            item = QListWidgetItem(spec.title)
            item.setToolTip(f"{spec.title}（Ctrl+{spec.number} 或 Alt+{spec.number}）")
            item.setSizeHint(QSize(100, 36))
            self.nav.addItem(item)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.nav)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([130, 1150])
        self.setCentralWidget(splitter)

        self.count_label = ElidedLabel()  # shortened with “…” beside the saved-file notice
        self.count_label.setObjectName("centerCount")
        self.statusBar().addPermanentWidget(self.count_label, 1)
        self.network_warning = network_drive_note(ctx, self)  # once, in the status bar: no modal
        if self.network_warning is not None:
            self.statusBar().addWidget(self.network_warning, 1)

        self.nav.currentRowChanged.connect(self._switch)
        for spec in PAGES:
            for modifier in ("Ctrl", "Alt"):
                shortcut = QShortcut(QKeySequence(f"{modifier}+{spec.number}"), self)
                shortcut.activated.connect(lambda title=spec.title: self.go_to_section(title))
        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.activated.connect(self.focus_center_filter)
        self._build_menus()

        self.nav.setCurrentRow(0)

    # -- menus ---------------------------------------------------------------------------------
    def _build_menus(self) -> None:
        """文件, 编辑, 视图, 帮助 — what a clerk looks for in a Windows program (Alt opens them)."""
        bar = self.menuBar()
        file_menu = bar.addMenu("文件(&F)")
        self.save_action = QAction("保存(&S)", self)
        self.save_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Save))
        self.save_action.setToolTip("保存当前页面的修改（Ctrl+S）")
        self.save_action.triggered.connect(self.save_current_page)
        file_menu.addAction(self.save_action)
        file_menu.addSeparator()
        folder = QAction("打开数据文件夹(&D)", self)
        folder.triggered.connect(self.open_data_folder)
        file_menu.addAction(folder)
        self.restore_action = QAction("恢复备份(&R)…", self)
        self.restore_action.setObjectName("restoreBackupAction")
        self.restore_action.triggered.connect(self.open_restore_dialog)
        if self.ctx.db.path is None:
            self.restore_action.setEnabled(False)
            self.restore_action.setToolTip("服务器数据库由数据库管理员备份和恢复")
        file_menu.addAction(self.restore_action)
        self.users_action = QAction("用户(&U)…", self)  # ui/dialogs/users.py (管理员 once sign-in is on)
        self.users_action.triggered.connect(lambda: self._open_dialog("users"))
        file_menu.addAction(self.users_action)
        self.approvals_action = QAction("待审批(&P)…", self)  # ui/dialogs/approvals.py (审核人)
        self.approvals_action.triggered.connect(lambda: self._open_dialog("approvals"))
        self.approvals_action.setVisible(self.ctx.user is not None)
        file_menu.addAction(self.approvals_action)
        file_menu.addSeparator()
        leave = QAction("退出(&X)", self)
        leave.setShortcut(QKeySequence("Alt+F4"))
        leave.triggered.connect(self.close)
        file_menu.addAction(leave)

        edit_menu = bar.addMenu("编辑(&E)")
        find = QAction("查找中心(&F)", self)
        find.setShortcut(QKeySequence(QKeySequence.StandardKey.Find))
        find.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)  # the window-wide Ctrl+F above acts
        find.triggered.connect(self.focus_center_filter)
        edit_menu.addAction(find)

        view_menu = bar.addMenu("视图(&V)")
        for spec in PAGES:
            action = QAction(f"{spec.title}\tCtrl+{spec.number}", self)
            action.triggered.connect(lambda _checked=False, title=spec.title: self.go_to_section(title))
            view_menu.addAction(action)

        help_menu = bar.addMenu("帮助(&H)")
        about = QAction("关于(&A)…", self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)
        self.audit_action = help_menu.addAction("审计日志(&L)…")
        self.audit_action.setObjectName("auditViewerAction")
        self.audit_action.triggered.connect(self._open_audit_viewer)

    def data_folder(self) -> Path:
        """Where this database lives (its backups and attachments beside it), else the user data folder."""
        from lzcenter_desktop import paths

        return self.ctx.db.path.parent if self.ctx.db.path is not None else paths.user_data_dir()

    def _open_audit_viewer(self) -> None:
        """审计日志 (issue 15); the dialog and its data layer are imported when first opened, never
        for the first screen."""
        from lzcenter_desktop.ui.dialogs.audit_viewer import open_audit_viewer

        open_audit_viewer(self)

    def about_text(self) -> str:
        from lzcenter_desktop import __version__

        return (
            f"{APP_NAME}\n版本 {__version__}\n\n"
            f"数据库：{self.ctx.db.path if self.ctx.db.path is not None else database_label(self.ctx)}\n"
            f"数据文件夹：{self.data_folder()}\n\n"
            "依据《柳州市工程技术研究中心管理办法》。所有修改均记入审计日志，记录不会被删除。"
        )

    def show_about(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, "关于", self.about_text(), parent=self)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setInformativeText("审计链锚点：正在读取…")
        self.about_box = box
        box.open()
        self._show_audit_anchor(box)

    def _show_audit_anchor(self, box: QMessageBox) -> None:
        """The newest audit hash under the about text (read off the UI thread): noted down, it
        lets ``lzcenter-desktop audit verify --anchor`` find a trail cut short or rewritten."""
        from lzcenter_desktop.services.audit_chain import anchor_line, latest_anchor
        from lzcenter_desktop.ui.ops import query_op

        ctx = self.ctx

        def shown(line: str) -> None:
            box.setInformativeText(line)

        def failed(_exc: BaseException) -> None:
            box.setInformativeText("审计链锚点：无法读取审计日志。")

        query_op(lambda: anchor_line(latest_anchor(ctx)), parent=box, on_success=shown, on_failure=failed)

    def _open_dialog(self, which: str) -> None:
        """文件 → 用户 / 待审批 (sign-in and four eyes, issue 15)."""
        from lzcenter_desktop.ui.dialogs.approvals import ApprovalsDialog
        from lzcenter_desktop.ui.dialogs.users import UsersDialog

        dialog = UsersDialog(self.ctx, self) if which == "users" else ApprovalsDialog(self.ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.side_dialog = dialog
        dialog.open()

    def open_restore_dialog(self) -> None:
        """文件 → 恢复备份 (ui/dialogs/restore.py); ``restored`` is emitted once a backup is in place."""
        from lzcenter_desktop.ui.dialogs.restore import RestoreDialog

        if self.ctx.db.path is None:
            return
        dialog = RestoreDialog(
            self.ctx.db.path,
            operator=self.ctx.operator,
            release=self.release_database,
            parent=self,
            user=self.ctx.user,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.restored.connect(self.restored.emit)
        self.restore_dialog = dialog
        dialog.open()

    def release_database(self) -> None:
        """Close every connection to the database (before its file is replaced)."""
        from lzcenter_desktop.ui import ops

        self.wait_until_idle()
        ops.wait_for_writes()
        self.ctx.db.dispose()

    def open_data_folder(self) -> None:
        from lzcenter_desktop.ui.open_file import open_with_default_program

        open_with_default_program(self.data_folder())

    def save_current_page(self) -> bool:
        """Ctrl+S: save what the current page has unsaved; a page with nothing to save says so."""
        page = self.stack.currentWidget()
        if not isinstance(page, Page):
            return False
        if page.unsaved_changes() is None:
            self.statusBar().showMessage("没有需要保存的修改。", 3000)
            return True
        return page.save_changes()

    # -- pages ---------------------------------------------------------------------------------
    def page(self, section: str) -> Page:
        """The page of ``section``, built now if this is the first time it is needed."""
        built = self.pages.get(section)
        if built is None:
            spec = self._specs[section]
            built = spec.factory(self.ctx)
            built.setObjectName(f"page_{spec.number}")
            built.status_changed.connect(lambda page=built: self._status_changed(page))
            request = getattr(built, "section_requested", None)  # the 中心 page's actions
            if request is not None:
                request.connect(self.continue_in)
            self.pages[section] = built
            self.stack.addWidget(built)
        return built

    @property
    def centers_page(self) -> Any:
        return self.page("中心")

    @property
    def rules_page(self) -> Any:
        return self.page("规则")

    @property
    def settings_page(self) -> Any:
        return self.page("设置")

    @property
    def committees_page(self) -> Any:
        return self.page("委员会")

    @property
    def declarations_page(self) -> Any:
        return self.page("申报")

    @property
    def documents_page(self) -> Any:
        return self.page("文档")

    # -- navigation ----------------------------------------------------------------------------
    def show_section(self, section: str, *, ask: bool = True) -> bool:
        """Go to ``section``; True if it is shown. Leaving a page with unsaved changes asks first
        (unless ``ask`` is False: the clerk has just answered for that page)."""
        asking, self._asking = self._asking, ask
        try:
            self.nav.setCurrentRow(SECTIONS.index(section))
        finally:
            self._asking = asking
        return self.current_section() == section

    def go_to_section(self, section: str) -> None:
        """Ctrl+N, Alt+N, 视图: the section, with the keyboard in its first field (a click in the
        navigation keeps it there, for the arrow keys)."""
        if self.show_section(section):
            focus_first_field(self.page(section))

    def continue_in(self, section: str, center_id: int) -> None:
        """Go to ``section`` to carry on with a centre; a page that can show one does
        (``show_center``, e.g. 文档 preselects it)."""
        if self.show_section(section):
            show_center = getattr(self.page(section), "show_center", None)
            if show_center is not None:
                show_center(center_id)

    def current_section(self) -> str:
        return SECTIONS[self.nav.currentRow()]

    def _section_of(self, page: Page) -> str:
        return next(title for title, built in self.pages.items() if built is page)

    def _may_leave(self, leaving: Page, section: str) -> bool:
        """The clerk is leaving ``leaving`` for ``section``: True if that may happen now
        (nothing unsaved, 保存 succeeded, or 不保存)."""
        what = leaving.unsaved_changes()
        if not what:
            return True
        answer = self.ask_about_unsaved([what], f"切换到“{section}”前要保存这些修改吗？")
        if answer is Answer.DISCARD:
            leaving.discard_changes()
            return True
        if answer is Answer.SAVE:
            return leaving.save_changes() and not leaving.unsaved_changes()
        return False

    def _switch(self, row: int) -> None:
        if row < 0:
            return
        section = SECTIONS[row]
        leaving = self.stack.currentWidget()
        if (
            self._asking
            and isinstance(leaving, Page)
            and leaving is not self.pages.get(section)
            and not self._may_leave(leaving, section)
        ):
            # 取消, or 保存 did not succeed: the clerk stays on the page, and so does the navigation.
            self.nav.blockSignals(True)
            self.nav.setCurrentRow(SECTIONS.index(self._section_of(leaving)))
            self.nav.blockSignals(False)
            return
        first = section not in self.pages
        page = self.page(section)
        self.stack.setCurrentWidget(page)
        page.on_shown(first)
        self.statusBar().clearMessage()
        self._show_status(page)

    def _status_changed(self, page: Page) -> None:
        if self.stack.currentWidget() is page:
            self._show_status(page)

    def _show_status(self, page: Page) -> None:
        self.count_label.setText(page.status_text())

    def focus_center_filter(self) -> None:
        if self.show_section("中心"):
            self.centers_page.focus_filter()

    # -- for the self-test and screenshots -----------------------------------------------------
    def wait_until_idle(self, timeout_s: float = 10.0) -> bool:
        """Process events until background loads are done (offscreen self-test); True if they are."""
        from lzcenter_desktop.ui.tasks import running_tasks

        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            QCoreApplication.processEvents()
            if not running_tasks():
                QCoreApplication.processEvents()
                return True
            time.sleep(0.005)
        return False

    def unsaved_changes(self) -> list[tuple[Page, str]]:
        """Every built page's unsaved changes, in navigation order."""
        out: list[tuple[Page, str]] = []
        for section in SECTIONS:
            page = self.pages.get(section)
            what = page.unsaved_changes() if page is not None else None
            if page is not None and what:
                out.append((page, what))
        return out

    def closeEvent(self, event: QCloseEvent) -> None:
        pending = self.unsaved_changes()
        if pending and not self._may_close(pending):
            event.ignore()
            return
        event.accept()

    def _may_close(self, pending: list[tuple[Page, str]]) -> bool:
        """保存 / 不保存 / 取消 for what is unsaved; True when the window may close."""
        answer = self.ask_about_unsaved([what for _page, what in pending], "关闭前要保存这些修改吗？")
        if answer is Answer.DISCARD:
            for page, _what in pending:
                page.discard_changes()
            return True
        if answer is Answer.SAVE:
            for page, _what in pending:
                if not page.save_changes():
                    self.show_section(self._section_of(page), ask=False)
                    return False
            return not self.unsaved_changes()
        self.show_section(self._section_of(pending[0][0]), ask=False)
        return False

    def unsaved_question(self, what: list[str], question: str) -> QMessageBox:
        """The 保存 / 不保存 / 取消 box naming what is unsaved (Esc and 取消 are the same)."""
        return unsaved_question(self, what, question)

    def ask_about_unsaved(self, what: list[str], question: str) -> Answer:
        """Ask 保存 / 不保存 / 取消 (modal) for the unsaved changes ``what``."""
        box = self.unsaved_question(what, question)
        box.exec()
        answer = answer_of(box)
        box.deleteLater()
        return answer
