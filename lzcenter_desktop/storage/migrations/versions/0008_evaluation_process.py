"""The evaluation process of 第五章: the host's review and the filing day of a 工作年报
(``annual_report.host_reviewer``, ``host_reviewed_on``, ``filed_on``, ``source``); a round's
indicator sheet version, meeting day, package deadline and HMAC key; an evaluation's
self-evaluation, exact scores, proposed outcome and the day it was applied; the experts asked to
score an evaluation (``evaluation_assignment``) and their points (``evaluation_expert_score``).

Downgrade drops the new tables and columns.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 03:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "evaluation_assignment",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("evaluation_id", sa.Integer(), nullable=False),
        sa.Column("expert_id", sa.Integer(), nullable=False),
        sa.Column("how", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("override_reason", sa.String(length=500), nullable=True),
        sa.Column("removed_reason", sa.String(length=500), nullable=True),
        sa.Column("score_version", sa.Integer(), server_default="0", nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["evaluation_id"],
            ["evaluation.id"],
            name=op.f("fk_evaluation_assignment_evaluation_id_evaluation"),
        ),
        sa.ForeignKeyConstraint(
            ["expert_id"], ["expert.id"], name=op.f("fk_evaluation_assignment_expert_id_expert")
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["evaluation_round.id"],
            name=op.f("fk_evaluation_assignment_round_id_evaluation_round"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_assignment")),
        sa.UniqueConstraint(
            "evaluation_id", "expert_id", name=op.f("uq_evaluation_assignment_evaluation_id_expert_id")
        ),
    )
    with op.batch_alter_table("evaluation_assignment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_evaluation_assignment_evaluation_id"), ["evaluation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_evaluation_assignment_expert_id"), ["expert_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_evaluation_assignment_round_id"), ["round_id"], unique=False)

    op.create_table(
        "evaluation_expert_score",
        sa.Column("assignment_id", sa.Integer(), nullable=False),
        sa.Column("score_text", sa.String(length=30), nullable=False),
        sa.Column("points_json", sa.Text(), nullable=False),
        sa.Column("sheet_version", sa.String(length=50), nullable=True),
        sa.Column("scored_on", sa.Date(), nullable=False),
        sa.Column("source", sa.String(length=100), server_default="desktop", nullable=False),
        sa.Column("comment", sa.String(length=1000), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assignment_id"],
            ["evaluation_assignment.id"],
            name=op.f("fk_evaluation_expert_score_assignment_id_evaluation_assignment"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_expert_score")),
        sa.UniqueConstraint("assignment_id", name=op.f("uq_evaluation_expert_score_assignment_id")),
    )
    with op.batch_alter_table("annual_report", schema=None) as batch_op:
        batch_op.add_column(sa.Column("host_reviewer", sa.String(length=50), nullable=True))
        batch_op.add_column(sa.Column("host_reviewed_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("filed_on", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("source", sa.String(length=20), server_default="desktop", nullable=False)
        )

    with op.batch_alter_table("evaluation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("self_points_json", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("self_score_text", sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column("expert_score_text", sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column("total_text", sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column("outcome", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("outcome_applied_on", sa.Date(), nullable=True))

    with op.batch_alter_table("evaluation_round", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sheet_version", sa.String(length=50), nullable=True))
        batch_op.add_column(sa.Column("held_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("score_deadline", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("package_key", sa.String(length=128), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("evaluation_round", schema=None) as batch_op:
        batch_op.drop_column("package_key")
        batch_op.drop_column("score_deadline")
        batch_op.drop_column("held_on")
        batch_op.drop_column("sheet_version")

    with op.batch_alter_table("evaluation", schema=None) as batch_op:
        batch_op.drop_column("outcome_applied_on")
        batch_op.drop_column("outcome")
        batch_op.drop_column("total_text")
        batch_op.drop_column("expert_score_text")
        batch_op.drop_column("self_score_text")
        batch_op.drop_column("self_points_json")

    with op.batch_alter_table("annual_report", schema=None) as batch_op:
        batch_op.drop_column("source")
        batch_op.drop_column("filed_on")
        batch_op.drop_column("host_reviewed_on")
        batch_op.drop_column("host_reviewer")

    op.drop_table("evaluation_expert_score")
    with op.batch_alter_table("evaluation_assignment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evaluation_assignment_round_id"))
        batch_op.drop_index(batch_op.f("ix_evaluation_assignment_expert_id"))
        batch_op.drop_index(batch_op.f("ix_evaluation_assignment_evaluation_id"))

    op.drop_table("evaluation_assignment")
