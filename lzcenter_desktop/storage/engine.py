"""The database: an SQLAlchemy engine with the project's per-connection settings.

SQLite by default (a file in the user's data folder); any SQLAlchemy URL works too. Every SQLite
connection gets ``foreign_keys=ON``, ``synchronous=FULL``, a busy timeout and — on a local disk —
``journal_mode=WAL``. Transactions are begun explicitly (``BEGIN``, or ``BEGIN IMMEDIATE`` for a
write session) so that a write either commits whole or leaves the file as it was.

A file that is not SQLite at all (a JSON or Excel file given as the database) is refused when
opened. :meth:`Database.quick_check` asks SQLite whether the file is whole; a damaged file can be
kept open for reading only (:meth:`Database.refuse_writes`): every write session is refused and
every new connection is ``query_only``, so the damage cannot spread.

SQLAlchemy (with SQLModel, the models and the storage guards, together about 0.7 s to import) is
loaded only when the engine is first needed: for a SQLite file, :meth:`Database.open`, the checks
(:meth:`~Database.quick_check`, :meth:`~Database.table_names`) and :meth:`~Database.plain_read`
use plain ``sqlite3`` connections, so the main window can show the 中心 list before SQLAlchemy is
loaded (benchmarks/bench_startup.py).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from lzcenter_desktop.storage.errors import (
    CANNOT_OPEN_MESSAGE,
    CannotOpenDatabase,
    DatabaseCorrupt,
    EnvironmentProblem,
    classify,
)
from lzcenter_desktop.storage.integrity import FileKind, file_kind, not_sqlite_file, run_check
from lzcenter_desktop.storage.integrity import table_names as _table_names

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlmodel import Session

WRITE_REFUSED_MESSAGE = (
    "数据库文件已损坏，当前只以只读方式打开，本次修改或导入未保存。"
    "请先从备份恢复数据库（窗口底部的“恢复备份…”），再进行修改或导入。"
)

DEFAULT_BUSY_TIMEOUT_MS = 5000
_T = TypeVar("_T")
_NETWORK_FS = {"nfs", "nfs4", "cifs", "smbfs", "smb3", "9p", "fuse.sshfs", "afs", "ncpfs", "davfs"}


def is_url(target: str) -> bool:
    return "://" in target


def is_network_path(path: Path) -> bool:
    """True for a file on a network share, where SQLite's WAL mode must not be used."""
    text = str(path)
    if sys.platform == "win32":
        if text.startswith(("\\\\", "//")):
            return True
        try:
            import ctypes

            drive = os.path.splitdrive(str(path.resolve()))[0] + "\\"
            return int(ctypes.windll.kernel32.GetDriveTypeW(drive)) == 4  # type: ignore[attr-defined]  # DRIVE_REMOTE
        except Exception:  # no drive type available: assume local
            return False
    try:
        resolved = str(path.resolve())
        best, fstype = "", ""
        with open("/proc/mounts", encoding="utf-8") as mounts:
            for line in mounts:
                parts = line.split()
                if len(parts) >= 3:
                    mount_point = parts[1].replace("\\040", " ")
                    inside = resolved == mount_point or resolved.startswith(mount_point.rstrip("/") + "/")
                    if inside and len(mount_point) > len(best):
                        best, fstype = mount_point, parts[2]
        return fstype in _NETWORK_FS
    except OSError:
        return False


class Database:
    """One database (file or URL) and its engine. Build it with :meth:`open`.

    ``engine`` may be ``None``: it is then made (and SQLAlchemy imported) on first use of
    :attr:`engine`, from any thread."""

    def __init__(
        self,
        engine: Engine | None,
        url: str,
        path: Path | None,
        *,
        busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
        settings: ConnectionSettings | None = None,
    ) -> None:
        self._engine = engine
        self._write_engine_: Engine | None = None
        self._engine_lock = threading.Lock()
        self.url = url
        self.path = path
        self.busy_timeout_ms = busy_timeout_ms
        self._settings = settings or ConnectionSettings()
        self.write_refusal: EnvironmentProblem | None = None  # set by refuse_writes()

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine, made on first use."""
        engine = self._engine
        if engine is None:
            with self._engine_lock:
                if self._engine is None:
                    self._engine = _make_engine(self.url, self.path, self.busy_timeout_ms, self._settings)
                engine = self._engine
        return engine

    @property
    def _write_engine(self) -> Engine:
        engine = self._write_engine_
        if engine is None:
            engine = self._write_engine_ = self.engine.execution_options(lz_begin="IMMEDIATE")
        return engine

    @classmethod
    def open(cls, target: str, *, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS) -> Database:
        """Open a SQLite file path or a SQLAlchemy URL; a file's parent folder is created."""
        path: Path | None = None
        if is_url(target):
            from sqlalchemy.engine import make_url
            from sqlalchemy.exc import ArgumentError

            try:
                url_obj = make_url(target)
            except ArgumentError as exc:
                raise CannotOpenDatabase(f"数据库地址“{target}”格式不正确。", detail=str(exc)) from exc
            if url_obj.get_backend_name() == "sqlite" and url_obj.database not in (None, "", ":memory:"):
                db = url_obj.database or ""
                if not db.startswith("file:"):
                    path = Path(db).expanduser()
            url = target
        else:
            path = Path(target).expanduser()
            url = f"sqlite:///{path}"
        if path is not None:
            if path.is_dir():
                raise CannotOpenDatabase(f"“{path}”是一个文件夹，不是数据库文件。请指定数据库文件的路径。")
            if file_kind(path) is FileKind.OTHER:
                raise not_sqlite_file(path)
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                problem = classify(exc) or CannotOpenDatabase(CANNOT_OPEN_MESSAGE, detail=str(exc))
                raise problem from exc
        settings = ConnectionSettings()
        if not is_url(target):
            # A plain file path: its engine cannot fail to be made, so it is made on first use.
            return cls(None, url, path, busy_timeout_ms=busy_timeout_ms, settings=settings)
        from sqlalchemy.exc import ArgumentError

        try:
            engine = _make_engine(url, path, busy_timeout_ms, settings)
        except ArgumentError as exc:
            raise CannotOpenDatabase(f"数据库地址“{target}”无法识别。", detail=str(exc)) from exc
        except ModuleNotFoundError as exc:
            raise CannotOpenDatabase(
                f"打开数据库“{target}”需要的驱动程序未安装（{exc.name}）。", detail=str(exc)
            ) from exc
        return cls(engine, url, path, busy_timeout_ms=busy_timeout_ms, settings=settings)

    @property
    def is_sqlite(self) -> bool:
        return self.path is not None or self.engine.dialect.name == "sqlite"

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """A session for reading (and, through ``services``, writing); closed on exit, never committed."""
        from lzcenter_desktop.storage.bounded_session import BoundedSession

        with BoundedSession(self.engine, expire_on_commit=False) as session:
            yield session

    @contextlib.contextmanager
    def write_session(self) -> Iterator[Session]:
        """A session whose transaction takes SQLite's write lock at once (``BEGIN IMMEDIATE``).

        Refused with :class:`DatabaseCorrupt` once :meth:`refuse_writes` was called."""
        if self.write_refusal is not None:
            raise DatabaseCorrupt(WRITE_REFUSED_MESSAGE, detail=self.write_refusal.detail)
        from lzcenter_desktop.storage.bounded_session import BoundedSession

        with BoundedSession(self._write_engine, expire_on_commit=False) as session:
            yield session

    @property
    def read_only(self) -> bool:
        return self.write_refusal is not None

    def refuse_writes(self, reason: EnvironmentProblem) -> None:
        """Keep the database for reading only: write sessions are refused, and every connection is
        ``query_only`` and leaves the journal mode alone (a write that bypasses the services fails
        in SQLite itself)."""
        self.write_refusal = reason
        self._settings.query_only = True
        if self._engine is not None:
            self._engine.dispose()  # connections opened before this point are not query_only

    def _inspect(self, look: Callable[[sqlite3.Connection], _T], empty: _T) -> _T:
        """``look`` at the SQLite database through a plain connection of its own for a file (so
        nothing — not even the journal mode — is written before the file was checked), through
        the engine otherwise; ``empty`` for a file not created yet and for other databases."""
        if not self.is_sqlite:
            return empty
        try:
            if self.path is not None:
                if not self.path.exists():
                    return empty
                con = sqlite3.connect(str(self.path), timeout=self.busy_timeout_ms / 1000)
                try:
                    return look(con)
                finally:
                    con.close()
            raw = self.engine.raw_connection()
            try:
                return look(raw.driver_connection)  # type: ignore[arg-type]
            finally:
                raw.close()
        except sqlite3.Error as exc:
            problem = classify(exc)
            if problem is not None:
                raise problem from exc
            raise

    def quick_check(self) -> list[str]:
        """``PRAGMA quick_check``: ``[]`` when sound, else SQLite's problem lines."""
        return self._inspect(lambda con: run_check(con, full=False), [])

    def table_names(self) -> set[str]:
        """The tables of a SQLite database (no ``sqlite_*`` tables); empty for other databases."""
        return self._inspect(_table_names, set())

    def plain_read(self, look: Callable[[sqlite3.Connection], _T]) -> _T | None:
        """``look`` at a SQLite file through a plain ``sqlite3`` connection of its own, without
        SQLAlchemy (reads at start-up: the schema version, the 中心 list); ``None`` for other
        databases and for a file not created yet (read through :attr:`engine` then).
        ``look`` must only read (after :meth:`refuse_writes` the connection is ``query_only``)."""
        if self.path is None:
            return None
        query_only = self._settings.query_only

        def read(con: sqlite3.Connection) -> _T:
            if query_only:
                con.execute("PRAGMA query_only = ON")
            return look(con)

        return self._inspect(read, None)

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()

    def __repr__(self) -> str:
        return f"Database({self.url!r})"


@dataclass
class ConnectionSettings:
    """What every new connection of a database is set to; changed by :meth:`Database.refuse_writes`."""

    query_only: bool = False


def _make_engine(url: str, path: Path | None, busy_timeout_ms: int, settings: ConnectionSettings) -> Engine:
    from sqlalchemy.engine import make_url
    from sqlmodel import create_engine

    from lzcenter_desktop.storage.guards import install_guards

    url_obj = make_url(url)
    kwargs: dict[str, Any] = {}
    is_sqlite = url_obj.get_backend_name() == "sqlite"
    if is_sqlite:
        kwargs["connect_args"] = {"timeout": busy_timeout_ms / 1000, "check_same_thread": False}
    engine = create_engine(url, **kwargs)
    if is_sqlite:
        use_wal = path is not None and not is_network_path(path)
        _install_sqlite_settings(engine, busy_timeout_ms=busy_timeout_ms, use_wal=use_wal, settings=settings)
    install_guards(engine)
    return engine


def _install_sqlite_settings(
    engine: Engine, *, busy_timeout_ms: int, use_wal: bool, settings: ConnectionSettings
) -> None:
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's implicit BEGIN is deferred and
        # skips some statements); see the SQLAlchemy docs, "Serializable isolation / Savepoints".
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            cursor.execute("PRAGMA foreign_keys = ON")
            if settings.query_only:
                cursor.execute("PRAGMA query_only = ON")
            elif use_wal:
                row = cursor.execute("PRAGMA journal_mode").fetchone()
                if row is None or str(row[0]).lower() != "wal":
                    cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = FULL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.get_execution_options().get("lz_begin")
        conn.exec_driver_sql("BEGIN IMMEDIATE" if mode == "IMMEDIATE" else "BEGIN")
