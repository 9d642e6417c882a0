"""Schema version: a cheap check with plain SQL, and Alembic only when a migration is needed.

Start-up reads ``alembic_version`` with one SELECT — through a plain ``sqlite3`` connection for a
SQLite file (:func:`sqlite_schema_status`, no SQLAlchemy), through the engine otherwise. Only when
the database is new or older than this program does :func:`upgrade` import Alembic (about 0.2 s)
and run the revisions in ``storage/migrations/versions``. A revision this program does not know
means the file was written by a newer version: it is refused with
:class:`~lzcenter_desktop.storage.errors.NewerDatabase`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lzcenter_desktop.storage.errors import newer_database

if TYPE_CHECKING:
    from sqlalchemy import Engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

# Every revision of storage/migrations/versions, oldest first. A test keeps this list equal to
# Alembic's own view of the scripts, so start-up need not import Alembic to know them.
KNOWN_REVISIONS: tuple[str, ...] = (
    "0001",
    "0002",
    "0003",
    "0004",
    "0005",
    "0006",
    "0007",
    "0008",
    "0009",
    "0010",
    "0011",
    "0012",
)
HEAD_REVISION = KNOWN_REVISIONS[-1]


class SchemaState(StrEnum):
    EMPTY = "empty"  # no table at all: a new database
    CURRENT = "current"  # at HEAD_REVISION
    OLDER = "older"  # a known revision before head
    NEWER = "newer"  # a revision this program does not know
    FOREIGN = "foreign"  # tables, but no alembic_version: not this program's database


@dataclass(frozen=True, slots=True)
class SchemaStatus:
    state: SchemaState
    revision: str | None


def current_revision(engine: Engine) -> str | None:
    """The revision stamped in the database, ``None`` when there is none."""
    return schema_status(engine).revision


def schema_status(engine: Engine) -> SchemaStatus:
    from sqlalchemy import inspect, text

    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            names = [
                str(r[0])
                for r in conn.exec_driver_sql(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                )
            ]
        else:
            names = list(inspect(conn).get_table_names())
        if "alembic_version" not in names:
            return _status(names, [])
        rows = [str(r[0]) for r in conn.execute(text("SELECT version_num FROM alembic_version"))]
    return _status(names, rows)


def sqlite_schema_status(con: sqlite3.Connection) -> SchemaStatus:
    """:func:`schema_status` of the SQLite database of ``con`` (a plain connection: no SQLAlchemy)."""
    names = [
        str(r[0])
        for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    rows: list[str] = []
    if "alembic_version" in names:
        rows = [str(r[0]) for r in con.execute("SELECT version_num FROM alembic_version")]
    return _status(names, rows)


def _status(names: Sequence[str], rows: Sequence[str]) -> SchemaStatus:
    """The state from the database's table names and the rows of ``alembic_version``."""
    if "alembic_version" not in names:
        return SchemaStatus(SchemaState.EMPTY if not names else SchemaState.FOREIGN, None)
    if not rows:
        return SchemaStatus(SchemaState.EMPTY if names == ["alembic_version"] else SchemaState.FOREIGN, None)
    unknown = [r for r in rows if r not in KNOWN_REVISIONS]
    if unknown:
        return SchemaStatus(SchemaState.NEWER, unknown[0])
    revision = max(rows, key=KNOWN_REVISIONS.index)
    return SchemaStatus(SchemaState.CURRENT if revision == HEAD_REVISION else SchemaState.OLDER, revision)


def check_not_newer(engine: Engine) -> SchemaStatus:
    status = schema_status(engine)
    if status.state is SchemaState.NEWER:
        raise newer_database(status.revision or "?")
    return status


def alembic_config(connection: Any = None) -> Any:
    """Alembic's ``Config`` built in code (no ``alembic.ini``), bound to ``connection`` if given."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("path_separator", "os")
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def upgrade(engine: Engine, target: str = "head") -> None:
    """Run the migrations up to ``target`` in one transaction (Alembic imported here only).

    On SQLite, foreign keys are switched off for the duration (Alembic's batch mode re-creates
    tables) and checked with ``PRAGMA foreign_key_check`` before the commit.
    """
    from alembic import command

    check_not_newer(engine)
    _run_alembic(engine, lambda cfg: command.upgrade(cfg, target))


def downgrade(engine: Engine, target: str) -> None:
    from alembic import command

    _run_alembic(engine, lambda cfg: command.downgrade(cfg, target))


def _run_alembic(engine: Engine, action: Callable[[Any], None]) -> None:
    from lzcenter_desktop.storage.guards import ALLOW_DELETE_OPTION

    is_sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        conn.execution_options(**{ALLOW_DELETE_OPTION: True, "lz_begin": "IMMEDIATE"})
        raw = conn.connection.dbapi_connection
        if is_sqlite and raw is not None:
            raw.execute("PRAGMA foreign_keys = OFF")  # outside any transaction: it takes effect
        try:
            with conn.begin():
                action(alembic_config(conn))
                if is_sqlite:
                    problems = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if problems:
                        raise RuntimeError(f"迁移后外键检查失败：{problems[:5]}")
        finally:
            if is_sqlite and raw is not None:
                raw.execute("PRAGMA foreign_keys = ON")


def stamp(engine: Engine, revision: str) -> None:
    """Write ``revision`` into ``alembic_version`` without running anything (tests, repairs)."""
    from sqlalchemy import text

    from lzcenter_desktop.storage.guards import ALLOW_DELETE_OPTION

    with engine.connect() as conn:
        conn.execution_options(**{ALLOW_DELETE_OPTION: True})
        conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS alembic_version (version_num VARCHAR(32) NOT NULL)")
        conn.exec_driver_sql("DELETE FROM alembic_version")
        conn.execute(text("INSERT INTO alembic_version (version_num) VALUES (:v)"), {"v": revision})
        conn.commit()
