"""Declaration drafts without placeholder records; stored warning acknowledgements.

* ``declaration.center_id`` / ``declaration.host_id`` become nullable: a draft gets its centre and
  its host organization when it is submitted (or imported with a valid host), not when it is begun.
* Existing placeholder records made for drafts by the earlier program — a centre still in 草稿 named
  ``（未命名的申报中心）`` and a host organization named ``（未填写依托单位）`` without a credit
  code — are detached from their draft (or withdrawn) declarations and retired, never deleted: the
  centre moves to 已撤回 with a timeline entry saying why, the organization gets status ``retired``.
  An organization still used elsewhere (by a centre that stays, another declaration, a party row)
  stays active. Each change gets an audit entry (action ``migrations.0004``).
* ``declaration_acknowledgement`` — the reason given for each warning, saved as it is typed.

Downgrade: a declaration without a centre or host gets a new placeholder (as 0003 required), then
the columns become NOT NULL again; the acknowledgement table is dropped (its reasons are lost — the
submitted ones stay in the centre's timeline entry of the submission).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 17:30:00
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any
from uuid import uuid4

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen here: a migration must not change with the application.
PLACEHOLDER_HOST = "（未填写依托单位）"
PLACEHOLDER_CENTER = "（未命名的申报中心）"
OPERATOR = "系统（数据库迁移 0004）"
ACTION = "migrations.0004"
RETIRE_REASON = "申报书草稿不再预建占位中心：此占位记录由数据库迁移 0004 停用（未删除）"


def _now() -> str:
    return datetime.now(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")


def _audit(conn: Any, txn: str, entity: str, entity_id: int, before: Any, after: Any, operation: str) -> None:
    conn.execute(
        sa.text(
            "INSERT INTO audit_entry (operator, action, operation, entity, entity_id, before, after, txn, at)"
            " VALUES (:operator, :action, :operation, :entity, :entity_id, :before, :after, :txn, :at)"
        ),
        {
            "operator": OPERATOR,
            "action": ACTION,
            "operation": operation,
            "entity": entity,
            "entity_id": str(entity_id),
            "before": None if before is None else json.dumps(before, ensure_ascii=False, sort_keys=True),
            "after": json.dumps(after, ensure_ascii=False, sort_keys=True),
            "txn": txn,
            "at": _now(),
        },
    )


def upgrade() -> None:
    with op.batch_alter_table("declaration", schema=None) as batch_op:
        batch_op.alter_column("center_id", existing_type=sa.Integer(), nullable=True)
        batch_op.alter_column("host_id", existing_type=sa.Integer(), nullable=True)

    op.create_table(
        "declaration_acknowledgement",
        sa.Column("declaration_id", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=30), nullable=False),
        sa.Column("path", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("operator", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["declaration_id"],
            ["declaration.id"],
            name=op.f("fk_declaration_acknowledgement_declaration_id_declaration"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_declaration_acknowledgement")),
    )
    with op.batch_alter_table("declaration_acknowledgement", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_declaration_acknowledgement_declaration_id"), ["declaration_id"], unique=False
        )

    _retire_placeholders()


def _retire_placeholders() -> None:
    conn = op.get_bind()
    txn = uuid4().hex
    today = date.today().isoformat()
    open_statuses = "('draft', 'withdrawn')"
    centres = [
        int(r[0])
        for r in conn.execute(
            sa.text(
                "SELECT DISTINCT c.id FROM center AS c JOIN declaration AS d ON d.center_id = c.id"
                f" WHERE d.status IN {open_statuses} AND c.state = 'draft' AND c.name_zh = :name"
                " AND NOT EXISTS (SELECT 1 FROM declaration AS o WHERE o.center_id = c.id"
                f" AND o.status NOT IN {open_statuses}) ORDER BY c.id"
            ),
            {"name": PLACEHOLDER_CENTER},
        )
    ]
    for cid in centres:
        for (did,) in conn.execute(
            sa.text("SELECT id FROM declaration WHERE center_id = :c ORDER BY id"), {"c": cid}
        ).all():
            conn.execute(sa.text("UPDATE declaration SET center_id = NULL WHERE id = :d"), {"d": did})
            _audit(conn, txn, "declaration", did, {"center_id": cid}, {"center_id": None}, "update")
        since = conn.execute(sa.text("SELECT state_since FROM center WHERE id = :c"), {"c": cid}).scalar()
        conn.execute(
            sa.text("UPDATE center SET state = 'withdrawn', state_since = :t WHERE id = :c"),
            {"t": today, "c": cid},
        )
        _audit(
            conn,
            txn,
            "center",
            cid,
            {"state": "draft", "state_since": str(since)},
            {"state": "withdrawn", "state_since": today},
            "update",
        )
        conn.execute(
            sa.text(
                "INSERT INTO center_state_change (center_id, changed_on, from_state, to_state, operator,"
                " reason, recorded_at) VALUES (:c, :t, 'draft', 'withdrawn', :op, :reason, :at)"
            ),
            {"c": cid, "t": today, "op": OPERATOR, "reason": RETIRE_REASON, "at": _now()},
        )
        sc_id = conn.execute(sa.text("SELECT max(id) FROM center_state_change")).scalar()
        _audit(
            conn,
            txn,
            "center_state_change",
            int(sc_id or 0),
            None,
            {"center_id": cid, "from_state": "draft", "to_state": "withdrawn", "reason": RETIRE_REASON},
            "insert",
        )

    hosts = [
        int(r[0])
        for r in conn.execute(
            sa.text(
                "SELECT DISTINCT o.id FROM organization AS o JOIN declaration AS d ON d.host_id = o.id"
                f" WHERE d.status IN {open_statuses} AND o.name = :name AND o.credit_code IS NULL"
                " AND o.status = 'active' AND NOT EXISTS (SELECT 1 FROM declaration AS x"
                f" WHERE x.host_id = o.id AND x.status NOT IN {open_statuses}) ORDER BY o.id"
            ),
            {"name": PLACEHOLDER_HOST},
        )
    ]
    for oid in hosts:
        for (did,) in conn.execute(
            sa.text("SELECT id FROM declaration WHERE host_id = :o ORDER BY id"), {"o": oid}
        ).all():
            conn.execute(sa.text("UPDATE declaration SET host_id = NULL WHERE id = :d"), {"d": did})
            _audit(conn, txn, "declaration", did, {"host_id": oid}, {"host_id": None}, "update")
        still_used = conn.execute(
            sa.text(
                "SELECT (SELECT count(*) FROM center WHERE host_id = :o AND state != 'withdrawn')"
                " + (SELECT count(*) FROM center WHERE host_id = :o AND state = 'withdrawn'"
                "    AND name_zh != :pc)"
                " + (SELECT count(*) FROM declaration_party WHERE organization_id = :o)"
                " + (SELECT count(*) FROM center_party WHERE organization_id = :o)"
                " + (SELECT count(*) FROM cto_filing WHERE organization_id = :o)"
            ),
            {"o": oid, "pc": PLACEHOLDER_CENTER},
        ).scalar()
        if still_used:
            continue
        conn.execute(
            sa.text("UPDATE organization SET status = 'retired', retired_on = :t WHERE id = :o"),
            {"t": today, "o": oid},
        )
        _audit(
            conn,
            txn,
            "organization",
            oid,
            {"status": "active", "retired_on": None},
            {"status": "retired", "retired_on": today},
            "update",
        )


def downgrade() -> None:
    conn = op.get_bind()
    today = date.today().isoformat()
    for did, host_id in conn.execute(
        sa.text("SELECT id, host_id FROM declaration WHERE host_id IS NULL OR center_id IS NULL ORDER BY id")
    ).all():
        if host_id is None:
            conn.execute(
                sa.text(
                    "INSERT INTO organization (name, kind, first_level_legal_person, status, created_at)"
                    " VALUES (:n, 'enterprise', 1, 'active', :at)"
                ),
                {"n": PLACEHOLDER_HOST, "at": _now()},
            )
            host_id = conn.execute(sa.text("SELECT max(id) FROM organization")).scalar()
            conn.execute(
                sa.text("UPDATE declaration SET host_id = :o WHERE id = :d"), {"o": host_id, "d": did}
            )
    for did, host_id, name in conn.execute(
        sa.text("SELECT id, host_id, name_zh FROM declaration WHERE center_id IS NULL ORDER BY id")
    ).all():
        conn.execute(
            sa.text(
                "INSERT INTO center (name_zh, name_en, research_direction, host_id, state, state_since,"
                " created_at) VALUES (:n, '', '', :h, 'draft', :t, :at)"
            ),
            {"n": (name or "").strip() or PLACEHOLDER_CENTER, "h": host_id, "t": today, "at": _now()},
        )
        cid = conn.execute(sa.text("SELECT max(id) FROM center")).scalar()
        conn.execute(
            sa.text(
                "INSERT INTO center_state_change (center_id, changed_on, from_state, to_state, operator,"
                " reason, recorded_at) VALUES (:c, :t, NULL, 'draft', :op, :reason, :at)"
            ),
            {
                "c": cid,
                "t": today,
                "op": OPERATOR,
                "reason": "数据库降级：为申报书草稿补建占位中心",
                "at": _now(),
            },
        )
        conn.execute(sa.text("UPDATE declaration SET center_id = :c WHERE id = :d"), {"c": cid, "d": did})

    with op.batch_alter_table("declaration_acknowledgement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_declaration_acknowledgement_declaration_id"))

    op.drop_table("declaration_acknowledgement")

    with op.batch_alter_table("declaration", schema=None) as batch_op:
        batch_op.alter_column("host_id", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("center_id", existing_type=sa.Integer(), nullable=False)
