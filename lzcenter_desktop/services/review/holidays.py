"""The holiday table the 公示 period counts working days with (节假日及调休上班日).

The State Council's arrangement is built in (:data:`domain.workdays.BUILTIN_DAYS`: 2026 as
announced, 2027 estimated); the bureau's rows in table ``holiday`` override it day by day. A row is
never deleted: removing a day sets its kind to ``none`` (it then follows the ordinary week, also
cancelling a built-in day), and setting it again updates the same row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session, col, select

from lzcenter_desktop.domain.workdays import BUILTIN_DAYS, DayKind, HolidayCalendar
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.uow import reading, unit_of_work
from lzcenter_desktop.storage.models import Holiday

NAME_MAX = 50
SOURCE_LABELS = {"builtin": "国务院办公厅通知（内置）", "bureau": "本局维护"}


@dataclass(frozen=True, slots=True)
class HolidayDay:
    """One day of the table as it counts now."""

    day: dt.date
    kind: str  # holiday / workday / none
    kind_label: str  # 放假 / 调休上班 / 按正常周历
    name: str
    source: str  # builtin / bureau
    source_label: str
    estimated: bool  # a built-in day of a year not yet announced


def _kinds(
    session: Session, first: dt.date | None = None, last: dt.date | None = None
) -> dict[dt.date, Holiday]:
    stmt = select(Holiday)
    if first is not None:
        stmt = stmt.where(col(Holiday.day) >= first)
    if last is not None:
        stmt = stmt.where(col(Holiday.day) <= last)
    return {row.day: row for row in session.execute(stmt).scalars()}


def calendar_of(session: Session) -> HolidayCalendar:
    """Inside a session: the built-in days overridden by the bureau's rows."""
    kinds = {d: b.kind.value for d, b in BUILTIN_DAYS.items()}
    kinds.update({d: row.kind for d, row in _kinds(session).items()})
    return HolidayCalendar.from_kinds(kinds)


def holiday_calendar(ctx: AppContext) -> HolidayCalendar:
    """The calendar the 公示 period is counted with now."""
    with reading(ctx) as session:
        return calendar_of(session)


def list_days(ctx: AppContext, *, year: int) -> list[HolidayDay]:
    """Every day of ``year`` in the table (built-in or the bureau's, cancelled ones included), by date."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    with reading(ctx) as session:
        rows = _kinds(session, first, last)
    out: dict[dt.date, HolidayDay] = {}
    for day, builtin in BUILTIN_DAYS.items():
        if first <= day <= last:
            out[day] = HolidayDay(
                day=day,
                kind=builtin.kind.value,
                kind_label=builtin.kind.label,
                name=builtin.name,
                source="builtin",
                source_label=SOURCE_LABELS["builtin"],
                estimated=builtin.estimated,
            )
    for day, row in rows.items():
        kind = DayKind(row.kind) if row.kind in DayKind._value2member_map_ else DayKind.NONE
        out[day] = HolidayDay(day, kind.value, kind.label, row.name, "bureau", SOURCE_LABELS["bureau"], False)
    return [out[d] for d in sorted(out)]


def _kind(kind: str) -> DayKind:
    if kind not in (DayKind.HOLIDAY, DayKind.WORKDAY):
        raise ServiceError("日期类型应为“放假”或“调休上班”", field="日期类型")
    return DayKind(kind)


def set_day(ctx: AppContext, *, day: dt.date, kind: str, name: str) -> None:
    """Mark ``day`` as a day off (``holiday``) or a make-up working day (``workday``), named after its
    festival (e.g. 国庆节); the same row is updated when the day is already in the table. A make-up
    working day must be a Saturday or a Sunday (a weekday is a working day already); a holiday may
    fall on a weekend (a festival's days off span it)."""
    chosen = _kind(kind)
    label = name.strip()
    if not label:
        raise ServiceError("请填写节日名称（如“国庆节”）", field="节日名称")
    if len(label) > NAME_MAX:
        raise ServiceError(f"节日名称过长，最多 {NAME_MAX} 个字", field="节日名称")
    if chosen is DayKind.WORKDAY and day.weekday() < 5:
        raise ServiceError(
            f"{day.isoformat()} 是周一至周五，本来就是工作日，无需设为调休上班日", field="日期"
        )
    with unit_of_work(ctx, "review.set_holiday") as session:
        row = session.execute(select(Holiday).where(col(Holiday.day) == day)).scalar_one_or_none()
        if row is None:
            row = Holiday.model_validate({"day": day, "kind": chosen.value, "name": label})
        else:
            row.kind = chosen.value
            row.name = label
        session.add(row)


def remove_day(ctx: AppContext, *, day: dt.date) -> None:
    """Let ``day`` follow the ordinary week again (kind ``none``; the row is kept)."""
    with unit_of_work(ctx, "review.remove_holiday") as session:
        row = session.execute(select(Holiday).where(col(Holiday.day) == day)).scalar_one_or_none()
        builtin = BUILTIN_DAYS.get(day)
        if (row is None and builtin is None) or (row is not None and row.kind == DayKind.NONE):
            raise ServiceError(f"{day.isoformat()} 不在节假日表中，无需删除", field="日期")
        if row is None:
            assert builtin is not None
            row = Holiday.model_validate(
                {"day": day, "kind": DayKind.NONE.value, "name": builtin.name[:NAME_MAX]}
            )
        else:
            row.kind = DayKind.NONE.value
        session.add(row)
