"""Bring a database to the current schema, after an automatic backup of the file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lzcenter_desktop.services.context import AppContext, checked_status, open_app
from lzcenter_desktop.storage.backup import backup_sqlite, timestamped_backup_path
from lzcenter_desktop.storage.errors import classify
from lzcenter_desktop.storage.schema import HEAD_REVISION, SchemaState, upgrade


@dataclass(frozen=True, slots=True)
class MigrationReport:
    from_revision: str | None  # None: the database was new (empty)
    to_revision: str
    backup_path: Path | None  # the copy made before migrating; None when nothing needed saving

    @property
    def changed(self) -> bool:
        return self.from_revision != self.to_revision


def migrate(ctx_or_target: AppContext | str | None) -> MigrationReport:
    """Migrate to head. An existing database at an older revision is first backed up into
    ``<db folder>/backups/`` with SQLite's backup API; a new (empty) one is not.

    A damaged database is never migrated: the backup before it checks the file and refuses."""
    ctx = ctx_or_target if isinstance(ctx_or_target, AppContext) else open_app(ctx_or_target, migrate=False)
    db = ctx.db
    if ctx.damage is not None:
        raise ctx.damage
    status = checked_status(db)
    if status.state is SchemaState.CURRENT:
        return MigrationReport(status.revision, HEAD_REVISION, None)
    backup_path: Path | None = None
    if status.state is SchemaState.OLDER and db.path is not None and db.path.exists():
        dest = timestamped_backup_path(db.path, reason=f"before-migration-{status.revision}")
        backup_path = backup_sqlite(db.path, dest)
    try:
        upgrade(db.engine, "head")
    except Exception as exc:
        problem = classify(exc)
        if problem is not None:
            raise problem from exc
        raise
    return MigrationReport(status.revision, HEAD_REVISION, backup_path)
