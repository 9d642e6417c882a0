"""backup_sqlite: SQLite's backup API, a consistent standalone copy of a sound database only."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from lzcenter_desktop.storage import backup as backup_module
from lzcenter_desktop.storage.backup import backup_sqlite, timestamped_backup_path
from lzcenter_desktop.storage.errors import CannotOpenDatabase, DatabaseCorrupt, NotOurDatabase
from tests.damage import damage_audit_entry, make_damaged_database, make_sound_database

# SQLite's online backup of the file (a server database is backed up by its administrator)
pytestmark = pytest.mark.sqlite_only


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


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


def test_a_damaged_database_is_not_backed_up(tmp_path: Path) -> None:
    src = make_damaged_database(tmp_path / "lz.sqlite")
    before = _digest(src)
    dest = timestamped_backup_path(src)
    with pytest.raises(DatabaseCorrupt) as info:
        backup_sqlite(src, dest)
    assert "没有备份" in info.value.message and "已有的备份都保持原样" in info.value.message
    assert info.value.detail  # SQLite's own lines, for the log
    assert not dest.parent.exists()  # not even an empty backups folder
    assert _digest(src) == before


def test_a_damaged_database_never_replaces_a_good_backup(tmp_path: Path) -> None:
    good = tmp_path / "good.sqlite"
    con = sqlite3.connect(good)
    con.execute("create table t (x)")
    con.execute("insert into t values (1)")
    con.commit()
    con.close()
    dest = tmp_path / "backups" / "lz-backup.sqlite"
    backup_sqlite(good, dest)
    kept = _digest(dest)
    src = make_damaged_database(tmp_path / "lz.sqlite")
    with pytest.raises(DatabaseCorrupt):
        backup_sqlite(src, dest)  # the same name: it would overwrite the good backup
    assert _digest(dest) == kept
    assert sorted(p.name for p in dest.parent.iterdir()) == ["lz-backup.sqlite"]  # no .part left


def test_a_copy_that_fails_its_check_is_deleted_and_replaces_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sound = make_sound_database(tmp_path / "sound.sqlite")
    dest = tmp_path / "backups" / "sound-backup.sqlite"
    dest.parent.mkdir()
    dest.write_bytes(b"an older backup")
    real_write = backup_module._write_copy

    def write_then_damage(src: sqlite3.Connection, tmp: Path) -> None:  # a failing disk
        real_write(src, tmp)
        damage_audit_entry(tmp)

    monkeypatch.setattr(backup_module, "_write_copy", write_then_damage)
    with pytest.raises(DatabaseCorrupt) as info:
        backup_sqlite(sound, dest)
    assert info.value.title == "备份副本已损坏"
    assert "已删除该副本" in info.value.message and "没有替换任何已有的备份" in info.value.message
    assert dest.read_bytes() == b"an older backup"
    assert sorted(p.name for p in dest.parent.iterdir()) == ["sound-backup.sqlite"]


def test_a_sound_database_is_backed_up_and_the_copy_checked(tmp_path: Path) -> None:
    sound = make_sound_database(tmp_path / "sound.sqlite")
    dest = backup_sqlite(sound, tmp_path / "backups" / "copy.sqlite")
    con = sqlite3.connect(dest)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("SELECT count(*) FROM audit_entry").fetchone()[0] == 300
    finally:
        con.close()


def test_a_file_that_is_not_sqlite_is_not_backed_up(tmp_path: Path) -> None:
    src = tmp_path / "notes.json"
    src.write_text('{"a": 1}', encoding="utf-8")
    with pytest.raises(NotOurDatabase):
        backup_sqlite(src, tmp_path / "copy.sqlite")
    assert not (tmp_path / "copy.sqlite").exists()
