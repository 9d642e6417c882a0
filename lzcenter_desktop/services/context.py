"""The application context: the open database and the operator every audited write is recorded under.

``open_app`` is what the UI's start-up and every CLI command call: it resolves the database
(``--db``, then ``LZCENTER_DB``, then the default file), refuses a file that is not this system's
database, a database written by a newer version and — after SQLite's ``quick_check`` — a damaged
one, and then (unless told otherwise) migrates an older database to the current schema after an
automatic backup. Environment failures come out as
:class:`~lzcenter_desktop.storage.errors.EnvironmentProblem` subclasses with Chinese messages.

A damaged database can be opened for reading only (``damaged_read_only=True``, the main window
does this so the clerk can look and restore a backup): :attr:`AppContext.damage` then holds the
problem and every write is refused.

Opening a SQLite file at the current schema does not load SQLAlchemy: the checks and the schema
version are read through plain ``sqlite3`` connections and the engine is made on first use
(see :mod:`lzcenter_desktop.storage.engine`), so the main window shows sooner.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass

from lzcenter_desktop import paths
from lzcenter_desktop.domain.roles import SignedInUser
from lzcenter_desktop.services.schema_upgrade import (
    bring_to_head,
    checked_status,
    database_name,
    refuse_foreign,
)
from lzcenter_desktop.storage.engine import DEFAULT_BUSY_TIMEOUT_MS, Database
from lzcenter_desktop.storage.errors import (
    CannotOpenDatabase,
    DatabaseCorrupt,
    EnvironmentProblem,
    classify,
)
from lzcenter_desktop.storage.integrity import damaged_database
from lzcenter_desktop.storage.schema import SchemaState

__all__ = [
    "EMPTY_TARGET_MESSAGE",
    "AppContext",
    "Opening",
    "checked_status",
    "database_name",
    "open_app",
    "refuse_foreign",
    "warm_up_engine",
]


@dataclass
class AppContext:
    db: Database
    operator: str
    damage: DatabaseCorrupt | None = None  # the database failed its check: opened read-only
    user: SignedInUser | None = None  # set by services.users.sign_in (operator = the user's login)
    sign_in_required: bool = False  # the database asks for sign-in (read when it was opened)

    @property
    def read_only(self) -> bool:
        return self.damage is not None


EMPTY_TARGET_MESSAGE = (
    "数据库路径为空。请写出数据库文件的路径（例如 --db D:\\中心管理\\lzcenter.sqlite），"
    "或不写 --db，使用默认的数据库。"
)


def open_app(
    target: str | None = None,
    *,
    operator: str | None = None,
    migrate: bool = True,
    busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
    damaged_read_only: bool = False,
) -> AppContext:
    """Open the database named by ``target`` (or the environment / default) and bring it to head.

    The file is checked (``PRAGMA quick_check``) through a connection of its own before anything
    is written to it. A damaged database raises :class:`DatabaseCorrupt`; with
    ``damaged_read_only`` a damaged database at the current schema is opened for reading only
    instead (``ctx.damage`` is set, every write is refused).
    """
    if target is not None and not target.strip():
        raise CannotOpenDatabase(EMPTY_TARGET_MESSAGE, title="未指定数据库")
    resolved = paths.resolve_db_target(target)
    db = Database.open(resolved, busy_timeout_ms=busy_timeout_ms)
    ctx = AppContext(db=db, operator=operator or paths.operator_name())
    try:
        refuse_foreign(db)
        problems = db.quick_check()
        damage = damaged_database(database_name(db), problems) if problems else None
        if damage is not None:
            if not damaged_read_only:
                raise damage
            db.refuse_writes(damage)  # before the engine's first connection
        status = checked_status(db)
        if damage is not None:
            if status.state is not SchemaState.CURRENT:
                raise damage
            ctx.damage = damage
            return ctx
        if migrate and status.state is not SchemaState.CURRENT:
            bring_to_head(db)
        ctx.sign_in_required = _sign_in_setting(db)
        if ctx.sign_in_required and (operator is not None or _credentials is not None):
            ctx = _signed_in(ctx, explicit_operator=operator is not None)
    except EnvironmentProblem:
        db.dispose()
        raise
    except Exception as exc:
        db.dispose()
        problem = classify(exc)
        if problem is not None:
            raise problem from exc
        raise
    return ctx


_credentials: tuple[str, str] | None = None


def use_credentials(login: str | None, password: str | None) -> None:
    """Sign every context :func:`open_app` opens in as ``login`` (the command line's ``--user``);
    ``None`` forgets them."""
    global _credentials
    _credentials = (login, password or "") if login else None


def _sign_in_setting(db: Database) -> bool:
    """Whether the database asks for sign-in: always for a shared (non-SQLite) one; for a SQLite
    file the setting ``app_setting.sign_in``, read with plain ``sqlite3`` (no SQLAlchemy at start)."""
    if not db.is_sqlite:
        from lzcenter_desktop.domain import roles

        if roles.sign_in_always_on(db.engine.dialect.name):
            return True
        from lzcenter_desktop.services import users

        return users.sign_in_required(AppContext(db=db, operator=""))

    def look(con: sqlite3.Connection) -> bool:
        try:
            row = con.execute("SELECT value FROM app_setting WHERE key = 'sign_in'").fetchone()
        except sqlite3.OperationalError:  # no such table: an older database
            return False
        return row is not None and row[0] == "on"

    found = db.plain_read(look)
    if found is not None:
        return found
    from lzcenter_desktop.services import users  # an in-memory SQLite database

    return users.sign_in_required(AppContext(db=db, operator=""))


def _signed_in(ctx: AppContext, *, explicit_operator: bool) -> AppContext:
    """``ctx`` signed in with the credentials given by :func:`use_credentials`; an operator named
    by hand (``--operator``) is refused once sign-in is on: the audit trail names the signed-in
    user, not a name typed in."""
    from lzcenter_desktop.services import users
    from lzcenter_desktop.services.permissions import NOT_SIGNED_IN, PermissionRefused

    if explicit_operator:
        raise PermissionRefused(
            "本数据库已启用登录，不能用 --operator 指定操作人：审计记录中的操作人是登录的用户。"
            "请改用 --user 账号 登录。",
            field="操作人",
        )
    if _credentials is None:
        raise PermissionRefused(NOT_SIGNED_IN, field="登录")
    return users.sign_in(ctx, *_credentials)


def warm_up_engine() -> None:
    """Import what the engine's first connection needs — SQLAlchemy, SQLModel, the models and the
    guards against hard deletes and unaudited writes (installed on every engine) — ahead of use,
    e.g. on a worker thread once the first screen is shown."""
    from lzcenter_desktop.storage import guards, models  # noqa: F401 - imported for the import time


class Opening:
    """:func:`open_app` of ``target`` on a thread of its own, started now.

    The main window starts this before it loads Qt: SQLite's ``quick_check`` runs without Python's
    lock, so checking the file and importing Qt take the time of the longer of the two rather
    than of both. ``ahead(ctx)``, if given, is called on that thread once the database is open and
    before :meth:`result` hands the context out; the function it returns (e.g. reading the 中心
    list ahead) then runs on the same thread.
    """

    def __init__(
        self, target: str | None, *, ahead: Callable[[AppContext], Callable[[], object]] | None = None
    ) -> None:
        self.target = target
        self._ahead = ahead
        self._done = threading.Event()
        self._ctx: AppContext | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="lzcenter-open", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        job: Callable[[], object] | None = None
        try:
            ctx = open_app(self.target)
            job = self._ahead(ctx) if self._ahead is not None else None
            self._ctx = ctx
        except BaseException as exc:  # handed to the caller of result()
            self._error = exc
        finally:
            self._done.set()
        if job is not None:
            job()

    def result(self) -> AppContext:
        """The open context; raises what :func:`open_app` raised (on the caller's thread)."""
        self._done.wait()
        if self._error is not None:
            raise self._error
        assert self._ctx is not None
        return self._ctx
