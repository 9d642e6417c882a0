"""services/center_list: the 中心 list read without SQLAlchemy, its first rows, and the read ahead."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from lzcenter_desktop.services import center_list, centers
from lzcenter_desktop.services.center_list import (
    JSON_SQL,
    LIST_SQL,
    fetch_json,
    fetch_rows,
    first_centers,
    list_centers,
    read_ahead,
)
from lzcenter_desktop.services.context import AppContext, open_app
from lzcenter_desktop.services.uow import unit_of_work
from lzcenter_desktop.storage.errors import DatabaseLocked
from lzcenter_desktop.storage.models import DirectorAppointment, Person
from tests import db_backend
from tests.records import revoke_a_centre_of

DIRECTOR_CASES = {
    "柳州主任更替工程技术研究中心": "主任乙",  # one ended, then a successor in office
    "柳州双主任工程技术研究中心": "主任丁",  # two not ended: the newer one is the director
    "柳州主任离任工程技术研究中心": None,  # only an ended appointment
}


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo database, plus directors in every arrangement the list has to get right."""
    from lzcenter_desktop.services import demo
    from lzcenter_desktop.services.centers import add_center
    from lzcenter_desktop.services.organizations import add_organization

    path = tmp_path_factory.mktemp("list") / "demo.sqlite"
    ctx = open_app(str(path))
    demo.build_demo(ctx, seed=2026)
    with unit_of_work(ctx, "test.directors") as session:
        host = add_organization(session, name="柳州主任测试有限公司", kind="enterprise")
        assert host.id is not None
        made = []
        for name in DIRECTOR_CASES:
            centre = add_center(
                session, name_zh=name, host_id=host.id, on=date(2018, 1, 1), industries=["钢铁", "汽车"]
            )
            assert centre.id is not None
            made.append(centre.id)
        people = [Person.model_validate({"name": f"主任{n}"}) for n in "甲乙丙丁戊"]
        session.add_all(people)
        session.flush()

        def appoint(center_id: int, person: Person, on: date, ended: date | None = None) -> None:
            row = {"center_id": center_id, "person_id": person.id, "appointed_on": on, "ended_on": ended}
            session.add(DirectorAppointment.model_validate(row))

        appoint(made[0], people[0], date(2020, 1, 1), ended=date(2022, 12, 31))
        appoint(made[0], people[1], date(2023, 1, 1))
        appoint(made[1], people[2], date(2019, 1, 1))
        appoint(made[1], people[3], date(2021, 6, 1))
        appoint(made[2], people[4], date(2018, 1, 1), ended=date(2020, 1, 1))
    revoke_a_centre_of(ctx, name="柳州旧单位有限公司", code=None)  # a host without a district
    ctx.db.dispose()
    return path


@pytest.fixture
def demo_ctx(demo_path: Path, tmp_path: Path) -> Iterator[AppContext]:
    """A copy of the database for one test (some tests add centres)."""
    db_backend.copy_database(demo_path, tmp_path / demo_path.name)
    ctx = open_app(str(tmp_path / demo_path.name))
    yield ctx
    ctx.db.dispose()


def test_the_plain_query_gives_what_the_sqlalchemy_statement_gives(demo_ctx: AppContext) -> None:
    plain = list_centers(demo_ctx)
    through_sqlalchemy = [center_list.center_row(r) for r in centers.fetch_list_rows(demo_ctx)]
    assert plain == through_sqlalchemy
    assert len(plain) > 40
    directors = {r.name: r.director for r in plain if r.name in DIRECTOR_CASES}
    assert directors == DIRECTOR_CASES
    assert {r.industry for r in plain if r.name in DIRECTOR_CASES} == {"钢铁"}  # the first of two
    assert {r.status for r in plain} >= {"已认定", "已撤销", "草稿"}
    assert any(r.district == "" for r in plain) and any(r.district for r in plain)


@pytest.mark.sqlite_only  # the fast read of a SQLite file through a plain sqlite3 connection
def test_one_json_text_gives_the_same_rows_in_the_same_order(demo_path: Path) -> None:
    with sqlite3.connect(demo_path) as con:
        rows = fetch_rows(con)
        as_json = fetch_json(con)
    assert [tuple(r) for r in as_json] == rows
    assert [r[0] for r in rows] == sorted(r[0] for r in rows)


class _NoJson:
    """A connection of an SQLite built without its JSON functions (or failing otherwise)."""

    def __init__(self, con: sqlite3.Connection, error: str) -> None:
        self.con = con
        self.error = error

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
        if sql == JSON_SQL:
            raise sqlite3.OperationalError(self.error)
        return self.con.execute(sql, *args)


@pytest.mark.sqlite_only  # the fast read of a SQLite file through a plain sqlite3 connection
def test_without_json_functions_the_rows_are_read_one_by_one(demo_path: Path) -> None:
    with sqlite3.connect(demo_path) as con:
        old_sqlite = _NoJson(con, "no such function: json_group_array")
        assert fetch_json(old_sqlite) == fetch_rows(con)  # type: ignore[arg-type]


@pytest.mark.sqlite_only  # the fast read of a SQLite file through a plain sqlite3 connection
def test_any_other_failure_of_the_json_query_is_not_hidden(demo_path: Path) -> None:
    with sqlite3.connect(demo_path) as con:
        locked = _NoJson(con, "database is locked")
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            fetch_json(locked)  # type: ignore[arg-type]


@pytest.mark.parametrize("count", [0, 1, 2])
def test_first_centres_are_the_start_of_the_list(demo_ctx: AppContext, count: int) -> None:
    assert first_centers(demo_ctx, count) == list_centers(demo_ctx)[:count]


def test_first_centres_of_a_short_list_are_all_of_it(demo_ctx: AppContext) -> None:
    everything = list_centers(demo_ctx)
    n = len(everything)
    assert first_centers(demo_ctx, n - 1) == everything[:-1]
    assert first_centers(demo_ctx, n) == everything
    assert first_centers(demo_ctx, n + 1) == everything


def test_an_empty_database_lists_nothing(tmp_path: Path) -> None:
    ctx = open_app(str(tmp_path / "empty.sqlite"))
    try:
        assert list_centers(ctx) == []
        assert first_centers(ctx, 60) == []
    finally:
        ctx.db.dispose()


def test_a_database_that_is_not_a_file_is_listed_through_sqlalchemy(tmp_path: Path) -> None:
    ctx = open_app("sqlite://")  # in memory: no file for a plain connection
    try:
        revoke_a_centre_of(ctx, name="柳州内存单位有限公司", code=None)
        assert [r.status for r in list_centers(ctx)] == ["已撤销"]
        assert first_centers(ctx, 60) == list_centers(ctx)  # the first rows through SQLAlchemy too
    finally:
        ctx.db.dispose()


def test_the_read_ahead_serves_the_next_read_once(demo_ctx: AppContext) -> None:
    read = read_ahead(demo_ctx)
    read()
    revoke_a_centre_of(demo_ctx, name="柳州后来单位有限公司", code=None)  # a change after it
    first = list_centers(demo_ctx)  # the rows read ahead
    second = list_centers(demo_ctx)  # read again
    assert len(second) == len(first) + 1
    assert second[-1].host == "柳州后来单位有限公司"
    assert list_centers(demo_ctx) == second


def test_the_read_ahead_is_waited_for_and_its_rows_are_those_returned(demo_ctx: AppContext) -> None:
    read = read_ahead(demo_ctx)
    revoke_a_centre_of(demo_ctx, name="柳州预读之后单位有限公司", code=None)
    read()  # reads now, after the change: what it read is what the next call returns
    rows = list_centers(demo_ctx)
    assert rows[-1].host == "柳州预读之后单位有限公司"
    assert list_centers(demo_ctx) == rows


def test_a_failed_read_ahead_is_read_again_and_reported_by_the_call(
    demo_ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []

    def locked(_ctx: AppContext) -> list:  # type: ignore[type-arg]
        calls.append(1)
        raise DatabaseLocked("锁定")

    read = read_ahead(demo_ctx)
    monkeypatch.setattr(center_list, "_read", locked)
    read()  # never raises
    with pytest.raises(DatabaseLocked):
        list_centers(demo_ctx)
    assert len(calls) == 2


def test_the_list_query_is_the_documented_one() -> None:
    # The JSON query wraps the list query unchanged, so both give the same rows by construction.
    assert f"FROM ({LIST_SQL})" in JSON_SQL
    assert LIST_SQL.rstrip().endswith("ORDER BY center.id")
