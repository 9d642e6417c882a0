"""The tamper-evident audit trail: columns ``audit_entry.prev_hash`` and ``entry_hash`` (hex
SHA-256 of the entry's canonical JSON and the previous entry's hash, see domain/audit_chain.py).
The entries already in the database are chained here, in id order, so that an upgraded database
verifies (``lzcenter-desktop audit verify``).

Downgrade drops the two columns: the trail is no longer chained.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 03:50:00
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op

from lzcenter_desktop.domain.audit_chain import GENESIS, ChainEntry, entry_hash

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BATCH = 2000


def upgrade() -> None:
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("prev_hash", sa.String(length=64), server_default=sa.text("''"), nullable=False)
        )
        batch_op.add_column(
            sa.Column("entry_hash", sa.String(length=64), server_default=sa.text("''"), nullable=False)
        )
    _chain_existing_entries(op.get_bind())


def _chain_existing_entries(conn: sa.Connection) -> None:
    """Link every entry already written, oldest (lowest id) first, in batches."""
    select = sa.text(
        "SELECT id, at, operator, action, operation, entity, entity_id, before, after, txn "
        "FROM audit_entry WHERE id > :after ORDER BY id LIMIT :n"
    )
    update = sa.text("UPDATE audit_entry SET prev_hash = :prev, entry_hash = :digest WHERE id = :id")
    prev, after = GENESIS, -1
    while True:
        rows = conn.execute(select, {"after": after, "n": _BATCH}).all()
        changes = []
        for row in rows:
            at = row[1] if isinstance(row[1], datetime) else datetime.fromisoformat(str(row[1]))
            entry = ChainEntry(
                id=int(row[0]),
                at=at,
                operator=str(row[2]),
                action=str(row[3]),
                operation=str(row[4]),
                entity=str(row[5]),
                entity_id=str(row[6]),
                before=row[7],
                after=row[8],
                txn=str(row[9]),
            )
            digest = entry_hash(entry, prev)
            changes.append({"prev": prev, "digest": digest, "id": entry.id})
            prev = digest
        if changes:
            conn.execute(update, changes)
        if len(rows) < _BATCH:
            return
        after = int(rows[-1][0])


def downgrade() -> None:
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.drop_column("entry_hash")
        batch_op.drop_column("prev_hash")
