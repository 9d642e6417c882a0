"""Automatic backups and their rotation.

Besides the backup before each migration (:mod:`~lzcenter_desktop.services.schema_upgrade`), the
main window makes one on the first start of a day when there is none of that day yet
(``<stem>-daily-<time>``) and one when it is closed after something was written during the
session — an audit entry newer than the start (``<stem>-exit-<time>``). Each is made with
SQLite's backup API and checked with ``PRAGMA integrity_check`` (a copy that fails is removed, the
Chinese message says so: :func:`~lzcenter_desktop.storage.backup.backup_sqlite`).

Rotation keeps the newest N automatic backups (N = :func:`app_settings.backup_keep`, 30 by default)
and deletes older automatic ones — never a backup made by hand (``立即备份`` / ``backup``), and
never those made before the last migration (the newest ``before-migration-<revision>`` group).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from lzcenter_desktop.services import app_settings
from lzcenter_desktop.services.backup import (
    MIGRATION_REASON,
    backup_files,
    reason_of,
    stamp_or_mtime,
)
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.storage.backup import backup_sqlite, timestamped_backup_path

DAILY = "daily"
ON_EXIT = "exit"
AUTOMATIC = (DAILY, ON_EXIT)


def is_automatic(reason: str) -> bool:
    return reason in AUTOMATIC or reason.startswith(MIGRATION_REASON)


@dataclass(frozen=True, slots=True)
class AutoBackupReport:
    path: Path
    removed: list[Path] = field(default_factory=list)  # older automatic backups deleted by rotation


def rotate(db_path: Path, keep: int | None = None) -> list[Path]:
    """Delete the automatic backups of ``db_path`` beyond the newest ``keep``; returns those deleted.

    Backups made by hand are neither counted nor deleted; the backups made before the last
    migration are counted but never deleted."""
    keep = app_settings.backup_keep() if keep is None else app_settings.check_backup_keep(keep)
    automatic = [
        (stamp_or_mtime(path), path.name, path, reason)
        for path in backup_files(db_path)
        if is_automatic(reason := reason_of(db_path, path))
    ]
    automatic.sort(reverse=True)
    migrations = [reason for _when, _name, _path, reason in automatic if reason.startswith(MIGRATION_REASON)]
    protected = migrations[0] if migrations else None  # the newest first: the last migration
    removed: list[Path] = []
    for _when, _name, path, reason in automatic[keep:]:
        if reason == protected:
            continue
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        removed.append(path)
    return removed


def automatic_backup(
    db_path: Path, reason: str, *, keep: int | None = None, when: datetime | None = None
) -> AutoBackupReport:
    """Back up ``db_path`` as ``<stem>-<reason>-<time>`` (checked after writing), then rotate."""
    db_path = Path(db_path)
    target = backup_sqlite(db_path, timestamped_backup_path(db_path, reason=reason, when=when))
    return AutoBackupReport(target, rotate(db_path, keep))


def has_backup_of_day(db_path: Path, day: date) -> bool:
    """Whether a backup of ``db_path`` (of any kind) carries the date ``day`` in its name."""
    return any(stamp_or_mtime(path).date() == day for path in backup_files(db_path))


def _local_file(ctx: AppContext) -> Path | None:
    """The SQLite file of ``ctx`` when it may be backed up automatically (not damaged, not a server)."""
    if ctx.db.path is None or ctx.damage is not None or not ctx.db.path.is_file():
        return None
    return ctx.db.path


def daily_backup_if_due(ctx: AppContext, *, now: datetime | None = None) -> AutoBackupReport | None:
    """The first start of a day: a backup when there is none of today yet; else ``None``."""
    path = _local_file(ctx)
    now = now or datetime.now()
    if path is None or has_backup_of_day(path, now.date()):
        return None
    return automatic_backup(path, DAILY, when=now)


def _stored_utc(at: datetime) -> str:
    """``at`` as SQLAlchemy stores a UTC time in SQLite (naive, microseconds): comparable as text."""
    return at.astimezone(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")


def changed_since(ctx: AppContext, since: datetime) -> bool:
    """Whether an audit entry was written at or after ``since`` (UTC-aware). A SQLite file is read
    through a plain connection (closing the program does not load SQLAlchemy for this)."""
    stamp = _stored_utc(since)
    found = ctx.db.plain_read(
        lambda con: (
            con.execute("SELECT 1 FROM audit_entry WHERE at >= ? LIMIT 1", (stamp,)).fetchone() is not None
        )
    )
    if found is not None:
        return found
    from sqlmodel import col, select

    from lzcenter_desktop.services.uow import reading
    from lzcenter_desktop.storage.models import AuditEntry

    stmt = select(AuditEntry.id).where(col(AuditEntry.at) >= since).limit(1)
    with reading(ctx) as session:
        return session.execute(stmt).first() is not None


def exit_backup_if_changed(
    ctx: AppContext, since: datetime, *, now: datetime | None = None
) -> AutoBackupReport | None:
    """On closing: a backup when something was written since ``since``; else ``None``."""
    path = _local_file(ctx)
    if path is None or not changed_since(ctx, since):
        return None
    return automatic_backup(path, ON_EXIT, when=now)
