"""Optimistic locking: two clerks saving the same record never lose an update silently.

Every record the GUI edits as one whole (a centre, an organization, a person, a declaration, a
committee roster term, an annual report, an expert, an evaluation, a user) carries an integer
``version`` (1 when made, migration 0011). Two mechanisms keep a save from overwriting another:

* **the explicit check** — a page loads the record with its ``version`` (the DTOs carry it) and
  passes it back as ``expected_version`` when saving; the save service calls
  :func:`check_version` inside its unit of work and refuses with :class:`StaleRecord` when the
  stored version differs. The save then raises the version by one (:func:`bump`), also when only
  child rows (industries, roster members, report lines…) changed;
* **the mapper** — the tables are mapped with ``version_id_col``: every ORM UPDATE of such a row
  says ``WHERE version = <loaded>``, so two sessions that both passed the check (a race between
  two computers) cannot both write — the second gets SQLAlchemy's ``StaleDataError``, which the
  unit of work turns into the same :class:`StaleRecord` (:func:`stale_from_mapper`).

The refusal says who saved the record last and when (from the audit trail) and what to do.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, col

from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.storage.models import AuditEntry

STALE_PREFIX = "该记录已被他人修改"

#: What each versioned table is called in a message.
RECORD_LABELS: dict[str, str] = {
    "center": "中心信息",
    "organization": "单位信息",
    "person": "人员信息",
    "declaration": "申报书",
    "expert_committee_term": "专家委员会名单",
    "annual_report": "年度报告",
    "expert": "专家信息",
    "evaluation": "评估打分",
    "evaluation_assignment": "专家评分",
    "app_user": "用户信息",
}

_ADVICE = (
    "您的修改尚未保存。请点“比较”查看您的修改与数据库中的当前内容有何不同，"
    "或点“重新载入”放弃您的修改、载入最新内容后再改；点“取消”可继续编辑。"
)


class StaleRecord(ServiceError):
    """The record was saved by someone else after this clerk loaded it; nothing was written."""

    def __init__(
        self,
        message: str,
        *,
        entity: str,
        entity_id: str | None,
        expected: int | None,
        current: int | None,
        changed_by: str | None,
        changed_at: datetime | None,
    ) -> None:
        super().__init__(message, field=RECORD_LABELS.get(entity))
        self.entity = entity
        self.entity_id = entity_id
        self.expected = expected
        self.current = current
        self.changed_by = changed_by
        self.changed_at = changed_at


def _last_change(
    session: Session, entity: str, entity_id: str | Sequence[str] | None
) -> tuple[str | None, datetime | None]:
    """Operator and time of the newest audit entry of the record (of any of the records, of the
    table without an id)."""
    query = select(col(AuditEntry.operator), col(AuditEntry.at)).where(col(AuditEntry.entity) == entity)
    if isinstance(entity_id, str):
        query = query.where(col(AuditEntry.entity_id) == entity_id)
    elif entity_id is not None:
        query = query.where(col(AuditEntry.entity_id).in_(list(entity_id)))
    row = session.execute(query.order_by(col(AuditEntry.id).desc()).limit(1)).first()
    if row is None:
        return None, None
    return str(row[0]), row[1]


def _when(at: datetime | None) -> str:
    return at.astimezone().strftime("%Y-%m-%d %H:%M") if at is not None else "不久前"


def stale_record(
    session: Session,
    *,
    entity: str,
    entity_id: str | Sequence[str] | None,
    expected: int | None,
    current: int | None,
) -> StaleRecord:
    """The :class:`StaleRecord` of one record (or of a group of rows saved together, e.g. the
    terms of a committee roster), naming the last change from the audit trail."""
    who, at = _last_change(session, entity, entity_id)
    what = RECORD_LABELS.get(entity, "记录")
    by = f"“{who}”" if who else "其他用户"
    versions = ""
    if expected is not None and current is not None:
        versions = f"（您打开的是第 {expected} 版，数据库中现为第 {current} 版）"
    message = f"{STALE_PREFIX}：这份{what}在您打开之后已由{by}于 {_when(at)} 保存{versions}。{_ADVICE}"
    return StaleRecord(
        message,
        entity=entity,
        entity_id=entity_id if isinstance(entity_id, str) or entity_id is None else ",".join(entity_id),
        expected=expected,
        current=current,
        changed_by=who,
        changed_at=at,
    )


def _table(obj: object) -> str:
    return str(inspect(obj).mapper.persist_selectable.name)


_STARTED_KEY = "lz_versions_at_start"
_INSERTED_KEY = "lz_versioned_inserted"


def _remember_loaded(session: OrmSession, instance: object) -> None:
    """When a versioned row is loaded into a session, note its version: an autoflush later in the
    unit of work may write (and raise) it before the service calls :func:`bump`."""
    state = inspect(instance)
    if "version" not in state.mapper.column_attrs or state.identity is None:
        return
    value = state.dict.get("version")
    if isinstance(value, int) and (_table(instance), state.identity) not in session.info.get(
        _INSERTED_KEY, ()
    ):
        started: dict[tuple[str, Any], int] = session.info.setdefault(_STARTED_KEY, {})
        started.setdefault((_table(instance), state.identity), value)


def _remember_inserted(session: OrmSession, instance: object) -> None:
    """A row this session inserted (it starts at version 1; a later query of it is no load)."""
    state = inspect(instance)
    if "version" in state.mapper.column_attrs and state.identity is not None:
        session.info.setdefault(_INSERTED_KEY, set()).add((_table(instance), state.identity))


event.listen(OrmSession, "loaded_as_persistent", _remember_loaded)
event.listen(OrmSession, "pending_to_persistent", _remember_inserted)


def _loaded_version(obj: Any) -> int:
    """The version ``obj`` had when this unit of work loaded it."""
    state = inspect(obj)
    history = state.attrs["version"].history
    loaded = int(history.deleted[0]) if history.deleted else int(obj.version)
    session = state.session
    if session is None:
        return loaded
    started: dict[tuple[str, Any], int] = session.info.setdefault(_STARTED_KEY, {})
    return started.setdefault((_table(obj), state.identity), loaded)


def check_version(session: Session, obj: Any, expected_version: int | None) -> None:
    """Refuse with :class:`StaleRecord` unless ``obj`` (a versioned row loaded in ``session``) is
    still at ``expected_version``. ``None`` (a caller that did not load the record first: the
    command line, an import) skips the check; the mapper still guards the UPDATE itself."""
    if expected_version is None:
        return
    current = _loaded_version(obj)
    if current != expected_version:
        raise stale_record(
            session,
            entity=_table(obj),
            entity_id=str(obj.id),
            expected=expected_version,
            current=current,
        )


def bump(obj: Any) -> int:
    """Raise ``obj``'s version by one for this save (once per unit of work, however often called),
    so a save that changed only its child rows also makes other clerks' copies stale; returns the
    new version. The mapper's ``WHERE version = <loaded>`` guards the UPDATE."""
    new = _loaded_version(obj) + 1
    if int(obj.version) < new:  # not yet raised (by an earlier bump or an autoflush's UPDATE)
        obj.version = new
    return int(obj.version)


def loaded_here(obj: Any) -> bool:
    """Whether ``obj`` was read from the database in its session (not inserted by it): a row made
    in this unit of work starts at version 1 and needs no raise."""
    state = inspect(obj)
    session = state.session
    if session is None or state.identity is None:
        return False
    return (_table(obj), state.identity) not in session.info.get(_INSERTED_KEY, ())


_TABLE_IN_MESSAGE = re.compile(r"on table '([^']+)'")


def stale_from_mapper(session: Session | None, exc: BaseException) -> StaleRecord:
    """The :class:`StaleRecord` for SQLAlchemy's ``StaleDataError`` (a concurrent UPDATE matched
    no row); ``session``, when usable, is read for the last change of the table."""
    found = _TABLE_IN_MESSAGE.search(str(exc))
    entity = found.group(1) if found else ""
    if session is not None:
        try:
            return stale_record(session, entity=entity, entity_id=None, expected=None, current=None)
        except Exception:  # the trail could not be read: the message goes without who and when
            pass
    what = RECORD_LABELS.get(entity, "记录")
    return StaleRecord(
        f"{STALE_PREFIX}：这份{what}在您保存的同时已由其他用户保存。{_ADVICE}",
        entity=entity,
        entity_id=None,
        expected=None,
        current=None,
        changed_by=None,
        changed_at=None,
    )
