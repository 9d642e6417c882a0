"""第四章 people and committee rules: M11, M12a–c, M13a–c, M14a–f, M15a–c, M16a–b."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from rule_fixtures import DELETE, check_comm, committees_json, only, rules

from lzcenter_desktop.domain.committees import (
    MatchKind,
    check_committees,
    director_years,
    expert_meeting_years,
    from_host_or_co_builder,
    joined_on,
    management_meeting_years,
    meeting_roster,
    term_in_force,
    unit_key,
    unit_match,
)
from lzcenter_desktop.domain.interchange import parse_committees
from lzcenter_desktop.domain.model import Committees, Meeting, UnitConfirmation
from lzcenter_desktop.domain.violations import Severity, Violation, has_errors

AS_OF = date(2026, 11, 26)
TERM_1 = ["p1", "p2", "p3", "p5", "p6", "p7", "p8", "p9", "p10"]
TERM_2 = ["p1", "p2", "p3", "p5", "p6", "p7", "p11", "p12", "p13"]
OUTSIDE = [
    "p1",
    "p5",
    "p6",
    "p7",
    "p8",
    "p9",
    "p10",
    "p11",
    "p12",
    "p13",
    "p14",
]  # neither host nor co-builder


def test_public_example_gives_only_the_director_term_warning() -> None:
    found = check_comm()
    assert [(v.rule, v.severity, v.path) for v in found] == [("M12c", Severity.WARNING, "directors[0]")]
    assert not has_errors(found)


# ---------------------------------------------------------------- M11


def test_m11_director_not_filed() -> None:
    found = check_comm({"directors[0].filed": None}, as_of=date(2025, 12, 31))
    assert [(v.rule, v.severity, v.path) for v in found] == [("M11", Severity.WARNING, "directors[0].filed")]


def test_m11_no_director() -> None:
    found = check_comm({"directors": []})
    assert rules(found) == ["M11"] and found[0].path == "directors"


# ---------------------------------------------------------------- M12a


@pytest.mark.parametrize(
    ("birth", "appointed", "expected"),
    [
        ("1962-01-10", "2023-01-10", True),  # 61 on the day of appointment
        ("1962-01-11", "2023-01-10", False),  # 60, turns 61 the next day
        ("1963-01-10", "2023-01-10", False),  # exactly 60 on the birthday
        ("1964-02-29", "2025-02-28", False),  # 60: the birthday of a common year is 1 March
        ("1964-02-29", "2025-03-01", True),  # 61
        ("1966-03-15", "2026-11-26", False),  # the catalog's example: 60 on 2026-11-26
        ("1966-03-15", "2027-03-15", True),  # and 61 on 2027-03-15
    ],
)
def test_m12a_age_at_appointment(birth: str, appointed: str, expected: bool) -> None:
    found = check_comm(
        {
            "people[3].birth_date": birth,
            "directors[0].appointed": appointed,
            "directors[0].months_worked": {},
        },
        as_of=date(2023, 1, 1) if appointed < "2023-01-02" else date.fromisoformat(appointed),
    )
    assert bool(only(found, "M12a")) is expected
    if expected:
        v = only(found, "M12a")[0]
        assert v.path == "directors[0].appointed" and v.actual == "61周岁" and v.required == "≤ 60周岁"


# ---------------------------------------------------------------- M12b


@pytest.mark.parametrize(("months", "expected"), [(5, True), (6, False), (7, False)])
def test_m12b_six_months_a_year(months: int, expected: bool) -> None:
    found = check_comm({"directors[0].months_worked.2024": months})
    assert bool(only(found, "M12b")) is expected
    if expected:
        assert only(found, "M12b")[0].path == "directors[0].months_worked.2024"


def test_m12b_missing_year() -> None:
    found = only(check_comm({"directors[0].months_worked.2025": DELETE}), "M12b")
    assert len(found) == 1 and "2025" in found[0].message and found[0].actual == "未填报"


def test_m12b_partial_first_year_and_year_in_progress_are_not_required() -> None:
    # appointed 2023-01-10: 2023 is not a complete year of service; 2026 is still in progress
    found = check_comm({"directors[0].months_worked.2023": DELETE})
    assert not only(found, "M12b")
    found = check_comm({"directors[0].appointed": "2023-01-01", "directors[0].months_worked.2023": DELETE})
    assert only(found, "M12b")
    # once 2026 has ended it is required
    assert only(check_comm(as_of=date(2027, 1, 1)), "M12b")
    assert not only(check_comm(as_of=date(2026, 12, 31)), "M12b")


def _reappointed(
    first: dict[str, int | None], second: dict[str, int], person: str = "p4", on: str = "2026-01-10"
) -> Any:
    """周四 appointed 2023-01-10 (months of 2023–2025 reported; ``None`` takes a year out), then
    ``person`` appointed on ``on`` with the months ``second``."""
    doc = committees_json()
    months = doc["directors"][0]["months_worked"]
    for year, value in first.items():
        if value is None:
            del months[year]
        else:
            months[year] = value
    doc["directors"].append({"person": person, "appointed": on, "filed": on, "months_worked": second})
    return parse_committees(doc)


@pytest.mark.parametrize(("months", "expected"), [(5, True), (6, False), (7, False)])
def test_m12b_reappointed_on_10_january_the_year_is_checked(months: int, expected: bool) -> None:
    """2026 straddles the reappointment (9 days under the first appointment): it is checked."""
    c = _reappointed({}, {"2026": months})
    found = only(check_committees(c, as_of=date(2027, 1, 1)), "M12b")
    assert bool(found) is expected
    if expected:
        assert [(v.path, v.actual) for v in found] == [("directors[1].months_worked.2026", "5个月")]
    # still in progress on 2026-12-31: not required yet
    assert not only(check_committees(c, as_of=date(2026, 12, 31)), "M12b")


def test_m12b_reappointed_two_months_in_the_year_fails() -> None:
    found = only(check_committees(_reappointed({}, {"2026": 2}), as_of=date(2027, 1, 1)), "M12b")
    assert [v.actual for v in found] == ["2个月"] and "2026" in found[0].message


@pytest.mark.parametrize(("before", "after", "expected"), [(1, 4, True), (2, 4, False), (3, 4, False)])
def test_m12b_months_under_both_appointments_add_up(before: int, after: int, expected: bool) -> None:
    c = _reappointed({"2026": before}, {"2026": after})
    found = only(check_committees(c, as_of=date(2027, 1, 1)), "M12b")
    assert bool(found) is expected
    if expected:
        assert found[0].actual == "5个月" and "共 5 个月" in found[0].message


def test_m12b_a_year_straddling_a_successor_counts_both_directors() -> None:
    # 周四 until 2025-05-31, 陈二 from 2025-06-01: 2025 is one year of the directorship
    missing = only(
        check_committees(_reappointed({"2025": None}, {}, "p2", "2025-06-01"), as_of=AS_OF), "M12b"
    )
    assert [(v.path, v.actual) for v in missing] == [("directors[1].months_worked", "未填报")]
    assert "周四" in missing[0].message and "陈二" in missing[0].message
    for later, expected in ((2, True), (3, False), (4, False)):
        c = _reappointed({"2025": 3}, {"2025": later}, "p2", "2025-06-01")
        found = only(check_committees(c, as_of=AS_OF), "M12b")
        assert bool(found) is expected, later
        if expected:
            assert found[0].path == "directors[1].months_worked.2025" and found[0].actual == "5个月"
    # the year in progress (2026) is not required; no M12c: 陈二's term runs to 2028
    found = check_committees(_reappointed({"2025": 3}, {"2025": 3}, "p2", "2025-06-01"), as_of=AS_OF)
    assert not only(found, "M12b") and not only(found, "M12c")


def test_director_years_list_the_appointments_in_office() -> None:
    c = _reappointed({}, {}, "p2", "2025-06-01")
    assert director_years(c, AS_OF) == {2024: (0,), 2025: (0, 1)}
    assert director_years(c, date(2027, 1, 1)) == {2024: (0,), 2025: (0, 1), 2026: (1,)}
    c = _reappointed({}, {}, "p4", "2026-01-01")  # the new appointment begins with the year
    assert director_years(c, date(2027, 1, 1))[2026] == (1,)


# ---------------------------------------------------------------- M12c


@pytest.mark.parametrize(
    ("as_of", "expected"), [(date(2026, 1, 8), False), (date(2026, 1, 9), False), (date(2026, 1, 10), True)]
)
def test_m12c_term_end(as_of: date, expected: bool) -> None:
    """Appointed 2023-01-10: the three-year term's last day is 2026-01-09."""
    assert bool(only(check_comm(as_of=as_of), "M12c")) is expected


def test_m12c_reappointment_clears_the_warning() -> None:
    again = {"person": "p4", "appointed": "2026-01-10", "filed": "2026-01-20", "months_worked": {}}
    doc = committees_json()
    doc["directors"].append(again)
    assert check_committees(parse_committees(doc), as_of=AS_OF) == []


# ---------------------------------------------------------------- M13a–c


def test_m13a_no_management_committee() -> None:
    found = check_comm({"management_committee": None}, as_of=date(2025, 12, 31))
    assert [(v.rule, v.severity) for v in found] == [("M13a", Severity.WARNING)]


@pytest.mark.parametrize(
    ("members", "expected"),
    [
        (["p2", "p3", "p4"], False),
        (["p2", "p3", "p5"], False),  # 2/3 from the units
        (["p2", "p3", "p5", "p6"], True),  # 2/4: half is not "mainly"
        (["p2", "p5", "p6"], True),
        (["p15", "p5", "p16"], False),  # p15 matches the co-builder by credit code
    ],
)
def test_m13b_mainly_from_host_and_co_builders(members: list[str], expected: bool) -> None:
    meetings = [{"date": f"{y}-0{m}-01", "attendees": members} for y in (2023, 2024, 2025) for m in (3, 9)]
    found = check_comm({"management_committee": {"members": members, "meetings": meetings}})
    assert bool(only(found, "M13b")) is expected


@pytest.mark.parametrize(("count", "expected"), [(1, True), (2, False), (3, False)])
def test_m13c_meetings_per_year(count: int, expected: bool) -> None:
    doc = committees_json()
    meetings = [m for m in doc["management_committee"]["meetings"] if not m["date"].startswith("2024")]
    meetings += [{"date": f"2024-0{i + 1}-15", "attendees": ["p2"]} for i in range(count)]
    doc["management_committee"]["meetings"] = meetings
    found = only(check_committees(parse_committees(doc), as_of=AS_OF), "M13c")
    assert bool(found) is expected
    if expected:
        assert found[0].actual == "2024年 1次" and found[0].path == "management_committee.meetings"


@pytest.mark.parametrize(("recognized", "expected"), [("2023-01-01", True), ("2023-01-02", False)])
def test_m13c_first_year_counts_only_when_complete(recognized: str, expected: bool) -> None:
    doc = committees_json()
    doc["center"]["recognized"] = recognized
    doc["management_committee"]["meetings"] = [
        m for m in doc["management_committee"]["meetings"] if not m["date"].startswith("2023")
    ]
    assert bool(only(check_committees(parse_committees(doc), as_of=AS_OF), "M13c")) is expected


def test_m13c_year_in_progress_is_not_flagged() -> None:
    # no 2026 meeting yet: flagged only once 2026 has ended
    assert not only(check_comm(as_of=date(2026, 12, 31)), "M13c")
    assert [v.actual for v in only(check_comm(as_of=date(2027, 1, 1)), "M13c")] == ["2026年 0次"]


# ---------------------------------------------------------------- expert committee helpers


def _term(
    members: list[str], chair: str = "p1", start: str = "2023-01-01", end: str = "2025-12-31", **extra: Any
) -> dict[str, Any]:
    years = range(int(start[:4]), int(end[:4]) + 1)
    meetings = [{"date": f"{y}-06-01", "attendees": members} for y in years]
    return {
        "start": start,
        "end": end,
        "chair": chair,
        "members": members,
        "filed": "2023-02-01",
        "meetings": meetings,
        **extra,
    }


def _one_term(members: list[str], chair: str = "p1", extra_people: int = 0) -> list[Violation]:
    doc = committees_json()
    for i in range(extra_people):
        doc["people"].append(
            {
                "id": f"x{i}",
                "name": f"专家{i}",
                "birth_date": "1970-01-01",
                "organization": f"某大学{i}",
                "category": "university",
            }
        )
    doc["expert_committee_terms"] = [_term(members, chair)]
    return check_committees(parse_committees(doc), as_of=date(2025, 12, 31))


def test_one_term_baseline_is_clean() -> None:
    assert _one_term(TERM_1) == []


def test_m14a_no_expert_committee() -> None:
    found = check_comm({"expert_committee_terms": []})
    assert [(v.rule, v.severity) for v in found if v.rule.startswith("M14")] == [("M14a", Severity.WARNING)]


# ---------------------------------------------------------------- M14b


@pytest.mark.parametrize(
    ("size", "expected"),
    [(6, True), (7, False), (8, True), (9, False), (10, True), (11, False), (12, True), (13, True)],
)
def test_m14b_size_7_to_11_and_odd(size: int, expected: bool) -> None:
    members = (OUTSIDE + [f"x{i}" for i in range(5)])[:size]
    found = _one_term(members, extra_people=5)
    assert bool(only(found, "M14b")) is expected
    assert rules(found) in ([], ["M14b"])


def test_m14b_even_sizes_allowed_when_setting_off() -> None:
    from lzcenter_desktop.domain.settings import RuleSettings

    doc = committees_json()
    doc["expert_committee_terms"] = [_term(OUTSIDE[:8])]
    c = parse_committees(doc)
    assert only(check_committees(c, as_of=date(2025, 12, 31)), "M14b")
    assert not only(
        check_committees(c, RuleSettings(expert_committee_odd=False), as_of=date(2025, 12, 31)), "M14b"
    )


# ---------------------------------------------------------------- M14c


@pytest.mark.parametrize(
    ("own", "expected"),
    [(["p2", "p3"], False), (["p2", "p3", "p15"], False), (["p2", "p3", "p15", "p16"], True)],
)
def test_m14c_one_third_from_host_and_co_builders(own: list[str], expected: bool) -> None:
    members = own + OUTSIDE[: 9 - len(own)]
    found = only(_one_term(members), "M14c")
    assert bool(found) is expected
    if expected:
        assert found[0].actual == "4/9" and found[0].required == "≤ 1/3"


def test_m14c_organization_match_by_code_or_name() -> None:
    c = parse_committees(committees_json())
    assert from_host_or_co_builder(c.person("p15"), c)  # same credit code, different name
    assert from_host_or_co_builder(c.person("p2"), c)  # same name as the host, no code
    assert not from_host_or_co_builder(c.person("p1"), c)


HOST_CENTRE = "柳州某某汽车有限公司工程技术研究中心"  # the host's own centre: a name variant


def _person(pid: str, organization: str, category: str = "center_leader", code: str | None = None) -> Any:
    p: dict[str, Any] = {
        "id": pid,
        "name": f"委员{pid}",
        "birth_date": "1970-01-01",
        "organization": organization,
        "category": category,
    }
    if code:
        p["organization_credit_code"] = code
    return p


def _with(
    people: list[Any], members: list[str], chair: str = "p1", confirmations: tuple[UnitConfirmation, ...] = ()
) -> Committees:
    doc = committees_json()
    doc["people"] += people
    doc["expert_committee_terms"] = [_term(members, chair)]
    return replace(parse_committees(doc), unit_confirmations=confirmations)


def _nine(own: list[str]) -> list[str]:
    return own + OUTSIDE[: 9 - len(own)]


BELONGS = UnitConfirmation(HOST_CENTRE, "柳州某某汽车有限公司", True)
NOT_PART = UnitConfirmation("柳州某某汽车有限公司 工程技术研究中心", "柳州某某汽车有限公司", False)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("柳州某某汽车有限公司（研究院）", "柳州某某汽车有限公司(研究院)"),
        ("柳州 某某汽车有限公司", "柳州某某汽车有限公司"),
        ("柳州某某汽车有限公司\u3000", "柳州某某汽车有限公司"),
        ("ＡＢＣ科技有限公司", "abc科技有限公司"),
    ],
)
def test_unit_names_are_compared_normalised(a: str, b: str) -> None:
    assert unit_key(a) == unit_key(b)


def test_a_written_variant_of_the_hosts_name_is_the_host() -> None:
    c = _with([_person("x1", "柳州某某汽车 有限公司")], _nine(["x1"]))
    m = unit_match(c.person("x1"), c)
    assert m is not None and m.kind is MatchKind.NAME and m.role == "依托单位"
    assert not [v for v in check_committees(c, as_of=date(2025, 12, 31)) if v.rule == "M14c"]


def test_the_hosts_own_centre_is_likely_host_side() -> None:
    c = _with(
        [_person("x1", HOST_CENTRE), _person("x2", "广西科技大学鹿山学院", "university")], _nine(["x1"])
    )
    m = unit_match(c.person("x1"), c)
    assert m is not None and m.likely and m.unit.name == "柳州某某汽车有限公司" and m.role == "依托单位"
    m = unit_match(c.person("x2"), c)
    assert m is not None and m.likely and m.role == "共建单位" and m.unit.name == "广西科技大学"
    assert from_host_or_co_builder(c.person("x1"), c)
    # the same name with another credit code is only likely the host too
    other = _with([_person("x3", "柳州某某汽车有限公司", code="91450205MA5N8R2T4M")], _nine(["x3"]))
    m = unit_match(other.person("x3"), other)
    assert m is not None and m.likely


@pytest.mark.parametrize(
    ("own", "error"),
    [(["p2", "x1"], False), (["p2", "p3", "x1"], False), (["p2", "p3", "p16", "x1"], True)],
)
def test_m14c_counts_a_likely_host_member_and_warns(own: list[str], error: bool) -> None:
    c = _with([_person("x1", HOST_CENTRE)], _nine(own))
    found = only(check_committees(c, as_of=date(2025, 12, 31)), "M14c")
    errors = [v for v in found if v.severity is Severity.ERROR]
    warnings = [v for v in found if v.severity is Severity.WARNING]
    assert bool(errors) is error
    if error:
        assert errors[0].actual == "4/9" and "委员x1（待确认）" in errors[0].message
    (w,) = warnings
    assert w.path == f"expert_committee_terms[0].members[{own.index('x1')}].organization"
    assert HOST_CENTRE in w.message and "“柳州某某汽车有限公司”" in w.message


@pytest.mark.parametrize(
    ("confirmations", "error", "warned"),
    [((), True, True), ((BELONGS,), True, False), ((NOT_PART,), False, False)],
)
def test_m14c_follows_the_clerks_confirmation(
    confirmations: tuple[UnitConfirmation, ...], error: bool, warned: bool
) -> None:
    c = _with([_person("x1", HOST_CENTRE)], _nine(["p2", "p3", "p16", "x1"]), confirmations=confirmations)
    found = only(check_committees(c, as_of=date(2025, 12, 31)), "M14c")
    assert any(v.severity is Severity.ERROR for v in found) is error
    assert any(v.severity is Severity.WARNING for v in found) is warned
    if error and not warned:
        assert "（待确认）" not in found[0].message


def test_m13b_counts_a_likely_host_member_and_warns() -> None:
    doc = committees_json()
    doc["people"].append(_person("x1", HOST_CENTRE))
    doc["management_committee"]["members"] = ["p2", "x1", "p5"]
    c = parse_committees(doc)
    found = only(check_committees(c, as_of=AS_OF), "M13b")
    assert [(v.severity, v.path) for v in found] == [
        (Severity.WARNING, "management_committee.members[1].organization")
    ]
    assert HOST_CENTRE in found[0].message and "柳州某某汽车有限公司”" in found[0].message
    denied = replace(c, unit_confirmations=(NOT_PART,))
    found = only(check_committees(denied, as_of=AS_OF), "M13b")
    assert [(v.severity, v.actual) for v in found] == [(Severity.ERROR, "1/3")]


def test_m15a_a_likely_host_chair_is_flagged_until_the_clerk_says_otherwise() -> None:
    c = _with([_person("x1", HOST_CENTRE, "university")], _nine(["x1"]), chair="x1")
    (v,) = only(check_committees(c, as_of=date(2025, 12, 31)), "M15a")
    assert v.severity is Severity.ERROR and HOST_CENTRE in v.message and "待确认" in v.message
    assert "“柳州某某汽车有限公司”" in v.message
    denied = replace(c, unit_confirmations=(NOT_PART,))
    assert not only(check_committees(denied, as_of=date(2025, 12, 31)), "M15a")


# ---------------------------------------------------------------- M14d


def test_m14d_other_category_is_flagged_for_review() -> None:
    members = [*OUTSIDE[:8], "p15"]  # p15: category "other"
    found = _one_term(members)
    assert [(v.rule, v.severity, v.path) for v in found] == [
        ("M14d", Severity.WARNING, "expert_committee_terms[0].members[8]")
    ]


@pytest.mark.parametrize(
    ("category", "flagged"),
    [
        ("host", False),
        ("co_builder", False),
        ("center_leader", False),
        ("university", False),
        ("other", True),
    ],
)
def test_m14d_host_and_co_builder_members_are_allowed(category: str, flagged: bool) -> None:
    """第十四条 allows host and co-building unit members (up to 1/3, M14c): not 请复核."""
    organization = {"host": "柳州某某汽车有限公司", "co_builder": "广西科技大学"}.get(category, "某某大学")
    c = _with([_person("x1", organization, category)], _nine(["x1"]))
    found = only(check_committees(c, as_of=date(2025, 12, 31)), "M14d")
    assert bool(found) is flagged
    if flagged:
        assert found[0].path == "expert_committee_terms[0].members[0]" and "请复核" in found[0].message


# ---------------------------------------------------------------- M14e


@pytest.mark.parametrize(
    ("end", "expected"), [("2025-12-30", False), ("2025-12-31", False), ("2026-01-01", True)]
)
def test_m14e_term_length(end: str, expected: bool) -> None:
    """A three-year term from 2023-01-01 ends at the latest on 2025-12-31; one day more is flagged."""
    found = check_comm(
        {"expert_committee_terms[0].end": end, "expert_committee_terms[1].start": "2026-01-03"}
    )
    assert bool(only(found, "M14e")) is expected


@pytest.mark.parametrize(("as_of", "expected"), [(date(2028, 12, 31), False), (date(2029, 1, 1), True)])
def test_m14e_last_term_ended_without_renewal(as_of: date, expected: bool) -> None:
    found = only(check_comm(as_of=as_of), "M14e")
    assert bool(found) is expected
    if expected:
        assert found[0].severity is Severity.WARNING and found[0].path == "expert_committee_terms[1].end"


# ---------------------------------------------------------------- M14f


@pytest.mark.parametrize(
    ("second", "expected"),
    [
        (["p1", "p2", "p3", "p5", "p6", "p7", "p10", "p11", "p12"], True),  # replaced 2/9
        (TERM_2, False),  # replaced 3/9 = 1/3 exactly
        (["p1", "p2", "p3", "p5", "p6", "p11", "p12", "p13", "p14"], False),  # 4/9
    ],
)
def test_m14f_one_third_replaced(second: list[str], expected: bool) -> None:
    doc = committees_json()
    doc["expert_committee_terms"][1]["members"] = second
    doc["expert_committee_terms"][1]["meetings"][0]["attendees"] = second
    found = only(check_committees(parse_committees(doc), as_of=AS_OF), "M14f")
    assert bool(found) is expected
    if expected:
        assert found[0].actual == "2/9" and found[0].path == "expert_committee_terms[1].members"


# ---------------------------------------------------------------- M15a–c


def test_m15a_chair_from_host_or_co_builder() -> None:
    found = only(_one_term(["p2", *OUTSIDE[:8]], chair="p2"), "M15a")
    assert len(found) == 1 and found[0].path == "expert_committee_terms[0].chair"
    assert only(_one_term(["p15", *OUTSIDE[:8]], chair="p15"), "M15a")  # by credit code
    assert not only(_one_term(TERM_1, chair="p5"), "M15a")


def _terms_with_chairs(chairs: list[str]) -> list[Violation]:
    doc = committees_json()
    pools = [TERM_1, TERM_2]
    terms = []
    for i, chair in enumerate(chairs):
        members = list(pools[i % 2])
        start = f"{2023 + 3 * i}-01-01"
        end = f"{2025 + 3 * i}-12-31"
        terms.append(_term(members, chair, start, end))
    doc["expert_committee_terms"] = terms
    return check_committees(parse_committees(doc), as_of=date(2023 + 3 * len(chairs), 1, 1))


@pytest.mark.parametrize(
    ("chairs", "flagged"),
    [
        (["p1", "p1"], []),
        (["p1", "p1", "p1"], [2]),
        (["p1", "p1", "p1", "p1"], [2, 3]),
        (["p1", "p5", "p1"], []),
        (["p1", "p1", "p5", "p1", "p1"], []),
        (["p1", "p1", "p5", "p1", "p1", "p1"], [5]),
    ],
)
def test_m15b_consecutive_chair_terms(chairs: list[str], flagged: list[int]) -> None:
    found = only(_terms_with_chairs(chairs), "M15b")
    assert [v.path for v in found] == [f"expert_committee_terms[{i}].chair" for i in flagged]


def test_m15b_third_consecutive_term_in_the_example() -> None:
    doc = committees_json()
    doc["expert_committee_terms"].append(_term(TERM_1, "p1", "2029-01-01", "2031-12-31"))
    found = check_committees(parse_committees(doc), as_of=AS_OF)
    assert [(v.rule, v.path) for v in found if v.severity is Severity.ERROR] == [
        ("M15b", "expert_committee_terms[2].chair")
    ]
    assert "连续第3届" in only(found, "M15b")[0].message


def test_m15c_not_filed() -> None:
    found = check_comm({"expert_committee_terms[1].filed": None})
    assert [(v.rule, v.severity, v.path) for v in only(found, "M15c")] == [
        ("M15c", Severity.WARNING, "expert_committee_terms[1].filed")
    ]


# ---------------------------------------------------------------- M16a–b


def test_m16a_a_year_without_meeting() -> None:
    doc = committees_json()
    del doc["expert_committee_terms"][0]["meetings"][1]  # 2024
    found = only(check_committees(parse_committees(doc), as_of=AS_OF), "M16a")
    assert [v.actual for v in found] == ["2024年 0次"]


def test_m16a_year_in_progress_and_first_partial_year() -> None:
    doc = committees_json()
    doc["expert_committee_terms"][1]["meetings"] = []
    c = parse_committees(doc)
    assert not only(check_committees(c, as_of=date(2026, 12, 31)), "M16a")
    assert [v.actual for v in only(check_committees(c, as_of=date(2027, 1, 1)), "M16a")] == ["2026年 0次"]
    doc = committees_json()
    doc["expert_committee_terms"][0]["start"] = "2023-01-02"
    del doc["expert_committee_terms"][0]["meetings"][0]  # 2023 is not a complete year of the term
    assert not only(check_committees(parse_committees(doc), as_of=AS_OF), "M16a")


def _march_terms(meetings_2026: list[tuple[int, str]], second_start: str = "2026-03-01") -> Any:
    """Terms starting in March: 2023-03-01 – 2026-02-28 and ``second_start`` – 2029-02-28; a meeting
    in every other year; the 2026 meetings given as (term index, date)."""
    doc = committees_json()
    first = _term(TERM_1, "p1", "2023-03-01", "2026-02-28")
    second = _term(TERM_2, "p1", second_start, "2029-02-28")
    first["meetings"] = [m for m in first["meetings"] if m["date"][:4] in ("2023", "2024", "2025")]
    second["meetings"] = [m for m in second["meetings"] if m["date"][:4] in ("2027", "2028")]
    for i, day in meetings_2026:
        (first, second)[i]["meetings"].append({"date": day, "attendees": [TERM_1, TERM_2][i]})
    doc["expert_committee_terms"] = [first, second]
    return parse_committees(doc)


def test_m16a_years_straddling_a_change_of_term_are_checked() -> None:
    """Terms starting in March: 2026 lies in two terms and is checked like any other year."""
    c = _march_terms([])
    assert list(expert_meeting_years(c, date(2029, 6, 1))) == [2024, 2025, 2026, 2027, 2028]
    assert expert_meeting_years(c, date(2029, 6, 1))[2026] == 1  # reported under the term at the year's end
    found = only(check_committees(c, as_of=date(2029, 6, 1)), "M16a")
    assert [(v.actual, v.path) for v in found] == [("2026年 0次", "expert_committee_terms[1].meetings")]
    assert not only(check_committees(_march_terms([(0, "2026-02-10")]), as_of=date(2029, 6, 1)), "M16a")
    assert not only(check_committees(_march_terms([(1, "2026-06-10")]), as_of=date(2029, 6, 1)), "M16a")


@pytest.mark.parametrize(
    ("meetings", "expected"),
    [
        ([(0, "2026-02-10")], True),  # 1 meeting, 2 required
        ([(0, "2026-02-10"), (1, "2026-06-10")], False),  # one in each term: 2
        ([(0, "2026-02-10"), (1, "2026-06-10"), (1, "2026-10-10")], False),
    ],
)
def test_m16a_meetings_of_consecutive_terms_in_one_year_add_up(
    meetings: list[tuple[int, str]], expected: bool
) -> None:
    from lzcenter_desktop.domain.settings import RuleSettings

    settings = RuleSettings(expert_min_meetings=2)
    c = _march_terms(meetings)
    years = [v.actual[:4] for v in only(check_committees(c, settings, as_of=date(2027, 1, 1)), "M16a")]
    assert ("2026" in years) is expected


@pytest.mark.parametrize(
    ("second_start", "checked_2026"), [("2026-02-28", True), ("2026-03-01", True), ("2026-03-02", False)]
)
def test_m16a_a_gap_between_terms_restarts_the_span(second_start: str, checked_2026: bool) -> None:
    """The first term ends 2026-02-28: a term from 2026-03-01 (or overlapping) continues the span; one
    from 2026-03-02 leaves a day without a committee, and 2026 is no longer a complete year of it."""
    c = _march_terms([], second_start)
    years = expert_meeting_years(c, date(2029, 6, 1))
    assert (2026 in years) is checked_2026
    assert 2027 in years and 2025 in years
    found = only(check_committees(c, as_of=date(2029, 6, 1)), "M16a")
    assert ("2026年 0次" in [v.actual for v in found]) is checked_2026


def test_m16a_years_after_the_last_term_are_not_checked() -> None:
    c = _march_terms([(1, "2026-06-10")])
    assert max(expert_meeting_years(c, date(2031, 6, 1))) == 2028


def test_m13c_every_year_since_recognition_is_checked() -> None:
    c = parse_committees(committees_json())  # recognised 2022-12-01
    assert management_meeting_years(c, AS_OF) == [2023, 2024, 2025]
    assert management_meeting_years(c, date(2027, 1, 1)) == [2023, 2024, 2025, 2026]
    doc = committees_json()
    doc["management_committee"] = None
    assert management_meeting_years(parse_committees(doc), AS_OF) == []


@pytest.mark.parametrize(("present", "expected"), [(5, True), (6, False), (7, False)])
def test_m16b_two_thirds_attendance(present: int, expected: bool) -> None:
    found = check_comm({"expert_committee_terms[0].meetings[1].attendees": TERM_1[:present]})
    assert bool(only(found, "M16b")) is expected
    if expected:
        v = only(found, "M16b")[0]
        assert v.path == "expert_committee_terms[0].meetings[1].attendees" and v.actual == "5/9"


def test_m16b_non_members_do_not_count() -> None:
    found = check_comm({"expert_committee_terms[0].meetings[1].attendees": [*TERM_1[:5], "p4", "p16"]})
    assert only(found, "M16b")[0].actual == "5/9"


def test_m16b_counted_against_the_term_in_force() -> None:
    # a meeting listed under term 1 but held in 2026 counts against term 2's members
    doc = committees_json()
    doc["expert_committee_terms"][0]["meetings"].append({"date": "2026-03-01", "attendees": TERM_1[3:]})
    found = only(check_committees(parse_committees(doc), as_of=AS_OF), "M16b")
    # 6 of term 1's 9 members would pass; only p5, p6, p7 are members of term 2
    assert [v.actual for v in found] == ["3/9"]


def _joined(day: date, attendees: list[str]) -> Committees:
    """The second term (2026-01-01 – 2028-12-31, 9 members) with 韩十四 (p14) joining on ``day``
    (届中增补) and its 2026-06-01 meeting attended by ``attendees``."""
    c = parse_committees(committees_json())
    first, second = c.expert_committee_terms
    second = replace(
        second,
        members=(*second.members, "p14"),
        joined=(("p14", day),),
        meetings=(Meeting(date(2026, 6, 1), tuple(attendees)),),
    )
    return replace(c, expert_committee_terms=(first, second))


SIX = ["p1", "p2", "p3", "p5", "p6", "p7"]  # 6 of the second term's 9 original members: exactly 2/3


@pytest.mark.parametrize(
    ("joined", "actual"),
    [
        (date(2026, 5, 31), "6/10"),  # joined the day before the meeting: on its roster, 6/10 < 2/3
        (date(2026, 6, 1), "6/10"),  # joined on the meeting's day: on its roster
        (date(2026, 6, 2), None),  # joined the day after: not on it, 6/9 = 2/3
    ],
)
def test_m16b_a_member_counts_from_the_day_they_joined(joined: date, actual: str | None) -> None:
    found = only(check_committees(_joined(joined, SIX), as_of=AS_OF), "M16b")
    assert [v.actual for v in found] == ([actual] if actual else [])
    if actual:
        assert found[0].path == "expert_committee_terms[1].meetings[0].attendees"
        assert "韩十四" not in found[0].message  # in office on the day: nothing to explain


def test_m16b_a_member_who_joined_later_is_named_and_not_counted_present() -> None:
    """Present at a meeting held before joining: neither on the roster nor present for it."""
    found = only(check_committees(_joined(date(2026, 6, 2), [*SIX[:5], "p14"]), as_of=AS_OF), "M16b")
    assert [v.actual for v in found] == ["5/9"]
    assert "（按会议当日在任的 9 名委员计，韩十四于会后增补，不计入）" in found[0].message
    # joined that very day: on the roster and counted present (6 of 10)
    on_the_day = only(check_committees(_joined(date(2026, 6, 1), [*SIX[:5], "p14"]), as_of=AS_OF), "M16b")
    assert [v.actual for v in on_the_day] == ["6/10"]


def test_m16b_a_first_day_on_or_before_the_term_start_means_from_the_start() -> None:
    c = _joined(date(2025, 12, 31), SIX)
    assert [v.actual for v in only(check_committees(c, as_of=AS_OF), "M16b")] == ["6/10"]
    assert joined_on(c.expert_committee_terms[1], "p14") == date(2026, 1, 1)
    assert "p14" in meeting_roster(c, 1, date(2026, 1, 1))


def test_m16b_a_meeting_outside_every_term_counts_the_roster_of_its_nearest_day() -> None:
    """Listed under the second term but held after it (no later term): its roster on its last day."""
    c = _joined(date(2028, 12, 31), SIX)
    assert term_in_force(c, date(2029, 1, 5)) is None
    assert "p14" in meeting_roster(c, 1, date(2029, 1, 5))
    assert "p14" not in meeting_roster(c, 1, date(2028, 12, 30))
    assert "p14" not in meeting_roster(c, 1, date(2025, 6, 1))  # before it: the roster of its start


def test_violations_sorted_in_catalog_order() -> None:
    found = check_comm(
        {"expert_committee_terms[1].filed": None, "directors[0].filed": None, "management_committee": None}
    )
    assert rules(found) == ["M11", "M12c", "M13a", "M15c"]
