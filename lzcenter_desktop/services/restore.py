"""Restoring a backup over the database, audited (menu 文件 → 恢复备份, ``lzcenter-desktop restore``,
the damaged-database dialog).

:func:`restore` checks the backup (a SQLite file of this system, not written by a newer version,
passing ``PRAGMA integrity_check``), copies it beside the database, brings the copy to the current
schema and writes the restore's audit entry into it (from which file, by whom, where the replaced
file went), and only then renames the current file aside (``<stem>.before-restore-<time>`` —
``<stem>.damaged-<time>`` when it was damaged) and the copy into its place with ``os.replace``.
Either the restored and audited database is in place, or the database file is as it was.

When the current database asks for sign-in, only a signed-in, active 管理员 may restore
(:func:`restore_refusal`, read from the file itself; the operator of the entry is then that user).
A damaged database is the exception: its users cannot be trusted or even read, and the
damaged-database dialog opens before anyone signs in, so its restore stays open (audited).
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from pathlib import Path

from lzcenter_desktop import paths
from lzcenter_desktop.domain.roles import Role, SignedInUser
from lzcenter_desktop.services.backup import (
    COMPANIONS,
    RestoreReport,
    judge_backup,
    kind_label,
    reason_of,
    restore_backup,
    stamp_or_mtime,
)
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.permissions import PermissionRefused
from lzcenter_desktop.services.uow import audit_context, unit_of_work
from lzcenter_desktop.storage import schema
from lzcenter_desktop.storage.engine import Database
from lzcenter_desktop.storage.integrity import FileKind, check_file, file_kind
from lzcenter_desktop.storage.models import AuditEntry
from lzcenter_desktop.storage.schema import SchemaState, sqlite_schema_status

RESTORE_ACTION = "backup.restore"
RESTORE_OPERATION = "restore"
RESTORE_ENTITY = "database"
KEPT_ASIDE_LABEL = "before-restore"
DAMAGED_LABEL = "damaged"

__all__ = ["RESTORE_ACTION", "RestoreReport", "restore", "restore_refusal", "sign_in_asked"]

NO_ADMIN_SIGNED_IN = (
    "本数据库已启用登录：只有登录的管理员才能恢复备份。请用管理员账号登录后再恢复"
    "（命令行用 --user 管理员账号）。数据库未作任何改动。"
)


def _read_only(db_path: Path, query: str, params: tuple[str, ...] = ()) -> tuple[object, ...] | None:
    """The first row of ``query`` on the file (read-only); None when there is no row, no table or
    the file cannot be read."""
    try:
        con = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True)
    except (sqlite3.Error, OSError):
        return None
    try:
        row = con.execute(query, params).fetchone()
        return tuple(row) if row is not None else None
    except sqlite3.Error:
        return None
    finally:
        con.close()


def sign_in_asked(db_path: Path | str) -> bool:
    """Whether the SQLite file ``db_path`` asks for sign-in (its ``app_setting.sign_in``)."""
    path = Path(db_path).expanduser()
    if not path.is_file() or file_kind(path) is not FileKind.SQLITE:
        return False
    row = _read_only(path, "SELECT value FROM app_setting WHERE key = 'sign_in'")
    return row is not None and row[0] == "on"


def restore_refusal(db_path: Path, user: SignedInUser | None) -> str | None:
    """Why ``user`` may not restore over ``db_path`` (Chinese), or None: with sign-in on, the user
    must be an active 管理员 of that database as the file holds it now."""
    if not sign_in_asked(db_path):
        return None
    if user is None:
        return NO_ADMIN_SIGNED_IN
    row = _read_only(db_path, "SELECT role, active FROM app_user WHERE login = ?", (user.login,))
    if row is None or not row[1]:
        return f"账号“{user.login}”已停用或不存在，不能恢复备份。请用管理员账号登录后再恢复。"
    role = Role(str(row[0]))
    if role is not Role.ADMIN:
        return (
            f"当前账号“{user.login}”的角色是“{role.label}”，不能恢复备份：恢复数据库需要“管理员”角色。"
            "请用管理员账号登录后再恢复。数据库未作任何改动。"
        )
    return None


def _target(target: AppContext | Path | str) -> tuple[Path, bool, str | None]:
    """(database file, whether it is damaged, operator of the context) of ``target``."""
    if isinstance(target, AppContext):
        if target.db.path is None:
            raise ServiceError(
                "只能恢复本机的 SQLite 数据库文件；服务器数据库请由数据库管理员恢复。", field="数据库"
            )
        return target.db.path, target.damage is not None, target.operator
    text = str(target)
    if paths.is_url(text):
        raise ServiceError(
            "只能恢复本机的 SQLite 数据库文件；服务器数据库请由数据库管理员恢复。", field="数据库"
        )
    db_path = Path(text).expanduser()
    damaged = False
    if db_path.is_file() and file_kind(db_path) is FileKind.SQLITE:
        try:
            damaged = bool(check_file(db_path, full=False))
        except Exception:  # unreadable: treat as damaged (kept aside under that name)
            damaged = True
    return db_path, damaged, None


def _audit_into(copy: Path, *, backup: Path, db_path: Path, kept_as: Path | None, operator: str) -> None:
    """Bring the staged copy to the current schema and write the restore's audit entry into it."""
    db = Database.open(str(copy))
    try:
        con = sqlite3.connect(f"{copy.resolve().as_uri()}?mode=ro", uri=True)
        try:
            state = sqlite_schema_status(con).state
        finally:
            con.close()
        if state is SchemaState.OLDER:
            schema.upgrade(db.engine, "head")
        ctx = AppContext(db=db, operator=operator)
        details = {
            "restored_from": str(backup.resolve()),
            "backup_kind": kind_label(reason_of(db_path, backup)),
            "backup_time": stamp_or_mtime(backup).isoformat(timespec="seconds"),
            "database": str(db_path),
            "replaced_file_kept_as": str(kept_as) if kept_as is not None else None,
            "by": operator,
        }
        with unit_of_work(ctx, RESTORE_ACTION) as session:
            session.add(
                AuditEntry(
                    operator=operator,
                    action=RESTORE_ACTION,
                    operation=RESTORE_OPERATION,
                    entity=RESTORE_ENTITY,
                    entity_id=db_path.name[:60],
                    before=None,
                    after=json.dumps(details, ensure_ascii=False, sort_keys=True),
                    txn=audit_context(session).txn,
                )
            )
    finally:
        db.dispose()
    # A standalone file again: no -wal/-shm beside the copy when it is renamed into place.
    con = sqlite3.connect(str(copy))
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.execute("PRAGMA journal_mode = DELETE")
    finally:
        con.close()
    for suffix in COMPANIONS:
        with contextlib.suppress(OSError):
            copy.with_name(copy.name + suffix).unlink()


def restore(
    target: AppContext | Path | str,
    backup_file: Path | str,
    *,
    operator: str | None = None,
    user: SignedInUser | None = None,
) -> RestoreReport:
    """Replace the database of ``target`` (an open context — its connections are closed — or the
    database file) with ``backup_file``; returns where it came from and where the replaced file is.

    Refused with a Chinese :class:`ServiceError`, the database untouched: a file that is not a
    database of this system, one written by a newer version, one failing ``integrity_check``.
    The restore is recorded in the audit trail of the restored database (operator ``operator``,
    else the context's, else the OS user). When the database asks for sign-in, ``user`` (else the
    signed-in user of the context) must be a 管理员 (:class:`PermissionRefused` otherwise) and is
    the operator; ``operator`` is then ignored.
    """
    backup = Path(backup_file).expanduser()
    if not backup.is_file():
        raise ServiceError(f"备份文件“{backup}”不存在，请检查路径后重试。", field="备份")
    if isinstance(target, AppContext) and target.db.path is not None:
        same = target.db.path.resolve() == backup.resolve()
    else:
        same = not paths.is_url(str(target)) and Path(str(target)).expanduser().resolve() == backup.resolve()
    if same:
        raise ServiceError("不能用数据库文件本身恢复它自己，请选一个备份文件。", field="备份")
    problem = judge_backup(backup)  # before the database is touched at all
    if problem:
        raise ServiceError(f"备份“{backup.name}”不能用于恢复：{problem}。请选另一个备份。", field="备份")
    db_path, damaged, ctx_operator = _target(target)
    if user is None and isinstance(target, AppContext):
        user = target.user
    refused = None if damaged else restore_refusal(db_path, user)
    if refused is not None:
        raise PermissionRefused(refused, field="权限")
    if isinstance(target, AppContext):
        target.db.dispose()  # every connection closed before the file is replaced
    who = operator or ctx_operator or paths.operator_name()
    if user is not None and not damaged and sign_in_asked(db_path):
        who = user.login
    label = DAMAGED_LABEL if damaged else KEPT_ASIDE_LABEL

    def prepare(copy: Path, aside: Path | None) -> None:
        _audit_into(copy, backup=backup, db_path=db_path, kept_as=aside, operator=who)

    return restore_backup(db_path, backup, aside_label=label, prepare=prepare)
