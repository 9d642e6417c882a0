"""The audit chain on a real database: written with every entry, found broken when a row is edited,
deleted or inserted with ``sqlite3`` behind the program's back, and kept by the migration."""

from __future__ import annotations

import itertools
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from lzcenter_desktop.cli import main
from lzcenter_desktop.domain.audit_chain import GENESIS, BreakKind
from lzcenter_desktop.services.audit_chain import anchor_of_file, latest_anchor, verify_chain
from lzcenter_desktop.services.backup import backup_now
from lzcenter_desktop.services.context import AppContext, open_app
from lzcenter_desktop.services.documents_audit import record_documents
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.organizations import add_organization
from lzcenter_desktop.services.uow import unit_of_work
from lzcenter_desktop.storage import schema
from lzcenter_desktop.storage.engine import Database
from tests import db_backend


def _write(ctx: AppContext, n: int, *, start: int = 0) -> None:
    """``n`` transactions of the flush hook (one organisation each) and one document record."""
    for k in range(start, start + n):
        with unit_of_work(ctx, "test.add") as session:
            add_organization(session, name=f"审计测试单位{k:03d}", kind="other")
    record_documents(ctx, "test.document", [(f"doc-{start}", {"n": start}), (f"doc-{start}b", {})], [])


@pytest.fixture
def db_path(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "chain.sqlite"
    ctx = open_app(str(path), operator="审计测试")
    try:
        _write(ctx, 4)
    finally:
        ctx.db.dispose()
    yield path


def _raw(path: Path, sql: str, params: tuple[object, ...] = ()) -> None:
    con = db_backend.connect(path)
    try:
        con.execute(sql, params)
        con.commit()
    finally:
        con.close()


def _rows(path: Path) -> list[tuple[int, str, str, str]]:
    """(id, at as text, prev_hash, entry_hash) of every entry (a server returns ``at`` as a datetime)."""
    con = db_backend.connect(path)
    try:
        rows = con.execute("select id, at, prev_hash, entry_hash from audit_entry order by id")
        return [(i, str(at), prev, h) for i, at, prev, h in rows]
    finally:
        con.close()


def _verify(path: Path, *extra: str) -> tuple[int, str]:
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = main(["audit", "verify", "--db", str(path), *extra])
    return code, out.getvalue()


def _check(path: Path):  # type: ignore[no-untyped-def]
    ctx = open_app(str(path))
    try:
        return verify_chain(ctx)
    finally:
        ctx.db.dispose()


# -- written with every entry ---------------------------------------------------------------------


def test_every_entry_is_chained_from_the_genesis_in_id_order(db_path: Path) -> None:
    rows = _rows(db_path)
    assert [r[0] for r in rows] == list(range(1, len(rows) + 1))
    assert rows[0][2] == GENESIS
    for before, after in itertools.pairwise(rows):
        assert after[2] == before[3]
    assert all(re.fullmatch(r"[0-9a-f]{64}", r[3]) for r in rows)


def test_an_untouched_database_verifies_and_the_cli_exits_0(db_path: Path) -> None:
    result = _check(db_path)
    assert result.ok and result.messages() == []
    assert result.entries == len(_rows(db_path)) and result.anchor is not None
    code, out = _verify(db_path)
    assert code == 0, out
    assert f"共 {result.entries} 条记录" in out and result.anchor.entry_hash in out


# -- tampering with sqlite3 -----------------------------------------------------------------------


def test_an_edited_row_is_named_by_id_and_time(db_path: Path) -> None:
    entry_id, at, _prev, _hash = _rows(db_path)[2]
    _raw(db_path, "update audit_entry set operator = '张局长（伪）' where id = ?", (entry_id,))
    result = _check(db_path)
    assert result.first_break is not None
    assert (result.first_break.kind, result.first_break.entry_id) == (BreakKind.EDITED, entry_id)
    code, out = _verify(db_path)
    assert code == 1
    assert f"第 {entry_id} 条审计记录" in out and "被修改" in out
    assert result.first_break.at is not None
    assert result.first_break.at.astimezone().strftime("%Y-%m-%d %H:%M:%S") in out
    assert at[:10] in out  # the day of the entry


def test_an_edited_time_is_found_too(db_path: Path) -> None:
    entry_id = _rows(db_path)[-1][0]  # the newest entry: no following link to give it away
    _raw(db_path, "update audit_entry set at = '2020-01-01 00:00:00.000000' where id = ?", (entry_id,))
    code, out = _verify(db_path)
    assert code == 1 and f"第 {entry_id} 条审计记录（2020-01-01" in out


def test_a_deleted_row_is_named_with_its_neighbours(db_path: Path) -> None:
    _raw(db_path, "delete from audit_entry where id = 3")
    result = _check(db_path)
    assert result.first_break is not None
    assert (result.first_break.kind, result.first_break.missing) == (BreakKind.DELETED, (3, 3))
    code, out = _verify(db_path)
    assert code == 1
    assert "第 2 条" in out and "第 4 条审计记录" in out and "（第 3 条）已被删除" in out


def test_a_row_inserted_with_sqlite3_is_named(db_path: Path) -> None:
    last = _rows(db_path)[-1][0]
    _raw(
        db_path,
        "insert into audit_entry (id, operator, action, operation, entity, entity_id, txn, at) "
        "values (?, '张局长（伪）', 'centers.change_state', 'update', 'center', '1', 'x', "
        "'2026-01-01 00:00:00')",
        (last + 1,),
    )
    result = _check(db_path)
    assert result.first_break is not None
    assert (result.first_break.kind, result.first_break.entry_id) == (BreakKind.INSERTED, last + 1)
    code, out = _verify(db_path)
    assert code == 1 and f"第 {last + 1} 条审计记录" in out and "插入" in out


def test_an_entry_inserted_by_the_column_default_gets_a_fresh_id(db_path: Path) -> None:
    """The program numbers its entries itself; the id default (PostgreSQL's sequence, SQLite's
    rowid) must still give the next free id, not one the chain already used."""
    last = _rows(db_path)[-1][0]
    _raw(
        db_path,
        "insert into audit_entry (operator, action, operation, entity, entity_id, txn, at) "
        "values ('维护人员', 'maintenance', 'update', 'center', '1', 'x', '2026-01-01 00:00:00')",
    )
    assert [r[0] for r in _rows(db_path)][-2:] == [last, last + 1]
    result = _check(db_path)
    assert result.first_break is not None and result.first_break.entry_id == last + 1


def test_later_writes_do_not_hide_a_break(db_path: Path) -> None:
    _raw(db_path, "update audit_entry set after = '{}' where id = 2")
    ctx = open_app(str(db_path))
    try:
        _write(ctx, 2, start=50)
        result = verify_chain(ctx)
    finally:
        ctx.db.dispose()
    assert result.first_break is not None and result.first_break.entry_id == 2
    assert result.entries == len(_rows(db_path))


# -- the anchor -----------------------------------------------------------------------------------


def test_a_trail_cut_short_keeps_a_sound_chain_but_loses_its_anchor(db_path: Path) -> None:
    anchor = _rows(db_path)[-1][3]
    assert _verify(db_path, "--anchor", anchor)[0] == 0
    assert _verify(db_path, "--anchor", anchor.upper())[0] == 0  # as copied from a report
    _raw(db_path, "delete from audit_entry where id = (select max(id) from audit_entry)")
    assert _check(db_path).ok  # the chain alone cannot see it
    code, out = _verify(db_path, "--anchor", anchor)
    assert code == 1 and f"锚点哈希 {anchor} 不在审计日志中" in out


@pytest.mark.parametrize("bad", ["", "abc", "g" * 64, "a" * 63, "a" * 65])
def test_a_malformed_anchor_is_refused(db_path: Path, bad: str) -> None:
    ctx = open_app(str(db_path))
    try:
        with pytest.raises(ServiceError, match="64 位十六进制"):
            verify_chain(ctx, anchor=bad)
    finally:
        ctx.db.dispose()
    assert _verify(db_path, "--anchor", bad or " ")[0] == 2


@pytest.mark.sqlite_only  # a backup is a copy of the SQLite file
def test_the_backup_report_and_the_service_give_the_newest_hash(db_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    ctx = open_app(str(db_path))
    try:
        anchor = latest_anchor(ctx)
        copy = backup_now(ctx)
    finally:
        ctx.db.dispose()
    assert anchor is not None and (anchor.entry_id, anchor.entry_hash) == _rows(db_path)[-1][::3]
    assert anchor_of_file(copy) == anchor
    assert main(["--db", str(db_path), "backup"]) == 0
    out = capsys.readouterr().out
    assert anchor.text() in out and "审计链锚点：" in out


def test_an_empty_trail_has_no_anchor(tmp_path: Path) -> None:
    db = Database.open(str(tmp_path / "empty.sqlite"))
    try:
        schema.upgrade(db.engine)
    finally:
        db.dispose()
    ctx = open_app(str(tmp_path / "empty.sqlite"))
    try:
        assert latest_anchor(ctx) is None
        result = verify_chain(ctx)
    finally:
        ctx.db.dispose()
    assert result.ok and result.entries == 0 and result.anchor is None


# -- concurrent writers and the migration ---------------------------------------------------------


def test_two_writers_at_once_keep_one_chain(db_path: Path) -> None:
    contexts = [open_app(str(db_path), operator=f"写入者{k}") for k in range(2)]
    errors: list[BaseException] = []

    def run(ctx: AppContext, start: int) -> None:
        try:
            _write(ctx, 15, start=start)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(c, 100 * (k + 1))) for k, c in enumerate(contexts)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for c in contexts:
        c.db.dispose()
    assert errors == []
    result = _check(db_path)
    assert result.ok, result.messages()
    assert result.entries == len(_rows(db_path)) == 4 + 2 + 2 * (15 + 2)


def test_an_older_database_is_chained_by_the_migration_exactly_as_the_program_would(db_path: Path) -> None:
    written = _rows(db_path)
    db = Database.open(str(db_path))
    try:
        schema.downgrade(db.engine, "0008")  # the trail as a 0008 database holds it: no hashes
        columns = {c["name"] for c in sa.inspect(db.engine).get_columns("audit_entry")}
        assert "entry_hash" not in columns
    finally:
        db.dispose()
    ctx = open_app(str(db_path))  # brings it to head: 0009 chains the existing rows
    try:
        result = verify_chain(ctx)
        _write(ctx, 1, start=200)  # and the program carries on from there
        after = verify_chain(ctx)
    finally:
        ctx.db.dispose()
    assert result.ok and result.entries == len(written)
    assert _rows(db_path)[: len(written)] == written  # the same hashes the program had written
    assert after.ok and after.entries == len(written) + 3


def test_a_0008_database_with_rows_written_by_hand_verifies_after_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    db = Database.open(str(path))
    try:
        if schema.current_revision(db.engine) is None:
            schema.upgrade(db.engine, "0008")
        else:  # a server database of the PostgreSQL run starts at head
            schema.downgrade(db.engine, "0008")
    finally:
        db.dispose()
    for k in range(3):
        _raw(
            path,
            "insert into audit_entry "
            "(operator, action, operation, entity, entity_id, before, after, txn, at) "
            "values (?, 'old.action', 'insert', 'organization', ?, NULL, ?, ?, ?)",
            (
                f"旧操作人{k}",
                str(k),
                f'{{"name": "单位{k}"}}',
                f"{k:032x}",
                f"2025-0{k + 1}-01 08:00:00.000000",
            ),
        )
    code, out = _verify(path)
    assert code == 0, out
    assert "共 3 条记录" in out


def test_the_demo_build_leaves_a_chain_that_verifies(tmp_path: Path) -> None:
    """Every service at once, each unit of work in a SAVEPOINT of one transaction, some writing
    their own entries: the trail is one unbroken chain."""
    from lzcenter_desktop.services import demo

    ctx = open_app(str(tmp_path / "demo.sqlite"))
    try:
        demo.build_demo(ctx, seed=2026)
        result = verify_chain(ctx)
    finally:
        ctx.db.dispose()
    assert result.ok, result.messages()
    assert result.entries == len(_rows(tmp_path / "demo.sqlite")) > 1000
