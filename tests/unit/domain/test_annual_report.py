"""The 工作年报 (第二十一条): its form, the ``lzcenter.annual-report/1`` document and its pure checks."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from lzcenter_desktop.domain.annual_report import (
    ANNUAL_REPORT_FORMAT,
    FORM_RULE,
    annual_report_to_json,
    check_annual_report_document,
    parse_annual_report,
)
from lzcenter_desktop.domain.formdef import FormDef, load_form_text
from lzcenter_desktop.domain.interchange import FormatError
from lzcenter_desktop.domain.settings import RuleSettings
from lzcenter_desktop.domain.violations import Severity, Violation
from lzcenter_desktop.paths import forms_dir

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "examples" / "annual-report-2026.json"


@pytest.fixture(scope="module")
def form() -> FormDef:
    return load_form_text((forms_dir() / "annual-report-2026.toml").read_text(encoding="utf-8"))


def example() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    return data


def check(data: dict[str, Any], form: FormDef, settings: RuleSettings | None = None) -> list[Violation]:
    doc = parse_annual_report(data, form)
    return check_annual_report_document(doc, form, *([settings] if settings else []))


def rules(violations: list[Violation]) -> list[tuple[str, str]]:
    return [(v.rule, v.path) for v in violations]


# ------------------------------------------------------------------ the form


def test_the_form_is_the_annual_report_of_article_21(form: FormDef) -> None:
    assert form.kind == "annual-report" and form.call_year == 2026
    assert form.interchange_format == ANNUAL_REPORT_FORMAT
    assert [s.title for s in form.sections] == [
        "中心与依托单位",
        "研发人员",
        "科研项目",
        "成果产出",
        "经费",
        "资产与条件",
        "开放课题与共享仪器",
        "主任与委员会",
        "依托单位考核与审核",
    ]
    assert [c.key for c in form.table("staff").columns] == [
        "name",
        "birth_date",
        "degree",
        "title",
        "full_time",
    ]
    assert form.table("outputs").column("carries_center_name").type == "bool"
    assert form.field("director.months_at_center").type == "int"
    assert form.field("host_assessment.result").required and form.field("host_review.reviewer").required


# ------------------------------------------------------------------ round trip and shape


def test_the_example_round_trips_and_has_no_problem(form: FormDef) -> None:
    data = example()
    doc = parse_annual_report(data, form)
    back = annual_report_to_json(doc, form)
    assert json.dumps(back, ensure_ascii=False) == json.dumps(data, ensure_ascii=False)  # same order too
    assert parse_annual_report(back, form) == doc
    assert check_annual_report_document(doc, form) == []
    assert doc.value("director.months_at_center") == 10
    assert doc.rows("outputs")[1].get("number") is None


def _refused(data: object, form: FormDef) -> FormatError:
    with pytest.raises(FormatError) as info:
        parse_annual_report(data, form)
    return info.value


def test_format_key_must_name_the_annual_report(form: FormDef) -> None:
    data = example()
    data["format"] = "lzcenter.declaration/1"
    err = _refused(data, form)
    assert err.path == "format" and "工作年报" in err.detail
    assert _refused([], form).path == "(根)"


def test_unknown_and_missing_keys_name_the_path(form: FormDef) -> None:
    data = example()
    data["funding"]["rd_spend_yuan"] = 1
    assert _refused(data, form).path == "funding.rd_spend_yuan"
    data = example()
    del data["director"]["name"]
    err = _refused(data, form)
    assert err.path == "director.name" and "缺少" in err.detail
    data = example()
    del data["staff"][1]["full_time"]
    assert _refused(data, form).path == "staff[1].full_time"


def test_wrong_types_and_enumerations_are_refused(form: FormDef) -> None:
    data = example()
    data["outputs"][0]["kind"] = "paper"
    err = _refused(data, form)
    assert err.path == "outputs[0].kind" and "'paper'" in err.detail
    data = example()
    data["staff"][0]["full_time"] = "是"
    assert _refused(data, form).path == "staff[0].full_time"
    data = example()
    data["host_review"]["date"] = "2026-02-30"
    assert _refused(data, form).path == "host_review.date"
    data = example()
    data["conditions"] = []
    assert _refused(data, form).path == "conditions"


@pytest.mark.parametrize(
    ("path", "key"),
    [
        (("funding",), "rd_spent_yuan"),
        (("conditions",), "floor_area_m2"),
        (("open_topics", 0), "funding_yuan"),
        (("shared_instruments", 0), "external_uses"),
        (("management_meetings", 0), "attendees"),
        (("director",), "months_at_center"),
    ],
)
@pytest.mark.parametrize(("value", "ok"), [(-1, False), (0, True), (1, True)])
def test_counts_and_amounts_are_never_negative(
    form: FormDef, path: tuple[Any, ...], key: str, value: int, ok: bool
) -> None:
    data = example()
    node: Any = data
    for step in path:
        node = node[step]
    node[key] = value
    if ok:
        parse_annual_report(data, form)
    else:
        err = _refused(data, form)
        assert err.path.endswith(key) and "负数" in err.detail


@pytest.mark.parametrize(("months", "ok"), [(11, True), (12, True), (13, False)])
def test_director_months_are_at_most_twelve(form: FormDef, months: int, ok: bool) -> None:
    data = example()
    data["director"]["months_at_center"] = months
    if ok:
        assert parse_annual_report(data, form).value("director.months_at_center") == months
    else:
        err = _refused(data, form)
        assert err.path == "director.months_at_center" and "12" in err.detail


@pytest.mark.parametrize(("attendees", "ok"), [(8, True), (9, True), (10, False)])
def test_expert_attendance_cannot_exceed_the_members(form: FormDef, attendees: int, ok: bool) -> None:
    data = example()
    data["expert_meetings"][0]["attendees"] = attendees
    if ok:
        parse_annual_report(data, form)
    else:
        assert _refused(data, form).path == "expert_meetings[0].attendees"


@pytest.mark.parametrize(("year", "ok"), [(1999, False), (2000, True), (2100, True), (2101, False)])
def test_report_year_bounds(form: FormDef, year: int, ok: bool) -> None:
    data = example()
    data["year"] = year
    if ok:
        assert parse_annual_report(data, form).year == year
    else:
        assert _refused(data, form).path == "year"


def test_control_characters_are_refused(form: FormDef) -> None:
    data = example()
    data["host_review"]["reviewer"] = "赵\x07六"
    err = _refused(data, form)
    assert err.path == "host_review.reviewer" and "U+0007" in err.detail


# ------------------------------------------------------------------ checks


def test_required_blanks_are_reported_with_labels(form: FormDef) -> None:
    data = example()
    data["host_review"]["reviewer"] = "  "
    data["funding"]["rd_spent_yuan"] = None
    data["outputs"][0]["title"] = ""
    data["staff"] = []
    found = check(data, form)
    assert rules(found) == [
        (FORM_RULE, "staff"),
        (FORM_RULE, "outputs[0].title"),
        (FORM_RULE, "funding.rd_spent_yuan"),
        (FORM_RULE, "host_review.reviewer"),
    ]
    assert "依托单位审核人" in found[-1].message
    assert all(v.severity is Severity.ERROR and "_" not in v.message for v in found)


def test_e21b_host_assessment_result_must_be_present(form: FormDef) -> None:
    data = example()
    data["host_assessment"]["result"] = None
    found = check(data, form)
    assert rules(found) == [("E21b", "host_assessment.result")]
    assert found[0].article == "第二十一条" and "依托单位年度考核结果" in found[0].message
    data["host_assessment"]["result"] = " "
    assert rules(check(data, form)) == [("E21b", "host_assessment.result")]


@pytest.mark.parametrize(
    ("value", "ok"),
    [("2025-12-31", False), ("2026-01-01", True), ("2026-12-31", True), ("2027-01-01", False)],
)
@pytest.mark.parametrize(
    "path",
    [
        ("outputs", 0, "date"),
        ("management_meetings", 1, "date"),
        ("expert_meetings", 0, "date"),
    ],
)
def test_dates_fall_within_the_report_year(
    form: FormDef, path: tuple[Any, ...], value: str, ok: bool
) -> None:
    data = example()
    node: Any = data
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    found = [v for v in check(data, form) if v.rule == FORM_RULE]
    dotted = ".".join(f"[{p}]" if isinstance(p, int) else p for p in path).replace(".[", "[")
    if ok:
        assert found == []
    else:
        assert rules(found) == [(FORM_RULE, dotted)]
        assert "不在 2026 年度内" in found[0].message


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("2025-12-31", False),
        ("2026-01-01", True),
        ("2027-01-01", True),
        ("2027-12-31", True),
        ("2028-01-01", False),
    ],
)
@pytest.mark.parametrize("path", [("host_assessment", "date"), ("host_review", "date")])
def test_the_hosts_assessment_and_review_may_follow_the_year(
    form: FormDef, path: tuple[str, str], value: str, ok: bool
) -> None:
    """A late report (逾期报送, filed in January) is reviewed in January: the next year is fine."""
    data = example()
    data[path[0]][path[1]] = value
    found = [v for v in check(data, form) if v.rule == FORM_RULE]
    if ok:
        assert found == []
    else:
        assert rules(found) == [(FORM_RULE, ".".join(path))]
        assert "不在 2026 年度或次年内" in found[0].message


def test_birth_and_approval_dates_are_not_bound_to_the_year(form: FormDef) -> None:
    data = example()
    assert data["staff"][0]["birth_date"] < "2026" and data["projects"][0]["approved_date"] < "2026"
    assert check(data, form) == []


@pytest.mark.parametrize(("months", "flagged"), [(5, True), (6, False), (7, False), (0, True)])
def test_m12b_director_months_below_the_bound(form: FormDef, months: int, flagged: bool) -> None:
    data = example()
    data["director"]["months_at_center"] = months
    found = check(data, form)
    if flagged:
        assert rules(found) == [("M12b", "director.months_at_center")]
        assert found[0].actual == f"{months}个月" and found[0].required == "≥ 6个月"
    else:
        assert found == []


def test_m12b_follows_the_rule_set(form: FormDef) -> None:
    data = example()
    data["director"]["months_at_center"] = 8
    assert rules(check(data, form, RuleSettings(director_min_months=9))) == [
        ("M12b", "director.months_at_center")
    ]
    assert check(data, form, RuleSettings(director_min_months=8)) == []


@pytest.mark.parametrize(("meetings", "flagged"), [(1, True), (2, False), (3, False)])
def test_m13c_management_committee_meetings(form: FormDef, meetings: int, flagged: bool) -> None:
    data = example()
    data["management_meetings"] = [{"date": f"2026-0{m + 1}-10", "attendees": 4} for m in range(meetings)]
    found = check(data, form)
    assert rules(found) == ([("M13c", "management_meetings")] if flagged else [])


def test_m13c_counts_only_meetings_of_the_year(form: FormDef) -> None:
    data = example()
    data["management_meetings"][0]["date"] = "2025-12-31"
    assert [v.rule for v in check(data, form)] == [FORM_RULE, "M13c"]


@pytest.mark.parametrize(("meetings", "flagged"), [(0, True), (1, False), (2, False)])
def test_m16a_expert_committee_meetings(form: FormDef, meetings: int, flagged: bool) -> None:
    data = example()
    data["expert_meetings"] = [
        {"date": f"2026-0{m + 1}-10", "members": 9, "attendees": 9} for m in range(meetings)
    ]
    found = check(data, form)
    assert rules(found) == ([("M16a", "expert_meetings")] if flagged else [])


@pytest.mark.parametrize(("attendees", "flagged"), [(5, True), (6, False), (7, False)])
def test_m16b_attendance_at_two_thirds(form: FormDef, attendees: int, flagged: bool) -> None:
    data = example()
    data["expert_meetings"][0] = {"date": "2026-06-20", "members": 9, "attendees": attendees}
    found = check(data, form)
    if flagged:
        assert rules(found) == [("M16b", "expert_meetings[0].attendees")]
        assert found[0].actual == f"{attendees}/9"
    else:
        assert found == []


def test_parsing_does_not_change_the_input(form: FormDef) -> None:
    data = example()
    before = copy.deepcopy(data)
    parse_annual_report(data, form)
    assert data == before
