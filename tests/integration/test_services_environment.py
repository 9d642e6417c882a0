"""Environment failures reach the caller as Chinese EnvironmentProblem messages, never as tracebacks,
and leave the database unchanged."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from lzcenter_desktop.services import centers, organizations
from lzcenter_desktop.services.context import open_app
from lzcenter_desktop.storage.errors import (
    DatabaseCorrupt,
    DatabaseLocked,
    DatabaseReadOnly,
    DiskFull,
    NotOurDatabase,
)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    path = tmp_path / "env.sqlite"
    ctx = open_app(str(path))
    organizations.create_organization(ctx, name="柳州鑫桥汽车零部件有限公司", kind="enterprise")
    ctx.db.dispose()
    return path


def _count(path: Path, table: str) -> int:
    con = sqlite3.connect(path)
    try:
        return int(con.execute(f"select count(*) from {table}").fetchone()[0])
    finally:
        con.close()


@pytest.mark.sqlite_only  # SQLite's file lock (BEGIN EXCLUSIVE)
def test_locked_database_is_a_chinese_message(db_path: Path) -> None:
    ctx = open_app(str(db_path), busy_timeout_ms=100)
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(DatabaseLocked) as info:
            organizations.create_organization(ctx, name="柳州恒锐液压科技有限公司", kind="enterprise")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert "占用" in info.value.message
    organizations.create_organization(
        ctx, name="柳州恒锐液压科技有限公司", kind="enterprise"
    )  # works once released
    ctx.db.dispose()
    assert _count(db_path, "organization") == 2


@pytest.mark.sqlite_only  # opens the SQLite file read-only by its URI
def test_read_only_database_is_a_chinese_message(db_path: Path) -> None:
    ctx = open_app(f"sqlite:///file:{db_path}?mode=ro&uri=true", migrate=False)
    try:
        assert [r.name for r in centers.list_centers(ctx)] == []  # reading works
        with pytest.raises(DatabaseReadOnly) as info:
            organizations.create_organization(ctx, name="柳州恒锐液压科技有限公司", kind="enterprise")
    finally:
        ctx.db.dispose()
    assert "只读" in info.value.title or "不允许写入" in info.value.message
    assert _count(db_path, "organization") == 1


@pytest.mark.sqlite_only  # PRAGMA max_page_count and integrity_check of the file
def test_full_disk_is_a_chinese_message_and_nothing_is_half_written(db_path: Path) -> None:
    ctx = open_app(str(db_path))
    from sqlalchemy import event

    @event.listens_for(ctx.db.engine, "connect")
    def tiny(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages + 1}")

    ctx.db.engine.dispose()
    try:
        with pytest.raises(DiskFull):
            host = organizations.create_organization(ctx, name="柳州恒锐液压科技有限公司", kind="enterprise")
            for n in range(200):
                centers.create_center(
                    ctx,
                    name_zh=f"柳州第{n}号测试工程技术研究中心",
                    host_id=host,
                    on=date(2026, 3, 1),
                    industries=["机械"],
                    research_direction="很长的研发方向" * 60,
                )
    finally:
        ctx.db.dispose()
    con = sqlite3.connect(db_path)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        # every centre that exists has its timeline entry and its audit entries: no half transaction
        centres = con.execute("select count(*) from center").fetchone()[0]
        timeline = con.execute("select count(*) from center_state_change").fetchone()[0]
        audited = con.execute("select count(*) from audit_entry where entity = 'center'").fetchone()[0]
        assert centres == timeline == audited
    finally:
        con.close()


def test_a_damaged_file_is_a_chinese_message(tmp_path: Path) -> None:
    path = tmp_path / "damaged.sqlite"
    path.write_bytes(b"SQLite format 3\x00" + b"\x00garbage" * 1000)
    with pytest.raises(DatabaseCorrupt) as info:
        open_app(str(path))
    assert "备份" in info.value.message


def test_a_file_without_sqlites_header_is_not_our_database(tmp_path: Path) -> None:
    path = tmp_path / "damaged.sqlite"
    path.write_bytes(b"\x00garbage" * 1000)
    with pytest.raises(NotOurDatabase) as info:
        open_app(str(path))
    assert info.value.title == "不是本系统的数据库"
    assert "SQLite" in info.value.message
