"""A damaged database never spreads its damage: it is noticed when opened, refused for writes,
imports and backups, and can be replaced by the newest sound backup (the damaged file kept aside).
A file that is not this system's database is told apart from a damaged one."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import pytest

from lzcenter_desktop.services import backup, centers, declarations, organizations
from lzcenter_desktop.services.context import open_app
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.migrations import migrate
from lzcenter_desktop.storage import schema
from lzcenter_desktop.storage.errors import CannotOpenDatabase, DatabaseCorrupt, NewerDatabase, NotOurDatabase
from tests import db_backend
from tests.damage import damage_audit_entry

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "examples" / "declaration-enterprise.json"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _count(path: Path, table: str) -> int:
    con = db_backend.connect(path)
    try:
        return int(con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        con.close()


def _fill(path: Path, n: int = 60) -> None:
    ctx = open_app(str(path))
    try:
        for i in range(n):
            organizations.create_organization(ctx, name=f"柳州第{i}号测试机械有限公司", kind="enterprise")
    finally:
        ctx.db.dispose()


@pytest.fixture
def sound(tmp_path: Path) -> Path:
    path = tmp_path / "lzcenter.sqlite"
    _fill(path)
    return path


@pytest.fixture
def damaged(sound: Path) -> Path:
    """The database with a good backup made before the damage, then damaged."""
    ctx = open_app(str(sound))
    try:
        backup.backup_now(ctx)
    finally:
        ctx.db.dispose()
    damage_audit_entry(sound)
    return sound


# --- noticed at start ----------------------------------------------------------------------------


@pytest.mark.sqlite_only  # damages the SQLite file's bytes
def test_a_damaged_database_is_refused_when_opened_and_left_unchanged(damaged: Path) -> None:
    before = _digest(damaged)
    with pytest.raises(DatabaseCorrupt) as info:
        open_app(str(damaged))
    assert info.value.title == "数据库文件已损坏"
    assert "lzcenter.sqlite" in info.value.message and "完整性检查" in info.value.message
    assert "备份" in info.value.message  # what to do
    assert info.value.detail and "page" in info.value.detail.lower()  # SQLite's lines, for the log
    assert _digest(damaged) == before
    assert not Path(f"{damaged}-wal").exists()


@pytest.mark.sqlite_only  # damages the SQLite file's bytes
def test_an_import_into_a_damaged_database_is_refused(damaged: Path) -> None:
    before = _digest(damaged)
    with pytest.raises(DatabaseCorrupt):
        ctx = open_app(str(damaged))
        declarations.import_declaration_file(ctx, path=EXAMPLE)
    assert _digest(damaged) == before


@pytest.mark.sqlite_only  # damages the SQLite file's bytes
def test_read_only_opening_reads_but_refuses_every_write(damaged: Path) -> None:
    before = _digest(damaged)
    ctx = open_app(str(damaged), damaged_read_only=True)
    try:
        assert ctx.read_only and ctx.damage is not None
        assert ctx.damage.title == "数据库文件已损坏"
        assert centers.list_centers(ctx) == []  # reading works
        with pytest.raises(DatabaseCorrupt) as info:
            organizations.create_organization(ctx, name="柳州恒锐液压科技有限公司", kind="enterprise")
        assert "只读" in info.value.message and "恢复" in info.value.message
        with pytest.raises(DatabaseCorrupt):
            declarations.import_declaration_file(ctx, path=EXAMPLE)
        with pytest.raises(DatabaseCorrupt):
            migrate(ctx)
    finally:
        ctx.db.dispose()
    assert _digest(damaged) == before


def test_a_sound_database_opens_writable(sound: Path) -> None:
    ctx = open_app(str(sound), damaged_read_only=True)
    try:
        assert not ctx.read_only and ctx.damage is None
        organizations.create_organization(ctx, name="柳州恒锐液压科技有限公司", kind="enterprise")
    finally:
        ctx.db.dispose()
    assert _count(sound, "organization") == 61


@pytest.mark.sqlite_only  # damages the SQLite file's bytes
def test_a_damaged_database_of_an_older_version_is_not_opened_even_read_only(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    _fill(path, 40)
    ctx = open_app(str(path), migrate=False)
    schema.stamp(ctx.db.engine, schema.KNOWN_REVISIONS[-2])  # looks one migration behind
    ctx.db.dispose()
    damage_audit_entry(path)
    before = _digest(path)
    with pytest.raises(DatabaseCorrupt):
        open_app(str(path), damaged_read_only=True)  # the window cannot show an old schema
    with pytest.raises(DatabaseCorrupt):
        migrate(str(path))  # and it is never migrated
    assert _digest(path) == before
    assert not (tmp_path / "backups").exists()


# --- backups -----------------------------------------------------------------------------------


@pytest.mark.sqlite_only  # damages the SQLite file's bytes
def test_backup_of_a_damaged_database_is_refused_and_keeps_the_good_backups(damaged: Path) -> None:
    folder = damaged.parent / "backups"
    kept = {p.name: _digest(p) for p in folder.iterdir()}
    assert len(kept) == 1
    ctx = open_app(str(damaged), damaged_read_only=True)
    try:
        with pytest.raises(DatabaseCorrupt) as info:
            backup.backup_now(ctx)
        assert "没有备份" in info.value.message
        only = next(iter(kept))
        with pytest.raises(DatabaseCorrupt):
            backup.backup_now(ctx, folder / only)  # not even onto an existing backup's name
    finally:
        ctx.db.dispose()
    assert {p.name: _digest(p) for p in folder.iterdir()} == kept


@pytest.mark.sqlite_only  # damages the SQLite file's bytes
def test_backups_are_listed_newest_first_with_their_state(damaged: Path) -> None:
    folder = damaged.parent / "backups"
    [good] = list(folder.iterdir())
    newer_damaged = folder / "lzcenter-backup-29991231-235959.sqlite"
    newer_damaged.write_bytes(damaged.read_bytes())  # a damaged copy made by hand, newest of all
    (folder / "lzcenter-backup-20000101-000000.sqlite").write_text("{}", encoding="utf-8")
    (folder / "other-backup-29991231-235959.sqlite").write_bytes(good.read_bytes())  # another db's
    listed = backup.list_backups(damaged)
    assert [b.path.name for b in listed] == [
        newer_damaged.name,
        good.name,
        "lzcenter-backup-20000101-000000.sqlite",
    ]
    assert [b.sound for b in listed] == [False, True, False]
    assert "损坏" in listed[0].problem and listed[2].problem == "不是数据库文件"
    latest = backup.latest_good_backup(listed)
    assert latest is not None and latest.path == good


def test_no_backups_folder_lists_nothing(sound: Path) -> None:
    assert backup.list_backups(sound) == []
    assert backup.latest_good_backup([]) is None


# --- restoring -----------------------------------------------------------------------------------


@pytest.mark.sqlite_only  # damages the SQLite file's bytes
def test_restoring_keeps_the_damaged_file_aside_and_reopens_writable(damaged: Path) -> None:
    damaged_bytes = _digest(damaged)
    Path(f"{damaged}-wal").write_bytes(b"")  # a companion file goes aside with its database
    good = backup.latest_good_backup(backup.list_backups(damaged))
    assert good is not None
    report = backup.restore_backup(damaged, good.path)
    assert report.restored_from == good.path
    kept = report.damaged_kept_as
    assert kept is not None and kept.parent == damaged.parent and ".damaged-" in kept.name
    assert _digest(kept) == damaged_bytes
    assert Path(f"{kept}-wal").exists() and not Path(f"{damaged}-wal").exists()
    assert good.path.exists()  # the backup stays a backup
    ctx = open_app(str(damaged))
    try:
        assert not ctx.read_only
        organizations.create_organization(ctx, name="柳州恒锐液压科技有限公司", kind="enterprise")
    finally:
        ctx.db.dispose()
    assert _count(damaged, "organization") == 61
    assert not [p for p in damaged.parent.iterdir() if p.name.endswith(".restoring")]


@pytest.mark.sqlite_only  # damages the SQLite file's bytes
def test_a_damaged_backup_is_never_restored(damaged: Path) -> None:
    bad = damaged.parent / "backups" / "lzcenter-backup-29991231-235959.sqlite"
    bad.write_bytes(damaged.read_bytes())
    before = _digest(damaged)
    with pytest.raises(ServiceError) as info:
        backup.restore_backup(damaged, bad)
    assert "不能用于恢复" in str(info.value)
    assert _digest(damaged) == before
    assert sorted(p.name for p in damaged.parent.iterdir()) == ["backups", "lzcenter.sqlite"]


@pytest.mark.sqlite_only  # damages the SQLite file's bytes
def test_a_failed_restore_puts_everything_back(damaged: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    good = backup.latest_good_backup(backup.list_backups(damaged))
    assert good is not None
    before = _digest(damaged)

    real_replace = os.replace
    calls: list[str] = []

    def refuse_the_last_step(src: str | Path, dst: str | Path) -> None:
        calls.append(Path(dst).name)
        if Path(dst) == damaged:  # the checked copy is staged and the damaged file moved aside
            assert any(".damaged-" in p.name for p in damaged.parent.iterdir())
            raise PermissionError(13, "Permission denied")
        real_replace(src, dst)

    monkeypatch.setattr(backup.os, "replace", refuse_the_last_step)
    with pytest.raises(Exception) as info:
        backup.restore_backup(damaged, good.path)
    assert calls[-1] == "lzcenter.sqlite"
    assert getattr(info.value, "title", "") == "数据库只读"
    assert _digest(damaged) == before
    assert sorted(p.name for p in damaged.parent.iterdir()) == ["backups", "lzcenter.sqlite"]


# --- not our database ----------------------------------------------------------------------------


def test_a_json_file_is_not_our_database_not_a_damaged_one(tmp_path: Path) -> None:
    path = tmp_path / "declaration.json"
    path.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    before = _digest(path)
    with pytest.raises(NotOurDatabase) as info:
        open_app(str(path))
    assert info.value.title == "不是本系统的数据库"
    assert not isinstance(info.value, DatabaseCorrupt)
    assert _digest(path) == before


def test_someone_elses_sqlite_file_is_not_our_database(tmp_path: Path) -> None:
    path = tmp_path / "customers.sqlite"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    con.commit()
    con.close()
    before = _digest(path)
    with pytest.raises(NotOurDatabase) as info:
        open_app(str(path))
    assert "不是本系统的数据库" in info.value.message
    with pytest.raises(NotOurDatabase):
        migrate(str(path))
    assert _digest(path) == before


def test_another_programs_alembic_database_is_not_ours_rather_than_newer(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
    con.execute("INSERT INTO alembic_version VALUES ('ae1027a6acf')")
    con.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    con.commit()
    con.close()
    with pytest.raises(NotOurDatabase):
        open_app(str(path))


def test_our_database_from_a_newer_version_is_still_newer(sound: Path) -> None:
    ctx = open_app(str(sound))
    schema.stamp(ctx.db.engine, "ffffffffffff")
    ctx.db.dispose()
    with pytest.raises(NewerDatabase):
        open_app(str(sound))


def test_a_file_with_sqlites_header_but_garbage_after_it_is_damaged(tmp_path: Path) -> None:
    path = tmp_path / "lzcenter.sqlite"
    path.write_bytes(b"SQLite format 3\x00" + b"\x00garbage" * 1000)
    with pytest.raises(DatabaseCorrupt) as info:
        open_app(str(path))
    assert "备份" in info.value.message


# --- an empty target -----------------------------------------------------------------------------


@pytest.mark.parametrize("target", ["", "   "])
def test_an_empty_target_is_an_error_never_the_default_database(
    target: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "data"))
    monkeypatch.setenv("LZCENTER_DB", str(tmp_path / "from-env.sqlite"))
    with pytest.raises(CannotOpenDatabase) as info:
        open_app(target)
    assert "为空" in info.value.message
    assert not (tmp_path / "data").exists() and not (tmp_path / "from-env.sqlite").exists()
    assert os.listdir(tmp_path) == []
