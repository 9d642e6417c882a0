"""backup_sqlite: SQLite's backup API, a consistent standalone copy."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from lzcenter_desktop.storage.backup import backup_sqlite, timestamped_backup_path
from lzcenter_desktop.storage.errors import CannotOpenDatabase


def test_copy_includes_data_still_in_the_wal(tmp_path: Path) -> None:
    src = tmp_path / "src.sqlite"
    con = sqlite3.connect(src)
    con.execute("PRAGMA journal_mode = WAL")
    con.execute("PRAGMA wal_autocheckpoint = 0")  # keep the rows in the -wal file
    con.execute("create table t (x)")
    con.executemany("insert into t values (?)", [(i,) for i in range(500)])
    con.commit()
    assert (tmp_path / "src.sqlite-wal").stat().st_size > 0
    dest = backup_sqlite(src, tmp_path / "out" / "copy.sqlite")
    con.close()
    assert dest == tmp_path / "out" / "copy.sqlite"
    copy = sqlite3.connect(dest)
    try:
        assert copy.execute("select count(*) from t").fetchone()[0] == 500
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    finally:
        copy.close()
    assert not (tmp_path / "out" / "copy.sqlite.part").exists()


def test_missing_source_is_a_chinese_error(tmp_path: Path) -> None:
    with pytest.raises(CannotOpenDatabase, match="不存在"):
        backup_sqlite(tmp_path / "none.sqlite", tmp_path / "x.sqlite")


def test_timestamped_path_is_in_backups_and_never_reused(tmp_path: Path) -> None:
    db = tmp_path / "lzcenter.sqlite"
    when = datetime(2026, 11, 26, 9, 30, 0)
    first = timestamped_backup_path(db, reason="before-migration-0001", when=when)
    assert first == tmp_path / "backups" / "lzcenter-before-migration-0001-20261126-093000.sqlite"
    first.parent.mkdir()
    first.write_bytes(b"")
    second = timestamped_backup_path(db, reason="before-migration-0001", when=when)
    assert second != first and second.name.endswith("-2.sqlite")
