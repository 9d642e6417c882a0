"""Database failures sorted into "environment" (the clerk can act on it) and "bug".

Environment problems — a locked or read-only database, a full disk, a damaged file, a database
written by a newer version, a file that cannot be opened — become an :class:`EnvironmentProblem`
with a plain Chinese title and message saying what happened and what to do. The UI shows it in a
dialog, the command line prints it and exits with :attr:`EnvironmentProblem.exit_code`. Anything
:func:`classify` does not recognise is a bug and goes to the crash handler.
"""

from __future__ import annotations

import errno
import sqlite3

EXIT_ENVIRONMENT = 3


class EnvironmentProblem(Exception):
    """A failure caused by the computer's state rather than by the program."""

    title = "数据库问题"
    exit_code = EXIT_ENVIRONMENT

    def __init__(self, message: str, *, title: str | None = None, detail: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if title is not None:
            self.title = title
        self.detail = detail  # the original technical text, for the log; never shown as the message

    def __str__(self) -> str:
        return f"{self.title}：{self.message}"


class DatabaseLocked(EnvironmentProblem):
    title = "数据库正被占用"
    exit_code = 4


class DatabaseReadOnly(EnvironmentProblem):
    title = "数据库只读"
    exit_code = 5


class DiskFull(EnvironmentProblem):
    title = "磁盘空间不足"
    exit_code = 6


class DatabaseCorrupt(EnvironmentProblem):
    title = "数据库文件已损坏"
    exit_code = 7


class NewerDatabase(EnvironmentProblem):
    title = "数据库版本较新"
    exit_code = 8


class CannotOpenDatabase(EnvironmentProblem):
    title = "无法打开数据库"
    exit_code = 9


class NotOurDatabase(CannotOpenDatabase):
    """The file is not a database of this system (not SQLite at all, or someone else's SQLite)."""

    title = "不是本系统的数据库"
    exit_code = 10


LOCKED_MESSAGE = (
    "数据库正被另一个程序或另一台电脑占用，本次操作未保存。"
    "请关闭其他正在使用该数据库的窗口（包括本程序的其他窗口），稍后重试。"
)
READ_ONLY_MESSAGE = (
    "数据库文件或其所在文件夹不允许写入，本次操作未保存。"
    "请检查文件是否被设为只读、文件夹权限是否足够，或将数据库复制到可写的文件夹后用 --db 指定。"
)
DISK_FULL_MESSAGE = "磁盘已满，本次操作未保存。请清理磁盘空间（或将数据库移到空间充足的磁盘）后重试。"
CORRUPT_MESSAGE = (
    "数据库文件的内容无法正常读取，本次操作未完成。请不要继续使用这个文件，"
    "用数据库所在文件夹下 backups 文件夹中最近的完好备份恢复（打开主窗口时会列出可用的备份），"
    "或联系系统维护人员。"
)
CANNOT_OPEN_MESSAGE = "无法打开数据库文件。请检查路径是否正确、文件夹是否存在且可写。"


def newer_database(revision: str) -> NewerDatabase:
    return NewerDatabase(
        f"该数据库由更新版本的程序写入（数据库版本 {revision}），本版本无法安全使用它。"
        "请安装最新版本的程序后再打开；数据库未被改动。",
        detail=revision,
    )


def _messages(exc: BaseException) -> list[str]:
    """The text of ``exc`` and of its causes (SQLAlchemy wraps the DB-API error in ``.orig``)."""
    texts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        texts.append(str(current).lower())
        orig = getattr(current, "orig", None)
        current = orig if isinstance(orig, BaseException) else (current.__cause__ or current.__context__)
    return texts


def _sqlite_error(exc: BaseException) -> sqlite3.Error | None:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, sqlite3.Error):
            return current
        orig = getattr(current, "orig", None)
        current = orig if isinstance(orig, BaseException) else (current.__cause__ or current.__context__)
    return None


def classify(exc: BaseException) -> EnvironmentProblem | None:
    """The environment problem behind ``exc``, or ``None`` when ``exc`` looks like a bug."""
    if isinstance(exc, EnvironmentProblem):
        return exc
    detail = str(exc)
    if isinstance(exc, OSError) and not isinstance(exc, sqlite3.Error):
        if exc.errno == errno.ENOSPC:
            return DiskFull(DISK_FULL_MESSAGE, detail=detail)
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return DatabaseReadOnly(READ_ONLY_MESSAGE, detail=detail)
        return None
    sqlite_exc = _sqlite_error(exc)
    code_name = getattr(sqlite_exc, "sqlite_errorname", "") or ""
    texts = _messages(exc)
    if sqlite_exc is None and not any("sqlite" in t for t in texts) and not _has_dbapi_error(exc):
        return None

    def has(*needles: str) -> bool:
        return any(n in t for t in texts for n in needles)

    if (
        code_name.startswith("SQLITE_BUSY")
        or code_name.startswith("SQLITE_LOCKED")
        or has("database is locked", "database table is locked", "database schema is locked")
    ):
        return DatabaseLocked(LOCKED_MESSAGE, detail=detail)
    if code_name.startswith("SQLITE_READONLY") or has(
        "attempt to write a readonly database", "readonly database", "read-only", "query_only"
    ):
        return DatabaseReadOnly(READ_ONLY_MESSAGE, detail=detail)
    if code_name.startswith("SQLITE_FULL") or has(
        "database or disk is full", "disk is full", "no space left"
    ):
        return DiskFull(DISK_FULL_MESSAGE, detail=detail)
    if code_name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or has(
        "database disk image is malformed", "file is not a database", "file is encrypted or is not a database"
    ):
        return DatabaseCorrupt(CORRUPT_MESSAGE, detail=detail)
    if code_name.startswith("SQLITE_CANTOPEN") or has("unable to open database file"):
        return CannotOpenDatabase(CANNOT_OPEN_MESSAGE, detail=detail)
    if code_name.startswith("SQLITE_IOERR") or has("disk i/o error"):
        return CannotOpenDatabase(
            "读写数据库文件时出错（磁盘或网络驱动器故障）。请检查磁盘或网络连接后重试；"
            "若数据库在网络共享文件夹上，请改放到本机磁盘。",
            title="磁盘读写错误",
            detail=detail,
        )
    return None


def _has_dbapi_error(exc: BaseException) -> bool:
    """SQLAlchemy's ``DBAPIError`` without importing SQLAlchemy (start-up time)."""
    return any(cls.__name__ == "DBAPIError" for cls in type(exc).__mro__)
