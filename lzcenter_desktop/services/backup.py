"""Backups on request (menu 备份 / ``lzcenter-desktop backup``) and restoring one over a damaged database.

A backup is made only of a sound database and is checked once written (see
:mod:`lzcenter_desktop.storage.backup`). Restoring never deletes anything: the damaged file (with
its ``-wal``/``-shm`` companions) is first renamed to ``<name>.damaged-YYYYmmdd-HHMMSS<suffix>``
beside it, and only a backup that passes ``PRAGMA integrity_check`` is put in its place.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.storage.backup import backup_sqlite, timestamped_backup_path
from lzcenter_desktop.storage.backup import backups_folder as backups_folder  # for ui
from lzcenter_desktop.storage.errors import EnvironmentProblem, classify
from lzcenter_desktop.storage.integrity import OUR_TABLES, FileKind, check_file, file_kind, table_names
from lzcenter_desktop.storage.schema import SchemaState, sqlite_schema_status

COMPANIONS = ("-wal", "-shm", "-journal")


def backup_now(ctx: AppContext, dest: Path | None = None) -> Path:
    """Copy the database with SQLite's backup API; returns the backup file.

    ``dest`` may be a file or an existing folder; by default the copy goes to
    ``<db folder>/backups/<name>-backup-YYYYmmdd-HHMMSS.sqlite``. A damaged database is refused
    (:class:`~lzcenter_desktop.storage.errors.DatabaseCorrupt`) and ``dest`` is left as it was.
    """
    source = ctx.db.path
    if source is None:
        raise ServiceError(
            "只能备份本机的 SQLite 数据库文件；服务器数据库请由数据库管理员备份。", field="数据库"
        )
    default = timestamped_backup_path(source)
    if dest is None:
        target = default
    else:
        dest = Path(dest).expanduser()
        target = dest / default.name if dest.is_dir() else dest
    if target.resolve() == source.resolve():
        raise ServiceError("备份文件不能与数据库文件相同，请另选一个位置。", field="备份位置")
    return backup_sqlite(source, target)


@dataclass(frozen=True, slots=True)
class BackupFile:
    path: Path
    modified: datetime
    size: int
    problem: str  # "" when the backup is sound; else why it cannot be restored (Chinese)
    reason: str = ""  # from the name: backup, daily, exit, before-migration-<revision>

    @property
    def sound(self) -> bool:
        return not self.problem

    @property
    def kind(self) -> str:
        """What made it, in Chinese: 手动备份, 每日自动备份, 退出时自动备份, 升级前自动备份."""
        return kind_label(self.reason)


KIND_LABELS = {"backup": "手动备份", "daily": "每日自动备份", "exit": "退出时自动备份"}
MIGRATION_REASON = "before-migration-"


def kind_label(reason: str) -> str:
    if reason.startswith(MIGRATION_REASON):
        return "升级前自动备份"
    return KIND_LABELS.get(reason, "其他备份")


def judge_backup(path: Path) -> str:
    """ "" for a sound backup of this system's database, else the reason (Chinese) it is not usable."""
    try:
        if file_kind(path) is not FileKind.SQLITE:
            return "不是数据库文件"
        problems = check_file(path, full=True)
        if problems:
            return "已损坏（未通过完整性检查）"
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            if not table_names(con) >= OUR_TABLES:
                return "不是本系统的数据库"
            state = sqlite_schema_status(con).state
        finally:
            con.close()
        if state is SchemaState.NEWER:
            return "由更新版本的本程序写出，本版本不能使用，请先升级程序"
        if state is not SchemaState.CURRENT and state is not SchemaState.OLDER:
            return "不是本系统的数据库"
    except EnvironmentProblem as problem:
        return problem.title
    except (OSError, sqlite3.Error):
        return "无法读取"
    return ""


_STAMP = re.compile(r"-(\d{8}-\d{6})(?:-\d+)?$")


def reason_of(db_path: Path, backup: Path) -> str:
    """The reason part of ``<stem>-<reason>-YYYYmmdd-HHMMSS[-n]<suffix>`` ("" when not named so)."""
    stem = backup.stem
    prefix = f"{Path(db_path).stem}-"
    match = _STAMP.search(stem)
    if match is None or not stem.startswith(prefix):
        return ""
    return stem[len(prefix) : match.start()]


def _stamp_of(path: Path) -> datetime | None:
    """The time in a backup's name (``…-YYYYmmdd-HHMMSS[-n]``): the file's own time changes when
    it is opened or copied, the name does not."""
    match = _STAMP.search(path.stem)
    if match is None:
        return None
    try:
        return datetime.strptime(match.group(1), "%Y%m%d-%H%M%S")
    except ValueError:
        return None


def backup_files(db_path: Path) -> list[Path]:
    """The files in ``<db folder>/backups`` named as backups of ``db_path`` (its own name prefix)."""
    db_path = Path(db_path)
    folder = backups_folder(db_path)
    suffix = db_path.suffix or ".sqlite"
    if not folder.is_dir():
        return []
    return [
        path
        for path in folder.iterdir()
        if path.is_file() and path.name.startswith(f"{db_path.stem}-") and path.name.endswith(suffix)
    ]


def stamp_or_mtime(path: Path) -> datetime:
    stamp = _stamp_of(path)
    if stamp is not None:
        return stamp
    try:
        return datetime.fromtimestamp(path.stat().st_mtime)
    except OSError:
        return datetime.min


def list_backups(db_path: Path) -> list[BackupFile]:
    """The backups of ``db_path`` in ``<db folder>/backups`` (its own name prefix), newest first by
    the time in their names (else the file's time), each checked with ``PRAGMA integrity_check``
    and refused when not this system's database or written by a newer version."""
    db_path = Path(db_path)
    found: list[BackupFile] = []
    for path in backup_files(db_path):
        try:
            info = path.stat()
        except OSError:
            continue
        found.append(
            BackupFile(
                path=path,
                modified=_stamp_of(path) or datetime.fromtimestamp(info.st_mtime),
                size=info.st_size,
                problem=judge_backup(path),
                reason=reason_of(db_path, path),
            )
        )
    found.sort(key=lambda b: (b.modified, b.path.name), reverse=True)
    return found


def latest_good_backup(backups: list[BackupFile]) -> BackupFile | None:
    return next((b for b in backups if b.sound), None)


@dataclass(frozen=True, slots=True)
class RestoreReport:
    restored_from: Path
    damaged_kept_as: Path | None  # where the replaced file now is; None if there was none

    @property
    def kept_as(self) -> Path | None:
        """Where the replaced file (damaged or not) was kept, beside the database."""
        return self.damaged_kept_as


def damaged_aside_path(db_path: Path, *, when: datetime | None = None, label: str = "damaged") -> Path:
    """``<db folder>/<stem>.<label>-YYYYmmdd-HHMMSS<suffix>``; never an existing file."""
    stamp = (when or datetime.now()).strftime("%Y%m%d-%H%M%S")
    suffix = db_path.suffix or ".sqlite"
    candidate = db_path.with_name(f"{db_path.stem}.{label}-{stamp}{suffix}")
    n = 1
    while candidate.exists():
        n += 1
        candidate = db_path.with_name(f"{db_path.stem}.{label}-{stamp}-{n}{suffix}")
    return candidate


def restore_backup(
    db_path: Path,
    backup: Path,
    *,
    aside_label: str = "damaged",
    prepare: Callable[[Path, Path | None], None] | None = None,
) -> RestoreReport:
    """Put the backup ``backup`` in place of the database file ``db_path``.

    Every connection to ``db_path`` must be closed first (``ctx.db.dispose()``). The backup is
    checked and copied beside the database first; only then is the current file (damaged, as a
    rule) renamed aside with its companions (``<stem>.<aside_label>-<time>``), and the copy
    renamed into its place. ``prepare(copy, aside)`` runs on the checked copy before the swap
    (the audited restore writes its audit entry there, naming ``aside``). If anything fails,
    the database file is left as it was.
    """
    db_path = Path(db_path)
    backup = Path(backup)
    problem = judge_backup(backup)
    if problem:
        raise ServiceError(f"备份“{backup.name}”不能用于恢复：{problem}。请选另一个备份。", field="备份")
    staged = db_path.with_name(f".{db_path.name}.restoring")
    aside = damaged_aside_path(db_path, label=aside_label) if db_path.exists() else None
    moved: list[tuple[Path, Path]] = []  # (original, renamed to)
    try:
        backup_sqlite(backup, staged)  # checked before and after copying
        if prepare is not None:
            prepare(staged, aside)
        if aside is not None:
            for suffix in ("", *COMPANIONS):
                side = db_path.with_name(db_path.name + suffix)
                if side.exists():
                    target = aside.with_name(aside.name + suffix)
                    side.rename(target)
                    moved.append((side, target))
        os.replace(staged, db_path)
    except BaseException as exc:
        for side, target in reversed(moved):  # put the database back as it was
            with contextlib.suppress(OSError):
                target.rename(side)
        with contextlib.suppress(OSError):
            staged.unlink()
        if isinstance(exc, OSError):
            environment = classify(exc)
            if environment is not None:
                raise environment from exc
        raise
    return RestoreReport(restored_from=backup, damaged_kept_as=aside)
