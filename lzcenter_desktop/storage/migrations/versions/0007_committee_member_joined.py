"""Members who join a running expert committee term (届中增补): column
``expert_committee_member.joined_on`` — the first day in office, NULL meaning from the term's
start, so that a past meeting is checked against the roster of its own date (M16b).

Downgrade drops the column: such members count from the term's start again.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 01:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("expert_committee_member", schema=None) as batch_op:
        batch_op.add_column(sa.Column("joined_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("expert_committee_member", schema=None) as batch_op:
        batch_op.drop_column("joined_on")
