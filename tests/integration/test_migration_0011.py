"""Migration 0011 (optimistic locking) on an existing SQLite file: the nine ``version`` columns are
added NOT NULL with server default 1, the rows already there start at version 1, the program saves
from there; downgrade drops the columns and keeps the rows."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from lzcenter_desktop.services import centers, organizations
from lzcenter_desktop.services.context import open_app
from lzcenter_desktop.storage import schema
from lzcenter_desktop.storage.engine import Database

VERSIONED = (
    "annual_report",
    "app_user",
    "center",
    "declaration",
    "evaluation",
    "expert",
    "expert_committee_term",
    "organization",
    "person",
)


def _version_column(path: Path, table: str) -> tuple[int, str] | None:
    """(NOT NULL, default) of ``table.version``; None without the column."""
    con = sqlite3.connect(path)
    try:
        for _cid, name, _type, notnull, default, _pk in con.execute(f"PRAGMA table_info({table})"):
            if name == "version":
                return int(notnull), str(default)
        return None
    finally:
        con.close()


def _move(path: Path, target: str, *, down: bool = False) -> None:
    db = Database.open(str(path))
    try:
        (schema.downgrade if down else schema.upgrade)(db.engine, target)
        assert schema.current_revision(db.engine) == target
    finally:
        db.dispose()


@pytest.mark.sqlite_only  # an old SQLite file read with raw sqlite3 (PRAGMA table_info)
def test_0011_adds_the_version_columns_to_an_old_file_and_down_again(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    ctx = open_app(str(path), operator="甲")
    host = organizations.create_organization(ctx, name="柳州鑫桥汽车零部件有限公司", kind="enterprise")
    cid = centers.create_center(
        ctx, name_zh="柳州智能装备工程技术研究中心", host_id=host, on=date(2024, 2, 1), industries=["机械"]
    )
    ctx.db.dispose()
    _move(path, "0010", down=True)  # the file as the previous version of the program left it
    assert all(_version_column(path, t) is None for t in VERSIONED)

    _move(path, "0011")
    assert {t: _version_column(path, t) for t in VERSIONED} == {t: (1, "1") for t in VERSIONED}
    con = sqlite3.connect(path)
    try:
        assert con.execute("select version from center where id = ?", (cid,)).fetchone() == (1,)
        assert con.execute("select version from organization where id = ?", (host,)).fetchone() == (1,)
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        con.close()

    ctx = open_app(str(path), operator="甲")
    try:  # the program saves from version 1: the mapper's WHERE version = 1 matches the old row
        assert centers.center_for_edit(ctx, cid).version == 1
        organizations.update_organization(ctx, organization_id=host, name="柳州鑫桥汽车零部件股份有限公司")
    finally:
        ctx.db.dispose()

    _move(path, "0010", down=True)
    assert all(_version_column(path, t) is None for t in VERSIONED)
    con = sqlite3.connect(path)
    try:
        assert con.execute("select count(*) from center").fetchone() == (1,)
        assert con.execute("select name from organization").fetchone() == ("柳州鑫桥汽车零部件股份有限公司",)
    finally:
        con.close()
    _move(path, "0011")
