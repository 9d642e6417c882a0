"""The backups of a database, newest first: file, time, kind, size and whether it can be restored.
A backup that failed its check is listed (with the reason, in the "unavailable" colour) but cannot
be selected."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject
from PySide6.QtGui import QColor

from lzcenter_desktop.services.backup import BackupFile
from lzcenter_desktop.ui.models.base import Column, RowTableModel
from lzcenter_desktop.ui.style import UNAVAILABLE_COLOR

TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{max(1, round(size / 1024))} KB"


def status_text(backup: BackupFile) -> str:
    return "完好，可用于恢复" if backup.sound else f"不能使用：{backup.problem}"


def _colour(backup: BackupFile) -> QColor | None:
    return None if backup.sound else QColor(UNAVAILABLE_COLOR)


BACKUP_COLUMNS: tuple[Column[BackupFile], ...] = (
    Column("备份文件", lambda b: b.path.name, _colour),
    Column("备份时间", lambda b: b.modified.strftime(TIME_FORMAT), _colour),
    Column("类型", lambda b: b.kind, _colour),
    Column("大小", lambda b: size_text(b.size), _colour),
    Column("状态", status_text, _colour),
)


class BackupTableModel(RowTableModel[BackupFile]):
    def __init__(self, backups: Sequence[BackupFile] = (), parent: QObject | None = None) -> None:
        super().__init__(BACKUP_COLUMNS, backups, parent, selectable=lambda b: b.sound)
