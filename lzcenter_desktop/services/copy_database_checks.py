"""The checks of ``copy-database`` before anything is copied (part of :mod:`.copy_database`).

* the source is opened **read-only** (a SQLite file through ``mode=ro``; a server database in a
  ``READ ONLY`` transaction) and must be a database of this program, whole (SQLite's
  ``integrity_check``) and at the current schema version — an older one must be migrated first;
* the target must not hold data: any row in any table is refused, naming the table — except the
  rows the program's own migrations write into a new database (the list of key industries),
  which a target prepared with ``migrate`` holds;
* both must be reachable, and not the same database.

A problem with the arguments is :class:`CopyInputError` (exit 2); a database that is refused is
:class:`CopyRefused` (exit 1). Either way nothing has been written.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, create_engine, event, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool, StaticPool

from lzcenter_desktop import paths
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.storage import schema
from lzcenter_desktop.storage.engine import Database
from lzcenter_desktop.storage.errors import EnvironmentProblem, NotOurDatabase
from lzcenter_desktop.storage.integrity import OUR_TABLES, FileKind, file_kind, run_check
from lzcenter_desktop.storage.models import metadata
from lzcenter_desktop.storage.schema import SchemaState, SchemaStatus

EXIT_REFUSED = 1
EXIT_BAD_INPUT = 2


class CopyError(ServiceError):
    """The copy did not happen; :attr:`exit_code` says why (1 refused, 2 bad input)."""

    exit_code = EXIT_REFUSED


class CopyRefused(CopyError):
    """A database is refused (damaged, another version, a target with data, a check failed)."""

    exit_code = EXIT_REFUSED


class CopyInputError(CopyError):
    """The arguments cannot be used (no such file, not a database of this program, unreachable)."""

    exit_code = EXIT_BAD_INPUT


def shown(target: str) -> str:
    """``target`` as shown to the user: a URL without its password."""
    if not paths.is_url(target):
        return target
    try:
        return make_url(target).render_as_string(hide_password=True)
    except Exception:  # malformed: shown as given, it is refused anyway
        return target


def _sqlite_path(target: str) -> Path | None:
    """The file of a SQLite target (a path or a ``sqlite:///`` URL), ``None`` for a server."""
    if not paths.is_url(target):
        return Path(target).expanduser()
    try:
        url = make_url(target)
    except Exception as exc:
        raise CopyInputError(f"数据库地址“{target}”格式不正确，请检查后重试。", field="数据库") from exc
    if url.get_backend_name() != "sqlite":
        return None
    if not url.database or url.database == ":memory:" or url.database.startswith("file:"):
        raise CopyInputError(f"“{shown(target)}”不是数据库文件，请写出 SQLite 文件的路径。", field="数据库")
    return Path(url.database).expanduser()


def same_database(src: str, dst: str) -> bool:
    a, b = _sqlite_path(src), _sqlite_path(dst)
    if a is not None and b is not None:
        return a.resolve() == b.resolve()
    if a is None and b is None:
        return make_url(src).render_as_string(hide_password=True) == make_url(dst).render_as_string(
            hide_password=True
        )
    return False


@dataclass
class Source:
    """The source database, opened for reading only."""

    name: str  # as shown to the user
    engine: Engine

    def connect(self) -> Connection:
        """A connection whose transaction is one consistent, read-only snapshot of the source."""
        conn = self.engine.connect()
        if conn.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
            conn.begin()
            conn.exec_driver_sql("SET TRANSACTION READ ONLY")
        else:
            conn.begin()
        return conn

    def dispose(self) -> None:
        self.engine.dispose()


def _readonly_sqlite_engine(path: Path) -> Engine:
    uri = f"{path.resolve().as_uri()}?mode=ro"

    def connect() -> sqlite3.Connection:
        con = sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=30)
        con.isolation_level = None  # BEGIN is issued below: the whole copy reads one snapshot
        return con

    engine = create_engine("sqlite://", creator=connect, poolclass=NullPool)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN")

    return engine


def _check_status(status: SchemaStatus, name: str) -> None:
    head = schema.HEAD_REVISION
    if status.state in (SchemaState.EMPTY, SchemaState.FOREIGN):
        raise CopyInputError(
            f"源数据库“{name}”不是本系统的数据库（没有本系统的数据表和版本信息），未复制。", field="源数据库"
        )
    if status.state is SchemaState.NEWER:
        raise CopyRefused(
            f"源数据库“{name}”由更新版本的程序写入（版本 {status.revision}），本程序不能复制它。"
            "请用写入它的那个版本的程序复制。",
            field="源数据库",
        )
    if status.state is SchemaState.OLDER:
        raise CopyRefused(
            f"源数据库“{name}”的版本是 {status.revision}，不是当前版本 {head}。"
            f"请先升级源数据库：lzcenter-desktop --db {name} migrate（升级前会自动备份），再复制。",
            field="源数据库",
        )


def open_source(src: str) -> Source:
    """Open ``src`` read-only after checking it is a whole database of this program at head."""
    name = shown(src)
    path = _sqlite_path(src)
    if path is not None:
        kind = file_kind(path) if not path.is_dir() else FileKind.OTHER
        if kind in (FileKind.ABSENT, FileKind.EMPTY):
            raise CopyInputError(f"源数据库文件“{path}”不存在或是空文件，请检查路径。", field="源数据库")
        if kind is FileKind.OTHER:
            raise CopyInputError(f"“{path}”不是 SQLite 数据库文件，不能作为源数据库。", field="源数据库")
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
        try:
            problems = run_check(con, full=True)
            if problems:
                raise CopyRefused(
                    f"源数据库“{name}”未通过完整性检查（文件已损坏），未复制。"
                    "请先用备份恢复它（lzcenter-desktop restore），再复制。",
                    field="源数据库",
                )
            _check_status(schema.sqlite_schema_status(con), name)
        except sqlite3.Error as exc:
            raise CopyRefused(f"源数据库“{name}”无法读取：{exc}。", field="源数据库") from exc
        finally:
            con.close()
        return Source(name, _readonly_sqlite_engine(path))
    try:
        engine = Database.open(src).engine
        status = schema.schema_status(engine)
    except EnvironmentProblem as exc:
        raise CopyInputError(f"源数据库“{name}”无法打开：{exc.message}", field="源数据库") from exc
    except Exception as exc:
        raise CopyInputError(f"源数据库“{name}”无法连接：{exc}", field="源数据库") from exc
    _check_status(status, name)
    return Source(name, engine)


def open_target(dst: str) -> Database:
    """Open ``dst`` (created when it is a new SQLite file); not a database of another program."""
    name = shown(dst)
    path = _sqlite_path(dst)
    if path is not None and path.is_dir():
        raise CopyInputError(f"“{path}”是一个文件夹，请写出目标数据库文件的路径。", field="目标数据库")
    try:
        db = Database.open(dst)
        tables = db.table_names() if db.is_sqlite else _server_tables(db.engine)
    except NotOurDatabase as exc:
        raise CopyInputError(
            f"目标“{name}”不是本系统的数据库，未写入：{exc.message}", field="目标数据库"
        ) from exc
    except EnvironmentProblem as exc:
        raise CopyInputError(f"目标数据库“{name}”无法打开：{exc.message}", field="目标数据库") from exc
    except Exception as exc:
        raise CopyInputError(f"目标数据库“{name}”无法连接：{exc}", field="目标数据库") from exc
    if tables - {"alembic_version"} and not tables >= OUR_TABLES:
        db.dispose()
        raise CopyInputError(
            f"目标“{name}”中已有其他程序的数据表，不是本系统的数据库，未写入。请指定一个空数据库。",
            field="目标数据库",
        )
    if not tables:
        return db  # a new database (a SQLite file is created only when the tables are made)
    if db.is_sqlite and db.quick_check():
        db.dispose()
        raise CopyRefused(f"目标数据库“{name}”已损坏，未写入。请换一个空数据库。", field="目标数据库")
    status = db.plain_read(schema.sqlite_schema_status) or schema.schema_status(db.engine)
    if status.state is SchemaState.NEWER:
        db.dispose()
        raise CopyRefused(
            f"目标数据库“{name}”由更新版本的程序写入，未写入。请换一个空数据库。", field="目标数据库"
        )
    if status.state is SchemaState.FOREIGN:
        db.dispose()
        raise CopyInputError(
            f"目标“{name}”没有本系统的版本信息，不是本系统的数据库，未写入。", field="目标数据库"
        )
    return db


def _server_tables(engine: Engine) -> set[str]:
    from sqlalchemy import inspect

    with engine.connect() as conn:
        return set(inspect(conn).get_table_names())


# --------------------------------------------------------------------------- the target is empty


def _rows(conn: Connection, table: Table) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in conn.execute(select(table).order_by(*table.primary_key.columns))]


@cache
def migration_rows() -> dict[str, frozenset[tuple[Any, ...]]]:
    """The rows the migrations write into a new database, by table (only tables they fill):
    found by migrating a scratch in-memory database."""
    engine = create_engine("sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False})
    try:
        schema.upgrade(engine, "head")
        with engine.connect() as conn:
            found = {t.name: frozenset(_rows(conn, t)) for t in metadata.sorted_tables}
    finally:
        engine.dispose()
    return {name: rows for name, rows in found.items() if rows}


def tables_with_data(db: Database) -> list[tuple[str, int]]:
    """(table, rows) of every table of ``db`` that holds data, in the order of the schema: any row,
    except exactly the rows the migrations themselves write into a new database."""
    tables = db.table_names() if db.is_sqlite else _server_tables(db.engine)
    at_head = schema.schema_status(db.engine).state is SchemaState.CURRENT
    found: list[tuple[str, int]] = []
    known = {t.name: t for t in metadata.sorted_tables}
    order = [t.name for t in metadata.sorted_tables] + sorted(tables - set(known))
    with db.engine.connect() as conn:
        for name in order:
            if name not in tables or name == "alembic_version":
                continue
            quoted = conn.dialect.identifier_preparer.quote(name)
            count = int(conn.execute(text(f"SELECT count(*) FROM {quoted}")).scalar_one())
            if count == 0:
                continue
            seeded = migration_rows().get(name)
            if seeded is not None and count == len(seeded) and name in known:
                table = known[name]
                if at_head:
                    if frozenset(_rows(conn, table)) == seeded:
                        continue
                else:  # an older schema: the same rows by key
                    pk = next(iter(table.primary_key.columns))
                    at = list(table.columns).index(pk)
                    ids = {r[0] for r in conn.execute(text(f"SELECT {pk.name} FROM {quoted}"))}
                    if ids == {r[at] for r in seeded}:
                        continue
            found.append((name, count))
    return found


def source_counts(conn: Connection) -> dict[str, int]:
    """Rows per table of the source (in its snapshot), in foreign-key order."""
    return {
        t.name: int(conn.execute(select(func.count()).select_from(t)).scalar_one())
        for t in metadata.sorted_tables
    }


def check_source_tables(conn: Connection, name: str) -> None:
    """Every table and column of the source is one the copy knows: nothing would be left behind."""
    from sqlalchemy import inspect

    insp = inspect(conn)
    tables = set(insp.get_table_names()) - {"alembic_version"}
    known = {t.name: t for t in metadata.sorted_tables}
    extra = sorted(tables - set(known))
    if extra:
        raise CopyRefused(
            f"源数据库“{name}”中有本程序不认识的数据表（{'、'.join(extra)}），复制会遗漏它们，未复制。",
            field="源数据库",
        )
    for table_name, table in known.items():
        columns = {c["name"] for c in insp.get_columns(table_name)} if table_name in tables else set()
        unknown = sorted(columns - {c.name for c in table.columns})
        if unknown:
            raise CopyRefused(
                f"源数据库“{name}”的数据表 {table_name} 中有本程序不认识的列（{'、'.join(unknown)}），"
                "复制会遗漏它们，未复制。",
                field="源数据库",
            )
