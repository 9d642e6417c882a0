"""Guards that keep the record honest, installed on every session and engine of the project.

* **No hard delete.** ``session.delete()`` of any row, an ORM ``delete()`` statement, or a raw
  ``DELETE`` through a project engine raises :class:`HardDeleteForbidden`. Records change state.
* **No unaudited write.** A flush that inserts or changes rows must run inside a unit of work
  (``session.info["audit"]`` holds an :class:`AuditContext`, set by ``services``); the flush
  then writes one ``audit_entry`` per inserted or changed row, in the same transaction, with the
  row before and after as JSON. A flush without that context raises :class:`UnauditedWrite`.
* The audit trail itself is append-only: changing an ``AuditEntry`` raises. Every new entry is
  linked into the hash chain (:mod:`storage.audit_chain`) in the same transaction.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from uuid import uuid4

from sqlalchemy import Engine, event, inspect
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from lzcenter_desktop.storage.audit_chain import chain_objects, chain_rows
from lzcenter_desktop.storage.models import AuditEntry, utcnow

AUDIT_KEY = "audit"
ALLOW_DELETE_OPTION = "lz_allow_delete"  # execution option for Alembic's own bookkeeping only
_DELETE_SQL = re.compile(r"^\s*DELETE\b", re.IGNORECASE)


class HardDeleteForbidden(RuntimeError):
    """A programming error: something tried to delete a row. Nothing is ever hard-deleted."""


class UnauditedWrite(RuntimeError):
    """A programming error: a write outside the services layer's unit of work."""


@dataclass
class AuditContext:
    operator: str
    action: str
    at: datetime = field(default_factory=utcnow)
    txn: str = field(default_factory=lambda: uuid4().hex)
    entries: int = 0  # audit rows written so far in this unit of work


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    return value


#: Columns whose values are keys: the audit trail records a fingerprint (``sha256:`` + 12 hex
#: digits), enough to see that the key was made or changed, never the key itself.
SECRET_COLUMNS: frozenset[tuple[str, str]] = frozenset(
    {("review_session", "package_key"), ("evaluation_round", "package_key"), ("app_user", "password_hash")}
)


def _fingerprint(value: Any) -> Any:
    if value is None:
        return None
    raw = value if isinstance(value, bytes) else str(value).encode("utf-8")
    return "sha256:" + hashlib.sha256(raw).hexdigest()[:12]


def row_snapshot(obj: object, *, before: bool = False) -> dict[str, Any]:
    """The mapped column values of ``obj``; with ``before`` the values as they were loaded (key
    columns of :data:`SECRET_COLUMNS` as fingerprints)."""
    state = inspect(obj)
    table = str(state.mapper.persist_selectable.name)
    values: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        key = attr.key
        if before:
            history = state.attrs[key].history
            if history.deleted:
                value = history.deleted[0]
            elif history.unchanged:
                value = history.unchanged[0]
            elif history.added:  # changed from "never loaded"; the old value is unknown
                value = None
            else:
                value = getattr(obj, key, None)
        else:
            value = getattr(obj, key, None)
        values[key] = _fingerprint(value) if (table, key) in SECRET_COLUMNS else _jsonable(value)
    return values


def _dump(values: dict[str, Any]) -> str:
    return json.dumps(values, ensure_ascii=False, sort_keys=True, default=str)


def _entity_id(obj: object) -> str:
    state = inspect(obj)
    key = state.mapper.primary_key_from_instance(obj)
    return ",".join("" if v is None else str(v) for v in key)


def _table_name(obj: object) -> str:
    return str(inspect(obj).mapper.persist_selectable.name)


def _before_flush(session: Session, _flush_context: UOWTransaction, _instances: object) -> None:
    if session.deleted:
        names = sorted({_table_name(o) for o in session.deleted})
        raise HardDeleteForbidden(f"不允许删除记录（{'、'.join(names)}）：记录只改变状态，不做物理删除。")
    for obj in session.dirty:
        if isinstance(obj, AuditEntry) and session.is_modified(obj):
            raise UnauditedWrite("审计记录只能追加，不能修改。")
    changed = bool(session.new) or any(session.is_modified(o) for o in session.dirty)
    if changed and not isinstance(session.info.get(AUDIT_KEY), AuditContext):
        raise UnauditedWrite("数据写入必须经过服务层（services）的工作单元，并同时记录审计日志。")
    added = [o for o in session.new if isinstance(o, AuditEntry)]
    if added:  # entries a service wrote itself: linked in the order they were added
        added.sort(key=lambda o: inspect(o).insert_order)
        chain_objects(session.connection(), added)


def _after_flush(session: Session, _flush_context: UOWTransaction) -> None:
    ctx = session.info.get(AUDIT_KEY)
    if not isinstance(ctx, AuditContext):
        return
    rows: list[dict[str, Any]] = []
    base = {"operator": ctx.operator, "action": ctx.action, "txn": ctx.txn, "at": utcnow()}
    for obj in session.new:
        if isinstance(obj, AuditEntry):
            continue
        rows.append(
            base
            | {
                "operation": "insert",
                "entity": _table_name(obj),
                "entity_id": _entity_id(obj),
                "before": None,
                "after": _dump(row_snapshot(obj)),
            }
        )
    # session.dirty is unordered (identity set): sort it so the trail is reproducible.
    dirty = sorted(
        (o for o in session.dirty if not isinstance(o, AuditEntry) and session.is_modified(o)),
        key=lambda o: (_table_name(o), _entity_id(o)),
    )
    for obj in dirty:
        before = row_snapshot(obj, before=True)
        after = row_snapshot(obj)
        if before == after:
            continue
        rows.append(
            base
            | {
                "operation": "update",
                "entity": _table_name(obj),
                "entity_id": _entity_id(obj),
                "before": _dump(before),
                "after": _dump(after),
            }
        )
    if rows:
        chain_rows(session.connection(), rows)
        session.connection().execute(AuditEntry.__table__.insert(), rows)  # type: ignore[attr-defined]
        ctx.entries += len(rows)


def _on_orm_execute(state: ORMExecuteState) -> None:
    if state.is_delete:
        raise HardDeleteForbidden("不允许执行删除语句：记录只改变状态，不做物理删除。")


def _before_cursor_execute(
    conn: Any, _cursor: Any, statement: str, _parameters: Any, _context: Any, _executemany: bool
) -> None:
    if _DELETE_SQL.match(statement) and not conn.get_execution_options().get(ALLOW_DELETE_OPTION):
        raise HardDeleteForbidden("不允许执行删除语句：记录只改变状态，不做物理删除。")


_session_guards_installed = False


def install_session_guards() -> None:
    """Install the flush guards on every SQLAlchemy ``Session`` (idempotent)."""
    global _session_guards_installed
    if _session_guards_installed:
        return
    event.listen(Session, "before_flush", _before_flush)
    event.listen(Session, "after_flush", _after_flush)
    event.listen(Session, "do_orm_execute", _on_orm_execute)
    _session_guards_installed = True


def install_guards(engine: Engine) -> None:
    """Refuse raw ``DELETE`` statements on ``engine``; make sure the session guards are in place."""
    install_session_guards()
    if not event.contains(engine, "before_cursor_execute", _before_cursor_execute):
        event.listen(engine, "before_cursor_execute", _before_cursor_execute)


install_session_guards()
