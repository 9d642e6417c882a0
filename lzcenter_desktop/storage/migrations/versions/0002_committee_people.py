"""Committee people: a person's category, a centre's people list, status of roster rows and meetings.

* ``person.category`` — the person's category on committee rosters, when known;
* ``center_person`` — a centre's list of people in order (the ``people`` array of
  ``lzcenter.committees/1``), including people who hold no role;
* ``expert_committee_member.status`` / ``retired_on`` / ``position`` — replace the old
  ``retired:`` category prefix and keep the roster order;
* ``committee_meeting.status`` — replaces the old ``retired:`` committee prefix.

Rows written by 0001 with a ``retired:`` prefix are converted to the status columns (and back on
downgrade). A downgrade drops the centre people lists: the people stay in the registry and on their
rosters, only the list order and the people who hold no role are lost.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 17:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The stopgap of revision 0001 (frozen here: a migration must not change with the application).
RETIRED_PREFIX = "retired:"


def upgrade() -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(sa.Column("category", sa.String(length=30), nullable=True))

    op.create_table(
        "center_person",
        sa.Column("center_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=30), nullable=False),
        sa.Column("position", sa.Integer(), server_default="0", nullable=False),
        sa.Column("status", sa.String(length=20), server_default="active", nullable=False),
        sa.Column("retired_on", sa.Date(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["center_id"], ["center.id"], name=op.f("fk_center_person_center_id_center")),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name=op.f("fk_center_person_person_id_person")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_center_person")),
        sa.UniqueConstraint("center_id", "person_id", name=op.f("uq_center_person_center_id_person_id")),
    )
    with op.batch_alter_table("center_person", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_center_person_person_id"), ["person_id"], unique=False)

    with op.batch_alter_table("expert_committee_member", schema=None) as batch_op:
        batch_op.add_column(sa.Column("position", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(
            sa.Column("status", sa.String(length=20), server_default="active", nullable=False)
        )
        batch_op.add_column(sa.Column("retired_on", sa.Date(), nullable=True))

    with op.batch_alter_table("committee_meeting", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("status", sa.String(length=20), server_default="active", nullable=False)
        )

    # the old prefixes become status values
    n = len(RETIRED_PREFIX)
    op.execute(
        sa.text(
            "UPDATE expert_committee_member SET status = 'retired', "
            f"category = substr(category, {n + 1}) WHERE substr(category, 1, {n}) = :p"
        ).bindparams(p=RETIRED_PREFIX)
    )
    op.execute(
        sa.text(
            "UPDATE committee_meeting SET status = 'retired', "
            f"committee = substr(committee, {n + 1}) WHERE substr(committee, 1, {n}) = :p"
        ).bindparams(p=RETIRED_PREFIX)
    )
    # roster order: the order the rows were entered in (what 0001 showed)
    op.execute(
        sa.text(
            "UPDATE expert_committee_member SET position = ("
            " SELECT count(*) FROM expert_committee_member AS e"
            " WHERE e.term_id = expert_committee_member.term_id AND e.id < expert_committee_member.id)"
        )
    )
    # a person's category: the one of their latest active roster row, if any
    op.execute(
        sa.text(
            "UPDATE person SET category = ("
            " SELECT m.category FROM expert_committee_member AS m"
            " WHERE m.person_id = person.id AND m.status = 'active' ORDER BY m.id DESC LIMIT 1)"
        )
    )


def downgrade() -> None:
    n = len(RETIRED_PREFIX)
    op.execute(
        sa.text(
            "UPDATE expert_committee_member SET category = :p || category "
            f"WHERE status = 'retired' AND substr(category, 1, {n}) != :p"
        ).bindparams(p=RETIRED_PREFIX)
    )
    op.execute(
        sa.text(
            "UPDATE committee_meeting SET committee = :p || committee "
            f"WHERE status = 'retired' AND substr(committee, 1, {n}) != :p"
        ).bindparams(p=RETIRED_PREFIX)
    )
    with op.batch_alter_table("committee_meeting", schema=None) as batch_op:
        batch_op.drop_column("status")

    with op.batch_alter_table("expert_committee_member", schema=None) as batch_op:
        batch_op.drop_column("retired_on")
        batch_op.drop_column("status")
        batch_op.drop_column("position")

    with op.batch_alter_table("center_person", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_center_person_person_id"))

    op.drop_table("center_person")

    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_column("category")
