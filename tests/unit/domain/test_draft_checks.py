"""Checks of a declaration draft (domain/draft_checks.py): required fields, the completed copy the rule
engine judges, row remapping, the staff totals, the ``DUP`` warning and the clerk's names of rules
and places — all pure, no database."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest

from lzcenter_desktop import paths
from lzcenter_desktop.domain import draft_checks as dc
from lzcenter_desktop.domain.formdef import FormDef, get_path, load_form_text
from lzcenter_desktop.domain.settings import DEFAULT_SETTINGS, RuleSettings
from lzcenter_desktop.domain.violations import Severity, Violation

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "examples" / "declaration-enterprise.json"
FORM: FormDef = load_form_text((paths.forms_dir() / "declaration-2026.toml").read_text(encoding="utf-8"))
ASCII_WORD = re.compile(r"[A-Za-z_]{2,}")  # an internal key (``name_zh``, ``staff``, ``DUP``)


@pytest.fixture
def example() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    return data


def staff_rows(n: int) -> list[dict[str, Any]]:
    return [
        {
            "name": f"研发人员{i:02d}",
            "birth_date": "1980-01-01",
            "degree": "本科",
            "title": "中级",
            "tech_leader": i == 0,
        }
        for i in range(n)
    ]


def check(document: dict[str, Any], settings: RuleSettings = DEFAULT_SETTINGS) -> list[Violation]:
    return dc.check_document(document, form=FORM, settings=settings)


def rules(violations: list[Violation]) -> set[str]:
    return {v.rule for v in violations}


# -- required fields ---------------------------------------------------------------------------


def test_the_example_has_no_violation(example: dict[str, Any]) -> None:
    assert check(example) == []
    assert dc.required_field_violations(FORM, example) == []


def test_a_blank_draft_lists_every_required_field_in_chinese() -> None:
    found = dc.required_field_violations(FORM, dc.empty_document(2026))
    paths_ = {v.path for v in found}
    assert {"application_date", "center.name_zh", "host.credit_code", "staff", "investments"} <= paths_
    assert {"host.cto.name", "previous_revocation_date", "co_builders"}.isdisjoint(paths_)  # optional
    assert all(v.rule == dc.FORM_RULE and v.severity is Severity.ERROR for v in found)
    name = next(v for v in found if v.path == "center.name_zh")
    assert name.message == "请填写“中心名称（中文）”（中心基本信息）"
    assert all(not ASCII_WORD.search(v.message) for v in found)


@pytest.mark.parametrize("blank", [None, "", "   ", "\u3000"])
def test_white_space_is_blank(example: dict[str, Any], blank: Any) -> None:
    example["center"]["name_zh"] = blank
    found = dc.required_field_violations(FORM, example)
    assert [v.path for v in found] == ["center.name_zh"]


def test_a_blank_field_silences_the_rules_that_would_judge_a_stand_in(example: dict[str, Any]) -> None:
    example["application_date"] = None
    found = check(example)
    assert [v.path for v in found if v.rule == dc.FORM_RULE] == ["application_date"]
    assert not any(v.rule.startswith(("D9.4", "D9.6b", "D9.7", "D25")) for v in found)


@pytest.mark.parametrize(("rows", "flagged"), [(2, True), (3, False), (4, False)])
def test_minimum_row_count(example: dict[str, Any], rows: int, flagged: bool) -> None:
    example["investments"] = [{"year": 2023 + i % 3, "amount_yuan": 2_000_000} for i in range(rows)]
    found = [v for v in dc.required_field_violations(FORM, example) if v.path == "investments"]
    assert bool(found) is flagged
    if flagged:
        assert found[0].message == "“申报前三年建设运行经费投入”至少应填写 3 行，现有 2 行"
        assert (found[0].actual, found[0].required) == ("2行", "≥ 3行")


def test_row_complete() -> None:
    columns = FORM.table("staff").columns
    full = staff_rows(1)[0]
    assert dc.row_complete(full, columns)
    assert not dc.row_complete(dict(full, degree=None), columns)
    assert not dc.row_complete(dict(full, name=" "), columns)
    assert not dc.row_complete("研发人员", columns)  # not a row at all
    optional = FORM.table("projects").columns  # end_date is optional
    row = {"name": "项目", "level": "national", "role": "lead", "approved_date": "2025-01-01"}
    assert dc.row_complete(row, optional)


# -- the completed copy and its row map --------------------------------------------------------


def test_incomplete_row_is_flagged_on_its_cell_and_not_counted(example: dict[str, Any]) -> None:
    example["staff"] = staff_rows(8)
    example["staff"][2]["degree"] = None
    found = check(example)
    assert {v.path for v in found if v.rule == dc.FORM_RULE} == {"staff[2].degree"}
    assert "D9.3a" in rules(found)  # 7 complete rows


def test_completed_copy_leaves_incomplete_rows_out_and_maps_the_rest_back() -> None:
    doc = dc.empty_document(2026)
    doc["staff"] = staff_rows(4)
    doc["staff"][1]["name"] = ""
    copy_, maps = dc.completed_copy(FORM, doc)
    assert [r["name"] for r in copy_["staff"]] == ["研发人员00", "研发人员02", "研发人员03"]
    assert maps["staff"] == {0: 0, 1: 2, 2: 3}
    assert doc["staff"][1]["name"] == ""  # the draft itself is untouched
    assert copy_["application_date"] == "2026-01-01"  # a blank date gets a stand-in
    assert copy_["host"]["cto"] is None


def test_remap_path() -> None:
    maps = {"staff": {0: 0, 1: 2}, "center.equipment": {0: 1}}
    assert dc.remap_path("staff[1].degree", maps) == "staff[2].degree"
    assert dc.remap_path("staff[1]", maps) == "staff[2]"
    assert dc.remap_path("staff[5].name", maps) == "staff[5].name"  # not in the map: unchanged
    assert dc.remap_path("center.equipment[0].name", maps) == "center.equipment[1].name"
    assert dc.remap_path("staff", maps) == "staff"
    assert dc.remap_path("host.credit_code", maps) == "host.credit_code"


def test_violation_on_later_row_keeps_its_row_index(example: dict[str, Any]) -> None:
    example["co_builders"] = [
        {"name": "广西某某大学", "credit_code": None, "kind": "university"},
        {"name": "柳州某某研究院", "credit_code": "12450200XXXXXXXXXX", "kind": "institute"},
    ]
    found = check(example)
    assert "co_builders[0].credit_code" in {v.path for v in found if v.rule == dc.FORM_RULE}
    assert "co_builders[1].credit_code" in {v.path for v in found if v.rule == "D9.1a"}


def test_a_value_of_the_wrong_shape_is_a_format_error_on_its_own_row(example: dict[str, Any]) -> None:
    example["staff"].insert(0, dict(staff_rows(1)[0], degree=None))  # incomplete: left out of the copy
    example["staff"][4]["degree"] = "college"
    found = check(example)
    shape = [v for v in found if v.rule == dc.FORMAT_RULE]
    assert [v.path for v in shape] == ["staff[4].degree"]
    assert shape[0].severity is Severity.ERROR and shape[0].message.startswith("格式不正确：")


def test_covered() -> None:
    v = Violation("D9.4a", "第九条（四）", Severity.ERROR, "center.rd_org_established", "m", "", "")
    assert dc.covered(v, {"application_date"})  # D9.4 waits for the application date
    assert dc.covered(v, {"center.rd_org_established"})
    assert not dc.covered(v, {"center.name_zh"})
    cell = Violation("D9.3b", "第九条（三）", Severity.ERROR, "staff[2].degree", "m", "", "")
    assert dc.covered(cell, {"staff"}) and dc.covered(cell, {"staff[2]"})
    assert not dc.covered(cell, {"staff[2].degre"})  # a prefix of a key is not the field


def test_a_recorded_revocation_decides_d25(example: dict[str, Any]) -> None:
    from datetime import date

    recent = dc.RecordedRevocation(date(2025, 1, 1), "柳科发〔2025〕1号", "柳州某某中心")
    assert "D25" in rules(dc.check_document(example, form=FORM, settings=DEFAULT_SETTINGS, revocation=recent))
    assert "D25" not in rules(check(example))


# -- staff totals ------------------------------------------------------------------------------


@pytest.mark.parametrize(("n", "flagged"), [(7, True), (8, False), (9, False)])
def test_staff_count_boundary(example: dict[str, Any], n: int, flagged: bool) -> None:
    example["staff"] = staff_rows(n)
    assert ("D9.3a" in rules(check(example))) is flagged
    totals = dc.staff_totals(example, DEFAULT_SETTINGS)
    assert totals.count == n and totals.bachelor == n and totals.leaders == 1


@pytest.mark.parametrize(("distinct", "repeats", "count"), [(7, 1, 7), (8, 0, 8), (8, 1, 8), (9, 0, 9)])
def test_staff_totals_count_a_repeated_row_once(distinct: int, repeats: int, count: int) -> None:
    """7 people and one row typed twice are 7, as D9.3a counts them (not the 8 of the bound)."""
    doc = dc.empty_document(2026)
    doc["staff"] = staff_rows(distinct) + [dict(r, name=f" {r['name']} ") for r in staff_rows(repeats)]
    totals = dc.staff_totals(doc, DEFAULT_SETTINGS)
    assert totals.count == count and totals.leaders == 1


def test_staff_totals_text() -> None:
    doc = dc.empty_document(2026)
    doc["staff"] = staff_rows(10)
    for row in doc["staff"][:1]:
        row["degree"] = "大专"
    for row in doc["staff"][:4]:
        row["title"] = "初级"
    totals = dc.staff_totals(doc, DEFAULT_SETTINGS)
    assert totals.text() == (
        "研发人员 10 人（要求 ≥ 8 人），本科及以上 90%（要求 ≥ 80%），"
        "中级职称以上 60%（要求 ≥ 40%），技术带头人 1 人"
    )


def test_staff_totals_of_an_empty_or_broken_table() -> None:
    doc = dc.empty_document(2026)
    assert dc.staff_totals(doc, DEFAULT_SETTINGS).bachelor_share == 0
    doc["staff"] = ["not a row", None]
    assert dc.staff_totals(doc, DEFAULT_SETTINGS).count == 0
    doc["staff"] = None
    assert dc.staff_totals(doc, DEFAULT_SETTINGS).count == 0


# -- the same host twice -----------------------------------------------------------------------


@pytest.mark.parametrize(("clash", "copies"), [((), None), ((4,), "2份"), ((9, 4), "3份")])
def test_duplicate_host(example: dict[str, Any], clash: tuple[int, ...], copies: str | None) -> None:
    found = dc.duplicate_host_violations(example, "91450205MA5N8R2T4M", clash)
    if copies is None:
        assert found == []
        return
    (v,) = found
    assert (v.rule, v.article, v.severity, v.path) == (
        dc.DUPLICATE_RULE,
        "第十条（一）",
        Severity.WARNING,
        "host.credit_code",
    )
    assert v.actual == copies and v.required == "每年度1份"
    ids = "（第 4 号）" if len(clash) == 1 else "（第 4 号、第 9 号）"  # in order
    assert f"91450205MA5N8R2T4M 在 2026 年度已有申报书{ids}" in v.message


def test_host_code_and_name_key(example: dict[str, Any]) -> None:
    example["host"]["credit_code"] = " 91450205ma5n8r2t4m "
    assert dc.host_code(example) == "91450205MA5N8R2T4M"
    example["host"]["credit_code"] = None
    assert dc.host_code(example) == ""
    assert dc.name_key(" 柳州 某某（公司）\u3000") == dc.name_key("柳州某某(公司)")
    assert dc.name_key(None) == "" and dc.name_key(3) == ""


# -- the working document ----------------------------------------------------------------------


def test_set_path_creates_objects_on_the_way() -> None:
    doc = dc.empty_document(2026)
    assert doc["host"]["cto"] is None
    dc.set_path(doc, "host.cto.name", "张三")
    assert doc["host"]["cto"] == {"name": "张三"}
    dc.set_path(doc, "center.name_zh", "中心")
    assert get_path(doc, "center.name_zh") == "中心"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2026-05-20", (2026, 5, 20)), ("2026-02-30", None), ("", None), (None, None), (20260520, None)],
)
def test_parse_iso(value: Any, expected: tuple[int, int, int] | None) -> None:
    day = dc.parse_iso(value)
    assert (None if day is None else (day.year, day.month, day.day)) == expected


def test_empty_document_is_a_fresh_copy_each_time() -> None:
    a, b = dc.empty_document(2026), dc.empty_document(2026)
    a["staff"].append({})
    assert b["staff"] == [] and a["call_year"] == 2026


# -- what a clerk reads ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "label", "reference"),
    [
        (dc.FORM_RULE, "必填", "必填"),
        (dc.FORMAT_RULE, "格式", "格式"),
        (dc.DUPLICATE_RULE, "重复申报", "重复申报（第十条（一））"),
        ("D9.5b", "D9.5b", "D9.5b（第九条（五））"),
        ("D9.3a", "D9.3a", "D9.3a（第九条（三））"),
        ("X1", "X1", "X1"),  # not in the catalog: as it is, with no made-up article
    ],
)
def test_rule_label_and_reference(rule: str, label: str, reference: str) -> None:
    assert dc.rule_label(rule) == label
    assert dc.rule_reference(rule) == reference


@pytest.mark.parametrize(
    ("path", "label"),
    [
        ("center.name_zh", "中心名称（中文）"),
        ("application_date", "申报日期"),
        ("staff", "研发人员"),
        ("staff[0]", "研发人员 第 1 行"),
        ("staff[2].degree", "研发人员 第 3 行 学历"),
        ("center.equipment[1].value_yuan", "主要科研仪器设备 第 2 行 原值（元）"),
        ("center.industry_fields[1]", "重点产业领域"),
        ("host.cto", "首席技术官姓名"),  # a path above the fields: its first field
        ("somewhere.else", "申报书"),  # never the internal path
    ],
)
def test_path_label(path: str, label: str) -> None:
    assert dc.path_label(FORM, path) == label


def test_no_place_of_any_violation_is_named_by_its_internal_path(example: dict[str, Any]) -> None:
    blank = dc.empty_document(2026)
    broken = copy.deepcopy(example)
    broken["staff"] = [*staff_rows(7), dict(staff_rows(1)[0], birth_date=None)]
    broken["center"]["equipment"] = []
    for doc in (blank, broken):
        for v in check(doc):
            assert not ASCII_WORD.search(dc.path_label(FORM, v.path)), v.path
