"""A test's own SQL on the database an application context is open on: ``sqlite3`` on the SQLite
file, psycopg on the server database in the PostgreSQL run (tests/db_backend.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lzcenter_desktop.services.context import AppContext
from tests import db_backend


def test_path(ctx: AppContext) -> Path:
    """The path the test opened ``ctx`` with (a server database stands for one in the PostgreSQL run)."""
    if ctx.db.path is not None:
        return Path(ctx.db.path)
    name = ctx.db.engine.url.database
    path = db_backend._made.get(name or "")
    assert path is not None, f"{name} is not a database this test made"
    return path


def connect(ctx: AppContext) -> Any:
    """``db_backend.connect`` on the database of ``ctx``: ``?`` placeholders, ``with`` commits."""
    return db_backend.connect(test_path(ctx))
