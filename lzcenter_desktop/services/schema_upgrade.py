"""Checking a database's schema and bringing it to head: the part of opening shared by
:mod:`~lzcenter_desktop.services.context` (which migrates while it opens) and
:mod:`~lzcenter_desktop.services.migrations` (the ``migrate`` command).

Neither of those two imports the other: both import this module, which imports only ``storage``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from lzcenter_desktop.storage import schema
from lzcenter_desktop.storage.backup import backup_sqlite, timestamped_backup_path
from lzcenter_desktop.storage.engine import Database
from lzcenter_desktop.storage.errors import classify, newer_database
from lzcenter_desktop.storage.integrity import OUR_TABLES, foreign_database
from lzcenter_desktop.storage.schema import SchemaState, SchemaStatus, schema_status, sqlite_schema_status


@dataclass(frozen=True, slots=True)
class MigrationReport:
    from_revision: str | None  # None: the database was new (empty)
    to_revision: str
    backup_path: Path | None  # the copy made before migrating; None when nothing needed saving

    @property
    def changed(self) -> bool:
        return self.from_revision != self.to_revision


def shown_url(url: str) -> str:
    """A database URL as it may be shown or written into a report: the password — everything
    between the user's colon and the last ``@`` before the host's ``/`` — replaced by ***."""
    return re.sub(r"^([^:/]+://[^:/@]*):[^/]*@", r"\1:***@", url)


def database_name(db: Database) -> str:
    """The database in messages: the file's name, or the server URL without its password."""
    return db.path.name if db.path is not None else shown_url(db.url)


def database_location(db: Database) -> str:
    """The whole path of a file, or the server URL without its password (settings, crash reports)."""
    return str(db.path) if db.path is not None else shown_url(db.url)


def refuse_foreign(db: Database) -> None:
    """A SQLite database with tables, but not those of this system, is someone else's: refused."""
    tables = db.table_names()
    if tables - {"alembic_version"} and not tables >= OUR_TABLES:
        raise foreign_database(database_name(db))


def checked_status(db: Database) -> SchemaStatus:
    """The schema state of ``db``; refuses a database that is not ours or is newer than this program."""
    refuse_foreign(db)
    status = db.plain_read(sqlite_schema_status) or schema_status(db.engine)
    if status.state is SchemaState.FOREIGN:
        raise foreign_database(database_name(db))
    if status.state is SchemaState.NEWER:
        raise newer_database(status.revision or "?")
    return status


def bring_to_head(db: Database) -> MigrationReport:
    """Migrate ``db`` (not damaged: the caller checked) to head. An existing database at an older
    revision is first backed up into ``<db folder>/backups/`` with SQLite's backup API; a new
    (empty) one is not. Environment failures come out classified (Chinese messages)."""
    head = schema.HEAD_REVISION  # read now, not at import: tests put a newer head in place
    status = checked_status(db)
    if status.state is SchemaState.CURRENT:
        return MigrationReport(status.revision, head, None)
    backup_path: Path | None = None
    if status.state is SchemaState.OLDER and db.path is not None and db.path.exists():
        dest = timestamped_backup_path(db.path, reason=f"before-migration-{status.revision}")
        backup_path = backup_sqlite(db.path, dest)
    try:
        schema.upgrade(db.engine, "head")
    except Exception as exc:
        problem = classify(exc)
        if problem is not None:
            raise problem from exc
        raise
    return MigrationReport(status.revision, head, backup_path)
