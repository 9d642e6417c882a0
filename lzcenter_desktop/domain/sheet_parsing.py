"""What the review's score sheet (:mod:`~lzcenter_desktop.domain.scoresheet`) and the evaluation sheet
(:mod:`~lzcenter_desktop.domain.evaluation_sheet`) parse the same way: exact decimal points, the
TOML file, its header (format, version, year, title), the indicator list, each indicator's key,
name, maximum and guidance, and the maxima adding up to 100.

Every refusal is a ``ValueError`` in Chinese naming the sheet (``what``: 评分表, 绩效评估评分表) and
the item. Pure Python: the standard library only.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Set
from decimal import Decimal, InvalidOperation
from typing import Any, Final

SHEET_TOTAL: Final = Decimal(100)
MAX_DECIMALS: Final = 2
KEY_PATTERN: Final = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MIN_YEAR, MAX_YEAR = 2000, 2100


def decimal_text(value: Decimal) -> str:
    """The shortest exact text of a decimal: ``Decimal("8.50")`` → ``8.5``, ``Decimal("1E+2")`` → ``100``."""
    if value == 0:
        return "0"
    return format(value.normalize(), "f")


def parse_decimal(raw: object, what: str, *, max_decimals: int = MAX_DECIMALS) -> Decimal:
    """An exact decimal from an int, a ``Decimal`` or a decimal text (not a float, not a bool).

    Raises ``ValueError`` naming ``what`` for anything else, for NaN/infinity and for more than
    ``max_decimals`` decimal places (``5.005`` is refused, ``5.50`` is fine)."""
    if isinstance(raw, bool) or not isinstance(raw, int | str | Decimal):
        raise ValueError(f"{what}应为数字（最多{max_decimals}位小数），实际为“{raw}”")
    try:
        value = Decimal(raw.strip()) if isinstance(raw, str) else Decimal(raw)
    except InvalidOperation:
        raise ValueError(f"{what}“{raw}”不是数字，请填写如 18 或 17.5 的分数") from None
    if not value.is_finite():
        raise ValueError(f"{what}“{raw}”不是有效的数字")
    if value == 0:
        return Decimal(0)
    exponent = value.normalize().as_tuple().exponent
    assert isinstance(exponent, int)
    if -exponent > max_decimals:
        raise ValueError(f"{what}“{raw}”最多保留{max_decimals}位小数")
    return value


def load_toml(text: str, what: str) -> dict[str, Any]:
    """The sheet's TOML table; ``ValueError`` for a file that is not TOML."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{what}文件格式错误（TOML）：{exc}") from None


def sheet_header(data: dict[str, Any], what: str, expected_format: str) -> tuple[str, int, str]:
    """The sheet's version, year and title (trimmed), after checking ``format``."""
    fmt = data.get("format")
    if fmt != expected_format:
        raise ValueError(f"{what}的 format 应为“{expected_format}”，实际为“{fmt}”")
    version = data.get("version")
    if not isinstance(version, str) or not version.strip():
        raise ValueError(f"{what}缺少版本号 version（如“2026.1”）")
    year = data.get("year")
    if isinstance(year, bool) or not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"{what}的年度 year 应为 {MIN_YEAR}—{MAX_YEAR} 之间的整数，实际为“{year}”")
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        raise ValueError(f"{what}缺少标题 title")
    return version.strip(), year, title.strip()


def sheet_items(data: dict[str, Any], what: str) -> list[Any]:
    """The sheet's ``[[indicators]]``, refused when there are none."""
    raw_items = data.get("indicators")
    if not isinstance(raw_items, list) or not raw_items:
        raise ValueError(f"{what}没有评分指标（[[indicators]]）")
    return raw_items


def check_total(maxima: Iterable[Decimal], what: str) -> None:
    """The indicators' maxima add up to exactly :data:`SHEET_TOTAL`."""
    total = sum(maxima, Decimal(0))
    if total != SHEET_TOTAL:
        raise ValueError(
            f"{what}各项指标满分之和应为 {decimal_text(SHEET_TOTAL)} 分，实际为 {decimal_text(total)} 分"
        )


def indicator_key_name(
    where: str, item: object, allowed: Set[str], keys: Set[str], names: Set[str]
) -> tuple[dict[str, Any], str, str]:
    """The indicator ``item`` (a table with only the ``allowed`` fields), its key and trimmed name,
    neither already among ``keys`` / ``names``."""
    if not isinstance(item, dict):
        raise ValueError(f"{where}格式错误")
    unknown = sorted(set(item) - allowed)
    if unknown:
        raise ValueError(f"{where}有无法识别的项：{'、'.join(unknown)}")
    key = item.get("key")
    if not isinstance(key, str) or not KEY_PATTERN.match(key):
        raise ValueError(f"{where}的代号 key 应为小写英文字母开头的英文、数字或下划线，实际为“{key}”")
    if key in keys:
        raise ValueError(f"{where}的代号“{key}”重复")
    name = item.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"{where}（{key}）缺少名称 name")
    name = name.strip()
    if name in names:
        raise ValueError(f"{where}的名称“{name}”重复")
    return item, key, name


def indicator_max_guidance(where: str, item: dict[str, Any], name: str) -> tuple[Decimal, str]:
    """The indicator's maximum points (above 0) and its guidance (trimmed)."""
    raw_max = item.get("max")
    if isinstance(raw_max, float):
        raw_max = repr(raw_max)
    max_points = parse_decimal(raw_max, f"{where}“{name}”的满分")
    if max_points <= 0:
        raise ValueError(f"{where}“{name}”的满分应大于0，实际为 {decimal_text(max_points)}")
    guidance = item.get("guidance", "")
    if not isinstance(guidance, str):
        raise ValueError(f"{where}“{name}”的评分说明 guidance 应为文字")
    return max_points, guidance.strip()
