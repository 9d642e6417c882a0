"""Automatic backups (daily, on exit, rotation that spares the last migration's backups) and the
audited restore: refused for a foreign, damaged or newer file; the replaced file kept aside; the
restore recorded in the restored database's audit trail."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from lzcenter_desktop.services import app_settings, audit, backup, backup_auto, organizations
from lzcenter_desktop.services.context import open_app
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.restore import RESTORE_ACTION, restore
from lzcenter_desktop.storage.backup import backup_sqlite, timestamped_backup_path
from lzcenter_desktop.storage.errors import DatabaseCorrupt
from tests.damage import damage_audit_entry

NOW = datetime(2026, 11, 30, 9, 0, 0)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _names(path: Path) -> list[str]:
    con = sqlite3.connect(path)
    try:
        return [str(r[0]) for r in con.execute("SELECT name FROM organization ORDER BY id")]
    finally:
        con.close()


def _add(path: Path, *names: str, operator: str = "王经办") -> None:
    ctx = open_app(str(path), operator=operator)
    try:
        for name in names:
            organizations.create_organization(ctx, name=name, kind="enterprise")
    finally:
        ctx.db.dispose()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "lzcenter.sqlite"
    _add(path, "柳州昨日机械有限公司")
    return path


def _auto(db: Path, reason: str, when: datetime) -> Path:
    return backup_sqlite(db, timestamped_backup_path(db, reason=reason, when=when))


def _backups(db: Path) -> list[str]:
    return sorted(p.name for p in (db.parent / "backups").iterdir())


# --- rotation ------------------------------------------------------------------------------------


@pytest.mark.sqlite_only  # backups and restore of the SQLite file
@pytest.mark.parametrize(("existing", "kept"), [(2, 3), (3, 4), (4, 4)])
def test_rotation_keeps_the_newest_n_automatic_backups(db: Path, existing: int, kept: int) -> None:
    """keep = 4: with N-2, N-1 and N existing ones, the new backup makes N-1, N and N+1 → N."""
    made = [_auto(db, "daily", NOW - timedelta(days=d + 1)) for d in range(existing)]
    report = backup_auto.automatic_backup(db, "exit", keep=4, when=NOW)
    remaining = [p for p in [*made, report.path] if p.exists()]
    assert len(remaining) == kept
    assert report.path.exists()
    if existing + 1 > 4:
        assert report.removed == [made[-1]]  # the oldest one
        assert not made[-1].exists()
    else:
        assert report.removed == []


@pytest.mark.sqlite_only  # backups and restore of the SQLite file
def test_rotation_never_deletes_a_hand_made_backup(db: Path) -> None:
    by_hand = backup_sqlite(db, timestamped_backup_path(db, reason="backup", when=NOW - timedelta(days=90)))
    for d in range(3):
        _auto(db, "daily", NOW - timedelta(days=d + 1))
    removed = backup_auto.rotate(db, keep=1)
    assert len(removed) == 2
    assert by_hand.exists()


@pytest.mark.sqlite_only  # backups and restore of the SQLite file
def test_rotation_keeps_the_backups_of_the_last_migration_but_not_older_migrations(db: Path) -> None:
    older = _auto(db, "before-migration-0006_review_process", NOW - timedelta(days=200))
    last = _auto(db, "before-migration-0007_committee_member_joined", NOW - timedelta(days=100))
    dailies = [_auto(db, "daily", NOW - timedelta(days=d + 1)) for d in range(3)]
    removed = backup_auto.rotate(db, keep=2)
    assert last.exists()
    assert not older.exists()
    assert set(removed) == {older, dailies[2]}
    assert dailies[0].exists() and dailies[1].exists()


def test_the_setting_of_how_many_to_keep_and_its_bounds() -> None:
    assert app_settings.backup_keep() == app_settings.DEFAULT_BACKUP_KEEP == 30
    for bad in (0, 1001, "三十", True):
        with pytest.raises(ServiceError) as info:
            app_settings.set_backup_keep(bad)
        assert "自动备份保留份数" in str(info.value)
    try:
        assert app_settings.set_backup_keep(1) == 1
        assert app_settings.backup_keep() == 1
        assert app_settings.set_backup_keep("1000") == 1000
        assert app_settings.backup_keep() == 1000
        app_settings.settings_file().write_text("{not json", encoding="utf-8")
        assert app_settings.backup_keep() == 30
    finally:
        app_settings.settings_file().unlink(missing_ok=True)


@pytest.mark.sqlite_only  # backups and restore of the SQLite file
def test_rotation_uses_the_setting(db: Path) -> None:
    for d in range(3):
        _auto(db, "daily", NOW - timedelta(days=d + 1))
    try:
        app_settings.set_backup_keep(2)
        assert len(backup_auto.rotate(db)) == 1
    finally:
        app_settings.settings_file().unlink(missing_ok=True)


# --- daily and on exit ---------------------------------------------------------------------------


@pytest.mark.sqlite_only  # backups and restore of the SQLite file
def test_the_first_start_of_a_day_makes_one_backup(db: Path) -> None:
    _auto(db, "daily", NOW - timedelta(days=1))
    ctx = open_app(str(db))
    try:
        report = backup_auto.daily_backup_if_due(ctx, now=NOW)
        assert report is not None and "-daily-20261130-090000" in report.path.name
        assert backup_auto.daily_backup_if_due(ctx, now=NOW + timedelta(hours=5)) is None
        assert backup_auto.daily_backup_if_due(ctx, now=NOW + timedelta(days=1)) is not None
    finally:
        ctx.db.dispose()


@pytest.mark.sqlite_only  # backups and restore of the SQLite file
def test_a_hand_made_backup_today_counts_as_todays(db: Path) -> None:
    backup_sqlite(db, timestamped_backup_path(db, reason="backup", when=NOW.replace(hour=0, minute=0)))
    ctx = open_app(str(db))
    try:
        assert backup_auto.daily_backup_if_due(ctx, now=NOW.replace(hour=23, minute=59, second=59)) is None
    finally:
        ctx.db.dispose()


@pytest.mark.sqlite_only  # backups and restore of the SQLite file
def test_on_exit_a_backup_only_when_an_audit_entry_was_written_since_the_start(db: Path) -> None:
    ctx = open_app(str(db))
    try:
        started = datetime.now(UTC)
        assert backup_auto.exit_backup_if_changed(ctx, started) is None
        assert not (db.parent / "backups").exists()
        organizations.create_organization(ctx, name="柳州今日机械有限公司", kind="enterprise")
        report = backup_auto.exit_backup_if_changed(ctx, started)
        assert report is not None and "-exit-" in report.path.name
        assert _names(report.path) == ["柳州昨日机械有限公司", "柳州今日机械有限公司"]
        later = datetime.now(UTC) + timedelta(seconds=1)
        assert backup_auto.exit_backup_if_changed(ctx, later) is None
    finally:
        ctx.db.dispose()


@pytest.mark.parametrize("plain", [True, False])
def test_changed_since_is_at_or_after_the_start_to_the_microsecond(
    db: Path, plain: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx = open_app(str(db))
    try:
        if not plain:  # the SQLAlchemy way (a server database) gives the same answers
            monkeypatch.setattr(ctx.db, "plain_read", lambda _look: None)
        newest = max(entry.at for entry in audit.list_audit(ctx, limit=10))
        tick = timedelta(microseconds=1)
        assert backup_auto.changed_since(ctx, newest - tick)
        assert backup_auto.changed_since(ctx, newest)
        assert not backup_auto.changed_since(ctx, newest + tick)
        assert not backup_auto.changed_since(ctx, (newest + tick).astimezone(timezone(timedelta(hours=8))))
    finally:
        ctx.db.dispose()


@pytest.mark.sqlite_only  # backups and restore of the SQLite file
def test_a_damaged_database_gets_no_automatic_backup(db: Path) -> None:
    damage_audit_entry(db)
    ctx = open_app(str(db), damaged_read_only=True)
    try:
        assert backup_auto.daily_backup_if_due(ctx, now=NOW) is None
    finally:
        ctx.db.dispose()
    assert not (db.parent / "backups").exists()


@pytest.mark.sqlite_only  # backups of the SQLite file
def test_an_automatic_backup_that_fails_its_check_is_removed(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lzcenter_desktop.storage import backup as storage_backup

    real = storage_backup.run_check
    calls: list[int] = []

    def second_check_fails(con: sqlite3.Connection, *, full: bool) -> list[str]:
        calls.append(1)
        return ["*** in database main ***"] if len(calls) == 2 else real(con, full=full)

    monkeypatch.setattr(storage_backup, "run_check", second_check_fails)
    with pytest.raises(DatabaseCorrupt) as info:
        backup_auto.automatic_backup(db, "daily", when=NOW)
    assert "已删除该副本" in str(info.value)
    assert _backups(db) == []


# --- restore -------------------------------------------------------------------------------------


def _audit_rows(path: Path) -> list[tuple[str, str, str, str]]:
    con = sqlite3.connect(path)
    try:
        return [
            (str(r[0]), str(r[1]), str(r[2]), str(r[3]))
            for r in con.execute("SELECT operator, action, operation, after FROM audit_entry ORDER BY id")
        ]
    finally:
        con.close()


@pytest.mark.sqlite_only  # backups and restore of the SQLite file
def test_restoring_yesterdays_backup_keeps_today_aside_and_is_audited(db: Path) -> None:
    yesterday = _auto(db, "daily", NOW - timedelta(days=1))
    _add(db, "柳州今日机械有限公司")
    today_bytes = _digest(db)
    report = restore(db, yesterday, operator="李管理")
    assert report.restored_from == yesterday
    kept = report.kept_as
    assert kept is not None and kept.parent == db.parent and ".before-restore-" in kept.name
    assert _digest(kept) == today_bytes
    assert _names(kept) == ["柳州昨日机械有限公司", "柳州今日机械有限公司"]
    assert _names(db) == ["柳州昨日机械有限公司"]
    operator, action, operation, after = _audit_rows(db)[-1]
    assert (operator, action, operation) == ("李管理", RESTORE_ACTION, "restore")
    details = json.loads(after)
    assert details["restored_from"] == str(yesterday.resolve())
    assert details["replaced_file_kept_as"] == str(kept)
    assert details["by"] == "李管理"
    assert details["backup_kind"] == "每日自动备份"
    assert yesterday.exists()
    assert not [p for p in db.parent.iterdir() if "restoring" in p.name]
    ctx = open_app(str(db))  # opens writable at the current schema
    try:
        organizations.create_organization(ctx, name="柳州恢复后机械有限公司", kind="enterprise")
        from lzcenter_desktop.services.audit_chain import verify_chain

        assert verify_chain(ctx).ok  # the restore's entry is linked into the restored trail
    finally:
        ctx.db.dispose()


@pytest.mark.sqlite_only  # backups and restore of the SQLite file
def test_restoring_through_an_open_context_closes_it_and_uses_its_operator(db: Path) -> None:
    yesterday = _auto(db, "daily", NOW - timedelta(days=1))
    ctx = open_app(str(db), operator="赵经办")
    organizations.create_organization(ctx, name="柳州今日机械有限公司", kind="enterprise")
    restore(ctx, yesterday)
    assert _audit_rows(db)[-1][0] == "赵经办"
    assert _names(db) == ["柳州昨日机械有限公司"]


@pytest.mark.sqlite_only  # backups and restore of the SQLite file
def test_a_damaged_database_is_kept_aside_as_damaged(db: Path) -> None:
    good = _auto(db, "daily", NOW - timedelta(days=1))
    for i in range(40):
        _add(db, f"柳州第{i}号机械有限公司")
    damage_audit_entry(db)
    ctx = open_app(str(db), damaged_read_only=True)
    report = restore(ctx, good)
    assert report.kept_as is not None and ".damaged-" in report.kept_as.name
    assert _audit_rows(db)[-1][1] == RESTORE_ACTION


def _refused(db: Path, candidate: Path, words: str) -> None:
    before = _digest(db)
    listing = sorted(p.name for p in db.parent.iterdir())
    with pytest.raises(ServiceError) as info:
        restore(db, candidate)
    assert words in str(info.value)
    assert _digest(db) == before
    assert sorted(p.name for p in db.parent.iterdir()) == listing


@pytest.mark.sqlite_only  # backups and restore of the SQLite file
def test_a_foreign_sqlite_file_is_refused(db: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE customer (id INTEGER PRIMARY KEY, name TEXT)")
    con.commit()
    con.close()
    _refused(db, other, "不是本系统的数据库")


@pytest.mark.sqlite_only  # backups and restore of the SQLite file
def test_a_file_that_is_not_a_database_is_refused(db: Path, tmp_path: Path) -> None:
    text = tmp_path / "notes.sqlite"
    text.write_text("这不是数据库", encoding="utf-8")
    _refused(db, text, "不是数据库文件")


@pytest.mark.sqlite_only  # backups and restore of the SQLite file
def test_a_damaged_backup_is_refused(db: Path, tmp_path: Path) -> None:
    _add(db, *(f"柳州第{i}号机械有限公司" for i in range(40)))
    copy = _auto(db, "daily", NOW - timedelta(days=1))
    damage_audit_entry(copy)
    _refused(db, copy, "未通过完整性检查")


@pytest.mark.sqlite_only  # backups and restore of the SQLite file
def test_a_backup_of_a_newer_version_is_refused(db: Path) -> None:
    newer = _auto(db, "daily", NOW - timedelta(days=1))
    con = sqlite3.connect(newer)
    con.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    con.commit()
    con.close()
    _refused(db, newer, "更新版本")


@pytest.mark.sqlite_only  # backups and restore of the SQLite file
def test_a_missing_backup_and_the_database_itself_are_refused(db: Path) -> None:
    _refused(db, db.parent / "nowhere.sqlite", "不存在")
    _refused(db, db, "本身")


@pytest.mark.sqlite_only  # backups and restore of the SQLite file
def test_a_backup_of_an_older_schema_is_brought_to_head_and_audited(db: Path, tmp_path: Path) -> None:
    from lzcenter_desktop.storage import schema
    from lzcenter_desktop.storage.engine import Database

    old = tmp_path / "old.sqlite"
    database = Database.open(str(old))
    schema.upgrade(database.engine, schema.KNOWN_REVISIONS[-2])
    database.dispose()
    restore(db, old)
    con = sqlite3.connect(db)
    try:
        assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == schema.HEAD_REVISION
    finally:
        con.close()
    assert _audit_rows(db)[-1][1] == RESTORE_ACTION
    ctx = open_app(str(db))
    try:
        from lzcenter_desktop.services.audit_chain import verify_chain

        assert verify_chain(ctx).ok
    finally:
        ctx.db.dispose()


@pytest.mark.sqlite_only  # backups and restore of the SQLite file
def test_a_failed_swap_leaves_the_database_as_it_was(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    yesterday = _auto(db, "daily", NOW - timedelta(days=1))
    _add(db, "柳州今日机械有限公司")
    before = _digest(db)
    real_replace = os.replace

    def refuse(src: str | Path, dst: str | Path) -> None:
        if Path(dst) == db:
            raise PermissionError(13, "Permission denied")
        real_replace(src, dst)

    monkeypatch.setattr(backup.os, "replace", refuse)
    with pytest.raises(Exception) as info:
        restore(db, yesterday)
    assert getattr(info.value, "title", "") == "数据库只读"
    assert _digest(db) == before
    # (SQLite's own empty -wal/-shm of the check on the current file may stay beside it)
    assert [n for n in sorted(p.name for p in db.parent.iterdir()) if not n.endswith(("-wal", "-shm"))] == [
        "backups",
        "lzcenter.sqlite",
    ]
