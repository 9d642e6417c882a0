"""ui/param_text.py: parameter values as a clerk types them."""

from __future__ import annotations

from fractions import Fraction

import pytest

from lzcenter_desktop.domain.settings import DEFAULT_SETTINGS, PARAMETERS, SettingsError
from lzcenter_desktop.ui.param_text import (
    format_tiers,
    format_value,
    parse_bool,
    parse_int,
    parse_ratio,
    parse_strings,
    parse_tiers,
    parse_value,
)


@pytest.mark.parametrize("info", PARAMETERS, ids=lambda p: p.name)
def test_every_default_round_trips(info) -> None:
    value = getattr(DEFAULT_SETTINGS, info.name)
    assert parse_value(info, format_value(info, value)) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [("8", 8), (" 8 ", 8), ("5,000,000", 5_000_000), ("5，000，000", 5_000_000), ("-1", -1), ("0", 0)],
)
def test_parse_int(text: str, value: int) -> None:
    assert parse_int("min_staff", text) == value


@pytest.mark.parametrize("text", ["", "abc", "8.5", "八", "1e3"])
def test_parse_int_rejects(text: str) -> None:
    with pytest.raises(SettingsError, match="固定研究开发人员最少人数"):
        parse_int("min_staff", text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("80%", Fraction(4, 5)),
        ("80", Fraction(4, 5)),
        ("80％", Fraction(4, 5)),
        ("33.3%", Fraction(333, 1000)),
        ("1/3", Fraction(1, 3)),
        ("2／3", Fraction(2, 3)),
        ("0%", Fraction(0)),
        ("100%", Fraction(1)),
        ("100.1%", Fraction(1001, 1000)),  # out of range is the domain's call, not the parser's
    ],
)
def test_parse_ratio(text: str, value: Fraction) -> None:
    assert parse_ratio("min_bachelor_share", text) == value


@pytest.mark.parametrize("text", ["", "八成", "1/0", "1/3%", "a/b", "%"])
def test_parse_ratio_rejects(text: str) -> None:
    with pytest.raises(SettingsError, match="大学本科及以上学历人员最低占比"):
        parse_ratio("min_bachelor_share", text)


def test_parse_bool() -> None:
    assert parse_bool("expert_committee_odd", "是") is True
    assert parse_bool("expert_committee_odd", "否") is False
    with pytest.raises(SettingsError, match="应为“是”或“否”"):
        parse_bool("expert_committee_odd", "对")


def test_parse_strings() -> None:
    assert parse_strings("key_industries", "汽车、钢铁，机械 化工") == ("汽车", "钢铁", "机械", "化工")
    with pytest.raises(SettingsError, match="至少应有一项"):
        parse_strings("key_industries", " 、 ")


def test_tiers_text() -> None:
    tiers = ((50_000_000, Fraction(1, 20)), (200_000_000, Fraction(1, 25)), (None, Fraction(3, 100)))
    assert format_tiers(tiers) == "5000万元及以下：5%；20000万元及以下：4%；其余：3%"
    assert parse_tiers("rd_intensity_tiers", "5000万元及以下：5%;20000万元以下:4%\n其余：3%") == tiers
    assert parse_tiers("rd_intensity_tiers", "50000000元：5%；其余：3%")[0] == (50_000_000, Fraction(1, 20))
    assert format_tiers(((12_345, Fraction(1, 10)), (None, Fraction(0)))) == "12345元及以下：10%；其余：0%"


@pytest.mark.parametrize("text", ["", "五千万：5%", "5000万元及以下 5%", "0.00001万元：5%；其余：3%"])
def test_parse_tiers_rejects(text: str) -> None:
    with pytest.raises(SettingsError, match="研发费用总额占销售收入总额最低比例"):
        parse_tiers("rd_intensity_tiers", text)
