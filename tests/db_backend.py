"""The database the test suite runs on: SQLite files (the default) or a PostgreSQL server.

``LZCENTER_TEST_BACKEND=postgresql`` with ``LZCENTER_TEST_PG_URL`` (a SQLAlchemy URL of the
server; its database part is ignored) runs the same tests on PostgreSQL: every SQLite file a test
asks :meth:`Database.open` for that does not exist yet and lies in a temporary folder becomes a
database of its own on the server (named after the path, so opening the same path again reaches
the same database). A file that already exists (a test that built or damaged a SQLite file on
purpose) and the repository's own data files stay SQLite files.

Tests that are about the SQLite *file* itself (its bytes, backups of the file, ``PRAGMA``s, raw
``sqlite3`` edits of the audit trail) carry ``@pytest.mark.sqlite_only`` and run only in the
SQLite run; ``installer/bootstrap.py test`` prints how many. Sign-in on a server database is always
on in the application (:func:`lzcenter_desktop.domain.roles.sign_in_always_on`); in the PostgreSQL
run it follows the database's setting as on SQLite, so the same tests exercise the same writes
— the server policy itself is tested by tests marked ``server_sign_in``, which keep it.

Databases made for a test are dropped after it (``DROP DATABASE … WITH (FORCE)``); those made
for module- or session-wide fixtures at the end of the run.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import threading
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path

BACKEND = os.environ.get("LZCENTER_TEST_BACKEND", "sqlite").strip().lower() or "sqlite"
PG_URL = os.environ.get("LZCENTER_TEST_PG_URL", "")
ON_POSTGRESQL = BACKEND == "postgresql"

_TEMP_ROOTS = tuple({str(Path(tempfile.gettempdir()).resolve()), str(Path(tempfile.gettempdir()))})
#: Every database of this run starts with it: two runs on one server (the SQLite and the PostgreSQL
#: run side by side, or two developers' runs) never touch each other's databases.
RUN_PREFIX = f"t{os.getpid()}_"
_lock = threading.Lock()
SERVER_SIGN_IN_POLICY: object = None  # the application's policy, kept for tests marked server_sign_in
_made: dict[str, Path] = {}  # database name → the path it stands for
_opened: dict[str, weakref.WeakSet[object]] = {}  # server URL → the Database objects open on it


def check_configuration() -> None:
    if BACKEND not in ("sqlite", "postgresql"):
        raise RuntimeError(f"LZCENTER_TEST_BACKEND={BACKEND!r}: use sqlite or postgresql")
    if ON_POSTGRESQL and not PG_URL:
        raise RuntimeError(
            "LZCENTER_TEST_BACKEND=postgresql needs LZCENTER_TEST_PG_URL (the server's URL); "
            "installer/bootstrap.py test starts a server and sets both"
        )


def server_url(database: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(PG_URL).set(database=database).render_as_string(hide_password=False)


def _connect_params() -> dict[str, object]:
    from sqlalchemy.engine import make_url

    url = make_url(PG_URL)
    params: dict[str, object] = {"dbname": "postgres", "user": url.username or "postgres"}
    for key, value in (("password", url.password), ("host", url.host), ("port", url.port)):
        if value:
            params[key] = value
    for key, value in url.query.items():
        params[key] = value if isinstance(value, str) else value[0]
    return params


def _admin_execute(sql: str) -> list[tuple[object, ...]]:
    import psycopg

    with psycopg.connect(autocommit=True, **_connect_params()) as con:  # type: ignore[arg-type]
        cur = con.execute(sql)  # type: ignore[arg-type]
        return list(cur.fetchall()) if cur.description else []


def _database_name(path: Path) -> str:
    return RUN_PREFIX + hashlib.sha1(str(path).encode("utf-8")).hexdigest()[:24]


def _redirected(target: str) -> str | None:
    """The server URL standing for the SQLite file ``target``; None when it stays a file."""
    if "://" in target:
        return None
    path = Path(target).expanduser()
    try:
        resolved = path.resolve()
    except OSError:
        return None
    if not str(resolved).startswith(_TEMP_ROOTS) and not str(path).startswith(_TEMP_ROOTS):
        return None
    if path.exists() and path.is_file() and path.stat().st_size > 0:
        return None  # a SQLite file the test made on purpose
    if path.is_dir():
        return None  # let the application refuse it as it would
    name = _database_name(resolved)
    with _lock:
        if name not in _made:
            _admin_execute(f'CREATE DATABASE "{name}" TEMPLATE "{_head_template()}"')
            _made[name] = resolved
    return server_url(name)


_TEMPLATE = RUN_PREFIX + "head_template"
_template_ready = False


def _head_template() -> str:
    """A database migrated to head by the application's own migrations, made once per run: a new
    test database is a copy of it (0.1 s instead of running the migrations on the server again
    for every test — they run here, and the migration tests run them on their own databases)."""
    global _template_ready
    if not _template_ready:
        from lzcenter_desktop.storage import schema
        from lzcenter_desktop.storage.engine import Database

        _admin_execute(f'DROP DATABASE IF EXISTS "{_TEMPLATE}" WITH (FORCE)')
        _admin_execute(f'CREATE DATABASE "{_TEMPLATE}"')
        db = Database.open(server_url(_TEMPLATE))
        try:
            schema.upgrade(db.engine, "head")
        finally:
            db.dispose()
        _template_ready = True
    return _TEMPLATE


def install() -> None:
    """Send new temporary SQLite files to the server (PostgreSQL run only)."""
    if not ON_POSTGRESQL:
        return
    from lzcenter_desktop.storage import engine

    original = engine.Database.open.__func__  # type: ignore[attr-defined]

    def open_on_server(cls: type[engine.Database], target: str, **kwargs: object) -> engine.Database:
        url = _redirected(target)
        db = original(cls, url if url is not None else target, **kwargs)
        if url is not None:
            _opened.setdefault(url, weakref.WeakSet()).add(db)
        return db  # type: ignore[no-any-return]

    engine.Database.open = classmethod(open_on_server)  # type: ignore[assignment,method-assign]
    global SERVER_SIGN_IN_POLICY
    from lzcenter_desktop.domain import roles

    SERVER_SIGN_IN_POLICY = roles.sign_in_always_on
    roles.sign_in_always_on = lambda dialect_name: False  # follow the setting, as on SQLite
    _drop_leftovers()


def _drop_leftovers() -> None:
    """Drop the test databases an interrupted earlier run left on the server: those of a process
    that is no longer running (a run still going keeps its own)."""
    import re

    rows = _admin_execute("SELECT datname FROM pg_database WHERE datname ~ '^t[0-9]+_'")
    for (name,) in rows:
        match = re.match(r"t(\d+)_", str(name))
        if match is None or _alive(int(match.group(1))):
            continue
        _admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: alive
        return True
    return True


def made_under(folder: Path) -> list[str]:
    base = str(folder.resolve())
    with _lock:
        return [n for n, p in _made.items() if str(p).startswith(base + os.sep) or str(p) == base]


#: How many tests a test's databases outlive it: a GUI test's background workers may still be
#: reading when the test ends (on SQLite the file simply stays in the temporary folder); dropping
#: the database under them would fail their query in the next test.
_GRACE_TESTS = 8
_retired: list[set[str]] = []


def drop_under(folder: Path) -> None:
    """Drop the databases made for the test whose temporary folder is ``folder`` — a few tests
    later (:data:`_GRACE_TESTS`), so that nothing still running of that test loses its database."""
    _retired.append(set(made_under(folder)))
    while len(_retired) > _GRACE_TESTS:
        names = _retired.pop(0)
        if names:
            _drop(lambda name, path, gone=names: name in gone)


def drop_all() -> None:
    _drop(lambda name, path: True)


def _drop(which: Callable[..., bool]) -> None:
    if not ON_POSTGRESQL:
        return
    with _lock:
        names = [n for n, p in _made.items() if which(n, p)]
        for name in names:
            _made.pop(name, None)
    for name in names:
        _admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def copy_database(source: Path, target: Path) -> None:
    """Copy the test database ``source`` to ``target``: the file on SQLite, a server-side copy
    (``CREATE DATABASE … TEMPLATE``) on PostgreSQL."""
    if not ON_POSTGRESQL or _database_name(source.resolve()) not in _made:
        import sqlite3

        src, dst = sqlite3.connect(source), sqlite3.connect(target)
        try:
            src.backup(dst)  # the whole database, write-ahead log included
        finally:
            src.close()
            dst.close()
        return
    src_name = _database_name(source.resolve())
    name = _database_name(target.resolve())
    with _lock:
        _made[name] = target.resolve()
    _admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    # A template may not have sessions open: return the source's pooled connections first (a
    # module-wide context keeps working: its pool connects again), then end any left.
    for db in list(_opened.get(server_url(src_name), ())):
        db.dispose()  # type: ignore[attr-defined]
    _admin_execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        f"WHERE datname = '{src_name}' AND pid <> pg_backend_pid()"
    )
    _admin_execute(f'CREATE DATABASE "{name}" TEMPLATE "{src_name}"')


def attachments_ready(ctx: object, folder: Path) -> None:
    """A shared database keeps attachments in a shared folder named by an administrator
    (services/attachment_folder.py): name ``folder`` for a server database, as a bureau would;
    a SQLite file keeps its default (beside the file)."""
    from lzcenter_desktop.services import attachment_folder

    if ctx.db.path is None:  # type: ignore[attr-defined]
        folder.mkdir(parents=True, exist_ok=True)
        attachment_folder.set_attachments_folder(ctx, str(folder))  # type: ignore[arg-type]


def is_server_database(path: Path) -> bool:
    """Whether the test database ``path`` stands for a database on the server (PostgreSQL run)."""
    return ON_POSTGRESQL and _database_name(path.resolve()) in _made


_started_url: str | None = None


def server_base_url() -> str:
    """The test server's URL: ``LZCENTER_TEST_PG_URL`` (set by ``installer/bootstrap.py test`` for
    both runs), else the private server of installer/pg_test_server.py, started now — so a test
    that needs a server never silently goes without one."""
    global _started_url
    if PG_URL:
        return PG_URL
    if _started_url is None:
        import subprocess
        import sys

        script = Path(__file__).resolve().parent.parent / "installer" / "pg_test_server.py"
        result = subprocess.run([sys.executable, str(script), "start"], capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"could not start the PostgreSQL test server:\n{result.stderr}")
        _started_url = result.stdout.strip().splitlines()[-1]
    return _started_url


@contextlib.contextmanager
def server_database(prefix: str = "s") -> Iterator[str]:
    """A new, empty database on the test server (its URL), dropped afterwards."""
    import uuid

    global PG_URL
    base = server_base_url()
    name = f"{RUN_PREFIX}{prefix}_{uuid.uuid4().hex[:12]}"
    saved, PG_URL = PG_URL, base
    try:
        _admin_execute(f'CREATE DATABASE "{name}"')
        url = server_url(name)
    finally:
        PG_URL = saved
    try:
        yield url
    finally:
        saved, PG_URL = PG_URL, base
        try:
            _admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            PG_URL = saved


class _ServerConnection:
    """A DB-API connection to the server database a test path stands for, used like the
    ``sqlite3`` connection the SQLite run gets: ``execute`` with ``?`` placeholders returns a
    cursor; ``with`` commits on success (as ``sqlite3``'s does); ``close``."""

    def __init__(self, name: str) -> None:
        import psycopg

        params = dict(_connect_params(), dbname=name)
        self._con = psycopg.connect(**params)  # type: ignore[arg-type]

    def execute(self, sql: str, params: object = ()) -> object:
        return self._con.execute(sql.replace("?", "%s"), params or None)  # type: ignore[arg-type]

    def commit(self) -> None:
        self._con.commit()

    def rollback(self) -> None:
        self._con.rollback()

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> _ServerConnection:
        return self

    def __exit__(self, exc_type: object, *_: object) -> None:
        if exc_type is None:
            self._con.commit()
        else:
            self._con.rollback()


def connect(path: Path | str) -> object:
    """A plain connection to the test database ``path`` for a test's own SQL: ``sqlite3`` on a
    file, psycopg on the server database it stands for in the PostgreSQL run (``?``
    placeholders work on both; write portable SQL — no PRAGMA, no SQLite-only functions)."""
    import sqlite3

    target = Path(path)
    if ON_POSTGRESQL:
        name = _database_name(target.resolve())
        if name in _made:
            return _ServerConnection(name)
    return sqlite3.connect(target)
