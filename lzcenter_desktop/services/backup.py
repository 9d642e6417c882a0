"""Backups on request (menu 备份 / ``lzcenter-desktop backup``)."""

from __future__ import annotations

from pathlib import Path

from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.storage.backup import backup_sqlite, timestamped_backup_path


def backup_now(ctx: AppContext, dest: Path | None = None) -> Path:
    """Copy the database with SQLite's backup API; returns the backup file.

    ``dest`` may be a file or an existing folder; by default the copy goes to
    ``<db folder>/backups/<name>-backup-YYYYmmdd-HHMMSS.sqlite``.
    """
    source = ctx.db.path
    if source is None:
        raise ServiceError(
            "只能备份本机的 SQLite 数据库文件；服务器数据库请由数据库管理员备份。", field="数据库"
        )
    default = timestamped_backup_path(source)
    if dest is None:
        target = default
    else:
        dest = Path(dest).expanduser()
        target = dest / default.name if dest.is_dir() else dest
    if target.resolve() == source.resolve():
        raise ServiceError("备份文件不能与数据库文件相同，请另选一个位置。", field="备份位置")
    return backup_sqlite(source, target)
