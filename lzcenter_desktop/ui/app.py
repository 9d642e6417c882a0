"""Application start-up: QApplication, Chinese fonts and translations, the database, the main window.

A problem with the computer (locked, read-only or newer database, full disk…) ends in a plain
Chinese message box and the problem's exit code; any other exception goes to the crash dialog,
which writes a report file.

A damaged database (SQLite's check fails at start) opens read-only: the main window says so in its
title and status bar, and the damaged-database dialog explains what happened and offers to
restore the newest sound backup; after a restore the window opens again on the restored file.
A file too damaged to be read gets the same dialog without a main window. 文件 → 恢复备份 restores
a backup over a sound database the same way (audited, the current file kept aside).

Automatic backups (services/backup_auto.py): the day's first start makes one a few seconds after
the window shows (on a worker thread), and closing makes one after the window is gone when an
audit entry was written since the database was opened.

Start-up loads what the first screen needs and nothing else (benchmarks/bench_startup.py): Qt,
the fonts, the checks of the database through plain ``sqlite3`` and the 中心 page, whose list is
read without SQLAlchemy. Once the list is on screen, SQLAlchemy, SQLModel and the models are
imported on a worker thread (:func:`warm_up`), so the first centre opened needs no wait for them.
With ``LZCENTER_STARTUP_PROBE=1`` the window reports when the list is painted and quits
(:mod:`lzcenter_desktop.ui.startup_probe`).
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import (
    QLibraryInfo,
    QLocale,
    QMessageLogContext,
    Qt,
    QTimer,
    QtMsgType,
    QTranslator,
    qInstallMessageHandler,
)
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QToolBar,
    QWidget,
)

from lzcenter_desktop import APP_NAME, __version__, paths
from lzcenter_desktop.services.errors import DatabaseCorrupt, EnvironmentProblem
from lzcenter_desktop.ui.dialogs.crash import handle_crash, set_crash_context
from lzcenter_desktop.ui.dialogs.errors import (
    install_excepthook,
    show_environment_problem,
    uninstall_excepthook,
)
from lzcenter_desktop.ui.main_window import MainWindow

if TYPE_CHECKING:
    from lzcenter_desktop.services.context import AppContext, Opening

log = logging.getLogger(__name__)

PROBE_ENV = "LZCENTER_STARTUP_PROBE"  # "1": report the start-up time and quit (ui/startup_probe.py)
WARM_UP_DELAY_MS = 300  # after the list is on screen: import the rest of the data layer
DAILY_BACKUP_DELAY_MS = 3000  # the day's first backup waits until start-up is over

ORGANIZATION = "柳州市科学技术局"

_translators: list[QTranslator] = []
_fonts_ready = False


def _install_qt_translations(app: QApplication) -> None:
    """Qt's own texts (context menus, standard buttons) in Chinese."""
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    if _translators:
        return
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name in ("qtbase_zh_CN", "qt_zh_CN"):
        translator = QTranslator(app)
        if translator.load(name, folder):
            app.installTranslator(translator)
            _translators.append(translator)
            return


def set_high_dpi_policy() -> None:
    """Scale by the screen's exact factor (125 %, 150 % on office laptops), not rounded to a whole
    number: text stays its intended size and sharp. Must run before the QApplication is made."""
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)


def create_application() -> QApplication:
    """The QApplication (created once), with names, Chinese Qt texts and the bundled fonts."""
    global _fonts_ready
    from lzcenter_desktop.ui.qt_refcount import guard_singletons

    guard_singletons()  # PySide6 6.12.0 leaks references to None/True/False (see qt_refcount)
    existing = QApplication.instance()
    if not isinstance(existing, QApplication):
        set_high_dpi_policy()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("lzcenter-desktop")
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationVersion(__version__)
    _install_qt_translations(app)
    if not _fonts_ready:
        from lzcenter_desktop.ui.fonts import register_application_fonts

        try:
            families = register_application_fonts(app)
            log.info("fonts: %s", families)
            _fonts_ready = True
        except (OSError, RuntimeError) as exc:
            # Without the bundled fonts Chinese may show as boxes, but the data is safe: say so, go on.
            box = QMessageBox(
                QMessageBox.Icon.Warning, "字体文件缺失", f"{exc}\n\n程序仍可使用，但部分汉字可能显示为方框。"
            )
            box.exec()
    return app


def _demo_target() -> str:
    from lzcenter_desktop.services import demo
    from lzcenter_desktop.services.demo_file import build_demo_file

    path = paths.demo_db_path()
    if not path.exists() or path.stat().st_size == 0:
        build_demo_file(path)  # built beside, swapped in only when complete
    else:
        demo.ensure_demo_database(path)
    return str(path)


READ_ONLY_TITLE = "（只读：数据库文件已损坏）"


def local_database_path(target: str | None) -> Path | None:
    """The SQLite file ``target`` names (after ``LZCENTER_DB`` / the default), ``None`` for a URL
    without a plain file path."""
    from sqlalchemy.engine import make_url

    resolved = paths.resolve_db_target(target)
    if not paths.is_url(resolved):
        return Path(resolved).expanduser()
    try:
        url = make_url(resolved)
    except Exception:  # a malformed URL was refused when opening already
        return None
    name = url.database or ""
    if url.get_backend_name() != "sqlite" or name in ("", ":memory:") or name.startswith("file:"):
        return None
    return Path(name).expanduser()


class _Running:
    """The open database and its main window; replaced when a backup is restored."""

    def __init__(self, target: str | None) -> None:
        self.target = target
        self.ctx: AppContext | None = None
        self.window: MainWindow | None = None
        self.dialog: QDialog | None = None
        self.started: datetime | None = None  # when this database was opened (UTC): changes since
        self.daily_timer: QTimer | None = None

    def show_window(self, ctx: AppContext) -> MainWindow:
        """A main window over ``ctx``; read-only and with the damaged-database dialog when
        ``ctx.damage`` is set. The previous window (if any) is closed after the new one shows."""
        old = self.window
        self.ctx = ctx
        self.started = datetime.now(UTC)
        from lzcenter_desktop.services.schema_upgrade import database_location

        set_crash_context("数据库", database_location(ctx.db))
        window = MainWindow(ctx)
        self.window = window
        window.restored.connect(self.reopen)
        if ctx.damage is not None:
            mark_read_only(window, lambda: self.offer_restore(ctx.damage))  # type: ignore[arg-type]
        if os.environ.get(PROBE_ENV) == "1":
            from lzcenter_desktop.ui import startup_probe

            startup_probe.install(window, settle_ms=WARM_UP_DELAY_MS + 50)
        if ctx.user is not None:
            from lzcenter_desktop.ui.dialogs.sign_in import show_user

            show_user(window, ctx)
        window.show()
        if old is not None:
            old.hide()
            old.deleteLater()
        if ctx.damage is not None:
            self.offer_restore(ctx.damage)
        return window

    def release(self) -> None:
        """Close every connection to the database (before its file is replaced)."""
        if self.window is not None:
            self.window.wait_until_idle()
        if self.ctx is not None:
            self.ctx.db.dispose()

    def offer_restore(self, problem: DatabaseCorrupt) -> None:
        """The damaged-database dialog over the read-only window (not blocking)."""
        from lzcenter_desktop.ui.dialogs.damaged import DamagedDatabaseDialog

        db_path = local_database_path(self.target)
        if db_path is None or self.window is None:
            show_environment_problem(problem, self.window)
            return
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.raise_()
            return
        dialog = DamagedDatabaseDialog(
            db_path,
            problem,
            read_only=True,
            release=self.release,
            operator=self.ctx.operator if self.ctx is not None else None,
            parent=self.window,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.restored.connect(self.reopen)
        self.dialog = dialog
        dialog.open()

    def reopen(self, report: object) -> None:
        """After a restore: open the restored database in a new main window."""
        from lzcenter_desktop.services.context import open_app
        from lzcenter_desktop.services.permissions import PermissionRefused
        from lzcenter_desktop.ui.dialogs.damaged import restored_message
        from lzcenter_desktop.ui.dialogs.sign_in import ask_sign_in

        keep = self.ctx.operator if self.ctx is not None and self.ctx.user is None else None
        try:
            try:
                ctx = open_app(self.target, operator=keep)
            except PermissionRefused:  # the restored database asks for sign-in
                ctx = open_app(self.target)
        except EnvironmentProblem as problem:
            show_environment_problem(problem, self.window)
            return
        if ctx.sign_in_required:
            signed = ask_sign_in(ctx, self.window)
            if signed is None:
                return
            ctx = signed
        self.show_window(ctx)
        from lzcenter_desktop.services.backup import RestoreReport

        assert isinstance(report, RestoreReport)
        box = QMessageBox(
            QMessageBox.Icon.Information, "已恢复备份", restored_message(report), parent=self.window
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def schedule_daily_backup(self, delay_ms: int) -> None:
        """:meth:`start_daily_backup` in ``delay_ms`` (stopped by :meth:`dispose`)."""
        timer = QTimer(self.window)
        timer.setSingleShot(True)
        timer.timeout.connect(lambda: self.start_daily_backup())
        self.daily_timer = timer
        timer.start(delay_ms)

    def start_daily_backup(self) -> None:
        """The first start of a day: a backup when there is none of today yet, on a worker thread;
        the outcome in the status bar (a failure too, in Chinese — nothing was changed)."""
        from lzcenter_desktop.services.backup_auto import daily_backup_if_due
        from lzcenter_desktop.ui.tasks import run_in_background

        ctx, window = self.ctx, self.window
        if ctx is None or window is None or not window.isVisible() or ctx.db.path is None or ctx.read_only:
            return

        def done(report: object) -> None:
            if report is not None and shiboken6.isValid(window):
                window.statusBar().showMessage(f"已自动备份（每日）：{report.path.name}", 15000)  # type: ignore[attr-defined]

        def failed(exc: BaseException) -> None:
            log.warning("daily backup failed: %r", exc)
            if shiboken6.isValid(window):
                window.statusBar().showMessage(f"每日自动备份没有完成：{exc}", 60000)

        run_in_background(lambda: daily_backup_if_due(ctx), parent=window, on_success=done, on_failure=failed)

    def exit_backup(self) -> None:
        """After the window is gone: a backup when something was written since the database was
        opened (an audit entry newer than the start). A failure is logged, nothing is asked."""
        from lzcenter_desktop.services.backup_auto import exit_backup_if_changed

        if self.ctx is None or self.started is None or self.ctx.db.path is None or self.ctx.read_only:
            return
        try:
            report = exit_backup_if_changed(self.ctx, self.started)
        except Exception as exc:
            log.warning("退出时自动备份没有完成：%s", exc)
            sys.stderr.write(f"退出时自动备份没有完成：{exc}\n")
            return
        if report is not None:
            log.info("exit backup: %s", report.path)

    def dispose(self) -> None:
        if self.daily_timer is not None and shiboken6.isValid(self.daily_timer):
            self.daily_timer.stop()
        if self.ctx is not None:
            self.ctx.db.dispose()


def mark_read_only(window: MainWindow, offer_restore: Callable[[], None]) -> None:
    """Say in the title and in a bar across the top that the window is read-only, with a
    恢复备份 button."""
    window.setWindowTitle(window.windowTitle() + READ_ONLY_TITLE)
    bar = QToolBar("只读提示")
    bar.setObjectName("readOnlyBar")
    bar.setMovable(False)
    bar.setFloatable(False)
    bar.setStyleSheet("QToolBar#readOnlyBar { background: #fde7e7; border-bottom: 1px solid #d99; }")
    label = QLabel(
        "只读：数据库文件已损坏（未通过完整性检查）。可以查看，但不能导入、保存或修改。请从备份恢复。"
    )
    label.setObjectName("readOnlyNotice")
    label.setStyleSheet("color: #a40000; font-weight: bold; padding: 4px 8px;")
    button = QPushButton("恢复备份…")
    button.setObjectName("restoreBackupButton")
    button.clicked.connect(offer_restore)
    bar.addWidget(label)
    bar.addWidget(button)
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)


def _open_damaged(target: str | None, problem: DatabaseCorrupt) -> AppContext | None:
    """The database failed its check: open it read-only, or — too damaged to read — offer the
    backups without a main window. ``None`` when the clerk gives up (the caller exits)."""
    from lzcenter_desktop.services.context import open_app
    from lzcenter_desktop.ui.dialogs.damaged import DamagedDatabaseDialog, restored_message

    db_path = local_database_path(target)
    if db_path is None:
        show_environment_problem(problem, None, block=True)
        return None
    try:
        return open_app(target, damaged_read_only=True)
    except DatabaseCorrupt as unreadable:
        dialog = DamagedDatabaseDialog(db_path, unreadable, read_only=False)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.report is None:
            return None
        ctx = open_app(target)
        QMessageBox(QMessageBox.Icon.Information, "已恢复备份", restored_message(dialog.report)).exec()
        return ctx


def run_gui(target: str | None, *, demo: bool = False, opening: Opening | None = None) -> int:
    """Open the database named by ``target`` (or the environment / default; the demo database when
    ``demo``) in the main window and run until it is closed. Returns the exit code.

    ``opening``: the opening of ``target`` already started on a thread of its own (the command
    line starts it before Qt is imported, so that both happen at once)."""
    app = create_application()
    running = _Running(target)

    def parent() -> QWidget | None:
        return running.window

    install_excepthook(parent)
    try:
        try:
            if demo and target is None:
                target = running.target = _demo_target()
            from lzcenter_desktop.services.context import open_app

            try:
                ctx = opening.result() if opening is not None else open_app(target)
            except DatabaseCorrupt as damaged:
                read_only = _open_damaged(target, damaged)
                if read_only is None:
                    return damaged.exit_code
                ctx = read_only
        except EnvironmentProblem as problem:
            show_environment_problem(problem, None, block=True)
            return problem.exit_code
        if ctx.sign_in_required and ctx.damage is None:
            from lzcenter_desktop.ui.dialogs.sign_in import ask_sign_in

            signed = ask_sign_in(ctx)
            if signed is None:
                ctx.db.dispose()
                return 0
            ctx = signed
        try:
            window = running.show_window(ctx)
            schedule_warm_up(window)
            running.schedule_daily_backup(DAILY_BACKUP_DELAY_MS)
            code = app.exec()
            running.exit_backup()
            return code
        finally:
            running.dispose()
    except Exception as exc:
        from lzcenter_desktop.services.errors import classify

        environment = classify(exc)
        if environment is not None:
            show_environment_problem(environment, running.window, block=True)
            return environment.exit_code
        handle_crash(type(exc), exc, exc.__traceback__, running.window, block=True)
        return 1
    finally:
        uninstall_excepthook()


def warm_up() -> None:
    """Import what the first database read after start-up needs but the list did not: SQLAlchemy,
    SQLModel, the models and the centre service (about 0.7 s of imports, on a worker thread)."""
    import lzcenter_desktop.services.centers  # noqa: F401 - imported for its side effect
    from lzcenter_desktop.services.context import warm_up_engine

    warm_up_engine()


def schedule_warm_up(window: MainWindow) -> None:
    """Run :func:`warm_up` in the background once the first screen's centre charts (概览, from the
    中心 list) have arrived (and been painted)."""
    page: Any = window.page("概览")  # a DashboardPage (imported with the page, not here)
    started = False

    def start() -> None:
        from lzcenter_desktop.ui.tasks import run_in_background

        run_in_background(warm_up, parent=window, on_success=lambda _none: None, on_failure=_warm_up_failed)

    def arrived() -> None:
        nonlocal started
        if not started:
            started = True
            QTimer.singleShot(WARM_UP_DELAY_MS, window, start)

    page.centres_loaded.connect(arrived)


def _warm_up_failed(exc: BaseException) -> None:
    # Nothing is lost: the same import runs again (and reports) when a page first needs it.
    log.warning("warm-up import failed: %r", exc)


_OFFSCREEN_NOISE = "This plugin does not support propagateSizeHints()"
_noise_filter_installed = False


def _hide_offscreen_noise() -> None:
    """The offscreen platform warns on every window with a layout; keep the self-test output clean."""
    global _noise_filter_installed
    if _noise_filter_installed or QGuiApplication.platformName() != "offscreen":
        return
    _noise_filter_installed = True
    previous = None

    def handler(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
        if message == _OFFSCREEN_NOISE:
            return
        if previous is not None:
            previous(mode, context, message)
        else:
            sys.stderr.write(message + "\n")

    previous = qInstallMessageHandler(handler)


def make_main_window_for_selftest(ctx: AppContext) -> MainWindow:
    """A main window over ``ctx`` (offscreen when no display is set up), with its centre list loaded.

    Used by ``lzcenter-desktop selftest``; the caller closes the window.
    """
    if QApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    create_application()
    _hide_offscreen_noise()
    window = MainWindow(ctx)
    window.resize(1400, 860)
    window.show()
    window.wait_until_idle()
    return window


__all__ = ["APP_NAME", "create_application", "make_main_window_for_selftest", "run_gui"]
