"""The bureau's secrets: table ``bureau_secret`` (the certificate verification key).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 17:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "bureau_secret",
        sa.Column("value", sa.LargeBinary(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_bureau_secret")),
    )


def downgrade() -> None:
    # Dropping the key makes every certificate printed so far unverifiable: only for a full
    # downgrade, which the application never does on its own.
    op.drop_table("bureau_secret")
