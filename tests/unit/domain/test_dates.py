"""周岁, 近三年 windows and year/month arithmetic."""

from __future__ import annotations

from datetime import date

import pytest

from lzcenter_desktop.domain import dates
from lzcenter_desktop.domain.dates import (
    age_on,
    complete_years,
    months_after,
    within_recent_years,
    years_after,
    years_before,
)


@pytest.mark.parametrize(
    ("birth", "ref", "age"),
    [
        (date(1966, 3, 15), date(2026, 11, 26), 60),
        (date(1966, 3, 15), date(2027, 3, 14), 60),  # the day before the birthday
        (date(1966, 3, 15), date(2027, 3, 15), 61),  # on the birthday
        (date(1964, 2, 29), date(2025, 2, 28), 60),  # 29 Feb: common year → not yet
        (date(1964, 2, 29), date(2025, 3, 1), 61),  # turns older on 1 March
        (date(1964, 2, 29), date(2024, 2, 28), 59),
        (date(1964, 2, 29), date(2024, 2, 29), 60),  # leap year: on the day
        (date(2000, 1, 1), date(2000, 1, 1), 0),
    ],
)
def test_age_on(birth: date, ref: date, age: int) -> None:
    assert age_on(birth, ref) == age


def test_years_before_and_after() -> None:
    assert years_before(date(2026, 6, 10), 3) == date(2023, 6, 10)
    assert years_before(date(2028, 2, 29), 3) == date(2025, 2, 28)
    assert years_after(date(2024, 2, 29), 2) == date(2026, 2, 28)
    assert years_after(date(2024, 2, 29), 4) == date(2028, 2, 29)
    assert years_before(date(2, 1, 1), 5) == date.min
    assert years_after(date(9998, 1, 1), 5) == date.max


def test_months_after() -> None:
    assert months_after(date(2026, 3, 15), 12) == date(2027, 3, 15)
    assert months_after(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert months_after(date(2023, 12, 31), 2) == date(2024, 2, 29)
    assert months_after(date(2026, 11, 30), 3) == date(2027, 2, 28)


@pytest.mark.parametrize(
    ("d", "inside"),
    [
        (date(2023, 6, 9), False),
        (date(2023, 6, 10), True),
        (date(2023, 6, 11), True),
        (date(2026, 6, 10), True),
        (date(2026, 6, 11), False),
    ],
)
def test_within_recent_years_edges(d: date, inside: bool) -> None:
    assert within_recent_years(d, date(2026, 6, 10), 3) is inside


def test_complete_years() -> None:
    assert complete_years(date(2023, 1, 1), date(2026, 11, 26)) == [2023, 2024, 2025]
    assert complete_years(date(2023, 1, 2), date(2026, 11, 26)) == [2024, 2025]
    assert complete_years(date(2023, 1, 1), date(2025, 12, 31)) == [2023, 2024]
    assert complete_years(date(2023, 1, 1), date(2026, 1, 1)) == [2023, 2024, 2025]
    assert complete_years(date(2023, 1, 1), date(2030, 1, 1), end=date(2025, 12, 31)) == [2023, 2024, 2025]
    assert complete_years(date(2023, 1, 1), date(2030, 1, 1), end=date(2025, 12, 30)) == [2023, 2024]
    assert complete_years(date(2026, 1, 1), date(2026, 11, 26)) == []


@pytest.mark.parametrize(
    ("start", "last"),
    [
        (date(2023, 1, 1), date(2025, 12, 31)),
        (date(2024, 2, 29), date(2027, 2, 27)),
        (date(2023, 3, 1), date(2026, 2, 28)),
    ],
)
def test_term_last_day_is_the_day_before_the_anniversary(start: date, last: date) -> None:
    assert dates.term_last_day(start, 3) == last


@pytest.mark.parametrize(
    ("revoked", "allowed"),
    [(date(2024, 5, 20), date(2026, 5, 20)), (date(2024, 2, 29), date(2026, 2, 28))],
)
def test_reapplication_date_is_one_function_everywhere(revoked: date, allowed: date) -> None:
    from lzcenter_desktop.domain import evaluation, lifecycle
    from lzcenter_desktop.domain.settings import DEFAULT_SETTINGS

    assert dates.reapply_allowed_from(revoked, 2) == allowed
    assert lifecycle.reapply_allowed_from(revoked) == allowed
    assert evaluation.reapply_allowed_from(revoked, DEFAULT_SETTINGS) == allowed


@pytest.mark.parametrize(
    "typed",
    [
        "2026-05-20",
        "2026/5/20",
        "2026.5.20",
        "20260520",
        "2026年5月20日",
        "2026年5月20",
        " 2026 - 05 - 20 ",
        "２０２６／５／２０",
    ],
)
def test_typed_dates_as_excel_accepts_them(typed: str) -> None:
    assert dates.parse_typed_date(typed) == date(2026, 5, 20)


def test_a_blank_date_is_none() -> None:
    assert dates.parse_typed_date("   ") is None


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("2026-02-29", "这一天不存在"),
        ("2026-13-01", "这一天不存在"),
        ("1899-12-31", "1900—2100"),
        ("2101-01-01", "1900—2100"),
        ("5/20", "不是日期"),
        ("2026-5-20x", "不是日期"),
        ("202605201", "不是日期"),
    ],
)
def test_what_is_not_a_date_is_said_in_chinese(typed: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        dates.parse_typed_date(typed)


@pytest.mark.parametrize(("typed", "ok"), [("1900-01-01", True), ("2100-12-31", True), ("2024-02-29", True)])
def test_typed_date_bounds(typed: str, ok: bool) -> None:
    assert (dates.parse_typed_date(typed) is not None) is ok
