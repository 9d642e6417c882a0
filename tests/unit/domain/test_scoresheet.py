"""The review score sheet (forms/review-<year>.toml): parsing, validation and an expert's total."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from lzcenter_desktop.domain.scoresheet import (
    SHEET_FORMAT,
    check_points,
    decimal_text,
    parse_sheet,
    points_from_json,
    points_to_json,
    sheet_total,
)

FORMS = Path(__file__).resolve().parents[3] / "forms"


def sheet_text(*maxima: str, extra: str = "") -> str:
    head = f'format = "{SHEET_FORMAT}"\nversion = "2026.1"\nyear = 2026\ntitle = "评分表"\n{extra}'
    items = "".join(
        f'[[indicators]]\nkey = "k{i}"\nname = "指标{i}"\nmax = {m}\nguidance = "说明{i}"\n'
        for i, m in enumerate(maxima)
    )
    return head + items


SHEET = parse_sheet(sheet_text("60", '"25.5"', '"14.5"'))
GOOD = {"k0": "50", "k1": "20.25", "k2": "14.5"}


def test_the_2026_sheet_is_valid_and_adds_up_to_100() -> None:
    sheet = parse_sheet((FORMS / "review-2026.toml").read_text(encoding="utf-8"))
    assert (sheet.format, sheet.version, sheet.year) == (SHEET_FORMAT, "2026.1", 2026)
    assert [i.name for i in sheet.indicators] == [
        "研发条件",
        "研发队伍",
        "研发成果",
        "产学研合作",
        "运行管理",
        "发展规划",
    ]
    assert sum(i.max_points for i in sheet.indicators) == 100
    assert all(i.guidance for i in sheet.indicators)


def test_maxima_as_integers_and_decimal_texts() -> None:
    assert [i.max_points for i in SHEET.indicators] == [Decimal(60), Decimal("25.5"), Decimal("14.5")]
    assert SHEET.indicator("k1").name == "指标1"
    with pytest.raises(KeyError):
        SHEET.indicator("nope")


@pytest.mark.parametrize(
    ("maxima", "message"),
    [
        (("60", "39.99"), "满分之和应为 100 分，实际为 99.99 分"),
        (("60", "40.01"), "满分之和应为 100 分，实际为 100.01 分"),
        (("60", "40", "0"), "满分应大于0"),
        (("110", "-10"), "满分应大于0"),
        (('"59.995"', '"40.005"'), "最多保留2位小数"),
    ],
)
def test_sheet_maxima_must_add_up_to_exactly_100(maxima: tuple[str, ...], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_sheet(sheet_text(*maxima))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('format = "x/1"', "format 应为"),
        (sheet_text("100").replace('version = "2026.1"\n', ""), "缺少版本号"),
        (sheet_text("100").replace("year = 2026", "year = 1999"), "年度 year 应为 2000—2100"),
        (sheet_text("100").replace('title = "评分表"', 'title = " "'), "缺少标题"),
        (sheet_text("50", "50").replace('key = "k1"', 'key = "k0"'), "代号“k0”重复"),
        (sheet_text("50", "50").replace('name = "指标1"', 'name = "指标0"'), "名称“指标0”重复"),
        (sheet_text("100").replace('key = "k0"', 'key = "研发"'), "代号 key 应为小写英文字母开头"),
        (sheet_text("100").replace('guidance = "说明0"', "weight = 1"), "无法识别的项：weight"),
        ("format = ", "TOML"),
    ],
)
def test_sheet_errors_are_named(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_sheet(text)


def test_total_is_the_exact_sum() -> None:
    assert sheet_total(SHEET, GOOD) == Decimal("84.75")
    assert sheet_total(SHEET, {"k0": 0, "k1": Decimal("0"), "k2": "0.00"}) == 0


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("25.5", True),  # exactly the maximum
        ("25.50", True),
        ("25.51", False),  # 0.01 above
        ("0", True),
        ("-0.01", False),  # negative
        ("20.125", False),  # 3 decimals
        ("20.12", True),
        ("1e1", True),  # ten, written differently
    ],
)
def test_points_boundaries(value: str, ok: bool) -> None:
    points = dict(GOOD, k1=value)
    if ok:
        assert check_points(SHEET, points)["k1"] == Decimal(value)
    else:
        with pytest.raises(ValueError, match="指标“指标1”"):
            sheet_total(SHEET, points)


@pytest.mark.parametrize(
    ("points", "message"),
    [
        ({"k0": "50", "k1": "20"}, "请填写指标“指标2”的得分（0—14.5分）"),
        (dict(GOOD, k2=" "), "请填写指标“指标2”的得分"),
        (dict(GOOD, k1="25.51"), "指标“指标1”的得分 25.51 超过该项满分 25.5 分"),
        (dict(GOOD, k0="-1"), "指标“指标0”的得分 -1 不能为负数"),
        (dict(GOOD, k0="5.005"), "指标“指标0”的得分“5.005”最多保留2位小数"),
        (dict(GOOD, k0="五十"), "不是数字"),
        (dict(GOOD, k0="NaN"), "不是有效的数字"),
        (dict(GOOD, k9="1"), "没有指标“k9”"),
    ],
)
def test_points_errors_name_the_indicator(points: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        sheet_total(SHEET, points)


def test_floats_and_bools_are_refused() -> None:
    for bad in (20.5, True):
        with pytest.raises(ValueError, match="应为数字"):
            sheet_total(SHEET, dict(GOOD, k1=bad))  # type: ignore[dict-item]


def test_points_json_round_trip_is_exact() -> None:
    checked = check_points(SHEET, dict(GOOD, k1="20.50"))
    text = points_to_json(checked)
    assert text == '{"k0": "50", "k1": "20.5", "k2": "14.5"}'
    assert points_from_json(text) == checked
    assert decimal_text(Decimal("1E+2")) == "100" and decimal_text(Decimal("-0")) == "0"
