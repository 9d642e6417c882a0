"""Bring a database to the current schema, after an automatic backup of the file."""

from __future__ import annotations

from lzcenter_desktop.services.context import AppContext, open_app
from lzcenter_desktop.services.schema_upgrade import MigrationReport, bring_to_head
from lzcenter_desktop.storage.schema import HEAD_REVISION

__all__ = ["HEAD_REVISION", "MigrationReport", "migrate"]


def migrate(ctx_or_target: AppContext | str | None) -> MigrationReport:
    """Migrate to head. An existing database at an older revision is first backed up into
    ``<db folder>/backups/`` with SQLite's backup API; a new (empty) one is not.

    A damaged database is never migrated: the backup before it checks the file and refuses."""
    ctx = ctx_or_target if isinstance(ctx_or_target, AppContext) else open_app(ctx_or_target, migrate=False)
    if ctx.damage is not None:
        raise ctx.damage
    return bring_to_head(ctx.db)
