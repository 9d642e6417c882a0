"""第三章 rules of the declaration's own form: D10.2 (who signs), D25 (applying again after a
revocation), D26 (the centre's names) — each just below, at and just above its bound, starting
from the public example and changing one field at a time."""

from __future__ import annotations

from datetime import date

import pytest
from rule_fixtures import check_decl, declaration, only, rules

from lzcenter_desktop.domain.application_rules import fullwidth_brackets
from lzcenter_desktop.domain.eligibility import check_declaration
from lzcenter_desktop.domain.violations import Severity, has_errors

# ---------------------------------------------------------------- D10.2


def test_d10_2_signed_by_someone_else() -> None:
    found = check_decl({"signature.name": "张三"})
    assert [(v.rule, v.path, v.actual, v.required) for v in found] == [
        ("D10.2", "signature.name", "张三", "黄工")
    ]


@pytest.mark.parametrize(("role", "label"), [("legal_representative", "法定代表人"), ("other", "其他")])
def test_d10_2_signed_in_another_role(role: str, label: str) -> None:
    found = check_decl({"signature.role": role})
    assert [(v.rule, v.path, v.actual, v.required) for v in found] == [
        ("D10.2", "signature.role", label, "首席技术官")
    ]
    assert role not in found[0].message and label in found[0].message


@pytest.mark.parametrize(
    ("filed", "late"), [("2026-06-07", False), ("2026-06-08", False), ("2026-06-09", True)]
)
def test_d10_2_cto_filed_on_or_before_signing(filed: str, late: bool) -> None:
    # the example is signed on 2026-06-08 and applied for on 2026-06-10
    found = check_decl({"host.cto.filing_date": filed})
    assert [(v.rule, v.path) for v in found] == ([("D10.2", "signature.date")] if late else [])
    if late:
        v = found[0]
        assert v.severity is Severity.ERROR and "晚于申请书签字日期 2026-06-08" in v.message
        assert (v.actual, v.required) == ("备案日期 2026-06-09", "备案日期 ≤ 签字日期 2026-06-08")


def test_d10_2_signature_date_moves_the_bound() -> None:
    assert check_decl({"host.cto.filing_date": "2026-06-09", "signature.date": "2026-06-09"}) == []
    found = check_decl({"signature.date": "2025-03-11"})  # filed 2025-03-12
    assert [(v.rule, v.path) for v in found] == [("D10.2", "signature.date")]


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


def test_d26_ascii_brackets_are_a_typing_slip() -> None:
    typed = "柳州工程机械智能制造工程技术研究中心(柳州某某重工股份有限公司)"
    found = check_decl({"center.name_zh": typed})
    assert [(v.rule, v.path, v.severity) for v in found] == [("D26", "center.name_zh", Severity.WARNING)]
    fixed = "柳州工程机械智能制造工程技术研究中心（柳州某某重工股份有限公司）"
    assert "已按全角括号保存" in found[0].message and (found[0].actual, found[0].required) == (typed, fixed)
    assert not has_errors(found)
    # the corrected name is still checked: a unit that is not the host is an error
    found = check_decl({"center.name_zh": "柳州工程机械工程技术研究中心(别的公司)"})
    assert [v.severity for v in found] == [Severity.WARNING, Severity.ERROR]


@pytest.mark.parametrize(
    "name",
    [
        "柳州工程机械工程技术研究中心(柳州某某重工股份有限公司）",
        "柳州工程机械工程技术研究中心（柳州某某重工股份有限公司)",
        "柳州工程机械工程技术研究中心(柳州某某(集团)重工股份有限公司)",
        "柳州工程机械工程技术研究中心（柳州某某（集团）重工股份有限公司）",
        "柳州工程机械工程技术研究中心)柳州某某重工股份有限公司(",
    ],
)
def test_d26_mixed_or_nested_brackets_stay_errors(name: str) -> None:
    found = check_decl({"center.name_zh": name})
    assert [(v.rule, v.severity) for v in found] == [("D26", Severity.ERROR)]
    assert fullwidth_brackets(name) == name


def test_fullwidth_brackets() -> None:
    assert fullwidth_brackets("柳州X工程技术研究中心(某公司)") == "柳州X工程技术研究中心（某公司）"
    assert fullwidth_brackets("柳州X工程技术研究中心（某公司）") == "柳州X工程技术研究中心（某公司）"
    assert fullwidth_brackets("柳州X工程技术研究中心") == "柳州X工程技术研究中心"


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
