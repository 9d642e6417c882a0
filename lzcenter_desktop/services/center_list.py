"""The 中心 list: every centre in one SQL query, as :class:`CenterRow` tuples — without SQLAlchemy.

This is what the main window shows first, so it loads nothing it does not need: for a SQLite file
the query runs through a plain ``sqlite3`` connection of its own (:meth:`Database.plain_read`), and
SQLAlchemy, SQLModel and the models are not imported (benchmarks/bench_startup.py). Other
databases run the same query compiled by SQLAlchemy for their dialect
(:func:`lzcenter_desktop.services.center_list_statement.fetch_list_rows`); a test keeps the two
equal in effect. This module never imports :mod:`lzcenter_desktop.services.centers` (which imports
it): the dependency goes one way.

At start-up the list is read ahead (:func:`read_ahead`, on the thread that opens the database
while Qt loads); the first :func:`list_centers` of that database takes those rows — waiting for
them if the read is still running — instead of reading again. Later calls always read.
"""

from __future__ import annotations

import gc
import json
import sqlite3
import threading
import weakref
from collections.abc import Callable, Sequence
from datetime import date
from operator import itemgetter
from typing import Any

from lzcenter_desktop.domain.credit_code import LIUZHOU_DISTRICTS
from lzcenter_desktop.domain.lifecycle import STATE_LABELS
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.dto import CenterRow
from lzcenter_desktop.storage.engine import Database

# Centre ⋈ host, with its first industry and its current director (the newest appointment not ended).
LIST_SQL = """\
SELECT center.id AS id, center.name_zh AS name, organization.name AS host,
  organization.district_code AS district_code,
  (SELECT center_industry.industry FROM center_industry
    WHERE center_industry.center_id = center.id
    ORDER BY center_industry.position LIMIT 1) AS industry,
  center.state AS state, center.recognized_on AS recognized_on,
  (SELECT person.name FROM person JOIN director_appointment ON director_appointment.person_id = person.id
    WHERE director_appointment.center_id = center.id AND director_appointment.ended_on IS NULL
    ORDER BY director_appointment.appointed_on DESC LIMIT 1) AS director
FROM center JOIN organization ON organization.id = center.host_id
ORDER BY center.id"""

# The same rows as one JSON text, made by SQLite in a single step. Python's sqlite3 releases the
# interpreter lock for each step, i.e. for every row of LIST_SQL: read on a worker thread while
# the GUI thread is busy, 10,000 rows then wait for the GUI thread 10,000 times (the read ahead
# at start-up, while Qt loads, did not finish before the loading did). One step runs in parallel.
JSON_SQL = (
    "SELECT json_group_array(json_array(id, name, host, district_code, industry, state, recognized_on, "
    f"director)) FROM ({LIST_SQL})"
)

_LABEL_BY_CODE: dict[str, str] = {s.value: text for s, text in STATE_LABELS.items()}
_DISTRICTS: dict[str, str] = dict(LIUZHOU_DISTRICTS)
_DATES: dict[str, date] = {}


def as_date(value: object) -> date | None:
    """A DATE column read without SQLAlchemy's per-row processing (SQLite returns ISO text)."""
    if value is None or isinstance(value, date):
        return value
    text = str(value)
    day = _DATES.get(text)
    if day is None:
        day = _DATES[text] = date.fromisoformat(text[:10])
    return day


def center_row(values: Sequence[Any]) -> CenterRow:
    """A :class:`CenterRow` from one row of :data:`LIST_SQL` (or of the SQLAlchemy statement)."""
    cid, name, host, district_code, industry, state, recognized_on, director = values
    return CenterRow(
        int(cid),
        str(name),
        str(host),
        _DISTRICTS.get(district_code, "") if district_code else "",
        industry or "",
        _LABEL_BY_CODE.get(state, str(state)),
        str(state),
        as_date(recognized_on),
        director,
    )


def _rows(values: Sequence[Sequence[Any]]) -> list[CenterRow]:
    # 100,000 new objects would trigger the cyclic GC dozens of times; none of them is a cycle.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return [center_row(v) for v in values]
    finally:
        if was_enabled:
            gc.enable()


def fetch_rows(con: sqlite3.Connection) -> list[Sequence[Any]]:
    """The rows of :data:`LIST_SQL` one by one (SQLite without its JSON functions)."""
    return con.execute(LIST_SQL).fetchall()


def fetch_json(con: sqlite3.Connection) -> list[Sequence[Any]]:
    """The rows of :data:`LIST_SQL` through :data:`JSON_SQL`, in the same order."""
    try:
        (text,) = con.execute(JSON_SQL).fetchone()
    except sqlite3.OperationalError as exc:
        if "json" not in str(exc).lower():  # "no such function: json_…": an old SQLite
            raise
        return fetch_rows(con)
    rows: list[Sequence[Any]] = json.loads(text)
    rows.sort(key=itemgetter(0))  # an aggregate's order is not guaranteed; by id, as LIST_SQL
    return rows


class _Ahead:
    """The rows read ahead for one database (``None`` if that read failed)."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.rows: list[CenterRow] | None = None


_ahead: weakref.WeakKeyDictionary[Database, _Ahead] = weakref.WeakKeyDictionary()
_ahead_lock = threading.Lock()


def read_ahead(ctx: AppContext) -> Callable[[], None]:
    """Reserve the next :func:`list_centers` of ``ctx.db`` (once) for rows read by the function
    returned, which is meant for another thread and never raises (a failed read is simply done
    again, and reported, by that call). Reserve before anyone else can read the list."""
    entry = _Ahead()
    with _ahead_lock:
        _ahead[ctx.db] = entry

    def read() -> None:
        try:
            entry.rows = _read(ctx)
        except Exception:
            entry.rows = None
        finally:
            entry.done.set()

    return read


def first_centers(ctx: AppContext, count: int) -> list[CenterRow]:
    """The first ``count`` centres of the list (by id), in a few milliseconds whatever the size of
    the database — shown while the whole list is read. A SQLite file is read through a plain
    ``sqlite3`` connection; a server database through SQLAlchemy (already imported there)."""
    fetched = ctx.db.plain_read(lambda con: con.execute(f"{LIST_SQL} LIMIT ?", (count,)).fetchall())
    if fetched is not None:
        return _rows(fetched)
    if ctx.db.path is not None:  # a SQLite file not created yet: nothing to show
        return []
    from lzcenter_desktop.services.center_list_statement import fetch_list_rows

    return _rows(fetch_list_rows(ctx, limit=count))


def list_centers(ctx: AppContext) -> list[CenterRow]:
    """Every centre, in one query, ordered by id (see benchmarks/bench_db_list.py, bench_startup.py)."""
    with _ahead_lock:
        entry = _ahead.pop(ctx.db, None)
    if entry is not None:
        entry.done.wait()
        if entry.rows is not None:
            return entry.rows
    return _read(ctx)


def _read(ctx: AppContext) -> list[CenterRow]:
    fetched = ctx.db.plain_read(fetch_json)  # environment failures come out as Chinese messages
    if fetched is not None:
        return _rows(fetched)
    # not a SQLite file: SQLAlchemy, imported only now
    from lzcenter_desktop.services.center_list_statement import fetch_list_rows

    return _rows(fetch_list_rows(ctx))
