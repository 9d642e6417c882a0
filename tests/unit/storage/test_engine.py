"""Database.open: files, URLs, per-connection pragmas."""

from __future__ import annotations

from pathlib import Path

import pytest

from lzcenter_desktop.storage.engine import Database, is_network_path
from lzcenter_desktop.storage.errors import CannotOpenDatabase


@pytest.mark.sqlite_only  # the SQLite file's path, PRAGMAs and BEGIN IMMEDIATE
def test_file_target_creates_the_parent_folder_and_sets_path_and_url(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "x.sqlite"
    db = Database.open(str(target))
    try:
        assert target.parent.is_dir()
        assert db.path == target
        assert db.url == f"sqlite:///{target}"
        with db.session() as session:
            assert session.connection().exec_driver_sql("select 1").scalar() == 1
        assert target.exists()
    finally:
        db.dispose()


def test_sqlite_url_target_has_its_file_path(tmp_path: Path) -> None:
    target = tmp_path / "u" / "y.sqlite"
    db = Database.open(f"sqlite:///{target}")
    try:
        assert db.path == target
        assert target.parent.is_dir()
    finally:
        db.dispose()


def test_memory_url_has_no_path() -> None:
    db = Database.open("sqlite://")
    try:
        assert db.path is None
        assert db.url == "sqlite://"
    finally:
        db.dispose()


@pytest.mark.sqlite_only  # the SQLite file's path, PRAGMAs and BEGIN IMMEDIATE
def test_pragmas_are_applied_on_every_connection(tmp_path: Path) -> None:
    db = Database.open(str(tmp_path / "p.sqlite"), busy_timeout_ms=1234)
    try:
        for _ in range(2):  # a fresh connection each time
            with db.engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
                assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
                assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
                assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 1234
            db.engine.dispose()
    finally:
        db.dispose()


@pytest.mark.sqlite_only  # the SQLite file's path, PRAGMAs and BEGIN IMMEDIATE
def test_write_session_takes_the_write_lock_at_begin(tmp_path: Path) -> None:
    db = Database.open(str(tmp_path / "w.sqlite"))
    statements: list[str] = []
    from sqlalchemy import event

    def log(conn, cursor, statement, params, context, executemany):  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", log)
    try:
        with db.write_session() as session:
            session.connection().exec_driver_sql("select 1")
            session.rollback()
        with db.session() as session:
            session.connection().exec_driver_sql("select 2")
    finally:
        db.dispose()
    assert "BEGIN IMMEDIATE" in statements
    assert statements.index("BEGIN IMMEDIATE") < statements.index("select 1")
    assert "BEGIN" in statements[statements.index("select 1") :]


def test_a_folder_is_not_a_database(tmp_path: Path) -> None:
    with pytest.raises(CannotOpenDatabase, match="文件夹"):
        Database.open(str(tmp_path))


def test_a_malformed_url_is_a_chinese_error() -> None:
    with pytest.raises(CannotOpenDatabase, match="数据库地址"):
        Database.open("nosuchdialect://x/y")


def test_a_local_temp_folder_is_not_a_network_path(tmp_path: Path) -> None:
    assert is_network_path(tmp_path / "x.sqlite") is False
