"""Application start-up: QApplication, Chinese fonts and translations, the database, the main window.

A problem with the computer (locked, read-only or newer database, full disk…) ends in a plain
Chinese message box and the problem's exit code; any other exception goes to the crash dialog,
which writes a report file.
"""

from __future__ import annotations

import logging
import os
import sys

from PySide6.QtCore import (
    QLibraryInfo,
    QLocale,
    QMessageLogContext,
    QtMsgType,
    QTranslator,
    qInstallMessageHandler,
)
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from lzcenter_desktop import APP_NAME, __version__, paths
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.storage.errors import EnvironmentProblem
from lzcenter_desktop.ui.dialogs.crash import (
    handle_crash,
    install_excepthook,
    set_crash_context,
    uninstall_excepthook,
)
from lzcenter_desktop.ui.dialogs.errors import show_environment_problem
from lzcenter_desktop.ui.main_window import MainWindow

log = logging.getLogger(__name__)

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


def create_application() -> QApplication:
    """The QApplication (created once), with names, Chinese Qt texts and the bundled fonts."""
    global _fonts_ready
    existing = QApplication.instance()
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

    path = paths.demo_db_path()
    demo.ensure_demo_database(path)
    return str(path)


def run_gui(target: str | None, *, demo: bool = False) -> int:
    """Open the database named by ``target`` (or the environment / default; the demo database when
    ``demo``) in the main window and run until it is closed. Returns the exit code."""
    app = create_application()
    window: MainWindow | None = None

    def parent() -> QWidget | None:
        return window

    install_excepthook(parent)
    try:
        try:
            if demo and target is None:
                target = _demo_target()
            from lzcenter_desktop.services.context import open_app

            ctx = open_app(target)
        except EnvironmentProblem as problem:
            show_environment_problem(problem, None, block=True)
            return problem.exit_code
        set_crash_context("数据库", str(ctx.db.path or ctx.db.url))
        try:
            window = MainWindow(ctx)
            window.show()
            return app.exec()
        finally:
            ctx.db.dispose()
    except Exception as exc:
        from lzcenter_desktop.storage.errors import classify

        environment = classify(exc)
        if environment is not None:
            show_environment_problem(environment, window, block=True)
            return environment.exit_code
        handle_crash(type(exc), exc, exc.__traceback__, window, block=True)
        return 1
    finally:
        uninstall_excepthook()


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
