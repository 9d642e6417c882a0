"""Working days for the 公示 period (第十条（四）): weekends and public holidays are off, the make-up
working days (调休上班) are on; or plain calendar days.

A period of ``n`` days starts on its first day (included): ``n`` calendar days end on
``start + n - 1``; ``n`` working days end on the ``n``-th working day counted from ``start``
(``start`` itself counts when it is a working day).

The holiday table of the State Council's yearly announcements (国务院办公厅关于部分节假日安排的
通知) for 2026 is built in (:data:`BUILTIN_DAYS`); 2027 is an estimate until the announcement is
published, marked so in each day's name. The bureau edits the table in the application (its own
rows override the built-in ones).

Pure Python: the standard library only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum


class PeriodRule(StrEnum):
    """How a 公示 period is counted."""

    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "calendar_days"

    @property
    def unit(self) -> str:
        return "个工作日" if self is PeriodRule.WORKING_DAYS else "天"

    @property
    def label(self) -> str:
        return "工作日" if self is PeriodRule.WORKING_DAYS else "自然日"


class DayKind(StrEnum):
    """A row of the holiday table: a day off, a make-up working day, or none (a cancelled row)."""

    HOLIDAY = "holiday"  # 放假
    WORKDAY = "workday"  # 调休上班
    NONE = "none"  # cancelled: the day follows the ordinary week again

    @property
    def label(self) -> str:
        return {"holiday": "放假", "workday": "调休上班", "none": "按正常周历"}[self.value]


@dataclass(frozen=True, slots=True)
class HolidayCalendar:
    """Days off (besides weekends) and make-up working days (on weekends)."""

    holidays: frozenset[date] = field(default_factory=frozenset)
    workdays: frozenset[date] = field(default_factory=frozenset)

    @classmethod
    def from_kinds(cls, kinds: Mapping[date, str]) -> HolidayCalendar:
        """From a day → kind mapping (``holiday`` / ``workday``; ``none`` is ignored)."""
        return cls(
            holidays=frozenset(d for d, k in kinds.items() if k == DayKind.HOLIDAY),
            workdays=frozenset(d for d, k in kinds.items() if k == DayKind.WORKDAY),
        )

    def is_working_day(self, day: date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5


NO_HOLIDAYS = HolidayCalendar()
MAX_PERIOD_DAYS = 366


def period_end(
    start: date, days: int, rule: PeriodRule | str, calendar: HolidayCalendar = NO_HOLIDAYS
) -> date:
    """The last day (included) of a period of ``days`` days counted from ``start``."""
    if days < 1:
        raise ValueError(f"公示期天数应大于0，实际为 {days}")
    if days > MAX_PERIOD_DAYS:
        raise ValueError(f"公示期天数不能超过 {MAX_PERIOD_DAYS}，实际为 {days}")
    if PeriodRule(rule) is PeriodRule.CALENDAR_DAYS:
        return start + timedelta(days=days - 1)
    day = start
    counted = 0
    while True:
        if calendar.is_working_day(day):
            counted += 1
            if counted == days:
                return day
        day += timedelta(days=1)


def count_days(
    start: date, end: date, rule: PeriodRule | str, calendar: HolidayCalendar = NO_HOLIDAYS
) -> int:
    """How many days of ``rule`` lie in ``start`` … ``end`` (both included); 0 when ``end < start``."""
    if end < start:
        return 0
    total = (end - start).days + 1
    if PeriodRule(rule) is PeriodRule.CALENDAR_DAYS:
        return total
    return sum(1 for n in range(total) if calendar.is_working_day(start + timedelta(days=n)))


@dataclass(frozen=True, slots=True)
class BuiltinDay:
    day: date
    kind: DayKind
    name: str
    estimated: bool = False


def _span(first: date, last: date) -> Iterable[date]:
    for n in range((last - first).days + 1):
        yield first + timedelta(days=n)


def _year(
    holidays: Iterable[tuple[str, date, date]], workdays: Iterable[tuple[str, date]], *, estimated: bool
) -> tuple[BuiltinDay, ...]:
    out: list[BuiltinDay] = []
    suffix = "（估计）" if estimated else ""
    for name, first, last in holidays:
        out.extend(BuiltinDay(d, DayKind.HOLIDAY, name + suffix, estimated) for d in _span(first, last))
    for name, day in workdays:
        out.append(BuiltinDay(day, DayKind.WORKDAY, f"{name}调休上班{suffix}", estimated))
    return tuple(sorted(out, key=lambda b: b.day))


D = date
# 国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）.
HOLIDAYS_2026 = _year(
    (
        ("元旦", D(2026, 1, 1), D(2026, 1, 3)),
        ("春节", D(2026, 2, 15), D(2026, 2, 23)),
        ("清明节", D(2026, 4, 4), D(2026, 4, 6)),
        ("劳动节", D(2026, 5, 1), D(2026, 5, 5)),
        ("端午节", D(2026, 6, 19), D(2026, 6, 21)),
        ("中秋节", D(2026, 9, 25), D(2026, 9, 27)),
        ("国庆节", D(2026, 10, 1), D(2026, 10, 7)),
    ),
    (
        ("元旦", D(2026, 1, 4)),
        ("春节", D(2026, 2, 14)),
        ("春节", D(2026, 2, 28)),
        ("劳动节", D(2026, 5, 9)),
        ("国庆节", D(2026, 9, 20)),
        ("国庆节", D(2026, 10, 10)),
    ),
    estimated=False,
)
# 2027: the State Council had not announced the arrangement when this table was made. An estimate
# from the statutory holidays (春节 4 days from 除夕 2027-02-05, 劳动节 2 days, the others 1 day,
# 国庆节 3 days) and the usual pattern of 调休; every day is named "（估计）" — correct it in the
# holiday table (设置 → 节假日) when the announcement is published.
HOLIDAYS_2027 = _year(
    (
        ("元旦", D(2027, 1, 1), D(2027, 1, 3)),
        ("春节", D(2027, 2, 5), D(2027, 2, 12)),
        ("清明节", D(2027, 4, 3), D(2027, 4, 5)),
        ("劳动节", D(2027, 5, 1), D(2027, 5, 5)),
        ("端午节", D(2027, 6, 9), D(2027, 6, 9)),
        ("中秋节", D(2027, 9, 15), D(2027, 9, 15)),
        ("国庆节", D(2027, 10, 1), D(2027, 10, 7)),
    ),
    (
        ("春节", D(2027, 1, 31)),
        ("春节", D(2027, 2, 20)),
        ("劳动节", D(2027, 5, 8)),
        ("国庆节", D(2027, 9, 26)),
        ("国庆节", D(2027, 10, 9)),
    ),
    estimated=True,
)
BUILTIN_DAYS: Mapping[date, BuiltinDay] = {b.day: b for b in HOLIDAYS_2026 + HOLIDAYS_2027}


def builtin_calendar() -> HolidayCalendar:
    """The built-in table alone (without the bureau's edits)."""
    return HolidayCalendar.from_kinds({d: b.kind.value for d, b in BUILTIN_DAYS.items()})
