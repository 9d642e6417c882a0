"""第三章 declaration rules: D9.0, D9.1a, D9.2, D9.3a–d, D9.4a–b, D9.5a–b, D9.6a–d, D9.7a–b,
D9.8a–c, D10.2, D25, D26 — each just below, at and just above its bound, starting from the
public example and changing one field at a time."""

from __future__ import annotations

import math
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
from lzcenter_desktop.domain.eligibility import check_declaration, check_staff
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
    assert rules(check_decl({"center.industry_fields": []})) == ["D9.2"]
    found = check_decl({"center.industry_fields": ["机械", "元宇宙"]})
    assert [(v.rule, v.path) for v in found] == [("D9.2", "center.industry_fields[1]")]
    assert "元宇宙" in found[0].message
    custom = RuleSettings(key_industries=("元宇宙",))
    assert [v.path for v in check_decl({"center.industry_fields": ["机械", "元宇宙"]}, custom)] == [
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


# ---------------------------------------------------------------- D9.4a–b


def _project(level: str, day: str, role: str = "lead") -> dict[str, Any]:
    return {"name": "项目", "level": level, "role": role, "approved_date": day}


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


def _achievement(kind: str, day: str = "2025-01-01", **extra: Any) -> dict[str, Any]:
    return {"kind": kind, "title": "成果", "date": day, **extra}


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


# ---------------------------------------------------------------- D10.2


def test_d10_2_signed_by_someone_else() -> None:
    found = check_decl({"signature.name": "张三"})
    assert [(v.rule, v.path, v.actual, v.required) for v in found] == [
        ("D10.2", "signature.name", "张三", "黄工")
    ]


def test_d10_2_signed_in_another_role() -> None:
    found = check_decl({"signature.role": "legal_representative"})
    assert [(v.rule, v.path) for v in found] == [("D10.2", "signature.role")]


# ---------------------------------------------------------------- D25


@pytest.mark.parametrize(
    ("revoked", "expected"),
    [("2024-06-11", True), ("2024-06-10", False), ("2024-06-09", False), (None, False)],
)
def test_d25_two_year_wait(revoked: str | None, expected: bool) -> None:
    found = check_decl({"previous_revocation_date": revoked})
    assert bool(only(found, "D25")) is expected


def test_d25_revocation_from_the_records() -> None:
    decl = declaration()
    assert rules(check_declaration(decl, previous_revocation=date(2024, 6, 11))) == ["D25"]
    assert check_declaration(decl, previous_revocation=date(2024, 6, 10)) == []
    # the later of the file's and the records' dates applies
    decl2 = declaration({"previous_revocation_date": "2020-01-01"})
    assert rules(check_declaration(decl2, previous_revocation=date(2025, 1, 1))) == ["D25"]


def test_d25_revoked_on_29_february() -> None:
    decl = declaration({"previous_revocation_date": "2024-02-29"})
    assert check_declaration(decl, as_of=date(2026, 2, 28)) == only(
        check_declaration(decl, as_of=date(2026, 2, 28)), "D25"
    )
    assert not only(check_declaration(decl, as_of=date(2026, 2, 28)), "D25")
    assert only(check_declaration(decl, as_of=date(2026, 2, 27)), "D25")


# ---------------------------------------------------------------- D26


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("柳州工程机械智能制造工程技术研究中心（柳州某某重工股份有限公司）", True),
        ("柳州市工程机械工程技术研究中心（柳州某某重工股份有限公司）", True),
        ("柳州工程机械智能制造工程技术研究中心", False),
        ("广西工程机械工程技术研究中心（柳州某某重工股份有限公司）", False),
        ("柳州工程技术研究中心（柳州某某重工股份有限公司）", False),
        ("柳州市工程技术研究中心（柳州某某重工股份有限公司）", False),
        ("柳州工程机械工程技术研究中心（别的公司）", False),
        ("柳州工程机械研究中心（柳州某某重工股份有限公司）", False),
    ],
)
def test_d26_chinese_name(name: str, ok: bool) -> None:
    found = check_decl({"center.name_zh": name})
    assert (found == []) is ok
    if not ok:
        assert [(v.rule, v.path) for v in found] == [("D26", "center.name_zh")]


def test_d26_co_builder_name_in_brackets() -> None:
    co = {"name": "广西科技大学", "credit_code": "12450000498503229M", "kind": "university"}
    assert (
        check_decl({"co_builders": [co], "center.name_zh": "柳州工程机械工程技术研究中心（广西科技大学）"})
        == []
    )


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        (
            "Liuzhou Construction Machinery Research Center of Engineering Technology (Liuzhou Moumou Co.)",
            True,
        ),
        ("Liuzhou Machinery Research Center of Engineering Technology（Liuzhou Moumou Co., Ltd.）", True),
        ("Liuzhou Construction Machinery Research Center of Engineering Technology", False),
        ("Guangxi Machinery Research Center of Engineering Technology (Moumou)", False),
        ("Liuzhou Research Center of Engineering Technology (Moumou)", False),
        ("Liuzhou Machinery Engineering Research Center (Moumou)", False),
    ],
)
def test_d26_english_name(name: str, ok: bool) -> None:
    found = check_decl({"center.name_en": name})
    assert (found == []) is ok
    if not ok:
        assert [(v.rule, v.path) for v in found] == [("D26", "center.name_en")]


# ---------------------------------------------------------------- general


def test_as_of_defaults_to_application_date() -> None:
    decl = declaration()
    assert check_declaration(decl) == check_declaration(decl, as_of=decl.application_date)


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
