"""Is a file this system's database, and is it whole? SQLite's own checks, with Chinese verdicts.

* :func:`file_kind` reads the 16-byte header: a JSON or Excel file given as the database is "not
  our database" (:class:`~lzcenter_desktop.storage.errors.NotOurDatabase`), never "damaged".
* :func:`run_check` runs ``PRAGMA quick_check`` (every start: about 7 ms on the 3.6 MB demo
  database) or ``PRAGMA integrity_check`` (before and after every backup) and returns the
  problems SQLite reports — an empty list means the file is sound.
* :func:`check_file` does the same on a file through its own read-only connection.

A damaged database becomes :class:`~lzcenter_desktop.storage.errors.DatabaseCorrupt` with a
message that says what happened and what to do; the technical lines stay in ``detail``.
"""

from __future__ import annotations

import sqlite3
from enum import StrEnum
from pathlib import Path

from lzcenter_desktop.storage.errors import DatabaseCorrupt, NotOurDatabase, classify

SQLITE_HEADER = b"SQLite format 3\x00"
MAX_REPORTED = 20  # problem lines asked of SQLite: enough for the log, bounded for a badly damaged file
OUR_TABLES = frozenset({"alembic_version", "audit_entry", "center"})  # present in every revision


class FileKind(StrEnum):
    ABSENT = "absent"  # no file: a new database will be created
    EMPTY = "empty"  # a 0-byte file: SQLite treats it as a new database
    SQLITE = "sqlite"  # starts with SQLite's header (ours or not, whole or not)
    OTHER = "other"  # anything else: not a database


def file_kind(path: Path) -> FileKind:
    """What ``path`` holds, judged by SQLite's 16-byte file header."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return FileKind.ABSENT
    except OSError as exc:
        problem = classify(exc)
        if problem is not None:
            raise problem from exc
        raise
    if not head:
        return FileKind.EMPTY
    return FileKind.SQLITE if head == SQLITE_HEADER else FileKind.OTHER


def not_sqlite_file(path: Path) -> NotOurDatabase:
    return NotOurDatabase(
        f"“{path.name}”不是本系统的数据库：它不是 SQLite 数据库文件（可能是 JSON、Excel 或其他文件）。"
        "文件未被改动。请检查 --db 或环境变量 LZCENTER_DB 指定的路径，"
        "应指向本系统的数据库文件（.sqlite）。",
        detail=str(path),
    )


def foreign_database(name: str) -> NotOurDatabase:
    return NotOurDatabase(
        f"“{name}”是一个 SQLite 数据库，但不是本系统的数据库（没有本系统的数据表和版本信息）。"
        "为避免改动其中的数据，未打开它。请检查 --db 或环境变量 LZCENTER_DB 指定的路径。",
        detail=name,
    )


def damaged_database(name: str, problems: list[str]) -> DatabaseCorrupt:
    """The file ``name`` failed SQLite's check: writing to it could spread the damage."""
    return DatabaseCorrupt(
        f"数据库文件“{name}”未通过完整性检查，文件的一部分已损坏（常见原因：断电、磁盘故障、复制中断）。"
        "为免损坏扩散，本程序不会向它导入或写入任何内容。"
        "请用数据库所在文件夹下 backups 文件夹中最近的完好备份恢复："
        "打开主窗口会列出备份并可恢复（损坏的文件会先改名保留，不会删除）；或联系系统维护人员。",
        detail="\n".join(problems),
    )


def run_check(con: sqlite3.Connection, *, full: bool) -> list[str]:
    """SQLite's verdict on the database of ``con``: ``[]`` when sound, else the problems it found.

    ``full`` runs ``integrity_check`` (also compares every index with its table), otherwise the
    cheaper ``quick_check``. A database too damaged to be checked is reported as one problem.
    """
    pragma = "integrity_check" if full else "quick_check"
    try:
        rows = con.execute(f"PRAGMA {pragma}({MAX_REPORTED})").fetchall()
    except sqlite3.DatabaseError as exc:
        problem = classify(exc)
        if isinstance(problem, DatabaseCorrupt):
            return [str(exc)]
        if problem is not None:
            raise problem from exc
        raise
    lines = [str(row[0]) for row in rows]
    return [] if lines == ["ok"] else lines


def table_names(con: sqlite3.Connection) -> set[str]:
    return {
        str(row[0])
        for row in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    }


def check_file(path: Path, *, full: bool = True) -> list[str]:
    """Check the SQLite file ``path`` through a read-only connection of its own; ``[]`` when sound.

    Raises :class:`NotOurDatabase` for a file that is not SQLite at all.
    """
    path = Path(path)
    if file_kind(path) is FileKind.OTHER:
        raise not_sqlite_file(path)
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
    except sqlite3.Error as exc:
        problem = classify(exc)
        if problem is not None:
            raise problem from exc
        raise
    try:
        return run_check(con, full=full)
    finally:
        con.close()


__all__ = [
    "OUR_TABLES",
    "SQLITE_HEADER",
    "FileKind",
    "check_file",
    "damaged_database",
    "file_kind",
    "foreign_database",
    "not_sqlite_file",
    "run_check",
    "table_names",
]
