"""The Qt-free parts of the wizard (issue 12 items 2 and 5): a typed or pasted date is read like
Excel reads it, within 1900–2100; a violation is placed only where it is shown yet; what a clerk
reads names a rule as 必填 / 格式 / 重复申报 or by the catalog's ID, never by an internal code."""

from __future__ import annotations

import pytest

from lzcenter_desktop.domain.formdef import FieldDef
from lzcenter_desktop.domain.violations import Severity, Violation
from lzcenter_desktop.services import declarations as d
from lzcenter_desktop.ui.declarations.editors import rule_label, violation_text
from lzcenter_desktop.ui.declarations.flags import path_label, place
from lzcenter_desktop.ui.declarations.values import BadValue, parse_text

BIRTH = FieldDef(key="birth_date", label="出生日期", type="date", required=True)


@pytest.mark.parametrize(
    "typed",
    [
        "2026-05-20",
        "2026/5/20",
        "2026.5.20",
        "20260520",
        "2026年5月20日",
        " 2026-5-20 ",
        "２０２６－０５－２０",
    ],
)
def test_a_date_is_read_as_excel_reads_it(typed: str) -> None:
    assert parse_text(BIRTH, typed) == "2026-05-20"


def test_a_blank_date_is_none() -> None:
    assert parse_text(BIRTH, "  ") is None


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1900-01-01", "1900-01-01"),  # the first year taken
        ("2100-12-31", "2100-12-31"),  # the last
        ("2024-02-29", "2024-02-29"),  # a leap day
    ],
)
def test_dates_at_the_bounds_are_taken(typed: str, expected: str) -> None:
    assert parse_text(BIRTH, typed) == expected


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("1899-12-31", "年份应在 1900—2100 年之间"),  # just below
        ("2101-01-01", "年份应在 1900—2100 年之间"),  # just above
        ("2026-02-29", "这一天不存在（2026年2月没有29日）"),  # not a leap year
        ("2026-13-01", "这一天不存在"),
        ("明天", "不是日期"),
    ],
)
def test_what_is_not_a_date_says_why_and_names_the_field(typed: str, why: str) -> None:
    with pytest.raises(BadValue) as info:
        parse_text(BIRTH, typed)
    assert str(info.value).startswith(f"“出生日期”：“{typed}”")
    assert why in str(info.value)


def v(rule: str, path: str, severity: Severity = Severity.ERROR, **kw: str) -> Violation:
    return Violation(
        rule, kw.get("article", "第九条（三）"), severity, path, kw.get("message", "m"), "a", "r"
    )


def test_place_keeps_back_what_is_not_shown_yet_and_counts_it_per_section() -> None:
    form = d.load_declaration_form(2026)
    violations = [
        v(d.FORM_RULE, "center.name_zh"),
        v(d.FORM_RULE, "staff"),
        v(d.FORM_RULE, "staff[0].name"),
        v("D9.3a", "staff"),
        v("D12", "host.cto"),  # above the fields host.cto.name / filing_no / filing_date
    ]
    shown = {"staff", "host.cto.filing_no"}
    p = place(form, violations, lambda key, _v: key in shown)
    assert [x.rule for x in p.hidden["center"]] == [d.FORM_RULE]
    assert [(x.rule, x.path) for x in p.tables["staff"]] == [(d.FORM_RULE, "staff"), ("D9.3a", "staff")]
    assert list(p.cells["staff"]) == [(0, 0)]
    assert [x.rule for x in p.fields["host.cto.filing_no"]] == ["D12"]  # on the one visible field
    assert "host.cto.name" not in p.fields
    assert sum(len(x) for x in p.hidden.values()) == 1
    everything = place(form, violations)  # without a test: everything shown, nothing kept back
    assert not everything.hidden and [x.rule for x in everything.fields["host.cto.name"]] == ["D12"]


def test_a_place_the_form_does_not_name_is_never_shown_as_its_path() -> None:
    form = d.load_declaration_form(2026)
    assert path_label(form, "staff[2].degree") == "研发人员 第 3 行 学历"
    assert path_label(form, "somewhere.else") == "申报书"


def test_rules_are_named_as_a_clerk_reads_them() -> None:
    form_error = Violation(
        d.FORM_RULE,
        "申报表",
        Severity.ERROR,
        "center.name_zh",
        "请填写“中心名称（中文）”（中心基本信息）",
        "（空）",
        "必填",
    )
    assert rule_label(form_error) == "必填"
    assert violation_text(form_error) == "必填：请填写“中心名称（中文）”（中心基本信息）"
    rows = Violation(
        d.FORM_RULE,
        "申报表",
        Severity.ERROR,
        "investments",
        "“申报前三年建设运行经费投入”至少应填写 3 行，现有 1 行",
        "1行",
        "≥ 3行",
    )
    assert violation_text(rows) == "必填：“申报前三年建设运行经费投入”至少应填写 3 行，现有 1 行"
    dup = Violation(
        d.DUPLICATE_RULE, "第十条（一）", Severity.WARNING, "host.credit_code", "重复", "2份", "每年度1份"
    )
    assert (
        violation_text(dup)
        == f"{Severity.WARNING.label} 重复申报 第十条（一）：重复（实际：2份；要求：每年度1份）"
    )
    shape = Violation(
        d.FORMAT_RULE, "交换格式", Severity.ERROR, "staff[0]", "格式不正确：x", "", "符合交换格式"
    )
    assert violation_text(shape) == f"{Severity.ERROR.label} 格式：格式不正确：x（要求：符合交换格式）"
    rule = v("D9.3a", "staff", message="固定研究开发人员 7 人")
    assert (
        violation_text(rule)
        == f"{Severity.ERROR.label} D9.3a 第九条（三）：固定研究开发人员 7 人（实际：a；要求：r）"
    )
