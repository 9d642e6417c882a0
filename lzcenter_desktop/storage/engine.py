"""The database: an SQLAlchemy engine with the project's per-connection settings.

SQLite by default (a file in the user's data folder); any SQLAlchemy URL works too. Every SQLite
connection gets ``foreign_keys=ON``, ``synchronous=FULL``, a busy timeout and — on a local disk —
``journal_mode=WAL``. Transactions are begun explicitly (``BEGIN``, or ``BEGIN IMMEDIATE`` for a
write session) so that a write either commits whole or leaves the file as it was.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlmodel import Session, create_engine

from lzcenter_desktop.storage.errors import CANNOT_OPEN_MESSAGE, CannotOpenDatabase, classify
from lzcenter_desktop.storage.guards import install_guards

DEFAULT_BUSY_TIMEOUT_MS = 5000
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
    """One database (file or URL) and its engine. Build it with :meth:`open`."""

    def __init__(self, engine: Engine, url: str, path: Path | None) -> None:
        self.engine = engine
        self.url = url
        self.path = path
        self._write_engine = engine.execution_options(lz_begin="IMMEDIATE")

    @classmethod
    def open(cls, target: str, *, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS) -> Database:
        """Open a SQLite file path or a SQLAlchemy URL; a file's parent folder is created."""
        path: Path | None = None
        if is_url(target):
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
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                problem = classify(exc) or CannotOpenDatabase(CANNOT_OPEN_MESSAGE, detail=str(exc))
                raise problem from exc
        try:
            engine = _make_engine(url, path, busy_timeout_ms)
        except ArgumentError as exc:
            raise CannotOpenDatabase(f"数据库地址“{target}”无法识别。", detail=str(exc)) from exc
        except ModuleNotFoundError as exc:
            raise CannotOpenDatabase(
                f"打开数据库“{target}”需要的驱动程序未安装（{exc.name}）。", detail=str(exc)
            ) from exc
        return cls(engine, url, path)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """A session for reading (and, through ``services``, writing); closed on exit, never committed."""
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextlib.contextmanager
    def write_session(self) -> Iterator[Session]:
        """A session whose transaction takes SQLite's write lock at once (``BEGIN IMMEDIATE``)."""
        with Session(self._write_engine, expire_on_commit=False) as session:
            yield session

    def dispose(self) -> None:
        self.engine.dispose()

    def __repr__(self) -> str:
        return f"Database({self.url!r})"


def _make_engine(url: str, path: Path | None, busy_timeout_ms: int) -> Engine:
    url_obj = make_url(url)
    kwargs: dict[str, Any] = {}
    is_sqlite = url_obj.get_backend_name() == "sqlite"
    if is_sqlite:
        kwargs["connect_args"] = {"timeout": busy_timeout_ms / 1000, "check_same_thread": False}
    engine = create_engine(url, **kwargs)
    if is_sqlite:
        use_wal = path is not None and not is_network_path(path)
        _install_sqlite_settings(engine, busy_timeout_ms=busy_timeout_ms, use_wal=use_wal)
    install_guards(engine)
    return engine


def _install_sqlite_settings(engine: Engine, *, busy_timeout_ms: int, use_wal: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's implicit BEGIN is deferred and
        # skips some statements); see the SQLAlchemy docs, "Serializable isolation / Savepoints".
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            cursor.execute("PRAGMA foreign_keys = ON")
            if use_wal:
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
