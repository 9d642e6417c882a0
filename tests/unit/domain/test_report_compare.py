"""The 工作年报 compared with last year's (domain/report_compare.py): figures that fell (a fall of
exactly 0 is not a finding), 第九条 conditions no longer met at the RuleSettings thresholds."""

from __future__ import annotations

import json
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import pytest

from lzcenter_desktop.domain.annual_report import parse_annual_report
from lzcenter_desktop.domain.formdef import FormDef, load_form_text
from lzcenter_desktop.domain.report_compare import (
    Finding,
    ReportFigures,
    compare_reports,
    figures_from_document,
)
from lzcenter_desktop.domain.settings import RuleSettings
from lzcenter_desktop.paths import forms_dir

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "examples" / "annual-report-2026.json"

#: a report that meets every condition the comparison looks at
GOOD = ReportFigures(
    staff=10,
    rd_received_yuan=3_000_000,
    rd_spent_yuan=2_000_000,
    projects=3,
    outputs=4,
    patents=2,
    standards=1,
    assets_yuan=10_000_000,
    floor_area_m2=400.0,
    equipment_items=3,
    equipment_value_yuan=5_000_000,
    open_topics=1,
    shared_instruments=1,
    bachelor_share=Fraction(9, 10),
    intermediate_share=Fraction(1, 2),
)


def falls(findings: list[Finding]) -> list[str]:
    return [f.what for f in findings if f.rule is None]


def rules(findings: list[Finding]) -> list[str]:
    return [f.rule for f in findings if f.rule is not None]


@pytest.fixture(scope="module")
def form() -> FormDef:
    return load_form_text((forms_dir() / "annual-report-2026.toml").read_text(encoding="utf-8"))


def test_the_same_figures_give_no_finding() -> None:
    assert compare_reports(GOOD, GOOD, year=2026) == []


@pytest.mark.parametrize(
    ("this_spent", "expected"),
    [(1_999_999, ["研发经费支出"]), (2_000_000, []), (2_000_001, [])],
)
def test_a_fall_of_one_yuan_is_a_finding_a_fall_of_zero_is_not(this_spent: int, expected: list[str]) -> None:
    findings = compare_reports(GOOD, replace(GOOD, rd_spent_yuan=this_spent), year=2026)
    assert falls(findings) == expected


def test_the_finding_says_what_fell_from_what_to_what() -> None:
    [finding] = compare_reports(GOOD, replace(GOOD, rd_spent_yuan=1_500_000), year=2026)
    assert finding.what == "研发经费支出" and finding.rule is None
    assert finding.last_year == "2,000,000元" and finding.this_year == "1,500,000元"
    assert finding.message == "研发经费支出由2025年的2,000,000元降至2026年的1,500,000元，减少500,000元"


def test_every_figure_that_fell_is_listed_in_a_fixed_order() -> None:
    worse = replace(
        GOOD,
        projects=2,
        outputs=3,
        patents=1,
        standards=0,
        assets_yuan=9_999_999,
        floor_area_m2=399.5,
        equipment_value_yuan=4_000_000,
        open_topics=0,
        shared_instruments=0,
        rd_received_yuan=2_999_999,
    )
    assert falls(compare_reports(GOOD, worse, year=2026)) == [
        "研发经费到位",
        "科技计划项目",
        "本年度成果",
        "专利",
        "标准",
        "年末资产总额",
        "科研集中用房面积",
        "主要科研仪器设备原值",
        "开放课题",
        "开放共享的仪器设备",
    ]


def test_a_blank_figure_in_either_year_is_not_compared() -> None:
    assert (
        falls(compare_reports(replace(GOOD, rd_spent_yuan=None), replace(GOOD, rd_spent_yuan=1), year=2026))
        == []
    )
    assert falls(compare_reports(GOOD, replace(GOOD, rd_spent_yuan=None), year=2026)) == []


def test_without_last_year_only_the_conditions_are_checked() -> None:
    assert compare_reports(None, replace(GOOD, staff=7), year=2026) == [
        Finding(
            what="研发人员人数",
            last_year="（未填）",
            this_year="7人",
            message="2026年度研发人员人数为7人，第九条要求不低于8人（无上年度年报可比）",
            rule="D9.3a",
        )
    ]


@pytest.mark.parametrize(("staff", "found"), [(7, ["D9.3a"]), (8, []), (9, [])])
def test_staff_condition_at_the_minimum(staff: int, found: list[str]) -> None:
    assert rules(compare_reports(None, replace(GOOD, staff=staff), year=2026)) == found


@pytest.mark.parametrize(("area", "found"), [(299.9, ["D9.5a"]), (300.0, []), (300.1, [])])
def test_floor_area_condition_at_the_minimum(area: float, found: list[str]) -> None:
    assert rules(compare_reports(None, replace(GOOD, floor_area_m2=area), year=2026)) == found


@pytest.mark.parametrize(
    ("share", "found"),
    [(Fraction(79, 100), ["D9.3b"]), (Fraction(4, 5), []), (Fraction(81, 100), [])],
)
def test_degree_share_at_the_minimum(share: Fraction, found: list[str]) -> None:
    assert rules(compare_reports(None, replace(GOOD, bachelor_share=share), year=2026)) == found


@pytest.mark.parametrize(
    ("share", "found"),
    [(Fraction(39, 100), ["D9.3c"]), (Fraction(2, 5), []), (Fraction(41, 100), [])],
)
def test_title_share_at_the_minimum(share: Fraction, found: list[str]) -> None:
    assert rules(compare_reports(None, replace(GOOD, intermediate_share=share), year=2026)) == found


@pytest.mark.parametrize(("items", "found"), [(0, ["D9.5b"]), (1, []), (2, [])])
def test_equipment_condition_at_the_minimum(items: int, found: list[str]) -> None:
    assert rules(compare_reports(None, replace(GOOD, equipment_items=items), year=2026)) == found


def test_no_longer_met_versus_still_not_met() -> None:
    [no_longer] = [f for f in compare_reports(GOOD, replace(GOOD, staff=7), year=2026) if f.rule]
    assert "上年度为10人，本年度起不再满足" in no_longer.message
    [still] = [
        f for f in compare_reports(replace(GOOD, staff=6), replace(GOOD, staff=7), year=2026) if f.rule
    ]
    assert "上年度为6人，仍未满足" in still.message and still.last_year == "6人"


def test_the_thresholds_come_from_the_rule_settings() -> None:
    strict = RuleSettings(min_staff=12, min_floor_area_m2=500)
    assert rules(compare_reports(None, GOOD, year=2026, settings=strict)) == ["D9.3a", "D9.5a"]


def test_figures_of_a_document(form: FormDef) -> None:
    doc = parse_annual_report(json.loads(EXAMPLE.read_text(encoding="utf-8")), form)
    figures = figures_from_document(doc)
    assert figures == ReportFigures(
        staff=2,
        rd_received_yuan=3_200_000,
        rd_spent_yuan=2_950_000,
        projects=1,
        outputs=2,
        patents=1,
        standards=0,
        assets_yuan=12_500_000,
        floor_area_m2=420.5,
        equipment_items=1,
        equipment_value_yuan=2_800_000,
        open_topics=1,
        shared_instruments=1,
        bachelor_share=Fraction(1),
        intermediate_share=Fraction(1),
    )
    # the example's two researchers are fewer than 第九条（三）'s eight
    assert rules(compare_reports(None, figures, year=2026)) == ["D9.3a"]
