"""The holiday table (services/review/holidays.py): built-in 2026/2027 days, the bureau's edits
override them in place, a removed day is kept as kind ``none``; the 公示 end follows the table."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from notice_helpers import NATIONAL_DAY_END, NATIONAL_DAY_START, open_db, proposed_centres
from sqlmodel import func, select

from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.review import holidays, notice
from lzcenter_desktop.services.uow import reading
from lzcenter_desktop.storage.models import AuditEntry, Holiday


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[AppContext]:
    context = open_db(tmp_path)
    yield context
    context.db.dispose()


def rows(ctx: AppContext) -> list[tuple[date, str, str]]:
    with reading(ctx) as s:
        return [(h.day, h.kind, h.name) for h in s.execute(select(Holiday).order_by(Holiday.day)).scalars()]


def test_the_built_in_days_are_listed_without_rows(ctx: AppContext) -> None:
    days = holidays.list_days(ctx, year=2026)
    national = [d for d in days if d.name == "国庆节"]
    assert [d.day for d in national] == [date(2026, 10, d) for d in range(1, 8)]
    assert {d.source for d in days} == {"builtin"} and not any(d.estimated for d in days)
    make_up = [d for d in days if d.kind == "workday"]
    assert [(d.day, d.name, d.kind_label) for d in make_up][-1] == (
        date(2026, 10, 10),
        "国庆节调休上班",
        "调休上班",
    )
    assert all(d.estimated for d in holidays.list_days(ctx, year=2027))
    assert holidays.list_days(ctx, year=2030) == []
    assert rows(ctx) == []


def test_set_and_remove_days_update_rows_in_place(ctx: AppContext) -> None:
    holidays.set_day(ctx, day=date(2026, 11, 23), kind="holiday", name="柳州市民族节日")
    holidays.set_day(ctx, day=date(2026, 11, 23), kind="holiday", name="壮族三月三（调整）")
    holidays.remove_day(ctx, day=date(2026, 11, 23))
    assert rows(ctx) == [(date(2026, 11, 23), "none", "壮族三月三（调整）")]
    holidays.remove_day(ctx, day=date(2026, 10, 10))  # cancels a built-in make-up working day
    assert rows(ctx)[0] == (date(2026, 10, 10), "none", "国庆节调休上班")
    listed = {d.day: d for d in holidays.list_days(ctx, year=2026)}
    assert (listed[date(2026, 10, 10)].kind, listed[date(2026, 10, 10)].source) == ("none", "bureau")
    assert listed[date(2026, 10, 10)].kind_label == "按正常周历"
    holidays.set_day(ctx, day=date(2026, 10, 10), kind="workday", name="国庆节")
    assert len(rows(ctx)) == 2  # the same row again, never a second one, never deleted
    with reading(ctx) as s:
        audited = s.execute(select(func.count()).where(AuditEntry.entity == "holiday")).scalar_one()
    assert audited == 5


@pytest.mark.parametrize(
    ("day", "kind", "name", "message"),
    [
        (date(2026, 11, 24), "workday", "国庆节", "是周一至周五，本来就是工作日"),
        (date(2026, 11, 21), "rest", "国庆节", "日期类型应为"),
        (date(2026, 11, 21), "holiday", " ", "请填写节日名称"),
        (date(2026, 11, 21), "holiday", "节" * 51, "节日名称过长"),
    ],
)
def test_bad_days_are_refused(ctx: AppContext, day: date, kind: str, name: str, message: str) -> None:
    with pytest.raises(ServiceError, match=message):
        holidays.set_day(ctx, day=day, kind=kind, name=name)
    assert rows(ctx) == []


def test_removing_a_day_not_in_the_table_is_refused(ctx: AppContext) -> None:
    with pytest.raises(ServiceError, match="2026-11-24 不在节假日表中"):
        holidays.remove_day(ctx, day=date(2026, 11, 24))
    holidays.remove_day(ctx, day=date(2026, 10, 1))
    with pytest.raises(ServiceError, match="不在节假日表中"):
        holidays.remove_day(ctx, day=date(2026, 10, 1))


def test_the_notice_end_follows_the_bureaus_edits(ctx: AppContext) -> None:
    call_id, _ids = proposed_centres(ctx)
    assert notice.notice_period(ctx, call_id=call_id, start=NATIONAL_DAY_START).end == NATIONAL_DAY_END
    holidays.set_day(ctx, day=date(2026, 10, 8), kind="holiday", name="国庆节（延长）")
    # 28, 29, 30 September, 9 October, Saturday 10 October (调休上班)
    assert notice.notice_period(ctx, call_id=call_id, start=NATIONAL_DAY_START).end == date(2026, 10, 10)
    holidays.remove_day(ctx, day=date(2026, 10, 10))  # Saturday again
    assert notice.notice_period(ctx, call_id=call_id, start=NATIONAL_DAY_START).end == date(2026, 10, 12)
    assert holidays.holiday_calendar(ctx).is_working_day(date(2026, 10, 12))
