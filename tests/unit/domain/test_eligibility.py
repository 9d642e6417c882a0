"""第三章 declaration rules: D9.0, D9.1a, D9.2, D9.3a–d, D9.4a–b, D9.5a–b, D9.6a–d, D9.7a–b,
D9.8a–c — each just below, at and just above its bound, starting from the public example and
changing one field at a time (D10.2, D25, D26: test_application_rules.py)."""

from __future__ import annotations

import itertools
import math
import re
from datetime import date
from fractions import Fraction
from typing import Any

import pytest
from rule_fixtures import (
    check_decl,
    declaration,
    only,
    rules,
    staff_list,
)

from lzcenter_desktop.domain.catalog import RULES, catalog_position
from lzcenter_desktop.domain.credit_code import check_char
from lzcenter_desktop.domain.eligibility import check_declaration, check_staff, normalised
from lzcenter_desktop.domain.model import (
    AchievementKind,
    CooperationKind,
    OrgKind,
    ProjectLevel,
    ProjectRole,
    SignatureRole,
)
from lzcenter_desktop.domain.settings import RuleSettings
from lzcenter_desktop.domain.violations import Severity, has_errors


def test_public_example_meets_every_rule() -> None:
    assert check_decl() == []


def test_violations_are_sorted_in_catalog_order() -> None:
    found = check_decl(
        {
            "center.name_zh": "某某中心",
            "staff": staff_list(7, bachelors=5, titled=2),
            "host.first_level_legal_person": False,
        }
    )
    positions = [catalog_position(v.rule) for v in found]
    assert positions == sorted(positions)
    assert rules(found) == ["D9.3a", "D9.3b", "D9.3c", "D9.6a", "D26"]
    assert {r.id for r in RULES} >= set(rules(found))


# ---------------------------------------------------------------- D9.0 / D9.1a


def _code(division: str, body: str = "MA5K0000X") -> str:
    first17 = f"91{division}{body}"
    return first17 + check_char(first17)


def test_d9_1a_invalid_host_code_is_an_error() -> None:
    found = check_decl({"host.credit_code": "91450205MA5N8R2T4X"})
    assert rules(found) == ["D9.1a"]
    assert found[0].severity is Severity.ERROR and found[0].path == "host.credit_code"
    assert "校验位错误" in found[0].message and "应为“M”" in found[0].message


def test_d9_1a_valid_code_outside_liuzhou_is_a_warning() -> None:
    found = check_decl({"host.credit_code": _code("450100")})
    assert rules(found) == ["D9.1a"] and found[0].severity is Severity.WARNING
    assert not has_errors(found)


@pytest.mark.parametrize("division", ["450200", "450202", "450206", "450222", "450226", "450299"])
def test_d9_1a_any_liuzhou_division_passes(division: str) -> None:
    assert check_decl({"host.credit_code": _code(division)}) == []


def test_d9_1a_co_builder_outside_liuzhou_is_fine_but_invalid_code_is_not() -> None:
    outside = {"name": "广西科技大学", "credit_code": "12450000498503229M", "kind": "university"}
    assert check_decl({"co_builders": [outside]}) == []
    bad = dict(outside, credit_code="12450000498503229A")
    found = check_decl({"co_builders": [bad]})
    assert rules(found) == ["D9.1a"] and found[0].path == "co_builders[0].credit_code"


def test_d9_1a_joint_applicant_outside_liuzhou_is_warned() -> None:
    partner = {"name": "南宁某某公司", "credit_code": _code("450100"), "kind": "enterprise"}
    found = check_decl({"joint_applicants": [partner]})
    assert [(v.rule, v.severity, v.path) for v in found] == [
        ("D9.1a", Severity.WARNING, "joint_applicants[0].credit_code")
    ]


def test_d9_0_same_organization_twice() -> None:
    same_code = {"name": "另一个名字", "credit_code": "91450205MA5N8R2T4M", "kind": "enterprise"}
    found = check_decl({"joint_applicants": [same_code]})
    assert rules(found) == ["D9.0"] and found[0].path == "joint_applicants[0]"
    same_name = {"name": "柳州某某重工股份有限公司", "credit_code": _code("450202"), "kind": "enterprise"}
    assert rules(check_decl({"co_builders": [same_name]})) == ["D9.0"]
    other = {"name": "柳州另一家公司", "credit_code": _code("450202"), "kind": "enterprise"}
    assert check_decl({"co_builders": [other]}) == []


# ---------------------------------------------------------------- D9.2


def test_d9_2_blank_research_direction() -> None:
    found = check_decl({"center.research_direction": "  "})
    assert rules(found) == ["D9.2"] and found[0].path == "center.research_direction"


def test_d9_2_industry_fields() -> None:
    # 0 key industries: an error; 1 or more: fine, and further fields outside the list are allowed
    assert rules(check_decl({"center.industry_fields": []})) == ["D9.2"]
    assert check_decl({"center.industry_fields": ["机械"]}) == []
    assert check_decl({"center.industry_fields": ["机械", "汽车"]}) == []
    assert check_decl({"center.industry_fields": ["机械", "元宇宙"]}) == []
    assert check_decl({"center.industry_fields": ["元宇宙", "机械", "低空经济"]}) == []


def test_d9_2_no_key_industry_among_the_fields_stays_an_error() -> None:
    found = check_decl({"center.industry_fields": ["元宇宙", "低空经济"]})
    assert [(v.rule, v.path, v.severity) for v in found] == [
        ("D9.2", "center.industry_fields[0]", Severity.ERROR),
        ("D9.2", "center.industry_fields[1]", Severity.ERROR),
    ]
    assert "元宇宙" in found[0].message and "未选择任何重点产业领域" in found[0].message
    custom = RuleSettings(key_industries=("元宇宙",))
    assert check_decl({"center.industry_fields": ["机械", "元宇宙"]}, custom) == []
    assert [v.path for v in check_decl({"center.industry_fields": ["机械"]}, custom)] == [
        "center.industry_fields[0]"
    ]


# ---------------------------------------------------------------- D9.3a–d


@pytest.mark.parametrize(("n", "expected"), [(7, True), (8, False), (9, False)])
def test_d9_3a_staff_count(n: int, expected: bool) -> None:
    found = check_decl({"staff": staff_list(n, bachelors=n, titled=n)})
    assert bool(only(found, "D9.3a")) is expected


def test_d9_3a_message() -> None:
    found = only(check_decl({"staff": staff_list(7, bachelors=7, titled=7)}), "D9.3a")
    assert found[0].actual == "7人" and found[0].required == "≥ 8人" and found[0].path == "staff"


@pytest.mark.parametrize(
    ("n", "bachelors", "expected"),
    [(10, 7, True), (10, 8, False), (10, 9, False), (5, 3, True), (5, 4, False), (9, 7, True), (9, 8, False)],
)
def test_d9_3b_bachelor_share_exact(n: int, bachelors: int, expected: bool) -> None:
    decl = declaration({"staff": staff_list(n, bachelors=bachelors, titled=n)})
    assert bool(only(check_staff(decl), "D9.3b")) is expected


def test_d9_3b_message_matches_catalog_example() -> None:
    found = only(check_decl({"staff": staff_list(10, bachelors=7, titled=10)}), "D9.3b")
    v = found[0]
    assert (v.article, v.path, v.actual, v.required) == ("第九条（三）", "staff", "7/10", "≥ 80%")
    assert "7/10 = 70%，要求 ≥ 80%" in v.message


@pytest.mark.parametrize(("titled", "expected"), [(3, True), (4, False), (5, False)])
def test_d9_3c_title_share_at_40_percent(titled: int, expected: bool) -> None:
    decl = declaration({"staff": staff_list(10, bachelors=10, titled=titled)})
    assert bool(only(check_staff(decl), "D9.3c")) is expected


def test_d9_3c_counts_senior_titles_and_not_junior() -> None:
    staff = staff_list(10, bachelors=10, titled=0)
    for i, title in enumerate(["正高级", "副高级", "中级"]):
        staff[i]["title"] = title
    staff[3]["title"] = "无"
    assert only(check_staff(declaration({"staff": staff})), "D9.3c")  # 3/10
    staff[4]["title"] = "中级"
    assert not only(check_staff(declaration({"staff": staff})), "D9.3c")  # 4/10


def test_d9_3b_degrees_that_count() -> None:
    staff = staff_list(10, bachelors=0, titled=10)
    for i, degree in enumerate(["博士", "硕士", "本科", "博士", "硕士", "本科", "本科", "本科"]):
        staff[i]["degree"] = degree
    staff[8]["degree"] = "其他"
    assert not only(check_staff(declaration({"staff": staff})), "D9.3b")  # 8/10
    staff[7]["degree"] = "大专"
    assert only(check_staff(declaration({"staff": staff})), "D9.3b")  # 7/10


def test_d9_3_no_staff_at_all() -> None:
    found = check_decl({"staff": []})
    assert rules(found) == ["D9.3a", "D9.3b", "D9.3c", "D9.3d"]
    assert only(found, "D9.3b")[0].actual == "0/0"


def test_d9_3d_tech_leader() -> None:
    found = check_decl({"staff[0].tech_leader": False})
    assert rules(found) == ["D9.3d"]
    assert check_decl({"staff[0].tech_leader": False, "staff[5].tech_leader": True}) == []


def test_d9_3_thresholds_come_from_settings() -> None:
    stricter = RuleSettings(min_staff=11, min_bachelor_share=Fraction(9, 10))
    assert rules(check_decl(settings=stricter)) == ["D9.3a"]
    # the example: 9 of 10 have 本科 or higher; 6 of 10 have 中级 or higher
    assert rules(check_decl(settings=RuleSettings(min_bachelor_share=Fraction(91, 100)))) == ["D9.3b"]
    assert rules(check_decl(settings=RuleSettings(min_intermediate_title_share=Fraction(61, 100)))) == [
        "D9.3c"
    ]


# ---------------------------------------------------------------- D9.3: each person counted once


@pytest.mark.parametrize(("distinct", "short"), [(7, True), (8, False), (9, False)])
def test_d9_3a_a_repeated_person_counts_once(distinct: int, short: bool) -> None:
    staff = staff_list(distinct, bachelors=distinct, titled=distinct)
    staff.append(dict(staff[2]))  # row 3 typed again as the last row
    found = only(check_decl({"staff": staff}), "D9.3a")
    repeated = [v for v in found if v.path != "staff"]
    assert [(v.path, v.severity) for v in repeated] == [(f"staff[{distinct}]", Severity.ERROR)]
    assert f"第{distinct + 1}行与第3行重复" in repeated[0].message
    assert repeated[0].actual == f"第{distinct + 1}行与第3行重复"
    count = [v for v in found if v.path == "staff"]
    assert bool(count) is short
    if short:
        assert count[0].actual == f"{distinct}人" and "重复的 1 行不计" in count[0].message


def test_d9_3_distinct_people_are_not_repeats() -> None:
    staff = staff_list(8, bachelors=8, titled=8)
    staff[7] = dict(staff[1], birth_date="1981-05-05")  # same name, another person
    assert check_decl({"staff": staff}) == []


def test_d9_3_names_are_compared_normalised() -> None:
    staff = staff_list(8, bachelors=8, titled=8)
    staff.append(dict(staff[0], name="人员\u300000 "))  # ideographic space, full-width digits
    staff[8]["name"] = "人员　００ "
    found = check_decl({"staff": staff})
    assert [(v.rule, v.path) for v in found] == [("D9.3a", "staff[8]")]
    assert normalised(" ZL 2023１0000001.1 ") == normalised("zl202310000001.1")


def test_d9_3_a_row_listed_three_times_names_the_first_row_twice() -> None:
    staff = staff_list(8, bachelors=8, titled=8)
    staff += [dict(staff[4]), dict(staff[4])]
    found = check_decl({"staff": staff})
    assert [(v.path, v.actual) for v in found] == [
        ("staff[8]", "第9行与第5行重复"),
        ("staff[9]", "第10行与第5行重复"),
    ]


@pytest.mark.parametrize(("bachelors", "fails"), [(7, True), (8, False), (9, False)])
def test_d9_3b_share_is_over_distinct_people(bachelors: int, fails: bool) -> None:
    # 10 people; the last (大专) is listed twice: 8/10 passes, where 8/11 would not
    staff = staff_list(10, bachelors=bachelors, titled=10)
    staff.append(dict(staff[9]))
    found = check_decl({"staff": staff})
    assert bool(only(found, "D9.3b")) is fails
    assert [v.path for v in only(found, "D9.3a")] == ["staff[10]"]
    if fails:
        assert only(found, "D9.3b")[0].actual == f"{bachelors}/10"


# ---------------------------------------------------------------- D9.4a–b

_names = itertools.count(1)


def _project(
    level: str, day: str, role: str = "lead", *, name: str | None = None, end: str | None = None
) -> dict[str, Any]:
    row = {"name": name or f"项目{next(_names)}", "level": level, "role": role, "approved_date": day}
    if end is not None:
        row["end_date"] = end
    return row


def test_d9_4a_two_projects_is_the_bound() -> None:
    one = [_project("region", "2024-07-01")]
    assert rules(check_decl({"projects": one})) == ["D9.4a"]
    assert check_decl({"projects": [*one, _project("city", "2025-01-01", "participate")]}) == []
    three = [*one, _project("city", "2025-01-01"), _project("region", "2025-02-01")]
    assert check_decl({"projects": three}) == []


def test_d9_4a_county_projects_do_not_count_national_ones_do() -> None:
    base = [_project("region", "2024-07-01")]
    assert rules(check_decl({"projects": [*base, _project("county", "2025-01-01")]})) == ["D9.4a"]
    assert check_decl({"projects": [*base, _project("national", "2025-01-01")]}) == []
    strict = RuleSettings(count_national_projects=False)
    assert rules(check_decl({"projects": [*base, _project("national", "2025-01-01")]}, strict)) == ["D9.4a"]


@pytest.mark.parametrize(
    ("day", "counts"),
    [
        ("2023-06-09", False),
        ("2023-06-10", True),
        ("2023-06-11", True),
        ("2026-06-10", True),
        ("2026-06-11", False),
    ],
)
def test_d9_4a_window_edges(day: str, counts: bool) -> None:
    # application date 2026-06-10: 近三年 = [2023-06-10, 2026-06-10]
    projects = [_project("region", "2024-07-01"), _project("city", day)]
    assert (check_decl({"projects": projects}) == []) is counts


def test_d9_4a_window_uses_as_of() -> None:
    projects = [_project("region", "2024-07-01"), _project("city", "2023-06-10")]
    assert check_decl({"projects": projects}) == []
    assert "D9.4a" in rules(check_decl({"projects": projects}, as_of=date(2026, 6, 11)))


@pytest.mark.parametrize(
    ("end", "counts"),
    [
        ("2023-06-09", False),  # ended the day before 近三年 begins
        ("2023-06-10", True),  # ended on its first day
        ("2023-06-11", True),
        ("2027-12-31", True),  # still running (planned end after the application)
    ],
)
def test_d9_4a_project_approved_before_the_window_counts_while_under_way(end: str, counts: bool) -> None:
    # application date 2026-06-10: 近三年 = [2023-06-10, 2026-06-10]
    projects = [_project("region", "2024-07-01"), _project("city", "2021-03-01", end=end)]
    assert (check_decl({"projects": projects}) == []) is counts


def test_d9_4a_without_end_date_only_the_approved_date_decides() -> None:
    old = _project("city", "2021-03-01")
    assert rules(check_decl({"projects": [_project("region", "2024-07-01"), old]})) == ["D9.4a"]


@pytest.mark.parametrize(("approved", "counts"), [("2026-06-10", True), ("2026-06-11", False)])
def test_d9_4a_project_approved_after_the_reference_date_does_not_count(approved: str, counts: bool) -> None:
    projects = [_project("region", "2024-07-01"), _project("city", approved, end="2028-06-30")]
    assert (check_decl({"projects": projects}) == []) is counts


def test_d9_4a_county_project_under_way_does_not_count() -> None:
    projects = [_project("region", "2024-07-01"), _project("county", "2021-03-01", end="2025-01-01")]
    assert rules(check_decl({"projects": projects})) == ["D9.4a"]


def test_d9_4a_end_date_before_approval_is_flagged_and_not_counted() -> None:
    projects = [
        _project("region", "2024-07-01"),
        _project("city", "2025-03-01", end="2025-02-28"),
        _project("city", "2025-04-01", end="2025-04-01"),  # same day: fine
    ]
    found = check_decl({"projects": projects})
    assert [(v.rule, v.path) for v in found] == [("D9.4a", "projects[1].end_date")]
    assert "第2行" in found[0].message and found[0].required == "≥ 立项日期 2025-03-01"
    del projects[2]
    assert [v.path for v in check_decl({"projects": projects})] == ["projects", "projects[1].end_date"]


@pytest.mark.parametrize(("distinct", "short"), [(1, True), (2, False), (3, False)])
def test_d9_4a_a_project_listed_twice_counts_once(distinct: int, short: bool) -> None:
    projects = [_project("region", f"2024-0{i + 1}-01") for i in range(distinct)]
    projects.append(dict(projects[0]))
    found = only(check_decl({"projects": projects}), "D9.4a")
    assert [v.path for v in found] == (["projects"] if short else []) + [f"projects[{distinct}]"]
    repeated = found[-1]
    assert repeated.severity is Severity.ERROR and f"第{distinct + 1}行与第1行重复" in repeated.message
    if short:
        assert found[0].actual == "1项" and "重复的 1 行不计" in found[0].message


def test_d9_4a_same_project_name_is_compared_normalised_and_by_level() -> None:
    a = _project("region", "2024-07-01", name="线控制动系统研发")
    respelled = _project("region", "2025-01-01", name=" 线控制动 系统研发")
    assert [v.path for v in check_decl({"projects": [a, respelled]})] == ["projects", "projects[1]"]
    other_level = _project("city", "2025-01-01", name="线控制动系统研发")
    assert check_decl({"projects": [a, other_level]}) == []


_titles = itertools.count(1)


def _achievement(kind: str, day: str = "2025-01-01", **extra: Any) -> dict[str, Any]:
    return {"kind": kind, "title": f"成果{next(_titles)}", "date": day, **extra}


@pytest.mark.parametrize(("distinct", "short"), [(4, True), (5, False), (6, False)])
def test_d9_4b_a_patent_listed_twice_counts_once(distinct: int, short: bool) -> None:
    rows = [_achievement("invention_patent", number=f"ZL20231000000{i}.1") for i in range(distinct)]
    rows.append(dict(rows[0], title="另一个写法的名称"))  # same patent number
    found = only(check_decl({"achievements": rows}), "D9.4b")
    assert [v.path for v in found] == (["achievements"] if short else []) + [f"achievements[{distinct}]"]
    assert f"第{distinct + 1}行与第1行重复" in found[-1].message
    if short:
        assert found[0].actual == f"{distinct}项"


def test_d9_4b_how_achievements_are_matched() -> None:
    four = [_achievement("new_product") for _ in range(4)]
    # the same number written differently
    a = _achievement("invention_patent", number="ZL202310000001.1")
    b = _achievement("invention_patent", number="zl 202310000001.1")
    assert [v.path for v in check_decl({"achievements": [*four, a, b]})] == ["achievements[5]"]
    # two patents with the same generic title but different numbers are two patents
    c = _achievement("invention_patent", number="ZL202310000002.X", title=a["title"])
    assert check_decl({"achievements": [*four, a, c]}) == []
    # without numbers the normalised title decides
    d = dict(four[0], title=f" {four[0]['title']} ", kind="new_technology")
    found = check_decl({"achievements": [*four, d]})
    assert [v.path for v in found] == ["achievements", "achievements[4]"] and found[0].actual == "4项"


@pytest.mark.parametrize(("n", "expected"), [(4, True), (5, False), (6, False)])
def test_d9_4b_five_achievements_is_the_bound(n: int, expected: bool) -> None:
    achievements = [_achievement("invention_patent") for _ in range(n)]
    assert bool(only(check_decl({"achievements": achievements}), "D9.4b")) is expected


def test_d9_4b_what_counts() -> None:
    counted = ["new_technology", "new_product", "standard", "award"]
    base = [_achievement(k) for k in counted] + [_achievement("invention_patent", transferred=True)]
    assert check_decl({"achievements": base}) == []
    for kind in ("utility_patent", "design_patent"):
        found = check_decl({"achievements": [*base[:4], _achievement(kind)]})
        assert rules(found) == ["D9.4b"]
        assert found[0].actual == "4项"


@pytest.mark.parametrize(
    ("day", "counts"), [("2023-06-09", False), ("2023-06-10", True), ("2026-06-11", False)]
)
def test_d9_4b_window_edges(day: str, counts: bool) -> None:
    achievements = [_achievement("award") for _ in range(4)] + [_achievement("award", day)]
    assert (check_decl({"achievements": achievements}) == []) is counts


def test_d9_4_window_on_29_february() -> None:
    # application on 2028-02-29: 近三年 starts 2025-02-28
    changes = {"application_date": "2028-02-29", "investments[0].year": 2027}
    projects = [_project("region", "2026-07-01"), _project("city", "2025-02-28")]
    found = check_decl(
        {**changes, "projects": projects, "investments[1].year": 2026, "investments[2].year": 2025}
    )
    assert "D9.4a" not in rules(found)
    projects[1]["approved_date"] = "2025-02-27"
    found = check_decl(
        {**changes, "projects": projects, "investments[1].year": 2026, "investments[2].year": 2025}
    )
    assert "D9.4a" in rules(found)


# ---------------------------------------------------------------- D9.5a–b


@pytest.mark.parametrize(
    ("area", "expected"), [(299, True), (299.99, True), (300, False), (300.0, False), (301, False)]
)
def test_d9_5a_floor_area(area: float, expected: bool) -> None:
    found = check_decl({"center.floor_area_m2": area})
    assert bool(only(found, "D9.5a")) is expected


def test_d9_5a_message() -> None:
    v = only(check_decl({"center.floor_area_m2": 299}), "D9.5a")[0]
    assert (v.path, v.actual, v.required) == ("center.floor_area_m2", "299m²", "≥ 300m²")


def test_d9_5b_no_equipment_is_a_warning() -> None:
    found = check_decl({"center.equipment": []})
    assert rules(found) == ["D9.5b"] and found[0].severity is Severity.WARNING
    assert not has_errors(found)


# ---------------------------------------------------------------- D9.6a–d


def test_d9_6a_first_level_legal_person() -> None:
    found = check_decl({"host.first_level_legal_person": False})
    assert rules(found) == ["D9.6a"] and found[0].path == "host.first_level_legal_person"


@pytest.mark.parametrize(
    ("established", "expected"), [("2024-06-09", False), ("2024-06-10", False), ("2024-06-11", True)]
)
def test_d9_6b_two_years_of_operation(established: str, expected: bool) -> None:
    # application 2026-06-10: established on 2024-06-10 is exactly two years
    assert bool(only(check_decl({"center.rd_org_established": established}), "D9.6b")) is expected


def test_d9_6b_29_february() -> None:
    found = check_decl({"center.rd_org_established": "2024-02-29", "application_date": "2026-02-28"})
    assert "D9.6b" not in rules(found)
    found = check_decl({"center.rd_org_established": "2024-02-29", "application_date": "2026-02-27"})
    assert "D9.6b" in rules(found)


@pytest.mark.parametrize(("last", "expected"), [(1_499_999, True), (1_500_000, False), (1_500_001, False)])
def test_d9_6c_five_million_bound(last: int, expected: bool) -> None:
    # 1,800,000 + 1,700,000 + last
    found = check_decl({"investments[2].amount_yuan": last})
    assert bool(only(found, "D9.6c")) is expected


def test_d9_6c_message_in_wan_yuan() -> None:
    v = only(check_decl({"investments[2].amount_yuan": 1_499_999}), "D9.6c")[0]
    assert v.actual == "499.9999万元" and v.required == "≥ 500万元"
    assert "2023—2025年" in v.message


def test_d9_6c_only_the_three_years_before_count() -> None:
    investments = [
        {"year": 2022, "amount_yuan": 9_000_000},
        {"year": 2023, "amount_yuan": 1_000_000},
        {"year": 2024, "amount_yuan": 1_000_000},
        {"year": 2025, "amount_yuan": 1_000_000},
        {"year": 2026, "amount_yuan": 9_000_000},
    ]
    assert rules(check_decl({"investments": investments})) == ["D9.6c"]


def test_d9_6d_each_year_must_be_positive() -> None:
    found = check_decl({"investments[1].amount_yuan": 0, "investments[2].amount_yuan": 3_300_000})
    assert rules(found) == ["D9.6d"] and "2024年" in found[0].message
    missing_year = [{"year": 2023, "amount_yuan": 2_500_000}, {"year": 2025, "amount_yuan": 2_500_000}]
    found = check_decl({"investments": missing_year})
    assert rules(found) == ["D9.6d"] and "2024年" in found[0].message
    assert not only(check_decl({"investments[1].amount_yuan": 1}), "D9.6d")


# ---------------------------------------------------------------- D9.7a–b


def test_d9_7a_cto_required_for_enterprises() -> None:
    found = check_decl({"host.cto": None})
    assert rules(found) == ["D9.7a", "D10.2"]
    assert found[0].path == "host.cto"


def test_d9_7a_filing_number_and_date() -> None:
    assert [v.path for v in check_decl({"host.cto.filing_no": ""})] == ["host.cto.filing_no"]
    assert [v.path for v in check_decl({"host.cto.filing_no": None})] == ["host.cto.filing_no"]
    assert [v.path for v in check_decl({"host.cto.filing_date": None})] == ["host.cto.filing_date"]


@pytest.mark.parametrize(
    ("filed", "expected"), [("2026-06-09", False), ("2026-06-10", False), ("2026-06-11", True)]
)
def test_d9_7a_filing_before_application(filed: str, expected: bool) -> None:
    assert bool(only(check_decl({"host.cto.filing_date": filed}), "D9.7a")) is expected


def _finances(rd: list[int], revenue: list[int]) -> list[dict[str, int]]:
    return [
        {"year": y, "rd_expense_yuan": r, "sales_revenue_yuan": s}
        for y, r, s in zip((2023, 2024, 2025), rd, revenue, strict=True)
    ]


@pytest.mark.parametrize(("rd_last", "expected"), [(8_999_999, True), (9_000_000, False), (9_000_001, False)])
def test_d9_7b_intensity_at_3_percent(rd_last: int, expected: bool) -> None:
    # revenue 3 × 300M (latest 300M > 200M → 3 %): 27M needed
    found = check_decl({"finances": _finances([9_000_000, 9_000_000, rd_last], [300_000_000] * 3)})
    assert bool(only(found, "D9.7b")) is expected
    assert all(v.severity is Severity.WARNING for v in found)


def test_d9_7b_a_failing_intensity_never_shows_as_the_bound() -> None:
    # 26,999,999 / 900,000,000 = 2.99999989 %: rounds to 3.00 %, must show 2.99 %
    v = only(
        check_decl({"finances": _finances([9_000_000, 9_000_000, 8_999_999], [300_000_000] * 3)}), "D9.7b"
    )[0]
    assert (v.actual, v.required) == ("2.99%", "≥ 3%")
    assert "= 2.99%，" in v.message and "3.00%" not in v.message
    # a clear shortfall keeps ordinary rounding: 24M / 900M = 2.666… % → 2.67 %
    v = only(check_decl({"finances": _finances([8_000_000] * 3, [300_000_000] * 3)}), "D9.7b")[0]
    assert v.actual == "2.67%"


@pytest.mark.parametrize(
    ("latest", "required"),
    [
        (50_000_000, Fraction(5, 100)),
        (50_000_001, Fraction(4, 100)),
        (200_000_000, Fraction(4, 100)),
        (200_000_001, Fraction(3, 100)),
    ],
)
def test_d9_7b_tiers_by_latest_revenue(latest: int, required: Fraction) -> None:
    revenue = [latest, latest, latest]
    needed = math.ceil(required * 3 * latest)  # smallest total R&D expense that reaches the tier
    exact = [needed // 3, needed // 3, needed - 2 * (needed // 3)]
    assert not only(check_decl({"finances": _finances(exact, revenue)}), "D9.7b")
    below = [*exact[:2], exact[2] - 1]
    v = only(check_decl({"finances": _finances(below, revenue)}), "D9.7b")
    assert v and v[0].required == f"≥ {int(required * 100)}%"


def test_d9_7b_missing_years_and_zero_revenue() -> None:
    found = check_decl({"finances": _finances([1, 1, 1], [100, 100, 100])[:2]})
    assert rules(found) == ["D9.7b"] and "2025" in found[0].message
    assert rules(check_decl({"finances": _finances([0, 0, 0], [0, 0, 0])})) == ["D9.7b"]


def test_d9_7_not_for_universities() -> None:
    uni = _university_changes()
    found = check_decl({**uni, "host.cto": None, "finances": []})
    assert not {"D9.7a", "D9.7b", "D10.2"} & set(rules(found))


# ---------------------------------------------------------------- D9.8a–c


def _university_changes() -> dict[str, Any]:
    return {
        "host.kind": "university",
        "joint_applicants": [
            {"name": "柳州某某汽车有限公司", "credit_code": "91450200MA5K3L7Q58", "kind": "enterprise"}
        ],
        "cooperation": [
            {"partner": "柳州某某汽车有限公司", "kind": "project", "date": "2025-05-01", "title": "合作"}
        ],
    }


def test_d9_8_university_host_that_meets_the_rules() -> None:
    assert check_decl(_university_changes()) == []
    assert check_decl({**_university_changes(), "host.kind": "institute"}) == []


def test_d9_8a_key_industry() -> None:
    found = check_decl({**_university_changes(), "center.industry_fields": ["元宇宙"]})
    assert rules(found) == ["D9.2", "D9.8a"]


@pytest.mark.parametrize(("kind", "expected"), [("university", True), ("other", True), ("enterprise", False)])
def test_d9_8b_joint_enterprise(kind: str, expected: bool) -> None:
    changes = _university_changes()
    changes["joint_applicants"][0]["kind"] = kind
    assert bool(only(check_decl(changes), "D9.8b")) is expected


def test_d9_8b_none() -> None:
    found = check_decl({**_university_changes(), "joint_applicants": []})
    assert rules(found) == ["D9.8b"] and found[0].actual == "0家"


@pytest.mark.parametrize(
    ("kind", "day", "expected"),
    [
        ("project", "2023-06-09", True),
        ("project", "2023-06-10", False),
        ("project", "2026-06-11", True),
        ("agreement", "2010-01-01", False),
        ("agreement", "2026-06-10", False),
        ("agreement", "2026-06-11", True),
    ],
)
def test_d9_8c_cooperation(kind: str, day: str, expected: bool) -> None:
    changes = _university_changes()
    changes["cooperation"] = [{"partner": "企业", "kind": kind, "date": day, "title": "合作"}]
    assert bool(only(check_decl(changes), "D9.8c")) is expected


def test_d9_8_not_for_enterprises() -> None:
    assert check_decl({"joint_applicants": [], "cooperation": []}) == []


# ---------------------------------------------------------------- general


def test_as_of_defaults_to_application_date() -> None:
    decl = declaration()
    assert check_declaration(decl) == check_declaration(decl, as_of=decl.application_date)


_CODES = {
    m.value
    for enum in (OrgKind, ProjectLevel, ProjectRole, AchievementKind, CooperationKind, SignatureRole)
    for m in enum
}


def _codes_in(text: str) -> set[str]:
    return set(re.findall(r"[a-z_]+", text)) & _CODES


@pytest.mark.parametrize("role", ["legal_representative", "other"])
@pytest.mark.parametrize("kind", ["university", "institute"])
def test_user_text_is_chinese_never_internal_codes(role: str, kind: str) -> None:
    uni = _university_changes()
    uni["joint_applicants"][0]["kind"] = "other"
    found = check_decl(
        {
            **uni,
            "host.kind": kind,
            "signature.role": role,
            "projects": [_project(level, "2021-01-01", end="2021-01-01") for level in ProjectLevel],
            "achievements": [_achievement(k.value, "2010-01-01") for k in AchievementKind],
        }
    )
    found += check_decl({"signature.role": role, "host.cto.filing_date": "2026-06-09"})
    assert {"D9.4a", "D9.4b", "D9.8b", "D10.2"} <= set(rules(found))
    for v in found:
        assert not _codes_in(v.actual) and not _codes_in(v.required) and not _codes_in(v.message), v
    assert "“柳州某某汽车有限公司”为其他" in only(found, "D9.8b")[0].message


def test_every_violation_has_article_message_and_values() -> None:
    found = check_decl(
        {
            "staff": [],
            "projects": [],
            "achievements": [],
            "center.floor_area_m2": 0,
            "center.equipment": [],
            "investments": [],
            "host.cto": None,
            "finances": [],
            "center.name_zh": "x",
            "center.name_en": "x",
            "previous_revocation_date": "2026-01-01",
            "host.first_level_legal_person": False,
            "center.research_direction": "",
        }
    )
    assert len(found) >= 15
    for v in found:
        assert v.article.startswith("第") and v.message and v.actual and v.required and v.path
