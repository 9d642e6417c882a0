"""``lzcenter-desktop copy-database SRC DST`` (issue 15 item 6): a bureau's SQLite file copied into
an empty database — SQLite → SQLite always, SQLite → PostgreSQL on the test server.

The source is the demo database (built once per module, through a ``sqlite:///`` URL so that it is
a SQLite file in the PostgreSQL run too), copied for each test with SQLite's backup API.
PostgreSQL databases are made per test by :func:`pg_url` (names ``copy_…``) from the server of
``LZCENTER_TEST_PG_URL``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from lzcenter_desktop.cli import main
from lzcenter_desktop.domain.model import OrgKind
from lzcenter_desktop.services import organizations, users
from lzcenter_desktop.services.audit_chain import verify_chain
from lzcenter_desktop.services.context import AppContext, open_app
from lzcenter_desktop.services.copy_database import (
    COPY_ACTION,
    CopyInputError,
    CopyRefused,
    _batches,
    copy_database,
)
from lzcenter_desktop.services.copy_database_checks import migration_rows, source_counts
from lzcenter_desktop.services.demo import build_demo
from lzcenter_desktop.storage import schema
from lzcenter_desktop.storage.engine import Database
from lzcenter_desktop.storage.models import AuditEntry
from tests import db_backend
from tests.damage import damage_audit_entry
from tests.signin_records import PASSWORD, cheap_hashing, with_users

# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("copy-demo") / "demo.sqlite"
    ctx = open_app(f"sqlite:///{path}", operator="演示")
    try:
        build_demo(ctx)
    finally:
        ctx.db.dispose()
    return path


def _backup(src: Path, dst: Path) -> Path:
    a, b = sqlite3.connect(src), sqlite3.connect(dst)
    try:
        a.backup(b)
    finally:
        a.close()
        b.close()
    return dst


@pytest.fixture
def src(demo_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("LZCENTER_KEYSTORE", str(tmp_path / "keys"))
    return _backup(demo_file, tmp_path / "bureau.sqlite")


def _admin(base: str, sql: str) -> None:
    engine = create_engine(
        make_url(base).set(database="postgres"), poolclass=NullPool, isolation_level="AUTOCOMMIT"
    )
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql(sql)
    finally:
        engine.dispose()


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A new, empty database of its own on the test server (tests/db_backend.py), dropped after the test."""
    with db_backend.server_database("copy") as url:
        yield url


def _counts(target: str) -> dict[str, int]:
    db = Database.open(target)
    try:
        with db.engine.connect() as conn:
            return source_counts(conn)
    finally:
        db.dispose()


def _audit_rows(target: str, upto: int) -> list[tuple[object, ...]]:
    db = Database.open(target)
    try:
        with db.engine.connect() as conn:
            rows = conn.execute(
                AuditEntry.__table__.select().where(text("id <= :n")).order_by(text("id")),  # type: ignore[attr-defined]
                {"n": upto},
            )
            return [tuple(r) for r in rows]
    finally:
        db.dispose()


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["copy-database", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def _edit_audit_row(path: Path, entry_id: int) -> None:
    con = sqlite3.connect(path)
    try:
        con.execute("UPDATE audit_entry SET operator = '张局长（伪）' WHERE id = ?", (entry_id,))
        con.commit()
    finally:
        con.close()


def _dst_ctx(target: str) -> AppContext:
    return AppContext(db=Database.open(target), operator="测试员")


# --------------------------------------------------------------------------- SQLite → SQLite


@pytest.mark.sqlite_only
def test_demo_copied_to_sqlite_with_equal_counts_and_the_same_chain(
    src: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dst = tmp_path / "new" / "copy.sqlite"
    before = _counts(str(src))
    code, out, err = _run(capsys, str(src), str(dst))
    assert code == 0, err
    after = _counts(str(dst))
    assert after == before | {"audit_entry": before["audit_entry"] + 1}  # + the copy's own entry
    assert before["audit_entry"] > 1000 and before["center"] > 0
    # every audit row of the source exactly as it was (ids, times, hashes)
    assert _audit_rows(str(dst), before["audit_entry"]) == _audit_rows(str(src), before["audit_entry"])
    ctx = _dst_ctx(str(dst))
    try:
        chain = verify_chain(ctx)
        assert chain.ok and chain.entries == before["audit_entry"] + 1
        with ctx.db.engine.connect() as conn:
            last = conn.execute(
                text("SELECT action, operation, after FROM audit_entry ORDER BY id DESC")
            ).first()
    finally:
        ctx.db.dispose()
    assert last is not None and (last[0], last[1]) == (COPY_ACTION, "copy")
    assert str(src) in last[2] and '"center": ' in last[2]
    # the report: 源 / 目标 per table, the chain, the anchor; progress per table on stderr
    assert f"源 {before['center']:>8}  目标 {before['center']:>8}" in out
    assert "  audit_entry" in out and "哈希链核对无误" in out and "审计链锚点" in out
    assert chain.anchor is not None and chain.anchor.entry_hash in out
    assert "[1/" in err and "audit_entry：" in err
    assert "key export" in out or "无需处理" in out


@pytest.mark.sqlite_only
def test_the_source_file_is_not_written(src: Path, tmp_path: Path) -> None:
    stamp = (src.stat().st_mtime_ns, src.read_bytes())
    copy_database(str(src), str(tmp_path / "copy.sqlite"), operator="测试员")
    assert (src.stat().st_mtime_ns, src.read_bytes()) == stamp


@pytest.mark.sqlite_only
def test_a_target_prepared_with_migrate_is_accepted(src: Path, tmp_path: Path) -> None:
    """Exactly at the bound: a target holding only the rows the migrations write (key industries)."""
    dst = tmp_path / "prepared.sqlite"
    assert main(["--db", str(dst), "migrate"]) == 0
    assert _counts(str(dst))["key_industry"] == len(migration_rows()["key_industry"]) > 0
    report = copy_database(str(src), str(dst), operator="测试员")
    assert all(t.equal for t in report.tables)
    assert _counts(str(dst))["key_industry"] == _counts(str(src))["key_industry"]


@pytest.mark.sqlite_only
def test_a_target_with_one_row_is_refused_and_left_as_it_was(
    tmp_path: Path, src: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Just above the bound: one organization (and its audit entry) in the target."""
    dst = tmp_path / "used.sqlite"
    ctx = open_app(str(dst))
    try:
        organizations.create_organization(ctx, name="柳州某公司", kind=OrgKind.ENTERPRISE.value)
    finally:
        ctx.db.dispose()
    before = _counts(str(dst))
    code, out, err = _run(capsys, str(src), str(dst))
    assert code == 1
    assert "organization（1 行）" in err and "audit_entry（1 行）" in err and "未复制任何内容" in err
    assert _counts(str(dst)) == before
    assert out == ""


@pytest.mark.sqlite_only
def test_a_changed_key_industry_counts_as_data(src: Path, tmp_path: Path) -> None:
    dst = tmp_path / "prepared.sqlite"
    assert main(["--db", str(dst), "migrate"]) == 0
    con = sqlite3.connect(dst)
    con.execute("UPDATE key_industry SET sort_order = 99 WHERE id = 1")
    con.commit()
    con.close()
    with pytest.raises(CopyRefused, match="key_industry"):
        copy_database(str(src), str(dst), operator="测试员")


@pytest.mark.sqlite_only
def test_an_edited_audit_row_in_the_source_is_refused(
    src: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _edit_audit_row(src, 5)
    dst = tmp_path / "copy.sqlite"
    code, _out, err = _run(capsys, str(src), str(dst))
    assert code == 1
    assert "审计链核对未通过" in err and "第 5 条" in err and "被修改过" in err
    assert not dst.exists()  # refused before the target was touched


@pytest.mark.sqlite_only
def test_a_deleted_audit_row_in_the_source_is_refused(src: Path, tmp_path: Path) -> None:
    con = sqlite3.connect(src)
    con.execute("DELETE FROM audit_entry WHERE id = 7")
    con.commit()
    con.close()
    with pytest.raises(CopyRefused, match="已被删除"):
        copy_database(str(src), str(tmp_path / "copy.sqlite"), operator="测试员")


@pytest.mark.sqlite_only
def test_a_source_at_an_older_version_is_refused_with_migrate(
    src: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    older = schema.KNOWN_REVISIONS[-2]
    con = sqlite3.connect(src)
    con.execute("UPDATE alembic_version SET version_num = ?", (older,))
    con.commit()
    con.close()
    code, _out, err = _run(capsys, str(src), str(tmp_path / "copy.sqlite"))
    assert code == 1 and older in err and "migrate" in err


@pytest.mark.sqlite_only
def test_a_damaged_source_is_refused(src: Path, tmp_path: Path) -> None:
    damage_audit_entry(src)
    with pytest.raises(CopyRefused, match="完整性检查"):
        copy_database(str(src), str(tmp_path / "copy.sqlite"), operator="测试员")
    assert not (tmp_path / "copy.sqlite").exists()


@pytest.mark.sqlite_only
def test_bad_input_exits_2(src: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dst = str(tmp_path / "copy.sqlite")
    code, _out, err = _run(capsys, str(tmp_path / "missing.sqlite"), dst)
    assert code == 2 and "不存在" in err
    not_db = tmp_path / "centres.json"
    not_db.write_text('{"a": 1}', encoding="utf-8")
    code, _out, err = _run(capsys, str(not_db), dst)
    assert code == 2 and "不是 SQLite 数据库文件" in err
    code, _out, err = _run(capsys, str(src), str(src))
    assert code == 2 and "同一个" in err
    foreign = tmp_path / "other.sqlite"
    con = sqlite3.connect(foreign)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    code, _out, err = _run(capsys, str(foreign), dst)
    assert code == 2 and "不是本系统的数据库" in err
    code, _out, err = _run(capsys, str(src), str(foreign))
    assert code == 2 and "不是本系统的数据库" in err
    assert not Path(dst).exists()


@pytest.mark.sqlite_only
def test_small_batches_copy_everything(src: Path, tmp_path: Path) -> None:
    dst = tmp_path / "copy.sqlite"
    report = copy_database(str(src), str(dst), operator="测试员", batch=7)
    assert all(t.equal for t in report.tables) and report.chain.ok


def test_rows_are_read_in_batches_never_all_at_once(src: Path) -> None:
    total = _counts(str(src))["audit_entry"]
    engine = create_engine(f"sqlite:///{src}", poolclass=NullPool)
    try:
        with engine.connect() as conn:
            sizes = [len(rows) for rows in _batches(conn, AuditEntry.__table__, 1000)]  # type: ignore[arg-type]
    finally:
        engine.dispose()
    assert sum(sizes) == total and max(sizes) == 1000 and len(sizes) == -(-total // 1000)


@pytest.mark.sqlite_only
def test_a_new_record_on_a_sqlite_target_gets_the_next_id(src: Path, tmp_path: Path) -> None:
    dst = tmp_path / "copy.sqlite"
    copy_database(str(src), str(dst), operator="测试员")
    top = _counts(str(src))["organization"]  # ids 1..n in the demo
    ctx = open_app(str(dst))
    try:
        new_id = organizations.create_organization(ctx, name="柳州新设公司", kind=OrgKind.ENTERPRISE.value)
        assert new_id == top + 1
        assert verify_chain(ctx).ok
    finally:
        ctx.db.dispose()


# --------------------------------------------------------------------------- SQLite → PostgreSQL


@pytest.mark.server_sign_in
def test_demo_copied_to_postgresql_with_equal_counts_and_the_chain_verifying(
    src: Path, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _counts(str(src))
    code, out, err = _run(capsys, str(src), pg_url)
    assert code == 0, err
    assert _counts(pg_url) == before | {"audit_entry": before["audit_entry"] + 1}
    assert _audit_rows(pg_url, before["audit_entry"]) == _audit_rows(str(src), before["audit_entry"])
    ctx = _dst_ctx(pg_url)
    try:
        chain = verify_chain(ctx)
    finally:
        ctx.db.dispose()
    assert chain.ok and chain.entries == before["audit_entry"] + 1
    assert chain.anchor is not None and chain.anchor.entry_hash in out
    assert "postgres@" in out and "review_score_submission：" in err


@pytest.mark.server_sign_in
def test_a_postgresql_target_with_data_is_refused_and_unchanged(
    src: Path, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    copy_database(str(src), pg_url, operator="测试员")
    before = _counts(pg_url)
    code, out, err = _run(capsys, str(src), pg_url)
    assert code == 1 and out == ""
    assert "已有数据" in err and "audit_entry（" in err and "annual_call（" in err
    assert _counts(pg_url) == before


@pytest.mark.server_sign_in
def test_an_edited_audit_row_is_refused_before_postgresql_is_touched(
    src: Path, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _edit_audit_row(src, 100)
    code, _out, err = _run(capsys, str(src), pg_url)
    assert code == 1 and "第 100 条" in err
    engine = create_engine(pg_url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            tables = conn.execute(
                text("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
            ).scalar_one()
    finally:
        engine.dispose()
    assert tables == 0


@pytest.mark.server_sign_in
def test_sequences_are_reset_so_a_new_record_gets_max_plus_one(
    src: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With sign-in on in the source (users copied too): a clerk signs in on PostgreSQL and
    registers an organization; it gets the id after the source's largest."""
    monkeypatch.setattr(users, "_hasher", cheap_hashing())
    ctx = open_app(str(src))
    try:
        with_users(ctx)
    finally:
        ctx.db.dispose()
    top = _counts(str(src))["organization"]
    copy_database(str(src), pg_url, operator="测试员")
    target = _dst_ctx(pg_url)
    try:
        clerk = users.sign_in(target, "clerk", PASSWORD)
        new_id = organizations.create_organization(clerk, name="柳州新设公司", kind=OrgKind.ENTERPRISE.value)
        assert new_id == top + 1
        engine = target.db.engine
        with engine.connect() as conn:
            nxt = conn.execute(text("SELECT nextval(pg_get_serial_sequence('center', 'id'))")).scalar_one()
            top_centre = conn.execute(text("SELECT max(id) FROM center")).scalar_one()
        assert nxt == top_centre + 1
        assert verify_chain(target).ok
    finally:
        target.db.dispose()


@pytest.mark.server_sign_in
def test_a_postgresql_source_copies_to_sqlite(src: Path, pg_url: str, tmp_path: Path) -> None:
    """Any pair: PostgreSQL → SQLite (back again), counts equal."""
    copy_database(str(src), pg_url, operator="测试员")
    back = f"sqlite:///{tmp_path / 'back.sqlite'}"
    report = copy_database(pg_url, back, operator="测试员")
    assert all(t.equal for t in report.tables) and report.chain.ok
    assert _counts(back)["audit_entry"] == _counts(str(src))["audit_entry"] + 2


def test_copy_input_errors_are_distinct_from_refusals() -> None:
    assert CopyInputError.exit_code == 2 and CopyRefused.exit_code == 1


@pytest.mark.sqlite_only
def test_the_report_says_what_to_do_about_the_certificate_keys(
    src: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lzcenter_desktop.services.documents_key import signing_key

    ctx = open_app(str(src))
    try:
        made = signing_key(ctx)  # the first key, K1, in this computer's key store
    finally:
        ctx.db.dispose()
    report = copy_database(str(src), str(tmp_path / "copy.sqlite"), operator="测试员")
    text_ = "\n".join(report.key_lines)
    assert made.key_id in text_ and "本机已持有全部密钥" in text_
    assert "key export" in text_ and "key import" in text_
    # another computer (an empty key store): the key it lacks is named
    monkeypatch.setenv("LZCENTER_KEYSTORE", str(tmp_path / "other-keys"))
    report = copy_database(str(src), str(tmp_path / "copy2.sqlite"), operator="测试员")
    assert f"本机没有其中的 {made.key_id}" in "\n".join(report.key_lines)
    target = _dst_ctx(str(tmp_path / "copy2.sqlite"))
    try:
        with target.db.engine.connect() as conn:
            secrets = conn.execute(text("SELECT name FROM bureau_secret ORDER BY name")).scalars().all()
    finally:
        target.db.dispose()
    assert "certificate_keyring" in secrets and f"certificate_key:{made.key_id}" in secrets


@pytest.mark.sqlite_only
def test_an_empty_target_at_an_older_version_is_brought_to_head_and_filled(src: Path, tmp_path: Path) -> None:
    dst = tmp_path / "older.sqlite"
    db = Database.open(str(dst))
    try:
        schema.upgrade(db.engine, schema.KNOWN_REVISIONS[-2])
    finally:
        db.dispose()
    report = copy_database(str(src), str(dst), operator="测试员")
    assert all(t.equal for t in report.tables) and report.chain.ok
    con = sqlite3.connect(dst)
    try:
        assert con.execute("SELECT version_num FROM alembic_version").fetchall() == [(schema.HEAD_REVISION,)]
    finally:
        con.close()
