"""The one crash dialog: any unexpected exception ends here, with a report file a clerk can send.

The report (time, versions, database, traceback) is written under
``paths.user_data_dir() / "crash-reports"``; the dialog says, in plain Chinese, that the program
hit an error it did not expect, where the report is, and offers to open that folder.  If a second
error happens while the dialog is open, its report is written too and listed in the same dialog
instead of stacking dialogs.
"""

from __future__ import annotations

import platform
import sys
import traceback
from datetime import datetime
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lzcenter_desktop import APP_NAME, __version__, paths
from lzcenter_desktop.ui.open_file import open_with_default_program

CRASH_DIR_NAME = "crash-reports"

# Extra lines for the report (e.g. the database in use), set by the application at start-up.
_context: dict[str, str] = {}
_dialog: CrashDialog | None = None


def set_crash_context(key: str, value: str) -> None:
    """Remember ``key: value`` (e.g. ``数据库``) for every later crash report."""
    _context[key] = value


def crash_reports_dir() -> Path:
    return paths.user_data_dir() / CRASH_DIR_NAME


def format_crash_report(
    exc_type: type[BaseException],
    exc: BaseException,
    tb: TracebackType | None,
    *,
    now: datetime | None = None,
) -> str:
    when = (now or datetime.now()).isoformat(timespec="seconds")
    try:
        from PySide6 import __version__ as pyside_version
        from PySide6.QtCore import qVersion

        qt = f"PySide6 {pyside_version}, Qt {qVersion()}"
    except Exception:  # the report must be written even if Qt itself is the problem
        qt = "（无法读取 Qt 版本）"
    lines = [
        f"{APP_NAME} 错误报告",
        f"时间：{when}",
        f"程序版本：{__version__}",
        f"Python：{sys.version.split()[0]}（{platform.python_implementation()}）",
        f"界面库：{qt}",
        f"操作系统：{platform.platform()}",
    ]
    lines += [f"{k}：{v}" for k, v in _context.items()]
    lines += ["", "错误信息：", f"{exc_type.__name__}: {exc}", "", "调用栈（供维护人员使用）："]
    lines.append("".join(traceback.format_exception(exc_type, exc, tb)).rstrip())
    return "\n".join(lines) + "\n"


def write_crash_report(
    exc_type: type[BaseException],
    exc: BaseException,
    tb: TracebackType | None,
    *,
    directory: Path | None = None,
    now: datetime | None = None,
) -> tuple[str, Path]:
    """Write the report; returns (text, path). Raises ``OSError`` if it cannot be written."""
    now = now or datetime.now()
    text = format_crash_report(exc_type, exc, tb, now=now)
    folder = directory or crash_reports_dir()
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"crash-{now:%Y%m%d-%H%M%S}"
    path = folder / f"{stem}.txt"
    n = 1
    while path.exists():
        n += 1
        path = folder / f"{stem}-{n}.txt"
    path.write_text(text, encoding="utf-8")
    return text, path


class CrashDialog(QDialog):
    """Says an unexpected error happened and where its report is. Never shows a bare traceback."""

    def __init__(
        self,
        report_text: str,
        report_path: Path | None,
        write_error: str | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("程序出错")
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "程序遇到了一个意外错误，刚才的操作可能没有完成。"
            "已经保存的数据不受影响。\n"
            "请把下面的错误报告文件发给系统维护人员，并说明出错前正在做什么。"
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.paths_label = QLabel()
        self.paths_label.setWordWrap(True)
        self.paths_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.paths_label)
        self.details = QPlainTextEdit(report_text)
        self.details.setReadOnly(True)
        self.details.setVisible(False)
        self.details.setMinimumHeight(220)
        layout.addWidget(self.details)

        buttons = QDialogButtonBox()
        self.open_folder_button = QPushButton("打开报告所在文件夹(&O)")
        self.copy_button = QPushButton("复制报告内容(&C)")
        self.details_button = QPushButton("显示详细信息(&D)")
        self.details_button.setCheckable(True)
        self.close_button = QPushButton("关闭")
        buttons.addButton(self.open_folder_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.details_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.RejectRole)
        layout.addWidget(buttons)
        self.open_folder_button.clicked.connect(self._open_folder)
        self.copy_button.clicked.connect(self._copy)
        self.details_button.toggled.connect(self._toggle_details)
        self.close_button.clicked.connect(self.reject)

        self.report_paths: list[Path] = []
        self.write_errors: list[str] = []
        self._texts: list[str] = []
        self.add_report(report_text, report_path, write_error)

    def add_report(self, report_text: str, report_path: Path | None, write_error: str | None) -> None:
        self._texts.append(report_text)
        if report_path is not None:
            self.report_paths.append(report_path)
        if write_error is not None:
            self.write_errors.append(write_error)
        parts = []
        if self.report_paths:
            listed = "\n".join(str(p) for p in self.report_paths)
            parts.append(f"错误报告已保存到：\n{listed}")
        for err in self.write_errors:
            parts.append(f"错误报告无法保存（{err}），请点“复制报告内容”后粘贴到邮件或文档中发给维护人员。")
        if len(self._texts) > 1:
            parts.append(f"此后又发生了 {len(self._texts) - 1} 个错误，报告已一并列出。")
        self.paths_label.setText("\n\n".join(parts))
        self.details.setPlainText("\n\n".join(self._texts))
        self.open_folder_button.setEnabled(bool(self.report_paths))

    def _open_folder(self) -> None:
        if self.report_paths:
            open_with_default_program(self.report_paths[-1].parent)

    def _copy(self) -> None:
        QGuiApplication.clipboard().setText(self.details.toPlainText())

    def _toggle_details(self, shown: bool) -> None:
        self.details.setVisible(shown)
        self.details_button.setText("隐藏详细信息(&D)" if shown else "显示详细信息(&D)")


def _still_shown(dialog: CrashDialog) -> bool:
    """Whether the open crash dialog is still there to add to: its window may have been deleted
    with the window it was shown over (closed without ``finished``)."""
    try:
        return dialog.isVisible()
    except RuntimeError:  # the C++ dialog is gone
        return False


def current_crash_dialog() -> CrashDialog | None:
    return _dialog


def handle_crash(
    exc_type: type[BaseException],
    exc: BaseException,
    tb: TracebackType | None,
    parent: QWidget | None = None,
    *,
    block: bool = False,
) -> CrashDialog:
    """Write the report and show the crash dialog (or add to the one already open)."""
    global _dialog
    try:
        text, path = write_crash_report(exc_type, exc, tb)
        write_error: str | None = None
    except OSError as os_error:
        text = format_crash_report(exc_type, exc, tb)
        path = None
        write_error = os_error.strerror or str(os_error)
    if _dialog is not None and _still_shown(_dialog):
        _dialog.add_report(text, path, write_error)
        return _dialog
    dialog = CrashDialog(text, path, write_error, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    _dialog = dialog

    def forget() -> None:
        global _dialog
        if _dialog is dialog:
            _dialog = None

    dialog.finished.connect(forget)
    if block:
        dialog.exec()
    else:
        dialog.open()
    return dialog
