"""RuleSettings: Measures defaults, JSON round trip, Chinese errors naming the parameter."""

from __future__ import annotations

import json
from dataclasses import fields, replace
from fractions import Fraction

import pytest

from lzcenter_desktop.domain.catalog import RULES
from lzcenter_desktop.domain.settings import (
    DEFAULT_SETTINGS,
    PARAMETERS,
    RuleSettings,
    SettingsError,
    format_fraction,
)


def test_defaults_equal_the_measures() -> None:
    s = DEFAULT_SETTINGS
    assert (s.min_staff, s.min_bachelor_share, s.min_intermediate_title_share) == (
        8,
        Fraction(4, 5),
        Fraction(2, 5),
    )
    assert (s.min_plan_projects, s.min_achievements, s.recent_years) == (2, 5, 3)
    assert (s.min_floor_area_m2, s.min_investment_yuan, s.min_operating_years) == (300, 5_000_000, 2)
    assert (s.expert_committee_min_size, s.expert_committee_max_size, s.expert_committee_odd) == (7, 11, True)
    assert (s.expert_max_own_share, s.expert_min_replacement_share) == (Fraction(1, 3), Fraction(1, 3))
    assert (s.chair_max_consecutive_terms, s.director_max_age, s.director_min_months) == (2, 60, 6)
    assert (s.director_term_years, s.expert_term_years) == (3, 3)
    assert (s.management_min_meetings, s.expert_min_meetings, s.min_attendance_share) == (
        2,
        1,
        Fraction(2, 3),
    )
    assert (s.reapply_wait_years, s.pass_score, s.expert_score_weight, s.site_score_weight) == (
        2,
        60,
        Fraction(1, 2),
        Fraction(1, 2),
    )
    assert (s.public_notice_days, s.rectification_months, s.evaluation_interval_years) == (7, 12, 3)
    assert (s.grade_excellent_min, s.grade_qualified_min, s.grade_rectify_min) == (90, 70, 60)
    assert s.annual_report_due == "12-31"


def test_rd_intensity_tiers() -> None:
    s = DEFAULT_SETTINGS
    assert s.rd_intensity_required(50_000_000) == Fraction(5, 100)
    assert s.rd_intensity_required(50_000_001) == Fraction(4, 100)
    assert s.rd_intensity_required(200_000_000) == Fraction(4, 100)
    assert s.rd_intensity_required(200_000_001) == Fraction(3, 100)


def test_json_round_trip() -> None:
    d = DEFAULT_SETTINGS.to_json_dict()
    text = json.dumps(d, ensure_ascii=False)
    assert RuleSettings.from_json_dict(json.loads(text)) == DEFAULT_SETTINGS
    assert d["min_bachelor_share"] == "4/5"
    assert d["rd_intensity_tiers"] == [[50000000, "1/20"], [200000000, "1/25"], [None, "3/100"]]
    custom = replace(
        DEFAULT_SETTINGS, min_staff=10, expert_max_own_share=Fraction(1, 4), key_industries=("汽车",)
    )
    assert RuleSettings.from_json_dict(json.loads(json.dumps(custom.to_json_dict()))) == custom


def test_missing_keys_take_defaults() -> None:
    assert RuleSettings.from_json_dict({}) == DEFAULT_SETTINGS
    assert RuleSettings.from_json_dict({"min_staff": 9}).min_staff == 9


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ({"min_staff": "8"}, "固定研究开发人员最少人数"),
        ({"min_staff": -1}, "不能为负数"),
        ({"min_staff": True}, "应为整数"),
        ({"min_bachelor_share": "5/4"}, "0%到100%"),
        ({"min_bachelor_share": 0.8}, "分子/分母"),
        ({"min_bachelor_share": "abc"}, "无法识别"),
        ({"min_bachelor_share": "1/0"}, "无法识别"),
        ({"annual_report_due": "13-01"}, "月-日"),
        ({"annual_report_due": "02-30"}, "不存在"),
        ({"expert_committee_min_size": 12}, "最少人数不能大于最多人数"),
        ({"expert_committee_min_size": 8, "expert_committee_max_size": 8}, "单数"),
        ({"expert_score_weight": "3/5"}, "权重之和"),
        ({"grade_qualified_min": 95}, "优秀 > 合格 > 整改"),
        ({"key_industries": []}, "至少应有一项"),
        ({"key_industries": ["汽车", "汽车"]}, "重复"),
        ({"rd_intensity_tiers": [[None, "1/20"], [100, "1/25"]]}, "第1档的销售收入上限应为非负整数元"),
        ({"rd_intensity_tiers": [[100, "1/20"]]}, "最后一档"),
        ({"rd_intensity_tiers": [[200, "1/20"], [100, "1/25"], [None, "1/50"]]}, "逐档递增"),
        ({"recent_years": 0}, "应大于0"),
        ({"no_such": 1}, "未知的参数"),
    ],
)
def test_bad_values_raise_settings_error(data: dict[str, object], fragment: str) -> None:
    with pytest.raises(SettingsError) as info:
        RuleSettings.from_json_dict(data)
    assert fragment in str(info.value)
    assert str(info.value).startswith("参数")


def test_settings_error_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        RuleSettings(min_staff=-1)
    with pytest.raises(SettingsError):
        RuleSettings.from_json_dict([1, 2])


def test_parameters_describe_every_field() -> None:
    names = [f.name for f in fields(RuleSettings)]
    assert sorted(p.name for p in PARAMETERS) == sorted(names)
    ids = {r.id for r in RULES}
    for p in PARAMETERS:
        assert p.label and p.article.startswith("第") and p.rules
        assert set(p.rules) <= ids, p.name
        assert p.kind in {"int", "fraction", "bool", "tiers", "month_day", "strings"}


def test_catalog_params_are_real_fields() -> None:
    names = {f.name for f in fields(RuleSettings)}
    for rule in RULES:
        assert set(rule.params) <= names, rule.id


def test_format_fraction() -> None:
    assert format_fraction(Fraction(4, 5)) == "80%"
    assert format_fraction(Fraction(1, 3)) == "1/3"
    assert format_fraction(Fraction(3, 8)) == "37.5%"


@pytest.mark.parametrize(
    ("name", "value", "ok"),
    [
        ("min_staff", 0, False),
        ("min_staff", 1, True),
        ("min_floor_area_m2", 0, False),
        ("pass_score", 0, False),
        ("pass_score", 100, True),
        ("pass_score", 101, False),
        ("director_min_months", 0, False),
        ("director_min_months", 12, True),
        ("director_min_months", 13, False),
        ("director_max_age", 100, True),
        ("director_max_age", 101, False),
        ("reapply_wait_years", 0, False),
    ],
)
def test_values_the_measures_cannot_mean_are_refused_by_name(name: str, value: int, ok: bool) -> None:
    from lzcenter_desktop.domain.settings import SettingsError

    if ok:
        assert getattr(RuleSettings(**{name: value}), name) == value
        return
    with pytest.raises(SettingsError) as info:
        RuleSettings(**{name: value})
    message = str(info.value)
    assert message.startswith("参数“") and name not in message  # the Chinese name, never the code
