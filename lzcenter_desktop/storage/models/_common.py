"""Shared column types and helpers of the data model.

Conventions: dates are ``DATE``; points in time are UTC (stored naive, returned aware); money is
whole yuan in integers; enumerations are short English codes (Chinese labels live in code); rows a
clerk can "remove" carry ``status``/``retired_on`` and are never deleted.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import BigInteger, Column, DateTime, Integer, event, inspect, text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator
from sqlmodel import SQLModel

# Deterministic constraint names: Alembic's batch mode on SQLite needs named constraints.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


#: Whole yuan (up to interchange.MAX_AMOUNT_YUAN, 15 digits): BIGINT on PostgreSQL, whose INTEGER
#: stops at 2,147,483,647 (21 亿元, less than a large enterprise's yearly revenue); SQLite's INTEGER
#: already holds 64 bits, so its columns stay as they are (migration 0012).
YUAN = BigInteger().with_variant(Integer(), "sqlite")


def utcnow() -> datetime:
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """A point in time, stored as naive UTC, returned timezone-aware (UTC)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value.replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):  # written by another tool
            value = datetime.fromisoformat(value)
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def version_column() -> Column[int]:
    """The optimistic-locking counter of an aggregate root (``version``, 1 when made).

    The table class lists it as ``version: int = Field(default=1, sa_column=col)`` and as its
    mapper's ``version_id_col``: every UPDATE of the row then adds ``WHERE version = <loaded>`` and
    raises ``StaleDataError`` when another clerk saved first (services/versioning.py)."""
    return Column("version", Integer, nullable=False, server_default=text("1"))


def _keep_version_history(target: Any, _flush_context: Any, attrs: Any) -> None:
    """After the mapper wrote a new ``version`` it forgets the old one; put it back as the loaded
    value for the rest of the flush, so the audit trail (storage/guards.py, ``after_flush``) sees
    the change — also when only the version changed (a save of child rows only)."""
    if not attrs or "version" not in attrs:
        return
    state = inspect(target)
    if state.key is None or state.mapper.version_id_col is None:  # an insert, or not versioned
        return
    state.committed_state["version"] = int(target.version) - 1


event.listen(SQLModel, "refresh_flush", _keep_version_history, propagate=True)
