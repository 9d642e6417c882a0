"""One transaction for the whole demo build, with the public services running inside it.

The demo is built in one transaction (a crash half-way leaves no half-built demo), yet its
recognition procedure goes through the public review services (形式审查, sessions, panels, draws,
scores, results, notices, objections, recognition), each of which opens its own unit of work. So
:func:`one_transaction` takes SQLite's write lock once (``BEGIN IMMEDIATE``) on one connection and
hands out a :class:`SharedConnection`: a :class:`~lzcenter_desktop.storage.engine.Database` whose
sessions — for reading and for writing — all run on that connection, each in a SAVEPOINT of its
own. A service's unit of work "commits" by releasing its savepoint and is audited as usual (its own
action and operator); everything becomes visible to other connections only when the whole build
commits, and nothing at all is written when it fails.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator
from typing import TypeVar

from sqlalchemy import Connection
from sqlmodel import Session

from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.storage.engine import Database
from lzcenter_desktop.storage.errors import classify

_T = TypeVar("_T")


class SharedConnection(Database):
    """A database whose every session runs on one connection, in the transaction already open on
    it, each in a SAVEPOINT of its own (see the module docstring)."""

    def __init__(self, base: Database, connection: Connection) -> None:
        super().__init__(base.engine, base.url, base.path, busy_timeout_ms=base.busy_timeout_ms)
        self._connection = connection

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        with Session(self._connection, join_transaction_mode="create_savepoint", expire_on_commit=False) as s:
            yield s

    @contextlib.contextmanager
    def write_session(self) -> Iterator[Session]:
        with self.session() as s:
            yield s

    def plain_read(self, look: Callable[[sqlite3.Connection], _T]) -> _T | None:
        """Never through a connection of its own: it would not see the build's rows yet."""
        return None


@contextlib.contextmanager
def one_transaction(ctx: AppContext) -> Iterator[SharedConnection]:
    """The database of ``ctx`` as one transaction: committed when the block ends normally, rolled
    back on any exception (environment failures become Chinese messages, as in a unit of work)."""
    try:
        with ctx.db.write_session() as outer:
            shared = SharedConnection(ctx.db, outer.connection())  # BEGIN IMMEDIATE
            try:
                yield shared
                outer.commit()
            except BaseException:
                outer.rollback()
                raise
    except Exception as exc:
        problem = classify(exc)
        if problem is not None and problem is not exc:
            raise problem from exc
        raise
