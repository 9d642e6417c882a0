"""Optimistic locking: an integer ``version`` (NOT NULL, server default 1) on every record the GUI
edits as one whole — ``center``, ``organization``, ``person``, ``declaration``,
``expert_committee_term`` (the committee roster), ``annual_report``, ``expert``, ``evaluation``
(its scores) and ``app_user``. Rows already in the database start at version 1; every later save
of the record (or of its child rows) raises it by one, and a save made from an older version is
refused (services/versioning.py).

Downgrade drops the nine columns.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 05:56:29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

VERSIONED_TABLES: tuple[str, ...] = (
    "annual_report",
    "app_user",
    "center",
    "declaration",
    "evaluation",
    "expert",
    "expert_committee_term",
    "organization",
    "person",
)


def upgrade() -> None:
    for table in VERSIONED_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False)
            )


def downgrade() -> None:
    for table in reversed(VERSIONED_TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("version")
