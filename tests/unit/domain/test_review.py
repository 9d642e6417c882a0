"""Review and recognition: R10.3a, R10.3b, R10.3c, R10.4, R10.5."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest
from rule_fixtures import declaration

from lzcenter_desktop.domain.review import (
    MIN_TRIMMED_SCORES,
    Aggregation,
    ExpertAffiliation,
    Objection,
    PublicNotice,
    ReviewDecision,
    aggregate_expert_scores,
    as_fraction,
    awarded_title,
    check_recognition,
    check_recusal,
    check_scores,
    exact_text,
    format_score,
    parse_exact,
    review_decision,
    shown_score,
    total_score,
)
from lzcenter_desktop.domain.settings import RuleSettings
from lzcenter_desktop.domain.workdays import HolidayCalendar, PeriodRule, builtin_calendar


def test_r10_3a_total_is_half_and_half_exactly() -> None:
    assert total_score(80, 60) == 70
    assert total_score(79.5, 40.5) == 60
    assert total_score(Fraction(1, 3), Fraction(2, 3)) == Fraction(1, 2)
    assert total_score(0.1, 0.2) == Fraction(3, 20)  # exact decimals, no float error
    weighted = RuleSettings(expert_score_weight=Fraction(3, 5), site_score_weight=Fraction(2, 5))
    assert total_score(100, 50, weighted) == 80


@pytest.mark.parametrize(
    ("expert", "site", "bad"),
    [
        (-0.5, 50, ["expert_score"]),
        (0, 0, []),
        (100, 100, []),
        (100.5, 50, ["expert_score"]),
        (50, 101, ["site_score"]),
        (-1, 101, ["expert_score", "site_score"]),
    ],
)
def test_r10_3a_scores_within_0_and_100(expert: float, site: float, bad: list[str]) -> None:
    found = check_scores(expert, site)
    assert [v.path for v in found] == bad
    assert all(v.rule == "R10.3a" and v.required == "0—100分" for v in found)


@pytest.mark.parametrize(
    ("total", "decision"),
    [
        (Fraction(5999, 100), ReviewDecision.NOT_RECOGNIZED),
        (60, ReviewDecision.PROPOSED),
        (60.01, ReviewDecision.PROPOSED),
        (59.99, ReviewDecision.NOT_RECOGNIZED),
    ],
)
def test_r10_3b_sixty_points(total: float | Fraction, decision: ReviewDecision) -> None:
    assert review_decision(total) is decision


def test_r10_3b_with_weighted_scores_at_the_bound() -> None:
    assert review_decision(total_score(70, 50)) is ReviewDecision.PROPOSED
    assert review_decision(total_score(70, 49.98)) is ReviewDecision.NOT_RECOGNIZED


def test_expert_score_aggregation() -> None:
    assert aggregate_expert_scores([80, 90, 70]) == 80
    assert aggregate_expert_scores([60, 61, 61]) == Fraction(182, 3)
    with pytest.raises(ValueError, match="没有专家评分"):
        aggregate_expert_scores([])


def test_trimmed_mean_needs_five_scores() -> None:
    """去掉一个最高分和一个最低分 only with at least 5 scores: 4 is refused, 5 and 6 are fine."""
    assert MIN_TRIMMED_SCORES == 5
    assert aggregate_expert_scores([80, 90, 70, 100, 60], Aggregation.TRIMMED_MEAN) == 80  # 70, 80, 90
    assert aggregate_expert_scores([80, 90, 70, 100, 60, 61], Aggregation.TRIMMED_MEAN) == Fraction(301, 4)
    assert aggregate_expert_scores([80, 80, 80, 80, 100], "trimmed_mean") == 80  # one highest dropped
    with pytest.raises(ValueError, match="至少需要5名专家的评分，实际只有4名"):
        aggregate_expert_scores([80, 90, 70, 100], Aggregation.TRIMMED_MEAN)
    assert aggregate_expert_scores([80, 90, 70, 100], Aggregation.MEAN) == 85


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Fraction(59995, 1000), "59.99"),  # never rounded onto the 60-point line
        (Fraction(5999, 100), "59.99"),
        (60, "60.00"),
        (Fraction(6001, 100), "60.01"),
        (Fraction(182, 3), "60.66"),
        (Fraction(159, 2), "79.50"),
        (0, "0.00"),
        (100, "100.00"),
    ],
)
def test_shown_score_cuts_to_two_decimals(value: Fraction | int, shown: str) -> None:
    assert shown_score(value) == shown


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Fraction(159, 2), "79.5"),
        (Fraction(59995, 1000), "59.995"),
        (Fraction(182, 3), "182/3"),
        (Fraction(60), "60"),
    ],
)
def test_exact_text_round_trip(value: Fraction, text: str) -> None:
    assert exact_text(value) == text
    assert parse_exact(text) == value
    with pytest.raises(ValueError, match="格式错误"):
        parse_exact("六十")


def test_format_score() -> None:
    assert format_score(Fraction(159, 2)) == "79.5"
    assert format_score(Fraction(60)) == "60"
    assert format_score(Fraction(182, 3)) == "60.67"
    assert as_fraction(79.5) == Fraction(159, 2)


def test_r10_3c_recusal() -> None:
    decl = declaration(
        {
            "co_builders": [
                {"name": "广西科技大学", "credit_code": "12450000498503229M", "kind": "university"}
            ],
        }
    )
    assert check_recusal(ExpertAffiliation("王专家", "广西大学"), decl) == []
    found = check_recusal(ExpertAffiliation("李专家", "广西科技大学"), decl)
    assert [v.rule for v in found] == ["R10.3c"] and "共建单位" in found[0].message
    by_code = check_recusal(ExpertAffiliation("赵专家", "某某重工技术中心", "91450205MA5N8R2T4M"), decl)
    assert [v.rule for v in by_code] == ["R10.3c"] and "依托单位" in by_code[0].message
    assert check_recusal(ExpertAffiliation("钱专家", "", None), decl) == []


@pytest.mark.parametrize(
    ("end", "ok"), [(date(2026, 9, 6), False), (date(2026, 9, 7), True), (date(2026, 9, 8), True)]
)
def test_r10_4_notice_period_of_seven_days(end: date, ok: bool) -> None:
    notice = PublicNotice(date(2026, 9, 1), end)
    found = check_recognition(notice, date(2026, 9, 20))
    assert (found == []) is ok
    if not ok:
        assert found[0].rule == "R10.4" and found[0].actual == "6天"


@pytest.mark.parametrize(("recognized", "ok"), [(date(2026, 9, 7), False), (date(2026, 9, 8), True)])
def test_r10_4_recognition_after_the_notice_ends(recognized: date, ok: bool) -> None:
    assert (check_recognition(PublicNotice(date(2026, 9, 1), date(2026, 9, 7)), recognized) == []) is ok


def test_r10_4_objections() -> None:
    open_one = PublicNotice(
        date(2026, 9, 1), date(2026, 9, 7), (Objection(date(2026, 9, 3), resolved=False),)
    )
    assert [v.path for v in check_recognition(open_one, date(2026, 9, 10))] == ["public_notice.objections"]
    rejected = PublicNotice(date(2026, 9, 1), date(2026, 9, 7), (Objection(date(2026, 9, 3), resolved=True),))
    assert check_recognition(rejected, date(2026, 9, 10)) == []
    upheld = PublicNotice(
        date(2026, 9, 1), date(2026, 9, 7), (Objection(date(2026, 9, 3), True, upheld=True),)
    )
    assert "不予认定" in check_recognition(upheld, date(2026, 9, 10))[0].message
    assert check_recognition(None, date(2026, 9, 10))[0].actual == "未公示"


def test_r10_4_notice_period_is_a_setting() -> None:
    notice = PublicNotice(date(2026, 9, 1), date(2026, 9, 5))
    assert check_recognition(notice, date(2026, 9, 10))
    assert check_recognition(notice, date(2026, 9, 10), RuleSettings(public_notice_days=5)) == []


def test_r10_5_awarded_title() -> None:
    assert awarded_title("智能网联汽车") == "柳州市智能网联汽车工程技术研究中心"


@pytest.mark.parametrize(
    ("end", "ok"),
    [(date(2026, 10, 8), False), (date(2026, 10, 9), True)],  # 5 working days from 2026-09-28 (国庆)
)
def test_r10_4_notice_period_in_working_days(end: date, ok: bool) -> None:
    settings = RuleSettings(public_notice_days=5, public_notice_working_days=True)
    notice = PublicNotice(date(2026, 9, 28), end)
    found = check_recognition(notice, date(2026, 10, 20), settings, builtin_calendar())
    assert (found == []) is ok
    if not ok:
        assert found[0].actual == "4个工作日" and found[0].required == "≥ 5个工作日"
        assert "共 4个工作日，要求不少于 5个工作日" in found[0].message


def test_r10_4_the_notice_keeps_the_rule_it_was_published_with() -> None:
    """A notice counted in calendar days is judged in calendar days even if the settings changed."""
    working = RuleSettings(public_notice_days=5, public_notice_working_days=True)
    week = PublicNotice(date(2026, 11, 21), date(2026, 11, 25), period_rule=PeriodRule.CALENDAR_DAYS)
    assert check_recognition(week, date(2026, 11, 30), working) == []
    as_working = PublicNotice(date(2026, 11, 21), date(2026, 11, 25), period_rule=PeriodRule.WORKING_DAYS)
    assert [v.actual for v in check_recognition(as_working, date(2026, 11, 30), working)] == ["3个工作日"]
    holiday = HolidayCalendar.from_kinds({date(2026, 11, 24): "holiday"})
    assert [v.actual for v in check_recognition(as_working, date(2026, 11, 30), working, holiday)] == [
        "2个工作日"
    ]
