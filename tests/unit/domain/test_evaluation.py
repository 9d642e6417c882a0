"""Annual reports and evaluations: E21a, E21b, E21c, E22, E23a, E23b, E24a, E24b, E24c, E25."""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from typing import Any

import pytest
from rule_fixtures import declaration

from lzcenter_desktop.domain.catalog import rule_info
from lzcenter_desktop.domain.evaluation import (
    INDICATOR_GROUPS,
    AnnualReport,
    Grade,
    Outcome,
    annual_report_due,
    check_annual_report,
    check_evaluation_due,
    evaluation_due,
    evaluation_outcome,
    grade_for,
    reapply_allowed_from,
    recheck_conditions,
    rectification_deadline,
    rectification_outcome,
    weighted_score,
)
from lzcenter_desktop.domain.settings import RuleSettings
from lzcenter_desktop.domain.violations import Severity


@pytest.mark.parametrize(
    ("submitted", "as_of", "expected"),
    [
        (date(2025, 12, 30), date(2026, 3, 1), False),
        (date(2025, 12, 31), date(2026, 3, 1), False),
        (date(2026, 1, 1), date(2026, 3, 1), True),
        (None, date(2025, 12, 31), False),
        (None, date(2026, 1, 1), True),
    ],
)
def test_e21a_annual_report_by_31_december(submitted: date | None, as_of: date, expected: bool) -> None:
    report = AnnualReport(2025, submitted, "合格")
    assert bool([v for v in check_annual_report(report, as_of=as_of) if v.rule == "E21a"]) is expected


def test_e21a_due_date_is_a_setting() -> None:
    assert annual_report_due(2025) == date(2025, 12, 31)
    assert annual_report_due(2025, RuleSettings(annual_report_due="02-29")) == date(2025, 2, 28)
    assert annual_report_due(2024, RuleSettings(annual_report_due="02-29")) == date(2024, 2, 29)


def test_e21b_host_assessment_result_attached() -> None:
    found = check_annual_report(AnnualReport(2025, date(2025, 12, 20), " "), as_of=date(2026, 1, 5))
    assert [v.rule for v in found] == ["E21b"]
    assert check_annual_report(AnnualReport(2025, date(2025, 12, 20), "优秀"), as_of=date(2026, 1, 5)) == []


def test_e21c_is_a_recorded_selection_not_a_check() -> None:
    assert rule_info("E21c").severity == "info"


@pytest.mark.parametrize(("as_of", "expected"), [(date(2025, 12, 1), False), (date(2025, 12, 2), True)])
def test_e22_evaluation_every_three_years(as_of: date, expected: bool) -> None:
    found = check_evaluation_due(date(2022, 12, 1), None, as_of=as_of)
    assert bool(found) is expected
    if expected:
        assert found[0].rule == "E22" and found[0].severity is Severity.WARNING


def test_e22_counted_from_the_last_evaluation() -> None:
    assert evaluation_due(date(2019, 1, 1), date(2022, 6, 30)) == date(2025, 6, 30)
    assert check_evaluation_due(date(2019, 1, 1), date(2022, 6, 30), as_of=date(2025, 6, 30)) == []
    assert check_evaluation_due(date(2019, 1, 1), date(2022, 6, 30), as_of=date(2025, 7, 1))


def test_e23a_rechecks_article_9_on_current_data() -> None:
    decl = declaration()
    assert recheck_conditions(decl, as_of=decl.application_date) == []
    # three years later the projects and achievements have left the window
    found = recheck_conditions(decl, as_of=date(2029, 6, 10))
    assert {v.rule for v in found} == {"E23a"}
    assert any("D9.4a" in v.message for v in found) and any("D9.4b" in v.message for v in found)
    assert all(v.article == "第二十三条" for v in found)
    # signature and naming rules are not part of 第九条
    shifted = declaration({"signature.name": "别人"})
    assert recheck_conditions(shifted, as_of=shifted.application_date) == []


@pytest.mark.parametrize(
    ("score", "grade"),
    [
        (100, Grade.EXCELLENT),
        (90, Grade.EXCELLENT),
        (89.99, Grade.QUALIFIED),
        (70.01, Grade.QUALIFIED),
        (70, Grade.QUALIFIED),
        (69.99, Grade.RECTIFY),
        (60, Grade.RECTIFY),
        (59.99, Grade.FAILED),
        (0, Grade.FAILED),
    ],
)
def test_e23b_grade_bands(score: float, grade: Grade) -> None:
    assert grade_for(score) is grade


def test_e23b_bands_and_weights_are_round_settings() -> None:
    s = RuleSettings(grade_excellent_min=85, grade_qualified_min=70, grade_rectify_min=50)
    assert grade_for(85, s) is Grade.EXCELLENT and grade_for(50, s) is Grade.RECTIFY
    weights = dict(
        zip(
            INDICATOR_GROUPS,
            [Fraction(4, 10), Fraction(2, 10), Fraction(2, 10), Fraction(2, 10)],
            strict=True,
        )
    )
    scores = dict(zip(INDICATOR_GROUPS, [90, 80, 70, 60], strict=True))
    assert weighted_score(scores, weights) == 78
    with pytest.raises(ValueError, match="100%"):
        weighted_score(scores, {k: Fraction(1, 5) for k in INDICATOR_GROUPS})
    with pytest.raises(ValueError, match="不一致"):
        weighted_score({INDICATOR_GROUPS[0]: 90}, weights)


@pytest.mark.parametrize(
    ("grade", "previous", "outcome"),
    [
        (Grade.EXCELLENT, [], Outcome.KEEP),
        (Grade.QUALIFIED, [Grade.RECTIFY], Outcome.KEEP),
        (Grade.RECTIFY, [], Outcome.RECTIFY),  # E24a
        (Grade.RECTIFY, [Grade.QUALIFIED], Outcome.RECTIFY),
        (Grade.RECTIFY, [Grade.RECTIFY, Grade.QUALIFIED], Outcome.RECTIFY),  # not consecutive
        (Grade.RECTIFY, [Grade.QUALIFIED, Grade.RECTIFY], Outcome.REVOKE),  # E24b: second consecutive
        (Grade.FAILED, [], Outcome.REVOKE),  # E24b
    ],
)
def test_e24_outcomes(grade: Grade, previous: list[Grade], outcome: Outcome) -> None:
    assert evaluation_outcome(grade, previous) is outcome


def test_e24c_not_taking_part_forfeits() -> None:
    assert evaluation_outcome(None) is Outcome.FORFEIT
    assert evaluation_outcome(Grade.EXCELLENT, took_part=False) is Outcome.FORFEIT


def test_e24b_consecutive_count_is_a_setting() -> None:
    three = RuleSettings(revoke_after_consecutive_rectify=3)
    assert evaluation_outcome(Grade.RECTIFY, [Grade.RECTIFY], three) is Outcome.RECTIFY
    assert evaluation_outcome(Grade.RECTIFY, [Grade.RECTIFY, Grade.RECTIFY], three) is Outcome.REVOKE
    one = RuleSettings(revoke_after_consecutive_rectify=1)
    assert evaluation_outcome(Grade.RECTIFY, [], one) is Outcome.REVOKE


def test_e24a_rectification_deadline_and_acceptance() -> None:
    assert rectification_deadline(date(2026, 3, 15)) == date(2027, 3, 15)
    assert rectification_deadline(date(2024, 2, 29)) == date(2025, 2, 28)
    assert rectification_outcome(accepted=True) is Outcome.KEEP
    assert rectification_outcome(accepted=False) is Outcome.REVOKE
    assert Outcome.REVOKE.label == "取消称号"


def test_e25_reapply_two_years_after_revocation() -> None:
    assert reapply_allowed_from(date(2024, 6, 10)) == date(2026, 6, 10)
    assert reapply_allowed_from(date(2024, 2, 29)) == date(2026, 2, 28)


@pytest.mark.parametrize(
    ("grade", "previous", "outcome"),
    [
        ("不合格", [], Outcome.REVOKE),
        (" 不合格 ", [], Outcome.REVOKE),
        ("整改", ["整改"], Outcome.REVOKE),
        ("整改", ["整改", "合格"], Outcome.RECTIFY),
        ("整改", [Grade.RECTIFY], Outcome.REVOKE),
        (Grade.RECTIFY, ["整改"], Outcome.REVOKE),
        ("合格", ["整改"], Outcome.KEEP),
        ("优秀", [], Outcome.KEEP),
    ],
)
def test_e24_grades_are_compared_by_value(grade: Any, previous: list[Any], outcome: Outcome) -> None:
    """A grade read as text (from the database or a file) decides exactly as the enum member."""
    assert evaluation_outcome(grade, previous) is outcome


def test_e24_unknown_grade_is_refused_in_chinese() -> None:
    with pytest.raises(ValueError, match="评估等级“良好”不是 优秀、合格、整改、不合格 之一"):
        evaluation_outcome("良好")
