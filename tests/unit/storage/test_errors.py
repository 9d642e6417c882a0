"""classify(): real SQLite failures become Chinese environment problems; bugs stay bugs."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from lzcenter_desktop.storage.errors import (
    CannotOpenDatabase,
    DatabaseCorrupt,
    DatabaseLocked,
    DatabaseReadOnly,
    DiskFull,
    EnvironmentProblem,
    NewerDatabase,
    NotOurDatabase,
    classify,
    newer_database,
)


def _error_of(fn) -> BaseException:  # type: ignore[no-untyped-def]
    try:
        fn()
    except BaseException as exc:
        return exc
    raise AssertionError("no error raised")


def test_locked_database(tmp_path: Path) -> None:
    path = tmp_path / "l.sqlite"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("create table t (x)")
    holder.execute("BEGIN EXCLUSIVE")
    other = sqlite3.connect(path, timeout=0.05)
    try:
        exc = _error_of(lambda: other.execute("insert into t values (1)"))
    finally:
        other.close()
        holder.execute("ROLLBACK")
        holder.close()
    problem = classify(exc)
    assert isinstance(problem, DatabaseLocked)
    assert "占用" in problem.message and "重试" in problem.message
    assert problem.exit_code not in (0, 1, 2)


def test_read_only_database(tmp_path: Path) -> None:
    path = tmp_path / "r.sqlite"
    sqlite3.connect(path).execute("create table t (x)").connection.close()
    ro = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        exc = _error_of(lambda: ro.execute("insert into t values (1)"))
    finally:
        ro.close()
    assert isinstance(classify(exc), DatabaseReadOnly)


def test_query_only_counts_as_read_only(tmp_path: Path) -> None:
    con = sqlite3.connect(tmp_path / "q.sqlite")
    con.execute("create table t (x)")
    con.execute("PRAGMA query_only = ON")
    exc = _error_of(lambda: con.execute("insert into t values (1)"))
    con.close()
    assert isinstance(classify(exc), DatabaseReadOnly)


def test_full_database(tmp_path: Path) -> None:
    con = sqlite3.connect(tmp_path / "f.sqlite")
    con.execute("create table t (x)")
    con.commit()
    con.execute("PRAGMA max_page_count = 3")
    exc = _error_of(lambda: con.executemany("insert into t values (?)", [("x" * 1000,)] * 100))
    con.close()
    problem = classify(exc)
    assert isinstance(problem, DiskFull)
    assert "磁盘" in problem.message


def test_disk_full_os_error() -> None:
    assert isinstance(classify(OSError(errno.ENOSPC, "No space left on device")), DiskFull)


def test_permission_denied_os_error_is_read_only() -> None:
    assert isinstance(classify(PermissionError(errno.EACCES, "Permission denied")), DatabaseReadOnly)


def test_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "n.sqlite"
    path.write_bytes(b"this is certainly not an sqlite file" * 200)
    con = sqlite3.connect(path)
    exc = _error_of(lambda: con.execute("select * from sqlite_master").fetchall())
    con.close()
    assert isinstance(classify(exc), DatabaseCorrupt)


def test_cannot_open(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "dir" / "x.sqlite"
    exc = _error_of(lambda: sqlite3.connect(f"{missing.as_uri()}?mode=ro", uri=True))
    assert isinstance(classify(exc), CannotOpenDatabase)


def test_sqlalchemy_wrapped_error_is_unwrapped(tmp_path: Path) -> None:
    from sqlalchemy import create_engine

    path = tmp_path / "w.sqlite"
    sqlite3.connect(path).execute("create table t (x)").connection.close()
    engine = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    with engine.connect() as conn:
        exc = _error_of(lambda: conn.execute(text("insert into t values (1)")))
    engine.dispose()
    assert isinstance(exc, OperationalError)
    assert isinstance(classify(exc), DatabaseReadOnly)


@pytest.mark.parametrize(
    "exc",
    [
        ValueError("bad value"),
        KeyError("x"),
        sqlite3.IntegrityError("UNIQUE constraint failed: organization.credit_code"),
        sqlite3.OperationalError("no such table: centre"),
        OSError(errno.ENOENT, "No such file"),
    ],
)
def test_bugs_are_not_environment_problems(exc: BaseException) -> None:
    assert classify(exc) is None


def test_environment_problem_is_passed_through() -> None:
    problem = newer_database("9999")
    assert classify(problem) is problem
    assert isinstance(problem, NewerDatabase)
    assert "9999" in problem.message and "更新版本" in problem.message
    assert str(problem).startswith(problem.title)


def test_every_kind_has_its_own_nonzero_exit_code() -> None:
    kinds = [
        DatabaseLocked,
        DatabaseReadOnly,
        DiskFull,
        DatabaseCorrupt,
        NewerDatabase,
        CannotOpenDatabase,
        NotOurDatabase,
    ]
    codes = {k.exit_code for k in kinds}
    assert len(codes) == len(kinds)
    assert all(c not in (0, 1, 2) for c in codes)
    assert all(issubclass(k, EnvironmentProblem) for k in kinds)
