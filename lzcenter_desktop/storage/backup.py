"""Consistent copies of a SQLite database with SQLite's online backup API.

The backup API copies a consistent snapshot even while other connections read or write (WAL
included), which a plain file copy does not. The copy is written to a temporary file beside the
destination and renamed into place, so a half-written backup never carries the final name.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from datetime import datetime
from pathlib import Path

from lzcenter_desktop.storage.errors import CannotOpenDatabase, classify


def backup_sqlite(source: Path, dest: Path) -> Path:
    """Copy the SQLite database ``source`` to ``dest`` (parent folders are created); returns ``dest``."""
    source = Path(source)
    dest = Path(dest)
    if not source.is_file():
        raise CannotOpenDatabase(f"要备份的数据库文件不存在：{source}")
    tmp = dest.with_name(dest.name + ".part")
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
        try:
            dst = sqlite3.connect(str(tmp))
            try:
                src.backup(dst, pages=1024)
                # The copy is a standalone file: no WAL beside it.
                dst.execute("PRAGMA journal_mode = DELETE")
            finally:
                dst.close()
        finally:
            src.close()
        os.replace(tmp, dest)
    except (sqlite3.Error, OSError) as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        problem = classify(exc)
        if problem is not None:
            raise problem from exc
        raise
    return dest


def timestamped_backup_path(db_path: Path, *, reason: str = "backup", when: datetime | None = None) -> Path:
    """``<db folder>/backups/<stem>-<reason>-YYYYmmdd-HHMMSS<suffix>``; never an existing file."""
    when = when or datetime.now()
    folder = db_path.parent / "backups"
    stamp = when.strftime("%Y%m%d-%H%M%S")
    suffix = db_path.suffix or ".sqlite"
    candidate = folder / f"{db_path.stem}-{reason}-{stamp}{suffix}"
    n = 1
    while candidate.exists():
        n += 1
        candidate = folder / f"{db_path.stem}-{reason}-{stamp}-{n}{suffix}"
    return candidate
