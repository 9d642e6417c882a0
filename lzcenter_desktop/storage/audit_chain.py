"""Writing and reading the audit chain (the hashing itself is :mod:`domain.audit_chain`).

The storage guards call :func:`chain_rows` (entries written by the flush hook) and
:func:`chain_objects` (``AuditEntry`` objects a service added itself) inside the write
transaction: they read the newest entry's id and hash, give the new entries the ids after it and
link them. On SQLite the write transaction holds the write lock from its start (``BEGIN
IMMEDIATE``), so no other writer can slip an entry in between the read and the insert; on
PostgreSQL a transaction-level advisory lock serialises the writers of the trail the same way,
and the table's id sequence is moved past the ids given (:func:`_keep_sequence_ahead`), so that
whatever inserts an entry by the column's default (``copy-database``, a maintainer's SQL) gets a
fresh id, not one the chain already used.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, text

from lzcenter_desktop.domain.audit_chain import GENESIS, ChainEntry, link

#: The key of PostgreSQL's transaction-level advisory lock taken before the trail is extended.
PG_LOCK_KEY = 0x6C7A_6175  # "lzau"
_FIELDS = "id, at, operator, action, operation, entity, entity_id, before, after, txn, prev_hash, entry_hash"


def chain_tail(conn: Connection) -> tuple[int, str]:
    """(the newest entry's id, its hash); ``(0, GENESIS)`` for an empty trail. Takes PostgreSQL's
    advisory lock first (held to the end of the transaction)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": PG_LOCK_KEY})
    row = conn.execute(text("SELECT id, entry_hash FROM audit_entry ORDER BY id DESC LIMIT 1")).first()
    if row is None:
        return 0, GENESIS
    return int(row[0]), str(row[1] or "")


def _entry(values: dict[str, Any], entry_id: int) -> ChainEntry:
    at = values["at"]
    assert isinstance(at, datetime)
    return ChainEntry(
        id=entry_id,
        at=at,
        operator=str(values["operator"]),
        action=str(values["action"]),
        operation=str(values["operation"]),
        entity=str(values["entity"]),
        entity_id=str(values["entity_id"]),
        before=values.get("before"),
        after=values.get("after"),
        txn=str(values["txn"]),
    )


def chain_rows(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Give ``rows`` (values of ``audit_entry`` rows about to be inserted) their ids and hashes."""
    if not rows:
        return
    last_id, last_hash = chain_tail(conn)
    entries = [_entry(row, last_id + k) for k, row in enumerate(rows, start=1)]
    for row, entry, (prev, digest) in zip(rows, entries, link(entries, last_hash), strict=True):
        row["id"] = entry.id
        row["prev_hash"] = prev
        row["entry_hash"] = digest
    _keep_sequence_ahead(conn, entries[-1].id)


def _keep_sequence_ahead(conn: Connection, last_id: int) -> None:
    """On PostgreSQL, move ``audit_entry``'s id sequence to ``last_id`` (its next value is then
    ``last_id + 1``); ``last_id`` is the largest id in the table (the advisory lock is held). A
    rolled-back transaction leaves it ahead, which only skips ids the default would have given —
    the chain numbers its entries from the newest row, not from the sequence. SQLite needs nothing:
    its rowid default is the largest id plus one."""
    if conn.dialect.name != "postgresql":
        return
    conn.execute(
        text("SELECT setval(pg_get_serial_sequence('audit_entry', 'id'), :last)"),
        {"last": last_id},
    )


def chain_objects(conn: Connection, objects: Sequence[Any]) -> None:
    """The same for ``AuditEntry`` objects pending in a session (in the order they were added)."""
    if not objects:
        return
    last_id, last_hash = chain_tail(conn)
    entries = [
        _entry({name: getattr(obj, name) for name in ChainEntry.__dataclass_fields__}, last_id + k)
        for k, obj in enumerate(objects, start=1)
    ]
    for obj, entry, (prev, digest) in zip(objects, entries, link(entries, last_hash), strict=True):
        obj.id = entry.id
        obj.prev_hash = prev
        obj.entry_hash = digest
    _keep_sequence_ahead(conn, entries[-1].id)


def _parse(row: Sequence[Any]) -> ChainEntry:
    at = row[1]
    if isinstance(at, str):  # SQLite's text, read without the column type
        at = datetime.fromisoformat(at)
    at = at.replace(tzinfo=UTC) if at.tzinfo is None else at  # stored as naive UTC
    return ChainEntry(
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
        prev_hash=str(row[10] or ""),
        entry_hash=str(row[11] or ""),
    )


def iter_entries(conn: Connection, *, batch: int = 2000) -> Iterator[ChainEntry]:
    """Every audit entry in id order, read in batches (a long trail is never all in memory)."""
    after = -1
    while True:
        rows = conn.execute(
            text(f"SELECT {_FIELDS} FROM audit_entry WHERE id > :after ORDER BY id LIMIT :n"),
            {"after": after, "n": batch},
        ).all()
        for row in rows:
            yield _parse(row)
        if len(rows) < batch:
            return
        after = int(rows[-1][0])


def latest_entry(conn: Connection) -> ChainEntry | None:
    """The newest entry (the anchor), ``None`` for an empty trail."""
    row = conn.execute(text(f"SELECT {_FIELDS} FROM audit_entry ORDER BY id DESC LIMIT 1")).first()
    return _parse(row) if row is not None else None


def has_hash(conn: Connection, digest: str) -> bool:
    """Whether an entry of the trail carries ``digest`` as its hash."""
    row = conn.execute(
        text("SELECT 1 FROM audit_entry WHERE entry_hash = :h LIMIT 1"), {"h": digest.strip().lower()}
    ).first()
    return row is not None
