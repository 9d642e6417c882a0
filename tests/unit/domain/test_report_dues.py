"""第二十一条 工作年报 (domain/report_dues.py): who reports for a year (title held on 31 December,
recognised during the year included), received / late / missing / overdue around the deadline,
reminders from 1 December, and the seeded, optionally stratified draw for 现场核查 (E21c)."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date

import pytest

from lzcenter_desktop.domain import report_dues
from lzcenter_desktop.domain.report_dues import (
    DueStatus,
    allocate,
    draw,
    due_status,
    must_report,
    needs_reminder,
)
from lzcenter_desktop.domain.settings import RuleSettings

Y = 2025


def recognised_on(day: date) -> list[tuple[date, str]]:
    return [(date(day.year - 1, 3, 1), "submitted"), (day, "recognised")]


@pytest.mark.parametrize(
    ("day", "reports"),
    [(date(Y, 1, 1), True), (date(Y, 12, 30), True), (date(Y, 12, 31), True), (date(Y + 1, 1, 1), False)],
)
def test_a_centre_recognised_during_the_year_reports_for_it(day: date, reports: bool) -> None:
    assert must_report(Y, recognised_on(day)) is reports


@pytest.mark.parametrize(
    ("ended", "reports"), [(date(Y, 12, 30), False), (date(Y, 12, 31), False), (date(Y + 1, 1, 1), True)]
)
def test_a_centre_whose_title_ended_before_the_year_end_does_not_report(ended: date, reports: bool) -> None:
    changes = [*recognised_on(date(Y - 2, 10, 1)), (ended, "revoked")]
    assert must_report(Y, changes) is reports


def test_a_rectifying_centre_reports_and_an_applicant_does_not() -> None:
    assert must_report(Y, [*recognised_on(date(Y - 3, 10, 1)), (date(Y, 5, 1), "rectifying")])
    assert not must_report(Y, [(date(Y, 3, 1), "submitted"), (date(Y, 5, 1), "under_review")])
    assert not must_report(Y, [])


def test_the_last_change_of_a_day_wins_whatever_the_input_order() -> None:
    changes = [(date(Y, 12, 31), "recognised"), (date(Y, 1, 1), "submitted"), (date(Y, 12, 31), "rectifying")]
    assert report_dues.state_on(date(Y, 12, 31), changes) == "rectifying"
    assert report_dues.state_on(date(Y, 12, 30), changes) == "submitted"
    assert report_dues.state_on(date(Y - 1, 12, 31), changes) is None


@pytest.mark.parametrize(
    ("submitted", "status"),
    [
        (date(Y, 12, 30), DueStatus.RECEIVED),
        (date(Y, 12, 31), DueStatus.RECEIVED),
        (date(Y + 1, 1, 1), DueStatus.LATE),
    ],
)
def test_filed_31_december_is_received_1_january_is_late(submitted: date, status: DueStatus) -> None:
    assert due_status(Y, submitted, as_of=date(Y + 1, 3, 1)) is status


@pytest.mark.parametrize(
    ("as_of", "status"),
    [
        (date(Y, 12, 30), DueStatus.MISSING),
        (date(Y, 12, 31), DueStatus.MISSING),
        (date(Y + 1, 1, 1), DueStatus.OVERDUE),
    ],
)
def test_missing_becomes_overdue_the_day_after_the_deadline(as_of: date, status: DueStatus) -> None:
    assert due_status(Y, None, as_of=as_of) is status


def test_the_deadline_comes_from_the_rule_settings() -> None:
    early = RuleSettings(annual_report_due="12-20")
    assert report_dues.report_deadline(Y, early) == date(Y, 12, 20)
    assert due_status(Y, date(Y, 12, 20), as_of=date(Y, 12, 21), settings=early) is DueStatus.RECEIVED
    assert due_status(Y, date(Y, 12, 21), as_of=date(Y, 12, 21), settings=early) is DueStatus.LATE
    assert due_status(Y, None, as_of=date(Y, 12, 21), settings=early) is DueStatus.OVERDUE


def test_labels_are_chinese() -> None:
    assert [s.label for s in DueStatus] == ["已按期报送", "逾期报送", "未报送", "逾期未报"]


@pytest.mark.parametrize(
    ("as_of", "remind"), [(date(Y, 11, 30), False), (date(Y, 12, 1), True), (date(Y, 12, 2), True)]
)
def test_reminders_start_on_1_december(as_of: date, remind: bool) -> None:
    assert needs_reminder(Y, DueStatus.MISSING, as_of=as_of) is remind


def test_reminders_go_to_unreceived_reports_only() -> None:
    after = date(Y + 1, 1, 5)
    assert needs_reminder(Y, DueStatus.OVERDUE, as_of=after)
    assert not needs_reminder(Y, DueStatus.RECEIVED, as_of=date(Y, 12, 5))
    assert not needs_reminder(Y, DueStatus.LATE, as_of=after)


def test_an_earlier_deadline_brings_the_reminders_forward() -> None:
    early = RuleSettings(annual_report_due="11-15")
    assert report_dues.reminder_start(Y, early) == date(Y, 11, 15)
    assert not needs_reminder(Y, DueStatus.MISSING, as_of=date(Y, 11, 14), settings=early)
    assert needs_reminder(Y, DueStatus.MISSING, as_of=date(Y, 11, 15), settings=early)
    assert report_dues.reminder_start(Y) == date(Y, 12, 1)


# ------------------------------------------------------------------ the draw


def test_the_same_seed_gives_the_same_list() -> None:
    pool = list(range(1, 31))
    first = draw(pool, 5, 2025, year=Y)
    assert draw(list(reversed(pool)), 5, 2025, year=Y) == first  # input order does not matter
    assert [d.key for d in first] == sorted(d.key for d in first)
    assert len({d.key for d in first}) == 5
    assert {tuple(d.key for d in draw(pool, 5, seed, year=Y)) for seed in range(10)} != {
        tuple(d.key for d in first)
    }


@pytest.mark.parametrize(("count", "ok"), [(0, False), (1, True), (4, True), (5, False)])
def test_the_count_is_between_one_and_the_candidates(count: int, ok: bool) -> None:
    if ok:
        assert len(draw([1, 2, 3, 4], count, 7, year=Y)) == count
    else:
        with pytest.raises(ValueError, match="抽取数量"):
            draw([1, 2, 3, 4], count, 7, year=Y)


def test_refusals_are_chinese() -> None:
    with pytest.raises(ValueError, match="2025年度尚无已报送的工作年报"):
        draw([], 1, 7, year=Y)
    with pytest.raises(ValueError, match="应为正整数"):
        draw([1, 2], -1, 7, year=Y)
    with pytest.raises(ValueError, match="超过2025年度可抽取的已报送年报数 2"):
        draw([1, 2], 3, 7, year=Y)


SIZES = {"城中区": 5, "柳北区": 3, "鱼峰区": 1}


def test_allocation_one_per_stratum_when_the_count_equals_the_strata() -> None:
    assert allocate(SIZES, 3, random.Random(1)) == {"城中区": 1, "柳北区": 1, "鱼峰区": 1}


def test_allocation_proportional_when_the_count_is_one_less_than_the_strata() -> None:
    # quotas 2×5/9 = 1.11, 2×3/9 = 0.67, 2×1/9 = 0.22: floors 1, 0, 0; the largest remainder gets the second
    assert allocate(SIZES, 2, random.Random(1)) == {"城中区": 1, "柳北区": 1, "鱼峰区": 0}


def test_allocation_above_the_strata_divides_the_rest_by_what_is_left() -> None:
    # one each, then 1 more by 4 : 2 : 0 left → 城中区
    assert allocate(SIZES, 4, random.Random(1)) == {"城中区": 2, "柳北区": 1, "鱼峰区": 1}
    assert allocate(SIZES, 9, random.Random(1)) == SIZES


def test_ties_are_broken_by_the_seed_not_by_name() -> None:
    even = {"a": 1, "b": 1, "c": 1, "d": 1}
    left_out = {
        next(k for k, v in allocate(even, 3, random.Random(seed)).items() if v == 0) for seed in range(40)
    }
    assert left_out == set(even)


def candidates() -> dict[int, str | None]:
    districts = ["城中区"] * 5 + ["柳北区"] * 3 + ["鱼峰区"]
    return dict(enumerate(districts, start=1))


@pytest.mark.parametrize("seed", range(25))
def test_a_stratified_draw_covers_every_stratum_at_the_boundary(seed: int) -> None:
    at = draw(candidates(), 3, seed, year=Y, stratified=True)
    assert Counter(d.stratum for d in at) == {"城中区": 1, "柳北区": 1, "鱼峰区": 1}
    below = draw(candidates(), 2, seed, year=Y, stratified=True)
    assert Counter(d.stratum for d in below) == {"城中区": 1, "柳北区": 1}
    for d in at + below:
        assert candidates()[d.key] == d.stratum


def test_a_stratified_draw_is_reproducible_and_names_unknown_strata() -> None:
    pool: dict[int, str | None] = {**candidates(), 10: None}
    first = draw(pool, 4, 99, year=Y, stratified=True)
    assert first == draw(pool, 4, 99, year=Y, stratified=True)
    assert report_dues.UNKNOWN_STRATUM in {d.stratum for d in first}


def test_the_method_records_seed_and_strata() -> None:
    assert report_dues.draw_method(3, 2025, None) == "随机抽取3家（种子 2025）"
    assert report_dues.draw_method(3, 7, "所在区县") == "随机抽取3家（种子 7，按所在区县分层）"
