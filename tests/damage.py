"""Damaged databases for tests: real SQLite files with garbage written into a page of ``audit_entry``.

The damage lands on the middle row of a leaf page of the ``audit_entry`` table (found
with ``dbstat``), so the file still opens, ``sqlite_master`` and the other tables still read, and
only SQLite's checks (and reading those rows) notice. :func:`damage_audit_entry` asserts that
``PRAGMA integrity_check`` (and ``quick_check``) really fail afterwards.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

GARBAGE = b"\xff" * 64 + b"garbage!" * 8


def _check(path: Path, pragma: str) -> list[str]:
    con = sqlite3.connect(path)
    try:
        return [str(r[0]) for r in con.execute(f"PRAGMA {pragma}").fetchall()]
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    finally:
        con.close()


def damage_audit_entry(path: Path) -> int:
    """Overwrite bytes in the middle of an ``audit_entry`` leaf page of the (closed) database
    ``path`` — over the middle row's sizes and record header, so SQLite's checks must notice (garbage
    inside a row's text alone goes unnoticed by them). Returns the page number."""
    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.execute("PRAGMA journal_mode = DELETE")
        page_size = int(con.execute("PRAGMA page_size").fetchone()[0])
        root = int(con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'audit_entry'").fetchone()[0])
        leaves = [
            int(r[0])
            for r in con.execute(
                "SELECT pageno FROM dbstat WHERE name = 'audit_entry' AND pagetype = 'leaf' ORDER BY pageno"
            )
        ]
    finally:
        con.close()
    page = leaves[len(leaves) // 2] if leaves else root
    base = (page - 1) * page_size
    header = base + (100 if page == 1 else 0)
    with open(path, "r+b") as handle:
        handle.seek(header + 3)
        cells = int.from_bytes(handle.read(2), "big")
        assert cells > 0, "the audit_entry page holds no row to damage"
        handle.seek(header + 8 + 2 * (cells // 2))  # the pointer to the middle cell of the page
        cell = int.from_bytes(handle.read(2), "big")
        handle.seek(base + cell)  # garbage over that row's sizes and record header
        handle.write(GARBAGE[: min(len(GARBAGE), page_size - cell)])
    assert _check(path, "integrity_check") != ["ok"], "the damage must make integrity_check fail"
    assert _check(path, "quick_check") != ["ok"], "the damage must make quick_check fail"
    con = sqlite3.connect(path)
    try:  # the file still opens and its other tables still read
        con.execute("SELECT count(*) FROM alembic_version").fetchone()
    finally:
        con.close()
    return page


def fill_audit_entries(path: Path, rows: int = 300) -> None:
    """Append ``rows`` audit entries straight into the (migrated) database ``path`` — test data
    for the storage layer, written with plain sqlite3 (no project engine, so no guard)."""
    con = sqlite3.connect(path)
    try:
        con.executemany(
            "INSERT INTO audit_entry"
            " (operator, action, operation, entity, entity_id, before, after, txn, at) VALUES"
            " ('测试员', 'test.fill', 'insert', 'center', ?, NULL, ?, 'txn', '2026-11-26 09:30:00')",
            [(str(n), f'{{"name_zh": "柳州第{n}号测试工程技术研究中心"}}') for n in range(rows)],
        )
        con.commit()
    finally:
        con.close()


def make_sound_database(path: Path) -> Path:
    """A migrated database at ``path`` holding 300 audit entries."""
    from lzcenter_desktop.storage import schema
    from lzcenter_desktop.storage.engine import Database

    db = Database.open(str(path))
    try:
        schema.upgrade(db.engine)
    finally:
        db.dispose()
    fill_audit_entries(path)
    return path


def make_damaged_database(path: Path) -> Path:
    """:func:`make_sound_database`, then damaged (see :func:`damage_audit_entry`)."""
    make_sound_database(path)
    damage_audit_entry(path)
    return path
