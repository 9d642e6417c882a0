"""The 公示 period in working days (weekends, the holiday table's days off and make-up working days)
or calendar days."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from lzcenter_desktop.domain.workdays import (
    BUILTIN_DAYS,
    NO_HOLIDAYS,
    DayKind,
    HolidayCalendar,
    PeriodRule,
    builtin_calendar,
    count_days,
    period_end,
)

W = PeriodRule.WORKING_DAYS
C = PeriodRule.CALENDAR_DAYS
CAL = builtin_calendar()


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2026, 11, 16), date(2026, 11, 20)),  # Monday: Monday … Friday
        (date(2026, 11, 20), date(2026, 11, 26)),  # Friday: Fri, Mon, Tue, Wed, Thu
        (date(2026, 11, 21), date(2026, 11, 27)),  # Saturday: not counted, Mon … Fri
        (date(2026, 11, 22), date(2026, 11, 27)),  # Sunday
    ],
)
def test_five_working_days_around_a_weekend(start: date, end: date) -> None:
    assert period_end(start, 5, W, CAL) == end
    assert count_days(start, end, W, CAL) == 5
    assert count_days(start, end - timedelta(days=1), W, CAL) == 4  # one day short


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2026, 9, 28), date(2026, 10, 9)),  # Mon–Wed before 国庆, then Thu 8th and Fri 9th
        (date(2026, 9, 30), date(2026, 10, 12)),  # 30th, 8th, 9th, Saturday 10th (调休上班), Monday 12th
        (date(2026, 10, 1), date(2026, 10, 13)),  # starts on a holiday: 8th, 9th, 10th, 12th, 13th
        (date(2026, 9, 20), date(2026, 9, 24)),  # Sunday 20th is a make-up working day and counts
    ],
)
def test_five_working_days_around_national_day(start: date, end: date) -> None:
    assert period_end(start, 5, W, CAL) == end


def test_starting_on_a_holiday_counts_from_the_next_working_day() -> None:
    assert period_end(date(2026, 10, 1), 1, W, CAL) == date(2026, 10, 8)
    assert period_end(date(2026, 10, 1), 2, W, CAL) == date(2026, 10, 9)
    assert count_days(date(2026, 10, 1), date(2026, 10, 7), W, CAL) == 0


def test_without_the_holiday_table_national_day_is_ordinary_weekdays() -> None:
    assert period_end(date(2026, 9, 30), 5, W, NO_HOLIDAYS) == date(2026, 10, 6)


def test_seven_calendar_days_ignore_weekends_and_holidays() -> None:
    assert period_end(date(2026, 9, 30), 7, C, CAL) == date(2026, 10, 6)
    assert count_days(date(2026, 9, 30), date(2026, 10, 6), C, CAL) == 7
    assert count_days(date(2026, 9, 30), date(2026, 10, 5), C, CAL) == 6
    assert count_days(date(2026, 9, 30), date(2026, 9, 29), C, CAL) == 0


def test_a_bureau_edit_overrides_the_calendar() -> None:
    own = HolidayCalendar.from_kinds({date(2026, 11, 23): "holiday", date(2026, 11, 21): "workday"})
    assert period_end(date(2026, 11, 20), 5, W, own) == date(2026, 11, 26)  # Fri, Sat, Tue, Wed, Thu
    assert not own.is_working_day(date(2026, 11, 23)) and own.is_working_day(date(2026, 11, 21))
    none = HolidayCalendar.from_kinds({date(2026, 10, 1): "none"})
    assert none.is_working_day(date(2026, 10, 1))


@pytest.mark.parametrize("days", [0, -1, 367])
def test_period_length_bounds(days: int) -> None:
    with pytest.raises(ValueError, match="公示期天数"):
        period_end(date(2026, 11, 20), days, W, CAL)
    assert period_end(date(2026, 11, 20), 1, C) == date(2026, 11, 20)
    assert period_end(date(2026, 1, 1), 366, C) == date(2027, 1, 1)


def test_the_2026_table_is_the_announced_one() -> None:
    days_2026 = [b for d, b in BUILTIN_DAYS.items() if d.year == 2026]
    holidays = [b.day for b in days_2026 if b.kind is DayKind.HOLIDAY]
    workdays = sorted(b.day for b in days_2026 if b.kind is DayKind.WORKDAY)
    assert len(holidays) == 3 + 9 + 3 + 5 + 3 + 3 + 7
    assert workdays == [
        date(2026, 1, 4),
        date(2026, 2, 14),
        date(2026, 2, 28),
        date(2026, 5, 9),
        date(2026, 9, 20),
        date(2026, 10, 10),
    ]
    assert all(d.weekday() >= 5 for d in workdays)
    assert not any(b.estimated for b in days_2026)
    assert BUILTIN_DAYS[date(2026, 10, 1)].name == "国庆节"


def test_the_2027_table_is_marked_as_an_estimate() -> None:
    days_2027 = [b for d, b in BUILTIN_DAYS.items() if d.year == 2027]
    assert days_2027 and all(b.estimated and "估计" in b.name for b in days_2027)
    assert all(b.day.weekday() >= 5 for b in days_2027 if b.kind is DayKind.WORKDAY)
    assert BUILTIN_DAYS[date(2027, 10, 1)].kind is DayKind.HOLIDAY
