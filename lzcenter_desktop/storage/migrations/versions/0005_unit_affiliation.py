"""Unit affiliations: table ``unit_affiliation`` — whether a unit written on people's records (a
host's own 研究院 or 工程技术研究中心, say) is part of a registered organization, as the clerk
confirmed it once (第十三条—第十五条: who comes from the host or a co-building unit).

Downgrade drops the table: the clerk's answers are lost (the audit trail keeps them) and such units
are shown as only likely part of the host again, to be confirmed anew.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 10:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "unit_affiliation",
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("unit_name", sa.String(length=200), nullable=False),
        sa.Column("unit_key", sa.String(length=200), nullable=False),
        sa.Column("belongs", sa.Boolean(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_unit_affiliation_organization_id_organization"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit_affiliation")),
        sa.UniqueConstraint(
            "organization_id", "unit_key", name=op.f("uq_unit_affiliation_organization_id_unit_key")
        ),
    )
    with op.batch_alter_table("unit_affiliation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_unit_affiliation_organization_id"), ["organization_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("unit_affiliation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_unit_affiliation_organization_id"))

    op.drop_table("unit_affiliation")
