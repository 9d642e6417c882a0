"""The 中心 list's query as a SQLAlchemy statement: for one centre's detail, and for databases that
are not a SQLite file (where :mod:`lzcenter_desktop.services.center_list` cannot use a plain
``sqlite3`` connection).

:data:`lzcenter_desktop.services.center_list.LIST_SQL` is the same query in plain SQL; a test keeps
the two equal in effect. The dependencies go one way: ``centers`` imports ``center_list`` and this
module, ``center_list`` imports this module (only when it needs it), and this module imports
neither — no circle between the fast list and the centre services.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.uow import reading
from lzcenter_desktop.storage.models import Center, CenterIndustry, DirectorAppointment, Organization, Person


def list_statement() -> Any:
    """The query of the 中心 list, ordered by centre id (add a ``where`` for one centre)."""
    first_industry = (
        select(col(CenterIndustry.industry))
        .where(col(CenterIndustry.center_id) == col(Center.id))
        .order_by(col(CenterIndustry.position))
        .limit(1)
        .correlate(Center)
        .scalar_subquery()
    )
    director = (
        select(col(Person.name))
        .join(DirectorAppointment, col(DirectorAppointment.person_id) == col(Person.id))
        .where(
            col(DirectorAppointment.center_id) == col(Center.id), col(DirectorAppointment.ended_on).is_(None)
        )
        .order_by(col(DirectorAppointment.appointed_on).desc())
        .limit(1)
        .correlate(Center)
        .scalar_subquery()
    )
    return (
        sa_select(
            col(Center.id),
            col(Center.name_zh),
            col(Organization.name),
            col(Organization.district_code),
            first_industry,
            col(Center.state),
            col(Center.recognized_on),
            director,
        )
        .join(Organization, col(Organization.id) == col(Center.host_id))
        .order_by(col(Center.id))
    )


_LIST_SQL: dict[str, str] = {}


def _list_sql(session: Session) -> str:
    dialect = session.get_bind().dialect
    sql = _LIST_SQL.get(dialect.name)
    if sql is None:
        sql = _LIST_SQL[dialect.name] = str(
            list_statement().compile(dialect=dialect, compile_kwargs={"literal_binds": True})
        )
    return sql


def fetch_list_rows(ctx: AppContext, *, limit: int | None = None) -> list[Sequence[Any]]:
    """The rows of the 中心 list read through SQLAlchemy (databases other than a SQLite file);
    the first ``limit`` of them when given."""
    with reading(ctx) as session:
        if limit is not None:
            return list(session.execute(list_statement().limit(max(0, limit))).all())
        return list(session.connection().exec_driver_sql(_list_sql(session)).fetchall())
