"""Migrations: empty → head, no drift between the models and the migrated schema, backups before
migrating an older database, refusal of a newer one."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlmodel import SQLModel

from lzcenter_desktop.services import context
from lzcenter_desktop.services.migrations import migrate
from lzcenter_desktop.storage import schema
from lzcenter_desktop.storage.engine import Database
from lzcenter_desktop.storage.errors import CannotOpenDatabase, NewerDatabase
from lzcenter_desktop.storage.schema import SchemaState


def _tables(path: Path) -> set[str]:
    con = sqlite3.connect(path)
    try:
        return {r[0] for r in con.execute("select name from sqlite_master where type='table'")}
    finally:
        con.close()


def test_known_revisions_match_the_alembic_scripts() -> None:
    script = ScriptDirectory.from_config(schema.alembic_config())
    revisions = [r.revision for r in reversed(list(script.walk_revisions()))]
    assert tuple(revisions) == schema.KNOWN_REVISIONS
    assert script.get_current_head() == schema.HEAD_REVISION


def test_empty_to_head(tmp_path: Path) -> None:
    db = Database.open(str(tmp_path / "e.sqlite"))
    try:
        assert schema.schema_status(db.engine).state is SchemaState.EMPTY
        schema.upgrade(db.engine)
        status = schema.schema_status(db.engine)
        assert (status.state, status.revision) == (SchemaState.CURRENT, schema.HEAD_REVISION)
    finally:
        db.dispose()
    assert set(SQLModel.metadata.tables) | {"alembic_version"} == _tables(tmp_path / "e.sqlite")


def test_models_and_migrated_schema_do_not_drift(tmp_path: Path) -> None:
    db = Database.open(str(tmp_path / "d.sqlite"))
    try:
        schema.upgrade(db.engine)
        with db.engine.connect() as conn:
            mc = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": True})
            diff = compare_metadata(mc, SQLModel.metadata)
    finally:
        db.dispose()
    assert diff == []


def test_the_key_industry_list_is_seeded(tmp_path: Path) -> None:
    db = Database.open(str(tmp_path / "k.sqlite"))
    try:
        schema.upgrade(db.engine)
        with db.engine.connect() as conn:
            names = [r[0] for r in conn.exec_driver_sql("select name from key_industry order by sort_order")]
    finally:
        db.dispose()
    from lzcenter_desktop.domain.settings import DEFAULT_KEY_INDUSTRIES

    assert tuple(names) == DEFAULT_KEY_INDUSTRIES


def test_downgrade_to_base_and_up_again(tmp_path: Path) -> None:
    db = Database.open(str(tmp_path / "b.sqlite"))
    try:
        schema.upgrade(db.engine)
        schema.downgrade(db.engine, "base")
        assert _tables(tmp_path / "b.sqlite") == {"alembic_version"}
        assert schema.schema_status(db.engine).state is SchemaState.EMPTY
        schema.upgrade(db.engine)
        assert schema.schema_status(db.engine).state is SchemaState.CURRENT
    finally:
        db.dispose()


def test_open_app_migrates_a_new_database_without_backup(tmp_path: Path) -> None:
    ctx = context.open_app(str(tmp_path / "new.sqlite"))
    try:
        assert schema.schema_status(ctx.db.engine).state is SchemaState.CURRENT
    finally:
        ctx.db.dispose()
    assert not (tmp_path / "backups").exists()


def test_database_at_head_is_not_backed_up_again(tmp_path: Path) -> None:
    path = tmp_path / "head.sqlite"
    context.open_app(str(path)).db.dispose()
    ctx = context.open_app(str(path), migrate=False)
    try:
        report = migrate(ctx)
    finally:
        ctx.db.dispose()
    assert (report.from_revision, report.to_revision, report.backup_path) == ("0001", "0001", None)
    assert not report.changed
    assert not (tmp_path / "backups").exists()


def _fake_second_revision(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A copy of the migrations with a revision 0002 after head, made the program's head."""
    copy = tmp_path / "migrations"
    shutil.copytree(schema.MIGRATIONS_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "versions" / "0002_test.py").write_text(
        '"""test revision"""\n'
        "import sqlalchemy as sa\nfrom alembic import op\n\n"
        "revision = '0002'\ndown_revision = '0001'\nbranch_labels = None\ndepends_on = None\n\n\n"
        "def upgrade():\n"
        "    with op.batch_alter_table('center') as b:\n"
        "        b.add_column(sa.Column('test_note', sa.String(20), nullable=True))\n\n\n"
        "def downgrade():\n"
        "    with op.batch_alter_table('center') as b:\n"
        "        b.drop_column('test_note')\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(schema, "MIGRATIONS_DIR", copy)
    monkeypatch.setattr(schema, "KNOWN_REVISIONS", ("0001", "0002"))
    monkeypatch.setattr(schema, "HEAD_REVISION", "0002")
    import lzcenter_desktop.services.migrations as service_migrations

    monkeypatch.setattr(service_migrations, "HEAD_REVISION", "0002")


def test_older_database_is_backed_up_before_it_is_migrated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import date

    from lzcenter_desktop.services import centers, organizations

    path = tmp_path / "old.sqlite"
    ctx = context.open_app(str(path))
    org = organizations.create_organization(ctx, name="柳州恒锐液压科技有限公司", kind="enterprise")
    centers.create_center(
        ctx,
        name_zh="柳州工程机械电液控制工程技术研究中心",
        host_id=org,
        on=date(2026, 3, 1),
        industries=["机械"],
    )
    ctx.db.dispose()

    _fake_second_revision(tmp_path, monkeypatch)
    ctx = context.open_app(str(path), migrate=False)
    try:
        assert schema.schema_status(ctx.db.engine).state is SchemaState.OLDER
        report = migrate(ctx)
        assert schema.schema_status(ctx.db.engine).revision == "0002"
        with ctx.db.engine.connect() as conn:
            assert "test_note" in [r[1] for r in conn.exec_driver_sql("PRAGMA table_info(center)")]
            assert conn.exec_driver_sql("select count(*) from center").scalar() == 1  # data survived
    finally:
        ctx.db.dispose()
    assert (report.from_revision, report.to_revision) == ("0001", "0002")
    assert report.backup_path is not None
    assert report.backup_path.parent == tmp_path / "backups"
    backup = sqlite3.connect(report.backup_path)
    try:
        assert backup.execute("select version_num from alembic_version").fetchone()[0] == "0001"
        assert backup.execute("select count(*) from center").fetchone()[0] == 1
        assert "test_note" not in [r[1] for r in backup.execute("PRAGMA table_info(center)")]
    finally:
        backup.close()


def test_open_app_migrates_an_older_database_after_a_backup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old2.sqlite"
    context.open_app(str(path)).db.dispose()
    _fake_second_revision(tmp_path, monkeypatch)
    ctx = context.open_app(str(path))
    ctx.db.dispose()
    backups = list((tmp_path / "backups").glob("old2-before-migration-0001-*.sqlite"))
    assert len(backups) == 1


def test_newer_database_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "newer.sqlite"
    ctx = context.open_app(str(path))
    schema.stamp(ctx.db.engine, "9f3e0aa1c2d4")
    ctx.db.dispose()
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(NewerDatabase) as info:
        context.open_app(str(path))
    assert "更新版本" in info.value.message and "9f3e0aa1c2d4" in info.value.message
    with pytest.raises(NewerDatabase):
        migrate(str(path))
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
    assert not (tmp_path / "backups").exists()


def test_a_foreign_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "foreign.sqlite"
    con = sqlite3.connect(path)
    con.execute("create table customers (id integer primary key, name text)")
    con.close()
    with pytest.raises(CannotOpenDatabase, match="不是本程序的数据库"):
        context.open_app(str(path))
