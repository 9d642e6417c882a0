"""The cell conventions of the Excel workbooks (``documents/xlsx/cells.py``), at their edges: the
dates, amounts, numbers, 是/否 and choices people type, and the Chinese message for each refusal."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

from lzcenter_desktop.documents.xlsx import cells
from lzcenter_desktop.documents.xlsx.cells import CellValueError
from lzcenter_desktop.domain.formdef import FieldDef


def field(key: str, label: str, kind: str, **extra: Any) -> FieldDef:
    return FieldDef(key=key, label=label, type=kind, **extra)


DATE = field("d", "出生日期", "date")
MONEY = field("m", "投入金额（元）", "money")
YEAR = field("y", "年度", "int")
AREA = field("a", "面积", "area")
FLAG = field("b", "技术带头人", "bool")
LEVEL = field("l", "级别", "enum", choices=(("region", "自治区级"), ("city", "市级")))
CODE = field("c", "统一社会信用代码", "text", max_length=18)
INDUSTRY = field("i", "重点产业领域", "multi_enum", choices_from="key_industries")
KEY = ("汽车", "机械", "新材料")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (datetime(2024, 7, 1), "2024-07-01"),
        (date(2024, 7, 1), "2024-07-01"),
        ("2024-07-01", "2024-07-01"),
        ("2024/7/1", "2024-07-01"),
        ("2024年7月1日", "2024-07-01"),
        ("2024年7月1", "2024-07-01"),
        ("2024.7.1", "2024-07-01"),
        (" 2024-07-01 00:00:00 ", "2024-07-01"),
        ("２０２４／７／１", "2024-07-01"),
        ("2024-02-29", "2024-02-29"),
        ("2024-04-30", "2024-04-30"),
        ("1900-01-01", "1900-01-01"),
        ("2100-12-31", "2100-12-31"),
    ],
)
def test_dates_people_type(raw: Any, expected: str) -> None:
    assert cells.parse_date(DATE, raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("2023-02-29", "出生日期“2023-02-29”不是有效日期：2023年2月只有 28 天"),
        ("2024-02-30", "出生日期“2024-02-30”不是有效日期：2024年2月只有 29 天"),
        ("2024-04-31", "出生日期“2024-04-31”不是有效日期：2024年4月只有 30 天"),
        ("2024-13-01", "出生日期“2024-13-01”不是有效日期：月份应为 1–12"),
        ("2024-00-10", "出生日期“2024-00-10”不是有效日期：月份应为 1–12"),
        ("2024-01-00", "出生日期“2024-01-00”不是有效日期：2024年1月只有 31 天"),
        ("1899-12-31", "出生日期“1899-12-31”的年份应在 1900–2100 年之间"),
        ("2101-01-01", "出生日期“2101-01-01”的年份应在 1900–2100 年之间"),
        ("2024-7/1", "出生日期“2024-7/1”不是日期（请写成 2024-07-01、2024/7/1 或 2024年7月1日）"),
        ("昨天", "出生日期“昨天”不是日期（请写成 2024-07-01、2024/7/1 或 2024年7月1日）"),
        (45000, "出生日期“45000”不是日期（请写成 2024-07-01、2024/7/1 或 2024年7月1日）"),
        (True, "出生日期“TRUE”不是日期（请写成 2024-07-01、2024/7/1 或 2024年7月1日）"),
    ],
)
def test_dates_refused(raw: Any, message: str) -> None:
    with pytest.raises(CellValueError) as caught:
        cells.parse_date(DATE, raw)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (0, 0),
        (1, 1),
        (500000, 500000),
        (1800000.0, 1800000),
        ("1800000", 1800000),
        ("1,800,000", 1800000),
        ("１，８００，０００", 1800000),
        ("1,800,000元", 1800000),
        ("¥1,000", 1000),
        ("￥1,000", 1000),
        ("50万元", 500000),
        ("50万", 500000),
        (" 50 万元 ", 500000),
        ("1.5万元", 15000),
        ("0.0001万元", 1),
        ("180.0000万元", 1800000),
        ("3.00", 3),
        (999_999_999_999_999, 999_999_999_999_999),
    ],
)
def test_money_people_type(raw: Any, expected: int) -> None:
    value = cells.parse_money(MONEY, raw)
    assert value == expected
    assert type(value) is int


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("1.5", "投入金额（元）“1.5”不是整元金额（金额以元为单位，不能有角、分）"),
        (1.5, "投入金额（元）“1.5”不是整元金额（金额以元为单位，不能有角、分）"),
        (0.01, "投入金额（元）“0.01”不是整元金额（金额以元为单位，不能有角、分）"),
        ("0.00015万元", "投入金额（元）“0.00015万元”不是整元金额（金额以元为单位，不能有角、分）"),
        (-1, "投入金额（元）不能为负数（现为“-1”）"),
        ("-1", "投入金额（元）不能为负数（现为“-1”）"),
        ("-5万元", "投入金额（元）不能为负数（现为“-5万元”）"),
        (1_000_000_000_000_000, "投入金额（元）“1000000000000000”过大（不能超过 999,999,999,999,999 元）"),
        (
            "1,8000",
            "投入金额（元）“1,8000”不是金额（以元为单位的整数，如 1800000、1,800,000，或写成“180万元”）",
        ),
        ("很多", "投入金额（元）“很多”不是金额（以元为单位的整数，如 1800000、1,800,000，或写成“180万元”）"),
        ("万元", "投入金额（元）“万元”不是金额（以元为单位的整数，如 1800000、1,800,000，或写成“180万元”）"),
        (True, "投入金额（元）“TRUE”不是金额（以元为单位的整数，如 1800000、1,800,000，或写成“180万元”）"),
        (
            datetime(2024, 1, 1),
            "投入金额（元）“2024-01-01”不是金额（以元为单位的整数，如 1800000、1,800,000，或写成“180万元”）",
        ),
    ],
)
def test_money_refused(raw: Any, message: str) -> None:
    with pytest.raises(CellValueError) as caught:
        cells.parse_money(MONEY, raw)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (2023, 2023),
        (2023.0, 2023),
        ("2023", 2023),
        ("２０２３", 2023),
        (" 2023 ", 2023),
        (0, 0),
    ],
)
def test_integers(raw: Any, expected: int) -> None:
    assert cells.parse_int(YEAR, raw) == expected


@pytest.mark.parametrize("raw", [2023.5, "2023.5", "二〇二三", True, "2,023年"])
def test_integers_refused(raw: Any) -> None:
    with pytest.raises(CellValueError, match=r"^年度“.*”不是整数（如 2025）$"):
        cells.parse_int(YEAR, raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (0, 0),
        (420, 420),
        (420.0, 420),
        (420.5, 420.5),
        ("420", 420),
        ("420平方米", 420),
        ("420㎡", 420),
        ("420 m²", 420),
        ("1,200.25", 1200.25),
    ],
)
def test_areas(raw: Any, expected: float) -> None:
    value = cells.parse_area(AREA, raw)
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (-1, "面积不能为负数（现为“-1”）"),
        (-0.5, "面积不能为负数（现为“-0.5”）"),
        ("-3平方米", "面积不能为负数（现为“-3平方米”）"),
        ("很大", "面积“很大”不是数字（以平方米为单位，如 420）"),
    ],
)
def test_areas_refused(raw: Any, message: str) -> None:
    with pytest.raises(CellValueError) as caught:
        cells.parse_area(AREA, raw)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("是", True),
        ("否", False),
        ("√", True),
        ("×", False),
        ("true", True),
        ("false", False),
        ("TRUE", True),
        ("False", False),
        (True, True),
        (False, False),
        (" 是 ", True),
        ("✓", True),
    ],
)
def test_yes_no(raw: Any, expected: bool) -> None:
    assert cells.parse_bool(FLAG, raw) is expected


@pytest.mark.parametrize("raw", ["也许", "1", 1, "是的"])
def test_yes_no_refused(raw: Any) -> None:
    with pytest.raises(CellValueError) as caught:
        cells.parse_bool(FLAG, raw)
    assert str(caught.value) == f"技术带头人“{raw}”不是可选值（是/否）"


@pytest.mark.parametrize(
    ("raw", "expected"), [("自治区级", "region"), ("region", "region"), (" 市级 ", "city")]
)
def test_enum_by_label_or_value(raw: str, expected: str) -> None:
    assert cells.parse_enum(LEVEL, raw) == expected


def test_enum_refused() -> None:
    with pytest.raises(CellValueError) as caught:
        cells.parse_enum(LEVEL, "省级")
    assert str(caught.value) == "级别“省级”不是可选值（自治区级/市级）"


@pytest.mark.parametrize(("raw", "ok"), [("9" * 17, True), ("9" * 18, True), ("9" * 19, False)])
def test_text_max_length(raw: str, ok: bool) -> None:
    if ok:
        assert cells.parse_text(CODE, raw) == raw
    else:
        with pytest.raises(CellValueError) as caught:
            cells.parse_text(CODE, raw)
        assert str(caught.value) == "统一社会信用代码超过 18 个字符（现为 19 个）"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (12345, "12345"),
        (1.0, "1"),
        ("  张三 ", "张三"),
        ("第一行\r\n第二行", "第一行\n第二行"),
    ],
)
def test_text(raw: Any, expected: str) -> None:
    assert cells.parse_text(field("t", "名称", "text"), raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("汽车", ["汽车"]),
        ("汽车、机械", ["汽车", "机械"]),
        ("汽车，机械;新材料", ["汽车", "机械", "新材料"]),
        ("汽车 机械\n汽车", ["汽车", "机械"]),
    ],
)
def test_several_choices(raw: str, expected: list[str]) -> None:
    assert cells.parse_multi_enum(INDUSTRY, raw, KEY) == expected


def test_several_choices_refused() -> None:
    with pytest.raises(CellValueError) as caught:
        cells.parse_multi_enum(INDUSTRY, "汽车、航天、军工", KEY)
    assert str(caught.value) == "重点产业领域“航天”、“军工”不是可选值（汽车/机械/新材料；多项用“、”分隔）"


@pytest.mark.parametrize(
    ("fd", "value"),
    [
        (DATE, "2024-02-29"),
        (MONEY, 3_200_000),
        (YEAR, 2024),
        (AREA, 860),
        (AREA, 860.5),
        (FLAG, True),
        (FLAG, False),
        (LEVEL, "region"),
        (CODE, "91450205MA5N8R2T4M"),
        (INDUSTRY, ["汽车", "新材料"]),
    ],
)
def test_to_cell_and_back(fd: FieldDef, value: Any) -> None:
    assert cells.parse_cell(fd, cells.to_cell(fd, value, KEY), KEY) == value
