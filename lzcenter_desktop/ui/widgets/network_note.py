"""The main window's note that the SQLite file is on a network drive (services/shared_use.py):
a line in the status bar, the whole advice in its tooltip and accessible description."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.shared_use import network_drive_warning_for
from lzcenter_desktop.ui import style

SHORT_TEXT = "数据库文件在网络驱动器上：仅适合一人使用，多人同时使用请改用 PostgreSQL（鼠标停留查看说明）"


def network_drive_note(ctx: AppContext, parent: QWidget) -> QLabel | None:
    """The status-bar label for a database on a network share; ``None`` otherwise."""
    warning = network_drive_warning_for(ctx.db.path)
    if warning is None:
        return None
    label = QLabel(SHORT_TEXT, parent)
    label.setObjectName("networkDriveWarning")
    label.setToolTip(warning)
    label.setAccessibleDescription(warning)
    label.setStyleSheet(style.WARNING_STYLE)
    return label
