"""storage.integrity and Database: a file that is not ours, a damaged file, a read-only database."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from lzcenter_desktop.storage.engine import Database
from lzcenter_desktop.storage.errors import DatabaseCorrupt, DatabaseReadOnly, NotOurDatabase, classify
from lzcenter_desktop.storage.integrity import FileKind, check_file, file_kind, run_check
from tests.damage import damage_audit_entry, make_damaged_database, make_sound_database

# SQLite's own integrity and quick checks of the file, its header and query_only
pytestmark = pytest.mark.sqlite_only


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def sound_path(tmp_path: Path) -> Path:
    return make_sound_database(tmp_path / "sound.sqlite")


def test_file_kind_by_header(tmp_path: Path, sound_path: Path) -> None:
    assert file_kind(tmp_path / "none.sqlite") is FileKind.ABSENT
    (tmp_path / "empty.sqlite").write_bytes(b"")
    assert file_kind(tmp_path / "empty.sqlite") is FileKind.EMPTY
    assert file_kind(sound_path) is FileKind.SQLITE
    (tmp_path / "x.json").write_text(json.dumps({"schema": "lzcenter"}), encoding="utf-8")
    assert file_kind(tmp_path / "x.json") is FileKind.OTHER
    # One byte short of SQLite's 16-byte header is not SQLite.
    (tmp_path / "short.sqlite").write_bytes(b"SQLite format 3")
    assert file_kind(tmp_path / "short.sqlite") is FileKind.OTHER


def test_sound_database_passes_both_checks(sound_path: Path) -> None:
    con = sqlite3.connect(sound_path)
    try:
        assert run_check(con, full=False) == []
        assert run_check(con, full=True) == []
    finally:
        con.close()
    assert check_file(sound_path) == []


def test_damaged_audit_entry_page_fails_both_checks(sound_path: Path) -> None:
    damage_audit_entry(sound_path)
    con = sqlite3.connect(sound_path)
    try:
        assert run_check(con, full=False)
        assert run_check(con, full=True)
        # The damage is confined: the other tables still read.
        assert con.execute("SELECT count(*) FROM alembic_version").fetchone()[0] == 1
    finally:
        con.close()
    assert check_file(sound_path, full=True)
    assert check_file(sound_path, full=False)


def test_a_json_file_is_not_our_database_and_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "declaration.json"
    path.write_text(json.dumps({"declaration": {"name": "柳州某工程技术研究中心"}}), encoding="utf-8")
    before = _digest(path)
    with pytest.raises(NotOurDatabase) as info:
        Database.open(str(path))
    assert info.value.title == "不是本系统的数据库"
    assert "declaration.json" in info.value.message and "SQLite" in info.value.message
    assert "损坏" not in info.value.message
    with pytest.raises(NotOurDatabase):
        check_file(path)
    assert _digest(path) == before


def test_an_empty_file_is_a_new_database_not_a_foreign_one(tmp_path: Path) -> None:
    path = tmp_path / "empty.sqlite"
    path.write_bytes(b"")
    db = Database.open(str(path))
    try:
        assert db.quick_check() == []
        assert db.table_names() == set()
    finally:
        db.dispose()


def test_quick_check_of_a_damaged_file_writes_nothing(tmp_path: Path) -> None:
    path = make_damaged_database(tmp_path / "damaged.sqlite")
    before = _digest(path)
    db = Database.open(str(path))
    try:
        assert db.quick_check()
        assert "audit_entry" in db.table_names()
    finally:
        db.dispose()
    assert _digest(path) == before
    assert not (tmp_path / "damaged.sqlite-wal").exists()  # not even switched to WAL


def test_quick_check_of_a_sound_file(sound_path: Path) -> None:
    db = Database.open(str(sound_path))
    try:
        assert db.quick_check() == []
    finally:
        db.dispose()


def test_quick_check_of_a_file_not_created_yet_creates_nothing(tmp_path: Path) -> None:
    db = Database.open(str(tmp_path / "new.sqlite"))
    try:
        assert db.quick_check() == []
        assert db.table_names() == set()
    finally:
        db.dispose()
    assert not (tmp_path / "new.sqlite").exists()


def test_refused_writes_fail_in_the_session_and_in_sqlite_itself(sound_path: Path) -> None:
    db = Database.open(str(sound_path))
    before = _digest(sound_path)
    try:
        with db.session() as session:  # a connection opened before the refusal…
            session.connection().exec_driver_sql("SELECT 1")
        db.refuse_writes(DatabaseCorrupt("损坏", detail="page 7"))
        assert db.read_only
        with pytest.raises(DatabaseCorrupt) as info, db.write_session():
            pass
        assert "只读" in info.value.message and "未保存" in info.value.message
        with db.engine.connect() as conn:  # …is gone: every connection is query_only now
            assert conn.exec_driver_sql("PRAGMA query_only").scalar() == 1
            assert conn.exec_driver_sql("SELECT count(*) FROM audit_entry").scalar() == 300
            with pytest.raises(Exception) as raw:
                conn.execute(text("INSERT INTO alembic_version (version_num) VALUES ('x')"))
        assert isinstance(classify(raw.value), DatabaseReadOnly)
    finally:
        db.dispose()
    assert _digest(sound_path) == before


def test_a_writable_database_is_not_query_only(sound_path: Path) -> None:
    db = Database.open(str(sound_path))
    try:
        assert not db.read_only
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA query_only").scalar() == 0
    finally:
        db.dispose()
