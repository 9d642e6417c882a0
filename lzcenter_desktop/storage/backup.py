"""Consistent copies of a SQLite database with SQLite's online backup API, checked on both sides.

The backup API copies a consistent snapshot even while other connections read or write (WAL
included), which a plain file copy does not. ``PRAGMA integrity_check`` runs on the database
before copying and on the copy before it gets its name: a damaged database is never backed up,
so a damaged copy can never replace (or push out) a good older backup. The copy is written to a
temporary file beside the destination and renamed into place, so a half-written or unchecked
backup never carries the final name.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from datetime import datetime
from pathlib import Path

from lzcenter_desktop.storage.errors import CannotOpenDatabase, DatabaseCorrupt, classify
from lzcenter_desktop.storage.integrity import FileKind, file_kind, not_sqlite_file, run_check


def damaged_source(name: str, problems: list[str]) -> DatabaseCorrupt:
    return DatabaseCorrupt(
        f"数据库文件“{name}”未通过完整性检查，文件已损坏，因此没有备份："
        "损坏的副本不能当作备份，已有的备份都保持原样。"
        "请用最近的完好备份恢复数据库（打开主窗口会列出备份并可恢复），或联系系统维护人员。",
        detail="\n".join(problems),
    )


def damaged_copy(name: str, problems: list[str]) -> DatabaseCorrupt:
    return DatabaseCorrupt(
        f"刚写出的备份副本“{name}”未通过完整性检查（可能是目标磁盘故障），已删除该副本，"
        "没有替换任何已有的备份。请检查目标磁盘后重试，或换一个位置备份。",
        title="备份副本已损坏",
        detail="\n".join(problems),
    )


def _write_copy(src: sqlite3.Connection, tmp: Path) -> None:
    """Copy the database of ``src`` into the new file ``tmp`` with SQLite's backup API."""
    dst = sqlite3.connect(str(tmp))
    try:
        src.backup(dst, pages=1024)
        # The copy is a standalone file: no WAL beside it.
        dst.execute("PRAGMA journal_mode = DELETE")
    finally:
        dst.close()


def backup_sqlite(source: Path, dest: Path) -> Path:
    """Copy the SQLite database ``source`` to ``dest`` (parent folders are created); returns ``dest``.

    Raises :class:`DatabaseCorrupt` — leaving ``dest`` as it was — when ``source`` or the copy
    fails ``PRAGMA integrity_check``.
    """
    source = Path(source)
    dest = Path(dest)
    if not source.is_file():
        raise CannotOpenDatabase(f"要备份的数据库文件不存在：{source}")
    if file_kind(source) is FileKind.OTHER:
        raise not_sqlite_file(source)
    tmp = dest.with_name(dest.name + ".part")
    try:
        src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
        try:
            problems = run_check(src, full=True)
            if problems:
                raise damaged_source(source.name, problems)
            dest.parent.mkdir(parents=True, exist_ok=True)
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
            _write_copy(src, tmp)
        finally:
            src.close()
        check = sqlite3.connect(f"{tmp.resolve().as_uri()}?mode=ro", uri=True)
        try:
            problems = run_check(check, full=True)
        finally:
            check.close()
        if problems:
            raise damaged_copy(dest.name, problems)
        os.replace(tmp, dest)
    except (sqlite3.Error, OSError, DatabaseCorrupt) as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(exc, DatabaseCorrupt):
            raise
        problem = classify(exc)
        if problem is not None:
            raise problem from exc
        raise
    return dest


def timestamped_backup_path(db_path: Path, *, reason: str = "backup", when: datetime | None = None) -> Path:
    """``<db folder>/backups/<stem>-<reason>-YYYYmmdd-HHMMSS<suffix>``; never an existing file."""
    when = when or datetime.now()
    folder = backups_folder(db_path)
    stamp = when.strftime("%Y%m%d-%H%M%S")
    suffix = db_path.suffix or ".sqlite"
    candidate = folder / f"{db_path.stem}-{reason}-{stamp}{suffix}"
    n = 1
    while candidate.exists():
        n += 1
        candidate = folder / f"{db_path.stem}-{reason}-{stamp}-{n}{suffix}"
    return candidate


def backups_folder(db_path: Path) -> Path:
    """Where the backups of ``db_path`` go by default: ``<db folder>/backups``."""
    return Path(db_path).parent / "backups"
