"""What people type into Excel cells, turned into interchange values — or a Chinese reason why not.

Excel hands over ints, floats, bools, datetimes or text; applicants write dates as real dates or
as ``2024-07-01`` / ``2024/7/1`` / ``2024年7月1日``, money with thousands separators or in 万元,
yes/no as 是/否/√/×. Each ``parse_*`` returns the interchange value (ISO date text, whole yuan as
``int``, …) or raises :class:`CellValueError` whose message names the field by its label.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from lzcenter_desktop.domain.formdef import FieldDef

MIN_YEAR = 1900  # Excel cannot hold earlier dates; anything later than MAX_YEAR is a typo
MAX_YEAR = 2100
MAX_MONEY_YUAN = 999_999_999_999_999  # 15 digits: what an Excel number holds exactly

DATE_FORMAT = "yyyy-mm-dd"
MONEY_FORMAT = "#,##0"
INT_FORMAT = "0"
TEXT_FORMAT = "@"
MULTI_SEPARATOR = "、"

_TRUE = frozenset({"是", "√", "✓", "✔", "true", "yes", "y"})
_FALSE = frozenset({"否", "×", "✗", "✘", "false", "no", "n"})
_DATE_SEP = re.compile(r"^(\d{4})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{1,2})$")
_DATE_CN = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$")
_DATE_TIME_SUFFIX = re.compile(r"\s+0{1,2}:00(:00)?$")
_PLAIN_NUMBER = re.compile(r"^\d+(\.\d+)?$")
_GROUPED_NUMBER = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")
_MULTI_SPLIT = re.compile(r"[、,，;；/\s]+")

DATE_HINT = "请写成 2024-07-01、2024/7/1 或 2024年7月1日"
MONEY_HINT = "以元为单位的整数，如 1800000、1,800,000，或写成“180万元”"


class CellValueError(ValueError):
    """The cell's content does not fit the field; ``str()`` is the Chinese reason."""


def is_blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def display(raw: Any) -> str:
    """The cell's content as the applicant sees it, for messages."""
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, float):
        return str(int(raw)) if raw.is_integer() else repr(raw)
    if isinstance(raw, datetime):
        if raw.time() == time(0, 0):
            return raw.date().isoformat()
        return raw.isoformat(sep=" ")
    if isinstance(raw, date | time):
        return raw.isoformat()
    return str(raw).strip()


def _normalized(raw: Any) -> str:
    """Full-width digits and punctuation (２０２４／７／１, １，０００) folded to ASCII, spaces removed."""
    return unicodedata.normalize("NFKC", display(raw)).strip()


def choice_pairs(fd: FieldDef, key_industries: Sequence[str]) -> tuple[tuple[str, str], ...]:
    """(value, label) pairs a field may take: its own choices or a shipped list."""
    if fd.choices:
        return fd.choices
    if fd.choices_from == "key_industries":
        return tuple((name, name) for name in key_industries)
    return ()


def choice_labels(fd: FieldDef, key_industries: Sequence[str]) -> list[str]:
    return [label for _, label in choice_pairs(fd, key_industries)]


# ---------------------------------------------------------------- parsers


def parse_text(fd: FieldDef, raw: Any) -> str:
    if isinstance(raw, str):
        text = raw.replace("\r\n", "\n").replace("\r", "\n").strip()
    elif isinstance(raw, bool):
        text = "是" if raw else "否"
    else:
        text = display(raw)
    if fd.max_length is not None and len(text) > fd.max_length:
        raise CellValueError(f"{fd.label}超过 {fd.max_length} 个字符（现为 {len(text)} 个）")
    return text


def _checked_date(fd: FieldDef, shown: str, year: int, month: int, day: int) -> str:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise CellValueError(f"{fd.label}“{shown}”的年份应在 {MIN_YEAR}–{MAX_YEAR} 年之间")
    if not 1 <= month <= 12:
        raise CellValueError(f"{fd.label}“{shown}”不是有效日期：月份应为 1–12")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise CellValueError(f"{fd.label}“{shown}”不是有效日期：{year}年{month}月只有 {last} 天")
    return date(year, month, day).isoformat()


def parse_date(fd: FieldDef, raw: Any) -> str:
    """ISO ``YYYY-MM-DD`` from a real Excel date or typed text."""
    if isinstance(raw, datetime):
        return _checked_date(fd, display(raw), raw.year, raw.month, raw.day)
    if isinstance(raw, date):
        return _checked_date(fd, display(raw), raw.year, raw.month, raw.day)
    shown = display(raw)
    if isinstance(raw, str):
        text = _DATE_TIME_SUFFIX.sub("", _normalized(raw))
        match = _DATE_SEP.match(text)
        if match:
            return _checked_date(fd, shown, int(match[1]), int(match[3]), int(match[4]))
        match = _DATE_CN.match(text)
        if match:
            return _checked_date(fd, shown, int(match[1]), int(match[2]), int(match[3]))
    raise CellValueError(f"{fd.label}“{shown}”不是日期（{DATE_HINT}）")


def _decimal(text: str) -> Decimal | None:
    if _PLAIN_NUMBER.match(text) or _GROUPED_NUMBER.match(text):
        try:
            return Decimal(text.replace(",", ""))
        except InvalidOperation:  # pragma: no cover - the patterns only let digits through
            return None
    return None


def parse_money(fd: FieldDef, raw: Any) -> int:
    """Whole yuan; ``50万元`` is 500000 exactly; fractions of a yuan and negatives are refused."""
    shown = display(raw)
    amount: Decimal | None
    if isinstance(raw, bool):
        amount = None
    elif isinstance(raw, int):
        amount = Decimal(raw)
    elif isinstance(raw, float):
        amount = Decimal(repr(raw))
    elif isinstance(raw, str):
        text = _normalized(raw).replace(" ", "").lstrip("¥")
        scale = 1
        if text.endswith("万元") or text.endswith("万"):
            text, scale = text.removesuffix("元").removesuffix("万"), 10_000
        else:
            text = text.removesuffix("元")
        if text.startswith("-") and _decimal(text[1:]) is not None:
            raise CellValueError(f"{fd.label}不能为负数（现为“{shown}”）")
        number = _decimal(text)
        amount = None if number is None else number * scale
    else:
        amount = None
    if amount is None:
        raise CellValueError(f"{fd.label}“{shown}”不是金额（{MONEY_HINT}）")
    if amount < 0:
        raise CellValueError(f"{fd.label}不能为负数（现为“{shown}”）")
    if amount != amount.to_integral_value():
        raise CellValueError(f"{fd.label}“{shown}”不是整元金额（金额以元为单位，不能有角、分）")
    if amount > MAX_MONEY_YUAN:
        raise CellValueError(f"{fd.label}“{shown}”过大（不能超过 {MAX_MONEY_YUAN:,} 元）")
    return int(amount)


def parse_int(fd: FieldDef, raw: Any) -> int:
    shown = display(raw)
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    if isinstance(raw, str):
        text = _normalized(raw).replace(" ", "")
        if re.fullmatch(r"-?\d+", text):
            return int(text)
    raise CellValueError(f"{fd.label}“{shown}”不是整数（如 2025）")


def parse_area(fd: FieldDef, raw: Any) -> int | float:
    """Square metres; whole numbers stay ``int`` so 420 round-trips as 420, not 420.0."""
    shown = display(raw)
    number: Decimal | None
    if isinstance(raw, bool):
        number = None
    elif isinstance(raw, int):
        number = Decimal(raw)
    elif isinstance(raw, float):
        number = Decimal(repr(raw))
    elif isinstance(raw, str):
        text = _normalized(raw).replace(" ", "")
        for suffix in ("平方米", "平米", "m2"):
            text = text.removesuffix(suffix)
        if text.startswith("-") and _decimal(text[1:]) is not None:
            raise CellValueError(f"{fd.label}不能为负数（现为“{shown}”）")
        number = _decimal(text)
    else:
        number = None
    if number is None:
        raise CellValueError(f"{fd.label}“{shown}”不是数字（以平方米为单位，如 420）")
    if number < 0:
        raise CellValueError(f"{fd.label}不能为负数（现为“{shown}”）")
    if number == number.to_integral_value():
        return int(number)
    return float(number)


def parse_bool(fd: FieldDef, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = _normalized(raw).lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellValueError(f"{fd.label}“{display(raw)}”不是可选值（是/否）")


def parse_enum(fd: FieldDef, raw: Any, key_industries: Sequence[str] = ()) -> str:
    text = display(raw)
    for value, label in choice_pairs(fd, key_industries):
        if text in (value, label):
            return value
    labels = "/".join(choice_labels(fd, key_industries))
    raise CellValueError(f"{fd.label}“{text}”不是可选值（{labels}）")


def parse_multi_enum(fd: FieldDef, raw: Any, key_industries: Sequence[str]) -> list[str]:
    pairs = choice_pairs(fd, key_industries)
    values: list[str] = []
    bad: list[str] = []
    for item in _MULTI_SPLIT.split(display(raw)):
        if not item:
            continue
        found = next((value for value, label in pairs if item in (value, label)), None)
        if pairs and found is None:
            bad.append(item)
        else:
            value = found if found is not None else item
            if value not in values:
                values.append(value)
    if bad:
        quoted = "、".join(f"“{item}”" for item in bad)
        labels = "/".join(label for _, label in pairs)
        raise CellValueError(f"{fd.label}{quoted}不是可选值（{labels}；多项用“、”分隔）")
    return values


def parse_cell(fd: FieldDef, raw: Any, key_industries: Sequence[str]) -> Any:
    """The interchange value of a non-blank cell; raises :class:`CellValueError`."""
    kind = fd.type
    if kind == "date":
        return parse_date(fd, raw)
    if kind == "money":
        return parse_money(fd, raw)
    if kind == "int":
        return parse_int(fd, raw)
    if kind == "area":
        return parse_area(fd, raw)
    if kind == "bool":
        return parse_bool(fd, raw)
    if kind == "enum":
        return parse_enum(fd, raw, key_industries)
    if kind == "multi_enum":
        return parse_multi_enum(fd, raw, key_industries)
    return parse_text(fd, raw)


# ---------------------------------------------------------------- writing


def to_cell(fd: FieldDef, value: Any, key_industries: Sequence[str]) -> Any:
    """What to put into the cell for an interchange value (the inverse of :func:`parse_cell`)."""
    if value is None:
        return None
    kind = fd.type
    if kind == "date" and isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    if kind == "bool" and isinstance(value, bool):
        return "是" if value else "否"
    if kind == "enum":
        return dict(choice_pairs(fd, key_industries)).get(str(value), str(value))
    if kind == "multi_enum" and isinstance(value, list | tuple):
        labels = dict(choice_pairs(fd, key_industries))
        return MULTI_SEPARATOR.join(labels.get(str(v), str(v)) for v in value)
    return value


def number_format(fd: FieldDef) -> str:
    return {
        "date": DATE_FORMAT,
        "money": MONEY_FORMAT,
        "int": INT_FORMAT,
        "area": "General",
    }.get(fd.type, TEXT_FORMAT)


def format_hint(fd: FieldDef, key_industries: Sequence[str]) -> str:
    """One line on how to fill the field, for the 说明 column and header notes."""
    kind = fd.type
    if kind == "date":
        return f"日期，{DATE_HINT}"
    if kind == "money":
        return f"金额，{MONEY_HINT}；不能有角、分"
    if kind == "int":
        return "整数"
    if kind == "area":
        return "面积，单位平方米，填写数字"
    if kind == "bool":
        return "从下拉列表选择“是”或“否”"
    if kind == "enum":
        return "从下拉列表选择：" + "/".join(choice_labels(fd, key_industries))
    if kind == "multi_enum":
        return "可选多项，用“、”分隔，如“" + MULTI_SEPARATOR.join(choice_labels(fd, key_industries)[:2]) + \
            "”；可选：" + "/".join(choice_labels(fd, key_industries))
    if fd.max_length is not None:
        return f"文字，不超过 {fd.max_length} 个字符"
    if kind == "multiline":
        return "可换行（Alt+Enter）"
    return ""
