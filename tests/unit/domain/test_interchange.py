"""Strict parsing of the interchange format and the lossless way back."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rule_fixtures import DELETE, committees_json, declaration_json, set_path

from lzcenter_desktop.domain.interchange import (
    FormatError,
    committees_to_json,
    declaration_to_json,
    parse_committees,
    parse_declaration,
    parse_document,
)
from lzcenter_desktop.domain.model import Committees, Declaration, Degree


def _dumps(d: object) -> str:
    return json.dumps(d, ensure_ascii=False)


def test_declaration_round_trip_is_lossless() -> None:
    j = declaration_json()
    decl = parse_declaration(j)
    assert _dumps(declaration_to_json(decl)) == _dumps(j)  # same keys, same order
    assert parse_declaration(declaration_to_json(decl)) == decl
    assert decl.staff[0].degree is Degree.DOCTOR
    assert decl.achievements[3].number is None


def test_committees_round_trip_is_lossless() -> None:
    j = committees_json()
    c = parse_committees(j)
    assert _dumps(committees_to_json(c)) == _dumps(j)
    assert parse_committees(committees_to_json(c)) == c
    assert c.person("p15").organization_credit_code == "12450000498503229M"
    assert c.directors[0].months_in(2024) == 9 and c.directors[0].months_in(2026) is None


def test_optional_keys_round_trip() -> None:
    j = declaration_json()
    j["achievements"][0]["transferred"] = True
    j["host"]["cto"] = None
    assert declaration_to_json(parse_declaration(j)) == j
    c = committees_json()
    c["management_committee"] = None
    c["directors"][0]["filed"] = None
    assert committees_to_json(parse_committees(c)) == c


def test_project_end_date_is_optional() -> None:
    """Files without ``end_date`` (all files before it existed) stay valid; null means not given."""
    j = declaration_json()
    assert all("end_date" not in p for p in j["projects"])
    assert parse_declaration(j).projects[0].end_date is None
    j["projects"][0]["end_date"] = None
    assert parse_declaration(j).projects[0].end_date is None
    out: Any = declaration_to_json(parse_declaration(j))
    assert "end_date" not in out["projects"][0]
    j["projects"][0]["end_date"] = "2027-06-30"
    decl = parse_declaration(j)
    assert decl.projects[0].end_date == date(2027, 6, 30)
    out = declaration_to_json(decl)
    assert out == j and list(out["projects"][0]) == ["name", "level", "role", "approved_date", "end_date"]
    assert parse_declaration(out) == decl


def test_parse_document_dispatches_on_format() -> None:
    assert isinstance(parse_document(declaration_json()), Declaration)
    assert isinstance(parse_document(committees_json()), Committees)


def _error(doc: dict[str, Any], path: str, value: Any, parse: Any = parse_declaration) -> FormatError:
    set_path(doc, path, value)
    with pytest.raises(FormatError) as info:
        parse(doc)
    return info.value


def test_enumeration_error_matches_the_documented_text() -> None:
    err = _error(declaration_json(), "staff[3].degree", "college")
    assert str(err) == "staff[3].degree: 'college' is not one of 博士, 硕士, 本科, 大专, 其他"
    assert err.path == "staff[3].degree"


@pytest.mark.parametrize(
    ("path", "value", "expected_path", "fragment"),
    [
        ("staff[0].title", "高级", "staff[0].title", "is not one of 正高级, 副高级, 中级, 初级, 无"),
        ("host.kind", "company", "host.kind", "is not one of enterprise, university, institute, other"),
        ("projects[0].level", "province", "projects[0].level", "national, region, city, county"),
        ("projects[0].role", 1, "projects[0].role", "应为字符串"),
        ("achievements[0].kind", "paper", "achievements[0].kind", "is not one of"),
        ("cooperation[0].kind", "x", "cooperation[0].kind", "project, agreement"),
        ("signature.role", "ceo", "signature.role", "cto, legal_representative, other"),
        ("application_date", "2026-02-30", "application_date", "不是有效日期"),
        ("application_date", "2026/06/10", "application_date", "YYYY-MM-DD"),
        ("application_date", "20260610", "application_date", "YYYY-MM-DD"),
        ("application_date", "1899-12-31", "application_date", "年份范围"),
        ("center.rd_org_established", None, "center.rd_org_established", "应为日期字符串"),
        ("call_year", "2026", "call_year", "应为整数"),
        ("call_year", True, "call_year", "应为整数"),
        ("center.floor_area_m2", "420", "center.floor_area_m2", "应为数字"),
        ("center.floor_area_m2", -1, "center.floor_area_m2", "不能为负数"),
        ("investments[0].amount_yuan", 1.5, "investments[0].amount_yuan", "应为整数"),
        ("investments[0].amount_yuan", -1, "investments[0].amount_yuan", "应不小于 0"),
        ("investments[1].year", 2023, "investments[1].year", "年份 2023 重复"),
        ("staff[2].tech_leader", "yes", "staff[2].tech_leader", "布尔值"),
        ("staff", {}, "staff", "应为列表"),
        ("staff[1]", [], "staff[1]", "JSON 对象"),
        ("staff[1].nmae", "x", "staff[1].nmae", "未知的键"),
        ("staff[1].name", DELETE, "staff[1].name", "缺少必填的键"),
        ("center.industry_fields[0]", 3, "center.industry_fields[0]", "应为字符串"),
        ("achievements[3].transferred", True, "achievements[3].transferred", "只有发明专利"),
        ("host.cto.filing_date", "2025-13-01", "host.cto.filing_date", "不是有效日期"),
        ("projects[1].end_date", "2025-02-30", "projects[1].end_date", "不是有效日期"),
        ("projects[1].end_date", 20250301, "projects[1].end_date", "应为日期字符串"),
        ("projects[1].end_data", "2025-03-01", "projects[1].end_data", "未知的键"),
        ("extra", 1, "extra", "未知的键"),
        ("signature", DELETE, "signature", "缺少必填的键"),
        ("format", "lzcenter.declaration/2", "format", "不是支持的格式"),
    ],
)
def test_declaration_shape_errors_name_the_path(
    path: str, value: Any, expected_path: str, fragment: str
) -> None:
    err = _error(declaration_json(), path, value)
    assert err.path == expected_path
    assert fragment in str(err)
    assert str(err).startswith(expected_path + ": ")


@pytest.mark.parametrize(
    ("path", "value", "expected_path", "fragment"),
    [
        ("directors[0].person", "p99", "directors[0].person", "未知的人员编号 'p99'"),
        (
            "expert_committee_terms[0].members[2]",
            "p99",
            "expert_committee_terms[0].members[2]",
            "未知的人员编号",
        ),
        (
            "expert_committee_terms[1].meetings[0].attendees[0]",
            "q",
            "expert_committee_terms[1].meetings[0].attendees[0]",
            "未知的人员编号",
        ),
        ("management_committee.members[0]", 7, "management_committee.members[0]", "人员编号（字符串）"),
        ("expert_committee_terms[0].chair", "p4", "expert_committee_terms[0].chair", "不在本届委员名单"),
        ("expert_committee_terms[0].members[1]", "p1", "expert_committee_terms[0].members[1]", "重复"),
        ("people[1].id", "p1", "people[1].id", "人员编号 'p1' 重复"),
        ("people[0].category", "expert", "people[0].category", "is not one of university, institute"),
        ("directors[0].months_worked.2024", 13, "directors[0].months_worked.2024", "应不大于 12"),
        ("directors[0].months_worked.abcd", 1, "directors[0].months_worked.abcd", "四位年份"),
        ("directors[0].months_worked", [], "directors[0].months_worked", "JSON 对象"),
        ("expert_committee_terms[0].end", "2022-12-31", "expert_committee_terms[0].end", "早于开始日"),
        ("expert_committee_terms[1].start", "2022-01-01", "expert_committee_terms[1].start", "时间先后"),
        ("center.recognized", "2022-02-29", "center.recognized", "不是有效日期"),
        ("co_builders[0].credit_code", 5, "co_builders[0].credit_code", "应为字符串"),
    ],
)
def test_committees_shape_errors_name_the_path(
    path: str, value: Any, expected_path: str, fragment: str
) -> None:
    err = _error(committees_json(), path, value, parse_committees)
    assert err.path == expected_path
    assert fragment in str(err)


def test_not_the_format() -> None:
    for data in ([], "x", None, 3, {}, {"format": 1}, {"format": "something/1"}):
        with pytest.raises(FormatError):
            parse_document(data)
    with pytest.raises(FormatError) as info:
        parse_declaration(committees_json())
    assert info.value.path == "format"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_arbitrary_json_raises_only_format_error(data: object) -> None:
    try:
        parse_document(data)
    except FormatError as exc:
        assert exc.path and str(exc)


def _mutations(doc: Any, prefix: str = "") -> list[str]:
    paths: list[str] = []
    if isinstance(doc, dict):
        for k, v in doc.items():
            p = f"{prefix}.{k}" if prefix else k
            paths.append(p)
            paths += _mutations(v, p)
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            p = f"{prefix}[{i}]"
            paths.append(p)
            paths += _mutations(v, p)
    return paths


DECL_PATHS = _mutations(declaration_json())
COMM_PATHS = _mutations(committees_json())


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(DECL_PATHS + COMM_PATHS), json_values)
def test_one_field_replaced_by_arbitrary_json_never_crashes(path: str, value: object) -> None:
    doc = declaration_json() if path in DECL_PATHS else committees_json()
    if path not in _mutations(doc):
        doc = committees_json()
    set_path(doc, path, value)
    try:
        parse_document(doc)
    except FormatError as exc:
        assert exc.path


# ---------------------------------------------------------------- one strict value model (issue 10 item 3)


def _parse_with(path: str, value: Any) -> Declaration:
    return parse_declaration(set_path(declaration_json(), path, value))


@pytest.mark.parametrize(("year", "ok"), [(1999, False), (2000, True), (2100, True), (2101, False)])
def test_call_year_bounds_are_the_services(year: int, ok: bool) -> None:
    """check and import accept the same call years (1999 used to pass check and fail import)."""
    from lzcenter_desktop.services.declarations import MAX_CALL_YEAR, MIN_CALL_YEAR

    assert (MIN_CALL_YEAR, MAX_CALL_YEAR) == (2000, 2100)
    if ok:
        assert _parse_with("call_year", year).call_year == year
    else:
        with pytest.raises(FormatError, match="call_year"):
            _parse_with("call_year", year)


@pytest.mark.parametrize(
    ("amount", "ok"),
    [
        (999_999_999_999_998, True),
        (999_999_999_999_999, True),
        (1_000_000_000_000_000, False),
        (2**63, False),
    ],
)
def test_amounts_fit_the_database_and_excel(amount: int, ok: bool) -> None:
    if ok:
        assert _parse_with("investments[0].amount_yuan", amount).investments[0].amount_yuan == amount
    else:
        with pytest.raises(FormatError, match=r"investments\[0\]\.amount_yuan: 应不大于 999999999999999"):
            _parse_with("investments[0].amount_yuan", amount)


def test_the_money_bound_is_the_excel_readers() -> None:
    from lzcenter_desktop.documents.xlsx.cells import MAX_MONEY_YUAN
    from lzcenter_desktop.domain.interchange import MAX_AMOUNT_YUAN

    assert MAX_MONEY_YUAN == MAX_AMOUNT_YUAN


@pytest.mark.parametrize("text", ["2026-05-20\n", " 2026-05-20", "2026-05-20 ", "2026-5-20"])
def test_a_date_with_anything_around_it_is_not_a_date(text: str) -> None:
    with pytest.raises(FormatError, match="application_date"):
        _parse_with("application_date", text)


def test_a_year_key_with_a_newline_is_not_a_year() -> None:
    doc = committees_json()
    doc["directors"][0]["months_worked"] = {"2024\n": 10}
    with pytest.raises(FormatError, match="四位年份"):
        parse_committees(doc)


@pytest.mark.parametrize(
    ("char", "ok"),
    [
        ("\t", True),
        ("\x07", False),
        ("\x1f", False),
        (" ", True),
        ("\x7f", False),
        ("\x9f", False),
        ("\xa0", True),
        ("\udfff", False),
        ("\ud800", False),
        ("\ue000", True),
    ],
)
def test_control_characters_and_lone_surrogates_are_refused_with_the_field(char: str, ok: bool) -> None:
    name = f"柳州某某{char}重工股份有限公司"
    if ok:
        assert _parse_with("host.name", name).host.name == name
        return
    with pytest.raises(FormatError) as info:
        _parse_with("host.name", name)
    assert info.value.path == "host.name" and f"U+{ord(char):04X}" in info.value.detail
    assert "第 5 个字符" in info.value.detail
    str(info.value).encode("utf-8")  # printable: the message never carries the character itself


def test_a_bad_character_in_a_key_never_reaches_the_message() -> None:
    doc = declaration_json()
    doc["\udfff"] = 1
    with pytest.raises(FormatError) as info:
        parse_declaration(doc)
    assert "U+DFFF" in str(info.value)
    str(info.value).encode("utf-8")
