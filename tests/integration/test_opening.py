"""Opening a database for the main window: the checks without SQLAlchemy, on a thread of their own."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from lzcenter_desktop.services.context import AppContext, Opening, open_app
from lzcenter_desktop.storage import schema
from lzcenter_desktop.storage.engine import Database
from lzcenter_desktop.storage.errors import DatabaseCorrupt, NotOurDatabase
from lzcenter_desktop.storage.schema import SchemaState, sqlite_schema_status
from tests import db_backend
from tests.records import revoke_a_centre_of

REPO = Path(__file__).resolve().parents[2]

MODULES_AFTER = """
import json, sys
from lzcenter_desktop.services.center_list import list_centers
from lzcenter_desktop.services.context import open_app
ctx = open_app(sys.argv[1])
rows = list_centers(ctx)
ctx.db.dispose()
print(json.dumps({"rows": len(rows), "modules": sorted(sys.modules)}))
"""


def _modules_after_opening(path: Path) -> tuple[int, set[str]]:
    done = subprocess.run(
        [sys.executable, "-c", MODULES_AFTER, str(path)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
        check=True,
    )
    result = json.loads(done.stdout.splitlines()[-1])
    return int(result["rows"]), set(result["modules"])


@pytest.mark.sqlite_only  # a child process is given the SQLite file's path
def test_opening_a_current_database_and_listing_it_needs_no_sqlalchemy(tmp_path: Path) -> None:
    path = tmp_path / "current.sqlite"
    ctx = open_app(str(path))
    revoke_a_centre_of(ctx, name="柳州已有单位有限公司", code=None)
    ctx.db.dispose()
    rows, modules = _modules_after_opening(path)
    assert rows == 1
    assert "lzcenter_desktop.services.center_list" in modules  # the check looks at the right process
    heavy = {m for m in modules if m.split(".")[0] in {"sqlalchemy", "sqlmodel", "pydantic", "alembic"}}
    assert not heavy


def test_a_new_database_is_migrated_with_alembic(tmp_path: Path) -> None:
    rows, modules = _modules_after_opening(tmp_path / "new.sqlite")
    assert rows == 0
    assert "alembic" in modules and "sqlalchemy" in modules


def _stamped(tmp_path: Path, state: str) -> Path:
    path = tmp_path / f"{state}.sqlite"
    if state == "empty":
        sqlite3.connect(path).close()
        return path
    if state == "foreign":
        with sqlite3.connect(path) as con:
            con.execute("CREATE TABLE kunden (id INTEGER PRIMARY KEY)")
        return path
    ctx = open_app(str(path))
    revision = {"current": schema.HEAD_REVISION, "older": schema.KNOWN_REVISIONS[-2], "newer": "9999"}[state]
    schema.stamp(ctx.db.engine, revision)
    ctx.db.dispose()
    return path


@pytest.mark.sqlite_only  # reads the SQLite file's schema through plain sqlite3
@pytest.mark.parametrize("state", ["empty", "current", "older", "newer", "foreign"])
def test_the_plain_schema_check_agrees_with_the_engine(tmp_path: Path, state: str) -> None:
    path = _stamped(tmp_path, state)
    with sqlite3.connect(path) as con:
        plain = sqlite_schema_status(con)
    db = Database.open(str(path))
    try:
        assert plain == schema.schema_status(db.engine)
    finally:
        db.dispose()
    assert plain.state is SchemaState(state)


@pytest.mark.sqlite_only  # plain sqlite3 reads of the file
def test_a_plain_read_is_for_sqlite_files_only(tmp_path: Path) -> None:
    file_db = Database.open(str(tmp_path / "f.sqlite"))
    memory_db = Database.open("sqlite://")
    try:
        assert file_db.plain_read(lambda con: 1) is None  # no file yet: read through the engine
        sqlite3.connect(tmp_path / "f.sqlite").close()
        assert file_db.plain_read(lambda con: con.execute("select 41 + 1").fetchone()[0]) == 42
        assert memory_db.plain_read(lambda con: 1) is None
    finally:
        file_db.dispose()
        memory_db.dispose()


def test_opening_hands_out_the_context_and_runs_the_read_ahead_after_it(tmp_path: Path) -> None:
    path = tmp_path / "o.sqlite"
    open_app(str(path)).db.dispose()
    events: list[str] = []
    release = threading.Event()

    def ahead(ctx: AppContext) -> Callable[[], None]:
        events.append("reserved")  # before result() can return

        def job() -> None:
            release.wait(30)
            events.append("read")

        return job

    opening = Opening(str(path), ahead=ahead)
    ctx = opening.result()
    try:
        assert events == ["reserved"]
        # the context of this database: its file, or the server database standing for it
        assert ctx.db.path == (None if db_backend.is_server_database(path) else path)
        assert opening.result() is ctx
        release.set()
        opening._thread.join(30)
        assert events == ["reserved", "read"]
    finally:
        release.set()
        ctx.db.dispose()


def test_a_problem_found_while_opening_is_raised_by_result(tmp_path: Path) -> None:
    not_a_database = tmp_path / "table.sqlite"
    not_a_database.write_text('{"这是": "JSON"}', encoding="utf-8")
    called = []
    opening = Opening(str(not_a_database), ahead=lambda ctx: lambda: called.append(ctx))
    with pytest.raises(NotOurDatabase):
        opening.result()
    with pytest.raises(NotOurDatabase):
        opening.result()
    opening._thread.join(30)
    assert called == []  # nothing is read ahead of a database that did not open


@pytest.mark.sqlite_only  # damages the SQLite file's bytes
def test_a_damaged_database_is_still_refused_when_opened_on_a_thread(tmp_path: Path) -> None:
    from tests.damage import make_damaged_database

    path = make_damaged_database(tmp_path / "d.sqlite")
    with pytest.raises(DatabaseCorrupt):
        Opening(str(path)).result()


@pytest.mark.sqlite_only  # PRAGMA query_only on plain sqlite3 reads
def test_plain_reads_of_a_database_kept_for_reading_only_cannot_write(tmp_path: Path) -> None:
    path = tmp_path / "r.sqlite"
    open_app(str(path)).db.dispose()
    db = Database.open(str(path))
    try:

        def query_only(con: sqlite3.Connection) -> int:
            return int(con.execute("PRAGMA query_only").fetchone()[0])

        assert db.plain_read(query_only) == 0
        db.refuse_writes(DatabaseCorrupt("损坏"))
        assert db.plain_read(query_only) == 1
    finally:
        db.dispose()
