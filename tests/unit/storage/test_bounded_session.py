"""A lookup by an id no row can hold finds nothing instead of the server's "integer out of range"
(storage/bounded_session.py): the bound is the primary-key column's, on the database's dialect."""

from __future__ import annotations

import pytest
from sqlalchemy import BigInteger, Integer, SmallInteger

from lzcenter_desktop.storage.bounded_session import largest_id


@pytest.mark.parametrize(
    ("dialect", "column_type", "largest"),
    [
        ("sqlite", Integer(), 2**63 - 1),
        ("sqlite", SmallInteger(), 2**63 - 1),  # SQLite keeps any integer in any integer column
        ("postgresql", Integer(), 2**31 - 1),
        ("postgresql", BigInteger(), 2**63 - 1),
        ("postgresql", SmallInteger(), 2**15 - 1),
    ],
)
def test_the_largest_id_of_a_column(dialect: str, column_type: object, largest: int) -> None:
    assert largest_id(dialect, column_type) == largest


def test_an_id_just_beyond_postgresqls_integer_is_not_found_and_one_at_it_is_looked_up() -> None:
    from sqlmodel import Session, create_engine

    from lzcenter_desktop.storage.bounded_session import BoundedSession, id_can_exist
    from lzcenter_desktop.storage.models import Organization

    engine = create_engine("postgresql+psycopg://nobody@/nowhere")  # never connected
    session = BoundedSession(engine)
    try:
        assert isinstance(session, Session)
        assert id_can_exist(session, Organization, 2**31 - 1)
        assert not id_can_exist(session, Organization, 2**31)
        assert id_can_exist(session, Organization, -(2**31))
        assert not id_can_exist(session, Organization, -(2**31) - 1)
        assert session.get(Organization, 2**31) is None  # answered without asking the server
        assert id_can_exist(session, Organization, "not an int")  # left to SQLAlchemy
    finally:
        session.close()
