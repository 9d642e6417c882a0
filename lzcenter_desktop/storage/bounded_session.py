"""The session the database hands out: ``get`` of an id no row can have answers None.

A user may type any number as an id (on the command line, in a search box). SQLite keeps every
integer up to 2**63 - 1, but a PostgreSQL ``integer`` column only up to 2**31 - 1, and the server
refuses a larger number with "integer out of range" instead of finding nothing. A lookup by an id
beyond what the primary-key column can hold therefore finds nothing on either database, and the
service answers its usual Chinese "找不到编号为 … 的…" (services never see the server's error).
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import BigInteger, SmallInteger, inspect
from sqlmodel import Session

_O = TypeVar("_O")

SQLITE_MAX_INTEGER = 2**63 - 1


def largest_id(dialect_name: str, column_type: object) -> int:
    """The largest integer the primary-key column of ``column_type`` holds on ``dialect_name``."""
    if dialect_name == "sqlite" or isinstance(column_type, BigInteger):
        return SQLITE_MAX_INTEGER
    if isinstance(column_type, SmallInteger):
        return 2**15 - 1
    return 2**31 - 1


def id_can_exist(session: Session, entity: Any, ident: object) -> bool:
    """Whether a row of ``entity`` can have the id ``ident`` on the session's database."""
    if not isinstance(ident, int) or isinstance(ident, bool):
        return True
    try:
        keys = inspect(entity).primary_key
    except Exception:  # not a mapped class: let SQLAlchemy answer as it would
        return True
    if len(keys) != 1:
        return True
    bound = largest_id(session.get_bind().dialect.name, keys[0].type)
    return -bound - 1 <= ident <= bound


class BoundedSession(Session):
    def get(  # type: ignore[override]
        self, entity: type[_O], ident: Any, **kwargs: Any
    ) -> _O | None:
        if not id_can_exist(self, entity, ident):
            return None
        return super().get(entity, ident, **kwargs)
