"""评审评分表 (第十条（三）): the indicators an expert scores, their maximum points and guidance.

A score sheet is a TOML file ``forms/review-<year>.toml`` in the format
``lzcenter.review-sheet/1``::

    format = "lzcenter.review-sheet/1"
    version = "2026.1"
    year = 2026
    title = "柳州市工程技术研究中心认定评审评分表"
    [[indicators]]
    key = "rd_team"          # ASCII key, unique
    name = "研发队伍"
    max = 20                 # points, an integer or a decimal text; all maxima add up to 100
    guidance = "…"

Points are exact decimals with at most two decimal places (``Decimal``, never ``float``); the
total an expert gives a declaration is the exact sum of the indicators' points.

Pure Python: the standard library only.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

SHEET_FORMAT = "lzcenter.review-sheet/1"
SHEET_TOTAL = Decimal(100)
MAX_DECIMALS = 2
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_MIN_YEAR, _MAX_YEAR = 2000, 2100

PointsInput = Mapping[str, Decimal | str | int]


@dataclass(frozen=True, slots=True)
class Indicator:
    """One scoring indicator (评分指标): its key, Chinese name, maximum points and guidance."""

    key: str
    name: str
    max_points: Decimal
    guidance: str


@dataclass(frozen=True, slots=True)
class ScoreSheet:
    """A parsed, valid score sheet: the indicators' maxima add up to exactly 100."""

    format: str
    version: str
    year: int
    title: str
    indicators: tuple[Indicator, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(i.key for i in self.indicators)

    def indicator(self, key: str) -> Indicator:
        """The indicator with ``key``; ``KeyError`` when the sheet has none."""
        for item in self.indicators:
            if item.key == key:
                return item
        raise KeyError(key)


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


def parse_sheet(text: str) -> ScoreSheet:
    """Parse and validate a score sheet; ``ValueError`` (Chinese, naming the item) when it is wrong."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"评分表文件格式错误（TOML）：{exc}") from None
    fmt = data.get("format")
    if fmt != SHEET_FORMAT:
        raise ValueError(f"评分表的 format 应为“{SHEET_FORMAT}”，实际为“{fmt}”")
    version = data.get("version")
    if not isinstance(version, str) or not version.strip():
        raise ValueError("评分表缺少版本号 version（如“2026.1”）")
    year = data.get("year")
    if isinstance(year, bool) or not isinstance(year, int) or not _MIN_YEAR <= year <= _MAX_YEAR:
        raise ValueError(f"评分表的年度 year 应为 {_MIN_YEAR}—{_MAX_YEAR} 之间的整数，实际为“{year}”")
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        raise ValueError("评分表缺少标题 title")
    raw_items = data.get("indicators")
    if not isinstance(raw_items, list) or not raw_items:
        raise ValueError("评分表没有评分指标（[[indicators]]）")
    indicators: list[Indicator] = []
    keys: set[str] = set()
    names: set[str] = set()
    for n, item in enumerate(raw_items, start=1):
        indicators.append(_indicator(n, item, keys, names))
    total = sum((i.max_points for i in indicators), Decimal(0))
    if total != SHEET_TOTAL:
        raise ValueError(
            f"评分表各项指标满分之和应为 {decimal_text(SHEET_TOTAL)} 分，实际为 {decimal_text(total)} 分"
        )
    return ScoreSheet(
        format=fmt, version=version.strip(), year=year, title=title.strip(), indicators=tuple(indicators)
    )


def _indicator(n: int, item: object, keys: set[str], names: set[str]) -> Indicator:
    where = f"评分表第{n}项指标"
    if not isinstance(item, dict):
        raise ValueError(f"{where}格式错误")
    unknown = sorted(set(item) - {"key", "name", "max", "guidance"})
    if unknown:
        raise ValueError(f"{where}有无法识别的项：{'、'.join(unknown)}")
    key = item.get("key")
    if not isinstance(key, str) or not _KEY.match(key):
        raise ValueError(f"{where}的代号 key 应为小写英文字母开头的英文、数字或下划线，实际为“{key}”")
    if key in keys:
        raise ValueError(f"{where}的代号“{key}”重复")
    name = item.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"{where}（{key}）缺少名称 name")
    name = name.strip()
    if name in names:
        raise ValueError(f"{where}的名称“{name}”重复")
    raw_max = item.get("max")
    if isinstance(raw_max, float):
        raw_max = repr(raw_max)
    max_points = parse_decimal(raw_max, f"{where}“{name}”的满分")
    if max_points <= 0:
        raise ValueError(f"{where}“{name}”的满分应大于0，实际为 {decimal_text(max_points)}")
    guidance = item.get("guidance", "")
    if not isinstance(guidance, str):
        raise ValueError(f"{where}“{name}”的评分说明 guidance 应为文字")
    keys.add(key)
    names.add(name)
    return Indicator(key=key, name=name, max_points=max_points, guidance=guidance.strip())


def check_points(sheet: ScoreSheet, points: PointsInput) -> dict[str, Decimal]:
    """Every indicator's points, exact, in the sheet's order.

    ``ValueError`` naming the indicator for a missing, unknown, negative, above-maximum value or
    one with more than two decimals."""
    unknown = [k for k in points if k not in sheet.keys]
    if unknown:
        raise ValueError(f"评分表“{sheet.title}”（{sheet.version}）中没有指标“{unknown[0]}”")
    out: dict[str, Decimal] = {}
    for ind in sheet.indicators:
        raw = points.get(ind.key)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            raise ValueError(f"请填写指标“{ind.name}”的得分（0—{decimal_text(ind.max_points)}分）")
        value = parse_decimal(raw, f"指标“{ind.name}”的得分")
        if value < 0:
            raise ValueError(f"指标“{ind.name}”的得分 {decimal_text(value)} 不能为负数")
        if value > ind.max_points:
            raise ValueError(
                f"指标“{ind.name}”的得分 {decimal_text(value)} 超过该项满分 {decimal_text(ind.max_points)} 分"
            )
        out[ind.key] = value
    return out


def sheet_total(sheet: ScoreSheet, points: PointsInput) -> Decimal:
    """The exact total of one expert's points (see :func:`check_points` for what is refused)."""
    return sum(check_points(sheet, points).values(), Decimal(0))


def points_to_json(points: Mapping[str, Decimal]) -> str:
    """The points as stored: a JSON object of exact decimal texts keyed by indicator."""
    return json.dumps({k: decimal_text(v) for k, v in points.items()}, ensure_ascii=False)


def points_from_json(text: str) -> dict[str, Decimal]:
    """Inverse of :func:`points_to_json`; ``ValueError`` for a damaged value."""
    data = json.loads(text)
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise ValueError("评分明细格式错误")
    return {str(k): parse_decimal(v, f"指标“{k}”的得分") for k, v in data.items()}
