"""Migrations: empty → head, no drift between the models and the migrated schema, backups before
migrating an older database, refusal of a newer one."""

from __future__ import annotations

import contextlib
import hashlib
import shutil
import sqlite3
from collections.abc import Iterator
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
from tests import db_backend


def _tables(path: Path) -> set[str]:
    con = sqlite3.connect(path)
    try:
        return {r[0] for r in con.execute("select name from sqlite_master where type='table'")}
    finally:
        con.close()


def _engine_tables(db: Database) -> set[str]:
    from sqlalchemy import inspect

    return set(inspect(db.engine).get_table_names())


@contextlib.contextmanager
def _empty_database(tmp_path: Path, name: str) -> Iterator[Database]:
    """A database without any table: a new SQLite file, or (PostgreSQL run, where a new test
    database is already at head) a new empty database on the server."""
    with contextlib.ExitStack() as stack:
        target = str(tmp_path / name)
        if db_backend.ON_POSTGRESQL:
            target = stack.enter_context(db_backend.server_database("m"))
        db = Database.open(target)
        stack.callback(db.dispose)
        yield db


def test_known_revisions_match_the_alembic_scripts() -> None:
    script = ScriptDirectory.from_config(schema.alembic_config())
    revisions = [r.revision for r in reversed(list(script.walk_revisions()))]
    assert tuple(revisions) == schema.KNOWN_REVISIONS
    assert script.get_current_head() == schema.HEAD_REVISION


def test_empty_to_head(tmp_path: Path) -> None:
    with _empty_database(tmp_path, "e.sqlite") as db:
        assert schema.schema_status(db.engine).state is SchemaState.EMPTY
        schema.upgrade(db.engine)
        status = schema.schema_status(db.engine)
        assert (status.state, status.revision) == (SchemaState.CURRENT, schema.HEAD_REVISION)
        assert set(SQLModel.metadata.tables) | {"alembic_version"} == _engine_tables(db)


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
    with _empty_database(tmp_path, "b.sqlite") as db:
        schema.upgrade(db.engine)
        schema.downgrade(db.engine, "base")
        assert _engine_tables(db) == {"alembic_version"}
        assert schema.schema_status(db.engine).state is SchemaState.EMPTY
        schema.upgrade(db.engine)
        assert schema.schema_status(db.engine).state is SchemaState.CURRENT


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
    assert (report.from_revision, report.to_revision, report.backup_path) == (
        schema.HEAD_REVISION,
        schema.HEAD_REVISION,
        None,
    )
    assert not report.changed
    assert not (tmp_path / "backups").exists()


OLD_HEAD = schema.HEAD_REVISION
NEXT = "9001"  # the fake revision after the real head


def _fake_next_revision(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A copy of the migrations with a revision 9001 after head, made the program's head."""
    copy = tmp_path / "migrations"
    shutil.copytree(schema.MIGRATIONS_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "versions" / "9001_test.py").write_text(
        '"""test revision"""\n'
        "import sqlalchemy as sa\nfrom alembic import op\n\n"
        f"revision = '{NEXT}'\ndown_revision = '{OLD_HEAD}'\nbranch_labels = None\ndepends_on = None\n\n\n"
        "def upgrade():\n"
        "    with op.batch_alter_table('center') as b:\n"
        "        b.add_column(sa.Column('test_note', sa.String(20), nullable=True))\n\n\n"
        "def downgrade():\n"
        "    with op.batch_alter_table('center') as b:\n"
        "        b.drop_column('test_note')\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(schema, "MIGRATIONS_DIR", copy)
    monkeypatch.setattr(schema, "KNOWN_REVISIONS", (*schema.KNOWN_REVISIONS, NEXT))
    monkeypatch.setattr(schema, "HEAD_REVISION", NEXT)
    import lzcenter_desktop.services.migrations as service_migrations

    monkeypatch.setattr(service_migrations, "HEAD_REVISION", NEXT)


@pytest.mark.sqlite_only  # the file backup before migrating; PRAGMA table_info
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

    _fake_next_revision(tmp_path, monkeypatch)
    ctx = context.open_app(str(path), migrate=False)
    try:
        assert schema.schema_status(ctx.db.engine).state is SchemaState.OLDER
        report = migrate(ctx)
        assert schema.schema_status(ctx.db.engine).revision == NEXT
        with ctx.db.engine.connect() as conn:
            assert "test_note" in [r[1] for r in conn.exec_driver_sql("PRAGMA table_info(center)")]
            assert conn.exec_driver_sql("select count(*) from center").scalar() == 1  # data survived
    finally:
        ctx.db.dispose()
    assert (report.from_revision, report.to_revision) == (OLD_HEAD, NEXT)
    assert report.backup_path is not None
    assert report.backup_path.parent == tmp_path / "backups"
    backup = sqlite3.connect(report.backup_path)
    try:
        assert backup.execute("select version_num from alembic_version").fetchone()[0] == OLD_HEAD
        assert backup.execute("select count(*) from center").fetchone()[0] == 1
        assert "test_note" not in [r[1] for r in backup.execute("PRAGMA table_info(center)")]
    finally:
        backup.close()


@pytest.mark.sqlite_only  # the file backup before migrating; PRAGMA table_info
def test_open_app_migrates_an_older_database_after_a_backup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old2.sqlite"
    context.open_app(str(path)).db.dispose()
    _fake_next_revision(tmp_path, monkeypatch)
    ctx = context.open_app(str(path))
    ctx.db.dispose()
    backups = list((tmp_path / "backups").glob(f"old2-before-migration-{OLD_HEAD}-*.sqlite"))
    assert len(backups) == 1


@pytest.mark.sqlite_only  # the SQLite file's bytes stay unchanged
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
    with pytest.raises(CannotOpenDatabase, match="不是本系统的数据库"):
        context.open_app(str(path))


# ------------------------------------------------------------------ 0002: committee people

_OLD_ROWS = """
INSERT INTO organization (id, name, kind, first_level_legal_person, status, created_at)
    VALUES (1, '柳州某某汽车有限公司', 'enterprise', 1, 'active', '2026-01-01 00:00:00');
INSERT INTO center (id, name_zh, name_en, research_direction, host_id, state, state_since, recognized_on,
    created_at) VALUES (1, '柳州智能网联汽车工程技术研究中心', '', '', 1, 'recognized', '2022-12-01',
    '2022-12-01', '2026-01-01 00:00:00');
INSERT INTO person (id, name, birth_date, organization_name, status, created_at) VALUES
    (1, '王一', '1965-01-01', '广西大学', 'active', '2026-01-01 00:00:00'),
    (2, '陈二', '1966-01-01', '重庆大学', 'active', '2026-01-01 00:00:00'),
    (3, '刘三', '1967-01-01', '广西汽车工业协会', 'active', '2026-01-01 00:00:00'),
    (4, '周四', '1968-01-01', '湖南大学', 'active', '2026-01-01 00:00:00');
INSERT INTO expert_committee_term (id, center_id, term_no, starts_on, ends_on, chair_person_id)
    VALUES (1, 1, 1, '2023-01-01', '2025-12-31', 1);
INSERT INTO expert_committee_member (id, term_id, person_id, category, organization_name) VALUES
    (7, 1, 1, 'university', '广西大学'),
    (5, 1, 2, 'retired:university', '重庆大学'),
    (9, 1, 3, 'association', '广西汽车工业协会'),
    (11, 1, 4, 'other', '湖南大学');
INSERT INTO committee_meeting (id, center_id, committee, term_id, held_on, topic) VALUES
    (1, 1, 'retired:expert', 1, '2024-05-01', ''),
    (2, 1, 'expert', 1, '2024-05-01', ''),
    (3, 1, 'retired:management', NULL, '2024-06-01', ''),
    (4, 1, 'management', NULL, '2024-06-01', '');
INSERT INTO meeting_attendance (meeting_id, person_id) VALUES (1, 1), (1, 2), (2, 1), (3, 1), (4, 3);
"""


def _old_database(path: Path) -> None:
    """A database at 0001 holding committee rows written with the old ``retired:`` prefixes."""
    db = Database.open(str(path))
    try:
        schema.upgrade(db.engine, "0001")
    finally:
        db.dispose()
    con = sqlite3.connect(path)
    try:
        con.executescript(_OLD_ROWS)
        con.commit()
    finally:
        con.close()


def _rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    con = sqlite3.connect(path)
    try:
        return [tuple(r) for r in con.execute(sql)]
    finally:
        con.close()


def _columns(path: Path, table: str) -> list[str]:
    return [str(r[1]) for r in _rows(path, f"PRAGMA table_info({table})")]


@pytest.mark.sqlite_only  # old rows written with plain sqlite3 at an old revision; PRAGMA
def test_0002_converts_the_retired_prefixes_of_an_0001_database(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    _old_database(path)
    db = Database.open(str(path))
    try:
        schema.upgrade(db.engine, "0002")
        assert schema.current_revision(db.engine) == "0002"
    finally:
        db.dispose()
    assert _rows(
        path, "select id, category, status, retired_on, position from expert_committee_member order by id"
    ) == [
        (5, "university", "retired", None, 0),
        (7, "university", "active", None, 1),
        (9, "association", "active", None, 2),
        (11, "other", "active", None, 3),
    ]
    assert _rows(path, "select id, committee, status from committee_meeting order by id") == [
        (1, "expert", "retired"),
        (2, "expert", "active"),
        (3, "management", "retired"),
        (4, "management", "active"),
    ]
    # a person's category comes from their active roster row; a retired row does not give one
    assert _rows(path, "select id, category from person order by id") == [
        (1, "university"),
        (2, None),
        (3, "association"),
        (4, "other"),
    ]
    assert _rows(path, "select count(*) from center_person") == [(0,)]

    # the services read the converted record: the retired member and meetings are not shown
    from lzcenter_desktop.services import committees

    ctx = context.open_app(str(path))
    try:
        c = committees.load_committees(ctx, center_id=1)
    finally:
        ctx.db.dispose()
    term = c.expert_committee_terms[0]
    assert [c.person(p).name for p in term.members] == ["王一", "刘三", "周四"]
    assert [m.attendees for m in term.meetings] == [("#1",)]
    assert c.management_committee is not None
    assert [m.attendees for m in c.management_committee.meetings] == [("#3",)]


@pytest.mark.sqlite_only  # old rows written with plain sqlite3 at an old revision; PRAGMA
def test_0002_downgrade_restores_the_prefixes(tmp_path: Path) -> None:
    path = tmp_path / "down.sqlite"
    _old_database(path)
    before = _rows(path, "select id, category from expert_committee_member order by id")
    meetings = _rows(path, "select id, committee from committee_meeting order by id")
    db = Database.open(str(path))
    try:
        schema.upgrade(db.engine)
        with db.engine.begin() as conn:  # a centre list row, and a member retired after the upgrade
            conn.exec_driver_sql(
                "insert into center_person (center_id, person_id, category) values (1, 1, 'university')"
            )
            conn.exec_driver_sql(
                "update expert_committee_member set status = 'retired', retired_on = '2026-01-01'"
                " where id = 9"
            )
        schema.downgrade(db.engine, "0001")
        assert schema.current_revision(db.engine) == "0001"
    finally:
        db.dispose()
    assert "center_person" not in _tables(path)
    assert "category" not in _columns(path, "person")
    assert not {"status", "retired_on", "position"} & set(_columns(path, "expert_committee_member"))
    assert "status" not in _columns(path, "committee_meeting")
    assert _rows(path, "select id, category from expert_committee_member order by id") == [
        (5, "retired:university"),
        (7, "university"),
        (9, "retired:association"),
        (11, "other"),
    ]
    assert [r for r in before if r[0] != 9] == [
        r for r in _rows(path, "select id, category from expert_committee_member order by id") if r[0] != 9
    ]
    assert _rows(path, "select id, committee from committee_meeting order by id") == meetings
    assert _rows(path, "select count(*) from meeting_attendance") == [(5,)]
    # and up again: the same values as after the first upgrade
    db = Database.open(str(path))
    try:
        schema.upgrade(db.engine)
    finally:
        db.dispose()
    assert _rows(path, "select id, status from expert_committee_member order by id") == [
        (5, "retired"),
        (7, "active"),
        (9, "retired"),
        (11, "active"),
    ]


# ------------------------------------------------------------------ 0004: drafts without placeholders

PH_HOST = "（未填写依托单位）"
PH_CENTER = "（未命名的申报中心）"
_DRAFT_ROWS = f"""
INSERT INTO annual_call (id, year, title, status) VALUES (1, 2026, '2026年度申报', 'open');
INSERT INTO organization (id, name, kind, first_level_legal_person, status, created_at) VALUES
    (1, '{PH_HOST}', 'enterprise', 1, 'active', '2026-05-01 00:00:00'),
    (2, '{PH_HOST}', 'enterprise', 1, 'active', '2026-05-02 00:00:00'),
    (3, '柳州某某重工股份有限公司', 'enterprise', 1, 'active', '2026-05-03 00:00:00');
UPDATE organization SET credit_code = '91450205MA5N8R2T4M' WHERE id = 3;
INSERT INTO center (id, name_zh, name_en, research_direction, host_id, state, state_since, created_at) VALUES
    (1, '{PH_CENTER}', '', '', 1, 'draft', '2026-05-01', '2026-05-01 00:00:00'),
    (2, '柳州测试工程技术研究中心', '', '', 2, 'draft', '2026-05-02', '2026-05-02 00:00:00'),
    (3, '柳州重工工程技术研究中心', '', '', 3, 'submitted', '2026-05-03', '2026-05-03 00:00:00');
INSERT INTO declaration (id, call_id, center_id, host_id, application_date, name_zh, name_en,
    research_direction, first_level_legal_person, status, source_json, created_at) VALUES
    (1, 1, 1, 1, '2026-05-01', '', '', '', 1, 'draft', NULL, '2026-05-01 00:00:00'),
    (2, 1, 2, 2, '2026-05-02', '柳州测试工程技术研究中心', '', '', 1, 'draft', NULL, '2026-05-02 00:00:00'),
    (3, 1, 3, 3, '2026-05-03', '柳州重工工程技术研究中心', '', '', 1, 'submitted', NULL,
        '2026-05-03 00:00:00');
"""


def _database_at_0003_with_placeholders(path: Path) -> None:
    db = Database.open(str(path))
    try:
        schema.upgrade(db.engine, "0003")
    finally:
        db.dispose()
    con = sqlite3.connect(path)
    try:
        con.executescript(_DRAFT_ROWS)
        con.commit()
    finally:
        con.close()


def _migrate(path: Path, target: str, *, down: bool = False) -> None:
    db = Database.open(str(path))
    try:
        (schema.downgrade if down else schema.upgrade)(db.engine, target)
        assert schema.current_revision(db.engine) == target
    finally:
        db.dispose()


@pytest.mark.sqlite_only  # old rows written with plain sqlite3 at an old revision; PRAGMA
def test_0004_retires_the_placeholder_records_of_drafts(tmp_path: Path) -> None:
    path = tmp_path / "ph.sqlite"
    _database_at_0003_with_placeholders(path)
    _migrate(path, "0004")
    assert "declaration_acknowledgement" in _tables(path)
    # the placeholder centre and host are detached; a named centre stays linked; submitted untouched
    assert _rows(path, "select id, center_id, host_id from declaration order by id") == [
        (1, None, None),
        (2, 2, None),
        (3, 3, 3),
    ]
    assert _rows(path, "select id, state from center order by id") == [
        (1, "withdrawn"),
        (2, "draft"),
        (3, "submitted"),
    ]
    (change,) = _rows(path, "select center_id, from_state, to_state, reason from center_state_change")
    assert change[:3] == (1, "draft", "withdrawn") and "迁移 0004" in str(change[3])
    # organization 1 was only the placeholder's; 2 is still the host of the named draft centre
    assert _rows(path, "select id, status, retired_on is not null from organization order by id") == [
        (1, "retired", 1),
        (2, "active", 0),
        (3, "active", 0),
    ]
    audited = _rows(path, "select entity, entity_id from audit_entry where action = 'migrations.0004'")
    assert sorted(audited) == sorted(
        [
            ("declaration", "1"),
            ("center", "1"),
            ("center_state_change", "1"),
            ("declaration", "1"),
            ("declaration", "2"),
            ("organization", "1"),
        ]
    )
    # nothing was deleted
    assert _rows(path, "select count(*) from center") == [(3,)]
    assert _rows(path, "select count(*) from organization") == [(3,)]

    # the services read the detached draft, and its submission links a real host and a new centre
    from lzcenter_desktop.services import declarations

    ctx = context.open_app(str(path))
    try:
        view = declarations.get_declaration(ctx, 1)
        assert view.status == "draft" and view.data["host"]["name"] == ""
        listed = {r.id: r for r in declarations.list_declarations(ctx)}
        assert listed[1].host_name == "" and listed[2].center_name == "柳州测试工程技术研究中心"
    finally:
        ctx.db.dispose()


@pytest.mark.sqlite_only  # old rows written with plain sqlite3 at an old revision; PRAGMA
def test_0004_downgrade_gives_drafts_placeholders_again_and_up_again(tmp_path: Path) -> None:
    path = tmp_path / "ph-down.sqlite"
    _database_at_0003_with_placeholders(path)
    _migrate(path, "0004")
    con = sqlite3.connect(path)
    try:  # a draft begun after the upgrade: no centre, no host, one acknowledgement
        con.execute(
            "insert into declaration (id, call_id, application_date, name_zh, name_en, research_direction,"
            " first_level_legal_person, status, created_at) values (4, 1, '2026-06-01', '', '', '', 1,"
            " 'draft', '2026-06-01 00:00:00')"
        )
        con.execute(
            "insert into declaration_acknowledgement (declaration_id, rule, path, reason, operator, status,"
            " at) values (4, 'D9.5b', 'center.equipment', '租用平台', '李科员', 'active', '2026-06-01')"
        )
        con.commit()
    finally:
        con.close()
    _migrate(path, "0003", down=True)
    assert "declaration_acknowledgement" not in _tables(path)
    rows = _rows(path, "select id, center_id is not null, host_id is not null from declaration order by id")
    assert rows == [(1, 1, 1), (2, 1, 1), (3, 1, 1), (4, 1, 1)]
    notnull = {r[1]: r[3] for r in _rows(path, "PRAGMA table_info(declaration)")}
    assert notnull["center_id"] == 1 and notnull["host_id"] == 1
    # the new placeholders: a centre in 草稿 and a host organization per declaration that had none
    assert _rows(
        path,
        "select c.name_zh, c.state, o.name from declaration d join center c on c.id = d.center_id"
        " join organization o on o.id = d.host_id where d.id in (1, 4) order by d.id",
    ) == [(PH_CENTER, "draft", PH_HOST), (PH_CENTER, "draft", PH_HOST)]
    assert _rows(path, "PRAGMA foreign_key_check") == []
    # and up again: the new placeholders are retired in turn
    _migrate(path, "0004")
    assert _rows(path, "select id, center_id, host_id from declaration where id in (1, 4) order by id") == [
        (1, None, None),
        (4, None, None),
    ]
    assert _rows(path, f"select count(*) from center where state = 'draft' and name_zh = '{PH_CENTER}'") == [
        (0,)
    ]


# ------------------------------------------------------------------ 0005: unit affiliations


@pytest.mark.sqlite_only  # old rows written with plain sqlite3 at an old revision; PRAGMA
def test_0005_adds_the_unit_affiliation_table_and_down_again(tmp_path: Path) -> None:
    path = tmp_path / "units.sqlite"
    _database_at_0003_with_placeholders(path)
    _migrate(path, "0004")
    assert "unit_affiliation" not in _tables(path)
    _migrate(path, "0005")
    assert _columns(path, "unit_affiliation") == [
        "organization_id",
        "unit_name",
        "unit_key",
        "belongs",
        "decided_on",
        "id",
        "created_at",
    ]
    con = sqlite3.connect(path)
    try:
        insert = (
            "insert into unit_affiliation (organization_id, unit_name, unit_key, belongs, decided_on,"
            " created_at) values (3, ?, ?, ?, ?, ?)"
        )
        unit = "柳州某某重工股份有限公司研究院"
        con.execute(insert, (unit, unit, 1, "2026-11-27", "2026-11-27 00:00:00"))
        con.commit()
        with pytest.raises(sqlite3.IntegrityError):  # one answer per organization and unit
            con.execute(
                insert, ("柳州某某重工股份有限公司 研究院", unit, 0, "2026-11-28", "2026-11-28 00:00:00")
            )
    finally:
        con.close()
    assert _rows(path, "PRAGMA foreign_key_check") == []
    # the program reads the answer (the organization registry, by normalised name) at head
    from lzcenter_desktop.services.organizations import unit_affiliations

    _migrate(path, schema.HEAD_REVISION)
    db = Database.open(str(path))
    try:
        with db.session() as session:
            found = [(a.unit_name, a.belongs, o.name) for a, o in unit_affiliations(session, [3])]
    finally:
        db.dispose()
    assert found == [("柳州某某重工股份有限公司研究院", True, "柳州某某重工股份有限公司")]
    _migrate(path, "0004", down=True)
    assert "unit_affiliation" not in _tables(path)
    assert _rows(path, "select count(*) from organization") == [(3,)]
    _migrate(path, "0005")
    assert _rows(path, "select count(*) from unit_affiliation") == [(0,)]
